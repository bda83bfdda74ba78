"""What a rule sees while it runs: the file, its package, the shared analyses, and `report`.

Every question a rule asks goes through here, so each is answered by one mechanism (scopes, types,
hot context, data flow) and cached for all rules of the run.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

import attrs

from gostatic.analysis import cold, deadcode, flow, loops, sampled, startup
from gostatic.analysis.index import PackageIndex, SourceFile
from gostatic.analysis.scopes import Binding, Resolver, resolver_for
from gostatic.analysis.types import GoType
from gostatic.lint import imports_edit
from gostatic.lint.finding import Edit, Finding, Fix, Position, Severity
from gostatic.lint.meta import RuleMeta
from gostatic.parse.positions import LineIndex
from gostatic.parse.syntax import (
    FUNCTION_TYPES,
    Assignment,
    Node,
    assignment,
    call_args,
    contains,
    path_to,
    text,
    unparen,
)


class Reporting(Protocol):
    """The rule a finding is reported for: all `report` needs of it is its metadata (the `Rule` base class,
    built on this module, satisfies it)."""

    @property
    def meta(self) -> RuleMeta: ...


_LOOPS = frozenset({"for_statement"})


_MAX_COLD_NESTING = 32  # nested functions; real code stays under 10

_NOT_TEST_SUPPORT = frozenset({"latest", "contest", "protest", "attest", "testing"})


_TEST_DIRS = frozenset({"integration", "e2e", "testutil", "testutils", "testhelpers", "testing", "tests"})


def _test_support(package: str, path: str) -> bool:
    """A package that exists for tests (`httptest`, `iotest`, `testenv`, `testutil`, `snapshottest`), or
    one under a directory of tests (`integration/`, `e2e/`, `tests/`): its code runs in tests, whatever
    its files are called."""
    name = package.lower()
    if name not in _NOT_TEST_SUPPORT and (name.endswith("test") or name.startswith("test")):
        return True
    return any(part in _TEST_DIRS for part in path.split("/")[:-1])


def _takes_testing_t(fn: Node | None) -> bool:
    """A test helper outside `_test.go` files (`func checkAEAD(t *testing.T, …)`, a `testing.TB`)."""
    params = fn.child_by_field_name("parameters") if fn is not None else None
    if params is None:
        return False
    spelled = text(params)
    return b"testing.T" in spelled and b"testing.B" not in spelled


@attrs.frozen(repr=False)
class Scope:
    """Where cost findings are reported besides hot, non-test code: `include-tests` and `include-cold`
    (config keys and CLI flags). Defect findings are reported everywhere. `one_shot`: the command whose
    process runs to completion with the package (`analysis/lifetime.py`), where memory kept for the life
    of the process is freed when it exits."""

    include_tests: bool = False
    include_cold: bool = False
    one_shot: str | None = None
    # what a block of a sampled function that no profile sample reached is evidence of: "cpu" (it costs
    # nothing worth a change), "alloc" (it allocates nothing worth one), "" (nothing: too few samples)
    sampled_by: str = ""


class FileContext:
    def __init__(
        self,
        file: SourceFile,
        index: PackageIndex,
        hot_functions: Iterable[str] = (),
        scope: Scope | None = None,
        profiled: Iterable[tuple[str, int, str, str]] = (),
        sampled_lines: Mapping[str, tuple[Sequence[int], Sequence[int]]] | None = None,
    ) -> None:
        self.file = file
        self.index = index
        self.source = file.source
        self.resolver: Resolver = resolver_for(index, file)
        self.hot_functions = tuple(hot_functions)
        self.scope = scope or Scope()
        self.hidden: dict[str, int] = {}  # cost findings not reported, by why: "tests", "cold"
        self.hidden_findings: list[Finding] = []
        self.profiled = tuple(profiled)
        self._profiled_here: dict[int | str, str] | None = None
        self.sampled_lines = sampled_lines or {}
        # the lines of this file the profiles' samples reached (`analysis/sampled.py`) and the start
        # lines of their functions there, or None
        self._sampled: tuple[Sequence[int], Sequence[int]] | None = self.sampled_lines.get(file.path.name)
        self.findings: list[Finding] = []
        self.current_rule: Reporting | None = None
        self._lines: LineIndex | None = None
        self._hot: dict[int, str | None] = {}
        self._top: tuple[list[int], list[Node], dict[int, bool | Node]] | None = None
        self._targets: dict[int, str | None] = {}  # call node id -> call_target()
        self._encl: dict[int, tuple[Node | None, Node | None]] = {}  # node id -> (loop, function)
        self._loop_bodies: dict[int, tuple[int, int]] = {}
        self._assignments: dict[int, Assignment] = {}

    # ------------------------------------------------------------------------------ basics
    @property
    def go_version(self) -> tuple[int, int]:
        return self.file.go_version

    def go_at_least(self, major: int, minor: int) -> bool:
        return self.file.go_version >= (major, minor)

    def sibling(self, file: SourceFile) -> FileContext:
        """The context of another file of the same package (a fact declared there, such as a pool's New)."""
        return (
            self
            if file is self.file
            else FileContext(
                file, self.index, self.hot_functions, self.scope, self.profiled, self.sampled_lines
            )
        )

    def text(self, node: Node | None) -> str:
        return "" if node is None else text(node).decode("utf-8", "replace")

    def imports(self, path: str) -> bool:
        return path in self.file.imports.paths

    def qualifier(self, path: str) -> str | None:
        """How this file spells the package `path`: "strings.", "str.", "" (dot import), or None."""
        name = self.file.imports.local_name(path)
        if name is not None:
            return name + "."
        if path in self.file.imports.dot:
            return ""
        return None

    # ------------------------------------------------------------------------------ names & types
    def resolve(self, ident: Node | None) -> Binding | None:
        ident = unparen(ident)
        if ident is None or ident.type != "identifier":
            return None
        return self.resolver.resolve(ident)

    def type_of(self, expr: Node | None) -> GoType | None:
        return self.resolver.type_of(expr)

    def may_be_package_var(self, ident: Node | None) -> bool:
        """A spelling test to run before `resolve`: only an identifier spelled like one of the package's
        variables can resolve to one (`resolve` still decides: a local may shadow it)."""
        ident = unparen(ident)
        if ident is None or ident.type != "identifier":
            return False
        v = self.index.values.get(self.text(ident))
        return v is not None and not v.is_const

    def underlying(self, t: GoType | None) -> GoType | None:
        return self.index.underlying(t)

    def is_constant(self, expr: Node | None) -> bool:
        return self.resolver.is_constant(expr)

    def conversion_operand(self, expr: Node | None) -> Node | None:
        return self.resolver.conversion_operand(expr)

    def call_target(self, call: Node | None) -> str | None:
        """`strings.ToLower` (import path + name, through any alias), a builtin's name (`append`),
        or `pkg.Type.Method` / `LocalType.Method` for a method on a receiver of known type; else None.
        Memoised per node: every rule that visits call expressions asks this of every call."""
        call = unparen(call)
        if call is None:
            return None
        key = call.id
        try:
            return self._targets[key]
        except KeyError:
            pass
        result = self._targets[key] = self._call_target(call)
        return result

    def _call_target(self, call: Node) -> str | None:
        if call.type != "call_expression":
            return None
        fn = unparen(call.child_by_field_name("function"))
        if fn is None:
            return None
        if fn.type == "identifier":
            b = self.resolver.resolve(fn)
            if b is not None and b.kind == "builtin":
                return b.name
            return None
        if fn.type != "selector_expression":
            return None
        operand = unparen(fn.child_by_field_name("operand"))
        field = fn.child_by_field_name("field")
        if operand is None or field is None:
            return None
        fname = text(field).decode()
        member = self.resolver.package_member(fn)
        if member is not None:
            return member
        t = self.type_of(operand)
        if t is None:
            return None
        base = t.deref()
        if base.kind == "named":
            return f"{base.qualified}.{fname}"
        return None

    def local_function(self, call: Node) -> Node | None:
        """The declaration of a same-package function called by `call`, if that is what it calls."""
        fn = unparen(call.child_by_field_name("function"))
        if fn is None or fn.type != "identifier":
            return None
        b = self.resolver.resolve(fn)
        if b is None or b.kind != "func":
            return None
        decl = self.index.funcs.get(b.name)
        return decl.node if decl is not None else None

    def receiver(self, call: Node) -> Node | None:
        """`x` in `x.M(...)`."""
        fn = unparen(call.child_by_field_name("function"))
        if fn is None or fn.type != "selector_expression":
            return None
        return unparen(fn.child_by_field_name("operand"))

    def method_name(self, call: Node) -> str | None:
        fn = unparen(call.child_by_field_name("function"))
        if fn is None or fn.type != "selector_expression":
            return None
        field = fn.child_by_field_name("field")
        return None if field is None else text(field).decode()

    def args(self, call: Node) -> list[Node]:
        return call_args(call)

    def single_arg(self, call: Node | None) -> Node | None:
        call = unparen(call)
        if call is None or call.type != "call_expression":
            return None
        args = call_args(call)
        return args[0] if len(args) == 1 else None

    # ------------------------------------------------------------------------------ shared analyses
    def enclosing_function(self, node: Node) -> Node | None:
        return self._enclosing(node)[1]

    def enclosing_loop(self, node: Node) -> Node | None:
        """The innermost `for` whose body holds `node`, within its function (loops.enclosing_loop's answer,
        from the census rather than `.parent` climbs)."""
        return self._enclosing(node)[0]

    def release_memos(self) -> None:
        """Drop the per-node memos filled during this file's pass (they hold a Python object per node
        asked about, a large part of peak memory on big packages); answers are recomputed on demand."""
        self._encl.clear()
        self._loop_bodies.clear()
        self._targets.clear()
        self._hot.clear()
        self._assignments.clear()

    def assignment(self, stmt: Node) -> Assignment:
        """The operator, targets and values of an assignment or short variable declaration: worked out
        once per statement for the several rules that visit every assignment of a file."""
        key = stmt.id
        found = self._assignments.get(key)
        if found is None:
            found = self._assignments[key] = assignment(stmt)
        return found

    def _enclosing(self, node: Node) -> tuple[Node | None, Node | None]:
        """(innermost loop whose body holds `node` within its function, innermost function) of `node`,
        from the file census's nesting of functions and loops (no `.parent` climb: each step of one costs
        a descent from the root in tree-sitter, and rules ask this for every node they visit)."""
        key = node.id
        hit = self._encl.get(key)
        if hit is not None:
            return hit
        census = self.index.census(self.file)
        fns = census.nesting(FUNCTION_TYPES, node)
        i = fns.around(node)
        fn = fns.nodes[i] if i >= 0 else None
        loops = census.nesting(_LOOPS, node)
        loop: Node | None = None
        j = loops.around(node)
        while j >= 0:
            candidate = loops.nodes[j]
            if fn is not None and loops.starts[j] <= fn.start_byte:
                break  # the loop is outside the function: the function's body does not repeat with it
            body = self._loop_bodies.get(candidate.id)
            if body is None:
                b = candidate.child_by_field_name("body")
                body = self._loop_bodies[candidate.id] = (
                    (b.start_byte, b.end_byte) if b is not None else (0, 0)
                )
            if body[0] <= node.start_byte and node.end_byte <= body[1]:
                loop = candidate
                break
            j = loops.parents[j]  # `node` is in the loop's header: the loop around it may repeat it
        facts = self._encl[key] = (loop, fn)
        return facts

    def hot_reason(self, node: Node) -> str | None:
        """Why `node` is hot ("in a loop", "in an HTTP handler", ...) or None."""
        key = node.id
        try:
            return self._hot[key]
        except KeyError:
            pass
        may = self._may_be_hot(node)
        if may is not True:
            # False: cold; a function node: a function with no loop and no literal, hot only for itself
            reason = None if may is False else self._own_hot_reason(may)
            self._hot[key] = reason
            return reason
        # a loop, else the function's own reason, memoised per function: hot_only rules ask
        # this for every node they visit, and the handler check parses parameter types
        if self.enclosing_loop(node) is not None:
            reason: str | None = "in a loop"
        else:
            fn = self.enclosing_function(node)
            reason = None if fn is None else self._own_hot_reason(fn)
        self._hot[key] = reason
        return reason

    def _own_hot_reason(self, fn: Node) -> str | None:
        fkey = -1 - fn.id  # negative: cannot collide with a node key in the same dict
        if fkey not in self._hot:
            reason = loops.function_own_hot_reason(fn, self.resolver, self.hot_functions)
            self._hot[fkey] = reason if reason is not None or not self.profiled else self._profiled_reason(fn)
        return self._hot[fkey]

    def _profiled_reason(self, fn: Node) -> str | None:
        """Why `fn` is hot by the profile (it was sampled: see gostatic/impact), by its start line, or
        by its declared name when the profile has no start lines."""
        if self._profiled_here is None:
            base = self.file.path.name
            self._profiled_here = {}
            for name, line, decl, reason in self.profiled:
                if name == base:
                    self._profiled_here[line if line > 0 else decl] = reason
        here = self._profiled_here
        reason = here.get(fn.start_point[0] + 1)
        if reason is None and fn.type != "func_literal":
            reason = here.get(loops.function_name(fn))
        return reason

    def is_hot(self, node: Node) -> bool:
        return self.hot_reason(node) is not None

    def _may_be_hot(self, node: Node) -> bool | Node:
        """False for a node of a package-level declaration holding no function literal: it runs once. The
        declaration itself for a node of a function or method with no loop and no literal: it is hot only
        if that function is (the same for every node in it, so no climb). True: climb and see. Answered
        by a bisect over the top-level declarations and a look at their bytes, because the parent walks of
        `hot_reason` cost O(siblings) per step in tree-sitter (seconds over ssa/opGen.go's 36k-entry table)
        and hot_only rules ask this for every node they visit."""
        if self._top is None:
            decls = self.file.tree.root_node.named_children
            self._top = ([d.start_byte for d in decls], decls, {})
        starts, decls, shape = self._top
        i = bisect.bisect_right(starts, node.start_byte) - 1
        if i < 0 or node.end_byte > decls[i].end_byte:
            return True
        decl = decls[i]
        if node == decl:
            return True
        answer = shape.get(i)
        if answer is None:
            body = self.source[decl.start_byte : decl.end_byte]
            if decl.type in ("var_declaration", "const_declaration"):
                answer = b"func" in body
            elif decl.type in ("function_declaration", "method_declaration"):
                # "for" and a second "func" also match inside names and strings: then climb, to be sure
                answer = decl if b"for" not in body and body.count(b"func") == 1 else True
            else:
                answer = True
            shape[i] = answer
        return answer

    def under_constant_condition(self, node: Node) -> bool:
        """In a branch of an `if` with a constant condition (`if debug {`): possibly compiled away."""
        return startup.under_constant_condition(node, self.resolver)

    def runs_at_startup(self, node: Node) -> bool:
        """`init`, package-level initializers, sync.Once callbacks, `Register*` functions: code that runs a
        bounded number of times, so what it stores in long-lived places is set-up, not growth."""
        return startup.runs_at_startup(node, self.resolver)

    def repeated_hot_reason(self, node: Node) -> str | None:
        """Like `hot_reason`, for claims about work repeated per iteration: a loop makes `node` hot only
        when it runs on every iteration (code on a path that leaves the loop — `return fmt.Errorf(...)`,
        `panic(...)`, `...; break` — runs once), and a looping goroutine only through its loop (the code
        around the loop runs once per goroutine)."""
        if flow.repeats_within(node, self.loops_between(None, node), self.resolver):
            return "in a loop"
        fn = self.enclosing_function(node)
        reason = self._own_hot_reason(fn) if fn is not None else None
        return None if reason == "in a looping goroutine" else reason

    def references(self, binding: Binding) -> list[Node]:
        return self.resolver.references(binding)

    def uses_after(self, binding: Binding, position: int) -> list[Node]:
        return flow.uses_after(binding, self.resolver, position)

    def escapes(self, binding: Binding) -> list[flow.Escape]:
        return flow.escapes(binding, self.resolver)

    def exits_without_call(self, stmt: Node, is_call: Callable[[Node], bool]) -> list[Node]:
        """Returns (or the function, for falling off its end) reachable after `stmt` with no matching call."""
        return flow.PathChecker(self.resolver, is_call).exits_without_call(stmt)

    def called_between(self, start: Node, end: Node | None, is_call: Callable[[Node], bool]) -> list[Node]:
        """Matching calls that may run after `start` and before `end` (None: before the function returns)."""
        return flow.called_between(start, end, is_call)

    def may_run_after(self, first: Node, later: Node) -> bool:
        """Whether `later` can run after `first` (same function, structure only)."""
        return flow.may_run_after(first, later)

    def loop_ways_out(self, loop: Node, receive_leaves: Callable[[Node], bool] | None = None) -> list[Node]:
        """return / break / goto / terminating calls (and accepted receives) that leave `loop`."""
        return loops.loop_ways_out(loop, self.resolver, receive_leaves)

    def assigned_local(self, expr: Node) -> tuple[Binding, Node] | None:
        """The local `expr` is bound to (`x := expr`, `x = expr.(T)`, `var x = expr`) and that statement."""
        return flow.assigned_local(expr, self.resolver)

    def is_terminating_call(self, call: Node | None) -> bool:
        """panic, os.Exit, log.Fatal*, runtime.Goexit, t.Fatal*: the goroutine does not go on."""
        return loops.is_terminating_call(call, self.resolver)

    def only_reference(self, binding: Binding) -> Node | None:
        """The single use of `binding` (declaration excluded), or None when it has none or several."""
        return flow.only_reference(binding, self.resolver)

    def runs_once_per(self, first: Node, then: Node) -> bool:
        """`then` is in `first`'s function and no loop repeats it without repeating `first`."""
        return self.enclosing_function(first) == self.enclosing_function(then) and not self.loops_between(
            first, then
        )

    def loops_between(self, outer: Node | None, inner: Node) -> list[Node]:
        """Loops (innermost first) that hold `inner` but not `outer` (None: every enclosing loop)."""
        out: list[Node] = []
        loop = self.enclosing_loop(inner)  # the census nesting, not flow's parent climbs
        while loop is not None and (outer is None or not contains(loop, outer)):
            out.append(loop)
            loop = self.enclosing_loop(loop)
        return out

    def repeats_within(self, node: Node, loops: list[Node]) -> bool:
        """`node` runs on more than one iteration of one of `loops` (not only before a return/break)."""
        return flow.repeats_within(node, loops, self.resolver)

    def reset_in_loop(self, loop: Node, binding: Binding) -> bool:
        """`loop`'s body assigns `binding` a value not built from itself (it starts over each iteration)."""
        return loops.reset_in_loop(loop, binding, self.resolver)

    def appended_once_per_iteration(self, loop: Node, binding: Binding) -> Node | None:
        """The `s = append(s, e)` statement when `s` grows by exactly one element per iteration of `loop`."""
        return flow.appended_once_per_iteration(loop, binding, self.resolver)

    def leaves_loop_after(self, stmt: Node, loop: Node) -> bool:
        """Every path after `stmt` leaves `loop` before it iterates again (return, break, panic...)."""
        return loops.leaves_loop_after(stmt, loop, self.resolver)

    def small_trip_count(self, loop: Node, limit: int = 8) -> bool:
        """The loop provably runs at most `limit` times (range over a short literal, `i < 3`, ...)."""
        return loops.small_trip_count(loop, self.resolver, limit)

    def statement_of(self, node: Node) -> Node:
        """The statement that contains `node` (the node itself when it is one)."""
        cur = node
        while cur.parent is not None and not (
            cur.type.endswith("_statement") or cur.type.endswith("_declaration")
        ):
            cur = cur.parent
        return cur

    def import_edit(self, path: str) -> Edit | None:
        """The edit that adds `import "path"` to this file (None when it is already imported under its
        default name or the file has no package clause). Every fix that needs the import carries this
        same edit; the fixer applies identical edits once."""
        if path in self.file.imports.paths:
            return None
        return imports_edit.add_import(self.file.tree.root_node, path)

    # ------------------------------------------------------------------------------ reporting
    def position(self, offset: int) -> Position:
        if self._lines is None:
            self._lines = LineIndex(self.source)
        return self._lines.position(offset)

    def report(
        self,
        node: Node,
        message: str,
        *,
        fix: Fix | None = None,
        severity: Severity | None = None,
        end: Node | None = None,
        rule: Reporting | None = None,
    ) -> None:
        rule = rule or self.current_rule
        assert rule is not None, "report() outside of a rule callback needs rule="
        self.add(rule.meta, node.start_byte, (end or node).end_byte, message, fix=fix, severity=severity)
        why = (
            self.not_worth(
                node,
                cheap=rule.meta.cheap_per_use,
                kept=rule.meta.process_lifetime,
                allocates=rule.meta.allocates,
            )
            if rule.meta.kind == "cost"
            else self._defect_not_worth(node)
        )
        if (
            why is None
            and rule.meta.process_lifetime
            and not self.scope.include_cold
            and self.one_shot_command()
        ):
            why = "one-shot"
        if why is not None:
            # kept apart, not dropped: a suppression comment on it is still in use (no SUP001)
            self.hidden[why] = self.hidden.get(why, 0) + 1
            self.hidden_findings.append(self.findings.pop())

    def not_worth(
        self, node: Node, *, cheap: bool = False, kept: bool = False, allocates: bool = False
    ) -> str | None:
        """Why a cost found at `node` is not worth reporting: "tests" (a `_test.go` file, outside a
        benchmark), "cold" (code that runs once or rarely: `analysis/cold.py`) or "unsampled" (a block of
        a sampled function no profile sample reached: `analysis/sampled.py`), unless the run's scope
        includes them; None when it is worth reporting. A function the configuration or a profile names
        hot is not cold for its own sake (its name, its callers), only on a cold path inside it. `kept`:
        the claim is memory kept for the process's life (`RuleMeta.process_lifetime`), which a block the
        CPU samples missed may still pin: their silence says nothing of it. `allocates`: the claim is a
        heap allocation (`RuleMeta.allocates`), of which an allocation profile's silence speaks."""
        fn = self.resolver.top_function(node)
        if not self.scope.include_tests and (
            (self.file.is_test and not self._timed_in_benchmark(fn, node))
            or _takes_testing_t(fn)
            or _test_support(self.file.package, self.file.display)
        ):
            return "tests"
        if self.scope.include_cold:
            return None
        hot = fn is not None and bool(
            loops.configured_hot(fn, self.hot_functions) or (self.profiled and self._profiled_reason(fn))
        )
        # a function the configuration or a profile says runs hot is not cold as a whole, but its error
        # paths, once-guards and debug switches still are: the samples are the other paths'
        if self.cold_reason(node, hot_function=hot, cheap=cheap) is not None:
            return "cold"  # first: a reason the source gives holds with any profile, or none
        evidence = self.scope.sampled_by
        if (
            not kept  # memory kept for the process's life: one run of a block the samples missed can pin it
            and (evidence == "cpu" or (evidence == "alloc" and allocates))
            and fn is not None
            and self._sampled is not None
            and fn.start_point[0] + 1 in self._sampled[1]  # the profile describes this function as it is
            and sampled.unsampled_block(node, self._sampled[0])
        ):
            return "unsampled"  # the profile's own evidence: the function ran, this block of it did not
        return None

    def _defect_not_worth(self, node: Node) -> str | None:
        """A defect is reported wherever it is, except in code that never runs (`analysis/deadcode.py`):
        a leak there cannot happen in the program as built. "dead", unless the scope includes cold code."""
        if self.scope.include_cold or self.never_runs(node) is None:
            return None
        return "dead"

    def one_shot_command(self) -> str | None:
        """The command (`cmd/compile`) whose process runs to completion with this file's package, or None
        when it may live on (`analysis/lifetime.py`): memory kept for the life of that process is freed
        when it exits. The planner asked (`PackageJob.one_shot`)."""
        return self.scope.one_shot

    def never_runs(self, node: Node) -> str | None:
        """Why the code at `node` never runs (a constant-false branch, a function called only from one),
        or None. Past a nesting of functions no real code reaches, None (see `cold_reason`)."""
        fn = self.enclosing_function(node)
        for _ in range(_MAX_COLD_NESTING):
            if fn is None:
                return deadcode.never_runs(node, self.resolver)
            fn = self.enclosing_function(fn)
        return None

    def cold_reason(self, node: Node, *, hot_function: bool = False, cheap: bool = False) -> str | None:
        """Why the code at `node` runs once or rarely (`analysis/cold.py`), or None. Past a nesting of
        functions no real code reaches, the answer is "not known to be cold": the question walks the
        chain of ancestors, per finding, and a pathological file (`go func(){ for { defer func(){ …`
        thousands deep) must not make that quadratic."""
        fn = self.enclosing_function(node)
        for _ in range(_MAX_COLD_NESTING):
            if fn is None:
                # cold first: its answers are mostly local; code that never runs needs the package's
                # calls of the function (asked only for what nothing else has hidden)
                chain = path_to(self.file.tree.root_node, node)  # one walk down for both questions
                return cold.cold_reason(
                    node, self.resolver, hot_function=hot_function, cheap=cheap, chain=chain
                ) or deadcode.never_runs(node, self.resolver, chain=chain)
            fn = self.enclosing_function(fn)
        return None

    def _timed_in_benchmark(self, fn: Node | None, node: Node) -> bool:
        """`node` is in the timed loop of `func BenchmarkX(b *testing.B)` (`for i := 0; i < b.N; i++`,
        `for b.Loop()`, `for range b.N`, `for pb.Next()`): the one test code whose cost is the point.
        Its set-up (sub-benchmark names, input data) runs once per benchmark."""
        if not _is_benchmark(fn):
            return False
        for anc in path_to(self.file.tree.root_node, node):
            if anc.type == "for_statement" and _TIMED_LOOP.search(
                self.source, anc.start_byte, _header_end(anc)
            ):
                body = anc.child_by_field_name("body")
                if body is not None and body.start_byte <= node.start_byte:
                    return True
        return False

    def add(
        self,
        meta: RuleMeta,
        start_byte: int,
        end_byte: int,
        message: str,
        *,
        fix: Fix | None = None,
        severity: Severity | None = None,
    ) -> None:
        self.findings.append(
            Finding(
                path=self.file.display,
                start=self.position(start_byte),
                end=self.position(end_byte),
                start_byte=start_byte,
                end_byte=end_byte,
                code=meta.code,
                name=meta.name,
                severity=severity or meta.severity,
                message=message,
                fix=fix,
            )
        )


class PackageContext:
    """The package being analysed, for `begin_package` / `finish_package`."""

    def __init__(self, index: PackageIndex, files: list[FileContext]) -> None:
        self.index = index
        self.files = files

    def context_for(self, file: SourceFile) -> FileContext:
        return next(fc for fc in self.files if fc.file is file)

    @property
    def non_test_files(self) -> list[FileContext]:
        return [fc for fc in self.files if not fc.file.is_test]


def _header_end(loop: Node) -> int:
    body = loop.child_by_field_name("body")
    return body.start_byte if body is not None else loop.end_byte


_TIMED_LOOP = re.compile(rb"\.N\b|\.Loop\(\)|\.Next\(\)")


def _is_benchmark(fn: Node | None) -> bool:
    """`func BenchmarkX(b *testing.B)`."""
    if fn is None or fn.type != "function_declaration":
        return False
    name = fn.child_by_field_name("name")
    params = fn.child_by_field_name("parameters")
    return (
        name is not None
        and text(name).startswith(b"Benchmark")
        and params is not None
        and text(params).replace(b" ", b"").endswith(b"*testing.B)")
    )

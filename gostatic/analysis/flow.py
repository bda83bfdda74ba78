"""Shared control- and data-flow questions over Go's structured statements, answered once for all rules.

- where is the enclosing loop, and is this code hot;
- where does a value go after it is made (returned, stored, sent, passed on, captured);
- is a call made on every path out of a function from a given statement on.

All answers are syntactic and conservative in the direction that keeps rules quiet.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Iterator

import attrs

from gostatic.analysis.index import SourceFile
from gostatic.analysis.scopes import Binding, Resolver
from gostatic.analysis.types import GoType
from gostatic.parse.syntax import (
    FUNCTION_TYPES,
    Node,
    call_args,
    called_selector,
    contains,
    enclosing_function,
    expression_list,
    paren_root,
    statements,
    text,
    unparen,
    walk,
)

TERMINATING_CALLS = frozenset(
    {"panic", "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf", "log.Panicln"}
)
TESTING_FATAL = frozenset({"Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow"})
_VALUE_WRAPPERS = frozenset(
    {
        "parenthesized_expression",
        "slice_expression",
        "type_assertion_expression",
        "type_conversion_expression",
    }
)


# ------------------------------------------------------------------------------------------ loops & hot
def enclosing_loop(node: Node) -> Node | None:
    """The innermost `for` whose body contains `node`, without crossing a function boundary."""
    child = node
    p = node.parent
    while p is not None:
        if p.type in FUNCTION_TYPES:
            return None
        if p.type == "for_statement":
            body = p.child_by_field_name("body")
            if body is not None and contains(body, child):
                return p
        child = p
        p = p.parent
    return None


def loop_depth(node: Node) -> int:
    depth = 0
    loop = enclosing_loop(node)
    while loop is not None:
        depth += 1
        loop = enclosing_loop(loop)
    return depth


def is_infinite_loop(loop: Node) -> bool:
    """`for {}` (no clause, no condition)."""
    return all(c.type in ("for", "block", "comment") for c in loop.children)


def function_name(fn: Node) -> str:
    """`Name` or `Recv.Name` for declarations; "" for literals."""
    name = fn.child_by_field_name("name")
    if name is None:
        return ""
    if fn.type == "method_declaration":
        from gostatic.analysis.index import receiver_type_name

        recv = receiver_type_name(fn)
        return f"{recv}.{text(name).decode()}" if recv else text(name).decode()
    return text(name).decode()


def is_http_handler(fn: Node, resolver: Resolver) -> bool:
    if fn.type == "method_declaration":
        name = fn.child_by_field_name("name")
        if name is not None and name.text == b"ServeHTTP":
            return True
    params = fn.child_by_field_name("parameters")
    if params is None or b"ResponseWriter" not in (params.text or b""):
        return False  # however the package is imported, the writer's type is spelled ResponseWriter
    seen_writer = seen_request = False
    for p in params.named_children:
        t = resolver.type_node(p.child_by_field_name("type"))
        if t is None:
            continue
        if t.is_named("net/http.ResponseWriter"):
            seen_writer = True
        elif t.kind == "pointer" and t.elem is not None and t.elem.is_named("net/http.Request"):
            seen_request = True
    return seen_writer and seen_request


def goroutine_body(fn: Node) -> bool:
    """A func literal launched by `go func() {...}()`."""
    if fn.type != "func_literal":
        return False
    call = fn.parent
    return (
        call is not None
        and call.type == "call_expression"
        and call.parent is not None
        and (call.parent.type == "go_statement")
    )


# ------------------------------------------------------------------------------------------ data flow
@attrs.define
class Escape:
    """One way a value leaves its function: kind is returned, stored, sent, passed, captured or aliased."""

    kind: str
    node: Node  # the reference
    at: Node  # the statement or call where it leaves


def value_context(ref: Node) -> tuple[Node, Node | None]:
    """Climb from a reference through expressions that keep its value (parentheses, &x, x[:], conversions)
    and return (outermost such expression, its parent)."""
    cur = ref
    parent = cur.parent
    while parent is not None:
        if (parent.type in _VALUE_WRAPPERS and parent.named_children and parent.named_children[0] == cur) or (
            parent.type == "unary_expression"
            and parent.child_by_field_name("operator") is not None
            and (
                parent.child_by_field_name("operator").type in ("&", "*")  # type: ignore[union-attr]
            )
        ):
            cur = parent
        else:
            break
        parent = cur.parent
    return cur, parent


def escapes(binding: Binding, resolver: Resolver, refs: list[Node] | None = None) -> list[Escape]:
    """Every place where the value of a local leaves its function or is copied to another name."""
    if binding.scope is None:
        return []
    out: list[Escape] = []
    if binding.kind == "result" and binding.ident is not None and binding.decl is not None:
        out.append(Escape("returned", binding.ident, binding.decl))  # a named result leaves on every return
    home = binding.scope if binding.scope.type in FUNCTION_TYPES else enclosing_function(binding.scope)
    for ref in resolver.references(binding) if refs is None else refs:
        fn = enclosing_function(ref)
        if fn is not None and home is not None and fn != home and contains(home, fn):
            out.append(Escape("captured", ref, fn))
            continue
        expr, parent = value_context(ref)
        if parent is None:
            continue
        ptype = parent.type
        if ptype == "expression_list":
            holder = parent.parent
            if holder is None:
                continue
            if holder.type == "return_statement":
                out.append(Escape("returned", ref, holder))
            elif holder.type in ("assignment_statement", "short_var_declaration"):
                out.extend(_assignment_escape(holder, parent, expr, ref, resolver))
            elif holder.type == "var_spec":
                out.append(Escape("aliased", ref, holder))
        elif ptype == "return_statement":
            out.append(Escape("returned", ref, parent))
        elif ptype == "send_statement" and parent.child_by_field_name("value") == expr:
            out.append(Escape("sent", ref, parent))
        elif ptype == "argument_list":
            call = parent.parent
            if call is not None and not _is_harmless_builtin(call, resolver):
                out.append(Escape("passed", ref, call))
        elif ptype in ("literal_element", "keyed_element"):
            out.append(Escape("stored", ref, parent))
    return out


def _assignment_escape(
    stmt: Node, right_list: Node, expr: Node, ref: Node, resolver: Resolver
) -> list[Escape]:
    if stmt.child_by_field_name("right") != right_list:
        return []  # the reference is written to, not read
    rights = expression_list(right_list)
    lefts = expression_list(stmt.child_by_field_name("left"))
    idx = next((i for i, r in enumerate(rights) if r == expr), -1)
    if idx < 0 or len(lefts) != len(rights):
        return [Escape("aliased", ref, stmt)]
    target = unparen(lefts[idx])
    if target is None or (target.type == "identifier" and target.text == b"_"):
        return []
    if target.type == "identifier":
        b = resolver.resolve(target)
        if b is not None and b.is_local:
            return [Escape("aliased", ref, stmt)]
    return [Escape("stored", ref, stmt)]


def _is_harmless_builtin(call: Node, resolver: Resolver) -> bool:
    fn = unparen(call.child_by_field_name("function"))
    return (
        fn is not None and fn.type == "identifier" and fn.text in (b"len", b"cap") and resolver.is_builtin(fn)
    )


def uses_after(binding: Binding, resolver: Resolver, position: int) -> list[Node]:
    return [r for r in resolver.references(binding) if r.start_byte >= position]


# ------------------------------------------------------------------------------------------ all paths
@attrs.define
class _Outcome:
    leaks: list[Node] = attrs.Factory(list)
    falls: bool = True


class PathChecker:
    """Is a call (recognised by `is_call`) made on every path out of a function after a statement?"""

    def __init__(self, resolver: Resolver, is_call: Callable[[Node], bool]) -> None:
        self.resolver = resolver
        self.is_call = is_call

    def exits_without_call(self, stmt: Node) -> list[Node]:
        """The `return` statements (or the function node, for falling off its end) reachable after `stmt`
        without the call having been made."""
        leaks: list[Node] = []
        cur = stmt
        while True:
            holder = cur.parent
            while (
                holder is not None
                and holder.type not in ("statement_list", "block")
                and (holder.type not in FUNCTION_TYPES)
            ):
                if holder.type in ("expression_case", "default_case", "type_case", "communication_case"):
                    break
                holder = holder.parent
            if holder is None or holder.type in FUNCTION_TYPES:
                return leaks
            siblings = statements(holder)
            try:
                i = next(k for k, s in enumerate(siblings) if contains(s, cur))
            except StopIteration:
                return leaks
            out = self._seq(siblings[i + 1 :])
            leaks.extend(out.leaks)
            if not out.falls:
                return leaks
            # fall out of this list into the statement that contains it
            compound = holder
            while compound is not None and not (
                compound.type.endswith("_statement") or compound.type in FUNCTION_TYPES
            ):
                compound = compound.parent
            if compound is None:
                return leaks
            if compound.type in FUNCTION_TYPES:
                leaks.append(compound)
                return leaks
            cur = compound

    def _seq(self, stmts: list[Node]) -> _Outcome:
        result = _Outcome()
        for s in stmts:
            o = self._stmt(s)
            result.leaks.extend(o.leaks)
            if not o.falls:
                result.falls = False
                return result
        return result

    def _calls(self, node: Node) -> bool:
        for n in walk(node, prune=FUNCTION_TYPES):
            if n.type == "func_literal" and n != node:
                continue
            if self.is_call(n):
                return True
        return False

    def _stmt(self, s: Node) -> _Outcome:
        t = s.type
        if t == "defer_statement":
            # a deferred call, or a deferred literal that makes the call, covers every later exit
            body = s.named_children[0] if s.named_children else None
            if body is not None and (self.is_call(body) or any(self.is_call(n) for n in walk(body))):
                return _Outcome(falls=False)
            return _Outcome()
        if t == "return_statement":
            if self._calls(s):
                return _Outcome(falls=False)
            return _Outcome([s], False)
        if t == "expression_statement":
            if self._calls(s):
                return _Outcome(falls=False)
            if self._terminates(s):
                return _Outcome(falls=False)
            return _Outcome()
        if t in ("assignment_statement", "short_var_declaration", "send_statement", "inc_statement",
                 "dec_statement", "var_declaration", "go_statement"):  # fmt: skip
            return _Outcome(falls=not self._calls(s))  # `go cancel()` calls it too
        if t == "block":
            return self._seq(statements(s))
        if t == "labeled_statement":
            inner = [c for c in s.named_children if c.type != "label_name"]
            return self._stmt(inner[0]) if inner else _Outcome()
        if t == "if_statement":
            init = s.child_by_field_name("initializer")
            if init is not None and self._calls(init):
                return _Outcome(falls=False)
            cons = self._seq(statements(s.child_by_field_name("consequence")))
            alt_node = s.child_by_field_name("alternative")
            if alt_node is None:
                alt = _Outcome()
            elif alt_node.type == "if_statement":
                alt = self._stmt(alt_node)
            else:
                alt = self._seq(statements(alt_node))
            return _Outcome(cons.leaks + alt.leaks, cons.falls or alt.falls)
        if t == "for_statement":
            body = self._seq(statements(s.child_by_field_name("body")))
            falls = True
            if is_infinite_loop(s):
                falls = any(n.type == "break_statement" for n in walk(s, prune=FUNCTION_TYPES))
            return _Outcome(body.leaks, falls)
        if t in ("expression_switch_statement", "type_switch_statement", "select_statement"):
            leaks: list[Node] = []
            falls = False
            has_default = False
            for case in s.named_children:
                if case.type not in ("expression_case", "type_case", "default_case", "communication_case"):
                    continue
                has_default = has_default or case.type == "default_case"
                o = self._seq(statements(case))
                leaks.extend(o.leaks)
                falls = falls or o.falls
            if not has_default and t != "select_statement":
                falls = True
            if any(n.type == "break_statement" for n in walk(s, prune=FUNCTION_TYPES | {"for_statement"})):
                falls = True
            return _Outcome(leaks, falls)
        if t in ("break_statement", "continue_statement", "goto_statement"):
            return _Outcome(falls=True)
        return _Outcome()

    def _terminates(self, s: Node) -> bool:
        return _terminates(s, self.resolver)


def _terminates(s: Node, resolver: Resolver) -> bool:
    """An expression statement that ends the goroutine (panic, os.Exit, log.Fatal, t.Fatal...)."""
    return bool(s.named_children) and is_terminating_call(s.named_children[0], resolver)


# ------------------------------------------------------------------------------------------ loop exits
_CASES = frozenset({"expression_case", "type_case", "default_case", "communication_case"})


def leaves_loop_after(stmt: Node, loop: Node, resolver: Resolver) -> bool:
    """Whether every path from just after `stmt` leaves `loop` (return, break of that loop, panic,
    os.Exit...) before the loop can start another iteration. Used where something done once per
    iteration only matters if the loop iterates again (a defer, a timer)."""
    cur = stmt
    body = loop.child_by_field_name("body")
    while cur is not None and cur != body:
        holder = cur.parent
        if holder is None:
            return False
        if holder.type in ("statement_list", "block") or holder.type in _CASES:
            siblings = statements(holder)
            later = [s for s in siblings if s.start_byte > cur.start_byte]
            if _seq_leaves(later, resolver, in_case=holder.type in _CASES or _parent_is_case(holder)):
                return True
        cur = holder
    return False


def _parent_is_case(node: Node) -> bool:
    return node.parent is not None and node.parent.type in _CASES


def _seq_leaves(stmts: list[Node], resolver: Resolver, in_case: bool) -> bool:
    for s in stmts:
        if _stmt_leaves(s, resolver, in_case):
            return True
        if s.type == "continue_statement":
            return False
    return False


def _stmt_leaves(s: Node, resolver: Resolver, in_case: bool) -> bool:
    t = s.type
    if t in ("return_statement", "goto_statement"):
        return True
    if t == "break_statement":
        return bool(s.named_children) or not in_case  # a labelled break leaves at least this loop
    if t == "expression_statement":
        return _terminates(s, resolver)
    if t == "block":
        return _seq_leaves(statements(s), resolver, in_case)
    if t == "if_statement":
        alt = s.child_by_field_name("alternative")
        if alt is None:
            return False
        cons = _seq_leaves(statements(s.child_by_field_name("consequence")), resolver, in_case)
        other = (
            _stmt_leaves(alt, resolver, in_case)
            if alt.type == "if_statement"
            else _seq_leaves(statements(alt), resolver, in_case)
        )
        return cons and other
    return False


def small_trip_count(loop: Node, resolver: Resolver, limit: int = 8) -> bool:
    """Whether the loop provably runs at most `limit` times: a range over a composite literal (directly or
    through a local that is never reassigned or appended to), over a small integer constant, or a
    `for i := a; i < N; i++` with small constant bounds."""
    clause = next((c for c in loop.named_children if c.type in ("range_clause", "for_clause")), None)
    if clause is None:
        return False
    if clause.type == "range_clause":
        right = unparen(clause.child_by_field_name("right"))
        if right is None:
            return False
        if right.type == "identifier":
            b = resolver.resolve(right)
            if b is None or not b.is_local or b.value is None or b.value_count != 1:
                return False
            if any(_written(r) for r in resolver.references(b)):
                return False
            right = unparen(b.value)
        if right is not None and right.type == "composite_literal":
            body = right.child_by_field_name("body")
            n = 0 if body is None else sum(1 for c in body.named_children if c.type != "comment")
            return n <= limit
        if right is not None and right.type == "int_literal":
            return _int(right) is not None and _int(right) <= limit  # type: ignore[operator]
        return False
    init = clause.child_by_field_name("initializer")
    cond = clause.child_by_field_name("condition")
    if init is None or cond is None or cond.type != "binary_expression":
        return False
    start = expression_list(init.child_by_field_name("right")) if init.type == "short_var_declaration" else []
    bound = cond.child_by_field_name("right")
    op = cond.child_by_field_name("operator")
    lo = _int(start[0]) if len(start) == 1 else None
    hi = _int(bound) if bound is not None else None
    if lo is None or hi is None or op is None or op.type not in ("<", "<="):
        return False
    return hi - lo + (1 if op.type == "<=" else 0) <= limit


def _int(node: Node | None) -> int | None:
    if node is None or node.type != "int_literal":
        return None
    try:
        return int(text(node).decode().replace("_", ""), 0)
    except ValueError:
        return None


def _written(ref: Node) -> bool:
    """A reference that is assigned to, or appended to (`x = append(x, ...)`)."""
    parent = ref.parent
    if parent is not None and parent.type == "expression_list":
        stmt = parent.parent
        if stmt is not None and stmt.type in ("assignment_statement", "short_var_declaration"):
            return stmt.child_by_field_name("left") == parent
    if parent is not None and parent.type == "argument_list":
        call = parent.parent
        fn = call.child_by_field_name("function") if call is not None else None
        return fn is not None and fn.text == b"append"
    return parent is not None and parent.type in ("inc_statement", "dec_statement")


# ------------------------------------------------------------------------------------------ loop exits
_BREAK_TARGETS = frozenset(
    {"for_statement", "expression_switch_statement", "type_switch_statement", "select_statement"}
)


def loop_exit(node: Node, loop: Node, resolver: Resolver) -> str | None:
    """How code at `node` (inside `loop`'s body) leaves `loop` before its next iteration: "return" (a
    `return`, `panic` or terminating call follows it in its block), "break" (a `break` of that loop
    follows), or None when it may run again on the next iteration. Used to tell per-iteration work from
    an error path that runs once (`return fmt.Errorf(...)` inside a loop)."""
    body = loop.child_by_field_name("body")
    cur = node
    while cur is not None and cur != body:
        parent = cur.parent
        if parent is None:
            return None
        if parent.type in ("block", "statement_list", "expression_case", "default_case", "type_case",
                           "communication_case"):  # fmt: skip
            siblings = [c for c in parent.named_children if c.type != "comment"]
            if cur in siblings:
                for s in siblings[siblings.index(cur) :]:
                    kind = _exit_kind(s, loop, resolver)
                    if kind is not None:
                        return kind
        cur = parent
    return None


def _exit_kind(s: Node, loop: Node, resolver: Resolver) -> str | None:
    if s.type == "return_statement":
        return "return"
    if s.type == "expression_statement" and _terminates(s, resolver):
        return "return"
    if s.type == "break_statement":
        if s.named_children:
            return "break"  # a labelled break leaves at least the innermost labelled statement
        return "break" if _break_target(s) == loop else None
    return None


def function_own_hot_reason(fn: Node, resolver: Resolver, hot_functions: Iterable[str] = ()) -> str | None:
    """Why code directly in function `fn` runs often (handler, looping goroutine, configured name): a fact
    of the function, so callers can memoise it per function instead of per node."""
    if is_http_handler(fn, resolver):
        return "in an HTTP handler"
    if goroutine_body(fn):
        body = fn.child_by_field_name("body")
        if body is not None and any(n.type == "for_statement" for n in walk(body, prune=FUNCTION_TYPES)):
            return "in a looping goroutine"
    patterns = list(hot_functions)
    if patterns:
        name = function_name(fn)
        if name and any(fnmatch.fnmatchcase(name, pat) for pat in patterns):
            return f"in hot function {name}"
    return None


# ------------------------------------------------------------------------------------------ single uses
def only_reference(binding: Binding, resolver: Resolver) -> Node | None:
    """The one identifier that refers to `binding` (its declaration excluded), or None when there are none
    or several. "Is this value used only as X" questions start here: the caller then checks that one use."""
    refs = resolver.references(binding)
    return refs[0] if len(refs) == 1 else None


def repeats_within(node: Node, loops: list[Node], resolver: Resolver) -> bool:
    """Whether `node` runs on more than one iteration of one of `loops` (innermost first, as from
    `FileContext.loops_between`): code followed by a `return` runs once; by a `break` of loop L, once per iteration of
    the loop around L."""
    inner = node
    for loop in loops:
        kind = loop_exit(inner, loop, resolver)
        if kind is None:
            return True
        if kind == "return":
            return False
        inner = loop
    return False


def _jump_target(jump: Node) -> Node | None:
    """The statement a `break`/`continue` leaves or restarts (labelled: the labelled statement's body)."""
    label = next((c for c in jump.named_children if c.type == "label_name"), None)
    p = jump.parent
    while p is not None and p.type not in FUNCTION_TYPES:
        if label is not None:
            if p.type == "labeled_statement":
                name = next((c for c in p.named_children if c.type == "label_name"), None)
                if name is not None and name.text == label.text:
                    return next((c for c in p.named_children if c.type != "label_name"), None)
        elif p.type == "for_statement" or (jump.type == "break_statement" and p.type in _BREAK_TARGETS):
            return p
        p = p.parent
    return None


def appended_once_per_iteration(loop: Node, binding: Binding, resolver: Resolver) -> Node | None:
    """The statement `s = append(s, e)` (one element, no `...`) when it is the only mention of `s` in
    `loop`, sits directly in the loop body (no `if`/`switch`/inner loop around it) and no `continue`,
    `break` of the loop or `goto` can skip it: then `s` grows by exactly one element per iteration.
    A `return` may leave early (the slice is dropped or returned as is). None otherwise."""
    body = loop.child_by_field_name("body")
    if body is None:
        return None
    found: Node | None = None
    for s in statements(body):
        if s.type != "assignment_statement" or s.child_by_field_name("operator") is None:
            continue
        left = expression_list(s.child_by_field_name("left"))
        right = expression_list(s.child_by_field_name("right"))
        op = s.child_by_field_name("operator")
        if op is None or op.type != "=" or len(left) != 1 or len(right) != 1 or left[0].type != "identifier":
            continue
        if resolver.resolve(left[0]) is not binding:
            continue
        call = unparen(right[0])
        if call is None or call.type != "call_expression":
            return None
        fn = unparen(call.child_by_field_name("function"))
        if fn is None or fn.type != "identifier" or fn.text != b"append" or not resolver.is_builtin(fn):
            return None
        args = call_args(call)
        if len(args) != 2 or args[1].type == "variadic_argument":
            return None
        first = unparen(args[0])
        if first is None or first.type != "identifier" or resolver.resolve(first) is not binding:
            return None
        if found is not None:
            return None
        found = s
    if found is None:
        return None
    for ref in resolver.references(binding):
        if contains(loop, ref) and not contains(found, ref):
            return None
    for n in walk(body, prune=FUNCTION_TYPES):
        if n.type == "goto_statement":
            return None
        if n.type in ("continue_statement", "break_statement"):
            target = _jump_target(n)
            if target is None or target == loop:
                return None
    return found


# ------------------------------------------------------------------------------------------ ways out, order
def is_terminating_call(call: Node | None, resolver: Resolver) -> bool:
    """`panic(...)`, `os.Exit`, `log.Fatal*`/`log.Panic*`, `runtime.Goexit()`, or `t.Fatal*`/`t.Skip*` on a
    `testing` value: a call after which the goroutine does not continue."""
    call = unparen(call)
    if call is None or call.type != "call_expression":
        return False
    fn = unparen(call.child_by_field_name("function"))
    if fn is None:
        return False
    if fn.type == "identifier":
        return fn.text == b"panic" and resolver.is_builtin(fn)
    if fn.type != "selector_expression":
        return False
    member = resolver.package_member(fn)
    if member is not None:
        return member in _GOROUTINE_ENDS
    field = fn.child_by_field_name("field")
    if field is not None and text(field).decode() in TESTING_FATAL:
        t = resolver.type_of(fn.child_by_field_name("operand"))
        return t is not None and t.deref().pkg == "testing"
    return False


_GOROUTINE_ENDS = TERMINATING_CALLS | {"runtime.Goexit"}


def loop_ways_out(
    loop: Node, resolver: Resolver, receive_leaves: Callable[[Node], bool] | None = None
) -> list[Node]:
    """Every syntactic way out of `loop` found in its body (func literals excluded): `return`, a `break`
    that binds to this loop (unlabelled and not inside an inner for/switch/select, or labelled with a label
    not declared inside the loop), a `goto` to a label outside it, a terminating call (`panic`, `os.Exit`,
    `log.Fatal`, `runtime.Goexit`), and, when `receive_leaves` is given, each channel receive (`<-ch`, a
    `range ch` clause) it accepts, as the place where a closed or signalled channel ends the loop."""
    body = loop.child_by_field_name("body")
    if body is None:
        return []
    inner_labels = {
        text(n.child_by_field_name("label") or n).decode()
        for n in walk(body, prune=FUNCTION_TYPES)
        if n.type == "labeled_statement"
    }
    out: list[Node] = []
    for n in walk(body, prune=FUNCTION_TYPES):
        t = n.type
        if t == "return_statement":
            out.append(n)
        elif t in ("break_statement", "goto_statement"):
            label = next((c for c in n.named_children if c.type == "label_name"), None)
            if label is not None:
                if text(label).decode() not in inner_labels:
                    out.append(n)
            elif t == "break_statement" and _break_target(n) == loop:
                out.append(n)
        elif (t == "call_expression" and is_terminating_call(n, resolver)) or (
            receive_leaves is not None and _is_receive(n) and receive_leaves(n)
        ):
            out.append(n)
    return out


def _break_target(brk: Node) -> Node | None:
    target = brk.parent
    while target is not None and target.type not in _BREAK_TARGETS and target.type not in FUNCTION_TYPES:
        target = target.parent
    return target


def _is_receive(n: Node) -> bool:
    if n.type == "unary_expression":
        op = n.child_by_field_name("operator")
        return op is not None and op.type == "<-"
    return n.type == "range_clause"


def received_channel(n: Node) -> Node | None:
    """The channel expression of a receive `<-ch` or of a `range ch` clause."""
    if n.type == "unary_expression":
        return unparen(n.child_by_field_name("operand"))
    if n.type == "range_clause":
        return unparen(n.child_by_field_name("right"))
    return None


def called_between(start: Node, end: Node | None, is_call: Callable[[Node], bool]) -> list[Node]:
    """Nodes matching `is_call` that may run after `start` and before `end` (None: before the function
    returns), within the function that contains `start` (func literals defined there included).

    Syntactic over-approximation of "on some path from start to end": everything textually between the
    two, plus the whole body of every loop that contains both (its earlier part runs again on the next
    iteration). Rules use it to stay quiet when a call *may* happen, e.g. a Reset between Get and Put."""
    fn = enclosing_function(start)
    if fn is None:
        return []
    lo, hi = start.end_byte, fn.end_byte if end is None else end.start_byte
    ranges = [(lo, hi)]
    loop = enclosing_loop(start)
    while loop is not None:
        if end is None or contains(loop, end):
            ranges.append((loop.start_byte, loop.end_byte))
        loop = enclosing_loop(loop)
    return [
        n for n in walk(fn) if any(a <= n.start_byte and n.end_byte <= b for a, b in ranges) and is_call(n)
    ]


def may_run_after(first: Node, later: Node) -> bool:
    """Whether `later` can run after `first` completes, by structure alone: it comes later in the text,
    is not in another branch of an if/switch/select they share, and no `return`, `break`, `continue`,
    `goto` or `panic` in between ends the statement list holding `first` before `later` is reached.
    (Loop back edges are ignored: code earlier in a loop body is not considered.)"""
    if later.start_byte < first.end_byte:
        return False
    anc = first.parent
    while anc is not None and not contains(anc, later):
        anc = anc.parent
    if anc is None:
        return False
    if anc.type in _BRANCHING:
        a = _child_towards(anc, first)
        b = _child_towards(anc, later)
        if a is not None and b is not None and a != b and not (anc.type == "if_statement" and (
            a == anc.child_by_field_name("condition") or a == anc.child_by_field_name("initializer")
        )):  # fmt: skip
            return False
    # from `first` up to the common ancestor: a terminating statement after `first` in its list stops it
    cur = first
    while cur is not None and cur != anc:
        parent = cur.parent
        if parent is None:
            break
        if parent.type in ("block", "statement_list", "expression_case", "default_case", "type_case",
                           "communication_case"):  # fmt: skip
            siblings = [c for c in parent.named_children if c.type != "comment"]
            if cur in siblings:
                for s in siblings[siblings.index(cur) + 1 :]:
                    if s.start_byte >= later.start_byte or contains(s, later):
                        break
                    if _ends_list(s):
                        return False
        cur = parent
    return True


_BRANCHING = frozenset(
    {"if_statement", "expression_switch_statement", "type_switch_statement", "select_statement"}
)


def _child_towards(anc: Node, node: Node) -> Node | None:
    for c in anc.children:
        if contains(c, node):
            return c
    return None


def _ends_list(s: Node) -> bool:
    if s.type in ("return_statement", "break_statement", "continue_statement", "goto_statement"):
        return True
    if s.type == "expression_statement" and s.named_children:
        call = s.named_children[0]
        fn = call.child_by_field_name("function") if call.type == "call_expression" else None
        if fn is not None and fn.type == "identifier" and fn.text == b"panic":
            return True
    return False


def assigned_local(expr: Node, resolver: Resolver) -> tuple[Binding, Node] | None:
    """The local variable that `expr`'s value is bound to, and the binding statement: `x := expr`,
    `x = expr`, `var x = expr`, also through parentheses and a type assertion (`x := p.Get().(*T)`,
    `x, ok := v.(*T)`). None for anything else (a field, a package variable, part of a larger expression)."""
    cur = expr
    while cur.parent is not None and (
        cur.parent.type == "parenthesized_expression"
        or (
            cur.parent.type == "type_assertion_expression"
            and cur.parent.child_by_field_name("operand") == cur
        )
    ):
        cur = cur.parent
    lst = cur.parent
    if lst is None:
        return None
    stmt = lst.parent if lst.type == "expression_list" else lst
    if stmt is None or stmt.type not in ("short_var_declaration", "assignment_statement", "var_spec"):
        return None
    if stmt.type == "assignment_statement":
        op = stmt.child_by_field_name("operator")
        if op is None or op.type != "=":
            return None
    right_field = "value" if stmt.type == "var_spec" else "right"
    if stmt.child_by_field_name(right_field) not in (lst, cur):
        return None
    rights = expression_list(stmt.child_by_field_name(right_field))
    lefts = (
        list(stmt.children_by_field_name("name"))
        if stmt.type == "var_spec"
        else expression_list(stmt.child_by_field_name("left"))
    )
    if cur not in rights:
        return None
    i = rights.index(cur)
    if len(rights) == len(lefts):
        target = lefts[i]
    elif len(rights) == 1 and cur.type == "type_assertion_expression" and len(lefts) == 2:
        target = lefts[0]  # x, ok := v.(T)
    else:
        return None
    target = unparen(target)
    if target is None or target.type != "identifier":
        return None
    b = resolver.resolve(target)
    if b is None or not b.is_local:
        return None
    if stmt.type == "var_spec":
        decl = stmt.parent
        while decl is not None and decl.type != "var_declaration":
            decl = decl.parent
        return (b, decl) if decl is not None else None
    return b, stmt


# ------------------------------------------------------------------------------------------ long-running loops
def _is_time_chan(t: GoType | None, resolver: Resolver) -> bool:
    u = resolver.underlying(t)
    return u is not None and u.kind == "chan" and u.elem is not None and u.elem.is_named("time.Time")


def timer_driven(loop: Node, resolver: Resolver) -> bool:
    """`for range t.C` / `for range time.Tick(d)`, or a `for {}` whose body (func literals excluded)
    receives from a timer or ticker channel (`<-t.C`, `case <-time.After(d):`)."""
    for c in loop.named_children:
        if c.type == "range_clause":
            return _is_time_chan(resolver.type_of(c.child_by_field_name("right")), resolver)
    if not is_infinite_loop(loop):
        return False
    body = loop.child_by_field_name("body")
    if body is None:
        return False
    return any(
        n.type == "unary_expression"
        and _is_receive(n)
        and _is_time_chan(resolver.type_of(n.child_by_field_name("operand")), resolver)
        for n in walk(body, prune=FUNCTION_TYPES)
    )


def long_running_loop(
    node: Node, resolver: Resolver, launched: Callable[[Node], bool] = lambda _fn: False
) -> tuple[Node, str] | None:
    """The innermost enclosing loop (same function) that runs for the life of a goroutine, and why: a
    timer- or ticker-driven loop, or a `for {}` in a goroutine (a `go func() {...}()` literal, or a
    function that `launched` says is started with `go`)."""
    loop = enclosing_loop(node)
    fn = enclosing_function(node)
    while loop is not None:
        if timer_driven(loop, resolver):
            return loop, "a ticker-driven loop"
        if is_infinite_loop(loop) and fn is not None and (goroutine_body(fn) or launched(fn)):
            return loop, "an endless loop in a goroutine"
        loop = enclosing_loop(loop)
    return None


def reset_in_loop(loop: Node, binding: Binding, resolver: Resolver) -> bool:
    """Whether `loop`'s body gives `binding` a fresh value (`x = e` with `e` not mentioning `x`) anywhere:
    then what is accumulated into `x` in the body starts over (at most) once per iteration, so it does
    not grow across iterations. Conservative: a conditional reset counts too."""
    body = loop.child_by_field_name("body")
    if body is None:
        return False
    for n in walk(body, prune=FUNCTION_TYPES):
        if n.type != "assignment_statement":
            continue
        op = n.child_by_field_name("operator")
        left = expression_list(n.child_by_field_name("left"))
        right = expression_list(n.child_by_field_name("right"))
        if op is None or op.type != "=" or len(left) != len(right):
            continue
        for lhs, rhs in zip(left, right, strict=True):
            if (
                lhs.type == "identifier"
                and resolver.resolve(lhs) is binding
                and not any(
                    m.type == "identifier" and m.text == lhs.text and resolver.resolve(m) is binding
                    for m in walk(rhs)
                )
            ):
                return True
    return False


# ------------------------------------------------------------------------------------------ start-up code
def is_program_main(fn: Node | None, package: str) -> bool:
    """`func main` of package main: it runs once, and its locals live as long as the program."""
    return (
        fn is not None
        and fn.type == "function_declaration"
        and package == "main"
        and text(fn.child_by_field_name("name") or fn) == b"main"
    )


def runs_at_startup(node: Node, resolver: Resolver) -> bool:
    """Code that runs a bounded number of times per program, so whatever it adds to a long-lived place is
    set-up, not growth: `init`, `main` of package main, a package-level initializer, a func literal passed to `sync.Once.Do` /
    `sync.OnceFunc` / `sync.OnceValue(s)`, a same-package function passed by name to one of those
    (`once.Do(loadTable)`), or a function named `Register*`/`register*` (by Go convention called while
    the program starts, to fill a registry)."""
    top = resolver.top_function(node)
    if top is None or top.type == "func_literal":
        return True  # a package-level initializer, or a literal in one
    name = top.child_by_field_name("name")
    if name is None:
        return False
    if text(name).startswith((b"Register", b"register", b"MustRegister", b"mustRegister")):
        return True
    if top.type == "function_declaration" and text(name).decode() in _once_functions(resolver):
        return True
    if is_program_main(top, resolver.file.package):
        return True
    if top.type == "function_declaration" and text(name) == b"init":
        return True
    if resolver.file.source.count(b"func", top.start_byte, top.end_byte) < 2:
        return False  # no func literal in the function: no Once callback to be in (and no climb)
    p = node.parent
    while p is not None and p != top:
        if p.type == "func_literal":
            call = p.parent.parent if p.parent is not None and p.parent.type == "argument_list" else None
            if call is not None and call.type == "call_expression" and _once_call(call, resolver):
                return True
        p = p.parent
    return False


def _once_call(call: Node, resolver: Resolver) -> bool:
    parts = called_selector(call)
    if parts is None:
        return False
    operand, field = parts
    name = text(field).decode()
    member = resolver.package_member(unparen(call.child_by_field_name("function")))
    if member is not None:
        return member in ("sync.OnceFunc", "sync.OnceValue", "sync.OnceValues")
    if name != "Do":
        return False
    t = resolver.type_of(operand)
    if t is None:  # type unknown: a receiver named like a once (`once`, `s.initOnce`)
        return "once" in text(operand).decode("utf-8", "replace").rsplit(".", 1)[-1].lower()
    return t.deref().is_named("sync.Once")


_ONCE_NAMES = re.compile(rb"\.\s*(Do|OnceFunc|OnceValues?)\b")


def _once_functions(resolver: Resolver) -> frozenset[str]:
    """Names of same-package functions passed by name to `sync.Once.Do` / `sync.OnceFunc` & co. The
    calls are found from the method names' bytes (few, and no query over files already analysed)."""
    index = resolver.index

    def build() -> frozenset[str]:
        from gostatic.analysis.scopes import resolver_for

        names = set()
        for f in index.files:
            r = resolver_for(index, f)
            for call in _once_candidates(f):
                if not _once_call(call, r):
                    continue
                args = call_args(call)
                arg = unparen(args[0]) if args else None
                if arg is not None and arg.type == "identifier":
                    b = r.resolve(arg)
                    if b is not None and b.kind == "func":
                        names.add(b.name)
        return frozenset(names)

    return index.fact("flow.once_functions", build)


def _once_candidates(f: SourceFile) -> Iterator[Node]:
    """The calls `x.Do(...)`, `x.OnceFunc(...)`, ... of a file, from where their names are spelled."""
    root = f.tree.root_node
    for m in _ONCE_NAMES.finditer(f.source):
        i, j = m.span(1)
        field = root.descendant_for_byte_range(i, j)
        if field is None or field.type != "field_identifier" or (field.start_byte, field.end_byte) != (i, j):
            continue
        sel = field.parent
        call = paren_root(sel).parent if sel is not None and sel.type == "selector_expression" else None
        if (
            call is not None
            and call.type == "call_expression"
            and unparen(call.child_by_field_name("function")) == sel
        ):
            yield call


# ------------------------------------------------------------------------------------------ dead code
def _constant_guard(cond: Node | None, resolver: Resolver) -> bool:
    """A condition the compiler folds: a constant, or a `&&` chain with a constant operand (`if debug`,
    `if debugTrace&traceX != 0 && verbose`). When it folds to false the block is compiled away."""
    cond = unparen(cond)
    if cond is None:
        return False
    if cond.type == "true":
        return False
    if resolver.is_constant(cond):
        return True
    if cond.type == "binary_expression":
        op = cond.child_by_field_name("operator")
        if op is not None and op.type == "&&":
            return _constant_guard(cond.child_by_field_name("left"), resolver) or _constant_guard(
                cond.child_by_field_name("right"), resolver
            )
    return False


def under_constant_condition(node: Node, resolver: Resolver) -> bool:
    """`node` sits in a branch of an `if` (same function) whose condition is a compile-time constant, or in
    a case of a `switch` on a constant: the compiler may delete it, and says nothing about what it would
    have allocated (debug output under `if debug {`, `switch runtime.GOOS {`)."""
    child = node
    p = node.parent
    while p is not None and p.type not in FUNCTION_TYPES:
        if (
            p.type == "if_statement"
            and child not in (p.child_by_field_name("condition"), p.child_by_field_name("initializer"))
            and _constant_guard(p.child_by_field_name("condition"), resolver)
        ):
            return True
        if (
            p.type == "expression_switch_statement"
            and child.type in ("expression_case", "default_case")
            and resolver.is_constant(p.child_by_field_name("value"))
        ):
            return True  # `switch runtime.GOOS {`: all but one case are compiled away
        child = p
        p = p.parent
    return False

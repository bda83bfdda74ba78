"""Shared data- and control-flow questions over Go's structured statements, answered once for all rules.

- where does a value go after it is made (returned, stored, sent, passed on, captured), and is it used
  after a point;
- is a call made on every path out of a function from a given statement on;
- can one statement run after another, and what is called between them.

Loops live in `loops`, run-once code in `startup`. All answers are syntactic and conservative in the
direction that keeps rules quiet.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from gostatic.analysis.loops import (
    BREAK_TARGETS,
    enclosing_loop,
    is_infinite_loop,
    loop_exit,
    terminates,
    writes_or_addresses,
)
from gostatic.analysis.scopes import Binding, Resolver, resolver_for
from gostatic.parse.syntax import (
    FUNCTION_TYPES,
    Node,
    call_args,
    contains,
    enclosing_function,
    expression_list,
    statements,
    text,
    unparen,
    walk,
    writes,
)

_VALUE_WRAPPERS = frozenset(
    {
        "parenthesized_expression",
        "slice_expression",
        "type_assertion_expression",
        "type_conversion_expression",
    }
)


# ------------------------------------------------------------------------------------------ data flow
@attrs.define(repr=False)
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
@attrs.define(repr=False)
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
            cases = [
                c
                for c in s.named_children
                if c.type in ("expression_case", "type_case", "default_case", "communication_case")
            ]
            has_default = any(c.type == "default_case" for c in cases)
            following: _Outcome | None = None  # the outcome of the next clause in source order
            for case in reversed(cases):
                stmts = statements(case)
                o = self._seq(stmts)
                if o.falls and stmts and stmts[-1].type == "fallthrough_statement" and following is not None:
                    # `fallthrough` goes on into the next clause, whose leaks are counted once, below
                    o = _Outcome(o.leaks, following.falls)
                following = o
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
        return terminates(s, self.resolver)


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


def empty_when_reached(node: Node, binding: Binding, resolver: Resolver) -> bool:
    """Whether the string `binding` is provably empty when `node` (an assignment to it) runs: `node` is in
    the then-branch of an `if` whose condition tests `s == ""` or `len(s) == 0` (alone or as a term of
    `&&`), with no loop, function literal or `goto` in between (each could run `node` again after a
    write), and nothing from the test on may write `s` before `node` does (`_may_write_between`)."""
    below, anc = node, node.parent
    while anc is not None and anc.type not in FUNCTION_TYPES and anc.type != "for_statement":
        if anc.type == "if_statement" and below == anc.child_by_field_name("consequence"):
            test = _emptiness_test(anc.child_by_field_name("condition"), binding, resolver)
            if test is not None:
                jumps = any(n.type == "goto_statement" for n in walk(below))
                return not jumps and not _may_write_between(test, node, anc, binding, resolver)
        below, anc = anc, anc.parent
    return False


def _emptiness_test(cond: Node | None, binding: Binding, resolver: Resolver) -> Node | None:
    """The term of `cond` that holds only when `binding` is the empty string: `s == ""`, `"" == s`,
    `len(s) == 0`, `0 == len(s)`, or such a term of an `&&`."""
    cond = unparen(cond)
    if cond is None or cond.type != "binary_expression":
        return None
    op = cond.child_by_field_name("operator")
    left, right = unparen(cond.child_by_field_name("left")), unparen(cond.child_by_field_name("right"))
    if op is None or left is None or right is None:
        return None
    if op.type == "&&":
        return _emptiness_test(left, binding, resolver) or _emptiness_test(right, binding, resolver)
    if op.type != "==":
        return None
    for subject, other in ((left, right), (right, left)):
        if other.text in (b'""', b"``") and _names(subject, binding, resolver):
            return cond
        if other.type == "int_literal" and other.text == b"0" and subject.type == "call_expression":
            fn, args = unparen(subject.child_by_field_name("function")), call_args(subject)
            b = resolver.resolve(fn) if fn is not None and fn.type == "identifier" else None
            is_len = b is not None and b.kind == "builtin" and b.name == "len" and len(args) == 1
            if is_len and _names(unparen(args[0]), binding, resolver):
                return cond
    return None


def _names(expr: Node | None, binding: Binding, resolver: Resolver) -> bool:
    return expr is not None and expr.type == "identifier" and resolver.resolve(expr) is binding


def _may_write_between(test: Node, node: Node, within: Node, binding: Binding, resolver: Resolver) -> bool:
    """Whether the code after `test` up to the end of `node` may change `binding` before `node` assigns
    it: a write or `&s` there, or any call there when a call can reach `s` (it is not a local, its address
    is taken, or a function literal uses it)."""
    start, end = test.end_byte, node.end_byte
    target = next(iter(expression_list(node.child_by_field_name("left"))), None)
    refs = resolver.references(binding)
    if any(start <= r.start_byte < end and r != target and writes_or_addresses(r) for r in refs):
        return True
    reachable = (
        not binding.is_local
        or any(writes_or_addresses(r) for r in refs)
        or any(_used_in_literal(r, binding) for r in refs)
    )
    if not reachable:
        return False
    return any(n.type == "call_expression" and start <= n.start_byte < end for n in walk(within))


def _used_in_literal(ref: Node, binding: Binding) -> bool:
    """`ref` is inside a function literal that does not also declare `binding` (a closure over it)."""
    anc = ref.parent
    while anc is not None and anc.type not in ("function_declaration", "method_declaration"):
        if anc.type == "func_literal":
            return binding.ident is None or not contains(anc, binding.ident)
        anc = anc.parent
    return False


def jump_target(jump: Node) -> Node | None:
    """The statement a `break`/`continue` leaves or restarts (labelled: the labelled statement's body)."""
    label = next((c for c in jump.named_children if c.type == "label_name"), None)
    p = jump.parent
    while p is not None and p.type not in FUNCTION_TYPES:
        if label is not None:
            if p.type == "labeled_statement":
                name = next((c for c in p.named_children if c.type == "label_name"), None)
                if name is not None and name.text == label.text:
                    return next((c for c in p.named_children if c.type != "label_name"), None)
        elif p.type == "for_statement" or (jump.type == "break_statement" and p.type in BREAK_TARGETS):
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
            target = jump_target(n)
            if target is None or target == loop:
                return None
    return found


# ------------------------------------------------------------------------------------------ ways out, order
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


# ------------------------------------------------------------------------------------------ arguments
def constant_argument(expr: Node | None, resolver: Resolver) -> bool:
    """`expr` is a parameter of an unexported function (not reassigned in it) and every call of that
    function in the package, outside tests, passes a constant there (`newGauge(meter, reloadsName, …)`):
    the parameter takes as many values as there are call sites, a set fixed by the code. A function used
    as a value, or not called at all, is not known to be."""
    expr = unparen(expr)
    if expr is None or expr.type != "identifier":
        return False
    b = resolver.resolve(expr)
    fn = b.scope if b is not None else None
    if b is None or b.kind != "param" or b.ident is None or fn is None or fn.type != "function_declaration":
        return False
    name_node = fn.child_by_field_name("name")
    name = text(name_node).decode() if name_node is not None else ""
    position = _param_position(fn, b.ident)
    if not name[:1].islower() or position is None or is_reassigned_param(b, resolver):
        return False
    index = resolver.index

    def build() -> bool:
        calls = 0
        for f, ident in index.value_references(name):
            if f.is_test or ident == name_node:
                continue
            r = resolver_for(index, f)
            callee = r.resolve(ident)
            if callee is None or callee.kind != "func":
                continue
            call = ident.parent
            if (
                call is None
                or call.type != "call_expression"
                or call.child_by_field_name("function") != ident
            ):
                return False  # a function value: its callers are unknown
            args = call_args(call)
            if (
                len(args) <= position
                or args[-1].type == "variadic_argument"
                or not r.is_constant(args[position])
            ):
                return False
            calls += 1
        return calls > 0

    return index.fact(f"flow.constant_argument:{name}:{position}", build)


def _param_position(fn: Node, ident: Node) -> int | None:
    """The index of the parameter named by `ident` among `fn`'s parameters (None if variadic)."""
    params = fn.child_by_field_name("parameters")
    i = 0
    for p in params.named_children if params is not None else ():
        if p.type == "variadic_parameter_declaration":
            return None if contains(p, ident) else i
        if p.type != "parameter_declaration":
            continue
        names = p.children_by_field_name("name")
        for n in names or [p]:
            if n == ident:
                return i
            i += 1
    return None


def is_reassigned_param(b: Binding, resolver: Resolver) -> bool:
    """A parameter written in its function (`name = strings.ToLower(name)`, `n++`, a range or receive
    target), address-taken, or given a method call (`syntax.writes`)."""
    return any(writes(ref) for ref in resolver.references(b))

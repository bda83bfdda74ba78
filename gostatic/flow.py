"""Shared control- and data-flow questions over Go's structured statements, answered once for all rules.

- where is the enclosing loop, and is this code hot;
- where does a value go after it is made (returned, stored, sent, passed on, captured);
- is a call made on every path out of a function from a given statement on.

All answers are syntactic and conservative in the direction that keeps rules quiet.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable

import attrs

from gostatic.scopes import Binding, Resolver
from gostatic.syntax import (
    FUNCTION_TYPES,
    Node,
    call_args,
    contains,
    expression_list,
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
    {"parenthesized_expression", "slice_expression", "type_assertion_expression", "type_conversion_expression"}
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
        from gostatic.index import receiver_type_name

        recv = receiver_type_name(fn)
        return f"{recv}.{text(name).decode()}" if recv else text(name).decode()
    return text(name).decode()


def is_http_handler(fn: Node, resolver: Resolver) -> bool:
    if fn.type == "method_declaration":
        name = fn.child_by_field_name("name")
        if name is not None and name.text == b"ServeHTTP":
            return True
    params = fn.child_by_field_name("parameters")
    if params is None:
        return False
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
    return call is not None and call.type == "call_expression" and call.parent is not None and (
        call.parent.type == "go_statement"
    )


def hot_reason(node: Node, resolver: Resolver, hot_functions: Iterable[str] = ()) -> str | None:
    """Why `node` runs often ("in a loop", "in an HTTP handler", ...), or None when it is not hot."""
    if enclosing_loop(node) is not None:
        return "in a loop"
    fn = node.parent
    while fn is not None and fn.type not in FUNCTION_TYPES:
        fn = fn.parent
    if fn is None:
        return None
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
        if parent.type in _VALUE_WRAPPERS and parent.named_children and parent.named_children[0] == cur:
            cur = parent
        elif parent.type == "unary_expression" and parent.child_by_field_name("operator") is not None and (
            parent.child_by_field_name("operator").type in ("&", "*")  # type: ignore[union-attr]
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
    home = binding.scope if binding.scope.type in FUNCTION_TYPES else _function_of(binding.scope)
    for ref in resolver.references(binding) if refs is None else refs:
        fn = _function_of(ref)
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
    return fn is not None and fn.type == "identifier" and fn.text in (b"len", b"cap") and resolver.is_builtin(fn)


def _function_of(node: Node) -> Node | None:
    p = node.parent
    while p is not None and p.type not in FUNCTION_TYPES:
        p = p.parent
    return p


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
            while holder is not None and holder.type not in ("statement_list", "block") and (
                holder.type not in FUNCTION_TYPES
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
            return _Outcome(falls=not self._calls(s) if t != "go_statement" else True)
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
        call = s.named_children[0] if s.named_children else None
        if call is None or call.type != "call_expression":
            return False
        fn = unparen(call.child_by_field_name("function"))
        if fn is None:
            return False
        if fn.type == "identifier":
            return fn.text == b"panic" and self.resolver.is_builtin(fn)
        if fn.type == "selector_expression":
            operand = unparen(fn.child_by_field_name("operand"))
            field = fn.child_by_field_name("field")
            if operand is None or field is None:
                return False
            fname = text(field).decode()
            if operand.type == "identifier":
                b = self.resolver.resolve(operand)
                if b is not None and b.kind == "import":
                    return f"{b.import_path}.{fname}" in TERMINATING_CALLS
            if fname in TESTING_FATAL:
                t = self.resolver.type_of(operand)
                return t is not None and t.deref().pkg == "testing"
        return False


def called_in(node: Node, is_call: Callable[[Node], bool]) -> bool:
    """Whether `is_call` matches any node below `node` (func literals included)."""
    return any(is_call(n) for n in walk(node))


def args_of(call: Node) -> list[Node]:
    return call_args(call)

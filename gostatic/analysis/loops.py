"""Loops, answered once for all rules: which loop encloses a node, whether it ends, how many times it
runs (a small constant trip count), how control leaves it (break, return, a terminating call), whether
it is a long-running service loop, and whether a function is hot by its own nature (an HTTP handler, a
goroutine body, a configured hot function).

All answers are syntactic and conservative in the direction that keeps rules quiet.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable

import attrs

from gostatic.analysis.consts import INTEGER_TYPES, array_length, const_value
from gostatic.analysis.scopes import Binding, Resolver, resolver_for
from gostatic.analysis.types import BASIC_SIZES, GoType
from gostatic.parse.syntax import (
    FUNCTION_TYPES,
    Node,
    contains,
    enclosing_function,
    expression_list,
    path_down,
    statements,
    text,
    unparen,
    walk,
    writes,
)

TERMINATING_CALLS = frozenset(
    {"panic", "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf", "log.Panicln"}
)
TESTING_FATAL = frozenset({"Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow"})


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


_OPERATIONAL = re.compile(
    rb"(?i)health|ready|readiness|live|liveness|metrics|pprof|debug|version|status|ping"
)


def operational_handler(fn: Node) -> bool:
    """A handler for operators, not users (`/healthz`, `/readyz`, `/metrics`, `/debug/...`, `/version`):
    scraped every few seconds, so it is not hot code. Known from its name, its receiver type's name
    (`ServeHTTP`), or the route a literal is registered on (`mux.HandleFunc("/healthz", func(…) {…})`)."""
    name = fn.child_by_field_name("name")
    if name is not None:
        spelled = function_name(fn).encode()
        return bool(_OPERATIONAL.search(spelled))
    args = fn.parent
    call = args.parent if args is not None and args.type == "argument_list" else None
    if call is None or call.type != "call_expression" or args is None:
        return False
    first = args.named_children[0] if args.named_children else None
    return (
        first is not None
        and first.type in ("interpreted_string_literal", "raw_string_literal")
        and bool(_OPERATIONAL.search(text(first)))
    )


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


# ------------------------------------------------------------------------------------------ loop exits
_CASES = frozenset({"expression_case", "type_case", "default_case", "communication_case"})


def leaves_loop_after(stmt: Node, loop: Node, resolver: Resolver) -> bool:
    """Whether every path from just after `stmt` leaves `loop` (return, break of that loop, panic,
    os.Exit...) before the loop can start another iteration, or `stmt` is in a select case that fires at
    most once while the loop runs (`in_one_shot_case`). Used where something done once per
    iteration only matters if the loop iterates again (a defer, a timer)."""
    body = loop.child_by_field_name("body")
    path = path_down(body, stmt) if body is not None else None
    if path is None:
        return False
    for k in range(len(path) - 1, 0, -1):  # from `stmt` outwards, up to the loop's body
        cur, holder = path[k], path[k - 1]
        if holder.type in ("statement_list", "block") or holder.type in _CASES:
            siblings = statements(holder)
            later = [s for s in siblings if s.start_byte > cur.start_byte]
            in_case = holder.type in _CASES or (k >= 2 and path[k - 2].type in _CASES)
            if _seq_leaves(later, resolver, in_case=in_case):
                return True
    return in_one_shot_case(path, loop, resolver)  # the loop iterates again, but not through `stmt`


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
        return terminates(s, resolver)
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
    through a local that is never reassigned or appended to), or a loop whose clause fixes its counter's
    values with constants (`counter`): `range N`, a range over an array, `for i := a; i < N; i++`."""
    clause = next((c for c in loop.named_children if c.type in ("range_clause", "for_clause")), None)
    if clause is None:
        return False
    if clause.type == "range_clause":
        right = unparen(clause.child_by_field_name("right"))
        if right is not None and right.type == "identifier":
            b = resolver.resolve(right)
            if b is not None and b.is_local and b.value is not None and b.value_count == 1:
                if any(writes_or_addresses(r) and not _reslices_itself(r) for r in resolver.references(b)):
                    return False  # grown or replaced (`xs = xs[:1]` only shrinks it: still small)
                right = unparen(b.value)
        if right is not None and right.type == "composite_literal":
            body = right.child_by_field_name("body")
            elements = [] if body is None else [c for c in body.named_children if c.type != "comment"]
            if not any(c.type == "keyed_element" for c in elements):  # `[]int{999: 0}` has 1,000
                return len(elements) <= limit
    c = counter(loop, resolver)
    return c is not None and c.trips <= limit


@attrs.frozen(repr=False)
class Counter:
    """What a loop's clause fixes about its iterations: how many there are, its counter's first and last
    values (`lo`..`hi`, both included; `lo > hi` when it runs no iteration), and the counter's identifier
    where the clause declares it (None in `for range N`, `for _, v := range a`)."""

    lo: int
    hi: int
    trips: int
    ident: Node | None


def counter(loop: Node, resolver: Resolver) -> Counter | None:
    """The values a loop's counter takes, when constants fix them and nothing but the clause writes it:
    - `for i := range N`, N an integer constant: 0 … N-1;
    - `for i := range a`, `a` an array or a pointer to one (its length is a constant): 0 … len(a)-1;
    - `for i := c; i < N; i++` (or `<=`, `N > i`, `i += k`, `i *= k`, `i <<= k`), or counting down
      (`i >= N`, `i--`, `i -= k`), with constant c, N and k, when the value after the last one fits
      the counter's type (otherwise it could wrap around and keep the loop going).
    The one answer to "how many times does it run" (`small_trip_count`) and "which values does its
    counter hold" (`cost.int_range`). None when the body assigns the counter or takes its address."""
    clause = next((c for c in loop.named_children if c.type in ("range_clause", "for_clause")), None)
    if clause is None:
        return None
    found = (
        _range_counter(clause, resolver)
        if clause.type == "range_clause"
        else _clause_counter(clause, resolver)
    )
    if found is None:
        return None
    c, update = found
    if c.ident is not None:
        b = resolver.resolve(c.ident)
        if b is None or written_elsewhere(b, update, resolver):
            return None
    return c


def _range_counter(clause: Node, resolver: Resolver) -> tuple[Counter, Node | None] | None:
    right = unparen(clause.child_by_field_name("right"))
    if right is None:
        return None
    n = const_value(right, resolver, follow_locals=True)
    if n is None:
        n = array_length(right, resolver)
    if n is None:
        return None
    left = expression_list(clause.child_by_field_name("left"))
    declares = any(c.type == ":=" for c in clause.children)
    ident = left[0] if declares and left and left[0].type == "identifier" and left[0].text != b"_" else None
    return Counter(0, n - 1, max(n, 0), ident), None


_TURNED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}  # `N > i` is `i < N`
_MAX_FACTOR_STEPS = 64


def _clause_counter(clause: Node, resolver: Resolver) -> tuple[Counter, Node | None] | None:
    init = clause.child_by_field_name("initializer")
    cond = unparen(clause.child_by_field_name("condition"))
    update = clause.child_by_field_name("update")
    if init is None or init.type != "short_var_declaration" or update is None:
        return None
    names = expression_list(init.child_by_field_name("left"))
    values = expression_list(init.child_by_field_name("right"))
    if len(names) != 1 or len(values) != 1 or cond is None or cond.type != "binary_expression":
        return None
    ident = names[0]
    start, step = const_value(values[0], resolver, follow_locals=True), _step(update, ident, resolver)
    op, left, right = (cond.child_by_field_name(f) for f in ("operator", "left", "right"))
    if start is None or step is None or op is None or left is None or right is None:
        return None
    if (unparen(left) or left).text == ident.text:
        relation, limit = op.type, const_value(right, resolver, follow_locals=True)
    elif (unparen(right) or right).text == ident.text:
        relation, limit = _TURNED.get(op.type), const_value(left, resolver, follow_locals=True)
    else:
        return None
    kind, k = step
    if limit is None or relation not in (("<", "<=") if kind in "+*" else (">", ">=")):
        return None
    if kind == "*":
        last_ok = limit - 1 if relation == "<" else limit
        if start < 1:
            return None
        trips, v = 0, start
        while v <= last_ok and trips <= _MAX_FACTOR_STEPS:
            trips, v = trips + 1, v * k
        lo, hi, past = start, v // k, v
    elif kind == "+":
        lo, last_ok = start, limit - 1 if relation == "<" else limit
        trips = max(0, (last_ok - lo) // k + 1)
        hi = lo + (trips - 1) * k
        past = hi + k
    else:
        hi, first_ok = start, limit + 1 if relation == ">" else limit
        trips = max(0, (hi - first_ok) // k + 1)
        lo = hi - (trips - 1) * k
        past = lo - k
    bounds = integer_bounds(resolver.type_of(ident), resolver)
    if trips and (bounds is None or not bounds[0] <= past <= bounds[1]):
        return None  # the value after the last one could wrap around and keep the loop going
    return Counter(lo, hi, trips, ident), update


def _step(update: Node, ident: Node, resolver: Resolver) -> tuple[str, int] | None:
    """How `update` changes the counter: ("+", k) for `i++` and `i += k`, ("-", k) for `i--` and `i -= k`,
    ("*", k) for `i *= k` and ("*", 2**k) for `i <<= k` (k a positive constant; a factor of at least 2)."""
    if update.type in ("inc_statement", "dec_statement"):
        operand = unparen(update.named_children[0]) if update.named_children else None
        if operand is None or operand.text != ident.text:
            return None
        return ("+", 1) if update.type == "inc_statement" else ("-", 1)
    if update.type != "assignment_statement":
        return None
    op = update.child_by_field_name("operator")
    left = expression_list(update.child_by_field_name("left"))
    right = expression_list(update.child_by_field_name("right"))
    if op is None or len(left) != 1 or len(right) != 1 or left[0].text != ident.text:
        return None
    k = const_value(right[0], resolver, follow_locals=True)
    if k is None or k <= 0:
        return None
    match op.type:
        case "+=" | "-=":
            return op.type[0], k
        case "*=":
            return ("*", k) if k >= 2 else None
        case "<<=":
            return ("*", 1 << k) if k < _MAX_FACTOR_STEPS else None
    return None


def integer_bounds(t: GoType | None, resolver: Resolver) -> tuple[int, int] | None:
    """The values an integer type holds (`int` and `uint` are 64 bits wide on amd64)."""
    u = resolver.underlying(t) if t is not None else None
    if u is None or u.kind != "named" or u.pkg or u.name not in INTEGER_TYPES:
        return None
    bits = 8 * BASIC_SIZES[u.name]
    if u.name.startswith("u") or u.name == "byte":
        return 0, (1 << bits) - 1
    return -(1 << (bits - 1)), (1 << (bits - 1)) - 1


def written_elsewhere(b: Binding, allowed: Node | None, resolver: Resolver) -> bool:
    """Whether anything but its declaration (and code inside `allowed`) writes `b`, grows it or takes its
    address (`writes_or_addresses`)."""
    return any(
        ref != b.ident and not (allowed is not None and contains(allowed, ref)) and writes_or_addresses(ref)
        for ref in resolver.references(b)
    )


def writes_or_addresses(ref: Node) -> bool:
    """A reference that writes its variable or lets other code write it (`syntax.writes`: assignments,
    range and receive targets, `&x`, a method call), or grows it (`append(x, ...)`)."""
    return writes(ref) or appended_to(ref)


def _reslices_itself(ref: Node) -> bool:
    """`xs = xs[:k]` (or `xs[i:j]`): a write that can only shrink the slice."""
    lhs = ref.parent
    stmt = lhs.parent if lhs is not None and lhs.type == "expression_list" else None
    if stmt is None or stmt.type != "assignment_statement" or stmt.child_by_field_name("left") != lhs:
        return False
    lefts, rights = expression_list(lhs), expression_list(stmt.child_by_field_name("right"))
    if len(lefts) != 1 or len(rights) != 1 or text(stmt.child_by_field_name("operator") or stmt) != b"=":
        return False
    right = unparen(rights[0])
    operand = unparen(right.child_by_field_name("operand")) if right is not None else None
    return (
        right is not None
        and right.type == "slice_expression"
        and operand is not None
        and operand.text == ref.text
    )


def appended_to(ref: Node) -> bool:
    """`append(x, ...)`: grows `x` (the first argument; an element appended is only read). Assignments,
    `++` and the rest are `syntax.writes`."""
    parent = ref.parent
    if parent is None or parent.type != "argument_list":
        return False
    call = parent.parent
    fn = call.child_by_field_name("function") if call is not None else None
    first = next((a for a in parent.named_children if a.type != "comment"), None)
    return fn is not None and fn.text == b"append" and first == ref


# ------------------------------------------------------------------------------------------ loop exits
BREAK_TARGETS = frozenset(
    {"for_statement", "expression_switch_statement", "type_switch_statement", "select_statement"}
)


def loop_exit(node: Node, loop: Node, resolver: Resolver) -> str | None:
    """How code at `node` (inside `loop`'s body) leaves `loop` before its next iteration: "return" (a
    `return`, `panic` or terminating call follows it in its block), "break" (a `break` of that loop
    follows), or None when it may run again on the next iteration. Used to tell per-iteration work from
    an error path that runs once (`return fmt.Errorf(...)` inside a loop)."""
    body = loop.child_by_field_name("body")
    path = path_down(body, node) if body is not None else None
    for k in range(len(path) - 1, 0, -1) if path is not None else ():  # from `node` out to the body
        cur, parent = path[k], path[k - 1]
        if parent.type in ("block", "statement_list", "expression_case", "default_case", "type_case",
                           "communication_case"):  # fmt: skip
            siblings = [c for c in parent.named_children if c.type != "comment"]
            if cur in siblings:
                for s in siblings[siblings.index(cur) :]:
                    kind = _exit_kind(s, loop, resolver)
                    if kind is not None:
                        return kind
    if path is not None and in_one_shot_case(path, loop, resolver):
        return "break"  # at most once while the loop runs: as if it left the loop
    return None


# ------------------------------------------------------------------------------------------ one-shot cases
def in_one_shot_case(path: list[Node], loop: Node, resolver: Resolver) -> bool:
    """The code at the end of `path` (from `loop`'s body down) is in the body of a `select` case that
    receives from a channel yielding at most one value while the loop runs: `<-t.C` of a timer made by
    `time.NewTimer` before the loop and never re-armed except by `if t.Stop() { t.Reset(d) }` (Stop
    reports true only when the timer had not fired, so the case had not run), or `<-ch` of
    `ch := time.After(d)` made before the loop. Either local used in no other way."""
    for k, n in enumerate(path[:-1]):
        if (
            n.type == "communication_case"
            and path[k + 1] != n.child_by_field_name("communication")
            and _one_shot_receive(n, loop, resolver)
        ):
            return True
    return False


def _one_shot_receive(case: Node, loop: Node, resolver: Resolver) -> bool:
    comm = case.child_by_field_name("communication")
    right = (
        unparen(comm.child_by_field_name("right"))
        if comm is not None and comm.type == "receive_statement"
        else None
    )
    if right is None or right.type != "unary_expression" or not text(right).startswith(b"<-"):
        return False
    ch = unparen(right.child_by_field_name("operand"))
    if ch is not None and ch.type == "selector_expression":
        field = ch.child_by_field_name("field")
        if field is None or text(field) != b"C":
            return False
        return _once_local(ch.child_by_field_name("operand"), loop, "time.NewTimer", resolver)
    return _once_local(ch, loop, "time.After", resolver)


def _once_local(ident: Node | None, loop: Node, maker: str, resolver: Resolver) -> bool:
    """`ident` is a local made once by `maker` before `loop` and used only as a one-shot source."""
    ident = unparen(ident)
    b = resolver.resolve(ident) if ident is not None and ident.type == "identifier" else None
    if b is None or b.kind != "local" or b.ident is None or b.value_count != 1 or contains(loop, b.ident):
        return False
    value = unparen(b.value)
    if value is None or value.type != "call_expression":
        return False
    if resolver.package_member(unparen(value.child_by_field_name("function"))) != maker:
        return False
    for ref in resolver.references(b):
        if ref == b.ident:
            continue
        parent = ref.parent
        if maker == "time.After":
            if parent is None or parent.type != "unary_expression" or not text(parent).startswith(b"<-"):
                return False
            continue
        if (
            parent is None
            or parent.type != "selector_expression"
            or parent.child_by_field_name("operand") != ref
        ):
            return False
        field = text(parent.child_by_field_name("field") or parent)
        if field == b"Reset" and not _reset_after_stop(parent, b.name):
            return False
        if field not in (b"C", b"Stop", b"Reset"):
            return False
    return True


def _reset_after_stop(selector: Node, name: str) -> bool:
    """`t.Reset(…)` in the body of `if … && t.Stop() {` (or `if t.Stop() {`): it re-arms a timer that
    had not fired yet, so the timer still fires at most once."""
    stop = f"{name}.Stop()".encode()
    p = selector.parent
    while p is not None and p.type not in FUNCTION_TYPES:
        parent = p.parent
        if (
            parent is not None
            and parent.type == "if_statement"
            and p == parent.child_by_field_name("consequence")
        ):
            return _positive_conjunct(parent.child_by_field_name("condition"), stop)
        p = parent
    return False


def _positive_conjunct(cond: Node | None, spelled: bytes) -> bool:
    """`spelled` is the condition or one operand of its `&&` chain (not negated, not under `||`)."""
    cond = unparen(cond)
    if cond is None:
        return False
    if text(cond).replace(b" ", b"") == spelled:
        return True
    op = cond.child_by_field_name("operator") if cond.type == "binary_expression" else None
    if op is None or op.type != "&&":
        return False
    return _positive_conjunct(cond.child_by_field_name("left"), spelled) or _positive_conjunct(
        cond.child_by_field_name("right"), spelled
    )


def _exit_kind(s: Node, loop: Node, resolver: Resolver) -> str | None:
    if s.type == "return_statement":
        return "return"
    if s.type == "expression_statement" and terminates(s, resolver):
        return "return"
    if s.type == "break_statement":
        if s.named_children:
            return "break"  # a labelled break leaves at least the innermost labelled statement
        return "break" if _break_target(s) == loop else None
    return None


def configured_hot(fn: Node, hot_functions: Iterable[str]) -> bool:
    """`fn` matches a `hot-functions` pattern (from the configuration, or sampled in a profile)."""
    patterns = tuple(hot_functions)
    if not patterns:
        return False
    name = function_name(fn)
    return bool(name) and any(fnmatch.fnmatchcase(name, pat) for pat in patterns)


def function_own_hot_reason(fn: Node, resolver: Resolver, hot_functions: Iterable[str] = ()) -> str | None:
    """Why code directly in function `fn` runs often (handler, looping goroutine, configured name): a fact
    of the function, so callers can memoise it per function instead of per node."""
    if is_http_handler(fn, resolver) and not operational_handler(fn):
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


# ------------------------------------------------------------------------------------------ ways out
def terminates(s: Node, resolver: Resolver) -> bool:
    """An expression statement that ends the goroutine (panic, os.Exit, log.Fatal, t.Fatal...)."""
    return bool(s.named_children) and is_terminating_call(s.named_children[0], resolver)


def is_terminating_call(call: Node | None, resolver: Resolver, own_fatal: bool = True) -> bool:
    """`panic(...)`, `os.Exit`, `log.Fatal*`/`log.Panic*`, `runtime.Goexit()`, `t.Fatal*`/`t.Skip*` on a
    `testing` value, or any `Fatal`/`Fatalf`/`Fatalln`/`Fatalw` call (a logger's, a compiler's): a call
    after which the goroutine does not continue."""
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
    field = fn.child_by_field_name("field")
    if field is not None and text(field) in _FATAL_NAMES:
        # by convention a Fatal call ends the program, whoever's: logrus, zap, klog, base.Fatalf; a method
        # of this package's own type only when its body ends that way (not a recorder that returns)
        return _fatal_method_ends(fn, text(field).decode(), resolver) if own_fatal else True
    member = resolver.package_member(fn)
    if member is not None:
        return member in _GOROUTINE_ENDS
    if field is not None and text(field).decode() in TESTING_FATAL:
        t = resolver.type_of(fn.child_by_field_name("operand"))
        return t is not None and t.deref().pkg == "testing"
    return False


def _fatal_method_ends(sel: Node, name: str, resolver: Resolver) -> bool:
    """`x.Fatalf(…)` where `x` is of a type of this package: its method ends the program when its last
    statement does (`func (f *Func) Fatalf(…) { …; f.fe.Fatalf(…) }`), looked through once. Another
    package's method or a receiver of unknown type: by the name."""
    t = resolver.type_of(sel.child_by_field_name("operand"))
    t = t.deref() if t is not None else None
    if t is None or t.kind != "named" or t.pkg:
        return True
    decl = resolver.index.methods.get((t.name, name))
    if decl is None:
        return True  # promoted from an embedded field, or an interface's: by the name
    last = statements(decl.node.child_by_field_name("body"))[-1:]
    return (
        bool(last)
        and last[0].type == "expression_statement"
        and bool(last[0].named_children)
        and (
            is_terminating_call(
                last[0].named_children[0], resolver_for(resolver.index, decl.file), own_fatal=False
            )
        )
    )


_GOROUTINE_ENDS = TERMINATING_CALLS | {"runtime.Goexit"}
# `x.Fatal(…)`, `pkg.Fatalf(…)`: the standard library's log and testing, and the logging libraries that copy
# them (logrus, zap's sugared logger, klog, glog), log and then exit or end the goroutine
_FATAL_NAMES = frozenset({b"Fatal", b"Fatalf", b"Fatalln", b"Fatalw"})


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
    while target is not None and target.type not in BREAK_TARGETS and target.type not in FUNCTION_TYPES:
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

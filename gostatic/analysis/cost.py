"""What a conversion to an interface costs at run time (gc, amd64): one answer for every rule that
claims an allocation, so that none of them reports a conversion that costs nothing.

Free, by `runtime/iface.go` and the compiler:
- constants: the compiler stores them in read-only data;
- pointer-shaped values (pointers, maps, chans, funcs, one-pointer structs), interfaces, zero-sized
  and one-byte values (see `shapes`);
- integers whose value is provably in `[0, 256)` (or is an enumeration's, whose constants all are): `convT16`/`convT32`/`convT64` return a pointer into
  the runtime's `staticuint64s` table for `val < len(staticuint64s)`, which has 256 entries;
- the empty string and the nil slice: `convTstring` and `convTslice` return `&zeroVal[0]` for them.

Everything else copies the value into a new heap object of the value's size.
"""

from __future__ import annotations

from gostatic.analysis import loops, shapes
from gostatic.analysis.consts import const_value
from gostatic.analysis.scopes import Binding, Resolver, resolver_for
from gostatic.analysis.sizes import sizes_for
from gostatic.analysis.types import GoType
from gostatic.parse.syntax import FUNCTION_TYPES, Node, expression_list, unparen

STATIC_SMALL_INTS = 256  # len(runtime.staticuint64s)
_INTEGERS = frozenset(
    {"int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr",
     "byte", "rune"}
)  # fmt: skip
_UNSIGNED = frozenset({"uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "byte"})


def boxing_bytes(expr: Node, t: GoType | None, resolver: Resolver) -> int | None:
    """Bytes that converting `expr` (of type `t`) to an interface copies to the heap: 0 when the
    conversion is free, None when the type or its size is not known."""
    expr = unparen(expr) or expr
    if resolver.is_constant(expr) or _constant_conversion(expr, t, resolver):
        return 0
    allocates = shapes.boxing_allocates(t, resolver.index)
    if allocates is None:
        return None
    if not allocates:
        return 0
    assert t is not None
    u = resolver.underlying(t) or t
    if u.kind == "named" and not u.pkg and u.name in _INTEGERS:
        r = int_range(expr, resolver)
        if r is not None and r[0] >= 0 and r[1] < STATIC_SMALL_INTS:
            return 0
    if _provably_empty(expr, u, resolver):
        return 0
    layout = sizes_for(resolver.index).of_type(t)
    return None if layout is None else layout.size


def _constant_conversion(expr: Node, t: GoType | None, resolver: Resolver) -> bool:
    """`time.Duration(0)`, `myInt(3)`: a constant converted to a named type is still a constant (read-only
    data). Known as a conversion when the callee is spelled as the result type's name."""
    if expr.type not in ("call_expression", "type_conversion_expression") or t is None or t.kind != "named":
        return False
    fn = unparen(expr.child_by_field_name("function") or expr.child_by_field_name("type"))
    args = expr.child_by_field_name("arguments") or expr.child_by_field_name("operand")
    values = (
        [a for a in args.named_children if a.type != "comment"]
        if args is not None and args.type == "argument_list"
        else ([args] if args is not None else [])
    )
    if fn is None or len(values) != 1 or not resolver.is_constant(values[0]):
        return False
    spelled = (fn.text or b"").decode("utf-8", "replace")
    return spelled.rsplit(".", 1)[-1] == t.name


def is_integer(t: GoType | None, resolver: Resolver) -> bool:
    """An integer type wider than a byte: boxing one allocates only for values of 256 and above."""
    u = resolver.underlying(t) if t is not None else None
    return u is not None and u.kind == "named" and not u.pkg and u.name in _INTEGERS


def is_string(t: GoType | None, resolver: Resolver) -> bool:
    """A string type (`string`, or a type defined over it): boxing one copies its 16-byte header."""
    u = resolver.underlying(t) if t is not None else None
    return u is not None and u.kind == "named" and not u.pkg and u.name == "string"


def int_range(expr: Node, resolver: Resolver) -> tuple[int, int] | None:
    """Bounds of an integer expression's value when the source proves them: a constant, a loop counter
    with constant bounds (`for i := 0; i < 100; i++`, `for i := range 100`, `for i := range a` of an
    array: `loops.counter`), a mask (`x & 0xff`), a remainder of an unsigned value (`u % 200`), a byte
    converted to a wider integer, a sum or difference of such values (`1+i`, `i-1`)."""
    expr = unparen(expr) or expr
    v = const_value(expr, resolver)
    if v is not None:
        return v, v
    if expr.type == "identifier":
        b = resolver.resolve(expr)
        counted = _counter_range(b, resolver) if b is not None and b.kind == "local" else None
        return counted or enum_range(resolver.type_of(expr), resolver) or _guarded_range(expr, b, resolver)
    if expr.type == "binary_expression":
        op = expr.child_by_field_name("operator")
        left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
        if op is None or left is None or right is None:
            return None
        if op.type == "&":
            for side in (left, right):
                c = const_value(side, resolver)
                if c is not None and c >= 0:
                    return 0, c
        if op.type == "%":
            c = const_value(right, resolver)
            lt = resolver.underlying(resolver.type_of(left))
            if c is not None and c > 0 and lt is not None and lt.kind == "named" and lt.name in _UNSIGNED:
                return 0, c - 1
        if op.type in ("+", "-"):
            return _sum_range(expr, op.type, left, right, resolver)
        return None
    if expr.type in ("call_expression", "type_conversion_expression"):
        args = expr.child_by_field_name("arguments")
        inner = args.named_children[0] if args is not None and len(args.named_children) == 1 else None
        it = resolver.underlying(resolver.type_of(inner)) if inner is not None else None
        if it is not None and it.kind == "named" and not it.pkg and it.name in ("uint8", "byte"):
            return 0, 255
    return enum_range(resolver.type_of(expr), resolver)


def _sum_range(expr: Node, op: str, left: Node, right: Node, resolver: Resolver) -> tuple[int, int] | None:
    """`i+k`, `k+i`, `i-k`: the bounds of both sides, added or subtracted, when every value in between
    fits the expression's type (otherwise a value may wrap around)."""
    a, b = int_range(left, resolver), int_range(right, resolver)
    limits = loops.integer_bounds(resolver.type_of(expr), resolver)
    if a is None or b is None or limits is None:
        return None
    lo, hi = (a[0] + b[0], a[1] + b[1]) if op == "+" else (a[0] - b[1], a[1] - b[0])
    return (lo, hi) if limits[0] <= lo and hi <= limits[1] else None


def enum_range(t: GoType | None, resolver: Resolver) -> tuple[int, int] | None:
    """The values of an enumeration: a named integer type of the package whose constants (two or more,
    `const ( KindAny Kind = iota; KindBool; … )`) all lie in one range. A value of it is one of them by
    convention, not by proof, which is what its readers and writers assume too (`slog.Kind`, `token.Token`)."""
    if t is None or t.kind != "named" or t.pkg or t.name in _INTEGERS:
        return None
    u = resolver.underlying(t)
    if u is None or u.kind != "named" or u.name not in _INTEGERS:
        return None
    ranges = resolver.index.fact("cost.enum_ranges", lambda: _enum_ranges(resolver))
    return ranges.get(t.name)


def _enum_ranges(resolver: Resolver) -> dict[str, tuple[int, int]]:
    """Per named type of the package: the range of its declared constants (when there are two or more
    and all are known)."""
    values: dict[str, list[int | None]] = {}
    for f in resolver.index.files:
        r = resolver_for(resolver.index, f)
        for decl in f.tree.root_node.named_children:
            if decl.type != "const_declaration":
                continue
            current: str | None = None
            for spec in (c for c in decl.named_children if c.type == "const_spec"):
                type_node = spec.child_by_field_name("type")
                if type_node is not None:
                    current = type_node.text.decode() if type_node.type == "type_identifier" else None
                elif spec.child_by_field_name("value") is not None:
                    current = None  # `X = 3` starts an untyped run (or another type by conversion)
                if current is None:
                    continue
                for name in spec.children_by_field_name("name"):
                    values.setdefault(current, []).append(const_value(name, r))
    out: dict[str, tuple[int, int]] = {}
    for name, vs in values.items():
        if len(vs) >= 2 and all(v is not None for v in vs):
            known = [v for v in vs if v is not None]
            out[name] = (min(known), max(known))
    return out


def _loop_clause(b: Binding) -> Node | None:
    """The `for` clause (`i := 0; …`) or range clause (`i, c := range s`) that declares `b`, or None."""
    decl = b.decl
    clause = decl if decl is not None and decl.type == "range_clause" else (decl.parent if decl else None)
    return clause if clause is not None and clause.type in ("range_clause", "for_clause") else None


def _counter_range(b: Binding, resolver: Resolver) -> tuple[int, int] | None:
    """The values a `for` loop's counter takes, when its clause fixes them (`loops.counter`)."""
    clause = _loop_clause(b)
    loop = clause.parent if clause is not None else None
    c = loops.counter(loop, resolver) if loop is not None and loop.type == "for_statement" else None
    if c is None or c.ident != b.ident or c.hi < c.lo:
        return None
    return c.lo, c.hi


_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _guarded_range(expr: Node, b: Binding | None, resolver: Resolver) -> tuple[int, int] | None:
    """`if c <= 5 { … c … }` (also `switch { case c < 0x80: …`, either side of `&&`): the bounds the
    conditions around `expr` put on a variable nothing writes after its declaration, when it cannot be
    negative (an unsigned type, a `len` or `cap`, or a lower bound among the conditions)."""
    if b is None or b.kind not in ("local", "param") or b.ident is None:
        return None
    lo: int | None = None
    hi: int | None = None
    for cond in _conditions_around(expr):
        for part in _conjuncts(cond):
            bound = _bound(part, b, resolver)
            if bound is None:
                continue
            op, k = bound
            if op in ("<", "<="):
                k = k - 1 if op == "<" else k
                hi = k if hi is None else min(hi, k)
            else:
                k = k + 1 if op == ">" else k
                lo = k if lo is None else max(lo, k)
    if hi is None:
        return None
    if lo is None or lo < 0:
        t = resolver.underlying(resolver.type_of(expr))
        value = unparen(b.value) if b.kind == "local" and b.value_count == 1 else None
        fn = (
            value.child_by_field_name("function")
            if value is not None and value.type == "call_expression"
            else None
        )
        if (
            (t is not None and t.kind == "named" and t.name in _UNSIGNED)
            or (fn is not None and fn.text in (b"len", b"cap") and resolver.is_builtin(fn))
            or _rune_of_string(b, resolver)
        ):
            lo = max(lo or 0, 0)
    if lo is None or lo > hi or loops.written_elsewhere(b, None, resolver):
        return None
    return lo, hi


def _rune_of_string(b: Binding, resolver: Resolver) -> bool:
    """`for _, c := range s` over a string: `c` is a code point (or U+FFFD for a bad byte), never negative."""
    clause = _loop_clause(b)
    if clause is None or clause.type != "range_clause":
        return False
    left = clause.child_by_field_name("left")
    names = expression_list(left) if left is not None else []
    if len(names) != 2 or names[1] != b.ident:
        return False
    t = resolver.underlying(resolver.type_of(clause.child_by_field_name("right")))
    return t is not None and t.kind == "named" and not t.pkg and t.name == "string"


def _conditions_around(expr: Node) -> list[Node]:
    """The conditions that hold where `expr` runs: of each `if` whose consequence holds it, and each case
    of a tagless `switch` whose body holds it, up to the enclosing function."""
    out = []
    child, node = expr, expr.parent
    while node is not None and node.type not in FUNCTION_TYPES:
        if node.type == "if_statement" and node.child_by_field_name("consequence") == child:
            cond = node.child_by_field_name("condition")
            if cond is not None and node.child_by_field_name("initializer") is None:
                out.append(cond)
        elif node.type == "expression_case" and child.type == "statement_list":
            switch = node.parent
            values = node.child_by_field_name("value")
            if (
                switch is not None
                and switch.child_by_field_name("value") is None
                and values is not None
                and len(values.named_children) == 1
            ):
                out.append(values.named_children[0])
        child, node = node, node.parent
    return out


def _conjuncts(cond: Node) -> list[Node]:
    cond = unparen(cond) or cond
    if cond.type == "binary_expression":
        op = cond.child_by_field_name("operator")
        if op is not None and op.type == "&&":
            left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
            return [*(_conjuncts(left) if left else []), *(_conjuncts(right) if right else [])]
    return [cond]


def _bound(cond: Node, b: Binding, resolver: Resolver) -> tuple[str, int] | None:
    """`v < K` as ("<", K), with `K > v` read the same way, for the variable `b` and a constant K."""
    if cond.type != "binary_expression":
        return None
    op = cond.child_by_field_name("operator")
    left, right = unparen(cond.child_by_field_name("left")), unparen(cond.child_by_field_name("right"))
    if op is None or op.type not in _FLIPPED or left is None or right is None:
        return None
    for var, k, rel in ((left, right, op.type), (right, left, _FLIPPED[op.type])):
        if var.type == "identifier" and resolver.resolve(var) is b:
            value = const_value(k, resolver)
            if value is not None:
                return rel, value
    return None


def _provably_empty(expr: Node, u: GoType, resolver: Resolver) -> bool:
    """A string or slice known to be empty (`""`) or nil here: a local declared without a value or with
    `nil`/`""`, and never written again."""
    if u.kind not in ("slice", "named") or (u.kind == "named" and u.name != "string"):
        return False
    if expr.type != "identifier":
        return False
    b = resolver.resolve(expr)
    if b is None or b.kind != "local" or b.value_count != 1:
        return False
    value = unparen(b.value)
    empty = value is None or value.type == "nil" or value.text in (b'""', b"``")
    return empty and not loops.written_elsewhere(b, None, resolver)

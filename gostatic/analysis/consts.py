"""Constant folding of integer constant expressions, as far as the source of one package shows them.

Rules that reason about sizes (ESC002's stack limits, array lengths for LAY) need the value of
expressions such as `64 << 10`, `N * unsafe.Sizeof(uint64(0))` or `maxFrames + 1`. Go constant arithmetic
is exact, so values are kept as Python integers, or as fractions once a float enters (`fractions` is
imported only then: most packages fold integers only, and a one-file run should not pay for it), and only
an integral result is returned. Anything the source
does not pin down (an imported constant that is not listed here, a call, a float that is not integral)
yields None, and callers stay silent.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gostatic.analysis.scopes import Binding, Resolver, resolver_for
from gostatic.analysis.sizes import sizes_for
from gostatic.analysis.types import BASIC_SIZES
from gostatic.parse.syntax import Node, call_args, expression_list, text, unparen, walk, writes

if TYPE_CHECKING:
    from fractions import Fraction

INTEGER_TYPES = frozenset(BASIC_SIZES) - {"bool", "string", "float32", "float64", "complex64", "complex128"}

# Constants of other packages that size computations commonly use.
_IMPORTED: dict[str, int] = {
    **{f"math.MaxInt{n}": (1 << (n - 1)) - 1 for n in (8, 16, 32, 64)},
    **{f"math.MinInt{n}": -(1 << (n - 1)) for n in (8, 16, 32, 64)},
    **{f"math.MaxUint{n}": (1 << n) - 1 for n in (8, 16, 32, 64)},
    "math.MaxInt": (1 << 63) - 1,
    "math.MaxUint": (1 << 64) - 1,
    "math.MinInt": -(1 << 63),
    "time.Nanosecond": 1,
    "time.Microsecond": 1_000,
    "time.Millisecond": 1_000_000,
    "time.Second": 1_000_000_000,
    "time.Minute": 60_000_000_000,
    "time.Hour": 3_600_000_000_000,
    "os.O_RDONLY": 0,
    "io.SeekStart": 0,
    "io.SeekCurrent": 1,
    "io.SeekEnd": 2,
    # the Unicode limits a rune is compared with (`if r < utf8.RuneSelf {`), as unicode/utf8 and unicode
    # declare them
    "unicode/utf8.RuneError": 0xFFFD,
    "unicode/utf8.RuneSelf": 0x80,
    "unicode/utf8.MaxRune": 0x10FFFF,
    "unicode/utf8.UTFMax": 4,
    "unicode.MaxRune": 0x10FFFF,
    "unicode.ReplacementChar": 0xFFFD,
    "unicode.MaxASCII": 0x7F,
    "unicode.MaxLatin1": 0xFF,
}
_LEGACY_OCTAL = re.compile(r"^0[0-7]+$")
_MAX_DEPTH = 40


class _Val:
    """An exact constant value and whether its kind is integer (which decides how `/` divides)."""

    __slots__ = ("is_int", "v")

    def __init__(self, v: int | Fraction, is_int: bool) -> None:
        self.v = v
        self.is_int = is_int


def const_value(expr: Node | None, resolver: Resolver, *, follow_locals: bool = False) -> int | None:
    """The integer value of a constant expression, or None when it is not one (or not known).

    With `follow_locals`, a local variable that is assigned exactly once, from a constant expression, and
    never reassigned or address-taken counts as that constant (what the compiler's static-value analysis
    does for `n := 4096; make([]byte, n)`).
    """
    val = _Folder(resolver, follow_locals).eval(expr, None, 0)
    if val is None or val.v.denominator != 1:
        return None
    return int(val.v)


def parse_int_literal(raw: str) -> int | None:
    s = raw.replace("_", "")
    try:
        if _LEGACY_OCTAL.match(s):
            return int(s, 8)
        return int(s, 0)
    except ValueError:
        return None


def is_reassigned(binding: Binding, resolver: Resolver) -> bool:
    """True when a local is written after its declaration or may be (`syntax.writes`)."""
    return any(ref != binding.ident and writes(ref) for ref in resolver.references(binding))


class _Folder:
    def __init__(self, resolver: Resolver, follow_locals: bool) -> None:
        self.resolver = resolver
        self.follow_locals = follow_locals

    def eval(self, expr: Node | None, iota: int | None, depth: int) -> _Val | None:
        expr = unparen(expr)
        if expr is None or depth > _MAX_DEPTH:
            return None
        t = expr.type
        if t == "int_literal":
            n = parse_int_literal(text(expr).decode())
            return None if n is None else _Val(n, True)
        if t == "float_literal":
            try:
                from fractions import Fraction

                return _Val(Fraction(text(expr).decode().replace("_", "")), False)
            except ValueError:
                return None
        if t == "rune_literal":
            r = _rune_value(text(expr).decode("utf-8", "replace"))
            return None if r is None else _Val(r, True)
        if t == "iota":
            return None if iota is None else _Val(iota, True)
        if t == "identifier":
            return self._ident(expr, iota, depth)
        if t == "unary_expression":
            op = expr.child_by_field_name("operator")
            inner = self.eval(expr.child_by_field_name("operand"), iota, depth + 1)
            if inner is None or op is None:
                return None
            if op.type == "-":
                return _Val(-inner.v, inner.is_int)
            if op.type == "+":
                return inner
            return None  # ^x depends on the (possibly unsigned) type
        if t == "binary_expression":
            return self._binary(expr, iota, depth)
        if t == "call_expression":
            return self._call(expr, iota, depth)
        if t == "selector_expression":
            operand = unparen(expr.child_by_field_name("operand"))
            field = expr.child_by_field_name("field")
            if operand is None or field is None or operand.type != "identifier":
                return None
            b = self.resolver.resolve(operand)
            if b is None or b.kind != "import":
                return None
            n = _IMPORTED.get(f"{b.import_path}.{text(field).decode()}")
            return None if n is None else _Val(n, True)
        return None

    def _ident(self, expr: Node, iota: int | None, depth: int) -> _Val | None:
        b = self.resolver.resolve(expr)
        if b is None:
            return None
        if b.kind == "builtin":
            return _Val(iota, True) if b.name == "iota" and iota is not None else None
        if b.is_const and b.decl is not None and b.decl.type == "const_spec":
            return self._const_spec_value(b, depth)
        if self.follow_locals and b.kind == "local" and b.value is not None and b.value_count == 1:
            if b.decl is None or b.decl.type not in ("short_var_declaration", "var_spec"):
                return None
            if is_reassigned(b, self.resolver):
                return None
            return self._in_file_of(b).eval(b.value, None, depth + 1)
        return None

    def _in_file_of(self, b: Binding) -> _Folder:
        if b.file is None or b.file is self.resolver.file:
            return self
        return _Folder(resolver_for(self.resolver.index, b.file), self.follow_locals)

    def _const_spec_value(self, b: Binding, depth: int) -> _Val | None:
        """A const name's value, with iota and the implicit repetition of the previous expression list."""
        spec = b.decl
        assert spec is not None
        decl = spec.parent
        names = spec.children_by_field_name("name")
        idx = next(
            (i for i, n in enumerate(names) if b.ident is not None and n.start_byte == b.ident.start_byte), -1
        )
        if idx < 0:
            return None
        iota = 0
        specs: list[Node] = []
        if decl is not None:
            specs = [c for c in decl.named_children if c.type == "const_spec"]
            iota = next((i for i, s in enumerate(specs) if s.start_byte == spec.start_byte), 0)
        source = spec
        if spec.child_by_field_name("value") is None:
            earlier = [s for s in specs[:iota] if s.child_by_field_name("value") is not None]
            if not earlier:
                return None
            source = earlier[-1]
        values = expression_list(source.child_by_field_name("value"))
        if len(values) != len(names):
            return None
        val = self._in_file_of(b).eval(values[idx], iota, depth + 1)
        if val is None:
            return None
        type_node = source.child_by_field_name("type")
        if type_node is not None:
            kind = self._integer_type(type_node)
            if kind is None:
                return (
                    None
                    if val.v.denominator != 1
                    else _Val(val.v, _is_integer_name(text(type_node).decode()))
                )
            return _Val(val.v, True) if val.v.denominator == 1 else None
        return val

    def _integer_type(self, type_node: Node) -> str | None:
        """The builtin integer type a type expression denotes (through same-package named types)."""
        name = text(type_node).decode()
        if type_node.type in ("type_identifier", "identifier"):
            if name in INTEGER_TYPES:
                b = self.resolver.resolve_package_name(name)
                if b is None or b.kind == "builtin":
                    return name
            decl = self.resolver.index.types.get(name)
            if decl is not None and decl.type_node is not None and decl.type_node.type == "type_identifier":
                inner = text(decl.type_node).decode()
                if inner in INTEGER_TYPES and inner not in self.resolver.index.types:
                    return inner
        if type_node.type == "qualified_type" and name in ("time.Duration", "os.FileMode", "fs.FileMode"):
            return "int64" if name == "time.Duration" else "uint32"
        return None

    def _binary(self, expr: Node, iota: int | None, depth: int) -> _Val | None:
        op = expr.child_by_field_name("operator")
        left = self.eval(expr.child_by_field_name("left"), iota, depth + 1)
        if op is None or left is None:
            return None
        right = self.eval(expr.child_by_field_name("right"), iota, depth + 1)
        if right is None:
            return None
        a, b = left.v, right.v
        both_int = left.is_int and right.is_int
        match op.type:
            case "+":
                return _Val(a + b, both_int)
            case "-":
                return _Val(a - b, both_int)
            case "*":
                return _Val(a * b, both_int)
            case "/":
                if b == 0:
                    return None
                if both_int:
                    q = abs(a.numerator) // abs(b.numerator)
                    return _Val(q if (a < 0) == (b < 0) else -q, True)
                from fractions import Fraction

                return _Val(Fraction(a) / b, False)
        if a.denominator != 1 or b.denominator != 1:
            return None
        x, y = int(a), int(b)
        match op.type:
            case "%":
                if y == 0:
                    return None
                r = abs(x) % abs(y)
                return _Val(r if x >= 0 else -r, True)
            case "<<":
                return _Val(x << y, True) if 0 <= y <= 1024 else None
            case ">>":
                return _Val(x >> y, True) if y >= 0 else None
            case "&":
                return _Val(x & y, True)
            case "|":
                return _Val(x | y, True)
            case "^":
                return _Val(x ^ y, True) if x >= 0 and y >= 0 else None
            case "&^":
                return _Val(x & ~y, True) if x >= 0 and y >= 0 else None
        return None

    def _call(self, expr: Node, iota: int | None, depth: int) -> _Val | None:
        fn = unparen(expr.child_by_field_name("function"))
        args = call_args(expr)
        if fn is None or len(args) != 1:
            return None
        if fn.type in ("identifier", "type_identifier"):
            b = (
                self.resolver.resolve(fn)
                if fn.type == "identifier"
                else self.resolver.resolve_package_name(text(fn).decode())
            )
            if b is None:
                return None
            if b.kind == "builtin" and b.name in INTEGER_TYPES:
                val = self.eval(args[0], iota, depth + 1)
                return _Val(val.v, True) if val is not None and val.v.denominator == 1 else None
            if b.kind == "builtin" and b.name in ("len", "cap"):
                s = _string_literal(unparen(args[0])) if b.name == "len" else None
                n = len(s) if s is not None else self._array_length(args[0])
                return None if n is None else _Val(n, True)
            if b.kind == "type" and self._integer_type(fn) is not None:
                val = self.eval(args[0], iota, depth + 1)
                return _Val(val.v, True) if val is not None and val.v.denominator == 1 else None
            return None
        if fn.type == "selector_expression":
            operand = unparen(fn.child_by_field_name("operand"))
            field = fn.child_by_field_name("field")
            if operand is None or field is None or operand.type != "identifier":
                return None
            b = self.resolver.resolve(operand)
            if b is None or b.kind != "import" or b.import_path != "unsafe":
                return None
            if text(field) == b"Sizeof":
                layout = sizes_for(self.resolver.index).of_expr(args[0], self.resolver)
                return None if layout is None else _Val(layout.size, True)
            if text(field) == b"Alignof":
                layout = sizes_for(self.resolver.index).of_expr(args[0], self.resolver)
                return None if layout is None else _Val(layout.align, True)
        return None

    def _array_length(self, arg: Node) -> int | None:
        """`len(a)` and `cap(a)` of an array, or of a pointer to one, are constants (the Go spec) unless `a`
        holds a call or a receive, which the compiler then evaluates."""
        n = array_length(arg, self.resolver)
        if n is None or any(
            c.type == "call_expression" or (c.type == "unary_expression" and text(c).startswith(b"<-"))
            for c in walk(arg)
        ):
            return None
        return n


def array_length(expr: Node, resolver: Resolver) -> int | None:
    """The length of `expr`'s type when it is an array or a pointer to one (a range over it runs that
    many times), else None."""
    t = resolver.underlying(resolver.type_of(expr))
    if t is not None and t.kind == "pointer":
        t = resolver.underlying(t.elem)
    return t.length if t is not None and t.kind == "array" else None


def _is_integer_name(name: str) -> bool:
    return name in INTEGER_TYPES


def _string_literal(node: Node | None) -> bytes | None:
    if node is None:
        return None
    raw = text(node)
    if node.type == "raw_string_literal":
        return raw[1:-1].replace(b"\r", b"")
    if node.type == "interpreted_string_literal":
        body = raw[1:-1]
        return body if b"\\" not in body else _unescape(body)
    return None


_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "'": 39, '"': 34}
_ESCAPE = re.compile(
    rb"\\(?:([abfnrtv\\'\"])|x([0-9a-fA-F]{2})|([0-7]{3})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))"
)


def _unescape(body: bytes) -> bytes | None:
    """The bytes of a Go interpreted string body: \\x and octal escapes are bytes, \\u and \\U are UTF-8."""
    out = bytearray()
    pos = 0
    for m in _ESCAPE.finditer(body):
        if body.find(b"\\", pos, m.start()) >= 0:
            return None  # an escape Go would reject
        out += body[pos : m.start()]
        simple, hx, octal, u4, u8 = m.groups()
        if simple is not None:
            out.append(_SIMPLE_ESCAPES[simple.decode()])
        elif hx is not None or octal is not None:
            out.append(int(hx, 16) if hx is not None else int(octal, 8) & 0xFF)
        else:
            try:
                out += chr(int(u4 or u8, 16)).encode("utf-8")
            except (ValueError, UnicodeEncodeError):
                return None
        pos = m.end()
    if body.find(b"\\", pos) >= 0:
        return None
    return bytes(out + body[pos:])


def _rune_value(raw: str) -> int | None:
    body = raw[1:-1]
    if len(body) == 1:
        return ord(body)
    if not body.startswith("\\"):
        return None
    if len(body) == 2 and body[1] in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[body[1]]
    try:
        if body[1] in "xuU":
            return int(body[2:], 16)
        if body[1] in "01234567":
            return int(body[1:], 8)
    except ValueError:
        return None
    return None

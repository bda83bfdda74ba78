"""A syntactic model of Go types: just enough to tell pointer-shaped from value types, element types of
containers, and sizes. Anything the source does not state plainly stays unknown (None)."""

from __future__ import annotations

import attrs

BASIC_SIZES: dict[str, int] = {
    "bool": 1,
    "int8": 1,
    "uint8": 1,
    "byte": 1,
    "int16": 2,
    "uint16": 2,
    "int32": 4,
    "rune": 4,
    "uint32": 4,
    "float32": 4,
    "int": 8,
    "uint": 8,
    "int64": 8,
    "uint64": 8,
    "uintptr": 8,
    "float64": 8,
    "complex64": 8,
    "complex128": 16,
    "string": 16,
}
NUMERIC = frozenset(BASIC_SIZES) - {"bool", "string"}
INTERFACE_BUILTINS = frozenset({"error", "any", "comparable"})
BUILTIN_TYPES = frozenset(BASIC_SIZES) | INTERFACE_BUILTINS


@attrs.frozen
class GoType:
    """kind is one of: named, pointer, slice, array, map, chan, func, interface, struct, tuple, untyped.

    A named type carries `pkg` (import path, "" for the package being analysed or a builtin) and `name`.
    An untyped constant carries its default kind in `name` ("int", "float", "rune", "string", "bool", "nil").
    """

    kind: str
    name: str = ""
    pkg: str = ""
    elem: GoType | None = None
    key: GoType | None = None
    length: int | None = None
    items: tuple[GoType | None, ...] = ()

    # constructors -----------------------------------------------------------------------------------
    @staticmethod
    def named(name: str, pkg: str = "") -> GoType:
        return GoType("named", name=name, pkg=pkg)

    @staticmethod
    def pointer(elem: GoType | None) -> GoType:
        return GoType("pointer", elem=elem)

    @staticmethod
    def slice(elem: GoType | None) -> GoType:
        return GoType("slice", elem=elem)

    @staticmethod
    def tuple(*items: GoType | None) -> GoType:
        return GoType("tuple", items=tuple(items))

    # queries ----------------------------------------------------------------------------------------
    @property
    def qualified(self) -> str:
        """`bytes.Buffer`, `net/http.Request`, `int`, or a local `T`."""
        return f"{self.pkg}.{self.name}" if self.pkg else self.name

    def is_named(self, qualified: str) -> bool:
        return self.kind == "named" and self.qualified == qualified

    def deref(self) -> GoType:
        if self.kind == "pointer" and self.elem is not None:
            return self.elem
        return self

    @property
    def is_basic(self) -> bool:
        return self.kind == "named" and not self.pkg and self.name in BUILTIN_TYPES

    @property
    def is_interface(self) -> bool:
        return self.kind == "interface" or (
            self.kind == "named" and not self.pkg and self.name in INTERFACE_BUILTINS
        )

    def __str__(self) -> str:
        match self.kind:
            case "named":
                return self.qualified
            case "pointer":
                return f"*{_s(self.elem)}"
            case "slice":
                return f"[]{_s(self.elem)}"
            case "array":
                return f"[{self.length if self.length is not None else '?'}]{_s(self.elem)}"
            case "map":
                return f"map[{_s(self.key)}]{_s(self.elem)}"
            case "chan":
                return f"chan {_s(self.elem)}"
            case "tuple":
                return "(" + ", ".join(_s(i) for i in self.items) + ")"
            case "untyped":
                return f"untyped {self.name}"
            case _:
                return self.kind


_UNTYPED_DEFAULTS = {
    "int": "int",
    "float": "float64",
    "complex": "complex128",
    "rune": "rune",
    "string": "string",
    "bool": "bool",
}


def default_type(t: GoType | None) -> GoType | None:
    """The type an untyped constant takes where no other type is asked for (a `...any` argument, `:=`):
    its default type (`42` is an int, `"x"` a string). Typed values are returned as they are; untyped
    nil has no default type (None)."""
    if t is None or t.kind != "untyped":
        return t
    name = _UNTYPED_DEFAULTS.get(t.name)
    return GoType.named(name) if name else None


def _s(t: GoType | None) -> str:
    return "?" if t is None else str(t)


def parse_type(spec: str) -> GoType | None:
    """Parse a compact type spelling used in tables: `*time.Ticker`, `[]byte`, `map[string]any`,
    `net/http.Request`, `(context.Context, context.CancelFunc)`, `chan time.Time`, `func`."""
    spec = spec.strip()
    if not spec or spec == "?":
        return None
    if spec.startswith("(") and spec.endswith(")"):
        return GoType.tuple(*(parse_type(p) for p in _split_top(spec[1:-1])))
    if spec.startswith("*"):
        return GoType.pointer(parse_type(spec[1:]))
    if spec.startswith("[]"):
        return GoType.slice(parse_type(spec[2:]))
    if spec.startswith("["):
        close = spec.index("]")
        return GoType("array", length=int(spec[1:close]), elem=parse_type(spec[close + 1 :]))
    if spec.startswith("map["):
        depth, i = 0, 3
        for i in range(3, len(spec)):
            depth += {"[": 1, "]": -1}.get(spec[i], 0)
            if depth == 0:
                break
        return GoType("map", key=parse_type(spec[4:i]), elem=parse_type(spec[i + 1 :]))
    if spec.startswith("<-chan ") or spec.startswith("chan "):
        return GoType("chan", elem=parse_type(spec.split(" ", 1)[1]))
    if spec in ("func", "interface", "struct"):
        return GoType(spec)
    if spec in ("any", "error"):
        return GoType.named(spec)
    if "." in spec:
        pkg, _, name = spec.rpartition(".")
        return GoType.named(name, pkg)
    return GoType.named(spec)


def _split_top(s: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return parts

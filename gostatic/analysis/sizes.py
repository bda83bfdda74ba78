"""Sizes, alignments and pointer-bearing prefixes of Go types on amd64, as far as the source states them.

ESC002 compares a local's size with the compiler's stack limits; the LAY rules compute struct padding
and what the garbage collector scans (the pointer-bearing prefix, "ptrdata": the bytes from the start of
a value up to the end of its last pointer word). Same-package types are laid out from their declarations
(fields in order, each at a multiple of its alignment, the struct padded to its own alignment, plus one
byte after a trailing zero-size field); a short table covers the standard library types that commonly
appear as fields. Anything else — generic types, types of other packages not in the table — is unknown
(None), and callers say nothing.
"""

from __future__ import annotations

import attrs

from gostatic.analysis import stdlib
from gostatic.analysis.depth import unknown_when_too_deep
from gostatic.analysis.index import PackageIndex, SourceFile, is_embedded_pointer, type_from_node
from gostatic.analysis.scopes import Resolver, resolver_for
from gostatic.analysis.types import BASIC_SIZES, GoType
from gostatic.parse.syntax import Node, field_declarations, text, unparen

PTR = 8  # amd64 word


@attrs.frozen(repr=False)
class Layout:
    size: int
    align: int
    ptrdata: int  # bytes from the start up to the end of the last pointer word; 0 = pointer-free

    @property
    def has_pointers(self) -> bool:
        return self.ptrdata > 0


@attrs.frozen(repr=False)
class FieldLayout:
    """One field declaration of a struct (`a, b int` is one declaration of two fields)."""

    decl: Node  # the field_declaration
    names: tuple[str, ...]  # empty for an embedded field
    layout: Layout  # of one field of the declaration

    @property
    def count(self) -> int:
        return max(1, len(self.names))


WORD = Layout(PTR, PTR, PTR)
IFACE = Layout(2 * PTR, PTR, 2 * PTR)
SLICE = Layout(3 * PTR, PTR, PTR)
STRING = Layout(2 * PTR, PTR, PTR)

# (size, align, ptrdata) of standard library types on amd64, measured with go1.27 (reflect).
_STDLIB: dict[str, tuple[int, int, int]] = {
    "bytes.Buffer": (40, 8, 8),
    "bytes.Reader": (40, 8, 8),
    "encoding/json.Number": (16, 8, 8),
    "encoding/json.RawMessage": (24, 8, 8),
    "io/fs.FileMode": (4, 4, 0),
    "log/slog.Attr": (40, 8, 40),
    "log/slog.Level": (8, 8, 0),
    "log/slog.Value": (24, 8, 24),
    "math/big.Int": (32, 8, 16),
    "net.IP": (24, 8, 8),
    "net.IPMask": (24, 8, 8),
    "net.IPNet": (48, 8, 32),
    "net/netip.Addr": (24, 8, 24),
    "net/netip.AddrPort": (32, 8, 24),
    "net/netip.Prefix": (32, 8, 24),
    "net/url.URL": (144, 8, 128),
    "net/url.Values": (8, 8, 8),
    "os.FileMode": (4, 4, 0),
    "reflect.Kind": (8, 8, 0),
    "reflect.StructTag": (16, 8, 8),
    "reflect.Value": (24, 8, 16),
    "sort.IntSlice": (24, 8, 8),
    "sort.StringSlice": (24, 8, 8),
    "strings.Builder": (32, 8, 16),
    "strings.Reader": (32, 8, 8),
    "sync.Map": (48, 8, 40),
    "sync.Mutex": (8, 4, 0),
    "sync.Once": (12, 4, 0),
    "sync.Pool": (40, 8, 40),
    "sync.RWMutex": (24, 4, 0),
    "sync.WaitGroup": (16, 8, 0),
    "sync/atomic.Bool": (4, 4, 0),
    "sync/atomic.Int32": (4, 4, 0),
    "sync/atomic.Int64": (8, 8, 0),
    "sync/atomic.Pointer": (8, 8, 8),
    "sync/atomic.Uint32": (4, 4, 0),
    "sync/atomic.Uint64": (8, 8, 0),
    "sync/atomic.Uintptr": (8, 8, 0),
    "sync/atomic.Value": (16, 8, 16),
    "time.Duration": (8, 8, 0),
    "time.Month": (8, 8, 0),
    "time.Time": (24, 8, 24),
    "time.Weekday": (8, 8, 0),
}


def _align_up(n: int, a: int) -> int:
    return (n + a - 1) // a * a


def basic_layout(name: str) -> Layout | None:
    size = BASIC_SIZES.get(name)
    if size is None:
        return IFACE if name in ("any", "error") else None
    if name == "string":
        return STRING
    align = {"complex64": 4, "complex128": 8}.get(name, min(size, PTR))
    return Layout(size, align, 0)


def array_layout(length: int, elem: Layout) -> Layout:
    ptrdata = 0 if length == 0 or elem.ptrdata == 0 else (length - 1) * elem.size + elem.ptrdata
    return Layout(length * elem.size, elem.align, ptrdata)


def struct_layout(fields: list[Layout]) -> Layout:
    """Lay out fields in the given order, as the gc compiler does on amd64."""
    offset, align, ptrdata = 0, 1, 0
    for f in fields:
        offset = _align_up(offset, f.align)
        if f.ptrdata:
            ptrdata = offset + f.ptrdata
        offset += f.size
        align = max(align, f.align)
    if fields and fields[-1].size == 0 and offset > 0:
        offset += 1  # a pointer to a trailing zero-size field must not point past the object
    return Layout(_align_up(offset, align), align, ptrdata)


class Sizes:
    """Layouts for one package (cached per type declaration)."""

    def __init__(self, index: PackageIndex) -> None:
        self.index = index
        self._named: dict[str, Layout | None] = {}
        self._structs: dict[int, Layout | None] = {}
        self._arrays: dict[int, Layout | None] = {}
        self._busy: set[str] = set()

    # ------------------------------------------------------------------------------------------ entry points
    @unknown_when_too_deep
    def of_type(self, t: GoType | None) -> Layout | None:
        """Layout of a GoType; arrays need a known length, named types a same-package declaration or the table."""
        if t is None:
            return None
        match t.kind:
            case "pointer" | "map" | "chan" | "func":
                return WORD
            case "slice":
                return SLICE
            case "interface":
                return IFACE
            case "array":
                elem = self.of_type(t.elem)
                return None if t.length is None or elem is None else array_layout(t.length, elem)
            case "named":
                return self._named_layout(t.name, t.pkg)
        return None

    @unknown_when_too_deep
    def of_node(self, node: Node | None, file: SourceFile) -> Layout | None:
        """Layout of a type expression written in `file` (struct types are laid out field by field)."""
        node = unparen(node)
        if node is None:
            return None
        match node.type:
            case "type_identifier":  # the commonest field type: no GoType needed
                return self._named_layout(text(node).decode(), "")
            case "pointer_type" | "map_type" | "channel_type" | "function_type":
                return WORD
            case "slice_type":
                return SLICE
            case "struct_type":  # once per node: ESC002 asks of every struct type, and again through names
                key = node.id
                if key in self._structs:
                    return self._structs[key]
                fields = self.fields(node, file)
                found = self._structs[key] = None if fields is None else struct_layout(_expand(fields))
                return found
            case "array_type":  # once per node too: nested arrays (`[1][1]…int`) are asked at every level
                key = node.id
                if key in self._arrays:
                    return self._arrays[key]
                length = self._array_length(node, file)
                elem = self.of_node(node.child_by_field_name("element"), file)
                found = self._arrays[key] = (
                    None if length is None or elem is None else array_layout(length, elem)
                )
                return found
            case "parenthesized_type":
                return self.of_node(node.named_children[0], file) if node.named_children else None
            case "generic_type":
                base = node.child_by_field_name("type")
                if base is not None and base.type == "qualified_type" and text(base) in (b"atomic.Pointer",):
                    return self.of_type(type_from_node(base, file.imports))
                return None  # a same-package generic type's layout depends on its arguments
            case "negated_type" | "union_type" | "type_elem":
                return None
        return self.of_type(type_from_node(node, file.imports))

    def of_expr(self, expr: Node | None, resolver: Resolver) -> Layout | None:
        """Layout of an expression's static type (for `unsafe.Sizeof(x)`); None when its type is not stated."""
        return self.of_type(resolver.type_of(expr)) if expr is not None else None

    def fields(self, struct_node: Node, file: SourceFile) -> list[FieldLayout] | None:
        """The field declarations of a struct type with their layouts; None if any field's size is unknown."""
        out: list[FieldLayout] = []
        for fd in field_declarations(struct_node):
            tnode = fd.child_by_field_name("type")
            embedded_ptr = tnode is not None and is_embedded_pointer(tnode)
            layout = WORD if embedded_ptr else self.of_node(tnode, file)
            if layout is None:
                return None
            names = tuple(text(n).decode() for n in fd.children_by_field_name("name"))
            out.append(FieldLayout(fd, names, layout))
        return out

    # ------------------------------------------------------------------------------------------ helpers
    def _array_length(self, node: Node, file: SourceFile) -> int | None:
        length = node.child_by_field_name("length")
        if length is None:
            return None
        return resolver_for(self.index, file).array_length(length)

    def _named_layout(self, name: str, pkg: str) -> Layout | None:
        if pkg:
            key = f"{pkg}.{name}"
            if key in _STDLIB:
                return Layout(*_STDLIB[key])
            if key in stdlib.INTERFACE_TYPES:
                return IFACE
            if key in stdlib.REFERENCE_TYPES:
                return WORD
            return None
        decl = self.index.types.get(name)
        if decl is None:
            return basic_layout(name)
        if name in self._named:
            return self._named[name]
        if name in self._busy:
            return None  # a type containing itself by value is invalid Go; stay silent
        self._busy.add(name)
        try:
            tparams = decl.spec.child_by_field_name("type_parameters")
            result = None if tparams is not None else self.of_node(decl.type_node, decl.file)
        finally:
            self._busy.discard(name)
        self._named[name] = result
        return result


def _expand(fields: list[FieldLayout]) -> list[Layout]:
    return [f.layout for f in fields for _ in range(f.count)]


def sizes_for(index: PackageIndex) -> Sizes:
    """The shared Sizes of a package index (kept on the index: see PackageIndex.facts)."""
    return index.fact(__name__, lambda: Sizes(index))


def human_size(n: int) -> str:
    """`65536` -> "64 KiB", `65537` -> "65537 bytes", `1200000` -> "1200000 bytes (1.1 MiB)", `10485760` -> "10 MiB".

    Sizes just over a limit are spelled in bytes, so they never read like the limit itself."""
    for unit, name in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if n >= unit and n % unit == 0:
            return f"{n // unit} {name}"
    if n >= 1 << 20:
        return f"{n} bytes ({n / (1 << 20):.1f} MiB)"
    return f"{n} bytes"

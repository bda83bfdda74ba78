"""What converting a value to an interface costs, from its type's shape (amd64, gc).

The compiler stores a value in an interface word without allocating when the value is pointer-shaped
(pointers, maps, chans, funcs, and structs/arrays holding exactly one such value), zero-sized (the
runtime's `zerobase`) or one byte wide (`staticuint64s`). Every other non-constant value — numbers
wider than a byte, strings, slices, bigger structs and arrays — is copied to a new heap object
(`runtime.convT*`), which `go build -gcflags=-m` reports as "x escapes to heap".
"""

from __future__ import annotations

from typing import Literal

from gostatic.analysis.index import PackageIndex, is_embedded_pointer, type_from_node
from gostatic.analysis.stdlib import INTERFACE_TYPES, REFERENCE_TYPES, VALUE_TYPES
from gostatic.analysis.types import BASIC_SIZES, GoType
from gostatic.parse.syntax import field_declarations

Shape = Literal["pointer", "zero", "byte", "value", "interface"]

_MAX_DEPTH = 8


def shape(t: GoType | None, index: PackageIndex, depth: int = 0) -> Shape | None:
    """How a value of type `t` is held in an interface, or None when the type is not known well enough."""
    if t is None or depth > _MAX_DEPTH:
        return None
    match t.kind:
        case "pointer" | "map" | "chan" | "func":
            return "pointer"
        case "interface":
            return "interface"
        case "slice":
            return "value"
        case "array":
            if t.length is None:
                return None
            if t.length == 0:
                return "zero"
            elem = shape(t.elem, index, depth + 1)
            if elem == "interface":
                return "value"  # two words, never pointer-shaped
            if elem is None or t.length == 1 or elem == "zero":
                return elem
            return "value"
        case "named":
            return _named_shape(t, index, depth)
    return None


def _named_shape(t: GoType, index: PackageIndex, depth: int) -> Shape | None:
    if t.pkg:
        q = t.qualified
        if q in INTERFACE_TYPES:
            return "interface"
        if q in REFERENCE_TYPES:
            return "pointer"
        spec = VALUE_TYPES.get(q)
        if spec is None:
            return None
        return "byte" if spec == 1 else "value"
    if t.is_interface:
        return "interface"
    if t.name in BASIC_SIZES:
        return "byte" if BASIC_SIZES[t.name] == 1 else "value"
    decl = index.types.get(t.name)
    if decl is None or decl.type_node is None:
        return None  # a type parameter, a function-local type, or a dot import: unknown
    if decl.type_node.type == "struct_type":
        return _struct_shape(decl.type_node, decl.file.imports, index, depth)
    return shape(index.type_of_decl(decl), index, depth + 1)


def _struct_shape(node, imports, index: PackageIndex, depth: int) -> Shape | None:  # type: ignore[no-untyped-def]
    fields: list[Shape | None] = []
    for fd in field_declarations(node):
        tnode = fd.child_by_field_name("type")
        if tnode is None:
            return None
        ftype = type_from_node(tnode, imports)
        if ftype is not None and is_embedded_pointer(tnode):
            ftype = GoType.pointer(ftype)  # embedded `*T`: the grammar keeps the `*` outside the type node
        ft = shape(ftype, index, depth + 1)
        if ft == "interface":
            ft = "value"  # two words
        fields.extend([ft] * max(1, len(fd.children_by_field_name("name"))))
    if any(f is None for f in fields):
        return None
    if not fields or all(f == "zero" for f in fields):
        return "zero"
    if len(fields) == 1:
        return fields[0]
    return "value"


def boxing_allocates(t: GoType | None, index: PackageIndex) -> bool | None:
    """True when converting a non-constant value of type `t` to an interface allocates; False when it
    cannot; None when unknown."""
    s = shape(t, index)
    if s is None:
        return None
    return s == "value"

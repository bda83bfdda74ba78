"""Which expressions are `io.Writer`s, and how to spell them where an `io.Writer` is expected.

Several rules rewrite "copy, then write" into "write directly" (SER001, SER004); they must know that the
destination really is a writer and whether a value needs `&` to become one. The answer comes from the
static type only: stdlib writer types (`stdlib.WRITER_*`) and same-package types whose `Write` method has
the io.Writer signature. Unknown types are not writers.
"""

from __future__ import annotations

import attrs

from gostatic.analysis import stdlib
from gostatic.analysis.scopes import Resolver
from gostatic.analysis.types import GoType
from gostatic.parse.syntax import Node, text, unparen


@attrs.frozen(repr=False)
class WriterInfo:
    """`needs_address`: the expression is a value whose Write has a pointer receiver (pass `&x`);
    `has_write_string`: the type has a `WriteString(string) (int, error)` method; `concrete`: the static
    type is not an interface, so the method set is fully known (an interface's dynamic type may have
    more methods, such as WriteString)."""

    needs_address: bool
    has_write_string: bool
    concrete: bool = True


def writer_info(resolver: Resolver, expr: Node | None) -> WriterInfo | None:
    """How `expr` (of known static type) is an io.Writer; None when it is not one or its type is unknown."""
    t = resolver.type_of(unparen(expr))
    if t is None:
        return None
    pointer = t.kind == "pointer"
    base = t.deref()
    if base.kind != "named":
        return None
    if base.pkg:
        q = base.qualified
        if q in stdlib.WRITER_INTERFACES and not pointer:
            return WriterInfo(False, False, concrete=False)
        if q in stdlib.WRITER_STRUCTS:
            return WriterInfo(not pointer, q in stdlib.WRITE_STRING_TYPES)
        return None
    return _local_writer(resolver, base, pointer)


def _local_writer(resolver: Resolver, t: GoType, pointer: bool) -> WriterInfo | None:
    decl = resolver.index.types.get(t.name)
    if decl is None or decl.is_alias:
        return None
    if decl.type_node is not None and decl.type_node.type == "interface_type":
        if pointer or not _interface_has_write(resolver, decl.type_node):
            return None
        return WriterInfo(False, False, concrete=False)
    method = resolver.index.methods.get((t.name, "Write"))
    if method is None or not _has_writer_signature(method.node):
        return None
    ptr_receiver = _pointer_receiver(method.node)
    ws = resolver.index.methods.get((t.name, "WriteString"))
    has_ws = (
        ws is not None
        and _has_writer_signature(ws.node, "string")
        and not (_pointer_receiver(ws.node) and not pointer and not ptr_receiver)
    )
    return WriterInfo(ptr_receiver and not pointer, has_ws)


def _pointer_receiver(method: Node) -> bool:
    recv = method.child_by_field_name("receiver")
    if recv is None:
        return False
    for p in recv.named_children:
        if p.type == "parameter_declaration":
            tnode = p.child_by_field_name("type")
            return tnode is not None and tnode.type == "pointer_type"
    return False


def _has_writer_signature(fn: Node, param: str = "[]byte") -> bool:
    """`Write(p []byte) (n int, err error)` (or with a `string` parameter), spelled any way."""
    params = fn.child_by_field_name("parameters")
    result = fn.child_by_field_name("result")
    if params is None or result is None:
        return False
    ptypes = _param_types(params)
    rtypes = _param_types(result) if result.type == "parameter_list" else []
    return ptypes == [param] and rtypes == ["int", "error"]


def _param_types(plist: Node) -> list[str]:
    out: list[str] = []
    for p in plist.named_children:
        if p.type != "parameter_declaration":
            continue
        tnode = p.child_by_field_name("type")
        spelled = text(tnode).decode().replace(" ", "") if tnode is not None else "?"
        out.extend([spelled] * max(1, len(p.children_by_field_name("name"))))
    return out


def _interface_has_write(resolver: Resolver, iface: Node) -> bool:
    for elem in iface.named_children:
        if elem.type == "method_elem":
            name = elem.child_by_field_name("name")
            if name is not None and name.text == b"Write" and _has_writer_signature(elem):
                return True
        elif elem.type == "type_elem":
            for tnode in elem.named_children:
                et = resolver.type_node(tnode)
                if et is not None and et.kind == "named" and et.qualified in stdlib.WRITER_INTERFACES:
                    return True
    return False


def writer_argument(expr: Node, info: WriterInfo) -> str | None:
    """Source text that passes `expr` as an io.Writer (`w`, `&buf`), or None when `&` cannot be taken."""
    expr = unparen(expr) or expr
    spelled = text(expr).decode("utf-8", "replace")
    if not info.needs_address:
        return spelled
    if expr.type in ("identifier", "selector_expression"):
        return "&" + spelled
    return None

"""LAY: memory layout and large copies (amd64 sizes from gostatic.analysis.sizes)."""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs

from gostatic.analysis.index import PackageIndex, is_embedded_pointer
from gostatic.analysis.sizes import FieldLayout, Layout, human_size, sizes_for, struct_layout
from gostatic.parse.syntax import assigned_to, find_all, parse, text, unparen
from gostatic.rule import Edit, FileContext, Fix, Node, PerFunctionRule, Rule, RuleMeta, Severity

HUGE_PARAM = 80
HUGE_RANGE_VALUE = 128


def _order_key(f: FieldLayout) -> tuple[int, int, int, int, int]:
    """Zero-size fields first, then by alignment (largest first), pointer-bearing before pointer-free,
    among pointer-bearing ones those with the fewest bytes after their last pointer first, then larger
    first: the smallest size, with the pointer-bearing prefix kept short."""
    lay = f.layout
    trailing = lay.size - lay.ptrdata if lay.ptrdata else 0
    return (lay.size != 0, -lay.align, lay.ptrdata == 0, trailing, -lay.size)


def _expanded(fields: list[FieldLayout]) -> list[Layout]:
    return [f.layout for f in fields for _ in range(f.count)]


def _field_label(f: FieldLayout, ctx: FileContext) -> str:
    if f.names:
        return ", ".join(f.names)
    tnode = f.decl.child_by_field_name("type")
    return ctx.text(tnode).lstrip("*") if tnode is not None else "?"


# ---------------------------------------------------------------------------------------------- fix text
@attrs.define(repr=False)
class _Unit:
    """A field declaration with the comments that travel with it."""

    field: FieldLayout
    leading: list[Node] = attrs.Factory(list)
    trailing: Node | None = None


def _units(struct_node: Node, fields: list[FieldLayout]) -> list[_Unit] | None:
    """Group the field list into units; None when a comment is not attached to one field (a section
    header followed by a blank line, a comment at the end of the list) or a field spans lines."""
    by_decl = {f.decl.id: f for f in fields}
    lst = next((c for c in struct_node.named_children if c.type == "field_declaration_list"), None)
    if lst is None:
        return None
    units: list[_Unit] = []
    pending: list[Node] = []
    last_row = -1
    prev_row_end = -1
    for child in lst.named_children:
        row = child.start_point[0]
        if child.type == "comment" and row == lst.start_point[0]:
            continue  # after the opening brace: stays where it is
        if child.type == "comment":
            if units and row == units[-1].field.decl.end_point[0] and not pending:
                if units[-1].trailing is not None:
                    return None
                units[-1].trailing = child
                prev_row_end = child.end_point[0]
                continue
            if pending and row != prev_row_end + 1:
                return None  # a blank line inside a comment block
            pending.append(child)
            prev_row_end = child.end_point[0]
            continue
        if child.type != "field_declaration" or child.id not in by_decl:
            return None
        if child.start_point[0] != child.end_point[0] or row == last_row:
            return None  # multi-line type, or two fields on one line
        if pending and row != prev_row_end + 1:
            return None  # the comment block is separated from the field by a blank line
        units.append(_Unit(by_decl[child.id], pending))
        pending = []
        last_row = row
        prev_row_end = child.end_point[0]
    if pending or len(units) != len(fields):
        return None
    return units


def _cells(unit: _Unit, ctx: FileContext) -> list[str]:
    """The tab-separated cells gofmt's printer emits for a field line: names, type, tag, comment."""
    fd = unit.field.decl
    names = fd.children_by_field_name("name")
    tnode = fd.child_by_field_name("type")
    tag = fd.child_by_field_name("tag")
    cells: list[str] = []
    if names:
        cells.append(", ".join(ctx.text(n) for n in names))
    type_text = ctx.text(tnode)
    if tnode is not None and is_embedded_pointer(tnode):
        type_text = "*" + type_text
    cells.append(type_text)
    if tag is not None:
        cells.append(ctx.text(tag))
    if unit.trailing is not None:
        if tag is None and not names:
            cells.append("")  # an embedded field's comment lines up with the other fields' comments
        cells.append(ctx.text(unit.trailing))
    return cells


def _align(lines: list[list[str]]) -> list[str]:
    """Align cells like text/tabwriter as gofmt configures it (padding 1, empty columns discarded):
    every cell but a line's last is terminated; a column block is a run of lines that all have a
    terminated cell in that column."""
    widths: list[int] = []
    out = ["" for _ in lines]

    def emit(lo: int, hi: int) -> None:
        for i in range(lo, hi):
            cells = lines[i]
            s = ""
            for j, cell in enumerate(cells):
                if j < len(cells) - 1 and j < len(widths):
                    s += cell + " " * (widths[j] - len(cell)) if widths[j] else cell
                else:
                    s += cell
            out[i] = s.rstrip()

    def fmt(lo: int, hi: int) -> None:
        column = len(widths)
        i = lo
        while i < hi:
            if column >= len(lines[i]) - 1:
                i += 1
                continue
            emit(lo, i)
            lo = i
            width, empty = 0, True
            while i < hi and column < len(lines[i]) - 1:
                cell = lines[i][column]
                width = max(width, len(cell) + 1)
                empty = empty and cell == ""
                i += 1
            widths.append(0 if empty else width)
            fmt(lo, i)
            widths.pop()
            lo = i
        emit(lo, hi)

    fmt(0, len(lines))
    return out


def _reorder_fix(struct_node: Node, fields: list[FieldLayout], order: list[FieldLayout], ctx: FileContext):
    units = _units(struct_node, fields)
    if units is None:
        return None
    by_decl = {u.field.decl.id: u for u in units}
    ordered = [by_decl[f.decl.id] for f in order]
    first = units[0].leading[0] if units[0].leading else units[0].field.decl
    last = units[-1].trailing or units[-1].field.decl
    line_start = ctx.source.rfind(b"\n", 0, first.start_byte) + 1
    indent = ctx.source[line_start : first.start_byte].decode("utf-8", "replace")
    rows: list[list[str]] = []
    for u in ordered:
        rows.extend([ctx.text(c)] for c in u.leading)
        rows.append(_cells(u, ctx))
    body = "\n".join(indent + line for line in _align(rows))
    return Edit(line_start, last.end_byte, body)


def _has_unkeyed_literal(type_name: str, index: PackageIndex) -> bool:
    """Whether any file of the package builds `type_name` with positional fields (`T{1, "a"}`), also as
    an elided element type (`[]T{{1, "a"}}`): reordering the fields would change its meaning."""
    word = type_name.encode()
    roots = [f.tree.root_node for f in index.files if word in f.source]
    # generated files are not indexed, but a literal in one breaks as surely (go/types' instantiate.go)
    roots += [parse(src).root_node for src in index.generated_sources if word in src]
    for root in roots:
        for lit in find_all(root, ("literal_value",)):
            if lit.type != "literal_value":
                continue
            elems = [c for c in lit.named_children if c.type != "comment"]
            if not elems or all(e.type == "keyed_element" for e in elems):
                continue
            if _literal_may_be(lit, word):
                return True
    return False


def _literal_may_be(lit: Node, word: bytes) -> bool:
    """Whether the literal's type is (or, elided, may be) the named type."""
    pat = re.compile(rb"(?<![\w.])" + re.escape(word) + rb"(?!\w)")
    cur = lit
    while cur is not None:
        parent = cur.parent
        if parent is None:
            return False
        if parent.type == "composite_literal":
            t = parent.child_by_field_name("type")
            return t is not None and bool(pat.search(text(t)))
        if parent.type not in ("literal_element", "keyed_element", "literal_value"):
            return False
        cur = parent
    return False


class StructPadding(Rule):
    """
    ## What it finds
    A struct type whose fields, in another order, would take at least 8 bytes less on amd64, or would
    keep their pointers in a shorter prefix (the part of the object the garbage collector scans).
    Reported at the `type X struct {` line with both sizes, both pointer-bearing prefixes and the better
    order. Structs with a field of unknown size (another package's type gostatic has no layout for, a
    type parameter) are skipped, as are `structs.HostLayout` structs and files that import "C".
    ## Why it matters
    The compiler lays fields out in declaration order, padding each to its alignment: a `bool` between
    two `int64`s costs 8 bytes, in every instance, slice element and map entry. Pointer-free bytes after
    the last pointer are never scanned by the GC, so pointer fields first means less GC work.
    ## Fix safety
    Unsafe: the fix moves the field declarations (with their doc comments, trailing comments and tags)
    into the better order, which changes what reflection, `encoding/binary`, `%v` printing, `unsafe`
    offsets and JSON output (field order) see. No fix is offered when a file of the package builds the
    type with an unkeyed composite literal (`T{1, "a"}`), whose meaning would change, or when a comment
    in the struct is not attached to one field. Code outside the package that uses unkeyed literals of
    an exported type is not visible to gostatic.
    """

    meta = RuleMeta(
        code="LAY001",
        kind="cost",
        name="struct-padding",
        severity=Severity.INFO,
        summary="struct fields in an order that wastes padding or lengthens the GC-scanned prefix",
        default_on=False,
        fix="unsafe",
        bad="package p\n\ntype Item struct {\n\tok    bool\n\tid    int64\n\tvalid bool\n}\n",
        good="package p\n\ntype Item struct {\n\tid    int64\n\tok    bool\n\tvalid bool\n}\n",
    )

    def visit_type_spec(self, node: Node, ctx: FileContext) -> None:
        struct = node.child_by_field_name("type")
        if struct is None or struct.type != "struct_type" or node.child_by_field_name("type_parameters"):
            return
        if ctx.imports("C"):
            return
        fields = sizes_for(ctx.index).fields(struct, ctx.file)
        verdict = _verdict(fields, ctx.text)
        if fields is None or verdict is None:
            return
        current, order, better = verdict
        saves = current.size - better.size
        name = ctx.text(node.child_by_field_name("name"))
        labels = "; ".join(_field_label(f, ctx) for f in order)
        msg = (
            f"struct {name} is {human_size(current.size)} with {current.ptrdata} pointer-bearing bytes; ordered "
            f"{{{labels}}} it would be {human_size(better.size)} with {better.ptrdata}"
        )
        if saves >= 8:
            msg += f" (saves {saves} bytes per value, and in every slice element and map entry)"
        else:
            msg += " (a shorter prefix for the GC to scan)"
        fix = None
        if not _has_unkeyed_literal(name, ctx.index):
            # the order that is best once this run's other LAY001 fixes have reordered the struct types
            # this one holds by value: ordering by their layouts of today, a second --fix would move
            # fields again (three files of encoding/json did)
            adjusted = _FixedLayouts.of(ctx.index).adjust(fields)
            by_decl = {f.decl.id: f for f in fields}
            fix_order = [by_decl[f.decl.id] for f in sorted(adjusted, key=_order_key)]
            edit = _reorder_fix(struct, fields, fix_order, ctx) if fix_order != fields else None
            if edit is not None:
                fix = Fix(f"reorder the fields of {name}", [edit], safe=False)
        ctx.report(node, msg, fix=fix, end=node.child_by_field_name("name"))


def _verdict(
    fields: list[FieldLayout] | None, text_of: Callable[[Node | None], str]
) -> tuple[Layout, list[FieldLayout], Layout] | None:
    """(layout now, better order, layout in it) when the order of `fields` is worth reporting."""
    if fields is None or len(fields) < 2:
        return None
    if any(text_of(f.decl.child_by_field_name("type")) == "structs.HostLayout" for f in fields):
        return None
    current = struct_layout(_expanded(fields))
    order = sorted(fields, key=_order_key)
    better = struct_layout(_expanded(order))
    if better.size > current.size or better.ptrdata > current.ptrdata:
        return None
    if current.size - better.size < 8 and better.ptrdata >= current.ptrdata:
        return None
    return current, order, better


class _FixedLayouts:
    """Layouts of the package's struct types as they will be after this run's LAY001 fixes: a struct held
    by value changes its holder's best order when it is reordered itself (its pointer-bearing prefix
    moves). Only what a fix is offered for is predicted reordered; anything else keeps today's layout."""

    def __init__(self, index: PackageIndex) -> None:
        self.index = index
        self.sizes = sizes_for(index)
        self.memo: dict[str, Layout | None] = {}
        self.busy: set[str] = set()

    @classmethod
    def of(cls, index: PackageIndex) -> _FixedLayouts:
        return index.fact("lay.fixed_layouts", lambda: cls(index))

    def adjust(self, fields: list[FieldLayout]) -> list[FieldLayout]:
        out = []
        for f in fields:
            tnode = f.decl.child_by_field_name("type")
            lay = None
            if tnode is not None and tnode.type == "type_identifier" and not is_embedded_pointer(tnode):
                lay = self.of_named(text(tnode).decode())
            out.append(f if lay is None or lay == f.layout else attrs.evolve(f, layout=lay))
        return out

    def of_named(self, name: str) -> Layout | None:
        if name in self.memo:
            return self.memo[name]
        decl = self.index.types.get(name)
        if (
            decl is None
            or name in self.busy
            or decl.is_alias
            or name in self.index.ambiguous_types
            or decl.type_node is None
            or decl.type_node.type != "struct_type"
            or decl.spec.child_by_field_name("type_parameters") is not None
            or "C" in decl.file.imports.paths
        ):
            return None
        self.busy.add(name)
        try:
            fields = self.sizes.fields(decl.type_node, decl.file)
            result = None
            if fields is not None:
                adjusted = self.adjust(fields)
                result = struct_layout(_expanded(adjusted))
                if (
                    _verdict(fields, lambda n: text(n).decode("utf-8", "replace") if n is not None else "")
                    is not None
                    and not _has_unkeyed_literal(name, self.index)
                    and _units(decl.type_node, fields) is not None
                ):
                    result = struct_layout(_expanded(sorted(adjusted, key=_order_key)))
        finally:
            self.busy.discard(name)
        self.memo[name] = result
        return result


class HugeParam(PerFunctionRule):
    """
    ## What it finds
    A parameter or receiver whose type is a struct or array larger than 80 bytes, passed by value.
    Reported at the parameter (on the signature line). Off by default.
    ## Why it matters
    Every call copies the whole value (and a value receiver copies it for every method call, including
    calls through an interface). A pointer costs 8 bytes and lets the callee read the caller's copy.
    """

    meta = RuleMeta(
        code="LAY002",
        kind="cost",
        name="huge-param",
        severity=Severity.INFO,
        summary="large struct or array passed by value",
        default_on=False,
        bad="package p\n\ntype Config struct{ names [16]string }\n\nfunc use(c Config) int { return len(c.names) }\n",
        good="package p\n\ntype Config struct{ names [16]string }\n\n"
        "func use(c *Config) int { return len(c.names) }\n",
    )

    def check_function(self, fn: Node, ctx: FileContext) -> None:
        if fn.child_by_field_name("body") is None:
            return  # implemented in assembly or linked: the signature is not ours to change
        sizes = sizes_for(ctx.index)
        for field, kind in (("receiver", "receiver"), ("parameters", "parameter")):
            plist = fn.child_by_field_name(field)
            if plist is None:
                continue
            for p in plist.named_children:
                if p.type != "parameter_declaration":
                    continue
                tnode = p.child_by_field_name("type")
                layout = sizes.of_node(tnode, ctx.file)
                if layout is None or layout.size <= HUGE_PARAM:
                    continue
                names = p.children_by_field_name("name") or [tnode]
                for n in names:
                    label = ctx.text(n) if n is not tnode else "(unnamed)"
                    advice = "use a pointer receiver" if kind == "receiver" else f"pass *{ctx.text(tnode)}"
                    ctx.report(
                        n,
                        f"{kind} {label} of type {ctx.text(tnode)} is {human_size(layout.size)}, copied on every "
                        f"call; {advice}",
                    )


def _used_whole(ctx: FileContext, ident: Node) -> bool:
    """Whether the range value variable is used as a whole somewhere (its address taken, written, passed,
    returned, stored, a method called on it): then the compiler copies each element into it. Read only
    through fields and indexes (`v.f`, `v.a[i]`), it copies nothing (measured: bench/claims/lay003)."""
    b = ctx.resolve(ident)
    if b is None:
        return True
    for ref in ctx.references(b):
        parent = ref.parent
        if (
            parent is None
            or parent.type != "selector_expression"
            or parent.child_by_field_name("operand") != ref
        ):
            return True
        outer = parent.parent
        if (
            outer is not None
            and outer.type == "call_expression"
            and outer.child_by_field_name("function") == parent
        ):
            return True  # a method call: its receiver is the whole value (or its address)
        if assigned_to(parent) or (
            outer is not None and outer.type == "unary_expression" and outer.text.startswith(b"&")
        ):
            return True
    return False


class RangeValueCopy(Rule):
    """
    ## What it finds
    `for _, v := range xs` (or `for k, v := range m`) whose element type is larger than 128 bytes, where
    `v` is used as a whole (its address taken, written, passed, stored, a method called on it): the value
    variable receives a copy of each element. Reported at the `for` line. Off by default. Not reported
    when a slice or array element is only read through fields and indexes (`v.f`, `v.a[i]`): the compiler
    then loads from the element in place and copies nothing.
    ## Why it matters
    Each iteration copies the whole element, and writes to `v` are lost. Range over the index and use
    `xs[i]` (or `p := &xs[i]`), or keep a slice of pointers.
    """

    meta = RuleMeta(
        code="LAY003",
        kind="cost",
        name="range-value-copy",
        severity=Severity.INFO,
        summary="range loop copying large elements into the value variable",
        default_on=False,
        bad="package p\n\ntype Row struct{ cells [32]int }\n\nfunc first(r *Row) int { return r.cells[0] }\n\n"
        "func sum(rows []Row) (n int) {\n\tfor _, r := range rows {\n\t\tn += first(&r)\n\t}\n\treturn n\n}\n",
        good="package p\n\ntype Row struct{ cells [32]int }\n\nfunc first(r *Row) int { return r.cells[0] }\n\n"
        "func sum(rows []Row) (n int) {\n\tfor i := range rows {\n\t\tn += first(&rows[i])\n\t}\n\treturn n\n}\n",
    )

    def visit_range_clause(self, node: Node, ctx: FileContext) -> None:
        left = node.child_by_field_name("left")
        idents = [c for c in left.named_children if c.type != "comment"] if left is not None else []
        if len(idents) != 2 or ctx.text(idents[1]) == "_" or node.parent is None:
            return
        right = unparen(node.child_by_field_name("right"))
        t = ctx.underlying(ctx.type_of(right))
        if t is not None and t.kind == "pointer":
            t = ctx.underlying(t.elem)
        if t is None or t.kind not in ("slice", "array", "map"):
            return
        layout = sizes_for(ctx.index).of_type(t.elem)
        if layout is None or layout.size <= HUGE_RANGE_VALUE:
            return
        if t.kind != "map" and not _used_whole(ctx, idents[1]):
            return  # read field by field: the compiler loads from the element, it copies nothing
        v, xs = ctx.text(idents[1]), ctx.text(right)
        what = "value" if t.kind == "map" else "element"
        if t.kind == "map":
            advice = f"store pointers in the map, or range over the keys and read {xs}[k] where needed"
        elif re.fullmatch(r"[\w.]+", xs):
            advice = f"range over the index and use {xs}[i] (or p := &{xs}[i]), or store pointers"
        else:
            advice = (
                "range over the index and use the element in place (or a pointer to it), or store pointers"
            )
        ctx.report(
            node.parent,
            f"range value {v} copies each {layout.size}-byte {what} of {xs} per iteration; {advice}",
            end=node,
        )

"""ESC: heap escapes the compiler's escape analysis reports (`go build -gcflags=-m`)."""

from __future__ import annotations

from collections.abc import Callable

from gostatic.analysis.consts import const_value, is_reassigned
from gostatic.analysis.pools import is_pool_new
from gostatic.analysis.scopes import Binding, resolver_for
from gostatic.analysis.sizes import Layout, human_size, sizes_for
from gostatic.parse.syntax import (
    FUNCTION_TYPES,
    call_args,
    callee_name,
    expression_list,
    paren_root,
    text,
    unparen,
)
from gostatic.rule import FileContext, Node, PackageContext, Rule, RuleMeta, Severity, callee_names

MAX_STACK_VAR = 128 << 10  # cmd/compile ir.MaxStackVarSize since Go 1.24
MAX_STACK_VAR_OLD = 10 << 20  # before Go 1.24
MAX_IMPLICIT_STACK_VAR = 64 << 10  # ir.MaxImplicitStackVarSize, every version
_SMALL_INT_CONST = (1 << 31) - 1  # ir.IsSmallIntConst: larger make lengths are treated as run-time sizes


def in_generic_code(node: Node, ctx: FileContext) -> bool:
    """Inside a generic function or a method of a generic type: compiled per instantiation, if at all,
    so the compiler's -m messages for it are not tied to this source alone."""
    top = ctx.resolver.top_function(node)
    if top is None:
        return False
    if top.child_by_field_name("type_parameters") is not None:
        return True
    recv = top.child_by_field_name("receiver")
    if recv is not None:
        for p in recv.named_children:
            t = p.child_by_field_name("type")
            while t is not None and t.type in ("pointer_type", "parenthesized_type"):
                t = t.named_children[0] if t.named_children else None
            if t is not None and t.type == "generic_type":
                return True
    return False


def _addressed_local(expr: Node | None, ctx: FileContext) -> Binding | None:
    """`x` in `&x` when x is a local variable, parameter, receiver or named result."""
    expr = unparen(expr)
    if expr is None or expr.type != "unary_expression":
        return None
    op = expr.child_by_field_name("operator")
    operand = unparen(expr.child_by_field_name("operand"))
    if op is None or op.type != "&" or operand is None or operand.type != "identifier":
        return None
    b = ctx.resolve(operand)
    return b if b is not None and b.is_local else None


def _sliced_local_array(expr: Node | None, ctx: FileContext) -> Binding | None:
    """`buf` in `buf[:]` / `buf[i:j]` when buf is a local whose type is an array (not a slice or *array)."""
    expr = unparen(expr)
    if expr is None or expr.type != "slice_expression":
        return None
    operand = unparen(expr.child_by_field_name("operand"))
    if operand is None or operand.type != "identifier":
        return None
    b = ctx.resolve(operand)
    if b is None or not b.is_local:
        return None
    t = ctx.underlying(ctx.type_of(operand))
    return b if t is not None and t.kind == "array" else None


def _allocation(expr: Node | None, ctx: FileContext) -> str | None:
    """The source of `new(T)` or `&T{...}` (the compiler's "... escapes to heap" subject), else None."""
    expr = unparen(expr)
    if expr is None:
        return None
    if expr.type == "call_expression" and ctx.call_target(expr) == "new":
        return ctx.text(expr)
    if expr.type == "unary_expression":
        op = expr.child_by_field_name("operator")
        operand = unparen(expr.child_by_field_name("operand"))
        if op is not None and op.type == "&" and operand is not None and operand.type == "composite_literal":
            return "&" + ctx.text(operand.child_by_field_name("type")) + "{...}"
    return None


def _short(expr: Node, ctx: FileContext) -> str:
    """An expression as a message names it: `&T{...}` for a literal, the first line of anything else."""
    alloc = _allocation(expr, ctx)
    if alloc is not None and alloc.startswith("&"):
        return alloc
    first = ctx.text(unparen(expr)).split("\n", 1)[0]
    return first if len(first) <= 60 else first[:57] + "..."


def _global_root(target: Node | None, ctx: FileContext) -> str | None:
    """The package-level variable a store target lives in: `g`, `g[k]`, `g.f[i]`, `pkg.Var`; else None."""
    cur = unparen(target)
    while cur is not None and cur.type in ("index_expression", "selector_expression"):
        if cur.type == "selector_expression":
            operand = unparen(cur.child_by_field_name("operand"))
            if operand is not None and operand.type == "identifier":
                b = ctx.resolve(operand)
                if b is not None and b.kind == "import":
                    return ctx.text(cur)  # another package's variable
            cur = operand
        else:
            cur = unparen(cur.child_by_field_name("operand"))
    if cur is None or cur.type != "identifier":
        return None
    b = ctx.resolve(cur)
    return b.name if b is not None and b.kind == "package_var" else None


def _may_be_global(target: Node | None, ctx: FileContext) -> bool:
    """A spelling test before `_global_root` resolves anything: can `target` be rooted in a package-level
    variable of this package (its root identifier is spelled like one) or of an imported package?"""
    if ctx.file.imports.dot:
        return True  # a bare name may be another package's variable
    cur = unparen(target)
    while cur is not None and cur.type in ("index_expression", "selector_expression"):
        operand = unparen(cur.child_by_field_name("operand"))
        if (
            cur.type == "selector_expression"
            and operand is not None
            and operand.type == "identifier"
            and ctx.text(operand) in ctx.file.imports.by_name
        ):
            return True
        cur = operand
    return ctx.may_be_package_var(cur)


def _store_root(ident: Node) -> bool:
    """Whether `ident` is the variable written by an assignment (`g = v`, `g[k] = v`, `g.f = v`), or is
    only read to append to itself (`g = append(g, v)`)."""
    cur = ident
    while cur.parent is not None and cur.parent.type in (
        "index_expression",
        "selector_expression",
        "parenthesized_expression",
    ):
        if cur.parent.type == "index_expression" and cur.parent.child_by_field_name("index") == cur:
            return False
        if cur.parent.type == "selector_expression" and cur.parent.child_by_field_name("operand") != cur:
            return False
        cur = cur.parent
    parent = cur.parent
    if parent is not None and parent.type == "expression_list":
        stmt = parent.parent
        return (
            stmt is not None
            and stmt.type == "assignment_statement"
            and stmt.child_by_field_name("left") == parent
        )
    if (
        parent is not None
        and parent.type == "argument_list"
        and cur == next(iter(parent.named_children), None)
    ):
        call = parent.parent
        fn = call.child_by_field_name("function") if call is not None else None
        holder = call.parent if call is not None else None
        if (
            fn is not None
            and text(fn) == b"append"
            and holder is not None
            and holder.type == "expression_list"
        ):
            stmt = holder.parent
            if stmt is not None and stmt.type == "assignment_statement":
                lefts = expression_list(stmt.child_by_field_name("left"))
                return any(text(lf) == text(ident) for lf in lefts)
    return False


def _in_pool_new(node: Node, ctx: FileContext) -> bool:
    """Inside a sync.Pool's New function: allocating the pooled object on the heap is its job."""
    return is_pool_new(ctx.enclosing_function(node), ctx.resolver)


def _returned(expr: Node, as_value: bool = True) -> bool:
    """`expr` is a result of its return statement: sliced (`b[:n]`), addressed (`&x`) or, with
    `as_value` (a slice or pointer, whose target the caller then shares), as it is. A struct or array
    returned as it is is copied: the local itself does not outlive the call."""
    p = paren_root(expr).parent
    shared = as_value
    sliced = (
        p is not None and p.type == "slice_expression" and unparen(p.child_by_field_name("operand")) == expr
    )
    addressed = p is not None and p.type == "unary_expression" and p.text.startswith(b"&")
    if p is not None and (sliced or addressed):
        p, shared = paren_root(p).parent, True
    if p is not None and p.type == "expression_list":
        p = p.parent
    return shared and p is not None and p.type == "return_statement"


def _escapes_by_return(ident: Node, ctx: FileContext, as_value: bool) -> bool:
    """The local declared by `ident` is returned to the caller (see `_returned`): it is on the heap
    because it outlives the call, whatever its size, so "too large for the stack" would name the wrong
    cause."""
    b = ctx.resolve(ident)
    return b is not None and b.is_local and any(_returned(r, as_value) for r in ctx.references(b))


def _kept(expr: Node, ctx: FileContext) -> bool:
    """`expr` is appended (`l.buckets = append(l.buckets, new([N]T))`) or assigned to a field, an element
    or a package variable: it outlives the call by being kept, whatever its size."""
    p = paren_root(expr).parent
    if p is not None and p.type == "argument_list":
        call = p.parent
        return (
            call is not None
            and ctx.call_target(call) == "append"
            and p.named_children[:1] != [paren_root(expr)]
        )
    if p is not None and p.type == "expression_list":
        stmt = p.parent
        if (
            stmt is not None
            and stmt.type == "assignment_statement"
            and stmt.child_by_field_name("right") == p
        ):
            rights = expression_list(p)
            lefts = expression_list(stmt.child_by_field_name("left"))
            i = next((k for k, r in enumerate(rights) if r == paren_root(expr)), -1)
            if 0 <= i < len(lefts):
                target = unparen(lefts[i])
                if target is not None and target.type in ("selector_expression", "index_expression"):
                    return True
                if target is not None and target.type == "identifier":
                    b = ctx.resolve(target)
                    return b is not None and b.is_package_level
    return False


def _escapes_by_store(ident: Node, ctx: FileContext) -> bool:
    """The local declared by `ident` is stored where it outlives the call (a field, an element, a package
    variable, a channel, an append): on the heap because it is kept, not because of its size."""
    b = ctx.resolve(ident)
    if b is None or not b.is_local:
        return False
    for e in ctx.escapes(b):
        if e.kind in ("stored", "sent"):
            return True
        if e.kind == "passed" and ctx.call_target(e.at) == "append":
            return True
    return False


def _declared_by(value: Node) -> Node | None:
    """The identifier a `x := value` / `var x = value` declares with this value."""
    root = paren_root(value)
    values = root.parent
    decl = values.parent if values is not None and values.type == "expression_list" else None
    if decl is None or values is None:
        return None
    if decl.type == "short_var_declaration":
        names = expression_list(decl.child_by_field_name("left"))
    elif decl.type == "var_spec":
        names = decl.children_by_field_name("name")
    else:
        return None
    items = expression_list(values)
    if len(names) != len(items) or root not in items:
        return None
    ident = names[items.index(root)]
    return ident if ident.type == "identifier" else None


class GlobalEscape(Rule):
    """
    ## What it finds
    A function that stores into a package-level variable, map or slice (`g = v`, `g[k] = v`,
    `g = append(g, v)`, `g.f = v`) a value whose object the function owns: the address of a local
    variable or parameter (`&x`, `arr[:]` of a local array), or a pointer it allocated (`new(T)`,
    `&T{...}`, or a local assigned once from one). Reported at the storing statement. Setup code that
    runs once (`init`, `main`, `sync.Once` bodies, package-level initializers) is not reported, nor is
    a store into a variable nothing in the package reads (a benchmark or test "sink", whose purpose
    is the escape), nor a store in a `_test.go` file (a test swapping a double into a package variable).
    ## Why it matters
    Escape analysis must assume a package-level variable outlives every call, so the object is forced
    to the heap (the compiler prints `moved to heap: x` or `new(T) escapes to heap`), allocated on every
    call, and stays reachable — with everything it points to — until the variable is overwritten. Store
    a copy of the value, keep the object in a caller-owned structure, or reuse one object.
    """

    meta = RuleMeta(
        code="ESC001",
        kind="cost",
        allocates=True,
        name="global-escape",
        severity=Severity.WARNING,
        summary="address of a local or a fresh allocation stored in a package-level variable",
        bad="package p\n\ntype Request struct{ ID int }\n\nvar last *Request\n\n"
        "func handle(r Request) {\n\tlast = &r\n}\n\nfunc lastID() int { return last.ID }\n",
        good="package p\n\ntype Request struct{ ID int }\n\nvar last Request\n\n"
        "func handle(r Request) {\n\tlast = r\n}\n\nfunc lastID() int { return last.ID }\n",
    )

    def visit_assignment_statement(self, node: Node, ctx: FileContext) -> None:
        a = ctx.assignment(node)
        if a.op != "=":
            return
        lefts, rights = a.lefts, a.rights
        if len(lefts) != len(rights) or not any(_may_be_global(left, ctx) for left in lefts):
            return
        if ctx.file.is_test or ctx.enclosing_function(node) is None or in_generic_code(node, ctx):
            return  # a test swaps doubles into package variables: test setup, not a per-call cost
        startup: bool | None = None
        for left, right in zip(lefts, rights, strict=True):
            where = _global_root(left, ctx)
            if where is None:
                continue
            values = [right]
            r = unparen(right)
            if r is not None and r.type == "call_expression" and ctx.call_target(r) == "append":
                args = call_args(r)
                if args and ctx.text(unparen(args[0])) == ctx.text(unparen(left)):
                    values = args[1:]
            for v in values:
                what = self._owned(v, ctx)
                if what is None:
                    continue
                uv = unparen(v)
                if uv is not None and uv.type == "identifier" and _escapes_by_return(uv, ctx, as_value=True):
                    continue  # also returned to the caller: on the heap anyway, the store adds nothing
                # the package-wide checks last: most stores into package variables store no owned object
                if startup is None:
                    startup = ctx.runs_at_startup(node)
                if startup:
                    return
                if self._write_only(where, ctx):
                    break
                ctx.report(
                    node,
                    f"storing {_short(v, ctx)} in package-level {where}: {what} and stays reachable "
                    f"until {where} is overwritten; store a copy of the value or reuse one object",
                )
                return

    def begin_package(self, pkg: PackageContext) -> None:
        self._sinks: dict[str, bool] = {}

    def _write_only(self, name: str, ctx: FileContext) -> bool:
        """A package variable nothing in the package reads is a deliberate sink (benchmarks store results
        there to defeat the optimizer, tests to force an escape): the escape is its purpose."""
        if name not in self._sinks:
            self._sinks[name] = name in ctx.index.values and not self._read_anywhere(name, ctx)
        return self._sinks[name]

    def _read_anywhere(self, name: str, ctx: FileContext) -> bool:
        decl = ctx.index.values[name]
        # the index's table of identifiers spelled like package-level names: built once per package
        # (a query over every file per name asked was a tenth of a run)
        for f, n in ctx.index.value_references(name):
            if n.start_byte == decl.ident.start_byte and f is decl.file:
                continue
            b = resolver_for(ctx.index, f).resolve(n)
            if b is None or b.kind != "package_var":
                continue
            if not _store_root(n):
                return True
        return False

    def _owned(self, value: Node, ctx: FileContext) -> str | None:
        b = _addressed_local(value, ctx) or _sliced_local_array(value, ctx)
        if b is not None:
            kind = {"param": "parameter", "receiver": "receiver", "result": "result"}.get(
                b.kind, "local variable"
            )
            return f"{kind} {b.name} is moved to the heap (allocated on every call)"
        alloc = _allocation(value, ctx)
        if alloc is not None:
            return f"{alloc} is allocated on the heap on every call"
        v = unparen(value)
        if v is not None and v.type == "identifier":
            b = ctx.resolve(v)
            if (
                b is not None
                and b.kind == "local"
                and b.value_count == 1
                and b.decl is not None
                and b.decl.type in ("short_var_declaration", "var_spec")
                and ctx.enclosing_function(b.decl) == ctx.enclosing_function(value)
            ):
                alloc = _allocation(b.value, ctx)
                if alloc is not None and not is_reassigned(b, ctx.resolver):
                    return f"{b.name} = {alloc} is allocated on the heap on every call"
        return None


class LargeStackObject(Rule):
    """
    ## What it finds
    A local whose constant size is over the compiler's stack limits, so it is allocated on the heap:
    an explicitly declared variable (`var buf [N]T`, `x := [N]T{}`, a local of a large struct type) over
    `MaxStackVarSize`, or an implicit allocation — `make([]T, n)` with a constant length (or capacity),
    `new(T)`, `&T{...}` — over `MaxImplicitStackVarSize` (64 KiB). Reported at the declaration or the
    allocation. Sizes are folded from constant expressions (package and local constants, `iota`,
    `unsafe.Sizeof` of basic types) and laid out for amd64; a local assigned once from a constant counts
    as a constant, as it does for the compiler. A `make` with a size only known at run time is not
    reported (since Go 1.25 small ones get a stack buffer), nor one whose constant length is beyond
    int32, which the compiler also treats as a run-time size. Nor is an allocation the code intends: one
    in a `sync.Pool`'s `New` function (which exists to allocate the pooled object), or one returned to the
    caller (directly, sliced or by address), which is on the heap because it outlives the call, whatever
    its size.
    ## Why it matters
    Such an object never lives on the stack: every call allocates it on the heap (the compiler prints
    `moved to heap: buf` or `make([]byte, 131072) escapes to heap`) and the garbage collector must clear
    and later reclaim it. Reuse a buffer kept by the caller, a field or a `sync.Pool`, or shrink it.
    ## Go versions
    `MaxStackVarSize` for declared variables is 128 KiB since Go 1.24 and was 10 MiB before; the limit
    belongs to the compiler release that builds the code, not to the language version (go1.27 moves a
    200 KiB local to the heap in a module whose go.mod says `go 1.23`). gostatic takes the version
    from `--go-version`, else go.mod's `toolchain` line, else its `go` line — the oldest toolchain that
    may build the module: below 1.24 it reports only variables over 10 MiB, heap-allocated by every
    compiler, and stays silent between 128 KiB and 10 MiB. The 64 KiB implicit limit applies to every
    version.
    """

    meta = RuleMeta(
        code="ESC002",
        kind="cost",
        allocates=True,
        name="large-stack-object",
        severity=Severity.WARNING,
        summary="local too large for the stack, allocated on the heap on every call",
        bad="package p\n\nfunc checksum(data []byte) int {\n\tbuf := make([]byte, 1<<20)\n"
        "\treturn copy(buf, data)\n}\n",
        good="package p\n\nfunc checksum(buf, data []byte) int {\n\treturn copy(buf, data)\n}\n",
    )

    # ------------------------------------------------------------------------------ declared variables
    # A value over the smallest stack limit needs a type that large, and every large type is written in
    # the package as an array or struct type (the standard library table holds no arrays): the visits
    # below note the largest, and only when it is over the limit, in finish_package, are the package's
    # declarations and `&T{}` examined (taken from each file's census), so the many packages with
    # nothing big never pay for typing every declaration.
    census_kinds = frozenset({"var_spec", "short_var_declaration", "unary_expression"})

    def begin_package(self, pkg: PackageContext) -> None:
        self._largest = 0
        self._new_calls: list[tuple[Node, FileContext]] = []

    def visit_array_type(self, node: Node, ctx: FileContext) -> None:
        self._note_size(node, ctx)

    def visit_struct_type(self, node: Node, ctx: FileContext) -> None:
        self._note_size(node, ctx)

    def _note_size(self, node: Node, ctx: FileContext) -> None:
        if self._largest <= MAX_IMPLICIT_STACK_VAR:
            layout = sizes_for(ctx.index).of_node(node, ctx.file)
            if layout is not None and layout.size > self._largest:
                self._largest = layout.size

    def finish_package(self, pkg: PackageContext) -> None:
        new_calls, self._new_calls = self._new_calls, []
        if self._largest <= MAX_IMPLICIT_STACK_VAR:
            return
        for node, ctx in new_calls:
            if ctx.file.reported:
                self._check_new(node, ctx)
        checks: tuple[tuple[str, Callable[[Node, FileContext], None]], ...] = (
            ("var_spec", self._check_var_spec),
            ("short_var_declaration", self._check_short_var),
            ("unary_expression", self._check_address_of_literal),
        )
        for ctx in pkg.files:
            if not ctx.file.reported:  # other files were visited for their types only
                continue
            census = pkg.index.census(ctx.file)
            for kind, check in checks:
                for node in census.of_kind(kind):
                    check(node, ctx)

    def _check_var_spec(self, node: Node, ctx: FileContext) -> None:
        if ctx.enclosing_function(node) is None or in_generic_code(node, ctx):
            return
        tnode = node.child_by_field_name("type")
        values = expression_list(node.child_by_field_name("value"))
        names = node.children_by_field_name("name")
        for i, ident in enumerate(names):
            layout = None
            if tnode is not None:
                layout = sizes_for(ctx.index).of_node(tnode, ctx.file)
            elif len(values) == len(names):
                layout = self._value_layout(values[i], ctx)
            self._check_declared(ident, layout, ctx)

    def _check_short_var(self, node: Node, ctx: FileContext) -> None:
        if in_generic_code(node, ctx):
            return
        lefts = expression_list(node.child_by_field_name("left"))
        rights = expression_list(node.child_by_field_name("right"))
        if len(lefts) != len(rights):
            return
        for ident, value in zip(lefts, rights, strict=True):
            b = ctx.resolve(ident) if ident.type == "identifier" else None
            if b is None or b.ident is None or b.ident.start_byte != ident.start_byte:
                continue  # `_` or a redeclared (assigned) name
            self._check_declared(ident, self._value_layout(value, ctx), ctx)

    def _value_layout(self, value: Node, ctx: FileContext) -> Layout | None:
        v = unparen(value)
        if v is not None and v.type == "composite_literal":
            return sizes_for(ctx.index).of_node(v.child_by_field_name("type"), ctx.file)
        return sizes_for(ctx.index).of_type(ctx.type_of(value))

    def _check_declared(self, ident: Node, layout: Layout | None, ctx: FileContext) -> None:
        name = ctx.text(ident)
        if layout is None or name == "_":
            return
        new = ctx.go_at_least(1, 24)
        limit = MAX_STACK_VAR if new else MAX_STACK_VAR_OLD
        if layout.size <= limit or _in_pool_new(ident, ctx) or _escapes_by_return(ident, ctx, as_value=False):
            return
        since = "Go 1.24+" if new else "before Go 1.24"
        ctx.report(
            ident,
            f"local {name} is {human_size(layout.size)}, over the compiler's {human_size(limit)} stack limit for "
            f"declared variables ({since}): it is moved to the heap and allocated on every call; reuse a buffer "
            f"owned by the caller, a field or a sync.Pool, or make it smaller",
        )

    # ------------------------------------------------------------------------------ implicit allocations
    calls = callee_names("make", "new")

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if callee_name(node) == b"new":
            self._new_calls.append((node, ctx))  # as large as its type: examined in finish_package
            return
        # `make([]T, n)`: the shape and the size first; whether `make` is the builtin only for a large one
        args = call_args(node)
        if len(args) < 2:
            return  # a map or channel
        elem = self._slice_elem(args[0], ctx)
        if elem is None:
            return
        elem_layout = sizes_for(ctx.index).of_node(elem[0], elem[1])
        if elem_layout is None or elem_layout.size == 0:
            return
        n = const_value(args[2] if len(args) > 2 else args[1], ctx.resolver, follow_locals=True)
        if n is None or n < 0 or n > _SMALL_INT_CONST:
            return  # a length beyond int32 is not a "small constant" to the compiler: sized at run time
        if (
            n * elem_layout.size > MAX_IMPLICIT_STACK_VAR
            and ctx.call_target(node) == "make"
            and ctx.enclosing_function(node) is not None
            and not in_generic_code(node, ctx)
        ):
            self._report_implicit(node, n * elem_layout.size, ctx)

    def _check_new(self, node: Node, ctx: FileContext) -> None:
        if (
            ctx.call_target(node) != "new"
            or ctx.enclosing_function(node) is None
            or in_generic_code(node, ctx)
        ):
            return
        args = call_args(node)
        if len(args) != 1 or not self._is_type(args[0], ctx):
            return  # new(expr) (Go 1.26) copies a value: not a declared type
        layout = sizes_for(ctx.index).of_node(args[0], ctx.file)
        if layout is not None and layout.size > MAX_IMPLICIT_STACK_VAR:
            self._report_implicit(node, layout.size, ctx)

    def _check_address_of_literal(self, node: Node, ctx: FileContext) -> None:
        op = node.child_by_field_name("operator")
        lit = unparen(node.child_by_field_name("operand"))
        if op is None or op.type != "&" or lit is None or lit.type != "composite_literal":
            return
        if ctx.enclosing_function(node) is None or in_generic_code(node, ctx):
            return
        layout = sizes_for(ctx.index).of_node(lit.child_by_field_name("type"), ctx.file)
        if layout is not None and layout.size > MAX_IMPLICIT_STACK_VAR:
            self._report_implicit(node, layout.size, ctx)

    def _is_type(self, node: Node, ctx: FileContext) -> bool:
        node = unparen(node) or node
        if node.type in ("array_type", "struct_type", "qualified_type", "type_identifier", "slice_type"):
            return True
        if node.type == "identifier":
            b = ctx.resolve(node)
            return b is not None and (
                b.kind == "type" or (b.kind == "builtin" and b.name not in ("true", "false"))
            )
        return False

    def _slice_elem(self, tnode: Node, ctx: FileContext):  # -> tuple[Node, SourceFile] | None
        tnode = unparen(tnode) or tnode
        if tnode.type == "slice_type":
            elem = tnode.child_by_field_name("element")
            return (elem, ctx.file) if elem is not None else None
        if tnode.type in ("identifier", "type_identifier"):
            decl = ctx.index.types.get(ctx.text(tnode))
            b = ctx.resolve(tnode) if tnode.type == "identifier" else None
            if (
                decl is not None
                and (b is None or b.kind == "type")
                and decl.type_node is not None
                and decl.type_node.type == "slice_type"
                and decl.spec.child_by_field_name("type_parameters") is None
            ):
                elem = decl.type_node.child_by_field_name("element")
                return (elem, decl.file) if elem is not None else None
        return None

    def _report_implicit(self, node: Node, size: int, ctx: FileContext) -> None:
        if _in_pool_new(node, ctx) or _returned(node, as_value=True) or _kept(node, ctx):
            return
        declared = _declared_by(node)
        if declared is not None and (
            _escapes_by_return(declared, ctx, as_value=True) or _escapes_by_store(declared, ctx)
        ):
            return
        what = _short(node, ctx)
        ctx.report(
            node,
            f"{what} allocates {human_size(size)}, over the compiler's 64 KiB limit for implicit stack "
            f"allocations: it is allocated on the heap on every call; reuse a buffer owned by the caller, "
            f"a field or a sync.Pool, or make it smaller",
        )


class LocalAddressReturned(Rule):
    """
    ## What it finds
    `return &x` or `return buf[:]` where `x` is a local variable, parameter or receiver of the returning
    function, and `buf` a local array (not a composite literal: `return &T{...}` is the idiomatic way to
    allocate). Reported at the `return` statement. Off by default: returning a pointer is often the
    point, and the allocation is then deliberate. Not reported in a `sync.Pool`'s `New` function, where
    `b := make([]byte, 0, n); return &b` is the idiom POOL001 recommends.
    ## Why it matters
    The variable outlives the call, so the compiler moves it to the heap (`moved to heap: x`): the whole
    variable is allocated on every call, even on paths that do not return its address. When only some
    paths return it, or the caller only reads the value, return the value instead, or declare the object
    where it is allocated (`p := &T{...}`) so the allocation is visible.
    """

    meta = RuleMeta(
        code="ESC003",
        kind="cost",
        allocates=True,
        name="local-address-returned",
        severity=Severity.INFO,
        summary="return of the address of a local variable (moved to the heap)",
        default_on=False,
        bad="package p\n\ntype Point struct{ X, Y int }\n\nfunc origin() *Point {\n\tvar p Point\n\treturn &p\n}\n",
        good="package p\n\ntype Point struct{ X, Y int }\n\nfunc origin() Point {\n\tvar p Point\n\treturn p\n}\n",
    )

    def visit_return_statement(self, node: Node, ctx: FileContext) -> None:
        values = [c for c in node.named_children if c.type != "comment"]
        if len(values) == 1 and values[0].type == "expression_list":
            values = expression_list(values[0])
        if not values or in_generic_code(node, ctx):
            return
        fn = ctx.enclosing_function(node)
        for v in values:
            b = _addressed_local(v, ctx)
            sliced = False
            if b is None:
                b = _sliced_local_array(v, ctx)
                sliced = b is not None
            if b is None or b.scope is None or fn is None or is_pool_new(fn, ctx.resolver):
                continue  # in a sync.Pool's New, `return &buf` is the idiom POOL001 recommends
            home = b.scope if b.scope.type in FUNCTION_TYPES else ctx.enclosing_function(b.scope)
            if home != fn:
                continue  # a captured variable of an outer function
            how = f"slicing local array {b.name}" if sliced else f"returning &{b.name}"
            ctx.report(
                node,
                f"{how} moves {b.name} to the heap: it is allocated on every call of the function; return the "
                f"value, or allocate explicitly with new or &T{{...}} where the pointer is needed",
            )
            return

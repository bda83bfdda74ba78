"""POOL: sync.Pool misuse, reported over the package's pool model (`model`)."""

from __future__ import annotations

from gostatic_rules.pool.model import (
    GET,
    PUT,
    Getter,
    PoolModel,
    deferred,
    is_binding,
    is_cap_check,
    is_reset,
    local_object,
    names_a_pool,
    object_root,
    object_type,
    pool_model,
    pool_name,
    resettable,
)

from gostatic.analysis import loops, startup
from gostatic.analysis.scopes import Binding
from gostatic.analysis.types import GoType
from gostatic.parse.syntax import (
    FUNCTION_TYPES,
    assigned_to,
    call_args,
    contains,
    expression_list,
    paren_root,
    statements,
    unparen,
    walk,
)
from gostatic.rule import FileContext, Fix, Node, Rule, RuleMeta, Severity, callee_names, insert_line_after


# ------------------------------------------------------------------------------------------ rules
class _PoolRule(Rule):
    def begin_package(self, pkg) -> None:  # type: ignore[no-untyped-def]
        index = pkg.index
        self.model = pool_model(index)
        if self.calls is None:
            if not names_a_pool(index):
                # a sync.Pool is named in the package that uses it (sync.Pool, s.Pool, an embedding or an
                # alias): without one there are no Get/Put calls for these rules to follow
                self.calls = frozenset()
            else:
                # Get/Put, or a same-package function or method wrapping them (the model's getters and
                # putters; its first test, by name, rules out the rest: see _Wrappers)
                self.calls = callee_names(GET, PUT) | frozenset(index.funcs) | {m for _, m in index.methods}

    def _model(self) -> PoolModel:
        if not hasattr(self, "model"):
            self.model = PoolModel()
        return self.model


class PoolPutNonPointer(_PoolRule):
    """
    ## What it finds
    `pool.Put(v)` on a `sync.Pool` where `v`'s type is known and not pointer-shaped: a slice, a string,
    a struct or array value, a number wider than one byte. Reported at the `Put` call.
    ## Why it matters
    `Put` takes an `any`: converting a non-pointer value to an interface copies it to the heap (the
    compiler says `v escapes to heap`), so every Put allocates, the very cost the pool was meant to
    save (staticcheck SA6002). Pool pointers instead: `*[]byte`, `*T`.
    """

    meta = RuleMeta(
        code="POOL001",
        kind="cost",
        allocates=True,
        name="pool-put-non-pointer",
        severity=Severity.WARNING,
        summary="sync.Pool.Put of a value that is not pointer-shaped",
        needs_imports=(),  # the pool may be declared in another file: the gate is per package
        bad='package p\n\nimport "sync"\n\nvar bufs = sync.Pool{New: func() any { return make([]byte, 0, 512) }}\n\n'
        "func use() {\n\tb := bufs.Get().([]byte)\n\tb = append(b[:0], 'x')\n\tbufs.Put(b)\n}\n",
        good='package p\n\nimport "sync"\n\nvar bufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}\n\n'
        "func use() {\n\tbp := bufs.Get().(*[]byte)\n\t*bp = append((*bp)[:0], 'x')\n\tbufs.Put(bp)\n}\n",
    )

    calls = callee_names(PUT)

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if ctx.call_target(node) != PUT:
            return
        args = ctx.args(node)
        if len(args) != 1 or ctx.is_constant(args[0]):
            return
        t = ctx.type_of(args[0])
        what = _value_shape(ctx, t)
        if what is None or t is None:
            return
        arg = ctx.text(args[0])
        ctx.report(
            node,
            f"{ctx.text(ctx.receiver(node))}.Put({arg}) converts a {what} ({t}) to an interface, which "
            f"allocates on every Put and defeats the pool; pool a pointer instead (*{t})",
        )


def _value_shape(ctx: FileContext, t: GoType | None) -> str | None:
    """What kind of non-pointer value `t` is ("slice", "string", ...), or None when pointer-shaped or
    unknown."""
    u = ctx.underlying(t)
    if u is None:
        return None
    if u.kind == "slice":
        return "slice"
    if u.kind == "array":
        return "array value"
    if u.kind == "struct":
        return "struct value" if t is not None and t.kind == "named" and not _empty_struct(ctx, t) else None
    if u.kind == "named" and not u.pkg:
        if u.name == "string":
            return "string"
        if u.name in ("int", "uint", "int16", "uint16", "int32", "uint32", "int64", "uint64", "rune", "float32",
                      "float64", "complex64", "complex128", "uintptr"):  # fmt: skip
            return "number"
    return None


def _empty_struct(ctx: FileContext, t: GoType) -> bool:
    return t.kind == "named" and not t.pkg and not ctx.index.struct_fields(t.name)


class PoolPutWithoutReset(_PoolRule):
    """
    ## What it finds
    An object taken from a `sync.Pool` with `Get()` (directly, through a type assertion, or through a
    same-package helper that returns it) and given back with `Put()` (directly, with `defer`, or through
    a same-package helper) with no reset anywhere between the two: no `x.Reset()`, `x = x[:0]`,
    `*x = T{}`, `clear(x)`, nor a write to one of its fields, neither right after the Get nor before the
    Put (nor inside the helpers). Only for objects whose type has a `Reset` method (`*bytes.Buffer`,
    `*bufio.Writer`, same-package types) or that are slices (`[]T`, `*[]T`). Reported at the `Put`.
    ## Why it matters
    The pool hands the object to the next `Get` as it was put back: the next user sees the previous
    contents (stale bytes appended to, data of another request leaking into a response). Reset it right
    after `Get`, or just before `Put`.
    ## Fix safety
    Safe: inserts `x.Reset()` (or `x = x[:0]`, `*x = (*x)[:0]`) on the line after the Get statement,
    where the object is not yet used. Offered only when the Reset method takes no arguments and the
    assertion is not the `x, ok :=` form (x may be nil).
    """

    meta = RuleMeta(
        code="POOL002",
        kind="defect",
        name="pool-put-without-reset",
        severity=Severity.WARNING,
        summary="pooled object put back without a reset",
        needs_imports=(),  # the pool may be declared in another file: the gate is per package
        fix="safe",
        bad='package p\n\nimport (\n\t"bytes"\n\t"sync"\n)\n\nvar bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}\n\n'
        "func render(s string) string {\n\tb := bufs.Get().(*bytes.Buffer)\n\tb.WriteString(s)\n"
        "\tout := b.String()\n\tbufs.Put(b)\n\treturn out\n}\n",
        good='package p\n\nimport (\n\t"bytes"\n\t"sync"\n)\n\nvar bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}\n\n'
        "func render(s string) string {\n\tb := bufs.Get().(*bytes.Buffer)\n\tb.Reset()\n\tb.WriteString(s)\n"
        "\tout := b.String()\n\tbufs.Put(b)\n\treturn out\n}\n",
    )

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        model = self._model()
        site = model.put_site(ctx, node)
        if site is None or site.resets:
            return
        b = local_object(ctx, site)
        if b is None:
            return
        gets = [g for g in model.gets_of(ctx, b) if g[0].start_byte < node.start_byte]
        if not gets:
            return
        get_call, get_stmt, how = gets[-1]
        if isinstance(how, Getter) and how.resets:
            return
        kind = resettable(ctx, object_type(ctx, b, get_call) or ctx.type_of(unparen(site.obj)))
        if kind is None:
            return
        home = ctx.enclosing_function(get_stmt)
        if kind in ("slice", "ptr-slice") and (
            home is None or not any(_appends_onto(ctx, n, b) for n in walk(home))
        ):
            return  # used by index or copy, not by length: stale contents are not seen
        end = None if deferred(ctx, node) is not None else node
        if ctx.called_between(get_stmt, end, lambda n: is_reset(ctx, n, b)):
            return
        name = b.name
        code = {
            "method": f"{name}.Reset()",
            "method-args": f"{name}.Reset(...)",
            "slice": f"{name} = {name}[:0]",
            "ptr-slice": f"*{name} = (*{name})[:0]",
        }[kind]
        fix = None
        two_values = get_call.parent is not None and _ok_form(get_stmt)
        parent = get_stmt.parent
        if (
            kind != "method-args"
            and not two_values
            and parent is not None
            and parent.type in ("block", "statement_list")
        ):
            fix = Fix(f"reset {name} after Get", [insert_line_after(ctx.source, get_stmt, code)])
        ctx.report(
            node,
            f"{name} goes back to the pool with {pool_name(ctx, site)} without a reset since its Get on line "
            f"{get_call.start_point[0] + 1}: the next Get sees its stale contents; call {code} right after "
            "Get (or before Put)",
            fix=fix,
        )


def _appends_onto(ctx: FileContext, n: Node, b: Binding) -> bool:
    """`append(b, ...)` / `append(*b, ...)`: the new data goes after what is already there."""
    if n.type != "call_expression":
        return False
    fn = unparen(n.child_by_field_name("function"))
    args = call_args(n)
    if fn is None or fn.type != "identifier" or fn.text != b"append" or not args:
        return False
    first = unparen(args[0])
    if first is not None and first.type == "unary_expression":
        first = unparen(first.child_by_field_name("operand"))
    return first is not None and first.type == "identifier" and ctx.resolve(first) is b


def _ok_form(stmt: Node) -> bool:
    left = stmt.child_by_field_name("left")
    return left is not None and len(expression_list(left)) == 2


class PoolUseAfterPut(_PoolRule):
    """
    ## What it finds
    An object used after it was given back with `Put()`: read, sliced or passed on after a plain
    `pool.Put(x)` (or a same-package helper that Puts it), or, with `defer pool.Put(x)`, returned in a
    form that still points into it: `return x`, `return x.Bytes()`, `return x.Bytes()[:n]`,
    `return (*x)[:n]`. `x.String()` copies and is never reported. Reported at the `Put`. Not reported
    when a flag rules the use out: a deferred `if release { pool.Put(x) }` after `release = false` (the
    object is handed to the caller), or a use under `if ok` after the Put's branch set `ok = false`.
    ## Why it matters
    After `Put` the pool may hand the object to another goroutine at any moment: whatever still points
    into it (the returned slice of `Bytes()`, the pointer itself) sees that goroutine's writes, a data
    race that corrupts output far from its cause. A deferred Put runs after the return values are
    computed, so `return buf.Bytes()` hands the caller memory that is already back in the pool. Copy
    what must outlive the Put (`buf.String()`, `bytes.Clone(buf.Bytes())`) or Put later.
    """

    meta = RuleMeta(
        code="POOL003",
        kind="defect",
        name="pool-use-after-put",
        severity=Severity.ERROR,
        summary="pooled object used after it was put back",
        needs_imports=(),  # the pool may be declared in another file: the gate is per package
        bad='package p\n\nimport (\n\t"bytes"\n\t"sync"\n)\n\nvar bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}\n\n'
        "func render(s string) []byte {\n\tb := bufs.Get().(*bytes.Buffer)\n\tb.Reset()\n\tdefer bufs.Put(b)\n"
        "\tb.WriteString(s)\n\treturn b.Bytes()\n}\n",
        good='package p\n\nimport (\n\t"bytes"\n\t"sync"\n)\n\nvar bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}\n\n'
        "func render(s string) []byte {\n\tb := bufs.Get().(*bytes.Buffer)\n\tb.Reset()\n\tdefer bufs.Put(b)\n"
        "\tb.WriteString(s)\n\treturn bytes.Clone(b.Bytes())\n}\n",
    )

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        site = self._model().put_site(ctx, node)
        if site is None:
            return
        b = local_object(ctx, site)
        if b is None:
            return
        pool = pool_name(ctx, site)
        defer = deferred(ctx, node)
        if defer is not None:
            home = ctx.enclosing_function(defer)
            body = home.child_by_field_name("body") if home is not None else None
            guard = _flag_guard(ctx, node, defer)
            for ret in walk(body, prune=FUNCTION_TYPES) if body is not None else ():
                if ret.type != "return_statement" or not ctx.may_run_after(defer, ret):
                    continue
                if guard is not None and _flag_cleared(ctx, guard, body, ret.start_byte):
                    continue  # `release = false` before this return: the deferred Put does not run
                values = expression_list(ret.named_children[0]) if ret.named_children else []
                for v in values:
                    if _aliases(ctx, v, b):
                        ctx.report(
                            node,
                            f"`return {ctx.text(v)}` on line {ret.start_point[0] + 1} hands out memory of {b.name}, "
                            f"which the deferred {pool} gives back to the pool as the function returns: another "
                            f"goroutine can reuse it while the caller still reads it; return a copy "
                            f"({b.name}.String() or bytes.Clone) instead",
                        )
                        return
            return
        stmt = ctx.statement_of(node)
        for r in ctx.references(b):
            if r.start_byte < node.end_byte:
                continue
            if assigned_to(r):
                return
            if _is_string_call(r) or not ctx.may_run_after(stmt, r):
                continue
            if _guarded_off(ctx, stmt, r):
                continue  # `ok = false` after the Put, and the use runs only `if ok`
            ctx.report(
                node,
                f"{b.name} is used on line {r.start_point[0] + 1} after {pool} gave it back to the pool: another "
                "goroutine may already be reusing it; finish with it (or copy what you need) before Put",
            )
            return


def _flag_condition(ctx: FileContext, if_stmt: Node) -> tuple[Binding, bool] | None:
    """(flag, value that runs the consequence) for `if flag {...}` / `if !flag {...}` on a local."""
    if if_stmt.child_by_field_name("initializer") is not None:
        return None
    cond = unparen(if_stmt.child_by_field_name("condition"))
    want = True
    if cond is not None and cond.type == "unary_expression" and cond.text.startswith(b"!"):
        cond, want = unparen(cond.child_by_field_name("operand")), False
    if cond is None or cond.type != "identifier":
        return None
    b = ctx.resolve(cond)
    return (b, want) if b is not None and b.is_local else None


def _flag_guard(ctx: FileContext, call: Node, defer: Node) -> tuple[Binding, bool] | None:
    """The flag of an `if flag { pool.Put(x) }` around a deferred Put (inside the deferred literal)."""
    p = call.parent
    while p is not None and p != defer:
        if p.type == "if_statement" and contains(p.child_by_field_name("consequence"), call):
            return _flag_condition(ctx, p)
        p = p.parent
    return None


def _flag_value(ctx: FileContext, ref: Node) -> bool | None:
    """The constant a plain `flag = true/false` stores, for a reference that is its target."""
    if not assigned_to(ref, declarations=False):
        return None
    stmt = paren_root(ref).parent
    stmt = stmt.parent if stmt is not None and stmt.type == "expression_list" else stmt
    if stmt is None:
        return None
    a = ctx.assignment(stmt)
    if a.op != "=" or len(a.lefts) != 1 or len(a.rights) != 1:
        return None
    v = unparen(a.rights[0])
    return {"true": True, "false": False}.get(v.type) if v is not None else None


def _flag_cleared(ctx: FileContext, guard: tuple[Binding, bool], body: Node, before: int) -> bool:
    """Some `flag = <not the guard's value>` in the function body (outside func literals) before `before`:
    the ownership-transfer idiom (`release = false; return x`)."""
    flag, want = guard
    for r in ctx.references(flag):
        if r.start_byte >= before or ctx.enclosing_function(r) != ctx.enclosing_function(body):
            continue
        value = _flag_value(ctx, r)
        if value is not None and value != want:
            return True
    return False


def _guarded_off(ctx: FileContext, put_stmt: Node, use: Node) -> bool:
    """`use` runs only under `if flag` (or `if !flag`), and right after the Put, in the same statement
    list, the flag is set so that the condition is false."""
    holder = put_stmt.parent
    after = (
        [s for s in statements(holder) if s.start_byte > put_stmt.start_byte] if holder is not None else []
    )
    p = use.parent
    while p is not None and p.type not in FUNCTION_TYPES:
        if p.type == "if_statement" and contains(p.child_by_field_name("consequence"), use):
            guard = _flag_condition(ctx, p)
            if guard is not None:
                flag, want = guard
                for s in after:
                    if s.type != "assignment_statement":
                        continue
                    target = expression_list(s.child_by_field_name("left"))
                    if len(target) == 1 and target[0].type == "identifier" and ctx.resolve(target[0]) is flag:
                        value = _flag_value(ctx, target[0])
                        if value is not None and value != want:
                            return True
        p = p.parent
    return False


def _aliases(ctx: FileContext, expr: Node, b: Binding) -> bool:
    """`expr` evaluates to memory of the object in `b`: `b`, `b.Bytes()`, slices of those, `*b` when it
    is a slice."""
    e = unparen(expr)
    if e is None:
        return False
    if e.type == "identifier":
        return ctx.resolve(e) is b
    if e.type == "slice_expression":
        return _aliases(ctx, e.child_by_field_name("operand"), b) or _is_binding_ident(ctx, e, b)
    if e.type == "call_expression":
        fn = unparen(e.child_by_field_name("function"))
        if fn is not None and fn.type == "selector_expression":
            field = fn.child_by_field_name("field")
            operand = unparen(fn.child_by_field_name("operand"))
            return (
                field is not None
                and field.text in (b"Bytes", b"AvailableBuffer")
                and operand is not None
                and operand.type == "identifier"
                and ctx.resolve(operand) is b
            )
        return False
    if e.type == "unary_expression":
        op = e.child_by_field_name("operator")
        operand = unparen(e.child_by_field_name("operand"))
        if op is not None and op.type == "*" and operand is not None and operand.type == "identifier":
            t = ctx.underlying(ctx.type_of(e))
            return ctx.resolve(operand) is b and t is not None and t.kind == "slice"
    return False


def _is_binding_ident(ctx: FileContext, slice_expr: Node, b: Binding) -> bool:
    operand = unparen(slice_expr.child_by_field_name("operand"))
    if operand is not None and operand.type == "unary_expression":
        inner = unparen(operand.child_by_field_name("operand"))
        return inner is not None and inner.type == "identifier" and ctx.resolve(inner) is b
    return False


def _is_string_call(ref: Node) -> bool:
    sel = ref.parent
    if sel is None or sel.type != "selector_expression" or sel.child_by_field_name("operand") != ref:
        return False
    field = sel.child_by_field_name("field")
    call = sel.parent
    return (
        field is not None and field.text == b"String" and call is not None and call.type == "call_expression"
    )


class PoolGetWithoutPut(_PoolRule):
    """
    ## What it finds
    `x := pool.Get()` (or a same-package getter) in a function that never gives `x` back with `Put()` and
    where `x` does not leave the function: it is not returned, stored, sent, passed to any call (a Put
    helper included) or captured by a func literal. Reported at the `Get` call.
    ## Why it matters
    An object that is never put back is garbage after the function returns: every call pays for a new
    object from `New` plus the pool's bookkeeping, and the pool saves nothing. Put it back when done
    (`defer pool.Put(x)`), or drop the pool.
    """

    meta = RuleMeta(
        code="POOL004",
        kind="cost",
        allocates=True,
        name="pool-get-without-put",
        severity=Severity.INFO,
        summary="object taken from a sync.Pool is never put back",
        needs_imports=(),  # the pool may be declared in another file: the gate is per package
        bad='package p\n\nimport (\n\t"bytes"\n\t"sync"\n)\n\nvar bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}\n\n'
        "func render(s string) string {\n\tb := bufs.Get().(*bytes.Buffer)\n\tb.Reset()\n\tb.WriteString(s)\n"
        "\treturn b.String()\n}\n",
        good='package p\n\nimport (\n\t"bytes"\n\t"sync"\n)\n\nvar bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}\n\n'
        "func render(s string) string {\n\tb := bufs.Get().(*bytes.Buffer)\n\tb.Reset()\n\tdefer bufs.Put(b)\n"
        "\tb.WriteString(s)\n\treturn b.String()\n}\n",
    )

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        how = self._model().is_get(ctx, node)
        if how is False:
            return
        bound = ctx.assigned_local(node)
        if bound is None:
            return
        b, _ = bound
        if ctx.escapes(b):
            return
        model = self._model()
        home = ctx.enclosing_function(node)
        for n in walk(home) if home is not None else ():
            site = model.put_site(ctx, n) if n.type == "call_expression" else None
            if site is not None and local_object(ctx, site) is b:
                return  # put back through a helper method (`p.free()`)
        what = (
            f"{ctx.text(ctx.receiver(node))}.Get()"
            if how is True
            else f"{ctx.text(node.child_by_field_name('function'))}()"
        )
        ctx.report(
            node,
            f"{b.name} from {what} is never put back and does not leave the function: each call takes a fresh "
            f"object and the pool saves nothing; Put it back when done (defer ...Put({b.name}))",
        )


class PoolUnboundedCapacity(_PoolRule):
    """
    ## What it finds
    `pool.Put(x)` where `x` is a `*bytes.Buffer`, or a `[]byte`/`*[]byte` that the function grows with
    `append`, with no capacity check on `x` in the function (`if x.Cap() > limit { return }`,
    `cap(*x) > limit`, `x.Len()` in a comparison). Reported at the `Put`.
    ## Why it matters
    A buffer grows to fit the largest message it ever held and keeps that capacity when put back: the
    pool then pins the biggest buffers ever seen, and one huge request makes every pooled buffer huge
    (golang/go#23199). Drop buffers above a limit instead of putting them back.
    """

    meta = RuleMeta(
        code="POOL005",
        kind="defect",
        name="pool-unbounded-capacity",
        severity=Severity.INFO,
        summary="growable buffer put back into a sync.Pool with no capacity limit",
        needs_imports=(),  # the pool may be declared in another file: the gate is per package
        bad='package p\n\nimport (\n\t"bytes"\n\t"sync"\n)\n\nvar bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}\n\n'
        "func release(b *bytes.Buffer) {\n\tb.Reset()\n\tbufs.Put(b)\n}\n",
        good='package p\n\nimport (\n\t"bytes"\n\t"sync"\n)\n\nvar bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}\n\n'
        "func release(b *bytes.Buffer) {\n\tif b.Cap() > 64<<10 {\n\t\treturn\n\t}\n\tb.Reset()\n\tbufs.Put(b)\n}\n",
    )

    calls = callee_names(PUT)

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if ctx.call_target(node) != PUT:
            return
        args = ctx.args(node)
        root = object_root(args[0]) if len(args) == 1 else None
        b = ctx.resolve(root) if root is not None else None
        if b is None or not b.is_local or root is None or unparen(args[0]) != root:
            return
        t = ctx.type_of(root)
        kind = _growable(ctx, t)
        if kind is None:
            return
        home = ctx.enclosing_function(node)
        if home is None:
            return
        if kind == "bytes" and not any(_grows(ctx, n, b) for n in walk(home)):
            return
        if any(is_cap_check(ctx, n, b) for n in walk(home)):
            return
        limit = (
            f"{b.name}.Cap()"
            if kind == "buffer"
            else (f"cap(*{b.name})" if t and t.kind == "pointer" else f"cap({b.name})")
        )
        ctx.report(
            node,
            f"{ctx.text(ctx.receiver(node))}.Put({b.name}) keeps a buffer of any size: the pool pins the largest "
            f"buffers ever seen (golang/go#23199); drop big ones instead: if {limit} > 64<<10 {{ return }}",
        )


def _growable(ctx: FileContext, t: GoType | None) -> str | None:
    if t is None:
        return None
    if t.kind == "pointer" and t.elem is not None and t.elem.is_named("bytes.Buffer"):
        return "buffer"
    u = ctx.underlying(t.elem if t.kind == "pointer" else t)
    if (
        u is not None
        and u.kind == "slice"
        and u.elem is not None
        and u.elem.kind == "named"
        and (u.elem.name in ("byte", "uint8") and not u.elem.pkg)
    ):
        return "bytes"
    return None


def _grows(ctx: FileContext, n: Node, b: Binding) -> bool:
    """`append(b, ...)`, `append(*b, ...)`, or `*b = ...`: the slice may get a bigger backing array."""
    if n.type == "call_expression":
        fn = unparen(n.child_by_field_name("function"))
        args = call_args(n)
        return (
            fn is not None
            and fn.type == "identifier"
            and fn.text == b"append"
            and bool(args)
            and is_binding(ctx, args[0], b)
        )
    if n.type == "assignment_statement":
        lefts = expression_list(n.child_by_field_name("left"))
        rights = expression_list(n.child_by_field_name("right"))
        for i, left in enumerate(lefts):
            left = unparen(left)
            if left is None or left.type != "unary_expression" or not is_binding(ctx, left, b):
                continue
            right = unparen(rights[i]) if len(rights) == len(lefts) else None
            if right is not None and right.type == "slice_expression" and is_binding(ctx, right, b):
                continue  # `*b = (*b)[:0]`: a reslice, no growth
            return True
    return False


class PoolPerCall(_PoolRule):
    """
    ## What it finds
    A `sync.Pool{...}` or `&sync.Pool{...}` composite literal inside a function body, bound to a local
    variable that does not leave the function (not returned, stored, sent, passed, or captured) and is
    not used in a loop of that function. Reported at the `sync.Pool{` literal. Not reported in `main`
    of package main, whose locals live as long as the program.
    ## Why it matters
    A pool made per call is empty each time and dropped when the function returns: its `Get` always
    calls `New`, so it only adds overhead. Declare the pool once at package level, or in a long-lived
    struct.
    """

    meta = RuleMeta(
        code="POOL006",
        kind="cost",
        allocates=True,
        name="pool-per-call",
        severity=Severity.WARNING,
        summary="sync.Pool created per function call",
        needs_imports=("sync",),
        bad='package p\n\nimport (\n\t"bytes"\n\t"sync"\n)\n\nfunc render(s string) string {\n'
        "\tpool := sync.Pool{New: func() any { return new(bytes.Buffer) }}\n\tb := pool.Get().(*bytes.Buffer)\n"
        "\tb.Reset()\n\tdefer pool.Put(b)\n\tb.WriteString(s)\n\treturn b.String()\n}\n",
        good='package p\n\nimport (\n\t"bytes"\n\t"sync"\n)\n\nvar pool = sync.Pool{New: func() any { return new(bytes.Buffer) }}\n\n'
        "func render(s string) string {\n\tb := pool.Get().(*bytes.Buffer)\n\tb.Reset()\n\tdefer pool.Put(b)\n"
        "\tb.WriteString(s)\n\treturn b.String()\n}\n",
    )

    def visit_composite_literal(self, node: Node, ctx: FileContext) -> None:
        t = ctx.type_of(node)
        if t is None or not t.is_named("sync.Pool"):
            return
        home = ctx.enclosing_function(node)
        if home is None:
            return
        if startup.is_program_main(ctx.resolver.top_function(node), ctx.file.package):
            return
        expr = node
        p = node.parent
        if (
            p is not None
            and p.type == "unary_expression"
            and (p.child_by_field_name("operator") or p).type == "&"
        ):
            expr = p
        bound = ctx.assigned_local(expr)
        if bound is None:
            return
        b, stmt = bound
        if ctx.escapes(b):
            return
        for r in ctx.references(b):
            loop = ctx.enclosing_loop(r)
            while loop is not None:
                if not contains(loop, stmt):
                    return  # reused across iterations of this call
                loop = ctx.enclosing_loop(loop)
        fname = loops.function_name(home) or "this function"
        ctx.report(
            node,
            f"sync.Pool created inside {fname} is new and empty on every call and dropped when it returns, so "
            "its Get always falls back to New; declare the pool once at package level (var pool = sync.Pool{...})",
            end=node.child_by_field_name("type"),
        )

"""POOL: sync.Pool misuse.

The rules share one model of how objects move through a pool in a package: a Get is `p.Get()` on a
value of type `sync.Pool`/`*sync.Pool` (a package-level var, a field, a local pointer), possibly through
a type assertion, or a call of a same-package *getter* (a function or method that returns what it got);
a Put is `p.Put(x)` or a call of a same-package *putter* (a function or method that Puts one of its
parameters, or its receiver). The object is the local variable the Get is bound to.
"""

from __future__ import annotations

import re

import attrs

from gostatic.analysis import flow, stdlib
from gostatic.analysis.index import FuncDecl, PackageIndex
from gostatic.analysis.scopes import Binding
from gostatic.analysis.types import GoType
from gostatic.parse.syntax import (
    FUNCTION_TYPES,
    assigned_to,
    call_args,
    callee_name,
    contains,
    expression_list,
    text,
    unparen,
    walk,
)
from gostatic.rule import FileContext, Fix, Node, Rule, RuleMeta, Severity, callee_names, insert_line_after

_GET = "sync.Pool.Get"
_PUT = "sync.Pool.Put"
_RESET_METHODS = frozenset({"Reset", "reset", "Clear", "clear"})


# ------------------------------------------------------------------------------------------ model
@attrs.frozen
class Getter:
    """A same-package function or method that returns an object it took from a pool."""

    resets: bool  # it resets the object before returning it


@attrs.frozen
class Putter:
    """A same-package function or method that Puts one of its parameters (index) or its receiver (-1)."""

    param: int
    resets: bool  # it resets the object before the Put
    checks_cap: bool  # it checks the object's capacity


@attrs.define
class PutSite:
    """A Put in the function being analysed: the call, the object expression, and what a putter adds."""

    call: Node
    obj: Node
    helper: Putter | None = None

    @property
    def resets(self) -> bool:
        return self.helper is not None and self.helper.resets


def _root(expr: Node | None) -> Node | None:
    """`x` in `x`, `*x`, `(*x)`, `&x`, `x.f`, `x[:0]`, `x.f[:0]`."""
    expr = unparen(expr)
    while expr is not None:
        if expr.type == "identifier":
            return expr
        if expr.type == "unary_expression":
            op = expr.child_by_field_name("operator")
            if op is None or op.type not in ("*", "&"):
                return None
            expr = unparen(expr.child_by_field_name("operand"))
        elif expr.type in ("selector_expression", "slice_expression"):
            expr = unparen(expr.child_by_field_name("operand"))
        else:
            return None
    return None


def _is_binding(ctx: FileContext, expr: Node | None, b: Binding) -> bool:
    root = _root(expr)
    return root is not None and root.text == b.name.encode() and ctx.resolve(root) is b


def _is_reset(ctx: FileContext, n: Node, b: Binding) -> bool:
    """Whether `n` resets (some of) the object in `b`: `b.Reset()` (or reset/Clear/Truncate(0)),
    `clear(b)`, a `[:0]` reslice of `b` or of one of its fields, `*b = T{}`, or a write to a field."""
    t = n.type
    if t == "call_expression":
        fn = unparen(n.child_by_field_name("function"))
        if fn is None:
            return False
        if fn.type == "selector_expression":
            field = fn.child_by_field_name("field")
            name = text(field).decode() if field is not None else ""
            args = call_args(n)
            is_reset = name in _RESET_METHODS or (
                name == "Truncate" and len(args) == 1 and args[0].text == b"0"
            )
            return is_reset and _is_binding(ctx, fn.child_by_field_name("operand"), b)
        if fn.type == "identifier" and fn.text == b"clear" and ctx.resolver.is_builtin(fn):
            args = call_args(n)
            return len(args) == 1 and _is_binding(ctx, args[0], b)
        return False
    if t == "slice_expression":
        end = n.child_by_field_name("end")
        start = n.child_by_field_name("start")
        return (
            end is not None
            and end.text == b"0"
            and (start is None or start.text == b"0")
            and _is_binding(ctx, n.child_by_field_name("operand"), b)
        )
    if t == "assignment_statement":
        op = n.child_by_field_name("operator")
        if op is None or op.type != "=":
            return False  # `x.n += 1` accumulates, it does not reset
        lefts = expression_list(n.child_by_field_name("left"))
        rights = expression_list(n.child_by_field_name("right"))
        for i, left in enumerate(lefts):
            left = unparen(left)
            right = unparen(rights[i]) if len(rights) == len(lefts) else None
            if left is None or left.type not in ("unary_expression", "selector_expression"):
                continue
            if _is_binding(ctx, left, b) and not _is_append(right):
                return True  # `*x = T{}`, `x.n = 0`, but not `*x = append(*x, v)`
    return False


def _is_append(expr: Node | None) -> bool:
    fn = (
        unparen(expr.child_by_field_name("function"))
        if expr is not None and expr.type == "call_expression"
        else None
    )
    return fn is not None and fn.type == "identifier" and fn.text == b"append"


def _is_cap_check(ctx: FileContext, n: Node, b: Binding) -> bool:
    """`cap(b)` or `b.Cap()` anywhere; `len(*b)` or `b.Len()` inside a comparison or an if condition, or
    bound to a local that is compared (`n := b.Len(); if n < max {...}`)."""
    if n.type != "call_expression":
        return False
    fn = unparen(n.child_by_field_name("function"))
    if (fn is not None and fn.text in (b"cap", b"Cap")) or (
        fn is not None
        and fn.type == "selector_expression"
        and (fn.child_by_field_name("field") or fn).text == b"Cap"
    ):
        args = call_args(n)
        target = args[0] if fn.type == "identifier" and len(args) == 1 else fn.child_by_field_name("operand")
        if target is not None and _rooted_in(ctx, target, b):
            return True
    bound = ctx.assigned_local(n)
    if bound is not None and _is_size_call(ctx, n, b):
        return any(_in_comparison(r) for r in ctx.references(bound[0]))
    return _is_size_call(ctx, n, b) and _in_comparison(n)


def _rooted_in(ctx: FileContext, expr: Node, b: Binding) -> bool:
    """`expr` is `b` (or a field, slice, deref of it), or a local bound once to such a view of `b`
    (`line := (*bp)[:0]`)."""
    if _is_binding(ctx, expr, b):
        return True
    root = _root(expr)
    alias = ctx.resolve(root) if root is not None else None
    return (
        alias is not None
        and alias.kind == "local"
        and alias.value is not None
        and _is_binding(ctx, alias.value, b)
    )


def _in_comparison(n: Node) -> bool:
    p = n.parent
    while p is not None and p.type not in FUNCTION_TYPES and not p.type.endswith("_statement"):
        if p.type == "binary_expression":
            return True
        p = p.parent
    return p is not None and p.type == "if_statement"


def _is_size_call(ctx: FileContext, n: Node, b: Binding) -> bool:
    """`cap(b)`, `len(*b)`, `b.Cap()`, `b.Len()`."""
    if n.type != "call_expression":
        return False
    fn = unparen(n.child_by_field_name("function"))
    if fn is None:
        return False
    if fn.type == "identifier" and fn.text in (b"cap", b"len") and ctx.resolver.is_builtin(fn):
        args = call_args(n)
        ok = len(args) == 1 and _is_binding(ctx, args[0], b)
    elif fn.type == "selector_expression":
        field = fn.child_by_field_name("field")
        ok = (
            field is not None
            and field.text in (b"Cap", b"Len")
            and _is_binding(ctx, fn.child_by_field_name("operand"), b)
        )
    else:
        ok = False
    return ok


class _Wrappers:
    """Which same-package functions may wrap sync.Pool's Get or Put, by name, from their text: PoolModel's
    own first tests, so that a call it would reject costs no typing. A putter's body has `.Put(`; a
    getter has one result and a body that spells `Get` or calls another possible getter by name (a
    getter may return another getter's result). Worked out for the names asked, over the part of the
    call graph they reach, so an editor's run over one file looks at the functions that file calls."""

    def __init__(self, index: PackageIndex) -> None:
        # by name as written in calls (bytes: the callee names of a call and of a body's calls are
        # compared without decoding them)
        self._decls: dict[bytes, list[FuncDecl]] = {}
        for d in (*index.funcs.values(), *index.methods.values()):
            self._decls.setdefault(d.name.encode(), []).append(d)
        self._getters: dict[bytes, bool] = {}
        self._putters: dict[bytes, bool] = {}

    def may_put(self, name: bytes) -> bool:
        found = self._putters.get(name)
        if found is None:
            found = self._putters[name] = any(
                d.file.source.find(b".Put(", *_span(d)) >= 0 for d in self._decls.get(name, ())
            )
        return found

    def may_get(self, name: bytes) -> bool:
        found = self._getters.get(name)
        if found is not None:
            return found
        calls: dict[bytes, set[bytes]] = {}  # the one-result functions reachable from `name`, by name
        spells: set[bytes] = set()  # those whose body spells Get
        todo = [name]
        while todo:
            n = todo.pop()
            if n in calls or n in self._getters:
                continue
            called = calls[n] = set()
            for d in self._decls.get(n, ()):
                if not _one_result(d.node):
                    continue
                src, (start, end) = d.file.source, _span(d)
                if _GET_WORD.search(src, start, end):
                    spells.add(n)
                else:
                    called.update(_CALLED_NAME.findall(src, start, end))
            todo.extend(c for c in called if c in self._decls)
        getters = spells | {c for cs in calls.values() for c in cs if self._getters.get(c)}
        grown = True
        while grown:  # a function calling a getter may be one: to a fixed point over what was reached
            grown = False
            for n, called in calls.items():
                if n not in getters and not called.isdisjoint(getters):
                    getters.add(n)
                    grown = True
        for n in calls:
            self._getters[n] = n in getters
        return self._getters[name]


class PoolModel:
    """Getters and putters of one package, computed on demand and shared by the pool rules."""

    def __init__(self) -> None:
        self._getters: dict[int, Getter | None] = {}
        self._putters: dict[int, Putter | None] = {}
        self._wrappers: _Wrappers | None = None

    def _named(self, ctx: FileContext, call: Node, word: bytes) -> bool:
        """Whether `call` is written as a `word` ("Get"/"Put") call or one of a possible wrapper."""
        name = callee_name(call)
        if name is None:
            return False
        if name == word:
            return True
        if self._wrappers is None:
            self._wrappers = _Wrappers(ctx.index)
        return self._wrappers.may_get(name) if word == b"Get" else self._wrappers.may_put(name)

    # -------------------------------------------------------------------------------- declarations
    @staticmethod
    def callee(ctx: FileContext, call: Node) -> FuncDecl | None:
        """The same-package function or method a call runs, when the source says which."""
        fn = unparen(call.child_by_field_name("function"))
        if fn is None:
            return None
        if fn.type == "identifier":
            b = ctx.resolve(fn)
            return ctx.index.funcs.get(b.name) if b is not None and b.kind == "func" else None
        if fn.type == "selector_expression":
            field = fn.child_by_field_name("field")
            t = ctx.type_of(fn.child_by_field_name("operand"))
            if field is None or t is None:
                return None
            base = t.deref()
            if base.kind == "named" and not base.pkg:
                return ctx.index.methods.get((base.name, text(field).decode()))
        return None

    def getter(self, ctx: FileContext, decl: FuncDecl) -> Getter | None:
        key = decl.node.id
        if key not in self._getters:
            self._getters[key] = None
            self._getters[key] = self._getter(_context_for(ctx, decl), decl)
        return self._getters[key]

    def _getter(self, ctx: FileContext, decl: FuncDecl) -> Getter | None:
        body = decl.node.child_by_field_name("body")
        result = decl.node.child_by_field_name("result")
        if (
            body is None
            or result is None
            or (result.type == "parameter_list" and len(result.named_children) != 1)
        ):
            return None
        for ret in walk(body, prune=FUNCTION_TYPES):
            if ret.type != "return_statement":
                continue
            values = expression_list(ret.named_children[0]) if ret.named_children else []
            if len(values) != 1:
                continue
            v = unparen(values[0])
            while v is not None and v.type == "type_assertion_expression":
                v = unparen(v.child_by_field_name("operand"))
            if v is None:
                continue
            if v.type == "call_expression" and ctx.call_target(v) == _GET:
                return Getter(resets=False)
            if v.type == "identifier":
                b = ctx.resolve(v)
                if b is None or not b.is_local:
                    continue
                got = [g for g in self.gets_of(ctx, b) if g[0].start_byte < ret.start_byte]
                if got:
                    resets = bool(ctx.called_between(got[-1][1], ret, lambda n, b=b: _is_reset(ctx, n, b)))
                    return Getter(resets=resets)
        return None

    def putter(self, ctx: FileContext, decl: FuncDecl) -> Putter | None:
        key = decl.node.id
        if key not in self._putters:
            self._putters[key] = None
            self._putters[key] = self._putter(_context_for(ctx, decl), decl)
        return self._putters[key]

    def _putter(self, ctx: FileContext, decl: FuncDecl) -> Putter | None:
        body = decl.node.child_by_field_name("body")
        if body is None or b".Put(" not in (body.text or b""):
            return None
        for call in walk(body):
            if call.type != "call_expression" or ctx.call_target(call) != _PUT:
                continue
            args = call_args(call)
            arg = unparen(args[0]) if len(args) == 1 else None  # the parameter itself, not one of its fields
            b = ctx.resolve(arg) if arg is not None and arg.type == "identifier" else None
            if b is None or b.kind not in ("param", "receiver") or b.scope != decl.node:
                continue
            index = -1 if b.kind == "receiver" else _param_index(decl.node, b)
            if index is None:
                continue
            resets = any(_is_reset(ctx, n, b) for n in walk(body) if n.start_byte < call.start_byte)
            checks = any(_is_cap_check(ctx, n, b) for n in walk(body))
            return Putter(index, resets, checks)
        return None

    # -------------------------------------------------------------------------------- call sites
    def is_get(self, ctx: FileContext, call: Node) -> Getter | bool:
        """True for `p.Get()`, the Getter for a getter call, False otherwise."""
        if not self._named(ctx, call, b"Get"):
            return False
        if ctx.call_target(call) == _GET:
            return True
        decl = self.callee(ctx, call)
        g = self.getter(ctx, decl) if decl is not None else None
        return g if g is not None else False

    def put_site(self, ctx: FileContext, call: Node) -> PutSite | None:
        if not self._named(ctx, call, b"Put"):
            return None
        args = call_args(call)
        if ctx.call_target(call) == _PUT:
            return PutSite(call, args[0]) if len(args) == 1 else None
        decl = self.callee(ctx, call)
        p = self.putter(ctx, decl) if decl is not None else None
        if p is None:
            return None
        if p.param < 0:
            recv = ctx.receiver(call)
            return PutSite(call, recv, p) if recv is not None else None
        return PutSite(call, args[p.param], p) if p.param < len(args) else None

    def gets_of(self, ctx: FileContext, b: Binding) -> list[tuple[Node, Node, Getter | bool]]:
        """(get call, binding statement, how) for every Get-like value assigned to local `b`."""
        out = []
        candidates = [b.value] if b.value is not None else []
        for r in ctx.references(b):
            p = r.parent
            if (
                p is not None
                and p.type == "expression_list"
                and p.parent is not None
                and (p.parent.type == "assignment_statement" and p.parent.child_by_field_name("left") == p)
            ):
                candidates.extend(expression_list(p.parent.child_by_field_name("right")))
        for v in candidates:
            call = unparen(v)
            while call is not None and call.type == "type_assertion_expression":
                call = unparen(call.child_by_field_name("operand"))
            if call is None or call.type != "call_expression":
                continue
            how = self.is_get(ctx, call)
            if how is False:
                continue
            bound = ctx.assigned_local(call)
            if bound is not None and bound[0] is b:
                out.append((call, bound[1], how))
        return sorted(out, key=lambda g: g[0].start_byte)


def _context_for(ctx: FileContext, decl: FuncDecl) -> FileContext:
    return ctx.sibling(decl.file)


def _param_index(fn: Node, b: Binding) -> int | None:
    params = fn.child_by_field_name("parameters")
    i = 0
    for p in params.named_children if params is not None else ():
        if p.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        names = p.children_by_field_name("name")
        for n in names or [p]:
            if b.ident is not None and n.start_byte == b.ident.start_byte:
                return i
            i += 1
    return None


def _local_object(ctx: FileContext, site: PutSite) -> Binding | None:
    root = unparen(site.obj)
    if root is None or root.type != "identifier":
        return None
    b = ctx.resolve(root)
    return b if b is not None and b.is_local else None


def _deferred(ctx: FileContext, call: Node) -> Node | None:
    """The `defer` statement that runs `call` at return: `defer p.Put(x)` or `defer func() {...}()`."""
    stmt = call.parent
    if stmt is not None and stmt.type == "defer_statement":
        return stmt
    fn = ctx.enclosing_function(call)
    if fn is not None and fn.type == "func_literal":
        outer = fn.parent
        if (
            outer is not None
            and outer.type == "call_expression"
            and outer.parent is not None
            and (outer.parent.type == "defer_statement")
        ):
            return outer.parent
    return None


def _pool_name(ctx: FileContext, site: PutSite) -> str:
    if site.helper is not None:
        return ctx.text(site.call.child_by_field_name("function"))
    return ctx.text(ctx.receiver(site.call)) + ".Put"


def _object_type(ctx: FileContext, b: Binding, get_call: Node) -> GoType | None:
    assertion = get_call.parent
    while assertion is not None and assertion.type == "parenthesized_expression":
        assertion = assertion.parent
    if assertion is not None and assertion.type == "type_assertion_expression":
        return ctx.type_of(assertion)
    return ctx.type_of(get_call) if ctx.call_target(get_call) != _GET else None


def _resettable(ctx: FileContext, t: GoType | None) -> str | None:
    """ "method" (a Reset() without arguments: fixable), "method-args", "slice", "ptr-slice", or None."""
    if t is None:
        return None
    u = ctx.underlying(t)
    if u is not None and u.kind == "slice":
        return "slice"
    if t.kind != "pointer" or t.elem is None:
        return None
    elem = t.elem
    ue = ctx.underlying(elem)
    if ue is not None and ue.kind == "slice":
        return "ptr-slice"
    if elem.kind != "named":
        return None
    if elem.pkg:
        no_args = stdlib.RESETTABLE_TYPES.get(elem.qualified)
        return None if no_args is None else ("method" if no_args else "method-args")
    m = ctx.index.methods.get((elem.name, "Reset"))
    if m is None:
        return None
    params = m.node.child_by_field_name("parameters")
    return "method" if params is not None and not params.named_children else "method-args"


# ------------------------------------------------------------------------------------------ rules
# `sync.Pool` however sync is imported (`.Pool`), or `Pool` in a file that dot-imports sync
_NAMES_A_POOL = re.compile(rb"\.\s*Pool\b|\.\s+\"sync\"")


def _names_a_pool(index: PackageIndex) -> bool:
    """Whether any file of the package names a sync.Pool (asked once per package for all pool rules)."""
    return index.fact(
        "pool.names_a_pool",
        lambda: any(b"Pool" in f.source and _NAMES_A_POOL.search(f.source) for f in index.files),
    )


def _pool_model(index: PackageIndex) -> PoolModel:
    """One model per package, shared by the pool rules (a getter or putter is worked out once)."""
    return index.fact("pool.model", PoolModel)


def _span(d: FuncDecl) -> tuple[int, int]:
    return d.node.start_byte, d.node.end_byte


def _one_result(fn: Node) -> bool:
    result = fn.child_by_field_name("result")
    return result is not None and (result.type != "parameter_list" or len(result.named_children) == 1)


_GET_WORD = re.compile(rb"(?<![\w\x80-\xff])Get(?![\w\x80-\xff])")
_CALLED_NAME = re.compile(rb"(?<![\w\x80-\xff])([\w\x80-\xff]+)\s*\(")


class _PoolRule(Rule):
    def begin_package(self, pkg) -> None:  # type: ignore[no-untyped-def]
        index = pkg.index
        self.model = _pool_model(index)
        if self.calls is None:
            if not _names_a_pool(index):
                # a sync.Pool is named in the package that uses it (sync.Pool, s.Pool, an embedding or an
                # alias): without one there are no Get/Put calls for these rules to follow
                self.calls = frozenset()
            else:
                # Get/Put, or a same-package function or method wrapping them (the model's getters and
                # putters; its first test, by name, rules out the rest: see _Wrappers)
                self.calls = callee_names(_GET, _PUT) | frozenset(index.funcs) | {m for _, m in index.methods}

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
        name="pool-put-non-pointer",
        severity=Severity.WARNING,
        summary="sync.Pool.Put of a value that is not pointer-shaped",
        needs_imports=("sync",),
        bad='package p\n\nimport "sync"\n\nvar bufs = sync.Pool{New: func() any { return make([]byte, 0, 512) }}\n\n'
        "func use() {\n\tb := bufs.Get().([]byte)\n\tb = append(b[:0], 'x')\n\tbufs.Put(b)\n}\n",
        good='package p\n\nimport "sync"\n\nvar bufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}\n\n'
        "func use() {\n\tbp := bufs.Get().(*[]byte)\n\t*bp = append((*bp)[:0], 'x')\n\tbufs.Put(bp)\n}\n",
    )

    calls = callee_names(_PUT)

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if ctx.call_target(node) != _PUT:
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
        name="pool-put-without-reset",
        severity=Severity.WARNING,
        summary="pooled object put back without a reset",
        needs_imports=("sync",),
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
        b = _local_object(ctx, site)
        if b is None:
            return
        gets = [g for g in model.gets_of(ctx, b) if g[0].start_byte < node.start_byte]
        if not gets:
            return
        get_call, get_stmt, how = gets[-1]
        if isinstance(how, Getter) and how.resets:
            return
        kind = _resettable(ctx, _object_type(ctx, b, get_call) or ctx.type_of(unparen(site.obj)))
        if kind is None:
            return
        home = ctx.enclosing_function(get_stmt)
        if kind in ("slice", "ptr-slice") and (
            home is None or not any(_appends_onto(ctx, n, b) for n in walk(home))
        ):
            return  # used by index or copy, not by length: stale contents are not seen
        end = None if _deferred(ctx, node) is not None else node
        if ctx.called_between(get_stmt, end, lambda n: _is_reset(ctx, n, b)):
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
            f"{name} goes back to the pool with {_pool_name(ctx, site)} without a reset since its Get on line "
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
    `return (*x)[:n]`. `x.String()` copies and is never reported. Reported at the `Put`.
    ## Why it matters
    After `Put` the pool may hand the object to another goroutine at any moment: whatever still points
    into it (the returned slice of `Bytes()`, the pointer itself) sees that goroutine's writes, a data
    race that corrupts output far from its cause. A deferred Put runs after the return values are
    computed, so `return buf.Bytes()` hands the caller memory that is already back in the pool. Copy
    what must outlive the Put (`buf.String()`, `bytes.Clone(buf.Bytes())`) or Put later.
    """

    meta = RuleMeta(
        code="POOL003",
        name="pool-use-after-put",
        severity=Severity.ERROR,
        summary="pooled object used after it was put back",
        needs_imports=("sync",),
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
        b = _local_object(ctx, site)
        if b is None:
            return
        pool = _pool_name(ctx, site)
        defer = _deferred(ctx, node)
        if defer is not None:
            home = ctx.enclosing_function(defer)
            body = home.child_by_field_name("body") if home is not None else None
            for ret in walk(body, prune=FUNCTION_TYPES) if body is not None else ():
                if ret.type != "return_statement" or not ctx.may_run_after(defer, ret):
                    continue
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
            ctx.report(
                node,
                f"{b.name} is used on line {r.start_point[0] + 1} after {pool} gave it back to the pool: another "
                "goroutine may already be reusing it; finish with it (or copy what you need) before Put",
            )
            return


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
        name="pool-get-without-put",
        severity=Severity.INFO,
        summary="object taken from a sync.Pool is never put back",
        needs_imports=("sync",),
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
            if site is not None and _local_object(ctx, site) is b:
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
        name="pool-unbounded-capacity",
        severity=Severity.INFO,
        summary="growable buffer put back into a sync.Pool with no capacity limit",
        needs_imports=("sync",),
        bad='package p\n\nimport (\n\t"bytes"\n\t"sync"\n)\n\nvar bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}\n\n'
        "func release(b *bytes.Buffer) {\n\tb.Reset()\n\tbufs.Put(b)\n}\n",
        good='package p\n\nimport (\n\t"bytes"\n\t"sync"\n)\n\nvar bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}\n\n'
        "func release(b *bytes.Buffer) {\n\tif b.Cap() > 64<<10 {\n\t\treturn\n\t}\n\tb.Reset()\n\tbufs.Put(b)\n}\n",
    )

    calls = callee_names(_PUT)

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if ctx.call_target(node) != _PUT:
            return
        args = ctx.args(node)
        root = _root(args[0]) if len(args) == 1 else None
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
        if any(_is_cap_check(ctx, n, b) for n in walk(home)):
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
            and _is_binding(ctx, args[0], b)
        )
    if n.type == "assignment_statement":
        lefts = expression_list(n.child_by_field_name("left"))
        rights = expression_list(n.child_by_field_name("right"))
        for i, left in enumerate(lefts):
            left = unparen(left)
            if left is None or left.type != "unary_expression" or not _is_binding(ctx, left, b):
                continue
            right = unparen(rights[i]) if len(rights) == len(lefts) else None
            if right is not None and right.type == "slice_expression" and _is_binding(ctx, right, b):
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
        if flow.is_program_main(ctx.resolver.top_function(node), ctx.file.package):
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
        fname = flow.function_name(home) or "this function"
        ctx.report(
            node,
            f"sync.Pool created inside {fname} is new and empty on every call and dropped when it returns, so "
            "its Get always falls back to New; declare the pool once at package level (var pool = sync.Pool{...})",
            end=node.child_by_field_name("type"),
        )

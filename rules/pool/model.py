"""The pool model shared by the POOL rules: how objects move through a `sync.Pool` in one package.

A Get is `p.Get()` on a value of type `sync.Pool`/`*sync.Pool` (a package-level var, a field, a local
pointer), possibly through a type assertion, or a call of a same-package *getter* (a function or method
that returns what it got); a Put is `p.Put(x)` or a call of a same-package *putter* (a function or method
that Puts one of its parameters, or its receiver). The object is the local variable the Get is bound to.
Getters and putters are worked out once per package and per name asked.
"""

from __future__ import annotations

import re

import attrs

from gostatic.analysis import stdlib
from gostatic.analysis.index import FuncDecl, PackageIndex
from gostatic.analysis.scopes import Binding
from gostatic.analysis.types import GoType
from gostatic.parse.syntax import (
    FUNCTION_TYPES,
    call_args,
    callee_name,
    expression_list,
    text,
    unparen,
    walk,
)
from gostatic.rule import FileContext, Node

GET = "sync.Pool.Get"
PUT = "sync.Pool.Put"
_RESET_METHODS = frozenset({"Reset", "reset", "Clear", "clear"})


# ------------------------------------------------------------------------------------------ model
@attrs.frozen(repr=False)
class Getter:
    """A same-package function or method that returns an object it took from a pool."""

    resets: bool  # it resets the object before returning it


@attrs.frozen(repr=False)
class Putter:
    """A same-package function or method that Puts one of its parameters (index) or its receiver (-1)."""

    param: int
    resets: bool  # it resets the object before the Put
    checks_cap: bool  # it checks the object's capacity


@attrs.define(repr=False)
class PutSite:
    """A Put in the function being analysed: the call, the object expression, and what a putter adds."""

    call: Node
    obj: Node
    helper: Putter | None = None

    @property
    def resets(self) -> bool:
        return self.helper is not None and self.helper.resets


def object_root(expr: Node | None) -> Node | None:
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


def is_binding(ctx: FileContext, expr: Node | None, b: Binding) -> bool:
    root = object_root(expr)
    return root is not None and root.text == b.name.encode() and ctx.resolve(root) is b


def is_reset(ctx: FileContext, n: Node, b: Binding) -> bool:
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
            return is_reset and is_binding(ctx, fn.child_by_field_name("operand"), b)
        if fn.type == "identifier" and fn.text == b"clear" and ctx.resolver.is_builtin(fn):
            args = call_args(n)
            return len(args) == 1 and is_binding(ctx, args[0], b)
        return False
    if t == "slice_expression":
        end = n.child_by_field_name("end")
        start = n.child_by_field_name("start")
        return (
            end is not None
            and end.text == b"0"
            and (start is None or start.text == b"0")
            and is_binding(ctx, n.child_by_field_name("operand"), b)
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
            if is_binding(ctx, left, b) and not _is_append(right):
                return True  # `*x = T{}`, `x.n = 0`, but not `*x = append(*x, v)`
    return False


def _is_append(expr: Node | None) -> bool:
    fn = (
        unparen(expr.child_by_field_name("function"))
        if expr is not None and expr.type == "call_expression"
        else None
    )
    return fn is not None and fn.type == "identifier" and fn.text == b"append"


def is_cap_check(ctx: FileContext, n: Node, b: Binding) -> bool:
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
    if is_binding(ctx, expr, b):
        return True
    root = object_root(expr)
    alias = ctx.resolve(root) if root is not None else None
    return (
        alias is not None
        and alias.kind == "local"
        and alias.value is not None
        and is_binding(ctx, alias.value, b)
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
        ok = len(args) == 1 and is_binding(ctx, args[0], b)
    elif fn.type == "selector_expression":
        field = fn.child_by_field_name("field")
        ok = (
            field is not None
            and field.text in (b"Cap", b"Len")
            and is_binding(ctx, fn.child_by_field_name("operand"), b)
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
            if v.type == "call_expression" and ctx.call_target(v) == GET:
                return Getter(resets=False)
            if v.type == "identifier":
                b = ctx.resolve(v)
                if b is None or not b.is_local:
                    continue
                got = [g for g in self.gets_of(ctx, b) if g[0].start_byte < ret.start_byte]
                if got:
                    resets = bool(ctx.called_between(got[-1][1], ret, lambda n, b=b: is_reset(ctx, n, b)))
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
            if call.type != "call_expression" or ctx.call_target(call) != PUT:
                continue
            args = call_args(call)
            arg = unparen(args[0]) if len(args) == 1 else None  # the parameter itself, not one of its fields
            b = ctx.resolve(arg) if arg is not None and arg.type == "identifier" else None
            if b is None or b.kind not in ("param", "receiver") or b.scope != decl.node:
                continue
            index = -1 if b.kind == "receiver" else _param_index(decl.node, b)
            if index is None:
                continue
            resets = any(is_reset(ctx, n, b) for n in walk(body) if n.start_byte < call.start_byte)
            checks = any(is_cap_check(ctx, n, b) for n in walk(body))
            return Putter(index, resets, checks)
        return None

    # -------------------------------------------------------------------------------- call sites
    def is_get(self, ctx: FileContext, call: Node) -> Getter | bool:
        """True for `p.Get()`, the Getter for a getter call, False otherwise."""
        if not self._named(ctx, call, b"Get"):
            return False
        if ctx.call_target(call) == GET:
            return True
        decl = self.callee(ctx, call)
        g = self.getter(ctx, decl) if decl is not None else None
        return g if g is not None else False

    def put_site(self, ctx: FileContext, call: Node) -> PutSite | None:
        if not self._named(ctx, call, b"Put"):
            return None
        args = call_args(call)
        if ctx.call_target(call) == PUT:
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


def local_object(ctx: FileContext, site: PutSite) -> Binding | None:
    root = unparen(site.obj)
    if root is None or root.type != "identifier":
        return None
    b = ctx.resolve(root)
    return b if b is not None and b.is_local else None


def deferred(ctx: FileContext, call: Node) -> Node | None:
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


def pool_name(ctx: FileContext, site: PutSite) -> str:
    if site.helper is not None:
        return ctx.text(site.call.child_by_field_name("function"))
    return ctx.text(ctx.receiver(site.call)) + ".Put"


def object_type(ctx: FileContext, b: Binding, get_call: Node) -> GoType | None:
    assertion = get_call.parent
    while assertion is not None and assertion.type == "parenthesized_expression":
        assertion = assertion.parent
    if assertion is not None and assertion.type == "type_assertion_expression":
        return ctx.type_of(assertion)
    return ctx.type_of(get_call) if ctx.call_target(get_call) != GET else None


def resettable(ctx: FileContext, t: GoType | None) -> str | None:
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


# `sync.Pool` however sync is imported (`.Pool`), or `Pool` in a file that dot-imports sync
_NAMES_A_POOL = re.compile(rb"\.\s*Pool\b|\.\s+\"sync\"")


def names_a_pool(index: PackageIndex) -> bool:
    """Whether any file of the package names a sync.Pool (asked once per package for all pool rules)."""
    return index.fact(
        "pool.names_a_pool",
        lambda: any(b"Pool" in f.source and _NAMES_A_POOL.search(f.source) for f in index.files),
    )


def pool_model(index: PackageIndex) -> PoolModel:
    """One model per package, shared by the pool rules (a getter or putter is worked out once)."""
    return index.fact("pool.model", PoolModel)


def _span(d: FuncDecl) -> tuple[int, int]:
    return d.node.start_byte, d.node.end_byte


def _one_result(fn: Node) -> bool:
    result = fn.child_by_field_name("result")
    return result is not None and (result.type != "parameter_list" or len(result.named_children) == 1)


_GET_WORD = re.compile(rb"(?<![\w\x80-\xff])Get(?![\w\x80-\xff])")
_CALLED_NAME = re.compile(rb"(?<![\w\x80-\xff])([\w\x80-\xff]+)\s*\(")

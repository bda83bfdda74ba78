"""RET: unbounded growth and retained references."""

from __future__ import annotations

import attrs

from gostatic.analysis import flow, loops
from gostatic.analysis.containers import INSERT_METHODS, Event, PackageContainers, package_containers
from gostatic.analysis.index import PackageIndex, type_from_node
from gostatic.analysis.scopes import Binding, resolver_for
from gostatic.analysis.types import BUILTIN_TYPES, GoType
from gostatic.parse.syntax import (
    callee_name,
    contains,
    field_declarations,
    paren_root,
    text,
    unparen,
    walk,
)
from gostatic.rule import Edit, FileContext, Fix, Node, PackageContext, Rule, RuleMeta, Severity

_SPLITTERS = frozenset(
    f"{pkg}.{fn}"
    for pkg in ("strings", "bytes")
    for fn in ("Split", "SplitN", "SplitAfter", "SplitAfterN", "Fields", "FieldsFunc")
)


# ---------------------------------------------------------------------------------------------- types
def _container_kind(t: GoType | None, index: PackageIndex) -> str | None:
    """ "map", "sync.Map" or "slice" for a container type; None otherwise or when unknown."""
    if t is None:
        return None
    if t.deref().is_named("sync.Map"):
        return "sync.Map"
    u = index.underlying(t)
    if u is not None and u.kind in ("map", "slice"):
        return u.kind
    return None


def _var_type(index: PackageIndex, name: str) -> GoType | None:
    v = index.values.get(name)
    if v is None:
        return None
    r = resolver_for(index, v.file)
    b = r.resolve_package_name(name)
    return None if b is None else r.binding_type(b)


def _field_type(index: PackageIndex, var: str, field: str) -> GoType | None:
    v = index.values.get(var)
    if v is None:
        return None
    if v.type_node is not None and v.type_node.type == "struct_type":
        tnode = _struct_node_fields(v.type_node).get(field)
        return type_from_node(tnode, v.file.imports) if tnode is not None else None
    t = _var_type(index, var)
    if t is None:
        return None
    base = t.deref()
    if base.kind != "named" or base.pkg:
        return None
    return index.field_type(base.name, field)


def _struct_node_fields(node: Node) -> dict[str, Node]:
    fields: dict[str, Node] = {}
    for fd in field_declarations(node):
        tnode = fd.child_by_field_name("type")
        if tnode is None:
            continue
        for n in fd.children_by_field_name("name"):
            fields[text(n).decode()] = tnode
    return fields


def _key_kind(key: tuple[str, ...], index: PackageIndex) -> str | None:
    if key[0] == "var":
        return _container_kind(_var_type(index, key[1]), index)
    if key[0] == "field":
        return _container_kind(_field_type(index, key[1], key[2]), index)
    return None


def _may_hold_map(index: PackageIndex, name: str) -> bool:
    """Whether package variable `name` is a map or sync.Map, or a struct (of a same-package type) that
    may have one as a field: the variables whose keys `_key_kind` can call a map."""
    v = index.values.get(name)
    if v is None:
        return False
    if v.type_node is not None and v.type_node.type == "struct_type":
        return True
    t = _var_type(index, name)
    if t is None:
        return False
    if _container_kind(t, index) in ("map", "sync.Map"):
        return True
    base = t.deref()
    return base.kind == "named" and not base.pkg and base.name in index.types


def _may_hold_slice(index: PackageIndex, name: str) -> bool:
    """Whether package variable `name` can be appended to, itself or through a field: not when its type
    is known to be something `append` does not take and that has no fields (a basic type, a map, a
    channel, a function, an interface, an array)."""
    t = _var_type(index, name)
    if t is None:
        return True
    if t.kind in ("map", "chan", "func", "interface", "array"):
        return False
    base = t.deref()
    return not (
        base.kind == "named" and not base.pkg and base.name in BUILTIN_TYPES and base.name not in index.types
    )


def _describe(key: tuple[str, ...], kind: str) -> str:
    name = key[1] if key[0] == "var" else f"{key[1]}.{key[2]}"
    if kind == "sync.Map":
        return f"package-level sync.Map {name}"
    if key[0] == "field":
        return f"map field {name} of a package-level variable"
    return f"package-level {kind} {name}"


def _shrinkable(facts: PackageContainers, key: tuple[str, ...]) -> bool:
    """Whether anything in the package may shrink (or replace, or hand out) the container."""
    if facts.can_shrink(key):
        return True
    if key[0] == "field":
        return facts.can_shrink(("var", key[1])) or facts.can_shrink(("anyfield", key[2]))
    return False


def _grows(e: Event, index: PackageIndex) -> bool:
    """An insertion that can add keys without bound: not run once (or never), not under a constant key
    nor under a parameter that every caller in the package passes a constant (`flow.constant_argument`)."""
    if e.once:
        return False
    r = resolver_for(index, e.file)
    if e.key is None or r.is_constant(e.key) or flow.constant_argument(e.key, r):
        return False  # one key, or one per call site that passes a constant
    return not _bounded_key(r.type_of(e.key), index)


_SMALL_KEYS = frozenset({"bool", "int8", "uint8", "byte", "int16", "uint16", "reflect.Type", "reflect.Kind"})


def _bounded_key(t: GoType | None, index: PackageIndex) -> bool:
    """Keys drawn from a small, fixed set: one- and two-byte numbers, booleans, and types (one key per type
    in the program: a type cache is bounded by the program, not by its input)."""
    if t is None:
        return False
    if t.kind == "named" and t.qualified in _SMALL_KEYS:
        return True
    u = index.underlying(t)
    if u is not None and u.kind == "named" and u.qualified in _SMALL_KEYS:
        return True
    if _type_descriptor(t, index):
        return True
    # a same-package struct key that pairs a type with something of it (`methodKey{tp reflect.Type, name}`,
    # reflect's `cacheKey{kind, t1, t2 *abi.Type, extra}`): a type-keyed cache, bounded by the program's
    # types and their methods, not by its input
    if t.kind == "named" and not t.pkg:
        fields = index.struct_fields(t.name)
        return any(
            (ft := index.field_type(t.name, f)) is not None
            and (ft.is_named("reflect.Type") or _type_descriptor(ft, index))
            for f in fields
        )
    return False


def _type_descriptor(t: GoType, index: PackageIndex) -> bool:
    """A pointer to the runtime's description of a type: `*abi.Type` (and `*abi.FuncType`, …), or a pointer
    to a same-package struct that wraps one (reflect's `*rtype`, `*ptrType`). Only the runtime and reflect
    make them, one per type of the program."""
    if t.kind != "pointer" or t.elem is None or t.elem.kind != "named":
        return False
    e = t.elem
    if _of_abi(e) or e.pkg:
        return _of_abi(e)
    decl = index.types.get(e.name)
    if decl is not None and decl.type_node is not None and decl.type_node.type != "struct_type":
        return _of_abi(index.underlying(e))  # `type funcType = abi.FuncType`
    fields = index.struct_fields(e.name)
    return len(fields) == 1 and any(_of_abi(index.field_type(e.name, f)) for f in fields)


def _of_abi(t: GoType | None) -> bool:
    """A named type of the runtime's `internal/abi` package."""
    return t is not None and t.kind == "named" and t.qualified.startswith("internal/abi.")


# ---------------------------------------------------------------------------------------------- RET001
class GlobalMapUnbounded(Rule):
    """
    ## What it finds
    A package-level map, a map field of a package-level struct variable, or a package-level `sync.Map`
    that gains keys somewhere in the package (`m[k] = v`, `m[k]++`, `Store`, `LoadOrStore`, `Swap`) but is
    never shrunk anywhere in the package: no `delete(m, k)`, `clear(m)`, reassignment `m = ...` (outside
    `init`), `Delete`/`LoadAndDelete`/`CompareAndDelete`/`Clear` (a `Range` callback that deletes counts).
    Every non-test `.go` file of the package counts. Reported at the first insertion.

    Not reported: insertions under a constant key, insertions in `init`, in package-level initializers
    and in `sync.Once`/`sync.OnceFunc` callbacks (they run once) or in unexported helpers that only
    such code calls (`readEnvLines`, called from a Once callback), and maps whose value is handed to other
    code (`&m`, passed to a function, copied to a variable), which may delete from them. Nor insertions
    under a key that is a parameter of an unexported function when every call of that function in the
    package passes a constant there (`newGauge(reloadsName)`, `newGauge("uptime")`: one key per call
    site), nor insertions under a key drawn from a small fixed set (`bool`, one- and two-byte numbers,
    `reflect.Kind`) or a type (`reflect.Type`, reflect's `*rtype` and `*abi.Type`, a struct key holding
    one): a type cache is bounded by the program's types, not by its input; nor insertions in code that
    never runs (see below).
    ## Why it matters
    An unbounded cache: every distinct key stays for the life of the process, so memory grows with the
    key space (request paths, user ids, error strings). Bound it: delete entries when they are done, evict
    (an LRU, a size cap), or `clear` it periodically.
    """

    meta = RuleMeta(
        code="RET001",
        kind="defect",
        process_lifetime=True,
        name="global-map-unbounded",
        severity=Severity.WARNING,
        summary="package-level map that only ever grows",
        bad="package p\n\nvar seen = map[string]int{}\n\nfunc hit(path string) {\n\tseen[path]++\n}\n",
        good="package p\n\nvar seen = map[string]int{}\n\nfunc hit(path string) {\n\tseen[path]++\n}\n\n"
        "func reset() {\n\tclear(seen)\n}\n",
    )

    def finish_package(self, pkg: PackageContext) -> None:
        facts = package_containers(pkg.index)
        names = [n for n in facts.variables if _may_hold_map(pkg.index, n)]
        for key in facts.keys_of(names, growing="insert"):
            events = facts.of(key)
            kind = _key_kind(key, pkg.index)
            if kind not in ("map", "sync.Map"):
                continue
            want_call = kind == "sync.Map"
            inserts = [
                e
                for e in events
                if e.kind == "insert"
                and (e.node.type == "call_expression") == want_call
                and _grows(e, pkg.index)
            ]
            if not inserts or _shrinkable(facts, key):
                continue
            first = inserts[0]
            more = (
                f" (and {len(inserts) - 1} more insertion{'s' if len(inserts) > 2 else ''})"
                if len(inserts) > 1
                else ""
            )
            how = "Delete, LoadAndDelete or Clear" if kind == "sync.Map" else "delete, clear or reassign"
            pkg.context_for(first.file).report(
                first.node,
                f"{_describe(key, kind)} gains keys here{more} but nothing in the package calls {how} on it: "
                "it grows for the life of the program; evict old entries, cap its size or clear it periodically",
            )


# ---------------------------------------------------------------------------------------------- RET002
@attrs.define(eq=False, repr=False)
class _Candidate:
    fc: FileContext
    stmt: Node
    container: Node
    loop: Node
    why: str
    fn: Node | None


class LoopMapGrowth(Rule):
    """
    ## What it finds
    Inside a long-running loop — a ticker- or timer-driven loop (`for range t.C`, `for { select { case
    <-t.C: ... } }`) or a `for {}` in a goroutine — an insertion with a non-constant key (`m[k] = v`,
    `Store`) into a map that outlives the loop: a struct field (`s.cache[k] = v`), a variable captured
    from the enclosing function, or a package-level map, when nothing in the package deletes from it,
    clears it or replaces it (for fields: no `delete`/`clear`/assignment of a field with that name
    anywhere in the package). Reported at the insertion.
    ## Why it matters
    The loop runs for the life of the goroutine and adds entries on every tick; nothing takes them out,
    so the map (and everything its values reference) grows until the process runs out of memory — the
    classic `time.Ticker` + map leak. Delete entries once handled, or rebuild the map each round.
    """

    meta = RuleMeta(
        code="RET002",
        kind="defect",
        process_lifetime=True,
        name="loop-map-growth",
        severity=Severity.WARNING,
        summary="map growing inside a ticker-driven or endless goroutine loop",
        bad='package p\n\nimport "time"\n\ntype Monitor struct{ seen map[string]time.Time }\n\n'
        "func (m *Monitor) Run(t *time.Ticker, next func() string) {\n\tfor range t.C {\n"
        "\t\tm.seen[next()] = time.Now()\n\t}\n}\n",
        good='package p\n\nimport "time"\n\ntype Monitor struct{ seen map[string]time.Time }\n\n'
        "func (m *Monitor) Run(t *time.Ticker, next func() string) {\n\tfor range t.C {\n"
        "\t\tm.seen[next()] = time.Now()\n\t\tfor k, at := range m.seen {\n"
        "\t\t\tif time.Since(at) > time.Hour {\n\t\t\t\tdelete(m.seen, k)\n\t\t\t}\n\t\t}\n\t}\n}\n",
    )

    def __init__(self) -> None:
        self._candidates: list[_Candidate] = []
        self._launched: set[str] = set()

    def visit_go_statement(self, node: Node, ctx: FileContext) -> None:
        call = node.named_children[0] if node.named_children else None
        fn = unparen(call.child_by_field_name("function")) if call is not None else None
        if fn is None:
            return
        if fn.type == "identifier":
            self._launched.add(ctx.text(fn))
        elif fn.type == "selector_expression":
            field = fn.child_by_field_name("field")
            if field is not None:
                self._launched.add("." + ctx.text(field))

    def visit_assignment_statement(self, node: Node, ctx: FileContext) -> None:
        for lhs in ctx.assignment(node).lefts:
            lhs = unparen(lhs)
            if lhs is not None and lhs.type == "index_expression":
                self._candidate(
                    node, lhs.child_by_field_name("operand"), lhs.child_by_field_name("index"), ctx
                )

    def visit_inc_statement(self, node: Node, ctx: FileContext) -> None:
        target = unparen(node.named_children[0]) if node.named_children else None
        if target is not None and target.type == "index_expression":
            self._candidate(
                node, target.child_by_field_name("operand"), target.child_by_field_name("index"), ctx
            )

    calls = INSERT_METHODS

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if ctx.method_name(node) not in INSERT_METHODS:
            return
        recv = ctx.receiver(node)
        t = ctx.type_of(recv)
        args = ctx.args(node)
        if t is None or not t.deref().is_named("sync.Map") or not args:
            return
        self._candidate(node, recv, args[0], ctx)

    def _candidate(self, stmt: Node, container: Node | None, key: Node | None, ctx: FileContext) -> None:
        container = unparen(container)
        if container is None or key is None or ctx.file.is_test or ctx.enclosing_loop(stmt) is None:
            return  # both kinds of long-running loop below enclose the statement
        if ctx.is_constant(key):
            return
        if stmt.type != "call_expression":
            u = ctx.underlying(ctx.type_of(container))
            if u is None or u.kind != "map":
                return
        found = loops.long_running_loop(stmt, ctx.resolver, lambda fn: self._is_launched(fn))
        if found is None:
            found = self._maybe_launched_loop(stmt, ctx)
            if found is None:
                return
        loop, why = found
        self._candidates.append(_Candidate(ctx, stmt, container, loop, why, ctx.enclosing_function(stmt)))

    def _maybe_launched_loop(self, stmt: Node, ctx: FileContext) -> tuple[Node, str] | None:
        """An endless loop in a named function: decided in finish_package, once every `go` is known."""
        loop = ctx.enclosing_loop(stmt)
        while loop is not None:
            if loops.is_infinite_loop(loop):
                return loop, "?launched"
            loop = ctx.enclosing_loop(loop)
        return None

    def _is_launched(self, fn: Node) -> bool:
        name = fn.child_by_field_name("name")
        if name is None:
            return False
        n = text(name).decode()
        return (fn.type == "function_declaration" and n in self._launched) or (
            fn.type == "method_declaration" and "." + n in self._launched
        )

    def finish_package(self, pkg: PackageContext) -> None:
        facts = package_containers(pkg.index)
        for c in self._candidates:
            why = c.why
            if why == "?launched":
                if c.fn is None or not self._is_launched(c.fn):
                    continue
                why = "an endless loop in a goroutine"
            what = self._outliving(c, facts, pkg)
            if what is None:
                continue
            c.fc.report(
                c.stmt,
                f"{what} gains a key on every pass of {why} and nothing in the package deletes from it: it grows "
                "for as long as the goroutine runs; delete entries once handled, or rebuild the map each round",
                rule=self,
            )

    def _outliving(self, c: _Candidate, facts: PackageContainers, pkg: PackageContext) -> str | None:
        """How to name the map when it outlives the loop and is never shrunk; None otherwise."""
        expr = c.container
        ctx = c.fc
        if expr.type == "selector_expression":
            field = expr.child_by_field_name("field")
            operand = unparen(expr.child_by_field_name("operand"))
            if field is None or operand is None:
                return None
            fname = ctx.text(field)
            if facts.can_shrink(("anyfield", fname)):
                return None
            if operand.type == "identifier":
                b = ctx.resolve(operand)
                if b is not None and b.kind == "package_var" and facts.can_shrink(("var", b.name)):
                    return None
                if b is not None and b.is_local and not self._outlives(b, c):
                    return None
            return f"map field {ctx.text(expr)}"
        if expr.type != "identifier":
            return None
        b = ctx.resolve(expr)
        if b is None:
            return None
        if b.kind == "package_var":
            return None if facts.can_shrink(("var", b.name)) else f"package-level map {b.name}"
        if not b.is_local or not self._outlives(b, c):
            return None
        for ref in ctx.references(b):
            if _local_shrink_or_escape(ref, ctx):
                return None
        return f"captured map {b.name}"

    @staticmethod
    def _outlives(b: Binding, c: _Candidate) -> bool:
        """A local declared outside the function literal that runs the loop (captured by it), or a
        parameter/receiver of a named function that is started as a goroutine."""
        if b.ident is None:
            return False
        fn = c.fn
        if fn is None:
            return False
        if fn.type == "func_literal":
            return not contains(fn, b.ident)
        return b.kind in ("param", "receiver")


def _local_shrink_or_escape(ref: Node, ctx: FileContext) -> bool:
    """A reference to a local map that may shrink it or hand it to other code."""
    cur = paren_root(ref)
    parent = cur.parent
    if parent is None:
        return False
    pt = parent.type
    if pt == "index_expression" and parent.child_by_field_name("operand") == cur:
        return False
    if pt == "range_clause" and parent.child_by_field_name("right") == cur:
        return False
    if pt == "argument_list":
        call = parent.parent
        fn = unparen(call.child_by_field_name("function")) if call is not None else None
        return not (fn is not None and fn.type == "identifier" and ctx.text(fn) in ("len", "cap"))
    if pt == "selector_expression":
        field = parent.child_by_field_name("field")
        return field is not None and ctx.text(field) not in ("Load", "Store", "LoadOrStore", "Swap", "Range")
    # assigned, returned, stored, address taken, sent: unknown
    return pt not in ("binary_expression", "if_statement", "expression_statement")


# ---------------------------------------------------------------------------------------------- RET003
class GlobalSliceUnbounded(Rule):
    """
    ## What it finds
    `s = append(s, ...)` on a package-level slice (or a slice field of a package-level struct variable)
    when nothing in the package truncates, reslices or reassigns it (`s = s[:0]`, `s = nil`,
    `s = append(s[:i], s[i+1:]...)`, outside `init`) and its address is never taken. Every non-test `.go`
    file of the package counts. Reported at the first such append statement outside `init`, package-level
    initializers, `sync.Once` callbacks and the unexported helpers only they call.

    Not reported either: appends in a registration API, an exported function that no code of the package
    calls and that appends a function it is given (`func AddProvider(p func() T) { providers =
    append(providers, p) }`: other packages fill the registry from `init`, so it holds as many entries
    as the program has registrations); appends in a function the package only hands to the flag package
    (`fs.Func("tag", usage, addTag)`, `fs.Var(flagValue(addSet), "set", usage)`: it runs once per flag
    on the command line); appends in code that never runs (see below).
    ## Why it matters
    Every call adds elements that stay reachable for the life of the program: a list of handlers, events
    or requests that only grows. Trim it when entries are done, or keep a bounded ring buffer.
    """

    meta = RuleMeta(
        code="RET003",
        kind="defect",
        process_lifetime=True,
        name="global-slice-unbounded",
        severity=Severity.WARNING,
        summary="package-level slice that is appended to and never truncated",
        bad="package p\n\nvar events []string\n\nfunc record(e string) {\n\tevents = append(events, e)\n}\n",
        good="package p\n\nvar events []string\n\nfunc record(e string) {\n\tevents = append(events, e)\n"
        "\tif len(events) > 1000 {\n\t\tevents = events[len(events)-1000:]\n\t}\n}\n",
    )

    def finish_package(self, pkg: PackageContext) -> None:
        facts = package_containers(pkg.index)
        names = [n for n in facts.variables if _may_hold_slice(pkg.index, n)]
        for key in facts.keys_of(names, growing="append"):
            events = facts.of(key)
            appends = [e for e in events if e.kind == "append" and not e.once]
            if not appends or _shrinkable(facts, key):
                continue
            kind = _key_kind(key, pkg.index)
            if kind not in ("slice", None):
                continue
            first = appends[0]
            name = key[1] if key[0] == "var" else f"{key[1]}.{key[2]}"
            more = f" (and {len(appends) - 1} more)" if len(appends) > 1 else ""
            pkg.context_for(first.file).report(
                first.node,
                f"package-level slice {name} is appended to here{more} but nothing in the package truncates, "
                "reslices or reassigns it after start-up: every element stays reachable for the life of the "
                "program; "
                "trim it when entries are done or keep a bounded buffer",
            )


# ---------------------------------------------------------------------------------------------- helpers
def _package_container(expr: Node | None, ctx: FileContext) -> str | None:
    """The name of a package-level container (`m`, `v.f` with `v` package-level) or None."""
    expr = unparen(expr)
    if expr is None:
        return None
    if expr.type == "identifier":
        if not ctx.may_be_package_var(expr):
            return None
        b = ctx.resolve(expr)
        return b.name if b is not None and b.kind == "package_var" else None
    if expr.type == "selector_expression":
        operand = unparen(expr.child_by_field_name("operand"))
        if ctx.may_be_package_var(operand):
            b = ctx.resolve(operand)
            if b is not None and b.kind == "package_var":
                return ctx.text(expr)
    return None


def _stores(node: Node, ctx: FileContext) -> list[tuple[Node, str, str]]:
    """(stored value, container name, how) for a statement or call that stores into a package-level
    container: `m[k] = v` (key and value), `s = append(s, v...)`, `m.Store(k, v)`, `g.f = v`."""
    out: list[tuple[Node, str, str]] = []
    if node.type == "assignment_statement":
        a = ctx.assignment(node)
        if a.op != "=":
            return out
        for lhs, rhs in a.pairs:
            lhs = unparen(lhs)
            if lhs is None:
                continue
            if lhs.type == "index_expression":
                name = _package_container(lhs.child_by_field_name("operand"), ctx)
                u = ctx.underlying(ctx.type_of(lhs.child_by_field_name("operand"))) if name else None
                if name is not None and u is not None and u.kind == "map":
                    out.append((rhs, name, "map"))
                    idx = lhs.child_by_field_name("index")
                    if idx is not None:
                        out.append((idx, name, "map key"))
                continue
            name = _package_container(lhs, ctx)
            if name is None:
                continue
            r = unparen(rhs)
            if r is not None and r.type == "call_expression" and ctx.call_target(r) == "append":
                args = ctx.args(r)
                if args and ctx.text(unparen(args[0])) == ctx.text(lhs):
                    spread = r.child_by_field_name("arguments")
                    if spread is not None and any(
                        c.type == "variadic_argument" for c in spread.named_children
                    ):
                        continue
                    out.extend((a, name, "slice") for a in args[1:])
                continue
            if lhs.type == "selector_expression" and "." in name:
                out.append((rhs, name, "field"))
    elif node.type == "call_expression" and ctx.method_name(node) in INSERT_METHODS:
        recv = ctx.receiver(node)
        t = ctx.type_of(recv)
        name = _package_container(recv, ctx)
        args = ctx.args(node)
        if name is not None and t is not None and t.deref().is_named("sync.Map") and len(args) == 2:
            out.append((args[1], name, "map"))
            out.append((args[0], name, "map key"))
    return out


# ---------------------------------------------------------------------------------------------- RET004
class SubstringRetention(Rule):
    """
    ## What it finds
    A substring or subslice — `s[i:j]` of a string, `b[i:j]` of a `[]byte`, an element of a
    `strings.Split`/`SplitN`/`SplitAfter`/`Fields`/`FieldsFunc` result (or the `bytes` versions), directly
    or through a local assigned once — stored into a package-level map (as key or value), appended to a
    package-level slice, stored in a package-level `sync.Map`, or assigned to a field of a package-level
    struct variable. Reported at the store.
    ## Why it matters
    A substring shares the backing array of the string it was cut from: storing a 10-byte piece of a 1 MiB
    request body keeps the whole megabyte alive as long as the long-lived container holds it. Copy the
    piece first with `strings.Clone` / `bytes.Clone`.
    ## Fix safety
    Safe: wraps the stored value in `strings.Clone(...)` / `bytes.Clone(...)` (adding the import when
    needed); offered only when the module's Go version is 1.20 or later. `bytes.Clone` of an empty slice
    returns an empty non-nil slice and of nil returns nil, as before.
    ## Go versions
    The fix needs Go 1.20 (`strings.Clone`, `bytes.Clone`); below that the finding has no fix.
    """

    meta = RuleMeta(
        code="RET004",
        kind="cost",
        process_lifetime=True,
        name="substring-retention",
        severity=Severity.INFO,
        summary="substring or subslice stored in a long-lived container",
        fix="safe",
        bad='package p\n\nimport "strings"\n\nvar names = map[string]bool{}\n\nfunc add(line string) {\n'
        "\tnames[strings.Fields(line)[0]] = true\n}\n",
        good='package p\n\nimport "strings"\n\nvar names = map[string]bool{}\n\nfunc add(line string) {\n'
        "\tnames[strings.Clone(strings.Fields(line)[0])] = true\n}\n",
    )

    def visit_assignment_statement(self, node: Node, ctx: FileContext) -> None:
        self._check(node, node, ctx)

    calls = INSERT_METHODS

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if ctx.method_name(node) in INSERT_METHODS:
            self._check(node, node, ctx)

    def _check(self, node: Node, at: Node, ctx: FileContext) -> None:
        if ctx.file.is_test:
            return
        for value, name, how in _stores(node, ctx):
            kind = _substring_kind(value, ctx)
            if kind is None or _reslices_itself(value, name, ctx):
                continue
            pkg = "strings" if kind == "string" else "bytes"
            fix = None
            if ctx.go_at_least(1, 20):
                q = ctx.qualifier(pkg)
                edits = [Edit.replace(value, f"{q or pkg + '.'}Clone({ctx.text(value)})")]
                if q is None:
                    imp = ctx.import_edit(pkg)
                    edits = [*edits, imp] if imp is not None else []
                if edits:
                    fix = Fix(f"copy it with {pkg}.Clone", edits)
            where = {"map": f"package-level map {name}", "map key": f"package-level map {name} as a key",
                     "slice": f"package-level slice {name}", "field": f"package-level {name}"}[how]  # fmt: skip
            piece = "substring" if kind == "string" else "subslice"
            ctx.report(
                ctx.statement_of(at) if at.type == "call_expression" else at,
                f"{ctx.text(value)} is a {piece} stored in {where}: it keeps the whole backing array it was "
                f"cut from alive as long as {name} holds it; store {pkg}.Clone({ctx.text(value)}) instead",
                fix=fix,
            )


def _reslices_itself(value: Node, target: str, ctx: FileContext) -> bool:
    """`g.s = g.s[2:]`: the container already held the whole string; nothing new is pinned."""
    v = unparen(value)
    return (
        v is not None
        and v.type == "slice_expression"
        and ctx.text(v.child_by_field_name("operand")) == target
    )


def _substring_kind(value: Node, ctx: FileContext, depth: int = 0) -> str | None:
    """ "string" or "bytes" when `value` shares the backing array of a larger string/slice."""
    v = unparen(value)
    if v is None or depth > 2:
        return None
    if v.type == "slice_expression":
        operand = v.child_by_field_name("operand")
        if ctx.is_constant(operand):
            return None
        if v.child_by_field_name("start") is None and v.child_by_field_name("end") is None:
            return None  # s[:] is the whole thing
        t = ctx.type_of(operand)
        if t is None:
            return None
        if t.is_named("string"):
            return "string"
        u = ctx.underlying(t)
        if u is not None and u.kind == "slice" and u.elem is not None and (u.elem.is_named("byte") or
                                                                            u.elem.is_named("uint8")):  # fmt: skip
            return "bytes"
        return None
    if v.type == "index_expression":
        return _split_kind(v.child_by_field_name("operand"), ctx)
    if v.type == "identifier":
        b = ctx.resolve(v)
        if b is None or b.kind != "local" or b.value is None or not _assigned_once(b, ctx):
            return None
        if b.decl is not None and b.decl.type == "range_clause":
            return _split_kind(b.value, ctx) if b.value_index == 1 else None
        if b.value_count != 1:
            return None
        return _substring_kind(b.value, ctx, depth + 1)
    return None


def _split_kind(expr: Node | None, ctx: FileContext) -> str | None:
    """ "string"/"bytes" when `expr` is a strings/bytes Split/Fields result (or a local holding one)."""
    e = unparen(expr)
    if e is None:
        return None
    if e.type == "identifier":
        b = ctx.resolve(e)
        if (
            b is None
            or b.kind != "local"
            or b.value is None
            or b.value_count != 1
            or not _assigned_once(b, ctx)
        ):
            return None
        e = unparen(b.value)
        if e is None:
            return None
    target = ctx.call_target(e) if e.type == "call_expression" else None
    if target in _SPLITTERS:
        return "string" if target.startswith("strings.") else "bytes"  # type: ignore[union-attr]
    return None


def _assigned_once(b: Binding, ctx: FileContext) -> bool:
    for ref in ctx.references(b):
        cur = paren_root(ref)
        parent = cur.parent
        holder = parent.parent if parent is not None and parent.type == "expression_list" else parent
        if holder is not None and holder.type == "assignment_statement":
            left = holder.child_by_field_name("left")
            if left is not None and contains(left, ref):
                return False
        if parent is not None and parent.type == "unary_expression":
            op = parent.child_by_field_name("operator")
            if op is not None and op.type == "&":
                return False
    return True


# ---------------------------------------------------------------------------------------------- RET005
class GlobalClosureRegistry(Rule):
    """
    ## What it finds
    A func literal that captures variables of its enclosing function (locals, parameters, the receiver)
    appended to a package-level slice, stored in a package-level map, or stored in a package-level
    `sync.Map`. Reported at the store. Stores in `init`, package-level initializers and `sync.Once`
    callbacks (and in unexported helpers only they call) run once and are not reported, nor are registries the package drains entry by entry (a
    work queue popped with `q = q[:len(q)-1]` or `q = q[1:]`, a map it deletes keys from): each closure
    goes when its entry is done. Resetting the whole registry (`= nil`, `clear`) at shutdown releases
    nothing before then, so it does not count.
    ## Why it matters
    The closure keeps every variable it captures reachable — requests, buffers, connections — for as long
    as the registry holds it, usually the life of the program. Store only what the callback needs (copy
    the fields into locals first), and remove the entry when it is no longer needed.
    """

    meta = RuleMeta(
        code="RET005",
        kind="defect",
        process_lifetime=True,
        name="global-closure-registry",
        severity=Severity.INFO,
        summary="closure capturing locals stored in a package-level registry",
        bad="package p\n\nvar hooks []func()\n\nfunc handle(req []byte) {\n"
        "\thooks = append(hooks, func() { _ = len(req) })\n}\n",
        good="package p\n\nvar sizes []int\n\nfunc handle(req []byte) {\n\tsizes = append(sizes, len(req))\n}\n",
    )

    def visit_assignment_statement(self, node: Node, ctx: FileContext) -> None:
        self._check(node, ctx)

    calls = INSERT_METHODS

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if ctx.method_name(node) in INSERT_METHODS:
            self._check(node, ctx)

    def _check(self, node: Node, ctx: FileContext) -> None:
        if ctx.file.is_test or b"func" not in (node.text or b""):
            return  # only a stored func literal counts: a spelling test before resolving anything
        startup: bool | None = None
        for value, name, how in _stores(node, ctx):
            lit = unparen(value)
            if lit is None or lit.type != "func_literal" or how == "map key":
                continue
            if startup is None:
                startup = ctx.runs_at_startup(node)
            if startup:
                return
            captured = _captured(lit, ctx)
            if not captured or _drained(name, ctx):
                continue
            names = ", ".join(captured[:3]) + (", ..." if len(captured) > 3 else "")
            where = f"package-level {'slice' if how == 'slice' else 'map' if how == 'map' else ''} {name}"
            at = ctx.statement_of(node) if node.type == "call_expression" else node
            ctx.report(
                at,
                f"func literal capturing {names} is stored in {where.replace('  ', ' ')}: everything it captures "
                f"stays reachable as long as {name} holds it; capture only the values the callback needs and "
                "remove the entry when done",
            )


_DELETES = frozenset({b"delete", b"Delete", b"LoadAndDelete", b"CompareAndDelete"})


def _drained(name: str, ctx: FileContext) -> bool:
    """The package removes entries one by one (a work queue popped with `q = q[:len(q)-1]` or
    `q = q[1:]`, a map it deletes keys from): each closure, and what it captures, goes when its entry is
    done. A reset of the whole registry (`= nil`, `clear`) at shutdown does not release anything before."""
    var, _, field = name.partition(".")
    facts = package_containers(ctx.index)
    facts.keys_of([var])
    for e in facts.of(("field", var, field) if field else ("var", var)):
        if e.kind == "shrink" and e.node.type == "call_expression" and callee_name(e.node) in _DELETES:
            return True
        if e.kind == "reassign" and not e.once and e.node.type == "assignment_statement":
            right = unparen(e.node.child_by_field_name("right"))
            if right is not None and right.type == "expression_list" and len(right.named_children) == 1:
                right = unparen(right.named_children[0])
            if right is not None and right.type == "slice_expression":
                operand = unparen(right.child_by_field_name("operand"))
                if operand is not None and operand.text == name.encode():
                    return True
    return False


def _captured(lit: Node, ctx: FileContext) -> list[str]:
    """Names of the enclosing function's variables that the literal refers to."""
    out: list[str] = []
    for n in walk(lit):
        if n.type != "identifier":
            continue
        b = ctx.resolve(n)
        if b is None or not b.is_local or b.ident is None or contains(lit, b.ident):
            continue
        if b.name not in out:
            out.append(b.name)
    return out

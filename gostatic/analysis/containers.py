"""Package-wide facts about long-lived containers: where package-level maps, slices and `sync.Map`s (and
map fields of package-level struct variables) gain entries, and whether anything in the package can
shrink them.

One walk over every non-test file of the package answers it for all rules (RET001-RET003), cached on the
package index. Every reference to a container is classified by its syntactic context:

- `insert`: `m[k] = v` (any assignment operator, `m[k]++`), `m.Store/LoadOrStore/Swap(k, v)`;
- `append`: `s = append(s, ...)`;
- `shrink`: `delete(m, k)`, `clear(m)`, `m.Delete/LoadAndDelete/CompareAndDelete/Clear(...)`;
- `reassign`: any other assignment to the container itself (`m = make(...)`, `s = s[:0]`, `s = nil`);
- `escape`: a use through which another piece of code could shrink it (`&m`, the map passed to a call
  or copied to another variable, a struct variable used whole): the facts are then unknown.

Keys: `("var", name)`, `("field", var, field)` for `v.f` with `v` package-level, and
`("anyfield", field)` for `x.f` whatever `x` is (a conservative, name-based view of struct fields used
by rules that cannot tie a field to one variable).
"""

from __future__ import annotations

import re

import attrs
import tree_sitter

from gostatic.analysis.deadcode import never_runs
from gostatic.analysis.index import IDENT_BYTES, PackageIndex, SourceFile
from gostatic.analysis.scopes import Resolver, is_field_key, resolver_for
from gostatic.analysis.startup import runs_at_startup
from gostatic.parse.syntax import (
    COUNTERS,
    GO_LANGUAGE,
    Node,
    assignment_pairs,
    call_args,
    paren_root,
    text,
    unparen,
)

Key = tuple[str, ...]

INSERT_METHODS = frozenset({"Store", "LoadOrStore", "Swap"})
SHRINK_METHODS = frozenset({"Delete", "LoadAndDelete", "CompareAndDelete", "Clear"})
_READ_BUILTINS = frozenset({"len", "cap"})

# Where a container gains entries, found in bytes: an index or an insert method call with the name (or
# `name.field`) before it, and the first argument of `append`. Spaces, parentheses and comments may come
# between the parts (a line comment only where Go inserts no semicolon: after a `.` or `(`).
_BLOCK_COMMENT = rb"/\*(?:[^*]|\*(?!/))*\*/"  # its own reverse
_GAP = rb"(?:\s|//[^\n]*|" + _BLOCK_COMMENT + rb")*"
_SKIP_REVERSED = rb"(?:[\s)]|\n[^\n]*//|" + _BLOCK_COMMENT + rb")*"  # a line comment read backwards
_IDENT = rb"[\w\x80-\xff]+"
_CALLED = re.compile(_GAP + rb"[(\[]")
# matched on the reversed bytes before an index or an insert method: `name )`, `name.f )`, backwards
_ROOT_BEFORE = re.compile(
    rb"(?:" + _SKIP_REVERSED + _IDENT + _SKIP_REVERSED + rb"\.)?" + _SKIP_REVERSED + rb"(" + _IDENT + rb")"
)
_DOT_BEFORE = re.compile(_SKIP_REVERSED + rb"\.")
# an index without brackets inside it, and what must follow it when it is assigned to (one of several
# targets, an assignment operator, ++ or --)
_FLAT_INDEX = re.compile(rb"\[[^\[\]]*\]")
_ASSIGNED_AFTER = re.compile(
    rb"(?:[\s)]|" + _BLOCK_COMMENT + rb")*(?:,|\+\+|--|(?:<<|>>|&\^|[-+*/%&|^])?=(?!=))"
)
_APPENDED = re.compile(
    rb"append" + _GAP + rb"\((?:\(|\s|//[^\n]*|" + _BLOCK_COMMENT + rb")*(" + _IDENT + rb")"
)
_MAY_END_ROOT = IDENT_BYTES | frozenset(b")/ \t\r\n")
_METHODS = tuple(m.encode() for m in sorted(INSERT_METHODS))


def _written_roots(src: bytes, event: str, roots: set[bytes]) -> None:
    """Add to `roots` the names written before an index or insert method ("insert"), or as the first
    argument of `append` ("append"), in `src`. Literal searches first (a regex that may start at any
    `.` scans a file several times slower than `bytes.find`)."""
    if event == "append":
        roots.update(_APPENDED.findall(src))
        return
    ends: list[int] = []  # where the container expression ends: before `[`, or before `.Method(`
    k = src.find(b"[")
    while k >= 0:
        if k and src[k - 1] in _MAY_END_ROOT:  # not `[]T`, `[n]T`, `x[i][j]`
            flat = _FLAT_INDEX.match(src, k)  # None: brackets inside, left to the classifier
            if flat is None or _ASSIGNED_AFTER.match(src, flat.end()):
                ends.append(k)
        k = src.find(b"[", k + 1)
    for method in _METHODS:
        k = src.find(method)
        while k >= 0:
            after = k + len(method)
            if (k == 0 or src[k - 1] not in IDENT_BYTES) and _CALLED.match(src, after):
                dot = _DOT_BEFORE.match(src[max(0, k - 256) : k][::-1])
                if dot is not None:
                    ends.append(k - dot.end())
            k = src.find(method, after)
    for k in ends:
        start = max(0, k - 256)
        root = _ROOT_BEFORE.match(src[start:k][::-1])
        if root is not None and root.end() == k - start and start:  # may go on before the window
            root = _ROOT_BEFORE.match(src[:k][::-1])
        if root is not None:
            roots.add(root.group(1)[::-1])


@attrs.define(eq=False, repr=False)
class Event:
    kind: str  # insert, append, shrink, reassign, escape
    node: Node  # the statement (insert by assignment, append, reassign) or the call
    container: Node  # the container expression (`m`, `v.f`)
    file: SourceFile
    key: Node | None = None  # the key of an insertion
    value: Node | None = None  # the inserted value
    # in init, a package-level initializer or a sync.Once (runs once), or in code that never runs
    once: bool = False


@attrs.define(repr=False)
class PackageContainers:
    # "var" and "field" keys, filled one package variable at a time as rules ask (see `keys_of`)
    events: dict[Key, list[Event]] = attrs.Factory(dict)
    variables: list[str] = attrs.Factory(list)  # the package's (non-test) variables, sorted
    # what classifies on demand (it refers back to these facts: dropped by `release`)
    _collector: _Collector | None = None
    _collected: set[str] = attrs.Factory(set)
    _keys: dict[str, list[Key]] = attrs.Factory(dict)
    # ("anyfield", name) events are classified on demand, one field name at a time: classifying every
    # selector of the package up front was a quarter of the run over the compiler's ssa package, and
    # rules ask about a handful of field names
    _anyfield: dict[str, list[Event]] = attrs.Factory(dict)

    def _events(self, key: Key) -> list[Event]:
        if key[0] == "anyfield":
            got = self._anyfield.get(key[1])
            if got is None:
                if self._collector is None:
                    return []
                got = self._anyfield[key[1]] = self._collector.field_events(key[1])
            return got
        self._ensure(key[1])
        return self.events.get(key, [])

    def _ensure(self, name: str) -> None:
        if name not in self._collected:
            self._collected.add(name)
            if self._collector is not None:
                self._collector.collect(name)

    def keys_of(self, names: list[str], growing: str | None = None) -> list[Key]:
        """The "var" and "field" keys with events of these package variables (a rule that reports on
        whole containers names the variables whose type can make it a candidate: classifying every
        reference of every package variable was most of the facts' cost). `growing` ("insert" or
        "append"): only the variables whose text has a reference shaped like that event, for a rule
        that reports nothing on a container without one; the rest are not classified at all."""
        c = self._collector
        if growing is not None and c is not None:
            names = [n for n in names if c.written(n, growing)]
        if c is not None:
            c.index.prefetch_value_references([n for n in names if n not in self._collected])
        out: list[Key] = []
        for name in names:
            self._ensure(name)
            out.extend(self._keys.get(name, ()))
        return out

    def note_key(self, key: Key) -> None:
        if key[0] != "anyfield" and key not in self.events:
            self._keys.setdefault(key[1], []).append(key)

    def release(self) -> None:
        """Drop the on-demand classifier (it refers back to these facts)."""
        self._collector = None

    def of(self, key: Key, *kinds: str) -> list[Event]:
        return [e for e in self._events(key) if not kinds or e.kind in kinds]

    def can_shrink(self, key: Key) -> bool:
        """Something in the package may shrink or replace the container (or code gostatic cannot see
        through may): shrink, reassign outside init, escape."""
        return any(
            e.kind in ("shrink", "escape") or (e.kind == "reassign" and not e.once) for e in self._events(key)
        )


def package_containers(index: PackageIndex) -> PackageContainers:
    """Built once per package and kept on the index (see PackageIndex.facts)."""
    return index.fact(__name__, lambda: _Collector(index).run())


class _Collector:
    def __init__(self, index: PackageIndex) -> None:
        self.index = index
        self.out = PackageContainers()
        self.names = {n for n, v in index.values.items() if not v.is_const and not v.file.is_test}
        self._written: dict[str, set[bytes]] = {}

    def run(self) -> PackageContainers:
        self.out.variables = sorted(self.names)
        self.out._collector = self
        return self.out

    def written(self, name: str, event: str) -> bool:
        """Whether some non-test file has a reference to `name` shaped like an `event` ("insert": `name`
        or `name.f` then `[` or an insert method call; "append": the first argument of `append`). Found
        from the bytes around each `[`, insert method and `append(` of the package, comments included: a
        superset of the events the classifier can find, with no node lookup or resolution, in one scan
        of the package for all its variables."""
        roots = self._written.get(event)
        if roots is None:
            roots = self._written[event] = set()
            for f in self.index.files:
                if not f.is_test:
                    _written_roots(f.source, event, roots)
        return name.encode() in roots

    def collect(self, name: str) -> None:
        """Classify the references of one package variable: identifiers spelled like it, from the
        index's shared table (events of one key come from one name, so per-key order is file order,
        then document order)."""
        if name not in self.names:
            return
        for f, n in self.index.value_references(name):
            if not f.is_test:
                self._package_ref(n, f, resolver_for(self.index, f))

    def field_events(self, name: str) -> list[Event]:
        """Events of `x.name` whatever `x` is, in file and document order."""
        key = ("anyfield", name)
        word = name.encode()
        query = _field_query(name)
        for f in self.index.files:
            if f.is_test or word not in f.source:
                continue
            resolver = resolver_for(self.index, f)
            for n in _captures(query, f.tree.root_node):
                self._classify(n, key, f, resolver)
        return self.out.events.pop(key, [])

    def _add(self, key: Key, event: Event) -> None:
        self.out.note_key(key)
        self.out.events.setdefault(key, []).append(event)

    def _package_ref(self, ident: Node, f: SourceFile, resolver: Resolver) -> None:
        parent = ident.parent
        if parent is None:
            return
        if parent.type in ("var_spec", "const_spec") and ident in parent.children_by_field_name("name"):
            return  # the declaration itself
        if is_field_key(ident, resolver):
            return  # `T{name: v}` names a field of T, not the variable
        b = resolver.resolve(ident)
        if b is None or b.kind != "package_var":
            return
        name = b.name
        if parent.type == "selector_expression" and parent.child_by_field_name("operand") == ident:
            field = parent.child_by_field_name("field")
            if field is None:
                return
            call = parent.parent
            if (
                call is not None
                and call.type == "call_expression"
                and call.child_by_field_name("function") == parent
            ):
                self._classify(ident, ("var", name), f, resolver)  # a method call on the variable
            else:
                self._classify(parent, ("field", name, text(field).decode()), f, resolver)
            return
        self._classify(ident, ("var", name), f, resolver)

    def _classify(self, c: Node, key: Key, f: SourceFile, resolver: Resolver) -> None:
        cur = paren_root(c)
        parent = cur.parent
        if parent is None:
            return
        pt = parent.type
        if pt == "index_expression" and parent.child_by_field_name("operand") == cur:
            stmt = _assigned_index(parent)
            if stmt is not None:
                value = _value_for_target(stmt, parent)
                self._add(key, Event("insert", stmt, c, f, parent.child_by_field_name("index"), value,
                                     runs_once(stmt, resolver)))  # fmt: skip
            return
        if pt == "selector_expression" and parent.child_by_field_name("operand") == cur:
            field = parent.child_by_field_name("field")
            call = parent.parent
            if field is None or call is None or call.type != "call_expression":
                return  # a field of the container's element: not the container itself
            name = text(field).decode()
            args = call_args(call)
            if name in INSERT_METHODS:
                self._add(key, Event("insert", call, c, f, args[0] if args else None,
                                     args[1] if len(args) > 1 else None, runs_once(call, resolver)))  # fmt: skip
            elif name in SHRINK_METHODS:
                self._add(key, Event("shrink", call, c, f))
            return
        if pt == "argument_list":
            call = parent.parent
            if call is None:
                return
            fn = unparen(call.child_by_field_name("function"))
            args = call_args(call)
            builtin = fn is not None and fn.type == "identifier" and resolver.is_builtin(fn)
            fname = text(fn).decode() if fn is not None else ""
            if builtin and fname in _READ_BUILTINS:
                return
            if builtin and fname in ("delete", "clear") and args and args[0] == cur:
                self._add(key, Event("shrink", call, c, f))
                return
            if builtin and fname == "append" and args and args[0] == cur:
                stmt = _append_to_self(call, c)
                if stmt is not None:
                    self._add(key, Event("append", stmt, c, f, None, None, runs_once(stmt, resolver)))
                return  # `x = append(s, ...)` reads s
            if builtin and fname in ("copy", "min", "max", "print", "println"):
                return
            self._add(key, Event("escape", call, c, f))
            return
        if pt == "expression_list" or pt in ("assignment_statement", "short_var_declaration"):
            holder = parent.parent if pt == "expression_list" else parent
            if holder is None:
                return
            if holder.type == "assignment_statement":
                left = holder.child_by_field_name("left")
                if left is not None and left in (cur, parent):
                    if _append_to_self_stmt(holder, c):
                        return  # `s = append(s, ...)`: recorded from the append's argument
                    self._add(key, Event("reassign", holder, c, f, None, None, runs_once(holder, resolver)))
                    return
            if holder.type in (
                "assignment_statement",
                "short_var_declaration",
                "var_spec",
                "return_statement",
            ):
                self._add(key, Event("escape", holder, c, f))
            return
        if pt in ("return_statement", "var_spec", "literal_element", "send_statement", "keyed_element"):
            self._add(key, Event("escape", parent, c, f))
            return
        if pt == "unary_expression":
            op = parent.child_by_field_name("operator")
            if op is not None and op.type == "&":
                self._add(key, Event("escape", parent, c, f))
            return
        if pt in ("inc_statement", "dec_statement"):
            return


def runs_once(node: Node, resolver: Resolver) -> bool:
    """The event runs a bounded number of times: at start-up (`startup.runs_at_startup`) or never
    (`deadcode.never_runs`): it neither grows nor shrinks the container over the life of the program."""
    return runs_at_startup(node, resolver) or never_runs(node, resolver) is not None


def _assigned_index(index_expr: Node) -> Node | None:
    """The statement when `index_expr` is assigned to (`m[k] = v`, `m[k] += v`, `m[k]++`)."""
    cur = paren_root(index_expr)
    parent = cur.parent
    if parent is None:
        return None
    if parent.type in ("inc_statement", "dec_statement"):
        return parent
    holder = parent.parent if parent.type == "expression_list" else parent
    if holder is not None and holder.type == "assignment_statement":
        left = holder.child_by_field_name("left")
        if left is not None and left in (cur, parent):
            return holder
    return None


def _value_for_target(stmt: Node, target: Node) -> Node | None:
    if stmt.type != "assignment_statement":
        return None
    for lhs, rhs in assignment_pairs(stmt):
        if unparen(lhs) == target:
            return rhs
    return None


def _append_to_self(call: Node, container: Node) -> Node | None:
    """The statement `s = append(s, ...)` when `call` is that append and its result goes back to `s`."""
    cur = paren_root(call)
    parent = cur.parent
    holder = parent.parent if parent is not None and parent.type == "expression_list" else parent
    if holder is None or holder.type != "assignment_statement":
        return None
    op = holder.child_by_field_name("operator")
    if op is None or op.type != "=":
        return None
    for lhs, rhs in assignment_pairs(holder):
        if unparen(rhs) == call:
            return holder if text(unparen(lhs) or lhs) == text(container) else None
    return None


def _append_to_self_stmt(stmt: Node, container: Node) -> bool:
    """`stmt` assigns `append(<container>, ...)` to `container` (the left side being `container`)."""
    for lhs, rhs in assignment_pairs(stmt):
        if not (lhs == container or unparen(lhs) == container):
            continue
        r = unparen(rhs)
        if r is None or r.type != "call_expression":
            return False
        args = call_args(r)
        fn = unparen(r.child_by_field_name("function"))
        return (
            fn is not None
            and fn.text == b"append"
            and bool(args)
            and text(unparen(args[0]) or args[0]) == text(container)
        )
    return False


_FIELD_QUERIES: dict[str, tree_sitter.Query] = {}


def _field_query(name: str) -> tree_sitter.Query:
    q = _FIELD_QUERIES.get(name)
    if q is None:
        q = tree_sitter.Query(
            GO_LANGUAGE, f'(selector_expression field: (field_identifier) @f (#eq? @f "{name}")) @n'
        )
        _FIELD_QUERIES[name] = q
    return q


def _captures(query: tree_sitter.Query, root: Node) -> list[Node]:
    COUNTERS["queries"] += 1
    nodes = tree_sitter.QueryCursor(query).captures(root).get("n", [])
    nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return nodes

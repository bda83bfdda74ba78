"""One pass per file: a single tree-sitter query over the union of node types the active rules visit,
dispatched in document order (visit on entry, leave after the last descendant)."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

import tree_sitter

from gostatic.context import FileContext
from gostatic.rule import Rule
from gostatic.syntax import GO_LANGUAGE, Node, callee_name

_QUERIES: dict[frozenset[str], tree_sitter.Query] = {}
_NODE_TYPES: dict[type, dict[str, tuple[bool, bool]]] = {}
STATS = {"queries": 0}  # query executions, for the one-pass test


def query_for(kinds: frozenset[str]) -> tree_sitter.Query:
    q = _QUERIES.get(kinds)
    if q is None:
        q = tree_sitter.Query(GO_LANGUAGE, "\n".join(f"({k}) @{k}" for k in sorted(kinds)))
        _QUERIES[kinds] = q
    return q


ErrorSink = Callable[[str], None]


def _default_sink(msg: str) -> None:
    print(f"gostatic: {msg}", file=sys.stderr)


def node_types_of(cls: type[Rule]) -> dict[str, tuple[bool, bool]]:
    """`cls.node_types()` (a dir() of the class), once per class rather than per file or package."""
    kinds = _NODE_TYPES.get(cls)
    if kinds is None:
        kinds = _NODE_TYPES[cls] = cls.node_types()
    return kinds


Handler = tuple[Rule, "Callable | None", "Callable | None"]


def dispatch(
    ctx: FileContext, rules: list[Rule], on_error: ErrorSink = _default_sink, debug: bool = False
) -> int:
    """Run `rules` over one file. Returns the number of rule crashes (each reported through on_error and
    the crashing rule disabled for the rest of the file, so other rules' findings still arrive)."""
    source = ctx.file.source
    handlers: dict[str, list[Handler]] = {}
    # call_expression handlers of rules that name their callees (Rule.calls), by callee name
    by_callee: dict[bytes, list[Handler]] = {}
    has_leave = False
    for rule in rules:
        if rule.requires_text and not any(t in source for t in rule.requires_text):
            continue
        for kind, (has_visit, has_leave_) in node_types_of(type(rule)).items():
            handler = (
                rule,
                getattr(rule, f"visit_{kind}") if has_visit else None,
                getattr(rule, f"leave_{kind}") if has_leave_ else None,
            )
            has_leave = has_leave or has_leave_
            names = rule.calls if kind == "call_expression" and not has_leave_ else None
            if names is None:
                handlers.setdefault(kind, []).append(handler)
                continue
            handlers.setdefault(kind, [])
            for name in names:
                by_callee.setdefault(name.encode(), []).append(handler)
    if not handlers:
        return 0
    query = query_for(frozenset(handlers))
    STATS["queries"] += 1
    captures = tree_sitter.QueryCursor(query).captures(ctx.file.tree.root_node)
    # (start, end, kind, node): the capture name is the node type, so `node.type` (a new str per call)
    # and the offsets are read once per node rather than once per comparison in the loop below
    entries: list[tuple[int, int, str, Node]] = [
        (n.start_byte, n.end_byte, kind, n) for kind, group in captures.items() for n in group
    ]
    entries.sort(key=lambda e: (e[0], -e[1]))
    _order_tie_entries(entries)
    broken: set[int] = set()
    crashes = 0

    def call(rule: Rule, fn: Callable, node: Node) -> None:
        nonlocal crashes
        if id(rule) in broken:
            return
        if rule.meta.hot_only and not ctx.is_hot(node):
            return
        ctx.current_rule = rule
        try:
            fn(node, ctx)
        except Exception as exc:  # a crash in one rule must not lose the others' findings
            broken.add(id(rule))
            crashes += 1
            line = node.start_point[0] + 1
            detail = traceback.format_exc() if debug else f"{type(exc).__name__}: {exc}"
            on_error(f"internal error in rule {rule.meta.code} at {ctx.file.display}:{line}: {detail}")
        finally:
            ctx.current_rule = None

    def visit(kind: str, node: Node) -> None:
        for rule, vf, _ in handlers.get(kind, ()):
            if vf is not None:
                call(rule, vf, node)
        if kind == "call_expression" and by_callee:
            name = callee_name(node)
            for rule, vf, _ in by_callee.get(name, ()) if name is not None else ():
                call(rule, vf, node)  # type: ignore[arg-type]

    if not has_leave:
        for _, _, kind, node in entries:
            visit(kind, node)
        return crashes

    stack: list[tuple[int, int, str, Node]] = []

    def leave(entry: tuple[int, int, str, Node]) -> None:
        for rule, _, lv in handlers.get(entry[2], ()):
            if lv is not None:
                call(rule, lv, entry[3])

    for entry in entries:
        start, end, kind, node = entry
        while stack and not (stack[-1][0] <= start and end <= stack[-1][1]):
            leave(stack.pop())
        visit(kind, node)
        stack.append(entry)
    while stack:
        leave(stack.pop())
    return crashes


def _order_tie_entries(entries: list[tuple[int, int, str, Node]]) -> None:
    """`_order_ties` over dispatch entries."""
    i = 0
    while i < len(entries) - 1:
        a, b = entries[i], entries[i + 1]
        if a[0] == b[0] and a[1] == b[1]:
            p = b[3].parent
            while p is not None and p.start_byte == b[0] and p.end_byte == b[1]:
                if p == a[3]:
                    break
                p = p.parent
            else:
                entries[i], entries[i + 1] = b, a
        i += 1


def _order_ties(nodes: list[Node]) -> None:
    """Nodes with identical ranges (a call and its expression statement): put the ancestor first."""
    i = 0
    while i < len(nodes) - 1:
        a, b = nodes[i], nodes[i + 1]
        if a.start_byte == b.start_byte and a.end_byte == b.end_byte:
            p = b.parent
            while p is not None and p.start_byte == b.start_byte and p.end_byte == b.end_byte:
                if p == a:
                    break
                p = p.parent
            else:
                nodes[i], nodes[i + 1] = b, a
        i += 1

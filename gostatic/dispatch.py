"""One pass per file: a single tree-sitter query over the union of node types the active rules visit,
dispatched in document order (visit on entry, leave after the last descendant)."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

import tree_sitter

from gostatic.context import FileContext
from gostatic.rule import Rule
from gostatic.syntax import GO_LANGUAGE, Node

_QUERIES: dict[frozenset[str], tree_sitter.Query] = {}
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


def dispatch(ctx: FileContext, rules: list[Rule], on_error: ErrorSink = _default_sink, debug: bool = False) -> int:
    """Run `rules` over one file. Returns the number of rule crashes (each reported through on_error and
    the crashing rule disabled for the rest of the file, so other rules' findings still arrive)."""
    handlers: dict[str, list[tuple[Rule, Callable | None, Callable | None]]] = {}
    for rule in rules:
        for kind, (has_visit, has_leave) in type(rule).node_types().items():
            handlers.setdefault(kind, []).append(
                (
                    rule,
                    getattr(rule, f"visit_{kind}") if has_visit else None,
                    getattr(rule, f"leave_{kind}") if has_leave else None,
                )
            )
    if not handlers:
        return 0
    query = query_for(frozenset(handlers))
    STATS["queries"] += 1
    captures = tree_sitter.QueryCursor(query).captures(ctx.file.tree.root_node)
    nodes: list[Node] = [n for group in captures.values() for n in group]
    nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
    _order_ties(nodes)
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

    stack: list[Node] = []

    def leave(node: Node) -> None:
        for rule, _, lv in handlers.get(node.type, ()):
            if lv is not None:
                call(rule, lv, node)

    for node in nodes:
        while stack and not (stack[-1].start_byte <= node.start_byte and node.end_byte <= stack[-1].end_byte):
            leave(stack.pop())
        for rule, vf, _ in handlers.get(node.type, ()):
            if vf is not None:
                call(rule, vf, node)
        stack.append(node)
    while stack:
        leave(stack.pop())
    return crashes


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

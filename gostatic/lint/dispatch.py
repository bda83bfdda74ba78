"""One pass per file: a single tree-sitter query over the union of node types the active rules visit,
then each rule over its nodes in document order (visit on entry, leave after the last descendant)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from gostatic.lint.context import FileContext
from gostatic.lint.rule import Rule
from gostatic.parse.census import STATS, Census  # noqa: F401  (STATS: read by the one-pass test)
from gostatic.parse.syntax import END, START, Node, document_order

_NODE_TYPES: dict[type, dict[str, tuple[bool, bool]]] = {}


ErrorSink = Callable[[str], None]


def _default_sink(msg: str) -> None:
    print(f"gostatic: {msg}", file=sys.stderr)


def node_types_of(cls: type[Rule]) -> dict[str, tuple[bool, bool]]:
    """`cls.node_types()` (a dir() of the class), once per class rather than per file or package."""
    kinds = _NODE_TYPES.get(cls)
    if kinds is None:
        kinds = _NODE_TYPES[cls] = cls.node_types()
    return kinds


def dispatch(
    ctx: FileContext, rules: list[Rule], on_error: ErrorSink = _default_sink, debug: bool = False
) -> int:
    """Run `rules` over one file: one query for the node types they visit, then each rule over its own
    nodes in document order (visit on entry, leave after the last descendant). `rules` are those the
    runner chose for the file (versions, imports, `requires_text`); their `calls` and `hot_only`
    pre-filters are applied here, before each is called. Rules are independent
    (findings are sorted afterwards), so each runs in its own tight loop rather than all of them
    interleaved per node. Returns the number of rule crashes: each is reported through on_error, and
    the crashing rule is skipped for the rest of the file, so other rules' findings still arrive."""
    active: list[tuple[Rule, dict[str, tuple[bool, bool]]]] = []
    kinds: set[str] = set()
    for rule in rules:
        types = node_types_of(type(rule))
        if types:
            active.append((rule, types))
            kinds.update(types)
    if not kinds:
        return 0
    nodes = ctx.index.census(ctx.file, kinds)
    crashes = 0
    for rule, types in active:
        ctx.current_rule = rule
        try:
            _run(rule, types, nodes, ctx)
        except _Crash as crash:  # a crash in one rule must not lose the others' findings
            crashes += 1
            exc = crash.__cause__ or crash
            line = crash.node.start_point[0] + 1 if crash.node is not None else 0
            if debug:
                import traceback  # only to show a crash: a run that has none does not import it

                detail = "".join(traceback.format_exception(exc))
            else:
                detail = f"{type(exc).__name__}: {exc}"
            on_error(f"internal error in rule {rule.meta.code} at {ctx.file.display}:{line}: {detail}")
        finally:
            ctx.current_rule = None
    return crashes


class _Crash(Exception):
    """A rule raised while visiting `node`."""

    def __init__(self, node: Node | None) -> None:
        super().__init__()
        self.node = node


def _nodes_for(rule: Rule, kind: str, nodes: Census) -> list[Node]:
    if kind == "call_expression" and rule.calls is not None:
        return nodes.calls_named(rule.calls)
    return nodes.of_kind(kind)


def _run(rule: Rule, types: dict[str, tuple[bool, bool]], nodes: Census, ctx: FileContext) -> None:
    """Call `rule` on its nodes; an exception comes out as _Crash, naming the node it was raised at."""
    hot_only = rule.meta.hot_only and not rule.checks_hot_itself
    at: Node | None = None
    try:
        if len(types) == 1 and not any(lv for _, lv in types.values()):
            (kind,) = types
            visit = getattr(rule, f"visit_{kind}")
            for at in _nodes_for(rule, kind, nodes):
                if not hot_only or ctx.is_hot(at):
                    visit(at, ctx)
            return
        # each kind's nodes are in document order already: concatenate, then two C-keyed sorts
        merged = document_order([n for kind in types for n in _nodes_for(rule, kind, nodes)])
        _order_ties(merged)
        visits = {k: getattr(rule, f"visit_{k}") for k, (v, _) in types.items() if v}
        leaves = {k: getattr(rule, f"leave_{k}") for k, (_, lv) in types.items() if lv}
        if not leaves:
            for at in merged:
                visit = visits.get(at.type)
                if visit is not None and (not hot_only or ctx.is_hot(at)):
                    visit(at, ctx)
            return
        stack: list[Node] = []
        for node in merged:
            start, end = node.start_byte, node.end_byte
            while stack and not (stack[-1].start_byte <= start and end <= stack[-1].end_byte):
                at = stack.pop()
                leave = leaves.get(at.type)
                if leave is not None:
                    leave(at, ctx)
            at = node
            visit = visits.get(node.type)
            if visit is not None and (not hot_only or ctx.is_hot(node)):
                visit(node, ctx)
            stack.append(node)
        while stack:
            at = stack.pop()
            leave = leaves.get(at.type)
            if leave is not None:
                leave(at, ctx)
    except Exception as exc:
        raise _Crash(at) from exc


def _order_ties(nodes: list[Node]) -> None:
    """Nodes with identical ranges (a call and its expression statement): put the ancestor first. The
    ranges are read once, by C-level getters, and compared as ints: asking each node for its bytes in a
    Python loop cost as much as the sorts (ties are rare: most rules' kinds cannot wrap one another)."""
    starts = list(map(START, nodes))
    ends = list(map(END, nodes))
    ties = [
        i
        for i, (s, t, e, f) in enumerate(zip(starts, starts[1:], ends, ends[1:], strict=False))
        if s == t and e == f
    ]
    for i in ties:  # in order: a swap at i is seen by a tie at i + 1, as in a scan
        a, b = nodes[i], nodes[i + 1]
        if a.start_byte == b.start_byte and a.end_byte == b.end_byte:
            p = b.parent
            while p is not None and p.start_byte == b.start_byte and p.end_byte == b.end_byte:
                if p == a:
                    break
                p = p.parent
            else:
                nodes[i], nodes[i + 1] = b, a

"""The nodes of one file, by kind, from one tree-sitter query.

A query over a whole file costs about a third of parsing it, whatever it captures (the cost is the walk,
not the matches), so every part of the engine that looks for nodes by kind shares one: the dispatcher
(the kinds the file's rules visit) and the resolver (declarations, per function). The runner registers
each file's kinds before the first question; a kind asked for later costs one more query for the
missing kinds only."""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

import tree_sitter

from gostatic.parse.syntax import (
    END,
    FUNCTION_TYPES,
    START,
    Node,
    callee_name,
    document_order,
    path_down,
    query_for,
)

# what the resolver's per-function tables are built from
DECLARATION_KINDS = FUNCTION_TYPES | {
    "short_var_declaration", "var_spec", "const_spec", "range_clause", "type_switch_statement", "receive_statement",
}  # fmt: skip
# what every file's census holds: declarations, and the loops and functions `enclosing` looks for
ENGINE_KINDS = DECLARATION_KINDS | {"for_statement"}

STATS = {"queries": 0}  # query executions, for the one-pass test


class Census:
    def __init__(
        self,
        root: Node,
        kinds: Iterable[str],
        span: tuple[int, int] | None = None,
        source: bytes | None = None,
    ) -> None:
        """`span`: a partial run's census (see partial.py) holds only the nodes that intersect these
        bytes, the nodes the dispatcher visits (`of_kind`, `calls_named`); questions about a node
        (`within`, `nesting(kinds, node)`) still get the whole file's answer, and `whole()` is the whole
        file's census, for questions about the file as a whole. `source`: the file's bytes, for callee
        names."""
        self._root = root
        self._span = span
        self._source = source
        self._whole: Census | None = None
        self._nodes: dict[str, list[Node]] = {}
        self._by_callee: dict[bytes | None, list[Node]] | None = None
        self._by_names: dict[frozenset[str], list[Node]] = {}
        self._nestings: dict[frozenset[str], Nesting] = {}
        self._capture(frozenset(kinds))

    def _capture(self, kinds: frozenset[str]) -> None:
        if not kinds:
            return
        STATS["queries"] += 1
        cursor = tree_sitter.QueryCursor(query_for(kinds))
        if self._span is not None:
            cursor.set_byte_range(*self._span)
        found = cursor.captures(self._root)
        for kind in kinds:
            self._nodes[kind] = document_order(found.get(kind, []))

    def ensure(self, kinds: Iterable[str]) -> None:
        missing = frozenset(kinds).difference(self._nodes)  # `frozenset - dict_keys` would give a set
        if missing:
            self._capture(missing)

    def of_kind(self, kind: str) -> list[Node]:
        """The file's nodes of `kind`, in document order (captured now if it was not registered)."""
        nodes = self._nodes.get(kind)
        if nodes is None:
            self._capture(frozenset({kind}))
            nodes = self._nodes[kind]
        return nodes

    def within(self, kinds: Iterable[str], node: Node) -> list[Node]:
        """The nodes of `kinds` in `node`'s subtree (node included), in document order."""
        lo, hi = node.start_byte, node.end_byte
        if self._span is not None and not (self._span[0] <= lo and hi <= self._span[1]):
            found = tree_sitter.QueryCursor(query_for(frozenset(kinds))).captures(node)
            return document_order([n for group in found.values() for n in group])
        # one merged list per set of kinds (the resolver asks per function): a slice, no sort per call
        merged = self.nesting(frozenset(kinds), node)
        i, j = bisect_left(merged.starts, lo), bisect_left(merged.starts, hi)
        ends = merged.ends
        return [merged.nodes[k] for k in range(i, j) if ends[k] <= hi]

    def calls_named(self, names: frozenset[str]) -> list[Node]:
        """The calls written with one of these callee names (see syntax.callee_name), in document order."""
        if self._by_callee is None:
            self._by_callee = self._group_calls()
            self._by_names = {}
        found = self._by_names.get(names)  # each rule asks with its own set, once per dispatch
        if found is None:
            by_callee = self._by_callee
            groups = [g for g in map(by_callee.get, _encoded(names)) if g]
            found = groups[0] if len(groups) == 1 else document_order([n for g in groups for n in g])
            self._by_names[names] = found
        return found

    def _group_calls(self) -> dict[bytes | None, list[Node]]:
        """The file's calls by callee name (`syntax.callee_name`, from the file's bytes when known)."""
        by_callee: dict[bytes | None, list[Node]] = {}
        src = self._source
        for call in self.of_kind("call_expression"):
            key = callee_name(call, src)
            group = by_callee.get(key)
            if group is None:
                by_callee[key] = [call]
            else:
                group.append(call)
        return by_callee

    def release(self, keep: frozenset[str]) -> None:
        """Forget the nodes of every kind but `keep` (asked again, they cost a query): a package's files
        are all in memory until it is done, and the kinds only its rules visit are needed only while
        that file is dispatched."""
        for kind in [k for k in self._nodes if k not in keep]:
            del self._nodes[kind]
        self._by_callee = None
        self._by_names = {}

    def whole(self) -> Census:
        """This census, or for a partial run's, the whole file's (its kinds captured on first use)."""
        if self._span is None:
            return self
        if self._whole is None:
            self._whole = Census(self._root, (), None, self._source)
        return self._whole

    def path_in_function(self, node: Node) -> list[Node]:
        """The nodes from `node`'s innermost enclosing function (or the file's root) down to `node`: the
        ancestry a climb of `.parent` would visit, at a cost in the depth inside that function only
        (each `.parent` step descends from the root)."""
        fns = self.nesting(FUNCTION_TYPES, node)
        i = fns.around(node)
        return path_down(fns.nodes[i] if i >= 0 else self._root, node) or [node]

    def nesting(self, kinds: frozenset[str], node: Node | None = None) -> Nesting:
        """The nesting of the file's nodes of `kinds`; given the `node` asked about, a partial run's
        census answers from the nodes of its span when `node` lies in it."""
        if self._span is not None and (
            node is None or not (self._span[0] <= node.start_byte and node.end_byte <= self._span[1])
        ):
            return self.whole().nesting(kinds)
        n = self._nestings.get(kinds)
        if n is None:
            n = self._nestings[kinds] = Nesting(document_order([x for k in kinds for x in self.of_kind(k)]))
        return n


@functools.cache
def _encoded(names: frozenset[str]) -> tuple[bytes, ...]:
    """A rule's callee names as bytes, once per set (asked per rule and file)."""
    return tuple(n.encode() for n in names)


class Nesting:
    """Nodes of some kinds in document order, each with the index of the innermost one containing it: the
    innermost of them around any node is found by a bisect and a few steps out, where climbing `.parent`
    costs a descent from the root per step in tree-sitter."""

    def __init__(self, nodes: list[Node]) -> None:
        self.nodes = nodes
        self.starts = list(map(START, nodes))
        self.ends = list(map(END, nodes))
        self._parents: list[int] | None = None

    @property
    def parents(self) -> list[int]:
        """For each node, the index of the innermost one containing it, or -1: worked out on first use
        (`within`, asked of the resolver's declarations per function, needs only the offsets)."""
        if self._parents is None:
            parents: list[int] = []
            stack: list[int] = []
            starts, ends = self.starts, self.ends
            for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
                while stack and not (start >= starts[stack[-1]] and end <= ends[stack[-1]]):
                    stack.pop()
                parents.append(stack[-1] if stack else -1)
                stack.append(i)
            self._parents = parents
        return self._parents

    def around(self, node: Node) -> int:
        """Index of the innermost node containing `node` (not `node` itself), or -1."""
        start, end = node.start_byte, node.end_byte
        i = bisect_right(self.starts, start) - 1
        parents = self.parents
        while i >= 0:
            if self.ends[i] >= end and self.nodes[i] != node:
                return i
            i = parents[i]
        return -1

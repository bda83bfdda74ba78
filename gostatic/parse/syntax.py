"""One tree-sitter-go parser and the small node helpers every other module needs.

Everything works on bytes: sources are never decoded on the hot path, only for messages.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Iterable, Iterator
from typing import NamedTuple

import tree_sitter

Node = tree_sitter.Node
Tree = tree_sitter.Tree


def _go_language() -> object:
    """tree-sitter-go's language pointer, from the package's compiled binding alone: its `__init__`
    imports importlib.resources (with tempfile, shutil and zipfile behind it) for query files gostatic
    never reads, ~5 ms of every start. The package is imported as usual when the binding is not
    where this expects it."""
    import importlib.machinery
    import importlib.util

    try:
        spec = importlib.util.find_spec("tree_sitter_go")
        for directory in (spec and spec.submodule_search_locations) or ():
            for suffix in importlib.machinery.EXTENSION_SUFFIXES:
                path = f"{directory}/_binding{suffix}"
                binding = importlib.util.spec_from_file_location("tree_sitter_go._binding", path)
                if binding is None or binding.loader is None or not os.path.isfile(path):
                    continue
                module = importlib.util.module_from_spec(binding)
                binding.loader.exec_module(module)
                return module.language()
    except (ImportError, OSError):
        pass
    import tree_sitter_go

    return tree_sitter_go.language()


GO_LANGUAGE = tree_sitter.Language(_go_language())

FUNCTION_TYPES = frozenset({"function_declaration", "method_declaration", "func_literal"})
LOOP_TYPES = frozenset({"for_statement"})


def new_parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(GO_LANGUAGE)


_PARSER: tree_sitter.Parser | None = None


def parse(source: bytes, old_tree: Tree | None = None) -> Tree:
    """Parse Go source bytes; a process-wide parser is reused (tree-sitter parsers are not thread-safe).
    A tree with errors gets a second chance: Go 1.27's generic methods and Go 1.26's `new(expr)`, which
    the grammar lags on, are repaired by `generics` and `newexpr` (the tree is then that of the same
    bytes, offsets unchanged)."""
    global _PARSER
    if _PARSER is None:
        _PARSER = new_parser()
    tree = _PARSER.parse(source, old_tree) if old_tree is not None else _PARSER.parse(source)
    if tree.root_node.has_error:
        from gostatic.parse import generics, newexpr

        tree = generics.repair(_PARSER, source, tree) or tree
        if tree.root_node.has_error:  # `new(expr)`, shaped over the generic methods' blanks if any
            parser, root = _PARSER, tree.root_node
            tree = (
                newexpr.repair(parser, source, tree, lambda: generics.blanked(parser, source, root)) or tree
            )
    return tree


def node_kinds() -> frozenset[str]:
    """Every named node type the grammar knows: used to validate rules' visit_/leave_ methods."""
    kinds = set()
    for i in range(GO_LANGUAGE.node_kind_count):
        if GO_LANGUAGE.node_kind_is_named(i) and GO_LANGUAGE.node_kind_is_visible(i):
            name = GO_LANGUAGE.node_kind_for_id(i)
            if name:
                kinds.add(name)
    return frozenset(kinds)


# Work counters for the one-pass test (tests/test_speed.py): query executions outside the dispatcher and
# Python walks that start at a file's root. Neither may grow with the number of rules enabled.
COUNTERS = {"queries": 0, "file_walks": 0}


def text(node: Node) -> bytes:
    return node.text or b""


def path_down(top: Node, node: Node) -> list[Node] | None:
    """The nodes from `top` down to `node`, both included (None when `node` is not in `top`'s subtree).

    Found by descending from `top`, choosing at each level the child that spans `node`: a cost in the
    depth between them. Climbing `.parent` from `node` instead costs a descent from the root per step in
    tree-sitter, which made deeply nested files (`go func(){ for { defer func(){ …`) cubic."""
    path = [top]
    cur = top
    lo, hi = node.start_byte, node.end_byte
    while cur != node:
        for child in cur.children:
            if (
                child.start_byte <= lo
                and hi <= child.end_byte
                and (child.start_byte < child.end_byte or child == node)
            ):
                cur = child
                break
        else:
            return None
        path.append(cur)
    return path


def find_all(node: Node, kinds: Iterable[str]) -> list[Node]:
    """The named nodes of the given types in `node`'s subtree (node included), in document order (an
    ancestor before its descendants), as `walk_type` would yield them. Found by tree-sitter's C query
    engine: use this, not a Python `walk`, to look through a whole file or package."""
    COUNTERS["queries"] += 1
    found = tree_sitter.QueryCursor(query_for(frozenset(kinds))).captures(node)
    return document_order([n for group in found.values() for n in group])


_QUERIES: dict[frozenset[str], tree_sitter.Query] = {}


def query_for(kinds: frozenset[str]) -> tree_sitter.Query:
    """One compiled query per set of node kinds, each captured under its kind's name."""
    q = _QUERIES.get(kinds)
    if q is None:
        q = _QUERIES[kinds] = tree_sitter.Query(GO_LANGUAGE, "\n".join(f"({k}) @{k}" for k in sorted(kinds)))
    return q


# a node's byte offsets, read by C-level getters (sorts and offset tables over many nodes)
START = operator.attrgetter("start_byte")
END = operator.attrgetter("end_byte")


def document_order(nodes: list[Node]) -> list[Node]:
    """Sort in place by start, an ancestor before a descendant that starts with it: two sorts keyed by
    C-level attribute getters (stable: the later keeps the earlier's order among ties) cost far less
    than one sort keyed by a Python tuple. Query captures are not in document order. Nodes with the
    same range keep their order (only a merge of several kinds can have them: see the dispatcher)."""
    nodes.sort(key=END, reverse=True)
    nodes.sort(key=START)
    return nodes


def walk(node: Node, prune: frozenset[str] = frozenset()) -> Iterator[Node]:
    """Pre-order walk of named descendants (node included) with a TreeCursor, not entering `prune` types
    below the start node (the pruned node itself is yielded)."""
    if node.type == "source_file":
        COUNTERS["file_walks"] += 1
    cursor = node.walk()
    depth = 0
    while True:
        cur = cursor.node
        assert cur is not None
        if cur.is_named:
            yield cur
        if not (depth > 0 and cur.type in prune) and cursor.goto_first_child():
            depth += 1
            continue
        while True:
            if depth == 0:
                return
            if cursor.goto_next_sibling():
                break
            cursor.goto_parent()
            depth -= 1


def walk_type(
    node: Node, kinds: frozenset[str] | set[str], prune: frozenset[str] = frozenset()
) -> Iterator[Node]:
    for n in walk(node, prune):
        if n.type in kinds:
            yield n


def ancestors(node: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def path_to(root: Node, node: Node) -> list[Node]:
    """The chain of nodes from `root` down to `node` (both included; just `[root]` when `node` is not
    below it), found by a cursor descending by byte offset: O(depth) steps, where climbing `.parent`
    costs a descent from the root per step in tree-sitter (quadratic in the depth)."""
    cursor = root.walk()
    chain = [root]
    start, end = node.start_byte, node.end_byte
    while chain[-1] != node:
        if cursor.goto_first_child_for_byte(start) is None:
            return chain
        while cursor.node.start_byte >= start and cursor.goto_previous_sibling():  # type: ignore[union-attr]
            pass  # back over children that end at `start` (empty ones: a zero-width node may be the target)
        while True:
            cur = cursor.node
            assert cur is not None
            if (
                cur.start_byte <= start
                and end <= cur.end_byte
                and (cur.end_byte > start or cur.start_byte == start)
            ):
                break
            if not cursor.goto_next_sibling():
                return chain
        if cursor.node == chain[-1]:
            return chain
        chain.append(cursor.node)  # type: ignore[arg-type]
    return chain


def enclosing(
    node: Node, kinds: frozenset[str] | set[str], stop: frozenset[str] = frozenset()
) -> Node | None:
    for anc in ancestors(node):
        if anc.type in kinds:
            return anc
        if anc.type in stop:
            return None
    return None


def enclosing_function(node: Node) -> Node | None:
    return enclosing(node, FUNCTION_TYPES)


def contains(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def unparen(node: Node | None) -> Node | None:
    while node is not None and node.type == "parenthesized_expression":
        node = node.named_children[0] if node.named_children else None
    return node


def expression_list(node: Node | None) -> list[Node]:
    """Items of an expression_list (or the node itself when it is a single expression)."""
    if node is None:
        return []
    if node.type == "expression_list":
        if node.named_child_count == 1:  # the common `x = y`: no list of children built and filtered
            only = node.named_child(0)
            return [only] if only is not None and only.type != "comment" else []
        return [c for c in node.named_children if c.type != "comment"]
    return [node]


FUNCTION_FIELD = GO_LANGUAGE.field_id_for_name("function")
FIELD_FIELD = GO_LANGUAGE.field_id_for_name("field")


def callee_name(call: Node, source: bytes | None = None) -> bytes | None:
    """The name a call is written with: `f` in `f(x)` and `(f)(x)`, `Get` in `p.Get()`; None for other
    callee shapes (a func literal, an instantiation `F[int](x)`, an index `fs[i](x)`). Asked for every
    call of every file (the dispatcher routes calls by it), hence field ids and a slice of `source`
    (the file's bytes) rather than field names and `.text`."""
    fn = call.child_by_field_id(FUNCTION_FIELD)
    if fn is None:
        return None
    kind = fn.type
    if kind == "parenthesized_expression":
        fn = unparen(fn)
        if fn is None:
            return None
        kind = fn.type
    if kind == "selector_expression":
        fn = fn.child_by_field_id(FIELD_FIELD)
        if fn is None:
            return None
    elif kind != "identifier":
        return None
    return source[fn.start_byte : fn.end_byte] if source is not None else fn.text


def called_selector(call: Node) -> tuple[Node, Node] | None:
    """(operand, field) of a call written `operand.field(...)` (parentheses around either unwrapped)."""
    fn = unparen(call.child_by_field_name("function"))
    if fn is None or fn.type != "selector_expression":
        return None
    field = fn.child_by_field_name("field")
    operand = unparen(fn.child_by_field_name("operand"))
    return (operand, field) if field is not None and operand is not None else None


def call_args(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [c for c in args.named_children if c.type != "comment"]


def statements(block: Node | None) -> list[Node]:
    """The statements of a block, case clause or statement list, comments excluded."""
    if block is None:
        return []
    if block.type == "statement_list":
        return [c for c in block.named_children if c.type != "comment"]
    for child in block.named_children:
        if child.type == "statement_list":
            return [c for c in child.named_children if c.type != "comment"]
    if block.type == "block":
        return []
    return [
        c for c in block.named_children if c.type.endswith("_statement") or c.type.endswith("declaration")
    ]


def first_error(node: Node) -> Node | None:
    """The first ERROR or MISSING node in document order, or None for an intact tree."""
    if not node.has_error:
        return None
    cursor = node.walk()
    while True:
        cur = cursor.node
        assert cur is not None
        if cur.type == "ERROR" or cur.is_missing:
            return cur
        if cur.has_error and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return None


def is_plain_reference(node: Node | None) -> bool:
    """`x` or `x.f.g`: a name or a chain of field selections, which can be copied elsewhere and evaluated
    again with no side effect and no call (a nil pointer on the way can still panic where it is moved)."""
    return root_identifier(node) is not None


def root_identifier(node: Node | None) -> Node | None:
    """`x` in `x`, `x.f.g`, `(x).f`; None for anything else."""
    node = unparen(node)
    while node is not None and node.type == "selector_expression":
        node = unparen(node.child_by_field_name("operand"))
    return node if node is not None and node.type == "identifier" else None


def assigned_to(ref: Node, declarations: bool = True) -> bool:
    """Whether `ref` is a target of an assignment (`ref = ...`, `a, ref = ...`; with `declarations`, of a
    short variable declaration too)."""
    p = ref.parent
    if p is not None and p.type == "expression_list":
        p = p.parent
    kinds = ("assignment_statement", "short_var_declaration") if declarations else ("assignment_statement",)
    return p is not None and p.type in kinds and contains(p.child_by_field_name("left"), ref)


_WRITING_STATEMENTS = frozenset(
    {"assignment_statement", "short_var_declaration", "range_clause", "receive_statement"}
)


def writes(ref: Node) -> bool:
    """Whether this occurrence of a variable writes it or lets other code write it: a target of `=`, `op=`,
    `:=`, a range clause (`for i = range xs`) or a receive (`case i = <-ch`); `i++`/`i--`; `&i`; or a
    method call on it (`i.Bump()`: a pointer receiver takes its address). The one test for "the value
    a local was given is the value it has" (constant locals, loop counters)."""
    parent = ref.parent
    if parent is None:
        return True
    holder = parent.parent if parent.type == "expression_list" else parent
    if holder is not None and holder.type in _WRITING_STATEMENTS:
        left = holder.child_by_field_name("left")
        return left is not None and left in (parent, ref)
    if parent.type in ("inc_statement", "dec_statement"):
        return True
    if parent.type == "unary_expression":
        op = parent.child_by_field_name("operator")
        return op is not None and op.type == "&"
    if parent.type == "selector_expression" and parent.child_by_field_name("operand") == ref:
        call = parent.parent
        return (
            call is not None
            and call.type == "call_expression"
            and call.child_by_field_name("function") == parent
        )
    return False


class Assignment(NamedTuple):
    """The parts of an assignment statement or short variable declaration."""

    op: str  # "=", "+=", ":=", ...; "" when missing (a syntax error)
    lefts: list[Node]
    rights: list[Node]
    pairs: list[tuple[Node, Node]]  # (left, right) when there are as many values as targets, else []


def assignment(stmt: Node) -> Assignment:
    op = stmt.child_by_field_name("operator")
    lefts = expression_list(stmt.child_by_field_name("left"))
    rights = expression_list(stmt.child_by_field_name("right"))
    return Assignment(
        op.type if op is not None else (":=" if stmt.type == "short_var_declaration" else ""),
        lefts,
        rights,
        list(zip(lefts, rights, strict=True)) if len(lefts) == len(rights) else [],
    )


def assignment_pairs(stmt: Node) -> list[tuple[Node, Node]]:
    """(left, right) pairs of an assignment or short variable declaration with as many values as
    targets; [] for `a, b = f()` and anything else."""
    return assignment(stmt).pairs


def field_declarations(struct_type: Node) -> Iterator[Node]:
    """The `field_declaration` nodes of a `struct_type`, in order."""
    for lst in struct_type.named_children:
        if lst.type != "field_declaration_list":
            continue
        for fd in lst.named_children:
            if fd.type == "field_declaration":
                yield fd


def paren_root(node: Node) -> Node:
    """The outermost `( ... )` around `node` (the node itself when it is not parenthesized): where its
    value is used, for climbing to the parent that consumes it."""
    cur = node
    while cur.parent is not None and cur.parent.type == "parenthesized_expression":
        cur = cur.parent
    return cur

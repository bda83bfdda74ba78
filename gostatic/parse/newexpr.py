"""Go 1.26's `new(expr)` (`new(1)`, `new(e.crc.Sum32())`), which tree-sitter-go 0.25 cannot parse.

The grammar makes `new` a keyword whose call takes a *type* first (`new(T)`), so `new(1)` is an ERROR
and `new(f())` a MISSING `)` that spoils the rest of the statement. Upstream has an open pull request
and no release; until one ships, a file whose parse has errors is repaired here:

1. Each `new(` call that is not already a clean call (not inside a comment or string literal) has its
   three bytes `new` replaced by `nEw`, an ordinary identifier of the same length: the call then
   parses as a plain call with an expression argument, and every byte offset stays valid. A call that
   parses worse that way (its argument was a type, `new(struct{...})`) is put back, and the source
   shaped again.
2. The substituted source is parsed, and the *original* bytes are parsed again with that tree as the
   old tree and no edit. No edit tells tree-sitter the text is unchanged, so it reuses the old tree's
   nodes as they are (it does not lex them again); the result is the substituted parse's structure
   over the original text: node texts say `new`, the call is a `call_expression` whose argument is the
   expression, as it is for any builtin call.
The same holds for a call of a local function named `make` (`var make func(int) *X; make(n - 1)`,
valid Go that the grammar's keyword `make` rejects): `make` becomes `mAke` for the shaping parse.

3. The repaired tree is kept only if it has fewer error nodes than the original and every substituted
   `new` came out as the function of a call (proof that the reuse happened); otherwise the original
   parse stands. A real syntax error elsewhere in the file is still there to report (SYN001)."""

from __future__ import annotations

import re
from collections.abc import Callable

import tree_sitter

_CALL = re.compile(rb"(?<![\w.])(new|make)(?=[ \t]*\()")
# same length as the word, identifiers, not keywords
_PLACEHOLDER = {b"new": b"nEw", b"make": b"mAke"}
# the node kinds of a type argument, as the grammar parses `new(T)` and `make(T, n)`
TYPE_KINDS = frozenset(
    {
        "type_identifier", "qualified_type", "generic_type", "pointer_type", "slice_type", "array_type",
        "implicit_length_array_type", "map_type", "struct_type", "interface_type", "channel_type",
        "function_type", "parenthesized_type", "negated_type",
    }
)  # fmt: skip
_ROUNDS = 4  # shaping parses at most (a round only drops spots, so it ends)
_TEXT_KINDS = frozenset({"comment", "interpreted_string_literal", "raw_string_literal", "rune_literal"})


def repair(
    parser: tree_sitter.Parser,
    source: bytes,
    tree: tree_sitter.Tree,
    shaping: Callable[[], bytes | None] | None = None,
) -> tree_sitter.Tree | None:
    """A tree of `source` without the `new(expr)` errors of `tree`, or None when there is none to fix
    or the repair does not help. `shaping`: the bytes the shaping parse starts from, when another repair
    (generics.blanked) substitutes some of its own (same length as `source`; None: `source`), asked for
    only once there is something to repair."""
    root = tree.root_node
    if not root.has_error or (b"new" not in source and b"make" not in source):
        return None
    spots = [
        (m.start(), m.group(1)) for m in _CALL.finditer(source) if _needs_repair(root, m.start(), m.end())
    ]
    if not spots:
        return None
    base = (shaping() if shaping is not None else None) or source
    for _ in range(_ROUNDS):
        patched = bytearray(base)
        for at, word in spots:
            patched[at : at + len(word)] = _PLACEHOLDER[word]
        shaped = parser.parse(bytes(patched))
        # a spot that was a type after all (`new(struct{...})` next to an error) parses worse as a
        # plain call: put it back and shape again
        keep = [(at, word) for at, word in spots if _clean_call(shaped.root_node, at, len(word))]
        if len(keep) == len(spots):
            break
        spots = keep
        if not spots:
            return None
    else:
        return None
    repaired = parser.parse(source, shaped)  # no edit: same structure, the original bytes
    if not all(_is_call_of(repaired.root_node, at, word) for at, word in spots):
        return None
    if error_count(repaired.root_node) >= error_count(root):
        return None
    return repaired


def shaped_calls(text: bytes) -> bytes:
    """`text` with every `new(`/`make(` call word replaced by its placeholder (as a shaping parse has
    them), for a parse that must accept `new(expr)`."""
    return _CALL.sub(lambda m: _PLACEHOLDER[m.group(1)], text)


def _needs_repair(root: tree_sitter.Node, at: int, end: int) -> bool:
    node = root.descendant_for_byte_range(at, end)
    if node is None:
        return False
    n: tree_sitter.Node | None = node
    while n is not None:
        if n.type in _TEXT_KINDS:
            return False  # `new(` inside a comment or a string
        n = n.parent
    call = node.parent
    if call is None or call.type != "call_expression" or call.has_error:
        return True
    # A clean call: the grammar's own `new(T)` has a type first. A clean call with an expression first
    # comes from an earlier repair that an incremental parse (the editor's) reused: shape it again, or
    # the shaping parse would be worse than the tree it repairs.
    args = call.child_by_field_name("arguments")
    first = args.named_children[0] if args is not None and args.named_children else None
    return first is not None and first.type not in TYPE_KINDS


def _clean_call(root: tree_sitter.Node, at: int, size: int) -> bool:
    node = root.descendant_for_byte_range(at, at + size)
    call = node.parent if node is not None else None
    return call is not None and call.type == "call_expression" and not call.has_error


def _is_call_of(root: tree_sitter.Node, at: int, word: bytes) -> bool:
    node = root.descendant_for_byte_range(at, at + len(word))
    return (
        node is not None
        and node.type == "identifier"
        and node.text == word
        and node.parent is not None
        and node.parent.type == "call_expression"
    )


def error_count(node: tree_sitter.Node) -> int:
    """ERROR and MISSING nodes under `node` (only subtrees that have errors are entered)."""
    if not node.has_error:
        return 0
    count = 0
    cursor = node.walk()
    while True:
        cur = cursor.node
        assert cur is not None
        if cur.type == "ERROR" or cur.is_missing:
            count += 1
        if cur.has_error and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return count

"""Go 1.27's generic methods (`func (r *Rand) N[Int intType](n Int) Int`), which tree-sitter-go 0.25
cannot parse: the method's type parameter list is an ERROR, and the rest of the declaration with it.

The same repair as `newexpr`'s, with blanks instead of a placeholder word:
1. The type parameter list of each method declaration that has one (`[Int intType]`, brackets balanced,
   so `[S ~[]E, E any]` too) is replaced by spaces (its line breaks kept), outside comments and strings:
   the method then parses as an ordinary one, and every byte offset stays valid.
2. The original bytes are parsed again with that tree as the old tree and no edit: tree-sitter reuses
   its nodes as they are, so the tree is the blanked parse's structure over the original text (the type
   parameters themselves are in no node: they are what the rules cannot use; names typed by them are
   of unknown type, as names of other packages' types are).
3. The repaired tree is kept only if it has fewer error nodes than the original parse.
"""

from __future__ import annotations

import re

import tree_sitter

from gostatic.parse.newexpr import error_count, shaped_calls

# `func (recv) Name[`: a receiver, then a name, then a bracket (a generic *type*'s receiver is
# `(t T[P])`, inside the parentheses, and never matches)
_GENERIC_METHOD = re.compile(rb"(?m)^func[ \t]*\([^()\n]*\)[ \t]*([A-Za-z_]\w*)[ \t]*\[")
_TEXT_KINDS = frozenset({"comment", "interpreted_string_literal", "raw_string_literal", "rune_literal"})
_MAX_BRACKETS = 4096  # a type parameter list longer than this is not one


def repair(parser: tree_sitter.Parser, source: bytes, tree: tree_sitter.Tree) -> tree_sitter.Tree | None:
    """A tree of `source` without the generic-method errors of `tree`, or None when there is none to fix
    or the repair does not help."""
    root = tree.root_node
    if not root.has_error:
        return None
    patched = blanked(parser, source, root)
    if patched is None:
        return None
    shaped = parser.parse(patched)
    repaired = parser.parse(source, shaped)  # no edit: same structure, the original bytes
    if error_count(repaired.root_node) >= error_count(root):
        return None
    return repaired


def blanked(parser: tree_sitter.Parser, source: bytes, root: tree_sitter.Node) -> bytes | None:
    """`source` with the type parameter lists of its generic methods blanked (step 1), or None when it
    has none. Also the shaping source `newexpr` starts from when a file needs both repairs: each repair's
    shaping parse must carry the other's substitutions, or its tree keeps the other's errors and loses
    the comparison of step 3. Only a bracket that holds a well-formed type parameter list is blanked (a
    syntax error inside one must stay to be reported)."""
    if b"func" not in source:
        return None
    spans = [span for m in _GENERIC_METHOD.finditer(source) if (span := _brackets(source, m.end() - 1))]
    spans = [(a, b) for a, b in spans if not _in_text(root, a) and _type_parameters(parser, source[a:b])]
    if not spans:
        return None
    patched = bytearray(source)
    for a, b in spans:
        patched[a:b] = bytes(c if c in b"\r\n" else 0x20 for c in source[a:b])
    return bytes(patched)


def unread_method(parser: tree_sitter.Parser, source: bytes, start: int, end: int) -> str | None:
    """The name of the generic method in `source[start:end]` (a region the parse could not read) whose
    type parameter list is well formed: valid Go 1.27 that the grammar lags on, to be named as such
    rather than called a syntax error. None when there is none, or its list is itself broken."""
    m = _GENERIC_METHOD.search(source, start, min(end, start + (1 << 20)))
    span = _brackets(source, m.end() - 1) if m is not None else None
    if m is None or span is None or not _type_parameters(parser, source[span[0] : span[1]]):
        return None
    return m.group(1).decode("utf-8", "replace")


def _type_parameters(parser: tree_sitter.Parser, brackets: bytes) -> bool:
    """`[…]` parses as the type parameter list of a generic function (with `new(expr)` in it shaped as
    `newexpr` shapes it): one small parse per generic method, only in files that have errors."""
    probe = b"package p\nfunc f" + shaped_calls(brackets) + b"() {}\n"
    return not parser.parse(probe).root_node.has_error


def _brackets(source: bytes, at: int) -> tuple[int, int] | None:
    """The span of the balanced `[…]` that starts at `at`, or None."""
    depth = 0
    for i in range(at, min(len(source), at + _MAX_BRACKETS)):
        c = source[i]
        if c == 0x5B:  # [
            depth += 1
        elif c == 0x5D:  # ]
            depth -= 1
            if depth == 0:
                return at, i + 1
    return None


def _in_text(root: tree_sitter.Node, at: int) -> bool:
    n: tree_sitter.Node | None = root.descendant_for_byte_range(at, at + 1)
    while n is not None:
        if n.type in _TEXT_KINDS:
            return True
        n = n.parent
    return False

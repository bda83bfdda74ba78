"""Incremental quick runs on large files: after an edit, the rules visit only the part of the file the
edit can have changed, and the findings of the rest are carried over from the previous run.

A 100k-line file costs a few hundred milliseconds per run in the tree-sitter query and the visits of its
nodes alone, whatever the edit. The unit of reuse is one visit: the engine records, for every finding,
the node whose visit reported it (its origin, see `lint.partial.Partial`). After an edit, a visit is run again
when its node can have changed:

- every node that intersects the changed span: the edited bytes, and the ranges tree-sitter reports as
  parsed differently (`Tree.changed_ranges`), with one byte of margin on each side. These are the
  nodes inside the edit and the edit's ancestors (a rule visiting the 100k-line composite literal an
  element of which was edited sees the new literal);
- every node of a function that intersects it (the outermost function, closures included): inside a
  function a visit depends on the whole function (scopes, data flow, paths).

The findings of every other visit are carried, moved past the edit. This is exact for the rules whose
visits read their node, its ancestors, its function and the package's declarations (nearly all rules),
as long as those declarations did not change: so the reuse is only done when the changed span lies in
a function body or in the element list of a package-level composite literal (`var table = [...]T{...}`),
places no package-level name, type or signature comes from, and when no other file of the package
changed. Anything else (an import, a type, a signature, a comment between declarations, a file saved
on disk) re-runs the whole file. A rule that looks into another declaration's body (a callee's, the
uses of a package variable) can have a finding in an unchanged function go stale; like the
package-level findings the quick run carries, it is corrected by the full run that follows the pause
in typing.
"""

from __future__ import annotations

import re

import attrs

from gostatic.lint.finding import Edit, Finding, Position
from gostatic.lint.partial import Partial, Raw
from gostatic.parse.syntax import FUNCTION_TYPES, Node, Tree

_LINE_REF = re.compile(r"\bline (\d+)\b")
# below this size a whole-file run is a few milliseconds and exact for every rule: no reuse
INCREMENTAL_MIN_BYTES = 64 * 1024
_CHUNK = 1 << 16


def common_prefix(a: bytes, b: bytes) -> int:
    """Length of the common prefix: whole chunks compared first, then the chunk that differs halved
    until one byte is left (slices compared in C; a byte-by-byte loop over a 64 KiB chunk cost
    milliseconds per edit of a large file)."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i : i + _CHUNK] == b[i : i + _CHUNK]:
        i += _CHUNK
    if i >= n:
        return n
    lo, hi = i, min(i + _CHUNK, n)
    if a[lo:hi] == b[lo:hi]:
        return hi  # the chunks differed only in length: one text ends here
    while hi - lo > 1:  # a[:lo] == b[:lo], and a[lo:hi] != b[lo:hi]
        mid = (lo + hi) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """Length of the common suffix, at most `limit` (so it cannot overlap the common prefix)."""
    ra, rb = a[len(a) - limit :][::-1], b[len(b) - limit :][::-1]
    return common_prefix(ra, rb)


@attrs.define
class Change:
    """The one span two versions of a text differ in: bytes [start, old_end) of `old` became bytes
    [start, new_end) of `new`."""

    old: bytes
    new: bytes
    start: int
    old_end: int
    new_end: int
    _line_bounds: tuple[int, int] | None = attrs.field(default=None, init=False, eq=False)

    @classmethod
    def between(cls, old: bytes, new: bytes) -> Change:
        start = common_prefix(old, new)
        suffix = common_suffix(old, new, min(len(old), len(new)) - start)
        return cls(old, new, start, len(old) - suffix, len(new) - suffix)

    @property
    def delta(self) -> int:
        return self.new_end - self.old_end

    @property
    def lines(self) -> int:
        """Newlines added minus newlines removed."""
        return self.new.count(b"\n", self.start, self.new_end) - self.old.count(
            b"\n", self.start, self.old_end
        )

    def offset(self, offset: int) -> int | None:
        """An offset of the old text in the new one; None inside the replaced bytes."""
        if offset <= self.start:
            return offset
        if offset >= self.old_end:
            return offset + self.delta
        return None

    def position(self, old_offset: int, pos: Position, lines: int) -> Position:
        """`pos` (of `old_offset` in the old text) in the new text, without counting lines from the start
        of a large buffer: before the change nothing moved; after it, the line moves by the newlines the
        change added and the column is counted back to the line's start."""
        if old_offset <= self.start:
            return pos
        new_offset = old_offset + self.delta
        return Position(pos.line + lines, new_offset - (self.new.rfind(b"\n", 0, new_offset) + 1) + 1)

    def move(self, f: Finding, lines: int) -> Finding | None:
        """`f` in the new text; None when its range touches the replaced bytes (a fix touching them is
        dropped: it was computed for text that is gone), or its message names a line the change
        rewrote."""
        a, b = self.offset(f.start_byte), self.offset(f.end_byte)
        if a is None or b is None or (f.start_byte < self.start < f.end_byte):
            return None
        if self.start == self.old_end == self.new_end:
            return f
        message = f.message
        if lines and "line " in message:
            moved_message = self._renumber(message, lines)
            if moved_message is None:
                return None
            message = moved_message
        fix = f.fix
        if fix is not None:
            edits = []
            for e in fix.edits:
                ea, eb = self.offset(e.start), self.offset(e.end)
                if ea is None or eb is None or e.start < self.start < e.end:
                    fix = None
                    break
                edits.append(Edit(ea, eb, e.new_text))
            if fix is not None:
                fix = attrs.evolve(fix, edits=tuple(edits))
        return attrs.evolve(
            f,
            start_byte=a,
            end_byte=b,
            start=self.position(f.start_byte, f.start, lines),
            end=self.position(f.end_byte, f.end, lines),
            fix=fix,
            message=message,
        )

    def _renumber(self, message: str, lines: int) -> str | None:
        """Messages name other lines of the function ("the return on line 44"): a line after the change
        moves with it, a line before it stays; None when a named line was rewritten by the change."""
        if self._line_bounds is None:
            before = self.old.count(b"\n", 0, self.start)  # lines 1..before end before the change
            after = self.old.count(b"\n", 0, self.old_end - 1) + 1 if self.old_end else 0  # start after it
            self._line_bounds = (before, after)
        before, after = self._line_bounds
        rewritten = False

        def renumber(m: re.Match[str]) -> str:
            nonlocal rewritten
            n = int(m.group(1))
            if n <= before:
                return m.group(0)
            if n > after:
                return f"line {n + lines}"
            rewritten = True
            return m.group(0)

        out = _LINE_REF.sub(renumber, message)
        return None if rewritten else out


@attrs.frozen
class Memo:
    """What the last run of one large open file left for the next: its text, the facts its findings
    depended on besides that text (`context`, compared with ==, and the other files' bytes, compared by
    identity), and its raw findings (before suppressions) with their origins."""

    data: bytes
    context: object
    others: tuple[bytes, ...]
    raw: tuple[Raw, ...]

    def valid_for(self, context: object, others: tuple[bytes, ...]) -> bool:
        return (
            self.context == context
            and len(self.others) == len(others)
            and all(a is b for a, b in zip(self.others, others, strict=True))
        )


def partial_run(memo: Memo, change: Change, old_tree: Tree, new_tree: Tree) -> Partial | None:
    """The re-run of the part of the file `change` can affect, with the other findings of `memo` carried;
    None when the whole file must run again. `old_tree` is the tree of `memo.data` after
    `Tree.edit(change)` (so in the new text's offsets outside the change), `new_tree` the new text's."""
    size = len(change.new)
    if change.start == change.old_end == change.new_end:
        return Partial(span=(0, 0), carried=memo.raw)  # same text: nothing to visit again
    lo, hi = change.start, change.new_end
    for r in new_tree.changed_ranges(old_tree):
        lo, hi = min(lo, r.start_byte), max(hi, r.end_byte)
    lo, hi = max(0, lo - 1), min(size, hi + 1)
    if not (_index_neutral(new_tree.root_node, lo, hi) and _index_neutral(old_tree.root_node, lo, hi)):
        return None
    # the functions that intersect the span, whole: in both trees (their extent outside the span is
    # the same in both, but error recovery may end a function differently)
    while True:
        span = (lo, hi)
        for tree in (new_tree, old_tree):
            for at in (lo, hi - 1):
                fn = _outermost_function(tree.root_node, at)
                if fn is not None:
                    lo, hi = min(lo, fn.start_byte), max(hi, fn.end_byte)
        if (lo, hi) == span:
            break
    old_lo, old_hi = lo, hi - change.delta  # the span in the old text (it covers the change)
    lines = change.lines
    carried = []
    for f, (start, end), hidden in memo.raw:
        if start < old_hi and end > old_lo:
            continue  # its visit runs again
        moved = change.move(f, lines)
        if moved is None:
            continue
        origin = (start, end) if end <= old_lo else (start + change.delta, end + change.delta)
        carried.append((moved, origin, hidden))
    return Partial(span=(lo, hi), carried=tuple(carried))


def _outermost_function(root: Node, at: int) -> Node | None:
    node = root.descendant_for_byte_range(at, at + 1)
    found = None
    while node is not None:
        if node.type in FUNCTION_TYPES:
            found = node
        node = node.parent
    return found


def _index_neutral(root: Node, lo: int, hi: int) -> bool:
    """Whether the bytes [lo, hi) lie where no package-level fact comes from: a function body (the
    signature is outside it), or the elements of a composite literal in a package-level variable's value
    (the literal's type is written outside them)."""
    node = root.descendant_for_byte_range(lo, hi)
    inside_literal = False
    while node is not None and node.parent is not None:
        parent = node.parent
        if node.type == "block" and parent.type in FUNCTION_TYPES:
            return True
        if node.type == "literal_value":
            inside_literal = True
        if parent.parent is None:  # node is a top-level declaration
            return inside_literal and node.type == "var_declaration"
        node = parent
    return False

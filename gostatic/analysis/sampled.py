"""Code a profile shows did not run: a block of a function the profile samples that no sample reached.

A profile names the functions a program spends its time in, and a finding in one of them is ranked by it
(`gostatic/impact`). But the samples also say where in the function the time went. A hot function's
debug dump (`if f.Log() {`), its rare branch (`if off, ok := visited[t]; ok {`), or a loop over a list
that was empty while it was profiled, holds no sample at any of its lines: with a profile of n samples
that block had less than about 3/n of the program's time (the planner passes the lines only for a
profile large enough, `impact.rank.MIN_SAMPLES`). Its costs are then not worth a change by the very
evidence that makes the function hot, and they are cold like the error paths `analysis/cold.py` finds
by syntax alone. An allocation profile samples by bytes: its silence says a block allocated little, and
`FileContext.not_worth` heeds it for allocation claims only (`impact.rank.evidence`).

The block is the innermost statement list (a `{…}` body, a `case` or `select` clause) around the code,
other than the function's own body, read from its first statement to its last: the line of an `if`,
`for` or `case` header runs its condition whether or not the body runs, so it does not count."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from gostatic.parse.syntax import FUNCTION_TYPES, Node, statements


def _any_between(lines: Sequence[int], first: int, last: int) -> bool:
    """Whether the sorted `lines` hold one in [first, last]."""
    i = bisect_left(lines, first)
    return i < len(lines) and lines[i] <= last


def _span(block: Node) -> tuple[int, int] | None:
    """The 1-based lines of a block's or statement list's first and last statements."""
    stmts = statements(block)
    if not stmts:
        return None
    return stmts[0].start_point[0] + 1, stmts[-1].end_point[0] + 1


def unsampled_block(node: Node, lines: Sequence[int]) -> bool:
    """Whether `node` is in a block that no sample reached, inside a function some sample reached
    (`lines`: the sorted lines of the file the samples have a frame at). A node straight in its
    function's body is never one: the function ran, and the body is the part that always does."""
    block: Node | None = None
    parent = node.parent
    while parent is not None and parent.type not in FUNCTION_TYPES:
        if block is None and parent.type == "statement_list":
            block = parent
        parent = parent.parent
    if parent is None or block is None:
        return False
    body = parent.child_by_field_name("body")
    if body is None or block.parent is body:
        return False
    whole = _span(body)
    if whole is None or not _any_between(lines, *whole):
        return False  # the function did not run while profiled: nothing to compare with
    if not _fits(parent, lines):
        return False  # the profile was taken of other source: its lines say nothing of these
    span = _span(block)
    return span is not None and not _any_between(lines, *span)


def _fits(fn: Node, lines: Sequence[int]) -> bool:
    """Every line the samples reached in `fn` holds code: none is blank or only a comment. A profile of
    an older version of the function (lines added or removed above a block) fails this as soon as one
    sampled line lands on a blank line or a comment; the start line, which the caller checks, only
    catches a function that moved as a whole."""
    first = fn.start_point[0] + 1
    source = (fn.text or b"").split(b"\n")
    i = bisect_left(lines, first)
    while i < len(lines) and lines[i] - first < len(source):
        text = source[lines[i] - first].strip()
        if not text or text.startswith(b"//"):
            return False
        i += 1
    return True

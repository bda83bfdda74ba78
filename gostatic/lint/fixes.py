"""Applying fixes: byte-range edits, never two overlapping ones, and never a fix that leaves the file
with more syntax errors than it had (that fix is dropped, and said so)."""

from __future__ import annotations

import attrs

from gostatic.lint.finding import Edit, Finding
from gostatic.parse.syntax import parse


@attrs.define(repr=False)
class FixOutcome:
    source: bytes
    applied: list[Finding] = attrs.Factory(list)
    skipped_overlap: list[Finding] = attrs.Factory(list)
    rejected: list[Finding] = attrs.Factory(list)  # the result did not parse


def _error_count(source: bytes) -> int:
    tree = parse(source)
    if not tree.root_node.has_error:
        return 0
    count = 0
    stack = [tree.root_node]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            count += 1
        elif n.has_error:
            stack.extend(n.children)
    return count


def apply_edits(source: bytes, edits: list[Edit]) -> bytes:
    out = bytearray()
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out += source[pos : e.start]
        out += e.new_text.encode("utf-8")
        pos = e.end
    out += source[pos:]
    return bytes(out)


def _overlaps(a: list[Edit], b: list[Edit]) -> bool:
    for x in a:
        for y in b:
            if x == y:
                continue  # the same edit asked for twice (an added import): applied once
            if x.start < y.end and y.start < x.end:
                return True
            if x.start == x.end == y.start == y.end:
                return True  # two insertions at one point: order would be arbitrary
    return False


def fix_source(source: bytes, findings: list[Finding], unsafe: bool) -> FixOutcome:
    """Apply the fixes of `findings` (one file) one by one; each must keep the file parseable."""
    outcome = FixOutcome(source)
    chosen: list[Edit] = []
    baseline = _error_count(source)
    for f in sorted(findings, key=lambda f: (f.start_byte, f.code)):
        if f.fix is None or (not f.fix.safe and not unsafe):
            continue
        edits = list(f.fix.edits)
        if _overlaps(chosen, edits):
            outcome.skipped_overlap.append(f)
            continue
        candidate = apply_edits(source, chosen + [e for e in edits if e not in chosen])
        if _error_count(candidate) > baseline:
            outcome.rejected.append(f)
            continue
        chosen.extend(e for e in edits if e not in chosen)
        outcome.applied.append(f)
    outcome.source = apply_edits(source, chosen)
    return outcome


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    import difflib  # `--diff` only: not a start-up cost of every run

    a = before.decode("utf-8", "replace").splitlines(keepends=True)
    b = after.decode("utf-8", "replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(a, b, fromfile=f"a/{path}", tofile=f"b/{path}"))


def insert_line_after(source: bytes, stmt, code: str) -> Edit:  # type: ignore[no-untyped-def]
    """An edit that adds `code` as a new statement on the line after `stmt`, at `stmt`'s indentation,
    past any comment that trails `stmt` on its line (so `x := f() // note` keeps its note)."""
    line_start = source.rfind(b"\n", 0, stmt.start_byte) + 1
    prefix = source[line_start : stmt.start_byte]
    indent = prefix[: len(prefix) - len(prefix.lstrip(b" \t"))].decode()
    line_end = source.find(b"\n", stmt.end_byte)
    if line_end < 0:
        line_end = len(source)
    rest = source[stmt.end_byte : line_end].strip()
    at = line_end if rest == b"" or (rest.startswith(b"//") and b"\n" not in rest) else stmt.end_byte
    return Edit(at, at, f"\n{indent}{code}")

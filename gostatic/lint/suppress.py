"""Suppression comments, applied in one place after all rules ran:

    x := y //nolint:POOL002 // reason       (golangci-lint compatible; //nolint:gostatic, //nolint:all)
    //gostatic:ignore POOL002 reason        (line above, or same line; the reason is required)
    //gostatic:file-ignore RET001 reason    (anywhere in the file)

A comment alone on its line covers the whole statement or declaration that starts on the next line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs
import tree_sitter

from gostatic.lint.engine_rules import SuppressionWithoutReason, UnusedSuppression
from gostatic.lint.finding import Edit, Finding, Fix
from gostatic.parse.syntax import GO_LANGUAGE, Node

_DOTTED_I = re.compile(b"\xc4[\xb0\xb1]")  # U+0130, U+0131: letters `_NOLINT` matches as `i` without case
_NOLINT = re.compile(r"^//\s?nolint(?::([\w\-,. ]*?))?(?:\s*//.*)?\s*$", re.IGNORECASE)
_IGNORE = re.compile(r"^//\s?gostatic:(ignore|file-ignore)\b\s*([\w\-]+(?:\s*,\s*[\w\-]+)*)?\s*(.*)$")
_COMMENTS = tree_sitter.Query(GO_LANGUAGE, "(comment) @c")
ALL_MARKERS = {"all", "gostatic"}
AddFn = Callable[..., None]  # (meta, start_byte, end_byte, message, fix)


@attrs.define(repr=False)
class Suppression:
    comment: Node
    kind: str  # nolint | ignore | file-ignore
    tokens: tuple[str, ...]  # lower-cased codes or names; empty for a bare //nolint
    first_line: int
    last_line: int
    used: set[str] = attrs.Factory(set)

    def covers(self, f: Finding) -> bool:
        if self.kind != "file-ignore" and not (self.first_line <= f.start.line <= self.last_line):
            return False
        if not self.tokens:
            return True
        return bool(ALL_MARKERS & set(self.tokens)) or f.code.lower() in self.tokens or f.name in self.tokens


def find_suppressions(source: bytes, root: Node) -> tuple[list[Suppression], list[Node]]:
    """Suppressions in a file, and the gostatic:ignore comments rejected for lacking a reason."""
    lowered = source.lower()  # `nolint` in any case, as `_NOLINT` reads it (ASCII only: offsets unchanged)
    if b"nolint" not in lowered and b"gostatic:" not in source and not _DOTTED_I.search(source):
        return [], []
    out: list[Suppression] = []
    missing_reason: list[Node] = []
    for node in _marked_comments(source, root, lowered):
        body = (node.text or b"").decode("utf-8", "replace").strip()
        m = _NOLINT.match(body)
        if m:
            tokens = tuple(t.strip().lower() for t in (m.group(1) or "").split(",") if t.strip())
            first, last = _target_lines(node, source)
            out.append(Suppression(node, "nolint", tokens, first, last))
            continue
        m = _IGNORE.match(body)
        if m:
            kind, codes, reason = m.group(1), m.group(2), m.group(3).strip()
            if not codes or not reason:
                missing_reason.append(node)
                continue
            tokens = tuple(t.strip().lower() for t in codes.split(",") if t.strip())
            first, last = _target_lines(node, source)
            out.append(Suppression(node, kind, tokens, first, last))
    return out, missing_reason


def _marked_comments(source: bytes, root: Node, lowered: bytes | None = None) -> list[Node]:
    """The comments that may hold a suppression, in document order: those around the bytes `nolint` (in
    any case, as `_NOLINT` reads it) or `gostatic:`, found by a byte search and mapped to their nodes. A
    query over every comment of the file walked the whole tree again (~1 % of a run). Two non-ASCII
    letters match `i` without case (U+0130, U+0131): a file spelling either gets that query."""
    if _DOTTED_I.search(source):
        return tree_sitter.QueryCursor(_COMMENTS).captures(root).get("c", [])
    if lowered is None:
        lowered = source.lower()  # ASCII only: offsets unchanged
    found: dict[int, Node] = {}
    for marker in (b"nolint", b"gostatic:"):
        i = lowered.find(marker)
        while i >= 0:
            node = root.descendant_for_byte_range(i, i + len(marker))
            if node is not None and node.type == "comment":
                found.setdefault(node.start_byte, node)
            i = lowered.find(marker, i + len(marker))
    return [found[k] for k in sorted(found)]


def _target_lines(comment: Node, source: bytes) -> tuple[int, int]:
    line = comment.start_point[0] + 1
    line_start = source.rfind(b"\n", 0, comment.start_byte) + 1
    if source[line_start : comment.start_byte].strip():
        return line, line  # trailing comment: its own line
    nxt = comment.next_named_sibling
    while nxt is not None and nxt.type == "comment":
        nxt = nxt.next_named_sibling
    if nxt is None:
        return line + 1, line + 1
    # the statement or declaration starting on the next code line
    return nxt.start_point[0] + 1, nxt.end_point[0] + 1


def apply(
    findings: list[Finding],
    suppressions: list[Suppression],
    missing_reason: list[Node],
    enabled: frozenset[str],
    known: dict[str, str],
    add: AddFn,
    source: bytes,
) -> list[Finding]:
    """Drop suppressed findings; report unused suppressions (SUP001) and reasonless ones (SUP002)
    through `add`. `known` maps lower-cased codes and names of all loaded rules to their codes."""
    kept: list[Finding] = []
    for f in findings:
        hit = next((s for s in suppressions if s.covers(f)), None)
        if hit is None:
            kept.append(f)
        else:
            hit.used.add(f.code)
    for node in missing_reason:
        if SuppressionWithoutReason.meta.code in enabled:
            add(
                SuppressionWithoutReason.meta,
                node.start_byte,
                node.end_byte,
                "gostatic:ignore needs a reason after the codes (it is not applied without one); "
                "say why the finding does not apply",
                None,
            )
    if UnusedSuppression.meta.code not in enabled:
        return kept
    for s in suppressions:
        if "gostatic" in s.tokens:
            unused = set() if s.used else {"gostatic"}
        else:
            ours = {known[t] for t in s.tokens if t in known}
            unused = (ours & enabled) - s.used  # bare //nolint, :all and other linters' codes: not ours
        if not unused:
            continue
        fix = None
        if not s.used and all(t in known or t == "gostatic" for t in s.tokens):
            fix = Fix("remove the unused suppression", [_removal(s.comment, source)])
        names = ", ".join(sorted(unused))
        add(
            UnusedSuppression.meta,
            s.comment.start_byte,
            s.comment.end_byte,
            f"suppression of {names} matches no finding here; remove it so it cannot hide a future finding",
            fix,
        )
    return kept


def _removal(comment: Node, source: bytes) -> Edit:
    """Delete a trailing comment with the blanks before it, or a comment line with its newline."""
    start, end = comment.start_byte, comment.end_byte
    line_start = source.rfind(b"\n", 0, start) + 1
    if not source[line_start:start].strip():
        nl = source.find(b"\n", end)
        return Edit(line_start, len(source) if nl < 0 else nl + 1, "")
    while start > line_start and source[start - 1 : start] in (b" ", b"\t"):
        start -= 1
    return Edit(start, end, "")

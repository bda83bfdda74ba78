"""Hovers: the rule's `explain` page, on a rule code or name inside a suppression comment
(`//nolint:CODE`, `//gostatic:ignore CODE`, `//gostatic:file-ignore CODE`) or anywhere in a diagnostic's
range."""

from __future__ import annotations

import re

from lsprotocol import types

from gostatic.lint.explain import explain
from gostatic.lint.registry import find_rule
from gostatic.lint.rule import Rule
from gostatic.lsp.convert import LineTable, position_at
from gostatic.lsp.profiled import hover_text

_SUPPRESSION = re.compile(rb"//\s?(?:nolint:|gostatic:(?:file-)?ignore\s+)([\w\-]+(?:\s*,\s*[\w\-]+)*)", re.I)
_TOKEN = re.compile(rb"[\w\-]+")


def rule_in_suppression(
    table: LineTable, pos: types.Position, encoding: str, rules: list[type[Rule]]
) -> tuple[type[Rule], types.Range] | None:
    """The rule named by the suppression-comment token under `pos`, with that token's range."""
    if not 0 <= pos.line < len(table.starts):
        return None
    data = table.data
    start = table.starts[pos.line]
    end = data.find(b"\n", start)
    line = data[start : len(data) if end < 0 else end]
    offset = LineTable(line).offset(types.Position(line=0, character=pos.character), encoding)
    for m in _SUPPRESSION.finditer(line):
        for tok in _TOKEN.finditer(m.group(1)):
            a, b = m.start(1) + tok.start(), m.start(1) + tok.end()
            if a <= offset <= b:
                rule = find_rule(rules, tok.group(0).decode("utf-8", "replace"))
                if rule is None:
                    return None
                rng = types.Range(
                    position_at(data, start + a, encoding), position_at(data, start + b, encoding)
                )
                return rule, rng
    return None


def _inside(pos: types.Position, rng: types.Range) -> bool:
    p = (pos.line, pos.character)
    return (rng.start.line, rng.start.character) <= p <= (rng.end.line, rng.end.character)


def hover(
    table: LineTable,
    pos: types.Position,
    encoding: str,
    rules: list[type[Rule]],
    diagnostics: list[types.Diagnostic],
) -> types.Hover | None:
    hit = rule_in_suppression(table, pos, encoding, rules)
    if hit is not None:
        rule, rng = hit
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=explain(rule)), range=rng
        )
    pages: list[str] = []
    seen: set[str] = set()
    rng = None
    for d in diagnostics:
        if not _inside(pos, d.range) or not isinstance(d.code, str) or d.code in seen:
            continue
        rule = find_rule(rules, d.code)
        if rule is None:
            continue
        seen.add(d.code)
        pages.append(explain(rule))
        rng = rng or d.range
    for d in diagnostics:  # the profile's numbers for this place, before the rules' pages
        note = hover_text(d) if _inside(pos, d.range) else None
        if note is not None:
            pages.insert(0, note)
            rng = rng or d.range
            break
    if not pages:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n---\n\n".join(pages)), range=rng
    )

"""`--format rdjson` / `rdjsonl`: reviewdog's Diagnostic Format.

rdjson is one `DiagnosticResult` object; rdjsonl is one self-contained `Diagnostic` per line (for
streaming). Positions are 1-based lines and 1-based UTF-8 byte columns with an exclusive end, exactly
what reviewdog's Position documents and what gostatic reports natively, so nothing is converted. Fixes
become `suggestions`, which reviewdog's review reporters turn into suggested changes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from gostatic.lint.explain import code_url
from gostatic.lint.finding import Finding, Severity
from gostatic.parse.positions import LineIndex, LineIndexes

SOURCE = {"name": "gostatic", "url": "https://github.com/gostatic/gostatic"}
SEVERITIES = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}


def _position(line: int, column: int) -> dict:
    return {"line": line, "column": column}


def diagnostic(f: Finding, lines: LineIndex | None, with_source: bool = False) -> dict:
    d: dict = {
        "message": f.message,
        "location": {
            "path": f.path,
            "range": {
                "start": _position(f.start.line, f.start.column),
                "end": _position(f.end.line, f.end.column),
            },
        },
        "severity": SEVERITIES[f.severity],
        "code": {"value": f.code, "url": code_url(f.code)},
    }
    if with_source:
        d["source"] = SOURCE
    if f.fix is not None and lines is not None and lines.source:
        suggestions = []
        for e in sorted(f.fix.edits, key=lambda e: (e.start, e.end)):
            s, t = lines.position(e.start), lines.position(e.end)
            suggestions.append(
                {
                    "range": {"start": _position(s.line, s.column), "end": _position(t.line, t.column)},
                    "text": e.new_text,
                }
            )
        d["suggestions"] = suggestions
    d["original_output"] = f"{f.path}:{f.start.line}:{f.start.column}: {f.code} [{f.name}] {f.message}"
    return d


def render(findings: Sequence[Finding], sources: Mapping[str, bytes]) -> str:
    idx = LineIndexes(sources)
    result = {"source": SOURCE, "diagnostics": [diagnostic(f, idx.get(f.path)) for f in findings]}
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def render_lines(findings: Sequence[Finding], sources: Mapping[str, bytes]) -> str:
    idx = LineIndexes(sources)
    return "".join(
        json.dumps(diagnostic(f, idx.get(f.path), with_source=True), ensure_ascii=False) + "\n"
        for f in findings
    )

"""`--format json`: the array of findings described in interfaces.md."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from gostatic.lint.finding import Finding, Fix, Position, Severity
from gostatic.parse.positions import LineIndex, LineIndexes

if TYPE_CHECKING:
    from gostatic.impact.rank import FindingProfile


def finding_to_dict(f: Finding, lines: LineIndex | None = None) -> dict:
    fix = None
    if f.fix is not None:
        edits = []
        for e in f.fix.edits:
            s = lines.position(e.start) if lines else None
            t = lines.position(e.end) if lines else None
            edits.append(
                {
                    "line": s.line if s else None,
                    "column": s.column if s else None,
                    "end_line": t.line if t else None,
                    "end_column": t.column if t else None,
                    "new_text": e.new_text,
                }
            )
        fix = {"description": f.fix.description, "safe": f.fix.safe, "edits": edits}
    return {
        "path": f.path,
        "line": f.start.line,
        "column": f.start.column,
        "end_line": f.end.line,
        "end_column": f.end.column,
        "code": f.code,
        "name": f.name,
        "severity": f.severity.value,
        "message": f.message,
        "fix": fix,
    }


def render(
    findings: list[Finding],
    sources: Mapping[str, bytes],
    notes: Mapping[Finding, FindingProfile] | None = None,
) -> str:
    """The JSON array; with `notes` (a profile ranks the run), a finding in sampled code also gets a
    `profile` object with its shares (absent otherwise, so output without a profile is unchanged)."""
    indexes = LineIndexes(sources)  # only files whose fixes need positions are read
    out = []
    for f in findings:
        d = finding_to_dict(f, indexes.get(f.path) if f.fix else None)
        note = notes.get(f) if notes is not None else None
        if note is not None:
            d["profile"] = note.to_json()
        out.append(d)
    return json.dumps(out, indent=2) + "\n"


def finding_from_dict(d: Mapping) -> Finding:  # type: ignore[type-arg]
    """A finding read back from a JSON report (for `merge --format text|github`). Byte offsets and fix
    edits are not in the report: the fix keeps only its description and safety (the `[*]` mark)."""
    fix = d.get("fix")
    return Finding(
        path=str(d.get("path", "")),
        start=Position(int(d.get("line") or 1), int(d.get("column") or 1)),
        end=Position(
            int(d.get("end_line") or d.get("line") or 1), int(d.get("end_column") or d.get("column") or 1)
        ),
        start_byte=0,
        end_byte=0,
        code=str(d.get("code", "")),
        name=str(d.get("name", "")),
        severity=Severity.parse(str(d.get("severity", "warning"))),
        message=str(d.get("message", "")),
        fix=Fix(str(fix.get("description", "")), (), safe=bool(fix.get("safe")))
        if isinstance(fix, dict)
        else None,
    )


def sarif_levels(log: Mapping) -> list[Severity]:  # type: ignore[type-arg]
    """The severity of every result of a SARIF log (`note` is gostatic's `info`)."""
    levels = {"error": Severity.ERROR, "warning": Severity.WARNING, "note": Severity.INFO}
    return [
        levels.get(str(r.get("level", "warning")), Severity.WARNING)
        for run in log.get("runs", [])
        for r in run.get("results", [])
    ]

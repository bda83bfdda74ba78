"""`--format github`: GitHub Actions workflow commands, which the runner turns into annotations on the
pull request's files.

`::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message`, one per finding; `info` findings
become `notice`. Paths are relative to the repository root (the checkout GitHub resolves them against).
Property values escape `% \\r \\n : ,`; the message escapes `% \\r \\n`. GitHub only accepts columns on a
single-line range, so a multi-line finding carries lines only. GitHub shows at most 10 annotations of each
level per step (the rest stay in the log); a leading notice says how many of each level it will hide.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from gostatic.lint.finding import Finding, Severity
from gostatic.parse.positions import LineIndex, LineIndexes
from gostatic.run.repo import absolute, relative_to_root

ANNOTATION_LIMIT = 10  # per level, per step
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding, path: str, lines: LineIndex | None) -> str:
    props = [("file", path), ("line", str(f.start.line))]
    if f.end.line == f.start.line:
        col, end_col = f.start.column, f.end.column
        if lines is not None and lines.source:
            # Columns in characters (UTF-16 units, as GitHub's UI counts), not bytes.
            col = lines.utf16_column(f.start.line, f.start.column) + 1
            end_col = lines.utf16_column(f.end.line, f.end.column) + 1
        props += [("col", str(col)), ("endLine", str(f.end.line)), ("endColumn", str(end_col))]
    else:
        props.append(("endLine", str(f.end.line)))
    props.append(("title", f"{f.code} {f.name}"))
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMANDS[f.severity]} {head}::{escape_data(f.message)}"


def overflow_notice(findings: Sequence[Finding]) -> str | None:
    counts = Counter(COMMANDS[f.severity] for f in findings)
    hidden = [(level, n - ANNOTATION_LIMIT) for level, n in counts.items() if n > ANNOTATION_LIMIT]
    if not hidden:
        return None
    order = {"error": 0, "warning": 1, "notice": 2}
    parts = [f"{n} {level}{'s' if n != 1 else ''}" for level, n in sorted(hidden, key=lambda h: order[h[0]])]
    text = (
        f"GitHub shows at most {ANNOTATION_LIMIT} annotations per level in a step: "
        f"{', '.join(parts)} of gostatic's {len(findings)} findings are not annotated; all of them are in "
        "this step's log (upload --format sarif to code scanning to see every one on the pull request)"
    )
    return f"::notice title={escape_property('gostatic')}::{escape_data(text)}"


def render(findings: Sequence[Finding], sources: Mapping[str, bytes], root: Path) -> str:
    indexes = LineIndexes(sources)
    out = []
    note = overflow_notice(findings)
    if note is not None:
        out.append(note)  # first, so that it is itself among the notices GitHub shows
    for f in findings:
        path = relative_to_root(f.path, root) or absolute(f.path).as_posix()
        out.append(annotation(f, path, indexes.get(f.path)))
    return "".join(line + "\n" for line in out)

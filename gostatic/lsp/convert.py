"""Positions between gostatic (byte offsets into the analysed bytes) and LSP (0-based line, character in
the negotiated encoding: UTF-16 code units by default, UTF-8 bytes or UTF-32 code points when the client
asked for them), and findings to diagnostics.

Everything here works on the exact bytes a result was computed from, so a range never drifts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from gostatic.lint.finding import Edit, Finding, Position, Severity

if TYPE_CHECKING:  # the rule machinery imports the analysis: loaded after `initialize` is answered
    from gostatic.lint.rule import Rule

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
SOURCE = "gostatic"
FIX_ALL = "source.fixAll.gostatic"  # the code action kind of "fix all of gostatic's findings"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def encoding_name(kind: object) -> str:
    """Normalise pygls' negotiated PositionEncodingKind (enum or str) to utf-8 / utf-16 / utf-32."""
    value = getattr(kind, "value", kind)
    return value if value in (UTF8, UTF32) else UTF16


def _units(prefix: bytes, encoding: str) -> int:
    """Length of a line prefix (UTF-8 bytes) in the code units of `encoding`."""
    if encoding == UTF8 or prefix.isascii():
        return len(prefix)
    decoded = prefix.decode("utf-8", "replace")
    if encoding == UTF32:
        return len(decoded)
    return len(decoded.encode("utf-16-le")) // 2


def _bytes_for(line: bytes, units: int, encoding: str) -> int:
    """Byte length of the prefix of `line` that spans `units` code units (clamped to the line)."""
    if encoding == UTF8:
        return min(units, len(line))
    if line.isascii():
        return min(units, len(line))
    decoded = line.decode("utf-8", "replace")
    if encoding == UTF32:
        return len(decoded[:units].encode("utf-8"))
    count = 0
    for i, ch in enumerate(decoded):
        if count >= units:
            return len(decoded[:i].encode("utf-8"))
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(line)


def position_at(data: bytes, offset: int, encoding: str) -> types.Position:
    """LSP position of byte `offset` in `data`."""
    offset = max(0, min(offset, len(data)))
    line = data.count(b"\n", 0, offset)
    start = data.rfind(b"\n", 0, offset) + 1
    return types.Position(line=line, character=_units(data[start:offset], encoding))


def range_of(data: bytes, start: int, end: int, encoding: str) -> types.Range:
    return types.Range(start=position_at(data, start, encoding), end=position_at(data, end, encoding))


class LineTable:
    """Start offsets of every line of one buffer, for turning client positions into byte offsets."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        starts = [0]
        find = data.find
        i = find(b"\n")
        while i >= 0:
            starts.append(i + 1)
            i = find(b"\n", i + 1)
        self.starts = starts

    def offset(self, pos: types.Position, encoding: str) -> int:
        """Byte offset of an LSP position; positions past a line's end or the last line are clamped."""
        if pos.line >= len(self.starts):
            return len(self.data)
        start = self.starts[pos.line]
        end = self.starts[pos.line + 1] - 1 if pos.line + 1 < len(self.starts) else len(self.data)
        line = self.data[start:end]
        if line.endswith(b"\r"):
            line = line[:-1]
        return start + _bytes_for(line, max(0, pos.character), encoding)

    def splice(self, start: int, end: int, new: bytes) -> None:
        """Replace bytes [start, end) with `new`, updating the line table in place (cheaper than a
        rebuild on a 100k-line buffer: only the tail's offsets shift)."""
        import bisect

        data = self.data
        first = bisect.bisect_right(self.starts, start)  # first line start after `start`
        last = bisect.bisect_right(self.starts, end)  # first line start after `end`
        delta = len(new) - (end - start)
        inserted = []
        i = new.find(b"\n")
        while i >= 0:
            inserted.append(start + i + 1)
            i = new.find(b"\n", i + 1)
        tail = self.starts[last:]
        if delta:
            tail = [s + delta for s in tail]
        self.starts[first:] = inserted + tail
        self.data = data[:start] + new + data[end:]


def is_deletion(finding: Finding) -> bool:
    """The fix only removes code: the client may render the range as unnecessary (faded)."""
    return (
        finding.fix is not None
        and bool(finding.fix.edits)
        and all(e.new_text == "" for e in finding.fix.edits)
    )


def _finding_position(data: bytes, offset: int, pos: Position, encoding: str) -> types.Position:
    """A finding already knows its line and byte column: no scan from the start of a large buffer."""
    line_start = max(0, offset - (pos.column - 1))
    return types.Position(line=pos.line - 1, character=_units(data[line_start:offset], encoding))


def finding_range(finding: Finding, data: bytes, encoding: str) -> types.Range:
    return types.Range(
        start=_finding_position(data, finding.start_byte, finding.start, encoding),
        end=_finding_position(data, finding.end_byte, finding.end, encoding),
    )


def to_diagnostic(finding: Finding, data: bytes, encoding: str, rule: type[Rule] | None) -> types.Diagnostic:
    from gostatic.lint.explain import doc_url  # loaded with the rules, by then

    return types.Diagnostic(
        range=finding_range(finding, data, encoding),
        severity=_SEVERITY[finding.severity],
        code=finding.code,
        code_description=types.CodeDescription(href=doc_url(rule)) if rule is not None else None,
        source=SOURCE,
        message=finding.message,
        tags=[types.DiagnosticTag.Unnecessary] if is_deletion(finding) else None,
    )


def text_edit(edit: Edit, data: bytes, encoding: str) -> types.TextEdit:
    return types.TextEdit(range=range_of(data, edit.start, edit.end, encoding), new_text=edit.new_text)

"""The LSP quick run's reuse of findings on large files (gostatic/lsp/incremental.py), in process: which
edits are re-analysed in part, and that every result equals a whole analysis of the same text."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lsp import large_go

from gostatic.lsp import analysis
from gostatic.lsp.analysis import Analyzer, Snapshot
from gostatic.lsp.settings import Settings

GO_MOD = "module example.com/ws\n\ngo 1.27\n"


def findings(result, uri: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    return sorted(
        (f.code, f.start_byte, f.end_byte, f.start, f.end, f.message, f.fix)
        for f in result.files[uri].findings
    )


@pytest.fixture
def spans(monkeypatch) -> list:  # type: ignore[no-untyped-def]
    """The spans the quick runs re-analysed (None: the whole file)."""
    seen: list = []
    real = analysis.partial_run

    def spy(*args):  # type: ignore[no-untyped-def]
        part = real(*args)
        seen.append(None if part is None else part.span)
        return part

    monkeypatch.setattr(analysis, "partial_run", spy)
    return seen


def test_edits_reuse_findings_and_match_a_whole_analysis(tmp_path: Path, spans: list) -> None:
    (tmp_path / "go.mod").write_text(GO_MOD)
    path = tmp_path / "big.go"
    text = large_go().encode()
    path.write_bytes(text)
    uri = path.as_uri()
    analyzer = Analyzer()
    analyzer.analyze(tmp_path, [Snapshot(uri, str(path), 1, text)], Settings())

    steps = [
        # (bytes replaced, by, re-analysed in part?)
        (b"\t5000,\n", b"\t5000,\n\t// a note\n", True),  # in the table's elements
        (b"\t\tdefer f.Close()\n", b"\t\tf.Close()\n", True),  # in a function body
        (b'return errors.New("failed")', b'return errors.New("fail")', True),
        (b"\tcancel()\n\treturn do(ctx)\n}\n\nvar", b"\treturn do(ctx)\n}\n\nvar", True),
        (b"\t\tf.Close()\n", b"\t\tdefer f.Close()\n", True),
        (b"func early(ctx context.Context, fail bool)", b"func early(ctx context.Context, ok bool)", False),
        (b"var table = [...]int{", b"var table = []int{", False),  # a declared type
        (b'\t"os"\n', b'\t"os"\n\t"io"\n', False),  # the imports
        (b"", b"", True),  # the same text again: nothing to visit
    ]
    for version, (old, new, partial) in enumerate(steps, start=2):
        assert text.count(old) == 1 or old == b"", old
        text = text.replace(old, new) if old else text
        spans.clear()
        result = analyzer.analyze(tmp_path, [Snapshot(uri, str(path), version, text)], Settings())
        fresh = Analyzer().analyze(tmp_path, [Snapshot(uri, str(path), version, text)], Settings())
        assert findings(result, uri) == findings(fresh, uri), version
        if not old:
            assert spans == [], "an unchanged text needs no new span"
            continue
        assert len(spans) == 1 and (spans[0] is not None) == partial, (version, spans)
        if partial:
            lo, hi = spans[0]
            assert hi - lo < len(text) // 10, "a small edit re-analyses a small part"

"""Stable identities for findings that survive edits elsewhere in the file.

A finding is identified by its rule code, its repository-relative path, the normalized text of its start
line (whitespace collapsed, so re-indenting or gofmt re-alignment does not matter) and its occurrence
index among findings of the same code on identical lines of that file. Line numbers are left out on
purpose: adding a function above a finding must not make it look new. The baseline and SARIF's
`partialFingerprints` both use this one definition.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from gostatic.lint.finding import Finding
from gostatic.parse.positions import LineIndexes


def normalized_line(text: bytes) -> str:
    return " ".join(text.decode("utf-8", "replace").split())


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


class Fingerprinter:
    """Computes identities for findings of one run; `sources` maps a finding's path to its bytes."""

    def __init__(self, sources: Mapping[str, bytes]) -> None:
        self._indexes = LineIndexes(sources)

    def line_text(self, f: Finding) -> str:
        idx = self._indexes.get(f.path)
        return normalized_line(idx.line_text(f.start.line)) if idx is not None else ""

    def identities(self, findings: Sequence[Finding], paths: Sequence[str]) -> list[tuple[str, int]]:
        """(line hash, 0-based occurrence index) for each finding, in the order given. `paths` are the
        stable (repository-relative) paths of the findings, aligned with them."""
        order = sorted(
            range(len(findings)), key=lambda i: (paths[i], findings[i].start_byte, findings[i].code)
        )
        seen: dict[tuple[str, str, str], int] = {}
        out: list[tuple[str, int]] = [("", 0)] * len(findings)
        for i in order:
            f = findings[i]
            h = _digest(self.line_text(f))[:16]
            key = (f.code, paths[i], h)
            n = seen.get(key, 0)
            seen[key] = n + 1
            out[i] = (h, n)
        return out

    def fingerprints(self, findings: Sequence[Finding], paths: Sequence[str]) -> list[str]:
        """The baseline identity of each finding: code + path + line text + occurrence index."""
        return [
            _digest(f.code, p, h, str(n))[:32]
            for f, p, (h, n) in zip(findings, paths, self.identities(findings, paths), strict=True)
        ]

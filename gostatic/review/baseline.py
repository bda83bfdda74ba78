"""Baselines: adopt gostatic on a large codebase without fixing every old finding first.

`gostatic baseline -o FILE` records today's findings by fingerprint (see fingerprint.py: code, repository-
relative path, normalized line text, occurrence index); `check --baseline FILE` hides the recorded ones and
reports only new ones. An entry that no longer matches anything in the files analysed is stale (the
finding was fixed, or its line was edited): stale entries are counted so the file can be refreshed.
The file is sorted JSON with the line and message of each entry, so that it reviews well in a diff.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from gostatic import __version__
from gostatic.lint.finding import Finding
from gostatic.review.fingerprint import Fingerprinter
from gostatic.run.repo import absolute, relative_to_root

FORMAT_VERSION = 1


class BaselineError(Exception):
    """An unreadable or malformed baseline file: a usage error (exit 2)."""


@attrs.frozen
class Outcome:
    kept: list[Finding]
    hidden: int
    stale: int


def _stable_paths(findings: Sequence[Finding], root: Path) -> list[str]:
    return [relative_to_root(f.path, root) or absolute(f.path).as_posix() for f in findings]


def document(findings: Sequence[Finding], sources: Mapping[str, bytes], root: Path) -> dict:
    paths = _stable_paths(findings, root)
    prints = Fingerprinter(sources).fingerprints(findings, paths)
    entries = [
        {"fingerprint": fp, "code": f.code, "path": p, "line": f.start.line, "message": f.message}
        for f, p, fp in zip(findings, paths, prints, strict=True)
    ]
    entries.sort(key=lambda e: (e["path"], e["line"], e["code"], e["fingerprint"]))
    return {
        "tool": "gostatic",
        "format": FORMAT_VERSION,
        "gostatic_version": __version__,
        "comment": "Findings hidden by `gostatic check --baseline`; `line` and `message` are informational.",
        "findings": entries,
    }


def write(path: Path, findings: Sequence[Finding], sources: Mapping[str, bytes], root: Path) -> int:
    doc = document(findings, sources, root)
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(doc["findings"])


def load(path: Path) -> list[dict]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"--baseline: cannot read {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise BaselineError(f"--baseline: {path} is not JSON: {exc}") from exc
    if (
        not isinstance(doc, dict)
        or doc.get("tool") != "gostatic"
        or not isinstance(doc.get("findings"), list)
    ):
        raise BaselineError(
            f"--baseline: {path} is not a gostatic baseline (write one with `gostatic baseline`)"
        )
    if doc.get("format") != FORMAT_VERSION:
        raise BaselineError(
            f"--baseline: {path} has format {doc.get('format')!r}, this gostatic reads {FORMAT_VERSION}; "
            "re-record it with `gostatic baseline`"
        )
    entries = doc["findings"]
    for i, e in enumerate(entries):
        if not (
            isinstance(e, dict) and isinstance(e.get("fingerprint"), str) and isinstance(e.get("path"), str)
        ):
            raise BaselineError(f"--baseline: {path}: entry {i} lacks a fingerprint or a path")
    return entries


def apply(
    entries: Sequence[dict],
    findings: Sequence[Finding],
    sources: Mapping[str, bytes],
    root: Path,
    analysed: Iterable[str],
) -> Outcome:
    """Hide findings recorded in `entries`. `analysed` are the display paths of the files this run reported
    on: only entries for those files (or for files that no longer exist) can be stale."""
    paths = _stable_paths(findings, root)
    prints = Fingerprinter(sources).fingerprints(findings, paths)
    recorded = {e["fingerprint"] for e in entries}
    kept = [f for f, fp in zip(findings, prints, strict=True) if fp not in recorded]
    matched = set(prints) & recorded
    in_scope = {relative_to_root(p, root) or absolute(p).as_posix() for p in analysed}

    def gone(rel: str) -> bool:
        return not (root / rel).exists()

    stale = sum(
        1 for e in entries if e["fingerprint"] not in matched and (e["path"] in in_scope or gone(e["path"]))
    )
    return Outcome(kept=kept, hidden=len(findings) - len(kept), stale=stale)


def summary(outcome: Outcome, baseline_path: str) -> str | None:
    parts = []
    if outcome.hidden:
        parts.append(f"{outcome.hidden} finding{'s' if outcome.hidden != 1 else ''} hidden by the baseline")
    if outcome.stale:
        parts.append(
            f"{outcome.stale} baseline {'entries no longer match' if outcome.stale != 1 else 'entry no longer matches'} (fixed or "
            f"edited): refresh with `gostatic baseline -o {baseline_path}`"
        )
    return "; ".join(parts) + "." if parts else None

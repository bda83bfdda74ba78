"""`--format sarif`: one SARIF 2.1.0 log for GitHub code scanning and other SARIF consumers.

The driver lists every loaded rule (not only those that fired) so that a consumer can show the rule's
documentation for any alert; results point into it with `ruleIndex`. Columns are UTF-16 code units
(`columnKind: utf16CodeUnits`, what GitHub expects), converted from gostatic's byte columns. Paths are
relative to the repository root under `%SRCROOT%`, so logs from different working directories or
`--shard`s of one repository merge cleanly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from gostatic import __version__
from gostatic.lint.explain import doc_section, doc_url, explain
from gostatic.lint.finding import Finding, Severity
from gostatic.lint.rule import Rule
from gostatic.parse.positions import LineIndexes
from gostatic.review.fingerprint import Fingerprinter
from gostatic.run.repo import absolute, relative_to_root

if TYPE_CHECKING:
    from gostatic.impact.rank import FindingProfile

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/gostatic/gostatic"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def rule_descriptor(rule: type[Rule]) -> dict:
    m = rule.meta
    url = doc_url(rule)
    page = explain(rule).rstrip("\n")
    tags = ["memory", m.family.lower()]
    if m.hot_only:
        tags.append("hot-path")
    if m.fix:
        tags.append(f"fix-{m.fix}")
    return {
        "id": m.code,
        "name": m.name,
        "shortDescription": {"text": m.summary},
        "fullDescription": {"text": doc_section(rule, "What it finds") or m.summary},
        "help": {
            "text": f"{page}\n\nDocumentation: {url}\n",
            "markdown": f"{page}\n\n[Documentation]({url})\n",
        },
        "helpUri": url,
        "defaultConfiguration": {"level": LEVELS[m.severity], "enabled": m.default_on},
        "properties": {"tags": tags},
    }


def _fallback_descriptor(f: Finding) -> dict:
    """A rule that fired but is not in the list given (a plugin loaded by a nested configuration)."""
    return {
        "id": f.code,
        "name": f.name,
        "shortDescription": {"text": f.name.replace("-", " ")},
        "defaultConfiguration": {"level": LEVELS[f.severity]},
    }


class _Locator:
    """Converts a finding's path and byte positions into SARIF artifact locations and regions."""

    def __init__(self, sources: Mapping[str, bytes], root: Path) -> None:
        self.root = root
        self.indexes = LineIndexes(sources)

    def stable_path(self, path: str) -> str:
        return relative_to_root(path, self.root) or absolute(path).as_posix()

    def artifact(self, path: str) -> dict:
        rel = relative_to_root(path, self.root)
        if rel is None:
            return {"uri": absolute(path).as_uri()}
        return {"uri": quote(rel, safe="/"), "uriBaseId": SRCROOT}

    def region(self, path: str, start_byte: int, end_byte: int, fallback: Finding | None = None) -> dict:
        idx = self.indexes.get(path)
        if idx is None or not idx.source:
            if fallback is None:
                return {"startLine": 1, "startColumn": 1}
            s, e = fallback.start, fallback.end
            return {"startLine": s.line, "startColumn": s.column, "endLine": e.line, "endColumn": e.column}
        s, e = idx.position(start_byte), idx.position(end_byte)
        return {
            "startLine": s.line,
            "startColumn": idx.utf16_column(s.line, s.column) + 1,
            "endLine": e.line,
            "endColumn": idx.utf16_column(e.line, e.column) + 1,
        }


def _fix(f: Finding, loc: _Locator) -> dict:
    assert f.fix is not None
    replacements = [
        {
            "deletedRegion": loc.region(f.path, e.start, e.end),
            "insertedContent": {"text": e.new_text},
        }
        for e in sorted(f.fix.edits, key=lambda e: (e.start, e.end))
    ]
    return {
        "description": {"text": f.fix.description},
        "artifactChanges": [{"artifactLocation": loc.artifact(f.path), "replacements": replacements}],
        "properties": {"safety": "safe" if f.fix.safe else "unsafe"},
    }


def build(
    findings: Sequence[Finding],
    sources: Mapping[str, bytes],
    rules: Sequence[type[Rule]],
    root: Path,
    errors: Sequence[str] = (),
    notes: Mapping[Finding, FindingProfile] | None = None,
) -> dict:
    """The SARIF log as a JSON-ready dict. With `notes` (a profile ranks the run), each result gets a
    `rank` (its share of the profile, 0-100; 0 when the profile never sampled its code) and the profile's
    numbers in its property bag."""
    loc = _Locator(sources, root)
    descriptors = [rule_descriptor(r) for r in sorted(rules, key=lambda r: r.meta.code)]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    paths = [loc.stable_path(f.path) for f in findings]
    identities = Fingerprinter(sources).identities(findings, paths)
    results = []
    for f, (line_hash, occurrence) in zip(findings, identities, strict=True):
        if f.code not in index:
            index[f.code] = len(descriptors)
            descriptors.append(_fallback_descriptor(f))
        result: dict = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVELS[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": loc.artifact(f.path),
                        "region": loc.region(f.path, f.start_byte, f.end_byte, fallback=f),
                    }
                }
            ],
            "partialFingerprints": {"primaryLocationLineHash": f"{line_hash}:{occurrence + 1}"},
        }
        if f.fix is not None:
            result["fixes"] = [_fix(f, loc)]
        if notes is not None:
            note = notes.get(f)
            result["rank"] = round(min(100.0, note.share * 100), 3) if note is not None else 0.0
            if note is not None:
                result["properties"] = {"profile": note.to_json()}
        results.append(result)
    run: dict = {
        "tool": {
            "driver": {
                "name": "gostatic",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "invocations": [
            {
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": e}} for e in dict.fromkeys(errors)
                ],
            }
        ],
        "originalUriBaseIds": {SRCROOT: {"uri": root.absolute().as_uri().rstrip("/") + "/"}},
        "columnKind": "utf16CodeUnits",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(
    findings: Sequence[Finding],
    sources: Mapping[str, bytes],
    rules: Sequence[type[Rule]],
    root: Path,
    errors: Sequence[str] = (),
    notes: Mapping[Finding, FindingProfile] | None = None,
) -> str:
    return (
        json.dumps(build(findings, sources, rules, root, errors, notes), indent=2, ensure_ascii=False) + "\n"
    )

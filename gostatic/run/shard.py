"""`--shard K/N`: spread one tree over N CI jobs, and merge their reports back into one.

A package goes to shard `1 + blake2b(package path) mod N`, the path being the package directory as
reported (relative to the working directory, "/" separators). The split is stable: the same package
lands in the same shard on every machine and every run, adding or removing a package moves no other
package, and every package is in exactly one shard, so the union of the N shards' findings is the
findings of a full run. (A hash balances the work only statistically; with many packages it is even
enough, and it never reshuffles what a cache in a CI job holds.)

Merging (`gostatic merge -o all.json shard-*.json`, or `all.sarif` from `*.sarif`): JSON reports are
arrays of findings, concatenated and sorted as a single run sorts them; SARIF logs keep one run, the
rules of all inputs (by id) and all results, sorted by location. The same in a few lines of jq:

    jq -s 'add | sort_by(.path, .line, .column, .code, .message)' shard-*.json > all.json
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class ShardError(ValueError):
    pass


def parse(spec: str) -> tuple[int, int]:
    """`2/4` -> (2, 4); K counts from 1."""
    m = _SPEC.match(spec)
    if not m:
        raise ShardError(f"--shard {spec!r}: expected K/N, e.g. 1/4")
    k, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= k <= n:
        raise ShardError(f"--shard {spec!r}: K must be between 1 and N (N >= 1)")
    return k, n


def shard_of(package_path: str, n: int) -> int:
    """The shard (1-based) a package directory belongs to."""
    digest = hashlib.blake2b(package_path.encode("utf-8"), digest_size=8).digest()
    return 1 + int.from_bytes(digest, "big") % n


def package_path(job) -> str:  # type: ignore[no-untyped-def]  # package.PackageJob
    from gostatic.run.package import display_path

    return display_path(Path(job.directory))


def select(jobs: Sequence, k: int, n: int) -> list:  # type: ignore[type-arg]
    return [j for j in jobs if shard_of(package_path(j), n) == k]


# ---------------------------------------------------------------------------------------------- merging
def _json_key(f: dict) -> tuple:  # type: ignore[type-arg]
    return (f.get("path", ""), f.get("line", 0), f.get("column", 0), f.get("code", ""), f.get("message", ""))


def _identity(item: object) -> str:
    """A finding's (or SARIF result's) whole content as a key: the same shard merged twice, or two
    inputs that overlap, must not report a finding twice."""
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def _unique(items: list) -> list:  # type: ignore[type-arg]
    seen: set[str] = set()
    out = []
    for item in items:
        key = _identity(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def merge_json(docs: Sequence[list]) -> list:  # type: ignore[type-arg]
    out = _unique([f for doc in docs for f in doc])
    out.sort(key=_json_key)
    return out


def _sarif_key(r: dict) -> tuple:  # type: ignore[type-arg]
    try:
        loc = r["locations"][0]["physicalLocation"]
        region = loc.get("region", {})
        where = (loc["artifactLocation"]["uri"], region.get("startLine", 0), region.get("startColumn", 0))
    except (KeyError, IndexError, TypeError):
        where = ("", 0, 0)
    return (*where, r.get("ruleId", ""), r.get("message", {}).get("text", ""))


def merge_sarif(docs: Sequence[dict]) -> dict:  # type: ignore[type-arg]
    """One SARIF log with one run: the first input's tool and properties, the union of the rules, all
    results (ruleIndex renumbered against the merged rule list)."""
    if not docs:
        raise ShardError("merge: no SARIF inputs")
    base = json.loads(json.dumps(docs[0]))
    runs = [run for doc in docs for run in doc.get("runs", [])]
    if not runs:
        return base
    run = base["runs"][0]
    driver = run.setdefault("tool", {}).setdefault("driver", {})
    rules: dict[str, dict] = {}  # type: ignore[type-arg]
    for r in runs:
        for rule in r.get("tool", {}).get("driver", {}).get("rules", []):
            rules.setdefault(rule.get("id", ""), rule)
    ordered = [rules[k] for k in sorted(rules)]
    index = {rule.get("id", ""): i for i, rule in enumerate(ordered)}
    results = []
    for r in runs:
        for res in r.get("results", []):
            res = dict(res)
            if "ruleIndex" in res and res.get("ruleId") in index:
                res["ruleIndex"] = index[res["ruleId"]]
            results.append(res)
    results = _unique(results)
    results.sort(key=_sarif_key)
    if ordered:
        driver["rules"] = ordered
    run["results"] = results
    invocations = [inv for r in runs for inv in r.get("invocations", [])]
    if invocations:
        notes = [n for inv in invocations for n in inv.get("toolExecutionNotifications", [])]
        run["invocations"] = [
            {
                "executionSuccessful": all(inv.get("executionSuccessful", True) for inv in invocations),
                "toolExecutionNotifications": notes,
            }
        ]
    base["runs"] = [run]
    return base


def load_reports(paths: Sequence[str]) -> list:  # type: ignore[type-arg]
    """The parsed reports, each checked to be a gostatic JSON report (an array of findings) or a SARIF
    log; anything else is named with what it is instead of a raw decoder message."""
    docs = []
    for p in paths:
        try:
            raw = Path(p).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ShardError(f"merge: {p}: no such file") from None
        except IsADirectoryError:
            raise ShardError(f"merge: {p}: is a directory, not a report file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ShardError(f"merge: {p}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
        try:
            doc = json.loads(raw)
        except ValueError:
            raise ShardError(
                f"merge: {p}: not a JSON or SARIF report (write one with "
                "`gostatic check --format json` or `--format sarif`)"
            ) from None
        if (
            isinstance(doc, list) and all(isinstance(f, dict) and "path" in f and "code" in f for f in doc)
        ) or (isinstance(doc, dict) and isinstance(doc.get("runs"), list)):
            docs.append(doc)
        else:
            raise ShardError(f"merge: {p}: JSON, but neither a gostatic JSON report nor a SARIF log")
    return docs


def merge_docs(docs: Sequence) -> list | dict:  # type: ignore[type-arg]
    """Merge parsed reports (all JSON arrays, or all SARIF logs) into one report of the same kind."""
    if all(isinstance(d, list) for d in docs):
        return merge_json(docs)
    if all(isinstance(d, dict) for d in docs):
        return merge_sarif(docs)
    raise ShardError("merge: inputs must all be JSON reports (--format json) or all SARIF logs")


def merge_files(paths: Sequence[str]) -> str:
    """Merge report files (all JSON arrays, or all SARIF logs) into the text of one report."""
    merged = merge_docs(load_reports(paths))
    if isinstance(merged, list):
        return json.dumps(merged, indent=2) + "\n"
    return json.dumps(merged, indent=2, ensure_ascii=False) + "\n"

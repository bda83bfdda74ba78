"""Baselines: `gostatic baseline -o FILE` records today's findings; `check --baseline FILE` hides them
even after edits elsewhere in the file (lines move, code is re-indented), reports new ones, and counts
entries that no longer match in the summary."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli

LOOP = "\tfor _, n := range names {{\n\t\tf, _ := os.Open(n)\n\t\tdefer f.Close(){comment}\n\t}}\n"


def func(name: str, comment: str = "") -> str:
    return f"func {name}(names []string) {{\n" + LOOP.format(comment=comment) + "}\n"


def gofile(*funcs: str) -> str:
    return 'package p\n\nimport "os"\n\n' + "\n".join(funcs)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "p").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "go.mod").write_text("module example.com/r\n\ngo 1.22\n")
    # two findings on textually identical lines: told apart by their occurrence index
    (root / "p" / "a.go").write_text(gofile(func("One"), func("Two")))
    (root / "p" / "b.go").write_text(gofile(func("Three")))
    return root


def record(repo: Path, cwd: Path | None = None) -> Path:
    out = run_cli(
        "baseline", "--select", "TIM005", "-o", str(repo / "gostatic-baseline.json"), ".", cwd=cwd or repo
    )
    assert out.returncode == 0, out.stderr
    assert "recorded 3 findings" in out.stderr
    return repo / "gostatic-baseline.json"


def check(repo: Path, baseline: Path, *extra: str, cwd: Path | None = None):
    return run_cli("check", "--select", "TIM005", "--baseline", str(baseline), *extra, ".", cwd=cwd or repo)


def test_baseline_file_is_reviewable(repo: Path) -> None:
    doc = json.loads(record(repo).read_text())
    assert doc["tool"] == "gostatic" and doc["format"] == 1
    entries = doc["findings"]
    assert [(e["path"], e["line"], e["code"]) for e in entries] == [
        ("p/a.go", 8, "TIM005"),
        ("p/a.go", 15, "TIM005"),
        ("p/b.go", 8, "TIM005"),
    ]
    assert len({e["fingerprint"] for e in entries}) == 3


def test_recorded_findings_are_hidden(repo: Path) -> None:
    base = record(repo)
    out = check(repo, base)
    assert out.returncode == 0, out.stdout
    assert "All clear" in out.stdout
    assert "3 findings hidden by the baseline." in out.stdout


def test_edits_elsewhere_keep_the_baseline_valid(repo: Path) -> None:
    base = record(repo)
    a = repo / "p" / "a.go"
    moved = a.read_text().replace('import "os"\n', 'import "os"\n\n// A new comment block.\n// Two lines.\n')
    moved = moved.replace("\t\tdefer f.Close()", "\t\t   defer   f.Close()", 1)  # re-spaced: same text
    a.write_text(moved)
    out = check(repo, base)
    assert out.returncode == 0, out.stdout
    # from a subdirectory, the same baseline still applies (paths are repository-relative)
    out = check(repo, base, cwd=repo / "p")
    assert out.returncode == 0, out.stdout


def test_only_new_findings_are_reported(repo: Path) -> None:
    base = record(repo)
    (repo / "p" / "a.go").write_text(gofile(func("One"), func("Two"), func("Again")))
    out = check(repo, base, "--format", "json")
    assert out.returncode == 1
    found = json.loads(out.stdout)
    # a third textually identical finding: occurrence index 2 is new (the first two stay hidden)
    assert [(f["path"], f["line"]) for f in found] == [("p/a.go", 22)]
    assert "3 findings hidden by the baseline" in out.stderr
    (repo / "p" / "c.go").write_text(gofile(func("Other", " // changed text")))
    out = check(repo, base, "--format", "json")
    assert {(f["path"], f["line"]) for f in json.loads(out.stdout)} == {("p/a.go", 22), ("p/c.go", 8)}


def test_stale_entries_are_counted(repo: Path) -> None:
    base = record(repo)
    (repo / "p" / "b.go").write_text(
        'package p\n\nimport "os"\n\nfunc Three(n string) {\n\t_, _ = os.Open(n)\n}\n'
    )
    out = check(repo, base)
    assert out.returncode == 0, out.stdout
    assert "2 findings hidden by the baseline; 1 baseline entry no longer matches" in out.stdout
    assert f"gostatic baseline -o {base}" in out.stdout
    # an entry of a file this run did not look at is not stale
    out = run_cli("check", "--select", "TIM005", "--baseline", str(base), "p/a.go", cwd=repo)
    assert "no longer match" not in out.stdout
    # a deleted file's entries are
    (repo / "p" / "b.go").unlink()
    out = run_cli("check", "--select", "TIM005", "--baseline", str(base), "p/a.go", cwd=repo)
    assert "1 baseline entry no longer matches" in out.stdout


def test_bad_baseline_is_a_usage_error(repo: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    out = check(repo, bad)
    assert out.returncode == 2 and "not a gostatic baseline" in out.stderr
    out = check(repo, tmp_path / "missing.json")
    assert out.returncode == 2 and "missing.json" in out.stderr
    out = run_cli("baseline", ".", cwd=repo)
    assert out.returncode == 2  # -o is required

"""Changed-lines mode on a real, scripted git repository: `--new-from-rev` reports exactly the findings
that start on lines added since the revision (staged or not, untracked files as wholly new), and
`--new-from-patch` those on lines a unified diff adds. Lines that must be reported carry `// NEW`; old
findings (`// OLD`) must stay hidden even when edits above them move them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli

from gostatic.review.changes import parse_unified_diff

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(repo.parent)}
    return subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


DEFER = "\tfor _, n := range names {{\n\t\tf, _ := os.Open(n)\n\t\tdefer f.Close() // {tag}\n\t}}\n"


def func(name: str, tag: str) -> str:
    return f"func {name}(names []string) {{\n" + DEFER.format(tag=tag) + "}\n"


def gofile(*funcs: str, imports: str = '"os"') -> str:
    return f"package p\n\nimport {imports}\n\n" + "\n".join(funcs)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "p").mkdir(parents=True)
    (root / "q").mkdir()
    git(root.parent, "init", "-q", str(root))
    (root / "go.mod").write_text("module example.com/r\n\ngo 1.22\n")
    (root / "p" / "a.go").write_text(gofile(func("Old", "OLD")))
    (root / "p" / "b.go").write_text("package p\n\nvar seenP = map[string]int{}\n")
    (root / "p" / "r.go").write_text("package p\n\nfunc reset() { clear(seenP) }\n")
    (root / "p" / "d.go").write_text(gofile(func("D1", "OLD"), func("D2", "OLD")))
    (root / "q" / "m.go").write_text("package q\n\nvar seen = map[string]int{}\n")
    (root / "q" / "h.go").write_text("package q\n\nfunc nothing() {}\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")

    # the change under review
    (root / "p" / "a.go").write_text(gofile(func("New", "NEW"), func("Old", "OLD")))  # Old moves down
    b = 'package p\n\nimport "os"\n\nvar seenP = map[string]int{}\n\n'
    b += "func hitP(k string) { seenP[k]++ }\n\n"  # RET001 would fire if r.go (unchanged) were not seen
    b += func("B", "NEW")
    (root / "p" / "b.go").write_text(b)
    git(root, "add", "p/b.go")  # staged, not committed: still part of `git diff HEAD`
    d = (
        (root / "p" / "d.go")
        .read_text()
        .replace("defer f.Close() // OLD", "defer f.Close() // NEW edited", 1)
    )
    (root / "p" / "d.go").write_text(d)
    (root / "p" / "c.go").write_text(gofile(func("C", "NEW")))  # untracked
    (root / "q" / "h.go").write_text(
        "package q\n\nfunc nothing() {}\n\nfunc Hit(k string) {\n\tseen[k]++ // NEW\n}\n"
    )  # RET001 on an added line, about a map declared in an unchanged file
    return root


def tagged(repo: Path, tag: str, base: Path | None = None) -> set[tuple[str, int]]:
    out = set()
    for path in sorted(repo.rglob("*.go")):
        for i, line in enumerate(path.read_text().splitlines(), 1):
            if f"// {tag}" in line:
                out.add((path.relative_to(base or repo).as_posix(), i))
    return out


def findings(repo: Path, *args: str, cwd: Path | None = None) -> set[tuple[str, int]]:
    out = run_cli("check", "--select", "TIM005,RET001", "--format", "json", *args, cwd=cwd or repo)
    assert out.returncode in (0, 1), out.stderr
    return {(f["path"], f["line"]) for f in json.loads(out.stdout)}


def test_whole_run_sees_old_and_new(repo: Path) -> None:
    assert findings(repo, ".") == tagged(repo, "NEW") | tagged(repo, "OLD")


def test_new_from_rev_reports_exactly_added_lines(repo: Path) -> None:
    expected = tagged(repo, "NEW")
    assert ("p/c.go", 8) in expected and ("q/h.go", 6) in expected and len(expected) == 5
    assert findings(repo, "--new-from-rev", "HEAD", ".") == expected
    out = run_cli("check", "--select", "TIM005,RET001", "--new-from-rev", "HEAD", ".", cwd=repo)
    assert out.returncode == 1
    assert "Found 5 findings" in out.stdout


def test_new_from_rev_from_a_subdirectory(repo: Path) -> None:
    p = repo / "p"
    assert findings(repo, "--new-from-rev", "HEAD", ".", cwd=p) == {
        (path.removeprefix("p/"), line) for path, line in tagged(repo, "NEW") if path.startswith("p/")
    }


def test_new_from_rev_with_nothing_new(repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "all")
    out = run_cli("check", "--select", "TIM005,RET001", "--new-from-rev", "HEAD", ".", cwd=repo)
    assert out.returncode == 0, out.stdout + out.stderr
    # and against the base commit, everything from the change is new again
    assert findings(repo, "--new-from-rev", "HEAD~1", ".") == tagged(repo, "NEW")


def test_new_from_patch(repo: Path, tmp_path: Path) -> None:
    patch = tmp_path / "change.patch"
    patch.write_text(git(repo, "diff", "HEAD"))
    expected = {x for x in tagged(repo, "NEW") if x[0] != "p/c.go"}  # untracked: not in the patch
    assert findings(repo, "--new-from-patch", str(patch), ".") == expected
    assert findings(repo, "--new-from-patch", str(patch), ".", cwd=repo / "q") == {("h.go", 6)}


def test_bad_revision_and_no_repository_are_usage_errors(repo: Path, tmp_path: Path) -> None:
    out = run_cli("check", "--new-from-rev", "no-such-rev", ".", cwd=repo)
    assert out.returncode == 2
    assert "no-such-rev" in out.stderr and "Traceback" not in out.stderr
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "a.go").write_text("package p\n")
    out = run_cli(
        "check", "--new-from-rev", "HEAD", ".", cwd=bare, env={"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    )
    assert out.returncode == 2 and "git" in out.stderr
    out = run_cli("check", "--new-from-patch", str(tmp_path / "missing.patch"), ".", cwd=repo)
    assert out.returncode == 2 and "missing.patch" in out.stderr


def test_parse_unified_diff() -> None:
    diff = "\n".join(
        [
            "diff --git a/x.go b/x.go",
            "index 1..2 100644",
            "--- a/x.go",
            "+++ b/x.go",
            "@@ -1,3 +1,4 @@",
            " package p",
            "-var a = 1",
            "+var a = 2",
            "+var b = 3",
            " ",
            "@@ -10 +11,2 @@ func f() {",
            "-\told()",
            "+\tnew1()",
            "+\tnew2()",
            "\\ No newline at end of file",
            "diff --git a/gone.go b/gone.go",
            "deleted file mode 100644",
            "--- a/gone.go",
            "+++ /dev/null",
            "@@ -1,2 +0,0 @@",
            "-package p",
            "-// bye",
            'diff --git "a/sp ace\\303\\251.go" "b/sp ace\\303\\251.go"',
            "new file mode 100644",
            "--- /dev/null",
            '+++ "b/sp ace\\303\\251.go"',
            "@@ -0,0 +1 @@",
            "+package p",
            "--- plain.go\t2024-01-01 00:00:00",
            "+++ plain.go\t2024-01-01 00:00:01",
            "@@ -5,0 +6 @@",
            "+x",
        ]
    )
    assert parse_unified_diff(diff) == {
        "x.go": {2, 3, 11, 12},
        "sp aceé.go": {1},
        "plain.go": {6},
    }

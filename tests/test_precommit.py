"""The pre-commit hook, run by the real `pre-commit try-repo` against a scratch git repository with
staged Go files: a clean commit passes, a commit that adds a finding fails with the finding printed.

try-repo installs gostatic from a git repository into its own virtualenv, so the hook is taken from a
temporary git copy of this working tree (uncommitted work included) and pre-commit gets its own
PRE_COMMIT_HOME. Installing gostatic's dependencies there needs the package index, as any pre-commit
user's first run does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}
NOT_PACKAGED = (".git", ".venv", "__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache", ".gostatic_cache",
                "testdata", "node_modules", "build", "dist", "bench", "editors", "examples")  # fmt: skip

DEFER_IN_LOOP = 'package p\n\nimport "os"\n\nfunc Sizes(paths []string) {\n'
DEFER_IN_LOOP += "\tfor _, p := range paths {\n\t\tf, _ := os.Open(p)\n\t\tdefer f.Close()\n\t}\n}\n"
CLEAN = "package p\n\nfunc Add(a, b int) int { return a + b }\n"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    env.update(GIT_ENV)
    env.update({"HOME": str(home), "PRE_COMMIT_HOME": str(home / "pre-commit"), "NO_COLOR": "1"})
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def git(cwd: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args], cwd=cwd, env=env, check=True, capture_output=True
    )


def try_repo(hook_repo: Path, work: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "gostatic", "--color", "never"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
    )


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("precommit")
    env = _env(base)
    src = base / "gostatic-src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(*NOT_PACKAGED))
    assert (src / ".pre-commit-hooks.yaml").is_file()
    git(base, env, "init", "-q", str(src))
    git(src, env, "add", "-A")
    git(src, env, "commit", "-q", "-m", "snapshot of the working tree")
    return src, env


def test_precommit_hook_definition() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    for line in ("- id: gostatic", "entry: gostatic check --force-exclude", "language: python", "types: [go]",
                 "require_serial: true"):  # fmt: skip
        assert line in text


def test_try_repo_passes_clean_commit_and_blocks_a_finding(hook_repo, tmp_path: Path) -> None:
    src, env = hook_repo
    work = tmp_path / "work"
    (work / "p").mkdir(parents=True)
    git(tmp_path, env, "init", "-q", str(work))
    (work / "go.mod").write_text("module example.com/w\n\ngo 1.22\n")
    (work / "p" / "add.go").write_text(CLEAN)
    (work / "vendor" / "x").mkdir(parents=True)
    (work / "vendor" / "x" / "x.go").write_text(DEFER_IN_LOOP.replace("package p", "package x"))
    git(work, env, "add", "-A")

    first = try_repo(src, work, env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "gostatic" in first.stdout and "Passed" in first.stdout  # vendor/ is excluded (--force-exclude)
    git(work, env, "commit", "-q", "-m", "clean")

    (work / "p" / "sizes.go").write_text(DEFER_IN_LOOP)
    git(work, env, "add", "p/sizes.go")
    second = try_repo(src, work, env)
    assert second.returncode == 1, second.stdout + second.stderr
    assert "Failed" in second.stdout
    assert "p/sizes.go:8:3: TIM005 [defer-in-loop]" in second.stdout
    assert "add.go" not in second.stdout.split("Failed", 1)[1]  # only the staged file is reported


def test_named_files_are_analysed_with_their_package_but_reported_alone(tmp_path: Path) -> None:
    """What the hook relies on: `check FILE` sees FILE's whole package but reports only FILE."""
    p = tmp_path / "p"
    p.mkdir()
    (tmp_path / "go.mod").write_text("module example.com/w\n\ngo 1.22\n")
    (p / "loop.go").write_text(DEFER_IN_LOOP)  # a finding in a file not named
    (p / "cache.go").write_text("package p\n\nvar seen = map[string]int{}\n")
    (p / "hit.go").write_text("package p\n\nfunc Hit(k string) {\n\tseen[k]++\n}\n")
    out = run_cli("check", "--select", "TIM005,RET001", "p/hit.go", cwd=tmp_path)
    # RET001 needs cache.go's declaration (not named) to know `seen` is a package-level map
    assert out.returncode == 1, out.stdout + out.stderr
    assert "p/hit.go:4:2: RET001" in out.stdout
    assert "loop.go" not in out.stdout and "Found 1 finding" in out.stdout
    (p / "reset.go").write_text("package p\n\nfunc reset() { clear(seen) }\n")
    out = run_cli("check", "--select", "TIM005,RET001", "p/hit.go", cwd=tmp_path)
    assert out.returncode == 0, out.stdout  # the clear() in another file of the package counts

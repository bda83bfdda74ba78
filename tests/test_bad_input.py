"""Bad input never crashes a run or loses a finding elsewhere: each case gets a clear message, the other
files' findings still arrive, and the exit code follows interfaces.md."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli
from gofiles import DEFER_IN_LOOP

GOOD = {"good.go": DEFER_IN_LOOP}


def setup(tmp_path: Path, extra: dict[str, bytes]) -> Path:
    for name, text in GOOD.items():
        (tmp_path / name).write_text(text)
    for name, data in extra.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


def findings(r: subprocess.CompletedProcess) -> list[tuple[str, int, str]]:
    return [(d["path"], d["line"], d["code"]) for d in json.loads(r.stdout)]


def test_syntax_error_is_info_and_the_rest_is_analysed(tmp_path: Path) -> None:
    broken = b'package p\n\nimport "os"\n\nfunc broken( {\n}\n\nfunc ok(ps []string) {\n\tfor _, p := range ps {\n\t\tf, _ := os.Open(p)\n\t\tdefer f.Close()\n\t}\n}\n'
    setup(tmp_path, {"broken.go": broken})
    r = run_cli("check", "--format", "json", cwd=tmp_path)
    got = findings(r)
    assert ("broken.go", 5, "SYN001") in got
    assert ("broken.go", 11, "TIM005") in got  # after the error region
    assert ("good.go", 8, "TIM005") in got
    assert r.returncode == 1  # because of the TIM005 warnings, not the syntax error
    r = run_cli("check", "--format", "json", "broken.go", "--select", "SYN", cwd=tmp_path)
    assert r.returncode == 0 and findings(r) == [("broken.go", 5, "SYN001")]  # info never blocks


def test_invalid_utf8(tmp_path: Path) -> None:
    src = DEFER_IN_LOOP.encode().replace(b"package p", b'package p\n\n// caf\xe9 \xff\xfe\nvar s = "\xff"')
    setup(tmp_path, {"latin1.go": src})
    r = run_cli("check", "--format", "json", cwd=tmp_path)
    assert ("latin1.go", 11, "TIM005") in findings(r)
    assert ("good.go", 8, "TIM005") in findings(r)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    r = run_cli("check", cwd=tmp_path)  # text output shows the lines without crashing
    assert r.returncode == 1 and "latin1.go:11:3" in r.stdout


def test_binary_file_named_go(tmp_path: Path) -> None:
    setup(tmp_path, {"blob.go": bytes(range(256)) * 64})
    r = run_cli("check", "--format", "json", cwd=tmp_path)
    got = findings(r)
    assert ("blob.go", 1, "SYN003") in got and ("good.go", 8, "TIM005") in got
    data = {d["code"]: d for d in json.loads(r.stdout)}
    assert "NUL bytes" in data["SYN003"]["message"]


def test_empty_file(tmp_path: Path) -> None:
    setup(tmp_path, {"empty.go": b""})
    r = run_cli("check", "--format", "json", cwd=tmp_path)
    assert findings(r) == [("good.go", 8, "TIM005")]


def test_huge_file(tmp_path: Path) -> None:
    body = "".join(f"func f{i}(a, b int) int {{ return a*{i} + b }}\n" for i in range(120_000))
    src = f'package p\n\nimport "os"\n\n{body}\nfunc last(ps []string) {{\n\tfor _, p := range ps {{\n\t\tf, _ := os.Open(p)\n\t\tdefer f.Close()\n\t}}\n}}\n'
    assert len(src) > 5_000_000
    setup(tmp_path, {"huge.go": src.encode()})
    r = run_cli("check", "--format", "json", cwd=tmp_path)
    line = src[: src.index("defer f.Close()")].count("\n") + 1
    assert ("huge.go", line, "TIM005") in findings(r)


def test_unreadable_file(tmp_path: Path) -> None:
    setup(tmp_path, {"secret.go": DEFER_IN_LOOP.encode()})
    os.chmod(tmp_path / "secret.go", 0)
    cmd_prefix: list[str] = []
    if os.geteuid() == 0:
        # root reads anything: run as nobody so the permission bits count
        setpriv = shutil.which("setpriv")
        assert setpriv, "setpriv (util-linux) is needed to test unreadable files as root"
        os.chmod(tmp_path, 0o755)
        for p in (tmp_path, *tmp_path.parents):
            if p != Path("/"):
                p.chmod(p.stat().st_mode | stat.S_IXOTH)
        cmd_prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    env = dict(os.environ, NO_COLOR="1")
    r = subprocess.run(
        [*cmd_prefix, sys.executable, "-m", "gostatic.cli", "check", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    got = findings(r)
    assert ("secret.go", 1, "SYN002") in got, r.stderr
    assert ("good.go", 8, "TIM005") in got
    msg = next(d["message"] for d in json.loads(r.stdout) if d["code"] == "SYN002")
    assert "cannot read file" in msg
    assert r.returncode == 1


def test_symlink_loops(tmp_path: Path) -> None:
    setup(tmp_path, {})
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.go").write_text(DEFER_IN_LOOP)
    (tmp_path / "sub" / "loop").symlink_to(tmp_path / "sub")  # directory loop
    (tmp_path / "x.go").symlink_to(tmp_path / "y.go")
    (tmp_path / "y.go").symlink_to(tmp_path / "x.go")  # file loop
    r = run_cli("check", "--format", "json", cwd=tmp_path)
    got = findings(r)
    assert ("good.go", 8, "TIM005") in got and ("sub/a.go", 8, "TIM005") in got
    assert len(got) == 2
    assert "symlink loop" in r.stderr
    assert r.returncode == 1


def test_directory_named_like_a_go_file(tmp_path: Path) -> None:
    setup(tmp_path, {})
    (tmp_path / "x.go").mkdir()
    (tmp_path / "x.go" / "inner.go").write_text(DEFER_IN_LOOP)
    r = run_cli("check", "--format", "json", cwd=tmp_path)
    assert findings(r) == [("good.go", 8, "TIM005"), ("x.go/inner.go", 8, "TIM005")]
    r = run_cli("check", "--format", "json", "x.go", cwd=tmp_path)
    assert findings(r) == [("x.go/inner.go", 8, "TIM005")]


def test_rule_crash_is_isolated(tmp_path: Path) -> None:
    plugin = tmp_path / "crashy.py"
    plugin.write_text(
        '''
from gostatic.rule import Rule, RuleMeta, Severity


class Crashy(Rule):
    """
    ## What it finds
    Nothing: it crashes.
    ## Why it matters
    To prove that a crashing rule does not take the others down.
    """

    meta = RuleMeta(code="CRASH001", name="crashy", severity=Severity.INFO, summary="always crashes")

    def visit_defer_statement(self, node, ctx):
        raise RuntimeError("boom")
'''
    )
    setup(tmp_path, {"gostatic.toml": b'plugins = ["crashy.py"]\nextend-select = ["CRASH001"]\n'})
    r = run_cli("check", "--format", "json", cwd=tmp_path)
    assert findings(r) == [("good.go", 8, "TIM005")]
    assert "internal error in rule CRASH001 at good.go:8: RuntimeError: boom" in r.stderr
    assert r.returncode == 2  # an internal error is exit 2, and the findings still arrive


@pytest.mark.parametrize(
    "content", [b"\xef\xbb\xbfpackage p\n", b"package p\r\n\r\nfunc f() {}\r\n", b"package"]
)
def test_odd_but_harmless_inputs(tmp_path: Path, content: bytes) -> None:
    setup(tmp_path, {"odd.go": content})
    r = run_cli("check", "--format", "json", cwd=tmp_path)
    assert ("good.go", 8, "TIM005") in findings(r)
    assert "Traceback" not in r.stderr

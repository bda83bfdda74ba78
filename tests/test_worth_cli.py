"""Test scope and cold code as a user meets them: `gostatic check` on a small module, with the flags and
the config keys that bring the hidden cost findings back, and the suppression that stays in use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CODE = """package svc

import "log"

func Serve(xs []int) {
	for _, x := range xs {
		log.Println("x", x*1000)
	}
}

func init() {
	for _, x := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10} {
		log.Println("init", x*1000) //nolint:BOX001 // start-up noise
	}
}
"""

TEST = """package svc

import (
	"log"
	"testing"
)

func TestServe(t *testing.T) {
	for i := 0; i < 1000; i++ {
		log.Println("i", i*7)
	}
}
"""


def run(tmp: Path, *args: str) -> tuple[int, list[dict], str]:
    proc = subprocess.run(
        [sys.executable, "-m", "gostatic.cli", "check", "--no-cache", "--format", "json", *args, "."],
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=120,
    )
    findings = json.loads(proc.stdout) if proc.stdout.strip().startswith("[") else []
    return proc.returncode, findings, proc.stderr


def lines(findings: list[dict]) -> list[tuple[str, int, str]]:
    return sorted((f["path"], f["line"], f["code"]) for f in findings)


def setup(tmp: Path) -> None:
    (tmp / "go.mod").write_text("module example.com/svc\n\ngo 1.24\n")
    (tmp / "svc.go").write_text(CODE)
    (tmp / "svc_test.go").write_text(TEST)


def test_default_reports_hot_code_only(tmp_path: Path) -> None:
    setup(tmp_path)
    rc, findings, err = run(tmp_path)
    assert rc == 1, err
    assert lines(findings) == [("svc.go", 7, "BOX001")]  # no SUP001: the nolint in init is still in use


def test_flags_and_config_bring_them_back(tmp_path: Path) -> None:
    setup(tmp_path)
    _, tests, _ = run(tmp_path, "--include-tests")
    assert lines(tests) == [("svc.go", 7, "BOX001"), ("svc_test.go", 10, "BOX001")]
    _, cold, _ = run(tmp_path, "--include-cold")
    assert lines(cold) == [("svc.go", 7, "BOX001")]  # the init one is suppressed by its comment
    (tmp_path / "svc.go").write_text(CODE.replace(" //nolint:BOX001 // start-up noise", ""))
    _, cold, _ = run(tmp_path, "--include-cold")
    assert lines(cold) == [("svc.go", 7, "BOX001"), ("svc.go", 13, "BOX001")]
    (tmp_path / "gostatic.toml").write_text("include-tests = true\ninclude-cold = true\n")
    _, both, _ = run(tmp_path)
    assert lines(both) == [("svc.go", 7, "BOX001"), ("svc.go", 13, "BOX001"), ("svc_test.go", 10, "BOX001")]


def test_bad_config_value_names_file_and_line(tmp_path: Path) -> None:
    setup(tmp_path)
    (tmp_path / "gostatic.toml").write_text('select = ["BOX"]\ninclude-cold = "yes"\n')
    rc, findings, err = run(tmp_path)
    assert rc == 2 and findings == []
    assert "gostatic.toml:2" in err and "include-cold" in err and "Traceback" not in err


DEAD = """package svc

var names = map[string]int{}

const traceConns = false

func nameConn(base string) {
	names[base]++
}

func Accept(base string) {
	if traceConns {
		go func() {
			for {
				nameConn(base)
			}
		}()
	}
}
"""


def test_defect_in_code_that_never_runs(tmp_path: Path) -> None:
    # under a constant-false condition: the goroutine is never started, the map never grows
    (tmp_path / "go.mod").write_text("module example.com/svc\n\ngo 1.24\n")
    (tmp_path / "svc.go").write_text(DEAD)
    rc, findings, err = run(tmp_path)
    assert rc == 0 and findings == [], err
    proc = subprocess.run(
        [sys.executable, "-m", "gostatic.cli", "check", "--no-cache", "."],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert (
        "Not shown: 1 finding in code that never runs; --include-cold shows it." in proc.stdout + proc.stderr
    )
    _, shown, _ = run(tmp_path, "--include-cold")
    assert lines(shown) == [("svc.go", 13, "GOR001")]  # the map's insertion never runs either way
    (tmp_path / "svc.go").write_text(DEAD.replace("const traceConns = false", "var traceConns = false"))
    _, live, _ = run(tmp_path)
    assert lines(live) == [("svc.go", 8, "RET001"), ("svc.go", 13, "GOR001")]


def test_retention_in_a_one_shot_command_and_the_cache(tmp_path: Path) -> None:
    """A table a command keeps for its one run is not reported (the process exits); once anything in the
    command's tree serves, it is, also from a warm cache (the key holds the command's answer)."""
    (tmp_path / "go.mod").write_text("module example.com/tool\n\ngo 1.24\n")
    table = tmp_path / "cmd" / "gen" / "internal" / "table"
    table.mkdir(parents=True)
    (table / "table.go").write_text(
        "package table\n\nvar names = map[string]int{}\n\nfunc Add(s string) { names[s] = len(names) }\n"
    )
    main = tmp_path / "cmd" / "gen" / "main.go"
    main.write_text(
        'package main\n\nimport "example.com/tool/cmd/gen/internal/table"\n\nfunc main() { table.Add("x") }\n'
    )
    cache = ["--cache-dir", str(tmp_path / ".cache")]

    def check(*args: str) -> tuple[list[tuple[str, int, str]], str]:
        proc = subprocess.run(
            [sys.executable, "-m", "gostatic.cli", "check", "--format", "json", *cache, *args, "."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return lines(json.loads(proc.stdout)), proc.stderr

    assert check()[0] == []
    shown, _ = check("--include-cold")
    assert shown == [("cmd/gen/internal/table/table.go", 5, "RET001")]
    text = subprocess.run(
        [sys.executable, "-m", "gostatic.cli", "check", "--no-cache", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert text.returncode == 0
    assert (
        "1 finding kept until a one-shot command exits; --include-cold shows it." in text.stdout + text.stderr
    )

    (tmp_path / "cmd" / "gen" / "serve.go").write_text(
        'package main\n\nimport "net/http"\n\nfunc serve() { _ = http.ListenAndServe(":0", nil) }\n'
    )
    assert check()[0] == [("cmd/gen/internal/table/table.go", 5, "RET001")]


def test_one_shot_question_survives_a_fifo_and_deep_directories(tmp_path: Path) -> None:
    """The command's tree is read for servers: a FIFO named like a Go file is not opened (it would block
    the run), and a deep directory chain is walked without recursion."""
    import os

    from gostatic.analysis import lifetime

    (tmp_path / "go.mod").write_text("module example.com/tool\n\ngo 1.24\n")
    cmd = tmp_path / "cmd" / "gen"
    cmd.mkdir(parents=True)
    (cmd / "main.go").write_text("package main\n\nfunc main() {}\n")
    os.mkfifo(cmd / "pipe.go")
    deep = cmd
    for _ in range(1100):  # deeper than Python's recursion limit
        deep = deep / "d"
        deep.mkdir()
    (deep / "serve.go").write_text(
        'package d\n\nimport "net/http"\n\nfunc S() { _ = http.ListenAndServe(":0", nil) }\n'
    )
    try:
        lifetime.forget()
        assert lifetime.one_shot_command(cmd) is None  # the deep file serves; the FIFO was skipped
        (deep / "serve.go").unlink()
        lifetime.forget()
        assert lifetime.one_shot_command(cmd) == "cmd/gen"
    finally:
        # removed bottom-up here: pytest's later clean-up of old temporary directories (shutil.rmtree,
        # recursive) would overflow the stack on this chain and print a RecursionError
        for f in deep.iterdir():
            f.unlink()
        while deep != cmd:
            deep.rmdir()
            deep = deep.parent


def test_one_shot_answer_follows_buffers_and_files_on_disk(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An unsaved buffer that serves makes its command live on (the editor passes its buffers); a fresh
    look sees files changed on disk, and reads again only the files whose size or times changed."""
    from gostatic.analysis import lifetime

    (tmp_path / "go.mod").write_text("module example.com/tool\n\ngo 1.24\n")
    cmd = tmp_path / "cmd" / "gen"
    (cmd / "internal" / "web").mkdir(parents=True)
    (cmd / "main.go").write_text("package main\n\nfunc main() {}\n")
    web = cmd / "internal" / "web" / "web.go"
    web.write_text("package web\n\nfunc S() {}\n")
    serving = 'package web\n\nimport "net/http"\n\nfunc S() { _ = http.ListenAndServe(":0", nil) }\n'
    lifetime.forget()
    assert lifetime.one_shot_command(cmd) == "cmd/gen"
    assert lifetime.one_shot_command(cmd, {str(web): serving.encode()}) is None
    # a new, unsaved file of the tree counts too; one in testdata does not
    assert lifetime.one_shot_command(cmd, {str(cmd / "new.go"): serving.encode()}) is None
    assert lifetime.one_shot_command(cmd, {str(cmd / "testdata" / "x.go"): serving.encode()}) == "cmd/gen"
    reads: list[str] = []
    real_read = lifetime._read
    monkeypatch.setattr(lifetime, "_read", lambda path, limit: reads.append(path) or real_read(path, limit))
    web.write_text(serving)
    assert lifetime.one_shot_command(cmd) == "cmd/gen"  # a batch run's answer is kept for the process
    assert lifetime.one_shot_command(cmd, fresh=True) is None
    assert reads == [str(web)]  # main.go's size and times stayed: not read again
    web.write_text("package web\n\nfunc S() {}\n")
    assert lifetime.one_shot_command(cmd, fresh=True) == "cmd/gen"

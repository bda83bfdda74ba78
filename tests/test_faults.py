"""Process faults (issue 14): a run stopped or starved the ways users and machines stop it. Real
processes and signals: a worker killed, the run's memory limited, the run killed, Ctrl-C on a terminal.
Only the package being analysed may be lost, and the run says which; nothing outlives the run."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import resource
import shutil
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from conftest import ROOT
from gofiles import DEFER_IN_LOOP

PACKAGES = 12


def gostatic() -> list[str]:
    """The installed `gostatic` command (entry.py: Ctrl-C handled before the engine is imported)."""
    script = shutil.which("gostatic", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "gostatic.entry"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOSTATIC_")}
    env["NO_COLOR"] = "1"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + str(ROOT / "rules")
    env.update(extra)
    return env


def slow_source(n: int) -> str:
    """A file that takes a while to analyse (nested loops, goroutines, allocations): about 2 s at 400."""
    inner = (
        'for i := 0; i < 10; i++ { s = append(s, fmt.Sprintf("%d", i)); defer mu.Unlock(); '
        'go func() { select { case <-c: var b bytes.Buffer; b.WriteString("x"); _ = []byte(str); '
        "if x := make(map[string]int); len(x) > 0 { switch { case true: "
    )
    return (
        'package p\n\nimport (\n\t"bytes"\n\t"fmt"\n\t"sync"\n)\n\nvar mu sync.Mutex\nvar c chan int\n'
        "var str string\n\nfunc f() { var s []string; "
        + inner * n
        + "_ = s"
        + "} } } }() }" * n
        + "; _ = s }\n"
    )


def tree(tmp_path: Path, slow: int = 0, huge: int = 0) -> Path:
    """PACKAGES small packages with one TIM005 each, plus `slow/` (a slow file and a quick one)."""
    for i in range(PACKAGES):
        (tmp_path / f"p{i:02d}").mkdir()
        (tmp_path / f"p{i:02d}" / "a.go").write_text(DEFER_IN_LOOP)
    if slow or huge:
        (tmp_path / "slow").mkdir()
        (tmp_path / "slow" / "quick.go").write_text(DEFER_IN_LOOP)
        if slow:
            (tmp_path / "slow" / "slow.go").write_text(slow_source(slow))
        if huge:
            (tmp_path / "slow" / "big.go").write_text("package p\n\nvar data = []byte{" + "1," * huge + "}\n")
    return tmp_path


def found(out: str) -> set[tuple[str, str]]:
    return {(d["path"], d["code"]) for d in json.loads(out)}


def expected(slow_skipped: str | None = None) -> set[tuple[str, str]]:
    want = {(f"p{i:02d}/a.go", "TIM005") for i in range(PACKAGES)}
    if slow_skipped:
        want |= {("slow/quick.go", "TIM005"), (slow_skipped, "SYN003")}
    return want


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def wait_for_workers(proc: subprocess.Popen, n: int, timeout: float = 30) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = children(proc.pid)
        if len(kids) >= n:
            return kids
        time.sleep(0.02)
    raise AssertionError(f"no {n} workers after {timeout} s")


# ---------------------------------------------------------------------------------------------- budgets
def test_file_over_the_time_budget_is_skipped_with_a_finding(tmp_path: Path) -> None:
    tree(tmp_path, slow=400)
    r = subprocess.run(
        [*gostatic(), "check", "--no-cache", "--jobs", "2", "--format", "json", "."],
        cwd=tmp_path, env=_env(GOSTATIC_FILE_TIME_BUDGET="0.3"), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 1 and r.stderr == "", r.stderr
    assert found(r.stdout) == expected("slow/slow.go")
    (msg,) = [d["message"] for d in json.loads(r.stdout) if d["code"] == "SYN003"]
    assert "longer than the 0.3 s budget" in msg and "skipped" in msg


def test_file_over_the_memory_budget_is_skipped_with_a_finding(tmp_path: Path) -> None:
    """A 1 MB `[]byte{1,1,…}` takes about 300 MB to analyse: over a 200 MiB budget, it is skipped."""
    tree(tmp_path, huge=500_000)
    r = subprocess.run(
        [*gostatic(), "check", "--no-cache", "--jobs", "1", "--format", "json", "."],
        cwd=tmp_path, env=_env(GOSTATIC_MEMORY_BUDGET="200"), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 1 and r.stderr == "", r.stderr
    assert found(r.stdout) == expected("slow/big.go")
    (msg,) = [d["message"] for d in json.loads(r.stdout) if d["code"] == "SYN003"]
    assert "200 MiB memory budget" in msg


def test_segfault_under_a_memory_limit_costs_one_file(tmp_path: Path) -> None:
    """`ulimit -v` with --jobs 1: the worker parsing a 4 MB literal dies (tree-sitter cannot allocate);
    it was rc 139 with no output at all. Now the other packages' findings all arrive, the file is named."""
    tree(tmp_path, huge=2_000_000)
    limit = 600 * 1024 * 1024

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    r = subprocess.run(
        [*gostatic(), "check", "--no-cache", "--jobs", "1", "--format", "json", "."],
        cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=300, preexec_fn=limit_memory,
    )  # fmt: skip
    assert r.returncode == 2, r.stderr  # a worker died: a fault, reported
    assert found(r.stdout) >= expected("slow/big.go")
    assert "slow/big.go" in r.stderr and "Traceback" not in r.stderr


# ---------------------------------------------------------------------------------------------- workers
def test_a_killed_worker_costs_nothing_but_a_retry(tmp_path: Path) -> None:
    """kill -9 of a busy worker (what the OOM killer does): its package is analysed again in a new
    worker, the run names it, and every finding arrives. It used to lose every package still queued."""
    tree(tmp_path, slow=400)
    proc = subprocess.Popen(
        [*gostatic(), "check", "--no-cache", "--jobs", "2", "--format", "json", "."],
        cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    kids = wait_for_workers(proc, 2)
    time.sleep(0.5)  # the slow package is sent first, heaviest first: it is being analysed
    for pid in kids:
        os.kill(pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert found(out) == expected() | {("slow/quick.go", "TIM005")} | {
        (d["path"], d["code"]) for d in json.loads(out) if d["path"] == "slow/slow.go"
    }
    assert "the worker analysing slow died (killed by SIGKILL)" in err and "Traceback" not in err


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_workers_die_with_the_run(tmp_path: Path, sig: signal.Signals) -> None:
    """Killing the run kills its workers: none keeps the run's stdout open (a caller waiting for the end
    of the output used to hang for good)."""
    tree(tmp_path, slow=600)
    proc = subprocess.Popen(
        [*gostatic(), "check", "--no-cache", "--jobs", "2", "."],
        cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    kids = wait_for_workers(proc, 2)
    time.sleep(0.3)
    os.kill(proc.pid, sig)
    proc.communicate(timeout=10)  # end of output: no worker holds the pipe
    deadline = time.monotonic() + 5
    while any(running(k) for k in kids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [k for k in kids if running(k)]


# ---------------------------------------------------------------------------------------------- Ctrl-C
def _interrupt_in_pty(tmp_path: Path, delays: list[float], jobs: str = "2") -> tuple[int, float, bytes]:
    """Run gostatic as a terminal's foreground job and type Ctrl-C after each delay: (exit status,
    seconds from the first press to the exit, what the terminal showed)."""
    master, slave = pty.openpty()

    def controlling_terminal() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        [*gostatic(), "check", "--no-cache", "--jobs", jobs, "."],
        cwd=tmp_path, env=_env(), stdin=slave, stdout=slave, stderr=slave, preexec_fn=controlling_terminal,
    )  # fmt: skip
    os.close(slave)
    pressed = None
    for delay in delays:
        time.sleep(delay)
        os.write(master, b"\x03")  # the terminal sends SIGINT to the whole foreground process group
        pressed = pressed or time.monotonic()
    out = b""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    rc = proc.wait(timeout=30)
    assert pressed is not None
    elapsed = time.monotonic() - pressed
    os.close(master)
    return rc, elapsed, out


@pytest.mark.parametrize(
    "delays",
    [[0.15], [0.4], [2.0], [2.0, 0.05, 0.05]],
    ids=["start-up", "importing", "busy-workers", "three-presses"],
)
def test_ctrl_c_exits_130_at_once(tmp_path: Path, delays: list[float]) -> None:
    tree(tmp_path, slow=800)  # the slow file keeps a worker busy for several seconds
    rc, elapsed, out = _interrupt_in_pty(tmp_path, delays)
    assert rc == 130, out[-2000:]
    assert elapsed < 1.0 + sum(delays[1:]), elapsed
    assert b"Traceback" not in out and b"KeyboardInterrupt" not in out, out[-2000:]


# ---------------------------------------------------------------------------------------------- stdout
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_closed_pipe_keeps_the_exit_status(tmp_path: Path, fmt: str) -> None:
    """`gostatic check --exit-zero | head -1`: the reader leaves early, the run still exits 0 (rich made it
    1), and without --exit-zero it is 1 for the findings, not for the pipe. No traceback either way."""
    body = "".join(
        f"func f{i}(ps []string) {{\n\tfor _, p := range ps {{\n\t\tf, _ := os.Open(p)\n\t\tdefer f.Close()\n\t}}\n}}\n"
        for i in range(1500)
    )
    (tmp_path / "many.go").write_text('package p\n\nimport "os"\n\n' + body)
    for extra, want in ((["--exit-zero"], 0), ([], 1)):
        proc = subprocess.Popen(
            [*gostatic(), "check", "--no-cache", "--format", fmt, *extra, "."],
            cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()  # `head -1` exits
        assert proc.wait(timeout=120) == want
        err = proc.stderr.read()
        assert b"Traceback" not in err and b"Exception ignored" not in err, err

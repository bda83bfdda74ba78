"""The `gostatic` command's entry point (entry.py): a `check` process ends without the interpreter's
teardown, and what it writes, to standard output and to `-o`, with its exit status, is what the command
line module writes when the interpreter shuts down as usual."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import gostatic_cmd

from gostatic import entry

SCRIPT = shutil.which("gostatic", path=os.path.dirname(sys.executable))
ONE = 'package one\n\nimport "fmt"\n\nfunc F(xs []int) {\n\tfor _, x := range xs {\n\t\tfmt.Println(x)\n\t}\n}\n'


class _Exited(Exception):
    pass


def _exit_recorder(calls: list[int]):  # type: ignore[no-untyped-def]
    def fake(code: int) -> None:
        calls.append(code)
        raise _Exited

    return fake


def test_leave_ends_the_process_only_when_nothing_is_left_for_the_shutdown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(os, "_exit", _exit_recorder(calls))
    monkeypatch.setattr(atexit, "_ncallbacks", lambda: 0)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    with pytest.raises(_Exited):
        entry._leave(3)
    assert calls == [3]

    monkeypatch.setattr(atexit, "_ncallbacks", lambda: 1)  # the process pool's exit hook
    assert entry._leave(1) == 1
    monkeypatch.setattr(atexit, "_ncallbacks", lambda: 0)
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # another thread still runs
    assert entry._leave(1) == 1
    monkeypatch.setattr(threading, "active_count", lambda: 1)

    class Broken:
        def flush(self) -> None:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", Broken())  # left to the shutdown, which reports it as ever
    assert entry._leave(0) == 0
    assert calls == [3]


@pytest.mark.skipif(SCRIPT is None, reason="the gostatic script is not installed")
def test_the_command_writes_what_the_module_writes(tmp_path: Path) -> None:
    (tmp_path / "one.go").write_text(ONE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOSTATIC_")}
    env["NO_COLOR"] = "1"

    def run(cmd: list[str], *args: str) -> tuple[int, str, str, str]:
        out = tmp_path / "out.json"
        out.unlink(missing_ok=True)
        text = subprocess.run(
            [*cmd, "check", *args, "one.go"], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        json_run = subprocess.run(
            [*cmd, "check", *args, "--format", "json", "-o", str(out), "one.go"], cwd=tmp_path, env=env
        )
        assert text.returncode == json_run.returncode
        return text.returncode, text.stdout, text.stderr, out.read_text()

    want = run(gostatic_cmd(), "--no-cache")
    assert want[0] == 1 and "BOX001" in want[1] and '"code": "BOX001"' in want[3]
    assert run([str(SCRIPT)], "--no-cache") == want
    # the cached runs: the miss that stores the entry, a hit, and a replay of its record
    for _ in range(3):
        assert run([str(SCRIPT)], "--cache-dir", str(tmp_path / "cache")) == want

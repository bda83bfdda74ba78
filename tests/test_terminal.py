"""Colour only on a terminal, and NO_COLOR honoured: run the CLI under a real pseudo-terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from gofiles import DEFER_IN_LOOP


def run_in_pty(args: list[str], cwd: Path, env: dict[str, str]) -> bytes:
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=120)
    os.close(master)
    return out


def test_colour_on_a_tty_and_no_color(tmp_path: Path) -> None:
    (tmp_path / "a.go").write_text(DEFER_IN_LOOP)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    env["TERM"] = "xterm-256color"
    cmd = [sys.executable, "-m", "gostatic.cli", "check", "."]
    coloured = run_in_pty(cmd, tmp_path, env)
    assert b"TIM005" in coloured and b"\x1b[" in coloured
    plain = run_in_pty(cmd, tmp_path, {**env, "NO_COLOR": "1"})
    assert b"TIM005" in plain and b"\x1b[" not in plain

"""Run the CLI as a person does: under a pseudo-terminal (stdin, stdout and stderr a tty, as in an
interactive shell) and piped (as in CI and scripts), with the environment pinned so that the output is
exact (terminal width, colour)."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import attrs

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@attrs.frozen
class Outcome:
    code: int
    out: str  # stdout (piped) or the terminal's whole output (pty), "\n" line ends
    err: str = ""  # stderr when piped; "" under a pty (it is in `out`)


def environment(colour: bool = False, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS")}
    env.update(TERM="xterm-256color", COLUMNS="100", LINES="50", **extra)
    if not colour:
        env["NO_COLOR"] = "1"
    return env


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "gostatic.cli", *args]


def piped(*args: str, cwd: Path, stdin: bytes = b"", **extra: str) -> Outcome:
    proc = subprocess.run(
        command(*args), cwd=cwd, env=environment(**extra), input=stdin, capture_output=True, timeout=300
    )
    return Outcome(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def in_pty(*args: str, cwd: Path, colour: bool = False, timeout: float = 120, **extra: str) -> Outcome:
    """The command on a pseudo-terminal; the output with `\\r\\n` turned back into `\\n`."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        command(*args), cwd=cwd, env=environment(colour, **extra), stdin=slave, stdout=slave, stderr=slave
    )
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    else:
        proc.kill()
        raise AssertionError(f"{args} did not finish in {timeout} s on a terminal")
    code = proc.wait(timeout=30)
    os.close(master)
    return Outcome(code, b"".join(chunks).decode().replace("\r\n", "\n"))

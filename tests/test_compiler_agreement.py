"""Escape claims checked against the real Go compiler: on every testdata line annotated with a code
listed here, `go build -gcflags=-m` must print a matching diagnostic (and, for NEGATIVE_LINES, must not).

Rule families add their codes to CONFIRMED_BY; nothing else needs to change.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from annotations import expected
from conftest import TESTDATA


@dataclass(frozen=True)
class Check:
    """What the compiler must print for an annotated line.

    pattern: regex over one -m message. With `var`, a regex whose first group, taken from the annotated
    source line, is substituted for {var} in pattern. where: "line" (the annotated line itself),
    "file" (any line of the same file up to the annotated one: the compiler reports `moved to heap: v`
    at v's declaration, not where its address is taken) or "decl" (the nearest line above declaring
    {var} with `:=` or `var`: where `p := new(T)` is reported when p is stored later).
    A code may map to a tuple of Checks: any one that applies (its `var` is found) and matches confirms.
    """

    pattern: str
    var: str | None = None
    where: str = "line"


CONFIRMED_BY: dict[str, Check | tuple[Check, ...]] = {
    "TIM001": Check(r"moved to heap: {var}$", var=r"SetFinalizer\(&(\w+)", where="file"),
    # the converted value: "x escapes to heap" on the line of the conversion
    "BOX001": Check(r"escapes to heap$"),
    # ESC001: `g = &x` (x moved to heap at its declaration), `g = &T{}` / `new(T)` on the line, or
    # `g = p` / `append(g, p)` with `p := new(T)` declared above.
    "ESC001": (
        Check(r"moved to heap: {var}$", var=r"&(\w+)\s*\)?\s*//", where="file"),
        Check(r"(new\(.*\)|&.*\{.*\}) escapes to heap$", var=r"(?:&\w+\{.*\}|new\(.*\))\)?\s*//"),
        Check(r"(new\(.*\)|&.*\{.*\}) escapes to heap$", var=r"\W(\w+)\)?\s*//", where="decl"),
    ),
    # ESC002: a declared variable is moved to the heap where it is declared; make/new/&T{} escape there.
    "ESC002": (
        Check(r"^moved to heap: {var}$", var=r"^\s*(?:var\s+)?(\w+)\b", where="line"),
        Check(r"^(make|new)\(.*\) escapes to heap$|^&.*\{.*\} escapes to heap$", var=r"(make|new|&)"),
    ),
    # POOL001: the value converted to `any` by Put: "b escapes to heap" on the Put line
    "POOL001": Check(r"escapes to heap$"),
    "ESC003": (
        Check(r"moved to heap: {var}$", var=r"return &(\w+)", where="file"),
        Check(r"moved to heap: {var}$", var=r"return (\w+)\[", where="file"),
    ),
}


def _module_roots() -> list[Path]:
    return sorted(p.parent for p in TESTDATA.rglob("go.mod"))


@pytest.fixture(scope="module")
def compiler_messages(go: str, tmp_path_factory) -> dict[tuple[str, int], list[str]]:
    """(absolute file path, line) -> the compiler's -m messages, for every module under testdata/."""
    cache = tmp_path_factory.mktemp("gocache")
    env = dict(os.environ, GOCACHE=str(cache), GOFLAGS="-mod=mod", GOTOOLCHAIN="local", GOPROXY="off")
    out: dict[tuple[str, int], list[str]] = defaultdict(list)
    bins = tmp_path_factory.mktemp("testbins")
    for root in _module_roots():
        # the package, then its tests too (benchmarks' findings live in _test.go files)
        for cmd in (
            [go, "build", "-gcflags=-m", "./..."],
            [go, "test", "-c", "-o", str(bins), "-gcflags=-m", "./..."],
        ):
            proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=600)
            assert "error" not in proc.stderr.lower() or proc.returncode == 0, proc.stderr[-3000:]
            assert proc.returncode == 0, f"testdata module {root} does not compile:\n{proc.stderr[-3000:]}"
            for line in proc.stderr.splitlines():
                m = re.match(r"^(.+?\.go):(\d+):\d+: (.*)$", line)
                if m:
                    path = (root / m.group(1)).resolve()
                    out[(str(path), int(m.group(2)))].append(m.group(3))
    return out


def test_testdata_compiles_and_escapes_are_confirmed(compiler_messages) -> None:
    problems = []
    checked = 0
    for f in sorted(TESTDATA.rglob("*.go")):
        if any(part.startswith("_") for part in f.relative_to(TESTDATA).parts):
            continue  # directories the go tool ignores (deliberately broken inputs)
        lines = f.read_text().splitlines()
        for (line, code), _ in expected(f).items():
            spec = CONFIRMED_BY.get(code)
            if spec is None:
                continue
            checked += 1
            applicable = 0
            confirmed = False
            for check in spec if isinstance(spec, tuple) else (spec,):
                pattern = check.pattern
                if check.var is not None:
                    m = re.search(check.var, lines[line - 1])
                    if not m:
                        continue
                    var = m.group(1) if m.re.groups else m.group(0)
                    pattern = pattern.replace("{var}", re.escape(var))
                applicable += 1
                span = _span(check, lines, line, var if check.var is not None else "")
                msgs = [msg for ln in span for msg in compiler_messages.get((str(f.resolve()), ln), [])]
                if any(re.search(pattern, msg) for msg in msgs):
                    confirmed = True
                    break
            assert applicable, f"{f.name}:{line}: no compiler check of {code} applies to this line"
            if not confirmed:
                near = compiler_messages.get((str(f.resolve()), line), [])
                problems.append(
                    f"{f.relative_to(TESTDATA)}:{line}: {code} not confirmed by the compiler: {near}"
                )
    assert checked >= 3, "no annotated line was checked against the compiler"
    assert not problems, "\n".join(problems)


def _span(check: Check, lines: list[str], line: int, var: str) -> range:
    if check.where == "line":
        return range(line, line + 1)
    if check.where == "decl":
        decl = re.compile(rf"\b{re.escape(var)}\s*(?:,\s*\w+\s*)*:=|\bvar\s+{re.escape(var)}\b")
        for i in range(line, 0, -1):
            if decl.search(lines[i - 1]):
                return range(i, i + 1)
        return range(0)
    return range(1, line + 1)


# A testdata line ending in this comment is a near miss the compiler must keep on the stack: no
# "escapes to heap" / "moved to heap" message may appear on it (ESC002's exact-threshold cases).
STACK_MARK = re.compile(r"//\s*compiler:\s*stack\s*$")
HEAP_MESSAGE = re.compile(r"escapes to heap|moved to heap")


def test_stack_near_misses_stay_on_the_stack(compiler_messages) -> None:
    problems = []
    marked = 0
    for f in sorted(TESTDATA.rglob("*.go")):
        if any(part.startswith("_") for part in f.relative_to(TESTDATA).parts):
            continue
        for i, text in enumerate(f.read_text().splitlines(), start=1):
            if not STACK_MARK.search(text):
                continue
            marked += 1
            heap = [m for m in compiler_messages.get((str(f.resolve()), i), []) if HEAP_MESSAGE.search(m)]
            if heap:
                problems.append(f"{f.relative_to(TESTDATA)}:{i}: marked `compiler: stack` but {heap}")
    assert marked >= 3, "no `// compiler: stack` near miss was checked"
    assert not problems, "\n".join(problems)

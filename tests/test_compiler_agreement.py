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
    source line, is substituted for {var} in pattern. where: "line" (the annotated line itself) or
    "file" (any line of the same file up to the annotated one: the compiler reports `moved to heap: v`
    at v's declaration, not where its address is taken).
    """

    pattern: str
    var: str | None = None
    where: str = "line"


CONFIRMED_BY: dict[str, Check] = {
    "TIM001": Check(r"moved to heap: {var}$", var=r"SetFinalizer\(&(\w+)", where="file"),
}


def _module_roots() -> list[Path]:
    return sorted(p.parent for p in TESTDATA.rglob("go.mod"))


@pytest.fixture(scope="module")
def compiler_messages(go: str, tmp_path_factory) -> dict[tuple[str, int], list[str]]:
    """(absolute file path, line) -> the compiler's -m messages, for every module under testdata/."""
    cache = tmp_path_factory.mktemp("gocache")
    env = dict(os.environ, GOCACHE=str(cache), GOFLAGS="-mod=mod", GOTOOLCHAIN="local", GOPROXY="off")
    out: dict[tuple[str, int], list[str]] = defaultdict(list)
    for root in _module_roots():
        proc = subprocess.run(
            [go, "build", "-gcflags=-m", "./..."],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
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
            check = CONFIRMED_BY.get(code)
            if check is None:
                continue
            checked += 1
            pattern = check.pattern
            if check.var is not None:
                m = re.search(check.var, lines[line - 1])
                assert m, f"{f.name}:{line}: cannot find the variable for {code} with {check.var!r}"
                pattern = pattern.replace("{var}", re.escape(m.group(1)))
            span = range(line, line + 1) if check.where == "line" else range(1, line + 1)
            msgs = [msg for ln in span for msg in compiler_messages.get((str(f.resolve()), ln), [])]
            if not any(re.search(pattern, msg) for msg in msgs):
                near = compiler_messages.get((str(f.resolve()), line), [])
                problems.append(
                    f"{f.relative_to(TESTDATA)}:{line}: {code} not confirmed by the compiler: {near}"
                )
    assert checked >= 3, "no annotated line was checked against the compiler"
    assert not problems, "\n".join(problems)

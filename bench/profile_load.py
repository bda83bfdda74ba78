"""Cost of a pprof profile to a `gostatic check --profile PROFILE` run (issue 12: at most 0.1 s for a 1 MB
profile): CPU time, each repeat in a fresh process (as a run is: a first read pays for its memory and
compiles its patterns), best of `--repeat` per column; "total" is the best process's sum.

- **read**: `impact.pprof.read` (gunzip and protobuf decode);
- **sums**: `impact.shares.aggregate` and the `SourceIndex` (profile functions by package), i.e. the
  rest of `impact.session.load` (sums themselves are worked out when a run asks for them, below);
- **hot**: `Ranking.hot` over the run's package jobs (which functions of each directory the profile
  samples, or their sums with `--min-share`);
- **apply**: `Ranking.apply` on the run's findings (the sums of the functions and lines they are in, and
  matching them to the functions of the source: **spans** is its part that reads those files, cuts them
  at their declarations and parses the declarations that hold findings with tree-sitter, given apart
  because it grows with the files and functions that have findings, not with the profile);
- **imports**: importing protobuf and gostatic.impact, which only a run with a profile does.

The package jobs and findings are those of `gostatic check PATHS` run in the source tree `--src`
(analysed once, by this process, before the timing); without `--src`, only read and sums.

    python bench/profile_load.py PROFILE [--src DIR [--paths PATH...]] [--min-share 0.005] [--repeat 7]
    python bench/profile_load.py /tmp/merged.pprof --src /tmp/gosrc --paths encoding/json cmd/compile/internal/ssa
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _cpu(fn: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    c = time.process_time()
    out = fn(*args)
    return time.process_time() - c, out


def _measure(path: Path, state: Path, min_share: float) -> dict[str, Any]:
    """One run's costs, in this (fresh) process."""
    import gostatic.run.runner  # noqa: F401  (a run imports it with or without a profile)
    from gostatic.parse.positions import SourceFiles

    before = time.process_time()
    from gostatic.impact import pprof, shares, source
    from gostatic.impact.session import Ranking

    t = {"imports": time.process_time() - before}  # what only a run with a profile imports
    jobs, findings = pickle.loads(state.read_bytes())
    spans = [0.0]

    def timed(fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            spent, out = _cpu(fn, *args)
            spans[0] += spent
            return out

        return run

    source.spans_of = timed(source.spans_of)  # type: ignore[assignment]
    if hasattr(source, "Declarations"):  # (this bench also runs on older checkouts, for the before)
        source.part_spans = timed(source.part_spans)  # type: ignore[assignment]
        source.Declarations.of = timed(source.Declarations.of)  # type: ignore[method-assign]
    t["read"], raw = _cpu(pprof.read, path)
    t["sums"], index = _cpu(lambda p: source.SourceIndex(shares.aggregate([p])), raw)
    ranking = Ranking([str(path)], "--profile", index, min_share)
    t["hot"], hot = _cpu(ranking.hot, jobs)
    sources = SourceFiles(f.path for f in findings)
    t["apply"], (_, notes) = _cpu(ranking.apply, findings, sources.get)
    t["spans"] = spans[0]
    t["total"] = t["read"] + t["sums"] + t["hot"] + t["apply"]
    counts = {
        "samples": raw.sample_count,
        "functions": len(raw.functions),
        "locations": len(getattr(raw, "codes", None) or raw.locations),
        "packages": len(jobs),
        "profiled": sum(1 for job in hot if job.profiled),
        "findings": len(findings),
        "sampled": len(notes),
    }
    return {"t": t, "counts": counts}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("profile", type=Path)
    ap.add_argument("--src", type=Path, help="the source tree the run is in (its current directory)")
    ap.add_argument("--paths", nargs="+", default=["."], help="the run's paths, in --src (default: .)")
    ap.add_argument("--min-share", type=float, default=0.0, help="as a fraction: 0.005 for 0.5%%")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # one measurement, state from this file
    args = ap.parse_args()
    path = args.profile.absolute()
    if args.src is not None:
        os.chdir(args.src)
    if args.child is not None:
        print(json.dumps(_measure(path, args.child, args.min_share)))
        return

    from gostatic.impact import pprof, shares, source
    from gostatic.impact.session import Ranking

    jobs: list = []
    findings: list = []
    if args.src is not None:
        from gostatic.run.runner import RunOptions, execute, plan

        jobs = plan(RunOptions(paths=args.paths)).jobs
        # the findings of a run with the profile (hot functions change what is reported)
        first = Ranking([str(path)], "--profile", source.SourceIndex(shares.aggregate([pprof.read(path)])))
        first.min_share = args.min_share
        findings, _, _ = execute(first.hot(jobs), workers=1)
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "state.pickle"
        state.write_bytes(pickle.dumps((jobs, findings)))
        command = [sys.executable, os.path.abspath(__file__), str(path), "--child", str(state)]
        command += ["--min-share", str(args.min_share)] + (["--src", "."] if args.src is not None else [])
        runs = [
            json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
            for _ in range(args.repeat)
        ]
    best = {k: min(r["t"][k] for r in runs) for k in runs[0]["t"]}
    best["total"] = min(r["t"]["total"] for r in runs)
    c = runs[0]["counts"]
    print(
        f"{path.name}: {path.stat().st_size / 1e6:.2f} MB, {c['samples']} samples, {c['functions']} functions, "
        f"{c['locations']} locations; {c['packages']} packages ({c['profiled']} with sampled functions), "
        f"{c['findings']} findings ({c['sampled']} in sampled code)"
    )
    ms = {k: f"{v * 1e3:.0f}" for k, v in best.items()}
    print(
        f"  read {ms['read']}, sums {ms['sums']}, hot {ms['hot']}, apply {ms['apply']} (spans {ms['spans']}): "
        f"{ms['total']} ms CPU; imports {ms['imports']} ms more (best of {args.repeat} processes)"
    )


if __name__ == "__main__":
    main()

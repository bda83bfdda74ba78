"""Cost of a pprof profile to a `gostatic check --profile PROFILE` run (issue 12: at most 0.1 s for a 1 MB
profile), CPU time of this process, best of `--repeat` runs, each from a fresh load:

- **read**: `impact.pprof.read` (gunzip and protobuf decode);
- **sums**: `impact.shares.aggregate` and the `SourceIndex` (profile functions by package), i.e. the
  rest of `impact.session.load` (sums themselves are worked out when a run asks for them, below);
- **hot**: `Ranking.hot` over the run's package jobs (which functions of each directory the profile
  samples, or their sums with `--min-share`);
- **apply**: `Ranking.apply` on the run's findings (the sums of the functions and lines they are in, and
  matching them to the functions of the source: **spans** is its part that reads those files, cuts them
  at their declarations and parses the declarations that hold findings with tree-sitter, given apart
  because it grows with the files and functions that have findings, not with the profile).

The package jobs and findings are those of `gostatic check PATHS` run in the source tree `--src`
(analysed once, before the timing); without `--src`, only read and sums. The import of the protobuf
library and of gostatic.impact (paid once per run with a profile) is timed in a fresh interpreter.

    python bench/profile_load.py PROFILE [--src DIR [--paths PATH...]] [--min-share 0.005] [--repeat 7]
    python bench/profile_load.py /tmp/merged.pprof --src /tmp/gosrc --paths encoding/json cmd/compile/internal/ssa
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _cpu(fn: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    c = time.process_time()
    out = fn(*args)
    return time.process_time() - c, out


def _import_cost(repeat: int) -> float:
    code = (
        "import time; t = time.process_time(); import gostatic.impact.session; print(time.process_time() - t)"
    )
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(repeat)
    ]
    base = [
        float(
            subprocess.run(
                [sys.executable, "-c", code.replace("gostatic.impact.session", "gostatic.run.runner")],
                capture_output=True, text=True, check=True,
            ).stdout
        )
        for _ in range(repeat)
    ]  # fmt: skip
    return max(0.0, min(runs) - min(base))  # what a run without a profile does not import


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("profile", type=Path)
    ap.add_argument("--src", type=Path, help="the source tree the run is in (its current directory)")
    ap.add_argument("--paths", nargs="+", default=["."], help="the run's paths, in --src (default: .)")
    ap.add_argument("--min-share", type=float, default=0.0, help="as a fraction: 0.005 for 0.5%%")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()

    from gostatic.impact import pprof, shares, source
    from gostatic.impact.session import Ranking
    from gostatic.parse.positions import SourceFiles

    path = args.profile.absolute()
    jobs: list = []
    findings: list = []
    if args.src is not None:
        from gostatic.run.runner import RunOptions, execute, plan

        os.chdir(args.src)
        jobs = plan(RunOptions(paths=args.paths)).jobs
        # the findings of a run with the profile (hot functions change what is reported)
        first = Ranking([str(path)], "--profile", source.SourceIndex(shares.aggregate([pprof.read(path)])))
        first.min_share = args.min_share
        findings, _, _ = execute(first.hot(jobs), workers=1)

    spans_spent = [0.0]

    def timed(fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            spent, out = _cpu(fn, *args)
            spans_spent[0] += spent
            return out

        return run

    source.spans_of = timed(source.spans_of)  # type: ignore[assignment]
    if hasattr(source, "Declarations"):  # (this bench also runs on older checkouts, for the before)
        source.part_spans = timed(source.part_spans)  # type: ignore[assignment]
        source.Declarations.of = timed(source.Declarations.of)  # type: ignore[method-assign]
    best: dict[str, float] = {}
    raw = None
    for _ in range(args.repeat):
        source.import_path.cache_clear()
        source._exists.cache_clear()
        spans_spent[0] = 0.0
        t = {}
        t["read"], raw = _cpu(pprof.read, path)
        t["sums"], index = _cpu(lambda p: source.SourceIndex(shares.aggregate([p])), raw)
        ranking = Ranking([str(path)], "--profile", index, args.min_share)
        t["hot"], hot = _cpu(ranking.hot, jobs)
        sources = SourceFiles(f.path for f in findings)
        t["apply"], (_, notes) = _cpu(ranking.apply, findings, sources.get)
        t["spans"] = spans_spent[0]
        t["total"] = t["read"] + t["sums"] + t["hot"] + t["apply"]
        for k, v in t.items():
            best[k] = min(best.get(k, v), v)
    assert raw is not None
    profiled = sum(1 for job in hot if job.profiled)
    print(
        f"{path.name}: {path.stat().st_size / 1e6:.2f} MB, {raw.sample_count} samples, "
        f"{len(raw.functions)} functions, {len(getattr(raw, 'codes', None) or raw.locations)} locations; "
        f"{len(jobs)} packages "
        f"({profiled} with sampled functions), {len(findings)} findings ({len(notes)} in sampled code)"
    )
    ms = {k: f"{v * 1e3:.0f}" for k, v in best.items()}
    print(
        f"  read {ms['read']}, sums {ms['sums']}, hot {ms['hot']}, apply {ms['apply']} (spans {ms['spans']}): "
        f"{ms['total']} ms CPU (best of {args.repeat} each; total: best run); "
        f"importing protobuf and gostatic.impact {_import_cost(3) * 1e3:.0f} ms more"
    )


if __name__ == "__main__":
    main()

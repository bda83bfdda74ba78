"""Cost of loading a pprof profile for ranking (issue 12: at most 0.1 s for a 1 MB profile).

Times, best of `--repeat` runs in this process (CPU time of the process, and wall time):

- **read**: `impact.pprof.read` (gunzip and protobuf decode);
- **sums**: `impact.shares.aggregate` (flat and cumulative sums per function) and the `SourceIndex`
  (profile functions by package), i.e. the rest of `impact.session.load`;
- **match**: `Ranking.hot` over the package jobs of `--src` (which functions of each directory the
  profile samples), when given.

    python bench/profile_load.py PROFILE [--src DIR] [--repeat 5]
    python bench/profile_load.py /tmp/merged.pprof --src /tmp/gosrc/cmd/compile
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    cpu, wall, out = float("inf"), float("inf"), None
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        out = fn()
        cpu, wall = min(cpu, time.process_time() - c), min(wall, time.perf_counter() - w)
    return cpu, wall, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("profile", type=Path)
    ap.add_argument("--src", type=Path, help="a source tree whose package jobs are matched to the profile")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from gostatic.impact import pprof, shares
    from gostatic.impact.session import Ranking
    from gostatic.impact.source import SourceIndex

    jobs = []
    if args.src is not None:
        from gostatic.run.runner import RunOptions, plan

        os.chdir(args.src)
        jobs = plan(RunOptions(paths=["."])).jobs
    path = args.profile.absolute()
    read_cpu, read_wall, raw = _best(lambda: pprof.read(path), args.repeat)
    sums_cpu, sums_wall, index = _best(lambda: SourceIndex(shares.aggregate([raw])), args.repeat)

    def match() -> int:
        ranking = Ranking([str(path)], "--profile", SourceIndex(index.aggregates))
        return sum(1 for job in ranking.hot(jobs) if job.profiled)

    match_cpu, match_wall, hot = _best(match, args.repeat)
    total_cpu, total_wall = read_cpu + sums_cpu + match_cpu, read_wall + sums_wall + match_wall
    print(
        f"{path.name}: {path.stat().st_size / 1e6:.2f} MB, {raw.sample_count} samples, "
        f"{len(raw.functions)} functions, {len(raw.locations)} locations"
    )
    print(
        f"  read {read_cpu * 1e3:.0f} ms, sums {sums_cpu * 1e3:.0f} ms, match {match_cpu * 1e3:.0f} ms "
        f"({len(jobs)} packages, {hot} with sampled functions): {total_cpu * 1e3:.0f} ms CPU "
        f"({total_wall * 1e3:.0f} ms wall), best of {args.repeat}"
    )


if __name__ == "__main__":
    main()

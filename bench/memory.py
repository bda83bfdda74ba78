"""Peak resident memory of gostatic's worker processes, per run and per package (Linux /proc).

Two figures, because they answer different questions:

- **per worker** (`run`): `gostatic check --no-cache --format json --jobs N PATH` as users run it; every
  process of the run is polled for its peak resident size (`VmHWM` in /proc/PID/status, kept by the
  kernel, so a spike between two polls is not missed) until it exits. The largest worker and the parent
  are printed.
- **per package** (`packages`): the run's package jobs analysed one after the other in this process, as
  a `--jobs 1` worker does; before each package the kernel's peak is reset (`echo 5 >
  /proc/self/clear_refs`), so the peak read after it is the package's own, on top of what the earlier
  packages left behind. The heaviest packages are printed with their size.

    python bench/memory.py run /work/shared/corpus/hugo --jobs 2
    python bench/memory.py packages /work/shared/corpus/hugo [--top 5]
    python bench/memory.py run /tmp/gosrc --no-profile

Goal (issue 16): every worker's peak at or under 200 MiB on every project.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def _peak_kib(pid: int | str) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def run(path: str, jobs: int, extra: list[str]) -> None:
    exe = shutil.which("gostatic", path=str(Path(sys.executable).parent)) or "gostatic"
    cmd = [exe, "check", "--no-cache", "--format", "json", "--jobs", str(jobs), *extra, "."]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks: dict[int, int] = {}
    while proc.poll() is None:
        for pid in [proc.pid, *_children(proc.pid)]:
            peaks[pid] = max(peaks.get(pid, 0), _peak_kib(pid))
        time.sleep(0.05)
    workers = {pid: kib for pid, kib in peaks.items() if pid != proc.pid}
    top = max(workers.values(), default=0)
    print(
        f"{path} --jobs {jobs} {' '.join(extra)}: {time.monotonic() - start:.1f} s, exit {proc.returncode}; "
        f"peak RSS: largest worker {top / 1024:.0f} MiB ({len(workers)} workers), "
        f"parent {peaks.get(proc.pid, 0) / 1024:.0f} MiB"
    )


def packages(path: str, top: int) -> None:
    from gostatic.run.memory import tune_collector_for_batch
    from gostatic.run.package import analyze_package
    from gostatic.run.runner import RunOptions, plan

    os.chdir(path)
    jobs = plan(RunOptions(paths=["."])).jobs
    tune_collector_for_batch()
    rows: list[tuple[int, str, int, int]] = []
    for job in jobs:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # resets VmHWM to the current resident size
        analyze_package(job)
        size = sum(os.path.getsize(f.path) for f in job.files)
        rows.append((_peak_kib("self"), job.directory, len(job.files), size))
    rows.sort(reverse=True)
    print(f"{path}: {len(jobs)} packages; heaviest by peak RSS while analysing them (one process):")
    for kib, directory, n, size in rows[:top]:
        print(f"  {kib / 1024:6.0f} MiB  {directory}  ({n} files, {size / 1e6:.1f} MB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=("run", "packages"))
    ap.add_argument("path")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--no-profile", action="store_true")
    args = ap.parse_args()
    if args.mode == "run":
        run(args.path, args.jobs, ["--no-profile"] if args.no_profile else [])
    else:
        packages(args.path, args.top)


if __name__ == "__main__":
    main()

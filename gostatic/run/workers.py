"""Package jobs over all cores: one process pool per run, started once, fed chunks of packages.

Packages are the unit of work (cross-file rules need the whole package). They differ in size by three
orders of magnitude (`cmd/compile/internal/ssa` against a one-file package), so jobs are weighed by
their bytes, the heavy ones sent alone and first, the light ones grouped into chunks of similar weight
(fewer round trips), and chunks handed out as workers free up. Results are put back in job order, so the
output is byte-identical for any number of workers.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from gostatic.run.package import PackageJob, PackageResult, analyze_package

CHUNKS_PER_WORKER = 8  # smaller chunks balance better; larger ones cost fewer round trips


def job_weight(job: PackageJob) -> int:
    total = 0
    for fj in job.files:
        with contextlib.suppress(OSError):
            total += os.stat(fj.path).st_size
    return total + 4096  # a fixed cost per package (index, rule instances, package hooks)


def chunk(jobs: Sequence[PackageJob], workers: int) -> list[list[int]]:
    """Job positions grouped into chunks, heaviest first, each chunk a share of the weight still left
    (guided scheduling): large chunks while there is much to do, small ones at the end, so that no
    worker sits idle while another finishes a big last chunk."""
    weights = [job_weight(j) for j in jobs]
    total = sum(weights)
    smallest = max(1, total // max(1, workers * CHUNKS_PER_WORKER * 8))
    order = sorted(range(len(jobs)), key=lambda i: (-weights[i], i))
    chunks: list[list[int]] = []
    current: list[int] = []
    current_weight = 0
    left = total
    for i in order:
        target = max(smallest, left // max(1, workers * 2))
        left -= weights[i]
        if weights[i] >= target and not current:
            chunks.append([i])
            continue
        current.append(i)
        current_weight += weights[i]
        if current_weight >= target:
            chunks.append(current)
            current, current_weight = [], 0
    if current:
        chunks.append(current)
    return chunks


def _init_worker() -> None:
    # Ctrl-C goes to the whole process group: the parent stops the run; workers must not each print
    # a KeyboardInterrupt traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_chunk(
    items: list[tuple[int, PackageJob]], run: Callable[[PackageJob], Any]
) -> list[tuple[int, Any]]:
    return [(i, run(job)) for i, job in items]


def _context() -> multiprocessing.context.BaseContext:
    # fork shares the already imported engine and loaded rules with the workers (start-up in
    # milliseconds); elsewhere spawn re-imports them once per worker
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_parallel(
    jobs: Sequence[PackageJob], workers: int, run: Callable[[PackageJob], Any] = analyze_package
) -> list[Any]:
    """`run` (analyze_package, or a picklable wrapper of it) over `jobs` on `workers` processes; results
    in job order."""
    if workers <= 1 or len(jobs) <= 1:
        return [run(j) for j in jobs]
    chunks = chunk(jobs, workers)
    results: list[Any] = [None] * len(jobs)
    workers = min(workers, len(chunks))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_init_worker) as pool:
        pending = {pool.submit(_run_chunk, [(i, jobs[i]) for i in c], run): c for c in chunks}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    positions = pending.pop(fut)
                    try:
                        for i, res in fut.result():
                            results[i] = res
                    except BrokenProcessPool:
                        for i in positions:
                            results[i] = PackageResult(
                                errors=[f"internal error: the worker analysing {jobs[i].directory} died"]
                            )
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return [r if r is not None else PackageResult() for r in results]

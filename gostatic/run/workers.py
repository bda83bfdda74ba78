"""Package jobs in worker processes: one process per core, each fed one package at a time, each package
held to a budget, and a dead worker costing at most the package it was analysing.

Packages are the unit of work (cross-file rules need the whole package). They differ in size by three
orders of magnitude (`cmd/compile/internal/ssa` against a one-file package), so the heavy ones are sent
first and the rest handed out as workers free up. Results are put back in job order, so the output is
byte-identical for any number of workers.

Why our own pool rather than `concurrent.futures`: a process pool whose worker dies is broken for good
(every package still queued was lost with it), it cannot tell which package a dead worker held, nor
which file, and Ctrl-C waited for busy workers. Here:

- each worker reports the file it is on (`package.PROGRESS`), and the run holds each file to a **time
  budget** (`GOSTATIC_FILE_TIME_BUDGET` seconds, default 60) and each worker to a **memory budget**
  (`GOSTATIC_MEMORY_BUDGET` MiB of resident memory, default 2048). A worker over either is killed, the
  file it was on gets a SYN003 finding saying so, and its package is analysed again without that file.
  Before the package hooks (cross-file rules) the worker reports no file: over budget there, the package
  is lost with an internal error naming it.
- a worker that dies on its own (a segfault when memory is short, the kernel's OOM killer, `kill -9`)
  is replaced, and its package tried once more in the new worker (a warning names it); if that one dies
  too, the file it was on is skipped (SYN003) and the rest of the package tried again, with an internal
  error naming the package and the file; every other package is analysed as usual. A worker that runs
  out of memory in Python (MemoryError) counts as over the memory budget.
- workers die with the run: on Linux each asks the kernel for SIGKILL when its parent dies
  (`PR_SET_PDEATHSIG`), so killing the run (SIGKILL, SIGTERM, SIGHUP) never leaves workers holding its
  stdout open; Ctrl-C kills them at once (`kill_all`, called from the CLI's SIGINT handler).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

import attrs

from gostatic.run import package as packagemod
from gostatic.run import replay
from gostatic.run.package import PackageJob, PackageResult, analyze_package

TIME_BUDGET_ENV = "GOSTATIC_FILE_TIME_BUDGET"
MEMORY_BUDGET_ENV = "GOSTATIC_MEMORY_BUDGET"
DEFAULT_TIME_BUDGET = 60.0  # seconds per file; every file of Go's own source takes under 3
DEFAULT_MEMORY_BUDGET = 2048  # MiB per worker; Go's own source stays under 300
_TICK = 0.1  # how often budgets are checked while workers are busy

_LIVE: dict[int, multiprocessing.process.BaseProcess] = {}  # pid -> worker, for kill_all


def budgets() -> tuple[float, int]:
    """(seconds per file, bytes of resident memory per worker), from the environment or the defaults."""
    seconds, mib = DEFAULT_TIME_BUDGET, DEFAULT_MEMORY_BUDGET
    with contextlib.suppress(ValueError):
        seconds = float(os.environ.get(TIME_BUDGET_ENV) or seconds)
    with contextlib.suppress(ValueError):
        mib = int(os.environ.get(MEMORY_BUDGET_ENV) or mib)
    return max(0.1, seconds), max(16, mib) * 1024 * 1024


def job_weight(job: PackageJob) -> int:
    total = 0
    for fj in job.files:
        with contextlib.suppress(OSError):
            total += os.stat(fj.path).st_size
    return total + 4096  # a fixed cost per package (index, rule instances, package hooks)


def kill_all() -> None:
    """SIGKILL every live worker (Ctrl-C: the run stops now, not when the busiest worker is done)."""
    for pid in list(_LIVE):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


# ---------------------------------------------------------------------------------------------- the worker
def _die_with_parent(parent: int) -> None:
    """Ask the kernel to SIGKILL this process when the run's process dies (Linux); if it already has,
    exit now (the parent may have died between the fork and the request)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


_OUT_OF_MEMORY = 3  # a worker's exit status when Python ran out of memory (MemoryError)


def _worker(conn: Connection, run: Callable[[PackageJob], Any], parent: int) -> None:
    # Ctrl-C goes to the whole process group: the parent stops the run and kills the workers; they must
    # not each print a KeyboardInterrupt traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    replay.stop_watching()  # before anything the worker imports or opens
    _die_with_parent(parent)
    packagemod.PROGRESS = lambda path: conn.send(("file", path))
    try:
        while True:
            try:
                msg = conn.recv()
            except (EOFError, OSError):
                os._exit(0)
            if msg is None:
                os._exit(0)
            i, job = msg
            try:
                res = run(job)
            except MemoryError:
                raise
            except Exception as exc:  # analyze_package guards rules; this is the engine itself failing
                res = PackageResult(
                    errors=[f"internal error analysing {job.directory}: {type(exc).__name__}: {exc}"]
                )
            conn.send(("done", i, res))
    except MemoryError:
        os._exit(_OUT_OF_MEMORY)  # the run says which file, and goes on without it
    except BaseException:
        os._exit(4)  # the run reports the package; no traceback from multiprocessing's bootstrap


def _context() -> multiprocessing.context.BaseContext:
    # fork shares the already imported engine and loaded rules with the workers (start-up in
    # milliseconds); elsewhere spawn re-imports them once per worker
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


@attrs.define
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    job: int | None = None  # position of the package it is analysing
    file: str | None = None  # the file it said it is on (None: reading none yet, or the package hooks)
    since: float = 0.0  # when it started on `file`
    killed_for: str | None = None  # why the run killed it (over a budget), None if it died by itself

    @classmethod
    def start(cls, ctx: multiprocessing.context.BaseContext, run: Callable[[PackageJob], Any]) -> _Worker:
        parent_end, child_end = ctx.Pipe()
        process = ctx.Process(target=_worker, args=(child_end, run, os.getpid()), daemon=True)
        process.start()
        child_end.close()
        assert process.pid is not None
        _LIVE[process.pid] = process
        return cls(process, parent_end)

    def assign(self, i: int, job: PackageJob) -> None:
        self.job, self.file, self.since, self.killed_for = i, None, time.monotonic(), None
        with contextlib.suppress(OSError):  # died idle: its sentinel says so on the next wait
            self.conn.send((i, job))

    def kill(self, reason: str) -> None:
        self.killed_for = reason
        with contextlib.suppress(OSError):
            os.kill(self.process.pid, signal.SIGKILL)  # type: ignore[arg-type]

    def reap(self) -> int | None:
        self.process.join()
        _LIVE.pop(self.process.pid, None)  # type: ignore[arg-type]
        self.conn.close()
        return self.process.exitcode

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.kill("stopped")
        self.reap()


def _resident(pid: int) -> int:
    """Resident bytes of a process (Linux /proc); 0 where unknown."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _death(code: int | None) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    return f"exit status {code}"


# ---------------------------------------------------------------------------------------------- the run
def run_parallel(
    jobs: Sequence[PackageJob], workers: int, run: Callable[[PackageJob], Any] = analyze_package
) -> list[Any]:
    """`run` (analyze_package, or a picklable wrapper of it) over `jobs` on `workers` processes (at least
    one: the run's own process never parses, so no file can take it down); results in job order. A lost
    package's result is a PackageResult holding the internal error that says so."""
    time_budget, memory_budget = budgets()
    jobs = list(jobs)
    results: list[Any] = [None] * len(jobs)
    weights = [job_weight(j) for j in jobs]
    queue = deque(sorted(range(len(jobs)), key=lambda i: (-weights[i], i)))
    deaths: dict[int, list[str]] = {}  # packages retried after a worker died: errors to add
    ctx = _context()
    pool = [_Worker.start(ctx, run) for _ in range(max(1, min(workers, len(jobs))))]
    measured = 0.0
    try:
        while True:
            for w in pool:
                if w.job is None and queue:
                    i = queue.popleft()
                    w.assign(i, jobs[i])
            busy = [w for w in pool if w.job is not None]
            if not busy:
                break
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=_TICK)
            now = time.monotonic()
            measure = now - measured >= _TICK  # resident sizes at most once a tick, not per message
            if measure:
                measured = now
            for k, w in enumerate(pool):
                if w.job is None:
                    continue
                alive = _drain(w, results)
                if alive and w.job is not None:
                    if now - w.since > time_budget:
                        w.kill(f"took longer than the {time_budget:g} s budget per file")
                        alive = False
                    elif measure and _resident(w.process.pid) > memory_budget:  # type: ignore[arg-type]
                        w.kill(f"took more than the {memory_budget >> 20} MiB memory budget")
                        alive = False
                if not alive:
                    pool[k] = _replace(w, ctx, run, jobs, results, queue, deaths)
    finally:
        for w in pool:
            if w.process.is_alive():
                w.stop()
    for i, errors in deaths.items():
        if errors and results[i] is not None:
            res = results[i][0] if isinstance(results[i], tuple) else results[i]
            res.errors[:0] = errors
    return [r if r is not None else PackageResult() for r in results]


def _drain(w: _Worker, results: list[Any]) -> bool:
    """Read what worker `w` sent (its progress, its result); False when it has died."""
    try:
        while w.conn.poll():
            msg = w.conn.recv()
            if msg[0] == "file":
                w.file, w.since = msg[1], time.monotonic()
            elif msg[0] == "done":
                results[msg[1]] = msg[2]
                w.job, w.file = None, None
    except (EOFError, OSError):
        return False
    return w.process.is_alive() or w.job is None


def _replace(
    w: _Worker,
    ctx: multiprocessing.context.BaseContext,
    run: Callable[[PackageJob], Any],
    jobs: list[PackageJob],
    results: list[Any],
    queue: deque[int],
    deaths: dict[int, list[str]],
) -> _Worker:
    """A new worker for dead `w`. Its package goes back to the queue: without the file it was on when it
    went over a budget (a SYN003 finding says so); once more, whole, after a death of its own (a
    segfault, the OOM killer, `kill -9`); without the file after a second death, with an internal error.
    A package that cannot be retried is lost, with an internal error naming it."""
    code = w.reap()
    i, path = w.job, w.file
    assert i is not None
    job = jobs[i]
    fj = next(
        (f for f in job.files if path is not None and os.path.normpath(f.path) == os.path.normpath(path)),
        None,
    )
    reason = w.killed_for or ("ran out of memory" if code == _OUT_OF_MEMORY else None)
    where = f" while on {fj.display}" if fj is not None else ""
    if reason is not None and fj is not None:
        why = (
            f"analysing this file {reason}, so it was skipped (the rest of its package was analysed); "
            f"see {TIME_BUDGET_ENV} and {MEMORY_BUDGET_ENV} in the README"
        )
        jobs[i] = attrs.evolve(job, skipped=(*job.skipped, (fj.path, why)))
        queue.appendleft(i)
    elif reason is not None:
        results[i] = PackageResult(
            errors=[
                *deaths.pop(i, []),
                f"internal error: the package-level analysis of {job.directory} {reason}; that package "
                "was not analysed",
            ]
        )
    elif i not in deaths:
        deaths[i] = []
        queue.appendleft(i)
        print(
            f"gostatic: warning: the worker analysing {job.directory} died ({_death(code)}){where}; "
            "analysing that package again in a new worker",
            file=sys.stderr,
        )
    elif fj is not None:
        deaths[i].append(
            f"internal error: the worker analysing {job.directory} died ({_death(code)}){where}, twice; "
            f"{fj.display} was skipped, the rest of the package analysed"
        )
        why = f"the worker analysing this file died twice ({_death(code)}), so it was skipped"
        jobs[i] = attrs.evolve(job, skipped=(*job.skipped, (fj.path, why)))
        queue.appendleft(i)
    else:
        results[i] = PackageResult(
            errors=[
                *deaths.pop(i),
                f"internal error: the worker analysing {job.directory} died ({_death(code)}), twice; "
                "that package was not analysed, the rest of the run was",
            ]
        )
    return _Worker.start(ctx, run)

"""gostatic: find the Go code patterns that allocate, retain and leak memory behind the GC's back."""

__version__ = "0.1.0"


def install_interrupt_handler() -> None:
    """Ctrl-C exits 130 at once, at any moment, without a traceback (the `gostatic` command installs this
    first thing, see entry.py): the handler kills the run's worker processes (they ignore SIGINT) and
    leaves with `os._exit`, so no `finally` or atexit hook can wait for a busy worker or print a
    KeyboardInterrupt from the middle of an import. Nothing a run writes is left half-done by this:
    reports go out at the end, and the cache writes its files atomically. Main thread only."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _interrupted)


def _interrupted(signum: int, frame: object) -> None:
    import os
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second press while leaving changes nothing
    workers = sys.modules.get("gostatic.run.workers")
    if workers is not None:
        workers.kill_all()
    os._exit(130)

"""The `gostatic` command's entry point: Ctrl-C is handled before anything heavy is imported, and a
`check` process ends without the interpreter's teardown (`_leave`).

A SIGINT at any moment (during start-up, while workers are busy, pressed three times) stops the run at
once with exit status 130 and no traceback: the handler kills the worker processes (they ignore SIGINT)
and leaves with `os._exit`, so no `finally` or atexit hook can wait for a busy worker or print a
KeyboardInterrupt from the middle of an import. Nothing a run writes is left half-done by this: results
go to stdout only at the end, and the cache writes its files atomically.
"""

from __future__ import annotations

import sys

from gostatic import install_interrupt_handler


def main() -> int:
    install_interrupt_handler()
    if sys.argv[1:] in (["lsp"], ["lsp", "--stdio"]):
        # the editor's start: not the command line's modules (the server loads what it needs after
        # answering `initialize`)
        from gostatic.lsp import main as lsp_main

        return lsp_main()
    if sys.argv[1:2] == ["check"]:
        # the batch run's collector settings from the start, not from `cmd_check` on: importing the
        # command line and the rules makes ~10^5 objects that all live on, and the young-generation
        # passes they triggered every 700 allocations found nothing (~9 M instructions, ~2 ms of a
        # one-file run)
        from gostatic.run.memory import tune_collector_for_batch

        tune_collector_for_batch()
        # a warm run answered from its record (gostatic/run/replay.py) imports nothing more; any other
        # `check` is watched so that it can be recorded
        from gostatic.run import replay

        code = replay.replay(sys.argv[1:])
        if code is not None:
            return _leave(code)
        replay.start(sys.argv[1:])
        from gostatic.cli import main as cli_main

        code = cli_main()
        replay.finish(code)
        return _leave(code)
    from gostatic.cli import main as cli_main

    return cli_main()


def _leave(code: int) -> int:
    """End a `check` process here when all the interpreter's shutdown would still do is free memory: it
    tore down every module and object of the run one by one (~37 M instructions, ~7 ms of a one-file
    run, more than the run's own analysis), which the operating system does at once. Only when the
    standard streams flush cleanly (a broken pipe is left to the shutdown, which reports it as ever),
    no exit hook is registered (the process pool's, when workers ran) and no other thread runs; the
    run's files (report, cache entries, replay record) are written and closed by then. Otherwise the
    code is returned for `sys.exit`."""
    import atexit
    import os
    import threading

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        return code
    callbacks = getattr(atexit, "_ncallbacks", None)
    if isinstance(code, int) and callbacks is not None and callbacks() == 0 and threading.active_count() == 1:
        os._exit(code)
    return code


if __name__ == "__main__":
    sys.exit(main())

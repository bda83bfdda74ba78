"""The `gostatic` command's entry point: Ctrl-C is handled before anything heavy is imported.

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
            return code
        replay.start(sys.argv[1:])
        from gostatic.cli import main as cli_main

        code = cli_main()
        replay.finish(code)
        return code
    from gostatic.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())

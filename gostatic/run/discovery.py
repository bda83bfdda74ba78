"""Which files a run looks at: the paths given, walked Go-style (`./...`), honouring `.gitignore`
(through pathspec), skipping vendor/, testdata/ and hidden directories unless named explicitly, and
surviving symlink loops and unreadable directories with a message instead of a crash. Directory symlinks
met in a walk are not followed (as the go tool's `./...` does not follow them); special files named
`.go` (a FIFO, a device) are skipped with a note instead of being read."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import attrs

if TYPE_CHECKING:
    import pathspec

SKIP_DIRS = frozenset({"vendor", "testdata", "node_modules"})


@attrs.define(repr=False)
class Discovered:
    files: list[tuple[Path, bool]] = attrs.Factory(list)  # (path, named explicitly)
    notes: list[str] = attrs.Factory(list)  # problems to tell the user; the run goes on
    missing: list[str] = attrs.Factory(list)
    # every walked directory's .go files (ignored ones too): the planner's package members
    go_files: dict[Path, list[Path]] = attrs.Factory(dict)


def normalize_arg(arg: str) -> Path:
    """`./...` -> `.`, `pkg/...` -> `pkg`: directories are always walked recursively."""
    if arg == "..." or arg.endswith("/...") or arg.endswith("\\..."):
        arg = arg[: -len("...")].rstrip("/\\") or "."
    return Path(arg)


class _Ignores:
    """Stack of .gitignore specs, each relative to the directory that holds it."""

    def __init__(self) -> None:
        self._cache: dict[Path, pathspec.PathSpec | None] = {}
        self._chains: dict[Path, list[tuple[Path, pathspec.PathSpec]]] = {}

    def spec_for(self, directory: Path) -> pathspec.PathSpec | None:
        if directory not in self._cache:
            spec = None
            try:
                lines = (directory / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
                import pathspec  # only where a .gitignore exists: a run outside a repository never pays

                spec = pathspec.GitIgnoreSpec.from_lines(lines)
            except OSError:
                pass
            self._cache[directory] = spec
        return self._cache[directory]

    def _chain(self, directory: Path) -> list[tuple[Path, pathspec.PathSpec]]:
        """The .gitignore specs that apply below `directory`, nearest first, up to the
        repository root. Cached per directory and built from the parent's chain: asking every parent
        of every file was most of a warm run's time."""
        chain = self._chains.get(directory)
        if chain is None:
            chain = self._chains[directory] = self._absolute_chain(directory.absolute())
        return chain

    def _absolute_chain(self, d: Path) -> list[tuple[Path, pathspec.PathSpec]]:
        chain = self._chains.get(d)
        if chain is None:
            spec = self.spec_for(d)
            own = [(d, spec)] if spec is not None else []
            parent = d.parent
            sys.audit("gostatic.probe", d / ".git")  # looked for (replay.py)
            stop = parent == d or (d / ".git").exists()
            chain = self._chains[d] = own if stop else own + self._absolute_chain(parent)
        return chain

    def ignored(self, path: Path, is_dir: bool) -> bool:
        return self.matches(self._chain(path.parent), path, is_dir)

    @staticmethod
    def matches(chain: list[tuple[Path, pathspec.PathSpec]], path: Path, is_dir: bool) -> bool:
        """Whether a spec of `chain` (the chain of `path`'s directory) ignores `path`."""
        if not chain:
            return False
        path = path.absolute()
        for d, spec in chain:
            rel = path.relative_to(d).as_posix() + ("/" if is_dir else "")
            if spec.match_file(rel):
                return True
        return False


class Excludes(Protocol):
    """The configuration's `exclude` patterns, as discovery asks them."""

    def __call__(self, path: Path, is_dir: bool) -> bool:
        """Whether `path` is excluded."""

    def applies_in(self, directory: Path) -> bool:
        """Whether any pattern can exclude a file of `directory` (when none can, none is asked about)."""


def discover(args: list[str], excluded: Excludes | None = None, force_exclude: bool = False) -> Discovered:
    out = Discovered()
    ignores = _Ignores()
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[str] = set()

    single = len(args or ["."]) == 1  # one argument: a file cannot be found twice (no set of paths)

    def add(path: Path, explicit: bool) -> None:
        if single:
            out.files.append((path, explicit))
            return
        key = os.path.abspath(path)
        if key not in seen_files:
            seen_files.add(key)
            out.files.append((path, explicit))

    for arg in args or ["."]:
        root = normalize_arg(arg)
        try:
            is_dir = root.is_dir()
            exists = root.exists() or root.is_symlink()
        except OSError as exc:
            out.notes.append(f"{root}: cannot access: {exc.strerror or exc}")
            continue
        if not exists:
            out.missing.append(arg)
            continue
        if not is_dir:
            if not _regular(root):
                out.notes.append(f"{root}: skipped: {_kind(root)}, not a regular file")
                continue
            if force_exclude and (
                (excluded is not None and excluded(root, False))
                or ignores.ignored(root, False)
                or _in_skipped_dir(root)
            ):
                continue
            add(root, True)
            continue
        before = len(out.files)
        _walk(root, out, ignores, seen_dirs, add, excluded)
        if len(out.files) == before and not any(n.startswith(f"{root}:") for n in out.notes):
            out.notes.append(f"no Go files found under {arg}")
    return out


def _regular(path: Path) -> bool:
    """Whether `path` (symlinks followed) is a regular file: reading a FIFO or a device named `x.go`
    would block the run forever or read without end."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # reading it reports the problem (SYN002)


def _kind(path: Path) -> str:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "unreadable"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "special file"


def _in_skipped_dir(path: Path) -> bool:
    return any(
        part in SKIP_DIRS or (part.startswith((".", "_")) and part not in (".", ".."))
        for part in path.parts[:-1]
    )


def _walk(
    root: Path,
    out: Discovered,
    ignores: _Ignores,
    seen_dirs: set[tuple[int, int]],
    add: Callable[[Path, bool], None],
    excluded: Excludes | None,
) -> None:
    stack = [root]
    while stack:
        d = stack.pop()
        try:
            st = d.stat()
        except OSError as exc:
            out.notes.append(f"{d}: skipped: {_why(exc)}")
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            # only a path given twice (or a directory inside another path given) gets here: the walk
            # does not follow directory symlinks
            out.notes.append(f"{d}: skipped: already analysed through another path given")
            continue
        seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as exc:
            out.notes.append(f"{d}: skipped: {_why(exc)}")
            continue
        subdirs = []
        go_files: list[Path] = out.go_files.setdefault(d, [])
        chain = ignores._chain(d)  # once per directory, not per entry
        files_excludable = excluded is not None and excluded.applies_in(d)
        at_dot = d == Path(".")
        for e in entries:
            name = e.name
            try:
                is_dir = e.is_dir()  # follows symlinks
            except OSError as exc:
                out.notes.append(f"{Path(name) if at_dot else Path(e.path)}: skipped: {_why(exc)}")
                continue
            if not is_dir and not name.endswith(".go"):
                continue  # no Path object for the many other files (their cost was a tenth of a warm run)
            p = Path(name) if at_dot else Path(e.path)
            if is_dir:
                if name.startswith((".", "_")) or name in SKIP_DIRS:  # as the go tool does
                    continue
                if e.is_symlink():
                    # Not followed, as the go tool does not follow them in `./...`: a link is a
                    # second path to a directory (or a loop), not more code.
                    continue
                if ignores.matches(chain, p, True) or (excluded is not None and excluded(p, True)):
                    continue
                subdirs.append(p)
            else:
                if e.is_symlink() and not os.path.exists(e.path):
                    out.notes.append(f"{p}: skipped: {'symlink loop' if _is_loop(p) else 'broken symlink'}")
                    continue
                if not e.is_file():
                    out.notes.append(f"{p}: skipped: {_kind(p)}, not a regular file")
                    continue
                go_files.append(p)
                if ignores.matches(chain, p, False) or (files_excludable and excluded(p, False)):
                    continue
                add(p, False)
        stack.extend(reversed(subdirs))


def _is_loop(p: Path) -> bool:
    try:
        p.resolve(strict=True)
    except RuntimeError:
        return True
    except OSError as exc:
        return exc.errno == 40  # ELOOP
    return False


def _why(exc: OSError) -> str:
    if exc.errno == 40:
        return "symlink loop"
    return exc.strerror or str(exc)

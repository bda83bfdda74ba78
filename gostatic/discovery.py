"""Which files a run looks at: the paths given, walked Go-style (`./...`), honouring `.gitignore`
(through pathspec), skipping vendor/, testdata/ and hidden directories unless named explicitly, and
surviving symlink loops and unreadable directories with a message instead of a crash."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import attrs
import pathspec

SKIP_DIRS = frozenset({"vendor", "testdata", "node_modules"})


@attrs.define
class Discovered:
    files: list[tuple[Path, bool]] = attrs.Factory(list)  # (path, named explicitly)
    notes: list[str] = attrs.Factory(list)  # problems to tell the user; the run goes on
    missing: list[str] = attrs.Factory(list)


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
                spec = pathspec.GitIgnoreSpec.from_lines(lines)
            except OSError:
                pass
            self._cache[directory] = spec
        return self._cache[directory]

    def _chain(self, directory: Path) -> list[tuple[Path, pathspec.PathSpec]]:
        """The .gitignore specs that apply below `directory`, nearest first, up to the
        repository root. Cached per directory: asking every parent of every file was most of a
        warm run's time."""
        chain = self._chains.get(directory)
        if chain is None:
            chain = []
            absolute = directory.absolute()
            for d in (absolute, *absolute.parents):
                spec = self.spec_for(d)
                if spec is not None:
                    chain.append((d, spec))
                if (d / ".git").exists():
                    break
            self._chains[directory] = chain
        return chain

    def ignored(self, path: Path, is_dir: bool) -> bool:
        chain = self._chain(path.parent)
        if not chain:
            return False
        path = path.absolute()
        for d, spec in chain:
            rel = path.relative_to(d).as_posix() + ("/" if is_dir else "")
            if spec.match_file(rel):
                return True
        return False


def discover(
    args: list[str], excluded: Callable[[Path], bool] = lambda p: False, force_exclude: bool = False
) -> Discovered:
    out = Discovered()
    ignores = _Ignores()
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[Path] = set()

    def add(path: Path, explicit: bool) -> None:
        key = path.absolute()
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
            if force_exclude and (excluded(root) or ignores.ignored(root, False) or _in_skipped_dir(root)):
                continue
            add(root, True)
            continue
        _walk(root, out, ignores, seen_dirs, add, excluded)
    return out


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
    excluded: Callable[[Path], bool],
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
            if d.is_symlink() or d != root:
                out.notes.append(f"{d}: skipped: symlink loop (directory already visited)")
            continue
        seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as exc:
            out.notes.append(f"{d}: skipped: {_why(exc)}")
            continue
        subdirs = []
        for e in entries:
            p = Path(e.path) if d != Path(".") else Path(e.name)
            try:
                is_dir = e.is_dir()  # follows symlinks
            except OSError as exc:
                out.notes.append(f"{p}: skipped: {_why(exc)}")
                continue
            if is_dir:
                if e.name.startswith((".", "_")) or e.name in SKIP_DIRS:  # as the go tool does
                    continue
                if ignores.ignored(p, True) or excluded(p):
                    continue
                subdirs.append(p)
            elif e.name.endswith(".go"):
                if e.is_symlink() and not os.path.exists(e.path):
                    out.notes.append(f"{p}: skipped: {'symlink loop' if _is_loop(p) else 'broken symlink'}")
                    continue
                if ignores.ignored(p, False) or excluded(p):
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

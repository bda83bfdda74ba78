"""Where a profile's functions are in the source: a directory's import path (go.mod's module path plus
the directory; under Go's own `src/`, whose go.mod says `module std`, the directory alone), the profile
functions of that package (or of `main`, matched by directory and file name), and the function spans of
a file, parsed with tree-sitter, so that a line can be mapped to the innermost function around it.

Profile functions are matched to declarations and literals by file name and start line (Go records the
line of the `func` keyword), which also tells closures (`Func.func1`) apart; by declared name when the
profile has no start lines."""

from __future__ import annotations

import os
from collections import defaultdict
from functools import cache
from pathlib import Path

import attrs

from gostatic.analysis import gomod
from gostatic.analysis.loops import function_name
from gostatic.impact.shares import Aggregate, FunctionStats
from gostatic.parse.syntax import FUNCTION_TYPES, parse, walk


@cache
def import_path(directory: str) -> str | None:
    """The import path of the package in `directory` (absolute), or None outside a module."""
    d = Path(directory)
    mod_file = gomod.gomod_for_dir(d)
    module = gomod.module_path_for_dir(d)
    if mod_file is None or module is None:
        return None
    rel = d.relative_to(mod_file.parent).as_posix()
    if module == "std":
        return None if rel == "." else rel
    return module if rel == "." else f"{module}/{rel}"


@attrs.frozen
class Span:
    start: int  # 1-based lines, inclusive
    end: int
    name: str  # "Func" / "T.Method" for declarations, "" for literals


def spans_of(source: bytes) -> list[Span]:
    """Every function declaration and literal of a Go file, in document order (outer before inner)."""
    root = parse(source).root_node
    return [
        Span(n.start_point[0] + 1, n.end_point[0] + 1, function_name(n))
        for n in walk(root)
        if n.type in FUNCTION_TYPES
    ]


@attrs.frozen
class Sampled:
    """One profile function found in a directory, per kind (a function may be in a CPU profile and an
    allocation profile at once)."""

    name: str
    basename: str
    start_line: int
    stats: tuple[tuple[Aggregate, FunctionStats], ...]


class SourceIndex:
    """Profile functions by package, and by directory once asked."""

    def __init__(self, aggregates: dict[str, Aggregate]) -> None:
        self.aggregates = aggregates
        by_name: dict[str, list[tuple[Aggregate, FunctionStats]]] = defaultdict(list)
        for agg in aggregates.values():
            for fs in agg.functions.values():
                by_name[fs.name].append((agg, fs))
        self.by_package: dict[str, list[Sampled]] = defaultdict(list)
        # (name of the file's directory, package is main) -> functions: matched by directory name where
        # the import path does not say (a main package; a tree without go.mod)
        self.by_dirname: dict[tuple[str, bool], list[Sampled]] = defaultdict(list)
        for name, pairs in by_name.items():
            fs = pairs[0][1]
            sampled = Sampled(name, os.path.basename(fs.filename), fs.start_line, tuple(pairs))
            self.by_package[fs.symbol.package].append(sampled)
            parent = os.path.basename(os.path.dirname(fs.filename.replace("\\", "/")))
            self.by_dirname[(parent, fs.symbol.package == "main")].append(sampled)
        self._dirs: dict[str, list[Sampled]] = {}
        self._files: dict[str, tuple[list[Span], dict[int, Sampled]]] = {}

    def in_directory(self, directory: str) -> list[Sampled]:
        """The profile functions whose source is in `directory` (absolute)."""
        hit = self._dirs.get(directory)
        if hit is not None:
            return hit
        out: list[Sampled] = []
        ip = import_path(directory)
        if ip is not None:
            out.extend(s for s in self.by_package.get(ip, ()) if _exists(directory, s.basename))
            out.extend(s for s in self.by_package.get(ip + "_test", ()) if _exists(directory, s.basename))
        dirname = os.path.basename(directory)
        candidates = self.by_dirname.get((dirname, True), [])
        if ip is None:
            candidates = candidates + self.by_dirname.get((dirname, False), [])
        out.extend(s for s in candidates if _exists(directory, s.basename) and s not in out)
        self._dirs[directory] = out
        return out

    def file_functions(self, path: str, source: bytes | None = None) -> tuple[list[Span], dict[int, Sampled]]:
        """The spans of `path` and, by span index, the profile function each one is."""
        path = os.path.abspath(path)
        hit = self._files.get(path)
        if hit is not None:
            return hit
        base = os.path.basename(path)
        sampled = [s for s in self.in_directory(os.path.dirname(path)) if s.basename == base]
        spans: list[Span] = []
        matched: dict[int, Sampled] = {}
        if sampled:
            if source is None:
                try:
                    source = Path(path).read_bytes()
                except OSError:
                    source = b""
            spans = spans_of(source)
            by_line: dict[int, list[int]] = defaultdict(list)
            by_name: dict[str, int] = {}
            for i, sp in enumerate(spans):
                by_line[sp.start].append(i)
                if sp.name:
                    by_name.setdefault(sp.name, i)
            for s in sampled:
                symbol = s.stats[0][1].symbol
                if s.start_line > 0:
                    for i in by_line.get(s.start_line, ()):
                        # a declaration must also have the declared name (the file may have changed)
                        if spans[i].name == (symbol.function if not symbol.is_closure else ""):
                            matched[i] = s
                elif not symbol.is_closure and symbol.function in by_name:
                    matched[by_name[symbol.function]] = s
        self._files[path] = (spans, matched)
        return spans, matched

    def function_at(self, path: str, line: int, source: bytes | None = None) -> Sampled | None:
        """The innermost sampled function around `line` of `path`."""
        spans, matched = self.file_functions(path, source)
        best: Sampled | None = None
        for i, sp in enumerate(spans):
            if sp.start > line:
                break
            if sp.end >= line and i in matched:
                best = matched[i]  # later spans that contain the line are nested deeper
        return best


@cache
def _exists(directory: str, basename: str) -> bool:
    return os.path.isfile(os.path.join(directory, basename))

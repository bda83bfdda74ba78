"""Where a profile's functions are in the source: a directory's import path (go.mod's module path plus
the directory; under Go's own `src/`, whose go.mod says `module std`, the directory alone), the profile
functions of that package (or of `main`, matched by directory and file name), and the function spans of
a file, parsed with tree-sitter, so that a line can be mapped to the innermost function around it.

Profile functions are matched to declarations and literals by file name and start line (Go records the
line of the `func` keyword), which also tells closures (`Func.func1`) apart; by declared name when the
profile has no start lines."""

from __future__ import annotations

import math
import os
import re
from bisect import bisect_right
from collections import defaultdict
from functools import cache
from pathlib import Path

import attrs

from gostatic.analysis import gomod
from gostatic.analysis.loops import function_name
from gostatic.impact import symbols
from gostatic.impact.shares import Aggregate, FunctionStats
from gostatic.parse.positions import LineIndex
from gostatic.parse.syntax import FUNCTION_TYPES, Node, find_all, parse


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
    return _spans(parse(source).root_node)


def part_spans(source: bytes) -> list[Span] | None:
    """`spans_of` the first part of a file, or None when it does not parse without an error (see
    `Declarations`)."""
    root = parse(source).root_node
    return None if root.has_error else _spans(root)


def _spans(root: Node) -> list[Span]:
    return [
        Span(n.start_point[0] + 1, n.end_point[0] + 1, function_name(n))
        for n in find_all(root, FUNCTION_TYPES)
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
    """Profile functions by package, and by directory once asked. Built from the names alone (a package
    path is a prefix of the name); a function's `Sampled` is made when a directory asks for it."""

    def __init__(self, aggregates: dict[str, Aggregate]) -> None:
        self.aggregates = aggregates
        kinds = list(aggregates.values())
        # every function name, of any kind (the stats of one are gathered when asked: `_stats`)
        names = (
            kinds[0].functions if len(kinds) == 1 else dict.fromkeys(n for a in kinds for n in a.functions)
        )
        self._package = dict(zip(names, map(symbols.package_of, names), strict=True))
        self.by_package: dict[str, list[str]] = defaultdict(list)  # package -> function names
        for name, package in self._package.items():
            self.by_package[package].append(name)
        # (name of the file's directory, package is main) -> function names: matched by directory name
        # where the import path does not say (a main package; a tree without go.mod); built when asked
        self._by_dirname: dict[bool, dict[str, list[str]]] = {}
        self._sampled: dict[str, Sampled] = {}
        self._dirs: dict[str, list[Sampled]] = {}
        # per path, with the bytes they were worked out from (None: the file as read from disk), so that an
        # editor's buffer that changed since gets its own spans rather than the last version's
        self._files: dict[str, tuple[bytes | None, list[Span], dict[int, Sampled]]] = {}
        self._expected: dict[str, int] = {}  # path -> the last line `function_at` will be asked
        self._prefixes: dict[str, tuple[bytes | None, float, list[Span], dict[int, Sampled]]] = {}

    def sampled(self, name: str) -> Sampled:
        hit = self._sampled.get(name)
        if hit is None:
            pairs = self._stats(name)
            fs = pairs[0][1]
            hit = self._sampled[name] = Sampled(
                name, os.path.basename(fs.filename), fs.start_line, tuple(pairs)
            )
        return hit

    def _stats(self, name: str) -> list[tuple[Aggregate, FunctionStats]]:
        """The stats of the function `name` in each kind that has it, in the kinds' order."""
        return [(agg, fs) for agg in self.aggregates.values() if (fs := agg.functions.get(name)) is not None]

    def by_dirname(self, main: bool) -> dict[str, list[str]]:
        """Directory name -> the names of the functions in files there: of main packages only (`main`),
        or of every other package."""
        hit = self._by_dirname.get(main)
        if hit is None:
            hit = self._by_dirname[main] = defaultdict(list)
            first: dict[str, FunctionStats] = {}  # name -> its stats in the first kind that has it
            for agg in reversed(self.aggregates.values()):
                first.update(agg.functions)
            for name, package in self._package.items():
                if (package == "main") == main:
                    filename = first[name].filename
                    hit[os.path.basename(os.path.dirname(filename.replace("\\", "/")))].append(name)
        return hit

    def in_directory(self, directory: str) -> list[Sampled]:
        """The profile functions whose source is in `directory` (absolute)."""
        hit = self._dirs.get(directory)
        if hit is not None:
            return hit
        out: list[Sampled] = []
        ip = import_path(directory)
        if ip is not None:
            for package in (ip, ip + "_test"):
                for name in self.by_package.get(package, ()):
                    s = self.sampled(name)
                    if _exists(directory, s.basename):
                        out.append(s)
        dirname = os.path.basename(directory)
        candidates = self.by_dirname(True).get(dirname, [])
        if ip is None:
            candidates = candidates + self.by_dirname(False).get(dirname, [])
        seen = {s.name for s in out}
        for name in candidates:
            if name not in seen:
                s = self.sampled(name)
                if _exists(directory, s.basename):
                    out.append(s)
                    seen.add(name)
        self._dirs[directory] = out
        return out

    def file_functions(self, path: str, source: bytes | None = None) -> tuple[list[Span], dict[int, Sampled]]:
        """The spans of `path` and, by span index, the profile function each one is."""
        path = os.path.abspath(path)
        hit = self._files.get(path)
        if hit is not None and _same(hit[0], source):
            return hit[1], hit[2]
        return self._file_functions(path, source, self._sampled_in(path))

    def _sampled_in(self, path: str) -> list[Sampled]:
        base = os.path.basename(path)
        return [s for s in self.in_directory(os.path.dirname(path)) if s.basename == base]

    def _file_functions(
        self, path: str, source: bytes | None, sampled: list[Sampled]
    ) -> tuple[list[Span], dict[int, Sampled]]:
        spans: list[Span] = []
        matched: dict[int, Sampled] = {}
        if sampled:
            spans = spans_of(source if source is not None else _read(path))
            matched = _matched(spans, sampled)
        self._files[path] = (source, spans, matched)
        return spans, matched

    def expect(self, path: str, line: int) -> None:
        """Say that `function_at` will be asked about `line` of `path`: the file is parsed only up to the
        end of the declaration holding the last line expected (see `Declarations`)."""
        path = os.path.abspath(path)
        self._expected[path] = max(line, self._expected.get(path, 0))

    def function_at(self, path: str, line: int, source: bytes | None = None) -> Sampled | None:
        """The innermost sampled function around `line` of `path`."""
        path = os.path.abspath(path)
        hit = self._prefixes.get(path)
        if hit is None or line >= hit[1] or not _same(hit[0], source):
            hit = self._prefixes[path] = (
                source,
                *self._prefix(path, max(line, self._expected.get(path, 0)), source),
            )
        return _innermost(hit[2], hit[3], line)

    def _prefix(
        self, path: str, line: int, source: bytes | None
    ) -> tuple[float, list[Span], dict[int, Sampled]]:
        """(the line the spans go up to, exclusive; the spans; the matched functions) of `path`, from a
        parse of the file up to the end of the declaration holding `line`, or of the whole file."""
        sampled = self._sampled_in(path)
        if sampled and all(s.start_line > 0 for s in sampled):  # else matched by name: the whole file
            if source is None:
                source = _read(path)
            decls = Declarations.of(source)
            if decls is not None:
                end_line, end = decls.end_after(line)
                spans = part_spans(source[:end]) if end < len(source) else None
                if spans is not None:
                    return end_line, spans, _matched(spans, sampled)
        return math.inf, *self.file_functions(path, source)


def _same(kept: bytes | None, source: bytes | None) -> bool:
    """The bytes a cached answer was worked out from are these (the same object, or equal bytes)."""
    return kept is source or (kept is not None and source is not None and kept == source)


def _innermost(spans: list[Span], matched: dict[int, Sampled], line: int) -> Sampled | None:
    best: Sampled | None = None
    for i, sp in enumerate(spans):
        if sp.start > line:
            break
        if sp.end >= line and i in matched:
            best = matched[i]  # later spans that contain the line are nested deeper
    return best


def _matched(spans: list[Span], sampled: list[Sampled]) -> dict[int, Sampled]:
    """By span index, the profile function each span is: by start line and declared name."""
    by_line: dict[int, list[int]] = defaultdict(list)
    by_name: dict[str, int] = {}
    for i, sp in enumerate(spans):
        by_line[sp.start].append(i)
        if sp.name:
            by_name.setdefault(sp.name, i)
    matched: dict[int, Sampled] = {}
    for s in sampled:
        symbol = s.stats[0][1].symbol
        if s.start_line > 0:
            for i in by_line.get(s.start_line, ()):
                # a declaration must also have the declared name (the file may have changed)
                if spans[i].name == (symbol.function if not symbol.is_closure else ""):
                    matched[i] = s
        elif not symbol.is_closure and symbol.function in by_name:
            matched[by_name[symbol.function]] = s
    return matched


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        return b""


# What is not code: comments, interpreted and raw strings, runes (leftmost first, so that a quote in a
# comment or a comment marker in a string is read as Go reads it).
_NOT_CODE = re.compile(rb'//[^\n]*|/\*.*?\*/|"(?:[^"\\\n]|\\.)*"|`[^`]*`|\'(?:[^\'\\\n]|\\.)*\'', re.S)
_TOP_LEVEL = re.compile(rb"^(?:func|type|var|const|import)\b", re.M)
_OPENS, _CLOSES = (b"{", b"(", b"["), (b"}", b")", b"]")
_DANGLING = re.compile(rb"[-+*/%&|^<>!=,.:]\s*\Z")  # code that an expression or a list goes on after


def _blank(m: re.Match[bytes]) -> bytes:
    """A comment as its newlines, a string or rune as `0` and its newlines (an operand, so that the code
    before it does not look unfinished)."""
    text = m.group()
    return (b"" if text[0] == 47 else b"0") + b"\n" * text.count(b"\n")  # 47: "/"


class Declarations:
    """Where a Go file's top-level declarations start, so that the file can be parsed only up to the end
    of the last declaration a run asks about (a run's findings are often in the first part of a file):
    `func`, `type`, `var`, `const` or `import` at the start of a line, outside comments and strings,
    where every bracket opened before it is closed and the code before it does not end as an unfinished
    expression (`var f =` before a `func` literal at the start of a line). `of` answers None when the file
    cannot be cut so.

    A prefix that ends at such a cut and parses without an error has the nodes the whole file's parse has
    there: each of its declarations starts where the parser is at the top level. With an error it may
    not (tree-sitter's recovery from one, e.g. a Go 1.27 method with type parameters, can read the
    declarations after it as literals), and the whole file is parsed instead, as before."""

    def __init__(self, source: bytes, cuts: list[tuple[int, int]]) -> None:
        self.source = source
        self.cuts = cuts  # (line, byte offset) of each declaration's start
        self.lines = [line for line, _ in cuts]

    @classmethod
    def of(cls, source: bytes) -> Declarations | None:
        code = _NOT_CODE.sub(_blank, source)  # the same lines, comments and strings blanked
        if b"/*" in code or b'"' in code or b"`" in code or b"'" in code:
            return None  # an unterminated comment, string or rune
        starts = [m.start() for m in _TOP_LEVEL.finditer(code)]
        depth = [0, 0, 0]
        prev = 0
        for at in [*starts, len(code)]:
            for k in range(3):
                depth[k] += code.count(_OPENS[k], prev, at) - code.count(_CLOSES[k], prev, at)
            if depth != [0, 0, 0]:
                return None  # a bracket open across a cut
            if prev and _DANGLING.search(code, prev, at):
                return None
            prev = at
        # line numbers and offsets in the source: a cut is at the start of a line in both
        offsets = LineIndex(source).starts
        cuts = []
        line = prev = 0
        for at in starts:
            line += code.count(b"\n", prev, at)
            cuts.append((line + 1, offsets[line]))
            prev = at
        return cls(source, cuts)

    def end_after(self, line: int) -> tuple[int, int]:
        """(first line, byte offset) of the declaration after the one holding `line` (the end of the
        file: one past its last line, its length)."""
        k = bisect_right(self.lines, line)
        return self.cuts[k] if k < len(self.cuts) else (self.source.count(b"\n") + 2, len(self.source))


@cache
def _exists(directory: str, basename: str) -> bool:
    return os.path.isfile(os.path.join(directory, basename))

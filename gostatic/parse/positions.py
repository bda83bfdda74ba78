"""Byte offsets to 1-based line/column (bytes, as Go tools count) and to other encodings (UTF-16 for
SARIF and LSP), computed from one line-start table per file."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import attrs


@attrs.frozen
class Position:
    """A place in a file as Go tools print it."""

    line: int  # 1-based
    column: int  # 1-based, in bytes


class LineIndex:
    """Line starts of one file, built on first need: a report that converts a handful of offsets in a
    file (fix edits) counts newlines in C instead of listing every line start in Python."""

    _FEW = 16  # offsets converted by counting before the table is built

    def __init__(self, source: bytes) -> None:
        self.source = source
        self._starts: list[int] | None = None
        self._asked = 0

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            source = self.source
            starts = [0]
            i = source.find(b"\n")
            while i >= 0:
                starts.append(i + 1)
                i = source.find(b"\n", i + 1)
            self._starts = starts
        return self._starts

    def position(self, offset: int) -> Position:
        if self._starts is None and self._asked < self._FEW:
            self._asked += 1
            line_start = self.source.rfind(b"\n", 0, offset) + 1
            return Position(self.source.count(b"\n", 0, offset) + 1, offset - line_start + 1)
        line = bisect.bisect_right(self.starts, offset) - 1
        return Position(line + 1, offset - self.starts[line] + 1)

    def line_text(self, line: int) -> bytes:
        """The text of 1-based `line`, without its newline."""
        if line < 1 or line > len(self.starts):
            return b""
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.source)
        return self.source[start:end].rstrip(b"\r")

    def utf16_column(self, line: int, byte_column: int) -> int:
        """0-based UTF-16 code-unit column for a 1-based byte column."""
        prefix = self.line_text(line)[: byte_column - 1].decode("utf-8", "replace")
        return len(prefix.encode("utf-16-le")) // 2

    def offset(self, line: int, byte_column: int) -> int:
        return self.starts[line - 1] + byte_column - 1


class SourceFiles(Mapping[str, bytes]):
    """Files' bytes by path, read on first use (an unreadable file reads as empty): a report needs only
    the files whose lines it prints or whose fix positions it converts, not every file with a finding."""

    def __init__(self, paths: Iterable[str]) -> None:
        self._paths = dict.fromkeys(paths)
        self._data: dict[str, bytes] = {}

    def __getitem__(self, path: str) -> bytes:
        if path not in self._paths:
            raise KeyError(path)
        data = self._data.get(path)
        if data is None:
            try:
                data = Path(path).read_bytes()
            except OSError:
                data = b""
            self._data[path] = data
        return data

    def provide(self, path: str, data: bytes) -> None:
        """Give the bytes of `path` instead of reading the file (source read from standard input)."""
        if path in self._paths:
            self._data[path] = data

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


class LineIndexes:
    """A LineIndex per file of `sources`, built when first asked for."""

    def __init__(self, sources: Mapping[str, bytes]) -> None:
        self._sources = sources
        self._indexes: dict[str, LineIndex] = {}

    def get(self, path: str) -> LineIndex | None:
        idx = self._indexes.get(path)
        if idx is None and path in self._sources:
            idx = self._indexes[path] = LineIndex(self._sources[path])
        return idx

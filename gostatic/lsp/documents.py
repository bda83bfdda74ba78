"""The open buffers, as bytes: the server's own store instead of pygls' str-based workspace documents,
so that an incremental change costs a splice and a line-table update, not a rebuild of a 4 MB string."""

from __future__ import annotations

import threading
from pathlib import Path

import attrs
from lsprotocol import types
from pygls.uris import to_fs_path

from gostatic.lsp.convert import LineTable


@attrs.define
class Document:
    uri: str
    path: Path | None  # None for non-file URIs (untitled:, git:, ...)
    language_id: str
    version: int
    table: LineTable

    @property
    def data(self) -> bytes:
        return self.table.data

    @property
    def is_go(self) -> bool:
        return self.language_id == "go" or (self.path is not None and self.path.suffix == ".go")

    def apply(self, change: types.TextDocumentContentChangeEvent, encoding: str) -> None:
        new = change.text.encode("utf-8", "surrogatepass")
        if isinstance(change, types.TextDocumentContentChangePartial):
            start = self.table.offset(change.range.start, encoding)
            end = self.table.offset(change.range.end, encoding)
            if end < start:
                start, end = end, start
            self.table.splice(start, end, new)
        else:
            self.table = LineTable(new)


def path_of(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    fs = to_fs_path(uri)
    return Path(fs) if fs else None


class DocumentStore:
    """Open documents by URI. Mutated on the event loop; the analysis thread takes snapshots under the
    lock (bytes are immutable, so a snapshot is just references)."""

    def __init__(self) -> None:
        self._docs: dict[str, Document] = {}
        self.lock = threading.Lock()

    def open(self, item: types.TextDocumentItem) -> Document:
        doc = Document(
            item.uri,
            path_of(item.uri),
            item.language_id,
            item.version,
            LineTable(item.text.encode("utf-8", "surrogatepass")),
        )
        with self.lock:
            self._docs[item.uri] = doc
        return doc

    def change(self, params: types.DidChangeTextDocumentParams, encoding: str) -> Document | None:
        doc = self._docs.get(params.text_document.uri)
        if doc is None:
            return None
        with self.lock:
            for change in params.content_changes:
                doc.apply(change, encoding)
            doc.version = params.text_document.version
        return doc

    def close(self, uri: str) -> Document | None:
        with self.lock:
            return self._docs.pop(uri, None)

    def get(self, uri: str) -> Document | None:
        return self._docs.get(uri)

    def unlocked(self) -> list[Document]:
        """For a caller that already holds `lock`."""
        return list(self._docs.values())

    def all(self) -> list[Document]:
        with self.lock:
            return list(self._docs.values())

    def in_directory(self, directory: Path) -> list[Document]:
        with self.lock:
            return [
                d
                for d in self._docs.values()
                if d.path is not None and d.path.parent == directory and d.is_go
            ]

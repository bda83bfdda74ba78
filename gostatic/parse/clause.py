"""A file's package clause read from its head, without parsing it: whether a directory holds a command
(`package main`) is asked by the planner (a main package's `default.pgo`), the editor's profile lookup
and the one-shot test of retention rules, all before any tree exists."""

from __future__ import annotations

import re

_MAIN = re.compile(rb"^package\s+main\b", re.MULTILINE)
HEAD_BYTES = 16384  # the clause comes after the licence and doc comments: enough for a long one


def declares_main(path: str | bytes) -> bool:
    """The file at `path` says `package main` (False when it cannot be read)."""
    try:
        with open(path, "rb") as fh:
            return _MAIN.search(fh.read(HEAD_BYTES)) is not None
    except OSError:
        return False

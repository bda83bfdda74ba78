"""Findings and fixes as immutable values: what every reporter, the fixer and the LSP server consume."""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from gostatic.parse.positions import Position


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value.lower())
        except ValueError:
            raise ValueError(f"unknown severity {value!r} (expected error, warning or info)") from None


@attrs.frozen
class Edit:
    """Replace bytes [start, end) of the file with new_text."""

    start: int
    end: int
    new_text: str

    @classmethod
    def replace(cls, node, new_text: str) -> Edit:  # type: ignore[no-untyped-def]
        return cls(node.start_byte, node.end_byte, new_text)

    @classmethod
    def insert_before(cls, node, new_text: str) -> Edit:  # type: ignore[no-untyped-def]
        return cls(node.start_byte, node.start_byte, new_text)

    @classmethod
    def insert_after(cls, node, new_text: str) -> Edit:  # type: ignore[no-untyped-def]
        return cls(node.end_byte, node.end_byte, new_text)

    @classmethod
    def delete(cls, node) -> Edit:  # type: ignore[no-untyped-def]
        return cls(node.start_byte, node.end_byte, "")


def _edits(edits: Iterable[Edit]) -> tuple[Edit, ...]:
    """Fix.edits as a tuple. A function of ours rather than `tuple` itself: attrs reads a converter's
    signature, and a builtin's is parsed from its text with the tokenizer (~2 ms of every start-up)."""
    return tuple(edits)


@attrs.frozen
class Fix:
    description: str
    edits: tuple[Edit, ...] = attrs.field(converter=_edits)
    safe: bool = True


@attrs.frozen(order=False)
class Finding:
    path: str
    start: Position
    end: Position
    start_byte: int
    end_byte: int
    code: str
    name: str
    severity: Severity
    message: str
    fix: Fix | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.start.line, self.start.column, self.code, self.message)


__all__ = ["Edit", "Finding", "Fix", "Position", "Severity"]

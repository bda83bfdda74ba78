"""Partial runs of one file, for the LSP server's incremental re-analysis of a large buffer after an edit
(gostatic/lsp/incremental.py decides what to run again; this is the engine's side).

The rules visit only the nodes that intersect a byte span of the file (the census is restricted to it,
see census.py); every finding of the run is recorded with its origin, the byte range of the node whose
visit reported it (a finding reported from a package hook has its own range as origin); the findings
the caller carried over from an earlier run for the rest of the file join them before suppressions
apply, so `//nolint` and unused-suppression findings see the whole file. Findings kept apart as not
worth reporting (a cost in cold code or a test) are carried too, marked hidden: a suppression on one of
them is in use."""

from __future__ import annotations

import functools
from collections.abc import Callable

import attrs

from gostatic.lint.context import FileContext
from gostatic.lint.dispatch import node_types_of
from gostatic.lint.finding import Finding
from gostatic.lint.rule import Rule

Origin = tuple[int, int]
# a raw finding of a partial run: the finding, its origin, and whether it is kept apart (not shown)
Raw = tuple[Finding, Origin, bool]


@attrs.frozen(repr=False)
class Partial:
    """`span`: the bytes whose nodes the rules visit (None: the whole file; empty: none); `carried`: raw
    findings (before suppressions) of the rest of the file with their origins, already moved to the
    current text. The run's raw findings, the `carried` of the next partial run, come back in
    `PackageResult.raw`."""

    span: tuple[int, int] | None = None
    carried: tuple[Raw, ...] = ()

    @property
    def visits_nothing(self) -> bool:
        return self.span is not None and self.span[0] >= self.span[1]


def record_origins(instances: list[Rule]) -> dict[int, Origin]:
    """Wrap the visit and leave methods of these rule instances (for this run only) so that each finding
    they add is recorded with its origin; returns the record, by id of the finding."""
    origins: dict[int, Origin] = {}
    for rule in instances:
        for kind, (has_visit, has_leave) in node_types_of(type(rule)).items():
            for prefix, present in (("visit_", has_visit), ("leave_", has_leave)):
                if present:
                    name = prefix + kind
                    setattr(rule, name, _recording(getattr(rule, name), origins))
    return origins


def _recording(method: Callable[[object, FileContext], None], origins: dict[int, Origin]) -> Callable:
    @functools.wraps(method)
    def call(node, ctx: FileContext) -> None:  # type: ignore[no-untyped-def]
        before, hidden_before = len(ctx.findings), len(ctx.hidden_findings)
        try:
            method(node, ctx)
        finally:
            for f in ctx.findings[before:] + ctx.hidden_findings[hidden_before:]:
                origins[id(f)] = (node.start_byte, node.end_byte)

    return call


def merge(fc: FileContext, part: Partial, origins: dict[int, Origin]) -> list[Raw]:
    """After the rules ran: add the carried findings to the file's, the hidden ones to its hidden
    findings (a carried finding the run reported again, from a package hook, is not added twice), and
    return all of them with their origins."""
    raw: list[Raw] = [(f, origins.get(id(f), (f.start_byte, f.end_byte)), False) for f in fc.findings]
    raw += [(f, origins.get(id(f), (f.start_byte, f.end_byte)), True) for f in fc.hidden_findings]
    seen = {(f.code, f.start_byte, f.end_byte, f.message) for f, _, _ in raw}
    for f, origin, hidden in part.carried:
        if (f.code, f.start_byte, f.end_byte, f.message) not in seen:
            (fc.hidden_findings if hidden else fc.findings).append(f)
            raw.append((f, origin, hidden))
    return raw

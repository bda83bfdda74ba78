"""A run's profiles: which files (`--profile`, else the configuration's `profile = [...]`, else the
`default.pgo` of the main packages in the run), loaded once into a `SourceIndex`; the package jobs told
which of their functions are sampled (hot); and the findings annotated, thresholded and ordered.

Without a profile none of this runs and nothing changes: no job, finding or report differs from a run of
a gostatic without this stage."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

import attrs

from gostatic.impact import pprof, rank, shares
from gostatic.impact.source import SourceIndex
from gostatic.lint.finding import Finding
from gostatic.lint.registry import load_rules
from gostatic.run.package import PackageJob
from gostatic.run.runner import Plan


@attrs.define
class Ranking:
    paths: list[str]
    origin: str  # "--profile", "config" or "default.pgo": where the paths came from
    index: SourceIndex
    min_share: float = 0.0
    kind_of: dict[str, str] = attrs.Factory(dict)

    @property
    def kinds(self) -> list[str]:
        return list(self.index.aggregates)

    def note(self) -> str:
        """One line for the text report: which profiles ranked it."""
        where = "" if self.origin == "--profile" else f" ({self.origin})"
        hidden = f"; cost findings under {rank.format_share(self.min_share)} hidden" if self.min_share else ""
        return (
            f"Findings ranked by {', '.join(self.paths)}{where}: share of the profile at the finding's line "
            f"(or in its function); cost findings in code it never sampled come last{hidden}."
        )

    def hot(self, jobs: Iterable[PackageJob]) -> list[PackageJob]:
        """The jobs, each with the functions of its directory the profiles sample (they count as hot) and
        the lines of their files the samples reached (a block of such a function that none reached is
        cold: `analysis/sampled.py`)."""
        jobs = list(jobs)
        directories = {os.path.abspath(job.directory) for job in jobs}
        rank.prepare_hot(self.index, [self.index.in_directory(d) for d in directories], self.min_share)
        out = []
        evidence = rank.evidence(self.index)
        for job in jobs:
            spans = rank.hot_spans(self.index, job.directory, self.min_share)
            lines = rank.sampled_lines(self.index, job.directory)  # also of functions under the floor
            if spans or lines:
                job = attrs.evolve(
                    job, profiled=spans, sampled_lines=lines, sampled_by=evidence if lines else ""
                )
            out.append(job)
        return out

    def apply(
        self, findings: Iterable[Finding], sources: Callable[[str], bytes | None] | None = None
    ) -> tuple[list[Finding], rank.Annotations]:
        """The findings over the threshold, ordered by cost, and their profile numbers."""
        findings = list(findings)
        notes = rank.annotate(findings, self.index, sources)
        kept = rank.above(findings, notes, self.kind_of, self.min_share) if self.min_share > 0 else findings
        return rank.order(kept, notes, self.kind_of), notes


def load(paths: Iterable[str], origin: str, min_share: float = 0.0, plugins: Iterable = ()) -> Ranking:
    """Read and sum the profiles at `paths` (raises `ProfileError` for the first bad one)."""
    paths = list(paths)
    raw = [pprof.read(p) for p in paths]
    from gostatic.lint.engine_rules import ENGINE_RULES

    kind_of = {r.meta.code: r.meta.kind for r in load_rules(list(plugins))}
    kind_of.update((r.meta.code, "engine") for r in ENGINE_RULES)  # notices about the input, not the program
    return Ranking(paths, origin, SourceIndex(shares.aggregate(raw)), min_share, kind_of)


def choose(cli_paths: list[str] | None, plan: Plan) -> tuple[list[str], str]:
    """The profiles of a run and where they came from: the flag's, else the configuration's, else the
    main packages' `default.pgo`; ([], "") when there is none."""
    if cli_paths:
        return list(cli_paths), "--profile"
    if plan.profiles:
        return list(plan.profiles), "config"
    if plan.pgo:
        return list(plan.pgo), "default.pgo"
    return [], ""


def for_plan(cli_paths: list[str] | None, cli_min_share: float | None, plan: Plan) -> Ranking | None:
    paths, origin = choose(cli_paths, plan)
    if not paths:
        return None
    min_share = cli_min_share if cli_min_share is not None else (plan.min_share or 0.0)
    return load(paths, origin, min_share)


def labelled(findings: Iterable[Finding], notes: rank.Annotations) -> list[Finding]:
    """The findings with their share in front of the message (`[12% cpu] ...`), for the formats whose
    only free text is the message (text, rdjson, GitHub)."""
    out = []
    for f in findings:
        note = notes.get(f)
        out.append(attrs.evolve(f, message=f"[{note.label}] {f.message}") if note is not None else f)
    return out

"""`gostatic profile FILE [PATHS]`: the profile's top functions in the code under PATHS (flat and
cumulative share) and, under each, the findings inside it, ranked; then where the rest of the findings
stand. A quick look at what a profile says before reading the ranked `check` output."""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict

from gostatic.impact import rank, session
from gostatic.impact.shares import Aggregate, FunctionStats
from gostatic.lint.finding import Finding
from gostatic.parse.positions import SourceFiles
from gostatic.run.runner import RunOptions, execute, plan


def cmd_profile(args: argparse.Namespace, err) -> int:  # type: ignore[no-untyped-def]
    from pathlib import Path

    opts = RunOptions(paths=args.paths or ["."], config_path=Path(args.config) if args.config else None)
    the_plan = plan(opts)
    for missing in the_plan.missing:
        err.print(f"gostatic: error: {missing}: no such file or directory", markup=False)
    ranking = session.load([args.profile, *(args.also or ())], "--profile")
    jobs = ranking.hot(the_plan.jobs)
    findings, errors, _ = execute(jobs, workers=max(1, args.jobs or 1))
    sources = SourceFiles(f.path for f in findings)
    findings, notes = ranking.apply(findings, sources.get)
    out = sys.stdout
    by_function: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        note = notes.get(f)
        if note is not None:
            by_function[note.kinds[0].function].append(f)
    directories = {os.path.abspath(job.directory) for job in jobs}
    for kind, agg in ranking.index.aggregates.items():
        out.write(f"{', '.join(agg.paths)}: {kind} profile, {_total(agg)}\n")
        local = _functions_in(ranking, agg, directories)
        agg.ensure(local)
        out.write(f"{'flat':>7} {'cum':>7}  function (in {', '.join(args.paths or ['.'])})\n")
        for fs in sorted(local, key=lambda fs: (-fs.flat[0], -fs.cum[0], fs.name))[: args.top]:
            out.write(
                f"{rank.format_share(agg.share(fs.flat[0])):>7} {rank.format_share(agg.share(fs.cum[0])):>7}"
                f"  {fs.name}  {os.path.basename(fs.filename)}:{fs.start_line}\n"
            )
            for f in by_function.pop(fs.name, []):
                label = notes[f].label
                out.write(
                    f"{'':>17}[{label}] {f.path}:{f.start.line}:{f.start.column}: {f.code} {f.message}\n"
                )
        if not local:
            out.write("   (no sampled function is in these paths: is it the profile of this code?)\n")
        out.write("\n")
    rest = sum(1 for f in findings if f not in notes)
    sampled = sum(len(v) for v in by_function.values())
    out.write(
        f"{len(findings)} findings: {len(findings) - rest} in sampled functions"
        f"{f' ({sampled} in functions below the top {args.top})' if sampled else ''}, {rest} in code the profile "
        "never sampled; `gostatic check --profile FILE` lists them all, ranked\n"
    )
    for e in errors:
        err.print(f"gostatic: {e}", markup=False)
    return 2 if errors or the_plan.missing else 0


def _total(agg: Aggregate) -> str:
    if agg.kind == "cpu":
        return f"{agg.totals[0] / 1e9:.2f} s of CPU samples"
    return f"{agg.totals[0] / 1e6:.1f} MB in {agg.totals[1]} objects"


def _functions_in(ranking: session.Ranking, agg: Aggregate, directories: set[str]) -> list[FunctionStats]:
    names = {s.name for d in directories for s in ranking.index.in_directory(d)}
    return [fs for fs in agg.functions.values() if fs.name in names]

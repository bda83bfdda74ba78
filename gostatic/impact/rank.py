"""What a finding's code costs, by the profiles, and the order and threshold that follow from it.

A finding's *share* in one profile kind is the share of the samples with a frame at its line (callees
included: the allocation or call the finding is about) or, when no sample has, the share its function
holds itself (flat). Findings are ordered by that share, largest first; findings with equal shares keep
their path order. A cost finding (`meta.kind == "cost"`) in a function no profile sampled comes after all
the rest, and `min_share` hides cost findings whose function holds less than it (cumulative); defects
are never hidden by a profile."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping

import attrs

from gostatic.impact.shares import Aggregate, FunctionStats
from gostatic.impact.source import SourceIndex
from gostatic.lint.finding import Finding


@attrs.frozen
class KindShare:
    """One profile kind's numbers for a finding; values are in `shares.KINDS[kind]` order (cpu: ns and
    samples; alloc: bytes and objects)."""

    kind: str
    function: str  # the profile's name of the function around the finding
    flat: float
    cum: float
    line: float
    flat_values: tuple[int, int]
    cum_values: tuple[int, int]
    line_values: tuple[int, int]

    @property
    def share(self) -> float:
        return self.line if self.line > 0 else self.flat

    @property
    def label(self) -> str:
        """`4.0% cpu` at the line; `1.2% cpu in its function` when no sample hit the line but the function
        holds samples of its own (the line's share is not known, so the figure must not read as its);
        `0% cpu of a 12% function` when only the function's callees were sampled."""
        if self.line > 0 or self.cum <= 0:
            return f"{format_share(self.line)} {self.kind}"
        if self.flat > 0:
            return f"{format_share(self.flat)} {self.kind} in its function"
        return f"0% {self.kind} of a {format_share(self.cum)} function"


@attrs.frozen
class FindingProfile:
    kinds: tuple[KindShare, ...]

    @property
    def share(self) -> float:
        """The ranking share: the largest of the kinds'."""
        return max(k.share for k in self.kinds)

    @property
    def function_share(self) -> float:
        return max(k.cum for k in self.kinds)

    @property
    def label(self) -> str:
        """`12.3% cpu` / `4.0% cpu, 31.2% alloc`: what text, rdjson and GitHub output show."""
        return ", ".join(k.label for k in self.kinds)

    def to_json(self) -> dict:
        out: dict = {"share": round(self.share, 6), "function": self.kinds[0].function}
        for k in self.kinds:
            entry = {
                "function": k.function,
                "share": round(k.share, 6),
                "line_share": round(k.line, 6),
                "flat_share": round(k.flat, 6),
                "cum_share": round(k.cum, 6),
            }
            if k.kind == "cpu":
                entry |= {"flat_ns": k.flat_values[0], "cum_ns": k.cum_values[0], "line_ns": k.line_values[0]}
            else:
                entry |= {
                    "line_bytes": k.line_values[0],
                    "line_objects": k.line_values[1],
                    "flat_bytes": k.flat_values[0],
                    "flat_objects": k.flat_values[1],
                    "cum_bytes": k.cum_values[0],
                    "cum_objects": k.cum_values[1],
                }
            out[k.kind] = entry
        return out


def format_share(share: float) -> str:
    pct = share * 100
    if pct >= 10:
        return f"{pct:.0f}%"
    if pct >= 0.1:
        return f"{pct:.1f}%"
    return "<0.1%" if pct > 0 else "0%"


Annotations = dict[Finding, FindingProfile]


def annotate(
    findings: Iterable[Finding], index: SourceIndex, sources: Callable[[str], bytes | None] | None = None
) -> Annotations:
    """The profile numbers of every finding inside a sampled function."""
    out: Annotations = {}
    located = []
    wanted: dict[int, set[tuple[str, int]]] = {}  # per aggregate: the lines asked, in one pass each
    findings = list(findings)
    for f in findings:
        index.expect(f.path, f.start.line)
    for f in findings:
        path = os.path.abspath(f.path)
        sampled = index.function_at(path, f.start.line, sources(f.path) if sources is not None else None)
        if sampled is None:
            continue
        located.append((f, sampled))
        for agg, fs in sampled.stats:
            wanted.setdefault(id(agg), set()).add((fs.filename, f.start.line))
    for agg in index.aggregates.values():  # the sums of these functions and lines, in one pass
        agg.ensure(
            (fs for _, sampled in located for a, fs in sampled.stats if a is agg), wanted.get(id(agg), ())
        )
    lines = {id(agg): agg.line_values(()) for agg in index.aggregates.values()}
    for f, sampled in located:
        kinds = []
        for agg, fs in sampled.stats:
            line = tuple(lines[id(agg)].get((fs.filename, f.start.line), (0, 0)))
            kinds.append(
                KindShare(
                    agg.kind,
                    fs.name,
                    agg.share(fs.flat[0]),
                    agg.share(fs.cum[0]),
                    agg.share(line[0]),
                    (fs.flat[0], fs.flat[1]),
                    (fs.cum[0], fs.cum[1]),
                    (line[0], line[1]),
                )
            )
        kinds.sort(key=lambda k: list(_KIND_ORDER).index(k.kind))
        out[f] = FindingProfile(tuple(kinds))
    return out


_KIND_ORDER = ("cpu", "alloc", "inuse")


def order(
    findings: Iterable[Finding], annotations: Mapping[Finding, FindingProfile], kind_of: Mapping[str, str]
) -> list[Finding]:
    """Sampled findings by share (largest first), then the unsampled defects, then unsampled cost
    findings, then the engine's notices about its input (a file that does not parse, a suppression
    comment without a reason: `kind_of` says "engine"), which say nothing about what the program costs;
    the input order within each."""
    group = {"defect": 1, "cost": 2, "engine": 3}

    def key(f: Finding) -> tuple[int, float, float]:
        a = annotations.get(f)
        if a is not None:
            return (0, -a.share, -a.function_share)
        return (group.get(kind_of.get(f.code, "defect"), 1), 0.0, 0.0)

    return sorted(findings, key=key)


def above(
    findings: Iterable[Finding],
    annotations: Mapping[Finding, FindingProfile],
    kind_of: Mapping[str, str],
    min_share: float,
) -> list[Finding]:
    """Drop cost findings whose function holds less than `min_share` of every profile (unsampled: 0)."""
    out = []
    for f in findings:
        if kind_of.get(f.code, "defect") == "cost":
            a = annotations.get(f)
            if (a.function_share if a is not None else 0.0) < min_share:
                continue
        out.append(f)
    return out


def hot_spans(
    index: SourceIndex, directory: str, min_share: float = 0.0
) -> tuple[tuple[str, int, str, str], ...]:
    """For a package job: (file name, start line, declared name, reason) of each function the profiles
    sample in `directory` (holding at least `min_share`, and at least `HOT_FLOOR`), which the hot-context
    mechanism treats as hot. The caller has asked `prepare_hot` for the run's directories at once
    (`Ranking.hot`); without it the answers are the same, worked out one function at a time."""
    out = []
    here = index.in_directory(os.path.abspath(directory))
    floor = max(min_share, HOT_FLOOR)
    for s in here:
        fs = s.stats[0][1]
        if not any(_hot_enough(agg, f, floor, min_share) for agg, f in s.stats):
            continue
        name = fs.symbol.function if not fs.symbol.is_closure else ""
        # no number in the reason: it goes into messages, which baselines and fingerprints compare, and
        # into the cache key; the numbers are the report's (`FindingProfile`)
        out.append((s.basename, s.start_line, name, "in a function the profile samples"))
    return tuple(sorted(out))


# A function the profiles give less than this share of their samples is not made hot by them: in a large
# profile one or two samples of a function are noise, and a cost there is worth at most that share. In a
# profile of under 1,000 samples every sampled function clears it. (pprof's own graphs leave out edges
# under this fraction: its -edgefraction default.)
HOT_FLOOR = 0.001


# A block no CPU sample reached, in a profile of this many samples, holds less than 3 / samples of the
# program's time at 95% confidence (no event in n trials: the "rule of three"), here under 1%. With fewer
# samples its silence says little, and no block is taken as unsampled. An allocation profile draws its
# samples by bytes (one per `MemProfileRate` bytes on average): a block none reached allocated less than
# 3 / draws of what the program allocated.
MIN_SAMPLES = 300


def sampled_lines(
    index: SourceIndex, directory: str
) -> tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...]:
    """For a package job: (file name, the lines some sample has a frame at, the start lines of the
    profile's functions there) of each file of `directory` holding a function the profiles sample, when
    a CPU profile has samples enough to say that a block of such a function never ran (`MIN_SAMPLES`);
    () otherwise. The lines of every profile kind count: a block an allocation profile saw allocate ran.
    The start lines tell a function the profile describes from one that has moved since."""
    if not evidence(index):
        return ()
    here = index.in_directory(os.path.abspath(directory))
    names: dict[str, set[str]] = {}  # the profile's file name -> the file names here it is
    starts: dict[str, set[int]] = {}
    for s in here:
        starts.setdefault(s.basename, set()).add(s.start_line)
        for _, fs in s.stats:
            names.setdefault(fs.filename, set()).add(s.basename)
    lines: dict[str, set[int]] = {}
    for agg in index.aggregates.values():
        for filename, found in agg.sampled_lines(names).items():
            for base in names[filename]:
                lines.setdefault(base, set()).update(found)
    return tuple(
        (base, tuple(sorted(found)), tuple(sorted(starts.get(base, ()))))
        for base, found in sorted(lines.items())
    )


def evidence(index: SourceIndex) -> str:
    """What a block that no sample reached is evidence of (`MIN_SAMPLES`): "cpu", that it costs nothing
    worth a change (a CPU profile measures every cost); "alloc", that it allocates nothing worth one (an
    allocation profile is silent about a block that runs hot without allocating); "" when the profiles
    have too few samples to say."""
    for kind in ("cpu", "alloc"):
        agg = index.aggregates.get(kind)
        if agg is not None and agg.draws >= MIN_SAMPLES:
            return kind
    return ""


def _weighs_little(agg: Aggregate, floor: float) -> bool:
    """One sample of `agg` weighs at least `floor` of it: every sampled function clears the floor, and
    whether a function is sampled is all there is to know."""
    return floor * agg.totals[0] <= agg.smallest


def _hot_enough(agg: Aggregate, fs: FunctionStats, floor: float, min_share: float) -> bool:
    """Whether a profile makes `fs` hot: it holds `min_share` of the samples (exactly: cumulative), and at
    least `HOT_FLOOR` of them (a bound: its frames' samples, a recursion counted once per frame)."""
    if min_share > 0 and agg.share(fs.cum[0]) < min_share:
        return False
    if _weighs_little(agg, floor):
        return agg.sampled(fs)
    return agg.share(agg.frame_sum(fs)) >= floor


def prepare_hot(index: SourceIndex, functions: Iterable[Iterable], min_share: float = 0.0) -> None:
    """Work out what `hot_spans` and `sampled_lines` ask of these functions (lists of `source.Sampled`: a
    run's directories'), for all of them in one pass over each profile: their sums (or, when every
    sampled function clears the floor, whether each is sampled) and the lines of their files."""
    wanted = [s for group in functions for s in group]
    floor = max(min_share, HOT_FLOOR)
    blocks = bool(evidence(index))
    for agg in index.aggregates.values():
        mine = [fs for s in wanted for a, fs in s.stats if a is agg]
        if min_share > 0:
            agg.ensure(mine)
        if _weighs_little(agg, floor):
            agg.ensure_sampled(mine)
        else:
            agg.ensure_frame_sums(mine)
        if blocks:
            agg.sampled_lines({fs.filename for fs in mine})

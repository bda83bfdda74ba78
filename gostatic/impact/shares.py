"""What each function and line of a profile holds: flat (the innermost frame, its own work) and
cumulative (anywhere on the stack, callees included; counted once per sample even when recursive) sums
of the profile's sample values, as shares of the total.

A profile's *kind* says what its primary value measures: "cpu" (CPU time; `go test -cpuprofile`,
`/debug/pprof/profile`, `default.pgo`), "alloc" (bytes and objects allocated: `-memprofile`'s
alloc_space/alloc_objects) or "inuse" (a heap profile's live bytes, when it has no alloc_* values).
Several profiles of the same kind are summed; each kind is kept apart."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from itertools import chain
from operator import itemgetter

import attrs

from gostatic.impact import symbols
from gostatic.impact.pprof import ProfileError, RawProfile

# kind -> (the value types it reads, in order: the first one is the primary share)
KINDS: dict[str, tuple[str, ...]] = {
    "cpu": ("cpu", "samples"),
    "alloc": ("alloc_space", "alloc_objects"),
    "inuse": ("inuse_space", "inuse_objects"),
}
UNITS = {"cpu": "cpu", "alloc": "alloc", "inuse": "inuse"}


def kind_of(profile: RawProfile) -> tuple[str, list[int]]:
    """The profile's kind and the indexes of its values (`KINDS` order; -1 for a value it lacks)."""
    names = [t.type for t in profile.sample_types]
    for kind, wanted in KINDS.items():
        if wanted[0] in names:
            return kind, [names.index(w) if w in names else -1 for w in wanted]
    # another profile (contention, goroutines, ...): its default or last value, counted like CPU time
    i = names.index(profile.default_type) if profile.default_type in names else len(names) - 1
    return "cpu", [i, -1]


@attrs.define(eq=False)
class FunctionStats:
    """One function's sums. `cum` is worked out when first read, for this function and every other of its
    aggregate that `Aggregate.ensure_cum` was asked about at once: a run needs the cumulative values of the
    functions its findings are in, not of the whole profile."""

    name: str  # as the profile spells it
    symbol: symbols.Symbol
    filename: str
    start_line: int
    flat: list[int] = attrs.Factory(lambda: [0, 0])
    aggregate: Aggregate | None = attrs.field(default=None, repr=False)
    _cum: list[int] | None = attrs.field(default=None, repr=False)

    @property
    def cum(self) -> list[int]:
        if self._cum is None:
            if self.aggregate is None:
                return [0, 0]
            self.aggregate.ensure_cum([self])
        assert self._cum is not None
        return self._cum


@attrs.define
class Aggregate:
    """One kind's sums: `totals` and the per-function and per-line values, in `KINDS[kind]` order."""

    kind: str
    paths: list[str] = attrs.Factory(list)
    totals: list[int] = attrs.Factory(lambda: [0, 0])
    functions: dict[str, FunctionStats] = attrs.Factory(dict)
    # (file name as in the profile, line) -> cumulative values of the samples with a frame at that line,
    # worked out when first asked (`line_values`): a report needs the lines of its findings only
    _lines: dict[tuple[str, int], list[int]] = attrs.Factory(dict)
    # per profile added: its locations, its function stats by id, its stacks grouped by sample values
    _parts: list[tuple[dict, dict, dict, dict, list, set]] = attrs.Factory(list)
    _sampled: set[int] | None = None  # the functions with a primary value somewhere on a stack

    def share(self, value: int, which: int = 0) -> float:
        total = self.totals[which]
        return value / total if total > 0 else 0.0

    def add(self, profile: RawProfile, indexes: list[int]) -> None:
        """Add a profile's samples. Cumulative values are counted once per function of a sample (a
        recursion counts once) and once more per location that holds it among other functions (inlined
        calls); flat values go to the innermost function of the leaf location.

        Why it is built this way: a 1 MB profile has ~25,000 samples of ~25 frames, so any Python step
        per frame costs tens of milliseconds. The samples are grouped by their values (few distinct
        pairs in a CPU profile), and each group is counted by C-level `map`, `set` and `Counter` calls:
        the only Python loops are one per sample (grouping) and one per location and function."""
        self.paths.append(profile.path)
        width = profile.width
        a, b = indexes
        values = profile.values
        va = values[a::width] if a >= 0 else [0] * profile.sample_count
        vb = values[b::width] if b >= 0 else [0] * profile.sample_count
        self.totals[0] += sum(va)
        self.totals[1] += sum(vb)
        groups: dict[tuple[int, int], list[list[int]]] = defaultdict(list)
        for pair, stack in zip(zip(va, vb, strict=True), _stacks(profile), strict=True):
            if stack:
                groups[pair].append(stack)
        valueless = groups.pop((0, 0), None)
        stats = self._stats(profile)
        locations = profile.locations
        # A location's key: its function's stats id, or for a location of several functions (inlined
        # calls) a negative key standing for them all. A sample's distinct keys are found by C-level
        # set() and map() calls; a function twice on a stack only through inlining and recursion at once
        # can be counted twice.
        fn_key = {fid: id(fs) for fid, fs in stats.items()}
        key_of = {loc: fn_key[frames[0][0]] for loc, frames in locations.items() if len(frames) == 1}
        combos: list[tuple[int, ...]] = []
        for loc, frames in locations.items():
            if len(frames) > 1:
                combos.append(tuple(dict.fromkeys(fn_key[f] for f, _ in frames)))
                key_of[loc] = -len(combos)
        flat: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # leaf location -> values
        first = itemgetter(0)
        for (x, y), stacks in groups.items():
            for loc, n in Counter(map(first, stacks)).items():
                cell = flat[loc]
                cell[0] += x * n
                cell[1] += y * n
        present = set(profile.ids)  # every location a sample names (and the 0 that ends each sample)
        present.discard(0)
        if not key_of.keys() >= present:
            raise ProfileError(f"{profile.path}: not a pprof profile: a sample names no location")
        for loc, (x, y) in flat.items():
            frames = locations.get(loc)
            if frames:
                fs = stats[frames[0][0]]
                fs.flat[0] += x
                fs.flat[1] += y
        for fs in stats.values():
            fs.aggregate = self
            fs._cum = None  # a profile added after a read: worked out again, over every part
        if valueless or any(x == 0 for x, _ in groups):  # a sample without a primary value samples nothing
            present = set(chain.from_iterable(chain.from_iterable(st for (x, _), st in groups.items() if x)))
        self._parts.append((locations, stats, groups, key_of, combos, present))
        self._lines.clear()
        self._sampled = None

    def _stats(self, profile: RawProfile) -> dict[int, FunctionStats]:
        """The stats of each function id of `profile` (functions are merged by name across profiles)."""
        functions = self.functions
        stats: dict[int, FunctionStats] = {}
        for fid, (name, filename, start_line) in profile.functions.items():
            fs = functions.get(name)
            if fs is None:
                fs = functions[name] = FunctionStats(name, symbols.parse(name), filename, start_line)
            stats[fid] = fs
        return stats

    def line_values(self, wanted: Iterable[tuple[str, int]]) -> dict[tuple[str, int], list[int]]:
        """The cumulative values at each (file name, line) of `wanted`: one pass over the stacks for all
        the lines not asked before, counting the samples with a location at one of them (once per
        location of a sample)."""
        missing = {key for key in wanted if key not in self._lines}
        for key in missing:
            self._lines[key] = [0, 0]
        if missing:
            for locations, stats, groups, _, _, _ in self._parts:
                at: dict[int, list[tuple[str, int]]] = {}  # location -> the wanted lines it is at
                for loc, frames in locations.items():
                    keys = [
                        k for k in dict.fromkeys((stats[f].filename, ln) for f, ln in frames) if k in missing
                    ]
                    if keys:
                        at[loc] = keys
                if at:
                    _tally(groups, at, self._lines, once_per_sample=False)
        return self._lines

    def ensure_cum(self, wanted: Iterable[FunctionStats]) -> None:
        """Work out the cumulative values of the `wanted` functions not yet known, in one pass over the
        stacks that hold any of them: per sample, each function counts once (a recursion, or a function
        at several locations through inlining, counts once), then times the sample's values."""
        todo = {id(fs): fs for fs in wanted if fs._cum is None}
        if not todo:
            return
        sums = {k: [0, 0] for k in todo}
        for _, _, groups, key_of, combos, _ in self._parts:
            at: dict[int, tuple[int, ...]] = {}  # location -> the wanted functions at it
            for loc, key in key_of.items():
                hit = tuple(k for k in (combos[-key - 1] if key < 0 else (key,)) if k in todo)
                if hit:
                    at[loc] = hit
            if at:
                _tally(groups, at, sums, once_per_sample=True)
        for k, fs in todo.items():
            fs._cum = sums[k]

    def sampled(self, fs: FunctionStats) -> bool:
        """Whether some sample with a primary value (CPU time, bytes) has `fs` on its stack: what a run
        without a threshold needs to know of every function of its packages, without their sums."""
        if self._sampled is None:
            keys: set[int] = set()
            for _, _, _, key_of, combos, present in self._parts:
                for key in map(key_of.__getitem__, present):
                    keys.update(combos[-key - 1] if key < 0 else (key,))
            self._sampled = keys
        return id(fs) in self._sampled

    def line(self, filename: str, line: int) -> list[int]:
        return self.line_values([(filename, line)])[(filename, line)]


def _tally(
    groups: dict[tuple[int, int], list[list[int]]],
    at: Mapping[int, Sequence[Hashable]],
    sums: dict,
    *,
    once_per_sample: bool,
) -> None:
    """Add to `sums[key]` the values of the samples with a location in `at` (location -> its keys), in
    C-level set intersections over the stacks that hold none. `once_per_sample`: a key counts once per
    sample however many of its locations the sample has (a function's cumulative value); otherwise once
    per location (a line's value: the samples with a frame at it)."""
    need = set(at)
    for (x, y), stacks in groups.items():
        counts: Counter = Counter()
        if once_per_sample:
            for locs in filter(None, map(need.intersection, stacks)):
                if len(locs) == 1:
                    counts.update(at[next(iter(locs))])
                else:
                    counts.update(set(chain.from_iterable(map(at.__getitem__, locs))))
        else:
            for loc, n in Counter(chain.from_iterable(map(need.intersection, stacks))).items():
                for key in at[loc]:
                    counts[key] += n
        for key, n in counts.items():
            cell = sums[key]
            cell[0] += x * n
            cell[1] += y * n


def _stacks(profile: RawProfile) -> list[list[int]]:
    """Each sample's location ids, split at the 0 after each (see pprof.py): a C-level search per
    sample, the fastest split measured (a groupby or a compress over every id is slower)."""
    ids = profile.ids
    find = ids.index
    out = []
    start = 0
    for _ in range(profile.sample_count):
        end = find(0, start)
        out.append(ids[start:end])
        start = end + 1
    return out


def aggregate(profiles: Iterable[RawProfile]) -> dict[str, Aggregate]:
    """Sum profiles by kind."""
    out: dict[str, Aggregate] = {}
    for p in profiles:
        kind, indexes = kind_of(p)
        agg = out.get(kind)
        if agg is None:
            agg = out[kind] = Aggregate(kind)
        agg.add(p, indexes)
    return out

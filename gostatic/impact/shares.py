"""What each function and line of a profile holds: flat (the innermost frame, its own work) and
cumulative (anywhere on the stack, callees included; counted once per sample even when recursive) sums
of the profile's sample values, as shares of the total.

A profile's *kind* says what its primary value measures: "cpu" (CPU time; `go test -cpuprofile`,
`/debug/pprof/profile`, `default.pgo`), "alloc" (bytes and objects allocated: `-memprofile`'s
alloc_space/alloc_objects) or "inuse" (a heap profile's live bytes, when it has no alloc_* values).
Several profiles of the same kind are summed; each kind is kept apart."""

from __future__ import annotations

import operator
import re
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import compress, count, pairwise, repeat
from typing import Any

import attrs

from gostatic.impact import symbols
from gostatic.impact.pprof import RawProfile, char_class

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
    """One function's sums. `flat` and `cum` are worked out when first read, for this function and every
    other of its aggregate that `Aggregate.ensure` was asked about at once: a run needs the values of the
    functions its findings are in, not of the whole profile."""

    name: str  # as the profile spells it
    filename: str
    start_line: int
    aggregate: Aggregate | None = attrs.field(default=None, repr=False)
    _symbol: symbols.Symbol | None = attrs.field(default=None, repr=False)
    _flat: list[int] | None = attrs.field(default=None, repr=False)
    _cum: list[int] | None = attrs.field(default=None, repr=False)
    _frame_sum: int | None = attrs.field(default=None, repr=False)  # see `Aggregate.frame_sum`

    @property
    def symbol(self) -> symbols.Symbol:
        if self._symbol is None:
            self._symbol = symbols.parse(self.name)
        return self._symbol

    @property
    def flat(self) -> list[int]:
        return self._sums()[0]

    @property
    def cum(self) -> list[int]:
        return self._sums()[1]

    def _sums(self) -> tuple[list[int], list[int]]:
        """(flat, cum), worked out together by `Aggregate.ensure` on first read."""
        if self._flat is None or self._cum is None:
            if self.aggregate is None:
                return [0, 0], [0, 0]
            self.aggregate.ensure([self])
        assert self._flat is not None and self._cum is not None
        return self._flat, self._cum


@attrs.define(eq=False)
class _Part:
    """One profile added to an aggregate: its stacks and values, and the indexes the queries build from
    its locations the first time one needs them."""

    profile: RawProfile
    stats: dict[int, FunctionStats]  # function id -> the aggregate's stats of that function
    va: list[int]  # per sample: the primary value, and the second
    vb: list[int]
    _ends: list[int] | None = None  # per location: the index of the (0, 0) that ends its flat Lines
    _present: set[int] | None = None  # the location codes on the stacks of samples with a primary value
    _weights: dict[str, int] | None = None  # location -> primary value of the samples with it on the stack
    _named: set[int] | None = None  # the function ids some Line names

    def ends(self) -> list[int]:
        if self._ends is None:
            self._ends = list(compress(count(), map(operator.not_, self.profile.line_functions)))
        return self._ends

    def frames(self, functions: Iterable[int]) -> dict[int, list[tuple[str, int, int]]]:
        """Where each of these function ids is: (location as a character, line, location index) per Line
        of it."""
        wanted = set(functions)
        wanted.discard(0)  # 0 ends each location's Lines (a Function written without its id is never named)
        out: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
        if not wanted:
            return out
        p = self.profile
        fids, numbers, codes, ends = p.line_functions, p.line_numbers, p.codes, self.ends()
        for i in compress(count(), map(wanted.__contains__, fids)):
            j = bisect_left(ends, i)
            out[fids[i]].append((chr(codes[j]), numbers[i], j))
        return out

    def leaf(self, j: int) -> int:
        """The function id of the first Line of location `j` (by index; 0 when it has none)."""
        return self.profile.line_functions[self.ends()[j - 1] + 1 if j else 0]

    def present(self) -> set[int]:
        if self._present is None:
            stacks = self.profile.stacks
            text = "\x00".join(stacks if all(self.va) else compress(stacks, self.va))
            ids = array("I")
            ids.frombytes(text.encode("utf-32-le", "surrogatepass"))
            self._present = set(ids)
            self._present.discard(0)
        return self._present

    def weights(self) -> dict[str, int]:
        """Per location, the primary value of the samples that have it on their stack (once per sample):
        one pass over the samples, and then any function's frame sum is a few look-ups."""
        if self._weights is None:
            acc: dict[str, int] = defaultdict(int)
            for stack, v in zip(self.profile.stacks, self.va, strict=True):
                if v:
                    for ch in set(stack):
                        acc[ch] += v
            self._weights = acc
        return self._weights

    def named(self) -> set[int]:
        if self._named is None:
            self._named = set(self.profile.line_functions)
            self._named.discard(0)
        return self._named


# Over this many runs of consecutive location codes, a set is faster than compiling a character class.
_MAX_RANGES = 2000


def _search(chars: set[str]) -> tuple[Callable[[str], Any], Callable[[str], Iterable[str]]]:
    """(whether a stack holds one of `chars`, the ones it holds, with repeats): a compiled character class
    (C code over each stack) for a few thousand locations, set operations for more."""
    codes = sorted(map(ord, chars))
    runs = 1 + sum(1 for a, b in pairwise(codes) if b != a + 1) if codes else 0
    if runs <= _MAX_RANGES:
        pattern = re.compile(f"[{char_class(codes)}]" if codes else "(?!)")
        return pattern.search, pattern.findall
    members = set(chars)
    return (lambda st: not members.isdisjoint(st)), members.intersection


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
    _parts: list[_Part] = attrs.Factory(list)
    _sampled: dict[int, bool] = attrs.Factory(dict)  # id(stats) -> has a primary value on some stack
    # how many samples the profiles drew: CPU's sample count; an allocation profile's bytes over its
    # sampling rate (it samples by bytes); 0 when not known. What a silent block is evidence of depends
    # on it (`rank.MIN_SAMPLES`).
    draws: float = 0.0
    smallest: int = 0  # the smallest primary value of a sample that has one: what one sample weighs
    _file_lines: dict[str, set[int]] = attrs.Factory(dict)  # `sampled_lines`, per file name asked

    def share(self, value: int, which: int = 0) -> float:
        total = self.totals[which]
        return value / total if total > 0 else 0.0

    def add(self, profile: RawProfile, indexes: list[int]) -> None:
        """Add a profile's samples. Nothing is summed here but the totals: the sums of a function or a
        line are worked out when asked (`ensure`, `line_values`, `sampled`)."""
        self.paths.append(profile.path)
        width = profile.width
        a, b = indexes
        values = profile.values
        va = values[a::width] if a >= 0 else [0] * profile.sample_count
        vb = values[b::width] if b >= 0 else [0] * profile.sample_count
        self.totals[0] += sum(va)
        self.totals[1] += sum(vb)
        if self.kind == "cpu" and b >= 0:
            self.draws += sum(vb)
        elif self.kind == "alloc" and profile.period > 0:
            self.draws += sum(va) / profile.period
        weights = [v for v in va if v > 0]
        if weights:
            least = min(weights)
            self.smallest = least if not self.smallest else min(self.smallest, least)
        self._file_lines.clear()
        self._parts.append(_Part(profile, self._stats(profile), va, vb))
        self._lines.clear()
        self._sampled.clear()

    def _stats(self, profile: RawProfile) -> dict[int, FunctionStats]:
        """The stats of each function id of `profile` (functions are merged by name across profiles)."""
        functions = self.functions
        stats: dict[int, FunctionStats] = {}
        for fid, (name, filename, start_line) in profile.functions.items():
            fs = functions.get(name)
            if fs is None:
                fs = functions[name] = FunctionStats(name, filename, start_line, self)
            else:
                fs._flat = fs._cum = fs._frame_sum = None  # a profile added after a read: worked out again
            stats[fid] = fs
        return stats

    def line_values(self, wanted: Iterable[tuple[str, int]]) -> dict[tuple[str, int], list[int]]:
        """The cumulative values at each (file name, line) of `wanted` (see `ensure`)."""
        self.ensure((), wanted)
        return self._lines

    def ensure(self, functions: Iterable[FunctionStats], lines: Iterable[tuple[str, int]] = ()) -> None:
        """Work out, in one pass over the stacks that hold any of them, the flat and cumulative values of
        the `functions` not yet known and the values of the `lines` (file name, line) not yet known.

        Per sample: a function's cumulative value counts once (a recursion, or a function at several
        locations through inlining, counts once); its flat value, when it is the innermost function of
        the sample's first location; a line's value once per location of the sample with a frame at that
        line (in a function of that file).

        Why it is built this way: a 1 MB profile has ~35,000 samples of ~15-25 frames, so a Python step
        per frame costs tens of milliseconds. The locations of what is asked make one character class,
        searched by C code in every stack (a string, see pprof.py); Python looks only at the samples
        that hold one of them."""
        todo = {id(fs): fs for fs in functions if fs._cum is None or fs._flat is None}
        missing = {key for key in lines if key not in self._lines}
        if not todo and not missing:
            return
        cums = {k: [0, 0] for k in todo}
        flats = {k: [0, 0] for k in todo}
        sums = {key: [0, 0] for key in missing}
        files = {f for f, _ in missing}
        for part in self._parts:
            # location -> the asked functions at it, the asked lines at it, the asked function it is the
            # leaf frame of
            fn_at: dict[str, list[int]] = defaultdict(list)
            line_at: dict[str, list[tuple[str, int]]] = defaultdict(list)
            ids = [fid for fid, fs in part.stats.items() if id(fs) in todo or fs.filename in files]
            index: dict[str, int] = {}  # location -> its index
            for fid, frames in part.frames(ids).items():
                fs = part.stats[fid]
                k = id(fs)
                for ch, ln, j in frames:
                    if k in todo:
                        fn_at[ch].append(k)
                        index[ch] = j
                    if (fs.filename, ln) in missing:
                        line_at[ch].append((fs.filename, ln))
            leaf_of = {}
            for ch, j in index.items():
                k = id(part.stats[part.leaf(j)])
                if k in todo:
                    leaf_of[ch] = k
            wanted = fn_at.keys() | line_at.keys()
            if not wanted:
                continue
            search, findall = _search(wanted)
            stacks, va, vb = part.profile.stacks, part.va, part.vb
            hits = list(compress(count(), map(search, stacks)))
            stacks, va, vb = [stacks[i] for i in hits], [va[i] for i in hits], [vb[i] for i in hits]
            where, leaves = _invert(fn_at), _invert({ch: [k] for ch, k in leaf_of.items()})
            if len(where) + len(leaves) + sum(map(len, line_at.values())) > _MAX_PASSES:
                _tally_each(stacks, va, vb, findall, fn_at, line_at, leaf_of, cums, sums, flats)
                continue
            for k, chars in where.items():
                _add(cums[k], va, vb, map(_search(chars)[0], stacks))
            firsts = [st[0] for st in stacks]
            for k, chars in leaves.items():
                _add(flats[k], va, vb, map(chars.__contains__, firsts))
            for ch, keys in line_at.items():
                for key in dict.fromkeys(keys):
                    _add(sums[key], va, vb, map(operator.contains, stacks, repeat(ch)))
        for k, fs in todo.items():
            fs._cum, fs._flat = cums[k], flats[k]
        self._lines.update(sums)

    def frame_sum(self, fs: FunctionStats) -> int:
        """The primary value of the samples at each of the function's locations, added up: its cumulative
        value, except that a sample holding the function at two locations (a recursion, two inlined
        copies) counts twice. A bound cheap enough to ask of every function of a run (`rank.HOT_FLOOR`);
        the exact `cum` is for the functions a report shows."""
        if fs._frame_sum is None:
            self.ensure_frame_sums([fs])
        assert fs._frame_sum is not None
        return fs._frame_sum

    def ensure_frame_sums(self, functions: Iterable[FunctionStats]) -> None:
        """`frame_sum` of all these functions, in one pass over each profile's Lines."""
        todo = {id(fs): fs for fs in functions if fs._frame_sum is None}
        if not todo:
            return
        sums = dict.fromkeys(todo, 0)
        for part in self._parts:
            ids = [fid for fid, fs in part.stats.items() if id(fs) in todo]
            weights = part.weights()
            for fid, frames in part.frames(ids).items():
                sums[id(part.stats[fid])] += sum(weights.get(ch, 0) for ch in {ch for ch, _, _ in frames})
        for k, fs in todo.items():
            fs._frame_sum = sums[k]

    def sampled(self, fs: FunctionStats) -> bool:
        """Whether some sample with a primary value (CPU time, bytes) has `fs` on its stack: what a run
        without a threshold needs to know of every function of its packages, without their sums."""
        known = self._sampled.get(id(fs))
        if known is None:
            self.ensure_sampled([fs])
            known = self._sampled[id(fs)]
        return known

    def ensure_sampled(self, functions: Iterable[FunctionStats]) -> None:
        """Find out for all the `functions` at once which are `sampled`. In the usual profile every
        location is on a stack with a primary value, and a function is sampled when some Line names it;
        otherwise, when one of its locations is."""
        todo = {id(fs) for fs in functions if id(fs) not in self._sampled}
        if not todo:
            return
        found: set[int] = set()
        for part in self._parts:
            ids = [fid for fid, fs in part.stats.items() if id(fs) in todo]
            present = part.present()
            if len(present) == len(part.profile.codes):  # every location (present ones are locations)
                named = part.named()
                found.update(id(part.stats[fid]) for fid in ids if fid in named)
                continue
            for fid, frames in part.frames(ids).items():
                if any(ord(ch) in present for ch, _, _ in frames):
                    found.add(id(part.stats[fid]))
        for k in todo:
            self._sampled[k] = k in found

    def sampled_lines(self, filenames: Iterable[str]) -> dict[str, set[int]]:
        """The lines of each of these files (as the profile names them) that some sample with a primary
        value has a frame at: where the profiled program spent time, and, by their absence, the lines of
        a sampled function that never ran while it was profiled (`analysis/sampled.py`)."""
        wanted = set(filenames)
        missing = wanted - self._file_lines.keys()
        if missing:  # in one pass over the profile's Lines for all of them (a run asks once for all)
            found: dict[str, set[int]] = {f: set() for f in missing}
            for part in self._parts:
                ids = [fid for fid, fs in part.stats.items() if fs.filename in missing]
                present = part.present()
                for fid, frames in part.frames(ids).items():
                    lines = found[part.stats[fid].filename]
                    lines.update(ln for ch, ln, _ in frames if ord(ch) in present)
            self._file_lines.update(found)
        return {f: self._file_lines[f] for f in wanted}

    def line(self, filename: str, line: int) -> list[int]:
        return self.line_values([(filename, line)])[(filename, line)]


# Up to this many passes (a function's cumulative and flat values, a line's location: a run's findings
# are in a few functions), each is counted by C code over the samples that hold any of them; over it
# (`--min-share` asks for whole packages), one Python step per such sample finds all it holds.
_MAX_PASSES = 48


def _invert(at: dict[str, list[int]]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for ch, keys in at.items():
        for k in keys:
            out[k].add(ch)
    return out


def _add(cell: list[int], va: list[int], vb: list[int], mask: Iterable[Any]) -> None:
    """Add to `cell` the values of the samples `mask` selects."""
    mask = list(mask)
    cell[0] += sum(compress(va, mask))
    cell[1] += sum(compress(vb, mask))


def _tally_each(
    stacks: list[str],
    va: list[int],
    vb: list[int],
    findall: Callable[[str], Iterable[str]],
    fn_at: dict[str, list[int]],
    line_at: dict[str, list[tuple[str, int]]],
    leaf_of: dict[str, int],
    cums: dict[int, list[int]],
    sums: dict[tuple[str, int], list[int]],
    flats: dict[int, list[int]],
) -> None:
    """`Aggregate.ensure`'s sums, one sample at a time: for many asked locations."""
    for st, x, y in zip(stacks, va, vb, strict=True):
        keys = set()
        for ch in set(findall(st)):
            hit = fn_at.get(ch)
            if hit:
                keys.update(hit)
            for key in dict.fromkeys(line_at.get(ch, ())):
                cell = sums[key]
                cell[0] += x
                cell[1] += y
        for k in keys:
            cell = cums[k]
            cell[0] += x
            cell[1] += y
        k = leaf_of.get(st[0])
        if k is not None:
            cell = flats[k]
            cell[0] += x
            cell[1] += y


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

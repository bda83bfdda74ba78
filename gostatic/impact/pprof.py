"""Read a Go pprof profile (gzip-compressed or raw `profile.proto`) into plain Python values: its sample
types, functions, locations (a Location's Lines, innermost first: inlined calls expanded) and samples.

Speed: a 1 MB profile holds tens of thousands of samples of 20-40 frames each, and touching each sample
through the protobuf API costs microseconds. So the Profile message keeps its samples as raw bytes, and
all of them are decoded by one call: joined with `08 00` (field 1, value 0: a location id 0, which pprof
never uses) between them and parsed as a single Sample, whose repeated fields then hold every sample's
location ids, 0-separated, and every sample's values, one after the other. See `RawProfile.stacks`.

Every way a file can fail to be a profile (missing, unreadable, truncated gzip, corrupt protobuf, empty,
a protobuf that is not pprof) raises `ProfileError` with one line that names the file."""

from __future__ import annotations

import gzip
import zlib
from itertools import chain
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

import attrs
from google.protobuf.message import DecodeError

from gostatic.impact.errors import ProfileError
from gostatic.impact.schema import MESSAGES, Profile

__all__ = ["ProfileError", "RawProfile", "SampleType", "parse", "read"]

_SEPARATOR = b"\x08\x00"


@attrs.frozen
class SampleType:
    type: str
    unit: str


@attrs.define
class RawProfile:
    path: str
    sample_types: list[SampleType]
    default_type: str
    functions: dict[int, tuple[str, str, int]]  # id -> (name, file name, start line)
    locations: dict[int, tuple[tuple[int, int], ...]]  # id -> ((function id, line), ...) innermost first
    ids: list[int]  # every sample's location ids, innermost first, each sample followed by a 0
    values: list[int]  # every sample's values (len(sample_types) per sample)
    period_type: str = ""

    @property
    def width(self) -> int:
        return len(self.sample_types)

    @property
    def sample_count(self) -> int:
        return len(self.values) // self.width if self.width else 0


def _decompress(data: bytes, path: str) -> bytes:
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        return gzip.decompress(data)
    except (EOFError, OSError, zlib.error) as exc:
        raise ProfileError(
            f"{path}: not a pprof profile: the gzip stream is corrupt or truncated ({exc})"
        ) from None


_LINE = attrgetter("function_id", "line")


def _locations(
    msg: Any, functions: dict[int, tuple[str, str, int]]
) -> dict[int, tuple[tuple[int, int], ...]]:
    """Each location's (function id, line) pairs, without the lines of a function the profile lacks.
    Built by C-level `map` calls over the messages (a Python step per line costs a third more), and
    filtered only in the rare profile where some line names an unknown function."""
    locations = {loc.id: tuple(map(_LINE, loc.line)) for loc in msg.location}
    named = set(map(itemgetter(0), chain.from_iterable(locations.values())))
    if named <= functions.keys():
        return locations
    return {loc: tuple(ln for ln in lines if ln[0] in functions) for loc, lines in locations.items()}


def read(path: str | Path) -> RawProfile:
    """Load the profile at `path` (see the module docstring for what it raises)."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ProfileError(f"{name}: cannot read profile: {exc.strerror or exc}") from None
    return parse(data, name)


def parse(data: bytes, name: str = "<profile>") -> RawProfile:
    if not data:
        raise ProfileError(f"{name}: not a pprof profile: the file is empty")
    raw = _decompress(data, name)
    msg = Profile()
    try:
        msg.ParseFromString(raw)
        samples = MESSAGES["Sample"]()
        if msg.sample:
            samples.ParseFromString(_SEPARATOR.join(msg.sample) + _SEPARATOR)
    except (DecodeError, RuntimeError, ValueError) as exc:
        raise ProfileError(
            f"{name}: not a pprof profile: the protobuf data is corrupt or truncated ({exc})"
        ) from None
    strings = [s.decode("utf-8", "replace") for s in msg.string_table]
    if not strings or strings[0] != "" or not msg.sample_type:
        raise ProfileError(f"{name}: not a pprof profile: it has no string table or no sample types")
    try:
        types = [SampleType(strings[t.type], strings[t.unit]) for t in msg.sample_type]
        functions = {f.id: (strings[f.name], strings[f.filename], f.start_line) for f in msg.function}
        locations = _locations(msg, functions)
        default = strings[msg.default_sample_type] if msg.default_sample_type else ""
        period = strings[msg.period_type.type] if msg.HasField("period_type") else ""
    except IndexError:
        raise ProfileError(f"{name}: not a pprof profile: a string index is out of range") from None
    ids = list(samples.location_id)
    values = list(samples.value)
    if len(values) != len(msg.sample) * len(types):
        raise ProfileError(
            f"{name}: not a pprof profile: {len(values)} sample values for {len(msg.sample)} samples "
            f"of {len(types)} types"
        )
    return RawProfile(name, types, default, functions, locations, ids, values, period)

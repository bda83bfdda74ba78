"""Read a Go pprof profile (gzip-compressed or raw `profile.proto`) into plain Python values: its sample
types, functions, locations (a Location's Lines, innermost first: inlined calls expanded) and samples.

Speed (issue 12: a 1 MB profile costs a run at most 0.1 s). Decoding is upb's (the protobuf library), but
touching one Python wrapper per sample, location or line costs about a microsecond each, and a 1 MB
profile has ~35,000 samples, ~35,000 locations and ~45,000 lines. So the tables are declared as views
(schema.py) that upb decodes in a few calls, each returning one container:

- samples are kept as raw bytes, joined with `08 00` (field 1, value 0: a location id 0, which pprof
  never uses) between them and parsed as a single Sample, whose repeated fields then hold every sample's
  location ids, 0-separated, and every sample's values, one after the other. The ids go through an
  `array` to one string of one character per id (UTF-32 decoding is a C loop), split at the 0s: each
  sample's stack is a `str` whose characters are its location ids (`ord`), innermost first. Strings
  are compact, hashable and searched by C code (`re`, `in`): see shares.py;
- locations are kept as raw bytes and parsed concatenated as one `LocationBatch`, which declares the
  Lines packed varints: their function ids and lines come out as one flat list, cut per location by a
  0 added after each. A form this does not expect (a Line field out of order, an unknown field)
  falls back to decoding the Location messages one by one (`_locations_by_message`, the reference);
- functions are decoded by upb as messages (`ProfileView`), and their four fields taken with one
  `attrgetter` map: as fast as the packed-varint reading tried before (8 ms for 6,000 functions).

Values come out of upb's containers by slices (`flat[1::4]`: a C loop, no int made for the values
skipped), the samples' location ids a few thousand at a time into an `array` (`_uint32s`), and the
containers of bytes are joined a few hundred at a time (`_joined`): the ints or bytes of one slice are
freed before the next, whose memory is then already the process's. The gzip stream is inflated by zlib
in one call; a file that is not one gzip member alone (several, trailing bytes, an error) is handed to
`gzip.decompress`, so that what loads and what fails, and its message, are as before.

Every way a file can fail to be a profile (missing, unreadable, truncated gzip, corrupt protobuf, empty,
a protobuf that is not pprof) raises `ProfileError` with one line that names the file."""

from __future__ import annotations

import re
import zlib
from array import array
from collections.abc import Sequence
from operator import attrgetter
from pathlib import Path
from typing import Any

import attrs
from google.protobuf.message import DecodeError

from gostatic.impact.errors import ProfileError
from gostatic.impact.schema import MESSAGES

__all__ = ["ProfileError", "RawProfile", "SampleType", "parse", "read"]

_SEPARATOR = b"\x08\x00"
_LOCATION_END = b"\x22\x04\x08\x00\x10\x00"  # a Line of function id 0 and line 0: where a location ends


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
    # The locations' Lines, flat: every location's (function id, line) pairs, innermost first, then a
    # (0, 0) pair that ends it, in the order of `codes` (each location's code: its id, or its position
    # from 1 in a profile whose ids do not all fit a character). Flat lists, not a tuple per location:
    # building 35,000 tuples costs more than the C-level slices that make these.
    codes: list[int]
    line_functions: list[int]
    line_numbers: list[int]
    stacks: list[str]  # per sample: its location codes as characters, innermost first
    values: list[int]  # every sample's values (len(sample_types) per sample)
    period_type: str = ""
    # what one sample stands for: the CPU sampling interval in ns; an allocation profile's sampling rate in
    # bytes (`runtime.MemProfileRate`: on average one sample per this many bytes allocated); 0: not given
    period: int = 0

    @property
    def locations(self) -> dict[int, tuple[tuple[int, int], ...]]:
        """Location code -> its (function id, line) pairs (for tests and tools: the sums use the flat
        lists)."""
        return _unflatten(self.codes, self.line_functions, self.line_numbers)

    @property
    def width(self) -> int:
        return len(self.sample_types)

    @property
    def sample_count(self) -> int:
        return len(self.stacks)


def _decompress(data: bytes, path: str) -> bytes:
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        inflate = zlib.decompressobj(31)  # a gzip wrapper: zlib checks the header, CRC and length
        out = inflate.decompress(data)
        if inflate.eof and not inflate.unused_data.lstrip(b"\x00"):
            return out
    except zlib.error:
        pass
    import gzip  # several members, trailing bytes or an error: as gzip reads it (its message)

    try:
        return gzip.decompress(data)
    except (EOFError, OSError, zlib.error) as exc:
        raise ProfileError(
            f"{path}: not a pprof profile: the gzip stream is corrupt or truncated ({exc})"
        ) from None


_LINE = attrgetter("function_id", "line")


def _locations_by_message(encoded: Sequence[bytes]) -> dict[int, tuple[tuple[int, int], ...]]:
    """Each location's (function id, line) pairs, one Location message at a time: the reference for
    `_locations` and its fallback."""
    location = MESSAGES["Location"]
    out = {}
    for data in encoded:
        loc = location.FromString(data)
        out[loc.id] = tuple(map(_LINE, loc.line))
    return out


def _locations(encoded: Sequence[bytes]) -> tuple[list[int], list[int], list[int]] | None:
    """The locations' ids and their Lines as flat lists (see `RawProfile`), from one parse of all of them
    (see the module docstring), or None when a Line is not in the form written by Go (a function id,
    then a line, then a column, each once at most): the caller decodes them one by one then."""
    batch = MESSAGES["LocationBatch"]()
    batch.ParseFromString(_joined(encoded, _LOCATION_END) + _LOCATION_END)
    codes = batch.id[:]
    if len(codes) != len(encoded):  # a location without an id (0) or with two
        return None
    flat = batch.line
    n = len(flat) // 4
    if len(flat) % 4 == 0 and flat[0::4].count(8) == n and flat[2::4].count(16) == n:
        functions, numbers = flat[1::4], flat[3::4]  # every Line is (function id, line): Go's form
    else:
        found = _irregular(flat[:])
        if found is None:
            return None
        functions, numbers = found
    if functions.count(0) != len(codes):  # a Line without a function id
        return None
    if numbers and max(numbers) >= 1 << 63:  # a negative line, read as an unsigned varint
        numbers = _signed(numbers)
    return codes, functions, numbers


def _signed(values: list[int]) -> list[int]:
    """int64 fields read as uint64 (a negative number is a 10-byte varint): their values."""
    return [v - (1 << 64) if v >= 1 << 63 else v for v in values]


_Columns = tuple[list[int], list[int], list[int], list[int]]


def _function_columns(functions: Sequence[Any]) -> _Columns:
    """The Functions' ids, name and file name string indexes and start lines, as four lists."""
    if not functions:
        return [], [], [], []
    columns = zip(*map(attrgetter("id", "name", "filename", "start_line"), functions), strict=True)
    ids, names, files, starts = map(list, columns)
    return ids, names, files, starts


def _irregular(flat: list[int]) -> tuple[list[int], list[int]] | None:
    """The Lines of `_locations` when some are not (function id, line) pairs: a line 0 left out, a
    column. None for a form that is not a Line's."""
    functions: list[int] = []
    numbers: list[int] = []
    it = iter(flat)
    state = 0  # 0: before a Line; 8: after its function id; 16: after its line; 24: after its column
    for tag in it:
        value = next(it, None)
        if value is None:
            return None
        if tag == 8:
            functions.append(value)
            numbers.append(0)
            state = 8
        elif tag == 16 and state == 8:
            numbers[-1] = value
            state = 16
        elif tag == 24 and state in (8, 16):
            state = 24
        else:
            return None
    return functions, numbers


def _flatten(locations: dict[int, tuple[tuple[int, int], ...]]) -> tuple[list[int], list[int], list[int]]:
    functions: list[int] = []
    numbers: list[int] = []
    for lines in locations.values():
        for fid, line in lines:
            functions.append(fid)
            numbers.append(line)
        functions.append(0)
        numbers.append(0)
    return list(locations), functions, numbers


def _unflatten(
    codes: list[int], functions: list[int], numbers: list[int]
) -> dict[int, tuple[tuple[int, int], ...]]:
    out: dict[int, tuple[tuple[int, int], ...]] = {}
    lines: list[tuple[int, int]] = []
    it = iter(codes)
    for fid, line in zip(functions, numbers, strict=True):
        if fid:
            lines.append((fid, line))
        else:
            out[next(it)] = tuple(lines)
            lines = []
    return out


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
    msg = MESSAGES["ProfileView"]()
    try:
        msg.ParseFromString(raw)
        samples = MESSAGES["Sample"]()
        if msg.sample:
            samples.ParseFromString(_joined(msg.sample, _SEPARATOR) + _SEPARATOR)
        flat = _locations(msg.location)
        by_message = _locations_by_message(msg.location) if flat is None else None
        ids, names, files, starts = _function_columns(msg.function)
    except _DECODE_ERRORS as exc:
        raise ProfileError(
            f"{name}: not a pprof profile: the protobuf data is corrupt or truncated ({exc})"
        ) from None
    strings = [s.decode("utf-8", "replace") for s in msg.string_table]
    if not strings or strings[0] != "" or not msg.sample_type:
        raise ProfileError(f"{name}: not a pprof profile: it has no string table or no sample types")
    try:
        # a negative index would pick a string from the end of the table: as wrong as one past it
        if min(names, default=0) < 0 or min(files, default=0) < 0:
            raise IndexError
        types = [SampleType(_string(strings, t.type), _string(strings, t.unit)) for t in msg.sample_type]
        functions = {
            i: (strings[n], strings[f], s) for i, n, f, s in zip(ids, names, files, starts, strict=True)
        }
        default = _string(strings, msg.default_sample_type) if msg.default_sample_type else ""
        period_type = _string(strings, msg.period_type.type) if msg.HasField("period_type") else ""
    except IndexError:
        raise ProfileError(f"{name}: not a pprof profile: a string index is out of range") from None
    if flat is not None:  # a 0 in its function ids only ends a location (`_locations` checks it)
        named = set(flat[1])
        named.discard(0)
        if not named <= functions.keys() or len(set(flat[0])) != len(flat[0]):
            by_message = _unflatten(*flat)
    if by_message is not None:
        # decoded one by one, or the rare profile where some line names an unknown function (without
        # those lines: a function id 0 is none) or two locations have the same id (the last one counts)
        flat = _flatten(
            {k: tuple(ln for ln in lines if ln[0] and ln[0] in functions) for k, lines in by_message.items()}
        )
    codes, line_functions, line_numbers = flat
    values = samples.value[:]
    count = len(msg.sample)
    if len(values) != count * len(types):
        raise ProfileError(
            f"{name}: not a pprof profile: {len(values)} sample values for {count} samples "
            f"of {len(types)} types"
        )
    codes, stacks = _stacks(samples.location_id, codes, count)
    if stacks is None:
        raise ProfileError(f"{name}: not a pprof profile: a sample names no location")
    return RawProfile(
        name,
        types,
        default,
        functions,
        codes,
        line_functions,
        line_numbers,
        stacks,
        values,
        period_type,
        max(int(msg.period), 0),
    )


_DECODE_ERRORS = (DecodeError, RuntimeError, ValueError)


def _string(strings: list[str], i: int) -> str:
    """The string at index `i` of the table, and IndexError for a negative one too."""
    if i < 0:
        raise IndexError(i)
    return strings[i]


def _stacks(ids: Any, codes: list[int], count: int) -> tuple[list[int], list[str] | None]:
    """Each sample's stack as a string of location codes (the 0-separated `ids` split), and the codes
    of the locations; None for the stacks when a sample names a location the profile lacks."""
    if not count:
        return codes, []
    if max(codes, default=0) <= 0x10FFFF:  # every location id is a character
        try:
            text = str(_uint32s(ids), "utf-32-le", "surrogatepass")
        except (OverflowError, UnicodeDecodeError):  # a sample's id over 0x10FFFF: no location has it
            return codes, None
    else:  # a location id over 0x10FFFF (valid, if unusual): codes are positions instead
        renumber = {loc: n for n, loc in enumerate(codes, 1)}
        renumber[0] = 0
        try:
            text = "".join(map(chr, map(renumber.__getitem__, ids)))
        except KeyError:
            return codes, None
        codes = list(range(1, len(codes) + 1))
    stacks = text.split("\x00")
    if len(stacks) != count + 1 or stacks[-1]:  # a location id 0 inside a sample
        return codes, None
    stacks.pop()
    if _unknown(codes).search(text):
        return codes, None
    return codes, stacks


def _uint32s(values: Any, chunk: int = 4096) -> array[int]:
    """`array("I", values)` of a upb container, a slice of it at a time: 25 % less than that call, which
    takes each value by index, or than one slice, which holds every value as an int at once (~500,000
    in a 1 MB profile); the ints of a slice are freed and their memory taken again by the next one.
    Raises OverflowError for a value over 2**32 - 1."""
    out = array("I")
    for start in range(0, len(values), chunk):
        out.fromlist(values[start : start + chunk])
    return out


def _joined(items: Any, separator: bytes, chunk: int = 512) -> bytes:
    """`separator.join(items)` of a upb container of bytes, a slice of it at a time (see `_uint32s`)."""
    return separator.join([separator.join(items[i : i + chunk]) for i in range(0, len(items), chunk)])


def _unknown(codes: list[int]) -> re.Pattern[str]:
    """A pattern matching a character that is no location's code (nor the 0 between samples)."""
    return re.compile(f"[^\\x00{char_class(codes)}]")


def char_class(codes: Any) -> str:
    """The body of a regular-expression character class matching the characters with these codes: runs
    of consecutive codes as ranges (a profile numbers its locations 1, 2, 3, ...), so that the class of
    every location is one range."""
    ordered = sorted(codes)
    if not ordered:
        return ""
    if ordered[-1] - ordered[0] + 1 == len(ordered):
        return _range(ordered[0], ordered[-1])
    parts = []
    start = prev = ordered[0]
    for code in ordered[1:]:
        if code != prev + 1:
            parts.append(_range(start, prev))
            start = code
        prev = code
    parts.append(_range(start, prev))
    return "".join(parts)


def _range(a: int, b: int) -> str:
    return f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}"

"""Loading a profile fast (issue 12) without changing a number: the decoding through upb's views
(pprof.py), the sums worked out per question (shares.py) and the functions of a file found by parsing it
only up to the declaration holding its last finding (source.py), each checked against a plain reference
that decodes one message at a time, sums one sample at a time and parses the whole file."""

from __future__ import annotations

import gzip
import os
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from conftest import TESTDATA
from google.protobuf.message import DecodeError

from gostatic.impact import pprof, schema, shares, symbols
from gostatic.impact.schema import MESSAGES, varint
from gostatic.impact.shares import FunctionStats
from gostatic.impact.source import Declarations, Sampled, _innermost, _matched, part_spans, spans_of

PKG = TESTDATA / "profile"


def _reference(data: bytes) -> tuple[dict, list[list[int]], list[int], dict]:
    """Locations (id -> (function id, line) pairs, lines of unknown functions left out, the last of two
    locations with one id), stacks (location ids), values and functions (id -> (name, file name, start
    line)), one protobuf message at a time."""
    msg = MESSAGES["Profile"]()
    msg.ParseFromString(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    known = {f.id for f in msg.function}
    strings = [s.decode("utf-8", "replace") for s in msg.string_table]
    functions = {f.id: (strings[f.name], strings[f.filename], f.start_line) for f in msg.function}
    locations = {
        loc.id: tuple((ln.function_id, ln.line) for ln in loc.line if ln.function_id in known)
        for loc in msg.location
    }
    stacks, values = [], []
    for encoded in msg.sample:
        sample = MESSAGES["Sample"].FromString(encoded)
        stacks.append(list(sample.location_id))
        values.extend(sample.value)
    return locations, stacks, values, functions


def _check_decoding(data: bytes) -> pprof.RawProfile:
    raw = pprof.parse(data, "p.pprof")
    locations, stacks, values, functions = _reference(data)
    assert raw.functions == functions and list(raw.functions) == list(functions)
    code = dict(zip(locations, raw.codes, strict=True))  # location id -> its character's code
    assert raw.locations == {code[k]: v for k, v in locations.items()}
    assert [list(map(ord, st)) for st in raw.stacks] == [[code[i] for i in st] for st in stacks]
    assert raw.values == values
    return raw


def _edited(encoded: bytes, edit: str = "") -> bytes:
    """A Function's bytes as another writer may put them: fields in another order, one twice, one
    left out (the start line, as 0), or a field the schema does not declare, of each wire type."""
    if edit == "reordered":
        first = encoded.index(0x10)  # the name field after the id
        return encoded[first:] + encoded[:first]
    if edit == "twice":
        return encoded + encoded
    if edit == "no_start_line":
        return encoded[: encoded.rindex(0x28)]  # start_line (field 5) is the last field written
    unknown = {
        "varint": b"\x30\x07",
        "bytes": b"\x3a\x03abc",
        "fixed64": b"\x31" + bytes(8),
        "fixed32": b"\x35" + bytes(4),
    }
    return encoded + unknown.get(edit, b"")


def _profile(
    functions: list[tuple],
    locations: list[tuple[int, list[tuple[int, int, int]]]],
    samples: list[tuple[list[int], list[int]]],
) -> bytes:
    """A CPU profile: functions (id, name, file, start line[, an edit of its bytes: `_edited`]),
    locations (id, [(function id, line, column)]) and samples (location ids, [count, ns])."""
    strings = ["", "samples", "count", "cpu", "nanoseconds"]
    msg = MESSAGES["Profile"](
        sample_type=[MESSAGES["ValueType"](type=1, unit=2), MESSAGES["ValueType"](type=3, unit=4)]
    )
    encoded_functions = b""  # appended to the profile's bytes as they are (a message would reorder them)
    for fid, name, filename, start, *edit in functions:
        strings += [name, filename]
        name_index = len(strings) - 2
        encoded = _edited(
            MESSAGES["Function"](  # every field, as Go writes a Function
                id=fid, name=name_index, system_name=name_index, filename=len(strings) - 1, start_line=start
            ).SerializeToString(),
            *edit,
        )
        encoded_functions += varint(5 << 3 | 2) + varint(len(encoded)) + encoded
    for lid, lines in locations:
        loc = msg.location.add(id=lid, address=0x401000 + lid)
        for fid, line, column in lines:
            encoded = MESSAGES["Line"](function_id=fid, line=line).SerializeToString()
            if column:  # a field the schema does not declare, as a newer pprof writes it (Line.column = 3)
                encoded += bytes([0x18, column])
            loc.line.add().MergeFromString(encoded)
    for ids, value in samples:
        msg.sample.append(MESSAGES["Sample"](location_id=ids, value=value).SerializeToString())
    msg.string_table.extend(s.encode() for s in strings)
    return gzip.compress(msg.SerializeToString() + encoded_functions)


def _random_profile(seed: int, *, location_base: int = 1, zero_values: bool = False, **shape: Any) -> bytes:
    """Functions in two files, inlined frames, recursion, and the forms a writer other than Go's may
    use (`shape`: `columns`, `line_zero`, `unknown_function`, `function_zero`, `duplicate_location`,
    `unreferenced`; `functions`: a Function's bytes edited, see `_edited`)."""
    rnd = random.Random(seed)
    edit = shape.get("functions", "")
    functions = [
        (
            f,
            f"a/b.F{f}" + (".func1" if f % 5 == 0 else ""),
            f"/src/b/f{f % 2}.go",
            10 * f,
            edit if f % 4 == 1 else "",
        )
        for f in range(1, 31)
    ]
    locations = []
    for i in range(120):
        lines = [(rnd.randint(1, 30), rnd.randint(1, 400), 0) for _ in range(rnd.choice([1, 1, 1, 2, 3]))]
        if shape.get("columns") and i % 7 == 0:
            lines[0] = (lines[0][0], lines[0][1], 5)
        if shape.get("line_zero") and i % 9 == 0:
            lines[-1] = (lines[-1][0], 0, 0)
        if shape.get("unknown_function") and i % 11 == 0:
            lines.append((999, 3, 0))
        if shape.get("function_zero") and i % 13 == 0:
            lines.insert(0, (0, 5, 0))  # a Line without a function
        locations.append((location_base + i, lines))
    if shape.get("duplicate_location"):
        locations.append((location_base + 3, [(7, 77, 0)]))
    used = [lid for lid, _ in locations][: 100 if shape.get("unreferenced") else None]
    samples = []
    for _ in range(400):
        stack = [rnd.choice(used) for _ in range(rnd.randint(1, 12))]
        if rnd.random() < 0.2:
            stack += stack[:2]  # recursion
        n = 0 if zero_values and rnd.random() < 0.3 else rnd.randint(1, 4)
        samples.append((stack, [rnd.randint(0, 3) if zero_values else n, n * 10_000_000]))
    return _profile(functions, locations, samples)


def _shape_id(shape: dict) -> str:
    return "-".join(k if v is True else f"{k}={v}" for k, v in shape.items()) or "go"


SHAPES = [
    {},
    {"columns": True},
    {"line_zero": True},
    {"unknown_function": True},
    {"duplicate_location": True},
    {"unreferenced": True},
    {"zero_values": True},
    {"function_zero": True},
    {"location_base": 0xD7F0},  # ids through the UTF-16 surrogates: still one character each
    {"location_base": 0x10FFC0},  # ids past the last character: renumbered
    {"columns": True, "line_zero": True, "unknown_function": True, "unreferenced": True},
    {"functions": "reordered"},
    {"functions": "twice"},
    {"functions": "no_start_line"},
    {"functions": "varint"},
    {"functions": "bytes"},
    {"functions": "fixed64"},
    {"functions": "fixed32"},
]


@pytest.mark.parametrize("shape", SHAPES, ids=_shape_id)
def test_decoding_agrees_with_one_message_at_a_time(shape: dict) -> None:
    _check_decoding(_random_profile(3, **shape))


def test_decoding_real_profiles_agrees_with_one_message_at_a_time(go: str) -> None:
    goroot = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()
    for path in [
        PKG / "cpu.pprof",
        PKG / "mem.pprof",
        Path(goroot) / "src" / "cmd" / "compile" / "default.pgo",
    ]:
        _check_decoding(path.read_bytes())


def test_damaged_profiles_give_a_profile_error_or_load() -> None:
    """Truncated and corrupted copies of the real profiles: each either loads and sums or raises
    `ProfileError` (the command line's one line and exit 2), never another exception."""
    rnd = random.Random(7)
    bases = [gzip.decompress((PKG / name).read_bytes()) for name in ("cpu.pprof", "mem.pprof")]
    outcomes = set()
    for _ in range(400):
        data = bytearray(rnd.choice(bases))
        if rnd.random() < 0.3:
            data = data[: rnd.randint(0, len(data))]
        else:
            for _ in range(rnd.randint(1, 8)):
                data[rnd.randrange(len(data))] = rnd.randrange(256)
        try:
            for agg in shares.aggregate([pprof.parse(bytes(data), "d.pprof")]).values():
                stats = list(agg.functions.values())
                agg.ensure(stats[:5], [(fs.filename, 10) for fs in stats[:3]])
                agg.ensure_sampled(stats)
            outcomes.add("loaded")
        except pprof.ProfileError as exc:
            assert str(exc).startswith("d.pprof: ") and "\n" not in str(exc)
            outcomes.add("error")
    assert outcomes == {"loaded", "error"}


def test_a_function_ending_inside_a_varint_is_an_error() -> None:
    """A Function cut inside a varint: the profile is corrupt, and the error is protobuf's for it."""
    data = gzip.decompress(_random_profile(3))
    damaged = data + varint(5 << 3 | 2) + varint(3) + b"\x08\x07\x80"
    with pytest.raises(pprof.ProfileError) as err:
        pprof.parse(damaged, "d.pprof")
    with pytest.raises(DecodeError) as first:
        MESSAGES["ProfileView"]().ParseFromString(damaged)
    assert (
        str(err.value)
        == f"d.pprof: not a pprof profile: the protobuf data is corrupt or truncated ({first.value})"
    )


def test_gzip_members_and_trailing_bytes_read_as_gzip_reads_them() -> None:
    """One member is inflated by zlib; anything else is gzip.decompress's: members concatenated, zeros
    after the last one skipped, other bytes after it an error."""
    one = (PKG / "cpu.pprof").read_bytes()
    stacks = pprof.parse(one).stacks
    assert pprof.parse(one + bytes(5)).stacks == stacks
    raw = gzip.decompress(one)
    assert pprof.parse(gzip.compress(raw[:1000]) + gzip.compress(raw[1000:])).stacks == stacks  # two members
    for bad in (one + b"junk", one[:-4], one[:2]):
        with pytest.raises(pprof.ProfileError, match="gzip stream is corrupt or truncated"):
            pprof.parse(bad)


def test_descriptor_is_what_descriptor_pb2_writes() -> None:
    """schema.encode writes the FileDescriptorProto by hand (descriptor_pb2 is not imported by a run):
    the same bytes as the one descriptor_pb2 builds from the same table."""
    from google.protobuf import descriptor_pb2

    field = descriptor_pb2.FieldDescriptorProto
    fd = descriptor_pb2.FileDescriptorProto(name=schema._FILE, package=schema._PACKAGE, syntax="proto3")
    for name, fields in schema._MESSAGES.items():
        msg = fd.message_type.add(name=name)
        for fname, number, ftype, label, type_name in fields:
            f = msg.field.add(name=fname, number=number, type=ftype, label=label)
            if type_name:
                f.type_name = f".{schema._PACKAGE}.{type_name}"
    assert {field.TYPE_INT64, field.TYPE_UINT64, field.TYPE_BYTES, field.TYPE_MESSAGE} == {
        schema._INT64,
        schema._UINT64,
        schema._BYTES,
        schema._MSG,
    }
    assert (field.LABEL_OPTIONAL, field.LABEL_REPEATED) == (schema._ONE, schema._MANY)
    assert schema.encode() == fd.SerializeToString()


_DIGEST = """
import hashlib, sys
from gostatic.impact import pprof
from google.protobuf.internal import api_implementation
for path in sys.argv[1:]:
    r = pprof.read(path)
    fields = (r.sample_types, r.default_type, r.functions, r.codes, r.line_functions, r.line_numbers, r.stacks, r.values)
    print(api_implementation.Type(), hashlib.sha256(repr(fields).encode()).hexdigest())
"""


def test_the_pure_python_protobuf_reads_alike() -> None:
    """Under protobuf's pure-Python backend the classes come from its public API (schema._public_classes),
    under upb from upb's types directly: the same profiles read the same."""
    paths = [str(PKG / "cpu.pprof"), str(PKG / "mem.pprof")]
    runs = {}
    for backend in ("upb", "python"):
        env = {**os.environ, "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION": backend}
        out = subprocess.run([sys.executable, "-c", _DIGEST, *paths], env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        runs[backend] = out.stdout.split()
    assert runs["upb"][0::2] == ["upb", "upb"] and runs["python"][0::2] == ["python", "python"]
    assert runs["upb"][1::2] == runs["python"][1::2]


def _reference_sums(raw: pprof.RawProfile, indexes: list[int]) -> dict:
    """Per function name: flat, cumulative and sampled; per (file, line): its value; summed one sample
    at a time from the decoded stacks."""
    functions, locations = raw.functions, raw.locations
    a, b = indexes
    flat: dict = defaultdict(lambda: [0, 0])
    cum: dict = defaultdict(lambda: [0, 0])
    lines: dict = defaultdict(lambda: [0, 0])
    sampled = set()
    for n, st in enumerate(raw.stacks):
        x = raw.values[n * raw.width + a] if a >= 0 else 0
        y = raw.values[n * raw.width + b] if b >= 0 else 0
        frames = [locations[ord(ch)] for ch in st]
        if frames and frames[0]:
            cell = flat[functions[frames[0][0][0]][0]]
            cell[0] += x
            cell[1] += y
        for name in {functions[f][0] for loc in frames for f, _ in loc}:
            cum[name][0] += x
            cum[name][1] += y
            if x:
                sampled.add(name)
        for ch in set(st):
            for key in {(functions[f][1], ln) for f, ln in locations[ord(ch)]}:
                lines[key][0] += x
                lines[key][1] += y
    return {"flat": flat, "cum": cum, "lines": lines, "sampled": sampled}


@pytest.mark.parametrize("path", ["slow", "fast", "sets"])
@pytest.mark.parametrize("shape", SHAPES, ids=_shape_id)
def test_sums_agree_with_one_sample_at_a_time(
    monkeypatch: pytest.MonkeyPatch, path: str, shape: dict
) -> None:
    """Every function's flat and cumulative values, every line's value and which functions are sampled,
    asked a few at a time (as a run asks) and all at once; through each way `Aggregate.ensure` counts."""
    monkeypatch.setattr(shares, "_MAX_PASSES", 0 if path == "slow" else 10_000)
    monkeypatch.setattr(shares, "_MAX_RANGES", 0 if path == "sets" else 2000)
    raw = pprof.parse(_random_profile(5, **shape), "p.pprof")
    want = _reference_sums(raw, shares.kind_of(raw)[1])
    agg = shares.aggregate([raw])["cpu"]
    stats = list(agg.functions.values())
    agg.ensure(stats[:3], [("/src/b/f0.go", 10), ("/src/b/f1.go", 77)])
    agg.ensure_sampled(stats[5:9])
    for fs in stats:
        assert (fs.flat, fs.cum) == (want["flat"][fs.name], want["cum"][fs.name]), fs.name
        assert agg.sampled(fs) == (fs.name in want["sampled"]), fs.name
    keys = sorted({(filename, ln) for _, filename, _ in raw.functions.values() for ln in range(0, 401)})
    got = agg.line_values(keys)
    assert {k: got[k] for k in keys} == {k: want["lines"].get(k, [0, 0]) for k in keys}


def _sampled_for(spans: list, basename: str) -> list[Sampled]:
    """A profile function for every span of a file (literals as closures), so that every line's answer
    is some function's or none."""
    out = []
    for i, sp in enumerate(spans):
        fs = FunctionStats(f"p.F{i}", basename, sp.start)
        fs._symbol = symbols.Symbol("p", sp.name or "F", () if sp.name else (f"func{i}",))
        out.append(Sampled(fs.name, basename, sp.start, ((None, fs),)))  # type: ignore[arg-type]
    return out


def _check_declarations(source: bytes, *, cut: bool = True, prefixes: int = 0) -> None:
    """Every line's function from a parse of the file up to the end of a declaration (the prefixes
    ending after each fifth of the file's declarations; or `prefixes` of them, when given) is the whole
    file's, unless that prefix has an error."""
    spans = spans_of(source)
    sampled = _sampled_for(spans, "f.go")
    whole = (spans, _matched(spans, sampled))
    decls = Declarations.of(source)
    assert (decls is not None) == cut
    if decls is None:
        return
    step = max(1, len(decls.cuts) // (prefixes or 5))
    checked = 0
    for line, _ in decls.cuts[::step]:
        end_line, end = decls.end_after(line)
        part = part_spans(source[:end])
        if part is None:
            continue
        checked += 1
        matched = _matched(part, sampled)
        for n in range(1, end_line):
            assert _innermost(part, matched, n) is _innermost(*whole, n), (line, n)
    assert checked or prefixes == 0


def test_prefixes_parsed_alone_match_the_whole_file(go: str) -> None:
    goroot = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()
    files = sorted((Path(goroot) / "src" / "cmd" / "compile" / "internal" / "ssa").glob("*.go"))
    assert len(files) > 50
    for path in files:
        _check_declarations(path.read_bytes())


@pytest.mark.parametrize(
    ("source", "cut"),
    [
        # a raw string holding Go code whose lines start with `func`
        (
            b"package p\n\nconst src = `\nfunc f() {\n}\n`\n\nfunc g() {\n\t_ = func() {}\n}\n\nfunc h() {}\n",
            True,
        ),
        # a func literal at the start of a line, the value of a declaration
        (b"package p\n\nvar f =\nfunc() {\n\tprintln()\n}\n\nfunc g() {}\n", False),
        # a comment marker in a string and a quote in a comment
        (
            b"package p\n\nfunc f() { _ = \"//{\" }\n\n// it's \"\nfunc g() {\n\t_ = '{'\n}\n\nfunc h() {}\n",
            True,
        ),
        # brackets that do not balance, an unterminated comment
        (b"package p\n\nfunc f() {\n\nfunc g() {}\n", False),
        (b"package p\n\nfunc f() {}\n/* open\nfunc g() {}\n", False),
    ],
)
def test_declarations_edge_cases(source: bytes, cut: bool) -> None:
    _check_declarations(source, cut=cut, prefixes=100)


def test_a_prefix_with_an_error_is_not_used(tmp_path: Path) -> None:
    """A prefix that ends after a syntax error (`return u +`) has the error, so it is not used: the whole
    file's parse answers. (Go 1.27 generic methods were the error here until parse/generics.py.)"""
    source = (
        b"package p\n\nfunc (v V) m() (u U) {\n\treturn u +\n}\n\nfunc _() {\n\tprintln()\n}\n\nfunc h() {}\n"
    )
    decls = Declarations.of(source)
    assert decls is not None and part_spans(source[: decls.end_after(8)[1]]) is None
    assert [sp.name for sp in spans_of(source)] == ["V.m", "_", "h"]  # the whole parse recovers
    pkg = tmp_path / "p"
    pkg.mkdir()
    (pkg / "f.go").write_bytes(source)
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.27\n")
    data = _profile(
        [(1, "example.com/m/p._", "/build/p/f.go", 7), (2, "example.com/m/p.h", "/build/p/f.go", 11)],
        [(1, [(1, 8, 0)]), (2, [(2, 11, 0)])],
        [([1, 2], [1, 10_000_000])],
    )
    (tmp_path / "cpu.pprof").write_bytes(data)
    from gostatic.impact import session

    index = session.load([str(tmp_path / "cpu.pprof")], "--profile").index
    index.expect(str(pkg / "f.go"), 8)
    found = index.function_at(str(pkg / "f.go"), 8)
    assert found is not None and found.name == "example.com/m/p._"


def test_an_edited_buffer_gets_its_own_spans(tmp_path: Path) -> None:
    """The editor asks with the buffer's bytes: after an edit that moves a function, the answer follows
    the buffer, not the spans of the version asked about before (they were kept per path)."""
    pkg = tmp_path / "p"
    pkg.mkdir()
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.27\n")
    v1 = b"package p\n\nfunc g() {\n\tprintln()\n}\n\nfunc h() {\n\tprintln()\n}\n"
    v2 = b"package p\n\nfunc h() {\n\tprintln()\n}\n\nfunc g() {\n\tprintln()\n}\n"
    (pkg / "f.go").write_bytes(v1)
    data = _profile(
        [(1, "example.com/m/p.h", "/build/p/f.go", 7)],
        [(1, [(1, 8, 0)])],
        [([1], [1, 10_000_000])],
    )
    (tmp_path / "cpu.pprof").write_bytes(data)
    from gostatic.impact import session

    index = session.load([str(tmp_path / "cpu.pprof")], "--profile").index
    path = str(pkg / "f.go")
    found = index.function_at(path, 8, v1)
    assert found is not None and found.name == "example.com/m/p.h"
    # line 8 is in g now, and h starts at line 3, no longer the profile's start line: not h any more
    moved = index.function_at(path, 8, v2)
    assert moved is None or moved.name != "example.com/m/p.h"
    spans, _ = index.file_functions(path, v2)
    assert [(sp.name, sp.start) for sp in spans] == [("h", 3), ("g", 7)]


def _edited_cpu_profile(edit) -> bytes:  # type: ignore[no-untyped-def]
    """testdata/profile/cpu.pprof, decoded, changed by `edit`, encoded again (valid protobuf)."""
    msg = MESSAGES["Profile"]()
    data = (PKG / "cpu.pprof").read_bytes()
    msg.ParseFromString(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    edit(msg)
    return msg.SerializeToString()


def test_a_location_id_beyond_the_character_range_loads() -> None:
    """A location that no sample names, with an id over 0x10FFFF: valid, and read as before (it raised
    re.error from the pattern of unknown locations: a traceback, exit 1)."""

    def add(msg) -> None:  # type: ignore[no-untyped-def]
        msg.location.add().id = 0x110000

    raw = _check_decoding(_edited_cpu_profile(add))
    assert raw.stacks and len(raw.codes) == len(set(raw.codes))


def test_a_function_without_an_id_is_not_sampled() -> None:
    """Function id 0 (a Function written without one) is what ends each location's Lines in the flat
    table: asking for it must not count every location (it was 100% cumulative)."""
    victim: list[str] = []

    def clear(msg) -> None:  # type: ignore[no-untyped-def]
        named = {ln.function_id for loc in msg.location for ln in loc.line}
        f = next(f for f in msg.function if f.id in named)
        victim.append(msg.string_table[f.name].decode())
        f.id = 0

    agg = shares.aggregate([pprof.parse(_edited_cpu_profile(clear), "p.pprof")])["cpu"]
    stats = [fs for fs in agg.functions.values() if fs.name == victim[0]]
    assert stats
    agg.ensure(stats, [])
    assert all(not any(fs.flat) and not any(fs.cum) for fs in stats), [(fs.flat, fs.cum) for fs in stats]


def _function_name(msg) -> None:  # type: ignore[no-untyped-def]
    msg.function[0].name = -1


def _sample_unit(msg) -> None:  # type: ignore[no-untyped-def]
    msg.sample_type[0].unit = -1


def _period_type(msg) -> None:  # type: ignore[no-untyped-def]
    msg.period_type.type = -1


@pytest.mark.parametrize("negate", [_function_name, _sample_unit, _period_type])
def test_a_negative_string_index_is_an_error(negate) -> None:  # type: ignore[no-untyped-def]
    """A Function's name, a sample type's unit, the period type: string -1 names no string (Python's
    negative index named the last one)."""
    with pytest.raises(pprof.ProfileError, match="a string index is out of range"):
        pprof.parse(_edited_cpu_profile(negate), "p.pprof")

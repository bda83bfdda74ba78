"""The result cache: a package job's findings, stored under a key that changes whenever anything that
could change them changes.

The unit is the package job (one directory), not the file, and an entry holds the findings of every
file of the package whichever files were named (`package_job`), so that `check a.go` after `check b.go`
or `check ./...` is served from it (`narrowed` keeps the named files' findings). Cross-file rules (RET001 deleting in one
file what another file inserts, GOR001 naming a function of a sibling file) make every file's findings
depend on the whole package, so the key holds the content hash of every file of the package. Editing
any file of a package re-analyses that package and no other. The key also holds:

- the cache format, gostatic's version and a hash of the engine's and every loaded rule module's source
  (built-in rules, entry-point rules and `plugins = [...]` modules), so a new or edited rule invalidates;
- everything the job carries from the configuration: enabled rules, severity overrides, per-file
  ignores, `go-version` (flag, config, `go.mod`), `hot-functions`, plugin list;
- the display path of each file (findings carry it) and whether it is reported.

Entries are JSON (never pickle: a cache directory inside a checkout may hold files a pull request
added, and loading them must not run code), written to a temporary file and renamed into place, so
concurrent runs never see half an entry; an entry that does not load is ignored and rewritten.
Results with internal errors are not stored, so a crash is reported on every run until fixed.

Location: `.gostatic_cache/` in the current directory (like ruff's `.ruff_cache`), or `--cache-dir`,
or `GOSTATIC_CACHE_DIR`. Discovery never lints it (hidden directory, no `.go` files) and it ignores
itself for git with its own `.gitignore`.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import attrs

from gostatic import __version__
from gostatic.analysis import gomod
from gostatic.lint.finding import Edit, Finding, Fix, Position, Severity
from gostatic.run import files

try:  # `hashlib` loads OpenSSL first (~3 ms of every cached run) to offer a hash CPython builds in
    from _blake2 import blake2b
except ImportError:  # pragma: no cover (an interpreter without it)
    from hashlib import blake2b

FORMAT = 2


_MADE_DIRS: set[Path] = set()  # directories this process created or found, not asked about again


def _write_atomically(target: Path, payload: bytes) -> None:
    """`files.write_atomically`, the directory made first (and again if it was removed since: a
    long-lived server, a cleaned cache)."""
    if target.parent not in _MADE_DIRS:
        target.parent.mkdir(parents=True, exist_ok=True)
        _MADE_DIRS.add(target.parent)
    try:
        files.write_atomically(str(target), payload)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        files.write_atomically(str(target), payload)


# ---------------------------------------------------------------------------------------------- keys
_CODE_FINGERPRINTS: dict[tuple, str] = {}


def code_fingerprint(plugins: tuple[tuple[str, str | None], ...], hashes: FileHashes | None = None) -> str:
    """Hash of gostatic's own source and of every module that defines a rule loaded with `plugins` (with
    the whole package tree such a module belongs to). Each file's content hash is the one its installed
    distribution's `RECORD` gives when the file has not changed since it was installed (run/installed.py),
    else the one `hashes` remembers when its identity is unchanged (reading and hashing the ~100 source
    files was ~12 ms of every run), else its bytes' hash."""
    cached = _CODE_FINGERPRINTS.get(plugins)
    if cached is not None:
        return cached
    from gostatic.run import installed

    files, trees = code_files(plugins)
    distributions = {"gostatic", *(installed.normalised_name(os.path.basename(t)) for t in trees)}
    recorded = installed.recorded_files(trees, distributions)
    h = blake2b(digest_size=16)
    h.update(f"{FORMAT}\0{__version__}\0".encode())
    for path in files:
        h.update(path.encode() + b"\0")
        try:
            entry = recorded.get(path)
            digest = installed.trusted_hash(entry, os.stat(path)) if entry is not None else None
            if digest is not None:
                # not read: a replayed run's record depends on the file all the same (replay.py)
                sys.audit("gostatic.probe", path)
                h.update(digest.encode())
            elif hashes is not None:
                h.update(hashes.content_hash(path).encode())
            else:
                h.update(content_hash(Path(path).read_bytes()).encode())
        except OSError:
            h.update(b"<unreadable>")
    digest = h.hexdigest()
    _CODE_FINGERPRINTS[plugins] = digest
    return digest


def code_files(plugins: tuple[tuple[str, str | None], ...]) -> tuple[list[str], list[str]]:
    """The source files `code_fingerprint` hashes, sorted, and the package trees they were listed from
    (resolved): gostatic's own tree, the tree of every package a loaded rule module belongs to, single-
    file plugins and the helper modules loaded from their directories."""
    from gostatic.lint.registry import load_rules

    files: set[str] = set()
    links: set[str] = set()  # listed files that are symbolic links (resolved on their own)
    engine_dir = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # every stage
    _python_files(engine_dir, files, links)
    trees: list[str] = [engine_dir]
    roots: set[str] = set()
    plugin_dirs: set[Path] = set()
    # many rules share a module and a package: each tree is listed and each root resolved once (per
    # rule, that was a thousand path resolutions a run, a sixth of a warm run over a small project)
    modules = dict.fromkeys(
        rule.__module__ for rule in load_rules([(s, Path(b) if b else None) for s, b in plugins])
    )
    for name in modules:
        # a rule module inside a package may use the package's other modules (the POOL rules' model):
        # the whole tree of its top-level package is hashed (the engine's own tree, which the engine
        # rules' package is, only once)
        top = sys.modules.get(name.split(".")[0])
        for root in getattr(top, "__path__", ()) if "." in name else ():
            if root in roots:
                continue
            roots.add(root)
            tree = os.path.realpath(root)
            if tree not in trees:
                trees.append(tree)
                _python_files(tree, files, links)
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None)
        if path:
            # a file the listing found is already resolved (no link on its way from a resolved tree)
            resolved = path if path in files and path not in links else os.path.realpath(path)
            files.add(resolved)
            if "." not in name:
                plugin_dirs.add(Path(resolved).parent)
    # a single-file plugin may import helper modules from its own directory (`from helpers import x`):
    # every module loaded from such a directory is hashed too, so editing a helper invalidates
    for module in list(sys.modules.values()) if plugin_dirs else ():
        path = getattr(module, "__file__", None)
        if path and path.endswith(".py"):
            resolved_path = Path(path).resolve()
            if any(_beside(resolved_path, d) for d in plugin_dirs):
                files.add(str(resolved_path))
    return sorted(files), trees


def _python_files(root: str, out: set[str], links: set[str]) -> None:
    """Every `*.py` under `root`, as `Path(root).rglob("*.py")` lists them (hidden ones too, links to
    directories not followed) but for the interpreter's `__pycache__` directories (compiled files, no
    module is imported from there), into `out` (those that are links also into `links`), without
    pathlib's objects and pattern matching (which were a third of the fingerprint's cost)."""
    stack = [root]
    while stack:
        try:
            listing = os.scandir(stack.pop())
        except OSError:
            continue
        with listing:
            for entry in listing:
                if entry.name.endswith(".py"):
                    out.add(entry.path)
                    if entry.is_symlink():
                        links.add(entry.path)
                try:
                    if entry.is_dir() and not entry.is_symlink() and entry.name != "__pycache__":
                        stack.append(entry.path)
                except OSError:
                    continue


def _beside(module: Path, plugin_dir: Path) -> bool:
    """A module file in `plugin_dir` or in a package under it; not in a hidden directory or a virtual
    environment that happens to sit there (a plugin at a repository's root beside its `.venv`)."""
    try:
        parts = module.relative_to(plugin_dir).parts
    except ValueError:
        return False
    return not any(p.startswith(".") or p in ("site-packages", "node_modules") for p in parts[:-1])


def content_hash(data: bytes) -> str:
    return blake2b(data, digest_size=16).hexdigest()


class FileHashes:
    """Content hashes remembered by file identity (device, inode, size, modification time), so a warm run
    stats its files instead of reading and hashing them all. A file changed less than two seconds
    before it was hashed is not remembered (a later edit in the same clock tick could leave its stat
    unchanged: git's "racy" case); it is hashed again next time. Stored next to the cache entries,
    written atomically; a lost or corrupt table only costs the hashing."""

    NAME = "file-hashes.json"

    def __init__(self, directory: Path | None) -> None:
        self._path = directory / self.NAME if directory is not None else None
        self._table: dict[str, list] = {}
        self._dirty = False
        if self._path is not None:
            with contextlib.suppress(Exception):
                raw = json.loads(self._path.read_bytes())
                if (
                    isinstance(raw, dict)
                    and raw.get("format") == FORMAT
                    and isinstance(raw.get("files"), dict)
                ):
                    self._table = {p: e for p, e in raw["files"].items() if _well_formed(e)}

    def content_hash(self, path: str, read: dict[str, bytes] | None = None) -> str:
        """The hash of `path`'s bytes (OSError when it cannot be read); the bytes, when it had to read
        them, go into `read`."""
        st = os.stat(path)
        known = self._remembered(path, st)
        if known is not None:
            return known
        data = Path(path).read_bytes()
        if read is not None:
            read[path] = data
        digest = content_hash(data)
        if st.st_mtime_ns < time.time_ns() - files.RACY_NS:
            self._table[path] = [*files.identity(st), digest]
            self._dirty = True
        return digest

    def known_hash(self, path: str) -> str | None:
        """The remembered hash of `path` when its identity is unchanged, without reading it; else None."""
        if path not in self._table:
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        return self._remembered(path, st)

    def _remembered(self, path: str, st: os.stat_result) -> str | None:
        entry = self._table.get(path)
        if entry is None or entry[:4] != files.identity(st):
            return None
        # trusted without being read: a replayed run's record depends on it all the same (replay.py), be
        # it a Go file or one of gostatic's own sources that the warm run does not import
        sys.audit("gostatic.probe", path)
        return str(entry[4])

    def entries(self) -> dict[str, list]:
        """What this table learnt (for a worker process to hand back to the run's table)."""
        return dict(self._table)

    def learn(self, entries: dict[str, list]) -> None:
        if entries:
            self._table.update(entries)
            self._dirty = True

    def save(self) -> None:
        if not self._dirty or self._path is None:
            return
        payload = json.dumps({"format": FORMAT, "files": self._table}, separators=(",", ":")).encode()
        with contextlib.suppress(OSError):
            _write_atomically(self._path, payload)
        self._dirty = False


def _well_formed(entry: object) -> bool:
    """A table entry as `content_hash` writes it: four integers of identity and a hash. Anything else (a
    hand-edited, truncated or foreign file) is dropped on load, a miss, where it used to raise a
    TypeError out of the run when it was read."""
    return (
        isinstance(entry, list)
        and len(entry) == 5
        and all(type(x) is int for x in entry[:4])
        and isinstance(entry[4], str)
    )


def job_key(
    job, hashes: FileHashes | None = None, read: bool = True, kept: dict[str, bytes] | None = None
) -> str | None:  # type: ignore[no-untyped-def]  # package.PackageJob
    """The cache key of a package job, or None when a file cannot be read (then the job just runs), or,
    with `read` False, when a file's hash is not known from its identity (then whoever reads the files
    for the analysis works the key out: see `run_cached`). `kept` receives the bytes of the files it
    read, so that the analysis uses exactly the bytes the key was made of."""
    overlays = dict(job.overlays)
    parts: list[object] = [
        code_fingerprint(job.plugins, hashes),
        job.directory,
        sorted(job.enabled),
        list(job.severity),
        sorted((p, sorted(codes)) for p, codes in job.ignored_by_file),
        job.go_version,
        job.config_go_version,
        gomod.version_for(os.path.abspath(job.directory)),
        list(job.hot_functions),
        [list(p) for p in job.plugins],
        job.include_generated,
        job.include_tests,
        job.include_cold,
        repr(job.build),
    ]
    if job.profiled:  # only with a profile, so that keys without one stay what they were
        parts.append([list(p) for p in job.profiled])
    if job.sampled_lines:
        parts.append([[name, list(lines), list(starts)] for name, lines, starts in job.sampled_lines])
        parts.append(["sampled-by", job.sampled_by])
    # retention findings of a command's packages depend on whether anything in its tree serves (only
    # there, so that other keys stay what they were)
    if job.one_shot is not None:
        parts.append(["one-shot", job.one_shot])
    for fj in job.files:
        data = overlays.get(fj.path)
        try:
            if data is not None:
                digest = content_hash(data)
            elif hashes is not None and not read:
                known = hashes.known_hash(fj.path)
                if known is None:
                    return None
                digest = known
            elif hashes is not None:
                digest = hashes.content_hash(fj.path, kept)
            else:
                digest = content_hash(Path(fj.path).read_bytes())
        except OSError:
            return None
        parts.append([fj.path, fj.display, fj.reported, fj.explicit, digest])
    blob = repr(parts).encode()  # deterministic for these str/int/bool/None/list/tuple parts, and fast
    return blake2b(blob, digest_size=20).hexdigest()


# ---------------------------------------------------------------------------------------------- values
def _finding_to_json(f: Finding) -> dict:
    return {
        "path": f.path,
        "start": [f.start.line, f.start.column],
        "end": [f.end.line, f.end.column],
        "bytes": [f.start_byte, f.end_byte],
        "code": f.code,
        "name": f.name,
        "severity": f.severity.value,
        "message": f.message,
        "fix": None
        if f.fix is None
        else {
            "description": f.fix.description,
            "safe": f.fix.safe,
            "edits": [[e.start, e.end, e.new_text] for e in f.fix.edits],
        },
    }


def _ints(value: object, n: int) -> list[int]:
    if not (isinstance(value, list) and len(value) == n and all(type(x) is int for x in value)):
        raise ValueError(f"expected {n} integers, got {value!r}")
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {value!r}")
    return value


def _finding_from_json(d: dict) -> Finding:
    """A finding as `_finding_to_json` stored it; ValueError (a miss) on any other shape, so that a
    corrupt or hand-edited entry cannot hand the report a finding whose line is a string."""
    fix = d["fix"]
    edits: list[Edit] = []
    for e in [] if fix is None else fix["edits"]:
        if not (isinstance(e, list) and len(e) == 3):
            raise ValueError(f"edit {e!r}")
        edits.append(Edit(*_ints(e[:2], 2), _str(e[2])))
    if fix is not None and not isinstance(fix["safe"], bool):
        raise ValueError("fix")
    return Finding(
        path=_str(d["path"]),
        start=Position(*_ints(d["start"], 2)),
        end=Position(*_ints(d["end"], 2)),
        start_byte=_ints(d["bytes"], 2)[0],
        end_byte=d["bytes"][1],
        code=_str(d["code"]),
        name=_str(d["name"]),
        severity=Severity(d["severity"]),
        message=_str(d["message"]),
        fix=None if fix is None else Fix(_str(fix["description"]), edits, fix["safe"]),
    )


class Cache:
    """Package results on disk, one JSON file per key."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.hits = 0
        self.misses = 0
        self._ready = False

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str):  # type: ignore[no-untyped-def]  # -> package.PackageResult | None
        from gostatic.run.package import PackageResult

        try:
            raw = json.loads(self._path(key).read_bytes())
            if not isinstance(raw, dict) or raw.get("format") != FORMAT or type(raw.get("files")) is not int:
                raise ValueError("format")
            hidden = raw.get("hidden", {})
            if not isinstance(hidden, dict) or not all(type(n) is int for n in hidden.values()):
                raise ValueError("hidden")
            result = PackageResult(
                findings=[_finding_from_json(d) for d in raw["findings"]],
                errors=[],
                files=raw["files"],
                hidden={str(k): n for k, n in hidden.items()},
            )
        except FileNotFoundError:
            self.misses += 1
            return None
        except Exception:  # a corrupt or foreign entry: ignore it, the run rewrites it
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, key: str, result) -> None:  # type: ignore[no-untyped-def]
        if result.errors:
            return  # report internal errors again next time
        payload = json.dumps(
            {
                "format": FORMAT,
                "files": result.files,
                "findings": [_finding_to_json(f) for f in result.findings],
                "hidden": result.hidden,
            },
            separators=(",", ":"),
        ).encode()
        target = self._path(key)
        try:
            self._prepare()
            _write_atomically(target, payload)
        except OSError:
            pass  # a read-only or full disk costs speed, never the run

    def _prepare_quietly(self) -> None:
        with contextlib.suppress(OSError):
            self._prepare()

    def _prepare(self) -> None:
        if self._ready:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, text in (
            (".gitignore", "# created by gostatic: the cache is never committed\n*\n"),
            (
                "CACHEDIR.TAG",
                "Signature: 8a477f597d28d172789f06886806bc55\n# gostatic's result cache (https://bford.info/cachedir/)\n",
            ),
        ):
            p = self.directory / name
            if not p.exists():
                with contextlib.suppress(OSError):
                    p.write_text(text, encoding="utf-8")
        self._ready = True


# ------------------------------------------------------------------------------------- package entries
def package_job(job):  # type: ignore[no-untyped-def]  # package.PackageJob -> package.PackageJob
    """The job whose entry serves any set of files of its package: every file reported. `check a.go`,
    `check b.go` (pre-commit, an editor) and `check ./...` then share one entry per package, and naming
    a sibling file is a cache hit instead of a new analysis. A file named explicitly stays explicit only
    when it is generated (the one thing the flag changes: a named generated file is linted)."""
    from gostatic.run.package import FileJob

    overlays = dict(job.overlays)
    files = tuple(
        FileJob(fj.path, fj.display, True, fj.explicit and _is_generated_file(fj.path, overlays))
        for fj in job.files
    )
    return job if files == job.files else attrs.evolve(job, files=files)


def _is_generated_file(path: str, overlays: dict[str, bytes]) -> bool:
    from gostatic.run.package import is_generated

    data = overlays.get(path)
    if data is None:
        try:
            with open(path, "rb") as fh:
                data = fh.read(1 << 16)
        except OSError:
            return False
    return is_generated(data)


def narrowed(result, job):  # type: ignore[no-untyped-def]  # (PackageResult, PackageJob) -> PackageResult
    """A package entry's result cut down to the files `job` reports."""
    if all(fj.reported for fj in job.files):
        return result
    from gostatic.run.package import PackageResult

    shown = {fj.display for fj in job.files if fj.reported}
    return PackageResult(
        findings=[f for f in result.findings if f.path in shown], errors=result.errors, files=result.files
    )


def lookup(cache: Cache, jobs: Iterable) -> tuple[dict[int, object], dict[int, str], FileHashes]:  # type: ignore[type-arg]
    """Split jobs into cached results (by position) and the keys of the ones to run, as far as the files'
    remembered hashes tell without reading them; the jobs in neither (a file new or changed since it
    was hashed) get their key where their files are read, in the worker (`run_cached`), so a cold run
    does not read and hash the whole tree in one process before any analysis starts."""
    hits: dict[int, object] = {}
    keys: dict[int, str] = {}
    hashes = FileHashes(cache.directory)
    for i, job in enumerate(jobs):
        key = job_key(package_job(job), hashes, read=False)
        if key is None:
            continue
        result = cache.get(key)
        if result is not None:
            hits[i] = narrowed(result, job)
        else:
            keys[i] = key
    cache._prepare_quietly()
    return hits, keys, hashes


def run_cached(job, cache_dir: str, key: str | None):  # type: ignore[no-untyped-def]
    """Analyse one job (package.analyze_package) with the cache at `cache_dir`: its key is worked out
    here when the lookup could not (`key` None), answered from the cache if present, else analysed and
    stored. Returns (result, file hashes learnt). Runs in worker processes."""
    wanted, job = job, package_job(job)  # analysed (and stored) for every file of the package
    result, learnt = _run_cached(job, cache_dir, key)
    return narrowed(result, wanted), learnt


def _run_cached(job, cache_dir: str, key: str | None):  # type: ignore[no-untyped-def]
    from gostatic.run.package import analyze_package

    store = Cache(Path(cache_dir))
    learnt: dict[str, list] = {}
    if key is None:
        hashes = FileHashes(None)
        read: dict[str, bytes] = {}
        key = job_key(job, hashes, kept=read)
        learnt = hashes.entries()
        cached = store.get(key) if key is not None else None
        if cached is not None:
            return cached, learnt
        if key is not None and read:  # analysed from the bytes just hashed: not read twice, not changed
            job = attrs.evolve(job, overlays=tuple({**read, **dict(job.overlays)}.items()))
    result = analyze_package(job)
    if key is not None:
        store.put(key, result)
    return result, learnt

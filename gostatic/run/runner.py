"""A run from paths to sorted findings: discover, group into packages, analyse each package (the unit
of work, picklable so that it can go to a worker process), then suppress and filter in one place."""

from __future__ import annotations

import functools
import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import attrs

from gostatic.analysis import lifetime
from gostatic.lint.finding import Finding
from gostatic.lint.registry import load_rules
from gostatic.parse.buildtags import BuildConfig
from gostatic.parse.clause import declares_main
from gostatic.run import config as configmod
from gostatic.run import selection
from gostatic.run.package import FileJob, PackageJob, PackageResult, analyze_package, display_path


# ---------------------------------------------------------------------------------------------- planning
@attrs.define(repr=False)
class RunOptions:
    paths: list[str] = attrs.Factory(lambda: ["."])
    select: list[str] | None = None
    ignore: list[str] | None = None
    extend_select: list[str] | None = None
    go_version: tuple[int, int] | None = None
    config_path: Path | None = None
    force_exclude: bool = False
    debug: bool = False
    include_tests: bool = False  # --include-tests
    include_cold: bool = False  # --include-cold
    exclude: tuple[str, ...] = ()  # --exclude globs, relative to the current directory
    stdin: tuple[str, bytes] | None = None  # `check - --stdin-filename PATH`: (PATH, the source)
    build_tags: tuple[str, ...] = ()  # --tags; GOOS, GOARCH and CGO_ENABLED come from the environment


@attrs.define(repr=False)
class Plan:
    jobs: list[PackageJob] = attrs.Factory(list)
    notes: list[str] = attrs.Factory(list)
    missing: list[str] = attrs.Factory(list)
    files: int = 0
    # profiles named by the configurations of the planned directories, the first `min-share` among them,
    # and the `default.pgo` files of main packages' directories (Go's PGO convention): gostatic/impact
    # decides which to use
    profiles: list[str] = attrs.Factory(list)
    min_share: float | None = None
    pgo: list[str] = attrs.Factory(list)


def _config_for(directory: Path, opts: RunOptions) -> configmod.Config:
    if opts.config_path is not None:
        return configmod.load_file(opts.config_path) or configmod.DEFAULT
    return configmod.discover(Path(os.path.abspath(directory)))


def _plugins(cfg: configmod.Config) -> tuple[tuple[str, str | None], ...]:
    base = str(cfg.root) if cfg.root is not None else None
    return tuple((p, base) for p in cfg.plugins)


class _ConfigExcludes:
    """The configuration's `exclude` patterns, as discovery asks them: of a path, and of a directory
    whether any can apply to the files in it (most have none: their files are not asked about)."""

    def __init__(self, opts: RunOptions) -> None:
        self.opts = opts
        self.configs: dict[str, configmod.Config] = {}  # str keys: Path hashing is slow

    def _config(self, directory: str) -> configmod.Config:
        cfg = self.configs.get(directory)
        if cfg is None:
            cfg = self.configs[directory] = _config_for(Path(directory or "."), self.opts)
        return cfg

    def applies_in(self, directory: Path) -> bool:
        if self.opts.exclude:
            return True
        cfg = self._config(os.fspath(directory))
        return bool(cfg.exclude) and cfg.root is not None

    def __call__(self, path: Path, is_dir: bool) -> bool:
        import fnmatch

        if self.opts.exclude:
            rel = Path(os.path.relpath(os.path.abspath(path))).as_posix()
            names = (rel, rel + "/", path.name) if is_dir else (rel, path.name)
            if any(fnmatch.fnmatch(n, pat) for pat in self.opts.exclude for n in names):
                return True
        cfg = self._config(os.fspath(path) if is_dir else os.path.dirname(path))
        if not cfg.exclude or cfg.root is None:
            return False
        try:
            rel = path.absolute().relative_to(cfg.root.absolute()).as_posix()
        except ValueError:
            return False
        return any(fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(rel + "/", pat) for pat in cfg.exclude)


def plan(opts: RunOptions) -> Plan:
    """Discover files and turn them into package jobs (one per directory)."""
    from gostatic.run.discovery import discover

    out = Plan()
    build = BuildConfig.from_environment(opts.build_tags)
    found = discover(opts.paths, _ConfigExcludes(opts), opts.force_exclude)
    if opts.stdin is not None and found.missing == [opts.stdin[0]]:
        found.missing = []  # standard input named as a new file: analysed with its directory's files
        found.files.append((Path(opts.stdin[0]), True))
    out.notes.extend(found.notes)
    out.missing.extend(found.missing)
    # Files are handled by name within their directory, as strings: pathlib's hashing and comparisons
    # were most of a warm run's planning.
    by_dir: dict[str, dict[str, Path]] = defaultdict(dict)  # directory -> name -> reported file
    explicit: set[str] = set()
    for path, named in found.files:
        where, _, name = str(path).rpartition(os.sep)
        by_dir[where or "."][name] = path
        if named:
            explicit.add(str(path))
    for dir_name in sorted(by_dir):
        reported = by_dir[dir_name]
        directory = next(iter(reported.values())).parent
        listed = found.go_files.get(directory)  # the walk lists a directory's files in name order
        if listed is None:
            try:
                listed = [p for p in directory.iterdir() if p.name.endswith(".go") and p.is_file()]
            except OSError:
                listed = []
        files = {p.name: p for p in listed}  # name -> path, siblings first
        for name, p in reported.items():
            files.setdefault(name, p)
        dir_display = display_path(directory)
        members = [(files[name], name in reported) for name in sorted(files)]

        def show(p: Path, dir_display: str = dir_display) -> str:
            return p.name if dir_display == "." else f"{dir_display}/{p.name}"

        cfg = _config_for(directory, opts)
        _note_profiles(out, cfg, directory, members)
        rules = load_rules([(s, Path(b) if b else None) for s, b in _plugins(cfg)])
        enabled = selection.enabled_codes(rules, cfg, opts.select, opts.ignore, opts.extend_select)
        sev = selection.severity_overrides(cfg, rules)
        ignored = []
        for p, _ in members:  # every member, reported or not: one cache entry serves any of them
            skip = selection.per_file_ignored(cfg, p, rules)
            if skip:
                ignored.append((show(p), frozenset(skip)))
        out.files += sum(1 for _, r in members if r)
        overlays: tuple[tuple[str, bytes], ...] = ()
        if opts.stdin is not None and opts.stdin[0] in {str(p) for p, _ in members}:
            overlays = ((opts.stdin[0], opts.stdin[1]),)
        # --force-exclude: a file named explicitly is treated as the walk treats it (a generated one
        # is skipped, as in `./...`), so pre-commit, which names staged files, agrees with a full run
        out.jobs.append(
            PackageJob(
                directory=str(directory),
                files=tuple(
                    FileJob(str(p), show(p), rep, str(p) in explicit and not opts.force_exclude)
                    for p, rep in members
                ),
                overlays=overlays,
                include_generated=cfg.include_generated,
                include_tests=cfg.include_tests or opts.include_tests,
                include_cold=cfg.include_cold or opts.include_cold,
                enabled=enabled,
                severity=tuple((c, s.value) for c, s in sorted(sev.items())),
                ignored_by_file=tuple(ignored),
                go_version=opts.go_version,
                config_go_version=cfg.go_version,
                hot_functions=cfg.hot_functions,
                plugins=_plugins(cfg),
                debug=opts.debug,
                build=build,
                one_shot=lifetime.one_shot_command(directory, dict(overlays)),
            )
        )
    return out


def _note_profiles(
    out: Plan, cfg: configmod.Config, directory: Path, members: list[tuple[Path, bool]]
) -> None:
    for p in cfg.profile:
        if p not in out.profiles:
            out.profiles.append(p)
    if out.min_share is None:
        out.min_share = cfg.min_share
    pgo = directory / "default.pgo"
    if pgo.is_file() and any(declares_main(str(p)) for p, _ in members if not p.name.endswith("_test.go")):
        out.pgo.append(str(pgo))


@attrs.define(repr=False)
class RunResult:
    findings: list[Finding] = attrs.Factory(list)
    errors: list[str] = attrs.Factory(list)
    notes: list[str] = attrs.Factory(list)
    missing: list[str] = attrs.Factory(list)
    files: int = 0


def _run_job(job: PackageJob, cache_dir: str | None, keys: dict[str, str]) -> tuple[PackageResult, dict]:
    """One job, analysed or answered from the cache; a run without a cache never imports it (its
    hashing, JSON and temporary files are a fifth of a one-file run's start-up)."""
    if cache_dir is None:
        return analyze_package(job), {}
    from gostatic.run.cache import run_cached

    return run_cached(job, cache_dir, keys.get(job.directory))  # type: ignore[no-any-return]


# Under this much Go source in all, a run analyses in process: a worker's fork (and the copy-on-write
# faults of the parent's pages it touches) costs 10-30 ms, more than analysing 64 KiB (about 15 ms), and a
# one-file run or a pre-commit run over a few files is where start-up shows. Any file that could approach
# the time or memory budgets is far larger than this.
SMALL_RUN_BYTES = 64 * 1024


def _small(jobs: list[PackageJob]) -> bool:
    total = 0
    for job in jobs:
        overlays = dict(job.overlays)  # standard input: its bytes, not the file on disk
        for fj in job.files:
            data = overlays.get(fj.path)
            try:
                total += len(data) if data is not None else os.stat(fj.path).st_size
            except OSError:
                continue
            if total > SMALL_RUN_BYTES:
                return False
    return True


def execute(
    jobs: Iterable[PackageJob],
    workers: int = 1,
    cache_dir: Path | None = None,
    isolate: bool = False,
    hidden: dict[str, int] | None = None,
    stats: dict[str, int] | None = None,
) -> tuple[list[Finding], list[str], int]:
    """Run package jobs: answered from the cache in `cache_dir` when given (None: no cache), the rest on
    `workers` processes (gostatic/workers.py). Output does not depend on either. `isolate` (the CLI):
    worker processes even for one worker or one package, so that no file can take the run down and each
    file is held to the budget, unless the work left is under SMALL_RUN_BYTES of source (below); in
    process otherwise (tests, one-off library calls). `hidden` receives the counts of cost findings left
    out by the run's scope (tests, cold code), for its summary; `stats` receives how many packages were
    answered from the cache ("cached") and how many analysed ("analysed")."""
    jobs = list(jobs)
    cached: dict[int, PackageResult] = {}
    keys: dict[int, str] = {}
    hashes = None
    if cache_dir is not None:
        from gostatic.run.cache import Cache, lookup

        cached, keys, hashes = lookup(Cache(cache_dir), jobs)  # type: ignore[assignment]
    todo = [i for i in range(len(jobs)) if i not in cached]
    if stats is not None:
        stats["cached"], stats["analysed"] = len(cached), len(todo)
    run = functools.partial(
        _run_job,
        cache_dir=str(cache_dir) if cache_dir is not None else None,
        keys={jobs[i].directory: keys[i] for i in keys},
    )
    if isolate and _small([jobs[i] for i in todo]):
        isolate = False
    if todo and (isolate or (workers > 1 and len(todo) > 1)):
        from gostatic.run.workers import run_parallel

        fresh = run_parallel([jobs[i] for i in todo], workers, run)
    else:
        fresh = [run(jobs[i]) for i in todo]
    results = dict(cached)
    for i, item in zip(todo, fresh, strict=True):
        # (result, file hashes learnt); a bare PackageResult when the worker running it died
        res, learnt = item if isinstance(item, tuple) else (item, {})
        results[i] = res
        if hashes is not None:
            hashes.learn(learnt)
    if hashes is not None:
        hashes.save()
    findings: list[Finding] = []
    errors: list[str] = []
    files = 0
    for i in range(len(jobs)):
        res = results[i]
        findings.extend(res.findings)
        errors.extend(res.errors)
        files += res.files
        if hidden is not None:
            for why, n in getattr(res, "hidden", {}).items():
                hidden[why] = hidden.get(why, 0) + n
    findings.sort(key=lambda f: f.sort_key)
    return findings, errors, files


def run(opts: RunOptions) -> RunResult:
    p = plan(opts)
    findings, errors, _ = execute(p.jobs)
    return RunResult(findings, errors, p.notes, p.missing, p.files)

"""A run from paths to sorted findings: discover, group into packages, analyse each package (the unit
of work, picklable so that it can go to a worker process), then suppress and filter in one place."""

from __future__ import annotations

import functools
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import attrs

from gostatic import config as configmod
from gostatic import gomod, selection, suppress
from gostatic.census import ENGINE_KINDS
from gostatic.context import FileContext, PackageContext
from gostatic.dispatch import dispatch, node_types_of
from gostatic.engine_rules import NotGoSource, SyntaxError_, UnreadableFile
from gostatic.finding import Finding, Position, Severity
from gostatic.index import FileImports, PackageIndex, SourceFile
from gostatic.memory import return_freed_memory
from gostatic.partial import Partial, merge, record_origins
from gostatic.registry import load_rules
from gostatic.rule import Rule
from gostatic.syntax import Tree, first_error, parse, text

MAX_FILE_BYTES = 32 * 1024 * 1024
_PACKAGE_SCAN = 4096


@attrs.frozen
class FileJob:
    path: str
    display: str
    reported: bool
    explicit: bool = False  # named on the command line (or by the editor): generated or not, it is linted


@attrs.frozen
class PackageJob:
    """Everything a worker needs to analyse one directory's packages."""

    directory: str
    files: tuple[FileJob, ...]
    enabled: frozenset[str]
    severity: tuple[tuple[str, str], ...] = ()
    ignored_by_file: tuple[tuple[str, frozenset[str]], ...] = ()
    go_version: tuple[int, int] | None = None  # --go-version
    config_go_version: tuple[int, int] | None = None
    hot_functions: tuple[str, ...] = ()
    plugins: tuple[tuple[str, str | None], ...] = ()
    debug: bool = False
    include_generated: bool = False
    # (path, bytes) read instead of the file on disk: the LSP server's unsaved buffers
    overlays: tuple[tuple[str, bytes], ...] = ()


@attrs.define
class PackageResult:
    findings: list[Finding] = attrs.Factory(list)
    errors: list[str] = attrs.Factory(list)  # internal errors (rule crashes)
    files: int = 0
    # files run with a `partial.Partial`: path -> raw findings (before suppressions) with their origins
    raw: dict[str, list[tuple[Finding, tuple[int, int]]]] = attrs.Factory(dict)


_GENERATED = re.compile(rb"^// Code generated .* DO NOT EDIT\.\r?$", re.MULTILINE)


def is_generated(source: bytes) -> bool:
    """Go's convention for machine-written files: a `// Code generated ... DO NOT EDIT.` line before the
    package clause."""
    m = re.search(rb"^package\s", source, re.MULTILINE)
    return _GENERATED.search(source, 0, m.start() if m else min(len(source), 4096)) is not None


def display_path(path: Path) -> str:
    try:
        rel = os.path.relpath(os.path.abspath(path), os.getcwd())
    except ValueError:
        return path.absolute().as_posix()
    if rel.startswith(".."):
        return path.absolute().as_posix()
    return Path(rel).as_posix()


def _read(path: Path, overlay: bytes | None = None) -> tuple[bytes | None, str | None, str | None]:
    """(source, code of the problem, message) for one file; `overlay` replaces the file on disk."""
    try:
        size = path.stat().st_size if overlay is None else len(overlay)
        if size > MAX_FILE_BYTES:
            return (
                None,
                NotGoSource.meta.code,
                (
                    f"file is {size // (1024 * 1024)} MiB, over the {MAX_FILE_BYTES // (1024 * 1024)} MiB "
                    "gostatic analyses; it was skipped (exclude it in the config if it is generated)"
                ),
            )
        data = path.read_bytes() if overlay is None else overlay
    except IsADirectoryError:
        return None, None, None
    except OSError as exc:
        return (
            None,
            UnreadableFile.meta.code,
            f"cannot read file: {exc.strerror or exc}; nothing in it was analysed",
        )
    if b"\0" in data:
        return (
            None,
            NotGoSource.meta.code,
            "file contains NUL bytes: it is binary, not Go source, and was skipped",
        )
    return data, None, None


def _syntax_message(node, source: bytes) -> str:  # type: ignore[no-untyped-def]
    if node.is_missing:
        return f"syntax error: missing {node.type!r}; the rest of the file is still analysed"
    snippet = text(node)[:40].decode("utf-8", "replace").split("\n")[0].strip()
    what = f"unexpected {snippet!r}" if snippet else "unexpected input"
    return f"syntax error: {what}; the intact parts of the file are still analysed"


def analyze_package(
    job: PackageJob, trees: Mapping[str, Tree] | None = None, partial: Mapping[str, Partial] | None = None
) -> PackageResult:
    """Parse, index and lint the Go packages of one directory (see `_analyze_package`); then hand the
    memory its trees took back to the system, so a run's peak is its largest package's."""
    result = _analyze_package(job, trees, partial)
    return_freed_memory()
    return result


def _analyze_package(
    job: PackageJob, trees: Mapping[str, Tree] | None = None, partial: Mapping[str, Partial] | None = None
) -> PackageResult:
    """Parse, index and lint the Go packages of one directory.

    `trees` (in-process callers only: trees do not pickle) maps a path to a tree already parsed from
    exactly the bytes this job reads for it (overlay or disk); the LSP server keeps incrementally
    edited trees and passes them here instead of paying a full parse per keystroke. `partial` (by path):
    files of which only a part is visited again, see partial.py."""
    result = PackageResult()
    overlays = dict(job.overlays)
    rules = load_rules([(s, Path(b) if b else None) for s, b in job.plugins])
    metas = {r.meta.code: r.meta for r in rules}
    by_code: dict[str, type[Rule]] = {r.meta.code: r for r in rules}
    known = {r.meta.code.lower(): r.meta.code for r in rules} | {r.meta.name: r.meta.code for r in rules}
    directory = Path(job.directory)
    mod_version = gomod.version_for_dir(directory.absolute())

    groups: dict[str, list[SourceFile]] = defaultdict(list)
    parts: dict[int, tuple[str, Partial]] = {}  # SourceFile id -> (path, its partial run)
    engine_findings: list[tuple[SourceFile | None, FileJob, str, str, int, int]] = []
    for fj in job.files:
        path = Path(fj.path)
        data, problem, message = _read(path, overlays.get(fj.path))
        if data is None:
            if problem is not None and fj.reported:
                engine_findings.append((None, fj, problem, message or "", 0, 0))
            continue
        if not (job.include_generated or fj.explicit) and is_generated(data):
            continue  # machine-written: nothing in it is the reader's to fix (as golangci-lint does)
        result.files += 1
        tree = (trees or {}).get(fj.path) or parse(data)
        root = tree.root_node
        pkg_name = ""
        for child in root.named_children:
            if child.type == "package_clause":
                ident = child.named_children[0] if child.named_children else None
                pkg_name = text(ident).decode("utf-8", "replace") if ident is not None else ""
                break
        version = (
            job.go_version or gomod.file_pragma(data) or job.config_go_version or mod_version or gomod.NEWEST
        )
        sf = SourceFile(
            path=path,
            display=fj.display,
            source=data,
            tree=tree,
            package=pkg_name,
            is_test=path.name.endswith("_test.go"),
            imports=FileImports.from_tree(root),
            go_version=version,
            reported=fj.reported,
        )
        groups[pkg_name].append(sf)
        if partial is not None and fj.path in partial:
            parts[id(sf)] = (fj.path, partial[fj.path])
        err = first_error(root)
        if err is not None and fj.reported:
            engine_findings.append(
                (sf, fj, SyntaxError_.meta.code, _syntax_message(err, data), err.start_byte, err.end_byte)
            )

    contexts: dict[int, FileContext] = {}
    indexes: list[PackageIndex] = []
    for name, files in groups.items():
        index = PackageIndex.build(name, directory, files)
        indexes.append(index)
        for f in files:
            if id(f) in parts and parts[id(f)][1].span is not None:
                index.census_spans[id(f)] = parts[id(f)][1].span  # before the first question
        fctxs = [FileContext(f, index, job.hot_functions) for f in files]
        for fc in fctxs:
            contexts[id(fc.file)] = fc
        instances = [by_code[c]() for c in sorted(job.enabled) if c in by_code and type_has_work(by_code[c])]
        pctx = PackageContext(index, fctxs)
        sink = result.errors.append
        origins = record_origins(instances) if parts else {}
        for inst in instances:
            _guard(lambda inst=inst, pctx=pctx: inst.begin_package(pctx), inst, sink, job.debug)
        active = {id(fc): [r for r in instances if _runs_on(r, fc.file)] for fc in fctxs}
        keep = ENGINE_KINDS.union(*(r.census_kinds for r in instances))  # what package hooks read
        for fc in fctxs:  # every file's kinds before the first question: one query per file
            index.census_kinds[id(fc.file)] = frozenset(
                k for r in active[id(fc)] for k in (*node_types_of(type(r)), *r.census_kinds)
            )
        for fc in fctxs:
            if id(fc.file) in parts and parts[id(fc.file)][1].visits_nothing:
                continue
            dispatch(fc, active[id(fc)], sink, job.debug)
            fc.release_memos()  # per-node answers for this file's pass; package hooks recompute
            index.release_census(fc.file, keep)
        for inst in instances:
            for fc in fctxs:
                fc.current_rule = inst
            _guard(lambda inst=inst, pctx=pctx: inst.finish_package(pctx), inst, sink, job.debug)
            for fc in fctxs:
                fc.current_rule = None
        for fc in fctxs:
            if id(fc.file) in parts:
                path, part = parts[id(fc.file)]
                result.raw[path] = merge(fc, part, origins)

    severity = {code: Severity(s) for code, s in job.severity}
    ignored = dict(job.ignored_by_file)
    for sf_, fj, code, message, start, end in engine_findings:
        if code not in job.enabled:
            continue
        if sf_ is not None:
            contexts[id(sf_)].add(metas[code], start, end, message)
        else:
            meta = metas[code]
            top = Position(1, 1)
            result.findings.append(
                Finding(fj.display, top, top, 0, 0, code, meta.name, meta.severity, message)
            )
    for fc in contexts.values():
        if not fc.file.reported:
            continue
        sups, reasonless = suppress.find_suppressions(fc.source, fc.file.tree.root_node)
        findings = list(fc.findings)
        fc.findings = []

        def add(meta, start, end, message, fix, fc=fc):  # type: ignore[no-untyped-def]
            fc.add(meta, start, end, message, fix=fix)

        kept = suppress.apply(findings, sups, reasonless, job.enabled, known, add, fc.source)
        kept.extend(fc.findings)
        skip = ignored.get(fc.file.display, frozenset())
        for f in kept:
            if f.code in skip or f.code not in job.enabled:
                continue
            if f.code in severity:
                f = attrs.evolve(f, severity=severity[f.code])
            result.findings.append(f)
    for index in indexes:
        index.release()
    return result


def _runs_on(rule: Rule, f: SourceFile) -> bool:
    """Whether `rule` is dispatched on `f`: its Go versions, imports and text, and for a file only
    analysed for package-level facts, whether the rule gathers such facts."""
    meta = rule.meta
    return (
        meta.applies_to(f.go_version)
        and (not meta.needs_imports or any(p in f.imports.paths for p in meta.needs_imports))
        and (not rule.requires_text or any(t in f.source for t in rule.requires_text))
        and (f.reported or type(rule).is_package_level())
    )


def type_has_work(rule: type[Rule]) -> bool:
    return bool(node_types_of(rule)) or rule.finish_package is not Rule.finish_package


def _guard(fn: Callable[[], None], rule: Rule, sink: Callable[[str], None], debug: bool) -> None:
    try:
        fn()
    except Exception as exc:
        import traceback

        detail = traceback.format_exc() if debug else f"{type(exc).__name__}: {exc}"
        sink(f"internal error in rule {rule.meta.code} (package hook): {detail}")


# ---------------------------------------------------------------------------------------------- planning
@attrs.define
class RunOptions:
    paths: list[str] = attrs.Factory(lambda: ["."])
    select: list[str] | None = None
    ignore: list[str] | None = None
    extend_select: list[str] | None = None
    go_version: tuple[int, int] | None = None
    config_path: Path | None = None
    force_exclude: bool = False
    debug: bool = False


@attrs.define
class Plan:
    jobs: list[PackageJob] = attrs.Factory(list)
    notes: list[str] = attrs.Factory(list)
    missing: list[str] = attrs.Factory(list)
    files: int = 0


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
        cfg = self._config(os.fspath(directory))
        return bool(cfg.exclude) and cfg.root is not None

    def __call__(self, path: Path, is_dir: bool) -> bool:
        import fnmatch

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
    from gostatic.discovery import discover

    out = Plan()
    found = discover(opts.paths, _ConfigExcludes(opts), opts.force_exclude)
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
        rules = load_rules([(s, Path(b) if b else None) for s, b in _plugins(cfg)])
        enabled = selection.enabled_codes(rules, cfg, opts.select, opts.ignore, opts.extend_select)
        sev = selection.severity_overrides(cfg, rules)
        ignored = []
        for p, rep in members:
            if rep:
                skip = selection.per_file_ignored(cfg, p, rules)
                if skip:
                    ignored.append((show(p), frozenset(skip)))
        out.files += sum(1 for _, r in members if r)
        out.jobs.append(
            PackageJob(
                directory=str(directory),
                files=tuple(FileJob(str(p), show(p), rep, str(p) in explicit) for p, rep in members),
                include_generated=cfg.include_generated,
                enabled=enabled,
                severity=tuple((c, s.value) for c, s in sorted(sev.items())),
                ignored_by_file=tuple(ignored),
                go_version=opts.go_version,
                config_go_version=cfg.go_version,
                hot_functions=cfg.hot_functions,
                plugins=_plugins(cfg),
                debug=opts.debug,
            )
        )
    return out


@attrs.define
class RunResult:
    findings: list[Finding] = attrs.Factory(list)
    errors: list[str] = attrs.Factory(list)
    notes: list[str] = attrs.Factory(list)
    missing: list[str] = attrs.Factory(list)
    files: int = 0


def _run_job(job: PackageJob, cache_dir: str | None, keys: dict[str, str]) -> tuple[PackageResult, dict]:
    from gostatic.cache import run_cached

    return run_cached(job, cache_dir, keys.get(job.directory))  # type: ignore[no-any-return]


def execute(
    jobs: Iterable[PackageJob], workers: int = 1, cache_dir: Path | None = None
) -> tuple[list[Finding], list[str], int]:
    """Run package jobs: answered from the cache in `cache_dir` when given (None: no cache), the rest on
    `workers` processes (gostatic/workers.py). Output does not depend on either."""
    jobs = list(jobs)
    cached: dict[int, PackageResult] = {}
    keys: dict[int, str] = {}
    hashes = None
    if cache_dir is not None:
        from gostatic.cache import Cache, lookup

        cached, keys, hashes = lookup(Cache(cache_dir), jobs)  # type: ignore[assignment]
    todo = [i for i in range(len(jobs)) if i not in cached]
    run = functools.partial(
        _run_job,
        cache_dir=str(cache_dir) if cache_dir is not None else None,
        keys={jobs[i].directory: keys[i] for i in keys},
    )
    if workers > 1 and len(todo) > 1:
        from gostatic.workers import run_parallel

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
    findings.sort(key=lambda f: f.sort_key)
    return findings, errors, files


def run(opts: RunOptions) -> RunResult:
    p = plan(opts)
    findings, errors, _ = execute(p.jobs)
    return RunResult(findings, errors, p.notes, p.missing, p.files)

"""The analysis side of the server, in two tiers so that typing stays fast on any package size:

- the quick run, on one dedicated thread (tree-sitter parsers and trees are not thread-safe): per
  package directory it keeps every file's bytes and tree; an open buffer is re-parsed incrementally
  (tree-sitter `edit` over the changed byte span, found by comparing with the previous bytes), a file on
  disk is parsed once and again only when its mtime or size changes. The engine runs the per-file rules
  on the open files only, with the package index built from every file; on a large open file after an
  edit, only the part the edit can have changed is visited again and the findings of the rest are
  carried (incremental.py). Package-level rules (`finish_package`, e.g. RET001) are left out; their
  findings come from the last full run, carried through the edits since (a finding inside the edited
  span is dropped until the next full run);
- the full run, in a worker process (`full_run`): the whole package from scratch with the open buffers
  as overlays, every rule. Its result is authoritative for the versions it saw, and becomes the new
  baseline of package-level findings."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import attrs

from gostatic.analysis import gomod, lifetime
from gostatic.lint.engine_rules import UnusedSuppression
from gostatic.lint.finding import Finding
from gostatic.lint.partial import Partial
from gostatic.lint.registry import load_rules
from gostatic.lint.rule import Rule
from gostatic.lsp.incremental import INCREMENTAL_MIN_BYTES, Change, Memo, partial_run
from gostatic.lsp.profiled import ProfileCache
from gostatic.lsp.settings import Settings
from gostatic.parse.syntax import Tree, parse
from gostatic.run import config as configmod
from gostatic.run import selection
from gostatic.run.package import (
    MAX_FILE_BYTES,
    FileJob,
    FileMemos,
    PackageJob,
    PackageResult,
    analyze_package,
    display_path,
    memo_for,
)
from gostatic.run.runner import RunOptions, _config_for, _plugins, plan


@attrs.frozen
class Snapshot:
    """One open buffer as the analysis saw it."""

    uri: str
    path: str
    version: int
    data: bytes


@attrs.define
class FileResult:
    snapshot: Snapshot
    findings: list[Finding]


@attrs.define
class AnalysisResult:
    files: dict[str, FileResult] = attrs.Factory(dict)  # by URI
    errors: list[str] = attrs.Factory(list)  # rule crashes and other internal errors
    problem: str | None = None  # a configuration problem: nothing was analysed
    rules: dict[str, type[Rule]] = attrs.Factory(dict)
    diagnostics: dict[str, tuple[Any, ...]] = attrs.Factory(dict)  # by URI, filled by the server
    full_job: PackageJob | None = None  # the same snapshot, for the full run in the worker process
    full: bool = False  # this result came from a full run (all rules, all files)
    package_level: frozenset[str] = frozenset()


@attrs.frozen
class Baseline:
    """Package-level findings of one document from the latest full run, and the bytes they refer to."""

    data: bytes
    findings: tuple[Finding, ...]


def _point(data: bytes, offset: int) -> tuple[int, int]:
    row = data.count(b"\n", 0, offset)
    return row, offset - (data.rfind(b"\n", 0, offset) + 1)


def reparse(change: Change, tree: Tree) -> Tree:
    """Re-parse `change.new` reusing `tree` (parsed from `change.old`, and edited here to match): one
    tree-sitter edit covering the bytes that differ, so only the changed region is re-lexed."""
    old, new = change.old, change.new
    start_point = _point(old, change.start)
    old_end_point = _point_after(old, change.start, start_point, change.old_end)
    tree.edit(
        start_byte=change.start,
        old_end_byte=change.old_end,
        new_end_byte=change.new_end,
        start_point=start_point,
        old_end_point=old_end_point,
        new_end_point=_point_after(new, change.start, start_point, change.new_end),
    )
    return parse(new, tree)


def _point_after(data: bytes, start: int, start_point: tuple[int, int], offset: int) -> tuple[int, int]:
    """The point of `offset`, counting lines from `start` (at `start_point`) rather than from the top."""
    rows = data.count(b"\n", start, offset)
    if rows == 0:
        return start_point[0], start_point[1] + offset - start
    return start_point[0] + rows, offset - (data.rfind(b"\n", start, offset) + 1)


@attrs.frozen
class _Reparsed:
    """The last incremental re-parse of a file: its change, and the old tree as edited for it."""

    change: Change
    old_tree: Tree
    new_tree: Tree


class Analyzer:
    """Owned by the analysis thread; see the module docstring."""

    def __init__(self) -> None:
        self._trees: dict[str, tuple[bytes, Tree]] = {}  # path -> (bytes, tree)
        self._disk_bytes: dict[str, tuple[tuple[int, int], bytes]] = {}  # path -> ((mtime_ns, size), bytes)
        self._jobs: dict[tuple, PackageJob] = {}
        self._reparsed: dict[str, _Reparsed] = {}  # path -> its last incremental re-parse
        self._memos: dict[str, Memo] = {}  # large open files: path -> what the next run can reuse
        # per path, what the runs worked out from a file's bytes alone (skipped or not, its SourceFile and
        # share of the package index): kept while the bytes are the same object, so an edit re-reads one
        self._files: FileMemos = {}
        self.profiles = ProfileCache()  # the configured profiles or default.pgo (lsp/profiled.py)

    def invalidate(self) -> None:
        """Configuration or go.mod changed: forget planned jobs and the discovery caches."""
        self._jobs.clear()
        configmod.discover.cache_clear()
        gomod.version_for_dir.cache_clear()
        gomod.version_for.cache_clear()
        lifetime.forget()

    def invalidate_dir(self, directory: str) -> None:
        """A .go file appeared in or left `directory`: its package's file list must be planned again."""
        for key in [k for k in self._jobs if k[0] == directory]:
            del self._jobs[key]
        lifetime.forget()  # a new file may serve, and so make its command one that lives on

    def disk_changed(self) -> None:
        """A .go file changed on disk: it may start or stop serving (`analysis/lifetime.py`); the files
        whose size and times stayed keep their answers."""
        lifetime.forget()

    def forget(self, directory: str) -> None:
        """No document of `directory` is open any more: drop its trees."""
        for path in [p for p in self._trees if os.path.dirname(p) == directory]:
            self._trees.pop(path, None)
            self._reparsed.pop(path, None)
            self._memos.pop(path, None)
        for table in (self._disk_bytes, self._files):
            for path in [p for p in table if os.path.dirname(p) == directory]:
                del table[path]

    def tree_for(self, path: str, data: bytes) -> Tree:
        cached = self._trees.get(path)
        if cached is not None and cached[0] is data:
            return cached[1]
        if cached is not None and cached[0] == data:
            self._trees[path] = (data, cached[1])
            return cached[1]
        if cached is None:
            tree = parse(data)
        else:
            change = Change.between(cached[0], data)
            tree = reparse(change, cached[1])
            self._reparsed[path] = _Reparsed(change, cached[1], tree)
        self._trees[path] = (data, tree)
        return tree

    def _indexed(self, job: PackageJob, fj: FileJob, data: bytes) -> bool:
        """Whether the engine will parse and index this file (not generated, built for this
        configuration): asked for every file of the package at every edit, so remembered per bytes."""
        return memo_for(job, fj, data, self._files).skip is None

    def _disk(self, path: str) -> bytes | None:
        """A file's bytes on disk, read again only when its mtime or size changed (the same bytes
        object until then: the per-file memos and the incremental run compare by identity)."""
        try:
            st = os.stat(path)
        except OSError:
            self._disk_bytes.pop(path, None)
            self._trees.pop(path, None)
            return None
        if st.st_size > MAX_FILE_BYTES:
            return None
        key = (st.st_mtime_ns, st.st_size)
        cached = self._disk_bytes.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        self._disk_bytes[path] = (key, data)
        return data

    def _options(self, settings: Settings, paths: list[str]) -> RunOptions:
        return RunOptions(
            paths=paths,
            select=list(settings.select) or None,
            ignore=list(settings.ignore) or None,
            extend_select=list(settings.extend_select) or None,
            go_version=settings.go_version,
            config_path=settings.config_path,
        )

    def _base_job(self, directory: Path, paths: list[str], settings: Settings) -> PackageJob:
        """The engine's own plan for these files (config, selection, per-file ignores), cached until
        the configuration changes."""
        key = (str(directory), tuple(paths), settings)
        job = self._jobs.get(key)
        if job is not None:
            return self.profiles.hot(job, settings.config_path)
        existing = [p for p in paths if os.path.isfile(p)]
        opts = self._options(settings, existing)
        job = None
        if existing and directory.is_dir():
            for candidate in plan(opts).jobs:
                if Path(candidate.directory).absolute() == directory.absolute():
                    job = candidate
        if job is None:  # nothing of this package is on disk yet: the buffers alone
            cfg = _config_for(directory, opts)
            rules = load_rules([(s, Path(b) if b else None) for s, b in _plugins(cfg)])
            job = PackageJob(
                directory=str(directory),
                files=(),
                enabled=selection.enabled_codes(rules, cfg, opts.select, opts.ignore, opts.extend_select),
                severity=tuple(
                    (c, s.value) for c, s in sorted(selection.severity_overrides(cfg, rules).items())
                ),
                go_version=opts.go_version,
                config_go_version=cfg.go_version,
                hot_functions=cfg.hot_functions,
                plugins=_plugins(cfg),
                include_tests=cfg.include_tests,
                include_cold=cfg.include_cold,
            )
        known = {fj.path for fj in job.files}
        extra = tuple(FileJob(p, display_path(Path(p)), True, True) for p in paths if p not in known)
        job = attrs.evolve(
            job, files=tuple(fj for fj in job.files if fj.path in paths or not fj.reported) + extra
        )
        self._jobs[key] = job
        return self.profiles.hot(job, settings.config_path)

    def analyze(
        self,
        directory: Path,
        docs: list[Snapshot],
        settings: Settings,
        baselines: dict[str, Baseline] | None = None,
    ) -> AnalysisResult:
        """The quick run over the package(s) of `directory` with `docs` (its open buffers) as the
        current text; package-level findings are carried over from `baselines` (by URI)."""
        out = AnalysisResult()
        by_path = {d.path: d for d in docs}
        try:
            job = self._base_job(directory, sorted(by_path), settings)
            rules = load_rules([(s, Path(b) if b else None) for s, b in job.plugins])
        except Exception as exc:  # ConfigError, SelectorError, RuleLoadError: phrased for the user
            out.problem = str(exc)
            return out
        out.rules = {r.meta.code: r for r in rules}
        package_level = package_level_codes(rules) & job.enabled
        out.package_level = package_level
        out.full_job = attrs.evolve(
            job, overlays=tuple((d.path, d.data) for d in docs) if docs[0].path != docs[0].uri else ()
        )
        overlays: list[tuple[str, bytes]] = []
        trees: dict[str, Tree] = {}
        for fj in job.files:
            doc = by_path.get(fj.path)
            data = doc.data if doc is not None else self._disk(fj.path)
            if data is None:
                continue
            overlays.append((fj.path, data))
            if len(data) <= MAX_FILE_BYTES and b"\0" not in data and self._indexed(job, fj, data):
                # (a generated file is not indexed: cmd/compile/internal/ssa's rewrite rules are most
                # of its bytes, and parsing them made the first diagnostics of an open take seconds)
                trees[fj.path] = self.tree_for(fj.path, data)
        job = attrs.evolve(
            job,
            overlays=tuple(overlays),
            enabled=job.enabled - package_level,
            # the open buffers as they are now: one that starts to serve makes its command live on
            one_shot=lifetime.one_shot_command(job.directory, {d.path: d.data for d in docs}),
        )
        partial = self._partial_runs(job, by_path, trees)
        result = analyze_package(job, trees, partial=partial or None, memos=self._files)
        self._remember(job, partial, result)
        out.errors = result.errors
        out.files = _by_document(job, docs, result.findings)
        for uri, fr in out.files.items():
            base = (baselines or {}).get(uri)
            if base is not None:
                fr.findings.extend(
                    f
                    for f in carry(base.data, fr.snapshot.data, base.findings)
                    if f.code in package_level or f.code == UnusedSuppression.meta.code
                )
            fr.findings.sort(key=lambda f: f.sort_key)
        return out

    def _partial_runs(
        self, job: PackageJob, open_docs: dict[str, Snapshot], trees: dict[str, Tree]
    ) -> dict[str, Partial]:
        """For each large open file, what of it this run visits again (see incremental.py): a part
        when the previous run's findings can be reused, else the whole file (its findings are recorded
        for the next run)."""
        out: dict[str, Partial] = {}
        context = attrs.evolve(job, overlays=())
        for path, data in job.overlays:
            if path not in open_docs or path not in trees or len(data) < INCREMENTAL_MIN_BYTES:
                self._memos.pop(path, None)
                continue
            part = None
            memo = self._memos.get(path)
            if memo is not None and memo.valid_for(context, _others(job, path)):
                if memo.data is data or memo.data == data:
                    part = Partial(span=(0, 0), carried=memo.raw)
                else:
                    last = self._reparsed.get(path)
                    if last is not None and last.change.old is memo.data and last.change.new is data:
                        part = partial_run(memo, last.change, last.old_tree, last.new_tree)
            out[path] = part or Partial()
        return out

    def _remember(self, job: PackageJob, partial: dict[str, Partial], result: PackageResult) -> None:
        context = attrs.evolve(job, overlays=())
        data_of = dict(job.overlays)
        for path in partial:
            raw = result.raw.get(path)
            if raw is None or result.errors:  # a rule crashed: its findings are incomplete
                self._memos.pop(path, None)
            else:
                self._memos[path] = Memo(data_of[path], context, _others(job, path), tuple(raw))

    def analyze_alone(self, doc: Snapshot, settings: Settings) -> AnalysisResult:
        """A buffer with no file behind it (untitled:, ...): a one-file package in the current directory,
        analysed in full on this thread (no worker process: its overlay has no path to read)."""
        snap = attrs.evolve(doc, path=doc.uri)
        out = self.analyze(Path.cwd(), [snap], settings)
        if out.full_job is not None:
            job = attrs.evolve(out.full_job, overlays=((snap.path, snap.data),))
            full = map_full_result(
                job, [snap], analyze_package(job, {snap.path: self.tree_for(snap.path, snap.data)})
            )
            full.rules = out.rules
            return full
        return out


def _others(job: PackageJob, path: str) -> tuple[bytes, ...]:
    """The bytes of the package's other files, as this run read them."""
    return tuple(data for p, data in job.overlays if p != path)


def package_level_codes(rules: list[type[Rule]]) -> frozenset[str]:
    """Rules with package-wide facts: their findings in a file can change when another file changes."""
    return frozenset(r.meta.code for r in rules if r.is_package_level())


_GENERATION = [0]


def worker_init() -> None:
    """In the worker process: fds 0 and 1 are the server's LSP channel; the worker must neither print
    there nor read from it."""
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A server killed outright (SIGKILL, a crashed editor) cannot shut its pool down: do not outlive it."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def full_run(job: PackageJob, generation: int) -> PackageResult:
    """The worker-process side: the whole package, every rule, open buffers as overlays. A new
    `generation` means config files or go.mod changed: drop this process' discovery caches first."""
    if generation != _GENERATION[0]:
        _GENERATION[0] = generation
        configmod.discover.cache_clear()
        gomod.version_for_dir.cache_clear()
        gomod.version_for.cache_clear()
        lifetime.forget()
    # the command's tree read afresh (files change under a long-lived worker), with the open buffers
    job = attrs.evolve(job, one_shot=lifetime.one_shot_command(job.directory, dict(job.overlays), fresh=True))
    return analyze_package(job)


def baseline_of(snapshot: Snapshot, findings: list[Finding], package_level: frozenset[str]) -> Baseline:
    """What a quick run carries over from a full run: package-level findings, and unused-suppression
    findings about package-level codes (the quick run does not run those rules, so it cannot tell)."""
    keep = tuple(
        f
        for f in findings
        if f.code in package_level
        or (f.code == UnusedSuppression.meta.code and any(c in f.message for c in package_level))
    )
    return Baseline(snapshot.data, keep)


def _by_document(job: PackageJob, docs: list[Snapshot], findings: list[Finding]) -> dict[str, FileResult]:
    """Findings of a package run grouped by the URI of the open document they belong to."""
    by_path = {d.path: d for d in docs}
    uri_by_display = {fj.display: by_path[fj.path] for fj in job.files if fj.path in by_path}
    files = {doc.uri: FileResult(doc, []) for doc in docs}
    for f in findings:
        doc = uri_by_display.get(f.path)
        if doc is not None:
            files[doc.uri].findings.append(f)
    return files


def map_full_result(job: PackageJob, docs: list[Snapshot], result: PackageResult) -> AnalysisResult:
    """A full run's findings, by URI of the open documents it covered."""
    out = AnalysisResult(errors=list(result.errors), full=True)
    out.files = _by_document(job, docs, result.findings)
    for fr in out.files.values():
        fr.findings.sort(key=lambda f: f.sort_key)
    return out


def carry(old: bytes, new: bytes, findings: tuple[Finding, ...]) -> list[Finding]:
    """Findings computed on `old`, moved to `new` across the one span that differs; a finding touching
    that span is dropped (and a fix touching it): the next full run decides about it."""
    if not findings or old is new or old == new:
        return list(findings)
    change = Change.between(old, new)
    lines = change.lines
    return [m for m in (change.move(f, lines) for f in findings) if m is not None]

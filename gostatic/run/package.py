"""One package job, from file paths to findings: read and parse each file, build the package index, run
the rules over every file in one pass, then the package hooks, suppressions and severity overrides.

A job is picklable so that it can go to a worker process (`workers`) or be served from the cache
(`cache`); both call `analyze_package` here, and the planner (`runner`) builds the jobs."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path

import attrs

from gostatic.analysis import gomod
from gostatic.analysis.index import FileDecls, FileImports, PackageIndex, SourceFile
from gostatic.lint import suppress
from gostatic.lint.context import FileContext, PackageContext, Scope
from gostatic.lint.dispatch import dispatch, node_types_of
from gostatic.lint.engine_rules import NotGoSource, SyntaxError_, UnreadableFile
from gostatic.lint.finding import Finding, Position, Severity
from gostatic.lint.meta import RuleMeta
from gostatic.lint.partial import Partial, merge, record_origins
from gostatic.lint.registry import load_rules
from gostatic.lint.rule import Rule
from gostatic.parse import generics
from gostatic.parse.buildtags import BuildConfig, matches
from gostatic.parse.census import ENGINE_KINDS
from gostatic.parse.generated import is_generated
from gostatic.parse.syntax import Node, Tree, first_error, new_parser, parse, text
from gostatic.run.memory import note_analysed, return_freed_memory

MAX_FILE_BYTES = 32 * 1024 * 1024

# Called with the path of the file about to be read and parsed, and again before it is linted, and with
# None before the package hooks: a worker process reports it to the run, which holds each file to the
# time and memory budget and knows which file to leave out when one goes over (workers.py).
PROGRESS: Callable[[str | None], None] | None = None
_PACKAGE_SCAN = 4096


@attrs.frozen(repr=False)
class FileJob:
    path: str
    display: str
    reported: bool
    explicit: bool = False  # named on the command line (or by the editor): generated or not, it is linted


@attrs.frozen(repr=False)
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
    # functions a profile samples here, hot even without a loop: (file name, start line, declared name or
    # "" for a literal, reason); see gostatic/impact (rank.hot_spans)
    profiled: tuple[tuple[str, int, str, str], ...] = ()
    # (file name, lines some sample reached, start lines of the profile's functions) of the files holding
    # sampled functions, when a CPU profile has samples enough for a silent block to mean it did not run
    # (rank.sampled_lines)
    sampled_lines: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...] = ()
    # what a block of those files that no sample reached is evidence of: "cpu" or "alloc" (rank.evidence)
    sampled_by: str = ""
    plugins: tuple[tuple[str, str | None], ...] = ()
    debug: bool = False
    include_generated: bool = False
    include_tests: bool = False  # report cost findings in tests (outside benchmarks) too
    include_cold: bool = False  # report cost findings in cold code too
    # (path, bytes) read instead of the file on disk: the LSP server's unsaved buffers
    overlays: tuple[tuple[str, bytes], ...] = ()
    # the configuration whose build constraints select the files (a file named explicitly is always read)
    build: BuildConfig = attrs.Factory(BuildConfig)
    # (path, why) of files left out: an earlier attempt at this package went over the per-file budget
    # on them (workers.py); each gets a SYN003 finding with the reason, the rest is analysed as usual
    skipped: tuple[tuple[str, str], ...] = ()
    # the command whose process runs to completion with this package (`cmd/compile`), or None: asked once
    # by the planner (analysis/lifetime.py), for the worker's retention rules and the cache key
    one_shot: str | None = None


@attrs.define(repr=False)
class PackageResult:
    findings: list[Finding] = attrs.Factory(list)
    errors: list[str] = attrs.Factory(list)  # internal errors (rule crashes)
    files: int = 0
    # files run with a `partial.Partial`: path -> raw findings (before suppressions) with their origins
    raw: dict[str, list[tuple[Finding, tuple[int, int], bool]]] = attrs.Factory(dict)
    # cost findings not reported in the reported files, by why ("tests", "cold"): for the run's summary
    hidden: dict[str, int] = attrs.Factory(dict)


def display_path(path: Path) -> str:
    try:
        rel = os.path.relpath(os.path.abspath(path), os.getcwd())
    except ValueError:
        return path.absolute().as_posix()
    if rel.startswith(".."):
        return path.absolute().as_posix()
    return Path(rel).as_posix()


def _read(path: str, overlay: bytes | None = None) -> tuple[bytes | None, str | None, str | None]:
    """(source, code of the problem, message) for one file; `overlay` replaces the file on disk."""
    try:
        if overlay is not None:
            size, data = len(overlay), overlay
        else:
            # one open, fstat and read, without pathlib's objects (~1 % of a run over small packages)
            with open(path, "rb") as fh:
                size = os.fstat(fh.fileno()).st_size
                data = fh.read() if size <= MAX_FILE_BYTES else b""
        if size > MAX_FILE_BYTES:
            return (
                None,
                NotGoSource.meta.code,
                (
                    f"file is {size // (1024 * 1024)} MiB, over the {MAX_FILE_BYTES // (1024 * 1024)} MiB "
                    "gostatic analyses; it was skipped (exclude it in the config if it is generated)"
                ),
            )
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
    # a method with well-formed type parameters (Go 1.27) that the grammar does not read: valid code
    # must not be called a syntax error
    name = generics.unread_method(new_parser(), source, node.start_byte, node.end_byte)
    if name is not None:
        return (
            f"not analysed: the generic method {name} is Go 1.27 syntax that gostatic's parser "
            "(tree-sitter-go) does not read yet; the intact parts of the file are still analysed"
        )
    snippet = text(node)[:40].decode("utf-8", "replace").split("\n")[0].strip()
    what = f"unexpected {snippet!r}" if snippet else "unexpected input"
    return f"syntax error: {what}; the intact parts of the file are still analysed"


def skipped_why(job: PackageJob, fj: FileJob, data: bytes) -> str | None:
    """Why a file read for `job` is neither parsed nor indexed: "generated", "build" (not compiled for
    this configuration), or None. The editor asks too, so as not to parse what the run will not use."""
    if not (job.include_generated or fj.explicit) and is_generated(data):
        return "generated"
    if not fj.explicit and not matches(os.path.basename(fj.path), data, job.build):
        return "build"
    return None


@attrs.define(eq=False, repr=False)
class FileMemo:
    """What a package run worked out about one file from its bytes alone, for a caller that runs the
    same package again and again (the editor, at every edit): whether it is skipped, and once parsed its
    `SourceFile`, first syntax error and share of the package index. Valid while the bytes are the same
    (and the tree the same object): an edit replaces the edited file's, so only that file is read again."""

    data: bytes
    key: tuple[object, ...]  # what of the job the skip depends on
    skip: str | None  # see skipped_why
    file: SourceFile | None = None
    error: Node | None = None
    decls: FileDecls | None = None


FileMemos = dict[str, FileMemo]  # by path


def memo_for(job: PackageJob, fj: FileJob, data: bytes, memos: FileMemos) -> FileMemo:
    """The memo of `fj` as `job` reads it with these bytes, made anew when they are not the memo's."""
    key = (fj.explicit, job.include_generated, job.build)
    memo = memos.get(fj.path)
    if memo is None or (memo.data is not data and memo.data != data) or memo.key != key:
        memo = memos[fj.path] = FileMemo(data, key, skipped_why(job, fj, data))
    return memo


def analyze_package(
    job: PackageJob,
    trees: Mapping[str, Tree] | None = None,
    partial: Mapping[str, Partial] | None = None,
    memos: FileMemos | None = None,
) -> PackageResult:
    """Parse, index and lint the Go packages of one directory (see `_analyze_package`); then hand the
    memory its trees took back to the system, so a run's peak is its largest package's."""
    result = _analyze_package(job, trees, partial, memos)
    return_freed_memory()
    return result


def _analyze_package(
    job: PackageJob,
    trees: Mapping[str, Tree] | None = None,
    partial: Mapping[str, Partial] | None = None,
    memos: FileMemos | None = None,
) -> PackageResult:
    """Parse, index and lint the Go packages of one directory.

    `trees` (in-process callers only: trees do not pickle) maps a path to a tree already parsed from
    exactly the bytes this job reads for it (overlay or disk); the LSP server keeps incrementally
    edited trees and passes them here instead of paying a full parse per keystroke. `partial` (by path):
    files of which only a part is visited again, see partial.py. `memos` (in process too): what the
    previous runs of this package worked out per file (`FileMemo`), reused for the files whose bytes and
    tree are the same objects, and updated for the others."""
    result = PackageResult()
    overlays = dict(job.overlays)
    rule_set = _rule_set(load_rules([(s, Path(b) if b else None) for s, b in job.plugins]), job.enabled)
    metas, known = rule_set.metas, rule_set.known
    directory = Path(job.directory)
    mod_version = gomod.version_for(str(directory.absolute()))

    groups: dict[str, list[SourceFile]] = defaultdict(list)
    parts: dict[int, tuple[str, Partial]] = {}  # SourceFile id -> (path, its partial run)
    engine_findings: list[tuple[SourceFile | None, FileJob, str, str, int, int]] = []
    generated: list[bytes] = []
    skipped = dict(job.skipped)
    other_target = False  # a file of another GOOS/GOARCH is in the package (named explicitly)
    memo_of: dict[int, FileMemo] = {}  # SourceFile id -> its memo
    for fj in job.files:
        if fj.path in skipped:
            if fj.reported:
                engine_findings.append((None, fj, NotGoSource.meta.code, skipped[fj.path], 0, 0))
            continue
        if PROGRESS is not None:
            PROGRESS(fj.path)
        data, problem, message = _read(fj.path, overlays.get(fj.path))
        if data is None:
            if problem is not None and fj.reported:
                engine_findings.append((None, fj, problem, message or "", 0, 0))
            continue
        memo = memo_for(job, fj, data, memos) if memos is not None else None
        why = memo.skip if memo is not None else skipped_why(job, fj, data)
        if why == "generated":
            generated.append(data)  # for fix-safety checks only (PackageIndex.generated_sources)
            continue  # machine-written: nothing in it is the reader's to fix (as golangci-lint does)
        if why == "build":
            continue  # not compiled for this configuration: its twin for this GOOS/GOARCH is analysed
        if fj.explicit and not matches(os.path.basename(fj.path), data, job.build):
            other_target = True  # read as named: the package is not one configuration's view
        result.files += 1
        note_analysed(len(data))
        version = (
            job.go_version or gomod.file_pragma(data) or job.config_go_version or mod_version or gomod.NEWEST
        )
        given = (trees or {}).get(fj.path)
        sf = memo.file if memo is not None else None
        if (
            sf is None
            or (given is not None and given is not sf.tree)
            or (sf.display, sf.reported, sf.go_version) != (fj.display, fj.reported, version)
        ):
            sf = _source_file(fj, data, given or parse(data), version)
            err = first_error(sf.tree.root_node)
            if memo is not None:
                memo.file, memo.error, memo.decls = sf, err, None
        else:
            assert memo is not None
            err = memo.error
        if memo is not None:
            memo_of[id(sf)] = memo
        groups[sf.package].append(sf)
        if partial is not None and fj.path in partial:
            parts[id(sf)] = (fj.path, partial[fj.path])
        if err is not None and fj.reported:
            engine_findings.append(
                (sf, fj, SyntaxError_.meta.code, _syntax_message(err, data), err.start_byte, err.end_byte)
            )

    contexts: dict[int, FileContext] = {}
    indexes: list[PackageIndex] = []
    for name, files in groups.items():
        index = PackageIndex.build(
            name, directory, files, [m.decls if (m := memo_of.get(id(f))) else None for f in files]
        )
        for f, decls in zip(files, index.per_file, strict=True):
            if (m := memo_of.get(id(f))) is not None:
                m.decls = decls
        index.generated_sources = tuple(generated)
        if not other_target:
            index.target = (job.build.goos, job.build.goarch)
        indexes.append(index)
        for f in files:
            if id(f) in parts and parts[id(f)][1].span is not None:
                index.census_spans[id(f)] = parts[id(f)][1].span  # before the first question
        scope = Scope(
            include_tests=job.include_tests,
            include_cold=job.include_cold,
            one_shot=job.one_shot,
            sampled_by=job.sampled_by,
        )
        sampled = {name: (lines, starts) for name, lines, starts in job.sampled_lines}
        fctxs = [FileContext(f, index, job.hot_functions, scope, job.profiled, sampled) for f in files]
        for fc in fctxs:
            contexts[id(fc.file)] = fc
        instances = [cls() for cls in rule_set.working]
        pctx = PackageContext(index, fctxs)
        sink = result.errors.append
        origins = record_origins(instances) if parts else {}
        for inst in instances:
            if type(inst) in rule_set.hooked:
                _guard(lambda inst=inst, pctx=pctx: inst.begin_package(pctx), inst, sink, job.debug)
        # a file only indexed (the editor's quick run: every file but the open ones) can run only the
        # package-level rules, which gather facts from it: the others are not even asked
        gathering = [r for r in instances if type(r).is_package_level()]
        gated = rule_set.gated
        active = {
            id(fc): [
                r
                for r in (instances if fc.file.reported else gathering)
                if type(r) not in gated or _runs_on(r, fc.file)
            ]
            for fc in fctxs
        }
        keep = rule_set.keep  # what package hooks read
        for fc in fctxs:  # every file's kinds before the first question: one query per file
            index.census_kinds[id(fc.file)] = _census_kinds(active[id(fc)])
        for fc in fctxs:
            if id(fc.file) in parts and parts[id(fc.file)][1].visits_nothing:
                continue
            if PROGRESS is not None:
                PROGRESS(str(fc.file.path))
            dispatch(fc, active[id(fc)], sink, job.debug)
            fc.release_memos()  # per-node answers for this file's pass; package hooks recompute
            index.release_census(fc.file, keep)
        if PROGRESS is not None:
            PROGRESS(None)
        for inst in instances:
            if type(inst) not in rule_set.hooked:
                continue
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
        for why, n in fc.hidden.items():
            result.hidden[why] = result.hidden.get(why, 0) + n
        sups, reasonless = suppress.find_suppressions(fc.source, fc.file.tree.root_node)
        findings = list(fc.findings)
        fc.findings = []

        def add(meta, start, end, message, fix, fc=fc):  # type: ignore[no-untyped-def]
            fc.add(meta, start, end, message, fix=fix)

        hidden = {id(f) for f in fc.hidden_findings}
        kept = suppress.apply(
            findings + fc.hidden_findings, sups, reasonless, job.enabled, known, add, fc.source
        )
        kept = [f for f in kept if id(f) not in hidden]
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


@attrs.frozen(repr=False)
class _RuleSet:
    """What a package job needs from its rules that depends only on the loaded rules and the enabled
    codes, worked out once per run rather than once per package (a corpus's packages have 2-3 files)."""

    metas: dict[str, RuleMeta]
    known: dict[str, str]  # a code in lower case, or a rule's name -> its code (suppressions)
    working: tuple[type[Rule], ...]  # the enabled rules that visit nodes or have a package hook, by code
    keep: frozenset[str]  # census kinds kept after a file's pass: those the package hooks read
    # the rules `_runs_on` must ask about a file (a Go version range, imports or text to look for); the
    # others run on every file they are offered
    gated: frozenset[type[Rule]]
    # the rules with a package hook of their own (begin_package or finish_package): the others' are the
    # base class's no-ops, not worth two calls per rule and package
    hooked: frozenset[type[Rule]]


_RULE_SETS: dict[tuple[int, frozenset[str]], tuple[list[type[Rule]], _RuleSet]] = {}


def _rule_set(rules: list[type[Rule]], enabled: frozenset[str]) -> _RuleSet:
    """`load_rules` returns the same list for the same plugins, so its identity (kept alive beside the
    answer) keys the cache."""
    key = (id(rules), enabled)
    hit = _RULE_SETS.get(key)
    if hit is not None and hit[0] is rules:
        return hit[1]
    by_code = {r.meta.code: r for r in rules}
    working = tuple(by_code[c] for c in sorted(enabled) if c in by_code and type_has_work(by_code[c]))
    rule_set = _RuleSet(
        metas={r.meta.code: r.meta for r in rules},
        known={r.meta.code.lower(): r.meta.code for r in rules} | {r.meta.name: r.meta.code for r in rules},
        working=working,
        keep=ENGINE_KINDS.union(*(r.census_kinds for r in working)),
        gated=frozenset(r for r in working if r.meta.go or r.meta.needs_imports or r.requires_text),
        hooked=frozenset(
            r
            for r in working
            if r.begin_package is not Rule.begin_package or r.finish_package is not Rule.finish_package
        ),
    )
    _RULE_SETS[key] = (rules, rule_set)
    return rule_set


_CENSUS_KINDS: dict[tuple[type[Rule], ...], frozenset[str]] = {}


def _census_kinds(active: list[Rule]) -> frozenset[str]:
    """The node kinds a file's census must hold for these rules: what they visit and what they read. A
    rule's kinds are its class's (`census_kinds` is a class attribute), so the answer is kept per tuple
    of classes: a run sees a few dozen distinct ones."""
    key = tuple(type(r) for r in active)
    kinds = _CENSUS_KINDS.get(key)
    if kinds is None:
        kinds = _CENSUS_KINDS[key] = frozenset(
            k for r in active for k in (*node_types_of(type(r)), *r.census_kinds)
        )
    return kinds


def _source_file(fj: FileJob, data: bytes, tree: Tree, version: tuple[int, int]) -> SourceFile:
    root = tree.root_node
    pkg_name = ""
    for i in range(root.named_child_count):  # the clause comes first: no node for every declaration
        child = root.named_child(i)
        if child is not None and child.type == "package_clause":
            ident = child.named_children[0] if child.named_children else None
            pkg_name = text(ident).decode("utf-8", "replace") if ident is not None else ""
            break
    path = Path(fj.path)
    return SourceFile(
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


def _runs_on(rule: Rule, f: SourceFile) -> bool:
    """Whether `rule` is dispatched on `f`: its Go versions, imports and text, and for a file only
    analysed for package-level facts, whether the rule gathers such facts."""
    meta = rule.meta
    return (
        (f.reported or type(rule).is_package_level())
        and meta.applies_to(f.go_version)
        and (not meta.needs_imports or any(p in f.imports.paths for p in meta.needs_imports))
        and (not rule.requires_text or any(t in f.source for t in rule.requires_text))
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

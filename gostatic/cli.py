"""The `gostatic` command line: check, rules, explain (and the later lsp/baseline commands).

Exit codes: 0 no findings at or above the fail level, 1 findings, 2 usage or internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gostatic import __version__, install_interrupt_handler
from gostatic.analysis.gomod import parse_version
from gostatic.lint.explain import explain, rules_markdown
from gostatic.lint.finding import Finding, Severity
from gostatic.lint.registry import RuleLoadError, find_rule, load_rules
from gostatic.parse.positions import SourceFiles
from gostatic.review.baseline import BaselineError
from gostatic.review.changes import ChangesError
from gostatic.run.config import ConfigError, discover, load_file
from gostatic.run.runner import Plan, RunOptions, plan
from gostatic.run.selection import SelectorError, enabled_codes

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github", "rdjson", "rdjsonl", "checkstyle")


class UsageError(Exception):
    pass


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gostatic",
        description="Find Go code that allocates, retains or leaks memory behind the garbage collector's back.",
    )
    p.add_argument("--version", action="version", version=f"gostatic {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    c = sub.add_parser("check", help="lint Go files and packages")
    c.add_argument(
        "paths", nargs="*", default=["."], help='files or directories; "./..." accepted (default: .)'
    )
    c.add_argument("--format", default="text", help=f"{' | '.join(FORMATS)} (default: text)")
    c.add_argument("-o", "--output", help="write the report to this file instead of standard output")
    c.add_argument("--new-from-rev", metavar="REV", help="report only findings on lines added since REV")
    c.add_argument("--new-from-patch", metavar="FILE", help="report only findings on lines a diff adds")
    c.add_argument("--baseline", metavar="FILE", help="hide findings recorded in FILE by `gostatic baseline`")
    c.add_argument("--select", type=_csv, help="codes, names or families to run (ALL for every rule)")
    c.add_argument("--extend-select", type=_csv, help="add to the selected rules")
    c.add_argument("--ignore", type=_csv, help="codes, names or families to skip")
    c.add_argument("--go-version", help="Go version of the code (overrides go.mod), e.g. 1.22")
    c.add_argument("--fix", action="store_true", help="apply safe autofixes in place")
    c.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: apply unsafe fixes too")
    c.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff instead of applying them"
    )
    c.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    c.add_argument("--fail-level", default="warning", choices=("error", "warning", "info"),
                   help="lowest severity that makes the exit code 1 (default: warning)")  # fmt: skip
    c.add_argument("--force-exclude", action="store_true",
                   help="apply excludes (vendor/, testdata/, .gitignore, config) to files named explicitly")  # fmt: skip
    c.add_argument("--config", help="use this configuration file instead of discovering one")
    c.add_argument("--statistics", action="store_true", help="print a count of findings per rule")
    c.add_argument("--no-source", action="store_true", help="text format: do not print source lines")
    c.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    c.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: all cores)")
    c.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    c.add_argument("--cache-dir", metavar="DIR",
                   help="result cache directory (default: $GOSTATIC_CACHE_DIR or ./.gostatic_cache)")  # fmt: skip
    c.add_argument("--shard", metavar="K/N", help="analyse only shard K of N (stable split by package path)")

    r = sub.add_parser("rules", help="list every rule with its on/off state")
    r.add_argument("--format", default="text", choices=("text", "markdown", "json"))
    r.add_argument("--config", help="configuration file to take the on/off state from")

    b = sub.add_parser("baseline", help="record today's findings (`check --baseline` hides them)")
    b.add_argument("paths", nargs="*", default=["."], help="files or directories (default: .)")
    b.add_argument("-o", "--output", required=True, help="the baseline file to write (JSON)")
    b.add_argument("--select", type=_csv, help="codes, names or families to run (ALL for every rule)")
    b.add_argument("--extend-select", type=_csv, help="add to the selected rules")
    b.add_argument("--ignore", type=_csv, help="codes, names or families to skip")
    b.add_argument("--go-version", help="Go version of the code (overrides go.mod), e.g. 1.22")
    b.add_argument("--force-exclude", action="store_true", help="apply excludes to files named explicitly")
    b.add_argument("--config", help="use this configuration file instead of discovering one")
    b.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")

    m = sub.add_parser("merge", help="merge JSON or SARIF reports of --shard runs into one")
    m.add_argument("reports", nargs="+", help="report files, all JSON or all SARIF")
    m.add_argument("-o", "--output", help="write the merged report here instead of standard output")

    e = sub.add_parser("explain", help="show a rule's documentation")
    e.add_argument("rule", help="a code (CTX005) or name (lost-cancel)")

    lsp = sub.add_parser("lsp", help="run the language server on stdio (for editors)")
    lsp.add_argument(
        "--stdio", action="store_true", help="accepted for clients that pass it; stdio is the default"
    )

    return p


if TYPE_CHECKING:
    from rich.console import Console


class _LazyConsole:
    """A rich Console made on first use: a run that prints nothing to it (a machine format, no notes)
    never imports rich, a tenth of a warm run's time."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            class _Console(Console):
                def on_broken_pipe(self) -> None:
                    _discard_stdout()  # rich's own raises SystemExit(1), over --exit-zero

            self._console = _Console(**self._options)
        return getattr(self._console, name)


def _discard_stdout() -> None:
    """The reader of stdout went away (`gostatic check | head -1`): the rest of the report goes nowhere
    and the run ends with the exit status it would have had, --exit-zero included."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main(argv: list[str] | None = None) -> int:
    install_interrupt_handler()  # Ctrl-C: exit 130 at once, workers killed, no traceback
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return 130


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    err: Console = _LazyConsole(stderr=True, highlight=False, soft_wrap=True)  # type: ignore[assignment]
    try:
        if args.command == "check":
            return cmd_check(args, err)
        if args.command == "rules":
            return cmd_rules(args)
        if args.command == "baseline":
            return cmd_baseline(args, err)
        if args.command == "merge":
            return cmd_merge(args)
        if args.command == "explain":
            return cmd_explain(args, err)
        if args.command == "lsp":
            from gostatic.lsp import main as lsp_main

            return lsp_main()
        parser.print_help()
        return EXIT_ERROR
    except (ConfigError, SelectorError, RuleLoadError, UsageError, BaselineError, ChangesError) as exc:
        err.print(f"gostatic: error: {exc}", markup=False)
        return EXIT_ERROR


def _out_console(output: str | None, fmt: str) -> tuple[Console, Any]:
    """The console a report goes to, and the file opened for `-o` (the caller closes it)."""
    if output:
        fh = open(output, "w", encoding="utf-8")  # noqa: SIM115 - closed by the caller
        return _LazyConsole(file=fh, no_color=True, highlight=False, width=200), fh  # type: ignore[return-value]
    if fmt != "text":
        return _LazyConsole(no_color=True, highlight=False, soft_wrap=True), None  # type: ignore[return-value]
    if os.environ.get("NO_COLOR"):
        return _LazyConsole(highlight=False, color_system=None), None  # type: ignore[return-value]  # no ANSI at all
    return _LazyConsole(highlight=False), None  # type: ignore[return-value]


def _plan(args: argparse.Namespace, err: Console) -> tuple[RunOptions, Plan]:
    """Run options from the flags `check` and `baseline` share, planned; notes and missing paths are
    printed (a missing path makes the exit code 2 later)."""
    go_version = None
    if args.go_version:
        try:
            go_version = parse_version(args.go_version)
        except ValueError as exc:
            raise UsageError(f"--go-version: {exc}") from exc
    config_path = Path(args.config) if args.config else None
    if config_path is not None:
        if not config_path.is_file():
            raise UsageError(f"--config: no such file {args.config}")
        load_file(config_path)  # report configuration errors before any work
    opts = RunOptions(
        paths=args.paths or ["."],
        select=args.select,
        ignore=args.ignore,
        extend_select=args.extend_select,
        go_version=go_version,
        config_path=config_path,
        force_exclude=args.force_exclude,
        debug=args.debug,
    )
    the_plan = plan(opts)
    for note in the_plan.notes:
        err.print(f"gostatic: warning: {note}", markup=False)
    for missing in the_plan.missing:
        err.print(f"gostatic: error: {missing}: no such file or directory", markup=False)
    return opts, the_plan


def cmd_check(args: argparse.Namespace, err: Console) -> int:
    from gostatic.lint import fixes as fixmod
    from gostatic.run.memory import tune_collector_for_batch
    from gostatic.run.runner import execute

    if args.format not in FORMATS:
        raise UsageError(f"unknown --format {args.format!r} (choose from {', '.join(FORMATS)})")
    tune_collector_for_batch()
    opts, the_plan = _plan(args, err)
    review = _review_filter(args, the_plan)  # before the analysis: a bad REV or FILE fails fast
    run_jobs = _job_runner(args, execute)
    the_plan = _shard(args, the_plan)
    findings, errors, _ = run_jobs(the_plan.jobs)
    findings = review.apply(findings, _sources)
    exit_code = EXIT_OK

    if args.fix or args.diff:
        findings, diff_text, changed = _apply_fixes(findings, args, err, fixmod)
        if args.diff:
            sys.stdout.write(diff_text)
            return EXIT_FINDINGS if diff_text else EXIT_OK
        if changed:
            findings, errors2, _ = run_jobs(_shard(args, plan(opts)).jobs)
            errors.extend(errors2)
            findings = review.apply(findings, _sources)

    sources = _sources(findings)
    console, fh = _out_console(args.output, args.format)
    try:
        if args.format != "text":
            try:
                (fh or sys.stdout).write(
                    _render_machine(args.format, findings, sources, errors, opts.config_path)
                )
                (fh or sys.stdout).flush()
            except BrokenPipeError:
                _discard_stdout()
        else:
            from gostatic.report import text

            text.render(console, findings, sources, the_plan.files, args.statistics, not args.no_source)
            if review.note():
                console.print(review.note(), highlight=False, markup=False, soft_wrap=True)
    finally:
        if fh is not None:
            fh.close()  # type: ignore[attr-defined]
    if args.format != "text" and review.note():
        err.print(f"gostatic: {review.note()}", markup=False)
    for e in errors:
        err.print(f"gostatic: {e}", markup=False)
    fail = Severity.parse(args.fail_level).rank
    if not args.exit_zero and any(f.severity.rank >= fail for f in findings):
        exit_code = EXIT_FINDINGS
    if errors or the_plan.missing:
        exit_code = EXIT_ERROR
    return exit_code


def default_jobs() -> int:
    """All cores this process may run on (the process pool, gostatic/workers.py, is imported only when
    a run has work for more than one: a warm run never pays for multiprocessing)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _job_runner(args: argparse.Namespace, execute):  # type: ignore[no-untyped-def]
    """execute() with --jobs and the cache (--no-cache, --cache-dir) applied."""
    from gostatic.run.cache import default_dir

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    workers = args.jobs or default_jobs()
    cache_dir = None if args.no_cache else (Path(args.cache_dir) if args.cache_dir else default_dir())
    return lambda jobs: execute(jobs, workers=workers, cache_dir=cache_dir, isolate=True)


def _shard(args: argparse.Namespace, the_plan):  # type: ignore[no-untyped-def]
    """Keep only the packages of shard K/N (gostatic/shard.py)."""
    if not args.shard:
        return the_plan
    from gostatic.run import shard

    try:
        k, n = shard.parse(args.shard)
    except shard.ShardError as exc:
        raise UsageError(str(exc)) from exc
    the_plan.jobs = shard.select(the_plan.jobs, k, n)
    the_plan.files = sum(1 for job in the_plan.jobs for fj in job.files if fj.reported)
    return the_plan


def cmd_merge(args: argparse.Namespace) -> int:
    from gostatic.run import shard

    try:
        merged = shard.merge_files(args.reports)
    except shard.ShardError as exc:
        raise UsageError(str(exc)) from exc
    if args.output:
        Path(args.output).write_text(merged, encoding="utf-8")
    else:
        sys.stdout.write(merged)
    return EXIT_OK


def _review_filter(args: argparse.Namespace, the_plan):  # type: ignore[no-untyped-def]
    """Baseline and changed-lines filters (review.py); analysed = the files this run reports on."""
    from gostatic.review.filters import ReviewFilter

    analysed = [fj.display for job in the_plan.jobs for fj in job.files if fj.reported]
    return ReviewFilter.from_options(args.new_from_rev, args.new_from_patch, args.baseline, analysed)


def _render_machine(
    fmt: str,
    findings: list[Finding],
    sources: Mapping[str, bytes],
    errors: list[str],
    config_path: Path | None,
) -> str:
    """Every format but text: plain strings, never colour."""
    from gostatic.run.repo import repository_root

    if fmt == "json":
        from gostatic.report import jsonfmt

        return jsonfmt.render(findings, sources)
    if fmt == "sarif":
        from gostatic.report import sarif

        cfg = load_file(config_path) if config_path else None
        cfg = cfg or discover(Path.cwd())
        rules = load_rules([(p, cfg.root) for p in cfg.plugins])
        return sarif.render(findings, sources, rules, repository_root(), errors)
    if fmt == "github":
        from gostatic.report import github

        return github.render(findings, sources, repository_root())
    if fmt in ("rdjson", "rdjsonl"):
        from gostatic.report import rdjson

        return rdjson.render(findings, sources) if fmt == "rdjson" else rdjson.render_lines(findings, sources)
    if fmt == "checkstyle":
        from gostatic.report import checkstyle

        return checkstyle.render(findings)
    raise UsageError(f"unknown --format {fmt!r} (choose from {', '.join(FORMATS)})")


def cmd_baseline(args: argparse.Namespace, err: Console) -> int:
    """Record today's findings (the same run `check` would make) as a baseline file."""
    from gostatic.review import baseline
    from gostatic.run.repo import repository_root
    from gostatic.run.runner import execute

    _, the_plan = _plan(args, err)
    findings, errors, _ = execute(the_plan.jobs)
    for e in errors:
        err.print(f"gostatic: {e}", markup=False)
    if errors or the_plan.missing:
        err.print("gostatic: error: the baseline was not written: the run was incomplete", markup=False)
        return EXIT_ERROR
    n = baseline.write(Path(args.output), findings, _sources(findings), repository_root())
    err.print(
        f"gostatic: recorded {n} finding{'s' if n != 1 else ''} in {args.output}; "
        f"`gostatic check --baseline {args.output}` now reports only new ones",
        markup=False,
    )
    return EXIT_OK


def _sources(findings: list[Finding]) -> SourceFiles:
    """The bytes of the files with findings, each read when a report first needs it."""
    return SourceFiles(f.path for f in findings)


def _apply_fixes(findings: list[Finding], args: argparse.Namespace, err: Console, fixmod) -> tuple:  # type: ignore[no-untyped-def]
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        if f.fix is not None:
            by_path.setdefault(f.path, []).append(f)
    diff_parts: list[str] = []
    changed = 0
    for path, fs in sorted(by_path.items()):
        try:
            before = Path(path).read_bytes()
        except OSError as exc:
            err.print(f"gostatic: warning: {path}: cannot read for fixing: {exc}", markup=False)
            continue
        outcome = fixmod.fix_source(before, fs, unsafe=args.unsafe_fixes)
        for f in outcome.rejected:
            err.print(
                f"gostatic: warning: {path}:{f.start.line}: fix for {f.code} not applied: the result would not parse",
                markup=False,
            )
        if outcome.source == before:
            continue
        changed += 1
        if args.diff:
            diff_parts.append(fixmod.unified_diff(path, before, outcome.source))
        else:
            Path(path).write_bytes(outcome.source)
            n = len(outcome.applied)
            err.print(f"gostatic: fixed {n} finding{'s' if n != 1 else ''} in {path}", markup=False)
    return findings, "".join(diff_parts), changed


def cmd_rules(args: argparse.Namespace) -> int:
    import json

    cfg = load_file(Path(args.config)) if args.config else discover(Path.cwd())
    cfg = cfg or discover(Path.cwd())
    rules = load_rules([(p, cfg.root) for p in cfg.plugins])
    enabled = enabled_codes(rules, cfg)
    if args.format == "markdown":
        sys.stdout.write(rules_markdown(rules, enabled))
        return EXIT_OK
    if args.format == "json":
        rows = [
            {
                "code": r.meta.code,
                "name": r.meta.name,
                "severity": r.meta.severity.value,
                "enabled": r.meta.code in enabled,
                "default_on": r.meta.default_on,
                "fix": r.meta.fix,
                "summary": r.meta.summary,
            }
            for r in rules
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_OK
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold")
    for col in ("code", "name", "severity", "on", "fix", "summary"):
        table.add_column(col)
    for r in rules:
        m = r.meta
        table.add_row(
            m.code, m.name, m.severity.value, "yes" if m.code in enabled else "no", m.fix or "", m.summary
        )
    Console(highlight=False).print(table)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace, err: Console) -> int:
    rules = load_rules()
    rule = find_rule(rules, args.rule)
    if rule is None:
        raise UsageError(f"no rule named {args.rule!r} (see `gostatic rules`)")
    page = explain(rule)
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        from rich.markdown import Markdown

        Console().print(Markdown(page))
    else:
        sys.stdout.write(page)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

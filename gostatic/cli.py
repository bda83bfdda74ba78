"""The `gostatic` command line: check, rules, explain (and the later lsp/baseline commands).

Exit codes: 0 no findings at or above the fail level, 1 findings, 2 usage or internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gostatic import __version__, install_interrupt_handler
from gostatic.analysis.gomod import parse_version
from gostatic.impact.errors import ProfileError
from gostatic.lint.finding import Finding, Severity
from gostatic.lint.registry import RuleLoadError, find_rule, load_rules
from gostatic.parse.positions import SourceFiles
from gostatic.run.config import ConfigError, discover, load_file
from gostatic.run.package import display_path
from gostatic.run.runner import Plan, RunOptions, plan
from gostatic.run.selection import SelectorError, enabled_codes

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github", "rdjson", "rdjsonl", "checkstyle")
MERGE_FORMATS = ("json", "sarif", "text", "github")


COMMANDS = ("check", "rules", "baseline", "merge", "explain", "profile", "lsp")


class UsageError(Exception):
    pass


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's own formatter, told the terminal's width: argparse asks `shutil` for it, and importing
    shutil (with zlib, bz2 and lzma) is a tenth of a one-file run's start-up. Same answer: $COLUMNS,
    else the terminal of stdout, else 80 columns; minus two, as argparse does."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:  # fmt: skip
        super().__init__(
            prog, indent_increment, max_help_position, _columns() - 2 if width is None else width
        )


@functools.cache  # argparse makes a formatter per argument: ask the environment and the terminal once
def _columns() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `only`, the parser of that sub-command alone (a run parses its own
    command's arguments only: building the other six, argparse's translation look-ups included, was a
    few milliseconds of every start-up)."""
    p = argparse.ArgumentParser(
        formatter_class=_HelpFormatter,
        prog="gostatic",
        description="Find Go code that allocates, retains or leaks memory behind the garbage collector's back.",
    )
    p.add_argument("--version", action="version", version=f"gostatic {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    add = functools.partial(sub.add_parser, formatter_class=_HelpFormatter)

    if only in (None, "check"):
        c = add("check", help="lint Go files and packages")
        c.add_argument(
            "paths", nargs="*", default=["."], help='files or directories; "./..." accepted (default: .)'
        )
        c.add_argument("--format", default="text", help=f"{' | '.join(FORMATS)} (default: text)")
        c.add_argument("-o", "--output", help="write the report to this file instead of standard output")
        c.add_argument("--new-from-rev", metavar="REV", help="report only findings on lines added since REV")
        c.add_argument("--new-from-patch", metavar="FILE", help="report only findings on lines a diff adds")
        c.add_argument(
            "--baseline", metavar="FILE", help="hide findings recorded in FILE by `gostatic baseline`"
        )
        _selection_arguments(c)
        c.add_argument(
            "--tags",
            default="",
            help="comma-separated build tags, as for go build (GOOS/GOARCH from the environment, linux/amd64 by default)",
        )
        c.add_argument("--fix", action="store_true", help="apply safe autofixes in place")
        c.add_argument(
            "--unsafe-fixes", action="store_true", help="with --fix or --diff: apply unsafe fixes too"
        )
        c.add_argument(
            "--diff", action="store_true", help="print the fixes as a unified diff instead of applying them"
        )
        c.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
        c.add_argument("--fail-level", default="warning", choices=("error", "warning", "info"),
                       help="lowest severity that makes the exit code 1 (default: warning)")  # fmt: skip
        c.add_argument("--force-exclude", action="store_true",
                       help="apply excludes (vendor/, testdata/, .gitignore, config) to files named explicitly")  # fmt: skip
        c.add_argument("--config", help="use this configuration file instead of discovering one")
        c.add_argument("--include-tests", action="store_true",
                       help="report cost findings in tests too (default: defects only, and costs in benchmarks)")  # fmt: skip
        c.add_argument("--include-cold", action="store_true",
                       help="report cost findings in cold code too (run-once set-up, error paths: explain CODE)")  # fmt: skip
        c.add_argument("--statistics", action="store_true",
                       help="count findings per rule (text: a table after the findings; json: the counts "
                       "instead of the findings)")  # fmt: skip
        c.add_argument("--no-source", action="store_true", help="text format: do not print source lines")
        c.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
        c.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: all cores)")
        c.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
        c.add_argument("--cache-dir", metavar="DIR",
                       help="result cache directory (default: $GOSTATIC_CACHE_DIR or ./.gostatic_cache)")  # fmt: skip
        c.add_argument(
            "--shard", metavar="K/N", help="analyse only shard K of N (stable split by package path)"
        )
        c.add_argument("--exclude", type=_csv, action="extend", metavar="GLOBS",
                       help="also skip paths matching these globs (relative to the current directory)")  # fmt: skip
        c.add_argument("-q", "--quiet", action="store_true",
                       help="print the findings only: no summary and no notes (errors are still printed)")  # fmt: skip
        c.add_argument("--stdin-filename", metavar="PATH",
                       help="with the path `-`: read the source from standard input and report it as PATH")  # fmt: skip
        _profile_arguments(c)

    if only in (None, "rules"):
        r = add("rules", help="list every rule with its on/off state")
        r.add_argument("--format", default="text", choices=("text", "markdown", "json"))
        r.add_argument("--config", help="configuration file to take the on/off state from")

    if only in (None, "baseline"):
        b = add(
            "baseline",
            help="record today's findings (`check --baseline` hides them)",
        )
        b.add_argument("paths", nargs="*", default=["."], help="files or directories (default: .)")
        b.add_argument("-o", "--output", required=True, help="the baseline file to write (JSON)")
        _selection_arguments(b)
        b.add_argument("--tags", default="", help="comma-separated build tags, as for check")
        b.add_argument(
            "--force-exclude", action="store_true", help="apply excludes to files named explicitly"
        )
        b.add_argument("--config", help="use this configuration file instead of discovering one")
        b.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
        b.add_argument(
            "--exclude",
            type=_csv,
            action="extend",
            metavar="GLOBS",
            help="also skip paths matching these globs",
        )

    if only in (None, "merge"):
        m = add(
            "merge",
            help="merge JSON or SARIF reports of --shard runs into one",
        )
        m.add_argument("reports", nargs="+", help="report files, all JSON or all SARIF")
        m.add_argument("-o", "--output", help="write the merged report here instead of standard output")
        m.add_argument("--format", choices=MERGE_FORMATS,
                       help="output format (default: that of the inputs); text and github need JSON inputs")  # fmt: skip
        m.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
        m.add_argument("--fail-level", default="warning", choices=("error", "warning", "info"),
                       help="lowest severity that makes the exit code 1 (default: warning)")  # fmt: skip

    if only in (None, "explain"):
        e = add("explain", help="show a rule's documentation")
        e.add_argument("rule", help="a code (CTX005) or name (lost-cancel)")
        e.add_argument("--config", help="configuration file whose plugins to load (default: discovered)")

    if only in (None, "profile"):
        pr = add(
            "profile",
            help="a pprof profile's top functions and the findings inside them",
        )
        pr.add_argument("profile", metavar="FILE", help="a pprof profile (CPU or -memprofile)")
        pr.add_argument("paths", nargs="*", default=["."], help="files or directories to check (default: .)")
        pr.add_argument("--also", action="append", metavar="FILE", help="another profile to add (repeatable)")
        pr.add_argument("--top", type=int, default=20, metavar="N", help="functions to show (default: 20)")
        pr.add_argument("--config", help="use this configuration file instead of discovering one")
        pr.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: all cores)")

    if only in (None, "lsp"):
        lsp = add("lsp", help="run the language server on stdio (for editors)")
        lsp.add_argument(
            "--stdio", action="store_true", help="accepted for clients that pass it; stdio is the default"
        )

    return p


if TYPE_CHECKING:
    from rich.console import Console


def _console(**options: Any) -> Console:
    """A rich Console that never interprets the text it is given (markup, emoji codes such as `:100:`,
    highlighting): everything gostatic prints is the user's (paths, messages, source, rule docs)."""
    from rich.console import Console

    return Console(**{"markup": False, "emoji": False, "highlight": False, **options})


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

            self._console = _Console(**{"markup": False, "emoji": False, "highlight": False, **self._options})
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


def _subparser(parser: argparse.ArgumentParser, command: str | None) -> argparse.ArgumentParser:
    """The parser of `command` (its usage is the one to show for a bad flag of that command)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            return action.choices[command]  # type: ignore[no-any-return]
    return parser


def _main(argv: list[str] | None) -> int:
    given = sys.argv[1:] if argv is None else argv
    parser = build_parser(given[0] if given and given[0] in COMMANDS else None)
    args, extra = parser.parse_known_args(argv)
    if extra:
        _subparser(parser, args.command).error(f"unrecognized arguments: {' '.join(extra)}")
    err: Console = _LazyConsole(stderr=True, soft_wrap=True)  # type: ignore[assignment]
    try:
        if args.command == "check":
            return cmd_check(args, err)
        if args.command == "rules":
            return cmd_rules(args)
        if args.command == "baseline":
            return cmd_baseline(args, err)
        if args.command == "merge":
            return cmd_merge(args, err)
        if args.command == "explain":
            return cmd_explain(args, err)
        if args.command == "profile":
            from gostatic.impact.command import cmd_profile

            return cmd_profile(args, err)
        if args.command == "lsp":
            from gostatic.lsp import main as lsp_main

            return lsp_main()
        parser.print_help()
        return EXIT_ERROR
    except (ConfigError, SelectorError, RuleLoadError, UsageError) as exc:
        err.print(f"gostatic: error: {exc}")
        return EXIT_ERROR
    except ProfileError as exc:
        err.print(f"gostatic: error: {exc}", markup=False)
        return EXIT_ERROR
    except Exception as exc:  # last: it re-raises what is not a usage error of the review stage
        if not isinstance(exc, _review_errors()):
            raise
        err.print(f"gostatic: error: {exc}")
        return EXIT_ERROR


def _review_errors() -> tuple[type[Exception], ...]:
    """The usage errors of the review stage (a bad baseline file, revision or patch). Its modules are
    imported only by the runs that use --baseline or --new-from-*, so a module not loaded raised none."""
    found = []
    for module, name in (
        ("gostatic.review.baseline", "BaselineError"),
        ("gostatic.review.changes", "ChangesError"),
    ):
        loaded = sys.modules.get(module)
        if loaded is not None:
            found.append(getattr(loaded, name))
    return tuple(found)


def _selection_arguments(p: argparse.ArgumentParser) -> None:
    """Which rules run, and for which Go version: the same for `check` and `baseline`."""
    p.add_argument(
        "--select", type=_csv, action="extend", help="codes, names or families to run (ALL for every rule)"
    )
    p.add_argument("--extend-select", type=_csv, action="extend", help="add to the selected rules")
    p.add_argument("--ignore", type=_csv, action="extend", help="codes, names or families to skip")
    p.add_argument("--go-version", help="Go version of the code (overrides go.mod), e.g. 1.22")


def _profile_arguments(c: argparse.ArgumentParser) -> None:
    c.add_argument("--profile", action="append", metavar="FILE",
                   help="rank findings by this pprof profile (CPU or -memprofile; repeatable); "
                   "default: the config's `profile`, else a main package's default.pgo")  # fmt: skip
    c.add_argument("--no-profile", action="store_true",
                   help="rank by no profile: ignore the config's `profile` and any default.pgo")  # fmt: skip
    c.add_argument("--min-share", metavar="SHARE",
                   help="with a profile: hide cost findings in functions under SHARE of it, e.g. 0.5%%")  # fmt: skip


def _ranking(args: argparse.Namespace, the_plan: Plan):  # type: ignore[no-untyped-def]
    """The run's profiles (gostatic/impact), or None: no profile given, configured or found."""
    from gostatic.run.config import parse_share

    min_share = None
    if getattr(args, "min_share", None):
        try:
            min_share = parse_share(args.min_share)
        except ValueError as exc:
            raise UsageError(f"--min-share: {exc}") from exc
    if getattr(args, "no_profile", False) or not (args.profile or the_plan.profiles or the_plan.pgo):
        return None
    from gostatic.impact import session

    return session.for_plan(args.profile, min_share, the_plan)


def _writable(output: str | None, flag: str = "-o") -> None:
    """Fail fast, before any analysis, when `-o FILE` cannot be written (a usage error: exit 2)."""
    if not output:
        return
    path = Path(output)
    if path.is_dir():
        raise UsageError(f"{flag} {output}: is a directory, not a file")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{flag} {output}: no such directory {parent}")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"{flag} {output}: permission denied")


def _open_output(output: str) -> Any:
    """The file `-o` names, opened for writing; a failure is a one-line usage error."""
    try:
        return open(output, "w", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"-o {output}: cannot write: {exc.strerror or exc}") from None


def _write_output(output: str | None, text: str) -> None:
    if not output:
        sys.stdout.write(text)
        return
    fh = _open_output(output)
    with fh:
        fh.write(text)


def _out_console(output: str | None, fmt: str) -> tuple[Console, Any]:
    """The console a report goes to, and the file opened for `-o` (the caller closes it)."""
    if output:
        fh = _open_output(output)
        return _text_console(file=fh, no_color=True, width=200), fh
    if fmt != "text":
        return _LazyConsole(no_color=True, soft_wrap=True), None  # type: ignore[return-value]
    if os.environ.get("NO_COLOR"):
        return _text_console(color_system=None), None  # no ANSI at all
    return _text_console(), None


def _text_console(**options: Any) -> Console:
    """The text report's console: report.text's PlainConsole where rich would write no escape codes (a
    pipe, a file, NO_COLOR: rich is not imported), else rich's."""
    from gostatic.report.text import PlainConsole

    rich = _LazyConsole(**options)
    file = options.get("file", sys.stdout)
    if PlainConsole.plain_for(file, options):
        return PlainConsole(file, rich, _discard_stdout)  # type: ignore[return-value]
    return rich  # type: ignore[return-value]


def _stdin_source(args: argparse.Namespace) -> tuple[str, bytes] | None:
    """`check - --stdin-filename PATH`: (PATH, the source read from standard input); None without `-`."""
    paths = args.paths or ["."]
    if "-" not in paths:
        if getattr(args, "stdin_filename", None):
            raise UsageError("--stdin-filename needs the path `-` (read the source from standard input)")
        return None
    if paths != ["-"]:
        raise UsageError("`-` (standard input) cannot be combined with other paths")
    name = getattr(args, "stdin_filename", None)
    if not name:
        raise UsageError("`-` reads Go source from standard input: name it with --stdin-filename PATH")
    if not name.endswith(".go"):
        raise UsageError(f"--stdin-filename {name}: not a .go file")
    return name, sys.stdin.buffer.read()


def _plan(
    args: argparse.Namespace, err: Console, stdin: tuple[str, bytes] | None = None
) -> tuple[RunOptions, Plan]:
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
        paths=[stdin[0]] if stdin else (args.paths or ["."]),
        select=args.select,
        ignore=args.ignore,
        extend_select=args.extend_select,
        go_version=go_version,
        config_path=config_path,
        force_exclude=args.force_exclude,
        debug=args.debug,
        include_tests=getattr(args, "include_tests", False),
        include_cold=getattr(args, "include_cold", False),
        exclude=tuple(args.exclude or ()),
        stdin=stdin,
        build_tags=tuple(t for t in args.tags.replace(" ", ",").split(",") if t),
    )
    the_plan = plan(opts)
    quiet = getattr(args, "quiet", False)
    for note in the_plan.notes:
        if not quiet or not note.startswith("no Go files"):
            err.print(f"gostatic: warning: {note}")
    for missing in the_plan.missing:
        err.print(f"gostatic: error: {missing}: no such file or directory")
    return opts, the_plan


def cmd_check(args: argparse.Namespace, err: Console) -> int:
    from gostatic.lint import fixes as fixmod
    from gostatic.run.memory import tune_collector_for_batch
    from gostatic.run.runner import execute

    if args.format not in FORMATS:
        raise UsageError(f"unknown --format {args.format!r} (choose from {', '.join(FORMATS)})")
    if args.statistics and args.format not in ("text", "json"):
        raise UsageError("--statistics works with --format text or json (it replaces the findings in json)")
    _writable(args.output)
    stdin = _stdin_source(args)
    if stdin and (args.fix or args.diff):
        raise UsageError("--fix and --diff cannot rewrite standard input")
    tune_collector_for_batch()
    opts, the_plan = _plan(args, err, stdin)
    if the_plan.missing and not the_plan.jobs:
        return EXIT_ERROR  # nothing to analyse: no report, and certainly not "All clear"
    review = _review_filter(args, the_plan)  # before the analysis: a bad REV or FILE fails fast
    for note in review.warnings():
        err.print(f"gostatic: warning: {note}")
    ranking = _ranking(args, the_plan)  # before the analysis too: a bad profile fails fast
    if ranking is not None:
        the_plan.jobs = ranking.hot(the_plan.jobs)
    run_jobs = _job_runner(args, execute, stdin is not None)
    hidden: dict[str, int] = run_jobs.hidden
    if ranking is not None:  # the re-runs of --fix see the profile's hot functions too
        plain_run = run_jobs

        def run_jobs(jobs):  # type: ignore[no-untyped-def]
            return plain_run(ranking.hot(jobs))

        run_jobs.cache_dir = plain_run.cache_dir  # type: ignore[attr-defined]
        run_jobs.analysed = plain_run.analysed  # type: ignore[attr-defined]

    the_plan = _shard(args, the_plan)
    findings, errors, _ = run_jobs(the_plan.jobs)
    sources = _sources(findings, stdin)
    findings = review.apply(findings, lambda fs: _sources(fs, stdin))
    exit_code = EXIT_OK

    if args.fix or args.diff:
        findings, errors = _fix(args, err, fixmod, opts, findings, errors, run_jobs, review)
        if isinstance(findings, str):  # --diff: the diff text
            sys.stdout.write(findings)
            return EXIT_FINDINGS if findings else EXIT_OK

    sources = _sources(findings, stdin)
    notes = None
    if ranking is not None:
        findings, notes = ranking.apply(findings, sources.get)
    console, fh = _out_console(args.output, args.format)
    try:
        if args.format == "json" and args.statistics:
            import json

            from gostatic.report.text import statistics_rows

            (fh or sys.stdout).write(json.dumps(statistics_rows(findings), indent=2) + "\n")
        elif args.format != "text":
            try:
                (fh or sys.stdout).write(
                    _render_machine(args.format, findings, sources, errors, opts.config_path, notes)
                )
                (fh or sys.stdout).flush()
            except BrokenPipeError:
                _discard_stdout()
        else:
            from gostatic.report import text

            shown = findings
            if notes is not None:
                from gostatic.impact.session import labelled

                shown = labelled(findings, notes)
            text.render(
                console,
                shown,
                sources,
                the_plan.files,
                args.statistics,
                not args.no_source,
                quiet=args.quiet or bool(the_plan.missing and not findings),
            )
            if ranking is not None and not args.quiet:
                console.print(ranking.note(), highlight=False, markup=False, soft_wrap=True)
            if review.note() and not args.quiet:
                console.print(review.note(), soft_wrap=True)
            if hidden and not args.quiet:
                console.print(_hidden_note(hidden), soft_wrap=True)
    finally:
        if fh is not None:
            fh.close()
    if args.format != "text" and review.note() and not args.quiet:
        err.print(f"gostatic: {review.note()}")
    for e in errors:
        err.print(f"gostatic: {e}")
    fail = Severity.parse(args.fail_level).rank
    if not args.exit_zero and any(f.severity.rank >= fail for f in findings):
        exit_code = EXIT_FINDINGS
    if errors or the_plan.missing:
        exit_code = EXIT_ERROR
    _allow_replay(args, run_jobs, the_plan, errors, stdin is not None)
    return exit_code


def _allow_replay(
    args: argparse.Namespace, run_jobs, the_plan: Plan, errors: list[str], inputs: bool
) -> None:  # type: ignore[no-untyped-def]
    """Let gostatic/run/replay.py record this run when rerunning it could only give the same output:
    every package came from the cache (so everything the run read was read in this process: profiles
    too), and it read nothing the record cannot watch (standard input: `inputs`; git's state)."""
    cache_dir = getattr(run_jobs, "cache_dir", None)
    if (
        cache_dir is None
        or inputs
        or errors
        or the_plan.missing
        or args.fix
        or args.diff
        or args.new_from_rev
        or args.new_from_patch
        or getattr(run_jobs, "analysed", [1])[0]
    ):
        return
    from gostatic.run import replay

    replay.allow(str(cache_dir), args.output, [fj.path for job in the_plan.jobs for fj in job.files])


MAX_FIX_ROUNDS = 10


def _fix(
    args: argparse.Namespace,
    err: Console,
    fixmod: Any,
    opts: RunOptions,
    findings: list[Finding],
    errors: list[str],
    run_jobs: Callable[[list[Any]], tuple[list[Finding], list[str], int]],
    review: Any,
) -> tuple[list[Finding] | str, list[str]]:
    """--fix to a fixed point, as ruff does: apply the fixes, analyse again, and repeat while a round
    still changes a file (a fix can uncover another, or two overlapping fixes wait for the next round);
    at most MAX_FIX_ROUNDS rounds. --diff shows the first round only (its edits are to the file as it is).
    Returns (the remaining findings, errors), or (the diff text, errors) for --diff."""
    applied = 0
    for _ in range(MAX_FIX_ROUNDS):
        diff_text, changed, n = _apply_fixes(findings, args, err, fixmod)
        if args.diff:
            return diff_text, errors
        applied += n
        if not changed:
            break
        findings, errors2, _ = run_jobs(_shard(args, plan(opts)).jobs)
        errors = errors + errors2
        findings = review.apply(findings, _sources)
    if applied and not args.quiet:
        err.print(f"gostatic: applied {applied} fix{'es' if applied != 1 else ''}")
    return findings, errors


def default_jobs() -> int:
    """All cores this process may run on (the process pool, gostatic/workers.py, is imported only when
    a run has work for more than one: a warm run never pays for multiprocessing)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _job_runner(args: argparse.Namespace, execute, no_cache: bool = False):  # type: ignore[no-untyped-def]
    """execute() with --jobs and the cache (--no-cache, --cache-dir) applied."""
    from gostatic.run.replay import default_dir

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    workers = args.jobs or default_jobs()
    cache_dir = None if args.no_cache or no_cache else Path(args.cache_dir or default_dir())
    hidden: dict[str, int] = {}
    analysed = [0]  # packages analysed (not answered from the cache) by every call so far

    def run_jobs(jobs):  # type: ignore[no-untyped-def]
        hidden.clear()  # the counts of the last run (--fix runs again)
        stats: dict[str, int] = {}
        result = execute(jobs, workers=workers, cache_dir=cache_dir, isolate=True, hidden=hidden, stats=stats)
        analysed[0] += stats["analysed"]
        return result

    run_jobs.hidden = hidden  # type: ignore[attr-defined]
    run_jobs.cache_dir = cache_dir  # type: ignore[attr-defined]
    run_jobs.analysed = analysed  # type: ignore[attr-defined]
    return run_jobs


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


def cmd_merge(args: argparse.Namespace, err: Console) -> int:
    """Join shard reports; the exit code follows the merged findings as `check`'s does."""
    import json

    from gostatic.report.jsonfmt import finding_from_dict, sarif_levels
    from gostatic.run import shard

    _writable(args.output)
    try:
        docs = shard.load_reports(args.reports)
        merged = shard.merge_docs(docs)
    except shard.ShardError as exc:
        raise UsageError(str(exc)) from exc
    fmt = args.format or ("json" if isinstance(merged, list) else "sarif")
    if (fmt == "sarif" and isinstance(merged, list)) or (fmt == "json" and isinstance(merged, dict)):
        raise UsageError(f"merge: --format {fmt} needs {fmt.upper()} inputs (merge does not convert them)")
    if fmt in ("text", "github") and not isinstance(merged, list):
        raise UsageError(f"merge: --format {fmt} needs JSON inputs (written by `check --format json`)")
    if isinstance(merged, list):
        findings = [finding_from_dict(d) for d in merged]
        severities = [f.severity for f in findings]
    else:
        findings = []
        severities = sarif_levels(merged)
    if fmt == "json":
        _write_output(args.output, json.dumps(merged, indent=2) + "\n")
    elif fmt == "sarif":
        _write_output(args.output, json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "github":
        from gostatic.report import github
        from gostatic.run.repo import repository_root

        _write_output(args.output, github.render(findings, _sources(findings), repository_root()))
    else:
        from gostatic.report import text

        console, fh = _out_console(args.output, "text")
        try:
            files = len({f.path for f in findings})
            text.render(console, findings, _sources(findings), files, show_source=True)
        finally:
            if fh is not None:
                fh.close()
    fail = Severity.parse(args.fail_level).rank
    if not args.exit_zero and any(s.rank >= fail for s in severities):
        return EXIT_FINDINGS
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
    notes: Mapping[Finding, Any] | None = None,
) -> str:
    """Every format but text: plain strings, never colour. `notes`: the findings' profile numbers
    (gostatic/impact), when a profile ranks them."""
    from gostatic.run.repo import repository_root

    if notes is not None and fmt in ("github", "rdjson", "rdjsonl", "checkstyle"):
        from gostatic.impact.session import labelled

        findings = labelled(findings, notes)  # type: ignore[arg-type]
    if fmt == "json":
        from gostatic.report import jsonfmt

        return jsonfmt.render(findings, sources, notes)
    if fmt == "sarif":
        from gostatic.report import sarif

        cfg = load_file(config_path) if config_path else None
        cfg = cfg or discover(Path.cwd())
        rules = load_rules([(p, cfg.root) for p in cfg.plugins])
        return sarif.render(findings, sources, rules, repository_root(), errors, notes)
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

    _writable(args.output)
    _, the_plan = _plan(args, err)
    if the_plan.missing:
        err.print("gostatic: error: the baseline was not written: a path does not exist")
        return EXIT_ERROR
    findings, errors, _ = execute(the_plan.jobs)
    for e in errors:
        err.print(f"gostatic: {e}")
    if errors:
        err.print("gostatic: error: the baseline was not written: the run was incomplete")
        return EXIT_ERROR
    try:
        n = baseline.write(Path(args.output), findings, _sources(findings), repository_root())
    except OSError as exc:
        raise UsageError(f"-o {args.output}: cannot write: {exc.strerror or exc}") from None
    err.print(
        f"gostatic: recorded {n} finding{'s' if n != 1 else ''} in {args.output}; "
        f"`gostatic check --baseline {args.output}` now reports only new ones"
    )
    return EXIT_OK


def _sources(findings: list[Finding], stdin: tuple[str, bytes] | None = None) -> SourceFiles:
    """The bytes of the files with findings, each read when a report first needs it (the source read
    from standard input for `check -`)."""
    files = SourceFiles(f.path for f in findings)
    if stdin is not None:
        files.provide(display_path(Path(stdin[0])), stdin[1])
    return files


def _apply_fixes(findings: list[Finding], args: argparse.Namespace, err: Console, fixmod) -> tuple:  # type: ignore[no-untyped-def]
    """One round of fixes: (the diff text, files changed, fixes applied)."""
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        if f.fix is not None:
            by_path.setdefault(f.path, []).append(f)
    diff_parts: list[str] = []
    changed = applied = 0
    for path, fs in sorted(by_path.items()):
        try:
            before = Path(path).read_bytes()
        except OSError as exc:
            err.print(f"gostatic: warning: {path}: cannot read for fixing: {exc}")
            continue
        outcome = fixmod.fix_source(before, fs, unsafe=args.unsafe_fixes)
        for f in outcome.rejected:
            err.print(
                f"gostatic: warning: {path}:{f.start.line}: fix for {f.code} not applied: the result would not parse"
            )
        if outcome.source == before:
            continue
        changed += 1
        if args.diff:
            diff_parts.append(fixmod.unified_diff(path, before, outcome.source))
        else:
            try:
                _replace_file(Path(path), outcome.source)
            except OSError as exc:
                err.print(f"gostatic: warning: {path}: cannot write the fixes: {exc.strerror or exc}")
                continue
            n = len(outcome.applied)
            applied += n
            if not args.quiet:
                err.print(f"gostatic: fixed {n} finding{'s' if n != 1 else ''} in {path}")
    return "".join(diff_parts), changed, applied


def _hidden_note(hidden: dict[str, int]) -> str:
    """What the run's scope left out, and how to see it: a user whose finding vanished learns why."""
    where = {
        "tests": ("in tests", "--include-tests"),
        "cold": ("in cold code", "--include-cold"),
        "unsampled": ("in blocks the profile never reached", "--include-cold"),
        "dead": ("in code that never runs", "--include-cold"),
        "one-shot": ("kept until a one-shot command exits", "--include-cold"),
    }
    parts = [(n, *where[why]) for why, n in sorted(hidden.items()) if n and why in where]
    total = sum(n for n, _, _ in parts)
    them = "it" if total == 1 else "them"
    named = list(dict.fromkeys(flag for _, _, flag in parts))
    flags = " and ".join(named)
    show = "shows" if len(named) == 1 else "show"
    # defects are left out only in code that never runs ("dead") or as retention in a command that exits
    # ("one-shot"); the rest are cost findings
    what = "finding" if hidden.get("dead") or hidden.get("one-shot") else "cost finding"
    if len(parts) == 1:
        return f"Not shown: {total} {what}{'s' if total != 1 else ''} {parts[0][1]}; {flags} {show} {them}."
    detail = ", ".join(f"{n} {label}" for n, label, _ in parts)
    return f"Not shown: {total} {what}s ({detail}); {flags} {show} {them}."


def _replace_file(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`: a Ctrl-C or a kill
    during --fix leaves the old file or the new one, never half of one."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".gostatic", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _config_for_cwd(config: str | None):  # type: ignore[no-untyped-def]
    if config:
        if not Path(config).is_file():
            raise UsageError(f"--config: no such file {config}")
        cfg = load_file(Path(config))
        return cfg or discover(Path.cwd())
    return discover(Path.cwd())


def cmd_rules(args: argparse.Namespace) -> int:
    import json

    cfg = _config_for_cwd(args.config)
    rules = load_rules([(p, cfg.root) for p in cfg.plugins])
    enabled = enabled_codes(rules, cfg)
    if args.format == "markdown":
        from gostatic.lint.explain import rules_markdown

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
                "kind": r.meta.kind,
                "summary": r.meta.summary,
            }
            for r in rules
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_OK
    from rich.table import Table
    from rich.text import Text

    table = Table(show_edge=False, header_style="bold")
    for col in ("code", "name", "severity", "on", "fix", "summary"):
        table.add_column(col)
    for r in rules:
        m = r.meta
        cells = (
            m.code,
            m.name,
            m.severity.value,
            "yes" if m.code in enabled else "no",
            m.fix or "",
            m.summary,
        )
        table.add_row(*(Text(c) for c in cells))
    console = _console(color_system=None) if os.environ.get("NO_COLOR") else _console()
    console.print(table)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace, err: Console) -> int:
    """A rule's page; plugin rules of the configuration (discovered, or --config) are found too."""
    cfg = _config_for_cwd(args.config)
    rules = load_rules([(p, cfg.root) for p in cfg.plugins])
    rule = find_rule(rules, args.rule)
    if rule is None:
        raise UsageError(f"no rule named {args.rule!r} (see `gostatic rules`)")
    from gostatic.lint.explain import explain

    page = explain(rule)
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        from rich.markdown import Markdown

        # Markdown parses the page as Markdown only: inline markup and emoji codes stay text
        _console().print(Markdown(page))
    else:
        sys.stdout.write(page)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

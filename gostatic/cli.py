"""The `gostatic` command line: check, rules, explain (and the later lsp/baseline commands).

Exit codes: 0 no findings at or above the fail level, 1 findings, 2 usage or internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console

from gostatic import __version__
from gostatic.config import ConfigError, discover, load_file
from gostatic.explain import explain, rules_markdown
from gostatic.finding import Finding, Severity
from gostatic.gomod import parse_version
from gostatic.registry import RuleLoadError, find_rule, load_rules
from gostatic.selection import SelectorError, enabled_codes

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json")


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
    c.add_argument("paths", nargs="*", default=["."], help='files or directories; "./..." accepted (default: .)')
    c.add_argument("--format", default="text", help="text | json (default: text)")
    c.add_argument("-o", "--output", help="write the report to this file instead of standard output")
    c.add_argument("--select", type=_csv, help="codes, names or families to run (ALL for every rule)")
    c.add_argument("--extend-select", type=_csv, help="add to the selected rules")
    c.add_argument("--ignore", type=_csv, help="codes, names or families to skip")
    c.add_argument("--go-version", help="Go version of the code (overrides go.mod), e.g. 1.22")
    c.add_argument("--fix", action="store_true", help="apply safe autofixes in place")
    c.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: apply unsafe fixes too")
    c.add_argument("--diff", action="store_true", help="print the fixes as a unified diff instead of applying them")
    c.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    c.add_argument("--fail-level", default="warning", choices=("error", "warning", "info"),
                   help="lowest severity that makes the exit code 1 (default: warning)")  # fmt: skip
    c.add_argument("--force-exclude", action="store_true",
                   help="apply excludes (vendor/, testdata/, .gitignore, config) to files named explicitly")  # fmt: skip
    c.add_argument("--config", help="use this configuration file instead of discovering one")
    c.add_argument("--statistics", action="store_true", help="print a count of findings per rule")
    c.add_argument("--no-source", action="store_true", help="text format: do not print source lines")
    c.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")

    r = sub.add_parser("rules", help="list every rule with its on/off state")
    r.add_argument("--format", default="text", choices=("text", "markdown", "json"))
    r.add_argument("--config", help="configuration file to take the on/off state from")

    e = sub.add_parser("explain", help="show a rule's documentation")
    e.add_argument("rule", help="a code (CTX005) or name (lost-cancel)")

    return p


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return 130


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    err = Console(stderr=True, highlight=False)
    try:
        if args.command == "check":
            return cmd_check(args, err)
        if args.command == "rules":
            return cmd_rules(args)
        if args.command == "explain":
            return cmd_explain(args, err)
        parser.print_help()
        return EXIT_ERROR
    except (ConfigError, SelectorError, RuleLoadError, UsageError) as exc:
        err.print(f"gostatic: error: {exc}", markup=False)
        return EXIT_ERROR


def _out_console(output: str | None, fmt: str) -> tuple[Console, object | None]:
    if output:
        fh = open(output, "w", encoding="utf-8")  # noqa: SIM115 - closed by the caller
        return Console(file=fh, no_color=True, highlight=False, width=200), fh
    if fmt != "text":
        return Console(no_color=True, highlight=False, soft_wrap=True), None
    return Console(highlight=False), None


def cmd_check(args: argparse.Namespace, err: Console) -> int:
    from gostatic import fixes as fixmod
    from gostatic.report import jsonfmt, text
    from gostatic.runner import RunOptions, execute, plan

    if args.format not in FORMATS:
        raise UsageError(f"unknown --format {args.format!r} (choose from {', '.join(FORMATS)})")
    go_version = None
    if args.go_version:
        try:
            go_version = parse_version(args.go_version)
        except ValueError as exc:
            raise UsageError(f"--go-version: {exc}") from exc
    config_path = None
    if args.config:
        config_path = Path(args.config)
        if not config_path.is_file():
            raise UsageError(f"--config: no such file {args.config}")
        load_file(config_path)  # report errors now
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
    findings, errors, _ = execute(the_plan.jobs)
    exit_code = EXIT_OK

    if args.fix or args.diff:
        findings, diff_text, changed = _apply_fixes(findings, args, err, fixmod)
        if args.diff:
            sys.stdout.write(diff_text)
            return EXIT_FINDINGS if diff_text else EXIT_OK
        if changed:
            findings, errors2, _ = execute(plan(opts).jobs)
            errors.extend(errors2)

    sources = _sources(findings)
    console, fh = _out_console(args.output, args.format)
    try:
        if args.format == "json":
            console.file.write(jsonfmt.render(findings, sources))
        else:
            text.render(console, findings, sources, the_plan.files, args.statistics, not args.no_source)
    finally:
        if fh is not None:
            fh.close()  # type: ignore[attr-defined]
    for e in errors:
        err.print(f"gostatic: {e}", markup=False)
    fail = Severity.parse(args.fail_level).rank
    if not args.exit_zero and any(f.severity.rank >= fail for f in findings):
        exit_code = EXIT_FINDINGS
    if errors or the_plan.missing:
        exit_code = EXIT_ERROR
    return exit_code


def _sources(findings: list[Finding]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for f in findings:
        if f.path not in out:
            try:
                out[f.path] = Path(f.path).read_bytes()
            except OSError:
                out[f.path] = b""
    return out


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

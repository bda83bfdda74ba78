"""`--format text`: `path:line:col: CODE [name] message`, the source line with a marker under the span,
and a summary. Colour only on a terminal; NO_COLOR is honoured (rich does both).

Every piece of user text (paths, messages, source lines) goes to rich as a `Text` built by appending
plain strings, never as a markup string: rich would otherwise read `[bold]` as markup, `:fire:` as an
emoji code and `:100:` as the 💯 emoji. Consoles given here are made with `emoji=False` as well."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from gostatic.lint.engine_rules import NotGoSource, UnreadableFile
from gostatic.lint.finding import Finding
from gostatic.parse.positions import LineIndex

_SEV_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
# a source line longer than this is cut (a minified or binary-looking file must not flood the terminal)
MAX_SOURCE_CHARS = 300
# findings about a whole file that could not be read as Go (binary, too large, unreadable): no line of
# it is worth printing, and reading a 32 MiB file to print its first "line" would be the slowest part
_WHOLE_FILE = frozenset({NotGoSource.meta.code, UnreadableFile.meta.code})


def _plain_print(console: Console, text: Text) -> None:
    console.print(text, highlight=False, soft_wrap=True, emoji=False, markup=False)


def heading(f: Finding) -> Text:
    """`path:line:col: CODE [name] message [*]`, styled but never interpreted."""
    style = _SEV_STYLE[f.severity.value]
    out = Text()
    out.append(f"{f.path}:{f.start.line}:{f.start.column}:", style="bold")
    out.append(" ")
    out.append(f.code, style=style)
    out.append(" ")
    out.append(f"[{f.name}]", style="dim")
    out.append(" ")
    out.append(f.message)
    if f.fix is not None and f.fix.safe:
        out.append(" ")
        out.append("[*]", style="dim")
    return out


def _printable(s: str) -> str:
    """Control characters (a binary file's, a terminal escape in a string literal) shown as `?`."""
    return "".join(c if c.isprintable() or c == " " else "?" for c in s)


def render(
    console: Console,
    findings: list[Finding],
    sources: dict[str, bytes],
    files: int,
    statistics: bool = False,
    show_source: bool = True,
    quiet: bool = False,
) -> None:
    indexes: dict[str, LineIndex] = {}
    for f in findings:
        style = _SEV_STYLE[f.severity.value]
        _plain_print(console, heading(f))
        src = sources.get(f.path) if show_source and f.code not in _WHOLE_FILE else None
        if src is not None and f.start.line > 0:
            idx = indexes.get(f.path) or indexes.setdefault(f.path, LineIndex(src))
            raw = idx.line_text(f.start.line)
            line = _printable(raw.decode("utf-8", "replace").expandtabs(4))
            prefix = _printable(raw[: f.start.column - 1].decode("utf-8", "replace").expandtabs(4))
            if f.end.line == f.start.line:
                span = raw[f.start.column - 1 : f.end.column - 1].decode("utf-8", "replace").expandtabs(4)
            else:
                span = raw[f.start.column - 1 :].decode("utf-8", "replace").expandtabs(4)
            if len(line) > MAX_SOURCE_CHARS:
                line = line[:MAX_SOURCE_CHARS] + " …"
            if len(prefix) >= MAX_SOURCE_CHARS:
                continue  # the marker would point past the cut
            width = max(1, min(len(span.rstrip()), MAX_SOURCE_CHARS - len(prefix)))
            gutter = f"{f.start.line:>5} | "
            source_line = Text()
            source_line.append(gutter, style="dim")
            source_line.append(line)
            _plain_print(console, source_line)
            marker = Text()
            marker.append(f"{' ' * (len(gutter) - 2)}| ", style="dim")
            marker.append(" " * len(prefix))
            marker.append("^" * width, style=style)
            _plain_print(console, marker)
    if statistics and findings:
        console.print(statistics_table(findings))
    if not quiet:
        _plain_print(console, Text(summary(findings, files)))


def statistics_table(findings: list[Finding]) -> Table:
    """Findings per rule; "fixable" counts every finding with a fix, safe or unsafe ("N (M unsafe)")."""
    table = Table(title="Findings by rule", show_edge=False)
    table.add_column("count", justify="right")
    table.add_column("code")
    table.add_column("name")
    table.add_column("fixable", justify="center")
    for row in statistics_rows(findings):
        fix = ""
        if row["fixable"]:
            fix = str(row["fixable"])
            if row["unsafe_fixable"]:
                fix += f" ({row['unsafe_fixable']} unsafe)"
        table.add_row(Text(str(row["count"])), Text(row["code"]), Text(row["name"]), Text(fix))
    return table


def statistics_rows(findings: list[Finding]) -> list[dict[str, object]]:
    """Count per rule, most frequent first; `fixable` counts safe and unsafe fixes, `unsafe_fixable`
    the unsafe ones among them (applied only with --unsafe-fixes)."""
    counts = Counter((f.code, f.name) for f in findings)
    fixable = Counter(f.code for f in findings if f.fix is not None)
    unsafe = Counter(f.code for f in findings if f.fix is not None and not f.fix.safe)
    return [
        {"code": code, "name": name, "count": n, "fixable": fixable[code], "unsafe_fixable": unsafe[code]}
        for (code, name), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def summary(findings: list[Finding], files: int) -> str:
    if not findings:
        return f"All clear: no findings in {files} file{'s' if files != 1 else ''}."
    sev = Counter(f.severity.value for f in findings)
    parts = [
        f"{sev[k]} {k}{'s' if sev[k] != 1 and k != 'info' else ''}"
        for k in ("error", "warning", "info")
        if sev[k]
    ]
    n = len(findings)
    fixable = sum(1 for f in findings if f.fix is not None and f.fix.safe)
    unsafe = sum(1 for f in findings if f.fix is not None and not f.fix.safe)
    line = f"Found {n} finding{'s' if n != 1 else ''} ({', '.join(parts)}) in {files} file{'s' if files != 1 else ''}."
    if fixable:
        line += f" {fixable} fixable with --fix."
    if unsafe:
        line += f" {unsafe} more with --fix --unsafe-fixes."
    return line

"""`--format text`: `path:line:col: CODE [name] message`, the source line with a marker under the span,
and a summary. Colour only on a terminal; NO_COLOR is honoured (rich does both)."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gostatic.lint.finding import Finding
from gostatic.parse.positions import LineIndex

_SEV_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render(
    console: Console,
    findings: list[Finding],
    sources: dict[str, bytes],
    files: int,
    statistics: bool = False,
    show_source: bool = True,
) -> None:
    indexes: dict[str, LineIndex] = {}
    for f in findings:
        style = _SEV_STYLE[f.severity.value]
        fixable = " [dim]\\[*][/dim]" if f.fix is not None and f.fix.safe else ""
        console.print(
            f"[bold]{escape(f.path)}:{f.start.line}:{f.start.column}:[/bold] "
            f"[{style}]{f.code}[/{style}] [dim]\\[{escape(f.name)}][/dim] {escape(f.message)}{fixable}",
            highlight=False,
            soft_wrap=True,
        )
        src = sources.get(f.path)
        if show_source and src is not None:
            idx = indexes.get(f.path) or indexes.setdefault(f.path, LineIndex(src))
            line = idx.line_text(f.start.line).decode("utf-8", "replace").expandtabs(4)
            raw = idx.line_text(f.start.line)
            prefix = raw[: f.start.column - 1].decode("utf-8", "replace").expandtabs(4)
            if f.end.line == f.start.line:
                span = raw[f.start.column - 1 : f.end.column - 1].decode("utf-8", "replace").expandtabs(4)
            else:
                span = raw[f.start.column - 1 :].decode("utf-8", "replace").expandtabs(4)
            width = max(1, len(span.rstrip()))
            gutter = f"{f.start.line:>5} | "
            console.print(f"[dim]{gutter}[/dim]{escape(line)}", highlight=False, soft_wrap=True)
            console.print(
                f"[dim]{' ' * (len(gutter) - 2)}| [/dim]{' ' * len(prefix)}[{style}]{'^' * width}[/{style}]",
                highlight=False,
                soft_wrap=True,
            )
    if statistics and findings:
        table = Table(title="Findings by rule", show_edge=False)
        table.add_column("count", justify="right")
        table.add_column("code")
        table.add_column("name")
        table.add_column("fixable", justify="center")
        counts = Counter((f.code, f.name) for f in findings)
        fixable = Counter(f.code for f in findings if f.fix is not None and f.fix.safe)
        for (code, name), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            table.add_row(str(n), code, name, str(fixable[code]) if fixable[code] else "")
        console.print(table)
    console.print(summary(findings, files), highlight=False, soft_wrap=True)


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

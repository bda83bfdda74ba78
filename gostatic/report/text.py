"""`--format text`: `path:line:col: CODE [name] message`, the source line with a marker under the span,
and a summary. Colour only on a terminal; NO_COLOR is honoured (rich does both).

Every piece of user text (paths, messages, source lines) goes to rich as a `Text` built by appending
plain strings, never as a markup string: rich would otherwise read `[bold]` as markup, `:fire:` as an
emoji code and `:100:` as the 💯 emoji. Consoles given here are made with `emoji=False` as well.

Where rich would write no escape code at all (not a terminal, NO_COLOR, `-o FILE`), the lines go out
through `PlainConsole` instead, byte for byte what rich writes there, without importing rich: it was a
tenth of a one-file run's start-up (a pre-commit hook, an editor's save, CI logs)."""

from __future__ import annotations

import os
from collections import Counter
from typing import TYPE_CHECKING, Any

from gostatic.lint.engine_rules import NotGoSource, UnreadableFile
from gostatic.lint.finding import Finding
from gostatic.parse.positions import LineIndex

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

_SEV_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
# a source line longer than this is cut (a minified or binary-looking file must not flood the terminal)
MAX_SOURCE_CHARS = 300
# findings about a whole file that could not be read as Go (binary, too large, unreadable): no line of
# it is worth printing, and reading a 32 MiB file to print its first "line" would be the slowest part
_WHOLE_FILE = frozenset({NotGoSource.meta.code, UnreadableFile.meta.code})

Span = tuple[str, "str | None"]  # a piece of a line and its rich style

# the control characters rich's Text drops (bell, backspace, vertical tab, form feed, carriage return)
_RICH_DROPS = dict.fromkeys(map(ord, "\x07\x08\x0b\x0c\r"))


class PlainConsole:
    """The report's console where rich would write plain text: lines as rich writes them (its control
    characters dropped, tabs expanded to 8 columns, a flush per print); anything else (the statistics
    table, a line whose tabs follow wide characters) goes to `rich`, a console made with the options the
    rich one would have had, on first use."""

    def __init__(self, file: Any, rich: Any, on_broken_pipe: Any) -> None:
        self.file = file
        self.rich = rich
        self._broken = on_broken_pipe

    @staticmethod
    def plain_for(file: Any, options: dict[str, Any]) -> bool:
        """Whether a rich Console made with `options` on `file` would write no escape codes."""
        if "color_system" in options and options["color_system"] is None:
            return True
        if any(os.environ.get(k) is not None for k in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")):
            return False  # rich's own decision: leave it to rich
        isatty = getattr(file, "isatty", None)
        try:
            return isatty is not None and not isatty()
        except ValueError:  # closed
            return False

    def line(self, text: str) -> None:
        text = text.translate(_RICH_DROPS)
        if "\t" in text:
            if not text.isascii():  # rich counts cells (a wide character takes two)
                from rich.text import Text

                self.rich.print(Text(text), highlight=False, soft_wrap=True, emoji=False, markup=False)
                return
            text = text.expandtabs(8)
        try:
            self.file.write(text + "\n")
            self.file.flush()
        except BrokenPipeError:
            self._broken()

    def print(self, obj: Any, **options: Any) -> None:
        if isinstance(obj, str):
            self.line(obj)
        else:
            self.rich.print(obj, **options)


def _emit(console: Console | PlainConsole, spans: list[Span]) -> None:
    if isinstance(console, PlainConsole):
        console.line("".join(t for t, _ in spans))
        return
    from rich.text import Text

    out = Text()
    for t, style in spans:
        out.append(t, style=style)
    console.print(out, highlight=False, soft_wrap=True, emoji=False, markup=False)


def heading(f: Finding) -> list[Span]:
    """`path:line:col: CODE [name] message [*]`, styled but never interpreted."""
    style = _SEV_STYLE[f.severity.value]
    out: list[Span] = [
        (f"{f.path}:{f.start.line}:{f.start.column}:", "bold"),
        (" ", None),
        (f.code, style),
        (" ", None),
        (f"[{f.name}]", "dim"),
        (" ", None),
        (f.message, None),
    ]
    if f.fix is not None and f.fix.safe:
        out += [(" ", None), ("[*]", "dim")]
    return out


def _printable(s: str) -> str:
    """Control characters (a binary file's, a terminal escape in a string literal) shown as `?`."""
    return "".join(c if c.isprintable() or c == " " else "?" for c in s)


def render(
    console: Console | PlainConsole,
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
        _emit(console, heading(f))
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
            _emit(console, [(gutter, "dim"), (line, None)])
            _emit(
                console,
                [(f"{' ' * (len(gutter) - 2)}| ", "dim"), (" " * len(prefix), None), ("^" * width, style)],
            )
    if statistics and findings:
        console.print(statistics_table(findings))
    if not quiet:
        _emit(console, [(summary(findings, files), None)])


def statistics_table(findings: list[Finding]) -> Table:
    """Findings per rule; "fixable" counts every finding with a fix, safe or unsafe ("N (M unsafe)")."""
    from rich.table import Table
    from rich.text import Text

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

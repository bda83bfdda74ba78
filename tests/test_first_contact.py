"""Issue 13, "First contact": every command as a user types it, on a terminal and piped, with exact
output. The tree (first_contact_tree.py) has findings on lines 100 and above, a directory with brackets
in its name, messages with colons, and source full of what rich would read as markup or emoji codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from first_contact_tree import PKG, make
from transcript import ANSI, in_pty, piped

DEEP = f"{PKG}/deep.go"
TIM005 = (
    f"{DEEP}:100:3: TIM005 [defer-in-loop] defer f.Close() inside a loop runs only when the function returns, "
    "so deferred calls and what they reference pile up with every iteration; move the loop body into a "
    "function or release explicitly at the end of the iteration\n"
)
TIM005_SRC = "  100 |         defer f.Close() // :100: [red]\n      |         ^^^^^^^^^^^^^^^\n"
ESC001 = (
    f"{DEEP}:105:2: ESC001 [global-escape] storing &names in package-level global: parameter names is moved "
    "to the heap (allocated on every call) and stays reachable until global is overwritten; store a copy "
    "of the value or reuse one object\n"
)
ESC001_SRC = "  105 |     global = &names\n      |     ^^^^^^^^^^^^^^^\n"
BOX003 = (
    f'{DEEP}:110:35: BOX003 [sprintf-simple] fmt.Sprintf("%d", n) parses a format and boxes its argument '
    "only to convert one value; use strconv.Itoa(n) [*]\n"
)
BOX003_SRC = (
    '  110 | func label(n int) string { return fmt.Sprintf("%d", n) }\n'
    "      |                                   ^^^^^^^^^^^^^^^^^^^^\n"
)
SUMMARY = "Found 3 findings (2 warnings, 1 info) in 1 file. 1 fixable with --fix.\n"
FULL = TIM005 + TIM005_SRC + ESC001 + ESC001_SRC + BOX003 + BOX003_SRC + SUMMARY
STATISTICS = (
    "             Findings by rule              \n"
    " count ┃ code   ┃ name           ┃ fixable \n"
    "━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━\n"
    "     1 │ BOX003 │ sprintf-simple │    1    \n"
    "     1 │ ESC001 │ global-escape  │         \n"
    "     1 │ TIM005 │ defer-in-loop  │         \n"
)

# (arguments, exit code, expected stdout, expected stderr): text output, the way people read it
TRANSCRIPT: list[tuple[tuple[str, ...], int, str, str]] = [
    (("check",), 1, FULL, ""),
    (("check", "./..."), 1, FULL, ""),
    (("check", "--statistics"), 1, FULL.replace(SUMMARY, STATISTICS + SUMMARY), ""),
    (("check", "--quiet"), 1, FULL.replace(SUMMARY, ""), ""),
    (("check", "--no-source"), 1, TIM005 + ESC001 + BOX003 + SUMMARY, ""),
    (("check", DEEP), 1, FULL, ""),
    (
        ("check", "--select", "TIM005", "--select", "ESC001"),
        1,
        TIM005 + TIM005_SRC + ESC001 + ESC001_SRC + "Found 2 findings (2 warnings) in 1 file.\n",
        "",
    ),
    (
        ("check", "--ignore", "TIM005", "--ignore", "ESC001"),
        0,
        BOX003 + BOX003_SRC + "Found 1 finding (1 info) in 1 file. 1 fixable with --fix.\n",
        "",
    ),
    (
        ("check", "--select", "TIM005,ESC001", "--extend-select", "BOX003", "--no-source"),
        1,
        TIM005 + ESC001 + BOX003 + SUMMARY,
        "",
    ),
    (
        ("check", "--exit-zero", "--no-source", "--fail-level", "error"),
        0,
        TIM005 + ESC001 + BOX003 + SUMMARY,
        "",
    ),
    (
        ("check", "--exclude", "pkg*"),
        0,
        "All clear: no findings in 0 files.\n",
        "gostatic: warning: no Go files found under .\n",
    ),
    (("check", "--select", "TIM001"), 0, "All clear: no findings in 1 file.\n", ""),
    (
        ("check", "--diff"),
        1,
        f'--- a/{DEEP}\n+++ b/{DEEP}\n@@ -3,6 +3,7 @@\n import (\n \t"fmt"\n \t"os"\n+\t"strconv"\n )\n \n'
        " // filler line 8: [bold]not markup[/bold] :fire:\n@@ -107,6 +108,6 @@\n \n"
        " func read() int { return len(*global) }\n \n"
        '-func label(n int) string { return fmt.Sprintf("%d", n) }\n'
        "+func label(n int) string { return strconv.Itoa(n) }\n \n"
        ' func show() { fmt.Println(":fire: [bold]") }\n',
        "",
    ),
]


# also run in colour (a terminal without NO_COLOR): the report, the statistics table, no source
COLOURED = {(), ("--statistics",), ("--no-source",)}


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make(tmp_path_factory.mktemp("first-contact"))


def _no_traceback(*texts: str) -> None:
    for t in texts:
        assert "Traceback" not in t and "Error:" not in t.replace("gostatic: error:", ""), t


@pytest.mark.parametrize(("args", "code", "out", "err"), TRANSCRIPT, ids=[" ".join(t[0]) for t in TRANSCRIPT])
def test_transcript_piped_and_on_a_terminal(
    tree: Path, args: tuple[str, ...], code: int, out: str, err: str
) -> None:
    args = (*args[:1], "--no-cache", *args[1:])
    p = piped(*args, cwd=tree)
    _no_traceback(p.out, p.err)
    assert (p.code, p.out, p.err) == (code, out, err)
    t = in_pty(*args, cwd=tree)
    _no_traceback(t.out)
    assert (t.code, t.out) == (code, err + out)  # warnings come before the report
    if args[2:] in COLOURED:
        coloured = in_pty(*args, cwd=tree, colour=True)
        assert coloured.code == code and "\x1b[" in coloured.out
        assert ANSI.sub("", coloured.out) == err + out  # colour changes nothing but colour


def test_rules_and_explain_on_a_terminal_and_piped(tree: Path) -> None:
    """Item 1: `gostatic rules` crashed (Console only imported for type checking), and so did
    `gostatic explain` on a terminal. Item 11: Go identifiers keep their case."""
    for run in (lambda *a: piped(*a, cwd=tree), lambda *a: in_pty(*a, cwd=tree), lambda *a: in_pty(*a, cwd=tree, colour=True)):  # fmt: skip
        rules = run("rules")
        _no_traceback(rules.out, rules.err)
        text = ANSI.sub("", rules.out)
        assert rules.code == 0
        assert text.startswith(" code    ┃ name                       ┃ severity ┃ on  ┃ fix    ┃ summary")
        assert (
            " TIM001  │ finalizer-on-local-address │ error    │ yes │        │ runtime.SetFinalizer on the"
            in text
        )
        page = run("explain", "TIM001")
        _no_traceback(page.out, page.err)
        text = ANSI.sub("", page.out)
        assert page.code == 0
        assert "runtime.SetFinalizer on the address of a local variable." in text
        assert "Runtime.SetFinalizer" not in text
        assert "TIM001 finalizer-on-local-address" in text
    plain = piped("explain", "TIM001", cwd=tree)
    assert plain.out.startswith("# TIM001 finalizer-on-local-address\n\n- severity: error\n")
    for code, start in (("BOX003", "fmt.Sprintf/Sprint that"), ("SUP002", "gostatic:ignore comment")):
        assert f"\n{start}" in piped("explain", code, cwd=tree).out


def test_baseline_merge_and_stdin_transcript(tree: Path, tmp_path: Path) -> None:
    work = shutil.copytree(tree, tmp_path / "w")
    b = piped("baseline", "-o", "base.json", ".", cwd=work)
    assert (b.code, b.out, b.err) == (
        0,
        "",
        "gostatic: recorded 3 findings in base.json; `gostatic check --baseline base.json` now reports only new ones\n",
    )
    c = in_pty("check", "--no-cache", "--baseline", "base.json", cwd=work)
    assert c.code == 0
    assert c.out == "All clear: no findings in 1 file.\n3 findings hidden by the baseline.\n"
    r = piped("check", "--no-cache", "--format", "json", "-o", "r.json", cwd=work)
    assert (r.code, r.out, r.err) == (1, "", "")
    twice = piped("merge", "r.json", "r.json", cwd=work)  # item 16: the same shard twice: no duplicates
    assert twice.code == 1 and json.loads(twice.out) == json.loads((work / "r.json").read_text())
    text = in_pty("merge", "--format", "text", "r.json", "r.json", cwd=work)
    assert (text.code, text.out) == (1, FULL.replace(" 1 fixable with --fix.", " 1 fixable with --fix."))
    gh = piped("merge", "--format", "github", "--exit-zero", "r.json", cwd=work)
    assert gh.code == 0 and gh.out.count("::warning file=") == 2 and gh.out.count("::notice file=") == 1
    source = (work / DEEP).read_bytes()
    s = piped("check", "--no-cache", "-", "--stdin-filename", DEEP, cwd=work, stdin=source)
    assert (s.code, s.out, s.err) == (1, FULL, "")


# ------------------------------------------------------------------------------------------ error paths
def _one_line_error(o, code: int = 2) -> str:  # type: ignore[no-untyped-def]
    _no_traceback(o.out, o.err)
    assert o.code == code, (o.out, o.err)
    lines = o.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("gostatic: error: "), o.err
    return lines[0]


def test_error_paths_are_one_line_and_exit_two(tree: Path, tmp_path: Path) -> None:
    """Items 3, 6, 8 and the issue's list: a bad path, an unwritable -o, a bad config value, a bad
    patch, baseline or report file: one line on stderr naming the file and the problem, exit 2, and no
    report on stdout (certainly not "All clear")."""
    work = shutil.copytree(tree, tmp_path / "w")
    (work / "r.json").write_text("[]")
    (work / "notes.txt").write_text("not a report: a:b\n")
    cases = {
        ("check", "nonexist.go"): "gostatic: error: nonexist.go: no such file or directory",
        ("check", "-"): "gostatic: error: `-` reads Go source from standard input: name it with --stdin-filename PATH",
        ("check", "-o", "/nonexistent/x.json"): "gostatic: error: -o /nonexistent/x.json: no such directory /nonexistent",
        ("check", "-o", PKG): f"gostatic: error: -o {PKG}: is a directory, not a file",
        ("check", "--format", "json", "-o", "/nonexistent/x.json"): "gostatic: error: -o /nonexistent/x.json: no such directory /nonexistent",
        ("baseline", "-o", "/nonexistent/b.json", "."): "gostatic: error: -o /nonexistent/b.json: no such directory /nonexistent",
        ("baseline", "-o", PKG, "."): f"gostatic: error: -o {PKG}: is a directory, not a file",
        ("merge", "-o", "/nonexistent/m.json", "r.json"): "gostatic: error: -o /nonexistent/m.json: no such directory /nonexistent",
        ("merge", "notes.txt"): "gostatic: error: merge: notes.txt: not a JSON or SARIF report (write one with `gostatic check --format json` or `--format sarif`)",
        ("merge", "missing.json"): "gostatic: error: merge: missing.json: no such file",
        ("check", "--new-from-patch", "missing.diff"): "gostatic: error: --new-from-patch: cannot read missing.diff: No such file or directory",
        ("check", "--baseline", "notes.txt"): None,
        ("check", "--config", "missing.toml"): "gostatic: error: --config: no such file missing.toml",
        ("check", "--select", "TIMX"): "gostatic: error: --select: unknown rule selector 'TIMX' (use a code such as CTX001, a family such as CTX, a name, or ALL)",
        ("check", "--go-version", "one"): None,
        ("check", "--shard", "3/2"): "gostatic: error: --shard '3/2': K must be between 1 and N (N >= 1)",
        ("explain", "NOPE001"): "gostatic: error: no rule named 'NOPE001' (see `gostatic rules`)",
    }  # fmt: skip
    for args, message in cases.items():
        o = piped(*args, cwd=work)
        line = _one_line_error(o)
        assert o.out == "", (args, o.out)
        if message is not None:
            assert line == message, args
        else:
            assert args[-1] in line, (args, line)


def test_config_errors_name_the_file_and_line(tmp_path: Path) -> None:
    """Item 6: a bad selector in `select`, or a bad code in `per-file-ignores`, names file and line."""
    make(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.gostatic]\nselect = ["TIMX"]\n')
    o = piped("check", "--no-cache", ".", cwd=tmp_path)
    assert _one_line_error(o) == (
        f"gostatic: error: {tmp_path / 'pyproject.toml'}:5: tool.gostatic.select: unknown rule selector 'TIMX' "
        "(use a code such as CTX001, a family such as CTX, a name, or ALL)"
    )
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / "gostatic.toml").write_text(
        'ignore = ["BOX003"]\n\n[per-file-ignores]\n"other/*.go" = ["NOPE9"]\n'
    )
    o = piped("check", "--no-cache", ".", cwd=tmp_path)  # the glob matches no file: still checked
    assert _one_line_error(o).startswith(
        f"gostatic: error: {tmp_path / 'gostatic.toml'}:3: per-file-ignores: "
    )
    assert "'NOPE9'" in o.err
    o = in_pty("rules", cwd=tmp_path)
    assert o.code == 2 and o.out.startswith(
        f"gostatic: error: {tmp_path / 'gostatic.toml'}:3: per-file-ignores"
    )

"""The command line as users run it: a real subprocess, real files, exit codes and outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import run_cli
from gofiles import CLEAN, DEFER_IN_LOOP, LOST_CANCEL, SET_FINALIZER


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


def test_clean_tree_exits_zero(tmp_path: Path) -> None:
    write(tmp_path, {"a.go": CLEAN})
    r = run_cli("check", ".", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no findings in 1 file" in r.stdout


def test_findings_exit_one_with_text_format(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/a.go": DEFER_IN_LOOP})
    r = run_cli("check", "./...", cwd=tmp_path)
    assert r.returncode == 1
    assert re.search(
        r"^pkg/a\.go:8:3: TIM005 \[defer-in-loop\] defer f\.Close\(\) inside a loop", r.stdout, re.M
    )
    assert "    8 | " in r.stdout and "^^^^" in r.stdout  # source line and marker
    assert "Found 1 finding (1 warning) in 1 file." in r.stdout
    assert "\x1b[" not in r.stdout  # no colour when not a terminal


def test_json_format_matches_the_interface(tmp_path: Path) -> None:
    write(tmp_path, {"a.go": DEFER_IN_LOOP, "b.go": LOST_CANCEL.replace("package p", "package p")})
    r = run_cli("check", "--format", "json", cwd=tmp_path)
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert [(d["path"], d["line"], d["code"]) for d in data] == [("a.go", 8, "TIM005"), ("b.go", 9, "CTX005")]
    keys = {"path", "line", "column", "end_line", "end_column", "code", "name", "severity", "message", "fix"}
    for d in data:
        assert set(d) == keys
        assert d["severity"] in ("error", "warning", "info")
        assert not d["message"][0].isupper() and not d["message"].endswith(".")
    assert data[0]["column"] == 3 and data[0]["end_line"] == 8 and data[0]["end_column"] == 18


def test_exit_zero_and_fail_level(tmp_path: Path) -> None:
    write(tmp_path, {"a.go": DEFER_IN_LOOP})
    assert run_cli("check", "--exit-zero", cwd=tmp_path).returncode == 0
    assert run_cli("check", "--fail-level", "error", cwd=tmp_path).returncode == 0  # only a warning
    assert run_cli("check", "--fail-level", "info", cwd=tmp_path).returncode == 1
    write(tmp_path, {"b.go": LOST_CANCEL})
    assert run_cli("check", "--fail-level", "error", cwd=tmp_path).returncode == 1  # CTX005 is an error


def test_select_and_ignore_by_code_name_family(tmp_path: Path) -> None:
    write(tmp_path, {"a.go": DEFER_IN_LOOP, "b.go": LOST_CANCEL})

    def codes(*args: str) -> list[str]:
        r = run_cli("check", "--format", "json", *args, cwd=tmp_path)
        return [d["code"] for d in json.loads(r.stdout)]

    assert codes() == ["TIM005", "CTX005"]
    assert codes("--select", "TIM") == ["TIM005"]
    assert codes("--select", "lost-cancel") == ["CTX005"]
    assert codes("--ignore", "CTX005,defer-in-loop") == []
    assert codes("--select", "ALL", "--ignore", "CTX") == ["TIM005"]


def test_unknown_selector_and_bad_flags_exit_two(tmp_path: Path) -> None:
    write(tmp_path, {"a.go": CLEAN})
    r = run_cli("check", "--select", "NOPE999", cwd=tmp_path)
    assert r.returncode == 2 and "unknown rule selector 'NOPE999'" in r.stderr
    assert run_cli("check", "--bogus", cwd=tmp_path).returncode == 2
    assert run_cli("check", "--format", "yaml", cwd=tmp_path).returncode == 2
    assert run_cli("check", "--go-version", "one.two", cwd=tmp_path).returncode == 2
    r = run_cli("check", "missing_dir", cwd=tmp_path)
    assert r.returncode == 2 and "missing_dir: no such file or directory" in r.stderr


def test_config_errors_name_file_line_and_key(tmp_path: Path) -> None:
    write(tmp_path, {"a.go": CLEAN, "gostatic.toml": 'select = ["TIM"]\nbogus-key = 1\n'})
    r = run_cli("check", cwd=tmp_path)
    assert r.returncode == 2
    assert re.search(r"gostatic\.toml:2: bogus-key: unknown key", r.stderr), r.stderr
    assert "Traceback" not in r.stderr
    write(tmp_path, {"gostatic.toml": 'severity = { TIM005 = "fatal" }\n'})
    r = run_cli("check", cwd=tmp_path)
    assert r.returncode == 2 and re.search(r"gostatic\.toml:1: severity: unknown severity 'fatal'", r.stderr)
    write(tmp_path, {"gostatic.toml": "select = [\n"})
    r = run_cli("check", cwd=tmp_path)
    assert r.returncode == 2 and "invalid TOML" in r.stderr
    write(tmp_path, {"gostatic.toml": 'go-version = "abc"\n'})
    r = run_cli("check", cwd=tmp_path)
    assert r.returncode == 2 and "go-version" in r.stderr


def test_config_discovery_nearest_wins_and_pyproject(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.gostatic]\nignore = ["TIM005"]\n',
            "a.go": DEFER_IN_LOOP,
            "sub/b.go": DEFER_IN_LOOP,
            "sub/.gostatic.toml": 'select = ["TIM005"]\n[severity]\nTIM005 = "error"\n',
        },
    )
    r = run_cli("check", "--format", "json", cwd=tmp_path)
    data = json.loads(r.stdout)
    assert [(d["path"], d["severity"]) for d in data] == [("sub/b.go", "error")]


def test_per_file_ignores_and_exclude(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "gostatic.toml": '[per-file-ignores]\n"gen/*.go" = ["TIM"]\n',
            "gen/a.go": DEFER_IN_LOOP,
            "b.go": DEFER_IN_LOOP,
        },
    )
    r = run_cli("check", "--format", "json", cwd=tmp_path)
    assert [d["path"] for d in json.loads(r.stdout)] == ["b.go"]
    write(tmp_path, {"gostatic.toml": 'exclude = ["gen"]\n'})
    r = run_cli("check", "--format", "json", cwd=tmp_path)
    assert [d["path"] for d in json.loads(r.stdout)] == ["b.go"]


def test_go_version_flag_and_gomod(tmp_path: Path) -> None:
    write(tmp_path, {"a.go": SET_FINALIZER, "go.mod": "module x\n\ngo 1.22\n"})
    assert "TIM003" not in run_cli("check", "--format", "json", cwd=tmp_path).stdout
    assert "TIM003" in run_cli("check", "--format", "json", "--go-version", "1.24", cwd=tmp_path).stdout
    write(tmp_path, {"go.mod": "module x\n\ngo 1.22\n\ntoolchain go1.24.1\n"})
    assert "TIM003" in run_cli("check", "--format", "json", cwd=tmp_path).stdout


def test_skips_vendor_testdata_hidden_and_gitignored(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "vendor/v.go": DEFER_IN_LOOP,
            "testdata/t.go": DEFER_IN_LOOP,
            ".hidden/h.go": DEFER_IN_LOOP,
            "gen/g.go": DEFER_IN_LOOP,
            ".gitignore": "gen/\n",
            "ok/o.go": DEFER_IN_LOOP,
        },
    )
    r = run_cli("check", "--format", "json", "./...", cwd=tmp_path)
    assert [d["path"] for d in json.loads(r.stdout)] == ["ok/o.go"]
    # named explicitly, a skipped directory is analysed
    r = run_cli("check", "--format", "json", "testdata", cwd=tmp_path)
    assert [d["path"] for d in json.loads(r.stdout)] == ["testdata/t.go"]
    # --force-exclude applies the excludes even to explicit files (pre-commit passes file names)
    r = run_cli(
        "check", "--format", "json", "--force-exclude", "vendor/v.go", "gen/g.go", "ok/o.go", cwd=tmp_path
    )
    assert [d["path"] for d in json.loads(r.stdout)] == ["ok/o.go"]


def test_explicit_file_reports_only_itself(tmp_path: Path) -> None:
    write(tmp_path, {"a.go": DEFER_IN_LOOP, "b.go": DEFER_IN_LOOP.replace("sizes", "sizes2")})
    r = run_cli("check", "--format", "json", "b.go", cwd=tmp_path)
    assert [d["path"] for d in json.loads(r.stdout)] == ["b.go"]


def test_suppressions_and_unused_suppression_fix(tmp_path: Path) -> None:
    src = DEFER_IN_LOOP.replace("defer f.Close()", "defer f.Close() //nolint:TIM005 // closed at exit")
    src += "\nfunc other() {\n\tx := 1 //nolint:defer-in-loop // stale\n\t_ = x\n}\n"
    write(tmp_path, {"a.go": src})
    r = run_cli("check", "--format", "json", "--select", "ALL", cwd=tmp_path)
    data = json.loads(r.stdout)
    assert [(d["line"], d["code"]) for d in data] == [(13, "SUP001")]
    assert data[0]["fix"]["edits"][0]["new_text"] == ""
    r = run_cli("check", "--diff", cwd=tmp_path)
    assert (
        r.returncode == 1
        and "-\tx := 1 //nolint:defer-in-loop // stale" in r.stdout
        and "+\tx := 1" in r.stdout
    )
    assert (tmp_path / "a.go").read_text() == src  # --diff does not write
    r = run_cli("check", "--fix", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "x := 1\n" in (tmp_path / "a.go").read_text()
    assert "fixed 1 finding in a.go" in r.stderr


def test_unsafe_fix_needs_flag(tmp_path: Path) -> None:
    plugin = Path(__file__).parent / "plugins" / "demo_plugin.py"
    write(
        tmp_path,
        {
            "gostatic.toml": f'plugins = ["{plugin}"]\nselect = ["DEMO"]\n',
            "a.go": 'package p\n\nimport str "strings"\n\nfunc f(a, b string) bool { return str.ToLower(a) == str.ToLower(b) }\n',
        },
    )
    r = run_cli("check", "--fix", "--fail-level", "info", cwd=tmp_path)
    assert r.returncode == 1 and "str.ToLower(a) ==" in (tmp_path / "a.go").read_text()
    assert "1 more with --fix --unsafe-fixes" in r.stdout
    r = run_cli("check", "--fix", "--unsafe-fixes", cwd=tmp_path)
    assert r.returncode == 0, r.stdout
    assert "return str.EqualFold(a, b)" in (tmp_path / "a.go").read_text()


def test_statistics(tmp_path: Path) -> None:
    write(tmp_path, {"a.go": DEFER_IN_LOOP, "b.go": DEFER_IN_LOOP.replace("sizes", "s2")})
    r = run_cli("check", "--statistics", "--no-source", cwd=tmp_path)
    assert re.search(r"2\s+.\s*TIM005\s+.\s*defer-in-loop", r.stdout), r.stdout


def test_rules_and_explain_come_from_metadata() -> None:
    from gostatic.lint.registry import load_rules

    r = run_cli("rules", "--format", "json")
    rows = json.loads(r.stdout)
    rules = load_rules()
    assert [row["code"] for row in rows] == [x.meta.code for x in rules]
    assert all(row["summary"] == x.meta.summary for row, x in zip(rows, rules, strict=True))
    r = run_cli("explain", "lost-cancel")
    assert r.returncode == 0 and r.stdout.startswith("# CTX005 lost-cancel")
    assert "## Why it matters" in r.stdout and "## Example" in r.stdout and "## Instead" in r.stdout
    assert run_cli("explain", "CTX005").stdout == r.stdout
    assert run_cli("explain", "NOPE001").returncode == 2
    assert "| TIM005 | `defer-in-loop` |" in run_cli("rules", "--format", "markdown").stdout


def test_generated_files_are_skipped_unless_named_or_configured(tmp_path: Path) -> None:
    gen = "// Code generated by stringer; DO NOT EDIT.\n\n" + DEFER_IN_LOOP.replace("sizes", "genSizes")
    write(tmp_path, {"a.go": DEFER_IN_LOOP, "a_gen.go": gen})
    r = run_cli("check", "--format", "json", cwd=tmp_path)
    assert [d["path"] for d in json.loads(r.stdout)] == ["a.go"]
    r = run_cli("check", "--format", "json", "a_gen.go", cwd=tmp_path)  # named explicitly: linted
    assert [d["path"] for d in json.loads(r.stdout)] == ["a_gen.go"]
    write(tmp_path, {"gostatic.toml": "include-generated = true\n"})
    r = run_cli("check", "--format", "json", cwd=tmp_path)
    assert [d["path"] for d in json.loads(r.stdout)] == ["a.go", "a_gen.go"]
    write(tmp_path, {"gostatic.toml": 'include-generated = "yes"\n'})
    r = run_cli("check", cwd=tmp_path)
    assert r.returncode == 2 and "include-generated: must be true or false" in r.stderr


def test_a_sub_command_parser_built_alone_is_the_same() -> None:
    """A run builds only its own sub-command's parser (cli.build_parser(only)): same commands listed in
    COMMANDS as the whole parser has, and for each, the same help and the same defaults."""
    import argparse

    from gostatic import cli

    def subparsers(p: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
        action = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
        return dict(action.choices)

    whole = subparsers(cli.build_parser())
    assert tuple(whole) == cli.COMMANDS
    for name in cli.COMMANDS:
        alone = subparsers(cli.build_parser(name))
        assert list(alone) == [name]
        assert alone[name].format_help() == whole[name].format_help()
        defaults = [[(a.dest, a.default, a.required) for a in p[name]._actions] for p in (alone, whole)]
        assert defaults[0] == defaults[1]

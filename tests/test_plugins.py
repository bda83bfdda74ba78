"""Third-party rules arrive through the same two doors as the built-in ones: the `gostatic.rules`
entry-point group and the `plugins` config key. Loading validates every rule."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from conftest import run_cli

from gostatic.lint.registry import RuleLoadError, load_rules, validate
from gostatic.rule import Rule, RuleMeta, Severity

PLUGIN = Path(__file__).parent / "plugins" / "demo_plugin.py"
SRC = 'package p\n\nimport "strings"\n\nfunc f(a, b string) bool { return strings.ToLower(a) == strings.ToLower(b) }\n'


def test_builtin_rules_come_from_entry_points() -> None:
    families = {r.meta.family for r in load_rules()}
    assert {"TIM", "CTX"} <= families
    assert all(
        r.__module__.startswith(("gostatic_rules.", "gostatic.lint.engine_rules")) for r in load_rules()
    )


def test_every_shipped_rule_passes_the_checks_plugins_get() -> None:
    """A run checks only plugins' rules (registry._shipped): the shipped ones are checked here."""
    rules = load_rules()
    assert len(rules) > 40
    assert [(r.__name__, p) for r in rules for p in validate(r)] == []


def test_plugin_from_config_key(tmp_path: Path) -> None:
    (tmp_path / "a.go").write_text(SRC)
    (tmp_path / "gostatic.toml").write_text(f'plugins = ["{PLUGIN}"]\nextend-select = ["DEMO001"]\n')
    r = run_cli("check", "--format", "json", "--fail-level", "info", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert [d["code"] for d in json.loads(r.stdout)] == ["DEMO001"]
    r = run_cli("rules", "--format", "json", cwd=tmp_path)
    assert "DEMO001" in [row["code"] for row in json.loads(r.stdout)]


def test_plugin_from_entry_point(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "demo_plugin_pkg").mkdir(parents=True)
    (site / "demo_plugin_pkg" / "__init__.py").write_text(PLUGIN.read_text())
    dist = site / "demo_plugin_pkg-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-plugin-pkg\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[gostatic.rules]\ndemo = demo_plugin_pkg\n")
    work = tmp_path / "work"
    work.mkdir()
    (work / "a.go").write_text(SRC)
    env = {"PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    r = run_cli("check", "--format", "json", "--select", "DEMO", cwd=work, env=env)
    assert [d["code"] for d in json.loads(r.stdout)] == ["DEMO001"], r.stderr


def test_bad_plugin_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from gostatic.rule import Rule, RuleMeta, Severity\n\n"
        "class Bad(Rule):\n    '''no sections'''\n"
        "    meta = RuleMeta(code='bad1', name='Bad Name', severity=Severity.INFO, summary='x')\n"
        "    def visit_not_a_node(self, node, ctx):\n        pass\n"
    )
    (tmp_path / "a.go").write_text(SRC)
    (tmp_path / "gostatic.toml").write_text('plugins = ["bad.py"]\n')
    r = run_cli("check", cwd=tmp_path)
    assert r.returncode == 2
    for expected in (
        "is not letters + three digits",
        "is not kebab-case",
        "'## What it finds'",
        "not_a_node",
    ):
        assert expected in r.stderr
    assert "Traceback" not in r.stderr
    (tmp_path / "gostatic.toml").write_text('plugins = ["missing.py"]\n')
    r = run_cli("check", cwd=tmp_path)
    assert r.returncode == 2 and "no such file" in r.stderr


def test_duplicate_code_is_rejected() -> None:
    class Dup(Rule):
        """
        ## What it finds
        x
        ## Why it matters
        y
        """

        meta = RuleMeta(code="TIM005", name="other-name", severity=Severity.INFO, summary="dup")

    assert validate(Dup) == []
    import types

    mod = types.ModuleType("dupmod")
    Dup.__module__ = "dupmod"
    mod.Dup = Dup  # type: ignore[attr-defined]
    sys.modules["dupmod"] = mod
    try:
        load_rules([("dupmod", None)])
    except RuleLoadError as exc:
        assert "'TIM005' is already used" in str(exc)
    else:
        raise AssertionError("a duplicate code must be rejected")
    finally:
        del sys.modules["dupmod"]


def test_a_shipped_rule_is_still_checked_against_the_installed_grammar(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Shipped rules skip the docstring and metadata checks at start-up, not the grammar's: a
    tree-sitter-go release that renamed a node type a rule visits must stop the run, not silence the
    rule."""
    import pytest

    from gostatic.lint import registry

    monkeypatch.setattr(registry, "_CACHE", {})
    installed = registry.node_kinds()
    monkeypatch.setattr(registry, "node_kinds", lambda: installed - {"assignment_statement"})
    with pytest.raises(
        RuleLoadError, match="visit_/leave_assignment_statement names no tree-sitter-go node type"
    ):
        load_rules()

"""The README's promises: its first two commands, and a rule table generated from rule metadata."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from update_readme import render_readme, render_rules_doc


def test_rule_table_is_current() -> None:
    text = (ROOT / "README.md").read_text()
    assert render_readme(text) == text, "README rule table is stale: run `python scripts/update_readme.py`"


def test_rules_doc_is_current_and_anchored() -> None:
    from gostatic.lint.explain import doc_url
    from gostatic.lint.registry import load_rules

    doc = (ROOT / "docs" / "rules.md").read_text()
    assert doc == render_rules_doc(), "docs/rules.md is stale: run `python scripts/update_readme.py`"
    for rule in load_rules():
        anchor = doc_url(rule).rsplit("#", 1)[1]
        assert f'<a id="{anchor}"></a>' in doc


def test_readme_starts_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash)\n(.*?)```", text, flags=re.S)
    commands = [ln.split("#")[0].strip() for ln in blocks[0].splitlines() if ln.split("#")[0].strip()]
    assert commands == ["bash scripts/demo.sh", "bash scripts/test.sh"]
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def test_demo_lints_the_example_tree() -> None:
    """The main job's core: the bundled example tree yields findings from several families."""
    r = subprocess.run(
        [sys.executable, "-m", "gostatic.cli", "check", "--format", "json", "./..."],
        cwd=ROOT / "examples",
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1, r.stderr
    import json

    families = {re.sub(r"\d+$", "", d["code"]) for d in json.loads(r.stdout)}
    assert len(families) >= 2, families

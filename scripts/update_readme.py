"""Regenerate the rule table in README.md and docs/rules.md from the rules' metadata (tests/test_readme.py
checks both)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from gostatic.lint.explain import rules_document, rules_markdown
from gostatic.lint.registry import load_rules

START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def render_readme(text: str) -> str:
    table = rules_markdown(load_rules())
    return re.sub(re.escape(START) + r".*?" + re.escape(END), f"{START}\n{table}{END}", text, flags=re.S)


def render_rules_doc() -> str:
    return rules_document(load_rules())


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    readme, rules_doc = root / "README.md", root / "docs" / "rules.md"
    new_readme, new_doc = render_readme(readme.read_text()), render_rules_doc()
    if "--check" in sys.argv:
        current = rules_doc.read_text() if rules_doc.exists() else ""
        sys.exit(0 if new_readme == readme.read_text() and new_doc == current else 1)
    readme.write_text(new_readme)
    rules_doc.write_text(new_doc)

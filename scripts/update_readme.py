"""Regenerate the rule table in README.md from the rules' metadata (tests/test_readme.py checks it)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from gostatic.explain import rules_markdown
from gostatic.registry import load_rules

START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def render_readme(text: str) -> str:
    table = rules_markdown(load_rules())
    return re.sub(re.escape(START) + r".*?" + re.escape(END), f"{START}\n{table}{END}", text, flags=re.S)


if __name__ == "__main__":
    readme = Path(__file__).resolve().parent.parent / "README.md"
    new = render_readme(readme.read_text())
    if "--check" in sys.argv:
        sys.exit(0 if new == readme.read_text() else 1)
    readme.write_text(new)

"""The layout shows the pipeline: each stage of `gostatic/` imports only the stages below it, the rules
import only the rule API, the analyses and the parse stage, and no module imports another in a cycle.

Imports are read with `ast`, at module level and inside functions alike (a late import is still a
dependency); imports under `if TYPE_CHECKING:` are type hints only and are left out."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "gostatic"
RULES = ROOT / "rules"

# stage -> the stages it may import (besides itself). `gostatic` is the package root (__version__), and
# `gostatic.rule` is the stable plugin API, a re-export of lint's.
ALLOWED: dict[str, set[str]] = {
    "root": set(),
    "parse": {"root"},
    "analysis": {"root", "parse"},
    "lint": {"root", "parse", "analysis"},
    "api": {"lint"},
    "run": {"root", "parse", "analysis", "lint"},
    "review": {"root", "parse", "lint", "run"},
    "impact": {"root", "parse", "analysis", "lint", "run"},
    "report": {"root", "parse", "lint", "run", "review", "impact"},
    "lsp": {"root", "parse", "analysis", "lint", "run", "review", "report", "impact"},
    "cli": {"root", "parse", "analysis", "lint", "run", "review", "report", "lsp", "impact"},
    "rules": {"api", "parse", "analysis"},
}


def module_name(path: Path) -> str:
    if path.is_relative_to(RULES):
        rel = path.relative_to(RULES).with_suffix("")
        return ".".join(("gostatic_rules", *rel.parts)).removesuffix(".__init__")
    rel = path.relative_to(ROOT).with_suffix("")
    return ".".join(rel.parts).removesuffix(".__init__")


def stage_of(module: str) -> str:
    if module.startswith("gostatic_rules"):
        return "rules"
    parts = module.split(".")
    if module == "gostatic":
        return "root"
    if module == "gostatic.rule":
        return "api"
    if module in ("gostatic.cli", "gostatic.entry"):  # entry: the command's first lines, then cli
        return "cli"
    return parts[1]


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The gostatic modules `path` imports (`from gostatic.x import y` counts `gostatic.x.y` when that
    is a module, else `gostatic.x`)."""
    out: set[str] = set()
    tree = ast.parse(path.read_text(), str(path))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _type_checking_only(node):
            skip.update(id(n) for b in node.body for n in ast.walk(b))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] in ("gostatic", "gostatic_rules"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] not in ("gostatic", "gostatic_rules"):
                continue
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                out.add(sub if sub in known else node.module)
    return out


def graph() -> dict[str, set[str]]:
    files = [*ENGINE.rglob("*.py"), *RULES.rglob("*.py")]
    known = {module_name(p) for p in files}
    return {module_name(p): imports_of(p, known) & known for p in files}


def test_every_module_belongs_to_a_stage() -> None:
    for module in graph():
        assert stage_of(module) in ALLOWED, f"{module} is in no stage: add it to a stage's package"


def test_no_upward_imports() -> None:
    bad = []
    for module, deps in graph().items():
        here = stage_of(module)
        for dep in deps:
            there = stage_of(dep)
            # a package's own __init__ may import its modules; a stage may import itself
            if there != here and there not in ALLOWED[here]:
                bad.append(f"{module} ({here}) imports {dep} ({there})")
    assert not bad, "imports against the pipeline's direction:\n" + "\n".join(sorted(bad))


def test_no_import_cycles() -> None:
    g = graph()
    # Parent packages are imported implicitly before their modules; only written imports are edges.
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        path.append(node)
        for dep in sorted(g.get(node, ())):
            if dep == node:
                continue
            if state.get(dep) == 1:
                cycles.append([*path[path.index(dep) :], dep])
            elif dep not in state:
                visit(dep, path)
        path.pop()
        state[node] = 2

    for module in sorted(g):
        if module not in state:
            visit(module, [])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_checker_sees_a_cycle_and_an_upward_import(tmp_path: Path) -> None:
    """The two checks above must be able to fail: a fake upward import and a fake cycle are caught."""
    a = tmp_path / "a.py"
    a.write_text("from gostatic.run import runner\nimport gostatic.lint.rule\n")
    assert imports_of(a, {"gostatic.run.runner", "gostatic.lint.rule"}) == {
        "gostatic.run.runner",
        "gostatic.lint.rule",
    }
    hinted = tmp_path / "b.py"
    hinted.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from gostatic.run import runner\n"
    )
    assert imports_of(hinted, {"gostatic.run.runner"}) == set()
    assert "run" not in ALLOWED[stage_of("gostatic.lint.context")]


def test_plugin_api_is_stable() -> None:
    import gostatic.rule as api
    from gostatic.lint import rule as lint_rule

    for name in api.__all__:
        assert getattr(api, name) is getattr(lint_rule, name)

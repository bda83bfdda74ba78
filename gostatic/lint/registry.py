"""Finding rules: built-in and third-party rules arrive the same way, through the `gostatic.rules`
entry-point group or a `plugins = [...]` module path, and are checked before they may run."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from gostatic.lint.dispatch import node_types_of
from gostatic.lint.engine_rules import ENGINE_RULES
from gostatic.lint.rule import Rule
from gostatic.parse.syntax import node_kinds

ENTRY_POINT_GROUP = "gostatic.rules"
REQUIRED_SECTIONS = ("## What it finds", "## Why it matters")


class RuleLoadError(Exception):
    """A rule module that cannot be imported or a rule that breaks the rule contract."""


def rules_in_module(module: ModuleType) -> list[type[Rule]]:
    found = []
    for _, obj in inspect.getmembers(module, inspect.isclass):
        if (
            issubclass(obj, Rule)
            and obj is not Rule
            and obj.__module__ == module.__name__
            and hasattr(obj, "meta")
        ):
            found.append(obj)
    return sorted(found, key=lambda r: r.meta.code)


def _load_plugin(spec: str, base: Path | None) -> ModuleType:
    if spec.endswith(".py") or "/" in spec or "\\" in spec:
        path = Path(spec)
        if not path.is_absolute() and base is not None:
            path = base / path
        if not path.is_file():
            raise RuleLoadError(f"plugin {spec!r}: no such file {path}")
        name = f"gostatic_plugin_{abs(hash(str(path.resolve())))}"
        if name in sys.modules:
            return sys.modules[name]
        mspec = importlib.util.spec_from_file_location(name, path)
        if mspec is None or mspec.loader is None:
            raise RuleLoadError(f"plugin {spec!r}: cannot load {path}")
        module = importlib.util.module_from_spec(mspec)
        sys.modules[name] = module
        try:
            mspec.loader.exec_module(module)
        except Exception as exc:
            del sys.modules[name]
            raise RuleLoadError(f"plugin {spec!r}: {type(exc).__name__}: {exc}") from exc
        return module
    try:
        return importlib.import_module(spec)
    except Exception as exc:
        raise RuleLoadError(f"plugin {spec!r}: {type(exc).__name__}: {exc}") from exc


def entry_point_modules() -> list[tuple[str, object]]:
    out = []
    found = _scan_entry_points(ENTRY_POINT_GROUP)
    if found is None:  # an installation this scan does not read: ask importlib.metadata
        import importlib.metadata

        found = [(ep.name, ep.value) for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)]
    for name, value in found:
        try:
            out.append((f"entry point {name} ({value})", _load_entry_point(value)))
        except Exception as exc:
            raise RuleLoadError(f"entry point {name} ({value}): {type(exc).__name__}: {exc}") from exc
    return out


def _load_entry_point(value: str) -> object:
    """`module` or `module:attr.attr` (extras `[...]` ignored), as importlib.metadata's EntryPoint.load
    reads it."""
    module_name, _, attrs_ = value.split("[", 1)[0].partition(":")
    obj: object = importlib.import_module(module_name.strip())
    for part in filter(None, attrs_.strip().split(".")):
        obj = getattr(obj, part)
    return obj


def _scan_entry_points(group: str) -> list[tuple[str, str]] | None:
    """(name, value) of `group`'s entry points in the distributions on sys.path, read as
    importlib.metadata reads them (a `*.dist-info` or `*.egg-info` directory per distribution, the first
    on the path winning for a name, `entry_points.txt` an INI file), without importing it: with the email
    and zip modules it needs, importlib.metadata was a tenth of a one-file run's start-up. None when
    something else can hold distributions (a zip on sys.path, a meta-path finder that lists its own)."""
    from importlib.machinery import PathFinder

    if any(hasattr(f, "find_distributions") and f is not PathFinder for f in sys.meta_path):
        return None
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for entry in sys.path:
        directory = entry or "."
        try:
            names = sorted(os.listdir(directory))
        except NotADirectoryError:
            return None  # a zip archive
        except OSError:
            continue
        for name in names:
            if not name.lower().endswith((".dist-info", ".egg-info")):
                continue
            dist = re.sub(r"[-_.]+", "_", name.rpartition(".")[0].partition("-")[0]).lower()
            if dist in seen:
                continue
            seen.add(dist)
            try:
                with open(os.path.join(directory, name, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            out.extend(_section(text, group))
    return out


def _section(text: str, group: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
        elif current == group and "=" in line:
            name, _, value = line.partition("=")
            out.append((name.strip(), value.strip()))
    return out


def validate(rule: type[Rule], kinds: frozenset[str] | None = None) -> list[str]:
    kinds = kinds or node_kinds()
    problems = [f"{rule.__name__}: {p}" for p in rule.meta.problems()]
    doc = inspect.getdoc(rule) or ""
    for section in REQUIRED_SECTIONS:
        if section not in doc:
            problems.append(f"{rule.__name__}: docstring lacks a '{section}' section")
    return problems + grammar_problems(rule, kinds)


def grammar_problems(rule: type[Rule], kinds: frozenset[str]) -> list[str]:
    """The rule's visit_/leave_ methods that name no node type of the installed grammar (a release that
    renamed one would leave the rule silently finding nothing). Checked for every rule at every load,
    shipped ones included: the method table is the dispatcher's, worked out once per class anyway."""
    return [
        f"{rule.__name__}: visit_/leave_{kind} names no tree-sitter-go node type"
        for kind in node_types_of(rule)
        if kind not in kinds
    ]


_CACHE: dict[tuple[str, ...], list[type[Rule]]] = {}


def _shipped(rule: type[Rule]) -> bool:
    """A rule that comes with gostatic: its metadata and docstring are checked by the test suite
    (tests/test_plugins.py validates every one), not again by every run's start-up (~1.5 ms); only its
    node types are, against the grammar installed. Plugins and other distributions' entry points are
    checked whole before they may run."""
    return rule.__module__.partition(".")[0] in ("gostatic", "gostatic_rules")


def load_rules(plugins: Iterable[tuple[str, Path | None]] = ()) -> list[type[Rule]]:
    """Engine rules, entry-point rules and the given plugins, validated and sorted by code."""
    plugin_list = list(plugins)
    key = tuple(f"{s}@{b}" for s, b in plugin_list)
    if key in _CACHE:
        return _CACHE[key]
    sources: list[tuple[str, object]] = entry_point_modules()
    for spec, base in plugin_list:
        sources.append((f"plugin {spec}", _load_plugin(spec, base)))
    rules: list[type[Rule]] = list(ENGINE_RULES)
    for origin, obj in sources:
        if isinstance(obj, ModuleType):
            found = rules_in_module(obj)
        elif inspect.isclass(obj) and issubclass(obj, Rule):
            found = [obj]
        else:
            raise RuleLoadError(f"{origin}: is neither a module nor a Rule class")
        for r in found:
            if r not in rules:
                rules.append(r)
    kinds = node_kinds()
    problems: list[str] = []
    codes: dict[str, type[Rule]] = {}
    names: dict[str, type[Rule]] = {}
    for r in rules:
        problems.extend(grammar_problems(r, kinds) if _shipped(r) else validate(r, kinds))
        for table, key_ in ((codes, r.meta.code), (names, r.meta.name)):
            other = table.get(key_)
            if other is not None and other is not r:
                problems.append(f"{r.__name__}: {key_!r} is already used by {other.__name__}")
            table[key_] = r
    if problems:
        raise RuleLoadError("invalid rules:\n  " + "\n  ".join(problems))
    rules.sort(key=lambda r: r.meta.code)
    _CACHE[key] = rules
    return rules


def find_rule(rules: list[type[Rule]], code_or_name: str) -> type[Rule] | None:
    needle = code_or_name.strip()
    for r in rules:
        if r.meta.code.lower() == needle.lower() or r.meta.name == needle.lower():
            return r
    return None

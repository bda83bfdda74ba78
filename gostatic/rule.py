"""The public API a rule (built-in or plugin) is written against: `from gostatic.rule import Rule, ...`.

The classes live in the lint stage (`gostatic.lint`); this module keeps the import path that plugins and
the built-in rules use stable whatever the engine's layout."""

from gostatic.lint.rule import (
    Edit,
    FileContext,
    Fix,
    Node,
    PackageContext,
    PerFunctionRule,
    Rule,
    RuleMeta,
    Severity,
    callee_names,
    insert_line_after,
)

__all__ = [
    "Edit",
    "FileContext",
    "Fix",
    "Node",
    "PackageContext",
    "PerFunctionRule",
    "Rule",
    "RuleMeta",
    "Severity",
    "callee_names",
    "insert_line_after",
]

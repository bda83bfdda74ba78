"""The public API a rule (built-in or plugin) is written against.

A rule is a class with a frozen `meta` and `visit_<node_type>` / `leave_<node_type>` methods; the engine
finds the node types it asks for and calls it in document order. Package-wide facts are gathered in
visits and reported from `finish_package`.
"""

from __future__ import annotations

from typing import ClassVar

from gostatic.lint.context import FileContext, PackageContext
from gostatic.lint.finding import Edit, Fix, Severity
from gostatic.lint.fixes import insert_line_after
from gostatic.lint.meta import RuleMeta
from gostatic.parse.syntax import Node

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


class Rule:
    """Base class of every rule. One instance per package run, so instance state is per package."""

    meta: ClassVar[RuleMeta]

    # Cheap pre-filters, applied by the dispatcher before any visit (and before the hot-context check of
    # a `hot_only` rule), so that resolution and types are only paid for on candidate nodes:
    #   calls - the callee names (the identifier, or the selector's field, that a call is written with)
    #           this rule's visit_call_expression can act on; None: every call. `callee_names` derives
    #           them from qualified targets. An instance may narrow it in begin_package (per package).
    #   requires_text - the rule runs on a file only if its source contains one of these byte strings.
    calls: frozenset[str] | None = None
    requires_text: ClassVar[tuple[bytes, ...]] = ()
    # a `hot_only` rule that tests cheaper conditions first and then calls ctx.is_hot itself, so the
    # dispatcher does not ask for every node it visits
    checks_hot_itself: ClassVar[bool] = False
    # node kinds the rule reads from the file's census (`ctx.index.census(file)`) instead of visiting
    # them, so that the file's one query captures them too
    census_kinds: ClassVar[frozenset[str]] = frozenset()
    # Whether findings depend on other files of the package (so the rule must see every file, even
    # those not reported on, and the LSP's quick per-file tier leaves it to the full run). None: a rule
    # that overrides finish_package is taken to be package-level.
    package_level: ClassVar[bool | None] = None

    @classmethod
    def is_package_level(cls) -> bool:
        if cls.package_level is not None:
            return cls.package_level
        return cls.finish_package is not Rule.finish_package

    def begin_package(self, pkg: PackageContext) -> None:
        """Called before the first file of a package."""

    def finish_package(self, pkg: PackageContext) -> None:
        """Called after every file of the package was visited; report package-wide findings here."""

    @classmethod
    def node_types(cls) -> dict[str, tuple[bool, bool]]:
        """node type -> (has visit_, has leave_)"""
        out: dict[str, tuple[bool, bool]] = {}
        for attr in dir(cls):
            for prefix, pos in (("visit_", 0), ("leave_", 1)):
                if attr.startswith(prefix) and callable(getattr(cls, attr)):
                    kind = attr[len(prefix) :]
                    v, lv = out.get(kind, (False, False))
                    out[kind] = (v or pos == 0, lv or pos == 1)
        return out


def callee_names(*targets: str) -> frozenset[str]:
    """The names calls to these targets are written with: `Info` for "log/slog.Info", `Value` for
    "context.Context.Value", `append` for the builtin."""
    return frozenset(t.rpartition(".")[2] for t in targets)


class PerFunctionRule(Rule):
    """A rule that looks at each function body once: declarations, methods and func literals alike."""

    def check_function(self, fn: Node, ctx: FileContext) -> None:
        raise NotImplementedError

    def visit_function_declaration(self, node: Node, ctx: FileContext) -> None:
        self.check_function(node, ctx)

    def visit_method_declaration(self, node: Node, ctx: FileContext) -> None:
        self.check_function(node, ctx)

    def visit_func_literal(self, node: Node, ctx: FileContext) -> None:
        self.check_function(node, ctx)

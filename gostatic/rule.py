"""The public API a rule (built-in or plugin) is written against.

A rule is a class with a frozen `meta` and `visit_<node_type>` / `leave_<node_type>` methods; the engine
finds the node types it asks for and calls it in document order. Package-wide facts are gathered in
visits and reported from `finish_package`.
"""

from __future__ import annotations

import re
from typing import ClassVar

import attrs

from gostatic.context import FileContext, PackageContext
from gostatic.finding import Edit, Fix, Severity
from gostatic.syntax import Node

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
]

_CODE = re.compile(r"^[A-Z]{2,6}\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_VERSION_RANGE = re.compile(r"^(<|<=|>=|>)\s*1\.\d+$")


@attrs.frozen
class RuleMeta:
    code: str
    name: str
    severity: Severity
    summary: str
    default_on: bool = True
    needs_imports: tuple[str, ...] = ()
    hot_only: bool = False
    go: str | None = None  # a version range such as "<1.23"; None: every version
    fix: str | None = None  # "safe", "unsafe", or None when the rule offers no fix
    bad: str = ""
    good: str = ""

    @property
    def family(self) -> str:
        return re.sub(r"\d+$", "", self.code)

    def problems(self) -> list[str]:
        out = []
        if not _CODE.match(self.code):
            out.append(f"code {self.code!r} is not letters + three digits")
        if not _NAME.match(self.name):
            out.append(f"name {self.name!r} is not kebab-case")
        if self.go is not None and not _VERSION_RANGE.match(self.go):
            out.append(f"go range {self.go!r} is not like '<1.23' or '>=1.24'")
        if self.fix not in (None, "safe", "unsafe"):
            out.append(f"fix {self.fix!r} must be 'safe', 'unsafe' or None")
        if not self.summary:
            out.append("summary is empty")
        return out

    def applies_to(self, version: tuple[int, int]) -> bool:
        if self.go is None:
            return True
        m = re.match(r"^(<=|>=|<|>)\s*(\d+)\.(\d+)$", self.go)
        assert m is not None
        bound = (int(m.group(2)), int(m.group(3)))
        return {
            "<": version < bound,
            "<=": version <= bound,
            ">": version > bound,
            ">=": version >= bound,
        }[m.group(1)]


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

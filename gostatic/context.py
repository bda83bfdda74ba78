"""What a rule sees while it runs: the file, its package, the shared analyses, and `report`.

Every question a rule asks goes through here, so each is answered by one mechanism (scopes, types,
hot context, data flow) and cached for all rules of the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from gostatic import flow
from gostatic.finding import Finding, Fix, Position, Severity
from gostatic.index import PackageIndex, SourceFile
from gostatic.positions import LineIndex
from gostatic.scopes import Binding, Resolver, resolver_for
from gostatic.syntax import FUNCTION_TYPES, Node, call_args, text, unparen
from gostatic.types import GoType

if TYPE_CHECKING:
    from gostatic.rule import Rule, RuleMeta


class FileContext:
    def __init__(self, file: SourceFile, index: PackageIndex, hot_functions: Iterable[str] = ()) -> None:
        self.file = file
        self.index = index
        self.source = file.source
        self.resolver: Resolver = resolver_for(index, file)
        self.hot_functions = tuple(hot_functions)
        self.findings: list[Finding] = []
        self.current_rule: Rule | None = None
        self._lines: LineIndex | None = None
        self._hot: dict[int, str | None] = {}

    # ------------------------------------------------------------------------------ basics
    @property
    def go_version(self) -> tuple[int, int]:
        return self.file.go_version

    def go_at_least(self, major: int, minor: int) -> bool:
        return self.file.go_version >= (major, minor)

    def text(self, node: Node | None) -> str:
        return "" if node is None else text(node).decode("utf-8", "replace")

    def imports(self, path: str) -> bool:
        return path in self.file.imports.paths

    def qualifier(self, path: str) -> str | None:
        """How this file spells the package `path`: "strings.", "str.", "" (dot import), or None."""
        name = self.file.imports.local_name(path)
        if name is not None:
            return name + "."
        if path in self.file.imports.dot:
            return ""
        return None

    # ------------------------------------------------------------------------------ names & types
    def resolve(self, ident: Node | None) -> Binding | None:
        ident = unparen(ident)
        if ident is None or ident.type != "identifier":
            return None
        return self.resolver.resolve(ident)

    def type_of(self, expr: Node | None) -> GoType | None:
        return self.resolver.type_of(expr)

    def underlying(self, t: GoType | None) -> GoType | None:
        return self.index.underlying(t)

    def is_constant(self, expr: Node | None) -> bool:
        return self.resolver.is_constant(expr)

    def call_target(self, call: Node | None) -> str | None:
        """`strings.ToLower` (import path + name, through any alias), a builtin's name (`append`),
        or `pkg.Type.Method` / `LocalType.Method` for a method on a receiver of known type; else None."""
        call = unparen(call)
        if call is None or call.type != "call_expression":
            return None
        fn = unparen(call.child_by_field_name("function"))
        if fn is None:
            return None
        if fn.type == "identifier":
            b = self.resolver.resolve(fn)
            if b is not None and b.kind == "builtin":
                return b.name
            return None
        if fn.type != "selector_expression":
            return None
        operand = unparen(fn.child_by_field_name("operand"))
        field = fn.child_by_field_name("field")
        if operand is None or field is None:
            return None
        fname = text(field).decode()
        if operand.type == "identifier":
            b = self.resolver.resolve(operand)
            if b is not None and b.kind == "import":
                return f"{b.import_path}.{fname}"
        t = self.type_of(operand)
        if t is None:
            return None
        base = t.deref()
        if base.kind == "named":
            return f"{base.qualified}.{fname}"
        return None

    def local_function(self, call: Node) -> Node | None:
        """The declaration of a same-package function called by `call`, if that is what it calls."""
        fn = unparen(call.child_by_field_name("function"))
        if fn is None or fn.type != "identifier":
            return None
        b = self.resolver.resolve(fn)
        if b is None or b.kind != "func":
            return None
        decl = self.index.funcs.get(b.name)
        return decl.node if decl is not None else None

    def receiver(self, call: Node) -> Node | None:
        """`x` in `x.M(...)`."""
        fn = unparen(call.child_by_field_name("function"))
        if fn is None or fn.type != "selector_expression":
            return None
        return unparen(fn.child_by_field_name("operand"))

    def method_name(self, call: Node) -> str | None:
        fn = unparen(call.child_by_field_name("function"))
        if fn is None or fn.type != "selector_expression":
            return None
        field = fn.child_by_field_name("field")
        return None if field is None else text(field).decode()

    def args(self, call: Node) -> list[Node]:
        return call_args(call)

    def single_arg(self, call: Node | None) -> Node | None:
        call = unparen(call)
        if call is None or call.type != "call_expression":
            return None
        args = call_args(call)
        return args[0] if len(args) == 1 else None

    # ------------------------------------------------------------------------------ shared analyses
    def enclosing_function(self, node: Node) -> Node | None:
        p = node.parent
        while p is not None and p.type not in FUNCTION_TYPES:
            p = p.parent
        return p

    def enclosing_loop(self, node: Node) -> Node | None:
        return flow.enclosing_loop(node)

    def hot_reason(self, node: Node) -> str | None:
        """Why `node` is hot ("in a loop", "in an HTTP handler", ...) or None."""
        key = node.id
        if key not in self._hot:
            self._hot[key] = flow.hot_reason(node, self.resolver, self.hot_functions)
        return self._hot[key]

    def is_hot(self, node: Node) -> bool:
        return self.hot_reason(node) is not None

    def references(self, binding: Binding) -> list[Node]:
        return self.resolver.references(binding)

    def uses_after(self, binding: Binding, position: int) -> list[Node]:
        return flow.uses_after(binding, self.resolver, position)

    def escapes(self, binding: Binding) -> list[flow.Escape]:
        return flow.escapes(binding, self.resolver)

    def exits_without_call(self, stmt: Node, is_call: Callable[[Node], bool]) -> list[Node]:
        """Returns (or the function, for falling off its end) reachable after `stmt` with no matching call."""
        return flow.PathChecker(self.resolver, is_call).exits_without_call(stmt)

    def statement_of(self, node: Node) -> Node:
        """The statement that contains `node` (the node itself when it is one)."""
        cur = node
        while cur.parent is not None and not (
            cur.type.endswith("_statement") or cur.type.endswith("_declaration")
        ):
            cur = cur.parent
        return cur

    # ------------------------------------------------------------------------------ reporting
    def position(self, offset: int) -> Position:
        if self._lines is None:
            self._lines = LineIndex(self.source)
        return self._lines.position(offset)

    def report(
        self,
        node: Node,
        message: str,
        *,
        fix: Fix | None = None,
        severity: Severity | None = None,
        end: Node | None = None,
        rule: Rule | None = None,
    ) -> None:
        rule = rule or self.current_rule
        assert rule is not None, "report() outside of a rule callback needs rule="
        self.add(rule.meta, node.start_byte, (end or node).end_byte, message, fix=fix, severity=severity)

    def add(
        self,
        meta: RuleMeta,
        start_byte: int,
        end_byte: int,
        message: str,
        *,
        fix: Fix | None = None,
        severity: Severity | None = None,
    ) -> None:
        self.findings.append(
            Finding(
                path=self.file.display,
                start=self.position(start_byte),
                end=self.position(end_byte),
                start_byte=start_byte,
                end_byte=end_byte,
                code=meta.code,
                name=meta.name,
                severity=severity or meta.severity,
                message=message,
                fix=fix,
            )
        )


class PackageContext:
    """The package being analysed, for `begin_package` / `finish_package`."""

    def __init__(self, index: PackageIndex, files: list[FileContext]) -> None:
        self.index = index
        self.files = files

    def context_for(self, file: SourceFile) -> FileContext:
        return next(fc for fc in self.files if fc.file is file)

    @property
    def non_test_files(self) -> list[FileContext]:
        return [fc for fc in self.files if not fc.file.is_test]

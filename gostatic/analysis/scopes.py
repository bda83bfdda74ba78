"""Best-effort name resolution and type guesses for one file.

Answers two questions for every rule: "what is this identifier bound to" and "what is the type of this
expression, when the source states it". Tables are built lazily, once per top-level function, by one
walk of that function. When the answer is not certain the result is None: rules stay silent on None.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

import attrs

from gostatic.analysis import stdlib
from gostatic.analysis.depth import unknown_when_too_deep
from gostatic.analysis.index import IDENT_BYTES, FuncDecl, PackageIndex, SourceFile, spelled, type_from_node
from gostatic.analysis.types import BUILTIN_TYPES, GoType
from gostatic.parse.census import DECLARATION_KINDS
from gostatic.parse.newexpr import TYPE_KINDS
from gostatic.parse.syntax import (
    FUNCTION_TYPES,
    Node,
    call_args,
    expression_list,
    text,
    unparen,
)

SCOPE_TYPES = frozenset(
    {
        "block",
        "for_statement",
        "if_statement",
        "expression_switch_statement",
        "type_switch_statement",
        "select_statement",
        "expression_case",
        "type_case",
        "default_case",
        "communication_case",
        "func_literal",
        "function_declaration",
        "method_declaration",
    }
)
BUILTIN_FUNCS = frozenset(
    {
        "append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make", "max", "min",
        "new", "panic", "print", "println", "real", "recover",
    }
)  # fmt: skip
COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">=", "&&", "||"})
UNTYPED_DEFAULT = {"int": "int", "float": "float64", "rune": "rune", "string": "string", "bool": "bool"}
_LITERAL_KINDS = {
    "int_literal": "int",
    "float_literal": "float",
    "imaginary_literal": "complex",
    "rune_literal": "rune",
    "interpreted_string_literal": "string",
    "raw_string_literal": "string",
    "true": "bool",
    "false": "bool",
    "nil": "nil",
}


@attrs.define(eq=False, repr=False)
class Binding:
    """What a name refers to. kind: local, param, result, receiver, package_var, package_const, func,
    type, import, builtin."""

    name: str
    kind: str
    ident: Node | None = None
    decl: Node | None = None
    scope: Node | None = None
    visible_from: int = 0
    type_node: Node | None = None
    value: Node | None = None
    value_index: int = 0
    value_count: int = 1
    is_const: bool = False
    variadic: bool = False
    import_path: str | None = None
    file: SourceFile | None = None

    @property
    def is_local(self) -> bool:
        return self.kind in ("local", "param", "result", "receiver")

    @property
    def is_package_level(self) -> bool:
        return self.kind in ("package_var", "package_const", "func", "type")


_UNSET = object()


class Resolver:
    """Scopes and types for one file of an indexed package."""

    def __init__(self, file: SourceFile, index: PackageIndex) -> None:
        self.file = file
        self.index = index
        self.imports = file.imports
        self._tables: dict[int, dict[str, list[Binding]]] = {}
        self._decl_at: dict[int, Binding] = {}
        self._types: dict[int, GoType | object | None] = {}
        self._bind_types: dict[int, GoType | object | None] = {}
        self._refs: dict[int, list[Node]] = {}
        self._pkg_bindings: dict[str, Binding | None] = {}
        self._top_decls: list[Node] = []
        self._top_starts: list[int] | None = None
        self._resolved: dict[int, Binding | None] = {}  # identifier node id -> resolve()
        self._qualifies: dict[tuple[int, bytes], bool] = {}  # (function id, name) -> _only_qualifies

    # ---------------------------------------------------------------------------------- resolution
    def resolve(self, ident: Node) -> Binding | None:
        """The binding an identifier refers to, or None when the name is unknown. Memoised per node:
        the tables it consults are complete once built, and many rules ask about the same names."""
        key = ident.id
        try:
            return self._resolved[key]
        except KeyError:
            pass
        result = self._resolved[key] = self._resolve(ident)
        return result

    def _resolve(self, ident: Node) -> Binding | None:
        word = text(ident)
        name = word.decode("utf-8", "replace")
        root = self.top_function(ident)
        if root is not None and (root.id in self._tables or not self._only_qualifies(root, word)):
            table = self._table(root)
            hit = self._decl_at.get(ident.start_byte)
            if hit is not None and hit.name == name:
                return hit
            best: Binding | None = None
            best_key: tuple[int, int, int] | None = None
            pos = ident.start_byte
            for b in table.get(name, ()):
                s = b.scope
                if s is None or not (s.start_byte <= pos < s.end_byte) or b.visible_from > pos:
                    continue
                key = (s.start_byte, -s.end_byte, b.visible_from)
                if best_key is None or key > best_key:
                    best, best_key = b, key
            if best is not None:
                return best
        return self.resolve_package_name(name)

    def _only_qualifies(self, root: Node, word: bytes) -> bool:
        """Whether every identifier spelled `word` in `root`'s bytes is followed by a selector's `.` (on
        its line; not `...`): `fmt.Sprintf(...)`, `x.(T)`. A name declared in a function is followed by
        something else where it is declared (`x :=`, `x,`, `x T`, `x (T)`, `x ...T`, `x:`), so then no
        local can shadow it and the package-level answer needs no scope table: the first `fmt.X` of a
        function (the commonest question, from `call_target`) no longer builds the function's table.
        Conservative: any other spelling, in a comment or string too, and the table is built as before."""
        key = (root.id, word)
        known = self._qualifies.get(key)
        if known is not None:
            return known
        src, end = self.file.source, root.end_byte
        answer = True
        i = src.find(word, root.start_byte, end)
        while i >= 0:
            j = i + len(word)
            if (i == 0 or src[i - 1] not in IDENT_BYTES) and (j == len(src) or src[j] not in IDENT_BYTES):
                while j < end and src[j] in b" \t":
                    j += 1
                if j + 1 >= end or src[j] != 0x2E or src[j + 1] == 0x2E:  # "." but not "..."
                    answer = False
                    break
            i = src.find(word, j, end)
        self._qualifies[key] = answer
        return answer

    def top_function(self, node: Node) -> Node | None:
        """The outermost function-like node containing `node` (see `_top_function`). A top-level
        function or method is found by bisecting the file's declarations: climbing `.parent` costs a
        descent from the root per step in tree-sitter, and this is asked for every identifier."""
        if self._top_starts is None:
            self._top_decls = self.file.tree.root_node.named_children
            self._top_starts = [d.start_byte for d in self._top_decls]
        i = bisect_right(self._top_starts, node.start_byte) - 1
        if i >= 0:
            d = self._top_decls[i]
            if (
                d.type in ("function_declaration", "method_declaration")
                and d.start_byte <= node.start_byte
                and node.end_byte <= d.end_byte
                and node != d
            ):
                return d
        return _top_function(node)

    def resolve_package_name(self, name: str) -> Binding | None:
        """One Binding object per package-level name and file: caches keyed by id(binding) (types,
        references) must never see the id of a freed temporary Binding reused by another one."""
        if name not in self._pkg_bindings:
            self._pkg_bindings[name] = self._package_binding(name)
        return self._pkg_bindings[name]

    def _package_binding(self, name: str) -> Binding | None:
        idx = self.index
        if name in idx.values:
            v = idx.values[name]
            kind = "package_const" if v.is_const else "package_var"
            return Binding(
                name, kind, v.ident, v.spec, None, 0, v.type_node, v.value, 0, 1, v.is_const, file=v.file
            )
        if name in idx.funcs:
            f = idx.funcs[name]
            return Binding(name, "func", f.node.child_by_field_name("name"), f.node, file=f.file)
        if name in idx.types:
            t = idx.types[name]
            return Binding(name, "type", t.spec.child_by_field_name("name"), t.spec, file=t.file)
        if name in self.imports.by_name:
            return Binding(name, "import", import_path=self.imports.by_name[name])
        if self.imports.dot and name[:1].isupper():
            return None  # could come from a dot import (only exported names can): unknown
        if name in BUILTIN_FUNCS or name in BUILTIN_TYPES or name in ("true", "false", "nil", "iota"):
            return Binding(name, "builtin", is_const=name in ("true", "false", "iota"))
        return None

    def is_builtin(self, ident: Node, name: str | None = None) -> bool:
        if ident.type != "identifier" and ident.type != "type_identifier":
            return False
        if name is not None and text(ident) != name.encode():
            return False
        b = self.resolve(ident)
        return b is not None and b.kind == "builtin"

    def package_member(self, expr: Node | None) -> str | None:
        """`path.Name` for `pkg.Name` where `pkg` names an import (through any alias, not shadowed);
        None for anything else. The one place that decides "this selector is another package's name"."""
        expr = unparen(expr)
        if expr is None or expr.type != "selector_expression":
            return None
        operand = unparen(expr.child_by_field_name("operand"))
        field = expr.child_by_field_name("field")
        if operand is None or field is None or operand.type != "identifier":
            return None
        b = self.resolve(operand)
        if b is None or b.kind != "import":
            return None
        return f"{b.import_path}.{text(field).decode()}"

    def references(self, binding: Binding) -> list[Node]:
        """Every identifier that refers to `binding` (its declaring identifier excluded), in order."""
        key = id(binding)
        if key in self._refs:
            return self._refs[key]
        name = binding.name.encode()
        roots: list[Node]
        if binding.scope is not None:
            roots = [binding.scope]
        elif binding.is_package_level:
            roots = [self.file.tree.root_node]
        else:
            roots = []
        out: list[Node] = []
        for root in roots:
            for n in self._identifiers(root, name):
                if binding.ident is not None and n.start_byte == binding.ident.start_byte:
                    continue
                if is_field_key(n, self):
                    continue
                if self.resolve(n) is binding or (
                    binding.is_package_level and self._same_package_binding(n, binding)
                ):
                    out.append(n)
        self._refs[key] = out
        return out

    def _identifiers(self, root: Node, name: bytes) -> list[Node]:
        """Identifiers spelled `name` under `root`: found by their bytes (a search at memchr speed), not by
        a query over all the identifiers of the function."""
        return spelled(self.file, name, root)

    def _same_package_binding(self, n: Node, binding: Binding) -> bool:
        b = self.resolve(n)
        return b is not None and b.kind == binding.kind and b.ident == binding.ident

    # ---------------------------------------------------------------------------------- tables
    def _table(self, root: Node) -> dict[str, list[Binding]]:
        table = self._tables.get(root.id)
        if table is None:
            table = self._build(root)
            self._tables[root.id] = table
        return table

    def _add(self, table: dict[str, list[Binding]], b: Binding) -> None:
        if b.name == "_" or b.ident is None:
            return
        table.setdefault(b.name, []).append(b)
        self._decl_at[b.ident.start_byte] = b

    def _build(self, root: Node) -> dict[str, list[Binding]]:
        table: dict[str, list[Binding]] = {}
        # only the declaring node types, found by the C query engine (a Python walk over every node of
        # every function was a large share of a run); document order as the walk gave it
        for n in self.index.census(self.file).within(DECLARATION_KINDS, root):
            t = n.type
            if t in FUNCTION_TYPES:
                self._add_params(table, n)
            elif t == "short_var_declaration":
                left = expression_list(n.child_by_field_name("left"))
                right = expression_list(n.child_by_field_name("right"))
                scope = _scope_of(n)
                for i, ident in enumerate(left):
                    if ident.type != "identifier":
                        continue
                    name = text(ident).decode("utf-8", "replace")
                    if len(left) > 1 and any(b.scope == scope for b in table.get(name, ())):
                        continue  # redeclaration in the same scope: an assignment
                    value, vi = _value_for(left, right, i)
                    self._add(
                        table,
                        Binding(name, "local", ident, n, scope, n.end_byte, None, value, vi, len(left)),
                    )
            elif t in ("var_spec", "const_spec"):
                decl = n.parent
                while decl is not None and decl.type not in ("var_declaration", "const_declaration"):
                    decl = decl.parent
                if decl is None:
                    continue
                scope = _scope_of(decl)
                names = n.children_by_field_name("name")
                values = expression_list(n.child_by_field_name("value"))
                tnode = n.child_by_field_name("type")
                for i, ident in enumerate(names):
                    value, vi = _value_for(names, values, i)
                    self._add(
                        table,
                        Binding(
                            text(ident).decode("utf-8", "replace"),
                            "local",
                            ident,
                            n,
                            scope,
                            n.end_byte,
                            tnode,
                            value,
                            vi,
                            len(names),
                            is_const=(t == "const_spec"),
                        ),
                    )
            elif t == "range_clause":
                if not any(c.type == ":=" for c in n.children):
                    continue
                loop = n.parent
                right = n.child_by_field_name("right")
                for i, ident in enumerate(expression_list(n.child_by_field_name("left"))):
                    if ident.type == "identifier":
                        self._add(
                            table,
                            Binding(
                                text(ident).decode(), "local", ident, n, loop, n.end_byte, None, right, i, 2
                            ),
                        )
            elif t == "type_switch_statement":
                alias = expression_list(n.child_by_field_name("alias"))
                if len(alias) != 1:
                    continue
                for case in n.named_children:
                    if case.type not in ("type_case", "default_case"):
                        continue
                    types = case.children_by_field_name("type")
                    self._add_alias(table, alias[0], n, case, types[0] if len(types) == 1 else None)
            elif t == "receive_statement":
                if not any(c.type == ":=" for c in n.children) or n.parent is None:
                    continue
                right = n.child_by_field_name("right")
                left = expression_list(n.child_by_field_name("left"))
                for i, ident in enumerate(left):
                    if ident.type == "identifier":
                        self._add(
                            table,
                            Binding(
                                text(ident).decode(),
                                "local",
                                ident,
                                n,
                                n.parent,
                                n.end_byte,
                                None,
                                right,
                                i,
                                len(left),
                            ),
                        )
        return table

    def _add_alias(
        self, table: dict[str, list[Binding]], ident: Node, stmt: Node, case: Node, tnode: Node | None
    ):
        b = Binding(text(ident).decode(), "local", ident, stmt, case, case.start_byte, tnode)
        if b.name != "_":
            table.setdefault(b.name, []).append(b)
            self._decl_at.setdefault(ident.start_byte, b)

    def _add_params(self, table: dict[str, list[Binding]], fn: Node) -> None:
        for field, kind in (("receiver", "receiver"), ("parameters", "param"), ("result", "result")):
            plist = fn.child_by_field_name(field)
            if plist is None or plist.type != "parameter_list":
                continue
            for p in plist.named_children:
                if p.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                    continue
                tnode = p.child_by_field_name("type")
                for ident in p.children_by_field_name("name"):
                    self._add(
                        table,
                        Binding(
                            text(ident).decode("utf-8", "replace"),
                            kind,
                            ident,
                            p,
                            fn,
                            fn.start_byte,
                            tnode,
                            variadic=p.type == "variadic_parameter_declaration",
                        ),
                    )

    # ---------------------------------------------------------------------------------- types
    def type_node(self, node: Node | None) -> GoType | None:
        return type_from_node(node, self.imports, self.array_length)

    def array_length(self, length: Node) -> int | None:
        """Array lengths written as constant expressions (`[maxFrames + 1]uintptr`), folded by consts."""
        assert _fold_constant is not None, "gostatic.analysis binds the constant folder on import"
        value = _fold_constant(length, self)
        return value if value is not None and value >= 0 else None

    def binding_type(self, b: Binding) -> GoType | None:
        key = id(b)
        cached = self._bind_types.get(key, _UNSET)
        if cached is not _UNSET:
            return cached  # type: ignore[return-value]
        self._bind_types[key] = None  # cycle guard
        result = self._binding_type(b)
        self._bind_types[key] = result
        return result

    def _binding_type(self, b: Binding) -> GoType | None:
        if b.kind in ("import", "builtin", "type"):
            return None
        if b.kind == "func":
            return GoType("func")
        resolver = self if b.file is None or b.file is self.file else _resolver_for(self, b.file)
        if b.type_node is not None:
            t = resolver.type_node(b.type_node)
            return GoType.slice(t) if b.variadic else t
        if b.value is None:
            return None
        vt = resolver.type_of(b.value)
        if b.decl is not None and b.decl.type == "range_clause":
            return _range_type(resolver.underlying(vt), b.value_index)
        if vt is None:
            return None
        if vt.kind == "tuple":
            return vt.items[b.value_index] if b.value_index < len(vt.items) else None
        if b.value_count == 2 and b.value_index == 1:
            return GoType.named("bool")  # v, ok := m[k] / x.(T) / <-ch
        if vt.kind == "untyped" and not b.is_const:
            d = UNTYPED_DEFAULT.get(vt.name)
            return GoType.named(d) if d else None
        return vt

    def underlying(self, t: GoType | None) -> GoType | None:
        return self.index.underlying(t)

    @unknown_when_too_deep
    def type_of(self, expr: Node | None) -> GoType | None:
        """The static type of an expression when the source states it; None when unsure."""
        if expr is None:
            return None
        key = expr.id
        cached = self._types.get(key, _UNSET)
        if cached is not _UNSET:
            return cached  # type: ignore[return-value]
        self._types[key] = None
        result = self._type_of(expr)
        self._types[key] = result
        return result

    def _type_of(self, expr: Node) -> GoType | None:
        t = expr.type
        if t in _LITERAL_KINDS:
            return GoType("untyped", name=_LITERAL_KINDS[t])
        match t:
            case "parenthesized_expression":
                return self.type_of(unparen(expr))
            case "identifier":
                b = self.resolve(expr)
                if b is None:
                    return None
                if b.kind == "builtin" and b.name == "iota":
                    return GoType("untyped", name="int")
                return self.binding_type(b)
            case "composite_literal":
                return self.type_node(expr.child_by_field_name("type"))
            case "func_literal":
                return GoType("func")
            case "unary_expression":
                op = expr.child_by_field_name("operator")
                inner = self.type_of(expr.child_by_field_name("operand"))
                opt = op.type if op is not None else ""
                if opt == "&":
                    return GoType.pointer(inner) if inner is not None else None
                if inner is None:
                    return None
                if opt == "*":
                    return inner.elem if inner.kind == "pointer" else None
                if opt == "<-":
                    u = self.underlying(inner)
                    return u.elem if u is not None and u.kind == "chan" else None
                if opt == "!":
                    return GoType.named("bool")
                return inner
            case "binary_expression":
                op = expr.child_by_field_name("operator")
                if op is not None and op.type in COMPARISONS:
                    return GoType.named("bool")
                left = self.type_of(expr.child_by_field_name("left"))
                if op is not None and op.type in ("<<", ">>"):
                    return left
                right = self.type_of(expr.child_by_field_name("right"))
                if left is not None and left.kind != "untyped":
                    return left
                if right is not None and right.kind != "untyped":
                    return right
                return left if left is not None and right is not None else None
            case "type_assertion_expression":
                return self.type_node(expr.child_by_field_name("type"))
            case "type_conversion_expression":
                return self.type_node(expr.child_by_field_name("type"))
            case "call_expression":
                return self._call_type(expr)
            case "selector_expression":
                return self._selector_type(expr)
            case "index_expression":
                base = self.underlying(self.type_of(expr.child_by_field_name("operand")))
                if base is None:
                    return None
                if base.kind == "pointer":
                    base = self.underlying(base.elem)
                if base is None:
                    return None
                if base.kind in ("slice", "array", "map"):
                    return base.elem
                if base.is_named("string") or (base.kind == "untyped" and base.name == "string"):
                    return GoType.named("byte")
                return None
            case "slice_expression":
                operand = self.type_of(expr.child_by_field_name("operand"))
                base = self.underlying(operand)
                if base is None or operand is None:
                    return None
                if base.kind == "pointer":
                    base = self.underlying(base.elem)
                    if base is None:
                        return None
                if base.kind == "array":
                    return GoType.slice(base.elem)
                if base.kind == "untyped" and base.name == "string":
                    return GoType.named("string")
                return operand
        return None

    def _call_type(self, call: Node) -> GoType | None:
        fn = unparen(call.child_by_field_name("function"))
        if fn is None:
            return None
        args = call_args(call)
        if fn.type == "identifier":
            b = self.resolve(fn)
            if b is None:
                return None
            if b.kind == "builtin":
                return self._builtin_call_type(b.name, args)
            if b.kind == "type":
                return GoType.named(b.name)
            if b.kind == "func":
                return _single(self.function_results(self.index.funcs.get(b.name)))
            return None
        if fn.type in (
            "slice_type",
            "array_type",
            "map_type",
            "pointer_type",
            "channel_type",
            "qualified_type",
        ):
            return self.type_node(fn)  # a conversion
        if fn.type == "selector_expression":
            operand = unparen(fn.child_by_field_name("operand"))
            field = fn.child_by_field_name("field")
            if operand is None or field is None:
                return None
            fname = text(field).decode()
            member = self.package_member(fn)
            if member is not None:
                # T(x) conversions to a type of the imported package are spelled the same way: unknown
                return _single(stdlib.function_result(member))
            recv = self.type_of(operand)
            if recv is None:
                return None
            base = recv.deref()
            if base.kind == "named":
                if base.pkg:
                    return _single(stdlib.method_result(base.qualified, fname))
                m = self.index.methods.get((base.name, fname))
                if m is not None:
                    return _single(self.function_results(m))
        return None

    def _builtin_call_type(self, name: str, args: list[Node]) -> GoType | None:
        if name in BUILTIN_TYPES:
            return GoType.named(name)
        match name:
            case "new":
                return self._new_type(args[0]) if args else None
            case "make":
                return self.type_node(args[0]) if args else None
            case "append" | "min" | "max":
                return self.type_of(args[0]) if args else None
            case "len" | "cap" | "copy":
                return GoType.named("int")
            case "recover":
                return GoType.named("any")
        return None

    def _new_type(self, arg: Node) -> GoType | None:
        """`new(T)` is a *T; Go 1.26's `new(expr)` (`new(1)`, `new(f())`) is a pointer to the value's
        type, an untyped constant taking its default type (`new(1)` is a *int)."""
        if arg.type in TYPE_KINDS:
            return GoType.pointer(self.type_node(arg))
        vt = self.type_of(arg)
        if vt is not None and vt.kind == "untyped":
            d = UNTYPED_DEFAULT.get(vt.name)
            vt = GoType.named(d) if d else None
        return GoType.pointer(vt) if vt is not None else None

    def _selector_type(self, sel: Node) -> GoType | None:
        operand = unparen(sel.child_by_field_name("operand"))
        field = sel.child_by_field_name("field")
        if operand is None or field is None:
            return None
        fname = text(field).decode()
        member = self.package_member(sel)
        if member is not None:
            return stdlib.variable_type(member)  # io.EOF, os.Stdout: a variable of another package
        recv = self.type_of(operand)
        if recv is None:
            return None
        base = recv.deref()
        if base.kind != "named":
            return None
        if base.pkg:
            return stdlib.field_type(base.qualified, fname)
        return self.index.field_type(base.name, fname)

    def function_results(self, decl: FuncDecl | None) -> GoType | None:
        """Result types of a same-package function or method as a tuple (or a single type)."""
        if decl is None:
            return None
        result = decl.node.child_by_field_name("result")
        if result is None:
            return GoType.tuple()
        resolver = self if decl.file is self.file else _resolver_for(self, decl.file)
        if result.type != "parameter_list":
            return resolver.type_node(result)
        items: list[GoType | None] = []
        for p in result.named_children:
            if p.type != "parameter_declaration":
                continue
            t = resolver.type_node(p.child_by_field_name("type"))
            items.extend([t] * max(1, len(p.children_by_field_name("name"))))
        return GoType.tuple(*items)

    def is_constant(self, expr: Node | None) -> bool:
        """True when the expression is a compile-time constant (as far as the source shows)."""
        expr = unparen(expr)
        if expr is None:
            return False
        t = expr.type
        if t in _LITERAL_KINDS:
            return t != "nil"
        if t == "iota":
            return True
        if t == "selector_expression":  # a constant of an imported package (runtime.GOOS, math.MaxInt64)
            member = self.package_member(expr)
            return member is not None and stdlib.is_constant(member)
        if t == "identifier":
            b = self.resolve(expr)
            return b is not None and (
                b.is_const or (b.kind == "builtin" and b.name in ("true", "false", "iota"))
            )
        if t == "unary_expression":
            op = expr.child_by_field_name("operator")
            return (
                op is not None
                and op.type in ("-", "+", "^", "!")
                and self.is_constant(expr.child_by_field_name("operand"))
            )
        if t == "binary_expression":
            return self.is_constant(expr.child_by_field_name("left")) and self.is_constant(
                expr.child_by_field_name("right")
            )
        if t == "call_expression":
            operand = self.conversion_operand(expr)
            if operand is None:
                fn = unparen(expr.child_by_field_name("function"))
                args = call_args(expr)
                if fn is not None and fn.type == "identifier" and len(args) == 1:
                    b = self.resolve(fn)
                    if b is not None and b.kind == "builtin" and b.name == "len":
                        operand = args[0]
            return operand is not None and self.is_constant(operand)
        return False

    def conversion_operand(self, expr: Node | None) -> Node | None:
        """The value converted by `T(x)` (a type of the package or a builtin one, `Items(xs)`, `string(b)`)
        or by a `[]byte(s)`-style conversion; None when `expr` is not a conversion (a call, say)."""
        expr = unparen(expr)
        if expr is None:
            return None
        if expr.type == "type_conversion_expression":
            return unparen(expr.child_by_field_name("operand"))
        if expr.type != "call_expression":
            return None
        fn = unparen(expr.child_by_field_name("function"))
        args = call_args(expr)
        if fn is None or fn.type != "identifier" or len(args) != 1:
            return None
        b = self.resolve(fn)
        if b is not None and ((b.kind == "builtin" and b.name in BUILTIN_TYPES) or b.kind == "type"):
            return unparen(args[0])
        return None


def is_field_key(ident: Node, resolver: Resolver) -> bool:
    """`name` in `T{name: v}` names a struct field, not a variable (map and slice keys are values)."""
    elem = ident.parent
    keyed = elem.parent if elem is not None else None
    if elem is None or keyed is None or elem.type != "literal_element" or keyed.type != "keyed_element":
        return False
    if keyed.child_by_field_name("key") != elem:
        return False
    lit = keyed.parent.parent if keyed.parent is not None else None
    while lit is not None and lit.type == "literal_value":
        lit = lit.parent  # nested literal values inside an outer composite literal: element type unknown
    if lit is None or lit.type != "composite_literal" or keyed.parent.parent != lit:  # type: ignore[union-attr]
        return False
    t = resolver.underlying(resolver.type_node(lit.child_by_field_name("type")))
    return t is not None and t.kind not in ("map", "slice", "array")


def _single(t: GoType | None) -> GoType | None:
    if t is not None and t.kind == "tuple":
        return t.items[0] if len(t.items) == 1 else t
    return t


def _value_for(left: list[Node], right: list[Node], i: int) -> tuple[Node | None, int]:
    if len(right) == len(left):
        return right[i], 0
    if len(right) == 1:
        return right[0], i
    return None, 0


def _range_type(t: GoType | None, index: int) -> GoType | None:
    if t is None:
        return None
    if t.kind == "pointer" and t.elem is not None and t.elem.kind == "array":
        t = t.elem
    if t.kind in ("slice", "array"):
        return GoType.named("int") if index == 0 else t.elem
    if t.kind == "map":
        return t.key if index == 0 else t.elem
    if t.kind == "chan":
        return t.elem if index == 0 else None
    if t.is_named("string") or (t.kind == "untyped" and t.name == "string"):
        return GoType.named("int") if index == 0 else GoType.named("rune")
    if (t.kind == "untyped" and t.name == "int") or t.is_named("int"):
        return GoType.named("int")
    return None


def _scope_of(node: Node) -> Node | None:
    p = node.parent
    while p is not None and p.type not in SCOPE_TYPES:
        p = p.parent
    return p


def _top_function(node: Node) -> Node | None:
    """The outermost function-like node containing `node` (declarations and package-level literals)."""
    top = None
    p = node.parent
    while p is not None:
        if p.type in FUNCTION_TYPES:
            top = p
            if p.type != "func_literal":
                return p
        p = p.parent
    return top


def _resolver_for(current: Resolver, file: SourceFile) -> Resolver:
    return resolver_for(current.index, file)


# The constant folder (`consts.const_value`) resolves names through this module; it is bound by
# `gostatic.analysis` on import rather than imported here, so that the modules stay layered.
_fold_constant: Callable[[Node, Resolver], int | None] | None = None


def bind_constant_folder(fold: Callable[[Node, Resolver], int | None]) -> None:
    global _fold_constant
    _fold_constant = fold


def resolver_for(index: PackageIndex, file: SourceFile) -> Resolver:
    """The shared resolver of a file (one per file per package index)."""
    r = index.resolvers.get(id(file))
    if r is None:
        r = Resolver(file, index)
        index.resolvers[id(file)] = r
    return r

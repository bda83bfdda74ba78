"""The package index: facts every rule needs about a package, built once per package and shared.

Imports (with local names), package-level declarations, struct fields, methods by receiver type, and
the mapping from syntax to `GoType` that depends on which import a qualifier names.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs
import tree_sitter

from gostatic.analysis.depth import unknown_when_too_deep
from gostatic.analysis.types import GoType
from gostatic.parse.census import ENGINE_KINDS, Census
from gostatic.parse.syntax import COUNTERS, GO_LANGUAGE, Node, Tree, expression_list, field_declarations, text

# Array lengths in declarations (`[maxFrames + 1]uintptr`) need the constant folder, which resolves names
# through `scopes`, which is built on this index. The folder is bound by `gostatic.analysis` when the package
# is imported, so that the modules stay layered (index < scopes < sizes < consts) with no import cycle.
ArrayLengths = Callable[["PackageIndex", "SourceFile"], Callable[[Node], int | None]]
_array_lengths: ArrayLengths | None = None


def bind_array_lengths(fold: ArrayLengths) -> None:
    global _array_lengths
    _array_lengths = fold


_VERSION_SUFFIX = re.compile(r"^v\d+$")
_T = TypeVar("_T")
_MAX_SEARCHED_NAMES = 64
_IDENTIFIERS = tree_sitter.Query(GO_LANGUAGE, "(identifier) @n")


def spelled(f: SourceFile, word: bytes, within: Node | None = None) -> list[Node]:
    """The identifiers of `f` (or of its node `within`) spelled `word`, in document order: the bytes
    found with bytes.find (an identifier query costs far more: identifiers are the commonest node) and
    mapped to their nodes."""
    src = f.source
    root = within if within is not None else f.tree.root_node
    start, end = root.start_byte, root.end_byte
    nodes: list[Node] = []
    i = src.find(word, start, end)
    while i >= 0:
        j = i + len(word)
        if (i == 0 or src[i - 1] not in IDENT_BYTES) and (j == len(src) or src[j] not in IDENT_BYTES):
            n = root.descendant_for_byte_range(i, j)
            if n is not None and n.type == "identifier" and n.start_byte == i and n.end_byte == j:
                nodes.append(n)
        i = src.find(word, j, end)
    return nodes


# bytes that can continue a Go identifier (every non-ASCII byte counts: letters beyond ASCII are UTF-8)
IDENT_BYTES = frozenset(b"_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") | frozenset(
    range(0x80, 0x100)
)


# `type` at the start of an indented line: a declaration inside a function body (or a group's spec list).
# Searched from the newline before it: a `(?m)^` pattern is tried at every byte of the file (4-5x slower,
# ~2 % of a run over small packages); the first line, which has no newline before it, is matched apart.
_INDENTED_TYPE = re.compile(rb"\n[ \t]+type[ \t(]")
_INDENTED_TYPE_FIRST = re.compile(rb"[ \t]+type[ \t(]")


def _indented_types(source: bytes) -> Iterator[int]:
    """The end of each match of `^[ \t]+type[ \t(]` (multiline) in `source`, in order."""
    first = _INDENTED_TYPE_FIRST.match(source)
    if first is not None:
        yield first.end()
    for m in _INDENTED_TYPE.finditer(source):
        yield m.end()


# `[` then a word then a space or comma: where a name may be a type parameter (`[T any]`, `[K, V any]`)
_BRACKETED = re.compile(rb"\[\s*([^\s,\[\]()]+)[\s,]")

# well-known packages whose name the import path does not tell
_KNOWN_NAMES = {"github.com/json-iterator/go": "jsoniter"}


@functools.cache  # every file of a package names the same few paths: the editor re-indexes them per edit
def default_import_name(path: str) -> str:
    """The package name Go code uses by default for an import path (best effort, without reading it)."""
    if path in _KNOWN_NAMES:
        return _KNOWN_NAMES[path]
    parts = path.split("/")
    last = parts[-1]
    if _VERSION_SUFFIX.match(last) and len(parts) > 1:
        last = parts[-2]
    last = re.sub(r"\.v\d+$", "", last)
    for prefix in ("go-", "go."):
        if last.startswith(prefix) and len(last) > len(prefix):
            last = last[len(prefix) :]
    return last.replace("-", "_").replace(".", "_")


@attrs.define(repr=False)
class FileImports:
    """Local name -> import path for one file; dot imports listed separately."""

    by_name: dict[str, str] = attrs.Factory(dict)
    dot: list[str] = attrs.Factory(list)
    paths: set[str] = attrs.Factory(set)

    @classmethod
    def from_tree(cls, root: Node) -> FileImports:
        imports = cls()
        # child by child: imports come first, and `named_children` would make a node of every
        # declaration of the file just to look at the first few
        for i in range(root.named_child_count):
            decl = root.named_child(i)
            if decl is None:
                break
            if decl.type != "import_declaration":
                if decl.type in ("function_declaration", "method_declaration", "type_declaration"):
                    break
                continue
            specs = decl.named_children
            if specs and specs[0].type == "import_spec_list":
                specs = specs[0].named_children
            for spec in specs:
                if spec.type != "import_spec":
                    continue
                path_node = spec.child_by_field_name("path")
                if path_node is None:
                    continue
                path = text(path_node).decode("utf-8", "replace").strip('"`')
                imports.paths.add(path)
                name_node = spec.child_by_field_name("name")
                if name_node is None:
                    imports.by_name[default_import_name(path)] = path
                elif name_node.type == "dot":
                    imports.dot.append(path)
                elif name_node.type != "blank_identifier":
                    imports.by_name[text(name_node).decode()] = path
        return imports

    def local_name(self, path: str) -> str | None:
        for name, p in self.by_name.items():
            if p == path:
                return name
        return None


@attrs.define(eq=False, repr=False)
class SourceFile:
    """One Go file: its bytes, its tree and what the rest of the engine asks about it."""

    path: Path
    display: str  # the path as reported: relative to the working directory, "/" separators
    source: bytes
    tree: Tree
    package: str
    is_test: bool
    imports: FileImports
    go_version: tuple[int, int]
    reported: bool = True  # False for package siblings analysed only for package-level facts


@attrs.define(eq=False, repr=False)
class ValueDecl:
    """A package-level var or const name."""

    name: str
    ident: Node
    spec: Node
    type_node: Node | None
    value: Node | None
    is_const: bool
    file: SourceFile


@attrs.define(eq=False, repr=False)
class TypeDecl:
    name: str
    spec: Node
    type_node: Node | None
    file: SourceFile
    is_alias: bool = False


@attrs.define(eq=False, repr=False)
class FuncDecl:
    name: str
    node: Node
    file: SourceFile
    receiver: str | None  # base type name of a method's receiver


@attrs.define(eq=False, repr=False)
class FileDecls:
    """The part of the package index that comes from one file alone: its package-level declarations in
    document order, the types declared inside its functions, and (on demand) the words written after a
    `[` in it. A function of the file's bytes and tree, so a caller that analyses the same package again
    (the editor, at every edit) keeps it for the files that did not change and re-indexes only the
    edited one; `PackageIndex.build` merges the files' parts."""

    values: list[ValueDecl] = attrs.Factory(list)
    types: list[TypeDecl] = attrs.Factory(list)
    funcs: list[FuncDecl] = attrs.Factory(list)
    methods: list[FuncDecl] = attrs.Factory(list)
    local_types: list[TypeDecl] = attrs.Factory(list)
    source: bytes = b""
    _bracketed: frozenset[bytes] | None = None

    @classmethod
    def of(cls, f: SourceFile) -> FileDecls:
        d = cls(source=f.source)
        for decl in f.tree.root_node.named_children:
            match decl.type:
                case "var_declaration" | "const_declaration":
                    d._add_values(decl, f)
                case "type_declaration":
                    for spec in decl.named_children:
                        if spec.type in ("type_spec", "type_alias"):
                            n = spec.child_by_field_name("name")
                            if n is not None:
                                d.types.append(
                                    TypeDecl(
                                        text(n).decode(),
                                        spec,
                                        spec.child_by_field_name("type"),
                                        f,
                                        spec.type == "type_alias",
                                    )
                                )
                case "function_declaration":
                    n = decl.child_by_field_name("name")
                    if n is not None:
                        d.funcs.append(FuncDecl(text(n).decode(), decl, f, None))
                case "method_declaration":
                    n = decl.child_by_field_name("name")
                    recv = receiver_type_name(decl)
                    if n is not None and recv:
                        d.methods.append(FuncDecl(text(n).decode(), decl, f, recv))
        d._add_local_types(f)
        return d

    def bracketed(self) -> frozenset[bytes]:
        """The words written right after a `[` and before a space or comma: where a name may be a type
        parameter (`[T any]`). Scanned only for a package that declares function-local types."""
        if self._bracketed is None:
            self._bracketed = frozenset(m.group(1) for m in _BRACKETED.finditer(self.source))
        return self._bracketed

    def _add_values(self, decl: Node, f: SourceFile) -> None:
        is_const = decl.type == "const_declaration"
        specs = [c for c in decl.named_children if c.type in ("var_spec", "const_spec")]
        for lst in decl.named_children:
            if lst.type == "var_spec_list":
                specs.extend(c for c in lst.named_children if c.type == "var_spec")
        for spec in specs:
            names = [c for c in spec.children_by_field_name("name")]
            values = expression_list(spec.child_by_field_name("value"))
            tnode = spec.child_by_field_name("type")
            for i, ident in enumerate(names):
                nm = text(ident).decode()
                if nm == "_":
                    continue
                value = values[i] if len(values) == len(names) else None
                self.values.append(ValueDecl(nm, ident, spec, tnode, value, is_const, f))

    def _add_local_types(self, f: SourceFile) -> None:
        """Type declarations inside function bodies (or a group's spec list), found from the indented
        `type` keywords rather than by walking every function."""
        for end in _indented_types(f.source):
            decl = f.tree.root_node.descendant_for_byte_range(end - 5, end - 1)
            while decl is not None and decl.type not in ("type_declaration", "source_file", "block"):
                decl = decl.parent
            if decl is None or decl.type != "type_declaration" or decl.parent is None:
                continue
            if decl.parent.type == "source_file":
                continue  # a package-level declaration (indexed with the others)
            for spec in decl.named_children:
                n = spec.child_by_field_name("name") if spec.type in ("type_spec", "type_alias") else None
                if n is not None and spec.child_by_field_name("type_parameters") is None:
                    self.local_types.append(
                        TypeDecl(
                            text(n).decode(),
                            spec,
                            spec.child_by_field_name("type"),
                            f,
                            spec.type == "type_alias",
                        )
                    )


@attrs.define(eq=False, repr=False)
class PackageIndex:
    name: str
    directory: Path
    files: list[SourceFile]
    values: dict[str, ValueDecl] = attrs.Factory(dict)
    types: dict[str, TypeDecl] = attrs.Factory(dict)
    funcs: dict[str, FuncDecl] = attrs.Factory(dict)
    methods: dict[tuple[str, str], FuncDecl] = attrs.Factory(dict)
    _type_cache: dict[int, GoType | None] = attrs.Factory(dict)
    # types declared in several files (build-tagged variants such as dir_unix.go / dir_windows.go): their
    # underlying type and fields depend on the build, so they are treated as unknown
    ambiguous_types: set[str] = attrs.Factory(set)
    resolvers: dict[int, Any] = attrs.Factory(dict)  # file id -> scopes.Resolver, shared by all rules
    # file id -> node kinds its census must hold (the kinds its rules visit), registered by the runner
    census_kinds: dict[int, frozenset[str]] = attrs.Factory(dict)
    # file id -> the byte span its census is restricted to (a partial run, see partial.py)
    census_spans: dict[int, tuple[int, int]] = attrs.Factory(dict)
    _census: dict[int, Census] = attrs.Factory(dict)
    # per-package analyses built on demand (sizes, containers, ...), keyed by the module that owns them.
    # Kept on the index, not in a module-level WeakKeyDictionary: a cached value that refers back to
    # its index keeps the key alive there, so every package's trees would stay in memory to the end.
    facts: dict[str, Any] = attrs.Factory(dict)
    # the sources of the directory's generated files (`// Code generated ... DO NOT EDIT.`), which are
    # neither indexed nor reported, for checks that must see every file of the package before calling
    # a fix safe (LAY001's unkeyed literals): a rule parses the few that mention what it looks for
    generated_sources: tuple[bytes, ...] = ()
    # the (GOOS, GOARCH) whose build constraints chose every file of the package, or None when unknown
    # (an index built outside a run, or a file of another target named explicitly): then
    # `runtime.GOOS == "aix"` is constant for the package as analysed (see deadcode.py)
    target: tuple[str, str] | None = None
    per_file: list[FileDecls] = attrs.Factory(list)  # FileDecls of `files`, in the same order

    @classmethod
    def build(
        cls,
        name: str,
        directory: Path,
        files: list[SourceFile],
        decls: Sequence[FileDecls | None] = (),
    ) -> PackageIndex:
        """The index of `files`. `decls[i]`, when given, is `FileDecls.of(files[i])` computed earlier
        (the editor keeps the unchanged files' between edits); the missing ones are computed here and
        left in `per_file` for such a caller."""
        index = cls(name=name, directory=directory, files=files)
        known = list(decls)
        index.per_file = [
            (known[i] if i < len(known) else None) or FileDecls.of(f) for i, f in enumerate(files)
        ]
        for d in index.per_file:
            index._merge(d)
        index._add_local_types()
        return index

    def _merge(self, d: FileDecls) -> None:
        """One file's declarations, in the order of the files: a var or const, a type or a method
        declared again takes the later one (a type declared in two files is ambiguous), a function
        keeps the first."""
        for v in d.values:
            self.values[v.name] = v
        for t in d.types:
            if t.name in self.types and self.types[t.name].file is not t.file:
                self.ambiguous_types.add(t.name)  # one per GOOS/GOARCH file: say nothing
            self.types[t.name] = t
        for fn in d.funcs:
            self.funcs.setdefault(fn.name, fn)
        for m in d.methods:
            assert m.receiver is not None
            self.methods[(m.receiver, m.name)] = m

    def _add_local_types(self) -> None:
        """Types declared inside function bodies (`type span struct{...}`), by name, when the name is the
        package's only type of that name: a local type cannot have methods and cannot be named outside
        its function, so inside it the name means that declaration. A name declared twice, or also at
        package level, stays unknown (ambiguous), as the rules want."""
        local: dict[str, list[TypeDecl]] = {}
        for d in self.per_file:
            for t in d.local_types:
                local.setdefault(t.name, []).append(t)
        if not local:
            return
        # the words written right after a `[` and before a space or comma, in any file: one scan for
        # all the names (a search per name per file was most of an editor's re-index of a large package)
        bracketed = set().union(*(d.bracketed() for d in self.per_file))
        for nm, found in local.items():
            if len(nm) <= 2 or nm.encode() in bracketed:
                continue  # may also name a type parameter (`[T any]`), which the index cannot tell apart
            if nm in self.types or len(found) > 1:
                # shadows a package type, or two functions declare it: not indexed (some callers read
                # `types` directly), and a package type of that name becomes ambiguous too
                self.ambiguous_types.add(nm)
            else:
                self.types[nm] = found[0]

    def census(self, f: SourceFile, kinds: Iterable[str] = ()) -> Census:
        """The file's nodes by kind (see census.py): one query for the registered kinds, the resolver's
        declarations and `kinds`, on first use; later-asked kinds are added with a query of their own."""
        c = self._census.get(id(f))
        if c is None:
            registered = self.census_kinds.get(id(f), frozenset())
            c = self._census[id(f)] = Census(
                f.tree.root_node,
                registered | ENGINE_KINDS | set(kinds),
                self.census_spans.get(id(f)),
                f.source,
            )
        elif kinds:
            c.ensure(kinds)
        return c

    def fact(self, key: str, build: Callable[[], _T]) -> _T:
        """A package-wide fact, built on first use and then shared by every rule and analysis of the
        package (kept here, not in a module-level cache, so it goes when the package does)."""
        if key not in self.facts:
            self.facts[key] = build()
        return self.facts[key]  # type: ignore[no-any-return]

    def release_census(self, f: SourceFile, keep: frozenset[str]) -> None:
        """After a file's pass: its census keeps only `keep` (if it has one: never make one for this)."""
        c = self._census.get(id(f))
        if c is not None:
            c.release(keep)

    def release(self) -> None:
        """Break the reference cycles that the shared analyses make (resolvers, facts and censuses point
        back at the index), so that the package's trees are freed as soon as it is done rather than at
        the garbage collector's next full pass: run after run, those made a long run's memory grow."""
        for fact in self.facts.values():
            close = getattr(fact, "release", None)
            if callable(close):
                close()
        self.facts.clear()
        self.resolvers.clear()
        self._census.clear()
        self._type_cache.clear()

    def value_references(self, name: str) -> list[tuple[SourceFile, Node]]:
        """Every identifier spelled like the package-level variable `name`, in every file of the
        package (files in order, then document order), whatever it resolves to: callers resolve. Found
        per name asked (a memchr-speed byte search per file, mapped to nodes) and kept for every rule and
        package analysis; `prefetch_value_references` finds them all at once for a caller that will ask
        for every name."""
        table = self._references_table()
        refs = table.get(name)
        if refs is None:
            word = name.encode()
            refs = table[name] = [(f, n) for f in self.files for n in spelled(f, word)]
        return refs

    def prefetch_value_references(self, names: Iterable[str] | None = None) -> None:
        """Find the references of these package-level variables (None: all), for a caller about to ask
        for each. With many names, one identifier query per file beats a byte search per name per file."""
        table = self._references_table()
        chosen = (n for n, v in self.values.items() if not v.is_const) if names is None else names
        wanted = {n.encode(): n for n in chosen if n not in table}
        if len(wanted) <= _MAX_SEARCHED_NAMES:
            return
        found: dict[str, list[tuple[SourceFile, Node]]] = {name: [] for name in wanted.values()}
        for f in self.files:
            COUNTERS["queries"] += 1
            per_file: dict[str, list[Node]] = {}
            for n in tree_sitter.QueryCursor(_IDENTIFIERS).captures(f.tree.root_node).get("n", []):
                name = wanted.get(n.text or b"")
                if name is not None:
                    per_file.setdefault(name, []).append(n)
            for name, nodes in per_file.items():
                nodes.sort(key=lambda n: n.start_byte)  # captures are not in document order
                found[name].extend((f, n) for n in nodes)
        for name, refs in found.items():
            table.setdefault(name, refs)

    def _references_table(self) -> dict[str, list[tuple[SourceFile, Node]]]:
        return self.fact("index.value_references", dict)

    # types ------------------------------------------------------------------------------------------
    def underlying(self, t: GoType | None, depth: int = 0) -> GoType | None:
        """The underlying type of a same-package named type (`type Cache map[string]int` -> map)."""
        while t is not None and t.kind == "named" and not t.pkg and depth < 10:
            decl = self.types.get(t.name)
            if decl is None or decl.type_node is None or t.name in self.ambiguous_types:
                return t
            t = self.type_of_decl(decl)
            depth += 1
        return t

    def type_of_decl(self, decl: TypeDecl) -> GoType | None:
        key = id(decl)
        if key not in self._type_cache:
            self._type_cache[key] = None
            if decl.type_node is not None:
                self._type_cache[key] = type_from_node(
                    decl.type_node, decl.file.imports, self.const_eval(decl.file)
                )
        return self._type_cache[key]

    def const_eval(self, file: SourceFile) -> Callable[[Node], int | None]:
        """Folds array lengths written as constant expressions in `file` (`[maxFrames + 1]uintptr`)."""
        assert _array_lengths is not None, "gostatic.analysis binds the array-length folder on import"
        return _array_lengths(self, file)

    def struct_fields(self, type_name: str) -> dict[str, Node]:
        """Field name -> declared type node of a same-package struct type (embedded types by base name).
        Memoised per type (field_type asks it for every selector a rule types); do not mutate."""
        memo = self.facts.setdefault("index.struct_fields", {})
        got = memo.get(type_name)
        if got is None:
            got = memo[type_name] = self._struct_fields(type_name)
        return got

    def _struct_fields(self, type_name: str) -> dict[str, Node]:
        decl = self.types.get(type_name)
        if type_name in self.ambiguous_types:
            return {}
        if decl is None or decl.type_node is None or decl.type_node.type != "struct_type":
            return {}
        fields: dict[str, Node] = {}
        for fd in field_declarations(decl.type_node):
            tnode = fd.child_by_field_name("type")
            if tnode is None:
                continue
            names = fd.children_by_field_name("name")
            if names:
                for n in names:
                    fields[text(n).decode()] = tnode
            else:
                base = tnode.named_children[-1] if tnode.type in ("pointer_type", "qualified_type") else tnode
                fields[text(base).decode().split(".")[-1]] = tnode
        return fields

    def field_type(self, type_name: str, field: str) -> GoType | None:
        tnode = self.struct_fields(type_name).get(field)
        if tnode is None:
            return None
        decl = self.types[type_name]
        t = type_from_node(tnode, decl.file.imports, self.const_eval(decl.file))
        if t is not None and is_embedded_pointer(tnode):
            return GoType.pointer(t)
        return t


def is_embedded_pointer(type_node: Node) -> bool:
    """`*T` embedded in a struct: tree-sitter-go keeps the `*` as a token of the field declaration,
    outside its type node."""
    fd = type_node.parent
    return (
        fd is not None
        and fd.type == "field_declaration"
        and not fd.children_by_field_name("name")
        and any(c.type == "*" for c in fd.children)
    )


def receiver_type_name(method: Node) -> str | None:
    recv = method.child_by_field_name("receiver")
    if recv is None:
        return None
    for param in recv.named_children:
        if param.type != "parameter_declaration":
            continue
        t = param.child_by_field_name("type")
        while t is not None and t.type in ("pointer_type", "generic_type", "parenthesized_type"):
            t = t.named_children[0] if t.named_children else None
        if t is not None and t.type == "type_identifier":
            return text(t).decode()
    return None


@unknown_when_too_deep
def type_from_node(
    node: Node | None, imports: FileImports, const_eval: Callable[[Node], int | None] | None = None
) -> GoType | None:
    """Map a type expression to a GoType; qualifiers are resolved to import paths through `imports`."""
    if node is None:
        return None
    match node.type:
        case "type_identifier" | "identifier":
            return GoType.named(text(node).decode())
        case "qualified_type":
            pkg = node.child_by_field_name("package")
            name = node.child_by_field_name("name")
            if pkg is None or name is None:
                return None
            path = imports.by_name.get(text(pkg).decode())
            return GoType.named(text(name).decode(), path) if path else None
        case "pointer_type":
            return GoType.pointer(type_from_node(node.named_children[0], imports, const_eval))
        case "slice_type":
            return GoType.slice(type_from_node(node.child_by_field_name("element"), imports, const_eval))
        case "array_type":
            length_node = node.child_by_field_name("length")
            length = None
            if length_node is not None:
                if length_node.type == "int_literal":
                    try:
                        length = int(text(length_node).decode().replace("_", ""), 0)
                    except ValueError:
                        length = None
                elif const_eval is not None:
                    length = const_eval(length_node)
            return GoType(
                "array",
                length=length,
                elem=type_from_node(node.child_by_field_name("element"), imports, const_eval),
            )
        case "implicit_length_array_type":
            return GoType(
                "array", elem=type_from_node(node.child_by_field_name("element"), imports, const_eval)
            )
        case "map_type":
            return GoType(
                "map",
                key=type_from_node(node.child_by_field_name("key"), imports, const_eval),
                elem=type_from_node(node.child_by_field_name("value"), imports, const_eval),
            )
        case "channel_type":
            return GoType("chan", elem=type_from_node(node.child_by_field_name("value"), imports, const_eval))
        case "function_type":
            return GoType("func")
        case "interface_type":
            return GoType("interface")
        case "struct_type":
            return GoType("struct")
        case "parenthesized_type":
            return (
                type_from_node(node.named_children[0], imports, const_eval) if node.named_children else None
            )
        case "generic_type":
            return type_from_node(node.child_by_field_name("type"), imports, const_eval)
    return None

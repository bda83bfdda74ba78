"""Where the package calls one of its unexported functions or methods from: the one answer behind "called
only from cold code" (`cold.py`) and "called only from code that never runs" (`deadcode.py`).

An unexported name can only be called from its own package, so its calls there are all its calls, unless
the name is also used otherwise (passed as a value, a method value, a same-named struct field read):
then who calls it is unknown, and the answer is None. Found per function asked and kept as a package
fact: a byte search per file, mapped to nodes.
"""

from __future__ import annotations

import re

import attrs

from gostatic.analysis.index import SourceFile
from gostatic.analysis.scopes import Resolver, resolver_for
from gostatic.parse.syntax import Node, text


@attrs.frozen(repr=False)
class CallSites:
    calls: tuple[tuple[SourceFile, Node], ...]  # in non-test files, the function's calls of itself aside
    in_tests: bool  # also called from `_test.go` files


def call_sites(fn: Node, resolver: Resolver) -> CallSites | None:
    """The calls of the unexported function or method declared by `fn` in the package, or None when they
    are not all known (the name is used other than by calling it) or `fn` is exported, `init` or `main`."""
    name_node = fn.child_by_field_name("name")
    name = text(name_node) if name_node is not None else b""
    if not name[:1].islower() or name in (b"init", b"main"):
        return None
    index = resolver.index
    found = index.fact(f"callsites:{fn.type}:{name.decode()}", lambda: _find(name, fn.type, resolver))
    if found is None:
        return None
    # its calls of itself aside (found per asker: same-named methods share the search, not their bodies)
    file = resolver.file
    calls = tuple(
        (f, c) for f, c in found.calls if not (f is file and fn.start_byte <= c.start_byte < fn.end_byte)
    )
    return CallSites(calls, found.in_tests)


def _find(name: bytes, kind: str, resolver: Resolver) -> CallSites | None:
    method = kind == "method_declaration"
    index = resolver.index
    calls: list[tuple[SourceFile, Node]] = []
    in_tests = False
    for f, ident in _uses(name, method, resolver):
        if f.is_test:
            in_tests = True  # what it costs there is the tests' cost
            continue
        if not method:
            b = resolver_for(index, f).resolve(ident)
            if b is None or b.kind != "func":
                continue  # a local of the same name
        callee = ident.parent if method else ident
        call = callee.parent if callee is not None else None
        if call is None or call.type != "call_expression" or call.child_by_field_name("function") != callee:
            return None  # used as a value, or a method value: called from places unknown
        calls.append((f, call))
    return CallSites(tuple(calls), in_tests)


def _uses(name: bytes, method: bool, resolver: Resolver) -> list[tuple[SourceFile, Node]]:
    """The function's name where the package spells it as a name (its declaration aside); for a method,
    after a `.` (`x.name(…)`, also `x.\\n\\tname`)."""
    if not method:
        return [
            (f, n)
            for f, n in resolver.index.value_references(name.decode())
            if n.parent is None or n.parent.type != "function_declaration"
        ]
    spelled = re.compile(rb"\.\s*" + re.escape(name) + rb"\b")
    out = []
    for f in resolver.index.files:
        if name not in f.source:
            continue
        root = f.tree.root_node
        for m in spelled.finditer(f.source):
            i = m.end() - len(name)
            ident = root.descendant_for_byte_range(i, i + len(name))
            if (
                ident is not None
                and ident.type == "field_identifier"
                and ident.end_byte - ident.start_byte == len(name)
                and ident.start_byte == i
            ):
                out.append((f, ident))
    return out

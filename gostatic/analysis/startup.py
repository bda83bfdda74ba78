"""Code that runs once: program start-up (`main`, `init`, package variable initialisers and what they
call), `sync.Once` and its relatives, and branches under a constant-false condition. Cost found there is
paid once per process, not per request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gostatic.analysis.index import SourceFile
from gostatic.analysis.scopes import Resolver
from gostatic.parse.census import Nesting
from gostatic.parse.syntax import (
    FUNCTION_TYPES,
    Node,
    call_args,
    called_selector,
    paren_root,
    text,
    unparen,
)


# ------------------------------------------------------------------------------------------ start-up code
def is_program_main(fn: Node | None, package: str) -> bool:
    """`func main` of package main: it runs once, and its locals live as long as the program."""
    return (
        fn is not None
        and fn.type == "function_declaration"
        and package == "main"
        and text(fn.child_by_field_name("name") or fn) == b"main"
    )


def runs_at_startup(node: Node, resolver: Resolver) -> bool:
    """Code that runs a bounded number of times per program, so whatever it adds to a long-lived place is
    set-up, not growth: `init`, `main` of package main, a package-level initializer, a func literal passed to `sync.Once.Do` /
    `sync.OnceFunc` / `sync.OnceValue(s)`, a same-package function passed by name to one of those
    (`once.Do(loadTable)`), or a function named `Register*`/`register*` (by Go convention called while
    the program starts, to fill a registry)."""
    top = resolver.top_function(node)
    if top is None or top.type == "func_literal":
        return True  # a package-level initializer, or a literal in one
    name = top.child_by_field_name("name")
    if name is None:
        return False
    if text(name).startswith((b"Register", b"register", b"MustRegister", b"mustRegister")):
        return True
    if top.type == "function_declaration" and text(name).decode() in once_functions(resolver):
        return True
    if is_program_main(top, resolver.file.package):
        return True
    if top.type == "function_declaration" and text(name) == b"init":
        return True
    if resolver.file.source.count(b"func", top.start_byte, top.end_byte) < 2:
        return False  # no func literal in the function: no Once callback to be in
    fns = resolver.index.census(resolver.file).nesting(FUNCTION_TYPES, node)
    i = fns.around(node)
    return i >= 0 and _in_once_callback(fns, resolver)[i]


def _in_once_callback(fns: Nesting, resolver: Resolver) -> list[bool]:
    """For each function-like node of the file's census nesting: whether it is, or lies in, a func literal
    passed straight to a Once call (`once.Do(func() {...})`). Worked out once per file in document order
    (a node's enclosing function comes first): climbing `.parent` from each node asked about cost a
    descent from the root per step, cubic in the nesting depth of `go func(){ for { defer func(){ …`."""
    key = f"startup.once_callbacks.{id(resolver.file)}"
    found: tuple[Nesting, list[bool]] | None = resolver.index.facts.get(key)
    if found is not None and found[0] is fns:
        return found[1]
    callbacks = set()
    for call in _once_candidates(resolver.file):
        if not is_once_call(call, resolver):
            continue
        args = call.child_by_field_name("arguments")
        for arg in args.named_children if args is not None else ():
            if arg.type == "func_literal":
                callbacks.add((arg.start_byte, arg.end_byte))
    flags: list[bool] = []
    for n, parent in zip(fns.nodes, fns.parents, strict=True):
        flags.append(
            (parent >= 0 and flags[parent])
            or (n.type == "func_literal" and (n.start_byte, n.end_byte) in callbacks)
        )
    resolver.index.facts[key] = (fns, flags)
    return flags


def is_once_call(call: Node, resolver: Resolver) -> bool:
    parts = called_selector(call)
    if parts is None:
        return False
    operand, field = parts
    name = text(field).decode()
    member = resolver.package_member(unparen(call.child_by_field_name("function")))
    if member is not None:
        return member in ("sync.OnceFunc", "sync.OnceValue", "sync.OnceValues")
    if name != "Do":
        return False
    t = resolver.type_of(operand)
    if t is None:  # type unknown: a receiver named like a once (`once`, `s.initOnce`)
        return "once" in text(operand).decode("utf-8", "replace").rsplit(".", 1)[-1].lower()
    return t.deref().is_named("sync.Once")


_ONCE_NAMES = re.compile(rb"\.\s*(Do|OnceFunc|OnceValues?)\b")


def once_functions(resolver: Resolver) -> frozenset[str]:
    """Names of same-package functions passed by name to `sync.Once.Do` / `sync.OnceFunc` & co. The
    calls are found from the method names' bytes (few, and no query over files already analysed)."""
    index = resolver.index

    def build() -> frozenset[str]:
        from gostatic.analysis.scopes import resolver_for

        names = set()
        for f in index.files:
            r = resolver_for(index, f)
            for call in _once_candidates(f):
                if not is_once_call(call, r):
                    continue
                args = call_args(call)
                arg = unparen(args[0]) if args else None
                if arg is not None and arg.type == "identifier":
                    b = r.resolve(arg)
                    if b is not None and b.kind == "func":
                        names.add(b.name)
        return frozenset(names)

    return index.fact("flow.once_functions", build)


def _once_candidates(f: SourceFile) -> Iterator[Node]:
    """The calls `x.Do(...)`, `x.OnceFunc(...)`, ... of a file, from where their names are spelled."""
    root = f.tree.root_node
    for m in _ONCE_NAMES.finditer(f.source):
        i, j = m.span(1)
        field = root.descendant_for_byte_range(i, j)
        if field is None or field.type != "field_identifier" or (field.start_byte, field.end_byte) != (i, j):
            continue
        sel = field.parent
        call = paren_root(sel).parent if sel is not None and sel.type == "selector_expression" else None
        if (
            call is not None
            and call.type == "call_expression"
            and unparen(call.child_by_field_name("function")) == sel
        ):
            yield call


# ------------------------------------------------------------------------------------------ dead code
def _constant_guard(cond: Node | None, resolver: Resolver) -> bool:
    """A condition the compiler folds: a constant, or a `&&` chain with a constant operand (`if debug`,
    `if debugTrace&traceX != 0 && verbose`). When it folds to false the block is compiled away."""
    cond = unparen(cond)
    if cond is None:
        return False
    if cond.type == "true":
        return False
    if resolver.is_constant(cond):
        return True
    if cond.type == "binary_expression":
        op = cond.child_by_field_name("operator")
        if op is not None and op.type == "&&":
            return _constant_guard(cond.child_by_field_name("left"), resolver) or _constant_guard(
                cond.child_by_field_name("right"), resolver
            )
    return False


def under_constant_condition(node: Node, resolver: Resolver) -> bool:
    """`node` sits in a branch of an `if` (same function) whose condition is a compile-time constant, or in
    a case of a `switch` on a constant: the compiler may delete it, and says nothing about what it would
    have allocated (debug output under `if debug {`, `switch runtime.GOOS {`)."""
    path = resolver.index.census(resolver.file).path_in_function(node)
    for k in range(len(path) - 1, 0, -1):
        child, p = path[k], path[k - 1]
        if p.type in FUNCTION_TYPES:
            break
        if (
            p.type == "if_statement"
            and child not in (p.child_by_field_name("condition"), p.child_by_field_name("initializer"))
            and _constant_guard(p.child_by_field_name("condition"), resolver)
        ):
            return True
        if (
            p.type == "expression_switch_statement"
            and child.type in ("expression_case", "default_case")
            and resolver.is_constant(p.child_by_field_name("value"))
        ):
            return True  # `switch runtime.GOOS {`: all but one case are compiled away
    return False

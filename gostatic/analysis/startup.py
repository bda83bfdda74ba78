"""Code that runs once: program start-up (`main`, `init`, package variable initialisers and what they
call), `sync.Once` and its relatives, and branches under a constant-false condition. Cost found there is
paid once per process, not per request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gostatic.analysis.callsites import call_sites
from gostatic.analysis.index import PackageIndex, SourceFile
from gostatic.analysis.scopes import Resolver, resolver_for
from gostatic.parse.census import Nesting
from gostatic.parse.syntax import (
    FUNCTION_TYPES,
    Node,
    assignment_pairs,
    call_args,
    called_selector,
    paren_root,
    statements,
    text,
    unparen,
)

# ------------------------------------------------------------------------------------------ start-up code
_MAX_CALLER_DEPTH = 3  # a helper of a helper of a helper of init; further, say nothing


def _called_only_at_startup(fn: Node, resolver: Resolver, depth: int) -> bool:
    """Every call of the unexported function `fn` in the package's non-test files (one at least) is in
    start-up code: it runs when they do (`readEnvFile`, called only by a `sync.Once` callback). Not a call
    in `main` of package main: its body counts as start-up for what it does itself, but the helpers it
    hands work to are a server's accept loop and handlers (`go serve(conn)`), which run on and on."""
    if depth >= _MAX_CALLER_DEPTH:
        return False
    sites = call_sites(fn, resolver)
    if sites is None or not sites.calls:
        return False
    index = resolver.index
    name = text(fn.child_by_field_name("name") or fn).decode()
    return index.fact(
        f"startup.callers:{fn.type}:{name}:{depth}",
        lambda: all(_startup_call(call, resolver_for(index, f), depth) for f, call in sites.calls),
    )


def _startup_call(call: Node, resolver: Resolver, depth: int) -> bool:
    if is_program_main(resolver.top_function(call), resolver.file.package):
        return False
    return runs_at_startup(call, resolver, depth + 1)


def is_program_main(fn: Node | None, package: str) -> bool:
    """`func main` of package main: it runs once, and its locals live as long as the program."""
    return (
        fn is not None
        and fn.type == "function_declaration"
        and package == "main"
        and text(fn.child_by_field_name("name") or fn) == b"main"
    )


def runs_at_startup(node: Node, resolver: Resolver, depth: int = 0) -> bool:
    """Code that runs a bounded number of times per program, so whatever it adds to a long-lived place is
    set-up, not growth: `init`, `main` of package main, a package-level initializer, a func literal passed to `sync.Once.Do` /
    `sync.OnceFunc` / `sync.OnceValue(s)`, a same-package function passed by name to one of those
    (`once.Do(loadTable)`), or a function named `Register*`/`register*` (by Go convention called while
    the program starts, to fill a registry), a function the package only hands to the flag package
    (`fs.Func("name", usage, f)`, `fs.Var(flagFunc(f), "name", usage)`: it runs once per command-line
    flag), a registration API (`registration_functions`), or an unexported function that the package
    calls only from such code (a helper of `init` or of a once callback: `_called_only_at_startup`)."""
    top = resolver.top_function(node)
    if top is None or top.type == "func_literal":
        return True  # a package-level initializer, or a literal in one
    name = top.child_by_field_name("name")
    if name is None:
        return False
    if resolver.file.source.count(b"func", top.start_byte, top.end_byte) >= 2 and _in_handed_on_literal(
        node, top, resolver
    ):
        return False  # a handler or goroutine that start-up code sets up runs later, and again and again
    if text(name).startswith((b"Register", b"register", b"MustRegister", b"mustRegister")):
        return True
    if top.type == "function_declaration" and text(name).decode() in once_functions(resolver):
        return True
    if top.type == "function_declaration" and text(name).decode() in flag_callbacks(resolver.index):
        return True
    if top.type == "function_declaration" and text(name).decode() in registration_functions(resolver.index):
        return True
    if is_program_main(top, resolver.file.package):
        return True
    if top.type == "function_declaration" and text(name) == b"init":
        return True
    if _called_only_at_startup(top, resolver, depth):
        return True
    if resolver.file.source.count(b"func", top.start_byte, top.end_byte) < 2:
        return False  # no func literal in the function: no Once callback to be in
    fns = resolver.index.census(resolver.file).nesting(FUNCTION_TYPES, node)
    i = fns.around(node)
    return i >= 0 and _in_once_callback(fns, resolver)[i]


def _in_handed_on_literal(node: Node, top: Node, resolver: Resolver) -> bool:
    """`node` lies in a func literal, inside `top`, that is handed on rather than run where it stands: a
    goroutine (`go func() {…}()`), a handler (`http.HandleFunc("/", func(…) {…})`), a callback stored
    for later. A literal called in place (`func() {…}()`, also deferred) runs when `top` does, and so
    does a Once callback (which `runs_at_startup` counts on its own)."""
    fns = resolver.index.census(resolver.file).nesting(FUNCTION_TYPES, node)
    once = _in_once_callback(fns, resolver)
    i = fns.around(node)
    while i >= 0 and fns.nodes[i] != top:
        lit = fns.nodes[i]
        if (
            lit.type == "func_literal"
            and not called_in_place(lit)
            and not _local_called_in_place(lit, resolver)
            and not (once[i] and (fns.parents[i] < 0 or not once[fns.parents[i]]))
        ):
            return True
        i = fns.parents[i]
    return False


def called_in_place(lit: Node) -> bool:
    """`func() {…}()` or `defer func() {…}()`, not `go func() {…}()`."""
    call = paren_root(lit).parent
    return (
        call is not None
        and call.type == "call_expression"
        and unparen(call.child_by_field_name("function")) == lit
        and (call.parent is None or call.parent.type != "go_statement")
    )


def _local_called_in_place(lit: Node, resolver: Resolver) -> bool:
    """`add := func(…) {…}` whose every use is a call of it (not `go add()`, not handed on): it runs
    where it is called, as a literal called in place does."""
    holder = paren_root(lit).parent
    if holder is not None and holder.type == "expression_list":
        holder = holder.parent
    if holder is None or holder.type not in ("short_var_declaration", "assignment_statement"):
        return False
    ident = next(
        (
            left
            for left, right in assignment_pairs(holder)
            if unparen(right) == lit and left.type == "identifier"
        ),
        None,
    )
    b = resolver.resolve(ident) if ident is not None else None
    if b is None or b.kind != "local":
        return False
    refs = [r for r in resolver.references(b) if r != b.ident]
    return bool(refs) and all(
        r.parent is not None
        and r.parent.type == "call_expression"
        and r.parent.child_by_field_name("function") == r
        and (r.parent.parent is None or r.parent.parent.type != "go_statement")
        for r in refs
    )


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
    return _method_calls(f, _ONCE_NAMES)


def _method_calls(f: SourceFile, names: re.Pattern[bytes]) -> Iterator[Node]:
    """The calls `x.Name(...)` of a file whose method name is group 1 of a match of `names`: found from
    the bytes, so that a file that spells none costs one search."""
    root = f.tree.root_node
    for m in names.finditer(f.source):
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


# ------------------------------------------------------------------------------------------ flag callbacks
_FLAG_METHODS = {"Var": 1, "Func": 0, "BoolFunc": 0}  # the method and where its flag's name is
_FLAG_SETS = frozenset({"flag.FlagSet", "github.com/spf13/pflag.FlagSet"})
_STRINGS = frozenset({"interpreted_string_literal", "raw_string_literal"})


def flag_callbacks(index: PackageIndex) -> frozenset[str]:
    """Unexported functions of the package whose every use (outside tests) is as the callback of a
    flag: an argument of `flag.Func`/`BoolFunc`/`Var` (or of those methods of a `FlagSet`), directly or
    converted to a `flag.Value` type (`fs.Var(flagFunc(f), "name", usage)`). The flag package calls
    them while it parses the command line, once per flag given: what they add to a package variable is
    bounded by the command line."""

    def build() -> frozenset[str]:
        from gostatic.analysis.scopes import resolver_for

        names = set()
        for name in sorted(_flag_arguments(index)):
            decl = index.funcs.get(name)
            if decl is None or decl.receiver is not None or not name[:1].islower():
                continue
            uses = 0
            for f, ident in index.value_references(name):
                if f.is_test or ident == decl.node.child_by_field_name("name"):
                    continue
                r = resolver_for(index, f)
                b = r.resolve(ident)
                if b is None or b.kind != "func":
                    continue
                if not _flag_callback_use(ident, r):
                    break
                uses += 1
            else:
                if uses:
                    names.add(name)
        return frozenset(names)

    return index.fact("startup.flag_callbacks", build)


_FLAG_CALL = re.compile(rb"\.\s*(Var|Func|BoolFunc)\s*\(")


def _flag_arguments(index: PackageIndex) -> set[str]:
    """The names handed to a flag registration in the package's non-test files (`fs.Func("n", u, f)`,
    `flag.Var(flagFunc(f), "n", u)`): the only functions that can be flag callbacks. Found from the
    registrations' spelling, so that a package without flags costs one byte search per file (asking
    every function's references instead was quadratic in a large package)."""
    from gostatic.analysis.scopes import resolver_for

    out: set[str] = set()
    for f in index.files:
        if f.is_test:
            continue
        r = None
        for call in _method_calls(f, _FLAG_CALL):
            r = r or resolver_for(index, f)
            if not _registers_flag(call, r):
                continue
            for arg in call_args(call):
                arg = unparen(arg)
                if arg is not None and arg.type == "call_expression" and len(call_args(arg)) == 1:
                    arg = unparen(call_args(arg)[0])  # `flagFunc(f)`
                if arg is not None and arg.type == "identifier":
                    out.add(text(arg).decode())
    return out


def _flag_callback_use(ident: Node, resolver: Resolver) -> bool:
    """`ident` is an argument of a flag registration, itself or through a conversion `T(ident)`."""
    arg = paren_root(ident)
    args = arg.parent
    call = args.parent if args is not None and args.type == "argument_list" else None
    if call is not None and call.type == "call_expression" and len(call_args(call)) == 1:
        fn = unparen(call.child_by_field_name("function"))
        b = resolver.resolve(fn) if fn is not None and fn.type == "identifier" else None
        if b is not None and b.kind == "type":  # `flagFunc(f)`: a func type made a flag.Value
            arg = paren_root(call)
            args = arg.parent
            call = args.parent if args is not None and args.type == "argument_list" else None
    return call is not None and call.type == "call_expression" and _registers_flag(call, resolver)


def _registers_flag(call: Node, resolver: Resolver) -> bool:
    """`flag.Var(v, "name", usage)`, `fs.Func("name", usage, fn)`, ...: the flag's name spelled as a
    string literal where the flag package takes it, on the flag package or a value that is a `FlagSet`
    (or of a type gostatic does not know, such as another package's command's `Flag` field)."""
    fn = unparen(call.child_by_field_name("function"))
    if fn is None or fn.type != "selector_expression":
        return False
    field = fn.child_by_field_name("field")
    at = _FLAG_METHODS.get(text(field).decode() if field is not None else "")
    args = call_args(call)
    if at is None or len(args) != 3 or args[at].type not in _STRINGS:
        return False
    member = resolver.package_member(fn)
    if member is not None:
        return member.rpartition(".")[0] in ("flag", "github.com/spf13/pflag")
    t = resolver.type_of(fn.child_by_field_name("operand"))
    return t is None or t.deref().qualified in _FLAG_SETS


# ------------------------------------------------------------------------------------------ registries
def registration_functions(index: PackageIndex) -> frozenset[str]:
    """Exported functions that nothing in the package calls (outside tests) and that store a function
    they are given into a package variable (`func AddProvider(p func() T) { providers = append(providers,
    p) }`): a registry that other packages fill, by Go convention from their `init`, with functions of
    the program; its size is bounded by the program's code, not by its input."""

    def build() -> frozenset[str]:
        from gostatic.analysis.scopes import resolver_for

        names = set()
        for name, decl in index.funcs.items():
            if decl.receiver is not None or not name[:1].isupper() or decl.file.is_test:
                continue
            if not _stores_func_param(decl.node, resolver_for(index, decl.file)):
                continue  # asked first: it reads one function, the references read the package
            if any(
                not f.is_test and ident != decl.node.child_by_field_name("name")
                for f, ident in index.value_references(name)
            ):
                continue  # used in the package: called per request, perhaps
            names.add(name)
        return frozenset(names)

    return index.fact("startup.registration_functions", build)


def _stores_func_param(fn: Node, resolver: Resolver) -> bool:
    """`fn` appends one of its parameters of function type to a package-level slice, or stores it as a
    value of a package-level map (`m[k] = p`)."""
    params = fn.child_by_field_name("parameters")
    body = fn.child_by_field_name("body")
    if params is None or body is None:
        return False
    funcs: set[bytes] = set()
    for p in params.named_children:
        if p.type != "parameter_declaration":
            continue
        t = resolver.type_node(p.child_by_field_name("type"))
        u = resolver.index.underlying(t) if t is not None else None
        if u is not None and u.kind == "func":
            funcs.update(text(n) for n in p.children_by_field_name("name"))
    if not funcs:
        return False
    for stmt in statements(body):
        if stmt.type != "assignment_statement":
            continue
        for lhs, rhs in assignment_pairs(stmt):
            target = unparen(lhs)
            if target is not None and target.type == "index_expression":
                target = unparen(target.child_by_field_name("operand"))
                stored = [unparen(rhs)]
            else:
                value = unparen(rhs)
                fn_name = (
                    value.child_by_field_name("function")
                    if value is not None and value.type == "call_expression"
                    else None
                )
                if fn_name is None or text(fn_name) != b"append":
                    continue
                stored = [unparen(a) for a in call_args(value)[1:]]
            if (
                target is None
                or target.type != "identifier"
                or not any(v is not None and v.type == "identifier" and text(v) in funcs for v in stored)
            ):
                continue
            b = resolver.resolve(target)
            if b is not None and b.kind == "package_var":
                return True
    return False


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

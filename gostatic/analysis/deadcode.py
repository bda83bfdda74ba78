"""Code that never runs: a branch under a condition the compiler folds to false (`const debug = false` …
`if debug {`, `runtime.GOOS == "aix"` in a package analysed for linux), and an unexported function
whose every call in the package is in such a branch.

A finding there describes something that cannot happen in the program as built: no allocation, no
growth, no leak. It is one fact for every rule (`FileContext.never_runs`), kept apart from the cold-code
reasons (code that runs once or rarely, `cold.py`) because it holds for defects too.

All answers are syntactic and conservative: a condition is false only when every name in it is a
constant whose value the package's source spells out; anything else may run.
"""

from __future__ import annotations

import itertools

from gostatic.analysis.callsites import call_sites
from gostatic.analysis.consts import const_value
from gostatic.analysis.scopes import Resolver, resolver_for
from gostatic.parse.syntax import Node, expression_list, path_to, text, unparen

_MAX_DEPTH = 16  # nested constant names (`const on = verbose && debug`) and callers of callers
_INT_COMPARISONS = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def constant_bool(expr: Node | None, resolver: Resolver, depth: int = 0) -> bool | None:
    """The value of a boolean constant expression (`false`, a `const` spelled `= false`, `!debug`,
    `debug && x`, `level > 2` with integer constants), or None when it is not known to be constant. An
    `&&` with a false operand is false and an `||` with a true operand is true whatever the other
    operand is: Go evaluates neither further."""
    expr = unparen(expr)
    if expr is None or depth > _MAX_DEPTH:
        return None
    t = expr.type
    if t in ("true", "false"):
        return t == "true"
    if t == "identifier":
        return _const_name(expr, resolver, depth)
    if t == "unary_expression":
        op = expr.child_by_field_name("operator")
        if op is None or op.type != "!":
            return None
        inner = constant_bool(expr.child_by_field_name("operand"), resolver, depth + 1)
        return None if inner is None else not inner
    if t != "binary_expression":
        return None
    op = expr.child_by_field_name("operator")
    left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
    if op is None:
        return None
    if op.type in ("&&", "||"):
        decisive = op.type == "||"  # the operand value that decides the result alone
        a = constant_bool(left, resolver, depth + 1)
        if a is decisive:
            return decisive
        b = constant_bool(right, resolver, depth + 1)
        if b is decisive:
            return decisive
        return None if a is None or b is None else not decisive
    compare = _INT_COMPARISONS.get(op.type)
    if compare is None:
        return None
    x, y = const_value(left, resolver), const_value(right, resolver)
    if x is not None and y is not None:
        return compare(x, y)
    if op.type in ("==", "!="):
        same = _same_target(left, right, resolver)
        if same is not None:
            return same == (op.type == "==")
        p, q = constant_bool(left, resolver, depth + 1), constant_bool(right, resolver, depth + 1)
        if p is not None and q is not None:
            return (p == q) == (op.type == "==")
    return None


_TARGET = {"runtime.GOOS": 0, "runtime.GOARCH": 1}


def _same_target(left: Node | None, right: Node | None, resolver: Resolver) -> bool | None:
    """`runtime.GOOS == "aix"` (either way round) in a package analysed for one target: whether the
    target is that one. The run chose the package's files by the same GOOS/GOARCH (`parse.buildtags`)."""
    target = resolver.index.target
    if target is None:
        return None
    for a, b in ((left, right), (right, left)):
        at = _TARGET.get(resolver.package_member(unparen(a)) or "")
        lit = unparen(b)
        if at is not None and lit is not None and lit.type == "interpreted_string_literal":
            return text(lit)[1:-1].decode("utf-8", "replace") == target[at]
    return None


def _const_name(ident: Node, resolver: Resolver, depth: int) -> bool | None:
    """A `const` name whose declaration gives it a boolean value explicitly (`const debug = false`)."""
    b = resolver.resolve(ident)
    if b is None:
        return None
    if b.kind == "builtin":
        return {"true": True, "false": False}.get(b.name)
    spec = b.decl
    if not b.is_const or spec is None or spec.type != "const_spec" or b.ident is None:
        return None
    names = spec.children_by_field_name("name")
    values = expression_list(spec.child_by_field_name("value"))
    at = next((i for i, n in enumerate(names) if n.start_byte == b.ident.start_byte), -1)
    if at < 0 or len(values) != len(names):
        return None  # a repeated expression list (iota) or a malformed spec: not a boolean flag
    r = resolver if b.file is None or b.file is resolver.file else resolver_for(resolver.index, b.file)
    return constant_bool(values[at], r, depth + 1)


def never_runs(node: Node, resolver: Resolver, depth: int = 0, chain: list[Node] | None = None) -> str | None:
    """Why the code at `node` never runs, or None when it may: it sits in the body of an `if` whose
    condition is constant false (or in the `else` of one that is constant true), possibly in a func
    literal there, or in an unexported function that is only called from such code. `chain`: the path
    from the root to `node`, when the caller has it."""
    if chain is None:
        chain = path_to(resolver.file.tree.root_node, node)
    for anc, below in itertools.pairwise(chain):
        if anc.type != "if_statement":
            continue
        if below == anc.child_by_field_name("consequence"):
            dead_when = False
        elif below == anc.child_by_field_name("alternative"):
            dead_when = True
        else:
            continue
        if constant_bool(anc.child_by_field_name("condition"), resolver) is dead_when:
            cond = text(anc.child_by_field_name("condition") or anc).decode("utf-8", "replace")
            return (
                f"under `if {cond}`, a constant {'true' if dead_when else 'false'} condition: it never runs"
            )
    top = chain[1] if len(chain) > 1 else None
    if top is None or top.type != "function_declaration" or depth >= _MAX_DEPTH:
        return None
    return _uncalled_function(top, resolver, depth)


def _uncalled_function(fn: Node, resolver: Resolver, depth: int) -> str | None:
    """An unexported function whose every call in the package's non-test files is in code that never
    runs (at least one such call: a function with no call at all is left alone)."""
    sites = call_sites(fn, resolver)
    if sites is None or not sites.calls:
        return None
    name = text(fn.child_by_field_name("name") or fn).decode()

    def build() -> str | None:
        for f, call in sites.calls:
            if never_runs(call, resolver_for(resolver.index, f), depth + 1) is None:
                return None
        return f"in {name}, called only from code that never runs"

    return resolver.index.fact(f"deadcode.uncalled:{name}", build)

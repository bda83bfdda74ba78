"""CTX: context misuse."""

from __future__ import annotations

from gostatic.analysis.scopes import Binding
from gostatic.analysis.types import GoType
from gostatic.parse.syntax import (
    FUNCTION_TYPES,
    assigned_to,
    callee_name,
    contains,
    expression_list,
    paren_root,
    unparen,
    walk,
)
from gostatic.rule import (
    FileContext,
    Node,
    PackageContext,
    Rule,
    RuleMeta,
    Severity,
    callee_names,
)

_DERIVE_CANCEL = (
    "context.WithCancel",
    "context.WithTimeout",
    "context.WithDeadline",
    "context.WithCancelCause",
    "context.WithTimeoutCause",
    "context.WithDeadlineCause",
)
_DERIVE = ("context.WithValue", *_DERIVE_CANCEL)
# the names those calls are spelled with (a call target always ends in its callee's name)
_DERIVE_NAMES = frozenset(n.encode() for n in callee_names(*_DERIVE))


def _short(name: str) -> str:
    return name.split("/")[-1]


def _assigned_in(loop: Node, binding: Binding, ctx: FileContext) -> bool:
    """Whether `binding` is written (=, op=, :=-redeclared, ++/--) anywhere in `loop`."""
    for n in walk(loop):
        if n.type in ("assignment_statement", "short_var_declaration"):
            for left in expression_list(n.child_by_field_name("left")):
                if left.type == "identifier" and ctx.resolve(left) is binding:
                    return True
        elif n.type in ("inc_statement", "dec_statement"):
            target = n.named_children[0] if n.named_children else None
            if target is not None and target.type == "identifier" and ctx.resolve(target) is binding:
                return True
        elif n.type == "unary_expression":
            op = n.child_by_field_name("operator")
            operand = unparen(n.child_by_field_name("operand"))
            if (
                op is not None
                and op.type == "&"
                and operand is not None
                and operand.type == "identifier"
                and (ctx.resolve(operand) is binding)
            ):
                return True  # its address is taken: it may change through the pointer
    return False


def _declared_outside(binding: Binding, loop: Node) -> bool:
    return binding.ident is not None and not contains(loop, binding.ident)


class ContextKeyBuiltin(Rule):
    """
    ## What it finds
    `context.WithValue(ctx, key, val)` whose key has a built-in type: a string or number literal, an
    untyped constant, or a variable of type string, int and so on; also behind a conversion to `any`
    (`any("user")`) or a local `any` variable holding such a value and never assigned again. Reported at
    the call.
    ## Why it matters
    Keys are compared by type and value: two packages that both use the key "user" read and overwrite each
    other's values. A non-constant key of a non-pointer type is also converted to an interface, which
    allocates on every call. Declare an unexported key type, `type userKey struct{}`, and use `userKey{}`.
    """

    meta = RuleMeta(
        code="CTX001",
        kind="defect",
        name="context-key-builtin",
        severity=Severity.WARNING,
        summary="context.WithValue key of a built-in type",
        needs_imports=("context",),
        bad='package p\n\nimport "context"\n\nfunc withUser(ctx context.Context, id int) context.Context {\n'
        '\treturn context.WithValue(ctx, "user", id)\n}\n',
        good='package p\n\nimport "context"\n\ntype userKey struct{}\n\n'
        "func withUser(ctx context.Context, id int) context.Context {\n"
        "\treturn context.WithValue(ctx, userKey{}, id)\n}\n",
    )

    calls = callee_names("context.WithValue")

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if ctx.call_target(node) != "context.WithValue":
            return
        args = ctx.args(node)
        if len(args) != 3:
            return
        key = args[1]
        t = _dynamic_key_type(ctx, key)
        if t is None:
            return
        if t.kind == "untyped" and t.name in ("string", "int", "float", "rune", "bool"):
            type_name = {"float": "float64", "int": "int"}.get(t.name, t.name)
        elif t.kind == "named" and t.is_basic and not t.is_interface:
            type_name = t.name
        else:
            return
        extra = (
            ""
            if ctx.is_constant(key)
            else " (and a non-constant key is converted to an interface on every call)"
        )
        ctx.report(
            node,
            f"context.WithValue key `{ctx.text(key)}` has built-in type {type_name}: keys collide across "
            f"packages{extra}; use an unexported key type such as `type ctxKey struct{{}}`",
        )


def _interface_conversion_operand(ctx: FileContext, expr: Node | None) -> Node | None:
    """`x` in `any(x)` / `interface{}(x)`: the conversion keeps x's type as the dynamic type."""
    expr = unparen(expr)
    if expr is None:
        return None
    if expr.type == "type_conversion_expression":
        t = expr.child_by_field_name("type")
        if t is not None and t.type == "interface_type" and not t.named_children:
            return expr.child_by_field_name("operand")
        return None
    if expr.type == "call_expression":
        fn = unparen(expr.child_by_field_name("function"))
        args = ctx.args(expr)
        if (
            fn is not None
            and fn.type == "identifier"
            and len(args) == 1
            and ctx.resolver.is_builtin(fn, "any")
        ):
            return args[0]
    return None


def _dynamic_key_type(ctx: FileContext, key: Node, depth: int = 0) -> GoType | None:
    """The type the key has inside the interface WithValue stores: its static type, or for a conversion to
    `any` (or a variable of type `any` that is never assigned after its declaration) the value's type."""
    inner = _interface_conversion_operand(ctx, key)
    if inner is not None:
        return ctx.type_of(inner)
    t = ctx.type_of(key)
    ident = unparen(key)
    if t is None or not t.is_interface or ident is None or ident.type != "identifier" or depth > 2:
        return t
    b = ctx.resolve(ident)
    if b is None or b.kind != "local" or b.value is None or b.value_count != 1 or b.is_const:
        return t  # a package variable may be assigned in any file: its dynamic type is not known here
    for r in ctx.references(b):
        p = paren_root(r).parent
        if assigned_to(r) or (p is not None and p.type == "unary_expression" and p.text.startswith(b"&")):
            return t
    return _dynamic_key_type(ctx, b.value, depth + 1)


class ContextRewrapInLoop(Rule):
    """
    ## What it finds
    `ctx = context.WithValue(ctx, ...)` (or `WithCancel`, `WithTimeout`, `WithDeadline` and their `Cause`
    forms) inside a loop, assigning back to the same variable that was declared outside the loop.
    Reported at the assignment.
    ## Why it matters
    Each iteration wraps the previous context in a new node: the chain grows by one per iteration, every
    `Value` lookup walks all of it, and none of it is freed until the function returns. Derive from the
    loop-invariant parent into a new variable (`ictx := context.WithValue(ctx, ...)`) instead.
    """

    meta = RuleMeta(
        code="CTX002",
        kind="defect",
        name="context-rewrap-in-loop",
        severity=Severity.ERROR,
        summary="context re-wrapped into the same variable on every loop iteration",
        needs_imports=("context",),
        bad='package p\n\nimport "context"\n\ntype key struct{}\n\nfunc run(ctx context.Context, ids []int) {\n'
        "\tfor _, id := range ids {\n\t\tctx = context.WithValue(ctx, key{}, id)\n\t\thandle(ctx)\n\t}\n}\n\n"
        "func handle(context.Context) {}\n",
        good='package p\n\nimport "context"\n\ntype key struct{}\n\nfunc run(ctx context.Context, ids []int) {\n'
        "\tfor _, id := range ids {\n\t\tictx := context.WithValue(ctx, key{}, id)\n\t\thandle(ictx)\n\t}\n}\n\n"
        "func handle(context.Context) {}\n",
    )

    def visit_assignment_statement(self, node: Node, ctx: FileContext) -> None:
        a = ctx.assignment(node)
        if a.op != "=":
            return
        rights, lefts = a.rights, a.lefts
        if len(rights) != 1 or not lefts:
            return
        call = unparen(rights[0])
        if (
            call is None
            or call.type != "call_expression"
            or callee_name(call, ctx.source) not in _DERIVE_NAMES
        ):
            return  # spelling first: most assignments are not `ctx = context.With…(…)`
        target = ctx.call_target(call)
        if target not in _DERIVE:
            return
        args = ctx.args(call)
        parent = unparen(args[0]) if args else None
        left = unparen(lefts[0])
        if parent is None or left is None or parent.type != "identifier" or left.type != "identifier":
            return
        b = ctx.resolve(left)
        if b is None or ctx.resolve(parent) is not b:
            return
        loop = ctx.enclosing_loop(node)
        if loop is None or not _declared_outside(b, loop) or ctx.small_trip_count(loop):
            return  # a loop of a few iterations builds a chain of a few nodes, on purpose
        ctx.report(
            node,
            f"{b.name} = {_short(target)}({b.name}, ...) in a loop adds one node to the context chain per "
            f"iteration; every Value lookup walks the whole chain and none of it is freed until the function "
            f"returns; derive a per-iteration context into a new variable from the loop-invariant parent",
        )


class ContextValueInLoop(Rule):
    """
    ## What it finds
    `ctx.Value(k)` inside a loop when neither `ctx` nor `k` changes in the loop (both declared outside and
    never assigned inside, or `k` constant). Reported at the call.
    ## Why it matters
    `Value` walks the context chain from the innermost node outwards on every call: the same linear walk
    repeated each iteration for the same answer. Read the value once before the loop.
    """

    meta = RuleMeta(
        code="CTX003",
        kind="cost",
        name="context-value-in-loop",
        severity=Severity.INFO,
        summary="loop-invariant ctx.Value lookup inside a loop",
        needs_imports=("context",),
        bad='package p\n\nimport "context"\n\ntype key struct{}\n\n'
        "func sum(ctx context.Context, xs []int) (n int) {\n\tfor _, x := range xs {\n"
        "\t\tif ctx.Value(key{}) != nil {\n\t\t\tn += x\n\t\t}\n\t}\n\treturn n\n}\n",
        good='package p\n\nimport "context"\n\ntype key struct{}\n\n'
        "func sum(ctx context.Context, xs []int) (n int) {\n\ton := ctx.Value(key{}) != nil\n"
        "\tfor _, x := range xs {\n\t\tif on {\n\t\t\tn += x\n\t\t}\n\t}\n\treturn n\n}\n",
    )

    calls = callee_names("context.Context.Value")

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if ctx.call_target(node) != "context.Context.Value":
            return
        recv = ctx.receiver(node)
        args = ctx.args(node)
        if recv is None or recv.type != "identifier" or len(args) != 1:
            return
        loop = ctx.enclosing_loop(node)
        if loop is None:
            return
        rb = ctx.resolve(recv)
        if rb is None or not _declared_outside(rb, loop) or _assigned_in(loop, rb, ctx):
            return
        key = unparen(args[0])
        if key is None or not self._invariant(key, loop, ctx):
            return
        ctx.report(
            node,
            f"{ctx.text(node)} walks the context chain on every iteration although neither {rb.name} nor the "
            "key changes in the loop; read the value once before the loop",
        )

    def _invariant(self, key: Node, loop: Node, ctx: FileContext) -> bool:
        if ctx.is_constant(key):
            return True
        if key.type == "composite_literal":
            body = key.child_by_field_name("body")
            return body is None or not body.named_children
        if key.type == "identifier":
            kb = ctx.resolve(key)
            return (
                kb is not None
                and (kb.is_package_level or (_declared_outside(kb, loop) and not _assigned_in(loop, kb, ctx)))
                and kb.kind != "package_var"
            )
        return False


class ContextInStruct(Rule):
    """
    ## What it finds
    A struct field of type `context.Context` (named or embedded). Reported at the field.
    ## Why it matters
    A context carries request-scoped values and cancellation; stored in a struct it lives as long as the
    struct, keeping those values (and, for a cancelled parent, its whole chain) reachable. Pass the
    context as the first parameter of the methods that need it instead.
    """

    meta = RuleMeta(
        code="CTX004",
        kind="defect",
        name="context-in-struct",
        severity=Severity.INFO,
        default_on=False,
        summary="context.Context stored in a struct field",
        needs_imports=("context",),
        bad='package p\n\nimport "context"\n\ntype Worker struct {\n\tctx context.Context\n\tid  int\n}\n',
        good='package p\n\nimport "context"\n\ntype Worker struct {\n\tid int\n}\n\n'
        "func (w *Worker) Run(ctx context.Context) { _ = ctx }\n",
    )

    def visit_field_declaration(self, node: Node, ctx: FileContext) -> None:
        tnode = node.child_by_field_name("type")
        t = ctx.resolver.type_node(tnode)
        if t is None or not t.is_named("context.Context"):
            return
        names = node.children_by_field_name("name")
        field = ", ".join(ctx.text(n) for n in names) if names else "embedded context.Context"
        ctx.report(
            node,
            f"struct field {field} holds a context.Context: its request-scoped values and chain live as long "
            "as the struct; pass the context as a parameter to the methods that need it",
        )


class LostCancel(Rule):
    """
    ## What it finds
    The cancel function returned by `context.WithCancel`, `WithTimeout`, `WithDeadline` (or their `Cause`
    forms) discarded with `_`, or not called on some path out of the function while it is neither returned,
    stored, passed on nor captured. Reported at the `With...` call.
    ## Why it matters
    Until cancel is called the derived context stays registered with its parent (and a timeout keeps its
    timer): the child, its values and its timer stay alive until the parent is cancelled, which for
    `context.Background()` is never. Call `defer cancel()` right after the call.
    """

    meta = RuleMeta(
        code="CTX005",
        kind="defect",
        name="lost-cancel",
        severity=Severity.ERROR,
        summary="cancel function of a derived context not called on every path",
        needs_imports=("context",),
        bad='package p\n\nimport (\n\t"context"\n\t"time"\n)\n\n'
        "func fetch(ctx context.Context) error {\n\tctx, _ = context.WithTimeout(ctx, time.Second)\n"
        "\treturn do(ctx)\n}\n\nfunc do(context.Context) error { return nil }\n",
        good='package p\n\nimport (\n\t"context"\n\t"time"\n)\n\n'
        "func fetch(ctx context.Context) error {\n\tctx, cancel := context.WithTimeout(ctx, time.Second)\n"
        "\tdefer cancel()\n\treturn do(ctx)\n}\n\nfunc do(context.Context) error { return nil }\n",
    )

    calls = callee_names(*_DERIVE_CANCEL)

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        target = ctx.call_target(node)
        if target not in _DERIVE_CANCEL:
            return
        stmt = node.parent.parent if node.parent is not None else None
        if stmt is None or stmt.type not in ("short_var_declaration", "assignment_statement", "var_spec"):
            return
        field = "value" if stmt.type == "var_spec" else "right"
        rights = expression_list(stmt.child_by_field_name(field))
        if len(rights) != 1 or unparen(rights[0]) != node:
            return
        lefts = (
            stmt.children_by_field_name("name")
            if stmt.type == "var_spec"
            else expression_list(stmt.child_by_field_name("left"))
        )
        if len(lefts) != 2:
            return
        cancel = unparen(lefts[1])
        fn = _short(target)
        if cancel is None:
            return
        if cancel.type == "identifier" and cancel.text == b"_":
            ctx.report(
                node,
                f"the cancel function of {fn} is discarded: the derived context and its timer stay alive "
                "until the parent is cancelled; keep it and `defer cancel()`",
            )
            return
        if cancel.type != "identifier":
            return  # stored into a field or element: responsibility moved
        b = ctx.resolve(cancel)
        if b is None or not b.is_local:
            return
        if ctx.escapes(b):
            return  # returned, stored, passed on, or captured: someone else calls it
        where = stmt if stmt.type != "var_spec" else ctx.statement_of(stmt)

        def is_cancel_call(n: Node) -> bool:
            if n.type != "call_expression":
                return False
            f = unparen(n.child_by_field_name("function"))
            return f is not None and f.type == "identifier" and f.text == cancel.text and ctx.resolve(f) is b

        exits = ctx.exits_without_call(where, is_cancel_call)
        if not exits:
            return
        first = exits[0]
        at = (
            "at the end of the function"
            if first.type in FUNCTION_TYPES
            else f"at line {first.start_point[0] + 1}"
        )
        ctx.report(
            node,
            f"{b.name}, the cancel function of {fn}, is not called on every path (the function can return "
            f"{at} without it): the derived context and its timer stay alive until the parent is cancelled; "
            f"add `defer {b.name}()` after the call",
        )


class ContextValueChain(Rule):
    """
    ## What it finds
    Three or more `context.WithValue` calls in one function that build one chain (each wraps the previous
    result). Reported at the first call of the chain.
    ## Why it matters
    Every `WithValue` allocates a context node, and every `Value` lookup walks the chain node by node. A
    single struct holding all the values under one key costs one node and one step.
    """

    meta = RuleMeta(
        code="CTX006",
        kind="cost",
        name="context-value-chain",
        severity=Severity.INFO,
        summary="three or more WithValue calls on one chain in one function",
        needs_imports=("context",),
        bad='package p\n\nimport "context"\n\ntype (\n\tuserKey  struct{}\n\ttraceKey struct{}\n\t'
        "roleKey  struct{}\n)\n\nfunc annotate(ctx context.Context, user, trace, role string) context.Context {\n"
        "\tctx = context.WithValue(ctx, userKey{}, user)\n\tctx = context.WithValue(ctx, traceKey{}, trace)\n"
        "\treturn context.WithValue(ctx, roleKey{}, role)\n}\n",
        good='package p\n\nimport "context"\n\ntype reqInfo struct{ user, trace, role string }\n\ntype infoKey struct{}\n\n'
        "func annotate(ctx context.Context, user, trace, role string) context.Context {\n"
        "\treturn context.WithValue(ctx, infoKey{}, &reqInfo{user, trace, role})\n}\n",
    )

    calls = callee_names("context.WithValue")
    package_level = False  # chains are per function: finish_package reports on the visited file only

    def begin_package(self, pkg: PackageContext) -> None:
        # the WithValue calls of each function (declaration, method or literal), in document order
        self._by_function: dict[int, tuple[FileContext, list[Node]]] = {}

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if ctx.call_target(node) != "context.WithValue":
            return
        fn = ctx.enclosing_function(node)
        if fn is not None:
            self._by_function.setdefault(fn.id, (ctx, []))[1].append(node)

    def finish_package(self, pkg: PackageContext) -> None:
        for ctx, calls in self._by_function.values():
            if len(calls) >= 3:
                self._check_chain(calls, ctx)
        self._by_function = {}

    def _check_chain(self, calls: list[Node], ctx: FileContext) -> None:
        calls.sort(key=lambda n: n.end_byte)  # a nested call ends before the call that wraps it
        # each call's parent link: the call it wraps, found through a nested call or a variable
        produced: dict[int, Node] = {}  # binding id -> latest call assigned to it (document order)
        length: dict[int, int] = {}
        root: dict[int, Node] = {}
        for call in calls:
            args = ctx.args(call)
            parent = unparen(args[0]) if args else None
            prev: Node | None = None
            if parent is not None and parent.type == "call_expression" and parent.id in length:
                prev = parent
            elif parent is not None and parent.type == "identifier":
                b = ctx.resolve(parent)
                if b is not None and id(b) in produced:
                    prev = produced[id(b)]
            length[call.id] = length[prev.id] + 1 if prev is not None else 1
            root[call.id] = root[prev.id] if prev is not None else call
            target = _assigned_binding(call, ctx)
            if target is not None:
                produced[id(target)] = call
        best: dict[int, int] = {}
        for call in calls:
            r = root[call.id]
            best[r.id] = max(best.get(r.id, 0), length[call.id])
        for call in calls:
            n = best.get(call.id, 0)
            if root[call.id] is call and n >= 3:
                ctx.report(
                    call,
                    f"{n} context.WithValue calls build one chain in this function: each allocates a node and "
                    "lengthens every Value lookup; store one struct with all the values under a single key",
                )


def _assigned_binding(call: Node, ctx: FileContext) -> Binding | None:
    lst = call.parent
    stmt = lst.parent if lst is not None else None
    if lst is None or stmt is None or lst.type != "expression_list":
        return None
    if (
        stmt.type not in ("short_var_declaration", "assignment_statement")
        or stmt.child_by_field_name("right") != lst
    ):
        return None
    rights = expression_list(lst)
    lefts = expression_list(stmt.child_by_field_name("left"))
    if len(lefts) != len(rights):
        return None
    i = next(k for k, r in enumerate(rights) if r == call)
    left = unparen(lefts[i])
    return ctx.resolve(left) if left is not None and left.type == "identifier" else None

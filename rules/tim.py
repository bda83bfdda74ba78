"""TIM: timers, finalizers and deferred work."""

from __future__ import annotations

from gostatic.parse.syntax import assigned_to, unparen, walk
from gostatic.rule import FileContext, Node, Rule, RuleMeta, Severity, callee_names

_TIMER_CONSTRUCTORS = ("time.NewTimer", "time.NewTicker", "time.AfterFunc")


def _root_ident(expr: Node | None) -> Node | None:
    """`x` in `x`, `&x`, `(x)`."""
    expr = unparen(expr)
    if expr is not None and expr.type == "unary_expression":
        op = expr.child_by_field_name("operator")
        if op is not None and op.type == "&":
            expr = unparen(expr.child_by_field_name("operand"))
    return expr if expr is not None and expr.type == "identifier" else None


class FinalizerOnLocalAddress(Rule):
    """
    ## What it finds
    `runtime.SetFinalizer(&v, f)` where `v` is a local variable or parameter. Reported at the call.
    ## Why it matters
    The first argument must point to an object allocated by `new`, a composite literal or `make`. Taking
    `&v` moves `v` to the heap (the compiler says `moved to heap: v`) and ties the finalizer to the
    variable's cell, not to the object `v` may point to: when `v` holds a pointer, the finalizer watches
    the wrong object and runs at an unrelated time. Pass the pointer itself (`v`), or allocate the object
    with `new(T)` / `&T{...}`.
    """

    meta = RuleMeta(
        code="TIM001",
        kind="defect",
        name="finalizer-on-local-address",
        severity=Severity.ERROR,
        summary="runtime.SetFinalizer on the address of a local variable",
        needs_imports=("runtime",),
        bad='package p\n\nimport "runtime"\n\ntype File struct{ fd int }\n\nfunc open() *File {\n'
        "\tf := &File{fd: 3}\n\truntime.SetFinalizer(&f, func(**File) {})\n\treturn f\n}\n",
        good='package p\n\nimport "runtime"\n\ntype File struct{ fd int }\n\nfunc open() *File {\n'
        "\tf := &File{fd: 3}\n\truntime.SetFinalizer(f, func(*File) {})\n\treturn f\n}\n",
    )

    calls = callee_names("runtime.SetFinalizer")

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if ctx.call_target(node) != "runtime.SetFinalizer":
            return
        args = ctx.args(node)
        if len(args) != 2:
            return
        arg = unparen(args[0])
        if arg is None or arg.type != "unary_expression":
            return
        op = arg.child_by_field_name("operator")
        ident = unparen(arg.child_by_field_name("operand"))
        if op is None or op.type != "&" or ident is None or ident.type != "identifier":
            return
        b = ctx.resolve(ident)
        if b is None or not b.is_local:
            return
        name = b.name
        t = ctx.type_of(ident)
        if t is not None and t.kind == "pointer":
            advice = f"pass the pointer itself: runtime.SetFinalizer({name}, ...)"
        else:
            advice = f"allocate the object with new or &T{{...}} and pass that pointer instead of &{name}"
        ctx.report(
            node,
            f"runtime.SetFinalizer(&{name}, ...) takes the address of local variable {name}: {name} is moved "
            f"to the heap and the finalizer is tied to the variable, not to the object; {advice}",
        )


class FinalizerSelfReference(Rule):
    """
    ## What it finds
    A finalizer passed to `runtime.SetFinalizer(obj, f)`, or a cleanup passed to
    `runtime.AddCleanup(obj, f, arg)`, that references `obj` itself: a func literal capturing the variable
    (also when passed through a local variable declared with it and never reassigned), a method value
    `obj.Close`, or (for AddCleanup) `arg` being `obj`. Reported at the call.
    ## Why it matters
    The object is reachable from its own finalizer or cleanup, which the runtime keeps alive: it is never
    collected and the finalizer never runs — a leak of the object and everything it references (recent
    runtimes panic at the `AddCleanup` call instead). Use the finalizer's parameter, or pass the data the
    cleanup needs (a file descriptor, not the object) as `arg`.
    """

    meta = RuleMeta(
        code="TIM002",
        kind="defect",
        name="finalizer-self-reference",
        severity=Severity.ERROR,
        summary="finalizer or cleanup that references its own object",
        needs_imports=("runtime",),
        bad='package p\n\nimport "runtime"\n\ntype Conn struct{ fd int }\n\nfunc dial() *Conn {\n'
        "\tc := &Conn{fd: 3}\n\truntime.SetFinalizer(c, func(*Conn) { closeFD(c.fd) })\n\treturn c\n}\n\n"
        "func closeFD(int) {}\n",
        good='package p\n\nimport "runtime"\n\ntype Conn struct{ fd int }\n\nfunc dial() *Conn {\n'
        "\tc := &Conn{fd: 3}\n\truntime.SetFinalizer(c, func(c *Conn) { closeFD(c.fd) })\n\treturn c\n}\n\n"
        "func closeFD(int) {}\n",
    )

    calls = callee_names("runtime.SetFinalizer", "runtime.AddCleanup")

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        target = ctx.call_target(node)
        if target not in ("runtime.SetFinalizer", "runtime.AddCleanup"):
            return
        args = ctx.args(node)
        if len(args) < 2:
            return
        obj = _root_ident(args[0])
        if obj is None:
            return
        b = ctx.resolve(obj)
        if b is None or b.kind == "builtin":
            return
        fn_name = target.split(".")[1]
        what = "finalizer" if fn_name == "SetFinalizer" else "cleanup"
        f = unparen(args[1])
        how = None
        via = ""
        literal = _local_func_literal(ctx, f)
        if literal is not None:  # `done := func(*H) { use(h) }; runtime.SetFinalizer(h, done)`
            via = f" (through {ctx.text(f)})"
            f = literal
        if f is not None and f.type == "func_literal":
            for n in walk(f):
                if n.type == "identifier" and n.text == obj.text and ctx.resolve(n) is b:
                    how = f"the {what} func literal{via} captures {b.name}"
                    break
        elif (
            f is not None
            and f.type == "selector_expression"
            and (
                _root_ident(f.child_by_field_name("operand")) is not None
                and ctx.resolve(f.child_by_field_name("operand")) is b
            )
        ):
            how = f"the method value {ctx.text(f)} is bound to {b.name}"
        if how is None and fn_name == "AddCleanup" and len(args) == 3:
            a3 = _root_ident(args[2])
            if a3 is not None and ctx.resolve(a3) is b:
                how = f"the cleanup argument is {b.name} itself"
        if how is None:
            return
        ctx.report(
            node,
            f"runtime.{fn_name}({b.name}, ...): {how}, so {b.name} stays reachable from its own {what} and is "
            f"never collected; use the {what}'s parameter or pass only the data it needs",
        )


def _local_func_literal(ctx: FileContext, f: Node | None) -> Node | None:
    """The func literal a local variable was declared with, when `f` names one that is never assigned
    again (so the finalizer passed is that literal)."""
    if f is None or f.type != "identifier":
        return None
    b = ctx.resolve(f)
    if b is None or b.kind != "local" or b.value_count != 1:
        return None
    value = unparen(b.value)
    if value is None or value.type != "func_literal":
        return None
    if any(assigned_to(r) for r in ctx.references(b)):
        return None
    return value


class SetFinalizer(Rule):
    """
    ## What it finds
    Any `runtime.SetFinalizer` call in a module whose Go version is 1.24 or later. Reported at the call.
    ## Why it matters
    `runtime.AddCleanup` (Go 1.24) does not resurrect the object, allows several cleanups per object,
    runs cleanups for objects in cycles, and does not delay freeing by a GC cycle as finalizers do: an
    object with a finalizer, and everything it references, stays in the heap one more cycle. That is the
    saving, and it is worth it for objects that own memory; `AddCleanup` itself allocates its closure
    (about 40 B in 3 objects per call, where `SetFinalizer` allocates nothing), so for an object of a few
    words it saves nothing (measured: `bench/claims/tim003`).
    ## Go versions
    Only reported when go.mod (or `--go-version`) says 1.24 or later; `toolchain` wins over `go`.
    """

    meta = RuleMeta(
        code="TIM003",
        kind="cost",
        name="set-finalizer",
        severity=Severity.INFO,
        summary="runtime.SetFinalizer where runtime.AddCleanup is available",
        needs_imports=("runtime",),
        go=">=1.24",
        bad='package p\n\nimport "runtime"\n\ntype F struct {\n\tfd  int\n\tbuf [4096]byte\n}\n\nfunc track(f *F) {\n'
        "\truntime.SetFinalizer(f, func(f *F) { release(f.fd) })\n}\n\nfunc release(int) {}\n",
        good='package p\n\nimport "runtime"\n\ntype F struct {\n\tfd  int\n\tbuf [4096]byte\n}\n\nfunc track(f *F) {\n'
        "\truntime.AddCleanup(f, release, f.fd)\n}\n\nfunc release(int) {}\n",
    )

    calls = callee_names("runtime.SetFinalizer")

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if ctx.call_target(node) != "runtime.SetFinalizer":
            return
        args = ctx.args(node)
        if len(args) == 2 and unparen(args[1]) is not None and unparen(args[1]).type == "nil":  # type: ignore[union-attr]
            return  # clearing a finalizer
        ctx.report(
            node,
            "runtime.SetFinalizer resurrects its object and delays freeing by a GC cycle; since Go 1.24 "
            "prefer runtime.AddCleanup(obj, cleanup, arg), which does neither",
        )


class TimerPerIteration(Rule):
    """
    ## What it finds
    `time.NewTimer`, `time.NewTicker` or `time.AfterFunc` called inside a loop body (not inside a func
    literal defined there). Reported at the call. Hot context only.
    ## Why it matters
    Every iteration allocates a timer (and a channel for NewTimer/NewTicker) and inserts it into the
    runtime's timer heap; at a high loop rate this churns the heap and the GC. Create the timer once
    before the loop and `Reset` it per iteration.
    """

    meta = RuleMeta(
        code="TIM004",
        kind="cost",
        allocates=True,
        name="timer-per-iteration",
        severity=Severity.INFO,
        summary="timer created on every loop iteration",
        needs_imports=("time",),
        hot_only=True,
        bad='package p\n\nimport "time"\n\nfunc poll(jobs <-chan int) {\n\tfor j := range jobs {\n'
        "\t\tt := time.NewTimer(time.Second)\n\t\tselect {\n\t\tcase <-t.C:\n\t\tdefault:\n\t\t}\n"
        "\t\tt.Stop()\n\t\t_ = j\n\t}\n}\n",
        good='package p\n\nimport "time"\n\nfunc poll(jobs <-chan int) {\n\tt := time.NewTimer(time.Second)\n'
        "\tdefer t.Stop()\n\tfor j := range jobs {\n\t\tt.Reset(time.Second)\n\t\t_ = j\n\t}\n}\n",
    )

    calls = callee_names(*_TIMER_CONSTRUCTORS)

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        target = ctx.call_target(node)
        if target not in _TIMER_CONSTRUCTORS or ctx.enclosing_loop(node) is None:
            return
        ctx.report(
            node,
            f"{target} in a loop allocates a new timer every iteration and churns the runtime timer heap; "
            "create it once before the loop and call Reset each iteration",
        )


class DeferInLoop(Rule):
    """
    ## What it finds
    A `defer` statement directly inside a loop body (not inside a func literal called per iteration).
    Reported at the `defer`. Not reported when every path after the `defer` leaves the loop (`return`,
    `break`, `panic`: the loop does not iterate again), or when the loop provably runs at most 8 times
    (a range over a short composite literal, `for i := 0; i < 3; i++`): the pile-up is bounded. Nor in
    a `select` case that can fire only once while the loop runs: `case <-t.C:` of a `time.NewTimer`
    made before the loop and re-armed, if at all, only by `if t.Stop() { t.Reset(d) }` (Stop returns
    true only when the timer had not fired), or `case <-ch:` of a `ch := time.After(d)` made before it.
    ## Why it matters
    Deferred calls run when the function returns, not at the end of the iteration: every iteration adds
    one deferred call, and everything it references (files, buffers, locks) stays alive until the
    function returns. Move the body into a function (or a func literal called per iteration), or release
    the resource explicitly at the end of the iteration.
    """

    meta = RuleMeta(
        code="TIM005",
        kind="cost",
        allocates=True,
        name="defer-in-loop",
        severity=Severity.WARNING,
        summary="defer inside a loop body accumulates until the function returns",
        bad='package p\n\nimport "os"\n\nfunc sizes(paths []string) {\n\tfor _, p := range paths {\n'
        "\t\tf, err := os.Open(p)\n\t\tif err != nil {\n\t\t\tcontinue\n\t\t}\n\t\tdefer f.Close()\n\t}\n}\n",
        good='package p\n\nimport "os"\n\nfunc sizes(paths []string) {\n\tfor _, p := range paths {\n'
        "\t\tfunc() {\n\t\t\tf, err := os.Open(p)\n\t\t\tif err != nil {\n\t\t\t\treturn\n\t\t\t}\n"
        "\t\t\tdefer f.Close()\n\t\t}()\n\t}\n}\n",
    )

    def visit_defer_statement(self, node: Node, ctx: FileContext) -> None:
        loop = ctx.enclosing_loop(node)
        if loop is None or ctx.leaves_loop_after(node, loop) or ctx.small_trip_count(loop):
            return
        call = node.named_children[0] if node.named_children else None
        what = ctx.text(call)
        if call is None or len(what) > 40 or "\n" in what:
            fn = (
                call.child_by_field_name("function")
                if call is not None and call.type == "call_expression"
                else None
            )
            fn_text = ctx.text(fn)
            if fn is not None and fn.type == "func_literal":
                what = "func() {...}()"
            elif fn is not None and len(fn_text) <= 40 and "\n" not in fn_text:
                what = f"{fn_text}(...)"
            else:
                what = "the deferred call"
        ctx.report(
            node,
            f"defer {what} inside a loop runs only when the function returns, so deferred calls and what "
            "they reference pile up with every iteration; move the loop body into a function or release "
            "explicitly at the end of the iteration",
        )

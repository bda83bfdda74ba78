"""GOR: goroutine and timer lifecycle."""

from __future__ import annotations

from gostatic.analysis import loops, startup
from gostatic.analysis.scopes import Binding, Resolver, resolver_for
from gostatic.parse.syntax import (
    FUNCTION_TYPES,
    assigned_to,
    call_args,
    contains,
    paren_root,
    statements,
    text,
    unparen,
    walk,
)
from gostatic.rule import (
    Edit,
    FileContext,
    Fix,
    Node,
    Rule,
    RuleMeta,
    Severity,
    callee_names,
    insert_line_after,
)


# ------------------------------------------------------------------------------------------ helpers
def _is_time_call(expr: Node | None, resolver: Resolver, names: tuple[str, ...]) -> bool:
    expr = unparen(expr)
    if expr is None or expr.type != "call_expression":
        return False
    member = resolver.package_member(expr.child_by_field_name("function"))
    return member is not None and member.startswith("time.") and member[len("time.") :] in names


def _timer_channel(expr: Node | None, resolver: Resolver, ticker_only: bool = False) -> bool:
    """A channel only the runtime sends on and nobody closes: `t.C` of a *time.Ticker (or *time.Timer),
    `time.Tick(d)` (`time.After(d)`), or a local bound once to one of those."""
    expr = unparen(expr)
    if expr is None:
        return False
    calls = ("Tick",) if ticker_only else ("Tick", "After")
    if _is_time_call(expr, resolver, calls):
        return True
    if expr.type == "selector_expression":
        field = expr.child_by_field_name("field")
        if field is None or field.text != b"C":
            return False
        t = resolver.type_of(expr.child_by_field_name("operand"))
        kinds = ("time.Ticker",) if ticker_only else ("time.Ticker", "time.Timer")
        return t is not None and any(t.deref().is_named(k) for k in kinds)
    if expr.type == "identifier":
        b = resolver.resolve(expr)
        if b is None or b.kind != "local" or b.value is None or b.value_count != 1:
            return False
        writes = [r for r in resolver.references(b) if assigned_to(r, declarations=False)]
        return not writes and _timer_channel(b.value, resolver, ticker_only)
    return False


def _endless_loop(loop: Node, resolver: Resolver) -> str | None:
    """How `loop` is written when it has no condition of its own: "for {}", "for range <ticker>"."""
    if loops.is_infinite_loop(loop):
        return "`for {}`"
    clause = next((c for c in loop.named_children if c.type in ("for_clause", "range_clause")), None)
    if clause is None:
        return None
    if clause.type == "for_clause":
        return "`for ;; {}`" if clause.child_by_field_name("condition") is None else None
    right = clause.child_by_field_name("right")
    if _timer_channel(right, resolver, ticker_only=True):
        return f"`for range {text(right).decode()}`"
    return None


def _line(ctx: FileContext, node: Node) -> int:
    return node.start_point[0] + 1


# ------------------------------------------------------------------------------------------ GOR001
class GoroutineNoExit(Rule):
    """
    ## What it finds
    A `go` statement whose body, a func literal or a function or method declared in the same package,
    runs a loop with no condition (`for {}`, `for range ticker.C`, `for range time.Tick(d)`) and no way
    out of it: no `return`, no `break` (or labelled `break`/`goto`) that leaves it, no receive from
    `ctx.Done()` or any other channel that can be closed, no `os.Exit`, `panic`, `log.Fatal` or
    `runtime.Goexit`. `for v := range ch` is not such a loop: it ends when `ch` is closed. Reported at the
    `go` statement.

    Goroutines started once per program are not reported: from `init`, from `main` of package main, from
    a package-level initializer, or inside `sync.Once.Do`. Nor are goroutines started right before the
    process ends or is replaced: when a later statement of a block around the `go` (not in a branch)
    calls `syscall.Exec`, `os.Exit` or `log.Fatal*`.
    ## Why it matters
    The goroutine can never finish: its stack and everything it references (captured variables, the
    receiver, buffers, connections) stay reachable for the rest of the program, and each call of the
    function that starts it adds one more. Give it a stop signal: a `ctx.Done()` or `done` channel case
    that returns, and stop the ticker.
    """

    meta = RuleMeta(
        code="GOR001",
        kind="defect",
        name="goroutine-no-exit",
        severity=Severity.WARNING,
        summary="goroutine that loops forever with no way out",
        bad='package p\n\nimport "time"\n\nfunc watch(poll func()) {\n\tgo func() {\n'
        "\t\tt := time.NewTicker(time.Second)\n\t\tfor range t.C {\n\t\t\tpoll()\n\t\t}\n\t}()\n}\n",
        good='package p\n\nimport (\n\t"context"\n\t"time"\n)\n\nfunc watch(ctx context.Context, poll func()) {\n'
        "\tgo func() {\n\t\tt := time.NewTicker(time.Second)\n\t\tdefer t.Stop()\n\t\tfor {\n\t\t\tselect {\n"
        "\t\t\tcase <-ctx.Done():\n\t\t\t\treturn\n\t\t\tcase <-t.C:\n\t\t\t\tpoll()\n\t\t\t}\n\t\t}\n\t}()\n}\n",
    )

    def visit_go_statement(self, node: Node, ctx: FileContext) -> None:
        call = unparen(node.named_children[0]) if node.named_children else None
        if call is None or call.type != "call_expression":
            return
        if ctx.file.package == "runtime":
            return  # the runtime's system goroutines (sweeper, scavenger, finalizers) park, by design
        target = _launched_body(call, ctx)
        if target is None:
            return
        body, resolver, who = target
        if b"for" not in resolver.file.source[body.start_byte : body.end_byte] or ctx.runs_at_startup(node):
            return  # no loop to run forever (the cheap test first), or set-up code
        if _process_ends_after(node, ctx):
            return  # the process execs or exits next: the goroutine does not outlive it
        for loop in walk(body, prune=FUNCTION_TYPES):
            if loop.type != "for_statement":
                continue
            shape = _endless_loop(loop, resolver)
            if shape is None:
                continue
            if loops.loop_ways_out(loop, resolver, lambda r, res=resolver: _closable_receive(r, res)):
                continue
            ctx.report(
                node,
                f"{who} runs {shape} with no way out (no return, break, receive from ctx.Done() or another "
                "closable channel, os.Exit or panic): the goroutine and everything it references stay alive "
                "forever; give it a stop signal such as `case <-ctx.Done(): return`",
            )
            return


_PROCESS_ENDS = frozenset(
    {"syscall.Exec", "golang.org/x/sys/unix.Exec", "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln"}
)


def _process_ends_after(stmt: Node, ctx: FileContext) -> bool:
    """A statement that follows `stmt` in one of the blocks around it (same function, not in a branch)
    replaces or ends the process: `syscall.Exec(...)` (also as `if err := syscall.Exec(...); err != nil`
    or `err := syscall.Exec(...)`), `os.Exit`, `log.Fatal*`. Whatever loop a goroutine started there runs
    stops with the process."""
    path = ctx.index.census(ctx.file).path_in_function(stmt)
    for k in range(len(path) - 1, 0, -1):
        cur, holder = path[k], path[k - 1]
        if holder.type in FUNCTION_TYPES:
            break
        if holder.type not in ("block", "statement_list"):
            continue
        for later in statements(holder):
            if later.start_byte > cur.start_byte and any(
                _ends_process(c, ctx) for c in _statement_calls(later)
            ):
                return True
    return False


def _statement_calls(s: Node) -> list[Node]:
    """The calls a statement makes whenever it runs: its expression, its right-hand side, or an `if`'s
    initializer."""
    if s.type == "if_statement":
        init = s.child_by_field_name("initializer")
        return _statement_calls(init) if init is not None else []
    if s.type == "expression_statement":
        return [unparen(c) for c in s.named_children]
    if s.type in ("short_var_declaration", "assignment_statement"):
        right = s.child_by_field_name("right")
        return [unparen(c) for c in (right.named_children if right is not None else ())]
    return []


def _ends_process(call: Node | None, ctx: FileContext) -> bool:
    if call is None or call.type != "call_expression":
        return False
    return ctx.resolver.package_member(unparen(call.child_by_field_name("function"))) in _PROCESS_ENDS


def _closable_receive(recv: Node, resolver: Resolver) -> bool:
    ch = loops.received_channel(recv)
    return ch is not None and not _timer_channel(ch, resolver)


def _launched_body(call: Node, ctx: FileContext) -> tuple[Node, Resolver, str] | None:
    """The body a `go` call runs, the resolver of the file it is in, and how to name it."""
    fn = unparen(call.child_by_field_name("function"))
    if fn is None:
        return None
    if fn.type == "func_literal":
        body = fn.child_by_field_name("body")
        return (body, ctx.resolver, "the goroutine started here") if body is not None else None
    decl = None
    if fn.type == "identifier":
        b = ctx.resolve(fn)
        if b is None or b.kind != "func":
            return None
        decl = ctx.index.funcs.get(b.name)
    elif fn.type == "selector_expression":
        operand = unparen(fn.child_by_field_name("operand"))
        field = fn.child_by_field_name("field")
        t = ctx.type_of(operand)
        if t is None or field is None:
            return None
        base = t.deref()
        if base.kind != "named" or base.pkg:
            return None
        decl = ctx.index.methods.get((base.name, text(field).decode()))
    if decl is None:
        return None
    body = decl.node.child_by_field_name("body")
    if body is None:
        return None
    resolver = resolver_for(ctx.index, decl.file)
    return body, resolver, f"the goroutine running {text(fn).decode()}"


# ------------------------------------------------------------------------------------------ GOR002
class LeakyUnbufferedSend(Rule):
    """
    ## What it finds
    A goroutine (a func literal started with `go`) that sends once on an unbuffered channel made in the
    enclosing function (`ch := make(chan T)`), while the enclosing function can return without receiving
    it: the receive is a case of a `select` whose other case (`ctx.Done()`, `time.After`, `default`)
    returns, a `return` comes between the `go` statement and the receive, or there is no receive at all.
    Reported at the blocking send `ch <- v` inside the goroutine. Channels that leave the function
    (returned, passed, stored) or are used by another func literal are not reported, nor sends inside a
    `select` or in a loop. In a `_test.go` file, a select case that fails the test (`t.Error("timeout")`,
    `t.Fatalf`, `require.Fail`) does not count: only a test that has already failed leaves the goroutine.
    ## Why it matters
    An unbuffered send completes only when someone receives. Once the function has returned nobody
    will: the goroutine blocks forever, and its stack and everything it references leak, once per call.
    ## Fix safety
    Safe: `make(chan T, 1)` lets the single send complete whether or not anybody receives; a receiver that
    does come still gets the value.
    """

    meta = RuleMeta(
        code="GOR002",
        kind="defect",
        name="leaky-unbuffered-send",
        severity=Severity.ERROR,
        summary="goroutine send on an unbuffered channel that may never be received",
        fix="safe",
        bad='package p\n\nimport (\n\t"context"\n\t"errors"\n)\n\n'
        "func fetch(ctx context.Context, get func() int) (int, error) {\n\tch := make(chan int)\n"
        "\tgo func() {\n\t\tch <- get()\n\t}()\n\tselect {\n\tcase v := <-ch:\n\t\treturn v, nil\n"
        '\tcase <-ctx.Done():\n\t\treturn 0, errors.New("timeout")\n\t}\n}\n',
        good='package p\n\nimport (\n\t"context"\n\t"errors"\n)\n\n'
        "func fetch(ctx context.Context, get func() int) (int, error) {\n\tch := make(chan int, 1)\n"
        "\tgo func() {\n\t\tch <- get()\n\t}()\n\tselect {\n\tcase v := <-ch:\n\t\treturn v, nil\n"
        '\tcase <-ctx.Done():\n\t\treturn 0, errors.New("timeout")\n\t}\n}\n',
    )

    def visit_go_statement(self, node: Node, ctx: FileContext) -> None:
        call = unparen(node.named_children[0]) if node.named_children else None
        lit = (
            unparen(call.child_by_field_name("function"))
            if call is not None and call.type == "call_expression"
            else None
        )
        if lit is None or lit.type != "func_literal":
            return
        home = ctx.enclosing_function(node)
        if home is None:
            return
        sends: dict[int, tuple[Binding, list[Node]]] = {}
        for n in walk(lit, prune=FUNCTION_TYPES):
            if n.type != "send_statement":
                continue
            ch = unparen(n.child_by_field_name("channel"))
            b = ctx.resolve(ch) if ch is not None and ch.type == "identifier" else None
            if b is None or b.kind != "local" or ctx.enclosing_function(b.ident) != home:
                continue
            sends.setdefault(id(b), (b, []))[1].append(n)
        for b, ss in sends.values():
            self._check(node, lit, home, b, ss, ctx)

    def _check(
        self, go: Node, lit: Node, home: Node, b: Binding, sends: list[Node], ctx: FileContext
    ) -> None:
        make = _unbuffered_make(b, ctx)
        if make is None:
            return
        for s in sends:
            if s.parent is not None and s.parent.type == "communication_case":
                return  # the goroutine has a select around its send
            loop = ctx.enclosing_loop(s)
            if loop is not None and contains(lit, loop):
                return  # several sends: a buffer of one would not do
        refs = ctx.references(b)
        inside = [r for r in refs if contains(lit, r)]
        if any(not _is_send_channel(r) and not _is_close_arg(r, ctx) for r in inside):
            return  # the goroutine also receives or passes the channel on
        outside = [r for r in refs if not contains(lit, r)]
        if any(ctx.enclosing_function(r) != home for r in outside):
            return  # another func literal uses it
        if [e for e in ctx.escapes(b) if not contains(lit, e.node)]:
            return
        receives = [r for r in outside if _received(r)]
        reason = _leak_reason(go, receives, home, ctx)
        if reason is None:
            return
        name = b.name
        args = call_args(make)
        if len(args) == 1:
            edit = Edit(args[0].end_byte, args[0].end_byte, ", 1")
        else:
            edit = Edit.replace(args[1], "1")
        fname = loops.function_name(home) or "the enclosing function"
        ctx.report(
            sends[0],
            f"goroutine sends on unbuffered channel {name}, but {fname} can return without receiving it "
            f"({reason}): the send then blocks forever and the goroutine leaks with everything it "
            f"references; give the channel a buffer of one: make({text(args[0]).decode()}, 1)",
            fix=Fix(f"make {name} buffered (capacity 1)", [edit]),
        )


def _unbuffered_make(b: Binding, ctx: FileContext) -> Node | None:
    """The `make(chan T)` / `make(chan T, 0)` that `b` is declared with, and is never reassigned."""
    value = unparen(b.value)
    if value is None or b.value_count != 1 or ctx.call_target(value) != "make":
        return None
    args = call_args(value)
    if not args or args[0].type != "channel_type":
        return None
    if len(args) == 2 and not (args[1].type == "int_literal" and args[1].text == b"0"):
        return None
    if len(args) > 2 or any(assigned_to(r, declarations=False) for r in ctx.references(b)):
        return None
    return value


def _is_send_channel(ref: Node) -> bool:
    p = ref.parent
    return p is not None and p.type == "send_statement" and p.child_by_field_name("channel") == ref


def _is_close_arg(ref: Node, ctx: FileContext) -> bool:
    p = ref.parent
    call = p.parent if p is not None and p.type == "argument_list" else None
    return call is not None and ctx.call_target(call) == "close"


def _received(ref: Node) -> bool:
    p = ref.parent
    if p is None:
        return False
    if p.type == "unary_expression":
        op = p.child_by_field_name("operator")
        return op is not None and op.type == "<-"
    return p.type == "range_clause" and p.child_by_field_name("right") == ref


def _leak_reason(go: Node, receives: list[Node], home: Node, ctx: FileContext) -> str | None:
    if not receives:
        return "it never receives from the channel"
    first = min(receives, key=lambda r: r.start_byte)
    body = home.child_by_field_name("body")
    if body is not None:
        for ret in walk(body, prune=FUNCTION_TYPES):
            if ret.type != "return_statement":
                continue
            if (
                go.end_byte <= ret.start_byte < first.start_byte
                and not contains(ret, first)
                and ctx.may_run_after(go, ret)
            ):
                return f"the return on line {_line(ctx, ret)} comes before the receive"
    for r in receives:
        case = _select_case_of(r)
        if case is None:
            continue
        select = case.parent
        for other in select.named_children if select is not None else ():
            if other == case or other.type not in ("communication_case", "default_case"):
                continue
            if any(contains(other, x) for x in receives):
                continue  # that case drains the channel itself (`<-done` after killing the worker)
            if ctx.file.is_test and _fails_the_test(other, ctx):
                continue  # a timeout that fails the test: the goroutine is left only by a failing test
            if any(n.type == "return_statement" for n in walk(other, prune=FUNCTION_TYPES)) or (
                ctx.enclosing_loop(select) is None
                and not any(x.start_byte > select.end_byte for x in receives)
            ):
                what = (
                    "default"
                    if other.type == "default_case"
                    else text(other.child_by_field_name("communication") or other).decode()
                )
                return f"the select on line {_line(ctx, select)} can take `{_shorten(what)}` instead"
    return None


_FAILING = frozenset({b"Error", b"Errorf", b"Fatal", b"Fatalf", b"Fail", b"FailNow"})
_TESTING_TYPES = frozenset({"testing.T", "testing.B", "testing.F", "testing.TB"})


def _fails_the_test(case: Node, ctx: FileContext) -> bool:
    """The select case reports a test failure (`t.Error("timeout")`, `t.Fatalf`, `require.Fail(t, …)`,
    `assert.Fail`): the program is a test binary whose test has already failed, and it ends soon."""
    return any(_is_test_failure(n, ctx) for n in walk(case, prune=FUNCTION_TYPES))


def _always_fails_the_test(case: Node, ctx: FileContext) -> bool:
    """A statement of the case itself (not one under an `if` in it) reports a test failure."""
    return any(
        st.type == "expression_statement" and _is_test_failure(unparen(st.named_children[0]), ctx)
        for st in statements(case)
        if st.named_children
    )


def _is_test_failure(n: Node | None, ctx: FileContext) -> bool:
    if n is None or n.type != "call_expression":
        return False
    fn = unparen(n.child_by_field_name("function"))
    if fn is None or fn.type != "selector_expression":
        return False
    field = fn.child_by_field_name("field")
    if field is None or field.text not in _FAILING:
        return False
    member = ctx.resolver.package_member(fn)
    if member is not None:
        return member.rpartition(".")[0].endswith(("/require", "/assert"))
    t = ctx.type_of(fn.child_by_field_name("operand"))
    return t is not None and t.deref().qualified in _TESTING_TYPES


def _select_case_of(ref: Node) -> Node | None:
    """The communication_case whose communication is this receive."""
    cur = ref.parent  # the unary receive
    while cur is not None and cur.type in ("unary_expression", "parenthesized_expression", "expression_list"):
        cur = cur.parent
    if cur is not None and cur.type == "receive_statement":
        cur = cur.parent
    if cur is not None and cur.type == "communication_case":
        comm = cur.child_by_field_name("communication")
        if comm is not None and contains(comm, ref):
            return cur
    return None


def _shorten(s: str) -> str:
    s = " ".join(s.split())
    return s if len(s) <= 40 else s[:37] + "..."


# ------------------------------------------------------------------------------------------ GOR003
class TimeTickLeak(Rule):
    """
    ## What it finds
    `time.Tick(d)` outside `main` and `init` (and outside package-level initializers) when the module's
    Go version is below 1.23. Reported at the call.
    ## Why it matters
    `time.Tick` returns only the channel: the ticker behind it can never be stopped, and before Go 1.23
    the runtime never collected an unstopped ticker, so each call leaks a ticker that keeps firing forever.
    In `main` or `init` it runs once and lives as long as the program anyway. Use
    `t := time.NewTicker(d)` with `defer t.Stop()`.
    ## Go versions
    Only below Go 1.23: since then unreferenced tickers are garbage collected and `time.Tick` is fine.
    The Go version is the `toolchain` directive of the nearest go.mod when present, else its `go`
    directive; `--go-version` overrides both.
    """

    meta = RuleMeta(
        code="GOR003",
        kind="defect",
        name="time-tick-leak",
        severity=Severity.WARNING,
        summary="time.Tick outside main/init leaks its ticker before Go 1.23",
        needs_imports=("time",),
        go="<1.23",
        bad='package p\n\nimport "time"\n\nfunc poll(stop <-chan struct{}, f func()) {\n\ttick := time.Tick(time.Second)\n'
        "\tfor {\n\t\tselect {\n\t\tcase <-stop:\n\t\t\treturn\n\t\tcase <-tick:\n\t\t\tf()\n\t\t}\n\t}\n}\n",
        good='package p\n\nimport "time"\n\nfunc poll(stop <-chan struct{}, f func()) {\n\tt := time.NewTicker(time.Second)\n'
        "\tdefer t.Stop()\n\tfor {\n\t\tselect {\n\t\tcase <-stop:\n\t\t\treturn\n\t\tcase <-t.C:\n\t\t\tf()\n\t\t}\n\t}\n}\n",
    )

    calls = callee_names("time.Tick")

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if ctx.call_target(node) != "time.Tick":
            return
        top = ctx.resolver.top_function(node)
        if top is None:
            return
        name = top.child_by_field_name("name")
        if startup.is_program_main(top, ctx.file.package) or (
            top.type == "function_declaration" and name is not None and name.text == b"init"
        ):
            return
        ctx.report(
            node,
            "time.Tick creates a ticker that can never be stopped, and before Go 1.23 an unstopped ticker is "
            "never garbage collected: every call leaks one; use t := time.NewTicker(d) with defer t.Stop()",
        )


# ------------------------------------------------------------------------------------------ GOR004
class TickerNotStopped(Rule):
    """
    ## What it finds
    `time.NewTicker(d)` or `time.NewTimer(d)` assigned to a local variable that is never `Stop()`ped in
    the function and does not leave it (not returned, stored, sent, passed to a call, or captured by a
    func literal). Reported at the `NewTicker`/`NewTimer` call. Not reported in `main` of package main,
    nor for a timer whose channel the function receives from unconditionally (`<-t.C` outside a
    `select`, or in a `select` whose other cases all fail the test, `default: t.Errorf(…)`: the timer has
    fired wherever the program goes on).
    ## Why it matters
    Before Go 1.23 an unstopped timer stays in the runtime's timer heap until it fires, and an unstopped
    ticker forever, with everything it references. From Go 1.23 on an unreferenced timer is collected,
    but a ticker still fires until then; stopping it is the clear, cheap way to end it. Add
    `defer t.Stop()` right after creating it.
    ## Fix safety
    Safe: inserts `defer t.Stop()` after the creating statement (not offered inside a loop, where it
    would pile up, or when the variable is assigned more than once). The timer does not leave the
    function, so nothing uses it after the function returns.
    ## Go versions
    A warning below Go 1.23; info from 1.23 on. The Go version is the `toolchain` directive of the nearest
    go.mod when present, else its `go` directive; `--go-version` overrides both.
    """

    meta = RuleMeta(
        code="GOR004",
        kind="defect",
        name="ticker-not-stopped",
        severity=Severity.WARNING,
        summary="ticker or timer that is never stopped",
        needs_imports=("time",),
        fix="safe",
        bad='package p\n\nimport "time"\n\nfunc wait(done <-chan struct{}) bool {\n\tt := time.NewTimer(time.Second)\n'
        "\tselect {\n\tcase <-done:\n\t\treturn true\n\tcase <-t.C:\n\t\treturn false\n\t}\n}\n",
        good='package p\n\nimport "time"\n\nfunc wait(done <-chan struct{}) bool {\n\tt := time.NewTimer(time.Second)\n'
        "\tdefer t.Stop()\n\tselect {\n\tcase <-done:\n\t\treturn true\n\tcase <-t.C:\n\t\treturn false\n\t}\n}\n",
    )

    calls = callee_names("time.NewTicker", "time.NewTimer")

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        target = ctx.call_target(node)
        if target not in ("time.NewTicker", "time.NewTimer"):
            return
        bound = ctx.assigned_local(node)
        if bound is None:
            return
        b, stmt = bound
        if startup.is_program_main(ctx.resolver.top_function(node), ctx.file.package):
            return
        refs = ctx.references(b)
        if any(_method_call_on(r) == "Stop" or _channel_leaves(r) for r in refs) or ctx.escapes(b):
            return  # stopped, or its channel handed to code that may still wait on it
        if target == "time.NewTimer" and any(
            _plain_receive_of_c(r) or _received_unless_the_test_failed(r, ctx) for r in refs
        ):
            return
        kind = "ticker" if target == "time.NewTicker" else "timer"
        old = not ctx.go_at_least(1, 23)
        if old:
            why = (
                "before Go 1.23 an unstopped ticker is never garbage collected"
                if kind == "ticker"
                else "before Go 1.23 it stays in the runtime timer heap until it fires"
            )
        else:
            why = f"the {kind} keeps running until it becomes unreachable"
        fix = None
        writes = [r for r in refs if assigned_to(r, declarations=False)]
        parent = stmt.parent
        if (
            not writes
            and parent is not None
            and parent.type in ("block", "statement_list")
            and ctx.enclosing_loop(stmt) is None
        ):
            fix = Fix(
                f"defer {b.name}.Stop()", [insert_line_after(ctx.source, stmt, f"defer {b.name}.Stop()")]
            )
        ctx.report(
            node,
            f"{target} assigned to {b.name} is never stopped: {why}; "
            f"add defer {b.name}.Stop() after creating it",
            fix=fix,
            severity=Severity.WARNING if old else Severity.INFO,
        )


def _method_call_on(ref: Node) -> str | None:
    sel = ref.parent
    if sel is None or sel.type != "selector_expression" or sel.child_by_field_name("operand") != ref:
        return None
    call = sel.parent
    if call is None or call.type != "call_expression" or call.child_by_field_name("function") != sel:
        return None
    field = sel.child_by_field_name("field")
    return text(field).decode() if field is not None else None


def _channel_leaves(ref: Node) -> bool:
    """`t.C` used other than by receiving from it here (`<-t.C`, `for range t.C`): returned, passed,
    sent or stored, so code elsewhere may wait on it and stopping the timer would break that code."""
    sel = ref.parent
    if sel is None or sel.type != "selector_expression" or sel.child_by_field_name("operand") != ref:
        return False
    if (sel.child_by_field_name("field") or sel).text != b"C":
        return False
    use = paren_root(sel).parent
    if use is None or use.type == "range_clause":
        return False
    op = use.child_by_field_name("operator") if use.type == "unary_expression" else None
    return op is None or op.type != "<-"


def _channel_c(ref: Node) -> Node | None:
    """`t.C`, the selector of the timer's channel, when that is what the reference `t` is part of."""
    sel = ref.parent
    if (
        sel is None
        or sel.type != "selector_expression"
        or (sel.child_by_field_name("field") or sel).text != b"C"
    ):
        return None
    return sel


def _plain_receive_of_c(ref: Node) -> bool:
    """`<-t.C` as a statement or assigned, not as a select case."""
    sel = _channel_c(ref)
    if sel is None:
        return False
    recv = sel.parent
    if recv is None or recv.type != "unary_expression":
        return False
    stmt = recv.parent
    while stmt is not None and stmt.type in ("expression_list", "parenthesized_expression"):
        stmt = stmt.parent
    if stmt is None:
        return False
    if stmt.type == "receive_statement":
        return stmt.parent is not None and stmt.parent.type != "communication_case"
    return stmt.type in ("expression_statement", "short_var_declaration", "assignment_statement")


def _received_unless_the_test_failed(ref: Node, ctx: FileContext) -> bool:
    """`<-t.C` as a select case whose every other case fails the test (`default: t.Errorf(…)`): on every
    path on which the test goes on, the timer has fired."""
    sel = _channel_c(ref)
    case = _select_case_of(sel) if sel is not None else None
    select = case.parent if case is not None else None
    if select is None:
        return False
    others = [
        c for c in select.named_children if c.type in ("communication_case", "default_case") and c != case
    ]
    return bool(others) and all(_always_fails_the_test(c, ctx) for c in others)


# ------------------------------------------------------------------------------------------ GOR005
class TimeAfterInLoop(Rule):
    """
    ## What it finds
    `case <-time.After(d):` in a `select` inside a loop (not when every case of that select leaves the
    loop, so that it runs once). Reported at the `case` clause. Also, reported at the call:
    - `c = time.After(d)` run once per iteration of a loop whose `select` waits on `case <-c:`;
    - a bare `<-time.After(d)` statement in a loop, a sleep (info: `time.Sleep(d)` needs no channel).

    Not reported for a cancellable sleep: the timer's case is empty and every other case leaves the loop
    (`case <-ctx.Done(): return`), so the loop goes round only after the timer fired, one timer per wait.
    Nor for a channel re-armed only on a condition (`if c == nil { c = time.After(d) }`).
    ## Why it matters
    Every iteration allocates a new timer and channel. Below Go 1.23 each one stays in the runtime timer
    heap until `d` elapses even if another case won, so memory grows with loop rate times d. Since Go 1.23
    unreferenced timers are collected at once, but each iteration still allocates. Create one
    `time.NewTimer(d)` before the loop and `Reset` it per iteration, or derive a
    `context.WithTimeout` outside the loop.
    ## Go versions
    A warning below Go 1.23; info from 1.23 on. The Go version is the `toolchain` directive of the nearest
    go.mod when present, else its `go` directive; `--go-version` overrides both.
    """

    meta = RuleMeta(
        code="GOR005",
        kind="cost",
        allocates=True,
        name="time-after-in-loop",
        severity=Severity.WARNING,
        summary="time.After in a select inside a loop",
        needs_imports=("time",),
        bad='package p\n\nimport "time"\n\nfunc drain(in <-chan int, f func(int)) {\n\tfor {\n\t\tselect {\n'
        "\t\tcase v := <-in:\n\t\t\tf(v)\n\t\tcase <-time.After(time.Minute):\n\t\t\treturn\n\t\t}\n\t}\n}\n",
        good='package p\n\nimport "time"\n\nfunc drain(in <-chan int, f func(int)) {\n\tt := time.NewTimer(time.Minute)\n'
        "\tdefer t.Stop()\n\tfor {\n\t\tselect {\n\t\tcase v := <-in:\n\t\t\tf(v)\n\t\t\tt.Reset(time.Minute)\n"
        "\t\tcase <-t.C:\n\t\t\treturn\n\t\t}\n\t}\n}\n",
    )

    def visit_communication_case(self, node: Node, ctx: FileContext) -> None:
        comm = node.child_by_field_name("communication")
        if comm is None or comm.type != "receive_statement":
            return
        recv = unparen(comm.child_by_field_name("right"))
        if recv is None or recv.type != "unary_expression":
            return
        call = unparen(recv.child_by_field_name("operand"))
        if call is None or ctx.call_target(call) != "time.After":
            return
        select = node.parent
        loop = ctx.enclosing_loop(node)
        if select is None or loop is None:
            return
        cases = [c for c in select.named_children if c.type in ("communication_case", "default_case")]
        if all(_case_leaves(c, loop, ctx) for c in cases):
            return
        body = [st for st in statements(node) if st != comm]
        if not body and all(_case_leaves(c, loop, ctx) for c in cases if c != node):
            # a cancellable sleep (`case <-ctx.Done(): return` / `case <-time.After(d):`), as in a retry with
            # backoff or a poll: the loop goes round only after this timer fired, one timer per wait
            return
        old = not ctx.go_at_least(1, 23)
        ctx.report(
            node,
            f"time.After in a select inside a loop allocates a new timer and channel on every iteration"
            f"{_old_timer_note(old)}; create one time.NewTimer before the loop and Reset it, or use "
            "context.WithTimeout outside the loop",
            severity=Severity.WARNING if old else Severity.INFO,
            end=comm,
        )

    # time.After outside a case clause: a bare `<-time.After(d)`, or a channel variable a select waits on
    calls = callee_names("time.After")

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if ctx.call_target(node) != "time.After":
            return
        holder = paren_root(node).parent
        if holder is None:
            return
        if holder.type == "unary_expression":
            self._bare_receive(node, holder, ctx)
        elif holder.type == "expression_list" and holder.parent is not None:
            self._assigned(node, holder.parent, ctx)

    @staticmethod
    def _bare_receive(call: Node, recv: Node, ctx: FileContext) -> None:
        """`<-time.After(d)` as a statement: a sleep that makes a timer and a channel per iteration."""
        op = recv.child_by_field_name("operator")
        stmt = paren_root(recv).parent
        if op is None or op.type != "<-" or stmt is None or stmt.type != "expression_statement":
            return
        loop = ctx.enclosing_loop(stmt)
        if loop is None or ctx.small_trip_count(loop):
            return
        d = ctx.single_arg(call)
        sleep = f"time.Sleep({ctx.text(d)})" if d is not None else "time.Sleep"
        ctx.report(
            call,
            "<-time.After in a loop allocates a new timer and channel on every iteration only to wait; "
            f"{sleep} waits without them",
            severity=Severity.INFO,  # the wait outlives the timer: nothing piles up, it only allocates
        )

    @staticmethod
    def _assigned(call: Node, stmt: Node, ctx: FileContext) -> None:
        """`c = time.After(d)` run once per iteration, with a select of the same loop waiting on `<-c`."""
        if stmt.type not in ("assignment_statement", "short_var_declaration"):
            return
        left, right = ctx.assignment(stmt)[1:3]
        if len(left) != 1 or len(right) != 1 or unparen(right[0]) != call or left[0].type != "identifier":
            return
        loop = ctx.enclosing_loop(stmt)
        if loop is None or stmt not in statements(loop.child_by_field_name("body")):
            return  # re-armed on a condition (`if c == nil { c = time.After(d) }`): one timer per firing
        binding = ctx.resolve(left[0])
        if binding is None or not binding.is_local:
            return
        case = next((c for c in map(_waiting_case, ctx.references(binding)) if c is not None), None)
        if case is None or ctx.enclosing_loop(case) != loop or not contains(loop, case):
            return
        select = case.parent
        cases = [c for c in select.named_children if c.type in ("communication_case", "default_case")]
        comm = case.child_by_field_name("communication")
        if all(_case_leaves(c, loop, ctx) for c in cases):
            return  # the loop runs once
        if not [st for st in statements(case) if st != comm] and all(
            _case_leaves(c, loop, ctx) for c in cases if c != case
        ):
            return  # a cancellable sleep: the loop goes round only after this timer fired
        old = not ctx.go_at_least(1, 23)
        name = binding.name
        ctx.report(
            call,
            f"time.After in a loop allocates a new timer and channel on every iteration for {name}, which a "
            f"select waits on{_old_timer_note(old)}; create one time.NewTimer before the loop and Reset it",
            severity=Severity.WARNING if old else Severity.INFO,
        )


def _old_timer_note(old: bool) -> str:
    return (
        "; below Go 1.23 each one stays in the runtime timer heap until it fires, so memory grows with "
        "loop rate times duration"
        if old
        else ""
    )


def _waiting_case(ref: Node) -> Node | None:
    """The `case <-c:` / `case v := <-c:` clause whose receive is this reference, if it is one."""
    recv = paren_root(ref).parent
    if recv is None or recv.type != "unary_expression":
        return None
    comm = paren_root(recv).parent
    if comm is not None and comm.type == "expression_list":
        comm = comm.parent
    if comm is None or comm.type not in ("receive_statement", "expression_statement"):
        return None
    case = comm.parent
    if case is None or case.type != "communication_case" or case.child_by_field_name("communication") != comm:
        return None
    return case


def _case_leaves(case: Node, loop: Node, ctx: FileContext) -> bool:
    """The case's statements end by leaving the loop: return, labelled break/goto, or a terminating call."""
    stmts = statements(case)
    if not stmts:
        return False
    last = stmts[-1]
    if last.type == "return_statement":
        return True
    if last.type in ("break_statement", "goto_statement"):
        return any(c.type == "label_name" for c in last.named_children)
    if last.type == "expression_statement" and last.named_children:
        return ctx.is_terminating_call(last.named_children[0])
    return False

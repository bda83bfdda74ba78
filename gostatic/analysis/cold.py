"""Cold code: where a cost is paid once per process or only when something already went wrong, so that a
cost finding there (an allocation, a copy, growth) is not worth a maintainer's change.

Asked once per cost finding, not per node visited: the rules decide what the pattern is, this module
decides whether its place runs often enough to matter. The reasons, each a short phrase that the
explain pages and `--include-cold` runs can show:

- run-once functions: `init`, `main` of package main, `TestMain`, package variable initialisers,
  functions handed to `sync.Once` (by name or as a literal, also `sync.OnceFunc`/`OnceValue(s)`),
  `Register*` functions, command set-up (a function returning a `*…Command`, or taking a `*…Command`
  or `*…FlagSet`), usage text, the methods configuration libraries call (`UnmarshalYAML`, `Provision`…), and
  configuration builders (a result of a type named `…Config`/`…Configuration`: built at start-up or on
  a reload, read by the requests that follow), middleware constructors (a function that takes an
  `http.Handler` and returns one: run when the handler chain is built; the handler literal it returns
  runs per request and is not covered);
- code generators: `//go:build ignore` programs and packages named or placed `gen`, `codegen`,
  `generate`, `generator`;
- `String()`, `GoString()`, `Error()` and `Format(fmt.State, rune)` methods: called to print or to
  report, not per request (a profile that samples one makes it hot again);
- error paths: a branch whose last statement returns a non-nil error or ends the program (`panic`,
  `os.Exit`, any `Fatal`/`Fatalf`/`Fatalln` call: `log`'s, `t.Fatal*`, a logging library's, the
  compiler's `base.Fatalf`) or answers an HTTP request with `http.Error(…); return`, code that a later
  statement of its list ends that way with no return or jump between (a diagnostic dump printed before
  the panic), the error value of a `return` itself (`return fmt.Errorf(…)`),
  the arguments of a call that ends the program or builds an error (`fmt.Errorf`, `errors.New`);
- debug switches: the body of an `if` whose condition names a debug, verbose, trace or dump flag,
  compares a log level or verbosity (`loggingLevel`, `verbosity`, `*verbflag`) with a constant above
  zero, or asks a logging package's `Enabled()` (`logopt.Enabled()`): through `&&`, through `||` when
  each side is a switch or a failure, never negated (`if !debug {` is the normal run's side); and a
  function literal handed to a debug-level log call (`log.Debug().MsgFunc(func() string {…})`), which
  builds its message only when debug logging is on;
- once-guards: `if x == nil { x = … }`, lazy initialisation;
- loops that do not repeat the code: every enclosing loop has a small constant trip count, or every
  path leaves the loop after the code runs (`…; return`, `…; break`);
- for costs of a few bytes per execution (`RuleMeta.cheap_per_use`): loops whose iterations also start
  a process, open or write a file, make a network call, sleep or compile a regular expression, which
  cost orders of magnitude more than the allocation beside them.

A function's own reasons (its name, its callers) do not reach a function literal it returns or starts
as a goroutine: that runs after the call, as often as it is used (a command's returned run function
aside). All answers are syntactic; a place that is not provably cold is not cold.
"""

from __future__ import annotations

import re

from gostatic.analysis import flow, loops
from gostatic.analysis.callsites import CallSites, call_sites
from gostatic.analysis.consts import INTEGER_TYPES, parse_int_literal
from gostatic.analysis.scopes import Resolver, resolver_for
from gostatic.analysis.startup import called_in_place, is_once_call, is_program_main, once_functions
from gostatic.parse.syntax import (
    FUNCTION_TYPES,
    Node,
    callee_name,
    contains,
    expression_list,
    path_to,
    statements,
    text,
    unparen,
    walk,
)

_PRINT_METHODS = frozenset({b"String", b"GoString", b"Error"})
_BRANCHES = frozenset({"block", "expression_case", "type_case", "default_case", "communication_case"})
_ERROR_CONSTRUCTORS = frozenset({b"Errorf", b"Wrap", b"Wrapf", b"WithMessage", b"WithMessagef", b"WithStack"})
_ERRORS_PACKAGES = frozenset({"errors", "github.com/pkg/errors", "golang.org/x/xerrors"})


_GENERATOR = re.compile(rb"^//go:build ignore\s*$", re.MULTILINE)
# A code generator's own package (`internal/gen`, `codegen`, `…/generate`): it runs when a developer
# regenerates files, not in the program it writes.
_GENERATOR_DIRS = frozenset({"gen", "_gen", "codegen", "generate", "generator", "generators"})
# Usage text, printed when a command is run wrong or asked for help. (Not `dump…`/`debug…` by name: those
# are also names of code that runs per item.)
_USAGE_FUNCTION = frozenset({b"usage", b"Usage", b"printUsage", b"printHelp"})
# Methods the configuration libraries call while a configuration is read (YAML, TOML, a Caddyfile) or a
# module is set up from it (Caddy's Provision). Not UnmarshalJSON/UnmarshalText: those decode data too.
_CONFIG_METHODS = frozenset({b"UnmarshalYAML", b"UnmarshalTOML", b"UnmarshalCaddyfile", b"Provision"})


def _sets_up_a_command(fn: Node) -> bool:
    """A parameter that is a flag set or a CLI command (`AddFlags(fs *pflag.FlagSet)`, cobra's
    `RunE: func(cmd *cobra.Command, args []string) error` as a declared function): command set-up, run
    once per invocation."""
    for p in _params(fn):
        t = p.child_by_field_name("type")
        spelled = text(t) if t is not None else b""
        if spelled.startswith(b"*") and spelled.endswith((b".FlagSet", b".Command")):
            return True
    return False


# Result types of configuration builders (`*dynamic.Configuration`, `*tls.Config`, `Config`).
_CONFIG_RESULT = re.compile(rb"(?:Config|Configuration)$")
_MAX_CALLER_DEPTH = 2  # a helper of a helper of a String method is cold; further, say nothing


def cold_reason(
    node: Node,
    resolver: Resolver,
    depth: int = 0,
    *,
    hot_function: bool = False,
    cheap: bool = False,
    chain: list[Node] | None = None,
) -> str | None:
    """Why the code at `node` runs once or rarely, or None when it may run often. `hot_function`: the
    function around `node` is known to run often (a profile samples it, or the configuration names it), so
    only the reasons on the path inside it count (an error path, a once-guard, a debug switch, a loop of a
    few iterations), not the function's own (its name, its callers, its package). `cheap`: the cost is a
    few bytes per execution, so an iteration that also does something far dearer (`_DOMINATING`) makes it
    not worth a change. `chain`: the path from the root to `node`, when the caller has it."""
    if chain is None:
        chain = path_to(resolver.file.tree.root_node, node)
    if hot_function:
        top = chain[1] if len(chain) > 1 else None
        if top is None or top.type not in ("function_declaration", "method_declaration"):
            return None
        return _path_reason(chain, node, top, resolver, cheap)
    source = resolver.file.source
    if _GENERATOR.search(source, 0, source.find(b"\npackage ") + 1):
        return "in a generator program (//go:build ignore), run by hand or by go generate"
    if _in_generator_package(resolver.file.package, resolver.file.display):
        return "in a code generator's package, run when files are regenerated"
    if len(chain) < 2:
        return None
    top = chain[1]
    if top.type in ("var_declaration", "const_declaration"):
        literal = next((i for i, n in enumerate(chain) if n.type == "func_literal"), None)
        if literal is None or chain[literal - 1].type == "call_expression":
            # the initialiser itself, or a literal it calls at once (`var t = func() T { … }()`)
            return "in a package variable initialiser, which runs once"
        call = _called_with(chain, literal)
        if call is not None and is_once_call(call, resolver):
            return "in a sync.Once callback, which runs once"
        # a function defined in an initialiser (`var apply = func(…) {…}`) runs when it is called
        return _path_reason(chain[literal - 1 :], node, chain[literal], resolver, cheap)
    if top.type not in ("function_declaration", "method_declaration"):
        return None  # a type declaration or the like: not code that runs
    # a command's run function, returned in its `*cobra.Command`, still runs once
    outlives = _outlives_call(chain) and not _returns_command(top)
    reason = (
        (None if outlives else _function_reason(top, resolver))
        or _handler_setup(top, chain, resolver)
        or _path_reason(chain, node, top, resolver, cheap)
    )
    if reason is None and not outlives and depth < _MAX_CALLER_DEPTH:
        reason = _cold_callers(top, resolver, depth)
    return reason


def _outlives_call(chain: list[Node]) -> bool:
    """`node` is in a function literal that the function returns (`return http.HandlerFunc(func(w, r) {…})`)
    or starts as a goroutine (`go func() { for { … } }()`): it runs after the call, as often as its caller
    uses it, so the function's own reasons (run once, called only from cold code) say nothing about it."""
    for i in range(2, len(chain)):
        if chain[i].type == "go_statement":
            return any(m.type == "func_literal" for m in chain[i + 1 :])
        if chain[i].type == "return_statement":
            return any(m.type == "func_literal" and not called_in_place(m) for m in chain[i + 1 :])
    return False


def _in_generator_package(package: str, path: str) -> bool:
    return package in _GENERATOR_DIRS or any(part in _GENERATOR_DIRS for part in path.split("/")[:-1])


def _cold_callers(fn: Node, resolver: Resolver, depth: int) -> str | None:
    """An unexported function or method whose every call in the package is in cold code (a helper of a
    String method, of init, of a once callback) or in tests is cold too. Any other use of its name
    (passed as a value, a method value) or a call in hot code, and it is not."""
    sites = call_sites(fn, resolver)
    if sites is None:
        return None
    name = text(fn.child_by_field_name("name") or fn).decode()
    # asked for every finding of the function that reaches this question: its body walked once
    runs_on = resolver.index.fact(
        f"cold.runs_on:{resolver.file.path}:{fn.start_byte}", lambda: _runs_on(fn, resolver)
    )
    return resolver.index.fact(
        f"cold.callers:{fn.type}:{name}:{depth}:{runs_on}",
        lambda: _callers_reason(sites, name, resolver, depth, runs_on),
    )


def _runs_on(fn: Node, resolver: Resolver) -> bool:
    """`fn` holds a loop that can run for as long as the program does: `for {`, a range over a channel,
    a loop paced by a timer or ticker. Started by `go`, it runs on after its starter returns."""
    body = fn.child_by_field_name("body")
    for n in walk(body, prune=FUNCTION_TYPES) if body is not None else ():
        if n.type != "for_statement":
            continue
        if loops.is_infinite_loop(n) or loops.timer_driven(n, resolver):
            return True
        clause = next((c for c in n.named_children if c.type == "range_clause"), None)
        ranged = (
            resolver.underlying(resolver.type_of(clause.child_by_field_name("right"))) if clause else None
        )
        if ranged is not None and ranged.kind == "chan":
            return True
    return False


def _callers_reason(sites: CallSites, name: str, resolver: Resolver, depth: int, runs_on: bool) -> str | None:
    reasons = {"tests"} if sites.in_tests else set()  # a helper only tests call: its cost is the tests'
    for f, call in sites.calls:
        if runs_on and call.parent is not None and call.parent.type == "go_statement":
            return None  # `go pump()` from init: the goroutine's loop runs for the life of the program
        why = cold_reason(call, resolver_for(resolver.index, f), depth + 1)
        if why is None:
            return None
        reasons.add(why)
    if not reasons:
        return None  # no call seen in the package: exported by other means, or dead; say nothing
    return f"in {name}, called only from cold code ({sorted(reasons)[0]})"


def _function_reason(fn: Node, resolver: Resolver) -> str | None:
    name_node = fn.child_by_field_name("name")
    if name_node is None:
        return None
    name = text(name_node)
    file = resolver.file
    if fn.type == "function_declaration":
        if name == b"init":
            return "in init, which runs once"
        if is_program_main(fn, file.package):
            return "in main, which runs once"
        if name == b"TestMain" and file.is_test:
            return "in TestMain, which runs once"
        if name.startswith((b"Register", b"register", b"MustRegister", b"mustRegister")):
            return f"in {name.decode()}, which runs at start-up"
        if name.decode() in once_functions(resolver):
            return f"in {name.decode()}, which runs once through sync.Once"
    elif _is_print_method(fn, name):
        return f"in a {name.decode()} method, which runs to print or report"
    if _returns_command(fn):
        return f"in command set-up ({name.decode()}), which runs once"
    if name in _USAGE_FUNCTION:
        return f"in {name.decode()}, which prints usage text"
    if _sets_up_a_command(fn):
        return f"in {name.decode()}, which sets up a command or its flags (once per run)"
    if fn.type == "method_declaration" and name in _CONFIG_METHODS:
        return f"in a {name.decode()} method, which reads the configuration"
    if _builds_configuration(fn):
        return f"in {name.decode()}, which builds a configuration (at start-up or on a reload)"
    return None


_HTTP_HANDLERS = frozenset({"net/http.Handler", "net/http.HandlerFunc"})


def _handler_setup(fn: Node, chain: list[Node], resolver: Resolver) -> str | None:
    """`func NewCompress(cfg Config, next http.Handler) (http.Handler, error)`: a middleware constructor
    (it takes the next handler and returns the one that wraps it) runs when the handler chain is built, at
    start-up or on a reload. Its own statements are set-up; a function literal in it (the handler it
    returns, `http.HandlerFunc(func(w, r) {…})`) runs per request, so code inside one is not set-up."""
    if any(n.type == "func_literal" for n in chain[2:]):
        return None
    results = _result_types(fn)
    if not results or not _is_http_handler(results[0], resolver):
        return None
    if not any(_is_http_handler(p.child_by_field_name("type"), resolver) for p in _params(fn)):
        return None
    name = text(fn.child_by_field_name("name") or fn).decode()
    return f"in {name}, which builds an HTTP handler around the next one (when the handler chain is set up)"


def _is_http_handler(type_node: Node | None, resolver: Resolver) -> bool:
    t = resolver.type_node(type_node) if type_node is not None else None
    return t is not None and t.kind == "named" and t.qualified in _HTTP_HANDLERS


def _result_types(fn: Node) -> list[Node | None]:
    result = fn.child_by_field_name("result")
    if result is None:
        return []
    if result.type == "parameter_list":
        return [
            p.child_by_field_name("type") for p in result.named_children if p.type == "parameter_declaration"
        ]
    return [result]


def _builds_configuration(fn: Node) -> bool:
    """`func (p *Provider) loadConfiguration(…) *dynamic.Configuration`, `func loadRoute(…)
    (*dynamic.Configuration, metav1.Condition)`, `func newTLSConfig(…) (*tls.Config, error)`: a
    configuration is built when the program starts or its settings change, and the requests that follow
    read it."""
    return any(t is not None and _CONFIG_RESULT.search(text(t).lstrip(b"*")) for t in _result_types(fn))


def _params(fn: Node) -> list[Node]:
    params = fn.child_by_field_name("parameters")
    return [] if params is None else [p for p in params.named_children if p.type != "comment"]


def _is_print_method(fn: Node, name: bytes) -> bool:
    result = fn.child_by_field_name("result")
    if name in _PRINT_METHODS:
        return not _params(fn) and result is not None and text(result) == b"string"
    if name == b"Format":
        params = _params(fn)
        types = [text(p.child_by_field_name("type") or p) for p in params]
        return result is None and len(params) == 2 and types[0].endswith(b"State") and types[1] == b"rune"
    return False


def _returns_command(fn: Node) -> bool:
    """A constructor of a CLI command (`func newServeCmd() *cobra.Command`): set-up, run once."""
    result = fn.child_by_field_name("result")
    if result is None or result.type != "pointer_type":
        return False
    spelled = text(result)
    return spelled.endswith((b".Command", b"*Command"))


def _path_reason(
    chain: list[Node], node: Node, fn: Node, resolver: Resolver, cheap: bool = False
) -> str | None:
    """Reasons found on the way from the function down to `node`."""
    enclosing_loops: list[Node] = []
    for i, anc in enumerate(chain):
        if i < 2:
            continue
        below = chain[i + 1] if i + 1 < len(chain) else None
        t = anc.type
        if t == "func_literal":
            fn = anc  # returns and branches below belong to the literal (the chain gives it: no second walk)
            call = _called_with(chain, i)
            if call is not None and is_once_call(call, resolver):
                return "in a sync.Once callback, which runs once"
            if _lazy_debug_message(chain, i):
                return "in a message a debug log builds lazily, only when debug logging is on"
            enclosing_loops = []  # a literal's body runs when it is called, not with the loops around it
        elif t == "for_statement":
            body = anc.child_by_field_name("body")
            if body is not None and below == body:
                enclosing_loops.append(anc)
        elif t == "if_statement" and below is not None and below == anc.child_by_field_name("consequence"):
            if _once_guard(anc):
                return "in a lazy initialisation (if x == nil { x = … }), which runs once"
            if _debug_guard(anc, resolver):
                return "under a debug or verbose switch, off in normal runs"
            if _error_test(anc, resolver):
                return "on an error path (if err != nil)"
        elif t == "return_statement" and below is not None and _error_value(anc, below, node, fn, resolver):
            return "in the error returned, built once when the function fails"
        elif t == "call_expression" and below is not None and below.type == "argument_list":
            if loops.is_terminating_call(anc, resolver):
                return "in a call that ends the program"
            if _builds_error(anc, resolver):
                return "in an error value, built when something fails"
        if t in _BRANCHES and i >= 3 and _ends_in_failure(anc, fn, resolver):
            return "on an error path"
        if (
            t == "statement_list"
            and below is not None
            and _followed_by_failure(anc, below, resolver)
            and all(_runs_through(n, resolver) for n in chain[i + 1 :])
        ):
            return "on a path that ends in a panic or a fatal error, so it runs when something already failed"
        if t == "block" and _after_nil_return(anc, node, resolver):
            return "after an if x != nil { return } guard, which lets it run once"
    if enclosing_loops:
        innermost_first = enclosing_loops[::-1]
        if all(loops.small_trip_count(loop, resolver) for loop in innermost_first):
            return "in a loop of a few iterations"
        if not flow.repeats_within(node, innermost_first, resolver):
            return "on a path that leaves the loop, so it runs once"
        heavy = _dominating_call(innermost_first[0], resolver) if cheap else None
        if heavy is not None:
            return f"in a loop whose iterations also call {heavy}, which costs far more"
    return None


# Calls that cost orders of magnitude more than an allocation of a few bytes: a process, a file opened
# or written, a network round trip, a sleep, a regular expression compiled. An iteration that makes one
# is not made faster by saving an allocation beside it.
_DOMINATING = frozenset(
    {
        "os/exec.Command", "os/exec.CommandContext", "os.Open", "os.OpenFile", "os.Create", "os.ReadFile",
        "os.WriteFile", "os.ReadDir", "os.MkdirAll", "os.Remove", "os.RemoveAll", "os.Rename",
        "os.StartProcess", "net.Dial", "net.DialTimeout", "net.Listen", "net/http.Get", "net/http.Post",
        "net/http.Head", "net/http.PostForm", "time.Sleep", "regexp.Compile", "regexp.MustCompile",
        "regexp.CompilePOSIX", "regexp.MustCompilePOSIX",
    }
)  # fmt: skip
_DOMINATING_NAMES = frozenset(m.rpartition(".")[2].encode() for m in _DOMINATING)


def _dominating_call(loop: Node, resolver: Resolver) -> str | None:
    """The first call in `loop`'s body (outside function literals) to one of `_DOMINATING`, spelled as
    that package's function; None when there is none. Asked once per loop (a package fact)."""
    key = f"cold.dominating:{resolver.file.display}:{loop.start_byte}"
    return resolver.index.fact(key, lambda: _find_dominating(loop, resolver))


def _find_dominating(loop: Node, resolver: Resolver) -> str | None:
    body = loop.child_by_field_name("body")
    source = resolver.file.source
    if body is None or all(source.find(n, body.start_byte, body.end_byte) < 0 for n in _DOMINATING_NAMES):
        return None  # none of the names is spelled in the body: no walk
    for n in walk(body, prune=FUNCTION_TYPES):
        if n.type != "call_expression" or callee_name(n) not in _DOMINATING_NAMES:
            continue
        member = resolver.package_member(unparen(n.child_by_field_name("function")))
        if member in _DOMINATING:
            return member.replace("os/exec.", "exec.").replace("net/http.", "http.")
    return None


_DEBUG_WORDS = re.compile(rb"(?i)debug|verbose|trace|dump")


def _error_test(stmt: Node, resolver: Resolver) -> bool:
    """`if err != nil {`: the body handles a failure, however it ends (return, continue, a warning)."""
    return _tests_error(stmt.child_by_field_name("condition"), resolver)


def _tests_error(cond: Node | None, resolver: Resolver) -> bool:
    cond = unparen(cond)
    if cond is None or cond.type != "binary_expression":
        return False
    op = cond.child_by_field_name("operator")
    left, right = unparen(cond.child_by_field_name("left")), cond.child_by_field_name("right")
    if op is None or op.type != "!=" or left is None or right is None or right.type != "nil":
        return False
    t = resolver.type_of(left)
    if t is not None:
        return t.is_named("error")
    return left.type == "identifier" and text(left) in (b"err", b"e")


def _debug_guard(stmt: Node, resolver: Resolver) -> bool:
    """`if debug {`, `if *verbose > 1 {`, `if base.Debug.Foo != 0 {`, `if state.loggingLevel > 1 {`,
    `if logopt.Enabled() {`: diagnostics switched on by hand."""
    cond = stmt.child_by_field_name("condition")
    return cond is not None and _switched_on(cond, resolver)


# A verbosity or log level by its name (`loggingLevel`, `logLevel`, `verbosity`, cmd/covdata's `*verbflag`),
# not a `level` alone: that is also a tree's depth, an indentation or a compression level, which are data.
_LEVEL_NAME = re.compile(rb"(?i)^(?:log(?:ging)?_?(?:level|lvl)|verb(?:osity|flag|level))$")


def _switched_on(cond: Node, resolver: Resolver) -> bool:
    """The condition holds only while a diagnostics switch is on: a name of a debug, verbose, trace or dump
    flag; a log level or verbosity compared with a constant above its default of zero (`> 0`, `>= 1`); the
    `Enabled()` of a logging package (`logopt.Enabled()`: the compiler's -json optimisation log). Through
    `&&` (either side is enough) and `||` (each side must be, or test for a failure); never its negation (`if !debug {` is the
    normal run's side)."""
    cond = unparen(cond)
    if cond is None:
        return False
    if cond.type == "unary_expression" and text(cond).startswith(b"!"):
        return False
    if cond.type == "binary_expression":
        op = cond.child_by_field_name("operator")
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        if op is not None and left is not None and right is not None:
            if op.type == "&&":
                return _switched_on(left, resolver) or _switched_on(right, resolver)
            if op.type == "||":  # `if verbose || err != nil {`: a switch, and each side a switch or a failure
                on_left, on_right = _switched_on(left, resolver), _switched_on(right, resolver)
                return (on_left or on_right) and (
                    (on_left or _tests_error(left, resolver)) and (on_right or _tests_error(right, resolver))
                )
            if op.type in (">", ">=") and _level_above_default(left, op.type, right):
                return True
    elif cond.type == "call_expression" and _logging_enabled(cond, resolver):
        return True
    return any(
        _DEBUG_WORDS.search(text(n)) for n in walk(cond) if n.type in ("identifier", "field_identifier")
    )


def _level_above_default(left: Node, op: str, right: Node) -> bool:
    """`loggingLevel > 1`, `*verbflag >= 4`: a level named as one, against an integer literal that the
    default level (zero) does not pass."""
    left = unparen(left)
    if left is not None and left.type == "unary_expression" and text(left).startswith(b"*"):
        left = unparen(left.child_by_field_name("operand"))
    if left is not None and left.type == "selector_expression":
        left = left.child_by_field_name("field")
    if left is None or left.type not in ("identifier", "field_identifier") or right.type != "int_literal":
        return False
    bound = parse_int_literal(text(right).decode())
    return (
        bound is not None and _LEVEL_NAME.match(text(left)) is not None and bound >= (0 if op == ">" else 1)
    )


def _logging_enabled(call: Node, resolver: Resolver) -> bool:
    """`logopt.Enabled()`: a logging package's own switch (its import path's last element names a log),
    asked without arguments. Not a logger's method (`l.Enabled(ctx, slog.LevelInfo)`: info is on in normal
    runs) and not another package's `Enabled()` (a feature flag)."""
    args = call.child_by_field_name("arguments")
    if args is None or any(a.type != "comment" for a in args.named_children):
        return False
    member = resolver.package_member(unparen(call.child_by_field_name("function")))
    if member is None:
        return False
    path, _, name = member.rpartition(".")
    return name == "Enabled" and "log" in path.rpartition("/")[2].lower()


_DEBUG_LEVEL = re.compile(rb"^(?:Debug|Debugf|Debugw)$")


def _lazy_debug_message(chain: list[Node], i: int) -> bool:
    """`log.Debug().MsgFunc(func() string {…})`, `h.Log.Debug().Log(logg.StringFunc(func() string {…}))`,
    `l.Debug(func() string {…})`: a function literal (`chain[i]`) handed to a debug-level log call, directly
    or through a one-argument wrapper, is called only when that level is on; the arguments such a call
    takes by value are built every time and stay reported."""
    for hop in (0, 1):
        call = _called_with(chain, i - 2 * hop)
        if call is None:
            return False
        fn = unparen(call.child_by_field_name("function"))
        if _DEBUG_LEVEL.match(callee_name(call) or b"") or (
            fn is not None
            and fn.type == "selector_expression"
            and any(
                n.type == "call_expression" and _DEBUG_LEVEL.match(callee_name(n) or b"")
                for n in walk(fn.child_by_field_name("operand") or fn, prune=FUNCTION_TYPES)
            )
        ):
            return True
        args = call.child_by_field_name("arguments")
        if args is None or len([a for a in args.named_children if a.type != "comment"]) != 1:
            return False
    return False


def _followed_by_failure(stmts: Node, below: Node, resolver: Resolver) -> bool:
    """`below` (a statement of `stmts`) is followed, in the same statement list, by a call that ends the
    program or the goroutine (`panic(…)`, `os.Exit`, a `Fatalf`), with no way out between (a return, a
    goto, a break or continue that leaves): every execution of `below` ends in that failure, as a
    diagnostic dump printed before the compiler gives up does (`fmt.Printf(…)` loops, then `f.Fatalf`)."""
    siblings = stmts.named_children
    if below not in siblings:
        return False
    for s in siblings[siblings.index(below) :]:
        if s != below and s.type == "expression_statement" and loops.terminates(s, resolver):
            return True
        if s.type != "comment" and _may_leave(s):
            return False
    return False


def _runs_through(n: Node, resolver: Resolver) -> bool:
    """`n`, on the way down to a finding, runs to its end as the statement that holds it does: not a
    function literal (a handler or goroutine set up before `log.Fatal(srv.ListenAndServe())` runs later and
    again), not a loop that may go on for the life of the program (`for {}`, a range over a channel or a
    function); a range over a slice, array, map, string or number, or a loop counted by constants, ends."""
    if n.type == "func_literal":
        return False
    if n.type != "for_statement":
        return True
    clause = next((c for c in n.named_children if c.type in ("range_clause", "for_clause")), None)
    if clause is None:
        return False
    if clause.type == "for_clause":
        return loops.counter(n, resolver) is not None
    t = resolver.underlying(resolver.type_of(clause.child_by_field_name("right")))
    if t is not None and t.kind == "pointer":
        t = resolver.underlying(t.elem)  # a pointer to an array
    if t is None:
        return False
    if t.kind in ("slice", "array", "map"):
        return True
    return (t.kind == "untyped" and t.name in ("int", "rune", "string")) or (
        t.kind == "named" and not t.pkg and (t.name == "string" or t.name in INTEGER_TYPES)
    )


def _may_leave(stmt: Node) -> bool:
    """A way out of the statement list that holds `stmt`, inside `stmt` (function literals aside): a
    return, a goto or fallthrough, a break or continue whose target (`flow.jump_target`) is not inside it."""
    for n in walk(stmt, prune=FUNCTION_TYPES):
        t = n.type
        if t in ("return_statement", "goto_statement", "fallthrough_statement"):
            return True
        if t in ("break_statement", "continue_statement"):
            target = flow.jump_target(n)
            if target is None or not contains(stmt, target):
                return True
    return False


def _called_with(chain: list[Node], i: int) -> Node | None:
    """The call that `chain[i]` (a func literal) is an argument of."""
    if i >= 2 and chain[i - 1].type == "argument_list" and chain[i - 2].type == "call_expression":
        return chain[i - 2]
    return None


def _once_guard(stmt: Node) -> bool:
    """`if x == nil { …; x = … }`: the body runs until x is set, once in the life of x."""
    cond = unparen(stmt.child_by_field_name("condition"))
    if cond is None:
        return False
    tested = _tested_values(cond)
    if not tested:
        return False
    for s in statements(stmt.child_by_field_name("consequence")):
        if s.type == "assignment_statement" and text(s.child_by_field_name("operator") or s) == b"=":
            for lhs in expression_list(s.child_by_field_name("left")):
                if text(lhs) in tested:
                    return True
    return False


def _tested_values(cond: Node) -> set[bytes]:
    """What a lazy-initialisation condition tests for being unset: `x == nil`, `nil == x`,
    `!x.IsValid()`, `len(x) == 0` (also as an operand of `||`)."""
    cond = unparen(cond) or cond
    if cond.type == "binary_expression":
        op = cond.child_by_field_name("operator")
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        if op is None or left is None or right is None:
            return set()
        if op.type == "||":
            return _tested_values(left) | _tested_values(right)
        if op.type != "==":
            return set()
        if right.type == "nil":
            return {text(left)}
        if left.type == "nil":
            return {text(right)}
        if right.type == "int_literal" and text(right) == b"0" and left.type == "call_expression":
            arglist = left.child_by_field_name("arguments")
            args = [a for a in arglist.named_children if a.type != "comment"] if arglist is not None else []
            if text(left.child_by_field_name("function") or left) == b"len" and len(args) == 1:
                return {text(args[0])}
        return set()
    if cond.type == "unary_expression" and text(cond).startswith(b"!"):
        inner = unparen(cond.child_by_field_name("operand"))
        if inner is not None and inner.type == "call_expression":
            fn = inner.child_by_field_name("function")
            if fn is not None and fn.type == "selector_expression" and text(fn).endswith(b".IsValid"):
                operand = fn.child_by_field_name("operand")
                return {text(operand)} if operand is not None else set()
    return set()


def _after_nil_return(block: Node, below: Node, resolver: Resolver) -> bool:
    """`if x != nil { return … }` earlier in `block`, and `block` sets x: what follows the guard runs
    once, when x is first made (a singleton built on first use). The block's guards and the names it
    assigns are found once per block (`_BlockGuards`): every finding below a function's body asks this
    of that body, and walking it each time made a finding's cost grow with the function's size."""
    facts = resolver.index.fact(f"cold.guards:{id(resolver.file)}", dict)
    g = facts.get(block.id)
    if g is None:
        g = facts[block.id] = _BlockGuards(block)
    return g.guarded_before(below.start_byte)


class _BlockGuards:
    """One block's `if x != nil { return … }` guards (where each starts, what it tests) and, on the first
    question that finds a guard, the names its statements other than ifs assign (func literals pruned)."""

    def __init__(self, block: Node) -> None:
        self._stmts = statements(block)
        self._guards: list[tuple[int, bytes]] = []
        for s in self._stmts:
            if s.type != "if_statement" or s.child_by_field_name("alternative") is not None:
                continue
            cond = unparen(s.child_by_field_name("condition"))
            body = statements(s.child_by_field_name("consequence"))
            if (
                cond is None
                or cond.type != "binary_expression"
                or not body
                or body[-1].type != "return_statement"
            ):
                continue
            op = cond.child_by_field_name("operator")
            left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
            if (
                op is not None
                and op.type == "!="
                and left is not None
                and right is not None
                and right.type == "nil"
            ):
                self._guards.append((s.start_byte, text(left)))
        self._assigned: set[bytes] | None = None

    def guarded_before(self, offset: int) -> bool:
        seen = {name for start, name in self._guards if start < offset}
        if not seen:
            return False
        if self._assigned is None:
            self._assigned = set()
            for s in self._stmts:
                if s.type == "if_statement":
                    continue  # the guard itself
                for n in walk(s, prune=FUNCTION_TYPES):
                    if n.type == "assignment_statement":
                        self._assigned.update(
                            text(lhs) for lhs in expression_list(n.child_by_field_name("left"))
                        )
        return not seen.isdisjoint(self._assigned)


def _last_result_is_error(fn: Node) -> bool:
    result = fn.child_by_field_name("result")
    if result is None:
        return False
    if result.type == "parameter_list":
        params = [p for p in result.named_children if p.type == "parameter_declaration"]
        if not params:
            return False
        result = params[-1].child_by_field_name("type")
    return result is not None and text(result) == b"error"


def _error_value(ret: Node, below: Node, node: Node, fn: Node, resolver: Resolver) -> bool:
    """`below` (a child of `ret`) holds the error value a failing return builds: the last result of `fn`
    (the function the return belongs to) when its last result is `error`, spelled as a call to an error constructor (`fmt.Errorf`,
    `errors.New`, `errors.Wrap`, …) or as the address of an `…Error` literal."""
    if not _last_result_is_error(fn):
        return False
    values = expression_list(below)
    if not values or not contains(values[-1], node):
        return False
    last = unparen(values[-1])
    return last is not None and _builds_error(last, resolver)


def _builds_error(expr: Node, resolver: Resolver) -> bool:
    if expr.type == "unary_expression":
        operand = unparen(expr.child_by_field_name("operand"))
        if operand is not None and operand.type == "composite_literal":
            tname = text(operand.child_by_field_name("type") or operand)
            return tname.endswith((b"Error", b"Err"))
        return False
    if expr.type == "composite_literal":  # `SyntaxError{msg}`: an error type's value
        tname = text(expr.child_by_field_name("type") or expr)
        return tname.endswith((b"Error", b"Err"))
    if expr.type == "call_expression" and _converts_to_error_type(expr, resolver):
        return True  # `ProtocolError(fmt.Sprintf(…))`
    if expr.type != "call_expression":
        return False
    member = resolver.package_member(unparen(expr.child_by_field_name("function")))
    if member is not None:
        pkg, _, name = member.rpartition(".")
        return member == "fmt.Errorf" or (pkg in _ERRORS_PACKAGES and name in ("New", "Join", "Errorf"))
    name = callee_name(expr)
    return name in _ERROR_CONSTRUCTORS


def _converts_to_error_type(call: Node, resolver: Resolver) -> bool:
    """`ProtocolError(s)`: a conversion to a type of the package whose name says it is an error."""
    fn = unparen(call.child_by_field_name("function"))
    if fn is None or fn.type != "identifier" or not text(fn).endswith((b"Error", b"Err")):
        return False
    b = resolver.resolve(fn)
    return b is not None and b.kind == "type"


def _sets_error_result(stmt: Node, fn: Node, resolver: Resolver) -> bool:
    """`err = SyntaxError{…}` where `err` is `fn`'s named error result: a bare `return` after it fails."""
    if stmt.type != "assignment_statement" or not _last_result_is_error(fn):
        return False
    result = fn.child_by_field_name("result")
    params = (
        [p for p in result.named_children if p.type == "parameter_declaration"] if result is not None else []
    )
    names = params[-1].children_by_field_name("name") if params else []
    if not names:
        return False
    left = expression_list(stmt.child_by_field_name("left"))
    right = expression_list(stmt.child_by_field_name("right"))
    for lhs, rhs in zip(left, right, strict=False):
        if text(lhs) == text(names[-1]):
            value = unparen(rhs)
            return value is not None and _is_failure(value, resolver)
    return False


def _ends_in_failure(branch: Node, fn: Node, resolver: Resolver) -> bool:
    """(`fn`: the function the branch belongs to.) The branch (an if's block or a case clause) ends by returning a non-nil error or by ending the
    program: what runs in it runs when something already failed."""
    stmts = statements(branch)
    if not stmts:
        return False
    last = stmts[-1]
    if last.type == "return_statement" and not [v for v in last.named_children if v.type != "comment"]:
        # a handler's `http.Error(w, …, code); return`, or `err = SyntaxError{…}; return`
        prev = stmts[-2] if len(stmts) > 1 else None
        if prev is not None and _sets_error_result(prev, fn, resolver):
            return True
        call = unparen(prev.named_children[0]) if prev is not None and prev.named_children else None
        return (
            call is not None
            and call.type == "call_expression"
            and resolver.package_member(unparen(call.child_by_field_name("function"))) == "net/http.Error"
        )
    if last.type == "expression_statement":
        call = unparen(last.named_children[0]) if last.named_children else None
        return (
            call is not None and call.type == "call_expression" and loops.is_terminating_call(call, resolver)
        )
    if last.type != "return_statement":
        return False
    values = [v for v in last.named_children if v.type != "comment"]
    if not values or not _last_result_is_error(fn):
        return False
    exprs = expression_list(values[0]) if len(values) == 1 else values
    final = unparen(exprs[-1]) if exprs else None
    return final is not None and _is_failure(final, resolver)


def _is_failure(expr: Node, resolver: Resolver) -> bool:
    """A returned error value known to be non-nil by its spelling: `err` (after `if err != nil`, the
    common case), a sentinel (`ErrClosed`, `io.ErrUnexpectedEOF`), or a freshly built error."""
    if expr.type == "identifier":
        name = text(expr)
        return name.startswith((b"err", b"Err")) or name.endswith((b"Err", b"Error"))
    if expr.type == "selector_expression":
        field = expr.child_by_field_name("field")
        return field is not None and text(field).startswith(b"Err")
    return _builds_error(expr, resolver)

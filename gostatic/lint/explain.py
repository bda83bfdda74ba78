"""One renderer for a rule's documentation: `gostatic explain`, SARIF help, LSP hovers and the README
table are all built from the rule's metadata and docstring through here."""

from __future__ import annotations

import re

from gostatic.lint.rule import Rule

DOCS_BASE = "https://github.com/gostatic/gostatic/blob/main/docs/rules.md"


_KIND = {
    "cost": "cost (an allocation, a copy or growth: reported where the code runs often)",
    "defect": "defect (a leak or a misuse: reported wherever it is)",
}

# The one mechanism every cost rule goes through (`FileContext.not_worth`, `analysis/cold.py`).
COST_SCOPE = """## Where it is not reported
A cost is worth a change only where the code runs often, so by default this rule is silent:
- in `_test.go` files, test helpers (functions taking a `*testing.T` or `testing.TB`) and test support
  packages (`httptest`, `testenv`, `testutil`, any package named `…test` or `test…`, or under an
  `integration/`, `e2e/` or `tests/` directory), except inside
  the timed loop of a benchmark (`for b.Loop()`, `for i := 0; i < b.N; i++`): `--include-tests` or
  `include-tests = true` reports them;
- in cold code (`--include-cold` or `include-cold = true` reports it): `init`, `main` of package main,
  `TestMain`, package variable initialisers, `sync.Once` callbacks and the functions they run,
  `Register*` functions, command set-up (a function returning a `*…Command`), usage text (`usage`,
  `printUsage`, `printHelp`), command and flag set-up (a `*….FlagSet` or `*….Command` parameter: `AddFlags`,
  cobra's run functions), the methods configuration libraries call (`UnmarshalYAML`, `UnmarshalTOML`,
  `UnmarshalCaddyfile`, `Provision`), configuration builders (a function with a result of a type named
  `…Config` or `…Configuration`: run at start-up or on a reload), middleware constructors (a function
  that takes an `http.Handler` and returns one, outside the handler it returns) and code generators (a package or
  directory named `gen`, `codegen`, `generate` or `generator`, and `//go:build ignore` programs); `String()`,
  `GoString()`, `Error()` and `Format` methods; a branch that ends by returning a non-nil error or by
  ending the program (`panic`, `os.Exit`, any `Fatal*` call: `log`'s, `t`'s, a logging library's), code
  that a later statement ends that way with no return or jump between (a dump printed before the
  `panic`), the body of `if err != nil`, the
  error value a `return` builds (also a value of an error type of the package, `ProtocolError(…)`,
  `SyntaxError{…}`, or `err = …; return` into the named error result)
  and the arguments of `fmt.Errorf`, `errors.New` and of a call that ends the program; the body of
  `if x == nil { x = … }` (lazy initialisation, also `!x.IsValid()`, `len(x) == 0`) and of an `if` on a debug, verbose or trace switch
  (also a log level or verbosity above zero, `if s.loggingLevel > 1`, `if *verbflag >= 4`, and a logging
  package's `logopt.Enabled()`; not `if !debug`), a function literal handed to a debug-level log call
  (`log.Debug().MsgFunc(func() string {…})`); code
  in loops that all have a small constant trip count (at most eight iterations, fixed by constants:
  `range []T{…}`, `range 3`, `range a` of an array, `for i := 1; i <= limit; i *= 2`, with a counter
  the body does not assign), or on a path that leaves the loop, or (for the
  costs of a few bytes per use: BOX001, BOX003, SER004, SER005) in a loop whose iterations also start a
  process, open or write a file, make a network call, sleep or compile a regular expression
  (`exec.Command`, `os.Create`, `http.Get`, `time.Sleep`, `regexp.Compile`…); the code after
  `if x != nil { return }` that sets x; an unexported function
  whose every call in the package is in such code or in tests; code that never runs (the body of an
  `if` on a constant-false condition, such as `const debug = false` … `if debug {` or
  `runtime.GOOS == "aix"` on another target, and an unexported function called only from there). HTTP handlers for operators (health, readiness,
  metrics, debug, version) are not hot.
With a CPU profile of a few hundred samples or more, a block of a function the profile samples (an
`if` or `else` body, a `case`, a loop body) that no sample reached is cold too: the function ran while
profiled, that part of it did not. An allocation profile alone says the same of allocations only.
A function that the `hot-functions` setting or a profile names is not cold for its own sake (its name,
its callers, its package); an error path, a once-guard or a debug switch inside it still is. Nor is a
function literal that a cold function returns or starts as a goroutine (a handler, a worker): it runs
as often as it is used."""


# The one exception to "defects are reported wherever they are" (`FileContext.never_runs`,
# `analysis/deadcode.py`).
DEFECT_SCOPE = """## Where it is not reported
A defect is reported wherever it is, except in code that never runs: the body of an `if` whose condition
is constant false (`const debugConns = false` … `if debugConns {`, also `false && x`, integer
constant comparisons, and `runtime.GOOS == "aix"` when the run analyses another target), the `else` of
one that is constant true, and an unexported function whose every call in the package is in such code. `--include-cold` or `include-cold = true` reports it."""


# Retention "for the life of the process" (`RuleMeta.process_lifetime`, `analysis/lifetime.py`).
ONE_SHOT_SCOPE = """Nor in a command that runs to completion: a package that is a command's main package (`cmd/<name>`)
or internal to it (`cmd/<name>/internal/…`), when nothing in that command's tree (non-test files people
wrote) listens, serves, handles requests, waits for a signal, ticks or sleeps (`Listen…(`, `Serve…(`,
`HandleFunc(`, `ResponseWriter`, `signal.Notify`, `select {}`, `time.NewTicker`, `time.Sleep(`). A compiler's or a generator's tables are bounded by the one run they serve and freed
when it exits. `--include-cold` or `include-cold = true` reports them."""


def doc_url(rule: type[Rule]) -> str:
    return code_url(rule.meta.code)


def code_url(code: str) -> str:
    """The documentation link of a rule code (for outputs that carry findings but not rule classes)."""
    return f"{DOCS_BASE}#{code.lower()}"


def fix_label(rule: type[Rule]) -> str:
    return {"safe": "safe fix", "unsafe": "unsafe fix (--unsafe-fixes)", None: "no fix"}[rule.meta.fix]


def explain(rule: type[Rule]) -> str:
    """The rule's doc page as Markdown."""
    m = rule.meta
    header = [
        f"# {m.code} {m.name}",
        "",
        f"- severity: {m.severity.value}",
        f"- on by default: {'yes' if m.default_on else 'no'}",
        f"- fix: {fix_label(rule)}",
        f"- hot context only: {'yes' if m.hot_only else 'no'}",
        f"- kind: {_KIND[m.kind]}",
        f"- Go versions: {m.go if m.go else 'all'}",
        "",
        sentence(m.summary),
        "",
    ]
    body = _doc(rule)
    parts = ["\n".join(header), body.strip(), ""]
    if m.kind == "cost":
        parts += [COST_SCOPE, ""]
    elif m.kind == "defect":
        parts += [DEFECT_SCOPE, ""]
    if m.process_lifetime:
        parts += [ONE_SHOT_SCOPE, ""]
    if m.bad:
        parts += ["## Example", "", "```go", m.bad.rstrip("\n"), "```", ""]
    if m.good:
        parts += ["## Instead", "", "```go", m.good.rstrip("\n"), "```", ""]
    return "\n".join(parts)


_PLAIN_WORD = re.compile(r"[a-z]+(-[a-z]+)*(?=[\s,;]|$)")


def sentence(summary: str) -> str:
    """A summary as a sentence: capitalised only when it starts with a plain English word. A summary that
    starts with Go text (`runtime.SetFinalizer`, `fmt.Sprintf`, `gostatic:ignore`, `new(T)`) keeps it
    as written: `Runtime.SetFinalizer` is not Go."""
    summary = capitalised(summary)
    return summary if summary.endswith(".") else summary + "."


def capitalised(text: str) -> str:
    """`text` with its first letter upper-cased if it starts with a plain English word (see `sentence`)."""
    return text[0].upper() + text[1:] if _PLAIN_WORD.match(text) else text


def rules_markdown(rules: list[type[Rule]], enabled: frozenset[str] | None = None) -> str:
    """The rule table used in the README (and by `gostatic rules --format markdown`)."""
    lines = [
        "| code | name | severity | kind | on by default | fix | summary |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rules:
        m = r.meta
        on = ("yes" if m.default_on else "no") if enabled is None else ("yes" if m.code in enabled else "no")
        fix = {"safe": "safe", "unsafe": "unsafe", None: ""}[m.fix]
        hot = " *(hot only)*" if m.hot_only else ""
        lines.append(
            f"| {m.code} | `{m.name}` | {m.severity.value} | {m.kind} | {on} | {fix} | {m.summary}{hot} |"
        )
    return "\n".join(lines) + "\n"


def doc_section(rule: type[Rule], heading: str) -> str:
    """The text under `## <heading>` in the rule's docstring, joined into one paragraph ("" if absent).
    SARIF's fullDescription is the "What it finds" section."""
    body = _doc(rule)
    lines: list[str] = []
    inside = False
    for line in body.splitlines():
        if line.startswith("## "):
            inside = line[3:].strip().lower() == heading.lower()
            continue
        if inside:
            lines.append(line.strip())
    return " ".join(" ".join(lines).split())


def rules_document(rules: list[type[Rule]]) -> str:
    """docs/rules.md: every rule's page, with the `#code` anchors that `doc_url` links to."""
    parts = [
        "# gostatic rules",
        "",
        "Generated from the rules' metadata by `python scripts/update_readme.py`; the same text as",
        "`gostatic explain CODE`.",
        "",
    ]
    for rule in rules:
        page = "\n".join("#" + line if line.startswith("#") else line for line in explain(rule).splitlines())
        parts += [f'<a id="{rule.meta.code.lower()}"></a>', "", page.rstrip(), ""]
    return "\n".join(parts)


def _doc(rule: type[Rule]) -> str:
    import inspect  # with its tokenize and linecache: only for the commands that show rule docs

    return inspect.getdoc(rule) or ""

"""The shared engine mechanisms, tested directly: scopes, type guesses, dispatch order, hot context and
the all-paths check. Rules rely on these answering *unknown* rather than guessing."""

from __future__ import annotations

from pathlib import Path

from gostatic.analysis.flow import PathChecker
from gostatic.analysis.index import FileImports, PackageIndex, SourceFile
from gostatic.lint import dispatch as dispatch_mod
from gostatic.lint.context import FileContext
from gostatic.parse.syntax import Node, parse, walk
from gostatic.rule import Rule, RuleMeta, Severity

SRC = b"""package p

import (
	stdctx "context"
	"net/http"
	"bytes"
	"time"
)

type T struct {
	buf  *bytes.Buffer
	tags []string
}

func (t *T) Tags() []string { return t.tags }

func mk() (*T, error) { return &T{}, nil }

func f(ctx stdctx.Context, n int) {
	x := 1
	{
		x := "shadow"
		_ = x // string
	}
	_ = x // int
	b := new(bytes.Buffer)
	m := make(map[string][]int)
	t, err := mk()
	tags := t.Tags()
	s := []byte("a")[1:]
	var k time.Duration
	c, cancel := stdctx.WithCancel(ctx)
	v, ok := m["a"]
	any1 := ctx.Value(1)
	_, _, _, _, _, _, _, _, _, _, _ = b, err, tags, s, k, c, cancel, v, ok, any1, n
	for i := range 3 {
		_ = i
	}
}

func h(w http.ResponseWriter, r *http.Request) {
	_ = r
}

func g() {
	go func() {
		for {
			time.Sleep(time.Second)
		}
	}()
}
"""


def context_for(src: bytes) -> FileContext:
    tree = parse(src)
    sf = SourceFile(
        Path("p.go"), "p.go", src, tree, "p", False, FileImports.from_tree(tree.root_node), (1, 27)
    )
    return FileContext(sf, PackageIndex.build("p", Path("."), [sf]))


def ident_at(ctx: FileContext, name: str, nth: int = 0) -> Node:
    found = [n for n in walk(ctx.file.tree.root_node) if n.type == "identifier" and n.text == name.encode()]
    return found[nth]


def type_str(ctx: FileContext, name: str, nth: int = 0) -> str:
    return str(ctx.type_of(ident_at(ctx, name, nth)))


def test_shadowing_and_types() -> None:
    ctx = context_for(SRC)
    assert type_str(ctx, "x", 2) == "string"  # `_ = x` inside the block
    assert type_str(ctx, "x", 3) == "int"  # after the block
    assert ctx.resolve(ident_at(ctx, "x", 3)) is ctx.resolve(ident_at(ctx, "x", 0))
    assert type_str(ctx, "b") == "*bytes.Buffer"
    assert type_str(ctx, "m") == "map[string][]int"
    assert type_str(ctx, "t") == "*T"
    assert type_str(ctx, "err") == "error"
    assert type_str(ctx, "tags") == "[]string"
    assert type_str(ctx, "s") == "[]byte"
    assert type_str(ctx, "k") == "time.Duration"
    assert type_str(ctx, "c") == "context.Context"  # through the alias stdctx
    assert type_str(ctx, "cancel") == "context.CancelFunc"
    assert type_str(ctx, "v") == "[]int"
    assert type_str(ctx, "ok") == "bool"
    assert type_str(ctx, "any1") == "any"
    assert type_str(ctx, "i") == "int"


def test_unknown_stays_unknown() -> None:
    ctx = context_for(b'package p\n\nimport "other/lib"\n\nfunc f() {\n\tx := lib.Make()\n\t_ = x\n}\n')
    assert ctx.type_of(ident_at(ctx, "x", 1)) is None
    ctx = context_for(b'package p\n\nimport . "strings"\n\nfunc f() {\n\t_ = Split\n}\n')
    assert ctx.resolve(ident_at(ctx, "Split")) is None  # could come from the dot import


def test_names_only_spelled_as_qualifiers_resolve_without_a_scope_table() -> None:
    """A name every spelling of which in the function is followed by a selector's `.` cannot be declared
    there: it resolves at package level and the function's table is not built. A declaration followed by
    `...` (a variadic parameter) or by a parenthesized type is a declaration all the same."""
    src = (
        b'package p\n\nimport "fmt"\n\nfunc plain() {\n\tfmt.Println(1)\n}\n\n'
        b"func variadic(a ...any) {\n\tfmt.Println(a...)\n}\n\n"
        b"func paren(fmt (int)) {\n\t_ = fmt.x\n}\n\n"
        b"func spaced(fmt ...int) {\n\t_ = fmt .y\n}\n"
    )
    ctx = context_for(src)
    assert ctx.resolve(ident_at(ctx, "fmt", 0)).kind == "import"  # in plain
    assert not ctx.resolver._tables
    assert ctx.resolve(ident_at(ctx, "a", 1)).kind == "param"  # `a...`
    assert ctx.resolve(ident_at(ctx, "fmt", 3)).kind == "param"  # `fmt.x`, after `fmt (int)`
    assert ctx.resolve(ident_at(ctx, "fmt", 5)).kind == "param"  # `fmt .y`, after `fmt ...int`


def test_call_target_through_aliases() -> None:
    ctx = context_for(SRC)
    calls = {
        ctx.text(n): ctx.call_target(n) for n in walk(ctx.file.tree.root_node) if n.type == "call_expression"
    }
    assert calls["stdctx.WithCancel(ctx)"] == "context.WithCancel"
    assert calls["ctx.Value(1)"] == "context.Context.Value"
    assert calls["new(bytes.Buffer)"] == "new"
    assert calls["t.Tags()"] == "T.Tags"


def test_hot_context() -> None:
    ctx = context_for(SRC)
    assert ctx.hot_reason(ident_at(ctx, "i", 1)) == "in a loop"
    assert ctx.hot_reason(ident_at(ctx, "r", 1)) == "in an HTTP handler"
    sleep = next(
        n
        for n in walk(ctx.file.tree.root_node)
        if n.type == "call_expression" and n.text.startswith(b"time.Sleep")
    )
    assert ctx.hot_reason(sleep) == "in a loop"
    assert ctx.hot_reason(ident_at(ctx, "x", 0)) is None


def test_all_paths_check() -> None:
    src = b"""package p

func done() {}

func f(a, b bool) {
	x := 1
	if a {
		return
	}
	switch {
	case b:
		done()
		return
	default:
	}
	if b {
		panic("no")
	}
	done()
}
"""
    ctx = context_for(src)
    decl = next(n for n in walk(ctx.file.tree.root_node) if n.type == "short_var_declaration")

    def is_done(n: Node) -> bool:
        return n.type == "call_expression" and n.text == b"done()"

    exits = PathChecker(ctx.resolver, is_done).exits_without_call(decl)
    assert [e.start_point[0] + 1 for e in exits] == [8]  # only the early return; panic terminates


class Recorder(Rule):
    """
    ## What it finds
    Nothing; records dispatch order.
    ## Why it matters
    Tests.
    """

    meta = RuleMeta(code="REC001", name="recorder", severity=Severity.INFO, summary="records")

    def __init__(self) -> None:
        self.events: list[str] = []

    def visit_for_statement(self, node: Node, ctx: FileContext) -> None:
        self.events.append(f"visit for@{node.start_point[0] + 1}")

    def leave_for_statement(self, node: Node, ctx: FileContext) -> None:
        self.events.append(f"leave for@{node.start_point[0] + 1}")

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        self.events.append(f"call {ctx.text(node)}")

    def visit_expression_statement(self, node: Node, ctx: FileContext) -> None:
        self.events.append(f"stmt {ctx.text(node)}")


def test_dispatch_order_visit_and_leave() -> None:
    src = b"package p\n\nfunc f() {\n\tfor {\n\t\tfor {\n\t\t\ta()\n\t\t}\n\t}\n\tb()\n}\n"
    ctx = context_for(src)
    rec = Recorder()
    before = dispatch_mod.STATS["queries"]
    dispatch_mod.dispatch(ctx, [rec])
    assert dispatch_mod.STATS["queries"] == before + 1  # one query for the file, whatever the rules
    assert rec.events == [
        "visit for@4",
        "visit for@5",
        "stmt a()",
        "call a()",
        "leave for@5",
        "leave for@4",
        "stmt b()",
        "call b()",
    ]


def test_suppression_comments_found_from_their_bytes_are_the_query_s() -> None:
    """`suppress._marked_comments` finds the comments by the bytes of their markers; it must find every
    comment the suppression patterns can match (any case of `nolint`, a marker twice in one comment), and
    skip a marker in a string, as a query over every comment of the file would."""
    from gostatic.lint import suppress

    src = (
        b"package p\n\n// nothing here\nvar a = 1 //NOLINT:BOX001 // upper case\n"
        b'var b = "nolint gostatic:ignore" // nolint:ret001 nolint\n'
        b"//gostatic:ignore RET001 because\nvar c = 2\n/* nolint */\nvar d = 3 // NoLint\n"
    )
    root = parse(src).root_node
    found = suppress._marked_comments(src, root)
    assert [n.text for n in found] == [
        b"//NOLINT:BOX001 // upper case",
        b"// nolint:ret001 nolint",
        b"//gostatic:ignore RET001 because",
        b"/* nolint */",
        b"// NoLint",
    ]
    sups, _ = suppress.find_suppressions(src, root)
    assert [(s.kind, s.tokens, s.first_line) for s in sups] == [
        ("nolint", ("box001",), 4),
        ("nolint", ("ret001 nolint",), 5),
        ("ignore", ("ret001",), 7),
        ("nolint", (), 9),
    ]
    # a dotless or dotted capital i also matches `i` without case: such a file gets every comment
    dotless = "package p\n\nvar e = 4 // nol\u0131nt\nvar f = 5 // nolint\n".encode()
    assert len(suppress._marked_comments(dotless, parse(dotless).root_node)) == 2


def test_an_upper_case_nolint_alone_in_a_file_is_read() -> None:
    """The quick test for "no suppression in this file" reads `nolint` in any case, as the pattern does:
    it was case-sensitive, so a file whose only marker was `//NOLINT` had it ignored."""
    from gostatic.lint import suppress

    src = b"package p\n\nvar a = 1 //NOLINT:BOX001 // upper case\n"
    sups, _ = suppress.find_suppressions(src, parse(src).root_node)
    assert [(s.kind, s.tokens, s.first_line) for s in sups] == [("nolint", ("box001",), 3)]

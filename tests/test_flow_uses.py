"""The single-use, loop-repetition and append-per-iteration analyses of the engine (flow.py, writers.py),
tested directly: SER001/SER002 ("only written"), SER003 ("grows across iterations") and SER005 ("one
element per iteration") are thin rules over these answers."""

from __future__ import annotations

from pathlib import Path

from gostatic.analysis.index import FileImports, PackageIndex, SourceFile
from gostatic.analysis.writers import writer_info
from gostatic.lint.context import FileContext
from gostatic.parse.syntax import Node, expression_list, is_plain_reference, parse, walk

SRC = b"""package p

import (
	"bytes"
	"io"
	"net/http"
)

type lw struct{}

func (lw) Write(p []byte) (int, error) { return len(p), nil }

type notWriter struct{}

func (*notWriter) Write(s string) {}

func f(w io.Writer, rw http.ResponseWriter, xs []int, m map[string]int) {
	once := []byte("a")
	w.Write(once)
	twice := []byte("b")
	w.Write(twice)
	rw.Write(twice)
	var buf bytes.Buffer
	var l lw
	var nw notWriter
	_, _, _ = buf, l, nw
	var out []int
	for _, x := range xs {
		out = append(out, x)
	}
	var odd []int
	for _, x := range xs {
		if x%2 == 1 {
			odd = append(odd, x)
		}
	}
	var skip []int
	for _, x := range xs {
		if x == 0 {
			continue
		}
		skip = append(skip, x)
	}
	var inner []int
outer:
	for _, x := range xs {
		for range m {
			continue outer
		}
		inner = append(inner, x)
	}
	var local []int
	for _, x := range xs {
		for range m {
			break
		}
		local = append(local, x)
	}
	acc := ""
	for range xs {
		acc = "fresh"
		for k := range m {
			acc += k
		}
	}
	_, _, _, _, _, _ = out, odd, skip, inner, local, acc
}
"""


def context_for(src: bytes) -> FileContext:
    tree = parse(src)
    sf = SourceFile(
        Path("p.go"), "p.go", src, tree, "p", False, FileImports.from_tree(tree.root_node), (1, 27)
    )
    return FileContext(sf, PackageIndex.build("p", Path("."), [sf]))


def ident(ctx: FileContext, name: str, nth: int = 0) -> Node:
    return [n for n in walk(ctx.file.tree.root_node) if n.type == "identifier" and n.text == name.encode()][
        nth
    ]


def loop_after(ctx: FileContext, name: str) -> Node:
    """The first `for` statement after the declaration of `name`."""
    decl = ident(ctx, name)
    return next(
        n
        for n in walk(ctx.file.tree.root_node)
        if n.type == "for_statement" and n.start_byte > decl.start_byte
    )


def test_only_reference() -> None:
    ctx = context_for(SRC)
    once, twice = ctx.resolve(ident(ctx, "once")), ctx.resolve(ident(ctx, "twice"))
    assert once is not None and twice is not None
    assert ctx.only_reference(once) == ident(ctx, "once", 1)
    assert ctx.only_reference(twice) is None


def test_appended_once_per_iteration() -> None:
    ctx = context_for(SRC)
    for name, expect in (("out", True), ("odd", False), ("skip", False), ("inner", False), ("local", True)):
        b = ctx.resolve(ident(ctx, name))
        assert b is not None
        got = ctx.appended_once_per_iteration(loop_after(ctx, name), b)
        assert (got is not None) == expect, name


def test_loops_and_resets() -> None:
    ctx = context_for(SRC)
    s = ctx.resolve(ident(ctx, "acc"))
    assert s is not None
    concat = ctx.statement_of(ident(ctx, "acc", 2))  # acc += k
    loops = ctx.loops_between(s.ident, concat)
    assert [lp.start_point[0] for lp in loops] == sorted((lp.start_point[0] for lp in loops), reverse=True)
    assert len(loops) == 2
    assert ctx.reset_in_loop(loops[1], s)  # the outer loop starts s afresh
    assert not ctx.reset_in_loop(loops[0], s)  # the inner loop only grows it
    assert ctx.repeats_within(concat, loops[:1])


def test_writer_info() -> None:
    ctx = context_for(SRC)
    info = writer_info(ctx.resolver, ident(ctx, "w", 1))
    assert info is not None and not info.concrete and not info.needs_address
    buf = writer_info(ctx.resolver, ident(ctx, "buf", 1))
    assert buf is not None and buf.needs_address and buf.has_write_string and buf.concrete
    assert writer_info(ctx.resolver, ident(ctx, "l", 1)) is not None
    assert writer_info(ctx.resolver, ident(ctx, "nw", 1)) is None  # Write(string): not an io.Writer
    assert writer_info(ctx.resolver, ident(ctx, "xs", 1)) is None


def test_plain_reference() -> None:
    src = b"package p\n\nfunc f() { _ = a.b.c; _ = a.b().c; _ = a[0] }\n"
    tree = parse(src)
    rhs = [
        expression_list(n.child_by_field_name("right"))[0]
        for n in walk(tree.root_node)
        if n.type == "assignment_statement"
    ]
    assert [is_plain_reference(r) for r in rhs] == [True, False, False]

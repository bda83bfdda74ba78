"""The path questions of the engine used by the GOR and POOL rules, tested directly: ways out of a loop,
"may this run after that", "is a call made between two points", and which local a value is bound to.
Also the per-finding severity of the version-aware timer rules."""

from __future__ import annotations

from pathlib import Path

from conftest import TESTDATA

from gostatic.analysis.index import FileImports, PackageIndex, SourceFile
from gostatic.lint.context import FileContext
from gostatic.parse.syntax import Node, parse, walk
from gostatic.run.runner import RunOptions, execute, plan

SRC = b"""package p

import (
	"context"
	"os"
	"sync"
)

var pool sync.Pool

func loops(ctx context.Context, ch chan int, tick <-chan int, f func() bool) {
	for { // 0: return
		if f() {
			return
		}
	}
outer:
	for { // 1: labelled break of itself
		for {
			break outer
		}
	}
	for { // 2: only breaks of inner statements
		select {
		case <-tick:
			break
		}
		for {
			break
		}
	}
	for { // 3: os.Exit
		os.Exit(1)
	}
	for { // 4: receive accepted by the caller
		<-ctx.Done()
	}
	for { // 5: a return inside a func literal does not count
		go func() { return }()
	}
}

func order(x int, f func()) {
	if x > 0 {
		f() // A
		return
	} else {
		f() // B
	}
	f() // C
	for i := 0; i < x; i++ {
		f() // D
		continue
		f() // E
	}
}

func getput(s []byte) {
	b := pool.Get().(*[]byte)
	*b = (*b)[:0]
	pool.Put(b)
	var c, ok = pool.Get().([]byte)
	_, _ = c, ok
}
"""


def _ctx() -> FileContext:
    tree = parse(SRC)
    sf = SourceFile(
        path=Path("p.go"), display="p.go", source=SRC, tree=tree, package="p", is_test=False,
        imports=FileImports.from_tree(tree.root_node), go_version=(1, 27),
    )  # fmt: skip
    return FileContext(sf, PackageIndex.build("p", Path("."), [sf]))


def _fn(ctx: FileContext, name: str) -> Node:
    return next(
        n
        for n in walk(ctx.file.tree.root_node)
        if n.type == "function_declaration" and n.child_by_field_name("name").text == name.encode()
    )


def _calls_marked(ctx: FileContext, fn: Node) -> dict[str, Node]:
    """f() calls by the letter in their trailing comment."""
    out = {}
    lines = ctx.source.split(b"\n")
    for n in walk(fn):
        if n.type == "expression_statement" and n.text == b"f()":
            line = lines[n.start_point[0]]
            out[line.split(b"//")[1].strip().decode()] = n
    return out


def test_loop_ways_out() -> None:
    ctx = _ctx()
    loops = [n for n in walk(_fn(ctx, "loops")) if n.type == "for_statement" and n.parent.type != "block"]
    top = [lp for lp in loops if ctx.enclosing_loop(lp) is None]
    got = [bool(ctx.loop_ways_out(lp)) for lp in top]
    assert got == [True, True, False, True, False, False]
    assert ctx.loop_ways_out(top[4], lambda recv: True)  # a receive the caller accepts as a way out


def test_may_run_after() -> None:
    ctx = _ctx()
    c = _calls_marked(ctx, _fn(ctx, "order"))
    assert not ctx.may_run_after(c["A"], c["B"])  # other branch
    assert not ctx.may_run_after(c["A"], c["C"])  # A's branch returns first
    assert ctx.may_run_after(c["B"], c["C"])
    assert ctx.may_run_after(c["C"], c["D"])
    assert not ctx.may_run_after(c["D"], c["E"])  # continue in between


def test_called_between_and_assigned_local() -> None:
    ctx = _ctx()
    fn = _fn(ctx, "getput")
    calls = [n for n in walk(fn) if n.type == "call_expression"]
    get = next(n for n in calls if ctx.call_target(n) == "sync.Pool.Get")
    put = next(n for n in calls if ctx.call_target(n) == "sync.Pool.Put")
    bound = ctx.assigned_local(get)
    assert bound is not None and bound[0].name == "b"
    resets = ctx.called_between(bound[1], put, lambda n: n.type == "slice_expression")
    assert len(resets) == 1
    assert not ctx.called_between(put, None, lambda n: n.type == "slice_expression")
    second = [n for n in calls if ctx.call_target(n) == "sync.Pool.Get"][1]
    bound2 = ctx.assigned_local(second)
    assert bound2 is not None and bound2[0].name == "c"  # var c, ok = v.(T)


def test_timer_rules_severity_follows_go_version() -> None:
    """GOR004/GOR005 are warnings below Go 1.23 and info from 1.23 on; GOR003 is silent from 1.23."""
    findings, errors, _ = execute(plan(RunOptions(paths=[str(TESTDATA / "gor")], select=["GOR"])).jobs)
    assert not errors
    by_file: dict[str, set[tuple[str, str]]] = {}
    for f in findings:
        by_file.setdefault(Path(f.path).name, set()).add((f.code, f.severity.value))
    assert by_file["gor004_ticker_not_stopped.go"] >= {("GOR004", "warning"), ("GOR005", "warning")}
    assert ("GOR004", "warning") not in by_file["gor004_go123.go"]
    assert ("GOR004", "info") in by_file["gor004_go123.go"]
    assert {s for c, s in by_file["gor005_time_after.go"] if c == "GOR005"} == {"info"}
    assert "gor003_go123.go" not in by_file
    assert ("GOR003", "warning") in by_file["gor003_time_tick.go"]

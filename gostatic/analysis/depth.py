"""A cap on how deep the shared analyses recurse, with "unknown" as the answer past it.

Types, layouts and expression types are defined by recursion over the syntax, and real Go code nests
them a few levels deep. Hostile or generated input can nest them thousands deep (260 named structs each
holding the next by value, 500 nested anonymous structs, `chan chan chan …`): Python's recursion limit
then raised `RecursionError` out of whichever rule asked first, reported as an internal error in that
rule. The recursive entry points are wrapped here instead: the innermost call that runs out of stack
answers None, which every caller already reads as "not known", so the deep value is unknown and the
rules stay silent about it, as they do for any type whose size or shape the source does not state.
Wrapping costs one frame and one `try` per call; an explicit depth argument would have to thread through
every signature of the cycle (of_node → fields → _named_layout → of_node …).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def unknown_when_too_deep(fn: Callable[P, R | None]) -> Callable[P, R | None]:
    """`fn`, answering None (unknown) when the recursion under it exhausts the stack."""

    @functools.wraps(fn)
    def capped(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return fn(*args, **kwargs)
        except RecursionError:
            return None

    return capped

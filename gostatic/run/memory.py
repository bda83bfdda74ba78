"""Giving freed memory back to the operating system between packages.

A package's trees take about thirty times its source while it is analysed and are all freed when it is
done, but glibc's allocator keeps the freed pages, so without this a long run's resident size is the sum
of its packages' fragmentation rather than its largest package."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing's: the command imports this module first thing (entry.py)
if TYPE_CHECKING:
    from collections.abc import Callable

_TRIM: list[Callable[[int], int] | None] = []  # resolved on first use (importing ctypes costs a warm run)


def _trimmer() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    for name in ("libc.so.6", None):
        try:
            if name is None:
                import ctypes.util

                name = ctypes.util.find_library("c")
                if name is None:
                    return None
            return ctypes.CDLL(name).malloc_trim  # type: ignore[no-any-return]
        except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
            continue
    return None


# Source bytes analysed since the last trim, and how many make one worth it: trees take ~30x their
# source, and below that the freed memory is mostly reused by the next packages anyway. A trim after every
# package cost ~1 % of a run over a project of 2-3-file packages (a fraction of a millisecond each).
_SINCE_TRIM = [0]
TRIM_EVERY_BYTES = 512 * 1024


def note_analysed(size: int) -> None:
    """`size` more bytes of source were read and parsed (counted towards the next trim)."""
    _SINCE_TRIM[0] += size


def return_freed_memory(force: bool = False) -> None:
    """malloc_trim(0) once TRIM_EVERY_BYTES of source were analysed since the last (or now, `force`); a
    no-op where unavailable."""
    if not force and _SINCE_TRIM[0] < TRIM_EVERY_BYTES:
        return
    _SINCE_TRIM[0] = 0
    if not _TRIM:
        _TRIM.append(_trimmer())
    trim = _TRIM[0]
    if trim is not None:
        trim(0)


def tune_collector_for_batch() -> None:
    """A batch run's objects die by reference counting (each package index breaks its own cycles when
    the package is done), so the cyclic collector's young-generation passes, triggered every 700
    allocations among millions of short-lived nodes, find almost nothing: run them a hundred times less
    often. Not for the LSP server, which manages its collections around each publish."""
    import gc

    gc.set_threshold(70_000, 20, 100)

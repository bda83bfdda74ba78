"""Giving freed memory back to the operating system between packages.

A package's trees take about thirty times its source while it is analysed and are all freed when it is
done, but glibc's allocator keeps the freed pages, so without this a long run's resident size is the sum
of its packages' fragmentation rather than its largest package."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys


def _trimmer():  # type: ignore[no-untyped-def]
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None


_TRIM = _trimmer()


def return_freed_memory() -> None:
    """malloc_trim(0): a fraction of a millisecond after a package; a no-op where unavailable."""
    if _TRIM is not None:
        _TRIM(0)

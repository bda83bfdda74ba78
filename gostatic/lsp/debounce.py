"""Per-key debouncing on the event loop: the last call within `delay` seconds wins."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable


class Debouncer:
    def __init__(self) -> None:
        self._handles: dict[Hashable, asyncio.TimerHandle] = {}

    def call(self, key: Hashable, delay: float, fn: Callable[[], None]) -> None:
        """Run `fn` once `delay` seconds passed with no newer call for `key`."""
        self.cancel(key)
        loop = asyncio.get_running_loop()

        def fire() -> None:
            self._handles.pop(key, None)
            fn()

        self._handles[key] = loop.call_later(max(0.0, delay), fire)

    def cancel(self, key: Hashable) -> None:
        handle = self._handles.pop(key, None)
        if handle is not None:
            handle.cancel()

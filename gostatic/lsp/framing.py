"""Reading LSP messages from a byte stream that may be badly framed, without ever going deaf.

pygls's reader trusts the framing: a `Content-Length` that is too short, too long, 0, negative or
absurd, headers ending in `\\n` only, or a lowercase `content-length:` left it waiting for bytes that
never come or skipping every later message, so the server answered nothing again, not even `shutdown`
and `exit` (the editor's only way to restart it). This reader:

- takes headers case-insensitively, ending in `\\r\\n` or `\\n`, and finds a `Content-Length:` anywhere in
  a line (after the tail of a message whose length was too short, the next header follows it directly);
- reads a body of the stated length, but when what arrived does not parse it resynchronises: a length too
  long is a complete JSON value followed by the next message's first bytes (or by nothing, for a while),
  and the rest goes back to the buffer; a length too short is completed up to the next header;
- treats a length of 0 or less as no length: the body then shows up as a stray line before the next
  header, and is read as a message if it parses;
- reports each problem in one log line, never a traceback, and never allocates what a header claims.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import select
from collections.abc import Callable
from typing import Any

_HEADER = re.compile(rb"content-length[ \t]*:[ \t]*(-?\d+)", re.IGNORECASE)
_NEXT = re.compile(rb"content-length[ \t]*:", re.IGNORECASE)
SETTLE = 0.3  # seconds without new bytes after which a body shorter than its stated length is judged
_CHUNK = 65536

log = logging.getLogger("gostatic.lsp")


class FramedReader:
    """Messages from file descriptor `fd` (blocking reads run in `executor`, never on the event loop)."""

    def __init__(self, fd: int, executor: Any = None) -> None:
        self.fd = fd
        self.executor = executor
        self.buf = bytearray()
        self.eof = False

    # -------------------------------------------------------------------------------------- raw input
    def _read_blocking(self, timeout: float | None) -> bytes | None:
        """Up to a chunk of bytes; b"" at end of input; None when nothing came within `timeout`."""
        if timeout is not None:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                return None
        try:
            return os.read(self.fd, _CHUNK)
        except OSError:
            return b""

    async def _more(self, timeout: float | None = None) -> bool:
        """Append what arrives to the buffer: False at end of input or when `timeout` passed first."""
        if self.eof:
            return False
        loop = asyncio.get_running_loop()
        data = await loop.run_in_executor(self.executor, self._read_blocking, timeout)
        if data is None:
            return False
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    async def _line(self) -> bytes | None:
        while b"\n" not in self.buf:
            if not await self._more():
                if self.buf:  # a last line without a newline
                    line, self.buf[:] = bytes(self.buf), b""
                    return line
                return None
        i = self.buf.index(b"\n") + 1
        line = bytes(self.buf[:i])
        del self.buf[:i]
        return line

    # -------------------------------------------------------------------------------------- messages
    async def messages(self, handle: Callable[[bytes], None]) -> None:
        """Call `handle` with each message body (bytes that parse as JSON) until the input ends."""
        length: int | None = None
        while True:
            line = await self._line()
            if line is None:
                return
            m = _HEADER.search(line)
            if m is not None:
                stray = line[: m.start()].strip()
                if stray:  # the body of a message framed with a length of 0 or less, or too short
                    self._stray(stray, handle)
                length = int(m.group(1))
                if length <= 0:
                    log.warning("Content-Length %d: not a message length; reading on", length)
                    length = None
                continue
            if line.strip():
                if not line.split(b":", 1)[0].strip().lower().startswith(b"content-"):
                    self._stray(line.strip(), handle)
                continue
            if length is None:
                continue  # a blank line outside any message
            body = await self._body(length)
            length = None
            if body is not None:
                handle(body)

    def _stray(self, data: bytes, handle: Callable[[bytes], None]) -> None:
        if _parses(data):
            log.warning("a message without a valid Content-Length header; handled anyway")
            handle(data)
        else:
            log.warning("skipped %d bytes that are not a message: %r", len(data), data[:60])

    async def _body(self, length: int) -> bytes | None:
        """The body of a message whose header says `length` bytes; None when nothing readable came."""
        while len(self.buf) < length:
            if await self._more(SETTLE):
                continue
            if self.eof or _complete_value(self.buf):
                break  # the input ended, or a whole message came and then nothing: the length is too long
        body = bytes(self.buf[:length])
        if _parses(body):
            del self.buf[:length]
            return body
        end = _complete_value(body)  # too long: a whole message, then the next one's first bytes
        if end:
            log.warning(
                "Content-Length %d is longer than the message (%d bytes); resynchronised", length, end
            )
            del self.buf[:end]
            return body[:end]
        # too short: the rest of the body runs up to the next header
        while _NEXT.search(self.buf, length) is None and await self._more(SETTLE):
            pass
        m = _NEXT.search(self.buf, length)
        end = m.start() if m is not None else len(self.buf)
        candidate = bytes(self.buf[:end])
        del self.buf[:end]
        if _parses(candidate):
            log.warning(
                "Content-Length %d is shorter than the message (%d bytes); resynchronised", length, end
            )
            return candidate.strip()
        log.warning("skipped an unreadable message (Content-Length %d): %r", length, candidate[:60])
        return None


def _complete_value(data: bytes | bytearray) -> int:
    """The length in bytes of the JSON value `data` starts with, or 0 when it does not start with one."""
    text = bytes(data).decode("utf-8", "surrogateescape")
    stripped = len(text) - len(text.lstrip())
    try:
        _, end = json.JSONDecoder().raw_decode(text, stripped)
    except ValueError:
        return 0
    return len(text[:end].encode("utf-8", "surrogateescape"))


def _parses(data: bytes) -> bool:
    try:
        json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return False
    return True

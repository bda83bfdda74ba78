"""The language server over its real stdio, byte by byte (issue 14): bad framing is resynchronised (it
used to leave the server deaf for good, `shutdown` and `exit` included), the lifecycle follows the spec,
and a malformed message costs one line of log, not a traceback."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

SERVER = [sys.executable, "-m", "gostatic.cli", "lsp"]


def frame(
    obj: dict,
    *,
    delta: int = 0,
    length: int | None = None,
    header: str = "Content-Length",
    eol: bytes = b"\r\n",
) -> bytes:
    body = json.dumps(obj).encode()
    n = len(body) + delta if length is None else length
    return f"{header}: {n}".encode() + eol + eol + body


def request(i: int, method: str = "workspace/executeCommand", params: Any = None) -> dict:
    return {"jsonrpc": "2.0", "id": i, "method": method, "params": params or {"command": "no-such-command"}}


class RawClient:
    """Writes bytes to the server's stdin, reads its well-framed responses from stdout."""

    def __init__(self, cwd: Path | None = None) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + str(ROOT / "rules")}
        self.proc = subprocess.Popen(
            SERVER, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.buf = b""
        self.seen: list[dict] = []

    def send(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def read_until(self, done: Any, timeout: float) -> list[dict]:
        """Messages until `done(messages)` holds or `timeout` passes."""
        assert self.proc.stdout is not None
        end = time.monotonic() + timeout
        while not done(self.seen) and time.monotonic() < end:
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, end - time.monotonic()))
            if not ready:
                break
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                break
            self.buf += chunk
            while b"\r\n\r\n" in self.buf:
                head, rest = self.buf.split(b"\r\n\r\n", 1)
                (n,) = [
                    int(h.split(b":")[1])
                    for h in head.split(b"\r\n")
                    if h.lower().startswith(b"content-length")
                ]
                if len(rest) < n:
                    break
                self.seen.append(json.loads(rest[:n]))
                self.buf = rest[n:]
        return self.seen

    def answered(self, ids: set[int], timeout: float = 20) -> set[int]:
        got = self.read_until(lambda ms: ids <= {m.get("id") for m in ms if "method" not in m}, timeout)
        return {m["id"] for m in got if "method" not in m and m.get("id") in ids}

    def initialize(self, root: Path | None = None) -> None:
        params = {"processId": None, "capabilities": {}, "rootUri": root.as_uri() if root else None}
        self.send(frame(request(0, "initialize", params)))
        assert self.answered({0}) == {0}
        self.send(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))

    def finish(self, shutdown: bool = True, timeout: float = 10) -> tuple[int, str]:
        if shutdown:
            self.send(frame(request(999, "shutdown", None)))
            assert self.answered({999}) == {999}
        self.send(frame({"jsonrpc": "2.0", "method": "exit"}))
        try:
            rc = self.proc.wait(timeout=timeout)
        finally:
            self.proc.kill()
        assert self.proc.stderr is not None
        return rc, self.proc.stderr.read().decode()


BAD_FRAMING = {
    "too-short": lambda m: frame(m, delta=-5),
    "too-long-by-10": lambda m: frame(m, delta=10),
    "zero": lambda m: frame(m, length=0),
    "negative": lambda m: frame(m, length=-5),
    "absurd": lambda m: frame(m, length=999_999_999),
    "lf-only-headers": lambda m: frame(m, eol=b"\n"),
    "lowercase-header": lambda m: frame(m, header="content-length"),
}


@pytest.mark.parametrize("case", sorted(BAD_FRAMING))
def test_bad_framing_is_resynchronised(case: str) -> None:
    """After the badly framed message, the next five requests are all answered, and shutdown/exit work."""
    client = RawClient()
    client.initialize()
    client.send(BAD_FRAMING[case](request(1)))
    for i in range(2, 7):
        client.send(frame(request(i)))
    assert client.answered({2, 3, 4, 5, 6}) == {2, 3, 4, 5, 6}
    rc, err = client.finish()
    assert rc == 0
    assert "Traceback" not in err, err


def test_a_request_left_waiting_for_more_bytes_is_answered() -> None:
    """A Content-Length too long, and the client then waits for the answer: the server does not wait for
    bytes that will never come, it answers."""
    client = RawClient()
    client.initialize()
    client.send(frame(request(1), delta=10))
    assert client.answered({1}, timeout=10) == {1}
    assert client.finish()[0] == 0


def test_garbage_between_messages_is_skipped() -> None:
    client = RawClient()
    client.initialize()
    client.send(b"\x00\xff garbage\r\nX-Unknown: 1\r\n\r\n{not json}\r\n")
    client.send(frame(request(2)))
    assert client.answered({2}) == {2}
    rc, err = client.finish()
    assert rc == 0 and "Traceback" not in err


def test_exit_without_shutdown_exits_1() -> None:
    client = RawClient()
    client.initialize()
    rc, _ = client.finish(shutdown=False)
    assert rc == 1


def test_requests_after_shutdown_get_invalid_request() -> None:
    client = RawClient()
    client.initialize()
    client.send(frame(request(5, "shutdown", None)))
    client.send(frame(request(6)))
    client.answered({5, 6})
    (reply,) = [m for m in client.seen if m.get("id") == 6]
    assert reply["error"]["code"] == -32600
    rc, err = client.finish(shutdown=False)
    assert rc == 0 and "Traceback" not in err


def test_malformed_message_is_one_line_of_log() -> None:
    client = RawClient()
    client.initialize()
    client.send(frame({"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": {"bogus": 1}}))
    client.send(frame(request(4)))
    assert client.answered({3, 4}) == {3, 4}
    rc, err = client.finish()
    assert rc == 0 and "Traceback" not in err
    assert all(line.startswith("gostatic-lsp: ") for line in err.splitlines()), err


def test_shutdown_during_a_long_analysis_is_answered_at_once(tmp_path: Path) -> None:
    """The analysis of a slow file is cancelled: `shutdown` no longer waits for it (13.6 s before)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from test_faults import slow_source

    slow = tmp_path / "slow.go"
    slow.write_text(slow_source(700))
    client = RawClient(tmp_path)
    client.initialize(tmp_path)
    doc = {"uri": slow.as_uri(), "languageId": "go", "version": 1, "text": slow.read_text()}
    client.send(frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": doc}}))
    time.sleep(1.0)  # the quick tier is busy with the file
    start = time.monotonic()
    client.send(frame(request(7, "shutdown", None)))
    assert client.answered({7}, timeout=30) == {7}
    elapsed = time.monotonic() - start
    rc, _ = client.finish(shutdown=False)
    assert rc == 0
    assert elapsed < 1.0, elapsed

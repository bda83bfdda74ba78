"""The language server ranks by the configured profile or a main package's default.pgo: a diagnostic in
sampled code says its share, and the hover shows the profile's numbers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest_lsp
from conftest import ROOT, TESTDATA
from lsp_support import CONFIG, open_doc, start, wait_publish
from lsprotocol import types
from pytest_lsp import LanguageClient

from gostatic.lsp.profiled import ProfileCache


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


async def test_diagnostics_and_hover_show_the_share(client: LanguageClient, tmp_path: Path):
    ws = tmp_path / "shop"
    shutil.copytree(TESTDATA / "profile", ws)
    (ws / "gostatic.toml").write_text('profile = ["cpu.pprof", "mem.pprof"]\n')
    await start(client, ws)
    uri = open_doc(client, ws / "shop.go")
    pub = await wait_publish(client, uri, pred=lambda p: any("% cpu" in d.message for d in p.diagnostics))
    record = next(
        i for i, t in enumerate((ws / "shop.go").read_text().splitlines()) if "v := reflect.New" in t
    )
    (d,) = [d for d in pub.diagnostics if d.range.start.line == record]
    assert d.code == "BOX002" and d.message.startswith("[") and "% cpu" in d.message  # hot by the profile
    h = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=d.range.start)
    )
    assert h is not None and "**Profile**" in h.contents.value and "(*Ledger).Record" in h.contents.value
    unsampled = [d for d in pub.diagnostics if d.code == "CTX005"]
    assert unsampled and not unsampled[0].message.startswith("[")
    # the refund and empty-item branches no sample reached: their costs are cold in the editor too, while
    # the substring the refund branch keeps (RET004) is not a cost the samples measure
    lines = (ws / "shop.go").read_text().splitlines()
    refund, empty, kept = (
        next(i for i, t in enumerate(lines) if marker in t)
        for marker in ('fmt.Sprintf("refund', "fmt.Sprint(o.ID", "audit.lastRefund = ")
    )
    shown = {(d.code, d.range.start.line) for d in pub.diagnostics}
    assert not {line for _, line in shown} & {refund, empty}
    assert ("RET004", kept) in shown


def test_default_pgo_is_found_in_the_module() -> None:
    cache = ProfileCache()
    server = ROOT / "examples" / "inventory" / "server"
    assert cache.paths_for(server) == [
        str(ROOT / "examples" / "inventory" / "cmd" / "inventoryd" / "default.pgo")
    ]
    ranking = cache.ranking(server)
    assert ranking is not None and ranking.origin == "default.pgo"
    assert any(
        s.name.startswith("example.com/inventory/server.") for s in ranking.index.in_directory(str(server))
    )


def test_a_deferred_profile_is_loaded_after_the_lookup(tmp_path: Path) -> None:
    """The server's cache does not load a profile in the lookup of the first run (its diagnostics go out
    without it); `load_deferred` loads it, and a profile that does not load is not tried again."""
    cache = ProfileCache(defer=True)
    server = ROOT / "examples" / "inventory" / "server"
    assert cache.ranking(server) is None and len(cache.deferred) == 1
    assert cache.load_deferred() and not cache.deferred
    ranking = cache.ranking(server)
    assert ranking is not None and ranking.origin == "default.pgo" and not cache.deferred
    assert not cache.load_deferred()

    (tmp_path / "gostatic.toml").write_text('profile = ["bad.pprof"]\n')
    (tmp_path / "bad.pprof").write_bytes(b"not a profile")
    assert cache.ranking(tmp_path) is None and cache.load_deferred()
    assert cache.errors and cache.ranking(tmp_path) is None and not cache.deferred

"""End-to-end tests of `gostatic lsp` through a real LSP client (pytest-lsp over stdio)."""

from __future__ import annotations

import asyncio
import time

import pytest_lsp
from lsp_support import (
    CONFIG,
    apply_text_edits,
    change,
    codes,
    edit,
    edits_of,
    open_doc,
    replace,
    start,
    wait_publish,
    workspace,
)
from lsprotocol import types
from pytest_lsp import LanguageClient

DEFER = """package ws

import "os"

func sizes(paths []string) int64 {
	var total int64
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close()
		st, _ := f.Stat()
		total += st.Size()
	}
	return total
}
"""
CLEAN = "package ws\n\nfunc add(a, b int) int {\n\treturn a + b\n}\n"


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


async def test_open_publishes_at_once(client: LanguageClient, tmp_path):
    files = workspace(tmp_path, {"a.go": DEFER})
    await start(client, tmp_path)
    t0 = time.monotonic()
    uri = open_doc(client, files["a.go"])
    pub = await wait_publish(client, uri, version=1)
    assert time.monotonic() - t0 < 5
    assert codes(pub.diagnostics) == ["TIM005"]
    d = pub.diagnostics[0]
    assert d.source == "gostatic"
    assert d.severity == types.DiagnosticSeverity.Warning
    assert d.code_description is not None and d.code_description.href.endswith("#tim005")
    assert (d.range.start.line, d.range.start.character) == (11, 2)
    assert d.range.start.line == d.range.end.line or d.range.end.line > 11


async def test_change_is_debounced_and_versioned(client: LanguageClient, tmp_path):
    files = workspace(tmp_path, {"a.go": CLEAN})
    await start(client, tmp_path)
    uri = open_doc(client, files["a.go"])
    await wait_publish(client, uri, version=1)
    since = len(client.published)
    # five quick edits: only the last version is published, ~250 ms after the last change
    texts = [CLEAN + f"\n// edit {i}\n" for i in range(4)] + [DEFER]
    for i, text in enumerate(texts):
        change(client, uri, i + 2, replace(text))
        await asyncio.sleep(0.03)
    last_change = time.monotonic()
    pub = await wait_publish(client, uri, version=6, since=since)
    when = next(t for t, p in client.published[since:] if p is pub)
    assert when - last_change >= 0.2, "the server did not wait for the debounce"
    assert codes(pub.diagnostics) == ["TIM005"]
    await asyncio.sleep(0.6)  # let the package-level run land too
    versions = [p.version for _, p in client.published[since:] if p.uri == uri]
    assert versions and set(versions) == {6}, versions  # nothing stale, nothing for v2..v5
    assert codes(client.diagnostics[uri]) == ["TIM005"]


async def test_incremental_changes_and_save_and_close(client: LanguageClient, tmp_path):
    files = workspace(tmp_path, {"a.go": DEFER})
    await start(client, tmp_path)
    uri = open_doc(client, files["a.go"])
    await wait_publish(client, uri, version=1, pred=lambda p: codes(p.diagnostics) == ["TIM005"])
    # incremental: replace "defer f.Close()" (line 12) by "f.Close()"
    since = len(client.published)
    change(client, uri, 2, edit(11, 2, 11, 8, ""))
    pub = await wait_publish(client, uri, version=2, since=since)
    assert codes(pub.diagnostics) == []
    # and insert it back in two steps, then save: published at once, no debounce wait
    change(client, uri, 3, edit(11, 2, 11, 2, "def"), edit(11, 5, 11, 5, "er "))
    since = len(client.published)
    t0 = time.monotonic()
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    pub = await wait_publish(client, uri, version=3, since=since)
    assert codes(pub.diagnostics) == ["TIM005"]
    assert time.monotonic() - t0 < 0.25 + 2
    since = len(client.published)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    pub = await wait_publish(client, uri, since=since)
    assert not pub.diagnostics


SUP = """package ws

var x = 1 //nolint:TIM005 // nothing to suppress here
"""


async def test_quick_fix_and_unnecessary_tag(client: LanguageClient, tmp_path):
    files = workspace(tmp_path, {"a.go": SUP})
    await start(client, tmp_path)
    uri = open_doc(client, files["a.go"])
    pub = await wait_publish(client, uri, version=1, pred=lambda p: p.diagnostics)
    (d,) = pub.diagnostics
    assert d.code == "SUP001"
    assert list(d.tags) == [types.DiagnosticTag.Unnecessary]  # the fix only deletes
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    fixes = [a for a in actions if a.kind == types.CodeActionKind.QuickFix and a.is_preferred]
    assert len(fixes) == 1 and "SUP001" in fixes[0].title
    new = apply_text_edits(SUP, edits_of(fixes[0], uri))
    assert new == "package ws\n\nvar x = 1\n"
    assert fixes[0].edit.document_changes[0].text_document.version == 1
    change(client, uri, 2, replace(new))
    pub = await wait_publish(client, uri, version=2)
    assert not pub.diagnostics


async def test_disable_for_this_line(client: LanguageClient, tmp_path):
    text = DEFER.replace("\t\tst, _ := f.Stat()", "\t\tdefer f.Sync() // keep it\n\t\tst, _ := f.Stat()")
    files = workspace(tmp_path, {"a.go": text})
    await start(client, tmp_path)
    uri = open_doc(client, files["a.go"])
    pub = await wait_publish(client, uri, version=1, pred=lambda p: len(p.diagnostics) == 2)
    for d in pub.diagnostics:
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=d.range,
                context=types.CodeActionContext(diagnostics=[d], only=[types.CodeActionKind.QuickFix]),
            )
        )
        (disable,) = [a for a in actions if a.title == "Disable TIM005 for this line"]
        text = apply_text_edits(text, edits_of(disable, uri))
        change(client, uri, 2 if d is pub.diagnostics[0] else 3, replace(text))
        await wait_publish(client, uri, version=2 if d is pub.diagnostics[0] else 3)
        pub2 = pub
    assert "\t\tdefer f.Close() //nolint:TIM005 // reason\n" in text
    assert "\t\tdefer f.Sync() //nolint:TIM005 // keep it\n" in text  # the comment became the reason
    assert pub2 is pub
    assert codes(client.diagnostics[uri]) == []


async def test_fix_all_and_only(client: LanguageClient, tmp_path):
    text = SUP + "\nvar y = 2 //nolint:TIM001 // stale\n"
    files = workspace(tmp_path, {"a.go": text})
    await start(client, tmp_path)
    uri = open_doc(client, files["a.go"])
    await wait_publish(client, uri, version=1, pred=lambda p: len(p.diagnostics) == 2)
    whole = types.Range(types.Position(0, 0), types.Position(6, 0))

    async def ask(only):
        return await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=whole,
                context=types.CodeActionContext(diagnostics=[], only=only),
            )
        )

    (fix_all,) = await ask(["source.fixAll"])
    assert fix_all.kind == "source.fixAll.gostatic"
    assert apply_text_edits(text, edits_of(fix_all, uri)) == "package ws\n\nvar x = 1\n\nvar y = 2\n"
    assert [a.kind for a in await ask(["source.fixAll.gostatic"])] == ["source.fixAll.gostatic"]
    assert all(a.kind == "quickfix" for a in await ask(["quickfix"]))
    assert list(await ask(["refactor"])) == []
    kinds = {a.kind for a in await ask(None)}
    assert kinds == {"quickfix", "source.fixAll.gostatic"}


async def test_hover(client: LanguageClient, tmp_path):
    text = DEFER.replace("defer f.Close()", "defer f.Close() //nolint:TIM005,defer-in-loop // ok")
    text += "\nfunc more(paths []string) {\n\tfor range paths {\n\t\tdefer println()\n\t}\n}\n"
    files = workspace(tmp_path, {"a.go": text})
    await start(client, tmp_path)
    uri = open_doc(client, files["a.go"])
    pub = await wait_publish(client, uri, version=1, pred=lambda p: p.diagnostics)
    line = text.splitlines()[11]
    for token in ("TIM005", "defer-in-loop"):
        col = line.index(token) + 2
        h = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(11, col)
            )
        )
        assert h is not None and "# TIM005 defer-in-loop" in h.contents.value
        assert h.range.start.character == line.index(token)
    (d,) = pub.diagnostics
    h = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=d.range.start)
    )
    assert h is not None and "## What it finds" in h.contents.value
    h = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 1))
    )
    assert h is None


async def test_settings_from_initialization_options(client: LanguageClient, tmp_path):
    files = workspace(tmp_path, {"a.go": DEFER + "\n//gostatic:ignore TIM001\nvar z = 1\n"})
    await start(client, tmp_path, options={"gostatic": {"ignore": ["TIM005"], "debounceMs": 10}})
    uri = open_doc(client, files["a.go"])
    pub = await wait_publish(client, uri, version=1)
    assert codes(pub.diagnostics) == ["SUP002"]


async def test_workspace_configuration_and_did_change_configuration(client: LanguageClient, tmp_path):
    files = workspace(tmp_path, {"a.go": DEFER})
    client.set_configuration({"ignore": ["TIM005"]}, section="gostatic")
    await start(client, tmp_path)
    await asyncio.sleep(0.3)
    uri = open_doc(client, files["a.go"])
    pub = await wait_publish(client, uri, version=1)
    assert codes(pub.diagnostics) == []
    since = len(client.published)
    client.set_configuration({"ignore": []}, section="gostatic")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    pub = await wait_publish(client, uri, since=since, pred=lambda p: p.diagnostics)
    assert codes(pub.diagnostics) == ["TIM005"]


async def test_config_file_and_go_mod_are_watched(client: LanguageClient, tmp_path):
    fin = 'package ws\n\nimport "runtime"\n\ntype T struct{ n int }\n\nfunc track(t *T) {\n\truntime.SetFinalizer(t, func(*T) {})\n}\n'
    files = workspace(tmp_path, {"a.go": DEFER, "b.go": fin}, go_mod="module example.com/ws\n\ngo 1.22\n")
    await start(client, tmp_path)
    await asyncio.sleep(0.3)
    assert any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in client.registrations)
    a, b = open_doc(client, files["a.go"]), open_doc(client, files["b.go"])
    await wait_publish(client, a, version=1, pred=lambda p: codes(p.diagnostics) == ["TIM005"])
    pub = await wait_publish(client, b, version=1)
    assert "TIM003" not in codes(pub.diagnostics)  # set-finalizer is for Go 1.24+
    # the project's config file turns TIM005 off
    (tmp_path / "gostatic.toml").write_text('ignore = ["TIM005"]\n')
    since = len(client.published)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(uri=(tmp_path / "gostatic.toml").as_uri(), type=types.FileChangeType.Created)
            ]
        )
    )
    await wait_publish(client, a, since=since, pred=lambda p: not p.diagnostics)
    # go.mod moves to 1.24: TIM003 appears
    (tmp_path / "go.mod").write_text("module example.com/ws\n\ngo 1.24\n")
    since = len(client.published)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=(tmp_path / "go.mod").as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await wait_publish(client, b, since=since, pred=lambda p: "TIM003" in codes(p.diagnostics))


CACHE_A = """package ws

var cache = map[string]int{}

func put(k string, v int) {
	cache[k] = v
}
"""
CACHE_B = """package ws

func drop(k string) {
	delete(cache, k)
}
"""


async def test_cross_file_package_facts(client: LanguageClient, tmp_path):
    """RET001 in a.go depends on the delete in b.go: editing b.go updates a.go's findings."""
    files = workspace(tmp_path, {"a.go": CACHE_A, "b.go": CACHE_B})
    await start(client, tmp_path, options={"debounceMs": 50})
    a, b = open_doc(client, files["a.go"]), open_doc(client, files["b.go"])
    await wait_publish(client, b, version=1)
    await asyncio.sleep(1.0)  # the full (package-level) run lands
    assert "RET001" not in codes(client.diagnostics.get(a, []))
    since = len(client.published)
    change(client, b, 2, replace("package ws\n\nfunc drop(k string) {\n\t_ = k\n}\n"))
    pub = await wait_publish(client, a, since=since, pred=lambda p: "RET001" in codes(p.diagnostics))
    (d,) = [d for d in pub.diagnostics if d.code == "RET001"]
    assert d.range.start.line == 5  # the insertion
    since = len(client.published)
    change(client, b, 3, replace(CACHE_B))
    await wait_publish(client, a, since=since, pred=lambda p: "RET001" not in codes(p.diagnostics))
    # closing b.go: its facts now come from the file on disk (which still deletes)
    since = len(client.published)
    change(client, b, 4, replace("package ws\n"))
    await wait_publish(client, a, since=since, pred=lambda p: "RET001" in codes(p.diagnostics))
    since = len(client.published)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=b))
    )
    await wait_publish(client, a, since=since, pred=lambda p: "RET001" not in codes(p.diagnostics))


TOOL = 'package main\n\nvar names = map[string]int{}\n\nfunc Add(s string) { names[s] = len(names) }\n\nfunc main() { Add("x") }\n'
SERVE = 'package main\n\nimport "net/http"\n\nfunc serve() { _ = http.ListenAndServe(":0", nil) }\n'


async def test_a_command_that_starts_to_serve(client: LanguageClient, tmp_path):
    """A table a one-shot command keeps is not reported (analysis/lifetime.py) until something in the
    command's tree serves: an unsaved edit of the open file, then a file written on disk next to it, and
    back. Each answer comes from the command as it is now, not as the server first read it."""
    files = workspace(tmp_path, {"cmd/gen/main.go": TOOL})
    await start(client, tmp_path, options={"debounceMs": 50})
    main = open_doc(client, files["cmd/gen/main.go"])
    await wait_publish(client, main, version=1)
    await asyncio.sleep(1.0)  # the full (package-level) run lands
    assert "RET001" not in codes(client.diagnostics.get(main, []))

    def serves() -> bool:
        return "RET001" in codes(client.diagnostics.get(main, []))

    since = len(client.published)
    change(client, main, 2, replace(TOOL + '\nfunc serve() { _ = http.ListenAndServe(":0", nil) }\n'))
    await wait_publish(client, main, since=since, pred=lambda p: "RET001" in codes(p.diagnostics))
    since = len(client.published)
    change(client, main, 3, replace(TOOL))
    await wait_publish(client, main, since=since, pred=lambda p: "RET001" not in codes(p.diagnostics))

    serve = tmp_path / "cmd" / "gen" / "internal" / "web" / "serve.go"
    serve.parent.mkdir(parents=True)
    serve.write_text(SERVE.replace("package main", "package web"))
    since = len(client.published)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=serve.as_uri(), type=types.FileChangeType.Created)]
        )
    )
    await wait_publish(client, main, since=since, pred=lambda p: "RET001" in codes(p.diagnostics))
    serve.write_text("package web\n\nfunc serve() {}\n")  # an edit on disk: it no longer serves
    since = len(client.published)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=serve.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await wait_publish(client, main, since=since, pred=lambda p: "RET001" not in codes(p.diagnostics))
    assert not serves()


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


UNI = 'package ws\n\nimport "os"\n\nfunc names(paths []string) {\n\tfor _, p := range paths {\n\t\tf, _ := os.Open(p)\n\t\t_ = "日本😀"; defer f.Close()\n\t}\n}\n'


async def test_utf16_positions(client: LanguageClient, tmp_path):
    files = workspace(tmp_path, {"a.go": UNI})
    await start(client, tmp_path, options={"debounceMs": 0})
    uri = open_doc(client, files["a.go"])
    pub = await wait_publish(client, uri, version=1, pred=lambda p: p.diagnostics)
    (d,) = pub.diagnostics
    line = UNI.splitlines()[7]
    col = utf16_len(line[: line.index("defer")])
    assert (d.range.start.line, d.range.start.character) == (7, col)
    assert d.range.end.character == utf16_len(line)
    # an incremental edit addressed in UTF-16 units, right after the emoji: the server must splice
    # the bytes at the right place
    at = utf16_len(line[: line.index('"; defer')])
    change(client, uri, 2, edit(7, at, 7, at, "ü"))
    pub = await wait_publish(client, uri, version=2)
    (d,) = pub.diagnostics
    assert d.range.start.character == col + 1
    text = UNI.replace('😀"', '😀ü"')
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    (disable,) = [a for a in actions if a.title.startswith("Disable")]
    assert (
        apply_text_edits(text, edits_of(disable, uri))
        .splitlines()[7]
        .endswith("defer f.Close() //nolint:TIM005 // reason")
    )


@pytest_lsp.fixture(config=CONFIG)
async def utf8_client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


async def test_utf8_is_offered(utf8_client: LanguageClient, tmp_path):
    files = workspace(tmp_path, {"a.go": UNI})
    result = await start(utf8_client, tmp_path, encodings=["utf-8", "utf-16"])
    assert result.capabilities.position_encoding == "utf-8"
    uri = open_doc(utf8_client, files["a.go"])
    pub = await wait_publish(utf8_client, uri, version=1, pred=lambda p: p.diagnostics)
    line = UNI.splitlines()[7].encode()
    assert pub.diagnostics[0].range.start.character == line.index(b"defer")


async def test_pull_diagnostics(client: LanguageClient, tmp_path):
    files = workspace(tmp_path, {"a.go": CACHE_A, "b.go": CACHE_B})
    await start(client, tmp_path, pull=True, options={"debounceMs": 0})
    a, b = open_doc(client, files["a.go"]), open_doc(client, files["b.go"])

    async def pull(uri, previous=None):
        return await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(
                text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=previous
            )
        )

    report = await pull(a)
    assert report.kind == "full" and codes(report.items) == []
    again = await pull(a, report.result_id)
    assert again.kind == "unchanged"
    refreshes = client.diagnostic_refresh_count
    change(client, b, 2, replace("package ws\n"))
    deadline = time.monotonic() + 15
    while client.diagnostic_refresh_count == refreshes and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert client.diagnostic_refresh_count > refreshes  # a.go's findings changed through b.go
    report = await pull(a)
    assert codes(report.items) == ["RET001"]
    await asyncio.sleep(0.3)
    assert not client.published  # pull clients get no pushes
    unknown = await pull((tmp_path / "nope.go").as_uri())
    assert list(unknown.items) == []


CRASH_PLUGIN = '''
from gostatic.rule import FileContext, Node, Rule, RuleMeta, Severity


class Crashes(Rule):
    """
    ## What it finds
    Nothing: it raises on every call expression.
    ## Why it matters
    It checks that one broken rule costs only its own findings.
    """

    meta = RuleMeta(code="CRS001", name="crashes", severity=Severity.INFO, summary="a rule that raises")

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        raise RuntimeError("boom")
'''


async def test_robustness(client: LanguageClient, tmp_path):
    broken = DEFER.replace("return total\n}", "return total\n}\n\nfunc (\n")
    files = workspace(tmp_path, {"a.go": broken, "README.md": "# hi\n", "crash.py": CRASH_PLUGIN})
    (tmp_path / "gostatic.toml").write_text('plugins = ["crash.py"]\nextend-select = ["CRS001"]\n')
    await start(client, tmp_path, options={"debounceMs": 0})
    # a file with a syntax error and a crashing rule: SYN001 and the other rules' findings still arrive
    uri = open_doc(client, files["a.go"])
    pub = await wait_publish(client, uri, version=1, pred=lambda p: p.diagnostics)
    assert codes(pub.diagnostics) == ["SYN001", "TIM005"]
    await asyncio.sleep(0.3)
    assert any("CRS001" in m.message and "boom" in m.message for m in client.log_messages)
    # malformed input: broken JSON, a request with invalid params, an unknown method; the server answers
    # the requests with errors and keeps serving
    send_raw(client, b"{this is not json")
    bad = await raw_request(client, "bad-params", types.TEXT_DOCUMENT_HOVER, {"textDocument": 5})
    assert bad["error"]["code"] in (-32602, -32603)  # invalid params / internal error
    unknown = await raw_request(client, "unknown", "gostatic/noSuchMethod", {})
    assert unknown["error"]["code"] == -32601  # method not found
    # unknown URIs: empty answers, a logged warning, no crash
    nowhere = (tmp_path / "nowhere.go").as_uri()
    pos = types.Position(0, 0)
    assert (
        await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(nowhere), pos))
        is None
    )
    none = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(nowhere),
            types.Range(pos, pos),
            types.CodeActionContext(diagnostics=[]),
        )
    )
    assert not none
    change(client, nowhere, 2, replace("package x\n"))
    # a non-Go file is never linted
    md = open_doc(client, files["README.md"], lang="markdown")
    # the server still answers
    h = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(11, 3))
    )
    assert h is not None and "TIM005" in h.contents.value
    await asyncio.sleep(0.3)
    assert all(p.uri != md for _, p in client.published)
    assert any("not open" in m.message for m in client.log_messages)


def send_raw(client: LanguageClient, body: bytes) -> None:
    """Bytes straight onto the server's stdin: what a buggy client might send."""
    client._server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)  # type: ignore[union-attr]


async def raw_request(client: LanguageClient, msg_id: str, method: str, params: object) -> dict:
    """A request the typed client could not even serialise, and the raw response to it."""
    import json

    fut = asyncio.get_running_loop().create_future()
    client.protocol._request_futures[msg_id] = fut
    send_raw(
        client, json.dumps({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params}).encode()
    )
    try:
        await asyncio.wait_for(fut, 10)
    except Exception as exc:  # pygls turns an error response into an exception: keep its code
        return {"error": {"code": getattr(exc, "code", None), "message": str(exc)}}
    return {"result": fut.result()}


def big_go(functions: int) -> str:
    body = "".join(
        f"func f{i}(xs []int) int {{\n\tt := 0\n\tfor _, x := range xs {{\n\t\tt += x * {i}\n\t}}\n\treturn t\n}}\n\n"
        for i in range(functions)
    )
    return "package ws\n\n" + body


async def test_huge_files_and_responsiveness(client: LanguageClient, tmp_path):
    files = workspace(
        tmp_path, {"small.go": DEFER, "big/big.go": big_go(30000), "huge/huge.go": "package huge\n"}
    )
    await start(client, tmp_path)
    small = open_doc(client, files["small.go"])
    await wait_publish(client, small, version=1)
    # a ~3 MB file is being analysed: hovers on another document are still answered meanwhile
    big = open_doc(client, files["big/big.go"])
    t0 = time.monotonic()
    h = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(small), types.Position(11, 3))
    )
    answered = time.monotonic() - t0
    assert h is not None
    pub = await wait_publish(client, big, version=1, timeout=120)
    assert answered < 2.0, answered
    assert not pub.diagnostics
    # over the engine's size limit: one info finding instead of an analysis
    text = "package huge\n\n" + ("// " + "x" * 1000 + "\n") * (33 * 1024)
    huge = open_doc(client, files["huge/huge.go"], text=text)
    pub = await wait_publish(client, huge, version=1, timeout=60, pred=lambda p: p.diagnostics)
    assert codes(pub.diagnostics) == ["SYN003"]


async def test_untitled_buffer(client: LanguageClient, tmp_path):
    """A Go buffer with no file behind it is analysed on its own."""
    await start(client, tmp_path)
    uri = "untitled:Untitled-1"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="go", version=1, text=DEFER)
        )
    )
    pub = await wait_publish(client, uri, version=1, pred=lambda p: p.diagnostics)
    assert codes(pub.diagnostics) == ["TIM005"]


def large_go(elements: int = 10000) -> str:
    """A file over the size from which the quick run re-analyses only what an edit touched (see
    gostatic/lsp/incremental.py): findings before, inside and after a long package-level table."""
    table = "".join(f"\t{i},\n" for i in range(elements))
    return f"""package ws

import (
	"context"
	"errors"
	"os"
)

func do(context.Context) error {{ return nil }}

func early(ctx context.Context, fail bool) error {{
	ctx, cancel := context.WithCancel(ctx)
	if fail {{
		return errors.New("failed")
	}}
	cancel()
	return do(ctx)
}}

var table = [...]int{{
{table}}}

{DEFER.split(chr(10), 3)[3]}
func late(ctx context.Context, fail bool) error {{
	ctx, cancel := context.WithCancel(ctx)
	if fail {{
		return errors.New("late")
	}}
	cancel()
	return do(ctx)
}}
"""


def expected_findings(text: str) -> list[tuple[str, int, str]]:
    """(code, 0-based line, line named in the message) of the findings `large_go` text must have."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        if "context.WithCancel" in line:
            fn_end = next(j for j in range(i, len(lines)) if lines[j] == "}")
            if not any("defer cancel()" in lines[j] for j in range(i, fn_end)):
                ret = next(j for j in range(i, fn_end) if "return errors.New" in lines[j])
                out.append(("CTX005", i, f"at line {ret + 1} "))
        if line.strip() == "defer f.Close()":
            out.append(("TIM005", i, ""))
    return sorted(out)


def published_findings(pub: types.PublishDiagnosticsParams) -> list[tuple[str, int, str]]:
    out = []
    for d in pub.diagnostics:
        named = ""
        if "at line " in d.message:
            named = "at line " + d.message.split("at line ", 1)[1].split(" ", 1)[0] + " "
        out.append((str(d.code), d.range.start.line, named))
    return sorted(out)


async def test_large_file_edits_reuse_findings_elsewhere(client: LanguageClient, tmp_path):
    """On a large file the quick run visits only the edited function (or table element) again and
    carries the other findings past the edit: each version's first publish must equal what a whole
    analysis finds, positions and the line numbers messages name included."""
    text = large_go()
    assert len(text.encode()) > 64 * 1024
    files = workspace(tmp_path, {"big.go": text})
    await start(client, tmp_path, options={"gostatic": {"debounceMs": 0}})
    uri = open_doc(client, files["big.go"])
    pub = await wait_publish(client, uri, version=1, timeout=60)
    assert [c for c, _, _ in published_findings(pub)] == ["CTX005", "CTX005", "TIM005"]
    assert published_findings(pub) == expected_findings(text)
    lines = text.split("\n")
    table_middle = lines.index("\t5000,")
    early_cancel = next(i for i, line in enumerate(lines) if "WithCancel" in line)
    steps = [
        # a comment in the middle of the table: the findings after it move down a line
        ("table", table_middle, 0, table_middle, 0, "\t// a note\n"),
        # the loop's defer removed: its finding goes, the others stay where they are
        ("defer", None, 2, None, 8, ""),
        # the first function now defers its cancel (one line more): its finding goes, the others move
        ("early", early_cancel + 1, 0, early_cancel + 1, 0, "\tdefer cancel()\n"),
        # and the defer in the loop is back: a finding created in the edited function
        ("defer", None, 2, None, 2, "defer "),
        # the table's comment removed again: everything after it moves up
        ("table", table_middle, 0, table_middle + 1, 0, ""),
    ]
    for version, (what, sl, sc, el, ec, new) in enumerate(steps, start=2):
        if what == "defer":  # the line of `f.Close()` in the loop, wherever it is now
            sl = el = next(
                i for i, line in enumerate(lines) if line.strip() in ("defer f.Close()", "f.Close()")
            )
        since = len(client.published)
        change(client, uri, version, edit(sl, sc, el, ec, new))
        text = apply_text_edits(
            text, [types.TextEdit(types.Range(types.Position(sl, sc), types.Position(el, ec)), new)]
        )
        lines = text.split("\n")
        pub = await wait_publish(client, uri, version=version, since=since, timeout=30)
        assert published_findings(pub) == expected_findings(text), what

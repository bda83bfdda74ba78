"""Helpers for the LSP end-to-end tests: a pytest-lsp client that records every publishDiagnostics
with its version, a scratch Go workspace, and small waits and edit helpers."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

SERVER = [sys.executable, "-m", "gostatic.cli", "lsp"]
GO_MOD = "module example.com/ws\n\ngo 1.27\n"


def make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]

    def on_publish(ls: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published.append((time.monotonic(), params))  # type: ignore[attr-defined]

    client.registrations = []  # type: ignore[attr-defined]

    def on_register(ls: LanguageClient, params: types.RegistrationParams) -> None:
        ls.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    features = {
        **DEFAULT_CLIENT_FEATURES,
        types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: on_publish,
        types.CLIENT_REGISTER_CAPABILITY: on_register,
    }
    register_lsp_features(client, features)
    return client


CONFIG = ClientServerConfig(server_command=SERVER, client_factory=make_client)


def capabilities(*, pull: bool = False, encodings: list[str] | None = None) -> types.ClientCapabilities:
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
        workspace=types.WorkspaceClientCapabilities(
            configuration=True,
            did_change_configuration=types.DidChangeConfigurationClientCapabilities(
                dynamic_registration=True
            ),
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
            diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True) if pull else None,
        ),
        text_document=types.TextDocumentClientCapabilities(
            synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                version_support=True,
                code_description_support=True,
                tag_support=types.ClientDiagnosticsTagOptions(value_set=[types.DiagnosticTag.Unnecessary]),
            ),
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(
                        value_set=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
                    )
                ),
                is_preferred_support=True,
            ),
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
            diagnostic=types.DiagnosticClientCapabilities() if pull else None,
        ),
    )


async def start(
    client: LanguageClient,
    root: Path,
    *,
    pull: bool = False,
    encodings: list[str] | None = None,
    options: Any = None,
) -> types.InitializeResult:
    return await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(pull=pull, encodings=encodings),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")],
            initialization_options=options,
        )
    )


def workspace(root: Path, files: dict[str, str], go_mod: str = GO_MOD) -> dict[str, Path]:
    (root / "go.mod").write_text(go_mod)
    out = {}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        out[name] = path
    return out


def open_doc(
    client: LanguageClient, path: Path, text: str | None = None, version: int = 1, lang: str = "go"
) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=lang, version=version, text=path.read_text() if text is None else text
            )
        )
    )
    return uri


def change(
    client: LanguageClient, uri: str, version: int, *changes: types.TextDocumentContentChangeEvent
) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=list(changes),
        )
    )


def replace(text: str) -> types.TextDocumentContentChangeWholeDocument:
    return types.TextDocumentContentChangeWholeDocument(text=text)


def edit(sl: int, sc: int, el: int, ec: int, text: str) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(sl, sc), types.Position(el, ec)), text=text
    )


async def wait_publish(
    client: LanguageClient,
    uri: str,
    *,
    version: int | None = None,
    since: int = 0,
    timeout: float = 15.0,
    pred=None,
) -> types.PublishDiagnosticsParams:
    """The first publish for `uri` (at index >= `since`) with that version and matching `pred`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for _, p in client.published[since:]:  # type: ignore[attr-defined]
            if p.uri == uri and (version is None or p.version == version) and (pred is None or pred(p)):
                return p
        await asyncio.sleep(0.01)
    seen = [(p.uri, p.version, codes(p.diagnostics)) for _, p in client.published]  # type: ignore[attr-defined]
    raise AssertionError(f"no publishDiagnostics for {uri} version {version}; saw {seen}")


def codes(diags: Any) -> list[str]:
    return sorted(str(d.code) for d in diags)


def apply_text_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 positions) to `text`, last first."""
    lines = text.splitlines(keepends=True)

    def offset(pos: types.Position) -> int:
        base = sum(len(line) for line in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units, i = 0, 0
        while i < len(line) and units < pos.character:
            units += 2 if ord(line[i]) > 0xFFFF else 1
            i += 1
        return base + i

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
        lines = text.splitlines(keepends=True)
    return text


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None
    if action.edit.document_changes:
        return [e for dc in action.edit.document_changes if dc.text_document.uri == uri for e in dc.edits]
    return list((action.edit.changes or {}).get(uri, []))

"""`gostatic lsp`: the language server. This module only wires LSP messages to the parts that do the work
(documents, analysis, conversion, actions, hover) and owns the scheduling:

- open and save lint at once; a change lints `debounceMs` (250) after the last keystroke;
- one analysis thread; requests for a package are coalesced while queued, and a result is published
  only if every buffer it covers is still at the version it saw, so a stale result never overwrites a
  newer one;
- push diagnostics, or pull (`textDocument/diagnostic`) when the client advertises it, with
  `workspace/diagnostic/refresh` when an edit changes another open file's findings.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import multiprocessing
import sys
import threading
import traceback
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from lsprotocol import types
from pygls.exceptions import (
    FeatureRequestError,
    JsonRpcException,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
)
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from gostatic import __version__
from gostatic.lint.finding import Finding
from gostatic.lsp import settings as settingsmod
from gostatic.lsp.convert import FIX_ALL, UTF16, encoding_name
from gostatic.lsp.debounce import Debouncer
from gostatic.lsp.documents import Document, DocumentStore, path_of

if TYPE_CHECKING:
    # the analysis side (rules, the package index, profiles: a quarter of a second of imports) is
    # loaded after `initialize` is answered: see `GostaticServer.preload`
    from gostatic.lint.rule import Rule
    from gostatic.lsp.analysis import AnalysisResult, Analyzer, Baseline, Snapshot
    from gostatic.run.package import PackageJob

log = logging.getLogger("gostatic.lsp")
FULL_RUN_DELAY = 0.4  # seconds without a new quick result before the package-wide run starts


def _config_names() -> tuple[str, ...]:
    from gostatic.run.config import CONFIG_NAMES

    return tuple(CONFIG_NAMES)


@attrs.frozen
class Published:
    """The latest result for one document, exactly as the client has it."""

    uri: str
    version: int
    data: bytes
    path: str
    findings: tuple[Finding, ...]
    diagnostics: tuple[types.Diagnostic, ...]
    rules: dict[str, type[Rule]]


class _Cancelled(BaseException):
    """Raised in the analysis thread by `shutdown`: the analysis it interrupts is abandoned."""


@attrs.frozen
class _Unreadable:
    """A request whose params did not deserialise: it still gets an error response."""

    id: Any
    error: JsonRpcException
    jsonrpc: str = "2.0"


class GostaticProtocol(LanguageServerProtocol):
    """Text synchronisation goes to the server's byte store, not to pygls' str workspace; a request with
    malformed params is answered with an error instead of being dropped (a client would wait forever)."""

    def structure_message(self, data: dict[str, Any]):  # type: ignore[no-untyped-def]
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data, dict) and "id" in data and "method" in data:
                return _Unreadable(data["id"], exc)
            raise

    def handle_message(self, message: Any) -> None:
        method = getattr(message, "method", None)
        if self._shutdown and method not in (None, types.EXIT) and getattr(message, "id", None) is not None:
            # the spec: a request after `shutdown` is an InvalidRequest error (pygls dropped it, unanswered)
            self._send_response(
                message.id,
                None,
                JsonRpcInvalidRequest(message="the server is shutting down").to_response_error(),
            )
            return
        if isinstance(message, _Unreadable):
            self._send_response(message.id, None, message.error.to_response_error())
            self._server._report_server_error(message.error, FeatureRequestError)
            return
        super().handle_message(message)

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):  # type: ignore[no-untyped-def]
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):  # type: ignore[no-untyped-def]
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):  # type: ignore[no-untyped-def]
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


def _key_of(snap: Snapshot) -> str:
    return str(Path(snap.path).parent) if snap.path != snap.uri else snap.uri


def _key(doc: Document) -> str:
    """Documents analysed together: the directory of a file (its Go package), or the URI of a buffer
    with no file behind it."""
    return str(doc.path.parent) if doc.path is not None else doc.uri


class GostaticServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("gostatic", __version__, protocol_cls=GostaticProtocol)
        self.docs = DocumentStore()
        self.settings = settingsmod.Settings()
        self._analyzer: Analyzer | None = None
        self._analyzer_lock = threading.Lock()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gostatic-analysis")
        self.debouncer = Debouncer()
        self.published: dict[str, Published] = {}
        self.pending: dict[str, asyncio.Future[AnalysisResult]] = {}
        self.encoding = UTF16
        self.pull = False
        self.reported: set[str] = set()  # internal errors already logged
        self.baselines: dict[str, Baseline] = {}  # by URI; mutated under docs.lock
        self.processes: ProcessPoolExecutor | None = None
        self.full_running: set[str] = set()
        self.full_next: dict[str, tuple[PackageJob, list[Snapshot], AnalysisResult]] = {}
        self.generation = 0
        self.analysing: int | None = None  # the analysis thread's id while it analyses
        self.exit_code = 0

    @property
    def analyzer(self) -> Analyzer:
        """Made on first use (normally by `preload`, on the analysis thread, once `initialized`)."""
        with self._analyzer_lock:
            if self._analyzer is None:
                from gostatic.lsp.analysis import Analyzer

                self._analyzer = Analyzer()
                self._analyzer.profiles.defer = True  # loaded after the first result: see _analyse
            return self._analyzer

    def preload(self) -> None:
        """On the analysis thread, queued at `initialized` (before the first document's analysis): the
        analysis modules and the built-in rules, which `initialize` did not wait for. They live as long
        as the process: the collection after the first run freezes them out of the collector's view
        (`collect_garbage`), rather than a collection here, before the first diagnostics."""
        from gostatic.lint.registry import load_rules
        from gostatic.lsp import actions, hover, profiled  # noqa: F401  (their first use is then quick)

        load_rules()
        self.analyzer  # noqa: B018

    # ------------------------------------------------------------------------------------ messages
    def _start_io_async(self, stdin: Any = None, stdout: Any = None) -> None:
        """pygls's loop over stdin, with gostatic's reader (framing.py): bad framing is resynchronised
        and logged in one line, so the server never stops answering (`shutdown` and `exit` included)."""
        if stdin is not None or sys.platform == "win32":  # select() on a pipe: POSIX only
            super()._start_io_async(stdin, stdout)
            return
        from pygls.io_ import StdoutWriter

        from gostatic.lsp.framing import FramedReader

        self._stop_event = threading.Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        reader = FramedReader(sys.stdin.fileno(), self.thread_pool)
        try:
            asyncio.run(reader.messages(self._handle_body))
        except BrokenPipeError:
            log.error("the connection to the client is lost; shutting down")
        except SystemExit as exc:  # `exit`: 0 after `shutdown`, 1 without (pygls decides)
            self.exit_code = exc.code if isinstance(exc.code, int) else 1
        except KeyboardInterrupt:
            pass
        finally:
            self.shutdown()

    def _handle_body(self, body: bytes) -> None:
        """One message: a body that does not structure, or a handler that fails, is one log line."""
        try:
            message = json.loads(body, object_hook=self.protocol.structure_message)
        except Exception as exc:
            log.error("unreadable message (%s: %s): %r", type(exc).__name__, exc, body[:80])
            with contextlib.suppress(Exception):
                raw = json.loads(body)
                if isinstance(raw, dict) and "method" in raw and raw.get("id") is not None:
                    # a request: answer it, or the client waits forever
                    error = JsonRpcInvalidParams(message=f"{type(exc).__name__}: {exc}")
                    self.protocol._send_response(raw["id"], None, error.to_response_error())
            return
        try:
            self.protocol.handle_message(message)
        except Exception as exc:
            log.error("cannot handle a message: %s: %s", type(exc).__name__, exc)
            self.report_server_error(exc, JsonRpcException)

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Errors pygls caught (bad params, a failing handler): logged, never a pop-up storm."""
        try:
            self.log(f"gostatic: {type(error).__name__}: {error}", types.MessageType.Error)
        except Exception:
            log.exception("cannot report an error to the client")

    # ------------------------------------------------------------------------------------ scheduling
    def schedule(self, key: str) -> asyncio.Future[AnalysisResult]:
        """Analyse the documents of `key` on the analysis thread. A request made while another for the
        same key is still queued joins it: that one takes its snapshot when it starts."""
        loop = asyncio.get_running_loop()
        with self.docs.lock:
            fut = self.pending.get(key)
            if fut is None:
                fut = loop.create_future()
                self.pending[key] = fut
                self.executor.submit(self._work, key, fut, loop)
                fut.add_done_callback(self._on_result)
        return fut

    def cancel_analysis(self) -> None:
        """Stop the analysis thread's current work (`shutdown`): an asynchronous _Cancelled exception,
        raised in that thread when it next runs Python code."""
        import ctypes

        tid = self.analysing
        if tid is not None:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), ctypes.py_object(_Cancelled))

    def _work(self, key: str, fut: asyncio.Future[AnalysisResult], loop: asyncio.AbstractEventLoop) -> None:
        """Analysis thread: snapshot (atomically with leaving the queue), analyse, hand back."""
        import threading

        self.analysing = threading.get_ident()
        try:
            self._analyse(key, fut, loop)
        except _Cancelled:
            return  # shutting down: nobody waits for this result
        finally:
            self.analysing = None

    def _analyse(
        self, key: str, fut: asyncio.Future[AnalysisResult], loop: asyncio.AbstractEventLoop
    ) -> None:
        from gostatic.lsp.analysis import AnalysisResult, Snapshot
        from gostatic.lsp.profiled import to_diagnostics

        with self.docs.lock:
            if self.pending.get(key) is fut:
                del self.pending[key]
            docs = [d for d in self.docs.unlocked() if d.is_go and _key(d) == key]
            snaps = [Snapshot(d.uri, str(d.path) if d.path else d.uri, d.version, d.data) for d in docs]
            settings = self.settings
            baselines = {d.uri: self.baselines[d.uri] for d in docs if d.uri in self.baselines}
        try:
            if not snaps:
                result = AnalysisResult()
            elif docs[0].path is None:
                result = self.analyzer.analyze_alone(snaps[0], settings)
            else:
                result = self.analyzer.analyze(Path(key), snaps, settings, baselines)
            for uri, fr in result.files.items():
                rules = result.rules
                result.diagnostics[uri] = to_diagnostics(
                    fr.findings, fr.snapshot.data, self.encoding, rules, self._ranking(key, settings)
                )
        except _Cancelled:
            raise
        except BaseException:
            result = AnalysisResult(
                errors=[f"internal error while analysing {key}:\n{traceback.format_exc()}"]
            )
        loop.call_soon_threadsafe(_resolve, fut, result)
        try:
            if self.analyzer.profiles.load_deferred():
                # that result went out without the package's profile: now loaded, analyse again
                loop.call_soon_threadsafe(self.schedule, key)
        except _Cancelled:
            raise
        except Exception as exc:
            loop.call_soon_threadsafe(self.log, f"gostatic: loading a profile failed: {exc}")

    def _on_result(self, fut: asyncio.Future[AnalysisResult]) -> None:
        if fut.cancelled():
            return
        result = fut.result()
        self._publish(result)
        # the run's cyclic garbage (package index, resolvers), collected now that its result is out:
        # left to the collector's own schedule, it piles up over several runs and is then collected in
        # the middle of one (a pause of tens of milliseconds on a large package)
        with contextlib.suppress(RuntimeError):  # the executor is shut down
            self.executor.submit(collect_garbage)
        if not result.full and result.full_job is not None and result.files:
            snaps = [fr.snapshot for fr in result.files.values()]
            key, job = _key_of(snaps[0]), result.full_job
            # the full run waits for a pause in typing: while keys are pressed it would only compete
            # with the quick runs for the CPU, and its result would be stale on arrival
            self.debouncer.call(
                ("full", key), FULL_RUN_DELAY, lambda: self.schedule_full(key, job, snaps, result)
            )

    def _ranking(self, key: str, settings: settingsmod.Settings):  # type: ignore[no-untyped-def]
        """The profiles for the package at `key` (a directory; an unsaved buffer has none)."""
        if not key or not Path(key).is_dir():
            return None
        return self.analyzer.profiles.ranking(Path(key), settings.config_path)

    def schedule_full(self, key: str, job: PackageJob, snaps: list[Snapshot], quick: AnalysisResult) -> None:
        """Run the whole package in the worker process; while one run is going, only the newest
        request waits behind it."""
        from gostatic.lsp.analysis import full_run, worker_init

        if key in self.full_running:
            self.full_next[key] = (job, snaps, quick)
            return
        if self.processes is None:
            self.processes = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=worker_init
            )
        self.full_running.add(key)
        loop = asyncio.get_running_loop()
        fut = loop.run_in_executor(self.processes, full_run, job, self.generation)
        fut.add_done_callback(lambda f: self._on_full(key, job, snaps, quick, f))

    def _on_full(
        self, key: str, job: PackageJob, snaps: list[Snapshot], quick: AnalysisResult, fut: asyncio.Future
    ) -> None:
        from gostatic.lsp.analysis import baseline_of, map_full_result
        from gostatic.lsp.profiled import to_diagnostics

        self.full_running.discard(key)
        try:
            result = map_full_result(job, snaps, fut.result())
        except BrokenProcessPool:
            self.processes = None
            self.log("gostatic: the package-analysis process died; it is restarted", types.MessageType.Error)
            result = None
        except Exception as exc:
            self.log(
                f"gostatic: package analysis failed: {type(exc).__name__}: {exc}", types.MessageType.Error
            )
            result = None
        if result is not None:
            result.rules = quick.rules
            result.package_level = quick.package_level
            for uri, fr in result.files.items():
                result.diagnostics[uri] = to_diagnostics(
                    fr.findings,
                    fr.snapshot.data,
                    self.encoding,
                    result.rules,
                    self._ranking(key, self.settings),
                )
            with self.docs.lock:
                for uri, fr in result.files.items():
                    if self.docs.get(uri) is not None:
                        self.baselines[uri] = baseline_of(fr.snapshot, fr.findings, result.package_level)
            self._publish(result)
        nxt = self.full_next.pop(key, None)
        if nxt is not None:
            self.schedule_full(key, *nxt)

    def _publish(self, result: AnalysisResult) -> None:
        for message in result.errors:
            if message not in self.reported:
                self.reported.add(message)
                self.log(f"gostatic: {message}", types.MessageType.Error)
        if result.problem is not None:
            if result.problem not in self.reported:
                self.reported.add(result.problem)
                self.log(f"gostatic: {result.problem}", types.MessageType.Error)
                self.window_show_message(
                    types.ShowMessageParams(
                        type=types.MessageType.Error, message=f"gostatic: {result.problem}"
                    )
                )
            return
        refresh = False
        diagnostics = result.diagnostics
        for uri, fr in result.files.items():
            doc = self.docs.get(uri)
            if doc is None or doc.version != fr.snapshot.version:
                continue  # closed, or edited since: a newer analysis is on its way
            prev = self.published.get(uri)
            if prev is not None and prev.version > fr.snapshot.version:
                continue
            pub = Published(
                uri,
                fr.snapshot.version,
                fr.snapshot.data,
                fr.snapshot.path,
                tuple(fr.findings),
                diagnostics.get(uri, ()),
                result.rules,
            )
            self.published[uri] = pub
            if prev is not None and prev.version == pub.version and prev.diagnostics != pub.diagnostics:
                refresh = True
            if not self.pull:
                self.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(
                        uri=uri, diagnostics=list(pub.diagnostics), version=pub.version
                    )
                )
        if refresh and self.pull and self._refresh_supported():
            self.workspace_diagnostic_refresh(None)

    def _refresh_supported(self) -> bool:
        ws = self.client_capabilities.workspace
        return bool(ws and ws.diagnostics and ws.diagnostics.refresh_support)

    def lint_soon(self, doc: Document) -> None:
        delay = self.settings.debounce_ms / 1000
        self.debouncer.call(doc.uri, delay, lambda: self._lint_now(doc.uri))

    def _lint_now(self, uri: str) -> None:
        doc = self.docs.get(uri)
        if doc is not None and doc.is_go:
            self.schedule(_key(doc))

    def lint(self, doc: Document) -> None:
        self.debouncer.cancel(doc.uri)
        if doc.is_go:
            self.schedule(_key(doc))

    def lint_all(self) -> None:
        for key in sorted({_key(d) for d in self.docs.all() if d.is_go}):
            self.schedule(key)

    async def fresh(self, uri: str, attempts: int = 4) -> Published | None:
        """The result for the document's current version, analysing it if needed."""
        for _ in range(attempts):
            doc = self.docs.get(uri)
            if doc is None or not doc.is_go:
                return None
            pub = self.published.get(uri)
            if pub is not None and pub.version == doc.version:
                return pub
            result = await self.schedule(_key(doc))
            if result.problem is not None:
                return None
        return None

    # ------------------------------------------------------------------------------------ configuration
    def apply_settings(self, raw: Any) -> None:
        problems: list[str] = []
        new = settingsmod.parse(raw, problems)
        for p in problems:
            self.log(f"gostatic: {p}", types.MessageType.Warning)
        if new != self.settings:
            self.settings = new
            self.reported = {m for m in self.reported if "configuration" not in m}
            self.lint_all()

    async def fetch_settings(self) -> bool:
        ws = self.client_capabilities.workspace
        if not (ws and ws.configuration):
            return False
        try:
            values = await self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=settingsmod.SECTION)])
            )
        except Exception as exc:
            self.log(f"gostatic: workspace/configuration failed: {exc}", types.MessageType.Warning)
            return False
        if values and isinstance(values[0], dict):
            self.apply_settings(values[0])
        return True

    def config_changed(self) -> None:
        """A config file or go.mod changed: re-plan and re-lint every open document."""
        self.executor.submit(self.analyzer.invalidate)
        self.generation += 1
        self.reported.clear()
        self.lint_all()


FREEZE_ABOVE = 20_000  # objects left to the collector after a collection


def collect_garbage() -> None:
    """A full collection between runs; then, when many objects survived it (the modules loaded for the
    first run, what an open of a large package keeps for the next edits: per-file memos, a default.pgo's
    functions), they are frozen out of the collector's view: the next collections, one per edit, then
    scan only what the edits allocate (ssa's 46k kept objects cost 7 ms a collection). A frozen object
    is still freed when its last reference goes; only a cycle of frozen objects is never collected, and
    what survives a full collection between runs is the modules and the server's state (documents,
    trees, memos, profiles: replaced by reference, not held in cycles; the runs' cycles were just
    collected). A freeze happens a few times a session: once the objects left exceed the threshold."""
    gc.collect()
    if len(gc.get_objects(generation=2)) > FREEZE_ABOVE:
        gc.freeze()


def _resolve(fut: asyncio.Future[AnalysisResult], result: AnalysisResult) -> None:
    if not fut.done():
        fut.set_result(result)


def create_server() -> GostaticServer:
    server = GostaticServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: GostaticServer, params: types.InitializeParams) -> None:
        ls.encoding = encoding_name(ls.workspace.position_encoding)
        td = params.capabilities.text_document
        ls.pull = bool(td and td.diagnostic is not None)
        problems: list[str] = []
        ls.settings = settingsmod.parse(params.initialization_options, problems)
        for p in problems:
            log.warning(p)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: GostaticServer, params: types.InitializedParams) -> None:
        with contextlib.suppress(RuntimeError):  # the executor is shut down
            ls.executor.submit(ls.preload)  # ahead of the first document's analysis, on its thread
        ws = ls.client_capabilities.workspace
        registrations = []
        if ws and ws.did_change_watched_files and ws.did_change_watched_files.dynamic_registration:
            registrations.append(
                types.Registration(
                    id="gostatic-watch",
                    method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=types.DidChangeWatchedFilesRegistrationOptions(
                        watchers=[
                            types.FileSystemWatcher(glob_pattern=g)
                            for g in ("**/go.mod", "**/*.go", *(f"**/{n}" for n in _config_names()))
                        ]
                    ),
                )
            )
        if ws and ws.did_change_configuration and ws.did_change_configuration.dynamic_registration:
            registrations.append(
                types.Registration(id="gostatic-config", method=types.WORKSPACE_DID_CHANGE_CONFIGURATION)
            )
        if registrations:
            try:
                await ls.client_register_capability_async(
                    types.RegistrationParams(registrations=registrations)
                )
            except Exception as exc:
                ls.log(f"gostatic: client/registerCapability failed: {exc}", types.MessageType.Warning)
        await ls.fetch_settings()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: GostaticServer, params: types.DidOpenTextDocumentParams) -> None:
        doc = ls.docs.open(params.text_document)
        ls.lint(doc)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: GostaticServer, params: types.DidChangeTextDocumentParams) -> None:
        doc = ls.docs.change(params, ls.encoding)
        if doc is None:
            ls.log(
                f"gostatic: didChange for {params.text_document.uri}, which is not open",
                types.MessageType.Warning,
            )
            return
        ls.lint_soon(doc)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: GostaticServer, params: types.DidSaveTextDocumentParams) -> None:
        doc = ls.docs.get(params.text_document.uri)
        if doc is not None:
            ls.lint(doc)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: GostaticServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.debouncer.cancel(uri)
        doc = ls.docs.close(uri)
        ls.published.pop(uri, None)
        with ls.docs.lock:
            ls.baselines.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        if doc is None or not doc.is_go:
            return
        key = _key(doc)
        if any(_key(d) == key for d in ls.docs.all() if d.is_go):
            ls.schedule(key)  # its package facts now come from the file on disk
        elif doc.path is not None:
            ls.executor.submit(ls.analyzer.forget, key)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: GostaticServer, params: types.DidChangeConfigurationParams
    ) -> None:
        if not await ls.fetch_settings():
            ls.apply_settings(params.settings)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: GostaticServer, params: types.DidChangeWatchedFilesParams) -> None:
        directories: set[str] = set()
        for change in params.changes:
            name = change.uri.rsplit("/", 1)[-1]
            if name == "go.mod" or name in _config_names():
                ls.config_changed()
                return
            if name.endswith(".go"):
                path = path_of(change.uri)
                if path is not None:
                    directories.add(str(path.parent))
                    if change.type != types.FileChangeType.Changed:
                        ls.executor.submit(ls.analyzer.invalidate_dir, str(path.parent))
        if not directories:
            return
        ls.executor.submit(ls.analyzer.disk_changed)
        from gostatic.analysis.lifetime import command_root

        # a file anywhere in a command's tree can make the command serve (analysis/lifetime.py), and so
        # change the retention findings of every package of that command
        commands = {c for c in map(command_root, directories) if c is not None}
        for key in sorted({_key(d) for d in ls.docs.all() if d.is_go}):
            if key in directories or (commands and command_root(key) in commands):
                ls.schedule(key)

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier="gostatic", inter_file_dependencies=True, workspace_diagnostics=False
        ),
    )
    async def diagnostic(
        ls: GostaticServer, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport:
        pub = await ls.fresh(params.text_document.uri)
        if pub is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = f"{pub.version}:{hash(repr(pub.diagnostics)) & 0xFFFFFFFF:x}"
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=list(pub.diagnostics), result_id=result_id)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )
    async def code_action(ls: GostaticServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        pub = await ls.fresh(params.text_document.uri)
        if pub is None:
            return []
        ws = ls.client_capabilities.workspace
        versioned = bool(ws and ws.workspace_edit and ws.workspace_edit.document_changes)

        def compute() -> list[types.CodeAction]:
            from gostatic.lsp.actions import code_actions

            tree = ls.analyzer.tree_for(pub.path, pub.data) if pub.data else None
            return code_actions(
                uri=pub.uri,
                version=pub.version,
                data=pub.data,
                tree=tree,
                findings=list(pub.findings),
                rng=params.range,
                only=[str(k) for k in params.context.only] if params.context.only else None,
                encoding=ls.encoding,
                rules=pub.rules,
                versioned=versioned,
            )

        return await asyncio.get_running_loop().run_in_executor(ls.executor, compute)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: GostaticServer, params: types.HoverParams) -> types.Hover | None:
        doc = ls.docs.get(params.text_document.uri)
        if doc is None or not doc.is_go:
            return None
        from gostatic.lint.registry import load_rules
        from gostatic.lsp.hover import hover

        pub = ls.published.get(doc.uri)
        rules = list(pub.rules.values()) if pub is not None and pub.rules else load_rules()
        diagnostics = list(pub.diagnostics) if pub is not None and pub.version == doc.version else []
        return hover(doc.table, params.position, ls.encoding, rules, diagnostics)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: GostaticServer, params: None) -> None:
        """Answered at once, even during a long analysis: the one running is cancelled (its thread gets
        an exception at its next bytecode) and full-tier worker processes are killed."""
        ls.executor.shutdown(wait=False, cancel_futures=True)
        ls.cancel_analysis()
        if ls.processes is not None:
            for proc in list(getattr(ls.processes, "_processes", {}).values()):
                with contextlib.suppress(Exception):
                    proc.kill()
            ls.processes.shutdown(wait=False, cancel_futures=True)

    return server


class _OneLineFormatter(logging.Formatter):
    """Every log record on one line of stderr: an exception as its type and message, not a traceback
    (an editor shows the server's stderr as a log; a malformed message from the client is not a crash)."""

    def format(self, record: logging.LogRecord) -> str:
        exc, record.exc_info, record.exc_text = record.exc_info, None, None
        try:
            text = super().format(record)
        finally:
            record.exc_info = exc
        if exc is not None and exc[1] is not None:
            text += f" ({type(exc[1]).__name__}: {exc[1]})"
        head, sep, trace = text.partition("Traceback (most recent call last):")
        if sep:  # a traceback pygls formatted into the message itself: keep its last line, the error
            last = [line.strip(" |+-") for line in trace.splitlines() if line.strip(" |+-")]
            text = head.rstrip(" |+-") + (f" ({last[-1]})" if last else "")
        return " ".join(text.split("\n"))


def main() -> int:
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLineFormatter("gostatic-lsp: %(levelname)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    # the event loop shares the GIL with the analysis thread: hand it over more often than every 5 ms,
    # so that messages are read and results written while an analysis runs
    sys.setswitchinterval(0.001)
    server = create_server()
    # what is loaded by now lives as long as the process: out of the cyclic collector's view (the
    # analysis modules are loaded and frozen after `initialize` is answered: GostaticServer.preload)
    gc.collect()
    gc.freeze()
    server.start_io()
    return server.exit_code

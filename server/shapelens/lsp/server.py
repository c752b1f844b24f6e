"""The language server: wires LSP methods to the document store and the feature modules.

Each feature (inlay hints, hover, diagnostics, code actions) is a module of its own that reads
the analyzer's report; this file only registers handlers, publishes, and manages settings.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from typing import Optional

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..config import ProjectConfig, config_for
from ..config import forget as forget_configs
from .code_actions import code_actions
from .diagnostics import to_lsp
from .documents import Documents
from .hover import hover
from .inlay_hints import inlay_hints, resolve
from .positions import Positions
from .settings import Settings
from .status import STATUS, file_status
from .validation import COMMAND as VALIDATE_COMMAND
from .validation import Validator

log = logging.getLogger("shapelens")


class ShapelensServer(LanguageServer):
    def __init__(self):
        super().__init__("shapelens", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = Settings()
        self.documents = Documents(self)
        self.validator = Validator(self)
        self.shutdown_requested = False  # LSP: exit code 0 only after a shutdown request
        self.file_status = False  # initializationOptions.fileStatus: send shapelens/status
        self.said: set = set()  # problems of pyproject.toml files already shown
        self.documents.on_analyzed.append(self.validator.after_analysis)  # first: it may swap in the last run
        self.documents.on_analyzed.append(self.publish)

    def report_server_error(self, error: Exception, source) -> None:
        """Log, never pop a window per failing notification."""
        log.error("server error (%s): %s", getattr(source, "__name__", source), error)

    def roots(self) -> list:
        roots = []
        for folder in (self.workspace.folders or {}).values():
            path = to_fs_path(folder.uri)
            if path:
                roots.append(path)
        if not roots and self.workspace.root_path:
            roots.append(self.workspace.root_path)
        return roots

    def positions(self, state) -> Positions:
        return Positions(state.lines, self.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    def resolves_tooltips(self) -> bool:
        text_document = self.client_capabilities.text_document
        hints = text_document and text_document.inlay_hint
        support = hints and hints.resolve_support
        return bool(support and "label.tooltip" in support.properties)  # our tooltips are on label parts

    def publish(self, state) -> None:
        config = self.project(state)
        diagnostics = to_lsp(state, self.settings, self.positions(state), config) if self.settings.enable else []
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=state.uri, diagnostics=diagnostics, version=state.version)
        )
        if self.file_status and self.settings.enable:
            excluded = config.path if config.excludes(state.path) else None
            self.protocol.notify(STATUS, file_status(state, self.positions(state), excluded))
        self.refresh_hints()

    def project(self, state) -> ProjectConfig:
        """The ``[tool.shapelens]`` of the document's project; what it does not understand is said once."""
        config = config_for(state.path)
        for problem in config.problems:
            if problem not in self.said:
                self.said.add(problem)
                log.warning("%s", problem)
                self.window_show_message(
                    types.ShowMessageParams(type=types.MessageType.Warning, message=f"shapelens: {problem}")
                )
        return config

    def excluded(self, state) -> bool:
        return self.project(state).excludes(state.path)

    def refresh_hints(self) -> None:
        capabilities = self.client_capabilities.workspace
        refresh = capabilities and capabilities.inlay_hint and capabilities.inlay_hint.refresh_support
        if refresh:
            self.workspace_inlay_hint_refresh(None)

    async def load_settings(self) -> None:
        capabilities = self.client_capabilities.workspace
        if not (capabilities and capabilities.configuration):
            return
        try:
            result = await self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section="shapelens")])
            )
        except Exception as exc:  # a client that fails the request keeps the defaults
            log.warning("could not read settings: %s", exc)
            return
        self.settings = Settings.from_client(result[0] if result else None)


def create_server() -> ShapelensServer:
    server = ShapelensServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: ShapelensServer, params: types.InitializeParams):
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        ls.validator.trusted = options.get("workspaceTrusted", True) is not False
        ls.file_status = options.get("fileStatus") is True

    @server.feature(types.SHUTDOWN)
    async def shutdown(ls: ShapelensServer, *args):
        ls.shutdown_requested = True
        await ls.validator.stop()

    @server.command(VALIDATE_COMMAND)
    async def validate_command(ls: ShapelensServer, *args):
        """Run the file's models on the meta device once (argument: the document URI)."""
        return await ls.validator.command([a for a in args if isinstance(a, str)] or list(ls.documents.states))

    @server.feature(types.INITIALIZED)
    async def initialized(ls: ShapelensServer, params: types.InitializedParams):
        await ls.load_settings()
        watch_parent(ls.process_id)
        await warm_up(ls)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ShapelensServer, params: types.DidOpenTextDocumentParams):
        ls.documents.open(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ShapelensServer, params: types.DidChangeTextDocumentParams):
        ls.documents.change(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ShapelensServer, params: types.DidCloseTextDocumentParams):
        ls.documents.close(params.text_document.uri)
        ls.validator.forget(params.text_document.uri)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: ShapelensServer, params: types.DidChangeConfigurationParams):
        settings = params.settings.get("shapelens") if isinstance(params.settings, dict) else None
        if settings is not None:
            ls.settings = Settings.from_client(settings)
        else:
            await ls.load_settings()
        ls.validator.settings_changed()
        for state in list(ls.documents.states.values()):
            if state.report is not None:
                ls.validator.after_analysis(state)
                ls.publish(state)
        ls.refresh_hints()

    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=True))
    def inlay_hint(ls: ShapelensServer, params: types.InlayHintParams):
        state = ls.documents.get(params.text_document.uri)
        if state is None or not ls.settings.enable or ls.excluded(state):
            return []
        return inlay_hints(state, params.range, ls.settings, ls.positions(state), ls.resolves_tooltips())

    @server.feature(types.INLAY_HINT_RESOLVE)
    def inlay_hint_resolve(ls: ShapelensServer, hint: types.InlayHint):
        uri = hint.data.get("uri") if isinstance(hint.data, dict) else None
        return resolve(ls.documents.get(uri) if isinstance(uri, str) else None, hint)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: ShapelensServer, params: types.HoverParams):
        state = ls.documents.get(params.text_document.uri)
        if state is None or not ls.settings.enable or ls.excluded(state):
            return None
        return hover(state, params.position, ls.positions(state))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: ShapelensServer, params: types.DidChangeWatchedFilesParams):
        """A pyproject.toml changed (the client watches them): its [tool.shapelens] applies now."""
        if not any(change.uri.endswith("pyproject.toml") for change in params.changes):
            return
        forget_configs()
        ls.said.clear()
        for state in list(ls.documents.states.values()):
            if state.report is not None:
                ls.publish(state)
        ls.refresh_hints()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix])
    )
    def on_code_action(ls: ShapelensServer, params: types.CodeActionParams):
        state = ls.documents.get(params.text_document.uri)
        if state is None or not ls.settings.enable:
            return []
        return code_actions(state, params, ls.positions(state))

    return server


async def warm_up(ls: ShapelensServer) -> None:
    """Import the rule table and the analyzer off the event loop, with progress shown."""
    token = "shapelens-warm-up"
    try:
        await ls.work_done_progress.create_async(token)
        ls.work_done_progress.begin(
            token, types.WorkDoneProgressBegin(title="shapelens", message="loading shape rules")
        )
    except Exception:  # clients without progress support
        token = None
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(ls.documents.executor, _load_rules)
    if token:
        ls.work_done_progress.end(token, types.WorkDoneProgressEnd(message="ready"))


def _load_rules() -> None:
    from ..analysis.installed import environment
    from ..rules import load_all

    load_all()
    environment()  # where this interpreter's packages are: asked once, here rather than on a keystroke


def watch_parent(pid: Optional[int]) -> None:
    """Exit when the editor that started us is gone (it may not send shutdown)."""
    if not pid:
        return

    def watch():
        while True:
            time.sleep(3)
            if not _alive(pid):
                log.info("client process %s is gone: exiting", pid)
                os._exit(0)

    threading.Thread(target=watch, name="shapelens-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

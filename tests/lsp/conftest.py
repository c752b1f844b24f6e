"""A real shapelens server over stdio, driven by pytest-lsp's client."""

import sys
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import make_test_lsp_client

ROOT = Path(__file__).resolve().parents[2]

# VS Code's preset (1.65) advertises neither inlay hints nor their refresh: say what we need.
CAPABILITIES = types.ClientCapabilities(
    workspace=types.WorkspaceClientCapabilities(
        configuration=True,
        inlay_hint=types.InlayHintWorkspaceClientCapabilities(refresh_support=True),
        workspace_folders=True,
    ),
    text_document=types.TextDocumentClientCapabilities(
        inlay_hint=types.InlayHintClientCapabilities(  # as VS Code: tooltips come from inlayHint/resolve
            resolve_support=types.ClientInlayHintResolveOptions(properties=["tooltip", "label.tooltip"])
        ),
        hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(related_information=True, version_support=True),
        code_action=types.CodeActionClientCapabilities(),
    ),
    window=types.WindowClientCapabilities(work_done_progress=True),
    general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
)


def recording_client() -> LanguageClient:
    """pytest-lsp's client, also keeping every publishDiagnostics (with its version) in order."""
    client = make_test_lsp_client()
    client.published = []
    client.diagnostic_versions = {}
    features = client.protocol.fm.features
    keep = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def publish(params: types.PublishDiagnosticsParams):
        client.published.append(params)
        client.diagnostic_versions[params.uri] = params.version
        return keep(params)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    client.hint_refreshes = 0
    client.statuses = {}  # uri -> the last shapelens/status

    @client.feature("shapelens/status")
    def status(params):
        params = _plain(params)
        client.statuses[params["uri"]] = params

    @client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def refresh(params):
        client.hint_refreshes += 1

    return client


def _plain(value):
    """pygls gives a custom notification's params as named tuples: as JSON data again."""
    if hasattr(value, "_asdict"):
        value = value._asdict()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "shapelens", "serve", "--stdio"], client_factory=recording_client
)


async def _session(lsp_client: LanguageClient, tmp_path, options=None):
    """Initialize over ``tmp_path``, hand the session to the test, shut down after it."""
    lsp_client.set_configuration({"shapelens": {}})
    lsp_client.root = tmp_path
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=CAPABILITIES,
            root_uri=tmp_path.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="ws")],
            initialization_options={"fileStatus": True, **(options or {})},
        )
    )
    yield
    if not lsp_client.stopped:  # a test may have shut the server down itself
        await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path):
    async for _ in _session(lsp_client, tmp_path):
        yield


@pytest_lsp.fixture(config=SERVER)
async def untrusted_client(lsp_client: LanguageClient, tmp_path):
    """As ``client``, in a workspace the editor says is not trusted (VS Code's Restricted Mode)."""
    async for _ in _session(lsp_client, tmp_path, {"workspaceTrusted": False}):
        yield

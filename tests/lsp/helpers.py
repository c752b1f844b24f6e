"""Helpers for driving the pytest-lsp client: open, edit, wait for publishes, read hints."""

import asyncio
from pathlib import Path

from lsprotocol import types

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


async def open_file(client, name: str, text: str, version: int = 1) -> str:
    path = client.root / name
    path.write_text(text)
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)
        )
    )
    await wait_for_version(client, uri, version)
    return uri


async def wait_for_version(client, uri: str, version: int, timeout: float = 20.0):
    async def wait():
        while client.diagnostic_versions.get(uri) != version:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    await asyncio.wait_for(wait(), timeout)


def change(client, uri: str, version: int, text: str):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def hints(client, uri: str, lines: int = 200):
    return await client.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(types.Position(0, 0), types.Position(lines, 0)),
        )
    )


def label(hint) -> str:
    return "".join(p.value for p in hint.label) if isinstance(hint.label, list) else hint.label


async def wait_for_publish(client, uri: str, since: int, timeout: float = 20.0) -> types.PublishDiagnosticsParams:
    """The first publishDiagnostics for ``uri`` at index >= ``since`` of ``client.published``.

    For republishes that keep the version (settings changed, an imported file changed).
    """

    async def wait():
        while True:
            for params in client.published[since:]:
                if params.uri == uri:
                    return params
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), timeout)


async def wait_for_status(client, uri: str, version: int, timeout: float = 20.0) -> dict:
    """The shapelens/status of ``uri`` at ``version`` (it follows that version's diagnostics)."""

    async def wait():
        while client.statuses.get(uri, {}).get("version") != version:
            await client.wait_for_notification("shapelens/status")
        return client.statuses[uri]

    return await asyncio.wait_for(wait(), timeout)

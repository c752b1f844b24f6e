"""Acceptance over stdio for a session of editing: files that import each other, settings that
change, buffers closed or never saved, a clean exit, and files that break the analyzer."""

import pytest
from helpers import EXAMPLES, change, hints, label, open_file, wait_for_publish, wait_for_status, wait_for_version
from lsprotocol import types

from shapelens.analysis import analyze
from shapelens.lsp.documents import DocumentState
from shapelens.lsp.inlay_hints import inlay_hints
from shapelens.lsp.positions import Positions, split_lines
from shapelens.lsp.settings import Settings

MODEL = """import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, {features})

    def forward(self, x):
        return self.fc(x)
"""
TRAIN = """import torch

from model import Net

net = Net()
out = net(torch.randn(2, 8))
"""


def open_untitled(client, uri: str, text: str) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
    )


@pytest.mark.asyncio
async def test_editing_a_model_updates_the_hints_of_the_file_that_calls_it(client):
    model = await open_file(client, "model.py", MODEL.format(features=4))
    train = await open_file(client, "train.py", TRAIN)
    assert (5, ": [2, 4]") in {(h.position.line, label(h)) for h in await hints(client, train)}
    since, refreshes = len(client.published), client.hint_refreshes
    change(client, model, 2, MODEL.format(features=6))  # unsaved: model.py on disk still says 4
    await wait_for_version(client, model, 2)
    await wait_for_publish(client, train, since)
    assert client.hint_refreshes > refreshes
    shown = {(h.position.line, label(h)) for h in await hints(client, train)}
    assert (5, ": [2, 6]") in shown and (5, ": [2, 4]") not in shown


@pytest.mark.asyncio
async def test_turning_variable_hints_off_leaves_parameter_hints(client):
    text = (EXAMPLES / "title_error.py").read_text()
    uri = await open_file(client, "model.py", text)
    assert {h.position.line for h in await hints(client, uri)} >= {14, 15}
    client.set_configuration({"shapelens": {"inlayHints": {"variables": False}}})
    since = len(client.published)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))  # pull
    await wait_for_publish(client, uri, since)
    left = await hints(client, uri)
    lines = text.splitlines()
    assert left and all(lines[h.position.line].lstrip().startswith("def ") for h in left)


@pytest.mark.asyncio
async def test_severity_override_is_published(client):
    uri = await open_file(client, "model.py", (EXAMPLES / "title_error.py").read_text())
    assert [d.severity for d in client.diagnostics[uri] if d.code == "linear-in-features"] == [
        types.DiagnosticSeverity.Error
    ]
    since = len(client.published)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(  # push
            settings={"shapelens": {"diagnostics": {"severity": {"linear-in-features": "warning"}}}}
        )
    )
    published = await wait_for_publish(client, uri, since)
    assert [d.severity for d in published.diagnostics if d.code == "linear-in-features"] == [
        types.DiagnosticSeverity.Warning
    ]


@pytest.mark.asyncio
async def test_did_close_clears_diagnostics_and_drops_pending_analysis(client):
    text = (EXAMPLES / "title_error.py").read_text()
    uri = await open_file(client, "model.py", text)
    assert client.diagnostics[uri]
    since = len(client.published)
    change(client, uri, 2, text + "\n# still typing\n")  # debounced: closed before it runs
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))
    await wait_for_publish(client, uri, since)
    assert list(client.diagnostics[uri]) == []
    await hints(client, uri)  # a round trip later than the debounce would have fired
    other = await open_file(client, "other.py", text)
    assert client.diagnostics[other]
    assert [list(p.diagnostics) for p in client.published[since:] if p.uri == uri] == [[]]
    assert not await hints(client, uri)


@pytest.mark.asyncio
async def test_closing_an_unsaved_model_brings_back_the_saved_one(client):
    model = await open_file(client, "model.py", MODEL.format(features=4))
    train = await open_file(client, "train.py", TRAIN)
    since = len(client.published)
    change(client, model, 2, MODEL.format(features=6))
    await wait_for_publish(client, train, since)
    assert (5, ": [2, 6]") in {(h.position.line, label(h)) for h in await hints(client, train)}
    since = len(client.published)
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=model)))
    await wait_for_publish(client, train, since)
    assert (5, ": [2, 4]") in {(h.position.line, label(h)) for h in await hints(client, train)}


@pytest.mark.asyncio
async def test_shutdown_then_exit_ends_the_process(client):
    await open_file(client, "model.py", (EXAMPLES / "title_error.py").read_text())
    await client.shutdown_session()  # shutdown, exit, then waits for the process
    assert client._server.returncode == 0


@pytest.mark.asyncio
async def test_untitled_buffer_gets_diagnostics_hints_hover_and_fixes(client):
    uri = "untitled:Untitled-1"
    open_untitled(client, uri, (EXAMPLES / "title_error.py").read_text())
    await wait_for_version(client, uri, 1)
    [error] = [d for d in client.diagnostics[uri] if d.code == "linear-in-features"]
    assert all(r.location.uri == uri for r in error.related_information)
    assert (15, ": [10, 1568]") in {(h.position.line, label(h)) for h in await hints(client, uri)}
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(15, 9))
    )
    assert hover is not None and "[10, 1568]" in hover.contents.value
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=error.range,
            context=types.CodeActionContext(diagnostics=[error]),
        )
    )
    assert actions and actions[0].edit.document_changes[0].text_document.uri == uri


@pytest.mark.asyncio
async def test_a_file_that_breaks_the_analyzer_does_not_kill_the_server(client):
    # ast.parse raises RecursionError on this file: the analyzer let it escape, both for the file
    # itself and for model.py, whose importers it scans (deep.py mentions model).
    deep = "import torch\n\nimport model\n\nx = torch.randn(2, 3)\ny = x" + " + x" * 5000 + "\n"
    broken = await open_file(client, "deep.py", deep)
    assert not client.diagnostics[broken]  # the status item says it does not parse
    assert "too deeply nested" in (await wait_for_status(client, broken, 1))["parseError"]["message"]
    assert not await hints(client, broken)
    uri = await open_file(client, "model.py", (EXAMPLES / "title_error.py").read_text())
    assert [d.code for d in client.diagnostics[uri]] == ["linear-in-features"]
    change(client, broken, 2, "import torch\n\nx = torch.randn(2, 3)\ny = x + x\n")
    await wait_for_version(client, broken, 2)
    assert ": [2, 3]" in {label(h) for h in await hints(client, broken)}


@pytest.mark.asyncio
async def test_hint_tooltips_are_resolved_for_the_report_shown(client):
    text = (EXAMPLES / "title_error.py").read_text()
    uri = await open_file(client, "model.py", text)
    [hint] = [h for h in await hints(client, uri) if label(h) == ": [10, 1568]"]
    assert hint.label[0].tooltip is None  # the client said it resolves tooltips
    resolved = await client.inlay_hint_resolve_async(hint)
    assert "x.view(x.size(0), -1) -> [10, 1568]" in resolved.label[0].tooltip.value
    change(client, uri, 2, "\n" + text)
    await wait_for_version(client, uri, 2)
    stale = await client.inlay_hint_resolve_async(hint)  # its index now means another fact
    assert stale.label[0].tooltip is None


def test_clients_that_cannot_resolve_get_tooltips_in_the_hints():
    text = (EXAMPLES / "title_error.py").read_text()
    path = str(EXAMPLES / "title_error.py")
    state = DocumentState("file://" + path, path, 1, text, analyze(path, text), lines=split_lines(text))
    whole = types.Range(types.Position(0, 0), types.Position(len(state.lines), 0))
    shown = inlay_hints(state, whole, Settings(), Positions(state.lines, types.PositionEncodingKind.Utf16), False)
    assert shown and all(h.label[0].tooltip.value and h.data is None for h in shown)


@pytest.mark.asyncio
async def test_lines_are_counted_as_lsp_counts_them(client):
    # str.splitlines() breaks at the form feed too, which put the columns of every later line
    # out by one line: the astral character then counted as one UTF-16 unit instead of two.
    text = 'import torch\n\x0c\ns = "😀"; x = torch.zeros(2, 3)\n'
    uri = await open_file(client, "formfeed.py", text)
    [hint] = [h for h in await hints(client, uri) if label(h) == ": [2, 3]"]
    assert hint.position == types.Position(2, 11)

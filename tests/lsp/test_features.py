"""End to end over stdio: hints, hover, diagnostics, quick fixes, editing, settings."""

import asyncio
from pathlib import Path

import pytest
from helpers import EXAMPLES, change, hints, label, open_file, wait_for_status, wait_for_version
from lsprotocol import types
from pygls.uris import to_fs_path


@pytest.mark.asyncio
async def test_title_error_diagnostic_fix_and_hints(client):
    text = (EXAMPLES / "title_error.py").read_text()
    uri = await open_file(client, "model.py", text)
    diagnostics = client.diagnostics[uri]
    errors = [d for d in diagnostics if d.severity == types.DiagnosticSeverity.Error]
    assert [d.code for d in errors] == ["linear-in-features"]
    error = errors[0]
    assert error.range.start.line == 16  # x = self.fc(x)
    assert "1568" in error.message and "2048" in error.message
    assert error.source == "shapelens"
    assert error.related_information
    page = Path(to_fs_path(error.code_description.href))  # the rule's page, by file URI
    assert page == EXAMPLES.parent / "docs" / "rules" / "linear-in-features.md" and page.is_file()
    shown = {(h.position.line, label(h)) for h in await hints(client, uri)}
    assert (14, ": [10, 32, 7, 7]") in shown
    assert (15, ": [10, 1568]") in shown
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=error.range,
            context=types.CodeActionContext(diagnostics=[error]),
        )
    )
    assert actions and actions[0].title == "Change in_features to 1568"
    edit = actions[0].edit.document_changes[0].edits[0]
    lines = text.splitlines()
    line = lines[edit.range.start.line]
    lines[edit.range.start.line] = line[: edit.range.start.character] + edit.new_text + line[edit.range.end.character :]
    fixed = "\n".join(lines) + "\n"
    change(client, uri, 2, fixed)
    await wait_for_version(client, uri, 2)
    assert not [d for d in client.diagnostics[uri] if d.severity == types.DiagnosticSeverity.Error]


@pytest.mark.asyncio
async def test_hover_shows_shape_and_layer_rule(client):
    uri = await open_file(client, "seed3.py", (EXAMPLES / "seed_example3_conv.py").read_text())
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(24, 1))
    )
    assert result is not None and "[10, 1, 28, 28]" in result.contents.value


@pytest.mark.asyncio
async def test_debounce_publishes_only_the_last_version(client):
    text = (EXAMPLES / "title_error.py").read_text()
    uri = await open_file(client, "deb.py", text)
    before = len(client.published)
    for version in range(2, 7):
        change(client, uri, version, text + f"\n# edit {version}\n")
    await wait_for_version(client, uri, 6)
    await asyncio.sleep(0.5)  # nothing else may follow
    versions = [p.version for p in client.published[before:] if p.uri == uri]
    assert versions == [6]


@pytest.mark.asyncio
async def test_syntax_error_keeps_last_good_hints(client):
    text = (EXAMPLES / "title_error.py").read_text()
    uri = await open_file(client, "broken.py", text)
    before = {label(h) for h in await hints(client, uri)}
    change(client, uri, 2, text.replace("codes = model(images)", "codes = model(images"))
    await wait_for_version(client, uri, 2)
    assert (await wait_for_status(client, uri, 2))["parseError"]["line"] == 22
    after = {label(h) for h in await hints(client, uri)}
    assert ": [10, 32, 7, 7]" in after and after <= before


@pytest.mark.asyncio
async def test_non_ascii_columns_are_utf16(client):
    text = "import torch\nα = 1; x = torch.zeros(2, 3)\n"
    uri = await open_file(client, "uni.py", text)
    found = [h for h in await hints(client, uri) if label(h) == ": [2, 3]"]
    assert found and found[0].position == types.Position(1, 8)

"""The server reads what ``shapelens check`` reads (issue 13, point 8): ``# shapelens: ignore``
comments, with a quick fix that writes one, and ``[tool.shapelens]``, which the editor's settings
override; a changed pyproject.toml applies at once."""

import pytest
from helpers import EXAMPLES, change, hints, open_file, wait_for_publish, wait_for_status, wait_for_version
from lsprotocol import types

TITLE = (EXAMPLES / "title_error.py").read_text()
FAILING = "        x = self.fc(x)"


def codes(client, uri: str) -> list:
    return [(d.code, d.severity) for d in client.diagnostics[uri]]


def apply(text: str, edit: types.TextEdit) -> str:
    lines = text.split("\n")
    start, end = edit.range.start, edit.range.end
    assert start.line == end.line
    line = lines[start.line]
    lines[start.line] = line[: start.character] + edit.new_text + line[end.character :]
    return "\n".join(lines)


@pytest.mark.asyncio
async def test_the_ignore_quick_fix_writes_the_comment_and_the_error_goes(client):
    uri = await open_file(client, "model.py", TITLE)
    [error] = client.diagnostics[uri]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=error.range,
            context=types.CodeActionContext(diagnostics=[error]),
        )
    )
    assert [(a.title, bool(a.is_preferred)) for a in actions] == [
        ("Change in_features to 1568", True),
        ("Ignore linear-in-features on this line", False),
    ]
    [edit] = actions[1].edit.document_changes[0].edits
    fixed = apply(TITLE, edit)
    assert FAILING + "  # shapelens: ignore[linear-in-features]" in fixed
    change(client, uri, 2, fixed)
    await wait_for_version(client, uri, 2)
    assert codes(client, uri) == []
    change(client, uri, 3, TITLE.replace(FAILING, FAILING + "  # shapelens: ignore"))
    await wait_for_version(client, uri, 3)
    assert codes(client, uri) == []


@pytest.mark.asyncio
async def test_pyproject_severities_excludes_and_ignores_and_the_settings_win(client):
    root = client.root
    (root / "pyproject.toml").write_text(
        '[tool.shapelens]\nexclude = ["legacy/"]\n'
        '[tool.shapelens.severity]\nlinear-in-features = "warning"\n'
        '[tool.shapelens.per-file-ignores]\n"tests/*.py" = ["linear-in-features"]\n'
    )
    (root / "legacy").mkdir()
    (root / "tests").mkdir()
    uri = await open_file(client, "model.py", TITLE)
    assert codes(client, uri) == [("linear-in-features", types.DiagnosticSeverity.Warning)]
    old = await open_file(client, "legacy/old.py", TITLE)
    assert codes(client, old) == [] and not await hints(client, old)
    assert (await wait_for_status(client, old, 1))["excluded"] == str(root / "pyproject.toml")
    test = await open_file(client, "tests/test_model.py", TITLE)
    assert codes(client, test) == [] and await hints(client, test)

    since = len(client.published)
    client.set_configuration({"shapelens": {"diagnostics": {"severity": {"linear-in-features": "error"}}}})
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_for_publish(client, uri, since)
    assert codes(client, uri) == [("linear-in-features", types.DiagnosticSeverity.Error)]
    assert codes(client, test) == []  # ignored for the file whatever its severity

    since = len(client.published)
    client.set_configuration({"shapelens": {}})
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_for_publish(client, uri, since)
    assert codes(client, uri) == [("linear-in-features", types.DiagnosticSeverity.Warning)]
    (root / "pyproject.toml").write_text('[tool.shapelens.severity]\nlinear-in-features = "off"\n')
    since = len(client.published)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=(root / "pyproject.toml").as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await wait_for_publish(client, old, since)
    assert codes(client, uri) == [] and codes(client, old) == []
    assert (await wait_for_status(client, old, 1))["excluded"] is None
    assert await hints(client, old)

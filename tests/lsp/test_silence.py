"""Silence explained (issue 13, points 4 and 10): notes that are not problems, a hover that says
why a name has no shape, a status that says how much of a file is understood and why not the
rest, and a syntax error said once (by the status, not by a second squiggle)."""

import pytest
from helpers import change, hints, label, open_file, wait_for_status, wait_for_version
from lsprotocol import types

# A model whose forward goes through an op without a shape rule: y, then z and w, lose their shape.
LOST = """\
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.fc = nn.Linear(16, 32)
        self.drop = nn.Dropout(config.dropout)

    def forward(self, x):
        x = self.fc(x)
        x = self.drop(x)
        y = torch.special.bessel_j0(x)
        z = y * 2
        w = z.sum(-1)
        n = x.shape[0]
        return w


net = Net(None)
out = net(torch.randn(4, 16))
"""

# Everything comes from a star import of a module that is not in the workspace.
STAR = """\
from layers import *


class Net(Module):
    def __init__(self):
        super().__init__()
        self.conv = Conv2d(3, 16, 3)

    def forward(self, x):
        x = self.conv(x)
        return relu(x)


out = Net()(randn(2, 3, 8, 8))
"""


async def hover(client, uri: str, line: int, character: int) -> str:
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character))
    )
    return result.contents.value if result is not None else ""


@pytest.mark.asyncio
async def test_lost_notes_are_hints_and_hovers_say_why_a_name_has_no_shape(client):
    uri = await open_file(client, "lost.py", LOST)
    [note] = client.diagnostics[uri]
    assert note.code == "inference-lost" and note.severity == types.DiagnosticSeverity.Hint
    assert note.range.start.line == 13
    assert "`torch.special.bessel_j0` has no shape rule yet" in await hover(client, uri, 13, 8)  # y
    z = await hover(client, uri, 14, 8)
    assert "computed from `y`" in z and "line 14" in z, z
    assert "computed from `z`" in await hover(client, uri, 15, 8)  # w
    assert await hover(client, uri, 16, 8) == ""  # n is an int: nothing to say
    status = await wait_for_status(client, uri, 1)
    assert (status["withShapes"], status["tensorLines"]) == (3, 6)
    assert status["causes"] == [
        {
            "line": 13,
            "character": 12,
            "lines": 3,
            "names": ["y", "z", "w"],
            "message": "`torch.special.bessel_j0` has no shape rule yet",
        }
    ]
    assert status["parseError"] is None


@pytest.mark.asyncio
async def test_a_file_lost_to_a_star_import_says_so(client):
    uri = await open_file(client, "star.py", STAR)
    assert not await hints(client, uri)
    [note] = client.diagnostics[uri]
    assert note.severity == types.DiagnosticSeverity.Hint and note.range.start.line == 0
    assert "`from layers import *` are not followed" in note.message
    assert "`Conv2d`, `Module`, `randn`, `relu` are unknown here" in note.message
    status = await wait_for_status(client, uri, 1)
    assert status["withShapes"] == 0
    assert status["causes"][0]["line"] == 0 and "layers" in status["causes"][0]["message"]
    assert "from layers import *" in await hover(client, uri, 13, 1)  # out


@pytest.mark.asyncio
async def test_a_syntax_error_is_in_the_status_not_in_problems_unless_asked(client):
    uri = await open_file(client, "model.py", LOST)
    broken = LOST.replace("out = net(torch.randn(4, 16))", "out = net(torch.randn(4, 16)")
    change(client, uri, 2, broken)
    await wait_for_version(client, uri, 2)
    assert [d.code for d in client.diagnostics[uri]] == ["inference-lost"]  # the last good facts
    status = await wait_for_status(client, uri, 2)
    assert status["parseError"]["line"] == 21 and "never closed" in status["parseError"]["message"]
    assert (status["withShapes"], status["tensorLines"]) == (3, 6)
    assert (12, ": [4, 32]") in {(h.position.line, label(h)) for h in await hints(client, uri)}

    client.set_configuration({"shapelens": {"diagnostics": {"syntaxErrors": True}}})
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    change(client, uri, 3, broken + "\n")
    await wait_for_version(client, uri, 3)
    assert [d.code for d in client.diagnostics[uri]] == ["inference-lost", "syntax-error"]
    change(client, uri, 4, LOST)
    await wait_for_version(client, uri, 4)
    assert [d.code for d in client.diagnostics[uri]] == ["inference-lost"]
    assert (await wait_for_status(client, uri, 4))["parseError"] is None


@pytest.mark.asyncio
async def test_a_file_that_never_parsed_says_where(client):
    uri = await open_file(client, "new.py", "import torch\nx = torch.randn(2, 3\n")
    assert not client.diagnostics[uri]
    assert (await wait_for_status(client, uri, 1))["parseError"]["line"] == 1

"""Hovers and hint tooltips show code and shapes as they are: a ``*`` of a shape or a
requirement is never read as emphasis (issue 13, point 2)."""

import pytest
from helpers import hints, label, open_file
from lsprotocol import types
from markdown_text import rendered
from shapelens.analysis.report import ShapeFact, Span
from shapelens.dims import Shape, sym
from shapelens.lsp.markdown import block, code, escape, shape_fact

# No call site: the input's requirement is symbolic, (H//2)*(W//2) == 49.
MODEL = """\
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv_in = nn.Conv2d(1, 16, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        x = self.pool(self.conv_in(x))
        x = x.flatten(1)
        return self.fc(x)
"""


def test_escape_code_and_block_keep_every_character():
    for text in [
        "[*, in_features] -> [*, out_features]",
        "(H//2)*(W//2) == 49",
        "a_b_c *x* __init__",
        "`x`",
        "- 1. # > + | <b> ~x~ !",
        "x ``` y",
    ]:
        assert rendered(escape(text)) == text
        assert rendered(code(text)) == text
        assert rendered(block([text, "1. two"])) == f"{text}\n1. two"


def test_a_shape_fact_keeps_its_stars_and_underscores():
    fact = ShapeFact(
        Span(1, 0, 1, 5),
        "x_in",
        Shape([sym("B"), sym("in_features")]),
        derivation=["line 3: x.view(*shape) -> [B, in_features]"],
        requirement="(H//2)*(W//2) == 49",
    )
    shown = rendered(shape_fact(fact))
    assert "x_in: [B, in_features]" in shown
    assert "requires (H//2)*(W//2) == 49" in shown
    assert "x.view(*shape) -> [B, in_features]" in shown


@pytest.mark.asyncio
async def test_hovers_render_the_rule_and_the_requirement_intact(client):
    uri = await open_file(client, "net.py", MODEL)

    async def hover(line: int, character: int) -> str:
        result = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character)
            )
        )
        assert result is not None and result.contents.kind == types.MarkupKind.Markdown
        return rendered(result.contents.value)

    assert "Linear: [*, in_features] -> [*, out_features]." in await hover(13, 22)  # return self.fc(x)
    assert "requires H >= 2, W >= 2, (H//2)*(W//2) == 49" in await hover(10, 23)  # def forward(self, x)
    assert "self.conv_in" in await hover(11, 30)  # conv_in keeps its underscore
    [hint] = [h for h in await hints(client, uri) if h.position.line == 10]
    resolved = await client.inlay_hint_resolve_async(hint)
    assert "(H//2)*(W//2) == 49" in rendered(resolved.label[0].tooltip.value), label(hint)

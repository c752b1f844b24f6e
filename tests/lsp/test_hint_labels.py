"""Hints a person can read (issue 13, point 5, the view's part): at most 40 characters with the
whole form in the tooltip, ``[B, *, 512]`` for a rank that is not known, and no hint that says
only ``[...]``."""

import pytest
from helpers import hints, label, open_file
from lsprotocol import types
from shapelens.analysis.report import FileReport, ShapeFact, Span
from shapelens.dims import Shape, parse_dim, sym
from shapelens.lsp.documents import DocumentState
from shapelens.lsp.inlay_hints import inlay_hints, resolve
from shapelens.lsp.positions import Positions, split_lines
from shapelens.lsp.settings import Settings
from shapelens.lsp.shape_labels import HINT_LIMIT, shape_label

LONG = parse_dim("64*(H//2)*(W//2) - 128*(H//2) - 128*(W//2) + 256")

# Two crops of a conv output, as in a U-Net's skip connection: the sizes the code computed are
# long once expanded (no call site, so they stay symbolic).
MODEL = """\
import torch.nn as nn
import torch.nn.functional as F


class Crop(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 64, 5)

    def forward(self, x):
        y = self.conv(x)
        y = F.max_pool2d(y, 2)
        z = y.flatten(1) - y.flatten(1)[:, :1]
        return z
"""


def test_labels_spell_unknown_rank_as_a_star_and_say_nothing_rather_than_dots():
    B, C = sym("B"), sym("C")
    assert shape_label(Shape([B, 16, 28, 28])) == "[B, 16, 28, 28]"
    assert shape_label(Shape([B], "...", [512])) == "[B, *, 512]"
    assert shape_label(Shape([], "batch", [C])) == "[*batch, C]"
    assert shape_label(Shape.unknown()) is None
    assert shape_label(None) is None
    assert shape_label((Shape.unknown(), Shape.unknown())) is None
    assert shape_label((Shape.unknown(), Shape([B, 3]))) == "(?, [B, 3])"


def test_long_labels_give_way_longest_dim_first():
    shape = Shape([sym("B"), LONG, 512])
    assert len(shape_label(shape)) > HINT_LIMIT
    assert shape_label(shape, HINT_LIMIT) == "[B, …, 512]"
    assert shape_label(Shape([sym("B"), 64, sym("H"), sym("W")]), 12) == "[B, …, H, W]"
    pair = (Shape([sym("B"), LONG]), Shape([sym("B"), 10]))
    assert shape_label(pair, HINT_LIMIT) == "([B, …], [B, 10])"
    assert shape_label(Shape([sym("B"), LONG]), HINT_LIMIT - 10) == "[B, …]"


def test_a_hint_is_capped_and_its_tooltip_has_the_whole_form():
    text = "x = f()\n"
    shapes = [
        ShapeFact(Span(1, 0, 1, 1), "x", Shape([sym("B"), LONG])),
        ShapeFact(Span(1, 0, 1, 1), "y", Shape.unknown(), validation="run"),
    ]
    state = DocumentState("file:///m.py", "/m.py", 1, text, FileReport("/m.py", shapes=shapes), lines=split_lines(text))
    whole = types.Range(types.Position(0, 0), types.Position(1, 0))
    shown = inlay_hints(state, whole, Settings(), Positions(state.lines, types.PositionEncodingKind.Utf16), True)
    assert [label(h) for h in shown] == [": [B, …]"]
    tooltip = resolve(state, shown[0]).label[0].tooltip.value
    assert LONG.text() in tooltip


@pytest.mark.asyncio
async def test_the_server_caps_a_long_symbolic_size(client):
    uri = await open_file(client, "crop.py", MODEL)
    shown = {h.position.line: h for h in await hints(client, uri)}
    assert label(shown[12]) == ": [B, …]"
    assert all(len(label(h)) <= HINT_LIMIT and "[...]" not in label(h) for h in shown.values())
    resolved = await client.inlay_hint_resolve_async(shown[12])
    assert "64*(H//2)*(W//2) - 128*(H//2) - 128*(W//2) + 256" in resolved.label[0].tooltip.value

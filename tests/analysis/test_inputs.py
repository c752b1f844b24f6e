"""Inputs of functions nobody calls, from their first use: names torch does not have are no input."""

import pytest

from shapelens.analysis import analyze


@pytest.mark.parametrize("call", ["F.adaptive_avg_pool4d(x, 2)", "F.conv0d(x, w)", "nn.Conv4d(3, 8, 3)(x)"])
def test_a_made_up_dimensionality_is_not_an_input_shape(call):
    text = f"import torch.nn as nn\nimport torch.nn.functional as F\n\n\ndef f(x, w):\n    y = {call}\n    return y\n"
    report = analyze("made_up.py", text)  # raised KeyError for 4d: the whole file went unanalysed
    assert all(str(s.value) == "[...]" for s in report.shapes if s.name == "x")  # at most: a tensor

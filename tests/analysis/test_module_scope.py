"""Module-level code that branches (an optional import, a device check, a comprehension, a loop)
must not hide what is defined after it: functions look names up in the one globals dict."""

import pytest

from shapelens.analysis import analyze

SET_UPS = {
    "try": "try:\n    import numpy\nexcept ImportError:\n    numpy = None\n",
    "if": "if torch.cuda.is_available():\n    DEVICE = 'cuda'\nelse:\n    DEVICE = 'cpu'\n",
    "comprehension": "WIDTHS = [16 * i for i in range(3)]\n",
    "loop": "for step in range(2):\n    pass\n",
    "with": "with torch.no_grad():\n    warm = torch.zeros(1)\n",
}

MODEL = """
class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        return self.fc(x)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = Head()

    def forward(self, x):
        y = self.head(x)
        return y


net = Net()
out = net(torch.randn(4, 32))
"""


@pytest.mark.parametrize("set_up", sorted(SET_UPS))
def test_classes_defined_after_module_level_branches_are_found(set_up):
    text = "import torch\nimport torch.nn as nn\n\n" + SET_UPS[set_up] + MODEL
    report = analyze("model.py", text)
    shapes = {s.name: str(s.value) for s in report.shapes}
    assert shapes["y"] == "[4, 10]"
    assert shapes["out"] == "[4, 10]"
    assert not [d for d in report.diagnostics if d.code == "inference-lost"]


def test_a_function_defined_inside_a_module_level_branch_sees_later_globals():
    text = (
        "import torch\nimport torch.nn as nn\n\nif torch.cuda.is_available():\n"
        "    def project(x):\n        return LAYER(x)\n\n"
        "LAYER = nn.Linear(8, 3)\nz = project(torch.randn(5, 8))\n"
    )
    shapes = {s.name: str(s.value) for s in analyze("model.py", text).shapes}
    assert shapes["z"] == "[5, 3]"

"""Calls into the file's functions: followed one level inside themselves, so a constructor that
builds its own class (what deleting a ``class`` line mid-edit leaves: its methods join the class
above) costs a few runs, not a number that doubles with every level; and remembered only while
what they read is unchanged."""

from pathlib import Path

from shapelens.analysis import Analysis

GPT = Path(__file__).resolve().parents[2] / "tests" / "corpus" / "models" / "gpt_block.py"


def test_a_constructor_that_builds_its_own_class_stays_small():
    text = GPT.read_text().replace("class GPT(nn.Module):\n", "", 1)
    analysis = Analysis()
    report = analysis.analyze(str(GPT), text)
    runs = sum(len(r) for r in analysis.runs.values())
    assert runs <= 100, f"{runs} runs"  # 60; four levels followed: 1,350; unbounded: minutes
    assert not [d for d in report.diagnostics if d.severity == "error"]


def test_a_recursive_builder_is_followed_one_level():
    text = """import torch
import torch.nn as nn


def tower(depth, width):
    if depth == 0:
        return nn.Linear(width, width)
    return nn.Sequential(nn.Linear(width, width), tower(depth - 1, width))


net = tower(1, 8)
out = net(torch.randn(2, 8))
"""
    shapes = {s.name: str(s.value) for s in Analysis().analyze("tower.py", text).shapes}
    assert shapes["out"] == "[2, 8]"


def test_a_call_repeated_after_a_global_it_reads_changed_runs_again():
    text = """import torch
SCALE = 2


def f(x):
    return x.view(-1, SCALE)


def g(x):
    return f(x)


a = g(torch.randn(4, 4))
SCALE = 4
b = g(torch.randn(4, 4))
c = f(torch.randn(4, 4))
"""
    shapes = {s.name: str(s.value) for s in Analysis().analyze("scale.py", text).shapes}
    assert (shapes["a"], shapes["b"], shapes["c"]) == ("[8, 2]", "[4, 4]", "[4, 4]")  # b was [8, 2]

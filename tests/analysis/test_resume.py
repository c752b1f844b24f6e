"""An edit to the code resumes the last analysis from the statement before it, with exactly the
facts a fresh analysis of the new text gives: on every file of the corpus, at every top-level
statement, in long random sessions, and where later code changes values earlier code made."""

import ast
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from test_incremental import CORPUS, FILES, ROOT, comparable, fresh, incremental, insert_after

from shapelens.analysis import Analysis

REALISTIC = ROOT / "bench" / "models" / "realistic.py"

CHANGED_LATER = """import torch
import torch.nn as nn

layers = [nn.Linear(8, 16)]
CONFIG = {"width": 16}


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(CONFIG["width"], 4)

    def forward(self, x):
        h = self.body(x)
        return self.head(h)


def project(x):
    return x @ torch.randn(8, 4)


good = project(torch.randn(2, 8))
bad = project(torch.randn(2, 5))
net = Net()
first = net(torch.randn(2, 8))
layers.append(nn.Linear(16, 32))
CONFIG["width"] = 32
net.head = nn.Linear(16, 2)
out = net(torch.randn(2, 8))
other = Net()
y = other(torch.randn(3, 8))
"""


def session(path: Path, texts: list) -> int:
    """Each text in turn as the language server gives it; returns how many edits resumed."""
    resumed = 0
    _, baseline = incremental(None, path, texts[0])
    for text in texts[1:]:
        kept = baseline.analysis
        report, baseline = incremental(baseline, path, text)
        assert comparable(report) == comparable(fresh(path, text)), f"{path.name}: differs after an edit"
        resumed += kept is not None and baseline.analysis is kept
    return resumed


def statement_ends(text: str) -> list:
    """The line after each top-level statement, where a new statement can go."""
    return [node.end_lineno for node in ast.parse(text).body]


def test_a_statement_added_after_every_top_level_statement():
    for path in FILES:
        text = path.read_text()
        if incremental(None, path, text)[1] is None:
            continue  # another file takes part (split/): always analysed afresh
        texts = [text]
        for end in reversed(statement_ends(text)):  # bottom up: each edit leaves more above it
            lines = texts[-1].split("\n")
            texts.append("\n".join(lines[:end] + ["probe = torch.zeros(2, 3)"] + lines[end:]))
        resumed = session(path, texts)
        assert resumed >= len(texts) - 3, f"{path.name}: only {resumed} of {len(texts) - 1} edits resumed"


def test_an_edit_inside_the_last_method_re_runs_only_what_follows():
    path = REALISTIC
    text = "\n\n".join([path.read_text()] * 3)
    analysis = Analysis()
    analysis.analyze(str(path), text)
    before = list(analysis.main[0].source.tree.body)
    lines = text.split("\n")
    last = max(i for i, line in enumerate(lines) if line.strip().startswith("def forward"))
    edited = "\n".join(lines[: last + 1] + ["        extra = images.flatten(1)"] + lines[last + 1 :])
    report = analysis.reanalyze(edited)
    assert report is not None
    after = analysis.main[0].source.tree.body
    kept = next(i for i, (a, b) in enumerate(zip(before, after)) if a is not b)
    edited_class = next(i for i, node in enumerate(after) if node.lineno <= last + 1 <= node.end_lineno)
    assert kept == edited_class  # every statement above the edited class kept, with its facts
    assert len(analysis.history.checkpoints) == len(after) + 1
    assert comparable(report) == comparable(fresh(path, edited))
    assert any(s.name == "extra" and str(s.value).count(",") == 1 for s in report.shapes)  # [B, H]: rank 2


def test_a_value_changed_further_down_is_not_resumed_past():
    """``layers.append``, ``CONFIG[...] =`` and ``net.head =`` change what earlier statements made."""
    path = Path("changed_later.py")
    analysis = Analysis()
    analysis.analyze(str(path), CHANGED_LATER)
    lines = CHANGED_LATER.split("\n")
    at = lines.index("out = net(torch.randn(2, 8))")
    edited = "\n".join(lines[:at] + ["probe = torch.zeros(1)"] + lines[at:])
    report = analysis.reanalyze(edited)
    expected = fresh(path, edited)
    if report is not None:
        assert comparable(report) == comparable(expected)
    shapes = {s.name: str(s.value) for s in expected.shapes}
    assert shapes["out"] == "[2, 2]" and shapes["y"] == "[3, 4]"


POOL = [
    "layers.append(nn.Linear(16, 16))",
    "CONFIG['width'] = 8",
    "net.head = nn.Linear(16, 5)",
    "out = net(torch.randn(4, 8))",
    "probe = torch.zeros(2, 3)",
    "layers = [nn.Linear(8, 16)]",
    "        h = h * 2",
    "        self.extra = nn.Linear(4, 4)",
    "net = Net()",
    "del layers[0]",
    "x = (",
    "",
    "# a comment",
    "bad = project(torch.randn(3, 7))",
    "if torch.cuda.is_available():\n    layers.append(nn.ReLU())",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.booleans(), st.sampled_from(POOL)), min_size=1, max_size=6))
def test_random_sessions_give_the_facts_of_a_fresh_analysis(steps):
    path = Path("changed_later.py")
    text = CHANGED_LATER
    texts = [text]
    for at, remove, line in steps:
        lines = text.split("\n")
        at = min(at, len(lines) - 1)
        text = "\n".join(lines[:at] + lines[at + 1 :] if remove else lines[:at] + [line] + lines[at:])
        texts.append(text)
    session(path, texts)


LAYOUTS = '''import torch; import torch.nn as nn
x = torch.randn(2, \\
    3)


@torch.no_grad()
def sample(n):
    return torch.zeros(n)


s = """
def not_code():
"""
class Net(nn.Module):
    def forward(self, x):
        return x
y = sample(3)
'''
FRAGMENTS = [
    "    return 1",
    "def f():",
    "class C:",
    "@torch.no_grad()",
    '"""',
    "    ",
    "z = (",
    ")",
    "\\\\",
    "x = 1; y = 2",
    "# c",
    "",
    "if x:",
    "else:",
    "        deeper = 1",
    "pass",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 25), st.integers(0, 2), st.sampled_from(FRAGMENTS)), min_size=1, max_size=4))
def test_a_text_parsed_from_its_earlier_version_is_parsed_as_a_whole(steps):
    """Only the statements from the first changed one on are parsed again: the same tree, the same verdict."""
    from shapelens.analysis.source import SourceFile

    earlier = SourceFile(LAYOUTS)
    text = LAYOUTS
    for at, action, fragment in steps:
        lines = text.split("\n")
        at = min(at, len(lines) - 1)
        lines[at : at + (action > 0)] = [fragment] if action < 2 else [lines[at] + fragment]
        text = "\n".join(lines)
        later = SourceFile(text, earlier=earlier)
        whole = SourceFile(text)
        assert (later.tree is None) == (whole.tree is None)
        if whole.tree is not None:
            assert ast.dump(later.tree, include_attributes=True) == ast.dump(whole.tree, include_attributes=True)
            earlier = later
        else:
            assert later.error.lineno == whole.error.lineno


def test_typing_a_new_line_resumes_after_the_enter_moved_the_lines():
    """Enter (a blank line: the report moves), then code on it: resumed, not analysed afresh."""
    path = REALISTIC
    text = path.read_text()
    blank = insert_after(text, "^def embed_gallery", "")
    typed = insert_after(text, "^def embed_gallery", "    flat = images.flatten(1)")
    _, first = incremental(None, path, text)
    _, moved = incremental(first, path, blank)
    assert moved.tree is first.tree and moved.analysis is first.analysis
    report, after = incremental(moved, path, typed)
    assert after.analysis is first.analysis  # resumed
    assert comparable(report) == comparable(fresh(path, typed))


def test_a_syntax_error_while_typing_does_not_spend_the_analysis():
    path = REALISTIC
    text = path.read_text()
    half = insert_after(text, "^def embed_gallery", "    flat = images.flatten(")
    typed = insert_after(text, "^def embed_gallery", "    flat = images.flatten(1)")
    _, first = incremental(None, path, text)
    analysis = first.analysis
    broken, during = incremental(first, path, half)
    assert broken.syntax_error and during.analysis is analysis
    report, after = incremental(during, path, typed)
    assert after.analysis is analysis
    assert comparable(report) == comparable(fresh(path, typed))


LIBRARY = """import torch
import torch.nn as nn
import torch.nn.functional as F

REGISTRY = []


def attention(q, k):
    return F.softmax(q @ k.transpose(-2, -1) / SCALE, dim=-1)


class Block(nn.Module):
    class Config:
        width = 32

    def __init__(self, dim=64):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    @property
    def width(self):
        return self.proj.out_features

    def forward(self, x):
        y = self.proj(self.norm(x))
        return x + y


class Encoder(nn.Module):
    def __init__(self, depth=2):
        super().__init__()
        self.blocks = nn.ModuleList([Block() for _ in range(depth)])
        self.head = nn.Linear(64, 10)

    def forward(self, tokens):
        for block in self.blocks:
            tokens = block(tokens)
        pooled = tokens.mean(dim=1)
        return self.head(pooled)


def make_mask(x):
    return x.new_ones(x.shape[0], x.shape[1]).bool()


SCALE = 8.0
"""
LIBRARY_POOL = [
    "SCALE = 4.0",
    "    x = x * 2",
    "        x = x.flatten(1)",
    "register(Block)",
    "REGISTRY.append(1)",
    "def register(b):\n    REGISTRY.append(b)",
    "        self.extra = nn.Linear(64, 64)",
    "        h = self.head(tokens)",
    "class Empty:",
    "    pass",
    "def helper(t):\n    return t.sum(-1)",
    "        bad = torch.randn(2, 3) @ torch.randn(4, 5)",
    "",
    "x = (",
    "        width = 16",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.booleans(), st.sampled_from(LIBRARY_POOL)), min_size=1, max_size=6))
def test_random_sessions_on_a_file_nobody_calls_give_the_facts_of_a_fresh_analysis(steps):
    """No module-level calls: every function gets a symbolic run, and units of them are taken over."""
    path = Path("library.py")
    texts = [LIBRARY]
    for at, remove, line in steps:
        lines = texts[-1].split("\n")
        at = min(at, len(lines) - 1)
        texts.append("\n".join(lines[:at] + lines[at + 1 :] if remove else lines[:at] + [line] + lines[at:]))
    session(path, texts)


def test_an_edit_in_the_last_class_takes_over_the_symbolic_runs_above_it():
    path = Path("library.py")
    analysis = Analysis()
    analysis.analyze(str(path), LIBRARY)
    before = {f.node.name: list(analysis.runs[f.node]) for f in analysis.main[0].functions}
    edited = LIBRARY.replace(
        "        pooled = tokens.mean(dim=1)\n",
        "        pooled = tokens.mean(dim=1)\n        scores = pooled.softmax(-1)\n",
    )
    report = analysis.reanalyze(edited)
    assert report is not None and comparable(report) == comparable(fresh(path, edited))
    after = {f.node.name: list(analysis.runs[f.node]) for f in analysis.main[0].functions}
    assert after["forward"][0] is not before["forward"][0]  # Encoder.forward: the last forward, edited
    kept = [name for name in ("attention", "width", "make_mask") if after[name][0] is before[name][0]]
    assert kept == ["attention", "width"]  # a function and a method above the edit; make_mask is below it


def test_a_file_that_imports_another_resumes_until_that_file_changes(tmp_path):
    split = CORPUS / "split"
    for name in ("classifier.py", "layers.py"):
        (tmp_path / name).write_text((split / name).read_text())
    path = tmp_path / "classifier.py"
    text = path.read_text()
    _, baseline = incremental(None, path, text)
    analysis = baseline.analysis
    typed = text + "    probs = logits.softmax(-1)\n"
    report, baseline = incremental(baseline, path, typed)
    assert baseline.analysis is analysis and not baseline.movable
    assert comparable(report) == comparable(fresh(path, typed))
    layers = tmp_path / "layers.py"
    layers.write_text(
        layers.read_text().replace("nn.Conv2d(in_ch, out_ch, 3, padding=1)", "nn.Conv2d(in_ch, out_ch, 3)")
    )
    typed_more = typed + "    top = probs.argmax(-1)\n"
    report, baseline = incremental(baseline, path, typed_more)
    assert baseline.analysis is not analysis  # layers.py changed on disk: analysed afresh
    assert comparable(report) == comparable(fresh(path, typed_more))
    assert any(d.severity == "error" for d in report.diagnostics)  # 16*4*4 no longer fits

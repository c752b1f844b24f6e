"""Training and evaluation loops: what ``for x, y in loader:`` binds, checked against torch.

Each snippet also runs under torch, with a tracer that records every shape each name takes; a
hint must agree with all of them (a concrete size is the runtime size every time, a symbol stands
for one size per binding)."""

import sys

import torch

from shapelens.analysis import Analysis


def hints(text: str, name: str = "loop.py") -> tuple:
    report = Analysis().analyze(name, text)
    return {s.name: str(s.value) for s in report.shapes}, report


def runtime_shapes(text: str) -> dict:
    """Every shape each tensor name of the snippet takes while it runs (lists of tensors: the
    shapes of their items, under ``name[i]``; dicts: under ``name[key]``)."""
    seen: dict = {}

    def note(name, value):
        if isinstance(value, torch.Tensor):
            seen.setdefault(name, set()).add(tuple(value.shape))
        elif isinstance(value, (list, tuple)) and value and len(value) <= 4:
            for i, item in enumerate(value):
                if isinstance(item, torch.Tensor):
                    seen.setdefault(f"{name}[{i}]", set()).add(tuple(item.shape))
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, torch.Tensor):
                    seen.setdefault(f"{name}[{key!r}]", set()).add(tuple(item.shape))

    def trace(frame, event, arg):
        if frame.f_code.co_filename != "<loop>":
            return None
        for name, value in frame.f_locals.items():
            note(name, value)
        return trace

    torch.manual_seed(0)
    code = compile(text, "<loop>", "exec")
    sys.settrace(trace)
    try:
        exec(code, {"__name__": "loop"})
    finally:
        sys.settrace(None)
    return seen


def agrees(hint: str, shapes: set) -> bool:
    """Does ``[B, 3, 32, 32]`` fit every runtime shape (each symbol one size per shape)?"""
    dims = [d.strip() for d in hint.strip("[]").split(",") if d.strip()]
    for shape in shapes:
        if len(shape) != len(dims):
            return False
        values: dict = {}
        for dim, size in zip(dims, shape):
            if dim.lstrip("-").isdigit():
                if int(dim) != size:
                    return False
            elif values.setdefault(dim, size) != size:
                return False
    return True


def check_against_torch(text: str, expected: dict) -> dict:
    """The hints of ``expected``'s names are as given, and every one agrees with torch."""
    shapes, report = hints(text)
    assert not [d for d in report.diagnostics if d.severity in ("error", "warning")], report.diagnostics
    assert {name: shapes.get(name) for name in expected} == expected
    runtime = runtime_shapes(text)
    for name, hint in shapes.items():
        if name in runtime:
            assert agrees(hint, runtime[name]), (name, hint, runtime[name])
    return runtime


DATASET = """import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class Pairs(Dataset):
    def __init__(self, n):
        self.images = torch.randn(n, 3, 32, 32)
        self.labels = torch.randint(0, 10, (n,))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        image = self.images[i]
        return image, self.labels[i]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)

    def forward(self, x):
        return self.conv(x)


model = Net()
loader = DataLoader(Pairs(100), batch_size=16, shuffle=True)
for x, y in loader:
    out = model(x)
"""


def test_a_workspace_dataset_gives_batches_with_a_batch_dim_in_front():
    # 100 samples in batches of 16: the last batch has 4, so the batch dim is a size, not 16
    runtime = check_against_torch(
        DATASET, {"x": "[B, 3, 32, 32]", "y": "[B]", "out": "[B, 8, 32, 32]", "image": "[3, 32, 32]"}
    )
    assert runtime["x"] == {(16, 3, 32, 32), (4, 3, 32, 32)}


def test_the_batch_size_is_certain_with_drop_last_or_when_it_divides_the_length():
    dropped = DATASET.replace("shuffle=True", "shuffle=True, drop_last=True")
    check_against_torch(dropped, {"x": "[16, 3, 32, 32]", "y": "[16]", "out": "[16, 8, 32, 32]"})
    divides = DATASET.replace("Pairs(100)", "Pairs(64)")
    check_against_torch(divides, {"x": "[16, 3, 32, 32]", "y": "[16]"})
    one_batch = DATASET.replace("Pairs(100)", "Pairs(10)")  # fewer samples than a batch: one batch of all
    check_against_torch(one_batch, {"x": "[10, 3, 32, 32]"})
    default = DATASET.replace("batch_size=16, ", "")  # DataLoader's batch size is 1
    check_against_torch(default, {"x": "[1, 3, 32, 32]", "y": "[1]"})


def test_the_index_a_sampler_draws_is_in_range():
    # __getitem__ runs as the loader calls it, with an index in range(len(dataset)): no doubt
    # about `self.images[i]` on 10 rows (its summary alone would not know the index's range)
    text = DATASET.replace("Pairs(100)", "Pairs(10)")
    _, report = hints(text)
    assert not report.diagnostics


TENSOR_DATASET = """import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(20, 2)
features = torch.randn(96, 20)
targets = torch.randint(0, 2, (96,))
loader = DataLoader(TensorDataset(features, targets), batch_size=32, shuffle=True, drop_last=True)
for step, (xb, yb) in enumerate(loader):
    logits = model(xb)
    loss = nn.functional.cross_entropy(logits, yb)
first_x, first_y = next(iter(loader))
batches = len(loader)
"""


def test_tensor_dataset_enumerate_and_next_iter():
    check_against_torch(
        TENSOR_DATASET,
        {"xb": "[32, 20]", "yb": "[32]", "logits": "[32, 2]", "loss": "[]", "first_x": "[32, 20]", "first_y": "[32]"},
    )


DICT_DATASET = """import torch
import torch.utils.data as data


class Faces(data.Dataset):
    def __init__(self, n):
        self.images = torch.randn(n, 1, 28, 28)
        self.scores = [0.5] * n

    def __len__(self):
        return len(self.images)

    def __getitem__(self, idx):
        return {"image": self.images[idx], "score": self.scores[idx], "id": idx}


faces = Faces(10)
for batch in data.DataLoader(faces, batch_size=5):
    img = batch["image"]
    score = batch["score"]
    ids = batch["id"]
train_part, val_part = data.random_split(faces, [8, 2])
for batch in data.DataLoader(val_part, batch_size=4):
    val_img = batch["image"]
for sample in data.DataLoader(faces, batch_size=None):
    single = sample["image"]
"""


def test_dicts_numbers_splits_and_no_batching():
    runtime = check_against_torch(
        DICT_DATASET,
        {"img": "[5, 1, 28, 28]", "score": "[5]", "ids": "[5]", "val_img": "[2, 1, 28, 28]", "single": "[1, 28, 28]"},
    )
    assert runtime["score"] == {(5,)}


UNKNOWN_LOADER = """import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        return self.conv(x)


def evaluate(model, loader):
    for x, y in loader:
        out = model(x)
        pred = out.argmax(1)


evaluate(Net(), make_loader())
"""


def test_an_unknown_loader_leaves_the_batch_unknown_and_is_no_error():
    shapes, report = hints(UNKNOWN_LOADER)
    assert not report.diagnostics
    assert not [s for s in report.shapes if s.span.line >= 14]  # the loop's x, y, out: unknown, never guessed
    # what Net requires of its input stays its own summary's, shown with forward's x
    forward = [s for s in report.shapes if s.span.line == 10 and s.kind == "parameter"]
    assert [str(s.value) for s in forward] == ["[B, 3, H, W]"]


SYMBOLIC = """import torch
from torch.utils.data import DataLoader, TensorDataset


def batches(bs):
    data = TensorDataset(torch.randn(100, 784), torch.zeros(100))
    for a, b in DataLoader(data, batch_size=bs, drop_last=True):
        flat = a
    for (c,) in DataLoader(TensorDataset(torch.randn(100, 784)), batch_size=bs):
        last = c
"""


def test_a_batch_size_nobody_passes_is_its_symbol_only_where_every_batch_has_it():
    shapes, report = hints(SYMBOLIC)
    assert not report.diagnostics
    assert (shapes["flat"], shapes["b"]) == ("[bs, 784]", "[bs]")
    assert shapes["last"] == "[B, 784]"  # the last batch may be smaller than bs

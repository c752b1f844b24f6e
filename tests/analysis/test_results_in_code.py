"""Results real code reads in its own ways: complex views in rotary embeddings, named-tuple fields
(``x.max(1).values``), sizes that depend on the data (``x[mask]``)."""

import re

from shapelens.analysis import Analysis


def shapes_of(text: str, name: str = "code.py") -> tuple:
    report = Analysis().analyze(name, text)
    return {s.name: str(s.value) for s in report.shapes}, report


ROTARY = """import torch


def precompute_freqs_cis(dim: int, end: int, theta: float = 10000.0):
    freqs = 1.0 / (theta ** (torch.arange(0, dim, 2)[: (dim // 2)].float() / dim))
    t = torch.arange(end, device=freqs.device)
    freqs = torch.outer(t, freqs).float()
    return torch.polar(torch.ones_like(freqs), freqs)


def reshape_for_broadcast(freqs_cis, x):
    ndim = x.ndim
    shape = [d if i == 1 or i == ndim - 1 else 1 for i, d in enumerate(x.shape)]
    return freqs_cis.view(*shape)


def apply_rotary_emb(xq, xk, freqs_cis):
    xq_ = torch.view_as_complex(xq.float().reshape(*xq.shape[:-1], -1, 2))
    xk_ = torch.view_as_complex(xk.float().reshape(*xk.shape[:-1], -1, 2))
    freqs_cis = reshape_for_broadcast(freqs_cis, xq_)
    xq_out = torch.view_as_real(xq_ * freqs_cis).flatten(3)
    xk_out = torch.view_as_real(xk_ * freqs_cis).flatten(3)
    return xq_out.type_as(xq), xk_out.type_as(xk)


freqs = precompute_freqs_cis(16, 8)
q, k = apply_rotary_emb(torch.randn(2, 8, 4, 16), torch.randn(2, 8, 4, 16), freqs)
"""


def test_llama_rotary_embedding():
    shapes, report = shapes_of(ROTARY)
    assert (shapes["xq_"], shapes["xq_out"], shapes["q"], shapes["k"]) == (
        "[2, 8, 4, 8]",
        "[2, 8, 4, 16]",
        "[2, 8, 4, 16]",
        "[2, 8, 4, 16]",
    )
    assert not report.diagnostics


def test_view_as_complex_of_an_odd_last_axis_is_an_error():
    text = """import torch

x = torch.randn(2, 8, 4, 16)
xc = torch.view_as_complex(x.reshape(2, 8, 4, 2, -1))
"""
    _, report = shapes_of(text)
    assert [d.code for d in report.diagnostics] == ["view-as-complex"]


NAMED = """import torch

x = torch.randn(4, 5, 6)
values = x.max(1).values
indices = x.max(dim=-1).indices
top_v, top_i = x.topk(3, dim=2)
order = torch.sort(x, dim=0).indices
lo = torch.aminmax(x, dim=1).min
med = x.median(2).values
kth = x.kthvalue(2, 1).indices
running = x.cummax(2).values
U, S, Vh = torch.linalg.svd(x)
vh = torch.linalg.svd(x, full_matrices=False).Vh
sign = torch.linalg.slogdet(x[..., :5]).logabsdet
evecs = torch.linalg.eigh(x[..., :5, :5]).eigenvectors
q = torch.linalg.qr(x).Q
sol = torch.linalg.lstsq(x, torch.randn(4, 5, 2)).solution
picked = x.gather(2, x.topk(2).indices)
"""


def test_named_tuple_fields_and_unpacking():
    shapes, report = shapes_of(NAMED)
    assert (shapes["values"], shapes["indices"], shapes["top_v"], shapes["top_i"]) == (
        "[4, 6]",
        "[4, 5]",
        "[4, 5, 3]",
        "[4, 5, 3]",
    )
    assert (shapes["order"], shapes["lo"], shapes["med"], shapes["kth"], shapes["running"]) == (
        "[4, 5, 6]",
        "[4, 6]",
        "[4, 5]",
        "[4, 6]",
        "[4, 5, 6]",
    )
    assert (shapes["U"], shapes["S"], shapes["Vh"], shapes["vh"]) == ("[4, 5, 5]", "[4, 5]", "[4, 6, 6]", "[4, 5, 6]")
    assert (shapes["sign"], shapes["evecs"], shapes["q"], shapes["sol"]) == (
        "[4]",
        "[4, 5, 5]",
        "[4, 5, 5]",
        "[4, 6, 2]",
    )
    assert shapes["picked"] == "[4, 5, 2]"  # .indices is an int tensor: gather takes it
    assert not [d for d in report.diagnostics if d.severity in ("error", "warning")]


MASKS = """import torch
import torch.nn.functional as F

pred = torch.randn(8, 4)
target = torch.randn(8, 4)
valid = target[:, 0] > 0
loss = F.mse_loss(pred[valid], target[valid])
boxes = torch.randn(16, 4)
keep = boxes[:, 2] > boxes[:, 0]
kept = boxes[keep]
first = boxes[0, keep[:4]]
rows = boxes[keep, :]
idx = torch.nonzero(keep)
flat = torch.masked_select(boxes, boxes > 0)
labels, counts = torch.unique(torch.randint(0, 5, (10,)), return_counts=True)
where = torch.argwhere(boxes > 0)
"""


def test_data_dependent_sizes_keep_their_rank():
    shapes, report = shapes_of(MASKS)
    count = r"nnz\d*"
    assert re.fullmatch(rf"\[{count}, 4\]", shapes["kept"]) and shapes["rows"] == shapes["kept"]  # one mask
    assert re.fullmatch(rf"\[{count}\]", shapes["first"]) and shapes["first"] != shapes["kept"][:-4] + "]"
    assert re.fullmatch(rf"\[{count}, 1\]", shapes["idx"]) and re.fullmatch(rf"\[{count}, 2\]", shapes["where"])
    assert re.fullmatch(rf"\[{count}\]", shapes["flat"])
    assert shapes["labels"] == shapes["counts"] == "[n_unique]"
    assert shapes["loss"] == "[]"  # pred[valid] and target[valid]: one mask, one count
    assert not [d for d in report.diagnostics if d.severity in ("error", "warning")]


def test_a_remembered_named_result_keeps_its_fields():
    """The call memo hands each later call a copy of what the first returned: a named-tuple result
    must stay one (``.indices`` on the second call)."""
    text = """import torch


def best(scores):
    return scores.max(1)


a = best(torch.randn(4, 10)).indices
b = best(torch.randn(4, 10)).indices
"""
    shapes, _ = shapes_of(text)
    assert shapes["a"] == shapes["b"] == "[4]"

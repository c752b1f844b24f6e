"""Results real code reads in its own ways: complex views in rotary embeddings, named-tuple fields
(``x.max(1).values``), sizes that depend on the data (``x[mask]``)."""

from shapelens.analysis import Analysis


def shapes_of(text: str, name: str = "code.py") -> tuple:
    report = Analysis().analyze(name, text)
    return {s.name: str(s.value) for s in report.shapes}, report


ROTARY = '''import torch


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
'''


def test_llama_rotary_embedding():
    shapes, report = shapes_of(ROTARY)
    assert (shapes["xq_"], shapes["xq_out"], shapes["q"], shapes["k"]) == \
        ("[2, 8, 4, 8]", "[2, 8, 4, 16]", "[2, 8, 4, 16]", "[2, 8, 4, 16]")
    assert not report.diagnostics


def test_view_as_complex_of_an_odd_last_axis_is_an_error():
    text = '''import torch

x = torch.randn(2, 8, 4, 16)
xc = torch.view_as_complex(x.reshape(2, 8, 4, 2, -1))
'''
    _, report = shapes_of(text)
    assert [d.code for d in report.diagnostics] == ["view-as-complex"]

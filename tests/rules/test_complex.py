"""Complex numbers against torch: polar/complex broadcast their parts, view_as_real adds a pair
axis, view_as_complex takes it away (and needs it)."""

import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import partner, shapes

from shapelens.dims import Checker, Shape
from shapelens.rules import apply_op


@st.composite
def pairs(draw):
    a = draw(shapes(0, 3, max_dim=4))
    return a, draw(partner(a))


@given(st.sampled_from(["torch.polar", "torch.complex"]), pairs())
def test_from_parts(name, pair):
    fn = torch.polar if name == "torch.polar" else torch.complex
    check(lambda ctx, a, b: apply_op(name, ctx, a, b), fn, [T(pair[0]), T(pair[1])])


@given(shapes(0, 4))
def test_view_as_real(shape):
    check(lambda ctx, x: apply_op("torch.view_as_real", ctx, x), torch.view_as_real, [T(shape, torch.complex64)])


@given(shapes(0, 4, max_dim=3), st.booleans())
def test_view_as_complex(shape, pair):
    shape = shape + (2,) if pair else shape
    check(lambda ctx, x: apply_op("torch.view_as_complex", ctx, x), torch.view_as_complex, [T(shape)])


def test_rotary_round_trip():
    """LLaMA: view_as_complex(x.reshape(*x.shape[:-1], -1, 2)) * freqs, then view_as_real(...).flatten(3)."""
    ctx = Checker()
    x = apply_op("torch.Tensor.reshape", ctx, Shape([2, 8, 4, 16]), (2, 8, 4, -1, 2))
    xc = apply_op("torch.view_as_complex", ctx, x)
    assert xc == Shape([2, 8, 4, 8])
    assert apply_op("torch.Tensor.flatten", ctx, apply_op("torch.view_as_real", ctx, xc), 3) == Shape([2, 8, 4, 16])
    assert apply_op("torch.view_as_real", ctx, Shape.variadic((), "b", (8,))) == Shape.variadic((), "b", (8, 2))

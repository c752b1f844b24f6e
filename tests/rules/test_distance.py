"""nn.CosineSimilarity, nn.PairwiseDistance, their functional forms, torch.cdist and F.pdist against torch."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check, on_cpu
from strategies import partner, shapes

from shapelens.dims import Checker, Shape, sym, substitute
from shapelens.rules import apply_layer, apply_op


@given(shapes(0, 4), st.integers(-4, 3), st.data())
def test_cosine_similarity(shape, dim, data):
    other = data.draw(partner(shape))
    if data.draw(st.booleans()):
        check(
            lambda ctx, a, b: apply_layer("torch.nn.CosineSimilarity", ctx, (), {"dim": dim}, a, b),
            on_cpu(lambda a, b: nn.CosineSimilarity(dim=dim)(a, b)),
            [T(shape), T(other)],
        )
    else:
        name = data.draw(st.sampled_from(["torch.nn.functional.cosine_similarity", "torch.cosine_similarity"]))
        check(
            lambda ctx, a, b: apply_op(name, ctx, a, b, dim),
            on_cpu(lambda a, b: F.cosine_similarity(a, b, dim)),
            [T(shape), T(other)],
        )


@given(shapes(0, 4), st.booleans(), st.data())
def test_pairwise_distance(shape, keepdim, data):
    other = data.draw(partner(shape))
    if data.draw(st.booleans()):
        check(
            lambda ctx, a, b: apply_layer("torch.nn.PairwiseDistance", ctx, (), {"keepdim": keepdim}, a, b),
            on_cpu(lambda a, b: nn.PairwiseDistance(keepdim=keepdim)(a, b)),
            [T(shape), T(other)],
        )
    else:
        name = data.draw(st.sampled_from(["torch.nn.functional.pairwise_distance", "torch.pairwise_distance"]))
        check(
            lambda ctx, a, b: apply_op(name, ctx, a, b, 2.0, 1e-6, keepdim),
            on_cpu(lambda a, b: F.pairwise_distance(a, b, 2.0, 1e-6, keepdim)),
            [T(shape), T(other)],
        )


def test_broadcast_of_unknown_sizes_is_their_max():
    """[a] with [b] is [max(a, b)] under "a == b or a == 1 or b == 1", right when a is the 1."""
    ctx = Checker()
    out = apply_op("torch.nn.functional.pairwise_distance", ctx, Shape([sym("a"), 4]), Shape([sym("b"), 4]))
    assert substitute(out[0], {"a": 1, "b": 3}) == 3
    assert [str(c.cond) for c in ctx.conditions] == ["a == b or a == 1 or b == 1"]


@st.composite
def cdist_inputs(draw):
    batch = draw(shapes(0, 2, max_dim=3))
    p, r, m = draw(st.integers(1, 5)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    x1 = batch + (p, m)
    x2 = draw(partner(batch)) + (r, draw(st.sampled_from([m, m, m + 1])))
    return draw(st.sampled_from([x1, x1, x1, x1[-1:]])), draw(st.sampled_from([x2, x2, x2, x2[-1:]]))


@given(
    cdist_inputs(),
    st.sampled_from([2.0, 1.0, 0.0, -1.0, 2.0]),
    st.sampled_from(
        ["use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "foo", "donot_use_mm_for_euclid_dist"]
    ),
)
def test_cdist(inputs, p, mode):
    x1, x2 = inputs
    check(
        lambda ctx, a, b: apply_op("torch.cdist", ctx, a, b, p, mode),
        on_cpu(lambda a, b: torch.cdist(a, b, p, mode)),
        [T(x1), T(x2)],
    )


@given(
    st.one_of(shapes(2, 2), shapes(2, 2), shapes(0, 3)),
    st.sampled_from([2.0, 1.0, -1.0, 2.0]),
    st.sampled_from(["torch.nn.functional.pdist", "torch.pdist"]),
)
def test_pdist(shape, p, name):
    check(lambda ctx, x: apply_op(name, ctx, x, p), on_cpu(lambda x: F.pdist(x, p)), [T(shape)])

"""nn.Linear, LazyLinear, Bilinear, Identity, F.linear, F.bilinear against torch."""

import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import near, shapes

from shapelens.rules import apply_layer, apply_op


@given(st.integers(0, 6), st.integers(0, 6), shapes(0, 4), st.data())
def test_linear(in_features, out_features, batch, data):
    last = data.draw(near(in_features))
    x = T(batch + (last,)) if data.draw(st.booleans()) or not batch else T(batch)
    check(
        lambda ctx, x: apply_layer("torch.nn.Linear", ctx, (in_features, out_features), {}, x),
        lambda x: nn.Linear(in_features, out_features)(x),
        [x],
    )


@given(st.integers(1, 6), shapes(0, 4))
def test_lazy_linear(out_features, shape):
    check(
        lambda ctx, x: apply_layer("torch.nn.LazyLinear", ctx, (out_features,), {}, x),
        lambda x: nn.LazyLinear(out_features)(x),
        [T(shape)],
    )


@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), shapes(0, 3), st.data())
def test_bilinear(in1, in2, out, batch, data):
    batch2 = data.draw(st.one_of(st.just(batch), shapes(0, 3)))
    x1 = T(batch + (data.draw(near(in1, 1)),))
    x2 = T(batch2 + (data.draw(near(in2, 1)),))
    check(
        lambda ctx, a, b: apply_layer("torch.nn.Bilinear", ctx, (in1, in2, out), {}, a, b),
        lambda a, b: nn.Bilinear(in1, in2, out)(a, b),
        [x1, x2],
    )


@given(shapes(0, 4))
def test_identity(shape):
    check(
        lambda ctx, x: apply_layer("torch.nn.Identity", ctx, (3,), {"unused": 1}, x),
        lambda x: nn.Identity(3, unused=1)(x),
        [T(shape)],
    )


@given(shapes(0, 4), st.integers(1, 5), st.integers(1, 5), st.data())
def test_f_linear(batch, in_f, out_f, data):
    x = T(batch + (data.draw(near(in_f, 1)),))
    weight = T(data.draw(st.sampled_from([(out_f, in_f), (in_f,), (in_f, out_f), (out_f, in_f, 1)])))
    bias = data.draw(st.sampled_from([None, T((out_f,)), T((1,)), T((out_f + 1,))]))
    check(
        lambda ctx, x, w, b: apply_op("torch.nn.functional.linear", ctx, x, w, b),
        lambda x, w, b: F.linear(x, w, b),
        [x, weight, bias],
    )


@given(shapes(0, 2), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.data())
def test_f_bilinear(batch, in1, in2, out, data):
    x1 = T(batch + (data.draw(near(in1, 1)),))
    x2 = T(batch + (data.draw(near(in2, 1)),))
    weight = T(data.draw(st.sampled_from([(out, in1, in2), (out, in1, in2, 1), (out, in2, in1)])))
    check(
        lambda ctx, a, b, w: apply_op("torch.nn.functional.bilinear", ctx, a, b, w),
        lambda a, b, w: F.bilinear(a, b, w),
        [x1, x2, weight],
    )

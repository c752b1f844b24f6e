"""nn.Dropout*, AlphaDropout, FeatureAlphaDropout, F.dropout* and the torch.*dropout ops."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import shapes

from shapelens.dims import UNKNOWN, Checker, Shape, sym
from shapelens.rules import apply_layer, apply_op

# p: inside [0, 1] (including the ends, where torch draws no mask) and outside it
P = st.sampled_from([0.0, 0.25, 0.5, 1.0, -0.1, 1.5])
# mostly non-empty, sometimes with empty axes (torch skips the mask on an empty input)
SHAPES = st.one_of(shapes(0, 6, max_dim=4), shapes(0, 6, min_dim=0, max_dim=3))

LAYERS = {
    "torch.nn.Dropout": nn.Dropout,
    "torch.nn.Dropout1d": nn.Dropout1d,
    "torch.nn.Dropout2d": nn.Dropout2d,
    "torch.nn.Dropout3d": nn.Dropout3d,
    "torch.nn.AlphaDropout": nn.AlphaDropout,
    "torch.nn.FeatureAlphaDropout": nn.FeatureAlphaDropout,
}

FUNCTIONS = {
    "torch.nn.functional.dropout": F.dropout,
    "torch.nn.functional.dropout1d": F.dropout1d,
    "torch.nn.functional.dropout2d": F.dropout2d,
    "torch.nn.functional.dropout3d": F.dropout3d,
    "torch.nn.functional.alpha_dropout": F.alpha_dropout,
    "torch.nn.functional.feature_alpha_dropout": F.feature_alpha_dropout,
}

ATEN = {
    "torch.dropout": torch.dropout,
    "torch.dropout_": torch.dropout_,
    "torch.alpha_dropout": torch.alpha_dropout,
    "torch.alpha_dropout_": torch.alpha_dropout_,
    "torch.feature_dropout": torch.feature_dropout,
    "torch.feature_dropout_": torch.feature_dropout_,
    "torch.feature_alpha_dropout": torch.feature_alpha_dropout,
    "torch.feature_alpha_dropout_": torch.feature_alpha_dropout_,
}


@given(st.sampled_from(sorted(LAYERS)), P, SHAPES)
def test_dropout_layers(name, p, shape):
    check(lambda ctx, x: apply_layer(name, ctx, (p,), {}, x), lambda x: LAYERS[name](p)(x), [T(shape)])


@given(st.sampled_from(sorted(FUNCTIONS)), P, st.booleans(), SHAPES)
def test_dropout_functions(name, p, training, shape):
    check(lambda ctx, x: apply_op(name, ctx, x, p, training), lambda x: FUNCTIONS[name](x, p, training), [T(shape)])


@given(st.sampled_from(sorted(FUNCTIONS)), SHAPES)
def test_dropout_function_defaults(name, shape):
    check(lambda ctx, x: apply_op(name, ctx, x), lambda x: FUNCTIONS[name](x), [T(shape)])


@given(st.sampled_from(sorted(ATEN)), P, st.booleans(), SHAPES)
def test_torch_dropout_ops(name, p, train, shape):
    check(lambda ctx, x: apply_op(name, ctx, x, p, train), lambda x: ATEN[name](x, p, train), [T(shape)])


def test_unknown_p_keeps_the_shape():
    """An unknown p leaves the range check open; a mask that needs p to decide is lost."""
    x = Shape([sym("B"), sym("C")])
    assert apply_layer("torch.nn.Dropout", Checker(), (), {"p": UNKNOWN}, x) == x
    assert apply_layer("torch.nn.Dropout2d", Checker(), (UNKNOWN,), {}, x) == x

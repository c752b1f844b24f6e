"""Every nn activation, its F.* / torch.* / tensor-method forms, against torch."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import near, shapes

from shapelens.rules import apply_layer, apply_op

# (rule name, constructor args, constructor kwargs): layers that keep the shape and check nothing
KEEP_LAYERS = [
    ("torch.nn.ReLU", (), {"inplace": True}),
    ("torch.nn.ReLU6", (), {}),
    ("torch.nn.ELU", (0.5,), {}),
    ("torch.nn.SELU", (), {}),
    ("torch.nn.LeakyReLU", (0.2, True), {}),
    ("torch.nn.Hardsigmoid", (), {}),
    ("torch.nn.Hardswish", (), {}),
    ("torch.nn.Hardshrink", (-0.5,), {}),
    ("torch.nn.Sigmoid", (), {}),
    ("torch.nn.LogSigmoid", (), {}),
    ("torch.nn.Tanh", (), {}),
    ("torch.nn.Tanhshrink", (), {}),
    ("torch.nn.Softsign", (), {}),
    ("torch.nn.Softplus", (2.0, 10.0), {}),
    ("torch.nn.SiLU", (), {}),
    ("torch.nn.Mish", (), {"inplace": True}),
    ("torch.nn.Threshold", (0.1, 20.0), {}),
]

# (rule name, reference, extra args): functions and methods that keep the shape and check nothing
KEEP_FUNCTIONS = [
    ("torch.relu", torch.relu, ()),
    ("torch.relu_", torch.relu_, ()),
    ("torch.Tensor.relu", torch.Tensor.relu, ()),
    ("torch.Tensor.relu_", torch.Tensor.relu_, ()),
    ("torch.nn.functional.relu", F.relu, ()),
    ("torch.nn.functional.relu_", F.relu_, ()),
    ("torch.nn.functional.relu6", F.relu6, ()),
    ("torch.nn.functional.elu", F.elu, (0.5,)),
    ("torch.nn.functional.elu_", F.elu_, (0.5,)),
    ("torch.selu", torch.selu, ()),
    ("torch.selu_", torch.selu_, ()),
    ("torch.nn.functional.selu", F.selu, ()),
    ("torch.nn.functional.selu_", F.selu_, ()),
    ("torch.nn.functional.leaky_relu", F.leaky_relu, (0.1,)),
    ("torch.nn.functional.leaky_relu_", F.leaky_relu_, (0.1,)),
    ("torch.nn.functional.hardtanh_", F.hardtanh_, (1.0, -1.0)),
    ("torch.nn.functional.hardsigmoid", F.hardsigmoid, ()),
    ("torch.nn.functional.hardswish", F.hardswish, ()),
    ("torch.hardshrink", torch.hardshrink, (0.3,)),
    ("torch.Tensor.hardshrink", torch.Tensor.hardshrink, ()),
    ("torch.nn.functional.hardshrink", F.hardshrink, (-1.0,)),
    ("torch.sigmoid", torch.sigmoid, ()),
    ("torch.sigmoid_", torch.sigmoid_, ()),
    ("torch.Tensor.sigmoid", torch.Tensor.sigmoid, ()),
    ("torch.Tensor.sigmoid_", torch.Tensor.sigmoid_, ()),
    ("torch.nn.functional.sigmoid", F.sigmoid, ()),
    ("torch.special.expit", torch.special.expit, ()),
    ("torch.nn.functional.logsigmoid", F.logsigmoid, ()),
    ("torch.tanh", torch.tanh, ()),
    ("torch.tanh_", torch.tanh_, ()),
    ("torch.Tensor.tanh", torch.Tensor.tanh, ()),
    ("torch.Tensor.tanh_", torch.Tensor.tanh_, ()),
    ("torch.nn.functional.tanh", F.tanh, ()),
    ("torch.nn.functional.tanhshrink", F.tanhshrink, ()),
    ("torch.nn.functional.softsign", F.softsign, ()),
    ("torch.nn.functional.softplus", F.softplus, (2, 5)),
    ("torch.nn.functional.silu", F.silu, ()),
    ("torch.nn.functional.mish", F.mish, ()),
    ("torch.threshold", torch.threshold, (0.5, 2.0)),
    ("torch.threshold_", torch.threshold_, (0.5, 2.0)),
    ("torch.nn.functional.threshold", F.threshold, (0.5, 2.0)),
    ("torch.nn.functional.threshold_", F.threshold_, (0.5, 2.0)),
]


def _module(name: str):
    return getattr(nn, name.rsplit(".", 1)[-1])


@given(st.sampled_from(KEEP_LAYERS), shapes(0, 5, 0, 4))
def test_shape_keeping_layers(layer, shape):
    name, args, kwargs = layer
    check(
        lambda ctx, x: apply_layer(name, ctx, args, kwargs, x), lambda x: _module(name)(*args, **kwargs)(x), [T(shape)]
    )


@given(st.sampled_from(KEEP_FUNCTIONS), shapes(0, 5, 0, 4))
def test_shape_keeping_functions(function, shape):
    name, reference, args = function
    check(lambda ctx, x: apply_op(name, ctx, x, *args), lambda x: reference(x, *args), [T(shape)])


SCALARS = st.sampled_from([-1.0, -0.5, 0, 0.25, 1])


@given(st.sampled_from(["layer", "torch.nn.functional.hardtanh"]), SCALARS, SCALARS, shapes(0, 3))
def test_hardtanh(form, low, high, shape):
    if form == "layer":
        check(
            lambda ctx, x: apply_layer("torch.nn.Hardtanh", ctx, (low, high), {}, x),
            lambda x: nn.Hardtanh(low, high)(x),
            [T(shape)],
        )
    else:
        check(lambda ctx, x: apply_op(form, ctx, x, low, high), lambda x: F.hardtanh(x, low, high), [T(shape)])


@given(
    st.sampled_from(
        ["torch.nn.RReLU", "torch.rrelu", "torch.rrelu_", "torch.nn.functional.rrelu", "torch.nn.functional.rrelu_"]
    ),
    SCALARS,
    SCALARS,
    st.booleans(),
    shapes(0, 3),
)
def test_rrelu(name, lower, upper, training, shape):
    if name == "torch.nn.RReLU":
        check(
            lambda ctx, x: apply_layer(name, ctx, (lower, upper), {}, x),
            lambda x: nn.RReLU(lower, upper)(x),
            [T(shape)],
        )
    else:
        reference = {
            "torch.rrelu": torch.rrelu,
            "torch.rrelu_": torch.rrelu_,
            "torch.nn.functional.rrelu": F.rrelu,
            "torch.nn.functional.rrelu_": F.rrelu_,
        }[name]
        check(
            lambda ctx, x: apply_op(name, ctx, x, lower, upper, training),
            lambda x: reference(x, lower, upper, training),
            [T(shape)],
        )


# (rule name, reference, a valid value, an invalid value) for one checked scalar argument
CHECKED_SCALARS = [
    ("torch.nn.GELU", lambda v: nn.GELU(v), "tanh", "foo"),
    ("torch.nn.functional.gelu", lambda v: lambda x: F.gelu(x, approximate=v), "none", "exact"),
    ("torch.nn.Softshrink", lambda v: nn.Softshrink(v), 0.5, -1.0),
    ("torch.nn.functional.softshrink", lambda v: lambda x: F.softshrink(x, v), 0.0, -0.5),
    ("torch.nn.CELU", lambda v: nn.CELU(v), 0.5, 0.0),
    ("torch.celu", lambda v: lambda x: torch.celu(x, v), 1.0, 0),
    ("torch.celu_", lambda v: lambda x: torch.celu_(x, v), 1.0, 0),
    ("torch.nn.functional.celu", lambda v: lambda x: F.celu(x, v), 2.0, 0.0),
    ("torch.nn.functional.celu_", lambda v: lambda x: F.celu_(x, v), 2.0, 0.0),
]


@given(st.sampled_from(CHECKED_SCALARS), st.booleans(), shapes(0, 3))
def test_checked_scalar_arguments(case, valid, shape):
    name, reference, good, bad = case
    value = good if valid else bad
    if name.startswith("torch.nn.") and not name.startswith("torch.nn.functional."):
        check(lambda ctx, x: apply_layer(name, ctx, (value,), {}, x), lambda x: reference(value)(x), [T(shape)])
    else:
        check(lambda ctx, x: apply_op(name, ctx, x, value), reference(value), [T(shape)])


@given(
    st.sampled_from(["torch.nn.PReLU", "torch.prelu", "torch.Tensor.prelu", "torch.nn.functional.prelu"]),
    shapes(0, 4, 0, 4),
    st.data(),
)
def test_prelu(name, shape, data):
    channels = shape[1] if len(shape) > 1 else 1
    n = data.draw(st.one_of(st.just(1), near(channels, 1)))
    if name == "torch.nn.PReLU":
        check(lambda ctx, x: apply_layer(name, ctx, (n,), {}, x), lambda x: nn.PReLU(n)(x), [T(shape)])
        return
    weight = T(data.draw(st.sampled_from([(n,), (), (n, 1), (1, n)])))
    reference = {
        "torch.prelu": torch.prelu,
        "torch.Tensor.prelu": torch.Tensor.prelu,
        "torch.nn.functional.prelu": F.prelu,
    }[name]
    check(lambda ctx, x, w: apply_op(name, ctx, x, w), reference, [T(shape), weight])


@given(st.sampled_from(["torch.nn.GLU", "torch.nn.functional.glu"]), shapes(0, 4, 0, 6), st.data())
def test_glu(name, shape, data):
    axes = list(range(-len(shape), len(shape)))
    dim = data.draw(st.sampled_from(axes * 2 + [-4, 3]) if axes else st.integers(-1, 1))
    if name == "torch.nn.GLU":
        check(lambda ctx, x: apply_layer(name, ctx, (dim,), {}, x), lambda x: nn.GLU(dim)(x), [T(shape)])
    else:
        check(lambda ctx, x: apply_op(name, ctx, x, dim), lambda x: F.glu(x, dim), [T(shape)])


SOFTMAX_LAYERS = ["torch.nn.Softmax", "torch.nn.Softmin", "torch.nn.LogSoftmax"]
SOFTMAX_FUNCTIONS = {
    "torch.nn.functional.softmax": F.softmax,
    "torch.nn.functional.softmin": F.softmin,
    "torch.nn.functional.log_softmax": F.log_softmax,
    "torch.nn.functional.gumbel_softmax": None,
    "torch.softmax": torch.softmax,
    "torch.Tensor.softmax": torch.Tensor.softmax,
    "torch.special.softmax": torch.special.softmax,
    "torch.log_softmax": torch.log_softmax,
    "torch.Tensor.log_softmax": torch.Tensor.log_softmax,
    "torch.special.log_softmax": torch.special.log_softmax,
}


@given(
    st.sampled_from(SOFTMAX_LAYERS + sorted(SOFTMAX_FUNCTIONS)),
    shapes(0, 4, 0, 4),
    st.one_of(st.none(), st.integers(-5, 4)),
    st.booleans(),
)
def test_softmax(name, shape, dim, hard):
    if name in SOFTMAX_LAYERS:
        check(lambda ctx, x: apply_layer(name, ctx, (dim,), {}, x), lambda x: _module(name)(dim)(x), [T(shape)])
    elif name == "torch.nn.functional.gumbel_softmax":
        dim = -1 if dim is None else dim
        check(
            lambda ctx, x: apply_op(name, ctx, x, hard=hard, dim=dim),
            lambda x: F.gumbel_softmax(x, hard=hard, dim=dim),
            [T(shape)],
        )
    elif name.startswith("torch.nn.functional."):
        check(lambda ctx, x: apply_op(name, ctx, x, dim), lambda x: SOFTMAX_FUNCTIONS[name](x, dim), [T(shape)])
    else:
        dim = -1 if dim is None else dim  # torch.softmax and the methods need one
        check(lambda ctx, x: apply_op(name, ctx, x, dim), lambda x: SOFTMAX_FUNCTIONS[name](x, dim), [T(shape)])


@given(st.one_of(shapes(3, 4, 0, 4), shapes(0, 6, 0, 4)))
def test_softmax_2d(shape):
    check(lambda ctx, x: apply_layer("torch.nn.Softmax2d", ctx, (), {}, x), lambda x: nn.Softmax2d()(x), [T(shape)])

"""In-place initialisers against torch: tensor methods (fill_, uniform_, copy_...) and torch.nn.init."""

import warnings

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import shapes

from shapelens.dims import Checker, Shape, ShapeError, sym
from shapelens.rules import apply_op


def rule(name: str):
    return lambda ctx, *args, **kwargs: apply_op(name, ctx, *args, **kwargs)


def quiet(fn):
    """torch warns that initialising a tensor without elements is a no-op."""

    def run(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return fn(*args, **kwargs)

    return run


@given(shapes(0, 3, min_dim=0), st.sampled_from(["torch.Tensor.fill_", "torch.fill_", "torch.fill"]), st.data())
def test_fill(shape, name, data):
    value = data.draw(st.one_of(st.sampled_from([0.5, 2]), shapes(0, 2, max_dim=2).map(T)))
    ref = (lambda x, v: x.fill_(v)) if name == "torch.Tensor.fill_" else getattr(torch, name.rsplit(".", 1)[-1])
    check(rule(name), ref, [T(shape), value])


@given(shapes(0, 3, min_dim=0), st.sampled_from(["torch.Tensor.zero_", "torch.zero_"]))
def test_zero(shape, name):
    ref = (lambda x: x.zero_()) if name == "torch.Tensor.zero_" else torch.zero_
    check(rule(name), ref, [T(shape)])


@given(shapes(0, 3), st.sampled_from([0, 1, -1.5]), st.sampled_from([0, 1, -1.5]))
def test_uniform_normal_methods(shape, a, b):
    check(rule("torch.Tensor.uniform_"), lambda x, a, b: x.uniform_(a, b), [T(shape), a, b])
    check(
        lambda ctx, x: apply_op("torch.Tensor.uniform_", ctx, x, **{"from": a, "to": b}),
        lambda x: x.uniform_(**{"from": a, "to": b}),
        [T(shape)],
    )
    check(rule("torch.Tensor.normal_"), lambda x, m, s: x.normal_(m, s), [T(shape), a, b])


@given(shapes(0, 3), st.data())
def test_copy(shape, data):
    """src broadcasts to self's shape: it may not grow it."""
    src = tuple(data.draw(st.sampled_from([d, 1, d + 1])) for d in shape)[data.draw(st.integers(0, len(shape))) :]
    if data.draw(st.integers(0, 4)) == 0:
        src = (data.draw(st.integers(1, 2)),) + src
    check(rule("torch.Tensor.copy_"), lambda x, s: x.copy_(s), [T(shape), T(src)])


@given(shapes(0, 3), shapes(0, 3))
def test_type_as(shape, other):
    check(rule("torch.Tensor.type_as"), lambda x, o: x.type_as(o), [T(shape), T(other, torch.float64)])


ANY_RANK = ["torch.nn.init.constant_", "torch.nn.init.ones_", "torch.nn.init.zeros_"]


@given(shapes(0, 3, min_dim=0), st.sampled_from(ANY_RANK))
def test_fills(shape, name):
    fn = getattr(torch.nn.init, name.rsplit(".", 1)[-1])
    if name.endswith("constant_"):
        check(lambda ctx, x: apply_op(name, ctx, x, 0.5), lambda x: fn(x, 0.5), [T(shape)])
    else:
        check(rule(name), fn, [T(shape)])


@given(shapes(0, 3, min_dim=0), st.sampled_from([0, 1, -1.0, 2]), st.sampled_from([0, 1, -1.0, 2]))
def test_init_uniform_normal(shape, a, b):
    check(
        lambda ctx, x: apply_op("torch.nn.init.uniform_", ctx, x, a, b),
        lambda x: torch.nn.init.uniform_(x, a, b),
        [T(shape)],
    )
    check(
        lambda ctx, x: apply_op("torch.nn.init.normal_", ctx, x, a, b),
        lambda x: torch.nn.init.normal_(x, a, b),
        [T(shape)],
    )


@given(
    shapes(0, 3, min_dim=0),
    st.sampled_from([0.0, 1.0]),
    st.sampled_from([1.0, 0.5]),
    st.sampled_from([-2.0, 0.0]),
    st.sampled_from([2.0, 3.0]),
)
def test_trunc_normal(shape, mean, std, a, b):
    """Its sampling is not checked by torch on the meta device (a no-op there): only the shape is."""
    check(
        lambda ctx, x: apply_op("torch.nn.init.trunc_normal_", ctx, x, mean, std, a, b),
        lambda x: torch.nn.init.trunc_normal_(x, mean, std, a, b),
        [T(shape)],
    )


RANKED = [
    "torch.nn.init.eye_",
    "torch.nn.init.orthogonal_",
    "torch.nn.init.xavier_uniform_",
    "torch.nn.init.xavier_normal_",
    "torch.nn.init.kaiming_uniform_",
    "torch.nn.init.kaiming_normal_",
]


@given(shapes(0, 4, min_dim=0, max_dim=4), st.sampled_from(RANKED))
def test_ranked_schemes(shape, name):
    """eye_ needs 2 dims, orthogonal_ and the fan-based schemes at least 2."""
    check(rule(name), quiet(getattr(torch.nn.init, name.rsplit(".", 1)[-1])), [T(shape)])


@given(
    shapes(0, 4, min_dim=0, max_dim=4),
    st.sampled_from(["torch.nn.init.kaiming_uniform_", "torch.nn.init.kaiming_normal_"]),
    st.sampled_from(["fan_in", "fan_out", "fan_avg"]),
    st.sampled_from(["leaky_relu", "relu", "gelu"]),
)
def test_kaiming_arguments(shape, name, mode, nonlinearity):
    """A tensor without elements is returned before mode, rank or nonlinearity are looked at."""
    fn = quiet(getattr(torch.nn.init, name.rsplit(".", 1)[-1]))
    check(
        lambda ctx, x: apply_op(name, ctx, x, 0, mode, nonlinearity), lambda x: fn(x, 0, mode, nonlinearity), [T(shape)]
    )


@given(shapes(2, 6, min_dim=0, max_dim=4), st.integers(0, 3))
def test_dirac(shape, groups):
    check(
        lambda ctx, x: apply_op("torch.nn.init.dirac_", ctx, x, groups),
        lambda x: torch.nn.init.dirac_(x, groups),
        [T(shape)],
    )


@given(shapes(0, 3, min_dim=0))
def test_sparse(shape):
    check(
        lambda ctx, x: apply_op("torch.nn.init.sparse_", ctx, x, 0.5),
        lambda x: torch.nn.init.sparse_(x, 0.5),
        [T(shape)],
    )


def test_symbolic_weights():
    """A [out, in] weight keeps its symbols; a 1-D one is certainly too small for kaiming_uniform_."""
    out, in_ = sym("out"), sym("in")
    w = Shape([out, in_])
    for name in ("torch.nn.init.kaiming_uniform_", "torch.nn.init.xavier_normal_", "torch.nn.init.orthogonal_"):
        ctx = Checker()
        assert apply_op(name, ctx, w) == w
    with pytest.raises(ShapeError):  # a symbolic size is at least 1: the tensor has elements
        apply_op("torch.nn.init.kaiming_uniform_", Checker(), Shape([out]))

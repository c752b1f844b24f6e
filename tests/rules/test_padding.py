"""F.pad (all modes), torch.constant_pad_nd and the Zero/Constant/Reflection/Replication/Circular pad
layers against torch."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import shapes

from shapelens.dims import UNKNOWN, Checker, Shape, sym
from shapelens.rules import apply_layer, apply_op

MODES = st.sampled_from(["constant", "reflect", "replicate", "circular"])


def pads(n_values):
    """Pads around the axis sizes used here: wraps, reflections and crops that fit or do not."""
    pad = st.one_of(st.integers(0, 2), st.integers(-6, 6))
    return st.lists(pad, min_size=n_values, max_size=n_values).map(tuple)


def padded(n):
    """An input for ``n`` padded axes: mostly of a rank every mode takes, sometimes empty axes."""
    return st.one_of(
        shapes(n + 1, n + 2, max_dim=5),
        shapes(n + 1, n + 2, max_dim=5),
        shapes(0, n + 3, max_dim=5),
        shapes(n + 1, n + 2, min_dim=0, max_dim=4),
    )


@given(MODES, st.integers(1, 3), st.data())
def test_f_pad(mode, n, data):
    shape = data.draw(padded(n))
    pad = data.draw(st.one_of(pads(2 * n), pads(2 * n), pads(2 * n), pads(data.draw(st.integers(0, 8)))))
    value = data.draw(st.sampled_from([None] * 6 + [0.0, 1.5]))
    check(
        lambda ctx, x: apply_op("torch.nn.functional.pad", ctx, x, pad, mode, value),
        lambda x: F.pad(x, pad, mode, value),
        [T(shape)],
    )


@given(st.sampled_from(["circular", "reflect", "replicate"]), st.integers(1, 3), st.data())
def test_crop_and_wrap(mode, n, data):
    """Pads on both sides of every axis size: crops past the axis, wraps past it, mixed signs."""
    shape = data.draw(shapes(n + 1, n + 2, max_dim=4))
    pad = tuple(data.draw(st.integers(-size - 2, size + 1)) for size in reversed(shape[-n:]) for _ in "lr")
    check(
        lambda ctx, x: apply_op("torch.nn.functional.pad", ctx, x, pad, mode), lambda x: F.pad(x, pad, mode), [T(shape)]
    )


@given(st.data())
def test_constant_pad_nd(data):
    shape = data.draw(st.one_of(shapes(0, 5, max_dim=5), shapes(1, 4, min_dim=0, max_dim=4)))
    n_values = data.draw(st.sampled_from([0, 2, 2, 4, 4, 6, 1, 8]))
    pad = data.draw(pads(n_values))
    check(
        lambda ctx, x: apply_op("torch.constant_pad_nd", ctx, x, pad, 1.0),
        lambda x: torch.constant_pad_nd(x, pad, 1.0),
        [T(shape)],
    )


LAYERS = {  # name: (class, padded axes, constructor arguments after padding)
    "torch.nn.ZeroPad1d": (nn.ZeroPad1d, 1, ()),
    "torch.nn.ZeroPad2d": (nn.ZeroPad2d, 2, ()),
    "torch.nn.ZeroPad3d": (nn.ZeroPad3d, 3, ()),
    "torch.nn.ConstantPad1d": (nn.ConstantPad1d, 1, (2.0,)),
    "torch.nn.ConstantPad2d": (nn.ConstantPad2d, 2, (2.0,)),
    "torch.nn.ConstantPad3d": (nn.ConstantPad3d, 3, (2.0,)),
    "torch.nn.ReflectionPad1d": (nn.ReflectionPad1d, 1, ()),
    "torch.nn.ReflectionPad2d": (nn.ReflectionPad2d, 2, ()),
    "torch.nn.ReflectionPad3d": (nn.ReflectionPad3d, 3, ()),
    "torch.nn.ReplicationPad1d": (nn.ReplicationPad1d, 1, ()),
    "torch.nn.ReplicationPad2d": (nn.ReplicationPad2d, 2, ()),
    "torch.nn.ReplicationPad3d": (nn.ReplicationPad3d, 3, ()),
    "torch.nn.CircularPad1d": (nn.CircularPad1d, 1, ()),
    "torch.nn.CircularPad2d": (nn.CircularPad2d, 2, ()),
    "torch.nn.CircularPad3d": (nn.CircularPad3d, 3, ()),
}


@given(st.sampled_from(sorted(LAYERS)), st.data())
def test_pad_layers(name, data):
    cls, n, extra = LAYERS[name]
    padding = data.draw(st.one_of(st.integers(-1, 3), pads(2 * n), pads(2 * n), pads(2)))
    shape = data.draw(padded(n))
    check(
        lambda ctx, x: apply_layer(name, ctx, (padding, *extra), {}, x), lambda x: cls(padding, *extra)(x), [T(shape)]
    )


def test_symbolic_pad_to_length():
    """Padding up to a length: no crop can go below 0, the result is the target length."""
    ctx = Checker()
    x = Shape([sym("B"), sym("L")])
    out = apply_op("torch.nn.functional.pad", ctx, x, (0, sym("T") - sym("L")))
    assert out == Shape([sym("B"), sym("T")])
    assert not ctx.conditions


def test_unknown_value_keeps_the_shape():
    """A fill value only matters to torch's check of non-constant modes: unknown, it is skipped."""
    x = Shape([sym("N"), sym("C"), sym("L")])
    out = apply_op("torch.nn.functional.pad", Checker(), x, (2, 2), "replicate", UNKNOWN)
    assert out == Shape([sym("N"), sym("C"), sym("L") + 4])

"""nn.Conv*, ConvTranspose*, LazyConv*, F.conv* and F.conv_transpose* against torch."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check

from shapelens.rules import apply_layer, apply_op

CONV = {1: ("torch.nn.Conv1d", nn.Conv1d), 2: ("torch.nn.Conv2d", nn.Conv2d), 3: ("torch.nn.Conv3d", nn.Conv3d)}
TRANSPOSED = {
    1: ("torch.nn.ConvTranspose1d", nn.ConvTranspose1d),
    2: ("torch.nn.ConvTranspose2d", nn.ConvTranspose2d),
    3: ("torch.nn.ConvTranspose3d", nn.ConvTranspose3d),
}
LAZY = {
    1: ("torch.nn.LazyConv1d", nn.LazyConv1d),
    2: ("torch.nn.LazyConv2d", nn.LazyConv2d),
    3: ("torch.nn.LazyConv3d", nn.LazyConv3d),
}
LAZY_TRANSPOSED = {
    1: ("torch.nn.LazyConvTranspose1d", nn.LazyConvTranspose1d),
    2: ("torch.nn.LazyConvTranspose2d", nn.LazyConvTranspose2d),
    3: ("torch.nn.LazyConvTranspose3d", nn.LazyConvTranspose3d),
}
F_CONV = {
    1: ["torch.nn.functional.conv1d", "torch.conv1d"],
    2: ["torch.nn.functional.conv2d", "torch.conv2d"],
    3: ["torch.nn.functional.conv3d", "torch.conv3d"],
}
F_TRANSPOSED = {
    1: ["torch.nn.functional.conv_transpose1d", "torch.conv_transpose1d"],
    2: ["torch.nn.functional.conv_transpose2d", "torch.conv_transpose2d"],
    3: ["torch.nn.functional.conv_transpose3d", "torch.conv_transpose3d"],
}
TORCH = {
    name: fn
    for n in (1, 2, 3)
    for name, fn in zip(
        F_CONV[n] + F_TRANSPOSED[n],
        (
            getattr(F, f"conv{n}d"),
            getattr(torch, f"conv{n}d"),
            getattr(F, f"conv_transpose{n}d"),
            getattr(torch, f"conv_transpose{n}d"),
        ),
    )
}
MAX_SPATIAL = {1: 9, 2: 7, 3: 5}


def sizes(data, n, low, high):
    """An int for every axis, or one int for all of them."""
    per_axis = st.tuples(*[st.integers(low, high)] * n)
    return data.draw(st.one_of(st.integers(low, high), per_axis))


def spatial(data, n, low=1):
    return tuple(data.draw(st.integers(low, MAX_SPATIAL[n])) for _ in range(n))


def conv_input(data, n, channels):
    """[N, C, *spatial] or unbatched, with near-miss channels and now and then a wrong rank."""
    c = often(data, channels, st.integers(max(1, channels - 1), channels + 1))
    shape = (c,) + spatial(data, n)
    batch = (data.draw(st.integers(1, 3)),)
    wrong = data.draw(st.sampled_from([shape[1:], (1,) + batch + shape]))
    return T(data.draw(st.sampled_from([batch + shape, shape] * 6 + [wrong])))


def per_axis(value, n):
    return value if isinstance(value, tuple) else (value,) * n


def often(data, value, other, odds=4):
    """``value`` but once in ``odds`` times, then a draw from ``other``."""
    return value if data.draw(st.sampled_from([True] * (odds - 1) + [False])) else data.draw(other)


def groups_and_channels(data):
    groups = data.draw(st.sampled_from([1, 1, 2, 3]))
    in_ch = often(data, groups * data.draw(st.integers(1, 2)), st.integers(1, 5), 8)
    out_ch = often(data, groups * data.draw(st.integers(1, 2)), st.integers(1, 5), 8)
    return groups, in_ch, out_ch


@given(st.sampled_from([1, 2, 3]), st.data())
def test_conv(n, data):
    name, module = CONV[n]
    groups, in_ch, out_ch = groups_and_channels(data)
    padding = data.draw(
        st.one_of(st.sampled_from(["same", "valid"]), st.integers(0, 2), st.tuples(*[st.integers(0, 2)] * n))
    )
    stride = often(data, 1, st.integers(1, 3)) if padding == "same" else sizes(data, n, 1, 3)
    ctor = {
        "kernel_size": sizes(data, n, 1, 3),
        "stride": stride,
        "padding": padding,
        "dilation": often(data, 1, st.integers(1, 2)),
        "groups": groups,
        "padding_mode": data.draw(st.sampled_from(["zeros", "zeros", "reflect", "replicate", "circular"])),
    }
    x = conv_input(data, n, in_ch)
    check(
        lambda ctx, x: apply_layer(name, ctx, (in_ch, out_ch), ctor, x), lambda x: module(in_ch, out_ch, **ctor)(x), [x]
    )


@given(st.sampled_from([1, 2, 3]), st.data())
def test_conv_transpose(n, data):
    name, module = TRANSPOSED[n]
    groups, in_ch, out_ch = groups_and_channels(data)
    ctor = {
        "kernel_size": sizes(data, n, 1, 4),
        "stride": sizes(data, n, 1, 3),
        "padding": often(data, 0, st.integers(0, 2)),
        "output_padding": often(data, 0, st.integers(0, 2)),
        "groups": groups,
        "dilation": sizes(data, n, 1, 2),
    }
    x = conv_input(data, n, in_ch)
    output_size = None
    if data.draw(st.integers(0, 3)) == 0:  # a requested size around the reachable ones
        k, s, p, d = (per_axis(ctor[key], n) for key in ("kernel_size", "stride", "padding", "dilation"))
        output_size = [
            data.draw(st.integers(max(0, least - 1), max(0, least + s[i])))
            for i, h in enumerate(x.shape[-n:])
            for least in [(h - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + 1]
        ]
        if data.draw(st.booleans()):
            output_size = list(x.shape[:-n]) + output_size
    check(
        lambda ctx, x: apply_layer(name, ctx, (in_ch, out_ch), ctor, x, output_size),
        lambda x: module(in_ch, out_ch, **ctor)(x, output_size),
        [x],
    )


@given(st.sampled_from([1, 2, 3]), st.data())
def test_lazy_conv(n, data):
    name, module = LAZY[n]
    groups, in_ch, out_ch = groups_and_channels(data)
    padding = data.draw(st.one_of(st.just("same"), st.integers(0, 2)))
    stride = often(data, 1, st.integers(1, 2)) if padding == "same" else sizes(data, n, 1, 2)
    ctor = {
        "kernel_size": sizes(data, n, 1, 3),
        "stride": stride,
        "padding": padding,
        "groups": groups,
        "padding_mode": data.draw(st.sampled_from(["zeros", "reflect", "circular"])),
    }
    x = conv_input(data, n, in_ch)
    check(lambda ctx, x: apply_layer(name, ctx, (out_ch,), ctor, x), lambda x: module(out_ch, **ctor)(x), [x])


@given(st.sampled_from([1, 2, 3]), st.data())
def test_lazy_conv_transpose(n, data):
    name, module = LAZY_TRANSPOSED[n]
    groups, in_ch, out_ch = groups_and_channels(data)
    ctor = {
        "kernel_size": sizes(data, n, 1, 3),
        "stride": sizes(data, n, 1, 2),
        "padding": often(data, 0, st.integers(0, 2)),
        "groups": groups,
        "bias": data.draw(st.booleans()),
    }
    x = conv_input(data, n, in_ch)
    check(lambda ctx, x: apply_layer(name, ctx, (out_ch,), ctor, x), lambda x: module(out_ch, **ctor)(x), [x])


@given(st.sampled_from([1, 2, 3]), st.data())
def test_f_conv(n, data):
    name = data.draw(st.sampled_from(F_CONV[n]))
    groups, in_ch, out_ch = groups_and_channels(data)
    kernel = tuple(data.draw(st.integers(1, 3)) for _ in range(n))
    weight = (often(data, out_ch, st.integers(1, 4), 8), often(data, in_ch // groups or 1, st.integers(1, 3), 8))
    weight = often(data, weight + kernel, st.sampled_from([weight + kernel[:-1], weight + kernel + (1,)]), 8)
    bias = often(
        data,
        data.draw(st.sampled_from([None, T((weight[0],))])),
        st.sampled_from([T((weight[0] + 1,)), T((weight[0], 1))]),
    )
    padding = data.draw(st.one_of(st.sampled_from(["same", "valid"]), st.integers(0, 2)))
    args = {
        "stride": often(data, 1, st.integers(1, 3)) if padding == "same" else sizes(data, n, 1, 3),
        "padding": padding,
        "dilation": often(data, 1, st.integers(1, 2)),
        "groups": groups,
    }
    check(
        lambda ctx, x, w, b: apply_op(name, ctx, x, w, b, **args),
        lambda x, w, b: TORCH[name](x, w, b, **args),
        [conv_input(data, n, in_ch), T(weight), bias],
    )


@given(st.sampled_from([1, 2, 3]), st.data())
def test_f_conv_transpose(n, data):
    name = data.draw(st.sampled_from(F_TRANSPOSED[n]))
    groups, in_ch, out_ch = groups_and_channels(data)
    weight = (often(data, in_ch, st.integers(1, 4), 8), max(1, out_ch // groups)) + tuple(
        data.draw(st.integers(1, 3)) for _ in range(n)
    )
    bias = often(
        data, data.draw(st.sampled_from([None, T((weight[1] * groups,))])), st.just(T((weight[1] * groups + 1,)))
    )
    args = {
        "stride": sizes(data, n, 1, 3),
        "padding": often(data, 0, st.integers(0, 2)),
        "output_padding": often(data, 0, st.integers(0, 2)),
        "groups": groups,
        "dilation": sizes(data, n, 1, 2),
    }
    x = conv_input(data, n, in_ch)
    check(
        lambda ctx, x, w, b: apply_op(name, ctx, x, w, b, **args),
        lambda x, w, b: TORCH[name](x, w, b, **args),
        [x, T(weight), bias],
    )

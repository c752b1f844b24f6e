"""Max, average, power-average, adaptive, fractional pooling and max unpooling against torch."""

from functools import reduce

import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check

from shapelens.rules import apply_layer, apply_op

MAX_SPATIAL = {1: 10, 2: 8, 3: 5}


def resolve(name):
    """``"torch.nn.functional.max_pool2d"`` -> the torch object of that name."""
    return reduce(getattr, name.split(".")[1:], torch)


def often(data, value, other, odds=4):
    """``value`` but once in ``odds`` times, then a draw from ``other``."""
    return value if data.draw(st.sampled_from([True] * (odds - 1) + [False])) else data.draw(other)


def sizes(data, n, low, high):
    """An int for every axis, or one int for all of them."""
    return data.draw(st.one_of(st.integers(low, high), st.tuples(*[st.integers(low, high)] * n)))


def pool_input(data, n, low=1):
    """[N, C, *spatial] or unbatched [C, *spatial]; now and then a rank that does not fit."""
    shape = (data.draw(st.integers(1, 3)),) + tuple(data.draw(st.integers(low, MAX_SPATIAL[n])) for _ in range(n))
    batch = (data.draw(st.integers(1, 2)),)
    wrong = data.draw(st.sampled_from([shape[1:], (1,) + batch + shape]))
    return T(data.draw(st.sampled_from([batch + shape, shape] * 6 + [wrong])))


def run_layer(name, ctor):
    return (lambda ctx, *xs: apply_layer(name, ctx, (), ctor, *xs)), (lambda *xs: resolve(name)(**ctor)(*xs))


def run_op(name, *args, **kwargs):
    return (
        (lambda ctx, x, *more: apply_op(name, ctx, x, *more, *args, **kwargs)),
        (lambda x, *more: resolve(name)(x, *more, *args, **kwargs)),
    )


# ---------------------------------------------------------------------------------------------
# max pooling

MAX_POOL = [  # (name, spatial rank, how it is called)
    ("torch.nn.MaxPool1d", 1, "layer"),
    ("torch.nn.MaxPool2d", 2, "layer"),
    ("torch.nn.MaxPool3d", 3, "layer"),
    ("torch.nn.functional.max_pool1d", 1, "f"),
    ("torch.nn.functional.max_pool2d", 2, "f"),
    ("torch.nn.functional.max_pool3d", 3, "f"),
    ("torch.nn.functional.max_pool1d_with_indices", 1, "f"),
    ("torch.nn.functional.max_pool2d_with_indices", 2, "f"),
    ("torch.nn.functional.max_pool3d_with_indices", 3, "f"),
    ("torch.max_pool1d", 1, "aten"),
    ("torch.max_pool2d", 2, "aten"),
    ("torch.max_pool3d", 3, "aten"),
    ("torch.max_pool1d_with_indices", 1, "aten"),
]


def window_args(data, n, dilation=True):
    kernel = sizes(data, n, 1, 4)
    args = {
        "kernel_size": kernel,
        "stride": often(data, None, st.one_of(st.integers(1, 3), st.tuples(*[st.integers(1, 3)] * n)), 2),
        "padding": often(data, 0, st.integers(0, 2)),
    }
    if dilation:
        args["dilation"] = often(data, 1, st.integers(1, 2))
    args["ceil_mode"] = data.draw(st.booleans())
    return args


@given(st.sampled_from(MAX_POOL), st.data())
def test_max_pool(entry, data):
    name, n, kind = entry
    args = window_args(data, n)
    if kind == "aten":
        args["stride"] = args["stride"] or ()
    else:
        args["return_indices"] = data.draw(st.booleans())
    rule, reference = run_layer(name, args) if kind == "layer" else run_op(name, **args)
    check(rule, reference, [pool_input(data, n)])


# ---------------------------------------------------------------------------------------------
# average and power-average pooling

AVG_POOL = [
    ("torch.nn.AvgPool1d", 1, "layer"),
    ("torch.nn.AvgPool2d", 2, "layer"),
    ("torch.nn.AvgPool3d", 3, "layer"),
    ("torch.nn.functional.avg_pool1d", 1, "f"),
    ("torch.avg_pool1d", 1, "f"),
    ("torch.nn.functional.avg_pool2d", 2, "f"),
    ("torch.nn.functional.avg_pool3d", 3, "f"),
]


@given(st.sampled_from(AVG_POOL), st.data())
def test_avg_pool(entry, data):
    name, n, kind = entry
    args = window_args(data, n, dilation=False)
    args["count_include_pad"] = data.draw(st.booleans())
    if n > 1:
        args["divisor_override"] = often(data, None, st.integers(0, 3))
    rule, reference = run_layer(name, args) if kind == "layer" else run_op(name, **args)
    check(rule, reference, [pool_input(data, n)])


LP_POOL = [
    ("torch.nn.LPPool1d", 1, "layer"),
    ("torch.nn.LPPool2d", 2, "layer"),
    ("torch.nn.LPPool3d", 3, "layer"),
    ("torch.nn.functional.lp_pool1d", 1, "f"),
    ("torch.nn.functional.lp_pool2d", 2, "f"),
    ("torch.nn.functional.lp_pool3d", 3, "f"),
]


@given(st.sampled_from(LP_POOL), st.data())
def test_lp_pool(entry, data):
    name, n, kind = entry
    norm = data.draw(st.sampled_from([1.0, 2, 3.5, float("inf"), float("-inf")]))
    kernel = data.draw(st.integers(1, 4)) if n == 1 else sizes(data, n, 1, 4)
    args = {
        "kernel_size": kernel,
        "stride": often(data, None, st.integers(1, 3), 2),
        "ceil_mode": data.draw(st.booleans()),
    }
    rule, reference = run_layer(name, {"norm_type": norm, **args}) if kind == "layer" else run_op(name, norm, **args)
    check(rule, reference, [pool_input(data, n)])


# ---------------------------------------------------------------------------------------------
# adaptive pooling

ADAPTIVE = [  # (name, spatial rank, how it is called, takes return_indices)
    ("torch.nn.AdaptiveAvgPool1d", 1, "layer", False),
    ("torch.nn.AdaptiveAvgPool2d", 2, "layer", False),
    ("torch.nn.AdaptiveAvgPool3d", 3, "layer", False),
    ("torch.nn.AdaptiveMaxPool1d", 1, "layer", True),
    ("torch.nn.AdaptiveMaxPool2d", 2, "layer", True),
    ("torch.nn.AdaptiveMaxPool3d", 3, "layer", True),
    ("torch.nn.functional.adaptive_avg_pool1d", 1, "f", False),
    ("torch.adaptive_avg_pool1d", 1, "f", False),
    ("torch.nn.functional.adaptive_avg_pool2d", 2, "f", False),
    ("torch.nn.functional.adaptive_avg_pool3d", 3, "f", False),
    ("torch.nn.functional.adaptive_max_pool1d", 1, "f", True),
    ("torch.nn.functional.adaptive_max_pool2d", 2, "f", True),
    ("torch.nn.functional.adaptive_max_pool3d", 3, "f", True),
    ("torch.nn.functional.adaptive_max_pool1d_with_indices", 1, "f", True),
    ("torch.nn.functional.adaptive_max_pool2d_with_indices", 2, "f", True),
    ("torch.nn.functional.adaptive_max_pool3d_with_indices", 3, "f", True),
    ("torch.adaptive_max_pool1d", 1, "f", False),
]


@given(st.sampled_from(ADAPTIVE), st.data())
def test_adaptive_pool(entry, data):
    name, n, kind, indices = entry
    one = st.sampled_from([2, -1, 1, 0, 3, 4])
    if n == 1:
        output_size = data.draw(st.one_of(one, st.tuples(one)))
    else:
        output_size = data.draw(st.one_of(one, st.tuples(*[st.one_of(one, st.none())] * n)))
    args = {"output_size": output_size}
    if indices:
        args["return_indices"] = data.draw(st.booleans())
    rule, reference = run_layer(name, args) if kind == "layer" else run_op(name, **args)
    check(rule, reference, [pool_input(data, n)])


# ---------------------------------------------------------------------------------------------
# max unpooling

UNPOOL = [
    ("torch.nn.MaxUnpool1d", 1, "layer"),
    ("torch.nn.MaxUnpool2d", 2, "layer"),
    ("torch.nn.MaxUnpool3d", 3, "layer"),
    ("torch.nn.functional.max_unpool1d", 1, "f"),
    ("torch.nn.functional.max_unpool2d", 2, "f"),
    ("torch.nn.functional.max_unpool3d", 3, "f"),
]


@given(st.sampled_from(UNPOOL), st.data())
def test_max_unpool(entry, data):
    name, n, kind = entry
    x = pool_input(data, n)
    indices = often(data, x.shape, st.sampled_from([x.shape[:-1] + (x.shape[-1] + 1,), x.shape[1:]]), 6)
    k = sizes(data, n, 1, 3)
    stride = often(data, None, st.integers(1, 3), 2)
    padding = often(data, 0, st.integers(0, 2))
    output_size = None
    if len(x.shape) >= n and data.draw(st.booleans()):
        per = lambda v: v if isinstance(v, tuple) else (v,) * n  # noqa: E731
        kk, ss, pp = per(k), per(stride if stride is not None else k), per(padding)
        base = [(h - 1) * si + ki - 2 * pi for h, ki, si, pi in zip(x.shape[-n:], kk, ss, pp)]
        output_size = [data.draw(st.integers(max(0, b - si), max(0, b + si))) for b, si in zip(base, ss)]
        if data.draw(st.booleans()):
            output_size = [1, 1] + output_size
    ctor = {"kernel_size": k, "stride": stride, "padding": padding}
    if kind == "layer":
        rule = lambda ctx, x, i: apply_layer(name, ctx, (), ctor, x, i, output_size)  # noqa: E731
        reference = lambda x, i: resolve(name)(**ctor)(x, i, output_size)  # noqa: E731
    else:
        rule, reference = run_op(name, output_size=output_size, **ctor)
    check(rule, reference, [x, T(indices, dtype=torch.long)])


# ---------------------------------------------------------------------------------------------
# fractional max pooling

FRACTIONAL = [
    ("torch.nn.FractionalMaxPool2d", 2, "layer"),
    ("torch.nn.FractionalMaxPool3d", 3, "layer"),
    ("torch.nn.functional.fractional_max_pool2d", 2, "f"),
    ("torch.nn.functional.fractional_max_pool3d", 3, "f"),
    ("torch.nn.functional.fractional_max_pool2d_with_indices", 2, "f"),
    ("torch.nn.functional.fractional_max_pool3d_with_indices", 3, "f"),
]


@given(st.sampled_from(FRACTIONAL), st.data())
def test_fractional_max_pool(entry, data):
    name, n, kind = entry
    x = pool_input(data, n, low=2)
    args = {"kernel_size": sizes(data, n, 1, 3), "return_indices": data.draw(st.booleans())}
    ratio = st.sampled_from([0.25, 0.5, 0.75, 0.3, 0.7])
    if data.draw(st.booleans()):
        args["output_size"] = sizes(data, n, 1, 4)
    elif kind == "layer":
        args["output_ratio"] = data.draw(st.one_of(ratio, st.tuples(*[ratio] * n)))
    else:
        args["output_ratio"] = data.draw(st.tuples(*[ratio] * n))
    if kind == "f" and data.draw(st.integers(0, 3)) == 0:
        batch = x.shape[0] if len(x.shape) == n + 2 else 1
        channels = x.shape[-n - 1] if len(x.shape) > n else 1
        shape = often(data, (batch, channels, n), st.sampled_from([(batch, channels + 1, n), (batch, channels)]), 2)
        check(
            lambda ctx, x, r: apply_op(name, ctx, x, _random_samples=r, **args),
            lambda x, r: resolve(name)(x, _random_samples=r, **args),
            [x, T(shape)],
        )
        return
    rule, reference = run_layer(name, args) if kind == "layer" else run_op(name, **args)
    check(rule, reference, [x])

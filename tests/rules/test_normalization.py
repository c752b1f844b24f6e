"""BatchNorm, InstanceNorm, LayerNorm, GroupNorm, RMSNorm, LRN and their functional forms against torch."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import assume, given
from hypothesis import strategies as st
from oracle import T, check
from strategies import near, shapes

from shapelens.rules import apply_layer, apply_op

SMALL = st.sampled_from([1, 2, 2, 3])  # batch and spatial sizes: 1 often, for "more than 1 value" errors
VALID_RANKS = {
    "torch.nn.BatchNorm1d": st.sampled_from([2, 3]),
    "torch.nn.BatchNorm2d": st.just(4),
    "torch.nn.BatchNorm3d": st.just(5),
    "torch.nn.SyncBatchNorm": st.integers(2, 5),
}
LAZY = {
    "torch.nn.LazyBatchNorm1d": "torch.nn.BatchNorm1d",
    "torch.nn.LazyBatchNorm2d": "torch.nn.BatchNorm2d",
    "torch.nn.LazyBatchNorm3d": "torch.nn.BatchNorm3d",
}  # and the layer whose ranks they take


def _module(name: str):
    return getattr(nn, name.rsplit(".", 1)[-1])


def _input(data, rank: int, channels: int) -> T:
    dims = [data.draw(SMALL), channels] + [data.draw(SMALL) for _ in range(rank - 2)]
    return T(tuple(dims[:rank]))


def _rank(data, valid):
    """A valid rank most of the time, else any from 0 to 6."""
    return data.draw(st.one_of(valid, valid, valid, st.integers(0, 6)))


def _mostly(value: int):
    """``value`` most of the time, else a near miss."""
    return st.one_of(st.just(value), st.just(value), near(value, 1))


SIZES_OR_NOT = st.sampled_from([1, 2, 3, 4] * 3 + [0, -1])  # a size, rarely a wrong one


def _near_miss(data, c: int) -> T:
    """A per-channel tensor that holds about C values, or has the wrong rank."""
    return data.draw(
        st.one_of(st.integers(max(c - 1, 0), c + 1).map(lambda n: T((n,))), st.sampled_from([T((1, c)), T(())]))
    )


def _per_channel(data, c: int, count: int) -> list:
    """``count`` weights or biases: None or C values."""
    return [data.draw(st.sampled_from([None, T((c,))])) for _ in range(count)]


def _maybe_miss(data, values: list, c: int) -> list:
    """A third of the time, one of the per-channel tensors becomes a near miss."""
    if data.draw(st.sampled_from([False, False, True])):
        values[data.draw(st.integers(0, len(values) - 1))] = _near_miss(data, c)
    return values


def _one_value_per_channel(shape: tuple) -> bool:
    return len(shape) >= 1 and shape[0] * int(torch.tensor(shape[2:]).prod()) == 1


def _stats(data, c: int, required: bool) -> list:
    """running_mean and running_var: both, or neither unless required, most of the time."""
    which = data.draw(st.sampled_from(["both"] * 4 + ["neither"] * (1 if required else 4) + ["mean", "var"]))
    return [T((c,)) if which in ("both", "mean") else None, T((c,)) if which in ("both", "var") else None]


SHAPES = st.one_of(shapes(2, 4, 1, 3), shapes(2, 4, 1, 3), shapes(0, 4, 0, 3))


@given(st.sampled_from(sorted(VALID_RANKS)), SIZES_OR_NOT, st.booleans(), st.booleans(), st.booleans(), st.data())
def test_batch_norm(name, num_features, affine, track, bias, data):
    x = _input(data, _rank(data, VALID_RANKS[name]), data.draw(_mostly(max(num_features, 0))))
    ctor = {"affine": affine, "track_running_stats": track, "bias": bias}
    check(
        lambda ctx, x: apply_layer(name, ctx, (num_features,), ctor, x),
        lambda x: _module(name)(num_features, **ctor)(x),
        [x],
    )


@given(st.sampled_from(sorted(LAZY)), st.booleans(), st.booleans(), st.sampled_from([1, 2, 3] * 3 + [0]), st.data())
def test_lazy_batch_norm(name, affine, track, channels, data):
    x = _input(data, _rank(data, VALID_RANKS[LAZY[name]]), channels)
    ctor = {"affine": affine, "track_running_stats": track}
    check(lambda ctx, x: apply_layer(name, ctx, (), ctor, x), lambda x: _module(name)(**ctor)(x), [x])


@given(
    st.sampled_from(["functional", "torch"]),
    SHAPES,
    st.booleans(),
    st.sampled_from([1e-5] * 6 + [0.0, -1.0]),
    st.data(),
)
def test_f_batch_norm(form, shape, training, eps, data):
    c = shape[1] if len(shape) > 1 else 2
    mean, var, weight, bias = _maybe_miss(data, _stats(data, c, not training) + _per_channel(data, c, 2), c)
    # torch.batch_norm's meta kernel divides by zero (a ZeroDivisionError) updating the running
    # variance from one value per channel; the CPU kernel returns. F.batch_norm rejects it before.
    assume(not (form == "torch" and training and (mean or var) and _one_value_per_channel(shape)))
    if form == "functional":
        check(
            lambda ctx, *a: apply_op("torch.nn.functional.batch_norm", ctx, *a, training=training, eps=eps),
            lambda *a: F.batch_norm(*a, training=training, eps=eps),
            [T(shape), mean, var, weight, bias],
        )
    else:
        check(
            lambda ctx, *a: apply_op("torch.batch_norm", ctx, *a, training, 0.1, eps, False),
            lambda *a: torch.batch_norm(*a, training, 0.1, eps, False),
            [T(shape), weight, bias, mean, var],
        )


@given(
    st.sampled_from(
        [
            ("torch.nn.InstanceNorm1d", 1),
            ("torch.nn.InstanceNorm2d", 2),
            ("torch.nn.InstanceNorm3d", 3),
            ("torch.nn.LazyInstanceNorm1d", 1),
            ("torch.nn.LazyInstanceNorm2d", 2),
            ("torch.nn.LazyInstanceNorm3d", 3),
        ]
    ),
    st.integers(1, 4),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.data(),
)
def test_instance_norm(layer, num_features, affine, track, batched, data):
    name, spatial = layer
    rank = data.draw(st.sampled_from([spatial + 1 + batched] * 4 + [spatial, spatial + 2 + batched, spatial + 3]))
    lead = [data.draw(SMALL)] * batched + [data.draw(_mostly(num_features))]
    x = T(tuple(lead + [data.draw(st.integers(1, 4)) for _ in range(rank)])[:rank])
    ctor = {"affine": affine, "track_running_stats": track}
    args = () if "Lazy" in name else (num_features,)
    check(lambda ctx, x: apply_layer(name, ctx, args, ctor, x), lambda x: _module(name)(*args, **ctor)(x), [x])


@given(
    st.sampled_from(["functional", "torch"]),
    st.one_of(shapes(3, 5, 1, 3), shapes(0, 4, 0, 3)),
    st.booleans(),
    st.data(),
)
def test_f_instance_norm(form, shape, use_input_stats, data):
    c = shape[1] if len(shape) > 1 else 2
    mean, var, weight, bias = _maybe_miss(data, _stats(data, c, not use_input_stats) + _per_channel(data, c, 2), c)
    # as in test_f_batch_norm: instance norm is batch norm over [1, N*C, *spatial]
    assume(not (form == "torch" and use_input_stats and (mean or var) and _one_value_per_channel((1,) + shape[1:])))
    if form == "functional":
        check(
            lambda ctx, *a: apply_op("torch.nn.functional.instance_norm", ctx, *a, use_input_stats),
            lambda *a: F.instance_norm(*a, use_input_stats),
            [T(shape), mean, var, weight, bias],
        )
    else:
        check(
            lambda ctx, *a: apply_op("torch.instance_norm", ctx, *a, use_input_stats, 0.1, 1e-5, False),
            lambda *a: torch.instance_norm(*a, use_input_stats, 0.1, 1e-5, False),
            [T(shape), weight, bias, mean, var],
        )


def _normalized_shape(data, shape: tuple):
    """The input's trailing shape, sometimes with one size off, as an int or a tuple of 0 to 3 sizes."""
    n = data.draw(st.sampled_from(list(range(1, len(shape) + 1)) * 4 + [0, 1, 2, 3]))
    tail = list(shape[len(shape) - n :]) if n <= len(shape) else [2] * (n - len(shape)) + list(shape)
    if tail and data.draw(st.sampled_from([False, False, True])):
        i = data.draw(st.integers(0, len(tail) - 1))
        tail[i] = data.draw(near(tail[i], 1))
    if len(tail) == 1 and data.draw(st.booleans()):
        return tail[0]
    return tuple(tail)


def _affine(data, normalized_shape):
    """None, the normalized shape, or a wrong shape."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
    return data.draw(
        st.one_of(
            st.none(),
            st.just(T(shape)),
            st.none(),
            st.just(T(shape)),
            st.just(T((1,) + shape)),
            st.lists(st.integers(1, 4), max_size=2).map(lambda s: T(tuple(s))),
        )
    )


@given(
    st.sampled_from(
        [
            "torch.nn.LayerNorm",
            "torch.nn.RMSNorm",
            "torch.nn.functional.layer_norm",
            "torch.layer_norm",
            "torch.nn.functional.rms_norm",
            "torch.rms_norm",
        ]
    ),
    st.one_of(shapes(1, 4, 1, 4), shapes(0, 4, 1, 4)),
    st.booleans(),
    st.data(),
)
def test_layer_norm(form, shape, elementwise_affine, data):
    normalized_shape = _normalized_shape(data, shape)
    if form in ("torch.nn.LayerNorm", "torch.nn.RMSNorm"):
        ctor = {"elementwise_affine": elementwise_affine}
        check(
            lambda ctx, x: apply_layer(form, ctx, (normalized_shape,), ctor, x),
            lambda x: _module(form)(normalized_shape, **ctor)(x),
            [T(shape)],
        )
        return
    weight, bias = _affine(data, normalized_shape), _affine(data, normalized_shape)
    shape_list = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
    if form == "torch.nn.functional.layer_norm":
        check(
            lambda ctx, x, w, b: apply_op("torch.nn.functional.layer_norm", ctx, x, shape_list, w, b),
            lambda x, w, b: F.layer_norm(x, shape_list, w, b),
            [T(shape), weight, bias],
        )
    elif form == "torch.layer_norm":
        check(
            lambda ctx, x, w, b: apply_op("torch.layer_norm", ctx, x, shape_list, w, b),
            lambda x, w, b: torch.layer_norm(x, shape_list, w, b),
            [T(shape), weight, bias],
        )
    else:
        reference = F.rms_norm if form == "torch.nn.functional.rms_norm" else torch.rms_norm
        check(
            lambda ctx, x, w: apply_op(form, ctx, x, shape_list, w),
            lambda x, w: reference(x, shape_list, w),
            [T(shape), weight],
        )


@given(SIZES_OR_NOT, st.integers(0, 3), st.booleans(), st.data())
def test_group_norm(num_groups, per_group, affine, data):
    if num_groups == 0:  # torch raises ZeroDivisionError, which is no shape error
        num_groups = 1
    num_channels = data.draw(st.one_of(st.just(abs(num_groups) * per_group), near(abs(num_groups) * per_group, 1)))
    x = _input(data, _rank(data, st.integers(2, 4)), data.draw(_mostly(num_channels)))
    ctor = {"affine": affine}
    check(
        lambda ctx, x: apply_layer("torch.nn.GroupNorm", ctx, (num_groups, num_channels), ctor, x),
        lambda x: nn.GroupNorm(num_groups, num_channels, **ctor)(x),
        [x],
    )


@given(
    st.sampled_from(["torch.nn.functional.group_norm", "torch.group_norm"]), SIZES_OR_NOT, st.integers(1, 3), st.data()
)
def test_f_group_norm(name, num_groups, per_group, data):
    if num_groups == 0:
        num_groups = 2
    c = data.draw(st.one_of(st.just(abs(num_groups) * per_group), near(abs(num_groups) * per_group, 2)))
    x = _input(data, _rank(data, st.integers(2, 4)), c)
    weight, bias = _maybe_miss(data, _per_channel(data, c, 2), c)
    reference = F.group_norm if name.endswith("functional.group_norm") else torch.group_norm
    check(
        lambda ctx, x, w, b: apply_op(name, ctx, x, num_groups, w, b),
        lambda x, w, b: reference(x, num_groups, w, b),
        [x, weight, bias],
    )


SIZES = st.one_of(st.integers(1, 6), st.integers(-5, 0))


@given(
    st.sampled_from(["LocalResponseNorm", "local_response_norm"]),
    SIZES,
    st.one_of(shapes(3, 5, 1, 4), shapes(1, 6, 0, 4)),
)
def test_local_response_norm(form, size, shape):
    if form == "LocalResponseNorm":
        check(
            lambda ctx, x: apply_layer("torch.nn.LocalResponseNorm", ctx, (size,), {}, x),
            lambda x: nn.LocalResponseNorm(size)(x),
            [T(shape)],
        )
    else:
        check(
            lambda ctx, x: apply_op("torch.nn.functional.local_response_norm", ctx, x, size),
            lambda x: F.local_response_norm(x, size),
            [T(shape)],
        )


@given(
    SIZES.filter(lambda size: size != 0),  # size 0 divides by zero: a ZeroDivisionError, no shape error
    st.one_of(shapes(4, 4, 1, 4), shapes(4, 4, 0, 4), shapes(2, 6, 1, 4)),
)
def test_cross_map_lrn_2d(size, shape):
    check(
        lambda ctx, x: apply_layer("torch.nn.CrossMapLRN2d", ctx, (size,), {}, x),
        lambda x: nn.CrossMapLRN2d(size)(x),
        [T(shape)],
    )


@given(
    shapes(0, 4, 0, 4),
    st.sampled_from([2.0, 2.0, 1, 0, -1, float("inf"), "fro", "nuc"]),
    st.one_of(st.none(), st.integers(-3, 3), st.lists(st.integers(-3, 3), max_size=3).map(tuple)),
)
def test_normalize(shape, p, dim):
    check(
        lambda ctx, x: apply_op("torch.nn.functional.normalize", ctx, x, p, dim),
        lambda x: F.normalize(x, p, dim),
        [T(shape)],
    )

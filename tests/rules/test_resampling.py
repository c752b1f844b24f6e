"""interpolate/upsample (functions and layers), pixel (un)shuffle, fold/unfold and channel shuffle
against torch."""

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check, on_cpu
from strategies import near, shapes

from shapelens.dims import UNKNOWN, Checker, Lost, Shape, sym
from shapelens.rules import apply_layer, apply_op

# the meta kernels of the interpolating modes are slow Python decompositions: torch runs on CPU
MODES = ["nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact", "lanczos"]
RANKS = {
    "nearest": (3, 4, 5),
    "nearest-exact": (3, 4, 5),
    "area": (3, 4, 5),
    "linear": (3,),
    "bilinear": (4,),
    "trilinear": (5,),
    "bicubic": (4,),
    "lanczos": (4,),
}
# exact binary fractions, decimals above and below their double, and integers
SCALES = st.sampled_from([2, 3, 2.0, 0.5, 1.5, 0.25, 1.1, 0.3, 0.29, 2 / 3, 1.75, 0.0])


def mostly(good, bad):
    """``good`` about five times as often as ``bad`` (hypothesis favours 0 and the ends of lists)."""
    return st.integers(0, 9).flatmap(lambda i: bad if i in (4, 5) else good)


def seldom(usual, other):
    """``other`` about one time in fifteen."""
    return st.integers(0, 9).flatmap(lambda i: other if i == 5 else usual)


@st.composite
def resample_args(draw, mode):
    """An input for ``mode`` (mostly of a rank it takes) and exactly one of size/scale (mostly)."""
    rank = draw(mostly(st.sampled_from(RANKS[mode]), st.integers(1, 6)))
    empty = draw(mostly(st.just(False), st.just(True)))
    shape = draw(shapes(rank, rank, min_dim=0 if empty else 1, max_dim=3 if empty else 5))
    dim = max(rank - 2, 0)
    n = draw(mostly(st.just(dim), st.integers(0, 4)))
    one = mostly(st.integers(1, 7), st.integers(-1, 1))
    size = draw(st.one_of(one, st.lists(one, min_size=n, max_size=n).map(tuple)))
    scale = draw(st.one_of(SCALES, st.lists(SCALES, min_size=n, max_size=n).map(tuple)))
    which = draw(seldom(st.sampled_from(["size", "scale"]), st.sampled_from(["both", "neither"])))
    return (shape, size if which in ("size", "both") else None, scale if which in ("scale", "both") else None)


@given(st.sampled_from(MODES), st.data())
def test_interpolate(mode, data):
    shape, size, scale = data.draw(resample_args(mode))
    align = data.draw(seldom(st.just(None), st.booleans()))
    recompute = data.draw(seldom(st.sampled_from([None, False]), st.just(True)))
    antialias = data.draw(seldom(st.just(False), st.just(True))) or mode == "lanczos"
    check(
        lambda ctx, x: apply_op(
            "torch.nn.functional.interpolate", ctx, x, size, scale, mode, align, recompute, antialias
        ),
        on_cpu(lambda x: F.interpolate(x, size, scale, mode, align, recompute, antialias)),
        [T(shape)],
    )


UPSAMPLE_ALIASES = {  # name: (function or layer class, its mode, whether it is a layer)
    "torch.nn.functional.upsample": (F.upsample, None, False),
    "torch.nn.functional.upsample_nearest": (F.upsample_nearest, "nearest", False),
    "torch.nn.functional.upsample_bilinear": (F.upsample_bilinear, "bilinear", False),
    "torch.nn.Upsample": (nn.Upsample, None, True),
    "torch.nn.UpsamplingNearest2d": (nn.UpsamplingNearest2d, "nearest", True),
    "torch.nn.UpsamplingBilinear2d": (nn.UpsamplingBilinear2d, "bilinear", True),
}


@given(st.sampled_from(sorted(UPSAMPLE_ALIASES)), st.sampled_from(MODES[:-1]), st.data())
def test_upsample_aliases(name, mode, data):
    """The deprecated functions and the layers: interpolate with their mode, or the one given."""
    fn, fixed, is_layer = UPSAMPLE_ALIASES[name]
    shape, size, scale = data.draw(resample_args(fixed or mode))
    args, kwargs = (size, scale), {}
    if not fixed:
        align = None if mode in ("nearest", "area", "nearest-exact") else data.draw(st.sampled_from([None, True]))
        args = (size, scale, mode, align)
        if is_layer and data.draw(st.booleans()):
            kwargs["recompute_scale_factor"] = data.draw(st.booleans())
    if is_layer:
        check(
            lambda ctx, x: apply_layer(name, ctx, args, kwargs, x), on_cpu(lambda x: fn(*args, **kwargs)(x)), [T(shape)]
        )
    else:
        check(lambda ctx, x: apply_op(name, ctx, x, *args), on_cpu(lambda x: fn(x, *args)), [T(shape)])


def test_symbolic_scale():
    """A binary fraction or a decimal above its double scales symbolically; 0.29 does not."""
    x = Shape([sym("N"), sym("C"), sym("H"), sym("W")])
    out = apply_op("torch.nn.functional.interpolate", Checker(), x, None, (1.5, 1.1), "bilinear")
    assert out.to_json() == ["N", "C", "H + H//2", "W + W//10"]
    assert apply_op("torch.nn.functional.interpolate", Checker(), x, None, 2).to_json() == ["N", "C", "2*H", "2*W"]
    with pytest.raises(Lost):
        apply_op("torch.nn.functional.interpolate", Checker(), x, None, 0.29)


def test_unknown_flags_keep_the_shape():
    """Flags that only decide whether torch accepts the call are skipped when unknown."""
    x = Shape([sym("N"), sym("C"), sym("L")])
    out = apply_op("torch.nn.functional.interpolate", Checker(), x, sym("T"), None, "nearest", UNKNOWN, UNKNOWN)
    assert out == Shape([sym("N"), sym("C"), sym("T")])


# -- pixel shuffle ---------------------------------------------------------------------------


FACTORS = mostly(st.sampled_from([2, 3, 1]), st.sampled_from([-1, 0]))


@given(FACTORS, st.data())
def test_pixel_shuffle(r, data):
    c = data.draw(near(r * r * data.draw(st.integers(1, 2)), 2))
    shape = data.draw(
        mostly(
            shapes(0, 2, max_dim=3)
            .map(lambda b: b + (c,))
            .flatmap(lambda b: shapes(2, 2, max_dim=4).map(lambda hw: b + hw)),
            shapes(0, 2),
        )
    )
    name, fn = data.draw(
        st.sampled_from(
            [("torch.pixel_shuffle", torch.pixel_shuffle), ("torch.nn.functional.pixel_shuffle", F.pixel_shuffle)]
        )
    )
    check(lambda ctx, x: apply_op(name, ctx, x, r), lambda x: fn(x, r), [T(shape)])
    check(
        lambda ctx, x: apply_layer("torch.nn.PixelShuffle", ctx, (r,), {}, x),
        lambda x: nn.PixelShuffle(r)(x),
        [T(shape)],
    )


@given(FACTORS, st.data())
def test_pixel_unshuffle(r, data):
    h, w = (data.draw(near(abs(r) * data.draw(st.integers(1, 3)), 1)) for _ in "hw")
    c = data.draw(mostly(st.integers(1, 3), st.just(0)))
    shape = data.draw(mostly(shapes(0, 2, max_dim=3).map(lambda b: b + (c, h, w)), shapes(0, 2)))
    name, fn = data.draw(
        st.sampled_from(
            [
                ("torch.pixel_unshuffle", torch.pixel_unshuffle),
                ("torch.nn.functional.pixel_unshuffle", F.pixel_unshuffle),
            ]
        )
    )
    check(lambda ctx, x: apply_op(name, ctx, x, r), lambda x: fn(x, r), [T(shape)])
    check(
        lambda ctx, x: apply_layer("torch.nn.PixelUnshuffle", ctx, (r,), {}, x),
        lambda x: nn.PixelUnshuffle(r)(x),
        [T(shape)],
    )


# -- fold / unfold ---------------------------------------------------------------------------


def pair(lo, hi):
    return st.one_of(st.integers(lo, hi), st.tuples(st.integers(lo, hi), st.integers(lo, hi)))


# kernel_size, dilation, padding, stride: mostly valid, sometimes one is zero, negative or not 2 values
GOOD = (pair(1, 3), pair(1, 2), pair(0, 1), pair(1, 2))
BAD = (st.sampled_from([0, (1, 2, 3)]), st.sampled_from([0, (1,)]), st.just(-1), st.sampled_from([0, (2, 0)]))
WINDOW = mostly(
    st.tuples(*GOOD), st.integers(0, 3).flatmap(lambda i: st.tuples(*(BAD[j] if j == i else GOOD[j] for j in range(4))))
)


def blocks(size, k, d, p, s):
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def as_pair(v):
    return tuple(v) if isinstance(v, tuple) else (v, v)


@given(WINDOW, mostly(shapes(3, 4, max_dim=6), shapes(1, 5, min_dim=0, max_dim=4)))
def test_unfold(args, shape):
    k, d, p, s = args
    check(
        lambda ctx, x: apply_op("torch.nn.functional.unfold", ctx, x, k, d, p, s),
        lambda x: F.unfold(x, k, d, p, s),
        [T(shape)],
    )
    check(
        lambda ctx, x: apply_layer("torch.nn.Unfold", ctx, (k, d, p, s), {}, x),
        lambda x: nn.Unfold(k, d, p, s)(x),
        [T(shape)],
    )


@given(WINDOW, mostly(pair(2, 6), st.sampled_from([0, (3,)])), st.data())
def test_fold(args, output_size, data):
    k, d, p, s = args
    try:  # an input that fits, when the arguments let one fit, then near misses around it
        plane = as_pair(k)[0] * as_pair(k)[1]
        length = 1
        for o, kk, dd, pp, ss in zip(as_pair(output_size), as_pair(k), as_pair(d), as_pair(p), as_pair(s)):
            length *= blocks(o, kk, dd, pp, ss)
    except (ValueError, ZeroDivisionError):
        plane, length = 2, 2
    c = data.draw(mostly(st.integers(1, 2).map(lambda n: max(plane, 1) * n), st.integers(1, 9)))
    length = data.draw(mostly(st.just(max(length, 1)), st.integers(1, 9)))
    shape = data.draw(
        mostly(st.sampled_from([(c, length), (1, c, length), (2, c, length), (0, c, length)]), shapes(1, 4, max_dim=4))
    )
    check(
        lambda ctx, x: apply_op("torch.nn.functional.fold", ctx, x, output_size, k, d, p, s),
        lambda x: F.fold(x, output_size, k, d, p, s),
        [T(shape)],
    )
    check(
        lambda ctx, x: apply_layer("torch.nn.Fold", ctx, (output_size, k, d, p, s), {}, x),
        lambda x: nn.Fold(output_size, k, d, p, s)(x),
        [T(shape)],
    )


def test_symbolic_unfold_then_fold():
    """unfold's block count is symbolic; fold back to the same size needs no condition."""
    ctx = Checker()
    x = Shape([sym("N"), sym("C"), sym("H"), sym("W")])
    cols = apply_op("torch.nn.functional.unfold", ctx, x, 3, 1, 1, 1)
    assert cols.to_json() == ["N", "9*C", "H*W"]
    back = apply_op("torch.nn.functional.fold", ctx, cols, (sym("H"), sym("W")), 3, 1, 1, 1)
    assert back == x and not ctx.conditions


# -- channel shuffle -------------------------------------------------------------------------

CHANNEL_SHUFFLES = {
    "torch.channel_shuffle": torch.channel_shuffle,
    "torch.nn.functional.channel_shuffle": F.channel_shuffle,
    "torch.native_channel_shuffle": torch.native_channel_shuffle,
    "torch.nn.functional.native_channel_shuffle": F.native_channel_shuffle,
}


@given(
    mostly(st.sampled_from([2, 3, 1]), st.sampled_from([0, -2])), st.sampled_from(sorted(CHANNEL_SHUFFLES)), st.data()
)
def test_channel_shuffle(groups, name, data):
    c = data.draw(near(max(groups, 1) * data.draw(st.integers(1, 2)), 1))
    shape = data.draw(mostly(shapes(1, 3, max_dim=4).map(lambda rest: (2, c) + rest), shapes(0, 3)))
    check(lambda ctx, x: apply_op(name, ctx, x, groups), lambda x: CHANNEL_SHUFFLES[name](x, groups), [T(shape)])
    check(
        lambda ctx, x: apply_layer("torch.nn.ChannelShuffle", ctx, (groups,), {}, x),
        lambda x: nn.ChannelShuffle(groups)(x),
        [T(shape)],
    )

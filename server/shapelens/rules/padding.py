"""Padding: F.pad, torch.constant_pad_nd and the ZeroPad/ConstantPad/ReflectionPad/ReplicationPad/
CircularPad layers.

``pad`` lists (left, right) pairs from the last axis backwards; a negative pad crops. Constant
padding works on any rank; the other modes pad 1, 2 or 3 trailing axes of a tensor with one or
two more axes (an optional batch axis and a channel axis). The requirements are stated without
branching on the pads' signs, so that a symbolic pad (``T - x.size(-1)``) keeps inference.
"""

from __future__ import annotations

from .. import codes
from ..dims import UNKNOWN, Checker, Lost, Shape, any_of, dim_text, dmax, dmin, ge, is_dim, le, lt, ne
from ._common import ntuple_as_is, tensor
from ._registry import layer, op

_MODES = ("constant", "reflect", "replicate", "circular")
_AXES = "WHD"  # the padded axes, last first, as torch's messages name them


def _padding(padding, n: int) -> tuple:
    """The layers' padding: an int n times, a sequence as it is; Lost unless every size is known."""
    return _pads(ntuple_as_is(padding, n))


def _pads(pad) -> tuple:
    if not isinstance(pad, (tuple, list)) or not all(is_dim(p) for p in pad):
        raise Lost("the padding is not known statically")
    return tuple(pad)


def _pairs(x: Shape, pad: tuple) -> list:
    """``(axis, size, left, right)`` for each padded axis, the last axis first."""
    return [(-1 - i, x[-1 - i], pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)]


def _has_axes(x: Shape, n: int) -> bool:
    """Whether ``x`` has at least ``n`` axes (a shape of unknown rank may, by its known last axes)."""
    if x.is_fixed:
        return x.rank >= n
    if len(x.suffix) >= n:
        return True
    raise Lost(f"the rank of {x} is not known")


def _pad(ctx: Checker, x: Shape, pad: tuple, mode, value) -> Shape:
    """``torch._C._nn.pad``: check the mode and the pad length, then dispatch on the mode."""
    ctx.check(mode in _MODES, codes.INVALID_ARGUMENT, lambda: f"Unrecognised padding mode {mode}", param="mode")
    ctx.check(len(pad) % 2 == 0, codes.INVALID_ARGUMENT, "Padding length must be divisible by 2", param="pad")
    ctx.check(
        _has_axes(x, len(pad) // 2),
        codes.PAD_RANK,
        lambda: (
            f"Padding length should be less than or equal to two times the input dimension but "
            f"got padding length {len(pad)} and input of dimension {x.rank}"
        ),
        param="pad",
        arg="input",
    )
    if mode == "constant":
        return _constant(ctx, x, pad)
    ctx.check(
        value is None or value is UNKNOWN or value == 0,
        codes.INVALID_ARGUMENT,
        f'Padding mode "{mode}" doesn\'t take in value argument',
        param="value",
    )
    n = len(pad) // 2
    ctx.check(
        n in (1, 2, 3) and x.rank in (n + 1, n + 2),
        codes.PAD_RANK,
        lambda: (
            f"Padding size {len(pad)} is not supported for {x.rank}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
        ),
        param="pad",
        arg="input",
    )
    if mode == "circular":
        return _circular(ctx, x, pad)
    return _reflect_or_replicate(ctx, x, pad, reflect=mode == "reflect")


def _constant(ctx: Checker, x: Shape, pad: tuple) -> Shape:
    """at::constant_pad_nd: negative pads narrow the input first, and may not narrow below 0."""
    out = []
    for axis, size, left, right in _pairs(x, pad):
        kept = dmin(size, size + left, size + right, size + left + right)  # size + crops
        ctx.check(
            ge(kept, 0), codes.PAD_CROP, "narrow(): length must be non-negative.", param="pad", arg="input", axis=axis
        )
        out.append(size + left + right)
    return x.with_last(len(out), reversed(out))


def _reflect_or_replicate(ctx: Checker, x: Shape, pad: tuple, *, reflect: bool) -> Shape:
    """reflection_pad{1,2,3}d / replication_pad{1,2,3}d: non-empty planes, and some output left."""
    n = len(pad) // 2
    batch = x.rank == n + 2
    for axis in range(1 if batch else 0, x.rank):
        ctx.check(
            ne(x[axis], 0),
            codes.PAD_EMPTY_INPUT,
            lambda: (
                f"Expected {n + 1}D or {n + 2}D (batch mode) tensor with possibly 0 batch size and "
                f"other non-zero dimensions for input, but got: {x}"
            ),
            arg="input",
            axis=axis,
        )
    pairs = _pairs(x, pad)
    if reflect:
        for i, (axis, size, left, right) in enumerate(pairs):
            message = (
                f"Argument #{4 + 2 * i}: Padding size should be less than the corresponding input "
                f"dimension, but got: padding ({dim_text(left)}, {dim_text(right)}) at dimension "
                f"{x.rank + axis} of input {x}"
            )
            ctx.check(lt(dmax(left, right), size), codes.PAD_TOO_LARGE, message, param="pad", arg="input", axis=axis)
    out = [size + left + right for _, size, left, right in pairs]
    shape = x.with_last(n, reversed(out))
    for (axis, _, _, _), d in zip(pairs, out):
        ctx.check(
            ge(d, 0),
            codes.PAD_CROP,
            lambda: f"Trying to create tensor with negative dimension {dim_text(d)}: {shape}",
            param="pad",
            arg="input",
            axis=axis,
        )
    ctx.check(
        any_of(*(ge(d, 1) for d in out)),
        codes.PAD_CROP,
        lambda: f"input ({_named(x[-n:])}) is too small. Calculated output {_named(out[::-1], sep=' ')}",
        param="pad",
        arg="input",
    )
    return shape


def _named(dims, sep: str = ", ") -> str:
    """``H: 5, W: 6``: the padded axes as torch's padding messages name them."""
    names = _AXES[: len(dims)][::-1]
    return sep.join(f"{name}: {dim_text(d)}" for name, d in zip(names, dims))


def _circular(ctx: Checker, x: Shape, pad: tuple) -> Shape:
    """_pad_circular: wrap at most once, crop at most the whole axis.

    Torch copies the kept part of the input, then wraps ``left`` and ``right`` elements of the
    output around. With a crop past the whole axis on one side and a wrap on the other, that
    copy only works while it stays empty.
    """
    out = []
    for axis, size, left, right in _pairs(x, pad):
        details = dict(param="pad", arg="input", axis=axis)
        ctx.check(
            le(dmax(left, right), size),
            codes.PAD_TOO_LARGE,
            "Padding value causes wrapping around more than once.",
            **details,
        )
        d = size + left + right
        ctx.check(ge(d, 0), codes.PAD_CROP, "Negative padding value is resulting in an empty dimension", **details)
        kept_l, kept_r = size + left, size + right
        ctx.check(
            any_of(ge(kept_l, 0), le(d + kept_l, 0)),
            codes.PAD_TOO_LARGE,
            lambda: (
                f"The size of tensor a ({dim_text(dmin(d + kept_l, d))}) must match the size of "
                f"tensor b (0) at non-singleton dimension {x.rank + axis}"
            ),
            **details,
        )
        ctx.check(
            any_of(ge(kept_r, 0), le(size + kept_r, 1)),
            codes.PAD_TOO_LARGE,
            lambda: (
                f"The size of tensor a (0) must match the size of tensor b "
                f"({dim_text(dmin(size + kept_r, size))}) at non-singleton dimension {x.rank + axis}"
            ),
            **details,
        )
        out.append(d)
    return x.with_last(len(out), reversed(out))


# -- torch.nn.functional and torch -----------------------------------------------------------


@op("torch.nn.functional.pad")
def pad(ctx, input, pad, mode="constant", value=None):
    """[*, D] -> [*, D + left + right] for each (left, right) pair of pad, from the last axis back."""
    return _pad(ctx, tensor(input), _pads(pad), mode, value)


@op("torch.constant_pad_nd")
def constant_pad_nd(ctx, input, pad, value=0):
    """[*, D] -> [*, D + left + right] for each (left, right) pair of pad, from the last axis back."""
    x, pad = tensor(input), _pads(pad)
    ctx.check(
        len(pad) % 2 == 0,
        codes.INVALID_ARGUMENT,
        lambda: f"Length of pad must be even but instead it equals {len(pad)}",
        param="pad",
    )
    ctx.check(
        _has_axes(x, len(pad) // 2),
        codes.PAD_RANK,
        lambda: (
            f"Length of pad should be no more than twice the number of dimensions of the input. "
            f"Pad length is {len(pad)}while the input has {x.rank}dimensions."
        ),
        param="pad",
        arg="input",
    )
    return _constant(ctx, x, pad)


# -- layers ----------------------------------------------------------------------------------


@layer("torch.nn.ZeroPad1d")
def zero_pad1d(ctx, input, *, padding):
    """[*, W] -> [*, W + left + right]."""
    return _pad(ctx, tensor(input), _padding(padding, 2), "constant", 0.0)


@layer("torch.nn.ZeroPad2d")
def zero_pad2d(ctx, input, *, padding):
    """[*, H, W] -> [*, H + top + bottom, W + left + right]."""
    return _pad(ctx, tensor(input), _padding(padding, 4), "constant", 0.0)


@layer("torch.nn.ZeroPad3d")
def zero_pad3d(ctx, input, *, padding):
    """[*, D, H, W] -> [*, D + front + back, H + top + bottom, W + left + right]."""
    return _pad(ctx, tensor(input), _padding(padding, 6), "constant", 0.0)


@layer("torch.nn.ConstantPad1d")
def constant_pad1d(ctx, input, *, padding, value):
    """[*, W] -> [*, W + left + right]."""
    return _pad(ctx, tensor(input), _padding(padding, 2), "constant", value)


@layer("torch.nn.ConstantPad2d")
def constant_pad2d(ctx, input, *, padding, value):
    """[*, H, W] -> [*, H + top + bottom, W + left + right]."""
    return _pad(ctx, tensor(input), _padding(padding, 4), "constant", value)


@layer("torch.nn.ConstantPad3d")
def constant_pad3d(ctx, input, *, padding, value):
    """[*, D, H, W] -> [*, D + front + back, H + top + bottom, W + left + right]."""
    return _pad(ctx, tensor(input), _padding(padding, 6), "constant", value)


@layer("torch.nn.ReflectionPad1d")
def reflection_pad1d(ctx, input, *, padding):
    """[(N,) C, W] -> [(N,) C, W + left + right]; each pad < W."""
    return _pad(ctx, tensor(input), _padding(padding, 2), "reflect", None)


@layer("torch.nn.ReflectionPad2d")
def reflection_pad2d(ctx, input, *, padding):
    """[(N,) C, H, W] -> [(N,) C, H + top + bottom, W + left + right]; each pad < its axis."""
    return _pad(ctx, tensor(input), _padding(padding, 4), "reflect", None)


@layer("torch.nn.ReflectionPad3d")
def reflection_pad3d(ctx, input, *, padding):
    """[(N,) C, D, H, W] -> [(N,) C, D + front + back, H + top + bottom, W + left + right]."""
    return _pad(ctx, tensor(input), _padding(padding, 6), "reflect", None)


@layer("torch.nn.ReplicationPad1d")
def replication_pad1d(ctx, input, *, padding):
    """[(N,) C, W] -> [(N,) C, W + left + right]."""
    return _pad(ctx, tensor(input), _padding(padding, 2), "replicate", None)


@layer("torch.nn.ReplicationPad2d")
def replication_pad2d(ctx, input, *, padding):
    """[(N,) C, H, W] -> [(N,) C, H + top + bottom, W + left + right]."""
    return _pad(ctx, tensor(input), _padding(padding, 4), "replicate", None)


@layer("torch.nn.ReplicationPad3d")
def replication_pad3d(ctx, input, *, padding):
    """[(N,) C, D, H, W] -> [(N,) C, D + front + back, H + top + bottom, W + left + right]."""
    return _pad(ctx, tensor(input), _padding(padding, 6), "replicate", None)


def _circular_layer(ctx: Checker, x: Shape, padding, n: int) -> Shape:
    """The CircularPad layers check the rank themselves before F.pad."""
    ctx.check(
        x.rank in (n + 1, n + 2),
        codes.PAD_RANK,
        lambda: f"expected {n + 1}D or {n + 2}D input (got {x.rank}D input)",
        arg="input",
    )
    return _pad(ctx, x, _padding(padding, 2 * n), "circular", None)


@layer("torch.nn.CircularPad1d")
def circular_pad1d(ctx, input, *, padding):
    """[(N,) C, W] -> [(N,) C, W + left + right]; each pad <= W."""
    return _circular_layer(ctx, tensor(input), padding, 1)


@layer("torch.nn.CircularPad2d")
def circular_pad2d(ctx, input, *, padding):
    """[(N,) C, H, W] -> [(N,) C, H + top + bottom, W + left + right]; each pad <= its axis."""
    return _circular_layer(ctx, tensor(input), padding, 2)


@layer("torch.nn.CircularPad3d")
def circular_pad3d(ctx, input, *, padding):
    """[(N,) C, D, H, W] -> [(N,) C, D + front + back, H + top + bottom, W + left + right]."""
    return _circular_layer(ctx, tensor(input), padding, 3)

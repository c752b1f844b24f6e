"""Convolutions: nn.Conv*, ConvTranspose*, their Lazy forms, F.conv* / F.conv_transpose*.

Every spatial axis follows torch's formulas, symbolically: ``(H + 2*p - d*(k - 1) - 1)//s + 1``
for a convolution (``Conv2d(3, 16, 3, padding=1)`` keeps ``H``) and
``(H - 1)*s - 2*p + d*(k - 1) + output_padding + 1`` for a transposed one. Layers check what the
module checks at construction (groups, padding strings) and then what ``F.conv*`` checks.
"""

from __future__ import annotations

from typing import Sequence

from .. import codes
from ..dims import Checker, Shape, any_of, dim_text, divides, dmax, eq, ge, gt, le, lt
from ._common import is_tensor, ntuple, tensor
from ._registry import layer, op

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
_AXIS_NAMES = {1: ("width",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def _listing(values) -> str:
    return "[" + ", ".join(dim_text(v) for v in values) + "]"


def _by(values) -> str:
    return " x ".join(dim_text(v, paren=True) for v in values)


# ---------------------------------------------------------------------------------------------
# construction


def _check_module(
    ctx: Checker,
    n: int,
    in_channels,
    out_channels,
    kernel_size,
    stride,
    padding,
    groups,
    padding_mode,
    transposed: bool,
    kind: str,
) -> None:
    """What ``_ConvNd.__init__`` raises, in its order, then the weight's creation."""
    ctx.check(gt(groups, 0), codes.CONV_GROUPS, "groups must be a positive integer", param="groups")
    ctx.check(
        divides(groups, in_channels),
        codes.CONV_GROUPS,
        "in_channels must be divisible by groups",
        param="groups",
        actual=groups,
    )
    ctx.check(
        divides(groups, out_channels),
        codes.CONV_GROUPS,
        "out_channels must be divisible by groups",
        param="groups",
        actual=groups,
    )
    if isinstance(padding, str):
        ctx.check(
            padding in ("same", "valid"),
            codes.INVALID_ARGUMENT,
            f"Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}",
            param="padding",
        )
        if padding == "same":
            for s in ntuple(stride, n, "stride"):
                ctx.check(
                    eq(s, 1),
                    codes.CONV_PADDING,
                    "padding='same' is not supported for strided convolutions",
                    param="stride",
                    expected=1,
                    actual=s,
                )
    ctx.check(
        padding_mode in PADDING_MODES,
        codes.INVALID_ARGUMENT,
        f"padding_mode must be one of {{'reflect', 'zeros', 'replicate', 'circular'}}, but got "
        f"padding_mode='{padding_mode}'",
        param="padding_mode",
    )
    if transposed:
        ctx.check(
            padding_mode == "zeros",
            codes.INVALID_ARGUMENT,
            f'Only "zeros" padding mode is supported for {kind}',
            param="padding_mode",
        )
    k = ntuple(kernel_size, n, "kernel_size")
    weight = (in_channels, out_channels // groups) if transposed else (out_channels, in_channels // groups)
    for name, value in (("in_channels", in_channels), ("out_channels", out_channels)) + tuple(
        ("kernel_size", v) for v in k
    ):
        ctx.check(
            ge(value, 0),
            codes.NEGATIVE_SIZE,
            lambda: f"Trying to create tensor with negative dimension {dim_text(value)}: {_listing(weight + k)}",
            param=name,
        )


def _conv_init(n: int, transposed: bool, kind: str):
    def check(ctx, in_channels, out_channels, kernel_size, stride=1, padding=0, groups=1, padding_mode="zeros", **_):
        _check_module(
            ctx, n, in_channels, out_channels, kernel_size, stride, padding, groups, padding_mode, transposed, kind
        )

    return check


def _lazy_init(n: int, transposed: bool, kind: str):
    """A lazy module is built with ``in_channels = out_channels = 0``: only groups and strings."""

    def check(ctx, kernel_size, stride=1, padding=0, groups=1, padding_mode="zeros", **_):
        _check_module(ctx, n, 0, 0, kernel_size, stride, padding, groups, padding_mode, transposed, kind)

    return check


# ---------------------------------------------------------------------------------------------
# the checks of F.conv*


def _batched(ctx: Checker, x: Shape, n: int, name: str) -> bool:
    """``[N, C, *spatial]`` or unbatched ``[C, *spatial]``; anything else is torch's rank error."""
    ctx.check(
        x.rank in (n + 1, n + 2),
        codes.CONV_RANK,
        lambda: f"Expected {n + 1}D (unbatched) or {n + 2}D (batched) input to {name}, but got input of size: {x}",
        arg="input",
    )
    return x.rank == n + 2


def _as_batch(x: Shape, batched: bool) -> Shape:
    """How torch prints the input in channel messages: unbatched input gains a batch of 1."""
    return x if batched else Shape((1,) + x.dims)


def _check_params(ctx: Checker, n: int, s, p, d, groups, op_=None) -> None:
    for v in s:
        ctx.check(gt(v, 0), codes.INVALID_ARGUMENT, "non-positive stride is not supported", param="stride")
    for v in p:
        ctx.check(ge(v, 0), codes.INVALID_ARGUMENT, "negative padding is not supported", param="padding")
    for v in op_ or ():
        ctx.check(ge(v, 0), codes.INVALID_ARGUMENT, "negative output_padding is not supported", param="output_padding")
    for v in d:
        ctx.check(
            gt(v, 0),
            codes.INVALID_ARGUMENT,
            lambda: f"dilation should be greater than zero, but got {_listing(d)}",
            param="dilation",
        )
    ctx.check(gt(groups, 0), codes.CONV_GROUPS, "non-positive groups is not supported", param="groups")


def _check_weight(ctx: Checker, w: Shape, n: int, groups, stride) -> None:
    """The weight has ``n`` spatial axes and a first axis that the groups divide."""
    ctx.check(
        w.rank == n + 2,
        codes.CONV_RANK,
        lambda: (
            f"expected stride to be a single integer value or a list of {w.rank - 2} values to "
            f"match the convolution dimensions, but got stride={_listing(ntuple(stride, n))}"
        ),
        arg="weight",
    )
    ctx.check(
        ge(w[0], groups),
        codes.CONV_GROUPS,
        lambda: (
            f"Given groups={dim_text(groups)}, expected weight to be at least {dim_text(groups)} "
            f"at dimension 0, but got weight of size {w} instead"
        ),
        param="groups",
        expected=w[0],
        actual=groups,
        arg="weight",
        axis=0,
    )
    ctx.check(
        divides(groups, w[0]),
        codes.CONV_GROUPS,
        lambda: (
            f"Given groups={dim_text(groups)}, expected weight to be divisible by "
            f"{dim_text(groups)} at dimension 0, but got weight of size [{w}] instead"
        ),
        param="groups",
        arg="weight",
        axis=0,
    )


def _check_bias(ctx: Checker, bias, w: Shape, channels, transposed: bool) -> None:
    if not is_tensor(bias):
        return
    given = "Given transposed=1, weight" if transposed else "Given weight"

    def message():
        return (
            f"{given} of size {w}, expected bias to be 1-dimensional with {dim_text(channels)} elements, "
            f"but got bias of size {bias} instead"
        )

    ctx.check(bias.rank == 1, codes.CONV_BIAS, message, arg="bias")
    ctx.check(eq(bias[0], channels), codes.CONV_BIAS, message, expected=channels, actual=bias[0], arg="bias", axis=0)


def _check_channels(
    ctx: Checker, x: Shape, batched: bool, n: int, channels, weight, transposed: bool, groups, param=None
) -> None:
    c = x[-n - 1]
    given = "transposed=1" if transposed else f"groups={dim_text(groups)}"
    ctx.check(
        eq(c, channels),
        codes.CONV_IN_CHANNELS,
        lambda: (
            f"Given {given}, weight of size {_listing(weight)}, expected input{_as_batch(x, batched)} "
            f"to have {dim_text(channels)} channels, but got {dim_text(c)} channels instead"
        ),
        param=param,
        expected=channels,
        actual=c,
        arg="input",
        axis=-n - 1,
    )


def _windows(ctx: Checker, spatial: Sequence, pads: tuple, k: tuple, s: tuple, d: tuple) -> list:
    """Output sizes of a convolution; the kernel must fit in each padded axis (``pads``: both sides)."""
    n = len(spatial)
    padded = tuple(h + pad for h, pad in zip(spatial, pads))
    effective = [di * (ki - 1) + 1 for ki, di in zip(k, d)]
    for i, (size, eff, pad) in enumerate(zip(padded, effective, pads)):
        ctx.check(
            ge(size, eff),
            codes.CONV_OUTPUT_SIZE,
            lambda: (
                f"Calculated padded input size per channel: ({_by(padded)}). Kernel size: "
                f"({_by(effective)}). Kernel size can't be greater than actual input size"
            ),
            expected=eff - pad,
            actual=size - pad,
            arg="input",
            axis=i - n,
        )
    return [(size - eff) // si + 1 for size, eff, si in zip(padded, effective, s)]


def _transposed_sizes(ctx: Checker, spatial: tuple, k, s, p, d, op_, *, chosen: bool = False) -> list:
    """Output sizes of a transposed convolution; ``chosen`` output padding is already in range."""
    n = len(spatial)
    names = _AXIS_NAMES[n]
    for i in range(0 if chosen else n):
        ctx.check(
            any_of(lt(op_[i], s[i]), lt(op_[i], d[i])),
            codes.CONV_OUTPUT_PADDING,
            lambda: (
                "output padding must be smaller than either stride or dilation, but got "
                + " ".join(f"output_padding_{a}: {dim_text(v)}" for a, v in zip(names, op_))
                + " "
                + " ".join(f"stride_{a}: {dim_text(v)}" for a, v in zip(names, s))
                + " "
                + " ".join(f"dilation_{a}: {dim_text(v)}" for a, v in zip(names, d))
            ),
            param="output_padding",
            expected=dmax(s[i], d[i]) - 1,
            actual=op_[i],
        )
    out = [(h - 1) * si - 2 * pi + di * (ki - 1) + oi + 1 for h, ki, si, pi, di, oi in zip(spatial, k, s, p, d, op_)]

    def message():
        return (
            f"Given input size per channel: ({_by(spatial)}). Calculated output size per channel: "
            f"({_by(out)}). Output size is too small"
        )

    # Meta's rule: no size below 0 and one at least 1. The CPU kernels differ among themselves
    # (a batch of 1 rejects any empty axis, larger batches go to oneDNN and accept them).
    for i, size in enumerate(out):
        ctx.check(ge(size, 0), codes.CONV_OUTPUT_SIZE, message, arg="input", axis=i - n)
    ctx.check(any_of(*(ge(size, 1) for size in out)), codes.CONV_OUTPUT_SIZE, message, arg="input")
    return out


def _result(x: Shape, batched: bool, channels, spatial) -> Shape:
    return Shape(((x[0],) if batched else ()) + (channels,) + tuple(spatial))


# ---------------------------------------------------------------------------------------------
# functional forms


def _conv(ctx: Checker, input, weight, bias, stride, padding, dilation, groups, n: int) -> Shape:
    x, w = tensor(input), tensor(weight, "weight")
    batched = _batched(ctx, x, n, f"conv{n}d")
    same = False
    if isinstance(padding, str):
        ctx.check(
            padding in ("same", "valid"),
            codes.INVALID_ARGUMENT,
            f"Invalid padding string: '{padding}'",
            param="padding",
        )
        same = padding == "same"
        if same:
            for v in ntuple(stride, n, "stride"):
                ctx.check(
                    eq(v, 1),
                    codes.CONV_PADDING,
                    "padding='same' is not supported for strided convolutions",
                    param="stride",
                    expected=1,
                    actual=v,
                )
        padding = 0
    _check_weight(ctx, w, n, groups, stride)
    s, p, d = ntuple(stride, n, "stride"), ntuple(padding, n, "padding"), ntuple(dilation, n, "dilation")
    _check_params(ctx, n, s, p, d, groups)
    _check_channels(ctx, x, batched, n, w[1] * groups, w.dims, False, groups)
    _check_bias(ctx, bias, w, w[0], False)
    spatial: Sequence = x.dims[-n:]
    if not same:
        spatial = _windows(ctx, spatial, tuple(2 * pi for pi in p), w.dims[2:], s, d)
    return _result(x, batched, w[0], spatial)


def _conv_transpose(
    ctx: Checker, input, weight, bias, stride, padding, output_padding, groups, dilation, n: int
) -> Shape:
    x, w = tensor(input), tensor(weight, "weight")
    batched = _batched(ctx, x, n, f"conv_transpose{n}d")
    _check_weight(ctx, w, n, groups, stride)
    s, p, d = ntuple(stride, n, "stride"), ntuple(padding, n, "padding"), ntuple(dilation, n, "dilation")
    op_ = ntuple(output_padding, n, "output_padding")
    _check_params(ctx, n, s, p, d, groups, op_)
    _check_channels(ctx, x, batched, n, w[0], w.dims, True, groups)
    _check_bias(ctx, bias, w, w[1] * groups, True)
    spatial = _transposed_sizes(ctx, x.dims[-n:], w.dims[2:], s, p, d, op_)
    return _result(x, batched, w[1] * groups, spatial)


@op("torch.nn.functional.conv1d", "torch.conv1d")
def f_conv1d(ctx, input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """[N, C_in, L] x weight [C_out, C_in/groups, k] -> [N, C_out, L']; N optional."""
    return _conv(ctx, input, weight, bias, stride, padding, dilation, groups, 1)


@op("torch.nn.functional.conv2d", "torch.conv2d")
def f_conv2d(ctx, input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """[N, C_in, H, W] x weight [C_out, C_in/groups, kH, kW] -> [N, C_out, H', W']; N optional."""
    return _conv(ctx, input, weight, bias, stride, padding, dilation, groups, 2)


@op("torch.nn.functional.conv3d", "torch.conv3d")
def f_conv3d(ctx, input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """[N, C_in, D, H, W] x weight [C_out, C_in/groups, *k] -> [N, C_out, D', H', W']; N optional."""
    return _conv(ctx, input, weight, bias, stride, padding, dilation, groups, 3)


@op("torch.nn.functional.conv_transpose1d", "torch.conv_transpose1d")
def f_conv_transpose1d(ctx, input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """[N, C_in, L] x weight [C_in, C_out/groups, k] -> [N, C_out, L']; N optional."""
    return _conv_transpose(ctx, input, weight, bias, stride, padding, output_padding, groups, dilation, 1)


@op("torch.nn.functional.conv_transpose2d", "torch.conv_transpose2d")
def f_conv_transpose2d(ctx, input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """[N, C_in, H, W] x weight [C_in, C_out/groups, kH, kW] -> [N, C_out, H', W']; N optional."""
    return _conv_transpose(ctx, input, weight, bias, stride, padding, output_padding, groups, dilation, 2)


@op("torch.nn.functional.conv_transpose3d", "torch.conv_transpose3d")
def f_conv_transpose3d(ctx, input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """[N, C_in, D, H, W] x weight [C_in, C_out/groups, *k] -> [N, C_out, D', H', W']; N optional."""
    return _conv_transpose(ctx, input, weight, bias, stride, padding, output_padding, groups, dilation, 3)


# ---------------------------------------------------------------------------------------------
# modules


def _pads(n: int, padding, k: tuple, d: tuple) -> tuple:
    """(left, right) padding per axis; 'same' puts the odd one on the right, as torch does."""
    if padding == "same":
        total = [di * (ki - 1) for ki, di in zip(k, d)]
        return tuple(t // 2 for t in total), tuple(t - t // 2 for t in total)
    if padding == "valid":
        return (0,) * n, (0,) * n
    p = ntuple(padding, n, "padding")
    return p, p


def _check_pad(ctx: Checker, x: Shape, mode: str, left: tuple, right: tuple) -> None:
    """``F.pad(input, ..., mode)`` before the convolution: reflect and circular have limits."""
    n = len(left)
    for j in range(n):  # torch checks the last axis first
        axis = x.rank - 1 - j
        size, l, r = x[axis], left[n - 1 - j], right[n - 1 - j]
        sides = (l,) if l == r else (l, r)  # structural: 'same' may pad one more on the right
        if mode == "reflect":
            message = lambda: (
                f"Argument #{4 + 2 * j}: Padding size should be less than the corresponding "
                f"input dimension, but got: padding ({dim_text(l)}, {dim_text(r)}) at dimension "
                f"{axis} of input {x}"
            )
            for side in sides:
                ctx.check(lt(side, size), codes.CONV_PADDING, message, param="padding", arg="input", axis=axis)
        elif mode == "circular":
            for side in sides:
                ctx.check(
                    le(side, size),
                    codes.CONV_PADDING,
                    "Padding value causes wrapping around more than once.",
                    param="padding",
                    arg="input",
                    axis=axis,
                )


def _conv_module(
    ctx: Checker,
    x: Shape,
    n: int,
    in_channels,
    out_channels,
    kernel_size,
    stride,
    padding,
    dilation,
    groups,
    padding_mode,
    *,
    param="in_channels",
) -> Shape:
    """The forward of ``nn.ConvNd``: optional ``F.pad`` for a padding mode, then ``F.convNd``."""
    k, s, d = ntuple(kernel_size, n, "kernel_size"), ntuple(stride, n, "stride"), ntuple(dilation, n, "dilation")
    if padding_mode != "zeros":
        ctx.check(
            x.rank in (n + 1, n + 2),
            codes.CONV_RANK,
            f"Padding size {2 * n} is not supported for {x.rank}D input tensor.",
            arg="input",
        )
    left, right = _pads(n, padding, k, d)
    if padding_mode != "zeros":
        _check_pad(ctx, x, padding_mode, left, right)
    batched = _batched(ctx, x, n, f"conv{n}d")
    _check_params(ctx, n, s, left + right, d, groups)
    weight = (out_channels, in_channels // groups) + k
    _check_channels(ctx, x, batched, n, in_channels, weight, False, groups, param=param)
    pads = tuple(l + r for l, r in zip(left, right))
    return _result(x, batched, out_channels, _windows(ctx, x.dims[-n:], pads, k, s, d))


def _transposed_module(
    ctx: Checker,
    x: Shape,
    output_size,
    n: int,
    in_channels,
    out_channels,
    kernel_size,
    stride,
    padding,
    output_padding,
    groups,
    dilation,
    *,
    param="in_channels",
) -> Shape:
    """The forward of ``nn.ConvTransposeNd``: ``output_size`` picks the output padding."""
    k, s, d = ntuple(kernel_size, n, "kernel_size"), ntuple(stride, n, "stride"), ntuple(dilation, n, "dilation")
    p, op_ = ntuple(padding, n, "padding"), ntuple(output_padding, n, "output_padding")
    chosen = output_size is not None
    if chosen:
        op_ = _output_padding(ctx, x, n, list(output_size), k, s, p, d)
    batched = _batched(ctx, x, n, f"conv_transpose{n}d")
    _check_params(ctx, n, s, p, d, groups, () if chosen else op_)
    weight = (in_channels, out_channels // groups) + k
    _check_channels(ctx, x, batched, n, in_channels, weight, True, groups, param=param)
    sizes = _transposed_sizes(ctx, x.dims[-n:], k, s, p, d, op_, chosen=chosen)
    return _result(x, batched, out_channels, sizes)


def _output_padding(ctx: Checker, x: Shape, n: int, output_size: list, k, s, p, d) -> tuple:
    """``_ConvTransposeNd._output_padding``: the requested size must be reachable."""
    extra = 2 if x.rank == n + 2 else 1
    if len(output_size) == n + extra:
        output_size = output_size[extra:]
    ctx.check(
        len(output_size) == n,
        codes.INVALID_ARGUMENT,
        f"ConvTranspose{n}D: for {x.rank}D input, output_size must have {n} or {n + extra} elements "
        f"(got {len(output_size)})",
        param="output_size",
    )
    spatial = x.dims[-n:]
    least = [(h - 1) * si - 2 * pi + di * (ki - 1) + 1 for h, ki, si, pi, di in zip(spatial, k, s, p, d)]
    most = [m + si - 1 for m, si in zip(least, s)]

    def message():
        return (
            f"requested an output size of {_listing(output_size)}, but valid sizes range from "
            f"{_listing(least)} to {_listing(most)} (for an input of {_listing(spatial)})"
        )

    for size, lo, hi in zip(output_size, least, most):
        ctx.check(ge(size, lo), codes.CONV_OUTPUT_SIZE, message, param="output_size", expected=lo, actual=size)
        ctx.check(le(size, hi), codes.CONV_OUTPUT_SIZE, message, param="output_size", expected=hi, actual=size)
    return tuple(size - lo for size, lo in zip(output_size, least))


@layer("torch.nn.Conv1d", init=_conv_init(1, False, "Conv1d"))
def conv1d(
    ctx,
    input,
    *,
    in_channels,
    out_channels,
    kernel_size,
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    bias=True,
    padding_mode="zeros",
    device=None,
    dtype=None,
):
    """[N, C_in, L] -> [N, C_out, L']; N optional."""
    return _conv_module(
        ctx, tensor(input), 1, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, padding_mode
    )


@layer("torch.nn.Conv2d", init=_conv_init(2, False, "Conv2d"))
def conv2d(
    ctx,
    input,
    *,
    in_channels,
    out_channels,
    kernel_size,
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    bias=True,
    padding_mode="zeros",
    device=None,
    dtype=None,
):
    """[N, C_in, H, W] -> [N, C_out, H', W']; N optional."""
    return _conv_module(
        ctx, tensor(input), 2, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, padding_mode
    )


@layer("torch.nn.Conv3d", init=_conv_init(3, False, "Conv3d"))
def conv3d(
    ctx,
    input,
    *,
    in_channels,
    out_channels,
    kernel_size,
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    bias=True,
    padding_mode="zeros",
    device=None,
    dtype=None,
):
    """[N, C_in, D, H, W] -> [N, C_out, D', H', W']; N optional."""
    return _conv_module(
        ctx, tensor(input), 3, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, padding_mode
    )


@layer("torch.nn.ConvTranspose1d", init=_conv_init(1, True, "ConvTranspose1d"))
def conv_transpose1d(
    ctx,
    input,
    output_size=None,
    *,
    in_channels,
    out_channels,
    kernel_size,
    stride=1,
    padding=0,
    output_padding=0,
    groups=1,
    bias=True,
    dilation=1,
    padding_mode="zeros",
    device=None,
    dtype=None,
):
    """[N, C_in, L] -> [N, C_out, L'] (L' = output_size when given); N optional."""
    return _transposed_module(
        ctx,
        tensor(input),
        output_size,
        1,
        in_channels,
        out_channels,
        kernel_size,
        stride,
        padding,
        output_padding,
        groups,
        dilation,
    )


@layer("torch.nn.ConvTranspose2d", init=_conv_init(2, True, "ConvTranspose2d"))
def conv_transpose2d(
    ctx,
    input,
    output_size=None,
    *,
    in_channels,
    out_channels,
    kernel_size,
    stride=1,
    padding=0,
    output_padding=0,
    groups=1,
    bias=True,
    dilation=1,
    padding_mode="zeros",
    device=None,
    dtype=None,
):
    """[N, C_in, H, W] -> [N, C_out, H', W'] (output_size when given); N optional."""
    return _transposed_module(
        ctx,
        tensor(input),
        output_size,
        2,
        in_channels,
        out_channels,
        kernel_size,
        stride,
        padding,
        output_padding,
        groups,
        dilation,
    )


@layer("torch.nn.ConvTranspose3d", init=_conv_init(3, True, "ConvTranspose3d"))
def conv_transpose3d(
    ctx,
    input,
    output_size=None,
    *,
    in_channels,
    out_channels,
    kernel_size,
    stride=1,
    padding=0,
    output_padding=0,
    groups=1,
    bias=True,
    dilation=1,
    padding_mode="zeros",
    device=None,
    dtype=None,
):
    """[N, C_in, D, H, W] -> [N, C_out, D', H', W'] (output_size when given); N optional."""
    return _transposed_module(
        ctx,
        tensor(input),
        output_size,
        3,
        in_channels,
        out_channels,
        kernel_size,
        stride,
        padding,
        output_padding,
        groups,
        dilation,
    )


# ---------------------------------------------------------------------------------------------
# lazy modules: in_channels is the input's, read on the first call


def _lazy_channels(ctx: Checker, x: Shape, n: int, kind: str, groups, out_channels):
    """The first call sets in_channels from the input and materializes the weight."""
    ctx.check(
        x.rank in (n + 1, n + 2),
        codes.CONV_RANK,
        lambda: (
            f"Expected {n + 1}D (unbatched) or {n + 2}D (batched) input to {kind}, but got input "
            f"of size: torch.Size({x})"
        ),
        arg="input",
    )
    channels = x[-n - 1]
    ctx.check(
        divides(groups, channels),
        codes.CONV_GROUPS,
        "in_channels must be divisible by groups",
        param="groups",
        actual=groups,
        arg="input",
        axis=-n - 1,
    )
    ctx.check(
        ge(out_channels, 0),
        codes.NEGATIVE_SIZE,
        f"Trying to create tensor with negative dimension {dim_text(out_channels)}: [{dim_text(out_channels)}]",
        param="out_channels",
    )
    return channels


def _lazy_conv(
    ctx: Checker,
    x: Shape,
    n: int,
    kind: str,
    out_channels,
    kernel_size,
    stride,
    padding,
    dilation,
    groups,
    padding_mode,
) -> Shape:
    channels = _lazy_channels(ctx, x, n, kind, groups, out_channels)
    w = Shape((out_channels, channels // groups) + ntuple(kernel_size, n, "kernel_size"))
    ctx.check(
        ge(out_channels, groups),
        codes.CONV_GROUPS,
        lambda: (
            f"Given groups={dim_text(groups)}, expected weight to be at least {dim_text(groups)} "
            f"at dimension 0, but got weight of size {w} instead"
        ),
        param="out_channels",
        expected=groups,
        actual=out_channels,
    )
    ctx.check(
        divides(groups, out_channels),
        codes.CONV_GROUPS,
        lambda: (
            f"Given groups={dim_text(groups)}, expected weight to be divisible by "
            f"{dim_text(groups)} at dimension 0, but got weight of size [{w}] instead"
        ),
        param="out_channels",
        expected=groups,
        actual=out_channels,
    )
    return _conv_module(
        ctx, x, n, channels, out_channels, kernel_size, stride, padding, dilation, groups, padding_mode, param=None
    )


def _lazy_transposed(
    ctx: Checker,
    x: Shape,
    output_size,
    n: int,
    kind: str,
    out_channels,
    kernel_size,
    stride,
    padding,
    output_padding,
    groups,
    dilation,
    bias,
) -> Shape:
    """The weight is ``[C_in, out_channels // groups, *k]``: a bias must fit what that gives."""
    channels = _lazy_channels(ctx, x, n, kind, groups, out_channels)
    made = groups * (out_channels // groups)
    if bias:
        weight = (channels, out_channels // groups) + ntuple(kernel_size, n, "kernel_size")
        ctx.check(
            eq(made, out_channels),
            codes.CONV_GROUPS,
            lambda: (
                f"Given transposed=1, weight of size {_listing(weight)}, expected bias to be "
                f"1-dimensional with {dim_text(made)} elements, but got bias of size "
                f"[{dim_text(out_channels)}] instead"
            ),
            param="out_channels",
            expected=made,
            actual=out_channels,
        )
    return _transposed_module(
        ctx,
        x,
        output_size,
        n,
        channels,
        made,
        kernel_size,
        stride,
        padding,
        output_padding,
        groups,
        dilation,
        param=None,
    )


@layer("torch.nn.LazyConv1d", init=_lazy_init(1, False, "LazyConv1d"))
def lazy_conv1d(
    ctx,
    input,
    *,
    out_channels,
    kernel_size,
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    bias=True,
    padding_mode="zeros",
    device=None,
    dtype=None,
):
    """[N, C, L] -> [N, out_channels, L']; N optional."""
    return _lazy_conv(
        ctx, tensor(input), 1, "LazyConv1d", out_channels, kernel_size, stride, padding, dilation, groups, padding_mode
    )


@layer("torch.nn.LazyConv2d", init=_lazy_init(2, False, "LazyConv2d"))
def lazy_conv2d(
    ctx,
    input,
    *,
    out_channels,
    kernel_size,
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    bias=True,
    padding_mode="zeros",
    device=None,
    dtype=None,
):
    """[N, C, H, W] -> [N, out_channels, H', W']; N optional."""
    return _lazy_conv(
        ctx, tensor(input), 2, "LazyConv2d", out_channels, kernel_size, stride, padding, dilation, groups, padding_mode
    )


@layer("torch.nn.LazyConv3d", init=_lazy_init(3, False, "LazyConv3d"))
def lazy_conv3d(
    ctx,
    input,
    *,
    out_channels,
    kernel_size,
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    bias=True,
    padding_mode="zeros",
    device=None,
    dtype=None,
):
    """[N, C, D, H, W] -> [N, out_channels, D', H', W']; N optional."""
    return _lazy_conv(
        ctx, tensor(input), 3, "LazyConv3d", out_channels, kernel_size, stride, padding, dilation, groups, padding_mode
    )


@layer("torch.nn.LazyConvTranspose1d", init=_lazy_init(1, True, "LazyConvTranspose1d"))
def lazy_conv_transpose1d(
    ctx,
    input,
    output_size=None,
    *,
    out_channels,
    kernel_size,
    stride=1,
    padding=0,
    output_padding=0,
    groups=1,
    bias=True,
    dilation=1,
    padding_mode="zeros",
    device=None,
    dtype=None,
):
    """[N, C, L] -> [N, out_channels, L']; N optional."""
    return _lazy_transposed(
        ctx,
        tensor(input),
        output_size,
        1,
        "LazyConvTranspose1d",
        out_channels,
        kernel_size,
        stride,
        padding,
        output_padding,
        groups,
        dilation,
        bias,
    )


@layer("torch.nn.LazyConvTranspose2d", init=_lazy_init(2, True, "LazyConvTranspose2d"))
def lazy_conv_transpose2d(
    ctx,
    input,
    output_size=None,
    *,
    out_channels,
    kernel_size,
    stride=1,
    padding=0,
    output_padding=0,
    groups=1,
    bias=True,
    dilation=1,
    padding_mode="zeros",
    device=None,
    dtype=None,
):
    """[N, C, H, W] -> [N, out_channels, H', W']; N optional."""
    return _lazy_transposed(
        ctx,
        tensor(input),
        output_size,
        2,
        "LazyConvTranspose2d",
        out_channels,
        kernel_size,
        stride,
        padding,
        output_padding,
        groups,
        dilation,
        bias,
    )


@layer("torch.nn.LazyConvTranspose3d", init=_lazy_init(3, True, "LazyConvTranspose3d"))
def lazy_conv_transpose3d(
    ctx,
    input,
    output_size=None,
    *,
    out_channels,
    kernel_size,
    stride=1,
    padding=0,
    output_padding=0,
    groups=1,
    bias=True,
    dilation=1,
    padding_mode="zeros",
    device=None,
    dtype=None,
):
    """[N, C, D, H, W] -> [N, out_channels, D', H', W']; N optional."""
    return _lazy_transposed(
        ctx,
        tensor(input),
        output_size,
        3,
        "LazyConvTranspose3d",
        out_channels,
        kernel_size,
        stride,
        padding,
        output_padding,
        groups,
        dilation,
        bias,
    )

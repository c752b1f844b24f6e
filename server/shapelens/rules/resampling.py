"""Resampling: interpolate/upsample, pixel (un)shuffle, fold/unfold and channel shuffle.

Spatial axes follow the batch and channel axes: ``[N, C, *spatial]``. An output size computed
from a scale factor is ``floor(size * scale)`` in double precision, as torch computes it.
"""

from __future__ import annotations

from fractions import Fraction

from .. import codes
from ..dims import UNKNOWN, Checker, Lost, Shape, any_of, dim_text, divides, eq, ge, gt, is_dim, ne, product
from ._common import ntuple_as_is, tensor
from ._registry import layer, op

# -- interpolate -----------------------------------------------------------------------------

_MODES = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "lanczos", "area", "nearest-exact")
_RANKS = {
    "nearest": (3, 4, 5),
    "nearest-exact": (3, 4, 5),
    "area": (3, 4, 5),
    "linear": (3,),
    "bilinear": (4,),
    "trilinear": (5,),
    "bicubic": (4,),
    "lanczos": (4,),
}
_AXES = "DHW"


def _scaled(size, scale):
    """``int(size * scale)`` in double precision, exactly, also for a symbolic ``size``.

    A double ``scale`` at or above the small fraction it stands for (1.5, 0.25, 1.1) gives
    ``floor(size * p / q)`` for any size; one below it (0.29, 2/3) rounds differently for some
    sizes, so a symbolic size loses inference there.
    """
    if is_dim(scale):
        return size * scale
    if isinstance(size, int):
        return int(size * scale)
    scale = float(scale)
    if scale.is_integer():
        return size * int(scale)
    written = Fraction(scale).limit_denominator(1000)
    if scale < 0 or float(written) != scale or Fraction(scale) < written:
        raise Lost(f"{dim_text(size)} * {scale} depends on floating-point rounding")
    return (size * written.numerator) // written.denominator


def _sizes_text(x: Shape, out: tuple) -> str:
    """``input (H: 3, W: 3) output (H: 0, W: 4)`` as the upsample kernels print sizes."""

    def named(dims):
        return ", ".join(f"{a}: {dim_text(d)}" for a, d in zip(_AXES[-len(dims) :], dims))

    joint = " and " if len(out) == 1 else " "
    return f"input ({named(x[2:])}){joint}output ({named(out)})"


def _interpolate(
    ctx: Checker, x: Shape, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias
) -> Shape:
    """F.interpolate: its argument checks, the rank each mode takes, then the kernel's checks."""
    if mode in ("nearest", "area", "nearest-exact") and align_corners is not UNKNOWN:
        ctx.check(
            align_corners is None,
            codes.INVALID_ARGUMENT,
            "align_corners option can only be set with the interpolating modes: "
            "linear | bilinear | bicubic | trilinear",
            param="align_corners",
        )
    dim = x.rank - 2
    spatial = list(x[2:])
    if size is not None and scale_factor is not None:
        ctx.fail(codes.INVALID_ARGUMENT, "only one of size or scale_factor should be defined", param="scale_factor")
    if size is not None:
        if isinstance(size, (tuple, list)):
            ctx.check(
                len(size) == dim,
                codes.INTERPOLATE_SIZE,
                lambda: (
                    f"Input and output must have the same number of spatial dimensions, but got "
                    f"input with spatial dimensions of {spatial} and output size of {size}. Please "
                    "provide input tensor in (N, C, d1, d2, ...,dK) format and output size in "
                    "(o1, o2, ...,oK) format."
                ),
                param="size",
                arg="input",
            )
            output = tuple(size)
        else:
            output = (size,) * max(dim, 0)
        if not all(is_dim(o) for o in output):
            raise Lost("the output size is not known statically")
    elif scale_factor is not None:
        if isinstance(scale_factor, (tuple, list)):
            ctx.check(
                len(scale_factor) == dim,
                codes.INTERPOLATE_SIZE,
                lambda: (
                    f"Input and scale_factor must have the same number of spatial dimensions, but "
                    f"got input with spatial dimensions of {spatial} and scale_factor of shape "
                    f"{scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) format "
                    "and scale_factor in (s1, s2, ...,sK) format."
                ),
                param="scale_factor",
                arg="input",
            )
            scales = tuple(scale_factor)
        else:
            scales = (scale_factor,) * max(dim, 0)
        output = tuple(_scaled(d, s) for d, s in zip(spatial, scales))
    else:
        ctx.fail(codes.INVALID_ARGUMENT, "either size or scale_factor should be defined", param="size")
    if size is not None and recompute_scale_factor is not UNKNOWN and recompute_scale_factor:
        ctx.fail(
            codes.INVALID_ARGUMENT,
            "recompute_scale_factor is not meaningful with an explicit size.",
            param="recompute_scale_factor",
        )
    if antialias:
        ctx.check(
            mode in ("bilinear", "bicubic", "lanczos") and x.rank == 4,
            codes.INVALID_ARGUMENT,
            "Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a "
            "4-D tensor as input",
            param="antialias",
        )
    if x.rank not in _RANKS.get(mode, ()):
        _fail_rank(ctx, x, mode)
    if mode == "lanczos":
        ctx.check(
            not align_corners,
            codes.INVALID_ARGUMENT,
            "Lanczos mode does not support align_corners=True",
            param="align_corners",
        )
        ctx.check(bool(antialias), codes.INVALID_ARGUMENT, "Lanczos mode requires antialias=True", param="antialias")
    param = "size" if size is not None else "scale_factor"
    if mode == "area":
        _adaptive_pool(ctx, x, output, param)
    else:
        _upsample(ctx, x, output, param)
    return x.with_last(dim, output)


def _fail_rank(ctx: Checker, x: Shape, mode) -> None:
    """F.interpolate's two errors for a rank its mode does not take (or a mode it does not know)."""
    needs = {"linear": 3, "bilinear": 4, "trilinear": 5}
    if mode in needs and x.rank in (3, 4, 5):
        ctx.fail(
            codes.INTERPOLATE_RANK,
            f"Got {x.rank}D input, but {mode} mode needs {needs[mode]}D input",
            param="mode",
            arg="input",
        )
    ctx.fail(
        codes.INTERPOLATE_RANK if mode in _MODES else codes.INVALID_ARGUMENT,
        f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {x.rank}D) for the modes: "
        f"{' | '.join(_MODES)} (got {mode})",
        param="mode",
        arg="input",
    )


def _upsample(ctx: Checker, x: Shape, output: tuple, param: str) -> None:
    """upsample_*: non-empty spatial input and output, and a non-empty channel axis."""
    for i, d in enumerate(x[2:]):
        ctx.check(
            ne(d, 0),
            codes.RESAMPLE_EMPTY_INPUT,
            lambda: f"Input and output sizes should be greater than 0, but got {_sizes_text(x, output)}",
            arg="input",
            axis=2 + i,
        )
    for i, o in enumerate(output):
        ctx.check(
            ge(o, 1),
            codes.INTERPOLATE_SIZE,
            lambda: f"Input and output sizes should be greater than 0, but got {_sizes_text(x, output)}",
            param=param,
            axis=2 + i,
        )
    ctx.check(
        ne(x[1], 0),
        codes.RESAMPLE_EMPTY_INPUT,
        f"Non-empty {x.rank}D data tensor expected but got a tensor with sizes {x}",
        arg="input",
        axis=1,
    )


def _adaptive_pool(ctx: Checker, x: Shape, output: tuple, param: str) -> None:
    """'area' is adaptive_avg_pool{1,2,3}d (1d runs as 2d on [N, C, 1, W]): sizes >= 0, and
    non-empty pooled axes (3d: C too) unless every output size is 1, which torch takes as a mean."""
    n = 3 if x.rank == 5 else 2
    pooled = x if x.rank > 3 else Shape([x[0], x[1], 1, x[2]])
    sizes = output if x.rank > 3 else (1, *output)
    received = (
        ", ".join(dim_text(s) for s in sizes)
        if n == 2
        else (f"{dim_text(sizes[0])}, {dim_text(sizes[1])},{dim_text(sizes[2])}")
    )
    for i, o in enumerate(output):
        ctx.check(
            ge(o, 0),
            codes.INTERPOLATE_SIZE,
            f"adaptive_avg_pool{n}d: elements of output_size must be greater than or equal to 0 but "
            f"received {{{received}}}",
            param=param,
            axis=2 + i,
        )
    for axis in range(1 if n == 3 else 2, pooled.rank):
        ctx.check(
            any_of(ne(pooled[axis], 0), eq(product(sizes), 1)),
            codes.RESAMPLE_EMPTY_INPUT,
            lambda: (
                f"adaptive_avg_pool{n}d(): Expected input to have non-zero size for non-batch "
                f"dimensions, but input has sizes {pooled} with dimension {axis} being empty"
            ),
            arg="input",
            axis=axis - pooled.rank,
        )


@op("torch.nn.functional.interpolate")
def interpolate(
    ctx,
    input,
    size=None,
    scale_factor=None,
    mode="nearest",
    align_corners=None,
    recompute_scale_factor=None,
    antialias=False,
):
    """[N, C, *spatial] -> [N, C, *size] or [N, C, *floor(spatial * scale_factor)]."""
    return _interpolate(ctx, tensor(input), size, scale_factor, mode, align_corners, recompute_scale_factor, antialias)


@op("torch.nn.functional.upsample")
def upsample(ctx, input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """[N, C, *spatial] -> [N, C, *size] or [N, C, *floor(spatial * scale_factor)]."""
    return _interpolate(ctx, tensor(input), size, scale_factor, mode, align_corners, None, False)


@op("torch.nn.functional.upsample_nearest")
def upsample_nearest(ctx, input, size=None, scale_factor=None):
    """[N, C, *spatial] -> [N, C, *size] or [N, C, *floor(spatial * scale_factor)]."""
    return _interpolate(ctx, tensor(input), size, scale_factor, "nearest", None, None, False)


@op("torch.nn.functional.upsample_bilinear")
def upsample_bilinear(ctx, input, size=None, scale_factor=None):
    """[N, C, H, W] -> [N, C, *size] or [N, C, floor(H * s), floor(W * s)]."""
    return _interpolate(ctx, tensor(input), size, scale_factor, "bilinear", True, None, False)


def _layer_scale(scale_factor):
    """nn.Upsample keeps a tuple of factors, and takes a zero factor for none."""
    if isinstance(scale_factor, tuple):
        return scale_factor
    return scale_factor if scale_factor else None


@layer("torch.nn.Upsample")
def upsample_layer(
    ctx, input, *, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None
):
    """[N, C, *spatial] -> [N, C, *size] or [N, C, *floor(spatial * scale_factor)]."""
    return _interpolate(
        ctx, tensor(input), size, _layer_scale(scale_factor), mode, align_corners, recompute_scale_factor, False
    )


@layer("torch.nn.UpsamplingNearest2d")
def upsampling_nearest2d(ctx, input, *, size=None, scale_factor=None):
    """[N, C, *spatial] -> [N, C, *size] or [N, C, *floor(spatial * scale_factor)]."""
    return _interpolate(ctx, tensor(input), size, _layer_scale(scale_factor), "nearest", None, None, False)


@layer("torch.nn.UpsamplingBilinear2d")
def upsampling_bilinear2d(ctx, input, *, size=None, scale_factor=None):
    """[N, C, H, W] -> [N, C, *size] or [N, C, floor(H * s), floor(W * s)]."""
    return _interpolate(ctx, tensor(input), size, _layer_scale(scale_factor), "bilinear", True, None, False)


# -- pixel shuffle ---------------------------------------------------------------------------


def _pixel_shuffle(ctx: Checker, x: Shape, r) -> Shape:
    ctx.check(
        x.rank >= 3,
        codes.RANK,
        lambda: f"pixel_shuffle expects input to have at least 3 dimensions, but got input with {x.rank} dimension(s)",
        arg="input",
    )
    ctx.check(
        gt(r, 0),
        codes.INVALID_ARGUMENT,
        lambda: f"pixel_shuffle expects a positive upscale_factor, but got {dim_text(r)}",
        param="upscale_factor",
    )
    c, h, w = x[-3], x[-2], x[-1]
    ctx.check(
        divides(r * r, c),
        codes.PIXEL_SHUFFLE_CHANNELS,
        lambda: (
            f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
            f"upscale_factor, but input.size(-3)={dim_text(c)} is not divisible by {dim_text(r * r)}"
        ),
        param="upscale_factor",
        arg="input",
        axis=-3,
    )
    ctx.facts.learn_divides(r * r, c)
    return x.with_last(3, (ctx.simplify(c // (r * r)), h * r, w * r))


def _pixel_unshuffle(ctx: Checker, x: Shape, r) -> Shape:
    ctx.check(
        x.rank >= 3,
        codes.RANK,
        lambda: (
            f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with {x.rank} dimension(s)"
        ),
        arg="input",
    )
    ctx.check(
        gt(r, 0),
        codes.INVALID_ARGUMENT,
        lambda: f"pixel_unshuffle expects a positive downscale_factor, but got {dim_text(r)}",
        param="downscale_factor",
    )
    c, h, w = x[-3], x[-2], x[-1]
    for axis, name, d in ((-2, "height", h), (-1, "width", w)):
        ctx.check(
            divides(r, d),
            codes.PIXEL_UNSHUFFLE_SPATIAL,
            lambda: (
                f"pixel_unshuffle expects {name} to be divisible by downscale_factor, but "
                f"input.size({axis})={dim_text(d)} is not divisible by {dim_text(r)}"
            ),
            param="downscale_factor",
            arg="input",
            axis=axis,
        )
        ctx.facts.learn_divides(r, d)
    if ctx.decide(eq(x.numel(), 0)):  # the CPU kernel returns an empty input as it is
        return x
    return x.with_last(3, (c * r * r, ctx.simplify(h // r), ctx.simplify(w // r)))


@op("torch.pixel_shuffle", "torch.nn.functional.pixel_shuffle")
def pixel_shuffle(ctx, input, upscale_factor):
    """[*, C*r^2, H, W] -> [*, C, H*r, W*r]."""
    return _pixel_shuffle(ctx, tensor(input), upscale_factor)


@op("torch.pixel_unshuffle", "torch.nn.functional.pixel_unshuffle")
def pixel_unshuffle(ctx, input, downscale_factor):
    """[*, C, H*r, W*r] -> [*, C*r^2, H, W]."""
    return _pixel_unshuffle(ctx, tensor(input), downscale_factor)


@layer("torch.nn.PixelShuffle")
def pixel_shuffle_layer(ctx, input, *, upscale_factor):
    """[*, C*r^2, H, W] -> [*, C, H*r, W*r]."""
    return _pixel_shuffle(ctx, tensor(input), upscale_factor)


@layer("torch.nn.PixelUnshuffle")
def pixel_unshuffle_layer(ctx, input, *, downscale_factor):
    """[*, C, H*r, W*r] -> [*, C*r^2, H, W]."""
    return _pixel_unshuffle(ctx, tensor(input), downscale_factor)


# -- fold / unfold ---------------------------------------------------------------------------


def _pair(ctx: Checker, value, name: str) -> tuple:
    """torch's ``_pair`` (an int twice, a sequence as it is); im2col/col2im take exactly 2 values."""
    values = ntuple_as_is(value, 2)
    ctx.check(
        len(values) == 2,
        codes.INVALID_ARGUMENT,
        f"It is expected {name} equals to 2, but got size {len(values)}",
        param=name,
    )
    if not all(is_dim(v) for v in values):
        raise Lost(f"{name} is not known statically")
    return values


def _window(ctx: Checker, kernel_size, dilation, padding, stride) -> tuple:
    """The sliding-window arguments, checked as im2col/col2im check them."""
    k, d = _pair(ctx, kernel_size, "kernel_size"), _pair(ctx, dilation, "dilation")
    p, s = _pair(ctx, padding, "padding"), _pair(ctx, stride, "stride")
    for name, values, least, label, problem in (
        ("kernel_size", k, 1, "kernel", "kernel size should be greater than zero"),
        ("dilation", d, 1, "dilation", "dilation should be greater than zero"),
        ("padding", p, 0, "pad", "padding should be non-negative"),
        ("stride", s, 1, "stride", "stride should be greater than zero"),
    ):
        message = f"{problem}, but got {label}_height: {dim_text(values[0])} {label}_width: {dim_text(values[1])}"
        for v in values:
            ctx.check(ge(v, least), codes.INVALID_ARGUMENT, message, param=name)
    return k, d, p, s


def _blocks(size, k, d, p, s):
    """The number of window positions along one axis."""
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def _window_text(k, d, p, s) -> str:
    def pair(v):
        return f"({dim_text(v[0])}, {dim_text(v[1])})"

    return f"kernel_size={pair(k)}, dilation={pair(d)}, padding={pair(p)}, stride={pair(s)}"


def _unfold(ctx: Checker, x: Shape, kernel_size, dilation, padding, stride) -> Shape:
    """im2col: [(N,) C, H, W] -> [(N,) C*kh*kw, L], L = the window positions over H times W."""
    k, d, p, s = _window(ctx, kernel_size, dilation, padding, stride)
    expected = (
        "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
        f"dimensions for input, but got: {x}"
    )
    ctx.check(x.rank in (3, 4), codes.RANK, expected, arg="input")
    for axis in (-3, -2, -1):
        ctx.check(ne(x[axis], 0), codes.RESAMPLE_EMPTY_INPUT, expected, arg="input", axis=axis)
    blocks = [_blocks(x[-2 + i], k[i], d[i], p[i], s[i]) for i in range(2)]
    for i in range(2):
        ctx.check(
            ge(blocks[i], 1),
            codes.FOLD_BLOCKS,
            lambda: (
                f"Given input with spatial size ({dim_text(x[-2])}, {dim_text(x[-1])}), "
                f"kernel_size=({dim_text(k[0])}, {dim_text(k[1])}), dilation=({dim_text(d[0])}, "
                f"{dim_text(d[1])}), padding=({dim_text(p[0])}, {dim_text(p[1])}), calculated shape "
                f"of the array of sliding blocks as ({dim_text(blocks[0])}, {dim_text(blocks[1])}), "
                "but its components must be at least one."
            ),
            param="kernel_size",
            arg="input",
            axis=-2 + i,
        )
    return x.with_last(3, (x[-3] * k[0] * k[1], blocks[0] * blocks[1]))


def _fold(ctx: Checker, x: Shape, output_size, kernel_size, dilation, padding, stride) -> Shape:
    """col2im: [(N,) C*kh*kw, L] -> [(N,) C, *output_size]; L must be the window positions."""
    o = _pair(ctx, output_size, "output_size")
    k, d, p, s = _window(ctx, kernel_size, dilation, padding, stride)
    for v in o:
        ctx.check(
            ge(v, 1),
            codes.INVALID_ARGUMENT,
            lambda: (
                f"Expected output spatial size to be positive, but got: output_size=("
                f"{dim_text(o[0])}, {dim_text(o[1])})."
            ),
            param="output_size",
        )
    expected = (
        "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
        f"dimensions for input, but got: {x}"
    )
    ctx.check(x.rank in (2, 3), codes.RANK, expected, arg="input")
    for axis in (-2, -1):
        ctx.check(ne(x[axis], 0), codes.RESAMPLE_EMPTY_INPUT, expected, arg="input", axis=axis)
    c, length, plane = x[-2], x[-1], k[0] * k[1]
    dim = x.rank - 2  # torch names the axes of a batched input from 1
    ctx.check(
        divides(plane, c),
        codes.FOLD_CHANNELS,
        lambda: (
            f"Expected size of input's dimension {dim} to be divisible by the product of kernel_size, "
            f"but got input.size({dim})={dim_text(c)} and kernel_size=({dim_text(k[0])}, "
            f"{dim_text(k[1])})."
        ),
        param="kernel_size",
        arg="input",
        axis=-2,
    )
    ctx.facts.learn_divides(plane, c)
    blocks = [_blocks(o[i], k[i], d[i], p[i], s[i]) for i in range(2)]
    given = f"Given output_size=({dim_text(o[0])}, {dim_text(o[1])}), {_window_text(k, d, p, s)}, "
    ctx.check(
        eq(length, blocks[0] * blocks[1]),
        codes.FOLD_BLOCKS,
        lambda: (
            f"{given}expected size of input's dimension {dim + 1} to match the calculated number of "
            f"sliding blocks {dim_text(blocks[0])} * {dim_text(blocks[1])} = "
            f"{dim_text(blocks[0] * blocks[1])}, but got input.size({dim + 1})={dim_text(length)}."
        ),
        expected=blocks[0] * blocks[1],
        actual=length,
        arg="input",
        axis=-1,
    )
    for i in range(2):
        ctx.check(
            ge(blocks[i], 1),
            codes.FOLD_BLOCKS,
            lambda: (
                f"{given}calculated shape of the array of sliding blocks as ({dim_text(blocks[0])}, "
                f"{dim_text(blocks[1])}), which is invalid."
            ),
            param="output_size",
        )
    return x.with_last(2, (ctx.simplify(c // plane), *o))


@op("torch.nn.functional.unfold")
def unfold(ctx, input, kernel_size, dilation=1, padding=0, stride=1):
    """[(N,) C, H, W] -> [(N,) C*kh*kw, L]; L = blocks(H) * blocks(W)."""
    return _unfold(ctx, tensor(input), kernel_size, dilation, padding, stride)


@op("torch.nn.functional.fold")
def fold(ctx, input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """[(N,) C*kh*kw, L] -> [(N,) C, *output_size]; L = blocks(H_out) * blocks(W_out)."""
    return _fold(ctx, tensor(input), output_size, kernel_size, dilation, padding, stride)


@layer("torch.nn.Unfold")
def unfold_layer(ctx, input, *, kernel_size, dilation=1, padding=0, stride=1):
    """[(N,) C, H, W] -> [(N,) C*kh*kw, L]; L = blocks(H) * blocks(W)."""
    return _unfold(ctx, tensor(input), kernel_size, dilation, padding, stride)


@layer("torch.nn.Fold")
def fold_layer(ctx, input, *, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """[(N,) C*kh*kw, L] -> [(N,) C, *output_size]; L = blocks(H_out) * blocks(W_out)."""
    return _fold(ctx, tensor(input), output_size, kernel_size, dilation, padding, stride)


# -- channel shuffle -------------------------------------------------------------------------


def _channel_shuffle(ctx: Checker, x: Shape, groups) -> Shape:
    ctx.check(
        x.rank > 2,
        codes.RANK,
        lambda: f"channel_shuffle expects input with > 2 dims, but got input with sizes {x}",
        arg="input",
    )
    ctx.check(
        gt(groups, 0),
        codes.INVALID_ARGUMENT,
        lambda: f"Number of groups to divide channels in must be positive. Value of groups:{dim_text(groups)}",
        param="groups",
    )
    ctx.check(
        divides(groups, x[1]),
        codes.CHANNEL_SHUFFLE_GROUPS,
        lambda: (
            f"Number of channels must be divisible by groups. Got {dim_text(x[1])} channels and "
            f"{dim_text(groups)} groups."
        ),
        param="groups",
        arg="input",
        axis=1,
    )
    return x


@op(
    "torch.channel_shuffle",
    "torch.nn.functional.channel_shuffle",
    "torch.native_channel_shuffle",
    "torch.nn.functional.native_channel_shuffle",
)
def channel_shuffle(ctx, input, groups):
    """[N, C, *] -> [N, C, *]; groups divides C."""
    return _channel_shuffle(ctx, tensor(input), groups)


@layer("torch.nn.ChannelShuffle")
def channel_shuffle_layer(ctx, input, *, groups):
    """[N, C, *] -> [N, C, *]; groups divides C."""
    return _channel_shuffle(ctx, tensor(input), groups)

"""Pooling: nn.MaxPool*, AvgPool*, LPPool*, Adaptive*Pool*, MaxUnpool*, FractionalMaxPool*, F.*.

A window of size ``k`` (dilated to ``d*(k - 1) + 1``) slides with stride ``s`` over an input
padded by ``p`` on both sides: ``(H + 2*p - d*(k - 1) - 1)//s + 1`` windows. In ``ceil_mode``
the count rounds up, except that a last window starting in the right padding is dropped; both
at once are ``min(H + 2*p - d*(k - 1) - 1 + s - 1, H + p - 1)//s + 1``, which simplifies to
one side whenever the parameters are known. 1d pools run through the 2d kernels as torch does
(``[N, C, L]`` becomes ``[N, C, 1, L]``), so their errors read like the 2d ones.
"""

from __future__ import annotations

from fractions import Fraction

from .. import codes
from ..dims import Checker, Lost, Shape, any_of, dim_text, dmin, eq, floordiv, ge, gt, is_dim, le, lt
from ._common import is_tensor, ntuple, tensor
from ._registry import layer, op, values_and_indices

_AXES = {2: "HW", 3: "THW"}


def _named(prefix: str, n: int, values) -> str:
    """``kH: 3 kW: 2``: how torch's pooling checks name per-axis values."""
    return " ".join(f"{prefix}{a}: {dim_text(v)}" for a, v in zip(_AXES[n], values))


def _sizes(values) -> str:
    return "x".join(dim_text(v, paren=True) for v in values)


# ---------------------------------------------------------------------------------------------
# the window arithmetic shared by max, avg and lp pooling


def _window_count(size, k, s, p, d, ceil_mode: bool):
    """torch's ``pooling_output_shape``, in the closed form of the module docstring."""
    span = size + 2 * p - d * (k - 1) - 1
    if ceil_mode:
        return dmin(span + s - 1, size + p - 1) // s + 1
    return span // s + 1


def _check_window(ctx: Checker, k, s, p, d) -> None:
    """The argument checks of ``pooling_output_shape``, for one axis."""
    ctx.check(any_of(gt(s, 0), lt(s, 0)), codes.INVALID_ARGUMENT, "stride should not be zero", param="stride")
    ctx.check(
        ge(p, 0), codes.INVALID_ARGUMENT, f"pad must be non-negative, but got pad: {dim_text(p)}", param="padding"
    )
    ctx.check(
        le(p, floordiv(d * (k - 1) + 1, 2)),
        codes.POOL_PADDING,
        lambda: (
            f"pad should be at most half of effective kernel size, but got pad={dim_text(p)}, "
            f"kernel_size={dim_text(k)} and dilation={dim_text(d)}"
        ),
        param="padding",
        expected=floordiv(d * (k - 1) + 1, 2),
        actual=p,
    )


def _pool_nd(
    ctx: Checker,
    x: Shape,
    n: int,
    k: tuple,
    s: tuple,
    p: tuple,
    d: tuple,
    ceil_mode: bool,
    *,
    fn_name: str,
    check_input_size: bool = False,
) -> Shape:
    """What torch's 2d/3d max and avg pooling check, in their order, and the pooled shape.

    ``x`` has rank ``n + 1`` or ``n + 2`` (checked by the caller).
    """
    for ki, si, pi, di in zip(k, s, p, d):
        _check_window(ctx, ki, si, pi, di)
    for what, values, low in (("kernel size", k, "k"), ("stride", s, "d"), ("dilation", d, "dilation")):
        for v in values:
            ctx.check(
                gt(v, 0),
                codes.INVALID_ARGUMENT,
                lambda: f"{what} should be greater than zero, but got {_named(low, n, values)}",
                param="kernel_size" if what == "kernel size" else what,
            )
    planes = x[-n - 1]
    spatial = x.dims[-n:]
    for axis in range(x.rank - n - 1, x.rank):  # the batch may be empty, nothing else
        if n == 2:
            message = f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:{x}"
        else:
            message = (
                f"{fn_name}: Expected input's non-batch dimensions to have positive length, but input has "
                f"a shape of {x} and non-batch dimension {dim_text(x[axis])} has length zero!"
            )
        ctx.check(ge(x[axis], 1), codes.POOL_RANK, message, arg="input", axis=axis)
    if check_input_size:
        for size, ki in zip(spatial, k):
            ctx.check(
                ge(size, ki),
                codes.POOL_OUTPUT_SIZE,
                lambda: f"input image ({_named('', n, spatial)}) smaller than kernel size ({_named('k', n, k)})",
                expected=ki,
                actual=size,
                arg="input",
            )
    for pi, ki in zip(p, k):
        if n == 2:
            message = (
                f"pad should be smaller than or equal to half of kernel size, but got "
                f"padW = {dim_text(p[1])}, padH = {dim_text(p[0])}, "
                f"kW = {dim_text(k[1])}, kH = {dim_text(k[0])}"
            )
        else:
            message = (
                f"pad should be smaller than or equal to half of kernel size, but got kT: {dim_text(k[0])} "
                f"kW: {dim_text(k[2])} kH: {dim_text(k[1])} padT: {dim_text(p[0])} padW: {dim_text(p[2])} "
                f"padH: {dim_text(p[1])}"
            )
        ctx.check(
            le(pi, floordiv(ki, 2)), codes.POOL_PADDING, message, param="padding", expected=floordiv(ki, 2), actual=pi
        )
    out = [_window_count(h, ki, si, pi, di, ceil_mode) for h, ki, si, pi, di in zip(spatial, k, s, p, d)]
    for i, (h, ki, si, pi, di) in enumerate(zip(spatial, k, s, p, d)):
        # out >= 1 said of the input: the first window fits (or, in ceil mode, starts in it)
        ctx.check(
            ge(h + 2 * pi + (si - 1 if ceil_mode else 0), di * (ki - 1) + 1),
            codes.POOL_OUTPUT_SIZE,
            lambda: (
                f"Given input size: ({_sizes((planes,) + spatial)}). Calculated output size: "
                f"({_sizes([planes] + out)}). Output size is too small"
            ),
            arg="input",
            axis=i - n,
        )
    return x.with_last(n, out)


def _stride(kernel, stride):
    """An omitted stride (``None`` or ``[]``) is the kernel size."""
    if stride is None or (isinstance(stride, (tuple, list)) and not stride):
        return kernel
    return stride


def _args(n: int, kernel_size, stride, padding, dilation=1) -> tuple:
    return (
        ntuple(kernel_size, n, "kernel_size"),
        ntuple(_stride(kernel_size, stride), n, "stride"),
        ntuple(padding, n, "padding"),
        ntuple(dilation, n, "dilation"),
    )


def _unsqueezed(ctx: Checker, x: Shape, name: str) -> Shape:
    """A 1d pool's input ``[N, C, L]`` (or ``[C, L]``) as the 2d kernel sees it, ``[N, C, 1, L]``."""
    ctx.check(
        x.rank in (2, 3),
        codes.POOL_RANK,
        f"Expected 2 to 3 dimensions, but got {x.rank}-dimensional tensor for argument #1 'self' "
        f"(while checking arguments for {name})",
        arg="input",
    )
    return x.with_last(1, (1, x[-1]))


def _squeezed(x: Shape) -> Shape:
    return x.with_last(2, (x[-1],))


def _indexed(out: Shape, return_indices: bool):
    """Max pooling returns ``(values, indices)`` of one shape when asked for indices."""
    return (out, out) if return_indices else out


# ---------------------------------------------------------------------------------------------
# max pooling


def _max_pool1d_plain(ctx: Checker, input, kernel_size, stride, padding, dilation, ceil_mode) -> Shape:
    """``torch.max_pool1d``: a kernel of its own, with its own checks and wording."""
    x = tensor(input)
    ctx.check(
        x.rank in (2, 3),
        codes.POOL_RANK,
        f"max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:{x}",
        arg="input",
    )
    for axis in (-2, -1):
        ctx.check(
            ge(x[axis], 1),
            codes.POOL_RANK,
            f"max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:{x}",
            arg="input",
            axis=axis,
        )
    (k,), (s,), (p,), (d,) = _args(1, kernel_size, stride, padding, dilation)
    ctx.check(
        gt(k, 0),
        codes.INVALID_ARGUMENT,
        f"max_pool1d() kernel_size must be greater than zero, but got {k}",
        param="kernel_size",
    )
    ctx.check(
        gt(s, 0), codes.INVALID_ARGUMENT, f"max_pool1d() stride must be greater than zero, but got {s}", param="stride"
    )
    ctx.check(
        ge(p, 0), codes.INVALID_ARGUMENT, f"max_pool1d() padding must be non-negative, but got {p}", param="padding"
    )
    ctx.check(
        le(p, floordiv(k, 2)),
        codes.POOL_PADDING,
        f"max_pool1d() padding should be at most half of kernel size, but got padding={dim_text(p)} and "
        f"kernel_size={dim_text(k)}",
        param="padding",
        expected=floordiv(k, 2),
        actual=p,
    )
    ctx.check(
        gt(d, 0),
        codes.INVALID_ARGUMENT,
        f"max_pool1d() dilation must be greater than zero, but got {d}",
        param="dilation",
    )
    out = _window_count(x[-1], k, s, p, d, ceil_mode)
    ctx.check(
        ge(x[-1] + 2 * p + (s - 1 if ceil_mode else 0), d * (k - 1) + 1),
        codes.POOL_OUTPUT_SIZE,
        lambda: f"max_pool1d() Invalid computed output size: {dim_text(out)}",
        arg="input",
        axis=-1,
    )
    return x.replace(-1, out)


def _max_pool_indices(ctx: Checker, input, n: int, kernel_size, stride, padding, dilation, ceil_mode) -> Shape:
    """``max_pool{n}d_with_indices``; 1d runs as 2d over ``[N, C, 1, L]``."""
    x = tensor(input)
    if n == 1:
        (k,), (s,), (p,), (d,) = _args(1, kernel_size, stride, padding, dilation)
        y = _pool_nd(
            ctx, _unsqueezed(ctx, x, "max_pool1d"), 2, (1, k), (1, s), (0, p), (1, d), ceil_mode, fn_name="max_pool2d"
        )
        return _squeezed(y)
    ctx.check(
        x.rank in (n + 1, n + 2),
        codes.POOL_RANK,
        f"non-empty {n + 1}D or {n + 2}D (batch mode) tensor expected for input",
        arg="input",
    )
    k, s, p, d = _args(n, kernel_size, stride, padding, dilation)
    return _pool_nd(ctx, x, n, k, s, p, d, ceil_mode, fn_name="max_pool3d_with_indices()")


def _max_pool(ctx: Checker, input, n: int, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    if n == 1 and not return_indices:
        return _max_pool1d_plain(ctx, input, kernel_size, stride, padding, dilation, ceil_mode)
    return _indexed(_max_pool_indices(ctx, input, n, kernel_size, stride, padding, dilation, ceil_mode), return_indices)


@op("torch.nn.functional.max_pool1d")
def f_max_pool1d(ctx, input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """[N, C, L] -> [N, C, L'] (and indices); N optional."""
    return _max_pool(ctx, input, 1, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


@op("torch.nn.functional.max_pool2d")
def f_max_pool2d(ctx, input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """[N, C, H, W] -> [N, C, H', W'] (and indices); N optional."""
    return _max_pool(ctx, input, 2, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


@op("torch.nn.functional.max_pool3d")
def f_max_pool3d(ctx, input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """[N, C, D, H, W] -> [N, C, D', H', W'] (and indices); N optional."""
    return _max_pool(ctx, input, 3, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


@op("torch.nn.functional.max_pool1d_with_indices", dtype=values_and_indices)
def f_max_pool1d_with_indices(
    ctx, input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """[N, C, L] -> ([N, C, L'], indices of that shape); N optional."""
    return _max_pool(ctx, input, 1, kernel_size, stride, padding, dilation, ceil_mode, True)


@op("torch.nn.functional.max_pool2d_with_indices", dtype=values_and_indices)
def f_max_pool2d_with_indices(
    ctx, input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """[N, C, H, W] -> ([N, C, H', W'], indices of that shape); N optional."""
    return _max_pool(ctx, input, 2, kernel_size, stride, padding, dilation, ceil_mode, True)


@op("torch.nn.functional.max_pool3d_with_indices", dtype=values_and_indices)
def f_max_pool3d_with_indices(
    ctx, input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """[N, C, D, H, W] -> ([N, C, D', H', W'], indices of that shape); N optional."""
    return _max_pool(ctx, input, 3, kernel_size, stride, padding, dilation, ceil_mode, True)


@op("torch.max_pool1d")
def max_pool1d(ctx, input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """[N, C, L] -> [N, C, L']; N optional."""
    return _max_pool(ctx, input, 1, kernel_size, stride, padding, dilation, ceil_mode, False)


@op("torch.max_pool2d")
def max_pool2d(ctx, input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """[N, C, H, W] -> [N, C, H', W']; N optional."""
    return _max_pool(ctx, input, 2, kernel_size, stride, padding, dilation, ceil_mode, False)


@op("torch.max_pool3d")
def max_pool3d(ctx, input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """[N, C, D, H, W] -> [N, C, D', H', W']; N optional."""
    return _max_pool(ctx, input, 3, kernel_size, stride, padding, dilation, ceil_mode, False)


@op("torch.max_pool1d_with_indices", dtype=values_and_indices)
def max_pool1d_with_indices(ctx, input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """[N, C, L] -> ([N, C, L'], indices of that shape); N optional."""
    return _max_pool(ctx, input, 1, kernel_size, stride, padding, dilation, ceil_mode, True)


@layer("torch.nn.MaxPool1d")
def max_pool1d_layer(
    ctx, input, *, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False
):
    """[N, C, L] -> [N, C, L'] (and indices); N optional."""
    return _max_pool(ctx, input, 1, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


@layer("torch.nn.MaxPool2d")
def max_pool2d_layer(
    ctx, input, *, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False
):
    """[N, C, H, W] -> [N, C, H', W'] (and indices); N optional."""
    return _max_pool(ctx, input, 2, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


@layer("torch.nn.MaxPool3d")
def max_pool3d_layer(
    ctx, input, *, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False
):
    """[N, C, D, H, W] -> [N, C, D', H', W'] (and indices); N optional."""
    return _max_pool(ctx, input, 3, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


# ---------------------------------------------------------------------------------------------
# average and power-average pooling


def _avg_pool(ctx: Checker, input, n: int, kernel_size, stride, padding, ceil_mode, divisor_override=None) -> Shape:
    """``avg_pool{n}d``; 1d runs as 2d over ``[N, C, 1, L]``. Only ``avg_pool3d`` wants the
    kernel to fit the unpadded input."""
    x = tensor(input)
    ctx.check(
        divisor_override is None or divisor_override != 0,
        codes.INVALID_ARGUMENT,
        "divisor must be not zero",
        param="divisor_override",
    )
    if n == 1:
        (k,), (s,), (p,), _ = _args(1, kernel_size, stride, padding)
        y = _pool_nd(
            ctx, _unsqueezed(ctx, x, "avg_pool1d"), 2, (1, k), (1, s), (0, p), (1, 1), ceil_mode, fn_name="avg_pool2d"
        )
        return _squeezed(y)
    k, s, p, d = _args(n, kernel_size, stride, padding)
    if n == 2:
        ctx.check(
            x.rank >= 3,
            codes.POOL_RANK,
            f"Dimension out of range (expected to be in range of [{-max(x.rank, 1)}, {max(x.rank, 1) - 1}], "
            f"but got -3)",
            arg="input",
        )
        ctx.check(
            x.rank <= 4,
            codes.POOL_RANK,
            f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:{x}",
            arg="input",
        )
    else:
        ctx.check(
            x.rank in (4, 5), codes.POOL_RANK, "non-empty 4D or 5D (batch mode) tensor expected for input", arg="input"
        )
    return _pool_nd(ctx, x, n, k, s, p, d, ceil_mode, fn_name="avg_pool3d()", check_input_size=n == 3)


@op("torch.nn.functional.avg_pool1d", "torch.avg_pool1d")
def f_avg_pool1d(ctx, input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """[N, C, L] -> [N, C, L']; N optional."""
    return _avg_pool(ctx, input, 1, kernel_size, stride, padding, ceil_mode)


@op("torch.nn.functional.avg_pool2d")
def f_avg_pool2d(
    ctx, input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None
):
    """[N, C, H, W] -> [N, C, H', W']; N optional."""
    return _avg_pool(ctx, input, 2, kernel_size, stride, padding, ceil_mode, divisor_override)


@op("torch.nn.functional.avg_pool3d")
def f_avg_pool3d(
    ctx, input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None
):
    """[N, C, D, H, W] -> [N, C, D', H', W']; N optional."""
    return _avg_pool(ctx, input, 3, kernel_size, stride, padding, ceil_mode, divisor_override)


@layer("torch.nn.AvgPool1d")
def avg_pool1d_layer(ctx, input, *, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """[N, C, L] -> [N, C, L']; N optional."""
    return _avg_pool(ctx, input, 1, kernel_size, stride, padding, ceil_mode)


@layer("torch.nn.AvgPool2d")
def avg_pool2d_layer(
    ctx, input, *, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None
):
    """[N, C, H, W] -> [N, C, H', W']; N optional."""
    return _avg_pool(ctx, input, 2, kernel_size, stride, padding, ceil_mode, divisor_override)


@layer("torch.nn.AvgPool3d")
def avg_pool3d_layer(
    ctx, input, *, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None
):
    """[N, C, D, H, W] -> [N, C, D', H', W']; N optional."""
    return _avg_pool(ctx, input, 3, kernel_size, stride, padding, ceil_mode, divisor_override)


def _lp_pool(ctx: Checker, input, n: int, norm_type, kernel_size, stride, ceil_mode) -> Shape:
    """An average pool of ``input**p`` without padding; a max pool when ``p`` is infinite."""
    if norm_type in (float("inf"), float("-inf")):
        return _max_pool(ctx, input, n, kernel_size, stride, 0, 1, ceil_mode, False)
    return _avg_pool(ctx, input, n, kernel_size, stride, 0, ceil_mode)


@op("torch.nn.functional.lp_pool1d")
def f_lp_pool1d(ctx, input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """[N, C, L] -> [N, C, L']; N optional."""
    return _lp_pool(ctx, input, 1, norm_type, kernel_size, stride, ceil_mode)


@op("torch.nn.functional.lp_pool2d")
def f_lp_pool2d(ctx, input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """[N, C, H, W] -> [N, C, H', W']; N optional."""
    return _lp_pool(ctx, input, 2, norm_type, kernel_size, stride, ceil_mode)


@op("torch.nn.functional.lp_pool3d")
def f_lp_pool3d(ctx, input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """[N, C, D, H, W] -> [N, C, D', H', W']; N optional."""
    return _lp_pool(ctx, input, 3, norm_type, kernel_size, stride, ceil_mode)


@layer("torch.nn.LPPool1d")
def lp_pool1d_layer(ctx, input, *, norm_type, kernel_size, stride=None, ceil_mode=False):
    """[N, C, L] -> [N, C, L']; N optional."""
    return _lp_pool(ctx, input, 1, norm_type, kernel_size, stride, ceil_mode)


@layer("torch.nn.LPPool2d")
def lp_pool2d_layer(ctx, input, *, norm_type, kernel_size, stride=None, ceil_mode=False):
    """[N, C, H, W] -> [N, C, H', W']; N optional."""
    return _lp_pool(ctx, input, 2, norm_type, kernel_size, stride, ceil_mode)


@layer("torch.nn.LPPool3d")
def lp_pool3d_layer(ctx, input, *, norm_type, kernel_size, stride=None, ceil_mode=False):
    """[N, C, D, H, W] -> [N, C, D', H', W']; N optional."""
    return _lp_pool(ctx, input, 3, norm_type, kernel_size, stride, ceil_mode)


# ---------------------------------------------------------------------------------------------
# adaptive pooling: the output size is given, None keeps the input's


def _adaptive_sizes(ctx: Checker, x: Shape, n: int, output_size, kind: str) -> tuple:
    """``_list_with_default``: an int stands for every axis; ``None`` in a tuple keeps that axis."""
    if is_dim(output_size):
        return (output_size,) * n
    if not isinstance(output_size, (tuple, list)):
        raise Lost("output_size is not a size")
    ctx.check(
        x.rank > len(output_size),
        codes.POOL_RANK,
        f"Input dimension should be at least {len(output_size) + 1}",
        arg="input",
    )
    sizes = tuple(x[x.rank - len(output_size) + i] if v is None else v for i, v in enumerate(output_size))
    name = f"adaptive_{kind}_pool{n}d"
    ctx.check(
        len(sizes) == n,
        codes.INVALID_ARGUMENT,
        f"{name}(): internal error: output_size.size() must be {n}"
        if kind == "max"
        else f"{name}: output_size must be {n}",
        param="output_size",
    )
    return sizes


def _adaptive(ctx: Checker, x: Shape, n: int, sizes: tuple, kind: str) -> Shape:
    """``adaptive_{kind}_pool{n}d`` (n = 2, 3) over an input of rank n + 1 or n + 2."""
    name = f"adaptive_{kind}_pool{n}d"
    if kind == "avg":
        for v in sizes:
            ctx.check(
                ge(v, 0),
                codes.NEGATIVE_SIZE,
                f"{name}: elements of output_size must be greater than or equal to 0 but received "
                f"{{{', '.join(dim_text(s) for s in sizes)}}}",
                param="output_size",
            )
    ctx.check(
        x.rank in (n + 1, n + 2),
        codes.POOL_RANK,
        f"{name}(): Expected {n + 1}D or {n + 2}D tensor, but got{':' if kind == 'max' else ''} {x}",
        arg="input",
    )
    first = 1 if kind == "max" else x.rank - n  # max checks every non-batch axis, avg the pooled ones
    for axis in range(first, x.rank):
        ctx.check(
            ge(x[axis], 1),
            codes.POOL_RANK,
            f"{name}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes "
            f"{x} with dimension {axis} being empty",
            arg="input",
            axis=axis,
        )
    if kind == "max":
        for v in sizes:
            ctx.check(
                ge(v, 0),
                codes.NEGATIVE_SIZE,
                lambda: f"Trying to create tensor with negative dimension {dim_text(v)}: {x.with_last(n, sizes)}",
                param="output_size",
            )
    return x.with_last(n, sizes)


def _adaptive_1d(ctx: Checker, input, output_size, kind: str) -> Shape:
    """1d adaptive pools take one int and run as 2d over ``[N, C, 1, L]``."""
    x = tensor(input)
    name = f"adaptive_{kind}_pool1d"
    ctx.check(
        x.rank in (2, 3),
        codes.POOL_RANK,
        f"Expected 2 to 3 dimensions, but got {x.rank}-dimensional tensor for argument #1 'self' "
        f"(while checking arguments for {name})",
        arg="input",
    )
    sizes = tuple(output_size) if isinstance(output_size, (tuple, list)) else (output_size,)
    ctx.check(
        len(sizes) == 1,
        codes.INVALID_ARGUMENT,
        f"{name}() argument 'output_size' should contain one int (got {len(sizes)})",
        param="output_size",
    )
    if not is_dim(sizes[0]):
        raise Lost("output_size is not a size")
    return _squeezed(_adaptive(ctx, x.with_last(1, (1, x[-1])), 2, (1, sizes[0]), kind))


def _adaptive_nd(ctx: Checker, input, n: int, output_size, kind: str) -> Shape:
    x = tensor(input)
    return _adaptive(ctx, x, n, _adaptive_sizes(ctx, x, n, output_size, kind), kind)


@op("torch.nn.functional.adaptive_avg_pool1d", "torch.adaptive_avg_pool1d")
def f_adaptive_avg_pool1d(ctx, input, output_size):
    """[N, C, L] -> [N, C, output_size]; N optional."""
    return _adaptive_1d(ctx, input, output_size, "avg")


@op("torch.nn.functional.adaptive_avg_pool2d")
def f_adaptive_avg_pool2d(ctx, input, output_size):
    """[N, C, H, W] -> [N, C, *output_size] (None keeps the axis); N optional."""
    return _adaptive_nd(ctx, input, 2, output_size, "avg")


@op("torch.nn.functional.adaptive_avg_pool3d")
def f_adaptive_avg_pool3d(ctx, input, output_size):
    """[N, C, D, H, W] -> [N, C, *output_size] (None keeps the axis); N optional."""
    return _adaptive_nd(ctx, input, 3, output_size, "avg")


@op("torch.nn.functional.adaptive_max_pool1d")
def f_adaptive_max_pool1d(ctx, input, output_size, return_indices=False):
    """[N, C, L] -> [N, C, output_size] (and indices); N optional."""
    return _indexed(_adaptive_1d(ctx, input, output_size, "max"), return_indices)


@op("torch.nn.functional.adaptive_max_pool2d")
def f_adaptive_max_pool2d(ctx, input, output_size, return_indices=False):
    """[N, C, H, W] -> [N, C, *output_size] (and indices; None keeps the axis); N optional."""
    return _indexed(_adaptive_nd(ctx, input, 2, output_size, "max"), return_indices)


@op("torch.nn.functional.adaptive_max_pool3d")
def f_adaptive_max_pool3d(ctx, input, output_size, return_indices=False):
    """[N, C, D, H, W] -> [N, C, *output_size] (and indices; None keeps the axis); N optional."""
    return _indexed(_adaptive_nd(ctx, input, 3, output_size, "max"), return_indices)


@op("torch.nn.functional.adaptive_max_pool1d_with_indices")
def f_adaptive_max_pool1d_with_indices(ctx, input, output_size, return_indices=False):
    """[N, C, L] -> ([N, C, output_size], indices of that shape); N optional."""
    return _indexed(_adaptive_1d(ctx, input, output_size, "max"), True)


@op("torch.nn.functional.adaptive_max_pool2d_with_indices")
def f_adaptive_max_pool2d_with_indices(ctx, input, output_size, return_indices=False):
    """[N, C, H, W] -> ([N, C, *output_size], indices of that shape); N optional."""
    return _indexed(_adaptive_nd(ctx, input, 2, output_size, "max"), True)


@op("torch.nn.functional.adaptive_max_pool3d_with_indices")
def f_adaptive_max_pool3d_with_indices(ctx, input, output_size, return_indices=False):
    """[N, C, D, H, W] -> ([N, C, *output_size], indices of that shape); N optional."""
    return _indexed(_adaptive_nd(ctx, input, 3, output_size, "max"), True)


@op("torch.adaptive_max_pool1d")
def adaptive_max_pool1d(ctx, input, output_size):
    """[N, C, L] -> ([N, C, output_size], indices of that shape); N optional."""
    return _indexed(_adaptive_1d(ctx, input, output_size, "max"), True)


@layer("torch.nn.AdaptiveAvgPool1d")
def adaptive_avg_pool1d_layer(ctx, input, *, output_size):
    """[N, C, L] -> [N, C, output_size]; N optional."""
    return _adaptive_1d(ctx, input, output_size, "avg")


@layer("torch.nn.AdaptiveAvgPool2d")
def adaptive_avg_pool2d_layer(ctx, input, *, output_size):
    """[N, C, H, W] -> [N, C, *output_size] (None keeps the axis); N optional."""
    return _adaptive_nd(ctx, input, 2, output_size, "avg")


@layer("torch.nn.AdaptiveAvgPool3d")
def adaptive_avg_pool3d_layer(ctx, input, *, output_size):
    """[N, C, D, H, W] -> [N, C, *output_size] (None keeps the axis); N optional."""
    return _adaptive_nd(ctx, input, 3, output_size, "avg")


@layer("torch.nn.AdaptiveMaxPool1d")
def adaptive_max_pool1d_layer(ctx, input, *, output_size, return_indices=False):
    """[N, C, L] -> [N, C, output_size] (and indices); N optional."""
    return _indexed(_adaptive_1d(ctx, input, output_size, "max"), return_indices)


@layer("torch.nn.AdaptiveMaxPool2d")
def adaptive_max_pool2d_layer(ctx, input, *, output_size, return_indices=False):
    """[N, C, H, W] -> [N, C, *output_size] (and indices; None keeps the axis); N optional."""
    return _indexed(_adaptive_nd(ctx, input, 2, output_size, "max"), return_indices)


@layer("torch.nn.AdaptiveMaxPool3d")
def adaptive_max_pool3d_layer(ctx, input, *, output_size, return_indices=False):
    """[N, C, D, H, W] -> [N, C, *output_size] (and indices; None keeps the axis); N optional."""
    return _indexed(_adaptive_nd(ctx, input, 3, output_size, "max"), return_indices)


# ---------------------------------------------------------------------------------------------
# max unpooling: the inverse of a max pool, sized by its arguments or by output_size


def _unpool_sizes(ctx: Checker, x: Shape, n: int, k: tuple, s: tuple, p: tuple, output_size) -> list:
    """``_unpool_output_size``: the default ``(H - 1)*s + k - 2*p``, or a request within ``s`` of it."""
    ctx.check(x.rank >= n, codes.POOL_RANK, "tuple index out of range", arg="input")
    default = [(h - 1) * si + ki - 2 * pi for h, ki, si, pi in zip(x.dims[-n:], k, s, p)]
    sizes = default
    if output_size is not None:
        sizes = list(output_size)
        if len(sizes) == n + 2:
            sizes = sizes[2:]
        ctx.check(
            len(sizes) == n,
            codes.INVALID_ARGUMENT,
            f"output_size should be a sequence containing {n} or {n + 2} elements, but it has a length of "
            f"'{len(sizes)}'",
            param="output_size",
        )
        for i, (size, base, si) in enumerate(zip(sizes, default, s)):
            message = lambda: (
                f'invalid output_size "{tuple(output_size)}" (dim {i} must be between '
                f"{dim_text(base - si)} and {dim_text(base + si)})"
            )
            ctx.check(
                gt(size, base - si), codes.POOL_OUTPUT_SIZE, message, param="output_size", expected=base, actual=size
            )
            ctx.check(
                lt(size, base + si), codes.POOL_OUTPUT_SIZE, message, param="output_size", expected=base, actual=size
            )
    for i, size in enumerate(sizes):
        ctx.check(
            ge(size, 0),
            codes.NEGATIVE_SIZE,
            lambda: (
                f"max_unpooling: output_size must contain non-negative spatial dimensions, but got "
                f"output_size[{i}]={dim_text(size)}"
            ),
            param="output_size",
        )
    return sizes


def _max_unpool(ctx: Checker, input, indices, n: int, kernel_size, stride, padding, output_size) -> Shape:
    """1d unpools run as 2d over ``[..., L, 1]``; 3d also wants positive strides."""
    x, idx = tensor(input), tensor(indices, "indices")
    k, s, p, _ = _args(n, kernel_size, stride, padding)
    sizes = _unpool_sizes(ctx, x, n, k, s, p, output_size)
    run, seen = (x.with_last(1, (x[-1], 1)), idx.with_last(1, (idx[-1], 1))) if n == 1 else (x, idx)
    kernel = 3 if n == 3 else 2
    ctx.check(
        run.rank in (kernel + 1, kernel + 2),
        codes.POOL_RANK,
        f"Input to max_unpooling{kernel}d should be a {kernel + 1}d or {kernel + 2}d Tensor, but got a tensor "
        f"with {run.rank} dimensions.",
        arg="input",
    )
    if n == 3:
        for v in s:
            ctx.check(
                gt(v, 0),
                codes.INVALID_ARGUMENT,
                f"strides should be greater than zero, but got stride: [{', '.join(dim_text(v) for v in s)}]",
                param="stride",
            )
    message = lambda: (
        f"Expected shape of indices to be same as that of the input tensor ({run}) but got indices "
        f"tensor with shape: {seen}"
    )
    ctx.check(idx.rank == x.rank, codes.POOL_INDICES, message, arg="indices")
    for axis in range(x.rank):
        ctx.check(
            eq(idx[axis], x[axis]),
            codes.POOL_INDICES,
            message,
            expected=x[axis],
            actual=idx[axis],
            arg="indices",
            axis=axis,
        )
    return x.with_last(n, sizes)


@op("torch.nn.functional.max_unpool1d")
def f_max_unpool1d(ctx, input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """[N, C, L], indices of that shape -> [N, C, (L - 1)*stride + kernel - 2*padding]; N optional."""
    return _max_unpool(ctx, input, indices, 1, kernel_size, stride, padding, output_size)


@op("torch.nn.functional.max_unpool2d")
def f_max_unpool2d(ctx, input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """[N, C, H, W], indices of that shape -> [N, C, H', W'] (output_size when given); N optional."""
    return _max_unpool(ctx, input, indices, 2, kernel_size, stride, padding, output_size)


@op("torch.nn.functional.max_unpool3d")
def f_max_unpool3d(ctx, input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """[N, C, D, H, W], indices of that shape -> [N, C, D', H', W'] (output_size when given); N optional."""
    return _max_unpool(ctx, input, indices, 3, kernel_size, stride, padding, output_size)


@layer("torch.nn.MaxUnpool1d")
def max_unpool1d_layer(ctx, input, indices, output_size=None, *, kernel_size, stride=None, padding=0):
    """[N, C, L], indices of that shape -> [N, C, L'] (output_size when given); N optional."""
    return _max_unpool(ctx, input, indices, 1, kernel_size, stride, padding, output_size)


@layer("torch.nn.MaxUnpool2d")
def max_unpool2d_layer(ctx, input, indices, output_size=None, *, kernel_size, stride=None, padding=0):
    """[N, C, H, W], indices of that shape -> [N, C, H', W'] (output_size when given); N optional."""
    return _max_unpool(ctx, input, indices, 2, kernel_size, stride, padding, output_size)


@layer("torch.nn.MaxUnpool3d")
def max_unpool3d_layer(ctx, input, indices, output_size=None, *, kernel_size, stride=None, padding=0):
    """[N, C, D, H, W], indices of that shape -> [N, C, D', H', W'] (output_size when given); N optional."""
    return _max_unpool(ctx, input, indices, 3, kernel_size, stride, padding, output_size)


# ---------------------------------------------------------------------------------------------
# fractional max pooling: the output size is given, or a ratio of the input's


def _ratio_of(size, ratio: float):
    """``int(size * ratio)``; on a symbol only when the float product is exact (a binary ratio)."""
    if isinstance(size, int):
        return int(size * ratio)
    exact = Fraction(ratio)
    if exact.denominator > 1 << 20:
        raise Lost(f"output_ratio {ratio} of a symbolic size is not exact")
    return floordiv(size * exact.numerator, exact.denominator)


def _ratios(output_ratio, n: int) -> tuple:
    if not isinstance(output_ratio, (tuple, list)):
        return (output_ratio,) * n
    if len(output_ratio) != n:
        raise Lost(f"output_ratio has {len(output_ratio)} values, expected {n}")
    return tuple(output_ratio)


def _fractional(ctx: Checker, input, n: int, kernel_size, output_size, output_ratio, random_samples) -> Shape:
    x = tensor(input)
    name = f"fractional_max_pool{n}d"
    ctx.check(
        output_size is not None or output_ratio is not None,
        codes.INVALID_ARGUMENT,
        f"{name} requires specifying either an output_size or an output_ratio",
        param="output_size",
    )
    if output_size is None:
        if n == 2:
            ctx.check(
                isinstance(output_ratio, (tuple, list)),
                codes.INVALID_ARGUMENT,
                f"object of type '{type(output_ratio).__name__}' has no len()",
                param="output_ratio",
            )
            ctx.check(
                len(output_ratio) <= 2,
                codes.INVALID_ARGUMENT,
                f"{name} requires output_ratio to either be a single Int or tuple of Ints.",
                param="output_ratio",
            )
        ratios = _ratios(output_ratio, n)
        ctx.check(
            x.rank >= n,
            codes.POOL_RANK,
            f"Dimension out of range (expected to be in range of [{-max(x.rank, 1)}, {max(x.rank, 1) - 1}], "
            f"but got {-n})",
            arg="input",
        )
        sizes = tuple(_ratio_of(h, r) for h, r in zip(x.dims[-n:], ratios))
    else:
        sizes = ntuple(output_size, n, "output_size")
    k = ntuple(kernel_size, n, "kernel_size")
    ctx.check(
        x.rank > n,
        codes.POOL_RANK,
        f"Dimension out of range (expected to be in range of [{-max(x.rank, 1)}, {max(x.rank, 1) - 1}], "
        f"but got {-n - 1})",
        arg="input",
    )
    ctx.check(
        x.rank <= n + 2,
        codes.POOL_RANK,
        f"{name}{'' if n == 2 else '_out'}(): Expected {n + 1}D or {n + 2}D tensor, but got: {x}",
        arg="input",
    )
    if is_tensor(random_samples):
        _check_samples(ctx, x, n, random_samples)
    for axis in range(x.rank - n - 1, x.rank):
        ctx.check(
            ge(x[axis], 1),
            codes.POOL_RANK,
            f"{name}(): Expected input to have non-zero size for non-batch dimensions, but got {x} with "
            f"dimension {axis} empty",
            arg="input",
            axis=axis,
        )
    for side, size, ki, h in zip(("time", "height", "width")[3 - n :], sizes, k, x.dims[-n:]):
        last = size + ki - 1  # where the last window ends: inside the input (3d: strictly)
        ctx.check(
            le(last, h) if n == 2 else lt(last, h),
            codes.POOL_OUTPUT_SIZE,
            lambda: (
                f"{name}{'' if n == 2 else '_out'}(): pool {side} {dim_text(ki)} too large relative to "
                f"input {side} {dim_text(h)}"
            ),
            param="output_size",
            actual=size,
            arg="input",
        )
    out = x.with_last(n, sizes)
    for size in sizes:
        ctx.check(
            ge(size, 0),
            codes.NEGATIVE_SIZE,
            lambda: f"Trying to create tensor with negative dimension {dim_text(size)}: {out}",
            param="output_size",
        )
    return out


def _check_samples(ctx: Checker, x: Shape, n: int, samples: Shape) -> None:
    """``_random_samples`` is ``[>= N, C, n]``."""
    ctx.check(
        samples.rank == 3,
        codes.POOL_RANDOM_SAMPLES,
        f"Expect _random_samples to have 3 dimensions, got {samples.rank}",
        arg="_random_samples",
    )
    batch = x[0] if x.rank == n + 2 else 1
    ctx.check(
        ge(samples[0], batch),
        codes.POOL_RANDOM_SAMPLES,
        "Expect _random_samples.size(0) no less then input batch size.",
        expected=batch,
        actual=samples[0],
        arg="_random_samples",
        axis=0,
    )
    ctx.check(
        eq(samples[1], x[-n - 1]),
        codes.POOL_RANDOM_SAMPLES,
        "Expect _random_samples.size(1) equals to input channel size.",
        expected=x[-n - 1],
        actual=samples[1],
        arg="_random_samples",
        axis=1,
    )
    ctx.check(
        eq(samples[2], n),
        codes.POOL_RANDOM_SAMPLES,
        f"Expect _random_samples.size(2) equals to {n}; got {dim_text(samples[2])}.",
        expected=n,
        actual=samples[2],
        arg="_random_samples",
        axis=2,
    )


def _check_fractional(n: int):
    def check(ctx, kernel_size, output_size=None, output_ratio=None, **_):
        name = f"FractionalMaxPool{n}d"
        if n == 3:
            for v in kernel_size if isinstance(kernel_size, (tuple, list)) else (kernel_size,):
                ctx.check(
                    gt(v, 0),
                    codes.INVALID_ARGUMENT,
                    f"kernel_size must be greater than 0, but got {kernel_size}",
                    param="kernel_size",
                )
        ctx.check(
            output_size is not None or output_ratio is not None,
            codes.INVALID_ARGUMENT,
            f"{name} requires specifying either an output size, or a pooling ratio",
            param="output_size",
        )
        ctx.check(
            output_size is None or output_ratio is None,
            codes.INVALID_ARGUMENT,
            "only one of output_size and output_ratio may be specified",
            param="output_ratio",
        )
        if output_ratio is not None:
            for r in _ratios(output_ratio, n):
                ctx.check(
                    0 < r < 1,
                    codes.INVALID_ARGUMENT,
                    f"output_ratio must be between 0 and 1 (got {output_ratio})",
                    param="output_ratio",
                )

    return check


def _fractional_layer(ctx: Checker, input, n: int, kernel_size, output_size, output_ratio, random_samples):
    """The module pairs a single ratio before calling the function."""
    if output_ratio is not None and not isinstance(output_ratio, (tuple, list)):
        output_ratio = (output_ratio,) * n
    return _fractional(ctx, input, n, kernel_size, output_size, output_ratio, random_samples)


@op("torch.nn.functional.fractional_max_pool2d")
def f_fractional_max_pool2d(
    ctx, input, kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None
):
    """[N, C, H, W] -> [N, C, *output_size] or [N, C, int(H*r), int(W*r)] (and indices); N optional."""
    return _indexed(_fractional(ctx, input, 2, kernel_size, output_size, output_ratio, _random_samples), return_indices)


@op("torch.nn.functional.fractional_max_pool3d")
def f_fractional_max_pool3d(
    ctx, input, kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None
):
    """[N, C, D, H, W] -> [N, C, *output_size] or the input's times output_ratio (and indices); N optional."""
    return _indexed(_fractional(ctx, input, 3, kernel_size, output_size, output_ratio, _random_samples), return_indices)


@op("torch.nn.functional.fractional_max_pool2d_with_indices")
def f_fractional_max_pool2d_with_indices(
    ctx, input, kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None
):
    """[N, C, H, W] -> ([N, C, H', W'], indices of that shape); N optional."""
    return _indexed(_fractional(ctx, input, 2, kernel_size, output_size, output_ratio, _random_samples), True)


@op("torch.nn.functional.fractional_max_pool3d_with_indices")
def f_fractional_max_pool3d_with_indices(
    ctx, input, kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None
):
    """[N, C, D, H, W] -> ([N, C, D', H', W'], indices of that shape); N optional."""
    return _indexed(_fractional(ctx, input, 3, kernel_size, output_size, output_ratio, _random_samples), True)


@layer("torch.nn.FractionalMaxPool2d", init=_check_fractional(2))
def fractional_max_pool2d_layer(
    ctx, input, *, kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None
):
    """[N, C, H, W] -> [N, C, *output_size] or [N, C, int(H*r), int(W*r)] (and indices); N optional."""
    return _indexed(
        _fractional_layer(ctx, input, 2, kernel_size, output_size, output_ratio, _random_samples), return_indices
    )


@layer("torch.nn.FractionalMaxPool3d", init=_check_fractional(3))
def fractional_max_pool3d_layer(
    ctx, input, *, kernel_size, output_size=None, output_ratio=None, return_indices=False, _random_samples=None
):
    """[N, C, D, H, W] -> [N, C, *output_size] or the input's times output_ratio (and indices); N optional."""
    return _indexed(
        _fractional_layer(ctx, input, 3, kernel_size, output_size, output_ratio, _random_samples), return_indices
    )

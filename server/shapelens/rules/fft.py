"""torch.fft: discrete Fourier transforms resize the transformed axes; real transforms halve the last.

A complex-to-complex transform of ``n`` points has ``n`` outputs, a real-to-complex one
``n//2 + 1`` (rfft, ihfft), a complex-to-real one ``n`` given as ``2*(m - 1)`` by default (irfft,
hfft). Torch pads or trims each transformed axis to the requested number of points first.
"""

from __future__ import annotations

from .. import codes
from ..dims import Checker, Lost, Shape, dim_text, ge, gt, is_dim, normalize_axis
from ._common import dims_arg, tensor
from ._registry import op

_NORMS = (None, "forward", "backward", "ortho")


def _check_norm(ctx: Checker, norm) -> None:
    if norm is None or isinstance(norm, str):
        ctx.check(norm in _NORMS, codes.INVALID_ARGUMENT, f'Invalid normalization mode: "{norm}"', param="norm")


def _points(ctx: Checker, n) -> None:
    ctx.check(
        gt(n, 0), codes.INVALID_ARGUMENT, lambda: f"Invalid number of data points ({dim_text(n)}) specified", param="n"
    )


def _fft_axis(ctx: Checker, x: Shape, dim) -> int:
    """An axis to transform: a 0-d tensor has none (torch does not wrap a scalar here)."""
    if x.rank == 0:
        ctx.fail(codes.DIM_OUT_OF_RANGE, f"Dimension specified as {dim} but tensor has no dimensions", param="dim")
    return normalize_axis(ctx, dim, x.rank)


def _size(value, name: str):
    if not is_dim(value):
        raise Lost(f"{name} is not known statically")
    return value


# -- one axis ----------------------------------------------------------------------------------


def _fft1(ctx: Checker, input, n, dim, norm, kind: str) -> Shape:
    """kind: 'c2c' (n points out), 'r2c' (n//2 + 1 out) or 'c2r' (n out, n = 2*(m - 1) by default)."""
    x = tensor(input)
    _check_norm(ctx, norm)
    axis = _fft_axis(ctx, x, dim)
    if n is None:
        n = 2 * (x[axis] - 1) if kind == "c2r" else x[axis]
    else:
        n = _size(n, "n")
    _points(ctx, n)
    return x.replace(axis, n // 2 + 1 if kind == "r2c" else n)


@op("torch.fft.fft", "torch.fft.ifft")
def fft(ctx, input, n=None, dim=-1, norm=None, *, out=None):
    """[.., m, ..] -> [.., n, ..] along dim (n defaults to m)."""
    return _fft1(ctx, input, n, dim, norm, "c2c")


@op("torch.fft.rfft", "torch.fft.ihfft")
def rfft(ctx, input, n=None, dim=-1, norm=None, *, out=None):
    """[.., m, ..] -> [.., n//2 + 1, ..] along dim (n defaults to m)."""
    return _fft1(ctx, input, n, dim, norm, "r2c")


@op("torch.fft.irfft", "torch.fft.hfft")
def irfft(ctx, input, n=None, dim=-1, norm=None, *, out=None):
    """[.., m, ..] -> [.., n, ..] along dim (n defaults to 2*(m - 1))."""
    return _fft1(ctx, input, n, dim, norm, "c2r")


# -- several axes ------------------------------------------------------------------------------


def _shape_and_dims(ctx: Checker, x: Shape, s, dim) -> tuple:
    """Torch's ``_canonicalize_fft_shape_and_dim_args``: the axes and their numbers of points."""
    axes = None
    if dim is not None:
        dims = dims_arg(dim)
        axes = tuple(_fft_axis(ctx, x, d) for d in dims)
        ctx.check(len(set(axes)) == len(axes), codes.INVALID_ARGUMENT, "FFT dims must be unique", param="dim")
    if s is not None:
        sizes = tuple(s) if isinstance(s, (tuple, list)) else (s,)
        sizes = tuple(_size(v, "s") for v in sizes)
        ctx.check(
            axes is None or len(axes) == len(sizes),
            codes.INVALID_ARGUMENT,
            "When given, dim and shape arguments must have the same length",
            param="s",
        )
        ctx.check(
            len(sizes) <= x.rank,
            codes.INVALID_ARGUMENT,
            f"Got shape with {len(sizes)} values but input tensor only has {x.rank} dimensions.",
            param="s",
        )
        if axes is None:
            axes = tuple(range(x.rank - len(sizes), x.rank))
        points = tuple(x[a] if type(v) is int and v == -1 else v for v, a in zip(sizes, axes))
    elif axes is None:
        axes = tuple(range(x.rank))
        points = x.dims
    else:
        points = tuple(x[a] for a in axes)
    for n in points:
        _points(ctx, n)
    return axes, points


def _resized(x: Shape, axes: tuple, points: tuple) -> Shape:
    new = dict(zip(axes, points))
    return Shape(new.get(i, d) for i, d in enumerate(x.dims))


def _fftn(ctx: Checker, input, s, dim, norm) -> Shape:
    x = tensor(input)
    _check_norm(ctx, norm)
    axes, points = _shape_and_dims(ctx, x, s, dim)
    return _resized(x, axes, points)


def _rfftn(ctx: Checker, input, s, dim, norm, name: str) -> Shape:
    x = tensor(input)
    _check_norm(ctx, norm)
    axes, points = _shape_and_dims(ctx, x, s, dim)
    ctx.check(len(axes) > 0, codes.INVALID_ARGUMENT, f"{name} must transform at least one axis", param="dim")
    return _resized(x, axes, points[:-1] + (points[-1] // 2 + 1,))


def _irfftn(ctx: Checker, input, s, dim, norm, name: str) -> Shape:
    x = tensor(input)
    _check_norm(ctx, norm)
    axes, points = _shape_and_dims(ctx, x, s, dim)
    ctx.check(len(axes) > 0, codes.INVALID_ARGUMENT, f"{name} must transform at least one axis", param="dim")
    last = points[-1]
    if (
        s is None
        or (isinstance(s, (tuple, list)) and type(s[-1]) is int and s[-1] == -1)
        or (type(s) is int and s == -1)
    ):
        last = 2 * (x[axes[-1]] - 1)
    ctx.check(
        ge(last, 1),
        codes.INVALID_ARGUMENT,
        lambda: f"Invalid number of data points ({dim_text(last)}) specified",
        param="s",
    )
    return _resized(x, axes, points[:-1] + (last,))


@op("torch.fft.fftn", "torch.fft.ifftn")
def fftn(ctx, input, s=None, dim=None, norm=None, *, out=None):
    """[*] -> [*] with the axes dim (all, or the last len(s)) resized to s."""
    return _fftn(ctx, input, s, dim, norm)


@op("torch.fft.fft2", "torch.fft.ifft2")
def fft2(ctx, input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """[*, h, w] -> [*, s[0], s[1]] over the axes dim (s defaults to their sizes)."""
    return _fftn(ctx, input, s, dim, norm)


@op("torch.fft.rfftn")
def rfftn(ctx, input, s=None, dim=None, norm=None, *, out=None):
    """[*] -> [*] with the axes dim resized to s, the last of them to s[-1]//2 + 1."""
    return _rfftn(ctx, input, s, dim, norm, "rfftn")


@op("torch.fft.rfft2")
def rfft2(ctx, input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """[*, h, w] -> [*, s[0], s[1]//2 + 1] over the axes dim."""
    return _rfftn(ctx, input, s, dim, norm, "rfftn")


@op("torch.fft.irfftn")
def irfftn(ctx, input, s=None, dim=None, norm=None, *, out=None):
    """[*] -> [*] with the axes dim resized to s, the last to s[-1] (default 2*(m - 1))."""
    return _irfftn(ctx, input, s, dim, norm, "irfftn")


@op("torch.fft.irfft2")
def irfft2(ctx, input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """[*, h, w] -> [*, s[0], s[1]] over the axes dim, s[1] defaulting to 2*(w - 1)."""
    return _irfftn(ctx, input, s, dim, norm, "irfftn")


@op("torch.fft.fftshift", "torch.fft.ifftshift")
def fftshift(ctx, input, dim=None):
    """[*] -> [*]: rolled by half along dim (all axes by default; a 0-d tensor has none)."""
    x = tensor(input)
    axes = tuple(range(x.rank)) if dim is None else dims_arg(dim)
    ctx.check(len(axes) > 0, codes.INVALID_ARGUMENT, "`shifts` required", param="dim")
    for d in axes:
        _fft_axis(ctx, x, d)
    return x


# -- sample frequencies ------------------------------------------------------------------------


@op("torch.fft.fftfreq")
def fftfreq(ctx, n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """[n]: the sample frequencies of an n-point transform."""
    n = _size(n, "n")
    ctx.check(
        ge(n, 0),
        codes.NEGATIVE_SIZE,
        lambda: f"Trying to create tensor with negative dimension {dim_text(n)}: [{dim_text(n)}]",
        param="n",
    )
    return Shape([n])


@op("torch.fft.rfftfreq")
def rfftfreq(ctx, n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """[n//2 + 1]: the sample frequencies of an n-point real transform."""
    n = _size(n, "n")
    if type(n) is int:
        size = int(n / 2) + 1  # C++ division: -3 gives 0
        ctx.check(
            size >= 0,
            codes.NEGATIVE_SIZE,
            f"Trying to create tensor with negative dimension {size}: [{size}]",
            param="n",
        )
        return Shape([size])
    if not ctx.decide(ge(n, 0)):
        raise Lost("n may be negative")
    return Shape([n // 2 + 1])

"""Reductions over dims (sum, mean, max, norm, ...), scans, sorting, top-k, and shape queries.

A ``dim`` is one axis or a tuple of axes; ``keepdim`` keeps reduced axes as 1. Where torch says
``dim=None`` (or, for most ops, ``()``) every axis is reduced. Ops without an identity (max, amax,
argmax, median with a dim, ...) cannot reduce an axis of size 0.
"""

from __future__ import annotations

import math

from .. import codes
from ..dims import Checker, Lost, Shape, dim_text, dmax, eq, ge, gt, is_dim, le, normalize_axis, product
from ._common import dims_arg, is_tensor, tensor
from .elementwise import binary
from ._registry import INT, op, same, values_and_indices

# -- dims and the reduced shape ---------------------------------------------------------------


def _axis(ctx: Checker, x: Shape, dim) -> int:
    """One axis, wrapped as torch does (a 0-d tensor has the axes 0 and -1, both 0)."""
    return normalize_axis(ctx, dim, x.rank)


def _axes(ctx: Checker, x: Shape, dim) -> tuple:
    """The axes ``dim`` names, in order; each at most once."""
    axes: list = []
    for d in dims_arg(dim):
        axis = _axis(ctx, x, d)
        ctx.check(
            axis not in axes,
            codes.REDUCE_DUPLICATE_DIM,
            f"dim {axis} appears multiple times in the list of dims",
            param="dim",
        )
        axes.append(axis)
    return tuple(axes)


def _all_axes(dim) -> bool:
    return dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0)


def _reduced(x: Shape, axes, keepdim) -> Shape:
    """``x`` without ``axes`` (``None``: all of them), or with them set to 1 under keepdim."""
    dims = x.dims
    axes = range(len(dims)) if axes is None else axes
    if keepdim:
        return Shape(1 if i in axes else d for i, d in enumerate(dims))
    return Shape(d for i, d in enumerate(dims) if i not in axes)


def _reduce(ctx: Checker, x: Shape, dim, keepdim) -> Shape:
    """Reduce the axes ``dim`` names; ``None`` or ``()`` reduces them all."""
    return _reduced(x, None if _all_axes(dim) else _axes(ctx, x, dim), keepdim)


def _check_nonempty(ctx: Checker, x: Shape, axes, name: str) -> None:
    """An op without an identity reduces no axis of size 0 (``axes=None``: the whole tensor)."""
    if axes is None:
        hint = "" if name.startswith("arg") else " Specify the reduction dim with the 'dim' argument."
        for d in x.dims:
            ctx.check(
                gt(d, 0),
                codes.REDUCE_EMPTY,
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0.{hint}",
                param="dim",
                arg="input",
            )
        return
    for axis in axes if x.rank else ():
        ctx.check(
            gt(x[axis], 0),
            codes.REDUCE_EMPTY,
            f"{name}(): Expected reduction dim {axis} to have non-zero size.",
            param="dim",
            arg="input",
            axis=axis,
        )


def _count(k):
    """``k`` of topk/kthvalue: a size, maybe symbolic."""
    if not is_dim(k):
        raise Lost("k is not known statically")
    return k


def _reduce_nonempty(ctx: Checker, x: Shape, dim, keepdim, name: str) -> Shape:
    axes = None if _all_axes(dim) else _axes(ctx, x, dim)
    _check_nonempty(ctx, x, axes, name)
    return _reduced(x, axes, keepdim)


# -- sums, means, products, variances ---------------------------------------------------------


@op(
    "torch.sum",
    "torch.Tensor.sum",
    "torch.nansum",
    "torch.Tensor.nansum",
    "torch.mean",
    "torch.Tensor.mean",
    "torch.nanmean",
    "torch.Tensor.nanmean",
)
def reduce_sum(ctx, input, dim=None, keepdim=False, *, dtype=None, out=None):
    """[*] -> [*] without the axes dim (all of them when dim is None or ())."""
    return _reduce(ctx, tensor(input), dim, keepdim)


@op("torch.prod", "torch.Tensor.prod")
def prod(ctx, input, dim=None, keepdim=False, *, dtype=None):
    """[*] -> [*] without the axis dim (all of them when dim is None)."""
    x = tensor(input)
    return _reduced(x, None if dim is None else (_axis(ctx, x, dim),), keepdim)


def _variance(ctx: Checker, input, dim, keepdim) -> Shape:
    """``std(x, True)`` is torch's ``std(x, unbiased)``: a bool there is not a dim."""
    return _reduce(ctx, tensor(input), None if isinstance(dim, bool) else dim, keepdim)


@op("torch.std", "torch.Tensor.std", "torch.var", "torch.Tensor.var")
def std(ctx, input, dim=None, unbiased=True, keepdim=False, *, correction=None, out=None):
    """[*] -> [*] without the axes dim (all of them when dim is None or ())."""
    return _variance(ctx, input, dim, keepdim)


@op("torch.std_mean", "torch.var_mean")
def std_mean(ctx, input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    """[*] -> ([*'], [*']): the reduced shape twice."""
    out = _variance(ctx, input, dim, keepdim)
    return (out, out)


@op("torch.logsumexp", "torch.Tensor.logsumexp")
def logsumexp(ctx, input, dim, keepdim=False, *, out=None):
    """[*] -> [*] without the axes dim; dim=() reduces all, and needs keepdim on CPU."""
    x = tensor(input)
    if _all_axes(dim) and not keepdim and x.rank > 0:
        ctx.fail(
            codes.INVALID_ARGUMENT,
            f"output with shape [] doesn't match the broadcast shape {Shape((1,) * x.rank)}",
            param="dim",
        )
    return _reduce(ctx, x, dim, keepdim)


@op("torch.count_nonzero", "torch.Tensor.count_nonzero", dtype=INT)
def count_nonzero(ctx, input, dim=None):
    """[*] -> [*] without the axes dim (all of them when dim is None or ())."""
    return _reduce(ctx, tensor(input), dim, False)


@op("torch.all", "torch.Tensor.all", "torch.any", "torch.Tensor.any")
def reduce_all(ctx, input, dim=None, keepdim=False, *, out=None):
    """[*] -> [*] without the axes dim; dim=None reduces all, dim=() none."""
    x = tensor(input)
    return _reduced(x, None if dim is None else _axes(ctx, x, dim), keepdim)


# -- ops without an identity: max, argmax, median, ... ----------------------------------------


@op("torch.amax", "torch.Tensor.amax")
def amax(ctx, input, dim=(), keepdim=False, *, out=None):
    """[*] -> [*] without the axes dim (all when ()); reduced axes must not be empty."""
    return _reduce_nonempty(ctx, tensor(input), dim, keepdim, "amax")


@op("torch.amin", "torch.Tensor.amin")
def amin(ctx, input, dim=(), keepdim=False, *, out=None):
    """[*] -> [*] without the axes dim (all when ()); reduced axes must not be empty."""
    return _reduce_nonempty(ctx, tensor(input), dim, keepdim, "amin")


def _arg_reduce(ctx: Checker, x: Shape, dim, keepdim, name: str) -> Shape:
    """argmax/argmin: one axis, or the flattened tensor when dim is None."""
    if dim is None:
        _check_nonempty(ctx, x, None, name)
        return _reduced(x, None, keepdim)
    return _reduce_nonempty(ctx, x, (dim,), keepdim, name)


@op("torch.argmax", "torch.Tensor.argmax", dtype=INT)
def argmax(ctx, input, dim=None, keepdim=False):
    """[*] -> [*] without the axis dim; dim=None flattens (-> [])."""
    return _arg_reduce(ctx, tensor(input), dim, keepdim, "argmax")


@op("torch.argmin", "torch.Tensor.argmin", dtype=INT)
def argmin(ctx, input, dim=None, keepdim=False):
    """[*] -> [*] without the axis dim; dim=None flattens (-> [])."""
    return _arg_reduce(ctx, tensor(input), dim, keepdim, "argmin")


def _max(ctx: Checker, input, dim, keepdim, other, name: str):
    """max/min: of all (-> []), along dim (-> (values, indices)), or with a tensor (broadcast)."""
    if is_tensor(dim):
        other, dim = dim, None
    if other is not None:
        return binary(ctx, input, other)
    x = tensor(input)
    if dim is None:
        _check_nonempty(ctx, x, None, name)
        return Shape(())
    out = _reduce_nonempty(ctx, x, (dim,), keepdim, name)
    return (out, out)


@op("torch.max", "torch.Tensor.max", fields=("values", "indices"), dtype=values_and_indices)
def reduce_max(ctx, input, dim=None, keepdim=False, *, other=None, out=None):
    """[*] -> []; along dim -> (values, indices) without dim; with a tensor: broadcast."""
    return _max(ctx, input, dim, keepdim, other, "max")


@op("torch.min", "torch.Tensor.min", fields=("values", "indices"), dtype=values_and_indices)
def reduce_min(ctx, input, dim=None, keepdim=False, *, other=None, out=None):
    """[*] -> []; along dim -> (values, indices) without dim; with a tensor: broadcast."""
    return _max(ctx, input, dim, keepdim, other, "min")


@op(
    "torch.median",
    "torch.Tensor.median",
    "torch.nanmedian",
    "torch.Tensor.nanmedian",
    fields=("values", "indices"),
    dtype=values_and_indices,
)
def median(ctx, input, dim=None, keepdim=False, *, out=None):
    """[*] -> []; along dim -> (values, indices) without dim, which must not be empty."""
    x = tensor(input)
    if dim is None:
        return Shape(())
    out = _reduce_nonempty(ctx, x, (dim,), keepdim, "median")
    return (out, out)


@op("torch.mode", "torch.Tensor.mode", fields=("values", "indices"), dtype=values_and_indices)
def mode(ctx, input, dim=-1, keepdim=False, *, out=None):
    """[*] -> (values, indices) without the axis dim, which must not be empty."""
    out = _reduce_nonempty(ctx, tensor(input), (dim,), keepdim, "mode")
    return (out, out)


@op("torch.kthvalue", "torch.Tensor.kthvalue", fields=("values", "indices"), dtype=values_and_indices)
def kthvalue(ctx, input, k, dim=-1, keepdim=False, *, out=None):
    """[*] -> (values, indices) without the axis dim; 1 <= k <= its size."""
    x, k = tensor(input), _count(k)
    axis = _axis(ctx, x, dim)
    out = _reduce_nonempty(ctx, x, (axis,), keepdim, "kthvalue")
    size = x[axis] if x.rank else 1
    ctx.check(
        ge(k, 1),
        codes.KTHVALUE_K,
        f"kthvalue(): selected number k out of range for dimension {axis}",
        param="k",
        expected=1,
        actual=k,
    )
    ctx.check(
        le(k, size),
        codes.KTHVALUE_K,
        f"kthvalue(): selected number k out of range for dimension {axis}",
        param="k",
        expected=size,
        actual=k,
        arg="input",
        axis=axis,
    )
    return (out, out)


# -- norms ------------------------------------------------------------------------------------


def _norm(ctx: Checker, x: Shape, p, dim, keepdim) -> Shape:
    """torch.norm: a vector norm over dim (all when None), or a matrix norm over two axes."""
    vector = (
        p is None
        or not isinstance(p, str)
        or (p == "fro" and (dim is None or not isinstance(dim, (tuple, list)) or len(dim) <= 2))
    )
    if vector:
        axes = None if _all_axes(dim) else _axes(ctx, x, dim)
        if not isinstance(p, str) and p is not None and (p < 0 or p == math.inf):
            _check_vector_norm_nonempty(ctx, x, axes, p)
        return _reduced(x, axes, keepdim)
    return _matrix_norm(ctx, x, p, tuple(range(x.rank)) if dim is None else dims_arg(dim), keepdim)


def _check_vector_norm_nonempty(ctx: Checker, x: Shape, axes, p) -> None:
    """inf, -inf and negative orders have no identity: they reduce no axis of size 0."""
    if x.rank == 0:  # one element
        return
    for axis in range(x.rank) if axes is None else axes:
        where = "an empty tensor" if axes is None else f"the dimension {axis}"
        ctx.check(
            gt(x[axis], 0),
            codes.REDUCE_EMPTY,
            lambda: (
                f"linalg.vector_norm cannot compute the {p:g} norm on {where} because "
                f"{'' if axes is None else 'this dimension is empty and '}"
                "the operation does not have an identity"
            ),
            param="p",
            arg="input",
            axis=axis,
        )


_MATRIX_ORDERS = ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)


def _matrix_norm(ctx: Checker, x: Shape, p, dims: tuple, keepdim) -> Shape:
    """'fro', 'nuc', +-1, +-2 or +-inf over exactly two distinct axes of an input of rank >= 2."""
    ctx.check(
        not isinstance(p, bool) and p in _MATRIX_ORDERS,
        codes.INVALID_ARGUMENT,
        lambda: f"linalg.matrix_norm: Order {p if isinstance(p, str) else format(p, 'g')} not supported.",
        param="p",
    )
    ctx.check(
        x.rank >= 2,
        codes.MATRIX_NORM_DIMS,
        "linalg.matrix_norm: The input tensor A must have at least 2 dimensions.",
        arg="input",
    )
    ctx.check(
        len(dims) == 2,
        codes.MATRIX_NORM_DIMS,
        f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(str(d) for d in dims)}",
        param="dim",
    )
    axes = tuple(_axis(ctx, x, d) for d in dims)
    ctx.check(
        axes[0] != axes[1],
        codes.MATRIX_NORM_DIMS,
        f"linalg.matrix_norm: dims must be different. Got ({axes[0]}, {axes[1]})",
        param="dim",
    )
    # negative orders end in amin, which has no identity: over the columns (-1), the rows (-inf) or
    # the singular values (-2, as many as the shorter side)
    empty = {-1: (axes[1],), -math.inf: (axes[0],), -2: axes}.get(p, ()) if not isinstance(p, str) else ()
    for axis in empty:
        ctx.check(
            gt(x[axis], 0),
            codes.REDUCE_EMPTY,
            f"amin(): Expected reduction dim {axis} to have non-zero size.",
            param="ord",
            arg="input",
            axis=axis,
        )
    return _reduced(x, axes, keepdim)


@op("torch.norm")
def norm(ctx, input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """[*] -> [*] without the axes dim (all when None); 'nuc' and 'fro' over 2 axes: matrix norms."""
    return _norm(ctx, tensor(input), p, dim, keepdim)


@op("torch.Tensor.norm")
def tensor_norm(ctx, input, p="fro", dim=None, keepdim=False, dtype=None):
    """[*] -> [*] without the axes dim (all when None); 'nuc' and 'fro' over 2 axes: matrix norms."""
    return _norm(ctx, tensor(input), p, dim, keepdim)


def _vector_order(ctx: Checker, p):
    """A vector norm's order is a number: a string is torch's TypeError, an unknown value is Lost."""
    if isinstance(p, str):
        ctx.fail(
            codes.INVALID_ARGUMENT,
            "linalg_vector_norm(): argument 'ord' (position 2) must be Number, not str",
            param="ord",
        )
    if not isinstance(p, (int, float)):
        raise Lost("the norm order is not known statically")
    return p


@op("torch.linalg.vector_norm")
def vector_norm(ctx, x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """[*] -> [*] without the axes dim (all when None or ()); inf and negative ords need non-empty axes."""
    a = tensor(x, "x")
    ord = _vector_order(ctx, ord)
    axes = None if _all_axes(dim) else _axes(ctx, a, dim)
    if ord < 0 or ord == math.inf:
        _check_vector_norm_nonempty(ctx, a, axes, ord)
    return _reduced(a, axes, keepdim)


@op("torch.linalg.matrix_norm")
def linalg_matrix_norm(ctx, A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """[*, m, n] -> [*] without the two axes dim; ord is 'fro', 'nuc', +-1, +-2 or +-inf."""
    if not isinstance(ord, (str, int, float)):
        raise Lost("the norm order is not known statically")
    return _matrix_norm(ctx, tensor(A, "A"), ord, dims_arg(dim), keepdim)


@op("torch.linalg.norm")
def linalg_norm(ctx, A, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    """A vector norm over one axis, a matrix norm over two; without dim, 1-D or 2-D (any rank when ord is None)."""
    x = tensor(A, "A")
    if ord is not None and not isinstance(ord, (str, int, float)):
        raise Lost("the norm order is not known statically")
    axes = None if dim is None else dims_arg(dim)
    if axes is not None:
        ctx.check(
            len(axes) in (1, 2),
            codes.INVALID_ARGUMENT,
            f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(axes)}",
            param="dim",
        )
    elif ord is not None:
        ctx.check(
            x.rank in (1, 2),
            codes.RANK,
            f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {x.rank}D.",
        )
    if isinstance(ord, str) or (ord is not None and (len(axes) == 2 if axes is not None else x.rank == 2)):
        return _matrix_norm(ctx, x, ord, (0, 1) if axes is None else axes, keepdim)
    p = 2 if ord is None else ord
    if p < 0 or p == math.inf:
        _check_vector_norm_nonempty(ctx, x, None if axes is None else _axes(ctx, x, axes), p)
    return _reduced(x, None if axes is None else _axes(ctx, x, axes), keepdim)


# -- scans and sorting: the shape is kept -----------------------------------------------------


@op(
    "torch.cumsum",
    "torch.Tensor.cumsum",
    "torch.Tensor.cumsum_",
    "torch.cumprod",
    "torch.Tensor.cumprod",
    "torch.Tensor.cumprod_",
)
def cumsum(ctx, input, dim, *, dtype=None, out=None):
    """[*] -> [*] along the axis dim."""
    x = tensor(input)
    _axis(ctx, x, dim)
    return x


@op("torch.logcumsumexp", "torch.Tensor.logcumsumexp")
def logcumsumexp(ctx, input, dim, *, out=None):
    """[*] -> [*] along the axis dim."""
    x = tensor(input)
    _axis(ctx, x, dim)
    return x


def _cumulative_extremum(ctx: Checker, x: Shape, dim, name: str) -> tuple:
    """torch checks dim against a 0-d input in its own words, and not at all for an empty one."""
    if x.rank == 0:
        ctx.check(
            int(dim) in (-1, 0),
            codes.DIM_OUT_OF_RANGE,
            f"{name}(): Expected reduction dim -1 or 0 for scalar but got {dim}",
            param="dim",
        )
    elif not ctx.decide(eq(product(x.dims), 0)):
        _axis(ctx, x, dim)
    return (x, x)


@op("torch.cummax", "torch.Tensor.cummax", fields=("values", "indices"), dtype=values_and_indices)
def cummax(ctx, input, dim, *, out=None):
    """[*] -> (values [*], indices [*]) along the axis dim."""
    return _cumulative_extremum(ctx, tensor(input), dim, "cummax")


@op("torch.cummin", "torch.Tensor.cummin", fields=("values", "indices"), dtype=values_and_indices)
def cummin(ctx, input, dim, *, out=None):
    """[*] -> (values [*], indices [*]) along the axis dim."""
    return _cumulative_extremum(ctx, tensor(input), dim, "cummin")


@op("torch.sort", "torch.Tensor.sort", fields=("values", "indices"), dtype=values_and_indices)
def sort(ctx, input, dim=-1, descending=False, *, stable=False, out=None):
    """[*] -> (values [*], indices [*]) along the axis dim."""
    x = tensor(input)
    _axis(ctx, x, dim)
    return (x, x)


@op("torch.argsort", "torch.Tensor.argsort", dtype=INT)
def argsort(ctx, input, dim=-1, descending=False, *, stable=False):
    """[*] -> [*] along the axis dim."""
    x = tensor(input)
    _axis(ctx, x, dim)
    return x


@op("torch.topk", "torch.Tensor.topk", fields=("values", "indices"), dtype=values_and_indices)
def topk(ctx, input, k, dim=-1, largest=True, sorted=True, *, out=None):
    """[*] -> (values, indices) with the axis dim of size k; 0 <= k <= its size."""
    x, k = tensor(input), _count(k)
    axis = _axis(ctx, x, dim)
    size = x[axis] if x.rank else 1
    ctx.check(ge(k, 0), codes.TOPK_K, "selected index k out of range", param="k", expected=0, actual=k)
    ctx.check(
        le(k, size),
        codes.TOPK_K,
        "selected index k out of range",
        param="k",
        expected=size,
        actual=k,
        arg="input",
        axis=axis,
    )
    out = x.replace(axis, k) if x.rank else x
    return (out, out)


@op("torch.diff", "torch.Tensor.diff", dtype=same)
def diff(ctx, input, n=1, dim=-1, prepend=None, append=None):
    """[.., m, ..] -> [.., max(0, m + p + a - n), ..] along dim (p, a: the lengths prepended, appended)."""
    x = tensor(input)
    ctx.check(x.rank >= 1, codes.RANK, "diff expects input to be at least one-dimensional")
    if type(n) is not int:
        raise Lost("the order n is not known statically")
    ctx.check(n >= 0, codes.INVALID_ARGUMENT, f"order must be non-negative but got {n}", param="n")
    extras = []
    for name, extra in (("prepend", prepend), ("append", append)):
        if extra is None:
            continue
        y = tensor(extra, name)
        axis = _axis(ctx, x, dim)
        ctx.check(
            y.rank == x.rank, codes.RANK, "diff expects prepend or append to be the same dimension as input", arg=name
        )
        for i in range(x.rank):
            a, b = x[i], y[i]
            if i != axis:
                ctx.check(
                    eq(b, a),
                    codes.INVALID_ARGUMENT,
                    lambda: (
                        f"diff expects the shape of tensor to prepend or append to match that of "
                        f"input except along the differencing dimension; input.size({i}) = "
                        f"{dim_text(a)}, but got tensor.size({i}) = {dim_text(b)}"
                    ),
                    arg=name,
                    axis=i,
                    expected=a,
                    actual=b,
                )
        extras.append(y[axis])
    if n == 0:  # torch returns a copy of input: prepend and append are only checked
        return x
    axis = _axis(ctx, x, dim)
    out = x[axis] + sum(extras) - n
    return x.replace(axis, out if ctx.facts.decide(ge(out, 0)) else dmax(0, out))


@op("torch.trace", "torch.Tensor.trace")
def trace(ctx, input):
    """[m, n] -> []: the sum of the main diagonal (matrices only)."""
    x = tensor(input)
    ctx.check(x.rank == 2, codes.RANK, f"expected a matrix, but got tensor with dim {x.rank}")
    return Shape(())


@op("torch.aminmax", "torch.Tensor.aminmax", fields=("min", "max"))
def aminmax(ctx, input, *, dim=None, keepdim=False, out=None):
    """[*] -> (min, max), each [] or without the axis dim; reduced axes must not be empty."""
    x = tensor(input)
    out = _reduce_nonempty(ctx, x, None if dim is None else (dim,), keepdim, "aminmax")
    return (out, out)


# -- shape queries ----------------------------------------------------------------------------


@op("torch.Tensor.size")
def size(ctx, input, dim=None):
    """The sizes as a tuple, or the size of the axis dim."""
    x = tensor(input)
    if dim is None:
        return tuple(x.dims)
    ctx.check(
        x.rank > 0, codes.DIM_OUT_OF_RANGE, f"Dimension specified as {dim} but tensor has no dimensions", param="dim"
    )
    return x[_axis(ctx, x, dim)]


@op("torch.Tensor.shape", kind="property")
def shape(ctx, input):
    """The sizes as a tuple."""
    return tuple(tensor(input).dims)


@op("torch.Tensor.dim", "torch.Tensor.ndimension")
@op("torch.Tensor.ndim", kind="property")
def dim(ctx, input):
    """The number of axes."""
    return tensor(input).rank


@op("torch.numel", "torch.Tensor.numel", "torch.Tensor.nelement")
def numel(ctx, input):
    """The number of elements: the product of the sizes."""
    return product(tensor(input).dims)


@op("torch.Tensor.__len__")
def length(ctx, input):
    """The size of axis 0; a 0-d tensor has no length."""
    x = tensor(input)
    ctx.check(x.rank > 0, codes.RANK, "len() of a 0-d tensor", arg="input")
    return x[0]

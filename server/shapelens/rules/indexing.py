"""Indexing: ``x[...]``, gather/scatter, index_select/add/copy/fill, masked ops, where, take."""

from __future__ import annotations

from .. import codes
from ..dims import (
    Checker,
    Lost,
    Shape,
    broadcast,
    dim_text,
    dmax,
    dmin,
    eq,
    ge,
    is_dim,
    le,
    lt,
    normalize_axis,
    product,
)
from ._common import broadcast_size, is_tensor, tensor
from ._registry import INT, op, same


class Mask:
    """A bool tensor used as an index (``x[x > 0]``), by its shape.

    Shapes carry no dtype: the analyzer wraps an index it knows to be bool in ``Mask``; a bare
    :class:`Shape` in an index is read as integer indices. ``count``, the number of True elements,
    is a size the analyzer names per mask (``x[m] - y[m]`` select as many); without one each use
    of the mask gets a fresh symbol.
    """

    __slots__ = ("shape", "count")

    def __init__(self, shape: Shape, count=None):
        self.shape, self.count = shape, count

    def __repr__(self) -> str:
        return f"Mask({self.shape})"


# ---------------------------------------------------------------------------------------------
# x[...]


def _max(ctx: Checker, a, b):
    verdict = ctx.facts.decide(ge(a, b))
    return dmax(a, b) if verdict is None else (a if verdict else b)


def _slice_bound(ctx: Checker, value, size, default):
    """Python's clamping of a slice bound into ``[0, size]``: a dim, or ("min"/"max", a, b)."""
    if value is None:
        return default
    if not is_dim(value):
        raise Lost("a slice bound is not known")
    if ctx.decide(ge(value, 0)):
        verdict = ctx.facts.decide(le(value, size))
        return ("min", value, size) if verdict is None else (value if verdict else size)
    shifted = value + size
    verdict = ctx.facts.decide(ge(shifted, 0))
    return ("max", 0, shifted) if verdict is None else (shifted if verdict else 0)


def _slice_length(ctx: Checker, s: slice, size):
    """``len(range(size)[s])``, as exact as the facts allow (``min(T, block)`` for ``[:T]``)."""
    step = 1 if s.step is None else s.step
    if not is_dim(step):
        raise Lost("a slice step is not known")
    if isinstance(step, int):
        ctx.check(step != 0, codes.INVALID_ARGUMENT, "slice step cannot be zero")
    ctx.check(ge(step, 1), codes.INVALID_ARGUMENT, "step must be greater than zero")
    start = _slice_bound(ctx, s.start, size, 0)
    stop = _slice_bound(ctx, s.stop, size, size)
    end = stop if not isinstance(stop, tuple) else (dmin if stop[0] == "min" else dmax)(*stop[1:])
    if isinstance(start, tuple):  # end - min(a, b) == max(end - a, end - b), and the converse
        fn, a, b = start
        diff = (dmax if fn == "min" else dmin)(end - a, end - b)
    else:
        diff = end - start
    if step != 1:
        diff = (diff + step - 1) // step
    return _max(ctx, diff, 0)


def _index_item(ctx: Checker, key):
    """Classify one element of an index: (kind, value)."""
    if key is None:
        return ("none", None)
    if key is Ellipsis:
        return ("ellipsis", None)
    if isinstance(key, bool):
        return ("bool", key)
    if is_dim(key):
        return ("int", key)
    if isinstance(key, slice):
        return ("slice", key)
    if isinstance(key, Shape):
        return ("int", None) if key.rank == 0 else ("index", (key, ()))
    if isinstance(key, Mask):
        if key.shape.rank == 0:
            raise Lost("a 0-dim bool tensor index adds an axis of size 1 or 0, depending on its value")
        count = key.count if key.count is not None else ctx.count("nnz", "the number of True in the mask")
        return ("mask", (key.shape, count))
    if isinstance(key, (list, tuple)):
        if key and all(isinstance(k, bool) for k in key):
            return ("mask", (Shape([len(key)]), sum(key)))
        if all(is_dim(k) and not isinstance(k, bool) for k in key):
            return ("index", (Shape([len(key)]), tuple(key)))
    raise Lost("an index is not known statically")


def _check_index(ctx: Checker, i, size, axis: int) -> None:
    message = lambda: f"index {dim_text(i)} is out of bounds for dimension {axis} with size {dim_text(size)}"
    ctx.check(ge(i, -size), codes.INDEX_OUT_OF_RANGE, message, actual=i, axis=axis)
    ctx.check(lt(i, size), codes.INDEX_OUT_OF_RANGE, message, actual=i, axis=axis)


def _walk(ctx: Checker, items: list, dims: tuple, cover: int):
    """Apply the items to ``dims`` left to right: the kept axes and the advanced indices.

    Returns ``(out, advanced)``: ``out`` the axes after ints selected theirs, slices cut and
    ``None`` added; ``advanced`` the ``(position in out, index shape)`` entries, the shape None
    for a mask whose number of True elements is not known.
    """
    out: list = []
    advanced: list = []
    axis = 0
    for kind, value in items:
        if kind == "ellipsis":
            out.extend(dims[axis : axis + cover])
            axis += cover
        elif kind == "none":
            out.append(1)
        elif kind == "bool":  # an axis of size 1, indexed by [0] (True) or [] (False)
            advanced.append((len(out), Shape([1 if value else 0])))
            out.append(1)
        elif kind == "int":
            if value is not None:
                _check_index(ctx, value, dims[axis], len(out))
            axis += 1
        elif kind == "slice":
            out.append(_slice_length(ctx, value, dims[axis]))
            axis += 1
        elif kind == "index":
            shape, values = value
            for v in values:
                _check_index(ctx, v, dims[axis], len(out))
            advanced.append((len(out), shape))
            out.append(dims[axis])
            axis += 1
        else:  # a bool mask: one index of its nonzero count per axis it covers
            shape, nnz = value
            for j, d in enumerate(shape.dims):
                size = dims[axis + j]
                ctx.check(
                    eq(d, size),
                    codes.INDEX_MASK_SHAPE,
                    lambda: (
                        f"The shape of the mask {shape} at index {j} does not match the shape of "
                        f"the indexed tensor {Shape(dims)} at index {axis + j}"
                    ),
                    expected=size,
                    actual=d,
                    axis=axis + j,
                )
                advanced.append((len(out), None if nnz is None else Shape([nnz])))
                out.append(size)
            axis += shape.rank
    out.extend(dims[axis:])
    return out, advanced


def _broadcast_indices(ctx: Checker, shapes: list) -> tuple:
    """The advanced indices broadcast together (torch's IndexError wording)."""
    n = max(s.rank for s in shapes)
    result = [1] * n
    message = lambda: (
        "shape mismatch: indexing tensors could not be broadcast together with shapes "
        + ", ".join(str(s) for s in shapes)
    )
    for s in shapes:
        for i, d in enumerate(s.dims, n - s.rank):
            result[i] = broadcast_size(ctx, result[i], d, codes.BROADCAST, message, actual=d, axis=i - n)
    return tuple(result)


@op("torch.Tensor.__getitem__", dtype=same)
def getitem(ctx, input, indices):
    """x[i, a:b:s, None, ..., idx, mask]: ints drop an axis, slices cut it, index tensors broadcast."""
    x = tensor(input)
    key = indices if isinstance(indices, tuple) else (indices,)
    items = [_index_item(ctx, k) for k in key]
    if sum(1 for kind, _ in items if kind == "ellipsis") > 1:
        raise Lost("torch treats a second ellipsis irregularly")
    used = sum(v[0].rank if kind == "mask" else 1 for kind, v in items if kind in ("int", "slice", "index", "mask"))
    if not x.is_fixed:
        return _getitem_variadic(ctx, x, items, used)
    if used > x.rank:
        ctx.fail(
            codes.RANK,
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` "
            "in C++ to convert a 0-dim tensor to a number"
            if x.rank == 0
            else f"too many indices for tensor of dimension {x.rank}",
            arg="input",
        )
    out, advanced = _walk(ctx, items, x.dims, x.rank - used)
    if not advanced:
        return Shape(out)
    counts = {v[1] for kind, v in items if kind == "mask"}
    if any(is_dim(c) and not isinstance(c, int) for c in counts) and (
        len(counts) > 1 or any(kind in ("index", "bool") for kind, _ in items)
    ):
        raise Lost("a mask beside other indices: whether its number of True elements broadcasts with them")
    positions = [p for p, _ in advanced]
    known = [s for _, s in advanced if s is not None]
    index = _broadcast_indices(ctx, known) if known else ()
    if len(known) < len(advanced):
        raise Lost("the number of True elements of a mask is not known")
    rest = [d for i, d in enumerate(out) if i not in positions]
    if positions == list(range(positions[0], positions[0] + len(positions))):
        return Shape(out[: positions[0]] + list(index) + out[positions[-1] + 1 :])
    return Shape(list(index) + rest)  # separated advanced indices go first


def _getitem_variadic(ctx: Checker, x: Shape, items: list, used: int) -> Shape:
    """Basic indexing of ``[a, *batch, b]``: the items before ``...`` meet the known head, the rest the tail."""
    if any(kind in ("index", "mask", "bool") for kind, _ in items):
        raise Lost(f"advanced indexing of {x}, whose rank is not known")
    split = next((i for i, (kind, _) in enumerate(items) if kind == "ellipsis"), len(items))
    head, tail = items[:split], items[split + 1 :]
    head_used = sum(1 for kind, _ in head if kind in ("int", "slice"))
    tail_used = used - head_used
    if head_used > len(x.prefix) or tail_used > len(x.suffix):
        raise Lost(f"the axes indexed in {x} are not known")
    head_out, _ = _walk(ctx, head, x.prefix, 0)
    tail_out, _ = _walk(ctx, tail, x.suffix[len(x.suffix) - tail_used :], 0)
    return Shape(head_out, x.star, x.suffix[: len(x.suffix) - tail_used] + tuple(tail_out))


# ---------------------------------------------------------------------------------------------
# gather / scatter: an index as large as its tensor, except along ``dim``


def _nonempty(x: Shape) -> tuple:
    """torch's ``ensure_nonempty``: a 0-dim tensor counts as one axis of size 1."""
    return x.dims or (1,)


@op("torch.gather", "torch.Tensor.gather")
def gather(ctx, input, dim, index, *, sparse_grad=False, out=None):
    """input [*], index [*'] -> [*']: index no larger than input apart from ``dim``."""
    x, i = tensor(input), tensor(index, "index")
    axis = normalize_axis(ctx, dim, x.rank)
    xs, ids = _nonempty(x), _nonempty(i)
    ctx.check(
        len(xs) == len(ids),
        codes.RANK,
        "Index tensor must have the same number of dimensions as input tensor",
        arg="index",
    )
    for k, (a, b) in enumerate(zip(ids, xs)):
        if k != axis:
            ctx.check(
                le(a, b),
                codes.GATHER_INDEX,
                lambda: (
                    f"Size does not match at dimension {k} expected index {i} to be no larger than "
                    f"self {x} apart from dimension {axis}"
                ),
                expected=b,
                actual=a,
                arg="index",
                axis=k,
            )
    return i


def _scatter(ctx: Checker, x: Shape, dim, i: Shape, src) -> Shape:
    axis = normalize_axis(ctx, dim, x.rank)
    if any(d == 0 for d in i.dims):  # an empty index scatters nothing: torch checks nothing
        return x
    xs, ids = _nonempty(x), _nonempty(i)
    ctx.check(
        len(xs) == len(ids),
        codes.RANK,
        "Index tensor must have the same number of dimensions as self tensor",
        arg="index",
    )
    if is_tensor(src):
        ctx.check(
            len(_nonempty(src)) == len(ids),
            codes.RANK,
            "Index tensor must have the same number of dimensions as src tensor",
            arg="src",
        )
        message = lambda: (
            f"Expected index {i} to be no larger than self {x} apart from dimension {axis} and "
            f"to be no larger size than src {src}"
        )
    else:
        message = lambda: f"Expected index {i} to be no larger than self {x} apart from dimension {axis}"
    for k, a in enumerate(ids):
        if k != axis:
            ctx.check(le(a, xs[k]), codes.GATHER_INDEX, message, expected=xs[k], actual=a, arg="index", axis=k)
        if is_tensor(src):
            ctx.check(
                le(a, _nonempty(src)[k]),
                codes.GATHER_INDEX,
                message,
                expected=_nonempty(src)[k],
                actual=a,
                arg="index",
                axis=k,
            )
    return x


@op("torch.scatter", "torch.Tensor.scatter", "torch.Tensor.scatter_")
def scatter(ctx, input, dim, index, src=None, value=None, *, reduce=None):
    """input [*], index, src (or a value) -> [*]: index no larger than input (apart from dim) and src."""
    if reduce is not None:
        ctx.check(
            reduce in ("add", "multiply"),
            codes.INVALID_ARGUMENT,
            "reduce argument must be either add or multiply.",
            param="reduce",
        )
    return _scatter(ctx, tensor(input), dim, tensor(index, "index"), src)


@op("torch.scatter_add", "torch.Tensor.scatter_add", "torch.Tensor.scatter_add_")
def scatter_add(ctx, input, dim, index, src):
    """input [*], index, src -> [*]: index no larger than input (apart from dim) and src."""
    return _scatter(ctx, tensor(input), dim, tensor(index, "index"), tensor(src, "src"))


@op("torch.scatter_reduce", "torch.Tensor.scatter_reduce", "torch.Tensor.scatter_reduce_")
def scatter_reduce(ctx, input, dim, index, src, reduce, *, include_self=True):
    """input [*], index, src -> [*]: index no larger than input (apart from dim) and src."""
    ctx.check(
        reduce in ("sum", "prod", "mean", "amax", "amin"),
        codes.INVALID_ARGUMENT,
        f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}",
        param="reduce",
    )
    return _scatter(ctx, tensor(input), dim, tensor(index, "index"), tensor(src, "src"))


@op("torch.take_along_dim", "torch.Tensor.take_along_dim")
def take_along_dim(ctx, input, indices, dim=None, *, out=None):
    """input [*], indices [*'] -> broadcast of both with indices' size along ``dim``; no dim: [numel]."""
    x, i = tensor(input), tensor(indices, "indices")
    if dim is None:
        return Shape([product(i.dims)])
    ctx.check(
        x.rank == i.rank,
        codes.RANK,
        f"torch.take_along_dim(): input and indices should have the same number of dimensions, but got "
        f"{x.rank} dimensions for input, and {i.rank} dimensions for indices",
        arg="indices",
    )
    axis = normalize_axis(ctx, dim, x.rank)
    ctx.check(x.rank > 0, codes.DIM_OUT_OF_RANGE, f"Dimension specified as {axis} but tensor has no dimensions")
    result = broadcast(ctx, x.replace(axis, i[axis]), i)
    broadcast(ctx, i.replace(axis, x[axis]), x)
    return result


@op("torch.take", "torch.Tensor.take")
def take(ctx, input, index):
    """input [*] (flattened), index [*'] -> [*']."""
    tensor(input)
    return tensor(index, "index")


# ---------------------------------------------------------------------------------------------
# index_select / index_add / index_copy / index_fill: a vector of indices along ``dim``


def _check_vector(ctx: Checker, i: Shape, message: str) -> None:
    ctx.check(i.rank <= 1, codes.RANK, message, arg="index")


@op("torch.index_select", "torch.Tensor.index_select")
def index_select(ctx, input, dim, index, *, out=None):
    """input [..., n, ...], index [k] -> [..., k, ...]."""
    x, i = tensor(input), tensor(index, "index")
    axis = normalize_axis(ctx, dim, x.rank)
    _check_vector(ctx, i, "index_select(): Index is supposed to be a vector")
    count = i[0] if i.rank == 1 else 1
    if x.rank == 0:
        ctx.check(
            eq(count, 1),
            codes.INDEX_SOURCE,
            lambda: f"index_select(): Index to scalar can have only 1 value, got {dim_text(count)} value(s)",
            expected=1,
            actual=count,
            arg="index",
        )
        return x
    return x.replace(axis, count)


@op("torch.index_add", "torch.Tensor.index_add", "torch.Tensor.index_add_")
def index_add(ctx, input, dim, index, source, *, alpha=1, out=None):
    """input [*], index [k], source (input with k along dim) -> [*]."""
    x, i, s = tensor(input), tensor(index, "index"), tensor(source, "source")
    axis = normalize_axis(ctx, dim, x.rank)
    _check_vector(
        ctx, i, f"index_add_(): Index is supposed to be a vector, but got dim: {i.rank} with type: Long and size: {i}"
    )
    ctx.check(
        axis == 0 or axis < s.rank,
        codes.RANK,
        f"index_add_(): Indexing dim {axis} is out of bounds of the source tensor with dim {s.rank}",
        arg="source",
    )
    count = i[0] if i.rank == 1 else 1
    along = s[axis] if s.rank else 1
    ctx.check(
        eq(count, along),
        codes.INDEX_SOURCE,
        lambda: (
            f"index_add_(): Number of indices ({dim_text(count)}) should be equal to source.size(dim): "
            f"({dim_text(along)}), for dim: {axis}"
        ),
        expected=along,
        actual=count,
        arg="index",
    )
    drop = s.rank != 0 and x.rank != 0
    xs = [d for k, d in enumerate(x.dims) if not (drop and k == axis)]
    ss = [d for k, d in enumerate(s.dims) if not (drop and k == axis)]
    message = (
        f"source tensor shape must match self tensor shape, excluding the specified dimension. "
        f"Got self.shape = {x} source.shape = {s}"
    )
    ctx.check(len(xs) == len(ss), codes.INDEX_SOURCE, message, arg="source")
    for a, b in zip(xs, ss):
        ctx.check(eq(b, a), codes.INDEX_SOURCE, message, expected=a, actual=b, arg="source")
    return x


@op("torch.index_copy", "torch.Tensor.index_copy", "torch.Tensor.index_copy_")
def index_copy(ctx, input, dim, index, source):
    """input [*], index [k], source (input with k along dim) -> [*]."""
    x, i, s = tensor(input), tensor(index, "index"), tensor(source, "source")
    axis = normalize_axis(ctx, dim, x.rank)
    _check_vector(ctx, i, f"index_copy_(): Index should have dimension 1 or 0 (got {i.rank})")
    count = i[0] if i.rank == 1 else 1
    if s.rank == 0:
        ctx.check(
            eq(count, 1),
            codes.INDEX_SOURCE,
            lambda: f"index_copy_(): When source is scalar, index should have one element (got {dim_text(count)})",
            expected=1,
            actual=count,
            arg="index",
        )
    elif x.rank != 0:
        ctx.check(
            s.rank == x.rank,
            codes.RANK,
            f"index_copy_(): When source and destination are not scalars, their dimensionality must match. "
            f"Source dimensionality ({s.rank}), destination dimensionality ({x.rank})",
            arg="source",
        )
    xs = [d for k, d in enumerate(x.dims) if k != axis]
    ss = [d for k, d in enumerate(s.dims) if k != axis]
    message = lambda: (
        f"index_copy_(): Source/destination tensor must have same slice shapes. Destination slice "
        f"shape: {Shape(xs)} at dimension {axis} and source slice shape: {Shape(ss)} at dimension 0."
    )
    ctx.check(len(xs) == len(ss), codes.INDEX_SOURCE, message, arg="source")
    for a, b in zip(xs, ss):
        ctx.check(eq(b, a), codes.INDEX_SOURCE, message, expected=a, actual=b, arg="source")
    if s.rank:
        ctx.check(
            eq(count, s[axis]),
            codes.INDEX_SOURCE,
            lambda: (
                f"index_copy_(): Number of indices ({dim_text(count)}) should be equal to source.size(dim) "
                f"({dim_text(s[axis])})"
            ),
            expected=s[axis],
            actual=count,
            arg="index",
        )
    return x


def _check_value(ctx: Checker, value, opname: str) -> None:
    """A tensor fill value must be 0-dim."""
    if is_tensor(value):
        ctx.check(
            value.rank == 0,
            codes.RANK,
            f"{opname} only supports a 0-dimensional value tensor, but got tensor with {value.rank} dimension(s).",
            arg="value",
        )


@op("torch.index_fill", "torch.Tensor.index_fill", "torch.Tensor.index_fill_")
def index_fill(ctx, input, dim, index, value):
    """input [*], index [k] -> [*]."""
    x, i = tensor(input), tensor(index, "index")
    normalize_axis(ctx, dim, x.rank)
    _check_vector(ctx, i, "Index has to be a vector/scalar")
    _check_value(ctx, value, "index_fill_")
    return x


# ---------------------------------------------------------------------------------------------
# masks and where


@op("torch.masked_fill", "torch.Tensor.masked_fill")
def masked_fill(ctx, input, mask, value):
    """input [*], mask [*'] -> broadcast of both (out of place, torch expands either side)."""
    _check_value(ctx, value, "masked_fill_")
    return broadcast(ctx, tensor(input), tensor(mask, "mask"))


@op("torch.Tensor.masked_fill_")
def masked_fill_(ctx, input, mask, value):
    """input [*], mask broadcastable to [*] -> [*]: in place, the mask cannot grow the input."""
    x = tensor(input)
    _check_value(ctx, value, "masked_fill_")
    _check_inplace(ctx, x, broadcast(ctx, x, tensor(mask, "mask")))
    return x


def _check_inplace(ctx: Checker, x: Shape, result: Shape) -> None:
    """An in-place op writes into ``x``: the broadcast result must have its shape."""
    message = f"output with shape {x} doesn't match the broadcast shape {result}"
    ctx.check(result.rank == x.rank, codes.INPLACE_BROADCAST, message, arg="mask")
    for k, (a, b) in enumerate(zip(x.dims, result.dims)):
        ctx.check(eq(b, a), codes.INPLACE_BROADCAST, message, expected=a, actual=b, arg="mask", axis=k)


@op("torch.masked_select", "torch.Tensor.masked_select")
def masked_select(ctx, input, mask, *, out=None):
    """input [*], mask [*'] -> [nnz]: nnz, the number of True elements of the broadcast mask, a fresh size."""
    broadcast(ctx, tensor(input), tensor(mask, "mask"))
    return Shape([ctx.count("nnz", "the number of True in the mask")])


# -- sizes only the data decides: each a fresh symbol ---------------------------------------------


@op("torch.nonzero", "torch.Tensor.nonzero", dtype=INT)
def nonzero(ctx, input, *, out=None, as_tuple=False):
    """[*s] -> [nnz, len(s)]; as_tuple: one [nnz] per axis (a 0-d input counts as one axis)."""
    x = tensor(input)
    nnz = ctx.count("nnz", "the number of nonzero elements")
    if as_tuple is True:
        return tuple(Shape([nnz]) for _ in range(max(x.rank, 1)))
    if as_tuple is not False:
        raise Lost("as_tuple is not known statically")
    return Shape([nnz, x.rank])


@op("torch.argwhere", "torch.Tensor.argwhere", dtype=INT)
def argwhere(ctx, input):
    """[*s] -> [nnz, len(s)]: the index of each nonzero element."""
    x = tensor(input)
    return Shape([ctx.count("nnz", "the number of nonzero elements"), x.rank])


@op("torch.unique", "torch.Tensor.unique")
def unique(ctx, input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """[*s] -> [n] of distinct values (n a fresh size); with dim, that axis becomes n; inverse [*s] (or [s[dim]]), counts [n]."""
    x = tensor(input)
    for name, flag in (("return_inverse", return_inverse), ("return_counts", return_counts)):
        if flag is not True and flag is not False:
            raise Lost(f"{name} is not known statically")
    n = ctx.count("n_unique", "the number of distinct values")
    if dim is None:
        out, inverse = Shape([n]), x
    else:
        ctx.check(
            x.rank > 0,
            codes.DIM_OUT_OF_RANGE,
            f"Dimension specified as {dim} but tensor has no dimensions",
            param="dim",
        )
        axis = normalize_axis(ctx, dim, x.rank)
        ctx.check(
            sum(1 for d in x.dims if d == 0) <= 1,
            codes.INVALID_ARGUMENT,
            "Number of zero sized dimensions is more than one, so unique cannot be applied",
            arg="input",
        )
        ctx.check(
            all(d != 0 for i, d in enumerate(x.dims) if i != axis),
            codes.INVALID_ARGUMENT,
            "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied",
            arg="input",
        )
        out, inverse = x.replace(axis, n), Shape([x[axis]])
    extra = ((inverse,) if return_inverse else ()) + ((Shape([n]),) if return_counts else ())
    return (out,) + extra if extra else out


def _operand(value, name: str) -> Shape:
    """A tensor, or a Python number (a 0-dim operand)."""
    if isinstance(value, (bool, int, float, complex)) or is_dim(value):
        return Shape()
    return tensor(value, name)


@op("torch.where")
def where(ctx, condition, input=None, other=None, *, out=None):
    """condition, input, other -> their broadcast; where(condition) alone gives indices of unknown length."""
    c = tensor(condition, "condition")
    if input is None and other is None:  # torch.nonzero(condition, as_tuple=True)
        nnz = ctx.count("nnz", "the number of True in the condition")
        return tuple(Shape([nnz]) for _ in range(max(c.rank, 1)))
    return broadcast(ctx, c, _operand(input, "input"), _operand(other, "other"))


@op("torch.Tensor.where")
def tensor_where(ctx, input, condition, other):
    """x.where(condition, other) == torch.where(condition, x, other)."""
    return broadcast(ctx, tensor(condition, "condition"), tensor(input), _operand(other, "other"))

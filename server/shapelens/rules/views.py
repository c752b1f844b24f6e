"""Views and reshapes: the same elements under a new shape (view, flatten, permute, expand...)."""

from __future__ import annotations

from .. import codes
from ..dims import (
    Checker,
    Lost,
    Shape,
    any_of,
    broadcast,
    cancel_common,
    dim_text,
    divides,
    dmax,
    dmin,
    eq,
    floordiv,
    ge,
    gt,
    le,
    normalize_axis,
    product,
)
from ._common import at_least, dims_arg, is_tensor, known, tensor
from ._common import sizes as size_args
from ._registry import layer, op, same


def _ints(args: tuple) -> tuple:
    """``permute(0, 2, 1)`` and ``permute((0, 2, 1))``: axes as varargs or one sequence."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    return tuple(int(a) for a in args)


def _is(ctx: Checker, d, value: int) -> bool:
    """Whether a size equals ``value``; Lost when a symbolic size might or might not."""
    return d == value if type(d) is int else ctx.decide(eq(d, value))


# -- view / reshape ----------------------------------------------------------------------------


def _infer_size(ctx: Checker, sizes: tuple, numel, invalid, *, param: str, wrap=lambda m: m) -> tuple:
    """Torch's ``infer_size``: at most one -1, inferred so that the number of elements is kept."""
    infer = None
    known = 1
    for i, s in enumerate(sizes):
        if _is(ctx, s, -1):
            ctx.check(infer is None, codes.INVALID_ARGUMENT, wrap("only one dimension can be inferred"), param=param)
            infer = i
            continue
        ctx.check(
            ge(s, 0),
            codes.NEGATIVE_SIZE,
            lambda: wrap(f"invalid shape dimension {dim_text(s)} at index {i} of shape {Shape(sizes)}"),
            param=param,
        )
        known = known * s
    if infer is None:
        ctx.check(eq(numel, known), codes.RESHAPE_NUMEL, invalid, param=param, expected=numel, actual=known)
        return sizes
    if _is(ctx, known, 0):
        if _is(ctx, numel, 0):
            ctx.fail(
                codes.RESHAPE_NUMEL,
                wrap(
                    f"cannot reshape tensor of 0 elements into shape {Shape(sizes)} because the unspecified "
                    f"dimension size -1 can be any value and is ambiguous"
                ),
                param=param,
            )
        ctx.fail(codes.RESHAPE_NUMEL, invalid, param=param)
    num, den = cancel_common(numel, known)
    ctx.check(divides(den, num), codes.RESHAPE_NUMEL, invalid, param=param)
    return sizes[:infer] + (floordiv(num, den),) + sizes[infer + 1 :]


def _view(ctx: Checker, x: Shape, sizes: tuple, param: str) -> Shape:
    numel = x.numel()
    return Shape(
        _infer_size(
            ctx,
            sizes,
            numel,
            lambda: f"shape '{Shape(sizes)}' is invalid for input of size {dim_text(numel)}",
            param=param,
        )
    )


@op("torch.Tensor.view", dtype=same)
def view(ctx, input, *size):
    """[*] -> size, one -1 inferred: the number of elements is kept."""
    return _view(ctx, tensor(input), size_args(size), "size")


@op("torch.reshape")
def reshape(ctx, input, shape):
    """[*] -> shape, one -1 inferred: the number of elements is kept."""
    return _view(ctx, tensor(input), size_args((shape,)), "shape")


@op("torch.Tensor.reshape", dtype=same)
def tensor_reshape(ctx, input, *shape):
    """[*] -> shape, one -1 inferred: the number of elements is kept."""
    return _view(ctx, tensor(input), size_args(shape), "shape")


@op("torch.Tensor.view_as", "torch.Tensor.reshape_as")
def view_as(ctx, input, other):
    """[*], other [*s] -> [*s]: the number of elements is kept."""
    return _view(ctx, tensor(input), tensor(other, "other").dims, "other")


# -- flatten / unflatten -----------------------------------------------------------------------


def _flatten(ctx: Checker, x: Shape, start_dim, end_dim) -> Shape:
    start, end = normalize_axis(ctx, start_dim, x.rank), normalize_axis(ctx, end_dim, x.rank)
    ctx.check(
        start <= end,
        codes.INVALID_ARGUMENT,
        "flatten() has invalid args: start_dim cannot come after end_dim",
        param="end_dim",
    )
    if x.rank == 0:
        return Shape([1])
    dims = x.dims
    return Shape(dims[:start] + (product(dims[start : end + 1]),) + dims[end + 1 :])


@op("torch.flatten", "torch.Tensor.flatten", dtype=same)
def flatten(ctx, input, start_dim=0, end_dim=-1):
    """[a, *mid, b] -> [a, prod(mid), b] for the axes start_dim..end_dim."""
    return _flatten(ctx, tensor(input), start_dim, end_dim)


@layer("torch.nn.Flatten")
def flatten_layer(ctx, input, *, start_dim=1, end_dim=-1):
    """[N, *rest] -> [N, prod(rest)] (axes start_dim..end_dim merged)."""
    return _flatten(ctx, tensor(input), start_dim, end_dim)


def _unflatten(ctx: Checker, x: Shape, dim, sizes, param: str) -> Shape:
    d = normalize_axis(ctx, dim, x.rank)
    sizes = size_args((sizes,))
    ctx.check(len(sizes) > 0, codes.INVALID_ARGUMENT, "unflatten: sizes must be non-empty", param=param)
    if x.rank == 0:
        ctx.fail(
            codes.DIM_OUT_OF_RANGE,
            "unflatten got an unexpected error:\nDimension specified as 0 but tensor has no dimensions",
        )
    size = x[d]
    inferred = _infer_size(
        ctx,
        sizes,
        size,
        lambda: (
            f"unflatten: Provided sizes {Shape(sizes)} don't multiply up to the size of dim {d} "
            f"({dim_text(size)}) in the input tensor"
        ),
        param=param,
        wrap=lambda m: f"unflatten got an unexpected error:\n{m}",
    )
    return Shape(x.dims[:d] + inferred + x.dims[d + 1 :])


@op("torch.unflatten", "torch.Tensor.unflatten", dtype=same)
def unflatten(ctx, input, dim, sizes):
    """[..., n, ...] -> [..., *sizes, ...] where prod(sizes) == n (one -1 inferred)."""
    return _unflatten(ctx, tensor(input), dim, sizes, "sizes")


@layer("torch.nn.Unflatten")
def unflatten_layer(ctx, input, *, dim, unflattened_size):
    """[..., n, ...] -> [..., *unflattened_size, ...] where the sizes multiply to n."""
    return _unflatten(ctx, tensor(input), dim, unflattened_size, "unflattened_size")


# -- squeeze / unsqueeze -----------------------------------------------------------------------


@op("torch.squeeze", "torch.Tensor.squeeze", dtype=same)
def squeeze(ctx, input, dim=None):
    """Drops the axes of size 1 (all of them, or those in dim); a symbolic size might be 1: Lost."""
    x = tensor(input)
    if dim is None:
        return Shape(d for d in x.dims if not _is(ctx, d, 1))
    axes = []
    for a in dims_arg(dim):
        axis = normalize_axis(ctx, a, x.rank)
        ctx.check(
            axis not in axes,
            codes.INVALID_ARGUMENT,
            f"dim {axis} appears multiple times in the list of dims",
            param="dim",
        )
        axes.append(axis)
    return Shape(d for i, d in enumerate(x.dims) if not (i in axes and _is(ctx, d, 1)))


@op("torch.unsqueeze", "torch.Tensor.unsqueeze", dtype=same)
def unsqueeze(ctx, input, dim):
    """[*a, *b] -> [*a, 1, *b], the new axis at dim."""
    x = tensor(input)
    axis = normalize_axis(ctx, dim, x.rank + 1)
    return Shape(x.dims[:axis] + (1,) + x.dims[axis:])


# -- axis order --------------------------------------------------------------------------------


def _permute(ctx: Checker, x: Shape, dims: tuple) -> Shape:
    ctx.check(
        len(dims) == x.rank,
        codes.RANK,
        lambda: (
            f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {x.rank} is not "
            f"equal to len(dims) = {len(dims)}"
        ),
        param="dims",
    )
    seen: list = []
    for d in dims:
        axis = normalize_axis(ctx, d, x.rank)
        ctx.check(axis not in seen, codes.INVALID_ARGUMENT, "permute(): duplicate dims are not allowed.", param="dims")
        seen.append(axis)
    return Shape(x[a] for a in seen)


@op("torch.permute")
def permute(ctx, input, dims):
    """[d0, d1, ...] -> [d[dims[0]], d[dims[1]], ...]; dims is a permutation of the axes."""
    return _permute(ctx, tensor(input), _ints((dims,)))


@op("torch.Tensor.permute", dtype=same)
def tensor_permute(ctx, input, *dims):
    """[d0, d1, ...] -> [d[dims[0]], d[dims[1]], ...]; dims is a permutation of the axes."""
    return _permute(ctx, tensor(input), _ints(dims))


def _swap(ctx: Checker, x: Shape, a, b) -> Shape:
    """Exchange two axes; with an unknown rank, axes counted into its known ends still work."""
    if x.is_fixed:
        a, b = normalize_axis(ctx, a, x.rank), normalize_axis(ctx, b, x.rank)
        if x.rank == 0:
            return x
    da, db = x[a], x[b]
    return x.replace(a, db).replace(b, da)


@op("torch.transpose", "torch.Tensor.transpose", "torch.swapdims", "torch.Tensor.swapdims", dtype=same)
def transpose(ctx, input, dim0, dim1):
    """Swaps axes dim0 and dim1."""
    return _swap(ctx, tensor(input), dim0, dim1)


@op("torch.swapaxes", "torch.Tensor.swapaxes")
def swapaxes(ctx, input, axis0, axis1):
    """Swaps axes axis0 and axis1."""
    return _swap(ctx, tensor(input), axis0, axis1)


@op("torch.t", "torch.Tensor.t", dtype=same)
def t(ctx, input):
    """[m, n] -> [n, m]; 0-D and 1-D tensors are returned as they are."""
    x = tensor(input)
    ctx.check(x.rank <= 2, codes.RANK, f"t() expects a tensor with <= 2 dimensions, but self is {x.rank}D")
    return Shape(reversed(x.dims))


@op("torch.Tensor.T", kind="property", dtype=same)
def T(ctx, input):
    """[d0, ..., dn] -> [dn, ..., d0] (all axes reversed)."""
    return Shape(reversed(tensor(input).dims))


def _matrix_transpose(ctx: Checker, x: Shape, name: str) -> Shape:
    if x.is_fixed:
        ctx.check(
            x.rank != 1,
            codes.RANK,
            f"tensor.{name} is only supported on matrices or batches of matrices. Got 1-D tensor.",
        )
        if x.rank == 0:
            return x
    return _swap(ctx, x, -2, -1)


@op("torch.Tensor.mT", kind="property", dtype=same)
def mT(ctx, input):
    """[*, m, n] -> [*, n, m]."""
    return _matrix_transpose(ctx, tensor(input), "mT")


@op("torch.Tensor.mH", kind="property")
def mH(ctx, input):
    """[*, m, n] -> [*, n, m] (conjugated)."""
    return _matrix_transpose(ctx, tensor(input), "mH")


@op("torch.Tensor.H", kind="property")
def H(ctx, input):
    """[m, n] -> [n, m] (conjugated); matrices only."""
    x = tensor(input)
    ctx.check(
        x.rank in (0, 2),
        codes.RANK,
        f"tensor.H is only supported on matrices (2-D tensors). Got {x.rank}-D tensor."
        + (" For batches of matrices, consider using tensor.mH" if x.rank > 2 else ""),
    )
    return Shape(reversed(x.dims))


@op("torch.movedim", "torch.Tensor.movedim", "torch.moveaxis", "torch.Tensor.moveaxis", dtype=same)
def movedim(ctx, input, source, destination):
    """Moves the axes in source to the positions in destination; the others keep their order."""
    x = tensor(input)
    src, dst = dims_arg(source), dims_arg(destination)
    ctx.check(
        len(src) == len(dst),
        codes.INVALID_ARGUMENT,
        f"movedim: Invalid source or destination dims: source ({list(src)} dims) should contain "
        f"the same number of dims as destination ({list(dst)} dims)",
        param="destination",
    )
    src_axes = [normalize_axis(ctx, a, x.rank) for a in src]
    dst_axes = [normalize_axis(ctx, a, x.rank) for a in dst]
    ctx.check(
        len(set(src_axes)) == len(src_axes),
        codes.INVALID_ARGUMENT,
        f"movedim: repeated dim in `source` ({list(src)})",
        param="source",
    )
    ctx.check(
        len(set(dst_axes)) == len(dst_axes),
        codes.INVALID_ARGUMENT,
        f"movedim: repeated dim in `destination` ({list(dst)})",
        param="destination",
    )
    if x.rank == 0:
        return x
    order = [None] * x.rank
    for s, d in zip(src_axes, dst_axes):
        order[d] = s
    rest = iter(a for a in range(x.rank) if a not in src_axes)
    return Shape(x[a if a is not None else next(rest)] for a in order)


# -- expand / repeat ---------------------------------------------------------------------------


def _expand(ctx: Checker, x: Shape, size: tuple, param: str) -> Shape:
    """Torch's ``infer_expand_geometry``: an axis keeps its size (-1), or grows from 1."""
    ctx.check(
        len(size) >= x.rank,
        codes.RANK,
        f"expand(Tensor{{{x}}}, size={Shape(size)}): the number of sizes provided ({len(size)}) "
        f"must be greater or equal to the number of dimensions in the tensor ({x.rank})",
        param=param,
    )
    lead = len(size) - x.rank
    out = []
    for i, target in enumerate(size):
        if i < lead:
            ctx.check(
                not _is(ctx, target, -1),
                codes.EXPAND_SIZE,
                f"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}",
                param=param,
            )
            ctx.check(ge(target, 0), codes.NEGATIVE_SIZE, "numel: integer multiplication overflow", param=param)
            out.append(target)
            continue
        have = x[i - lead]
        if _is(ctx, target, -1):
            out.append(have)
            continue
        ctx.check(
            any_of(eq(have, target), eq(have, 1)),
            codes.EXPAND_SIZE,
            lambda: (
                f"The expanded size of the tensor ({dim_text(target)}) must match the existing "
                f"size ({dim_text(have)}) at non-singleton dimension {i}.  Target sizes: "
                f"{Shape(size)}.  Tensor sizes: {x}"
            ),
            param=param,
            expected=have,
            actual=target,
            axis=i - lead,
        )
        ctx.check(ge(target, 0), codes.NEGATIVE_SIZE, "numel: integer multiplication overflow", param=param)
        out.append(target)
    return Shape(out)


@op("torch.Tensor.expand", dtype=same)
def expand(ctx, input, *size):
    """[*s] -> size: axes of size 1 grow, -1 keeps an axis, new axes are added in front."""
    return _expand(ctx, tensor(input), size_args(size), "size")


@op("torch.broadcast_to", "torch.Tensor.broadcast_to")
def broadcast_to(ctx, input, size):
    """[*s] -> size: axes of size 1 grow, -1 keeps an axis, new axes are added in front."""
    return _expand(ctx, tensor(input), size_args((size,)), "size")


@op("torch.Tensor.expand_as")
def expand_as(ctx, input, other):
    """[*s], other [*t] -> [*t]: axes of size 1 grow."""
    return _expand(ctx, tensor(input), tensor(other, "other").dims, "other")


def _broadcast(ctx: Checker, shapes: list) -> Shape:
    """``dims.broadcast``, but Lost where two different symbolic sizes might each be the 1.

    The engine keeps the first of such a pair, which is wrong when that one is the 1.
    """
    if all(s.is_fixed for s in shapes):
        rank = max(s.rank for s in shapes)
        for i in range(1, rank + 1):
            first, *rest = [s[-i] for s in shapes if s.rank >= i and type(s[-i]) is not int] or [1]
            if not all(ctx.facts.decide(eq(d, first)) for d in rest):
                raise Lost(f"broadcasting {first} with {rest}: either may be the 1")
    return broadcast(ctx, *shapes)


@op("torch.broadcast_tensors")
def broadcast_tensors(ctx, *tensors):
    """[*a], [*b], ... -> each broadcast to the common shape."""
    shapes = [tensor(x, f"tensors[{i}]") for i, x in enumerate(tensors)]
    if not shapes:
        return ()
    common = _broadcast(ctx, shapes)
    return tuple(common for _ in shapes)


def _repeat(ctx: Checker, x: Shape, repeats: tuple, param: str) -> Shape:
    ctx.check(
        len(repeats) >= x.rank,
        codes.RANK,
        "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor",
        param=param,
    )
    padded = (1,) * (len(repeats) - x.rank) + x.dims
    out = tuple(d * r for d, r in zip(padded, repeats))
    for d in out:
        ctx.check(
            ge(d, 0),
            codes.NEGATIVE_SIZE,
            lambda: f"Trying to create tensor with negative dimension {dim_text(d)}: {Shape(out)}",
            param=param,
        )
    return Shape(out)


@op("torch.Tensor.repeat", dtype=same)
def repeat(ctx, input, *repeats):
    """[*s] -> [*s * repeats] (repeats may add leading axes)."""
    return _repeat(ctx, tensor(input), size_args(repeats), "repeats")


def _tile(ctx: Checker, x: Shape, dims: tuple) -> Shape:
    """numpy's tile: too few reps are padded with leading 1s, then it is ``repeat``."""
    return _repeat(ctx, x, (1,) * (x.rank - len(dims)) + dims, "dims")


@op("torch.tile")
def tile(ctx, input, dims):
    """[*s] -> [*s * dims], dims padded with leading 1s."""
    return _tile(ctx, tensor(input), size_args((dims,)))


@op("torch.Tensor.tile")
def tensor_tile(ctx, input, *dims):
    """[*s] -> [*s * dims], dims padded with leading 1s."""
    return _tile(ctx, tensor(input), size_args(dims))


@op("torch.repeat_interleave", "torch.Tensor.repeat_interleave")
def repeat_interleave(ctx, input, repeats=None, dim=None, *, output_size=None):
    """[.., n, ..] -> [.., n*repeats, ..] (flattened without dim); tensor repeats need output_size."""
    x = tensor(input)
    if repeats is None:  # torch.repeat_interleave(counts): the input holds the repeat counts
        ctx.check(x.rank == 1, codes.RANK, "repeat_interleave only accept 1D vector as repeat")
        return Shape([_counted_length(output_size)])
    source = x if dim is not None else Shape([x.numel()])
    axis = normalize_axis(ctx, dim if dim is not None else 0, x.rank)
    if is_tensor(repeats):
        if source.rank == 0:
            ctx.fail(codes.DIM_OUT_OF_RANGE, "Dimension specified as 0 but tensor has no dimensions")
        ctx.check(repeats.rank <= 1, codes.INVALID_ARGUMENT, "repeats must be 0-dim or 1-dim tensor", arg="repeats")
        if repeats.rank == 1:  # one count per slice, or a single count for all
            ctx.check(
                any_of(eq(repeats[0], source[axis]), eq(repeats[0], 1)),
                codes.INVALID_ARGUMENT,
                lambda: (
                    f"repeats must have the same size as input along dim, but got "
                    f"repeats.size(0) = {dim_text(repeats[0])} and input.size({axis}) = "
                    f"{dim_text(source[axis])}"
                ),
                expected=source[axis],
                actual=repeats[0],
                arg="repeats",
            )
        return source.replace(axis, _counted_length(output_size))
    repeats = known(repeats, "repeats")
    ctx.check(ge(repeats, 0), codes.NEGATIVE_SIZE, "Repeats must be non-negative", param="repeats")
    if source.rank == 0:
        ctx.fail(
            codes.DIM_OUT_OF_RANGE, f"Dimension out of range (expected to be in range of [-1, 0], but got {axis + 1})"
        )
    size = source[axis] * repeats
    if output_size is not None:
        ctx.check(
            eq(known(output_size, "output_size"), size),
            codes.INVALID_ARGUMENT,
            lambda: (
                f"repeat_interleave: Invalid output_size, expected {dim_text(size)} but got {dim_text(output_size)}"
            ),
            param="output_size",
            expected=size,
            actual=output_size,
        )
    return source.replace(axis, size)


def _counted_length(output_size):
    """The repeated length when the counts are a tensor: only ``output_size`` says it."""
    if output_size is None:
        raise Lost("the output length is the sum of the repeat counts held in a tensor")
    return known(output_size, "output_size")


# -- shape-keeping and small-rank helpers ------------------------------------------------------


@op("torch.Tensor.contiguous", dtype=same)
def contiguous(ctx, input, memory_format=None):
    """Same shape (a contiguous copy when needed)."""
    return tensor(input)


@op("torch.ravel", "torch.Tensor.ravel")
def ravel(ctx, input):
    """[*] -> [numel]."""
    return Shape([tensor(input).numel()])


def _at_least_all(tensors: tuple, rank: int):
    """One tensor gives a tensor; several, or one list, give a tuple."""
    if len(tensors) == 1 and not isinstance(tensors[0], (tuple, list)):
        return at_least(tensor(tensors[0]), rank)
    if len(tensors) == 1:
        tensors = tuple(tensors[0])
    return tuple(at_least(tensor(x, f"tensors[{i}]"), rank) for i, x in enumerate(tensors))


@op("torch.atleast_1d")
def atleast_1d(ctx, *tensors):
    """0-D -> [1]; others unchanged."""
    return _at_least_all(tensors, 1)


@op("torch.atleast_2d")
def atleast_2d(ctx, *tensors):
    """0-D -> [1, 1], [n] -> [1, n]; others unchanged."""
    return _at_least_all(tensors, 2)


@op("torch.atleast_3d")
def atleast_3d(ctx, *tensors):
    """0-D -> [1, 1, 1], [n] -> [1, n, 1], [m, n] -> [m, n, 1]; others unchanged."""
    return _at_least_all(tensors, 3)


@op("torch.Tensor.unfold")
def unfold(ctx, input, dimension, size, step):
    """[.., n, ..] -> [.., (n - size)//step + 1, .., size]: sliding windows along dimension."""
    x = tensor(input)
    size, step = known(size, "size"), known(step, "step")
    axis = normalize_axis(ctx, dimension, x.rank)
    length = x[axis] if x.rank else 1
    ctx.check(
        le(size, length),
        codes.UNFOLD_SIZE,
        lambda: f"maximum size for tensor at dimension {axis} is {dim_text(length)} but size is {dim_text(size)}",
        param="size",
        expected=length,
        actual=size,
        axis=axis,
    )
    ctx.check(ge(size, 0), codes.NEGATIVE_SIZE, lambda: f"size is {dim_text(size)} but must be >= 0", param="size")
    ctx.check(gt(step, 0), codes.INVALID_ARGUMENT, lambda: f"step is {dim_text(step)} but must be > 0", param="step")
    if x.rank == 0:
        return Shape([size])
    dims = x.dims
    return Shape(dims[:axis] + ((length - size) // step + 1,) + dims[axis + 1 :] + (size,))


# -- flips, rolls and rotations: the same elements in another order -------------------------------


def _flip_axes(ctx: Checker, x: Shape, dims: tuple) -> None:
    seen: list = []
    for d in dims:
        axis = normalize_axis(ctx, d, x.rank)
        ctx.check(
            axis not in seen,
            codes.INVALID_ARGUMENT,
            f"dim {axis} appears multiple times in the list of dims",
            param="dims",
        )
        seen.append(axis)


@op("torch.flip")
def flip(ctx, input, dims):
    """[*] -> [*]: the axes dims reversed, none of them twice."""
    x = tensor(input)
    if x.is_fixed:
        _flip_axes(ctx, x, _ints((dims,)))
    return x


@op("torch.Tensor.flip", dtype=same)
def tensor_flip(ctx, input, *dims):
    """[*] -> [*]: the axes dims reversed, none of them twice."""
    x = tensor(input)
    if x.is_fixed:
        _flip_axes(ctx, x, _ints(dims))
    return x


@op("torch.fliplr", "torch.Tensor.fliplr", dtype=same)
def fliplr(ctx, input):
    """[m, n, *] -> [m, n, *]: axis 1 reversed (at least 2 dims)."""
    x = tensor(input)
    ctx.check(x.min_rank >= 2 or not x.is_fixed, codes.RANK, "Input must be >= 2-d.")
    return x


@op("torch.flipud", "torch.Tensor.flipud", dtype=same)
def flipud(ctx, input):
    """[m, *] -> [m, *]: axis 0 reversed (at least 1 dim)."""
    x = tensor(input)
    ctx.check(x.min_rank >= 1 or not x.is_fixed, codes.RANK, "Input must be >= 1-d.")
    return x


@op("torch.roll", "torch.Tensor.roll", dtype=same)
def roll(ctx, input, shifts, dims=None):
    """[*] -> [*]: one shift per axis in dims, or one shift of the flattened tensor without dims."""
    x = tensor(input)
    shifts = tuple(shifts) if isinstance(shifts, (tuple, list)) else (shifts,)
    dims = () if dims is None else dims_arg(dims)
    ctx.check(len(shifts) > 0, codes.INVALID_ARGUMENT, "`shifts` required", param="shifts")
    if not dims and len(shifts) == 1:
        return x
    ctx.check(
        len(shifts) == len(dims),
        codes.INVALID_ARGUMENT,
        f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}",
        param="dims",
    )
    if x.is_fixed:
        for d in dims:
            if x.rank == 0:
                ctx.fail(
                    codes.DIM_OUT_OF_RANGE, f"Dimension specified as {d} but tensor has no dimensions", param="dims"
                )
            normalize_axis(ctx, d, x.rank)
    return x


@op("torch.rot90", "torch.Tensor.rot90", dtype=same)
def rot90(ctx, input, k=1, dims=(0, 1)):
    """[.., a, .., b, ..] -> [.., b, .., a, ..] for an odd k (a, b the axes dims), else the same."""
    x = tensor(input)
    dims = dims_arg(dims)
    ctx.check(
        len(dims) == 2,
        codes.INVALID_ARGUMENT,
        f"expected total rotation dims == 2, but got dims = {len(dims)}",
        param="dims",
    )
    ctx.check(x.rank >= 2, codes.RANK, f"expected total dims >= 2, but got total dims = {x.rank}")
    a, b = normalize_axis(ctx, dims[0], x.rank), normalize_axis(ctx, dims[1], x.rank)
    ctx.check(
        a != b,
        codes.INVALID_ARGUMENT,
        f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}",
        param="dims",
    )
    if type(k) is not int:
        raise Lost("the number of rotations k is not known statically")
    return _swap(ctx, x, a, b) if k % 2 else x


# -- diagonals ---------------------------------------------------------------------------------


def _offset(value) -> int:
    if type(value) is not int:
        raise Lost("the diagonal offset is not known statically")
    return value


def _nonnegative(ctx: Checker, d):
    """``max(0, d)``, written plainly as ``d`` when it is known to be at least 0."""
    return d if ctx.facts.decide(ge(d, 0)) else dmax(0, d)


def _diagonal_length(ctx: Checker, rows, cols, offset: int):
    """The number of elements on the diagonal ``offset`` of a rows x cols matrix (0 past its corner)."""
    if offset >= 0:
        return _nonnegative(ctx, dmin(rows, cols - offset))
    return _nonnegative(ctx, dmin(rows + offset, cols))


def _diagonal(ctx: Checker, x: Shape, offset, dim1, dim2) -> Shape:
    offset = _offset(offset)
    a, b = normalize_axis(ctx, dim1, x.rank), normalize_axis(ctx, dim2, x.rank)
    ctx.check(a != b, codes.INVALID_ARGUMENT, f"diagonal dimensions cannot be identical {dim1}, {dim2}", param="dim2")
    if x.rank == 0:
        return x
    rest = tuple(d for i, d in enumerate(x.dims) if i not in (a, b))
    return Shape(rest + (_diagonal_length(ctx, x[a], x[b], offset),))


@op("torch.diagonal", "torch.Tensor.diagonal", dtype=same)
def diagonal(ctx, input, offset=0, dim1=0, dim2=1):
    """[.., a, .., b, ..] -> [.., .., .., n]: axes dim1, dim2 replaced by their diagonal's length at the end."""
    return _diagonal(ctx, tensor(input), offset, dim1, dim2)


@op("torch.diag", "torch.Tensor.diag", dtype=same)
def diag(ctx, input, diagonal=0):
    """[n] -> [n+|diagonal|, n+|diagonal|]; [m, n] -> [the length of that diagonal]."""
    x, offset = tensor(input), _offset(diagonal)
    ctx.check(x.rank in (1, 2), codes.RANK, f"diag(): Supports 1D or 2D tensors. Got {x.rank}D")
    if x.rank == 1:
        n = x[0] + abs(offset)
        return Shape([n, n])
    return Shape([_diagonal_length(ctx, x[0], x[1], offset)])


@op("torch.diagflat", "torch.Tensor.diagflat", dtype=same)
def diagflat(ctx, input, offset=0):
    """[*] -> [numel+|offset|, numel+|offset|]: the flattened input on a diagonal."""
    n = tensor(input).numel() + abs(_offset(offset))
    return Shape([n, n])


@op("torch.diag_embed", "torch.Tensor.diag_embed", dtype=same)
def diag_embed(ctx, input, offset=0, dim1=-2, dim2=-1):
    """[*, n] -> [*] with two new axes dim1, dim2 of size n+|offset|: the last axis on their diagonal."""
    x, offset = tensor(input), _offset(offset)
    a, b = normalize_axis(ctx, dim1, x.rank + 1), normalize_axis(ctx, dim2, x.rank + 1)
    ctx.check(a != b, codes.INVALID_ARGUMENT, f"diagonal dimensions cannot be identical {dim1}, {dim2}", param="dim2")
    n = x[-1] + abs(offset)
    rest = iter(x.dims[:-1])
    return Shape(n if i in (a, b) else next(rest) for i in range(x.rank + 1))

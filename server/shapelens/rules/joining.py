"""Joining and splitting along an axis: cat/stack and their h/v/d/column forms, split/chunk/narrow/select."""

from __future__ import annotations

from .. import codes
from ..dims import (
    Checker,
    Lost,
    Shape,
    dim_text,
    divides,
    dmax,
    dmin,
    eq,
    ge,
    gt,
    le,
    lt,
    normalize_axis,
    product,
)
from ._common import at_least, is_tensor, known, tensor
from ._common import sizes as size_args
from ._common import tensor as tensor_arg
from ._registry import op, same


def _tensor_list(tensors) -> list:
    if not isinstance(tensors, (tuple, list)):
        raise Lost("the tensors are not a sequence known statically")
    return [tensor(x, f"tensors[{i}]") for i, x in enumerate(tensors)]


def _drop(x: Shape, axis: int) -> Shape:
    return Shape(x.dims[:axis] + x.dims[axis + 1 :])


# -- joining -----------------------------------------------------------------------------------


def _legacy_empty(ctx: Checker, x: Shape) -> bool:
    """A 1-D tensor of size 0: torch.cat skips it (what ``torch.Tensor()`` used to be)."""
    return x.rank == 1 and ctx.decide(eq(x[0], 0))


def _cat(ctx: Checker, shapes: list, dim, op_name: str = "torch.cat()") -> Shape:
    """All axes but dim equal; dim's sizes add up. Legacy [0] tensors are skipped."""
    ctx.check(
        len(shapes) > 0, codes.INVALID_ARGUMENT, f"{op_name}: expected a non-empty list of Tensors", param="tensors"
    )
    for i, x in enumerate(shapes):
        ctx.check(
            x.rank > 0,
            codes.RANK,
            f"zero-dimensional tensor (at position {i}) cannot be concatenated",
            arg=f"tensors[{i}]",
        )
    kept = [(i, x) for i, x in enumerate(shapes) if not _legacy_empty(ctx, x)]
    if not kept:
        return Shape([0])
    _, first = kept[0]
    axis = normalize_axis(ctx, dim, first.rank)
    total = 0
    for i, x in kept:
        ctx.check(
            x.rank == first.rank,
            codes.RANK,
            f"Tensors must have same number of dimensions: got {first.rank} and {x.rank}",
            arg=f"tensors[{i}]",
        )
        for a in range(first.rank):
            if a == axis:
                continue
            ctx.check(
                eq(x[a], first[a]),
                codes.CAT_DIMS,
                lambda: (
                    f"Sizes of tensors must match except in dimension {axis}. Expected size "
                    f"{dim_text(first[a])} but got size {dim_text(x[a])} for tensor number {i} "
                    f"in the list."
                ),
                expected=first[a],
                actual=x[a],
                arg=f"tensors[{i}]",
                axis=a,
            )
        total = total + x[axis]
    return first.replace(axis, total)


@op("torch.cat", "torch.concat")
def cat(ctx, tensors, dim=0, *, out=None):
    """[.., a, ..], [.., b, ..] -> [.., a + b, ..]: all axes but dim equal."""
    return _cat(ctx, _tensor_list(tensors), dim)


@op("torch.concatenate")
def concatenate(ctx, tensors, axis=0, out=None):
    """[.., a, ..], [.., b, ..] -> [.., a + b, ..]: all axes but axis equal."""
    return _cat(ctx, _tensor_list(tensors), axis)


@op("torch.stack")
def stack(ctx, tensors, dim=0, *, out=None):
    """n x [*s] -> [*s[:dim], n, *s[dim:]]: all shapes equal."""
    shapes = _tensor_list(tensors)
    ctx.check(len(shapes) > 0, codes.INVALID_ARGUMENT, "stack expects a non-empty TensorList", param="tensors")
    first = shapes[0]
    axis = normalize_axis(ctx, dim, first.rank + 1)
    for i, x in enumerate(shapes[1:], 1):
        message = f"stack expects each tensor to be equal size, but got {first} at entry 0 and {x} at entry {i}"
        ctx.check(x.rank == first.rank, codes.STACK_SHAPES, message, arg=f"tensors[{i}]")
        for a in range(first.rank):
            ctx.check(
                eq(x[a], first[a]),
                codes.STACK_SHAPES,
                message,
                expected=first[a],
                actual=x[a],
                arg=f"tensors[{i}]",
                axis=a,
            )
    return Shape(first.dims[:axis] + (len(shapes),) + first.dims[axis:])


def _stack_along(ctx: Checker, name: str, tensors, rank: int, dim) -> Shape:
    """hstack/vstack/dstack: ``atleast_<rank>d`` each, then cat along dim."""
    shapes = _tensor_list(tensors)
    ctx.check(len(shapes) > 0, codes.INVALID_ARGUMENT, f"{name} expects a non-empty TensorList", param="tensors")
    shapes = [at_least(x, rank) for x in shapes]
    return _cat(ctx, shapes, dim(shapes[0]))


@op("torch.hstack")
def hstack(ctx, tensors, *, out=None):
    """1-D: [a], [b] -> [a + b]; else [n, a, ..], [n, b, ..] -> [n, a + b, ..]."""
    return _stack_along(ctx, "hstack", tensors, 1, lambda first: 0 if first.rank == 1 else 1)


@op("torch.vstack", "torch.row_stack")
def vstack(ctx, tensors, *, out=None):
    """[n] -> [1, n] first; then [a, ..], [b, ..] -> [a + b, ..]."""
    return _stack_along(ctx, "vstack", tensors, 2, lambda first: 0)


@op("torch.dstack")
def dstack(ctx, tensors, *, out=None):
    """atleast_3d each, then [m, n, a], [m, n, b] -> [m, n, a + b]."""
    return _stack_along(ctx, "dstack", tensors, 3, lambda first: 2)


@op("torch.column_stack")
def column_stack(ctx, tensors, *, out=None):
    """0-D and 1-D tensors become columns [n, 1]; then cat along axis 1."""
    shapes = _tensor_list(tensors)
    ctx.check(len(shapes) > 0, codes.INVALID_ARGUMENT, "column_stack expects a non-empty TensorList", param="tensors")
    return _cat(ctx, [Shape([x.numel(), 1]) if x.rank <= 1 else x for x in shapes], 1)


@op("torch.cartesian_prod")
def cartesian_prod(ctx, *tensors):
    """[a], [b], ... -> [a*b*..., n] for n vectors; one vector is returned as it is."""
    shapes = [tensor(x, f"tensors[{i}]") for i, x in enumerate(tensors)]
    ctx.check(len(shapes) > 0, codes.INVALID_ARGUMENT, "meshgrid expects a non-empty TensorList", param="tensors")
    for i, x in enumerate(shapes):
        ctx.check(x.rank == 1, codes.RANK, f"Expect a 1D vector, but got shape {x}", arg=f"tensors[{i}]")
    if len(shapes) == 1:
        return shapes[0]
    return Shape([product(x[0] for x in shapes), len(shapes)])


@op("torch.block_diag")
def block_diag(ctx, *tensors):
    """[m1, n1], [m2, n2], ... -> [m1 + m2 + ..., n1 + n2 + ...]; [n] counts as [1, n], [] as [1, 1]."""
    shapes = [tensor(x, f"tensors[{i}]") for i, x in enumerate(tensors)]
    rows, cols = 0, 0
    for i, x in enumerate(shapes):
        ctx.check(
            x.rank <= 2,
            codes.RANK,
            f"Input tensors must have 2 or fewer dimensions. Input {i} has {x.rank} dimensions",
            arg=f"tensors[{i}]",
        )
        matrix = x.dims if x.rank == 2 else (1, x[0]) if x.rank == 1 else (1, 1)
        rows, cols = rows + matrix[0], cols + matrix[1]
    return Shape([rows if shapes else 1, cols])


# -- splitting ---------------------------------------------------------------------------------


def _equal_pieces(ctx: Checker, x: Shape, axis: int, size) -> tuple:
    """Pieces of ``size`` along axis, the last one shorter; Lost when their number is symbolic."""
    length = x[axis]
    if type(length) is int and type(size) is int:
        count = max(-(-length // size), 1)
        last = length - size * (count - 1)
        return tuple(x.replace(axis, size) for _ in range(count - 1)) + (x.replace(axis, last),)
    count = ctx.simplify(length // size)
    if type(count) is int and count >= 1 and ctx.facts.decide(divides(size, length)):
        return tuple(x.replace(axis, size) for _ in range(count))
    raise Lost(f"the number of pieces of size {size} in {length} is not known statically")


def _split(ctx: Checker, x: Shape, split_size, dim, param: str) -> tuple:
    if is_tensor(split_size):
        raise Lost("the split sizes are held in a tensor")
    ctx.check(x.rank > 0, codes.RANK, "split expects at least a 1-dimensional tensor")
    if isinstance(split_size, (tuple, list)):
        sizes = size_args((split_size,))
        axis = normalize_axis(ctx, dim, x.rank)
        listed = list(sizes)
        for s in sizes:
            ctx.check(
                ge(s, 0),
                codes.NEGATIVE_SIZE,
                f"split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes={listed}",
                param=param,
            )
        total = sum(sizes)
        ctx.check(
            eq(total, x[axis]),
            codes.SPLIT_SIZES,
            lambda: (
                f"split_with_sizes expects split_sizes to sum exactly to {dim_text(x[axis])} "
                f"(input tensor's size at dimension {dim}), but got split_sizes={listed}"
            ),
            param=param,
            expected=x[axis],
            actual=total,
            axis=axis,
        )
        return tuple(x.replace(axis, s) for s in sizes)
    size = known(split_size, param)
    ctx.check(
        ge(size, 0),
        codes.NEGATIVE_SIZE,
        lambda: f"split expects split_size be non-negative, but got split_size={dim_text(size)}",
        param=param,
    )
    axis = normalize_axis(ctx, dim, x.rank)
    if type(size) is int and size == 0:
        ctx.check(
            eq(x[axis], 0),
            codes.SPLIT_SIZES,
            lambda: f"split_size can only be 0 if dimension size is 0, but got dimension size of {dim_text(x[axis])}",
            param=param,
        )
        return (x,)
    return _equal_pieces(ctx, x, axis, size)


@op("torch.split")
def split(ctx, tensor, split_size_or_sections, dim=0):
    """[.., n, ..] -> pieces of split_size (the last shorter), or of the listed sizes summing to n."""
    return _split(ctx, tensor_arg(tensor, "tensor"), split_size_or_sections, dim, "split_size_or_sections")


@op("torch.Tensor.split")
def split_method(ctx, input, split_size, dim=0):
    """[.., n, ..] -> pieces of split_size (the last shorter), or of the listed sizes summing to n."""
    return _split(ctx, tensor(input), split_size, dim, "split_size")


@op("torch.chunk", "torch.Tensor.chunk")
def chunk(ctx, input, chunks, dim=0):
    """[.., n, ..] -> pieces of ceil(n / chunks): possibly fewer than chunks."""
    x = tensor(input)
    ctx.check(x.rank > 0, codes.RANK, "chunk expects at least a 1-dimensional tensor")
    chunks = known(chunks, "chunks")
    ctx.check(
        gt(chunks, 0),
        codes.INVALID_ARGUMENT,
        lambda: f"chunk expects `chunks` to be greater than 0, got: {dim_text(chunks)}",
        param="chunks",
    )
    axis = normalize_axis(ctx, dim, x.rank)
    length = x[axis]
    if type(chunks) is not int:
        raise Lost("the number of chunks is symbolic")
    if chunks == 1:
        return (x,)
    if type(length) is not int:
        if not ctx.facts.decide(divides(chunks, length)):
            raise Lost(f"the number of chunks of {length} depends on its value")
        return tuple(x.replace(axis, ctx.simplify(length // chunks)) for _ in range(chunks))
    size = -(-length // chunks)
    if size == 0:  # an empty axis still gives `chunks` empty pieces
        return tuple(x for _ in range(chunks))
    return _equal_pieces(ctx, x, axis, size)


@op("torch.unbind", "torch.Tensor.unbind")
def unbind(ctx, input, dim=0):
    """[.., n, ..] -> n tensors without that axis."""
    x = tensor(input)
    axis = normalize_axis(ctx, dim, x.rank)
    if x.rank == 0:
        ctx.fail(codes.DIM_OUT_OF_RANGE, "Dimension specified as 0 but tensor has no dimensions")
    count = x[axis]
    if type(count) is not int:
        raise Lost(f"unbind gives {count} tensors, a number not known statically")
    return tuple(_drop(x, axis) for _ in range(count))


def _at_least(ctx: Checker, d, low):
    """``max(d, low)``, simplified where the facts decide it."""
    below = ctx.facts.decide(lt(d, low))
    return low if below else d if below is False else dmax(d, low)


def _at_most(ctx: Checker, d, high):
    """``min(d, high)``, simplified where the facts decide it."""
    above = ctx.facts.decide(gt(d, high))
    return high if above else d if above is False else dmin(d, high)


def _slice_length(ctx: Checker, length, start, end):
    """The length of ``x[start:end]`` along an axis of ``length`` (Python slice semantics)."""

    def position(i):
        if _negative(ctx, i):
            i = i + length
        return _at_most(ctx, _at_least(ctx, i, 0), length)

    return _at_least(ctx, position(end) - position(start), 0)


def _negative(ctx: Checker, i) -> bool:
    return i < 0 if type(i) is int else ctx.decide(lt(i, 0))


def _tensor_split(ctx: Checker, x: Shape, indices_or_sections, axis: int) -> tuple:
    length = x[axis]
    if isinstance(indices_or_sections, (tuple, list)):
        bounds = [0] + [known(i, "indices") for i in indices_or_sections]
        pieces = [_slice_length(ctx, length, a, b) for a, b in zip(bounds, bounds[1:])]
        pieces.append(_slice_length(ctx, length, bounds[-1], length))
        return tuple(x.replace(axis, p) for p in pieces)
    sections = known(indices_or_sections, "sections")
    ctx.check(
        gt(sections, 0),
        codes.INVALID_ARGUMENT,
        lambda: f"number of sections must be larger than 0, got {dim_text(sections)}",
        param="indices_or_sections",
    )
    if type(sections) is not int:
        raise Lost("the number of sections is symbolic")
    # the first length % sections pieces are one longer
    return tuple(x.replace(axis, (length + sections - 1 - i) // sections) for i in range(sections))


@op("torch.tensor_split", "torch.Tensor.tensor_split")
def tensor_split(ctx, input, indices_or_sections, dim=0):
    """[.., n, ..] -> sections near-equal pieces, or the pieces between the indices."""
    x = tensor(input)
    ctx.check(
        x.rank > 0,
        codes.RANK,
        f"tensor_split expected at least a 1-dimensional tensor, but got a tensor with {x.rank} dims",
    )
    if is_tensor(indices_or_sections):
        raise Lost("the split points are held in a tensor")
    return _tensor_split(ctx, x, indices_or_sections, normalize_axis(ctx, dim, x.rank))


def _split_at(ctx: Checker, name: str, x: Shape, indices_or_sections, min_rank: int, axis: int) -> tuple:
    """hsplit/vsplit/dsplit: tensor_split along a fixed axis; sections must divide it."""
    ctx.check(
        x.rank >= min_rank,
        codes.RANK,
        f"torch.{name} requires a tensor with at least {min_rank} dimension, but got a tensor with "
        f"{x.rank} dimensions!",
    )
    if is_tensor(indices_or_sections):
        raise Lost("the split points are held in a tensor")
    if isinstance(indices_or_sections, (tuple, list)):
        return _tensor_split(ctx, x, indices_or_sections, axis)
    sections = known(indices_or_sections, "sections")
    length = x[axis]
    ctx.check(
        not (type(sections) is int and sections == 0) and divides(sections, length),
        codes.SPLIT_SIZES,
        lambda: (
            f"torch.{name} attempted to split along dimension {axis}, but the size of the "
            f"dimension {dim_text(length)} is not divisible by the split_size "
            f"{dim_text(sections)}!"
        ),
        param="indices_or_sections",
        axis=axis,
    )
    ctx.check(
        gt(sections, 0),
        codes.INVALID_ARGUMENT,
        lambda: f"number of sections must be larger than 0, got {dim_text(sections)}",
        param="indices_or_sections",
    )
    if type(sections) is not int:
        raise Lost("the number of sections is symbolic")
    return tuple(x.replace(axis, length // sections) for _ in range(sections))


@op("torch.hsplit", "torch.Tensor.hsplit")
def hsplit(ctx, input, indices_or_sections):
    """tensor_split along axis 1 (axis 0 for 1-D tensors); sections must divide it."""
    x = tensor(input)
    return _split_at(ctx, "hsplit", x, indices_or_sections, 1, 0 if x.rank == 1 else 1)


@op("torch.vsplit", "torch.Tensor.vsplit")
def vsplit(ctx, input, indices_or_sections):
    """tensor_split along axis 0 of a tensor with at least 2 axes; sections must divide it."""
    return _split_at(ctx, "vsplit", tensor(input), indices_or_sections, 2, 0)


@op("torch.dsplit", "torch.Tensor.dsplit")
def dsplit(ctx, input, indices_or_sections):
    """tensor_split along axis 2 of a tensor with at least 3 axes; sections must divide it."""
    return _split_at(ctx, "dsplit", tensor(input), indices_or_sections, 3, 2)


# -- one slice ---------------------------------------------------------------------------------


@op("torch.narrow", "torch.Tensor.narrow", dtype=same)
def narrow(ctx, input, dim, start, length):
    """[.., n, ..] -> [.., length, ..]: start + length must stay within n."""
    x = tensor(input)
    ctx.check(x.rank > 0, codes.RANK, "narrow() cannot be applied to a 0-dim tensor.")
    start, length = known(start, "start"), known(length, "length")
    ctx.check(ge(length, 0), codes.NEGATIVE_SIZE, "narrow(): length must be non-negative.", param="length")
    axis = normalize_axis(ctx, dim, x.rank)
    size = x[axis]
    message = lambda: (
        f"start out of range (expected to be in range of [{dim_text(-size)}, "
        f"{dim_text(size)}], but got {dim_text(start)})"
    )
    ctx.check(ge(start, -size), codes.NARROW_BOUNDS, message, param="start", axis=axis)
    ctx.check(le(start, size), codes.NARROW_BOUNDS, message, param="start", axis=axis)
    if _negative(ctx, start):
        start = start + size
    ctx.check(
        le(start + length, size),
        codes.NARROW_BOUNDS,
        lambda: f"start ({dim_text(start)}) + length ({dim_text(length)}) exceeds dimension size ({dim_text(size)}).",
        param="length",
        expected=size - start,
        actual=length,
        axis=axis,
    )
    return x.replace(axis, length)


@op("torch.select", "torch.Tensor.select", dtype=same)
def select(ctx, input, dim, index):
    """[.., n, ..] -> [.., ..]: the axis is dropped; -n <= index < n."""
    x = tensor(input)
    ctx.check(x.rank > 0, codes.RANK, "select() cannot be applied to a 0-dim tensor.")
    index = known(index, "index")
    axis = normalize_axis(ctx, dim, x.rank)
    size = x[axis]
    message = lambda: f"select(): index {dim_text(index)} out of range for tensor of size {x} at dimension {axis}"
    ctx.check(ge(index, -size), codes.INDEX_OUT_OF_RANGE, message, param="index", axis=axis)
    ctx.check(lt(index, size), codes.INDEX_OUT_OF_RANGE, message, param="index", axis=axis)
    return _drop(x, axis)

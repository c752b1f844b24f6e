"""What several rule families share, in one place (as torch's ``_prims_common``): how torch spells
sizes, tuples and dims, the axis a ``dim`` names, broadcasting one size at a time, einsum's
contraction, in-place operands, numpy's ``atleast_nd``. A family imports these, never another
family's private functions.
"""

from __future__ import annotations

from numbers import Number

from .. import codes
from ..dims import Checker, Lost, Shape, any_of, dim_text, dmax, eq, is_dim, normalize_axis

ELLIPSIS = "..."  # an einsum label that stands for the broadcast axes


# -- arguments ---------------------------------------------------------------------------------


def ntuple(value, n: int, name: str = "argument") -> tuple:
    """``3 -> (3, 3)``, ``(3, 5) -> (3, 5)``: torch's ``_pair``/``_triple``."""
    if isinstance(value, (tuple, list)):
        if len(value) == 1 and n > 1:
            return tuple(value) * n
        if len(value) != n:
            raise Lost(f"{name} has {len(value)} values, expected {n}")
        return tuple(value)
    if is_dim(value):
        return (value,) * n
    raise Lost(f"{name} is not a size")


def ntuple_as_is(value, n: int) -> tuple:
    """torch's ``_ntuple(n)`` itself: a sequence as it is (of any length), one value ``n`` times."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * n


def sizes(args: tuple) -> tuple:
    """``view(2, 3)`` and ``view((2, 3))`` both mean the sizes ``(2, 3)``."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    for a in args:
        if not is_dim(a):
            raise Lost("a size is not known statically")
    return tuple(args)


def dims_arg(value) -> tuple:
    """A ``dim`` argument that may be one axis or a tuple of axes."""
    if isinstance(value, (tuple, list)):
        return tuple(int(v) for v in value)
    return (int(value),)


def is_tensor(value) -> bool:
    return isinstance(value, Shape)


def tensor(value, name: str = "input") -> Shape:
    """The shape of a tensor argument; :class:`Lost` when the value is not a known tensor."""
    if isinstance(value, Shape):
        return value
    raise Lost(f"{name} is not a tensor with a known shape")


def known(value, name: str):
    """A size or index argument (int or symbolic); Lost when its value is not known statically."""
    if not is_dim(value):
        raise Lost(f"{name} is not known statically")
    return value


# -- axes and broadcasting --------------------------------------------------------------------


def axis_of(ctx: Checker, x: Shape, dim) -> int:
    """``dim`` as an index of ``x``: wrapped when the rank is known, else within the known axes."""
    if x.is_fixed:
        return normalize_axis(ctx, dim, x.rank)
    if 0 <= dim < len(x.prefix) or -len(x.suffix) <= dim < 0:
        return dim
    raise Lost(f"whether dim {dim} is an axis of {x} is not known")


def broadcast_size(ctx: Checker, seen, size, code: str, message, **details):
    """Merge a size into the one seen so far where 1 broadcasts (einsum labels, tensordot, indices)."""
    if seen == size or size == 1:
        return seen
    if seen == 1:
        return size
    ctx.check(any_of(eq(seen, size), eq(seen, 1), eq(size, 1)), code, message, **details)
    facts = ctx.facts
    seen_one, size_one = facts.decide(eq(seen, 1)), facts.decide(eq(size, 1))
    if size_one or seen_one is False or facts.decide(eq(seen, size)):
        return seen
    if seen_one or size_one is False:
        return size
    if facts.bounds(seen)[0] >= 1 and facts.bounds(size)[0] >= 1:
        return dmax(seen, size)  # equal, or one of them is 1: either way the larger
    raise Lost(f"the broadcast of {dim_text(seen)} and {dim_text(size)} depends on which is 1")


def at_least(x: Shape, rank: int) -> Shape:
    """numpy's atleast_nd: 0-D -> [1, 1, 1], [n] -> [1, n] (2-D) or [1, n, 1] (3-D), [m, n] -> [m, n, 1]."""
    if x.min_rank >= rank:
        return x
    dims = x.dims
    if rank == 3 and x.rank == 1:
        return Shape((1,) + dims + (1,))
    if rank == 3 and x.rank == 2:
        return Shape(dims + (1,))
    return Shape((1,) * (rank - x.rank) + dims)


# -- einsum ------------------------------------------------------------------------------------


def contract(ctx: Checker, shapes: list, inputs: list, output: list, names=None) -> Shape:
    """Sizes of an einsum: labels broadcast across operands, repeats are diagonals, the rest is summed.

    ``names`` maps a label to how the user wrote it (einops axis names); torch's letters otherwise.
    """
    name = (lambda label: names.get(label, label)) if names else (lambda label: label)
    ell_rank = 0
    for i, (x, labels) in enumerate(zip(shapes, inputs)):
        n = sum(1 for label in labels if label != ELLIPSIS)
        if ELLIPSIS in labels:
            ctx.check(
                n <= x.rank,
                codes.EINSUM_DIMS,
                f"einsum(): the number of subscripts in the equation ({n}) is more than the number "
                f"of dimensions ({x.rank}) for operand {i}",
                arg=f"operands[{i}]",
            )
            ell_rank = max(ell_rank, x.rank - n)
        else:
            ctx.check(
                n == x.rank,
                codes.EINSUM_DIMS,
                f"einsum(): the number of subscripts in the equation ({n}) does not match the number "
                f"of dimensions ({x.rank}) for operand {i} and no ellipsis was given",
                arg=f"operands[{i}]",
            )
    sizes: dict = {}
    ell_sizes = [1] * ell_rank
    for i, (x, labels) in enumerate(zip(shapes, inputs)):
        dim = 0
        first: dict = {}
        for label in labels:
            if label == ELLIPSIS:
                covered = x.rank - (len(labels) - 1)
                for j in range(ell_rank - covered, ell_rank):
                    seen, size, at = ell_sizes[j], x[dim], dim
                    ell_sizes[j] = broadcast_size(
                        ctx,
                        seen,
                        size,
                        codes.EINSUM_DIMS,
                        lambda: (
                            f"einsum(): dimension {at} covered by ellipsis in operand {i} has size "
                            f"{dim_text(size)} which does not broadcast with previously seen ellipsis "
                            f"with size {dim_text(seen)} for the respective dimension"
                        ),
                        expected=seen,
                        actual=size,
                        arg=f"operands[{i}]",
                        axis=at,
                    )
                    dim += 1
                continue
            size = x[dim]
            if label in first:
                prev = x[first[label]]
                ctx.check(
                    eq(size, prev),
                    codes.EINSUM_DIMS,
                    lambda: (
                        f"einsum(): subscript {name(label)} is repeated for operand {i} but the "
                        f"sizes don't match, {dim_text(size)} != {dim_text(prev)}"
                    ),
                    expected=prev,
                    actual=size,
                    arg=f"operands[{i}]",
                    axis=dim,
                )
            else:
                first[label] = dim
                seen = sizes.get(label, 1)
                sizes[label] = broadcast_size(
                    ctx,
                    seen,
                    size,
                    codes.EINSUM_DIMS,
                    lambda: (
                        f"einsum(): subscript {name(label)} has size {dim_text(size)} for operand {i} "
                        f"which does not broadcast with previously seen size {dim_text(seen)}"
                    ),
                    expected=seen,
                    actual=size,
                    arg=f"operands[{i}]",
                    axis=dim,
                )
            dim += 1
    out: list = []
    for label in output:
        out.extend(ell_sizes if label == ELLIPSIS else [sizes[label]])
    return Shape(out)


# -- in-place operands --------------------------------------------------------------------------


def operand(value, name: str) -> Shape:
    """A tensor's shape; a number is ``[]``."""
    if isinstance(value, Shape):
        return value
    if isinstance(value, Number) or is_dim(value):
        return Shape(())
    raise Lost(f"{name} is neither a tensor nor a number")


def inplace(ctx: Checker, input, **operands) -> Shape:
    """``input`` keeps its shape: each operand's axis must equal input's or be 1."""
    x = tensor(input)
    for name, value in operands.items():
        y = operand(value, name)
        if y.is_fixed and y.rank == 0:
            continue
        for i in range(1, min(x.rank, y.rank) + 1):
            a, b = x[-i], y[-i]
            if ctx.facts.decide(eq(a, 1)):
                ctx.check(
                    eq(b, 1),
                    codes.INPLACE_BROADCAST,
                    lambda: _inplace_message(x, y),
                    expected=1,
                    actual=b,
                    arg=name,
                    axis=-i,
                )
            else:
                ctx.check(
                    any_of(eq(b, a), eq(b, 1)),
                    codes.BROADCAST,
                    lambda: (
                        f"The size of tensor a ({dim_text(a)}) must match the size of tensor b "
                        f"({dim_text(b)}) at non-singleton dimension {max(x.rank, y.rank) - i}"
                    ),
                    expected=a,
                    actual=b,
                    arg=name,
                    axis=-i,
                )
        ctx.check(y.rank <= x.rank, codes.INPLACE_BROADCAST, lambda: _inplace_message(x, y), arg=name)
    return x


def _inplace_message(x: Shape, y: Shape) -> str:
    extra = y.dims[: max(0, y.rank - x.rank)]
    tail = [b if a == 1 else a for a, b in zip(x.dims[max(0, x.rank - y.rank) :], y.dims[len(extra) :])]
    return (
        f"output with shape {x} doesn't match the broadcast shape "
        f"{Shape(x.dims[: max(0, x.rank - y.rank)] + tuple(extra) + tuple(tail))}"
    )


# -- stated conditions ---------------------------------------------------------------------------


def drop_repeated_conditions(ctx: Checker, since: int) -> None:
    """Forget the conditions recorded since the ``since``-th that repeat an earlier one (a layer
    applied again states what it requires once)."""
    seen = {(str(c.cond), c.code) for c in ctx.conditions[:since]}
    ctx.conditions[since:] = [c for c in ctx.conditions[since:] if (str(c.cond), c.code) not in seen]

"""Tensor factories: the shape comes from size arguments, a range's length, nested data or another tensor."""

from __future__ import annotations

from math import ceil

from .. import codes
from ..dims import Checker, Expr, Lost, Shape, dim_text, eq, ge, gt, is_dim, lt, ne, product
from ._common import sizes as size_args
from ._common import known, tensor
from ._registry import BOOL, FLOAT, INT, data_dtype, op, range_dtype, same


def _new(ctx: Checker, size: tuple, message=None) -> Shape:
    """A tensor of these sizes: each must be non-negative."""
    for d in size:
        ctx.check(
            ge(d, 0),
            codes.NEGATIVE_SIZE,
            message or (lambda: f"Trying to create tensor with negative dimension {dim_text(d)}: {Shape(size)}"),
            param="size",
            actual=d,
        )
    return Shape(size)


@op("torch.randn", "torch.rand")
def randn(
    ctx, *size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
):
    """size -> [*size]."""
    return _new(ctx, size_args(size))


@op("torch.zeros")
def zeros(ctx, *size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """size -> [*size]."""
    return _new(ctx, size_args(size), "zeros: Dimension size must be non-negative.")


@op("torch.ones")
def ones(ctx, *size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """size -> [*size]."""
    return _new(ctx, size_args(size))


@op("torch.empty")
def empty(
    ctx,
    *size,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
    memory_format=None,
):
    """size -> [*size]."""
    return _new(ctx, size_args(size))


@op("torch.full")
def full(ctx, size, fill_value, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """size -> [*size]."""
    return _new(ctx, size_args((size,)))


def _number(value, name: str):
    """An int, a float or a symbolic int: a range bound."""
    if isinstance(value, float) or is_dim(value):
        return value
    raise Lost(f"{name} is not known statically")


@op("torch.arange", dtype=range_dtype)
def arange(ctx, start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """[ceil((end - start) / step)]; arange(n) is [n]."""
    if end is None:  # arange(end)
        start, end = 0, start
    start, end, step = _number(start, "start"), _number(end, "end"), _number(step, "step")
    bounds = (start, end, step)
    if not any(isinstance(v, Expr) for v in bounds):
        ctx.check(step != 0, codes.INVALID_ARGUMENT, "step must be nonzero", param="step")
        ctx.check(
            end >= start if step > 0 else end <= start,
            codes.INVALID_ARGUMENT,
            "upper bound and lower bound inconsistent with step sign",
            param="step",
        )
        if any(isinstance(v, float) for v in bounds):  # torch computes the length in double
            return Shape([ceil((float(end) - float(start)) / float(step))])
        return Shape([-((start - end) // step)])
    if any(isinstance(v, float) for v in bounds):
        raise Lost("a range with both float and symbolic bounds")
    ctx.check(ne(step, 0), codes.INVALID_ARGUMENT, "step must be nonzero", param="step")
    if ctx.decide(gt(step, 0)):
        ctx.check(
            ge(end, start),
            codes.INVALID_ARGUMENT,
            "upper bound and lower bound inconsistent with step sign",
            param="step",
        )
        return Shape([(end - start + step - 1) // step])
    ctx.check(
        ge(start, end), codes.INVALID_ARGUMENT, "upper bound and lower bound inconsistent with step sign", param="step"
    )
    return Shape([(start - end - step - 1) // (-step)])


@op("torch.linspace")
def linspace(ctx, start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """[steps]."""
    steps = known(steps, "steps")
    ctx.check(ge(steps, 0), codes.NEGATIVE_SIZE, "number of steps must be non-negative", param="steps")
    return Shape([steps])


@op("torch.logspace")
def logspace(ctx, start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """[steps]."""
    steps = known(steps, "steps")
    ctx.check(ge(steps, 0), codes.NEGATIVE_SIZE, "number of steps must be non-negative", param="steps")
    return Shape([steps])


@op("torch.eye")
def eye(ctx, n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """[n, m] (m defaults to n)."""
    n = known(n, "n")
    ctx.check(ge(n, 0), codes.NEGATIVE_SIZE, lambda: f"n must be greater or equal to 0, got {dim_text(n)}", param="n")
    m = n if m is None else known(m, "m")
    ctx.check(ge(m, 0), codes.NEGATIVE_SIZE, lambda: f"m must be greater or equal to 0, got {dim_text(m)}", param="m")
    return Shape([n, m])


def _check_bounds(ctx: Checker, low, high) -> None:
    low, high = known(low, "low"), known(high, "high")
    ctx.check(
        lt(low, high),
        codes.INVALID_ARGUMENT,
        lambda: f"random_ expects 'from' to be less than 'to', but got from={dim_text(low)} >= to={dim_text(high)}",
        param="high",
    )


@op("torch.randint", dtype=INT)
def randint(
    ctx,
    low=0,
    high=None,
    size=None,
    *,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
):
    """size -> [*size]; randint(high, size) and randint(low, high, size)."""
    if size is None:  # randint(high, size)
        low, high, size = 0, low, high
    if size is None:
        raise Lost("randint needs a size")
    shape = _new(ctx, size_args((size,)))
    _check_bounds(ctx, low, high)
    return shape


@op("torch.randn_like", "torch.rand_like")
def randn_like(
    ctx, input, *, generator=None, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None
):
    """[*s] -> [*s]."""
    return tensor(input)


@op("torch.zeros_like", "torch.ones_like", "torch.empty_like")
def zeros_like(ctx, input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    """[*s] -> [*s]."""
    return tensor(input)


@op("torch.full_like")
def full_like(ctx, input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    """[*s] -> [*s]."""
    return tensor(input)


@op("torch.randint_like", dtype=same)  # the input's dtype, not int64 as randint's
def randint_like(
    ctx,
    input,
    low=0,
    high=None,
    *,
    generator=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    memory_format=None,
):
    """[*s] -> [*s]; randint_like(x, high) and randint_like(x, low, high)."""
    x = tensor(input)
    if high is None:  # randint_like(input, high)
        low, high = 0, low
    _check_bounds(ctx, low, high)
    return x


@op("torch.Tensor.new_zeros", "torch.Tensor.new_ones", "torch.Tensor.new_empty")
def new_zeros(ctx, input, *size, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False):
    """size -> [*size] (input gives only dtype and device)."""
    return _new(ctx, size_args(size))


@op("torch.Tensor.new")
def new(ctx, input, *args, dtype=None, device=None):
    """() -> [0]; sizes -> [*sizes]; a tensor -> its shape (the legacy constructor, ``boxes.new()``)."""
    if not args:
        return Shape([0])
    if len(args) == 1 and isinstance(args[0], Shape):
        return args[0]
    if all(is_dim(a) for a in args):
        return _new(ctx, tuple(args))
    raise Lost("Tensor.new of a sequence: its data or sizes, depending on whether it is a torch.Size")


# The legacy typed constructors: the dtype is in the name (torch.Tensor is a FloatTensor).
_LEGACY_FLOAT = ("torch.Tensor", "torch.FloatTensor", "torch.DoubleTensor", "torch.HalfTensor", "torch.BFloat16Tensor")
_LEGACY_INT = ("torch.LongTensor", "torch.IntTensor", "torch.ShortTensor", "torch.CharTensor", "torch.ByteTensor")
LEGACY_CONSTRUCTORS = _LEGACY_FLOAT + _LEGACY_INT + ("torch.BoolTensor",)


@op(*_LEGACY_FLOAT, dtype=FLOAT)
@op(*_LEGACY_INT, dtype=INT)
@op("torch.BoolTensor", dtype=BOOL)
def legacy_constructor(ctx, *args, device=None):
    """``torch.Tensor(1, N, 1)`` -> [1, N, 1] (uninitialised, as old code makes Parameters); a list
    -> its data's nesting; a tensor -> its shape. A tuple may be a torch.Size or data: not guessed."""
    if len(args) == 1 and isinstance(args[0], list):
        return _data_shape(ctx, args[0])
    if len(args) == 1 and isinstance(args[0], tuple) and not all(is_dim(a) for a in args[0]):
        return _data_shape(ctx, args[0])
    if len(args) == 1 and isinstance(args[0], tuple):
        raise Lost("a tuple given to a legacy constructor is data, or sizes if it is a torch.Size")
    return new(ctx, Shape([0]), *args)


@op("torch.Tensor.new_full")
def new_full(
    ctx, input, size, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False
):
    """size -> [*size] (input gives only dtype and device)."""
    return _new(ctx, size_args((size,)))


# -- window functions -------------------------------------------------------------------------


def _window(ctx: Checker, window_length, name: str) -> Shape:
    n = known(window_length, "window_length")
    ctx.check(
        ge(n, 0),
        codes.NEGATIVE_SIZE,
        lambda: f"{name} requires non-negative window_length, got window_length={dim_text(n)}",
        param="window_length",
    )
    return Shape([n])


@op("torch.hann_window")
def hann_window(ctx, window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False):
    """[window_length]."""
    return _window(ctx, window_length, "hann_window")


@op("torch.hamming_window")
def hamming_window(
    ctx,
    window_length,
    periodic=True,
    alpha=0.54,
    beta=0.46,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
):
    """[window_length]."""
    return _window(ctx, window_length, "hamming_window")


@op("torch.blackman_window")
def blackman_window(ctx, window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False):
    """[window_length]."""
    return _window(ctx, window_length, "blackman_window")


@op("torch.bartlett_window")
def bartlett_window(ctx, window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False):
    """[window_length]."""
    return _window(ctx, window_length, "bartlett_window")


@op("torch.kaiser_window")
def kaiser_window(
    ctx, window_length, periodic=True, beta=12.0, *, dtype=None, layout=None, device=None, requires_grad=False
):
    """[window_length]."""
    return _window(ctx, window_length, "kaiser_window")


# -- from data ---------------------------------------------------------------------------------

SCALARS = (bool, int, float, complex)


def _data_shape(ctx: Checker, data) -> Shape:
    """Torch's ``compute_sizes`` then ``recursive_store``: the nesting of the first items gives
    the shape; every other item must then fit it (checked only when there are elements)."""
    if isinstance(data, Shape):
        return data
    sizes = []
    item = data
    while isinstance(item, (list, tuple)):
        sizes.append(len(item))
        if not item:
            break
        item = item[0]
    if product(sizes):
        _store(ctx, data, sizes, 0, any(isinstance(v, float) for v in _leaves(data)))
    return Shape(sizes)


def _leaves(data):
    if isinstance(data, (list, tuple)):
        for item in data:
            yield from _leaves(item)
    else:
        yield data


def _store(ctx: Checker, value, sizes: list, depth: int, floats: bool) -> None:
    if depth == len(sizes):
        _scalar(ctx, value, floats)
        return
    if isinstance(value, Shape):  # a tensor inside a list is a sequence along its first axis
        ctx.check(value.rank > 0, codes.TENSOR_DATA, "not a sequence")
        ctx.check(
            eq(value[0], sizes[depth]),
            codes.TENSOR_DATA,
            lambda: f"expected sequence of length {sizes[depth]} at dim {depth} (got {dim_text(value[0])})",
        )
        _store(ctx, Shape(value.dims[1:]), sizes, depth + 1, floats)
        return
    if not isinstance(value, (list, tuple)):
        if not isinstance(value, SCALARS) and not is_dim(value):
            raise Lost("an element of the data is not known statically")
        ctx.fail(codes.TENSOR_DATA, "not a sequence")
    ctx.check(
        len(value) == sizes[depth],
        codes.TENSOR_DATA,
        f"expected sequence of length {sizes[depth]} at dim {depth} (got {len(value)})",
    )
    for item in value:
        _store(ctx, item, sizes, depth + 1, floats)


def _scalar(ctx: Checker, value, floats: bool) -> None:
    if isinstance(value, Shape):
        ctx.check(
            eq(value.numel(), 1), codes.TENSOR_DATA, "only one element tensors can be converted to Python scalars"
        )
    elif isinstance(value, (list, tuple)):
        kind = type(value).__name__
        ctx.fail(
            codes.TENSOR_DATA,
            f"must be real number, not {kind}" if floats else f"'{kind}' object cannot be interpreted as an integer",
        )
    elif not isinstance(value, SCALARS) and not is_dim(value):
        raise Lost("an element of the data is not known statically")


@op("torch.tensor", dtype=data_dtype)
def tensor_from_data(ctx, data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """Nested lists -> their nesting, e.g. [[1, 2], [3, 4]] -> [2, 2]; ragged lists raise."""
    return _data_shape(ctx, data)


@op("torch.as_tensor", dtype=data_dtype)
def as_tensor(ctx, data, *, dtype=None, device=None):
    """A tensor keeps its shape; nested lists -> their nesting."""
    return _data_shape(ctx, data)


@op("torch.Tensor.new_tensor")
def new_tensor(ctx, input, data, *, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False):
    """Nested lists -> their nesting (input gives only dtype and device)."""
    return _data_shape(ctx, data)

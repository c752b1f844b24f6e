"""numpy arrays: the tables real code builds with numpy before it turns them into tensors.

Array shapes only, in the same dims engine: creation (zeros, arange, linspace, array of nested
lists), ufuncs with numpy's broadcasting, reshapes and axis order, slicing (negative steps too),
joining, outer products, reductions with ``axis=``, ``np.random`` with ``size=``. An argument that
numpy would turn into an array (a number, a nested list) is read as one. numpy is the reference
these rules are proven against (tests/rules/test_arrays.py).
"""

from __future__ import annotations

from math import ceil
from numbers import Number
from typing import Sequence

from .. import codes
from ..dims import Checker, Lost, Shape, any_of, broadcast, dim_text, eq, ge, is_dim, product
from ._common import sizes as size_args
from .indexing import Mask, getitem
from ._registry import BOOL, INT, data_dtype, op, range_dtype, same
from .views import reshape as reshape_tensor

# -- array-likes --------------------------------------------------------------------------------


def _array(ctx: Checker, value, name: str = "a") -> Shape:
    """What ``np.asarray(value)`` would be: an array keeps its shape, a number is ``[]``, nested
    lists nest (numpy's discovery: every item at one depth must have the same shape)."""
    if isinstance(value, Shape):
        return value
    if isinstance(value, (Number, bool)) or is_dim(value):
        return Shape(())
    if isinstance(value, (list, tuple)):
        items = [_array(ctx, item, name) for item in value]
        if not items:
            return Shape([0])
        first = items[0]
        for i, item in enumerate(items[1:], 1):
            same = item.rank == first.rank and all(ctx.decide(eq(a, b)) for a, b in zip(item.dims, first.dims))
            ctx.check(
                same,
                codes.TENSOR_DATA,
                lambda: (
                    "setting an array element with a sequence. The requested array has an "
                    f"inhomogeneous shape: item {i} is {item}, item 0 is {first}"
                ),
                arg=name,
            )
        return Shape((len(value),) + first.dims)
    raise Lost(f"{name} is not an array known statically")


def _size(value, name: str = "shape") -> tuple:
    """numpy's ``shape``/``size`` argument: one int or a sequence of ints."""
    if isinstance(value, (tuple, list)):
        return size_args((tuple(value),))
    return size_args((value,))


def _new(ctx: Checker, size: tuple) -> Shape:
    for d in size:
        ctx.check(ge(d, 0), codes.NEGATIVE_SIZE, "negative dimensions are not allowed", param="shape", actual=d)
    return Shape(size)


def _axis(ctx: Checker, axis, rank: int, scalar_ok: bool = False) -> int:
    """An ``axis`` argument wrapped as numpy does (AxisError where torch says IndexError).

    ``scalar_ok``: the ufunc reductions (sum, max, argmax, cumsum, ...) accept axis 0 or -1 of a 0-d array."""
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise Lost("axis is not known statically")
    if rank == 0 and scalar_ok and axis in (0, -1):
        return 0
    if not -rank <= axis < rank:
        ctx.fail(codes.DIM_OUT_OF_RANGE, f"axis {axis} is out of bounds for array of dimension {rank}", param="axis")
    return axis % rank


def _axes(ctx: Checker, axis, rank: int) -> tuple:
    axes = tuple(_axis(ctx, a, rank) for a in (axis if isinstance(axis, (tuple, list)) else (axis,)))
    ctx.check(len(set(axes)) == len(axes), codes.REDUCE_DUPLICATE_DIM, "repeated axis", param="axis")
    return axes


# -- creation -----------------------------------------------------------------------------------


@op("numpy.zeros", "numpy.ones", "numpy.empty")
def zeros(ctx, shape, dtype=None, order="C", *, like=None):
    """shape (an int or a tuple) -> [*shape]."""
    return _new(ctx, _size(shape))


@op("numpy.full")
def full(ctx, shape, fill_value, dtype=None, order="C", *, like=None):
    """shape -> [*shape] (an array fill_value must broadcast to it)."""
    out = _new(ctx, _size(shape))
    _broadcast_to(ctx, _array(ctx, fill_value, "fill_value"), out)
    return out


@op("numpy.zeros_like", "numpy.ones_like", "numpy.empty_like")
def zeros_like(ctx, a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """[*s] -> [*s], or [*shape] given shape."""
    x = _array(ctx, a)
    return x if shape is None else _new(ctx, _size(shape))


@op("numpy.full_like")
def full_like(ctx, a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """[*s] -> [*s], or [*shape] given shape."""
    x = _array(ctx, a)
    return x if shape is None else _new(ctx, _size(shape))


def _number(value, name: str):
    if isinstance(value, float) or is_dim(value):
        return value
    raise Lost(f"{name} is not known statically")


@op("numpy.arange", dtype=range_dtype)
def arange(ctx, start, stop=None, step=None, dtype=None, *, device=None, like=None):
    """[max(0, ceil((stop - start) / step))]: an empty range is no error, a zero step is."""
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    start, stop, step = _number(start, "start"), _number(stop, "stop"), _number(step, "step")
    if all(isinstance(v, (int, float)) for v in (start, stop, step)):
        ctx.check(step != 0, codes.INVALID_ARGUMENT, "division by zero", param="step")
        if any(isinstance(v, float) for v in (start, stop, step)):  # numpy computes the length in double
            return Shape([max(0, ceil((stop - start) / step))])
        return Shape([max(0, -((start - stop) // step))])
    if any(isinstance(v, float) for v in (start, stop, step)) or not isinstance(step, int) or step <= 0:
        raise Lost("a range with symbolic bounds and a float or symbolic step")
    length = (stop - start + step - 1) // step
    if ctx.decide(ge(length, 0)):
        return Shape([length])
    return Shape([0])


@op("numpy.linspace", "numpy.logspace", "numpy.geomspace")
def linspace(ctx, start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None):
    """[num] for scalar bounds; num must be non-negative."""
    if retstep:
        raise Lost("retstep=True returns (samples, step)")
    if isinstance(start, Shape) and start.rank or isinstance(stop, Shape) and stop.rank:
        raise Lost("array bounds add their axes")
    num = _number(num, "num")
    if isinstance(num, float):
        raise Lost("a float num raises in numpy")
    ctx.check(
        ge(num, 0), codes.NEGATIVE_SIZE, f"Number of samples, {dim_text(num)}, must be non-negative.", param="num"
    )
    return Shape([num])


@op("numpy.eye", "numpy.identity")
def eye(ctx, N, M=None, k=0, dtype=None, order="C", *, device=None, like=None):
    """[N, M] (M defaults to N)."""
    n = _size(N, "N")[0]
    m = n if M is None else _size(M, "M")[0]
    return _new(ctx, (n, m))


@op("numpy.array", "numpy.asarray", dtype=data_dtype)
@op("numpy.copy", dtype=same)
@op("numpy.asanyarray")
def array(ctx, object, dtype=None, *args, **kwargs):
    """Nested lists -> their nesting ([[1, 2], [3, 4]] -> [2, 2]); an array keeps its shape; ragged raises."""
    return _array(ctx, object, "object")


@op("numpy.ascontiguousarray", dtype=same)
def ascontiguousarray(ctx, a, dtype=None, *, like=None):
    """As np.array, but a number becomes [1]: the result has at least one axis."""
    return _at_least(ctx, _array(ctx, a), 1)


# -- ufuncs and broadcasting --------------------------------------------------------------------


def _broadcast(ctx: Checker, *shapes: Shape) -> Shape:
    out = shapes[0]
    for other in shapes[1:]:
        out = broadcast(ctx, out, other)
    return out


def _broadcast_to(ctx: Checker, x: Shape, shape: Shape, leading_ones: bool = True) -> None:
    """``x`` must broadcast to ``shape`` without growing it (extra leading axes of size 1 may go,
    as in an assignment, unless ``leading_ones`` is False)."""
    message = f"could not broadcast input array from shape {x} into shape {shape}"
    if not leading_ones:
        ctx.check(x.rank <= shape.rank, codes.BROADCAST, message)
    for d in x.dims[: max(0, x.rank - shape.rank)]:
        ctx.check(eq(d, 1), codes.BROADCAST, message, expected=1, actual=d)
    for a, b in zip(reversed(x.dims), reversed(shape.dims)):
        ctx.check(any_of(eq(a, 1), eq(a, b)), codes.BROADCAST, message, expected=b, actual=a)


_UNARY = (
    "sin",
    "cos",
    "tan",
    "arcsin",
    "arccos",
    "arctan",
    "sinh",
    "cosh",
    "tanh",
    "arcsinh",
    "arccosh",
    "arctanh",
    "exp",
    "exp2",
    "expm1",
    "log",
    "log2",
    "log10",
    "log1p",
    "sqrt",
    "cbrt",
    "square",
    "abs",
    "absolute",
    "fabs",
    "negative",
    "positive",
    "sign",
    "floor",
    "ceil",
    "trunc",
    "rint",
    "round",
    "around",
    "reciprocal",
    "deg2rad",
    "rad2deg",
    "degrees",
    "radians",
    "conj",
    "real",
    "imag",
    "angle",
    "nan_to_num",
)
_PREDICATES = ("isnan", "isinf", "isfinite", "logical_not", "signbit")


@op(*(f"numpy.{n}" for n in _PREDICATES), dtype=BOOL)
@op("numpy.ndarray.copy", dtype=same)
@op(
    *(f"numpy.{n}" for n in _UNARY),
    *(f"numpy.ndarray.__{n}__" for n in ("neg", "pos", "abs", "invert")),
    *(f"numpy.ndarray.{n}" for n in ("round", "conj", "astype")),
)
def unary(ctx, x, *args, **kwargs):
    """[*] -> [*] (a number or nested list is read as an array)."""
    return _array(ctx, x, "x")


_BINARY = (
    "add",
    "subtract",
    "multiply",
    "divide",
    "true_divide",
    "floor_divide",
    "power",
    "float_power",
    "mod",
    "remainder",
    "fmod",
    "maximum",
    "minimum",
    "fmax",
    "fmin",
    "arctan2",
    "hypot",
    "logaddexp",
    "logaddexp2",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "copysign",
    "heaviside",
)
_COMPARISONS = (
    "equal",
    "not_equal",
    "less",
    "less_equal",
    "greater",
    "greater_equal",
    "logical_and",
    "logical_or",
    "logical_xor",
)
_DUNDERS = (
    "add",
    "radd",
    "sub",
    "rsub",
    "mul",
    "rmul",
    "truediv",
    "rtruediv",
    "floordiv",
    "rfloordiv",
    "mod",
    "rmod",
    "pow",
    "rpow",
    "and",
    "rand",
    "or",
    "ror",
    "xor",
    "rxor",
)


@op(
    *(f"numpy.{n}" for n in _COMPARISONS),
    *(f"numpy.ndarray.__{n}__" for n in ("eq", "ne", "lt", "le", "gt", "ge")),
    dtype=BOOL,
)
@op(*(f"numpy.{n}" for n in _BINARY), *(f"numpy.ndarray.__{n}__" for n in _DUNDERS))
def binary(ctx, x1, x2, *args, **kwargs):
    """[*a], [*b] -> broadcast(a, b); numbers and nested lists are arrays too."""
    return _broadcast(ctx, _array(ctx, x1, "x1"), _array(ctx, x2, "x2"))


@op(*(f"numpy.ndarray.__i{n}__" for n in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow")))
def binary_inplace(ctx, x1, x2):
    """[*a], [*b] -> [*a]: in place, b must broadcast to a."""
    x, y = _array(ctx, x1, "x1"), _array(ctx, x2, "x2")
    message = f"non-broadcastable output operand with shape {x} doesn't match the broadcast shape"
    ctx.check(y.rank <= x.rank, codes.INPLACE_BROADCAST, message, arg="x2")
    _broadcast_to(ctx, y, x)
    return x


@op("numpy.where")
def where(ctx, condition, x=None, y=None):
    """condition, x, y -> their broadcast (where(condition) alone gives index arrays of unknown length)."""
    if x is None and y is None:
        raise Lost("where(condition) returns one index array per axis, of the number of True elements")
    return _broadcast(ctx, _array(ctx, condition, "condition"), _array(ctx, x, "x"), _array(ctx, y, "y"))


@op("numpy.clip", "numpy.ndarray.clip")
def clip(ctx, a, a_min=None, a_max=None, *args, **kwargs):
    """[*a], bounds -> broadcast of the three."""
    shapes = [_array(ctx, v) for v in (a, a_min, a_max) if v is not None]
    return _broadcast(ctx, *shapes)


@op("numpy.outer")
def outer(ctx, a, b, out=None):
    """a, b (flattened) -> [a.size, b.size]."""
    return Shape([product(_array(ctx, a).dims), product(_array(ctx, b, "b").dims)])


@op("numpy.matmul", "numpy.ndarray.__matmul__")
def matmul(ctx, x1, x2, *args, **kwargs):
    """[*, n, k] @ [*, k, m] -> [*, n, m]; 1-D operands lose their axis; no scalars."""
    a, b = _array(ctx, x1, "x1"), _array(ctx, x2, "x2")
    ctx.check(a.rank > 0 and b.rank > 0, codes.RANK, "matmul: Input operand does not have enough dimensions")
    da = (1,) + a.dims if a.rank == 1 else a.dims
    db = b.dims + (1,) if b.rank == 1 else b.dims
    ctx.check(
        eq(da[-1], db[-2]),
        codes.MATMUL_INNER,
        lambda: f"matmul: Input operand 1 has a mismatch in its core dimension 0 ({a} and {b})",
        expected=da[-1],
        actual=db[-2],
    )
    batch = _broadcast(ctx, Shape(da[:-2]), Shape(db[:-2]))
    return Shape(batch.dims + ((da[-2],) if a.rank > 1 else ()) + ((db[-1],) if b.rank > 1 else ()))


# -- reductions and scans -----------------------------------------------------------------------


def _reduce(ctx: Checker, x: Shape, axis, keepdims, scalar_ok: bool = False) -> Shape:
    axes: Sequence
    if x.rank == 0 and isinstance(axis, int) and not isinstance(axis, bool):
        axes = (_axis(ctx, axis, 0, scalar_ok),)
    else:
        axes = range(x.rank) if axis is None else _axes(ctx, axis, x.rank)
    if keepdims is True:
        return Shape(1 if i in axes else d for i, d in enumerate(x.dims))
    if keepdims is not False:
        raise Lost("keepdims is not known statically")
    return Shape(d for i, d in enumerate(x.dims) if i not in axes)


_UFUNC_REDUCE = (
    "sum",
    "prod",
    "max",
    "min",
    "amax",
    "amin",
    "all",
    "any",
    "nansum",
    "nanmax",
    "nanmin",
    "ptp",
    "nanmean",
    "nanstd",
    "nanvar",
)


@op(
    *(f"numpy.{n}" for n in _UFUNC_REDUCE), *(f"numpy.ndarray.{n}" for n in ("sum", "prod", "max", "min", "all", "any"))
)
def reduce(ctx, a, axis=None, *args, keepdims=False, **kwargs):
    """[*] -> [*] without the axes in axis (all when None); keepdims keeps them as 1."""
    return _reduce(ctx, _array(ctx, a), axis, keepdims, scalar_ok=True)


@op(
    *(f"numpy.{n}" for n in ("mean", "std", "var", "median", "nanmedian")),
    *(f"numpy.ndarray.{n}" for n in ("mean", "std", "var")),
)
def statistic(ctx, a, axis=None, *args, keepdims=False, **kwargs):
    """[*] -> [*] without the axes in axis (all when None); keepdims keeps them as 1; a 0-d array has no axis."""
    return _reduce(ctx, _array(ctx, a), axis, keepdims)


@op("numpy.argmax", "numpy.argmin", "numpy.ndarray.argmax", "numpy.ndarray.argmin", dtype=INT)
def argmax(ctx, a, axis=None, out=None, *, keepdims=False):
    """[*] -> [] (flattened) or [*] without axis."""
    x = _array(ctx, a)
    if axis is None:
        return Shape([1] * x.rank) if keepdims else Shape(())
    if isinstance(axis, (tuple, list)):
        raise Lost("argmax takes one axis")
    return _reduce(ctx, x, axis, keepdims, scalar_ok=True)


@op("numpy.cumsum", "numpy.cumprod", "numpy.ndarray.cumsum", "numpy.ndarray.cumprod")
def cumsum(ctx, a, axis=None, dtype=None, out=None):
    """[*] -> [*] along axis; axis=None flattens first (-> [size])."""
    x = _array(ctx, a)
    if axis is None:
        return Shape([product(x.dims)])
    if isinstance(axis, (tuple, list)):
        raise Lost("a scan takes one axis")
    _axis(ctx, axis, x.rank, scalar_ok=True)
    return x if x.rank else Shape([1])


# -- shape and axis order -----------------------------------------------------------------------


@op("numpy.reshape")
def reshape(ctx, a, shape=None, order="C", *, newshape=None, copy=None):
    """[*] -> shape, one -1 inferred: the number of elements is kept."""
    return reshape_tensor(ctx, _array(ctx, a), _size(shape if shape is not None else newshape))


@op("numpy.ndarray.reshape")
def ndarray_reshape(ctx, a, *shape, order="C", copy=None):
    """a.reshape(2, 3) or a.reshape((2, 3)): one -1 inferred, the number of elements is kept."""
    if not shape:
        ctx.fail(codes.INVALID_ARGUMENT, "reshape() takes exactly 1 argument (0 given)", param="shape")
    return reshape_tensor(ctx, _array(ctx, a), size_args(shape))


@op("numpy.ravel", "numpy.ndarray.ravel", "numpy.ndarray.flatten")
def ravel(ctx, a, order="C"):
    """[*] -> [size]."""
    return Shape([product(_array(ctx, a).dims)])


def _transpose(ctx: Checker, x: Shape, axes) -> Shape:
    if axes is None:
        return Shape(reversed(x.dims))
    ctx.check(len(axes) == x.rank, codes.RANK, "axes don't match array", param="axes")
    order = [_axis(ctx, a, x.rank) for a in axes]
    ctx.check(len(set(order)) == len(order), codes.INVALID_ARGUMENT, "repeated axis in transpose", param="axes")
    return Shape(x[a] for a in order)


@op("numpy.transpose")
def transpose(ctx, a, axes=None):
    """[d0, ..., dn] -> reversed, or the axes in the order given."""
    return _transpose(ctx, _array(ctx, a), tuple(axes) if isinstance(axes, (list, tuple)) else axes)


@op("numpy.ndarray.transpose")
def ndarray_transpose(ctx, a, *axes):
    """a.transpose() reverses the axes; a.transpose(1, 0, 2) or a.transpose((1, 0, 2)) orders them."""
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    return _transpose(ctx, _array(ctx, a), axes if axes not in ((), (None,)) else None)


@op("numpy.ndarray.T", kind="property")
def t(ctx, a):
    """[d0, ..., dn] -> [dn, ..., d0]."""
    return Shape(reversed(_array(ctx, a).dims))


@op("numpy.swapaxes", "numpy.ndarray.swapaxes")
def swapaxes(ctx, a, axis1, axis2):
    """Swaps the axes axis1 and axis2."""
    x = _array(ctx, a)
    i, j = _axis(ctx, axis1, x.rank), _axis(ctx, axis2, x.rank)
    return x.replace(i, x[j]).replace(j, x[i])


@op("numpy.expand_dims")
def expand_dims(ctx, a, axis):
    """A new axis of size 1 at each position in axis (counted in the result)."""
    x = _array(ctx, a)
    rank = x.rank + (len(axis) if isinstance(axis, (tuple, list)) else 1)
    new = _axes(ctx, axis, rank)
    rest = iter(x.dims)
    return Shape(1 if i in new else next(rest) for i in range(rank))


@op("numpy.squeeze", "numpy.ndarray.squeeze")
def squeeze(ctx, a, axis=None):
    """Drops the axes of size 1 (all of them, or those in axis, which must be 1)."""
    x = _array(ctx, a)
    if axis is None:
        return Shape(d for d in x.dims if not ctx.decide(eq(d, 1)))
    axes = (_axis(ctx, axis, 0, scalar_ok=True),) if x.rank == 0 and isinstance(axis, int) else _axes(ctx, axis, x.rank)
    for i in axes if x.rank else ():
        ctx.check(
            eq(x[i], 1),
            codes.INVALID_ARGUMENT,
            "cannot select an axis to squeeze out which has size not equal to one",
            param="axis",
        )
    return Shape(d for i, d in enumerate(x.dims) if i not in axes)


def _at_least(ctx: Checker, x: Shape, n: int) -> Shape:
    """numpy's atleast_1d/2d: pad with leading 1s."""
    return Shape((1,) * max(0, n - x.rank) + x.dims)


# -- joining ------------------------------------------------------------------------------------


def _arrays(ctx: Checker, arrays) -> list:
    if not isinstance(arrays, (list, tuple)):
        raise Lost("the arrays are not a sequence known statically")
    return [_array(ctx, a, f"arrays[{i}]") for i, a in enumerate(arrays)]


def _concatenate(ctx: Checker, shapes: list, axis) -> Shape:
    ctx.check(len(shapes) > 0, codes.INVALID_ARGUMENT, "need at least one array to concatenate", param="arrays")
    if axis is None:
        return Shape([sum((product(x.dims) for x in shapes), 0)])
    first = shapes[0]
    ctx.check(first.rank > 0, codes.RANK, "zero-dimensional arrays cannot be concatenated", arg="arrays[0]")
    i = _axis(ctx, axis, first.rank)
    total = 0
    for k, x in enumerate(shapes):
        ctx.check(
            x.rank == first.rank,
            codes.RANK,
            f"all the input array dimensions except for the concatenation axis must match exactly, but "
            f"along dimension 0, the array at index 0 has {first.rank} dimension(s) and the array at "
            f"index {k} has {x.rank} dimension(s)",
            arg=f"arrays[{k}]",
        )
        for a in range(first.rank):
            if a != i:
                ctx.check(
                    eq(x[a], first[a]),
                    codes.CAT_DIMS,
                    lambda: (
                        f"all the input array dimensions except for the concatenation axis must match "
                        f"exactly, but along dimension {a}, the array at index 0 has size "
                        f"{dim_text(first[a])} and the array at index {k} has size {dim_text(x[a])}"
                    ),
                    expected=first[a],
                    actual=x[a],
                    arg=f"arrays[{k}]",
                    axis=a,
                )
        total = total + x[i]
    return first.replace(i, total)


@op("numpy.concatenate", "numpy.concat")
def concatenate(ctx, arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """[.., a, ..], [.., b, ..] -> [.., a + b, ..]; axis=None flattens each first."""
    return _concatenate(ctx, _arrays(ctx, arrays), axis)


@op("numpy.stack")
def stack(ctx, arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """n x [*s] -> [*s[:axis], n, *s[axis:]]: all shapes equal."""
    shapes = _arrays(ctx, arrays)
    ctx.check(len(shapes) > 0, codes.INVALID_ARGUMENT, "need at least one array to stack", param="arrays")
    first = shapes[0]
    for k, x in enumerate(shapes):
        ctx.check(
            x.rank == first.rank, codes.STACK_SHAPES, "all input arrays must have the same shape", arg=f"arrays[{k}]"
        )
        for a, b in zip(x.dims, first.dims):
            ctx.check(
                eq(a, b),
                codes.STACK_SHAPES,
                "all input arrays must have the same shape",
                expected=b,
                actual=a,
                arg=f"arrays[{k}]",
            )
    i = _axis(ctx, axis, first.rank + 1)
    return Shape(first.dims[:i] + (len(shapes),) + first.dims[i:])


@op("numpy.vstack", "numpy.row_stack")
def vstack(ctx, tup, *, dtype=None, casting="same_kind"):
    """Arrays made at least 2-D, joined along axis 0."""
    return _concatenate(ctx, [_at_least(ctx, x, 2) for x in _arrays(ctx, tup)], 0)


@op("numpy.hstack")
def hstack(ctx, tup, *, dtype=None, casting="same_kind"):
    """1-D arrays joined end to end; others along axis 1."""
    shapes = [_at_least(ctx, x, 1) for x in _arrays(ctx, tup)]
    return _concatenate(ctx, shapes, 0 if shapes and shapes[0].rank == 1 else 1)


@op("numpy.column_stack")
def column_stack(ctx, tup):
    """1-D arrays become columns [n, 1]; then joined along axis 1."""
    shapes = [Shape((x[0], 1)) if x.rank == 1 else _at_least(ctx, x, 2) for x in _arrays(ctx, tup)]
    return _concatenate(ctx, shapes, 1)


@op("numpy.append")
def append(ctx, arr, values, axis=None):
    """axis=None: both flattened, [arr.size + values.size]; else concatenate along axis."""
    return _concatenate(ctx, [_array(ctx, arr, "arr"), _array(ctx, values, "values")], axis)


# -- indexing -----------------------------------------------------------------------------------


def _positive_slice(ctx: Checker, s: slice, size) -> slice:
    """A slice with a negative step, as the positive one that keeps as many items."""
    if s.step is None or not isinstance(s.step, int) or s.step > 0:
        return s
    if s.step == 0:
        ctx.fail(codes.INVALID_ARGUMENT, "slice step cannot be zero")
    if isinstance(size, int) and all(v is None or isinstance(v, int) for v in (s.start, s.stop)):
        return slice(0, len(range(size)[s]))
    if s.start is None and s.stop is None and s.step == -1:
        return slice(None)
    raise Lost("a negative-step slice of a symbolic size")


def _used(k) -> int:
    """How many axes an index item consumes."""
    if k is None or k is Ellipsis or isinstance(k, bool):
        return 0
    return k.shape.rank if isinstance(k, Mask) else 1


@op("numpy.ndarray.__getitem__")
def ndarray_getitem(ctx, a, key):
    """a[i, a:b:s, None, ..., idx, mask]: as torch indexes (numpy's rules), negative steps allowed."""
    x = _array(ctx, a)
    items = key if isinstance(key, tuple) else (key,)
    negative = any(
        isinstance(k, slice) and not (k.step is None or is_dim(k.step) and not isinstance(k.step, int) or k.step > 0)
        for k in items
    )
    used = sum(_used(k) for k in items)
    if negative and x.is_fixed and used <= x.rank and sum(k is Ellipsis for k in items) <= 1:
        fixed, axis = [], 0
        for k in items:
            if k is Ellipsis:  # spelled out, so that each slice meets its axis
                fixed.extend([slice(None)] * (x.rank - used))
                axis += x.rank - used
                continue
            fixed.append(_positive_slice(ctx, k, x[axis]) if isinstance(k, slice) else k)
            axis += _used(k)
        return getitem(ctx, x, tuple(fixed))
    if negative and not x.is_fixed:
        raise Lost("a negative-step slice of an array whose rank is not known")
    return getitem(ctx, x, key)  # too many indices, or more than one ellipsis: getitem says what


@op("numpy.ndarray.shape", kind="property")
def shape(ctx, a):
    """The sizes as a tuple."""
    return tuple(_array(ctx, a).dims)


@op("numpy.shape")
def np_shape(ctx, a):
    """The sizes of an array (or of what np.asarray would make) as a tuple."""
    return tuple(_array(ctx, a).dims)


@op("numpy.ndarray.ndim", kind="property")
def ndim(ctx, a):
    """The number of axes."""
    return _array(ctx, a).rank


@op("numpy.ndarray.size", kind="property")
def size(ctx, a):
    """The number of elements: the product of the sizes."""
    return product(_array(ctx, a).dims)


@op("numpy.ndarray.__len__")
def length(ctx, a):
    """The size of axis 0; a 0-d array has no length."""
    x = _array(ctx, a)
    ctx.check(x.rank > 0, codes.RANK, "len() of unsized object", arg="a")
    return x[0]


# -- np.random ----------------------------------------------------------------------------------


@op("numpy.random.randn", "numpy.random.rand")
def randn(ctx, *d):
    """randn(d0, d1, ...) -> [d0, d1, ...]; no sizes: a number ([])."""
    return _new(ctx, size_args(d) if d else ())


def _sized(ctx: Checker, size, *params) -> Shape:
    """size given: [*size], the parameters must broadcast to it; else the parameters' broadcast."""
    shapes = [_array(ctx, p) for p in params]
    if size is None:
        return _broadcast(ctx, *shapes) if shapes else Shape(())
    out = _new(ctx, _size(size, "size"))
    for s in shapes:
        _broadcast_to(ctx, s, out, leading_ones=False)
    return out


@op("numpy.random.randint", dtype=INT)
def randint(ctx, low, high=None, size=None, dtype=int):
    """size -> [*size]; low < high (or 0 < low without high)."""
    lo, hi = (0, low) if high is None else (low, high)
    out = _sized(ctx, size, lo, hi)
    if all(isinstance(v, int) for v in (lo, hi)) and not (out.is_fixed and 0 in out.dims):  # none drawn: no check
        ctx.check(lo < hi, codes.INVALID_ARGUMENT, "low >= high", param="high")
    return out


@op(
    "numpy.random.normal",
    "numpy.random.uniform",
    "numpy.random.laplace",
    "numpy.random.logistic",
    "numpy.random.gumbel",
)
def normal(ctx, loc=0.0, scale=1.0, size=None):
    """size -> [*size]; without size the broadcast of the parameters."""
    return _sized(ctx, size, loc, scale)


@op("numpy.random.random", "numpy.random.random_sample", "numpy.random.sample", "numpy.random.ranf")
def random(ctx, size=None):
    """size -> [*size]; no size: a number ([])."""
    return _sized(ctx, size)


@op("numpy.random.permutation")
def permutation(ctx, x):
    """An int n -> [n]; an array keeps its shape (shuffled along axis 0)."""
    if is_dim(x):
        return _new(ctx, (x,))
    return _array(ctx, x, "x")


@op("numpy.random.choice")
def choice(ctx, a, size=None, replace=True, p=None):
    """size -> [*size] of picks from a (an int n or a 1-D array); no size: one pick ([])."""
    if not is_dim(a):
        pool = _array(ctx, a)
        ctx.check(pool.rank == 1, codes.RANK, "a must be 1-dimensional", param="a")
    return _sized(ctx, size)


# -- bridges ------------------------------------------------------------------------------------


@op("torch.from_numpy", dtype=same)
def from_numpy(ctx, ndarray):
    """An array -> a tensor of its shape (sharing its memory)."""
    if not isinstance(ndarray, Shape):
        raise Lost("from_numpy of something that is not an array known statically")
    return ndarray


@op("torch.Tensor.numpy", dtype=same)
def numpy(ctx, input, *, force=False):
    """A tensor -> an array of its shape."""
    if not isinstance(input, Shape):
        raise Lost("input is not a tensor with a known shape")
    return input

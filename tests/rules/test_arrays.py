"""numpy rules against numpy itself: each op run on zero-filled arrays of random valid and invalid
shapes and arguments, shapes and failures compared (then again with the sizes as symbols)."""

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check, numpy_outcome
from strategies import partner, shapes

from shapelens.dims import Checker, Shape, sym
from shapelens.rules.indexing import Mask
from shapelens.rules import apply_op


def np_check(rule, reference, inputs, **kwargs):
    return check(rule, reference, inputs, outcome=numpy_outcome, **kwargs)


SIZES = st.lists(st.integers(-1, 4), max_size=3).map(tuple)


@given(st.sampled_from(["numpy.zeros", "numpy.ones", "numpy.empty"]), st.one_of(SIZES, st.integers(-1, 4)))
def test_zeros(name, size):
    np_check(lambda ctx, s: apply_op(name, ctx, s), getattr(np, name[6:]), [size])


@given(SIZES, st.one_of(st.just(1.5), shapes(0, 2, max_dim=4)))
def test_full(size, fill):
    value = T(fill) if isinstance(fill, tuple) else fill
    np_check(lambda ctx, s, v: apply_op("numpy.full", ctx, s, v), np.full, [size, value])


@given(
    shapes(0, 3),
    st.sampled_from(["numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.full_like"]),
    st.one_of(st.none(), SIZES),
)
def test_like(shape, name, size):
    fn = getattr(np, name.split(".")[1])
    extra = [0.5] if name == "numpy.full_like" else []
    np_check(lambda ctx, a: apply_op(name, ctx, a, *extra, shape=size), lambda a: fn(a, *extra, shape=size), [T(shape)])


BOUND = st.one_of(st.integers(-4, 6), st.floats(-4, 6, allow_nan=False).map(lambda v: round(v, 1)))


@given(
    BOUND, st.one_of(st.none(), BOUND), st.one_of(st.none(), st.integers(-3, 3), st.sampled_from([0.5, -0.5, 0.3, 1.5]))
)
def test_arange(start, stop, step):
    args = [start] if stop is None else [start, stop] if step is None else [start, stop, step]
    np_check(lambda ctx, *a: apply_op("numpy.arange", ctx, *a), np.arange, args)


def test_arange_symbolic():
    n = sym("n")
    assert apply_op("numpy.arange", Checker(), n) == Shape([n])
    assert apply_op("numpy.arange", Checker(), 0, n, 2) == Shape([(n + 1) // 2])


@given(st.sampled_from(["numpy.linspace", "numpy.logspace", "numpy.geomspace"]), st.integers(-2, 6))
def test_linspace(name, num):
    np_check(lambda ctx: apply_op(name, ctx, 1.0, 2.0, num), lambda: getattr(np, name[6:])(1.0, 2.0, num), [])


@given(st.integers(0, 4), st.one_of(st.none(), st.integers(0, 4)))
def test_eye(n, m):
    np_check(lambda ctx: apply_op("numpy.eye", ctx, n, m), lambda: np.eye(n, m), [])
    np_check(lambda ctx: apply_op("numpy.identity", ctx, n), lambda: np.identity(n), [])


def nested(draw_shape):
    """Nested lists of this shape, sometimes with one row cut short (ragged)."""

    @st.composite
    def make(draw):
        shape = draw(draw_shape)

        def build(dims):
            return [build(dims[1:]) for _ in range(dims[0])] if dims else 1.0

        data = build(list(shape))
        if draw(st.booleans()) and len(shape) >= 2 and shape[0] >= 2 and shape[1] >= 1:
            data[1] = data[1][:-1]  # ragged
        return data

    return make()


@given(
    nested(shapes(0, 3, min_dim=0, max_dim=3)),
    st.sampled_from(["numpy.array", "numpy.asarray", "numpy.ascontiguousarray", "numpy.asanyarray", "numpy.copy"]),
)
def test_array_of_lists(data, name):
    np_check(lambda ctx: apply_op(name, ctx, data), lambda: getattr(np, name.split(".")[1])(data), [])


@given(shapes(0, 3), st.integers(1, 3))
def test_array_of_arrays(shape, n):
    """A list of arrays stacks them; np.array of an array keeps its shape."""
    np_check(lambda ctx, *xs: apply_op("numpy.array", ctx, list(xs)), lambda *xs: np.array(list(xs)), [T(shape)] * n)
    np_check(lambda ctx, x: apply_op("numpy.array", ctx, x), np.array, [T(shape)])


@given(shapes(0, 3), st.sampled_from(["numpy.asarray", "numpy.ascontiguousarray", "numpy.copy"]))
def test_array_of_an_array(shape, name):
    """An array's shape (ascontiguousarray: at least one axis), and its dtype."""
    np_check(lambda ctx, x: apply_op(name, ctx, x), getattr(np, name.split(".")[1]), [T(shape)])


UNARY = [
    "numpy.sin",
    "numpy.cos",
    "numpy.tan",
    "numpy.arcsin",
    "numpy.arccos",
    "numpy.arctan",
    "numpy.sinh",
    "numpy.cosh",
    "numpy.tanh",
    "numpy.arcsinh",
    "numpy.arccosh",
    "numpy.arctanh",
    "numpy.exp",
    "numpy.exp2",
    "numpy.expm1",
    "numpy.log",
    "numpy.log2",
    "numpy.log10",
    "numpy.log1p",
    "numpy.sqrt",
    "numpy.cbrt",
    "numpy.square",
    "numpy.abs",
    "numpy.absolute",
    "numpy.fabs",
    "numpy.negative",
    "numpy.positive",
    "numpy.sign",
    "numpy.floor",
    "numpy.ceil",
    "numpy.trunc",
    "numpy.rint",
    "numpy.round",
    "numpy.around",
    "numpy.reciprocal",
    "numpy.deg2rad",
    "numpy.rad2deg",
    "numpy.degrees",
    "numpy.radians",
    "numpy.isnan",
    "numpy.isinf",
    "numpy.isfinite",
    "numpy.logical_not",
    "numpy.signbit",
    "numpy.conj",
    "numpy.real",
    "numpy.imag",
    "numpy.angle",
    "numpy.nan_to_num",
]


@given(st.sampled_from(UNARY), shapes(0, 3))
def test_unary(name, shape):
    with np.errstate(all="ignore"):
        np_check(lambda ctx, x: apply_op(name, ctx, x), getattr(np, name[6:]), [T(shape)])


@given(shapes(0, 3))
def test_unary_methods(shape):
    np_check(lambda ctx, x: apply_op("numpy.ndarray.copy", ctx, x), lambda x: x.copy(), [T(shape)])
    np_check(lambda ctx, x: apply_op("numpy.ndarray.round", ctx, x), lambda x: x.round(), [T(shape)])
    np_check(lambda ctx, x: apply_op("numpy.ndarray.conj", ctx, x), lambda x: x.conj(), [T(shape)])
    np_check(
        lambda ctx, x: apply_op("numpy.ndarray.astype", ctx, x, "float32"), lambda x: x.astype("float32"), [T(shape)]
    )


BINARY = [
    "numpy.add",
    "numpy.subtract",
    "numpy.multiply",
    "numpy.divide",
    "numpy.true_divide",
    "numpy.floor_divide",
    "numpy.power",
    "numpy.float_power",
    "numpy.mod",
    "numpy.remainder",
    "numpy.fmod",
    "numpy.maximum",
    "numpy.minimum",
    "numpy.fmax",
    "numpy.fmin",
    "numpy.arctan2",
    "numpy.hypot",
    "numpy.logaddexp",
    "numpy.logaddexp2",
    "numpy.equal",
    "numpy.not_equal",
    "numpy.less",
    "numpy.less_equal",
    "numpy.greater",
    "numpy.greater_equal",
    "numpy.logical_and",
    "numpy.logical_or",
    "numpy.logical_xor",
    "numpy.bitwise_and",
    "numpy.bitwise_or",
    "numpy.bitwise_xor",
    "numpy.copysign",
    "numpy.heaviside",
]


@st.composite
def pairs(draw):
    a = draw(shapes(0, 3, max_dim=4))
    return a, draw(partner(a))


@given(st.sampled_from(BINARY), pairs(), st.booleans())
def test_binary(name, pair, swap):
    a, b = pair if not swap else pair[::-1]
    dtype = bool if "bitwise" in name else None
    with np.errstate(all="ignore"):
        np_check(lambda ctx, x, y: apply_op(name, ctx, x, y), getattr(np, name[6:]), [T(a, dtype), T(b, dtype)])


def test_binary_numbers():
    assert apply_op("numpy.power", Checker(), 10000, Shape([3])) == Shape([3])
    assert apply_op("numpy.add", Checker(), [[1, 2]], Shape([3, 1])) == Shape([3, 2])


DUNDERS = [
    "numpy.ndarray.__add__",
    "numpy.ndarray.__radd__",
    "numpy.ndarray.__sub__",
    "numpy.ndarray.__rsub__",
    "numpy.ndarray.__mul__",
    "numpy.ndarray.__rmul__",
    "numpy.ndarray.__truediv__",
    "numpy.ndarray.__rtruediv__",
    "numpy.ndarray.__floordiv__",
    "numpy.ndarray.__rfloordiv__",
    "numpy.ndarray.__mod__",
    "numpy.ndarray.__rmod__",
    "numpy.ndarray.__pow__",
    "numpy.ndarray.__rpow__",
    "numpy.ndarray.__and__",
    "numpy.ndarray.__rand__",
    "numpy.ndarray.__or__",
    "numpy.ndarray.__ror__",
    "numpy.ndarray.__xor__",
    "numpy.ndarray.__rxor__",
    "numpy.ndarray.__eq__",
    "numpy.ndarray.__ne__",
    "numpy.ndarray.__lt__",
    "numpy.ndarray.__le__",
    "numpy.ndarray.__gt__",
    "numpy.ndarray.__ge__",
]


@given(st.sampled_from(DUNDERS), pairs(), st.booleans())
def test_operators(name, pair, number):
    a, b = pair
    dunder = name.rsplit(".", 1)[1]
    logical = dunder.strip("_").removeprefix("r") in ("and", "or", "xor")
    dtype, other = (bool, True) if logical else (None, 2.0)
    with np.errstate(all="ignore"):
        if number:
            np_check(lambda ctx, x: apply_op(name, ctx, x, other), lambda x: getattr(x, dunder)(other), [T(a, dtype)])
        else:
            np_check(
                lambda ctx, x, y: apply_op(name, ctx, x, y),
                lambda x, y: getattr(x, dunder)(y),
                [T(a, dtype), T(b, dtype)],
            )


INPLACE = [
    "numpy.ndarray.__iadd__",
    "numpy.ndarray.__isub__",
    "numpy.ndarray.__imul__",
    "numpy.ndarray.__itruediv__",
    "numpy.ndarray.__ifloordiv__",
    "numpy.ndarray.__imod__",
    "numpy.ndarray.__ipow__",
]


@given(st.sampled_from(INPLACE), pairs())
def test_inplace_operators(name, pair):
    a, b = pair
    with np.errstate(all="ignore"):
        np_check(
            lambda ctx, x, y: apply_op(name, ctx, x, y),
            lambda x, y: getattr(x, name.rsplit(".", 1)[1])(y),
            [T(a), T(b)],
        )


@given(
    st.sampled_from(
        ["numpy.ndarray.__neg__", "numpy.ndarray.__pos__", "numpy.ndarray.__abs__", "numpy.ndarray.__invert__"]
    ),
    shapes(0, 3),
)
def test_unary_operators(name, shape):
    dtype = bool if name.endswith("invert__") else None
    np_check(lambda ctx, x: apply_op(name, ctx, x), lambda x: getattr(x, name.rsplit(".", 1)[1])(), [T(shape, dtype)])


@given(pairs(), st.booleans())
def test_where(pair, alone):
    a, b = pair
    np_check(lambda ctx, c, x, y: apply_op("numpy.where", ctx, c, x, y), np.where, [T(a, bool), T(b), 0.0])


@given(pairs(), st.booleans())
def test_clip(pair, method):
    a, b = pair
    name = "numpy.ndarray.clip" if method else "numpy.clip"
    fn = (lambda x, lo: x.clip(lo, 1.0)) if method else (lambda x, lo: np.clip(x, lo, 1.0))
    np_check(lambda ctx, x, lo: apply_op(name, ctx, x, lo, 1.0), fn, [T(a), T(b)])


@given(shapes(0, 3), shapes(0, 3))
def test_outer(a, b):
    np_check(lambda ctx, x, y: apply_op("numpy.outer", ctx, x, y), np.outer, [T(a), T(b)])


@given(shapes(0, 3, max_dim=4), shapes(0, 3, max_dim=4), st.booleans())
def test_matmul(a, b, operator):
    name = "numpy.ndarray.__matmul__" if operator else "numpy.matmul"
    np_check(lambda ctx, x, y: apply_op(name, ctx, x, y), lambda x, y: x @ y, [T(a), T(b)])


AXIS = st.one_of(st.none(), st.integers(-3, 3), st.lists(st.integers(-3, 3), min_size=1, max_size=2).map(tuple))
REDUCE = [
    "numpy.sum",
    "numpy.mean",
    "numpy.prod",
    "numpy.std",
    "numpy.var",
    "numpy.max",
    "numpy.min",
    "numpy.amax",
    "numpy.amin",
    "numpy.all",
    "numpy.any",
    "numpy.median",
    "numpy.ptp",
    "numpy.ndarray.sum",
    "numpy.ndarray.mean",
    "numpy.ndarray.prod",
    "numpy.ndarray.std",
    "numpy.ndarray.var",
    "numpy.ndarray.max",
    "numpy.ndarray.min",
    "numpy.ndarray.all",
    "numpy.ndarray.any",
]


@given(st.sampled_from(REDUCE), shapes(0, 3), AXIS, st.booleans())
def test_reductions(name, shape, axis, keepdims):
    short = name.rsplit(".", 1)[1]
    with np.errstate(all="ignore"):
        if name.startswith("numpy.ndarray."):
            np_check(
                lambda ctx, x: apply_op(name, ctx, x, axis=axis, keepdims=keepdims),
                lambda x: getattr(x, short)(axis=axis, keepdims=keepdims),
                [T(shape)],
            )
        else:
            np_check(
                lambda ctx, x: apply_op(name, ctx, x, axis, keepdims=keepdims),
                lambda x: getattr(np, short)(x, axis, keepdims=keepdims),
                [T(shape)],
            )


@given(
    st.sampled_from(
        [
            "numpy.nansum",
            "numpy.nanmean",
            "numpy.nanstd",
            "numpy.nanvar",
            "numpy.nanmax",
            "numpy.nanmin",
            "numpy.nanmedian",
        ]
    ),
    shapes(0, 3),
    AXIS,
)
def test_nan_reductions(name, shape, axis):
    with np.errstate(all="ignore"):
        np_check(lambda ctx, x: apply_op(name, ctx, x, axis), lambda x: getattr(np, name[6:])(x, axis), [T(shape)])


@given(
    st.sampled_from(["numpy.argmax", "numpy.argmin", "numpy.ndarray.argmax", "numpy.ndarray.argmin"]),
    shapes(0, 3),
    st.one_of(st.none(), st.integers(-3, 3)),
    st.booleans(),
)
def test_argmax(name, shape, axis, keepdims):
    short = name.rsplit(".", 1)[1]
    ref = (
        (lambda x: getattr(x, short)(axis, keepdims=keepdims))
        if ".ndarray." in name
        else (lambda x: getattr(np, short)(x, axis, keepdims=keepdims))
    )
    np_check(lambda ctx, x: apply_op(name, ctx, x, axis, keepdims=keepdims), ref, [T(shape)])


@given(
    st.sampled_from(["numpy.cumsum", "numpy.cumprod", "numpy.ndarray.cumsum", "numpy.ndarray.cumprod"]),
    shapes(0, 3),
    st.one_of(st.none(), st.integers(-3, 3)),
)
def test_scans(name, shape, axis):
    short = name.rsplit(".", 1)[1]
    ref = (lambda x: getattr(x, short)(axis)) if ".ndarray." in name else (lambda x: getattr(np, short)(x, axis))
    np_check(lambda ctx, x: apply_op(name, ctx, x, axis), ref, [T(shape)])


@given(shapes(0, 3, max_dim=4), st.lists(st.integers(-1, 6), max_size=3).map(tuple), st.booleans())
def test_reshape(shape, size, method):
    if method:
        np_check(
            lambda ctx, x: apply_op("numpy.ndarray.reshape", ctx, x, *size), lambda x: x.reshape(*size), [T(shape)]
        )
    else:
        np_check(lambda ctx, x: apply_op("numpy.reshape", ctx, x, size), lambda x: np.reshape(x, size), [T(shape)])


@given(shapes(0, 3), st.one_of(st.none(), st.lists(st.integers(-3, 3), max_size=3).map(tuple)), st.booleans())
def test_transpose(shape, axes, method):
    if method:
        args = () if axes is None else axes
        np_check(
            lambda ctx, x: apply_op("numpy.ndarray.transpose", ctx, x, *args), lambda x: x.transpose(*args), [T(shape)]
        )
    else:
        np_check(lambda ctx, x: apply_op("numpy.transpose", ctx, x, axes), lambda x: np.transpose(x, axes), [T(shape)])
    np_check(lambda ctx, x: apply_op("numpy.ndarray.T", ctx, x), lambda x: x.T, [T(shape)])


@given(shapes(0, 3), st.integers(-3, 3), st.integers(-3, 3), st.booleans())
def test_swapaxes(shape, a, b, method):
    name = "numpy.ndarray.swapaxes" if method else "numpy.swapaxes"
    np_check(lambda ctx, x: apply_op(name, ctx, x, a, b), lambda x: np.swapaxes(x, a, b), [T(shape)])


@given(shapes(0, 3), st.one_of(st.integers(-4, 4), st.lists(st.integers(-4, 4), min_size=1, max_size=2).map(tuple)))
def test_expand_dims(shape, axis):
    np_check(lambda ctx, x: apply_op("numpy.expand_dims", ctx, x, axis), lambda x: np.expand_dims(x, axis), [T(shape)])


@given(shapes(0, 3, max_dim=2), AXIS, st.booleans())
def test_squeeze(shape, axis, method):
    name = "numpy.ndarray.squeeze" if method else "numpy.squeeze"
    np_check(lambda ctx, x: apply_op(name, ctx, x, axis), lambda x: np.squeeze(x, axis), [T(shape)])


@given(shapes(0, 3))
def test_ravel(shape):
    for name, ref in (
        ("numpy.ravel", np.ravel),
        ("numpy.ndarray.ravel", lambda x: x.ravel()),
        ("numpy.ndarray.flatten", lambda x: x.flatten()),
    ):
        np_check(lambda ctx, x: apply_op(name, ctx, x), ref, [T(shape)])


@st.composite
def joinable(draw):
    """A few shapes that often differ only along one axis."""
    base = draw(shapes(0, 3, max_dim=4))
    out = []
    for _ in range(draw(st.integers(0, 3))):
        shape = list(base)
        if shape and draw(st.booleans()):
            i = draw(st.integers(0, len(shape) - 1))
            shape[i] = draw(st.integers(1, 4))
        if draw(st.integers(0, 6)) == 0:
            shape = shape[:-1]
        out.append(tuple(shape))
    return out


@given(joinable(), st.one_of(st.none(), st.integers(-3, 3)))
def test_concatenate(shapes_, axis):
    for name in ("numpy.concatenate", "numpy.concat"):
        np_check(
            lambda ctx, *xs: apply_op(name, ctx, list(xs), axis),
            lambda *xs: np.concatenate(list(xs), axis),
            [T(s) for s in shapes_],
        )


@given(joinable(), st.integers(-4, 4))
def test_stack(shapes_, axis):
    np_check(
        lambda ctx, *xs: apply_op("numpy.stack", ctx, list(xs), axis),
        lambda *xs: np.stack(list(xs), axis),
        [T(s) for s in shapes_],
    )


@given(joinable(), st.sampled_from(["numpy.vstack", "numpy.row_stack", "numpy.hstack", "numpy.column_stack"]))
def test_hv_stack(shapes_, name):
    ref = np.vstack if name == "numpy.row_stack" else getattr(np, name[6:])
    np_check(lambda ctx, *xs: apply_op(name, ctx, list(xs)), lambda *xs: ref(list(xs)), [T(s) for s in shapes_])


@given(shapes(0, 3), shapes(0, 3), st.one_of(st.none(), st.integers(-2, 2)))
def test_append(a, b, axis):
    np_check(
        lambda ctx, x, y: apply_op("numpy.append", ctx, x, y, axis), lambda x, y: np.append(x, y, axis), [T(a), T(b)]
    )


INDEX = st.one_of(
    st.integers(-5, 5),
    st.builds(
        slice,
        st.one_of(st.none(), st.integers(-5, 5)),
        st.one_of(st.none(), st.integers(-5, 5)),
        st.one_of(st.none(), st.integers(-3, 3).filter(lambda s: s != 0)),
    ),
    st.none(),
    st.just(Ellipsis),
)


@given(shapes(0, 3, max_dim=5), st.lists(INDEX, min_size=1, max_size=3))
def test_getitem(shape, key):
    key = tuple(key)
    if sum(k is Ellipsis for k in key) > 1:
        key = tuple(k for k in key if k is not Ellipsis)
    np_check(lambda ctx, x: apply_op("numpy.ndarray.__getitem__", ctx, x, key), lambda x: x[key], [T(shape)])


@given(shapes(1, 3, max_dim=4), shapes(1, 2, max_dim=4), st.booleans())
def test_getitem_index_arrays(shape, index, leading_slice):
    """a[idx] and a[:, idx] with an int index array (in range: numpy checks values, not shapes)."""
    key = (slice(None), "idx") if leading_slice else ("idx",)
    ref_key = lambda i: tuple(i if k == "idx" else k for k in key)  # noqa: E731
    np_check(
        lambda ctx, x, i: apply_op("numpy.ndarray.__getitem__", ctx, x, ref_key(i)),
        lambda x, i: x[ref_key(i)],
        [T(shape), T(index, np.int64)],
        symbolic=False,
    )


def test_getitem_mask_counts_unknown():
    """A bool mask keeps the rank; its count is a fresh symbol (see the data-dependent rules)."""
    x = Shape([5, 3])
    out = apply_op("numpy.ndarray.__getitem__", Checker(), x, (slice(None, None, 2), slice(None, None, -1)))
    assert out == Shape([3, 3])
    assert apply_op("numpy.ndarray.__getitem__", Checker(), Shape([sym("n"), 3]), (slice(None, None, -1), 0)) == Shape(
        [sym("n")]
    )
    assert isinstance(Mask(Shape([5])), Mask)


@given(shapes(0, 3))
def test_shape_queries(shape):
    np_check(lambda ctx, x: apply_op("numpy.ndarray.shape", ctx, x), lambda x: x.shape, [T(shape)])
    np_check(lambda ctx, x: apply_op("numpy.shape", ctx, x), np.shape, [T(shape)])
    np_check(lambda ctx, x: apply_op("numpy.ndarray.ndim", ctx, x), lambda x: x.ndim, [T(shape)])
    np_check(lambda ctx, x: apply_op("numpy.ndarray.size", ctx, x), lambda x: x.size, [T(shape)])
    np_check(lambda ctx, x: apply_op("numpy.ndarray.__len__", ctx, x), len, [T(shape)])


@given(
    SIZES,
    st.sampled_from(["numpy.random.randn", "numpy.random.rand"]),
    st.sampled_from(["numpy.random.random", "numpy.random.random_sample", "numpy.random.sample", "numpy.random.ranf"]),
)
def test_random_sizes(size, spread, sized):
    np_check(lambda ctx: apply_op(spread, ctx, *size), lambda: np.asarray(getattr(np.random, spread[13:])(*size)), [])
    np_check(lambda ctx: apply_op(sized, ctx, size), lambda: np.asarray(np.random.random(size)), [])


@given(st.integers(-2, 5), st.one_of(st.none(), st.integers(-2, 6)), st.one_of(st.none(), SIZES, st.integers(0, 4)))
def test_random_randint(low, high, size):
    np_check(
        lambda ctx: apply_op("numpy.random.randint", ctx, low, high, size),
        lambda: np.asarray(np.random.randint(low, high, size)),
        [],
    )


@given(
    st.sampled_from(
        [
            "numpy.random.normal",
            "numpy.random.uniform",
            "numpy.random.laplace",
            "numpy.random.logistic",
            "numpy.random.gumbel",
        ]
    ),
    st.one_of(st.none(), SIZES),
    st.one_of(st.just(()), shapes(1, 2, max_dim=3)),
)
def test_random_distributions(name, size, param):
    fn = getattr(np.random, name[13:])
    np_check(
        lambda ctx, p: apply_op(name, ctx, p, 1.0, size),
        lambda p: np.asarray(fn(p + (1.0 if name.endswith("uniform") else 0.0), 2.0, size)),
        [T(param)],
    )


@given(st.one_of(st.integers(0, 4), shapes(1, 2)))
def test_random_permutation(x):
    arg = T(x) if isinstance(x, tuple) else x
    np_check(lambda ctx, a: apply_op("numpy.random.permutation", ctx, a), np.random.permutation, [arg])


@given(st.one_of(st.integers(1, 4), shapes(1, 2)), st.one_of(st.none(), SIZES))
def test_random_choice(a, size):
    arg = T(a) if isinstance(a, tuple) else a
    np_check(
        lambda ctx, p: apply_op("numpy.random.choice", ctx, p, size),
        lambda p: np.asarray(np.random.choice(p, size)),
        [arg],
    )


# -- into torch and back: torch is the reference --------------------------------------------------


@given(shapes(0, 3))
def test_from_numpy(shape):
    check(
        lambda ctx, x: apply_op("torch.from_numpy", ctx, x),
        lambda x: torch.from_numpy(np.zeros(x.shape, dtype=str(x.dtype).removeprefix("torch."))),
        [T(shape)],
    )
    np_check(lambda ctx, x: apply_op("torch.Tensor.numpy", ctx, x), lambda x: torch.from_numpy(x).numpy(), [T(shape)])


LEGACY = [
    "torch.Tensor",
    "torch.FloatTensor",
    "torch.DoubleTensor",
    "torch.HalfTensor",
    "torch.BFloat16Tensor",
    "torch.ByteTensor",
    "torch.CharTensor",
    "torch.ShortTensor",
    "torch.IntTensor",
    "torch.LongTensor",
    "torch.BoolTensor",
]


@given(st.sampled_from(LEGACY), st.one_of(SIZES, shapes(0, 3).map(T), nested(shapes(1, 3, min_dim=0, max_dim=3))))
def test_legacy_constructors(name, arg):
    cls = eval(name)  # noqa: S307 - one of the names above
    if isinstance(arg, T):
        check(lambda ctx, x: apply_op(name, ctx, x), lambda x: cls(np.zeros(x.shape)), [arg])
    elif isinstance(arg, tuple):
        check(lambda ctx: apply_op(name, ctx, *arg), lambda: cls(*arg), [])
    else:
        check(lambda ctx: apply_op(name, ctx, arg), lambda: cls(arg), [])

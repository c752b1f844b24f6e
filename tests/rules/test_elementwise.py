"""Broadcasting binary ops and operators, their in-place forms, unary math and casts against torch."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import dims, shapes

from shapelens.dims import Checker, Lost, Shape
from shapelens.rules import apply_op

BINARY = [
    "torch.mul",
    "torch.multiply",
    "torch.true_divide",
    "torch.floor_divide",
    "torch.remainder",
    "torch.fmod",
    "torch.atan2",
    "torch.arctan2",
    "torch.eq",
    "torch.ne",
    "torch.lt",
    "torch.le",
    "torch.gt",
    "torch.ge",
    "torch.greater",
    "torch.greater_equal",
    "torch.less",
    "torch.less_equal",
    "torch.not_equal",
    "torch.logical_and",
    "torch.logical_or",
    "torch.logical_xor",
    "torch.bitwise_and",
    "torch.bitwise_or",
    "torch.bitwise_xor",
    "torch.bitwise_left_shift",
    "torch.bitwise_right_shift",
    "torch.hypot",
    "torch.maximum",
    "torch.minimum",
    "torch.fmax",
    "torch.fmin",
    "torch.Tensor.mul",
    "torch.Tensor.multiply",
    "torch.Tensor.true_divide",
    "torch.Tensor.floor_divide",
    "torch.Tensor.remainder",
    "torch.Tensor.fmod",
    "torch.Tensor.atan2",
    "torch.Tensor.arctan2",
    "torch.Tensor.eq",
    "torch.Tensor.ne",
    "torch.Tensor.lt",
    "torch.Tensor.le",
    "torch.Tensor.gt",
    "torch.Tensor.ge",
    "torch.Tensor.greater",
    "torch.Tensor.greater_equal",
    "torch.Tensor.less",
    "torch.Tensor.less_equal",
    "torch.Tensor.not_equal",
    "torch.Tensor.logical_and",
    "torch.Tensor.logical_or",
    "torch.Tensor.logical_xor",
    "torch.Tensor.bitwise_and",
    "torch.Tensor.bitwise_or",
    "torch.Tensor.bitwise_xor",
    "torch.Tensor.bitwise_left_shift",
    "torch.Tensor.bitwise_right_shift",
    "torch.Tensor.hypot",
    "torch.Tensor.maximum",
    "torch.Tensor.minimum",
    "torch.Tensor.fmax",
    "torch.Tensor.fmin",
    "torch.Tensor.__add__",
    "torch.Tensor.__radd__",
    "torch.Tensor.__sub__",
    "torch.Tensor.__rsub__",
    "torch.Tensor.__mul__",
    "torch.Tensor.__rmul__",
    "torch.Tensor.__truediv__",
    "torch.Tensor.__rtruediv__",
    "torch.Tensor.__floordiv__",
    "torch.Tensor.__rfloordiv__",
    "torch.Tensor.__mod__",
    "torch.Tensor.__rmod__",
    "torch.Tensor.__pow__",
    "torch.Tensor.__rpow__",
    "torch.Tensor.__and__",
    "torch.Tensor.__rand__",
    "torch.Tensor.__or__",
    "torch.Tensor.__ror__",
    "torch.Tensor.__xor__",
    "torch.Tensor.__rxor__",
    "torch.Tensor.__lshift__",
    "torch.Tensor.__rlshift__",
    "torch.Tensor.__rshift__",
    "torch.Tensor.__rrshift__",
    "torch.Tensor.__eq__",
    "torch.Tensor.__ne__",
    "torch.Tensor.__lt__",
    "torch.Tensor.__le__",
    "torch.Tensor.__gt__",
    "torch.Tensor.__ge__",
    "torch.add",
    "torch.sub",
    "torch.subtract",
    "torch.Tensor.add",
    "torch.Tensor.sub",
    "torch.Tensor.subtract",
    "torch.div",
    "torch.divide",
    "torch.Tensor.div",
    "torch.Tensor.divide",
    "torch.pow",
    "torch.Tensor.pow",
]
BINARY_INPLACE = [
    "torch.Tensor.mul_",
    "torch.Tensor.multiply_",
    "torch.Tensor.true_divide_",
    "torch.Tensor.floor_divide_",
    "torch.Tensor.remainder_",
    "torch.Tensor.fmod_",
    "torch.Tensor.atan2_",
    "torch.Tensor.arctan2_",
    "torch.Tensor.eq_",
    "torch.Tensor.ne_",
    "torch.Tensor.lt_",
    "torch.Tensor.le_",
    "torch.Tensor.gt_",
    "torch.Tensor.ge_",
    "torch.Tensor.greater_",
    "torch.Tensor.greater_equal_",
    "torch.Tensor.less_",
    "torch.Tensor.less_equal_",
    "torch.Tensor.not_equal_",
    "torch.Tensor.logical_and_",
    "torch.Tensor.logical_or_",
    "torch.Tensor.logical_xor_",
    "torch.Tensor.bitwise_and_",
    "torch.Tensor.bitwise_or_",
    "torch.Tensor.bitwise_xor_",
    "torch.Tensor.bitwise_left_shift_",
    "torch.Tensor.bitwise_right_shift_",
    "torch.Tensor.hypot_",
    "torch.Tensor.__iadd__",
    "torch.Tensor.__isub__",
    "torch.Tensor.__imul__",
    "torch.Tensor.__itruediv__",
    "torch.Tensor.__ifloordiv__",
    "torch.Tensor.__imod__",
    "torch.Tensor.__ipow__",
    "torch.Tensor.__iand__",
    "torch.Tensor.__ior__",
    "torch.Tensor.__ixor__",
    "torch.Tensor.__ilshift__",
    "torch.Tensor.__irshift__",
    "torch.Tensor.add_",
    "torch.Tensor.sub_",
    "torch.Tensor.subtract_",
    "torch.Tensor.div_",
    "torch.Tensor.divide_",
    "torch.Tensor.pow_",
]
UNARY = [
    "torch.abs",
    "torch.absolute",
    "torch.exp",
    "torch.exp2",
    "torch.expm1",
    "torch.log",
    "torch.log2",
    "torch.log10",
    "torch.log1p",
    "torch.sqrt",
    "torch.rsqrt",
    "torch.sin",
    "torch.cos",
    "torch.tan",
    "torch.asin",
    "torch.acos",
    "torch.atan",
    "torch.arcsin",
    "torch.arccos",
    "torch.arctan",
    "torch.sinh",
    "torch.cosh",
    "torch.asinh",
    "torch.acosh",
    "torch.atanh",
    "torch.arcsinh",
    "torch.arccosh",
    "torch.arctanh",
    "torch.sign",
    "torch.sgn",
    "torch.floor",
    "torch.ceil",
    "torch.trunc",
    "torch.fix",
    "torch.frac",
    "torch.neg",
    "torch.negative",
    "torch.reciprocal",
    "torch.square",
    "torch.erf",
    "torch.erfc",
    "torch.erfinv",
    "torch.lgamma",
    "torch.digamma",
    "torch.logical_not",
    "torch.bitwise_not",
    "torch.positive",
    "torch.isnan",
    "torch.isinf",
    "torch.isfinite",
    "torch.angle",
    "torch.round",
    "torch.nan_to_num",
    "torch.detach",
    "torch.clone",
    "torch.Tensor.abs",
    "torch.Tensor.absolute",
    "torch.Tensor.exp",
    "torch.Tensor.exp2",
    "torch.Tensor.expm1",
    "torch.Tensor.log",
    "torch.Tensor.log2",
    "torch.Tensor.log10",
    "torch.Tensor.log1p",
    "torch.Tensor.sqrt",
    "torch.Tensor.rsqrt",
    "torch.Tensor.sin",
    "torch.Tensor.cos",
    "torch.Tensor.tan",
    "torch.Tensor.asin",
    "torch.Tensor.acos",
    "torch.Tensor.atan",
    "torch.Tensor.arcsin",
    "torch.Tensor.arccos",
    "torch.Tensor.arctan",
    "torch.Tensor.sinh",
    "torch.Tensor.cosh",
    "torch.Tensor.asinh",
    "torch.Tensor.acosh",
    "torch.Tensor.atanh",
    "torch.Tensor.arcsinh",
    "torch.Tensor.arccosh",
    "torch.Tensor.arctanh",
    "torch.Tensor.sign",
    "torch.Tensor.sgn",
    "torch.Tensor.floor",
    "torch.Tensor.ceil",
    "torch.Tensor.trunc",
    "torch.Tensor.fix",
    "torch.Tensor.frac",
    "torch.Tensor.neg",
    "torch.Tensor.negative",
    "torch.Tensor.reciprocal",
    "torch.Tensor.square",
    "torch.Tensor.erf",
    "torch.Tensor.erfc",
    "torch.Tensor.erfinv",
    "torch.Tensor.lgamma",
    "torch.Tensor.digamma",
    "torch.Tensor.logical_not",
    "torch.Tensor.bitwise_not",
    "torch.Tensor.positive",
    "torch.Tensor.isnan",
    "torch.Tensor.isinf",
    "torch.Tensor.isfinite",
    "torch.Tensor.angle",
    "torch.Tensor.round",
    "torch.Tensor.nan_to_num",
    "torch.Tensor.detach",
    "torch.Tensor.clone",
    "torch.real",
    "torch.Tensor.abs_",
    "torch.Tensor.absolute_",
    "torch.Tensor.exp_",
    "torch.Tensor.exp2_",
    "torch.Tensor.expm1_",
    "torch.Tensor.log_",
    "torch.Tensor.log2_",
    "torch.Tensor.log10_",
    "torch.Tensor.log1p_",
    "torch.Tensor.sqrt_",
    "torch.Tensor.rsqrt_",
    "torch.Tensor.sin_",
    "torch.Tensor.cos_",
    "torch.Tensor.tan_",
    "torch.Tensor.asin_",
    "torch.Tensor.acos_",
    "torch.Tensor.atan_",
    "torch.Tensor.arcsin_",
    "torch.Tensor.arccos_",
    "torch.Tensor.arctan_",
    "torch.Tensor.sinh_",
    "torch.Tensor.cosh_",
    "torch.Tensor.asinh_",
    "torch.Tensor.acosh_",
    "torch.Tensor.atanh_",
    "torch.Tensor.arcsinh_",
    "torch.Tensor.arccosh_",
    "torch.Tensor.arctanh_",
    "torch.Tensor.sign_",
    "torch.Tensor.sgn_",
    "torch.Tensor.floor_",
    "torch.Tensor.ceil_",
    "torch.Tensor.trunc_",
    "torch.Tensor.fix_",
    "torch.Tensor.frac_",
    "torch.Tensor.neg_",
    "torch.Tensor.negative_",
    "torch.Tensor.reciprocal_",
    "torch.Tensor.square_",
    "torch.Tensor.erf_",
    "torch.Tensor.erfc_",
    "torch.Tensor.erfinv_",
    "torch.Tensor.lgamma_",
    "torch.Tensor.digamma_",
    "torch.Tensor.logical_not_",
    "torch.Tensor.bitwise_not_",
    "torch.Tensor.round_",
    "torch.Tensor.nan_to_num_",
    "torch.Tensor.__neg__",
    "torch.Tensor.__pos__",
    "torch.Tensor.__abs__",
    "torch.Tensor.__invert__",
    "torch.Tensor.detach_",
    "torch.Tensor.float",
    "torch.Tensor.double",
    "torch.Tensor.half",
    "torch.Tensor.bfloat16",
    "torch.Tensor.int",
    "torch.Tensor.long",
    "torch.Tensor.bool",
    "torch.Tensor.byte",
    "torch.Tensor.char",
    "torch.Tensor.short",
    "torch.Tensor.cpu",
    "torch.Tensor.requires_grad_",
]
PROPERTIES = ["torch.Tensor.real", "torch.Tensor.data"]
COMPLEX = ["torch.imag", "torch.Tensor.imag"]  # imag exists for complex tensors only

TENSOR_ONLY = ("atan2", "arctan2", "hypot", "logical_", "maximum", "minimum", "fmax", "fmin")
INTEGRAL = (
    "bitwise",
    "shift",
    "__and__",
    "__rand__",
    "__or__",
    "__ror__",
    "__xor__",
    "__rxor__",
    "__iand__",
    "__ior__",
    "__ixor__",
    "__invert__",
)


def reference(name: str):
    """The torch callable a rule name stands for: ``torch.f`` or a tensor method."""
    owner, attr = name.rsplit(".", 1)
    if owner == "torch":
        return getattr(torch, attr)
    return lambda self, *args, **kwargs: getattr(self, attr)(*args, **kwargs)


def rule(name: str):
    return lambda ctx, *args, **kwargs: apply_op(name, ctx, *args, **kwargs)


def dtype_of(name: str):
    return torch.long if any(k in name for k in INTEGRAL) else None


def inplace_dtype(name: str):
    """In place, the result dtype must fit input's: divisions and powers of a float by a float."""
    return None if any(k in name for k in ("div", "pow")) else dtype_of(name)


@st.composite
def with_ones(draw, base: tuple):
    """``base`` with some axes set to 1."""
    return tuple(draw(st.sampled_from([d, d, d, 1])) for d in base)


@st.composite
def near_broadcast(draw, base: tuple, grow: bool = True):
    """Mostly a suffix of ``base`` with axes set to 1, often with one axis off by one (a mismatch)."""
    tail = base[draw(st.integers(0, len(base))) :]
    out = [draw(st.sampled_from([d, d, 1])) for d in tail]
    if out and draw(st.integers(0, 9)) < 8:
        i = draw(st.integers(0, len(out) - 1))
        out[i] = tail[i] + 1
    if grow and draw(st.integers(0, 4)) == 0:
        out.insert(0, draw(dims()))
    return tuple(out)


@st.composite
def operand(draw, name: str, base: tuple, grow: bool = True):
    """A tensor near ``base``, or a number where ``name`` takes one."""
    if not any(k in name for k in TENSOR_ONLY) and draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from([2, 3] if dtype_of(name) else [2, 0.5]))
    return T(draw(near_broadcast(base, grow)), dtype_of(name))


@given(st.sampled_from(BINARY), shapes(1, 4), st.data())
def test_binary(name, base, data):
    x = T(data.draw(with_ones(base)), dtype_of(name))
    check(rule(name), reference(name), [x, data.draw(operand(name, base))])


@given(st.sampled_from(BINARY_INPLACE), shapes(1, 4), st.data())
def test_binary_inplace(name, base, data):
    """``x.add_(y)``: y may not grow x, not even by a leading 1."""
    x = T(data.draw(with_ones(base)), inplace_dtype(name))
    check(rule(name), reference(name), [x, data.draw(operand(name, base))])


@given(
    st.sampled_from(["torch.div", "torch.Tensor.div_"]),
    shapes(0, 3),
    st.sampled_from([None, "trunc", "floor", "round"]),
    st.data(),
)
def test_div_rounding_mode(name, base, mode, data):
    x, y = T(base), T(data.draw(near_broadcast(base)))
    check(
        lambda ctx, x, y: apply_op(name, ctx, x, y, rounding_mode=mode),
        lambda x, y: reference(name)(x, y, rounding_mode=mode),
        [x, y],
    )


@given(shapes(0, 4))
def test_pow_number_base(base):
    check(rule("torch.pow"), torch.pow, [2, T(base)])


@given(st.sampled_from(["torch.lerp", "torch.Tensor.lerp", "torch.Tensor.lerp_"]), shapes(1, 4), st.data())
def test_lerp(name, base, data):
    x = T(data.draw(with_ones(base)))
    end = T(data.draw(near_broadcast(base)))
    weight = data.draw(st.one_of(st.just(0.5), near_broadcast(base).map(T)))
    check(rule(name), reference(name), [x, end, weight])


@given(
    st.sampled_from(
        [
            "torch.addcmul",
            "torch.addcdiv",
            "torch.Tensor.addcmul",
            "torch.Tensor.addcdiv",
            "torch.Tensor.addcmul_",
            "torch.Tensor.addcdiv_",
        ]
    ),
    shapes(1, 4),
    st.data(),
)
def test_addcmul(name, base, data):
    x = T(data.draw(with_ones(base)))
    t1, t2 = T(data.draw(near_broadcast(base))), T(data.draw(near_broadcast(base)))
    check(
        lambda ctx, x, a, b: apply_op(name, ctx, x, a, b, value=2),
        lambda x, a, b: reference(name)(x, a, b, value=2),
        [x, t1, t2],
    )


@given(
    st.sampled_from(
        [
            "torch.clamp",
            "torch.clip",
            "torch.Tensor.clamp",
            "torch.Tensor.clip",
            "torch.Tensor.clamp_",
            "torch.Tensor.clip_",
        ]
    ),
    shapes(1, 4),
    st.data(),
)
def test_clamp(name, base, data):
    """Bounds are both tensors, both numbers or one of them None (torch rejects a mix by type)."""
    x = T(data.draw(with_ones(base)))
    bound = near_broadcast(base).map(T) if data.draw(st.booleans()) else st.sampled_from([0.0, 1.0])
    low, high = data.draw(st.one_of(st.none(), bound)), data.draw(st.one_of(st.none(), bound))
    check(
        lambda ctx, x, lo, hi: apply_op(name, ctx, x, min=lo, max=hi),
        lambda x, lo, hi: reference(name)(x, min=lo, max=hi),
        [x, low, high],
    )


@given(st.sampled_from(UNARY), shapes(0, 4))
def test_unary(name, shape):
    """Unary math, its in-place forms and casts keep the shape."""
    check(rule(name), reference(name), [T(shape, dtype_of(name))])


@given(st.sampled_from(PROPERTIES + COMPLEX), shapes(0, 4))
def test_views(name, shape):
    owner, attr = name.rsplit(".", 1)
    ref = getattr(torch, attr) if owner == "torch" else (lambda x: getattr(x, attr))
    check(rule(name), ref, [T(shape, torch.complex64 if name in COMPLEX else None)])


@pytest.mark.parametrize("name", BINARY + BINARY_INPLACE + UNARY)
def test_every_name(name):
    """Each name, not only those the properties above happened to draw, agrees with torch."""
    if name in UNARY:
        cases = [[T((2, 3), dtype_of(name))], [T((), dtype_of(name))]]
    else:
        dtype = inplace_dtype(name) if name in BINARY_INPLACE else dtype_of(name)
        cases = [[T((2, 3), dtype), T(s, dtype_of(name))] for s in ((3,), (2, 1), (4,), (1, 2, 3))]
    for inputs in cases:
        check(rule(name), reference(name), inputs)


@given(shapes(0, 4), st.data())
def test_to_and_type(shape, data):
    other = T(data.draw(shapes(0, 3)), torch.float64)
    check(rule("torch.Tensor.to"), lambda x, o: x.to(o), [T(shape), other])
    check(
        lambda ctx, x: apply_op("torch.Tensor.to", ctx, x, torch.float16, copy=True),
        lambda x: x.to(torch.float16, copy=True),
        [T(shape)],
    )
    check(
        lambda ctx, x: apply_op("torch.Tensor.type", ctx, x, torch.float64), lambda x: x.type(torch.float64), [T(shape)]
    )


def test_type_without_dtype_is_lost():
    """``x.type()`` is the tensor type's name, which depends on the device."""
    with pytest.raises(Lost):
        apply_op("torch.Tensor.type", Checker(), Shape((2, 3)))


@given(shapes(0, 4))
def test_device_moves(shape):
    """No accelerator in CI: .cuda() and .pin_memory() are held to the same contract as .to()."""
    for name in ("torch.Tensor.cuda", "torch.Tensor.pin_memory"):
        check(rule(name), lambda x: x.to("meta"), [T(shape)])


TRIANGULAR = [
    "torch.tril",
    "torch.Tensor.tril",
    "torch.Tensor.tril_",
    "torch.triu",
    "torch.Tensor.triu",
    "torch.Tensor.triu_",
]


@given(st.sampled_from(TRIANGULAR), shapes(0, 4), st.integers(-3, 3))
def test_triangular(name, shape, diagonal):
    fn = getattr(torch if name.count(".") == 1 else torch.Tensor, name.rsplit(".", 1)[-1])
    check(lambda ctx, x: apply_op(name, ctx, x, diagonal), lambda x: fn(x, diagonal), [T(shape)])


NUMBER_OPERAND = [
    "torch.clamp_min",
    "torch.Tensor.clamp_min",
    "torch.clamp_max",
    "torch.Tensor.clamp_max",
    "torch.float_power",
    "torch.Tensor.float_power",
    "torch.copysign",
    "torch.Tensor.copysign",
]
TENSOR_OPERAND = [
    "torch.heaviside",
    "torch.Tensor.heaviside",
    "torch.logaddexp",
    "torch.Tensor.logaddexp",
    "torch.logaddexp2",
    "torch.Tensor.logaddexp2",
    "torch.isclose",
    "torch.Tensor.isclose",
]
MORE_INPLACE = [
    "torch.Tensor.clamp_min_",
    "torch.Tensor.clamp_max_",
    "torch.Tensor.float_power_",
    "torch.Tensor.copysign_",
    "torch.Tensor.heaviside_",
]


@given(st.sampled_from(NUMBER_OPERAND + TENSOR_OPERAND), shapes(1, 4), st.data())
def test_more_binary(name, base, data):
    """Numbers are operands where torch takes them (a clamp bound, an exponent, a sign)."""
    x = T(data.draw(with_ones(base)))
    other = data.draw(st.one_of(near_broadcast(base).map(T), st.sampled_from([2, -0.5])))
    if name in TENSOR_OPERAND and not isinstance(other, T):
        other = T(())
    check(rule(name), reference(name), [x, other])


@given(st.sampled_from(MORE_INPLACE), shapes(1, 4), st.data())
def test_more_binary_inplace(name, base, data):
    dtype = torch.float64 if "float_power" in name else None
    x = T(data.draw(with_ones(base)), dtype)
    other = data.draw(st.one_of(near_broadcast(base).map(lambda s: T(s, dtype)), st.sampled_from([2, -0.5])))
    if "heaviside" in name and not isinstance(other, T):
        other = T((), dtype)
    check(rule(name), reference(name), [x, other])


@given(shapes(0, 3), st.sampled_from([1e-5, 0.0, -1.0]), st.sampled_from([1e-8, 0, -2]))
def test_isclose_tolerances(shape, rtol, atol):
    check(
        lambda ctx, x, y: apply_op("torch.isclose", ctx, x, y, rtol, atol),
        lambda x, y: torch.isclose(x, y, rtol, atol),
        [T(shape), T(shape)],
    )


def test_float_power_number_base():
    check(lambda ctx, x: apply_op("torch.float_power", ctx, 2, x), lambda x: torch.float_power(2, x), [T((2, 3))])

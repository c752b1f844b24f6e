"""Elementwise ops: broadcasting binary ops and operators, in-place forms, unary math, casts.

A Python number (or a dim used as a number) is an operand of shape ``[]``: it keeps the tensor's
shape. An in-place op writes into ``self``, so the broadcast of its operands must be ``self``'s
own shape: an operand may not grow it.
"""

from __future__ import annotations


from .. import codes
from ..dims import Checker, Lost, Shape, broadcast
from ._common import inplace, is_tensor, operand, tensor
from ._registry import BOOL, FLOAT, INT, TensorArg, op, promoted, same

# -- operands and broadcasting ----------------------------------------------------------------


def _broadcast(ctx: Checker, **operands) -> Shape:
    """The broadcast shape of the operands (by parameter name); numbers do not take part."""
    if not any(is_tensor(v) for v in operands.values()):
        raise Lost("no operand is a tensor")
    shapes = [operand(v, name) for name, v in operands.items()]
    shapes = [s for s in shapes if not (s.is_fixed and s.rank == 0)] or [Shape(())]
    out = shapes[0]
    for other in shapes[1:]:
        out = broadcast(ctx, out, other)
    return out


# -- binary ops and operators -----------------------------------------------------------------

_ARITHMETIC = (
    "mul",
    "multiply",
    "true_divide",
    "floor_divide",
    "remainder",
    "fmod",
    "atan2",
    "arctan2",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_left_shift",
    "bitwise_right_shift",
    "hypot",
)
_COMPARISONS = (
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "not_equal",
    "logical_and",
    "logical_or",
    "logical_xor",
)
_NOT_INPLACE = ("maximum", "minimum", "fmax", "fmin")


@op(
    *(f"torch.{n}" for n in _ARITHMETIC + _NOT_INPLACE),
    *(f"torch.Tensor.{n}" for n in _ARITHMETIC + _NOT_INPLACE),
    *(
        f"torch.Tensor.__{n}__"
        for n in (
            "mul",
            "rmul",
            "truediv",
            "rtruediv",
            "floordiv",
            "rfloordiv",
            "mod",
            "rmod",
            "and",
            "rand",
            "or",
            "ror",
            "xor",
            "rxor",
            "lshift",
            "rlshift",
            "rshift",
            "rrshift",
            "add",
            "radd",
            "sub",
            "rsub",
            "pow",
            "rpow",
        )
    ),
)
def binary(ctx, input, other, *, out=None):
    """[*a], [*b] -> broadcast(a, b); a number keeps the tensor's shape."""
    return _broadcast(ctx, input=input, other=other)


@op(
    *(f"torch.{n}" for n in _COMPARISONS),
    *(f"torch.Tensor.{n}" for n in _COMPARISONS),
    *(f"torch.Tensor.__{n}__" for n in ("eq", "ne", "lt", "le", "gt", "ge")),
    dtype=BOOL,
)
def compare(ctx, input, other, *, out=None):
    """[*a], [*b] -> broadcast(a, b), a bool mask; a number keeps the tensor's shape."""
    return _broadcast(ctx, input=input, other=other)


@op(
    *(f"torch.Tensor.{n}_" for n in _ARITHMETIC + _COMPARISONS),
    *(
        f"torch.Tensor.__i{n}__"
        for n in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and", "or", "xor", "lshift", "rshift")
    ),
)
def binary_(ctx, input, other):
    """[*a], [*b] -> [*a]: in place, other must broadcast to input's shape."""
    return inplace(ctx, input, other=other)


@op("torch.add", "torch.sub", "torch.subtract", "torch.Tensor.add", "torch.Tensor.sub", "torch.Tensor.subtract")
def add(ctx, input, other, *, alpha=1, out=None):
    """[*a], [*b] -> broadcast(a, b)."""
    return _broadcast(ctx, input=input, other=other)


@op("torch.Tensor.add_", "torch.Tensor.sub_", "torch.Tensor.subtract_")
def add_(ctx, input, other, *, alpha=1):
    """[*a], [*b] -> [*a]: in place, other must broadcast to input's shape."""
    return inplace(ctx, input, other=other)


def _check_rounding_mode(ctx: Checker, rounding_mode) -> None:
    ctx.check(
        rounding_mode in (None, "trunc", "floor"),
        codes.INVALID_ARGUMENT,
        lambda: f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found {rounding_mode!r}",
        param="rounding_mode",
    )


@op("torch.div", "torch.divide", "torch.Tensor.div", "torch.Tensor.divide")
def div(ctx, input, other, *, rounding_mode=None, out=None):
    """[*a], [*b] -> broadcast(a, b); rounding_mode is None, 'trunc' or 'floor'."""
    _check_rounding_mode(ctx, rounding_mode)
    return _broadcast(ctx, input=input, other=other)


@op("torch.Tensor.div_", "torch.Tensor.divide_")
def div_(ctx, input, other, *, rounding_mode=None):
    """[*a], [*b] -> [*a]: in place, other must broadcast to input's shape."""
    _check_rounding_mode(ctx, rounding_mode)
    return inplace(ctx, input, other=other)


@op("torch.pow", "torch.Tensor.pow")
def power(ctx, input, exponent, *, out=None):
    """[*a], [*b] -> broadcast(a, b); the base may be a number."""
    return _broadcast(ctx, input=input, exponent=exponent)


@op("torch.Tensor.pow_")
def power_(ctx, input, exponent):
    """[*a], [*b] -> [*a]: in place, exponent must broadcast to input's shape."""
    return inplace(ctx, input, exponent=exponent)


@op("torch.lerp", "torch.Tensor.lerp")
def lerp(ctx, input, end, weight, *, out=None):
    """[*a], [*b], [*w] -> broadcast(a, b, w)."""
    return _broadcast(ctx, input=input, end=end, weight=weight)


@op("torch.Tensor.lerp_")
def lerp_(ctx, input, end, weight):
    """[*a], [*b], [*w] -> [*a]: in place, end and weight must broadcast to input's shape."""
    return inplace(ctx, input, end=end, weight=weight)


@op("torch.addcmul", "torch.addcdiv", "torch.Tensor.addcmul", "torch.Tensor.addcdiv")
def addcmul(ctx, input, tensor1, tensor2, *, value=1, out=None):
    """[*a], [*b], [*c] -> broadcast(a, b, c)."""
    return _broadcast(ctx, input=input, tensor1=tensor1, tensor2=tensor2)


@op("torch.Tensor.addcmul_", "torch.Tensor.addcdiv_")
def addcmul_(ctx, input, tensor1, tensor2, *, value=1):
    """[*a], [*b], [*c] -> [*a]: in place, tensor1 and tensor2 must broadcast to input's shape."""
    return inplace(ctx, input, tensor1=tensor1, tensor2=tensor2)


def _check_bounds(ctx: Checker, min, max) -> dict:
    ctx.check(
        min is not None or max is not None,
        codes.INVALID_ARGUMENT,
        "torch.clamp: At least one of 'min' or 'max' must not be None",
        param="min",
    )
    return {name: v for name, v in (("min", min), ("max", max)) if v is not None}


@op("torch.clamp", "torch.clip", "torch.Tensor.clamp", "torch.Tensor.clip")
def clamp(ctx, input, min=None, max=None, *, out=None):
    """[*a], min [*b], max [*c] -> broadcast(a, b, c); number bounds keep the shape."""
    return _broadcast(ctx, input=input, **_check_bounds(ctx, min, max))


@op("torch.Tensor.clamp_", "torch.Tensor.clip_")
def clamp_(ctx, input, min=None, max=None):
    """[*a], min [*b], max [*c] -> [*a]: in place, the bounds must broadcast to input's shape."""
    return inplace(ctx, input, **_check_bounds(ctx, min, max))


@op("torch.clamp_min", "torch.Tensor.clamp_min", dtype=promoted)
def clamp_min(ctx, input, min):
    """[*a], min [*b] -> broadcast(a, b); a number bound keeps the shape."""
    return _broadcast(ctx, input=input, min=min)


@op("torch.Tensor.clamp_min_", dtype=same)
def clamp_min_(ctx, input, min):
    """[*a], min [*b] -> [*a]: in place, min must broadcast to input's shape."""
    return inplace(ctx, input, min=min)


@op("torch.clamp_max", "torch.Tensor.clamp_max", dtype=promoted)
def clamp_max(ctx, input, max):
    """[*a], max [*b] -> broadcast(a, b); a number bound keeps the shape."""
    return _broadcast(ctx, input=input, max=max)


@op("torch.Tensor.clamp_max_", dtype=same)
def clamp_max_(ctx, input, max):
    """[*a], max [*b] -> [*a]: in place, max must broadcast to input's shape."""
    return inplace(ctx, input, max=max)


@op("torch.float_power", "torch.Tensor.float_power")
def float_power(ctx, input, exponent, *, out=None):
    """[*a], [*b] -> broadcast(a, b) in float64; the base may be a number."""
    return _broadcast(ctx, input=input, exponent=exponent)


@op("torch.Tensor.float_power_")
def float_power_(ctx, input, exponent):
    """[*a], [*b] -> [*a]: in place (input must be float64), exponent must broadcast to input's shape."""
    return inplace(ctx, input, exponent=exponent)


@op("torch.copysign", "torch.Tensor.copysign")
def copysign(ctx, input, other, *, out=None):
    """[*a], [*b] -> broadcast(a, b); a number sign keeps the shape."""
    tensor(input)
    return _broadcast(ctx, input=input, other=other)


@op("torch.Tensor.copysign_", dtype=same)
def copysign_(ctx, input, other):
    """[*a], [*b] -> [*a]: in place, other must broadcast to input's shape."""
    return inplace(ctx, input, other=other)


@op("torch.heaviside", "torch.Tensor.heaviside")
def heaviside(ctx, input, values, *, out=None):
    """[*a], values [*b] -> broadcast(a, b); values is a tensor."""
    return _broadcast(ctx, input=tensor(input), values=tensor(values, "values"))


@op("torch.Tensor.heaviside_", dtype=same)
def heaviside_(ctx, input, values):
    """[*a], values [*b] -> [*a]: in place, values must broadcast to input's shape."""
    return inplace(ctx, input, values=tensor(values, "values"))


@op("torch.logaddexp", "torch.logaddexp2", "torch.Tensor.logaddexp", "torch.Tensor.logaddexp2")
def logaddexp(ctx, input, other, *, out=None):
    """[*a], [*b] -> broadcast(a, b); both are tensors."""
    return _broadcast(ctx, input=tensor(input), other=tensor(other, "other"))


@op("torch.isclose", "torch.Tensor.isclose", dtype=BOOL)
def isclose(ctx, input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """[*a], [*b] -> broadcast(a, b) of bools; rtol and atol are not negative."""
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if isinstance(tol, (int, float)):
            ctx.check(
                tol >= 0,
                codes.INVALID_ARGUMENT,
                f"{name} must be greater than or equal to zero, but got {tol}",
                param=name,
            )
    return _broadcast(ctx, input=tensor(input), other=tensor(other, "other"))


# -- unary ops: the shape is kept -------------------------------------------------------------

_UNARY = (
    "abs",
    "absolute",
    "exp",
    "exp2",
    "expm1",
    "log",
    "log2",
    "log10",
    "log1p",
    "sqrt",
    "rsqrt",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "arcsin",
    "arccos",
    "arctan",
    "sinh",
    "cosh",
    "asinh",
    "acosh",
    "atanh",
    "arcsinh",
    "arccosh",
    "arctanh",
    "sign",
    "sgn",
    "floor",
    "ceil",
    "trunc",
    "fix",
    "frac",
    "neg",
    "negative",
    "reciprocal",
    "square",
    "erf",
    "erfc",
    "erfinv",
    "lgamma",
    "digamma",
    "bitwise_not",
)
_UNARY_NOT_INPLACE = ("positive", "angle")
_PREDICATES = ("isnan", "isinf", "isfinite", "logical_not")


@op(
    *(f"torch.{n}" for n in _UNARY + _UNARY_NOT_INPLACE),
    *(f"torch.Tensor.{n}" for n in _UNARY + _UNARY_NOT_INPLACE),
    *(f"torch.Tensor.{n}_" for n in _UNARY + ("logical_not",)),
    *(f"torch.Tensor.__{n}__" for n in ("neg", "pos", "abs", "invert")),
)
def unary(ctx, input, *, out=None):
    """[*] -> [*]."""
    return tensor(input)


@op(*(f"torch.{n}" for n in _PREDICATES), *(f"torch.Tensor.{n}" for n in _PREDICATES), dtype=BOOL)
def predicate(ctx, input, *, out=None):
    """[*] -> [*], a bool mask."""
    return tensor(input)


@op("torch.round", "torch.Tensor.round", "torch.Tensor.round_")
def rounding(ctx, input, *, decimals=0, out=None):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.nan_to_num", "torch.Tensor.nan_to_num", "torch.Tensor.nan_to_num_")
def nan_to_num(ctx, input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.Tensor.real", "torch.Tensor.imag", "torch.Tensor.data", kind="property")
@op("torch.real", "torch.imag")
def real(ctx, input):
    """[*] -> [*]: a view of the same shape."""
    return tensor(input)


# -- dtype, device and memory casts: the shape is kept ----------------------------------------


# byte() and char() are left unknown: a uint8 index is a (deprecated) mask, an int8 one selects.
@op("torch.Tensor.bool", dtype=BOOL)
@op("torch.Tensor.int", "torch.Tensor.long", "torch.Tensor.short", dtype=INT)
@op("torch.Tensor.float", "torch.Tensor.double", "torch.Tensor.half", "torch.Tensor.bfloat16", dtype=FLOAT)
@op("torch.Tensor.byte", "torch.Tensor.char")
@op("torch.Tensor.cpu", dtype=same)
def cast(ctx, input, memory_format=None):
    """[*] -> [*]: a copy in another dtype or on the CPU."""
    return tensor(input)


def _to_dtype(args: tuple, kwargs: dict):
    """``x.to(other)`` takes other's dtype; ``x.to(device)``, x's own (``x.to(torch.long)``: given)."""
    other = next((a for a in args[1:] if isinstance(a, TensorArg)), kwargs.get("other"))
    return other.dtype if isinstance(other, TensorArg) else same(args, kwargs)


@op("torch.Tensor.to", dtype=_to_dtype)
def to(ctx, input, *args, **kwargs):
    """[*] -> [*]: any dtype, device or copy argument keeps the shape."""
    return tensor(input)


@op("torch.Tensor.type")
def type_cast(ctx, input, dtype=None, non_blocking=False, **kwargs):
    """[*] -> [*] given a dtype; without one it returns the type's name."""
    if dtype is None:
        raise Lost("Tensor.type() without a dtype returns the tensor type's name")
    return tensor(input)


@op("torch.Tensor.cuda", dtype=same)
def cuda(ctx, input, device=None, non_blocking=False, memory_format=None):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.detach", "torch.Tensor.detach", "torch.Tensor.detach_", dtype=same)
def detach(ctx, input):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.clone", "torch.Tensor.clone", dtype=same)
def clone(ctx, input, *, memory_format=None):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.Tensor.requires_grad_")
def requires_grad_(ctx, input, requires_grad=True):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.Tensor.pin_memory")
def pin_memory(ctx, input, device=None):
    """[*] -> [*]."""
    return tensor(input)


# -- triangular masks -------------------------------------------------------------------------


def _triangular(ctx: Checker, input, name: str) -> Shape:
    x = tensor(input)
    if x.is_fixed:
        ctx.check(x.rank >= 2, codes.RANK, f"{name}: input tensor must have at least 2 dimensions")
    return x


@op("torch.tril", "torch.Tensor.tril", "torch.Tensor.tril_")
def tril(ctx, input, diagonal=0, *, out=None):
    """[*, m, n] -> [*, m, n]: the lower triangle, same shape (at least 2 dims)."""
    return _triangular(ctx, input, "tril")


@op("torch.triu", "torch.Tensor.triu", "torch.Tensor.triu_")
def triu(ctx, input, diagonal=0, *, out=None):
    """[*, m, n] -> [*, m, n]: the upper triangle, same shape (at least 2 dims)."""
    return _triangular(ctx, input, "triu")

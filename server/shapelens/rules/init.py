"""Initialisers: tensor methods that fill a tensor in place (fill_, uniform_, copy_...) and
torch.nn.init. Each returns its tensor argument, so the shape is its own; what torch checks is
the rank the scheme needs (fan-in and fan-out need 2 dims, eye_ exactly 2) and the values' ranges.
"""

from __future__ import annotations

from numbers import Number

from .. import codes
from ..dims import Checker, Shape, divides, eq, gt, le, product
from ._common import inplace, is_tensor
from ._common import tensor as tensor_arg
from ._registry import TensorArg, op, same


def _number(value):
    """A Python number argument, or None when it is not one known statically (no check then)."""
    return value if isinstance(value, Number) and not isinstance(value, bool) else None


def _check_range(ctx: Checker, low, high) -> None:
    low, high = _number(low), _number(high)
    if low is not None and high is not None:
        ctx.check(
            low <= high,
            codes.INVALID_ARGUMENT,
            f"uniform_ expects to return a [from, to) range, but found from={low:g} > to={high:g}",
            param="b",
        )


def _check_std(ctx: Checker, std) -> None:
    std = _number(std)
    if std is not None:
        ctx.check(
            std >= 0, codes.INVALID_ARGUMENT, f"normal expects std >= 0.0, but found std {float(std)}", param="std"
        )


def _rank(x: Shape):
    """The rank, or Lost when it is not known."""
    return x.rank


# -- tensor methods ----------------------------------------------------------------------------


@op("torch.Tensor.fill_", "torch.fill_", "torch.fill", dtype=same)
def fill_(ctx, input, value):
    """[*] -> [*]; a tensor value must be 0-d."""
    x = tensor_arg(input)
    if is_tensor(value):
        ctx.check(
            value.rank == 0,
            codes.RANK,
            f"fill_ only supports 0-dimension value tensor but got tensor with {value.rank} dimensions.",
            arg="value",
        )
    return x


@op("torch.Tensor.zero_", "torch.zero_", dtype=same)
def zero_(ctx, input):
    """[*] -> [*]."""
    return tensor_arg(input)


@op("torch.Tensor.uniform_", dtype=same)
def uniform_method(ctx, input, from_=0, to=1, *, generator=None, **kwargs):
    """[*] -> [*]; from <= to."""
    low = kwargs.pop("from", from_)
    _check_range(ctx, low, to)
    return tensor_arg(input)


@op("torch.Tensor.normal_", dtype=same)
def normal_method(ctx, input, mean=0, std=1, *, generator=None):
    """[*] -> [*]; std >= 0."""
    _check_std(ctx, std)
    return tensor_arg(input)


@op("torch.Tensor.copy_", dtype=same)
def copy_(ctx, input, src, non_blocking=False):
    """[*a], src [*b] -> [*a]: src must broadcast to input's shape."""
    return inplace(ctx, input, src=tensor_arg(src, "src"))


def _other_dtype(args: tuple, kwargs: dict):
    """``input.type_as(other)``: other's dtype."""
    other = args[1] if len(args) > 1 else kwargs.get("other")
    return other.dtype if isinstance(other, TensorArg) else None


@op("torch.Tensor.type_as", dtype=_other_dtype)
def type_as(ctx, input, other):
    """[*], other -> [*] in other's dtype."""
    tensor_arg(other, "other")
    return tensor_arg(input)


# -- torch.nn.init -----------------------------------------------------------------------------


@op("torch.nn.init.uniform_", dtype=same)
def uniform_(ctx, tensor, a=0.0, b=1.0, generator=None):
    """[*] -> [*]; a <= b."""
    _check_range(ctx, a, b)
    return tensor_arg(tensor, "tensor")


@op("torch.nn.init.normal_", dtype=same)
def normal_(ctx, tensor, mean=0.0, std=1.0, generator=None):
    """[*] -> [*]; std >= 0."""
    _check_std(ctx, std)
    return tensor_arg(tensor, "tensor")


@op("torch.nn.init.trunc_normal_", dtype=same)
def trunc_normal_(ctx, tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """[*] -> [*]."""
    return tensor_arg(tensor, "tensor")


@op("torch.nn.init.constant_", dtype=same)
def constant_(ctx, tensor, val):
    """[*] -> [*]."""
    return tensor_arg(tensor, "tensor")


@op("torch.nn.init.ones_", "torch.nn.init.zeros_", dtype=same)
def ones_(ctx, tensor):
    """[*] -> [*]."""
    return tensor_arg(tensor, "tensor")


@op("torch.nn.init.eye_", dtype=same)
def eye_(ctx, tensor):
    """[m, n] -> [m, n]: 2-D only."""
    x = tensor_arg(tensor, "tensor")
    ctx.check(_rank(x) == 2, codes.RANK, "Only tensors with 2 dimensions are supported", arg="tensor")
    return x


@op("torch.nn.init.dirac_", dtype=same)
def dirac_(ctx, tensor, groups=1):
    """[out, in, *k] -> the same, 3 to 5 dims; out divisible by groups."""
    x = tensor_arg(tensor, "tensor")
    ctx.check(_rank(x) in (3, 4, 5), codes.RANK, "Only tensors with 3, 4, or 5 dimensions are supported", arg="tensor")
    if type(groups) is int:
        ctx.check(groups != 0, codes.INVALID_ARGUMENT, "integer modulo by zero", param="groups")
        ctx.check(
            divides(groups, x[0]),
            codes.INVALID_ARGUMENT,
            "dim 0 must be divisible by groups",
            param="groups",
            arg="tensor",
            axis=0,
        )
    return x


def _fans(ctx: Checker, x: Shape) -> tuple:
    """Torch's ``_calculate_fan_in_and_fan_out``: [out, in, *k] -> (in * prod(k), out * prod(k))."""
    ctx.check(
        _rank(x) >= 2,
        codes.RANK,
        "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
        arg="tensor",
    )
    receptive = product(x.dims[2:])
    return x[1] * receptive, x[0] * receptive


@op("torch.nn.init.xavier_uniform_", "torch.nn.init.xavier_normal_", dtype=same)
def xavier_uniform_(ctx, tensor, gain=1.0, generator=None):
    """[out, in, *k] -> the same: at least 2 dims, not all of its fans 0."""
    x = tensor_arg(tensor, "tensor")
    fan_in, fan_out = _fans(ctx, x)
    ctx.check(gt(fan_in + fan_out, 0), codes.INVALID_ARGUMENT, "float division by zero", arg="tensor")
    return x


_NONLINEARITIES = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "selu",
)


@op("torch.nn.init.kaiming_uniform_", "torch.nn.init.kaiming_normal_", dtype=same)
def kaiming_uniform_(ctx, tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """[out, in, *k] -> the same: at least 2 dims (a tensor without elements is left alone)."""
    x = tensor_arg(tensor, "tensor")
    numel = x.numel()
    if ctx.facts.decide(eq(numel, 0)):  # torch warns and returns it: a no-op
        return x

    def require(ok: bool, code: str, message: str, **details) -> None:
        """A requirement torch checks only for a tensor with elements."""
        if not ok:
            ctx.check(le(numel, 0), code, message, **details)  # not eq: that would unify a size with 0

    if isinstance(mode, str):
        require(
            mode in ("fan_in", "fan_out"),
            codes.INVALID_ARGUMENT,
            f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']",
            param="mode",
        )
    require(
        x.rank >= 2,
        codes.RANK,
        "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
        arg="tensor",
    )
    if isinstance(nonlinearity, str):
        require(
            nonlinearity in _NONLINEARITIES,
            codes.INVALID_ARGUMENT,
            f"Unsupported nonlinearity {nonlinearity}",
            param="nonlinearity",
        )
    return x


@op("torch.nn.init.orthogonal_", dtype=same)
def orthogonal_(ctx, tensor, gain=1, generator=None):
    """[rows, *cols] -> the same: at least 2 dims."""
    x = tensor_arg(tensor, "tensor")
    ctx.check(_rank(x) >= 2, codes.RANK, "Only tensors with 2 or more dimensions are supported", arg="tensor")
    return x


@op("torch.nn.init.sparse_", dtype=same)
def sparse_(ctx, tensor, sparsity, std=0.01, generator=None):
    """[rows, cols] -> the same: 2-D only."""
    x = tensor_arg(tensor, "tensor")
    ctx.check(_rank(x) == 2, codes.RANK, "Only tensors with 2 dimensions are supported", arg="tensor")
    return x

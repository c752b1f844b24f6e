"""Activations: every nn activation layer, its F.* function, torch.* and tensor-method forms.

Most keep the input's shape and check nothing about it. The exceptions: GLU halves ``dim`` (which
must be even), PReLU's parameters are one or one per channel (``dim 1``), the softmax family's
``dim`` must be an axis, and Softmax2d wants 3-D or 4-D input. Scalar arguments torch rejects
(``Hardtanh(1, -1)``, ``GELU('foo')``) are checked when their value is known: the output shape
never depends on them.
"""

from __future__ import annotations

from .. import codes
from ..dims import UNKNOWN, Checker, Shape, any_of, dim_text, divides, eq, ge
from ._common import axis_of, tensor
from ._registry import layer, op


def _known(*values) -> bool:
    """Every value is known; a check that needs an unknown one is skipped."""
    return all(v is not UNKNOWN for v in values)


# -- shape-keeping activations, one per op ---------------------------------------------------------


@layer("torch.nn.ReLU")
def relu(ctx, input, *, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@op(
    "torch.relu",
    "torch.relu_",
    "torch.Tensor.relu",
    "torch.Tensor.relu_",
    "torch.nn.functional.relu",
    "torch.nn.functional.relu_",
)
def f_relu(ctx, input, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@layer("torch.nn.ReLU6")
def relu6(ctx, input, *, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.nn.functional.relu6")
def f_relu6(ctx, input, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@layer("torch.nn.ELU")
def elu(ctx, input, *, alpha=1.0, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.nn.functional.elu", "torch.nn.functional.elu_")
def f_elu(ctx, input, alpha=1.0, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@layer("torch.nn.SELU")
def selu(ctx, input, *, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.selu", "torch.selu_", "torch.nn.functional.selu", "torch.nn.functional.selu_")
def f_selu(ctx, input, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


def _celu(ctx: Checker, x: Shape, alpha) -> Shape:
    """CPU divides by alpha (the meta kernel does not check it)."""
    if _known(alpha):
        ctx.check(alpha != 0, codes.INVALID_ARGUMENT, "ZeroDivisionError: alpha cannot be 0 for CELU", param="alpha")
    return x


@layer("torch.nn.CELU")
def celu(ctx, input, *, alpha=1.0, inplace=False):
    """[*] -> [*]; alpha != 0."""
    return _celu(ctx, tensor(input), alpha)


@op("torch.celu", "torch.celu_", "torch.nn.functional.celu", "torch.nn.functional.celu_")
def f_celu(ctx, input, alpha=1.0, inplace=False):
    """[*] -> [*]; alpha != 0."""
    return _celu(ctx, tensor(input), alpha)


@layer("torch.nn.LeakyReLU")
def leaky_relu(ctx, input, *, negative_slope=0.01, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.nn.functional.leaky_relu", "torch.nn.functional.leaky_relu_")
def f_leaky_relu(ctx, input, negative_slope=0.01, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


def _rrelu(ctx: Checker, x: Shape, lower, upper) -> Shape:
    if _known(lower, upper):
        ctx.check(
            lower <= upper,
            codes.INVALID_ARGUMENT,
            "Lower bound should be less than or equal to the upper bound",
            param="lower",
        )
    return x


@layer("torch.nn.RReLU")
def rrelu(ctx, input, *, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
    """[*] -> [*]; lower <= upper."""
    return _rrelu(ctx, tensor(input), lower, upper)


@op("torch.rrelu", "torch.rrelu_", "torch.nn.functional.rrelu", "torch.nn.functional.rrelu_")
def f_rrelu(ctx, input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False, generator=None):
    """[*] -> [*]; lower <= upper."""
    return _rrelu(ctx, tensor(input), lower, upper)


def _check_hardtanh(ctx, min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None):
    low = min_val if min_value is None else min_value
    high = max_val if max_value is None else max_value
    if _known(low, high):
        ctx.check(
            high > low,
            codes.INVALID_ARGUMENT,
            f"max_val ({high}) must be greater than min_val ({low})",
            param="max_val",
        )


@layer("torch.nn.Hardtanh", init=_check_hardtanh)
def hardtanh(ctx, input, *, min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None):
    """[*] -> [*]; max_val > min_val."""
    return tensor(input)


@op("torch.nn.functional.hardtanh")
def f_hardtanh(ctx, input, min_val=-1.0, max_val=1.0, inplace=False):
    """[*] -> [*]; min_val <= max_val."""
    if _known(min_val, max_val):
        ctx.check(min_val <= max_val, codes.INVALID_ARGUMENT, "min_val cannot be greater than max_val", param="min_val")
    return tensor(input)


@op("torch.nn.functional.hardtanh_")
def f_hardtanh_(ctx, input, min_val=-1.0, max_val=1.0):
    """[*] -> [*]; the in-place kernel does not compare min_val and max_val."""
    return tensor(input)


@layer("torch.nn.Hardsigmoid")
def hardsigmoid(ctx, input, *, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.nn.functional.hardsigmoid")
def f_hardsigmoid(ctx, input, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@layer("torch.nn.Hardswish")
def hardswish(ctx, input, *, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.nn.functional.hardswish")
def f_hardswish(ctx, input, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@layer("torch.nn.Hardshrink")
def hardshrink(ctx, input, *, lambd=0.5):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.hardshrink", "torch.Tensor.hardshrink", "torch.nn.functional.hardshrink")
def f_hardshrink(ctx, input, lambd=0.5):
    """[*] -> [*]."""
    return tensor(input)


def _softshrink(ctx: Checker, x: Shape, lambd) -> Shape:
    if _known(lambd):
        ctx.check(
            lambd >= 0,
            codes.INVALID_ARGUMENT,
            f"lambda must be in range [0, 3.40282e+38] for input dtype Float, but found {lambd:g}",
            param="lambd",
        )
    return x


@layer("torch.nn.Softshrink")
def softshrink(ctx, input, *, lambd=0.5):
    """[*] -> [*]; lambd >= 0."""
    return _softshrink(ctx, tensor(input), lambd)


@op("torch.nn.functional.softshrink")
def f_softshrink(ctx, input, lambd=0.5):
    """[*] -> [*]; lambd >= 0."""
    return _softshrink(ctx, tensor(input), lambd)


def _gelu(ctx: Checker, x: Shape, approximate) -> Shape:
    if _known(approximate):
        ctx.check(
            approximate in ("none", "tanh"),
            codes.INVALID_ARGUMENT,
            "approximate argument must be either none or tanh.",
            param="approximate",
        )
    return x


@layer("torch.nn.GELU")
def gelu(ctx, input, *, approximate="none"):
    """[*] -> [*]; approximate is 'none' or 'tanh'."""
    return _gelu(ctx, tensor(input), approximate)


@op("torch.nn.functional.gelu")
def f_gelu(ctx, input, approximate="none"):
    """[*] -> [*]; approximate is 'none' or 'tanh'."""
    return _gelu(ctx, tensor(input), approximate)


@layer("torch.nn.Sigmoid")
def sigmoid(ctx, input):
    """[*] -> [*]."""
    return tensor(input)


@op(
    "torch.sigmoid",
    "torch.sigmoid_",
    "torch.Tensor.sigmoid",
    "torch.Tensor.sigmoid_",
    "torch.nn.functional.sigmoid",
    "torch.special.expit",
)
def f_sigmoid(ctx, input, *, out=None):
    """[*] -> [*]."""
    return tensor(input)


@layer("torch.nn.LogSigmoid")
def log_sigmoid(ctx, input):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.nn.functional.logsigmoid")
def f_logsigmoid(ctx, input):
    """[*] -> [*]."""
    return tensor(input)


@layer("torch.nn.Tanh")
def tanh(ctx, input):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.tanh", "torch.tanh_", "torch.Tensor.tanh", "torch.Tensor.tanh_", "torch.nn.functional.tanh")
def f_tanh(ctx, input, *, out=None):
    """[*] -> [*]."""
    return tensor(input)


@layer("torch.nn.Tanhshrink")
def tanhshrink(ctx, input):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.nn.functional.tanhshrink")
def f_tanhshrink(ctx, input):
    """[*] -> [*]."""
    return tensor(input)


@layer("torch.nn.Softsign")
def softsign(ctx, input):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.nn.functional.softsign")
def f_softsign(ctx, input):
    """[*] -> [*]."""
    return tensor(input)


@layer("torch.nn.Softplus")
def softplus(ctx, input, *, beta=1.0, threshold=20.0):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.nn.functional.softplus")
def f_softplus(ctx, input, beta=1.0, threshold=20.0):
    """[*] -> [*]."""
    return tensor(input)


@layer("torch.nn.SiLU")
def silu(ctx, input, *, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.nn.functional.silu")
def f_silu(ctx, input, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@layer("torch.nn.Mish")
def mish(ctx, input, *, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.nn.functional.mish")
def f_mish(ctx, input, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@layer("torch.nn.Threshold")
def threshold(ctx, input, *, threshold, value, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@op("torch.threshold", "torch.threshold_", "torch.nn.functional.threshold", "torch.nn.functional.threshold_")
def f_threshold(ctx, input, threshold, value, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


# -- PReLU -----------------------------------------------------------------------------------------


def _prelu(ctx: Checker, x: Shape, weight: Shape, param=None) -> Shape:
    """One slope for all channels, or one per channel (``dim 1``; a 1-D input has one channel)."""
    ctx.check(
        weight.rank <= 1,
        codes.RANK,
        f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.rank}",
        arg="weight",
    )
    n = weight.numel()
    single = ctx.facts.decide(eq(n, 1))
    if single:
        return x
    if x.rank == 0:
        ctx.check(
            eq(n, 1),
            codes.PRELU_NUM_PARAMETERS,
            "Not allow zero-dim input tensor.",
            param=param,
            expected=1,
            actual=n,
            arg="input",
        )
        return x
    channels = x[1] if x.rank >= 2 else 1
    ctx.check(
        eq(n, channels) if single is False else any_of(eq(n, 1), eq(n, channels)),
        codes.PRELU_NUM_PARAMETERS,
        lambda: (
            f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
            f"{dim_text(n)} and channel size = {dim_text(channels)}."
        ),
        param=param,
        expected=channels,
        actual=n,
        arg="input" if param else "weight",
        axis=1 if x.rank >= 2 else None,
    )
    return x


def _check_prelu(ctx, num_parameters=1, init=0.25, **_):
    ctx.check(
        ge(num_parameters, 0),
        codes.NEGATIVE_SIZE,
        lambda: (
            f"Trying to create tensor with negative dimension {dim_text(num_parameters)}: [{dim_text(num_parameters)}]"
        ),
        param="num_parameters",
    )


@layer("torch.nn.PReLU", init=_check_prelu)
def prelu(ctx, input, *, num_parameters=1, init=0.25, device=None, dtype=None):
    """[*] -> [*]; num_parameters is 1 or the channels (dim 1)."""
    return _prelu(ctx, tensor(input), Shape([num_parameters]), param="num_parameters")


@op("torch.prelu", "torch.Tensor.prelu", "torch.nn.functional.prelu")
def f_prelu(ctx, input, weight):
    """[*] -> [*]; weight holds 1 value or one per channel (dim 1)."""
    return _prelu(ctx, tensor(input), tensor(weight, "weight"))


# -- GLU -------------------------------------------------------------------------------------------


def _glu(ctx: Checker, x: Shape, dim) -> Shape:
    """The two halves of ``dim`` gate each other: the size there must be even, and halves."""
    if x.is_fixed and x.rank == 0:
        ctx.fail(codes.RANK, "glu does not support scalars because halving size must be even")
    axis = axis_of(ctx, x, dim)
    size = x[axis]
    ctx.check(
        divides(2, size),
        codes.GLU_ODD,
        lambda: f"Halving dimension must be even, but dimension {axis} is size {dim_text(size)}",
        actual=size,
        arg="input",
        axis=axis,
    )
    ctx.facts.learn_divides(2, size)
    return x.replace(axis, ctx.simplify(size // 2))


@layer("torch.nn.GLU")
def glu(ctx, input, *, dim=-1):
    """[..., 2*n, ...] -> [..., n, ...] at dim."""
    return _glu(ctx, tensor(input), dim)


@op("torch.nn.functional.glu")
def f_glu(ctx, input, dim=-1):
    """[..., 2*n, ...] -> [..., n, ...] at dim."""
    return _glu(ctx, tensor(input), dim)


# -- the softmax family ----------------------------------------------------------------------------


def _softmax(ctx: Checker, x: Shape, dim) -> Shape:
    """Normalizes along ``dim``. ``dim=None`` is torch's legacy choice (0 for 0-D, 1-D, 3-D; else 1),
    always an axis; the meta kernel does not range-check ``dim``, the CPU one does."""
    if dim is not None and _known(dim):
        axis_of(ctx, x, dim)
    return x


@layer("torch.nn.Softmax")
def softmax(ctx, input, *, dim=None):
    """[*] -> [*]; dim must be an axis."""
    return _softmax(ctx, tensor(input), dim)


@layer("torch.nn.Softmin")
def softmin(ctx, input, *, dim=None):
    """[*] -> [*]; dim must be an axis."""
    return _softmax(ctx, tensor(input), dim)


@layer("torch.nn.LogSoftmax")
def log_softmax(ctx, input, *, dim=None):
    """[*] -> [*]; dim must be an axis."""
    return _softmax(ctx, tensor(input), dim)


@op("torch.nn.functional.softmax")
def f_softmax(ctx, input, dim=None, _stacklevel=3, dtype=None):
    """[*] -> [*]; dim must be an axis."""
    return _softmax(ctx, tensor(input), dim)


@op("torch.nn.functional.softmin")
def f_softmin(ctx, input, dim=None, _stacklevel=3, dtype=None):
    """[*] -> [*]; dim must be an axis."""
    return _softmax(ctx, tensor(input), dim)


@op("torch.nn.functional.log_softmax")
def f_log_softmax(ctx, input, dim=None, _stacklevel=3, dtype=None):
    """[*] -> [*]; dim must be an axis."""
    return _softmax(ctx, tensor(input), dim)


@op("torch.softmax", "torch.Tensor.softmax", "torch.special.softmax")
def torch_softmax(ctx, input, dim, dtype=None):
    """[*] -> [*]; dim must be an axis."""
    return _softmax(ctx, tensor(input), dim)


@op("torch.log_softmax", "torch.Tensor.log_softmax", "torch.special.log_softmax")
def torch_log_softmax(ctx, input, dim, dtype=None):
    """[*] -> [*]; dim must be an axis."""
    return _softmax(ctx, tensor(input), dim)


@layer("torch.nn.Softmax2d")
def softmax_2d(ctx, input):
    """[N, C, H, W] or [C, H, W] -> same: softmax over the channels (dim -3)."""
    x = tensor(input)
    ctx.check(x.rank in (3, 4), codes.RANK, f"Softmax2d: expected input to be 3D or 4D, got {x.rank}D instead")
    return x


@op("torch.nn.functional.gumbel_softmax")
def gumbel_softmax(ctx, logits, tau=1, hard=False, eps=1e-10, dim=-1):
    """[*] -> [*]: a (one-hot if hard) sample along dim, which must be an axis."""
    return _softmax(ctx, tensor(logits, "logits"), dim)

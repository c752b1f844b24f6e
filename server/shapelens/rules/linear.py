"""Linear maps over the last axis: nn.Linear, LazyLinear, Bilinear, Identity, F.linear/bilinear."""

from __future__ import annotations

from .. import codes
from ..dims import Checker, Shape, dim_text, eq, ge, product
from ._common import is_tensor, tensor
from ._registry import layer, op


def _check_features(ctx: Checker, **sizes) -> None:
    for name, value in sizes.items():
        ctx.check(
            ge(value, 0),
            codes.NEGATIVE_SIZE,
            f"Trying to create tensor with negative dimension {dim_text(value)}: {name}",
            param=name,
        )


def _rows(x: Shape) -> str:
    """mat1's row count as torch prints it: the batch axes flattened (``*`` when variadic)."""
    if not x.is_fixed:
        return "*"
    return dim_text(product(x[:-1]) if x.rank > 1 else 1, paren=True)


def _mat_mul_last(ctx: Checker, x: Shape, in_features, out_features, *, param: str) -> Shape:
    """``x @ W.T`` for ``W: [out, in]``: torch's mat1/mat2 check on the last axis."""
    if x.is_fixed and x.rank == 0:
        ctx.fail(codes.LINEAR_RANK, "both arguments to linear need to be at least 1D, but they are 0D and 2D")
    last = x[-1]
    ctx.check(
        eq(last, in_features),
        codes.LINEAR_IN_FEATURES,
        lambda: (
            f"mat1 and mat2 shapes cannot be multiplied ({_rows(x)}x{dim_text(last, True)} and "
            f"{dim_text(in_features, True)}x{dim_text(out_features, True)})"
        ),
        param=param,
        expected=in_features,
        actual=last,
        arg="input",
        axis=-1,
    )
    return x.replace(-1, out_features)


def _check_linear(ctx, in_features, out_features, **_):
    _check_features(ctx, in_features=in_features, out_features=out_features)


@layer("torch.nn.Linear", init=_check_linear)
def linear(ctx, input, *, in_features, out_features, bias=True, device=None, dtype=None):
    """[*, in_features] -> [*, out_features]."""
    return _mat_mul_last(ctx, tensor(input), in_features, out_features, param="in_features")


def _check_lazy(ctx, out_features, **_):
    _check_features(ctx, out_features=out_features)


@layer("torch.nn.LazyLinear", init=_check_lazy)
def lazy_linear(ctx, input, *, out_features, bias=True, device=None, dtype=None):
    """[*, in] -> [*, out_features]; in_features is taken from the first input."""
    x = tensor(input)
    if x.is_fixed and x.rank == 0:
        ctx.fail(codes.LINEAR_RANK, "both arguments to linear need to be at least 1D, but they are 0D and 2D")
    return x.replace(-1, out_features)


def _check_bilinear(ctx, in1_features, in2_features, out_features, **_):
    _check_features(ctx, in1_features=in1_features, in2_features=in2_features, out_features=out_features)


@layer("torch.nn.Bilinear", init=_check_bilinear)
def bilinear(ctx, input1, input2, *, in1_features, in2_features, out_features, bias=True, device=None, dtype=None):
    """[*, in1], [*, in2] -> [*, out]: the batch axes must be equal, no broadcasting."""
    return _bilinear(ctx, tensor(input1, "input1"), tensor(input2, "input2"), in1_features, in2_features, out_features)


def _bilinear(ctx: Checker, x1: Shape, x2: Shape, in1, in2, out) -> Shape:
    ctx.check(
        x1.rank == x2.rank,
        codes.BILINEAR_INPUTS,
        f"bilinear(): input dimensions do not match: got {x1.rank} and {x2.rank}",
    )
    for axis in range(x1.rank - 1):
        ctx.check(
            eq(x1[axis], x2[axis]),
            codes.BILINEAR_INPUTS,
            lambda: (
                f"bilinear(): input batch dimensions do not match at dim {axis}: "
                f"got {dim_text(x1[axis])} and {dim_text(x2[axis])}"
            ),
            expected=x1[axis],
            actual=x2[axis],
            arg="input2",
            axis=axis,
        )
    ctx.check(
        eq(x1[-1], in1),
        codes.LINEAR_IN_FEATURES,
        lambda: (
            f"bilinear(): input1 size does not match weight size: got {dim_text(x1[-1])} but expected {dim_text(in1)}"
        ),
        param="in1_features",
        expected=in1,
        actual=x1[-1],
        arg="input1",
        axis=-1,
    )
    ctx.check(
        eq(x2[-1], in2),
        codes.LINEAR_IN_FEATURES,
        lambda: (
            f"bilinear(): input2 size does not match weight size: got {dim_text(x2[-1])} but expected {dim_text(in2)}"
        ),
        param="in2_features",
        expected=in2,
        actual=x2[-1],
        arg="input2",
        axis=-1,
    )
    return x1.replace(-1, out)


@layer("torch.nn.Identity")
def identity(ctx, input, **ignored):
    """Returns its input; constructor arguments are ignored (as torch does)."""
    return input


def _expand_bias(ctx: Checker, bias: Shape, out: Shape) -> None:
    """The bias is expanded to the output: each of its axes equals the output's or is 1."""
    ok = bias.rank <= out.rank
    if ok:
        for b, o in zip(reversed(bias.dims), reversed(out.dims)):
            if ctx.decide(eq(b, 1)):
                continue
            ctx.check(
                eq(b, o),
                codes.LINEAR_BIAS,
                lambda: (
                    f"The expanded size of the tensor ({dim_text(o)}) must match the existing "
                    f"size ({dim_text(b)}). Target sizes: {out}. Tensor sizes: {bias}"
                ),
                expected=o,
                actual=b,
                arg="bias",
            )
    else:
        ctx.fail(codes.LINEAR_BIAS, f"the bias of shape {bias} cannot be expanded to the output {out}", arg="bias")


@op("torch.nn.functional.linear")
def f_linear(ctx, input, weight, bias=None):
    """[*, in] x weight [out, in] (or [in]) -> [*, out] (or [*])."""
    x, w = tensor(input), tensor(weight, "weight")
    if w.rank == 1:
        if is_tensor(bias):
            ctx.fail(codes.LINEAR_RANK, "mat2 must be a matrix, got 1-D tensor", arg="weight")
        if x.is_fixed and x.rank == 0:
            ctx.fail(codes.LINEAR_RANK, "both arguments to linear need to be at least 1D, but they are 0D and 1D")
        ctx.check(
            eq(x[-1], w[0]),
            codes.LINEAR_IN_FEATURES,
            lambda: f"size mismatch, got input ({dim_text(x[-1])}), weight ({dim_text(w[0])})",
            expected=w[0],
            actual=x[-1],
            arg="input",
            axis=-1,
        )
        out = x.with_last(1, ())
    elif w.rank == 2:
        out = _mat_mul_last(ctx, x, w[1], w[0], param="weight")
    else:
        ctx.fail(codes.LINEAR_RANK, f"linear(): weight must be 1D or 2D, but got {w.rank}D")
    if is_tensor(bias):
        _expand_bias(ctx, bias, out)
    return out


@op("torch.nn.functional.bilinear")
def f_bilinear(ctx, input1, input2, weight, bias=None):
    """[*, in1], [*, in2], weight [out, in1, in2] -> [*, out]."""
    w = tensor(weight, "weight")
    ctx.check(w.rank == 3, codes.BILINEAR_WEIGHT, f"bilinear(): weight must be 3D, but got {w.rank}D")
    return _bilinear(ctx, tensor(input1, "input1"), tensor(input2, "input2"), w[1], w[2], w[0])

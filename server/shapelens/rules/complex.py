"""Complex numbers: built from parts (polar, complex) and viewed as pairs of reals (view_as_real,
view_as_complex), as rotary embeddings do: ``torch.view_as_complex(x.float().reshape(*x.shape[:-1], -1, 2))``.
"""

from __future__ import annotations

from .. import codes
from ..dims import Shape, broadcast, dim_text, eq
from ._common import tensor
from ._registry import op


@op("torch.polar")
def polar(ctx, abs, angle, *, out=None):
    """abs [*a], angle [*b] -> broadcast(a, b), complex."""
    return broadcast(ctx, tensor(abs, "abs"), tensor(angle, "angle"))


@op("torch.complex")
def complex_(ctx, real, imag, *, out=None):
    """real [*a], imag [*b] -> broadcast(a, b), complex."""
    return broadcast(ctx, tensor(real, "real"), tensor(imag, "imag"))


@op("torch.view_as_real")
def view_as_real(ctx, input):
    """A complex [*s] -> a real [*s, 2] (real and imaginary parts)."""
    x = tensor(input)
    return Shape(x.prefix + (2,)) if x.is_fixed else Shape(x.prefix, x.star, x.suffix + (2,))


@op("torch.view_as_complex")
def view_as_complex(ctx, input):
    """A real [*s, 2] -> a complex [*s]: the last axis holds (real, imaginary)."""
    x = tensor(input)
    if x.is_fixed:
        ctx.check(x.rank > 0, codes.RANK, "Input tensor must have one or more dimensions", arg="input")
    last = x[-1]
    ctx.check(
        eq(last, 2),
        codes.VIEW_AS_COMPLEX,
        lambda: f"Tensor must have a last dimension of size 2, got {dim_text(last)}",
        expected=2,
        actual=last,
        arg="input",
        axis=-1,
    )
    return x.with_last(1, ())

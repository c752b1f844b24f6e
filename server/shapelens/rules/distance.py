"""Distances between tensors: nn.CosineSimilarity, nn.PairwiseDistance, F.cosine_similarity,
F.pairwise_distance, torch.cdist, F.pdist."""

from __future__ import annotations

from .. import codes
from ..dims import Checker, Shape, broadcast, dim_text, eq, normalize_axis
from ._common import tensor
from ._registry import layer, op


def _cosine_similarity(ctx: Checker, x1: Shape, x2: Shape, dim) -> Shape:
    """The inputs broadcast first; ``dim`` then counts in the broadcast shape."""
    out = broadcast(ctx, x1, x2)
    axis = normalize_axis(ctx, dim, out.rank)
    return Shape(out.dims[:axis] + out.dims[axis + 1 :])


@layer("torch.nn.CosineSimilarity")
def cosine_similarity(ctx, x1, x2, *, dim=1, eps=1e-08):
    """[*a], [*b] -> broadcast(a, b) without axis dim."""
    return _cosine_similarity(ctx, tensor(x1, "x1"), tensor(x2, "x2"), dim)


@op("torch.nn.functional.cosine_similarity", "torch.cosine_similarity")
def f_cosine_similarity(ctx, x1, x2, dim=1, eps=1e-08):
    """[*a], [*b] -> broadcast(a, b) without axis dim."""
    return _cosine_similarity(ctx, tensor(x1, "x1"), tensor(x2, "x2"), dim)


def pairwise_distance_shape(ctx: Checker, x1: Shape, x2: Shape, keepdim: bool = False) -> Shape:
    """The norm of ``x1 - x2`` over the last axis of the broadcast shape (none for scalars)."""
    out = broadcast(ctx, x1, x2)
    if out.is_fixed and out.rank == 0:
        return out
    return out.with_last(1, (1,) if keepdim else ())


@layer("torch.nn.PairwiseDistance")
def pairwise_distance(ctx, x1, x2, *, p=2.0, eps=1e-06, keepdim=False):
    """[*, D], [*, D] -> [*] (or [*, 1] with keepdim); the inputs broadcast."""
    return pairwise_distance_shape(ctx, tensor(x1, "x1"), tensor(x2, "x2"), keepdim)


@op("torch.nn.functional.pairwise_distance", "torch.pairwise_distance")
def f_pairwise_distance(ctx, x1, x2, p=2.0, eps=1e-06, keepdim=False):
    """[*, D], [*, D] -> [*] (or [*, 1] with keepdim); the inputs broadcast."""
    return pairwise_distance_shape(ctx, tensor(x1, "x1"), tensor(x2, "x2"), keepdim)


_COMPUTE_MODES = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist")


@op("torch.cdist")
def cdist(ctx, x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """[*B1, P, M], [*B2, R, M] -> [*broadcast(B1, B2), P, R]."""
    a, b = tensor(x1, "x1"), tensor(x2, "x2")
    ctx.check(
        compute_mode in _COMPUTE_MODES,
        codes.INVALID_ARGUMENT,
        f"{compute_mode} is not a valid value for compute_mode",
        param="compute_mode",
    )
    ctx.check(a.rank >= 2, codes.RANK, f"cdist only supports at least 2D tensors, X1 got: {a.rank}D", arg="x1")
    ctx.check(b.rank >= 2, codes.RANK, f"cdist only supports at least 2D tensors, X2 got: {b.rank}D", arg="x2")
    ctx.check(
        eq(a[-1], b[-1]),
        codes.CDIST_COLUMNS,
        lambda: f"X1 and X2 must have the same number of columns. X1: {dim_text(a[-1])} X2: {dim_text(b[-1])}",
        expected=a[-1],
        actual=b[-1],
        arg="x2",
        axis=-1,
    )
    ctx.check(p >= 0, codes.INVALID_ARGUMENT, "cdist only supports non-negative p values", param="p")
    batch = broadcast(ctx, Shape(a.dims[:-2]), Shape(b.dims[:-2]))
    return Shape(batch.dims + (a[-2], b[-2]))


@op("torch.nn.functional.pdist", "torch.pdist")
def pdist(ctx, input, p=2):
    """[N, M] -> [N*(N-1)//2]: the distance of every pair of rows."""
    x = tensor(input)
    ctx.check(x.rank == 2, codes.RANK, f"pdist only supports 2D tensors, got: {x.rank}D")
    ctx.check(p >= 0, codes.INVALID_ARGUMENT, "pdist only supports non-negative p values", param="p")
    n = x[0]
    return Shape([n * (n - 1) // 2])

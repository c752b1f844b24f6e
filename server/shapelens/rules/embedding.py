"""Lookup tables: nn.Embedding, nn.EmbeddingBag, F.embedding, F.embedding_bag, F.one_hot."""

from __future__ import annotations

from .. import codes
from ..dims import Checker, Lost, Shape, dim_text, eq, ge, gt, lt, ne
from ._common import tensor
from ._registry import INT, layer, op

_shape = tensor  # one_hot's parameter is named ``tensor``, as torch names it


def _check_table(ctx: Checker, num_embeddings, embedding_dim, padding_idx, _weight, message: str) -> None:
    """The checks of Embedding's and EmbeddingBag's constructors, in torch's order."""
    if padding_idx is not None:
        if padding_idx > 0:
            ctx.check(lt(padding_idx, num_embeddings), codes.EMBEDDING_PADDING_IDX, message, param="padding_idx")
        elif padding_idx < 0:
            ctx.check(ge(padding_idx, -num_embeddings), codes.EMBEDDING_PADDING_IDX, message, param="padding_idx")
    if _weight is not None:
        return
    for name, value in (("num_embeddings", num_embeddings), ("embedding_dim", embedding_dim)):
        ctx.check(
            ge(value, 0),
            codes.NEGATIVE_SIZE,
            lambda: (
                f"Trying to create tensor with negative dimension {dim_text(value)}: "
                f"[{dim_text(num_embeddings)}, {dim_text(embedding_dim)}]"
            ),
            param=name,
        )


def _check_embedding(ctx, num_embeddings, embedding_dim, padding_idx=None, _weight=None, **_):
    _check_table(ctx, num_embeddings, embedding_dim, padding_idx, _weight, "Padding_idx must be within num_embeddings")


@layer("torch.nn.Embedding", init=_check_embedding)
def embedding(
    ctx,
    input,
    *,
    num_embeddings,
    embedding_dim,
    padding_idx=None,
    max_norm=None,
    norm_type=2.0,
    scale_grad_by_freq=False,
    sparse=False,
    _weight=None,
    _freeze=False,
    device=None,
    dtype=None,
):
    """[*] -> [*, embedding_dim]: one row of the table per index."""
    return tensor(input).with_last(0, (embedding_dim,))


@op("torch.nn.functional.embedding")
def f_embedding(
    ctx, input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False
):
    """[*] x weight [num_embeddings, embedding_dim] -> [*, embedding_dim]."""
    x, w = tensor(input), tensor(weight, "weight")
    if padding_idx is not None and padding_idx != 0:
        ctx.check(w.rank > 0, codes.RANK, "Dimension specified as 0 but tensor has no dimensions", arg="weight")
        ok = lt(padding_idx, w[0]) if padding_idx > 0 else ge(padding_idx, -w[0])
        ctx.check(ok, codes.EMBEDDING_PADDING_IDX, "Padding_idx must be within num_embeddings", param="padding_idx")
    ctx.check(w.rank == 2, codes.RANK, "'weight' must be 2-D", arg="weight")
    return x.with_last(0, (w[1],))


def _check_embedding_bag(ctx, num_embeddings, embedding_dim, padding_idx=None, _weight=None, **_):
    _check_table(ctx, num_embeddings, embedding_dim, padding_idx, _weight, "padding_idx must be within num_embeddings")


@layer("torch.nn.EmbeddingBag", init=_check_embedding_bag)
def embedding_bag(
    ctx,
    input,
    offsets=None,
    per_sample_weights=None,
    *,
    num_embeddings,
    embedding_dim,
    max_norm=None,
    norm_type=2.0,
    scale_grad_by_freq=False,
    mode="mean",
    sparse=False,
    _weight=None,
    include_last_offset=False,
    padding_idx=None,
    device=None,
    dtype=None,
):
    """[B, L] (or [L] with offsets [B]) -> [B, embedding_dim]: one reduced row per bag."""
    x = tensor(input)
    _check_per_sample_weights(ctx, x, per_sample_weights)
    return _embedding_bag(
        ctx, x, embedding_dim, offsets, per_sample_weights, mode, scale_grad_by_freq, sparse, include_last_offset
    )


@op("torch.nn.functional.embedding_bag")
def f_embedding_bag(
    ctx,
    input,
    weight,
    offsets=None,
    max_norm=None,
    norm_type=2,
    scale_grad_by_freq=False,
    mode="mean",
    sparse=False,
    per_sample_weights=None,
    include_last_offset=False,
    padding_idx=None,
):
    """[B, L] (or [L] with offsets [B]) x weight [num_embeddings, D] -> [B, D]."""
    x, w = tensor(input), tensor(weight, "weight")
    _check_per_sample_weights(ctx, x, per_sample_weights)
    ctx.check(
        w.rank == 2, codes.RANK, f"weight has to be a 2D Tensor, but got Tensor of dimension {w.rank}", arg="weight"
    )
    out = _embedding_bag(
        ctx, x, w[1], offsets, per_sample_weights, mode, scale_grad_by_freq, sparse, include_last_offset
    )
    if padding_idx is not None:
        n = w[0]
        ctx.check(
            lt(padding_idx, n) if padding_idx >= 0 else ge(padding_idx, -n),
            codes.EMBEDDING_PADDING_IDX,
            lambda: (
                f"padding_idx must be within the number of embeddings, -{dim_text(n)} through "
                f"{dim_text(n - 1)}, but got {padding_idx}"
            ),
            param="padding_idx",
        )
    return out


def _check_per_sample_weights(ctx: Checker, x: Shape, weights) -> None:
    """per_sample_weights, when given, has exactly the input's shape."""
    if weights is None:
        return
    w = tensor(weights, "per_sample_weights")

    def message():
        return (
            f"embedding_bag: If per_sample_weights (torch.Size({w})) is not None, then it must have "
            f"the same shape as the input (torch.Size({x}))"
        )

    ctx.check(w.rank == x.rank, codes.EMBEDDING_BAG_WEIGHTS, message, arg="per_sample_weights")
    for axis, (a, b) in enumerate(zip(x.dims, w.dims)):
        ctx.check(
            eq(a, b), codes.EMBEDDING_BAG_WEIGHTS, message, expected=a, actual=b, arg="per_sample_weights", axis=axis
        )


def _embedding_bag(
    ctx: Checker, x: Shape, dim, offsets, per_sample_weights, mode, scale_grad_by_freq, sparse, include_last_offset
) -> Shape:
    """The bags (rows of a 2-D input, or offsets into a 1-D one) and the reduction mode."""
    if x.rank == 2:
        ctx.check(
            offsets is None,
            codes.EMBEDDING_BAG_OFFSETS,
            "if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed "
            "length sequences. However, found offsets of type <class 'torch.Tensor'>",
            arg="offsets",
        )
        ctx.check(ne(x[1], 0), codes.INVALID_ARGUMENT, "step must be nonzero", arg="input", axis=1)
        bags = x[0]
    elif x.rank == 1:
        ctx.check(
            offsets is not None,
            codes.EMBEDDING_BAG_OFFSETS,
            "offsets has to be a 1D Tensor but got None",
            arg="offsets",
        )
        o = tensor(offsets, "offsets")
        ctx.check(o.rank == 1, codes.EMBEDDING_BAG_OFFSETS, "offsets has to be a 1D Tensor", arg="offsets")
        bags = o[0] - 1 if include_last_offset else o[0]
    else:
        ctx.fail(codes.RANK, f"input has to be 1D or 2D Tensor, but got Tensor of dimension {x.rank}")
    ctx.check(
        mode in ("sum", "mean", "max"), codes.INVALID_ARGUMENT, "mode has to be one of sum, mean or max", param="mode"
    )
    if mode == "max":
        ctx.check(
            not scale_grad_by_freq,
            codes.INVALID_ARGUMENT,
            "max mode does not support scaling the gradient by the frequency",
            param="scale_grad_by_freq",
        )
        ctx.check(not sparse, codes.INVALID_ARGUMENT, "max mode does not support sparse weights", param="sparse")
    if per_sample_weights is not None:
        ctx.check(
            mode == "sum",
            codes.INVALID_ARGUMENT,
            lambda: (
                "embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
                "GitHub."
            ),
            param="mode",
        )
    return Shape([bags, dim])


@op("torch.nn.functional.one_hot", dtype=INT)
def one_hot(ctx, tensor, num_classes=-1):
    """[*] -> [*, num_classes]; num_classes=-1 takes max(tensor) + 1, a value (so Lost)."""
    if isinstance(num_classes, int) and num_classes == -1:
        raise Lost("one_hot(num_classes=-1) takes its size from the values of the tensor")
    x = _shape(tensor, "tensor")
    ctx.check(
        gt(num_classes, 0),
        codes.INVALID_ARGUMENT,
        "Class values must be smaller than num_classes.",
        param="num_classes",
    )
    return x.with_last(0, (num_classes,))

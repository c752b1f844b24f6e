"""Loss functions: every torch.nn loss module and its torch.nn.functional counterpart.

``reduction='none'`` keeps the per-element (or per-sample) loss; ``'mean'`` and ``'sum'`` give a
scalar ``[]``. The deprecated ``size_average``/``reduce`` flags, when given, override it as torch
does. Where input and target disagree on a size, a ``loss-target-shape`` failure blames the input
(the model's output): ``expected`` is what the target implies, ``actual`` the input's size.
"""

from __future__ import annotations

from .. import codes
from ..dims import Checker, Lost, Shape, ShapeError, any_of, broadcast, dim_text, eq, ge, gt, is_dim, le, lt, product
from ._common import is_tensor, tensor
from .distance import pairwise_distance_shape
from ._registry import layer, op

# -- reduction --------------------------------------------------------------------------------

_REDUCTIONS = ("none", "mean", "sum")


def _legacy(reduction, size_average, reduce):
    """torch's _Reduction.legacy_get_string: the deprecated flags, when given, decide."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if size_average and reduce:
        return "mean"
    return "sum" if reduce else "none"


def _valid(ctx: Checker, reduction, valid: tuple = _REDUCTIONS, message=None) -> str:
    ctx.check(
        reduction in valid,
        codes.INVALID_ARGUMENT,
        message or (lambda: f"{reduction} is not a valid value for reduction"),
        param="reduction",
    )
    return reduction


def _reduced(loss: Shape, reduction: str) -> Shape:
    return loss if reduction == "none" else Shape(())


# -- how a target (or weight) must fit the input ----------------------------------------------


def _axis(x: Shape, negative: int) -> int:
    return x.rank + negative if x.is_fixed else negative


def _broadcast_target(ctx: Checker, x: Shape, t: Shape, *, target_first: bool = False, arg: str = "input") -> Shape:
    """Input and target broadcast (torch only warns when their shapes differ)."""

    def details(a, b, axis):
        inp, tgt = (b, a) if target_first else (a, b)
        return {"expected": tgt, "actual": inp, "arg": arg, "axis": _axis(x, axis)}

    pair = (t, x) if target_first else (x, t)
    return broadcast(ctx, *pair, code=codes.LOSS_TARGET_SHAPE, details=details)


def _same_shape(ctx: Checker, a: Shape, b: Shape, code: str, message, **details) -> None:
    """``a`` has exactly ``b``'s shape; a failure blames ``a``."""
    ctx.check(a.rank == b.rank, code, message, **details)
    for axis, (x, y) in enumerate(zip(a.dims, b.dims)):
        ctx.check(eq(x, y), code, message, expected=y, actual=x, axis=axis, **details)


def _expand_into(
    ctx: Checker, small: Shape, big: Shape, code: str, mismatch, *, blame_big: bool = False, **details
) -> None:
    """``small`` broadcasts into ``big`` without growing it (torch writes the result in place):
    each axis equals big's or is 1, and there are no extra axes."""
    for i in range(1, min(small.rank, big.rank) + 1):
        s, b = small[-i], big[-i]
        grows = ctx.facts.decide(eq(b, 1))
        where = (
            {"expected": s, "actual": b, "axis": _axis(big, -i)}
            if blame_big
            else {"expected": b, "actual": s, "axis": _axis(small, -i)}
        )
        one = ctx.facts.decide(eq(s, 1))
        ctx.check(
            eq(s, b) if one is False else any_of(eq(s, b), eq(s, 1)),
            code,
            lambda: _grown(small, big) if grows else mismatch(s, b, max(small.rank, big.rank) - i),
            **where,
            **details,
        )
    ctx.check(small.rank <= big.rank, code, lambda: _grown(small, big), **details)


def _grown(small: Shape, big: Shape) -> str:
    n = max(small.rank, big.rank)
    padded = zip((1,) * (n - small.rank) + small.dims, (1,) * (n - big.rank) + big.dims)
    out = Shape([s if b == 1 else b for s, b in padded])
    return f"output with shape {big} doesn't match the broadcast shape {out}"


def _size_message(a, b, i: int) -> str:
    return (
        f"The size of tensor a ({dim_text(a)}) must match the size of tensor b ({dim_text(b)}) at "
        f"non-singleton dimension {i}"
    )


def _without(x: Shape, axis: int) -> Shape:
    return Shape(x.dims[:axis] + x.dims[axis + 1 :])


# -- regression losses: input and target broadcast --------------------------------------------


def _regression(ctx: Checker, input, target, reduction: str, weight=None, kernel=None) -> Shape:
    """L1/MSE/Huber/SmoothL1: broadcast, then the optional weight (exactly input's shape)."""
    x, t = tensor(input), tensor(target, "target")
    out = _broadcast_target(ctx, x, t)
    if weight is not None:
        _same_shape(
            ctx,
            tensor(weight, "weight"),
            x,
            codes.LOSS_WEIGHT_SHAPE,
            "Weights and input must have the same size.",
            arg="weight",
            param="weight",
        )
        if kernel:
            kernel()
        _valid(
            ctx,
            reduction,
            message=lambda: f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.",
        )
    else:
        _valid(ctx, reduction)
        if kernel:
            kernel()
    return _reduced(out, reduction)


@layer("torch.nn.L1Loss")
def l1_loss(ctx, input, target, *, size_average=None, reduce=None, reduction="mean"):
    """[*a], [*b] -> broadcast(a, b) ('none') or []."""
    return _regression(ctx, input, target, _legacy(reduction, size_average, reduce))


@op("torch.nn.functional.l1_loss")
def f_l1_loss(ctx, input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """[*a], [*b] -> broadcast(a, b) ('none') or []; weight has input's shape."""
    return _regression(ctx, input, target, _legacy(reduction, size_average, reduce), weight)


@layer("torch.nn.MSELoss")
def mse_loss(ctx, input, target, *, size_average=None, reduce=None, reduction="mean"):
    """[*a], [*b] -> broadcast(a, b) ('none') or []."""
    return _regression(ctx, input, target, _legacy(reduction, size_average, reduce))


@op("torch.nn.functional.mse_loss")
def f_mse_loss(ctx, input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """[*a], [*b] -> broadcast(a, b) ('none') or []; weight has input's shape."""
    return _regression(ctx, input, target, _legacy(reduction, size_average, reduce), weight)


def _huber(ctx: Checker, input, target, reduction, delta, weight=None) -> Shape:
    def kernel():
        ctx.check(
            delta > 0,
            codes.INVALID_ARGUMENT,
            "huber_loss does not support non-positive values for delta.",
            param="delta",
        )

    return _regression(ctx, input, target, reduction, weight, kernel)


@layer("torch.nn.HuberLoss")
def huber_loss(ctx, input, target, *, reduction="mean", delta=1.0):
    """[*a], [*b] -> broadcast(a, b) ('none') or []."""
    return _huber(ctx, input, target, reduction, delta)


@op("torch.nn.functional.huber_loss")
def f_huber_loss(ctx, input, target, reduction="mean", delta=1.0, weight=None):
    """[*a], [*b] -> broadcast(a, b) ('none') or []; weight has input's shape."""
    return _huber(ctx, input, target, reduction, delta, weight)


def _smooth_l1(ctx: Checker, input, target, reduction, beta) -> Shape:
    def kernel():
        if beta != 0:  # beta == 0 is l1_loss
            ctx.check(
                beta >= 0,
                codes.INVALID_ARGUMENT,
                "smooth_l1_loss does not support negative values for beta.",
                param="beta",
            )

    return _regression(ctx, input, target, reduction, kernel=kernel)


@layer("torch.nn.SmoothL1Loss")
def smooth_l1_loss(ctx, input, target, *, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """[*a], [*b] -> broadcast(a, b) ('none') or []."""
    return _smooth_l1(ctx, input, target, _legacy(reduction, size_average, reduce), beta)


@op("torch.nn.functional.smooth_l1_loss")
def f_smooth_l1_loss(ctx, input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """[*a], [*b] -> broadcast(a, b) ('none') or []."""
    return _smooth_l1(ctx, input, target, _legacy(reduction, size_average, reduce), beta)


def _kl_div(ctx: Checker, input, target, reduction, size_average, reduce) -> Shape:
    """'batchmean' is also valid; the target broadcasts with the input."""
    x, t = tensor(input), tensor(target, "target")
    if size_average is None and reduce is None:
        _valid(ctx, reduction, _REDUCTIONS + ("batchmean",))
    reduction = _legacy(reduction, size_average, reduce)
    return _reduced(_broadcast_target(ctx, x, t, target_first=True), reduction)


@layer("torch.nn.KLDivLoss")
def kl_div_loss(ctx, input, target, *, size_average=None, reduce=None, reduction="mean", log_target=False):
    """[*a], [*b] -> broadcast(a, b) ('none') or []."""
    return _kl_div(ctx, input, target, reduction, size_average, reduce)


@op("torch.nn.functional.kl_div")
def f_kl_div(ctx, input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """[*a], [*b] -> broadcast(a, b) ('none') or []."""
    return _kl_div(ctx, input, target, reduction, size_average, reduce)


def _poisson_nll(ctx: Checker, input, target, reduction) -> Shape:
    x, t = tensor(input), tensor(target, "target")
    _valid(ctx, reduction)
    return _reduced(_broadcast_target(ctx, x, t, target_first=True), reduction)


@layer("torch.nn.PoissonNLLLoss")
def poisson_nll_loss(
    ctx, input, target, *, log_input=True, full=False, size_average=None, eps=1e-08, reduce=None, reduction="mean"
):
    """[*a], [*b] -> broadcast(a, b) ('none') or []. (forward's first parameter is log_input in torch.)"""
    return _poisson_nll(ctx, input, target, _legacy(reduction, size_average, reduce))


@op("torch.nn.functional.poisson_nll_loss")
def f_poisson_nll_loss(
    ctx, input, target, log_input=True, full=False, size_average=None, eps=1e-08, reduce=None, reduction="mean"
):
    """[*a], [*b] -> broadcast(a, b) ('none') or []."""
    return _poisson_nll(ctx, input, target, _legacy(reduction, size_average, reduce))


def _gaussian_nll(ctx: Checker, input, target, var, reduction) -> Shape:
    """var is input's shape, or input's without the last axis, or input's with one axis 1."""
    x, t = tensor(input), tensor(target, "target")
    if is_tensor(var):
        v = _gaussian_var(ctx, x, var)
    elif isinstance(var, (int, float)):
        ctx.check(var >= 0, codes.INVALID_ARGUMENT, "var has negative entry/entries", param="var")
        v = x
    else:
        raise Lost("var is neither a tensor nor a number")
    _valid(ctx, reduction, message=lambda: f"{reduction} is not valid")
    diff = _broadcast_target(ctx, x, t)
    return _reduced(broadcast(ctx, v, broadcast(ctx, diff, v)), reduction)


def _gaussian_var(ctx: Checker, x: Shape, v: Shape) -> Shape:
    """torch's three accepted var shapes, decided on the sizes (Lost where that needs unknown ones)."""
    if v.rank == x.rank - 1:
        if _decide_same(ctx, x.dims[:-1], v.dims):
            return Shape(v.dims + (1,))
    elif v.rank == x.rank:
        same = [ctx.facts.decide(eq(a, b)) for a, b in zip(x.dims, v.dims)]
        ones = [i for i, s in enumerate(same) if not s and ctx.facts.decide(eq(v[i], 1))]
        if all(same) or (len(ones) == 1 and all(s or i in ones for i, s in enumerate(same))):
            return v  # one var axis of 1 is accepted whether or not input's is 1 there
        differing = [b for a, b in zip(x.dims, v.dims) if not ctx.decide(eq(a, b))]
        if ctx.decide(eq(sum(differing[1:], differing[0]), 1)):
            return v
    ctx.fail(codes.LOSS_WEIGHT_SHAPE, "var is of incorrect size", arg="var")


def _decide_same(ctx: Checker, a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(ctx.decide(eq(x, y)) for x, y in zip(a, b))


@layer("torch.nn.GaussianNLLLoss")
def gaussian_nll_loss(ctx, input, target, var, *, full=False, eps=1e-06, reduction="mean"):
    """[*a], [*b], var -> broadcast(a, b, var) ('none') or []."""
    return _gaussian_nll(ctx, input, target, var, reduction)


@op("torch.nn.functional.gaussian_nll_loss")
def f_gaussian_nll_loss(ctx, input, target, var, full=False, eps=1e-06, reduction="mean"):
    """[*a], [*b], var -> broadcast(a, b, var) ('none') or []."""
    return _gaussian_nll(ctx, input, target, var, reduction)


# -- binary classification: target has input's shape ------------------------------------------


def _binary_cross_entropy(ctx: Checker, input, target, weight, reduction) -> Shape:
    x, t = tensor(input), tensor(target, "target")
    _valid(ctx, reduction)
    _same_shape(
        ctx,
        x,
        t,
        codes.LOSS_TARGET_SHAPE,
        lambda: (
            f"Using a target size (torch.Size({t})) that is different to the input size "
            f"(torch.Size({x})) is deprecated. Please ensure they have the same size."
        ),
        arg="input",
    )
    if weight is not None:
        w = tensor(weight, "weight")
        _expand_into(
            ctx,
            w,
            x,
            codes.LOSS_WEIGHT_SHAPE,
            lambda s, b, i: (
                f"Attempting to broadcast a dimension of length {dim_text(s)} at "
                f"{i - max(w.rank, x.rank)}! Mismatching argument at index 1 had "
                f"torch.Size({w}); but expected shape should be broadcastable to {x}"
            ),
            arg="weight",
            param="weight",
        )
    return _reduced(x, reduction)


@layer("torch.nn.BCELoss")
def bce_loss(ctx, input, target, *, weight=None, size_average=None, reduce=None, reduction="mean"):
    """[*], [*] -> [*] ('none') or []; weight broadcasts to the input."""
    return _binary_cross_entropy(ctx, input, target, weight, _legacy(reduction, size_average, reduce))


@op("torch.nn.functional.binary_cross_entropy")
def f_binary_cross_entropy(ctx, input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """[*], [*] -> [*] ('none') or []; weight broadcasts to the input."""
    return _binary_cross_entropy(ctx, input, target, weight, _legacy(reduction, size_average, reduce))


def _bce_with_logits(ctx: Checker, input, target, weight, reduction, pos_weight) -> Shape:
    x, t = tensor(input), tensor(target, "target")
    _valid(ctx, reduction)
    _same_shape(
        ctx,
        x,
        t,
        codes.LOSS_TARGET_SHAPE,
        lambda: f"Target size (torch.Size({t})) must be the same as input size (torch.Size({x}))",
        arg="input",
    )
    if pos_weight is not None:
        _expand_into(
            ctx,
            tensor(pos_weight, "pos_weight"),
            t,
            codes.LOSS_WEIGHT_SHAPE,
            lambda s, b, i: _size_message(s, b, i),
            arg="pos_weight",
            param="pos_weight",
        )
    if weight is not None:
        _expand_into(
            ctx,
            tensor(weight, "weight"),
            x,
            codes.LOSS_WEIGHT_SHAPE,
            lambda s, b, i: _size_message(b, s, i),
            arg="weight",
            param="weight",
        )
    return _reduced(x, reduction)


@layer("torch.nn.BCEWithLogitsLoss")
def bce_with_logits_loss(
    ctx, input, target, *, weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None
):
    """[*], [*] -> [*] ('none') or []; weight and pos_weight broadcast to the input."""
    return _bce_with_logits(ctx, input, target, weight, _legacy(reduction, size_average, reduce), pos_weight)


@op("torch.nn.functional.binary_cross_entropy_with_logits")
def f_binary_cross_entropy_with_logits(
    ctx, input, target, weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None
):
    """[*], [*] -> [*] ('none') or []; weight and pos_weight broadcast to the input."""
    return _bce_with_logits(ctx, input, target, weight, _legacy(reduction, size_average, reduce), pos_weight)


def _soft_margin(ctx: Checker, input, target, reduction) -> Shape:
    """The target broadcasts into the input's shape (the loss is written in place)."""
    x, t = tensor(input), tensor(target, "target")
    _valid(ctx, reduction)
    _expand_into(
        ctx, t, x, codes.LOSS_TARGET_SHAPE, lambda s, b, i: _size_message(b, s, i), blame_big=True, arg="input"
    )
    return _reduced(x, reduction)


@layer("torch.nn.SoftMarginLoss")
def soft_margin_loss(ctx, input, target, *, size_average=None, reduce=None, reduction="mean"):
    """[*], [*] -> [*] ('none') or []; the target broadcasts to the input."""
    return _soft_margin(ctx, input, target, _legacy(reduction, size_average, reduce))


@op("torch.nn.functional.soft_margin_loss")
def f_soft_margin_loss(ctx, input, target, size_average=None, reduce=None, reduction="mean"):
    """[*], [*] -> [*] ('none') or []; the target broadcasts to the input."""
    return _soft_margin(ctx, input, target, _legacy(reduction, size_average, reduce))


def _hinge_embedding(ctx: Checker, input, target, reduction) -> Shape:
    x, t = tensor(input), tensor(target, "target")
    _valid(ctx, reduction)
    return _reduced(_broadcast_target(ctx, x, t, target_first=True), reduction)


@layer("torch.nn.HingeEmbeddingLoss")
def hinge_embedding_loss(ctx, input, target, *, margin=1.0, size_average=None, reduce=None, reduction="mean"):
    """[*a], [*b] -> broadcast(a, b) ('none') or []."""
    return _hinge_embedding(ctx, input, target, _legacy(reduction, size_average, reduce))


@op("torch.nn.functional.hinge_embedding_loss")
def f_hinge_embedding_loss(ctx, input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"):
    """[*a], [*b] -> broadcast(a, b) ('none') or []."""
    return _hinge_embedding(ctx, input, target, _legacy(reduction, size_average, reduce))


def _margin_ranking(ctx: Checker, input1, input2, target, reduction) -> Shape:
    """The three tensors have one rank, and broadcast."""
    x1, x2, t = tensor(input1, "input1"), tensor(input2, "input2"), tensor(target, "target")
    _valid(ctx, reduction)
    ctx.check(
        x1.rank == x2.rank and x1.rank == t.rank,
        codes.RANK,
        lambda: (
            f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: torch.Size({x1}), input2: torch.Size({x2}), target: torch.Size({t}) "
        ),
    )
    diff = broadcast(
        ctx, x1, x2, details=lambda a, b, axis: {"expected": a, "actual": b, "arg": "input2", "axis": _axis(x2, axis)}
    )
    return _reduced(_broadcast_target(ctx, diff, t, target_first=True, arg="input1"), reduction)


@layer("torch.nn.MarginRankingLoss")
def margin_ranking_loss(ctx, input1, input2, target, *, margin=0.0, size_average=None, reduce=None, reduction="mean"):
    """[*], [*], [*] (one rank, broadcast) -> [*] ('none') or []."""
    return _margin_ranking(ctx, input1, input2, target, _legacy(reduction, size_average, reduce))


@op("torch.nn.functional.margin_ranking_loss")
def f_margin_ranking_loss(ctx, input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    """[*], [*], [*] (one rank, broadcast) -> [*] ('none') or []."""
    return _margin_ranking(ctx, input1, input2, target, _legacy(reduction, size_average, reduce))


def _cosine_embedding(ctx: Checker, input1, input2, target, reduction) -> Shape:
    """[N, D] pairs with target [N], or [D] pairs with target []."""
    x1, x2, t = tensor(input1, "input1"), tensor(input2, "input2"), tensor(target, "target")
    _valid(ctx, reduction)
    ctx.check(t.rank <= 1, codes.RANK, "0D or 1D target tensor expected, multi-target not supported", arg="target")
    ctx.check(
        x1.rank == t.rank + 1 and x2.rank == t.rank + 1,
        codes.RANK,
        f"{t.rank}D target tensor expects {t.rank + 1}D input tensors, but found inputs with sizes {x1} and {x2}.",
    )
    prod = broadcast(
        ctx, x1, x2, details=lambda a, b, axis: {"expected": a, "actual": b, "arg": "input2", "axis": _axis(x2, axis)}
    )
    cos = _without(prod, t.rank)
    return _reduced(_broadcast_target(ctx, cos, t, target_first=True, arg="input1"), reduction)


@layer("torch.nn.CosineEmbeddingLoss")
def cosine_embedding_loss(ctx, input1, input2, target, *, margin=0.0, size_average=None, reduce=None, reduction="mean"):
    """[N, D], [N, D], [N] -> [N] ('none') or [] (unbatched: [D], [D], [])."""
    return _cosine_embedding(ctx, input1, input2, target, _legacy(reduction, size_average, reduce))


@op("torch.nn.functional.cosine_embedding_loss")
def f_cosine_embedding_loss(ctx, input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    """[N, D], [N, D], [N] -> [N] ('none') or [] (unbatched: [D], [D], [])."""
    return _cosine_embedding(ctx, input1, input2, target, _legacy(reduction, size_average, reduce))


# -- multi-class and multi-label margins ------------------------------------------------------


def _check_vector_or_matrix(ctx: Checker, x: Shape) -> None:
    ctx.check(
        x.rank <= 2, codes.RANK, f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: {x}"
    )
    if x.rank:
        ctx.check(
            gt(x[-1], 0),
            codes.RANK,
            f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: {x}",
            arg="input",
            axis=x.rank - 1,
        )


def _multilabel_margin(ctx: Checker, input, target, reduction) -> Shape:
    """[C] or [N, C] scores, and a target of the same shape (class indices, -1 terminated)."""
    x, t = tensor(input), tensor(target, "target")
    _valid(ctx, reduction)
    _check_vector_or_matrix(ctx, x)

    def message():
        return f"inconsistent target size: {t} for input of size: {x}"

    if x.rank <= 1:
        ctx.check(t.rank <= 1, codes.LOSS_TARGET_SHAPE, message, arg="target")
        classes = x[0] if x.rank else 1
        ctx.check(
            eq(product(t.dims), classes),
            codes.LOSS_TARGET_SHAPE,
            message,
            expected=product(t.dims),
            actual=classes,
            arg="input",
            axis=0 if x.rank else None,
        )
        return Shape(())
    _same_shape(ctx, x, t, codes.LOSS_TARGET_SHAPE, message, arg="input")
    return _reduced(Shape([x[0]]), reduction)


@layer("torch.nn.MultiLabelMarginLoss")
def multilabel_margin_loss(ctx, input, target, *, size_average=None, reduce=None, reduction="mean"):
    """[N, C], [N, C] -> [N] ('none') or []; unbatched [C], [C] -> []."""
    return _multilabel_margin(ctx, input, target, _legacy(reduction, size_average, reduce))


@op("torch.nn.functional.multilabel_margin_loss")
def f_multilabel_margin_loss(ctx, input, target, size_average=None, reduce=None, reduction="mean"):
    """[N, C], [N, C] -> [N] ('none') or []; unbatched [C], [C] -> []."""
    return _multilabel_margin(ctx, input, target, _legacy(reduction, size_average, reduce))


def _multilabel_soft_margin(ctx: Checker, input, target, weight, reduction) -> Shape:
    """The loss broadcasts input, target (and weight), then sums input's last axis away."""
    x, t = tensor(input), tensor(target, "target")
    loss = _broadcast_target(ctx, x, t, target_first=True)
    if weight is not None:
        w = tensor(weight, "weight")
        loss = broadcast(
            ctx,
            loss,
            w,
            code=codes.LOSS_WEIGHT_SHAPE,
            details=lambda a, b, axis: {
                "expected": a,
                "actual": b,
                "arg": "weight",
                "param": "weight",
                "axis": _axis(w, axis),
            },
        )
    ctx.check(x.rank > 0, codes.RANK, "Dimension specified as -1 but tensor has no dimensions")
    loss = _without(loss, x.rank - 1)
    _valid(ctx, reduction, message=lambda: f"{reduction} is not valid")
    return _reduced(loss, reduction)


@layer("torch.nn.MultiLabelSoftMarginLoss")
def multilabel_soft_margin_loss(ctx, input, target, *, weight=None, size_average=None, reduce=None, reduction="mean"):
    """[N, C], [N, C] -> [N] ('none') or []; target and weight broadcast."""
    return _multilabel_soft_margin(ctx, input, target, weight, _legacy(reduction, size_average, reduce))


@op("torch.nn.functional.multilabel_soft_margin_loss")
def f_multilabel_soft_margin_loss(ctx, input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """[N, C], [N, C] -> [N] ('none') or []; target and weight broadcast."""
    return _multilabel_soft_margin(ctx, input, target, weight, _legacy(reduction, size_average, reduce))


def _check_multi_margin(ctx: Checker, p, weight, message) -> None:
    ctx.check(p in (1, 2), codes.INVALID_ARGUMENT, "only p == 1 and p == 2 supported", param="p")
    if weight is not None:
        w = tensor(weight, "weight")
        ctx.check(w.rank == 1, codes.LOSS_WEIGHT_SHAPE, message(w), arg="weight", param="weight")


def _multi_margin(ctx: Checker, input, target, weight, reduction) -> Shape:
    """[C] or [N, C] scores, class indices [N] (or [] / [1] unbatched), weight [C]."""
    x, t = tensor(input), tensor(target, "target")
    _check_vector_or_matrix(ctx, x)
    samples = x[0] if x.rank == 2 else 1
    classes = x[-1] if x.rank else 1
    ctx.check(t.rank <= 1, codes.LOSS_TARGET_SHAPE, lambda: _multi_margin_target(samples, t, x), arg="target")
    ctx.check(
        eq(product(t.dims), samples),
        codes.LOSS_TARGET_SHAPE,
        lambda: _multi_margin_target(samples, t, x),
        expected=samples,
        actual=product(t.dims),
        arg="target",
        axis=0,
    )
    if weight is not None:
        w = tensor(weight, "weight")
        ctx.check(
            eq(product(w.dims), classes),
            codes.LOSS_WEIGHT_SHAPE,
            lambda: f"inconsistent weight size, expected {dim_text(classes)} but got {w}",
            expected=classes,
            actual=product(w.dims),
            arg="weight",
            param="weight",
        )
    return _reduced(Shape([samples]) if t.rank else Shape(()), reduction)


def _multi_margin_target(samples, t: Shape, x: Shape) -> str:
    return (
        "multi_margin_loss: target tensor should be 1-D with size equal to the number of input samples "
        f"(batch size). Expected target size [{dim_text(samples)}], but got {t}. Input has shape {x}."
    )


def _check_multi_margin_layer(ctx, p=1, margin=1.0, weight=None, **_):
    _check_multi_margin(
        ctx, p, weight, lambda w: f"MultiMarginLoss: expected weight to be None or 1D tensor, got {w.rank}D instead"
    )


@layer("torch.nn.MultiMarginLoss", init=_check_multi_margin_layer)
def multi_margin_loss(
    ctx, input, target, *, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction="mean"
):
    """[N, C], [N] -> [N] ('none') or []; unbatched [C], [] -> []."""
    reduction = _valid(ctx, _legacy(reduction, size_average, reduce))
    return _multi_margin(ctx, input, target, weight, reduction)


@op("torch.nn.functional.multi_margin_loss")
def f_multi_margin_loss(
    ctx, input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction="mean"
):
    """[N, C], [N] -> [N] ('none') or []; unbatched [C], [] -> []."""
    reduction = _valid(ctx, _legacy(reduction, size_average, reduce))
    _check_multi_margin(ctx, p, weight, lambda w: "weight must be one-dimensional")
    return _multi_margin(ctx, input, target, weight, reduction)


# -- triplets ---------------------------------------------------------------------------------


def _check_margin(ctx: Checker, margin, message) -> None:
    ctx.check(margin > 0, codes.INVALID_ARGUMENT, message, param="margin")


def _triplet(ctx: Checker, anchor, positive, negative, swap, distance) -> Shape:
    """One rank for the three; the loss broadcasts the anchor-positive and anchor-negative distances."""
    a, p, n = tensor(anchor, "anchor"), tensor(positive, "positive"), tensor(negative, "negative")
    ctx.check(
        a.rank == p.rank and p.rank == n.rank,
        codes.RANK,
        f"The anchor, positive, and negative tensors are expected to have the same number of dimensions, "
        f"but got: anchor {a.rank}D, positive {p.rank}D, and negative {n.rank}D inputs",
    )
    d_pos = tensor(distance(ctx, a, p), "distance")
    d_neg = tensor(distance(ctx, a, n), "distance")
    if swap:
        d_neg = broadcast(ctx, d_neg, tensor(distance(ctx, p, n), "distance"))
    return broadcast(ctx, d_pos, d_neg)


def _check_triplet_margin(ctx, margin=1.0, **_):
    _check_margin(ctx, margin, f"TripletMarginLoss: expected margin to be greater than 0, got {margin} instead")


@layer("torch.nn.TripletMarginLoss", init=_check_triplet_margin)
def triplet_margin_loss(
    ctx,
    anchor,
    positive,
    negative,
    *,
    margin=1.0,
    p=2.0,
    eps=1e-06,
    swap=False,
    size_average=None,
    reduce=None,
    reduction="mean",
):
    """[N, D] x 3 -> [N] ('none') or []; the three broadcast."""
    reduction = _valid(ctx, _legacy(reduction, size_average, reduce))
    return _reduced(_triplet(ctx, anchor, positive, negative, swap, pairwise_distance_shape), reduction)


@op("torch.nn.functional.triplet_margin_loss")
def f_triplet_margin_loss(
    ctx,
    anchor,
    positive,
    negative,
    margin=1.0,
    p=2,
    eps=1e-06,
    swap=False,
    size_average=None,
    reduce=None,
    reduction="mean",
):
    """[N, D] x 3 -> [N] ('none') or []; the three broadcast."""
    reduction = _valid(ctx, _legacy(reduction, size_average, reduce))
    _check_margin(ctx, margin, f"margin must be greater than 0, got {margin}")
    return _reduced(_triplet(ctx, anchor, positive, negative, swap, pairwise_distance_shape), reduction)


def _check_triplet_with_distance(ctx, distance_function=None, margin=1.0, **_):
    _check_margin(
        ctx, margin, f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, got {margin} instead"
    )


def _triplet_with_distance(
    ctx: Checker, anchor, positive, negative, distance_function, margin, swap, reduction
) -> Shape:
    """The distance function (a layer the analysis built, or pairwise_distance) gives the distances."""
    _valid(ctx, reduction)
    _check_margin(ctx, margin, f"margin must be greater than 0, got {margin}")
    distance = pairwise_distance_shape if distance_function is None else distance_function
    return _reduced(_triplet(ctx, anchor, positive, negative, swap, distance), reduction)


@layer("torch.nn.TripletMarginWithDistanceLoss", init=_check_triplet_with_distance)
def triplet_margin_with_distance_loss(
    ctx, anchor, positive, negative, *, distance_function=None, margin=1.0, swap=False, reduction="mean"
):
    """[N, D] x 3 -> [N] ('none') or [] with pairwise_distance; else what distance_function gives."""
    return _triplet_with_distance(ctx, anchor, positive, negative, distance_function, margin, swap, reduction)


@op("torch.nn.functional.triplet_margin_with_distance_loss")
def f_triplet_margin_with_distance_loss(
    ctx, anchor, positive, negative, *, distance_function=None, margin=1.0, swap=False, reduction="mean"
):
    """[N, D] x 3 -> [N] ('none') or [] with pairwise_distance; else what distance_function gives."""
    return _triplet_with_distance(ctx, anchor, positive, negative, distance_function, margin, swap, reduction)


# -- connectionist temporal classification ----------------------------------------------------

_CTC = " (while checking arguments for ctc_loss_allocate_outputs)"


def _lengths(value, name: str):
    """A lengths argument: its count, and its values where they are sizes (a list of dims)."""
    if isinstance(value, Shape):
        return product(value.dims), None
    if isinstance(value, (list, tuple)):
        return len(value), list(value) if all(is_dim(v) for v in value) else None
    raise Lost(f"{name} is neither a tensor nor a list of lengths")


def _ctc(ctx: Checker, log_probs, targets, input_lengths, target_lengths, blank, reduction) -> Shape:
    """log_probs [T, N, C] (or [T, C]), targets [N, S] or concatenated [sum(target_lengths)]."""
    lp, tg = tensor(log_probs, "log_probs"), tensor(targets, "targets")
    _valid(ctx, reduction)
    batched = lp.rank == 3
    ctx.check(
        lp.rank > 0,
        codes.RANK,
        "Dimension out of range (expected to be in range of [-1, 0], but got 1)",
        arg="log_probs",
    )
    ctx.check(gt(product(lp.dims), 0), codes.RANK, "log_probs tensor must not be empty", arg="log_probs")
    rank = lp.rank if batched else lp.rank + 1
    ctx.check(
        rank == 3,
        codes.RANK,
        f"Expected 3-dimensional tensor, but got {rank}-dimensional tensor for argument #1 'log_probs'{_CTC}",
        arg="log_probs",
    )
    ctx.check(
        1 <= tg.rank <= 2,
        codes.RANK,
        f"Expected 1 to 2 dimensions, but got {tg.rank}-dimensional tensor for argument #2 'targets'{_CTC}",
        arg="targets",
    )
    steps, batch, labels = (lp[0], lp[1], lp[2]) if batched else (lp[0], 1, lp[1])
    ctx.check(blank >= 0, codes.INVALID_ARGUMENT, "blank must be in label range", param="blank")
    ctx.check(
        lt(blank, labels),
        codes.INVALID_ARGUMENT,
        "blank must be in label range",
        param="blank",
        expected=labels,
        actual=blank,
    )
    n_in, in_values = _lengths(input_lengths, "input_lengths")
    n_tg, tg_values = _lengths(target_lengths, "target_lengths")
    ctx.check(
        eq(n_in, batch),
        codes.CTC_LENGTHS,
        "input_lengths must be of size batch_size",
        expected=batch,
        actual=n_in,
        arg="input_lengths",
    )
    ctx.check(
        eq(n_tg, batch),
        codes.CTC_LENGTHS,
        "target_lengths must be of size batch_size",
        expected=batch,
        actual=n_tg,
        arg="target_lengths",
    )
    if tg.rank == 1:
        if tg_values is not None:
            total = sum(tg_values[1:], tg_values[0]) if tg_values else 0
            ctx.check(
                eq(tg[0], total),
                codes.LOSS_TARGET_SHAPE,
                lambda: (
                    f"Expected tensor to have size {dim_text(total)} at dimension 0, but got size "
                    f"{dim_text(tg[0])} for argument #2 'targets'{_CTC}"
                ),
                expected=total,
                actual=tg[0],
                arg="targets",
                axis=0,
            )
    else:
        ctx.check(
            eq(tg[0], batch),
            codes.LOSS_TARGET_SHAPE,
            lambda: (
                f"Expected tensor to have size {dim_text(batch)} at dimension 0, but got size "
                f"{dim_text(tg[0])} for argument #2 'targets'{_CTC}"
            ),
            expected=batch,
            actual=tg[0],
            arg="targets",
            axis=0,
        )
        for length in tg_values or ():
            ctx.check(
                ge(tg[1], length),
                codes.LOSS_TARGET_SHAPE,
                lambda: (
                    f"Expected tensor to have size at least {dim_text(length)} at dimension 1, but got "
                    f"size {dim_text(tg[1])} for argument #2 'targets'{_CTC}"
                ),
                expected=length,
                actual=tg[1],
                arg="targets",
                axis=1,
            )
    for length in in_values or ():
        ctx.check(
            le(length, steps),
            codes.CTC_LENGTHS,
            lambda: (
                f"Expected input_lengths to have value at most {dim_text(steps)}, but got value "
                f"{dim_text(length)}{_CTC}"
            ),
            expected=steps,
            actual=length,
            arg="input_lengths",
        )
    return _reduced(Shape([batch]) if batched else Shape(()), reduction)


@layer("torch.nn.CTCLoss")
def ctc_loss(ctx, log_probs, targets, input_lengths, target_lengths, *, blank=0, reduction="mean", zero_infinity=False):
    """[T, N, C], [N, S], [N], [N] -> [N] ('none') or []; unbatched [T, C] -> []."""
    return _ctc(ctx, log_probs, targets, input_lengths, target_lengths, blank, reduction)


@op("torch.nn.functional.ctc_loss")
def f_ctc_loss(ctx, log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean", zero_infinity=False):
    """[T, N, C], [N, S], [N], [N] -> [N] ('none') or []; unbatched [T, C] -> []."""
    return _ctc(ctx, log_probs, targets, input_lengths, target_lengths, blank, reduction)


# -- class indices or class probabilities -----------------------------------------------------


def _nll_nd(ctx: Checker, x: Shape, t: Shape, weight, reduction: str) -> Shape:
    """nll_loss_nd: scores [C] or [N, C, *d] and class indices [] or [N, *d]."""
    ctx.check(x.rank >= 1, codes.RANK, f"Expected 1 or more dimensions (got {x.rank})")
    w = None if weight is None else tensor(weight, "weight")
    if x.rank != 1:
        batch = t[0] if t.rank else 0
        ctx.check(
            eq(x[0], batch),
            codes.LOSS_TARGET_SHAPE,
            lambda: f"Expected input batch_size ({dim_text(x[0])}) to match target batch_size ({dim_text(batch)}).",
            expected=batch,
            actual=x[0],
            arg="input",
            axis=0,
        )
    if x.rank <= 2:
        ctx.check(t.rank <= 1, codes.RANK, "0D or 1D target tensor expected, multi-target not supported", arg="target")
        if x.rank == 1 and t.rank == 1:
            ctx.check(
                eq(t[0], 1),
                codes.LOSS_TARGET_SHAPE,
                lambda: f"For 1D input, 1D target must have size 1, but got target size: {dim_text(t[0])}",
                expected=1,
                actual=t[0],
                arg="target",
                axis=0,
            )
        if w is not None:
            classes = x[-1]

            def message():
                return (
                    f"weight tensor should be defined either for all {dim_text(classes)} classes or no "
                    f"classes but got weight tensor of shape: {w}"
                )

            ctx.check(w.rank == 1, codes.LOSS_WEIGHT_SHAPE, message, arg="weight", param="weight")
            ctx.check(
                eq(w[0], classes),
                codes.LOSS_WEIGHT_SHAPE,
                message,
                expected=classes,
                actual=w[0],
                arg="weight",
                param="weight",
                axis=0,
            )
        return _reduced(Shape([x[0]]) if x.rank == 2 else Shape(()), reduction)
    if x.rank == 4:
        ctx.check(
            t.rank == 3,
            codes.RANK,
            f"only batches of spatial targets supported (3D tensors) but got targets of dimension: {t.rank}",
            arg="target",
        )
        _check_classes_weight(ctx, w, x[1])
        for i in (1, 2):
            ctx.check(
                eq(x[i + 1], t[i]),
                codes.LOSS_TARGET_SHAPE,
                lambda: f"size mismatch (got input: {x} , target: {t}",
                expected=t[i],
                actual=x[i + 1],
                arg="input",
                axis=i + 1,
            )
    else:

        def message():
            return f"Expected target size {Shape((x[0],) + x.dims[2:])}, got {t}"

        ctx.check(t.rank == x.rank - 1, codes.LOSS_TARGET_SHAPE, message, arg="target")
        for i in range(1, t.rank):
            ctx.check(
                eq(x[i + 1], t[i]),
                codes.LOSS_TARGET_SHAPE,
                message,
                expected=t[i],
                actual=x[i + 1],
                arg="input",
                axis=i + 1,
            )
        _check_classes_weight(ctx, w, x[1])
    return _reduced(Shape((x[0],) + x.dims[2:]), reduction)


def _check_classes_weight(ctx: Checker, w, classes) -> None:
    if w is not None:
        ctx.check(
            eq(product(w.dims), classes),
            codes.LOSS_WEIGHT_SHAPE,
            "weight tensor should be defined either for all or no classes",
            expected=classes,
            actual=product(w.dims),
            arg="weight",
            param="weight",
        )


@layer("torch.nn.NLLLoss")
def nll_loss(ctx, input, target, *, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """[N, C, *d], [N, *d] -> [N, *d] ('none') or []; unbatched [C], [] -> []."""
    reduction = _valid(ctx, _legacy(reduction, size_average, reduce))
    return _nll_nd(ctx, tensor(input), tensor(target, "target"), weight, reduction)


@op("torch.nn.functional.nll_loss")
def f_nll_loss(ctx, input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """[N, C, *d], [N, *d] -> [N, *d] ('none') or []; unbatched [C], [] -> []."""
    reduction = _valid(ctx, _legacy(reduction, size_average, reduce))
    return _nll_nd(ctx, tensor(input), tensor(target, "target"), weight, reduction)


def _cross_entropy(ctx: Checker, input, target, weight, ignore_index, reduction, label_smoothing) -> Shape:
    """A target of input's shape holds class probabilities, any other class indices (nll_loss_nd)."""
    x, t = tensor(input), tensor(target, "target")
    reduction = _valid(ctx, reduction)
    if x.rank == 0:
        ctx.fail(
            codes.RANK,
            "Dimension specified as 1 but tensor has no dimensions"
            if t.rank == 0
            else "Dimension out of range (expected to be in range of [-1, 0], but got 1)",
        )
    if x.rank != t.rank:
        return _class_indices(ctx, x, t, weight, reduction, label_smoothing)
    if x.rank == 1:
        ctx.check(
            any_of(eq(t[0], x[0]), eq(t[0], 1)),
            codes.LOSS_TARGET_SHAPE,
            lambda: f"For 1D input, 1D target must have size 1, but got target size: {dim_text(t[0])}",
            expected=x[0],
            actual=t[0],
            arg="target",
            axis=0,
        )
        if (ignore_index >= 0 or label_smoothing > 0) and not ctx.decide(eq(t[0], x[0])):
            return _class_indices(ctx, x, t, weight, reduction, label_smoothing)
    else:
        for axis, (a, b) in enumerate(zip(x.dims, t.dims)):
            ctx.check(
                eq(a, b),
                codes.LOSS_TARGET_SHAPE,
                lambda: _index_path_error(ctx, x, t),
                expected=b,
                actual=a,
                arg="input",
                axis=axis,
            )
    return _class_probabilities(ctx, x, weight, ignore_index, reduction, label_smoothing)


def _index_path_error(ctx: Checker, x: Shape, t: Shape) -> str:
    """What torch says of a target of input's rank but not its shape (it reads it as class indices)."""
    try:
        _nll_nd(Checker(ctx.facts), x, t, None, "none")
    except ShapeError as exc:
        return exc.message
    return f"target {t} does not match input {x}"


def _class_probabilities(ctx: Checker, x: Shape, weight, ignore_index, reduction, label_smoothing) -> Shape:
    classes = x[0] if x.rank == 1 else x[1]
    ctx.check(
        ignore_index < 0,
        codes.INVALID_ARGUMENT,
        "ignore_index is not supported for floating point target",
        param="ignore_index",
    )
    if weight is not None:
        w = tensor(weight, "weight")

        def message():
            return (
                f"cross_entropy: weight tensor should be defined either for all {dim_text(classes)} classes "
                f"or no classes but got weight tensor of shape: {w}"
            )

        ctx.check(w.rank == 1, codes.LOSS_WEIGHT_SHAPE, message, arg="weight", param="weight")
        ctx.check(
            eq(w[0], classes),
            codes.LOSS_WEIGHT_SHAPE,
            message,
            expected=classes,
            actual=w[0],
            arg="weight",
            param="weight",
            axis=0,
        )
    _check_label_smoothing(ctx, label_smoothing)
    return _reduced(_without(x, 0 if x.rank == 1 else 1), reduction)


def _check_label_smoothing(ctx: Checker, label_smoothing) -> None:
    if label_smoothing > 0:
        ctx.check(
            label_smoothing <= 1,
            codes.INVALID_ARGUMENT,
            f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}",
            param="label_smoothing",
        )


def _class_indices(ctx: Checker, x: Shape, t: Shape, weight, reduction, label_smoothing) -> Shape:
    _check_label_smoothing(ctx, label_smoothing)
    out = _nll_nd(ctx, x, t, weight, reduction)
    if label_smoothing > 0:
        if weight is not None:
            w = tensor(weight, "weight")
            ctx.check(
                eq(product(w.dims), w[0]),
                codes.LOSS_WEIGHT_SHAPE,
                lambda: f"shape '{[1] * x.rank}' is invalid for input of size {dim_text(product(w.dims))}",
                arg="weight",
                param="weight",
            )
            ctx.check(
                w.rank == 1 or reduction != "mean",
                codes.LOSS_WEIGHT_SHAPE,
                "Index tensor must have the same number of dimensions as input tensor",
                arg="weight",
                param="weight",
            )
        ctx.check(
            x.rank != 1 or t.rank == 0,
            codes.LOSS_TARGET_SHAPE,
            f"output with shape [] doesn't match the broadcast shape {t}",
            arg="target",
        )
    return out


@layer("torch.nn.CrossEntropyLoss")
def cross_entropy_loss(
    ctx,
    input,
    target,
    *,
    weight=None,
    size_average=None,
    ignore_index=-100,
    reduce=None,
    reduction="mean",
    label_smoothing=0.0,
):
    """[N, C, *d] with indices [N, *d] or probabilities [N, C, *d] -> [N, *d] ('none') or []."""
    return _cross_entropy(
        ctx, input, target, weight, ignore_index, _legacy(reduction, size_average, reduce), label_smoothing
    )


@op("torch.nn.functional.cross_entropy")
def f_cross_entropy(
    ctx,
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index=-100,
    reduce=None,
    reduction="mean",
    label_smoothing=0.0,
):
    """[N, C, *d] with indices [N, *d] or probabilities [N, C, *d] -> [N, *d] ('none') or []."""
    return _cross_entropy(
        ctx, input, target, weight, ignore_index, _legacy(reduction, size_average, reduce), label_smoothing
    )

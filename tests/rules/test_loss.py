"""Every torch.nn loss module and its torch.nn.functional form against torch.

Each test draws the module or the function (their rules share a helper), shapes that often fit and
often nearly do, and the reduction: 'none' keeps the loss's shape, 'mean'/'sum' give [].
"""

import warnings

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check, on_cpu
from strategies import partner, shapes

from shapelens.dims import Checker, Shape, ShapeError
from shapelens.rules import apply_layer, apply_op, build_layer

# torch warns (and carries on) on the deprecated flags and on targets that broadcast.
for _message in ("Using a target size", "size_average and reduce args", "reduction: 'mean' divides"):
    warnings.filterwarnings("ignore", message=_message)

LONG = torch.long
REDUCTIONS = st.sampled_from(["none", "mean", "sum", "foo", "none", "sum", "mean"])
LEGACY = st.sampled_from([{}, {"reduce": False}, {"size_average": False}, {"size_average": True}, {}, {}])


def choose(data, fault: bool, good: list, bad: list = ()):
    """One of ``good``; in an example that may be faulty, one of ``bad`` too."""
    return data.draw(st.sampled_from(list(good) + (list(bad) if fault else [])))


def tensors(max_rank: int):
    """Shapes of rank 1 to ``max_rank`` mostly, sometimes 0 (hypothesis would pick [] most)."""
    return st.integers(0, 2 * max_rank).flatmap(
        lambda k: shapes(0, 0) if k == max_rank else shapes(k % max_rank + 1, k % max_rank + 1)
    )


def mostly(value: int, low: int = 1):
    """``value`` mostly, else a near miss."""
    return st.sampled_from([value, max(low, value - 1), value + 1, value, value, value])


def split(total: int, count: int) -> list:
    values = [total // count] * count
    values[0] += total - sum(values)
    return values


# -- regression losses ------------------------------------------------------------------------


REGRESSION = [
    ("torch.nn.L1Loss", nn.L1Loss, "torch.nn.functional.l1_loss", F.l1_loss, None),
    ("torch.nn.MSELoss", nn.MSELoss, "torch.nn.functional.mse_loss", F.mse_loss, None),
    ("torch.nn.HuberLoss", nn.HuberLoss, "torch.nn.functional.huber_loss", F.huber_loss, "delta"),
    ("torch.nn.SmoothL1Loss", nn.SmoothL1Loss, "torch.nn.functional.smooth_l1_loss", F.smooth_l1_loss, "beta"),
]


@pytest.mark.parametrize("case", REGRESSION, ids=lambda c: c[0])
@given(tensors(4), st.data())
def test_regression(case, shape, data):
    layer_name, module, f_name, function, knob = case
    target = data.draw(partner(shape))
    kwargs = {"reduction": data.draw(REDUCTIONS)}
    if knob:
        kwargs[knob] = data.draw(st.sampled_from([1.0, 0.0, -1.0, 0.5, 1.0]))
    if knob != "delta":
        kwargs.update(data.draw(LEGACY))
    if data.draw(st.booleans()):
        check(
            lambda ctx, x, t: apply_layer(layer_name, ctx, (), kwargs, x, t),
            on_cpu(lambda x, t: module(**kwargs)(x, t)),
            [T(shape), T(target)],
        )
        return
    weight = data.draw(st.sampled_from([None, T(shape), T(target)])) if knob != "beta" else None
    check(
        lambda ctx, x, t, w: apply_op(f_name, ctx, x, t, **kwargs, **({"weight": w} if w is not None else {})),
        on_cpu(lambda x, t, w: function(x, t, **kwargs, **({"weight": w} if w is not None else {}))),
        [T(shape), T(target), weight],
    )


def test_reconstruction_channels_are_the_target_shape():
    """The seed case: a decoder that outputs 4 channels for a 3-channel image."""
    with pytest.raises(ShapeError) as err:
        apply_layer("torch.nn.MSELoss", Checker(), (), {}, Shape([1, 4, 28, 28]), Shape([1, 3, 28, 28]))
    e = err.value
    assert (e.code, e.expected, e.actual, e.arg, e.axis) == ("loss-target-shape", 3, 4, "input", 1)
    assert e.message == "The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1"


@given(tensors(4), st.data())
def test_kl_div(shape, data):
    target = data.draw(partner(shape))
    kwargs = {
        "reduction": data.draw(st.sampled_from(["none", "batchmean", "foo", "sum", "mean"])),
        "log_target": data.draw(st.booleans()),
        **data.draw(LEGACY),
    }
    if data.draw(st.booleans()):
        check(
            lambda ctx, x, t: apply_layer("torch.nn.KLDivLoss", ctx, (), kwargs, x, t),
            on_cpu(lambda x, t: nn.KLDivLoss(**kwargs)(x, t)),
            [T(shape), T(target)],
        )
    else:
        check(
            lambda ctx, x, t: apply_op("torch.nn.functional.kl_div", ctx, x, t, **kwargs),
            on_cpu(lambda x, t: F.kl_div(x, t, **kwargs)),
            [T(shape), T(target)],
        )


@given(tensors(4), st.data())
def test_poisson_nll(shape, data):
    target = data.draw(partner(shape))
    kwargs = {
        "reduction": data.draw(REDUCTIONS),
        "log_input": data.draw(st.booleans()),
        "full": data.draw(st.booleans()),
        **data.draw(LEGACY),
    }
    if data.draw(st.booleans()):
        check(
            lambda ctx, x, t: apply_layer("torch.nn.PoissonNLLLoss", ctx, (), kwargs, x, t),
            on_cpu(lambda x, t: nn.PoissonNLLLoss(**kwargs)(x, t)),
            [T(shape), T(target)],
        )
    else:
        check(
            lambda ctx, x, t: apply_op("torch.nn.functional.poisson_nll_loss", ctx, x, t, **kwargs),
            on_cpu(lambda x, t: F.poisson_nll_loss(x, t, **kwargs)),
            [T(shape), T(target)],
        )


@st.composite
def gaussian_var(draw, shape: tuple):
    """The var torch accepts (input's shape, without the last axis, one axis 1), near misses, floats."""
    how = draw(st.integers(0, 5))
    if how == 0:
        return draw(st.sampled_from([1.0, 0.5, -1.0]))
    if how == 1 and shape:
        return T(shape[:-1])
    if how == 2 and shape:
        i = draw(st.integers(0, len(shape) - 1))
        return T(shape[:i] + (1,) + shape[i + 1 :])
    return T(shape) if how == 3 else T(draw(partner(shape)))


@given(tensors(3), st.data())
def test_gaussian_nll(shape, data):
    target = data.draw(partner(shape))
    var = data.draw(gaussian_var(shape))
    kwargs = {"reduction": data.draw(REDUCTIONS), "full": data.draw(st.booleans())}
    if data.draw(st.booleans()):
        check(
            lambda ctx, x, t, v: apply_layer("torch.nn.GaussianNLLLoss", ctx, (), kwargs, x, t, v),
            on_cpu(lambda x, t, v: nn.GaussianNLLLoss(**kwargs)(x, t, v)),
            [T(shape), T(target), var],
        )
    else:
        check(
            lambda ctx, x, t, v: apply_op("torch.nn.functional.gaussian_nll_loss", ctx, x, t, v, **kwargs),
            on_cpu(lambda x, t, v: F.gaussian_nll_loss(x, t, v, **kwargs)),
            [T(shape), T(target), var],
        )


# -- binary targets ---------------------------------------------------------------------------


@st.composite
def same_or_near(draw, shape: tuple):
    """``shape`` half of the time, else a near miss of it."""
    return shape if draw(st.booleans()) else draw(partner(shape))


@given(tensors(3), st.data())
def test_binary_cross_entropy(shape, data):
    target = data.draw(same_or_near(shape))
    weight = data.draw(st.one_of(st.none(), partner(shape).map(T)))
    kwargs = {"reduction": data.draw(REDUCTIONS), **data.draw(LEGACY)}
    if data.draw(st.booleans()):
        check(
            lambda ctx, x, t, w: apply_layer("torch.nn.BCELoss", ctx, (), {"weight": w, **kwargs}, x, t),
            on_cpu(lambda x, t, w: nn.BCELoss(weight=w, **kwargs)(x, t)),
            [T(shape), T(target), weight],
        )
    else:
        check(
            lambda ctx, x, t, w: apply_op("torch.nn.functional.binary_cross_entropy", ctx, x, t, w, **kwargs),
            on_cpu(lambda x, t, w: F.binary_cross_entropy(x, t, w, **kwargs)),
            [T(shape), T(target), weight],
        )


@given(tensors(3), st.data())
def test_binary_cross_entropy_with_logits(shape, data):
    target = data.draw(same_or_near(shape))
    weight = data.draw(st.one_of(st.none(), partner(shape).map(T)))
    pos_weight = data.draw(st.one_of(st.none(), partner(shape).map(T)))
    kwargs = {"reduction": data.draw(REDUCTIONS), **data.draw(LEGACY)}
    inputs = [T(shape), T(target), weight, pos_weight]
    if data.draw(st.booleans()):
        check(
            lambda ctx, x, t, w, pw: apply_layer(
                "torch.nn.BCEWithLogitsLoss", ctx, (), {"weight": w, "pos_weight": pw, **kwargs}, x, t
            ),
            on_cpu(lambda x, t, w, pw: nn.BCEWithLogitsLoss(weight=w, pos_weight=pw, **kwargs)(x, t)),
            inputs,
        )
    else:
        check(
            lambda ctx, x, t, w, pw: apply_op(
                "torch.nn.functional.binary_cross_entropy_with_logits", ctx, x, t, w, pos_weight=pw, **kwargs
            ),
            on_cpu(lambda x, t, w, pw: F.binary_cross_entropy_with_logits(x, t, w, pos_weight=pw, **kwargs)),
            inputs,
        )


@given(tensors(4), st.data())
def test_soft_margin(shape, data):
    target = data.draw(partner(shape))
    kwargs = {"reduction": data.draw(REDUCTIONS), **data.draw(LEGACY)}
    if data.draw(st.booleans()):
        check(
            lambda ctx, x, t: apply_layer("torch.nn.SoftMarginLoss", ctx, (), kwargs, x, t),
            on_cpu(lambda x, t: nn.SoftMarginLoss(**kwargs)(x, t)),
            [T(shape), T(target)],
        )
    else:
        check(
            lambda ctx, x, t: apply_op("torch.nn.functional.soft_margin_loss", ctx, x, t, **kwargs),
            on_cpu(lambda x, t: F.soft_margin_loss(x, t, **kwargs)),
            [T(shape), T(target)],
        )


@given(tensors(4), st.data())
def test_hinge_embedding(shape, data):
    target = data.draw(partner(shape))
    kwargs = {"reduction": data.draw(REDUCTIONS), "margin": 0.5, **data.draw(LEGACY)}
    if data.draw(st.booleans()):
        check(
            lambda ctx, x, t: apply_layer("torch.nn.HingeEmbeddingLoss", ctx, (), kwargs, x, t),
            on_cpu(lambda x, t: nn.HingeEmbeddingLoss(**kwargs)(x, t)),
            [T(shape), T(target)],
        )
    else:
        check(
            lambda ctx, x, t: apply_op("torch.nn.functional.hinge_embedding_loss", ctx, x, t, **kwargs),
            on_cpu(lambda x, t: F.hinge_embedding_loss(x, t, **kwargs)),
            [T(shape), T(target)],
        )


@given(tensors(3), st.data())
def test_margin_ranking(shape, data):
    x2, target = data.draw(partner(shape)), data.draw(partner(shape))
    kwargs = {"reduction": data.draw(REDUCTIONS), "margin": 0.1, **data.draw(LEGACY)}
    inputs = [T(shape), T(x2), T(target)]
    if data.draw(st.booleans()):
        check(
            lambda ctx, a, b, t: apply_layer("torch.nn.MarginRankingLoss", ctx, (), kwargs, a, b, t),
            on_cpu(lambda a, b, t: nn.MarginRankingLoss(**kwargs)(a, b, t)),
            inputs,
        )
    else:
        check(
            lambda ctx, a, b, t: apply_op("torch.nn.functional.margin_ranking_loss", ctx, a, b, t, **kwargs),
            on_cpu(lambda a, b, t: F.margin_ranking_loss(a, b, t, **kwargs)),
            inputs,
        )


@given(st.integers(1, 5), st.integers(1, 5), st.booleans(), st.data())
def test_cosine_embedding(n, d, batched, data):
    shape = (n, d) if batched else (d,)
    x1 = data.draw(st.one_of(st.just(shape), partner(shape)))
    x2 = data.draw(st.one_of(st.just(shape), partner(shape)))
    target = data.draw(st.one_of(st.just(shape[:-1]), partner(shape[:-1]), shapes(0, 2)))
    kwargs = {"reduction": data.draw(REDUCTIONS), "margin": 0.1, **data.draw(LEGACY)}
    inputs = [T(x1), T(x2), T(target)]
    if data.draw(st.booleans()):
        check(
            lambda ctx, a, b, t: apply_layer("torch.nn.CosineEmbeddingLoss", ctx, (), kwargs, a, b, t),
            on_cpu(lambda a, b, t: nn.CosineEmbeddingLoss(**kwargs)(a, b, t)),
            inputs,
        )
    else:
        check(
            lambda ctx, a, b, t: apply_op("torch.nn.functional.cosine_embedding_loss", ctx, a, b, t, **kwargs),
            on_cpu(lambda a, b, t: F.cosine_embedding_loss(a, b, t, **kwargs)),
            inputs,
        )


# -- multi-class and multi-label margins ------------------------------------------------------


def scores():
    """[C] or [N, C] scores, sometimes [], sometimes too many axes."""
    return st.integers(0, 9).flatmap(lambda k: shapes(3, 3) if k == 5 else shapes(k % 3, k % 3))


@given(scores(), st.data())
def test_multilabel_margin(shape, data):
    target = data.draw(st.one_of(st.just(shape), partner(shape), shapes(0, 2)))
    kwargs = {"reduction": data.draw(REDUCTIONS), **data.draw(LEGACY)}
    inputs = [T(shape), T(target, LONG)]
    if data.draw(st.booleans()):
        check(
            lambda ctx, x, t: apply_layer("torch.nn.MultiLabelMarginLoss", ctx, (), kwargs, x, t),
            on_cpu(lambda x, t: nn.MultiLabelMarginLoss(**kwargs)(x, t)),
            inputs,
        )
    else:
        check(
            lambda ctx, x, t: apply_op("torch.nn.functional.multilabel_margin_loss", ctx, x, t, **kwargs),
            on_cpu(lambda x, t: F.multilabel_margin_loss(x, t, **kwargs)),
            inputs,
        )


@given(tensors(3), st.data())
def test_multilabel_soft_margin(shape, data):
    target = data.draw(st.one_of(st.just(shape), partner(shape)))
    weight = data.draw(st.one_of(st.none(), partner(shape).map(T)))
    kwargs = {"reduction": data.draw(REDUCTIONS), **data.draw(LEGACY)}
    inputs = [T(shape), T(target), weight]
    if data.draw(st.booleans()):
        check(
            lambda ctx, x, t, w: apply_layer(
                "torch.nn.MultiLabelSoftMarginLoss", ctx, (), {"weight": w, **kwargs}, x, t
            ),
            on_cpu(lambda x, t, w: nn.MultiLabelSoftMarginLoss(weight=w, **kwargs)(x, t)),
            inputs,
        )
    else:
        check(
            lambda ctx, x, t, w: apply_op("torch.nn.functional.multilabel_soft_margin_loss", ctx, x, t, w, **kwargs),
            on_cpu(lambda x, t, w: F.multilabel_soft_margin_loss(x, t, w, **kwargs)),
            inputs,
        )


@given(scores(), st.booleans(), st.data())
def test_multi_margin(shape, fault, data):
    samples = shape[0] if len(shape) == 2 else 1
    classes = shape[-1] if shape else 1
    target = choose(data, fault, [(samples,)] + ([()] if len(shape) < 2 else []), [(samples + 1,), (samples, 1)])
    weight = choose(data, fault, [None, T((classes,))], [T((classes + 1,)), T((1, classes)), T(())])
    p = choose(data, fault, [1, 2], [3])
    kwargs = {"reduction": choose(data, fault, ["none", "mean", "sum"], ["foo"]), **data.draw(LEGACY)}
    inputs = [T(shape), T(target, LONG), weight]
    if data.draw(st.booleans()):
        check(
            lambda ctx, x, t, w: apply_layer(
                "torch.nn.MultiMarginLoss", ctx, (), {"p": p, "weight": w, **kwargs}, x, t
            ),
            on_cpu(lambda x, t, w: nn.MultiMarginLoss(p=p, weight=w, **kwargs)(x, t)),
            inputs,
        )
    else:
        check(
            lambda ctx, x, t, w: apply_op("torch.nn.functional.multi_margin_loss", ctx, x, t, p, 1.0, w, **kwargs),
            on_cpu(lambda x, t, w: F.multi_margin_loss(x, t, p, 1.0, w, **kwargs)),
            inputs,
        )


# -- triplets ---------------------------------------------------------------------------------


@given(tensors(3), st.data())
def test_triplet_margin(shape, data):
    positive = data.draw(st.one_of(st.just(shape), partner(shape)))
    negative = data.draw(st.one_of(st.just(shape), partner(shape)))
    kwargs = {
        "reduction": data.draw(REDUCTIONS),
        "swap": data.draw(st.booleans()),
        "margin": data.draw(st.sampled_from([1.0, 0.5, 0.0, 1.0, 0.5])),
        **data.draw(LEGACY),
    }
    inputs = [T(shape), T(positive), T(negative)]
    if data.draw(st.booleans()):
        check(
            lambda ctx, a, p, n: apply_layer("torch.nn.TripletMarginLoss", ctx, (), kwargs, a, p, n),
            on_cpu(lambda a, p, n: nn.TripletMarginLoss(**kwargs)(a, p, n)),
            inputs,
        )
    else:
        check(
            lambda ctx, a, p, n: apply_op("torch.nn.functional.triplet_margin_loss", ctx, a, p, n, **kwargs),
            on_cpu(lambda a, p, n: F.triplet_margin_loss(a, p, n, **kwargs)),
            inputs,
        )


DISTANCES = [
    (None, None),
    ("torch.nn.PairwiseDistance", lambda: nn.PairwiseDistance()),
    ("torch.nn.CosineSimilarity", lambda: nn.CosineSimilarity(dim=-1)),
]


@given(tensors(3), st.sampled_from(DISTANCES), st.data())
def test_triplet_margin_with_distance(shape, distance, data):
    positive = data.draw(st.one_of(st.just(shape), partner(shape)))
    negative = data.draw(st.one_of(st.just(shape), partner(shape)))
    kwargs = {
        "reduction": data.draw(REDUCTIONS),
        "swap": data.draw(st.booleans()),
        "margin": data.draw(st.sampled_from([1.0, 0.5, 0.0, 1.0, 0.5])),
    }
    rule_distance, torch_distance = distance

    def rule_kwargs(ctx):
        built = (
            build_layer(rule_distance, ctx, **({"dim": -1} if "Cosine" in rule_distance else {}))
            if rule_distance
            else None
        )
        return {"distance_function": built, **kwargs}

    def torch_kwargs():
        return {"distance_function": torch_distance() if torch_distance else None, **kwargs}

    inputs = [T(shape), T(positive), T(negative)]
    if data.draw(st.booleans()):
        check(
            lambda ctx, a, p, n: apply_layer(
                "torch.nn.TripletMarginWithDistanceLoss", ctx, (), rule_kwargs(ctx), a, p, n
            ),
            on_cpu(lambda a, p, n: nn.TripletMarginWithDistanceLoss(**torch_kwargs())(a, p, n)),
            inputs,
        )
    else:
        check(
            lambda ctx, a, p, n: apply_op(
                "torch.nn.functional.triplet_margin_with_distance_loss", ctx, a, p, n, **rule_kwargs(ctx)
            ),
            on_cpu(lambda a, p, n: F.triplet_margin_with_distance_loss(a, p, n, **torch_kwargs())),
            inputs,
        )


# -- CTC --------------------------------------------------------------------------------------


@st.composite
def ctc_case(draw, fault: bool):
    """log_probs, targets, and lengths: tensors, or lists whose values may be wrong."""

    def mostly(value: int, low: int = 1):
        return st.sampled_from([value, max(low, value - 1), value + 1] if fault else [value])

    steps, batch, labels, width = (draw(st.integers(1, 5)) for _ in range(4))
    kind = draw(st.sampled_from(["batched", "unbatched"] + (["1d", "4d"] if fault else [])))
    log_probs = {
        "batched": (steps, batch, labels),
        "unbatched": (steps, labels),
        "1d": (steps,),
        "4d": (steps, batch, labels, 1),
    }[kind]
    n = batch if kind in ("batched", "4d") else 1
    concatenated = draw(st.booleans())
    targets = (draw(mostly(n * width)),) if concatenated else (draw(mostly(n)), width)
    targets = draw(st.sampled_from([targets] + ([(n, width, 1)] if fault else [])))
    counts = draw(mostly(n)), draw(mostly(n))
    if draw(st.booleans()):
        input_lengths = [draw(mostly(steps, 0)) for _ in range(counts[0])]
        target_lengths = split(targets[0], counts[1]) if concatenated else [width] * counts[1]
        target_lengths[0] += draw(st.sampled_from([0, 1] if fault else [0]))
    else:
        input_lengths, target_lengths = T((counts[0],), LONG), T((counts[1],), LONG)
    return log_probs, targets, input_lengths, target_lengths


def _ctc_reference(loss):
    """Lengths given as tensors get valid values: the steps, and the targets split evenly."""

    def run(log_probs, targets, input_lengths, target_lengths):
        if isinstance(input_lengths, torch.Tensor):
            input_lengths = torch.full(input_lengths.shape, log_probs.shape[0], dtype=LONG)
        if isinstance(target_lengths, torch.Tensor):
            count = target_lengths.numel()
            values = split(targets.shape[0], count) if targets.dim() == 1 else [targets.shape[-1]] * count
            target_lengths = torch.tensor(values, dtype=LONG)
        return loss(log_probs, targets, input_lengths, target_lengths)

    return on_cpu(run)


@given(st.booleans().flatmap(lambda fault: st.tuples(st.just(fault), ctc_case(fault))), st.data())
def test_ctc(case, data):
    fault, (log_probs, targets, input_lengths, target_lengths) = case
    kwargs = {
        "reduction": choose(data, fault, ["none", "mean", "sum"], ["foo"]),
        "blank": choose(data, fault, [0], [1, -1]),
    }
    inputs = [T(log_probs), T(targets, LONG), input_lengths, target_lengths]
    if data.draw(st.booleans()):
        check(
            lambda ctx, lp, tg, il, tl: apply_layer("torch.nn.CTCLoss", ctx, (), kwargs, lp, tg, il, tl),
            _ctc_reference(lambda *a: nn.CTCLoss(**kwargs)(*a)),
            inputs,
        )
    else:
        check(
            lambda ctx, lp, tg, il, tl: apply_op("torch.nn.functional.ctc_loss", ctx, lp, tg, il, tl, **kwargs),
            _ctc_reference(lambda *a: F.ctc_loss(*a, **kwargs)),
            inputs,
        )


# -- class indices or class probabilities -----------------------------------------------------


@st.composite
def classification(draw, probabilities: bool, fault: bool):
    """Scores [N, C, *d] or [C], and a target: indices [N, *d] or [], probabilities of input's shape,
    or a near miss; a weight [C] or not quite."""
    shape = draw(shapes(1, 5, max_dim=4))
    batch, spatial = (shape[0], shape[2:]) if len(shape) > 1 else (None, ())
    indices = () if batch is None else (batch,) + spatial
    how = draw(
        st.sampled_from(
            [0, 1] + ([4] if probabilities else []) + ([2, 3] + ([5] if probabilities else []) if fault else [])
        )
    )
    if how <= 1:
        target = indices
    elif how == 2:
        target = draw(partner(indices)) if indices else draw(shapes(0, 1))
    elif how == 3:
        target = tuple(draw(mostly(d)) for d in indices) or draw(shapes(1, 1))
    else:
        target = shape if how == 4 else draw(partner(shape))
    classes = shape[1] if len(shape) > 1 else shape[0]
    weight = draw(st.sampled_from([None, (classes,)] + ([(classes + 1,), (1, classes), (classes, 1)] if fault else [])))
    dtype = None if probabilities and target == shape else LONG
    return shape, T(target, dtype), None if weight is None else T(weight)


@given(st.booleans().flatmap(lambda fault: st.tuples(st.just(fault), classification(False, fault))), st.data())
def test_nll_loss(case, data):
    fault, (shape, target, weight) = case
    kwargs = {"reduction": choose(data, fault, ["none", "mean", "sum"], ["foo"]), **data.draw(LEGACY)}
    if data.draw(st.booleans()):
        check(
            lambda ctx, x, t, w: apply_layer("torch.nn.NLLLoss", ctx, (), {"weight": w, **kwargs}, x, t),
            on_cpu(lambda x, t, w: nn.NLLLoss(weight=w, **kwargs)(x, t)),
            [T(shape), target, weight],
        )
    else:
        check(
            lambda ctx, x, t, w: apply_op("torch.nn.functional.nll_loss", ctx, x, t, w, **kwargs),
            on_cpu(lambda x, t, w: F.nll_loss(x, t, w, **kwargs)),
            [T(shape), target, weight],
        )


@given(st.booleans().flatmap(lambda fault: st.tuples(st.just(fault), classification(True, fault))), st.data())
def test_cross_entropy(case, data):
    fault, (shape, target, weight) = case
    kwargs = {
        "reduction": choose(data, fault, ["none", "mean", "sum"], ["foo"]),
        **data.draw(LEGACY),
        "label_smoothing": choose(data, fault, [0.0, 0.1], [1.5]),
        "ignore_index": choose(data, fault, [-100], [0]),
    }
    if data.draw(st.booleans()):
        check(
            lambda ctx, x, t, w: apply_layer("torch.nn.CrossEntropyLoss", ctx, (), {"weight": w, **kwargs}, x, t),
            on_cpu(lambda x, t, w: nn.CrossEntropyLoss(weight=w, **kwargs)(x, t)),
            [T(shape), target, weight],
        )
    else:
        check(
            lambda ctx, x, t, w: apply_op("torch.nn.functional.cross_entropy", ctx, x, t, w, **kwargs),
            on_cpu(lambda x, t, w: F.cross_entropy(x, t, w, **kwargs)),
            [T(shape), target, weight],
        )

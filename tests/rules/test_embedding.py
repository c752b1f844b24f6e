"""nn.Embedding, nn.EmbeddingBag, F.embedding, F.embedding_bag and F.one_hot against torch.

Index tensors are zeros (the oracle's), so every index is valid for a table of at least one row.
"""

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check, on_cpu
from strategies import shapes

from shapelens.dims import Checker, Lost, Shape, sym
from shapelens.rules import apply_layer, apply_op

LONG = torch.long


def choose(data, fault: bool, good: list, bad: list = ()):
    """One of ``good``; in an example that may be faulty, one of ``bad`` too."""
    return data.draw(st.sampled_from(list(good) + (list(bad) if fault else [])))


@given(shapes(0, 3), st.integers(1, 6), st.integers(0, 5), st.booleans(), st.data())
def test_embedding(shape, num, dim, fault, data):
    num = choose(data, fault, [num], [-1])
    dim = choose(data, fault, [dim], [-2])
    padding_idx = choose(data, fault, [None, 0, num - 1, -num], [num, -num - 1])
    kwargs = {"padding_idx": padding_idx, "max_norm": choose(data, False, [None, 1.0])}
    check(
        lambda ctx, x: apply_layer("torch.nn.Embedding", ctx, (num, dim), kwargs, x),
        on_cpu(lambda x: nn.Embedding(num, dim, **kwargs)(x)),
        [T(shape, LONG)],
    )


@given(shapes(0, 3), st.integers(1, 6), st.integers(1, 5), st.booleans(), st.data())
def test_f_embedding(shape, num, dim, fault, data):
    weight = choose(data, fault, [(num, dim)], [(num,), (num, dim, 1), ()])
    padding_idx = choose(data, fault, [None, 0, num - 1, -num], [num, -num - 1])
    check(
        lambda ctx, x, w: apply_op("torch.nn.functional.embedding", ctx, x, w, padding_idx),
        on_cpu(lambda x, w: F.embedding(x, w, padding_idx)),
        [T(shape, LONG), T(weight)],
    )


@st.composite
def bags(draw, fault: bool):
    """A 2-D input of bags, or a 1-D input with offsets; per-sample weights of input's shape.

    At least two bags: torch 2.13 aborts the process on one offset with include_last_offset and
    per_sample_weights."""

    def pick(good, bad=()):
        return draw(st.sampled_from(list(good) + (list(bad) if fault else [])))

    b, length = draw(st.integers(2, 4)), draw(st.integers(1, 4))
    two_d = draw(st.booleans())
    x = pick([(b, length)] if two_d else [(b * length,)], [(b, length, 1), ()])
    offsets = pick([None] if two_d else [T((b,), LONG)], [T((b,), LONG) if two_d else None, T((b, 1), LONG)])
    weights = pick([None, T(x)], [T(x[:-1] + (length + 1,)) if x else T((1,))])
    return x, offsets, weights


@given(st.integers(1, 6), st.integers(1, 5), st.booleans(), st.data())
def test_embedding_bag(num, dim, fault, data):
    x, offsets, weights = data.draw(bags(fault))
    mode = choose(data, fault, ["sum", "mean", "max"] if weights is None else ["sum"], ["foo", "mean"])
    kwargs = {
        "mode": mode,
        "include_last_offset": data.draw(st.booleans()),
        "padding_idx": choose(data, fault, [None, 0, num - 1, -num], [num, -num - 1]),
        "scale_grad_by_freq": choose(data, fault, [False], [True]),
    }
    inputs = [T(x, LONG), offsets, weights]
    if data.draw(st.booleans()):
        check(
            lambda ctx, i, o, w: apply_layer("torch.nn.EmbeddingBag", ctx, (num, dim), kwargs, i, o, w),
            on_cpu(lambda i, o, w: nn.EmbeddingBag(num, dim, **kwargs)(i, o, w)),
            inputs,
        )
    else:
        weight = choose(data, fault, [(num, dim)], [(num,), (num, dim, 1)])
        check(
            lambda ctx, i, o, w, table: apply_op(
                "torch.nn.functional.embedding_bag", ctx, i, table, o, per_sample_weights=w, **kwargs
            ),
            on_cpu(lambda i, o, w, table: F.embedding_bag(i, table, o, per_sample_weights=w, **kwargs)),
            inputs + [T(weight)],
        )


@given(shapes(0, 3), st.sampled_from([1, 5, 3, 0, -2, 4]))
def test_one_hot(shape, num_classes):
    check(
        lambda ctx, x: apply_op("torch.nn.functional.one_hot", ctx, x, num_classes),
        on_cpu(lambda x: F.one_hot(x, num_classes)),
        [T(shape, LONG)],
    )


def test_one_hot_needs_num_classes():
    """The default num_classes=-1 sizes the result by the largest index: a value, not a shape."""
    with pytest.raises(Lost):
        apply_op("torch.nn.functional.one_hot", Checker(), Shape([3]))


def test_embedding_keeps_symbolic_batch():
    out = apply_layer("torch.nn.Embedding", Checker(), (sym("vocab"), 16), {}, Shape([sym("B"), sym("T")]))
    assert out == Shape([sym("B"), sym("T"), 16])

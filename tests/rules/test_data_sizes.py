"""Sizes only the data decides, against torch on random data: the rule keeps the rank and names
each such size with a fresh symbol (``[nnz, 2]``), which must stand for the same count wherever it
appears; every other size is exact, and failures are torch's."""

import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check_dtype
from strategies import partner, shapes

from shapelens.dims import Checker, Expr, Shape, ShapeError, sym
from shapelens.rules.indexing import Mask
from shapelens.rules import apply_op


def agree(rule_out, torch_out, counts: dict) -> None:
    """The rule's result is torch's once each fresh symbol stands for one count."""
    if isinstance(torch_out, torch.Tensor):
        assert isinstance(rule_out, Shape) and rule_out.rank == torch_out.dim(), (rule_out, torch_out.shape)
        for d, actual in zip(rule_out.dims, torch_out.shape):
            if isinstance(d, Expr):
                assert counts.setdefault(d, actual) == actual, (rule_out, torch_out.shape)
            else:
                assert d == actual, (rule_out, torch_out.shape)
        return
    assert isinstance(rule_out, tuple) and len(rule_out) == len(torch_out), (rule_out, torch_out)
    for r, t in zip(rule_out, torch_out):
        agree(r, t, counts)


def run(rule, reference, *args):
    """Both sides on the same random data; the rule sees shapes (a bool tensor as a Mask)."""
    ctx = Checker()
    try:
        expected = reference(*args)
    except (RuntimeError, IndexError, ValueError) as exc:
        try:
            rule(ctx, *[Mask(Shape(a.shape)) if a.dtype == torch.bool else Shape(a.shape) for a in args])
        except ShapeError:
            return
        raise AssertionError(f"torch raised but the rule did not: {exc}") from exc
    got = rule(ctx, *[Mask(Shape(a.shape)) if a.dtype == torch.bool else Shape(a.shape) for a in args])
    assert not ctx.conditions
    agree(got, expected, {})


def data(shape, dtype=torch.float32):
    if dtype == torch.bool:
        return torch.rand(shape) > 0.5
    return torch.randint(0, 3, shape).to(dtype)


@given(shapes(0, 3, min_dim=0, max_dim=4), st.booleans(), st.booleans())
def test_nonzero(shape, as_tuple, method):
    x = data(shape)
    name = "torch.Tensor.nonzero" if method else "torch.nonzero"
    run(lambda ctx, s: apply_op(name, ctx, s, as_tuple=as_tuple), lambda t: torch.nonzero(t, as_tuple=as_tuple), x)


@given(shapes(0, 3, min_dim=0, max_dim=4), st.booleans())
def test_argwhere(shape, method):
    name = "torch.Tensor.argwhere" if method else "torch.argwhere"
    run(lambda ctx, s: apply_op(name, ctx, s), torch.argwhere, data(shape))


@given(shapes(0, 3, max_dim=4), st.data())
def test_masked_select(shape, draw):
    mask = data(draw.draw(partner(shape)), torch.bool)
    for name in ("torch.masked_select", "torch.Tensor.masked_select"):
        run(lambda ctx, s, m: apply_op(name, ctx, s, m.shape), torch.masked_select, data(shape), mask)


@given(
    shapes(0, 3, min_dim=0, max_dim=4),
    st.booleans(),
    st.booleans(),
    st.one_of(st.none(), st.integers(-3, 3)),
    st.booleans(),
)
def test_unique(shape, inverse, counts, dim, method):
    name = "torch.Tensor.unique" if method else "torch.unique"
    run(
        lambda ctx, s: apply_op(name, ctx, s, True, inverse, counts, dim),
        lambda t: torch.unique(t, True, inverse, counts, dim),
        data(shape),
    )


@given(shapes(0, 3, min_dim=0, max_dim=4))
def test_where_condition_alone(shape):
    run(lambda ctx, m: apply_op("torch.where", ctx, m.shape), torch.where, data(shape, torch.bool))


KEYS = st.sampled_from(["mask", "i_mask", "mask_slice", "slice_mask", "mask_none"])


@given(shapes(1, 3, max_dim=4), KEYS, st.integers(1, 3), st.booleans())
def test_getitem_mask(shape, kind, cover, near_miss):
    """x[mask], x[i, mask], x[mask, :], x[:, mask]: the mask's axes become one of nnz."""
    x = data(shape)
    start = 1 if kind in ("i_mask", "slice_mask") else 0
    if start >= len(shape):
        return
    covered = list(shape[start : start + cover])
    if near_miss:
        covered[-1] += 1
    mask = data(tuple(covered), torch.bool)
    key = {
        "mask": ("m",),
        "i_mask": (0, "m"),
        "mask_slice": ("m", slice(None)),
        "slice_mask": (slice(None), "m"),
        "mask_none": ("m", None),
    }[kind]
    index = lambda m: tuple(m if k == "m" else k for k in key)  # noqa: E731
    run(lambda ctx, s, m: apply_op("torch.Tensor.__getitem__", ctx, s, index(m)), lambda t, m: t[index(m)], x, mask)


def test_one_mask_one_count():
    """The count a mask carries is the same for every tensor it selects from: x[m] - y[m] broadcasts."""
    n = sym("nnz")
    ctx = Checker()
    a = apply_op("torch.Tensor.__getitem__", ctx, Shape([4, 5, 3]), Mask(Shape([4, 5]), n))
    b = apply_op("torch.Tensor.__getitem__", ctx, Shape([4, 5]), Mask(Shape([4, 5]), n))
    assert (a, b) == (Shape([n, 3]), Shape([n]))
    assert apply_op("torch.sub", ctx, a, apply_op("torch.Tensor.unsqueeze", ctx, b, 1)) == Shape([n, 3])
    assert not ctx.conditions


@given(shapes(0, 3), st.booleans())
def test_nonzero_and_argwhere_give_int64(shape, method):
    for op in ("nonzero", "argwhere"):
        check_dtype(f"torch.Tensor.{op}" if method else f"torch.{op}", getattr(torch, op), [T(shape)])

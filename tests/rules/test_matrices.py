"""torch.linalg's determinants, inverses, solves, factorizations and spectra against torch."""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import shapes

from shapelens.dims import Checker, Lost, Shape, sym
from shapelens.rules import apply_op


def reference(name: str):
    """The torch callable a rule name stands for: ``torch.f``, ``torch.linalg.f`` or a tensor method."""
    owner, attr = name.rsplit(".", 1)
    if owner == "torch":
        return getattr(torch, attr)
    if owner == "torch.linalg":
        return getattr(torch.linalg, attr)
    return lambda self, *args, **kwargs: getattr(self, attr)(*args, **kwargs)


@st.composite
def matrices(draw, max_batch: int = 2):
    """Batches of matrices, square more often than not; now and then fewer than 2 axes or an empty one."""
    batch = draw(shapes(0, max_batch, max_dim=3))
    m = draw(st.integers(0, 4))
    n = m if draw(st.booleans()) else draw(st.integers(0, 4))
    out = batch + (m, n)
    if draw(st.integers(0, 6)) == 0:
        out = out[draw(st.integers(1, 2)) + len(batch) :] if draw(st.booleans()) else out[-1:]
    return out


SQUARE = [
    "torch.linalg.det",
    "torch.det",
    "torch.Tensor.det",
    "torch.linalg.inv",
    "torch.inverse",
    "torch.Tensor.inverse",
    "torch.linalg.cholesky",
    "torch.cholesky",
    "torch.Tensor.cholesky",
    "torch.linalg.eigvalsh",
    "torch.linalg.svdvals",
    "torch.linalg.pinv",
    "torch.pinverse",
    "torch.Tensor.pinverse",
    "torch.linalg.matrix_rank",
    "torch.linalg.cond",
]


@given(st.sampled_from(SQUARE), matrices())
def test_matrix_functions(name, shape):
    check(lambda ctx, x: apply_op(name, ctx, x), reference(name), [T(shape)])


@given(
    st.sampled_from(["torch.linalg.matrix_power", "torch.matrix_power", "torch.Tensor.matrix_power"]),
    matrices(),
    st.integers(-2, 3),
)
def test_matrix_power(name, shape, n):
    check(lambda ctx, x: apply_op(name, ctx, x, n), lambda x: reference(name)(x, n), [T(shape)])


@given(st.sampled_from(["torch.linalg.pinv", "torch.linalg.matrix_rank"]), matrices())
def test_hermitian(name, shape):
    """hermitian=True goes through eigh: square matrices only."""
    check(
        lambda ctx, x: apply_op(name, ctx, x, hermitian=True), lambda x: reference(name)(x, hermitian=True), [T(shape)]
    )


@given(matrices(), st.sampled_from(["L", "U", "u", "X", "LU"]))
def test_eigvalsh_uplo(shape, uplo):
    check(
        lambda ctx, x: apply_op("torch.linalg.eigvalsh", ctx, x, uplo),
        lambda x: torch.linalg.eigvalsh(x, uplo),
        [T(shape)],
    )


@given(matrices(), st.sampled_from([None, 2, -2, 1, -1, math.inf, -math.inf, "fro", "nuc", 3, "abc"]))
def test_cond(shape, p):
    """Orders other than +-2 need square matrices, unless there are no elements at all."""
    check(lambda ctx, x: apply_op("torch.linalg.cond", ctx, x, p), lambda x: torch.linalg.cond(x, p), [T(shape)])


@st.composite
def systems(draw):
    """A [*a, n, n] and B [*b, n, k] or a vector, with near misses in each."""
    a = draw(matrices(1))
    n = a[-1] if a else 2
    batch = a[:-2]
    kind = draw(st.sampled_from(["matrix", "matrix", "vector", "batched-vector", "rows"]))
    k = draw(st.integers(1, 3))
    rows = draw(st.sampled_from([n, n, n + 1]))
    if kind == "vector":
        b = (rows,)
    elif kind == "batched-vector":
        b = batch + (rows,) if a[:-1] else (rows,)
    elif kind == "rows":
        b = batch + (k, rows)
    else:
        b = tuple(draw(st.sampled_from([d, 1, d + 1])) for d in batch) + (rows, k)
        if draw(st.integers(0, 3)) == 0:
            b = (draw(st.integers(1, 3)),) + b
    return a, b


@given(systems(), st.booleans())
def test_solve(system, left):
    a, b = system
    check(
        lambda ctx, x, y: apply_op("torch.linalg.solve", ctx, x, y, left=left),
        lambda x, y: torch.linalg.solve(x, y, left=left),
        [T(a), T(b)],
    )


def test_symbolic_batches():
    """[B, n, n] stays a batch of B: det -> [B], inv -> [B, n, n], solve with [B, n] -> [B, n]."""
    B, n = sym("B"), sym("n")
    x = Shape([B, n, n])
    assert apply_op("torch.linalg.det", Checker(), x) == Shape([B])
    assert apply_op("torch.linalg.inv", Checker(), x) == x
    assert apply_op("torch.linalg.solve", Checker(), x, Shape([B, n])) == Shape([B, n])
    assert apply_op("torch.linalg.eigvalsh", Checker(), Shape.variadic((), "batch", (n, n))) == Shape.variadic(
        (), "batch", (n,)
    )


def test_unknown_rank_is_lost():
    with pytest.raises(Lost):
        apply_op("torch.linalg.det", Checker(), Shape.unknown())

"""Named-tuple results against torch: the shapes of each item, and the field names code reads them
by (``x.max(1).values``, ``torch.linalg.svd(A).Vh``) are torch's own, in torch's order."""

import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import shapes

from shapelens.dims import UNKNOWN, Checker, Shape
from shapelens.rules import apply_op, lookup

MATRICES = shapes(2, 4, min_dim=0, max_dim=4)


def fields_match(name: str, result) -> None:
    """The rule's field names are the attributes of torch's result, item by item."""
    fields = lookup(name).fields
    assert fields and len(fields) == len(result)
    for i, field in enumerate(fields):
        assert getattr(result, field) is result[i], f"{name}: item {i} is not .{field}"


@given(MATRICES, st.booleans())
def test_svd(shape, full):
    check(lambda ctx, a: apply_op("torch.linalg.svd", ctx, a, full), lambda a: torch.linalg.svd(a, full), [T(shape)])
    check(lambda ctx, a: apply_op("torch.svd", ctx, a, not full), lambda a: torch.svd(a, not full), [T(shape)])
    check(lambda ctx, a: apply_op("torch.Tensor.svd", ctx, a), lambda a: a.svd(), [T(shape)])


@given(shapes(0, 4, max_dim=3), st.integers(0, 3), st.sampled_from(["L", "U", "X"]))
def test_eigh(shape, n, uplo):
    shape = shape[:-2] + (n, n) if len(shape) >= 2 and n else shape
    check(lambda ctx, a: apply_op("torch.linalg.eigh", ctx, a, uplo), lambda a: torch.linalg.eigh(a, uplo), [T(shape)])


@given(shapes(0, 4, max_dim=3), st.booleans())
def test_slogdet(shape, square):
    if square and len(shape) >= 2:
        shape = shape[:-1] + (shape[-2],)
    for name, fn in (
        ("torch.linalg.slogdet", torch.linalg.slogdet),
        ("torch.slogdet", torch.slogdet),
        ("torch.Tensor.slogdet", lambda a: a.slogdet()),
    ):
        check(lambda ctx, a: apply_op(name, ctx, a), fn, [T(shape)])


@given(shapes(0, 4, max_dim=4), st.sampled_from(["reduced", "complete", "r", "full"]), st.booleans())
def test_qr(shape, mode, some):
    check(lambda ctx, a: apply_op("torch.linalg.qr", ctx, a, mode), lambda a: torch.linalg.qr(a, mode), [T(shape)])
    for name, fn in (("torch.qr", lambda a: torch.qr(a, some)), ("torch.Tensor.qr", lambda a: a.qr(some))):
        check(lambda ctx, a: apply_op(name, ctx, a, some), fn, [T(shape)])


@given(
    shapes(2, 3, max_dim=4),
    st.integers(1, 4),
    st.integers(0, 3),
    st.booleans(),
    st.sampled_from(["gels", "gelsy", "gelsd", "gelss"]),
)
def test_lstsq(a, k, m, vector, driver):
    b = a[:-1] + ((k,) if not vector else ()) if m == 0 else a[:-2] + (m,) + (() if vector else (k,))
    known = (lambda r: r[:1] + r[2:]) if driver in ("gelsd", "gelss") else (lambda r: r)  # residuals: A's rank
    check(
        lambda ctx, x, y: known(apply_op("torch.linalg.lstsq", ctx, x, y, driver=driver)),
        lambda x, y: known(tuple(torch.linalg.lstsq(torch.randn(x.shape), torch.randn(y.shape), driver=driver))),
        [T(a), T(b)],
        symbolic=False,
    )


def test_lstsq_without_a_driver_knows_only_the_solution():
    """CPU's default driver (gelsy) and CUDA's (gels) give the other fields different shapes."""
    solution, *rest = apply_op("torch.linalg.lstsq", Checker(), Shape([2, 5, 3]), Shape([2, 5, 4]))
    assert solution == Shape([2, 3, 4]) and all(r is UNKNOWN for r in rest)
    assert tuple(torch.linalg.lstsq(torch.zeros(2, 5, 3), torch.zeros(2, 5, 4)).solution.shape) == (2, 3, 4)


@given(shapes(0, 3, min_dim=0, max_dim=3), st.one_of(st.none(), st.integers(-3, 3)), st.booleans(), st.booleans())
def test_aminmax(shape, dim, keepdim, method):
    name = "torch.Tensor.aminmax" if method else "torch.aminmax"
    fn = (
        (lambda x: x.aminmax(dim=dim, keepdim=keepdim))
        if method
        else (lambda x: torch.aminmax(x, dim=dim, keepdim=keepdim))
    )
    check(lambda ctx, x: apply_op(name, ctx, x, dim=dim, keepdim=keepdim), fn, [T(shape)])


NAMED = [
    ("torch.max", lambda x: torch.max(x, 1)),
    ("torch.min", lambda x: torch.min(x, 1)),
    ("torch.median", lambda x: torch.median(x, 1)),
    ("torch.nanmedian", lambda x: torch.nanmedian(x, 1)),
    ("torch.mode", lambda x: torch.mode(x, 1)),
    ("torch.kthvalue", lambda x: torch.kthvalue(x, 1, 1)),
    ("torch.cummax", lambda x: torch.cummax(x, 1)),
    ("torch.cummin", lambda x: torch.cummin(x, 1)),
    ("torch.sort", lambda x: torch.sort(x, 1)),
    ("torch.topk", lambda x: torch.topk(x, 2, 1)),
    ("torch.aminmax", lambda x: torch.aminmax(x, dim=1)),
    ("torch.linalg.svd", torch.linalg.svd),
    ("torch.svd", torch.svd),
    ("torch.linalg.eigh", lambda x: torch.linalg.eigh(x[:, :3])),
    ("torch.linalg.slogdet", lambda x: torch.linalg.slogdet(x[:, :3])),
    ("torch.slogdet", lambda x: torch.slogdet(x[:, :3])),
    ("torch.linalg.qr", torch.linalg.qr),
    ("torch.qr", torch.qr),
    ("torch.linalg.lstsq", lambda x: torch.linalg.lstsq(x, x)),
]


def test_field_names_are_torchs():
    x = torch.randn(3, 4)
    for name, fn in NAMED:
        fields_match(name, fn(x))
        for alias in lookup(name).aliases:
            assert lookup(alias).fields == lookup(name).fields

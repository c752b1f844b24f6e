"""torch.linalg beyond products: determinants, inverses, solves, factorizations and spectra of
(batches of) matrices. Each takes ``[*, m, n]``: the leading axes are a batch, kept as they are."""

from __future__ import annotations

import math

from .. import codes
from ..dims import UNKNOWN, Checker, Lost, Shape, any_of, broadcast, dim_text, dmin, eq, gt
from ._common import tensor
from ._registry import INT, op


def _two_axes(x: Shape) -> bool:
    """Whether ``x`` has at least two axes; Lost when its rank is not known and might be less."""
    if x.min_rank >= 2 or x.is_fixed:
        return x.min_rank >= 2
    raise Lost(f"the rank of {x} is not known")


def _matrices(ctx: Checker, x: Shape, name: str, arg: str = "A", message: str = "") -> Shape:
    """At least two axes: a batch of matrices."""
    ctx.check(
        _two_axes(x), codes.RANK, message or f"{name}: The input tensor {arg} must have at least 2 dimensions.", arg=arg
    )
    return x


def _square(ctx: Checker, x: Shape, name: str, arg: str = "A") -> Shape:
    """A batch of square matrices: ``[*, n, n]``."""
    _matrices(ctx, x, name, arg)
    _check_square(ctx, x, eq(x[-2], x[-1]), name, arg)
    return x


def _square_or_empty(ctx: Checker, x: Shape, name: str, arg: str = "A") -> None:
    """Square matrices where torch returns early for a tensor without elements, before it checks."""
    _check_square(ctx, x, any_of(eq(x[-2], x[-1]), eq(x.numel(), 0)), name, arg)


def _check_square(ctx: Checker, x: Shape, cond, name: str, arg: str) -> None:
    m, n = x[-2], x[-1]
    ctx.check(
        cond,
        codes.INVALID_ARGUMENT,
        lambda: f"{name}: A must be batches of square matrices, but they are {dim_text(m)} by {dim_text(n)} matrices",
        arg=arg,
        axis=-1,
        expected=m,
        actual=n,
    )


def _batch(x: Shape) -> Shape:
    """The batch axes: all but the last two."""
    return x.with_last(2, ())


@op("torch.linalg.det", "torch.det", "torch.Tensor.det")
def det(ctx, A, *, out=None):
    """[*, n, n] -> [*]."""
    return _batch(_square(ctx, tensor(A, "A"), "linalg.det"))


@op("torch.linalg.inv", "torch.inverse", "torch.Tensor.inverse")
def inv(ctx, A, *, out=None):
    """[*, n, n] -> [*, n, n]."""
    return _square(ctx, tensor(A, "A"), "linalg.inv_ex")


@op("torch.linalg.cholesky")
def cholesky(ctx, A, *, upper=False, out=None):
    """[*, n, n] -> [*, n, n]."""
    return _square(ctx, tensor(A, "A"), "linalg.cholesky")


@op("torch.cholesky", "torch.Tensor.cholesky")
def cholesky_legacy(ctx, input, upper=False, *, out=None):
    """[*, n, n] -> [*, n, n]; a tensor without elements is returned as it is, unchecked."""
    x = tensor(input)
    empty = eq(x.numel(), 0)
    ctx.check(
        True if _two_axes(x) else empty,
        codes.RANK,
        "cholesky: The input tensor A must have at least 2 dimensions.",
        arg="input",
    )
    if _two_axes(x):
        _square_or_empty(ctx, x, "cholesky", "input")
    return x


@op("torch.linalg.matrix_power", "torch.matrix_power", "torch.Tensor.matrix_power")
def matrix_power(ctx, A, n, *, out=None):
    """[*, m, m] -> [*, m, m] for any integer power n."""
    return _square(ctx, tensor(A, "A"), "linalg.matrix_power")


@op("torch.linalg.eigvalsh")
def eigvalsh(ctx, A, UPLO="L", *, out=None):
    """[*, n, n] -> [*, n]; UPLO is 'L' or 'U'."""
    x = _square(ctx, tensor(A, "A"), "linalg.eigh")
    if isinstance(UPLO, str):
        ctx.check(
            len(UPLO) == 1 and UPLO.upper() in "LU",
            codes.INVALID_ARGUMENT,
            f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}",
            param="UPLO",
        )
    return x.with_last(2, (x[-1],))


@op("torch.linalg.svdvals")
def svdvals(ctx, A, *, driver=None, out=None):
    """[*, m, n] -> [*, min(m, n)]."""
    x = _matrices(ctx, tensor(A, "A"), "linalg.svd")
    return x.with_last(2, (dmin(x[-2], x[-1]),))


def _hermitian(ctx: Checker, x: Shape, hermitian) -> None:
    """hermitian=True goes through eigh: square matrices only, unless there are no elements at all."""
    if hermitian is True:
        _square_or_empty(ctx, x, "linalg.eigh")
    elif hermitian is not False:
        raise Lost("whether the input is hermitian is not known statically")


@op("torch.linalg.pinv")
def pinv(ctx, A, rcond=None, hermitian=False, *, atol=None, rtol=None, out=None):
    """[*, m, n] -> [*, n, m]; hermitian=True needs square matrices."""
    x = tensor(A, "A")
    ctx.check(
        _two_axes(x),
        codes.RANK,
        "linalg.pinv: expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types",
    )
    _hermitian(ctx, x, hermitian)
    return x.with_last(2, (x[-1], x[-2]))


@op("torch.pinverse", "torch.Tensor.pinverse")
def pinverse(ctx, input, rcond=1e-15):
    """[*, m, n] -> [*, n, m]."""
    return pinv(ctx, input)


@op("torch.linalg.matrix_rank", dtype=INT)
def matrix_rank(ctx, A, tol=None, hermitian=False, *, atol=None, rtol=None, out=None):
    """[*, m, n] -> [*] of integers; hermitian=True needs square matrices."""
    x = _matrices(ctx, tensor(A, "A"), "torch.linalg.matrix_rank", "input")
    _hermitian(ctx, x, hermitian)
    return _batch(x)


_COND_ORDERS = ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)


@op("torch.linalg.cond")
def cond(ctx, A, p=None, *, out=None):
    """[*, m, n] -> [*]; p=None or +-2 any matrices, other orders square ones (or empty)."""
    x = tensor(A, "A")
    if p is not None and not isinstance(p, (str, int, float)):
        raise Lost("the norm order is not known statically")
    if isinstance(p, str):
        _square(ctx, x, f"linalg.cond(ord={p})")
    else:
        _matrices(ctx, x, "linalg.cond", message="linalg.cond: The input tensor must have at least 2 dimensions.")
    ctx.check(
        p is None or (not isinstance(p, bool) and p in _COND_ORDERS),
        codes.INVALID_ARGUMENT,
        f"linalg.cond got an invalid norm type: {p if isinstance(p, str) else format(p or 0, 'g')}",
        param="p",
    )
    if not isinstance(p, str) and p not in (None, 2, -2):  # +-1, +-inf: square, unless there are no elements
        _square_or_empty(ctx, x, f"linalg.cond(ord={p:g})")
    return _batch(x)


@op("torch.linalg.solve")
def solve(ctx, A, B, *, left=True, out=None):
    """A [*a, n, n], B [*b, n, k] (or [*, n]: a vector) -> [broadcast(a, b), n, k]; left=False solves XA = B."""
    a, b = tensor(A, "A"), tensor(B, "B")
    if a.rank >= 1:
        vector = b.rank == 1 or (b.rank == a.rank - 1 and all(ctx.decide(eq(p, q)) for p, q in zip(b.dims, a.dims)))
    else:
        vector = b.rank == 1
    rhs = Shape(b.dims + (1,)) if vector else b
    _square(ctx, a, "linalg.solve")
    ctx.check(rhs.rank >= 2, codes.RANK, "linalg.solve: The input tensor B must have at least 2 dimensions.", arg="B")
    i = -2 if left else -1
    ctx.check(
        eq(a[i], rhs[i]),
        codes.MATMUL_INNER,
        lambda: (
            f"linalg.solve: Incompatible shapes of A and B for the equation "
            f"{'AX = B' if left else 'XA = B'} ({dim_text(a[-2])}x{dim_text(a[-1])} and "
            f"{dim_text(rhs[-2])}x{dim_text(rhs[-1])})"
        ),
        arg="B",
        axis=i,
        expected=a[i],
        actual=rhs[i],
    )
    batch = broadcast(ctx, _batch(rhs), _batch(a))
    ctx.check(
        left or not vector,
        codes.INVALID_ARGUMENT,
        "linalg.solve: Vector broadcasting of the left hand side is not supported for left=False. In this "
        "case linalg.solve is equivalent to B / A.squeeze(-1)",
        param="left",
    )
    out = Shape(batch.dims + rhs.dims[-2:])
    return Shape(out.dims[:-1]) if vector else out


# -- factorizations with named-tuple results ---------------------------------------------------


@op("torch.linalg.svd", fields=("U", "S", "Vh"))
def svd(ctx, A, full_matrices=True, *, driver=None, out=None):
    """[*, m, n] -> U [*, m, m], S [*, k], Vh [*, n, n]; k = min(m, n) and U [*, m, k], Vh [*, k, n] unless full."""
    x = _matrices(ctx, tensor(A, "A"), "linalg.svd")
    m, n = x[-2], x[-1]
    k = dmin(m, n)
    if full_matrices is not True and full_matrices is not False:
        raise Lost("full_matrices is not known statically")
    u, vh = ((m, m), (n, n)) if full_matrices else ((m, k), (k, n))
    return x.with_last(2, u), x.with_last(2, (k,)), x.with_last(2, vh)


@op("torch.svd", "torch.Tensor.svd", fields=("U", "S", "V"))
def svd_legacy(ctx, input, some=True, compute_uv=True, *, out=None):
    """[*, m, n] -> U [*, m, k], S [*, k], V [*, n, k]; k = min(m, n); some=False: U [*, m, m], V [*, n, n]."""
    x = _matrices(ctx, tensor(input), "linalg.svd", "input")
    m, n = x[-2], x[-1]
    k = dmin(m, n)
    if some is not True and some is not False:
        raise Lost("some is not known statically")
    u, v = ((m, k), (n, k)) if some else ((m, m), (n, n))
    return x.with_last(2, u), x.with_last(2, (k,)), x.with_last(2, v)


def _check_uplo(ctx: Checker, UPLO) -> None:
    if isinstance(UPLO, str):
        ctx.check(
            len(UPLO) == 1 and UPLO.upper() in "LU",
            codes.INVALID_ARGUMENT,
            f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}",
            param="UPLO",
        )


@op("torch.linalg.eigh", fields=("eigenvalues", "eigenvectors"))
def eigh(ctx, A, UPLO="L", *, out=None):
    """[*, n, n] -> eigenvalues [*, n], eigenvectors [*, n, n]; UPLO is 'L' or 'U'."""
    x = _square(ctx, tensor(A, "A"), "linalg.eigh")
    _check_uplo(ctx, UPLO)
    return x.with_last(2, (x[-1],)), x


@op("torch.linalg.slogdet", "torch.slogdet", "torch.Tensor.slogdet", fields=("sign", "logabsdet"))
def slogdet(ctx, A, *, out=None):
    """[*, n, n] -> sign [*], logabsdet [*]."""
    x = _square(ctx, tensor(A, "A"), "linalg.slogdet")
    return _batch(x), _batch(x)


def _qr(ctx: Checker, x: Shape, mode) -> tuple:
    m, n = x[-2], x[-1]
    k = dmin(m, n)
    ctx.check(
        mode in ("reduced", "complete", "r"),
        codes.INVALID_ARGUMENT,
        f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or 'complete'",
        param="mode",
    )
    if mode == "r":
        return Shape([0]), x.with_last(2, (k, n))
    if mode == "complete":
        return x.with_last(2, (m, m)), x.with_last(2, (m, n))
    return x.with_last(2, (m, k)), x.with_last(2, (k, n))


@op("torch.linalg.qr", fields=("Q", "R"))
def qr(ctx, A, mode="reduced", *, out=None):
    """[*, m, n] -> Q [*, m, k], R [*, k, n] (k = min(m, n)); 'complete': Q [*, m, m], R [*, m, n]; 'r': Q [0]."""
    return _qr(ctx, _matrices(ctx, tensor(A, "A"), "linalg.qr"), mode)


@op("torch.qr", "torch.Tensor.qr", fields=("Q", "R"))
def qr_legacy(ctx, input, some=True, *, out=None):
    """[*, m, n] -> Q [*, m, k], R [*, k, n]; some=False: Q [*, m, m], R [*, m, n]."""
    if some is not True and some is not False:
        raise Lost("some is not known statically")
    return _qr(ctx, _matrices(ctx, tensor(input), "linalg.qr", "input"), "reduced" if some else "complete")


@op("torch.linalg.lstsq", fields=("solution", "residuals", codes.RANK, "singular_values"))
def lstsq(ctx, A, B, rcond=None, *, driver=None):
    """A [*, m, n], B [*, m, k] (or [m]) -> solution [*, n, k]; the other fields depend on the driver
    (unknown without one: CPU uses gelsy, CUDA gels) and gelsd/gelss residuals on A's rank."""
    a, b = _matrices(ctx, tensor(A, "A"), "torch.linalg.lstsq"), tensor(B, "B")
    vector = b.is_fixed and b.rank == a.rank - 1
    bm = b.with_last(0, (1,)) if vector else b
    _matrices(ctx, bm, "torch.linalg.lstsq", "B")
    m, n, k = a[-2], a[-1], bm[-1]
    ctx.check(
        eq(a[-2], bm[-2]),
        codes.MATMUL_INNER,
        lambda: (
            f"torch.linalg.lstsq: input.size(-2) should match other.size(-2), got {dim_text(a[-2])} "
            f"and {dim_text(bm[-2])}"
        ),
        expected=a[-2],
        actual=bm[-2],
        arg="B",
        axis=-2,
    )
    batch = broadcast(ctx, _batch(a), _batch(bm))
    solution = Shape(batch.dims + ((n,) if vector else (n, k)))
    if driver is None:
        return solution, UNKNOWN, UNKNOWN, UNKNOWN
    ctx.check(
        driver in ("gels", "gelsy", "gelsd", "gelss"),
        codes.INVALID_ARGUMENT,
        f"torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss), got {driver}",
        param="driver",
    )
    tall = ctx.decide(gt(m, n))
    if driver in ("gelsd", "gelss"):  # residuals only where A has full rank: data
        residuals = UNKNOWN if tall else Shape([0])
    else:
        residuals = Shape(batch.dims + (k,)) if tall and driver == "gels" else Shape([0])
    rank = Shape([0]) if driver == "gels" else _batch(a)
    values = _batch(a).with_last(0, (dmin(m, n),)) if driver in ("gelsd", "gelss") else Shape([0])
    return solution, residuals, rank, values

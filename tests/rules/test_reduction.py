"""Reductions, scans, sorting, top-k, norms and shape queries against torch."""

import math

import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import near, shapes

from shapelens.rules import apply_op


def reference(name: str):
    """The torch callable a rule name stands for: ``torch.f`` or a tensor method."""
    owner, attr = name.rsplit(".", 1)
    if owner == "torch":
        return getattr(torch, attr)
    return lambda self, *args, **kwargs: getattr(self, attr)(*args, **kwargs)


def call(name: str, *args, **kwargs):
    """(rule, torch) for ``name`` applied to a tensor and these arguments."""
    return (lambda ctx, x: apply_op(name, ctx, x, *args, **kwargs), lambda x: reference(name)(x, *args, **kwargs))


def axis(rank: int):
    """An axis of a tensor of this rank, often out of range by one or two."""
    return st.integers(-max(rank, 1) - 2, max(rank, 1) + 1)


def axes(rank: int):
    """A list of axes, repeated now and then; ``[]`` too."""
    return st.lists(axis(rank), max_size=3).map(tuple)


def maybe_empty(max_rank: int = 4):
    """Small shapes, some with an axis of size 0 (ops without an identity reject those)."""
    return shapes(0, max_rank, min_dim=0).flatmap(lambda s: st.sampled_from([s, tuple(max(d, 1) for d in s)]))


@given(
    st.sampled_from(
        [
            "torch.sum",
            "torch.Tensor.sum",
            "torch.nansum",
            "torch.Tensor.nansum",
            "torch.mean",
            "torch.Tensor.mean",
            "torch.nanmean",
            "torch.Tensor.nanmean",
            "torch.count_nonzero",
            "torch.Tensor.count_nonzero",
        ]
    ),
    shapes(0, 4),
    st.booleans(),
    st.data(),
)
def test_sum_mean(name, shape, keepdim, data):
    """None, () and [] reduce every axis; count_nonzero has no keepdim."""
    dim = data.draw(st.one_of(st.none(), axis(len(shape)), axes(len(shape))))
    args = (dim,) if "count_nonzero" in name else (dim, keepdim)
    check(*call(name, *args), [T(shape)])


@given(st.sampled_from(["torch.prod", "torch.Tensor.prod"]), shapes(0, 4), st.booleans(), st.data())
def test_prod(name, shape, keepdim, data):
    """One axis only; without it every axis is reduced."""
    dim = data.draw(st.one_of(st.none(), axis(len(shape))))
    check(*(call(name) if dim is None else call(name, dim, keepdim)), [T(shape)])


@given(
    st.sampled_from(
        ["torch.std", "torch.Tensor.std", "torch.var", "torch.Tensor.var", "torch.std_mean", "torch.var_mean"]
    ),
    shapes(0, 4),
    st.booleans(),
    st.data(),
)
def test_std_var(name, shape, keepdim, data):
    """Both signatures: std(x, dim, unbiased, keepdim) and std(x, dim, *, correction, keepdim)."""
    dim = data.draw(st.one_of(st.none(), axis(len(shape)), axes(len(shape))))
    form = data.draw(st.sampled_from(["unbiased", "correction", "bool"]))
    if form == "unbiased":
        rule, ref = call(name, dim, False, keepdim)
    elif form == "correction":
        rule, ref = call(name, dim, correction=0, keepdim=keepdim)
    else:
        rule, ref = call(name, True)
    check(rule, ref, [T(shape)])


@given(st.sampled_from(["torch.logsumexp", "torch.Tensor.logsumexp"]), shapes(0, 4), st.booleans(), st.data())
def test_logsumexp(name, shape, keepdim, data):
    """dim=[] reduces every axis, and on CPU only with keepdim (torch's own quirk)."""
    dim = data.draw(st.one_of(axis(len(shape)), axes(len(shape))))
    check(*call(name, dim, keepdim), [T(shape)])


@given(
    st.sampled_from(["torch.all", "torch.Tensor.all", "torch.any", "torch.Tensor.any"]),
    shapes(0, 4),
    st.booleans(),
    st.data(),
)
def test_all_any(name, shape, keepdim, data):
    """dim=None reduces every axis, dim=() none."""
    dim = data.draw(st.one_of(st.none(), axis(len(shape)), axes(len(shape))))
    check(*call(name, dim, keepdim), [T(shape, torch.bool)])


@given(
    st.sampled_from(["torch.amax", "torch.Tensor.amax", "torch.amin", "torch.Tensor.amin"]),
    maybe_empty(),
    st.booleans(),
    st.data(),
)
def test_amax_amin(name, shape, keepdim, data):
    dim = data.draw(st.one_of(axis(len(shape)), axes(len(shape))))
    check(*call(name, dim, keepdim), [T(shape)])


@given(
    st.sampled_from(["torch.argmax", "torch.Tensor.argmax", "torch.argmin", "torch.Tensor.argmin"]),
    maybe_empty(),
    st.booleans(),
    st.data(),
)
def test_argmax_argmin(name, shape, keepdim, data):
    """dim=None flattens: [] (all ones under keepdim)."""
    dim = data.draw(st.one_of(st.none(), axis(len(shape))))
    check(*call(name, dim, keepdim), [T(shape)])


@given(
    st.sampled_from(["torch.max", "torch.Tensor.max", "torch.min", "torch.Tensor.min"]),
    maybe_empty(),
    st.booleans(),
    st.data(),
)
def test_max_min(name, shape, keepdim, data):
    """Of all (-> []), along a dim (-> values, indices), or elementwise with a tensor."""
    form = data.draw(st.sampled_from(["all", "dim", "other", "other="]))
    if form == "all":
        check(*call(name), [T(shape)])
    elif form == "dim":
        check(*call(name, data.draw(axis(len(shape))), keepdim), [T(shape)])
    else:
        other = T(data.draw(st.one_of(shapes(0, 2), st.just(shape[-2:]))))
        if form == "other":
            rule, ref = (lambda ctx, x, y: apply_op(name, ctx, x, y)), reference(name)
        else:
            rule = lambda ctx, x, y: apply_op(name, ctx, x, other=y)  # noqa: E731
            ref = lambda x, y: reference(name)(x, other=y)  # noqa: E731
        check(rule, ref, [T(shape), other])


@given(
    st.sampled_from(
        [
            "torch.median",
            "torch.Tensor.median",
            "torch.nanmedian",
            "torch.Tensor.nanmedian",
            "torch.mode",
            "torch.Tensor.mode",
        ]
    ),
    maybe_empty(),
    st.booleans(),
    st.data(),
)
def test_median_mode(name, shape, keepdim, data):
    """median() of all is [] (nan when empty); along a dim it needs that axis non-empty."""
    dim = data.draw(st.one_of(st.none(), axis(len(shape))) if "median" in name else axis(len(shape)))
    check(*(call(name) if dim is None else call(name, dim, keepdim)), [T(shape)])


@given(st.sampled_from(["torch.kthvalue", "torch.Tensor.kthvalue"]), maybe_empty(), st.booleans(), st.data())
def test_kthvalue(name, shape, keepdim, data):
    dim = data.draw(axis(len(shape)))
    size = shape[dim] if shape and -len(shape) <= dim < len(shape) else 1
    k = data.draw(near(size, 2))
    check(*call(name, k, dim, keepdim), [T(shape)])


@given(st.sampled_from(["torch.topk", "torch.Tensor.topk"]), maybe_empty(), st.data())
def test_topk(name, shape, data):
    dim = data.draw(axis(len(shape)))
    size = shape[dim] if shape and -len(shape) <= dim < len(shape) else 1
    k = data.draw(st.one_of(near(size, 2), st.integers(-1, size)))
    check(*call(name, k, dim, largest=data.draw(st.booleans())), [T(shape)])


@given(st.sampled_from(["torch.norm", "torch.Tensor.norm"]), maybe_empty(), st.booleans(), st.data())
def test_norm(name, shape, keepdim, data):
    """Vector norms over dim, 'fro' over <= 2 axes, matrix norms ('nuc', 'fro' over more) over 2."""
    p = data.draw(st.sampled_from(["fro", "nuc", None, 1, 2, 0, -1, math.inf, -math.inf, "abc"]))
    dim = data.draw(st.one_of(st.none(), axis(len(shape)), axes(len(shape))))
    check(*call(name, p, dim, keepdim), [T(shape)])


@given(
    st.sampled_from(
        [
            "torch.cumsum",
            "torch.Tensor.cumsum",
            "torch.Tensor.cumsum_",
            "torch.cumprod",
            "torch.Tensor.cumprod",
            "torch.Tensor.cumprod_",
            "torch.logcumsumexp",
            "torch.Tensor.logcumsumexp",
            "torch.cummax",
            "torch.Tensor.cummax",
            "torch.cummin",
            "torch.Tensor.cummin",
            "torch.argsort",
            "torch.Tensor.argsort",
        ]
    ),
    maybe_empty(),
    st.data(),
)
def test_scans(name, shape, data):
    """Scans and argsort keep the shape; only the axis is checked."""
    check(*call(name, data.draw(axis(len(shape)))), [T(shape)])


@given(
    st.sampled_from(["torch.sort", "torch.Tensor.sort", "torch.argsort", "torch.Tensor.argsort"]),
    shapes(0, 4),
    st.booleans(),
    st.data(),
)
def test_sort(name, shape, descending, data):
    dim = data.draw(axis(len(shape)))
    check(*call(name, dim=dim, descending=descending, stable=data.draw(st.booleans())), [T(shape)])


@given(maybe_empty(), st.data())
def test_shape_queries(shape, data):
    """Sizes are ints and tuples of ints; torch.Size compares as a tuple."""
    x = [T(shape)]
    for name in (
        "torch.Tensor.size",
        "torch.Tensor.dim",
        "torch.Tensor.ndimension",
        "torch.numel",
        "torch.Tensor.numel",
        "torch.Tensor.nelement",
        "torch.Tensor.__len__",
    ):
        check(*call(name), x)
    for name in ("torch.Tensor.shape", "torch.Tensor.ndim"):
        attr = name.rsplit(".", 1)[1]
        check(lambda ctx, x, name=name: apply_op(name, ctx, x), lambda x, attr=attr: getattr(x, attr), x)
    dim = data.draw(axis(len(shape)))
    check(*call("torch.Tensor.size", dim), x)
    check(*call("torch.Tensor.size", dim=dim), x)


@given(st.sampled_from(["torch.diff", "torch.Tensor.diff"]), shapes(0, 3, min_dim=0), st.integers(-1, 4), st.data())
def test_diff(name, shape, n, data):
    """prepend/append match input but along dim, where their lengths add to input's."""
    rank = len(shape)
    dim = data.draw(axis(rank))
    along = dim % rank if rank and -rank <= dim < rank else None

    def extra():
        if not data.draw(st.booleans()):
            return None
        out = [data.draw(st.sampled_from([d, d, d + 1])) for d in shape]
        if along is not None:
            out[along] = data.draw(st.integers(0, 3))
        if data.draw(st.integers(0, 5)) == 0:
            out = out[1:]
        return T(tuple(out))

    prepend, append = extra(), extra()
    check(
        lambda ctx, x, p, a: apply_op(name, ctx, x, n, dim, p, a),
        lambda x, p, a: reference(name)(x, n, dim, p, a),
        [T(shape), prepend, append],
    )


@given(st.sampled_from(["torch.trace", "torch.Tensor.trace"]), shapes(0, 3, min_dim=0))
def test_trace(name, shape):
    check(*call(name), [T(shape)])


VECTOR_ORDS = [2, 1, 0, -1, 0.5, math.inf, -math.inf]
MATRIX_ORDS = ["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf, 3, "abc"]


@given(maybe_empty(), st.sampled_from(VECTOR_ORDS + ["fro"]), st.booleans(), st.data())
def test_linalg_vector_norm(shape, ord, keepdim, data):
    dim = data.draw(st.one_of(st.none(), axis(len(shape)), axes(len(shape))))
    check(
        lambda ctx, x: apply_op("torch.linalg.vector_norm", ctx, x, ord, dim, keepdim),
        lambda x: torch.linalg.vector_norm(x, ord, dim, keepdim),
        [T(shape)],
    )


@given(maybe_empty(), st.sampled_from(MATRIX_ORDS), st.booleans(), st.data())
def test_linalg_matrix_norm(shape, ord, keepdim, data):
    rank = len(shape)
    dim = data.draw(st.one_of(st.just((-2, -1)), st.lists(axis(rank), min_size=1, max_size=3).map(tuple)))
    check(
        lambda ctx, x: apply_op("torch.linalg.matrix_norm", ctx, x, ord, dim, keepdim),
        lambda x: torch.linalg.matrix_norm(x, ord, dim, keepdim),
        [T(shape)],
    )


@given(maybe_empty(), st.sampled_from([None] + VECTOR_ORDS + MATRIX_ORDS), st.booleans(), st.data())
def test_linalg_norm(shape, ord, keepdim, data):
    """No dim: 2-D takes a matrix norm, 1-D a vector norm, other ranks only ord=None (all flattened)."""
    rank = len(shape)
    dim = data.draw(st.one_of(st.none(), axis(rank), st.lists(axis(rank), max_size=3).map(tuple)))
    check(
        lambda ctx, x: apply_op("torch.linalg.norm", ctx, x, ord, dim, keepdim),
        lambda x: torch.linalg.norm(x, ord, dim, keepdim),
        [T(shape)],
    )

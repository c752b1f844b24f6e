"""matmul and friends, the add* fused ops, tensordot, kron, multi_dot, vecdot, einsum against torch."""

import warnings

import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import dims, near, shapes

from shapelens.rules import apply_op


def broadcastable(shape, data):
    """A shape that broadcasts with ``shape`` most of the time: a suffix, some axes set to 1."""
    mode = data.draw(st.sampled_from(["same", "suffix", "ones", "other"]))
    if mode == "other":
        return data.draw(shapes(0, 3, max_dim=4))
    if mode == "same":
        return tuple(shape)
    start = data.draw(st.integers(0, len(shape)))
    out = list(shape[start:])
    if mode == "ones":
        out = [1 if data.draw(st.booleans()) else d for d in out]
        out = [1] * data.draw(st.integers(0, 1)) + out
    return tuple(out)


def operand(kind, batch, rows, inner):
    """A matmul operand: [] (rejected by torch), [k], or [*batch, rows, k]."""
    return {"scalar": (), "vector": (inner,), "matrix": tuple(batch) + (rows, inner)}[kind]


KINDS = st.sampled_from(["vector", "matrix", "matrix", "matrix", "scalar"])


@given(KINDS, KINDS, dims(), dims(), dims(), shapes(0, 2, max_dim=4), st.data())
def test_matmul(kind_a, kind_b, n, k, m, batch, data):
    name = data.draw(st.sampled_from(["torch.matmul", "torch.Tensor.matmul", "torch.Tensor.__matmul__"]))
    a = operand(kind_a, batch, n, k)
    b = operand(kind_b, broadcastable(batch, data), m, data.draw(near(k, 1)))
    if kind_b == "matrix":
        b = b[:-2] + b[-1:] + (m,)  # [*batch, k', m]
    check(lambda ctx, x, y: apply_op(name, ctx, x, y), torch.matmul, [T(a), T(b)])


@given(shapes(1, 4, max_dim=4), shapes(1, 4, max_dim=4), st.data())
def test_rmatmul(a, b, data):
    b = b[:-2] + (a[-1],) + b[-1:] if len(b) >= 2 and data.draw(st.booleans()) else b
    check(
        lambda ctx, x, y: apply_op("torch.Tensor.__rmatmul__", ctx, y, x), lambda x, y: y.__rmatmul__(x), [T(a), T(b)]
    )


def often(data, valid, *invalid):
    """``valid`` most of the time, otherwise one of the ``invalid`` alternatives."""
    return data.draw(st.sampled_from([valid] * (2 * len(invalid) + 3) + list(invalid)))


@given(dims(), dims(), dims(), st.data())
def test_mm(n, k, m, data):
    name = data.draw(st.sampled_from(["torch.mm", "torch.Tensor.mm"]))
    a = often(data, (n, k), (k,), (1, n, k))
    b = often(data, (data.draw(near(k, 1)), m), (k,), (1, k, m))
    check(lambda ctx, x, y: apply_op(name, ctx, x, y), torch.mm, [T(a), T(b)])


@given(dims(), dims(), dims(), dims(), st.data())
def test_bmm(b, n, k, m, data):
    name = data.draw(st.sampled_from(["torch.bmm", "torch.Tensor.bmm"]))
    x = often(data, (b, n, k), (n, k))
    y = often(data, (data.draw(near(b, 1)), data.draw(near(k, 1)), m), (k, m))
    check(lambda ctx, p, q: apply_op(name, ctx, p, q), torch.bmm, [T(x), T(y)])


@given(dims(), dims(), st.data())
def test_mv(n, k, data):
    name = data.draw(st.sampled_from(["torch.mv", "torch.Tensor.mv"]))
    mat = often(data, (n, k), (k,), (1, n, k))
    vec = often(data, (data.draw(near(k, 1)),), (k, 1))
    check(lambda ctx, p, q: apply_op(name, ctx, p, q), torch.mv, [T(mat), T(vec)])


@given(dims(), st.data())
def test_dot(n, data):
    name, ref = data.draw(
        st.sampled_from(
            [
                ("torch.dot", torch.dot),
                ("torch.Tensor.dot", torch.Tensor.dot),
                ("torch.vdot", torch.vdot),
                ("torch.Tensor.vdot", torch.Tensor.vdot),
            ]
        )
    )
    a = often(data, (n,), (), (n, 1))
    b = often(data, (data.draw(near(n, 1)),), (1, n))
    check(lambda ctx, p, q: apply_op(name, ctx, p, q), ref, [T(a), T(b)])


@given(shapes(0, 3), shapes(0, 3), st.data())
def test_inner(a, b, data):
    name = data.draw(st.sampled_from(["torch.inner", "torch.Tensor.inner"]))
    if a and b and data.draw(st.booleans()):
        b = b[:-1] + a[-1:]
    check(lambda ctx, p, q: apply_op(name, ctx, p, q), torch.inner, [T(a), T(b)])


@given(dims(), dims(), st.data())
def test_outer(n, m, data):
    name, ref = data.draw(
        st.sampled_from(
            [
                ("torch.outer", torch.outer),
                ("torch.Tensor.outer", torch.outer),
                ("torch.ger", torch.ger),
                ("torch.Tensor.ger", torch.ger),
            ]
        )
    )
    a = often(data, (n,), (), (n, m))
    b = often(data, (m,), (1, m))
    check(lambda ctx, p, q: apply_op(name, ctx, p, q), ref, [T(a), T(b)])


@given(shapes(0, 3), shapes(0, 3), st.data())
def test_kron(a, b, data):
    name = data.draw(st.sampled_from(["torch.kron", "torch.Tensor.kron"]))
    check(lambda ctx, p, q: apply_op(name, ctx, p, q), torch.kron, [T(a), T(b)])


@given(shapes(0, 4, max_dim=4), shapes(0, 4, max_dim=4), st.data())
def test_tensordot(a, b, data):
    kind = data.draw(st.sampled_from(["int", "lists"]))
    if kind == "int":
        n = data.draw(st.integers(-1, 3))
        if n > 0 and len(a) >= n and len(b) >= n and data.draw(st.booleans()):
            b = a[len(a) - n :] + b[n:]
        dims_arg = n
    else:
        count = data.draw(st.integers(0, 2))
        axis = st.integers(-4, 3)
        dims_arg = (
            data.draw(st.lists(axis, min_size=count, max_size=count)),
            data.draw(st.lists(axis, min_size=count, max_size=count + data.draw(st.integers(0, 1)))),
        )
    check(
        lambda ctx, p, q: apply_op("torch.tensordot", ctx, p, q, dims=dims_arg),
        lambda p, q: torch.tensordot(p, q, dims=dims_arg),
        [T(a), T(b)],
    )


@given(dims(), dims(), dims(), st.data())
def test_addmm(n, k, m, data):
    name = data.draw(st.sampled_from(["torch.addmm", "torch.Tensor.addmm"]))
    mat1 = often(data, (n, k), (k,))
    mat2 = (data.draw(near(k, 1)), m)
    inp = broadcastable((n, m), data)
    check(lambda ctx, i, p, q: apply_op(name, ctx, i, p, q, beta=0.5), torch.addmm, [T(inp), T(mat1), T(mat2)])


@given(dims(), dims(), st.data())
def test_addmv(n, k, data):
    name = data.draw(st.sampled_from(["torch.addmv", "torch.Tensor.addmv"]))
    mat = often(data, (n, k), (n, k, 1), (k,))
    vec = often(data, (data.draw(near(k, 1)),), (k, 1))
    inp = broadcastable((n,), data)
    check(lambda ctx, i, p, q: apply_op(name, ctx, i, p, q), torch.addmv, [T(inp), T(mat), T(vec)])


@given(dims(), dims(), st.data())
def test_addr(n, m, data):
    name = data.draw(st.sampled_from(["torch.addr", "torch.Tensor.addr"]))
    vec1 = often(data, (n,), (n, 1))
    vec2 = often(data, (m,), (1, m))
    inp = broadcastable((n, m), data)
    check(lambda ctx, i, p, q: apply_op(name, ctx, i, p, q, alpha=2), torch.addr, [T(inp), T(vec1), T(vec2)])


@given(dims(), dims(), dims(), dims(), st.data())
def test_baddbmm(b, n, k, m, data):
    name = data.draw(st.sampled_from(["torch.baddbmm", "torch.Tensor.baddbmm"]))
    batch1 = often(data, (b, n, k), (n, k))
    batch2 = (data.draw(near(b, 1)), data.draw(near(k, 1)), m)
    inp = broadcastable((b, n, m), data)
    check(lambda ctx, i, p, q: apply_op(name, ctx, i, p, q), torch.baddbmm, [T(inp), T(batch1), T(batch2)])


@given(dims(), dims(), dims(), dims(), st.data())
def test_addbmm(b, n, k, m, data):
    name = data.draw(st.sampled_from(["torch.addbmm", "torch.Tensor.addbmm"]))
    batch1 = often(data, (b, n, k), (n, k))
    batch2 = (data.draw(near(b, 1)), data.draw(near(k, 1)), m)
    inp = broadcastable((n, m), data)
    check(lambda ctx, i, p, q: apply_op(name, ctx, i, p, q), torch.addbmm, [T(inp), T(batch1), T(batch2)])


def chain(data, count):
    """``count`` matrices that mostly chain ([a, b], [b, c], ...), the ends sometimes vectors."""
    sizes = data.draw(st.lists(dims(1, 4), min_size=count + 1, max_size=count + 1))
    out = []
    for i in range(count):
        rows = sizes[i] if data.draw(st.integers(0, 9)) else sizes[i] + 1
        out.append(
            data.draw(st.sampled_from([(rows, sizes[i + 1]), (rows, sizes[i + 1], 1), (sizes[i + 1],)]))
            if i in (0, count - 1) and data.draw(st.booleans())
            else (rows, sizes[i + 1])
        )
    return out


@given(st.integers(0, 4), st.data())
def test_multi_dot(count, data):
    mats = chain(data, count)
    check(
        lambda ctx, *xs: apply_op("torch.linalg.multi_dot", ctx, list(xs)),
        lambda *xs: torch.linalg.multi_dot(list(xs)),
        [T(s) for s in mats],
    )


@given(st.integers(0, 4), st.data())
def test_chain_matmul(count, data):
    mats = chain(data, count)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(
            lambda ctx, *xs: apply_op("torch.chain_matmul", ctx, *xs),
            lambda *xs: torch.chain_matmul(*xs),
            [T(s) for s in mats],
        )


@given(shapes(0, 3), st.integers(-4, 3), st.data())
def test_vecdot(x, dim, data):
    y = broadcastable(x, data)
    check(
        lambda ctx, p, q: apply_op("torch.linalg.vecdot", ctx, p, q, dim=dim),
        lambda p, q: torch.linalg.vecdot(p, q, dim=dim),
        [T(x), T(y)],
    )


EINSUM = [
    "ij,jk->ik",
    "ij,jk",
    "bij,bjk->bik",
    "...ij,...jk->...ik",
    "...ij,...jk",
    "ii->i",
    "ii",
    "iij->j",
    "i,i->",
    "i,j->ij",
    "bhqd,bhkd->bhqk",
    "b i d, b j d -> b i j",
    "...d,d->...",
    "i...j->j...i",
    "ij->ji",
    "ij->",
    "ba,Ac",
    "ij->...ij",
    "...ij->ij",
    "ii,i->i",
    "bn,anm,bm->ba",
    "ij->ik",
    "ij->ii",
    "i.j->j",
    "......->",
    "i1->i",
    "ij->j->i",
    "ij,jk,kl->il",
]


def einsum_operand(labels, sizes, data):
    """A shape for one operand: each label its size (sometimes 1 or off by one), '...' 0-2 axes."""
    shape = []
    for part in labels.replace(" ", "").split("..."):
        for c in part:
            size = sizes.setdefault(c, data.draw(dims(1, 4)))
            shape.append(data.draw(st.sampled_from([size, size, size, 1, size + 1])))
        if part is not labels.replace(" ", "").split("...")[-1]:
            shape.extend(data.draw(st.lists(st.sampled_from([1, 2, 3]), max_size=2)))
    return tuple(shape)


@given(st.sampled_from(EINSUM), st.data())
def test_einsum(equation, data):
    lhs = equation.split("->")[0]
    sizes = {}
    operands = [einsum_operand(labels, sizes, data) for labels in lhs.split(",")]
    if data.draw(st.integers(0, 5)) == 0:
        operands = operands[:-1] if len(operands) > 1 and data.draw(st.booleans()) else operands + [(2,)]
    if data.draw(st.integers(0, 5)) == 0:
        operands[0] = operands[0] + (2,)
    as_list = data.draw(st.booleans())
    rule = (
        (lambda ctx, *xs: apply_op("torch.einsum", ctx, equation, list(xs)))
        if as_list
        else (lambda ctx, *xs: apply_op("torch.einsum", ctx, equation, *xs))
    )
    check(rule, lambda *xs: torch.einsum(equation, *xs), [T(s) for s in operands])


def test_matmul_symbolic():
    """Symbolic and variadic operands: batches kept, the inner sizes unified or stated."""
    from shapelens.dims import Checker, Shape, sym

    B, T_, C, D = sym("B"), sym("T"), sym("C"), sym("D")
    ctx = Checker()
    assert apply_op("torch.matmul", ctx, Shape([B, T_, C]), Shape([C, D])) == Shape([B, T_, D])
    assert apply_op("torch.matmul", ctx, Shape([], "batch", [T_, C]), Shape([C])) == Shape([], "batch", [T_])
    assert apply_op("torch.matmul", ctx, Shape([B, 1, T_, C]), Shape([4, C, T_])) == Shape([B, 4, T_, T_])
    assert not ctx.conditions
    apply_op("torch.matmul", ctx, Shape([B, T_, C]), Shape([D, 5]))
    assert [str(c.cond) for c in ctx.conditions] == ["C == D"]


@st.composite
def cross_pair(draw):
    """Shapes with a few axes of size 3, the other operand broadcasting or not, its rank maybe off."""
    a = tuple(draw(st.sampled_from([3, 3, 1, 2, 4])) for _ in range(draw(st.integers(0, 3))))
    b = [draw(st.sampled_from([d, d, 1, d + 1])) for d in a]
    if draw(st.integers(0, 5)) == 0:
        b = b[1:] if draw(st.booleans()) else [3] + b
    return a, tuple(b)


@given(cross_pair(), st.sampled_from(["torch.cross", "torch.Tensor.cross", "torch.linalg.cross"]), st.data())
def test_cross(pair, name, data):
    a, b = pair
    dim = data.draw(st.one_of(st.none(), st.integers(-len(a) - 1, len(a))))
    if name == "torch.linalg.cross":
        kwargs = {} if dim is None else {"dim": dim}
        check(
            lambda ctx, x, y: apply_op(name, ctx, x, y, **kwargs),
            lambda x, y: torch.linalg.cross(x, y, **kwargs),
            [T(a), T(b)],
        )
    else:
        ref = torch.cross if name == "torch.cross" else (lambda x, y, d: x.cross(y, d))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # cross without dim is deprecated
            check(lambda ctx, x, y: apply_op(name, ctx, x, y, dim), lambda x, y: ref(x, y, dim), [T(a), T(b)])

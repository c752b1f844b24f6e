"""Joining and splitting against torch: cat/stack and friends, split/chunk/tensor_split, narrow/select."""

import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import near, shapes
from test_views import check_symbolic_sizes

from shapelens.dims import Checker, Lost, Shape, sym
from shapelens.rules import apply_op


@st.composite
def joinable(draw, max_tensors: int = 3, max_rank: int = 3):
    """Shapes that agree except along one axis, with near misses, other ranks and legacy [0]s."""
    base = draw(shapes(1, max_rank, max_dim=4))
    axis = draw(st.integers(0, len(base) - 1))
    out = []
    for _ in range(draw(st.integers(1, max_tensors))):
        shape = list(base)
        shape[axis] = draw(st.integers(0, 4))
        kind = draw(st.sampled_from(["same", "same", "same", "near", "rank", "legacy", "scalar"]))
        if kind == "near":
            i = draw(st.integers(0, len(shape) - 1))
            shape[i] = draw(near(shape[i], 1))
        elif kind == "rank":
            shape = shape + [1] if draw(st.booleans()) else shape[:-1]
        elif kind == "legacy":
            shape = [0]
        elif kind == "scalar":
            shape = []
        out.append(tuple(shape))
    return out, axis


def axes(shape: tuple):
    """An axis of shape, sometimes one just out of range."""
    rank = len(shape)
    if not rank:
        return st.integers(-1, 1)
    return st.one_of(st.integers(-rank, rank - 1), st.integers(-rank - 1, rank))


SOME = st.one_of(shapes(1, 3, max_dim=6), shapes(0, 3, min_dim=0, max_dim=6))

CATS = {"torch.cat": torch.cat, "torch.concat": torch.concat, "torch.concatenate": torch.concatenate}


@given(joinable(), st.sampled_from(sorted(CATS)), st.data())
def test_cat(tensors, name, data):
    shapes_, axis = tensors
    dim = data.draw(st.one_of(st.just(axis), st.just(axis - len(shapes_[0])), st.integers(-4, 3)))
    fn = CATS[name]
    check(lambda ctx, *xs: apply_op(name, ctx, list(xs), dim), lambda *xs: fn(list(xs), dim), [T(s) for s in shapes_])


@given(
    st.sampled_from(
        sorted(CATS) + ["torch.stack", "torch.hstack", "torch.vstack", "torch.dstack", "torch.column_stack"]
    )
)
def test_join_nothing(name):
    fn = CATS.get(name) or getattr(torch, name.rsplit(".", 1)[1])
    check(lambda ctx: apply_op(name, ctx, []), lambda: fn([]), [])


@given(st.lists(shapes(0, 3, max_dim=3), min_size=1, max_size=3), st.integers(-4, 3), st.booleans())
def test_stack(shapes_, dim, same):
    if same:
        shapes_ = [shapes_[0]] * len(shapes_)
    check(
        lambda ctx, *xs: apply_op("torch.stack", ctx, xs, dim),
        lambda *xs: torch.stack(xs, dim),
        [T(s) for s in shapes_],
    )


STACKS = {
    "torch.hstack": torch.hstack,
    "torch.vstack": torch.vstack,
    "torch.row_stack": torch.row_stack,
    "torch.dstack": torch.dstack,
    "torch.column_stack": torch.column_stack,
}


@given(st.sampled_from(sorted(STACKS)), st.data())
def test_hvd_stack(name, data):
    shapes_, _ = data.draw(
        st.one_of(joinable(3, 3), st.lists(shapes(0, 2, max_dim=3), min_size=1, max_size=3).map(lambda s: (s, 0)))
    )
    fn = STACKS[name]
    check(lambda ctx, *xs: apply_op(name, ctx, list(xs)), lambda *xs: fn(list(xs)), [T(s) for s in shapes_])


SPLITS = {"torch.split": lambda x, s, d: torch.split(x, s, d), "torch.Tensor.split": lambda x, s, d: x.split(s, d)}


@given(SOME, st.sampled_from(sorted(SPLITS)), st.one_of(st.integers(1, 7), st.integers(-1, 7)), st.data())
def test_split_size(shape, name, size, data):
    dim = data.draw(axes(shape))
    check(lambda ctx, x: apply_op(name, ctx, x, size, dim), lambda x: SPLITS[name](x, size, dim), [T(shape)])


@given(shapes(0, 3, max_dim=6), st.sampled_from(sorted(SPLITS)), st.data())
def test_split_sizes(shape, name, data):
    dim = data.draw(axes(shape))
    length = shape[dim] if -len(shape) <= dim < len(shape) else 4
    cuts = sorted(data.draw(st.lists(st.integers(0, length), max_size=3)))
    sizes = [b - a for a, b in zip([0] + cuts, cuts + [length])]
    if data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(sizes) - 1))
        sizes[i] = data.draw(near(sizes[i], 2)) if data.draw(st.booleans()) else -1
    sizes = data.draw(st.sampled_from([sizes, tuple(sizes)]))
    check(lambda ctx, x: apply_op(name, ctx, x, sizes, dim), lambda x: SPLITS[name](x, sizes, dim), [T(shape)])


@given(st.integers(1, 4), st.integers(1, 8), st.integers(0, 3))
def test_split_sizes_symbolic(B, C, k):
    """``x.split([k, C - k], dim=1)`` on [B, C] holds only if C >= k."""
    check_symbolic_sizes(
        lambda ctx, x, s: apply_op("torch.Tensor.split", ctx, x, s, 1),
        lambda x, s: x.split(s, 1),
        (B, C),
        lambda B, C: ([k, C - k],),
    )


def test_split_of_a_multiple_is_known():
    """nanoGPT's ``q, k, v = c_attn(x).split(n_embd, dim=2)`` on [B, T, 3*n_embd]."""
    B, T_, C = sym("B"), sym("T"), sym("n_embd")
    x = Shape([B, T_, 3 * C])
    assert apply_op("torch.Tensor.split", Checker(), x, C, 2) == (Shape([B, T_, C]),) * 3
    assert apply_op("torch.Tensor.chunk", Checker(), x, 3, -1) == (Shape([B, T_, C]),) * 3
    assert apply_op("torch.tensor_split", Checker(), x, 3, 2) == (Shape([B, T_, C]),) * 3


@given(st.sampled_from([("torch.Tensor.split", (2, 1)), ("torch.Tensor.chunk", (2, 1)), ("torch.unbind", (1,))]))
def test_pieces_of_a_symbolic_axis_are_lost(call):
    """How many pieces ``split(2)`` of [B, T] gives depends on T: inference is lost, not guessed."""
    name, args = call
    try:
        apply_op(name, Checker(), Shape([sym("B"), sym("T")]), *args)
    except Lost:
        return
    raise AssertionError(f"{name} guessed a number of pieces")


CHUNKS = ["torch.chunk", "torch.Tensor.chunk"]


@given(SOME, st.sampled_from(CHUNKS), st.one_of(st.integers(1, 8), st.integers(-1, 8)), st.data())
def test_chunk(shape, name, chunks, data):
    dim = data.draw(axes(shape))
    check(lambda ctx, x: apply_op(name, ctx, x, chunks, dim), lambda x: torch.chunk(x, chunks, dim), [T(shape)])


@given(shapes(0, 3, min_dim=0), st.sampled_from(["torch.unbind", "torch.Tensor.unbind"]), st.data())
def test_unbind(shape, name, data):
    dim = data.draw(axes(shape))
    check(lambda ctx, x: apply_op(name, ctx, x, dim), lambda x: torch.unbind(x, dim), [T(shape)])


@given(
    shapes(0, 3, min_dim=0, max_dim=7), st.sampled_from(["torch.tensor_split", "torch.Tensor.tensor_split"]), st.data()
)
def test_tensor_split(shape, name, data):
    dim = data.draw(axes(shape))
    how = data.draw(
        st.one_of(
            st.integers(-1, 8),
            st.lists(st.integers(-9, 9), max_size=3),
            st.lists(st.integers(-9, 9), max_size=3).map(tuple),
        )
    )
    check(lambda ctx, x: apply_op(name, ctx, x, how, dim), lambda x: torch.tensor_split(x, how, dim), [T(shape)])


HVD = {
    "torch.hsplit": torch.hsplit,
    "torch.vsplit": torch.vsplit,
    "torch.dsplit": torch.dsplit,
    "torch.Tensor.hsplit": torch.Tensor.hsplit,
    "torch.Tensor.vsplit": torch.Tensor.vsplit,
    "torch.Tensor.dsplit": torch.Tensor.dsplit,
}


@given(shapes(0, 4, max_dim=6), st.sampled_from(sorted(HVD)), st.data())
def test_hvd_split(shape, name, data):
    how = data.draw(st.one_of(st.integers(1, 3), st.integers(-3, 6), st.lists(st.integers(-7, 7), max_size=3)))
    fn = HVD[name]
    check(lambda ctx, x: apply_op(name, ctx, x, how), lambda x: fn(x, how), [T(shape)])


@given(SOME, st.sampled_from(["torch.narrow", "torch.Tensor.narrow"]), st.data())
def test_narrow(shape, name, data):
    dim = data.draw(axes(shape))
    size = shape[dim] if -len(shape) <= dim < len(shape) else 3
    start = data.draw(st.one_of(st.integers(-size, size), st.integers(-size - 1, size + 1)))
    room = size - (start + size if start < 0 else start)
    length = data.draw(st.one_of(st.integers(0, max(room, 0)), st.integers(-1, size + 1)))
    check(
        lambda ctx, x: apply_op(name, ctx, x, dim, start, length),
        lambda x: torch.narrow(x, dim, start, length),
        [T(shape)],
    )


@given(st.integers(1, 4), st.integers(1, 8), st.integers(-3, 3), st.integers(-1, 3))
def test_narrow_symbolic_sizes(B, C, offset, shrink):
    """``x.narrow(1, C - k, k)``: the last k columns, within bounds exactly when 0 <= k <= C."""
    check_symbolic_sizes(
        lambda ctx, x, *a: apply_op("torch.narrow", ctx, x, 1, *a),
        lambda x, *a: torch.narrow(x, 1, *a),
        (B, C),
        lambda B, C: (C - shrink, shrink + offset),
    )


@given(SOME, st.sampled_from(["torch.select", "torch.Tensor.select"]), st.data())
def test_select(shape, name, data):
    dim = data.draw(axes(shape))
    size = shape[dim] if -len(shape) <= dim < len(shape) else 2
    index = data.draw(st.one_of(st.integers(-size, max(size - 1, -size)), st.integers(-size - 1, size)))
    check(lambda ctx, x: apply_op(name, ctx, x, dim, index), lambda x: torch.select(x, dim, index), [T(shape)])


@given(st.lists(shapes(0, 2, min_dim=0, max_dim=4), max_size=4))
def test_cartesian_prod(shapes_):
    check(
        lambda ctx, *xs: apply_op("torch.cartesian_prod", ctx, *xs),
        lambda *xs: torch.cartesian_prod(*xs),
        [T(s) for s in shapes_],
    )


@given(st.lists(shapes(0, 3, min_dim=0, max_dim=4), max_size=4))
def test_block_diag(shapes_):
    check(
        lambda ctx, *xs: apply_op("torch.block_diag", ctx, *xs),
        lambda *xs: torch.block_diag(*xs),
        [T(s) for s in shapes_],
    )

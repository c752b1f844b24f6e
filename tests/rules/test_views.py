"""Views and reshapes against torch: view/reshape, flatten, squeeze, permute, expand, repeat..."""

import oracle
import torch
import torch.nn as nn
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import near, shapes

from shapelens.dims import Checker, Lost, Shape, ShapeError, sym
from shapelens.rules import apply_layer, apply_op

SIZE_STATS = {"symbolic": 0, "symbolic_lost": 0}


def check_symbolic_sizes(rule, reference, shape: tuple, make_sizes) -> None:
    """``oracle.check``, then once more with the size arguments written in the input's symbols.

    ``make_sizes(*dims)`` builds the size arguments from the input dims (``lambda B, T, C:
    (B, T, 2, C // 2)``): with ints for torch, with symbols ``d0, d1...`` for the rule, which must
    then state exactly the conditions under which torch succeeds.
    """
    expected = check(rule, reference, [T(shape), *make_sizes(*shape)])
    if not all(d >= 1 for d in shape):
        return
    values = {f"d{i}": d for i, d in enumerate(shape)}
    symbols = [sym(name) for name in values]
    ctx = Checker()
    try:
        got = rule(ctx, Shape(symbols), *make_sizes(*symbols))
    except ShapeError as exc:
        assert expected[0] == "error", f"certain error on symbols but torch succeeds: {exc.message}"
        return
    except Lost:
        SIZE_STATS["symbolic_lost"] += 1
        return
    SIZE_STATS["symbolic"] += 1
    failed = [str(c.cond) for c in ctx.conditions if not c.cond.holds_for(values)]
    if expected[0] == "error":
        assert failed, f"torch raised but no stated condition fails: {[str(c.cond) for c in ctx.conditions]}"
        return
    assert not failed, f"torch succeeds but conditions fail: {failed}"
    assert oracle._from_rule(got, values) == expected[1], f"rule {got!r} vs torch {expected[1]!r}"


@st.composite
def regroup(draw, numel: int, max_len: int = 4):
    """Sizes for ``view``: a factorisation of numel, then maybe a -1, a near miss or a bad size."""
    sizes, rest = [], numel
    for _ in range(draw(st.integers(0, max_len - 1))):
        divisors = [d for d in range(1, rest + 1) if rest % d == 0] or [0, 1]
        size = draw(st.sampled_from(divisors))
        sizes.append(size)
        rest = rest // size if size else rest
    sizes.append(rest)
    sizes = draw(st.permutations(sizes))
    mutation = draw(st.sampled_from(["keep", "infer", "infer", "near", "near", "two", "negative"]))
    i = draw(st.integers(0, len(sizes) - 1))
    if mutation == "infer":
        sizes[i] = -1
    elif mutation == "near":
        sizes[i] = draw(near(sizes[i], 2))
        if draw(st.booleans()):
            sizes[draw(st.integers(0, len(sizes) - 1))] = -1
    elif mutation == "two" and len(sizes) > 1:
        sizes[i] = sizes[i - 1] = -1
    elif mutation == "negative":
        sizes[i] = -2
    return tuple(sizes)


VIEWS = {
    "torch.Tensor.view": lambda x, s: x.view(s),
    "torch.Tensor.reshape": lambda x, s: x.reshape(s),
    "torch.reshape": lambda x, s: torch.reshape(x, s),
}


@given(shapes(0, 4, min_dim=0), st.sampled_from(sorted(VIEWS)), st.booleans(), st.data())
def test_view_reshape(shape, name, spread, data):
    numel = 1
    for d in shape:
        numel *= d
    sizes = data.draw(regroup(numel))
    if spread and name != "torch.reshape" and sizes:  # x.view(2, 3) as well as x.view((2, 3))
        check(lambda ctx, x: apply_op(name, ctx, x, *sizes), lambda x: VIEWS[name](x, sizes), [T(shape)])
    else:
        check(lambda ctx, x, s: apply_op(name, ctx, x, s), VIEWS[name], [T(shape), sizes])


SYMBOLIC_VIEWS = [
    lambda B, T, C, k: (B, T, k, C // k),
    lambda B, T, C, k: (B, T, k, -1),
    lambda B, T, C, k: (B * T, -1),
    lambda B, T, C, k: (-1, C),
    lambda B, T, C, k: (B, T * C // k, k),
    lambda B, T, C, k: (k, -1, C),
    lambda B, T, C, k: (B, C, T),
    lambda B, T, C, k: (B, T, C, k),
]


@given(
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(1, 8),
    st.integers(1, 4),
    st.sampled_from(range(len(SYMBOLIC_VIEWS))),
    st.sampled_from(sorted(VIEWS)),
)
def test_view_symbolic_sizes(B, T_, C, k, which, name):
    """``x.view(B, T, n_head, C // n_head)`` on [B, T, C] holds only if C % n_head == 0."""
    make = SYMBOLIC_VIEWS[which]
    check_symbolic_sizes(
        lambda ctx, x, s: apply_op(name, ctx, x, s), VIEWS[name], (B, T_, C), lambda B, T, C: (make(B, T, C, k),)
    )


def test_view_states_divisibility():
    B, T_, C = sym("B"), sym("T"), sym("C")
    ctx = Checker()
    out = apply_op("torch.Tensor.view", ctx, Shape([B, T_, C]), B, T_, 4, C // 4)
    assert out == Shape([B, T_, 4, C // 4])
    assert [str(c.cond) for c in ctx.conditions] == ["C % 4 == 0"]
    ctx = Checker()
    out = apply_op("torch.Tensor.view", ctx, Shape([B, T_, C]), B, T_, sym("nh"), -1)
    assert out == Shape([B, T_, sym("nh"), C // sym("nh")])
    assert [str(c.cond) for c in ctx.conditions] == ["C % nh == 0"]


@given(shapes(0, 4, min_dim=0), st.data())
def test_view_as(shape, data):
    name = data.draw(st.sampled_from(["torch.Tensor.view_as", "torch.Tensor.reshape_as"]))
    numel = 1
    for d in shape:
        numel *= d
    other = tuple(abs(d) for d in data.draw(regroup(numel)))
    ref = (lambda x, o: x.view_as(o)) if name.endswith("view_as") else (lambda x, o: x.reshape_as(o))
    check(lambda ctx, x, o: apply_op(name, ctx, x, o), ref, [T(shape), T(other)])


@given(shapes(0, 4), st.data())
def test_flatten(shape, data):
    name = data.draw(st.sampled_from(["torch.flatten", "torch.Tensor.flatten", "torch.nn.Flatten"]))
    axis = st.integers(-len(shape) - 1, len(shape))
    start, end = sorted([data.draw(axis), data.draw(axis)], key=lambda a: a % max(len(shape), 1))
    if data.draw(st.integers(0, 4)) == 0:
        start, end = end, start
    if name == "torch.nn.Flatten":
        check(
            lambda ctx, x: apply_layer(name, ctx, (start, end), {}, x), lambda x: nn.Flatten(start, end)(x), [T(shape)]
        )
    else:
        check(lambda ctx, x: apply_op(name, ctx, x, start, end), lambda x: torch.flatten(x, start, end), [T(shape)])


@given(shapes(0, 4), st.data())
def test_unflatten(shape, data):
    name = data.draw(st.sampled_from(["torch.unflatten", "torch.Tensor.unflatten", "torch.nn.Unflatten"]))
    rank = len(shape)
    dim = data.draw(st.one_of(st.integers(-rank, max(rank - 1, -rank)), st.integers(-rank - 1, rank)))
    size = shape[dim] if -len(shape) <= dim < len(shape) else 6
    sizes = data.draw(regroup(size, 3)) if data.draw(st.integers(0, 5)) else ()
    if name == "torch.nn.Unflatten":
        check(
            lambda ctx, x: apply_layer(name, ctx, (dim, sizes), {}, x),
            lambda x: nn.Unflatten(dim, sizes)(x),
            [T(shape)],
        )
    else:
        check(lambda ctx, x: apply_op(name, ctx, x, dim, sizes), lambda x: torch.unflatten(x, dim, sizes), [T(shape)])


@given(st.integers(1, 4), st.integers(1, 8), st.integers(1, 4), st.booleans())
def test_unflatten_symbolic_sizes(B, C, k, infer):
    check_symbolic_sizes(
        lambda ctx, x, s: apply_op("torch.unflatten", ctx, x, -1, s),
        lambda x, s: torch.unflatten(x, -1, s),
        (B, C),
        lambda B, C: ((k, -1 if infer else C // k),),
    )


@given(shapes(0, 4, min_dim=1, max_dim=2), st.data())
def test_squeeze(shape, data):
    name = data.draw(st.sampled_from(["torch.squeeze", "torch.Tensor.squeeze"]))
    rank = len(shape)
    axis = st.integers(-rank - 1, rank)
    dim = data.draw(st.one_of(st.none(), axis, st.lists(axis, max_size=3).map(tuple)))
    if dim is None:
        check(lambda ctx, x: apply_op(name, ctx, x), lambda x: torch.squeeze(x), [T(shape)])
    else:
        check(lambda ctx, x: apply_op(name, ctx, x, dim), lambda x: torch.squeeze(x, dim), [T(shape)])


@given(shapes(0, 4), st.integers(-6, 5), st.sampled_from(["torch.unsqueeze", "torch.Tensor.unsqueeze"]))
def test_unsqueeze(shape, dim, name):
    check(lambda ctx, x: apply_op(name, ctx, x, dim), lambda x: torch.unsqueeze(x, dim), [T(shape)])


@given(shapes(0, 4), st.data())
def test_permute(shape, data):
    name = data.draw(st.sampled_from(["torch.permute", "torch.Tensor.permute"]))
    rank = len(shape)
    dims = list(data.draw(st.permutations(range(rank))))
    how = data.draw(st.sampled_from(["keep", "keep", "negative", "duplicate", "drop", "extra"]))
    if how == "negative" and dims:
        dims = [d - rank if data.draw(st.booleans()) else d for d in dims]
    elif how == "duplicate" and rank > 1:
        dims[0] = dims[1]
    elif how == "drop" and dims:
        dims.pop()
    elif how == "extra":
        dims.append(data.draw(st.integers(-rank - 1, rank)))
    dims = tuple(dims)
    if name == "torch.Tensor.permute" and dims and data.draw(st.booleans()):
        check(lambda ctx, x: apply_op(name, ctx, x, *dims), lambda x: x.permute(*dims), [T(shape)])
    else:
        check(lambda ctx, x: apply_op(name, ctx, x, dims), lambda x: torch.permute(x, dims), [T(shape)])


TRANSPOSES = [
    "torch.transpose",
    "torch.Tensor.transpose",
    "torch.swapdims",
    "torch.Tensor.swapdims",
    "torch.swapaxes",
    "torch.Tensor.swapaxes",
]


@given(shapes(0, 4), st.sampled_from(TRANSPOSES), st.data())
def test_transpose(shape, name, data):
    rank = len(shape)
    a, b = data.draw(st.integers(-rank - 1, rank)), data.draw(st.integers(-rank, rank))
    check(lambda ctx, x: apply_op(name, ctx, x, a, b), lambda x: torch.transpose(x, a, b), [T(shape)])


def test_transpose_unknown_rank():
    """k.transpose(-2, -1) on [*batch, T, hs] needs only the known trailing axes."""
    x = Shape.variadic((), "batch", (sym("T"), sym("hs")))
    swapped = Shape.variadic((), "batch", (sym("hs"), sym("T")))
    assert apply_op("torch.Tensor.transpose", Checker(), x, -2, -1) == swapped
    assert apply_op("torch.Tensor.mT", Checker(), x) == swapped


@given(st.one_of(shapes(0, 2), shapes(0, 2), shapes(3, 4)), st.sampled_from(["torch.t", "torch.Tensor.t"]))
def test_t(shape, name):
    check(lambda ctx, x: apply_op(name, ctx, x), lambda x: torch.t(x), [T(shape)])


PROPERTIES = {
    "torch.Tensor.T": lambda x: x.T,
    "torch.Tensor.mT": lambda x: x.mT,
    "torch.Tensor.mH": lambda x: x.mH,
    "torch.Tensor.H": lambda x: x.H,
}


@given(shapes(0, 4), st.sampled_from(sorted(PROPERTIES)))
def test_transpose_properties(shape, name):
    check(lambda ctx, x: apply_op(name, ctx, x), PROPERTIES[name], [T(shape)])


MOVEDIMS = ["torch.movedim", "torch.Tensor.movedim", "torch.moveaxis", "torch.Tensor.moveaxis"]


@given(shapes(0, 4), st.sampled_from(MOVEDIMS), st.data())
def test_movedim(shape, name, data):
    rank = len(shape)
    axis = st.integers(-rank - 1, rank)
    if data.draw(st.booleans()):
        source, destination = data.draw(axis), data.draw(axis)
    else:
        n = data.draw(st.integers(0, rank))
        source = tuple(data.draw(st.lists(axis, min_size=n, max_size=n)))
        destination = tuple(data.draw(st.lists(axis, min_size=n, max_size=n + data.draw(st.integers(0, 1)))))
    check(
        lambda ctx, x: apply_op(name, ctx, x, source, destination),
        lambda x: torch.movedim(x, source, destination),
        [T(shape)],
    )


@st.composite
def expansions(draw, shape: tuple):
    """Target sizes for ``expand``: each axis kept (-1), equal, grown from 1 or wrong; new axes in front."""
    out = [draw(st.sampled_from([2, 3, 1, -1, 0, -2])) for _ in range(draw(st.integers(0, 2)))]
    for d in shape:
        out.append(draw(st.sampled_from([d, -1, d if d != 1 else 4, d + 1, 0])))
    if draw(st.integers(0, 9)) == 0 and out:
        out.pop(0)
    if 0 in out:  # torch lets a negative size through when the numel is 0; the rule reports it
        out = [d if d >= -1 else 2 for d in out]
    return tuple(out)


EXPANDS = {
    "torch.Tensor.expand": lambda x, s: x.expand(s),
    "torch.broadcast_to": lambda x, s: torch.broadcast_to(x, s),
    "torch.Tensor.broadcast_to": lambda x, s: x.broadcast_to(s),
}


@given(shapes(0, 3, max_dim=3), st.sampled_from(sorted(EXPANDS)), st.booleans(), st.data())
def test_expand(shape, name, spread, data):
    size = data.draw(expansions(shape))
    if spread and name == "torch.Tensor.expand" and size:
        check(lambda ctx, x: apply_op(name, ctx, x, *size), lambda x: x.expand(*size), [T(shape)])
    else:
        check(lambda ctx, x, s: apply_op(name, ctx, x, s), EXPANDS[name], [T(shape), size])


@given(shapes(0, 3, max_dim=3), st.data())
def test_expand_as(shape, data):
    other = tuple(d for d in data.draw(expansions(shape)) if d >= 0)
    check(
        lambda ctx, x, o: apply_op("torch.Tensor.expand_as", ctx, x, o),
        lambda x, o: x.expand_as(o),
        [T(shape), T(other)],
    )


@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 3), st.integers(1, 3))
def test_expand_symbolic_sizes(B, C, k, m):
    """``x.expand(k, B, m, -1)`` on [B, 1, C]: B matches itself, 1 grows to m, C is kept."""
    check_symbolic_sizes(
        lambda ctx, x, *s: apply_op("torch.Tensor.expand", ctx, x, *s),
        lambda x, *s: x.expand(*s),
        (B, 1, C),
        lambda b, one, c: (k, b, m, -1),
    )
    check_symbolic_sizes(
        lambda ctx, x, *s: apply_op("torch.Tensor.expand", ctx, x, *s),
        lambda x, *s: x.expand(*s),
        (B, C),
        lambda b, c: (b, m),
    )


@st.composite
def broadcastable(draw):
    """Shapes around a common one: axes equal, 1, or one off; some leading axes dropped."""
    base = draw(shapes(0, 3, max_dim=4))
    out = []
    for _ in range(draw(st.integers(0, 3))):
        shape = [draw(st.sampled_from([d, 1, d + 1])) for d in base]
        out.append(tuple(shape[draw(st.integers(0, len(shape))) :]))
    return out


@given(broadcastable())
def test_broadcast_tensors(shapes_):
    check(
        lambda ctx, *xs: apply_op("torch.broadcast_tensors", ctx, *xs),
        lambda *xs: torch.broadcast_tensors(*xs),
        [T(s) for s in shapes_],
    )


@given(shapes(0, 3, min_dim=0, max_dim=3), st.data())
def test_repeat(shape, data):
    repeats = tuple(data.draw(st.lists(st.integers(-1, 3), min_size=max(0, len(shape) - 1), max_size=len(shape) + 2)))
    if repeats and data.draw(st.booleans()):
        check(
            lambda ctx, x: apply_op("torch.Tensor.repeat", ctx, x, *repeats), lambda x: x.repeat(*repeats), [T(shape)]
        )
    else:
        check(lambda ctx, x: apply_op("torch.Tensor.repeat", ctx, x, repeats), lambda x: x.repeat(repeats), [T(shape)])


@given(shapes(0, 3, min_dim=0, max_dim=3), st.sampled_from(["torch.tile", "torch.Tensor.tile"]), st.data())
def test_tile(shape, name, data):
    dims = tuple(data.draw(st.lists(st.integers(-1, 3), max_size=len(shape) + 2)))
    check(lambda ctx, x: apply_op(name, ctx, x, dims), lambda x: torch.tile(x, dims), [T(shape)])


@given(shapes(0, 3, max_dim=4), st.data())
def test_repeat_interleave(shape, data):
    name = data.draw(st.sampled_from(["torch.repeat_interleave", "torch.Tensor.repeat_interleave"]))
    dim = data.draw(st.one_of(st.none(), st.integers(-len(shape) - 1, len(shape))))
    repeats = data.draw(st.integers(-1, 3))
    length = shape[dim] if dim is not None and -len(shape) <= dim < len(shape) else 1
    if dim is None:
        for d in shape:
            length *= d
    output_size = data.draw(st.one_of(st.none(), near(length * max(repeats, 0), 1)))
    check(
        lambda ctx, x: apply_op(name, ctx, x, repeats, dim, output_size=output_size),
        lambda x: torch.repeat_interleave(x, repeats, dim, output_size=output_size),
        [T(shape)],
    )


@given(shapes(0, 3, max_dim=4), st.data())
def test_repeat_interleave_tensor_counts(shape, data):
    """Counts in a tensor: the length is the sum of the values, known only from output_size."""
    name = data.draw(st.sampled_from(["torch.repeat_interleave", "torch.Tensor.repeat_interleave"]))
    dim = data.draw(st.one_of(st.none(), st.integers(-len(shape), max(len(shape) - 1, 0))))
    length = shape[dim] if dim is not None and shape else 1
    if dim is None:
        for d in shape:
            length *= d
    counts = T(data.draw(st.sampled_from([(length,), (1,), (), (length + 1,), (length, 1)])), torch.long)
    output_size = data.draw(st.integers(0, 6))
    check(
        lambda ctx, x, r: apply_op(name, ctx, x, r, dim, output_size=output_size),
        lambda x, r: torch.repeat_interleave(x, r, dim, output_size=output_size),
        [T(shape), counts],
    )


@given(shapes(0, 2, max_dim=4), st.integers(0, 6))
def test_repeat_interleave_counts_only(shape, output_size):
    check(
        lambda ctx, r: apply_op("torch.repeat_interleave", ctx, r, output_size=output_size),
        lambda r: torch.repeat_interleave(r, output_size=output_size),
        [T(shape, torch.long)],
    )


@given(shapes(0, 4))
def test_contiguous(shape):
    check(lambda ctx, x: apply_op("torch.Tensor.contiguous", ctx, x), lambda x: x.contiguous(), [T(shape)])


@given(shapes(0, 4, min_dim=0), st.sampled_from(["torch.ravel", "torch.Tensor.ravel"]))
def test_ravel(shape, name):
    check(lambda ctx, x: apply_op(name, ctx, x), lambda x: torch.ravel(x), [T(shape)])


ATLEAST = {
    "torch.atleast_1d": torch.atleast_1d,
    "torch.atleast_2d": torch.atleast_2d,
    "torch.atleast_3d": torch.atleast_3d,
}


@given(st.lists(shapes(0, 4), min_size=1, max_size=3), st.sampled_from(sorted(ATLEAST)), st.booleans())
def test_atleast(shapes_, name, as_list):
    fn = ATLEAST[name]
    if as_list:
        check(lambda ctx, *xs: apply_op(name, ctx, list(xs)), lambda *xs: fn(list(xs)), [T(s) for s in shapes_])
    else:
        check(lambda ctx, *xs: apply_op(name, ctx, *xs), lambda *xs: fn(*xs), [T(s) for s in shapes_])


@given(shapes(0, 3, max_dim=8), st.data())
def test_unfold(shape, data):
    dimension = data.draw(st.integers(-len(shape) - 1, len(shape)))
    length = shape[dimension] if -len(shape) <= dimension < len(shape) else 1
    size = data.draw(st.one_of(st.integers(0, length), st.integers(-1, length + 1)))
    step = data.draw(st.one_of(st.integers(1, 3), st.integers(-1, 4)))
    check(
        lambda ctx, x: apply_op("torch.Tensor.unfold", ctx, x, dimension, size, step),
        lambda x: x.unfold(dimension, size, step),
        [T(shape)],
    )


def _method_or_function(name: str):
    """The torch callable a rule name stands for: ``torch.f`` or a tensor method."""
    owner, attr = name.rsplit(".", 1)
    if owner == "torch":
        return getattr(torch, attr)
    return lambda self, *args, **kwargs: getattr(self, attr)(*args, **kwargs)


@given(shapes(0, 4, min_dim=0), st.sampled_from(["torch.flip", "torch.Tensor.flip"]), st.booleans(), st.data())
def test_flip(shape, name, spread, data):
    dims = tuple(data.draw(st.lists(st.integers(-len(shape) - 1, len(shape)), max_size=3)))
    if spread and name == "torch.Tensor.flip" and dims:
        check(lambda ctx, x: apply_op(name, ctx, x, *dims), lambda x: x.flip(*dims), [T(shape)])
    else:
        check(lambda ctx, x: apply_op(name, ctx, x, dims), lambda x: torch.flip(x, dims), [T(shape)])


@given(shapes(0, 4), st.sampled_from(["torch.fliplr", "torch.Tensor.fliplr", "torch.flipud", "torch.Tensor.flipud"]))
def test_fliplr_flipud(shape, name):
    check(lambda ctx, x: apply_op(name, ctx, x), _method_or_function(name), [T(shape)])


@given(shapes(0, 4, min_dim=0), st.sampled_from(["torch.roll", "torch.Tensor.roll"]), st.data())
def test_roll(shape, name, data):
    axis = st.integers(-len(shape) - 1, len(shape))
    shifts = data.draw(st.one_of(st.integers(-3, 3), st.lists(st.integers(-3, 3), max_size=3).map(tuple)))
    dims = data.draw(st.one_of(st.none(), axis, st.lists(axis, max_size=3).map(tuple)))
    check(
        lambda ctx, x: apply_op(name, ctx, x, shifts, dims),
        lambda x: _method_or_function(name)(x, shifts, dims),
        [T(shape)],
    )


@given(shapes(0, 4), st.sampled_from(["torch.rot90", "torch.Tensor.rot90"]), st.integers(-5, 5), st.data())
def test_rot90(shape, name, k, data):
    axis = st.integers(-len(shape) - 1, len(shape))
    dims = tuple(data.draw(st.one_of(st.just((0, 1)), st.lists(axis, min_size=1, max_size=3))))
    check(lambda ctx, x: apply_op(name, ctx, x, k, dims), lambda x: _method_or_function(name)(x, k, dims), [T(shape)])


@given(
    shapes(0, 4, min_dim=0), st.sampled_from(["torch.diagonal", "torch.Tensor.diagonal"]), st.integers(-4, 4), st.data()
)
def test_diagonal(shape, name, offset, data):
    axis = st.integers(-len(shape) - 1, len(shape))
    dim1, dim2 = data.draw(st.one_of(st.just((0, 1)), st.tuples(axis, axis)))
    check(
        lambda ctx, x: apply_op(name, ctx, x, offset, dim1, dim2),
        lambda x: _method_or_function(name)(x, offset, dim1, dim2),
        [T(shape)],
    )


@given(
    shapes(0, 3, min_dim=0),
    st.sampled_from(["torch.diag", "torch.Tensor.diag", "torch.diagflat", "torch.Tensor.diagflat"]),
    st.integers(-4, 4),
)
def test_diag_diagflat(shape, name, offset):
    check(lambda ctx, x: apply_op(name, ctx, x, offset), lambda x: _method_or_function(name)(x, offset), [T(shape)])


@given(
    shapes(0, 3, min_dim=0),
    st.sampled_from(["torch.diag_embed", "torch.Tensor.diag_embed"]),
    st.integers(-3, 3),
    st.data(),
)
def test_diag_embed(shape, name, offset, data):
    axis = st.integers(-len(shape) - 2, len(shape) + 1)
    dim1, dim2 = data.draw(st.one_of(st.just((-2, -1)), st.tuples(axis, axis)))
    check(
        lambda ctx, x: apply_op(name, ctx, x, offset, dim1, dim2),
        lambda x: _method_or_function(name)(x, offset, dim1, dim2),
        [T(shape)],
    )


def test_diagonal_of_a_square_symbolic_matrix():
    """The main diagonal of [B, n, n] is [B, n]; off by 1 it is [B, n - 1] once n >= 1."""
    B, n = sym("B"), sym("n")
    assert apply_op("torch.diagonal", Checker(), Shape([B, n, n]), 0, 1, 2) == Shape([B, n])
    assert apply_op("torch.diag_embed", Checker(), Shape([B, n])) == Shape([B, n, n])

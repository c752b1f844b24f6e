"""x[...], gather/scatter, index_* ops, masked ops, where, take against torch."""

import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import Out, T, check, torch_outcome
from strategies import dims, near, shapes

from shapelens.dims import Checker, Lost, Shape, substitute, sym
from shapelens.rules.indexing import Mask
from shapelens.rules import apply_op

LONG, BOOL = torch.long, torch.bool


def check_or_lost(rule, reference, inputs):
    """Where the answer depends on values (a mask's True count): torch's errors; else Lost, or the
    shape with a fresh symbol for each count (the same symbol for the same count), torch's once the
    symbol is the count (0: the data is zeros)."""
    outcome = torch_outcome(reference, inputs, device="cpu")
    if outcome[0] == "error":
        check(rule, reference, inputs)
        return
    concrete = [Shape(a.shape) if isinstance(a, T) else a for a in inputs]
    symbolic = [Shape([sym(f"s{d}") for d in a.shape]) if isinstance(a, T) else a for a in inputs]
    for args in (concrete, symbolic):
        ctx = Checker()
        try:
            got = rule(ctx, *args)
        except Lost:
            continue
        if args is concrete:
            assert not ctx.conditions, [str(c) for c in ctx.conditions]
            counts = {name: 0 for name in ctx.facts.counts}
            assert _concrete(got, counts) == outcome[1], (got, outcome[1], inputs)


def _concrete(value, counts):
    """A rule's result with each count symbol set to its value, in the form torch_outcome gives."""
    if isinstance(value, Shape):
        return Out(tuple(substitute(d, counts) for d in value.dims))
    return tuple(_concrete(v, counts) for v in value)


# ---------------------------------------------------------------------------------------------
# x[...]: a key template, where "T" takes the next index tensor and "M" the next mask


def key_item(data, rank, masks):
    kind = data.draw(
        st.sampled_from(
            ["int", "slice", "slice", "none", "index", "list", "bool", "slice"] + (["mask"] if masks else [])
        )
    )
    if kind == "int":
        return data.draw(st.integers(-5, 4)), None
    if kind == "slice":
        bound = st.one_of(st.none(), st.integers(-6, 6))
        step = data.draw(st.sampled_from([None, None, 1, 2, 3, 0, -1]))
        return slice(data.draw(bound), data.draw(bound), step), None
    if kind == "none":
        return None, None
    if kind == "index":
        return "T", T(data.draw(shapes(0, 2, max_dim=3)), dtype=LONG)
    if kind == "list":
        if data.draw(st.booleans()):
            return data.draw(st.lists(st.booleans(), min_size=1, max_size=3)), None
        return data.draw(st.lists(st.integers(-3, 3), max_size=3)), None
    if kind == "bool":
        return data.draw(st.booleans()), None
    return "M", T(data.draw(shapes(1, min(2, max(rank, 1)), max_dim=4)), dtype=BOOL)


def make_key(data, rank, masks=False):
    template, tensors = [], []
    for _ in range(data.draw(st.integers(0, 4))):
        item, t = key_item(data, rank, masks)
        template.append(item)
        if t is not None:
            tensors.append(t)
    if data.draw(st.booleans()):
        template.insert(data.draw(st.integers(0, len(template))), Ellipsis)
    return template, tensors


def build_key(template, tensors, wrap):
    it = iter(tensors)
    key = []
    for item in template:
        if isinstance(item, str):
            t = next(it)
            key.append(Mask(t) if item == "M" and wrap else t)
        else:
            key.append(item)
    return key[0] if len(key) == 1 else tuple(key)  # x[i] as well as x[i, j]


def getitem_case(x, template, tensors):
    rule = lambda ctx, a, *ts: apply_op("torch.Tensor.__getitem__", ctx, a, build_key(template, ts, True))
    reference = lambda a, *ts: a[build_key(template, ts, False)]
    return rule, reference, [T(x)] + tensors


@given(shapes(0, 4, max_dim=5), st.data())
def test_getitem(x, data):
    template, tensors = make_key(data, len(x))
    check(*getitem_case(x, template, tensors))


@given(shapes(1, 4, max_dim=4), st.data())
def test_getitem_mask(x, data):
    template, tensors = make_key(data, len(x), masks=True)
    if "M" not in template:
        template.insert(0, "M")
        tensors.insert(0, T(x[: data.draw(st.integers(1, len(x)))], dtype=BOOL))
    check_or_lost(*getitem_case(x, template, tensors))


def test_getitem_symbolic_names():
    """The everyday slices give clean dims: x[:, -1], x[:, :T], x[..., :2]."""
    B, T_, C, block = sym("B"), sym("T"), sym("C"), sym("block")
    get = lambda x, key: apply_op("torch.Tensor.__getitem__", Checker(), Shape(x), key)
    assert get([B, T_, C], (slice(None), -1)) == Shape([B, C])
    assert str(get([B, block, C], (slice(None), slice(None, T_)))) == "[B, min(T, block), C]"
    assert get([B, T_, 4], (Ellipsis, slice(None, 2))) == Shape([B, T_, 2])
    assert get([B, T_, C], (slice(None), slice(1, None))) == Shape([B, T_ - 1, C])
    assert str(get([B, T_, C], (slice(None), slice(-3, None)))) == "[B, min(3, T), C]"
    assert apply_op("torch.Tensor.__getitem__", Checker(), Shape([], "batch", [T_, C]), (Ellipsis, -1)) == Shape(
        [], "batch", [T_]
    )


# ---------------------------------------------------------------------------------------------
# gather / scatter


def index_like(x, dim, data):
    """An index shaped like ``x``: sometimes smaller or larger off ``dim``, any size along it."""
    out = []
    for k, d in enumerate(x):
        out.append(data.draw(st.integers(1, 5)) if k == dim else data.draw(st.sampled_from([d, d, d, 1, d + 1])))
    if data.draw(st.integers(0, 7)) == 0:
        out = out[:-1] if out else [2]
    return tuple(out)


@given(shapes(0, 3, max_dim=4), st.integers(-3, 3), st.data())
def test_gather(x, dim, data):
    name = data.draw(st.sampled_from(["torch.gather", "torch.Tensor.gather"]))
    index = index_like(x, dim % max(len(x), 1), data)
    check(
        lambda ctx, a, i: apply_op(name, ctx, a, dim, i), lambda a, i: torch.gather(a, dim, i), [T(x), T(index, LONG)]
    )


@given(shapes(0, 3, max_dim=4), st.integers(-3, 2), st.data())
def test_scatter(x, dim, data):
    name = data.draw(
        st.sampled_from(
            [
                "torch.scatter",
                "torch.Tensor.scatter",
                "torch.Tensor.scatter_",
                "torch.scatter_add",
                "torch.Tensor.scatter_add",
                "torch.Tensor.scatter_add_",
            ]
        )
    )
    index = index_like(x, dim % max(len(x), 1), data)
    src = data.draw(st.sampled_from([index, index, tuple(d + 1 for d in index), index[:-1] or (1,), x, "value"]))
    if src == "value" and "add" not in name:
        rule = lambda ctx, a, i: apply_op(name, ctx, a, dim, i, value=1.5)
        ref = lambda a, i: getattr(torch.Tensor, name.rsplit(".", 1)[1])(a, dim, i, value=1.5)
        check(rule, ref, [T(x), T(index, LONG)])
        return
    src = index if src == "value" else src
    ref = lambda a, i, s: getattr(torch.Tensor, name.rsplit(".", 1)[1])(a, dim, i, s)
    check(lambda ctx, a, i, s: apply_op(name, ctx, a, dim, i, s), ref, [T(x), T(index, LONG), T(src)])


@given(shapes(1, 3, max_dim=4), st.integers(-2, 2), st.sampled_from(["sum", "amax", "mean", "max"]), st.data())
def test_scatter_reduce(x, dim, reduce, data):
    name = data.draw(
        st.sampled_from(["torch.scatter_reduce", "torch.Tensor.scatter_reduce", "torch.Tensor.scatter_reduce_"])
    )
    index = index_like(x, dim % len(x), data)
    src = data.draw(st.sampled_from([index, x, index[:-1] or (1,)]))
    ref = lambda a, i, s: getattr(torch.Tensor, name.rsplit(".", 1)[1])(a, dim, i, s, reduce)
    check(lambda ctx, a, i, s: apply_op(name, ctx, a, dim, i, s, reduce), ref, [T(x), T(index, LONG), T(src)])


@given(shapes(0, 3, max_dim=4), st.data())
def test_scatter_reduce_arg(x, data):
    reduce = data.draw(st.sampled_from(["add", "multiply", "sum"]))
    index = x
    check(
        lambda ctx, a, i, s: apply_op("torch.Tensor.scatter_", ctx, a, 0, i, s, reduce=reduce),
        lambda a, i, s: a.scatter_(0, i, s, reduce=reduce),
        [T(x), T(index, LONG), T(x)],
    )


@given(shapes(0, 3, max_dim=4), st.data())
def test_take_along_dim(x, data):
    name = data.draw(st.sampled_from(["torch.take_along_dim", "torch.Tensor.take_along_dim"]))
    dim = data.draw(st.sampled_from([None, 0, 1, -1, 3]))
    indices = index_like(x, (dim or 0) % max(len(x), 1), data)
    if data.draw(st.booleans()):
        indices = tuple(1 if data.draw(st.booleans()) else d for d in indices)
    check(
        lambda ctx, a, i: apply_op(name, ctx, a, i, dim),
        lambda a, i: torch.take_along_dim(a, i, dim),
        [T(x), T(indices, LONG)],
    )


@given(shapes(0, 3), shapes(0, 3))
def test_take(x, index):
    name = "torch.take" if len(index) % 2 else "torch.Tensor.take"
    check(lambda ctx, a, i: apply_op(name, ctx, a, i), torch.take, [T(x), T(index, LONG)])


# ---------------------------------------------------------------------------------------------
# index_select / index_add / index_copy / index_fill


@given(shapes(0, 3, max_dim=4), st.integers(-3, 2), st.data())
def test_index_select(x, dim, data):
    name = data.draw(st.sampled_from(["torch.index_select", "torch.Tensor.index_select"]))
    index = data.draw(st.sampled_from([(data.draw(dims(1, 4)),), (), (2, 1), (1,)]))
    check(
        lambda ctx, a, i: apply_op(name, ctx, a, dim, i),
        lambda a, i: torch.index_select(a, dim, i),
        [T(x), T(index, LONG)],
    )


def source_like(x, dim, count, data):
    """A source for index_add/copy: ``x`` with ``count`` along ``dim``, sometimes off."""
    src = list(x)
    if src:
        src[dim % len(src)] = count
    mode = data.draw(st.sampled_from(["ok", "ok", "ok", "bump", "rank", "scalar"]))
    if mode == "bump" and src:
        k = data.draw(st.integers(0, len(src) - 1))
        src[k] += 1
    elif mode == "rank":
        src = src + [1]
    elif mode == "scalar":
        src = []
    return tuple(src)


@given(shapes(0, 3, max_dim=4), st.integers(-2, 2), dims(1, 4), st.data())
def test_index_add(x, dim, count, data):
    name = data.draw(st.sampled_from(["torch.index_add", "torch.Tensor.index_add", "torch.Tensor.index_add_"]))
    index = data.draw(st.sampled_from([(count,), (count,), (), (count, 1)]))
    source = source_like(x, dim, data.draw(near(count, 1)), data)
    ref = lambda a, i, s: getattr(torch.Tensor, name.rsplit(".", 1)[1])(a, dim, i, s, alpha=2)
    check(lambda ctx, a, i, s: apply_op(name, ctx, a, dim, i, s, alpha=2), ref, [T(x), T(index, LONG), T(source)])


@given(shapes(0, 3, max_dim=4), st.integers(-2, 2), dims(1, 4), st.data())
def test_index_copy(x, dim, count, data):
    name = data.draw(st.sampled_from(["torch.index_copy", "torch.Tensor.index_copy", "torch.Tensor.index_copy_"]))
    index = data.draw(st.sampled_from([(count,), (count,), (), (count, 1)]))
    source = source_like(x, dim, data.draw(near(count, 1)), data)
    ref = lambda a, i, s: getattr(torch.Tensor, name.rsplit(".", 1)[1])(a, dim, i, s)
    check(lambda ctx, a, i, s: apply_op(name, ctx, a, dim, i, s), ref, [T(x), T(index, LONG), T(source)])


@given(shapes(0, 3, max_dim=4), st.integers(-3, 2), st.data())
def test_index_fill(x, dim, data):
    name = data.draw(st.sampled_from(["torch.index_fill", "torch.Tensor.index_fill", "torch.Tensor.index_fill_"]))
    index = data.draw(st.sampled_from([(2,), (), (2, 1)]))
    value = data.draw(st.sampled_from([(), (), (1,)]))
    ref = lambda a, i, v: getattr(torch.Tensor, name.rsplit(".", 1)[1])(a, dim, i, v)
    check(lambda ctx, a, i, v: apply_op(name, ctx, a, dim, i, v), ref, [T(x), T(index, LONG), T(value)])


# ---------------------------------------------------------------------------------------------
# masks and where


def broadcastable(shape, data):
    """A shape that broadcasts with ``shape`` most of the time (either direction)."""
    mode = data.draw(st.sampled_from(["bump", "same", "suffix", "bump", "ones", "longer", "other"]))
    if mode == "other":
        return data.draw(shapes(0, 3, max_dim=4))
    if mode == "bump" and shape:
        k = data.draw(st.integers(0, len(shape) - 1))
        return tuple(shape[:k]) + (shape[k] + 1,) + tuple(shape[k + 1 :])
    if mode == "longer":
        return data.draw(shapes(1, 1, max_dim=3)) + tuple(shape)
    start = data.draw(st.integers(0, len(shape))) if mode != "same" else 0
    out = list(shape[start:])
    if mode == "ones":
        out = [1 if data.draw(st.booleans()) else d for d in out]
    return tuple(out)


@given(shapes(0, 3, max_dim=4), st.data())
def test_masked_fill(x, data):
    name = data.draw(st.sampled_from(["torch.masked_fill", "torch.Tensor.masked_fill", "torch.Tensor.masked_fill_"]))
    mask = broadcastable(x, data)
    value = data.draw(st.sampled_from([0.5, 0.5, T(()), T((1,))]))
    ref = lambda a, m, v: getattr(torch.Tensor, name.rsplit(".", 1)[1])(a, m, v)
    check(lambda ctx, a, m, v: apply_op(name, ctx, a, m, v), ref, [T(x), T(mask, BOOL), value])


@given(shapes(0, 3, max_dim=4), st.data())
def test_masked_select(x, data):
    name = data.draw(st.sampled_from(["torch.masked_select", "torch.Tensor.masked_select"]))
    check_or_lost(
        lambda ctx, a, m: apply_op(name, ctx, a, m), torch.masked_select, [T(x), T(broadcastable(x, data), BOOL)]
    )


@given(shapes(0, 3, max_dim=4), st.data())
def test_where(x, data):
    cond = broadcastable(x, data)
    other = data.draw(st.sampled_from([2.0, T(broadcastable(x, data))]))
    check(lambda ctx, c, a, b: apply_op("torch.where", ctx, c, a, b), torch.where, [T(cond, BOOL), T(x), other])
    check(
        lambda ctx, c, a, b: apply_op("torch.Tensor.where", ctx, a, c, b),
        lambda c, a, b: a.where(c, b),
        [T(cond, BOOL), T(x), other],
    )


@given(shapes(0, 3, max_dim=4))
def test_where_condition_only(cond):
    check_or_lost(lambda ctx, c: apply_op("torch.where", ctx, c), torch.where, [T(cond, BOOL)])

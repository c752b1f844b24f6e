"""einops rearrange/reduce/repeat/einsum/pack/unpack and the torch layers, against real einops."""

import einops
from einops.layers.torch import Rearrange, Reduce
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import dims, shapes

from shapelens.rules import apply_layer, apply_op

NAMES = ["b", "h", "w", "c", "p"]


def grouped(draw, axes):
    """Axes split into top-level groups: ``['b', '(h w)', 'c']``."""
    out, i = [], 0
    while i < len(axes):
        n = draw(st.sampled_from([1, 1, 1, 2, 3]))
        part = axes[i : i + n]
        out.append(part[0] if len(part) == 1 else "(" + " ".join(part) + ")")
        i += n
    return out


@st.composite
def einops_case(draw, operation):
    """(pattern, input shape, axes_lengths): mostly valid, with near misses of every kind."""
    names = draw(st.permutations(NAMES))[: draw(st.integers(1, 4))]
    sizes = {n: draw(dims(1, 3)) for n in names}
    left_axes = list(names)
    anonymous = {}
    if operation != "rearrange" and draw(st.booleans()):
        anonymous["2"] = 2  # reduced away on the left of a reduce, a new axis on the right of a repeat
        if operation != "repeat":
            left_axes.insert(draw(st.integers(0, len(left_axes))), "2")
    left = grouped(draw, left_axes)
    if draw(st.integers(0, 4)) == 0:
        left.insert(draw(st.integers(0, len(left))), draw(st.sampled_from(["1", "()"])))
    ellipsis = draw(st.integers(0, 2)) == 0
    if ellipsis:
        left.insert(draw(st.integers(0, len(left))), "...")
    right_axes = list(draw(st.permutations(names)))
    if operation in einops.einops._reductions:
        right_axes = right_axes[: draw(st.integers(0, len(right_axes)))]
    new = {}
    if operation == "repeat":
        new = {"r": draw(dims(1, 3))} if draw(st.booleans()) else {}
        right_axes += list(new) + (["2"] if anonymous else [])
        right_axes = draw(st.permutations(right_axes))
    right = grouped(draw, list(right_axes))
    if ellipsis:
        right.insert(draw(st.integers(0, len(right))), draw(st.sampled_from(["...", "...", "(...)"])))
    if draw(st.integers(0, 4)) == 0:
        right.insert(draw(st.integers(0, len(right))), draw(st.sampled_from(["1", "()"])))
    mistake = draw(st.sampled_from(["none", "size", "length", "extra", "missing", "pattern"] + ["none"] * 3))
    axes_lengths = dict(new)
    for group in left:
        members = group.strip("()").split()
        unknown = [m for m in members if m in sizes]
        if len(unknown) > 1:
            for m in unknown[1:]:
                axes_lengths[m] = sizes[m]
    for n in names:
        if draw(st.integers(0, 5)) == 0:
            axes_lengths[n] = sizes[n]
    if mistake == "length":
        k = draw(st.sampled_from(names))
        axes_lengths[k] = sizes[k] + 1
    elif mistake == "missing" and axes_lengths:
        del axes_lengths[draw(st.sampled_from(sorted(axes_lengths)))]
    elif mistake in ("extra", "missing"):
        axes_lengths["q"] = 2
    shape, checked = [], []  # checked: axes whose length einops verifies or splits
    for group in left:
        if group == "...":
            shape.extend(draw(shapes(0, 2, max_dim=3)))
            continue
        members = group.strip("()").split()
        size = 1
        for m in members:
            size *= sizes.get(m, anonymous.get(m, 1))
        if len(members) != 1 or members[0] in axes_lengths or members[0] in anonymous:
            checked.append(len(shape))
        shape.append(size)
    if mistake == "size":
        if checked:
            shape[draw(st.sampled_from(checked))] += 1
        else:
            axes_lengths["q"] = 2
    pattern = " ".join(left) + " -> " + " ".join(right)
    if mistake == "pattern":
        pattern = draw(
            st.sampled_from(
                [
                    pattern.replace("->", "-> z"),
                    pattern.replace(" ->", " b ->") if "b" not in names else pattern + " 2",
                    "(" + pattern,
                    pattern.replace("->", "..->"),
                    pattern + " " + pattern,
                    "b (h (w)) -> b h w",
                    pattern.replace("->", "-> ..."),
                    "b _x -> b",
                    pattern.replace("->", "->") + " 0",
                ]
            )
        )
    return pattern, tuple(shape), axes_lengths


@given(einops_case("rearrange"))
def test_rearrange(case):
    pattern, shape, axes_lengths = case
    as_list = len(shape) >= 1 and shape[0] <= 3
    if as_list:  # a list of tensors is stacked on a new first axis
        inputs = [T(shape[1:])] * shape[0]
        check(
            lambda ctx, *xs: apply_op("einops.rearrange", ctx, list(xs), pattern, **axes_lengths),
            lambda *xs: einops.rearrange(list(xs), pattern, **axes_lengths),
            inputs,
        )
    else:
        check(
            lambda ctx, x: apply_op("einops.rearrange", ctx, x, pattern, **axes_lengths),
            lambda x: einops.rearrange(x, pattern, **axes_lengths),
            [T(shape)],
        )


@given(st.sampled_from(["sum", "max", "mean", "min", "prod"]), st.data())
def test_reduce(reduction, data):
    pattern, shape, axes_lengths = data.draw(einops_case(reduction))
    check(
        lambda ctx, x: apply_op("einops.reduce", ctx, x, pattern, reduction, **axes_lengths),
        lambda x: einops.reduce(x, pattern, reduction, **axes_lengths),
        [T(shape)],
    )


@given(einops_case("repeat"))
def test_repeat(case):
    pattern, shape, axes_lengths = case
    check(
        lambda ctx, x: apply_op("einops.repeat", ctx, x, pattern, **axes_lengths),
        lambda x: einops.repeat(x, pattern, **axes_lengths),
        [T(shape)],
    )


def layer_reference(build):
    """Run an einops layer; a rank the layer has no recipe for is a KeyError in einops."""

    def run(x):
        module = build()
        try:
            return module(x)
        except KeyError as exc:
            raise RuntimeError(f"no recipe for a {x.ndim}-dim input") from exc

    return run


@given(einops_case("rearrange"), st.sampled_from([0, 0, 0, 0, 1, -1]))
def test_rearrange_layer(case, extra_rank):
    pattern, shape, axes_lengths = case
    shape = shape + (2,) if extra_rank > 0 else shape[:-1] if extra_rank < 0 and shape else shape
    check(
        lambda ctx, x: apply_layer("einops.layers.torch.Rearrange", ctx, (pattern,), axes_lengths, x),
        layer_reference(lambda: Rearrange(pattern, **axes_lengths)),
        [T(shape)],
    )


@given(st.sampled_from(["sum", "max", "mean"]), st.data())
def test_reduce_layer(reduction, data):
    pattern, shape, axes_lengths = data.draw(einops_case(reduction))
    check(
        lambda ctx, x: apply_layer("einops.layers.torch.Reduce", ctx, (pattern, reduction), axes_lengths, x),
        layer_reference(lambda: Reduce(pattern, reduction, **axes_lengths)),
        [T(shape)],
    )


EINSUM = [
    "b i d, b j d -> b i j",
    "batch h w, h w channel -> batch channel",
    "out_dim in_dim, ... in_dim -> ... out_dim",
    "i i ->",
    "x y, y z, z w -> x w",
    "b n -> n b",
    "_ a, _ a -> a",
    "b h q d, b h k d -> b h q k",
    "... d, d -> ...",
    "a b, b -> a",
    "a, b -> a b",
    "b t c -> b c",
    "a b -> a b c",
    "a b -> a a",
    "a (b c) -> a",
    "a 2 -> a",
    "a () -> a",
    "a b",
    "a b -> a b -> a",
]


@given(st.sampled_from(EINSUM), st.data())
def test_einsum(pattern, data):
    sizes = {}
    operands = []
    for side in pattern.split("->")[0].split(","):
        shape = []
        for name in side.split():
            if name == "...":
                shape.extend(data.draw(shapes(0, 2, max_dim=3)))
                continue
            size = sizes.setdefault(name, data.draw(dims(1, 4)))
            shape.append(data.draw(st.sampled_from([size] * 6 + [size + 1, 1])))
        operands.append(tuple(shape))
    if data.draw(st.integers(0, 6)) == 0:
        operands = operands + [(2,)]
    check(
        lambda ctx, *xs: apply_op("einops.einsum", ctx, *xs, pattern),
        lambda *xs: einops.einsum(*xs, pattern),
        [T(s) for s in operands],
    )


PACK = ["b * c", "* c", "b *", "b c * d", "*", "b c", "b * * c", "b * b", "b * c_"]


@given(st.sampled_from(PACK), st.integers(1, 3), dims(1, 3), dims(1, 3), st.data())
def test_pack(pattern, count, b, c, data):
    axes = pattern.split()
    before = axes.index("*") if "*" in axes else len(axes)
    after = len(axes) - before - 1 if "*" in axes else 0
    inputs = []
    for _ in range(count):
        middle = data.draw(shapes(0, 2, max_dim=3))
        outer = (b,) * before, (c,) * after
        if data.draw(st.integers(0, 5)) == 0:
            outer = data.draw(shapes(0, before, max_dim=3)), outer[1]
        inputs.append(T(outer[0] + middle + outer[1]))
    check(
        lambda ctx, *xs: apply_op("einops.pack", ctx, list(xs), pattern),
        lambda *xs: einops.pack(list(xs), pattern),
        inputs,
    )


@given(st.sampled_from(["b * c", "* c", "b *", "b c * d", "*", "b * * c"]), dims(1, 3), st.data())
def test_unpack(pattern, b, data):
    axes = pattern.split()
    packed = data.draw(st.lists(shapes(0, 2, max_dim=3), min_size=1, max_size=3))
    total = sum(_prod(p) for p in packed) + data.draw(st.sampled_from([0, 0, 0, 1, -1]))
    if data.draw(st.integers(0, 3)) == 0:
        i = data.draw(st.integers(0, len(packed) - 1))
        p = list(packed[i]) or [1]
        p[data.draw(st.integers(0, len(p) - 1))] = -1
        packed[i] = tuple(p)
    if data.draw(st.integers(0, 5)) == 0:
        packed.append((-1,))
    shape = tuple(max(total, 0) if a == "*" else b for a in axes)
    packed = [tuple(p) for p in packed]
    check(
        lambda ctx, x: apply_op("einops.unpack", ctx, x, packed, pattern),
        lambda x: einops.unpack(x, packed, pattern),
        [T(shape)],
    )


def _prod(dims):
    out = 1
    for d in dims:
        out *= d
    return out


def test_rearrange_symbolic():
    """A split of a symbolic axis states its divisibility; the parts multiply back exactly."""
    from shapelens.dims import Checker, Shape, sym

    B, N, C, H, W = (sym(n) for n in ("B", "N", "C", "H", "W"))
    ctx = Checker()
    out = apply_op("einops.rearrange", ctx, Shape([B, N, C]), "b (h w) c -> b c h w", h=14)
    assert str(out) == "[B, C, 14, N//14]"
    assert [str(c.cond) for c in ctx.conditions] == ["N % 14 == 0"]
    ctx = Checker()
    patches = apply_op("einops.rearrange", ctx, Shape([B, C, H, W]), "b c (h p) (w q) -> b (h w) (p q c)", p=16, q=16)
    assert str(patches) == "[B, (H*W)//256, 256*C]"
    stated = len(ctx.conditions)
    pixels = apply_op("einops.rearrange", ctx, patches, "b n (p q c) -> b n p q c", p=16, q=16)
    assert pixels == Shape([patches[0], patches[1], 16, 16, C]) and len(ctx.conditions) == stated

"""Tensor factories against torch: sizes, ranges, eye, randint, *_like, new_* and torch.tensor(data)."""

import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import near, shapes
from test_views import check_symbolic_sizes

from shapelens.dims import UNKNOWN, Checker, Lost, Shape, sym
from shapelens.rules import apply_op

SIZES = st.lists(st.one_of(st.integers(0, 4), st.integers(-2, 4)), max_size=4).map(tuple)

FACTORIES = {
    "torch.randn": torch.randn,
    "torch.rand": torch.rand,
    "torch.zeros": torch.zeros,
    "torch.ones": torch.ones,
    "torch.empty": torch.empty,
}


@given(st.sampled_from(sorted(FACTORIES)), SIZES, st.booleans())
def test_size_factories(name, size, spread):
    fn = FACTORIES[name]
    if spread and size:  # torch.zeros(2, 3) as well as torch.zeros((2, 3))
        check(lambda ctx: apply_op(name, ctx, *size), lambda: fn(*size), [])
    else:
        check(lambda ctx, s: apply_op(name, ctx, s), fn, [size])


@given(SIZES, st.floats(-2, 2))
def test_full(size, fill_value):
    check(lambda ctx, s, v: apply_op("torch.full", ctx, s, v), torch.full, [size, fill_value])


NEW = {
    "torch.Tensor.new_zeros": lambda x, *s: x.new_zeros(*s),
    "torch.Tensor.new_ones": lambda x, *s: x.new_ones(*s),
    "torch.Tensor.new_empty": lambda x, *s: x.new_empty(*s),
}


@given(shapes(0, 2), st.sampled_from(sorted(NEW) + ["torch.Tensor.new_full"]), SIZES, st.booleans())
def test_new_factories(shape, name, size, spread):
    if name == "torch.Tensor.new_full":
        check(lambda ctx, x: apply_op(name, ctx, x, size, 1.5), lambda x: x.new_full(size, 1.5), [T(shape)])
    elif spread and size:
        check(lambda ctx, x: apply_op(name, ctx, x, *size), lambda x: NEW[name](x, *size), [T(shape)])
    else:
        check(lambda ctx, x: apply_op(name, ctx, x, size), lambda x: NEW[name](x, size), [T(shape)])


@given(shapes(0, 2), st.lists(st.integers(-2, 4), max_size=3), st.booleans())
def test_legacy_new(shape, size, from_tensor):
    """x.new(), x.new(*sizes), x.new(tensor): an empty tensor, the sizes, the tensor's shape."""
    if from_tensor:
        check(
            lambda ctx, x, y: apply_op("torch.Tensor.new", ctx, x, y),
            lambda x, y: x.new(y),
            [T(shape), T(size and [abs(d) for d in size])],
        )
    else:
        check(lambda ctx, x: apply_op("torch.Tensor.new", ctx, x, *size), lambda x: x.new(*size), [T(shape)])


SYMBOLIC_FACTORIES = [
    ("torch.zeros", lambda a, b: (a - 2, b), torch.zeros),
    ("torch.randn", lambda a, b: ((a, b - 3),), torch.randn),
    ("torch.full", lambda a, b: ((b, a - 1), 0.5), torch.full),
    ("torch.Tensor.new_empty", lambda a, b: (b - a,), lambda *s: torch.zeros(1).new_empty(*s)),
    ("torch.arange", lambda a, b: (a, b), torch.arange),
    ("torch.arange", lambda a, b: (b, a, -2), torch.arange),
    ("torch.arange", lambda a, b: (1, a * b, b), torch.arange),
    ("torch.eye", lambda a, b: (a, b - 2), torch.eye),
    ("torch.linspace", lambda a, b: (0.0, 1.0, a - b), torch.linspace),
    ("torch.randint", lambda a, b: (a, b, (a,)), torch.randint),
]


@given(st.integers(1, 5), st.integers(1, 5), st.sampled_from(range(len(SYMBOLIC_FACTORIES))))
def test_factories_symbolic_sizes(a, b, which):
    """Sizes written in symbols: the rule states exactly when torch accepts them."""
    name, make, fn = SYMBOLIC_FACTORIES[which]
    rule = (
        (lambda ctx, x, *s: apply_op(name, ctx, Shape([1]), *s))
        if name.startswith("torch.Tensor.")
        else (lambda ctx, x, *s: apply_op(name, ctx, *s))
    )
    check_symbolic_sizes(rule, lambda x, *s: fn(*s), (a, b), make)


def test_symbolic_sizes():
    B, C = sym("B"), sym("C")
    assert apply_op("torch.zeros", Checker(), B, 3, C) == Shape([B, 3, C])
    assert apply_op("torch.Tensor.new_ones", Checker(), Shape([2]), (B, C)) == Shape([B, C])
    assert apply_op("torch.arange", Checker(), C) == Shape([C])
    assert apply_op("torch.eye", Checker(), B) == Shape([B, B])
    ctx = Checker()
    assert apply_op("torch.randn", ctx, B - 2) == Shape([B - 2])
    assert [str(c.cond) for c in ctx.conditions] == ["B >= 2"]


BOUND = st.one_of(st.integers(-4, 6), st.floats(-4, 6, allow_nan=False).map(lambda v: round(v, 1)))


@given(
    BOUND,
    st.one_of(st.none(), BOUND),
    st.one_of(st.none(), st.integers(-3, 3), st.sampled_from([0.5, -0.5, 0.3, 1.5, -2.5])),
)
def test_arange(start, end, step):
    args = [a for a in (start, end, step) if a is not None] if end is not None else [start]
    check(lambda ctx, *a: apply_op("torch.arange", ctx, *a), lambda *a: torch.arange(*a), args)


def test_arange_symbolic():
    T_ = sym("T")
    assert apply_op("torch.arange", Checker(), 0, T_, 2) == Shape([(T_ + 1) // 2])
    assert apply_op("torch.arange", Checker(), T_, 0, -1) == Shape([T_])
    ctx = Checker()
    assert apply_op("torch.arange", ctx, 3, T_) == Shape([T_ - 3])
    assert [str(c.cond) for c in ctx.conditions] == ["T >= 3"]


@given(st.sampled_from(["torch.linspace", "torch.logspace"]), st.floats(-3, 3), st.floats(-3, 3), st.integers(-2, 6))
def test_linspace(name, start, end, steps):
    fn = torch.linspace if name == "torch.linspace" else torch.logspace
    check(lambda ctx: apply_op(name, ctx, start, end, steps), lambda: fn(start, end, steps), [])


@given(st.integers(-1, 5), st.one_of(st.none(), st.integers(-1, 5)))
def test_eye(n, m):
    if m is None:
        check(lambda ctx: apply_op("torch.eye", ctx, n), lambda: torch.eye(n), [])
    else:
        check(lambda ctx: apply_op("torch.eye", ctx, n, m), lambda: torch.eye(n, m), [])


@given(st.integers(-3, 4), st.data(), SIZES, st.booleans())
def test_randint(low, data, size, with_low):
    high = data.draw(near(max(low, 0) + 1, 2))
    if with_low:
        check(lambda ctx: apply_op("torch.randint", ctx, low, high, size), lambda: torch.randint(low, high, size), [])
    else:
        check(lambda ctx: apply_op("torch.randint", ctx, high, size), lambda: torch.randint(high, size), [])


LIKE = {
    "torch.randn_like": torch.randn_like,
    "torch.rand_like": torch.rand_like,
    "torch.zeros_like": torch.zeros_like,
    "torch.ones_like": torch.ones_like,
    "torch.empty_like": torch.empty_like,
}


@given(shapes(0, 4, min_dim=0), st.sampled_from(sorted(LIKE) + ["torch.full_like"]))
def test_like(shape, name):
    if name == "torch.full_like":
        check(lambda ctx, x: apply_op(name, ctx, x, 2.0), lambda x: torch.full_like(x, 2.0), [T(shape)])
    else:
        check(lambda ctx, x: apply_op(name, ctx, x), LIKE[name], [T(shape)])


@given(shapes(0, 3), st.integers(-2, 3), st.integers(-2, 4), st.booleans())
def test_randint_like(shape, low, high, with_low):
    if with_low:
        check(
            lambda ctx, x: apply_op("torch.randint_like", ctx, x, low, high),
            lambda x: torch.randint_like(x, low, high),
            [T(shape)],
        )
    else:
        check(
            lambda ctx, x: apply_op("torch.randint_like", ctx, x, high),
            lambda x: torch.randint_like(x, high),
            [T(shape)],
        )


class Slot:
    """Where the i-th tensor input goes inside nested data (the oracle only builds top-level tensors)."""

    def __init__(self, i):
        self.i = i


def fill(data, tensors):
    if isinstance(data, Slot):
        return tensors[data.i]
    if isinstance(data, (list, tuple)):
        return type(data)(fill(d, tensors) for d in data)
    return data


@st.composite
def nested_data(draw):
    """Nested lists of a shape; then a ragged row, a scalar for a row, a row for a scalar, or tensors."""
    shape = draw(st.one_of(shapes(1, 3, max_dim=3), shapes(0, 3, min_dim=0, max_dim=3)))
    leaf = st.sampled_from([1, 2.5, True, -3])

    def build(dims):
        if not dims:
            return draw(leaf)
        return [build(dims[1:]) for _ in range(dims[0])]

    data = build(shape)
    tensors = []
    for _ in range(draw(st.sampled_from([1, 2, 0]))):
        if not isinstance(data, list) or not data:
            break
        row, depth = data, 0
        deeper = st.sampled_from([True, True, False])
        while isinstance(row, list) and row and isinstance(row[0], list) and draw(deeper):
            row, depth = row[draw(st.integers(0, len(row) - 1))], depth + 1
        if not isinstance(row, list) or not row:
            continue
        i = draw(st.integers(0, len(row) - 1))
        kind = draw(st.sampled_from(["extra", "missing", "scalar", "wrap", "tensor", "tensor"]))
        if kind == "extra":
            row.append(row[-1])
        elif kind == "missing":
            row.pop()
        elif kind == "scalar":
            row[i] = draw(leaf)
        elif kind == "wrap":
            row[i] = [row[i]]
        else:  # a tensor for the element: its shape is the element's, or a near miss
            inner = shape[depth + 1 :]
            tensors.append(
                tuple(draw(near(d, 1)) for d in inner)
                if draw(st.booleans())
                else draw(st.sampled_from([(), (1,), (1, 1), (2,)]))
            )
            row[i] = Slot(len(tensors) - 1)
    if isinstance(data, list) and draw(st.integers(0, 4)) == 0:  # tuples nest like lists
        data = tuple(tuple(row) if isinstance(row, list) else row for row in data)
    return data, tensors


DATA = {"torch.tensor": torch.tensor, "torch.as_tensor": torch.as_tensor}


@given(nested_data(), st.sampled_from(sorted(DATA) + ["torch.Tensor.new_tensor"]))
def test_tensor_from_data(data_and_tensors, name):
    data, tensors = data_and_tensors
    inputs = [T(s) for s in tensors]
    if name == "torch.Tensor.new_tensor":
        check(
            lambda ctx, *ts: apply_op(name, ctx, Shape([2]), fill(data, ts)),
            lambda *ts: torch.zeros(2).new_tensor(fill(data, ts)),
            inputs,
        )
    else:
        check(lambda ctx, *ts: apply_op(name, ctx, fill(data, ts)), lambda *ts: DATA[name](fill(data, ts)), inputs)


@given(shapes(0, 3), st.sampled_from(sorted(DATA)))
def test_tensor_from_a_tensor(shape, name):
    check(lambda ctx, x: apply_op(name, ctx, x), DATA[name], [T(shape)])


def test_unknown_elements_lose_inference():
    """An element whose value is unknown might itself be a list: the shape is not guessed."""
    for data in ([UNKNOWN, 1], [[1, 2], UNKNOWN], UNKNOWN):
        try:
            apply_op("torch.tensor", Checker(), data)
        except Lost:
            continue
        raise AssertionError(f"torch.tensor({data}) guessed a shape")


WINDOWS = [
    "torch.hann_window",
    "torch.hamming_window",
    "torch.blackman_window",
    "torch.bartlett_window",
    "torch.kaiser_window",
]


@given(st.sampled_from(WINDOWS), st.integers(-3, 8), st.booleans())
def test_windows(name, length, periodic):
    fn = getattr(torch, name.rsplit(".", 1)[-1])
    check(lambda ctx: apply_op(name, ctx, length, periodic), lambda: fn(length, periodic), [])


def test_window_of_a_symbolic_length():
    n = sym("n_fft")
    assert apply_op("torch.hann_window", Checker(), n) == Shape([n])


LEGACY = {
    name: getattr(torch, name.split(".")[1])
    for name in (
        "torch.Tensor",
        "torch.FloatTensor",
        "torch.DoubleTensor",
        "torch.HalfTensor",
        "torch.BFloat16Tensor",
        "torch.LongTensor",
        "torch.IntTensor",
        "torch.ShortTensor",
        "torch.CharTensor",
        "torch.ByteTensor",
        "torch.BoolTensor",
    )
}


@given(st.sampled_from(sorted(LEGACY)), SIZES)
def test_legacy_constructors_take_sizes(name, size):
    """torch.Tensor(1, N, 1) as old code builds Parameters; negative sizes fail as in torch."""
    check(lambda ctx: apply_op(name, ctx, *size), lambda: LEGACY[name](*size), [])


@given(st.sampled_from(sorted(LEGACY)), nested_data())
def test_legacy_constructors_take_list_data(name, data_and_tensors):
    data, tensors = data_and_tensors
    if not isinstance(data, list) or tensors:  # list data of numbers (tensor elements: torch.tensor's test)
        return
    check(lambda ctx: apply_op(name, ctx, data), lambda: LEGACY[name](data), [])


@given(st.sampled_from(sorted(LEGACY)), shapes(0, 3))
def test_legacy_constructors_copy_a_tensors_shape(name, shape):
    check(lambda ctx, x: apply_op(name, ctx, x), lambda x: LEGACY[name](x.to(LEGACY[name]().dtype)), [T(shape)])


def test_a_legacy_constructor_of_a_tuple_of_sizes_is_not_guessed():
    """torch.Tensor(x.size()) is [*sizes]; torch.Tensor((2, 3)) is data [2]: not told apart."""
    try:
        apply_op("torch.Tensor", Checker(), (2, sym("n")))
    except Lost:
        return
    raise AssertionError("guessed")

"""What a built layer holds (rules/parameters.py) against the layers torch builds on the meta device.

For each family hypothesis draws valid constructor arguments (some left to their defaults), torch
builds the layer, and ``layer_tensors`` must give exactly its parameters and buffers: the same
names in the same order (each module's ``_parameters``, then each module's ``_buffers``, the ones
registered as None included) and the same shapes. Then the sizes become symbols (one per distinct
value) and the result, with the values substituted, must still be torch's; last, one argument
becomes UNKNOWN and what is left must hold whatever its value is.
"""

import inspect

import pytest
import torch
import torch.nn as nn
from hypothesis import assume, given
from hypothesis import strategies as st

from shapelens.dims import UNKNOWN, Expr, Facts, Shape, sym
from shapelens.rules.parameters import HOLDS, covered, layer_tensors
from shapelens.rules import lookup

# -- both sides ---------------------------------------------------------------------------------


def torch_tensors(name: str, kwargs: dict) -> list:
    """(name, shape or None) for every parameter, then every buffer, of the layer torch builds."""
    cls = getattr(nn, name.rsplit(".", 1)[1])
    with torch.device("meta"):
        module = cls(**kwargs)
    modules = list(module.named_modules())
    entries = [
        (f"{prefix}.{n}" if prefix else n, None if t is None else tuple(t.shape))
        for table in ("_parameters", "_buffers")
        for prefix, m in modules
        for n, t in getattr(m, table).items()
    ]
    held = [(n, tuple(t.shape)) for n, t in [*module.named_parameters(), *module.named_buffers()]]
    assert held == [e for e in entries if e[1] is not None]
    return entries


def ours(name: str, kwargs: dict, facts=None, values=None) -> list:
    """layer_tensors on the bound constructor arguments, symbols replaced by ``values``."""
    result = layer_tensors(name, lookup(name).bind_init((), kwargs), facts)
    out = []
    for n, shape in result.items():
        assert shape is None or isinstance(shape, Shape), (n, shape)
        if shape is not None:
            shape = shape.substitute(values or {})
            assert all(isinstance(d, int) for d in shape), (n, shape)
            shape = tuple(shape.dims)
        out.append((n, shape))
    return out


def symbolize(kwargs: dict, sizes: tuple):
    """The ``sizes`` arguments with each positive int a symbol (one per value); 0 stays 0."""
    values = {}

    def to_sym(v):
        if isinstance(v, (tuple, list)):
            return type(v)(to_sym(x) for x in v)
        if isinstance(v, int) and not isinstance(v, bool) and v > 0:
            values[f"s{v}"] = v
            return sym(f"s{v}")
        return v

    return {k: to_sym(v) if k in sizes else v for k, v in kwargs.items()}, values


def is_sublist(part: list, whole: list) -> bool:
    it = iter(whole)
    return all(any(p == w for w in it) for p in part)


def prove(name: str, kwargs: dict, sizes: tuple, complete_symbolic: bool = True) -> None:
    """Concrete: exactly torch's. Symbolic: torch's after substitution (all of it when complete)."""
    expected = torch_tensors(name, kwargs)
    assert ours(name, kwargs) == expected
    symbolic, values = symbolize(kwargs, sizes)
    got = ours(name, symbolic, values=values)
    if complete_symbolic:
        assert got == expected
    else:
        assert is_sublist(got, expected), (got, expected)


# -- strategies: valid constructor arguments, some left to their defaults ----------------------

OMIT = object()


def draw_kwargs(draw, **fields) -> dict:
    """Each field drawn; a field given as ``(strategy, True)`` may be left out (its default)."""
    out = {}
    for key, spec in fields.items():
        strategy, optional = spec if isinstance(spec, tuple) else (spec, False)
        value = draw(st.one_of(st.just(OMIT), strategy) if optional else strategy)
        if value is not OMIT:
            out[key] = value
    return out


flags = st.booleans()
size = st.integers(1, 5)


@st.composite
def conv_args(draw, n: int):
    groups = draw(st.integers(1, 3))
    kernel = st.one_of(
        st.integers(1, 3), st.tuples(*[st.integers(1, 3)] * n), st.lists(st.integers(1, 3), min_size=n, max_size=n)
    )
    return {
        "in_channels": groups * draw(st.integers(1, 3)),
        "out_channels": groups * draw(st.integers(1, 3)),
        "kernel_size": draw(kernel),
        **draw_kwargs(draw, groups=(st.just(groups), True) if groups == 1 else st.just(groups), bias=(flags, True)),
    }


@st.composite
def embedding_args(draw):
    num = draw(size)
    return {
        "num_embeddings": num,
        "embedding_dim": draw(st.integers(0, 5)),
        **draw_kwargs(draw, padding_idx=(st.one_of(st.none(), st.integers(-num, num - 1)), True)),
    }


normalized_shapes = st.one_of(size, st.tuples(size), st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple))


@st.composite
def group_norm_args(draw):
    groups = draw(st.integers(1, 3))
    return {
        "num_groups": groups,
        "num_channels": groups * draw(st.integers(1, 3)),
        **draw_kwargs(draw, affine=(flags, True), bias=(flags, True)),
    }


@st.composite
def mha_args(draw):
    heads = draw(st.integers(1, 3))
    e = heads * draw(st.integers(1, 3))
    other = st.one_of(st.none(), st.just(e), size)
    return {
        "embed_dim": e,
        "num_heads": heads,
        **draw_kwargs(draw, bias=(flags, True), add_bias_kv=(flags, True), kdim=(other, True), vdim=(other, True)),
    }


@st.composite
def recurrent_args(draw, kind: str):
    hidden = draw(st.integers(1, 4))
    fields = dict(num_layers=(st.integers(1, 3), True), bias=(flags, True), bidirectional=(flags, True))
    if kind == "LSTM":
        fields["proj_size"] = (st.integers(0, hidden - 1), True)
    if kind == "RNN":
        fields["nonlinearity"] = (st.sampled_from(["tanh", "relu"]), True)
    return {"input_size": draw(size), "hidden_size": hidden, **draw_kwargs(draw, **fields)}


@st.composite
def cell_args(draw):
    return {"input_size": draw(size), "hidden_size": draw(size), **draw_kwargs(draw, bias=(flags, True))}


NORM_FIELDS = dict(affine=(flags, True), track_running_stats=(flags, True), bias=(flags, True))

# name -> (strategy of its constructor arguments, the size arguments)
FAMILIES = {
    "torch.nn.Linear": (
        st.fixed_dictionaries(
            {"in_features": st.integers(0, 6), "out_features": st.integers(0, 6)}, optional={"bias": flags}
        ),
        ("in_features", "out_features"),
    ),
    "torch.nn.Bilinear": (
        st.fixed_dictionaries(
            {"in1_features": size, "in2_features": size, "out_features": size}, optional={"bias": flags}
        ),
        ("in1_features", "in2_features", "out_features"),
    ),
    **{
        f"torch.nn.{kind}{n}d": (conv_args(n), ("in_channels", "out_channels", "kernel_size", "groups"))
        for kind in ("Conv", "ConvTranspose")
        for n in (1, 2, 3)
    },
    "torch.nn.Embedding": (embedding_args(), ("num_embeddings", "embedding_dim")),
    "torch.nn.EmbeddingBag": (embedding_args(), ("num_embeddings", "embedding_dim")),
    "torch.nn.LayerNorm": (
        st.fixed_dictionaries(
            {"normalized_shape": normalized_shapes}, optional={"elementwise_affine": flags, "bias": flags}
        ),
        ("normalized_shape",),
    ),
    "torch.nn.RMSNorm": (
        st.fixed_dictionaries({"normalized_shape": normalized_shapes}, optional={"elementwise_affine": flags}),
        ("normalized_shape",),
    ),
    "torch.nn.GroupNorm": (group_norm_args(), ("num_groups", "num_channels")),
    **{
        name: (
            st.fixed_dictionaries(
                {"num_features": size}, optional={"affine": flags, "track_running_stats": flags, "bias": flags}
            ),
            ("num_features",),
        )
        for name in (
            "torch.nn.BatchNorm1d",
            "torch.nn.BatchNorm2d",
            "torch.nn.BatchNorm3d",
            "torch.nn.SyncBatchNorm",
            "torch.nn.InstanceNorm1d",
            "torch.nn.InstanceNorm2d",
            "torch.nn.InstanceNorm3d",
        )
    },
    "torch.nn.LocalResponseNorm": (st.fixed_dictionaries({"size": size}), ("size",)),
    "torch.nn.CrossMapLRN2d": (st.fixed_dictionaries({"size": size}), ("size",)),
    "torch.nn.PReLU": (st.fixed_dictionaries({}, optional={"num_parameters": size}), ("num_parameters",)),
    "torch.nn.MultiheadAttention": (mha_args(), ("embed_dim", "num_heads", "kdim", "vdim")),
    "torch.nn.RNN": (recurrent_args("RNN"), ("input_size", "hidden_size")),
    "torch.nn.GRU": (recurrent_args("GRU"), ("input_size", "hidden_size")),
    "torch.nn.LSTM": (recurrent_args("LSTM"), ("input_size", "hidden_size", "proj_size")),
    "torch.nn.RNNCell": (cell_args(), ("input_size", "hidden_size")),
    "torch.nn.GRUCell": (cell_args(), ("input_size", "hidden_size")),
    "torch.nn.LSTMCell": (cell_args(), ("input_size", "hidden_size")),
}


def symbolic_complete(name: str, kwargs: dict) -> bool:
    """Whether symbols may cost entries: torch branches on kdim == embed_dim and proj_size > 0."""
    if name == "torch.nn.MultiheadAttention":
        e = kwargs["embed_dim"]
        return all(kwargs.get(k) in (None, e) for k in ("kdim", "vdim"))
    return kwargs.get("proj_size", 0) == 0


# -- the families against torch -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FAMILIES))
@given(data=st.data())
def test_layer_tensors(name, data):
    strategy, sizes = FAMILIES[name]
    kwargs = data.draw(strategy, label="kwargs")
    prove(name, kwargs, sizes, symbolic_complete(name, kwargs))


@pytest.mark.parametrize("name", sorted(FAMILIES))
@given(data=st.data())
def test_unknown_argument_is_never_guessed(name, data):
    """With one argument UNKNOWN, every entry kept is torch's whatever the argument's value."""
    strategy, _ = FAMILIES[name]
    kwargs = data.draw(strategy, label="kwargs")
    assume(kwargs)
    key = data.draw(st.sampled_from(sorted(kwargs)), label="unknown")
    alternatives = [kwargs] + [
        {**kwargs, key: other[key]} for other in data.draw(st.lists(strategy, max_size=4)) if key in other
    ]
    kept = ours(name, {**kwargs, key: UNKNOWN})
    for alt in alternatives:
        try:
            expected = torch_tensors(name, alt)
        except Exception:  # not a valid layer with this value: torch raises, so do the layer rules
            continue
        assert is_sublist(kept, expected), (alt, kept, expected)


# What one UNKNOWN argument costs: exactly the entries that depend on it.
UNKNOWN_CASES = [
    ("torch.nn.Linear", {"in_features": 3, "out_features": 4}, "in_features", ["weight"]),
    ("torch.nn.Linear", {"in_features": 3, "out_features": 4}, "bias", ["bias"]),
    (
        "torch.nn.Bilinear",
        {"in1_features": 2, "in2_features": 3, "out_features": 4},
        "out_features",
        ["weight", "bias"],
    ),
    ("torch.nn.Conv2d", {"in_channels": 4, "out_channels": 6, "kernel_size": 3, "groups": 2}, "groups", ["weight"]),
    ("torch.nn.Conv2d", {"in_channels": 4, "out_channels": 6, "kernel_size": (3, UNKNOWN)}, None, ["weight"]),
    (
        "torch.nn.ConvTranspose3d",
        {"in_channels": 4, "out_channels": 6, "kernel_size": 2},
        "out_channels",
        ["weight", "bias"],
    ),
    ("torch.nn.Conv1d", {"in_channels": 4, "out_channels": 6, "kernel_size": 2}, "kernel_size", ["weight"]),
    ("torch.nn.Embedding", {"num_embeddings": 5, "embedding_dim": 3, "padding_idx": 1}, "padding_idx", []),
    ("torch.nn.EmbeddingBag", {"num_embeddings": 5, "embedding_dim": 3}, "embedding_dim", ["weight"]),
    ("torch.nn.LayerNorm", {"normalized_shape": (UNKNOWN, 4)}, None, ["weight", "bias"]),
    ("torch.nn.LayerNorm", {"normalized_shape": 4, "elementwise_affine": True}, "bias", ["bias"]),
    ("torch.nn.LayerNorm", {"normalized_shape": 4, "elementwise_affine": False}, "bias", []),
    ("torch.nn.LayerNorm", {"normalized_shape": 4}, "elementwise_affine", ["weight", "bias"]),
    ("torch.nn.RMSNorm", {"normalized_shape": (2, 3)}, "normalized_shape", ["weight"]),
    ("torch.nn.GroupNorm", {"num_groups": 2, "num_channels": 4}, "num_channels", ["weight", "bias"]),
    ("torch.nn.GroupNorm", {"num_groups": 2, "num_channels": 4}, "num_groups", []),
    ("torch.nn.BatchNorm2d", {"num_features": 3}, "num_features", ["weight", "bias", "running_mean", "running_var"]),
    (
        "torch.nn.BatchNorm1d",
        {"num_features": 3, "track_running_stats": True},
        "track_running_stats",
        ["running_mean", "running_var", "num_batches_tracked"],
    ),
    ("torch.nn.InstanceNorm3d", {"num_features": 3, "affine": True}, "affine", ["weight", "bias"]),
    ("torch.nn.PReLU", {"num_parameters": 3}, "num_parameters", ["weight"]),
    (
        "torch.nn.MultiheadAttention",
        {"embed_dim": 4, "num_heads": 2, "kdim": 3},
        "kdim",
        ["in_proj_weight", "q_proj_weight", "k_proj_weight", "v_proj_weight"],
    ),
    ("torch.nn.MultiheadAttention", {"embed_dim": 4, "num_heads": 2, "kdim": 4, "vdim": 5}, "kdim", ["k_proj_weight"]),
    (
        "torch.nn.MultiheadAttention",
        {"embed_dim": 4, "num_heads": 2, "add_bias_kv": True},
        "add_bias_kv",
        ["bias_k", "bias_v"],
    ),
    (
        "torch.nn.MultiheadAttention",
        {"embed_dim": 4, "num_heads": 2, "bias": True},
        "bias",
        ["in_proj_bias", "out_proj.bias"],
    ),
    ("torch.nn.MultiheadAttention", {"embed_dim": 4, "num_heads": 2}, "num_heads", []),
    (
        "torch.nn.LSTM",
        {"input_size": 3, "hidden_size": 4, "num_layers": 2, "bidirectional": True},
        "bidirectional",
        [
            "weight_ih_l0_reverse",
            "weight_hh_l0_reverse",
            "bias_ih_l0_reverse",
            "bias_hh_l0_reverse",
            "weight_ih_l1",
            "weight_ih_l1_reverse",
            "weight_hh_l1_reverse",
            "bias_ih_l1_reverse",
            "bias_hh_l1_reverse",
        ],
    ),
    (
        "torch.nn.GRU",
        {"input_size": 3, "hidden_size": 4, "num_layers": 2},
        "num_layers",
        ["weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"],
    ),
    (
        "torch.nn.LSTM",
        {"input_size": 3, "hidden_size": 4, "num_layers": 2, "proj_size": 2},
        "proj_size",
        ["weight_hh_l0", "weight_hr_l0", "weight_ih_l1", "weight_hh_l1", "weight_hr_l1"],
    ),
    ("torch.nn.RNN", {"input_size": 3, "hidden_size": 4}, "input_size", ["weight_ih_l0"]),
    ("torch.nn.RNN", {"input_size": 3, "hidden_size": 4, "bias": True}, "bias", ["bias_ih_l0", "bias_hh_l0"]),
    ("torch.nn.LSTMCell", {"input_size": 3, "hidden_size": 4}, "input_size", ["weight_ih"]),
    (
        "torch.nn.GRUCell",
        {"input_size": 3, "hidden_size": 4},
        "hidden_size",
        ["weight_ih", "weight_hh", "bias_ih", "bias_hh"],
    ),
]


@pytest.mark.parametrize(
    "name, kwargs, key, dropped",
    UNKNOWN_CASES,
    ids=[f"{c[0].rsplit('.', 1)[1]}-{c[2] or 'tuple'}" for c in UNKNOWN_CASES],
)
def test_unknown_argument_drops_only_what_depends_on_it(name, kwargs, key, dropped):
    concrete = {
        k: (2 if v is UNKNOWN else tuple(2 if d is UNKNOWN else d for d in v) if isinstance(v, tuple) else v)
        for k, v in kwargs.items()
    }
    if key is not None:
        kwargs = {**kwargs, key: UNKNOWN}
    expected = [e for e in torch_tensors(name, concrete) if e[0] not in dropped]
    assert len(expected) == len(torch_tensors(name, concrete)) - len(dropped)
    assert ours(name, kwargs) == expected


# -- symbols stay symbols --------------------------------------------------------------------------


def shapes(name: str, facts=None, **kwargs) -> dict:
    return layer_tensors(name, lookup(name).bind_init((), kwargs), facts)


def test_symbolic_sizes_stay_symbolic():
    d, c, g, h, k = sym("d"), sym("C"), sym("g"), sym("H"), sym("k")
    assert shapes("torch.nn.Linear", in_features=d, out_features=d * 4) == {
        "weight": Shape([4 * d, d]),
        "bias": Shape([4 * d]),
    }
    conv = shapes("torch.nn.Conv2d", in_channels=c, out_channels=2 * c, kernel_size=(3, k), groups=g)
    assert conv["weight"] == Shape([2 * c, c // g, 3, k]) and repr(conv["weight"]) == "[2*C, C//g, 3, k]"
    assert shapes("torch.nn.ConvTranspose1d", in_channels=c, out_channels=c, kernel_size=1, groups=c)[
        "weight"
    ] == Shape([c, 1, 1])
    lstm = shapes("torch.nn.LSTM", input_size=d, hidden_size=h, num_layers=2, bidirectional=True)
    assert lstm["weight_ih_l1_reverse"] == Shape([4 * h, 2 * h])
    assert shapes("torch.nn.LayerNorm", normalized_shape=(h, d))["bias"] == Shape([h, d])
    assert shapes("torch.nn.MultiheadAttention", embed_dim=d, num_heads=2)["in_proj_weight"] == Shape([3 * d, d])
    assert all(isinstance(dim, Expr) for dim in conv["weight"].dims[:2])


def test_facts_decide_what_torch_branches_on():
    """kdim == embed_dim and proj_size > 0 need values; the analysis's facts can supply them."""
    e, k, p, h = sym("E"), sym("k"), sym("P"), sym("H")
    mha = dict(embed_dim=e, num_heads=1, kdim=k, vdim=e)
    assert "in_proj_weight" not in shapes("torch.nn.MultiheadAttention", **mha)
    facts = Facts()
    facts.bind("k", e)
    assert shapes("torch.nn.MultiheadAttention", facts, **mha)["in_proj_weight"] == Shape([3 * e, e])
    assert shapes("torch.nn.MultiheadAttention", Facts(), **{**mha, "kdim": e + 1})["k_proj_weight"] == Shape(
        [e, e + 1]
    )
    lstm = dict(input_size=3, hidden_size=h, proj_size=p)
    assert "weight_hr_l0" not in shapes("torch.nn.LSTM", **lstm)  # P may be 0: no projection
    assert shapes("torch.nn.LSTM", Facts(), **lstm)["weight_hr_l0"] == Shape([p, h])  # sizes are >= 1
    assert shapes("torch.nn.LSTM", **{**lstm, "proj_size": 0})["weight_hh_l0"] == Shape([4 * h, h])


def test_facts_simplify_the_shapes():
    c, g = sym("C"), sym("g")
    facts = Facts()
    facts.learn_divides(g, c)
    weight = shapes("torch.nn.Conv1d", facts, in_channels=c, out_channels=g, kernel_size=1, groups=g)["weight"]
    assert weight.substitute({"C": 6, "g": 3}) == Shape([3, 2, 1])
    assert weight[1] * g == c  # the exact quotient: groups divide in_channels


# -- the registry -----------------------------------------------------------------------------------


def test_uncovered_layers_give_none():
    assert layer_tensors("torch.nn.LazyLinear", {"out_features": 3}) is None
    assert layer_tensors("torch.nn.TransformerEncoderLayer", {"d_model": 4, "nhead": 2}) is None
    assert layer_tensors("torch.nn.NoSuchLayer", {}) is None


def test_arguments_torch_rejects_cost_only_their_entries():
    """groups=0 or a string size: torch raises at construction; nothing is named for them."""
    conv = shapes("torch.nn.Conv2d", in_channels=4, out_channels=6, kernel_size=3, groups=0)
    assert conv == {"bias": Shape([6])}
    assert shapes("torch.nn.Linear", in_features="4", out_features=3) == {"bias": Shape([3])}


def test_functions_read_the_layer_rules_names():
    """Each covered name is a layer rule; each function's arguments are that rule's constructor's."""
    assert covered() == sorted(FAMILIES)
    for name, fn in HOLDS.items():
        rule = lookup(name)
        assert rule is not None and rule.kind == "layer", name
        params = inspect.signature(fn).parameters.values()
        named = {p.name for p in params if p.kind is p.KEYWORD_ONLY} - {"facts"}
        assert named <= set(rule.init_params), (name, named - set(rule.init_params))
        for p in params:
            if p.kind is p.KEYWORD_ONLY and p.name != "facts" and p.default is not p.empty:
                assert rule.init_default(p.name) == p.default, (name, p.name)
        doc = inspect.getdoc(fn)
        assert doc and "\n" not in doc, name

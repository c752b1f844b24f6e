"""What a built layer holds: its parameters and buffers, by name, with shapes from its constructor.

``@holds("torch.nn.Linear")`` registers one small function per layer family. It takes the layer's
constructor arguments as :meth:`~shapelens.rules.Rule.bind_init` binds them (torch's
names, defaults filled) and returns torch's names in torch's order (each module's parameters, then
each module's buffers, a submodule's as ``"out_proj.weight"``), each mapped to a
:class:`~shapelens.dims.Shape`, or to ``None`` where torch registers ``None``
(``Linear(bias=False).bias``).

Each value is written as a zero-argument function, so that one unknown argument costs only what
depends on it: an entry whose shape or presence needs a value that is not known (``UNKNOWN``, or a
symbolic size where torch branches on its value) raises :class:`~shapelens.dims.Lost` and is left
out; the others stay. Nothing is guessed. Sizes stay symbolic: ``Linear(d, 4*d).weight`` is
``[4*d, d]``.
"""

from __future__ import annotations

import inspect
from typing import Callable, Optional

from ..dims import Facts, Lost, Shape, eq, gt, is_dim
from ._common import ntuple_as_is

HOLDS: dict = {}  # layer name -> function of its constructor arguments


def holds(*names: str):
    """Register the parameters-and-buffers function of the layers ``names``."""

    def decorate(fn: Callable) -> Callable:
        for name in names:
            if name in HOLDS:
                raise ValueError(f"tensors of {name} registered twice")
            HOLDS[name] = fn
        return fn

    return decorate


def layer_tensors(rule_name: str, ctor: dict, facts: Optional[Facts] = None) -> Optional[dict]:
    """name -> Shape (or None) for every parameter and buffer the built layer holds, in torch's order.

    ``ctor`` is the layer's bound constructor arguments (``Rule.bind_init``). Entries that need an
    unknown argument are left out. ``facts``, when given, decides what torch branches on (is
    ``kdim`` the ``embed_dim``? is ``proj_size`` positive?) and simplifies the shapes. ``None``
    when no function describes this layer. A name missing from the result may still be held when
    an argument was unknown; every name present is certain.
    """
    fn = _function(rule_name)
    if fn is None:
        return None
    kwargs = dict(ctor)
    if "facts" in _parameters(fn):
        kwargs["facts"] = facts
    out = {}
    for name, entry in fn(**kwargs).items():
        try:
            value = entry() if callable(entry) else entry
        except (Lost, TypeError, ZeroDivisionError):  # not known, or a layer torch would not build
            continue
        out[name] = value.simplify(facts) if facts is not None and value is not None else value
    return out


def covered() -> list:
    """The layer names with a registered function."""
    return sorted(HOLDS)


def _function(rule_name: str) -> Optional[Callable]:
    fn = HOLDS.get(rule_name)
    if fn is None:  # an alias of a covered layer's rule
        from ._registry import lookup

        rule = lookup(rule_name)
        for alias in rule.aliases if rule is not None else ():
            fn = fn or HOLDS.get(alias)
    return fn


_SIGNATURES: dict = {}


def _parameters(fn: Callable):
    if fn not in _SIGNATURES:
        _SIGNATURES[fn] = inspect.signature(fn).parameters
    return _SIGNATURES[fn]


# ---------------------------------------------------------------------------------------------
# helpers: sizes, flags and torch's branches


def _shape(*dims) -> Shape:
    """``torch.empty(dims)``'s shape; Lost when a size is not a known dim."""
    for d in dims:
        if not is_dim(d):
            raise Lost("a parameter's size is not known statically")
    return Shape(dims)


def _known(decide: Callable[[], bool]) -> Optional[bool]:
    """A branch torch takes at construction: True or False, None when it depends on an unknown."""
    try:
        return bool(decide())
    except Lost:
        return None


def _equal(a, b, facts: Optional[Facts]) -> bool:
    """Torch's ``a == b`` on two sizes; Lost when only their values could tell."""
    if not (is_dim(a) and is_dim(b)):
        raise Lost("a size is not known statically")
    if a == b:
        return True
    verdict = (facts or Facts()).decide(eq(a, b))
    if verdict is None:
        raise Lost("whether two sizes are equal is not known")
    return verdict


def _positive(a, facts: Optional[Facts]) -> bool:
    """Torch's ``a > 0``; a symbol only with facts (0 is a meaningful value: "disabled")."""
    if isinstance(a, int) and not isinstance(a, bool):
        return a > 0
    verdict = facts.decide(gt(a, 0)) if facts is not None and is_dim(a) else None
    if verdict is None:
        raise Lost("whether a size is positive is not known")
    return verdict


def _normalized(normalized_shape) -> tuple:
    """LayerNorm's ``normalized_shape``: ``5`` is ``(5,)``, a tuple or list as it is."""
    if isinstance(normalized_shape, (tuple, list)):
        return tuple(normalized_shape)
    return (normalized_shape,)


# ---------------------------------------------------------------------------------------------
# linear maps


@holds("torch.nn.Linear")
def linear(*, in_features, out_features, bias=True, **_):
    """weight [out_features, in_features], bias [out_features]."""
    return {
        "weight": lambda: _shape(out_features, in_features),
        "bias": lambda: _shape(out_features) if bias else None,
    }


@holds("torch.nn.Bilinear")
def bilinear(*, in1_features, in2_features, out_features, bias=True, **_):
    """weight [out_features, in1_features, in2_features], bias [out_features]."""
    return {
        "weight": lambda: _shape(out_features, in1_features, in2_features),
        "bias": lambda: _shape(out_features) if bias else None,
    }


# ---------------------------------------------------------------------------------------------
# convolutions


def _conv(n: int, transposed: bool):
    def tensors(*, in_channels, out_channels, kernel_size, groups=1, bias=True, **_):
        def weight():
            k = ntuple_as_is(kernel_size, n)
            if transposed:
                return _shape(in_channels, out_channels // groups, *k)
            return _shape(out_channels, in_channels // groups, *k)

        return {
            "weight": weight,
            "bias": lambda: _shape(out_channels) if bias else None,
        }

    return tensors


def _conv_family(n: int, transposed: bool, doc: str):
    fn = _conv(n, transposed)
    fn.__doc__ = doc
    fn.__name__ = fn.__qualname__ = f"conv_transpose{n}d" if transposed else f"conv{n}d"
    return fn


for _n in (1, 2, 3):
    holds(f"torch.nn.Conv{_n}d")(
        _conv_family(_n, False, "weight [out_channels, in_channels//groups, *kernel_size], bias [out_channels].")
    )
    holds(f"torch.nn.ConvTranspose{_n}d")(
        _conv_family(_n, True, "weight [in_channels, out_channels//groups, *kernel_size], bias [out_channels].")
    )


# ---------------------------------------------------------------------------------------------
# embeddings


@holds("torch.nn.Embedding", "torch.nn.EmbeddingBag")
def embedding(*, num_embeddings, embedding_dim, **_):
    """weight [num_embeddings, embedding_dim] (also when _weight is given: torch asserts its shape)."""
    return {"weight": lambda: _shape(num_embeddings, embedding_dim)}


# ---------------------------------------------------------------------------------------------
# normalization


@holds("torch.nn.LayerNorm")
def layer_norm(*, normalized_shape, elementwise_affine=True, bias=True, **_):
    """weight and bias [*normalized_shape] with elementwise_affine (bias also needs bias=True)."""
    return {
        "weight": lambda: _shape(*_normalized(normalized_shape)) if elementwise_affine else None,
        "bias": lambda: _shape(*_normalized(normalized_shape)) if elementwise_affine and bias else None,
    }


@holds("torch.nn.RMSNorm")
def rms_norm(*, normalized_shape, elementwise_affine=True, **_):
    """weight [*normalized_shape] with elementwise_affine; no bias."""
    return {"weight": lambda: _shape(*_normalized(normalized_shape)) if elementwise_affine else None}


@holds("torch.nn.GroupNorm")
def group_norm(*, num_channels, affine=True, bias=True, **_):
    """weight and bias [num_channels] with affine (bias also needs bias=True)."""
    return {
        "weight": lambda: _shape(num_channels) if affine else None,
        "bias": lambda: _shape(num_channels) if affine and bias else None,
    }


def _norm_base(num_features, affine, track_running_stats, bias) -> dict:
    """_NormBase.__init__: the affine parameters, then the running statistics."""
    return {
        "weight": lambda: _shape(num_features) if affine else None,
        "bias": lambda: _shape(num_features) if affine and bias else None,
        "running_mean": lambda: _shape(num_features) if track_running_stats else None,
        "running_var": lambda: _shape(num_features) if track_running_stats else None,
        "num_batches_tracked": lambda: _shape() if track_running_stats else None,
    }


@holds("torch.nn.BatchNorm1d", "torch.nn.BatchNorm2d", "torch.nn.BatchNorm3d", "torch.nn.SyncBatchNorm")
def batch_norm(*, num_features, affine=True, track_running_stats=True, bias=True, **_):
    """weight, bias [num_features] (affine); running_mean, running_var [num_features], num_batches_tracked []."""
    return _norm_base(num_features, affine, track_running_stats, bias)


@holds("torch.nn.InstanceNorm1d", "torch.nn.InstanceNorm2d", "torch.nn.InstanceNorm3d")
def instance_norm(*, num_features, affine=False, track_running_stats=False, bias=True, **_):
    """As BatchNorm, but affine and track_running_stats default to False: all five None."""
    return _norm_base(num_features, affine, track_running_stats, bias)


@holds("torch.nn.LocalResponseNorm", "torch.nn.CrossMapLRN2d")
def local_response_norm(**_):
    """Nothing: no parameters, no buffers."""
    return {}


# ---------------------------------------------------------------------------------------------
# activations with parameters


@holds("torch.nn.PReLU")
def prelu(*, num_parameters=1, **_):
    """weight [num_parameters]."""
    return {"weight": lambda: _shape(num_parameters)}


# ---------------------------------------------------------------------------------------------
# attention


@holds("torch.nn.MultiheadAttention")
def multihead_attention(*, embed_dim, bias=True, add_bias_kv=False, kdim=None, vdim=None, facts=None, **_):
    """in_proj_weight [3*E, E] or q/k/v_proj_weight [E, E|kdim|vdim], in_proj_bias [3*E], bias_k/v, out_proj."""
    e = embed_dim
    kdim = e if kdim is None else kdim
    vdim = e if vdim is None else vdim
    k_same, v_same = _known(lambda: _equal(kdim, e, facts)), _known(lambda: _equal(vdim, e, facts))
    separate = True if False in (k_same, v_same) else False if (k_same, v_same) == (True, True) else None
    out = {}
    if separate:
        out["q_proj_weight"] = lambda: _shape(e, e)
        out["k_proj_weight"] = lambda: _shape(e, kdim)
        out["v_proj_weight"] = lambda: _shape(e, vdim)
        out["in_proj_weight"] = None
    elif separate is False:
        out["in_proj_weight"] = lambda: _shape(3 * e, e)
        out.update(q_proj_weight=None, k_proj_weight=None, v_proj_weight=None)
    # separate is None: which of the four names hold a tensor is not known, nor their order
    out["in_proj_bias"] = lambda: _shape(3 * e) if bias else None
    if _known(lambda: add_bias_kv):  # without it, bias_k and bias_v are plain attributes (None)
        out["bias_k"] = lambda: _shape(1, 1, e)
        out["bias_v"] = lambda: _shape(1, 1, e)
    out["out_proj.weight"] = lambda: _shape(e, e)
    out["out_proj.bias"] = lambda: _shape(e) if bias else None
    return out


# ---------------------------------------------------------------------------------------------
# recurrent layers


def _recurrent(gates: int, input_size, hidden_size, num_layers, bias, bidirectional, proj_size, facts) -> dict:
    """RNNBase.__init__: per layer and direction weight_ih, weight_hh, [bias_ih, bias_hh], [weight_hr]."""
    has_bias = _known(lambda: bias)
    two_way = _known(lambda: bidirectional)
    projected = _known(lambda: _positive(proj_size, facts))
    # num_layers >= 1 (torch raises otherwise): layer 0 is there whatever its value
    known_layers = isinstance(num_layers, int) and not isinstance(num_layers, bool)
    layers = range(num_layers) if known_layers else range(1)

    def real_hidden():
        if projected is None:
            raise Lost("whether the LSTM projects its hidden state is not known")
        return proj_size if projected else hidden_size

    def directions():
        if two_way is None:
            raise Lost("whether the layer is bidirectional is not known")
        return 2 if two_way else 1

    out: dict = {}
    for k in layers:
        for suffix in ("", "_reverse") if two_way else ("",):

            def w_ih(k=k):
                return _shape(gates * hidden_size, input_size if k == 0 else real_hidden() * directions())

            out[f"weight_ih_l{k}{suffix}"] = w_ih
            out[f"weight_hh_l{k}{suffix}"] = lambda: _shape(gates * hidden_size, real_hidden())
            if has_bias:
                out[f"bias_ih_l{k}{suffix}"] = lambda: _shape(gates * hidden_size)
                out[f"bias_hh_l{k}{suffix}"] = lambda: _shape(gates * hidden_size)
            if projected:
                out[f"weight_hr_l{k}{suffix}"] = lambda: _shape(proj_size, hidden_size)
    return out


@holds("torch.nn.RNN")
def rnn(*, input_size, hidden_size, num_layers=1, bias=True, bidirectional=False, **_):
    """weight_ih_l{k} [H, input_size or H*dirs], weight_hh_l{k} [H, H], bias_ih/hh_l{k} [H]; H = hidden_size."""
    return _recurrent(1, input_size, hidden_size, num_layers, bias, bidirectional, 0, None)


@holds("torch.nn.GRU")
def gru(*, input_size, hidden_size, num_layers=1, bias=True, bidirectional=False, **_):
    """weight_ih_l{k} [3*H, input_size or H*dirs], weight_hh_l{k} [3*H, H], bias_ih/hh_l{k} [3*H]; H = hidden_size."""
    return _recurrent(3, input_size, hidden_size, num_layers, bias, bidirectional, 0, None)


@holds("torch.nn.LSTM")
def lstm(*, input_size, hidden_size, num_layers=1, bias=True, bidirectional=False, proj_size=0, facts=None, **_):
    """weight_ih_l{k} [4*H, input_size or P*dirs], weight_hh_l{k} [4*H, P], bias_ih/hh_l{k} [4*H], weight_hr_l{k} [P, H]."""
    return _recurrent(4, input_size, hidden_size, num_layers, bias, bidirectional, proj_size, facts)


def _cell(gates: int, input_size, hidden_size, bias) -> dict:
    return {
        "weight_ih": lambda: _shape(gates * hidden_size, input_size),
        "weight_hh": lambda: _shape(gates * hidden_size, hidden_size),
        "bias_ih": lambda: _shape(gates * hidden_size) if bias else None,
        "bias_hh": lambda: _shape(gates * hidden_size) if bias else None,
    }


@holds("torch.nn.RNNCell")
def rnn_cell(*, input_size, hidden_size, bias=True, **_):
    """weight_ih [H, input_size], weight_hh [H, H], bias_ih, bias_hh [H]; H = hidden_size."""
    return _cell(1, input_size, hidden_size, bias)


@holds("torch.nn.GRUCell")
def gru_cell(*, input_size, hidden_size, bias=True, **_):
    """weight_ih [3*H, input_size], weight_hh [3*H, H], bias_ih, bias_hh [3*H]; H = hidden_size."""
    return _cell(3, input_size, hidden_size, bias)


@holds("torch.nn.LSTMCell")
def lstm_cell(*, input_size, hidden_size, bias=True, **_):
    """weight_ih [4*H, input_size], weight_hh [4*H, H], bias_ih, bias_hh [4*H]; H = hidden_size."""
    return _cell(4, input_size, hidden_size, bias)

"""nn.RNN, LSTM, GRU and their cells against torch: ranks, input_size, hidden states, proj_size."""

import torch.nn as nn
from hypothesis import assume, given
from hypothesis import strategies as st
from oracle import T, check

from shapelens.rules import apply_layer


def off(data, dims, *, always=False):
    """``dims`` half of the time (never if ``always``); else one axis off by one, or a wrong rank."""
    dims = list(dims)
    choice = data.draw(st.integers(3 if always else 0, 5))
    if choice <= 2 or not dims:
        return tuple(dims)
    if choice == 5:
        return tuple(dims[:-1]) if data.draw(st.booleans()) else tuple(dims) + (2,)
    axis = data.draw(st.integers(0, len(dims) - 1))
    dims[axis] = max(0, dims[axis] + data.draw(st.sampled_from([-1, 1])))
    return tuple(dims)


FAULTS = ["num_layers", "dropout", "nonlinearity", "proj_size", "rank", "seq_len", "input_size", "hx"]


def fault(data):
    """None half of the time (a valid call), otherwise the one thing to get wrong."""
    return data.draw(st.one_of(st.none(), st.sampled_from(FAULTS)))


def ctor(data, name, bad):
    input_size, hidden_size = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    kwargs = dict(
        num_layers=0 if bad == "num_layers" else data.draw(st.integers(1, 3)),
        batch_first=data.draw(st.booleans()),
        bidirectional=data.draw(st.booleans()),
        dropout=1.5 if bad == "dropout" else data.draw(st.sampled_from([0.0, 0.5])),
    )
    if name == "torch.nn.RNN":
        kwargs["nonlinearity"] = "sigmoid" if bad == "nonlinearity" else data.draw(st.sampled_from(["tanh", "relu"]))
    if name == "torch.nn.LSTM":
        kwargs["proj_size"] = (
            data.draw(st.sampled_from([hidden_size, hidden_size + 1, -1]))
            if bad == "proj_size"
            else data.draw(st.integers(0, hidden_size - 1))
        )
    return input_size, hidden_size, kwargs


def sequence_input(data, input_size, batch_first, bad):
    """A batched [L, N, H_in] / [N, L, H_in] or unbatched [L, H_in] input; its batch size or None."""
    seq = 0 if bad == "seq_len" else data.draw(st.integers(1, 4))
    batch = data.draw(st.integers(1, 3))
    last = input_size + data.draw(st.sampled_from([-1, 1])) if bad == "input_size" else input_size
    if bad == "rank":
        return data.draw(st.sampled_from([(last,), (seq, batch, 1, last)])), batch
    if data.draw(st.booleans()):
        return ((batch, seq, last) if batch_first else (seq, batch, last)), batch
    return (seq, last), None


def hidden_shape(data, layers, batch, size, bad):
    dims = (layers, batch, size) if batch is not None else (layers, size)
    return off(data, dims, always=True) if bad else dims


def sequence_case(data, name):
    bad = fault(data)
    input_size, hidden_size, kwargs = ctor(data, name, bad)
    shape, batch = sequence_input(data, input_size, kwargs["batch_first"], bad)
    layers = (2 if kwargs["bidirectional"] else 1) * kwargs["num_layers"]
    with_hx = bad == "hx" or data.draw(st.booleans())
    return bad == "hx", input_size, hidden_size, kwargs, shape, batch, layers, with_hx


@given(st.sampled_from(["torch.nn.RNN", "torch.nn.GRU"]), st.data())
def test_rnn_gru(name, data):
    bad_hx, input_size, hidden_size, kwargs, shape, batch, layers, with_hx = sequence_case(data, name)
    hx = T(hidden_shape(data, layers, batch, hidden_size, bad_hx)) if with_hx else None
    module = getattr(nn, name.rsplit(".", 1)[1])
    check(
        lambda ctx, x, h: apply_layer(name, ctx, (input_size, hidden_size), kwargs, x, h),
        lambda x, h: module(input_size, hidden_size, **kwargs)(x, h),
        [T(shape), hx],
    )


@given(st.data())
def test_lstm(data):
    bad_hx, input_size, hidden_size, kwargs, shape, batch, layers, with_hx = sequence_case(data, "torch.nn.LSTM")
    out = kwargs["proj_size"] if kwargs["proj_size"] > 0 else hidden_size
    if with_hx:
        which = data.draw(st.sampled_from(["h", "c"]))
        h = T(hidden_shape(data, layers, batch, out, bad_hx and which == "h"))
        c = T(hidden_shape(data, layers, batch, hidden_size, bad_hx and which == "c"))
        check(
            lambda ctx, x, h, c: apply_layer("torch.nn.LSTM", ctx, (input_size, hidden_size), kwargs, x, (h, c)),
            lambda x, h, c: nn.LSTM(input_size, hidden_size, **kwargs)(x, (h, c)),
            [T(shape), h, c],
        )
    else:
        check(
            lambda ctx, x: apply_layer("torch.nn.LSTM", ctx, (input_size, hidden_size), kwargs, x),
            lambda x: nn.LSTM(input_size, hidden_size, **kwargs)(x),
            [T(shape)],
        )


def cell_inputs(data, input_size, hidden_size, n_hidden):
    """An input [N, H_in] or [H_in] (sometimes a wrong rank) and hidden states near [N, H] or [H]."""
    batch = data.draw(st.integers(0, 3))
    x = off(data, (batch, input_size) if data.draw(st.booleans()) else (input_size,))
    batched = len(x) == 2
    hidden = []
    for _ in range(n_hidden):
        if data.draw(st.integers(0, 3)) == 0:  # the other rank: [N, H] for unbatched input or [H]
            hidden.append(
                (x[0] if batched else data.draw(st.sampled_from([hidden_size, 2])), hidden_size)
                if not batched
                else (data.draw(st.sampled_from([hidden_size, batch])),)
            )
        else:
            hidden.append(off(data, (x[0], hidden_size) if batched else (hidden_size,)))
    return x, hidden


def crashes(name, x, hidden, hidden_size):
    """Torch segfaults for an unbatched input with a 2-D h_0 in GRU/LSTM cells (once the checks pass)."""
    if len(x) != 1 or len(hidden[0]) != 2 or hidden[0][0] != hidden_size or hidden_size == 0:
        return False
    return name == "torch.nn.LSTMCell" or hidden_size == 1


@given(
    st.sampled_from(["torch.nn.RNNCell", "torch.nn.GRUCell"]),
    st.integers(1, 4),
    st.integers(0, 4),
    st.booleans(),
    st.data(),
)
def test_rnn_gru_cell(name, input_size, hidden_size, with_hx, data):
    x, (h,) = cell_inputs(data, input_size, hidden_size, 1)
    assume(not (with_hx and crashes(name, x, [h], hidden_size)))
    module = getattr(nn, name.rsplit(".", 1)[1])
    hx = T(h) if with_hx else None
    check(
        lambda ctx, x, h: apply_layer(name, ctx, (input_size, hidden_size), {}, x, h),
        lambda x, h: module(input_size, hidden_size)(x, h),
        [T(x), hx],
    )


@given(st.integers(1, 4), st.integers(0, 4), st.booleans(), st.data())
def test_lstm_cell(input_size, hidden_size, with_hx, data):
    x, (h, c) = cell_inputs(data, input_size, hidden_size, 2)
    if with_hx:
        assume(not crashes("torch.nn.LSTMCell", x, [h, c], hidden_size))
        check(
            lambda ctx, x, h, c: apply_layer("torch.nn.LSTMCell", ctx, (input_size, hidden_size), {}, x, (h, c)),
            lambda x, h, c: nn.LSTMCell(input_size, hidden_size)(x, (h, c)),
            [T(x), T(h), T(c)],
        )
    else:
        check(
            lambda ctx, x: apply_layer("torch.nn.LSTMCell", ctx, (input_size, hidden_size), {}, x),
            lambda x: nn.LSTMCell(input_size, hidden_size)(x),
            [T(x)],
        )

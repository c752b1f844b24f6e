"""Recurrent layers: nn.RNN, LSTM, GRU over whole sequences and their one-step cells."""

from __future__ import annotations

from .. import codes
from ..dims import UNKNOWN, Checker, Expr, Lost, Shape, broadcast, dim_text, eq, ge, gt, lt, normalize_axis
from ._common import tensor
from ._registry import layer


def _size_text(dims) -> str:
    """A size as torch prints a Python tuple of ints: ``(2, 3, 20)``."""
    return "(" + ", ".join(dim_text(d) for d in dims) + ")"


def _list_text(dims) -> str:
    return "[" + ", ".join(dim_text(d) for d in dims) + "]"


def _check_sizes(ctx: Checker, input_size, hidden_size) -> None:
    ctx.check(gt(input_size, 0), codes.INVALID_ARGUMENT, "input_size must be greater than zero", param="input_size")
    ctx.check(gt(hidden_size, 0), codes.INVALID_ARGUMENT, "hidden_size must be greater than zero", param="hidden_size")


def _check_rnn_base(ctx: Checker, input_size, hidden_size, num_layers, dropout, proj_size) -> None:
    """RNNBase.__init__: torch raises ValueError for each of these at construction."""
    if dropout is not UNKNOWN:  # the output shape does not depend on it: check it when known
        number = isinstance(dropout, (int, float)) and not isinstance(dropout, bool)
        ctx.check(
            number and 0 <= dropout <= 1,
            codes.INVALID_ARGUMENT,
            "dropout should be a number in range [0, 1] representing the probability of an element being zeroed",
            param="dropout",
        )
    _check_sizes(ctx, input_size, hidden_size)
    ctx.check(gt(num_layers, 0), codes.INVALID_ARGUMENT, "num_layers must be greater than zero", param="num_layers")
    ctx.check(
        ge(proj_size, 0),
        codes.INVALID_ARGUMENT,
        "proj_size should be a positive integer or zero to disable projections",
        param="proj_size",
    )
    ctx.check(
        lt(proj_size, hidden_size),
        codes.INVALID_ARGUMENT,
        "proj_size has to be smaller than hidden_size",
        param="proj_size",
    )


def _check_rnn(ctx, input_size, hidden_size, num_layers=1, nonlinearity="tanh", dropout=0.0, **_):
    if nonlinearity is not UNKNOWN:
        ctx.check(
            nonlinearity in ("tanh", "relu"),
            codes.INVALID_ARGUMENT,
            f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.",
            param="nonlinearity",
        )
    _check_rnn_base(ctx, input_size, hidden_size, num_layers, dropout, 0)


def _check_gru(ctx, input_size, hidden_size, num_layers=1, dropout=0.0, **_):
    _check_rnn_base(ctx, input_size, hidden_size, num_layers, dropout, 0)


def _check_lstm(ctx, input_size, hidden_size, num_layers=1, dropout=0.0, proj_size=0, **_):
    _check_rnn_base(ctx, input_size, hidden_size, num_layers, dropout, proj_size)


def _check_hidden(ctx: Checker, h: Shape, expected: tuple, batched: bool, message: str, param: str) -> None:
    """``check_hidden_size``: ``h`` (unsqueezed to 3-D when unbatched) equals ``expected``."""
    actual = h.dims if batched else (h[0], 1, h[1])

    def text():
        return f"{message} {_size_text(expected)}, got {_list_text(actual)}"

    axes = (0, 1, 2) if batched else (0, None, 1)
    for want, got, axis, fix in zip(expected, actual, axes, ("num_layers", None, param)):
        if axis is not None:
            ctx.check(
                eq(got, want), codes.RNN_HIDDEN_SHAPE, text, param=fix, expected=want, actual=got, arg="hx", axis=axis
            )


def _state(dims: tuple, batched: bool) -> Shape:
    """A final state ``[D*num_layers, N, H]``, without the batch axis for an unbatched input."""
    return Shape(dims if batched else (dims[0], dims[2]))


def _sequence(
    ctx: Checker, mode: str, input, hx, *, input_size, hidden_size, num_layers, batch_first, bidirectional, proj_size=0
):
    """RNN/GRU/LSTM.forward: the checks of ``forward`` and ``check_forward_args`` in torch's order."""
    x = tensor(input)
    tensor_word = " tensor" if mode == "RNN" else ""
    ctx.check(
        x.rank in (2, 3),
        codes.RNN_RANK,
        lambda: f"{mode}: Expected input to be 2D or 3D, got {x.rank}D{tensor_word} instead",
        arg="input",
    )
    batched = x.rank == 3
    if not batched:
        seq_len, batch = x[0], 1
    else:
        seq_len, batch = (x[1], x[0]) if batch_first else (x[0], x[1])
    directions = 2 if bidirectional else 1
    projected = ctx.decide(gt(proj_size, 0))
    out_size = proj_size if projected else hidden_size
    h_size = (directions * num_layers, batch, out_size)
    c_size = (directions * num_layers, batch, hidden_size)
    rank = 3 if batched else 2
    kind = "batched 3-D" if batched else "unbatched 2-D"
    if hx is None or _unknown(hx):  # an hx nobody knows leaves its checks open, not the output
        states = []
    elif mode == "LSTM":
        h, c = _pair(hx)
        ctx.check(
            h.rank == rank and c.rank == rank,
            codes.RNN_RANK,
            lambda: f"For {kind} input, hx and cx should also be {rank}-D but got ({h.rank}-D, {c.rank}-D) tensors",
            arg="hx",
        )
        states = [
            (h, h_size, "Expected hidden[0] size", "proj_size" if projected else "hidden_size"),
            (c, c_size, "Expected hidden[1] size", "hidden_size"),
        ]
    else:
        h = tensor(hx, "hx")
        ctx.check(
            h.rank == rank,
            codes.RNN_RANK,
            lambda: f"For {kind} input, hx should also be {rank}-D but got {h.rank}-D tensor",
            arg="hx",
        )
        states = [(h, h_size, "Expected hidden size", "hidden_size")]
    ctx.check(
        eq(x[-1], input_size),
        codes.RNN_INPUT_SIZE,
        lambda: f"input.size(-1) must be equal to input_size. Expected {dim_text(input_size)}, got {dim_text(x[-1])}",
        param="input_size",
        expected=input_size,
        actual=x[-1],
        arg="input",
        axis=-1,
    )
    for state, expected, message, param in states:
        _check_hidden(ctx, state, expected, batched, message, param)
    ctx.check(
        gt(seq_len, 0),
        codes.RNN_SEQUENCE_LENGTH,
        "Expected sequence length to be larger than 0 in RNN",
        arg="input",
        axis=(1 if batch_first else 0) if batched else 0,
    )
    output = x.replace(-1, directions * out_size)
    if mode == "LSTM":
        return output, (_state(h_size, batched), _state(c_size, batched))
    return output, _state(h_size, batched)


def _unknown(hx) -> bool:
    """A state whose value the analysis does not know (an argument it could not follow)."""
    if isinstance(hx, (tuple, list)):
        return any(_unknown(h) for h in hx)
    return hx is UNKNOWN or isinstance(hx, Expr)


def _pair(hx) -> tuple:
    """An LSTM state ``(h, c)`` of two known tensors."""
    if not isinstance(hx, (tuple, list)) or len(hx) != 2:
        raise Lost("hx is not a known pair (h, c)")
    return tensor(hx[0], "h_0"), tensor(hx[1], "c_0")


@layer("torch.nn.RNN", init=_check_rnn)
def rnn(
    ctx,
    input,
    hx=None,
    *,
    input_size,
    hidden_size,
    num_layers=1,
    nonlinearity="tanh",
    bias=True,
    batch_first=False,
    dropout=0.0,
    bidirectional=False,
    device=None,
    dtype=None,
):
    """[L, N, H_in] -> ([L, N, D*H_out], [D*num_layers, N, H_out]); batch_first, unbatched [L, H_in]."""
    return _sequence(
        ctx,
        "RNN",
        input,
        hx,
        input_size=input_size,
        hidden_size=hidden_size,
        num_layers=num_layers,
        batch_first=batch_first,
        bidirectional=bidirectional,
    )


@layer("torch.nn.GRU", init=_check_gru)
def gru(
    ctx,
    input,
    hx=None,
    *,
    input_size,
    hidden_size,
    num_layers=1,
    bias=True,
    batch_first=False,
    dropout=0.0,
    bidirectional=False,
    device=None,
    dtype=None,
):
    """[L, N, H_in] -> ([L, N, D*H_out], [D*num_layers, N, H_out]); batch_first, unbatched [L, H_in]."""
    return _sequence(
        ctx,
        "GRU",
        input,
        hx,
        input_size=input_size,
        hidden_size=hidden_size,
        num_layers=num_layers,
        batch_first=batch_first,
        bidirectional=bidirectional,
    )


@layer("torch.nn.LSTM", init=_check_lstm)
def lstm(
    ctx,
    input,
    hx=None,
    *,
    input_size,
    hidden_size,
    num_layers=1,
    bias=True,
    batch_first=False,
    dropout=0.0,
    bidirectional=False,
    proj_size=0,
    device=None,
    dtype=None,
):
    """[L, N, H_in] -> ([L, N, D*H_out], (h_n, c_n)); H_out is proj_size if set, else hidden_size."""
    return _sequence(
        ctx,
        "LSTM",
        input,
        hx,
        input_size=input_size,
        hidden_size=hidden_size,
        num_layers=num_layers,
        batch_first=batch_first,
        bidirectional=bidirectional,
        proj_size=proj_size,
    )


def _check_cell(ctx, input_size, hidden_size, **_):
    """RNNCellBase allocates [chunks*hidden_size, input_size] weights: negative sizes fail there."""
    for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
        ctx.check(
            ge(value, 0),
            codes.NEGATIVE_SIZE,
            lambda: f"Trying to create tensor with negative dimension {dim_text(value)}: {name}",
            param=name,
        )


_GATES = {"RNNCell": 1, "GRUCell": 3, "LSTMCell": 4}  # weight_hh is [gates * hidden_size, hidden_size]


def _cell(ctx: Checker, mode: str, input, hidden: tuple, *, input_size, hidden_size):
    """The cells' ``forward`` then ATen's ``check_rnn_cell_forward_input/hidden``."""
    x = tensor(input)
    ctx.check(
        x.rank in (1, 2),
        codes.RNN_RANK,
        lambda: f"{mode}: Expected input to be 1D or 2D, got {x.rank}D instead",
        arg="input",
    )
    for i, h in enumerate(hidden):
        if h is not None:
            what = f"hx[{i}]" if mode == "LSTMCell" else "hidden"
            ctx.check(
                h.rank in (1, 2),
                codes.RNN_RANK,
                lambda: f"{mode}: Expected {what} to be 1D or 2D, got {h.rank}D instead",
                arg="hx",
            )
    batched = x.rank == 2
    x2 = x if batched else Shape((1, x[0]))
    # an unbatched input unsqueezes hx too: a 2-D hx then becomes 3-D
    hs = [Shape((x2[0], hidden_size)) if h is None else h if batched else Shape((1,) + h.dims) for h in hidden]
    ctx.check(
        eq(x2[1], input_size),
        codes.RNN_INPUT_SIZE,
        lambda: f"input has inconsistent input_size: got {dim_text(x2[1])} expected {dim_text(input_size)}",
        param="input_size",
        expected=input_size,
        actual=x2[1],
        arg="input",
        axis=-1,
    )
    for i, h in enumerate(hs):
        ctx.check(
            eq(x2[0], h[0]),
            codes.RNN_HIDDEN_SHAPE,
            lambda: f"Input batch size {dim_text(x2[0])} doesn't match hidden{i} batch size {dim_text(h[0])}",
            expected=x2[0],
            actual=h[0],
            arg="hx",
            axis=0,
        )
        normalize_axis(ctx, 1, h.rank, code=codes.RNN_RANK)  # hx.size(1)
        ctx.check(
            eq(h[1], hidden_size),
            codes.RNN_HIDDEN_SHAPE,
            lambda: f"hidden{i} has inconsistent hidden_size: got {dim_text(h[1])}, expected {dim_text(hidden_size)}",
            param="hidden_size",
            expected=hidden_size,
            actual=h[1],
            arg="hx",
            axis=-1,
        )
    h = hs[0]
    if h.rank == 3:  # an unbatched input with a 2-D hx, unsqueezed to [1, N, X]; N == H was checked
        ctx.check(
            eq(h[2], hidden_size),
            codes.RNN_HIDDEN_SHAPE,
            lambda: (
                f"mat1 and mat2 shapes cannot be multiplied ({dim_text(h[1], True)}x"
                f"{dim_text(h[2], True)} and {dim_text(hidden_size, True)}x"
                f"{dim_text(_GATES[mode] * hidden_size, True)})"
            ),
            param="hidden_size",
            expected=hidden_size,
            actual=h[2],
            arg="hx",
            axis=-1,
        )
        if mode != "RNNCell":  # the gates are split along the wrong axis: torch fails or crashes unless empty
            ctx.check(
                eq(hidden_size, 0),
                codes.RNN_RANK,
                "For unbatched 1-D input, hx should also be 1-D but got 2-D tensor",
                arg="hx",
            )
    gates = Shape((x2[0], hidden_size)) if h.rank == 2 else Shape((1, h[1], hidden_size))
    out = broadcast(ctx, gates, hs[1]) if mode == "LSTMCell" else gates  # c_1 = f*c_0 + i*g
    return out if batched else Shape(out.dims[1:])


@layer("torch.nn.RNNCell", init=_check_cell)
def rnn_cell(ctx, input, hx=None, *, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
    """[N, H_in] -> [N, H_out]; unbatched [H_in] -> [H_out]."""
    return _cell(
        ctx,
        "RNNCell",
        input,
        (None if hx is None else tensor(hx, "hx"),),
        input_size=input_size,
        hidden_size=hidden_size,
    )


@layer("torch.nn.GRUCell", init=_check_cell)
def gru_cell(ctx, input, hx=None, *, input_size, hidden_size, bias=True, device=None, dtype=None):
    """[N, H_in] -> [N, H_out]; unbatched [H_in] -> [H_out]."""
    return _cell(
        ctx,
        "GRUCell",
        input,
        (None if hx is None else tensor(hx, "hx"),),
        input_size=input_size,
        hidden_size=hidden_size,
    )


@layer("torch.nn.LSTMCell", init=_check_cell)
def lstm_cell(ctx, input, hx=None, *, input_size, hidden_size, bias=True, device=None, dtype=None):
    """[N, H_in] -> ([N, H], [N, H]); unbatched [H_in] -> ([H], [H])."""
    hidden = (None, None) if hx is None else _pair(hx)
    out = _cell(ctx, "LSTMCell", input, hidden, input_size=input_size, hidden_size=hidden_size)
    return out, out

"""Dropout: nn.Dropout, Dropout1d/2d/3d, AlphaDropout, FeatureAlphaDropout and their functions.

Dropout never changes a shape. Torch checks that ``p`` is in [0, 1] (layers at construction,
functions at the call), that dropout1d gets 2 or 3 dims, and that the feature (channel-wise)
variants get at least 2 dims, which it only enforces when it really draws a mask: in training,
with 0 < p < 1, on a non-empty input. Layers are taken in training mode, as constructed.
"""

from __future__ import annotations

from .. import codes
from ..dims import UNKNOWN, Checker, Shape, eq
from ._common import tensor
from ._registry import layer, op

_RANGE = "dropout probability has to be between 0 and 1, but got {}"


def _check_p(ctx: Checker, p, **_) -> None:
    """``p`` never changes a shape: an unknown ``p`` leaves this check open, not the result."""
    if p is UNKNOWN:
        return
    ctx.check(0 <= p <= 1, codes.INVALID_ARGUMENT, lambda: _RANGE.format(p), param="p")


def _feature_dropout(ctx: Checker, x: Shape, p, train, rank: int) -> Shape:
    """at::feature_dropout draws one mask value per [N, C] pair, so a mask needs 2 dims."""
    if rank < 2 and train and 0 < p < 1 and not ctx.decide(eq(x.numel(), 0)):
        ctx.fail(codes.RANK, "Feature dropout requires at least 2 dimensions in the input", arg="input")
    return x


def _dropout1d(ctx: Checker, x: Shape) -> Shape:
    ctx.check(
        x.rank in (2, 3),
        codes.RANK,
        lambda: (
            f"dropout1d: Expected 2D or 3D input, but received a {x.rank}D input. Note that "
            "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs)."
        ),
        arg="input",
    )
    return x


def _dropout2d(ctx: Checker, x: Shape, p, training) -> Shape:
    """Any rank is accepted (torch only warns outside 3D/4D); the mask needs 2 dims."""
    return _feature_dropout(ctx, x, p, training, x.rank)


def _dropout3d(ctx: Checker, x: Shape, p, training) -> Shape:
    """Anything but a 5D input is taken as unbatched and gets a batch axis for the mask."""
    return _feature_dropout(ctx, x, p, training, x.rank if x.rank == 5 else x.rank + 1)


# -- layers ----------------------------------------------------------------------------------


@layer("torch.nn.Dropout", init=_check_p)
def dropout_layer(ctx, input, *, p=0.5, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@layer("torch.nn.Dropout1d", init=_check_p)
def dropout1d_layer(ctx, input, *, p=0.5, inplace=False):
    """[(N,) C, L] -> same."""
    return _dropout1d(ctx, tensor(input))


@layer("torch.nn.Dropout2d", init=_check_p)
def dropout2d_layer(ctx, input, *, p=0.5, inplace=False):
    """[(N,) C, H, W] -> same."""
    return _dropout2d(ctx, tensor(input), p, True)


@layer("torch.nn.Dropout3d", init=_check_p)
def dropout3d_layer(ctx, input, *, p=0.5, inplace=False):
    """[(N,) C, D, H, W] -> same."""
    return _dropout3d(ctx, tensor(input), p, True)


@layer("torch.nn.AlphaDropout", init=_check_p)
def alpha_dropout_layer(ctx, input, *, p=0.5, inplace=False):
    """[*] -> [*]."""
    return tensor(input)


@layer("torch.nn.FeatureAlphaDropout", init=_check_p)
def feature_alpha_dropout_layer(ctx, input, *, p=0.5, inplace=False):
    """[N, C, *] -> same."""
    x = tensor(input)
    return _feature_dropout(ctx, x, p, True, x.rank)


# -- torch.nn.functional ---------------------------------------------------------------------


@op("torch.nn.functional.dropout")
def dropout(ctx, input, p=0.5, training=True, inplace=False):
    """[*] -> [*]."""
    _check_p(ctx, p)
    return tensor(input)


@op("torch.nn.functional.dropout1d")
def dropout1d(ctx, input, p=0.5, training=True, inplace=False):
    """[(N,) C, L] -> same."""
    _check_p(ctx, p)
    return _dropout1d(ctx, tensor(input))


@op("torch.nn.functional.dropout2d")
def dropout2d(ctx, input, p=0.5, training=True, inplace=False):
    """[(N,) C, H, W] -> same."""
    _check_p(ctx, p)
    return _dropout2d(ctx, tensor(input), p, training)


@op("torch.nn.functional.dropout3d")
def dropout3d(ctx, input, p=0.5, training=True, inplace=False):
    """[(N,) C, D, H, W] -> same."""
    _check_p(ctx, p)
    return _dropout3d(ctx, tensor(input), p, training)


@op("torch.nn.functional.alpha_dropout")
def alpha_dropout(ctx, input, p=0.5, training=False, inplace=False):
    """[*] -> [*]."""
    _check_p(ctx, p)
    return tensor(input)


@op("torch.nn.functional.feature_alpha_dropout")
def feature_alpha_dropout(ctx, input, p=0.5, training=False, inplace=False):
    """[N, C, *] -> same."""
    _check_p(ctx, p)
    x = tensor(input)
    return _feature_dropout(ctx, x, p, training, x.rank)


# -- torch (the ATen ops the functions call) -------------------------------------------------


@op("torch.dropout", "torch.dropout_")
def torch_dropout(ctx, input, p, train):
    """[*] -> [*]."""
    _check_p(ctx, p)
    return tensor(input)


@op("torch.alpha_dropout", "torch.alpha_dropout_")
def torch_alpha_dropout(ctx, input, p, train):
    """[*] -> [*]."""
    _check_p(ctx, p)
    return tensor(input)


@op("torch.feature_dropout", "torch.feature_dropout_")
def torch_feature_dropout(ctx, input, p, train):
    """[N, C, *] -> same."""
    _check_p(ctx, p)
    x = tensor(input)
    return _feature_dropout(ctx, x, p, train, x.rank)


@op("torch.feature_alpha_dropout", "torch.feature_alpha_dropout_")
def torch_feature_alpha_dropout(ctx, input, p, train):
    """[N, C, *] -> same."""
    _check_p(ctx, p)
    x = tensor(input)
    return _feature_dropout(ctx, x, p, train, x.rank)

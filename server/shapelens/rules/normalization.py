"""Normalization: BatchNorm, InstanceNorm, LayerNorm, GroupNorm, RMSNorm, LRN, F.normalize.

Every one keeps its input's shape; the rules check what torch checks: the input's rank, that
each per-channel tensor (weight, bias, running statistics) holds ``C`` values, that a layer norm's
``normalized_shape`` is the input's trailing shape, and, in training, that there is more than one
value to normalize. A layer is analysed in training mode, the state torch builds it in.

A flag or float the analysis does not know (``affine``, ``training``, ``eps``) skips the checks
that need it: the output shape never depends on it.
"""

from __future__ import annotations

from .. import codes
from ..dims import (
    UNKNOWN,
    Checker,
    Lost,
    Shape,
    any_of,
    broadcast,
    dim_text,
    divides,
    eq,
    ge,
    gt,
    le,
    ne,
    normalize_axis,
    product,
)
from ._common import axis_of, dims_arg, is_tensor, sizes, tensor
from ._registry import layer, op


def _on(flag) -> bool:
    """A flag known to be set (an unknown one skips what it would switch on)."""
    return flag is not UNKNOWN and bool(flag)


def _empty(ctx: Checker, x: Shape) -> bool:
    """Certainly no elements; a tensor that may be empty is checked as a non-empty one."""
    return ctx.facts.decide(eq(x.numel(), 0)) is True


def _channels(ctx: Checker, x: Shape):
    """``input.size(1)``: torch's IndexError on a 0-D or 1-D input."""
    normalize_axis(ctx, 1, x.rank, code=codes.RANK)
    return x[1]


def _check_rank(ctx: Checker, x: Shape, ranks: tuple, message: str) -> None:
    ctx.check(x.rank in ranks, codes.RANK, message.format(rank=x.rank))


def _check_sizes(ctx: Checker, shape: tuple, param: str) -> None:
    """``torch.empty(shape)`` for a parameter or buffer, as the constructor allocates it."""
    for d in shape:
        ctx.check(
            ge(d, 0),
            codes.NEGATIVE_SIZE,
            lambda: (
                f"Trying to create tensor with negative dimension {dim_text(d)}: "
                f"[{', '.join(dim_text(s) for s in shape)}]"
            ),
            param=param,
        )


def _per_channel(ctx: Checker, c, numel, name: str, message, param) -> None:
    """A weight/bias/statistic of ``numel`` values for ``c`` channels."""
    ctx.check(
        eq(numel, c),
        codes.NORM_NUM_FEATURES,
        message,
        param=param,
        expected=c,
        actual=numel,
        arg="input" if param else name,
        axis=1 if param else None,
    )


def _verify_batch_size(ctx: Checker, size: tuple, shown: str) -> None:
    """Training statistics need more than one value per channel (torch's ``_verify_batch_size``)."""
    ctx.check(
        ne(product((size[0],) + tuple(size[2:])), 1),
        codes.NORM_ONE_VALUE,
        f"Expected more than 1 value per channel when training, got input size {shown}",
        arg="input",
    )


# -- batch norm ----------------------------------------------------------------------------------


def _native_batch_norm(ctx: Checker, x: Shape, weight, bias, running_mean, running_var, training, param=None) -> Shape:
    """``torch.batch_norm``: each per-channel tensor holds ``C`` values; an empty input skips that."""
    per_channel = {"running_mean": running_mean, "running_var": running_var, "weight": weight, "bias": bias}
    if _empty(ctx, x):  # torch returns input * weight[0] + bias[0]
        out = x
        for name in ("weight", "bias"):
            t = per_channel[name]
            if is_tensor(t):
                ctx.check(t.rank >= 1, codes.RANK, "select() cannot be applied to a 0-dim tensor.", arg=name)
                ctx.check(
                    ge(t[0], 1),
                    codes.NORM_ZERO_CHANNELS,
                    lambda: f"select(): index 0 out of range for tensor of size {t} at dimension 0",
                    param=param,
                    arg=name,
                )
                if t.rank > 1:
                    out = broadcast(ctx, out, Shape(t[1:]))
        return out
    c = _channels(ctx, x)
    evaluating = training is not UNKNOWN and not training
    for name, t in per_channel.items():
        if is_tensor(t):
            n = t.numel()
            _per_channel(
                ctx, c, n, name, lambda: f"{name} should contain {dim_text(c)} elements not {dim_text(n)}", param
            )
        elif evaluating and name.startswith("running") and t is None:  # unknown is not None
            ctx.fail(codes.INVALID_ARGUMENT, f"{name} must be defined in evaluation mode")
    if _on(training):
        ctx.check(
            is_tensor(running_mean) == is_tensor(running_var),
            codes.INVALID_ARGUMENT,
            "running_mean and running_var must either both be None or neither be None",
        )
    for name in ("running_mean", "running_var"):
        t = per_channel[name]
        if is_tensor(t):
            ctx.check(t.rank == 1, codes.RANK, f"TensorAccessor expected 1 dims but tensor has {t.rank}", arg=name)
    return x


def _batch_norm(ctx: Checker, x: Shape, running_mean, running_var, weight, bias, training, eps, param=None) -> Shape:
    """``F.batch_norm``: the Python-level checks, then ``torch.batch_norm``'s."""
    if _on(training) and x.rank >= 1:
        _verify_batch_size(ctx, x.dims, f"torch.Size({x})")
    if eps is not UNKNOWN:
        if _on(training):
            ctx.check(
                eps > 0,
                codes.INVALID_ARGUMENT,
                f"batch_norm eps must be positive during training, but got {eps}",
                param="eps",
            )
        else:
            ctx.check(
                eps >= 0, codes.INVALID_ARGUMENT, f"batch_norm eps must be non-negative, but got {eps}", param="eps"
            )
    return _native_batch_norm(ctx, x, weight, bias, running_mean, running_var, training, param)


def _batch_norm_layer(ctx: Checker, x: Shape, num_features, affine, track_running_stats, bias, eps) -> Shape:
    """A ``_BatchNorm`` in training mode: ``F.batch_norm`` with its buffers and parameters."""
    per_channel = Shape([num_features])
    stats = per_channel if _on(track_running_stats) else None
    weight = per_channel if _on(affine) else None
    shift = per_channel if _on(affine) and _on(bias) else None
    return _batch_norm(ctx, x, stats, stats, weight, shift, True, eps, param="num_features")


def _check_norm_base(ctx, num_features, affine, track_running_stats, **_):
    """Batch and instance norms allocate ``[num_features]`` parameters and buffers when enabled."""
    if _on(affine) or _on(track_running_stats):
        _check_sizes(ctx, (num_features,), "num_features")


@layer("torch.nn.BatchNorm1d", init=_check_norm_base)
def batch_norm_1d(
    ctx,
    input,
    *,
    num_features,
    eps=1e-5,
    momentum=0.1,
    affine=True,
    track_running_stats=True,
    device=None,
    dtype=None,
    bias=True,
):
    """[N, C] or [N, C, L] -> same; C must equal num_features."""
    x = tensor(input)
    _check_rank(ctx, x, (2, 3), "expected 2D or 3D input (got {rank}D input)")
    return _batch_norm_layer(ctx, x, num_features, affine, track_running_stats, bias, eps)


@layer("torch.nn.BatchNorm2d", init=_check_norm_base)
def batch_norm_2d(
    ctx,
    input,
    *,
    num_features,
    eps=1e-5,
    momentum=0.1,
    affine=True,
    track_running_stats=True,
    device=None,
    dtype=None,
    bias=True,
):
    """[N, C, H, W] -> same; C must equal num_features."""
    x = tensor(input)
    _check_rank(ctx, x, (4,), "expected 4D input (got {rank}D input)")
    return _batch_norm_layer(ctx, x, num_features, affine, track_running_stats, bias, eps)


@layer("torch.nn.BatchNorm3d", init=_check_norm_base)
def batch_norm_3d(
    ctx,
    input,
    *,
    num_features,
    eps=1e-5,
    momentum=0.1,
    affine=True,
    track_running_stats=True,
    device=None,
    dtype=None,
    bias=True,
):
    """[N, C, D, H, W] -> same; C must equal num_features."""
    x = tensor(input)
    _check_rank(ctx, x, (5,), "expected 5D input (got {rank}D input)")
    return _batch_norm_layer(ctx, x, num_features, affine, track_running_stats, bias, eps)


def _lazy_channels(ctx: Checker, x: Shape):
    """A lazy norm takes ``num_features = input.shape[1]`` before it checks the rank."""
    ctx.check(x.rank >= 2, codes.RANK, "tuple index out of range")
    return x[1]


@layer("torch.nn.LazyBatchNorm1d")
def lazy_batch_norm_1d(
    ctx, input, *, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None, bias=True
):
    """[N, C] or [N, C, L] -> same; num_features is taken from the first input."""
    x = tensor(input)
    c = _lazy_channels(ctx, x)
    _check_rank(ctx, x, (2, 3), "expected 2D or 3D input (got {rank}D input)")
    return _batch_norm_layer(ctx, x, c, affine, track_running_stats, bias, eps)


@layer("torch.nn.LazyBatchNorm2d")
def lazy_batch_norm_2d(
    ctx, input, *, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None, bias=True
):
    """[N, C, H, W] -> same; num_features is taken from the first input."""
    x = tensor(input)
    c = _lazy_channels(ctx, x)
    _check_rank(ctx, x, (4,), "expected 4D input (got {rank}D input)")
    return _batch_norm_layer(ctx, x, c, affine, track_running_stats, bias, eps)


@layer("torch.nn.LazyBatchNorm3d")
def lazy_batch_norm_3d(
    ctx, input, *, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None, bias=True
):
    """[N, C, D, H, W] -> same; num_features is taken from the first input."""
    x = tensor(input)
    c = _lazy_channels(ctx, x)
    _check_rank(ctx, x, (5,), "expected 5D input (got {rank}D input)")
    return _batch_norm_layer(ctx, x, c, affine, track_running_stats, bias, eps)


@layer("torch.nn.SyncBatchNorm", init=_check_norm_base)
def sync_batch_norm(
    ctx,
    input,
    *,
    num_features,
    eps=1e-5,
    momentum=0.1,
    affine=True,
    track_running_stats=True,
    process_group=None,
    device=None,
    dtype=None,
    bias=True,
):
    """[N, C, *] -> same; C must equal num_features (a single process: plain batch norm)."""
    x = tensor(input)
    ctx.check(x.rank >= 2, codes.RANK, f"expected at least 2D input (got {x.rank}D input)")
    ctx.check(
        ne(x[1], 0),
        codes.NORM_ZERO_CHANNELS,
        "SyncBatchNorm number of input channels should be non-zero",
        arg="input",
        axis=1,
    )
    return _batch_norm_layer(ctx, x, num_features, affine, track_running_stats, bias, eps)


@op("torch.nn.functional.batch_norm")
def f_batch_norm(ctx, input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """[N, C, *] -> same; weight, bias and running stats hold C values."""
    return _batch_norm(ctx, tensor(input), running_mean, running_var, weight, bias, training, eps)


@op("torch.batch_norm")
def torch_batch_norm(ctx, input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled):
    """[N, C, *] -> same; weight, bias and running stats hold C values."""
    return _native_batch_norm(ctx, tensor(input), weight, bias, running_mean, running_var, training)


# -- instance norm -------------------------------------------------------------------------------


def _native_instance_norm(
    ctx: Checker, x: Shape, weight, bias, running_mean, running_var, use_input_stats, param=None
) -> Shape:
    """``torch.instance_norm``: batch norm of ``[1, N*C, *spatial]``, per-channel tensors repeated N times."""
    if use_input_stats is not UNKNOWN and not use_input_stats:
        ctx.check(
            is_tensor(running_mean) and is_tensor(running_var),
            codes.INVALID_ARGUMENT,
            "Expected running_mean and running_var to be defined when use_input_stats is false",
        )
    ctx.check(x.rank > 0, codes.RANK, "Dimension specified as 0 but tensor has no dimensions")
    n, c = x[0], _channels(ctx, x)
    per_channel = {"running_mean": running_mean, "running_var": running_var, "weight": weight, "bias": bias}
    for name, t in per_channel.items():
        if is_tensor(t):
            ctx.check(
                t.rank <= 1,
                codes.RANK,
                "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor",
                arg=name,
            )
    if _empty(ctx, x):  # batch norm returns input * weight[0] + bias[0], weight repeated N times
        for name in ("weight", "bias"):
            t = per_channel[name]
            if is_tensor(t):
                total = n * t.numel()
                ctx.check(
                    ge(total, 1),
                    codes.NORM_ZERO_CHANNELS,
                    lambda: f"select(): index 0 out of range for tensor of size [{dim_text(total)}] at dimension 0",
                    param=param,
                    arg=name,
                )
        for name in ("running_mean", "running_var"):  # updated from the batch: view [N, C], mean, copy_
            t = per_channel[name]
            if is_tensor(t) and _on(use_input_stats):
                k = t.numel()
                ctx.check(
                    eq(n * k, n * c),
                    codes.NORM_NUM_FEATURES,
                    lambda: f"shape '[{dim_text(n)}, {dim_text(c)}]' is invalid for input of size {dim_text(n * k)}",
                    param=param,
                    expected=c,
                    actual=k,
                    arg=name,
                )
                ctx.check(
                    any_of(eq(k, c), eq(c, 1)),
                    codes.NORM_NUM_FEATURES,
                    lambda: (
                        f"The size of tensor a ({dim_text(k)}) must match the size of tensor b "
                        f"({dim_text(c)}) at non-singleton dimension 0"
                    ),
                    param=param,
                    expected=c,
                    actual=k,
                    arg=name,
                )
        return x
    for name, t in per_channel.items():
        if is_tensor(t):
            k = t.numel()
            _per_channel(
                ctx,
                c,
                k,
                name,
                lambda: f"{name} should contain {dim_text(n * c)} elements not {dim_text(n * k)}",
                param,
            )
    if _on(use_input_stats):
        ctx.check(
            is_tensor(running_mean) == is_tensor(running_var),
            codes.INVALID_ARGUMENT,
            "running_mean and running_var must either both be None or neither be None",
        )
    return x


def _instance_norm(
    ctx: Checker, x: Shape, running_mean, running_var, weight, bias, use_input_stats, param=None
) -> Shape:
    """``F.instance_norm``: with batch statistics there must be more than one spatial element."""
    if _on(use_input_stats):
        ctx.check(
            ne(product(x.dims[2:]), 1),
            codes.NORM_ONE_VALUE,
            f"Expected more than 1 spatial element when training, got input size torch.Size({x})",
            arg="input",
        )
    return _native_instance_norm(ctx, x, weight, bias, running_mean, running_var, use_input_stats, param)


def _instance_norm_layer(
    ctx: Checker, x: Shape, spatial: int, num_features, affine, track_running_stats, bias
) -> Shape:
    """An ``_InstanceNorm`` in training mode; ``[C, *spatial]`` is one unbatched sample."""
    _check_rank(
        ctx, x, (spatial + 1, spatial + 2), f"expected {spatial + 1}D or {spatial + 2}D input (got {{rank}}D input)"
    )
    feature = x.rank - spatial - 1
    if _on(affine):  # otherwise torch only warns
        size = x[feature]
        ctx.check(
            eq(size, num_features),
            codes.NORM_NUM_FEATURES,
            lambda: (
                f"expected input's size at dim={feature} to match num_features "
                f"({dim_text(num_features)}), but got: {dim_text(size)}."
            ),
            param="num_features",
            expected=size,
            actual=num_features,
            arg="input",
            axis=feature,
        )
    batched = x if feature == 1 else Shape((1,) + x.dims)
    per_channel = Shape([num_features])
    stats = per_channel if _on(track_running_stats) else None
    weight = per_channel if _on(affine) else None
    shift = per_channel if _on(affine) and _on(bias) else None
    _instance_norm(ctx, batched, stats, stats, weight, shift, True, param="num_features")
    return x


@layer("torch.nn.InstanceNorm1d", init=_check_norm_base)
def instance_norm_1d(
    ctx,
    input,
    *,
    num_features,
    eps=1e-5,
    momentum=0.1,
    affine=False,
    track_running_stats=False,
    device=None,
    dtype=None,
    bias=True,
):
    """[N, C, L] or [C, L] -> same; C must equal num_features when affine."""
    return _instance_norm_layer(ctx, tensor(input), 1, num_features, affine, track_running_stats, bias)


@layer("torch.nn.InstanceNorm2d", init=_check_norm_base)
def instance_norm_2d(
    ctx,
    input,
    *,
    num_features,
    eps=1e-5,
    momentum=0.1,
    affine=False,
    track_running_stats=False,
    device=None,
    dtype=None,
    bias=True,
):
    """[N, C, H, W] or [C, H, W] -> same; C must equal num_features when affine."""
    return _instance_norm_layer(ctx, tensor(input), 2, num_features, affine, track_running_stats, bias)


@layer("torch.nn.InstanceNorm3d", init=_check_norm_base)
def instance_norm_3d(
    ctx,
    input,
    *,
    num_features,
    eps=1e-5,
    momentum=0.1,
    affine=False,
    track_running_stats=False,
    device=None,
    dtype=None,
    bias=True,
):
    """[N, C, D, H, W] or [C, D, H, W] -> same; C must equal num_features when affine."""
    return _instance_norm_layer(ctx, tensor(input), 3, num_features, affine, track_running_stats, bias)


@layer("torch.nn.LazyInstanceNorm1d")
def lazy_instance_norm_1d(
    ctx, input, *, eps=1e-5, momentum=0.1, affine=False, track_running_stats=False, device=None, dtype=None, bias=True
):
    """[N, C, L] or [C, L] -> same; num_features = input.shape[1], even unbatched (torch's quirk)."""
    x = tensor(input)
    return _instance_norm_layer(ctx, x, 1, _lazy_channels(ctx, x), affine, track_running_stats, bias)


@layer("torch.nn.LazyInstanceNorm2d")
def lazy_instance_norm_2d(
    ctx, input, *, eps=1e-5, momentum=0.1, affine=False, track_running_stats=False, device=None, dtype=None, bias=True
):
    """[N, C, H, W] or [C, H, W] -> same; num_features = input.shape[1], even unbatched."""
    x = tensor(input)
    return _instance_norm_layer(ctx, x, 2, _lazy_channels(ctx, x), affine, track_running_stats, bias)


@layer("torch.nn.LazyInstanceNorm3d")
def lazy_instance_norm_3d(
    ctx, input, *, eps=1e-5, momentum=0.1, affine=False, track_running_stats=False, device=None, dtype=None, bias=True
):
    """[N, C, D, H, W] or [C, D, H, W] -> same; num_features = input.shape[1], even unbatched."""
    x = tensor(input)
    return _instance_norm_layer(ctx, x, 3, _lazy_channels(ctx, x), affine, track_running_stats, bias)


@op("torch.nn.functional.instance_norm")
def f_instance_norm(
    ctx,
    input,
    running_mean=None,
    running_var=None,
    weight=None,
    bias=None,
    use_input_stats=True,
    momentum=0.1,
    eps=1e-5,
):
    """[N, C, *spatial] -> same; weight, bias and running stats hold C values."""
    return _instance_norm(ctx, tensor(input), running_mean, running_var, weight, bias, use_input_stats)


@op("torch.instance_norm")
def torch_instance_norm(
    ctx, input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, cudnn_enabled
):
    """[N, C, *spatial] -> same; weight, bias and running stats hold C values."""
    return _native_instance_norm(ctx, tensor(input), weight, bias, running_mean, running_var, use_input_stats)


# -- layer norm and RMS norm -----------------------------------------------------------------------


def _normalized(normalized_shape) -> tuple:
    """``5`` or ``(4, 5)``: the trailing shape a layer norm normalizes over."""
    return sizes((normalized_shape,))


def _listed(dims: tuple) -> str:
    return f"[{', '.join(dim_text(d) for d in dims)}]"


def _layer_norm(ctx: Checker, x: Shape, normalized_shape, weight, bias, *, rms: bool = False) -> Shape:
    """``input[-len(normalized_shape):]`` must be ``normalized_shape``, as must weight and bias."""
    if normalized_shape is UNKNOWN:
        return x
    shape = _normalized(normalized_shape)
    ctx.check(
        len(shape) >= 1,
        codes.LAYERNORM_SHAPE,
        "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, "
        "but got normalized_shape = []",
        param="normalized_shape",
    )
    for name, t in (("weight", weight), ("bias", bias)):
        if is_tensor(t):
            message = (
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape {t} "
                f"and normalized_shape = {_listed(shape)}"
            )
            ctx.check(t.rank == len(shape), codes.LAYERNORM_SHAPE, message, arg=name)
            for a, b in zip(t.dims, shape):
                ctx.check(eq(a, b), codes.LAYERNORM_SHAPE, message, arg=name)
    k = len(shape)
    mismatch = (
        f"Given normalized_shape={_listed(shape)}, expected input with shape "
        f"[{'*' if rms else '*, '}{', '.join(dim_text(d) for d in shape)}], but got input of size{x}"
    )
    if x.is_fixed:
        ctx.check(
            x.rank >= k,
            codes.LAYERNORM_SHAPE,
            f"Input tensor must have at least {k} dimensions, but got {x.rank}" if rms else mismatch,
            param="normalized_shape",
        )
    trailing = tuple(x[i] for i in range(-k, 0))
    expected = trailing if isinstance(normalized_shape, (tuple, list)) else trailing[0]
    for i, (have, want) in enumerate(zip(trailing, shape)):
        ctx.check(
            eq(have, want),
            codes.LAYERNORM_SHAPE,
            mismatch,
            param="normalized_shape",
            expected=expected,
            actual=normalized_shape,
            arg="input",
            axis=i - k,
        )
    return x


def _check_layer_norm(ctx, normalized_shape, eps=1e-5, elementwise_affine=True, **_):
    if _on(elementwise_affine):
        _check_sizes(ctx, _normalized(normalized_shape), "normalized_shape")


@layer("torch.nn.LayerNorm", init=_check_layer_norm)
def layer_norm(ctx, input, *, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, device=None, dtype=None):
    """[*, *normalized_shape] -> same."""
    return _layer_norm(ctx, tensor(input), normalized_shape, None, None)


@op("torch.nn.functional.layer_norm")
def f_layer_norm(ctx, input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """[*, *normalized_shape] -> same; weight and bias are normalized_shape."""
    return _layer_norm(ctx, tensor(input), normalized_shape, weight, bias)


@op("torch.layer_norm")
def torch_layer_norm(ctx, input, normalized_shape, weight=None, bias=None, eps=1e-5, cudnn_enable=True):
    """[*, *normalized_shape] -> same; weight and bias are normalized_shape."""
    return _layer_norm(ctx, tensor(input), normalized_shape, weight, bias)


@layer("torch.nn.RMSNorm", init=_check_layer_norm)
def rms_norm(ctx, input, *, normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None):
    """[*, *normalized_shape] -> same."""
    return _layer_norm(ctx, tensor(input), normalized_shape, None, None, rms=True)


@op("torch.nn.functional.rms_norm", "torch.rms_norm")
def f_rms_norm(ctx, input, normalized_shape, weight=None, eps=None):
    """[*, *normalized_shape] -> same; weight is normalized_shape."""
    return _layer_norm(ctx, tensor(input), normalized_shape, weight, None, rms=True)


# -- group norm ----------------------------------------------------------------------------------


def _native_group_norm(ctx: Checker, x: Shape, num_groups, weight, bias, param=None) -> Shape:
    """``torch.group_norm``: C splits into num_groups; weight and bias are ``[C]``."""
    c = _channels(ctx, x)
    ctx.check(
        gt(num_groups, 0),
        codes.INVALID_ARGUMENT,
        f"Expected num groups to be greater than 0, got {dim_text(num_groups)}",
        param="num_groups",
    )
    for name, t in (("weight", weight), ("bias", bias)):
        if is_tensor(t):
            message = (
                f"Expected {name} to be a vector of size equal to the number of channels in input, "
                f"but got {name} of shape {t} and input of shape {x}"
            )
            ctx.check(t.rank == 1, codes.NORM_NUM_FEATURES, message, arg=name)
            _per_channel(ctx, c, t[0], name, message, param)
    ctx.check(
        divides(num_groups, c),
        codes.GROUPNORM_GROUPS,
        lambda: (
            f"Expected number of channels in input to be divisible by num_groups, but got input of "
            f"shape {x} and num_groups={dim_text(num_groups)}"
        ),
        param="num_groups",
        actual=num_groups,
        arg="input",
        axis=1,
    )
    return x


def _group_norm(ctx: Checker, x: Shape, num_groups, weight, bias, param=None) -> Shape:
    """``F.group_norm``: at least 2-D, more than one value per group, then torch.group_norm."""
    ctx.check(x.rank >= 2, codes.RANK, f"Expected at least 2 dimensions for input tensor but received {x.rank}")
    _native_group_norm(ctx, x, num_groups, weight, bias, param)
    grouped = (x[0] * x[1] // num_groups, num_groups) + x.dims[2:]
    _verify_batch_size(ctx, grouped, _listed(grouped))
    return x


def _check_group_norm(ctx, num_groups, num_channels, eps=1e-5, affine=True, **_):
    ctx.check(ne(num_groups, 0), codes.INVALID_ARGUMENT, "integer modulo by zero", param="num_groups")
    ctx.check(
        divides(num_groups, num_channels),
        codes.GROUPNORM_GROUPS,
        lambda: f"num_channels ({dim_text(num_channels)}) must be divisible by num_groups ({dim_text(num_groups)})",
        param="num_groups",
        actual=num_groups,
    )
    if _on(affine):
        _check_sizes(ctx, (num_channels,), "num_channels")


@layer("torch.nn.GroupNorm", init=_check_group_norm)
def group_norm(ctx, input, *, num_groups, num_channels, eps=1e-5, affine=True, device=None, dtype=None, bias=True):
    """[N, C, *] -> same; C must equal num_channels (when affine) and split into num_groups."""
    per_channel = Shape([num_channels])
    weight = per_channel if _on(affine) else None
    shift = per_channel if _on(affine) and _on(bias) else None
    return _group_norm(ctx, tensor(input), num_groups, weight, shift, param="num_channels")


@op("torch.nn.functional.group_norm")
def f_group_norm(ctx, input, num_groups, weight=None, bias=None, eps=1e-5):
    """[N, C, *] -> same; C splits into num_groups, weight and bias are [C]."""
    return _group_norm(ctx, tensor(input), num_groups, weight, bias)


@op("torch.group_norm")
def torch_group_norm(ctx, input, num_groups, weight=None, bias=None, eps=1e-5, cudnn_enabled=True):
    """[N, C, *] -> same; C splits into num_groups, weight and bias are [C]."""
    return _native_group_norm(ctx, tensor(input), num_groups, weight, bias)


# -- local response norm and F.normalize -------------------------------------------------------------


def _local_response_norm(ctx: Checker, x: Shape, size) -> Shape:
    """Averages squares over ``size`` neighbouring channels with an avg-pool of that kernel."""
    ctx.check(
        x.rank >= 3,
        codes.RANK,
        f"Expected 3D or higher dimensionality                          input (got {x.rank} dimensions)",
    )
    if _empty(ctx, x):
        return x
    kernel = f"kH: {dim_text(size)} kW: 1" if x.rank == 3 else f"kT: {dim_text(size)} kH: 1 kW: 1"
    ctx.check(
        gt(size, 0), codes.INVALID_ARGUMENT, f"kernel size should be greater than zero, but got {kernel}", param="size"
    )
    return x


@layer("torch.nn.LocalResponseNorm")
def local_response_norm(ctx, input, *, size, alpha=1e-4, beta=0.75, k=1.0):
    """[N, C, *] -> same."""
    return _local_response_norm(ctx, tensor(input), size)


@op("torch.nn.functional.local_response_norm")
def f_local_response_norm(ctx, input, size, alpha=1e-4, beta=0.75, k=1.0):
    """[N, C, *] -> same."""
    return _local_response_norm(ctx, tensor(input), size)


@layer("torch.nn.CrossMapLRN2d")
def cross_map_lrn_2d(ctx, input, *, size, alpha=1e-4, beta=0.75, k=1):
    """[N, C, H, W] -> same."""
    x = tensor(input)
    ctx.check(x.rank == 4, codes.RANK, f"CrossMapLRN2d: Expected input to be 4D, got {x.rank}D instead.")
    c = x[1]
    ctx.check(
        ne(c, 0),
        codes.NORM_ZERO_CHANNELS,
        f"select(): index 0 out of range for tensor of size {x} at dimension 1",
        arg="input",
        axis=1,
    )
    # a size <= -3 makes the channel window reach past the last channel
    ctx.check(
        any_of(gt(size, -3), le(c, 1)),
        codes.INVALID_ARGUMENT,
        lambda: f"select(): index {dim_text(c)} out of range for tensor of size {x} at dimension 1",
        param="size",
    )
    ctx.check(ne(size, 0), codes.INVALID_ARGUMENT, "float division by zero", param="size")
    return x


def _vector_norm_axes(ctx: Checker, x: Shape, p, axes) -> None:
    """``linalg.vector_norm`` over ``axes`` (all when none): distinct axes, not empty for p < 0 or inf."""
    reduced = [axis_of(ctx, x, a) for a in axes or ()]
    if not x.is_fixed and len({a < 0 for a in reduced}) > 1:
        raise Lost(f"whether the axes {axes} of {x} are distinct is not known")
    seen = set()
    for a in reduced:
        ctx.check(
            a not in seen, codes.INVALID_ARGUMENT, f"dim {a} appears multiple times in the list of dims", param="dim"
        )
        seen.add(a)
    if p is UNKNOWN or not (p < 0 or p == float("inf")):
        return
    shown = f"{p:g}" if isinstance(p, float) else str(p)
    if not reduced:
        ctx.check(
            ne(x.numel(), 0),
            codes.INVALID_ARGUMENT,
            f"linalg.vector_norm cannot compute the {shown} norm on an empty tensor because the operation "
            "does not have an identity",
            param="p",
        )
    for a in reduced:
        ctx.check(
            ne(1 if x.is_fixed and x.rank == 0 else x[a], 0),
            codes.INVALID_ARGUMENT,
            f"linalg.vector_norm cannot compute the {shown} norm on the dimension {a}because this dimension "
            "is empty and the operation does not have an identity",
            param="p",
        )


def _matrix_norm_axes(ctx: Checker, x: Shape, p, axes) -> None:
    """``linalg.matrix_norm`` ('nuc', or 'fro' over more than 2 axes): exactly 2 distinct axes."""
    ctx.check(p in ("fro", "nuc"), codes.INVALID_ARGUMENT, f"linalg.matrix_norm: Order {p} not supported.", param="p")
    ctx.check(
        len(axes) == 2,
        codes.INVALID_ARGUMENT,
        f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(str(a) for a in axes)}",
        param="dim",
    )
    ctx.check(x.rank >= 2, codes.RANK, "linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    a, b = (normalize_axis(ctx, d, x.rank) for d in axes)
    ctx.check(
        a != b, codes.INVALID_ARGUMENT, f"linalg.matrix_norm: dims must be different. Got ({a}, {b})", param="dim"
    )


@op("torch.nn.functional.normalize")
def normalize(ctx, input, p=2.0, dim=1, eps=1e-12, out=None):
    """[*] -> [*]: divided by its p-norm over dim (int or tuple)."""
    x = tensor(input)
    if dim is UNKNOWN:
        return x
    axes = None if dim is None else dims_arg(dim)
    frobenius = isinstance(p, str) and p == "fro"
    if isinstance(p, str) and not (frobenius and (axes is None or len(axes) <= 2)):
        _matrix_norm_axes(ctx, x, p, tuple(range(x.rank)) if axes is None else axes)
    else:
        _vector_norm_axes(ctx, x, 2 if frobenius else p, axes)
    return x

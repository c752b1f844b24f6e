"""Attention: nn.MultiheadAttention, the nn.Transformer family and F.scaled_dot_product_attention.

MultiheadAttention follows torch's general path, ``F.multi_head_attention_forward``. The fused fast
path (self-attention in an ``eval()`` module under ``no_grad``) is not modelled: for valid inputs it
returns the same shapes.
"""

from __future__ import annotations

from functools import partial

from .. import codes
from ..dims import Checker, Lost, Shape, any_of, broadcast, dim_text, divides, eq, ge, gt, normalize_axis, product
from ._common import drop_repeated_conditions, tensor
from ._registry import layer, op


def _size(shape) -> str:
    """How torch prints a ``torch.Size`` in Python messages."""
    return f"torch.Size({_dims(shape)})"


def _dims(shape) -> str:
    return "[" + ", ".join(dim_text(d) for d in shape) + "]"


def _tuple(dims) -> str:
    return "(" + ", ".join(dim_text(d) for d in dims) + ")"


def _optional(value, name: str):
    return None if value is None else tensor(value, name)


# ---------------------------------------------------------------------------------------------
# nn.MultiheadAttention


def _check_mha(ctx, embed_dim, num_heads, kdim=None, vdim=None, **_):
    def message():
        return (
            f"embed_dim and num_heads must be greater than 0, got embed_dim={dim_text(embed_dim)} "
            f"and num_heads={dim_text(num_heads)} instead"
        )

    ctx.check(gt(embed_dim, 0), codes.INVALID_ARGUMENT, message, param="embed_dim")
    ctx.check(gt(num_heads, 0), codes.INVALID_ARGUMENT, message, param="num_heads")
    ctx.check(
        divides(num_heads, embed_dim), codes.MHA_HEADS, "embed_dim must be divisible by num_heads", param="num_heads"
    )
    for name, value in (("kdim", kdim), ("vdim", vdim)):
        if value is not None:
            ctx.check(
                ge(value, 0),
                codes.NEGATIVE_SIZE,
                lambda: f"Trying to create tensor with negative dimension {dim_text(value)}: {name}",
                param=name,
            )


def _mha_ranks(ctx: Checker, q: Shape, k: Shape, v: Shape, kpm, mask, num_heads, n) -> bool:
    """``_mha_shape_check``: the ranks of query, key, value and the masks; True when batched."""
    if q.rank not in (2, 3):
        ctx.fail(
            codes.RANK,
            f"query should be unbatched 2D or batched 3D tensor but received {q.rank}-D query tensor",
            arg=n("query"),
        )
    batched = q.rank == 3
    kind = "batched (3-D)" if batched else "unbatched (2-D)"
    ctx.check(
        k.rank == q.rank and v.rank == q.rank,
        codes.RANK,
        lambda: (
            f"For {kind} `query`, expected `key` and `value` to be {q.rank}-D but found "
            f"{k.rank}-D and {v.rank}-D tensors respectively"
        ),
        arg=n("key") if k.rank != q.rank else n("value"),
    )
    if kpm is not None:
        ctx.check(
            kpm.rank == q.rank - 1,
            codes.RANK,
            lambda: (
                f"For {kind} `query`, expected `key_padding_mask` to be `None` or {q.rank - 1}-D "
                f"but found {kpm.rank}-D tensor instead"
            ),
            arg=n("key_padding_mask"),
        )
    if mask is not None:
        ctx.check(
            mask.rank in (2, 3),
            codes.RANK,
            lambda: (
                f"For {kind} `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                f"{mask.rank}-D tensor instead"
            ),
            arg=n("attn_mask"),
        )
        if not batched and mask.rank == 3:
            want = (num_heads, q[0], k[0])
            for axis, (a, b) in enumerate(zip(mask.dims, want)):
                ctx.check(
                    eq(a, b),
                    codes.ATTENTION_SHAPE,
                    lambda: f"Expected `attn_mask` shape to be {_tuple(want)} but got {_size(mask)}",
                    expected=b,
                    actual=a,
                    arg=n("attn_mask"),
                    axis=axis,
                )
    return batched


def _attention(
    ctx: Checker,
    q: Shape,
    k: Shape,
    v: Shape,
    *,
    embed_dim,
    num_heads,
    kdim,
    vdim,
    key_padding_mask=None,
    attn_mask=None,
    need_weights=True,
    average_attn_weights=True,
    is_causal=False,
    batch_first=False,
    add_bias_kv=False,
    add_zero_attn=False,
    code=codes.MHA_EMBED_DIM,
    embed_param="embed_dim",
    key_param="kdim",
    names=None,
):
    """MultiheadAttention.forward and ``F.multi_head_attention_forward``, check by check.

    ``names`` renames the arguments in diagnostics (a Transformer layer's ``src``, ``memory_mask``).
    """

    def n(arg: str) -> str:
        return (names or {}).get(arg, arg)

    kpm = _optional(key_padding_mask, n("key_padding_mask"))
    mask = _optional(attn_mask, n("attn_mask"))
    shared = k is v  # torch projects one tensor passed as key and value with a [2E, E] weight
    batched = _mha_ranks(ctx, q, k, v, kpm, mask, num_heads, n)
    if batched and batch_first:
        q, k, v = (Shape((x[1], x[0], x[2])) for x in (q, k, v))
    if not batched:
        q, k, v = (Shape((x[0], 1, x[1])) for x in (q, k, v))
        kpm = None if kpm is None else Shape((1, kpm[0]))
    seq_axis = 1 if batched and batch_first else 0
    batch_axis = 0 if batch_first else 1
    tgt_len, bsz, embed = q.dims
    src_len = k[0]
    if is_causal and mask is None:
        ctx.fail(
            codes.INVALID_ARGUMENT,
            "Need attn_mask if specifying the is_causal hint. You may use the Transformer "
            "module method `generate_square_subsequent_mask` to create this mask.",
            arg=n("attn_mask"),
        )
    if is_causal and kpm is None and not need_weights:
        mask = None  # torch hands is_causal to scaled_dot_product_attention instead
    ctx.check(
        eq(embed, embed_dim),
        code,
        lambda: f"was expecting embedding dimension of {dim_text(embed_dim)}, but got {dim_text(embed)}",
        param=embed_param,
        expected=embed_dim,
        actual=embed,
        arg=n("query"),
        axis=-1,
    )
    separate = not (ctx.decide(eq(kdim, embed_dim)) and ctx.decide(eq(vdim, embed_dim)))
    if separate:
        for axis in (0, 1):
            ctx.check(
                eq(k[axis], v[axis]),
                codes.ATTENTION_SHAPE,
                lambda: f"key's sequence and batch dims {_size(k.dims[:2])} do not match value's {_size(v.dims[:2])}",
                expected=k[axis],
                actual=v[axis],
                arg=n("value"),
                axis=seq_axis if axis == 0 else (batch_axis if batched else None),
            )
        for x, size, param, arg in ((k, kdim, "kdim", "key"), (v, vdim, "vdim", "value")):
            ctx.check(
                eq(x[-1], size),
                code,
                lambda: (
                    f"expecting {arg} weights shape of {_tuple((embed, x[-1]))}, but got {_size((embed_dim, size))}"
                ),
                param=param,
                expected=size,
                actual=x[-1],
                arg=n(arg),
                axis=-1,
            )
    else:
        for axis in (0, 1, 2):
            ctx.check(
                eq(k[axis], v[axis]),
                codes.ATTENTION_SHAPE,
                lambda: f"key shape {_size(k)} does not match value shape {_size(v)}",
                expected=k[axis],
                actual=v[axis],
                arg=n("value"),
            )
        ctx.check(
            eq(k[-1], embed_dim),
            code,
            lambda: (
                f"mat1 and mat2 shapes cannot be multiplied ({dim_text(k[0] * k[1], True)}x"
                f"{dim_text(k[-1], True)} and {dim_text(embed_dim, True)}x"
                f"{dim_text(2 * embed_dim if shared else embed_dim, True)})"
            ),
            param=key_param,
            expected=embed_dim,
            actual=k[-1],
            arg=n("key"),
            axis=-1,
        )
    if mask is not None:
        want = (tgt_len, src_len) if mask.rank == 2 else (bsz * num_heads, tgt_len, src_len)
        if batched or mask.rank == 2:  # an unbatched 3-D mask was checked with the ranks
            for axis, (a, b) in enumerate(zip(mask.dims, want)):
                ctx.check(
                    eq(a, b),
                    codes.ATTENTION_SHAPE,
                    lambda: f"The shape of the {mask.rank}D attn_mask is {_size(mask)}, but should be {_tuple(want)}.",
                    expected=b,
                    actual=a,
                    arg=n("attn_mask"),
                    axis=axis,
                )
    if add_bias_kv:  # torch.cat([k, bias_k.repeat(1, bsz, 1)])
        ctx.check(
            eq(k[1], bsz),
            codes.ATTENTION_SHAPE,
            lambda: (
                f"Sizes of tensors must match except in dimension 0. Expected size {dim_text(k[1])} "
                f"but got size {dim_text(bsz)} for tensor number 1 in the list."
            ),
            expected=bsz,
            actual=k[1],
            arg=n("key"),
            axis=batch_axis if batched else None,
        )
        src_len = src_len + 1
    else:  # k.view(src_len, bsz * num_heads, head_dim)
        ctx.check(
            any_of(eq(k[1], bsz), eq(src_len, 0)),
            codes.ATTENTION_SHAPE,
            lambda: (
                f"shape '[{dim_text(src_len)}, {dim_text(bsz * num_heads)}, "
                f"{dim_text(embed_dim // num_heads)}]' is invalid for input of size "
                f"{dim_text(src_len * k[1] * embed_dim)}"
            ),
            expected=bsz,
            actual=k[1],
            arg=n("key"),
            axis=batch_axis if batched else None,
        )
    if add_zero_attn:
        src_len = src_len + 1
    if kpm is not None:
        padded = kpm[1] + int(bool(add_bias_kv)) + int(bool(add_zero_attn))
        ctx.check(
            eq(kpm[0], bsz),
            codes.ATTENTION_SHAPE,
            lambda: f"Expected key_padded_mask.shape[0] to be {dim_text(bsz)}, but got {dim_text(kpm[0])}",
            expected=bsz,
            actual=kpm[0],
            arg=n("key_padding_mask"),
            axis=0 if batched else None,
        )
        ctx.check(
            eq(padded, src_len),
            codes.ATTENTION_SHAPE,
            lambda: f"Expected key_padded_mask.shape[1] to be {dim_text(src_len)}, but got {dim_text(padded)}",
            expected=src_len,
            actual=padded,
            arg=n("key_padding_mask"),
            axis=-1,
        )
    if not batched:
        out = Shape((tgt_len, embed_dim))
    else:
        out = Shape((bsz, tgt_len, embed_dim) if batch_first else (tgt_len, bsz, embed_dim))
    if not need_weights:
        return out, None
    heads = () if average_attn_weights else (num_heads,)
    return out, Shape(((bsz,) if batched else ()) + heads + (tgt_len, src_len))


@layer("torch.nn.MultiheadAttention", init=_check_mha)
def multihead_attention(
    ctx,
    query,
    key,
    value,
    key_padding_mask=None,
    need_weights=True,
    attn_mask=None,
    average_attn_weights=True,
    is_causal=False,
    *,
    embed_dim,
    num_heads,
    dropout=0.0,
    bias=True,
    add_bias_kv=False,
    add_zero_attn=False,
    kdim=None,
    vdim=None,
    batch_first=False,
    device=None,
    dtype=None,
):
    """[L, N, E], [S, N, E_k], [S, N, E_v] -> ([L, N, E], [N, L, S] or None); batch_first, unbatched."""
    return _attention(
        ctx,
        tensor(query, "query"),
        tensor(key, "key"),
        tensor(value, "value"),
        embed_dim=embed_dim,
        num_heads=num_heads,
        kdim=embed_dim if kdim is None else kdim,
        vdim=embed_dim if vdim is None else vdim,
        key_padding_mask=key_padding_mask,
        attn_mask=attn_mask,
        need_weights=need_weights,
        average_attn_weights=average_attn_weights,
        is_causal=is_causal,
        batch_first=batch_first,
        add_bias_kv=add_bias_kv,
        add_zero_attn=add_zero_attn,
    )


# ---------------------------------------------------------------------------------------------
# the Transformer family


def _layer_norm(ctx: Checker, x: Shape, d_model) -> Shape:
    """The layers' ``LayerNorm(d_model)``: the last axis is ``d_model``."""
    if x.is_fixed and x.rank == 0:
        ctx.fail(
            codes.TRANSFORMER_D_MODEL,
            f"Given normalized_shape=[{dim_text(d_model)}], expected input with shape "
            f"[*, {dim_text(d_model)}], but got input of size[]",
            param="d_model",
        )
    ctx.check(
        eq(x[-1], d_model),
        codes.TRANSFORMER_D_MODEL,
        lambda: (
            f"Given normalized_shape=[{dim_text(d_model)}], expected input with shape "
            f"[*, {dim_text(d_model)}], but got input of size{x}"
        ),
        param="d_model",
        expected=d_model,
        actual=x[-1],
        axis=-1,
    )
    return x


def _norm_last(ctx: Checker, x: Shape, *, d_model) -> Shape:
    """nn.Transformer's final ``LayerNorm(d_model)`` as a layer value."""
    return _layer_norm(ctx, x, d_model)


def _check_transformer_layer(ctx, d_model, nhead, dim_feedforward=2048, activation="relu", **_):
    """MultiheadAttention(d_model, nhead), Linear(d_model, dim_feedforward), the activation's name."""
    _check_mha(ctx, d_model, nhead)
    ctx.check(
        ge(dim_feedforward, 0),
        codes.NEGATIVE_SIZE,
        lambda: f"Trying to create tensor with negative dimension {dim_text(dim_feedforward)}: dim_feedforward",
        param="dim_feedforward",
    )
    if isinstance(activation, str):
        ctx.check(
            activation in ("relu", "gelu"),
            codes.INVALID_ARGUMENT,
            f"activation should be relu/gelu, not {activation}",
            param="activation",
        )


def _self_attention(ctx: Checker, x: Shape, mask, kpm, is_causal, d_model, nhead, batch_first, names):
    return _attention(
        ctx,
        x,
        x,
        x,
        embed_dim=d_model,
        num_heads=nhead,
        kdim=d_model,
        vdim=d_model,
        key_padding_mask=kpm,
        attn_mask=mask,
        need_weights=False,
        is_causal=is_causal,
        batch_first=batch_first,
        code=codes.TRANSFORMER_D_MODEL,
        embed_param="d_model",
        key_param=None,
        names=names,
    )[0]


@layer("torch.nn.TransformerEncoderLayer", init=_check_transformer_layer)
def transformer_encoder_layer(
    ctx,
    src,
    src_mask=None,
    src_key_padding_mask=None,
    is_causal=False,
    *,
    d_model,
    nhead,
    dim_feedforward=2048,
    dropout=0.1,
    activation="relu",
    layer_norm_eps=1e-05,
    batch_first=False,
    norm_first=False,
    bias=True,
    device=None,
    dtype=None,
):
    """[S, N, d_model] -> [S, N, d_model]; batch_first, unbatched [S, d_model]."""
    x = tensor(src, "src")
    if norm_first:
        _layer_norm(ctx, x, d_model)
    names = {
        "query": "src",
        "key": "src",
        "value": "src",
        "attn_mask": "src_mask",
        "key_padding_mask": "src_key_padding_mask",
    }
    return _self_attention(ctx, x, src_mask, src_key_padding_mask, is_causal, d_model, nhead, batch_first, names)


@layer("torch.nn.TransformerDecoderLayer", init=_check_transformer_layer)
def transformer_decoder_layer(
    ctx,
    tgt,
    memory,
    tgt_mask=None,
    memory_mask=None,
    tgt_key_padding_mask=None,
    memory_key_padding_mask=None,
    tgt_is_causal=False,
    memory_is_causal=False,
    *,
    d_model,
    nhead,
    dim_feedforward=2048,
    dropout=0.1,
    activation="relu",
    layer_norm_eps=1e-05,
    batch_first=False,
    norm_first=False,
    bias=True,
    device=None,
    dtype=None,
):
    """[T, N, d_model], memory [S, N, d_model] -> [T, N, d_model]; batch_first, unbatched."""
    x, mem = tensor(tgt, "tgt"), tensor(memory, "memory")
    if norm_first:
        _layer_norm(ctx, x, d_model)
    names = {
        "query": "tgt",
        "key": "tgt",
        "value": "tgt",
        "attn_mask": "tgt_mask",
        "key_padding_mask": "tgt_key_padding_mask",
    }
    x = _self_attention(ctx, x, tgt_mask, tgt_key_padding_mask, tgt_is_causal, d_model, nhead, batch_first, names)
    names = {
        "query": "tgt",
        "key": "memory",
        "value": "memory",
        "attn_mask": "memory_mask",
        "key_padding_mask": "memory_key_padding_mask",
    }
    return _attention(
        ctx,
        x,
        mem,
        mem,
        embed_dim=d_model,
        num_heads=nhead,
        kdim=d_model,
        vdim=d_model,
        key_padding_mask=memory_key_padding_mask,
        attn_mask=memory_mask,
        need_weights=False,
        is_causal=memory_is_causal,
        batch_first=batch_first,
        code=codes.TRANSFORMER_D_MODEL,
        embed_param="d_model",
        key_param=None,
        names=names,
    )[0]


def _stack(ctx: Checker, layer_fn, num_layers, x, *others, **kwargs):
    """``num_layers`` copies of a layer applied in turn (torch indexes ``layers[0]`` first).

    A layer that returns the shape it was given returns it again: the stack stops there, and
    states each condition once.
    """
    ctx.check(ge(num_layers, 1), codes.INVALID_ARGUMENT, "index 0 is out of range", param="num_layers")
    out = layer_fn(ctx, x, *others, **kwargs)
    count = 1
    while not (isinstance(num_layers, int) and count >= num_layers):
        before = len(ctx.conditions)
        again = layer_fn(ctx, out, *others, **kwargs)
        count += 1
        drop_repeated_conditions(ctx, before)
        if _same(ctx, again, out):
            return again
        if not isinstance(num_layers, int):
            raise Lost("a stack of layers that change the shape, repeated a symbolic number of times")
        out = again
    return out


def _same(ctx: Checker, a, b) -> bool:
    if isinstance(a, Shape) and isinstance(b, Shape):
        return a.simplify(ctx.facts) == b.simplify(ctx.facts)
    return a == b


def _norm(ctx: Checker, norm, x):
    return x if norm is None else norm(ctx, x)


@layer("torch.nn.TransformerEncoder")
def transformer_encoder(
    ctx,
    src,
    mask=None,
    src_key_padding_mask=None,
    is_causal=None,
    *,
    encoder_layer,
    num_layers,
    norm=None,
    enable_nested_tensor=True,
    mask_check=True,
):
    """[S, N, E] -> [S, N, E]: encoder_layer applied num_layers times, then norm."""
    # torch detects a causal mask from its values: that only skips re-checking an [S, S] mask
    causal = False if is_causal is None else is_causal
    out = _stack(
        ctx,
        encoder_layer,
        num_layers,
        tensor(src, "src"),
        src_mask=mask,
        is_causal=causal,
        src_key_padding_mask=src_key_padding_mask,
    )
    return _norm(ctx, norm, out)


@layer("torch.nn.TransformerDecoder")
def transformer_decoder(
    ctx,
    tgt,
    memory,
    tgt_mask=None,
    memory_mask=None,
    tgt_key_padding_mask=None,
    memory_key_padding_mask=None,
    tgt_is_causal=None,
    memory_is_causal=False,
    *,
    decoder_layer,
    num_layers,
    norm=None,
):
    """[T, N, E], memory [S, N, E] -> [T, N, E]: decoder_layer applied num_layers times, then norm."""
    causal = False if tgt_is_causal is None else tgt_is_causal
    out = _stack(
        ctx,
        decoder_layer,
        num_layers,
        tensor(tgt, "tgt"),
        tensor(memory, "memory"),
        tgt_mask=tgt_mask,
        memory_mask=memory_mask,
        tgt_key_padding_mask=tgt_key_padding_mask,
        memory_key_padding_mask=memory_key_padding_mask,
        tgt_is_causal=causal,
        memory_is_causal=memory_is_causal,
    )
    return _norm(ctx, norm, out)


def _check_transformer(
    ctx, d_model=512, nhead=8, dim_feedforward=2048, activation="relu", custom_encoder=None, custom_decoder=None, **_
):
    if custom_encoder is None or custom_decoder is None:
        _check_transformer_layer(ctx, d_model, nhead, dim_feedforward, activation)


@layer("torch.nn.Transformer", init=_check_transformer)
def transformer(
    ctx,
    src,
    tgt,
    src_mask=None,
    tgt_mask=None,
    memory_mask=None,
    src_key_padding_mask=None,
    tgt_key_padding_mask=None,
    memory_key_padding_mask=None,
    src_is_causal=None,
    tgt_is_causal=None,
    memory_is_causal=False,
    *,
    d_model=512,
    nhead=8,
    num_encoder_layers=6,
    num_decoder_layers=6,
    dim_feedforward=2048,
    dropout=0.1,
    activation="relu",
    custom_encoder=None,
    custom_decoder=None,
    layer_norm_eps=1e-05,
    batch_first=False,
    norm_first=False,
    bias=True,
    device=None,
    dtype=None,
):
    """src [S, N, d_model], tgt [T, N, d_model] -> [T, N, d_model]; batch_first, unbatched."""
    s, t = tensor(src, "src"), tensor(tgt, "tgt")
    batch_axis = 0 if batch_first else 1
    for x in (s, t):  # torch reads src.size(batch_axis) and tgt.size(batch_axis) first
        normalize_axis(ctx, batch_axis, x.rank, code=codes.RANK)
    if s.rank == 3:
        ctx.check(
            eq(s[batch_axis], t[batch_axis]),
            codes.TRANSFORMER_BATCH,
            "the batch number of src and tgt must be equal",
            expected=s[batch_axis],
            actual=t[batch_axis],
            arg="tgt",
            axis=batch_axis,
        )
    for x, arg in ((s, "src"), (t, "tgt")):
        ctx.check(
            eq(x[-1], d_model),
            codes.TRANSFORMER_D_MODEL,
            "the feature number of src and tgt must be equal to d_model",
            param="d_model",
            expected=d_model,
            actual=x[-1],
            arg=arg,
            axis=-1,
        )
    layer_args = dict(d_model=d_model, nhead=nhead, batch_first=batch_first, norm_first=norm_first)
    final_norm = partial(_norm_last, d_model=d_model)
    if custom_encoder is not None:
        memory = custom_encoder(
            ctx, s, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal
        )
    else:
        memory = transformer_encoder(
            ctx,
            s,
            src_mask,
            src_key_padding_mask,
            src_is_causal,
            encoder_layer=partial(transformer_encoder_layer, **layer_args),
            num_layers=num_encoder_layers,
            norm=final_norm,
        )
    decoder_args = dict(
        tgt_mask=tgt_mask,
        memory_mask=memory_mask,
        tgt_key_padding_mask=tgt_key_padding_mask,
        memory_key_padding_mask=memory_key_padding_mask,
        tgt_is_causal=tgt_is_causal,
        memory_is_causal=memory_is_causal,
    )
    if custom_decoder is not None:
        return custom_decoder(ctx, t, memory, **decoder_args)
    return transformer_decoder(
        ctx,
        t,
        memory,
        **decoder_args,
        decoder_layer=partial(transformer_decoder_layer, **layer_args),
        num_layers=num_decoder_layers,
        norm=final_norm,
    )


# ---------------------------------------------------------------------------------------------
# F.scaled_dot_product_attention


def _matmul_batch(ctx: Checker, a: Shape, b: Shape) -> Shape:
    """The broadcast batch axes of a matmul of two (>= 2-D) operands."""
    return broadcast(ctx, Shape(a.dims[:-2]), Shape(b.dims[:-2]))


def _expand_onto(ctx: Checker, mask: Shape, target: Shape) -> None:
    """``attn.add_(attn_mask)``: the mask broadcasts to the scores without growing them."""
    if mask.rank > target.rank:
        extra = mask.dims[: mask.rank - target.rank]
        ctx.fail(
            codes.ATTENTION_SHAPE,
            lambda: f"output with shape {target} doesn't match the broadcast shape {_dims(extra + target.dims)}",
            arg="attn_mask",
        )
    offset = target.rank - mask.rank
    for i, m in enumerate(mask.dims):
        t = target[offset + i]

        def message() -> str:
            if t == 1:  # the in-place add cannot grow the scores
                return f"output with shape {target} doesn't match the broadcast shape {target.replace(offset + i, m)}"
            return (
                f"The size of tensor a ({dim_text(t)}) must match the size of tensor b ({dim_text(m)}) "
                f"at non-singleton dimension {offset + i}"
            )

        ctx.check(
            any_of(eq(m, t), eq(m, 1)),
            codes.ATTENTION_SHAPE,
            message,
            expected=t,
            actual=m,
            arg="attn_mask",
            axis=i - mask.rank,
        )


@op("torch.nn.functional.scaled_dot_product_attention")
def scaled_dot_product_attention(
    ctx, query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, *, scale=None, enable_gqa=False
):
    """[*, L, E], [*, S, E], [*, S, Ev] -> [*, L, Ev]: batch axes broadcast, the mask onto [*, L, S]."""
    q, k, v = tensor(query, "query"), tensor(key, "key"), tensor(value, "value")
    mask = _optional(attn_mask, "attn_mask")
    ctx.check(
        q.rank >= 2 and k.rank >= 2 and v.rank >= 2,
        codes.RANK,
        lambda: (
            f"Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: "
            f"{q.rank} key.dim: {k.rank} and value.dim: {v.rank} instead."
        ),
    )
    if ctx.decide(any_of(eq(q[-2], 0), *(eq(d, 0) for d in v.dims))):
        return Shape(q.dims[:-1] + (v[-1],))  # torch returns an empty result before any other check
    if is_causal and mask is not None:
        ctx.fail(
            codes.INVALID_ARGUMENT,
            "_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True",
            arg="attn_mask",
        )
    if enable_gqa:
        for x in (q, k, v):  # torch reads the number of heads, size(-3)
            normalize_axis(ctx, -3, x.rank, code=codes.RANK)
        for x, arg in ((k, "key"), (v, "value")):
            ctx.check(
                divides(x[-3], q[-3]),
                codes.ATTENTION_SHAPE,
                lambda: "Number of heads in key and value must divide the number of heads in query",
                expected=q[-3],
                actual=x[-3],
                arg=arg,
                axis=-3,
            )
        k, v = k.replace(-3, q[-3]), v.replace(-3, q[-3])
    scores_batch = _matmul_batch(ctx, q, k)

    def inner() -> str:
        if q.rank == 2 and k.rank == 2:
            return (
                f"mat1 and mat2 shapes cannot be multiplied ({dim_text(q[0], True)}x{dim_text(q[1], True)} "
                f"and {dim_text(k[1], True)}x{dim_text(k[0], True)})"
            )
        rows = dim_text(product(scores_batch.dims))
        return (
            f"Expected size for first two dimensions of batch2 tensor to be: [{rows}, {dim_text(q[-1])}] "
            f"but got: [{rows}, {dim_text(k[-1])}]."
        )

    ctx.check(eq(q[-1], k[-1]), codes.ATTENTION_SHAPE, inner, expected=q[-1], actual=k[-1], arg="key", axis=-1)
    scores = Shape(scores_batch.dims + (q[-2], k[-2]))
    if mask is not None:
        _expand_onto(ctx, mask, scores)
    out_batch = _matmul_batch(ctx, scores, v)
    ctx.check(
        eq(k[-2], v[-2]),
        codes.ATTENTION_SHAPE,
        lambda: (
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{dim_text(product(out_batch.dims))}, {dim_text(k[-2])}] but got: "
            f"[{dim_text(product(out_batch.dims))}, {dim_text(v[-2])}]."
        ),
        expected=k[-2],
        actual=v[-2],
        arg="value",
        axis=-2,
    )
    return Shape(out_batch.dims + (q[-2], v[-1]))


@op("torch.nn.Transformer.generate_square_subsequent_mask")
def generate_square_subsequent_mask(ctx, sz, device=None, dtype=None):
    """sz -> [sz, sz]: the causal mask (a static method, also called on an instance)."""
    ctx.check(ge(sz, 0), codes.NEGATIVE_SIZE, lambda: f"Trying to create tensor with negative dimension {sz}")
    return Shape([sz, sz])

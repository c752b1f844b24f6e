"""MultiheadAttention, the Transformer family and F.scaled_dot_product_attention against torch."""

import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check

from shapelens.rules import apply_layer, apply_op, build_layer


def fault(data, faults):
    """None half of the time (a valid call), otherwise the one thing to get wrong."""
    return data.draw(st.one_of(st.none(), st.sampled_from(faults)))


def nudge(data, value, bad):
    """``value``, or a near miss when ``bad``."""
    return max(0, value + data.draw(st.sampled_from([-1, 1]))) if bad else value


def opt(shape):
    return None if shape is None else T(shape)


def seq_batch(batched, batch_first, seq, batch, last):
    if not batched:
        return (seq, last)
    return (batch, seq, last) if batch_first else (seq, batch, last)


MHA_FAULTS = ["heads", "rank", "query", "key", "value", "kv_len", "batch", "kpm", "mask", "mask_rank", "causal"]


@given(st.data())
def test_multihead_attention(data):
    bad = fault(data, MHA_FAULTS)
    heads = data.draw(st.integers(1, 3))
    embed = heads * data.draw(st.integers(1, 2)) + (1 if bad == "heads" else 0)
    kdim = data.draw(st.sampled_from([None, None, embed, 1, 3]))
    vdim = data.draw(st.sampled_from([None, None, embed, 2, 4]))
    ctor = dict(
        kdim=kdim,
        vdim=vdim,
        batch_first=data.draw(st.booleans()),
        add_bias_kv=data.draw(st.booleans()),
        add_zero_attn=data.draw(st.booleans()),
    )
    batched = data.draw(st.booleans())
    tgt, src, batch = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3))
    first = ctor["batch_first"]
    query = seq_batch(batched, first, tgt, batch, nudge(data, embed, bad == "query"))
    key_batch = nudge(data, batch, bad == "batch")
    key = seq_batch(batched, first, src, key_batch, nudge(data, kdim or embed, bad == "key"))
    value = seq_batch(
        batched, first, nudge(data, src, bad == "kv_len"), key_batch, nudge(data, vdim or embed, bad == "value")
    )
    if bad == "rank":
        query = data.draw(st.sampled_from([query[-1:], (1,) + query]))
    kpm = None
    if bad == "kpm" or data.draw(st.booleans()):
        kpm = (batch, src) if batched else (src,)
        kpm = tuple(nudge(data, d, bad == "kpm" and i == 0) for i, d in enumerate(kpm))
    mask = None
    if bad in ("mask", "mask_rank", "causal") or data.draw(st.booleans()):
        mask = data.draw(st.sampled_from([(tgt, src), (heads * (batch if batched else 1), tgt, src)]))
        mask = tuple(nudge(data, d, bad == "mask" and i == 0) for i, d in enumerate(mask))
        if bad == "mask_rank":
            mask = mask[-1:]
    need_weights, average = data.draw(st.booleans()), data.draw(st.booleans())
    is_causal = bad == "causal" or data.draw(st.integers(0, 5)) == 0
    if bad == "causal":
        mask = None
    forward = dict(need_weights=need_weights, average_attn_weights=average, is_causal=is_causal)
    check(
        lambda ctx, q, k, v, p, m: apply_layer(
            "torch.nn.MultiheadAttention",
            ctx,
            (embed, heads),
            ctor,
            q,
            k,
            v,
            key_padding_mask=p,
            attn_mask=m,
            **forward,
        ),
        lambda q, k, v, p, m: nn.MultiheadAttention(embed, heads, **ctor)(
            q, k, v, key_padding_mask=p, attn_mask=m, **forward
        ),
        [T(query), T(key), T(value), opt(kpm), opt(mask)],
    )


LAYER_FAULTS = ["heads", "rank", "d_model", "mask", "kpm", "activation"]


def layer_case(data, decoder=None):
    """Constructor arguments and tensors for a Transformer layer (or stack) with at most one fault."""
    bad = fault(data, LAYER_FAULTS + (["memory", "memory_batch"] if decoder else []))
    nhead = data.draw(st.integers(1, 2))
    d_model = nhead * data.draw(st.integers(1, 2)) + (1 if bad == "heads" else 0)
    ctor = dict(
        dim_feedforward=data.draw(st.integers(1, 4)),
        batch_first=data.draw(st.booleans()),
        norm_first=data.draw(st.booleans()),
        dropout=0.0,
        activation="tanh" if bad == "activation" else data.draw(st.sampled_from(["relu", "gelu"])),
    )
    batched = data.draw(st.booleans())
    seq, mem_len, batch = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3)), data.draw(st.integers(1, 2))
    x = seq_batch(batched, ctor["batch_first"], seq, batch, nudge(data, d_model, bad == "d_model"))
    if bad == "rank":
        x = data.draw(st.sampled_from([x[-1:], (1,) + x]))
    mem = seq_batch(
        batched,
        ctor["batch_first"],
        mem_len,
        nudge(data, batch, bad == "memory_batch"),
        nudge(data, d_model, bad == "memory"),
    )
    use_mask, use_kpm = bad == "mask" or data.draw(st.booleans()), bad == "kpm" or data.draw(st.booleans())
    kpm = (batch, nudge(data, seq, bad == "kpm")) if batched else (nudge(data, seq, bad == "kpm"),)
    mask = (nudge(data, seq, bad == "mask"), mem_len if decoder == "memory" else seq)
    return (d_model, nhead), ctor, T(x), T(mem), opt(mask if use_mask else None), opt(kpm if use_kpm else None)


@given(st.data())
def test_transformer_encoder_layer(data):
    args, ctor, x, _, mask, kpm = layer_case(data)
    check(
        lambda ctx, x, m, p: apply_layer("torch.nn.TransformerEncoderLayer", ctx, args, ctor, x, m, p),
        lambda x, m, p: nn.TransformerEncoderLayer(*args, **ctor)(x, m, p),
        [x, mask, kpm],
    )


@given(st.data())
def test_transformer_decoder_layer(data):
    which = data.draw(st.sampled_from(["tgt", "memory"]))
    args, ctor, x, mem, mask, kpm = layer_case(data, decoder=which)
    masks = dict(tgt_mask=mask, tgt_key_padding_mask=kpm) if which == "tgt" else dict(memory_mask=mask)
    names = list(masks)
    check(
        lambda ctx, x, mem, *ms: apply_layer(
            "torch.nn.TransformerDecoderLayer", ctx, args, ctor, x, mem, **dict(zip(names, ms))
        ),
        lambda x, mem, *ms: nn.TransformerDecoderLayer(*args, **ctor)(x, mem, **dict(zip(names, ms))),
        [x, mem, *masks.values()],
    )


def causal_hint(data):
    """None (torch then compares the mask with a causal one, by value) or False."""
    return data.draw(st.sampled_from([None, False, False, False]))


@given(st.sampled_from([0, 1, 1, 2]), st.booleans(), st.data())
def test_transformer_encoder(num_layers, with_norm, data):
    args, ctor, x, _, mask, kpm = layer_case(data)
    out, causal = data.draw(st.integers(1, 3)), causal_hint(data)

    def rule(ctx, x, m, p):
        inner = build_layer("torch.nn.TransformerEncoderLayer", ctx, *args, **ctor)
        norm = build_layer("torch.nn.Linear", ctx, args[0], out) if with_norm else None
        return apply_layer(
            "torch.nn.TransformerEncoder", ctx, (inner, num_layers), {"norm": norm}, x, m, p, is_causal=causal
        )

    def torch_fn(x, m, p):
        norm = nn.Linear(args[0], out) if with_norm else None
        return nn.TransformerEncoder(nn.TransformerEncoderLayer(*args, **ctor), num_layers, norm=norm)(
            x, m, p, is_causal=causal
        )

    check(rule, torch_fn, [x, mask, kpm])


@given(st.sampled_from([0, 1, 1, 2]), st.data())
def test_transformer_decoder(num_layers, data):
    args, ctor, x, mem, mask, kpm = layer_case(data, decoder="tgt")
    causal = causal_hint(data)

    def rule(ctx, x, mem, m, p):
        inner = build_layer("torch.nn.TransformerDecoderLayer", ctx, *args, **ctor)
        return apply_layer(
            "torch.nn.TransformerDecoder",
            ctx,
            (inner, num_layers),
            {},
            x,
            mem,
            m,
            tgt_key_padding_mask=p,
            tgt_is_causal=causal,
        )

    check(
        rule,
        lambda x, mem, m, p: nn.TransformerDecoder(nn.TransformerDecoderLayer(*args, **ctor), num_layers)(
            x, mem, m, tgt_key_padding_mask=p, tgt_is_causal=causal
        ),
        [x, mem, mask, kpm],
    )


@given(st.data())
def test_transformer(data):
    bad = fault(data, ["heads", "src", "tgt", "batch", "rank", "src_mask", "tgt_mask", "memory_mask"])
    nhead = data.draw(st.integers(1, 2))
    d_model = nhead * data.draw(st.integers(1, 2)) + (1 if bad == "heads" else 0)
    ctor = dict(
        num_encoder_layers=1,
        num_decoder_layers=1,
        dim_feedforward=4,
        dropout=0.0,
        batch_first=data.draw(st.booleans()),
        norm_first=data.draw(st.booleans()),
    )
    batched = data.draw(st.booleans())
    s_len, t_len, batch = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3)), data.draw(st.integers(1, 2))
    src = seq_batch(batched, ctor["batch_first"], s_len, batch, nudge(data, d_model, bad == "src"))
    tgt = seq_batch(
        batched, ctor["batch_first"], t_len, nudge(data, batch, bad == "batch"), nudge(data, d_model, bad == "tgt")
    )
    if bad == "rank":
        src = data.draw(st.sampled_from([src[-1:], (1,) + src]))
    masks = {
        name: T((nudge(data, rows, bad == name), cols)) if bad == name or data.draw(st.booleans()) else None
        for name, rows, cols in (("src_mask", s_len, s_len), ("tgt_mask", t_len, t_len), ("memory_mask", t_len, s_len))
    }
    hints = dict(src_is_causal=causal_hint(data), tgt_is_causal=causal_hint(data))
    custom = data.draw(st.integers(0, 3)) == 0  # a custom encoder and decoder replace the built-in stacks
    layer_args = dict(dim_feedforward=4, dropout=0.0, batch_first=ctor["batch_first"])
    names = list(masks)

    def rule(ctx, s, t, *ms):
        kwargs = dict(ctor)
        if custom:
            kwargs["custom_encoder"] = build_layer(
                "torch.nn.TransformerEncoder",
                ctx,
                build_layer("torch.nn.TransformerEncoderLayer", ctx, d_model, nhead, **layer_args),
                1,
            )
            kwargs["custom_decoder"] = build_layer(
                "torch.nn.TransformerDecoder",
                ctx,
                build_layer("torch.nn.TransformerDecoderLayer", ctx, d_model, nhead, **layer_args),
                1,
            )
        return apply_layer("torch.nn.Transformer", ctx, (d_model, nhead), kwargs, s, t, **dict(zip(names, ms)), **hints)

    def torch_fn(s, t, *ms):
        kwargs = dict(ctor)
        if custom:
            encoder_layer = nn.TransformerEncoderLayer(d_model, nhead, **layer_args)
            decoder_layer = nn.TransformerDecoderLayer(d_model, nhead, **layer_args)
            kwargs["custom_encoder"] = nn.TransformerEncoder(encoder_layer, 1)
            kwargs["custom_decoder"] = nn.TransformerDecoder(decoder_layer, 1)
        return nn.Transformer(d_model, nhead, **kwargs)(s, t, **dict(zip(names, ms)), **hints)

    check(rule, torch_fn, [T(src), T(tgt), *masks.values()])


SDPA_FAULTS = ["rank", "embed", "kv_len", "batch", "mask", "mask_grows", "causal_mask", "gqa", "empty"]


@given(st.data())
def test_scaled_dot_product_attention(data):
    bad = fault(data, SDPA_FAULTS)
    batch = tuple(data.draw(st.lists(st.integers(1, 3), max_size=2)))
    heads = data.draw(st.integers(1, 4))
    gqa = bad == "gqa" or data.draw(st.booleans())
    if bad == "gqa":
        kv_heads = data.draw(st.sampled_from([h for h in range(2, 6) if heads % h]))
    elif gqa:
        kv_heads = data.draw(st.sampled_from([h for h in range(1, heads + 1) if heads % h == 0]))
    else:
        kv_heads = heads
    L, S, E, Ev = (data.draw(st.integers(1, 4)) for _ in range(4))
    if bad == "empty":  # torch returns an empty result at once, whatever else is wrong
        L, S, Ev = data.draw(st.sampled_from([(0, S, Ev), (L, 0, Ev), (L, S, 0)]))
        bad = data.draw(st.sampled_from(SDPA_FAULTS[:-1]))

    def bcast(dims):  # sometimes a batch axis of 1 that broadcasts
        return tuple(1 if data.draw(st.integers(0, 3)) == 0 else d for d in dims)

    q = batch + (heads, L, E)
    k = bcast(batch) + (kv_heads, S, nudge(data, E, bad == "embed"))
    v = bcast(batch) + (kv_heads, nudge(data, S, bad == "kv_len"), Ev)
    if bad == "batch" and batch:
        k = (batch[0] + 1,) + k[1:]
    if not gqa and data.draw(st.booleans()):  # fewer batch axes: 2-D or 3-D operands broadcast too
        cut = data.draw(st.integers(0, len(q) - 2))
        q = q[cut:]
    if bad == "rank":
        q = q[-1:]
    mask = None
    if bad in ("mask", "mask_grows", "causal_mask") or data.draw(st.booleans()):
        scores = q[:-2] + (L, S)
        start = data.draw(st.integers(0, len(scores)))
        mask = bcast(scores[start:])
        if bad == "mask" and mask:
            mask = mask[:-1] + (S + 1,)
        if bad == "mask_grows":
            mask = (2,) + scores
    is_causal = bad == "causal_mask" or (mask is None and data.draw(st.booleans()))
    check(
        lambda ctx, q, k, v, m: apply_op(
            "torch.nn.functional.scaled_dot_product_attention", ctx, q, k, v, m, is_causal=is_causal, enable_gqa=gqa
        ),
        lambda q, k, v, m: F.scaled_dot_product_attention(q, k, v, m, is_causal=is_causal, enable_gqa=gqa),
        [T(q), T(k), T(v), opt(mask)],
    )


@given(st.integers(-2, 6))
def test_generate_square_subsequent_mask(sz):
    check(
        lambda ctx: apply_op("torch.nn.Transformer.generate_square_subsequent_mask", ctx, sz),
        lambda: nn.Transformer.generate_square_subsequent_mask(sz),
        [],
    )

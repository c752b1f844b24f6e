"""Where a function's input shapes come from when nobody calls it.

In order: annotations (jaxtyping ``Float[Tensor, "b c h w"]``, torchtyping, ``Annotated``),
then the parameter's first use (an unknown ``x`` fed to ``Conv2d(3, ...)`` is ``[B, C, H, W]``
with fresh sizes that the layer's checks then pin down: ``C`` becomes 3).
"""

from __future__ import annotations

import ast
import re
from typing import Optional

from ..dims import Expr, Shape, sym
from .values import ContainerV, InstanceV, LayerV, TorchRef

SPATIAL = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}
# A tensor's sizes by position, where nothing better names them.
POSITIONAL_NAMES = {1: ("N",), 2: ("B", "D"), 3: ("B", "T", "C"), 4: ("B", "C", "H", "W"), 5: ("B", "C", "D", "H", "W")}
_ND = re.compile(r"([123])d$")


def annotation_shape(annotation: Optional[ast.expr], fresh) -> Optional[Shape]:
    """The shape an annotation declares, or None. ``fresh(name)`` makes the symbol for a name."""
    if annotation is None:
        return None
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except (SyntaxError, ValueError, RecursionError):  # not an expression, NUL, nested too deep
            return None
    if not isinstance(annotation, ast.Subscript):
        return None
    head = _dotted(annotation.value)
    parts = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
    base = head.rsplit(".", 1)[-1] if head else ""
    if base in (
        "Float",
        "Int",
        "Bool",
        "Shaped",
        "Num",
        "Real",
        "Inexact",
        "Integer",
        "Float32",
        "Float64",
        "Int64",
        "Int32",
        "Bool_",
        "UInt8",
        "Complex",
        "Key",
        "Float16",
        "BFloat16",
    ):
        if len(parts) == 2 and isinstance(parts[1], ast.Constant) and isinstance(parts[1].value, str):
            return _jaxtyping(parts[1].value, fresh)
    if base == "TensorType":
        return _torchtyping(parts, fresh)
    if base == "Annotated" and len(parts) >= 2:
        for meta in parts[1:]:
            if isinstance(meta, ast.Constant) and isinstance(meta.value, str):
                return _jaxtyping(meta.value, fresh)
            if isinstance(meta, (ast.Tuple, ast.List)):
                return _torchtyping(meta.elts, fresh)
    return None


def _jaxtyping(spec: str, fresh) -> Optional[Shape]:
    prefix: list = []
    suffix: list = []
    star: Optional[str] = None
    for token in spec.split():
        token = token.lstrip("#")  # broadcastable marker: same size or 1
        if token in ("...", "*..."):
            if star is not None:
                return None
            star = "batch"
            continue
        if token.startswith("*"):
            if star is not None:
                return None
            star = token[1:] or "batch"
            continue
        dim = _dim_token(token, fresh)
        if dim is None:
            return None
        (suffix if star is not None else prefix).append(dim)
    if star is None:
        return Shape(prefix)
    return Shape(prefix, star, suffix)


def _torchtyping(parts, fresh) -> Optional[Shape]:
    dims: list = []
    for p in parts:
        if isinstance(p, ast.Constant) and type(p.value) is int:
            dims.append(p.value)
        elif isinstance(p, ast.Constant) and isinstance(p.value, str):
            if p.value == "...":
                return None
            dims.append(fresh(p.value))
        else:
            return None
    return Shape(dims)


def _dim_token(token: str, fresh):
    token = token.split("=")[-1]
    if token.isdigit():
        return int(token)
    if token == "_":
        return fresh(None)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", token):
        return fresh(token)
    return None


def _dotted(node) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def first_use_shape(callee, names) -> Optional[Shape]:
    """The conventional input shape of the layer/op a parameter is first given to.

    ``names`` allocates fresh symbol names (``names("C")`` -> ``C`` or ``C2``).
    """
    if isinstance(callee, ContainerV) and callee.kind == "Sequential" and isinstance(callee.items, list):
        return first_use_shape(callee.items[0], names) if callee.items else None
    if isinstance(callee, LayerV):
        if callee.layer.rule.name in ("einops.layers.torch.Rearrange", "einops.layers.torch.Reduce"):
            lengths = callee.layer.ctor.get("kwargs")
            return einops_input(callee.layer.ctor.get("pattern"), lengths if isinstance(lengths, dict) else {}, names)
        return _layer_input(callee.layer.rule.name, callee.layer.ctor, names)
    if isinstance(callee, TorchRef):
        return _function_input(callee.qualname, names)
    if isinstance(callee, InstanceV):
        return None
    return None


EINOPS_FUNCTIONS = ("einops.rearrange", "einops.reduce", "einops.repeat")


def einops_input(pattern, lengths: dict, names) -> Optional[Shape]:
    """The input an einops pattern's left side describes: ``"b c (h p1) (w p2)"`` with ``p1=8``
    is ``[b, c, h*8, w*8]``; ``...`` leaves the rank open."""
    if not isinstance(pattern, str) or "->" not in pattern:
        return None
    left = pattern.split("->", 1)[0]
    axes = re.findall(r"\([^()]*\)|\.\.\.|[^\s()]+", left)
    prefix: list = []
    suffix: list = []
    star = None
    for axis in axes:
        if axis == "...":
            if star is not None:
                return None
            star = names("*batch")
            continue
        size = 1
        for part in axis[1:-1].split() if axis.startswith("(") else [axis]:
            known = lengths.get(part)
            if part.isdigit():
                size = size * int(part)
            elif type(known) is int or isinstance(known, Expr):
                size = size * known
            elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
                size = size * sym(names(part))
            else:
                return None
        (suffix if star is not None else prefix).append(size)
    return Shape(prefix, star, suffix) if star is not None else Shape(prefix)


def _fresh(names, *labels) -> list:
    return [sym(names(label)) for label in labels]


def _layer_input(name: str, ctor: dict, names) -> Optional[Shape]:
    short = name.rsplit(".", 1)[-1]
    nd = _ND.search(short)
    if nd and any(
        short.startswith(p)
        for p in (
            "Conv",
            "LazyConv",
            "MaxPool",
            "AvgPool",
            "LPPool",
            "AdaptiveAvgPool",
            "AdaptiveMaxPool",
            "BatchNorm",
            "LazyBatchNorm",
            "InstanceNorm",
            "LazyInstanceNorm",
            "Dropout",
            "ReflectionPad",
            "ReplicationPad",
            "ZeroPad",
            "ConstantPad",
            "CircularPad",
            "MaxUnpool",
            "FractionalMaxPool",
        )
    ):
        n = int(nd.group(1))
        if short.startswith(("BatchNorm", "LazyBatchNorm")) and n == 1:
            return Shape(_fresh(names, "B", "C"))
        return Shape(_fresh(names, "B", "C", *SPATIAL[n]))
    if short in ("Linear", "LazyLinear", "LayerNorm", "RMSNorm"):
        return Shape((), names("*batch"), _fresh(names, "C"))
    if short in (
        "GroupNorm",
        "PixelShuffle",
        "PixelUnshuffle",
        "Upsample",
        "UpsamplingNearest2d",
        "UpsamplingBilinear2d",
        "Softmax2d",
        "ChannelShuffle",
        "Unfold",
    ):
        return Shape(_fresh(names, "B", "C", "H", "W"))
    if short == "Embedding":
        return Shape(_fresh(names, "B", "T"))
    if short in ("RNN", "LSTM", "GRU"):
        order = ("B", "T", "C") if _true(ctor.get("batch_first")) else ("T", "B", "C")
        return Shape(_fresh(names, *order))
    if short in (
        "MultiheadAttention",
        "TransformerEncoderLayer",
        "TransformerDecoderLayer",
        "TransformerEncoder",
        "TransformerDecoder",
        "Transformer",
    ):
        batch_first = _true(ctor.get("batch_first"))
        inner = ctor.get("encoder_layer") or ctor.get("decoder_layer")
        if inner is not None and hasattr(inner, "ctor"):
            batch_first = _true(inner.ctor.get("batch_first"))
        order = ("B", "L", "E") if batch_first else ("L", "B", "E")
        return Shape(_fresh(names, *order))
    if short in ("RNNCell", "LSTMCell", "GRUCell"):
        return Shape(_fresh(names, "B", "C"))
    return None


def _function_input(qualname: str, names) -> Optional[Shape]:
    short = qualname.rsplit(".", 1)[-1]
    match = re.fullmatch(
        r"(conv|conv_transpose|max_pool|avg_pool|lp_pool|adaptive_avg_pool|adaptive_max_pool)([123])d", short
    )
    if match and qualname.startswith(("torch.nn.functional.", "torch.")):
        return Shape(_fresh(names, "B", "C", *SPATIAL[int(match.group(2))]))
    if qualname in ("torch.nn.functional.linear", "torch.nn.functional.layer_norm"):
        return Shape((), names("*batch"), _fresh(names, "C"))
    return None


def _true(value) -> bool:
    return value is True

"""Every diagnostic code shapelens reports, in one table (as ruff's ``codes.rs``).

A code is born here and nowhere else: one row gives the code as users see it, its default
severity, a one-line summary, who reports it (a shape rule, the analyzer, or validation on the
meta device) and, where it has one, the special fix: the name of the function in
``analysis/explain.py``'s ``FIXES`` that builds a quick fix for a rule's error of this code, beyond
the generic one that changes a layer's constructor argument. Its page is ``docs/rules/<code>.md``
(what it does, why it is bad, an example, what to use instead); ``docs/rules/README.md`` is
generated from this table (``shapelens codes --markdown``).

Rules and the analyzer name a code by its constant (``codes.RANK``), so a misspelt code fails at
import rather than silently becoming a new one; :func:`lookup` finds a row by its text and fails
loudly on a code that has none. A test walks the package's syntax trees: no code is spelt as a
string anywhere else.

The severity is the one a certain violation gets. A requirement that holds only under a stated
condition (``H*W == 49``) is reported with the same code as a warning.
"""

from __future__ import annotations

from typing import Optional

ERROR, WARNING, INFORMATION, HINT = "error", "warning", "information", "hint"
RULE, ANALYZER, VALIDATION = "rule", "analyzer", "validation"  # who reports it

TABLE: dict = {}  # code text -> Code, in the order of the table below


class Code(str):
    """A diagnostic code: the text users see (``"linear-in-features"``), with its row.

    A ``str`` itself, so that a code compares, hashes and serialises as its text.
    """

    severity: str
    summary: str
    by: str
    fix: Optional[str]

    @property
    def page(self) -> str:
        """Its documentation page, relative to the repository's root."""
        return f"docs/rules/{self}.md"


def _row(code: str, severity: str, summary: str, *, by: str = RULE, fix: Optional[str] = None) -> Code:
    if code in TABLE:
        raise ValueError(f"diagnostic code {code} is in the table twice")
    row = Code(code)
    row.severity, row.summary, row.by, row.fix = severity, summary, by, fix
    TABLE[code] = row
    return row


def lookup(code: str) -> Code:
    """The row of ``code``; ``KeyError`` naming it when the table has no such code."""
    try:
        return TABLE[code]
    except KeyError:
        raise KeyError(f"{code!r} is not a diagnostic code: every code has its row in shapelens/codes.py") from None


# fmt: off
# -- checks of the shape rules (rules/): each is a ctx.check or ctx.fail in a rule -------------
ATTENTION_SHAPE = _row("attention-shape", ERROR, "attention inputs or masks whose shapes do not fit the query, key and value")
BILINEAR_INPUTS = _row("bilinear-inputs", ERROR, "nn.Bilinear / F.bilinear inputs whose ranks or batch axes differ")
BILINEAR_WEIGHT = _row("bilinear-weight", ERROR, "an F.bilinear weight that is not 3-D [out, in1, in2]")
BROADCAST = _row("broadcast", ERROR, "elementwise operands whose shapes cannot be broadcast")
CAT_DIMS = _row("cat-dims", ERROR, "torch.cat of tensors that differ on an axis other than the joined one")
CDIST_COLUMNS = _row("cdist-columns", ERROR, "torch.cdist of point sets whose points have different sizes")
CHANNEL_SHUFFLE_GROUPS = _row("channel-shuffle-groups", ERROR, "a channel shuffle whose channel count is not a multiple of groups")
CONV_BIAS = _row("conv-bias", ERROR, "an F.conv* bias that is not 1-D with one value per output channel")
CONV_GROUPS = _row("conv-groups", ERROR, "a grouped convolution whose channels the groups do not divide")
CONV_IN_CHANNELS = _row("conv-in-channels", ERROR, "a convolution input whose channel axis differs from in_channels")
CONV_OUTPUT_PADDING = _row("conv-output-padding", ERROR, "a transposed convolution's output_padding not smaller than its stride or dilation")
CONV_OUTPUT_SIZE = _row("conv-output-size", ERROR, "a convolution whose kernel does not fit the padded input, or an output_size it cannot produce")
CONV_PADDING = _row("conv-padding", ERROR, "convolution padding torch cannot apply ('same' with a stride, reflect padding too large)")
CONV_RANK = _row("conv-rank", ERROR, "a convolution input (or weight) without the rank the layer expects")
CTC_LENGTHS = _row("ctc-lengths", ERROR, "CTC input or target lengths that do not fit log_probs [T, N, C]")
DIM_OUT_OF_RANGE = _row("dim-out-of-range", ERROR, "a dim argument outside the tensor's axes")
EINOPS_SHAPE = _row("einops-shape", ERROR, "an einops pattern that the input's shape does not fit")
EINSUM_DIMS = _row("einsum-dims", ERROR, "einsum operands that do not fit the equation's subscripts")
EMBEDDING_BAG_OFFSETS = _row("embedding-bag-offsets", ERROR, "EmbeddingBag bags given the wrong way: offsets with a 2-D input, or none with a 1-D one")
EMBEDDING_BAG_WEIGHTS = _row("embedding-bag-weights", ERROR, "EmbeddingBag per_sample_weights whose shape is not the input's")
EMBEDDING_PADDING_IDX = _row("embedding-padding-idx", ERROR, "an embedding padding_idx outside the table")
EXPAND_SIZE = _row("expand-size", ERROR, "expand / broadcast_to asking an axis for a size it cannot grow to")
FOLD_BLOCKS = _row("fold-blocks", ERROR, "a fold / unfold whose number of blocks does not match its windows")
FOLD_CHANNELS = _row("fold-channels", ERROR, "F.fold input whose channel axis is not a multiple of the kernel's area")
GATHER_INDEX = _row("gather-index", ERROR, "a gather / scatter index larger than its tensor")
GLU_ODD = _row("glu-odd", ERROR, "GLU over a dimension of odd size")
GROUPNORM_GROUPS = _row("groupnorm-groups", ERROR, "a GroupNorm whose channel count is not a multiple of num_groups")
INDEX_MASK_SHAPE = _row("index-mask-shape", ERROR, "a boolean mask index whose shape differs from the axes it covers")
INDEX_OUT_OF_RANGE = _row("index-out-of-range", ERROR, "an integer index outside the axis it selects from")
INDEX_SOURCE = _row("index-source", ERROR, "index_add / index_copy whose index and source do not agree with the input")
INPLACE_BROADCAST = _row("inplace-broadcast", ERROR, "an in-place op whose operands broadcast to a shape larger than its own")
INTERPOLATE_RANK = _row("interpolate-rank", ERROR, "an interpolation of a tensor whose rank the mode does not take")
INTERPOLATE_SIZE = _row("interpolate-size", ERROR, "an interpolation size or scale_factor that does not fit the input")
INVALID_ARGUMENT = _row("invalid-argument", ERROR, "an argument torch rejects for a reason other than a size mismatch")
KTHVALUE_K = _row("kthvalue-k", ERROR, "kthvalue with k outside 1..size of its axis")
LAYERNORM_SHAPE = _row("layernorm-shape", ERROR, "a LayerNorm / RMSNorm normalized_shape that is not the input's trailing shape")
LINEAR_BIAS = _row("linear-bias", ERROR, "an F.linear bias that cannot be expanded to the output's shape")
LINEAR_IN_FEATURES = _row("linear-in-features", ERROR, "a linear layer whose in_features is not the input's last axis")
LINEAR_RANK = _row("linear-rank", ERROR, "F.linear on a 0-d tensor, or with a weight neither 1-D nor 2-D")
LOSS_TARGET_SHAPE = _row("loss-target-shape", ERROR, "a loss whose input and target do not fit", fix="resize-producing-layer")
LOSS_WEIGHT_SHAPE = _row("loss-weight-shape", ERROR, "a loss weight that does not fit the input")
MATMUL_BATCH = _row("matmul-batch", ERROR, "bmm / baddbmm / addbmm operands whose batch sizes differ")
MATMUL_INNER = _row("matmul-inner", ERROR, "a matrix product whose inner sizes differ", fix="transpose-right-operand")
MATRIX_NORM_DIMS = _row("matrix-norm-dims", ERROR, "a matrix norm that does not get exactly two different axes")
MHA_EMBED_DIM = _row("mha-embed-dim", ERROR, "a MultiheadAttention query, key or value whose last axis is not embed_dim, kdim or vdim")
MHA_HEADS = _row("mha-heads", ERROR, "a MultiheadAttention whose embed_dim is not a multiple of num_heads")
NARROW_BOUNDS = _row("narrow-bounds", ERROR, "narrow whose start or window runs outside the axis")
NEGATIVE_SIZE = _row("negative-size", ERROR, "a size that is certainly negative")
NORM_NUM_FEATURES = _row("norm-num-features", ERROR, "a normalization layer whose num_features is not the input's channel count")
NORM_ONE_VALUE = _row("norm-one-value", ERROR, "batch, instance or group normalization over a single value per channel")
NORM_ZERO_CHANNELS = _row("norm-zero-channels", ERROR, "normalization of an input with no channels where torch cannot handle it")
PAD_CROP = _row("pad-crop", ERROR, "negative padding that removes more than the axis holds")
PAD_EMPTY_INPUT = _row("pad-empty-input", ERROR, "reflect or replicate padding of a tensor with an empty non-batch axis")
PAD_RANK = _row("pad-rank", ERROR, "padding whose length does not fit the input's rank")
PAD_TOO_LARGE = _row("pad-too-large", ERROR, "reflect or circular padding larger than the axis it copies from")
PIXEL_SHUFFLE_CHANNELS = _row("pixel-shuffle-channels", ERROR, "a pixel shuffle whose channel axis is not a multiple of r*r")
PIXEL_UNSHUFFLE_SPATIAL = _row("pixel-unshuffle-spatial", ERROR, "a pixel unshuffle whose height or width is not a multiple of r")
POOL_INDICES = _row("pool-indices", ERROR, "max unpool indices whose shape is not the input's")
POOL_OUTPUT_SIZE = _row("pool-output-size", ERROR, "a pool that would produce no window")
POOL_PADDING = _row("pool-padding", ERROR, "a pool whose padding is more than half its kernel size")
POOL_RANDOM_SAMPLES = _row("pool-random-samples", ERROR, "fractional max pool _random_samples that are not [>= N, C, 2 or 3]")
POOL_RANK = _row("pool-rank", ERROR, "a pooling input without the rank it expects, or with an empty non-batch axis")
PRELU_NUM_PARAMETERS = _row("prelu-num-parameters", ERROR, "a PReLU with several parameters whose count is not the input's channel count")
RANK = _row("rank", ERROR, "an op given a tensor with the wrong number of axes")
REDUCE_DUPLICATE_DIM = _row("reduce-duplicate-dim", ERROR, "a reduction whose dim names the same axis twice")
REDUCE_EMPTY = _row("reduce-empty", ERROR, "a reduction without an identity over an empty axis")
RESAMPLE_EMPTY_INPUT = _row("resample-empty-input", ERROR, "a resampling op given a tensor with an empty non-batch axis")
RESHAPE_NUMEL = _row("reshape-numel", ERROR, "view / reshape sizes that do not multiply to the number of elements", fix="change-one-size")
RNN_HIDDEN_SHAPE = _row("rnn-hidden-shape", ERROR, "a recurrent layer's initial state without the shape it expects")
RNN_INPUT_SIZE = _row("rnn-input-size", ERROR, "a recurrent layer input whose last axis differs from input_size")
RNN_RANK = _row("rnn-rank", ERROR, "a recurrent layer input or state without the rank it expects")
RNN_SEQUENCE_LENGTH = _row("rnn-sequence-length", ERROR, "a recurrent layer input whose sequence axis is empty")
SPLIT_SIZES = _row("split-sizes", ERROR, "split sizes that do not add up to the axis, or sections that do not divide it")
STACK_SHAPES = _row("stack-shapes", ERROR, "torch.stack of tensors that do not all have the same shape")
TENSOR_DATA = _row("tensor-data", ERROR, "torch.tensor data that does not nest into a rectangular array of numbers")
TOPK_K = _row("topk-k", ERROR, "topk with k larger than its axis (or negative)")
TRANSFORMER_BATCH = _row("transformer-batch", ERROR, "an nn.Transformer call whose src and tgt batch sizes differ")
TRANSFORMER_D_MODEL = _row("transformer-d-model", ERROR, "a Transformer input whose last axis is not d_model")
VIEW_AS_COMPLEX = _row("view-as-complex", ERROR, "torch.view_as_complex of a tensor whose last axis is not of size 2")
UNFOLD_SIZE = _row("unfold-size", ERROR, "Tensor.unfold with a window longer than the axis")

# -- the analyzer's own findings (analysis/) ----------------------------------------------------
INFERENCE_LOST = _row("inference-lost", HINT, "where shapes stop being followed, and why (a note)", by=ANALYZER)
MISSING_BATCH_DIM = _row("missing-batch-dim", ERROR, "a model called on a single sample where it needs a batch", by=ANALYZER)
RECONSTRUCTION_SHAPE = _row("reconstruction-shape", WARNING, "an autoencoder whose output shape differs from its input's", by=ANALYZER)
RETURN_ANNOTATION = _row("return-annotation", ERROR, "a returned tensor whose shape certainly differs from its annotation", by=ANALYZER)
SYNTAX_ERROR = _row("syntax-error", ERROR, "the file does not parse", by=ANALYZER)

# -- validation on the meta device (validation/) -----------------------------------------------
NOT_VALIDATED = _row("not-validated", INFORMATION, "a model that validation could not build or run, and why", by=VALIDATION)
RUNTIME_ERROR = _row("runtime-error", ERROR, "a line that raised when the model ran on the meta device", by=VALIDATION)
RUNTIME_SHAPE_MISMATCH = _row("runtime-shape-mismatch", WARNING, "static analysis and a run on the meta device disagree about a shape", by=VALIDATION)
# fmt: on


def markdown() -> str:
    """docs/rules/README.md: the table, one row per code (kept in sync by a test)."""
    lines = [
        "# Diagnostic codes",
        "",
        "Generated from `server/shapelens/codes.py` by `shapelens codes --markdown`. Each code links to its",
        "page: what it does, why it is bad, an example, and what to use instead. The severity is that of",
        "a certain violation; a requirement that holds only under a stated condition is a warning with",
        "the same code. The setting `shapelens.diagnostics.severity` changes it per code.",
        "",
        f"{len(TABLE)} codes.",
        "",
        "| code | severity | reported by | what it flags | special quick fix |",
        "|---|---|---|---|---|",
    ]
    for code in TABLE.values():
        lines.append(f"| [`{code}`]({code}.md) | {code.severity} | {code.by} | {code.summary} | {code.fix or ''} |")
    return "\n".join(lines) + "\n"


def text() -> str:
    """One line per code: ``code  severity  summary``."""
    width = max(len(c) for c in TABLE)
    return "".join(f"{code:<{width}}  {code.severity:<11}  {code.summary}\n" for code in TABLE.values())

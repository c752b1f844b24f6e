"""Messages that say where each side's shape came from, and the edits that fix them.

"mat1 and mat2 shapes cannot be multiplied (10x1568 and 2048x64): self.fc expects
in_features=2048 (nn.Linear(32*8*8, 64), line 7) but x has 1568 = 32*7*7 (x.view(x.size(0), -1),
line 11, from [10, 32, 7, 7])" is built here from the rule's ShapeError and the origins the
interpreter kept on every tensor.
"""

from __future__ import annotations

import ast
from typing import Optional

from .. import codes
from ..dims import Checker, Expr, Shape, ShapeError, dim_text, eq, product, sym
from .inputs import annotation_shape
from .report import Fix, Related, TextEdit
from .runs import Finding
from .values import LayerV, TensorV


def layer_summary(layer: Optional[LayerV]) -> str:
    return layer.text if layer is not None else ""


def _where(tensor: TensorV) -> str:
    origin = tensor.origin
    if origin is None:
        return ""
    source = ""
    if origin.inputs and isinstance(origin.inputs[0], TensorV) and origin.inputs[0].shape.is_fixed:
        source = f", from {origin.inputs[0].shape}"
    return f" ({origin.text}, line {origin.line}{source})"


def _formula(tensor: TensorV, value) -> str:
    """``1568 = 32*7*7`` when the value is the product of axes the tensor was flattened from."""
    origin = tensor.origin
    if type(value) is not int or origin is None or not origin.inputs:
        return ""
    source = origin.inputs[0]
    if not isinstance(source, TensorV) or not source.shape.is_fixed:
        return ""
    dims = source.shape.dims
    for start in range(1, len(dims) - 1):
        tail = dims[start:]
        if all(type(d) is int for d in tail) and product(tail) == value:
            return " = " + "*".join(str(d) for d in tail)
    return ""


def _related(interp, tensor: TensorV, label: str) -> list:
    origin = tensor.origin
    if origin is None or not origin.line:
        return []
    span = interp.module.source.span(_line_node(interp, origin.line))
    return [Related(span, f"{label}: {tensor.shape} ({origin.text})", origin.file or None)]


def _line_node(interp, line: int):
    """A node spanning the non-blank part of a source line (for related locations)."""
    text = interp.module.source.lines[line - 1] if 0 < line <= len(interp.module.source.lines) else ""
    start = len(text) - len(text.lstrip())
    node = ast.Pass()
    node.lineno, node.end_lineno = line, line
    node.col_offset = len(text[:start].encode())
    node.end_col_offset = len(text.rstrip().encode())
    return node


def operand_texts(interp, node, count: int) -> list:
    """Source text of each operand, aligned with the argument values of the call."""
    segment = interp.module.source.segment
    if isinstance(node, ast.BinOp):
        return [segment(node.left), segment(node.right)]
    if isinstance(node, ast.Compare):
        return [segment(node.left)] + [segment(c) for c in node.comparators]
    if isinstance(node, ast.Subscript):
        return [segment(node.value), segment(node.slice)]
    if isinstance(node, ast.Call):
        texts = [segment(a) for a in node.args]
        if isinstance(node.func, ast.Attribute) and len(texts) < count:
            texts = [segment(node.func.value)] + texts
        return texts
    return []


def call_error(interp, err: ShapeError, node, callee: str, rule, layer: Optional[LayerV], args, kwargs) -> Finding:
    source = interp.module.source
    texts = operand_texts(interp, node, len(args))
    named = dict(zip(rule.forward_params if layer is not None else rule_params(rule), args))
    named.update(kwargs)
    texts_by_param = dict(zip(rule.forward_params if layer is not None else rule_params(rule), texts))
    culprit = named.get(err.arg) if err.arg else None
    if not isinstance(culprit, TensorV):
        culprit = next((a for a in args if isinstance(a, TensorV)), None)
    culprit_text = texts_by_param.get(err.arg) or (texts[0] if texts else "the input")
    related: list = []
    fixes: list = []
    if layer is not None and err.param and err.param in layer.layer.ctor:
        expected = layer.layer.ctor[err.param]
        message = f"{err.message}: {callee} expects {err.param}={dim_text(expected)} ({layer.text}, line {layer.line})"
        if isinstance(culprit, TensorV) and err.actual is not None:
            message += f" but {culprit_text} has {dim_text(err.actual)}{_formula(culprit, err.actual)}{_where(culprit)}"
        related.append(Related(source.span(layer.call), f"{err.param}={dim_text(expected)} is set here"))
        fix = change_argument(interp, layer, err.param, err.actual)
        if fix is not None:
            fixes.append(fix)
    else:
        parts = []
        for text, value in zip(texts, args):
            if isinstance(value, TensorV) and value.shape.is_fixed:
                parts.append(f"{text} is {value.shape}{_where(value)}")
        message = err.message + (": " + "; ".join(parts) if parts else "")
    for text, value in zip(texts, args):
        if isinstance(value, TensorV):
            related.extend(_related(interp, value, text))
    fixes.extend(op_fixes(interp, err, node, rule, args))
    return Finding(source.span(node), codes.lookup(err.code).severity, err.code, message, fixes, related)


def rule_params(rule) -> list:
    return rule.forward_params


def construction_error(interp, err: ShapeError, node, rule) -> Finding:
    return Finding(interp.module.source.span(node), codes.lookup(err.code).severity, err.code, err.message)


def condition_warning(interp, condition, node, callee: str) -> Finding:
    message = f"{condition.message}, unless {condition.cond}"
    if callee:
        message = f"{callee}: {message}"
    return Finding(interp.module.source.span(node), "warning", condition.code, message)


def return_annotation_error(func, params: dict, result, facts) -> Optional[Finding]:
    """A function whose result certainly differs from its shape annotation
    (``-> Float[Tensor, "b d"]`` returning ``[b, 1, d]``)."""
    node = func.node
    returns = getattr(node, "returns", None)
    if returns is None or not isinstance(result, TensorV) or not result.shape.is_fixed:
        return None
    anonymous = iter(range(1 << 30))

    def as_named(label):
        return sym(label if label else f"_{next(anonymous)}")

    sizes: dict = {}
    for param in node.args.posonlyargs + node.args.args + node.args.kwonlyargs:
        value, declared = params.get(param.arg), annotation_shape(param.annotation, as_named)
        if (
            isinstance(value, TensorV)
            and value.shape.is_fixed
            and declared is not None
            and declared.is_fixed
            and declared.rank == value.shape.rank
        ):
            for want, have in zip(declared.dims, value.shape.dims):
                if isinstance(want, Expr) and len(want.symbols()) == 1:
                    sizes.setdefault(next(iter(want.symbols())), have)
    expected = annotation_shape(returns, as_named)
    if expected is None or not expected.is_fixed:
        return None
    expected = expected.substitute(sizes)
    actual = result.shape
    if actual.rank == expected.rank and all(
        facts.decide(eq(a, e)) is not False for a, e in zip(actual.dims, expected.dims)
    ):
        return None
    source = func.module.source
    return Finding(
        source.span(returns),
        codes.RETURN_ANNOTATION.severity,
        codes.RETURN_ANNOTATION,
        f"{func.name} returns {actual.simplify(facts)} but its annotation says {expected} ({source.segment(returns)})",
    )


LOST = "shapes are not followed past this point: "


def lost_note(interp, node, reason: str) -> Finding:
    """A note, not a problem (severity hint: editors keep it out of their problem lists)."""
    return Finding(interp.module.source.span(node), codes.INFERENCE_LOST.severity, codes.INFERENCE_LOST, LOST + reason)


# -- fixes ----------------------------------------------------------------------------------


def change_argument(interp, layer: LayerV, param: str, value) -> Optional[Fix]:
    """Set a constructor argument of ``layer`` to ``value`` (an int), editing its call."""
    if type(value) is not int or layer.call is None or layer.file != interp.module.source.path:
        return None
    source = interp.module.source
    node = layer.arg_nodes.get(param)
    if node is not None:
        edit = TextEdit(source.span(node), str(value))
    else:
        call = layer.call
        end = source.span(call)
        insert = end.__class__(end.end_line, end.end_col - 1, end.end_line, end.end_col - 1)
        sep = ", " if call.args or call.keywords else ""
        edit = TextEdit(insert, f"{sep}{param}={value}")
    return Fix(f"Change {param} to {value}", (edit,))


def op_fixes(interp, err: ShapeError, node, rule, args) -> list:
    """The special fix the code's row in the table names (``codes.py``'s fix column), if any."""
    fix = codes.lookup(err.code).fix
    return FIXES[fix](interp, err, node, rule, args) if fix else []


def _producer_fixes(interp, err: ShapeError, node, rule, args) -> list:
    """Change the layer that set the input's axis to the size the target needs."""
    if not args or not isinstance(args[0], TensorV) or err.axis is None:
        return []
    axis = err.axis if err.axis >= 0 else args[0].shape.rank + err.axis if args[0].shape.is_fixed else None
    if axis is not None and 0 <= axis < args[0].shape.rank:
        return reconstruction_fix(interp, args[0], axis, err.expected)
    return []


def _reshape_fixes(interp, err: ShapeError, node, rule, args) -> list:
    """Replace the one literal size that makes the element counts agree (or use -1)."""
    if not isinstance(node, ast.Call) or not args or not isinstance(args[0], TensorV):
        return []
    shape = args[0].shape
    if not shape.is_fixed or not all(type(d) is int for d in shape.dims):
        return []
    size_nodes = list(node.args)
    if len(size_nodes) == 1 and isinstance(size_nodes[0], (ast.Tuple, ast.List)):
        size_nodes = list(size_nodes[0].elts)
    values = args[1:]
    if len(values) == 1 and isinstance(values[0], (tuple, list)):
        values = list(values[0])
    if len(values) != len(size_nodes) or not all(type(v) is int for v in values):
        return []
    total = product(shape.dims)
    source = interp.module.source
    fixes = []
    if -1 not in values:
        for i, (value, size_node) in enumerate(zip(values, size_nodes)):
            others = product(v for j, v in enumerate(values) if j != i)
            if isinstance(size_node, ast.Constant) and others and total % others == 0:
                needed = total // others
                fixes.append(Fix(f"Change size {value} to {needed}", (TextEdit(source.span(size_node), str(needed)),)))
                break
    return fixes


def _transpose_fixes(interp, err: ShapeError, node, rule, args) -> list:
    """Transpose the right operand of a matmul when that makes the inner sizes agree."""
    if len(args) < 2 or not all(isinstance(a, TensorV) for a in args[:2]):
        return []
    right = args[1].shape
    if not right.is_fixed or right.rank < 2:
        return []
    dims = list(right.dims)
    dims[-1], dims[-2] = dims[-2], dims[-1]
    try:
        rule.apply(Checker(interp.run.facts), [args[0].shape, Shape(dims)], {})
    except Exception:
        return []
    texts = operand_texts(interp, node, 2)
    target = (
        node.right
        if isinstance(node, ast.BinOp)
        else (node.args[-1] if isinstance(node, ast.Call) and node.args else None)
    )
    if target is None or len(texts) < 2:
        return []
    text = interp.module.source.segment(target)
    new = f"{text}.T" if right.rank == 2 else f"{text}.transpose(-2, -1)"
    if not isinstance(target, (ast.Name, ast.Attribute, ast.Call, ast.Subscript)):
        new = f"({text})" + new[len(text) :]
    return [Fix(f"Transpose {text}", (TextEdit(interp.module.source.span(target), new),))]


# The table's fix column: a fix's name -> the function that builds it from a rule's ShapeError.
FIXES = {
    "resize-producing-layer": _producer_fixes,
    "change-one-size": _reshape_fixes,
    "transpose-right-operand": _transpose_fixes,
}


# -- reconstructions ------------------------------------------------------------------------

RECONSTRUCTION_HINTS = ("encoder", "decoder", "enc", "dec")
OUTPUT_PARAMS = ("out_channels", "out_features", "num_features", "embedding_dim", "hidden_size")


def producing_layer(tensor: TensorV, axis: int):
    """The layer that last set ``axis`` of ``tensor``, walking back through shape-keeping ops."""
    current = tensor
    for _ in range(64):
        origin = current.origin
        if origin is None:
            return None
        layer = origin.layer
        if layer is not None:
            for param in OUTPUT_PARAMS:
                if param in layer.layer.ctor and layer.layer.ctor[param] == current.shape[axis]:
                    return layer, param
        if not origin.inputs or not isinstance(origin.inputs[0], TensorV):
            return None
        previous = origin.inputs[0]
        if not previous.shape.is_fixed or previous.shape.rank != current.shape.rank:
            return None
        current = previous
    return None


def reconstruction_fix(interp, output: TensorV, axis: int, wanted) -> list:
    found = producing_layer(output, axis) if output.shape.is_fixed else None
    if found is None:
        return []
    layer, param = found
    fix = change_argument(interp, layer, param, wanted)
    return [fix] if fix is not None else []


def reconstruction_warning(interp, model, args, result, node) -> Optional[Finding]:
    """An encoder/decoder model whose output differs from its input: the seed's silent bug."""
    attrs = getattr(model, "attrs", {})
    names = " ".join(attrs).lower() + " " + getattr(getattr(model, "cls", None), "name", "").lower()
    if not any(h in names for h in RECONSTRUCTION_HINTS) and "autoencoder" not in names:
        return None
    if not args or not isinstance(args[0], TensorV) or not isinstance(result, TensorV):
        return None
    given, produced = args[0].shape, result.shape
    if not given.is_fixed or not produced.is_fixed or given.rank != produced.rank or given == produced:
        return None
    axes = [i for i, (a, b) in enumerate(zip(given.dims, produced.dims)) if a != b]
    if len(axes) != 1 or not all(type(d) is int for d in (given[axes[0]], produced[axes[0]])):
        return None
    axis = axes[0]
    source = interp.module.source
    message = (
        f"{model.cls.name} reconstructs {produced} from an input of {given}: axis {axis} is "
        f"{produced[axis]}, not {given[axis]}; comparing the two (e.g. a loss) will fail"
    )
    fixes = reconstruction_fix(interp, result, axis, given[axis])
    related = [Related(f.edits[0].span, "the layer that sets this axis") for f in fixes]
    return Finding(
        source.span(node), codes.RECONSTRUCTION_SHAPE.severity, codes.RECONSTRUCTION_SHAPE, message, fixes, related
    )

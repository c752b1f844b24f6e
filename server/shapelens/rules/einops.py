"""einops: rearrange, reduce, repeat, einsum, pack/unpack and the Rearrange/Reduce layers.

Patterns are parsed here the way einops parses them (no einops import): names, anonymous axes,
one level of parentheses, one ellipsis. Splitting an axis needs divisibility: with symbolic
sizes the rule states it (``(H*W) % 14 == 0``), with concrete sizes it fails as einops does.
"""

from __future__ import annotations

from typing import Optional, Union

from .. import codes
from ..dims import Checker, Lost, Shape, dim_text, divides, eq, ge, is_dim, product
from ._common import tensor as shape_of
from ._common import contract
from ._registry import layer, op

_ELLIPSIS = "…"  # einops' own marker for "..."
_REDUCTIONS = ("min", "max", "sum", "mean", "prod", "any", "all")


class _Anonymous:
    """A numbered axis (``2`` in ``(h 2)``); like einops, no two are the same axis."""

    __slots__ = ("value",)

    def __init__(self, value: int):
        self.value = value

    def __repr__(self) -> str:
        return f"{self.value}-axis"


class _Expression:
    """One side of a pattern: ``composition`` is a list of groups (lists of axes) and ``…``."""

    def __init__(self, fail, text: str, allow_underscore: bool = False, allow_duplicates: bool = False):
        self.identifiers: set = set()
        self.composition: list = []
        self.has_ellipsis = False
        self.ellipsis_parenthesized = False
        if "." in text:
            if "..." not in text:
                fail("Expression may contain dots only inside ellipsis (...)")
            if text.count("...") != 1 or text.count(".") != 3:
                fail("Expression may contain dots only inside ellipsis (...); only one ellipsis for tensor ")
            text = text.replace("...", _ELLIPSIS)
            self.has_ellipsis = True
        group: Optional[list] = None
        name = ""
        for char in text + " ":
            if char in "() ":
                if name:
                    self._add(fail, name, group, allow_underscore, allow_duplicates)
                name = ""
                if char == "(":
                    if group is not None:
                        fail("Axis composition is one-level (brackets inside brackets not allowed)")
                    group = []
                elif char == ")":
                    if group is None:
                        fail("Brackets are not balanced")
                    self.composition.append(group)
                    group = None
            elif char.isalnum() or char in ("_", _ELLIPSIS):
                name += char
            else:
                fail(f"Unknown character '{char}'")
        if group is not None:
            fail(f'Imbalanced parentheses in expression: "{text}"')

    def _add(self, fail, name: str, group, allow_underscore: bool, allow_duplicates: bool) -> None:
        if name in self.identifiers and not (allow_underscore and name == "_") and not allow_duplicates:
            fail(f'Indexing expression contains duplicate dimension "{name}"')
        if name == _ELLIPSIS:
            self.identifiers.add(_ELLIPSIS)
            if group is None:
                self.composition.append(_ELLIPSIS)
            else:
                group.append(_ELLIPSIS)
                self.ellipsis_parenthesized = True
            return
        if name.isdecimal():
            value = int(name)
            if value == 1:
                if group is None:
                    self.composition.append([])
                return
            if value < 1:
                fail(f"Anonymous axis should have positive length, not {value}")
            axis: Union[str, _Anonymous] = _Anonymous(value)
        else:
            reason = _axis_name_problem(name, allow_underscore)
            if reason:
                fail(f"Invalid axis identifier: {name} {reason}")
            axis = name
        self.identifiers.add(axis)
        if group is None:
            self.composition.append([axis])
        else:
            group.append(axis)

    @property
    def has_anonymous(self) -> bool:
        return any(isinstance(a, _Anonymous) for a in self.identifiers)


def _axis_name_problem(name: str, allow_underscore: bool = False) -> str:
    if not name.isidentifier():
        return "not a valid python identifier"
    if name[0] == "_" or name[-1] == "_":
        if name == "_" and allow_underscore:
            return ""
        return "axis name should should not start or end with underscore"
    return ""


def _failing(ctx: Checker, prefix: str, code: str = codes.INVALID_ARGUMENT, **details):
    """A ``fail(detail)`` that raises einops' message: where it happened, then what."""

    def fail(detail: str):
        ctx.fail(code, f"{prefix} {detail}", **details)

    return fail


class _Recipe:
    """A parsed and validated pattern, before any tensor is seen (what an einops layer builds)."""

    def __init__(self, ctx: Checker, pattern, operation: str, axes_names: tuple, prefix: str):
        if not isinstance(pattern, str):
            raise Lost("the einops pattern is not known")
        fail = _failing(ctx, prefix, param="pattern")
        sides = pattern.split("->")
        if len(sides) != 2:
            ctx.fail(
                codes.INVALID_ARGUMENT,
                "too many values to unpack (expected 2)"
                if len(sides) > 2
                else "not enough values to unpack (expected 2, got 1)",
                param="pattern",
            )
        left, right = _Expression(fail, sides[0]), _Expression(fail, sides[1])
        if not left.has_ellipsis and right.has_ellipsis:
            fail(f"Ellipsis found in right side, but not left side of a pattern {pattern}")
        if left.has_ellipsis and left.ellipsis_parenthesized:
            fail(f"Ellipsis inside parenthesis in the left side is not allowed: {pattern}")
        if operation == "rearrange":
            if left.has_anonymous or right.has_anonymous:
                fail("Non-unitary anonymous axes are not supported in rearrange (exception is length 1)")
            difference = left.identifiers ^ right.identifiers
            if difference:
                fail(f"Identifiers only on one side of expression (should be on both): {_names(difference)}")
        elif operation == "repeat":
            difference = left.identifiers - right.identifiers
            if difference:
                fail(f"Unexpected identifiers on the left side of repeat: {_names(difference)}")
            unsized = {a for a in right.identifiers if not isinstance(a, _Anonymous)} - left.identifiers
            unsized -= set(axes_names)
            if unsized:
                fail(f"Specify sizes for new axes in repeat: {_names(unsized)}")
        elif operation in _REDUCTIONS:
            difference = right.identifiers - left.identifiers
            if difference:
                fail(f"Unexpected identifiers on the right side of reduce {operation}: {_names(difference)}")
        else:
            fail(f"Unknown reduction {operation}. Expect one of {_REDUCTIONS}.")
        known = set(axes_names)
        for name in axes_names:
            if _axis_name_problem(name):
                fail(f"('Invalid name for an axis', '{name}')")
            if name not in left.identifiers and name not in right.identifiers:
                fail(f"Axis {name} is not used in transform")
        for group in left.composition:
            if group == _ELLIPSIS:
                continue
            unknown = [a for a in group if isinstance(a, str) and a not in known]
            if len(unknown) > 1:
                fail(f"Could not infer sizes for {_names(unknown)}")
        self.left, self.right, self.operation, self.pattern = left, right, operation, pattern

    def apply(self, ctx: Checker, x: Shape, axes_lengths: dict) -> Shape:
        """The output shape for input ``x``; each input axis must split as the pattern says."""
        prefix = (
            f'Error while processing {self.operation}-reduction pattern "{self.pattern}". '
            f"Input tensor shape: {x}. Additional info: {axes_lengths}."
        )
        left = self.left.composition
        if self.left.has_ellipsis:
            others = len(left) - 1
            ctx.check(
                x.rank >= others,
                codes.RANK,
                f"{prefix} Wrong shape: expected >={others} dims. Received {x.rank}-dim tensor.",
                arg="tensor",
            )
        else:
            ctx.check(
                x.rank == len(left),
                codes.RANK,
                f"{prefix} Wrong shape: expected {len(left)} dims. Received {x.rank}-dim tensor.",
                arg="tensor",
            )
        lengths: dict = {}
        for name, value in axes_lengths.items():
            if not is_dim(value):
                raise Lost(f"the length of axis {name} is not known")
            lengths[name] = value
        ellipsis: list = []
        axis = 0
        for group in left:
            if group == _ELLIPSIS:
                ellipsis = list(x.dims[axis : axis + x.rank - (len(left) - 1)])
                axis += len(ellipsis)
                continue
            self._split(ctx, x, axis, group, lengths, prefix)
            axis += 1
        out = []
        for group in self.right.composition:
            if group == _ELLIPSIS:
                out.extend(ellipsis)
                continue
            sizes = []
            for a in group:
                if a == _ELLIPSIS:
                    sizes.extend(ellipsis)
                else:
                    sizes.append(a.value if isinstance(a, _Anonymous) else lengths[a])
            out.append(product(sizes))
        return Shape(out)

    @staticmethod
    def _split(ctx: Checker, x: Shape, axis: int, group: list, lengths: dict, prefix: str) -> None:
        """Learn the lengths of the axes composed into ``x[axis]`` (at most one is unknown)."""
        length = x[axis]
        unknown = [a for a in group if isinstance(a, str) and a not in lengths]
        known = product(a.value if isinstance(a, _Anonymous) else lengths[a] for a in group if a not in unknown)
        if not unknown:
            ctx.check(
                eq(length, known),
                codes.EINOPS_SHAPE,
                lambda: f"{prefix} Shape mismatch, {dim_text(length)} != {dim_text(known)}",
                expected=known,
                actual=length,
                arg="tensor",
                axis=axis,
            )
            return
        if known == 1:
            lengths[unknown[0]] = length
            return
        ctx.check(
            divides(known, length),
            codes.EINOPS_SHAPE,
            lambda: (
                f"{prefix} Shape mismatch, can't divide axis of length {dim_text(length)} in "
                f"chunks of {dim_text(known)}"
            ),
            arg="tensor",
            axis=axis,
        )
        ctx.facts.learn_divides(known, length)
        lengths[unknown[0]] = ctx.simplify(length // known)


def _names(axes) -> str:
    """A set of axes as einops prints it: ``{'h', 'w'}``."""
    return "{" + ", ".join(repr(a) for a in sorted(axes, key=str)) + "}"


def _input(ctx: Checker, value) -> Shape:
    """einops' tensor argument: a tensor, or a list of same-shaped tensors stacked on axis 0."""
    if not isinstance(value, (list, tuple)):
        return shape_of(value, "tensor")
    ctx.check(
        len(value) > 0,
        codes.INVALID_ARGUMENT,
        "Rearrange/Reduce/Repeat can't be applied to an empty list",
        arg="tensor",
    )
    shapes = [shape_of(v, "tensor") for v in value]
    first = shapes[0]
    for i, x in enumerate(shapes[1:], 1):
        same = x.rank == first.rank
        ctx.check(
            same,
            codes.EINOPS_SHAPE,
            f"stack expects each tensor to be equal size, but got {first} at entry 0 and {x} at entry {i}",
            arg="tensor",
        )
        for a, b in zip(first.dims, x.dims):
            ctx.check(
                eq(a, b),
                codes.EINOPS_SHAPE,
                lambda: f"stack expects each tensor to be equal size, but got {first} at entry 0 and {x} at entry {i}",
                expected=a,
                actual=b,
                arg="tensor",
            )
    return Shape((len(shapes),) + first.dims)


def _transform(ctx: Checker, tensor_, pattern, operation: str, axes_lengths: dict) -> Shape:
    prefix = f'Error while processing {operation}-reduction pattern "{pattern}".'
    recipe = _Recipe(ctx, pattern, operation, tuple(axes_lengths), prefix)
    return recipe.apply(ctx, _input(ctx, tensor_), axes_lengths)


@op("einops.rearrange")
def rearrange(ctx, tensor, pattern, **axes_lengths):
    """'b (h w) c -> b c h w' -> [b, c, h, w]: split and merged axes, reordered."""
    return _transform(ctx, tensor, pattern, "rearrange", axes_lengths)


@op("einops.reduce")
def reduce(ctx, tensor, pattern, reduction, **axes_lengths):
    """'b c h w -> b c' -> [b, c]: axes missing on the right are reduced."""
    return _transform(ctx, tensor, pattern, _reduction(reduction), axes_lengths)


@op("einops.repeat")
def repeat(ctx, tensor, pattern, **axes_lengths):
    """'h w -> h w c' with c=3 -> [h, w, 3]: axes new on the right are repeated."""
    return _transform(ctx, tensor, pattern, "repeat", axes_lengths)


def _reduction(reduction) -> str:
    if not isinstance(reduction, str):
        raise Lost("a custom reduction may change the shape")
    return reduction


def _layer_axes(extra: dict) -> dict:
    """A layer's ``**axes_lengths``: the registry binds a constructor's ``**kwargs`` as ``kwargs``."""
    if set(extra) <= {"args", "kwargs"} and isinstance(extra.get("kwargs"), dict):
        if extra.get("args"):
            raise Lost("axes lengths given positionally")
        return dict(extra["kwargs"])
    return dict(extra)


def _layer_recipe(ctx: Checker, name: str, pattern, operation: str, extra: dict) -> _Recipe:
    axes_lengths = _layer_axes(extra)
    shown = ", ".join([repr(pattern)] + [f"{k}={v}" for k, v in axes_lengths.items()])
    return _Recipe(ctx, pattern, operation, tuple(axes_lengths), f"Error while preparing {name}({shown})")


def _check_rearrange(ctx, pattern, **extra):
    _layer_recipe(ctx, "Rearrange", pattern, "rearrange", extra)


@layer("einops.layers.torch.Rearrange", init=_check_rearrange)
def rearrange_layer(ctx, input, *, pattern, **extra):
    """[*] -> as einops.rearrange; the pattern is checked when the layer is built."""
    axes_lengths = _layer_axes(extra)
    recipe = _layer_recipe(ctx, "Rearrange", pattern, "rearrange", extra)
    return recipe.apply(ctx, shape_of(input), axes_lengths)


def _check_reduce(ctx, pattern, reduction, **extra):
    _layer_recipe(ctx, "Reduce", pattern, _reduction(reduction), extra)


@layer("einops.layers.torch.Reduce", init=_check_reduce)
def reduce_layer(ctx, input, *, pattern, reduction, **extra):
    """[*] -> as einops.reduce; the pattern is checked when the layer is built."""
    axes_lengths = _layer_axes(extra)
    recipe = _layer_recipe(ctx, "Reduce", pattern, _reduction(reduction), extra)
    return recipe.apply(ctx, shape_of(input), axes_lengths)


@op("einops.einsum")
def einsum(ctx, *tensors_and_pattern):
    """x, y, 'b i d, b j d -> b i j' -> [b, i, j]: torch.einsum with named axes."""
    ctx.check(
        len(tensors_and_pattern) > 1,
        codes.INVALID_ARGUMENT,
        "`einops.einsum` takes at minimum two arguments: the tensors (at least one), followed by the pattern.",
    )
    *operands, pattern = tensors_and_pattern
    if not isinstance(pattern, str):
        raise Lost("the einsum pattern is not known")
    fail = _failing(ctx, "", param="pattern")
    ctx.check("->" in pattern, codes.INVALID_ARGUMENT, "Einsum pattern must contain '->'.", param="pattern")
    sides = pattern.split("->")
    ctx.check(len(sides) == 2, codes.INVALID_ARGUMENT, "too many values to unpack (expected 2)", param="pattern")
    lefts, right = sides
    inputs = [
        _einsum_labels(fail, _Expression(fail, left, allow_underscore=True, allow_duplicates=True))
        for left in lefts.split(",")
    ]
    output = _einsum_labels(fail, _Expression(fail, right, allow_underscore=True))
    seen = {label for labels in inputs for label in labels}
    for i, label in enumerate(output):
        ctx.check(
            label not in output[:i],
            codes.INVALID_ARGUMENT,
            f"einsum(): output subscript {label} appears more than once in the output",
            param="pattern",
        )
        if label != "...":
            ctx.check(
                label in seen,
                codes.INVALID_ARGUMENT,
                f"Unknown axis {label} on right side of einsum {pattern}.",
                param="pattern",
            )
    ctx.check(len(seen - {"..."}) <= 52, codes.INVALID_ARGUMENT, "Too many axes in einsum.", param="pattern")
    ctx.check(
        len(inputs) == len(operands),
        codes.INVALID_ARGUMENT,
        "einsum(): more operands were provided than specified in the equation"
        if len(operands) > len(inputs)
        else "einsum(): fewer operands were provided than specified in the equation",
    )
    shapes = [shape_of(x, f"tensor {i}") for i, x in enumerate(operands)]
    return contract(ctx, shapes, inputs, output)


def _einsum_labels(fail, expression: _Expression) -> list:
    """An einops einsum side as torch einsum labels (axis names; ``...`` for the ellipsis)."""
    labels = []
    for group in expression.composition:
        if group == _ELLIPSIS:
            labels.append("...")
            continue
        if len(group) == 0:
            fail("Singleton () axes are not yet supported in einsum.")
        if len(group) > 1:
            fail("Shape rearrangement is not yet supported in einsum.")
        if isinstance(group[0], _Anonymous):
            fail("Anonymous axes are not yet supported in einsum.")
        labels.append(group[0])
    return labels


# ---------------------------------------------------------------------------------------------
# pack / unpack


def _pack_pattern(ctx: Checker, pattern, opname: str) -> tuple:
    """(axes before ``*``, axes after): ``'b * c'`` -> (1, 1)."""
    if not isinstance(pattern, str):
        raise Lost("the pack pattern is not known")
    axes = pattern.split()
    ctx.check(
        len(axes) == len(set(axes)),
        codes.INVALID_ARGUMENT,
        f'Duplicates in axes names in {opname}(..., "{pattern}")',
        param="pattern",
    )
    ctx.check("*" in axes, codes.INVALID_ARGUMENT, f'No *-axis in {opname}(..., "{pattern}")', param="pattern")
    for axis in axes:
        ctx.check(
            axis == "*" or not _axis_name_problem(axis),
            codes.INVALID_ARGUMENT,
            f'Invalid axis name {axis} in {opname}(..., "{pattern}")',
            param="pattern",
        )
    before = axes.index("*")
    return before, len(axes) - before - 1


@op("einops.pack")
def pack(ctx, tensors, pattern):
    """[b, *p1, c], [b, *p2, c] with 'b * c' -> ([b, prod(p1) + prod(p2), c], packed shapes)."""
    before, after = _pack_pattern(ctx, pattern, "pack")
    if not isinstance(tensors, (list, tuple)):
        raise Lost("the list of tensors is not known")
    shapes = [shape_of(t, "tensors") for t in tensors]
    ctx.check(len(shapes) > 0, codes.INVALID_ARGUMENT, "list index out of range", arg="tensors")
    flat = []
    packed = []
    for i, x in enumerate(shapes):
        ctx.check(
            x.rank >= before + after,
            codes.RANK,
            f"packed tensor #{i} (enumeration starts with 0) has shape {x}, while pattern {pattern} "
            f"assumes at least {before + after} axes",
            arg="tensors",
        )
        middle = x.dims[before : x.rank - after]
        packed.append(tuple(middle))
        flat.append(x.with_last(x.rank - before, (product(middle),) + x.dims[x.rank - after :]))
    first = flat[0]
    for i, x in enumerate(flat[1:], 1):
        for axis, (a, b) in enumerate(zip(first.dims, x.dims)):
            if axis == before:
                continue
            ctx.check(
                eq(a, b),
                codes.EINOPS_SHAPE,
                lambda: (
                    f"Sizes of tensors must match except in dimension {before}. Expected size "
                    f"{dim_text(a)} but got size {dim_text(b)} for tensor number {i} in the list."
                ),
                expected=a,
                actual=b,
                arg="tensors",
                axis=axis,
            )
    total = sum((x[before] for x in flat[1:]), flat[0][before])
    return first.replace(before, total), packed


@op("einops.unpack")
def unpack(ctx, tensor, packed_shapes, pattern):
    """[b, n, c] with 'b * c' and packed shapes -> [b, *p1, c], [b, *p2, c], ...; the sizes sum to n."""
    before, after = _pack_pattern(ctx, pattern, "unpack")
    x = shape_of(tensor)
    ctx.check(
        x.rank == before + 1 + after,
        codes.RANK,
        f"unpack(..., {pattern}) received input of wrong dim with shape {x}",
        arg="tensor",
    )
    if not isinstance(packed_shapes, (list, tuple)) or not all(isinstance(p, (list, tuple)) for p in packed_shapes):
        raise Lost("the packed shapes are not known")
    unknown = [i for i, p in enumerate(packed_shapes) if any(d == -1 for d in p if isinstance(d, int))]
    ctx.check(
        len(unknown) <= 1,
        codes.INVALID_ARGUMENT,
        f"unpack(..., {pattern}) received more than one -1 in {packed_shapes} and can't infer dimensions",
        param="packed_shapes",
    )
    message = lambda: (
        f'Error during unpack(..., "{pattern}"): could not split axis of size '
        f"{dim_text(x[before])} into requested {packed_shapes}"
    )
    sizes = [None if i in unknown else product(p) for i, p in enumerate(packed_shapes)]
    known = sum(s for s in sizes if s is not None)
    shapes = [list(p) for p in packed_shapes]
    if unknown:
        i = unknown[0]
        rest = x[before] - known
        others = product(d for d in packed_shapes[i] if d != -1)
        ctx.check(ge(rest, 0), codes.EINOPS_SHAPE, message, arg="tensor", axis=before)
        ctx.check(divides(others, rest), codes.EINOPS_SHAPE, message, arg="tensor", axis=before)
        shapes[i] = [rest // others if d == -1 else d for d in packed_shapes[i]]
    else:
        ctx.check(
            eq(known, x[before]),
            codes.EINOPS_SHAPE,
            message,
            expected=known,
            actual=x[before],
            arg="tensor",
            axis=before,
        )
    return [Shape(x.dims[:before] + tuple(p) + x.dims[before + 1 :]) for p in shapes]

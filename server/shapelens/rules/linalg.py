"""Products and contractions: matmul and its 1-D/2-D/batched forms, the add* fused ops, einsum."""

from __future__ import annotations

from .. import codes
from ..dims import (
    Checker,
    Lost,
    Shape,
    any_of,
    broadcast,
    dim_text,
    eq,
    normalize_axis,
    product,
)
from ._common import ELLIPSIS, broadcast_size, contract, tensor
from ._registry import op

# ---------------------------------------------------------------------------------------------
# shared helpers


def _expand(ctx: Checker, input: Shape, target: Shape, arg: str = "input") -> None:
    """``input.expand(target)``: as many or fewer axes, each equal to the target's or 1."""
    if input.rank > target.rank:
        ctx.fail(
            codes.RANK,
            f"expand({input}, size={target}): the number of sizes provided "
            f"({target.rank}) must be greater or equal to the number of dimensions in "
            f"the tensor ({input.rank})",
            arg=arg,
        )
    offset = target.rank - input.rank
    for i, (d, t) in enumerate(zip(input.dims, target.dims[offset:])):
        if d == 1 or d == t:
            continue
        ctx.check(
            any_of(eq(d, t), eq(d, 1)),
            codes.BROADCAST,
            lambda: (
                f"The expanded size of the tensor ({dim_text(t)}) must match the existing "
                f"size ({dim_text(d)}) at non-singleton dimension {i + offset}.  Target "
                f"sizes: {target}.  Tensor sizes: {input}"
            ),
            expected=t,
            actual=d,
            arg=arg,
            axis=i - input.rank,
        )


def _x(*dims) -> str:
    """``2x3``, as torch prints matrix sizes in messages (``*`` for a size of unknown rank)."""
    return "x".join(d if isinstance(d, str) else dim_text(d, paren=True) for d in dims)


def _rows(x: Shape):
    """All axes but the last, folded: what torch's mm sees of a batched left operand."""
    return product(x.dims[:-1]) if x.is_fixed else "*"


def _append(x: Shape, dims) -> Shape:
    dims = tuple(dims)
    return Shape(x.prefix + dims) if x.is_fixed else Shape(x.prefix, x.star, x.suffix + dims)


def _is_vector(x: Shape, name: str) -> bool:
    """Whether a matmul operand is 1-D; a variadic shape must show two trailing axes."""
    if x.is_fixed:
        return x.rank == 1
    if len(x.suffix) >= 2:
        return False
    raise Lost(f"whether {name} is a vector or a matrix is not known")


# ---------------------------------------------------------------------------------------------
# matmul and its fixed-rank forms


@op("torch.matmul", "torch.Tensor.matmul", "torch.Tensor.__matmul__")
def matmul(ctx, input, other, *, out=None):
    """[*, n, k] @ [*, k, m] -> [*, n, m]; a 1-D side is promoted then removed, batches broadcast."""
    return _matmul(ctx, tensor(input), tensor(other, "other"))


@op("torch.Tensor.__rmatmul__")
def rmatmul(ctx, input, other):
    """other [*, n, k] @ input [*, k, m] -> [*, n, m]: the reflected ``@``."""
    return _matmul(ctx, tensor(other, "other"), tensor(input), arg="input")


def _matmul(ctx: Checker, a: Shape, b: Shape, arg: str = "other") -> Shape:
    if (a.is_fixed and a.rank == 0) or (b.is_fixed and b.rank == 0):
        ra = a.rank if a.is_fixed else a.min_rank
        rb = b.rank if b.is_fixed else b.min_rank
        ctx.fail(codes.RANK, f"both arguments to matmul need to be at least 1D, but they are {ra}D and {rb}D")
    a_vec, b_vec = _is_vector(a, "input"), _is_vector(b, "other")
    k_a, k_b = a[-1], (b[0] if b_vec else b[-2])
    batch_a = Shape() if a_vec else a.with_last(2, ())
    batch_b = Shape() if b_vec else b.with_last(2, ())
    batch = broadcast(ctx, batch_a, batch_b)
    if a_vec and b_vec:
        message = lambda: (
            f"inconsistent tensor size, expected tensor [{dim_text(k_a)}] and src "
            f"[{dim_text(k_b)}] to have the same number of elements, but got "
            f"{dim_text(k_a)} and {dim_text(k_b)} elements respectively"
        )
    elif b_vec:
        message = lambda: f"size mismatch, got input ({_x(_rows(a))}), mat ({_x(_rows(a), k_a)}), vec ({dim_text(k_b)})"
    elif b.is_fixed and b.rank == 2:
        message = lambda: (
            f"mat1 and mat2 shapes cannot be multiplied ({_x(1 if a_vec else _rows(a), k_a)} and {_x(k_b, b[-1])})"
        )
    else:
        message = lambda: (
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{_fold(batch)}, {dim_text(k_a)}] but got: [{_fold(batch)}, {dim_text(k_b)}]."
        )
    ctx.check(eq(k_a, k_b), codes.MATMUL_INNER, message, expected=k_a, actual=k_b, arg=arg, axis=-1 if b_vec else -2)
    return _append(batch, ([] if a_vec else [a[-2]]) + ([] if b_vec else [b[-1]]))


def _fold(batch: Shape) -> str:
    return dim_text(product(batch.dims)) if batch.is_fixed else f"prod({batch})"


def _check_mm(ctx: Checker, a: Shape, b: Shape, arg: str) -> None:
    ctx.check(
        eq(a[1], b[0]),
        codes.MATMUL_INNER,
        lambda: f"mat1 and mat2 shapes cannot be multiplied ({_x(*a)} and {_x(*b)})",
        expected=a[1],
        actual=b[0],
        arg=arg,
        axis=0,
    )


@op("torch.mm", "torch.Tensor.mm")
def mm(ctx, input, mat2, *, out=None):
    """[n, k] x [k, m] -> [n, m]: both must be matrices."""
    a, b = tensor(input), tensor(mat2, "mat2")
    ctx.check(a.rank == 2, codes.RANK, "self must be a matrix", arg="input")
    ctx.check(b.rank == 2, codes.RANK, "mat2 must be a matrix", arg="mat2")
    _check_mm(ctx, a, b, "mat2")
    return Shape([a[0], b[1]])


def _check_bmm(ctx: Checker, a: Shape, b: Shape, names=("batch1", "batch2")) -> None:
    for x, name in zip((a, b), names):
        ctx.check(x.rank == 3, codes.RANK, f"{name} must be a 3D tensor", arg=name)
    message = lambda: (
        f"Expected size for first two dimensions of {names[1]} tensor to be: "
        f"[{dim_text(a[0])}, {dim_text(a[2])}] but got: [{dim_text(b[0])}, {dim_text(b[1])}]."
    )
    ctx.check(eq(a[0], b[0]), codes.MATMUL_BATCH, message, expected=a[0], actual=b[0], arg=names[1], axis=0)
    ctx.check(eq(a[2], b[1]), codes.MATMUL_INNER, message, expected=a[2], actual=b[1], arg=names[1], axis=1)


@op("torch.bmm", "torch.Tensor.bmm")
def bmm(ctx, input, mat2, *, out=None):
    """[b, n, k] x [b, k, m] -> [b, n, m]: 3-D only, the batch sizes equal (no broadcasting)."""
    a, b = tensor(input), tensor(mat2, "mat2")
    _check_bmm(ctx, a, b, ("batch1", "batch2"))
    return Shape([a[0], a[1], b[2]])


def _check_mv(ctx: Checker, mat: Shape, vec: Shape, input_rank: int = 1) -> None:
    ctx.check(
        mat.rank == 2 and vec.rank == 1,
        codes.RANK,
        f"vector + matrix @ vector expected, got {input_rank}, {mat.rank}, {vec.rank}",
    )
    ctx.check(
        eq(mat[1], vec[0]),
        codes.MATMUL_INNER,
        lambda: f"size mismatch, got input ({dim_text(mat[0])}), mat ({_x(*mat)}), vec ({dim_text(vec[0])})",
        expected=mat[1],
        actual=vec[0],
        arg="vec",
        axis=0,
    )


@op("torch.mv", "torch.Tensor.mv")
def mv(ctx, input, vec, *, out=None):
    """[n, k] x [k] -> [n]."""
    mat, v = tensor(input), tensor(vec, "vec")
    _check_mv(ctx, mat, v)
    return Shape([mat[0]])


def _dot(ctx: Checker, input, other, arg: str) -> Shape:
    a, b = tensor(input), tensor(other, arg)
    ctx.check(a.rank == 1 and b.rank == 1, codes.RANK, f"1D tensors expected, but got {a.rank}D and {b.rank}D tensors")
    ctx.check(
        eq(a[0], b[0]),
        codes.MATMUL_INNER,
        lambda: (
            f"inconsistent tensor size, expected tensor {a} and src {b} to have the same "
            f"number of elements, but got {dim_text(a[0])} and {dim_text(b[0])} elements "
            f"respectively"
        ),
        expected=a[0],
        actual=b[0],
        arg=arg,
        axis=0,
    )
    return Shape()


@op("torch.dot", "torch.Tensor.dot")
def dot(ctx, input, tensor, *, out=None):
    """[n] . [n] -> []."""
    return _dot(ctx, input, tensor, "tensor")


@op("torch.vdot", "torch.Tensor.vdot")
def vdot(ctx, input, other, *, out=None):
    """[n] . [n] -> [] (the first conjugated)."""
    return _dot(ctx, input, other, "other")


@op("torch.inner", "torch.Tensor.inner")
def inner(ctx, input, other, *, out=None):
    """[*a, k], [*b, k] -> [*a, *b]; a 0-D side scales the other."""
    a, b = tensor(input), tensor(other, "other")
    if a.rank == 0:
        return b
    if b.rank == 0:
        return a
    ctx.check(
        eq(a[-1], b[-1]),
        codes.MATMUL_INNER,
        lambda: f"inner() the last dimension must match on both input tensors but got shapes {a} and {b}",
        expected=a[-1],
        actual=b[-1],
        arg="other",
        axis=-1,
    )
    return Shape(a.dims[:-1] + b.dims[:-1])


def _outer(ctx: Checker, a: Shape, b: Shape, names=("self", "vec2"), opname: str = "outer") -> Shape:
    for x, name in zip((a, b), names):
        ctx.check(
            x.rank == 1,
            codes.RANK,
            f"{opname}: Expected 1-D argument {name}, but got {x.rank}-D",
            arg="input" if name == "self" else name,
        )
    return Shape([a[0], b[0]])


@op("torch.outer", "torch.Tensor.outer", "torch.ger", "torch.Tensor.ger")
def outer(ctx, input, vec2, *, out=None):
    """[n], [m] -> [n, m]."""
    return _outer(ctx, tensor(input), tensor(vec2, "vec2"))


@op("torch.kron", "torch.Tensor.kron")
def kron(ctx, input, other, *, out=None):
    """[a...], [b...] -> [a*b...]: the shorter shape padded with leading 1s."""
    a, b = tensor(input), tensor(other, "other")
    n = max(a.rank, b.rank)
    da = (1,) * (n - a.rank) + a.dims
    db = (1,) * (n - b.rank) + b.dims
    return Shape(x * y for x, y in zip(da, db))


def _cross(ctx: Checker, a: Shape, b: Shape, dim) -> Shape:
    ctx.check(
        a.rank == b.rank, codes.RANK, "linalg.cross: inputs must have the same number of dimensions.", arg="other"
    )
    if a.rank == 0:
        ctx.fail(codes.DIM_OUT_OF_RANGE, f"Dimension specified as {dim} but tensor has no dimensions", param="dim")
    axis = normalize_axis(ctx, dim, a.rank)
    for x, name in ((a, "input"), (b, "other")):
        ctx.check(
            eq(x[axis], 3),
            codes.INVALID_ARGUMENT,
            lambda: (
                f"linalg.cross: inputs dimension {dim} must have length 3. Got {dim_text(a[axis])} "
                f"and {dim_text(b[axis])}"
            ),
            arg=name,
            axis=axis,
            expected=3,
            actual=x[axis],
        )
    return broadcast(ctx, a, b)


@op("torch.cross", "torch.Tensor.cross")
def cross(ctx, input, other, dim=None, *, out=None):
    """[*a, 3, *b] x [*a, 3, *b] -> broadcast: same rank; dim defaults to the first axis of size 3."""
    a, b = tensor(input), tensor(other, "other")
    if dim is None:  # torch picks it from input's sizes alone
        dim = next((i for i, d in enumerate(a.dims) if ctx.decide(eq(d, 3))), None)
        ctx.check(dim is not None, codes.INVALID_ARGUMENT, "no dimension of size 3 in input", param="dim")
    return _cross(ctx, a, b, dim)


@op("torch.linalg.cross")
def linalg_cross(ctx, input, other, *, dim=-1, out=None):
    """[*a, 3] x [*b, 3] -> broadcast(a, b) + [3]: same rank, the axis dim of size 3 in both."""
    return _cross(ctx, tensor(input), tensor(other, "other"), dim)


def _size(ctx: Checker, x: Shape, d: int):
    """``x.size(d)``: unlike a dim argument, a 0-D tensor has no axis at all."""
    ctx.check(x.rank > 0, codes.DIM_OUT_OF_RANGE, f"Dimension specified as {d} but tensor has no dimensions")
    return x[normalize_axis(ctx, d, x.rank)]


@op("torch.tensordot")
def tensordot(ctx, a, b, dims=2, out=None):
    """a, b -> [a's axes, b's axes] without the ``dims`` contracted (their sizes equal, or 1)."""
    x, y = tensor(a, "a"), tensor(b, "b")
    if isinstance(dims, (tuple, list)):
        if len(dims) != 2:
            ctx.fail(codes.INVALID_ARGUMENT, f"expected 2 lists of dims, got {len(dims)}", param="dims")
        for d, name in zip(dims, ("dims_self", "dims_other")):
            ctx.check(
                isinstance(d, (tuple, list)),
                codes.INVALID_ARGUMENT,
                f"tensordot(): argument '{name}' must be tuple of ints, not {type(d).__name__}",
                param="dims",
            )
        dims_a, dims_b = (list(d) for d in dims)
    elif isinstance(dims, int):
        ctx.check(dims >= 0, codes.INVALID_ARGUMENT, f"tensordot expects dims >= 0, but got dims={dims}", param="dims")
        ctx.check(
            dims <= min(x.rank, y.rank),
            codes.RANK,
            f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}",
            param="dims",
        )
        dims_a, dims_b = list(range(-dims, 0)), list(range(dims))
    else:
        raise Lost("tensordot's dims are not known")
    ctx.check(
        len(dims_a) == len(dims_b), codes.INVALID_ARGUMENT, "both dimension lists should have same length", param="dims"
    )
    for da, db in zip(dims_a, dims_b):
        s1, s2 = _size(ctx, x, da), _size(ctx, y, db)
        broadcast_size(
            ctx,
            s1,
            s2,
            codes.MATMUL_INNER,
            lambda: (
                f"contracted dimensions need to match, but first has size "
                f"{dim_text(s1)} in dim {da} and second has size {dim_text(s2)} in dim {db}"
            ),
            expected=s1,
            actual=s2,
            arg="b",
            axis=db,
        )
    keep = []
    for shape, axes in ((x, dims_a), (y, dims_b)):
        seen = set()
        for d in axes:
            axis = normalize_axis(ctx, d, shape.rank)
            ctx.check(
                axis not in seen,
                codes.INVALID_ARGUMENT,
                f"dim {axis} appears multiple times in the list of dims",
                param="dims",
            )
            seen.add(axis)
        keep += [s for i, s in enumerate(shape.dims) if i not in seen]
    return Shape(keep)


# ---------------------------------------------------------------------------------------------
# fused multiply-adds: the product, then ``input`` expanded to it


@op("torch.addmm", "torch.Tensor.addmm")
def addmm(ctx, input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """input + [n, k] x [k, m] -> [n, m]; input expands to [n, m]."""
    m1, m2 = tensor(mat1, "mat1"), tensor(mat2, "mat2")
    for x, name in ((m1, "mat1"), (m2, "mat2")):
        ctx.check(x.rank == 2, codes.RANK, f"{name} must be a matrix, got {x.rank}-D tensor", arg=name)
    _check_mm(ctx, m1, m2, "mat2")
    result = Shape([m1[0], m2[1]])
    _expand(ctx, tensor(input), result)
    return result


@op("torch.addmv", "torch.Tensor.addmv")
def addmv(ctx, input, mat, vec, *, beta=1, alpha=1, out=None):
    """input + [n, k] x [k] -> [n]; input expands to [n]."""
    x, m, v = tensor(input), tensor(mat, "mat"), tensor(vec, "vec")
    _check_mv(ctx, m, v, x.rank)
    ctx.check(
        x.rank <= 1, codes.RANK, f"vector + matrix @ vector expected, got {x.rank}, {m.rank}, {v.rank}", arg="input"
    )
    result = Shape([m[0]])
    _expand(ctx, x, result)
    return result


@op("torch.addr", "torch.Tensor.addr")
def addr(ctx, input, vec1, vec2, *, beta=1, alpha=1, out=None):
    """input + outer([n], [m]) -> [n, m]; input expands to [n, m]."""
    result = _outer(ctx, tensor(vec1, "vec1"), tensor(vec2, "vec2"), ("vec1", "vec2"), "addr")
    _expand(ctx, tensor(input), result)
    return result


@op("torch.baddbmm", "torch.Tensor.baddbmm")
def baddbmm(ctx, input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """input + [b, n, k] x [b, k, m] -> [b, n, m]; input expands to [b, n, m]."""
    b1, b2 = tensor(batch1, "batch1"), tensor(batch2, "batch2")
    _check_bmm(ctx, b1, b2)
    result = Shape([b1[0], b1[1], b2[2]])
    _expand(ctx, tensor(input), result)
    return result


@op("torch.addbmm", "torch.Tensor.addbmm")
def addbmm(ctx, input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """input + sum over b of [b, n, k] x [b, k, m] -> [n, m]; input expands to [n, m]."""
    b1, b2 = tensor(batch1, "batch1"), tensor(batch2, "batch2")
    for x, name in ((b1, "batch1"), (b2, "batch2")):
        ctx.check(x.rank == 3, codes.RANK, f"{name} must be a 3D tensor", arg=name)
    ctx.check(
        eq(b1[0], b2[0]),
        codes.MATMUL_BATCH,
        lambda: f"batch1 and batch2 must have same number of batches, got {dim_text(b1[0])} and {dim_text(b2[0])}",
        expected=b1[0],
        actual=b2[0],
        arg="batch2",
        axis=0,
    )
    ctx.check(
        eq(b1[2], b2[1]),
        codes.MATMUL_INNER,
        lambda: f"Incompatible matrix sizes for bmm ({_x(b1[1], b1[2])} and {_x(b2[1], b2[2])})",
        expected=b1[2],
        actual=b2[1],
        arg="batch2",
        axis=1,
    )
    result = Shape([b1[1], b2[2]])
    _expand(ctx, tensor(input), result)
    return result


# ---------------------------------------------------------------------------------------------
# chains and vector products


def _multi_dot(ctx: Checker, shapes: list) -> Shape:
    n = len(shapes)
    ctx.check(n >= 2, codes.INVALID_ARGUMENT, f"multi_dot(): expected at least 2 tensors but got {n}")
    for i, x in enumerate(shapes):
        if i in (0, n - 1):
            which = "first" if i == 0 else "last"
            ctx.check(
                x.rank in (1, 2),
                codes.RANK,
                f"multi_dot(): the {which} tensor must be 1D or 2D but got {x.rank}D",
                arg="tensors",
            )
        else:
            ctx.check(x.rank == 2, codes.RANK, f"multi_dot(): tensor {i} must be 2D but got {x.rank}D", arg="tensors")
    for i in range(n - 1):
        left, right = shapes[i], shapes[i + 1]
        ctx.check(
            eq(left[-1], right[0]),
            codes.MATMUL_INNER,
            lambda: f"multi_dot(): tensors {i} and {i + 1} with shapes {left} and {right} cannot be multiplied",
            expected=left[-1],
            actual=right[0],
            arg="tensors",
            axis=0,
        )
    first, last = shapes[0], shapes[-1]
    return Shape(([first[0]] if first.rank == 2 else []) + ([last[1]] if last.rank == 2 else []))


@op("torch.linalg.multi_dot")
def multi_dot(ctx, tensors, *, out=None):
    """[n, a] x [a, b] x ... x [z, m] -> [n, m]; the first and last may be vectors."""
    if not isinstance(tensors, (tuple, list)):
        raise Lost("the list of tensors is not known")
    return _multi_dot(ctx, [tensor(t, "tensors") for t in tensors])


@op("torch.chain_matmul")
def chain_matmul(ctx, *matrices, out=None):
    """[n, a] x [a, b] x ... x [z, m] -> [n, m]: matrices only."""
    shapes = [tensor(m, "matrices") for m in matrices]
    ctx.check(len(shapes) >= 1, codes.INVALID_ARGUMENT, "chain_matmul(): Expected one or more matrices")
    for x in shapes:
        ctx.check(x.rank == 2, codes.RANK, f"Tensor dimension is {x.rank}, expected 2 instead.", arg="matrices")
    return shapes[0] if len(shapes) == 1 else _multi_dot(ctx, shapes)


@op("torch.linalg.vecdot")
def vecdot(ctx, x, y, *, dim=-1, out=None):
    """[*, n] . [*, n] -> [*]: the inputs broadcast, then ``dim`` is summed out."""
    a, b = tensor(x, "x"), tensor(y, "y")
    if a.rank == 1 and b.rank == 1:  # torch calls vdot here: no broadcasting, dim unused
        return _dot(ctx, a, b, "y")
    both = broadcast(ctx, a, b)
    axis = normalize_axis(ctx, dim, both.rank)
    return Shape(d for i, d in enumerate(both.dims) if i != axis)


# ---------------------------------------------------------------------------------------------
# einsum


def _label_key(label: str) -> tuple:
    """torch's label order for the implicit output: A-Z before a-z."""
    return (not label.isupper(), label)


def _parse_equation(ctx: Checker, equation: str, n_ops: int):
    """The labels of each operand and of the output (implicit output made explicit)."""
    lhs, arrow, rhs = equation.partition("->")
    inputs: list = [[]]
    i = 0
    while i < len(lhs):
        c = lhs[i]
        if c == ".":
            if ELLIPSIS in inputs[-1]:
                ctx.fail(
                    codes.INVALID_ARGUMENT,
                    f"einsum(): found '.' for operand {len(inputs) - 1} for which an ellipsis was already found",
                    param="equation",
                )
            if lhs[i : i + 3] != ELLIPSIS:
                ctx.fail(
                    codes.INVALID_ARGUMENT,
                    f"einsum(): found '.' for operand {len(inputs) - 1} that is not part of any ellipsis",
                    param="equation",
                )
            inputs[-1].append(ELLIPSIS)
            i += 2
        elif c == ",":
            inputs.append([])
            ctx.check(
                len(inputs) <= n_ops,
                codes.INVALID_ARGUMENT,
                "einsum(): fewer operands were provided than specified in the equation",
            )
        elif c != " ":
            _check_letter(ctx, c, i)
            inputs[-1].append(c)
        i += 1
    ctx.check(
        len(inputs) == n_ops,
        codes.INVALID_ARGUMENT,
        "einsum(): more operands were provided than specified in the equation",
    )
    counts: dict = {}
    for labels in inputs:
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
    if not arrow:
        once = sorted((k for k, n in counts.items() if n == 1 and k != ELLIPSIS), key=_label_key)
        return inputs, [ELLIPSIS] + once
    output: list = []
    i = 0
    while i < len(rhs):
        c = rhs[i]
        if c == ".":
            ctx.check(
                ELLIPSIS not in output,
                codes.INVALID_ARGUMENT,
                "einsum(): found '.' for output but an ellipsis (...) was already found",
                param="equation",
            )
            ctx.check(
                rhs[i : i + 3] == ELLIPSIS,
                codes.INVALID_ARGUMENT,
                "einsum(): found '.' for output that is not part of any ellipsis (...)",
                param="equation",
            )
            output.append(ELLIPSIS)
            i += 2
        elif c != " ":
            _check_letter(ctx, c, len(lhs) + 2 + i)
            ctx.check(
                c not in output,
                codes.INVALID_ARGUMENT,
                f"einsum(): output subscript {c} appears more than once in the output",
                param="equation",
            )
            ctx.check(
                c in counts,
                codes.INVALID_ARGUMENT,
                f"einsum(): output subscript {c} does not appear in the equation for any input operand",
                param="equation",
            )
            output.append(c)
        i += 1
    return inputs, output


def _check_letter(ctx: Checker, c: str, index: int) -> None:
    ctx.check(
        c.isascii() and c.isalpha(),
        codes.INVALID_ARGUMENT,
        f"einsum(): invalid subscript given at index {index} in the equation string, subscripts must be in [a-zA-Z]",
        param="equation",
    )


@op("torch.einsum")
def einsum(ctx, equation, *operands):
    """'ij,jk->ik' -> [i, k]: labels broadcast (size 1), repeats take diagonals, ... broadcasts."""
    if len(operands) == 1 and isinstance(operands[0], (tuple, list)):
        operands = tuple(operands[0])
    if not isinstance(equation, str):
        raise Lost("only the equation-string form of einsum is understood")
    ctx.check(len(operands) >= 1, codes.INVALID_ARGUMENT, "einsum(): must provide at least one operand")
    shapes = [tensor(x, f"operands[{i}]") for i, x in enumerate(operands)]
    inputs, output = _parse_equation(ctx, equation, len(shapes))
    return contract(ctx, shapes, inputs, output)

"""Tensor shapes: a list of dims, optionally with one variadic part (``*batch``), or unknown rank.

A tensor-valued result that is a tuple of tensors is a plain Python tuple of shapes.
"""

from __future__ import annotations

from typing import Iterable, Optional

from .. import codes
from .check import Checker, Lost
from .expr import Dim, Expr, as_dim, dmax, product, substitute, sym
from .facts import any_of, eq


class Shape:
    """``Shape([B, 16, H//2, W//2])``; ``Shape.variadic((), "batch", (C,))`` is ``[*batch, C]``."""

    __slots__ = ("prefix", "star", "suffix", "_hash")

    def __init__(self, dims: Iterable = (), star: Optional[str] = None, suffix: Iterable = ()):
        self.prefix = tuple(as_dim(d) for d in dims)
        self.star = star
        self.suffix = tuple(as_dim(d) for d in suffix) if star is not None else ()
        self._hash = hash((self.prefix, self.star, self.suffix))

    @classmethod
    def variadic(cls, prefix: Iterable, name: str, suffix: Iterable) -> "Shape":
        return cls(prefix, name, suffix)

    @classmethod
    def unknown(cls) -> "Shape":
        """Rank not known: ``[...]``."""
        return cls((), "...", ())

    # -- what is known --------------------------------------------------------------------
    @property
    def is_fixed(self) -> bool:
        return self.star is None

    @property
    def is_unknown(self) -> bool:
        return self.star == "..." and not self.prefix and not self.suffix

    @property
    def min_rank(self) -> int:
        return len(self.prefix) + len(self.suffix)

    @property
    def rank(self) -> int:
        if self.star is not None:
            raise Lost(f"the rank of {self} is not known")
        return len(self.prefix)

    @property
    def dims(self) -> tuple:
        if self.star is not None:
            raise Lost(f"the rank of {self} is not known")
        return self.prefix

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self.dims[i]
        if self.star is None:
            return self.prefix[i]
        if 0 <= i < len(self.prefix):
            return self.prefix[i]
        if -len(self.suffix) <= i < 0:
            return self.suffix[i]
        raise Lost(f"axis {i} of {self} is not known")

    def __iter__(self):
        return iter(self.dims)

    def __len__(self) -> int:
        return self.rank

    def numel(self) -> Dim:
        """The number of elements; of ``[*batch, 2048]`` it is ``batch*2048``, ``batch`` standing for
        the product of the axes the star holds (so ``view(-1, 512, 2, 2)`` fixes the rank)."""
        if self.star is not None and self.star != "...":
            return product(self.prefix + self.suffix + (sym(self.star),))
        return product(self.dims)

    # -- building -------------------------------------------------------------------------
    def replace(self, i: int, d: Dim) -> "Shape":
        """The same shape with axis ``i`` (negative counts from the end) set to ``d``."""
        if self.star is None:
            dims = list(self.prefix)
            dims[i] = d
            return Shape(dims)
        if 0 <= i < len(self.prefix):
            prefix = list(self.prefix)
            prefix[i] = d
            return Shape(prefix, self.star, self.suffix)
        if -len(self.suffix) <= i < 0:
            suffix = list(self.suffix)
            suffix[i] = d
            return Shape(self.prefix, self.star, suffix)
        raise Lost(f"axis {i} of {self} is not known")

    def with_last(self, n_axes: int, dims: Iterable) -> "Shape":
        """Replace the last ``n_axes`` axes by ``dims`` (works with a variadic prefix)."""
        dims = tuple(dims)
        if self.star is None:
            return Shape(self.prefix[: len(self.prefix) - n_axes] + dims)
        if len(self.suffix) >= n_axes:
            return Shape(self.prefix, self.star, self.suffix[: len(self.suffix) - n_axes] + dims)
        raise Lost(f"the last {n_axes} axes of {self} are not known")

    def map(self, fn) -> "Shape":
        return Shape([fn(d) for d in self.prefix], self.star, [fn(d) for d in self.suffix])

    def substitute(self, values: dict) -> "Shape":
        return self.map(lambda d: substitute(d, values))

    def simplify(self, facts) -> "Shape":
        return self.map(facts.simplify)

    # -- identity and printing ------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Shape)
            and self.prefix == other.prefix
            and self.star == other.star
            and self.suffix == other.suffix
        )

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        parts = [_dim_text(d) for d in self.prefix]
        if self.star is not None:
            parts.append("..." if self.star == "..." else f"*{self.star}")
            parts.extend(_dim_text(d) for d in self.suffix)
        return "[" + ", ".join(parts) + "]"

    def to_json(self):
        """Per the check-json contract: a list of ints/strings, or None when the rank is unknown."""
        if self.star is not None:
            return None
        return [d if isinstance(d, int) else d.text() for d in self.prefix]

    def torch_text(self) -> str:
        """How torch prints a size in messages: ``[10, 1568]``."""
        return repr(self)


def _dim_text(d: Dim) -> str:
    return d.text() if isinstance(d, Expr) else str(d)


def dim_text(d, paren: bool = False) -> str:
    """A dim or shape as users read it; ``paren`` wraps compound expressions (``(H//2)x64``)."""
    if isinstance(d, (Shape, int)):
        return str(d)
    if isinstance(d, Expr):
        text = d.text()
        simple = all(part.isidentifier() for part in text.split("."))
        return f"({text})" if paren and not simple else text
    return repr(d)


def normalize_axis(ctx: Checker, axis, rank: int, *, code: str = codes.DIM_OUT_OF_RANGE) -> int:
    """Wrap a negative axis the way torch does, failing with torch's IndexError wording."""
    axis = int(axis)
    low, high = (-1, 0) if rank == 0 else (-rank, rank - 1)
    if not low <= axis <= high:
        ctx.fail(code, f"Dimension out of range (expected to be in range of [{low}, {high}], but got {axis})")
    return axis + max(rank, 1) if axis < 0 else axis


def broadcast(ctx: Checker, *shapes: Shape, code: str = codes.BROADCAST, details=None) -> Shape:
    """Torch's broadcasting; a symbolic pair that might differ is a stated condition.

    A mismatch is reported under ``code``; ``details(x, y, axis)`` says what it blames (by
    default: expected ``x`` of the left shape, actual ``y`` of the right, at negative ``axis``).
    """
    details = details or _blame_right
    result = shapes[0].simplify(ctx.facts)
    for other in shapes[1:]:
        result = _broadcast_pair(ctx, result, other.simplify(ctx.facts), code, details)
    return result


def _blame_right(x, y, axis: int) -> dict:
    return {"expected": x, "actual": y, "axis": axis}


def _broadcast_pair(ctx: Checker, a: Shape, b: Shape, code: str, details) -> Shape:
    if a.star is not None or b.star is not None:
        return _broadcast_variadic(ctx, a, b, code, details)
    n = max(len(a.prefix), len(b.prefix))
    da = (1,) * (n - len(a.prefix)) + a.prefix
    db = (1,) * (n - len(b.prefix)) + b.prefix
    return Shape(_broadcast_dim(ctx, x, y, i, n, code, details) for i, (x, y) in enumerate(zip(da, db)))


def _broadcast_dim(ctx: Checker, x: Dim, y: Dim, i: int, n: int, code: str, details) -> Dim:
    if x == y or y == 1:
        return x
    if x == 1:
        return y
    facts = ctx.facts
    x_is_one, y_is_one = facts.decide(eq(x, 1)), facts.decide(eq(y, 1))
    if x_is_one:
        return y
    if y_is_one:
        return x
    ways = [eq(x, y)] + [eq(d, 1) for d, one in ((x, x_is_one), (y, y_is_one)) if one is None]
    ctx.check(
        ways[0] if len(ways) == 1 else any_of(*ways),
        code,
        lambda: (
            f"The size of tensor a ({_dim_text(x)}) must match the size of tensor b "
            f"({_dim_text(y)}) at non-singleton dimension {i}"
        ),
        **details(x, y, i - n),
    )
    # Under the stated condition the size is whichever side is not 1.
    if y_is_one is False:
        return facts.simplify(y)
    if x_is_one is False:
        return facts.simplify(x)
    if facts.bounds(x)[0] >= 1 and facts.bounds(y)[0] >= 1:
        return dmax(facts.simplify(x), facts.simplify(y))
    raise Lost(f"the broadcast of {_dim_text(x)} and {_dim_text(y)} depends on which is 1")


def _broadcast_variadic(ctx: Checker, a: Shape, b: Shape, code: str, details) -> Shape:
    """Broadcast the known trailing axes; the leading part stays variadic."""
    if a.is_unknown or b.is_unknown:
        return Shape.unknown()
    ta = a.suffix if a.star is not None else a.prefix
    tb = b.suffix if b.star is not None else b.prefix
    if a.star is not None and b.star is not None and a.star != b.star:
        return Shape.unknown()
    if (a.star is not None and a.prefix) or (b.star is not None and b.prefix):
        return Shape.unknown()
    star = a.star if a.star is not None else b.star
    fixed = b if a.star is not None else a
    variadic = a if a.star is not None else b
    if fixed.star is None and len(fixed.prefix) > len(variadic.suffix):
        return Shape.unknown()
    n = min(len(ta), len(tb))
    tail = [
        _broadcast_dim(ctx, x, y, i, n, code, details)
        for i, (x, y) in enumerate(zip(ta[len(ta) - n :], tb[len(tb) - n :]))
    ]
    longer = ta if len(ta) >= len(tb) else tb
    return Shape((), star, tuple(longer[: len(longer) - n]) + tuple(tail))

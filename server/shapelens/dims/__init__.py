"""The symbolic dims engine: dims, facts and verdicts, shapes. No torch, no LSP."""

from .check import UNKNOWN, Checker, Condition, Lost, ShapeError
from .expr import (
    Dim,
    Expr,
    as_dim,
    cancel_common,
    dmax,
    dmin,
    floordiv,
    is_dim,
    mod,
    product,
    substitute,
    sym,
    symbol_name,
)
from .facts import Cond, Facts, any_of, divides, eq, ge, gt, le, lt, ne
from .parse import parse_dim
from .shape import Shape, broadcast, dim_text, normalize_axis

__all__ = [
    "UNKNOWN",
    "Checker",
    "Condition",
    "Cond",
    "Dim",
    "Expr",
    "Facts",
    "Lost",
    "Shape",
    "ShapeError",
    "any_of",
    "as_dim",
    "broadcast",
    "cancel_common",
    "dim_text",
    "divides",
    "dmax",
    "dmin",
    "eq",
    "floordiv",
    "ge",
    "gt",
    "is_dim",
    "le",
    "lt",
    "mod",
    "ne",
    "normalize_axis",
    "parse_dim",
    "product",
    "substitute",
    "sym",
    "symbol_name",
]

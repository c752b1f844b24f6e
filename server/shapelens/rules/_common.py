"""Argument conventions shared by rules: how torch spells sizes, tuples and dims."""

from __future__ import annotations

from ..dims import Lost, Shape, is_dim


def ntuple(value, n: int, name: str = "argument") -> tuple:
    """``3 -> (3, 3)``, ``(3, 5) -> (3, 5)``: torch's ``_pair``/``_triple``."""
    if isinstance(value, (tuple, list)):
        if len(value) == 1 and n > 1:
            return tuple(value) * n
        if len(value) != n:
            raise Lost(f"{name} has {len(value)} values, expected {n}")
        return tuple(value)
    if is_dim(value):
        return (value,) * n
    raise Lost(f"{name} is not a size")


def sizes(args: tuple) -> tuple:
    """``view(2, 3)`` and ``view((2, 3))`` both mean the sizes ``(2, 3)``."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    for a in args:
        if not is_dim(a):
            raise Lost("a size is not known statically")
    return tuple(args)


def dims_arg(value) -> tuple:
    """A ``dim`` argument that may be one axis or a tuple of axes."""
    if isinstance(value, (tuple, list)):
        return tuple(int(v) for v in value)
    return (int(value),)


def is_tensor(value) -> bool:
    return isinstance(value, Shape)


def tensor(value, name: str = "input") -> Shape:
    """The shape of a tensor argument; :class:`Lost` when the value is not a known tensor."""
    if isinstance(value, Shape):
        return value
    raise Lost(f"{name} is not a tensor with a known shape")

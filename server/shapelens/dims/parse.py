"""Read dims written as Python arithmetic (``"H//2 + 1"``, ``"config.n_embd"``) back into dims."""

from __future__ import annotations

import ast

from .expr import Dim, dmax, dmin, floordiv, mod, sym


def parse_dim(text: str) -> Dim:
    """The dim a string denotes; ``ValueError`` for anything that is not dim arithmetic."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"not a dim expression: {text!r}") from exc
    return _build(tree.body, text)


def _build(node: ast.AST, text: str) -> Dim:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, (ast.Name, ast.Attribute)):
        return sym(ast.unparse(node))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_build(node.operand, text)
    if isinstance(node, ast.BinOp):
        a, b = _build(node.left, text), _build(node.right, text)
        op = type(node.op)
        if op is ast.Add:
            return a + b
        if op is ast.Sub:
            return a - b
        if op is ast.Mult:
            return a * b
        if op is ast.FloorDiv:
            return floordiv(a, b)
        if op is ast.Mod:
            return mod(a, b)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("max", "min"):
        args = [_build(a, text) for a in node.args]
        return (dmax if node.func.id == "max" else dmin)(*args)
    raise ValueError(f"not a dim expression: {text!r}")

"""A parsed file and its positions: ``ast`` columns are UTF-8 bytes, ours are characters."""

from __future__ import annotations

import ast
from typing import Optional

from .report import Span


class SourceFile:
    def __init__(self, text: str, path: str = "<string>"):
        self.text = text
        self.path = path
        self.lines = text.splitlines()
        self.tree: Optional[ast.Module] = None
        self.error: Optional[SyntaxError] = None
        try:
            self.tree = ast.parse(text, filename=path)
        except (SyntaxError, ValueError) as exc:  # ValueError: null bytes
            self.error = exc if isinstance(exc, SyntaxError) else SyntaxError(str(exc))
        except RecursionError:  # `x + x + ...` thousands long: CPython cannot compile it either
            self.error = SyntaxError("too deeply nested to parse")

    def _char_col(self, line: int, byte_col: int) -> int:
        if 1 <= line <= len(self.lines):
            text = self.lines[line - 1]
            if text.isascii():
                return byte_col
            return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))
        return byte_col

    def span(self, node: ast.AST) -> Span:
        line = node.lineno
        end_line = getattr(node, "end_lineno", None) or line
        end_col = getattr(node, "end_col_offset", None)
        if end_col is None:
            end_col = node.col_offset
        return Span(line, self._char_col(line, node.col_offset), end_line, self._char_col(end_line, end_col))

    def name_span(self, node: ast.AST, name: str) -> Span:
        """The span of just the name at the start of ``node`` (a parameter without its annotation)."""
        line = node.lineno
        col = self._char_col(line, node.col_offset)
        return Span(line, col, line, col + len(name))

    def segment(self, node: ast.AST) -> str:
        text = ast.get_source_segment(self.text, node)
        if text is None:
            return ast.unparse(node)
        return " ".join(text.split()) if "\n" in text else text

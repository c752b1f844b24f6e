"""A parsed file and its positions: ``ast`` columns are UTF-8 bytes, ours are characters."""

from __future__ import annotations

import ast
import re
from typing import Optional

from .report import Span

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class SourceFile:
    def __init__(self, text: str, path: str = "<string>", earlier: Optional["SourceFile"] = None):
        """``earlier``: a parsed earlier version of the file. The top-level statements that end
        above the first line the two differ on keep their nodes, and only the rest is parsed
        (Python's grammar reads a file statement by statement, so the verdict is the same)."""
        self.text = text
        self.path = path
        self.lines = _LINE_BREAK.split(text)  # the line breaks ast counts (not \f or \x1c)
        self.tree: Optional[ast.Module] = None
        self.error: Optional[SyntaxError] = None
        kept, first_line = _unchanged_statements(earlier, self.lines) if earlier is not None else ([], 1)
        try:
            if kept:
                rest = ast.parse("\n" * (first_line - 1) + text[_offset_of_line(text, first_line) :], filename=path)
                self.tree = ast.Module(body=kept + rest.body, type_ignores=rest.type_ignores)
            else:
                self.tree = ast.parse(text, filename=path)
        except (SyntaxError, ValueError) as exc:  # ValueError: null bytes
            self.error = exc if isinstance(exc, SyntaxError) else SyntaxError(str(exc))
        except RecursionError:  # `x + x + ...` thousands long: CPython cannot compile it either
            self.error = SyntaxError("too deeply nested to parse")

    def take(self, later: "SourceFile") -> None:
        """Become ``later``, a later version of the same file (for everything that holds this object)."""
        self.text, self.lines, self.tree, self.error = later.text, later.lines, later.tree, later.error

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
        """The node's source text on one line (``ast.get_source_segment`` re-splits the file)."""
        span = self.span(node)
        if not 1 <= span.line <= span.end_line <= len(self.lines):
            return ast.unparse(node)
        if span.line == span.end_line:
            return self.lines[span.line - 1][span.col : span.end_col]
        parts = [self.lines[span.line - 1][span.col :]]
        parts += self.lines[span.line : span.end_line - 1]
        parts.append(self.lines[span.end_line - 1][: span.end_col])
        return " ".join(" ".join(p.split()) for p in parts if p.strip())


def first_line(node: ast.AST) -> int:
    """Where a statement starts, its decorators included."""
    return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", None) or []])


def _unchanged_statements(earlier: SourceFile, lines: list) -> tuple:
    """The top-level statements of ``earlier`` that the text of ``lines`` certainly keeps, and the
    line the next statement starts on: everything above a statement that starts its own line above
    the first changed line (so it is still a statement there, closing the ones before it)."""
    if earlier.tree is None:
        return [], 1
    old = earlier.lines
    changed = next((i for i, (a, b) in enumerate(zip(old, lines)) if a != b), min(len(old), len(lines))) + 1
    body = earlier.tree.body
    for index in range(len(body) - 1, 0, -1):
        stmt = body[index]
        first = first_line(stmt)
        if first < changed and stmt.col_offset == 0:
            return body[:index], first
    return [], 1


def _offset_of_line(text: str, line: int) -> int:
    """Where 1-based ``line`` starts in ``text``."""
    offset = 0
    for count, match in enumerate(_LINE_BREAK.finditer(text), start=2):
        if count > line:
            break
        offset = match.end()
    return offset

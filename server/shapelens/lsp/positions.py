"""Analysis positions (1-based lines, code-point columns) to LSP ranges in the client's encoding."""

from __future__ import annotations

import re

from lsprotocol import types

from ..analysis.report import Span

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list:
    """Lines as LSP and ``ast`` count them: ``str.splitlines`` also breaks at \\f, \\x1c, \\u2028..."""
    return _LINE_BREAK.split(text)


def _units(text: str, encoding: str) -> int:
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8"))
    return len(text.encode("utf-16-le")) // 2


class Positions:
    """Converts columns for one document text, in the encoding the client negotiated."""

    def __init__(self, lines: list, encoding: str):
        self.lines = lines
        self.encoding = encoding

    def column(self, line: int, col: int) -> int:
        if 0 < line <= len(self.lines):
            text = self.lines[line - 1]
            if text.isascii():
                return col
            return _units(text[:col], self.encoding)
        return col

    def position(self, line: int, col: int) -> types.Position:
        return types.Position(max(0, line - 1), self.column(line, col))

    def range(self, span: Span) -> types.Range:
        return types.Range(self.position(span.line, span.col), self.position(span.end_line, span.end_col))

    def to_code_points(self, position: types.Position) -> tuple:
        """An LSP position as (1-based line, code-point column)."""
        line = position.line + 1
        if 0 < line <= len(self.lines):
            text = self.lines[line - 1]
            if not text.isascii():
                units = 0
                for i, ch in enumerate(text):
                    if units >= position.character:
                        return line, i
                    units += _units(ch, self.encoding)
                return line, len(text)
        return line, position.character

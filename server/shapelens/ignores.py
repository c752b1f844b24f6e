"""Per-line suppression comments, as ruff's ``# noqa`` and pyright's ``# pyright: ignore``:

    x = self.fc(x)  # shapelens: ignore[linear-in-features]
    y = a @ b       # shapelens: ignore            (every code on this line)

A comment applies to the diagnostics that start or end on its line. Only real comments count (a
string that holds the text does not). The quick fix "Ignore <code> on this line" writes one.
"""

from __future__ import annotations

import io
import re
import tokenize
from typing import Optional

from .analysis.report import Span, TextEdit

MARK = "shapelens:"
COMMENT = re.compile(r"#\s*shapelens:\s*ignore\b(?:\[([^\]]*)\])?")
ALL = None  # a bare ``# shapelens: ignore``


def line_ignores(text: str) -> dict:
    """Line (1-based) -> the codes ignored there (a frozenset), or ``ALL``."""
    if MARK not in text:  # the common case costs one scan
        return {}
    out: dict = {}
    for line, comment in _comments(text):
        for match in COMMENT.finditer(comment):
            codes = (
                None if match.group(1) is None else frozenset(c.strip() for c in match.group(1).split(",") if c.strip())
            )
            if codes is None or out.get(line, frozenset()) is None:
                out[line] = ALL
            else:
                out[line] = out.get(line, frozenset()) | codes
    return out


def is_ignored(ignores: dict, span: Span, code: str) -> bool:
    for line in {span.line, span.end_line}:
        if line in ignores:
            codes = ignores[line]
            if codes is ALL or code in codes:
                return True
    return False


def ignore_edit(lines: list, span: Span, code: str) -> Optional[TextEdit]:
    """The edit that makes a comment on the diagnostic's first line ignore ``code`` there: a new
    ``# shapelens: ignore[code]``, or ``code`` added to the one already there. None where a
    comment cannot go (a line continued with a backslash, a line inside a string)."""
    for line in (span.line, span.end_line):
        if not 0 < line <= len(lines):
            continue
        text = lines[line - 1]
        code_part = text.rstrip()
        if code_part.endswith("\\") or not _comment_can_end(lines, line):
            continue
        existing = COMMENT.search(text)
        if existing is not None and existing.group(1) is not None:
            codes = [c.strip() for c in existing.group(1).split(",") if c.strip()] + [code]
            start, end = existing.span(1)
            return TextEdit(Span(line, start, line, end), ", ".join(codes))
        return TextEdit(Span(line, len(code_part), line, len(text)), f"  # shapelens: ignore[{code}]")
    return None


def _comments(text: str):
    """(line, comment text) of every comment; by lines when the text does not tokenize."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and MARK in token.string:
                yield token.start[0], token.string
    except (tokenize.TokenError, SyntaxError, ValueError):
        for number, line in enumerate(text.splitlines(), start=1):
            if MARK in line and "#" in line:
                yield number, line[line.index("#") :]


def _comment_can_end(lines: list, line: int) -> bool:
    """Is the end of ``line`` outside a string (so that a comment there is a comment)?"""
    text = "\n".join(lines[:line]) + "\n"
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING and token.start[0] <= line < token.end[0]:
                return False
    except tokenize.TokenError as exc:  # the text up to the line is incomplete
        return "string" not in str(exc.args[0])  # an open bracket still lets a comment end the line
    except (SyntaxError, ValueError):
        pass
    return True

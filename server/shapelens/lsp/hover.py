"""Hover: a name's shape and how it was derived; a layer call's input -> output and its rule."""

from __future__ import annotations

from typing import Optional

from lsprotocol import types

from ..analysis.report import UnknownFact
from .markdown import code, escape, shape_fact, unknown_fact
from .positions import Positions
from .shape_labels import shape_label


def hover(state, position: types.Position, positions: Positions) -> Optional[types.Hover]:
    report = state.report
    if report is None:
        return None
    line, col = positions.to_code_points(position)
    calls = [c for c in report.calls if _inside(c.span, line, col)]
    if calls:
        return _markdown(_calls_text(calls))
    fact = _binding_at(report, state.lines, line, col)
    if fact is None:
        return None
    if isinstance(fact, UnknownFact):
        return _markdown(unknown_fact(fact))
    return _markdown(shape_fact(fact))


def _inside(span, line: int, col: int) -> bool:
    return (span.line, span.col) <= (line, col) <= (span.end_line, span.end_col)


def _binding_at(report, lines: list, line: int, col: int):
    """The binding of the name under the cursor, with its shape or why it has none: at the
    cursor, or the latest one above it."""
    word = _word_at(lines, line, col)
    if not word:
        return None
    best = None
    for fact in report.shapes + report.unknowns:  # at one place, a shape (a run's) wins
        if fact.name != word:
            continue
        if _inside(fact.span, line, col):
            return fact
        if (fact.span.line, fact.span.col) <= (line, col) and (
            best is None or (best.span.line, best.span.col) < (fact.span.line, fact.span.col)
        ):
            best = fact
    return best


def _word_at(lines: list, line: int, col: int) -> str:
    if not 0 < line <= len(lines):
        return ""
    text = lines[line - 1]
    col = min(col, len(text))  # the cursor may be past the end of the analysed (older) line
    start = col
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    end = col
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return text[start:end]


def _calls_text(calls: list) -> str:
    out = []
    for call in calls:
        name = call.rule.rsplit(".", 1)[-1]
        summary = f"{escape(name)}: {escape(call.summary)}" if call.summary else escape(name)
        if call.kind == "constructor":
            args = ", ".join(f"{k}={v!r}" for k, v in call.arguments.items() if v is not None)
            out.append(f"{code(f'{name}({args})')}\n\n{summary}")
            continue
        inputs = ", ".join(shape_label(s) or "?" for s in call.inputs)
        output = shape_label(call.output) or "?"
        checked = " ✓ confirmed by a run on the meta device" if call.validation == "confirmed" else ""
        out.append(f"{code(call.callee)}: {code(inputs) or '()'} -> {code(output)}{checked}  \n{summary}")
    return "\n\n".join(out)


def _markdown(text: str) -> types.Hover:
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

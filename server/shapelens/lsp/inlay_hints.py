"""Inlay hints: ``: [B, 16, 28, 28]`` after every name bound to a tensor, and on forward's inputs.

A label is short (:mod:`.shape_labels`): its tooltip holds the whole shape and how it came about.

Tooltips (the derivation) are most of a hint's bytes: a client that can resolve them lazily
gets them through inlayHint/resolve, for the one hint the pointer rests on.
"""

from __future__ import annotations

from typing import Optional

from lsprotocol import types

from .markdown import shape_fact
from .positions import Positions
from .shape_labels import HINT_LIMIT, shape_label


def inlay_hints(state, rng: types.Range, settings, positions: Positions, lazy_tooltips: bool) -> list:
    report = state.report
    if report is None:
        return []
    first, last = rng.start.line + 1, rng.end.line + 1
    hints = []
    for index, fact in enumerate(report.shapes):
        if not first <= fact.span.line <= last:
            continue
        if fact.kind == "parameter" and not settings.parameter_hints:
            continue
        if fact.kind != "parameter" and not settings.variable_hints:
            continue
        mark = " (run)" if fact.validation == "run" else ""
        text = shape_label(fact.value, HINT_LIMIT - len(": ") - len(mark))
        if text is None:
            continue  # nothing known: no hint rather than [...]
        part = types.InlayHintLabelPart(value=f": {text}{mark}", tooltip=None if lazy_tooltips else _tooltip(fact))
        hints.append(
            types.InlayHint(
                position=positions.position(fact.span.end_line, fact.span.end_col),
                label=[part],
                kind=types.InlayHintKind.Type,
                padding_left=True,
                data={"uri": state.uri, "report": state.generation, "index": index} if lazy_tooltips else None,
            )
        )
    return hints


def resolve(state, hint: types.InlayHint) -> types.InlayHint:
    """Fill in the tooltip, if the hint is from the report still shown (else leave it as it is)."""
    fact = _fact(state, hint.data)
    if fact is not None and isinstance(hint.label, list) and hint.label:
        hint.label[0].tooltip = _tooltip(fact)
    return hint


def _fact(state, data) -> Optional[object]:
    if state is None or state.report is None or not isinstance(data, dict):
        return None
    index = data.get("index")
    if data.get("report") != state.generation or not isinstance(index, int):
        return None
    return state.report.shapes[index] if 0 <= index < len(state.report.shapes) else None


def _tooltip(fact) -> types.MarkupContent:
    return types.MarkupContent(kind=types.MarkupKind.Markdown, value=shape_fact(fact))

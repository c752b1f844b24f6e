"""Inlay hints: ``: [B, 16, 28, 28]`` after every name bound to a tensor, and on forward's inputs."""

from __future__ import annotations

from lsprotocol import types

from ..analysis.report import shape_text
from .positions import Positions


def inlay_hints(state, rng: types.Range, settings, positions: Positions) -> list:
    report = state.report
    if report is None:
        return []
    first, last = rng.start.line + 1, rng.end.line + 1
    hints = []
    for fact in report.shapes:
        if not first <= fact.span.line <= last:
            continue
        if fact.kind == "parameter" and not settings.parameter_hints:
            continue
        if fact.kind != "parameter" and not settings.variable_hints:
            continue
        text = shape_text(fact.value)
        tooltip = _tooltip(fact)
        part = types.InlayHintLabelPart(value=f": {text}", tooltip=tooltip)
        hints.append(types.InlayHint(
            position=positions.position(fact.span.end_line, fact.span.end_col),
            label=[part],
            kind=types.InlayHintKind.Type,
            padding_left=True,
        ))
    return hints


def _tooltip(fact) -> types.MarkupContent:
    lines = [f"**{fact.name}**: `{shape_text(fact.value)}`"]
    if fact.requirement:
        lines.append(f"\nrequires {fact.requirement}")
    if fact.derivation:
        lines.append("\n```text\n" + "\n".join(fact.derivation) + "\n```")
    return types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n".join(lines))

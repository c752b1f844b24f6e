"""Quick fixes: the analyzer's fixes as WorkspaceEdits against the analysed document version, and
for every diagnostic "Ignore <code> on this line" (a ``# shapelens: ignore[code]`` comment)."""

from __future__ import annotations

from lsprotocol import types

from ..ignores import ignore_edit
from .positions import Positions


def code_actions(state, params: types.CodeActionParams, positions: Positions) -> list:
    report = state.report
    if report is None:
        return []
    actions = []
    for diagnostic in params.context.diagnostics:
        if diagnostic.source != "shapelens" or not isinstance(diagnostic.data, dict):
            continue
        index = diagnostic.data.get("index")
        if diagnostic.data.get("report") != state.generation or not isinstance(index, int):
            continue  # from an older analysis (even of this version: an imported file changed)
        if not 0 <= index < len(report.diagnostics):
            continue
        found = report.diagnostics[index]
        fixes = found.fixes
        for fix in fixes:
            actions.append(
                _action(state, positions, fix.title, fix.edits, diagnostic, preferred=fix.preferred and len(fixes) == 1)
            )
        ignore = ignore_edit(state.lines, found.span, found.code)
        if ignore is not None:
            actions.append(_action(state, positions, f"Ignore {found.code} on this line", [ignore], diagnostic))
    return actions


def _action(state, positions: Positions, title: str, edits, diagnostic, preferred: bool = False):
    document = types.OptionalVersionedTextDocumentIdentifier(uri=state.uri, version=state.version)
    changes = [types.TextEdit(range=positions.range(e.span), new_text=e.new_text) for e in edits]
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=preferred,
        edit=types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=document, edits=changes)]),
    )

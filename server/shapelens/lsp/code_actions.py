"""Quick fixes: the analyzer's fixes as WorkspaceEdits against the analysed document version."""

from __future__ import annotations

from lsprotocol import types

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
        fixes = report.diagnostics[index].fixes
        for fix in fixes:
            edits = [types.TextEdit(range=positions.range(e.span), new_text=e.new_text) for e in fix.edits]
            document = types.OptionalVersionedTextDocumentIdentifier(uri=state.uri, version=state.version)
            actions.append(types.CodeAction(
                title=fix.title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                is_preferred=fix.preferred and len(fixes) == 1,
                edit=types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=document,
                                                                                   edits=edits)]),
            ))
    return actions

"""Diagnostics as the editor shows them: code, link to the rule's page, where each side came from;
only those the project reports (``# shapelens: ignore``, ``[tool.shapelens]``, the settings)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Optional

from lsprotocol import types
from pygls.uris import from_fs_path

from ..config import ProjectConfig, reported
from .positions import Positions

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}
# Each code's page, docs/rules/<code>.md, linked by file URI: the project's pages are not served
# on the web, and a local copy is the installed version's own. The .vsix carries them inside the
# bundled package (scripts/bundle_python.sh); a checkout has them at its root.
PACKAGE = Path(__file__).resolve().parents[1]
RULE_DOCS = (PACKAGE / "docs" / "rules", PACKAGE.parents[1] / "docs" / "rules")


@functools.lru_cache(maxsize=None)
def rule_doc_uri(code: str) -> Optional[str]:
    for folder in RULE_DOCS:
        page = folder / f"{code}.md"
        if page.is_file():
            return from_fs_path(str(page))
    return None


def to_lsp(state, settings, positions: Positions, config: ProjectConfig) -> list:
    """The diagnostics the project reports (see :func:`shapelens.config.reported`): suppression
    comments, ``[tool.shapelens]`` and the editor's severities, none in an excluded file."""
    report = state.report
    if report is None or config.excludes(state.path):
        return []
    out = []
    for index, d in reported(report.diagnostics, state.text, state.path, config, settings.severity):
        level = d.severity
        href = rule_doc_uri(d.code)
        related = [  # same file only: another file's spans would need that file's positions
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=state.uri, range=positions.range(r.span)), message=r.message
            )
            for r in d.related
            if not r.path or r.path == state.path
        ]
        out.append(
            types.Diagnostic(
                range=positions.range(d.span),
                message=d.message,
                severity=SEVERITY[level],
                code=d.code,
                code_description=types.CodeDescription(href=href) if href else None,
                source="shapelens",
                related_information=related or None,
                data={"index": index, "report": state.generation},
            )
        )
    error = state.parse_error
    if error is not None and settings.syntax_errors:  # else the status item says it, not Problems
        href = rule_doc_uri(error.code)
        out.append(
            types.Diagnostic(
                range=positions.range(error.span),
                message=error.message,
                severity=SEVERITY[error.severity],
                code=error.code,
                source="shapelens",
                code_description=types.CodeDescription(href=href) if href else None,
            )
        )
    return out

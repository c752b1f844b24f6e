"""The analyzer: Python source in, shape facts out (no torch, no LSP here).

``analyze(path, text)`` returns a :class:`~.report.FileReport`: the shape bound to every tensor
name, the diagnostics with their fixes. The CLI and the language server both read it.
"""

from __future__ import annotations

from typing import Optional

from .analyzer import Analysis
from .report import Diagnostic, FileReport, Fix, ShapeFact, Span, TextEdit


def analyze(
    path: str, text: Optional[str] = None, roots: Optional[list] = None, files: Optional[dict] = None, environment=None
) -> FileReport:
    """Analyse one file; ``roots`` are workspace folders searched for imports and call sites;
    ``environment`` (:func:`.installed.environment`) where installed packages are, default this
    interpreter's."""
    return Analysis(roots, files, environment).analyze(path, text)


__all__ = ["Analysis", "Diagnostic", "FileReport", "Fix", "ShapeFact", "Span", "TextEdit", "analyze"]

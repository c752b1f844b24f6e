"""What a file's status item says: how much of it has shapes, why not the rest, whether it parses.

After each publish of a document's diagnostics, a client that asked for it in its initialization
options (``{"fileStatus": true}``) gets the notification ``shapelens/status``:

    {"uri": ..., "version": 3,
     "tensorLines": 60,            # lines that bind a tensor, with a shape or without
     "withShapes": 42,             # of those, lines with a shape
     "causes": [{"line": 13, "character": 12, "message": "...", "lines": 3, "names": ["y", "z", "w"]}],
     "parseError": {"line": 21, "character": 20, "message": "..."} | null,
     "excluded": "/path/to/pyproject.toml" | null}   # its [tool.shapelens] exclude names the file

Lines and characters are the LSP's (0-based, in the negotiated encoding): the client reveals them.
A cause is where inference was lost (a lost note, a star import, an input nothing gives a shape),
with the tensor lines it leaves without a shape; causes leaving most lines come first.
"""

from __future__ import annotations

from typing import Optional

from .positions import Positions

STATUS = "shapelens/status"
MAX_CAUSES = 100  # a file with hundreds of notes: the status lists those that cost most


def file_status(state, positions: Positions, excluded: Optional[str] = None) -> dict:
    """``excluded``: the pyproject.toml whose ``[tool.shapelens] exclude`` names the file."""
    report = state.report
    shaped = {f.span.line for f in report.shapes} if report is not None else set()
    unknowns = report.unknowns if report is not None else []
    silent = {u.span.line for u in unknowns} - shaped
    by_cause: dict = {}
    for fact in unknowns:
        lines, names = by_cause.setdefault(fact.cause.span, (set(), []))
        if fact.span.line in silent:
            lines.add(fact.span.line)
            if fact.name not in names:
                names.append(fact.name)
    causes = []
    for cause in report.causes if report is not None else []:
        lines, names = by_cause.get(cause.span, (set(), []))
        start = positions.position(cause.span.line, cause.span.col)
        causes.append(
            {
                "line": start.line,
                "character": start.character,
                "message": cause.message,
                "lines": len(lines),
                "names": names,
            }
        )
    causes.sort(key=lambda c: -c["lines"])  # stable: in line order among equals
    error = state.parse_error
    parse_error = None
    if error is not None:
        start = positions.position(error.span.line, error.span.col)
        parse_error = {"line": start.line, "character": start.character, "message": error.message}
    return {
        "uri": state.uri,
        "version": state.version,
        "tensorLines": len(shaped | silent),
        "withShapes": len(shaped),
        "causes": causes[:MAX_CAUSES],
        "parseError": parse_error,
        "excluded": excluded,
    }

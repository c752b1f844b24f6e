"""Edits that only move lines: the last analysis, its positions moved, is the new one's.

Typing Enter, a comment or a blank line shifts every line below it, and a fresh analysis of a
3,900-line file takes 0.5-1 s. When a text differs from the last analysed one (its *baseline*) only
by whole blank or comment lines, inserted or deleted between statements, the two parse to the
same tree up to line numbers, and every fact of the new text is the baseline's with its lines
moved: spans, fix edits, related locations, the models' class and forward lines, and the
``line N`` that messages, derivations and skipped models cite. Any other edit resumes the last analysis from
the statement before the first one it changed (:mod:`.checkpoints`), or is analysed in full.

That holds only when nothing else moves with the text, so a report is moved only when
- the file parses, and no other file took part (an imported module, a file importing this one:
  their lines cited in messages would not move);
- its text never reads ``line <digits>`` (in a string or a comment), which a message quoting
  source could repeat and which must not be renumbered;
and a later text is compared with it only under the same other open buffers and roots (files on
disk are not compared: as for the language server's report cache, a saved change to another file
shows at the next full analysis).
"""

from __future__ import annotations

import ast
import hashlib
import re
import sys
from dataclasses import dataclass, replace
from typing import Optional

from .analyzer import Analysis
from .report import FileReport, Span
from .source import SourceFile, first_line

CITED_LINE = re.compile(r"\bline (\d+)\b")  # how messages and derivations cite a line
QUOTABLE_LINE = re.compile(r"\bline\s+\d")  # source text a quoted segment could turn into a citation
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as SourceFile and ast count lines


@dataclass
class Baseline:
    """A file's last analysis: what its next version is compared with."""

    text: str
    lines: list  # of ``text``, as ast counts them
    report: FileReport  # of ``text``
    tree: ast.Module  # of the text last analysed (not moved)
    tree_lines: list  # the line of ``tree`` each line of ``text`` was, 0 for a line added since
    context: str  # digest of the other inputs: roots, other open buffers
    analysis: Optional[Analysis] = None  # to resume from: of ``text``, or of the text it moved from
    movable: bool = True  # its report can be moved (see the module's docstring)


def analyze_edit(
    previous: Optional[Baseline], path: str, text: str, roots: Optional[list] = None, files: Optional[dict] = None
) -> tuple:
    """``(report, baseline)`` for ``text``: moved from ``previous`` when only lines moved, else analysed.

    The returned baseline is the one to pass with the next version of the file.
    """
    context = _context(path, roots, files)
    if previous is not None and previous.context == context:
        if text == previous.text:
            return previous.report, previous
        moved = moved_baseline(previous, text)
        if moved is not None:
            return moved.report, moved
        resumed, previous.analysis = previous.analysis, None  # spent if resuming fails half-way
        report = resumed.reanalyze(text) if resumed is not None else None
        if report is not None:
            return report, _baseline(resumed, text, report, context) or previous
        previous.analysis = resumed  # untouched: for the text after this one (a syntax error, say)
    analysis = Analysis(roots, files)
    report = analysis.analyze(path, text)
    return report, _baseline(analysis, text, report, context) or previous


def moved_baseline(base: Baseline, text: str) -> Optional[Baseline]:
    """``base`` moved to ``text``, if that is ``base.text`` with blank or comment lines added or removed."""
    if not base.movable:
        return None
    lines = _LINE_BREAK.split(text)
    old = base.lines
    start, limit = 0, min(len(old), len(lines))
    while start < limit and old[start] == lines[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == lines[-1 - end]:
        end += 1
    removed, added = old[start : len(old) - end], lines[start : len(lines) - end]
    if not all(map(_blank_or_comment, removed + added)):
        return None
    if start and old[start - 1].endswith("\\"):  # a continued line would swallow the next one
        return None
    if _inside_a_statement(
        base.tree, _tree_line_before(base.tree_lines, start), _tree_line_after(base.tree_lines, len(old) - end + 1)
    ):
        return None
    delta = len(lines) - len(old)

    def move(line: int) -> int:
        if line <= start:
            return line
        if line > len(old) - end:
            return line + delta
        raise _Unmoved(line)

    try:
        report = _moved(base.report, move)
    except _Unmoved:  # a fact on a removed line: cannot happen for a parsed file; analyse instead
        return None
    tree_lines = base.tree_lines[:start] + [0] * len(added) + base.tree_lines[len(old) - end :]
    return Baseline(text, lines, report, base.tree, tree_lines, base.context, base.analysis)


def _baseline(analysis: Analysis, text: str, report: FileReport, context: str) -> Optional[Baseline]:
    """The analysis as a baseline for the file's next version, if the text parsed."""
    if report.syntax_error:
        return None
    source: SourceFile = analysis.main[0].source
    movable = len(analysis.scopes) == 1 and not QUOTABLE_LINE.search(text)
    return Baseline(
        text, source.lines, report, source.tree, list(range(1, len(source.lines) + 1)), context, analysis, movable
    )


def _tree_line_before(tree_lines: list, line: int) -> int:
    """The tree's line at or above ``line`` (1-based; 0: the top)."""
    while line > 0 and not tree_lines[line - 1]:
        line -= 1
    return tree_lines[line - 1] if line > 0 else 0


def _tree_line_after(tree_lines: list, line: int) -> int:
    """The tree's line at or below ``line`` (past the end: past any line)."""
    while line <= len(tree_lines) and not tree_lines[line - 1]:
        line += 1
    return tree_lines[line - 1] if line <= len(tree_lines) else sys.maxsize


def _context(path: str, roots: Optional[list], files: Optional[dict]) -> str:
    others = sorted((p, t) for p, t in (files or {}).items() if p != path)
    return hashlib.sha1(repr((roots or [], others)).encode()).hexdigest()


def _blank_or_comment(line: str) -> bool:
    """Whitespace as Python indents with, or a comment the parser accepts (no NUL, no lone surrogate)."""
    code = line.lstrip(" \t\f")
    if not code:
        return True
    if not code.startswith("#") or "\0" in code:
        return False
    try:
        code.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _inside_a_statement(tree: ast.AST, before: int, after: int) -> bool:
    """Does an expression or a simple statement span from line ``before`` to line ``after``?

    Lines added or removed there would change its source text (messages quote it) or its
    parse; between statements, or between a compound statement's parts, they change nothing.
    """
    for child in ast.iter_child_nodes(tree):
        if not hasattr(child, "lineno"):  # arguments, withitem, match_case: look inside
            if _inside_a_statement(child, before, after):
                return True
            continue
        if first_line(child) > before or child.end_lineno < after:
            continue
        if not isinstance(getattr(child, "body", None), list):
            return True
        if _inside_a_statement(child, before, after):
            return True
    return False


class _Unmoved(Exception):
    pass


def _moved(report: FileReport, move) -> FileReport:
    def span(s: Span) -> Span:
        return Span(move(s.line), s.col, move(s.end_line), s.end_col)

    renumbered: dict = {}  # derivations repeat along every chain of ops: renumber each text once

    def cited(text: str) -> str:
        if text not in renumbered:
            renumbered[text] = CITED_LINE.sub(lambda m: f"line {move(int(m.group(1)))}", text)
        return renumbered[text]

    def cause(c):
        return replace(c, span=span(c.span), message=cited(c.message))

    def fix(f):
        return replace(f, title=cited(f.title), edits=tuple(replace(e, span=span(e.span)) for e in f.edits))

    return replace(
        report,
        shapes=[replace(s, span=span(s.span), derivation=[cited(d) for d in s.derivation]) for s in report.shapes],
        calls=[replace(c, span=span(c.span)) for c in report.calls],
        diagnostics=[
            replace(
                d,
                span=span(d.span),
                message=cited(d.message),
                fixes=[fix(f) for f in d.fixes],
                related=[replace(r, span=span(r.span), message=cited(r.message)) for r in d.related],
            )
            for d in report.diagnostics
        ],
        models=[
            replace(m, line=move(m.line), forward_lines=tuple(map(move, m.forward_lines)), skipped=cited(m.skipped))
            for m in report.models
        ],
        causes=[cause(c) for c in report.causes],
        unknowns=[replace(u, span=span(u.span), cause=cause(u.cause)) for u in report.unknowns],
    )

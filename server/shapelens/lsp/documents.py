"""Open documents and their analysis: debounced, off the event loop, never stale, never lost.

Each change schedules an analysis after a short debounce; the analysis runs on one worker
thread; its result is kept only if the document has not changed meanwhile. An edit that only adds
or removes blank or comment lines moves the last analysis instead (:mod:`..analysis.incremental`).
A file that does not parse keeps its last good facts (moved to where their lines went); its
syntax error is kept beside them (``parse_error``): the status item says it, and Problems lists it
only when asked to (Python's own language server already underlines it).
"""

from __future__ import annotations

import asyncio
import difflib
import gc
import hashlib
import logging
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Optional

from pygls.uris import to_fs_path

from ..analysis.incremental import analyze_edit
from ..analysis.report import Diagnostic, FileReport, Span
from .positions import split_lines

log = logging.getLogger(__name__)
CACHE_SIZE = 64
# A report weighs ~30 bytes per character analysed: a count alone let 64 reports of a 4,000-line
# file grow the server by ~270 MB over a session of edits.
CACHE_CHARS = 2_000_000


@dataclass
class DocumentState:
    uri: str
    path: str
    version: Optional[int] = None  # the version the report describes
    text: str = ""
    report: Optional[FileReport] = None
    good_text: str = ""  # the last text that parsed, and its report
    good_report: Optional[FileReport] = None
    task: Optional[asyncio.Task] = field(default=None, repr=False)
    lines: list = field(default_factory=list, repr=False)  # of ``text``, split as LSP counts lines
    generation: int = 0  # bumped with every stored report; hints and diagnostics carry it in data
    parse_error: Optional[Diagnostic] = None  # why ``text`` does not parse (None: it does)


class Documents:
    def __init__(self, server):
        self.server = server
        self.states: dict = {}
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shapelens-analysis")
        self.cache: OrderedDict = OrderedDict()  # key -> (report, characters analysed)
        self.cached_chars = 0
        self.baselines: dict = {}  # path -> Baseline: its last analysis, moved by edits that only move lines
        self.on_analyzed = []  # callbacks(state) after a new report is stored
        self.collector = PausedCollection()

    # -- lifecycle --------------------------------------------------------------------------
    def open(self, uri: str) -> None:
        self.states[uri] = DocumentState(uri, to_fs_path(uri) or uri)
        self.schedule(uri, delay=0.0)

    def change(self, uri: str) -> None:
        if uri not in self.states:
            self.states[uri] = DocumentState(uri, to_fs_path(uri) or uri)
        self.schedule(uri, delay=self.server.settings.debounce_ms / 1000)

    def close(self, uri: str) -> None:
        state = self.states.pop(uri, None)
        if state is None:
            return
        self.baselines.pop(state.path, None)
        pending = state.task is not None and not state.task.done()  # an edit not analysed yet
        if state.task is not None:
            state.task.cancel()
        if pending or state.text != self._saved_text(state.path):
            self.reanalyze_others(uri)  # other files saw its buffer; from now on they read the disk

    def get(self, uri: str) -> Optional[DocumentState]:
        return self.states.get(uri)

    # -- analysis ---------------------------------------------------------------------------
    def schedule(self, uri: str, delay: float) -> None:
        state = self.states.get(uri)
        if state is None:
            return
        if state.task is not None and not state.task.done():
            state.task.cancel()
        state.task = asyncio.get_running_loop().create_task(self._analyze_later(uri, delay))
        state.task.add_done_callback(_log_failure)

    async def _analyze_later(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        state = self.states.get(uri)
        if state is None:
            return
        doc = self.server.workspace.get_text_document(uri)
        version, text = doc.version, doc.source
        overrides = self._open_files()
        loop = asyncio.get_running_loop()
        self.collector.pause()
        try:
            report = await loop.run_in_executor(self.executor, self._analyze, state.path, text, overrides)
            current = self.server.workspace.get_text_document(uri)
            if self.states.get(uri) is not state or current.version != version:
                return  # stale: a newer edit has its own analysis coming
            changed = text != state.text
            self._store(state, version, text, report)
            for callback in self.on_analyzed:
                callback(state)
            if changed:
                self.reanalyze_others(uri)
        finally:
            self.collector.resume_later(loop)

    def reanalyze_others(self, uri: str) -> None:
        """Every other open file may import this one: analyse them again (cached if unaffected)."""
        for other in list(self.states):
            if other != uri:
                self.schedule(other, delay=self.server.settings.debounce_ms / 1000)

    @staticmethod
    def _saved_text(path: str) -> Optional[str]:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                return handle.read()
        except OSError:  # untitled buffers, deleted files
            return None

    def _open_files(self) -> dict:
        files = {}
        for state in self.states.values():
            doc = self.server.workspace.get_text_document(state.uri)
            files[state.path] = doc.source
        return files

    def _analyze(self, path: str, text: str, overrides: dict) -> FileReport:
        """Runs on the worker thread. Cached by the text of this file and of every open file."""
        key = hashlib.sha1(repr((path, text, sorted(overrides.items()))).encode()).hexdigest()
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key][0]
        try:
            report, self.baselines[path] = analyze_edit(
                self.baselines.get(path), path, text, self.server.roots(), overrides
            )
        except Exception:  # the server never goes down on a file
            log.exception("analysis failed for %s", path)
            report = FileReport(path)
        self.cache[key] = (report, len(text))
        self.cached_chars += len(text)
        while len(self.cache) > CACHE_SIZE or (self.cached_chars > CACHE_CHARS and len(self.cache) > 1):
            _, (_, chars) = self.cache.popitem(last=False)
            self.cached_chars -= chars
        return report

    def _store(self, state: DocumentState, version, text: str, report: FileReport) -> None:
        state.version, state.text, state.lines = version, text, split_lines(text)
        state.generation += 1
        if not report.syntax_error:
            state.report, state.parse_error = report, None
            state.good_text, state.good_report = text, report
            return
        state.parse_error = report.diagnostics[0] if report.diagnostics else None
        if state.good_report is None:
            state.report = replace(report, diagnostics=[])  # nothing known yet
            return
        state.report = carry_over(state.good_report, state.good_text, text, report)


def carry_over(good: FileReport, good_text: str, text: str, broken: FileReport) -> FileReport:
    """The last good facts on the lines that did not change, moved to their new line numbers (none
    on the line of the syntax error)."""
    old_lines, new_lines = split_lines(good_text), split_lines(text)
    moved: dict = {}
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for block in matcher.get_matching_blocks():
        for i in range(block.size):
            moved[block.a + i + 1] = block.b + i + 1
    error_lines = {d.span.line for d in broken.diagnostics}

    def move(span: Span) -> Optional[Span]:
        line, end = moved.get(span.line), moved.get(span.end_line)
        if line is None or end is None or line in error_lines:
            return None
        return Span(line, span.col, end, span.end_col)

    out = FileReport(good.path, syntax_error=True)
    out.shapes = [replace(s, span=move(s.span)) for s in good.shapes if move(s.span)]
    out.calls = [replace(c, span=move(c.span)) for c in good.calls if move(c.span)]
    causes = {c: replace(c, span=move(c.span)) for c in good.causes if move(c.span)}
    out.causes = list(causes.values())
    out.unknowns = [
        replace(u, span=move(u.span), cause=causes[u.cause])
        for u in good.unknowns
        if move(u.span) and u.cause in causes
    ]
    kept = []
    for d in good.diagnostics:
        span = move(d.span)
        if span is not None and all(move(e.span) for f in d.fixes for e in f.edits):
            fixes = [replace(f, edits=tuple(replace(e, span=move(e.span)) for e in f.edits)) for f in d.fixes]
            kept.append(replace(d, span=span, fixes=fixes, related=[]))
    out.diagnostics = kept  # the syntax error is the state's parse_error
    return out


class PausedCollection:
    """The cycle collector, paused from an analysis until its results have been served.

    An analysis keeps ~100k objects alive at once (the AST, its runs): each full collection walked
    them and every cached report, 20-40% of the analysis time of a 4,000-line file, and one came
    right after the analysis too, between the new diagnostics and the client's request for the new
    hints (0.2-0.3 s at 16x). So collection stays off during an analysis and for a moment after it,
    while the client asks for hints, but never for long: the leftovers are collected once it is on.
    """

    RESUME_AFTER_S = 0.5
    LONGEST_PAUSE_S = 5.0

    def __init__(self):
        self.active = 0  # analyses under way
        self.paused_since = None
        self.handle = None

    def pause(self) -> None:
        self.active += 1
        if self.paused_since is None and gc.isenabled():
            gc.disable()
            self.paused_since = time.monotonic()
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None

    def resume_later(self, loop) -> None:
        self.active -= 1
        if self.paused_since is None or self.active:
            return
        if time.monotonic() - self.paused_since > self.LONGEST_PAUSE_S:  # edits without a break
            self._resume()
        elif self.handle is None:
            self.handle = loop.call_later(self.RESUME_AFTER_S, self._resume)

    def _resume(self) -> None:
        self.handle = None
        if self.active or self.paused_since is None:
            return
        self.paused_since = None
        gc.enable()


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("analysis task failed", exc_info=task.exception())

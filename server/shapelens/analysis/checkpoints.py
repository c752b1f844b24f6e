"""Resuming an analysis after an edit, from the last top-level statement the edit left alone.

A file's module body runs top to bottom, and what its statement k does depends only on the
statements before it. So the analysis keeps a checkpoint before each top-level statement of
its file: the globals, what the file's facts knew, and how far each of its logs had grown (the
call memo, the runs, the module run's bindings and findings). Given the file's next version, it
rewinds to the checkpoint before the first statement that differs and runs the rest, with the
unchanged statements' syntax trees kept, so every value and run of the prefix stays valid. An
edit in the last class of a 4,000-line file re-runs that class and what follows it.

After the body, the functions nobody called get symbolic runs (they see the module's final
globals), a class's methods together. Such a unit of runs is taken over from the last analysis
when it would run the same: the same nodes, the same globals read, the same facts known, and it
changed nothing made before it.

A checkpoint holds references, not copies, so it is void once code after it changed a value
made before it (``model.fc = ...``, ``layers.append(...)``): the values code can change carry
a serial from one clock, each change is logged with the statement that made it, and only a
checkpoint no later change reaches back past is resumed from.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from itertools import islice

from ..dims import Facts
from .memo import MISSING, same_value
from .source import first_line
from .values import next_serial

AFTER_THE_BODY = sys.maxsize  # the statement index of symbolic runs and other files' runs


@dataclass
class Checkpoint:
    serial: int  # values made before this point have smaller serials
    globals: dict
    scopes: dict  # key of each file loaded so far -> how many functions it had
    facts: Facts
    memo: int
    runs: int
    defaults: int
    changes: int
    internal_errors: int
    bindings: int
    findings: int
    calls: int
    requirements: int
    input_symbols: set
    callee_failed: bool


class History:
    """The checkpoints of one file's module run and the logs that rewinding undoes."""

    def __init__(self):
        self.checkpoints: list = []  # before statement i, and one after the last
        self.changes: list = []  # (serial of the value changed, statement index)
        self.runs: list = []  # (function node, run) of each recorded run, in order
        self.defaults: list = []  # classes whose default instance was made, in order
        self.statement = AFTER_THE_BODY

    def changing(self, value) -> None:
        self.changes.append((getattr(value, "serial", -1), self.statement))

    def changed_since(self, serial: int, count: int) -> bool:
        """Has a value made before ``serial`` changed since the first ``count`` changes?"""
        return any(changed < serial for changed, _ in self.changes[count:])

    def checkpoint(self, analysis, scope, module_run) -> None:
        self.checkpoints.append(
            Checkpoint(
                next_serial(),
                dict(scope.globals),
                {k: len(s.functions) for k, s in analysis.scopes.items()},
                analysis.facts.copy(),
                len(analysis.memo.writes),
                len(self.runs),
                len(self.defaults),
                len(self.changes),
                len(analysis.internal_errors),
                len(module_run.bindings),
                len(module_run.findings),
                len(module_run.calls),
                len(module_run.requirements),
                set(module_run.input_symbols),
                module_run.callee_failed,
            )
        )

    def resumable(self, old, new) -> int:
        """The index of the last checkpoint that ``new`` (a SourceFile) shares with ``old``; 0: none."""
        shared = 0
        for a, b in zip(old.tree.body, new.tree.body):
            if not _same_statement(a, old.lines, b, new.lines):
                break
            shared += 1
        for index in range(min(shared, len(self.checkpoints) - 1), 0, -1):
            if self._intact(index):
                return index
        return 0

    def _intact(self, index: int) -> bool:
        made_before = self.checkpoints[index].serial
        return not any(stamp >= index and serial < made_before for serial, stamp in self.changes)

    def rewind(self, analysis, scope, module_run, index: int) -> None:
        """Put the analysis back to where it stood before statement ``index``."""
        point = self.checkpoints[index]
        del self.checkpoints[index:]
        scope.globals.clear()
        scope.globals.update(point.globals)
        for key in list(analysis.scopes):
            if key not in point.scopes:
                del analysis.scopes[key]  # loaded since: a file importing this one, or a new import
            else:
                del analysis.scopes[key].functions[point.scopes[key] :]
        analysis.facts.restore(point.facts)
        analysis.memo.undo(point.memo)
        for node, _ in reversed(self.runs[point.runs :]):
            runs = analysis.runs[node]
            runs.pop()
            if not runs:
                del analysis.runs[node]
        del self.runs[point.runs :]
        for cls in self.defaults[point.defaults :]:
            cls.default = None
        del self.defaults[point.defaults :]
        del self.changes[point.changes :]
        del analysis.internal_errors[point.internal_errors :]
        module_run.bindings = dict(islice(module_run.bindings.items(), point.bindings))
        del module_run.findings[point.findings :]
        del module_run.calls[point.calls :]
        del module_run.requirements[point.requirements :]
        del module_run.requirement_conds[point.requirements :]
        module_run.input_symbols.clear()
        module_run.input_symbols.update(point.input_symbols)
        module_run.callee_failed = point.callee_failed


class SymbolicUnit:
    """The symbolic runs of one unit of functions, and what they depended on."""

    def __init__(self, analysis, funcs: tuple, called: tuple):
        self.funcs, self.called = funcs, called  # the functions (kept alive: their ids are the key)
        self.reads: dict = {}  # (ModuleScope, global name) -> the value read first (MISSING: unset)
        self.facts_before = analysis.facts.copy()
        self.defaults_before = tuple(f.owner.default for f in funcs if f.owner is not None)
        self.serial = next_serial()
        history = analysis.history
        self.marks = (
            len(history.runs),
            len(analysis.main[0].functions),
            len(analysis.internal_errors),
            len(history.defaults),
            len(history.changes),
        )

    def close(self, analysis) -> bool:
        """Note what the runs did; False if they cannot be taken over another time."""
        history = analysis.history
        runs, functions, errors, defaults, changes = self.marks
        self.runs = history.runs[runs:]
        self.functions = analysis.main[0].functions[functions:]
        self.internal_errors = analysis.internal_errors[errors:]
        self.defaults = [(cls, cls.default) for cls in history.defaults[defaults:]]
        self.facts_after = analysis.facts.copy()
        made_here = all(serial >= self.serial for serial, _ in history.changes[changes:])
        return made_here and not any(d is not None for d in self.defaults_before)

    def holds(self, analysis, funcs: tuple, called: tuple) -> bool:
        """Would running ``funcs`` now do what these runs did?"""
        if called != self.called or any(a is not b for a, b in zip(funcs, self.funcs)):
            return False
        if any(f.owner is not None and f.owner.default is not None for f in funcs):
            return False
        if not analysis.facts.knows_the_same(self.facts_before):
            return False
        scopes = list(analysis.scopes.values())
        return all(
            any(scope is s for s in scopes) and same_value(scope.globals.get(name, MISSING), value)
            for (scope, name), value in self.reads.items()
        )

    def replay(self, analysis) -> None:
        history = analysis.history
        for node, run in self.runs:
            analysis.runs.setdefault(node, []).append(run)
        history.runs.extend(self.runs)
        analysis.main[0].functions.extend(self.functions)
        analysis.internal_errors.extend(self.internal_errors)
        for cls, instance in self.defaults:
            cls.default = instance
            history.defaults.append(cls)
        analysis.facts.restore(self.facts_after)


def _same_statement(a: ast.stmt, a_lines: list, b: ast.stmt, b_lines: list) -> bool:
    """Same place, same text: then the same tree, and the same facts wherever it is run."""
    first = first_line(a)
    if (first, a.end_lineno, a.col_offset, a.end_col_offset) != (
        first_line(b),
        b.end_lineno,
        b.col_offset,
        b.end_col_offset,
    ):
        return False
    return a_lines[first - 1 : a.end_lineno] == b_lines[first - 1 : b.end_lineno]

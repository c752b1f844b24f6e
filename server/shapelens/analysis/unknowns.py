"""Where the views are silent, and why: the names bound to tensors without a shape, and the causes.

A file's report lists the shapes the analysis knows; this module adds what it does not know, so
that a hover on a name without a hint says why, and the editor can say how much of a file is
understood ("shapes for 42 of 60 tensor lines") and list the causes of the rest.

A binding with no shape shown is a *tensor without a shape* when, in source order,
- a lost note (``inference-lost``) sits on the expression it is bound to: that note is its cause;
- or that expression reads a name that is one: the first loss is the cause, passed on (``via``);
- or a run bound it to a tensor whose rank is unknown there;
- or it is an input of a module's ``forward`` that no call and no first use gives a shape;
- or the expression reads a name that only a star import shapelens does not follow can bring.
Anything else without a shape (an ``int``, a layer, a value nobody knows that no tensor flows
into) is not counted: nothing says it is a tensor.

A star import of a module that is not followed (torch's own, or one outside the workspace) whose
names the file uses is a cause too, with a note on the import: a file it leaves without a single
shape still says why.
"""

from __future__ import annotations

import ast
import builtins
from typing import Optional

from .. import codes
from .explain import LOST
from .report import Cause, Diagnostic, UnknownFact
from .resolve import external_ref
from .values import UNKNOWN, TensorV

LOST_CODE = codes.INFERENCE_LOST
_BUILTINS = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__", "__builtins__"}
_KNOWN, _OTHER = "known", "other"  # a name's state besides an UnknownFact


def explain_silence(analysis, scope, module_run, report) -> None:
    """Fill ``report.unknowns`` and ``report.causes``; add a note on each star import that hides names."""
    source = scope.source
    tree = source.tree
    values: dict = {}  # (line, col, name) -> every value a run bound there
    for run in [module_run] + [r for func in scope.functions for r in analysis.runs.get(func.node, [])]:
        for key, binding in run.bindings.items():
            values.setdefault(key, []).extend(binding.values)
    notes: dict = {}  # line -> the first lost note starting on it
    for d in report.diagnostics:
        if d.code == LOST_CODE:
            notes.setdefault(d.span.line, d)
    walk = _Walk(source, {(f.span.line, f.span.col) for f in report.shapes}, values, notes)
    hidden = _hidden_names(tree, scope) if any(_is_star(stmt) for stmt in tree.body) else frozenset()
    stars = _unfollowed_stars(analysis, scope, tree, hidden) if hidden else []
    for node, message in stars:
        cause = Cause(source.span(node), message)
        walk.star_causes.append(cause)
        report.diagnostics.append(Diagnostic(cause.span, "hint", LOST_CODE, message))
    if walk.star_causes:
        walk.hidden = hidden
        report.diagnostics.sort(key=lambda d: (d.span.line, d.span.col))
    walk.body(tree.body)
    walked = set()
    for func in scope.functions:  # a nested def is made once per run of its function
        if id(func.node) not in walked:
            walked.add(id(func.node))
            walk.function(func)
    causes = {c.span: c for c in walk.star_causes}
    for _, note in sorted(notes.items()):
        causes.setdefault(note.span, walk.note_cause(note))
    for fact in walk.facts:
        causes.setdefault(fact.cause.span, fact.cause)
    report.unknowns = sorted(walk.facts, key=lambda f: (f.span.line, f.span.col))
    report.causes = sorted(causes.values(), key=lambda c: (c.span.line, c.span.col))


class _Walk:
    def __init__(self, source, known: set, values: dict, notes: dict):
        self.source = source
        self.known = known
        self.values = values
        self.notes = notes
        self.facts: list = []
        self.star_causes: list = []
        self.hidden: frozenset = frozenset()
        self.state: dict = {}  # name -> _KNOWN | _OTHER | UnknownFact, in the unit walked
        self._note_causes: dict = {}

    def note_cause(self, note) -> Cause:
        cause = self._note_causes.get(note.span)
        if cause is None:
            reason = note.message[len(LOST) :] if note.message.startswith(LOST) else note.message
            cause = self._note_causes[note.span] = Cause(note.span, reason)
        return cause

    # -- units ------------------------------------------------------------------------------
    def function(self, func) -> None:
        node = func.node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        self.state = {}
        args = node.args
        params = args.posonlyargs + args.args + args.kwonlyargs
        owner = func.owner
        forward = owner is not None and getattr(owner, "is_module", False) and node.name == "forward"
        for index, param in enumerate(params):
            key = self._key(param, param.arg)
            if (key[0], key[1]) in self.known:
                self.state[param.arg] = _KNOWN
            elif (
                forward
                and index > 0
                and key in self.values
                and all(map(_unknownish, self.values[key]))
                and not any(isinstance(v, TensorV) for v in self.values[key])
            ):
                cause = Cause(
                    self.source.name_span(param, param.arg),
                    f"no call gives `{param.arg}` of {owner.name}.forward a shape, and its first "
                    f"use does not say what it is",
                )
                self._add(param, param.arg, cause)
            else:
                self.state[param.arg] = _OTHER
        self.body(node.body)

    def body(self, stmts: list) -> None:
        for stmt in stmts:
            self.statement(stmt)

    def statement(self, stmt) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            return  # their own units (methods), or not followed (class bodies)
        if isinstance(stmt, ast.Assign):
            self.bind(stmt.targets, stmt.value)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            self.bind([stmt.target], stmt.value)
        elif isinstance(stmt, ast.AugAssign):
            self.bind([stmt.target], stmt.value, also_reads=stmt.target)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            self.bind([stmt.target], stmt.iter)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.optional_vars is not None:
                    self.bind([item.optional_vars], item.context_expr)
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list):
                self.body(inner)
        for handler in getattr(stmt, "handlers", None) or []:
            self.body(handler.body)
        for case in getattr(stmt, "cases", None) or []:
            self.body(case.body)

    # -- one binding ------------------------------------------------------------------------
    def bind(self, targets: list, value, also_reads=None) -> None:
        names = [n for t in targets for n in _target_names(t)]
        if not names:
            return
        reads = _reads(value) + ([also_reads.id] if isinstance(also_reads, ast.Name) else [])
        note = next(
            (
                self.notes[line]
                for line in range(value.lineno, (value.end_lineno or value.lineno) + 1)
                if line in self.notes
            ),
            None,
        )
        for target in names:
            key = self._key(target, target.id)
            if (key[0], key[1]) in self.known:
                self.state[target.id] = _KNOWN
                continue
            bound = self.values.get(key)
            if not bound or not all(map(_unknownish, bound)):
                self.state[target.id] = _OTHER  # never run, or not a tensor
                continue
            cause, via = self._cause(target, reads, note, bound)
            if cause is None:
                self.state[target.id] = _OTHER
            else:
                self._add(target, target.id, cause, via)

    def _cause(self, target, reads: list, note, bound: list) -> tuple:
        if note is not None:
            return self.note_cause(note), ""
        for name in reads:
            upstream = self.state.get(name)
            if isinstance(upstream, UnknownFact):
                return upstream.cause, name
        if any(isinstance(v, TensorV) for v in bound):
            return Cause(
                self.source.span(target),
                f"`{target.id}` is a tensor whose rank is not known here "
                f"(the paths or calls that reach this line disagree)",
            ), ""
        if self.star_causes and any(name in self.hidden for name in reads):
            return self.star_causes[0], ""
        return None, ""

    def _add(self, node, name: str, cause: Cause, via: str = "") -> None:
        fact = UnknownFact(self.source.name_span(node, name), name, cause, via)
        self.facts.append(fact)
        self.state[name] = fact

    def _key(self, node, name: str) -> tuple:
        span = self.source.name_span(node, name)
        return span.line, span.col, name


def _unknownish(value) -> bool:
    return value is UNKNOWN or (isinstance(value, TensorV) and value.shape.is_unknown)


def _target_names(target) -> list:
    if isinstance(target, ast.Name):
        return [target]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for e in target.elts for n in _target_names(e)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _reads(expr) -> list:
    """Names the expression reads, in source order, once each."""
    seen: dict = {}
    for node in ast.walk(expr):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            seen.setdefault(node.id, (node.lineno, node.col_offset))
    return sorted(seen, key=lambda name: seen[name])


# -- star imports ---------------------------------------------------------------------------


def _hidden_names(tree, scope) -> frozenset:
    """Names the file reads that nothing in it defines: only a star import can bring them."""
    defined: set = set(scope.globals)
    read: set = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else defined).add(node.id)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.alias):
            defined.add((node.asname or node.name).split(".", 1)[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            defined.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            defined.update(node.names)
    return frozenset(read - defined - _BUILTINS)


def _is_star(stmt) -> bool:
    return isinstance(stmt, ast.ImportFrom) and any(a.name == "*" for a in stmt.names)


def _unfollowed_stars(analysis, scope, tree, hidden: frozenset) -> list:
    """``(import node, message)`` for each module-level star import whose names shapelens cannot see."""
    names = sorted(hidden)
    shown = ", ".join(f"`{n}`" for n in names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    verb = "is" if len(names) == 1 else "are"
    out = []
    for stmt in tree.body:
        if not _is_star(stmt):
            continue
        module = "." * stmt.level + (stmt.module or "")
        if not stmt.level and external_ref(stmt.module or "") is not None:
            why = (
                f"shapelens does not follow star imports of {stmt.module.split('.', 1)[0]}, so {shown} "
                f"{verb} unknown here; import them by name (`from {stmt.module} import ...`) or import the "
                f"module (`import {stmt.module}`)"
            )
        elif _module_file(analysis, scope, stmt) is None:
            why = f"`{module}` is not a file of the workspace, so {shown} {verb} unknown here"
        else:
            continue  # a workspace module: its names are followed
        out.append((stmt, f"names from `from {module} import *` are not followed: {why}"))
    return out


def _module_file(analysis, scope, stmt) -> Optional[str]:
    return analysis._module_file(scope, stmt.module or "", stmt.level)

"""Which run each view shows, and where each diagnostic belongs.

- A function called from exactly one context shows that context's (concrete) shapes.
- Called from several, it shows what they have in common: sizes that differ between contexts
  become shared symbols (``[10, 784]`` and ``[1, 784]`` give ``[B, 784]``); ranks that differ
  become unknown.
- Never called, it shows its symbolic run.

An error that every context hits, or that the only context hits, is shown where it happens. An
error only some contexts hit belongs to those call sites; when adding a batch dimension to the
input would make the call work, it is a ``missing-batch-dim`` error there, with that fix.
"""

from __future__ import annotations

from dataclasses import replace

from .. import codes
from ..dims import Expr, Shape, substitute, sym, symbol_name
from .report import Diagnostic, Fix, Related, ShapeFact, TextEdit
from .runs import Finding, Run, join_all
from .inputs import POSITIONAL_NAMES
from .values import DictV, InstanceV, TensorV

ANTI_UNIFY_NAMES = ("B", "C", "H", "W", "T", "L", "D", "E", "K", "M", "N")


def assemble(analysis, scope, module_run: Run, report, parts: dict) -> dict:
    """Fill ``report``; ``parts`` are the functions' views of the last assembly of this analysis,
    reused where a function has the same runs knowing the same facts. Returns this assembly's."""
    source = scope.source
    facts_by_span: dict = {}
    findings: list = []
    _add_bindings(facts_by_span, [module_run], None)
    findings.extend(module_run.findings)
    report.calls.extend(_settled_calls(module_run))
    findings.extend(_errors_from_other_files(analysis, scope))
    assembled: dict = {}
    for func in scope.functions:
        runs = analysis.runs.get(func.node, [])
        part = parts.get(func.node)
        if part is None or not part.shows(runs):
            part = _FunctionView(runs, source, analysis)
        assembled[func.node] = part
        facts_by_span.update(part.facts_by_span)
        report.calls.extend(part.calls)
        findings.extend(part.findings)
    report.shapes = sorted(facts_by_span.values(), key=lambda f: (f.span.line, f.span.col))
    seen = set()
    for finding in findings:
        key = (finding.span, finding.code, finding.message)
        if key in seen:
            continue
        seen.add(key)
        report.diagnostics.append(
            Diagnostic(
                finding.span,
                finding.severity,
                finding.code,
                finding.message,
                list(finding.fixes),
                list(finding.related),
            )
        )
    report.diagnostics.sort(key=lambda d: (d.span.line, d.span.col))
    return assembled


class _FunctionView:
    """What one function's runs show: its hints, the calls it makes, its findings placed."""

    def __init__(self, runs: list, source, analysis):
        self.runs = list(runs)
        self.knowledge = [(facts, facts.copy()) for facts in {id(r.facts): r.facts for r in runs}.values()]
        self.facts_by_span: dict = {}
        self.calls: list = []
        self.findings: list = []
        calls = [r for r in runs if r.context == "call" and not r.lost]
        # with a caller nobody can follow, the known callers are not all there is
        strong = [r for r in calls if not r.weak] if not any(r.lost for r in runs) else []
        symbolic = [r for r in runs if r.context == "symbolic" and not r.on_demo]
        on_demo = [r for r in runs if r.on_demo]
        # Called only from functions nobody calls: those calls are contexts beside the summary,
        # but not the calls of other summaries (their sizes are the caller's symbols).
        contexts = calls if strong else [r for r in calls if not (symbolic and r.from_summary)] + symbolic[:1]
        unifier = None
        if len(contexts) > 1:
            others = contexts[:-1] if not strong else contexts
            unifier = _AntiUnifier(not strong, lambda name: _sizes_in(analysis, others, name))
        _add_bindings(self.facts_by_span, contexts, unifier, None if strong else (on_demo[:1] or [None])[0])
        if unifier is not None and unifier.summary_last:
            sizes = unifier.context_sizes()
            for fact in self.facts_by_span.values():
                fact.context_sizes = sizes
        shown = strong[:1] or symbolic[:1] or calls[:1]
        if shown:
            self.calls = _settled_calls(shown[0])
        placed = _place_call_findings(contexts, source)
        if not strong and symbolic:  # where a demo's run lost its way, the summary says what it knows
            weak_notes = {f.key for r in calls for f in r.findings if f.code == codes.INFERENCE_LOST}
            own = {f.key for f in symbolic[0].findings}
            placed = [f for f in placed if f.key not in weak_notes or f.key in own]
        if not strong and on_demo:  # a note of the summary's that the run on a caller's instance got past
            passed = {f.key for f in placed if f.code == codes.INFERENCE_LOST} - {f.key for f in on_demo[0].findings}
            placed = [f for f in placed if f.key not in passed]
        self.findings.extend(placed)

    def shows(self, runs: list) -> bool:
        """Still the view of ``runs``: the same runs, and their facts learned nothing since."""
        return (
            len(runs) == len(self.runs)
            and all(a is b for a, b in zip(runs, self.runs))
            and all(facts.knows_the_same(then) for facts, then in self.knowledge)
        )


def _add_bindings(out: dict, runs: list, unifier, on_demo: Run = None) -> None:
    """ShapeFacts for the tensor bindings of ``runs`` (anti-unified across them when several).
    ``on_demo``: the summary's run on a demo's instance, for the lines the summary does not know."""
    keys: list = []
    for run in runs:
        for key in run.bindings:
            if key not in keys:
                keys.append(key)
    last = runs[-1] if unifier is not None and unifier.summary_last else None
    for key in keys:
        summary = last
        if (
            last is not None
            and on_demo is not None
            and key in on_demo.bindings
            and not _known_shape(join_all(last.bindings[key].values) if key in last.bindings else None)
            and _known_shape(join_all(on_demo.bindings[key].values))
        ):
            summary = on_demo  # where the default instance knew too little
        present = [run for run in runs if key in run.bindings and run is not last]
        if summary is not None and key in summary.bindings:
            present.append(summary)
            # a weak call that knows less here than the function alone does ([*batch, C] against
            # [B, T, C]) says nothing about this line: it must not erase what the summary knows
            present = [
                run
                for run in present
                if run is summary or _as_specific(run.bindings[key].values, summary.bindings[key].values)
            ]
        values = [_display(join_all(run.bindings[key].values), run) for run in present]
        if last is not None and summary not in present:
            # a line the summary does not reach: a demo's sizes only in the summary's terms
            value = unifier.in_summary_terms(values, [runs.index(run) for run in present], len(runs))
        elif unifier is None or len(values) == 1:
            value = values[0]
        else:
            value = unifier.generalise(values)
        if not _is_tensorish(value):
            continue
        binding = present[0].bindings[key]
        fact = ShapeFact(binding.span, binding.name, _shape_of(value), _derivation(value), binding.kind)
        if binding.kind == "parameter" and len(runs) == 1 and runs[0].requirements:
            fact.requirement = ", ".join(runs[0].requirements)
        out[key] = fact


def _known_shape(value) -> bool:
    if isinstance(value, TensorV):
        return value.shape.is_fixed
    return isinstance(value, tuple) and bool(value) and all(_known_shape(v) for v in value)


def _as_specific(values: list, than: list) -> bool:
    """Does a context's value know the rank wherever the summary's does?"""
    return _known_shape(join_all(values)) or not _known_shape(join_all(than))


def _display(value, run: Run):
    """Resolve what the run's facts learned (``C`` -> 3) so hints show the settled form."""
    if isinstance(value, TensorV):
        return TensorV(value.shape.simplify(run.facts), value.origin)
    if isinstance(value, tuple):
        return tuple(_display(v, run) for v in value)
    return value


def _settled_calls(run: Run) -> list:
    """The run's call facts with what its facts learned applied (``C`` -> 1)."""

    def settle(value):
        if isinstance(value, Shape):
            return value.simplify(run.facts)
        if isinstance(value, tuple):
            return tuple(settle(v) for v in value)
        return value

    return [replace(c, inputs=settle(c.inputs), output=settle(c.output)) for c in run.calls]


def _is_tensorish(value) -> bool:
    """A tensor with something known of its shape (a hint that says only ``[...]`` says nothing)."""
    if isinstance(value, TensorV):
        return not value.shape.is_unknown
    return isinstance(value, tuple) and any(_is_tensorish(v) for v in value)


def _shape_of(value):
    if isinstance(value, TensorV):
        return value.shape
    if isinstance(value, tuple):
        return tuple(_shape_of(v) for v in value)
    return None


class _AntiUnifier:
    """Anti-unification of one function's contexts: what all agree on stays, each differing tuple
    of sizes gets one name for the whole function.

    With a symbolic run among the contexts (it comes last), its symbols name the sizes that
    differ, and its expressions stay where every other context's sizes satisfy them
    (``[1, 8, 16, 16]`` with ``[B, out_ch, (H-1)//stride+1, ...]`` keeps the expression only if
    the contexts' own H and stride give 16)."""

    def __init__(self, summary_last: bool, sizes_of=None):
        self.summary_last = summary_last
        self.sizes_of = sizes_of  # a summary symbol -> the other contexts' values of it, if they all have one
        self.names: dict = {}  # column of sizes -> the symbol standing for it
        self.meaning: dict = {}  # a summary symbol -> the other contexts' sizes it stood for

    def generalise(self, values: list):
        first = values[0]
        if all(isinstance(v, TensorV) for v in values):
            shapes = [v.shape for v in values]
            if not all(s.is_fixed for s in shapes) or len({s.rank for s in shapes}) != 1:
                return TensorV(Shape.unknown(), first.origin)
            rank = shapes[0].rank
            dims = [self._dim(axis, rank, column) for axis, column in enumerate(zip(*(s.dims for s in shapes)))]
            return TensorV(Shape(dims), first.origin)
        if all(isinstance(v, tuple) for v in values) and len({len(v) for v in values}) == 1:
            return tuple(self.generalise(list(items)) for items in zip(*values))
        return None

    def _dim(self, axis: int, rank: int, column: tuple):
        if all(d == column[0] for d in column):
            return column[0]
        if column in self.names:
            return self.names[column]
        if self.summary_last and isinstance(column[-1], Expr):
            kept = self._summary_dim(column)
            if kept is not None:
                return kept
        self.names[column] = sym(self._fresh_name(axis, rank))
        return self.names[column]

    def _summary_dim(self, column: tuple):
        """The symbolic run's own size, where the other contexts agree with it."""
        summary, others = column[-1], column[:-1]
        name = symbol_name(summary)
        if name is not None:
            if name in self.meaning:
                return summary if self.meaning[name] == others else None
            self.meaning[name] = others
            self.names[column] = summary
            return summary
        for symbol in summary.symbols() - set(self.meaning):
            sizes = self.sizes_of(symbol) if self.sizes_of is not None else None
            if sizes is None:
                return None
            self.meaning[symbol] = sizes
        for i, size in enumerate(others):
            if substitute(summary, {n: sizes[i] for n, sizes in self.meaning.items()}) != size:
                return None
        self.names[column] = summary
        return summary

    def in_summary_terms(self, values: list, positions: list, width: int):
        """Values of some demos at a line the summary does not reach (``loss`` under ``if targets
        is not None``), each size named as the summary names it in those demos; None where a
        size has no such name (it might differ elsewhere)."""
        if (
            not all(isinstance(v, TensorV) and v.shape.is_fixed for v in values)
            or len({v.shape.rank for v in values}) != 1
        ):
            return None
        dims = []
        for column in zip(*(v.shape.dims for v in values)):
            names = {
                name
                for full, name in self.names.items()
                if len(full) == width and tuple(full[i] for i in positions) == column
            }
            if len(names) != 1:
                return None
            dims.append(names.pop())
        return TensorV(Shape(dims), values[0].origin)

    def context_sizes(self) -> list:
        """Per context beside the summary (a file's demo calls), each symbol's size there: what a
        run of that context must see, so that validation can confirm a symbolic hint."""
        columns = dict(self.meaning)
        columns.update({str(name): column[:-1] for column, name in self.names.items() if symbol_name(name)})
        count = min((len(c) for c in columns.values()), default=0)
        return [{name: column[i] for name, column in columns.items() if type(column[i]) is int} for i in range(count)]

    def _fresh_name(self, axis: int, rank: int) -> str:
        used = {str(s) for s in self.names.values()} | set(self.meaning)
        usual = POSITIONAL_NAMES.get(rank, ())
        base = usual[axis] if axis < len(usual) else next((n for n in ANTI_UNIFY_NAMES if n not in used), "d")
        name, n = base, 2
        while name in used:
            name, n = f"{base}{n}", n + 1
        return name


def _sizes_in(analysis, runs: list, name: str):
    """What a summary's symbol (a parameter ``stride``, a path ``cfg.dim``) is in each of ``runs``:
    their own arguments, or the arguments their instance was built with."""
    sizes = []
    for run in runs:
        size = _size_in(analysis, run, name)
        if size is None:
            return None
        sizes.append(size)
    return tuple(sizes)


def _size_in(analysis, run: Run, name: str):
    head, *path = name.split(".")
    value = run.params.get(head)
    if value is None:
        value = analysis.constructor_arguments(_instance_of(run)).get(head)
    for attr in path:
        if isinstance(value, InstanceV):
            value = value.attrs.get(attr)
        elif isinstance(value, DictV) and value.items is not None:
            value = value.items.get(attr)
        else:
            return None
    return value if type(value) is int else None


def _instance_of(run: Run):
    func = run.func
    if func is None or func.owner is None:
        return None
    positional = func.node.args.posonlyargs + func.node.args.args
    return run.params.get(positional[0].arg) if positional else None


def _derivation(value) -> list:
    """The chain of ops that made this shape, newest first: what hover shows."""
    lines = []
    current = value if isinstance(value, TensorV) else None
    while current is not None and current.origin is not None and len(lines) < 8:
        origin = current.origin
        step = f"line {origin.line}: {origin.text} -> {current.shape}"
        if origin.note and origin.note not in origin.text:
            step += f"  [{origin.note}]"
        lines.append(step)
        nxt = origin.inputs[0] if origin.inputs else None
        current = nxt if isinstance(nxt, TensorV) and nxt is not current else None
    return lines


def _place_call_findings(calls: list, source) -> list:
    """Findings of call runs: at the body when every context has them, else at the call sites."""
    if not calls:
        return []
    placed = []
    counts: dict = {}
    for run in calls:
        for finding in run.findings:
            counts[finding.key] = counts.get(finding.key, 0) + 1
    for run in calls:
        site = run.call_node if run.call_source is source and run.call_node is not None else None
        for finding in run.findings:
            everywhere = counts[finding.key] == len(calls)
            if finding.severity != "error" or site is None or (everywhere and not run.batch_fix):
                placed.append(finding)
                continue
            placed.append(_at_call_site(run, finding, site, source))
            if not run.batch_fix:  # the line still raises, for this caller's input
                placed.append(
                    replace(
                        finding,
                        message=f"{finding.message} (for the input of the call at "
                        f"line {site.lineno}: {_first_tensor_shape(run)})",
                    )
                )
    return placed


def _errors_from_other_files(analysis, scope) -> list:
    """Calls from this file into another file's functions that fail there: shown at the call."""
    own = {f.node for f in scope.functions}
    placed = []
    for node, runs in analysis.runs.items():
        if node in own:
            continue
        for run in runs:
            if run.context != "call" or run.call_source is not scope.source or run.call_node is None:
                continue
            for finding in run.errors:
                at_call = _at_call_site(run, finding, run.call_node, scope.source)
                if at_call.code != codes.MISSING_BATCH_DIM:
                    # its fixes edit the other file (an installed package's, maybe): not this one
                    where = run.func.module.source.path if run.func is not None else None
                    at_call = replace(
                        at_call, fixes=[], related=[replace(r, path=r.path or where) for r in at_call.related]
                    )
                placed.append(at_call)
    return placed


def _at_call_site(run: Run, finding, site, source):
    shape = _first_tensor_shape(run)
    call_text = source.segment(site)
    span = source.span(site)
    related = [Related(finding.span, finding.message)] + list(finding.related)
    if run.batch_fix:
        arg = site.args[0] if getattr(site, "args", None) else None
        fixes = []
        if arg is not None:
            text = source.segment(arg)
            fixes.append(
                Fix("Add a batch dimension with .unsqueeze(0)", (TextEdit(source.span(arg), f"{text}.unsqueeze(0)"),))
            )
        message = (
            f"{call_text} is given one sample of shape {shape}, but the model expects a batch: "
            f"{finding.message.split(':')[0]} (line {finding.span.line}); "
            f"add a batch dimension, e.g. .unsqueeze(0)"
        )
        return Finding(span, codes.MISSING_BATCH_DIM.severity, codes.MISSING_BATCH_DIM, message, fixes, related)
    message = f"{call_text} with input {shape} fails at line {finding.span.line}: {finding.message}"
    return Finding(span, "error", finding.code, message, list(finding.fixes), related)


def _first_tensor_shape(run: Run):
    for value in run.params.values():
        if isinstance(value, TensorV):
            return value.shape
    return "?"

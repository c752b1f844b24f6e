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

from ..dims import Shape, sym
from .report import Diagnostic, Fix, Related, ShapeFact, TextEdit
from .runs import Finding, Run, join_all
from .values import TensorV

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
            part = _FunctionView(runs, source)
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
        report.diagnostics.append(Diagnostic(finding.span, finding.severity, finding.code, finding.message,
                                             list(finding.fixes), list(finding.related)))
    report.diagnostics.sort(key=lambda d: (d.span.line, d.span.col))
    return assembled


class _FunctionView:
    """What one function's runs show: its hints, the calls it makes, its findings placed."""

    def __init__(self, runs: list, source):
        self.runs = list(runs)
        self.knowledge = [(facts, facts.copy()) for facts in {id(r.facts): r.facts for r in runs}.values()]
        self.facts_by_span: dict = {}
        self.calls: list = []
        self.findings: list = []
        calls = [r for r in runs if r.context == "call"]
        symbolic = [r for r in runs if r.context == "symbolic"]
        if len(calls) == 1:
            _add_bindings(self.facts_by_span, calls, None)
        elif calls:
            _add_bindings(self.facts_by_span, calls, {})
        elif symbolic:
            _add_bindings(self.facts_by_span, symbolic[:1], None)
        shown = calls[:1] or symbolic[:1]
        if shown:
            self.calls = _settled_calls(shown[0])
        if symbolic and not calls:
            self.findings.extend(symbolic[0].findings)
        self.findings.extend(_place_call_findings(calls, source))

    def shows(self, runs: list) -> bool:
        """Still the view of ``runs``: the same runs, and their facts learned nothing since."""
        return len(runs) == len(self.runs) and all(a is b for a, b in zip(runs, self.runs)) and \
            all(facts.knows_the_same(then) for facts, then in self.knowledge)


def _add_bindings(out: dict, runs: list, table) -> None:
    """ShapeFacts for the tensor bindings of ``runs`` (anti-unified across them when several)."""
    keys: list = []
    for run in runs:
        for key in run.bindings:
            if key not in keys:
                keys.append(key)
    for key in keys:
        present = [run for run in runs if key in run.bindings]
        if len(present) != len(runs):
            continue  # a line only some contexts reach says nothing about the others
        values = [_display(join_all(run.bindings[key].values), run) for run in present]
        if table is None or len(values) == 1:
            value = values[0]
        else:
            value = _generalise(values, table)
        if not _is_tensorish(value):
            continue
        binding = present[0].bindings[key]
        fact = ShapeFact(binding.span, binding.name, _shape_of(value), _derivation(value), binding.kind)
        if binding.kind == "parameter" and len(runs) == 1 and runs[0].requirements:
            fact.requirement = ", ".join(runs[0].requirements)
        out[key] = fact


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
    if isinstance(value, TensorV):
        return True
    return isinstance(value, tuple) and any(_is_tensorish(v) for v in value)


def _shape_of(value):
    if isinstance(value, TensorV):
        return value.shape
    if isinstance(value, tuple):
        return tuple(_shape_of(v) for v in value)
    return None


def _generalise(values: list, table: dict):
    """Anti-unify: keep what all contexts agree on; name each differing tuple of sizes once."""
    first = values[0]
    if all(isinstance(v, TensorV) for v in values):
        shapes = [v.shape for v in values]
        if not all(s.is_fixed for s in shapes) or len({s.rank for s in shapes}) != 1:
            return TensorV(Shape.unknown(), first.origin)
        dims = []
        for axis, column in enumerate(zip(*(s.dims for s in shapes))):
            if all(d == column[0] for d in column):
                dims.append(column[0])
            else:
                if column not in table:
                    table[column] = sym(_fresh_name(table, axis))
                dims.append(table[column])
        return TensorV(Shape(dims), first.origin)
    if all(isinstance(v, tuple) for v in values) and len({len(v) for v in values}) == 1:
        return tuple(_generalise(list(items), table) for items in zip(*values))
    return None


def _fresh_name(table: dict, axis: int) -> str:
    used = {str(s) for s in table.values()}
    if axis == 0 and "B" not in used:
        return "B"
    for name in ANTI_UNIFY_NAMES[1:]:
        if name not in used:
            return name
    return f"d{len(used)}"


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
                placed.append(replace(finding, message=f"{finding.message} (for the input of the call at "
                                                       f"line {site.lineno}: {_first_tensor_shape(run)})"))
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
                placed.append(_at_call_site(run, finding, run.call_node, scope.source))
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
            fixes.append(Fix("Add a batch dimension with .unsqueeze(0)",
                             (TextEdit(source.span(arg), f"{text}.unsqueeze(0)"),)))
        message = (f"{call_text} is given one sample of shape {shape}, but the model expects a batch: "
                   f"{finding.message.split(':')[0]} (line {finding.span.line}); "
                   f"add a batch dimension, e.g. .unsqueeze(0)")
        return Finding(span, "error", "missing-batch-dim", message, fixes, related)
    message = f"{call_text} with input {shape} fails at line {finding.span.line}: {finding.message}"
    return Finding(span, "error", finding.code, message, list(finding.fixes), related)


def _first_tensor_shape(run: Run):
    for value in run.params.values():
        if isinstance(value, TensorV):
            return value.shape
    return "?"

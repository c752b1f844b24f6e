"""What a run on the meta device says about the static facts: confirmed, contradicted, filled in.

- A hint whose every runtime shape agrees (symbols replaced by the sampled sizes) is *confirmed*.
- A hint that disagrees is a ``runtime-shape-mismatch`` warning with both shapes.
- A name the analysis lost gets the shape the run saw (as a number where the samples agree, as
  the input symbol where it followed one), marked as coming from the run.
- An exception is a ``runtime-error`` at the line of the file that raised it, with torch's
  message: an error when the inputs were concrete, a warning stating the sizes when they were
  sampled. A model that could not be built or run gets a ``not-validated`` note saying why.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import Optional

from .. import codes
from ..analysis.report import Diagnostic, FileReport, ShapeFact, Span, shape_text
from ..analysis.model_runs import TensorInput
from ..analysis.source import SourceFile
from ..dims import Shape, substitute, sym, symbol_name


@dataclass
class Outcome:
    report: FileReport
    confirmed: int = 0
    disagreements: int = 0
    filled: int = 0
    errors: int = 0
    not_run: int = 0
    raised: list = field(default_factory=list)  # (line, message) of every shape error the run hit

    def summary(self) -> str:
        parts = [_count(self.confirmed, "hint") + " confirmed"]
        for n, noun, tail in (
            (self.disagreements, "disagreement", ""),
            (self.filled, "shape", " from the run"),
            (self.errors, "runtime error", ""),
            (self.not_run, "model", " not run"),
        ):
            if n:
                parts.append(_count(n, noun) + tail)
        return ", ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def merge(report: FileReport, text: str, models: list, samples: list, response: dict) -> Outcome:
    """A copy of ``report`` with the run's findings; ``samples[i]`` are the sizes ``models[i]`` ran with."""
    source = SourceFile(text, report.path)
    out = Outcome(
        replace(
            report,
            shapes=[replace(s) for s in report.shapes],
            diagnostics=list(report.diagnostics),
            calls=[replace(c) for c in report.calls],
        )
    )
    seen = _observations(models, samples, response, out, source)
    _compare_bindings(out, seen["lines"], source)
    _confirm_calls(out, seen["modules"])
    _add_errors(out, seen["errors"], source)
    for note in response.get("notes", []):
        _note(out, source, note.get("line") or 1, f"the validation run skipped this line: {note['message']}")
    out.report.shapes.sort(key=lambda f: (f.span.line, f.span.col))
    out.report.diagnostics.sort(key=lambda d: (d.span.line, d.span.col))
    return out


def _observations(models, samples, response, out: Outcome, source) -> dict:
    """Every runtime shape with the sizes it ran with; errors; notes for models that did not run."""
    seen: dict = {"lines": {}, "modules": {}, "errors": []}
    answers = iter(response.get("models", []))
    for model, used in zip(models, samples):
        if model.skipped or used is None:
            why = (
                model.skipped or "no input sizes meet its requirements (" + ", ".join(str(c) for c in model.conds) + ")"
            )
            _note(out, source, model.line, f"`{model.name}` was not run on the meta device: {why}")
            out.not_run += 1
            continue
        answer = next(answers, None)
        if answer is None:
            continue
        if answer.get("note"):
            _note(out, source, model.line, f"`{model.name}` was not run on the meta device: {answer['note']}")
            out.not_run += 1
            continue
        for line, name, shape in answer.get("built", []):
            seen["lines"].setdefault((line, name), []).append(({}, shape))
        given = _sizes_of_given_inputs(out.report, model)
        first, last = model.forward_lines
        for sample in answer.get("samples", []):
            values = sample.get("values", {})
            for line, name, shape in sample.get("lines", []):
                # the forward's own symbols mean the sizes its inputs had; another function's
                # symbols of the same name are its own
                here = {**given, **values} if first <= line <= last else values
                seen["lines"].setdefault((line, name), []).append((here, shape))
            for path, shapes in sample.get("modules", {}).items():
                for shape in shapes:
                    seen["modules"].setdefault(path, []).append((values, shape))
            if sample.get("error"):
                seen["errors"].append((model, values, sample["error"]))
    return seen


def _sizes_of_given_inputs(report: FileReport, model) -> dict:
    """The sizes a run from a call site's concrete inputs gives the symbols of the forward's input
    hints (``x: [B, 1, H, W]`` run on [4, 1, 28, 28]: B=4, H=28, W=28), where the hints are
    more general than that call (a file's own demo is one context among others)."""
    hints = {f.name: f.value for f in report.shapes if f.kind == "parameter" and f.span.line == model.forward_lines[0]}
    values: dict = {}
    for name, spec in model.tensors.items():
        hint = hints.get(name)
        if (
            not isinstance(hint, Shape)
            or not hint.is_fixed
            or not hasattr(spec, "shape")
            or not spec.shape.is_fixed
            or hint.rank != spec.shape.rank
        ):
            continue
        for dim, size in zip(hint.dims, spec.shape.dims):
            if type(size) is int and symbol_name(dim) is not None:
                values.setdefault(symbol_name(dim), size)
    return values


# -- bindings ---------------------------------------------------------------------------------
def _compare_bindings(out: Outcome, lines: dict, source: SourceFile) -> None:
    by_site = {(f.span.line, f.name): f for f in out.report.shapes if f.kind == "binding"}
    for site, observed in lines.items():
        fact = by_site.get(site)
        if fact is None or _lost(fact.value):
            _fill(out, fact, site, observed, source)
            continue
        verdicts = [_agrees_in_a_context(fact, shape, values) for values, shape in observed]
        if False in verdicts:
            values, shape = observed[verdicts.index(False)]
            out.disagreements += 1
            out.report.diagnostics.append(
                Diagnostic(
                    fact.span,
                    codes.RUNTIME_SHAPE_MISMATCH.severity,
                    codes.RUNTIME_SHAPE_MISMATCH,
                    f"static analysis says `{fact.name}` is {_static_text(fact.value, values)}, but a run on the "
                    f"meta device gave {_runtime_text(shape)}{_with(values)}",
                )
            )
        elif verdicts and all(v is True for v in verdicts):
            fact.validation = "confirmed"
            fact.validation_note = "confirmed by a run on the meta device" + _with_all(observed)
            out.confirmed += 1


def _lost(value) -> bool:
    return value is None or (isinstance(value, Shape) and value.is_unknown)


def _fill(out: Outcome, fact: Optional[ShapeFact], site: tuple, observed: list, source: SourceFile) -> None:
    shapes, samples = [shape for _, shape in observed], [values for values, _ in observed]
    value = _generalise(shapes, samples)
    note = "from a run on the meta device" + _with_all(observed) + "; static analysis lost it"
    if value is None and len({repr(s) for s in shapes}) == len({repr(v) for v in samples}):
        value = _generalise(shapes[:1], samples[:1])  # one shape per sample: show the first run's
        note += "; the sizes are that run's, other inputs give others"
    if value is None:
        return
    if fact is not None:
        fact.value, fact.validation, fact.validation_note = value, "run", note
    else:
        span = _name_span(source, *site)
        if span is None:
            return
        out.report.shapes.append(ShapeFact(span, site[1], value, [], validation="run", validation_note=note))
    out.filled += 1


def _generalise(shapes: list, samples: list):
    """One shape for what every sample saw: equal sizes stay numbers, a size that followed an
    input symbol in every sample becomes that symbol; None if some size did neither."""
    if all(isinstance(s, dict) for s in shapes):
        parts = [s["tuple"] for s in shapes]
        if len({len(p) for p in parts}) != 1:
            return None
        items = tuple(_generalise([p[i] for p in parts], samples) for i in range(len(parts[0])))
        return items if all(i is not None for i in items) else None
    if not all(isinstance(s, list) for s in shapes) or len({len(s) for s in shapes}) != 1:
        return None
    distinct_samples = len({tuple(sorted(v.items())) for v in samples}) > 1
    dims = []
    for axis in range(len(shapes[0])):
        sizes = [s[axis] for s in shapes]
        followed = [n for n in samples[0] if all(v.get(n) == size for v, size in zip(samples, sizes))]
        if followed and distinct_samples:
            dims.append(sym(followed[0]))
        elif len(set(sizes)) == 1:
            dims.append(sizes[0])
        else:
            return None
    return Shape(dims)


def _name_span(source: SourceFile, line: int, name: str) -> Optional[Span]:
    if source.tree is None:
        return None
    for node in ast.walk(source.tree):
        if isinstance(node, ast.Name) and node.id == name and node.lineno == line and isinstance(node.ctx, ast.Store):
            return source.span(node)
    return None


# -- calls (per-submodule outputs) ------------------------------------------------------------
def _confirm_calls(out: Outcome, modules: dict) -> None:
    for call in out.report.calls:
        if call.kind != "call" or not call.callee.startswith("self.") or call.output is None:
            continue
        path = call.callee[len("self.") :]
        observed = [obs for name, seen in modules.items() if name == path or name.endswith("." + path) for obs in seen]
        if observed and all(_agrees(call.output, shape, values, {}) is True for values, shape in observed):
            call.validation = "confirmed"


# -- errors and notes -------------------------------------------------------------------------
def _add_errors(out: Outcome, errors: list, source: SourceFile) -> None:
    static_errors = {d.span.line for d in out.report.diagnostics if d.severity == "error"}
    by_place: dict = {}
    for model, values, error in errors:
        if error.get("kind") != "shape":
            _note(
                out,
                source,
                error.get("line") or model.line,
                f"`{model.name}` could not run on the meta device: {error['message']}",
            )
            out.not_run += 1
            continue
        line = error.get("line") or model.line
        out.raised.append((line, error["message"]))
        by_place.setdefault((line, error["message"]), []).append((model, values))
    for (line, message), hits in by_place.items():
        if line in static_errors:
            continue  # already an error, with its fix; the run agrees
        model, values = hits[0]
        sampled = any(v for _, v in hits)
        where = f"`{model.ctor or model.name + '()'}` on {_inputs_text(model, values)}"
        severity = "warning" if sampled else codes.RUNTIME_ERROR.severity  # sample sizes may be what fails
        text = f"{message} (a run on the meta device: {where}{_with(values)})"
        out.report.diagnostics.append(Diagnostic(_line_span(source, line), severity, codes.RUNTIME_ERROR, text))
        out.errors += 1


def _note(out: Outcome, source: SourceFile, line: int, message: str) -> None:
    span = _line_span(source, line)
    if any(d.code == codes.NOT_VALIDATED and d.span == span and d.message == message for d in out.report.diagnostics):
        return
    out.report.diagnostics.append(Diagnostic(span, codes.NOT_VALIDATED.severity, codes.NOT_VALIDATED, message))


def _line_span(source: SourceFile, line: int) -> Span:
    text = source.lines[line - 1] if 1 <= line <= len(source.lines) else ""
    start = len(text) - len(text.lstrip())
    return Span(line, start, line, max(start, len(text.rstrip())))


# -- comparing one shape ----------------------------------------------------------------------
def _agrees_in_a_context(fact: ShapeFact, runtime, values: dict) -> Optional[bool]:
    """As :func:`_agrees`; a hint in a summary's symbols (``(H - 1)//stride + 1``) is confirmed
    when the run agrees with it in one of the contexts the analysis saw (a demo's ``stride=2``)."""
    verdict = _agrees(fact.value, runtime, values, {})
    if verdict is not None:
        return verdict
    if any(_agrees(fact.value, runtime, {**sizes, **values}, {}) for sizes in fact.context_sizes):
        return True
    return None


def _agrees(static, runtime, values: dict, env: dict) -> Optional[bool]:
    """True/False when the static value certainly matches/contradicts what ran; None if it cannot
    tell (a size that is an expression of symbols the run did not sample)."""
    if isinstance(static, tuple):
        if not (isinstance(runtime, dict) and len(runtime["tuple"]) == len(static)):
            return False
        verdicts = [
            _agrees(s, r, values, env) for s, r in zip(static, runtime["tuple"]) if s is not None and r is not None
        ]
        return False if False in verdicts else (True if verdicts and all(verdicts) else None)
    if not isinstance(static, Shape) or static.star is not None:
        return None
    if not isinstance(runtime, list) or len(runtime) != len(static.prefix):
        return False
    sure = True
    for dim, size in zip(static.prefix, runtime):
        value = substitute(dim, values)
        if isinstance(value, int):
            if value != size:
                return False
            continue
        name = symbol_name(value)
        if name is not None:
            if env.setdefault(name, size) != size:
                return False
            continue
        sure = False
    return True if sure else None


def _static_text(value, values: dict) -> str:
    text = shape_text(value)
    if not values:
        return text
    settled = _substituted(value, values)
    return text if shape_text(settled) == text else f"{text}, i.e. {shape_text(settled)}"


def _substituted(value, values):
    if isinstance(value, tuple):
        return tuple(_substituted(v, values) for v in value)
    if isinstance(value, Shape):
        return value.substitute(values)
    return value


def _runtime_text(shape) -> str:
    if isinstance(shape, dict):
        return "(" + ", ".join(_runtime_text(s) for s in shape["tuple"]) + ")"
    return "?" if shape is None else "[" + ", ".join(str(n) for n in shape) + "]"


def _inputs_text(model, values: dict) -> str:
    parts = []
    for name, spec in model.tensors.items():
        parts.append(f"{name}: {_spec_text(spec, values)}")
    return ", ".join(parts) or "no tensor inputs"


def _spec_text(spec, values) -> str:
    if isinstance(spec, TensorInput):
        return repr(spec.shape.substitute(values))
    return "(" + ", ".join(_spec_text(s, values) for s in spec) + ")"


def _sizes(values: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items())


def _with(values: dict) -> str:
    return " with " + _sizes(values) if values else ""


def _with_all(observed: list) -> str:
    distinct = []
    for values, _ in observed:
        if values and values not in distinct:
            distinct.append(values)
    return " with " + " and ".join(_sizes(d) for d in distinct) if distinct else ""

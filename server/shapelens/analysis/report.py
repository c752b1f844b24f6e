"""The facts one analysis produces for a file; every view (CLI, hints, hover, fixes) reads these.

Positions are 1-based lines and 0-based *character* (code point) columns; the CLI adds 1 to
columns, the language server converts to UTF-16.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..dims import Shape


@dataclass(frozen=True)
class Span:
    line: int
    col: int
    end_line: int
    end_col: int


@dataclass(frozen=True)
class TextEdit:
    span: Span
    new_text: str


@dataclass(frozen=True)
class Fix:
    title: str
    edits: tuple
    preferred: bool = True


@dataclass(frozen=True)
class Related:
    """Where one side of a mismatch came from."""

    span: Span
    message: str
    path: Optional[str] = None


@dataclass
class Diagnostic:
    span: Span
    severity: str  # "error" | "warning" | "information" | "hint"
    code: str
    message: str
    fixes: list = field(default_factory=list)
    related: list = field(default_factory=list)


@dataclass
class ShapeFact:
    """The shape bound to a name at a position: what an inlay hint shows."""

    span: Span
    name: str
    value: object  # Shape | tuple of values | None (unknown)
    derivation: list = field(default_factory=list)  # lines "x.view(...) on [10, 32, 7, 7] -> ..."
    kind: str = "binding"  # "binding" | "parameter"
    requirement: str = ""  # for parameters: conditions the input must meet
    validation: str = ""  # "confirmed" by a run on the meta device | "run": the shape comes from one
    validation_note: str = ""  # with which input sizes
    context_sizes: list = field(default_factory=list)  # per context beside the summary: symbol -> its size there


@dataclass
class CallFact:
    """A layer or op applied (hover on ``self.conv1``), or a layer built (hover on ``nn.Conv2d``)."""

    span: Span
    callee: str
    rule: str  # the rule's qualified name
    summary: str  # the rule's shape summary, e.g. "[*, in_features] -> [*, out_features]"
    inputs: tuple = ()  # shapes of the tensor arguments
    output: object = None  # Shape | tuple | None
    arguments: dict = field(default_factory=dict)  # constructor arguments (for "constructor")
    kind: str = "call"  # "call" | "constructor"
    validation: str = ""  # "confirmed" when a run on the meta device gave the same output


@dataclass(frozen=True)
class Cause:
    """Where and why shapes stop being known: a lost note's place and reason, a star import."""

    span: Span
    message: str  # "`torch.special.bessel_j0` has no shape rule yet"


@dataclass(frozen=True)
class UnknownFact:
    """A name bound to a tensor whose shape is not known, and the cause (see :mod:`.unknowns`)."""

    span: Span
    name: str
    cause: Cause
    via: str = ""  # the name it has its value from, when the loss is further up ("y")


@dataclass
class FileReport:
    path: str
    shapes: list = field(default_factory=list)
    diagnostics: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    syntax_error: bool = False
    models: list = field(default_factory=list)  # ModelRuns: what validation could run
    unknowns: list = field(default_factory=list)  # UnknownFacts: the tensor names without a shape
    causes: list = field(default_factory=list)  # Causes: every place inference is lost, in line order

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "shapes": [_shape_entry(s) for s in self.shapes],
            "diagnostics": [_diagnostic_entry(d) for d in self.diagnostics],
        }


def shape_json(value):
    """The contract's encoding: a dims list, ``None`` for unknown rank, ``{"tuple": [...]}``."""
    if isinstance(value, Shape):
        return value.to_json()
    if isinstance(value, tuple):
        return {"tuple": [shape_json(v) for v in value]}
    return None


def shape_text(value) -> str:
    if isinstance(value, Shape):
        return repr(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(shape_text(v) for v in value) + ")"
    return "?"


def _span_json(span: Span) -> dict:
    return {"line": span.line, "column": span.col + 1, "end_line": span.end_line, "end_column": span.end_col + 1}


def _shape_entry(fact: ShapeFact) -> dict:
    entry = _span_json(fact.span)
    entry["name"] = fact.name
    if isinstance(fact.value, tuple):
        entry["tuple"] = shape_json(fact.value)["tuple"]
    else:
        entry["shape"] = shape_json(fact.value)
    if fact.validation:
        entry["validation"] = fact.validation
    return entry


def _diagnostic_entry(d: Diagnostic) -> dict:
    entry = _span_json(d.span)
    entry.update({"severity": d.severity, "code": d.code, "message": d.message})
    entry["fixes"] = [
        {"title": f.title, "edits": [dict(_span_json(e.span), new_text=e.new_text) for e in f.edits]} for f in d.fixes
    ]
    if d.related:
        entry["related"] = [
            dict(_span_json(r.span), message=r.message, **({"path": r.path} if r.path else {})) for r in d.related
        ]
    return entry

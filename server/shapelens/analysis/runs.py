"""A run: one interpretation of a function body (or a module) in one context, and what it saw."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ..dims import Facts, Shape, is_dim, substitute, sym
from ..dims.expr import symbols_of
from .report import Span
from .values import UNKNOWN, ChoiceV, OpaqueV, Record, TensorV


@dataclass
class Binding:
    """A name bound at one place; a loop body binds it once per iteration."""

    name: str
    span: Span
    values: list = field(default_factory=list)
    kind: str = "binding"  # "binding" | "parameter"


@dataclass
class Finding:
    """A diagnostic as a run found it, before the views decide where it is shown."""

    span: Span
    severity: str
    code: str
    message: str
    fixes: list = field(default_factory=list)
    related: list = field(default_factory=list)
    key: tuple = ()  # identity across runs of the same code: (line, col, code)
    input_dependent: bool = False  # depends on the input shapes of the run's context


@dataclass(eq=False)
class Run:
    func: Any  # FuncV, or None for the module body
    context: str  # "module" | "call" | "symbolic"
    facts: Facts
    caller: Optional["Run"] = None
    call_node: Any = None
    call_source: Any = None  # the SourceFile holding call_node
    record: bool = True  # a probe run (e.g. "would unsqueeze(0) fix it?") records nothing
    # A call made on behalf of a function nobody calls (a `def test(): net(torch.randn(1, ...))`
    # demo): one context among the others, never alone the truth about its callee.
    weak: bool = False
    # Made on behalf of a symbolic run: its sizes are another function's symbols.
    from_summary: bool = False
    on_demo: bool = False  # a symbolic run on the instance a demo call built (see Analysis._run_on_demo_instance)
    lost: bool = False  # a call whose arguments nobody knows: it ran nothing, it only says it exists
    unseen: bool = False  # runs for such a call (not recorded): the calls it makes are lost contexts too
    bindings: dict = field(default_factory=dict)
    findings: list = field(default_factory=list)
    calls: list = field(default_factory=list)  # CallFacts
    input_symbols: set = field(default_factory=set)
    requirements: list = field(default_factory=list)  # conditions on the inputs, as text
    requirement_conds: list = field(default_factory=list)  # the same, as dims Conds
    params: dict = field(default_factory=dict)
    result: Any = UNKNOWN
    callee_failed: bool = False  # a function it called had errors
    batch_fix: bool = False  # adding a batch dimension to the input would make it work

    def bind(self, name: str, span: Span, value, kind: str = "binding") -> None:
        if not self.record:
            return
        key = (span.line, span.col, name)
        binding = self.bindings.get(key)
        if binding is None:
            binding = self.bindings[key] = Binding(name, span, kind=kind)
        binding.values.append(value)

    def add(self, finding: Finding) -> None:
        if not finding.key:
            finding.key = (finding.span.line, finding.span.col, finding.code)
        if all(f.key != finding.key for f in self.findings):
            self.findings.append(finding)

    @property
    def errors(self) -> list:
        return [f for f in self.findings if f.severity == "error"]


def join(a, b):
    """The value after two paths meet: equal values stay, different tensors lose their shape."""
    if a is b:
        return a
    if isinstance(a, TensorV) and isinstance(b, TensorV):
        return a if a.shape == b.shape else TensorV(Shape.unknown(), a.origin, array=a.array and b.array)
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        joined = tuple(join(x, y) for x, y in zip(a, b))
        same_fields = isinstance(a, Record) and isinstance(b, Record) and a.fields == b.fields
        return Record(joined, a.fields) if same_fields else joined
    try:
        if type(a) is type(b) and not isinstance(a, (TensorV,)) and a == b:
            return a
    except Exception:  # UNKNOWN and friends refuse comparison
        pass
    return UNKNOWN


def chosen_size(a, b, joined, name: str):
    """Two different sizes where an undecided test chose between them (``n_heads if n_kv_heads is
    None else n_kv_heads``): a symbol named after where the choice is stored. One run takes one
    branch, so the symbol stands for one size per call; a loop's changing sizes never come here."""
    if joined is not UNKNOWN or not name or not (_size_like(a) and _size_like(b)):
        return joined
    if name in _symbols(a) | _symbols(b):  # H = H//2 if pool else H: not the input's H
        return joined
    if isinstance(a, OpaqueV) or isinstance(b, OpaqueV):  # config paths: a size where used as one
        return OpaqueV(name)
    return sym(name)


def _size_like(value) -> bool:
    return isinstance(value, OpaqueV) or (is_dim(value) and not isinstance(value, bool))


def _symbols(value) -> set:
    return symbols_of(value.as_dim() if isinstance(value, OpaqueV) else value)


def join_under(a, a_assumes: dict, b, b_assumes: dict, facts=None):
    """The value after an ``if`` whose branches assumed equalities (see :func:`.values.assumed`):
    where one branch's value is the other's specialised by its own assumption (``x`` where
    ``stride == 1 and in_planes == planes``, a strided conv's ``[B, planes, (H-1)//stride + 1, ...]``
    elsewhere), the general one is the value; differing layers or modules stay both options."""
    if not a_assumes and not b_assumes:
        return join(a, b)
    if a is b:
        return a
    if isinstance(a, TensorV) and isinstance(b, TensorV):
        if _specialises(a, b, b_assumes, facts):
            return a
        if _specialises(b, a, a_assumes, facts):
            return b
        return join(a, b)
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        return tuple(join_under(x, a_assumes, y, b_assumes, facts) for x, y in zip(a, b))
    if a is UNKNOWN or b is UNKNOWN or isinstance(a, TensorV) or isinstance(b, TensorV):
        return join(a, b)
    return ChoiceV(_options(a, a_assumes) + _options(b, b_assumes))


def _options(value, assumes: dict) -> tuple:
    if isinstance(value, ChoiceV):
        return tuple(({**assumes, **inner}, v) for inner, v in value.options)
    return ((assumes, value),)


def _specialises(general: TensorV, special: TensorV, assumes: dict, facts=None) -> bool:
    """Is ``special`` what ``general`` becomes where ``assumes`` holds?"""
    g, s = general.shape, special.shape
    if facts is not None:
        g, s = g.simplify(facts), s.simplify(facts)
    if (
        g.is_unknown
        or s.is_unknown
        or g.star != s.star
        or (len(g.prefix), len(g.suffix)) != (len(s.prefix), len(s.suffix))
    ):
        return False
    return all(
        substitute(x, assumes) == substitute(y, assumes) for x, y in zip(g.prefix + g.suffix, s.prefix + s.suffix)
    )


def join_all(values: list):
    if not values:
        return UNKNOWN
    out = values[0]
    for v in values[1:]:
        out = join(out, v)
    return out

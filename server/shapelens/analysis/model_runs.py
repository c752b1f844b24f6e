"""Which of a file's nn.Modules could be run for real, and how: the analysis side of validation.

A model is run in the context the analysis showed: the constructor arguments and input shapes of
a call site (``model = Net(10); model(torch.randn(4, 3, 32, 32))``), or, for a class nobody
calls, its defaults and the symbolic inputs of its first use (``[B, 3, H, W]``) with the
requirements the analysis found on them. A forward called only from another model's forward is
covered by running that model. Nothing here runs anything; :mod:`shapelens.validation` does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Optional

from ..dims import Expr, Facts, Shape
from .values import DictV, InstanceV, ListV, TensorV

MAX_CONTEXTS = 3  # per class


@dataclass(frozen=True)
class TensorInput:
    """A tensor argument of a run: its shape (symbols sampled before the run) and dtype."""

    shape: Shape
    dtype: Optional[str]  # "bool" | "int" | "float" | None (float)


@dataclass
class ModelRun:
    name: str  # the class
    line: int  # its ``class`` line
    ctor: str = ""  # the constructor call as Python source; "" builds it with its defaults
    tensors: dict = field(default_factory=dict)  # forward parameter -> TensorInput, or a tuple of them
    literals: dict = field(default_factory=dict)  # forward parameter -> Python source of its value
    conds: list = field(default_factory=list)  # dims Conds the inputs must meet
    facts: Optional[Facts] = None  # what the run learned about the input symbols
    skipped: str = ""  # why it cannot run, when it cannot
    forward_lines: tuple = (0, 0)  # its ``def forward``'s first and last line (its inputs' hints are on the first)

    def symbols(self) -> list:
        """The free sizes of the inputs (sampled before a run)."""
        names: set = set()
        for spec in self.tensors.values():
            for tensor in _flat(spec):
                for d in tensor.shape.dims:
                    if isinstance(d, Expr):
                        names |= d.symbols()
        return sorted(names)


def model_runs(analysis, scope) -> list:
    """One ModelRun per distinct context of each nn.Module forward defined in the file."""
    out: list = []
    for func in scope.functions:
        owner = func.owner
        if owner is None or not owner.is_module or func.name != "forward":
            continue
        runs = analysis.runs.get(func.node, [])
        contexts = [r for r in runs if r.context == "call" and not r.lost and not _inside_a_model(r)]
        if not contexts and not any(r.context == "call" and not r.lost for r in runs):
            contexts = [r for r in runs if r.context == "symbolic"][:1]
        seen: set = set()
        for run in contexts:
            model = _model_run(owner, func, run, analysis)
            key = (model.ctor, repr(model.tensors), repr(model.literals), model.skipped)
            if key not in seen:
                seen.add(key)
                out.append(model)
            if len(seen) == MAX_CONTEXTS:
                break
    return out


def _inside_a_model(run) -> bool:
    caller = run.caller
    while caller is not None:
        func = caller.func
        if func is not None and func.owner is not None and func.owner.is_module:
            return True
        caller = caller.caller
    return False


def _model_run(owner, func, run, analysis) -> ModelRun:
    model = ModelRun(
        owner.name,
        owner.node.lineno,
        facts=run.facts.copy(),
        conds=list(run.requirement_conds),
        forward_lines=(func.node.lineno, func.node.end_lineno),
    )
    params = [p.arg for p in func.node.args.posonlyargs + func.node.args.args + func.node.args.kwonlyargs]
    if not params:
        model.skipped = "its forward takes no `self`"
        return model
    instance = run.params.get(params[0])
    if isinstance(instance, InstanceV) and instance.changed_at:
        model.skipped = (
            f"line {instance.changed_at} changes it after it is built, and a run can only build it from its constructor"
        )
        return model
    if isinstance(instance, InstanceV) and instance.arguments is None:
        needed = _required_arguments(analysis.lookup_class_attr(owner, "__init__"))
        if needed:
            names = ", ".join(f"`{n}`" for n in needed)
            model.skipped = f"its constructor needs {names} and no call site in reach gives the value"
            return model
    ctor = constructor_source(instance) if isinstance(instance, InstanceV) else None
    if ctor is None:
        model.skipped = "its constructor arguments are not known statically"
        return model
    model.ctor = ctor
    for name in params[1:]:
        if name not in run.params:
            continue
        value = run.params[name]
        spec = _tensor_spec(value, run.facts)
        if spec is not None:
            model.tensors[name] = spec
            continue
        if name in func.defaults and value is func.defaults[name]:
            continue  # the default: the run uses it too
        source = literal_source(value)
        if source is None:
            what = "a tensor of unknown shape" if _has_tensor(value) else "not known statically"
            model.skipped = f"its forward argument `{name}` is {what}"
            return model
        model.literals[name] = source
    return model


def _required_arguments(init) -> list:
    """Constructor parameters without defaults (``self`` aside)."""
    node = getattr(init, "node", None)
    if node is None or not hasattr(node, "args"):
        return []
    positional = (node.args.posonlyargs + node.args.args)[1:]
    required = [p.arg for p in positional if p.arg not in init.defaults]
    return required + [p.arg for p in node.args.kwonlyargs if p.arg not in init.defaults]


def _tensor_spec(value, facts):
    if isinstance(value, TensorV):
        shape = value.shape.simplify(facts) if facts is not None else value.shape
        return TensorInput(shape, value.dtype) if shape.is_fixed else None
    if isinstance(value, tuple) and value and all(isinstance(v, TensorV) for v in value):
        specs = [_tensor_spec(v, facts) for v in value]
        return tuple(specs) if all(s is not None for s in specs) else None
    return None


def _has_tensor(value) -> bool:
    return isinstance(value, TensorV) or (isinstance(value, tuple) and any(_has_tensor(v) for v in value))


def _flat(spec):
    if isinstance(spec, TensorInput):
        yield spec
    else:
        for part in spec:
            yield from _flat(part)


def constructor_source(instance: InstanceV) -> Optional[str]:
    """``Net(10, config=Config(n_embd=64))`` from what the analysis knows it was built with."""
    if instance.arguments is None:
        return ""  # the default instance: built with its defaults
    args, kwargs = instance.arguments
    parts = [literal_source(a) for a in args] + [
        None if literal_source(v) is None else f"{k}={literal_source(v)}" for k, v in kwargs.items()
    ]
    if any(p is None for p in parts):
        return None
    return f"{instance.cls.name}({', '.join(parts)})"


def literal_source(value) -> Optional[str]:
    """Python source for a statically known value, or None."""
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"float({str(value)!r})"
    if isinstance(value, tuple):
        items = [literal_source(v) for v in value]
        if any(i is None for i in items):
            return None
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, ListV) and value.items is not None:
        items = [literal_source(v) for v in value.items]
        return None if any(i is None for i in items) else "[" + ", ".join(items) + "]"
    if isinstance(value, DictV) and value.items is not None:
        pairs = [(literal_source(k), literal_source(v)) for k, v in value.items.items()]
        if any(k is None or v is None for k, v in pairs):
            return None
        return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    if isinstance(value, InstanceV) and value.arguments is not None:
        return constructor_source(value)
    return None

"""Torch as the reference: run an op on the meta device and a rule on the same input, compare.

``check(rule, reference, inputs)`` runs ``reference(*meta_tensors)`` under
``torch.device("meta")`` and ``rule(ctx, *shapes)`` with a fresh :class:`Checker`, then:

1. concrete: the rule gives exactly torch's output shapes, and raises ``ShapeError`` exactly
   where torch raises; a rule that loses inference on concrete input fails the test. Where the
   meta kernel disagrees with the rule, the CPU kernel (what users run) on tiny zero-filled
   tensors decides: a few meta kernels are laxer than CPU (F.linear's bias);
2. symbolic: every input dim becomes a symbol (one per distinct value), the rule runs again, and
   its result with the values substituted must equal torch's; the conditions it states must
   hold exactly when torch succeeded; a certain error must match a torch error. A rule may
   lose inference on symbols (it must then say so), never guess;
3. dtype: where the rule the test applied states its result's dtype (``@op(..., dtype=...)``),
   torch runs again with the float inputs made float32, int64 and bool in turn, and wherever it
   succeeds, each result's dtype must be the one the rule states for those inputs.

Non-tensor inputs are passed through unchanged: wrap tensor inputs with :func:`T`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable

import torch

from shapelens.dims import Checker, Lost, Shape, ShapeError, is_dim, substitute, sym
from shapelens.rules import DtypeArg, Rule, TensorArg

STATS = {"concrete": 0, "symbolic": 0, "symbolic_lost": 0, "dtype": 0}
DTYPE_PROVEN: set = set()  # the rules whose dtype statement was compared with torch

# The rules a test's rule function applied, outermost first, with the arguments they were given:
# the dtype check reads the first one's statement.
APPLIED: list = []
_apply, _forward = Rule.apply, Rule.forward


def _apply_recorded(self, ctx, args=(), kwargs=None):
    APPLIED.append((self, tuple(args), dict(kwargs or {})))
    return _apply(self, ctx, args, kwargs)


def _forward_recorded(self, ctx, ctor, args=(), kwargs=None):
    APPLIED.append((self, tuple(args), dict(kwargs or {})))
    return _forward(self, ctx, ctor, args, kwargs)


Rule.apply, Rule.forward = _apply_recorded, _forward_recorded


@dataclass(frozen=True)
class T:
    """A tensor input of this shape (``dtype`` for ops that need integer or bool tensors)."""

    shape: tuple
    dtype: Any = None


@dataclass(frozen=True)
class Out:
    """A tensor result, by shape (so that it is not confused with a tuple of sizes)."""

    shape: tuple


def on_cpu(reference: Callable) -> Callable:
    """``reference`` on CPU tensors of the same shapes, outside torch-function modes.

    For ops whose meta kernels are Python decompositions (the losses): far slower than CPU on
    tiny tensors, and CPU is what users run.
    """

    def run(*args):
        with torch._C.DisableTorchFunction():
            return reference(
                *(torch.zeros(a.shape, dtype=a.dtype, device="cpu") if isinstance(a, torch.Tensor) else a for a in args)
            )

    return run


def torch_outcome(reference: Callable, inputs: list, device: str = "meta"):
    args = [
        torch.zeros(a.shape, device=device, dtype=a.dtype or torch.float32) if isinstance(a, T) else a for a in inputs
    ]
    try:
        with torch.device(device):
            result = reference(*args)
    except (RuntimeError, ValueError, IndexError, TypeError, AssertionError, ZeroDivisionError) as exc:
        return ("error", f"{type(exc).__name__}: {exc}")
    return ("ok", _from_torch(result))


def _from_torch(value):
    if isinstance(value, torch.Tensor):
        return Out(tuple(value.shape))
    if isinstance(value, torch.Size):
        return tuple(int(d) for d in value)
    if isinstance(value, (tuple, list)):
        return tuple(_from_torch(v) for v in value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value
    return value


def _from_rule(value, values: dict):
    if isinstance(value, Shape):
        if not value.is_fixed:
            raise AssertionError(f"rule returned a shape of unknown rank {value} for concrete input")
        return Out(tuple(substitute(d, values) for d in value.dims))
    if isinstance(value, (tuple, list)):
        return tuple(_from_rule(v, values) for v in value)
    if is_dim(value):
        return substitute(value, values)
    return value


def rule_outcome(rule: Callable, inputs: list, ctx: Checker, args=None):
    args = [Shape(a.shape) if isinstance(a, T) else a for a in inputs] if args is None else args
    try:
        return ("ok", rule(ctx, *args))
    except ShapeError as exc:
        return ("error", exc)


def numpy_outcome(reference: Callable, inputs: list, device: str = "meta"):
    """numpy as the reference: each :class:`T` input is a zero-filled array of its shape."""
    import numpy as np

    args = [np.zeros(a.shape, dtype=a.dtype or np.float64) if isinstance(a, T) else a for a in inputs]
    try:
        result = reference(*args)
    except (ValueError, IndexError, TypeError, ZeroDivisionError, np.exceptions.AxisError) as exc:
        return ("error", f"{type(exc).__name__}: {exc}")
    return ("ok", _from_numpy(result))


def _from_numpy(value):
    import numpy as np

    if isinstance(value, (np.ndarray, np.generic)):
        return Out(tuple(int(d) for d in np.shape(value)))
    if isinstance(value, (tuple, list)):
        return tuple(_from_numpy(v) for v in value)
    return _from_torch(value)


def check(rule: Callable, reference: Callable, inputs: list, *, symbolic: bool = True, outcome=None):
    """Assert that ``rule`` agrees with torch (or ``outcome=numpy_outcome``: numpy) on ``inputs``
    (concretely, then symbolically)."""
    outcome = outcome or torch_outcome
    expected = outcome(reference, inputs)
    ctx = Checker()
    args = [Shape(a.shape) if isinstance(a, T) else a for a in inputs]
    APPLIED.clear()
    try:
        got = rule_outcome(rule, inputs, ctx, args)
    except Lost as exc:
        raise AssertionError(f"rule lost inference on concrete input {inputs}: {exc.reason}") from exc
    STATS["concrete"] += 1
    assert not ctx.conditions, f"conditions on concrete input: {[str(c) for c in ctx.conditions]}"
    problem = _disagreement(expected, got, inputs)
    if problem and outcome is not torch_outcome:
        raise AssertionError(problem)
    if problem:
        on_cpu = torch_outcome(reference, inputs, device="cpu")
        if _disagreement(on_cpu, got, inputs) is None:
            expected = on_cpu
            STATS["cpu_decided"] = STATS.get("cpu_decided", 0) + 1
        else:
            raise AssertionError(problem)
    applied = APPLIED[0] if APPLIED else None
    if symbolic:
        _check_symbolic(rule, inputs, expected)
    if applied is not None and applied[0].dtype is not None and expected[0] == "ok":
        _check_dtype(applied, reference, inputs, args, numpy=outcome is not torch_outcome)
    return expected


# -- dtypes -------------------------------------------------------------------------------------

VARIANTS = (torch.float32, torch.int64, torch.bool)


def _numpy_variants() -> tuple:
    import numpy as np

    return (np.float64, np.int64, np.bool_)


def _kind(dtype) -> str:
    """A torch or numpy dtype by its kind: bool, int, float (complex: no kind a rule states)."""
    if isinstance(dtype, torch.dtype):
        if dtype == torch.bool:
            return "bool"
        if dtype.is_complex:
            return "complex"
        return "float" if dtype.is_floating_point else "int"
    import numpy as np

    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return "bool"
    if np.issubdtype(dtype, np.complexfloating):
        return "complex"
    return "float" if np.issubdtype(dtype, np.floating) else "int"


def _result_dtype(value):
    """The dtype of a torch or numpy result (an array or a numpy scalar); None for anything else."""
    if isinstance(value, torch.Tensor):
        return value.dtype
    if type(value).__module__ == "numpy" and hasattr(value, "dtype"):
        return value.dtype
    return None


def _is_numpy_dtype(value) -> bool:
    import numpy as np

    return isinstance(value, np.dtype) or isinstance(value, type) and issubclass(value, np.generic)


_RAISED = object()


def _given(a: T, variant):
    """An input's dtype: its own, or the variant for a float input."""
    return a.dtype or variant


def _run_in(reference: Callable, inputs: list, given: Callable, device: str):
    tensors = [torch.zeros(a.shape, device=device, dtype=given(a)) if isinstance(a, T) else a for a in inputs]
    try:
        with torch.device(device):
            return reference(*tensors)
    except (RuntimeError, ValueError, IndexError, TypeError, AssertionError, ZeroDivisionError):
        return _RAISED


def _run_numpy(reference: Callable, inputs: list, given: Callable):
    import numpy as np

    arrays = [np.zeros(a.shape, dtype=given(a)) if isinstance(a, T) else a for a in inputs]
    try:
        return reference(*arrays)
    except (ValueError, IndexError, TypeError, ZeroDivisionError, np.exceptions.AxisError):
        return _RAISED


def _check_dtype(applied, reference: Callable, inputs: list, args: list, numpy: bool = False) -> None:
    """The rule's dtype statement against torch (or numpy), with the float inputs in each dtype in turn."""
    rule, rule_args, rule_kwargs = applied
    source = {id(shape): a for shape, a in zip(args, inputs) if isinstance(a, T)}
    for variant in _numpy_variants() if numpy else VARIANTS:
        given = functools.partial(_given, variant=variant)

        def view(value, given=given):
            if isinstance(value, Shape):
                return TensorArg(_kind(given(source[id(value)])) if id(value) in source else None)
            if isinstance(value, torch.dtype) or _is_numpy_dtype(value):
                return DtypeArg(_kind(value))
            if isinstance(value, (tuple, list)):
                return type(value)(view(v) for v in value)
            return value

        stated = rule.result_dtype([view(a) for a in rule_args], {k: view(v) for k, v in rule_kwargs.items()})
        if numpy:
            result = _run_numpy(reference, inputs, given)
        else:
            result = _run_in(reference, inputs, given, "meta")
            if result is _RAISED:  # as for shapes, the CPU kernel decides where the meta one will not run
                result = _run_in(reference, inputs, given, "cpu")
        if result is _RAISED:
            continue  # torch does not take these dtypes here
        pairs = []
        if _result_dtype(result) is not None and isinstance(stated, str):
            pairs = [(result, stated)]
        elif isinstance(result, (tuple, list)) and isinstance(stated, tuple) and len(result) == len(stated):
            pairs = [(r, s) for r, s in zip(result, stated) if _result_dtype(r) is not None and s is not None]
        for r, s in pairs:
            assert _kind(_result_dtype(r)) == s, (
                f"{rule.name} states {s}, {'numpy' if numpy else 'torch'} "
                f"gives {_result_dtype(r)}\n  inputs={inputs} as {variant}"
            )
        if pairs:
            STATS["dtype"] += 1
            DTYPE_PROVEN.add(rule.name)


def check_dtype(name: str, reference: Callable, inputs: list, **kwargs) -> None:
    """The dtype statement of the rule ``name`` against torch alone, for ops whose shapes a test
    proves on real data (``nonzero``): the rule's arguments are the inputs' shapes, and kwargs."""
    from shapelens.rules import lookup

    args = [Shape(a.shape) if isinstance(a, T) else a for a in inputs]
    _check_dtype((lookup(name), tuple(args), kwargs), reference, inputs, args)


def _disagreement(expected, got, inputs):
    if expected[0] == "error":
        if got[0] != "error":
            return f"torch raised but the rule returned {got[1]!r}\n  inputs={inputs}\n  torch: {expected[1]}"
        return None
    if got[0] != "ok":
        return (
            f"the rule raised but torch returned {expected[1]!r}\n  inputs={inputs}\n  rule: "
            f"[{got[1].code}] {got[1].message}"
        )
    if _from_rule(got[1], {}) != expected[1]:
        return f"shape differs: rule {got[1]!r} torch {expected[1]!r}\n  inputs={inputs}"
    return None


def _check_symbolic(rule: Callable, inputs: list, expected) -> None:
    values: dict = {}
    names: dict = {}
    symbolic_inputs = []
    for a in inputs:
        if isinstance(a, T) and all(d >= 1 for d in a.shape):
            dims = []
            for d in a.shape:
                name = names.setdefault(d, f"s{d}")
                values[name] = d
                dims.append(sym(name))
            symbolic_inputs.append(Shape(dims))
        else:
            symbolic_inputs.append(Shape(a.shape) if isinstance(a, T) else a)
    if not values:
        return
    ctx = Checker()
    try:
        got = ("ok", rule(ctx, *symbolic_inputs))
    except ShapeError as exc:
        got = ("error", exc)
    except Lost:
        STATS["symbolic_lost"] += 1
        return
    STATS["symbolic"] += 1
    if got[0] == "error":
        assert expected[0] == "error", (
            f"certain error on symbols but torch succeeds: [{got[1].code}] {got[1].message}\n  inputs={inputs}"
        )
        return
    failed = [str(c.cond) for c in ctx.conditions if not c.cond.holds_for(values)]
    if expected[0] == "error":
        assert failed, (
            f"torch raised but the symbolic result states no violated condition\n  inputs={inputs}\n"
            f"  conditions={[str(c.cond) for c in ctx.conditions]}\n  torch: {expected[1]}"
        )
        return
    assert not failed, f"torch succeeds but conditions fail: {failed}\n  inputs={inputs}"
    assert _from_rule(got[1], values) == expected[1], (
        f"symbolic shape differs after substitution: rule {got[1]!r} -> "
        f"{_from_rule(got[1], values)!r}, torch {expected[1]!r}\n  inputs={inputs}"
    )

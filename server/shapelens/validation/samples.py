"""Sample sizes for a model's symbolic inputs, and the worker request that uses them.

A symbolic input (``[B, 3, H, W]``) runs twice, with two different sizes for every symbol, both
meeting the requirements the analysis found (``H*W == 49``, ``T <= 8``): a wrong formula in a
hint cannot then pass by coincidence (``H//2`` and ``16`` agree at H=32, not at H=48).
"""

from __future__ import annotations

from typing import Optional

from ..analysis.model_runs import TensorInput
from ..dims import substitute

BATCH_NAMES = {"B", "N", "batch", "bs", "batch_size", "n_batch"}
BATCH_SIZES = (2, 3, 4, 5)
SIZES = (32, 48, 64, 96, 16, 24, 8, 12, 128, 224, 7, 14, 28, 6, 5, 3, 2, 1)
MAX_STEPS = 20_000  # assignments tried before giving up on a sample


def choose_samples(model) -> Optional[list]:
    """Two assignments of the input symbols (one, when there are none), or None if none fits."""
    symbols = model.symbols()
    if not symbols:
        return [{}]
    first = _search(model, symbols, avoid={})
    if first is None:
        return None
    second = _search(model, symbols, avoid=first) or _search(model, symbols, avoid={}, differ_from=first)
    return [first] + ([second] if second else [])


def _candidates(name: str, model, avoid: dict, taken: set) -> list:
    """Sizes to try, those no other symbol of the sample has first: a size in the output then
    tells which input it came from."""
    pool = BATCH_SIZES + SIZES if name in BATCH_NAMES else SIZES
    lower = model.facts.lower.get(name, 1) if model.facts is not None else 1
    sizes = [v for v in pool if v >= lower and v != avoid.get(name)]
    return [v for v in sizes if v not in taken] + [v for v in sizes if v in taken]


def _search(model, symbols: list, avoid: dict, differ_from: Optional[dict] = None) -> Optional[dict]:
    """Backtracking over candidate sizes, checking each requirement once its symbols are set."""
    conds = [(c, c.symbols()) for c in model.conds]
    steps = [0]

    def settle(values: dict) -> dict:
        """Bound symbols (``C`` learned to be ``3``) get their values too."""
        full = dict(values)
        if model.facts is not None:
            for name, bound in model.facts.bindings.items():
                value = substitute(bound, full)
                if isinstance(value, int):
                    full[name] = value
        return full

    def fits(values: dict) -> bool:
        full = settle(values)
        for cond, needed in conds:
            if needed <= set(full):
                try:
                    if not cond.holds_for(full):
                        return False
                except (ZeroDivisionError, KeyError, TypeError):
                    return False
        return True

    def assign(i: int, values: dict) -> Optional[dict]:
        if i == len(symbols):
            if differ_from is not None and values == differ_from:
                return None
            return dict(values)
        for value in _candidates(symbols[i], model, avoid, set(values.values())):
            steps[0] += 1
            if steps[0] > MAX_STEPS:
                return None
            values[symbols[i]] = value
            if fits(values):
                found = assign(i + 1, values)
                if found is not None:
                    return found
            del values[symbols[i]]
        return None

    return assign(0, {})


def request_models(models: list) -> tuple:
    """The worker's ``models`` list, and the sample assignments used for each model (same order)."""
    specs, used = [], []
    for model in models:
        samples = choose_samples(model) if not model.skipped else None
        used.append(samples)
        if samples is None:
            continue
        specs.append(
            {
                "name": model.name,
                "line": model.line,
                "ctor": model.ctor,
                "samples": [
                    {
                        "values": values,
                        "inputs": {name: _input(spec, values) for name, spec in model.tensors.items()},
                        "literals": dict(model.literals),
                    }
                    for values in samples
                ],
            }
        )
    return specs, used


def _input(spec, values: dict) -> dict:
    if isinstance(spec, TensorInput):
        return {"shape": [substitute(d, values) for d in spec.shape.dims], "dtype": spec.dtype}
    return {"tuple": [_input(s, values) for s in spec]}


__all__ = ["choose_samples", "request_models"]

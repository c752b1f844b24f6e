"""Cost of the dims engine and of rule calls: import time, and median microseconds per call.

    python bench/bench_rules.py

The mix is what a CNN and a transformer block ask for, half concrete, half symbolic.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from shapelens.dims import Checker, Shape, sym  # noqa: E402
from shapelens.rules import all_rules, apply_layer, apply_op  # noqa: E402

B, T, C, H, W, n_head = (sym(s) for s in ("B", "T", "C", "H", "W", "n_head"))


def mix():
    """(name, thunk) pairs: each thunk makes one rule call with a fresh checker."""
    cases = []
    for label, x4, x3 in (
        ("concrete", Shape([8, 3, 32, 32]), Shape([8, 16, 64])),
        ("symbolic", Shape([B, 3, H, W]), Shape([B, T, C])),
    ):
        cases += [
            (f"Conv2d {label}", lambda x=x4: apply_layer("torch.nn.Conv2d", Checker(), (3, 16, 3), {"padding": 1}, x)),
            (f"MaxPool2d {label}", lambda x=x4: apply_layer("torch.nn.MaxPool2d", Checker(), (2,), {}, x)),
            (f"BatchNorm2d {label}", lambda x=x4: apply_layer("torch.nn.BatchNorm2d", Checker(), (3,), {}, x)),
            (f"ReLU {label}", lambda x=x4: apply_layer("torch.nn.ReLU", Checker(), (), {}, x)),
            (f"flatten {label}", lambda x=x4: apply_op("torch.flatten", Checker(), x, 1)),
            (f"Linear {label}", lambda x=x3: apply_layer("torch.nn.Linear", Checker(), (x[-1], 64), {}, x)),
            (f"LayerNorm {label}", lambda x=x3: apply_layer("torch.nn.LayerNorm", Checker(), (x[-1],), {}, x)),
            (f"view heads {label}", lambda x=x3: apply_op("torch.Tensor.view", Checker(), x, x[0], x[1], 4, x[2] // 4)),
            (f"transpose {label}", lambda x=x3: apply_op("torch.Tensor.transpose", Checker(), x, 1, 2)),
            (
                f"matmul {label}",
                lambda x=x3: apply_op(
                    "torch.matmul", Checker(), x, apply_op("torch.Tensor.transpose", Checker(), x, -2, -1)
                ),
            ),
            (f"add {label}", lambda x=x3: apply_op("torch.Tensor.__add__", Checker(), x, x)),
            (f"softmax {label}", lambda x=x3: apply_op("torch.nn.functional.softmax", Checker(), x, -1)),
            (f"cat {label}", lambda x=x4: apply_op("torch.cat", Checker(), [x, x], 1)),
        ]
    return cases


def measure(thunk, repeat: int = 300) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        thunk()
        times.append(time.perf_counter_ns() - start)
    return statistics.median(times) / 1000


def import_cost(module: str) -> float:
    code = f"import time, sys; sys.path.insert(0, 'server'); t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [
        float(subprocess.check_output([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1]))
        for _ in range(5)
    ]
    return statistics.median(runs) * 1000


def main() -> None:
    all_rules()  # load every family once, as the server does at warm-up
    rows = [(name, measure(thunk)) for name, thunk in mix()]
    width = max(len(n) for n, _ in rows)
    for name, us in rows:
        print(f"{name:<{width}}  {us:8.1f} us")
    print(f"{'median over the mix':<{width}}  {statistics.median(us for _, us in rows):8.1f} us")
    print(
        f"import shapelens.dims: {import_cost('shapelens.dims'):.1f} ms; "
        f"import + load every rule family: {import_cost('shapelens.rules; shapelens.rules.load_all()'):.1f} ms "
        f"({len(all_rules())} names)"
    )


if __name__ == "__main__":
    main()

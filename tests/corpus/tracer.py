"""Run a corpus file with real torch and record the runtime shape of every tensor binding.

``trace_file(path)`` executes the file as ``__main__`` under ``sys.settrace`` and returns
``{(line, name): {shape, ...}}``: after each line of the file runs, every local name bound on
that line that holds a tensor (or a tuple of tensors) is recorded with its shape.
"""

from __future__ import annotations

import ast
import os
import runpy
import sys
import traceback

import torch

from shapelens.validation.worker import LineTracer, binding_sites, statement_ends, tracing


def runtime_shape(value):
    if isinstance(value, torch.Tensor):
        return tuple(value.shape)
    if isinstance(value, tuple) and value and any(isinstance(v, torch.Tensor) for v in value):
        return ("tuple",) + tuple(runtime_shape(v) for v in value)
    return None


def trace_file(path: str, crashes: bool = False) -> dict:
    """``crashes``: the file is expected to raise; return what was recorded until it did.

    The line tracer is the validation worker's, recording shapes in this module's form."""
    path = os.path.abspath(path)
    seen: dict = {}
    tree = ast.parse(open(path).read())
    tracer = LineTracer(path, binding_sites(tree), seen, shape=runtime_shape, ends=statement_ends(tree))
    directory = os.path.dirname(path)
    sys.path.insert(0, directory)
    try:
        with tracing(tracer):
            torch.manual_seed(0)
            runpy.run_path(path, run_name="__main__")
    except Exception:
        if not crashes:
            raise
    finally:
        sys.path.remove(directory)
    return {site: set(shapes) for site, shapes in seen.items()}


def crash_line(path) -> int:
    """Run a file expected to crash: the innermost line of it in the traceback (0: no crash,
    -1: it crashed elsewhere)."""
    try:
        trace_file(str(path))
    except Exception as exc:
        frames = [
            f for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename) == os.path.abspath(path)
        ]
        return frames[-1].lineno if frames else -1
    return 0


def compare(static, runtime: set) -> str:
    """'match', 'wrong' or 'unknown' for one binding: a static shape (check-json form) against
    the shapes torch recorded there. A symbolic dim matches any size, consistently per shape."""
    if static is None:
        return "unknown"
    verdicts = {_compare_one(static, shape) for shape in runtime}
    if "wrong" in verdicts:
        return "wrong"
    return "unknown" if "unknown" in verdicts else "match"


def _compare_one(static, shape) -> str:
    if isinstance(static, dict):  # {"tuple": [...]}
        if not (shape and shape[0] == "tuple") or len(static["tuple"]) != len(shape) - 1:
            return "wrong"
        parts = [_compare_one(s, r) for s, r in zip(static["tuple"], shape[1:]) if s is not None and r is not None]
        return "wrong" if "wrong" in parts else ("match" if parts else "unknown")
    if shape and shape[0] == "tuple":
        return "wrong"
    if len(static) != len(shape):
        return "wrong"
    bound: dict = {}
    for s, r in zip(static, shape):
        if isinstance(s, int):
            if s != r:
                return "wrong"
        elif bound.setdefault(s, r) != r:
            return "wrong"
    return "match"


def static_shapes(report_json) -> dict:
    """(line, name) -> the check-json shape of each binding."""
    out = {}
    for entry in report_json["shapes"]:
        out[(entry["line"], entry["name"])] = entry["shape"] if "shape" in entry else {"tuple": entry["tuple"]}
    return out

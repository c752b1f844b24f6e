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

import torch


def binding_sites(path: str) -> dict:
    """Lines and the names they bind (assignment, for and with targets, parameters)."""
    tree = ast.parse(open(path).read())
    sites: dict = {}

    def names(target):
        if isinstance(target, ast.Name):
            yield target.id
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                yield from names(elt)
        elif isinstance(target, ast.Starred):
            yield from names(target.value)

    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            targets = [node.target]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            targets = [i.optional_vars for i in node.items if i.optional_vars is not None]
        for target in targets:
            for name in names(target):
                sites.setdefault(target.lineno, set()).add((name, getattr(target, "col_offset", 0)))
    return sites


def runtime_shape(value):
    if isinstance(value, torch.Tensor):
        return tuple(value.shape)
    if isinstance(value, tuple) and value and any(isinstance(v, torch.Tensor) for v in value):
        return ("tuple",) + tuple(runtime_shape(v) for v in value)
    return None


def trace_file(path: str, crashes: bool = False) -> dict:
    """``crashes``: the file is expected to raise; return what was recorded until it did."""
    path = os.path.abspath(path)
    sites = binding_sites(path)
    seen: dict = {}
    last_line: dict = {}

    def record(frame):
        line = last_line.get(id(frame))
        if line is None or line not in sites:
            return
        for name, _ in sites[line]:
            if name in frame.f_locals:
                shape = runtime_shape(frame.f_locals[name])
                if shape is not None:
                    seen.setdefault((line, name), set()).add(shape)

    def local_trace(frame, event, arg):
        if event == "exception":  # the line did not complete: its names keep their old values
            last_line[id(frame)] = None
        elif event in ("line", "return"):
            record(frame)
            last_line[id(frame)] = frame.f_lineno
        return local_trace

    def global_trace(frame, event, arg):
        if frame.f_code.co_filename == path:
            last_line[id(frame)] = frame.f_lineno
            return local_trace
        return None

    directory = os.path.dirname(path)
    sys.path.insert(0, directory)
    old = sys.gettrace()
    sys.settrace(global_trace)
    try:
        torch.manual_seed(0)
        runpy.run_path(path, run_name="__main__")
    except Exception:
        if not crashes:
            raise
    finally:
        sys.settrace(old)
        sys.path.remove(directory)
    return seen


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

"""The validation worker: runs a file's nn.Modules on torch's meta device and reports the shapes.

It runs in the user's interpreter (the one that has torch), as a separate process started by
:mod:`shapelens.validation.client`, so the language server never imports torch and a model that
hangs or eats memory can be killed. It is a plain script with no shapelens imports: started by
path, it needs nothing on PYTHONPATH but torch, and the server's own libraries never shadow the
user's.

Protocol: one JSON object per line. The worker first writes ``{"ready": true, "torch": ...}``
(or ``{"ready": false, "error": ...}``), then answers each request line with one response line.
Anything the user's code prints goes to stderr; stdout carries only the protocol.

What runs: the file's imports, class and function definitions and constant assignments (never
its other top-level statements: no training loop, no data loading); then each requested model
is built under ``torch.device("meta")`` and its forward called on meta tensors of the requested
shapes, with every line of the file traced and every submodule's output hooked.
"""

import ast
import contextlib
import importlib.util
import json
import os
import sys
import threading
import time
import traceback
import types

SAFE_CALLS = {
    "int",
    "float",
    "str",
    "bool",
    "tuple",
    "list",
    "dict",
    "set",
    "frozenset",
    "range",
    "len",
    "max",
    "min",
    "sum",
    "abs",
    "round",
    "sorted",
    "reversed",
    "zip",
    "enumerate",
}
DTYPES = {"float": "float32", "int": "int64", "bool": "bool"}
MODULE_NAME = "__shapelens_validate__"
PRELOADED: frozenset = frozenset()  # modules loaded before the first request (torch and its own)


def main() -> int:
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
        sys.path.pop(0)  # our own folder must not shadow the user's modules
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # prints from the user's code, Python or C, land on stderr
    sys.stdout = sys.stderr

    def send(message: dict) -> None:
        protocol.write(json.dumps(message) + "\n")
        protocol.flush()

    try:
        import torch  # noqa: F401
    except Exception as exc:  # torch missing or broken in this interpreter
        send({"ready": False, "error": f"cannot import torch in {sys.executable}: {exc}"})
        return 1
    if importlib.util.find_spec("numpy") is None:
        # torch's meta kernels try `import numpy` on every elementwise op: without numpy each try
        # searched all of sys.path (over half of a ResNet run)
        sys.modules["numpy"] = None
    _warm_up()
    _exit_with_parent()
    global PRELOADED
    PRELOADED = frozenset(sys.modules)
    send({"ready": True, "torch": torch.__version__, "python": sys.executable})
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            send(validate(request))
        except Exception as exc:  # a bug here must not end the session
            send({"id": request.get("id"), "error": f"validation failed: {type(exc).__name__}: {exc}", "models": []})
    return 0


def _warm_up() -> None:
    """The first layer call on meta loads lazily imported parts of torch: pay it before "ready"."""
    import torch

    with torch.device("meta"):
        torch.nn.Conv2d(1, 1, 1)(torch.nn.Linear(1, 1)(torch.empty(1, 1, 1, 1)))


# -- one request ------------------------------------------------------------------------------
def validate(request: dict) -> dict:
    path = os.path.abspath(request["path"])
    folders = [os.path.dirname(path)] + [os.path.abspath(r) for r in request.get("roots", [])]
    _forget_user_modules(folders)
    for folder in reversed(folders):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    tree = ast.parse(request["text"], path)
    module, notes, unset = _load_definitions(tree, path)
    sites, ends = binding_sites(tree), statement_ends(tree)
    models = [_run_model(module, spec, path, sites, ends, unset) for spec in request.get("models", [])]
    return {"id": request.get("id"), "models": models, "notes": notes}


def _forget_user_modules(folders: list) -> None:
    """Workspace modules imported by an earlier request may have been edited since. Never torch
    or another installed package, even when the virtual environment lies inside the workspace:
    importing torch a second time in one process crashes it."""
    installed = {os.path.abspath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    for name, module in list(sys.modules.items()):
        if name in PRELOADED and name != MODULE_NAME:
            continue
        file = os.path.abspath(getattr(module, "__file__", None) or os.sep)
        if "site-packages" in file.split(os.sep) or any(file.startswith(p + os.sep) for p in installed):
            continue
        if name == MODULE_NAME or any(file.startswith(folder + os.sep) for folder in folders):
            del sys.modules[name]


def _exit_with_parent() -> None:
    """A server that dies without stopping us must not leave a model running forever."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _load_definitions(tree: ast.Module, path: str):
    """Execute imports, definitions and constants, one statement at a time; note what failed.

    A name a skipped statement assigns (``WIDTH = scaled(WIDTH, 2)``) is removed rather than left
    at an older value: a model built from a stale constant would contradict correct hints.
    Returns the module, the notes, and the removed names with the line that would set them.
    """
    module = types.ModuleType(MODULE_NAME)
    module.__file__ = path
    sys.modules[MODULE_NAME] = module
    notes = []
    unset: dict = {}
    for stmt in tree.body:
        if not _is_definition(stmt, module.__dict__):
            for name in _assigned_names(stmt, module.__dict__):
                module.__dict__.pop(name, None)
                unset[name] = stmt.lineno
            continue
        try:
            exec(compile(ast.Module([stmt], []), path, "exec"), module.__dict__)
        except BaseException as exc:  # noqa: BLE001 - SystemExit from user code included
            if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.ClassDef, ast.FunctionDef)):
                notes.append(
                    {
                        "line": stmt.lineno,
                        "message": _unset_reason(exc, unset) or f"{_first_line(exc)} (line {stmt.lineno} did not run)",
                    }
                )
    return module, notes, unset


def _assigned_names(stmt, namespace: dict) -> set:
    """Module-level names a statement may bind or change (``CFG.update(...)``, ``CFG["w"] = f()``
    on a container or an object of the file), not those inside functions or classes it defines."""
    names = set()
    stack = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif (
            isinstance(node, (ast.Attribute, ast.Subscript))
            and isinstance(node.ctx, (ast.Store, ast.Del))
            or isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
        ):
            base = node.func.value if isinstance(node, ast.Call) else node.value
            if isinstance(base, ast.Name) and _mutable(namespace.get(base.id)):
                names.add(base.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        if not isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            stack.extend(ast.iter_child_nodes(node))
    return names


def _mutable(value) -> bool:
    return isinstance(value, (dict, list, set, bytearray)) or (
        not isinstance(value, type) and getattr(type(value), "__module__", "") == MODULE_NAME
    )


def _unset_reason(exc: BaseException, unset: dict) -> str:
    name = getattr(exc, "name", None) if isinstance(exc, NameError) else None
    if name in unset:
        return (
            f"it needs `{name}`, which line {unset[name]} sets with code validation does not run "
            f"(only imports, definitions and constants run)"
        )
    return ""


def _is_definition(stmt, namespace: dict) -> bool:
    if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(stmt, ast.Try):  # try: import x / except ImportError: ...
        return all(_is_definition(s, namespace) for s in stmt.body)
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
        return _is_constant(stmt.value, namespace)
    return False


def _is_constant(expr, namespace: dict) -> bool:
    """Literals, arithmetic, names, and calls only to builtins, math or plain (non-Module) classes."""
    import torch

    for node in ast.walk(expr):
        if isinstance(node, (ast.Lambda, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)):
            return False
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in SAFE_CALLS:
            continue
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "math":
            continue
        target = namespace.get(func.id) if isinstance(func, ast.Name) else None
        if isinstance(target, type) and not issubclass(target, torch.nn.Module) and target.__module__ == MODULE_NAME:
            continue  # a config object defined in the file
        return False
    return True


# -- one model --------------------------------------------------------------------------------
def _run_model(module, spec: dict, path: str, sites: dict, ends: dict, unset: dict) -> dict:
    import torch

    out = {"name": spec["name"], "line": spec.get("line"), "samples": [], "note": ""}
    cls = module.__dict__.get(spec["name"])
    if not (isinstance(cls, type) and issubclass(cls, torch.nn.Module)):
        out["note"] = f"{spec['name']} is not defined when only the file's definitions run"
        return out
    built: dict = {}
    try:
        with tracing(LineTracer(path, sites, built, ends=ends)), torch.device("meta"):
            model = eval(spec["ctor"], module.__dict__) if spec.get("ctor") else cls()
    except BaseException as exc:  # noqa: BLE001
        out["note"] = (
            f"could not build `{spec.get('ctor') or spec['name'] + '()'}`: {_unset_reason(exc, unset) or _why(exc)}"
        )
        return out
    out["built"] = _lines(built)  # the constructor's own tensors (buffers, tables) do not depend on inputs
    outputs: dict = {}
    hooks = [sub.register_forward_hook(_recorder(outputs, name)) for name, sub in model.named_modules() if name]
    try:
        for sample in spec["samples"]:
            outputs.clear()
            out["samples"].append(_run_sample(model, module, sample, path, sites, ends, outputs, unset))
    finally:
        for hook in hooks:
            hook.remove()
    return out


def _recorder(outputs: dict, name: str):
    def hook(_module, _inputs, output):
        shape = _shape(output)
        if shape is not None:
            outputs.setdefault(name, [])
            if shape not in outputs[name]:
                outputs[name].append(shape)

    return hook


def _run_sample(model, module, sample: dict, path: str, sites: dict, ends: dict, outputs: dict, unset: dict) -> dict:
    import torch

    result = {"values": sample.get("values", {}), "lines": [], "modules": outputs, "error": None}
    try:
        args = {name: _make_input(spec) for name, spec in sample.get("inputs", {}).items()}
        args.update({name: eval(source, module.__dict__) for name, source in sample.get("literals", {}).items()})
    except Exception as exc:
        result["error"] = {"kind": "setup", "line": None, "message": f"could not make the inputs: {_why(exc)}"}
        return result
    seen: dict = {}
    try:
        # not under no_grad: nn.Transformer's inference fast path reads tensor values
        with tracing(LineTracer(path, sites, seen, ends=ends)), torch.device("meta"):
            model(**args)
    except BaseException as exc:  # noqa: BLE001 - user code may raise anything, even SystemExit
        result["error"] = _error(exc, path, unset)
    result["lines"] = _lines(seen)
    result["modules"] = dict(outputs)
    return result


def _lines(seen: dict) -> list:
    return [[line, name, shape] for (line, name), shapes in sorted(seen.items()) for shape in shapes]


@contextlib.contextmanager
def tracing(tracer):
    old = sys.gettrace()
    sys.settrace(tracer.global_trace)
    try:
        yield
    finally:
        sys.settrace(old)


def _make_input(spec):
    import torch

    if "tuple" in spec:
        return tuple(_make_input(s) for s in spec["tuple"])
    dtype = getattr(torch, DTYPES.get(spec.get("dtype") or "float", "float32"))
    return torch.empty(spec["shape"], dtype=dtype, device="meta")


class LineTracer:
    """After each line of the file runs, record the shapes of the tensor names it bound.

    ``shape`` turns a value into what is recorded (None: not a tensor); the corpus tests trace
    real runs with it too.
    """

    def __init__(self, path: str, sites: dict, seen: dict, shape=None, ends=None):
        self.path, self.sites, self.seen = path, sites, seen
        self.shape = shape or _shape
        self.ends = ends or {}  # a binding's line -> the last line of its statement (statement_ends)
        self.last_line: dict = {}

    def global_trace(self, frame, event, arg):
        if frame.f_code.co_filename != self.path:
            return None
        self.last_line[id(frame)] = frame.f_lineno
        return self.local_trace

    def local_trace(self, frame, event, arg):
        if event == "exception":  # the line did not complete: its names keep their old values
            self.last_line[id(frame)] = None
        elif event in ("line", "return"):
            start = self.last_line.get(id(frame))
            end = self.ends.get(start, start)
            if event == "line" and start is not None and start < end and start <= frame.f_lineno <= end:
                return self.local_trace  # a statement over several lines still runs: nothing bound yet
            self._record(frame)
            self.last_line[id(frame)] = frame.f_lineno
        return self.local_trace

    def _record(self, frame) -> None:
        line = self.last_line.get(id(frame))
        for name in self.sites.get(line, ()):
            if name in frame.f_locals:
                shape = self.shape(frame.f_locals[name])
                if shape is not None:
                    shapes = self.seen.setdefault((line, name), [])
                    if shape not in shapes:
                        shapes.append(shape)


def statement_ends(tree: ast.Module) -> dict:
    """A binding's line (as in :func:`binding_sites`) -> the last line of what binds it: the whole
    assignment, a ``for``'s iterable, a ``with``'s items (not their bodies)."""
    ends: dict = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets, end = (node.targets if isinstance(node, ast.Assign) else [node.target]), node.end_lineno
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            targets, end = [node.target], node.iter.end_lineno
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            targets = [i.optional_vars for i in node.items if i.optional_vars is not None]
            end = max((i.context_expr.end_lineno for i in node.items), default=node.lineno)
        else:
            continue
        for target in targets:
            ends[target.lineno] = max(ends.get(target.lineno, 0), end)
    return ends


def binding_sites(tree: ast.Module) -> dict:
    """Line -> names bound there (assignment, for and with targets)."""
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
            sites.setdefault(target.lineno, set()).update(names(target))
    return sites


def _shape(value):
    import torch

    if isinstance(value, torch.Tensor):
        return list(value.shape)
    if (
        isinstance(value, (tuple, list))
        and value
        and all(isinstance(v, torch.Tensor) or v is None for v in value)
        and any(isinstance(v, torch.Tensor) for v in value)
    ):
        return {"tuple": [_shape(v) for v in value]}
    return None


# -- errors -----------------------------------------------------------------------------------
META_LIMITS = (
    "meta tensor",
    "meta device",
    "on meta",
    "data-dependent",
    "Cannot copy out of meta",
    "item() cannot be called",
    "cannot be called on meta",
)


def _error(exc: BaseException, path: str, unset: dict) -> dict:
    """Where in the user's file it raised, torch's message, and whether it is a shape error or a
    limit of the run (a value read, a file or a GPU needed, a name the run did not set)."""
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == path:
            line = lineno
    limit = _unset_reason(exc, unset) or _limit(exc)
    if limit is None and isinstance(exc, (NotImplementedError, KeyboardInterrupt, SystemExit)):
        limit = _first_line(exc)
    return {
        "kind": "shape" if limit is None else "limit",
        "line": line,
        "message": _first_line(exc) if limit is None else limit,
        "type": type(exc).__name__,
    }


def _why(exc: BaseException) -> str:
    return _limit(exc) or _first_line(exc)


def _limit(exc: BaseException):
    """What the model needs that a run on the meta device does not have, or None."""
    message = _first_line(exc)
    if isinstance(exc, FileNotFoundError):
        return f"it needs a file ({message})"
    if "CUDA" in message or "cuda" in message:
        return f"it needs a GPU ({message})"
    if any(m in message for m in META_LIMITS):
        return f"it reads a tensor's values, which the meta device does not have ({message})"
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())

"""shapelens on real code: model files of public repositories, run by our drivers under torch.

    python bench/realcode/realcode.py --mirrors /work/.mirror [--split dev|heldout|all]
        [--only ID ...] [--out DIR] [--json FILE] [--no-mutants] [--mutants-per-file N] [--repos]

Reads bench/realcode/manifest/*.json (format: the corpus spec, summarised in README.md). For each
model file: builds its workspace from the bare git mirror (blobs checked against the manifest),
runs the driver under a line tracer that records every tensor binding of the model file per
function invocation (the truth), analyses the model file with the driver present and alone, and
scores the analyzer's shapes against the truth; then runs one-line mutants of the file that crash
in torch and asks whether shapelens flags the crashing line. ``--repos`` also runs
``shapelens check --json`` over every repository's whole tree.

The driver runs in a child process (this same script with ``--child``, the same interpreter);
the child imports nothing of shapelens but the validation worker's line tracer, loaded by path.
"""

from __future__ import annotations

import argparse
import ast
import collections
import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SERVER = os.path.join(ROOT, "server")
WORKER = os.path.join(SERVER, "shapelens", "validation", "worker.py")
DRIVER_TIMEOUT = 60.0
REPO_TIMEOUT = 900.0
CHECK_EXIT_CODES = (0, 1)  # shapelens check: 0 no error, 1 some error diagnostic (2: bad usage)


# =============================================================================================
# The child: run one driver, optionally tracing the model file (no shapelens package imports)
# =============================================================================================
def _load_worker(path: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location("_realcode_worker", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def invocation_tracer_class(line_tracer):
    """The worker's LineTracer, also recording which bindings each call of a function made.

    ``invocations``: (qualname, first line) -> {frozenset of (line, name, shape json, kind): count},
    kind "param" for the tensors a call received (``params``: a function's first line -> its
    parameters' (line, name)), "binding" for those its lines bound. A generator's resumption
    counts as a new invocation."""

    class InvocationTracer(line_tracer):
        def __init__(self, path, sites, seen, params=None, ends=None):
            super().__init__(path, sites, seen, ends=ends)
            self.params = params or {}
            self.open: dict = {}
            self.invocations: dict = {}

        def global_trace(self, frame, event, arg):
            local = super().global_trace(frame, event, arg)
            if local is not None:
                code = frame.f_code
                bound = set()
                for line, name in self.params.get(code.co_firstlineno, ()):
                    shape = self.shape(frame.f_locals[name]) if name in frame.f_locals else None
                    if shape is not None:
                        bound.add((line, name, json.dumps(shape), "param"))
                self.open[id(frame)] = ((getattr(code, "co_qualname", code.co_name), code.co_firstlineno), bound)
            return local

        def local_trace(self, frame, event, arg):
            result = super().local_trace(frame, event, arg)
            if event == "return":
                self._close(id(frame))
            return result

        def _record(self, frame) -> None:
            super()._record(frame)
            entry = self.open.get(id(frame))
            line = self.last_line.get(id(frame))
            if entry is None or line is None:
                return
            for name in self.sites.get(line, ()):
                if name in frame.f_locals:
                    shape = self.shape(frame.f_locals[name])
                    if shape is not None:
                        entry[1].add((line, name, json.dumps(shape), "binding"))

        def _close(self, frame_id) -> None:
            key, bound = self.open.pop(frame_id, (None, None))
            if key is not None and bound:
                counts = self.invocations.setdefault(key, {})
                bound = frozenset(bound)
                counts[bound] = counts.get(bound, 0) + 1

        def finish(self) -> None:
            for frame_id in list(self.open):
                self._close(frame_id)

    return InvocationTracer


def child_main(spec_path: str) -> int:
    with open(spec_path) as handle:
        spec = json.load(handle)
    workspace, model, driver = spec["workspace"], spec["model"], spec["driver"]
    os.chdir(workspace)
    sys.path[0] = workspace  # was this script's folder
    sys.argv = [driver]
    result = {"ok": True, "error": None}
    tracer = None
    worker = _load_worker(spec["worker"])
    if spec.get("trace"):
        with open(model, encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), model)
        tracer = invocation_tracer_class(worker.LineTracer)(
            model, worker.binding_sites(tree), {}, parameter_sites(tree), worker.statement_ends(tree)
        )
    import torch  # noqa: F401  (imported before tracing starts)

    start = time.perf_counter()
    try:
        with worker.tracing(tracer) if tracer else contextlib.nullcontext():
            import runpy

            runpy.run_path(driver, run_name="__main__")
    except SystemExit as exc:
        if exc.code not in (None, 0):
            result.update(
                ok=False, error={"type": "SystemExit", "message": str(exc.code), "line": None, "traceback": ""}
            )
    except BaseException as exc:  # noqa: BLE001 - the driver may raise anything
        line = None
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename == model:
                line = lineno
        text = "".join(traceback.format_exception(exc)).splitlines()
        result.update(
            ok=False,
            error={
                "type": type(exc).__name__,
                "message": (str(exc).splitlines() or [""])[0][:300],
                "line": line,
                "traceback": "\n".join(text[-12:]),
            },
        )
    result["seconds"] = round(time.perf_counter() - start, 3)
    if tracer is not None:
        tracer.finish()
        result["sites"] = [[line, name, shapes] for (line, name), shapes in sorted(tracer.seen.items())]
        result["invocations"] = [
            {
                "func": func,
                "first_line": first,
                "count": count,
                "bindings": sorted(
                    [line, name, json.loads(shape)] for line, name, shape, kind in bound if kind == "binding"
                ),
                "params": sorted(
                    [line, name, json.loads(shape)] for line, name, shape, kind in bound if kind == "param"
                ),
            }
            for (func, first), variants in sorted(tracer.invocations.items())
            for bound, count in sorted(variants.items(), key=lambda kv: sorted(kv[0]))
        ]
    with open(spec["out"], "w") as handle:
        json.dump(result, handle)
    return 0


def parameter_sites(tree) -> dict:
    """A function's first line as its code object has it (its first decorator's) -> (line, name)
    of each of its parameters."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            a = node.args
            params = a.posonlyargs + a.args + a.kwonlyargs + [p for p in (a.vararg, a.kwarg) if p]
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            out[first] = [(p.lineno, p.arg) for p in params]
    return out


def run_driver(workspace: str, model: str, driver: str, trace: bool, timeout: float = DRIVER_TIMEOUT) -> dict:
    """Run the driver in a child process; its result dict (``ok``, ``error``, ``sites``, ...)."""
    with tempfile.TemporaryDirectory(prefix="realcode-child-") as tmp:
        spec_path, out = os.path.join(tmp, "spec.json"), os.path.join(tmp, "out.json")
        with open(spec_path, "w") as handle:
            json.dump(
                {
                    "workspace": workspace,
                    "model": model,
                    "driver": driver,
                    "trace": trace,
                    "worker": WORKER,
                    "out": out,
                },
                handle,
            )
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP")}
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # a mutant of the same size must never reuse a stale .pyc
        env.setdefault("OMP_NUM_THREADS", "2")
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                [sys.executable, os.path.abspath(__file__), "--child", spec_path],
                cwd=workspace,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return {
                "ok": False,
                "error": {"type": "Timeout", "message": f"over {timeout:.0f} s", "line": None, "traceback": ""},
                "wall": timeout,
            }
        wall = time.perf_counter() - start
        if not os.path.exists(out):
            return {
                "ok": False,
                "error": {
                    "type": "ChildDied",
                    "message": f"exit {proc.returncode}",
                    "line": None,
                    "traceback": proc.stderr[-2000:],
                },
                "wall": wall,
            }
        with open(out) as handle:
            result = json.load(handle)
        result["wall"] = round(wall, 3)
        return result


# =============================================================================================
# Manifests and workspaces
# =============================================================================================
def split_of(repo: str) -> str:
    digit = int(hashlib.sha256(repo.encode()).hexdigest()[0], 16)
    return "dev" if digit % 2 == 0 else "heldout"


def load_manifests(folder: str) -> list:
    manifests = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(folder, name)) as handle:
            manifest = json.load(handle)
        manifest["file"] = name
        manifest["problems"] = []
        if manifest.get("split") != split_of(manifest["repo"]):
            manifest["problems"].append(
                f"split {manifest.get('split')!r} but the formula gives {split_of(manifest['repo'])!r}"
            )
        manifests.append(manifest)
    return manifests


def mirror_of(mirrors: str, repo: str) -> str:
    """The git directory of a repository's snapshot: bare (``repo``) or with a work tree (``repo/.git``)."""
    base = os.path.join(mirrors, repo.replace("/", "+"), "repo")
    nested = os.path.join(base, ".git")
    return nested if os.path.isdir(nested) else base


def _git(git_dir: str, *args, binary=False):
    proc = subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"git {' '.join(args)}: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout if binary else proc.stdout.decode().strip()


def materialise(git_dir: str, commit: str, model: dict, drivers: str, out: str) -> tuple:
    """``<out>/<id>/`` (model, support files, ``drive_<id>.py``) and ``<out>/<id>.alone/`` (the same
    without the driver). Returns (workspace, alone copy, model path)."""
    workspace = os.path.join(out, model["id"])
    alone = workspace + ".alone"
    for folder in (workspace, alone):
        if os.path.exists(folder):
            shutil.rmtree(folder)
        os.makedirs(folder)
    for entry in [{"path": model["path"], "blob": model["blob"]}] + list(model.get("support", [])):
        actual = _git(git_dir, "rev-parse", f"{commit}:{entry['path']}")
        if actual != entry["blob"]:
            raise RuntimeError(
                f"{entry['path']} at {commit[:12]} is blob {actual[:12]}, manifest says {entry['blob'][:12]}"
            )
        data = _git(git_dir, "cat-file", "blob", entry["blob"], binary=True)
        for folder in (workspace, alone):
            target = os.path.join(folder, entry["path"])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(data)
    shutil.copyfile(os.path.join(drivers, model["driver"]), os.path.join(workspace, f"drive_{model['id']}.py"))
    return workspace, alone, os.path.join(workspace, model["path"])


# =============================================================================================
# Static side
# =============================================================================================
def analyse(path: str, root: str, text=None) -> tuple:
    """(report json, diagnostics, internal errors, texts) of shapelens on ``path`` with
    ``roots=[root]``; ``texts``: (line, name) -> the shape as the analyzer prints it (a variadic
    ``[*batch, C]`` is ``null`` in the JSON)."""
    if SERVER not in sys.path:
        sys.path.insert(0, SERVER)
    from shapelens.analysis import Analysis
    from shapelens.analysis.report import shape_text

    analysis = Analysis([root])
    report = analysis.analyze(path, text)
    diagnostics = [
        {"line": d.span.line, "end_line": d.span.end_line, "severity": d.severity, "code": d.code, "message": d.message}
        for d in report.diagnostics
    ]
    internal = [{"line": line, "error": error} for line, error in analysis.internal_errors]
    texts = {(f.span.line, f.name): shape_text(f.value) for f in report.shapes}
    return report.to_json(), diagnostics, internal, texts


def static_shapes(report_json: dict) -> dict:
    """(line, name) -> the check-json shape of each binding (a dims list, None, or {"tuple": [...]})."""
    out = {}
    for entry in report_json["shapes"]:
        out[(entry["line"], entry["name"])] = entry["shape"] if "shape" in entry else {"tuple": entry["tuple"]}
    return out


def is_known(static) -> bool:
    if static is None:
        return False
    if isinstance(static, dict):
        return any(is_known(s) for s in static["tuple"])
    return True


def pairs(static, runtime):
    """(static dims list, runtime dims list) pairs to compare, or the string 'rank' when the
    structure already differs (tuple against tensor, tuple lengths, ranks)."""
    if isinstance(static, dict) or isinstance(runtime, dict):
        if not (isinstance(static, dict) and isinstance(runtime, dict)) or len(static["tuple"]) != len(
            runtime["tuple"]
        ):
            return "rank"
        out = []
        for s, r in zip(static["tuple"], runtime["tuple"]):
            if s is None or r is None:
                continue
            sub = pairs(s, r)
            if sub == "rank":
                return "rank"
            out.extend(sub)
        return out
    if static is None:
        return []
    if len(static) != len(runtime):
        return "rank"
    return [(static, runtime)]


# -- symbolic dims ----------------------------------------------------------------------------
_ATOM = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _expr_tree(text: str):
    try:
        return ast.parse(text.replace("^", "**"), mode="eval").body
    except SyntaxError:
        return None


def _atoms(node) -> set:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, (ast.Name, ast.Attribute)):
            with contextlib.suppress(Exception):
                text = ast.unparse(sub)
                if _ATOM.match(text):
                    names.add(text)
    return names


def _evaluate(node, env: dict):
    """The integer value of a dim expression with its atoms bound in ``env``; None if not known."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, (ast.Name, ast.Attribute)):
        return env.get(ast.unparse(node))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        v = _evaluate(node.operand, env)
        return None if v is None else -v
    if isinstance(node, ast.BinOp):
        a, b = _evaluate(node.left, env), _evaluate(node.right, env)
        if a is None or b is None:
            return None
        op = type(node.op)
        try:
            return {
                ast.Add: lambda: a + b,
                ast.Sub: lambda: a - b,
                ast.Mult: lambda: a * b,
                ast.FloorDiv: lambda: a // b,
                ast.Mod: lambda: a % b,
                ast.Pow: lambda: a**b if 0 <= b < 64 else None,
            }[op]()
        except (KeyError, ZeroDivisionError):
            return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("max", "min"):
        values = [_evaluate(a, env) for a in node.args]
        return None if None in values or not values else (max if node.func.id == "max" else min)(values)
    return None


def judge_invocation(bindings: list, static: dict, params: list = ()) -> dict:
    """Within one call of a function: (line, name) -> reason, for each binding whose static shape
    contradicts the sizes torch saw (a rank, a concrete dim, or a symbol that would have to stand
    for two sizes). A symbol in a parameter's static shape takes the size that parameter had in
    this call; any other, the size most of this call's bindings give it."""
    given: dict = {}
    for line, name, shape in params:
        got = pairs(static.get((line, name)), shape) if is_known(static.get((line, name))) else "rank"
        if got != "rank":
            for sdims, rdims in got:
                for d, r in zip(sdims, rdims):
                    if isinstance(d, str) and _ATOM.match(d):
                        given.setdefault(d, r)
    dims = []  # (site, static dim, runtime size)
    wrong: dict = {}
    for line, name, shape in bindings:
        site = (line, name)
        s = static.get(site)
        if not is_known(s):
            continue
        got = pairs(s, shape)
        if got == "rank":
            wrong[site] = f"rank: static {s}, torch {shape}"
            continue
        for sdims, rdims in got:
            for i, (d, r) in enumerate(zip(sdims, rdims)):
                if isinstance(d, int):
                    if d != r:
                        wrong.setdefault(site, f"dim {i}: static {d}, torch {r}")
                else:
                    dims.append((site, d, r))
    votes: dict = collections.defaultdict(collections.Counter)
    trees = {}
    for _site, d, r in dims:
        if _ATOM.match(d):
            votes[d][r] += 1
        else:
            trees[d] = _expr_tree(d)
    env = {atom: counter.most_common(1)[0][0] for atom, counter in votes.items()}
    env.update(given)
    for _site, d, r in dims:
        if _ATOM.match(d):
            continue
        tree = trees[d]
        if tree is None or not _atoms(tree) <= set(env) or _evaluate(tree, env) is None:
            votes[d][r] += 1  # not expressible in this call's symbols: a symbol of its own
    env.update({text: counter.most_common(1)[0][0] for text, counter in votes.items() if text not in env})
    for site, d, r in dims:
        tree = trees.get(d)
        expected = env[d] if _ATOM.match(d) or d in votes else _evaluate(tree, env)
        counter = votes.get(d)
        tie = (
            d not in given
            and counter is not None
            and len(counter) > 1
            and len({c for _, c in counter.most_common(2)}) == 1
        )
        if expected != r or tie:
            if d in given:
                why = f"symbol {d}: torch {r} here, {given[d]} in the call's parameters"
            elif counter:
                why = f"symbol {d}: torch {r} here; over the call " + ", ".join(f"{v} x{c}" for v, c in counter.items())
            else:
                why = f"{d}: torch {r} here, {expected} from the call's other sizes"
            wrong.setdefault(site, why)
    return wrong


def score_model(runtime: dict, static_driver: dict, static_alone: dict, lines: list) -> list:
    """One record per runtime binding: verdicts with the driver present and alone."""
    sites = {(line, name): shapes for line, name, shapes in runtime["sites"]}
    func_of: dict = {}
    wrong: dict = {}
    fits_one: set = set()  # sites whose static shape fits at least one call
    for inv in runtime["invocations"]:
        for line, name, _shape in inv["bindings"]:
            func_of.setdefault((line, name), inv["func"])
        verdicts = judge_invocation(inv["bindings"], static_driver, inv.get("params", ()))
        for site, reason in verdicts.items():
            wrong.setdefault(site, reason)
        for line, name, _shape in inv["bindings"]:
            if (line, name) not in verdicts:
                fits_one.add((line, name))
    records = []
    for (line, name), shapes in sorted(sites.items()):
        site = (line, name)
        s = static_driver.get(site)
        verdict = "unknown" if not is_known(s) else ("wrong" if site in wrong else "correct")
        a = static_alone.get(site)
        alone = "unknown" if not is_known(a) else ("contradicts" if _contradicts(a, shapes) else "shaped")
        records.append(
            {
                "line": line,
                "name": name,
                "function": func_of.get(site, "?"),
                "source": lines[line - 1].strip() if 0 < line <= len(lines) else "",
                "torch": shapes,
                "static": s,
                "reported": site in static_driver,
                "verdict": verdict,
                "why": wrong.get(site, ""),
                "fits_some_call": verdict == "wrong" and site in fits_one,
                "alone": a,
                "alone_verdict": alone,
            }
        )
    return records


def explain_unknown(records: list, texts: dict, diagnostics: list, text: str) -> None:
    """For each binding without a static shape: what the analyzer itself shows there, and the
    last ``inference-lost`` note before it in the same function."""
    spans = sorted(
        (node.lineno, node.end_lineno)
        for node in ast.walk(ast.parse(text))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    )
    lost = sorted((d["line"], d["message"]) for d in diagnostics if d["code"] == "inference-lost")
    for r in records:
        if r["verdict"] != "unknown":
            continue
        line = r["line"]
        inner = [s for s in spans if s[0] <= line <= s[1]]
        start = inner[-1][0] if inner else 1
        notes = [m for at, m in lost if start <= at <= line]
        r["static_text"] = texts.get((line, r["name"]), "(no binding reported)")
        r["lost"] = notes[-1] if notes else ""


def _contradicts(static, shapes: list) -> bool:
    """Alone: the rank differs from a runtime shape, or a concrete dim differs from every runtime
    value recorded at that position."""
    got = [pairs(static, shape) for shape in shapes]
    if any(g == "rank" for g in got):
        return True
    for k in range(len(got[0]) if got else 0):
        sdims = got[0][k][0]
        for i, d in enumerate(sdims):
            if isinstance(d, int) and all(k < len(g) and g[k][1][i] != d for g in got):
                return True
    return False


# =============================================================================================
# Mutants
# =============================================================================================
LAYER = re.compile(r"^(torch\.)?nn\.(?!functional\.)([A-Z]\w*)$")
FUNCTION = re.compile(r"^(torch|F|nn\.functional|torch\.nn\.functional)\.\w+$")
METHODS = {
    "view",
    "reshape",
    "transpose",
    "permute",
    "flatten",
    "unflatten",
    "unsqueeze",
    "squeeze",
    "split",
    "chunk",
    "narrow",
    "expand",
    "repeat",
    "sum",
    "mean",
    "softmax",
    "log_softmax",
    "size",
    "movedim",
    "swapaxes",
    "cumsum",
    "argmax",
    "norm",
    "select",
    "index_select",
    "gather",
    "roll",
    "view_as",
    "masked_fill",
    "topk",
    "max",
    "min",
    "amax",
    "std",
    "var",
    "tril",
    "triu",
    "new_zeros",
    "repeat_interleave",
}
DIM_KEYWORDS = {"dim", "dims", "dim0", "dim1", "start_dim", "end_dim", "axis", "source", "destination"}
DIM_POSITIONAL = {  # positional arguments that are dims, by callee name
    "transpose": None,
    "permute": None,
    "movedim": None,
    "swapaxes": None,
    "flatten": None,
    "unsqueeze": None,
    "squeeze": None,
    "softmax": None,
    "log_softmax": None,
    "sum": None,
    "mean": None,
    "size": None,
    "amax": None,
    "argmax": None,
    "std": None,
    "var": None,
    "cumsum": None,
    "cat": 1,
    "stack": 1,
    "split": 1,
    "chunk": 1,
    "select": 0,
    "narrow": 0,
    "index_select": 0,
    "gather": 0,
    "roll": 1,
}
SKIP_KEYWORDS = {
    "bias",
    "p",
    "eps",
    "momentum",
    "dropout",
    "inplace",
    "affine",
    "track_running_stats",
    "elementwise_affine",
    "batch_first",
    "bidirectional",
    "padding_mode",
    "negative_slope",
    "approximate",
    "device",
    "dtype",
    "requires_grad",
    "keepdim",
    "diagonal",
    "generator",
    "num_samples",
    "k",
    "largest",
    "sorted",
    "ignore_index",
    "reduction",
    "temperature",
}
SKIP_LAYERS = ("Dropout", "Identity", "ReLU", "GELU", "SiLU", "Tanh", "Sigmoid", "LeakyReLU", "Softmax")


def mutant_candidates(text: str) -> list:
    """Every one-line mutant the rules below make, in source order: (line, col, end_col, old, new, kind)."""
    tree = ast.parse(text)
    lines = text.splitlines()
    found = []

    def add(node, new, kind):
        if node.lineno != node.end_lineno:
            return
        raw = lines[node.lineno - 1].encode()
        old = raw[node.col_offset : node.end_col_offset].decode()
        found.append((node.lineno, node.col_offset, node.end_col_offset, old, new, kind))

    def int_of(node):
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if (
            isinstance(node, ast.UnaryOp)
            and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)
            and type(node.operand.value) is int
        ):
            return -node.operand.value
        return None

    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        try:
            callee = ast.unparse(call.func)
        except Exception:  # noqa: BLE001
            continue
        layer = LAYER.match(callee)
        if layer and layer.group(2).startswith(SKIP_LAYERS):
            continue
        method = call.func.attr if isinstance(call.func, ast.Attribute) else None
        function = bool(FUNCTION.match(callee)) and not layer
        if not (layer or function or method in METHODS):
            continue
        short = callee.rsplit(".", 1)[-1]
        dim_at = DIM_POSITIONAL.get(short, -1)
        arguments = [(i, None, a) for i, a in enumerate(call.args)] + [
            (None, k.arg, k.value) for k in call.keywords if k.arg is not None
        ]
        for index, keyword, arg in arguments:
            if keyword in SKIP_KEYWORDS or isinstance(arg, ast.Starred):
                continue
            k = int_of(arg)
            is_dim = keyword in DIM_KEYWORDS or (
                keyword is None and short in DIM_POSITIONAL and (dim_at is None or dim_at == index)
            )
            if k is not None:
                if is_dim:
                    add(arg, str(k - 1 if k < 0 else k + 1), "dim")
                elif short in ("view", "reshape", "expand") and k == -1:
                    continue
                else:
                    add(arg, str(k * 2 if k >= 2 and len(found) % 2 else k + 1), "size")
            elif layer and isinstance(arg, (ast.Name, ast.Attribute, ast.BinOp)):
                add(arg, f"({ast.unparse(arg)}) + 1", "layer-arg")
    found.sort()
    return found


def pick_mutants(text: str, cap: int) -> list:
    """At most ``cap`` candidates spread evenly over the file, at most one per line, deterministic."""
    per_line: dict = {}
    for cand in mutant_candidates(text):
        per_line.setdefault(cand[0], []).append(cand)
    # one per line: rotate through a line's candidates by its number, so not always the first
    chosen = [cands[line % len(cands)] for line, cands in sorted(per_line.items())]
    if len(chosen) <= cap:
        return chosen
    return [chosen[(i * len(chosen)) // cap] for i in range(cap)]


def apply_mutant(text: str, cand) -> str:
    line, col, end, old, new, _kind = cand
    lines = text.splitlines(keepends=True)
    raw = lines[line - 1].encode()
    assert raw[col:end].decode() == old
    lines[line - 1] = (raw[:col] + new.encode() + raw[end:]).decode()
    return "".join(lines)


def run_mutants(workspace: str, model_path: str, driver: str, text: str, cap: int) -> list:
    out = []
    try:
        for cand in pick_mutants(text, cap):
            mutated = apply_mutant(text, cand)
            with open(model_path, "w", encoding="utf-8") as handle:
                handle.write(mutated)
            result = run_driver(workspace, model_path, driver, trace=False)
            record = {
                "line": cand[0],
                "old": cand[3],
                "new": cand[4],
                "kind": cand[5],
                "source": mutated.splitlines()[cand[0] - 1].strip(),
                "crashes": not result["ok"],
            }
            error = result.get("error") or {}
            record["crash_line"] = error.get("line")
            record["crash"] = f"{error.get('type')}: {error.get('message')}" if error else ""
            if not result["ok"] and error.get("line") and error.get("type") != "Timeout":
                _report, diagnostics, _internal, _texts = analyse(model_path, workspace)
                at = [d for d in diagnostics if d["line"] <= error["line"] <= max(d["end_line"], d["line"])]
                record["flagged_error"] = any(d["severity"] == "error" for d in at)
                record["flagged_warning"] = any(d["severity"] in ("error", "warning") for d in at)
                record["diagnostics"] = [d for d in diagnostics if d["severity"] in ("error", "warning")]
            out.append(record)
    finally:
        with open(model_path, "w", encoding="utf-8") as handle:
            handle.write(text)
    return out


# =============================================================================================
# One model, whole repositories
# =============================================================================================
def measure_model(manifest: dict, model: dict, mirrors: str, drivers: str, out: str, mutants: int) -> dict:
    result = {
        "id": model["id"],
        "repo": manifest["repo"],
        "split": manifest["split"],
        "path": model["path"],
        "kind": model.get("kind", ""),
        "status": "ok",
    }
    git_dir = mirror_of(mirrors, manifest["repo"])
    if not os.path.isdir(git_dir):
        result.update(status="no-mirror", problem=f"no mirror at {git_dir}")
        return result
    try:
        workspace, alone, model_path = materialise(git_dir, manifest["commit"], model, drivers, out)
    except (RuntimeError, OSError) as exc:
        result.update(status="bad-entry", problem=str(exc))
        return result
    driver = os.path.join(workspace, f"drive_{model['id']}.py")
    with open(model_path, encoding="utf-8") as handle:
        text = handle.read()
    result["lines"] = len(text.splitlines())
    truth = run_driver(workspace, model_path, driver, trace=True)
    result["driver_seconds"] = truth.get("wall")
    if not truth["ok"]:
        result.update(
            status="broken",
            problem=f"driver fails on the unmodified file: {truth['error']['type']}: {truth['error']['message']}",
            traceback=truth["error"]["traceback"],
        )
        return result
    start = time.perf_counter()
    report, diagnostics, internal, texts = analyse(model_path, workspace)
    result["analysis_seconds"] = round(time.perf_counter() - start, 3)
    report_alone, _diagnostics_alone, internal_alone, _texts = analyse(os.path.join(alone, model["path"]), alone)
    result["bindings"] = score_model(truth, static_shapes(report), static_shapes(report_alone), text.splitlines())
    explain_unknown(result["bindings"], texts, diagnostics, text)
    result["diagnostics"] = [d for d in diagnostics if d["severity"] in ("error", "warning")]
    result["internal_errors"] = internal
    result["internal_errors_alone"] = internal_alone
    if mutants:
        start = time.perf_counter()
        result["mutants"] = run_mutants(workspace, model_path, driver, text, mutants)
        result["mutant_seconds"] = round(time.perf_counter() - start, 1)
    return result


def _python_tree(git_dir: str, commit: str, tree: str) -> tuple:
    """The repository's .py files at the commit, written under ``tree`` (a snapshot may lack its
    largest files, so they are read one by one): (paths written, how many could not be read)."""
    listing = subprocess.run(
        ["git", f"--git-dir={git_dir}", "ls-tree", "-r", "--name-only", commit], capture_output=True, text=True
    )
    files, missing = [], 0
    for name in sorted(n for n in listing.stdout.splitlines() if n.endswith(".py")):
        if any(part.startswith(".") or part == "__pycache__" for part in name.split("/")[:-1]):
            continue
        blob = subprocess.run(["git", f"--git-dir={git_dir}", "show", f"{commit}:{name}"], capture_output=True)
        if blob.returncode != 0:
            missing += 1
            continue
        path = os.path.join(tree, *name.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(blob.stdout)
        files.append(path)
    return files, missing


def check_repository(manifest: dict, mirrors: str) -> dict:
    """``shapelens check --json`` over the repository's whole tree at the manifest's commit."""
    result = {"repo": manifest["repo"], "split": manifest["split"], "status": "ok"}
    git_dir = mirror_of(mirrors, manifest["repo"])
    if not os.path.isdir(git_dir):
        result.update(status="no-mirror")
        return result
    with tempfile.TemporaryDirectory(prefix="realcode-repo-") as tree:
        files, missing = _python_tree(git_dir, manifest["commit"], tree)
        result["files_missing"] = missing
        result["files"] = len(files)
        result["lines"] = 0
        for path in files:
            with open(path, encoding="utf-8", errors="replace") as handle:
                result["lines"] += len(handle.read().splitlines())
        if not files:
            return result
        proc, seconds = _check(tree)
        result["seconds"] = round(seconds, 2)
        result["seconds_per_kloc"] = round(seconds / max(result["lines"], 1) * 1000, 3)
        result["exit"] = proc.returncode if proc else "timeout"
        result["internal_errors"] = proc.stderr.count("Traceback (most recent call last)") if proc else 0
        if proc is None or proc.returncode not in CHECK_EXIT_CODES:
            result["status"] = "crash"
            result["stderr"] = proc.stderr[-3000:] if proc else f"over {REPO_TIMEOUT:.0f} s"
            result["crashing_files"] = [
                os.path.relpath(f, tree)
                for f in files
                if (lambda p: p is None or p.returncode not in CHECK_EXIT_CODES)(_check(f, 120)[0])
            ]
            return result
        files_json = json.loads(proc.stdout)["files"]
        diags = [dict(d, path=os.path.relpath(f["path"], tree)) for f in files_json for d in f["diagnostics"]]
        result["errors"] = sum(d["severity"] == "error" for d in diags)
        result["warnings"] = sum(d["severity"] == "warning" for d in diags)
        result["bindings"] = sum(len(f["shapes"]) for f in files_json)
        result["bindings_shaped"] = sum(
            is_known(s.get("shape") if "shape" in s else {"tuple": s["tuple"]}) for f in files_json for s in f["shapes"]
        )
        result["diagnostics"] = [
            {k: d[k] for k in ("path", "line", "severity", "code", "message")}
            for d in diags
            if d["severity"] in ("error", "warning")
        ]
    return result


def _check(path: str, timeout: float = REPO_TIMEOUT):
    env = dict(os.environ, PYTHONPATH=SERVER, SHAPELENS_DEBUG="1", PYTHONDONTWRITEBYTECODE="1")
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "shapelens", "check", "--json", path],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            cwd=path if os.path.isdir(path) else None,
        )
    except subprocess.TimeoutExpired:
        return None, timeout
    return proc, time.perf_counter() - start


# =============================================================================================
# Summaries
# =============================================================================================
def summarise(models: list) -> dict:
    done = [m for m in models if m["status"] == "ok"]
    b = [r for m in done for r in m["bindings"]]
    mut = [x for m in done for x in m.get("mutants", [])]
    crashing = [x for x in mut if x["crashes"] and x.get("crash_line")]
    s = {
        "models": len(done),
        "not_measured": len(models) - len(done),
        "bindings": len(b),
        "correct": sum(r["verdict"] == "correct" for r in b),
        "wrong": sum(r["verdict"] == "wrong" for r in b),
        "wrong_fits_some_call": sum(r["verdict"] == "wrong" and r.get("fits_some_call", False) for r in b),
        "unknown": sum(r["verdict"] == "unknown" for r in b),
        "alone_shaped": sum(r["alone_verdict"] != "unknown" for r in b),
        "alone_contradicting": sum(r["alone_verdict"] == "contradicts" for r in b),
        "mutants_tried": len(mut),
        "mutants_crashing": len(crashing),
        "mutants_flagged_error": sum(bool(x.get("flagged_error")) for x in crashing),
        "mutants_flagged_warning": sum(bool(x.get("flagged_warning")) for x in crashing),
        "errors": sum(d["severity"] == "error" for m in done for d in m["diagnostics"]),
        "warnings": sum(d["severity"] == "warning" for m in done for d in m["diagnostics"]),
        "internal_errors": sum(len(m["internal_errors"]) for m in done),
    }
    s["correct_pct"] = _pct(s["correct"], s["bindings"])
    s["alone_shaped_pct"] = _pct(s["alone_shaped"], s["bindings"])
    return s


def _pct(a, b):
    return round(100.0 * a / b, 1) if b else None


HEAD = (
    "",
    "models",
    "bindings",
    "correct",
    "wrong (1 call)",
    "unknown",
    "alone shaped",
    "alone contra",
    "mutants crash/err/warn",
    "errors/warnings",
)


def _row(name: str, s: dict) -> tuple:
    return (
        name,
        str(s["models"]) + (f" (+{s['not_measured']} not run)" if s["not_measured"] else ""),
        str(s["bindings"]),
        f"{s['correct_pct']}%" if s["correct_pct"] is not None else "-",
        f"{s['wrong']} ({s['wrong_fits_some_call']})",
        str(s["unknown"]),
        f"{s['alone_shaped_pct']}%" if s["alone_shaped_pct"] is not None else "-",
        str(s["alone_contradicting"]),
        f"{s['mutants_crashing']}/{s['mutants_flagged_error']}/{s['mutants_flagged_warning']}",
        f"{s['errors']}/{s['warnings']}",
    )


def _table(rows: list) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows
    )


def print_report(results: dict) -> None:
    models = results["models"]
    for split in ("dev", "heldout"):
        chosen = [m for m in models if m["split"] == split]
        if not chosen:
            continue
        print(f"\n== split {split} ==")
        rows = [HEAD]
        for m in chosen:
            if m["status"] != "ok":
                rows.append((m["id"], m["status"]) + ("",) * (len(HEAD) - 2))
            else:
                rows.append(_row(m["id"], summarise([m])))
        for repo in sorted({m["repo"] for m in chosen}):
            rows.append(_row(f"[{repo}]", summarise([m for m in chosen if m["repo"] == repo])))
        rows.append(_row(f"TOTAL {split}", results["splits"][split]))
        print(_table(rows))
    problems = [(m["id"], m["status"], m.get("problem", "")) for m in models if m["status"] != "ok"]
    problems += [(mf["file"], "manifest", p) for mf in results["manifests"] for p in mf["problems"]]
    if problems:
        print("\nnot measured / problems:")
        for ident, status, problem in problems:
            print(f"  {ident}: {status}: {problem}")
    wrong = [(m["id"], r) for m in models if m["status"] == "ok" for r in m["bindings"] if r["verdict"] == "wrong"]
    if wrong:
        print("\nwrong shapes (with driver):")
        for ident, r in wrong:
            print(f"  {ident}:{r['line']} {r['name']}: static {r['static']} torch {r['torch']}  ({r['why']})")
    diags = [(m["id"], d) for m in models if m["status"] == "ok" for d in m["diagnostics"]]
    if diags:
        print("\ndiagnostics on the unmodified files (with driver):")
        for ident, d in diags:
            print(f"  {ident}:{d['line']} {d['severity']} {d['code']}: {d['message']}")
    internal = [(m["id"], e) for m in models if m["status"] == "ok" for e in m["internal_errors"]]
    if internal:
        print("\nanalyzer internal errors (with driver):")
        for ident, e in internal:
            print(f"  {ident}:{e['line']} {e['error'][:200]}")
    missed = [
        (m["id"], x)
        for m in models
        if m["status"] == "ok"
        for x in m.get("mutants", [])
        if x["crashes"] and x.get("crash_line") and not x.get("flagged_error")
    ]
    if missed:
        print("\ncrashing mutants without an error at the crash line:")
        for ident, x in missed:
            where = sorted({(d["line"], d["severity"][0]) for d in x.get("diagnostics", [])})
            print(
                f"  {ident}:{x['line']} {x['old']} -> {x['new']} crashes at {x['crash_line']} ({x['crash'][:90]}); "
                f"diagnostics at {where or 'none'}"
            )
    if results.get("repos"):
        print("\nwhole repositories (shapelens check --json):")
        rows = [
            ("repo", "split", "files", "lines", "status", "errors", "warnings", "shaped/bindings", "internal", "s/kloc")
        ]
        for r in results["repos"]:
            rows.append(
                (
                    r["repo"],
                    r["split"],
                    str(r.get("files", "")),
                    str(r.get("lines", "")),
                    r["status"],
                    str(r.get("errors", "")),
                    str(r.get("warnings", "")),
                    f"{r.get('bindings_shaped', '')}/{r.get('bindings', '')}",
                    str(r.get("internal_errors", "")),
                    str(r.get("seconds_per_kloc", "")),
                )
            )
        print(_table(rows))
        for r in results["repos"]:
            if r["status"] == "crash":
                print(f"  {r['repo']}: crashed (exit {r.get('exit')}); files: {r.get('crashing_files')}")


def main(argv=None) -> int:
    if argv is None and len(sys.argv) == 3 and sys.argv[1] == "--child":
        return child_main(sys.argv[2])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", required=True, help="folder of bare mirrors <owner>+<name>/repo")
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    parser.add_argument("--only", nargs="+", metavar="ID", help="only these model ids")
    parser.add_argument("--out", help="where the workspaces are built (default: a temporary folder)")
    parser.add_argument("--json", metavar="FILE", help="write every result, per binding, to FILE")
    parser.add_argument("--no-mutants", action="store_true")
    parser.add_argument("--mutants-per-file", type=int, default=10, metavar="N")
    parser.add_argument("--repos", action="store_true", help="also run shapelens check over each whole repository")
    parser.add_argument("--manifests", default=os.path.join(HERE, "manifest"), help=argparse.SUPPRESS)
    parser.add_argument("--drivers", default=os.path.join(HERE, "drivers"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    results = run(args)
    print_report(results)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=1)
        print(f"\nfull results: {args.json}")
    return 0


def run(args) -> dict:
    manifests = [m for m in load_manifests(args.manifests) if args.split in ("all", m["split"])]
    out = args.out or tempfile.mkdtemp(prefix="realcode-")
    out = os.path.realpath(out)
    os.makedirs(out, exist_ok=True)
    models = []
    start = time.perf_counter()
    for manifest in manifests:
        for model in manifest["models"]:
            if args.only and model["id"] not in args.only:
                continue
            t0 = time.perf_counter()
            result = measure_model(
                manifest, model, args.mirrors, args.drivers, out, 0 if args.no_mutants else args.mutants_per_file
            )
            result["seconds"] = round(time.perf_counter() - t0, 1)
            sys.stderr.write(f"realcode: {model['id']}: {result['status']} in {result['seconds']} s\n")
            models.append(result)
    repos = []
    if args.repos:
        for manifest in manifests:
            if args.only and not any(m["id"] in args.only for m in manifest["models"]):
                continue
            try:
                repos.append(check_repository(manifest, args.mirrors))
            except (OSError, subprocess.SubprocessError) as exc:  # one repository never ends the run
                repos.append({"repo": manifest["repo"], "split": manifest["split"], "status": f"failed: {exc}"})
            sys.stderr.write(f"realcode: repo {manifest['repo']}: {repos[-1]['status']}\n")
    return {
        "workspaces": out,
        "seconds": round(time.perf_counter() - start, 1),
        "manifests": [{k: m[k] for k in ("file", "repo", "commit", "split", "problems")} for m in manifests],
        "splits": {split: summarise([m for m in models if m["split"] == split]) for split in ("dev", "heldout")},
        "all": summarise(models),
        "models": models,
        "repos": repos,
    }


if __name__ == "__main__":
    sys.exit(main())

"""The analysis of one file: its module body, every call into its functions, and the rest.

1. The module body runs first (``model = Net(); out = model(torch.randn(10, 1, 28, 28))``): each
   call into a user function is a *call run* of that function with those argument shapes
   (memoised, bounded depth). Files of the workspace that import this one run too, so their
   call sites count.
2. Every function never called gets a *symbolic run*: its inputs come from annotations or from
   their first use (see :mod:`.inputs`), with fresh sizes such as ``B, C, H, W``.
3. :mod:`.contexts` then decides what each view shows.
"""

from __future__ import annotations

import ast
import inspect
import os
import sys
from typing import Optional

from .. import codes
from ..dims import Facts, Shape, sym
from ..rules import lookup
from . import explain, installed
from .checkpoints import AFTER_THE_BODY, History, SymbolicUnit
from .memo import MISSING, CallMemo
from .calls import (
    CONTAINERS as CONTAINER_NAMES,
    MODULE_SELF_METHODS,
    MODULE_TENSOR_LISTS,
    BuiltinMethodV,
    BuiltinV,
    Calls,
)
from .contexts import assemble
from .inputs import EINOPS_FUNCTIONS, POSITIONAL_NAMES, annotation_shape, einops_input, first_use_shape
from .interpreter import Interpreter, Returned, as_dim_value
from .model_runs import model_runs
from .report import Diagnostic, FileReport
from .resolve import external_ref, find_module_file, import_binding
from .runs import Run, join_all
from .source import SourceFile
from .unknowns import explain_silence
from .values import (
    UNKNOWN,
    BaseInitV,
    BoundMethodV,
    ChoiceV,
    ClassV,
    ContainerV,
    Deferred,
    DictV,
    FuncV,
    InstanceV,
    LayerV,
    ListV,
    OpaqueV,
    SuperV,
    TensorV,
    TorchRef,
    fresh_containers,
    settled,
)
from .workspace import imports_module, python_files

MAX_DEPTH = 12
MAX_IMPORTERS = 20
IMPORT_LEVELS = 3  # importers of importers followed: train.py -> package __init__ -> model.py
FIRST_USE_DEPTH = 4  # user modules followed into their forward to find what an input is first given to
RANK_PROBES = (("B",), ("B", "T"), ("B", "H", "W"))  # leading dims tried for an input of open rank
# Calls of one function inside itself: one level is followed. A constructor that builds its own
# class (a class line deleted mid-edit leaves its methods in the class above) or a recursion whose
# ``if`` goes both ways would otherwise multiply the runs by the fan-out at every level: a
# 100-line file took minutes and gigabytes.
MAX_RECURSION = 2
CONVENTIONAL = ("B", "C", "H", "W", "T", "L", "D", "E")


class ModuleScope:
    """A file's globals as the interpreter sees them."""

    is_module_scope = True

    def __init__(self, source: SourceFile, installed: bool = False):
        self.source = source
        self.installed = installed  # an installed package's file: its imports load when read
        self.globals: dict = {}
        self.functions: list = []  # FuncV defined here (module level and in classes), in order
        self._filled: Optional[tuple] = None  # (tree, _filled_attributes of it)

    def filled_attributes(self) -> frozenset:
        tree = self.source.tree
        if self._filled is None or self._filled[0] is not tree:
            self._filled = (tree, _filled_attributes(tree))
        return self._filled[1]


class Analysis:
    def __init__(
        self,
        roots: Optional[list] = None,
        files: Optional[dict] = None,
        environment: Optional[installed.Environment] = None,
    ):
        self.roots = [os.path.abspath(r) for r in (roots or [])]
        self.files = files or {}  # path -> text overrides (open editor buffers)
        self._environment = environment  # where installed packages are; None: this interpreter's, when asked
        self.calls = Calls(self)
        self.facts = Facts()
        self.scopes: dict = {}  # absolute path -> ModuleScope
        self.runs: dict = {}  # function node -> [Run]
        self.loading: set = set()
        self.internal_errors: list = []
        self.history = History()
        self.memo = CallMemo(self.history)
        self.main: Optional[tuple] = None  # (ModuleScope, module Run) of the file analysed
        self.views: dict = {}  # function node -> what its runs showed in the last report
        self.units: dict = {}  # the last symbolic runs, per unit of functions (see _symbolic_runs)
        self.readers: list = []  # globals read by each call and symbolic unit under way, innermost last
        self.active: dict = {}  # function node -> how many of its calls are under way
        self.size_defaults: dict = {}  # a size parameter's name -> its default (None: defaults differ)

    # -- entry ------------------------------------------------------------------------------
    def analyze(self, path: str, text: Optional[str] = None) -> FileReport:
        if installed.is_installed_file(path):
            return FileReport(path)  # an installed package's file: an import root only, never reported on
        if text is None:
            text = self.read(path)
        source = SourceFile(text, path)
        if source.tree is None:
            report = FileReport(path)
            report.syntax_error = True
            report.diagnostics.append(_syntax_diagnostic(source))
            return report
        scope = ModuleScope(source)
        self.scopes[_key(path)] = scope
        self.main = (scope, Run(None, "module", self.facts))
        return self._run_from(0)

    def reanalyze(self, text: str) -> Optional[FileReport]:
        """This analysis carried on to ``text``, the file's next version (see :mod:`.checkpoints`).

        None, and this analysis untouched, where a fresh one must answer: the text does not parse,
        another file it read has changed, or no statement before the first edited one kept its
        checkpoint."""
        if self.main is None or any(self._changed(other) for other in list(self.scopes.values())[1:]):
            return None
        scope, module_run = self.main
        source = SourceFile(text, scope.source.path, earlier=scope.source)
        if source.tree is None:
            return None
        start = self.history.resumable(scope.source, source)
        if not start:
            return None
        self.history.rewind(self, scope, module_run, start)
        source.tree.body[:start] = scope.source.tree.body[:start]  # the prefix's values hold these nodes
        scope.source.take(source)  # and its runs this SourceFile
        return self._run_from(start)

    def _run_from(self, start: int) -> FileReport:
        """Run the file's module body from statement ``start`` on, then everything that follows it."""
        scope, module_run = self.main
        body = scope.source.tree.body
        interp = Interpreter(self, module_run, scope.globals, scope)
        try:
            for index in range(start, len(body)):
                self.history.checkpoint(self, scope, module_run)
                self.history.statement = index
                interp.exec_stmt(body[index])
            self.history.checkpoint(self, scope, module_run)
        except Returned:
            pass
        self.history.statement = AFTER_THE_BODY
        for importer in self.importers_of(scope.source.path):
            self.load_module(importer, as_context=True)
        self._symbolic_runs(scope)
        report = FileReport(scope.source.path)
        self.views = assemble(self, scope, module_run, report, self.views)
        explain_silence(self, scope, module_run, report)
        report.models = model_runs(self, scope)
        return report

    def _changed(self, scope: ModuleScope) -> bool:
        try:
            return self.read(scope.source.path) != scope.source.text
        except OSError:
            return True

    def changing(self, value) -> None:
        """Code is about to change ``value`` (an instance, a list, a dict, a container)."""
        self.history.changing(value)

    def global_value(self, scope: ModuleScope, name: str):
        """A module's global as code reads it (MISSING if unset), noted for the symbolic runs."""
        found = scope.globals.get(name, MISSING)
        if isinstance(found, Deferred):
            found = scope.globals[name] = settled(found)
        if self.readers:
            self.readers[-1].setdefault((scope, name), found)
        return found

    def _reading(self, reads: dict):
        """Note the globals read from here until :meth:`_read` in ``reads`` (and in the outer readers)."""
        self.readers.append(reads)

    def _read(self) -> dict:
        reads = self.readers.pop()
        self._noted(reads)
        return reads

    def _noted(self, reads: dict) -> None:
        """Globals read on behalf of the innermost reader under way."""
        if self.readers:
            outer = self.readers[-1]
            for key, value in reads.items():
                outer.setdefault(key, value)

    def _symbolic_runs(self, scope: ModuleScope) -> None:
        """A symbolic run for each function no call reached, bottom up; a class's methods as one
        unit (they share its default instance), taken from the last analysis where it still holds."""
        units, funcs = {}, list(reversed(scope.functions))
        untouched = True  # no run so far changed a value it did not make: later units see what they saw
        while funcs:
            owner = funcs[0].owner
            size = next((i for i, f in enumerate(funcs) if f.owner is not owner), len(funcs)) if owner else 1
            unit, funcs = tuple(funcs[:size]), funcs[size:]
            called = tuple(map(self._call_state, unit))
            if all(strong for strong, _ in called):
                continue
            key = tuple(id(f.node) for f in unit)
            last = self.units.get(key)
            if untouched and last is not None and last.holds(self, unit, called):
                last.replay(self)
                units[key] = last
                continue
            record = SymbolicUnit(self, unit, called)
            self._reading(record.reads)
            try:
                for func in unit:
                    # a run of the unit may have called it; a constructor has run for the default instance
                    if not self._called(func) and not self._summarised(func):
                        self._guarded_symbolic_run(func)
            finally:
                self._read()
            if record.close(self):
                units[key] = record
            else:
                untouched = False
        self.units = units

    def read(self, path: str) -> str:
        if path in self.files:
            return self.files[path]
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def run_module(self, scope: ModuleScope, run: Run) -> None:
        interp = Interpreter(self, run, scope.globals, scope)
        try:
            interp.exec_body(scope.source.tree.body)
        except Returned:
            pass

    # -- workspace --------------------------------------------------------------------------
    @property
    def installed_loads(self) -> int:
        """Installed files loaded (a resumed analysis forgets those loaded after its checkpoint)."""
        return sum(s.installed for s in self.scopes.values())

    @property
    def environment(self) -> installed.Environment:
        if self._environment is None:
            self._environment = installed.environment()
        return self._environment

    def load_module(self, path: str, as_context: bool = False) -> Optional[ModuleScope]:
        """Run another file's module body once. ``as_context``: it imports the analysed file, so
        the calls it makes into it are recorded as contexts of the callees."""
        key = _key(path)
        if key in self.scopes:
            return self.scopes[key]
        if key in self.loading:
            return None
        is_installed = self._installed(path)
        if is_installed:
            source = installed.source(path)
            loaded = [s for s in self.scopes.values() if s.installed]
            if (
                source is None
                or len(loaded) >= installed.MAX_MODULES
                or sum(len(s.source.lines) for s in loaded) + len(source.lines) > installed.MAX_LINES
            ):
                return None
        self.loading.add(key)
        try:
            source = source if is_installed else SourceFile(self.read(path), path)
            if source.tree is None:
                return None
            scope = ModuleScope(source, is_installed)
            self.scopes[key] = scope
            self.run_module(scope, Run(None, "module", self.facts, record=as_context))
            return scope
        except OSError:
            return None
        finally:
            self.loading.discard(key)

    def importers_of(self, path: str) -> list:
        """Workspace files that import this one (their call sites are contexts for it)."""
        if not self.roots:
            return []
        files = python_files(self.roots)
        found: list = []
        # the file, then the files importing those (train.py imports the package whose __init__ or
        # model.py imports this file), a few levels up
        wanted = [(path, 0)]
        while wanted and len(found) < MAX_IMPORTERS:
            target, level = wanted.pop(0)
            stem = os.path.splitext(os.path.basename(target))[0]
            if stem == "__init__":
                stem = os.path.basename(os.path.dirname(target))
            for candidate in files:
                if _key(candidate) in {_key(path), _key(target)} or candidate in found:
                    continue
                try:
                    if not imports_module(candidate, stem, self.files.get(candidate)):
                        continue
                except OSError:
                    continue
                found.append(candidate)
                if level + 1 < IMPORT_LEVELS:
                    wanted.append((candidate, level + 1))
        return found[:MAX_IMPORTERS]

    def _module_file(self, scope: ModuleScope, module: str, level: int) -> Optional[str]:
        """The workspace file an import names: as Python finds it from the importer and the roots,
        else (an absolute import) by its path anywhere in the workspace."""
        path = find_module_file(module, level, scope.source.path, self.roots)
        if path is not None or level:
            return path
        return self.workspace_module(module) or self.environment.find(module)

    def _installed(self, path: str) -> bool:
        """A file of an installed package (not one of the workspace's, even if installed editable)."""
        if self._environment is None and not installed.is_installed_file(path):
            return False  # nothing installed was looked up, and it is not in site-packages
        key = _key(path)
        return self.environment.holds(path) and not any(key.startswith(_key(r) + os.sep) for r in self.roots)

    def workspace_module(self, module: str) -> Optional[str]:
        """The one workspace file whose path ends in the module's (``conv_tasnet`` for
        ``src/conv_tasnet.py``): code that puts its own folders on ``sys.path`` imports it so."""
        if not self.roots or not module:
            return None
        tail = os.sep + os.path.join(*module.split("."))
        found = [
            f
            for f in python_files(self.roots)
            if f.endswith(tail + ".py") or f.endswith(os.path.join(tail, "__init__.py"))
        ]
        return found[0] if len(found) == 1 else None

    def import_module(self, scope: ModuleScope, alias: ast.alias):
        name, target = import_binding(alias)
        ref = external_ref(target)
        if ref is not None:
            return name, ref
        path = self._module_file(scope, target, 0)
        if path is None:
            return name, UNKNOWN
        return name, self.load_module(path) or UNKNOWN

    def submodule(self, package: ModuleScope, name: str):
        """``pkg.sub`` read after ``import pkg.sub`` (or any import of pkg): the package folder's
        ``sub`` module, UNKNOWN where the package is a plain file or has no such module."""
        folder, base = os.path.split(package.source.path)
        if base != "__init__.py":
            return UNKNOWN
        for candidate in (os.path.join(folder, name + ".py"), os.path.join(folder, name, "__init__.py")):
            if os.path.isfile(candidate):
                return self.load_module(candidate) or UNKNOWN
        return UNKNOWN

    def import_star(self, scope: ModuleScope, stmt: ast.ImportFrom) -> dict:
        """``from .parts import *`` of a workspace module: its public names (its ``__all__`` if set)."""
        path = self._module_file(scope, stmt.module or "", stmt.level)
        other = self.load_module(path) if path is not None else None
        if other is None:
            return {}
        public = other.globals.get("__all__")
        names = [
            n
            for n in (
                public.items
                if isinstance(public, ListV) and public.items is not None
                else public
                if isinstance(public, tuple)
                else []
            )
            if isinstance(n, str)
        ] or [n for n in other.globals if not n.startswith("_")]
        return {name: settled(other.globals[name]) for name in names if name in other.globals}

    def import_from(self, scope: ModuleScope, stmt: ast.ImportFrom, alias: ast.alias):
        module = stmt.module or ""
        if not stmt.level:
            ref = external_ref(module, alias.name)
            if ref is not None:
                return ref
        path = self._module_file(scope, module, stmt.level)
        if path is not None and self._installed(path):
            path = self._defining_file(path, alias.name) or path
        if path is None:
            sub = find_module_file(
                f"{module}.{alias.name}" if module else alias.name, stmt.level, scope.source.path, self.roots
            )
            return (self.load_module(sub) or UNKNOWN) if sub else UNKNOWN
        other = self.load_module(path)
        if other is None:
            return UNKNOWN
        found = self.global_value(other, alias.name)
        return self.submodule(other, alias.name) if found is MISSING else found  # from pkg import module

    def _defining_file(self, path: str, name: str, depth: int = 0) -> Optional[str]:
        """Where an installed package's ``__init__`` gets ``name`` from, as goto would find it
        (``from .mlp import Mlp``; through ``from .layers import *``): that file alone is loaded,
        not the dozens the ``__init__`` imports. None where the ``__init__`` itself makes it."""
        if depth > 4 or os.path.basename(path) != "__init__.py":
            return None
        kind, found = installed.binding(path, name)
        if kind == "import":
            module, level, original = found
            if original != name or not module:  # renamed, or ``from . import sub``: the __init__ decides
                return None
            candidates = [(module, level)]
        elif kind == "stars":
            candidates = list(reversed(found))  # the last star import that has it wins
        else:
            return None
        for module, level in candidates:
            target = find_module_file(module, level, path, []) if level else self.environment.find(module)
            if target is None or not self._installed(target):
                continue
            if kind == "stars" and not self._provides(target, name, depth + 1):
                continue
            return self._defining_file(target, name, depth + 1) or target
        return None

    def _provides(self, path: str, name: str, depth: int) -> bool:
        """Does an installed module bind ``name`` at its top level, itself or through its stars?"""
        kind, found = installed.binding(path, name)
        if kind in ("import", "local"):
            return True
        if kind != "stars" or depth > 4:
            return False
        for module, level in found:
            target = find_module_file(module, level, path, []) if level else self.environment.find(module)
            if target is not None and self._installed(target) and self._provides(target, name, depth + 1):
                return True
        return False

    # -- definitions ------------------------------------------------------------------------
    def make_function(self, interp, node, owner: Optional[ClassV], closure) -> FuncV:
        args = node.args
        positional = args.posonlyargs + args.args
        defaults = {}
        for param, default in zip(positional[len(positional) - len(args.defaults) :], args.defaults):
            defaults[param.arg] = interp.eval(default)
        for param, default in zip(args.kwonlyargs, args.kw_defaults):
            if default is not None:
                defaults[param.arg] = interp.eval(default)
        module_level = closure is None or closure is interp.module.globals
        func = FuncV(node, interp.module, defaults, None if module_level else dict(closure), owner)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            interp.module.functions.append(func)
        return func

    def make_class(self, interp, node: ast.ClassDef) -> ClassV:
        bases = tuple(interp.eval(b) for b in node.bases)
        is_module = any(
            (isinstance(b, TorchRef) and b.qualname.startswith("torch.nn.")) or (isinstance(b, ClassV) and b.is_module)
            for b in bases
        )
        cls = ClassV(node, interp.module, bases, is_module)
        cls.dataclass = any(_decorator_name(d) == "dataclass" for d in node.decorator_list)
        body = Interpreter(self, Run(None, "module", self.facts, record=False), {}, interp.module)
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                cls.attrs[stmt.name] = self.make_function(interp, stmt, cls, None)
            elif isinstance(stmt, ast.Assign):
                value = body.eval(stmt.value)
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        cls.attrs[target.id] = value
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                cls.fields.append(stmt.target.id)
                if stmt.value is not None:
                    value = body.eval(stmt.value)
                    if isinstance(stmt.value, ast.Call) and _call_name(stmt.value) == "field":
                        value = _field_default(body, stmt.value)
                    cls.attrs[stmt.target.id] = value
            elif isinstance(stmt, ast.ClassDef):
                cls.attrs[stmt.name] = self.make_class(interp, stmt)
        return cls

    # -- the module model -------------------------------------------------------------------
    def mro(self, cls: ClassV) -> list:
        """By identity: a base may be UNKNOWN (an undefined name), whose ``==`` raises Lost."""
        order, stack = [], [cls]
        while stack:
            current = stack.pop(0)
            if any(current is seen for seen in order):
                continue
            order.append(current)
            if isinstance(current, ClassV):
                stack.extend(current.bases)
        return order

    def lookup_class_attr(self, cls: ClassV, attr: str, skip_first: bool = False):
        for klass in self.mro(cls)[1 if skip_first else 0 :]:
            if isinstance(klass, ClassV) and attr in klass.attrs:
                return klass.attrs[attr]
            if isinstance(klass, TorchRef):
                return TorchRef(f"torch.nn.Module.{attr}") if klass.qualname.startswith("torch.nn.") else UNKNOWN
        return UNKNOWN

    def is_subclass(self, cls: ClassV, other: ClassV):
        return any(klass is other for klass in self.mro(cls))

    def instance_attribute(self, inst: InstanceV, attr: str, interp=None):
        if attr in inst.attrs:
            return inst.attrs[attr]
        if attr in ("register_buffer", "register_parameter", "add_module", "register_module"):
            return BuiltinMethodV(inst, attr)
        value = self.lookup_class_attr(inst.cls, attr)
        if isinstance(value, FuncV):
            if interp is not None and any(_decorator_name(d) == "property" for d in value.node.decorator_list):
                return self.call_function(interp, value, [], {}, value.node, inst)
            if _is_static(value):
                return value
            return BoundMethodV(value, inst.cls if _is_classmethod(value) else inst)
        if isinstance(value, TorchRef):
            if isinstance(inst.base, LayerV):
                return self.calls.layer_attribute(inst.base, attr)
            return BuiltinMethodV(inst, attr) if attr in MODULE_SELF_METHODS | MODULE_TENSOR_LISTS else UNKNOWN
        return value

    def super_attribute(self, sup: SuperV, attr: str):
        """As ``super(cls, self)``: the classes after ``cls`` in the order of ``self``'s own class
        (a mixin's super().forward reaches the torch layer the subclass also extends)."""
        own = sup.self_value.cls if isinstance(sup.self_value, InstanceV) else sup.cls
        chain = self.mro(own)
        at = next((i for i, klass in enumerate(chain) if klass is sup.cls), None)
        chain = chain[at:] if at is not None else self.mro(sup.cls)
        for klass in chain[1:]:
            if isinstance(klass, ClassV) and attr in klass.attrs:
                value = klass.attrs[attr]
                return BoundMethodV(value, sup.self_value) if isinstance(value, FuncV) else value
            if isinstance(klass, TorchRef):
                rule = _layer_rule(klass) or CONTAINER_NAMES.get(klass.qualname)
                if rule is not None:
                    return self._torch_base_attribute(rule, sup.self_value, attr)
                return TorchRef(
                    f"{'torch.nn.Module' if klass.qualname.startswith('torch.nn.') else klass.qualname}.{attr}"
                )
        return UNKNOWN

    def _torch_base_attribute(self, rule, inst, attr: str):
        """``super().__init__`` / ``super().forward`` / ``super().weight`` of a torch layer's subclass."""
        if attr == "__init__":
            return BaseInitV(rule, inst)
        base = inst.base if isinstance(inst, InstanceV) else None
        if base is None:
            return UNKNOWN
        if attr == "forward":
            return base
        return self.calls.layer_attribute(base, attr) if isinstance(base, LayerV) else UNKNOWN

    def torch_base(self, cls: ClassV):
        """What torch module a class extends: a layer's rule (``class Linear(nn.Linear)``), a
        container's kind (``class TimestepEmbedSequential(nn.Sequential)``), or None."""
        for klass in self.mro(cls):
            if isinstance(klass, TorchRef):
                return _layer_rule(klass) or CONTAINER_NAMES.get(klass.qualname)
        return None

    def class_attribute(self, cls: ClassV, attr: str):
        value = self.lookup_class_attr(cls, attr)
        if isinstance(value, FuncV) and _is_classmethod(value):  # Transformer.from_model_args(cfg)
            return BoundMethodV(value, cls)
        return value

    def instantiate(self, interp, cls: ClassV, args, kwargs, node):
        inst = InstanceV(
            cls, {}, getattr(node, "lineno", 0), interp.module.source.segment(node), (tuple(args), dict(kwargs))
        )
        init = self.lookup_class_attr(cls, "__init__")
        if isinstance(init, FuncV):
            self.call_function(interp, init, args, kwargs, node, inst)
            self._open_filled_elsewhere(inst)
        elif self.torch_base(cls) is not None:  # class Norm(nn.LayerNorm) with no __init__ of its own
            self.calls.call(interp, BaseInitV(self.torch_base(cls), inst), args, kwargs, node)
        elif cls.dataclass or cls.fields:
            fields = cls.fields
            for name in fields:
                if name in cls.attrs:
                    inst.attrs[name] = cls.attrs[name]
            for name, value in zip(fields, args):
                inst.attrs[name] = value
            for name, value in kwargs.items():
                inst.attrs[name] = value
            post_init = self.lookup_class_attr(cls, "__post_init__")
            if isinstance(post_init, FuncV):  # derived fields: self.head_dim = self.dim // self.heads
                self.call_function(interp, post_init, [], {}, node, inst)
        return inst

    def _open_filled_elsewhere(self, inst: InstanceV) -> None:
        """A list or dict the constructor starts that other methods fill (``self.saved = []``, then
        ``self.saved.append(...)`` per step) has contents nobody knows: not the empty list."""
        for name in inst.cls.module.filled_attributes():
            value = inst.attrs.get(name)
            if isinstance(value, (ListV, DictV)) and value.items is not None:
                self.changing(inst)
                inst.attrs[name] = type(value)(None)

    def constructor_arguments(self, inst) -> dict:
        """The values an instance's ``__init__`` parameters had ({} where not known)."""
        if not isinstance(inst, InstanceV) or inst.arguments is None:
            return {}
        init = self.lookup_class_attr(inst.cls, "__init__")
        if not isinstance(init, FuncV):
            return {}
        args, kwargs = inst.arguments
        return self._bind_arguments(init, args, kwargs, inst) or {}

    def call_instance(self, interp, inst: InstanceV, args, kwargs, node):
        method = self.lookup_class_attr(inst.cls, "forward" if inst.cls.is_module else "__call__")
        if isinstance(method, FuncV):
            return self.call_function(interp, method, args, kwargs, node, inst)
        if inst.base is not None:
            return self.calls.call(interp, inst.base, args, kwargs, node)
        return UNKNOWN

    def default_instance(self, cls: ClassV) -> InstanceV:
        """The instance a method's symbolic run uses: built with defaults, unknown arguments named."""
        if cls.default is not None:
            return cls.default
        inst = InstanceV(cls, {}, cls.node.lineno, cls.name)
        cls.default = inst
        self.history.defaults.append(cls)
        init = self.lookup_class_attr(cls, "__init__")
        if isinstance(init, FuncV):
            run = Run(init, "symbolic", self._child_facts())
            params = self._bind_opaque(init, inst)
            self._execute(run, init, params, depth=0)
            self._open_filled_elsewhere(inst)
        elif self.torch_base(cls) is not None and not isinstance(self.torch_base(cls), str):
            rule = self.torch_base(cls)  # a layer: its required arguments are their names
            unset = [p for p in rule.init_params if rule.init_default(p) is inspect.Parameter.empty]
            scratch = Interpreter(self, Run(None, "symbolic", self._child_facts(), record=False), {}, cls.module)
            self.calls.call(scratch, BaseInitV(rule, inst), [], {p: OpaqueV(p) for p in unset}, cls.node)
        elif cls.dataclass:
            for name in cls.fields:
                inst.attrs[name] = cls.attrs.get(name, OpaqueV(name))
        return inst

    def _bind_opaque(self, func: FuncV, self_value) -> dict:
        """Parameters as their names; a default stays only where it is structure, not a size."""
        params = {}
        for i, param in enumerate(_positional(func.node)):
            if i == 0 and self_value is not None:
                params[param.arg] = self_value
            else:
                params[param.arg] = _unless_passed(func, param.arg, self.size_defaults)
        for param in func.node.args.kwonlyargs:
            params[param.arg] = _unless_passed(func, param.arg, self.size_defaults)
        if func.node.args.vararg:
            params[func.node.args.vararg.arg] = UNKNOWN
        if func.node.args.kwarg:
            params[func.node.args.kwarg.arg] = UNKNOWN
        return params

    # -- runs -------------------------------------------------------------------------------
    def call_function(self, interp, func: FuncV, args, kwargs, node, self_value):
        depth = interp.depth + 1
        if depth > MAX_DEPTH or not isinstance(func.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return UNKNOWN
        if self.active.get(func.node, 0) >= MAX_RECURSION:
            return UNKNOWN
        params = self._bind_arguments(func, args, kwargs, self_value)
        if params is None:
            return UNKNOWN
        key = (id(func.node), id(interp.run.facts), tuple((k, _value_key(v)) for k, v in params.items()))
        found = self.memo.get(key)
        if found is not MISSING:
            self._noted(self.memo.reads(key))  # what it read, the caller read
            return fresh_containers(found)  # lists and dicts of its own: callers may change them
        mark = self.memo.start(key, UNKNOWN)  # a recursive call knows nothing
        self.active[func.node] = self.active.get(func.node, 0) + 1
        self._reading({})
        try:
            result = self._call(interp, func, args, kwargs, node, self_value, params, depth)
        finally:
            self.active[func.node] -= 1
            reads = self._read()
        self.memo.finish(key, fresh_containers(result), mark, reads)  # as returned: the caller may change it
        return result

    def _call(self, interp, func: FuncV, args, kwargs, node, self_value, params: dict, depth: int):
        if isinstance(func.node, ast.Lambda):
            env = dict(func.closure or {})
            env.update(params)
            inner = Interpreter(self, interp.run, env, func.module, depth, func.owner)
            result = inner.eval(func.node.body)
        else:
            # A call that knows nothing of its arguments (x unknown, or a tensor of unknown rank) is
            # no context: the callee's own summary knows more ([*batch, dim] for a block in a loop).
            informative = any(_known(v) for v in list(args) + list(kwargs.values())) or not (args or kwargs)
            run = Run(
                func,
                "call",
                interp.run.facts,
                caller=interp.run,
                call_node=node,
                call_source=interp.module.source,
                record=interp.run.record and informative,
                weak=interp.run.weak or interp.run.context == "symbolic",
                from_summary=interp.run.from_summary
                or (interp.run.context == "symbolic" and _symbolic_tensors(list(args) + list(kwargs.values()))),
            )
            run.input_symbols = interp.run.input_symbols
            counts = (interp.run.record or interp.run.unseen) and not run.weak
            run.unseen = counts and not run.record
            result = self._execute(run, func, params, depth)
            if counts and not informative:  # agent.select_action(env.reset()) -> self.policy(state)
                self._note_lost_context(interp, func, node, self_value)
            if run.errors or run.callee_failed:
                interp.run.callee_failed = True
                if run.record:
                    run.batch_fix = self._unsqueeze_fixes(interp, func, args, kwargs, self_value)
            if run.record and func.owner is not None and func.owner.is_module and func.name == "forward":
                finding = explain.reconstruction_warning(interp, self_value, args, result, node)
                if finding is not None:
                    interp.run.add(finding)
        return result

    def _note_lost_context(self, interp, func: FuncV, node, self_value=None) -> None:
        """A caller whose arguments nobody knows (``SNLIClassifier(vars_copy)(batch)``) may give
        other sizes than the known ones: it is kept, as a run with nothing in it but the
        instance it was made on, so the callee's view does not show the known callers' sizes as
        the only ones."""
        marker = Run(
            func,
            "call",
            interp.run.facts,
            caller=interp.run,
            call_node=node,
            call_source=interp.module.source,
            lost=True,
        )
        if self_value is not None:
            marker.params = {_positional(func.node)[0].arg: self_value}
        self.runs.setdefault(func.node, []).append(marker)
        self.history.runs.append((func.node, marker))

    def _execute(self, run: Run, func: FuncV, params: dict, depth: int):
        env = dict(func.closure or {})
        env.update(params)
        run.params = dict(params)
        positional = _positional(func.node)
        self_name = positional[0].arg if positional and func.owner is not None else "self"
        interp = Interpreter(self, run, env, func.module, depth, func.owner, self_name)
        for param in _all_params(func.node):
            if param.arg in params and param.arg != self_name:
                run.bind(param.arg, func.module.source.name_span(param, param.arg), params[param.arg], kind="parameter")
        try:
            interp.exec_body(func.node.body)
        except Returned:
            pass
        result = join_all(interp.returns) if interp.returns else None
        run.result = result
        finding = explain.return_annotation_error(func, params, result, run.facts)
        if finding is not None:
            run.add(finding)
        if run.record:
            self.runs.setdefault(func.node, []).append(run)
            self.history.runs.append((func.node, run))
        return result

    def _unsqueeze_fixes(self, interp, func, args, kwargs, self_value):
        """Would the call work with a batch dimension added to its first tensor argument?"""
        if not args or not isinstance(args[0], TensorV) or not args[0].shape.is_fixed:
            return False
        probe_args = [TensorV(Shape((1,) + args[0].shape.dims), args[0].origin)] + list(args[1:])
        params = self._bind_arguments(func, probe_args, kwargs, self_value)
        probe = Run(func, "call", self._child_facts(), record=False)
        writes = len(self.memo.writes)
        try:
            result = self._execute(probe, func, params, interp.depth + 1)
        finally:
            self.memo.undo(writes)
        works = isinstance(result, TensorV) and result.shape.is_fixed  # not merely lost on the way
        return works and not probe.errors and not probe.callee_failed

    def _bind_arguments(self, func: FuncV, args, kwargs, self_value) -> Optional[dict]:
        node = func.node
        positional = _positional(node)
        values = ([self_value] if self_value is not None else []) + list(args)
        params: dict = {}
        for param, value in zip(positional, values):
            params[param.arg] = value
        extra = values[len(positional) :]
        if node.args.vararg:
            params[node.args.vararg.arg] = tuple(extra)
        elif extra:
            return None
        rest = dict(kwargs)
        for param in positional + node.args.kwonlyargs:
            if param.arg in rest:
                params[param.arg] = rest.pop(param.arg)
            elif param.arg not in params:
                params[param.arg] = func.defaults.get(param.arg, UNKNOWN)
        if node.args.kwarg:
            params[node.args.kwarg.arg] = DictV(rest)
        return params

    def _call_state(self, func: FuncV) -> tuple:
        """What a summary of ``func`` depends on from its calls: whether code that runs calls it,
        and the ranks its calls give each tensor parameter (see _with_ranks_of_weak_calls)."""
        ranks = tuple(
            sorted(
                {
                    (name, value.shape.rank)
                    for run in self.runs.get(func.node, [])
                    if run.context == "call" and not run.lost and not run.from_summary
                    for name, value in run.params.items()
                    if isinstance(value, TensorV) and value.shape.is_fixed
                }
            )
        )
        return self._called(func), ranks

    def _summarised(self, func: FuncV) -> bool:
        return any(r.context == "symbolic" for r in self.runs.get(func.node, []))

    def _called(self, func: FuncV) -> bool:
        """Called from code that runs (not only from functions nobody calls): no summary needed."""
        runs = self.runs.get(func.node, [])
        return any(r.context == "call" and not r.weak for r in runs) and not any(r.lost for r in runs)

    def _guarded_symbolic_run(self, func: FuncV) -> None:
        """One function's symbolic run; whatever goes wrong there stays there."""
        try:
            self.symbolic_run(func)
        except RecursionError:
            pass
        except Exception as exc:
            self.internal_error(func.node, exc)

    def symbolic_run(self, func: FuncV) -> None:
        """Analyse a function nobody calls, with inputs from annotations or first use."""
        self_value = None
        if func.owner is not None and not _is_static(func):  # cls of a classmethod is the class
            self_value = func.owner if _is_classmethod(func) else self.default_instance(func.owner)
        facts = self._child_facts()
        run = Run(func, "symbolic", facts)
        used: set = set()

        def names(label: Optional[str]) -> str:
            base = (label or "d").lstrip("*")
            name, n = base, 2
            while name in used:
                name, n = f"{base}{n}", n + 1
            used.add(name)
            return name

        declared_sizes: dict = {}  # an annotation's size name is one size in every parameter ("b t d", "b d")

        def fresh_input(label):
            if label and label in declared_sizes:
                return declared_sizes[label]
            name = names(label)
            run.input_symbols.add(name)
            facts.flexible.add(name)
            if label:
                declared_sizes[label] = sym(name)
            return sym(name)

        params: dict = {}
        positional = _positional(func.node)
        for i, param in enumerate(_all_params(func.node)):
            if i == 0 and self_value is not None and param in positional:
                params[param.arg] = self_value
                continue
            declared = annotation_shape(param.annotation, fresh_input)
            if declared is not None:
                params[param.arg] = TensorV(declared)
                continue
            if param.arg in func.defaults and not _is_size(func.defaults[param.arg]):
                params[param.arg] = func.defaults[param.arg]
                continue
            params[param.arg] = self._first_use_value(func, param.arg, self_value, names, run)
        if func.node.args.vararg:
            params[func.node.args.vararg.arg] = UNKNOWN
        if func.node.args.kwarg:
            params[func.node.args.kwarg.arg] = UNKNOWN

        def fresh_size(label):
            name = names(label)
            run.input_symbols.add(name)
            facts.flexible.add(name)
            return sym(name)

        params = self._with_ranks_of_weak_calls(func, params, fresh_size)
        params = self._with_settled_ranks(func, params, fresh_size)
        self._execute(run, func, params, depth=0)
        if isinstance(self_value, InstanceV):
            self._run_on_demo_instance(func, params, run)

    def _run_on_demo_instance(self, func: FuncV, params: dict, summary: Run) -> None:
        """The summary's inputs once more, on the instance a demo call builds (``ResNet18()`` in a
        ``def test():``), or a caller whose other calls nobody can follow (``D(interpolates)``):
        where the default instance knows too little (``block`` and ``num_blocks`` are
        parameters), the view takes this run's shapes, with that call's construction and the
        summary's symbolic inputs, never that call's inputs."""
        runs, name = self.runs.get(func.node, []), _positional(func.node)[0].arg
        demo = next(
            (
                r.params.get(name)
                for r in runs
                if r.context == "call" and not r.lost and not r.from_summary
                if isinstance(r.params.get(name), InstanceV) and r.params[name].arguments is not None
            ),
            None,
        )
        if demo is None or any(r.lost and r.params.get(name) is not demo for r in runs):
            return  # a lost call on another instance (gc2 beside gc1) may have other sizes than demo's
        facts = self._child_facts()
        facts.flexible |= summary.facts.flexible
        run = Run(func, "symbolic", facts, on_demo=True)
        run.input_symbols |= summary.input_symbols
        self._execute(run, func, {**params, _positional(func.node)[0].arg: demo}, depth=0)

    def _with_ranks_of_weak_calls(self, func: FuncV, params: dict, fresh_size) -> dict:
        """An input whose rank the body leaves open takes the rank every demo call gives it
        (``x.view(-1, 784)`` in a VAE called by its ``__main__`` with [8, 1, 28, 28] is 4-D), its
        sizes still symbols: the demo tells the rank, not the sizes."""
        # demo calls, or the known calls beside one nobody can follow (agent.select_action(env.reset()))
        weak = [r for r in self.runs.get(func.node, []) if r.context == "call" and not r.lost and not r.from_summary]
        settled = dict(params)
        for name, value in params.items():
            if isinstance(value, OpaqueV) and value.path == name:  # its body never says: the demos' tensors do
                value = TensorV(Shape.unknown())
            if not isinstance(value, TensorV) or value.shape.is_fixed:
                continue
            # callers that know nothing of it (a summary passing its own unknown input) say nothing
            given = [v for v in (r.params.get(name) for r in weak) if not isinstance(v, OpaqueV) and v is not UNKNOWN]
            ranks = {v.shape.rank for v in given if isinstance(v, TensorV) and v.shape.is_fixed}
            if not given or len(ranks) != 1 or len(given) != sum(isinstance(v, TensorV) for v in given):
                continue
            rank, shape = ranks.pop(), value.shape
            known = len(shape.prefix) + len(shape.suffix)
            if rank < known:
                continue
            labels = POSITIONAL_NAMES.get(rank, ("B",) + tuple(f"d{i}" for i in range(1, rank)))
            middle = [
                fresh_size(labels[len(shape.prefix) + i] if len(shape.prefix) + i < len(labels) else "d")
                for i in range(rank - known)
            ]
            settled[name] = TensorV(Shape(list(shape.prefix) + middle + list(shape.suffix)))
        return settled

    def _with_settled_ranks(self, func: FuncV, params: dict, fresh_size) -> dict:
        """Inputs whose first use left their leading dims open (``[*batch, dim]`` from a LayerNorm)
        get the rank the body itself requires, when exactly one rank lets it lose less and fail
        nowhere new (``rearrange(x, "b n (h d) -> ...")`` later fixes it at 3)."""
        open_ = [
            n for n, v in params.items() if isinstance(v, TensorV) and not v.shape.is_fixed and not v.shape.is_unknown
        ]
        if not open_:
            return params
        baseline = self._probe(func, params, set())
        if baseline[0] == 0:
            return params
        fits = []
        for leading in RANK_PROBES:
            labels = [f"{label}\u2032probe" for label in leading]  # names no code can have
            trial = dict(params)
            for name in open_:
                shape = params[name].shape
                trial[name] = TensorV(Shape(list(shape.prefix) + [sym(l) for l in labels] + list(shape.suffix)))
            lost, errors = self._probe(func, trial, set(labels))
            if lost < baseline[0] and errors <= baseline[1]:
                fits.append(leading)
        if len(fits) != 1:
            return params
        settled = dict(params)
        for name in open_:
            shape = params[name].shape
            dims = [fresh_size(label) for label in fits[0]]
            settled[name] = TensorV(Shape(list(shape.prefix) + dims + list(shape.suffix)))
        return settled

    def _probe(self, func: FuncV, params: dict, flexible: set) -> tuple:
        """How a run with these inputs goes, recording nothing: (losses, keys of its errors)."""
        facts = self._child_facts()
        facts.flexible |= flexible
        probe = Run(func, "symbolic", facts, record=False)
        probe.input_symbols |= flexible
        writes = len(self.memo.writes)
        try:
            self._execute(probe, func, params, depth=0)
        finally:
            self.memo.undo(writes)
        lost = sum(f.code == codes.INFERENCE_LOST for f in probe.findings) + probe.callee_failed
        return lost, {f.key for f in probe.findings if f.severity == "error"}

    def _first_use_value(self, func: FuncV, name: str, self_value, names, run: Run):
        """A tensor shaped for the first layer the parameter meets, or the parameter as a path."""

        def fresh(label):
            symbol_name = names(label)
            if not label.startswith("*"):
                run.input_symbols.add(symbol_name)
                run.facts.flexible.add(symbol_name)
            return symbol_name

        shape = self._first_use_shape(func, name, self_value, fresh, FIRST_USE_DEPTH)
        return OpaqueV(name) if shape is None else TensorV(shape)

    def _first_use_shape(self, func: FuncV, name: str, self_value, fresh, depth: int) -> Optional[Shape]:
        """The shape the parameter's first use implies (None: no sign it is a tensor). A user
        module it is first given to (``self.stem(x)``) is followed into its own forward."""
        use = _first_use(func.node, name)
        if use is None:
            return None
        kind, call = use
        if kind == "tensor":
            return _refined_by_unpacking(func.node, name, Shape.unknown(), fresh)
        callee = self._static_callee(func, call.func, self_value)
        if isinstance(callee, ChoiceV):  # the first option that says what it takes
            callee = next(
                (
                    v
                    for _, v in callee.options
                    if not isinstance(v, LayerV) or first_use_shape(v, lambda label: label) is not None
                ),
                callee.options[0][1],
            )
        if isinstance(callee, TorchRef) and callee.qualname in EINOPS_FUNCTIONS and len(call.args) > 1:
            pattern = self._static_callee(func, call.args[1], self_value)
            lengths = {kw.arg: self._static_callee(func, kw.value, self_value) for kw in call.keywords if kw.arg}
            shape = einops_input(pattern, lengths, fresh)
            if shape is not None:
                return _refined_by_unpacking(func.node, name, shape, fresh)
        if (
            isinstance(callee, ContainerV)
            and callee.kind == "Sequential"
            and isinstance(callee.items, list)
            and callee.items
            and isinstance(callee.items[0], InstanceV)
        ):
            callee = callee.items[0]
        elif isinstance(callee, ContainerV) and callee.items is None and callee.element is not None:
            callee = callee.element  # nn.Sequential(*[Block(d) for _ in range(depth)])
        shape = None
        if isinstance(callee, (BoundMethodV, FuncV)) and depth > 0:  # self.encode(x), a helper f(x)
            target, owner = (callee.func, callee.self_value) if isinstance(callee, BoundMethodV) else (callee, None)
            params = _positional(target.node) if not isinstance(target.node, ast.Lambda) else []
            first = 1 if owner is not None and params else 0
            if len(params) <= first:
                return None
            return _refined_or_none(
                self._first_use_shape(target, params[first].arg, owner, fresh, depth - 1), func.node, name, fresh
            )
        if isinstance(callee, InstanceV) and depth > 0:
            forward = self.lookup_class_attr(callee.cls, "forward" if callee.cls.is_module else "__call__")
            params = _positional(forward.node) if isinstance(forward, FuncV) else []
            if len(params) >= 2:
                shape = self._first_use_shape(forward, params[1].arg, callee, fresh, depth - 1)
            elif callee.base is not None:
                shape = first_use_shape(callee.base, fresh)
            if shape is None:
                return None
        else:
            shape = first_use_shape(callee, fresh)
        if shape is None:
            if not _tensor_like_callee(callee):
                return None
            shape = Shape.unknown()
        return _refined_by_unpacking(func.node, name, shape, fresh)

    def _static_callee(self, func: FuncV, node, self_value):
        """Evaluate a callee expression (``self.conv1``, ``F.relu``) without running the body."""
        scratch = Run(func, "symbolic", self._child_facts(), record=False)
        env = {}
        positional = _positional(func.node)
        if positional and self_value is not None:
            env[positional[0].arg] = self_value
        interp = Interpreter(self, scratch, env, func.module, 0, func.owner)
        if isinstance(node, ast.Name) and node.id not in env and self.global_value(func.module, node.id) is MISSING:
            return UNKNOWN
        return interp.eval(node)

    def _child_facts(self) -> Facts:
        facts = Facts()
        facts.lower.update(self.facts.lower)
        facts.bindings.update(self.facts.bindings)
        facts._divisible |= self.facts._divisible
        return facts

    # -- facts from the code ----------------------------------------------------------------
    def learn_from_assert(self, interp, test: ast.expr) -> None:
        if not isinstance(test, ast.Compare) or len(test.ops) != 1:
            if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
                for value in test.values:
                    self.learn_from_assert(interp, value)
            return
        op, right_node = test.ops[0], test.comparators[0]
        if not isinstance(op, ast.Eq):
            return
        left_node = test.left
        if (
            isinstance(left_node, ast.BinOp)
            and isinstance(left_node.op, ast.Mod)
            and isinstance(right_node, ast.Constant)
            and right_node.value == 0
        ):
            x = as_dim_value(interp.eval(left_node.left))
            d = as_dim_value(interp.eval(left_node.right))
            if x is not None and d is not None:
                interp.run.facts.learn_divides(d, x)
                if interp.run.facts is not self.facts:
                    self.facts.learn_divides(d, x)
            return
        left = as_dim_value(interp.eval(left_node))
        right = as_dim_value(interp.eval(right_node))
        if left is not None and right is not None:
            interp.run.facts.unify(left, right)
            return
        left_value, right_value = interp.eval(left_node), interp.eval(right_node)
        if isinstance(left_value, tuple) and isinstance(right_value, tuple) and len(left_value) == len(right_value):
            for a, b in zip(left_value, right_value):
                a, b = as_dim_value(a), as_dim_value(b)
                if a is not None and b is not None:
                    interp.run.facts.unify(a, b)

    def builtin(self, name: str):
        if hasattr(Calls, f"builtin_{name}"):
            return BuiltinV(name)
        return UNKNOWN

    def builtin_method(self, obj, attr: str):
        return BuiltinMethodV(obj, attr)

    def internal_error(self, node, exc: Exception) -> None:
        self.internal_errors.append((getattr(node, "lineno", 0), repr(exc)))
        if os.environ.get("SHAPELENS_DEBUG"):
            import traceback

            traceback.print_exception(exc, file=sys.stderr)


# -- helpers ----------------------------------------------------------------------------------


def _key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def _syntax_diagnostic(source: SourceFile) -> Diagnostic:
    from .report import Span

    err = source.error
    line = max(1, err.lineno or 1)
    col = max(0, (err.offset or 1) - 1)
    return Diagnostic(
        Span(line, col, line, col + 1),
        codes.SYNTAX_ERROR.severity,
        codes.SYNTAX_ERROR,
        f"SyntaxError: {err.msg} (shapes of this file are not updated until it parses)",
    )


def _positional(node) -> list:
    return list(node.args.posonlyargs) + list(node.args.args)


def _all_params(node) -> list:
    return _positional(node) + list(node.args.kwonlyargs)


FILLING_METHODS = {"append", "extend", "insert", "update", "setdefault", "add_module", "register_module"}


def _filled_attributes(tree: ast.Module) -> frozenset:
    """Attributes that some function other than a constructor adds items to: ``self.X.append(...)``,
    ``policy.X.append(...)``, ``self.X[k] = ...``, ``self.X += ...``."""
    names: set = set()
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) or func.name == "__init__":
            continue
        for node in ast.walk(func):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in FILLING_METHODS
            ):
                target = node.func.value
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
                target = node.value
            elif isinstance(node, ast.AugAssign):
                target = node.target
            else:
                continue
            if isinstance(target, ast.Attribute):
                names.add(target.attr)
    return frozenset(names)


def _layer_rule(ref: TorchRef):
    rule = lookup(ref.qualname)
    return rule if rule is not None and rule.kind == "layer" else None


def _symbolic_tensors(values: list) -> bool:
    """Does a call pass a tensor whose sizes are symbols (a summary's, not a demo's numbers)?"""
    for value in values:
        if isinstance(value, tuple) and _symbolic_tensors(list(value)):
            return True
        if isinstance(value, TensorV) and (
            not value.shape.is_fixed or any(type(d) is not int for d in value.shape.dims)
        ):
            return True
    return False


def _known(value) -> bool:
    if isinstance(value, TensorV):
        return not value.shape.is_unknown
    return value is not UNKNOWN


def _is_size(value) -> bool:
    return type(value) is int


def _unless_passed(func: FuncV, name: str, size_defaults: dict):
    """A parameter of a function nobody calls: its name as a symbol when its default is a size
    (``stride=1`` may be passed as 2: a hint must not say 1; the default is noted in
    ``size_defaults``), else the default (``bias=False``, ``norm=nn.BatchNorm2d``: the structure
    the code has unless a caller changes it)."""
    if name in func.defaults:
        if not _is_size(func.defaults[name]):
            return func.defaults[name]
        default = func.defaults[name]
        size_defaults[name] = default if size_defaults.get(name, default) == default else None
    return OpaqueV(name)


def _is_classmethod(func: FuncV) -> bool:
    return any(_decorator_name(d) == "classmethod" for d in getattr(func.node, "decorator_list", []))


def _is_static(func: FuncV) -> bool:
    return any(_decorator_name(d) == "staticmethod" for d in getattr(func.node, "decorator_list", []))


def _decorator_name(node) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _call_name(node: ast.Call) -> str:
    return _decorator_name(node.func)


def _field_default(interp, call: ast.Call):
    """``field(default=...)``, or what ``field(default_factory=...)`` makes."""
    for kw in call.keywords:
        if kw.arg == "default":
            return interp.eval(kw.value)
        if kw.arg == "default_factory":
            return interp.calls.call(interp, interp.eval(kw.value), [], {}, call)
    return UNKNOWN


def _value_key(value):
    if isinstance(value, TensorV):
        return ("T", value.shape)
    if isinstance(value, (int, float, str, bool)) or value is None:
        return (type(value).__name__, value)
    if isinstance(value, tuple):
        return ("tuple",) + tuple(_value_key(v) for v in value)
    if isinstance(value, OpaqueV):
        return ("opaque", value.path)
    try:
        hash(value)
        if as_dim_value(value) is not None:
            return ("dim", value)
    except TypeError:
        pass
    return ("id", id(value))


def _first_use(func_node, name: str):
    """The first place the parameter is used: ("call", the call node) or ("tensor", None)."""
    uses = []
    for node in ast.walk(func_node):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == name:
            uses.append((node.lineno, node.col_offset, ("call", node)))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == name:
            uses.append(
                (node.lineno, node.col_offset, ("tensor", None) if node.attr in _TENSOR_ATTRS else ("other", None))
            )
    uses.sort(key=lambda u: (u[0], u[1]))
    for _, _, use in uses:
        if use[0] == "other":
            return None
        return use
    return None


_TENSOR_ATTRS = {
    "device",
    "dtype",
    "is_cuda",
    "ndimension",
    "element_size",
    "new_full",
    "new_ones",
    "new_empty",
    "new_tensor",
    "masked_fill_",
    "cpu",
    "cuda",
    "numpy",
    "tolist",
    "item",
    "data",
    "view",
    "reshape",
    "size",
    "shape",
    "dim",
    "permute",
    "transpose",
    "flatten",
    "unsqueeze",
    "squeeze",
    "contiguous",
    "float",
    "to",
    "mean",
    "sum",
    "max",
    "min",
    "softmax",
    "ndim",
    "T",
    "expand",
    "repeat",
    "chunk",
    "split",
    "masked_fill",
    "matmul",
    "type_as",
    "detach",
    "clone",
    "long",
    "int",
    "bool",
    "half",
    "double",
    "argmax",
    "unbind",
    "narrow",
    "numel",
    "new_zeros",
}


def _refined_or_none(shape, func_node, name: str, fresh):
    return None if shape is None else _refined_by_unpacking(func_node, name, shape, fresh)


def _refined_by_unpacking(func_node, name: str, shape: Shape, fresh) -> Shape:
    """``B, T, C = x.size()`` on an input of unknown rank (or ``[*batch, dim]``) fixes its rank and
    names the sizes the first use left open after the unpacked names."""
    targets = _unpacked_size(func_node, name)
    if targets is None or shape.is_fixed:
        return shape
    known = len(shape.prefix) + len(shape.suffix)
    if shape.star is None or len(targets) < known:
        return shape
    middle = [sym(fresh(t)) for t in targets[len(shape.prefix) : len(targets) - len(shape.suffix)]]
    return Shape(list(shape.prefix) + middle + list(shape.suffix))


def _unpacked_size(func_node, name: str):
    """The names of the first ``a, b, c = name.size()`` (or ``= name.shape``) of the body, if the
    parameter is not rebound before it."""
    for node in ast.walk(func_node):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target, value = node.targets[0], node.value
        if isinstance(value, ast.Call) and not value.args and not value.keywords:
            value = value.func if isinstance(value.func, ast.Attribute) and value.func.attr == "size" else None
        elif not (isinstance(value, ast.Attribute) and value.attr == "shape"):
            value = None
        if value is None or not (isinstance(value.value, ast.Name) and value.value.id == name):
            continue
        if not isinstance(target, (ast.Tuple, ast.List)) or not all(isinstance(e, ast.Name) for e in target.elts):
            continue
        if _rebound_before(func_node, name, node.lineno):
            return None
        return [e.id for e in target.elts]
    return None


def _rebound_before(func_node, name: str, line: int) -> bool:
    for node in ast.walk(func_node):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store) and node.lineno < line:
            return True
    return False


def _tensor_like_callee(callee) -> bool:
    """A callee that takes tensors: a layer, a container, a torch function (not a layer's
    constructor: ``nn.Conv2d(in_planes, ...)`` takes sizes)."""
    if isinstance(callee, TorchRef):
        rule = lookup(callee.qualname)
        return not (rule is not None and rule.kind == "layer") and callee.qualname not in CONTAINER_NAMES
    return isinstance(callee, (LayerV, ContainerV))

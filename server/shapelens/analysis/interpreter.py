"""The abstract interpreter: Python statements and expressions over abstract values.

It walks a function body once per context (loops unrolled when short and known, otherwise
iterated to a fixpoint), records the value bound at every name, and hands every torch call to
the rule table through :mod:`.calls`. Whatever it cannot model becomes UNKNOWN, never a guess.
"""

from __future__ import annotations

import ast
import operator
from typing import Any

from ..dims import Expr, Lost, eq, ge, gt, is_dim, le, lt, ne
from .memo import MISSING
from .resolve import CONSTANTS, import_binding
from .runs import Run, chosen_size, join, join_under
from .values import (
    SCALAR,
    UNKNOWN,
    BoundMethodV,
    ChoiceV,
    ClassV,
    CondV,
    ContainerV,
    DatasetV,
    Deferred,
    DictV,
    FuncV,
    InstanceV,
    LayerV,
    ListV,
    LoaderV,
    OpaqueV,
    Record,
    StreamV,
    SuperV,
    TensorV,
    TorchRef,
    assumed,
    settled,
)

MAX_UNROLL = 64
FIXPOINT_ROUNDS = 3


class Returned(Exception):
    """Raised by ``return``/``raise`` to leave the current path."""


DIM_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
CONST_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.BitAnd: operator.and_,
    ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
}
TENSOR_DUNDERS = {
    ast.Add: "add",
    ast.Sub: "sub",
    ast.Mult: "mul",
    ast.Div: "truediv",
    ast.FloorDiv: "floordiv",
    ast.Mod: "mod",
    ast.Pow: "pow",
    ast.MatMult: "matmul",
    ast.BitAnd: "and",
    ast.BitOr: "or",
    ast.BitXor: "xor",
}
COMPARE_TENSOR = {ast.Eq: "eq", ast.NotEq: "ne", ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge"}
COMPARE_DIMS = {ast.Eq: eq, ast.NotEq: ne, ast.Lt: lt, ast.LtE: le, ast.Gt: gt, ast.GtE: ge}


def as_dim_value(value):
    """A value used as a size: dims stay, paths become symbols, anything else is None."""
    if is_dim(value):
        return value
    if isinstance(value, OpaqueV):
        return value.as_dim()
    return None


class Interpreter:
    """Interprets one body for one :class:`Run`."""

    def __init__(
        self, analysis, run: Run, env: dict, module, depth: int = 0, owner: ClassV = None, self_name: str = "self"
    ):
        self.analysis = analysis
        self.self_name = self_name  # the first parameter of a method, for super()
        self.run = run
        self.env = env
        self.module = module  # the ModuleScope whose globals this body sees
        self.depth = depth
        self.owner = owner  # the class whose method this is (for super())
        self.returns: list = []
        self.calls = analysis.calls
        self.size_names: dict = {}  # id of an assigned IfExp -> the name a size it chooses takes

    # -- statements -----------------------------------------------------------------------
    def exec_body(self, stmts: list) -> None:
        for stmt in stmts:
            self.exec_stmt(stmt)

    def exec_stmt(self, stmt: ast.stmt) -> None:
        method = getattr(self, f"stmt_{type(stmt).__name__}", None)
        if method is None:
            return
        try:
            method(stmt)
        except (Returned, LoopExit):
            raise
        except RecursionError:
            self.calls.note_lost(self, stmt, "the code nests too deeply to follow")
        except Exception as exc:  # never let one statement stop the analysis of a file
            self.analysis.internal_error(stmt, exc)

    def stmt_Expr(self, stmt: ast.Expr) -> None:
        self.eval(stmt.value)

    def stmt_Assign(self, stmt: ast.Assign) -> None:
        target = stmt.targets[0]
        if isinstance(stmt.value, ast.IfExp) and isinstance(target, (ast.Name, ast.Attribute)):
            self.size_names[id(stmt.value)] = target.id if isinstance(target, ast.Name) else target.attr
        value = self.eval(stmt.value)
        if value is UNKNOWN and _parses_command_line(stmt):
            value = OpaqueV(stmt.targets[0].id)  # opt.img_size: its default unless passed
        for target in stmt.targets:
            self.assign(target, value)

    def stmt_AnnAssign(self, stmt: ast.AnnAssign) -> None:
        if stmt.value is not None:
            self.assign(stmt.target, self.eval(stmt.value))

    def stmt_AugAssign(self, stmt: ast.AugAssign) -> None:
        current = self.eval(stmt.target)
        value = self.binop(stmt.op, current, self.eval(stmt.value), stmt, inplace=True)
        self.assign(stmt.target, value)

    def stmt_Return(self, stmt: ast.Return) -> None:
        self.returns.append(self.eval(stmt.value) if stmt.value is not None else None)
        raise Returned()

    def stmt_Raise(self, stmt: ast.Raise) -> None:
        raise Returned()

    def stmt_Assert(self, stmt: ast.Assert) -> None:
        self.analysis.learn_from_assert(self, stmt.test)

    def stmt_If(self, stmt: ast.If) -> None:
        if _is_main_guard(stmt.test) and self.run.func is None:
            # The file run as a script: only this branch. Its calls are a demo, one context among
            # all (weak: anti-unified with the summary), not the sizes every caller uses.
            weak, self.run.weak = self.run.weak, True
            try:
                self.exec_body(stmt.body)
            finally:
                self.run.weak = weak
            return
        value = self.eval(stmt.test)
        test = self.truth(value)
        if test is True:
            self.exec_body(stmt.body)
        elif test is False:
            self.exec_body(stmt.orelse)
        elif isinstance(value, CondV):
            self.branches([stmt.body, stmt.orelse], [assumed(value.test, True), assumed(value.test, False)])
        else:
            self.branches([stmt.body, stmt.orelse])

    def branches(self, bodies: list, assumptions: list = None) -> None:
        """Run each body from the same environment and join where they meet.

        The environment stays one dict throughout: at module level it is the globals that every
        function defined in this file looks names up in."""
        start = dict(self.env)
        owner = self.env.get(self.self_name)
        owner = owner if isinstance(owner, InstanceV) else None  # its attributes are joined too
        attrs = dict(owner.attrs) if owner is not None else None
        assumptions = assumptions or [{} for _ in bodies]
        ends, attr_ends = [], []
        for body, assumes in zip(bodies, assumptions):
            self.restore_env(start)
            self._restore_attrs(owner, attrs)
            try:
                self.exec_body(body)
                ends.append((dict(self.env), assumes))
                if owner is not None:
                    attr_ends.append((dict(owner.attrs), assumes))
            except Returned:
                pass
        if not ends:
            self.restore_env(start)
            self._restore_attrs(owner, attrs)
            raise Returned()
        self.restore_env(_join_envs(ends, self.run.facts))
        if owner is not None:
            self._restore_attrs(owner, _join_envs(attr_ends, self.run.facts))

    def _restore_attrs(self, owner, attrs) -> None:
        if owner is not None and (
            owner.attrs.keys() != attrs.keys() or any(owner.attrs[k] is not attrs[k] for k in attrs)
        ):
            self.analysis.changing(owner)
            owner.attrs.clear()
            owner.attrs.update(attrs)

    def restore_env(self, snapshot: dict) -> None:
        self.env.clear()
        self.env.update(snapshot)

    def stmt_For(self, stmt: ast.For) -> None:
        iterable = self.eval(stmt.iter)  # once: what it calls runs once, as in Python
        items = self.iterate(iterable, stmt.iter)
        if items is not None and len(items) <= MAX_UNROLL:
            for item in items:
                self.assign(stmt.target, item)
                try:
                    self.exec_body(stmt.body)
                except LoopExit as exit_:
                    if exit_.kind == "break":
                        return
            self.exec_body(stmt.orelse)
            return
        element = self.element_of(iterable)
        self.fixpoint(stmt.body, lambda: self.assign(stmt.target, element))
        self.exec_body(stmt.orelse)

    stmt_AsyncFor = stmt_For

    def stmt_While(self, stmt: ast.While) -> None:
        """Run the body as Python would while the test is decided (``while x.dim() < 4``
        unsqueezes exactly as often as it runs); from the first undecided test on, a fixpoint."""
        for _ in range(MAX_UNROLL):
            truth = self.truth(self.eval(stmt.test))
            if truth is False:
                self.exec_body(stmt.orelse)
                return
            if truth is None:
                break
            try:
                self.exec_body(stmt.body)
            except LoopExit as exit_:
                if exit_.kind == "break":
                    return
        self.fixpoint(stmt.body, lambda: None)

    def fixpoint(self, body: list, enter) -> None:
        """Iterate a loop body of unknown trip count until the environment stops changing."""
        before = dict(self.env)
        for _ in range(FIXPOINT_ROUNDS):
            enter()
            try:
                self.exec_body(body)
            except (LoopExit, Returned):
                pass
            changed = False
            for name, value in list(self.env.items()):
                old = before.get(name, value)
                merged = join(old, value)
                if merged is not old:
                    changed = True
                self.env[name] = merged
            if not changed:
                return
            before = dict(self.env)
        for name, value in list(self.env.items()):
            if name in before and before[name] is not value:
                self.env[name] = UNKNOWN

    def stmt_Break(self, stmt) -> None:
        raise LoopExit("break")

    def stmt_Continue(self, stmt) -> None:
        raise LoopExit("continue")

    def stmt_With(self, stmt: ast.With) -> None:
        for item in stmt.items:
            value = self.eval(item.context_expr)
            if item.optional_vars is not None:
                self.assign(item.optional_vars, value if isinstance(value, TensorV) else UNKNOWN)
        self.exec_body(stmt.body)

    stmt_AsyncWith = stmt_With

    def stmt_Try(self, stmt: ast.Try) -> None:
        bodies = [stmt.body + stmt.orelse] + [h.body for h in stmt.handlers]
        self.branches(bodies)
        self.exec_body(stmt.finalbody)

    stmt_TryStar = stmt_Try

    def stmt_FunctionDef(self, stmt: ast.FunctionDef) -> None:
        self.env[stmt.name] = self.analysis.make_function(self, stmt, owner=None, closure=self.env)

    stmt_AsyncFunctionDef = stmt_FunctionDef

    def stmt_ClassDef(self, stmt: ast.ClassDef) -> None:
        self.env[stmt.name] = self.analysis.make_class(self, stmt)

    def stmt_Import(self, stmt: ast.Import) -> None:
        for alias in stmt.names:
            if self._defers():
                name = import_binding(alias)[0]
                self.env[name] = Deferred(lambda alias=alias: self.analysis.import_module(self.module, alias)[1])
                continue
            name, value = self.analysis.import_module(self.module, alias)
            self.env[name] = value

    def stmt_ImportFrom(self, stmt: ast.ImportFrom) -> None:
        for alias in stmt.names:
            if alias.name == "*":
                self.env.update(self.analysis.import_star(self.module, stmt))
                continue
            if self._defers():
                self.env[alias.asname or alias.name] = Deferred(
                    lambda alias=alias: self.analysis.import_from(self.module, stmt, alias)
                )
                continue
            self.env[alias.asname or alias.name] = self.analysis.import_from(self.module, stmt, alias)

    def _defers(self) -> bool:
        """Imports at the top of an installed module are loaded only when read."""
        return getattr(self.module, "installed", False) and self.env is self.module.globals

    def stmt_Delete(self, stmt: ast.Delete) -> None:
        for target in stmt.targets:
            if isinstance(target, ast.Name):
                self.env.pop(target.id, None)

    # -- binding --------------------------------------------------------------------------
    def assign(self, target: ast.expr, value) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = value
            self.run.bind(target.id, self.module.source.span(target), value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            self.unpack(target, value)
        elif isinstance(target, ast.Attribute):
            obj = self.eval(target.value)
            if isinstance(obj, InstanceV):
                self.analysis.changing(obj)
                obj.attrs[target.attr] = value
                if self.env.get(self.self_name) is not obj:  # set from outside its own methods
                    obj.changed_at = target.lineno
        elif isinstance(target, ast.Subscript):
            obj = self.eval(target.value)
            key = self.eval(target.slice)
            if isinstance(obj, DictV) and obj.items is not None and isinstance(key, str):
                self.analysis.changing(obj)
                obj.items[key] = value
            elif isinstance(obj, ListV) and obj.items is not None and isinstance(key, int):
                if -len(obj.items) <= key < len(obj.items):
                    self.analysis.changing(obj)
                    obj.items[key] = value
        elif isinstance(target, ast.Starred):
            self.assign(target.value, value)

    def unpack(self, target, value) -> None:
        elts = target.elts
        items = self.sequence_items(value, len(elts))
        star = next((i for i, e in enumerate(elts) if isinstance(e, ast.Starred)), None)
        if items is None:
            for elt in elts:
                self.assign(elt, UNKNOWN)
            return
        if star is None:
            if len(items) != len(elts):
                for elt in elts:
                    self.assign(elt, UNKNOWN)
                return
            for elt, item in zip(elts, items):
                self.assign(elt, item)
            return
        after = len(elts) - star - 1
        head, rest = items[:star], items[star:]
        middle, tail = (rest[: len(rest) - after], rest[len(rest) - after :]) if after else (rest, [])
        for elt, item in zip(elts[:star], head):
            self.assign(elt, item)
        self.assign(elts[star].value, ListV(list(middle)))
        for elt, item in zip(elts[star + 1 :], tail):
            self.assign(elt, item)

    def sequence_items(self, value, wanted: int):
        """The items of a value being unpacked (a tensor unpacks along its first axis)."""
        if isinstance(value, tuple):
            return list(value)
        if isinstance(value, ListV):
            return value.items
        if isinstance(value, TensorV):
            return self.calls.unpack_tensor(self, value, wanted)
        if isinstance(value, ContainerV) and isinstance(value.items, list):
            return value.items
        if isinstance(value, IterV):
            return list(value.items)
        return None

    # -- expressions ----------------------------------------------------------------------
    def eval(self, node: ast.expr):
        method = getattr(self, f"expr_{type(node).__name__}", None)
        if method is None:
            return UNKNOWN
        try:
            return method(node)
        except (Returned, LoopExit):
            raise
        except Lost:
            return UNKNOWN
        except RecursionError:
            return UNKNOWN
        except Exception as exc:
            self.analysis.internal_error(node, exc)
            return UNKNOWN

    def expr_Constant(self, node: ast.Constant):
        return node.value

    def expr_Name(self, node: ast.Name):
        return self.lookup(node.id)

    def lookup(self, name: str):
        if name in self.env:
            value = self.env[name]
            if isinstance(value, Deferred):  # an installed module's import, loaded once read
                value = self.env[name] = settled(value)
            return value
        found = self.analysis.global_value(self.module, name)
        return self.analysis.builtin(name) if found is MISSING else found

    def expr_Attribute(self, node: ast.Attribute):
        return self.attribute(self.eval(node.value), node.attr, node)

    def attribute(self, obj, attr: str, node):
        if isinstance(obj, TorchRef):
            qualname = f"{obj.qualname}.{attr}"
            return CONSTANTS[qualname] if qualname in CONSTANTS else TorchRef(qualname)
        if isinstance(obj, TensorV):
            return self.calls.tensor_attribute(self, obj, attr, node)
        if isinstance(obj, Record):
            return obj.field(attr)
        if isinstance(obj, InstanceV):
            return self.analysis.instance_attribute(obj, attr, self)
        if isinstance(obj, SuperV):
            return self.analysis.super_attribute(obj, attr)
        if isinstance(obj, ClassV):
            return self.analysis.class_attribute(obj, attr)
        if isinstance(obj, OpaqueV):
            return OpaqueV(f"{obj.path}.{attr}")
        if isinstance(obj, LayerV):
            return self.calls.layer_attribute(obj, attr)
        if isinstance(obj, LoaderV):
            return obj.attrs.get(attr, UNKNOWN)  # loader.dataset, loader.batch_size
        if isinstance(obj, ContainerV) and isinstance(obj.items, dict) and attr in obj.items:
            return obj.items[attr]  # nn.ModuleDict entries read as attributes: self.blocks.embed
        if isinstance(obj, (ListV, DictV, ContainerV)):
            return self.analysis.builtin_method(obj, attr)
        if hasattr(obj, "__module__") and getattr(obj, "is_module_scope", False):
            found = self.analysis.global_value(obj, attr)
            return self.analysis.submodule(obj, attr) if found is MISSING else found
        return UNKNOWN

    def expr_Call(self, node: ast.Call):
        func = self.eval(node.func)
        args, kwargs = self.call_arguments(node)
        if args is None:
            repeated = self._repeated_modules(node)
            if repeated is not None and isinstance(func, TorchRef) and func.qualname == "torch.nn.Sequential":
                return ContainerV("Sequential", None, node.lineno, self.module.source.segment(node), element=repeated)
            return UNKNOWN
        return self.calls.call(self, func, args, kwargs, node)

    def _repeated_modules(self, node: ast.Call):
        """``nn.Sequential(*[Block(c) for _ in range(depth)])``: the one module repeated, when how
        many times is not known."""
        if len(node.args) != 1 or node.keywords or not isinstance(node.args[0], ast.Starred):
            return None
        value = self.eval(node.args[0].value)
        return value.element if isinstance(value, ListV) and value.items is None else None

    def call_arguments(self, node: ast.Call):
        args: list = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                value = self.eval(a.value)
                items = self.sequence_items(value, -1) if not isinstance(value, TensorV) else None
                if items is None:
                    return None, None
                args.extend(items)
            else:
                args.append(self.eval(a))
        kwargs: dict = {}
        for kw in node.keywords:
            value = self.eval(kw.value)
            if kw.arg is None:
                if isinstance(value, DictV) and value.items is not None:
                    kwargs.update(value.items)
                else:
                    return None, None
            else:
                kwargs[kw.arg] = value
        return args, kwargs

    def expr_BinOp(self, node: ast.BinOp):
        return self.binop(node.op, self.eval(node.left), self.eval(node.right), node)

    def binop(self, op: ast.operator, left, right, node, inplace: bool = False):
        if isinstance(left, TensorV) or isinstance(right, TensorV):
            return self.calls.tensor_binop(self, op, left, right, node, inplace)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        if left is SCALAR or right is SCALAR:
            numeric = (int, float, Expr, OpaqueV, type(SCALAR))
            return SCALAR if isinstance(left, numeric) and isinstance(right, numeric) else UNKNOWN
        dl, dr = as_dim_value(left), as_dim_value(right)
        if dl is not None and dr is not None and type(op) in DIM_OPS:
            if isinstance(op, (ast.FloorDiv, ast.Mod)) and dr == 0:
                return UNKNOWN
            return DIM_OPS[type(op)](dl, dr)
        if isinstance(op, ast.Pow) and type(dl) is int and type(dr) is int and dr >= 0:
            return dl**dr
        if isinstance(op, ast.Pow) and dl is not None and type(dr) is int and 0 <= dr <= 8:
            result = 1
            for _ in range(dr):  # opt.img_size ** 2: a product of sizes
                result = result * dl
            return result
        if isinstance(op, ast.Div) and dl is not None and dr is not None:
            if type(dl) is int and type(dr) is int and dr:
                return dl / dr
            return UNKNOWN
        if isinstance(left, (tuple, ListV)) and isinstance(right, (tuple, ListV)) and isinstance(op, ast.Add):
            li = left if isinstance(left, tuple) else left.items
            ri = right if isinstance(right, tuple) else right.items
            if li is None or ri is None:
                return UNKNOWN
            out = tuple(li) + tuple(ri)
            return out if isinstance(left, tuple) else ListV(list(out))
        if isinstance(left, (tuple, ListV)) and type(right) is int and isinstance(op, ast.Mult):
            items = left if isinstance(left, tuple) else left.items
            if items is None or right > MAX_UNROLL:
                return UNKNOWN
            out = tuple(items) * right
            return out if isinstance(left, tuple) else ListV(list(out))
        if is_plain(left) and is_plain(right) and type(op) in CONST_OPS:
            try:
                return CONST_OPS[type(op)](left, right)
            except Exception:
                return UNKNOWN
        if (
            (dl is not None or isinstance(left, float))
            and (dr is not None or isinstance(right, float))
            and isinstance(op, (ast.Div, ast.Pow))
        ):
            return SCALAR  # dim_head ** -0.5, d / 2.0: a number whose value is symbolic
        return UNKNOWN

    def expr_UnaryOp(self, node: ast.UnaryOp):
        value = self.eval(node.operand)
        if isinstance(node.op, ast.Not):
            if isinstance(value, CondV):
                return CondV(("not", value.test))
            truth = self.truth(value)
            return UNKNOWN if truth is None else not truth
        if isinstance(value, TensorV):
            name = {ast.USub: "neg", ast.UAdd: "pos", ast.Invert: "invert"}[type(node.op)]
            return self.calls.tensor_method(self, value, f"__{name}__", [], {}, node)
        if value is SCALAR and not isinstance(node.op, ast.Not):
            return SCALAR
        dim = as_dim_value(value)
        if dim is not None:
            if isinstance(node.op, ast.USub):
                return -dim
            if isinstance(node.op, ast.UAdd):
                return dim
        if is_plain(value):
            try:
                return {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Invert: operator.invert}[type(node.op)](
                    value
                )
            except Exception:
                return UNKNOWN
        return UNKNOWN

    def expr_BoolOp(self, node: ast.BoolOp):
        is_and = isinstance(node.op, ast.And)
        result: Any = True if is_and else False
        conditions: list = []  # the tests of undecided operands that are conditions on sizes
        other_undecided = False
        for operand in node.values:
            value = self.eval(operand)
            truth = self.truth(value)
            if truth is None:
                if isinstance(value, CondV):
                    conditions.append(value.test)
                else:
                    other_undecided = True
                result = UNKNOWN
                continue
            if is_and and not truth:
                return value if result is not UNKNOWN else UNKNOWN
            if not is_and and truth:
                return value if result is not UNKNOWN else UNKNOWN
            if result is not UNKNOWN:
                result = value
        if result is UNKNOWN and conditions and not other_undecided:
            return CondV(("and" if is_and else "or", tuple(conditions)))  # stride == 1 and inp == oup
        return result

    def expr_Compare(self, node: ast.Compare):
        left = self.eval(node.left)
        outcome: Any = True
        for op, comparator in zip(node.ops, node.comparators):
            right = self.eval(comparator)
            value = self.compare(op, left, right, node)
            if isinstance(value, (TensorV, CondV)):
                return value if len(node.ops) == 1 else UNKNOWN
            if value is False:
                return False
            if value is UNKNOWN:
                outcome = UNKNOWN
            left = right
        return outcome

    def compare(self, op, left, right, node):
        if isinstance(op, (ast.Is, ast.IsNot)):
            same = _identity(left, right)
            if same is None:
                return UNKNOWN
            return same if isinstance(op, ast.Is) else not same
        if isinstance(op, (ast.In, ast.NotIn)):
            found = _contains(right, left)
            if found is None:
                return UNKNOWN
            return found if isinstance(op, ast.In) else not found
        if isinstance(left, TensorV) or isinstance(right, TensorV):
            return self.calls.tensor_compare(self, COMPARE_TENSOR[type(op)], left, right, node)
        dl, dr = as_dim_value(left), as_dim_value(right)
        if dl is not None and dr is not None:
            verdict = self.run.facts.decide(COMPARE_DIMS[type(op)](dl, dr))
            return CondV(("cmp", type(op), dl, dr)) if verdict is None else verdict
        if is_plain(left) and is_plain(right):
            try:
                return {
                    ast.Eq: operator.eq,
                    ast.NotEq: operator.ne,
                    ast.Lt: operator.lt,
                    ast.LtE: operator.le,
                    ast.Gt: operator.gt,
                    ast.GtE: operator.ge,
                }[type(op)](left, right)
            except Exception:
                return UNKNOWN
        return UNKNOWN

    def truth(self, value):
        """True/False when statically known, else None."""
        if value is UNKNOWN or value is SCALAR or isinstance(value, (TensorV, OpaqueV, Expr, CondV, ChoiceV)):
            return None
        if isinstance(value, (LayerV, InstanceV, ContainerV, FuncV, ClassV, BoundMethodV, TorchRef)):
            return True
        if isinstance(value, ListV):
            return None if value.items is None else bool(value.items)
        if isinstance(value, DictV):
            return None if value.items is None else bool(value.items)
        try:
            return bool(value)
        except Exception:
            return None

    def expr_IfExp(self, node: ast.IfExp):
        value = self.eval(node.test)
        test = self.truth(value)
        if test is True:
            return self.eval(node.body)
        if test is False:
            return self.eval(node.orelse)
        if isinstance(value, CondV):
            return join_under(
                self.eval(node.body),
                assumed(value.test, True),
                self.eval(node.orelse),
                assumed(value.test, False),
                self.run.facts,
            )
        body, orelse = self.eval(node.body), self.eval(node.orelse)
        return chosen_size(body, orelse, join(body, orelse), self.size_names.get(id(node), ""))

    def expr_Subscript(self, node: ast.Subscript):
        obj = self.eval(node.value)
        key = self.eval(node.slice)
        return self.calls.subscript(self, obj, key, node)

    def expr_Slice(self, node: ast.Slice):
        parts = [self.eval(p) if p is not None else None for p in (node.lower, node.upper, node.step)]
        parts = [as_dim_value(p) if isinstance(p, OpaqueV) else p for p in parts]
        return slice(*parts)

    def expr_Tuple(self, node: ast.Tuple):
        items = []
        for elt in node.elts:
            if isinstance(elt, ast.Starred):
                value = self.eval(elt.value)
                seq = self.sequence_items(value, -1)
                if seq is None:
                    return UNKNOWN
                items.extend(seq)
            else:
                items.append(self.eval(elt))
        return tuple(items)

    def expr_List(self, node: ast.List):
        value = self.expr_Tuple(node)  # same element rules
        return ListV(list(value)) if isinstance(value, tuple) else ListV(None)

    def expr_Set(self, node: ast.Set):
        return UNKNOWN

    def expr_Dict(self, node: ast.Dict):
        items: dict = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                value = self.eval(v)
                if isinstance(value, DictV) and value.items is not None:
                    items.update(value.items)
                    continue
                return DictV(None)
            key = self.eval(k)
            if not isinstance(key, (str, int)):
                return DictV(None)
            items[key] = self.eval(v)
        return DictV(items)

    def expr_JoinedStr(self, node):
        """``f"layer{i}"`` with known parts (``getattr(self, f"layer{i}")``, ``add_module``)."""
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
                continue
            inner = self.eval(value.value) if isinstance(value, ast.FormattedValue) else UNKNOWN
            if (
                value.format_spec is not None
                or value.conversion not in (-1, None)
                or not isinstance(inner, (int, str))
                or isinstance(inner, bool)
            ):
                return UNKNOWN
            parts.append(str(inner))
        return "".join(parts)

    def expr_Lambda(self, node: ast.Lambda):
        return self.analysis.make_function(self, node, owner=None, closure=self.env)

    def expr_NamedExpr(self, node: ast.NamedExpr):
        value = self.eval(node.value)
        self.assign(node.target, value)
        return value

    def expr_Starred(self, node: ast.Starred):
        return UNKNOWN

    def comprehension(self, node, produce):
        """Evaluate a comprehension by unrolling its generators when their items are known."""
        results: list = []

        def loop(generators, env):
            if not generators:
                results.append(produce())
                return True
            gen = generators[0]
            items = self.iterate(self.eval(gen.iter), gen.iter)
            if items is None or len(items) > MAX_UNROLL:
                return False
            for item in items:
                self.assign_quietly(gen.target, item)
                conds = [self.truth(self.eval(c)) for c in gen.ifs]
                if any(c is None for c in conds):
                    return False
                if all(conds) and not loop(generators[1:], env):
                    return False
            return True

        saved = dict(self.env)
        try:
            complete = loop(node.generators, self.env)
        finally:
            self.restore_env(saved)
        return results if complete else None

    def assign_quietly(self, target, value) -> None:
        """Bind comprehension variables without recording them as hints."""
        record, self.run.record = self.run.record, False
        try:
            self.assign(target, value)
        finally:
            self.run.record = record

    def expr_ListComp(self, node: ast.ListComp):
        items = self.comprehension(node, lambda: self.eval(node.elt))
        if items is None:
            return ListV(None, element=self.representative(node, lambda: self.eval(node.elt)))
        return ListV(items)

    expr_GeneratorExp = expr_ListComp

    def expr_SetComp(self, node):
        return UNKNOWN

    def expr_DictComp(self, node: ast.DictComp):
        pairs = self.comprehension(node, lambda: (self.eval(node.key), self.eval(node.value)))
        if pairs is None or not all(isinstance(k, (str, int)) for k, _ in pairs):
            return DictV(None)
        return DictV(dict(pairs))

    # -- iteration ------------------------------------------------------------------------
    def iterate(self, value, node):
        """The items of an iterable when known (and few enough), else None."""
        if isinstance(value, tuple):
            return list(value)
        if isinstance(value, ListV):
            return value.items
        if isinstance(value, ContainerV):
            if isinstance(value.items, list):
                return list(value.items)
            if isinstance(value.items, dict):
                return list(value.items)
        if isinstance(value, DictV):
            return list(value.items) if value.items is not None else None
        if isinstance(value, range):
            return list(value) if len(value) <= MAX_UNROLL else None
        if isinstance(value, TensorV):
            return self.calls.unpack_tensor(self, value, -1)
        if isinstance(value, IterV):
            return value.items
        if isinstance(value, InstanceV) and isinstance(value.base, ContainerV):
            return self.iterate(value.base, node)  # for layer in self: a Sequential subclass
        return None

    def element_of(self, value):
        """What one iteration binds when the items are not listed (a loop of unknown length)."""
        if isinstance(value, (StreamV, DatasetV)):  # for x, y in loader: one batch
            return value.item() if isinstance(value, StreamV) else value.item
        if isinstance(value, TensorV):
            return self.calls.tensor_element(self, value)
        if isinstance(value, (ListV, ContainerV)) and value.element is not None:
            return value.element
        return UNKNOWN

    def representative(self, node, produce):
        """What each item of a comprehension over an unknown number of items is, if the one
        generator's target can be bound (``[Block(config) for _ in range(config.n_layer)]``)."""
        if len(node.generators) != 1:
            return None
        gen = node.generators[0]
        saved = dict(self.env)
        try:
            self.assign_quietly(gen.target, self.element_of(self.eval(gen.iter)))
            value = produce()
        finally:
            self.restore_env(saved)
        return None if value is UNKNOWN else value


class LoopExit(Exception):
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class IterV:
    """A finite iterator with known items (zip, enumerate, dict.items())."""

    __slots__ = ("items",)

    def __init__(self, items):
        self.items = items


def is_plain(value) -> bool:
    """A Python constant: a number, a string, a bool or None."""
    return isinstance(value, (int, float, str, bool)) or value is None


def _is_main_guard(test) -> bool:
    """``if __name__ == "__main__":``"""
    return (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Eq)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def _parses_command_line(stmt: ast.Assign) -> bool:
    """``opt = parser.parse_args()``: options are values only the command line fixes."""
    value = stmt.value
    return (
        len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "parse_args"
    )


def _join_envs(ends: list, facts) -> dict:
    """Names after paths meet: joined where every path set them (under what each path assumed),
    else whichever path did. ``ends``: (names, assumptions) per path that went on."""
    merged, merged_assumes = dict(ends[0][0]), ends[0][1]
    for other, assumes in ends[1:]:
        for name in set(merged) | set(other):
            if name in merged and name in other:
                merged[name] = chosen_size(
                    merged[name],
                    other[name],
                    join_under(merged[name], merged_assumes, other[name], assumes, facts),
                    name,
                )
            else:
                merged[name] = merged.get(name, other.get(name))
        merged_assumes = {}
    return merged


def _contains(container, item):
    """``item in container`` when the item and the container's members are known constants."""
    if isinstance(container, str) and isinstance(item, str):
        return item in container
    if isinstance(container, tuple):
        members = container
    elif isinstance(container, ListV) and container.items is not None:
        members = container.items
    elif isinstance(container, DictV) and container.items is not None:
        members = tuple(container.items)
    else:
        return None
    if not is_plain(item):
        return None
    if any(is_plain(m) and type(m) is type(item) and m == item for m in members):
        return True
    return False if all(is_plain(m) for m in members) else None


def _identity(left, right):
    """``left is right`` when statically known (mostly comparisons with None)."""
    if left is UNKNOWN or right is UNKNOWN:
        return None
    if right is None:
        if isinstance(left, (OpaqueV,)):
            return None
        return left is None
    if left is None:
        return _identity(right, left)
    if isinstance(left, (OpaqueV, Expr)) or isinstance(right, (OpaqueV, Expr)):
        return None
    return left is right

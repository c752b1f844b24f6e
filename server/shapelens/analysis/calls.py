"""Calls: every call, operator and attribute on a tensor or torch object goes through here.

torch names are looked up in the rule table; a rule's result becomes a tensor value that knows
its origin (for hover and for messages that say where each side came from). A rule's certain
violation becomes an error finding; a condition it could not decide becomes a warning or, when
it only concerns the input's free sizes, a requirement on the input.
"""

from __future__ import annotations

import ast
import inspect
import weakref
from typing import Optional

from ..dims import Checker, Expr, Lost, Shape, ShapeError, dmax, dmin, is_dim, sym
from ..rules.parameters import layer_tensors
from ..rules import DTYPE_KINDS, DtypeArg, Layer, TensorArg, lookup
from . import explain, loaders
from .report import CallFact
from .runs import join_all, join_under
from .interpreter import TENSOR_DUNDERS, IterV, as_dim_value, is_plain
from .values import (
    SCALAR,
    UNKNOWN,
    BaseInitV,
    BoundMethodV,
    ChoiceV,
    ClassV,
    ContainerV,
    DatasetV,
    DictV,
    FuncV,
    InstanceV,
    LayerV,
    ListV,
    LoaderV,
    OpaqueV,
    Origin,
    Record,
    StreamV,
    SuperV,
    TensorMethodV,
    TensorV,
    TorchRef,
)

# Methods that return something other than a tensor: not a loss of shape inference.
NON_TENSOR_METHODS = {
    "tolist",
    "backward",
    "is_contiguous",
    "data_ptr",
    "get_device",
    "element_size",
    "register_hook",
    "retain_grad",
    "storage",
    "untyped_storage",
    "stride",
    "is_floating_point",
    "is_complex",
    "dim_order",
    "__repr__",
    "__str__",
    "__format__",
}
# Methods of lists, dicts and module containers that change them.
# nn.Module methods that give its tensors: how many and their shapes are not known here.
MODULE_TENSOR_LISTS = {"parameters", "buffers"}
# In-place methods that change the tensor's own shape (the others keep it, as torch requires).
RESHAPING_IN_PLACE = {"squeeze_", "unsqueeze_", "t_", "transpose_", "swapdims_", "swapaxes_"}
# nn.Module methods that return the module itself.
MODULE_SELF_METHODS = {
    "to",
    "cuda",
    "cpu",
    "train",
    "eval",
    "float",
    "double",
    "half",
    "bfloat16",
    "requires_grad_",
    "apply",
    "type",
    "share_memory",
    "to_empty",
    "xpu",
    "mps",
}
# Attributes of a tensor that are not shapes.
OPAQUE_TENSOR_ATTRS = {"dtype", "device", "requires_grad", "is_cuda", "layout", "grad_fn", "is_leaf", "names"}
CONTAINERS = {
    "torch.nn.Sequential": "Sequential",
    "torch.nn.ModuleList": "ModuleList",
    "torch.nn.ModuleDict": "ModuleDict",
}
PARAMETER = {"torch.nn.Parameter", "torch.nn.parameter.Parameter", "torch.nn.parameter.Buffer", "torch.nn.Buffer"}
TRANSPARENT_CALLS = {
    "torch.no_grad",
    "torch.enable_grad",
    "torch.inference_mode",
    "torch.autocast",
    "torch.nn.Module.__init__",
    "torch.manual_seed",
}
# ``SimpleNamespace(dim=32, ...)``: an object whose attributes are its keywords.
NAMESPACE = ClassV(
    ast.ClassDef(name="SimpleNamespace", bases=[], keywords=[], body=[], decorator_list=[], lineno=0), None
)
# ``nn.Module()`` built bare, as a namespace for submodules (``down = nn.Module(); down.block = ...``).
BARE_MODULE = ClassV(
    ast.ClassDef(name="Module", bases=[], keywords=[], body=[], decorator_list=[], lineno=0),
    None,
    (TorchRef("torch.nn.Module"),),
    is_module=True,
)


# numpy functions that, on plain numbers, are the math module's (``np.power(10000, 2 * i / d)``).
NUMPY_SCALAR = {
    "power": "pow",
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "arctan2": "atan2",
    "absolute": "fabs",
    "abs": "fabs",
    "float32": "float",
    "float64": "float",
    "int64": "int",
    "int32": "int",
    **{
        n: n
        for n in (
            "sin",
            "cos",
            "tan",
            "exp",
            "log",
            "log2",
            "log10",
            "log1p",
            "expm1",
            "sqrt",
            "floor",
            "ceil",
            "sinh",
            "cosh",
            "tanh",
            "hypot",
        )
    },
}


def result_dtype(rule, args, kwargs):
    """The dtype the rule states for its result (as torch's meta functions compute it beside the
    shape), from the arguments as its statement sees them."""
    if kwargs.get("dtype") is UNKNOWN:
        # dtype=x.dtype: the result is lost, as the dtype tables this replaced lost it (their truth
        # test of the value raised). Following it instead is a change of behaviour of its own.
        raise Lost("an argument's value is not known statically")
    return rule.result_dtype([_dtype_view(a) for a in args], {k: _dtype_view(v) for k, v in kwargs.items()})


def _dtype_view(value):
    """Tensors by their dtype, torch dtypes by their kind, literals as they are."""
    if isinstance(value, TensorV):
        return TensorArg(value.dtype)
    if isinstance(value, TorchRef):
        kind = DTYPE_KINDS.get(value.qualname)
        return DtypeArg(kind) if kind else UNKNOWN
    if isinstance(value, tuple):
        return tuple(_dtype_view(v) for v in value)
    if isinstance(value, ListV):
        return [_dtype_view(v) for v in value.items] if value.items is not None else UNKNOWN
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return UNKNOWN


def _with_dtype(value, dtype):
    """A tensor result gets the dtype; a tuple result gets one per element where one is stated."""
    if isinstance(value, TensorV) and not isinstance(dtype, tuple):
        value.dtype = dtype
    elif isinstance(value, tuple) and isinstance(dtype, tuple) and len(value) == len(dtype):
        for element, kind in zip(value, dtype):
            if isinstance(element, TensorV):
                element.dtype = kind
    return value


class BuiltinV:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


# Methods of a list or dict that leave it as it is.
READING_METHODS = {"count", "index", "copy", "get", "keys", "values", "items", "__len__", "__contains__"}


# isinstance(v, <builtin>) -> the python_kind()s it holds for (bool is an int).
PYTHON_KINDS = {
    "int": ("int", "bool"),
    "float": ("float",),
    "bool": ("bool",),
    "str": ("str",),
    "tuple": ("tuple",),
    "list": ("list",),
    "dict": ("dict",),
}


def python_kind(value):
    """What Python type a value has, where the analysis knows it (None where it does not)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int) or isinstance(value, Expr):
        return "int"
    for kind, types in (
        ("float", float),
        ("str", str),
        ("tuple", tuple),
        ("list", ListV),
        ("dict", DictV),
        ("tensor", TensorV),
    ):
        if isinstance(value, types):
            return kind
    if value is None:
        return "NoneType"
    if isinstance(value, (LayerV, InstanceV, ContainerV, FuncV, ClassV)):
        return "object"
    return None


class BuiltinMethodV:
    __slots__ = ("obj", "name")

    def __init__(self, obj, name: str):
        self.obj, self.name = obj, name


class Calls:
    def __init__(self, analysis):
        self.analysis = analysis

    # -- dispatch -------------------------------------------------------------------------
    def call(self, interp, func, args: list, kwargs: dict, node):
        if isinstance(func, TorchRef):
            return self.call_torch(interp, func.qualname, args, kwargs, node)
        if isinstance(func, TensorMethodV):
            return self.tensor_method(interp, func.tensor, func.name, args, kwargs, node)
        if isinstance(func, LayerV):
            return self.call_layer(interp, func, args, kwargs, node, _callee_text(interp, node))
        if isinstance(func, ContainerV):
            return self.call_container(interp, func, args, kwargs, node)
        if isinstance(func, InstanceV):
            return self.analysis.call_instance(interp, func, args, kwargs, node)
        if isinstance(func, ClassV):
            return self.analysis.instantiate(interp, func, args, kwargs, node)
        if isinstance(func, FuncV):
            return self.analysis.call_function(interp, func, args, kwargs, node, None)
        if isinstance(func, BoundMethodV):
            return self.analysis.call_function(interp, func.func, args, kwargs, node, func.self_value)
        if isinstance(func, BuiltinV):
            return self.call_builtin(interp, func.name, args, kwargs, node)
        if isinstance(func, BuiltinMethodV):
            return self.call_builtin_method(interp, func, args, kwargs, node)
        if isinstance(func, BaseInitV):
            return self.build_base(interp, func, args, kwargs, node)
        if isinstance(func, ChoiceV):  # each option where its branch's equalities hold, then joined
            results = [(assumes, self.call(interp, option, args, kwargs, node)) for assumes, option in func.options]
            assumes, value = results[0]
            for other_assumes, other in results[1:]:
                value = join_under(value, assumes, other, other_assumes, interp.run.facts)
                assumes = {}
            return value
        if isinstance(func, SuperV):
            return UNKNOWN
        self.lost_if_tensors(
            interp, node, args, kwargs, f"`{_text(interp, node.func)}` is not something shapelens can follow"
        )
        return UNKNOWN

    def call_torch(self, interp, qualname: str, args, kwargs, node):
        if qualname.startswith("math."):
            return self.call_math(qualname[5:], args)
        if (
            qualname.startswith("numpy.")
            and qualname[6:] in NUMPY_SCALAR
            and args
            and not kwargs
            and all(isinstance(a, (int, float, Expr, OpaqueV)) or a is SCALAR for a in args)
        ):
            return self.call_math(NUMPY_SCALAR[qualname[6:]], args)  # a number in, a number out
        if qualname in ("copy.copy", "copy.deepcopy"):
            return _copied(args[0]) if len(args) == 1 else UNKNOWN
        if qualname == "torch.nn.Module" and not args and not kwargs:
            return InstanceV(BARE_MODULE, {}, node.lineno, _text(interp, node), ((), {}))
        if qualname == "types.SimpleNamespace" and not args:
            return InstanceV(NAMESPACE, dict(kwargs), node.lineno, _text(interp, node), ((), dict(kwargs)))
        if qualname in CONTAINERS:
            return self.make_container(interp, CONTAINERS[qualname], args, node)
        if qualname in loaders.NAMES:
            return loaders.call(self, interp, qualname, args, kwargs, node)
        if qualname in PARAMETER:
            return args[0] if args and isinstance(args[0], TensorV) else kwargs.get("data", UNKNOWN)
        if qualname in TRANSPARENT_CALLS:
            return None
        if qualname == "torch.Size":
            return tuple(args[0]) if args and isinstance(args[0], tuple) else UNKNOWN
        rule = lookup(qualname)
        if rule is None:
            self.lost_if_tensors(interp, node, args, kwargs, f"`{qualname}` has no shape rule yet")
            return UNKNOWN
        if rule.kind == "layer":
            return self.construct_layer(interp, rule, args, kwargs, node)
        data = args[0] if args else kwargs.get("data", kwargs.get("object"))
        if rule.name in DATA_TAKING and _holds_a_path(data) and len(args) <= 1:  # FloatTensor(n_in, n_out): sizes
            self.lost_if_tensors(
                interp,
                node,
                [data],
                {},
                f"`{_text(interp, node.func)}` is given data known only by its name: a number, a list or an array",
            )
            return UNKNOWN
        return self.apply_rule(interp, rule, args, kwargs, node, callee=_text(interp, node.func))

    def call_math(self, name: str, args):
        """The math module on sizes: exact where the value is known, an unknown number otherwise."""
        import math

        fn = getattr(math, name, None) if name not in ("float", "int") else {"float": float, "int": int}[name]
        if fn is None or not callable(fn):
            return UNKNOWN
        if args and all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args):
            try:
                return fn(*args)
            except (ValueError, TypeError, OverflowError):
                return UNKNOWN
        if name == "prod" and args:
            return UNKNOWN
        return SCALAR

    # -- layers ---------------------------------------------------------------------------
    def construct_layer(self, interp, rule, args, kwargs, node):
        ctx = Checker(interp.run.facts)
        try:
            try:
                ctor = rule.build(ctx, *_flags_unknown(rule, args, kwargs))
            except (TypeError, Lost):
                ctx = Checker(interp.run.facts)
                ctor = rule.build(ctx, (), _unknown_unless_sizes(rule, args, kwargs))
        except ShapeError as err:
            interp.run.add(explain.construction_error(interp, err, node, rule))
            return UNKNOWN
        except (TypeError, Lost):
            return UNKNOWN
        self.handle_conditions(interp, ctx, node)
        if interp.run.record:
            interp.run.calls.append(
                CallFact(
                    interp.module.source.span(node.func),
                    _text(interp, node.func),
                    rule.name,
                    rule.summary,
                    arguments=dict(ctor),
                    kind="constructor",
                )
            )
        return LayerV(
            Layer(rule, ctor),
            node,
            node.lineno,
            interp.module.source.segment(node),
            interp.module.source.path,
            _ctor_arg_nodes(rule, node),
        )

    def build_base(self, interp, init: BaseInitV, args, kwargs, node):
        """``super().__init__(...)`` in a subclass of a torch layer or container: the instance holds
        the layer, or the container of the modules it is given."""
        if isinstance(init.rule, str):
            built = self.make_container(interp, init.rule, args, node)
        else:
            built = self.construct_layer(interp, init.rule, args, kwargs, node)
        if isinstance(init.instance, InstanceV):
            self.analysis.changing(init.instance)
            init.instance.base = built if isinstance(built, (LayerV, ContainerV)) else None
        return None

    def call_layer(self, interp, layer: LayerV, args, kwargs, node, callee: str):
        return self.apply_rule(interp, layer.layer.rule, args, kwargs, node, callee=callee, layer=layer)

    def call_container(self, interp, container: ContainerV, args, kwargs, node):
        if (
            container.kind == "Sequential"
            and container.items is None
            and container.element is not None
            and len(args) == 1
        ):
            return self._repeated(interp, container.element, args[0], node)
        if container.kind != "Sequential" or not isinstance(container.items, list) or len(args) != 1:
            return UNKNOWN
        value = args[0]
        base = _callee_text(interp, node)
        for i, item in enumerate(container.items):
            if value is UNKNOWN:
                return UNKNOWN
            if isinstance(item, LayerV):
                value = self.call_layer(interp, item, [value], {}, node, f"{base}[{i}]")
            else:
                value = self.call(interp, item, [value], {}, node)
        return value

    def _repeated(self, interp, module, value, node):
        """A module applied an unknown number of times: known only if it keeps the shape."""
        if not isinstance(value, TensorV):
            return UNKNOWN
        out = self.call(interp, module, [value], {}, node)
        if isinstance(out, TensorV) and out.shape.simplify(interp.run.facts) == value.shape.simplify(interp.run.facts):
            return value
        return UNKNOWN

    def make_container(self, interp, kind: str, args, node):
        if kind == "Sequential":
            if len(args) == 1 and isinstance(args[0], DictV) and args[0].items is not None:
                items = list(args[0].items.values())
            else:
                items = list(args)
        elif kind == "ModuleList":
            if args and isinstance(args[0], ListV) and args[0].items is None:  # n_layer blocks, n unknown
                return ContainerV(kind, None, node.lineno, interp.module.source.segment(node), element=args[0].element)
            items = _items(args[0]) if args else []  # None: items nobody can list
        else:
            source = args[0] if args else DictV({})
            items = dict(source.items) if isinstance(source, DictV) and source.items is not None else None
        return ContainerV(kind, items, node.lineno, interp.module.source.segment(node))

    def layer_attribute(self, layer: LayerV, attr: str):
        """A constructor argument (``self.fc.out_features``) or a method with a rule of its own."""
        if attr in layer.layer.ctor:
            return layer.layer.ctor[attr]
        if attr in MODULE_SELF_METHODS or attr in MODULE_TENSOR_LISTS:
            return BuiltinMethodV(layer, attr)
        held = layer_tensors(layer.layer.rule.name, layer.layer.ctor)
        if held is not None:
            origin = Origin(f"{layer.text}.{attr}", layer.line, layer=layer, file=layer.file)
            if attr in held:  # self.fc.weight, bn.running_mean; None where torch holds None (bias=False)
                return TensorV(held[attr], origin, "float") if held[attr] is not None else None
            inner = {name.split(".", 1)[1]: shape for name, shape in held.items() if name.startswith(attr + ".")}
            if inner:  # mha.out_proj.weight
                return InstanceV(
                    NAMESPACE,
                    {
                        name: TensorV(shape, origin, "float") if shape is not None else None
                        for name, shape in inner.items()
                    },
                    layer.line,
                    origin.text,
                )
        method = f"{layer.layer.rule.name}.{attr}"
        return TorchRef(method) if lookup(method) is not None else UNKNOWN

    # -- rules ----------------------------------------------------------------------------
    def apply_rule(self, interp, rule, args, kwargs, node, callee: str, layer: LayerV = None):
        ctx = Checker(interp.run.facts)
        rule_args = [to_rule(a) for a in args]
        rule_kwargs = {k: to_rule(v) for k, v in kwargs.items()}
        try:
            if layer is not None:
                try:
                    result = rule.forward(ctx, layer.layer.ctor, rule_args, rule_kwargs)
                except (Lost, TypeError):
                    ctor = _named_unknowns(layer.layer, callee)
                    if ctor is None:
                        raise
                    ctx = Checker(interp.run.facts)
                    result = rule.forward(ctx, ctor, rule_args, rule_kwargs)
            else:
                result = rule.apply(ctx, rule_args, rule_kwargs)
        except ShapeError as err:
            interp.run.add(explain.call_error(interp, err, node, callee, rule, layer, args, kwargs))
            return UNKNOWN
        except Lost as lost:
            self.lost_if_tensors(interp, node, args, kwargs, lost.reason)
            return UNKNOWN
        except TypeError:
            self.lost_if_tensors(interp, node, args, kwargs, f"the arguments of `{callee}` could not be bound")
            return UNKNOWN
        self.handle_conditions(interp, ctx, node, callee=callee, layer=layer, args=args)
        origin = Origin(
            interp.module.source.segment(node),
            node.lineno,
            _tensors(args, kwargs),
            layer,
            explain.layer_summary(layer) if layer is not None else "",
            interp.module.source.path,
        )
        value = _with_dtype(from_rule(result, origin), result_dtype(rule, args, kwargs))
        if rule.name.startswith("numpy.") or rule.name == "torch.Tensor.numpy":
            _as_arrays(value)
        if rule.fields and isinstance(value, tuple) and len(value) == len(rule.fields):
            value = Record(value, rule.fields)
        if interp.run.record:
            target = node.func if isinstance(node, ast.Call) else node
            interp.run.calls.append(
                CallFact(
                    interp.module.source.span(target),
                    callee,
                    rule.name,
                    rule.summary,
                    tuple(t.shape for t in origin.inputs),
                    _shape_value(value),
                    arguments=dict(layer.layer.ctor) if layer is not None else {},
                )
            )
        return value

    def handle_conditions(self, interp, ctx: Checker, node, callee: str = "", layer=None, args=()):
        run = interp.run
        for condition in ctx.conditions:
            symbols = condition.cond.symbols()
            # On the input's sizes, it is what the model requires of its input (shown with it);
            # on constructor values alone, a warning only if no usual sizes meet it.
            if symbols and (
                symbols <= run.input_symbols | set(run.facts.bindings)
                or symbols & run.input_symbols
                or _met_by_usual_sizes(condition.cond, self.analysis.size_defaults)
            ):
                text = str(condition.cond)
                if text not in run.requirements:
                    run.requirements.append(text)
                    run.requirement_conds.append(condition.cond)
                continue
            run.add(explain.condition_warning(interp, condition, node, callee))

    # -- tensors --------------------------------------------------------------------------
    def tensor_method(self, interp, tensor: TensorV, name: str, args, kwargs, node):
        if name == "item":
            return SCALAR
        if name in RESHAPING_IN_PLACE:  # x.squeeze_(0): x itself changes shape
            result = self.tensor_method(interp, tensor, name[:-1], args, kwargs, node)
            receiver = node.func.value if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) else None
            if isinstance(receiver, (ast.Name, ast.Attribute)):
                interp.assign_quietly(receiver, result)
            return result
        kind = "numpy.ndarray" if tensor.array else "torch.Tensor"
        rule = lookup(f"{kind}.{name}")
        if rule is None:
            if name not in NON_TENSOR_METHODS:
                self.note_lost(interp, node, f"`{kind.rsplit('.', 1)[1]}.{name}` has no shape rule yet")
            return UNKNOWN
        return self.apply_rule(
            interp,
            rule,
            [tensor] + list(args),
            kwargs,
            node,
            callee=_text(interp, node.func) if isinstance(node, ast.Call) else name,
        )

    def tensor_attribute(self, interp, tensor: TensorV, attr: str, node):
        if attr in OPAQUE_TENSOR_ATTRS:
            return UNKNOWN
        if attr == "grad":
            return tensor
        rule = lookup(f"{'numpy.ndarray' if tensor.array else 'torch.Tensor'}.{attr}")
        if rule is not None and rule.kind == "property":
            return self.apply_rule(interp, rule, [tensor], {}, node, callee=_text(interp, node))
        return TensorMethodV(tensor, attr)

    def tensor_binop(self, interp, op, left, right, node, inplace: bool):
        name = TENSOR_DUNDERS.get(type(op))
        if name is None:
            return UNKNOWN
        if isinstance(left, TensorV) and left.array and isinstance(right, TensorV) and not right.array:
            return self.tensor_method(interp, right, f"__r{name}__", [left], {}, node)  # the tensor's op wins
        if isinstance(left, TensorV):
            if inplace and lookup(f"torch.Tensor.__i{name}__") is not None:
                return self.tensor_method(interp, left, f"__i{name}__", [right], {}, node)
            return self.tensor_method(interp, left, f"__{name}__", [right], {}, node)
        return self.tensor_method(interp, right, f"__r{name}__", [left], {}, node)

    def tensor_compare(self, interp, name: str, left, right, node):
        if isinstance(left, TensorV):
            return self.tensor_method(interp, left, f"__{name}__", [right], {}, node)
        mirrored = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}[name]
        return self.tensor_method(interp, right, f"__{mirrored}__", [left], {}, node)

    def subscript(self, interp, obj, key, node):
        if isinstance(obj, TensorV):
            key = _index_key(key, interp.run.facts)
            if key is UNKNOWN:
                self.note_lost(interp, node, "an index tensor of unknown dtype may be a mask or indices")
                return UNKNOWN
            return self.tensor_method(interp, obj, "__getitem__", [key], {}, node)
        if isinstance(obj, DatasetV):
            return obj.item
        if isinstance(obj, InstanceV):
            getitem = self.analysis.lookup_class_attr(obj.cls, "__getitem__")
            if isinstance(getitem, FuncV):  # dataset[i]
                return self.analysis.call_function(interp, getitem, [key], {}, node, obj)
            return UNKNOWN
        if isinstance(obj, (tuple, ListV)):
            items = obj if isinstance(obj, tuple) else obj.items
            if items is None:
                if isinstance(obj, ListV) and obj.element is not None and as_dim_value(key) is not None:
                    return obj.element  # self.images[i] of a list built by a comprehension
                return UNKNOWN
            if type(key) is int:
                return items[key] if -len(items) <= key < len(items) else UNKNOWN
            if items and as_dim_value(key) is not None and not isinstance(key, bool):
                return join_all(items)  # labels[idx]: whichever item it is, what they all agree on
            if isinstance(key, slice) and all(p is None or type(p) is int for p in (key.start, key.stop, key.step)):
                part = tuple(items[key])
                return part if isinstance(obj, tuple) else ListV(list(part))
            return UNKNOWN
        if isinstance(obj, ContainerV):
            if isinstance(obj.items, list):
                if type(key) is int and -len(obj.items) <= key < len(obj.items):
                    return obj.items[key]
                if isinstance(key, slice) and all(p is None or type(p) is int for p in (key.start, key.stop, key.step)):
                    return ContainerV(obj.kind, obj.items[key], obj.line, obj.text)
            elif isinstance(obj.items, dict) and isinstance(key, str):
                return obj.items.get(key, UNKNOWN)
            elif obj.items is None and obj.element is not None and is_dim(key):
                return obj.element  # self.blocks[i] of n_layer blocks
            return UNKNOWN
        if isinstance(obj, DictV) and obj.items is not None:
            try:
                return obj.items.get(key, UNKNOWN)
            except TypeError:
                return UNKNOWN
        return UNKNOWN

    def unpack_tensor(self, interp, tensor: TensorV, wanted: int):
        shape = tensor.shape
        if not shape.is_fixed or shape.rank == 0:
            return None
        first = shape[0]
        if type(first) is not int:
            if wanted >= 0 and interp.run.facts.unify(first, wanted):
                first = wanted
            else:
                return None
        if first > 64:
            return None
        return [TensorV(Shape(shape.dims[1:]), tensor.origin, array=tensor.array) for _ in range(first)]

    def tensor_element(self, interp, tensor: TensorV):
        shape = tensor.shape
        if shape.is_fixed and shape.rank >= 1:
            return TensorV(Shape(shape.dims[1:]), tensor.origin, array=tensor.array)
        return TensorV(Shape.unknown(), tensor.origin, array=tensor.array)

    # -- builtins -------------------------------------------------------------------------
    def call_builtin(self, interp, name: str, args, kwargs, node):
        handler = getattr(self, f"builtin_{name}", None)
        return handler(interp, args, kwargs, node) if handler else UNKNOWN

    def builtin_len(self, interp, args, kwargs, node):
        value = args[0] if args else UNKNOWN
        if isinstance(value, TensorV):
            return self.tensor_method(interp, value, "__len__", [], {}, node)
        if isinstance(value, (LoaderV, DatasetV)):
            return value.length
        if isinstance(value, InstanceV):
            size = self.analysis.lookup_class_attr(value.cls, "__len__")
            return (
                self.analysis.call_function(interp, size, [], {}, node, value) if isinstance(size, FuncV) else UNKNOWN
            )
        items = interp.iterate(value, node)
        return len(items) if items is not None else UNKNOWN

    def builtin_range(self, interp, args, kwargs, node):
        if args and all(type(a) is int for a in args):
            try:
                return range(*args)
            except (TypeError, ValueError):
                return UNKNOWN
        return UNKNOWN

    def builtin_zip(self, interp, args, kwargs, node):
        lists = [interp.iterate(a, node) for a in args]
        if any(items is None for items in lists):
            return UNKNOWN
        return IterV([tuple(group) for group in zip(*lists)])

    def builtin_enumerate(self, interp, args, kwargs, node):
        items = interp.iterate(args[0], node) if args else None
        start = args[1] if len(args) > 1 else kwargs.get("start", 0)
        if items is None and args and loaders.batches(args[0]) is not None:
            return StreamV((UNKNOWN, loaders.batches(args[0])))  # for step, (x, y) in enumerate(loader)
        if items is None or type(start) is not int:
            return UNKNOWN
        return IterV([(start + i, item) for i, item in enumerate(items)])

    def builtin_reversed(self, interp, args, kwargs, node):
        items = interp.iterate(args[0], node) if args else None
        return IterV(list(reversed(items))) if items is not None else UNKNOWN

    def builtin_sorted(self, interp, args, kwargs, node):
        items = interp.iterate(args[0], node) if args else None
        if items is None or kwargs or not all(isinstance(i, (int, float, str)) for i in items):
            return UNKNOWN
        return ListV(sorted(items))

    def builtin_list(self, interp, args, kwargs, node):
        if not args:
            return ListV([])
        items = interp.iterate(args[0], node)
        return ListV(list(items)) if items is not None else ListV(None)

    def builtin_tuple(self, interp, args, kwargs, node):
        if not args:
            return ()
        items = interp.iterate(args[0], node)
        return tuple(items) if items is not None else UNKNOWN

    def builtin_dict(self, interp, args, kwargs, node):
        return DictV(dict(kwargs)) if not args else UNKNOWN

    def builtin_int(self, interp, args, kwargs, node):
        value = args[0] if args else 0
        dim = as_dim_value(value)
        if dim is not None:
            return dim
        if isinstance(value, float):
            return int(value)
        return UNKNOWN

    def builtin_float(self, interp, args, kwargs, node):
        value = args[0] if args else 0.0
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else UNKNOWN

    def builtin_bool(self, interp, args, kwargs, node):
        truth = interp.truth(args[0]) if args else False
        return UNKNOWN if truth is None else truth

    def _extremum(self, interp, args, node, pick_dims, pick):
        if len(args) == 1:
            items = interp.iterate(args[0], node)
            if items is None:
                return UNKNOWN
            args = items
        dims = [as_dim_value(a) for a in args]
        if args and all(d is not None for d in dims):
            return pick_dims(*dims)
        if args and all(isinstance(a, (int, float)) for a in args):
            return pick(args)
        return UNKNOWN

    def builtin_max(self, interp, args, kwargs, node):
        return self._extremum(interp, args, node, dmax, max)

    def builtin_min(self, interp, args, kwargs, node):
        return self._extremum(interp, args, node, dmin, min)

    def builtin_abs(self, interp, args, kwargs, node):
        value = args[0] if args else UNKNOWN
        if isinstance(value, TensorV):
            return self.tensor_method(interp, value, "__abs__", [], {}, node)
        return abs(value) if isinstance(value, (int, float)) else UNKNOWN

    def builtin_sum(self, interp, args, kwargs, node):
        items = interp.iterate(args[0], node) if args else None
        if items is None:
            return UNKNOWN
        total = args[1] if len(args) > 1 else 0
        for item in items:
            total = interp.binop(ast.Add(), total, item, node)
        return total

    def builtin_isinstance(self, interp, args, kwargs, node):
        """Decided whenever the value's kind is known: ``v if isinstance(v, tuple) else (v, v)``."""
        if len(args) != 2:
            return UNKNOWN
        obj, kind = args
        verdicts = [self._is_instance(obj, k) for k in (kind if isinstance(kind, tuple) else (kind,))]
        if any(v is True for v in verdicts):
            return True
        if verdicts and all(v is False for v in verdicts):
            return False
        return UNKNOWN

    def _is_instance(self, obj, kind):
        what = python_kind(obj)
        if what is None:
            return UNKNOWN
        if isinstance(kind, BuiltinV) and kind.name in PYTHON_KINDS:
            return what in PYTHON_KINDS[kind.name]
        if isinstance(kind, TorchRef) and kind.qualname == "torch.Tensor":
            return what == "tensor"
        if isinstance(kind, ClassV):
            if isinstance(obj, InstanceV):
                return self.analysis.is_subclass(obj.cls, kind)
            return False if what != "object" or isinstance(obj, (LayerV, ContainerV)) else UNKNOWN
        if isinstance(kind, TorchRef) and kind.qualname.startswith("torch.nn."):
            if isinstance(obj, LayerV):
                return obj.layer.rule.name == kind.qualname or kind.qualname == "torch.nn.Module"
            if isinstance(obj, InstanceV):
                return UNKNOWN if not obj.cls.is_module else (True if kind.qualname == "torch.nn.Module" else UNKNOWN)
            return False if what != "object" else UNKNOWN
        return UNKNOWN

    def builtin_str(self, interp, args, kwargs, node):
        if len(args) == 1 and not kwargs and isinstance(args[0], (int, float, str, bool)):
            return str(args[0])
        return UNKNOWN

    def builtin_next(self, interp, args, kwargs, node):
        """The first item of an iterator with known items, or the one item of a homogeneous one."""
        if not args:
            return UNKNOWN
        value = args[0]
        if isinstance(value, (ListV, IterV)) and value.items:
            return value.items[0]
        if isinstance(value, ListV) and value.items is None and value.element is not None:
            return value.element
        if isinstance(value, StreamV):  # next(iter(loader)): one batch
            return value.item()
        return UNKNOWN

    def builtin_iter(self, interp, args, kwargs, node):
        if len(args) == 1 and loaders.batches(args[0]) is not None:
            return StreamV(loaders.batches(args[0]))
        return args[0] if len(args) == 1 and isinstance(args[0], (ListV, IterV, tuple)) else UNKNOWN

    def builtin_super(self, interp, args, kwargs, node):
        if interp.owner is None:
            return UNKNOWN
        return SuperV(interp.owner, interp.env.get(interp.self_name, UNKNOWN))

    def builtin_getattr(self, interp, args, kwargs, node):
        if len(args) >= 2 and isinstance(args[1], str):
            value = interp.attribute(args[0], args[1], node)
            if value is UNKNOWN and len(args) == 3:
                return args[2]
            return value
        return UNKNOWN

    def builtin_setattr(self, interp, args, kwargs, node):
        if len(args) == 3 and isinstance(args[0], InstanceV) and isinstance(args[1], str):
            self.analysis.changing(args[0])
            args[0].attrs[args[1]] = args[2]
        return None

    def builtin_print(self, interp, args, kwargs, node):
        return None

    def builtin_map(self, interp, args, kwargs, node):
        if len(args) < 2:
            return UNKNOWN
        lists = [interp.iterate(a, node) for a in args[1:]]
        if any(items is None for items in lists):
            return UNKNOWN
        return IterV([self.call(interp, args[0], list(group), {}, node) for group in zip(*lists)])

    def call_builtin_method(self, interp, method: BuiltinMethodV, args, kwargs, node):
        obj, name = method.obj, method.name
        if name in MODULE_SELF_METHODS and isinstance(obj, (InstanceV, LayerV, ContainerV)):
            return obj  # model = model.to(device).eval()
        if name in MODULE_TENSOR_LISTS and isinstance(obj, (InstanceV, LayerV, ContainerV)):
            # next(self.parameters()) for a device or dtype; weight.new_zeros(...) for a state
            return ListV(None, element=TensorV(Shape.unknown(), dtype="float"))
        if isinstance(obj, InstanceV) or name not in READING_METHODS:
            self.analysis.changing(obj)
        if isinstance(obj, InstanceV):  # register_buffer, register_parameter, add_module
            if len(args) >= 2 and isinstance(args[0], str):
                obj.attrs[args[0]] = args[1]
            return None
        items = obj.items
        if isinstance(items, list):
            if name in ("reverse", "clear") and not args:
                getattr(items, name)()
                return None
            if name == "index" and len(args) == 1 and is_plain(args[0]) and all(is_plain(i) for i in items):
                return items.index(args[0]) if args[0] in items else UNKNOWN
            if name == "copy" and not args:
                return ListV(list(items))
            if name == "append" and len(args) == 1:
                items.append(args[0])
                return None
            if name == "extend" and len(args) == 1:
                extra = interp.iterate(args[0], node)
                if extra is None:
                    obj.items = None
                else:
                    items.extend(extra)
                return None
            if name == "insert" and len(args) == 2 and type(args[0]) is int:
                items.insert(args[0], args[1])
                return None
            if name == "pop":
                return items.pop(args[0] if args else -1) if items else UNKNOWN
            if name in ("add_module", "register_module") and len(args) == 2:
                items.append(args[1])
                return None
        if isinstance(items, dict):
            if name == "items":
                return IterV(list(items.items()))
            if name == "keys":
                return IterV(list(items))
            if name == "values":
                return IterV(list(items.values()))
            if name == "get" and args:
                return items.get(args[0], args[1] if len(args) > 1 else None)
            if name in ("update",) and args and isinstance(args[0], DictV) and args[0].items is not None:
                items.update(args[0].items)
                return None
            if name in ("add_module", "register_module") and len(args) == 2 and isinstance(args[0], str):
                items[args[0]] = args[1]
                return None
        if name not in READING_METHODS:  # sort, remove, popitem, ...: what it holds is no longer known
            obj.items = None
        return UNKNOWN

    # -- notes ----------------------------------------------------------------------------
    def lost_if_tensors(self, interp, node, args, kwargs, reason: str) -> None:
        """Say where inference is lost, but only where a known tensor went in."""
        if _tensors(args, kwargs) and not _has_unknown(args, kwargs):
            self.note_lost(interp, node, reason)

    def note_lost(self, interp, node, reason: str) -> None:
        interp.run.add(explain.lost_note(interp, node, reason))


def _flags_unknown(rule, args, kwargs) -> tuple:
    """Constructor arguments as rule values; a path given to a flag (``bidirectional=
    config.birnn``, ``bias=config.bias``) is unknown: as a symbol it would read as True."""
    params = rule.init_params

    def value(name, given):
        flag = name is not None and type(rule.init_default(name)) is bool
        return UNKNOWN if flag and isinstance(given, OpaqueV) else to_rule(given)

    return (
        [value(params[i] if i < len(params) else None, a) for i, a in enumerate(args)],
        {k: value(k, v) for k, v in kwargs.items()},
    )


def _unknown_unless_sizes(rule, args, kwargs) -> dict:
    """Constructor arguments by name, a path (``config.dropout``, ``config.bias``) given to a
    parameter that is not a size made unknown: only the checks that read it are left open."""
    out = {}
    for name, value in rule.bind_init(args, kwargs).items():
        out[name] = UNKNOWN if isinstance(value, OpaqueV) and not _is_size_param(rule, name) else to_rule(value)
    return out


def _is_size_param(rule, name: str) -> bool:
    """A constructor parameter that holds a size: required, or an int by default (a flag, a rate or
    a mode has a default of another type)."""
    default = rule.init_default(name)
    return default is inspect.Parameter.empty or type(default) is int


def _copied(value):
    """``copy.deepcopy(layer)``: layers and tensors are values here; an instance gets its own attributes."""
    if isinstance(value, InstanceV):
        return InstanceV(
            value.cls, dict(value.attrs), value.line, value.text, value.arguments, value.changed_at, base=value.base
        )
    if isinstance(value, ListV):
        return ListV(list(value.items) if value.items is not None else None)
    if isinstance(value, DictV):
        return DictV(dict(value.items) if value.items is not None else None)
    return value


def _met_by_usual_sizes(cond, defaults: dict) -> bool:
    """Does a condition on unknown sizes hold for sizes real code uses (the parameters' defaults,
    all 64, or 32, 64, 96...)?

    Such a condition (``H + 2*padding >= kernel_size``, ``dim % n_head == 0``, ``inp == oup`` under
    ``if stride == 1 and inp == oup``, ``784 == input_dim`` where 784 is its default) is a
    requirement shown with the input, not a warning: only one that no usual sizes meet (``H*W ==
    49``) is a real reason for doubt."""
    names = sorted(cond.symbols())
    unless_passed = {n: defaults.get(n) or 64 for n in names}
    for values in (unless_passed, {n: 64 for n in names}, {n: 32 * (i + 1) for i, n in enumerate(names)}):
        try:
            if cond.holds_for(values):
                return True
        except (ZeroDivisionError, TypeError, KeyError):
            continue
    return False


# The number of True elements of each mask the analysis has indexed with: one symbol per mask, so
# that ``pred[mask] - target[mask]`` select as many.
MASK_COUNTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _mask_count(mask: TensorV, facts):
    if mask not in MASK_COUNTS:
        text = mask.origin.text if mask.origin is not None and mask.origin.text else "the mask"
        MASK_COUNTS[mask] = facts.count("nnz", f"the number of True in {text}")
    return MASK_COUNTS[mask]


def _index_key(key, facts):
    """Index tensors as the indexing rule needs them: bool ones as masks; unknown dtype: UNKNOWN."""
    from ..rules.indexing import Mask

    def convert(part):
        if isinstance(part, TensorV):
            if part.dtype == "bool":
                return Mask(part.shape, _mask_count(part, facts))
            if part.dtype == "int":
                return part
            raise LookupError
        return part

    try:
        if isinstance(key, tuple):
            return tuple(convert(p) for p in key)
        return convert(key)
    except LookupError:
        return UNKNOWN


# Ops whose first argument is data (its nesting is the shape): a value known only by its path
# there may be a number, a list or an array, so it is no size symbol.
DATA_TAKING = {
    "torch.tensor",
    "torch.as_tensor",
    "numpy.array",
    "numpy.asarray",
    "numpy.asanyarray",
    "numpy.copy",
    "numpy.ascontiguousarray",
    "torch.Tensor",
    "torch.FloatTensor",
    "torch.DoubleTensor",
    "torch.HalfTensor",
    "torch.BFloat16Tensor",
    "torch.LongTensor",
    "torch.IntTensor",
    "torch.ShortTensor",
    "torch.CharTensor",
    "torch.ByteTensor",
    "torch.BoolTensor",
}


def _holds_a_path(value) -> bool:
    if isinstance(value, OpaqueV):
        return True
    if isinstance(value, (tuple, list)):
        return any(_holds_a_path(v) for v in value)
    if isinstance(value, ListV) and value.items is not None:
        return any(_holds_a_path(v) for v in value.items)
    return False


def _named_unknowns(layer, callee: str):
    """A layer's constructor arguments with each unknown size a symbol named after the layer's
    attribute (``w1.out_features`` for ``self.w1 = nn.Linear(dim, hidden_dim)`` where
    ``hidden_dim = int(2 * hidden_dim / 3)``): the size the layer really has, one per instance.
    None where no size is unknown or the layer has no name of its own (``self.net[2]``); a flag,
    a rate or a mode stays unknown."""
    path = callee.removeprefix("self.")
    unknown = [name for name, value in layer.ctor.items() if value is UNKNOWN and _is_size_param(layer.rule, name)]
    if not unknown or not all(part.isidentifier() for part in path.split(".")):
        return None
    return {name: sym(f"{path}.{name}") if name in unknown else value for name, value in layer.ctor.items()}


def to_rule(value):
    """The value a rule sees: shapes for tensors, symbols for code paths, Layers for layers."""
    if isinstance(value, TensorV):
        return value.shape
    if isinstance(value, OpaqueV):
        return value.as_dim()
    if isinstance(value, tuple):
        return tuple(to_rule(v) for v in value)
    if isinstance(value, ListV):
        return [to_rule(v) for v in value.items] if value.items is not None else UNKNOWN
    if isinstance(value, LayerV):
        return value.layer
    if isinstance(value, slice):
        return slice(to_rule(value.start), to_rule(value.stop), to_rule(value.step))
    if isinstance(value, (int, float, str, bool)) or value is None or value is Ellipsis or is_dim(value):
        return value
    if type(value).__name__ == "Mask":
        return value
    if value is SCALAR:
        return 1.0  # any number: only the shape of a tensor-scalar op matters
    return UNKNOWN


def _as_arrays(value) -> None:
    """A numpy rule's results are arrays (their methods are numpy's)."""
    if isinstance(value, TensorV):
        value.array = True
    elif isinstance(value, tuple):
        for item in value:
            _as_arrays(item)


def from_rule(result, origin: Origin):
    if isinstance(result, Shape):
        return TensorV(result, origin)
    if isinstance(result, (tuple, list)):
        return tuple(from_rule(r, origin) for r in result)
    return result


def _shape_value(value):
    if isinstance(value, TensorV):
        return value.shape
    if isinstance(value, tuple) and any(isinstance(v, TensorV) for v in value):
        return tuple(_shape_value(v) for v in value)
    return None


def _tensors(args, kwargs) -> tuple:
    found = []
    for v in list(args) + list(kwargs.values()):
        if isinstance(v, TensorV):
            found.append(v)
        elif isinstance(v, tuple):
            found.extend(x for x in v if isinstance(x, TensorV))
        elif isinstance(v, ListV) and v.items:
            found.extend(x for x in v.items if isinstance(x, TensorV))
    return tuple(found)


def _has_unknown(args, kwargs) -> bool:
    for v in list(args) + list(kwargs.values()):
        if v is UNKNOWN:
            return True
        if isinstance(v, TensorV) and v.shape.is_unknown:
            return True
        if isinstance(v, tuple) and any(x is UNKNOWN for x in v):
            return True
    return False


def _items(value) -> Optional[list]:
    """The modules a ModuleList is given, or None where they cannot be listed (never: none)."""
    if isinstance(value, ListV):
        return list(value.items) if value.items is not None else None
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, ContainerV) and isinstance(value.items, list):
        return list(value.items)
    if isinstance(value, IterV):
        return list(value.items)
    return None


def _ctor_arg_nodes(rule, node: ast.Call) -> dict:
    names = rule.init_params
    nodes: dict = {}
    for i, arg in enumerate(node.args):
        if isinstance(arg, ast.Starred):
            break
        if i < len(names):
            nodes[names[i]] = arg
    for kw in node.keywords:
        if kw.arg:
            nodes[kw.arg] = kw.value
    return nodes


def _text(interp, node) -> str:
    return interp.module.source.segment(node)


def _callee_text(interp, node) -> str:
    return _text(interp, node.func) if isinstance(node, ast.Call) else _text(interp, node)

"""The table of shape rules: one small function per torch op, found by its qualified name.

A rule's Python signature *is* the op's signature, so binding positional and keyword arguments
needs no other table:

- ``@op("torch.cat", "torch.concat")``: a function or tensor method. Parameters after ``ctx``
  are the op's, with torch's names and defaults. A tensor method is the same function with
  ``self`` bound to the first parameter (``@op("torch.flatten", "torch.Tensor.flatten")``).
- ``@layer("torch.nn.Conv2d", init=check)``: an ``nn.Module``. Positional parameters after
  ``ctx`` are ``forward``'s; keyword-only parameters are the constructor's, in its order.
  ``init(ctx, **ctor)`` validates construction (torch raises there, so do we).
- ``@op("torch.Tensor.T", kind="property")``: an attribute read.
- ``dtype=``: the result's dtype, as torch's meta functions compute it beside the shape: ``BOOL``
  (``torch.eq``), ``INT`` (``argmax``), ``FLOAT``, ``same`` (the input's: views, copies, in-place
  fills), ``promoted`` (torch's type promotion of the operands), ``values_and_indices``
  (``topk``: the input's, then ``INT``), or any function of the arguments with tensors seen as
  :class:`TensorArg`. Without it the dtype is not known. A dtype given to the op
  (``dtype=torch.long``, ``x.to(torch.bool)``) wins. tests/rules prove each statement against
  torch on float, int and bool inputs, as the shapes.
- ``@op("torch.topk", fields=("values", "indices"))``: an op whose tuple result is torch's named
  tuple; code reads it by field (``x.topk(3).indices``) as well as by position.

Tensor arguments arrive as :class:`~shapelens.dims.Shape`, sizes as dims (``int`` or symbolic),
everything else as the Python value or :data:`~shapelens.dims.UNKNOWN`. A rule returns a
``Shape``, a tuple of results, a dim, or raises ``ShapeError`` / ``Lost``.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Optional, Union

REGISTRY: dict = {}  # every name (canonical or alias) -> Rule

# -- dtypes -------------------------------------------------------------------------------------
# A dtype is known by its kind, which is what the analysis needs (a bool index is a mask, an int
# one selects): "bool", "int" or "float"; None when it is not known.
BOOL, INT, FLOAT = "bool", "int", "float"
DTYPE_KINDS = {
    "torch.bool": BOOL,
    "torch.long": INT,
    "torch.int64": INT,
    "torch.int32": INT,
    "torch.int": INT,
    "torch.int16": INT,
    "torch.int8": INT,
    "torch.uint8": INT,
    "torch.short": INT,
    "torch.float": FLOAT,
    "torch.float32": FLOAT,
    "torch.float64": FLOAT,
    "torch.double": FLOAT,
    "torch.float16": FLOAT,
    "torch.half": FLOAT,
    "torch.bfloat16": FLOAT,
    "numpy.bool_": BOOL,
    "numpy.int64": INT,
    "numpy.int32": INT,
    "numpy.uint8": INT,
    "numpy.float32": FLOAT,
    "numpy.float64": FLOAT,
    "numpy.float16": FLOAT,
}


@dataclass(frozen=True)
class TensorArg:
    """A tensor argument as a dtype statement sees it: its dtype's kind, None if not known."""

    dtype: Optional[str] = None


@dataclass(frozen=True)
class DtypeArg:
    """A torch dtype given as an argument (``torch.long``): its kind."""

    kind: str


def same(args: tuple, kwargs: dict) -> Optional[str]:
    """The dtype of the tensor the op is applied to (its first argument)."""
    first = args[0] if args else None
    return first.dtype if isinstance(first, TensorArg) else None


def promoted(args: tuple, kwargs: dict) -> Optional[str]:
    """torch's type promotion of the operands, by kind: the highest of bool < int < float among the
    tensors and the Python numbers (``bool_mask.clamp_min(2)`` is int64); None if one is unknown."""
    kinds = []
    for value in (*args, *kwargs.values()):
        if isinstance(value, TensorArg):
            kinds.append(value.dtype)
        elif isinstance(value, (bool, int, float)):
            kinds.append(BOOL if isinstance(value, bool) else INT if isinstance(value, int) else FLOAT)
        elif value is not None:
            return None
    if not kinds or None in kinds:
        return None
    return max(kinds, key=(BOOL, INT, FLOAT).index)


def data_dtype(args: tuple, kwargs: dict) -> Optional[str]:
    """``torch.tensor(data)``, ``np.array(data)``: a tensor's own dtype; data of bools gives bool, of
    ints int64 (floats and mixes are not followed)."""
    if not args:
        return None
    return args[0].dtype if isinstance(args[0], TensorArg) else _literal_kind(args[0])


def _literal_kind(value) -> Optional[str]:
    if isinstance(value, (list, tuple)):
        kinds = {_literal_kind(v) for v in value}
        return kinds.pop() if len(kinds) == 1 else None
    return BOOL if isinstance(value, bool) else INT if type(value) is int else None


def range_dtype(args: tuple, kwargs: dict) -> Optional[str]:
    """``arange``: int64 when every bound given is an int (the other cases are not followed)."""
    return INT if all(type(a) is int for a in args if not isinstance(a, DtypeArg)) else None


def values_and_indices(args: tuple, kwargs: dict) -> tuple:
    """``(values, indices)``: the input's dtype, then int64 (``topk``, ``sort``, ``max(dim)``)."""
    return same(args, kwargs), INT


Dtype = Union[None, str, Callable[[tuple, dict], object]]


@dataclass
class Rule:
    name: str
    fn: Callable
    kind: str  # "function" | "method" | "layer" | "property"
    aliases: tuple = ()
    init: Optional[Callable] = None
    dtype: Dtype = None  # the result's dtype: a kind, or a function of the arguments (see above)
    fields: tuple = ()  # the field names of a named-tuple result (torch.return_types), in order
    _forward_sig: Optional[inspect.Signature] = field(default=None, repr=False)
    _init_sig: Optional[inspect.Signature] = field(default=None, repr=False)

    @property
    def family(self) -> str:
        return self.fn.__module__.rsplit(".", 1)[-1]

    @cached_property
    def summary(self) -> str:
        """The docstring's first line; read once, as every applied rule's call fact carries it."""
        return (inspect.getdoc(self.fn) or "").split("\n", 1)[0]

    def _signatures(self):
        if self._forward_sig is None:
            params = list(inspect.signature(self.fn).parameters.values())[1:]  # drop ctx
            forward = [p for p in params if p.kind not in (p.KEYWORD_ONLY, p.VAR_KEYWORD)]
            ctor = [p.replace(kind=p.POSITIONAL_OR_KEYWORD) for p in params if p.kind is p.KEYWORD_ONLY]
            if any(p.kind is p.VAR_KEYWORD for p in params):  # a layer that ignores its arguments
                ctor += [
                    inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL),
                    inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD),
                ]
            self._forward_sig = inspect.Signature(forward)
            self._init_sig = inspect.Signature(ctor)
        return self._forward_sig, self._init_sig

    @property
    def init_params(self) -> list:
        """The constructor's parameter names, in order (layers only)."""
        return list(self._signatures()[1].parameters)

    def init_default(self, name: str):
        """The constructor parameter's default (``inspect.Parameter.empty`` if it has none)."""
        param = self._signatures()[1].parameters.get(name)
        return param.default if param is not None else inspect.Parameter.empty

    @property
    def forward_params(self) -> list:
        return list(self._signatures()[0].parameters)

    def bind_init(self, args=(), kwargs=None) -> dict:
        """Constructor arguments by name, defaults filled; ``TypeError`` as Python would raise."""
        bound = self._signatures()[1].bind(*args, **(kwargs or {}))
        bound.apply_defaults()
        return dict(bound.arguments)

    def build(self, ctx, args=(), kwargs=None) -> dict:
        """Bind and validate a layer's constructor call."""
        ctor = self.bind_init(args, kwargs)
        if self.init is not None:
            self.init(ctx, **ctor)
        return ctor

    def forward(self, ctx, ctor: dict, args=(), kwargs=None):
        """A built layer (``ctor`` from :meth:`build`) applied to its inputs."""
        return self.fn(ctx, *args, **(kwargs or {}), **ctor)

    def apply(self, ctx, args=(), kwargs=None):
        """A function, method or property applied to its arguments."""
        return self.fn(ctx, *args, **(kwargs or {}))

    def result_dtype(self, args=(), kwargs=None):
        """The dtype of the result (a kind, or one per element of a tuple result; None: not known),
        from the arguments with tensors as :class:`TensorArg` and torch dtypes as :class:`DtypeArg`."""
        kwargs = kwargs or {}
        for value in (kwargs.get("dtype"), *args):
            if isinstance(value, DtypeArg):
                return value.kind
        if self.dtype is None or isinstance(self.dtype, str):
            return self.dtype
        return self.dtype(tuple(args), kwargs)


def _register(names: tuple, kind: str, init: Optional[Callable] = None, fields: tuple = (), dtype: Dtype = None):
    def decorate(fn: Callable) -> Callable:
        for name in names:
            rule_kind = kind
            if kind == "function" and name.startswith(("torch.Tensor.", "numpy.ndarray.")):
                rule_kind = "method"
            if name in REGISTRY:
                raise ValueError(f"rule {name} registered twice")
            REGISTRY[name] = Rule(name, fn, rule_kind, tuple(n for n in names if n != name), init, dtype, tuple(fields))
        return fn

    return decorate


def op(*names: str, kind: str = "function", fields: tuple = (), dtype: Dtype = None):
    """Register a function/method/property rule under one or more qualified names; ``fields``
    names the items of a named-tuple result."""
    return _register(names, kind, fields=fields, dtype=dtype)


def layer(*names: str, init: Optional[Callable] = None, dtype: Dtype = None):
    """Register an ``nn.Module`` rule (forward params positional, constructor keyword-only)."""
    return _register(names, "layer", init, dtype=dtype)


def lookup(name: str) -> Optional[Rule]:
    from . import load_all

    load_all()
    return REGISTRY.get(name)


def all_rules() -> dict:
    from . import load_all

    load_all()
    return REGISTRY


class Layer:
    """A layer instance the analysis built: its rule and bound constructor arguments.

    Layers passed to other layers (``TransformerEncoder(layer, 6)``, ``Sequential(a, b)``) are
    values of this kind, or any object with the same ``__call__`` (the analyzer's user modules).
    """

    __slots__ = ("rule", "ctor")

    def __init__(self, rule: Rule, ctor: dict):
        self.rule, self.ctor = rule, ctor

    def __call__(self, ctx, *inputs, **kwargs):
        return self.rule.forward(ctx, self.ctor, inputs, kwargs)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.ctor.items())
        return f"{self.rule.name.rsplit('.', 1)[-1]}({args})"


def build_layer(name: str, ctx, *args, **kwargs) -> Layer:
    """Build the layer ``name`` from constructor arguments (validated as torch does)."""
    rule = _must(name)
    return Layer(rule, rule.build(ctx, args, kwargs))


def apply_op(name: str, ctx, *args, **kwargs):
    """Apply the function/method/property rule ``name``."""
    return _must(name).apply(ctx, args, kwargs)


def apply_layer(name: str, ctx, ctor_args=(), ctor_kwargs=None, *inputs, **forward_kwargs):
    """Build the layer ``name`` and apply it to ``inputs``."""
    rule = _must(name)
    ctor = rule.build(ctx, ctor_args, ctor_kwargs)
    return rule.forward(ctx, ctor, inputs, forward_kwargs)


def _must(name: str) -> Rule:
    rule = lookup(name)
    if rule is None:
        raise KeyError(f"no shape rule for {name}")
    return rule

"""Abstract values the interpreter computes with.

Python constants stay Python values (``int``, ``float``, ``str``, ``bool``, ``None``, tuples);
sizes are dims (``int`` or symbolic :class:`~shapelens.dims.Expr`). Everything else is one of
the classes here. :data:`UNKNOWN` is a value nobody knows: it flows through the interpreter and
makes any rule that touches it lose inference, so nothing downstream is guessed.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass, field
from typing import Any, Optional

from ..dims import UNKNOWN, Shape, sym, symbol_name
from ..rules import Layer

__all__ = [
    "SCALAR",
    "UNKNOWN",
    "Origin",
    "TensorV",
    "LayerV",
    "ContainerV",
    "InstanceV",
    "ClassV",
    "FuncV",
    "BoundMethodV",
    "BaseInitV",
    "ChoiceV",
    "CondV",
    "TorchRef",
    "TensorMethodV",
    "OpaqueV",
    "ListV",
    "DictV",
    "SuperV",
    "Record",
    "DatasetV",
    "LoaderV",
    "StreamV",
    "Deferred",
    "assumed",
    "is_unknown",
]


class _Scalar:
    """A Python number whose value is not known (``math.sqrt(d)``, ``loss.item()``).

    Its shape is known (it has none): a tensor times it keeps the tensor's shape.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "SCALAR"


SCALAR = _Scalar()

# Values that code can change after they are made carry a serial from this clock: a resumed
# analysis (see :mod:`.checkpoints`) tells by it whether a change hit a value made before a point.
next_serial = itertools.count().__next__


def _serial():
    return field(default_factory=next_serial, init=False, repr=False, compare=False)


def is_unknown(value) -> bool:
    return value is UNKNOWN


@dataclass(eq=False)
class Origin:
    """Where a tensor's shape came from: the expression, its line, and the shapes it was made of."""

    text: str  # the source expression, e.g. "x.view(x.size(0), -1)"
    line: int  # 1-based
    inputs: tuple = ()  # TensorV operands
    layer: Optional["LayerV"] = None  # the layer that produced it, if one did
    note: str = ""  # e.g. the layer rule "Conv2d(3->16, k=3)"
    file: str = ""


@dataclass(eq=False)
class TensorV:
    shape: Shape
    origin: Optional[Origin] = None
    dtype: Optional[str] = None  # "bool" | "int" | "float" when known: bool indices are masks
    array: bool = False  # a numpy array: its methods and operators are numpy's (rules named numpy.ndarray.*)

    def __repr__(self) -> str:
        return f"Tensor{self.shape}"


@dataclass(eq=False)
class LayerV:
    """A built torch layer: the rule's layer plus the constructor call it came from."""

    layer: Layer
    call: Optional[ast.Call] = None  # the constructor call, for fixes
    line: int = 0
    text: str = ""
    file: str = ""
    arg_nodes: dict = field(default_factory=dict)  # constructor parameter name -> ast node

    @property
    def name(self) -> str:
        return self.layer.rule.name.rsplit(".", 1)[-1]


@dataclass(eq=False)
class ContainerV:
    """nn.Sequential / nn.ModuleList / nn.ModuleDict (``items`` a list, or a dict for ModuleDict)."""

    kind: str  # "Sequential" | "ModuleList" | "ModuleDict"
    items: Any
    line: int = 0
    text: str = ""
    serial: int = _serial()
    element: Any = None  # what every item is, where their number is not known (n_layer blocks)


@dataclass(eq=False)
class ClassV:
    node: ast.ClassDef
    module: Any  # the ModuleScope it was defined in
    bases: tuple = ()
    is_module: bool = False  # an nn.Module subclass
    attrs: dict = field(default_factory=dict)  # class-level assignments and methods
    dataclass: bool = False
    fields: list = field(default_factory=list)  # annotated class-level names, in order
    default: Optional["InstanceV"] = None  # the instance symbolic runs of its methods use

    @property
    def name(self) -> str:
        return self.node.name


@dataclass(eq=False)
class InstanceV:
    cls: ClassV
    attrs: dict = field(default_factory=dict)
    line: int = 0
    text: str = ""
    arguments: Optional[tuple] = None  # (args, kwargs) it was built with; None for the default instance
    changed_at: int = 0  # a line that sets an attribute from outside its methods (``model.fc = ...``)
    serial: int = _serial()
    base: Optional["LayerV"] = None  # the torch layer its class extends (``class Norm(nn.LayerNorm)``), as built


@dataclass(eq=False)
class FuncV:
    node: Any  # ast.FunctionDef | ast.Lambda
    module: Any
    defaults: dict = field(default_factory=dict)  # parameter name -> default value
    closure: Optional[dict] = None
    owner: Optional[ClassV] = None

    @property
    def name(self) -> str:
        return getattr(self.node, "name", "<lambda>")


@dataclass(eq=False)
class BoundMethodV:
    func: FuncV
    self_value: Any


@dataclass(eq=False)
class CondV:
    """A truth value that depends on sizes nobody knows (``stride != 1 or in_planes != planes``).

    ``test`` is ("cmp", ast operator type, left dim, right dim), ("and" | "or", parts) or
    ("not", part): what each branch of an ``if`` on it may assume (see :func:`assumed`)."""

    test: tuple


@dataclass(eq=False)
class ChoiceV:
    """One of several values, each where its branch's equalities hold: a shortcut that is an
    identity where ``stride == 1 and in_planes == planes``, else a strided conv."""

    options: tuple  # ((substitution {symbol name: dim}, value), ...)


def assumed(test: tuple, truth: bool) -> dict:
    """The equalities a branch may use: ``in_planes == planes`` inside ``if in_planes == planes:``
    and in the ``else`` of ``if stride != 1 or in_planes != planes:``, as symbol -> dim."""
    kind = test[0]
    if kind == "not":
        return assumed(test[1], not truth)
    if kind == "cmp":
        _, op, a, b = test
        if (op is ast.Eq) == truth and op in (ast.Eq, ast.NotEq):
            return _equality(a, b)
        return {}
    if (kind == "and") == truth:
        out: dict = {}
        for part in test[1]:
            out.update(assumed(part, truth))
        return out
    return {}


def _equality(a, b) -> dict:
    for x, y in ((a, b), (b, a)):
        if symbol_name(x) is not None:
            return {symbol_name(x): y}
    return {}


@dataclass(eq=False)
class BaseInitV:
    """``super().__init__`` of a class that extends a torch layer: calling it builds the layer."""

    rule: Any
    instance: Any


@dataclass(eq=False)
class SuperV:
    cls: ClassV
    self_value: Any


class Record(tuple):
    """A named-tuple result (torch's ``return_types``: ``x.max(1)``, ``torch.linalg.svd(A)``): its
    items by position and unpacking, as any tuple, and by field name (``.values``, ``.Vh``)."""

    def __new__(cls, items, fields: tuple):
        record = super().__new__(cls, items)
        record.fields = tuple(fields)
        return record

    def field(self, name: str):
        return self[self.fields.index(name)] if name in self.fields else UNKNOWN


@dataclass(frozen=True)
class TorchRef:
    """A name in torch/einops (``torch.nn.Conv2d``, ``torch.cat``) not yet called."""

    qualname: str


@dataclass(eq=False)
class TensorMethodV:
    tensor: TensorV
    name: str


@dataclass(frozen=True)
class OpaqueV:
    """A value known only by its path in the code (``config``, ``config.n_embd``).

    Used as a size it is the symbol of that name; its attributes are deeper paths.
    """

    path: str

    def as_dim(self):
        return sym(self.path)


@dataclass(eq=False)
class ListV:
    """A mutable list (``layers = []; layers.append(...)``); ``None`` items when unknown length."""

    items: Optional[list]
    serial: int = _serial()
    element: Any = None  # what every item is, where their number is not known (a comprehension over range(n))


@dataclass(eq=False)
class DictV:
    items: Optional[dict]
    serial: int = _serial()


@dataclass(eq=False)
class DatasetV:
    """A map-style dataset whose items are known without a class of the workspace behind them
    (``TensorDataset(a, b)``: item ``(a[i], b[i])``; a ``Subset`` of another). ``item`` is what
    ``dataset[i]`` gives, ``length`` what ``len(dataset)`` gives; either UNKNOWN."""

    item: Any
    length: Any = UNKNOWN
    text: str = ""


@dataclass(eq=False)
class StreamV:
    """An iterable of unknown length whose every item is ``element``: ``enumerate(loader)``,
    ``iter(loader)``. ``why``: where ``element`` is UNKNOWN, the reason."""

    element: Any
    why: str = ""

    def item(self):
        """One item, with lists and dicts of its own: a loop body that pops from its batch
        changes neither the next batch nor the loader's."""
        return fresh_containers(self.element)


@dataclass(eq=False)
class LoaderV(StreamV):
    """A ``DataLoader``: every item is one collated batch (``element``, a fresh copy per use).
    ``attrs``: what ``loader.dataset``, ``loader.batch_size``, ``loader.drop_last`` read."""

    length: Any = UNKNOWN  # len(loader): the number of batches
    attrs: dict = field(default_factory=dict)
    text: str = ""


def fresh_containers(value):
    """``value`` with every list and dict in it copied (tuples rebuilt around the copies)."""
    if isinstance(value, ListV) and value.items is not None:
        return ListV([fresh_containers(v) for v in value.items])
    if isinstance(value, DictV) and value.items is not None:
        return DictV({k: fresh_containers(v) for k, v in value.items.items()})
    if isinstance(value, tuple) and not isinstance(value, Record):
        return tuple(fresh_containers(v) for v in value)
    return value


class Deferred:
    """What an import statement of an installed module binds, loaded when first read: a library
    file imports far more than the one class the workspace uses from it."""

    __slots__ = ("load",)

    def __init__(self, load):
        self.load = load  # () -> the value


def settled(value):
    """``value``, or what a :class:`Deferred` one turns out to be."""
    return value.load() if isinstance(value, Deferred) else value

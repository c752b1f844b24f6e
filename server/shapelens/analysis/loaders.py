"""Datasets and DataLoaders: what ``for x, y in loader:`` binds in a training or evaluation loop.

A ``DataLoader`` draws indices, calls its dataset's ``__getitem__`` with each and collates the
samples as torch's ``default_collate`` does: tensors stacked along a new first dim, numbers into a
``[B]`` tensor, tuples and lists item by item (as a list), dicts key by key. The dataset is a class
of the workspace (its ``__getitem__`` and ``__len__`` run here, called as the loader calls them) or
a ``TensorDataset``/``Subset``/``random_split`` of known tensors.

The batch dim is the batch size only where every batch has it: ``drop_last=True``, a batch size
of 1, or a known length that the batch size divides. Elsewhere the last batch may be smaller, so
it is a fresh size (``B``) whose hover says so; never a guessed number. A loader nobody can see
into (a parameter, a dataset from a package) gives batches that are unknown, with the reason.
"""

from __future__ import annotations

import ast

from ..dims import Shape, dim_text, is_dim, sym, symbol_name

from .values import (
    SCALAR,
    UNKNOWN,
    DatasetV,
    DictV,
    FuncV,
    InstanceV,
    ListV,
    LoaderV,
    OpaqueV,
    Origin,
    Record,
    StreamV,
    TensorV,
)

DATA = "torch.utils.data."
LOADER = {DATA + "DataLoader", DATA + "dataloader.DataLoader"}
TENSOR_DATASET = {DATA + "TensorDataset", DATA + "dataset.TensorDataset"}
SUBSET = {DATA + "Subset", DATA + "dataset.Subset"}
RANDOM_SPLIT = {DATA + "random_split", DATA + "dataset.random_split"}
NAMES = LOADER | TENSOR_DATASET | SUBSET | RANDOM_SPLIT

# DataLoader's parameters in order (torch 2.x), for positional arguments.
LOADER_PARAMS = (
    "dataset",
    "batch_size",
    "shuffle",
    "sampler",
    "batch_sampler",
    "num_workers",
    "collate_fn",
    "pin_memory",
    "drop_last",
)


def call(calls, interp, qualname: str, args: list, kwargs: dict, node):
    """A call of one of :data:`NAMES`."""
    text = interp.module.source.segment(node)
    if qualname in TENSOR_DATASET:
        return tensor_dataset(args, text)
    if qualname in SUBSET:
        source = args[0] if args else kwargs.get("dataset", UNKNOWN)
        indices = args[1] if len(args) > 1 else kwargs.get("indices", UNKNOWN)
        item, _ = dataset_item(calls, interp, source, node)
        return DatasetV(item, _length_of(calls, interp, indices, node), text)
    if qualname in RANDOM_SPLIT:
        source = args[0] if args else kwargs.get("dataset", UNKNOWN)
        lengths = args[1] if len(args) > 1 else kwargs.get("lengths", UNKNOWN)
        parts = interp.iterate(lengths, node)
        if parts is None:
            return UNKNOWN
        item, _ = dataset_item(calls, interp, source, node)
        # lengths given as fractions (0.8, 0.2) are counts only torch rounds: not known here
        return ListV([DatasetV(item, n if is_dim(n) and not isinstance(n, bool) else UNKNOWN, text) for n in parts])
    return loader(calls, interp, args, kwargs, node, text)


def tensor_dataset(tensors: list, text: str):
    """``TensorDataset(a, b)``: item ``(a[i], b[i])``, as many items as ``a`` has rows."""
    if not tensors or not all(isinstance(t, TensorV) for t in tensors):
        return DatasetV(UNKNOWN, UNKNOWN, text)
    item = tuple(_row(t) for t in tensors)
    first = tensors[0].shape
    length = first.prefix[0] if first.prefix else UNKNOWN
    return DatasetV(item, length, text)


def _row(tensor: TensorV):
    shape = tensor.shape
    if shape.prefix:
        return TensorV(Shape(shape.prefix[1:], shape.star, shape.suffix), tensor.origin, tensor.dtype)
    if shape.is_fixed:  # a 0-d tensor has no rows: torch fails on it
        return UNKNOWN
    return TensorV(Shape.unknown(), tensor.origin, tensor.dtype)


def loader(calls, interp, args: list, kwargs: dict, node, text: str):
    bound = dict(zip(LOADER_PARAMS, args))
    bound.update(kwargs)
    dataset = bound.get("dataset", UNKNOWN)
    batch_size = bound.get("batch_size", 1)
    drop_last = bound.get("drop_last", False)
    attrs = {"dataset": dataset, "batch_size": batch_size, "drop_last": drop_last}
    item, length = dataset_item(calls, interp, dataset, node)
    if bound.get("batch_sampler") is not None and "batch_sampler" in bound:
        return LoaderV(UNKNOWN, "its batch_sampler decides the batch sizes", attrs=attrs, text=text)
    if bound.get("collate_fn") is not None and "collate_fn" in bound:
        return LoaderV(UNKNOWN, "a collate_fn of its own builds the batches", attrs=attrs, text=text)
    if item is UNKNOWN:
        return LoaderV(
            UNKNOWN, f"the items of `{_segment(interp, node, 'dataset')}` are not known", attrs=attrs, text=text
        )
    if batch_size is None:  # no batching: each sample as it is (numpy arrays become tensors)
        return LoaderV(_converted(item), attrs=attrs, length=length, text=text)
    size = batch_dim(interp, batch_size, drop_last, length, text, node.lineno)
    origin = Origin(text, node.lineno, note=f"a batch of {text}", file=interp.module.source.path)
    batches = _batches(length, batch_size, drop_last)
    return LoaderV(collate(item, size, origin), attrs=attrs, length=batches, text=text)


def batch_dim(interp, batch_size, drop_last, length, text: str, line: int):
    """The size of every batch where all have it, else a fresh size saying why it is not known."""
    size = _dim(batch_size)
    n = _dim(length)
    if size is not None:
        if size == 1 or drop_last is True:
            return size
        if type(size) is int and type(n) is int and n > 0 and (n % size == 0 or n < size):
            return size if n % size == 0 else n
    given = f"batch_size={dim_text(size)}" if size is not None else "its batch_size"
    return _size(
        interp.run.facts,
        "B",
        f"the number of samples in a batch of `{text}` (line {line}): {given}, "
        "fewer in the last batch unless drop_last=True",
        1,
    )


def _size(facts, stem: str, what: str, least: int):
    """A size only the data decides, one per ``what``: the same loader (a loop over epochs, a
    fixpoint round) gives batches of the same symbol, not a new one each time it is evaluated."""
    for name, said in facts.counts.items():
        if said == what:
            return sym(name)
    symbol = facts.count(stem, what)
    facts.set_lower(symbol_name(symbol), least)
    return symbol


def _batches(length, batch_size, drop_last):
    """``len(loader)``: the number of batches."""
    n, size = _dim(length), _dim(batch_size)
    if n is None or size is None or drop_last not in (True, False):
        return UNKNOWN
    return n // size if drop_last else (n + size - 1) // size


def _dim(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, OpaqueV):
        return value.as_dim()
    return value if is_dim(value) else None


def collate(sample, batch, origin: Origin):
    """``default_collate`` of samples like ``sample``, ``batch`` of them."""
    if isinstance(sample, TensorV):
        shape = sample.shape
        return TensorV(Shape((batch,) + shape.prefix, shape.star, shape.suffix), origin, sample.dtype)
    if isinstance(sample, (tuple, ListV)) and not isinstance(sample, Record):
        items = sample.items if isinstance(sample, ListV) else sample
        return ListV([collate(s, batch, origin) for s in items]) if items is not None else UNKNOWN
    if isinstance(sample, DictV):
        if sample.items is None:
            return DictV(None)
        return DictV({k: collate(v, batch, origin) for k, v in sample.items.items()})
    if isinstance(sample, bool):
        return TensorV(Shape((batch,)), origin, "bool")
    if isinstance(sample, int) or (is_dim(sample) and not isinstance(sample, float)):
        return TensorV(Shape((batch,)), origin, "int")
    if isinstance(sample, float):
        return TensorV(Shape((batch,)), origin, "float")
    if sample is SCALAR:  # a number whose value is not known (``label.item()``)
        return TensorV(Shape((batch,)), origin)
    if isinstance(sample, str):
        return ListV(None)
    return UNKNOWN


def _converted(sample):
    """``batch_size=None``: a sample as ``default_convert`` leaves it (arrays become tensors)."""
    if isinstance(sample, TensorV) and sample.array:
        return TensorV(sample.shape, sample.origin, sample.dtype)
    return sample


def dataset_item(calls, interp, dataset, node) -> tuple:
    """``(dataset[i], len(dataset))`` as the loader gets them (either UNKNOWN)."""
    if isinstance(dataset, DatasetV):
        return dataset.item, dataset.length
    if not isinstance(dataset, InstanceV):
        return UNKNOWN, UNKNOWN
    analysis = calls.analysis
    getitem = analysis.lookup_class_attr(dataset.cls, "__getitem__")
    if not isinstance(getitem, FuncV):
        return UNKNOWN, UNKNOWN
    item = analysis.call_function(interp, getitem, [sample_index(interp, getitem)], {}, node, dataset)
    size = analysis.lookup_class_attr(dataset.cls, "__len__")
    length = analysis.call_function(interp, size, [], {}, node, dataset) if isinstance(size, FuncV) else UNKNOWN
    return item, length


def sample_index(interp, getitem: FuncV):
    """An index the sampler draws: a fresh size in ``range(len(dataset))``, named after
    ``__getitem__``'s parameter, whose bounds the sampler meets (requirements, not doubts)."""
    params = list(getitem.node.args.posonlyargs) + list(getitem.node.args.args)
    stem = params[1].arg if len(params) > 1 else "index"
    where = f"{getitem.owner.name if getitem.owner else ''}.__getitem__ (line {getitem.node.lineno})"
    index = _size(
        interp.run.facts, stem, f"an index the DataLoader's sampler draws for {where}: in range(len(dataset))", 0
    )
    interp.run.input_symbols.add(symbol_name(index))
    return index


def _length_of(calls, interp, indices, node):
    if isinstance(indices, (ListV, tuple, range)):
        items = interp.iterate(indices, node)
        return len(items) if items is not None else UNKNOWN
    if isinstance(indices, TensorV) and indices.shape.is_fixed and indices.shape.rank == 1:
        return indices.shape[0]
    return UNKNOWN


def _segment(interp, node, name: str) -> str:
    """The source text of a call's argument ``name`` (the call's own text where it is not given)."""
    if isinstance(node, ast.Call):
        for i, arg in enumerate(node.args):
            if i < len(LOADER_PARAMS) and LOADER_PARAMS[i] == name:
                return interp.module.source.segment(arg)
        for kw in node.keywords:
            if kw.arg == name:
                return interp.module.source.segment(kw.value)
    return interp.module.source.segment(node)


def batches(value):
    """What one iteration of ``value`` binds, where it is a stream of known items (else None)."""
    if isinstance(value, StreamV):
        return value.item()
    if isinstance(value, DatasetV):
        return value.item
    return None

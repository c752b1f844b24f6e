"""Shape rules for torch, torch.nn, torch.nn.functional and einops, one module per family.

Importing a family module registers its rules; :func:`load_all` imports them all once. The
modules whose names start with ``_`` are the machinery, not families: ``_registry`` (the table of
rules and the ``@op``/``@layer`` decorators) and ``_common`` (helpers several families share, as
torch's ``_prims_common``). Everything else reads the rules through this package.
"""

from __future__ import annotations

import importlib
import pkgutil

from ._registry import (
    DTYPE_KINDS,
    DtypeArg,
    Layer,
    Rule,
    TensorArg,
    all_rules,
    apply_layer,
    apply_op,
    build_layer,
    lookup,
)

__all__ = [
    "DTYPE_KINDS",
    "DtypeArg",
    "Layer",
    "Rule",
    "TensorArg",
    "all_rules",
    "apply_layer",
    "apply_op",
    "build_layer",
    "families",
    "load_all",
    "lookup",
]

_loaded = False


def families() -> list:
    """The family modules: every module of this package but the private machinery."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def load_all() -> None:
    global _loaded
    if not _loaded:
        for family in families():
            importlib.import_module(f"{__name__}.{family}")
        _loaded = True

"""Shape rules for torch, torch.nn, torch.nn.functional and einops, one module per family.

Importing a family module registers its rules; :func:`load_all` imports them all once.
"""

from __future__ import annotations

import importlib
import pkgutil

NOT_FAMILIES = {"registry", "args"}

_loaded = False


def families() -> list:
    """The family modules: every module of this package but the shared machinery."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in NOT_FAMILIES)


def load_all() -> None:
    global _loaded
    if not _loaded:
        for family in families():
            importlib.import_module(f"{__name__}.{family}")
        _loaded = True

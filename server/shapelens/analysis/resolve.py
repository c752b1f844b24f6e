"""Name resolution: which torch/einops API a name means, and which workspace file a module is.

The torch API is known from the rule table, not from jedi (whose first inference touching torch
takes seconds): ``import torch.nn as nn`` makes ``nn.Conv2d`` the qualified name
``torch.nn.Conv2d``, which is looked up in the registry.
"""

from __future__ import annotations

import ast
import math
import os
from typing import Optional

from .values import TorchRef

EXTERNAL_ROOTS = ("torch", "einops", "math", "copy", "types", "numpy")
# Module constants read as numbers (``np.pi``, ``math.inf``); ``np.newaxis`` indexes as None.
CONSTANTS = {
    "math.pi": math.pi,
    "math.e": math.e,
    "math.tau": math.tau,
    "math.inf": math.inf,
    "numpy.pi": math.pi,
    "numpy.e": math.e,
    "numpy.inf": math.inf,
    "numpy.newaxis": None,
}


# Aliases torch exposes under several paths; the registry uses the canonical one.
def canonical(qualname: str) -> str:
    if qualname.startswith("torch.nn.modules."):
        # torch.nn.modules.conv.Conv2d -> torch.nn.Conv2d
        return "torch.nn." + qualname.rsplit(".", 1)[-1]
    if qualname.startswith("torch.functional."):
        return "torch." + qualname.rsplit(".", 1)[-1]
    return qualname


def import_binding(alias: ast.alias) -> tuple:
    """``import a.b as c`` binds c -> a.b; ``import a.b`` binds a -> a."""
    if alias.asname:
        return alias.asname, alias.name
    top = alias.name.split(".", 1)[0]
    return top, top


def external_ref(module: str, name: Optional[str] = None):
    """A reference into torch/einops/numpy (or one of their constants), or None for any other module."""
    qual = f"{module}.{name}" if name else module
    if CONSTANTS.get(qual) is not None:
        return CONSTANTS[qual]
    if qual.split(".", 1)[0] in EXTERNAL_ROOTS:
        return TorchRef(canonical(qual))
    return None


def find_module_file(module: str, level: int, importer: str, roots: list) -> Optional[str]:
    """The workspace file for ``import module`` (relative with ``level`` dots) from ``importer``."""
    parts = module.split(".") if module else []
    bases: list = []
    here = os.path.dirname(os.path.abspath(importer)) if importer else os.getcwd()
    if level:
        base = here
        for _ in range(level - 1):
            base = os.path.dirname(base)
        bases.append(base)
    else:
        bases.append(here)
        bases.extend(roots)
    for base in bases:
        path = os.path.join(base, *parts)
        for candidate in (path + ".py", os.path.join(path, "__init__.py")):
            if os.path.isfile(candidate):
                return candidate
    return None

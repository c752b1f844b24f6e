"""How the editor spells a shape: short enough to read after a name, never only ``[...]``.

- Axes of unknown number are ``*``: ``[B, *, 512]`` is a tensor whose rank is unknown but whose
  first axis is ``B`` and last is 512 (``[*batch, C]`` keeps its name).
- Nothing known (``[...]``) is no label at all: a hint that says nothing is noise.
- A hint is at most ``HINT_LIMIT`` characters (VS Code cuts longer ones at 43 by default, in the
  middle of a dim): the longest dims give way to ``…`` until it fits; the tooltip has the whole form.
"""

from __future__ import annotations

from typing import Optional

from ..dims import Shape, dim_text

HINT_LIMIT = 40  # characters of the label, ": " included
ELIDED = "…"


def shape_label(value, limit: Optional[int] = None) -> Optional[str]:
    """``value`` (a Shape, a tuple of them, None) as the editor shows it; None if nothing is known."""
    parts = _parts(value)
    if parts is None:
        return None
    if limit is not None:
        _fit(parts, limit)
    return _render(parts)


def _parts(value):
    """A shape as a list of dim texts; a tuple as a tuple of those (None: unknown)."""
    if isinstance(value, Shape):
        if value.is_unknown:
            return None
        dims = [dim_text(d) for d in value.prefix]
        if value.star is not None:
            dims.append("*" if value.star == "..." else f"*{value.star}")
            dims.extend(dim_text(d) for d in value.suffix)
        return dims
    if isinstance(value, tuple):
        items = tuple(_parts(v) for v in value)
        return items if any(item is not None for item in items) else None
    return None


def _render(parts) -> str:
    if parts is None:
        return "?"
    if isinstance(parts, tuple):
        return "(" + ", ".join(_render(p) for p in parts) + ")"
    return "[" + ", ".join(parts) + "]"


def _fit(parts, limit: int) -> None:
    """Replace the longest dims by ``…`` until the text fits in ``limit`` (or nothing is left to cut)."""
    dims = []  # (list, index) of every dim text

    def collect(p):
        if isinstance(p, tuple):
            for item in p:
                collect(item)
        elif p is not None:
            dims.extend((p, i) for i in range(len(p)))

    collect(parts)
    length = len(_render(parts))
    for owner, i in sorted(dims, key=lambda d: -len(d[0][d[1]])):
        if length <= limit:
            return
        text = owner[i]
        if len(text) <= len(ELIDED):
            return
        owner[i] = ELIDED
        length -= len(text) - len(ELIDED)

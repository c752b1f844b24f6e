"""The call memo: a function called again with the same arguments gives the same result, as
long as no value that existed at the first call has been changed since (``model.fc = ...``
between two calls of ``model``: the second one runs again) and every global it read is still
what it was (``SCALE = 4`` between two calls of a function that reads ``SCALE``).

Every write is logged with the entry it replaced, so a resumed analysis (:mod:`.checkpoints`)
can put the memo back exactly as it was at a checkpoint.
"""

from __future__ import annotations

from .values import OpaqueV, TorchRef, next_serial

MISSING = object()
_IMMUTABLE = (int, float, str, bool, type(None), TorchRef, OpaqueV)


def same_value(now, then) -> bool:
    """The same object, or equal values nothing can change (a number, a torch name, a path)."""
    if now is then:
        return True
    if type(now) is not type(then):
        return False
    if isinstance(now, tuple):
        return len(now) == len(then) and all(same_value(a, b) for a, b in zip(now, then))
    return isinstance(now, _IMMUTABLE) and now == then


class CallMemo:
    def __init__(self, history):
        self.history = history  # the analysis's log of changed values
        self.entries: dict = {}  # key -> (result, (serial, changes) at the call's start, globals read)
        self.writes: list = []  # (key, the entry it replaced or MISSING), in order

    def get(self, key):
        """The remembered result, or MISSING when there is none or it may be out of date."""
        entry = self.entries.get(key)
        if entry is None:
            return MISSING
        result, since, reads = entry
        if since is None:  # still running
            return result
        if self.history.changed_since(*since) or not all(
            same_value(scope.globals.get(name, MISSING), value) for (scope, name), value in reads.items()
        ):
            return MISSING
        return result

    def reads(self, key) -> dict:
        """The globals the remembered call read (none yet for a call still running)."""
        return self.entries[key][2] or {}

    def start(self, key, result) -> tuple:
        """A call begins: until it ends, a recursive call gets ``result``. Returns the call's mark."""
        self._write(key, (result, None, None))
        return next_serial(), len(self.history.changes)

    def finish(self, key, result, mark: tuple, reads: dict) -> None:
        self._write(key, (result, mark, reads))

    def _write(self, key, entry) -> None:
        self.writes.append((key, self.entries.get(key, MISSING)))
        self.entries[key] = entry

    def undo(self, count: int) -> None:
        """Forget every write after the first ``count``."""
        for key, previous in reversed(self.writes[count:]):
            if previous is MISSING:
                self.entries.pop(key, None)
            else:
                self.entries[key] = previous
        del self.writes[count:]

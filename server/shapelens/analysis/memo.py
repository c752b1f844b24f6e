"""The call memo: a function called again with the same arguments gives the same result, as
long as no value that existed at the first call has been changed since (``model.fc = ...``
between two calls of ``model``: the second one runs again).

Every write is logged with the entry it replaced, so a resumed analysis (:mod:`.checkpoints`)
can put the memo back exactly as it was at a checkpoint.
"""

from __future__ import annotations

from .values import next_serial

MISSING = object()


class CallMemo:
    def __init__(self, history):
        self.history = history  # the analysis's log of changed values
        self.entries: dict = {}  # key -> (result, serial, changes) as of the call's start; None: running
        self.writes: list = []  # (key, the entry it replaced or MISSING), in order

    def get(self, key):
        """The remembered result, or MISSING when there is none or it may be out of date."""
        entry = self.entries.get(key)
        if entry is None:
            return MISSING
        result, since = entry
        if since is not None and self.history.changed_since(*since):
            return MISSING
        return result

    def start(self, key, result) -> tuple:
        """A call begins: until it ends, a recursive call gets ``result``. Returns the call's mark."""
        self._write(key, (result, None))
        return next_serial(), len(self.history.changes)

    def finish(self, key, result, mark: tuple) -> None:
        self._write(key, (result, mark))

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

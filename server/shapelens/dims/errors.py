"""The two ways a rule stops: a certain violation, or lost inference."""

from __future__ import annotations

from typing import Any, Optional


class ShapeError(Exception):
    """A certain violation, with torch's wording and what a fix would change.

    ``param`` names the argument whose value would fix it (``in_features``), ``expected`` is
    what the rule needed and ``actual`` what it got, ``arg`` the tensor argument at fault and
    ``axis`` its axis.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        param: Optional[str] = None,
        expected: Any = None,
        actual: Any = None,
        arg: Optional[str] = None,
        axis: Optional[int] = None,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.param = param
        self.expected = expected
        self.actual = actual
        self.arg = arg
        self.axis = axis


class Lost(Exception):
    """Inference cannot continue here; ``reason`` says why, for an information note."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

"""How rules state requirements: a :class:`Checker` turns each check into one of three verdicts.

``ctx.check(cond, code, message)`` returns when the condition holds, raises :class:`ShapeError`
when it certainly fails, and otherwise records a :class:`Condition` (a warning that states it)
unless unification can make it true. A rule that needs a value nobody knows raises :class:`Lost`,
which the analyzer reports quietly as "inference lost".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, NoReturn, Optional, Union

from .errors import Lost, ShapeError
from .facts import Cond, Divides, Eq, Facts

Message = Union[str, Callable[[], str]]


@dataclass
class Condition:
    """A requirement that holds only if ``cond`` does: a warning stating it."""

    cond: Cond
    code: str
    message: str
    details: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.message} (holds only if {self.cond})"


class Checker:
    """The context a rule runs in: the facts it may use and the conditions it leaves behind."""

    __slots__ = ("facts", "conditions")

    def __init__(self, facts: Optional[Facts] = None):
        self.facts = facts if facts is not None else Facts()
        self.conditions: list = []

    def check(self, cond: Union[Cond, bool], code: str, message: Message, **details) -> None:
        """Require ``cond``: pass, raise a certain :class:`ShapeError`, or record a condition."""
        if cond is True:
            return
        if cond is False:
            raise ShapeError(code, _text(message), **details)
        try:
            verdict = cond.decide(self.facts)
        except Lost:  # it reads an argument nobody knows: the check stays open, nothing is claimed
            return
        if verdict:
            return
        if verdict is False:
            raise ShapeError(code, _text(message), **details)
        if isinstance(cond, Eq) and self.facts.unify(cond.a, cond.b):
            return
        if isinstance(cond, Divides):  # downstream code may rely on it: C//n_head is exact
            self.facts.learn_divides(cond.d, cond.x)
        self.conditions.append(Condition(cond, code, _text(message), details))

    def fail(self, code: str, message: Message, **details) -> NoReturn:
        raise ShapeError(code, _text(message), **details)

    def decide(self, cond: Cond) -> bool:
        """The truth of ``cond`` where a rule must branch on it; :class:`Lost` when not known."""
        verdict = cond.decide(self.facts)
        if verdict is None:
            raise Lost(f"the result depends on whether {cond}")
        return verdict

    def simplify(self, d):
        return self.facts.simplify(d)

    def count(self, stem: str, what: str):
        """A size only the data decides (nonzero's rows, unique's values): a fresh symbol, at least 0."""
        return self.facts.count(stem, what)


def _text(message: Message) -> str:
    return message() if callable(message) else message


class _Unknown:
    """An argument whose value the analysis does not know. Any use of it raises :class:`Lost`."""

    __slots__ = ()

    def _lost(self, *args, **kwargs):
        raise Lost("an argument's value is not known statically")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _lost
    __floordiv__ = __rfloordiv__ = __truediv__ = __rtruediv__ = __mod__ = __rmod__ = _lost
    __neg__ = __pos__ = __abs__ = __index__ = __int__ = __float__ = _lost
    __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __iter__ = __len__ = __getitem__ = _lost
    __contains__ = __call__ = _lost

    def __eq__(self, other):
        self._lost()

    def __ne__(self, other):
        self._lost()

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()

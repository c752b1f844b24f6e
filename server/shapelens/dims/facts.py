"""What is known about symbols, and the three verdicts of a check.

A check on dims is a :class:`Cond` (``eq``, ``ge``, ``divides``...). :meth:`Facts.decide` answers
``True`` (holds), ``False`` (fails, certainly) or ``None`` (holds only if the condition does);
never a guess. Facts come from the code: lower bounds (sizes are >= 1), divisibility (``assert
C % n_head == 0``, a view that succeeded) and equalities learned by unification (a fresh input
dim fed to ``Linear(n_embd, ...)`` *is* ``n_embd``).
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd, inf

from .expr import (
    sym,
    Dim,
    cancel_common,
    Expr,
    Extremum,
    FloorDiv,
    Sym,
    _atom_dim,
    _from_terms,
    _terms_of,
    add,
    floordiv,
    map_atoms,
    mod,
    mul,
    neg,
    substitute,
)

DEFAULT_LOWER = 1  # an unknown size is at least 1 unless told otherwise


# ---------------------------------------------------------------------------------------------
# conditions


class Cond:
    """A statement about dims. ``str(cond)`` is how a warning states it."""

    __slots__ = ()

    def holds_for(self, values: dict) -> bool:
        """Evaluate with every symbol given a value."""
        raise NotImplementedError

    def decide(self, facts: "Facts"):
        raise NotImplementedError

    def symbols(self) -> set:
        """The symbols it mentions: what ``holds_for`` needs values for."""
        raise NotImplementedError


class Eq(Cond):
    __slots__ = ("a", "b")

    def __init__(self, a: Dim, b: Dim):
        self.a, self.b = a, b

    def holds_for(self, values):
        return substitute(self.a, values) == substitute(self.b, values)

    def symbols(self):
        return _symbols(self.a) | _symbols(self.b)

    def decide(self, facts):
        diff = facts.simplify(add(self.a, neg(self.b)))
        if not isinstance(diff, Expr):
            return diff == 0
        lo, hi = facts.bounds(diff)
        if lo > 0 or hi < 0:
            return False
        if _never_zero_by_content(diff):
            return False
        return None

    def __str__(self):
        return _relation(self.a, self.b, "==")


class Ge(Cond):
    """``a >= b``."""

    __slots__ = ("a", "b")

    def __init__(self, a: Dim, b: Dim):
        self.a, self.b = a, b

    def holds_for(self, values):
        return substitute(self.a, values) >= substitute(self.b, values)

    def symbols(self):
        return _symbols(self.a) | _symbols(self.b)

    def decide(self, facts):
        diff = facts.simplify(add(self.a, neg(self.b)))
        if not isinstance(diff, Expr):
            return diff >= 0
        lo, hi = facts.bounds(diff)
        if lo >= 0:
            return True
        if hi < 0:
            return False
        return None

    def __str__(self):
        return _relation(self.a, self.b, ">=")


class Divides(Cond):
    """``x % d == 0``."""

    __slots__ = ("d", "x")

    def __init__(self, d: Dim, x: Dim):
        self.d, self.x = d, x

    def holds_for(self, values):
        d = substitute(self.d, values)
        return d != 0 and substitute(self.x, values) % d == 0

    def symbols(self):
        return _symbols(self.d) | _symbols(self.x)

    def decide(self, facts):
        d, x = facts.simplify(self.d), facts.simplify(self.x)
        if d == 0:
            return x == 0
        if facts.knows_divides(d, x):
            return True
        if type(d) is int and d < 0:
            d = -d
        r = facts.simplify(mod(x, d))
        if not isinstance(r, Expr):
            return r == 0
        return None

    def __str__(self):
        x, d = cancel_common(self.x, self.d) if self.d != 0 else (self.x, self.d)
        d_text = _text_atom(d)
        if isinstance(d, Expr) and not d_text.replace(".", "").replace("_", "").isalnum():
            d_text = f"({d_text})"
        return f"{_text_mod(x)} % {d_text} == 0"


class Not(Cond):
    __slots__ = ("inner",)

    def __init__(self, inner: Cond):
        self.inner = inner

    def holds_for(self, values):
        return not self.inner.holds_for(values)

    def symbols(self):
        return self.inner.symbols()

    def decide(self, facts):
        v = self.inner.decide(facts)
        return None if v is None else not v

    def __str__(self):
        if isinstance(self.inner, Eq):
            return _relation(self.inner.a, self.inner.b, "!=")
        if isinstance(self.inner, Ge):
            return _relation(self.inner.a, self.inner.b, "<")
        return f"not ({self.inner})"


class AnyOf(Cond):
    """At least one of the conditions (e.g. broadcasting: equal, or one side is 1)."""

    __slots__ = ("items",)

    def __init__(self, *items: Cond):
        self.items = items

    def holds_for(self, values):
        return any(c.holds_for(values) for c in self.items)

    def symbols(self):
        return set().union(*(c.symbols() for c in self.items))

    def decide(self, facts):
        unknown = False
        for c in self.items:
            v = c.decide(facts)
            if v:
                return True
            unknown |= v is None
        return None if unknown else False

    def __str__(self):
        return " or ".join(str(c) for c in self.items)


def eq(a: Dim, b: Dim) -> Cond:
    return Eq(a, b)


def ne(a: Dim, b: Dim) -> Cond:
    return Not(Eq(a, b))


def ge(a: Dim, b: Dim) -> Cond:
    return Ge(a, b)


def gt(a: Dim, b: Dim) -> Cond:
    return Ge(a, add(b, 1))


def le(a: Dim, b: Dim) -> Cond:
    return Ge(b, a)


def lt(a: Dim, b: Dim) -> Cond:
    return Ge(b, add(a, 1))


def divides(d: Dim, x: Dim) -> Cond:
    return Divides(d, x)


def any_of(*conds: Cond) -> Cond:
    return AnyOf(*conds)


def _never_zero_by_content(diff: Expr) -> bool:
    """``2*H - 1`` is never 0: the constant is not a multiple of the other coefficients' gcd."""
    g = 0
    const = 0
    for mono, c in diff.terms.items():
        if isinstance(c, Fraction):
            return False
        if mono == ():
            const = c
        else:
            g = gcd(g, c)
    return g > 1 and const % g != 0


def _relation(a: Dim, b: Dim, op: str) -> str:
    """State ``a op b`` simply: move everything to one side, cancel common factors, split by sign."""
    diff = add(a, neg(b))
    if not isinstance(diff, Expr):
        return f"{_text_atom(a)} {op} {_text_atom(b)}"
    terms = dict(diff.terms)
    content = 0
    for c in terms.values():
        if isinstance(c, Fraction):
            content = 0
            break
        content = gcd(content, c)
    if content > 1:
        terms = {m: c // content for m, c in terms.items()}
    if op == "==" or op == "!=":
        common = _common_symbol_factor(terms)
        if common:
            terms = {tuple(ae for ae in m if ae[0] not in common): c for m, c in terms.items()}
        if len(terms) == 2 and op == "==":
            folded = _text_atom(_from_terms(dict(terms)))
            if " % " in folded and " + " not in folded and " - " not in folded:
                return f"{folded} == 0"
    left = _from_terms({m: c for m, c in terms.items() if c > 0})
    right = _from_terms({m: -c for m, c in terms.items() if c < 0})
    return f"{_text_atom(left)} {op} {_text_atom(right)}"


def _common_symbol_factor(terms: dict) -> set:
    """Symbols (>= 1) that multiply every term: ``B*T*x == B*T*y`` is ``x == y``."""
    common = None
    for mono in terms:
        here = {a for a, e in mono if isinstance(a, Sym) and e > 0}
        common = here if common is None else common & here
    return common or set()


def _text_atom(d) -> str:
    return d.text() if isinstance(d, Expr) else str(d)


def _text_mod(d) -> str:
    s = _text_atom(d)
    return f"({s})" if isinstance(d, Expr) and len(d.terms) > 1 else s


# ---------------------------------------------------------------------------------------------
# facts


class Facts:
    """Knowledge about the symbols of one analysis; rules and checks consult it."""

    def __init__(self):
        self.lower: dict = {}  # symbol name -> least value
        self.bindings: dict = {}  # symbol name -> dim it is known to equal
        self.flexible: set = set()  # fresh symbols that unification may bind
        self._divisible: set = set()  # (divisor, dividend) pairs known to divide exactly
        self._cache: dict = {}
        self.counts: dict = {}  # symbols for sizes only the data decides -> what they count

    def count(self, stem: str, what: str) -> Expr:
        """A fresh size only the data decides (``nnz``: the number of True in a mask), at least 0;
        ``counts`` says what it counts, for a hover."""
        name = stem if stem not in self.counts else f"{stem}{len([n for n in self.counts if n.startswith(stem)]) + 1}"
        while name in self.counts or name in self.lower or name in self.bindings:
            name += "_"
        self.counts[name] = what
        self.set_lower(name, 0)
        return sym(name)

    def copy(self) -> "Facts":
        """What is known now, kept apart from what this object learns later."""
        out = Facts()
        out.restore(self)
        return out

    def restore(self, other: "Facts") -> None:
        """Know exactly what ``other`` knows (in place: runs that hold this object see it)."""
        self.lower = dict(other.lower)
        self.bindings = dict(other.bindings)
        self.flexible = set(other.flexible)
        self._divisible = set(other._divisible)
        self.counts = dict(other.counts)
        self._cache = {}

    def knows_the_same(self, other: "Facts") -> bool:
        return (
            self.lower == other.lower
            and self.bindings == other.bindings
            and self._divisible == other._divisible
            and self.flexible == other.flexible
        )

    # -- learning -------------------------------------------------------------------------
    def set_lower(self, name: str, value: int) -> None:
        self.lower[name] = value
        self._cache.clear()

    def learn_divides(self, d: Dim, x: Dim) -> None:
        d, x = self.simplify(d), self.simplify(x)
        if isinstance(x, Expr) and d not in (0, 1):
            self._divisible.add((d, x))
            self._cache.clear()

    def bind(self, name: str, value: Dim) -> None:
        self.bindings[name] = value
        self.flexible.discard(name)
        self._cache.clear()

    def unify(self, a: Dim, b: Dim) -> bool:
        """Make ``a == b`` true by binding one flexible symbol, if the equation is linear in it."""
        diff = self.simplify(add(a, neg(b)))
        if not isinstance(diff, Expr):
            return diff == 0
        for mono, c in diff.terms.items():
            if len(mono) != 1 or mono[0][1] != 1 or c not in (1, -1):
                continue
            atom = mono[0][0]
            if not isinstance(atom, Sym) or atom.name not in self.flexible:
                continue
            rest = add(diff, _from_terms({mono: -c}))
            if atom.name in _symbols(rest):
                continue
            value = neg(rest) if c == 1 else rest
            lo, _ = self.bounds(value)
            if lo < self.lower.get(atom.name, DEFAULT_LOWER) and not isinstance(value, Expr):
                continue
            self.bind(atom.name, value)
            return True
        return False

    # -- querying -------------------------------------------------------------------------
    def knows_divides(self, d: Dim, x: Dim) -> bool:
        if (d, x) in self._divisible:
            return True
        if isinstance(x, Expr) and type(d) is int and d:
            # every term a multiple of d, or of a dividend known divisible by d
            return all(not isinstance(c, Fraction) and c % d == 0 for c in x.terms.values())
        return False

    def simplify(self, d: Dim) -> Dim:
        """Apply bindings and divisibility facts; the canonical form under what is known."""
        if not isinstance(d, Expr) or (not self.bindings and not self._divisible):
            return d
        hit = self._cache.get(d)
        if hit is not None:
            return hit
        out = map_atoms(d, self._resolve_atom)
        self._cache[d] = out
        return out

    def _resolve_atom(self, atom, recurse) -> Dim:
        if isinstance(atom, Sym):
            bound = self.bindings.get(atom.name)
            return _atom_dim(atom) if bound is None else self.simplify(bound)
        if isinstance(atom, FloorDiv):
            num, den = self.simplify(atom.num), self.simplify(atom.den)
            if self.knows_divides(den, num):
                return _exact(num, den)
            return floordiv(num, den)
        return atom.value(recurse)

    def decide(self, cond: Cond):
        return cond.decide(self)

    def bounds(self, d: Dim) -> tuple:
        """An interval that surely holds ``d`` (``-inf``/``inf`` where nothing is known)."""
        if not isinstance(d, Expr):
            return (d, d)
        lo_total, hi_total = 0, 0
        for mono, c in d.terms.items():
            lo, hi = self._mono_bounds(mono)
            if c >= 0:
                lo_total, hi_total = lo_total + _scale(c, lo), hi_total + _scale(c, hi)
            else:
                lo_total, hi_total = lo_total + _scale(c, hi), hi_total + _scale(c, lo)
        return (lo_total, hi_total)

    def _mono_bounds(self, mono) -> tuple:
        lo, hi = 1, 1
        for atom, e in mono:
            if e < 0:
                return (0, inf)  # an exact quotient: non-negative, not bounded above here
            alo, ahi = self._atom_bounds(atom)
            if alo < 0:
                return (-inf, inf)
            for _ in range(e):
                lo, hi = _scale(lo, alo), _scale(hi, ahi)
        return (lo, hi)

    def _atom_bounds(self, atom) -> tuple:
        if isinstance(atom, Sym):
            return (self.lower.get(atom.name, DEFAULT_LOWER), inf)
        if isinstance(atom, FloorDiv):
            nlo, nhi = self.bounds(atom.num)
            if type(atom.den) is int and atom.den > 0:
                return (_floor_div_bound(nlo, atom.den), _floor_div_bound(nhi, atom.den))
            dlo, _ = self.bounds(atom.den)
            if nlo >= 0 and dlo >= 1:
                return (0, nhi)
            return (-inf, inf)
        if isinstance(atom, Extremum):
            bs = [self.bounds(a) for a in atom.args]
            if atom.fn == "max":
                return (max(b[0] for b in bs), max(b[1] for b in bs))
            return (min(b[0] for b in bs), min(b[1] for b in bs))
        return (-inf, inf)


def _exact(num: Dim, den: Dim) -> Dim:
    """``num // den`` when ``den`` is known to divide ``num``: an exact quotient."""
    if type(den) is int:
        return mul(num, Fraction(1, den)) if isinstance(num, Expr) else num // den
    terms = _terms_of(den)
    if len(terms) == 1:
        ((mono, c),) = terms.items()
        inverse = _from_terms({tuple((a, -e) for a, e in mono): 1})
        out = mul(num, inverse)
        return mul(out, Fraction(1, c)) if c != 1 else out
    return floordiv(num, den)


def _scale(a, b):
    if a == 0 or b == 0:
        return 0
    return a * b


def _floor_div_bound(v, d: int):
    if v in (inf, -inf):
        return v
    return v // d


def _symbols(d: Dim) -> set:
    return d.symbols() if isinstance(d, Expr) else set()

"""Symbolic integer dims: canonical Laurent polynomials over atoms.

A dim is a plain ``int`` or an :class:`Expr`. An ``Expr`` is a sum of terms ``coef * monomial``
where a monomial is a product of atoms raised to non-zero integer powers. Atoms are symbols
(``H``, ``config.n_embd``), floor divisions that could not be resolved (``(H + 1)//2``) and
``max``/``min``. Every operation returns the canonical form, so equal expressions compare and
hash equal and print the same; a constant result is returned as a plain ``int``.

Negative powers and fractional coefficients only appear for *exact* divisions, which the engine
creates when a divisibility fact is known (``n_head | C`` makes ``C//n_head`` the exact
quotient, so that ``n_head*(C//n_head)`` is ``C``).

Pure Python and dependency-free on purpose: this runs on every keystroke (see bench/).
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd
from typing import Callable, Iterable, Mapping, Optional, Union, cast

from .errors import Lost

Dim = Union[int, "Expr"]
Coef = Union[int, Fraction]


class Atom:
    """An indivisible factor of a monomial."""

    __slots__ = ("key", "_hash")
    key: tuple
    _hash: int

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Atom) and type(other) is type(self) and other.key == self.key

    def __hash__(self) -> int:
        return self._hash

    def __lt__(self, other: "Atom") -> bool:
        return self.key < other.key

    def __repr__(self) -> str:
        return self.text()

    def text(self) -> str:
        raise NotImplementedError

    def value(self, env: Callable[["Atom"], Dim]) -> Dim:
        """Rebuild the atom with ``env`` applied to the atoms inside it (a symbol is itself)."""
        raise NotImplementedError


class Sym(Atom):
    """A named unknown size, named for humans: ``B``, ``H``, ``config.n_embd``."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name
        self.key = (0, name)
        self._hash = hash(self.key)

    def text(self) -> str:
        return self.name

    def value(self, env):
        return _atom_dim(self)


class FloorDiv(Atom):
    """``num // den`` that does not simplify further."""

    __slots__ = ("num", "den")

    def __init__(self, num: Dim, den: Dim):
        self.num, self.den = num, den
        self.key = (1, _text(num), _text(den))
        self._hash = hash(self.key)

    def text(self) -> str:
        return f"{_paren_sum(self.num)}//{_paren_product(self.den)}"

    def value(self, env):
        return floordiv(_rebuild(self.num, env), _rebuild(self.den, env))


class Extremum(Atom):
    """``max(...)`` or ``min(...)`` of dims that cannot be ordered statically."""

    __slots__ = ("fn", "args")

    def __init__(self, fn: str, args: tuple):
        self.fn, self.args = fn, args
        self.key = (2, fn, tuple(_text(a) for a in args))
        self._hash = hash(self.key)

    def text(self) -> str:
        return f"{self.fn}({', '.join(_text(a) for a in self.args)})"

    def value(self, env):
        pick = dmax if self.fn == "max" else dmin
        return pick(*(_rebuild(a, env) for a in self.args))


Mono = tuple  # tuple[tuple[Atom, int], ...] sorted by atom key; () is the constant monomial


class Expr:
    """A canonical symbolic integer expression. Build with :func:`sym` and arithmetic."""

    __slots__ = ("terms", "_hash", "_text")

    def __init__(self, terms: dict):
        self.terms = terms  # Mono -> non-zero coefficient; never only a constant
        self._hash = hash(frozenset(terms.items()))
        self._text: Optional[str] = None

    # -- identity -------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expr) and self._hash == other._hash and self.terms == other.terms

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return self.text()

    __str__ = __repr__

    def __bool__(self) -> bool:  # an Expr is never the constant 0
        return True

    def _needs_value(self, *_):
        raise Lost(f"this needs the value of {self.text()}, which is symbolic")

    # A rule that compares or counts with a symbolic dim cannot go on: it must ask
    # ``ctx.decide`` / ``ctx.check`` instead, or lose inference here.
    __lt__ = __le__ = __gt__ = __ge__ = __index__ = __int__ = __float__ = _needs_value

    def text(self) -> str:
        if self._text is None:
            self._text = _format_sum(self.terms)
        return self._text

    # -- arithmetic -----------------------------------------------------------------------
    def __add__(self, other):
        return add(self, other)

    __radd__ = __add__

    def __sub__(self, other):
        return add(self, neg(other))

    def __rsub__(self, other):
        return add(other, neg(self))

    def __mul__(self, other):
        return mul(self, other)

    __rmul__ = __mul__

    def __neg__(self):
        return neg(self)

    def __floordiv__(self, other):
        return floordiv(self, other)

    def __rfloordiv__(self, other):
        return floordiv(other, self)

    def __mod__(self, other):
        return mod(self, other)

    def __rmod__(self, other):
        return mod(other, self)

    # -- queries --------------------------------------------------------------------------
    def atoms(self) -> set:
        found: set = set()
        for mono in self.terms:
            for atom, _ in mono:
                found.add(atom)
        return found

    def symbols(self) -> set:
        """Names of all symbols, also those inside floor divisions and extrema."""
        names: set = set()
        for atom in self.atoms():
            if isinstance(atom, Sym):
                names.add(atom.name)
            elif isinstance(atom, FloorDiv):
                names |= symbols_of(atom.num) | symbols_of(atom.den)
            elif isinstance(atom, Extremum):
                for a in atom.args:
                    names |= symbols_of(a)
        return names


# ---------------------------------------------------------------------------------------------
# construction and normalisation


def sym(name: str) -> Expr:
    """The dim named ``name``."""
    return Expr({((Sym(name), 1),): 1})


def symbol_name(d) -> Optional[str]:
    """The name of ``d`` when it is one symbol alone (``H``, not ``H//2`` or ``2*H``), else None."""
    if isinstance(d, Expr) and len(d.terms) == 1:
        ((mono, coefficient),) = d.terms.items()
        if coefficient == 1 and len(mono) == 1 and mono[0][1] == 1 and isinstance(mono[0][0], Sym):
            return mono[0][0].name
    return None


def _from_terms(terms: dict) -> Dim:
    if not terms:
        return 0
    if len(terms) == 1 and () in terms:
        c = terms[()]
        return int(c) if not isinstance(c, Fraction) or c.denominator == 1 else c  # type: ignore[return-value]  # a fraction only mid-way through a division
    for mono, c in terms.items():
        if isinstance(c, Fraction) and c.denominator == 1:
            terms[mono] = int(c)
    return Expr(terms)


def _terms_of(d) -> dict:
    if isinstance(d, Expr):
        return d.terms
    if isinstance(d, (int, Fraction)):
        return {(): d} if d else {}
    raise Lost(f"{d!r} is not a size")


def as_dim(value) -> Dim:
    """Accept ints (incl. bool-free integral types) and Exprs; reject anything else."""
    if isinstance(value, bool):
        raise TypeError("a bool is not a dim")
    if isinstance(value, int):
        return int(value)
    if isinstance(value, Expr):
        return value
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    raise TypeError(f"not a dim: {value!r}")


def is_dim(value) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or isinstance(value, Expr)


def add(a, b) -> Dim:
    if type(a) is int and type(b) is int:
        return a + b
    ta, tb = _terms_of(a), _terms_of(b)
    if len(ta) < len(tb):
        ta, tb = tb, ta
    out = dict(ta)
    for mono, c in tb.items():
        s = out.get(mono, 0) + c
        if s:
            out[mono] = s
        else:
            out.pop(mono, None)
    return _from_terms(out)


def neg(a) -> Dim:
    if type(a) is int:
        return -a
    return _from_terms({m: -c for m, c in _terms_of(a).items()})


def _mono_mul(m1: Mono, m2: Mono) -> Mono:
    if not m1:
        return m2
    if not m2:
        return m1
    powers = dict(m1)
    for atom, e in m2:
        p = powers.get(atom, 0) + e
        if p:
            powers[atom] = p
        else:
            del powers[atom]
    return tuple(sorted(powers.items(), key=lambda ae: ae[0].key))


def mul(a, b) -> Dim:
    if type(a) is int and type(b) is int:
        return a * b
    out: dict = {}
    for m1, c1 in _terms_of(a).items():
        for m2, c2 in _terms_of(b).items():
            m = _mono_mul(m1, m2)
            s = out.get(m, 0) + c1 * c2
            if s:
                out[m] = s
            else:
                out.pop(m, None)
    return _from_terms(out)


def _content(terms: dict) -> int:
    """gcd of the integer coefficients (0 when a coefficient is fractional)."""
    g = 0
    for c in terms.values():
        if isinstance(c, Fraction):
            return 0
        g = gcd(g, c)
    return g


def _as_single_mono(d: Dim):
    """(coef, mono) when ``d`` is one term, else None."""
    terms = _terms_of(d)
    if len(terms) == 1:
        ((mono, c),) = terms.items()
        return c, mono
    return None


def _mono_divides(den: Mono, num: Mono) -> bool:
    powers = dict(num)
    return all(e > 0 and powers.get(atom, 0) >= e for atom, e in den)


def floordiv(a, b) -> Dim:
    """``a // b`` with Python's floor semantics, canonicalised."""
    if type(a) is int and type(b) is int:
        return a // b
    _require_dims(a, b)
    if isinstance(b, Fraction) or isinstance(a, Fraction):
        a, b = _clear_fractions(a, b)
    if type(b) is int:
        return _floordiv_int(a, b)
    if a == 0:
        return 0
    if a == b:
        return 1
    a, b = cancel_common(a, b)
    if type(b) is int:
        return floordiv(a, b)
    single = _as_single_mono(b)
    if single is not None:
        c, den = single
        terms = _terms_of(a)
        if (
            den
            and all(_mono_divides(den, m) for m in terms)
            and all(not isinstance(v, Fraction) and isinstance(c, int) and v % c == 0 for v in terms.values())
        ):
            inverse = tuple((atom, -e) for atom, e in den)
            return _from_terms({_mono_mul(m, inverse): v // c for m, v in terms.items()})
    return _atom_dim(FloorDiv(a, b))


def cancel_common(a, b) -> tuple:
    """Divide out the symbols and integer factor every term of both shares.

    ``B*T*C, B*T*n -> C, n``: floor(k*x / (k*y)) == floor(x / y) for k >= 1, and sizes are.
    """
    terms = list(_terms_of(a).items()) + list(_terms_of(b).items())
    if not terms or any(isinstance(c, Fraction) for _, c in terms):
        return a, b
    content = 0
    common = None
    for mono, c in terms:
        content = gcd(content, c)
        powers = {atom: e for atom, e in mono if isinstance(atom, Sym) and e > 0}
        common = powers if common is None else {s: min(e, powers[s]) for s, e in common.items() if s in powers}
    if not common and content in (0, 1):
        return a, b
    factor_mono = tuple(sorted(common.items(), key=lambda ae: ae[0].key)) if common else ()
    inverse = tuple((atom, -e) for atom, e in factor_mono)

    def divide(d):
        return _from_terms({_mono_mul(m, inverse): c // content for m, c in _terms_of(d).items()})

    return divide(a), divide(b)


def _clear_fractions(a, b):
    """Scale numerator and denominator by the lcm of denominators: floor(p/q) == floor(Lp/Lq)."""
    lcm = 1
    for d in (a, b):
        for c in _terms_of(d).values():
            if isinstance(c, Fraction):
                lcm = lcm * c.denominator // gcd(lcm, c.denominator)
    return mul(a, lcm), mul(b, lcm)


def _floordiv_int(a: Expr, d: int) -> Dim:
    if d == 1:
        return a
    if d == 0:
        raise ZeroDivisionError("integer division by zero in a dim")
    if d < 0:
        return _floordiv_int(cast(Expr, neg(a)), -d)
    quotient: dict = {}
    remainder: dict = {}
    for mono, c in a.terms.items():
        q, r = divmod(c, d)
        if q:
            quotient[mono] = q
        if r:
            remainder[mono] = r
    q_dim = _from_terms(quotient)
    const = remainder.pop((), 0)
    if not remainder:  # 0 <= const < d
        return q_dim
    # floor((g*x + c) / (g*e)) == floor((x + c//g) / e) for integer x
    g = gcd(_content(remainder), d)
    if g > 1:
        remainder = {m: c // g for m, c in remainder.items()}
        d //= g
        const //= g
    if const:
        remainder[()] = const
    r_dim = _from_terms(remainder)
    if d == 1:
        return add(q_dim, r_dim)
    # (x//a + c)//b == (x + a*c)//(a*b)
    if isinstance(r_dim, Expr) and len(r_dim.terms) <= 2:
        nested = [m for m in r_dim.terms if len(m) == 1 and m[0][1] == 1 and isinstance(m[0][0], FloorDiv)]
        if len(nested) == 1 and r_dim.terms[nested[0]] == 1 and type(nested[0][0][0].den) is int:
            fd = nested[0][0][0]
            c = r_dim.terms.get((), 0)
            return add(q_dim, floordiv(add(fd.num, fd.den * c), fd.den * d))
    return add(q_dim, _atom_dim(FloorDiv(r_dim, d)))


def _require_dims(*values) -> None:
    """An operand that is no size (an argument nobody knows) makes the result unknown."""
    for value in values:
        if not (is_dim(value) or isinstance(value, Fraction)):
            raise Lost(f"{value!r} is not a size")


def mod(a, b) -> Dim:
    """``a % b`` as ``a - b*(a//b)``: one canonical atom (floor division) serves both."""
    if type(a) is int and type(b) is int:
        return a % b
    return add(a, neg(mul(b, floordiv(a, b))))


def _atom_dim(atom: Atom) -> Expr:
    return Expr({((atom, 1),): 1})


def _extremum(fn: str, args: Iterable, pick) -> Dim:
    flat: list = []
    for a in args:
        a = as_dim(a) if not isinstance(a, Fraction) else a
        if isinstance(a, Expr) and len(a.terms) == 1:
            ((mono, c),) = a.terms.items()
            if c == 1 and len(mono) == 1 and isinstance(mono[0][0], Extremum) and mono[0][0].fn == fn:
                flat.extend(mono[0][0].args)
                continue
        flat.append(a)
    ints = [a for a in flat if not isinstance(a, Expr)]
    exprs: list = []
    for a in flat:
        if isinstance(a, Expr) and a not in exprs:
            exprs.append(a)
    # drop arguments that are dominated by a constant offset of another
    kept: list = []
    for a in exprs:
        dominated = False
        for b in exprs:
            if a is b:
                continue
            diff = add(a, neg(b))
            if not isinstance(diff, Expr) and (diff < 0 if fn == "max" else diff > 0):
                dominated = True
                break
        if not dominated:
            kept.append(a)
    if ints:
        best = pick(ints)
        kept.append(best)
    if len(kept) == 1:
        return kept[0]
    kept.sort(key=_text)
    return _atom_dim(Extremum(fn, tuple(kept)))


def dmax(*args) -> Dim:
    if all(type(a) is int for a in args):
        return max(args)
    return _extremum("max", args, max)


def dmin(*args) -> Dim:
    if all(type(a) is int for a in args):
        return min(args)
    return _extremum("min", args, min)


def product(dims: Iterable) -> Dim:
    out: Dim = 1
    for d in dims:
        out = mul(out, d)
    return out


# ---------------------------------------------------------------------------------------------
# substitution


def _rebuild(d, env: Callable[[Atom], Dim]) -> Dim:
    if not isinstance(d, Expr):
        return d
    total: Dim = 0
    for mono, c in d.terms.items():
        value: Dim = c
        inverse: Dim = 1
        for atom, e in mono:
            v = env(atom)
            if e > 0:
                for _ in range(e):
                    value = mul(value, v)
            else:
                for _ in range(-e):
                    inverse = mul(inverse, v)
        if inverse != 1:
            value = _exact_div(value, inverse)
        total = add(total, value)
    return total


def _exact_div(value: Dim, den: Dim) -> Dim:
    """Divide by a divisor known to divide; keep exactness when the divisor is a monomial."""
    if type(den) is int:
        if type(value) is int:
            return value // den
        return mul(value, Fraction(1, den))
    single = _as_single_mono(den)
    if single is not None:
        c, mono = single
        inverse = tuple((atom, -e) for atom, e in mono)
        return mul(mul(value, _from_terms({inverse: 1})), Fraction(1, c) if c != 1 else 1)
    return floordiv(value, den)


def substitute(d: Dim, values: Mapping[str, Dim]) -> Dim:
    """Replace symbols by dims (or ints); a fully concrete result is an ``int``."""
    if not isinstance(d, Expr):
        return d

    def env(atom: Atom) -> Dim:
        if isinstance(atom, Sym):
            return values[atom.name] if atom.name in values else _atom_dim(atom)
        return atom.value(env)

    out = _rebuild(d, env)
    if isinstance(out, Fraction):  # an exactness assumption that the values violate
        return out.numerator // out.denominator
    return out


def map_atoms(d: Dim, fn: Callable[[Atom, Callable], Dim]) -> Dim:
    """Rebuild ``d`` with ``fn(atom, recurse)`` deciding each atom's value."""
    if not isinstance(d, Expr):
        return d

    def env(atom: Atom) -> Dim:
        return fn(atom, env)

    return _rebuild(d, env)


def symbols_of(d: Dim) -> set:
    return d.symbols() if isinstance(d, Expr) else set()


# ---------------------------------------------------------------------------------------------
# printing: Python arithmetic that parses back to the same value


def _text(d) -> str:
    if isinstance(d, Expr):
        return d.text()
    if isinstance(d, Fraction):
        return f"{d.numerator}//{d.denominator}"
    return str(d)


def _paren_sum(d) -> str:
    s = _text(d)
    return f"({s})" if isinstance(d, Expr) and (len(d.terms) > 1 or _leading_negative(d)) else s


def _paren_product(d) -> str:
    s = _text(d)
    if isinstance(d, Expr) and (
        len(d.terms) > 1
        or any(True for m in d.terms for _ in m[1:])
        or any(c != 1 for c in d.terms.values())
        or any(e != 1 for m in d.terms for _, e in m)
    ):
        return f"({s})"
    return s


def _leading_negative(d: Expr) -> bool:
    return any(c < 0 for c in d.terms.values())


def _degree(mono: Mono) -> int:
    return sum(e for _, e in mono if e > 0)


def _term_order(item) -> tuple:
    mono, _ = item
    return (-_degree(mono), tuple(a.key for a, _ in mono))


def _format_mono(mono: Mono) -> str:
    parts = []
    for atom, e in mono:
        s = atom.text()
        if isinstance(atom, FloorDiv):
            s = f"({s})"
        parts.extend([s] * e)
    return "*".join(parts)


def _format_sum(terms: dict) -> str:
    folded = _fold_constant(terms)
    if folded is not None:
        return folded
    # Group terms by their exact-division denominator so that C*n^-1 prints as C//n.
    groups: dict = {}
    for mono, c in terms.items():
        num = tuple((a, e) for a, e in mono if e > 0)
        den = tuple((a, -e) for a, e in mono if e < 0)
        den_int = c.denominator if isinstance(c, Fraction) else 1
        numer = c.numerator if isinstance(c, Fraction) else c
        groups.setdefault((den, den_int), {})[num] = numer
    pieces: list = []  # (sort key, sign, text)
    for (den, den_int), nums in groups.items():
        if not den and den_int == 1:
            for mono, c in sorted(nums.items(), key=_term_order):
                pieces.append((_term_order((mono, c)), c < 0, _format_term(mono, abs(c))))
            continue
        inner = _format_plain(nums)
        den_parts = [_format_mono(den)] if den else []
        if den_int != 1:
            den_parts.insert(0, str(den_int))
        den_text = "*".join(p for p in den_parts if p)
        if len(den_parts) > 1 or "*" in den_text:
            den_text = f"({den_text})"
        negative = len(nums) == 1 and next(iter(nums.values())) < 0
        if negative:
            inner = _format_plain({m: -c for m, c in nums.items()})
        body = f"({inner})" if len(nums) > 1 or ("*" in inner) else inner
        key = min(_term_order(item) for item in nums.items())
        pieces.append((key, negative, f"{body}//{den_text}"))
    pieces.sort(key=lambda p: p[0])
    out = ""
    for i, (_, negative, text) in enumerate(pieces):
        if i == 0:
            out = _negate(text) if negative else text
        else:
            out += f" - {text}" if negative else f" + {text}"
    return _fold_mod(terms, out)


def _fold_constant(terms: dict):
    """Print ``(H + 1)//2 - 1`` as ``(H - 1)//2``: the same value with one term fewer.

    Only for a lone floor division plus a constant that fits inside it (``|r + c*d| < d``).
    """
    if len(terms) != 2 or () not in terms:
        return None
    c = terms[()]
    ((mono, coef),) = ((m, v) for m, v in terms.items() if m != ())
    if coef != 1 or len(mono) != 1 or mono[0][1] != 1 or not isinstance(mono[0][0], FloorDiv):
        return None
    atom = mono[0][0]
    if type(atom.den) is not int or not isinstance(atom.num, Expr) or type(c) is not int:
        return None
    r = atom.num.terms.get((), 0)
    inner = r + c * atom.den
    if r == 0 or type(r) is not int or abs(inner) >= atom.den:
        return None
    numerator = add(add(atom.num, -r), inner)
    return f"{_paren_sum(numerator)}//{atom.den}"


def _negate(text: str) -> str:
    """Unary minus binds tighter than ``//``: ``-(C//n)``, not ``-C//n``."""
    return f"-({text})" if "//" in text or "%" in text else f"-{text}"


def _format_plain(terms: dict) -> str:
    items = sorted(terms.items(), key=_term_order)
    out = ""
    for i, (mono, c) in enumerate(items):
        t = _format_term(mono, abs(c))
        if i == 0:
            out = _negate(t) if c < 0 else t
        else:
            out += f" - {t}" if c < 0 else f" + {t}"
    return out


def _format_term(mono: Mono, c) -> str:
    if not mono:
        return str(c)
    if c == 1 and len(mono) == 1 and mono[0][1] == 1:
        return mono[0][0].text()
    body = _format_mono(mono)
    return body if c == 1 else f"{c}*{body}"


def _fold_mod(terms: dict, default: str) -> str:
    """Print ``x - n*(x//n)`` as ``x % n`` (how users write it)."""
    for mono, c in terms.items():
        for atom, e in mono:
            if not isinstance(atom, FloorDiv) or e != 1:
                continue
            cofactor = _from_terms({tuple(ae for ae in mono if ae[0] is not atom): c})
            if cofactor != neg(atom.den):
                continue
            rest = add(add(_from_terms(dict(terms)), neg(atom.num)), mul(atom.den, _atom_dim(atom)))
            left = f"{_paren_sum(atom.num)} % {_paren_product(atom.den)}"
            if rest == 0:
                return left
            rest_text = _text(rest)
            if rest_text.startswith("-") and not (isinstance(rest, Expr) and len(rest.terms) > 1):
                return f"{left} - {rest_text[1:]}"
            return f"{left} + {rest_text}" if not rest_text.startswith("-") else f"{left} + ({rest_text})"
    return default

"""The declarative core of a family: parameters, constraints, binding, twins.

A family is one small class that says what the mathematics says of it:

* ``parameters``: its named parameters, each with a :class:`Constraint`
  (which also gives the assumptions of the Symbol a string becomes);
* ``support``: the set where its density is positive;
* ``log_density(x)``: the logarithm of its density or mass function;
* optionally ``landmarks()``: points where quadrature should split,
  and ``notation``: how LaTeX writes it.

Everything else (expectations, KL, entropy) is derived from these by the engine.
"""
from __future__ import annotations

import abc
import numbers
import re
import sys
from dataclasses import dataclass
from typing import Callable, ClassVar, Optional

import sympy as sp
from sympy.core.logic import fuzzy_and

from ..errors import InvalidInput, InvalidType, Unsupported

#: the largest count (trials, categories, coordinates) a family takes as a number: the
#: engine's exact sums and matrices over a count are linear work or more, and past this
#: they cannot finish
LARGEST_COUNT = 10 ** 5


@dataclass(frozen=True)
class Constraint:
    """What a parameter's value must satisfy.

    ``holds(value)`` answers True, False or None (undecidable, e.g. a Symbol
    whose sign sympy cannot tell); ``assumptions`` are given to the Symbol a
    string or a generic parameter becomes; ``draw(rng)`` picks a typical
    valid value (exact), for examples and checks; ``largest``, if set, is the
    largest number symkl can compute with.
    """

    description: str
    assumptions: tuple
    holds: Callable[[sp.Expr], Optional[bool]]
    draw: Callable = None
    largest: Optional[int] = None
    #: value ↦ the condition (a sympy Boolean) that an expression may stand for the parameter
    region: Callable = None


def _finite(v):
    return v.is_finite


REAL = Constraint("a real number", (("real", True),),
                  lambda v: fuzzy_and([v.is_extended_real, _finite(v)]),
                  lambda rng: sp.Rational(rng.randint(-30, 30), 10), region=lambda v: sp.true)
POSITIVE = Constraint("positive", (("positive", True),),
                      lambda v: fuzzy_and([v.is_positive, _finite(v)]),
                      lambda rng: sp.Rational(rng.randint(3, 40), 10), region=lambda v: sp.Gt(v, 0))
OPEN_UNIT_INTERVAL = Constraint(
    "in (0, 1)", (("positive", True),),
    lambda v: fuzzy_and([v.is_positive, (1 - v).is_positive]),
    lambda rng: sp.Rational(rng.randint(1, 19), 20),
    region=lambda v: sp.And(sp.Gt(v, 0), sp.Gt(1 - v, 0)))
POSITIVE_INTEGER = Constraint(
    "a positive integer", (("integer", True), ("positive", True)),
    lambda v: fuzzy_and([v.is_integer, v.is_positive]),
    lambda rng: sp.Integer(rng.randint(1, 6)), LARGEST_COUNT)
# A probability may be 0 when given as a number; a name for one is taken to be positive.
PROBABILITY = Constraint(
    "in [0, 1]", (("positive", True),),
    lambda v: fuzzy_and([v.is_nonnegative, (1 - v).is_nonnegative]))


@dataclass(frozen=True)
class Parameter:
    """A named parameter: its constraint and how LaTeX writes it.

    A *structural* parameter (the n of a Binomial) fixes the shape of the
    support: it is kept as given when the engine derives with fresh symbols,
    and shared rather than told apart between p and q.
    """

    name: str
    constraint: Constraint
    latex: str
    structural: bool = False

    def symbol(self, name: Optional[str] = None) -> sp.Symbol:
        """A Symbol for this parameter, with the constraint's assumptions."""
        return sp.Symbol(name or self.name, **dict(self.constraint.assumptions))


_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*", re.ASCII)


def as_name(what: str, value: str, expected: str = "a number or a name") -> str:
    """``value`` if it is a name (ASCII letters, digits, underscores, a letter first), else
    InvalidInput saying ``what`` must be ``expected``.

    >>> as_name("Normal: mu", "mu_1")
    'mu_1'
    >>> as_name("Normal: mu", "__import__('os')")
    Traceback (most recent call last):
    ...
    symkl.errors.InvalidInput: Normal: mu must be a number or a name (ASCII letters, digits and underscores, a letter first), got "__import__('os')"
    """
    if not _NAME.fullmatch(value):
        raise InvalidInput(f"{what} must be {expected} (ASCII letters, digits and "
                           f"underscores, a letter first), got {shown(value)}")
    return value


def as_expression(what: str, value, expected: str = "a number or a sympy expression",
                  valid: str = "a real number") -> sp.Expr:
    """A user's number or sympy expression as a finite, possibly real sympy Expr; text is never parsed.

    ints, Fractions and numpy integers become exact Integers and Rationals,
    floats (numpy's too) sympy Floats; a numpy scalar or 0-d array counts as
    the number it holds.  Anything else (a string, a bool, None, a list, a
    number type other than these) raises InvalidType saying ``what`` must be
    ``expected``; nan, ±∞, zoo, complex numbers and provably non-real
    expressions raise InvalidInput saying it must be ``valid``; a number
    longer than Python prints (4300 digits unless told otherwise; a float
    counts as the exact binary number it is, so ``Float("1e10000")`` is one)
    raises Unsupported.

    >>> as_expression("base", 2), as_expression("base", 0.5)
    (2, 0.500000000000000)
    >>> as_expression("Normal: mu", float("nan"))
    Traceback (most recent call last):
    ...
    symkl.errors.InvalidInput: Normal: mu must be a real number, got nan
    """
    if not isinstance(value, sp.Basic) and getattr(value, "shape", None) == () \
            and hasattr(value, "item"):
        value = value.item()  # a numpy scalar or 0-d array: the Python number it holds
    if isinstance(value, bool) or not isinstance(value, (numbers.Number, sp.Basic)):
        raise InvalidType(f"{what} must be {expected}, got {_described(value)}")
    if isinstance(value, sp.Basic):
        expr = value
    elif isinstance(value, numbers.Integral):
        expr = sp.Integer(int(value))
    elif isinstance(value, numbers.Rational):
        expr = sp.Rational(int(value.numerator), int(value.denominator))
    elif isinstance(value, float):
        expr = sp.Float(value)
    elif isinstance(value, numbers.Complex):
        raise InvalidInput(f"{what} must be {valid}, got {shown(value)}")
    else:
        raise InvalidType(f"{what} must be {expected}, got {_described(value)}")
    if not isinstance(expr, sp.Expr):
        raise InvalidType(f"{what} must be {expected}, got {_described(value)}")
    if expr.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or expr.is_extended_real is False:
        raise InvalidInput(f"{what} must be {valid}, got {shown(expr)}")
    longest = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 0
    exact = [*expr.atoms(sp.Rational), *map(sp.Rational, expr.atoms(sp.Float))]  # a float exactly
    if longest and any(abs(n) >= 10 ** longest for r in exact for n in (r.p, r.q)):
        raise Unsupported(f"{what} holds a number of more than {longest} digits (a float counts "
                          f"as the exact binary number it is), more than Python prints "
                          f"(see sys.set_int_max_str_digits)")
    return expr


def as_parameter(family: str, parameter: Parameter, value) -> sp.Expr:
    r"""Turn a user's value into a sympy object and check its constraint.

    Strings are names, never parsed: ``"sigma_1"`` becomes a Symbol with the
    parameter's assumptions.  Numbers become exact sympy numbers (floats stay
    floats; see :func:`as_expression`).  A value that violates the constraint,
    one that sympy cannot tell is real (a Symbol without assumptions) or, for
    a count, an integer, and a number of which sympy cannot tell whether it
    satisfies the constraint, raise InvalidInput; a count too large to
    compute with raises Unsupported.

    >>> sigma = Parameter("sigma", POSITIVE, r"\sigma")
    >>> as_parameter("Normal", sigma, "s").is_positive
    True
    >>> as_parameter("Normal", sigma, -1)
    Traceback (most recent call last):
    ...
    symkl.errors.InvalidInput: Normal: sigma must be positive, got -1
    """
    what = f"{family}: {parameter.name}"
    if isinstance(value, str):
        return parameter.symbol(as_name(what, value))
    constraint = parameter.constraint
    expr = as_expression(what, value, "a number, a name or a sympy expression", constraint.description)
    if expr.is_extended_real is None:
        raise InvalidInput(f"{what} must be {constraint.description}, got {shown(expr)}, which "
                           f"sympy cannot tell is real (make its symbols real=True or "
                           f"positive=True, or pass a name)")
    if dict(constraint.assumptions).get("integer") and expr.is_integer is None:
        raise InvalidInput(f"{what} must be {constraint.description}, got {shown(expr)}, which "
                           f"sympy cannot tell is an integer (make its symbols integer=True, or "
                           f"pass a name)")
    verdict = constraint.holds(expr)
    if verdict is False:
        raise InvalidInput(f"{what} must be {constraint.description}, got {shown(expr)}")
    if verdict is None and expr.is_number:
        raise InvalidInput(f"{what} must be {constraint.description}, got {shown(expr)}, "
                           f"of which sympy cannot tell")
    if constraint.largest is not None and expr.is_number and expr > constraint.largest:
        raise Unsupported(f"{what} is too large to compute with (got {shown(expr)}); symkl "
                          f"takes at most {constraint.largest:,}")
    return expr


def shown(value, longest: int = 60) -> str:
    """``value`` as a message shows it: a string quoted, cut short, never failing on a huge number.

    >>> shown("abc"), shown(10 ** 100), shown(sp.Rational(1, 3) ** 10000)[:20]
    ("'abc'", 'an integer of about 101 digits', 'a number too long to')
    """
    if isinstance(value, (int, sp.Integer)) and not isinstance(value, bool) \
            and abs(int(value)) >= 10 ** 20:
        return f"an integer of about {int(abs(int(value)).bit_length() * 0.30103) + 1} digits"
    try:
        text = repr(value) if isinstance(value, str) else str(value)
    except ValueError:  # Python converts integers of at most sys.get_int_max_str_digits() digits
        return f"a number too long to print (over {sys.get_int_max_str_digits()} digits)"
    return text if len(text) <= longest else text[:longest - 1] + "…"


def _described(value) -> str:
    """What kind of thing ``value`` is, for a message: ``list [1, 2]``, ``None``."""
    return "None" if value is None else f"{type(value).__name__} {shown(value)}"


def check_names(families) -> None:
    """InvalidInput if one name stands for different symbols among ``families``.

    ``Normal("a", "s")`` makes s positive, ``Normal("s", 1)`` makes it real:
    two Symbols that print alike but differ, which no formula can tell apart.

    >>> from symkl import Normal
    >>> check_names([Normal("a", "s"), Normal("s", 1)])
    Traceback (most recent call last):
    ...
    symkl.errors.InvalidInput: the name 's' is positive in Normal(a, s) but real in Normal(s, 1): give the two parameters different names
    """
    seen = {}
    for family in families:
        for symbol in sorted(family.free_symbols, key=lambda s: (str(s), _assumed(s))):
            first, where = seen.setdefault(symbol.name, (symbol, family))
            if first != symbol:
                both = (f"{_assumed(first)} and {_assumed(symbol)} in {family!r}" if where is family
                        else f"{_assumed(first)} in {where!r} but {_assumed(symbol)} in {family!r}")
                raise InvalidInput(f"the name {symbol.name!r} is {both}: give the two parameters "
                                   f"different names")


def _assumed(symbol) -> str:
    """What a Symbol is assumed to be (``positive``, ``a positive integer``), or a MatrixSymbol's shape."""
    if isinstance(symbol, sp.MatrixSymbol):
        return f"a {symbol.rows}×{symbol.cols} matrix"
    facts = symbol.assumptions0
    if facts.get("integer"):
        return "a positive integer" if facts.get("positive") else "an integer"
    return next((fact for fact in ("positive", "real") if facts.get(fact)), "without assumptions")


class Distribution(abc.ABC):
    """Base class of the families.  Subclasses declare, the engine derives.

    A subclass sets ``parameters`` and ``notation`` and defines ``support``
    and ``log_density``.  Created with no arguments, a family takes Symbols
    named after its parameters.
    """

    parameters: ClassVar[tuple[Parameter, ...]] = ()
    #: LaTeX with one ``{}`` per parameter, e.g. ``\\mathcal{N}\\left({}, {}^{2}\\right)``
    notation: ClassVar[str] = ""
    #: True for families on a countable support (sums instead of integrals)
    discrete: ClassVar[bool] = False
    #: True for families of random vectors (on ℝᵏ or a simplex), which have a ``dimension``
    multivariate: ClassVar[bool] = False

    def __init__(self, *values):
        name = type(self).__name__
        if values and len(values) != len(self.parameters):
            expected = ", ".join(p.name for p in self.parameters)
            raise InvalidType(f"{name} takes {len(self.parameters)} parameter(s) ({expected}), "
                              f"got {len(values)}")
        self.uses_default_symbols = not values
        if not values:
            values = tuple(p.name for p in self.parameters)
        self.args = tuple(as_parameter(name, p, v) for p, v in zip(self.parameters, values))
        self._check_together()
        check_names([self])

    def _check_together(self):
        """Constraints that bind parameters together (a < b), raising InvalidInput; none by default."""

    def __getattr__(self, attribute):
        for parameter, value in zip(type(self).parameters, self.__dict__.get("args", ())):
            if parameter.name == attribute:
                return value
        raise AttributeError(f"{type(self).__name__} has no attribute {attribute!r}")

    # -- what a family declares ------------------------------------------------
    @property
    @abc.abstractmethod
    def support(self) -> sp.Set:
        """The set where the density (or mass) is positive."""

    @abc.abstractmethod
    def log_density(self, x: sp.Symbol) -> sp.Expr:
        """log p(x) at a point x of the support."""

    def sample(self, rng, known=None) -> dict:
        """Random valid values for the Symbols among the parameters.

        Values already in ``known`` (a structural n shared with the other
        side) are kept.  Used for examples and checks.
        """
        known = dict(known or {})
        for _ in range(100):
            values = {arg: known.get(arg) or parameter.constraint.draw(rng)
                      for parameter, arg in zip(self.parameters, self.args)
                      if isinstance(arg, sp.Symbol)}
            try:
                self.subs(values)
            except ValueError:
                continue
            return values
        raise ValueError(f"{type(self).__name__}: found no valid random parameters")

    def valid_together(self, values: dict):
        """The condition (a sympy Boolean) that the parameter values ``values`` (by Symbol;
        for indexed parameters, by IndexedBase, each its entry at the coordinate index) are
        valid together, beyond each one's own constraint: probabilities that must sum to 1
        say so here.  True by default."""
        return sp.true

    def check_comparable(self, other: "Distribution"):
        """Raise InvalidInput if a divergence against ``other`` makes no sense (sizes differ)."""

    def landmarks(self) -> tuple:
        """Points where the density changes character (for quadrature)."""
        return ()

    def sized_like(self, other: "Distribution") -> "Distribution":
        """This family with a dimension left open taken from ``other`` (itself by default)."""
        return self

    # -- what a family may know of its own expectations (None: not known) ------
    def mgf(self, t):
        """E[e^{tX}], the moment generating function, where it is standard (for a random
        vector, E[e^{tᵀX}] for a column t).

        A Piecewise whose first piece holds near t = 0 (or, where M is finite on one
        side of 0 only, is ``Eq(t, 0)``) and whose last is ∞ where the expectation
        diverges.
        """
        return None

    def cdf(self, x):
        """P(X ≤ x) for x in the support, for scalar families where it is standard."""
        return None

    def power_moment(self, s):
        """E[X^s] for real s (a Mellin transform), for families on (0, ∞); ∞ where divergent."""
        return None

    def power_moment_envelope(self):
        """(C, b) with E[X^m] ≤ C·m^{−b} for every integer m ≥ 1, for families on [0, 1]
        whose moments decay so (it bounds the remainder of a series in E[X^m]), else None."""
        return None

    def expectation(self, statistic, x):
        """E[statistic(X)] for statistics special to this family, else None."""
        return None

    # -- what a family of random vectors may know (None: not known) -------------
    def moments(self):
        """(mean vector, covariance matrix) of a random vector, where they are the parameters."""
        return None

    def marginal(self, i) -> "Distribution | None":
        """The distribution of the coordinate X_i alone (i counts from 1), where it is standard."""
        return None

    # -- derived ----------------------------------------------------------------
    def variable(self) -> sp.Symbol:
        """The random variable's symbol, with the support's assumptions."""
        assumptions = {"integer": True} if self.discrete else {"real": True}
        lower = self.support.inf
        if lower.is_nonnegative:
            assumptions["nonnegative"] = True
        return sp.Symbol("x", **assumptions)

    @property
    def free_symbols(self) -> set:
        return set().union(*(sp.sympify(a).free_symbols for a in self.args))

    @property
    def parameter_symbols(self) -> set:
        """The symbols of the parameters that are not structural (what θ is made of)."""
        return set().union(*(sp.sympify(a).free_symbols
                             for a, p in zip(self.args, self.parameters) if not p.structural))

    def with_parameters(self, args) -> "Distribution":
        """The same family with other parameter values (validated)."""
        return type(self)(*args)

    def subs(self, mapping) -> "Distribution":
        """The family with ``mapping`` substituted into its parameters."""
        return self.with_parameters(tuple(sp.sympify(a).xreplace(mapping) for a in self.args))

    def generic(self, tag: str) -> tuple["Distribution", dict]:
        """A twin whose parameters are fresh Symbols ``name_tag``.

        Returns the twin and the map from its Symbols to this family's values.
        The engine derives once for the twin (and caches), then substitutes.
        """
        symbols = tuple(value if p.structural else p.symbol(f"{p.name}_{tag}")
                        for p, value in zip(self.parameters, self.args))
        mapping = {s: v for s, v, p in zip(symbols, self.args, self.parameters) if not p.structural}
        return self.with_parameters(symbols), mapping

    def content(self) -> tuple:
        """What this distribution is: its family (whose declared facts the engine uses),
        its log-density at the point x, and its support.

        Equality, hashing and so every cache of the engine go by this, so two
        distributions of one class with different densities never share a result.
        """
        known = self.__dict__.get("_content")
        if known is None:
            known = (type(self), self.discrete, self.log_density(self.variable()), self.support)
            self.__dict__["_content"] = known
        return known

    def renamed(self, tag: str) -> "Distribution":
        """Default symbols ``mu`` become ``mu_tag``; other parameters stay."""
        if not self.uses_default_symbols:
            return self
        twin, _ = self.generic(tag)
        return twin

    def latex_names(self) -> dict:
        """LaTeX for Symbols named after parameters (``rate_1`` -> ``\\lambda_{1}``).

        A tag joins a subscript the parameter's LaTeX already has: ``x_m_1``
        is ``x_{m,1}``, never the double subscript ``x_{m}_{1}``.

        >>> from symkl import Pareto
        >>> Pareto("x_m_1", "alpha_1").latex_names()
        {x_m_1: 'x_{m,1}', alpha_1: '\\\\alpha_{1}'}
        """
        names = {}
        for parameter, value in zip(self.parameters, self.args):
            for s in sp.sympify(value).free_symbols:
                m = re.fullmatch(re.escape(parameter.name) + r"(?:_(\w+))?", s.name)
                if not m or parameter.latex == parameter.name:
                    continue
                tag, subscripted = m.group(1), re.fullmatch(r"(.*)_\{(.*)\}", parameter.latex)
                if tag is None:
                    names[s] = parameter.latex
                elif subscripted:
                    names[s] = f"{subscripted[1]}_{{{subscripted[2]},{tag}}}"
                else:
                    names[s] = f"{parameter.latex}_{{{tag}}}"
        return names

    def _latex(self, printer) -> str:
        return self.notation.format(*(printer._print(a) for a in self.args))

    def __eq__(self, other):
        return (type(self) is type(other) and self.args == other.args
                and self.content() == other.content())

    def __hash__(self):
        return hash(self.content())

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(str(a) for a in self.args)})"

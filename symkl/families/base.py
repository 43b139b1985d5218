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
import re
from dataclasses import dataclass
from fractions import Fraction
from numbers import Number
from typing import Callable, ClassVar, Optional

import sympy as sp
from sympy.core.logic import fuzzy_and


@dataclass(frozen=True)
class Constraint:
    """What a parameter's value must satisfy.

    ``holds(value)`` answers True, False or None (undecidable, e.g. a Symbol
    whose sign sympy cannot tell); ``assumptions`` are given to the Symbol a
    string or a generic parameter becomes; ``draw(rng)`` picks a typical
    valid value (exact), for examples and checks.
    """

    description: str
    assumptions: tuple
    holds: Callable[[sp.Expr], Optional[bool]]
    draw: Callable = None


def _finite(v):
    return v.is_finite


REAL = Constraint("a real number", (("real", True),),
                  lambda v: fuzzy_and([v.is_extended_real, _finite(v)]),
                  lambda rng: sp.Rational(rng.randint(-30, 30), 10))
POSITIVE = Constraint("positive", (("positive", True),),
                      lambda v: fuzzy_and([v.is_positive, _finite(v)]),
                      lambda rng: sp.Rational(rng.randint(3, 40), 10))
OPEN_UNIT_INTERVAL = Constraint(
    "in (0, 1)", (("positive", True),),
    lambda v: fuzzy_and([v.is_positive, (1 - v).is_positive]),
    lambda rng: sp.Rational(rng.randint(1, 19), 20))
POSITIVE_INTEGER = Constraint(
    "a positive integer", (("integer", True), ("positive", True)),
    lambda v: fuzzy_and([v.is_integer, v.is_positive]),
    lambda rng: sp.Integer(rng.randint(1, 6)))
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


def as_parameter(family: str, parameter: Parameter, value) -> sp.Expr:
    """Turn a user's value into a sympy object and check its constraint.

    Strings are names, never parsed: ``"sigma_1"`` becomes a Symbol with the
    parameter's assumptions.  Numbers become exact sympy numbers (floats stay
    floats).  A value that provably violates the constraint raises ValueError.
    """
    if isinstance(value, str):
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", value):
            raise ValueError(f"{family}: {parameter.name} must be a number or a name "
                             f"(letters, digits, underscores), got {value!r}")
        return parameter.symbol(value)
    if isinstance(value, bool) or not isinstance(value, (Number, Fraction, sp.Basic)):
        raise TypeError(f"{family}: {parameter.name} must be a number, a name or a sympy "
                        f"expression, got {type(value).__name__}")
    expr = sp.sympify(value) if not isinstance(value, sp.Basic) else value
    if not isinstance(expr, sp.Expr) or expr.has(sp.nan, sp.zoo):
        raise ValueError(f"{family}: {parameter.name} must be {parameter.constraint.description}, "
                         f"got {value}")
    if parameter.constraint.holds(expr) is False:
        raise ValueError(f"{family}: {parameter.name} must be {parameter.constraint.description}, "
                         f"got {value}")
    return expr


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

    def __init__(self, *values):
        name = type(self).__name__
        if values and len(values) != len(self.parameters):
            expected = ", ".join(p.name for p in self.parameters)
            raise TypeError(f"{name} takes {len(self.parameters)} parameter(s) ({expected}), "
                            f"got {len(values)}")
        self.uses_default_symbols = not values
        if not values:
            values = tuple(p.name for p in self.parameters)
        self.args = tuple(as_parameter(name, p, v) for p, v in zip(self.parameters, values))
        self._check_together()

    def _check_together(self):
        """Constraints that bind parameters together (a < b); none by default."""

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

    def check_comparable(self, other: "Distribution"):
        """Raise ValueError if a divergence against ``other`` makes no sense (sizes differ)."""

    def landmarks(self) -> tuple:
        """Points where the density changes character (for quadrature)."""
        return ()

    def sized_like(self, other: "Distribution") -> "Distribution":
        """This family with a dimension left open taken from ``other`` (itself by default)."""
        return self

    # -- what a family may know of its own expectations (None: not known) ------
    def mgf(self, t):
        """E[e^{tX}], the moment generating function, where it is standard.

        A Piecewise whose first piece holds near t = 0 and whose last is ∞
        where the expectation diverges.
        """
        return None

    def power_moment(self, s):
        """E[X^s] for real s (a Mellin transform), for families on (0, ∞); ∞ where divergent."""
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
        return type(self)(*symbols), mapping

    def signature(self) -> tuple:
        """What determines the generic twin: the family and its structural parameters."""
        return (type(self), *(v for p, v in zip(self.parameters, self.args) if p.structural))

    def renamed(self, tag: str) -> "Distribution":
        """Default symbols ``mu`` become ``mu_tag``; other parameters stay."""
        if not self.uses_default_symbols:
            return self
        twin, _ = self.generic(tag)
        return twin

    def latex_names(self) -> dict:
        """LaTeX for Symbols named after parameters (``rate_1`` -> ``\\lambda_{1}``)."""
        names = {}
        for parameter, value in zip(self.parameters, self.args):
            for s in sp.sympify(value).free_symbols:
                m = re.fullmatch(re.escape(parameter.name) + r"(?:_(\w+))?", s.name)
                if m and parameter.latex != parameter.name:
                    names[s] = parameter.latex + (f"_{{{m.group(1)}}}" if m.group(1) else "")
        return names

    def _latex(self, printer) -> str:
        return self.notation.format(*(printer._print(a) for a in self.args))

    def __eq__(self, other):
        return type(self) is type(other) and self.args == other.args

    def __hash__(self):
        return hash((type(self), self.args))

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(str(a) for a in self.args)})"

"""Laws made from other laws: the affine image loc + scale·X, and p truncated to [a, b].

``affine(p, loc, scale)`` is a family of its own (a class per base family, as
:func:`~symkl.families.density.from_density` makes one per density), whose
parameters are the base's followed by ``loc`` and ``scale``.  What it knows of
itself it knows through the base: E[g(Y)] = E_X[g(loc + scale·X)] by the
engine's rules for X, F_Y(y) = F_X((y − loc)/scale), M_Y(t) = e^{loc·t} M_X(scale·t).
So KL(loc + scale·X ‖ loc + scale·Y) comes out as KL(X ‖ Y), as it must (KL is
invariant under a bijection of the space).

>>> import symkl as sk
>>> sk.kl(sk.affine(sk.Exponential(1), "m", "s"), sk.affine(sk.Exponential(2), "m", "s")).expr
1 - log(2)
"""
from __future__ import annotations

import sympy as sp

from ..errors import InvalidInput, InvalidType
from .base import POSITIVE, REAL, Constraint, Distribution, Parameter, as_parameter, check_names

#: seconds the base's expectation may take (within the derivation's own budget)
_FOR_THE_BASE = 10.0

_CLASSES: dict = {}

#: an end of a truncation: a real number, ±∞ allowed
_END = Constraint("a real number or ±∞", (("real", True),),
                  lambda v: v.is_extended_real, lambda rng: sp.Rational(rng.randint(-30, 30), 10),
                  region=lambda v: sp.true)


def affine(p, loc, scale) -> Distribution:
    """The law of ``loc + scale·X`` for X ~ ``p`` (a continuous scalar family), scale > 0.

    ``loc`` and ``scale`` are numbers, names or sympy expressions, like any parameter.

    >>> import symkl as sk
    >>> y = sk.affine(sk.Normal(0, 1), "m", "s")
    >>> y
    affine(Normal(0, 1), m, s)
    >>> sk.entropy(y).expr
    log(2*E*pi*s**2)/2
    """
    from .sympy_stats import as_distribution
    p = as_distribution(p)
    if p.discrete or p.multivariate:
        raise InvalidInput(f"affine takes a continuous distribution of one variable, got {p!r}")
    cls = _CLASSES.get(type(p))
    if cls is None:
        structural = [q.name for q in type(p).parameters if q.structural]
        if structural:
            raise InvalidInput(f"affine: {type(p).__name__} has a structural parameter "
                               f"({', '.join(structural)}); take a family without one")
        names = {q.name for q in type(p).parameters}
        loc_name, scale_name = _fresh("loc", names), _fresh("scale", names)
        cls = type(f"Affine{type(p).__name__}", (Affine,), {
            # loc and scale are structural: kept as given when the engine derives with fresh
            # symbols for the base's parameters, so that where p and q share them the
            # derivation sees one map y = loc + scale·x on both sides
            "parameters": tuple(type(p).parameters) + (
                Parameter(loc_name, REAL, r"\ell", structural=True),
                Parameter(scale_name, POSITIVE, "c", structural=True)),
            "_base_type": type(p), "__module__": __name__,
            "__doc__": f"loc + scale·X for X ~ {type(p).__name__}.",
        })
        _CLASSES[type(p)] = cls
    return cls(*p.args, loc, scale)


def _fresh(name, taken):
    while name in taken:
        name += "_"
    return name


class Affine(Distribution):
    """The base of the classes :func:`affine` makes (one per base family)."""

    _base_type: type

    def __init__(self, *values):
        super().__init__(*values)
        count = len(self._base_type.parameters)
        self.loc, self.scale = self.args[count:]

    def _check_together(self):
        # the base validates its own parameters, and those they bind together (a < b)
        self.base = self._base_type(*self.args[:len(self._base_type.parameters)])

    @property
    def support(self):
        inner = self.base.support
        return sp.Interval(self.loc + self.scale * inner.inf, self.loc + self.scale * inner.sup,
                           inner.left_open, inner.right_open)

    def _inner(self, y):
        return (y - self.loc) / self.scale

    def log_density(self, x):
        return self.base.log_density(self._inner(x)) - sp.log(self.scale)

    def expectation(self, statistic, x):
        """E[g(Y)] = E_X[g(loc + scale·X)], by the engine's rules for the base."""
        from ..engine.budget import clock
        from ..engine.decompose import decompose
        from ..engine.expectation import UNEVALUATED, expectation
        inner = self.base.variable()
        positive = sp.Dummy("x", positive=True) if self.base.support.inf.is_nonnegative else inner
        mapped = statistic.xreplace({x: self.loc + self.scale * positive})
        mapped = sp.expand(sp.expand_log(_absolute_values_normalised(mapped, positive)))
        deadline = clock() + _FOR_THE_BASE
        total = 0
        for term, coefficient in decompose(mapped.xreplace({positive: inner}), inner).items():
            if term == 1:
                total += coefficient
                continue
            found = expectation(self.base, term, inner, deadline)  # by linearity, term by term
            if found.rule == UNEVALUATED:
                return None
            total += coefficient * found.value
        return total

    def cdf(self, x):
        return self.base.cdf(self._inner(x))

    def mgf(self, t):
        found = self.base.mgf(self.scale * t)
        # into each piece: the engine reads the first piece as M near t = 0
        return None if found is None else sp.piecewise_fold(sp.exp(self.loc * t) * found)

    def landmarks(self):
        return tuple(self.loc + self.scale * m for m in self.base.landmarks())

    def _latex(self, printer):
        return rf"{printer._print(self.loc)} + {printer._print(self.scale)} \cdot {self.base._latex(printer)}"

    def __repr__(self):
        return f"affine({self.base!r}, {self.loc}, {self.scale})"


def _absolute_values_normalised(expr, x):
    """|k·x + d| as |k|·|x + d/k| (k of known sign), the form the families know E of."""
    def normalised(e):
        argument = sp.expand(e.args[0])
        if not argument.is_polynomial(x) or sp.degree(argument, x) != 1:
            return e
        slope = argument.coeff(x, 1)
        if slope in (1, -1) or slope.is_extended_real is not True or slope.is_zero is not False:
            return e
        return sp.Abs(slope) * sp.Abs(sp.expand(argument / slope))
    return expr.replace(lambda e: isinstance(e, sp.Abs), normalised)


_TRUNCATED: dict = {}


class Truncated(Distribution):
    """``p`` restricted to [lower, upper] and renormalised: p(x)/(F(upper) − F(lower)) there.

    ``lower`` and ``upper`` are numbers, names, sympy expressions or ±∞ (sympy's oo);
    the normaliser comes from p's CDF (its own, or sympy's integral of its density).
    A class per base family (``TruncatedNormal``), whose parameters are the base's
    followed by the two ends.

    >>> import sympy as sp, symkl as sk
    >>> sk.kl(sk.Truncated(sk.Normal(0, 1), 0, sp.oo), sk.HalfNormal(1)).expr
    0
    >>> sk.Truncated(sk.Exponential("lam"), 0, 1).log_density(sp.Symbol("x"))
    -lam*x + log(lam) - log(1 - exp(-lam))
    """

    _base_type: type = None

    def __new__(cls, *args):
        if cls is not Truncated:
            return super().__new__(cls)
        if len(args) != 3:
            raise InvalidInput(f"Truncated takes a distribution and two ends, got {len(args)} arguments")
        p, lower, upper = args
        from .sympy_stats import as_distribution
        p = as_distribution(p)
        if p.discrete or p.multivariate:
            raise InvalidInput(f"Truncated takes a continuous distribution of one variable, got {p!r}")
        sub = _TRUNCATED.get(type(p))
        if sub is None:
            names = {q.name for q in type(p).parameters}
            sub = type(f"Truncated{type(p).__name__}", (Truncated,), {
                # the ends are structural, as loc and scale of an affine law are
                "parameters": tuple(type(p).parameters) + (
                    Parameter(_fresh("lower", names), _END, "a", structural=True),
                    Parameter(_fresh("upper", names), _END, "b", structural=True)),
                "_base_type": type(p), "__module__": __name__,
                "__doc__": f"{type(p).__name__} restricted to [lower, upper].",
            })
            _TRUNCATED[type(p)] = sub
        made = sub(*p.args, lower, upper)
        made._constructed = True
        return made

    def __init__(self, *values):
        if self.__dict__.get("_constructed"):
            return  # made by Truncated(p, lower, upper), which Python now calls again
        count = len(self._base_type.parameters)
        if len(values) != count + 2:
            raise InvalidType(f"{type(self).__name__} takes {count + 2} parameters, got {len(values)}")
        name = type(self).__name__
        self.uses_default_symbols = False
        self.args = tuple(as_parameter(name, p, v) for p, v in zip(self.parameters[:count], values)) \
            + tuple(_as_end(name, p, v) for p, v in zip(self.parameters[count:], values[count:]))
        self._check_together()
        check_names([self])
        self.lower, self.upper = self.args[count:]

    def _check_together(self):
        count = len(self._base_type.parameters)
        self.base = self._base_type(*self.args[:count])
        lower, upper = self.args[count:]
        if (upper - lower).is_extended_positive is False:
            raise InvalidInput(f"Truncated: the lower end must be below the upper, got {lower} and {upper}")
        inner = self.base.support
        if (upper - inner.inf).is_extended_positive is False or (inner.sup - lower).is_extended_positive is False:
            raise InvalidInput(f"Truncated: [{lower}, {upper}] misses the support {inner} of {self.base!r}")
        if self._normaliser() is None:
            raise InvalidInput(f"Truncated: {self.base!r} has no CDF symkl can find, so no normaliser")

    def _cdf_of_base(self, point):
        from ..engine.crossings import cdf
        inner = self.base.support
        if point == sp.oo or point == inner.sup:
            return sp.S.One
        if point == -sp.oo or point == inner.inf:
            return sp.S.Zero
        return cdf(self.base, point)

    def _ends(self):
        inner = self.base.support
        count = len(self._base_type.parameters)
        lower, upper = self.args[count:]
        return sp.Max(lower, inner.inf), sp.Min(upper, inner.sup)

    def _normaliser(self):
        lower, upper = self._ends()
        below, above = self._cdf_of_base(lower), self._cdf_of_base(upper)
        return None if below is None or above is None else above - below

    @property
    def support(self):
        inner = self.base.support
        lower, upper = self._ends()
        return sp.Interval(lower, upper, inner.left_open and lower == inner.inf,
                           inner.right_open and upper == inner.sup)

    def log_density(self, x):
        return self.base.log_density(x) - sp.log(self._normaliser())

    def cdf(self, x):
        lower, _ = self._ends()
        below, at = self._cdf_of_base(lower), self._cdf_of_base(x)
        return None if at is None else (at - below) / self._normaliser()

    def landmarks(self):
        lower, upper = self._ends()
        return tuple(m for m in (lower, *self.base.landmarks(), upper)
                     if m.is_finite is not False and not ((m - lower).is_negative or (upper - m).is_negative))

    def _latex(self, printer):
        lower, upper = self._ends()
        return (rf"{self.base._latex(printer)}\big|_{{\left[{printer._print(lower)}, "
                rf"{printer._print(upper)}\right]}}")

    def __repr__(self):
        count = len(self._base_type.parameters)
        return f"Truncated({self.base!r}, {self.args[count]}, {self.args[count + 1]})"


def _as_end(family, parameter, value):
    """An end of a truncation: ±∞ (sympy's oo, or a float inf), or a parameter value."""
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        value = sp.oo if value > 0 else -sp.oo
    if value in (sp.oo, -sp.oo):
        return value
    return as_parameter(family, parameter, value)

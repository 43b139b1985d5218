"""Log-densities compiled for mpmath, from the families' own declarations.

A family's ``log_density`` is taken as the family writes it, at its
parameters (every float made the exact binary rational it is, so that no
float arithmetic happens in sympy), and split into its terms
c₀ + Σ c_k·t_k(x): the constant and the coefficients are computed once per
family, the t_k at every node, each term on its own so that their sizes are
known (the digits a sum of large terms loses: :meth:`LogDensity.with_size`).
Compilation is ``sympy.lambdify`` to mpmath (a few milliseconds), cached by
the expression itself, so two families with the same log-density share it
and two with different ones never do.
"""
from __future__ import annotations

import functools

import mpmath
import sympy as sp

from ..errors import InvalidInput

#: an exponential's argument beyond this size is not computed: e^y is taken as 0 or ∞.
#: Nodes far out in a tail reach |x| ~ e^(10^9), where a Gumbel's e^(−x/β) could never be
#: computed, and mpmath needs time that grows with log|y| for e^y (0.1 s at |y| = 10^300, a
#: failure beyond).  An argument that large (|y| > 2^40 ≈ 10^12) means x is that many
#: scales out: there e^y < e^-|y| changes nothing visible next to any number a tail or a
#: bulk computes, and e^y > e^|y| makes the log-density −∞, past computing: in log p alone,
#: p is 0 there; in log q, or in both, the integrand is past computing, which the
#: integrators mark as ∞ and the tails read as divergence when it comes while they grow
#: (see `symkl.numeric.tails`).
_HUGE_EXPONENT = mpmath.ldexp(1, 40)


def _exp(y):
    """e^y, or 0 and ∞ where |y| exceeds `_HUGE_EXPONENT` (see there)."""
    if abs(y) > _HUGE_EXPONENT:
        return mpmath.mpf(0) if y < 0 else mpmath.inf
    return mpmath.exp(y)


def weighted(log_weight, value):
    """e^log_weight · value, 0 where its exponent, log_weight + log|value|, is below
    −`_HUGE_EXPONENT` (a density of e^(−10^300) against a log-density of 10^300 is 0 here).

    >>> weighted(-mpmath.mpf(10) ** 300, mpmath.mpf(10) ** 300)
    mpf('0.0')
    """
    if value == 0 or log_weight == -mpmath.inf:
        return mpmath.mpf(0)
    if log_weight >= -_HUGE_EXPONENT:
        return _exp(log_weight) * value
    exponent = log_weight + mpmath.log(abs(value))
    if exponent < -_HUGE_EXPONENT:
        return mpmath.mpf(0)
    return mpmath.sign(value) * _exp(exponent)


#: what lambdify compiles to: mpmath, with e^y past computing as 0 or ∞
MODULES = [{"exp": _exp}, "mpmath"]


def to_mpmath(value) -> mpmath.mpf:
    """A real sympy number (or ±oo) as an mpf at the working precision; a Float exactly.

    >>> to_mpmath(sp.Float(0.1)) == mpmath.mpf(0.1)
    True
    """
    value = sp.sympify(value)
    if value in (sp.oo, -sp.oo):
        return mpmath.inf if value == sp.oo else -mpmath.inf
    if isinstance(value, sp.Float):
        return mpmath.mpf(value._mpf_)
    if isinstance(value, sp.Rational):
        return mpmath.mpf(value.p) / value.q
    return mpmath.mpmathify(sp.N(value, mpmath.mp.dps))


def exactly(value):
    """``value`` with every Float in it replaced by the exact binary rational it stands for.

    >>> exactly(sp.Float(0.5) + sp.Symbol("a"))
    a + 1/2
    """
    value = sp.sympify(value)
    return value.xreplace({f: sp.Rational(f) for f in value.atoms(sp.Float)})


def require_numbers(family):
    """InvalidInput unless every parameter of ``family`` is a number."""
    if family.free_symbols:
        names = ", ".join(sorted(map(str, family.free_symbols)))
        raise InvalidInput(f"numeric integration needs numeric parameters; {family!r} has symbols: {names}")


@functools.lru_cache(maxsize=512)
def _compiled(exprs, point):
    """For each of ``exprs``, c₀ + Σ c_k·t_k(point): the sympy numbers (c₀, c₁, …) and which
    t_k it uses; and one function point ↦ the distinct t_k of them all, so that what does not
    involve the point is computed once, and a t_k two of them share (log x_i in two
    Dirichlets) once a point."""
    fixed, uses, statistics = [], [], {}
    for expr in exprs:
        constant, coefficients, indices = [], [], []
        for term in sp.Add.make_args(_for_mpmath(expr)):
            if term.has(*point):
                coefficient, statistic = term.as_independent(*point, as_Add=False)
                coefficients.append(coefficient)
                indices.append(statistics.setdefault(statistic, len(statistics)))
            else:
                constant.append(term)
        fixed.append((sp.Add(*constant), *coefficients))
        uses.append(tuple(indices))
    varying = sp.lambdify(point, list(statistics), MODULES)
    return tuple(fixed), tuple(uses), varying


@functools.lru_cache(maxsize=2048)
def _numbers(numbers, prec: int) -> tuple:
    """The sympy numbers ``numbers`` as mpf at ``prec`` bits, each correct to that relative
    precision: sympy's ``evalf`` raises its own precision where terms cancel, as mpmath
    arithmetic at the working precision would not (log(λ/(1 − λ)) at λ = 1/2 + 10^-30 is
    10^-30·4, not 0)."""
    with mpmath.workprec(prec):
        return tuple(_number(c) for c in numbers)


def _number(c):
    """One constant of a log-density as an mpf (an mpmath value where it is no real number)."""
    value = c.evalf(mpmath.mp.dps + 5, maxn=4 * mpmath.mp.dps + 200) if c.is_number else c
    if value in (sp.oo, -sp.oo) or isinstance(value, sp.Float):
        return +to_mpmath(value)
    return sp.lambdify([], c, MODULES)()  # nan, a complex value: as mpmath computes it


def _for_mpmath(expr):
    """log(n!) as log Γ(n + 1), which mpmath computes without forming n!."""
    return expr.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.factorial),
                        lambda e: sp.loggamma(e.args[0].args[0] + 1))


class LogDensities:
    """An mpmath function ``point ↦ [log p(point), log q(point), …]`` of numeric families.

    ``at`` places the point for each family: None for the first family's own
    variable, or ``(end, sign)`` for the distance y > 0 from the number
    ``end``, x = end + sign·y, substituted before compiling so that a factor
    such as log(1 − x) becomes log y and keeps its digits as y → 0.
    :meth:`with_size` also gives the sums of the terms' absolute values, what
    the rounding of each log-density is relative to.
    """

    def __init__(self, families, at=None):
        at = at or [None] * len(families)
        variable = families[0].variable()
        y = sp.Symbol("y", positive=True)
        exprs = []
        for family, place in zip(families, at):
            family = exact_family(family)
            if place is None:
                exprs.append(family.log_density(variable))
            else:
                end, sign = place
                exprs.append(family.log_density(end + sign * y))
        if at[0] is not None:
            point = (y,)
        else:
            point = tuple(variable) if isinstance(variable, sp.MatrixBase) else (variable,)
        fixed, self._uses, self._statistics = _compiled(tuple(exprs), point)
        self._fixed = [_numbers(numbers, mpmath.mp.prec) for numbers in fixed]

    def _terms(self, point):
        statistics = self._statistics(*point)
        return [(constant, [c * statistics[i] for c, i in zip(coefficients, uses)])
                for (constant, *coefficients), uses in zip(self._fixed, self._uses)]

    def __call__(self, *point) -> list:
        statistics = self._statistics(*point)
        return [sum((c * statistics[i] for c, i in zip(coefficients, uses)), constant)
                for (constant, *coefficients), uses in zip(self._fixed, self._uses)]

    def with_size(self, *point) -> list:
        """[(log p, the sum of its terms' absolute values), …] at ``point``."""
        return [(sum(terms, constant), sum(map(abs, terms), abs(constant)))
                for constant, terms in self._terms(point)]


class LogDensity(LogDensities):
    """:class:`LogDensities` of one family: ``point ↦ log p(point)``.

    >>> from symkl import Beta
    >>> with mpmath.workdps(30):
    ...     f = LogDensity(Beta(2, 3), at=(1, -1))
    ...     mpmath.nstr(f(mpmath.mpf("1e-40")), 10)
    '-181.7219008'
    """

    def __init__(self, family, at=None):
        super().__init__([family], [at])

    def __call__(self, *point):
        return super().__call__(*point)[0]

    def with_size(self, *point):
        return super().with_size(*point)[0]


def exact_family(family):
    """``family`` with every float in its parameters made the exact binary rational it is,
    where the family accepts those (probabilities that sum to 1 only to rounding stay
    floats, which the log-density then uses as the exact binary numbers they are).

    >>> from symkl import Normal
    >>> exact_family(Normal(0.5, 2)).args
    (1/2, 2)
    """
    if not any(sp.sympify(a).has(sp.Float) for a in family.args):
        return family
    try:
        return family.with_parameters(tuple(exactly(a) for a in family.args))
    except InvalidInput:
        return family


def exact(family, read):
    """``read(family)`` (a tuple of numbers or a set) for the family with exact parameters:
    a landmark μ + 8σ at μ = 1e200 keeps its 8, as a float's arithmetic would not.

    >>> from symkl import Normal
    >>> exact(Normal(1e200, 1), lambda f: f.landmarks())[-1] - sp.Rational(1e200)
    8
    """
    found = read(exact_family(family))
    return tuple(map(exactly, found)) if isinstance(found, tuple) else found

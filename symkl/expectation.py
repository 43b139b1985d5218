"""E_p[t(X)] by rules, most specific first.

1. exponential family: E[T(X)] = ∇A(η) from the log-partition, and moments of
   products of the sufficient statistics from its derivatives;
2. finite support: the exact sum;
3. a countable support of symbolic size: a ``Sum``;
4. ``sympy.integrate`` over the support, under a time budget;
5. otherwise the honest unevaluated integral or sum.

Each rule answers ``None`` when it does not apply.  ``expectation`` returns
the value and the name of the rule that gave it, for the derivation.
"""
from __future__ import annotations

import functools
import time

import sympy as sp

from .budget import OutOfTime, within
from .decompose import decompose

#: rule names that mean the value is not in closed form
UNEVALUATED = "not in closed form"


class NaturalForm:
    """A family written as an exponential family: log p = η(θ)·T(x) − A(θ) + log h(x).

    Nothing is declared: the statistics whose coefficients depend on the
    parameters θ are T, their coefficients η, the parameter-only part −A.
    With as many statistics as parameters and an invertible Jacobian
    J = ∂η/∂θ, the chain rule turns ∂A/∂θ = J·E[T] into the means, and
    ∂E[g]/∂θ = J·Cov(T, g) into the moments E[T_k·g].

    >>> from symkl import Exponential
    >>> form = NaturalForm.of(Exponential("lam"))
    >>> form.mean(form.variable**2)
    2/lam**2
    """

    def __init__(self, family, statistics, natural_parameters, log_partition, theta):
        self.variable = family.variable()
        self.theta = theta
        self.statistics = statistics
        jacobian = sp.Matrix(len(theta), len(statistics),
                             lambda j, k: sp.diff(natural_parameters[k], theta[j]))
        self.inverse_jacobian = jacobian.inv().applyfunc(sp.cancel)
        gradient = sp.Matrix([sp.diff(log_partition, t) for t in theta])
        means = (self.inverse_jacobian * gradient).applyfunc(sp.cancel)
        self._means = dict(zip(statistics, means))

    @staticmethod
    @functools.lru_cache(maxsize=None)
    def of(family) -> "NaturalForm | None":
        """The natural form of ``family`` (with Symbols for parameters), or None."""
        theta = sorted(family.free_symbols, key=sp.default_sort_key)
        if not theta or not all(isinstance(t, sp.Symbol) for t in theta):
            return None
        x = family.variable()
        terms = decompose(family.log_density(x), x)
        statistics = [t for t in terms if t != 1 and terms[t].free_symbols & set(theta)]
        if len(statistics) != len(theta):
            return None
        natural = [terms[t] for t in statistics]
        jacobian_det = sp.Matrix(len(theta), len(theta),
                                 lambda j, k: sp.diff(natural[k], theta[j])).det()
        if sp.cancel(jacobian_det) == 0:
            return None
        return NaturalForm(family, statistics, natural, -terms.get(1, 0), theta)

    @functools.lru_cache(maxsize=None)
    def mean(self, statistic):
        """E[statistic] if it is a product of sufficient statistics, else None."""
        if not statistic.has(self.variable):
            return statistic
        if statistic in self._means:
            return self._means[statistic]
        for k, t in enumerate(self.statistics):
            rest = sp.cancel(statistic / t)
            if _degree(rest, self.variable) >= _degree(statistic, self.variable):
                continue
            rest_mean = self.mean(rest)
            if rest_mean is None:
                continue
            gradient = sp.Matrix([sp.diff(rest_mean, th) for th in self.theta])
            covariance = (self.inverse_jacobian[k, :] * gradient)[0]
            return sp.factor_terms(sp.cancel(self._means[t] * rest_mean + covariance))
        return None


def _degree(expr, x) -> int:
    """Total power of the x-dependent factors of a product (∞ if not a product of powers)."""
    degree = 0
    for base, exponent in expr.as_powers_dict().items():
        if base.has(x):
            if not (exponent.is_Integer and exponent > 0):
                return 10 ** 9
            degree += int(exponent)
    return degree


def _exponential_family(p, statistic, x, deadline):
    form = NaturalForm.of(p)
    return None if form is None else form.mean(statistic.xreplace({x: form.variable}))


def _finite_sum(p, statistic, x, deadline):
    support = p.support
    if not (p.discrete and support.is_finite_set and isinstance(support, sp.FiniteSet)):
        return None
    return sp.Add(*(sp.exp(p.log_density(k)) * statistic.xreplace({x: k}) for k in support))


def _symbolic_sum(p, statistic, x, deadline):
    if not p.discrete:
        return None
    support = p.support
    i = sp.Symbol("i", integer=True, nonnegative=True)
    return sp.Sum(sp.exp(p.log_density(i)) * statistic.xreplace({x: i}),
                  (i, support.inf, support.sup))


def _integral(p, statistic, x):
    support = p.support
    return sp.Integral(sp.exp(p.log_density(x)) * statistic, (x, support.inf, support.sup))


def _integration(p, statistic, x, deadline):
    if p.discrete:
        return None
    try:
        value = within(deadline - time.monotonic(),
                       lambda: _integral(p, statistic, x).doit(conds="none"))
    except OutOfTime:
        return None
    return None if value.has(sp.Integral) else value


RULES = (
    ("from the log-partition", _exponential_family),
    ("exact sum over the support", _finite_sum),
    ("sum over the support", _symbolic_sum),
    ("by integration over the support", _integration),
)


def expectation(p, statistic, x, deadline: float):
    """E_p[statistic] and the rule that gave it.

    ``x`` is the variable ``statistic`` is written in; ``deadline`` is a
    ``time.monotonic()`` after which slow rules give up.

    >>> from symkl import Normal
    >>> p, x = Normal("m", "s"), sp.Symbol("x", real=True)
    >>> expectation(p, x**2, x, deadline=float("inf"))
    (m**2 + s**2, 'from the log-partition')
    """
    for name, rule in RULES:
        value = rule(p, statistic, x, deadline)
        if value is not None:
            return value, name
    return _integral(p, statistic, x), UNEVALUATED

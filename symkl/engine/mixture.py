"""Jensen–Shannon: the divergences of p and q from their midpoint m = (p + q)/2,

    JS(p, q) = ½ KL(p‖m) + ½ KL(q‖m)
             = ½ Σ_k [p_k log(2p_k/(p_k + q_k)) + q_k log(2q_k/(p_k + q_k))]   (0 log 0 = 0).

log(p + q) is in general no sum of statistics, so the expectation rules do not
reach it: over finite supports the sum is written out exactly (over a parameter
table, as a Sum); where p and q are rational functions of x (Cauchy), p + q = N/D
is one too and log(p + q) = log N − log D, logs of polynomials whose expectations
the families may know (a Cauchy's E log((X − c)² + d²)); and otherwise the integral
is left for the numeric route, with
its bounds 0 ≤ JS ≤ min(log 2, J/4) stated beside it (J = KL(p‖q) + KL(q‖p),
Jeffreys' divergence; Lin 1991, "Divergence measures based on the Shannon entropy").
"""
from __future__ import annotations

from typing import NamedTuple

import sympy as sp

from .. import notation
from ..notation import Label
from .power import as_powers
from .support import point_masses

_MOST_POINTS = 64


class Midpoint(NamedTuple):
    value: sp.Expr
    steps: tuple
    closed_form: bool


def _of_rational_densities(p, q, x, deadline):
    """(m(x), JS) where p and q are rational functions of x and the expectations of
    log p, log q and the logs of the polynomials of p + q = N/D are known under both;
    else None."""
    densities = [sp.exp(d.log_density(x)) for d in (p, q)]
    if not all(d.is_rational_function(x) for d in densities):
        return None
    numerator, denominator = sp.fraction(sp.together(densities[0] + densities[1]))
    log_mixture = _log_of_product(numerator, x) - _log_of_product(denominator, x) - sp.log(2)
    value = sp.S.Zero
    for family in (p, q):
        found = _expected(family, family.log_density(x) - log_mixture, x, deadline)
        if found is None:
            return None
        value += found / 2
    return numerator / (2 * denominator), value


def _log_of_product(expr, x):
    """log of a product, one log per factor (its constant factor one log too)."""
    constant, rest = expr.as_independent(x, as_Add=False)
    return sp.log(constant) + sp.Add(*(sp.log(f) for f in sp.Mul.make_args(rest) if f != 1))


def _expected(p, expr, x, deadline):
    """E_p[expr] statistic by statistic, or None where one of them is not in closed form."""
    from .decompose import decompose
    from .expectation import UNEVALUATED, expectation
    total = sp.S.Zero
    for statistic, coefficient in decompose(expr, x).items():
        if statistic == 1:
            total += coefficient
            continue
        found = expectation(p, statistic, x, deadline)
        if found.rule == UNEVALUATED:
            return None
        total += coefficient * found.value
    return total


def _half_terms(a, b):
    """½ a log(2a/(a + b)), 0 where a is 0."""
    if a == 0:
        return sp.S.Zero
    return a * sp.log(2 * a / (a + b)) / 2


def jensen_shannon(p, q, lhs, deadline) -> Midpoint:
    """JS(p, q) for twins p, q: exact over finite supports, else the integral left as it is."""
    from .derive import Step
    x = p.variable()
    steps = []
    masses = point_masses(p, q, _MOST_POINTS) if p.discrete and q.discrete else None
    if masses is not None:
        value = sp.Add(*(_half_terms(a, b) + _half_terms(b, a) for a, b in masses))
        steps.append(Step("summed over the support", sp.Eq(lhs, value, evaluate=False)))
        return Midpoint(value, tuple(steps), True)
    if isinstance(x, sp.Symbol) and p.discrete and q.discrete:
        if p.support == q.support and isinstance(p.support, sp.Range):
            k = sp.Dummy("k", integer=True)
            a, b = sp.exp(p.log_density(k)), sp.exp(q.log_density(k))
            term = a * sp.log(2 * a / (a + b)) / 2 + b * sp.log(2 * b / (a + b)) / 2
            value = sp.Sum(term, (k, p.support.inf, p.support.sup))
            closed = term.has(sp.Indexed)  # a sum over a parameter table (Categorical)
            steps.append(Step("summed over the support" if closed else "not in closed form",
                              sp.Eq(lhs, value, evaluate=False)))
            return Midpoint(value, tuple(steps), closed)
    overlap = None
    if isinstance(x, sp.Symbol) and all(isinstance(d.support, sp.Interval) for d in (p, q)):
        overlap = sp.Min(p.support.sup, q.support.sup) - sp.Max(p.support.inf, q.support.inf)
        if overlap.is_nonpositive:  # m = p/2 on supp p, q/2 on supp q
            steps.append(Step("disjoint supports", sp.Eq(lhs, sp.log(2), evaluate=False)))
            return Midpoint(sp.log(2), tuple(steps), True)
    if isinstance(x, sp.Symbol) and p.support == q.support and isinstance(p.support, sp.Interval):
        found = _of_rational_densities(p, q, x, deadline)
        if found is not None:
            mixture, value = found
            steps.append(Step(Label("p + q is a ratio of polynomials in x",
                                    r"p + q \text{ is a ratio of polynomials in } x"),
                              sp.Eq(sp.Function("m")(x), mixture, evaluate=False)))
            steps.append(Step("the expectations of its logarithms", sp.Eq(lhs, value, evaluate=False)))
            return Midpoint(value, tuple(steps), True)
        # ½ p log(2/(1 + q/p)) + ½ q log(2/(1 + p/q)), the ratio through log p − log q,
        # whose terms cancel where p = q
        d = p.log_density(x) - q.log_density(x)  # as the families write them: short in print
        # JS = ½ E_p[log(2/(1 + q/p))] + ½ E_q[log(2/(1 + p/q))]: two integrals (two lines
        # in print), each of 0 where p = q
        limits = (x, p.support.inf, p.support.sup)
        value = sp.S.Zero
        for family, sign in ((p, -1), (q, 1)):
            constant, density = sp.exp(family.log_density(x)).as_independent(x, as_Add=False)
            ratio = as_powers(sp.exp(sign * d))
            value += constant * sp.Integral(density * sp.log(2 / (1 + ratio)), limits) / 2
    else:
        value = notation.JensenShannon(notation.P, notation.Q)
        if overlap is not None and overlap.is_positive is None:  # the parameters decide
            value = sp.Piecewise((sp.log(2), overlap <= 0), (value, True))
    steps.append(Step("not in closed form (log(p + q) has no expectation rule)",
                      sp.Eq(lhs, value, evaluate=False)))
    return Midpoint(value, tuple(steps), False)


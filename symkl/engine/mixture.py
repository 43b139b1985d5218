"""Jensen–Shannon: the divergences of p and q from their midpoint m = (p + q)/2,

    JS(p, q) = ½ KL(p‖m) + ½ KL(q‖m)
             = ½ Σ_k [p_k log(2p_k/(p_k + q_k)) + q_k log(2q_k/(p_k + q_k))]   (0 log 0 = 0).

log(p + q) is no sum of statistics, so the expectation rules do not reach it:
over finite supports the sum is written out exactly (over a parameter table,
as a Sum), and otherwise the integral is left for the numeric route, with
its bounds 0 ≤ JS ≤ min(log 2, J/4) stated beside it (J = KL(p‖q) + KL(q‖p),
Jeffreys' divergence; Lin 1991, "Divergence measures based on the Shannon entropy").
"""
from __future__ import annotations

from typing import NamedTuple

import sympy as sp

from .. import notation
from .power import as_powers
from .support import finite_points

_MOST_POINTS = 64


class Midpoint(NamedTuple):
    value: sp.Expr
    steps: tuple
    closed_form: bool


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
    if isinstance(x, sp.Symbol) and p.discrete and q.discrete:
        sets = [finite_points(d.support) for d in (p, q)]
        if None not in sets:
            points = sorted(sets[0] | sets[1])
            if len(points) <= _MOST_POINTS:
                mass = lambda d, k: sp.exp(d.log_density(k)) if k in d.support else sp.S.Zero
                value = sp.Add(*(_half_terms(mass(p, k), mass(q, k)) + _half_terms(mass(q, k),
                                 mass(p, k)) for k in points))
                steps.append(Step("summed over the support", sp.Eq(lhs, value, evaluate=False)))
                return Midpoint(value, tuple(steps), True)
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


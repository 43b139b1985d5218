"""The power integral I_α(p : q) = ∫ p(x)^α q(x)^{1−α} dx, as log I_α.

Rényi's divergence, Amari's α-divergence, the Bhattacharyya coefficient, the
squared Hellinger distance and Pearson's χ² are all functions of it.  It is
derived, by rules, most specific first:

1. an exact sum over a finite support (the textbook form there);
2. **the family's own normaliser**: α log p + (1 − α) log q is written as
   constants plus statistics; where the statistics are those of a family
   (p's or q's) with the same base measure, that exponent is the family's
   log-density at parameters θ* up to a constant c, found by solving
   η(θ*) = the statistics' coefficients.  Then ∫ e^{exponent} = e^{c − a(θ*)},
   a(θ*) the parameter-only part of the family's log-density, for θ* in the
   family's parameter space, which holds for 0 < α < 1 (the natural parameter
   space is convex); outside it the exponent is no normalisable density of
   the family and the integral is taken to be ∞, as it is for an exponential
   family whose parameters cover its natural parameter space (the quadrature
   sweeps check this for every pair);
3. ``sympy.integrate`` of p^α q^{1−α} over the support, under the budget;
4. otherwise the honest unevaluated integral.

Where p has mass outside supp q and α ≥ 1 (or q outside supp p and α ≤ 0)
the integral is ∞; for 0 < α < 1 it runs over the common support.
"""
from __future__ import annotations

import random
from typing import NamedTuple

import sympy as sp

from .budget import OutOfTime, clock, within
from .decompose import decompose
from .expectation import _integrate, density
from .support import support_condition
from .. import notation
from ..notation import Label


#: seconds for evaluating the integral over the common support at once
_MOST_FOR_DOIT = 2.0


class Power(NamedTuple):
    """What was found for log I_α: the value (∞ where the integral diverges), the steps,
    whether it is in closed form, and why it is ∞ where it may be."""

    log_value: sp.Expr
    steps: tuple
    closed_form: bool
    reason: str | None


def log_power_integral(p, q, order, deadline) -> Power:
    """log ∫ p^α q^{1−α} for p, q with Symbols for parameters (α = ``order``).

    >>> from symkl import Exponential
    >>> alpha = sp.Symbol("alpha", positive=True)
    >>> p, q = Exponential("a"), Exponential("b")
    >>> log_power_integral(p, q, alpha, clock() + 10).log_value
    Piecewise((alpha*log(a) - alpha*log(b) + log(b) - log(a*alpha - alpha*b + b), (alpha < 1) | (a*alpha - alpha*b + b > 0)), (oo, True))
    """
    from .derive import Step  # one Step type for every derivation
    lhs = sp.log(notation.PowerIntegral(notation.P, notation.Q, order))
    x = p.variable()
    exponent = order * p.log_density(x) + (1 - order) * q.log_density(x)
    steps = [Step(Label("as one exponent", r"\text{as one exponent: } p^{\alpha} q^{1-\alpha} = e^{f}"),
                  sp.Eq(sp.Symbol("f"), _collected(exponent, x), evaluate=False))]
    outside = _outside(p, q, order)
    if outside is not None:
        steps.append(Step("support", sp.Eq(lhs, sp.oo, evaluate=False)))
        return Power(sp.oo, tuple(steps), True, outside)
    common = _common_points(p, q)
    if common is not None:  # finite supports: the exact sum over the points of both
        value = sp.log(as_powers(sp.Add(*(sp.exp(exponent.xreplace({x: k})) for k in common)))) \
            if common else -sp.oo
        steps.append(Step("exact sum over the common support", sp.Eq(lhs, value, evaluate=False)))
        return Power(value, tuple(steps), True, None)
    if support_condition(p, q)[0] != sp.true or support_condition(q, p)[0] != sp.true:
        return _unevaluated(p, q, order, lhs, steps, "the supports differ: the integral runs "
                                                      "over their intersection")
    summed = _summed(p, exponent, x)
    if summed is not None:
        value = sp.log(as_powers(summed))
        steps.append(Step("exact sum over the support", sp.Eq(lhs, value, evaluate=False)))
        return Power(value, tuple(steps), True, None)
    for family in _recognisers(p, q):
        found = _as_normaliser(family, exponent, x, deadline, order)
        if found is not None:
            value, parameters, condition = found
            # the natural parameter space is convex: for 0 < α < 1 the mixed parameters
            # α·η_p + (1 − α)·η_q are valid whenever η_p and η_q are
            condition = sp.Or(sp.Lt(order, 1), condition)
            steps.append(Step(Label(f"the exponent is log {type(family).__name__}(x; θ*) plus a constant",
                                    r"\text{the exponent is the log-density at } \theta^{*}"
                                    r"\text{ plus a constant}"),
                              sp.Eq(sp.Symbol("theta^*"), sp.Tuple(*parameters), evaluate=False)))
            if condition != sp.true:
                value = sp.Piecewise((value, condition), (sp.oo, True))
            steps.append(Step("its normaliser", sp.Eq(lhs, value, evaluate=False)))
            reason = None if condition == sp.true else (
                f"∫ p^α q^(1−α) diverges unless {sp.sstr(condition)}")
            return Power(value, tuple(steps), True, reason)
    if not p.discrete and isinstance(x, sp.Symbol):
        powered = _powered(p, q, order, x)
        integral = _integrate(powered, (x, p.support.inf, p.support.sup), deadline)
        if integral is not None and integral != 0:
            value = sp.log(integral) if not isinstance(integral, sp.Piecewise) else sp.Piecewise(
                *((sp.log(v) if v != sp.oo else sp.oo, c) for v, c in integral.args))
            steps.append(Step("by integration over the support", sp.Eq(lhs, value, evaluate=False)))
            return Power(value, tuple(steps), True, None)
    return _unevaluated(p, q, order, lhs, steps, None)


def _outside(p, q, order) -> str | None:
    """Why the integral is ∞ because of the supports (α ≥ 1 and p has mass outside supp q,
    or α ≤ 0 and q outside supp p), else None."""
    if p.discrete != q.discrete:
        return "p and q are not both discrete or both continuous"
    for a, b, large in ((p, q, order >= 1), (q, p, order <= 0)):
        condition, why = support_condition(a, b)
        if condition == sp.false and large == sp.true:
            return why
    return None


def _recognisers(p, q):
    """The families whose normaliser may close the integral: p's, then q's (distinct)."""
    found = []
    for family in (p, q):
        twin, _ = family.generic("*")
        if all(twin.content()[0] is not f.content()[0] for f in found):
            found.append(twin)
    return found


def _as_normaliser(family, exponent, x, deadline, order):
    """(log ∫ e^{exponent}, θ*, the condition that θ* is a valid parameter) if ``exponent``
    is the log-density of ``family`` at some θ* plus a constant, else None."""
    theta = sorted(family.parameter_symbols, key=sp.default_sort_key)
    if not theta or not isinstance(x, (sp.Symbol, sp.MatrixBase)):
        return None
    try:
        wanted = within(max(deadline - clock(), 0.01), decompose, exponent, x)
        own = within(max(deadline - clock(), 0.01), decompose, family.log_density(x), x)
    except OutOfTime:
        return None
    equations = []
    for statistic in set(wanted) | set(own):
        if statistic == 1:
            continue
        target, coefficient = wanted.get(statistic, 0), own.get(statistic, 0)
        if sp.sympify(coefficient).free_symbols & set(theta):
            equations.append(sp.Eq(coefficient, target))
        elif sp.cancel(sp.expand_log(target - coefficient, force=False)) != 0:
            return None  # a statistic the family's base measure does not have
    if not equations:
        return None
    try:
        solutions = within(max(deadline - clock(), 0.01),
                           lambda: sp.solve(equations, theta, dict=True))
    except (OutOfTime, NotImplementedError, ValueError, TypeError):
        return None
    for solution in solutions:
        if set(solution) != set(theta):
            continue
        values = [as_powers(solution[t]) for t in theta]
        solution = dict(zip(theta, values))
        conditions = [_in_space(family, t, v) for t, v in zip(theta, values)]
        if any(c is None for c in conditions):
            if sp.Lt(order, 1) != sp.true:
                return None  # validity unknown where convexity does not decide it
            conditions = [sp.true]
        condition = sp.And(*conditions)
        if condition == sp.false or not _holds_somewhere(condition, order):
            continue
        value = wanted.get(1, 0) - own.get(1, 0).xreplace(solution)
        return value, [sp.Eq(t, v) for t, v in zip(theta, values)], condition
    return None


def _in_space(family, symbol, value):
    """The condition that ``value`` may stand for the parameter ``symbol`` of ``family``,
    or None where the family does not say (an entry of a covariance matrix)."""
    for parameter, argument in zip(family.parameters, family.args):
        if symbol in sp.sympify(argument).free_symbols if not isinstance(argument, (list, tuple)) \
                else symbol in sp.Tuple(*argument).free_symbols:
            region = parameter.constraint.region
            if region is None:
                return None
            if isinstance(argument, (list, tuple)) or not isinstance(argument, sp.Symbol):
                return None if parameter.constraint.assumptions != (("positive", True),) \
                    else _positive(value)
            return _positive_parts(region(value))
    return None


def _positive_parts(condition):
    """A condition v > 0 with the factors of v known positive dropped, 1/w > 0 and √w > 0
    as w > 0."""
    if isinstance(condition, sp.And):
        return sp.And(*map(_positive_parts, condition.args))
    if not isinstance(condition, sp.StrictGreaterThan) or condition.rhs != 0:
        return condition
    return _positive(condition.lhs)


def _positive(value, sign=1):
    """The condition sign·value > 0, written on the fewest factors: factors known positive
    dropped, a negative number flipping the sign, 1/w and √w having the sign of w."""
    coefficient, rest = value.as_coeff_Mul()
    if coefficient.is_negative:
        return _positive(rest, -sign)
    factors = [f for f in sp.Mul.make_args(rest) if not f.is_positive]
    if not factors:
        return sp.true if sign > 0 else sp.false
    if len(factors) > 1:  # the signs of several factors decide together
        return sp.Gt(sign * sp.Mul(*factors), 0)
    base, exponent = factors[0].as_base_exp()
    if exponent.is_Rational and exponent != 1 and exponent.q % 2 == 0 and sign < 0:
        return sp.false  # an even root is never negative
    if exponent.is_Rational and exponent != 1 and (exponent < 0 or exponent.q % 2 == 0):
        return _positive(base, sign)
    return sp.Gt(factors[0], 0) if sign > 0 else sp.Lt(factors[0], 0)


def as_powers(expr):
    """e^{c·log b + d·log Γ(a) + r} as b^c·Γ(a)^d·e^{r}: the form a textbook writes, and
    sympy reasons about."""
    def powers(exponential):
        factors, rest = [], []
        for term in sp.Add.make_args(sp.expand(exponential.args[0])):
            coefficient, function = term.as_independent(sp.log, sp.loggamma, as_Add=False)
            if isinstance(function, sp.log):
                factors.append(function.args[0] ** coefficient)
            elif isinstance(function, sp.loggamma):
                factors.append(sp.gamma(function.args[0]) ** coefficient)
            else:
                rest.append(term)
        return sp.Mul(*factors) * sp.exp(sp.Add(*rest))
    return expr.replace(lambda e: isinstance(e, sp.exp), powers)


def _holds_somewhere(condition, order) -> bool:
    """Whether ``condition`` holds at a drawn point where the order is ½ (there it must)."""
    condition = condition.xreplace({order: sp.S.Half}) if isinstance(order, sp.Symbol) else condition
    if condition == sp.true:
        return True
    rng = random.Random(0)
    symbols = sorted(condition.free_symbols, key=sp.default_sort_key)
    for _ in range(5):
        point = {s: (sp.Rational(rng.randint(2, 19), 20) if s.is_positive else
                     sp.Rational(rng.randint(-20, 20), 10)) for s in symbols}
        if condition.xreplace(point) == sp.true:
            return True
    return False


def _common_points(p, q):
    """The points of supp p ∩ supp q when both are finite sets of numbers that differ
    (at most 64 of them), else None."""
    if not (p.discrete and q.discrete) or p.support == q.support:
        return None
    sets = []
    for support in (p.support, q.support):
        if not (isinstance(support, (sp.FiniteSet, sp.Range)) and support.is_finite_set
                and all(k.is_number for k in (support.inf, support.sup))):
            return None
        sets.append(set(support))
    common = sorted(sets[0] & sets[1])
    return common if len(common) <= 64 else None


def _summed(p, exponent, x):
    """Σ e^{exponent} over a finite support, else None."""
    support = p.support
    if not (p.discrete and isinstance(support, (sp.FiniteSet, sp.Range)) and support.is_finite_set):
        return None
    if isinstance(support, sp.Range) and not support.size.is_number or len(support) > 64:
        return None
    return sp.Add(*(sp.exp(exponent.xreplace({x: k})) for k in support))


def _powered(p, q, order, x):
    """p^α q^{1−α} written as powers, as sympy integrates best."""
    return sp.powsimp(density(p, x) ** order * density(q, x) ** (1 - order), combine="exp")


def _unevaluated(p, q, order, lhs, steps, why):
    """The honest unevaluated integral (sum) of p^α q^{1−α} over supp p, where p^α·q^{1−α}
    vanishes outside supp q for α < 1 (for α ≥ 1 supp p ⊆ supp q was checked)."""
    from .derive import Step
    x = p.variable()
    # densities are positive on the common support: their powers combine
    integrand = sp.powsimp(as_powers(sp.exp(order * p.log_density(x) + (1 - order) * q.log_density(x))),
                           force=True)
    if isinstance(x, sp.Symbol) and all(isinstance(d.support, (sp.Interval, sp.Range)) for d in (p, q)):
        # over supp p ∩ supp q, where both log-densities hold
        if support_condition(p, q)[0] == sp.true:
            lower, upper = p.support.inf, p.support.sup
        elif support_condition(q, p)[0] == sp.true:
            lower, upper = q.support.inf, q.support.sup
        else:
            lower, upper = sp.Max(p.support.inf, q.support.inf), sp.Min(p.support.sup, q.support.sup)
        integral = (sp.Sum if p.discrete else sp.Integral)(integrand, (x, lower, upper))
        try:  # a constant integrand over an interval (Uniform) sympy does at once
            done = within(_MOST_FOR_DOIT, integral.doit)
            integral = done if not done.has(sp.Integral, sp.Sum) else integral
        except OutOfTime:
            pass
        if (lower, upper) not in ((p.support.inf, p.support.sup), (q.support.inf, q.support.sup)):
            # no common support: I = 0, log I = −∞ (for α < 1; for α ≥ 1 p ⊄ q makes I = ∞)
            within_p = support_condition(p, q)[0]
            value = sp.Piecewise((sp.log(integral), lower < upper),
                                 (-sp.oo if (order < 1) != sp.false else sp.oo, True))
            if within_p != sp.true:
                value = sp.Piecewise((value, sp.Lt(order, 1) | within_p), (sp.oo, True))
            closed = not value.has(sp.Integral, sp.Sum)
            label = "over the common support" if closed else "not in closed form (over the common support)"
            steps.append(Step(label, sp.Eq(lhs, value, evaluate=False)))
            return Power(value, tuple(steps), closed,
                         None if within_p == sp.true else "for α ≥ 1, p has mass where q has none")
    else:  # a random vector, or a support sympy cannot bound
        integral = notation.PowerIntegral(notation.P, notation.Q, order)
    closed = not integral.has(sp.Integral, notation.PowerIntegral) and all(
        upper.is_finite for s in integral.atoms(sp.Sum) for _, _, upper in s.limits)
    label = ("over the common support" if closed else
             "not in closed form" + (f" ({why})" if why else ""))
    steps.append(Step(label, sp.Eq(lhs, sp.log(integral), evaluate=False)))
    return Power(sp.log(integral), tuple(steps), closed, None)


def _collected(exponent, x):
    """The exponent with its terms collected by statistic, for display."""
    terms = decompose(exponent, x)
    return sp.Add(*(sp.factor_terms(c) * t for t, c in terms.items()), evaluate=False)

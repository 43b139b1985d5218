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
   sweeps check this for every pair).  Its twin must have fresh parameters (a
   random vector with explicit entries has none, :func:`_recognisers`); for K
   coordinates with indexed parameters θ[i] (a Dirichlet of symbolic K) the
   coefficients are matched coordinate by coordinate (:func:`_as_indexed_normaliser`);
3. **p's moment generating function**, where (1 − α)(log q − log p) = c + tᵀx is linear
   in the point: I_α = E_p[(q/p)^{1−α}] = e^c·M_p(t) (:func:`_by_the_mgf`);
4. integrals of a known shape, whatever the families:

   * over ℝᵏ, log p and log q quadratic in the coordinates: the square completed,
     a Gaussian integral, finite where α A_p + (1 − α) A_q (the Hessians' mix) is
     positive definite (:func:`_gaussian`);
   * over ℝ, an exponent linear in x and in terms |x − c_i| (kinks at the
     c_i): the line split at the kinks, in each ordering of them, and e^{ax+b}
     integrated on each piece (:func:`_over_kinks`);
   * over (0, ∞), an exponent in log x and one power x^k: u = x^k makes it
     ∫ u^{s} e^{ru} du, a Gamma integral; powers x^{k₁}, x^{k₂} with
     different exponents coincide where k₁ = k₂, and the rule holds there,
     a Piecewise giving the general integral elsewhere (:func:`_by_substituting_a_power`);
   * over (0, ∞), an exponent in log x, x and 1/x: a generalized inverse Gaussian's
     normaliser, in Bessel's K (:func:`_by_a_bessel_k`);
   * over ℝᵏ for a point that is a matrix symbol: the Gaussian integral with the
     matrices kept whole (:func:`_matrix_gaussian`);

   each converges where the exponent falls to −∞ fast enough at the ends of
   the support, and that condition is the Piecewise's, ∞ elsewhere;
5. ``sympy.integrate`` of p^α q^{1−α} over the support, under the budget;
6. otherwise the honest unevaluated integral, over supp p ∩ supp q; where
   that is bounded by Max(a, b) or Min(a, b) (two Paretos), each such bound is
   made a symbol, the integral taken by sympy and the bound put back
   (:func:`_between_bounds`).

Where p has mass outside supp q and α ≥ 1 (or q outside supp p and α ≤ 0)
the integral is ∞; for 0 < α < 1 it runs over the common support, and there
it is finite (Hölder: ∫ p^α q^{1−α} ≤ (∫ p)^α (∫ q)^{1−α} = 1), so that each
convergence condition is needed for α > 1 only.
"""
from __future__ import annotations

import itertools
import random
from typing import NamedTuple

import sympy as sp

from .budget import OutOfTime, SYMPY_FAILURES, clock, share, within
from .decompose import decompose
from .expectation import _integrate, density, incomplete_beta
from .simplify import _upper_gammas, real_forms
from .support import finite_points, support_condition
from .matrix_forms import IsPositiveDefinite
from .tails import integrable
from .. import notation
from ..errors import SymklError
from ..families.vectors import Euclidean
from ..notation import Label


#: seconds for evaluating the integral over the common support at once
_MOST_FOR_DOIT = 2.0
#: the most kinks |x − c_i| whose orderings are taken one by one (3! = 6 orderings)
_MOST_KINKS = 3


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
                                                      "over their intersection", deadline)
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
    generated = _by_the_mgf(p, q, order, x)
    if generated is not None:
        value, shown = generated
        steps.append(Step(Label("from the moment generating function of p",
                                r"\text{from the moment generating function of } p"),
                          sp.Eq(notation.PowerIntegral(notation.P, notation.Q, order), shown,
                                evaluate=False)))
        steps.append(Step("its value", sp.Eq(lhs, value, evaluate=False)))
        reason = None if not value.has(sp.oo) else (
            f"∫ p^α q^(1−α) = E_p[(q/p)^(1−α)] diverges unless {sp.sstr(value.args[0][1])}"
            if isinstance(value, sp.Piecewise) else "∫ p^α q^(1−α) diverges")
        return Power(value, tuple(steps), True, reason)
    found = _of_known_shape(p, q, order, exponent, x, deadline)
    if found is not None:
        return _closed_by(found, p, q, order, lhs, steps, deadline)
    return _in_general(p, q, order, lhs, steps, deadline)


def _by_the_mgf(p, q, order, x):
    """(log I_α, I_α as written) where (1 − α)(log q − log p) = c + tᵀx is linear in the
    point: I_α = E_p[(q/p)^{1−α}] = e^c·M_p(t), M_p p's moment generating function (a
    multinomial's (Σ_i p_i e^{t_i})ⁿ); else None."""
    if isinstance(x, sp.IndexedBase):
        return _by_the_indexed_mgf(p, q, order, x)
    coordinates = list(x) if isinstance(x, sp.MatrixBase) else [x] if isinstance(x, sp.Symbol) else None
    if coordinates is None:
        return None
    ratio = sp.expand((1 - order) * (q.log_density(x) - p.log_density(x)))
    if not ratio.is_polynomial(*coordinates) or sp.Poly(ratio, *coordinates).total_degree() > 1:
        return None
    rates = [sp.diff(ratio, c) for c in coordinates]
    argument = sp.ImmutableMatrix(rates) if isinstance(x, sp.MatrixBase) else rates[0]
    generating = p.mgf(argument)
    if generating is None:
        return None
    constant = ratio.xreplace({c: 0 for c in coordinates})
    shown = sp.exp(constant) * generating
    return sp.piecewise_fold(constant + sp.log(generating)), shown


def _by_the_indexed_mgf(p, q, order, x):
    """:func:`_by_the_mgf` for K coordinates x[i], K symbolic: log p and log q each a
    constant plus one Σ_i over the same coordinates, (1 − α)(log q − log p) = c +
    Σ_i (c_i + t_i·x[i]); then I_α = e^{c + Σ_i c_i}·M_p(t), t_i an expression in i."""
    parts = []
    for family in (q, p):
        total = family.log_density(x)
        sums = [term for term in sp.Add.make_args(total) if isinstance(term, sp.Sum)]
        if len(sums) != 1 or len(sums[0].limits) != 1:
            return None
        parts.append((total - sums[0], sums[0]))
    (c_q, sum_q), (c_p, sum_p) = parts
    if sum_q.limits != sum_p.limits:
        return None
    index = sum_p.limits[0][0]
    coordinate = x[index]
    summand = sp.expand((1 - order) * (sum_q.function - sum_p.function))
    rate = sp.diff(summand, coordinate)
    rest = sp.expand(summand - rate * coordinate)
    if rate.has(x) or rest.has(x):
        return None
    generating = p.mgf(rate)
    if generating is None:
        return None
    constant = sp.expand((1 - order) * (c_q - c_p))
    if rest != 0:
        constant += sp.Sum(rest, *sum_p.limits)
    shown = sp.exp(constant) * generating
    return sp.piecewise_fold(constant + sp.log(generating)), shown


def _in_general(p, q, order, lhs, steps, deadline) -> Power:
    """log I_α by ``sympy.integrate`` over the support under the budget, else the honest
    unevaluated integral; ``steps`` are the steps so far."""
    from .derive import Step
    x = p.variable()
    if not p.discrete and isinstance(x, sp.Symbol):
        powered = _powered(p, q, order, x)
        try:
            integral = _integrate(powered, (x, p.support.inf, p.support.sup), deadline)
        except SYMPY_FAILURES:  # sympy failed inside (a Mellin transform's strip): no value
            integral = None
        if integral is not None and integral != 0 and _usable(integral):
            found = _where_finite(integral, p, q, order, p.support.inf, p.support.sup, deadline)
            if found is not None:
                value, reason = found
                value = _logarithm(value)
                steps.append(Step("by integration over the support", sp.Eq(lhs, value, evaluate=False)))
                return Power(value, tuple(steps), True, reason)
    return _unevaluated(p, q, order, lhs, steps, None, deadline)


def _usable(value) -> bool:
    """Whether sympy's value of an integral is a closed form to keep: no integral or sum
    left, no nan, no Meijer G, and no branch of a multivalued function (exp_polar,
    polar_lift) left once written in real functions (:func:`symkl.engine.simplify.real_forms`)
    — such a value reads nan at valid points (G^{2,2}_{2,2}(1 | ½, ½; 0, 0) of two half-Cauchy
    laws of one scale: mpmath cannot evaluate a G on |z| = 1)."""
    if value.has(sp.Integral, sp.Sum, sp.nan, sp.zoo, sp.meijerg):
        return False
    return not real_forms(value).has(sp.exp_polar, sp.polar_lift)


def _where_finite(value, p, q, order, lower, upper, deadline):
    """(sympy's ``value`` of ∫_lower^upper p^α q^{1−α}, ∞ where the integral diverges, the
    reason), with the convergence decided at each end from the integrand's order there
    (:func:`symkl.engine.tails.integrable`: sympy's answer may hold only where it
    converges, without saying so); None where that cannot be decided.  Below order 1
    the integral converges (Hölder)."""
    if sp.Lt(order, 1) == sp.true:
        return value, None
    x = p.variable()
    exponent = order * p.log_density(x) + (1 - order) * q.log_density(x)
    ends = [(lower, +1), (upper, -1)]
    found = integrable(exponent, x, ends, deadline)
    if found is None:
        return None
    condition = sp.Or(sp.Lt(order, 1), found.holds)
    if condition == sp.true:
        return value, None
    why = f"∫ p^α q^(1−α) diverges {found.why}"
    if condition == sp.false:
        return sp.oo, why
    return sp.Piecewise((value, condition), (sp.oo, True)), why


class Shaped(NamedTuple):
    """∫ e^{exponent} by the rule for its shape: log of the value where it converges, the
    condition that it converges, the step's label and what it shows (the integral as the
    rule writes it), where the rule holds (a coincidence of parameters, or true), and why it
    diverges where it does (None: "unless" the condition)."""

    log_value: sp.Expr
    converges: sp.Basic
    label: object
    shown: sp.Expr
    where: sp.Basic = sp.true
    why: str | None = None


def _closed_by(found, p, q, order, lhs, steps, deadline) -> Power:
    """The Power of a rule's ``found``: ∞ where the integral diverges (for α > 1 only:
    below 1 it is finite, by Hölder), and where the rule holds only where parameters
    coincide, the general integral elsewhere."""
    from .derive import Step
    condition = sp.Or(sp.Lt(order, 1), found.converges)
    value = (found.log_value if condition == sp.true else sp.oo if condition == sp.false
             else sp.Piecewise((found.log_value, condition), (sp.oo, True)))
    reason = (None if condition == sp.true else found.why if found.why else
              f"∫ p^α q^(1−α) diverges unless {sp.sstr(condition)}")
    steps.append(Step(found.label, sp.Eq(notation.PowerIntegral(notation.P, notation.Q, order),
                                         found.shown, evaluate=False)))
    if found.where == sp.true:
        steps.append(Step("its value", sp.Eq(lhs, value, evaluate=False)))
        return Power(value, tuple(steps), True, reason)
    steps.append(Step(Label(f"its value where {sp.sstr(found.where)}",
                            rf"\text{{its value where }} {sp.latex(found.where)}"),
                      sp.Eq(lhs, value, evaluate=False)))
    otherwise = _in_general(p, q, order, lhs, [], deadline)
    steps.extend(Step(_elsewhere(label), eq) for label, eq in otherwise.steps)
    value = sp.Piecewise((value, found.where), (otherwise.log_value, True))
    steps.append(Step("together", sp.Eq(lhs, value, evaluate=False)))
    reasons = "; ".join(r for r in (reason, otherwise.reason) if r) or None
    return Power(value, tuple(steps), otherwise.closed_form, reasons)


def _elsewhere(label):
    """A step's label prefixed by "elsewhere: ", its LaTeX too where it has one."""
    latex = getattr(label, "latex", None)
    return Label(f"elsewhere: {label}", latex and rf"\text{{elsewhere: }} {latex}")


def _logarithm(value):
    """log of ``value``, taken piece by piece in a Piecewise (log ∞ = ∞)."""
    if isinstance(value, sp.Piecewise):
        return sp.Piecewise(*((_logarithm(v), c) for v, c in value.args))
    return sp.oo if value == sp.oo else sp.log(value)


def _of_known_shape(p, q, order, exponent, x, deadline) -> Shaped | None:
    """∫ e^{exponent} (= p^α q^{1−α}) over supp p by the first rule for its shape, else None."""
    support = p.support
    if isinstance(x, sp.MatrixBase) and isinstance(support, Euclidean):
        rules = (lambda: _gaussian(p, q, order, x),)
    elif isinstance(x, sp.MatrixSymbol) and isinstance(support, Euclidean):
        rules = (lambda: _matrix_gaussian(p, q, order, x),)
    elif not p.discrete and isinstance(x, sp.Symbol) and isinstance(support, sp.Interval):
        rules = (lambda: _over_kinks(exponent, x, support),
                 lambda: _by_substituting_a_power(exponent, x, support),
                 lambda: _by_a_bessel_k(exponent, x, support))
    else:
        return None
    for rule in rules:
        try:
            found = within(max(deadline - clock(), 0.01), rule)
        except OutOfTime:
            continue
        if found is not None:
            return found
    return None


def _gaussian(p, q, order, x) -> Shaped | None:
    """∫_{ℝᵏ} p^α q^{1−α} where log p and log q are quadratic in the coordinates, each
    c − ½ (x − m)ᵀ A (x − m) with its Hessian −A invertible (:func:`_quadratic`).

    With A_α = α A_p + (1 − α) A_q = A_p S A_q, S = α A_q⁻¹ + (1 − α) A_p⁻¹ and Δ = m_p − m_q,
    completing the square in α log p + (1 − α) log q gives the Gaussian integral

        (2π)^{k/2} det(A_α)^{−1/2} exp(α c_p + (1 − α) c_q − ½ α(1 − α) Δᵀ S⁻¹ Δ),

    which converges where A_α, or equally S, is positive definite (each leading principal
    minor of S positive), and is ∞ elsewhere.

    >>> x = sp.ImmutableMatrix(sp.symbols("x_1 x_2", real=True))
    >>> from symkl import MultivariateNormal
    >>> p, q = MultivariateNormal([0, 0], sp.eye(2)), MultivariateNormal([1, 0], sp.eye(2) / 4)
    >>> _gaussian(p, q, sp.S.Half, x).log_value
    -log(5) - 1/5 + 2*log(2)
    """
    coordinates = list(x)
    forms = [_quadratic(d.log_density(x), coordinates) for d in (p, q)]
    if any(form is None for form in forms):
        return None
    (a_p, m_p, c_p), (a_q, m_q, c_q) = forms
    s = (order * a_q.inv() + (1 - order) * a_p.inv()).applyfunc(sp.cancel)
    determinant = sp.factor(s.det())
    difference = m_p - m_q
    # Δᵀ S⁻¹ Δ: one fraction per coordinate where S is diagonal, else Δᵀ adj(S) Δ / det S
    spread = ((difference.T * s.inv().applyfunc(sp.factor) * difference)[0, 0] if s.is_diagonal()
              else (difference.T * s.adjugate().applyfunc(sp.factor) * difference)[0, 0] / determinant)
    # det A_p as 1/det A_p⁻¹ (a covariance's determinant), as the log-densities write it, so
    # that the logs cancel where they can
    logs = (order * c_p + (1 - order) * c_q + len(coordinates) * sp.log(2 * sp.pi) / 2
            + (sp.log(sp.factor(a_p.inv().det())) + sp.log(sp.factor(a_q.inv().det()))
               - sp.log(determinant)) / 2)
    logs = sp.expand_log(logs, force=False)
    stand_ins = {log: sp.Dummy() for log in logs.atoms(sp.log)}  # their arguments stay as they are
    logs = sp.expand(logs.xreplace(stand_ins)).xreplace({d: log for log, d in stand_ins.items()})
    log_value = logs - order * (1 - order) * spread / 2
    minors = [sp.factor(s[:j, :j].det()) for j in range(1, len(coordinates))] + [determinant]
    converges = sp.And(*map(_positive, minors))
    integral = sp.Integral(sp.exp(order * p.log_density(x) + (1 - order) * q.log_density(x)),
                           *((xi, -sp.oo, sp.oo) for xi in coordinates))
    return Shaped(log_value, converges,
                  Label("a Gaussian integral: log p and log q are quadratic in x",
                        r"\text{a Gaussian integral: } \log p \text{ and } \log q"
                        r"\text{ are quadratic in } x"), integral)


def _quadratic(f, coordinates):
    """(A, m, c) with f = c − ½ (x − m)ᵀ A (x − m) for f quadratic in the coordinates and its
    Hessian −A invertible, else None.

    >>> x, y = sp.symbols("x y", real=True)
    >>> _quadratic(-(x - 1)**2 - y**2 / 2 + 3, [x, y])
    (Matrix([
    [2, 0],
    [0, 1]]), Matrix([
    [1],
    [0]]), 3)
    """
    polynomial = sp.expand(f).as_poly(*coordinates)
    if polynomial is None or polynomial.total_degree() != 2:
        return None
    f = polynomial.as_expr()
    origin = {xi: 0 for xi in coordinates}
    a = -sp.hessian(f, coordinates).applyfunc(sp.cancel)
    if sp.cancel(a.det()) == 0:
        return None
    b = sp.Matrix([sp.diff(f, xi).xreplace(origin) for xi in coordinates])
    mode = (a.inv() * b).applyfunc(sp.cancel)
    peak = f.xreplace(origin) + (b.T * mode)[0, 0] / 2
    logs = sp.Add(*(t for t in sp.Add.make_args(sp.expand(peak)) if t.has(sp.log)))
    return a, mode, logs + sp.cancel(peak - logs)


def _matrix_gaussian(p, q, order, x) -> Shaped | None:
    """∫_{ℝᵏ} p^α q^{1−α} for a point x that is a k × 1 MatrixSymbol, each log-density
    c − ½ tr((x − m)ᵀ A (x − m)) (:func:`_matrix_quadratic`): the Gaussian integral of
    :func:`_gaussian` with matrices kept whole.

    With S = α A_q⁻¹ + (1 − α) A_p⁻¹ and Δ = m_p − m_q it is

        (2π)^{k/2} (det A_p⁻¹ det A_q⁻¹ / det S)^{1/2} exp(α c_p + (1 − α) c_q − ½ α(1 − α) Δᵀ S⁻¹ Δ),

    finite where S is positive definite (always for 0 < α < 1), ∞ elsewhere.

    >>> from symkl import MultivariateNormal
    >>> p, q = MultivariateNormal.symbolic("a", "A", 3), MultivariateNormal.symbolic("b", "B", 3)
    >>> alpha = sp.Symbol("alpha", positive=True)
    >>> found = _matrix_gaussian(p, q, alpha, p.variable())
    >>> found.converges
    IsPositiveDefinite(alpha*B + (1 - alpha)*A)
    """
    forms = [_matrix_quadratic(d.log_density(x), x) for d in (p, q)]
    if any(form is None for form in forms):
        return None
    (a_p, m_p, c_p), (a_q, m_q, c_q) = forms
    covariance_p, covariance_q = a_p.I, a_q.I
    k = x.shape[0]
    # S = c·S₁ with S₁'s coefficients whole numbers where α is a number: det S = cᵏ det S₁
    # and S⁻¹ = S₁⁻¹/c, as a textbook writes (Σ₁ + Σ₂)⁻¹ rather than (½Σ₁ + ½Σ₂)⁻¹
    c = sp.gcd(order, 1 - order) if order.is_Rational else sp.S.One
    s = (order / c) * covariance_q + ((1 - order) / c) * covariance_p
    difference = m_p - m_q
    log_value = (order * c_p + (1 - order) * c_q + k * sp.log(2 * sp.pi) / 2
                 + (sp.log(sp.Determinant(covariance_p)) + sp.log(sp.Determinant(covariance_q))
                    - k * sp.log(c) - sp.log(sp.Determinant(s))) / 2
                 - order * (1 - order) * sp.Trace(difference.T * s.I * difference) / (2 * c))
    return Shaped(_expanded_outside_traces(log_value), IsPositiveDefinite(s),
                  Label("a Gaussian integral: log p and log q are quadratic in x",
                        r"\text{a Gaussian integral: } \log p \text{ and } \log q"
                        r"\text{ are quadratic in } x"), sp.exp(log_value))


def _matrix_quadratic(f, x):
    """(A, m, c) with f = c − ½ tr((x − m)ᵀ A (x − m)), A free of x, for f holding x in
    one such trace, else None.

    >>> k = sp.Symbol("k", integer=True, positive=True)
    >>> x, m, S = sp.MatrixSymbol("x", k, 1), sp.MatrixSymbol("m", k, 1), sp.MatrixSymbol("S", k, k)
    >>> _matrix_quadratic(3 - sp.Trace((x - m).T * S.I * (x - m)) / 2, x)
    (S**(-1), m, 3)
    """
    quadratic = [term for term in sp.Add.make_args(f) if term.has(x)]
    if len(quadratic) != 1:
        return None
    coefficient, trace = quadratic[0].as_independent(x, as_Add=False)
    if not isinstance(trace, sp.Trace) or not isinstance(trace.arg, sp.MatMul):
        return None
    left, *middle, right = trace.arg.args
    if not middle or any(factor.has(x) for factor in middle) or sp.Transpose(right).doit() != left:
        return None
    mode = (x - right).doit()
    if mode.has(x):
        return None
    return -2 * coefficient * sp.MatMul(*middle), mode, f - quadratic[0]


def _over_kinks(exponent, x, support) -> Shaped | None:
    """∫_ℝ e^{exponent} for an exponent linear in x and in terms |s·x + t| (a kink at
    c = −t/s): for each ordering of the kinks, the line split at them, on each piece the
    exponent linear, a·x + b, and e^{ax+b} integrated; a Piecewise over the orderings.

    It converges where the exponent's slope is positive towards −∞ and negative towards ∞.

    >>> x, c = sp.Symbol("x", real=True), sp.Symbol("c", real=True)
    >>> _over_kinks(-sp.Abs(x) - sp.Abs(x - c), x, sp.Reals).converges
    True
    """
    if (support.inf, support.sup) != (-sp.oo, sp.oo):
        return None
    kinks = {}  # |s·x + t| -> (its kink c, the sign of s)
    for absolute in exponent.atoms(sp.Abs):
        if not absolute.has(x):
            continue
        line = absolute.args[0].as_poly(x)
        if line is None or line.degree() != 1 or line.LC().is_extended_positive is None:
            return None
        slope, intercept = line.all_coeffs()
        kinks[absolute] = (-intercept / slope, 1 if slope.is_extended_positive else -1)
    points = sorted({c for c, _ in kinks.values()}, key=sp.default_sort_key)
    if not points or len(points) > _MOST_KINKS:
        return None

    def linear(below):
        """(slope, intercept) of the exponent where x lies above the kinks ``below`` and
        below the others, or None where it is not linear there."""
        signs = {a: s if c in below else -s for a, (c, s) in kinks.items()}
        line = sp.expand(exponent.xreplace({a: sign * a.args[0] for a, sign in signs.items()}))
        line = line.as_poly(x)
        if line is None or line.degree() > 1:
            return None
        return line.coeff_monomial(x), line.coeff_monomial(1)

    left, right = linear(()), linear(tuple(points))
    if left is None or right is None:
        return None
    converges = sp.And(_positive(sp.factor(left[0])), _positive(sp.factor(-right[0])))
    slope = sp.Dummy("a", real=True)
    # e^{ax}/a where a ≠ 0, x where a = 0
    (general, _), (level, _) = sp.integrate(sp.exp(slope * x), x).args

    def integrated(a, lower, upper):
        """∫ e^{ax} dx from ``lower`` to ``upper``: at an infinite end e^{ax} vanishes where
        the integral converges, and there a ≠ 0."""
        def between(antiderivative):
            return sp.Add(*(sign * antiderivative.xreplace({slope: a, x: end})
                            for end, sign in ((upper, 1), (lower, -1)) if not end.is_infinite))
        if lower.is_infinite or upper.is_infinite or a.is_nonzero:
            return between(general)
        if a.is_zero:
            return between(level)
        numerator, denominator = sp.fraction(sp.factor(a))
        zero = numerator.as_coeff_Mul()[1] if denominator.is_nonzero else a  # a = 0 where that is
        return sp.Piecewise((between(general), sp.Ne(zero, 0)), (between(level), True))

    pieces = []
    for ordering in itertools.permutations(points):
        where = sp.And(*(sp.Le(a, b) for a, b in zip(ordering, ordering[1:])))
        if where == sp.false:
            continue
        ends = (-sp.oo,) + ordering + (sp.oo,)
        total = sp.S.Zero
        for j in range(len(ends) - 1):
            found = linear(ordering[:j])
            if found is None:
                return None
            a, b = found
            total += as_powers(sp.exp(b)) * integrated(a, ends[j], ends[j + 1])
        pieces.append((sp.log(total), where))
        if where == sp.true:
            break
    pieces[-1] = (pieces[-1][0], sp.true)
    log_value = pieces[0][0] if len(pieces) == 1 else sp.Piecewise(*pieces)
    integral = sp.Integral(sp.exp(exponent), (x, -sp.oo, sp.oo))
    return Shaped(log_value, converges,
                  Label("split at the kinks, the exponent linear on each piece",
                        r"\text{split at the kinks, the exponent linear on each piece}"), integral)


def _by_substituting_a_power(exponent, x, support) -> Shaped | None:
    """∫_0^∞ e^{exponent} for an exponent c + s·log x + r·x^k: with u = x^k (dx =
    u^{1/k − 1} du / |k|) it is e^c/|k| · ∫_0^∞ u^{σ} e^{r u} du, σ = (s + 1)/k − 1, which
    converges where σ > −1 and r < 0.

    Powers x^{k₁}, x^{k₂} with different exponents become one where the exponents
    coincide: the rule then holds there (``where``).

    >>> x, k, r = sp.Symbol("x", positive=True), sp.Symbol("k", positive=True), sp.Symbol("r", positive=True)
    >>> _by_substituting_a_power((k - 1) * sp.log(x) - r * x**k, x, sp.Interval(0, sp.oo)).log_value
    -log(k) + log(1/r)
    """
    if (support.inf, support.sup) != (0, sp.oo):
        return None
    powers = _powers(decompose(exponent, x), x)
    if powers is None or not powers:
        return None
    substitution, where = _coinciding(list(powers))
    if substitution is None:
        return None
    exponent = exponent.xreplace(substitution)
    terms = decompose(exponent, x)
    powers = _powers(terms, x)
    if powers is None or len(powers) != 1:
        return None
    (k, rate), = powers.items()
    if not (k.is_extended_positive or k.is_extended_negative):
        return None
    u, shape, scale = sp.Dummy("u", positive=True), sp.Dummy("a", positive=True), sp.Dummy("b", positive=True)
    a = sp.cancel((terms.get(sp.log(x), 0) + 1) / k)  # σ + 1
    gamma_integral = sp.integrate(u ** (shape - 1) * sp.exp(-scale * u), (u, 0, sp.oo), conds="none")
    gamma_integral = gamma_integral.xreplace({shape: a, scale: -rate})
    log_value = terms.get(1, 0) - sp.log(sp.Abs(k)) + sp.log(as_powers(gamma_integral))
    at_zero, at_infinity = _positive(sp.factor(a)), _positive(sp.factor(-rate))
    converges = sp.And(at_zero, at_infinity)
    # u^{σ} e^{r u}: not integrable at 0 where σ ≤ −1, at ∞ where r ≥ 0
    failing = [f"at {'x = 0' if (k > 0) == (end is at_zero) else '∞'}, {what}"
               for end, what in ((at_zero, f"p^α q^(1−α) ~ x^({sp.sstr(sp.expand(a * k - 1))})"),
                                 (at_infinity, "p^α q^(1−α) does not decay"))
               if end == sp.false]
    integral = sp.Integral(as_powers(sp.exp(exponent)), (x, 0, sp.oo))
    return Shaped(log_value, converges,
                  Label(f"with u = x^{sp.sstr(k)}, a Gamma integral",
                        rf"\text{{with }} u = x^{{{sp.latex(k)}}} \text{{, a Gamma integral}}"),
                  integral, where, "; ".join(failing) or None)


def _by_a_bessel_k(exponent, x, support) -> Shaped | None:
    """∫_0^∞ e^{exponent} for an exponent c + s·log x − a/x − b·x (an inverse Gamma, or an
    inverse Gaussian, against a Gamma): the normaliser of a generalized inverse Gaussian,

        ∫_0^∞ x^s e^{−a/x − bx} dx = 2 (a/b)^{(s+1)/2} K_{s+1}(2√(ab)),

    which converges where a > 0 and b > 0 (at 0 e^{−a/x} must fall, at ∞ e^{−bx}); K_ν is
    even in ν and finite at ν = 0, where p's and q's shapes coincide.

    >>> x, a, b = sp.Symbol("x", positive=True), sp.Symbol("a", positive=True), sp.Symbol("b", positive=True)
    >>> found = _by_a_bessel_k(-a / x - b * x, x, sp.Interval(0, sp.oo)).log_value
    >>> found == sp.log(2) + sp.log(a / b) / 2 + sp.log(sp.besselk(1, 2 * sp.sqrt(a) * sp.sqrt(b)))
    True
    """
    if (support.inf, support.sup) != (0, sp.oo):
        return None
    terms = decompose(exponent, x)
    if not {x, 1 / x} <= set(terms) <= {1, sp.log(x), x, 1 / x}:
        return None
    s, a, b = terms.get(sp.log(x), sp.S.Zero), -terms[1 / x], -terms[x]
    order = s + 1
    log_value = (terms.get(1, 0) + sp.log(2) + order * sp.log(a / b) / 2
                 + sp.log(sp.besselk(order, 2 * sp.sqrt(a) * sp.sqrt(b))))
    at_zero, at_infinity = _positive(sp.factor(a)), _positive(sp.factor(b))
    failing = [f"at {end}, p^α q^(1−α) does not decay" for end, holds in (("x = 0", at_zero), ("∞", at_infinity))
               if holds == sp.false]
    return Shaped(log_value, sp.And(at_zero, at_infinity),
                  Label("a generalized inverse Gaussian's normaliser: a Bessel K",
                        r"\text{a generalized inverse Gaussian's normaliser: } K_{\nu}"),
                  sp.Integral(as_powers(sp.exp(exponent)), (x, 0, sp.oo)), sp.true, "; ".join(failing) or None)


def _powers(terms, x):
    """{k: r} for the statistics x^k of a decomposition whose others are 1 and log x, else None."""
    powers = {}
    for statistic, coefficient in terms.items():
        if statistic == 1 or statistic == sp.log(x):
            continue
        base, k = statistic.as_base_exp()
        if base != x or k.has(x):
            return None
        powers[k] = coefficient
    return powers


def _coinciding(exponents):
    """(a substitution making the ``exponents`` one, the condition that they coincide), or
    (None, None) where numbers differ or no parameter can be solved for.

    >>> k_1, k_2 = sp.symbols("k_1 k_2", positive=True)
    >>> _coinciding([k_1, k_2])
    ({k_1: k_2}, Eq(k_1, k_2))
    """
    first, *others = sorted(exponents, key=sp.default_sort_key)
    substitution = {}
    for k in others:
        difference = sp.cancel((k - first).xreplace(substitution))
        if difference == 0:
            continue
        for symbol in sorted(difference.free_symbols, key=sp.default_sort_key):
            solutions = sp.solve(difference, symbol)
            if len(solutions) == 1:
                substitution = {s: v.xreplace({symbol: solutions[0]}) for s, v in substitution.items()}
                substitution[symbol] = solutions[0]
                break
        else:
            return None, None
    return substitution, sp.And(*(sp.Eq(first, k) for k in others))


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
    """The families whose normaliser may close the integral: p's, then q's (distinct), each
    a twin with fresh parameters.

    A family that keeps its own entries as its twin (a random vector with explicit
    entries) is no recogniser: solving for its parameters would solve for p's or q's.
    """
    found, own = [], p.free_symbols | q.free_symbols
    for family in (p, q):
        try:
            twin, _ = family.generic("*")
        except SymklError:  # no twin takes the placeholder names (matrix symbols)
            continue
        if twin.parameter_symbols & own:
            continue
        if all(twin.content()[0] is not f.content()[0] for f in found):
            found.append(twin)
    return found


def _as_normaliser(family, exponent, x, deadline, order):
    """(log ∫ e^{exponent}, θ*, the condition that θ* is a valid parameter) if ``exponent``
    is the log-density of ``family`` at some θ* plus a constant, else None.

    ``order`` is the α of a power integral, whose θ* is valid at α = ½ (convexity); None
    for an exponent that is no such mix (a size-biased density), whose θ* is valid
    where its condition says."""
    theta = sorted(family.parameter_symbols, key=sp.default_sort_key)
    if not theta or not isinstance(x, (sp.Symbol, sp.MatrixBase, sp.IndexedBase)):
        return None
    try:
        wanted = within(max(deadline - clock(), 0.01), decompose, exponent, x)
        own = within(max(deadline - clock(), 0.01), decompose, family.log_density(x), x)
    except OutOfTime:
        return None
    if isinstance(x, sp.IndexedBase):
        return _as_indexed_normaliser(family, wanted, own, x, deadline, order)
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
            if order is None or sp.Lt(order, 1) != sp.true:
                return None  # validity unknown where convexity does not decide it
            conditions = [sp.true]
        if family.valid_together(solution) != sp.true:
            continue  # θ* off the family's parameter set (weights not summing to 1)
        condition = sp.And(*conditions)
        if condition == sp.false or order is not None and not _holds_somewhere(condition, order):
            continue
        value = wanted.get(1, 0) - own.get(1, 0).xreplace(solution)
        return value, [sp.Eq(t, v) for t, v in zip(theta, values)], condition
    return None


def _as_indexed_normaliser(family, wanted, own, x, deadline, order):
    """The normaliser of a family of K coordinates with indexed parameters θ[i], whose
    statistics are sums Σ_i c(θ[i])·t(x[i]) (a Dirichlet of symbolic K): the coefficients
    matched coordinate by coordinate give θ*[i]; then as :func:`_as_normaliser`, with the
    condition that θ*[i] is valid for every i (:func:`_for_every`)."""
    summands, limits = [sp.S.Zero, sp.S.Zero], set()
    for side, terms in enumerate((wanted, own)):
        for statistic, coefficient in terms.items():
            if statistic == 1:
                continue
            if not isinstance(statistic, sp.Sum) or coefficient != 1:
                return None  # a statistic that is no sum over the coordinates
            limits.add(statistic.limits)
            summands[side] += statistic.function
    if len(limits) != 1:
        return None
    (limit,), = limits
    index = limit[0]
    unknowns = {base: sp.Dummy(f"{base}", **base.assumptions0) for base in family.parameter_symbols}
    at_index = {base[index]: d for base, d in unknowns.items()}
    target, mine = (decompose(s, x) for s in summands)
    equations = []
    for statistic in set(target) | set(mine):
        if statistic == 1:
            continue
        coefficient = sp.sympify(mine.get(statistic, 0)).xreplace(at_index)
        if coefficient.free_symbols & set(unknowns.values()):
            equations.append(sp.Eq(coefficient, target.get(statistic, 0)))
        elif sp.cancel(target.get(statistic, 0) - coefficient) != 0:
            return None
    try:
        solutions = within(max(deadline - clock(), 0.01),
                           lambda: sp.solve(equations, list(unknowns.values()), dict=True))
    except (OutOfTime, NotImplementedError, ValueError, TypeError):
        return None
    for solution in solutions:
        if set(solution) != set(unknowns.values()):
            continue
        solved = {base: as_powers(solution[d]) for base, d in unknowns.items()}  # θ*[index]
        if family.valid_together(solved) != sp.true:
            continue  # θ* off the family's parameter set (weights not summing to 1)
        # a positive parameter must stay positive, a real one (a mean) is any real number
        conditions = [_positive(v) if base.is_positive else sp.true if base.is_real else None
                      for base, v in solved.items()]
        if any(c is None for c in conditions):
            if order is None or sp.Lt(order, 1) != sp.true:
                return None  # validity unknown where convexity does not decide it
            conditions = [sp.true]
        condition = sp.And(*conditions)
        if condition == sp.false or order is not None and not _holds_somewhere(condition, order):
            continue
        condition = _for_every(condition, limit)
        if condition is None:
            return None
        entries = lambda e: isinstance(e, sp.Indexed) and e.base in solved
        value = wanted.get(1, 0) - own.get(1, 0).replace(
            entries, lambda e: solved[e.base].xreplace({index: e.indices[0]}))
        return value, [sp.Eq(base[index], v) for base, v in solved.items()], condition
    return None


def _for_every(condition, limit):
    """``condition`` (on the coordinate ``limit[0]``) for every coordinate in ``limit``:
    sympy has no such quantifier, so v_i > 0 for all i is written Σ_i θ(−v_i) = 0, θ the
    Heaviside step (θ(0) = ½): each term is ≥ 0 and vanishes where v_i > 0.

    >>> i, K = sp.Symbol("i", integer=True), sp.Symbol("K", integer=True, positive=True)
    >>> a = sp.IndexedBase("a", real=True)
    >>> _for_every(sp.Gt(a[i], 0), (i, 1, K))
    Eq(Sum(Heaviside(-a[i]), (i, 1, K)), 0)
    """
    if condition in (sp.true, sp.false):
        return condition
    parts = condition.args if isinstance(condition, sp.And) else (condition,)
    if not all(isinstance(c, (sp.StrictGreaterThan, sp.StrictLessThan)) for c in parts):
        return None
    steps = sp.Add(*(sp.Heaviside(-(c.lhs - c.rhs) if isinstance(c, sp.StrictGreaterThan)
                                  else c.lhs - c.rhs) for c in parts))
    return sp.Eq(sp.Sum(steps, limit), 0)


def _in_space(family, symbol, value):
    """The condition that ``value`` may stand for the parameter ``symbol`` of ``family``,
    or None where the family does not say (an entry of a covariance matrix).

    A family that declares no parameters (a Dirichlet's vector of concentrations) made
    its Symbols with its constraint's assumptions, and is taken to constrain each entry
    on its own: a positive one stays positive.  (A Categorical's probabilities, which
    must also sum to 1, do not get here: their log-density is one Piecewise statistic,
    holding the parameters, which no θ* is solved for.)
    """
    if not family.parameters:
        return _positive(value) if isinstance(symbol, sp.Symbol) and symbol.is_positive else None
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
    if value.is_zero:
        return sp.false  # 0 > 0 fails (the rate of a Gamma integral that does not decay)
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


def _expanded_outside_traces(expr):
    """``sp.expand`` with each trace kept whole: Δᵀ S⁻¹ Δ stays one quadratic form."""
    traces = {trace: sp.Dummy() for trace in expr.atoms(sp.Trace)}
    return sp.expand(expr.xreplace(traces)).xreplace({d: trace for trace, d in traces.items()})


def as_powers(expr):
    """e^{c·log b + d·log Γ(a) + r} as b^c·Γ(a)^d·e^{r}: the form a textbook writes, and
    sympy reasons about."""
    def powers(exponential):
        factors, rest = [], []
        for term in sp.Add.make_args(_expanded_outside_traces(exponential.args[0])):
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
    sets = [finite_points(d.support) for d in (p, q)]
    if None in sets:
        return None
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


def _unevaluated(p, q, order, lhs, steps, why, deadline):
    """The integral (sum) of p^α q^{1−α} over supp p ∩ supp q, where both densities are
    positive: evaluated where sympy does it at once or with bounds Max(a, b), Min(a, b)
    taken as symbols, else the honest unevaluated integral; ∞ for α ≥ 1 where p has mass
    outside supp q."""
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
        diverges = None
        if any(isinstance(bound, (sp.Max, sp.Min)) for bound in (lower, upper)):
            integral = _between_bounds(integral, order, deadline) or integral
        try:  # a constant integrand over an interval (Uniform) sympy does at once
            done = within(share(_MOST_FOR_DOIT), integral.doit) if integral.has(sp.Integral, sp.Sum) else integral
            # sympy may answer nan (a Pareto against a Weibull): no value
            integral = done if _usable(done) else integral
        except (OutOfTime, *SYMPY_FAILURES):
            pass  # out of time, or sympy failed inside: the integral stays
        if not integral.has(sp.Integral, sp.Sum) and not p.discrete and not any(
                isinstance(bound, (sp.Max, sp.Min)) for bound in (lower, upper)):
            found = _where_finite(integral, p, q, order, lower, upper, deadline)
            if found is None:  # sympy's value may hold only where the integral converges
                integral = sp.Integral(integrand, (x, lower, upper))
            else:
                integral, diverges = found
        if integral.has(sp.Integral):
            integral = _between_bounds(integral, order, deadline) or integral
        if isinstance(integral, sp.Integral) and not any(
                isinstance(bound, (sp.Max, sp.Min)) for bound in (lower, upper)):
            # left for quadrature: for α > 1 it may diverge, decided from its tails
            found = _where_finite(integral, p, q, order, lower, upper, deadline)
            if found is not None:
                integral, diverges = found
        if upper == sp.oo and integral.has(sp.Sum):  # a sum of positive terms that may diverge
            integral = integral.replace(lambda e: isinstance(e, sp.Sum) and e.limits[0][2] == sp.oo,
                                        lambda e: _by_the_ratio_test(e, deadline))
        value = _logarithm(integral)
        one_support = (lower, upper) in ((p.support.inf, p.support.sup), (q.support.inf, q.support.sup))
        if not one_support:
            # no common support: I = 0, log I = −∞ (for α < 1; for α ≥ 1 p ⊄ q makes I = ∞)
            value = sp.Piecewise((value, lower < upper),
                                 (-sp.oo if (order < 1) != sp.false else sp.oo, True))
        within_p = support_condition(p, q)[0]
        if within_p != sp.true:  # over supp q ⊂ supp p, or the intersection: ∞ for α ≥ 1
            value = sp.Piecewise((value, sp.Lt(order, 1) | within_p), (sp.oo, True))
        # a sum over one support up to a finite end is closed; over an intersection, none is
        closed = not value.has(sp.Integral) and all(
            one_support and upper.is_finite for s in value.atoms(sp.Sum) for _, _, upper in s.limits)
        label = ("over the common support" if closed else
                 "not in closed form" + (f" ({why})" if why else "") if one_support else
                 "not in closed form (over the common support)")
        steps.append(Step(label, sp.Eq(lhs, value, evaluate=False)))
        reasons = [diverges] if diverges else []
        if not one_support:
            reasons.append(f"p and q have no common support unless {sp.sstr(lower < upper)}")
        if within_p != sp.true and sp.Lt(order, 1) != sp.true:
            reasons.append("for α ≥ 1, p has mass where q has none")
        return Power(value, tuple(steps), closed, "; ".join(reasons) or None)
    # a random vector, or a support sympy cannot bound
    integral = notation.PowerIntegral(notation.P, notation.Q, order)
    label = "not in closed form" + (f" ({why})" if why else "")
    steps.append(Step(label, sp.Eq(lhs, sp.log(integral), evaluate=False)))
    return Power(sp.log(integral), tuple(steps), False, None)


def _by_the_ratio_test(total, deadline):
    """Σ_k t_k (t_k > 0, to ∞) as ∞ where the ratio t_{k+1}/t_k tends to a limit above 1
    (a Piecewise where that depends on the parameters), else as it is.

    >>> k, lam = sp.Symbol("k", integer=True, nonnegative=True), sp.Symbol("lam", positive=True)
    >>> _by_the_ratio_test(sp.Sum(sp.factorial(k) / 4**k, (k, 0, sp.oo)), clock() + 10)
    oo
    """
    (k, _, _), = total.limits
    term = total.function
    try:
        ratio = within(min(max(deadline - clock(), 0.01), share(_MOST_FOR_RATIO)), lambda: sp.limit(
            sp.simplify(sp.combsimp(term.xreplace({k: k + 1}) / term)), k, sp.oo))
    except (OutOfTime, *SYMPY_FAILURES):
        return total
    # sign(z) of a z ≥ 0 is 1 but where z = 0, which valid parameters avoid ((1 − p)² of a
    # probability p < 1)
    ratio = ratio.replace(lambda e: isinstance(e, sp.sign) and e.args[0].is_nonnegative,
                          lambda e: sp.S.One)
    if ratio.has(sp.Limit, sp.nan, sp.AccumBounds) or ratio.is_extended_real is False:
        return total
    if ratio == sp.oo or (ratio.is_number and ratio > 1):
        return sp.oo
    if ratio.is_number:
        return total
    return sp.Piecewise((total, sp.Le(ratio, 1)), (sp.oo, True))


#: seconds the ratio test's limit may take
_MOST_FOR_RATIO = 3.0


def _between_bounds(integral, order, deadline):
    """∫ over bounds Max(a, b) or Min(a, b) (two supports' intersection): each such bound
    a fresh symbol (positive where the bound is), integrated by sympy, the bound put back;
    where sympy leaves the integral, the integrand (p^α q^{1−α} ≥ 0) diverges: ∞.  None
    where sympy cannot do it.

    >>> x, a, b = sp.Symbol("x", positive=True), sp.Symbol("a", positive=True), sp.Symbol("b", positive=True)
    >>> _between_bounds(sp.Integral(x**-3, (x, sp.Max(a, b), sp.oo)), sp.S.Half, clock() + 10)
    1/(2*Max(a, b)**2)
    """
    (x, lower, upper), = integral.limits
    bounds = {bound: sp.Dummy("m", positive=True) if bound.is_positive else sp.Dummy("m", real=True)
              for bound in (lower, upper) if isinstance(bound, (sp.Max, sp.Min))}
    if not bounds:
        return None
    value = _incomplete_beta(integral.xreplace(bounds))
    if value is None:
        try:
            value = within(min(max(deadline - clock(), 0.01), share(_MOST_FOR_DOIT)),
                           lambda: integral.xreplace(bounds).doit(conds="piecewise"))
        except (OutOfTime, *SYMPY_FAILURES):
            return None
    if isinstance(value, sp.Piecewise) and value.args[-1][0].has(sp.Integral):
        # below order 1 the integral converges (Hölder): each condition is needed above it only
        value = sp.Piecewise(*((v, sp.Or(sp.Lt(order, 1), c)) for v, c in value.args[:-1]),
                             (sp.oo, True))
    if value.has(sp.Integral, sp.nan, sp.zoo, sp.meijerg):
        return None
    # m·m^s as m^{s+1}, piece by piece
    value = (sp.Piecewise(*((sp.powsimp(v), c) for v, c in value.args))
             if isinstance(value, sp.Piecewise) else sp.powsimp(value))
    if value.has(sp.lowergamma):  # γ(s, β/m) − γ(s, β/b) as Γ's: finite as m → 0 for every s
        value = _upper_gammas(value)
    for bound, m in bounds.items():
        value = _at_the_bound(value, m, bound, deadline)
    return value


def _incomplete_beta(integral):
    """∫_l^u c x^s (1 − x)^t dx for 0 ≤ l, u ≤ 1 (a Beta's support cut by another's):
    c (F(u) − F(l)) with F(z) = z^{s+1} ₂F₁(s + 1, −t; s + 2; z)/(s + 1), the incomplete
    Beta function B(z; s + 1, t + 1); None where the integrand is not of that shape or
    s > −1, t > −1 (convergence at 0 and at 1) cannot be shown.

    >>> x = sp.Symbol("x", positive=True)
    >>> l, u = sp.Symbol("l", positive=True), sp.Symbol("u", positive=True)
    >>> _incomplete_beta(sp.Integral(sp.sqrt(x) * (1 - x), (x, l, u)))
    -2*l**(3/2)*(1 - 3*l/5)/3 + 2*u**(3/2)*(1 - 3*u/5)/3

    At l = 1/4, u = 1 it is ∫ √x − x^{3/2} = [2x^{3/2}/3 − 2x^{5/2}/5] = 47/240:

    >>> F = _incomplete_beta(sp.Integral(sp.sqrt(x) * (1 - x), (x, l, u)))
    >>> F.subs({l: sp.Rational(1, 4), u: 1}).evalf(20), sp.Rational(47, 240).evalf(20)
    (0.19583333333333333333, 0.19583333333333333333)
    """
    (x, lower, upper), = integral.limits
    within_unit = all(sp.And(sp.Ge(bound, 0), sp.Le(bound, 1)) != sp.false for bound in (lower, upper))
    if not within_unit or lower.is_negative or (upper - 1).is_positive:
        return None
    s, t, c = sp.S.Zero, sp.S.Zero, []
    for factor in sp.Mul.make_args(integral.function):
        base, exponent = factor.as_base_exp()
        if not factor.has(x):
            c.append(factor)
        elif base == x and not exponent.has(x):
            s += exponent
        elif base == 1 - x and not exponent.has(x):
            t += exponent
        else:
            return None
    if not ((s + 1).is_positive and (t + 1).is_positive):
        return None

    return sp.Mul(*c) * (incomplete_beta(upper, s, t) - incomplete_beta(lower, s, t))


def _at_the_bound(value, m, bound, deadline):
    """``value`` with the bound Max(c, a) (Min(c, a)) put in for ``m``: a Piecewise of its
    value at m = a where a is the larger (smaller) and at m = c elsewhere, each taken as the
    one-sided limit where putting it in reads nan or ∞ (γ(s, β/(2m)) at m = 0).

    >>> a, m, s = sp.Symbol("a", real=True), sp.Symbol("m", positive=True), sp.Symbol("s", positive=True)
    >>> _at_the_bound(sp.uppergamma(s, 1 / m), m, sp.Max(0, a), clock() + 10)
    Piecewise((uppergamma(s, 1/a), a > 0), (0, True))
    """
    if len(bound.args) != 2 or not any(arg.is_number for arg in bound.args):
        return value.xreplace({m: bound})
    number, other = sorted(bound.args, key=lambda arg: not arg.is_number)
    side = "+" if isinstance(bound, sp.Max) else "-"  # m ≥ c where it is a Max, m ≤ c a Min

    def put_in(point):
        found = value.xreplace({m: point})
        if not found.has(sp.nan, sp.zoo):
            return found
        try:
            found = within(min(max(deadline - clock(), 0.01), share(_MOST_FOR_DOIT)),
                           lambda: sp.limit(value, m, point, side))
        except (OutOfTime, *SYMPY_FAILURES):
            return value.xreplace({m: bound})
        return found if not found.has(sp.Limit, sp.nan, sp.zoo) else value.xreplace({m: bound})
    beyond = sp.Gt(other, number) if isinstance(bound, sp.Max) else sp.Lt(other, number)
    return sp.Piecewise((put_in(other), beyond), (put_in(number), True))


def _collected(exponent, x):
    """The exponent with its terms collected by statistic, for display."""
    terms = decompose(exponent, x)
    return sp.Add(*(sp.factor_terms(c) * t for t, c in terms.items()), evaluate=False)

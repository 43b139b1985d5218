"""The divergences beyond KL by quadrature, from the log-densities alone.

The power integral is an expectation under p,

    I_α = ∫ p^α q^{1−α} = E_p[e^{(α−1)(log p − log q)}],

integrated by :mod:`symkl.numeric.quadrature` exactly as KL is (the same
splitting at the supports' ends and landmarks, the same tails and working
precision), where q = 0 gives the integrand 0 for α < 1 and ∞ for α > 1;
the divergence is then its definition's function of I_α (:data:`symkl.kinds.KINDS`),
the error carried through to first order.  Jeffreys' divergence is the sum
of the two KL integrals; total variation, Jensen–Shannon and f-divergences
are integrated by :mod:`symkl.numeric.crossings`, split where p and q cross.
"""
from __future__ import annotations

import itertools

import mpmath
import sympy as sp

from ..errors import Unsupported
from ..kinds import KINDS
from . import cubature, quadrature
from ..families.vectors import Euclidean
from .density import LogDensities, exact, exactly, require_numbers, to_mpmath
from .quadrature import (Estimate, _Weight, _interval, _outside, _quad, _refine, _sum, _support,
                         check_precision)
from .support import Run, difference, integers, intervals


class _PowerWeight(_Weight):
    """The integrand p·e^{(α−1)(log p − log q)} (or the size of its rounding error)."""

    def __init__(self, order, mode):
        self.order = order
        self.f = lambda lp, lq: mpmath.exp((self.order - 1) * (lp - lq))
        self.mode = mode


def power_integral(p, q, order, dps: int = 50) -> Estimate:
    """I_α = ∫ p^α q^{1−α} for numeric p, q and α > 0, with its error estimate.

    >>> from symkl import Normal
    >>> mpmath.nstr(power_integral(Normal(0, 1), Normal(1, 1), sp.S.Half, dps=30).value, 20)  # e^(−1/8)
    '0.88249690258459540286'
    """
    check_precision(dps)
    for family in (p, q):
        require_numbers(family)
    if hasattr(p, "factors"):  # a product law: the product of the factors' integrals
        parts = [power_integral(a, b, order, dps) for a, b in zip(p.factors, q.factors)]
        with mpmath.workdps(dps + 2 * quadrature.GUARD):
            value = mpmath.fprod(e.value for e in parts)
            relative = mpmath.fsum(e.error / e.value for e in parts if e.value)
            scale = mpmath.fprod(max(e.scale, e.value) for e in parts)
            return Estimate(value, abs(value) * relative, scale,
                            next((e.reason for e in parts if e.reason), None))
    if cubature.handles(p):  # random vectors share their space: cubature of E_p[…]
        a = sp.nsimplify(order)
        direction = _growing_direction(p, q, a) if a > 1 and isinstance(p.support, Euclidean) else None
        if direction is not None:
            return Estimate(mpmath.inf, mpmath.mpf(0), mpmath.mpf(0),
                            f"p^α q^(1−α) grows without bound along {direction} from p's mean: "
                            f"the integral is ∞")
        return cubature.estimate(None, p, q, dps, integrand=lambda lp, lq: mpmath.exp(
            (to_mpmath(a) - 1) * (lp - lq)), centre=_geometric_centre(p, q, a))
    # I_α − 1 = E_q[(p/q)^α − 1], an f-divergence's integral (f(t) = t^α − 1: its crossings,
    # peaks and mass outside the common support), exactly 0 where p = q and with every digit
    # of a small I_α − 1 kept
    from . import crossings
    if not p.discrete and not crossings.common_support(p, q):
        # no common support: p^α q^{1−α} is 0 there for α < 1, and ∞ for α > 1 (p's mass
        # lies where q is 0)
        if to_mpmath(order) > 1:
            return Estimate(mpmath.inf, mpmath.mpf(0), mpmath.mpf(0),
                            "p and q have no common support: for α > 1 the integral is ∞")
        return Estimate(mpmath.mpf(0), mpmath.mpf(0), mpmath.mpf(1), "p and q have no common support")
    t = sp.Symbol("t", positive=True)
    rest = crossings.f_divergence(p, q, sp.Lambda(t, t ** sp.nsimplify(order) - 1), dps)
    with mpmath.workdps(dps + 2 * quadrature.GUARD):
        return Estimate(1 + rest.value, rest.error, max(rest.scale, mpmath.mpf(1)), rest.reason)


#: probe distances, in units of p's spread along the direction
_REACH = (1, 10, 100, 1000)
#: growth of the log-integrand over the probe that reads as growth without bound
_GROWTH = 100
#: the last step's rise over the one before it: about 100 for quadratic growth, 10 for linear
_SUPERLINEAR = 50


def _growing_direction(p, q, order):
    """A direction (rounded, as a list) along which log(p^α q^{1−α}) = α log p + (1 − α) log q
    rises without bound from p's mean, or None.

    In p's whitened coordinates x = m + L·t (m, L·Lᵀ p's declared mean and covariance) the
    directions tried are the axes and the eigenvectors of the log-integrand's Hessian at
    t = 0, by central differences: for a Gaussian integrand, one whose precision
    αC_p⁻¹ + (1 − α)C_q⁻¹ is not positive definite, the eigenvector of its largest
    eigenvalue is a direction of quadratic growth.  Along each, the log-integrand at
    t = r·d for r in :data:`_REACH` must increase at every step, by more than
    :data:`_GROWTH` in all, and faster than linearly (the last rise over
    :data:`_SUPERLINEAR` times the one before): a log-integrand c + b·r − λr²/2 with a
    tiny λ > 0 rises linearly that far out and converges, one with λ < 0 rises as r² and
    does not.  From the log-densities alone."""
    if p.moments() is None:
        return None
    log_densities = LogDensities([p, q])
    with mpmath.workdps(30):
        mean, lower = cubature._whitening(p)
        k, a = mean.rows, to_mpmath(order)

        def h(t):
            lp, lq = log_densities(*(mean + lower * t))
            return a * lp + (1 - a) * lq

        unit = [mpmath.matrix([int(i == j) for i in range(k)]) for j in range(k)]
        centre = h(mpmath.matrix(k, 1))
        hessian = mpmath.matrix(k, k)
        for i, j in itertools.product(range(k), repeat=2):
            hessian[i, j] = (h(unit[i] + unit[j]) - h(unit[i] - unit[j]) - h(unit[j] - unit[i])
                             + h(-unit[i] - unit[j])) / 4
        _, vectors = mpmath.eigsy(hessian)
        candidates = unit + [vectors[:, j] for j in range(k)]
        for d in candidates + [-d for d in candidates]:
            values = [centre] + [h(r * d) for r in _REACH]
            rises = [after - before for before, after in zip(values, values[1:])]
            if (all(rise > 0 for rise in rises) and values[-1] - centre > _GROWTH
                    and rises[-1] > _SUPERLINEAR * rises[-2]):
                x = lower * d
                return [float(mpmath.nstr(v / mpmath.norm(x), 3)) for v in x]
    return None


def _geometric_centre(p, q, order):
    """Where the Gauss–Hermite nodes go for p^α q^{1−α} when both declare a mean and a
    covariance: the Gaussian of precision Λ = αC_p⁻¹ + (1−α)C_q⁻¹ and mean
    Λ⁻¹(αC_p⁻¹m_p + (1−α)C_q⁻¹m_q), the one p^α q^{1−α} is for normal p and q (the nodes
    only: the integrand is p^α q^{1−α} from the log-densities, whatever the families).
    None (p's own moments) when there are none or Λ is not positive definite."""
    if p.moments() is None or q.moments() is None:
        return None

    def centre():
        a = to_mpmath(order)
        (mp_, cp), (mq, cq) = ([mpmath.matrix([to_mpmath(exactly(v)) for v in mean]),
                                mpmath.matrix([[to_mpmath(exactly(v)) for v in row]
                                               for row in covariance.tolist()])]
                               for mean, covariance in (p.moments(), q.moments()))
        precision = a * mpmath.inverse(cp) + (1 - a) * mpmath.inverse(cq)
        covariance = mpmath.inverse(precision)
        mean = covariance * (a * mpmath.inverse(cp) * mp_ + (1 - a) * mpmath.inverse(cq) * mq)
        return mean, mpmath.cholesky(covariance)
    try:
        with mpmath.workdps(20):
            centre()
    except (ValueError, ZeroDivisionError):  # Λ is not positive definite: p's own nodes
        return None
    return centre


def _over_common_support(p, q, weight, floor):
    """∫ (or Σ) over supp p ∩ supp q only: a log-density formula does not vanish outside
    its family's support, and there p^α q^{1−α} is 0 (α < 1; α ≥ 1 was ∞ already)."""
    sp_, sq = _support(p), _support(q)
    if p.discrete:
        points = sorted(set(_points(sp_)) & set(_points(sq)))
        f = weight.integrand(p, q)
        return mpmath.fsum(f(mpmath.mpf(k)) for k in points), mpmath.mpf(0)
    mine = intervals(sp_)
    common = difference(mine, difference(mine, intervals(sq)))
    plain = weight.integrand(p, q)
    total = error = mpmath.mpf(0)
    for lower, upper in common:
        value, e = _interval(p, q, weight, plain, lower, upper, floor)
        total, error = total + value, error + e
    return total, error


def _points(support):
    """The points of a discrete support with different supports on the two sides (finite:
    an infinite one differs from the other's only by finitely many points here)."""
    found = integers(support)
    if isinstance(found, Run):
        if not (found.lower.is_finite and found.upper.is_finite):
            raise Unsupported("the numeric power integral over two different infinite discrete "
                              "supports is not built")
        return range(int(found.lower), int(found.upper))
    return found


#: a kind's own route (:attr:`symkl.kinds.Kind.method`) → its quadrature in crossings
_ROUTES = {"crossings": "total_variation", "midpoint": "jensen_shannon",
           "generator": "f_divergence"}


def estimate(kind: str, p, q, order=None, dps: int = 50) -> Estimate:
    """The divergence ``kind`` (a power-integral divergence, a sum of KLs, or one with a
    numeric route of its own in :mod:`symkl.numeric.crossings`) of numeric p, q; ``order``
    is its α, or the generator f of an f-divergence."""
    spec = KINDS[kind]
    if spec.method is not None and hasattr(p, "factors"):
        raise Unsupported(f"the numeric {spec.title} of product laws is not built (it does not "
                          f"split over the factors)")
    if spec.method is not None:
        from . import crossings
        route = _ROUTES[spec.method]
        args = (order,) if spec.order == "function" else ()
        return getattr(crossings, route)(p, q, *args, dps=dps)
    if spec.parts:
        numeric = cubature.estimate if cubature.handles(p) else quadrature.estimate
        parts = [numeric(name, *((q, p) if swapped else (p, q)), dps=dps)
                 for name, swapped in spec.parts]
        reason = next((e.reason for e in parts if mpmath.isinf(e.value)), None)
        with mpmath.workdps(dps + 2 * quadrature.GUARD):
            return Estimate(mpmath.fsum(e.value for e in parts), mpmath.fsum(e.error for e in parts),
                            mpmath.fsum(e.scale for e in parts), reason)
    order = spec.order if spec.order != "free" else order
    integral = power_integral(p, q, order, dps)
    if mpmath.isinf(integral.value):
        return Estimate(mpmath.inf, mpmath.mpf(0), mpmath.mpf(0), integral.reason)
    log_i, a = sp.Symbol("log_I"), sp.Symbol("alpha")
    outer = spec.from_power(log_i, a)
    slope = sp.diff(outer, log_i)  # dD/d(log I); d(log I) = dI/I
    if integral.value == 0 and integral.error == 0:  # no common support: log I = −∞
        limit = sp.limit(outer.xreplace({a: sp.nsimplify(order)}), log_i, -sp.oo)
        return Estimate(to_mpmath(limit), mpmath.mpf(0), mpmath.mpf(0),
                        "p and q have no common support")
    with mpmath.workdps(dps + quadrature.GUARD):
        if integral.value <= 0:
            raise Unsupported(f"the power integral came out as {mpmath.nstr(integral.value, 5)}, "
                              f"not a positive number: p and q share no mass the quadrature finds")
        at = {log_i: sp.Float(mpmath.log(integral.value), dps + quadrature.GUARD),
              a: sp.nsimplify(order)}
        value = to_mpmath(outer.xreplace(at))
        gain = abs(to_mpmath(slope.xreplace(at))) / integral.value
        return Estimate(value, gain * integral.error, gain * integral.scale, integral.reason)

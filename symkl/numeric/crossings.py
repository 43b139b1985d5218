"""Total variation, Jensen–Shannon and f-divergences by quadrature, split where p and q cross.

Each is an integral over supp p ∪ supp q of a function of the two densities,
computed from the families' declared log-densities and supports alone (never
a closed form, never the engine):

* TV(p, q) = ½∫|p − q| = ½∫ e^M·(1 − e^(−d)),
* JS(p, q) = ½KL(p‖m) + ½KL(q‖m) = ½∫ (p + q)·φ(tanh(d/2)), m = (p + q)/2,
  φ(t) = ½[(1 + t)log(1 + t) + (1 − t)log(1 − t)] = (d/2)·tanh(d/2) − log cosh(d/2),
* D_f(p‖q) = ∫ q·f(p/q),

with M = max(log p, log q) and d = |log p − log q|.  The integrands of TV and
JS are positive and lose at most a digit: φ is taken in its second form while
d < 1, where the first would cancel, and as log 2 − log1p(e^(−d)) −
e^(−d)·d/(1 + e^(−d)) beyond; log m = M + log1p(e^(−d)) − log 2 is never formed
from p + q.  Where one density is 0 (outside its support) its log is −∞: the
part of supp p outside supp q contributes ½·P(there) to TV, ½log 2·P to JS
and f'(∞)·P to D_f, f'(∞) = lim_(t→∞) f(t)/t; the part of supp q outside supp
p ½·Q, ½log 2·Q and f(0+)·Q.  An infinite f'(∞) (or f(0+)) with mass there
makes D_f ∞, with the reason; a part that is all of a support has mass 1
exactly (disjoint supports: TV = 1, JS = log 2).

**Crossings.**  |p − q| has a kink where log p − log q changes sign, and
tanh-sinh quadrature converges slowly across a kink; so the common support is
split there too, besides at the supports' ends and the families' landmarks
(:func:`symkl.numeric.quadrature.points`).  The crossings are looked for at
every working precision, in the coordinates the quadrature uses on each piece:
16 samples linearly on a narrow piece between two points; 8 per doubling piece
in u through y = s·e^u from the nearer point on a wide one and on a tail (out
to where p, q and the integrand have nothing the working precision could see,
or to u = 2^30); the same through y = L·e^(−u) beside an end of the support.
Each sample of d = log p − log q is compared with its rounding error (from the
sizes of the log-densities' terms), and a sign change between two samples
whose signs are known is refined by the Illinois method (regula falsi,
bisecting where it stalls, geometrically when the bracket spans orders of
magnitude) to the working precision.  A tangential touch (no sign change)
needs no split: |p − q| is smooth there; two crossings closer than the samples
are missed, at worst a slower piece.  For an f-divergence the same samples
also find where q·f(p/q) peaks in u between them (p²/q for χ² of two normals
30σ apart peaks where neither has mass): the peak (golden section) and where
it has fallen by e^8 on each side become points as well.

The pieces are then integrated as :mod:`symkl.numeric.quadrature` integrates
KL (:func:`~symkl.numeric.quadrature.between`, :func:`~symkl.numeric.quadrature.ray`,
the approach to an end in the distance from it, the tails decided by
:mod:`symkl.numeric.tails`), at the working precision
:func:`~symkl.numeric.quadrature._refine` picks from the size of the
integrand's rounding error (its sensitivity to the rounding of log p and log q,
and of f's own terms); then once more with
:data:`~symkl.numeric.quadrature.GUARD` more digits, and the error is at least
the change (tanh-sinh's own estimate can fall short near the working
precision: a piece off by 10^-60 estimated at 10^-64).  Discrete families are
summed term by term: finite supports exactly, infinite ones exactly over the
integers where p or q has mass the working precision sees (found outward from
each family's first landmark), and by :func:`symkl.numeric.tails.series`
beyond and between.

Only scalar families: random vectors raise :class:`~symkl.errors.Unsupported`.
"""
from __future__ import annotations

import mpmath
import sympy as sp

from ..errors import InvalidInput, Unsupported
from . import cubature, tails
from .density import _HUGE_EXPONENT as _HUGE
from .density import (MODULES, LogDensities, LogDensity, _exp, exact_family, require_numbers, to_mpmath,
                      weighted)
from .quadrature import (GUARD, _WIDE, Estimate, _Weight, _from_end, _interval, _offset, _pair, _refine,
                         _start, _support, between, check_precision, points, ray, spacings)
from ..families.vectors import Counts
from .support import Run, difference, integers, intervals

__all__ = ["total_variation", "jensen_shannon", "f_divergence"]

#: log p − log q beyond this is not exponentiated (f-divergences; see `_FDivergence._edge`)
_FAR = mpmath.ldexp(1, 1000)
#: samples of log p − log q on a narrow piece, and on each doubling piece in u
_LINEAR_SAMPLES, _LOG_SAMPLES = 16, 8
#: the doubling pieces in u a scan follows at most (u = 2^30, as the tails do)
_HORIZON = 31


# -- the public functions ------------------------------------------------------------
def total_variation(p, q, dps: int = 50) -> Estimate:
    """The total variation distance TV(p, q) = ½∫|p − q| (½Σ for discrete families).

    Parameters
    ----------
    p, q : Distribution
        Scalar families with numeric parameters.
    dps : int
        Significant digits wanted (at most :data:`~symkl.numeric.quadrature.MAX_DPS`).

    Returns
    -------
    Estimate
        ``(value, error, scale, reason)``; 0 ≤ TV ≤ 1, exactly 0 for the same
        distribution, 1 for disjoint supports.

    Examples
    --------
    >>> from symkl import Exponential, Normal, Uniform
    >>> mpmath.nstr(total_variation(Normal(0, 1), Normal(1, 1), dps=20).value, 15)  # erf(1/(2√2))
    '0.382924922548026'
    >>> total_variation(Uniform(0, 1), Uniform(2, 3)).value
    mpf('1.0')
    """
    return _estimate(p, q, _TotalVariation(), dps)


def jensen_shannon(p, q, dps: int = 50) -> Estimate:
    """The Jensen–Shannon divergence ½KL(p‖m) + ½KL(q‖m), m = (p + q)/2, in nats.

    Parameters
    ----------
    p, q : Distribution
        Scalar families with numeric parameters.
    dps : int
        Significant digits wanted.

    Returns
    -------
    Estimate
        0 ≤ JS ≤ log 2 (log 2 exactly for disjoint supports).

    Examples
    --------
    >>> import sympy as sp
    >>> from symkl import Bernoulli
    >>> js = jensen_shannon(Bernoulli(sp.Rational(1, 2)), Bernoulli(sp.Rational(1, 4)), dps=20)
    >>> mpmath.nstr(js.value, 15)
    '0.0338220755686052'
    """
    return _estimate(p, q, _JensenShannon(), dps)


def f_divergence(p, q, f, dps: int = 50) -> Estimate:
    """The f-divergence D_f(p‖q) = ∫ q·f(p/q) for a generator ``f`` with f(1) = 0.

    Where q = 0 < p the integrand is p·f'(∞), f'(∞) = lim f(t)/t; where
    p = 0 < q it is q·f(0+).  Either limit may be ∞: the divergence is then ∞
    (with the reason) if there is mass there.

    Parameters
    ----------
    p, q : Distribution
        Scalar families with numeric parameters.
    f : sympy.Lambda
        A function of one variable, convex on (0, ∞) with f(1) = 0 (convexity
        is not checked), e.g. ``Lambda(t, t*log(t))`` for KL(p‖q).
    dps : int
        Significant digits wanted.

    Examples
    --------
    >>> import sympy as sp
    >>> from symkl import Normal
    >>> t = sp.Symbol("t")
    >>> chi2 = f_divergence(Normal(0, 1), Normal(1, 1), sp.Lambda(t, (t - 1) ** 2), dps=20)
    >>> mpmath.nstr(chi2.value, 15)  # e − 1
    '1.71828182845905'
    >>> f_divergence(Normal(0, 1), Normal(0, 1), sp.Lambda(t, t * sp.log(t))).value
    mpf('0.0')
    """
    return _estimate(p, q, _FDivergence(f), dps)


# -- what is integrated ------------------------------------------------------------------
class _TotalVariation:
    """½|p − q| from log p and log q (either may be −∞)."""

    name = "total variation"
    peaks = False  # |p − q| ≤ max(p, q): its bulk is p's and q's, at their landmarks

    def only(self, which):
        """The integrand's factor where only p (``which="p"``) or only q has mass."""
        return mpmath.mpf(1) / 2

    def value(self, lp, lq):
        top, d = _top(lp, lq)
        if top == -mpmath.inf:
            return mpmath.mpf(0)
        return weighted(top, 1 - _exp(-d) if d > 1 else -mpmath.expm1(-d)) / 2

    def size(self, lp, sp_, lq, sq):
        top, d = _top(lp, lq)
        if top == -mpmath.inf:
            return mpmath.mpf(0)
        size_top = sp_ if lp >= lq else sq
        if mpmath.isinf(d):  # the other is 0: its size does not enter
            return weighted(top, 1 + size_top) / 2
        s = _exp(-d)
        return weighted(top, (1 - s) * (1 + size_top) + s * (sp_ + sq)) / 2


class _JensenShannon:
    """½(p + q)·φ(tanh(d/2)) from log p and log q (either may be −∞)."""

    name = "Jensen–Shannon divergence"
    peaks = False

    def only(self, which):
        return mpmath.log(2) / 2

    def value(self, lp, lq):
        top, d = _top(lp, lq)
        if top == -mpmath.inf:
            return mpmath.mpf(0)
        return weighted(top, _mixed(d)) / 2

    def size(self, lp, sp_, lq, sq):
        top, d = _top(lp, lq)
        if top == -mpmath.inf:
            return mpmath.mpf(0)
        size_top = sp_ if lp >= lq else sq
        if d > _HUGE:  # the other is 0, or as good as 0: its size does not enter
            return weighted(top, _mixed(d) * (1 + size_top)) / 2
        slope = _exp(-d) * d  # |d/dd of (1 + e^-d)·φ| ≤ e^-d·d
        return weighted(top, _mixed(d) * (1 + size_top) + slope * (sp_ + sq)) / 2


def _top(lp, lq):
    """max(log p, log q) and |log p − log q| (∞ where one of them is −∞)."""
    top = max(lp, lq)
    if top == -mpmath.inf:
        return top, mpmath.mpf(0)
    if lp == -mpmath.inf or lq == -mpmath.inf:
        return top, mpmath.inf
    return top, abs(lp - lq)


def _mixed(d):
    """(1 + e^(−d))·φ(tanh(d/2)) for d ≥ 0: (p + q)/max(p, q) times JS's φ, without cancellation."""
    if d > _HUGE:
        return mpmath.log(2)
    s = mpmath.exp(-d)
    return (1 + s) * _phi(d, s)


def _phi(d, s):
    """φ(t) = ½[(1 + t)log(1 + t) + (1 − t)log(1 − t)], t = tanh(d/2), s = e^(−d).

    Below d = 1 as (d/2)·tanh(d/2) − log cosh(d/2) (a term twice the result, minus one
    its size: under a digit cancels, where the definition's own terms, of size t, give a
    result of size t²); above, as log 2 − log1p(s) − s·d/(1 + s).

    >>> with mpmath.workdps(30):
    ...     d = mpmath.mpf(10) ** -20
    ...     mpmath.nstr(_phi(d, mpmath.exp(-d)) / (d ** 2 / 8), 25)  # φ ≈ t²/2 ≈ d²/8
    '1.0'
    """
    if d == 0:
        return mpmath.mpf(0)
    if d < 1:  # with e = e^(−d/2) − 1: tanh(d/2) = −e(2 + e)/(1 + s), cosh(d/2) − 1 = e²/(2(1 + e))
        e = mpmath.expm1(-d / 2)
        return -d / 2 * e * (2 + e) / (1 + s) - mpmath.log1p(e * e / (2 * (1 + e)))
    # 1 ± t = 2/(1 + s), 2s/(1 + s): at most a digit cancels
    return mpmath.log(2) - mpmath.log1p(s) - s * d / (1 + s)


class _FDivergence:
    """q·f(p/q) from log p and log q, with f(0+) and f'(∞) where one of them is −∞."""

    name = "f-divergence"
    peaks = True  # q·f(p/q) may have its bulk far from p's and q's (p²/q for χ²)

    def __init__(self, f):
        if not isinstance(f, sp.Lambda) or len(f.variables) != 1:
            raise InvalidInput(f"f must be a sympy Lambda of one variable, e.g. Lambda(t, t*log(t)); "
                               f"got {f!r}")
        t = sp.Symbol("t", positive=True)
        expr = sp.sympify(f.expr).xreplace({f.variables[0]: t})
        others = expr.free_symbols - {t}
        if others:
            raise InvalidInput(f"f must have numbers for everything but its variable; it has "
                               f"{', '.join(sorted(map(str, others)))}")
        at_one = _number_at(expr, t, 1)
        if at_one is None or at_one != 0:
            raise InvalidInput(f"an f-divergence needs f(1) = 0; f = {sp.Lambda(t, expr)} has "
                               f"f(1) = {sp.sstr(expr.subs(t, 1))}")
        self.expr = expr
        self.zero = _limit(expr, t, 0, "f(0+)")
        self.slope = _limit(expr / t, t, sp.oo, "f'(∞) = lim f(t)/t")
        self.f = sp.lambdify(t, expr, MODULES)
        self.terms = sp.lambdify(t, list(sp.Add.make_args(sp.expand(expr))), MODULES)
        slope = sp.diff(expr, t)
        # the sensitivities of q·f(p/q) to log p and log q, t·f'(t) and f(t) − t·f'(t), expanded
        # so that what cancels in them (t − t for (√t − 1)²) cancels exactly
        self.sensitivity = sp.lambdify(t, [sp.expand(t * slope), sp.expand(expr - t * slope)], MODULES)
        self.described = sp.sstr(sp.Lambda(t, expr))
        # f(e^r)/e^r and f(e^r), for p/q = e^r past exponentiating: r itself for t·log t
        r = sp.Symbol("r", real=True)
        at = expr.xreplace({t: sp.exp(r)})
        self.far = {"p": sp.lambdify(r, sp.powsimp(sp.expand(at * sp.exp(-r))), MODULES),
                    "q": sp.lambdify(r, sp.powsimp(sp.expand(at)), MODULES)}

    def only(self, which):
        """f'(∞) where only p has mass, f(0+) where only q has."""
        return to_mpmath(self.slope if which == "p" else self.zero)

    def value(self, lp, lq):
        edge = self._edge(lp, lq)
        if edge is not None:
            log_weight, factor, _ = edge
            return _times(log_weight, factor)
        r = lp - lq
        t = mpmath.exp(r)
        value = self.value_of(t)
        return weighted(lp, value / t) if r > 0 else weighted(lq, value)

    def size(self, lp, sp_, lq, sq):
        edge = self._edge(lp, lq)
        if edge is not None:
            log_weight, factor, which = edge
            return _times(log_weight, abs(factor) * (1 + (sp_ if which == "p" else sq)))
        r = lp - lq
        t = mpmath.exp(r)
        # f's own rounding (its terms), then log p's and log q's: ∂(q·f(p/q))/∂log p = q·t·f'(t),
        # ∂/∂log q = q·(f(t) − t·f'(t))
        by_p, by_q = (_size(v) for v in self.sensitivity(t))
        size = mpmath.fsum(_size(term) for term in self.terms(t)) + by_p * sp_ + by_q * sq
        return weighted(lp, size / t) if r > 0 else weighted(lq, size)

    def value_of(self, t):
        """f(t), a real number (Unsupported where it is not)."""
        value = _real(self.f(t))
        if mpmath.isnan(value):
            raise Unsupported(f"the generator {self.described} is not a real number at t = "
                              f"{mpmath.nstr(t, 15)}")
        return value

    def _edge(self, lp, lq):
        """Where p/q is 0 or ∞ (a log-density −∞: outside its support, or past computing), or
        |log p − log q| > 2^1000, where e^(log p − log q) is not computed (mpmath would take
        forever over its exponent): ``(the log of the weight, its factor, "p" or "q")``, the
        factor f(e^r)/e^r (or f(e^r)) as an expression in r = log p − log q where that has a
        value (r for t·log t), else the limit f'(∞) (or f(0+)) — exact to far below any
        working precision where it is finite; else None."""
        if lp == -mpmath.inf and lq == -mpmath.inf:
            # both past computing: q·f(p/q) ≤ q·f(0) + p·f'(∞) is 0 where both limits are finite
            zero, slope = self.only("q"), self.only("p")
            factor = 0 if mpmath.isfinite(zero) and mpmath.isfinite(slope) else mpmath.inf
            return -mpmath.inf, factor, "p"
        if lq == -mpmath.inf:
            return _far(lp, self.only("p"), "p")
        if lp == -mpmath.inf:
            return _far(lq, self.only("q"), "q")
        r = lp - lq
        if abs(r) > _FAR:
            which = "p" if r > 0 else "q"
            log_weight = lp if r > 0 else lq
            try:
                value = _real(self.far[which](r))
            except (ValueError, ZeroDivisionError, OverflowError):
                value = mpmath.nan
            if mpmath.isfinite(value):  # f in r: t·log t/t = r
                return log_weight, value, which
            return _far(log_weight, self.only(which), which)
        return None


def _far(log_weight, factor, which):
    """The limit p·f'(∞) (or q·f(0+)) where p/q is past computing: 0 where the weight itself is
    below e^(−2^40), as :func:`~symkl.numeric.density.weighted` takes it (a tail whose
    integrand still mattered there would have been decided, convergent or not, where
    p/q was still computed), else the product (∞ for an infinite factor: past computing)."""
    if log_weight < -_HUGE and not mpmath.isinf(log_weight):
        return log_weight, mpmath.mpf(0), which
    return log_weight, factor, which


def _real(value):
    """An mpmath (or Python) number as a real mpf, nan where it is not real."""
    if isinstance(value, mpmath.mpc):
        value = value.real if value.imag == 0 else mpmath.nan
    return mpmath.mpf(value)


def _size(value):
    """|value|, 0 for what is no finite real number (a kink's derivative, nan)."""
    value = _real(value)
    return abs(value) if mpmath.isfinite(value) else mpmath.mpf(0)


def _times(log_weight, factor):
    """e^log_weight · factor, where a factor of 0 gives 0 and one of ±∞ gives ±∞."""
    if factor == 0:
        return mpmath.mpf(0)
    if mpmath.isinf(factor):
        return factor
    return weighted(log_weight, factor)


def _number_at(expr, t, point):
    """expr at t = point as an exact 0 or a nonzero number, None if it cannot be told."""
    value = sp.simplify(expr.subs(t, point))
    if value == 0:
        return 0
    try:
        number = sp.N(value, 30)
    except (TypeError, ValueError):
        return None
    if not number.is_number or number.has(sp.nan, sp.zoo):
        return None
    return 0 if abs(number) < sp.Float(10) ** -25 else number


def _limit(expr, t, point, what):
    """sympy's limit of expr as t → point (from above at 0), a real number or ±oo."""
    try:
        found = sp.limit(expr, t, point, "+") if point == 0 else sp.limit(expr, t, point)
    except (NotImplementedError, ValueError, TypeError) as error:
        raise Unsupported(f"cannot compute {what} for the generator: {error}") from error
    if found in (sp.oo, -sp.oo):
        if found == -sp.oo:
            raise InvalidInput(f"{what} is −∞: the generator is not convex")
        return found
    if not (found.is_number and found.is_extended_real) or found.has(sp.nan, sp.zoo, sp.AccumBounds):
        raise Unsupported(f"cannot compute {what} for the generator: sympy gives {found}")
    return found


# -- the driver ----------------------------------------------------------------------------
def _estimate(p, q, rule, dps) -> Estimate:
    check_precision(dps)
    for family in (p, q):
        require_numbers(family)
    if isinstance(p.support, Counts) and isinstance(q.support, Counts):
        return _over_counts(p, q, rule, dps)
    if cubature.handles(p) or cubature.handles(q):
        raise Unsupported(f"the numeric {rule.name} is built for distributions on the line only, "
                          f"not for random vectors ({_pair(p, q)})")
    if p.discrete != q.discrete:
        return _singular(p, q, rule, dps)
    if _same(p, q):
        return Estimate(mpmath.mpf(0), mpmath.mpf(0), mpmath.mpf(0))
    with mpmath.workdps(15):
        reason = _infinite(p, q, rule)
    if reason:
        return Estimate(mpmath.inf, mpmath.mpf(0), mpmath.mpf(0), reason)
    method = _discrete if p.discrete else _continuous
    cache, last = {}, {}

    def run(mode, floor):
        if mode == "value":
            last["dps"] = mpmath.mp.dps
        return method(p, q, rule, mode, floor, cache)

    found = _refine(run, dps)
    if not mpmath.isfinite(found.value) or found.scale == 0:
        return found
    # tanh-sinh's own error estimate can fall short near the working precision (a piece
    # off by 10^-60 estimated at 10^-64): the value again with GUARD more digits bounds it
    with mpmath.workdps(last["dps"] + GUARD):
        value, error = method(p, q, rule, "value", found.scale * mpmath.eps, cache)
        if not mpmath.isfinite(value):
            return Estimate(value, mpmath.mpf(0), found.scale, "the integral diverges")
        error = max(found.error, error, abs(value - found.value))
    return Estimate(value, error, found.scale)


def _singular(p, q, rule, dps) -> Estimate:
    """One discrete, the other continuous: all of p where q has no mass, all of q where p has none."""
    kinds = ("discrete", "continuous") if p.discrete else ("continuous", "discrete")
    with mpmath.workdps(dps + GUARD):
        factors = (rule.only("p"), rule.only("q"))
        value = mpmath.fsum(factors)
        error = 4 * mpmath.eps * abs(value) if mpmath.isfinite(value) else mpmath.mpf(0)
    reason = None
    if mpmath.isinf(value):
        reason = (f"p is {kinds[0]} and q is {kinds[1]}: each has all its mass where the other has "
                  f"none, and {'f(t)/t → ∞' if mpmath.isinf(factors[0]) else 'f(0+) = ∞'}")
    return Estimate(value, error, abs(value) if mpmath.isfinite(value) else mpmath.mpf(0), reason)


def _pieces(family):
    """The support as :func:`_outside` measures it: intervals (ends open or closed alike), runs."""
    return _runs(family) if family.discrete else intervals(_support(family))


def _same(p, q) -> bool:
    """Whether p and q are one distribution: equal, or the same log-density on the same support
    (up to its ends)."""
    if p == q:
        return True
    a, b = exact_family(p), exact_family(q)
    if _pieces(a) != _pieces(b):
        return False
    x = a.variable()
    gap = a.log_density(x) - b.log_density(x)
    if gap == 0:
        return True
    return sp.count_ops(gap) < 200 and sp.expand(gap) == 0


def _infinite(p, q, rule):
    """Why the divergence is ∞ from the supports (mass where the other has none, times an
    infinite factor), or None."""
    for which, (a, b) in (("p", (p, q)), ("q", (q, p))):
        factor = rule.only(which)
        if not mpmath.isinf(factor):
            continue
        mass, _, where = _outside(a, b, 0)
        if mass > 0:
            limit = "f(t)/t → ∞ as t → ∞" if which == "p" else "f(0+) = ∞"
            return f"{which} has mass {mpmath.nstr(mass, 3)} {where}, and {limit}"
    return None


def _outside(a, b, floor):
    """a's mass outside supp b: ``(mass, error, where)``."""
    weight = _Weight(None, "mass")
    whole = _pieces(a)
    if a.discrete:
        runs = _difference_runs(whole, _runs(b))
        if runs == whole:  # all of a: its mass is 1, whatever its sum would round to
            return mpmath.mpf(1), mpmath.mpf(0), "everywhere (the supports are disjoint)"
        mass = error = mpmath.mpf(0)
        term = _term(weight.integrand(a, None))
        for lower, upper in runs:
            value, e = _sum_run([a], term, lower, upper, floor)
            mass, error = mass + value, error + e
        where = "at " + ", ".join(_shown_run(r) for r in runs) + " where the other has none"
        return mass, error, where
    pieces = difference(whole, intervals(_support(b)))
    if pieces == whole:
        return mpmath.mpf(1), mpmath.mpf(0), "everywhere (the supports are disjoint)"
    plain = weight.integrand(a, None)
    mass = error = mpmath.mpf(0)
    for lower, upper in pieces:
        value, e = _interval(a, None, weight, plain, lower, upper, floor)
        mass, error = mass + value, error + e
    where = "outside the other's support, on " + ", ".join(
        f"({sp.sstr(lo)}, {sp.sstr(hi)})" for lo, hi in pieces)
    return mass, error, where


def _one_sided(p, q, rule, mode, floor):
    """The parts where only one of p and q has mass: ``(value, error)``."""
    total = error = mpmath.mpf(0)
    for which, (a, b) in (("p", (p, q)), ("q", (q, p))):
        factor = rule.only(which)
        if factor == 0:
            continue
        mass, e, _ = _outside(a, b, floor)
        if mass == 0 and e == 0:
            continue
        if mpmath.isinf(factor):  # decided before at 15 digits; a mass that appears only now
            return mpmath.inf, mpmath.mpf(0)
        factor = abs(factor) if mode == "magnitude" else factor
        total, error = total + factor * mass, error + abs(factor) * e
    return total, error


# -- continuous ------------------------------------------------------------------------------
class _Pair:
    """A point ↦ the rule's integrand there, from the compiled log-densities of p and q."""

    def __init__(self, rule, mode, families, at=None):
        self.rule, self.mode, self.families = rule, mode, families
        self.log_densities = LogDensities(families, at)

    def _logs(self, point):
        found = self.log_densities.with_size(point)
        for family, (value, _) in zip(self.families, found):
            if mpmath.isnan(value):
                raise Unsupported(f"the log-density of {family!r} is not a number at "
                                  f"{mpmath.nstr(point, 15)}")
        return found

    def __call__(self, point):
        if self.mode == "magnitude":
            (lp, sp_), (lq, sq) = self._logs(point)
            return self.rule.size(lp, sp_, lq, sq)
        lp, lq = self.log_densities(point)
        if mpmath.isnan(lp) or mpmath.isnan(lq):
            self._logs(point)
        return self.rule.value(lp, lq)

    def density(self, point):
        """max(p, q) at the point: what must shrink where a tail is called divergent."""
        return weighted(max(self.log_densities(point)), 1)

    def probe(self, point):
        """``(log p − log q, its rounding error, log max(p, q), log |integrand|)`` at the point
        (the last only for a rule whose integrand may peak away from p and q, an f-divergence;
        else log max(p, q) again)."""
        (lp, sp_), (lq, sq) = self._logs(point)
        top = max(lp, lq)
        level = top
        if self.rule.peaks:
            value = abs(self.rule.value(lp, lq))
            level = mpmath.log(value) if value > 0 else -mpmath.inf
        if lp == lq:  # equal, or both −∞: no sign
            return mpmath.mpf(0), mpmath.inf, top, level
        d = lp - lq
        if mpmath.isinf(d):  # one of them is 0 here: the sign is sure
            return d, mpmath.mpf(0), top, level
        return d, 8 * mpmath.eps * (sp_ + sq + abs(lp) + abs(lq)), top, level


def common_support(p, q) -> list:
    """supp p ∩ supp q of two continuous p, q, as intervals (none when they are disjoint)."""
    mine = intervals(_support(p))
    return difference(mine, difference(mine, intervals(_support(q))))


def _continuous(p, q, rule, mode, floor, cache):
    common = common_support(p, q)
    total, error = _one_sided(p, q, rule, mode, floor)
    if not mpmath.isfinite(total):
        return total, error
    for lower, upper in common:
        value, e = _common(p, q, rule, mode, lower, upper, floor, cache)
        total, error = total + value, error + e
    if mpmath.isnan(total):
        raise Unsupported(f"the {rule.name} of {_pair(p, q)} diverges to +∞ in one place and to "
                          f"−∞ in another: it has no value")
    return total, error


def _common(p, q, rule, mode, lower, upper, floor, cache):
    """∫ over one interval of supp p ∩ supp q, split at its points and at the crossings."""
    split = points(p, q, lower, upper)
    plain = _Pair(rule, mode, [p, q])
    near = {}
    if mpmath.isfinite(split[0]):
        near[0] = _Pair(rule, mode, [p, q], [(lower, 1), (lower, 1)])
    if mpmath.isfinite(split[-1]):
        near[-1] = _Pair(rule, mode, [p, q], [(upper, -1), (upper, -1)])
    key = (mpmath.mp.prec, lower, upper)
    if key not in cache:
        cache[key] = crossings(split, plain, near)
    split = _merged(split, cache[key])
    spacing = spacings(split)
    last = len(split) - 2
    where = f"the {rule.name} of {_pair(p, q)}"
    total = error = mpmath.mpf(0)
    for i, (a, b) in enumerate(zip(split, split[1:])):
        if i == 0 and mpmath.isfinite(a):
            value, e = _from_end(near[0], b - a, floor, f"{where} near x = {sp.sstr(lower)}")
        elif i == last and mpmath.isfinite(b):
            value, e = _from_end(near[-1], b - a, floor, f"{where} near x = {sp.sstr(upper)}")
        elif not mpmath.isfinite(a):
            value, e = ray(plain, b, -1, spacing[b], mpmath.inf, floor, f"the lower tail of {where}")
        elif not mpmath.isfinite(b):
            value, e = ray(plain, a, 1, spacing[a], mpmath.inf, floor, f"the upper tail of {where}")
        else:
            value, e = between(plain, a, b, spacing[a], spacing[b], floor)
        total, error = total + value, error + e
    return total, error


def _merged(split, cuts):
    """The points ``split`` with the crossings ``cuts`` among them; a crossing that is as good as
    on a point (nearer to it than the working precision's share of its other gap) is dropped."""
    merged = sorted(set(split) | set(cuts))
    kept = []
    for i, x in enumerate(merged):
        if x not in split:
            gaps = [abs(x - n) for n in merged[max(i - 1, 0):i + 2:2] if n is not x and mpmath.isfinite(n)]
            if len(gaps) == 2 and min(gaps) <= mpmath.ldexp(max(gaps), 8 - mpmath.mp.prec):
                continue
        kept.append(x)
    return kept


def crossings(split, plain, near) -> list:
    """The points strictly between the ends of ``split`` where log p − log q changes sign (and,
    for an f-divergence, where its integrand peaks between samples: see :func:`_peaks`).

    ``plain`` evaluates at x, ``near[0]`` and ``near[-1]`` at the distance from the first and
    the last point where those are ends of the support (see :class:`_Pair`).  Each piece is
    sampled in the coordinate its quadrature uses, and each sign change refined to the
    working precision.

    >>> from symkl import Normal
    >>> import sympy as sp
    >>> p, q = Normal(0, 1), Normal(1, 2)
    >>> with mpmath.workdps(30):
    ...     found = crossings(points(p, q, -sp.oo, sp.oo), _Pair(_TotalVariation(), "value", [p, q]), {})
    ...     [mpmath.nstr(x, 20) for x in found]  # the roots of 3x² + 2x − 1 − 8 log 2 = 0
    ['-1.8475449849651756962', '1.1808783182985090295']
    """
    spacing = spacings(split)
    last = len(split) - 2
    found = []
    for i, (a, b) in enumerate(zip(split, split[1:])):
        if i == 0 and mpmath.isfinite(a):
            segments = [(near[0].probe, a, 1, _toward_end(b - a))]
        elif i == last and mpmath.isfinite(b):
            segments = [(near[-1].probe, b, -1, _toward_end(b - a))]
        elif not mpmath.isfinite(a):
            segments = [(_at(plain, b, -1), b, -1, _outward(spacing[b], mpmath.inf))]
        elif not mpmath.isfinite(b):
            segments = [(_at(plain, a, 1), a, 1, _outward(spacing[a], mpmath.inf))]
        elif b - a <= _WIDE * min(spacing[a], spacing[b]):
            segments = [(_at(plain, a, 1), a, 1, [(_linear(b - a), False, 1, False)])]
        else:
            half = (b - a) / 2
            segments = [(_at(plain, a, 1), a, 1, _outward(spacing[a], half)),
                        (_at(plain, b, -1), b, -1, _outward(spacing[b], half))]
        for probe, anchor, sign, pieces in segments:
            for y in _scan(probe, pieces):
                x = _offset(anchor, sign * y)
                if a < x < b:
                    found.append(x)
    return sorted(set(found))


def _at(plain, anchor, sign):
    """``plain.probe`` as a function of the distance y from ``anchor`` in the direction ``sign``."""
    return lambda y: plain.probe(_offset(anchor, sign * y))


def _linear(length):
    return [length * k / _LINEAR_SAMPLES for k in range(_LINEAR_SAMPLES + 1)]


def _outward(s, length):
    """Pieces of samples y: linearly to s, then y = s·e^u over doubling pieces in u, out to
    ``length``; each with whether the scan may stop after it (on an infinite ray) and the
    length of its stretch of u."""
    s = min(s, length)
    yield _linear(s), False, 1, False
    if s == length:
        return
    end = mpmath.log(length / s) if mpmath.isfinite(length) else None
    for lo, hi in _doubling():
        if end is not None and lo >= end:
            return
        hi = hi if end is None else min(hi, end)
        yield [s * mpmath.exp(u) for u in _grid(lo, hi)], end is None, hi - lo, True


def _toward_end(length):
    """Pieces of samples y = length·e^(−u) over doubling pieces in u, toward an end at y = 0."""
    yield [length], False, 1, True
    for lo, hi in _doubling():
        yield [length * mpmath.exp(-u) for u in _grid(lo, hi)], True, hi - lo, True


def _doubling():
    """[0, 1], [1, 2], [2, 4], … out to u = 2^(_HORIZON − 1)."""
    return [(0, 1) if j == 0 else (2 ** (j - 1), 2 ** j) for j in range(_HORIZON)]


def _grid(lo, hi):
    return [lo + (hi - lo) * mpmath.mpf(k) / _LOG_SAMPLES for k in range(1, _LOG_SAMPLES + 1)]


def _scan(probe, pieces) -> list:
    """The roots of log p − log q along the samples ``pieces``, refined (see :func:`_root`), and
    where the integrand peaks between samples in u (see :func:`_peaks`).

    A sample counts only where log p − log q exceeds its rounding error; the scan ends
    after two pieces in a row (where it may) on which p, q and the integrand all have nothing
    the working precision could see (max(p, q, |integrand|)·y times the piece's length in u
    below ε·e^-12)."""
    negligible = mpmath.log(mpmath.eps) - 12
    found, last, quiet, samples = [], None, 0, []
    for ys, may_stop, length, in_u in pieces:
        seen = -mpmath.inf
        for y in ys:
            d, noise, top, level = probe(y)
            if y > 0:
                seen = max(seen, max(top, level) + mpmath.log(y * length))
            if in_u:
                samples.append((y, level))
            if not abs(d) > noise:
                continue
            if last is not None and (d > 0) != (last[1] > 0):
                found.append(_root(probe, last[0], y, last[1], d))
            last = (y, d)
        if may_stop:
            quiet = quiet + 1 if seen < negligible else 0
            if quiet >= 2:
                break
    return found + _peaks(probe, samples)


def _peaks(probe, samples, most=2) -> list:
    """Where log |integrand| has an interior maximum among ``samples`` (y, level) taken through
    y = s·e^u, at most ``most`` of the highest: the maximum (golden section over the two
    neighbouring samples) and, on each side, where the level has fallen by 8 (four widths of
    a Gaussian), so that a narrow bulk far from every point gets points of its own.  For TV
    and JS the level is log max(p, q), whose bulk lies at the landmarks: no maximum in u."""
    level = lambda y: probe(y)[3]  # noqa: E731
    inner = [k for k in range(1, len(samples) - 1)
             if mpmath.isfinite(samples[k][1]) and samples[k - 1][1] < samples[k][1] >= samples[k + 1][1]]
    found = []
    for k in sorted(inner, key=lambda k: -samples[k][1])[:most]:
        before, after = samples[k - 1][0], samples[k + 1][0]
        peak, height = _golden(level, before, after)
        found.append(peak)
        for far in (before, after):
            if level(far) < height - 8:
                found.append(_fall(level, peak, far, height - 8))
    return found


def _between(a, b, fraction):
    """The point a fraction of the way from a to b, geometrically across orders of magnitude."""
    lo, hi = min(a, b), max(a, b)
    if lo > 0 and hi > 4 * lo:
        return a * (b / a) ** fraction
    return a + (b - a) * fraction


def _golden(level, a, b, steps=40):
    """``(y, level(y))`` at the maximum of a unimodal ``level`` between a and b (golden section)."""
    g = (mpmath.sqrt(5) - 1) / 2
    c, d = _between(a, b, 1 - g), _between(a, b, g)
    fc, fd = level(c), level(d)
    for _ in range(steps):
        if fc >= fd:
            b, d, fd = d, c, fc
            c = _between(a, b, 1 - g)
            fc = level(c)
        else:
            a, c, fc = c, d, fd
            d = _between(a, b, g)
            fd = level(d)
    return (c, fc) if fc >= fd else (d, fd)


def _fall(level, peak, far, target, steps=40):
    """A point between ``peak`` and ``far`` where ``level`` has fallen to ``target`` (bisection)."""
    for _ in range(steps):
        middle = _between(peak, far, mpmath.mpf(1) / 2)
        if level(middle) > target:
            peak = middle
        else:
            far = middle
    return _between(peak, far, mpmath.mpf(1) / 2)


def _root(probe, a, b, fa, fb):
    """A root of the function ``probe(y)[0]`` between a and b (of opposite signs there), to
    the working precision: the Illinois method, bisecting (geometrically across orders of
    magnitude) whenever the bracket fails to halve."""
    side, width = 0, abs(b - a)
    for step in range(8 * mpmath.mp.prec):
        if abs(b - a) <= 4 * mpmath.eps * max(abs(a), abs(b)):
            break
        halve = step % 3 == 2 and abs(b - a) > width / 2
        if step % 3 == 2:
            width = abs(b - a)
        lo, hi = min(a, b), max(a, b)
        if halve or not (mpmath.isfinite(fa) and mpmath.isfinite(fb)):
            c = mpmath.sqrt(lo * hi) if lo > 0 and hi > 4 * lo else (a + b) / 2
        else:
            c = (a * fb - b * fa) / (fb - fa)
            if not lo < c < hi:
                c = (a + b) / 2
        fc, noise, *_ = probe(c)
        if fc == 0 or abs(fc) <= noise:
            return c
        if (fc > 0) == (fb > 0):
            b, fb = c, fc
            if side == -1:
                fa /= 2
            side = -1
        else:
            a, fa = c, fc
            if side == 1:
                fb /= 2
            side = 1
    return (a + b) / 2


# -- discrete --------------------------------------------------------------------------------
def _discrete(p, q, rule, mode, floor, cache):
    total, error = _one_sided(p, q, rule, mode, floor)
    if not mpmath.isfinite(total):
        return total, error
    term = _term(_Pair(rule, mode, [p, q]))
    mine = _runs(p)
    for lower, upper in _difference_runs(mine, _difference_runs(mine, _runs(q))):
        value, e = _sum_run([p, q], term, lower, upper, floor, cache)
        total, error = total + value, error + e
    return total, error


def _over_counts(p, q, rule, dps) -> Estimate:
    """The exact sum over the counts of p's and q's supports (multinomials), each
    log-mass −∞ outside its own declared support."""
    if (p.support.n, p.support.k) != (q.support.n, q.support.k):
        raise InvalidInput(f"{_pair(p, q)}: the counts of different trials or outcomes")
    with mpmath.workdps(dps + GUARD):
        log_densities = LogDensities([p, q])
        total = size = mpmath.mpf(0)
        for counts in set(p.support.points()) | set(q.support.points()):
            logs = log_densities(*(mpmath.mpf(c) for c in counts))
            lp, lq = (value if family.support.contains(counts) else -mpmath.inf
                      for family, value in zip((p, q), logs))
            value = rule.value(lp, lq)
            total, size = total + value, size + abs(value)
        return Estimate(total, size * mpmath.eps, size)


def _term(f):
    return lambda k: f(mpmath.mpf(k))


def _runs(family) -> list:
    """A discrete support as sorted runs (lower, upper) of consecutive integers lower … upper − 1."""
    found = integers(_support(family))
    if isinstance(found, Run):
        return [(found.lower, found.upper)] if bool(found.lower < found.upper) else []
    runs = []
    for k in found:
        if runs and runs[-1][1] == k:
            runs[-1] = (runs[-1][0], sp.Integer(k + 1))
        else:
            runs.append((sp.Integer(k), sp.Integer(k + 1)))
    return runs


def _difference_runs(runs, others):
    """The integers of ``runs`` outside ``others`` (half-open runs: the intervals' difference)."""
    return difference(runs, others)


def _shown_run(run) -> str:
    lower, upper = run
    if upper.is_finite and upper - lower == 1:
        return str(lower)
    return f"{lower}, …, {upper - 1 if upper.is_finite else '∞'}"


def _sum_run(families, term, lower, upper, floor, cache=None):
    """Σ term(k) for lower ≤ k < upper: ``(value, error)``.  A finite run exactly; an infinite
    one exactly over the integers where one of ``families`` has visible mass, by
    :func:`symkl.numeric.tails.series` between and beyond them (those integers found once a
    precision, in ``cache``)."""
    if lower.is_finite and upper.is_finite:
        return mpmath.fsum(term(k) for k in range(int(lower), int(upper))), mpmath.mpf(0)
    cache = {} if cache is None else cache
    key = ("windows", mpmath.mp.prec, tuple(families), lower, upper)
    if key not in cache:
        cache[key] = sorted(_window(family, lower, upper) for family in families)
    windows = cache[key]
    merged = [list(windows[0])]
    for lo, hi in windows[1:]:
        if lo <= merged[-1][1] + 64:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    total = error = mpmath.mpf(0)
    where = "the sum"
    for lo, hi in merged:
        total += mpmath.fsum(term(k) for k in range(lo, hi + 1))
    for (_, hi), (lo, _) in zip(merged, merged[1:]):  # the gaps: from each side until negligible
        reach = [hi]
        value, e = tails.series(_reaching(term, reach), hi + 1, 1, lo, floor, f"{where} from {hi + 1} up")
        total, error = total + value, error + e
        if reach[0] < lo - 1:
            value, e = tails.series(term, lo - 1, -1, reach[0], floor, f"{where} from {lo - 1} down")
            total, error = total + value, error + e
    first, last = merged[0][0], merged[-1][1]
    if upper.is_infinite or last + 1 < upper:
        value, e = tails.series(term, last + 1, 1, None if upper.is_infinite else int(upper), floor,
                                f"{where}, upwards from {last + 1},")
        total, error = total + value, error + e
    if lower.is_infinite or first - 1 >= lower:
        value, e = tails.series(term, first - 1, -1, None if lower.is_infinite else int(lower) - 1,
                                floor, f"{where}, downwards from {first - 1},")
        total, error = total + value, error + e
    return total, error


def _reaching(term, reach, sign=1):
    """``term``, noting in ``reach[0]`` the furthest k it was asked for (``sign=-1``: the
    furthest downwards, as −k)."""
    def recorded(k):
        reach[0] = max(reach[0], sign * k)
        return term(k)
    return recorded


def _window(family, lower, upper):
    """[lo, hi]: the integers of the run (lower, upper) where ``family`` has mass the working
    precision sees, outward from its first landmark until the masses decrease and are negligible
    (as :func:`symkl.numeric.tails.series` decides)."""
    log_p = LogDensity(family)
    mass = lambda k: weighted(log_p(mpmath.mpf(k)), 1)  # noqa: E731
    start = _start(family, lower, upper)
    up = [start]
    tails.series(_reaching(mass, up), start, 1, None if upper.is_infinite else int(upper), 0,
                 f"the mass of {family!r} upwards from {start}")
    if lower.is_finite and start - 1 < lower:
        return start, up[0]
    down = [-(start - 1)]  # the furthest k downwards, as −k
    tails.series(_reaching(mass, down, sign=-1), start - 1, -1,
                 None if lower.is_infinite else int(lower) - 1, 0,
                 f"the mass of {family!r} downwards from {start - 1}")
    return -down[0], up[0]

"""Numeric divergences with mpmath for distributions on the line, from their log-densities alone.

The integrand p(x)·f(log p(x), log q(x)), f from :data:`symkl.kinds.KINDS`,
is built from the families' declared log-densities and supports (never from
a closed form, never through the engine) and integrated by tanh-sinh
quadrature (``mpmath.quad``) piece by piece.  The support is split at the
families' landmarks, and for a bounded one at its midpoint; then

* a piece beside an end of supp p is taken in the distance y from that end,
  with the log-densities compiled in y (log(1 − x) becomes log y), through
  y = L·e^(−u): a singularity y^(α−1), even with α = 10^-6, becomes a tail in u;
* a tail is taken through x = c ± s·e^u from the last point c, s the spacing
  of the points there: a power law in x becomes an exponential in u;
* a piece between two points far apart for their spacing (a LogNormal's
  landmarks from 10^-13 to 10^-3; a Normal at 10^200 against one at 0) is
  taken from each of its ends in the same coordinates out to its middle, the
  other pieces linearly.

Tails in u, and the approach to an end, go through :func:`symkl.numeric.tails.integral`,
which decides from the tail whether the integral converges: a divergent one is
∞ (or −∞), never a large finite number.  Every node is placed as an offset from
its piece's end, added with the bits that keep it exact, so that a Normal at
μ = 10^200 is integrated as well as one at 0.

∞ is also decided here, from the declared supports alone
(:mod:`symkl.numeric.support`): p's mass outside supp q is measured by
quadrature of p there; for discrete families, the points of supp p outside
supp q where p has mass.

Discrete families are summed: a finite support exactly, term by term; an
infinite one outward in both directions from a point of its bulk (its first
landmark), until the terms decrease and are negligible
(:func:`symkl.numeric.tails.series`).

Parameters enter as mpmath numbers (a float as the exact binary number it
is).  The working precision grows by the digits that cancellation costs: those
lost inside a log-density (Poisson(10⁶): terms of 10⁷ for a value of −8) and
those lost between the integrand's terms and its integral (a KL of 10^-25
between nearly equal distributions).
"""
from __future__ import annotations

import functools
import numbers
from typing import NamedTuple, Optional

import mpmath
import sympy as sp

from ..errors import InvalidInput, Unsupported
from ..kinds import KINDS
from . import tails
from .density import LogDensities, LogDensity, exact, exactly, require_numbers, to_mpmath, weighted
from .support import Run, difference, integers, intervals, outside

#: extra digits carried beyond those asked for
GUARD = 10
#: the most significant digits a numeric check is asked for
MAX_DPS = 100
#: the most digits the quadrature will work with
_MOST_DIGITS = 300
#: a piece wider than this many spacings of the points at its ends is taken from each end
_WIDE = 16


class Estimate(NamedTuple):
    """A numeric value with its error estimate.

    ``scale`` is the integral of the size of the integrand's terms, what its
    rounding error is relative to (0 when the integrand vanishes identically,
    as for KL(p‖p)); ``reason`` says why the value is infinite.
    """

    value: mpmath.mpf
    error: mpmath.mpf
    scale: mpmath.mpf
    reason: Optional[str] = None


def quad_kl(p, q, dps: int = 50):
    """KL(p‖q) by quadrature for numeric p and q: ``(value, error estimate)``.

    >>> from symkl import Cauchy, Normal
    >>> value, error = quad_kl(Normal(0, 1), Normal(1, 2), dps=30)
    >>> mpmath.nstr(value, 25)
    '0.4431471805599453094172321'
    >>> quad_kl(Cauchy(0, 1), Normal(0, 1))[0]
    mpf('+inf')
    """
    from ..families.sympy_stats import as_distribution  # a sympy.stats random symbol too
    return integral("kl", as_distribution(p), as_distribution(q), dps=dps)


def integral(kind: str, p, q=None, dps: int = 50):
    """KL, entropy or cross-entropy by quadrature: ``(value, error estimate)``.

    The error estimate is the quadrature's, or the rounding error of the
    working precision where that is larger: when p and q nearly coincide,
    a KL of 1e-80 under terms of size 1 cannot be resolved to 50 digits
    without ~130-digit arithmetic, and the estimate says so.
    """
    value, error, *_ = estimate(kind, p, q, dps)
    return value, error


def estimate(kind: str, p, q=None, dps: int = 50) -> Estimate:
    """:func:`integral` with the scale of the integrand and the reason for an ∞.

    >>> from symkl import Exponential, Normal
    >>> estimate("kl", Normal(0, 1), Exponential(1)).reason
    'p has mass 0.5 outside supp q, on (-oo, 0)'
    """
    check_precision(dps)
    for family in (p,) if q is None else (p, q):
        require_numbers(family)
    if hasattr(p, "factors"):  # a product law: the integrand is a log-ratio, a sum over factors
        parts = [estimate(kind, a, b, dps) for a, b in zip(p.factors, q.factors if q is not None
                                                                else [None] * len(p.factors))]
        with mpmath.workdps(dps + 2 * GUARD):
            return Estimate(mpmath.fsum(e.value for e in parts), mpmath.fsum(e.error for e in parts),
                            mpmath.fsum(e.scale for e in parts),
                            next((e.reason for e in parts if e.reason), None))
    if q is not None and KINDS[kind].uses("q"):
        with mpmath.workdps(15):
            reason = _outside(p, q)
        if reason:
            return Estimate(mpmath.inf, mpmath.mpf(0), mpmath.mpf(0), reason)
    if q is not None and p == q and KINDS[kind].integrand(mpmath.mpf(1), mpmath.mpf(1)) == 0:
        # the same distribution on both sides (equal log-densities and supports): the
        # integrand is 0 everywhere, exactly; near-equal ones are integrated, their rounding
        # error counted, never taken for 0
        return Estimate(mpmath.mpf(0), mpmath.mpf(0), mpmath.mpf(0))
    method = _sum if p.discrete else _quad
    return _refine(lambda mode, floor: method(p, q, _Weight(kind, mode), floor), dps)


def check_precision(dps):
    """InvalidInput unless ``dps`` is a positive integer; Unsupported past :data:`MAX_DPS`."""
    if isinstance(dps, bool) or not isinstance(dps, numbers.Integral) or dps < 1:
        raise InvalidInput(f"dps must be a positive integer, got {dps!r}")
    if dps > MAX_DPS:
        raise Unsupported(f"numeric checks work to at most {MAX_DPS} significant digits; "
                          f"dps = {dps} asks for more")


def _refine(method, dps: int) -> Estimate:
    """Run ``method(mode, floor) -> (value, error)`` at the precision ``dps`` needs.

    First at 15 digits, for the value (a divergent integral ends there) and
    the scale of its terms (``mode="magnitude"``); then at ``dps`` plus
    :data:`GUARD` plus the digits cancellation costs, raised again while the
    error estimate falls short of ``dps`` digits.
    """
    with mpmath.workdps(15):
        rough, _ = method("value", 0)
        if not mpmath.isfinite(rough):
            return Estimate(rough, mpmath.mpf(0), mpmath.mpf(0), "the integral diverges")
        scale, _ = method("magnitude", 0)
    if not mpmath.isfinite(scale):
        raise Unsupported("the integrand converges, but the sizes of its terms (log p, log q) are "
                          "not integrable: its rounding error cannot be bounded")
    if scale == 0:
        return Estimate(mpmath.mpf(0), mpmath.mpf(0), mpmath.mpf(0))
    working = dps + GUARD + digits_lost(scale, rough)
    for _ in range(4):
        with mpmath.workdps(working):
            value, error = method("value", scale * mpmath.eps)
            error = max(error, scale * mpmath.mpf(10) ** (1 - working))
        if not mpmath.isfinite(value):
            return Estimate(value, mpmath.mpf(0), scale, "the integral diverges")
        reached = _digits_reached(value, error)
        wanted = dps + GUARD + digits_lost(scale, value)
        if working >= _MOST_DIGITS or (working >= wanted and (reached >= dps + 2 or reached <= 0)):
            break
        grow = working * (dps + 5) // reached if 0 < reached < dps + 2 else working
        working = min(_MOST_DIGITS, max(wanted, grow))
    return Estimate(value, error, scale)


def _digits_reached(value, error) -> int:
    if error == 0:
        return 10 ** 6
    if value == 0:
        return 0
    return int(mpmath.floor(-mpmath.log10(error / abs(value))))


def digits_lost(scale, value) -> int:
    """The digits cancellation costs when terms of size ``scale`` give ``value`` (at most
    4·GUARD; 2·GUARD for a value of 0)."""
    if value == 0:
        return 2 * GUARD
    return int(min(4 * GUARD, max(0, mpmath.ceil(mpmath.log10(scale / abs(value))))))


# -- the integrand -------------------------------------------------------------------
class _Weight:
    """What is integrated: ``"value"`` p·f(log p, log q), ``"magnitude"`` the size of its
    rounding error, or ``"mass"`` p alone."""

    def __init__(self, kind, mode):
        self.f = KINDS[kind].integrand if kind else None
        self.mode = mode

    def integrand(self, p, q, at=None):
        """The integrand for p and q (q None: p alone), placed as ``at`` says (see
        :class:`~.density.LogDensities`)."""
        families = [p] if q is None else [p, q]
        return _Integrand(self, LogDensities(families, at and at[:len(families)]), families)


class _Integrand:
    """A point ↦ the weight there, from the compiled log-densities of p and q."""

    def __init__(self, weight, log_densities, families):
        self.f, self.mode = weight.f, weight.mode
        self.log_densities, self.families = log_densities, families

    def __call__(self, *point):
        if self.mode == "magnitude":
            (lp, size_p), (lq, size_q) = (*self.log_densities.with_size(*point), (0, 0))[:2]
        else:
            lp, lq = (*self.log_densities(*point), 0)[:2]
        for family, value in zip(self.families, (lp, lq)):
            if mpmath.isnan(value):
                raise Unsupported(f"the log-density of {family!r} is not a number at "
                                  f"{', '.join(mpmath.nstr(t, 15) for t in point)}")
        if self.mode == "mass":
            return weighted(lp, 1)
        if lp == -mpmath.inf:  # p is 0, unless log q is past computing as well: then who knows
            return mpmath.inf if len(self.families) > 1 and not mpmath.isfinite(lq) else mpmath.mpf(0)
        value = self.f(lp, lq)
        if self.mode == "value":
            return weighted(lp, value)
        return weighted(lp, size_p * (1 + abs(value)) + size_q)

    def density(self, *point):
        """p at the point."""
        return weighted(self.log_densities(*point)[0], 1)


# -- continuous: pieces ----------------------------------------------------------------
def _quad(p, q, weight, floor):
    plain = weight.integrand(p, q)
    total = error = mpmath.mpf(0)
    for lower, upper in intervals(_support(p)):
        value, e = _interval(p, q, weight, plain, lower, upper, floor)
        total, error = total + value, error + e
    if mpmath.isnan(total):
        raise Unsupported(f"the integral for {p!r} and {q!r} diverges to +∞ in one place and to "
                          f"−∞ in another: it has no value")
    return total, error


def _interval(p, q, weight, plain, lower, upper, floor):
    """∫ over one interval (lower, upper) of supp p, exact ends: ``(value, error)``."""
    split = points(p, q, lower, upper)
    spacing = spacings(split)
    last = len(split) - 2
    total = error = mpmath.mpf(0)
    where = f"the integral for {_pair(p, q)}"
    for i, (a, b) in enumerate(zip(split, split[1:])):
        if i == 0 and mpmath.isfinite(a):
            f = _beside(p, q, weight, lower, 1)
            value, e = _from_end(f, b - a, floor, f"{where} near x = {sp.sstr(lower)}")
        elif i == last and mpmath.isfinite(b):
            f = _beside(p, q, weight, upper, -1)
            value, e = _from_end(f, b - a, floor, f"{where} near x = {sp.sstr(upper)}")
        elif not mpmath.isfinite(a):
            value, e = ray(plain, b, -1, spacing[b], mpmath.inf, floor, f"the lower tail of {where}")
        elif not mpmath.isfinite(b):
            value, e = ray(plain, a, 1, spacing[a], mpmath.inf, floor, f"the upper tail of {where}")
        else:
            value, e = between(plain, a, b, spacing[a], spacing[b], floor)
        total, error = total + value, error + e
    return total, error


def points(p, q, lower, upper) -> list:
    """[lower, the landmarks of p and q inside, upper] as mpf, each with the digits that keep
    the spacings to its neighbours (a Normal at μ = 10^200: 200 more; a LogNormal's
    landmarks at e^(10^6 ± 8), far apart for their size: none)."""
    ends = [exactly(lower), exactly(upper)]
    inner = {exactly(v) for family in ((p,) if q is None else (p, q))
             for v in exact(family, lambda f: f.landmarks())}
    if all(end.is_finite for end in ends):
        inner.add((ends[0] + ends[1]) / 2)
    inner = [v for v in inner if _below(ends[0], v) and _below(v, ends[1])]
    inner = sorted(inner, key=functools.cmp_to_key(lambda a, b: -1 if _below(a, b) else int(_below(b, a))))
    inner = [v for i, v in enumerate(inner) if i == 0 or _gap(inner[i - 1], v) > 0]
    values = [ends[0], *inner, ends[1]]
    points = [to_mpmath(ends[0]) if ends[0].is_infinite else None, *([None] * len(inner)),
              to_mpmath(ends[1]) if ends[1].is_infinite else None]
    for i in range(len(values)):
        if points[i] is None:
            gaps = [_gap(values[j], values[i]) for j in (i - 1, i + 1)
                    if 0 <= j < len(values) and values[j].is_finite]
            points[i] = _point(values[i], min(gaps) if gaps else None)
    if not inner and not all(end.is_finite for end in ends):
        lo, hi = points[0], points[-1]
        end = lo if mpmath.isfinite(lo) else hi
        points.insert(1, 0 if not mpmath.isfinite(end) else end + (1 if end == lo else -1) * max(1, abs(end)))
    return points


def _gap(a, b) -> mpmath.mpf:
    """|b − a| for exact numbers, to 15 digits however much of them cancels (sympy's evalf)."""
    with mpmath.workdps(15):
        return abs(to_mpmath(sp.N(b - a, 15, maxn=4000)))


def _below(a, b) -> bool:
    """Whether a < b, for exact numbers (±oo included)."""
    if a.is_infinite or b.is_infinite:
        return a != b and (a == -sp.oo or b == sp.oo)
    with mpmath.workdps(15):
        return to_mpmath(sp.N(b - a, 15, maxn=4000)) > 0


def _point(value, gap=None) -> mpmath.mpf:
    """A real number as an mpf with the digits beyond the working precision that a neighbour
    ``gap`` away needs (``None``: as many as it has before the point)."""
    value = exactly(value)
    if value.is_infinite:
        return to_mpmath(value)
    size = abs(to_mpmath(sp.N(value, 15)))
    if gap is None:
        extra = int(mpmath.ceil(mpmath.log10(size))) if size > 1 else 0
    else:
        extra = int(mpmath.ceil(mpmath.log10(size / gap))) + 2 if size > gap > 0 else 0
    with mpmath.workdps(mpmath.mp.dps + extra):
        return to_mpmath(value)


def spacings(points) -> dict:
    """Each finite inner point's distance to its nearest neighbour."""
    spacing = {}
    for left, t, right in zip(points, points[1:], points[2:]):
        gaps = [abs(t - n) for n in (left, right) if mpmath.isfinite(n)]
        spacing[t] = min(gaps) if gaps else max(abs(t), 1)
    return spacing


def _beside(p, q, weight, end, sign):
    """The integrand as a function of the distance y > 0 from an end of supp p."""
    return weight.integrand(p, q, at=[(end, sign), (end, sign)])


_LN10 = 2.302585092994046
#: the most digits added beside an end of the support
_MOST_EXTRA_DIGITS = 400


def _from_end(f, length, floor, where):
    """∫₀^length f(y) dy through y = length·e^(−u), out to u = 2^30 if need be.

    Beside the end, 1 − (1 − y)^a and the like lose the digits of y to cancellation: each
    point is computed with as many more digits as y has below 1 (at most
    :data:`_MOST_EXTRA_DIGITS`)."""
    def g(u, at=f):
        extra = min(int(u / _LN10) + 1, _MOST_EXTRA_DIGITS) if u > 1 else 0
        with mpmath.workdps(mpmath.mp.dps + extra):
            y = length * mpmath.exp(-u)
            value = at(y) * y
        return +value

    return tails.integral(g, floor, where, mass=lambda u: g(u, f.density))


def ray(f, c, sign, s, length, floor, where=None):
    """∫₀^length f(c + sign·y) dy: linearly for y ≤ s, then through y = s·e^u (``where``
    names an infinite one, a tail, in errors)."""
    s = min(s, length)
    value, error = mpmath.quad(lambda y: f(_offset(c, sign * y)), [0, s], error=True)
    if s == length:
        return value, error

    def g(u, at=f):
        y = s * mpmath.exp(u)
        return at(_offset(c, sign * y)) * y

    if mpmath.isfinite(length):
        far, e = mpmath.quad(g, [0, mpmath.log(length / s)], error=True)
    else:
        far, e = tails.integral(g, floor, where, mass=lambda u: g(u, f.density))
    return value + far, error + e


def between(f, a, b, sa, sb, floor):
    """∫_a^b f between two inner points: linearly, or from each end if the piece is wide."""
    if b - a <= _WIDE * min(sa, sb):
        return mpmath.quad(lambda y: f(_offset(a, y)), [0, b - a], error=True)
    half = (b - a) / 2
    left, e1 = ray(f, a, 1, sa, half, floor)
    right, e2 = ray(f, b, -1, sb, half, floor)
    return left + right, e1 + e2


def _offset(c, y):
    """c + y, with the bits that keep y's digits when c is much larger."""
    if c == 0 or y == 0:
        return c + y
    extra = max(0, mpmath.mag(c) - mpmath.mag(y))
    return mpmath.fadd(c, y, prec=mpmath.mp.prec + min(extra, 64 * mpmath.mp.prec))


# -- discrete -------------------------------------------------------------------------
def _sum(p, q, weight, floor):
    f = weight.integrand(p, q)
    term = lambda k: f(mpmath.mpf(k))  # noqa: E731
    points = integers(_support(p))
    if isinstance(points, Run) and points.lower.is_finite and points.upper.is_finite:
        points = range(int(points.lower), int(points.upper))
    if not isinstance(points, Run):
        return mpmath.fsum(map(term, points)), mpmath.mpf(0)
    lower, upper = points
    start = _start(p, lower, upper)
    where = f"the sum for {_pair(p, q)}"
    up, e1 = tails.series(term, start, 1, None if upper.is_infinite else int(upper), floor,
                          f"{where}, upwards from {start},")
    if lower.is_finite and start <= lower:
        return up, e1
    down, e2 = tails.series(term, start - 1, -1, None if lower.is_infinite else int(lower) - 1, floor,
                            f"{where}, downwards from {start - 1},")
    return up + down, e1 + e2


def _start(p, lower, upper) -> int:
    """A point of p's bulk to sum outward from: its first landmark, within the support."""
    landmarks = exact(p, lambda f: f.landmarks())
    if landmarks:
        k = int(mpmath.nint(_point(landmarks[0])))
        return int(min(max(k, lower), upper - 1))
    return int(lower) if lower.is_finite else (int(upper) - 1 if upper.is_finite else 0)


# -- where p has mass and q has none ---------------------------------------------------
def _outside(p, q) -> Optional[str]:
    """Why p has mass where q has none, or None: from the supports and p's mass alone."""
    if p.discrete != q.discrete:
        kinds = ("discrete", "continuous") if p.discrete else ("continuous", "discrete")
        return (f"p is {kinds[0]} and q is {kinds[1]}: p has mass where q has none "
                f"(q has no density with respect to p's measure)")
    if p.discrete:
        log_p = LogDensity(p)
        found = [k for k in outside(integers(_support(p)), integers(_support(q)))
                 if log_p(mpmath.mpf(k)) > -mpmath.inf]
        return f"p has mass at {', '.join(map(str, found))}, where q has none" if found else None
    pieces = difference(intervals(_support(p)), intervals(_support(q)))
    weight = _Weight(None, "mass")
    plain = weight.integrand(p, None)
    mass = mpmath.fsum(_interval(p, None, weight, plain, a, b, 0)[0] for a, b in pieces)
    if mass > 0:
        where = ", ".join(f"({sp.sstr(a)}, {sp.sstr(b)})" for a, b in pieces)
        return f"p has mass {mpmath.nstr(mass, 3)} outside supp q, on {where}"
    return None


def _pair(p, q) -> str:
    return repr(p) if q is None else f"{p!r} ‖ {q!r}"


def _support(family):
    """supp family with exact ends."""
    return exact(family, lambda f: f.support)


def agreeing_digits(a, b, dps: int) -> int:
    """How many significant digits two values share (relative; absolute when ``a`` is 0).

    >>> agreeing_digits(mpmath.mpf("1.2345"), mpmath.mpf("1.2346"), 50)
    4
    """
    if mpmath.isnan(a) or mpmath.isnan(b):
        return 0
    if a == b:
        return dps
    if mpmath.isinf(a) or mpmath.isinf(b):
        return 0
    scale = max(abs(a), abs(b)) if a != 0 else mpmath.mpf(1)
    gap = abs(a - b) / scale
    return int(max(0, min(dps, mpmath.floor(-mpmath.log10(gap)))))

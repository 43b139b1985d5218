"""Numeric divergences with mpmath, from the log-densities alone.

The integrand p(x)·(log p(x) − log q(x)) is built from the families'
log-densities (never from a closed form), integrated by tanh-sinh
quadrature split at the support's ends and at the families' landmarks,
with tails and support ends reached through exponential maps; discrete
families are summed exactly.  Parameters enter as mpmath numbers
(a float as the exact binary number it is), and the working precision
grows by the digits that cancellation costs.
"""
from __future__ import annotations

import functools

import mpmath
import sympy as sp

from ..engine.decompose import decompose
from ..kinds import KINDS
from ..engine.support import support_condition

#: extra digits carried beyond those asked for
GUARD = 10
#: a log-density below this (p < 10^-4300) contributes nothing that could be seen;
#: skipping it spares evaluating log q at nodes far out (e^(e^z) in a Gumbel's tail)
_NEGLIGIBLE = -10_000
#: an exponential's argument beyond this size is not computed: e^y is taken as 0 or ∞.
#: mpmath needs ln 2 to log2|y| bits for e^y, and tanh-sinh nodes in a mapped tail reach
#: |x| ~ e^(10^300), where a Gumbel's e^(−x/β) could never be computed.  An argument that
#: large (|y| > 2^32768 ≈ 10^9864) means x is that many scales out, where a density that
#: decreases in its tail is below 10^-9000 (it is at most 1/distance to any point before
#: it): there e^y < e^-|y| changes nothing visible, and e^y > e^|y| makes log p = −∞
#: (negligible, as `_NEGLIGIBLE` says, so that log q is not even evaluated there).
_HUGE_EXPONENT = mpmath.ldexp(1, 2 ** 15)
#: the most digits the quadrature will work with
_MOST_DIGITS = 300
#: the most terms summed for a discrete p on an infinite support
_MOST_TERMS = 2_000_000


def quad_kl(p, q, dps: int = 50):
    """KL(p‖q) by quadrature for numeric p and q: ``(value, error estimate)``.

    >>> from symkl import Normal
    >>> value, error = quad_kl(Normal(0, 1), Normal(1, 2), dps=30)
    >>> mpmath.nstr(value, 25)
    '0.4431471805599453094172321'
    """
    return integral("kl", p, q, dps=dps)


def integral(kind: str, p, q=None, dps: int = 50):
    """KL, entropy or cross-entropy by quadrature: ``(value, error estimate)``.

    The error estimate is the quadrature's, or the rounding error of the
    working precision where that is larger: when p and q nearly coincide,
    a KL of 1e-80 under terms of size 1 cannot be resolved to 50 digits
    without ~130-digit arithmetic, and the estimate says so.
    """
    families = (p,) if q is None else (p, q)
    for family in families:
        if family.free_symbols:
            names = ", ".join(sorted(map(str, family.free_symbols)))
            raise ValueError(f"quadrature needs numeric parameters; {family!r} has symbols: {names}")
    if q is not None and support_condition(p, q)[0] != sp.true:
        return mpmath.inf, mpmath.mpf(0)
    method = _sum if p.discrete else _quad
    with mpmath.workdps(15):
        scale, _ = method(p, q, _magnitude, 15)
    with mpmath.workdps(dps + GUARD):
        value, error = method(p, q, _weight(kind), dps)
    working = dps + GUARD
    lost = _digits_lost(scale, value)
    for _ in range(3):
        # more digits where cancellation or an endpoint singularity (Beta with β < 1)
        # costs them: the error falls about in proportion to the working precision
        reached = _digits_reached(value, error)
        if lost <= GUARD // 2 and (reached >= dps + 2 or reached <= 0):
            break  # done, or not converging at all (a divergent integral)
        working = min(_MOST_DIGITS, working + lost + max(0, int(working * (dps + 5) / max(reached, 5)) - working))
        lost = 0
        with mpmath.workdps(working):
            value, error = method(p, q, _weight(kind), dps)
        if working == _MOST_DIGITS:
            break
    with mpmath.workdps(working):
        rounding = scale * mpmath.mpf(10) ** (1 - working)
        return value, max(error, rounding)


def _weight(kind):
    """p·f(log p, log q) as a function of (log p, log q)."""
    integrand = KINDS[kind].integrand
    return lambda lp, lq: mpmath.exp(lp) * integrand(lp, lq)


def _magnitude(lp, lq):
    """A bound on the size of the terms that cancel in the integrand."""
    return mpmath.exp(lp) * (abs(lp) + abs(lq))


def _digits_reached(value, error) -> int:
    if error == 0:
        return 10 ** 6
    if value == 0:
        return 0
    return int(mpmath.floor(-mpmath.log10(error / abs(value))))


def _digits_lost(scale, value) -> int:
    if value == 0:
        return 2 * GUARD
    return int(min(4 * GUARD, max(0, mpmath.ceil(mpmath.log10(scale / abs(value))))))


def _exp(y):
    """e^y, or 0 and ∞ where |y| exceeds `_HUGE_EXPONENT` (see there)."""
    if abs(y) > _HUGE_EXPONENT:
        return mpmath.mpf(0) if y < 0 else mpmath.inf
    return mpmath.exp(y)


_MODULES = [{"exp": _exp}, "mpmath"]


@functools.lru_cache(maxsize=None)
def _compiled(twin, point=None):
    """log-density of a generic twin, split as Σ c_k(θ)·t_k(x) and compiled for mpmath.

    Returns (θ ↦ coefficients, (x, coefficients) ↦ log-density, θ's Symbols): the
    coefficients are computed once per family, the statistics at every node.
    """
    parameters = sorted(twin.free_symbols, key=sp.default_sort_key)
    x = twin.variable()
    expr = twin.log_density(x if point is None else point)
    terms = decompose(expr, x)
    if any(statistic.free_symbols & set(parameters) for statistic in terms):
        # statistics that move with the parameters (|x − μ|): no split
        body = sp.lambdify([x, *parameters], expr, _MODULES)
        return (lambda *values: values), body, parameters
    names = sp.symbols(f"c:{len(terms)}")
    coefficients = sp.lambdify(parameters, list(terms.values()), "mpmath")
    body = sp.lambdify([x, *names], sp.Add(*(c * t for c, t in zip(names, terms))), _MODULES)
    return coefficients, body, parameters


def _log_density(family, point=None):
    """An mpmath function t ↦ log p(t) of a numeric family."""
    twin, mapping = family.generic("1")
    coefficients, body, parameters = _compiled(twin, point)
    values = coefficients(*(to_mpmath(mapping[s]) for s in parameters))
    return lambda t: body(t, *values)


def _sum(p, q, weight, dps):
    support = p.support
    if isinstance(support, sp.FiniteSet):
        terms = [weight(_log_density(p, k)(k), _log_density(q, k)(k) if q is not None else 0)
                 for k in support]
        return mpmath.fsum(terms), mpmath.mpf(0)
    return _series(p, q, weight)


def _series(p, q, weight):
    """Σ over {lo, lo+1, …} term by term, until the terms are negligible past the bulk."""
    log_p = _log_density(p)
    log_q = _log_density(q) if q is not None else (lambda k: 0)
    bulk = max([int(mpmath.ceil(to_mpmath(m))) for m in p.landmarks()] + [0])
    tiny = mpmath.mpf(10) ** -(mpmath.mp.dps + 5)
    total, k, quiet = mpmath.mpf(0), int(p.support.inf), 0
    while quiet < 10:
        lp = log_p(k)
        term = weight(lp, log_q(k)) if lp > _NEGLIGIBLE else mpmath.mpf(0)
        total += term
        quiet = quiet + 1 if k > 2 * bulk and abs(term) <= tiny * abs(total) else 0
        k += 1
        if k > _MOST_TERMS:
            raise ValueError(f"the series for {p!r} converges too slowly to sum")
    return total, abs(term) * 10


def _quad(p, q, weight, dps):
    log_p = _log_density(p)
    log_q = _log_density(q) if q is not None else (lambda t: 0)

    def integrand(t):
        lp = log_p(t)
        if lp < _NEGLIGIBLE:
            return mpmath.mpf(0)
        return weight(lp, log_q(t))

    lower, upper = to_mpmath(p.support.inf), to_mpmath(p.support.sup)
    inner = set()
    for family in (p,) if q is None else (p, q):
        for point in family.landmarks():
            t = to_mpmath(point)
            if lower < t < upper:
                inner.add(t)
    if not inner and mpmath.isfinite(lower) and mpmath.isfinite(upper):
        inner.add((lower + upper) / 2)  # each end its own piece
    points = [lower, *sorted(inner), upper]
    value = error = mpmath.mpf(0)
    for a, b in zip(points, points[1:]):
        tracked, left_out = _nearest_ends(integrand, a, b)
        piece, piece_error = mpmath.quad(*_mapped(tracked, a, b, a == lower, b == upper), error=True)
        value, error = value + piece, error + piece_error + left_out()
    return value, error


def _nearest_ends(f, a, b):
    """``f`` watched at its nodes, and an estimate of what is left out beside the finite ends.

    Nodes come no closer to an end than the working precision can place them
    (10^-62 of the interval at 60 digits, where the end is not 0), and the
    error estimate cannot see what lies beyond: for a density like (1 − x)^-0.7
    at 1 (a Beta with β = 0.3) that is ε^0.3 ≈ 10^-18.  It is estimated as |f|
    at the node nearest each end times its distance (the mass of a power law
    there, within a factor), so that the working precision is raised until it
    is negligible.  A node rounded onto the end itself is left out.
    """
    nearest = {}

    def tracked(x):
        distances = [(end, abs(x - end)) for end in (a, b) if mpmath.isfinite(end)]
        if any(distance == 0 for _, distance in distances):
            return mpmath.mpf(0)
        value = f(x)
        for end, distance in distances:
            if end not in nearest or distance < nearest[end][0]:
                nearest[end] = (distance, value)
        return value

    return tracked, lambda: sum((d * abs(v) for d, v in nearest.values()), mpmath.mpf(0))


def _mapped(f, a, b, lower_end=False, upper_end=False):
    """(integrand, limits) for ∫_a^b f.

    An infinite end is reached through x = a ± e^u, which turns algebraic tails
    (Pareto, Cauchy) into exponential ones; so is an end of the support, with
    u → −∞, so that the nodes come as close to it as mpmath numbers can (at 0
    exactly: a Gamma's x^(α−1) with α < 1).  Any other piece on one side of 0
    is taken in log|x|: a piece from 10^-13 to 10^-3 (a LogNormal's landmarks)
    with log x in the integrand cost 15 of 60 digits taken linearly.
    """
    if b == mpmath.inf and a != -mpmath.inf:
        return (lambda u: f(a + mpmath.exp(u)) * mpmath.exp(u)), [-mpmath.inf, 0, mpmath.inf]
    if a == -mpmath.inf and b != mpmath.inf:
        return (lambda u: f(b - mpmath.exp(u)) * mpmath.exp(u)), [-mpmath.inf, 0, mpmath.inf]
    if lower_end:
        return (lambda u: f(a + mpmath.exp(u)) * mpmath.exp(u)), [-mpmath.inf, mpmath.log(b - a)]
    if upper_end:
        return (lambda u: f(b - mpmath.exp(u)) * mpmath.exp(u)), [-mpmath.inf, mpmath.log(b - a)]
    if a > 0:
        return (lambda u: f(mpmath.exp(u)) * mpmath.exp(u)), [mpmath.log(a), mpmath.log(b)]
    if b < 0:
        return (lambda u: f(-mpmath.exp(u)) * mpmath.exp(u)), [mpmath.log(-b), mpmath.log(-a)]
    return f, [a, b]


def to_mpmath(value) -> mpmath.mpf:
    """A real sympy number (or ±oo) as an mpf at the working precision."""
    value = sp.sympify(value)
    if value in (sp.oo, -sp.oo):
        return mpmath.inf if value == sp.oo else -mpmath.inf
    return mpmath.mpmathify(sp.N(value, mpmath.mp.dps))


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
    difference = abs(a - b) / scale
    return int(max(0, min(dps, mpmath.floor(-mpmath.log10(difference)))))

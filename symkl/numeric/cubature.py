"""Numeric divergences for random vectors, from the log-densities alone.

Two routes, neither of which looks at a closed form:

* **whitened Gauss–Hermite** when p declares its mean m and covariance C:
  with C = L·Lᵀ (Cholesky, in mpmath) and x = m + √2·L·t,
  E_p[g(X)] = ∫ e^{−|t|²} F(t) dt with F(t) = p(x)·|det L|·2^{k/2}·e^{|t|²}·g(x),
  every factor computed from the log-densities at the node.  The tensor rule
  with n nodes a side is exact for polynomials of degree < 2n in t; two rules
  (n and n + 2) are compared for the error estimate.
* **tanh-sinh over ℝ²** (k = 2) in the same whitened coordinates, and over
  the simplex for K = 2, 3 (x_2 = (1 − x_1)·u maps it to the unit square).
"""
from __future__ import annotations

import functools
import itertools

import mpmath
import sympy as sp

from ..engine.decompose import decompose
from ..families.vectors import Euclidean, Simplex
from ..kinds import KINDS
from .quadrature import GUARD, to_mpmath

#: Gauss–Hermite nodes a side in the whitened rule (the second rule uses two more)
NODES = 8


def handles(family) -> bool:
    """Whether ``family`` is a family of random vectors (this module's business)."""
    return isinstance(family.support, (Euclidean, Simplex))


def integral(kind: str, p, q=None, dps: int = 50):
    """KL, entropy or cross-entropy of random vectors numerically: ``(value, error estimate)``.

    Whitened Gauss–Hermite for a p with declared mean and covariance (any k),
    tanh-sinh over the simplex for K ≤ 3.

    >>> from symkl import MultivariateNormal
    >>> p = MultivariateNormal([0, 0], [[1, 0], [0, 1]])
    >>> q = MultivariateNormal([1, 0], [[2, 0], [0, 2]])
    >>> value, error = integral("kl", p, q, dps=30)
    >>> mpmath.nstr(value, 25)
    '0.4431471805599453094172321'
    """
    families = (p,) if q is None else (p, q)
    for family in families:
        if family.free_symbols:
            names = ", ".join(sorted(map(str, family.free_symbols)))
            raise ValueError(f"numeric integration needs numeric parameters; {family!r} has: {names}")
    if q is not None and not p.support.is_subset(q.support):
        return mpmath.inf, mpmath.mpf(0)
    weight = KINDS[kind].integrand  # of (log p, log q)
    with mpmath.workdps(dps + GUARD):
        log_densities = _log_densities(p, q)
        if p.moments() is not None:
            return _gauss_hermite(p, log_densities, weight)
        if isinstance(p.support, Simplex):
            return _over_simplex(p, log_densities, weight)
    raise ValueError(f"no numeric route for {p!r}: it declares no mean and covariance "
                     f"and does not live on a simplex")


def _log_densities(p, q):
    """An mpmath function x ↦ (log p(x), log q(x)) (log q = 0 without q).

    Both are split into constants and statistics (log x_i, x_i·x_j, …); the
    constants are evaluated once, each statistic once per point.
    """
    x = p.variable()
    if not isinstance(x, sp.MatrixBase):
        raise ValueError(f"numeric integration needs the dimension as a number; {p!r} has none")
    parts = [decompose(f.log_density(x), x) for f in (p, q) if f is not None]
    statistics = sorted(set().union(*parts) - {1}, key=sp.default_sort_key)
    evaluate = sp.lambdify(list(x), statistics, "mpmath")
    constants = [to_mpmath(part.get(1, 0)) for part in parts]
    coefficients = [[to_mpmath(part.get(t, 0)) for t in statistics] for part in parts]

    def log_densities(*point):
        values = evaluate(*point)
        logs = [c + mpmath.fdot(cs, values) for c, cs in zip(constants, coefficients)]
        return logs[0], (logs[1] if q is not None else 0)

    return log_densities


def _whitening(p):
    mean, covariance = p.moments()
    m = mpmath.matrix([to_mpmath(v) for v in mean])
    lower = mpmath.cholesky(mpmath.matrix([[to_mpmath(v) for v in row] for row in covariance.tolist()]))
    return m, lower


def _gauss_hermite(p, log_densities, weight):
    m, lower = _whitening(p)
    k = m.rows
    log_jacobian = sum(mpmath.log(lower[i, i]) for i in range(k)) + k * mpmath.log(2) / 2

    def rule(n):
        nodes, weights = _hermite(n, mpmath.mp.prec)
        total = mpmath.mpf(0)
        for index in itertools.product(range(n), repeat=k):
            t = mpmath.matrix([nodes[i] for i in index])
            lp, lq = log_densities(*(m + mpmath.sqrt(2) * lower * t))
            norm = sum(ti ** 2 for ti in t)
            w = mpmath.fprod(weights[i] for i in index)
            total += w * mpmath.exp(lp + log_jacobian + norm) * weight(lp, lq)
        return total

    coarse, fine = rule(NODES), rule(NODES + 2)
    rounding = (abs(fine) + 1) * mpmath.mpf(10) ** (GUARD - mpmath.mp.dps)
    return fine, abs(fine - coarse) + rounding


@functools.lru_cache(maxsize=None)
def _hermite(n: int, prec: int):
    """Nodes and weights of the n-point Gauss–Hermite rule (weight e^{−t²}) at ``prec`` bits."""
    with mpmath.workprec(prec + 20):
        coefficients = [mpmath.mpf(c) for c in sp.Poly(sp.hermite(n, sp.Symbol("t"))).all_coeffs()]
        nodes = sorted(mpmath.re(r) for r in mpmath.polyroots(coefficients, maxsteps=200, extraprec=prec))
        scale = 2 ** (n - 1) * mpmath.factorial(n) * mpmath.sqrt(mpmath.pi) / n ** 2
        weights = [scale / mpmath.hermite(n - 1, t) ** 2 for t in nodes]
    return tuple(+t for t in nodes), tuple(+w for w in weights)


def _over_simplex(p, log_densities, weight):
    """Over the simplex: x_1 = s, x_2 = (1 − s)·u, each of s and u on (0, 1) split at 1/2."""
    k = p.dimension

    def term(x):
        lp, lq = log_densities(*x)
        return mpmath.exp(lp) * weight(lp, lq)

    if k == 2:
        return _both_ends(lambda s, rest: term((s, rest)))
    if k == 3:
        return _both_ends(lambda s, rest: rest * _both_ends(
            lambda u, other: term((s, rest * u, rest * other)))[0])
    raise ValueError(f"quadrature over the simplex is implemented for K ≤ 3, got K = {k}")


def _both_ends(f):
    """∫₀¹ f(x, 1 − x) dx: each half through x = e^{−w}, so that both x and 1 − x are
    exact near their end and a singularity x^{α−1} becomes a tail e^{−αw}: ``(value, error)``."""
    total = error = mpmath.mpf(0)
    for near in (lambda t: (t, 1 - t), lambda t: (1 - t, t)):
        value, e = mpmath.quad(lambda w: f(*near(mpmath.exp(-w))) * mpmath.exp(-w),
                               [mpmath.log(2), mpmath.inf], error=True)
        total, error = total + value, error + e
    return total, error

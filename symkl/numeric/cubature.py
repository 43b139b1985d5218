"""Numeric divergences for random vectors, from the log-densities alone.

These routes, none of which looks at a closed form or at the engine (besides the exact
sum over a multinomial's counts and the cone rule of :func:`_over_positive_definite` for
the k × k positive-definite matrices, k ≤ 2):

* **whitened Gauss–Hermite** when p declares its mean m and covariance C:
  with C = L·Lᵀ (Cholesky, in mpmath) and x = m + √2·L·t,
  E_p[g(X)] = ∫ e^{−|t|²} F(t) dt with F(t) = p(x)·|det L|·2^{k/2}·e^{|t|²}·g(x),
  every factor computed from the log-densities at the node.  The tensor rule
  with n nodes a side is exact for polynomials of degree < 2n in t; rules
  with n and n + 2 nodes are compared for the error estimate, from n = 3
  (exact for a normal p against a normal q) up to n = 14.
* **double-exponential (tanh-sinh) cubature over the simplex** for K = 2, 3,
  in stick-breaking coordinates x_1 = s, x_2 = (1 − s)·u, x_3 = (1 − s)(1 − u)
  with s, u ∈ (0, 1) each written as σ(π·sinh t), σ the logistic function:
  s and 1 − s = σ(−π·sinh t) both keep their digits however near an edge
  the node lies, and a density x_i^(α−1) at an edge, even for small α,
  becomes a double-exponential decay in t.  The tensor trapezoid rule in t
  halves its step until its error, estimated from the last three steps as
  mpmath does for tanh-sinh (it falls quadratically), is below the working
  precision, or until its grid would pass :data:`MOST_POINTS` points; its
  reach in t is found along each axis, where the integrand becomes negligible.
"""
from __future__ import annotations

import functools
import itertools
import math

import mpmath
import sympy as sp

from ..errors import InvalidInput, Unsupported
from ..families.vectors import Counts, Euclidean, PositiveDefinite, Simplex, symmetric
from ..kinds import KINDS
from .density import LogDensities, exactly, require_numbers, to_mpmath, weighted
from .quadrature import GUARD, Estimate, check_precision, digits_lost

#: the most Gauss–Hermite nodes a side
MOST_NODES = 14
#: the most digits asked of the cubature over the 2 × 2 positive-definite matrices
MOST_DIGITS_ON_THE_CONE = 20
#: the simplex rule halves its step while its grid has at most this many points
MOST_POINTS = 500_000


def handles(family) -> bool:
    """Whether ``family`` is a family of random vectors (this module's business)."""
    return isinstance(family.support, (Counts, Euclidean, PositiveDefinite, Simplex))


def integral(kind: str, p, q=None, dps: int = 50):
    """KL, entropy or cross-entropy of random vectors numerically: ``(value, error estimate)``.

    Whitened Gauss–Hermite for a p with declared mean and covariance (any k),
    double-exponential cubature over the simplex for K ≤ 3.

    >>> from symkl import MultivariateNormal
    >>> p = MultivariateNormal([0, 0], [[1, 0], [0, 1]])
    >>> q = MultivariateNormal([1, 0], [[2, 0], [0, 2]])
    >>> value, error = integral("kl", p, q, dps=30)
    >>> mpmath.nstr(value, 25)
    '0.4431471805599453094172321'
    """
    value, error, *_ = estimate(kind, p, q, dps)
    return value, error


def estimate(kind: str, p, q=None, dps: int = 50, integrand=None, centre=None) -> Estimate:
    """:func:`integral` with the scale of the integrand (see :class:`~.quadrature.Estimate`);
    ``integrand`` f(log p, log q) replaces the kind's own (the power integral's
    e^{(α−1)(lp−lq)}), and ``centre`` (a function of the working precision giving a mean
    and a Cholesky factor) the Gauss–Hermite rule's whitening by p's own moments: where
    the integrand p·f is nearer another Gaussian, the rule converges at once there."""
    check_precision(dps)
    for family in (p,) if q is None else (p, q):
        require_numbers(family)
        if not isinstance(family.variable(), sp.MatrixBase):
            raise InvalidInput(f"numeric integration needs the dimension as a number; {family!r} has none")
    if q is not None:
        _check_space(p, q)
    if isinstance(p.support, Counts):
        rule = _over_counts
    elif isinstance(p.support, PositiveDefinite):
        if p.dimension > 2 or (p.dimension == 2 and dps > MOST_DIGITS_ON_THE_CONE):
            raise Unsupported(f"numeric integration over the positive-definite k × k matrices is "
                              f"implemented for k = 1, and for k = 2 to at most "
                              f"{MOST_DIGITS_ON_THE_CONE} digits (a three-dimensional cubature, "
                              f"about two minutes at 15); got k = {p.dimension} at {dps} digits")
        rule = _over_positive_definite
    elif p.moments() is not None:
        rule = functools.partial(_gauss_hermite, centre=centre)
    elif isinstance(p.support, Simplex):
        if p.dimension > 3:
            raise Unsupported(f"numeric integration over the simplex is implemented for K ≤ 3, "
                              f"got K = {p.dimension}")
        rule = _over_simplex
    else:
        raise Unsupported(f"no numeric route for {p!r}: it declares no mean and covariance "
                          f"and does not live on a simplex")
    f = integrand or KINDS[kind].integrand
    with mpmath.workdps(15):
        rough, _, scale = rule(p, q, f, None)
    if scale == 0:
        return Estimate(mpmath.mpf(0), mpmath.mpf(0), mpmath.mpf(0))
    working = dps + GUARD + digits_lost(scale, rough)
    with mpmath.workdps(working):
        value, error, _ = rule(p, q, f, scale)
        error = max(error, scale * mpmath.mpf(10) ** (1 - working))
    return Estimate(value, error, scale)


def _check_space(p, q):
    """InvalidInput unless p and q live on the same space (ℝᵏ, or the simplex in ℝᴷ)."""
    a, b = p.support, q.support
    if type(a) is not type(b) or a.k != b.k:
        raise InvalidInput(f"numeric integration compares random vectors on one space: "
                           f"supp p is {a} and supp q is {b}")


def _weigh(log_densities, f, point, sizes):
    """(log p, f(log p, log q), the size of the rounding error of f if ``sizes``, else 0)
    at ``point``, from the :class:`~.density.LogDensities` of p (and q)."""
    if not sizes:
        lp, lq = (*log_densities(*point), 0)[:2]
        return lp, f(lp, lq), 0
    (lp, size_p), (lq, size_q) = (*log_densities.with_size(*point), (0, 0))[:2]
    value = f(lp, lq)
    size = 0 if value == 0 and lp == lq else size_p * (1 + abs(value)) + size_q
    return lp, value, size


# -- Gauss–Hermite ------------------------------------------------------------------------
def _whitening(p):
    mean, covariance = p.moments()
    m = mpmath.matrix([to_mpmath(exactly(v)) for v in mean])
    lower = mpmath.cholesky(mpmath.matrix([[to_mpmath(exactly(v)) for v in row]
                                           for row in covariance.tolist()]))
    return m, lower


def _gauss_hermite(p, q, f, reference, centre=None):
    """Rules with n and n + 2 nodes a side, n = 3, 6, 9, 12, until they agree to the
    working precision relative to the value or to ``reference``, the scale of the
    integrand (``None``: compute it): ``(value, error, scale)``.  The nodes are placed by
    p's mean and covariance, or by ``centre()`` (see :func:`estimate`)."""
    m, lower = _whitening(p) if centre is None else centre()
    k = m.rows
    log_jacobian = sum(mpmath.log(lower[i, i]) for i in range(k)) + k * mpmath.log(2) / 2
    log_densities = LogDensities([p] if q is None else [p, q])

    def rule(n):
        nodes, weights = _hermite(n, mpmath.mp.prec)
        total = size = mpmath.mpf(0)
        for index in itertools.product(range(n), repeat=k):
            t = mpmath.matrix([nodes[i] for i in index])
            lp, value, s = _weigh(log_densities, f, m + mpmath.sqrt(2) * lower * t, reference is None)
            w = mpmath.fprod(weights[i] for i in index) * weighted(lp + log_jacobian
                                                                   + sum(ti ** 2 for ti in t), 1)
            total += w * value
            size += w * s
        return total, size

    for n in range(3, MOST_NODES - 1, 3):
        (coarse, _), (fine, scale) = rule(n), rule(n + 2)
        error = abs(fine - coarse)
        if error <= mpmath.eps * max(abs(fine), scale if reference is None else reference):
            break
    return fine, error, scale


@functools.lru_cache(maxsize=None)
def _hermite(n: int, prec: int):
    """Nodes and weights of the n-point Gauss–Hermite rule (weight e^{−t²}) at ``prec`` bits."""
    with mpmath.workprec(prec + 20):
        coefficients = [mpmath.mpf(c) for c in sp.Poly(sp.hermite(n, sp.Symbol("t"))).all_coeffs()]
        nodes = sorted(mpmath.re(r) for r in mpmath.polyroots(coefficients, maxsteps=200, extraprec=prec))
        scale = 2 ** (n - 1) * mpmath.factorial(n) * mpmath.sqrt(mpmath.pi) / n ** 2
        weights = [scale / mpmath.hermite(n - 1, t) ** 2 for t in nodes]
    return tuple(+t for t in nodes), tuple(+w for w in weights)


# -- counts ------------------------------------------------------------------------------------
def _over_counts(p, q, f, reference):
    """The exact sum over every point of p's support: ``(value, rounding error, scale)``."""
    log_densities = LogDensities([p] if q is None else [p, q])
    total = size = mpmath.mpf(0)
    for counts in p.support.points():
        point = [mpmath.mpf(c) for c in counts]
        if q is not None and not q.support.contains(counts):
            lp = log_densities(*point)[0]
            value, s = (f(lp, -mpmath.inf), 0) if mpmath.isfinite(lp) else (0, 0)
        else:
            lp, value, s = _weigh(log_densities, f, point, True)
        density = weighted(lp, 1)
        total += density * value
        size += density * (s + abs(value))
    return total, size * mpmath.eps, size


# -- the simplex ------------------------------------------------------------------------------
def _over_simplex(p, q, f, reference):
    """The tensor double-exponential rule in stick-breaking coordinates (see the module),
    refined until its error is below the working precision relative to the value or to
    ``reference``, the scale of the integrand (``None``: compute it): ``(value, error, scale)``."""
    log_densities = LogDensities([p] if q is None else [p, q])
    node = functools.lru_cache(maxsize=None)(_node)

    def term(ts):
        point, jacobian, rest = [], 1, 1
        for v, w, dv in map(node, ts):  # x_i = rest·v, then rest·(1 − v) is left
            point.append(rest * v)
            jacobian *= dv * rest
            rest *= w
        point.append(rest)
        lp, value, size = _weigh(log_densities, f, point, reference is None)
        density = weighted(lp, jacobian)
        return density * value, (density * size if size else size)

    return _trapezoid(term, p.dimension - 1, reference)


def _trapezoid(term, dimension, reference):
    """The tensor trapezoid rule for ``term``, a function of ``dimension`` coordinates t
    giving (value, size), its step halved until the error is below the working precision
    relative to the value or to ``reference`` (``None``: the size of the terms), its reach
    found along each axis: ``(value, error, scale)``."""
    reach = [_reach(lambda t, i=i: term([t if j == i else mpmath.mpf(0) for j in range(dimension)]))
             for i in range(dimension)]
    total = size = mpmath.mpf(0)  # Σ over every node so far, of the value and of its size
    results, level = [], 0
    while math.prod(len(_grid(level, lo, hi)) for lo, hi in reach) <= MOST_POINTS:
        h = mpmath.ldexp(1, -level)
        for index in itertools.product(*(_grid(level, lo, hi) for lo, hi in reach)):
            if level and all(i % 2 == 0 for i in index):
                continue  # a node of the coarser levels, counted there
            value, s = term([i * h for i in index])
            total, size = total + value, size + s
        results.append(total * h ** dimension)
        scale = size * h ** dimension
        against = scale if reference is None else reference
        error = _error(results, against)
        if len(results) >= 3 and error <= mpmath.eps * max(abs(results[-1]), against):
            break
        level += 1
    return results[-1], error, scale


# -- the positive-definite cone ---------------------------------------------------------------
def _over_positive_definite(p, q, f, reference):
    """∫ p·f over the k × k positive-definite matrices, k ≤ 2, in the coordinates
    X = L·T·Tᵀ·Lᵀ (see the module): ``(value, error, scale)``.

    L is the Cholesky factor of p's landmark, a matrix about which its mass lies (the nodes
    only), T is lower triangular with diagonal t_i = e^{sinh u_i}, and
    dX = |det L|^{k+1}·2^k·Π t_i^{k−i+1} dT.  The diagonal's u go to the tensor trapezoid
    rule (:func:`_trapezoid`); an off-diagonal entry c of T, at each node, to Gauss–Hermite
    rules centred and scaled by the quadratic through log(p·f) (log p where f may change
    sign) at c = −1, 0, 1 — exact where that is quadratic and f polynomial in c, as for
    the Wishart laws; rules with n and n + 2 nodes are compared as for whitened vectors."""
    log_densities = LogDensities([p] if q is None else [p, q])
    k = int(p.dimension)
    (centre,) = p.landmarks()
    lower = mpmath.cholesky(mpmath.matrix([[to_mpmath(exactly(v)) for v in row] for row in centre.tolist()]))
    log_jacobian = (k + 1) * sum(mpmath.log(lower[i, i]) for i in range(k)) + k * mpmath.log(2)
    positive = f(mpmath.mpf(0), mpmath.mpf(-1)) > 0 and f(mpmath.mpf(0), mpmath.mpf(1)) > 0
    sizes = reference is None
    largest_error = [mpmath.mpf(0)]

    def at(diagonal, c):
        """(log p, f, size) at the point with diagonal t and off-diagonal c (k = 2), the
        point's entries with the digits that det X = det(L)²·Π t_i² loses to cancellation
        where the diagonal is small.  X = M·Mᵀ with M = L·T lower triangular."""
        extra = max(0, -2 * sum(mpmath.mag(t) for t in diagonal)) + 10
        with mpmath.workprec(mpmath.mp.prec + extra):
            if k == 1:
                point = [(lower[0, 0] * diagonal[0]) ** 2]
            else:
                m11, m22 = lower[0, 0] * diagonal[0], lower[1, 1] * diagonal[1]
                m21 = lower[1, 0] * diagonal[0] + lower[1, 1] * c
                point = [m11 ** 2, m11 * m21, m21 ** 2 + m22 ** 2]
            lp, value, size = _weigh(log_densities, f, point, sizes)
        return +lp, +value, +size

    def term(us):
        log_t = [mpmath.sinh(u) for u in us]
        diagonal = [mpmath.exp(s) for s in log_t]
        jacobian = log_jacobian + sum((k - i + 1) * s + s for i, s in enumerate(log_t, 1))
        jacobian += sum(mpmath.log(mpmath.cosh(u)) for u in us)
        if k == 1:
            lp, value, size = at(diagonal, None)
            density = weighted(lp + jacobian, 1)
            return density * value, density * size
        return _off_diagonal(lambda c: at(diagonal, c), jacobian, positive, largest_error)

    value, error, scale = _trapezoid(term, k, reference)
    return value, max(error, largest_error[0]), scale


def _off_diagonal(at, log_weight, positive, largest_error):
    """∫ e^{log_weight}·p·f dc over the line by Gauss–Hermite (see :func:`_over_positive_definite`):
    (value, size); the largest error estimate is kept in ``largest_error``."""
    def log_of(c):
        lp, value, _ = at(mpmath.mpf(c))
        return lp + (mpmath.log(value) if positive and value > 0 else 0)
    low, middle, high = (log_of(c) for c in (-1, 0, 1))
    if middle == -mpmath.inf:
        return mpmath.mpf(0), mpmath.mpf(0)
    curvature = (2 * middle - low - high) / 2  # log(p·f) ≈ middle + slope·c − curvature·c²
    if not (mpmath.isfinite(curvature) and curvature > 0):
        raise Unsupported("the integrand is not concentrated along an off-diagonal entry: "
                          "no Gauss–Hermite rule for it")
    width = 1 / mpmath.sqrt(curvature)
    centre = (high - low) / (4 * curvature)

    def rule(n):
        nodes, weights = _hermite(n, mpmath.mp.prec)
        total = size = mpmath.mpf(0)
        for t, w in zip(nodes, weights):
            lp, value, s = at(centre + width * t)
            density = w * weighted(lp + log_weight + t ** 2, width)
            total += density * value
            size += density * (s + abs(value))
        return total, size

    for n in range(3, MOST_NODES - 1, 3):
        (coarse, _), (fine, size) = rule(n), rule(n + 2)
        error = abs(fine - coarse)
        if error <= mpmath.eps * max(abs(fine), size):
            break
    largest_error[0] = max(largest_error[0], error)
    return fine, size


def _node(t):
    """(v, 1 − v, dv/dt) for v = σ(π·sinh t), each to full relative precision."""
    a = mpmath.pi * mpmath.sinh(t)
    v, w = 1 / (1 + mpmath.exp(-a)), 1 / (1 + mpmath.exp(a))
    return v, w, v * w * mpmath.pi * mpmath.cosh(t)


def _reach(line):
    """How far in t (below and above 0) ``line(t)``, a pair (value, size), stays above the
    working precision, in steps of 1/2: ``(lowest, highest)``."""
    values = {0: max(map(abs, line(mpmath.mpf(0))))}
    ends = []
    for step in (-1, 1):
        i, quiet = 0, 0
        while quiet < 2 and abs(i) < 80:
            i += step
            values[i] = max(map(abs, line(mpmath.mpf(i) / 2)))
            largest = max(abs(v) for v in values.values())
            quiet = quiet + 1 if abs(values[i]) <= mpmath.eps * largest else 0
        ends.append(mpmath.mpf(i) / 2)
    return tuple(ends)


def _grid(level, lo, hi):
    """The indices i of the nodes t = i·2^-level in [lo, hi]."""
    scale = 2 ** level
    return range(int(mpmath.floor(lo * scale)), int(mpmath.ceil(hi * scale)) + 1)


def _error(results, scale):
    """The error of the last of a sequence of rules whose error falls quadratically, as
    mpmath estimates it for tanh-sinh: from the last three, relative to their size."""
    if len(results) < 3:
        return mpmath.inf
    size = max(abs(results[-1]), scale)
    d1, d2 = abs(results[-1] - results[-2]), abs(results[-1] - results[-3])
    if d1 == 0 or size == 0:
        return d1
    if d2 == 0 or d1 >= d2 or d2 >= size:
        return d1
    e1, e2 = mpmath.log10(d1 / size), mpmath.log10(d2 / size)
    return size * mpmath.mpf(10) ** max(e1 ** 2 / e2, 2 * e1)

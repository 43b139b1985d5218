"""E_p[t(X)] where log p is linear in x on each piece of the support: p = c·e^{rx} there.

Uniform, Exponential, Laplace (split at its kink) and the continuous Bernoulli
are of this shape.  On a piece [lo, hi], with t = e^{kx} and a = r/k,

* E[log(c₀ + A e^{kx})] (a logistic's softplus) from the antiderivative of
  t^{a−1}·log(1 + Bt): t^a·log(1 + Bt)/a − B t^{a+1} ₂F₁(1, a + 1; a + 2; −Bt)/(a(a + 1)),
  and −Li₂(−Bt) for a = 0; at an infinite end t → 0 there, after
  log(1 + Be^{kx}) = log B + kx + log(1 + e^{−kx}/B) where kx → ∞ instead;
* E[(log y)^m], y the distance to the support's end where the log's argument
  vanishes, y = L·u with u ∈ [0, 1]: ∫₀¹ e^{zu} (log u)^j du
  = (−1)^j j!·ⱼ₊₁Fⱼ₊₁(1, …, 1; 2, …, 2; z);
* E[X^s] on [0, L]: c L^{s+1} ₁F₁(s + 1; s + 2; rL)/(s + 1);
* E[e^{kX}] on finite pieces: c (e^{(r+k)hi} − e^{(r+k)lo})/(r + k), and
  c (hi − lo) where r + k = 0.

Each answers None where it does not apply (or where a sign it needs is not decided).
"""
from __future__ import annotations

import sympy as sp


def expectation(p, statistic, x):
    """E_p[statistic] by the rules above, or None.

    >>> from symkl import Uniform
    >>> x = sp.Symbol("x", real=True)
    >>> expectation(Uniform(0, 1), sp.log(1 + sp.exp(-x)), x)
    polylog(2, -exp(-1)) + pi**2/12
    """
    found = pieces(p, x)
    if found is None:
        return None
    for rule in (_softplus, _log_power, _power, _exponential):
        value = rule(found, statistic, x)
        if value is not None:
            return value
    return None


def pieces(p, x):
    """[(lo, hi, c, r)]: log p = log c + r·x on each piece (lo, hi) of p's support, split
    at the kink of one |s·x + t| in log p; None where log p is not of that shape.

    >>> from symkl import Laplace
    >>> pieces(Laplace(0, 2), sp.Symbol("x", real=True))
    [(-oo, 0, 1/4, 1/2), (0, oo, 1/4, -1/2)]
    """
    if p.discrete:
        return None
    support = p.support
    if not isinstance(support, sp.Interval) and support != sp.Reals:
        return None
    lo, hi = support.inf, support.sup
    log_p = p.log_density(x)
    kinks = [a for a in log_p.atoms(sp.Abs) if a.has(x)]
    if len(kinks) > 1:
        return None
    if not kinks:
        line = _line(log_p, x)
        return None if line is None else [(lo, hi, *line)]
    (absolute,) = kinks
    line = absolute.args[0].as_poly(x)
    if line is None or line.degree() != 1 or support != sp.Reals:
        return None  # a kink inside a finite support would need its place decided
    slope, intercept = line.all_coeffs()
    if slope.is_extended_positive is None:
        return None
    kink, sign = -intercept / slope, 1 if slope.is_extended_positive else -1
    found = []
    for a, b, side in ((lo, kink, -sign), (kink, hi, sign)):
        piece = _line(log_p.xreplace({absolute: side * absolute.args[0]}), x)
        if piece is None:
            return None
        found.append((a, b, *piece))
    return found


def _line(log_density, x):
    """(c, r) for a log-density log c + r·x, else None."""
    line = sp.expand(log_density).as_poly(x)
    if line is None or line.degree() > 1:
        return None
    r, b = line.coeff_monomial(x), line.coeff_monomial(1)
    return sp.expand(sp.exp(b)), r


def _softplus(found, statistic, x):
    """E[log(c₀ + A e^{kX})], c₀, A > 0."""
    if not isinstance(statistic, sp.log):
        return None
    argument = sp.expand(statistic.args[0])
    c0, h = argument.as_independent(x, as_Add=True)
    if h == 0 or c0.is_positive is not True:
        return None
    k = sp.simplify(sp.diff(sp.log(h), x))
    if k.has(x) or k.is_extended_positive is None or k.is_zero is not False:
        return None
    B = sp.simplify(h * sp.exp(-k * x) / c0)
    if B.has(x) or B.is_positive is not True:
        return None
    total = sp.log(c0)
    for lo, hi, c, r in found:
        piece = _softplus_on(lo, hi, c, r, B, k, x)
        if piece is None:
            return None
        total += piece
    return total


def _softplus_on(lo, hi, c, r, B, k, x):
    """∫_lo^hi c e^{rx} log(1 + B e^{kx}) dx."""
    if lo.is_infinite and hi.is_infinite:
        return None
    rising = k.is_extended_positive
    if (hi == sp.oo and rising) or (lo == -sp.oo and not rising):
        # log(1 + Be^{kx}) = log B + kx + log(1 + e^{−kx}/B): e^{−kx} → 0 at the infinite end
        linear = _linear_part(lo, hi, c, r, sp.log(B), k)
        rest = _softplus_on(lo, hi, c, r, 1 / B, -k, x)
        return None if linear is None or rest is None else linear + rest
    a = sp.simplify(r / k)
    if a != 0 and a.is_positive is not True:
        return None  # F below is an antiderivative only away from a = −1, −2, …
    if (lo.is_infinite or hi.is_infinite) and a == 0:
        return None
    t = sp.Dummy("t", positive=True)
    if a == 0:
        F = -sp.polylog(2, -B * t)
    else:
        F = t ** a * sp.log(1 + B * t) / a \
            - B * t ** (a + 1) * sp.hyper((1, a + 1), (a + 2,), -B * t) / (a * (a + 1))
    ends = sum(sign * F.xreplace({t: sp.exp(k * end)})
               for end, sign in ((hi, 1), (lo, -1)) if not end.is_infinite)  # F → 0 as t → 0
    return c / k * ends


def _linear_part(lo, hi, c, r, alpha, beta):
    """∫_lo^hi c e^{rx} (α + βx) dx, one end infinite, where e^{rx} decays."""
    if r.is_zero is not False:
        return None
    x = sp.Dummy("x")
    G = sp.exp(r * x) * ((alpha + beta * x) / r - beta / r ** 2)
    return c * sum(sign * G.xreplace({x: end}) for end, sign in ((hi, 1), (lo, -1))
                   if not end.is_infinite)


def _one_finite_piece(found):
    if len(found) != 1:
        return None
    lo, hi, c, r = found[0]
    return None if lo.is_infinite or hi.is_infinite else found[0]


def _log_power(found, statistic, x):
    """E[(log g(X))^m], g linear and vanishing at an end of a finite support."""
    piece = _one_finite_piece(found)
    if piece is None:
        return None
    base, m = (statistic.base, statistic.exp) if statistic.is_Pow else (statistic, sp.S.One)
    if not isinstance(base, sp.log) or not (m.is_Integer and m > 0):
        return None
    line = base.args[0].as_poly(x)
    if line is None or line.degree() != 1:
        return None
    lo, hi, c, r = piece
    s, e = line.LC(), sp.solve(line.as_expr(), x)[0]
    if e == lo and s.is_positive:
        c, r = c * sp.exp(r * lo), r  # y = x − lo
    elif e == hi and s.is_negative:
        c, r = c * sp.exp(r * hi), -r  # y = hi − x
    else:
        return None
    L = hi - lo
    ell = sp.log(sp.Abs(s)) + sp.log(L)  # log g = ℓ + log u, y = L·u
    z = r * L
    m = int(m)

    def I(j):  # ∫₀¹ e^{zu} (log u)^j du, times c·L
        if j == 0:
            return sp.S.One
        return c * L * (-1) ** j * sp.factorial(j) * sp.hyper((1,) * (j + 1), (2,) * (j + 1), z)
    return sp.Add(*(sp.binomial(m, j) * ell ** (m - j) * I(j) for j in range(m + 1)))


def _power(found, statistic, x):
    """E[X^s] on [0, L], s > −1."""
    piece = _one_finite_piece(found)
    if piece is None or not statistic.is_Pow or statistic.base != x or statistic.exp.has(x):
        return None
    lo, hi, c, r = piece
    s = statistic.exp
    if lo != 0 or (s + 1).is_positive is not True:
        return None
    return c * hi ** (s + 1) * sp.hyper((s + 1,), (s + 2,), r * hi) / (s + 1)


def _exponential(found, statistic, x):
    """E[e^{kX}] over finite pieces."""
    if not isinstance(statistic, sp.exp):
        return None
    k = sp.diff(statistic.args[0], x)
    if k.has(x) or k == 0:
        return None
    offset = sp.exp(sp.expand(statistic.args[0] - k * x))
    total = sp.S.Zero
    for lo, hi, c, r in found:
        if lo.is_infinite or hi.is_infinite:
            return None
        rate = r + k
        general = (sp.exp(rate * hi) - sp.exp(rate * lo)) / rate
        if rate.is_zero:
            value = hi - lo
        elif rate.is_zero is False:
            value = general
        else:
            value = sp.Piecewise((general, sp.Ne(rate, 0)), (hi - lo, True))
        total += c * value
    return offset * total

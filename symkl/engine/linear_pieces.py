"""E_p[t(X)] where log p is linear in x on each piece of the support: p = c·e^{rx} there.

Uniform, Exponential, Laplace (split at its kink) and the continuous Bernoulli
are of this shape.  On a piece [lo, hi], with t = e^{kx} and a = r/k,

* E[log(c₀ + A e^{kx})] (a logistic's softplus) from the antiderivative of
  t^{a−1}·log(1 + Bt): t^a·log(1 + Bt)/a − B t^{a+1} ₂F₁(1, a + 1; a + 2; −Bt)/(a(a + 1)),
  and −Li₂(−Bt) for a = 0; at an infinite end t → 0 there, after
  log(1 + Be^{kx}) = log B + kx + log(1 + e^{−kx}/B) where kx → ∞ instead;
* E[log Q(X)], Q = ax² + bx + c with no real root (a Cauchy's or a t's log-density):
  Q = a(x − z)(x − z̄), so E log Q = log a + 2 Re E[log(X − z)], and the antiderivative
  of e^{rx} log(x − z) is (e^{rx} log(x − z) + e^{rz} E₁(−r(x − z)))/r, which neither
  log nor E₁ takes across its branch cut (Im(x − z) keeps one sign);
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
    for rule in (_softplus, _log_quadratic, _log_power, _power, _exponential):
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


def _log_quadratic(found, statistic, x):
    """E[log(ax² + bx + c)], a > 0 and 4ac − b² > 0.

    >>> from symkl import Exponential
    >>> x = sp.Symbol("x", real=True)
    >>> _log_quadratic(pieces(Exponential(1), x), sp.log(x**2 + 1), x)
    -2*sin(1)*Si(1) - 2*cos(1)*Ci(1) + pi*sin(1)
    """
    if not isinstance(statistic, sp.log):
        return None
    quadratic = statistic.args[0].as_poly(x)
    if quadratic is None or quadratic.degree() != 2:
        return None
    a, b, c = quadratic.all_coeffs()
    discriminant = sp.factor(4 * a * c - b ** 2)
    if a.is_positive is not True or discriminant.is_positive is not True:
        return None
    # re() is taken in real symbols (sympy does not know log((1 − λ)/λ) is real), then
    # the parameters are put back
    real = {}

    def named(value, **assumptions):
        if value.is_number:
            return value
        symbol = sp.Dummy(real=True, **assumptions)
        real[symbol] = value
        return symbol
    z = named(-b / (2 * a)) + sp.I * named(sp.sqrt(discriminant) / (2 * a), positive=True)
    total = sp.S.Zero
    for lo, hi, weight, r in found:
        ends = [end if end.is_infinite else named(end) for end in (lo, hi)]
        rate = r if r.is_number else named(r, zero=r.is_zero, positive=r.is_positive)
        piece = _log_linear_on(*ends, named(weight, positive=True), rate, z)
        if piece is None:
            return None
        total += piece
    total, functions = _on_the_imaginary_axis(total)
    value = sp.log(a) + 2 * sp.re(sp.expand(total))
    return value.xreplace(functions).xreplace(real)


def _on_the_imaginary_axis(expr):
    """E₁(±iy), y > 0, as −Ci(y) ± i(Si(y) − π/2), where z is imaginary: (the expression
    with Ci(y), Si(y) as real symbols, {symbol: function}), which sympy's re() needs, as it
    does not know Ci(y) is real.

    >>> y = sp.Symbol("y", positive=True)
    >>> _on_the_imaginary_axis(sp.expint(1, -sp.I * y))[0]
    -_Ci - I*(_Si - pi/2)
    """
    real = {}

    def named(function, y):
        symbol = sp.Dummy(function.__name__, real=True)
        real[symbol] = function(y)
        return symbol

    def real_form(e):
        y = sp.expand(e.args[1] / sp.I)
        side = 1 if y.is_positive else -1
        y = side * y
        return -named(sp.Ci, y) + side * sp.I * (named(sp.Si, y) - sp.pi / 2)
    def imaginary(e):  # E₁(iy) with y real and of a known sign
        if not (isinstance(e, sp.expint) and e.args[0] == 1):
            return False
        y = sp.expand(e.args[1] / sp.I)
        return bool(y.is_positive or y.is_negative)
    return expr.replace(imaginary, real_form), real


def _log_linear_on(lo, hi, c, r, z):
    """∫_lo^hi c e^{rx} log(x − z) dx, z off the real line."""
    if r.is_zero is not False:
        return None  # (where r may be 0, E₁'s cancelling logarithms lose every digit near it)
    x = sp.Dummy("x", real=True)
    G = (sp.exp(r * x) * sp.log(x - z) + sp.exp(r * z) * sp.expint(1, -r * (x - z))) / r
    total = sp.S.Zero
    for end, sign in ((hi, 1), (lo, -1)):
        if end.is_infinite:  # e^{rx} log(x − z) and E₁ → 0 where e^{rx} decays; else none
            if not (r * end).is_extended_negative:
                return None
            continue
        total += sign * G.xreplace({x: end})
    return c * total


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

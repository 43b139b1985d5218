"""Total variation from where the densities cross.

    TV(p, q) = ½ ∫ |p − q| = 1 − ∫_{supp p ∩ supp q} min(p, q).

On a piece of the common support where log p − log q keeps its sign,
∫ min(p, q) = min(ΔP, ΔQ) = ½(ΔP + ΔQ − |ΔP − ΔQ|), with ΔP and ΔQ the
masses the two give the piece (from their CDFs).  So the crossings decide
everything:

* the same support, d(x) = log p(x) − log q(x) a polynomial of degree ≤ 2 in one
  monotone function u = g(x) of x (x, log x, x^k …), or exp(d) a ratio of two such
  polynomials (Cauchy): the crossings are its roots in the support, and with
  D = F_p − F_q (0 at both ends of the support)

      TV = ½ Σ_pieces |ΔD| = ½ (|D(r₁)| + |D(r₂) − D(r₁)| + |D(r₂)|),

  which holds whichever root is the smaller (one root: TV = |D(r₁)|); for roots
  u₋, u₊ = (−c₁ ∓ √Δ)/(2c₂) of a polynomial with d's sign and g increasing, the signs
  of p − q alternate over the pieces and TV = D(x₋) − D(x₊).  Where the
  leading coefficient vanishes (equal scales) the polynomial has a lower degree:
  a Piecewise says so, down to TV = 0 where d vanishes identically;
* a ratio p/q constant on the common support (Uniform): one piece, TV = 1 − min(ΔP, ΔQ),
  and 1 when the supports do not overlap;
* finite supports: ½ Σ_k |p_k − q_k| exactly; the same infinite one with d linear
  in k (Poisson, Geometric): |Σ_{k ≤ ⌊r⌋} (p_k − q_k)|, a finite sum to the crossing r.

Anything else is left as the integral 1 − ∫ min(p, q) over the common support.
"""
from __future__ import annotations

from typing import NamedTuple

import sympy as sp

from .. import notation
from .budget import OutOfTime, clock, share, within
from .power import as_powers
from .simplify import canonical
from .support import point_masses, support_condition

#: the most points a finite support may have for a sum written out term by term
_MOST_POINTS = 64
#: seconds for integrating a density into its CDF where the family declares none
_FOR_A_CDF = 5.0


class Crossings(NamedTuple):
    """What was found: the value (an expression), its steps, whether it is closed."""

    value: sp.Expr
    steps: tuple
    closed_form: bool
    reason: str | None


def total_variation(p, q, lhs, deadline) -> Crossings:
    """TV(p, q) for twins p, q (Symbols for parameters); ``lhs`` is its symbol."""
    from .derive import Step
    x = p.variable()
    steps = [Step("the common mass", sp.Eq(lhs, 1 - _min_integral(p, q, x), evaluate=False))]
    if p.discrete and q.discrete:
        found = _finite_sum(p, q)
        if found is None and not isinstance(x, sp.Symbol):
            return _unevaluated(p, q, x, lhs, steps, "a random vector")
        if found is None:
            found = _sum_to_crossing(p, q, x, steps, deadline)
        if found is None:
            found = _table_sum(p, q)
        if found is not None:
            value, closed = found
            steps.append(Step("summed", sp.Eq(lhs, value, evaluate=False)))
            return Crossings(value, tuple(steps), closed, None)
        return _unevaluated(p, q, x, lhs, steps, "no crossing of p and q found")
    if not isinstance(x, sp.Symbol):
        return _unevaluated(p, q, x, lhs, steps, "a random vector")
    d = sp.expand(sp.expand_log(p.log_density(x) - q.log_density(x), force=True))
    same = support_condition(p, q)[0] == sp.true and support_condition(q, p)[0] == sp.true
    if not d.has(x):
        value = _one_piece(p, q, x, deadline)
        if value is not None:
            steps.append(Step("p/q is constant on the common support", sp.Eq(lhs, value,
                                                                            evaluate=False)))
            return Crossings(value, tuple(steps), True, None)
    elif same:
        try:
            value = within(max(deadline - clock(), 0.1), _by_roots, p, q, x, d, steps, lhs)
        except OutOfTime:
            value = None
        if value is None:
            value = _by_kinks(p, q, x, d, steps, lhs)
        if value is not None:
            return Crossings(value, tuple(steps), True, None)
    return _unevaluated(p, q, x, lhs, steps, "the crossings of p and q were not solved")


def _min_integral(p, q, x):
    """∫ min(p, q), as displayed."""
    shown = x if isinstance(x, sp.Symbol) else sp.Symbol("x")
    return sp.Integral(sp.Min(notation.density("p", shown), notation.density("q", shown)), shown)


def cdf(family, point):
    """F(point) = P(X ≤ point): the family's own CDF, else its density integrated by sympy
    (a few seconds at most); None when neither gives one."""
    x = sp.Dummy("x", real=True)
    declared = family.cdf(x)
    if declared is None:
        declared = _integrated(family)
        if declared is None:
            return None
    return declared.xreplace({x: point}) if not isinstance(declared, sp.Lambda) else declared(point)


_CDFS: dict = {}


def _integrated(family):
    """The CDF as a Lambda, by sympy's integration of the density (cached by content)."""
    key = family.content()
    if key not in _CDFS:
        x, r = sp.Dummy("x", real=True), sp.Dummy("r", real=True)
        try:
            found = within(share(_FOR_A_CDF), lambda: sp.integrate(
                sp.exp(family.log_density(x)), (x, family.support.inf, r), conds="none"))
        except (OutOfTime, NotImplementedError, ValueError, TypeError):
            found = None
        _CDFS[key] = None if found is None or found.has(sp.Integral) else sp.Lambda(r, found)
    return _CDFS[key]


def _by_roots(p, q, x, d, steps, lhs):
    """TV on a common support from the roots of d = log p − log q (see the module)."""
    from .derive import Step
    found = _as_polynomial(d, x)
    if found is None:
        return None
    u, g, poly, signed = found
    ordered = signed and _increasing(g, x, p.support)
    inverse = [u] if g == x else sp.solve(sp.Eq(g, u), x)
    if len(inverse) != 1:
        return None
    coefficients = sp.Poly(poly, u).all_coeffs()[::-1]  # c₀, c₁, c₂
    if len(coefficients) > 3:
        return None
    shown = poly.xreplace({u: g})
    steps.append(Step(notation.Label("log p(x) − log q(x)", r"\log p(x) - \log q(x)"),
                      sp.Eq(sp.log(notation.density("p", x)) - sp.log(notation.density("q", x)),
                            sp.collect(shown, g), evaluate=False)))
    onto_reals = _onto_reals(g, x, p.support)
    cases, known = [], {}
    for degree in range(len(coefficients) - 1, 0, -1):
        # the polynomial of this degree: its higher coefficients vanish (the values in `known`)
        c = [ci.xreplace(known) for ci in coefficients[:degree + 1]]
        if c[-1] == 0:
            continue
        if degree == 2 and c[1] == 0:  # ±√(−c₀/c₂), in no order known
            roots = [-sp.sqrt(sp.factor(-c[0] / c[2])), sp.sqrt(sp.factor(-c[0] / c[2]))]
            ordered = False
        elif degree == 2:  # u₋ and u₊; between them P has the sign of −c₂
            root = sp.sqrt(canonical(sp.expand_log(c[1] ** 2 - 4 * c[2] * c[0], force=True)))
            roots = [sp.factor((-c[1] - root) / (2 * c[2])), sp.factor((-c[1] + root) / (2 * c[2]))]
        else:
            roots = [sp.factor(-c[0] / c[1])]
        points = [_logs_of_powers(inverse[0].xreplace({u: sp.logcombine(r, force=True)}))
                  for r in roots]
        inside = _inside_all(p.support.xreplace(known), points, onto_reals)
        if inside is None:
            return None
        value = _from_crossings(p.subs(known), q.subs(known), inside,
                                ordered and len(inside) == 2)
        if value is None:
            return None
        condition = _solved(sp.Ne(c[-1], 0))
        cases.append((value, condition))
        if isinstance(condition, sp.Ne) and isinstance(condition.lhs, sp.Symbol):
            known[condition.lhs] = condition.rhs  # past this piece, s = v
    cases.append((sp.S.Zero, True))  # d ≡ 0: p = q
    value = sp.Piecewise(*cases)
    steps.append(Step("from where p and q cross", sp.Eq(lhs, value, evaluate=False)))
    return value


def _kinks(d, x):
    """(c, (m, a), (n, b)) with d = c + a|x − m| − b|x − n| and a, b > 0, or None."""
    constant, kinks = [], []
    for term in sp.Add.make_args(d):
        if not term.has(x):
            constant.append(term)
            continue
        weight, absolute = term.as_independent(x, as_Add=False)
        if not isinstance(absolute, sp.Abs) or not absolute.args[0].is_polynomial(x):
            return None
        inner = sp.Poly(absolute.args[0], x)
        if inner.degree() != 1:
            return None
        slope, at_zero = inner.all_coeffs()
        if slope not in (1, -1):
            return None
        kinks.append((-at_zero / slope, weight))
    if len(kinks) != 2:
        return None
    rising = [k for k in kinks if k[1].is_positive]
    falling = [(m, -w) for m, w in kinks if w.is_negative]
    if len(rising) != 1 or len(falling) != 1:
        return None
    return sp.Add(*constant), rising[0], falling[0]


def _by_kinks(p, q, x, d, steps, lhs):
    """TV on ℝ for d = c + a|x − m| − b|x − n| (a, b > 0): two Laplace-like densities.

    For a > b, d falls to its minimum at m and rises again, to +∞ at both ends; the
    masses being equal, d(m) < 0, and d has two crossings x₋ < m < x₊.  Right of m,
    d is the line of slope a + b left of n and of slope a − b right of it, so x₊ is
    the first line's root when n > m and d(n) > 0, else the second's; x₋ likewise
    (:func:`_kink_crossings`).  Each crossing's side of m and of n is then known, and
    so is the branch of each CDF there.  p > q outside (x₋, x₊), so TV = D(x₋) − D(x₊)
    with D = F_p − F_q.  For a < b the same holds for −d with the roles swapped, p > q
    between the crossings and TV = D(x₊) − D(x₋); for a = b, d is monotone between its
    constant tails and crosses once, at (m + n)/2.
    """
    from .derive import Step
    if p.support != sp.Reals:
        return None
    found = _kinks(d, x)
    if found is None:
        return None
    c, (m, a), (n, b) = found
    equal = _solved(sp.Ne(a, b))
    if not (isinstance(equal, sp.Ne) and isinstance(equal.lhs, sp.Symbol)):
        return None
    known = {equal.lhs: equal.rhs}
    if sp.simplify(c.xreplace(known)) != 0:
        return None
    once = _from_crossings(p.subs(known), q.subs(known), [((m + n) / 2).xreplace(known)])
    if once is None:
        return None

    def difference(pieces):  # D at a crossing given as (point, condition, sides) pieces
        values = []
        for point, condition, sides in pieces:
            fp, fq = (_cdf_beside(f, point, sides) for f in (p, q))
            if fp is None or fq is None:
                return None
            values.append((fp - fq, condition))
        return sp.Piecewise(*values)
    lower, upper = _kink_crossings(c, m, a, n, b)
    swapped_lower, swapped_upper = _kink_crossings(-c, n, b, m, a)
    values = [difference(v) for v in (lower, upper, swapped_lower, swapped_upper)]
    if any(v is None for v in values):
        return None
    numerator, denominator = sp.fraction(sp.together(a - b))
    wider = sp.Gt(numerator, 0) if denominator.is_positive else sp.Gt(a, b)
    steps.append(Step(notation.Label("log p(x) − log q(x)", r"\log p(x) - \log q(x)"),
                      sp.Eq(sp.log(notation.density("p", x)) - sp.log(notation.density("q", x)),
                            c + a * sp.Abs(x - m) - b * sp.Abs(x - n), evaluate=False)))
    shown = [sp.Piecewise(*((point, condition) for point, condition, _ in v))
             for v in (lower, upper, swapped_lower, swapped_upper)]
    steps.append(Step(notation.Label("its two crossings where the slopes differ",
                                     r"\text{its two crossings where the slopes differ}"),
                      sp.Eq(sp.Tuple(sp.Symbol("x_-"), sp.Symbol("x_+")),
                            sp.Piecewise((sp.Tuple(*shown[:2]), wider), (sp.Tuple(*shown[2:]), True)),
                            evaluate=False)))
    value = sp.Piecewise((values[0] - values[1], wider), (values[3] - values[2], equal), (once, True))
    steps.append(Step("from where p and q cross", sp.Eq(lhs, value, evaluate=False)))
    return value


def _kink_crossings(c, m, a, n, b):
    """The crossings x₋ < m < x₊ of c + a|x − m| − b|x − n| for a > b, each as pieces
    (point, condition, {kink: side}) saying on which side (±1) of m and n it lies."""
    lower = [((c + a * m + b * n) / (a + b), sp.And(sp.Lt(n, m), sp.Gt(c + a * (m - n), 0)),
              {m: -1, n: 1}),
             ((c + a * m - b * n) / (a - b), True, {m: -1, n: -1})]
    upper = [((a * m + b * n - c) / (a + b), sp.And(sp.Gt(n, m), sp.Gt(c + a * (n - m), 0)),
              {m: 1, n: -1}),
             ((a * m - b * n - c) / (a - b), True, {m: 1, n: 1})]
    return ([(sp.factor(r), condition, sides) for r, condition, sides in lower],
            [(sp.factor(r), condition, sides) for r, condition, sides in upper])


def _cdf_beside(family, point, sides):
    """F(point) for a point known to lie on the given side of each kink: the branch of a
    piecewise CDF that holds there (the CDF at ``point`` itself where none resolves)."""
    beyond = sp.Dummy("s", positive=True)
    for kink, side in sides.items():
        value = cdf(family, kink + side * beyond)
        if value is None:
            return None
        if not value.has(sp.Piecewise):
            return value.xreplace({beyond: side * (point - kink)})
    return cdf(family, point)


def _solved(condition):
    """``c ≠ 0`` as ``s ≠ v`` for a parameter s, when c = 0 has the one solution v."""
    expr = sp.together(condition.lhs - condition.rhs)
    numerator = sp.numer(expr)
    for s in sorted(numerator.free_symbols, key=str):
        try:
            solutions = sp.solve(numerator, s)
        except NotImplementedError:
            continue
        if len(solutions) == 1:
            return sp.Ne(s, solutions[0])
    return condition


def _as_polynomial(d, x):
    """(u, g(x), P(u), signed) with d = P(g(x)), or e^d = N(g)/M(g) and P = N − M; P of degree
    ≤ 2 and g a monotone function of x on the support; ``signed`` when P has the sign of d
    (always for d = P; for N − M when M is known positive).  None if there is none."""
    u = sp.Dummy("u")
    candidates = [x] + sorted({a for a in d.atoms(sp.log, sp.Pow, sp.exp) if a.has(x) and a != x
                               and _monotone(a, x)}, key=sp.default_sort_key)
    for g in candidates:
        replaced = d.xreplace({g: u})
        if not replaced.has(x) and replaced.is_polynomial(u) and sp.degree(replaced, u) <= 2:
            return u, g, sp.expand(replaced), True
    ratio = sp.together(sp.powsimp(sp.exp(d), force=True).rewrite(sp.exp))
    numerator, denominator = sp.fraction(sp.expand_power_base(ratio, force=True))
    for g in candidates:
        difference = sp.expand(numerator - denominator)
        replaced = difference.xreplace({g: u})
        if not replaced.has(x) and replaced.is_polynomial(u) and 0 < sp.degree(replaced, u) <= 2:
            real = sp.Dummy("x", real=True)
            return u, g, replaced, _positive_in(denominator, x)
    return None


def _positive_in(m, x) -> bool:
    """Whether m(x) > 0 for every real x: sympy says so, or m is a quadratic in x with a
    positive leading coefficient and a negative discriminant (γ₂(γ₁² + (x − x₀)²))."""
    real = sp.Dummy("x", real=True)
    if sp.factor(m.xreplace({x: real})).is_positive:
        return True
    if not m.is_polynomial(x):
        return False
    c = sp.Poly(m, x).all_coeffs()
    if len(c) != 3:
        return False
    return bool(c[0].is_positive and sp.factor(c[1] ** 2 - 4 * c[0] * c[2]).is_negative)


def _increasing(g, x, support) -> bool:
    """Whether g increases with x over the support."""
    point = sp.Dummy("x", positive=True) if support.inf.is_nonnegative else sp.Dummy("x", real=True)
    return bool(sp.diff(g, x).xreplace({x: point}).is_positive)


def _monotone(g, x) -> bool:
    """Whether g is one of log x, x^k (x > 0), e^{cx}: strictly monotone in x."""
    if isinstance(g, sp.log):
        return g.args[0] == x
    if isinstance(g, sp.exp):
        return sp.Poly(g.args[0], x).degree() == 1 if g.args[0].is_polynomial(x) else False
    if isinstance(g, sp.Pow):
        return g.base == x and not g.exp.has(x) and x.is_positive is not False
    return False


def _onto_reals(g, x, support) -> bool:
    """Whether g maps the support onto the whole real line (x on ℝ, log x on (0, ∞) …)."""
    if not isinstance(support, sp.Interval):
        return False
    try:
        ends = {sp.limit(g, x, support.inf, "+"), sp.limit(g, x, support.sup, "-")}
    except (NotImplementedError, ValueError):
        return False
    return ends == {-sp.oo, sp.oo}


def _inside_all(support, points, onto_reals):
    """Which of the polynomial's roots (as points x) are crossings in the support, or None
    when that is not decided.

    p ≠ q on one support must cross there.  One root is therefore inside; two roots
    are both inside when u = g(x) runs over all of ℝ (the leading term has one sign at
    both ends, so the sign changes are even in number, and at least one); else each is
    decided by its sign with every square root taken positive (a crossing is real), and
    one decided outside leaves the other inside.
    """
    if len(points) == 1 or onto_reals:
        return points
    decided = [_inside(support, point) for point in points]
    if all(d is not None for d in decided):
        return [point for point, d in zip(points, decided) if d]
    if decided.count(False) == 1:
        return [point for point, d in zip(points, decided) if d is not False]
    return None


def _inside(support, point):
    """Whether the real ``point`` lies in the support (True/False), None when undecided."""
    roots = {a: sp.Dummy(positive=True) for a in point.atoms(sp.Pow) if a.exp == sp.S.Half}
    point = point.xreplace(roots)
    inside = support.contains(point)
    if inside in (sp.true, sp.false):
        return bool(inside)
    if isinstance(support, sp.Interval):
        lower = (point - support.inf).is_nonnegative if support.inf.is_finite else True
        upper = (support.sup - point).is_nonnegative if support.sup.is_finite else True
        if lower is False or upper is False:
            return False
        if lower and upper:
            return True
    return None


def _from_crossings(p, q, points, ordered=False):
    """½ Σ |ΔD| over the pieces the crossings cut, D = F_p − F_q (0 at both ends).

    With two crossings x₋ < x₊ of a P that has d's sign and is negative between them
    when c₂ > 0 (``ordered``: g increasing, the roots in the order u₋, u₊), the sign
    of p − q on the three pieces alternates, the outer masses balance the middle
    one, and TV = D(x₋) − D(x₊) whatever the sign of c₂.
    """
    values = []
    for point in points:
        fp, fq = cdf(p, point), cdf(q, point)
        if fp is None or fq is None:
            return None
        values.append(fp - fq)
    # a crossing is real: log e^r = r; e^{c log b} = b^c
    values = [_ratio_powers(v.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.exp),
                                      lambda e: e.args[0].args[0])) for v in values]
    if len(values) == 1:
        return sp.Abs(values[0])
    if len(values) == 2:
        a, b = values
        return a - b if ordered else (sp.Abs(a) + sp.Abs(b - a) + sp.Abs(b)) / 2
    return None if values else sp.S.Zero


def _logs_of_powers(expr):
    """log(z^c) as c log z (z > 0 here)."""
    return expr.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.Pow),
                        lambda e: e.args[0].exp * sp.log(e.args[0].base))


def _ratio_powers(expr):
    """e^{c log a − c log b} as (a/b)^c, e^{c log z} as z^c, a leading minus taken into the
    base: (λ₂/λ₁)^{λ₂/(λ₁−λ₂)}."""
    def power(e):
        exponent = sp.expand(sp.expand_log(e.args[0], force=True))
        logs = sorted(exponent.atoms(sp.log), key=sp.default_sort_key)
        coefficients = [sp.factor(exponent.coeff(log)) for log in logs]
        if sp.expand(exponent - sum(c * log for c, log in zip(coefficients, logs))) != 0 or \
                any(c.has(sp.log) for c in coefficients):
            return as_powers(e)
        if len(logs) == 1:
            base, c = logs[0].args[0], coefficients[0]
        elif len(logs) == 2 and sp.expand(coefficients[0] + coefficients[1]) == 0:
            base, c = logs[0].args[0] / logs[1].args[0], coefficients[0]
        else:
            return as_powers(e)
        if c.could_extract_minus_sign():
            base, c = 1 / base, -c
        return sp.Pow(base, c, evaluate=False) if c != 1 else base
    return expr.replace(lambda e: isinstance(e, sp.exp) and e.args[0].has(sp.log), power)


def _one_piece(p, q, x, deadline):
    """TV = 1 − min(ΔP, ΔQ) over the overlap [lo, hi] (1 where there is none): the
    ratio p/q is constant there."""
    supports = (p.support, q.support)
    if not all(isinstance(s, sp.Interval) for s in supports):
        return None
    lower, upper = sp.Max(*(s.inf for s in supports)), sp.Min(*(s.sup for s in supports))
    masses = []
    for family in (p, q):
        mass = [cdf(family, end) for end in (upper, lower)]
        if any(m is None for m in mass):
            return None
        masses.append(mass[0] - mass[1])
    value = 1 - sp.Min(*(canonical(m) for m in masses))
    if (upper - lower).is_positive:
        return value
    return sp.Piecewise((value, lower < upper), (sp.S.One, True))


def _finite_sum(p, q):
    """(½ Σ |p_k − q_k| over supp p ∪ supp q, True) for finite supports of numbers (or the
    counts of a multinomial), else None."""
    masses = point_masses(p, q, _MOST_POINTS)
    if masses is None:
        return None
    return sp.Add(*(sp.Abs(a - b) for a, b in masses)) / 2, True


def _table_sum(p, q):
    """(½ Σ_k |p_k − q_k|, closed) over one support of symbolic size: closed when each term
    is an entry of a parameter table (Categorical), as Σ p_k log p_k is; else None."""
    if p.support != q.support or not isinstance(p.support, sp.Range):
        return None
    k = sp.Symbol("k", integer=True, nonnegative=bool(p.support.inf.is_nonnegative))
    term = sp.Abs(sp.exp(p.log_density(k)) - sp.exp(q.log_density(k)))
    return sp.Sum(term, (k, p.support.inf, p.support.sup)) / 2, term.has(sp.Indexed)


def _sum_to_crossing(p, q, x, steps, deadline):
    """|Σ_{k=lo}^{⌊r⌋} (p_k − q_k)| on a common integer support where log p − log q is
    linear in k with root r; None otherwise."""
    from .derive import Step
    if p.support != q.support or not isinstance(p.support, sp.Range):
        return None
    k = sp.Symbol("k", integer=True, nonnegative=bool(p.support.inf.is_nonnegative))
    d = sp.expand(sp.expand_log(sp.combsimp(p.log_density(k) - q.log_density(k)), force=True))
    if not d.is_polynomial(k) or sp.degree(d, k) != 1:
        return None
    c0, c1 = sp.Poly(d, k).all_coeffs()[::-1]
    root = -c0 / c1
    term = sp.exp(p.log_density(k)) - sp.exp(q.log_density(k))
    partial = sp.Sum(term, (k, p.support.inf, sp.floor(root)))
    try:
        done = within(max(min(deadline - clock(), share(5.0)), 0.1), partial.doit)
        partial = done if not done.has(sp.Sum) else partial
    except OutOfTime:
        pass
    steps.append(Step("the crossing", sp.Eq(sp.Symbol("k^*"), root, evaluate=False)))
    return sp.Piecewise((sp.Abs(partial), _solved(sp.Ne(c1, 0))), (sp.S.Zero, True)), True


def _unevaluated(p, q, x, lhs, steps, why) -> Crossings:
    """1 − ∫ min(p, q) over the common support, left as it is."""
    from .derive import Step
    if isinstance(x, sp.Symbol) and all(isinstance(d.support, (sp.Interval, sp.Range))
                                        for d in (p, q)):
        lower = sp.Max(p.support.inf, q.support.inf)
        upper = sp.Min(p.support.sup, q.support.sup)
        integrand = sp.Min(sp.exp(p.log_density(x)), sp.exp(q.log_density(x)))
        integral = (sp.Sum if p.discrete else sp.Integral)(integrand, (x, lower, upper))
        value = 1 - integral
    else:
        value = notation.TotalVariation(notation.P, notation.Q)
    steps.append(Step(f"not in closed form ({why})", sp.Eq(lhs, value, evaluate=False)))
    return Crossings(value, tuple(steps), False, None)

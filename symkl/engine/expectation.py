"""E_p[t(X)] by rules, most specific first.

1. what the family declares it knows (Laplace: E|X − c|; Cauchy: E log((X − c)² + d²));

for random vectors, then

* E[bᵀX] = bᵀm and E[XᵀAX] = tr(AC) + mᵀAm from the mean m and covariance C
  (any polynomial of degree ≤ 2 in the coordinates);
* a sum over the coordinates, Σ_i c(i)·t(X_i), term by term, each E[t(X_i)]
  from the log-partition's derivative in the coordinate's parameters θ_i
  (Dirichlet: E[log X_i] = ψ(α_i) − ψ(α₀)) or from the marginal of X_i;
* a statistic of one coordinate X_i from the distribution of X_i alone;
* exponential family, as for scalars (below);

and for scalars

2. exponential family: E[T(X)] = ∇A(η) from the log-partition, and moments of
   products of the sufficient statistics from its derivatives;
3. the moment generating function: E[e^{tX}] = M(t), E[Xⁿ] from its series;
4. the power moments E[X^s]: E[X^s] itself, E[(log X)ⁿ] as its derivatives at 0;
5. E|X − c| from the mean and one integral up to c;
6. series of the declared moments: E[log(1 − X)] = −Σ E[X^m]/m on [0, 1], and
   E[log Q(X)], Q quadratic with a complex root z, as a pFq in 1/z (X bounded) or in z
   (X bounded away from 0);
7. a density c·e^{rx} on each piece of its support (:mod:`symkl.engine.linear_pieces`):
   E[log(c₀ + Ae^{kX})] in ₂F₁ or Li₂, E[(log X)^m] in pFp, E[X^s] in ₁F₁, E[e^{kX}];
8. discrete supports: the exact sum, or a ``Sum`` (evaluated if sympy can);
9. ``sympy.integrate`` over the support, under a time budget (a nonnegative
   integrand that does not converge gives ∞);
10. otherwise the honest unevaluated integral or sum.

Each rule answers ``None`` when it does not apply.  ``expectation`` returns
the value and the name of the rule that gave it, for the derivation.
"""
from __future__ import annotations

import functools
from typing import NamedTuple

import sympy as sp

from .budget import OutOfTime, clock, share, within
from .decompose import coordinates, decompose
from ..families.patterns import log_quadratic, shift
from ..notation import P, Expectation, Label

#: rule names that mean the value is not in closed form
UNEVALUATED = "not in closed form"


class NaturalForm:
    """A family written as an exponential family: log p = η(θ)·T(x) − A(θ) + log h(x).

    Nothing is declared: the statistics whose coefficients depend on the
    parameters θ are T, their coefficients η, the parameter-only part −A.
    With as many statistics as parameters and an invertible Jacobian
    J = ∂η/∂θ, the chain rule turns ∂A/∂θ = J·E[T] into the means, and
    ∂E[g]/∂θ = J·Cov(T, g) into the moments E[T_k·g].

    >>> from symkl import Exponential
    >>> form = NaturalForm.of(Exponential("lam"))
    >>> form.mean(form.variable**2)
    2/lam**2
    """

    def __init__(self, family, statistics, natural_parameters, log_partition, theta):
        self.family = family
        self.variable = family.variable()
        self.theta = theta
        #: the sufficient statistics T(x), their natural parameters η(θ), and the
        #: log-partition A(θ) (with the base measure's constant: log p = η·T − A + log h)
        self.statistics = statistics
        self.natural_parameters = tuple(natural_parameters)
        self.log_partition = log_partition
        jacobian = sp.Matrix(len(theta), len(statistics),
                             lambda j, k: sp.diff(natural_parameters[k], theta[j]))
        self.inverse_jacobian = jacobian.inv().applyfunc(sp.cancel)
        gradient = sp.Matrix([sp.diff(log_partition, t) for t in theta])
        means = (self.inverse_jacobian * gradient).applyfunc(sp.cancel)
        self._means = dict(zip(statistics, means))

    @staticmethod
    @functools.lru_cache(maxsize=None)
    def of(family) -> "NaturalForm | None":
        """The natural form of ``family`` (with Symbols for parameters), or None."""
        parameters = family.parameter_symbols
        if not parameters or not all(isinstance(t, sp.Symbol) for t in parameters):
            return None
        x = family.variable()
        terms = decompose(family.log_density(x), x)
        statistics = [t for t in terms if t != 1 and terms[t].free_symbols & parameters]
        if any(t.free_symbols & parameters for t in terms):
            return None  # a statistic that moves with the parameters (Weibull's x^k)
        theta = sorted(set().union(*(terms[t].free_symbols for t in statistics)) & parameters,
                       key=sp.default_sort_key)
        if not statistics or len(statistics) != len(theta):
            return None
        natural = [terms[t] for t in statistics]
        jacobian_det = sp.Matrix(len(theta), len(theta),
                                 lambda j, k: sp.diff(natural[k], theta[j])).det()
        if sp.cancel(jacobian_det) == 0:
            return None
        return NaturalForm(family, statistics, natural, -terms.get(1, 0), theta)

    @functools.cached_property
    def log_partition_in_natural_parameters(self) -> "tuple[tuple[sp.Symbol, ...], sp.Expr] | None":
        """(η₁, …, η_k) and A as a function of them, or None where sympy cannot invert η(θ).

        θ(η) is the solution of η = η(θ) that gives back a valid θ at a drawn point.
        The gradient of A(η) is the mean of the statistics, E[T] = ∇A(η).

        >>> from symkl import Normal
        >>> eta, A = NaturalForm.of(Normal("mu", "sigma")).log_partition_in_natural_parameters
        >>> eta
        (eta_1, eta_2)
        >>> A
        log(-1/eta_1)/2 + log(pi)/2 - eta_2**2/(4*eta_1)
        """
        import random
        eta = tuple(sp.Symbol(f"eta_{k + 1}", real=True) for k in range(len(self.theta)))
        try:
            solutions = sp.solve([e - n for e, n in zip(eta, self.natural_parameters)],
                                 self.theta, dict=True)
        except (NotImplementedError, ValueError):
            return None
        drawn = self.family.sample(random.Random(0))
        at = {n: sp.sympify(e).xreplace(drawn) for n, e in zip(eta, self.natural_parameters)}
        for solution in solutions:
            if set(solution) != set(self.theta):
                continue
            if all(sp.N(solution[t].xreplace(at) - drawn[t], 30) == 0
                   or abs(sp.N(solution[t].xreplace(at) - drawn[t], 30)) < sp.Float(1, 30) * 10 ** -25
                   for t in self.theta):
                value = self.log_partition.xreplace(solution)
                simpler = sp.simplify(value)
                return eta, simpler if sp.count_ops(simpler) <= sp.count_ops(value) else value
        return None

    @functools.lru_cache(maxsize=None)
    def mean(self, statistic):
        """E[statistic] if it is a product of sufficient statistics, else None."""
        if not statistic.has(*coordinates(self.variable)):
            return statistic
        if statistic in self._means:
            return self._means[statistic]
        for k, t in enumerate(self.statistics):
            rest = sp.cancel(statistic / t)
            if _degree(rest, self.variable) >= _degree(statistic, self.variable):
                continue
            rest_mean = self.mean(rest)
            if rest_mean is None:
                continue
            gradient = sp.Matrix([sp.diff(rest_mean, th) for th in self.theta])
            covariance = (self.inverse_jacobian[k, :] * gradient)[0]
            return sp.factor_terms(sp.cancel(self._means[t] * rest_mean + covariance))
        return None


def _degree(expr, x) -> int:
    """Total power of the x-dependent factors of a product (∞ if not a product of powers)."""
    degree = 0
    for base, exponent in expr.as_powers_dict().items():
        if base.has(*coordinates(x)):
            if not (exponent.is_Integer and exponent > 0):
                return 10 ** 9
            degree += int(exponent)
    return degree


def _declared(p, statistic, x, deadline):
    return p.expectation(statistic, x)


def _from_moments(p, statistic, x, deadline):
    """E of a polynomial of degree ≤ 2 in X from the mean m and the covariance C."""
    moments = p.moments()
    if moments is None:
        return None
    mean, covariance = moments
    if isinstance(x, sp.MatrixSymbol):
        return _trace_mean(statistic, x, mean, covariance)
    if not statistic.is_polynomial(*x):
        return None
    polynomial = sp.Poly(statistic, *x)
    if polynomial.total_degree() > 2:
        return None
    value = sp.S.Zero
    for powers, coefficient in polynomial.terms():
        which = [i for i, n in enumerate(powers) for _ in range(n)]
        if len(which) == 2:
            i, j = which
            value += coefficient * (covariance[i, j] + mean[i] * mean[j])
        else:
            value += coefficient * (mean[which[0]] if which else 1)
    return value


def _trace_mean(statistic, x, mean, covariance):
    """E tr(M) for a product M holding x (linear) or xᵀ·A·x (a quadratic form)."""
    if not isinstance(statistic, sp.Trace):
        return None
    product = statistic.arg
    factors = list(product.args) if isinstance(product, sp.MatMul) else [product]
    places = [k for k, f in enumerate(factors) if f.has(x)]
    if any(f not in (x, x.T) for f in (factors[k] for k in places)):
        return None
    if len(places) == 1:
        return sp.Trace(product.xreplace({x: mean}))
    if len(places) != 2 or x.T not in factors:
        return None
    start = factors.index(x.T)
    turned = factors[start:] + factors[:start]  # tr is cyclic: xᵀ·A·x
    if turned[-1] != x:
        return None
    middle = sp.MatMul(*turned[1:-1]) if len(turned) > 2 else sp.Identity(x.shape[0])
    return sp.Trace(middle * covariance) + sp.Trace(mean.T * middle * mean)


def _over_coordinates(p, statistic, x, deadline):
    """E[Σ_i c(i)·t(X_i)] = Σ_i c(i)·E[t(X_i)], each from the coordinate's marginal."""
    if not (isinstance(statistic, sp.Sum) and isinstance(x, sp.IndexedBase)):
        return None
    index = statistic.limits[0][0]
    total = sp.S.Zero
    for t, c in decompose(statistic.function, x).items():
        mean = t if t == 1 else _coordinate_mean(p, t, x[index], index, deadline)
        if mean is None:
            return None
        total += c * mean
    return sp.Sum(total, *statistic.limits)


def _from_marginal(p, statistic, x, deadline):
    """E[t(X_i)] for a statistic of one coordinate, from the distribution of X_i alone."""
    if not isinstance(x, sp.MatrixBase):
        return None
    used = [i for i, coordinate in enumerate(x, 1) if statistic.has(coordinate)]
    if len(used) != 1:
        return None
    return _coordinate_mean(p, statistic, x[used[0] - 1], used[0], deadline)


def _coordinate_mean(p, statistic, coordinate, i, deadline):
    if isinstance(coordinate, sp.Indexed):
        value = _indexed_log_partition(p, statistic.xreplace({coordinate: _AT_INDEX}))
        if value is not None:
            return value.xreplace({_INDEX: i})
    marginal = p.marginal(i)
    if marginal is None:
        return None
    twin, mapping = marginal.generic("coordinate")
    y = twin.variable()
    found = expectation(twin, statistic.xreplace({coordinate: y}), y, deadline)
    if found.rule == UNEVALUATED and not _over_finitely_many(found.value):
        return None
    return _apart_from(found.value.xreplace(mapping), i)


def _apart_from(value, index):
    """``value`` with the variables of its sums renamed k where they read as the coordinate's
    index (Σ_{k=0}^{n} inside Σ_{i=1}^{K}, not two sums over i)."""
    if not isinstance(index, sp.Symbol):
        return value
    def renamed(total):
        (v, lower, upper), *rest = total.limits
        if v.name != index.name:
            return total
        k = sp.Symbol("k", **v.assumptions0)
        return sp.Sum(total.function.xreplace({v: k}), (k, lower, upper), *rest)
    return value.replace(lambda e: isinstance(e, sp.Sum), renamed)


def _over_finitely_many(value) -> bool:
    """A sum over finitely many points (a binomial count's Σ_{k=0}^{n}), exact as it stands."""
    return isinstance(value, sp.Sum) and all(upper.is_finite for _, _, upper in value.limits)


_INDEX = sp.Dummy("m", integer=True, positive=True)
_AT_INDEX = sp.Dummy("x_m")


def _indexed_log_partition(p, statistic):
    """E[T(X_m)] = (∂η/∂θ_m)⁻¹·∂A/∂θ_m for a family whose log-density is Σ_i η(θ_i)·T(x[i]) − A(θ) + …

    θ_m are the indexed parameters at coordinate m; A may couple the
    coordinates (the Dirichlet's log Γ(Σ_j α_j)): its derivative is taken
    as a sum over j with Kronecker deltas, on 1 ≤ m ≤ n.
    """
    means = _coordinate_means(p)
    return None if means is None else means.get(statistic)


@functools.lru_cache(maxsize=None)
def _coordinate_means(p):
    """{T(x_m): E[T(X_m)]} for the statistics of one coordinate, or None."""
    x = p.variable()
    terms = decompose(p.log_density(x), x)
    sums = [t for t in terms if isinstance(t, sp.Sum)]
    if not sums or len({s.limits for s in sums}) != 1:
        return None
    (index, lower, upper), = sums[0].limits
    natural = {}
    for s in sums:
        for t, c in decompose(s.function, x).items():
            if t != 1:
                natural[t.xreplace({x[index]: _AT_INDEX})] = c.xreplace({index: _INDEX})
    theta = sorted({a for c in natural.values() for a in c.atoms(sp.Indexed)
                    if a.indices == (_INDEX,) and a.base in p.parameter_symbols}, key=sp.default_sort_key)
    if not theta or len(theta) != len(natural):
        return None
    statistics = list(natural)
    jacobian = sp.Matrix(len(theta), len(theta), lambda j, k: sp.diff(natural[statistics[k]], theta[j]))
    if jacobian.det() == 0:
        return None
    in_range = sp.Q.ge(_INDEX, lower) & sp.Q.le(_INDEX, upper)
    log_partition = -terms.get(1, 0)
    gradient = sp.Matrix([sp.refine(sp.diff(log_partition, t).doit(), in_range) for t in theta])
    if gradient.has(sp.Piecewise, sp.KroneckerDelta):
        return None
    means = (jacobian.inv() * gradient).applyfunc(sp.simplify)
    return dict(zip(statistics, means))


def _exponential_family(p, statistic, x, deadline):
    form = NaturalForm.of(p)
    return None if form is None else form.mean(statistic.xreplace({x: form.variable}))


def _power_of_x(statistic, x):
    """n for a statistic x**n (n free of x), else None."""
    if statistic == x:
        return sp.Integer(1)
    if statistic.is_Pow and statistic.base == x and not statistic.exp.has(x):
        return statistic.exp
    return None


def _from_mgf(p, statistic, x, deadline):
    """E[e^{tX}] = M(t); E[X^n] = n!·[tⁿ] M(t)."""
    t = sp.Dummy("t")
    generating = p.mgf(t)
    if generating is None:
        return None
    if isinstance(statistic, sp.exp) and statistic.args[0].is_polynomial(x) \
            and sp.degree(statistic.args[0], x) == 1:
        rate = sp.diff(statistic.args[0], x)
        return generating.subs(t, rate) * sp.exp(statistic.args[0].subs(x, 0))
    n = _power_of_x(statistic, x)
    if n is None or not (n.is_Integer and n > 0):
        return None
    if isinstance(generating, sp.Piecewise) and isinstance(generating.args[0][1], sp.Eq):
        return None  # M is finite on one side of t = 0 only (Pareto): it has no series there
    near_zero = generating.args[0][0] if isinstance(generating, sp.Piecewise) else generating
    series = within(_remaining(deadline), lambda: sp.series(near_zero, t, 0, int(n) + 1).removeO())
    return sp.factorial(n) * sp.expand(series).coeff(t, int(n))


def _by_the_log_series(p, statistic, x, deadline):
    """E[log(1 − X)] = −Σ_{m≥1} E[X^m]/m for X on [0, 1] with moments E[X^s] declared: the
    series of log(1 − x), whose terms all have one sign, summed under the expectation
    (Tonelli) — Nalisnick & Smyth's series for a Kumaraswamy."""
    support = p.support
    if p.discrete or statistic != sp.log(1 - x) or not isinstance(support, sp.Interval) \
            or not support.inf.is_nonnegative or support.sup != 1:
        return None
    s = sp.Dummy("s")
    moment = p.power_moment(s)
    if moment is None:
        return None
    m = sp.Symbol("m", integer=True, positive=True)
    term = moment.subs(s, m)
    if term.has(sp.Piecewise, sp.oo):  # E[X^m] finite for m ≥ 1 on [0, 1]: the pieces decide
        return None
    return -sp.Sum(term / m, (m, 1, sp.oo))


def hypergeometric_series(term, m):
    """Σ_{m≥1} term as c·pFq(a; b; z), where term_{m+1}/term_m is rational in m; None
    otherwise.  The pFq is left as it is (not expanded into Lerch Φ and logarithms), so
    that its principal branch continues the series beyond its disc.

    >>> m = sp.Symbol("m", integer=True, positive=True)
    >>> a, w = sp.Symbol("a", positive=True), sp.Symbol("w")
    >>> hypergeometric_series(a / (a + m) * w**m / m, m)
    a*w*hyper((1, 1, a + 1), (2, a + 2), w)/(a + 1)
    """
    n = sp.Dummy("n", integer=True, nonnegative=True)
    first = term.xreplace({m: n + 1})
    ratio = sp.factor(sp.combsimp(sp.gammasimp(first.xreplace({n: n + 1}) / first)))
    numerator, denominator = sp.fraction(ratio)
    if not (numerator.is_polynomial(n) and denominator.is_polynomial(n)):
        return None
    roots = []
    for polynomial in (numerator, denominator):
        polynomial = sp.Poly(polynomial, n)
        found = sp.roots(polynomial)
        if sum(found.values()) != polynomial.degree():
            return None
        roots.append(([-r for r, k in found.items() for _ in range(k)], polynomial.LC()))
    (upper, leading_numerator), (lower, leading_denominator) = roots
    if 1 in lower:  # the n! of pFq's terms
        lower.remove(1)
    else:
        upper.append(sp.Integer(1))
    start = first.xreplace({n: 0})
    if start.has(sp.nan, sp.zoo) or start.is_finite is False:
        return None
    return start * sp.hyper(upper, lower, sp.cancel(leading_numerator / leading_denominator))


def _log_quadratic_by_moments(p, statistic, x, deadline):
    """E log Q(X) for Q = a·((x − c)² + d²) with no real root, z = c + id, from p's declared
    moments E[X^s], on a support [0, L] or [L, ∞) with L > 0:
    log|X − z| = log|z| + Re log(1 − X/z), or log X + Re log(1 − z/X), and the series of
    log(1 − u) summed under the expectation into a pFq in 1/z or z.  E log(1 − X/z), as a
    function of 1/z, is analytic off the ray where X/z ∈ [1, ∞), which X never reaches as
    z is not real; the pFq's principal branch is analytic off the same ray, and they agree
    near 0, so the pFq is the value wherever its series diverges as well."""
    shape = log_quadratic(statistic, x)
    support = p.support
    if shape is None or p.discrete or not isinstance(support, sp.Interval):
        return None
    a, c, d2 = shape
    if not (a.is_positive and d2.is_positive and support.inf.is_nonnegative):
        return None
    s = sp.Dummy("s")
    moment = p.power_moment(s)
    if moment is None:
        return None
    z = c + sp.I * sp.sqrt(d2)
    m = sp.Symbol("m", integer=True, positive=True)
    if support.sup.is_finite:  # log|X − z|² = log|z|² + 2 Re log(1 − X/z)
        term, outside = moment.xreplace({s: m}) * z ** -m / m, sp.log(c ** 2 + d2)
    elif support.inf.is_positive:  # log|X − z|² = 2 log X + 2 Re log(1 − z/X)
        log_x = expectation(p, sp.log(x), x, deadline)
        if log_x.rule == UNEVALUATED:
            return None
        term, outside = moment.xreplace({s: -m}) * z ** m / m, 2 * log_x.value
    else:
        return None
    term = sp.piecewise_fold(term)
    if isinstance(term, sp.Piecewise):  # E[X^{±m}] finite for every m ≥ 1, or no series
        term = next((v for v, held in term.args if held == sp.true), None)
        if term is None or term.has(sp.oo):
            return None
    series = hypergeometric_series(term, m)
    if series is None or series.has(sp.Piecewise) or any(
            len(h.ap) > len(h.bq) + 1 for h in series.atoms(sp.hyper)):
        return None  # (a pFq with p > q + 1 has no disc of convergence)
    return sp.log(a) + outside - 2 * sp.re(series)


def log_series_remainder(p, statistic, x, terms):
    """A bound on the remainder of :func:`_by_the_log_series` after ``terms`` terms,
    Σ_{m>M} E[X^m]/m ≤ C Σ_{m>M} m^{−1−b} ≤ C M^{−b}/b, from p's declared
    E[X^m] ≤ C m^{−b}; None without one.

    >>> from symkl import Kumaraswamy
    >>> x = sp.Symbol("x", real=True)
    >>> log_series_remainder(Kumaraswamy(2, 3), sp.log(1 - x), x, 10)
    2/125
    """
    envelope = p.power_moment_envelope() if statistic == sp.log(1 - x) else None
    if envelope is None:
        return None
    C, b = envelope
    return C * terms ** -b / b


def _from_power_moment(p, statistic, x, deadline):
    """E[X^s] from the Mellin transform; E[(log X)^n] as its n-th derivative at s = 0."""
    s = sp.Dummy("s")
    moment = p.power_moment(s)
    if moment is None and not p.discrete and p.support.inf.is_nonnegative and statistic.has(sp.log):
        moment = _integrated_power_moment(p, x, s, deadline)
    if moment is None:
        return None
    power = _power_of_x(statistic, x)
    if power is not None:
        return moment.subs(s, power)
    if statistic == sp.log(x):
        n = 1
    elif statistic.is_Pow and statistic.base == sp.log(x) and statistic.exp.is_Integer \
            and statistic.exp > 0:
        n = int(statistic.exp)
    else:
        return None
    derivative = sp.diff(moment, s, n)
    if derivative.has(sp.Derivative):  # ∂K_ν/∂ν and the like: no closed form by this rule
        return None
    value = derivative.subs(s, 0)
    return sp.limit(derivative, s, 0) if value.has(sp.nan, sp.zoo) else value


_POWER_MOMENTS: dict = {}


def _integrated_power_moment(p, x, s, deadline):
    """E[X^s] near s = 0 by sympy's integral for a family on (0, ∞) that declares none (a
    density a user wrote), for the E[(log X)^n] it gives; cached by content, None when
    sympy finds no closed form."""
    key = p.content()
    if key not in _POWER_MOMENTS:
        t = sp.Dummy("t", real=True)
        try:
            value = within(min(_remaining(deadline), share(_MOST_PER_INTEGRAL)), lambda: sp.Integral(
                density(p, x) * x ** t, (x, p.support.inf, p.support.sup)).doit(conds="piecewise"))
        except OutOfTime:
            return None  # not cached: with more time it may be found
        except (NotImplementedError, ValueError, TypeError, AttributeError):
            value = None
        if isinstance(value, sp.Piecewise):  # the branch that holds near t = 0
            value = next((v for v, c in value.args if c.xreplace({t: 0}) == sp.true), None)
        if value is not None and (value.has(sp.Integral) or value.xreplace({t: 0}).has(sp.nan)):
            value = None
        _POWER_MOMENTS[key] = None if value is None else (t, sp.powsimp(value, force=True))
    found = _POWER_MOMENTS[key]
    return None if found is None else found[1].xreplace({found[0]: s})


def _mean_absolute_deviation(p, statistic, x, deadline):
    """E|X − c| = E[X] − c + 2∫_{lo}^{c} (c − x) p(x) dx, cases on where c lies; the
    integral from the CDF where p declares one (:func:`_below`)."""
    c = shift(statistic.args[0], x) if isinstance(statistic, sp.Abs) and not p.discrete else None
    if c is None:
        return None
    mean, rule, _ = expectation(p, x, x, deadline)
    if rule == UNEVALUATED:
        return None
    lower, upper = p.support.inf, p.support.sup
    below = _below(p, c, x, deadline)
    if below is None:
        return None
    inside = _where_finite(mean, lambda m, where=sp.true: m - c + 2 * _granted(below, where))
    cases = [(inside, sp.And(c > lower, c < upper))]
    if lower.is_finite:
        cases.insert(0, (_where_finite(mean, lambda m, *_: m - c), c <= lower))
    if upper.is_finite:
        cases.insert(0, (_where_finite(mean, lambda m, *_: c - m), c >= upper))
    return sp.Piecewise(*cases) if len(cases) > 1 else inside


def _where_finite(mean, f):
    """f(E[X], where) on each branch of a (piecewise) mean, ``where`` its condition, and ∞
    where E[X] is infinite (E|X − c| ≥ |E[X] − c|), so that no ∞ − ∞ is ever formed."""
    if isinstance(mean, sp.Piecewise):
        return sp.Piecewise(*((sp.oo if m.is_infinite else f(m, condition), condition)
                              for m, condition in mean.args))
    return sp.oo if mean.is_infinite else f(mean)


def _below(p, c, x, deadline):
    """∫_{lo}^{c} (c − x) p(x) dx: c F(c) − ∫_{lo}^{c} x p(x) dx where p declares its CDF F
    and the partial mean is found (:func:`_partial_mean`), else sympy's integral."""
    cdf = p.cdf(c)
    if cdf is not None:
        partial = _partial_mean(p, c, x, deadline)
        if isinstance(partial, sp.Piecewise):  # −∞ where the mean diverges: ∞ here
            return sp.Piecewise(*((sp.oo if v == -sp.oo else c * cdf - v, w) for v, w in partial.args))
        if partial is not None:
            return c * cdf - partial
    return _integrate((c - x) * density(p, x), (x, p.support.inf, c), deadline)


def _partial_mean(p, c, x, deadline):
    """∫_{lo}^{c} x p(x) dx.  On (0, ∞) or within it, x p(x) may be E[X] times the density
    of p's own family at θ* (the size-biased law: Gamma(α + 1, β) for Gamma(α, β)), found
    as the power integral finds a normaliser; then it is E[X] F(c; θ*), for θ* valid (where
    E[X] is finite), a Piecewise with sympy's integral elsewhere.  Otherwise sympy's
    integral; None where neither is found."""
    from .power import _as_normaliser, _recognisers, as_powers
    value = _up_to_by_a_quadratic(p, c, x)
    if value is None and p.support.inf == -sp.oo:
        value = _up_to_by_an_exponential(p, c, x)
    if value is not None:
        return value
    if p.support.inf == 0:
        value = _up_to_by_a_power(sp.log(x) + p.log_density(x), x, c)
        if value is None and p.support.sup == 1:
            value = _up_to_by_a_beta_power(sp.log(x) + p.log_density(x), x, c)
        if value is None:
            value = _up_to_by_a_half_power(sp.log(x) + p.log_density(x), x, c)
        if value is not None:
            return value
    twins = _recognisers(p, p) if p.support.inf.is_nonnegative else []
    found = twins and _as_normaliser(twins[0], sp.log(x) + p.log_density(x), x, deadline, None)
    if found:
        twin, (log_mean, solution, condition) = twins[0], found
        cdf = twin.cdf(c)
        if cdf is not None:
            value = sp.gammasimp(as_powers(sp.exp(log_mean))) * cdf.xreplace({e.lhs: e.rhs for e in solution})
            if condition == sp.true:
                return value
            # beyond θ*'s space E[X] = ∞, and so is E|X − c|, whatever the integral there
            return sp.Piecewise((value, condition),
                                (sp.Integral(x * density(p, x), (x, p.support.inf, c)), True))
    return _integrate(x * density(p, x), (x, p.support.inf, c), deadline)


def _up_to_by_a_power(exponent, x, c):
    """∫_0^c e^{exponent} dx for an exponent b + s·log x + r·x^k (r < 0): with u = x^k it
    is e^b |k|⁻¹ (−r)^{−a} γ(a, −r c^k), a = (s + 1)/k > 0, for k > 0, and the upper
    Γ(a, −r c^k) in its place for k < 0 (u runs from c^k to ∞); None for another shape or
    where r < 0 (and a > 0 for k > 0) cannot be shown.

    >>> x, c = sp.Symbol("x", positive=True), sp.Symbol("c", positive=True)
    >>> _up_to_by_a_power(sp.log(x) - x, x, c)  # ∫_0^c x e^{−x} dx = γ(2, c)
    -(c + 1)*exp(-c) + 1
    """
    from .power import _powers, as_powers
    terms = decompose(exponent, x)
    powers = _powers(terms, x)
    if powers is None or len(powers) != 1:
        return None
    (k, rate), = powers.items()
    a = sp.cancel((terms.get(sp.log(x), 0) + 1) / k)
    if not (-rate).is_positive:
        return None
    if k.is_positive and a.is_positive:
        incomplete = sp.lowergamma(a, -rate * c ** k)
    elif k.is_negative:
        incomplete = sp.uppergamma(a, -rate * c ** k)
    else:
        return None
    return sp.powsimp(as_powers(sp.exp(terms.get(1, 0)) * (-rate) ** (-a)), force=True) \
        / sp.Abs(k) * incomplete


def _up_to_by_a_beta_power(exponent, x, c):
    """∫_0^c e^{exponent} dx, 0 < c < 1, for an exponent b + s·log x + t·log(1 − x^k): with
    u = x^k it is e^b/|k| ∫_0^{c^k} u^{a−1}(1 − u)^t du, a = (s + 1)/k > 0, the incomplete
    Beta function c^{ka} ₂F₁(a, −t; a + 1; c^k)/a (a Kumaraswamy; a Beta at k = 1).  None
    for another shape.

    >>> x, c = sp.Symbol("x", positive=True), sp.Symbol("c", positive=True)
    >>> value = _up_to_by_a_beta_power(sp.log(x) + sp.log(1 - x**2), x, c)  # ∫_0^c x(1 − x²) dx
    >>> value, sp.expand(value)
    (c**2*(1 - c**2/2)/2, -c**4/4 + c**2/2)
    """
    from .power import as_powers
    terms = decompose(exponent, x)
    others = [s for s in terms if s not in (1, sp.log(x))]
    if len(others) != 1 or not isinstance(others[0], sp.log):
        return None
    base, k = (1 - others[0].args[0]).as_base_exp()
    if base != x or k.has(x) or not k.is_positive:
        return None
    a, t = sp.cancel((terms.get(sp.log(x), 0) + 1) / k), terms[others[0]]
    if not a.is_positive:
        return None
    scale = sp.powsimp(as_powers(sp.exp(terms.get(1, 0))), force=True) / k
    return scale * incomplete_beta(c ** k, a - 1, t)


def incomplete_beta(z, s, t):
    """∫_0^z u^s (1 − u)^t du = z^{s+1} ₂F₁(s + 1, −t; s + 2; z)/(s + 1), for s > −1, 0 ≤ z ≤ 1;
    for a whole t ≥ 0 the series ends, and it is written as the polynomial it is.

    >>> z, s = sp.Symbol("z", positive=True), sp.Symbol("s", positive=True)
    >>> incomplete_beta(z, s, 0), incomplete_beta(z, 0, 0)
    (z**(s + 1)/(s + 1), z)
    """
    t = sp.sympify(t)
    series = sp.hyper((s + 1, -t), (s + 2,), z)
    if t.is_Integer and t >= 0:
        series = sp.hyperexpand(series)
    return z ** (s + 1) * series / (s + 1)


def _up_to_by_a_half_power(exponent, x, c):
    """∫_0^c e^{exponent} dx for an exponent b − ½ log x − ρx − θ/x (ρ, θ > 0: the
    partial mean of an inverse Gaussian): with r = √(ρθ), it is
    ½ e^b √(π/ρ) (e^{−2r} erfc(√(θ/c) − √(ρc)) − e^{2r} erfc(√(θ/c) + √(ρc))), the
    derivative in c of which is the integrand.  None for another shape.

    >>> x, c = sp.Symbol("x", positive=True), sp.Symbol("c", positive=True)
    >>> value = _up_to_by_a_half_power(-sp.log(x) / 2 - x - 1 / x, x, c)
    >>> sp.simplify(sp.diff(value, c) - sp.exp(-c - 1 / c) / sp.sqrt(c))
    0
    """
    from .power import as_powers
    terms = decompose(exponent, x)
    if set(terms) - {1} != {sp.log(x), x, 1 / x} or terms[sp.log(x)] != -sp.S.Half:
        return None
    rho, theta = -terms[x], -terms[1 / x]
    if not (rho.is_positive and theta.is_positive):
        return None
    r, scale = sp.sqrt(rho * theta), sp.powsimp(as_powers(sp.exp(terms.get(1, 0))), force=True)
    inner, outer = sp.sqrt(theta / c), sp.sqrt(rho * c)
    return scale * sp.sqrt(sp.pi / rho) / 2 * (sp.exp(-2 * r) * sp.erfc(inner - outer)
                                               - sp.exp(2 * r) * sp.erfc(inner + outer))


def _up_to_by_a_quadratic(p, c, x):
    """∫_{lo}^{c} x p(x) dx for p(x) = e^{b} (a((x − m)² + d²))^{−h} (a t, a half-t), h > 1:
    x = (x − m) + m, and (x − m)(…)^{−h} has the antiderivative
    (a((x − m)² + d²))^{1−h}/(2a(1 − h)), so that it is m F(c) + e^{b}[that]_{lo}^{c}
    (0 at lo = −∞), F the declared CDF; a Piecewise with −∞ for h ≤ 1 where lo = −∞ (the
    mean diverges), the integral left as it is for h ≤ 1 above a finite end.  None for
    another shape.

    >>> from symkl import StudentT
    >>> x, c = sp.Symbol("x", real=True), sp.Symbol("c", real=True)
    >>> _up_to_by_a_quadratic(StudentT(3, 0, 1), c, x)  # ∫_{−∞}^c x t₃(x) dx
    -3*sqrt(3)/(pi*(c**2 + 3))
    """
    from .power import as_powers
    terms = decompose(p.log_density(x), x)
    if set(terms) - {1} and len(terms) == 2 and terms.get(1) is not None:
        (statistic, power), = ((s, v) for s, v in terms.items() if s != 1)
    else:
        return None
    quadratic = log_quadratic(statistic, x)
    cdf = p.cdf(c)
    if quadratic is None or cdf is None or power.has(x):
        return None
    a, m, _ = quadratic
    h = -power
    lower = p.support.inf
    antiderivative = lambda v: statistic.args[0].xreplace({x: v}) ** (1 - h) / (2 * a * (1 - h))
    scale = sp.powsimp(as_powers(sp.exp(terms[1])), force=True)
    at_lower = 0 if lower == -sp.oo else antiderivative(lower)
    value = m * cdf + scale * (antiderivative(c) - at_lower)
    if (h - 1).is_positive:
        return value
    beyond = -sp.oo if lower == -sp.oo else sp.Integral(x * density(p, x), (x, lower, c))
    return sp.Piecewise((value, h > 1), (beyond, True))


def _up_to_by_an_exponential(p, c, x):
    """∫_{−∞}^{c} x p(x) dx for p(x) = e^{b + r x + s e^{kx}}, s < 0, a = r/k > 0 (a Gumbel,
    a Moyal): with u = e^{kx}, p(x) dx = e^{b} u^{a−1} e^{−λu} du/|k| (λ = −s) and x = log u/k,
    and L(V) = ∫_0^V log u · u^{a−1} e^{−λu} du is the derivative in a of λ^{−a} γ(a, λV):
    λ^{−a}(log V · γ(a, λV) − (λV)^a ₂F₂(a, a; a + 1, a + 1; −λV)/a²), with
    L(∞) = λ^{−a} Γ(a)(ψ(a) − log λ); x < c is u < e^{kc} for k > 0, u > e^{kc} for k < 0.
    None for another shape.

    >>> from symkl import Gumbel
    >>> x, c = sp.Symbol("x", real=True), sp.Symbol("c", real=True)
    >>> value = _up_to_by_an_exponential(Gumbel(0, 1), c, x)  # ∫_{−∞}^c x e^{−x − e^{−x}} dx
    >>> sp.N(value.subs(c, 50), 15)  # nearly the whole mean, Euler's γ
    0.577215664901533
    """
    from .power import as_powers
    terms = decompose(p.log_density(x), x)
    exponentials = [s for s in terms if isinstance(s, sp.exp)]
    if set(terms) - {1} != {x, *exponentials} or len(exponentials) != 1:
        return None
    k = sp.cancel(exponentials[0].args[0] / x)
    if k.has(x) or not (k.is_positive or k.is_negative):
        return None
    rate, a = -terms[exponentials[0]], sp.cancel(terms[x] / k)
    if not (rate.is_positive and a.is_positive):
        return None
    V = sp.exp(k * c)

    def L(V):
        return rate ** (-a) * (sp.log(V) * sp.lowergamma(a, rate * V)
                               - (rate * V) ** a * sp.hyper((a, a), (a + 1, a + 1), -rate * V) / a ** 2)
    whole = rate ** (-a) * sp.gamma(a) * (sp.digamma(a) - sp.log(rate))
    scale = sp.powsimp(as_powers(sp.exp(terms.get(1, 0))), force=True) / k ** 2
    return scale * (L(V) if k.is_positive else -(whole - L(V)))


def _granted(value, where):
    """``value`` with each Piecewise whose first condition ``where`` implies (its
    conjuncts among those of ``where``) put as that first branch."""
    def conjuncts(condition):
        return {c.canonical if isinstance(c, sp.Rel) else c for c in sp.And.make_args(condition)}
    given = conjuncts(where)
    return value.replace(
        lambda e: isinstance(e, sp.Piecewise) and conjuncts(e.args[0][1]) <= given,
        lambda e: e.args[0][0])


def _on_linear_pieces(p, statistic, x, deadline):
    from .linear_pieces import expectation as on_pieces
    return on_pieces(p, statistic, x)


def _finite_sum(p, statistic, x, deadline):
    support = p.support
    if not (p.discrete and (isinstance(support, sp.FiniteSet) or _numeric_range(support))):
        return None
    symbolic = bool(p.free_symbols) or bool(statistic.free_symbols - {x})
    if len(support) > (_MOST_SYMBOLIC_TERMS if symbolic else _MOST_EXACT_TERMS):
        # a polynomial of degree 300 in p, or thousands of exact terms, is no closed form:
        # the Sum is left, to be evaluated for numbers
        return None
    at = _pointwise(statistic, x)
    return sp.Add(*(sp.exp(p.log_density(k)) * at(k) for k in support))


def _pointwise(statistic, x):
    """k ↦ statistic at x = k, with each Piecewise over x = 0, 1, … looked up, not re-evaluated
    (a Categorical's log-density has K pieces: K² comparisons otherwise)."""
    tables = {}
    for piecewise in statistic.atoms(sp.Piecewise):
        table = {}
        for value, condition in piecewise.args:
            points = _points_where(condition, x)
            if points is not None:
                for point in points:
                    table.setdefault(point, value)
                continue
            if condition != sp.true:
                table = None
                break
            table["otherwise"] = value
        if table is not None:
            tables[piecewise] = table
    if not tables:
        return lambda k: statistic.xreplace({x: k})
    return lambda k: statistic.xreplace(
        {pw: table.get(int(k), table.get("otherwise")) for pw, table in tables.items()}).xreplace({x: k})


def _points_where(condition, x):
    """The integers n for a condition x = n (or a disjunction of such), else None."""
    equalities = condition.args if isinstance(condition, sp.Or) else (condition,)
    points = []
    for equality in equalities:
        if not (isinstance(equality, sp.Eq) and x in equality.args):
            return None
        point = equality.rhs if equality.lhs == x else equality.lhs
        if not point.is_Integer:
            return None
        points.append(int(point))
    return points


def _numeric_range(support) -> bool:
    return isinstance(support, sp.Range) and support.inf.is_Integer and support.sup.is_Integer


def _symbolic_sum(p, statistic, x, deadline):
    """The sum over a support with a symbolic end: a closed form where sympy evaluates it,
    or where what is left is a sum over coordinates (Σ_i p_i log(p_i/q_i) for K symbolic)."""
    if not p.discrete or _numeric_range(p.support):
        return None  # a range of numbers is summed exactly, or left as it is if too long
    total = _integral(p, statistic, x)
    if not _over_coordinates_only(total):
        try:
            total = within(min(_remaining(deadline), share(_MOST_PER_INTEGRAL)), total.doit)
        except OutOfTime:
            return None
    if any(not _over_coordinates_only(s) for s in total.atoms(sp.Sum)):
        return None
    return total


def _over_coordinates_only(total) -> bool:
    """Whether a Sum runs over the entries of a table of parameters: its summand depends on
    its index only through indexed parameters p[i], or each of its terms is weighted by one
    (Σ_i p_i·log i!, the expectation under a Categorical written out, is as closed as
    Σ_i p_i log p_i; Σ_k C(n, k)·… over a Binomial's support is not)."""
    if not isinstance(total, sp.Sum):
        return False
    index = total.limits[0][0]
    entries = {a: sp.Dummy() for a in total.function.atoms(sp.Indexed) if a.has(index)}
    if not total.function.xreplace(entries).has(index):
        return True
    return bool(entries) and all(term.has(*entries.values()) for term in
                                 sp.Add.make_args(sp.expand(total.function.xreplace(entries))))


def density(p, x, log_density=None):
    """p's density (mass function) at x written as a textbook does: e^{c·log b} as b^c,
    e^{c·log Γ(a)} as Γ(a)^c, the other exponentials merged; from ``log_density`` where
    given (p's own, written another way).

    sympy integrates x_m^α·x^{−α−1} several times faster than e^{α log x_m − (α+1) log x},
    and prints it as it should.

    >>> from symkl import Pareto
    >>> density(Pareto("x_m", "alpha"), sp.Symbol("x", positive=True))
    alpha*x**(-alpha - 1)*x_m**alpha
    """
    factors = []
    for term in sp.Add.make_args(p.log_density(x) if log_density is None else log_density):
        coefficient, function = term.as_independent(sp.log, sp.loggamma, as_Add=False)
        if function.is_Add and function.is_number and all(isinstance(a.as_coeff_Mul()[1], sp.log)
                                                          for a in function.args):
            function = sp.log(sp.exp(function))  # (x − 1)(log 2 − log 3): the power (2/3)^(x − 1)
        if isinstance(function, sp.log):
            base = function.args[0]
            # (2/3)**5000 kept as a power: computed it has thousands of digits
            factors.append(sp.Pow(base, coefficient, evaluate=not (base.is_number and coefficient.is_number)))
        elif isinstance(function, sp.loggamma):
            factors.append(sp.gamma(function.args[0]) ** coefficient)
        else:
            factors.append(sp.exp(term))
    return sp.powsimp(sp.Mul(*factors), combine="exp")


def _integral(p, statistic, x):
    """The expectation left as it is: an Integral, or a Sum for a discrete p."""
    support = p.support
    if p.discrete:
        i = sp.Symbol("i", integer=True, nonnegative=True)
        return sp.Sum(density(p, i) * statistic.xreplace({x: i}),
                      (i, support.inf, support.sup))
    return sp.Integral(density(p, x) * statistic, (x, support.inf, support.sup))


def _remaining(deadline):
    return deadline - clock()


def _integrate(integrand, limits, deadline):
    """∫ integrand under the budget: a value, ∞ where a nonnegative integrand diverges, or None."""
    try:
        value = within(min(_remaining(deadline), share(_MOST_PER_INTEGRAL)),
                       lambda: sp.Integral(integrand, limits).doit(conds="piecewise"))
    except OutOfTime:
        return None
    if isinstance(value, sp.Piecewise) and value.args[-1][0].has(sp.Integral):
        if not integrand.is_nonnegative:
            return None
        value = sp.Piecewise(*value.args[:-1], (sp.oo, True))
    if value.has(sp.Integral) or value.has(sp.I):
        return None
    if not _plainly_infinite(value):
        # sympy's value holds an infinity inside an expression (oo·sign(…)): the integral
        # diverges; for a nonnegative integrand to +∞, otherwise the tails decide
        return sp.oo if integrand.is_nonnegative else None
    return value


def _plainly_infinite(value) -> bool:
    """Whether ``value`` is finite, ±∞, or a Piecewise each of whose values is one of these."""
    if isinstance(value, sp.Piecewise):
        return all(_plainly_infinite(piece) for piece, _ in value.args)
    return value in (sp.oo, -sp.oo) or not value.has(sp.oo, -sp.oo, sp.zoo)


def _integration(p, statistic, x, deadline):
    """∫ t·p over the support by sympy; on ℝ, for a density of x − μ alone (a location
    parameter μ), in the variable x − μ, where sympy integrates e^{−(x − μ)⁴}·x⁴ as it
    does e^{−y⁴}·(y + μ)⁴."""
    if p.discrete:
        return None
    limits = (x, p.support.inf, p.support.sup)
    location = _location(p, x) if p.support == sp.Reals else None
    value = None
    if location is not None:
        shifted = sp.expand(statistic.xreplace({x: x + location}))
        centred = sp.expand(p.log_density(x + location))
        value = _integrate(density(p, x, centred) * shifted, limits, deadline)
    if value is None:
        value = _integrate(density(p, x) * statistic, limits, deadline)
    return None if value is None else _where_convergent(p, statistic, x, value, deadline)


def _where_convergent(p, statistic, x, value, deadline):
    """sympy's ``value`` of E_p[statistic], ∞ where the integral diverges (decided from the
    tails of p, :mod:`symkl.engine.tails`): sympy may answer with a Meijer G that holds only
    where it converges, without saying so (E|X − μ|^β of a Pareto read −19.6 for β > α),
    and which may not be defined at valid points (at an integer α): no value from a Meijer
    G, nor from a hypergeometric value where the tails cannot be decided."""
    from .tails import convergence
    if value.has(sp.meijerg):  # sympy's G may not even be defined at valid points (integer α)
        return None
    found = convergence(p, statistic, x, deadline)
    if found is None:
        return None if value.has(sp.hyper) else value
    if found.holds == sp.true:
        return value
    if found.holds == sp.false:
        return sp.oo
    return sp.Piecewise((value, found.holds), (sp.oo, True))


def _location(p, x):
    """A parameter μ of which p's density is a function of x − μ alone, or None."""
    log_density = p.log_density(x)
    for theta in sorted(p.parameter_symbols, key=sp.default_sort_key):
        if not isinstance(theta, sp.Symbol) or not theta.is_real:
            continue
        if not sp.expand(log_density.xreplace({x: x + theta})).has(theta):
            return theta
    return None


#: the most points of a finite support summed exactly, with symbols in the terms and without
_MOST_SYMBOLIC_TERMS, _MOST_EXACT_TERMS = 64, 1000
#: seconds one integral or infinite sum may take (within the derivation's budget)
_MOST_PER_INTEGRAL = 3.5

LOG_SERIES = Label("by the series log(1 − x) = −Σ x^m/m",
                   r"\text{by the series } \log(1 - x) = -\sum_{m \ge 1} x^{m}/m")
RULES = (
    ("known to the family", _declared),
    ("from the log-partition", _exponential_family),
    ("from the moment generating function", _from_mgf),
    (Label("from the moments E[X^s]", r"\text{from the moments } \mathbb{E}\left[X^{s}\right]"),
     _from_power_moment),
    ("by the mean absolute deviation", _mean_absolute_deviation),
    (LOG_SERIES, _by_the_log_series),
    (Label("by the series of log(1 − X/z) at the complex root z",
           r"\text{by the series of } \log(1 - X/z) \text{ at the complex root } z"),
     _log_quadratic_by_moments),
    (Label("as p ∝ e^{rx} on each piece of its support",
           r"\text{as } p \propto e^{r x} \text{ on each piece of its support}"), _on_linear_pieces),
    ("exact sum over the support", _finite_sum),
    ("sum over the support", _symbolic_sum),
    ("by integration over the support", _integration),
)
#: for random vectors
VECTOR_RULES = (
    ("known to the family", _declared),
    ("from the mean and covariance", _from_moments),
    ("term by term over the coordinates", _over_coordinates),
    ("from the coordinate's marginal", _from_marginal),
    ("from the log-partition", _exponential_family),
)


class Found(NamedTuple):
    """E_p[t(X)] as a rule found it: the value, the rule's name, and the rules that
    stepped aside on the way because sympy failed inside them ((name, what went wrong))."""

    value: sp.Expr
    rule: str
    set_aside: tuple = ()

    def label(self) -> str:
        """The rule's name, with those that stepped aside, for the derivation."""
        if not self.set_aside:
            return self.rule
        aside = "; ".join(f"{name!s} stepped aside: {reason}" for name, reason in self.set_aside)
        return Label(f"{self.rule} ({aside})", getattr(self.rule, "latex", None) and
                     rf"{self.rule.latex}\ \text{{({_escaped(aside)})}}")


def _escaped(text: str) -> str:
    """``text`` for LaTeX's text mode."""
    specials = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}", "&": r"\&", "%": r"\%",
                "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}"}
    return "".join(specials.get(ch, ch) for ch in text)


def expectation(p, statistic, x, deadline: float) -> Found:
    """E_p[statistic]: its value and the rule that gave it.

    ``x`` is the variable ``statistic`` is written in; ``deadline`` is a
    ``symkl.engine.budget.clock()`` time after which slow rules give up.  A rule
    in which sympy fails steps aside (the failure is kept in ``set_aside``) and
    the next is tried.  Values are cached per (distribution, statistic).

    >>> from symkl import Normal
    >>> p, x = Normal("m", "s"), sp.Symbol("x", real=True)
    >>> expectation(p, x**2, x, deadline=float("inf"))
    Found(value=m**2 + s**2, rule='from the log-partition', set_aside=())
    """
    key = (p, statistic, x, share(1.0))  # what a rule finds may turn on its steps' caps
    if key in _CACHE:
        return _CACHE[key]
    found, rushed = _first_rule(p, statistic, x, deadline)
    if not rushed or found.rule != UNEVALUATED:  # a rushed failure may succeed with more time
        _CACHE[key] = found
    return found


_CACHE: dict = {}

#: seconds the value a rule found may take to be written canonically
_MOST_TIDYING = 2.0


def _tidy(value, deadline):
    """A rule's value written canonically (tr(I) = k, Γ ratios cancelled, one exp per
    exponent), or as it is where that takes too long or fails."""
    from .matrix_forms import canonical_form
    try:
        return within(min(_remaining(deadline), share(_MOST_TIDYING)), canonical_form, value)
    except OutOfTime:
        return value
    except MemoryError:
        raise
    except Exception:  # sympy failed while tidying: the value as the rule gave it
        return value


def _first_rule(p, statistic, x, deadline):
    """(what was found, whether the budget ran short on the way)."""
    rushed, set_aside = False, []
    scalar = isinstance(x, sp.Symbol)
    for name, rule in RULES if scalar else VECTOR_RULES:
        try:
            value = rule(p, statistic, x, deadline)
        except OutOfTime:
            value, rushed = None, True
        except MemoryError:
            raise
        except Exception as error:  # sympy failed inside the rule: it steps aside
            value = None
            set_aside.append((name, f"{type(error).__name__}: {error}"))
        if value is not None and value.has(sp.nan, sp.zoo):  # an undefined value is no value
            set_aside.append((name, f"it gave {sp.sstr(value)}"))
            value = None
        if value is not None:
            return Found(_tidy(value, deadline), name, tuple(set_aside)), rushed
    unevaluated = _integral(p, statistic, x) if scalar else Expectation(statistic, P)
    return Found(unevaluated, UNEVALUATED, tuple(set_aside)), rushed or _remaining(deadline) <= 0

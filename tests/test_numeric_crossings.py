"""Total variation, Jensen–Shannon and f-divergences by quadrature split at the crossings
(symkl.numeric.crossings), against closed forms written out here by hand.

Oracles: TV of two normals through Φ at the roots of log p = log q (a quadratic), of two
exponentials at their one crossing, of two Poissons as |F₁(c) − F₂(c)| at the crossing
c = ⌊(λ₁ − λ₂)/log(λ₁/λ₂)⌋; TV and JS of finite distributions from their definitions;
the JS of two Cauchy distributions, a function of their chi-square divergence
χ = ((l₁ − l₂)² + (s₁ − s₂)²)/(2 s₁ s₂) alone (Nielsen & Okamura 2021, "On f-divergences
between Cauchy distributions"): JS = log(2a/(1 + a)), a = √(1 + χ/2) = e^{KL/2}, checked here
against a plain quadrature of the definition as well; χ² and Hellinger's affinity of two
normals from their Gaussian integrals.
"""
import mpmath
import pytest
import sympy as sp

import symkl as sk
from symkl.errors import InvalidInput, Unsupported
from symkl.numeric import crossings, quadrature
from symkl.numeric.crossings import f_divergence, jensen_shannon, total_variation

R = sp.Rational
t = sp.Symbol("t")
DPS = 50


def _agrees(estimate, oracle, digits=30, dps=DPS):
    """The estimate is within its own error of the oracle, and that error is small."""
    with mpmath.workdps(dps + 30):
        oracle = mpmath.mpf(oracle)
        gap = abs(estimate.value - oracle)
        assert gap <= estimate.error, (mpmath.nstr(estimate.value, dps), mpmath.nstr(oracle, dps),
                                       mpmath.nstr(gap, 3), mpmath.nstr(estimate.error, 3))
        scale = abs(oracle) if oracle != 0 else 1
        assert estimate.error <= scale * mpmath.mpf(10) ** -digits, mpmath.nstr(estimate.error, 3)


def _n(x):
    """An exact number as an mpf to DPS + 30 digits."""
    with mpmath.workdps(DPS + 30):
        return +mpmath.mpf(sp.N(x, DPS + 30)) if isinstance(x, sp.Basic) else mpmath.mpf(x)


# -- total variation -----------------------------------------------------------------
@pytest.mark.parametrize("mu1, mu2, sigma", [(0, 1, 1), (R(-3, 2), R(7, 4), R(1, 3)), (5, 5 + R(1, 10**12), 2)])
def test_tv_of_normals_with_one_sigma(mu1, mu2, sigma):
    with mpmath.workdps(DPS + 30):
        oracle = mpmath.erf(abs(_n(mu1) - _n(mu2)) / (2 * mpmath.sqrt(2) * _n(sigma)))
    _agrees(total_variation(sk.Normal(mu1, sigma), sk.Normal(mu2, sigma), dps=DPS), oracle)


def _tv_normals(m1, s1, m2, s2):
    """|P(A) − Q(A)| on A = {p > q} = (x₁, x₂) or its complement: the roots of
    −(x − m1)²/(2 s1²) − log s1 = −(x − m2)²/(2 s2²) − log s2."""
    with mpmath.workdps(DPS + 30):
        m1, s1, m2, s2 = map(_n, (m1, s1, m2, s2))
        a = 1 / (2 * s2 ** 2) - 1 / (2 * s1 ** 2)
        b = m1 / s1 ** 2 - m2 / s2 ** 2
        c = m2 ** 2 / (2 * s2 ** 2) - m1 ** 2 / (2 * s1 ** 2) + mpmath.log(s2 / s1)
        root = mpmath.sqrt(b ** 2 - 4 * a * c)
        big = (-b - mpmath.sign(b) * root) / (2 * a) if b != 0 else root / (2 * a)
        x1, x2 = sorted([big, c / (a * big)])
        between = lambda m, s: mpmath.ncdf(x2, m, s) - mpmath.ncdf(x1, m, s)  # noqa: E731
        return abs(between(m1, s1) - between(m2, s2))


@pytest.mark.parametrize("m1, s1, m2, s2", [(0, 1, 1, 2), (0, 1, 0, 3), (R(1, 2), R(3, 2), -2, R(1, 5)),
                                            (0, 1, 10, R(1001, 1000))])
def test_tv_of_normals_with_two_sigmas(m1, s1, m2, s2):
    _agrees(total_variation(sk.Normal(m1, s1), sk.Normal(m2, s2), dps=DPS), _tv_normals(m1, s1, m2, s2))


@pytest.mark.parametrize("l1, l2", [(1, 3), (R(1, 10), 7), (2, 2 + R(1, 10**6))])
def test_tv_of_exponentials(l1, l2):
    with mpmath.workdps(DPS + 30):
        a, b = _n(l1), _n(l2)
        c = mpmath.log(a / b) / (a - b)
        oracle = abs(mpmath.exp(-b * c) - mpmath.exp(-a * c))
    _agrees(total_variation(sk.Exponential(l1), sk.Exponential(l2), dps=DPS), oracle)


@pytest.mark.parametrize("p, q, oracle", [
    (sk.Uniform(0, 2), sk.Uniform(1, 3), R(1, 2)),
    (sk.Uniform(0, 1), sk.Uniform(0, 3), R(2, 3)),
    (sk.Uniform(R(-1, 3), R(1, 7)), sk.Uniform(0, 5), 1 - R(1, 7) / 5),
    (sk.Uniform(0, 1), sk.Uniform(2, 3), 1),
    (sk.Uniform(0, 1), sk.Uniform(1, 2), 1),
])
def test_tv_of_uniforms(p, q, oracle):
    _agrees(total_variation(p, q, dps=DPS), _n(oracle))


def test_tv_of_finite_distributions():
    _agrees(total_variation(sk.Bernoulli(R(1, 3)), sk.Bernoulli(R(3, 4)), dps=DPS), _n(R(3, 4) - R(1, 3)))
    p, q = [R(1, 2), R(1, 3), R(1, 6)], [R(1, 10), R(3, 10), R(3, 5)]
    _agrees(total_variation(sk.Categorical(p), sk.Categorical(q), dps=DPS),
            _n(sum(abs(a - b) for a, b in zip(p, q)) / 2))
    p, q = [R(1, 2), 0, R(1, 2)], [R(1, 4), R(3, 4), 0]  # mass where the other has none counts fully
    _agrees(total_variation(sk.Categorical(p), sk.Categorical(q), dps=DPS),
            _n(sum(abs(a - b) for a, b in zip(p, q)) / 2))


@pytest.mark.parametrize("l1, l2", [(3, 5), (R(1, 2), 20), (100, 101)])
def test_tv_of_poissons(l1, l2):
    with mpmath.workdps(DPS + 30):
        a, b = _n(l1), _n(l2)
        c = int(mpmath.floor((a - b) / mpmath.log(a / b)))
        cdf = lambda lam: mpmath.fsum(mpmath.exp(-lam + k * mpmath.log(lam) - mpmath.loggamma(k + 1))  # noqa: E731
                                      for k in range(c + 1))
        oracle = abs(cdf(a) - cdf(b))
    _agrees(total_variation(sk.Poisson(l1), sk.Poisson(l2), dps=DPS), oracle)


@pytest.mark.parametrize("p", [sk.Normal(R(1, 3), 2), sk.Poisson(7), sk.Beta(R(1, 2), 3), sk.Cauchy(0, 1)])
def test_the_same_distribution_is_exactly_zero(p):
    twin = type(p)(*p.args)
    for estimate in (total_variation(p, twin), jensen_shannon(p, twin),
                     f_divergence(p, twin, sp.Lambda(t, t * sp.log(t)))):
        assert estimate.value == 0 and estimate.error == 0


def test_one_distribution_from_two_families_is_exactly_zero():
    """Gamma(1, λ) is Exponential(λ): the same log-density on the same support."""
    estimate = total_variation(sk.Exponential(2), sk.Gamma(1, 2))
    assert estimate.value == 0 and estimate.error == 0


def test_nearly_equal_distributions_are_not_zero():
    """TV of N(0, 1) and N(10^-20, 1) is 10^-20/√(2π) to first order, not 0 ± 0."""
    delta = R(1, 10**20)
    estimate = total_variation(sk.Normal(0, 1), sk.Normal(delta, 1), dps=30)
    with mpmath.workdps(60):
        oracle = mpmath.erf(_n(delta) / (2 * mpmath.sqrt(2)))
    _agrees(estimate, oracle, digits=25, dps=30)


def test_the_crossings_are_found():
    """N(0, 1) against N(1, 2): log p = log q at the roots of 3x² + 2x − 1 − 8 log 2."""
    p, q = sk.Normal(0, 1), sk.Normal(1, 2)
    with mpmath.workdps(60):
        found = crossings.crossings(quadrature.points(p, q, -sp.oo, sp.oo),
                                    crossings._Pair(crossings._TotalVariation(), "value", [p, q]), {})
        c = -1 - 8 * mpmath.log(2)
        roots = [(-2 - mpmath.sqrt(4 - 12 * c)) / 6, (-2 + mpmath.sqrt(4 - 12 * c)) / 6]
        assert len(found) == 2
        assert all(abs(x - r) < mpmath.mpf(10) ** -55 for x, r in zip(found, roots))


# -- Jensen–Shannon -------------------------------------------------------------------------
def _js_finite(p, q):
    with mpmath.workdps(DPS + 30):
        total = 0
        for a, b in zip(map(_n, p), map(_n, q)):
            m = (a + b) / 2
            total += (a * mpmath.log(a / m) if a else 0) + (b * mpmath.log(b / m) if b else 0)
        return total / 2


@pytest.mark.parametrize("a, b", [(R(1, 2), R(1, 4)), (R(1, 100), R(99, 100)), (R(1, 3), R(1, 3) + R(1, 10**10))])
def test_js_of_bernoullis(a, b):
    _agrees(jensen_shannon(sk.Bernoulli(a), sk.Bernoulli(b), dps=DPS), _js_finite([a, 1 - a], [b, 1 - b]))


def test_js_of_categoricals():
    p, q = [R(1, 2), 0, R(1, 2)], [R(1, 5), R(3, 5), R(1, 5)]
    _agrees(jensen_shannon(sk.Categorical(p), sk.Categorical(q), dps=DPS), _js_finite(p, q))


def _js_cauchy(l1, s1, l2, s2):
    """Nielsen & Okamura: JS = log(2a/(1 + a)), a = √(1 + χ/2), χ the chi-square divergence."""
    with mpmath.workdps(DPS + 30):
        l1, s1, l2, s2 = map(_n, (l1, s1, l2, s2))
        chi = ((l1 - l2) ** 2 + (s1 - s2) ** 2) / (2 * s1 * s2)
        a = mpmath.sqrt(1 + chi / 2)
        return mpmath.log(2 * a / (1 + a))


def _js_by_definition(l1, s1, l2, s2):
    """½∫p log(2p/(p + q)) + ½∫q log(2q/(p + q)) by a plain quadrature, to 20 digits."""
    with mpmath.workdps(30):
        l1, s1, l2, s2 = map(_n, (l1, s1, l2, s2))
        p = lambda x: s1 / (mpmath.pi * ((x - l1) ** 2 + s1 ** 2))  # noqa: E731
        q = lambda x: s2 / (mpmath.pi * ((x - l2) ** 2 + s2 ** 2))  # noqa: E731
        f = lambda x: (p(x) * mpmath.log(2 * p(x) / (p(x) + q(x)))  # noqa: E731
                       + q(x) * mpmath.log(2 * q(x) / (p(x) + q(x)))) / 2
        cuts = sorted({l1, l2, l1 - s1, l1 + s1, l2 - s2, l2 + s2})
        return mpmath.quad(f, [-mpmath.inf, *cuts, mpmath.inf])


@pytest.mark.parametrize("l1, s1, l2, s2", [(0, 1, 2, 1), (0, 1, 0, 3), (1, 2, -1, R(1, 2))])
def test_js_of_cauchys(l1, s1, l2, s2):
    oracle = _js_cauchy(l1, s1, l2, s2)
    assert abs(oracle - _js_by_definition(l1, s1, l2, s2)) < mpmath.mpf(10) ** -20  # the formula itself
    _agrees(jensen_shannon(sk.Cauchy(l1, s1), sk.Cauchy(l2, s2), dps=DPS), oracle)


def test_tv_of_cauchys():
    """Nielsen & Okamura: TV = (2/π)·arctan √(χ/2)."""
    with mpmath.workdps(DPS + 30):
        chi = (_n(3) ** 2 + (2 - _n(R(1, 2))) ** 2) / (2 * 2 * _n(R(1, 2)))
        oracle = 2 / mpmath.pi * mpmath.atan(mpmath.sqrt(chi / 2))
    _agrees(total_variation(sk.Cauchy(0, 2), sk.Cauchy(3, R(1, 2)), dps=DPS), oracle)


@pytest.mark.parametrize("p, q", [
    (sk.Normal(0, 1), sk.Normal(1, 2)),
    (sk.Exponential(1), sk.Exponential(5)),
    (sk.Poisson(2), sk.Poisson(9)),
    (sk.Beta(2, 3), sk.Beta(R(1, 2), R(1, 2))),
    (sk.Laplace(0, 1), sk.Normal(0, 1)),
])
def test_js_bounds(p, q):
    js = jensen_shannon(p, q, dps=30).value
    jeffreys = quadrature.estimate("kl", p, q, dps=30).value + quadrature.estimate("kl", q, p, dps=30).value
    assert 0 < js <= mpmath.log(2)
    assert js <= jeffreys / 4


@pytest.mark.parametrize("p, q", [(sk.Uniform(0, 1), sk.Uniform(2, 3)),
                                  (sk.Categorical([1, 0]), sk.Categorical([0, 1])),
                                  (sk.Poisson(3), sk.Normal(3, 1))])
def test_js_of_disjoint_supports_is_log_2(p, q):
    with mpmath.workdps(DPS + 30):
        _agrees(jensen_shannon(p, q, dps=DPS), mpmath.log(2))
    assert total_variation(p, q, dps=DPS).value == 1


def test_js_where_one_support_holds_the_other():
    """Uniform(0, 1) against Uniform(0, 2): on (0, 1) p = 2q, m = 3/4; on (1, 2) only q."""
    with mpmath.workdps(DPS + 30):
        oracle = (mpmath.log(mpmath.mpf(4) / 3) + mpmath.log(mpmath.mpf(2) / 3) / 2 + mpmath.log(2) / 2) / 2
    _agrees(jensen_shannon(sk.Uniform(0, 1), sk.Uniform(0, 2), dps=DPS), oracle)


# -- f-divergences -----------------------------------------------------------------------------
PAIRS = [
    (sk.Normal(0, 1), sk.Normal(1, 2)),
    (sk.Gamma(2, 3), sk.Exponential(1)),
    (sk.Poisson(3), sk.Geometric(R(1, 4))),
    (sk.Beta(2, 3), sk.Beta(R(1, 2), R(1, 2))),
]


@pytest.mark.parametrize("p, q", PAIRS)
def test_f_of_t_log_t_is_kl(p, q):
    kl = quadrature.estimate("kl", p, q, dps=DPS)
    estimate = f_divergence(p, q, sp.Lambda(t, t * sp.log(t)), dps=DPS)
    assert abs(estimate.value - kl.value) <= estimate.error + kl.error
    assert estimate.error < abs(kl.value) * mpmath.mpf(10) ** -30


@pytest.mark.parametrize("p, q", PAIRS)
def test_f_of_minus_log_is_reverse_kl(p, q):
    kl = quadrature.estimate("kl", q, p, dps=DPS)
    estimate = f_divergence(p, q, sp.Lambda(t, -sp.log(t)), dps=DPS)
    assert abs(estimate.value - kl.value) <= estimate.error + kl.error
    assert estimate.error < abs(kl.value) * mpmath.mpf(10) ** -30


@pytest.mark.parametrize("mu1, mu2, sigma", [(0, 1, 1), (R(1, 2), -1, 3)])
def test_f_of_square_is_chi_square(mu1, mu2, sigma):
    with mpmath.workdps(DPS + 30):
        oracle = mpmath.expm1((_n(mu1) - _n(mu2)) ** 2 / _n(sigma) ** 2)
    _agrees(f_divergence(sk.Normal(mu1, sigma), sk.Normal(mu2, sigma), sp.Lambda(t, (t - 1) ** 2), dps=DPS),
            oracle)


def test_chi_square_whose_bulk_is_far_from_both():
    """χ²(N(0, 1) ‖ N(30, 1)) = e^900 − 1: p²/q peaks at x = −30, 22 widths beyond p's
    landmarks, where neither p nor q has mass; found by the scan, it gets points of its own."""
    estimate = f_divergence(sk.Normal(0, 1), sk.Normal(30, 1), sp.Lambda(t, (t - 1) ** 2), dps=30)
    with mpmath.workdps(60):
        _agrees(estimate, mpmath.expm1(900), dps=30, digits=25)


@pytest.mark.parametrize("p, q", [(sk.Normal(0, 1), sk.Normal(1, 2)), (sk.Exponential(1), sk.Exponential(3)),
                                  (sk.Poisson(3), sk.Poisson(5)), (sk.Uniform(0, 2), sk.Uniform(1, 3))])
def test_f_of_half_the_distance_to_one_is_tv(p, q):
    tv = total_variation(p, q, dps=DPS)
    estimate = f_divergence(p, q, sp.Lambda(t, sp.Abs(t - 1) / 2), dps=DPS)
    assert abs(estimate.value - tv.value) <= estimate.error + tv.error
    assert estimate.error < tv.value * mpmath.mpf(10) ** -30


@pytest.mark.parametrize("m1, s1, m2, s2", [(0, 1, 1, 2), (R(1, 3), R(1, 2), -1, 1)])
def test_f_of_root_is_twice_squared_hellinger(m1, s1, m2, s2):
    """∫√(pq) = √(2 s1 s2/(s1² + s2²))·e^{−(m1 − m2)²/(4(s1² + s2²))}."""
    with mpmath.workdps(DPS + 30):
        m1_, s1_, m2_, s2_ = map(_n, (m1, s1, m2, s2))
        affinity = mpmath.sqrt(2 * s1_ * s2_ / (s1_ ** 2 + s2_ ** 2)) \
            * mpmath.exp(-(m1_ - m2_) ** 2 / (4 * (s1_ ** 2 + s2_ ** 2)))
        oracle = 2 * (1 - affinity)
    _agrees(f_divergence(sk.Normal(m1, s1), sk.Normal(m2, s2), sp.Lambda(t, (sp.sqrt(t) - 1) ** 2), dps=DPS),
            oracle)


def test_f_divergences_outside_the_supports():
    """p's mass outside supp q weighs f'(∞), q's outside supp p weighs f(0+)."""
    kl = sp.Lambda(t, t * sp.log(t))
    estimate = f_divergence(sk.Normal(0, 1), sk.Exponential(1), kl)
    assert estimate.value == mpmath.inf and "f(t)/t → ∞" in estimate.reason
    estimate = f_divergence(sk.Exponential(1), sk.Normal(0, 1), sp.Lambda(t, -sp.log(t)))
    assert estimate.value == mpmath.inf and "f(0+) = ∞" in estimate.reason
    # KL(Exponential ‖ Normal) is finite though supp q is larger: f(0) = 0 there
    finite = f_divergence(sk.Exponential(1), sk.Normal(0, 1), kl, dps=30)
    reference = quadrature.estimate("kl", sk.Exponential(1), sk.Normal(0, 1), dps=30)
    assert abs(finite.value - reference.value) <= finite.error + reference.error
    # the bounded generator of TV: ½ on either side
    _agrees(f_divergence(sk.Uniform(0, 1), sk.Uniform(0, 3), sp.Lambda(t, sp.Abs(t - 1) / 2), dps=DPS),
            _n(R(2, 3)))
    assert f_divergence(sk.Poisson(3), sk.Binomial(10, R(1, 3)), kl).value == mpmath.inf


# -- what cannot be done ------------------------------------------------------------------------
def test_random_vectors_are_refused():
    p = sk.MultivariateNormal([0, 0], [[1, 0], [0, 1]])
    q = sk.MultivariateNormal([1, 0], [[1, 0], [0, 1]])
    for call in (lambda: total_variation(p, q), lambda: jensen_shannon(p, q),
                 lambda: f_divergence(p, q, sp.Lambda(t, t * sp.log(t)))):
        with pytest.raises(Unsupported, match="random vectors"):
            call()


@pytest.mark.parametrize("f, words", [
    (lambda x: x, "sympy Lambda"),
    (sp.Lambda((t, sp.Symbol("s")), t), "sympy Lambda"),
    (sp.Lambda(t, t ** 2), "f\\(1\\) = 0"),
    (sp.Lambda(t, sp.Symbol("a") * t * sp.log(t)), "numbers"),
])
def test_bad_generators_are_refused(f, words):
    with pytest.raises(InvalidInput, match=words):
        f_divergence(sk.Normal(0, 1), sk.Normal(1, 1), f)


def test_bad_input_is_refused():
    with pytest.raises(InvalidInput, match="numeric parameters"):
        total_variation(sk.Normal("mu", 1), sk.Normal(0, 1))
    with pytest.raises(InvalidInput, match="dps"):
        jensen_shannon(sk.Normal(0, 1), sk.Normal(0, 2), dps=0)
    with pytest.raises(Unsupported, match="at most"):
        total_variation(sk.Normal(0, 1), sk.Normal(0, 2), dps=10 ** 4)

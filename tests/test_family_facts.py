"""What a family declares about itself (its CDF, MGF, power moments), checked against
quadrature of the family's own density at random points: a declared fact is never trusted."""
import random

import mpmath
import pytest
import sympy as sp

import symkl as sk
from symkl.families import FAMILIES

SCALAR = [f for f in FAMILIES.values() if not f().multivariate and not f().discrete]
T, S = sp.Symbol("t", real=True), sp.Symbol("s", real=True)


def _drawn(family, seed):
    generic = family()
    return generic.subs(generic.sample(random.Random(seed)))


def _integral(d, f, upper=None, kinks=()):
    """∫ f(x) p(x) dx over the support up to ``upper``, from the log-density alone, at 40 digits
    (split at p's landmarks and at the ``kinks`` of f)."""
    x = sp.Symbol("x", real=True)
    log_density = sp.lambdify(x, d.log_density(x), "mpmath")
    exp_density = sp.lambdify(x, sp.exp(d.log_density(x)), "mpmath")

    def density(v):  # far out in a tail the density is 0 (and e^(−10^300) slow to compute)
        return exp_density(v) if log_density(v) > -10 ** 6 else mpmath.mpf(0)
    lower, top = d.support.inf, d.support.sup if upper is None else upper
    ends = [mpmath.mpf(sp.N(v, 50)) if v.is_finite else (mpmath.inf if v > 0 else -mpmath.inf)
            for v in (lower, top)]
    def g(v):  # where p is 0 (rounding onto an end), f may be ±∞ (log 0): the product is 0
        if v in ends:
            return mpmath.mpf(0)
        weight = density(v)
        return f(v) * weight if weight else weight
    with mpmath.workdps(40):
        a, b = ends
        # x = a + e^(−w) beside a finite end a: a density like x^(c − 1) there becomes
        # e^(−cw), which the rule integrates to every digit
        near = lambda end, sign, width: mpmath.quad(
            lambda w: g(end + sign * mpmath.exp(-w)) * mpmath.exp(-w), [-mpmath.log(width), mpmath.inf])
        if mpmath.isfinite(a) and mpmath.isfinite(b):
            return near(a, 1, (b - a) / 2) + near(b, -1, (b - a) / 2)
        # x = edge ± (e^w − 1) beyond the outermost point: a tail like |x|^(−c) becomes
        # e^(−cw), integrated to every digit however heavy it is (a t with ν = 3/5)
        def tail(edge, sign):
            h = lambda w: g(edge + sign * mpmath.expm1(w)) * mpmath.exp(w)  # noqa: E731
            top = 1  # up to where the integrand is below 10^(−90) (doubling, at most 2^11)
            while top < 2 ** 11 and not abs(h(top)) < mpmath.mpf(10) ** -90:
                top *= 2
            return mpmath.quad(h, [0] + [w for w in (4, 16, 64, 256, 1024) if w < top] + [top])
        inner = sorted(mpmath.mpf(sp.N(v, 50)) for v in (*d.landmarks(), *kinks) if a < sp.N(v, 50) < b)
        total, points = mpmath.mpf(0), list(inner)
        if mpmath.isfinite(a):
            total += near(a, 1, 1)
            points = [a + 1] + [v for v in points if v > a + 1]
        if not points:
            points = [b - 1 if mpmath.isfinite(b) else mpmath.mpf(0)]
        if mpmath.isfinite(b):
            points.append(b)
        else:
            total += tail(points[-1], 1)
        if not mpmath.isfinite(a):
            total += tail(points[0], -1)
        return total + (mpmath.quad(g, points) if len(points) > 1 else 0)


def _declared(family):
    return [name for name in ("cdf", "mgf", "power_moment")
            if getattr(family(), name)(T if name != "power_moment" else S) is not None]


@pytest.mark.parametrize("family", [f for f in SCALAR if "cdf" in _declared(f)],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("seed", [1, 2])
def test_a_declared_cdf_is_the_integral_of_the_density(family, seed):
    d = _drawn(family, seed)
    lower, upper = d.support.inf, d.support.sup
    for u in (sp.Rational(1, 5), sp.Rational(1, 2), sp.Rational(4, 5)):  # points inside the support
        if lower.is_finite and upper.is_finite:
            x = lower + u * (upper - lower)
        elif lower.is_finite:
            x = lower + u / (1 - u) * max(1, abs(lower))
        else:
            x = sp.log(u / (1 - u)) * 3
        declared = sp.N(d.cdf(x), 45)
        with mpmath.workdps(40):
            assert abs(mpmath.mpf(declared) - _integral(d, lambda v: 1, x)) < mpmath.mpf(10) ** -30


@pytest.mark.parametrize("family", [f for f in SCALAR if "mgf" in _declared(f)],
                         ids=lambda f: f.__name__)
def test_a_declared_mgf_is_the_expectation_of_e_to_the_tx(family):
    d = _drawn(family, 3)
    t = next(v for v in (sp.Rational(1, 7), sp.Rational(1, 50), sp.Rational(1, 1000), sp.Rational(-1, 7))
             if sp.N(d.mgf(v), 20).is_finite)
    with mpmath.workdps(40):
        oracle = _integral(d, lambda v: mpmath.exp(mpmath.mpf(sp.N(t, 50)) * v))
        assert abs(mpmath.mpf(sp.N(d.mgf(t), 45)) - oracle) < mpmath.mpf(10) ** -30 * abs(oracle)


@pytest.mark.parametrize("family", [f for f in SCALAR if "power_moment" in _declared(f)],
                         ids=lambda f: f.__name__)
def test_a_declared_power_moment_is_the_expectation_of_x_to_the_s(family):
    d = _drawn(family, 4)
    s = sp.Rational(-1, 3) if d.power_moment(sp.Rational(-1, 3)).is_finite else sp.Rational(1, 3)
    with mpmath.workdps(40):
        oracle = _integral(d, lambda v: v ** mpmath.mpf(sp.N(s, 50)))
        assert abs(mpmath.mpf(sp.N(d.power_moment(s), 45)) - oracle) < mpmath.mpf(10) ** -30 * abs(oracle)


@pytest.mark.parametrize("family", [f for f in SCALAR if f().power_moment_envelope() is not None],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("seed", [6, 7, 8])
def test_a_declared_moment_envelope_bounds_the_moments(family, seed):
    d = _drawn(family, seed)
    C, b = d.power_moment_envelope()
    with mpmath.workdps(40):
        for m in (1, 4, 20, 100):
            moment = _integral(d, lambda v: v ** m)
            assert moment <= mpmath.mpf(sp.N(C * sp.Integer(m) ** -b, 45)), (m, moment)


def test_the_facts_test_can_fail():
    wrong = sk.Exponential(2)
    with mpmath.workdps(40):
        assert abs(_integral(wrong, lambda v: 1, sp.Integer(1)) - (1 - sp.N(sp.exp(-1), 40))) > 0.1


X = sp.Symbol("x", real=True)
C = sp.Rational(3, 10)


def _own(family, build):
    """(family at drawn parameters, its statistic) for a statistic that needs its parameters."""
    d = _drawn(family, 5)
    return d, build(*d.args)


#: statistics whose expectations families declare, each written in the family's parameters
DECLARED = [
    (sk.VonMises, lambda mu, kappa: sp.cos(X - C)),
    (sk.VonMises, lambda mu, kappa: sp.sin(X - C)),
    (sk.HalfCauchy, lambda gamma: sp.log(X ** 2 + 4)),
    (sk.HalfCauchy, lambda gamma: sp.log(3 * X ** 2 + sp.Rational(3, 4))),
    (sk.HalfStudentT, lambda nu, sigma: sp.log(X ** 2 + nu * sigma ** 2)),
    (sk.LogitNormal, lambda mu, sigma: sp.log(X / (1 - X))),
    (sk.LogitNormal, lambda mu, sigma: sp.log(X / (1 - X)) ** 3),
    (sk.Kumaraswamy, lambda a, b: sp.log(1 - X ** a)),
    (sk.GeneralizedNormal, lambda mu, alpha, beta: sp.Abs(X - mu) ** sp.Rational(3, 2)),
    (sk.InverseGaussian, lambda mu, lam: sp.log(X)),
    (sk.Cauchy, lambda x0, gamma: sp.log((X - C) ** 2 + 2)),
    (sk.StudentT, lambda nu, mu, sigma: sp.log((X - mu) ** 2 + nu * sigma ** 2)),
    (sk.Laplace, lambda mu, b: sp.Abs(X - C)),
    (sk.Logistic, lambda mu, s: sp.log(1 + sp.exp(-(X - mu) / s))),
    (sk.Logistic, lambda mu, s: sp.log((X - C) ** 2 + 2)),
    (sk.Logistic, lambda mu, s: sp.log(2 * X ** 2 + 6 * X + 5)),
]


@pytest.mark.parametrize("family, build", DECLARED,
                         ids=[f"{f.__name__}-{i}" for i, (f, _) in enumerate(DECLARED)])
def test_a_declared_expectation_is_the_integral_against_the_density(family, build):
    d, statistic = _own(family, build)
    declared = d.expectation(statistic, X)
    assert declared is not None, f"{family.__name__} does not know E[{statistic}]"
    f = sp.lambdify(X, statistic, "mpmath")
    with mpmath.workdps(40):
        oracle = _integral(d, f, kinks=(C,))
        assert abs(mpmath.mpf(sp.N(declared, 45)) - oracle) < mpmath.mpf(10) ** -30 * max(1, abs(oracle))


@pytest.mark.parametrize("nu", [sp.Rational(7, 2), 3, sp.Rational(9, 2)])
def test_the_student_t_moments_are_the_integrals_where_they_exist(nu):
    d = sk.StudentT(nu, sp.Rational(1, 3), sp.Rational(3, 2))
    with mpmath.workdps(40):
        for statistic in (X, X ** 2):
            oracle = _integral(d, sp.lambdify(X, statistic, "mpmath"))
            declared = mpmath.mpf(sp.N(d.expectation(statistic, X), 45))
            assert abs(declared - oracle) < mpmath.mpf(10) ** -30 * max(1, abs(oracle))


def test_the_student_t_second_moment_is_infinite_for_two_or_fewer_degrees_of_freedom():
    for nu in (2, sp.Rational(3, 2), sp.Rational(1, 2)):
        assert sk.StudentT(nu, 0, 1).expectation(X ** 2, X) == sp.oo


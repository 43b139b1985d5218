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


def _integral(d, f, upper=None):
    """∫ f(x) p(x) dx over the support up to ``upper``, from the log-density alone, at 40 digits."""
    x = sp.Symbol("x", real=True)
    density = sp.lambdify(x, sp.exp(d.log_density(x)), "mpmath")
    lower, top = d.support.inf, d.support.sup if upper is None else upper
    ends = [mpmath.mpf(sp.N(v, 50)) if v.is_finite else (mpmath.inf if v > 0 else -mpmath.inf)
            for v in (lower, top)]
    inner = [mpmath.mpf(sp.N(v, 50)) for v in d.landmarks() if ends[0] < sp.N(v, 50) < ends[1]]
    with mpmath.workdps(40):
        return mpmath.quad(lambda v: f(v) * density(v), [ends[0], *sorted(inner), ends[1]])


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
        declared = sp.N(d.cdf(x), 40)
        with mpmath.workdps(40):
            assert abs(mpmath.mpf(declared) - _integral(d, lambda v: 1, x)) < mpmath.mpf(10) ** -30


@pytest.mark.parametrize("family", [f for f in SCALAR if "mgf" in _declared(f)],
                         ids=lambda f: f.__name__)
def test_a_declared_mgf_is_the_expectation_of_e_to_the_tx(family):
    d = _drawn(family, 3)
    t = next(v for v in (sp.Rational(1, 7), sp.Rational(1, 50), sp.Rational(1, 1000))
             if d.mgf(v).is_finite)
    with mpmath.workdps(40):
        oracle = _integral(d, lambda v: mpmath.exp(mpmath.mpf(sp.N(t, 50)) * v))
    assert abs(mpmath.mpf(sp.N(d.mgf(t), 40)) - oracle) < mpmath.mpf(10) ** -28 * abs(oracle)


@pytest.mark.parametrize("family", [f for f in SCALAR if "power_moment" in _declared(f)],
                         ids=lambda f: f.__name__)
def test_a_declared_power_moment_is_the_expectation_of_x_to_the_s(family):
    d = _drawn(family, 4)
    s = sp.Rational(-1, 3) if d.power_moment(sp.Rational(-1, 3)).is_finite else sp.Rational(1, 3)
    with mpmath.workdps(40):
        oracle = _integral(d, lambda v: v ** mpmath.mpf(sp.N(s, 50)))
    assert abs(mpmath.mpf(sp.N(d.power_moment(s), 40)) - oracle) < mpmath.mpf(10) ** -28 * abs(oracle)


def test_the_facts_test_can_fail():
    wrong = sk.Exponential(2)
    with mpmath.workdps(40):
        assert abs(_integral(wrong, lambda v: 1, sp.Integer(1)) - (1 - sp.N(sp.exp(-1), 40))) > 0.1

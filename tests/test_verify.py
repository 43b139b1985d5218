"""Closed forms against 50-digit quadrature at random valid points (≥ 30 digits)."""
import mpmath
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import symkl as sk

locations = st.floats(-30, 30, allow_nan=False)
scales = st.floats(-3, 3).map(lambda e: 10.0 ** e)   # 0.001 … 1000, log-uniform
rates = st.floats(-3, 3).map(lambda e: 10.0 ** e)

NORMAL = sk.kl(sk.Normal(), sk.Normal())
EXPONENTIAL = sk.kl(sk.Exponential(), sk.Exponential())
CATEGORICAL = {K: sk.kl(sk.Categorical(sp.symbols(f"p:{K}", positive=True)),
                        sk.Categorical(sp.symbols(f"q:{K}", positive=True))) for K in range(2, 7)}
INDEXED = sk.kl(sk.Categorical.symbolic("p", "K"), sk.Categorical.symbolic("q", "K"))


@st.composite
def simplex(draw, K, allow_zero=False):
    weights = draw(st.lists(st.integers(0 if allow_zero else 1, 1000), min_size=K, max_size=K)
                   .filter(lambda w: sum(w) > 0))
    return [sp.Rational(w, sum(weights)) for w in weights]


@st.composite
def categorical_pair(draw):
    K = draw(st.integers(2, 6))
    return K, draw(simplex(K, allow_zero=True)), draw(simplex(K))


@settings(max_examples=25)
@given(mu_1=locations, sigma_1=scales, mu_2=locations, sigma_2=scales)
def test_normal_normal(mu_1, sigma_1, mu_2, sigma_2):
    check = NORMAL.verify(dict(mu_1=mu_1, sigma_1=sigma_1, mu_2=mu_2, sigma_2=sigma_2), dps=50)
    assume(resolvable(check))
    assert check.digits >= 30, check


def resolvable(check) -> bool:
    """Whether the quadrature itself claims 30 digits (not so for p ≈ q within 1e-80)."""
    return check.closed_form == 0 or check.error < abs(check.closed_form) * mpmath.mpf(10) ** -30


def test_nearly_equal_distributions_still_verify():
    """KL ≈ 5e-25 under terms of size 1: the quadrature adds the digits cancellation costs."""
    check = NORMAL.verify(dict(mu_1=0, sigma_1=1, mu_2=1e-12, sigma_2=1), dps=50)
    assert resolvable(check) and check.digits >= 45, check


def test_unresolvable_cancellation_is_reported_in_the_error_estimate():
    check = NORMAL.verify(dict(mu_1=0, sigma_1=1, mu_2=1e-100, sigma_2=1), dps=50)
    assert check.closed_form > 0 and not resolvable(check)


@settings(max_examples=25)
@given(rate_1=rates, rate_2=rates)
def test_exponential_exponential(rate_1, rate_2):
    check = EXPONENTIAL.verify(dict(rate_1=rate_1, rate_2=rate_2), dps=50)
    assert check.digits >= 30, check


@settings(max_examples=25)
@given(categorical_pair())
def test_categorical_categorical(pair):
    K, p, q = pair
    values = {f"p{k}": v for k, v in enumerate(p)} | {f"q{k}": v for k, v in enumerate(q)}
    check = CATEGORICAL[K].verify(values, dps=50)
    assert check.digits >= 30, check


@settings(max_examples=20)
@given(categorical_pair())
def test_indexed_categorical(pair):
    K, p, q = pair
    check = INDEXED.verify({"K": K, "p": p, "q": q}, dps=50)
    assert check.digits >= 30, check


@settings(max_examples=20)
@given(mu=locations, sigma=scales, rate=rates)
def test_entropy_and_cross_entropy_in_bits(mu, sigma, rate):
    for result, values in ((sk.entropy(sk.Normal(), base=2), dict(mu=mu, sigma=sigma)),
                           (sk.cross_entropy(sk.Exponential(), sk.Normal(), base=2),
                            dict(rate_1=rate, mu_2=mu, sigma_2=sigma))):
        check = result.verify(values, dps=50)
        assert check.digits >= 30, check


@settings(max_examples=30)
@given(mu_1=locations, sigma_1=scales, mu_2=locations, sigma_2=scales, rate_1=rates, rate_2=rates,
       pair=categorical_pair())
def test_gibbs_inequality(mu_1, sigma_1, mu_2, sigma_2, rate_1, rate_2, pair):
    K, p, q = pair
    assert NORMAL.evalf(dict(mu_1=mu_1, sigma_1=sigma_1, mu_2=mu_2, sigma_2=sigma_2), 30) >= 0
    assert EXPONENTIAL.evalf(dict(rate_1=rate_1, rate_2=rate_2), 30) >= 0
    assert INDEXED.evalf({"K": K, "p": p, "q": q}, 30) >= 0


def test_the_classic_pair_to_fifty_digits():
    result = sk.kl(sk.Normal(0, sp.Rational(1, 10)), sk.Normal(0, 10))
    check = result.verify(dps=50)
    with mpmath.workdps(60):
        textbook = mpmath.log(100) + mpmath.mpf("0.01") / 200 - mpmath.mpf(1) / 2
    assert check.digits == 50
    assert abs(check.closed_form - textbook) < mpmath.mpf(10) ** -50


def test_quad_kl_alone():
    value, error = sk.quad_kl(sk.Normal(0, 1), sk.Normal(1, 2), dps=50)
    with mpmath.workdps(60):
        assert abs(value - (mpmath.log(2) - mpmath.mpf(1) / 4)) < mpmath.mpf(10) ** -50
    assert error < mpmath.mpf(10) ** -50


def test_quad_kl_of_disjoint_supports_is_infinite():
    assert sk.quad_kl(sk.Normal(0, 1), sk.Exponential(1))[0] == mpmath.inf


def test_quad_kl_needs_numbers():
    with pytest.raises(ValueError, match="quadrature needs numeric parameters"):
        sk.quad_kl(sk.Normal(), sk.Normal(0, 1))


def test_verify_needs_every_parameter():
    with pytest.raises(ValueError, match="missing: mu_2, sigma_2"):
        NORMAL.verify({"mu_1": 0, "sigma_1": 1})


def test_verify_rejects_unknown_names_and_invalid_values():
    with pytest.raises(ValueError, match="no parameter named 'tau'"):
        NORMAL.verify({"tau": 1})
    with pytest.raises(ValueError, match="Normal: sigma must be positive"):
        NORMAL.verify(dict(mu_1=0, sigma_1=-1, mu_2=0, sigma_2=1))


def test_a_wrong_closed_form_is_caught():
    """The check can fail: a result whose formula is off by 1e-40 does not agree."""
    wrong = sk.Result("kl", sk.Normal(0, 1), sk.Normal(1, 2),
                      sp.log(2) - sp.Rational(1, 4) + sp.Rational(1, 10**40), ())
    check = wrong.verify(dps=50)
    assert 38 <= check.digits < 42

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
def categorical_pair(draw, allow_zero=True):
    K = draw(st.integers(2, 6))
    return K, draw(simplex(K, allow_zero=allow_zero)), draw(simplex(K))


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
@given(categorical_pair(allow_zero=False))
def test_categorical_categorical(pair):
    K, p, q = pair
    values = {f"p{k}": v for k, v in enumerate(p)} | {f"q{k}": v for k, v in enumerate(q)}
    check = CATEGORICAL[K].verify(values, dps=50)
    assert check.digits >= 30, check


@settings(max_examples=20)
@given(categorical_pair(allow_zero=False))
def test_indexed_categorical(pair):
    K, p, q = pair
    check = INDEXED.verify({"K": K, "p": p, "q": q}, dps=50)
    assert check.digits >= 30, check


@pytest.mark.parametrize("result, values", [
    (CATEGORICAL[2], {"p0": 1, "p1": 0, "q0": sp.Rational(1, 2), "q1": sp.Rational(1, 2)}),
    (INDEXED, {"K": 2, "p": [1, 0], "q": [sp.Rational(1, 2), sp.Rational(1, 2)]}),
])
def test_categorical_with_a_zero_probability(result, values):
    check = result.verify(values, dps=50)
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
    with pytest.raises(ValueError, match="numeric integration needs numeric parameters"):
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


# -- an honest digit count ------------------------------------------------------------------
def test_infinity_against_a_finite_value_agrees_on_no_digit():
    """A closed form ∞ where the truth is 0 (p = q): the quadrature, finite, contradicts it."""
    check = sk.Result("kl", sk.Normal(0, 1), sk.Normal(0, 1), sp.oo, ()).verify(dps=30)
    assert check.quadrature == 0 and check.digits == 0


def test_zero_against_a_tiny_value_agrees_on_no_digit():
    """KL(N(0, 1) ‖ N(1e-27, 1)) = 5e-55: a closed form 0 is wrong on its first digit."""
    check = sk.Result("kl", sk.Normal(0, 1), sk.Normal(1e-27, 1), sp.Integer(0), ()).verify(dps=50)
    with mpmath.workdps(60):
        truth = mpmath.mpf(1e-27) ** 2 / 2
    assert abs(check.quadrature - truth) < truth * mpmath.mpf(10) ** -40
    assert check.digits == 0


def test_zero_against_zero_agrees_on_every_digit():
    check = sk.Result("kl", sk.Gamma(3, 2), sk.Gamma(3, 2), sp.Integer(0), ()).verify(dps=50)
    assert check.quadrature == 0 and check.error == 0 and check.digits == 50


@pytest.mark.parametrize("expr", [sp.nan, sp.zoo, 1 + sp.I, sp.Symbol("z")])
def test_what_is_no_number_agrees_on_no_digit(expr):
    check = sk.Result("kl", sk.Normal(0, 1), sk.Normal(1, 2), expr, ()).verify(dps=30)
    assert mpmath.isnan(check.closed_form) and check.digits == 0


def test_the_expression_held_is_checked_not_a_new_derivation():
    """Where the expression held reads 0/0 (a removable singularity left in), ``verify`` takes
    that expression's own continuous extension: a right one agrees, one that is off by 1 there
    (its limit is not the KL), or that blows up there, agrees on no digit, however right a new
    derivation at that point would be."""
    r = sk.kl(sk.Normal(), sk.Normal())
    m1, m2 = (next(s for s in r.free_symbols if s.name == name) for name in ("mu_1", "mu_2"))
    values = dict(mu_1=1, sigma_1=1, mu_2=1, sigma_2=2)
    removable = sk.Result("kl", r.p, r.q, r.expr * (m1 ** 2 - m2 ** 2) / ((m1 - m2) * (m1 + m2)), ())
    off_by_one = sk.Result("kl", r.p, r.q, r.expr + (m1 - m2) ** 2 / (m1 - m2) ** 2, ())
    pole = sk.Result("kl", r.p, r.q, r.expr + 1 / (m1 - m2), ())
    assert r.verify(values).digits == 50
    assert removable.verify(values).digits == 50
    check = off_by_one.verify(values)
    assert check.digits == 0 and abs(check.closed_form - check.quadrature - 1) < 1e-40, check
    assert pole.verify(values).digits == 0


def test_infinity_is_confirmed_by_a_divergent_integral():
    check = sk.Result("kl", sk.Cauchy(0, 1), sk.Normal(0, 1), sp.oo, ()).verify(dps=30)
    assert check.quadrature == mpmath.inf and check.digits == 30
    check = sk.Result("kl", sk.Normal(0, 1), sk.Exponential(1), sp.oo, ()).verify(dps=30)
    assert check.digits == 30 and "outside supp q" in check.reason and "outside supp q" in str(check)


def test_a_precision_beyond_the_ceiling_is_refused():
    with pytest.raises(sk.errors.Unsupported, match="at most 100 significant digits"):
        NORMAL.verify(dict(mu_1=0, sigma_1=1, mu_2=1, sigma_2=2), dps=1000)


# -- a broken engine is caught ---------------------------------------------------------------
def _exponential_gamma(rate, alpha, beta):
    """KL(Exp(λ) ‖ Gamma(α, β)) = log λ − 1 − α log β + log Γ(α) + (α − 1)(γ + log λ) + β/λ,
    from E[log X] = −γ − log λ and E[X] = 1/λ."""
    with mpmath.workdps(60):
        rate, alpha, beta = (mpmath.mpf(v.p) / v.q for v in map(sp.Rational, (rate, alpha, beta)))
        return (mpmath.log(rate) - 1 - alpha * mpmath.log(beta) + mpmath.loggamma(alpha)
                + (alpha - 1) * (mpmath.euler + mpmath.log(rate)) + beta / rate)


POINTS = [(1, 2, 1), (sp.Rational(3, 2), sp.Rational(1, 2), 2), (sp.Rational(1, 5), 7, sp.Rational(3, 10))]


@pytest.fixture
def fresh_engine(monkeypatch):
    """The engine's derivations forgotten for the test, so that a patched engine derives anew."""
    import symkl.engine.derive
    monkeypatch.setattr(symkl.engine.derive, "_CACHE", {})


def test_a_lying_support_test_is_caught(monkeypatch, fresh_engine):
    """The engine told supp Exponential ⊄ supp Gamma says ∞; the check, reading the supports
    itself, finds the finite value and 0 agreeing digits."""
    import symkl.engine.derive
    import symkl.engine.support
    lie = lambda p, q: (sp.false, "supp p is not contained in supp q")  # noqa: E731
    monkeypatch.setattr(symkl.engine.support, "support_condition", lie)
    monkeypatch.setattr(symkl.engine.derive, "support_condition", lie)
    r = sk.kl(sk.Exponential(), sk.Gamma())
    assert r.expr == sp.oo
    for rate, alpha, beta in POINTS:
        check = r.verify({"rate_1": rate, "alpha_2": alpha, "beta_2": beta})
        truth = _exponential_gamma(rate, alpha, beta)
        assert check.closed_form == mpmath.inf and check.digits == 0, check
        assert abs(check.quadrature - truth) < abs(truth) * mpmath.mpf(10) ** -48
        value, _ = sk.quad_kl(sk.Exponential(rate), sk.Gamma(alpha, beta))
        assert abs(value - truth) < abs(truth) * mpmath.mpf(10) ** -48


def test_a_wrong_expectation_is_caught(monkeypatch, fresh_engine):
    """The engine told E[log X] is twice what it is gives KL(Exponential ‖ Gamma) off by
    (α − 1)(γ + log λ); the check finds 0 agreeing digits."""
    import symkl.engine.derive
    right = symkl.engine.derive.expectation

    def doubled(p, statistic, x, deadline):
        found = right(p, statistic, x, deadline)
        return found._replace(value=2 * found.value) if statistic == sp.log(x) else found

    monkeypatch.setattr(symkl.engine.derive, "expectation", doubled)
    r = sk.kl(sk.Exponential(), sk.Gamma())
    for rate, alpha, beta in POINTS:
        check = r.verify({"rate_1": rate, "alpha_2": alpha, "beta_2": beta})
        truth = _exponential_gamma(rate, alpha, beta)
        with mpmath.workdps(60):
            off = (alpha - 1) * (mpmath.euler + mpmath.log(mpmath.mpf(sp.Rational(rate).p) / sp.Rational(rate).q))
            assert abs(check.closed_form - truth - off) < 1e-40
        assert check.digits == 0, check
        assert abs(check.quadrature - truth) < abs(truth) * mpmath.mpf(10) ** -48


def test_the_right_engine_agrees():
    """The same pair, the engine left alone: its closed form agrees to 50 digits."""
    r = sk.kl(sk.Exponential(), sk.Gamma())
    for rate, alpha, beta in POINTS:
        check = r.verify({"rate_1": rate, "alpha_2": alpha, "beta_2": beta})
        assert check.digits == 50 and abs(check.closed_form - _exponential_gamma(rate, alpha, beta)) < 1e-48


def test_an_integral_the_closed_form_holds_is_integrated_as_written():
    """KL(StudentT ‖ StudentT) holds E_p[log(ν₂σ₂² + (X − μ₂)²)] unevaluated; at ν₁ = 1/100 its
    tails are x^-1.01 (sympy's evalf of it did not finish in 120 s): split at p's landmarks,
    its tails in log coordinates, it agrees with the quadrature of the log-densities."""
    r = sk.kl(sk.StudentT(), sk.StudentT())
    assert r.expr.has(sp.Integral)
    values = dict(nu_1=sp.Rational(1, 100), mu_1=0, sigma_1=1, nu_2=sp.Rational(1, 50), mu_2=0, sigma_2=1)
    assert r.verify(values, dps=50).digits >= 45


def test_logs_that_cancel_to_zero_at_floats_agree_with_a_zero_quadrature():
    # D_α(p‖p) at σ = 0.1 (a float, the binary number it is): α log σ/(α − 1) − log σ − log σ²/(2(α − 1))
    # cancels to a rounding error's worth of its terms, which is no disagreement with the exact 0
    r = sk.renyi(sk.Normal(), sk.Normal(), "alpha")
    tied = {"mu_1": 0.0, "mu_2": 0.0, "sigma_1": 0.1, "sigma_2": 0.1, "alpha": sp.Rational(3, 2)}
    check = r.verify(tied)
    assert check.quadrature == 0 and check.digits == 50, check
    # while a closed form off by far more than its rounding still disagrees
    wrong = sk.Result("renyi", r.p, r.q, r.expr + sp.Rational(1, 10 ** 40), (), order=r.order)
    assert wrong.verify(tied).digits == 0

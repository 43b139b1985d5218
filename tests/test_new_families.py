"""The families of the second catalog: Chi, VonMises, InverseGaussian, HalfCauchy,
HalfStudentT, LogitNormal, Kumaraswamy, Moyal, GeneralizedNormal, NegativeBinomial.

Their same-family KLs are checked against textbook forms in test_catalog (oracles.py);
here: what depends on a shared parameter (a generalised normal's location), the
Kumaraswamy ‖ Beta series, entropies and ties against quadrature, generated code.
"""
import math
import random

import mpmath
import pytest
import sympy as sp

import symkl as sk

NEW = [sk.Chi, sk.VonMises, sk.InverseGaussian, sk.HalfCauchy, sk.HalfStudentT, sk.LogitNormal,
       sk.Kumaraswamy, sk.Moyal, sk.GeneralizedNormal, sk.NegativeBinomial]
R = sp.Rational


def drawn(result, seed):
    rng = random.Random(seed)
    values = result.p.sample(rng)
    if result.q is not None:
        values.update(result.q.sample(rng, known=values))
    return values


#: the fast sample (the closed forms that verify in a second); every family in the slow sweep
FAST = [sk.Chi, sk.VonMises, sk.InverseGaussian, sk.HalfCauchy, sk.Moyal]
SWEEP = [pytest.param(f, marks=[] if f in FAST else pytest.mark.slow, id=f.__name__) for f in NEW]


@pytest.mark.parametrize("family", SWEEP)
def test_kl_against_quadrature_at_a_point_and_at_the_tie(family):
    result = sk.kl(family(), family())
    values = drawn(result, 5)
    assert result.verify(values).digits >= 30
    tied = {s: values[next(t for t in values if str(t) == str(s)[:-1] + "1")]
            for s in values if str(s).endswith("_2")}
    at_tie = {**values, **tied}
    assert result.verify(at_tie).digits >= 30
    if result.closed_form:
        assert abs(sp.N(result.subs({str(k): v for k, v in at_tie.items()}).expr, 30)) < 1e-25


@pytest.mark.parametrize("family", SWEEP)
def test_entropy_against_quadrature(family):
    result = sk.entropy(family())
    check = result.verify(drawn(result, 8))
    assert check.digits >= 30, check


@pytest.mark.parametrize("family", [sk.Chi, sk.VonMises, sk.InverseGaussian, sk.HalfCauchy,
                                    sk.HalfStudentT, sk.Moyal, sk.GeneralizedNormal, sk.Kumaraswamy],
                         ids=lambda f: f.__name__)
def test_entropy_is_closed(family):
    assert sk.entropy(family()).closed_form


def test_generalized_normals_at_one_location():
    m = sp.Symbol("m", real=True)
    a1, a2, b1, b2 = sp.symbols("alpha_1 alpha_2 beta_1 beta_2", positive=True)
    result = sk.kl(sk.GeneralizedNormal(m, a1, b1), sk.GeneralizedNormal(m, a2, b2))
    textbook = (sp.log(b1 * a2 * sp.gamma(1 / b2) / (b2 * a1 * sp.gamma(1 / b1)))
                + (a1 / a2) ** b2 * sp.gamma((b2 + 1) / b1) / sp.gamma(1 / b1) - 1 / b1)
    assert result.closed_form
    point = {m: R(1, 3), a1: R(3, 2), a2: R(4, 5), b1: R(7, 4), b2: R(5, 2)}
    assert abs(sp.N((result.expr - textbook).xreplace(point), 40)) < 1e-35
    assert result.verify({str(k): v for k, v in point.items()}).digits >= 30


def test_a_generalized_normal_of_shape_2_is_a_normal():
    # β = 2, α = σ√2: the same law, so the same KL as two normals
    gn = sk.kl(sk.GeneralizedNormal(0, sp.sqrt(2), 2), sk.GeneralizedNormal(0, 3 * sp.sqrt(2), 2))
    normal = sk.kl(sk.Normal(0, 1), sk.Normal(0, 3))
    assert sp.simplify(gn.expr - normal.expr) == 0


@pytest.mark.parametrize("point", [{"a_1": 2, "b_1": 3, "alpha_2": 2, "beta_2": 5},
                                   {"a_1": R(1, 2), "b_1": R(3, 10), "alpha_2": R(7, 10), "beta_2": R(3, 2)},
                                   {"a_1": R(5, 2), "b_1": R(7, 5), "alpha_2": R(1, 3), "beta_2": R(1, 2)}])
def test_kumaraswamy_to_beta_is_nalisnick_and_smyths_series(point):
    result = sk.kl(sk.Kumaraswamy(), sk.Beta())
    assert result.closed_form and result.expr.has(sp.Sum)
    (series,) = result.expr.atoms(sp.Sum)
    assert series.limits[0][1:] == (1, sp.oo)
    check = result.verify(point)
    assert check.digits >= 30, check


def test_the_series_is_the_expectation_of_log_of_1_minus_x():
    x = sp.Symbol("x", real=True)
    from symkl.engine.expectation import expectation
    found = expectation(sk.Kumaraswamy(1, R(1, 2)), sp.log(1 - x), x, float("inf"))
    # a = 1: X is Beta(1, b), E[log(1 − X)] = −1/b = −2
    assert abs(sp.N(found.value, 30) + 2) < 1e-25


def test_von_mises_kl_through_generated_code():
    f = sk.kl(sk.VonMises(), sk.VonMises()).lambdify("mpmath")
    exact = sk.kl(sk.VonMises(R(1, 2), 2), sk.VonMises(-1, R(1, 3))).expr
    assert math.isclose(float(f(mu_1=0.5, kappa_1=2, mu_2=-1, kappa_2=1 / 3)), float(exact), rel_tol=1e-12)


def test_negative_binomials_with_different_r_are_a_series():
    # r is structural (kept as given), yet two values of it make a valid pair: the
    # log Γ(k + r) terms no longer cancel, and the sum over k stays
    result = sk.kl(sk.NegativeBinomial(2, R(1, 3)), sk.NegativeBinomial(3, R(1, 2)))
    assert result.verify().digits >= 30


def test_invalid_parameters_are_refused():
    from symkl.errors import InvalidInput
    for make in (lambda: sk.Chi(-1), lambda: sk.VonMises(0, 0), lambda: sk.InverseGaussian(-1, 1),
                 lambda: sk.Kumaraswamy(1, -2), lambda: sk.NegativeBinomial(2, 1),
                 lambda: sk.GeneralizedNormal(0, 1, 0)):
        with pytest.raises(InvalidInput):
            make()


def test_an_integral_sympy_evaluates_carries_where_it_converges():
    # E|X − μ|^β under a Pareto diverges for β ≥ α; sympy's Meijer G said −19.6 there and
    # was not defined at α = 4: the integral is left for quadrature (∞ where it diverges,
    # by the tails where they are decided within the budget, else by the check's own)
    result = sk.kl(sk.Pareto(), sk.GeneralizedNormal())
    assert not result.expr.has(sp.meijerg)
    divergent = {"alpha_1": R(19, 10), "alpha_2": R(39, 10), "beta_2": R(16, 5), "mu_2": R(-14, 5),
                 "x_m_1": R(27, 10)}
    at_divergent = result.verify(divergent)
    assert at_divergent.quadrature == sp.oo and at_divergent.digits >= 30
    assert result.verify({**divergent, "alpha_1": 4, "beta_2": R(3, 2)}).digits >= 30


@pytest.mark.parametrize("point", [{"a_1": 2, "b_1": 3, "alpha_2": 2, "beta_2": 5},
                                   {"a_1": R(1, 2), "b_1": R(3, 10), "alpha_2": R(7, 10), "beta_2": R(3, 2)},
                                   {"a_1": R(5, 2), "b_1": R(7, 5), "alpha_2": R(1, 3), "beta_2": R(1, 2)}])
def test_the_kumaraswamy_series_cut_after_m_terms_misses_at_most_its_bound(point):
    # R̄_M = |β₂ − 1| Γ(b₁)(a₁/M)^b₁, from E[X^m] ≤ Γ(b + 1)(a/m)^b: the cut value against
    # 40-digit quadrature of the divergence, and the bound tends to 0 as M grows
    result = sk.kl(sk.Kumaraswamy(point["a_1"], point["b_1"]), sk.Beta(point["alpha_2"], point["beta_2"]))
    exact = result.verify(dps=40).quadrature
    bounds = []
    for terms in (3, 30, 300):
        cut = result.truncated(terms)
        missed = abs(mpmath.mpf(sp.N(cut.value, 45)) - exact)
        bounds.append(mpmath.mpf(sp.N(cut.bound, 45)))
        assert missed <= bounds[-1], (terms, missed, bounds[-1])
    assert bounds[0] > bounds[1] > bounds[2]


def test_a_series_without_a_known_remainder_bound_is_refused():
    from symkl.errors import Unsupported
    result = sk.kl(sk.Poisson(), sk.Geometric())  # E log k! under a Poisson: a series, no bound
    assert any(not s.limits[0][2].is_finite for s in result.expr.atoms(sp.Sum))
    with pytest.raises(Unsupported, match="no bound is known"):
        result.truncated(10)
    assert sk.kl(sk.Normal(), sk.Normal()).truncated(5).bound == 0

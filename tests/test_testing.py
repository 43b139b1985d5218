"""symkl.testing: a user's KL checked against the derived closed form; valid parameters for hypothesis."""
import importlib.util
import math
import pathlib
import sys

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings

import symkl as sk
from symkl.testing import assert_kl_matches, parameters

ROOT = pathlib.Path(__file__).resolve().parent.parent


# -- textbook KLs written as a user would, in floats ------------------------------------
def normal_kl(mu_1, sigma_1, mu_2, sigma_2):
    return math.log(sigma_2 / sigma_1) + (sigma_1 ** 2 + (mu_1 - mu_2) ** 2) / (2 * sigma_2 ** 2) - 0.5


def bernoulli_terms(p, q):
    return p * math.log(p / q) + (1 - p) * math.log((1 - p) / (1 - q))


def uniform_kl(a_1, b_1, a_2, b_2):
    return math.log((b_2 - a_2) / (b_1 - a_1)) if a_2 <= a_1 and b_1 <= b_2 else math.inf


def diagonal_vae_kl(mu, sigma):
    return 0.5 * np.sum(sigma ** 2 + mu ** 2 - 1 - np.log(sigma ** 2))


def matrix_normal_kl(mu_1, Sigma_1, mu_2, Sigma_2):  # noqa: N803 (the parameters' names)
    inverse, d = np.linalg.inv(Sigma_2), mu_2 - mu_1
    return 0.5 * (np.trace(inverse @ Sigma_1) + d @ inverse @ d - len(mu_1)
                  + np.log(np.linalg.det(Sigma_2) / np.linalg.det(Sigma_1)))


def explicit_normal_kl(m1, m2, c11, c12, c22):
    cov, mean = np.array([[c11, c12], [c12, c22]]), np.array([m1, m2])
    return 0.5 * (np.trace(cov) + mean @ mean - 2 - np.log(np.linalg.det(cov)))


def dirichlet_kl(alpha_1, alpha_2):
    a0, b0 = alpha_1.sum(), alpha_2.sum()
    digamma = np.vectorize(lambda v: float(mpmath.digamma(v)))
    lgamma = np.vectorize(math.lgamma)
    return (math.lgamma(a0) - lgamma(alpha_1).sum() - math.lgamma(b0) + lgamma(alpha_2).sum()
            + ((alpha_1 - alpha_2) * (digamma(alpha_1) - digamma(a0))).sum())


CORRECT = {
    "Normal (default names)": (normal_kl, sk.Normal(), sk.Normal()),
    "family names": (normal_kl, "normal", "normal"),
    "Exponential": (lambda rate_1, rate_2: math.log(rate_1 / rate_2) + rate_2 / rate_1 - 1,
                    sk.Exponential(), sk.Exponential()),
    "Bernoulli": (lambda p_1, p_2: bernoulli_terms(p_1, p_2), sk.Bernoulli(), sk.Bernoulli()),
    "Binomial (integer n)": (lambda n, p_1, p_2: n * bernoulli_terms(p_1, p_2),
                             sk.Binomial("n", "p_1"), sk.Binomial("n", "p_2")),
    "Uniform (∞ where the supports are not nested)": (uniform_kl, sk.Uniform(), sk.Uniform()),
    "Categorical, named entries": (
        lambda a, b, c, d, e, f: sum(x * math.log(x / y) for x, y in ((a, d), (b, e), (c, f))),
        sk.Categorical(["a", "b", "c"]), sk.Categorical(["d", "e", "f"])),
    "Categorical, symbolic K": (lambda p, q: np.sum(p * np.log(p / q)),
                                sk.Categorical.symbolic("p", "K"), sk.Categorical.symbolic("q", "K")),
    "DiagonalNormal, named entries": (
        lambda m1, m2, s1, s2: diagonal_vae_kl(np.array([m1, m2]), np.array([s1, s2])),
        sk.DiagonalNormal(["m1", "m2"], ["s1", "s2"]), sk.DiagonalNormal(0, 1)),
    "DiagonalNormal, symbolic length": (diagonal_vae_kl, sk.DiagonalNormal.symbolic("mu", "sigma", "n"),
                                        sk.DiagonalNormal(0, 1)),
    "MultivariateNormal, named entries": (
        explicit_normal_kl, sk.MultivariateNormal(["m1", "m2"], [["c11", "c12"], ["c12", "c22"]]),
        sk.MultivariateNormal([0, 0], [[1, 0], [0, 1]])),
    "MultivariateNormal, matrix-symbolic": (matrix_normal_kl, sk.MultivariateNormal(), sk.MultivariateNormal()),
    "Dirichlet, symbolic K": (dirichlet_kl, sk.Dirichlet(), sk.Dirichlet()),
    "numbers only": (lambda: math.log(2) - 0.25, sk.Normal(0, 1), sk.Normal(1, 2)),
}


@pytest.mark.parametrize("fn, p, q", CORRECT.values(), ids=CORRECT.keys())
def test_a_correct_kl_passes(fn, p, q):
    assert_kl_matches(fn, p, q, points=20)


def test_a_wrong_kl_fails_naming_the_point_both_values_and_the_digits():
    def half_missing(mu_1, sigma_1, mu_2, sigma_2):
        return normal_kl(mu_1, sigma_1, mu_2, sigma_2) + (sigma_1 ** 2 + (mu_1 - mu_2) ** 2) / (2 * sigma_2 ** 2)

    with pytest.raises(AssertionError) as failure:
        assert_kl_matches(half_missing, sk.Normal(), sk.Normal(), points=10, seed=3)
    message = str(failure.value)
    assert "D_KL(Normal(mu_1, sigma_1) ‖ Normal(mu_2, sigma_2))" in message
    assert "at 10 of 10 points" in message and "seed 3" in message
    point = message.splitlines()[1].strip()
    values = dict(item.split(" = ") for item in point.split(", "))
    assert sorted(values) == ["mu_1", "mu_2", "sigma_1", "sigma_2"]
    floats = {name: float(v) for name, v in values.items()}
    fn_line, closed_line, digits_line = message.splitlines()[2:5]
    assert float(fn_line.split()[-1]) == half_missing(**floats)
    assert float(closed_line.split()[-1]) == pytest.approx(normal_kl(**floats), rel=1e-14)
    assert "agreement    0 significant digits" in digits_line


def test_a_small_error_reports_the_digits_that_agree():
    with pytest.raises(AssertionError, match=r"agreement    [78] significant digits \(rtol=1e-10"):
        assert_kl_matches(lambda **v: normal_kl(**v) * (1 + 3e-8), "normal", "normal", points=5)
    assert_kl_matches(lambda **v: normal_kl(**v) * (1 + 3e-8), "normal", "normal", points=5, rtol=1e-7)


def test_a_finite_value_where_kl_is_infinite_fails():
    with pytest.raises(AssertionError, match="closed form  \\+inf"):
        assert_kl_matches(lambda a_1, b_1, a_2, b_2: 0.0, sk.Uniform(), sk.Uniform(), points=10)


def test_only_some_points_failing_are_counted():
    def wrong_for_wide_q(mu_1, sigma_1, mu_2, sigma_2):
        return normal_kl(mu_1, sigma_1, mu_2, sigma_2) + (sigma_2 > 2)

    with pytest.raises(AssertionError) as failure:
        assert_kl_matches(wrong_for_wide_q, sk.Normal(), sk.Normal(), points=30)
    failing = int(str(failure.value).split(" at ")[1].split(" of ")[0])
    assert 0 < failing < 30


def test_the_same_seed_draws_the_same_points_and_fn_gets_plain_values():
    seen = []

    def recording(**values):
        seen.append(values)
        return diagonal_vae_kl(values["mu"], values["sigma"])

    p = sk.DiagonalNormal.symbolic("mu", "sigma", "n")
    for _ in range(2):
        assert_kl_matches(recording, p, sk.DiagonalNormal(0, 1), points=5, seed=11)
    first, second = seen[:5], seen[5:]
    assert all(a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a) for a, b in zip(first, second))
    assert isinstance(first[0]["n"], int)  # passed, since fn takes **values
    assert isinstance(first[0]["mu"], np.ndarray) and first[0]["mu"].dtype == float
    assert len(first[0]["mu"]) == first[0]["n"]
    scalars = []
    assert_kl_matches(lambda **v: scalars.append(v) or normal_kl(**v), "normal", "normal", points=2)
    assert all(type(v) is float for v in scalars[0].values())


def test_the_number_of_coordinates_is_passed_only_to_a_fn_that_takes_it():
    p = sk.DiagonalNormal.symbolic("mu", "sigma", "n")
    assert_kl_matches(lambda mu, sigma, n: diagonal_vae_kl(mu, sigma) + 0 * n, p, sk.DiagonalNormal(0, 1), points=3)
    assert_kl_matches(diagonal_vae_kl, p, sk.DiagonalNormal(0, 1), points=3)


@pytest.mark.parametrize("fn, message", [
    (lambda mu_1, sigma_1: 0.0, "it does not take mu_2, sigma_2"),
    (lambda mu_1, sigma_1, mu_2, sigma_2, tau: 0.0, "it takes tau, which KL"),
])
def test_a_fn_that_does_not_take_the_parameters_is_refused(fn, message):
    with pytest.raises(TypeError, match=message):
        assert_kl_matches(fn, "normal", "normal")


def test_a_fn_must_return_one_number():
    with pytest.raises(TypeError, match="fn must return one number"):
        assert_kl_matches(lambda mu_1, sigma_1, mu_2, sigma_2: [0.0, 1.0], "normal", "normal", points=1)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception notes came in Python 3.11")
def test_an_exception_in_fn_says_at_which_point():
    with pytest.raises(ZeroDivisionError) as failure:
        assert_kl_matches(lambda mu_1, sigma_1, mu_2, sigma_2: 1 / 0, "normal", "normal", seed=2)
    (note,) = failure.value.__notes__
    assert note.startswith("raised by fn at point 1 of 50 (seed 2): mu_1 = ")
    assert [item.split(" = ")[0] for item in note.split(": ", 1)[1].split(", ")] == \
        ["mu_1", "sigma_1", "mu_2", "sigma_2"]


def test_no_closed_form_is_refused(monkeypatch):
    from symkl import testing
    derived = sk.kl(sk.Normal(), sk.Normal())
    monkeypatch.setattr(derived, "closed_form", False)
    monkeypatch.setattr(testing, "kl", lambda p, q: derived)
    with pytest.raises(ValueError, match="no closed form to compare with"):
        assert_kl_matches(normal_kl, "normal", "normal")


# -- parameters: hypothesis strategies ---------------------------------------------------
FAMILIES = {
    "Normal": sk.Normal("mu", "sigma"),
    "Uniform": sk.Uniform("a", "b"),
    "Binomial": sk.Binomial("n", "p"),
    "Beta": sk.Beta("a", "b"),
    "StudentT": sk.StudentT(),
    "Categorical named": sk.Categorical(["a", "b", "c"]),
    "Categorical one fixed": sk.Categorical([sp.Rational(1, 2), "b", "c"]),
    "Categorical expressions": sk.Categorical(["t", 1 - sp.Symbol("t", positive=True)]),
    "Categorical symbolic": sk.Categorical.symbolic("p", "K"),
    "DiagonalNormal named": sk.DiagonalNormal(["m1", "m2"], ["s1", "s2"]),
    "DiagonalNormal symbolic": sk.DiagonalNormal.symbolic("mu", "sigma", "n"),
    "Dirichlet symbolic": sk.Dirichlet(),
    "MultivariateNormal named": sk.MultivariateNormal(["m1", "m2", "m3"],
                                                      [[f"c{min(i, j)}{max(i, j)}" for j in range(3)]
                                                       for i in range(3)]),
    "MultivariateNormal symbolic": sk.MultivariateNormal(),
    "by name": "gamma",
}


@pytest.mark.parametrize("family", FAMILIES.values(), ids=FAMILIES.keys())
def test_drawn_parameters_are_valid_for_the_family(family):
    family = sk.families.by_name(family) if isinstance(family, str) else family
    names = {str(s) for s in family.free_symbols}

    @settings(max_examples=40, deadline=None)
    @given(parameters(family))
    def check(values):
        assert set(values) == names
        keys = {str(s): s for s in family.free_symbols}
        family.subs({keys[n]: sp.sympify(v) if not isinstance(v, list) else v for n, v in values.items()})

    check()


@settings(max_examples=60, deadline=None)
@given(parameters(sk.Uniform("a", "b")), parameters(sk.Categorical.symbolic("p", "K")),
       parameters(sk.MultivariateNormal()), parameters(sk.Binomial("n", "p")))
def test_constraints_that_bind_parameters_together_hold(uniform, categorical, normal, binomial):
    assert uniform["a"] < uniform["b"]
    assert len(categorical["p"]) == categorical["K"] >= 2
    assert sum(categorical["p"]) == pytest.approx(1, abs=1e-12) and min(categorical["p"]) > 0
    cov = np.array(normal["Sigma"])
    assert cov.shape == (normal["k"], normal["k"]) and np.allclose(cov, cov.T)
    np.linalg.cholesky(cov)  # positive definite
    assert isinstance(binomial["n"], int) and 0 < binomial["p"] < 1


@settings(max_examples=20, deadline=None)
@given(parameters(sk.Normal("m", "s")))
def test_drawn_parameters_evaluate_a_result(values):
    r = sk.kl(sk.Normal("m", "s"), sk.Normal(0, 1))
    assert float(r.evalf(values)) == pytest.approx(normal_kl(values["m"], values["s"], 0, 1), rel=1e-12, abs=1e-14)


def test_parameters_errors():
    with pytest.raises(ValueError, match="has no symbolic parameters"):
        parameters(sk.Normal(0, 1))
    with pytest.raises(TypeError, match="expected a distribution"):
        parameters(3)


def test_parameters_without_hypothesis_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    with pytest.raises(ImportError, match="pip install hypothesis"):
        parameters(sk.Normal("mu", "sigma"))


# -- the example a user would copy ---------------------------------------------------------
def test_the_vae_example_runs():
    path = ROOT / "examples" / "test_my_vae_kl.py"
    spec = importlib.util.spec_from_file_location("example_test_my_vae_kl", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    for term in (example.vae_kl, example.vae_kl_pytorch_style):
        example.test_vae_kl_matches_the_derived_divergence(term)
    for wrong in (example.vae_kl_without_the_half, example.vae_kl_with_sigma_for_variance):
        example.test_a_wrong_vae_kl_is_caught(wrong)
    example.test_vae_kl_with_a_fixed_latent_size()
    example.test_a_batch_agrees_with_the_generated_code()
    ran = {name for name in vars(example) if name.startswith("test_")}
    assert ran == {"test_vae_kl_matches_the_derived_divergence", "test_a_wrong_vae_kl_is_caught",
                   "test_vae_kl_with_a_fixed_latent_size", "test_a_batch_agrees_with_the_generated_code"}

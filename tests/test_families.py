"""Parameters: names become Symbols with assumptions; bad values are refused clearly."""
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from sympy import Rational as R

import symkl as sk
from symkl.errors import InvalidInput, InvalidType, Unsupported


def test_strings_become_symbols_with_the_parameters_assumptions():
    p = sk.Normal("m", "s")
    assert p.mu == sp.Symbol("m", real=True) and p.mu.is_real
    assert p.sigma.is_positive
    assert sk.Exponential("lam").rate.is_positive
    a, b = sk.Categorical(["a", "b"]).probs
    assert a.is_positive and b.is_positive


def test_no_arguments_give_symbols_named_after_the_parameters():
    assert repr(sk.Normal()) == "Normal(mu, sigma)"
    assert repr(sk.Exponential()) == "Exponential(rate)"
    assert repr(sk.Categorical()) == "Categorical.symbolic(p, K)"


def test_symbols_and_expressions_are_kept():
    t = sp.Symbol("t", positive=True)
    p = sk.Normal(2 * t, t**2 + 1)
    assert p.args == (2 * t, t**2 + 1)


def test_numbers_stay_exact():
    assert sk.Normal(0, R(1, 10)).sigma == R(1, 10)
    assert sk.Exponential(3).rate == sp.Integer(3)


@pytest.mark.parametrize("make, message", [
    (lambda: sk.Normal(0, -1), "Normal: sigma must be positive, got -1"),
    (lambda: sk.Normal(0, 0), "Normal: sigma must be positive, got 0"),
    (lambda: sk.Normal(sp.I, 1), "Normal: mu must be a real number, got I"),
    (lambda: sk.Normal(sp.oo, 1), "Normal: mu must be a real number, got oo"),
    (lambda: sk.Normal(float("nan"), 1), "Normal: mu must be a real number, got nan"),
    (lambda: sk.Normal(0, -sp.Symbol("s", positive=True)), "Normal: sigma must be positive, got -s"),
    (lambda: sk.Exponential(-2), "Exponential: rate must be positive, got -2"),
    (lambda: sk.Exponential("2x"), "Exponential: rate must be a number or a name"),
    (lambda: sk.Categorical([0.5, 0.6]), "Categorical: probabilities must sum to 1"),
    (lambda: sk.Categorical([R(3, 2), R(-1, 2)]), r"Categorical: p_0 must be in \[0, 1\], got 3/2"),
    (lambda: sk.Categorical([]), "Categorical: probs must hold at least one probability"),
    (lambda: sk.Categorical.symbolic("p", -3), "Categorical: K must be a positive integer, got -3"),
])
def test_invalid_parameters_name_family_parameter_and_range(make, message):
    with pytest.raises(InvalidInput, match=message):
        make()


@pytest.mark.parametrize("make, message", [
    (lambda: sk.Normal(0), r"Normal takes 2 parameter\(s\) \(mu, sigma\), got 1"),
    (lambda: sk.Normal([1], 2), "Normal: mu must be a number, a name or a sympy expression"),
    (lambda: sk.Categorical("abc"), "Categorical: probs must be a sequence"),
])
def test_wrong_shapes_are_type_errors(make, message):
    with pytest.raises(InvalidType, match=message):
        make()


def test_float_probabilities_may_round():
    assert sk.Categorical([0.1, 0.2, 0.7]).size == 3


def test_strings_are_never_evaluated():
    with pytest.raises(InvalidInput, match="Normal: mu must be a number or a name"):
        sk.Normal("__import__('os').system('true')", 1)


def test_supports():
    assert sk.Normal().support == sp.Reals
    assert sk.Exponential().support == sp.Interval(0, sp.oo)
    assert sk.Categorical([0, R(1, 2), R(1, 2)]).support == sp.FiniteSet(1, 2)


def test_symbolic_categorical_becomes_explicit_at_values():
    p = sk.Categorical.symbolic("p", "K")
    K = sp.Symbol("K", integer=True, positive=True)
    explicit = p.subs({K: 2, p.probs.label: [R(1, 4), R(3, 4)]})
    assert explicit == sk.Categorical([R(1, 4), R(3, 4)])


@pytest.mark.parametrize("make, message", [
    (lambda: sk.Normal(0, sp.Float("inf")), "Normal: sigma must be positive, got oo"),
    (lambda: sk.Normal(-sp.oo, 1), "Normal: mu must be a real number, got -oo"),
    (lambda: sk.Normal(sp.zoo, 1), "Normal: mu must be a real number, got zoo"),
    (lambda: sk.Normal(1j, 1), "Normal: mu must be a real number, got 1j"),
    (lambda: sk.Normal(sp.sqrt(-2), 1), "Normal: mu must be a real number, got sqrt(2)"),
    (lambda: sk.Normal(0, -0.0), "Normal: sigma must be positive, got 0.0"),
    (lambda: sk.Normal(0, 1e-400), "Normal: sigma must be positive, got 0"),
    (lambda: sk.Normal(np.float64("nan"), 1), "Normal: mu must be a real number, got nan"),
    (lambda: sk.Normal(0, sp.cos(1) ** 2 + sp.sin(1) ** 2 - 1), "of which sympy cannot tell"),
    (lambda: sk.Binomial(2.5, R(1, 2)), "Binomial: n must be a positive integer, got 2.5"),
    (lambda: sk.Binomial(2.0, R(1, 2)), "Binomial: n must be a positive integer, got 2.0"),
    (lambda: sk.Binomial(-3, R(1, 2)), "Binomial: n must be a positive integer, got -3"),
    (lambda: sk.Exponential("ｒ"), "Exponential: rate must be a number or a name"),
    (lambda: sk.Categorical.symbolic("x y", "K"), "Categorical: probs must be a name"),
    (lambda: sk.Dirichlet.symbolic("a;b"), "Dirichlet: alpha must be a name"),
    (lambda: sk.Dirichlet.symbolic("a", 1), "Dirichlet: K needs at least 2 concentrations, got K = 1"),
    (lambda: sk.MultivariateNormal.symbolic("mu", "S)"), "MultivariateNormal: cov must be a name"),
    (lambda: sk.DiagonalNormal.symbolic("m-1", 1), "DiagonalNormal: mu must be a name"),
    (lambda: sk.Normal("s", "s"), "the name 's' is positive and real in Normal(s, s)"),
])
def test_non_finite_complex_undecidable_and_ill_named_values_are_refused(make, message):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        make()


@pytest.mark.parametrize("make, message", [
    (lambda: sk.Normal(True, 1), "Normal: mu must be a number, a name or a sympy expression, got bool True"),
    (lambda: sk.Normal(None, 1), "Normal: mu must be a number, a name or a sympy expression, got None"),
    (lambda: sk.Normal(np.array([1.0, 2.0]), 1), "Normal: mu must be a number, a name or a sympy"),
    (lambda: sk.Normal(np.bool_(True), 1), "got bool True"),
    (lambda: sk.Normal(sp.true, 1), "got BooleanTrue True"),
    (lambda: sk.Dirichlet("alpha"), "Dirichlet: alpha must be a sequence, a column matrix or a 1-D array"),
    (lambda: sk.Categorical.symbolic(3, "K"), "Categorical: probs must be a name for the indexed entries"),
])
def test_values_of_the_wrong_kind_are_type_errors(make, message):
    with pytest.raises(InvalidType, match=message.replace("(", r"\(").replace(")", r"\)")):
        make()


def test_a_count_too_large_to_compute_with_is_refused_as_unsupported():
    with pytest.raises(Unsupported, match=r"Binomial: n is too large to compute with \(got an integer of "
                                          r"about 101 digits\); symkl takes at most 100,000"):
        sk.Binomial(10 ** 100, R(1, 2))
    with pytest.raises(Unsupported, match="Categorical: K is too large"):
        sk.Categorical.symbolic("p", 10 ** 6)
    assert sk.Binomial(10 ** 5, R(1, 2)).n == 10 ** 5
    with pytest.raises(Unsupported, match="Normal: mu holds a number of more than 4300 digits"):
        sk.Normal(10 ** 5000, 1)
    with pytest.raises(Unsupported, match=r"Normal: sigma holds a number of more than 4300 digits \(a "
                                          r"float counts as the exact binary number it is\)"):
        sk.Normal(0, sp.Float("1e10000"))  # exactly an integer of 10001 digits


def test_numbers_of_every_kind_are_taken():
    assert sk.Normal(Fraction(1, 3), np.int64(2)).args == (R(1, 3), 2)
    assert sk.Normal(np.float64(0.5), np.array(2.0)).args == (sp.Float(0.5), sp.Float(2.0))
    assert sk.Normal(10 ** 4000, sp.Float("1e1000")).sigma == sp.Float("1e1000")
    assert sk.Normal(0, sp.Float("1e-400")).sigma.is_positive


@pytest.mark.parametrize("vector, matrix", [
    (np.array, np.array), (tuple, lambda rows: tuple(map(tuple, rows))), (sp.Matrix, sp.Matrix),
    (lambda v: [[e] for e in v], list),
], ids=["numpy", "tuples", "sympy", "columns"])
def test_vector_families_take_arrays_tuples_matrices_and_columns(vector, matrix):
    assert sk.MultivariateNormal(vector([0, 1]), matrix([[2, 1], [1, 2]])) == \
        sk.MultivariateNormal([0, 1], [[2, 1], [1, 2]])
    assert sk.DiagonalNormal(vector([0, 1]), vector([1, 2])) == sk.DiagonalNormal([0, 1], [1, 2])
    assert sk.Dirichlet(vector([1, 2, 3])) == sk.Dirichlet([1, 2, 3])
    assert sk.Categorical(vector([0, 1])) == sk.Categorical([0, 1])


def test_numpy_floats_in_vectors_are_the_floats_they_hold():
    assert sk.Categorical(np.array([0.25, 0.75])) == sk.Categorical([0.25, 0.75])
    assert sk.kl(sk.DiagonalNormal(np.zeros(2), np.ones(2)), sk.DiagonalNormal(0, 1)).expr == 0


def test_two_names_for_a_diagonal_normal_mean_its_symbolic_length_form():
    assert sk.DiagonalNormal("mu", "sigma") == sk.DiagonalNormal.symbolic("mu", "sigma", "n")
    assert sk.kl(sk.DiagonalNormal("mu", "sigma"), sk.DiagonalNormal(0, 1)).expr == \
        sk.kl(sk.DiagonalNormal.symbolic("mu", "sigma", "n"), sk.DiagonalNormal(0, 1)).expr


@pytest.mark.parametrize("p, q, message", [
    (sk.MultivariateNormal(), sk.Normal(), "MultivariateNormal.symbolic(mu, Sigma, k) is a distribution "
     "of a random vector, Normal(mu, sigma) one of a single variable: a divergence compares two "
     "distributions on the same space (a vector of one coordinate is still a vector)"),
    (sk.Normal(), sk.MultivariateNormal([0], [[1]]), "MultivariateNormal([0], [[1]]) is a distribution "
     "of a random vector"),
    (sk.Dirichlet([1, 2]), sk.Normal(0, 1), "Dirichlet([1, 2]) is a distribution of a random vector"),
    (sk.MultivariateNormal(), sk.DiagonalNormal.symbolic("mu", "sigma", "k"),
     "MultivariateNormal.symbolic(mu, Sigma, k) is written with matrix symbols of symbolic dimension, "
     "DiagonalNormal.symbolic(mu, sigma, k) with indexed coordinates"),
    (sk.Dirichlet([1, 2]), sk.MultivariateNormal([0, 0], [[1, 0], [0, 1]]),
     "Dirichlet: MultivariateNormal([0, 0], [[1, 0], [0, 1]]) is not on the simplex"),
    (sk.DiagonalNormal(0, 1), sk.DiagonalNormal(0, 1), "DiagonalNormal: give sequences"),
    (sk.Normal("a", "s"), sk.Normal("s", 1), "the name 's' is positive in Normal(a, s) but real in "
     "Normal(s, 1): give the two parameters different names"),
])
def test_what_cannot_be_compared_is_refused_saying_why(p, q, message):
    with pytest.raises(InvalidInput) as refused:
        sk.kl(p, q)
    assert message in str(refused.value)


def test_explicit_random_vectors_of_different_families_compare():
    mvn = sk.MultivariateNormal([0, 1], [[2, 1], [1, 2]])
    assert sk.kl(mvn, sk.DiagonalNormal([0, 0], [1, 1])).expr == sk.kl(mvn, sk.DiagonalNormal(0, 1)).expr

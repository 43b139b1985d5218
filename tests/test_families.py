"""Parameters: names become Symbols with assumptions; bad values are refused clearly."""
import pytest
import sympy as sp
from sympy import Rational as R

import symkl as sk


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
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("make, message", [
    (lambda: sk.Normal(0), r"Normal takes 2 parameter\(s\) \(mu, sigma\), got 1"),
    (lambda: sk.Normal([1], 2), "Normal: mu must be a number, a name or a sympy expression"),
    (lambda: sk.Categorical("abc"), "Categorical: probs must be a sequence"),
])
def test_wrong_shapes_are_type_errors(make, message):
    with pytest.raises(TypeError, match=message):
        make()


def test_float_probabilities_may_round():
    assert sk.Categorical([0.1, 0.2, 0.7]).size == 3


def test_strings_are_never_evaluated():
    with pytest.raises(ValueError):
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

"""The result object: readable text, evaluation by name (its LaTeX: test_latex.py)."""
import numpy as np
import pytest
import sympy as sp
from sympy import Rational as R

import symkl as sk
from symkl.errors import InvalidInput, InvalidType

NORMAL = sk.kl(sk.Normal(), sk.Normal())


def test_jupyter_and_text_forms():
    assert NORMAL._repr_latex_() == rf"$\displaystyle {NORMAL.latex()}$"
    assert repr(NORMAL) == ("D_KL(Normal(mu_1, sigma_1) ‖ Normal(mu_2, sigma_2)) = "
                            "log(sigma_2/sigma_1) - 1/2 + (sigma_1**2 + (mu_1 - mu_2)**2)/(2*sigma_2**2)")
    assert "σ₁" in str(NORMAL) and "⎛σ₂⎞" in str(NORMAL)
    assert "[from the log-partition]" in NORMAL.steps_text()
    infinite = sk.kl(sk.Normal(), sk.Exponential())
    assert "p has mass where q has none" in str(infinite)


def test_subs_by_name_symbol_or_keyword():
    by_name = NORMAL.subs({"mu_1": 0, "sigma_1": 1, "mu_2": 1, "sigma_2": 2})
    sigma_1 = sp.Symbol("sigma_1", positive=True)
    by_symbol = NORMAL.subs({sigma_1: 1}, mu_1=0, mu_2=1, sigma_2=2)
    assert by_name.expr == by_symbol.expr == sp.log(2) - R(1, 4)
    assert by_name.p == sk.Normal(0, 1) and by_name.q == sk.Normal(1, 2)
    partial = NORMAL.subs(mu_1=0, mu_2=0)
    assert partial.expr == sk.kl(sk.Normal(0, "sigma_1"), sk.Normal(0, "sigma_2")).expr


def test_subs_refuses_unknown_names():
    with pytest.raises(InvalidInput, match="no parameter named 'nu'; parameters: mu_1, mu_2, sigma_1, sigma_2"):
        NORMAL.subs(nu=1)


def test_evalf_takes_keywords_as_subs_does():
    assert NORMAL.evalf(mu_1=0, sigma_1=1, mu_2=1, sigma_2=2) == sp.N(sp.log(2) - R(1, 4))
    assert NORMAL.evalf({"mu_1": 0, "sigma_1": 1}, 30, mu_2=1, sigma_2=2) == sp.N(sp.log(2) - R(1, 4), 30)
    binomial = sk.kl(sk.Binomial(), sk.Binomial())  # its n goes in the dict: n is the digits
    assert binomial.evalf({"n": 3}, 20, p_1=R(1, 2), p_2=R(1, 3)) == \
        sp.N(sk.kl(sk.Binomial(3, R(1, 2)), sk.Binomial(3, R(1, 3))).expr, 20)


POINT = {"mu_1": 0, "sigma_1": 1, "mu_2": 1, "sigma_2": 2}


@pytest.mark.parametrize("name, value, error, message", [
    ("sigma_1", -1, InvalidInput, "Normal: sigma must be positive, got -1"),
    ("sigma_1", 0.0, InvalidInput, "Normal: sigma must be positive, got 0"),
    ("mu_1", float("nan"), InvalidInput, "mu_1 must be a real number, got nan"),
    ("mu_1", float("inf"), InvalidInput, "mu_1 must be a real number, got oo"),
    ("mu_1", -np.inf, InvalidInput, "mu_1 must be a real number, got -oo"),
    ("mu_1", 1j, InvalidInput, "mu_1 must be a real number, got 1j"),
    ("mu_1", sp.zoo, InvalidInput, "mu_1 must be a real number, got zoo"),
    ("mu_1", "0", InvalidType, "mu_1 must be a number or a sympy expression, got str '0'"),
    ("mu_1", True, InvalidType, "mu_1 must be a number or a sympy expression, got bool True"),
    ("mu_1", None, InvalidType, "got None"),
    ("mu_1", [0], InvalidType, "mu_1 is one number, got list [0]"),
    ("mu_1", {"a": 0}, InvalidType, "mu_1 is one number, got dict"),
    ("mu_1", np.array([0.0, 1.0]), InvalidType, "mu_1 is one number, got ndarray"),
])
@pytest.mark.parametrize("use", ["subs", "evalf", "verify"])
def test_values_are_checked_as_the_constructors_check_them(use, name, value, error, message):
    with pytest.raises(error) as refused:
        getattr(NORMAL, use)({**POINT, name: value})
    assert message in str(refused.value)


def test_a_binomials_n_is_checked_at_evaluation():
    with pytest.raises(InvalidInput, match="Binomial: n must be a positive integer, got -3"):
        sk.kl(sk.Binomial(), sk.Binomial()).evalf({"n": -3, "p_1": 0.5, "p_2": 0.3})


def test_values_for_vectors_and_matrices_may_be_numpy_arrays():
    mvn = sk.kl(sk.MultivariateNormal(), sk.MultivariateNormal())
    lists = {"k": 2, "mu_1": [0, 1], "Sigma_1": [[2, 1], [1, 2]], "mu_2": [1, 1], "Sigma_2": [[1, 0], [0, 3]]}
    arrays = {k: np.array(v) for k, v in lists.items()}
    assert mvn.evalf(arrays) == mvn.evalf(lists) == mvn.evalf({**lists, "mu_1": [[0], [1]]})
    vae = sk.kl(sk.DiagonalNormal(), sk.DiagonalNormal(0, 1))
    assert vae.evalf({"n": 2}, 20, mu_1=np.array([0.0, 1.0]), sigma_1=(1, 2)) == \
        vae.evalf({"n": 2, "mu_1": {1: 0, 2: 1}, "sigma_1": [1, 2]}, 20) == sp.N(2 - sp.log(2), 20)
    assert vae.evalf(mu_1=[0, 1], sigma_1=[1, 2]).has(sp.Sum)  # without n: the sum stays


@pytest.mark.parametrize("values, error, message", [
    ({"mu_1": ["__import__('os')"], "Sigma_1": [[1]]}, InvalidType,
     "mu_1[1, 1] must be a number or a sympy expression, got str"),
    ({"mu_1": [0, 1], "Sigma_1": "[[1, 0], [0, 1]]"}, InvalidType, "Sigma_1 is a matrix: give nested lists"),
    ({"mu_1": [0, 1], "Sigma_1": [[1, 0], [0]]}, InvalidInput, "Sigma_1 is a matrix: its rows need one length"),
    ({"mu_1": [0, float("nan")]}, InvalidInput, "mu_1[2, 1] must be a real number, got nan"),
])
def test_values_for_matrices_are_numbers_never_parsed(values, error, message):
    mvn = sk.kl(sk.MultivariateNormal(), sk.MultivariateNormal())
    with pytest.raises(error) as refused:
        mvn.evalf(values)
    assert message in str(refused.value)


def test_values_must_be_a_mapping_keyed_by_names():
    with pytest.raises(InvalidType, match="values must map parameter names to values, got list"):
        NORMAL.evalf([("mu_1", 0)])
    with pytest.raises(InvalidType, match="parameters are given by name or Symbol, got int 1"):
        NORMAL.subs({1: 0})
    with pytest.raises(InvalidInput, match="n, the number of digits, must be a positive integer, got 0"):
        NORMAL.evalf(POINT, 0)


def test_evaluation():
    values = {"mu_1": 0, "sigma_1": 1, "mu_2": 1, "sigma_2": 2}
    assert NORMAL.evalf(values, 30) == sp.N(sp.log(2) - R(1, 4), 30)
    assert float(NORMAL.subs(values)) == pytest.approx(0.4431471805599453, rel=1e-15)


def test_subs_across_a_boundary_derives_again():
    a, b = sp.symbols("a b", positive=True)
    general = sk.kl(sk.Categorical([a, b]), sk.Categorical([R(1, 2), R(1, 2)]))
    assert general.evalf({"a": 0, "b": 1}) == sp.N(sp.log(2))

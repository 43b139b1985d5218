"""Both directions, their difference, and when they coincide."""
import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import symkl as sk
from oracles import KL_EXPONENTIAL, KL_NORMAL, mu_1, mu_2, rate_1, rate_2, sigma_1, sigma_2

NORMAL = sk.asymmetry(sk.Normal(), sk.Normal())
EXPONENTIAL = sk.asymmetry(sk.Exponential(), sk.Exponential())


def swap(expr, pairs):
    return expr.xreplace({a: b for a, b in pairs} | {b: a for a, b in pairs})


def test_both_directions_and_the_difference():
    pairs = [(mu_1, mu_2), (sigma_1, sigma_2)]
    assert sp.simplify(NORMAL.forward.expr - KL_NORMAL) == 0
    assert sp.simplify(NORMAL.reverse.expr - swap(KL_NORMAL, pairs)) == 0
    assert sp.simplify(NORMAL.difference - (KL_NORMAL - swap(KL_NORMAL, pairs))) == 0
    assert sp.simplify(EXPONENTIAL.difference
                       - (KL_EXPONENTIAL - swap(KL_EXPONENTIAL, [(rate_1, rate_2)]))) == 0


def test_condition_of_equality():
    assert NORMAL.equal_when == sp.Eq(sigma_1, sigma_2)
    assert EXPONENTIAL.equal_when == sp.Eq(rate_1, rate_2)


@settings(max_examples=40)
@given(st.floats(-20, 20), st.floats(-20, 20), st.floats(-2, 2), st.floats(-2, 2))
def test_the_condition_is_also_necessary_for_normals(m1, m2, e1, e2):
    s1, s2 = 10.0 ** e1, 10.0 ** e2
    values = {mu_1: m1, mu_2: m2, sigma_1: s1, sigma_2: s2}
    difference = sp.N(NORMAL.difference.xreplace({k: sp.Rational(v) for k, v in values.items()}), 30)
    if s1 == s2:
        assert difference == 0
    else:
        assert difference != 0


@settings(max_examples=40)
@given(st.floats(-3, 3), st.floats(-3, 3))
def test_the_condition_is_also_necessary_for_exponentials(e1, e2):
    values = {rate_1: sp.Rational(10.0 ** e1), rate_2: sp.Rational(10.0 ** e2)}
    difference = sp.N(EXPONENTIAL.difference.xreplace(values), 30)
    assert (difference == 0) == (values[rate_1] == values[rate_2])


def test_the_dense_and_the_dispersed():
    a = sk.asymmetry(sk.Normal(0, sp.Rational(1, 10)), sk.Normal(0, 10))
    with mpmath.workdps(30):
        assert mpmath.almosteq(mpmath.mpf(str(sp.N(a.forward.expr, 30))),
                               mpmath.log(100) + mpmath.mpf("0.01") / 200 - 0.5, 1e-28)
        assert mpmath.almosteq(mpmath.mpf(str(sp.N(a.reverse.expr, 30))),
                               mpmath.log(mpmath.mpf("0.01")) + 100 / mpmath.mpf("0.02") - 0.5, 1e-28)
    assert a.equal_when == sp.false
    assert sk.asymmetry(sk.Normal(0, 1), sk.Normal(5, 1)).equal_when == sp.true


def test_categorical_asymmetry():
    a = sk.asymmetry(sk.Categorical.symbolic("p", "K"), sk.Categorical.symbolic("q", "K"))
    p, q = (sp.IndexedBase(n, positive=True) for n in "pq")
    assert a.equal_when == sp.Eq(p, q)


def test_latex_and_text():
    block = NORMAL.latex()
    assert block.startswith("\\begin{align*}") and r"= 0 \iff \sigma_{1} = \sigma_{2}" in block
    assert "equal when: σ₁ = σ₂" in str(NORMAL)


@pytest.mark.parametrize("base", [2])
def test_bits(base):
    a = sk.asymmetry(sk.Exponential(), sk.Exponential(), base=base)
    assert sp.simplify(a.forward.expr * sp.log(2) - KL_EXPONENTIAL) == 0

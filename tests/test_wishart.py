"""The Wishart and inverse Wishart laws: textbook oracles, declared facts, checks, errors.

The KL formulas are compared with Penny's (tests/oracles.py) at random points,
explicit k = 2 and 3 and the matrix-symbolic form alike; each family's declared
expectations (E[X], E[X⁻¹], E[log det X]) against quadrature of its own density
for k = 1, and the closed forms against the package's cubature over the cone
(k = 1 at 50 digits; k = 2, a three-dimensional cubature, at 15 digits in the
slow suite).
"""
import random

import mpmath
import pytest
import sympy as sp

import symkl as sk
from oracles import kl_inverse_wishart, kl_wishart
from symkl.errors import InvalidInput, Unsupported

R = sp.Rational
N1, N2 = sp.symbols("n_1 n_2", positive=True)


def scale(rng, k):
    a = sp.Matrix(k, k, lambda i, j: R(rng.randint(-10, 10), 10))
    return sp.ImmutableMatrix(a * a.T + sp.eye(k) / 2)


def agree(a, b, digits=40):
    x, y = sp.N(a, digits + 10), sp.N(b, digits + 10)
    return abs(x - y) <= 10 ** -digits * max(1, abs(y))


@pytest.mark.parametrize("family, oracle", [(sk.Wishart, kl_wishart), (sk.InverseWishart, kl_inverse_wishart)])
@pytest.mark.parametrize("k", [2, 3])
def test_kl_agrees_with_the_textbook(family, oracle, k):
    rng = random.Random(f"{family.__name__} {k}")
    v1, v2 = scale(rng, k), scale(rng, k)
    result = sk.kl(family(N1, v1), family(N2, v2))
    assert result.closed_form
    for _ in range(3):
        n1, n2 = (k - 1 + R(rng.randint(2, 60), 10) for _ in range(2))
        assert agree(result.expr.subs({N1: n1, N2: n2}), oracle(n1, v1, n2, v2))


@pytest.mark.parametrize("family, oracle", [(sk.Wishart, kl_wishart), (sk.InverseWishart, kl_inverse_wishart)])
def test_the_matrix_symbolic_kl_is_the_textbook_one_at_every_size(family, oracle):
    result = sk.kl(family(), family())
    assert result.closed_form
    rng = random.Random(family.__name__)
    for k in (1, 2, 3):
        values = {}
        values.update(result.p.sample(rng, {sp.Symbol("k", integer=True, positive=True): k}))
        values.update(result.q.sample(rng, values))
        (n1, s1), (n2, s2) = ((values[d.args[0]], values[d.args[1]]) for d in (result.p, result.q))
        assert agree(result.subs(values).expr, oracle(n1, s1, n2, s2))


def test_equal_laws_are_zero_apart():
    v = sp.ImmutableMatrix([[2, 1], [1, 3]])
    for family in (sk.Wishart, sk.InverseWishart):
        assert sk.kl(family(R(7, 2), v), family(R(7, 2), v)).expr == 0
        assert sp.simplify(sk.kl(family(N1, v), family(N2, v)).expr.subs(N2, N1)) == 0


def test_the_cross_pairs_are_infinite_where_the_inverse_has_no_mean():
    v = sp.ImmutableMatrix([[2, 1], [1, 3]])
    result = sk.kl(sk.Wishart(N1, v), sk.InverseWishart(N2, sp.eye(2)))
    assert result.closed_form
    assert result.expr.subs({N1: 3, N2: 4}) == sp.oo  # E[X⁻¹] of W(n, V) needs n > k + 1
    assert result.expr.subs({N1: R(7, 2), N2: 4}).is_finite


def density_mean(family, statistic):
    """E[statistic(X)] for a 1 × 1 law, by mpmath's own quadrature of its density: in x
    where its mass lies, in s = log x (dx = x ds) beside 0 and ∞, where x^a becomes e^{as}."""
    x = family.variable()[0]
    f = sp.lambdify(x, sp.exp(family.log_density(family.variable())) * statistic(x), "mpmath")
    in_log = lambda s: 0 if abs(s) > 700 else f(mpmath.exp(s)) * mpmath.exp(s)  # e^{−117} and less beyond
    low, high = mpmath.mpf(1) / 100, mpmath.mpf(1000)
    return (mpmath.quad(in_log, [-mpmath.inf, mpmath.log(low)]) + mpmath.quad(f, [low, 1, 10, 100, high])
            + mpmath.quad(in_log, [mpmath.log(high), mpmath.inf]))


@pytest.mark.parametrize("family", [sk.Wishart(R(7, 3), [[R(3, 2)]]), sk.InverseWishart(R(9, 2), [[R(5, 3)]]),
                                    sk.InverseWishart(R(3, 2), [[2]])])
def test_declared_facts_agree_with_the_density(family):
    with mpmath.workdps(50):
        assert mpmath.almosteq(density_mean(family, lambda x: 1), 1, 1e-45)
        facts = [(family.mean_log_det(), sp.log), (family.mean_inverse()[0, 0], lambda x: 1 / x)]
        mean = family.mean()
        if isinstance(mean, sp.Piecewise):  # numbers decide its condition
            (mean, condition), = mean.args
            assert condition == sp.true
        if mean == sp.oo:  # n ≤ k + 1: the density's tail x^{−(n+2)/2}·x is not integrable
            assert family.args[0] <= 2
        else:
            facts.append((mean[0, 0], lambda x: x))
        for value, statistic in facts:
            assert mpmath.almosteq(density_mean(family, statistic), mpmath.mpf(sp.N(value, 60)), 1e-40)


@pytest.mark.parametrize("p, q", [
    (sk.Wishart(R(7, 2), [[2]]), sk.Wishart(R(5, 2), [[R(1, 3)]])),
    (sk.InverseWishart(R(7, 2), [[2]]), sk.InverseWishart(R(1, 2), [[R(1, 3)]])),
    (sk.Wishart(R(7, 2), [[2]]), sk.InverseWishart(R(5, 2), [[R(1, 3)]])),
    (sk.InverseWishart(R(9, 2), [[2]]), sk.Wishart(R(5, 2), [[R(1, 3)]])),
])
def test_closed_forms_agree_with_the_cubature_on_the_cone(p, q):
    assert sk.kl(p, q).verify(dps=50).digits >= 30


@pytest.mark.slow
def test_a_two_by_two_closed_form_agrees_with_the_cubature():
    p, q = sk.Wishart(R(7, 2), [[2, 1], [1, 3]]), sk.Wishart(R(5, 2), [[1, 0], [0, 1]])
    assert sk.kl(p, q).verify(dps=15).digits >= 13


def test_the_cubature_says_where_it_stops():
    result = sk.kl(sk.Wishart(3, [[2, 1], [1, 2]]), sk.Wishart(4, [[1, 0], [0, 1]]))
    with pytest.raises(Unsupported, match="k = 2 to at most 20 digits"):
        result.verify(dps=50)


@pytest.mark.parametrize("make, message", [
    (lambda: sk.Wishart(1, [[2, 1], [1, 2]]), "df must exceed k − 1 = 1"),
    (lambda: sk.InverseWishart(2, [[1, 2], [2, 1]]), "scale must be positive definite"),
    (lambda: sk.Wishart(3, [[1, 2], [3, 1]]), "scale must be symmetric"),
    (lambda: sk.Wishart(3, [[1, 0]]), "scale must be square"),
    (lambda: sk.kl(sk.Wishart(3, sp.eye(2)), sk.Wishart(3, sp.eye(3))), "same dimension"),
    (lambda: sk.kl(sk.Wishart(3, sp.eye(2)), sk.Wishart()), "explicit with explicit"),
    (lambda: sk.kl(sk.Wishart(3, sp.eye(2)), sk.MultivariateNormal([0, 0], sp.eye(2))),
     "not a law of positive-definite matrices"),
])
def test_bad_input_is_refused_with_the_reason(make, message):
    with pytest.raises(InvalidInput, match=message):
        make()

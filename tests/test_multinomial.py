"""The multinomial: the counts of K outcomes in n trials, explicit K or indexed K.

Its KL and the power-integral divergences against textbook forms (oracles.py), every
value against the exact sum over the counts (the numeric route reads the counts from the
declared supports), ties, zero probabilities, and the errors a user can make.
"""
import random

import pytest
import sympy as sp

import symkl as sk
from symkl.errors import InvalidInput, InvalidType

import oracles

R = sp.Rational
n = sp.Symbol("n", integer=True, positive=True)
a = sp.symbols("a1:4", positive=True)
b = sp.symbols("b1:4", positive=True)


def probabilities(rng, k=3):
    weights = [rng.randint(1, 9) for _ in range(k)]
    return [R(w, sum(weights)) for w in weights]


def point(seed, trials=4):
    rng = random.Random(seed)
    return {"n": trials, **dict(zip(map(str, a), probabilities(rng))), **dict(zip(map(str, b), probabilities(rng)))}


P, Q = sk.Multinomial("n", list(map(str, a))), sk.Multinomial("n", list(map(str, b)))


def same(expr, oracle):
    return sp.simplify(sp.expand_log(expr - oracle, force=True)) == 0


def test_kl_is_n_times_the_categoricals():
    result = sk.kl(P, Q)
    assert result.closed_form and same(result.expr, oracles.kl_multinomial(n, a, b))
    for seed in range(3):
        assert result.verify(point(seed), dps=50).digits >= 30


def test_kl_indexed_is_a_sum_over_the_outcomes():
    result = sk.kl(sk.Multinomial(), sk.Multinomial())
    i = sp.Symbol("i", integer=True, positive=True)
    p, q = (sp.IndexedBase(f"p_{t}", positive=True) for t in (1, 2))
    K = sp.Symbol("K", integer=True, positive=True)
    assert sp.simplify((result.expr - n * sp.Sum(p[i] * sp.log(p[i] / q[i]), (i, 1, K))).doit()) == 0
    values = {"n": 3, "K": 3, "p_1": {1: R(1, 2), 2: R(1, 3), 3: R(1, 6)}, "p_2": {1: R(1, 5), 2: R(2, 5), 3: R(2, 5)}}
    assert result.verify(values).digits >= 30


def test_kl_at_the_tie_is_zero():
    values = point(1)
    tied = {**values, **{str(t): values[str(s)] for s, t in zip(a, b)}}
    assert sk.kl(P, Q).subs(**tied).expr == 0
    assert sk.kl(P, Q).verify(tied).digits >= 30


@pytest.mark.parametrize("divergence, oracle", [
    (lambda p, q: sk.renyi(p, q, R(3, 2)), lambda: oracles.renyi_multinomial(n, a, b, R(3, 2))),
    (lambda p, q: sk.renyi(p, q, R(1, 3)), lambda: oracles.renyi_multinomial(n, a, b, R(1, 3))),
    (sk.bhattacharyya, lambda: oracles.renyi_multinomial(n, a, b, R(1, 2)) / 2),
    (sk.chi_square, lambda: sp.exp(oracles.renyi_multinomial(n, a, b, 2)) - 1),
], ids=["renyi 3/2", "renyi 1/3", "bhattacharyya", "chi_square"])
def test_power_divergences_by_the_multinomial_theorem(divergence, oracle):
    # ∫ p^α q^{1−α} = (Σ p_i^α q_i^{1−α})ⁿ from p's moment generating function; the
    # normaliser rule once read it as 1 (weights off the simplex taken for a multinomial)
    result = divergence(P, Q)
    assert result.closed_form
    values = point(2)
    at = {s: values[str(s)] for s in (*a, *b)} | {n: values["n"]}
    assert abs(sp.N((result.expr - oracle()).xreplace(at), 40)) < 1e-35
    assert result.verify(values).digits >= 30


@pytest.mark.parametrize("divergence", [sk.total_variation, sk.jensen_shannon, sk.jeffreys])
def test_exact_sums_over_the_counts(divergence):
    p = sk.Multinomial(4, [R(1, 2), R(1, 4), R(1, 4)])
    q = sk.Multinomial(4, [R(1, 5), R(2, 5), R(2, 5)])
    result = divergence(p, q)
    assert result.closed_form
    assert result.verify({}, dps=30).digits >= 30


def test_entropy_from_the_binomial_counts():
    result = sk.entropy(sk.Multinomial("n", list(map(str, a))))
    assert result.closed_form  # E log X_i! as a finite sum over X_i ~ Bin(n, a_i)
    values = {k: v for k, v in point(3, trials=5).items() if not k.startswith("b")}
    assert result.verify(values).digits >= 30
    indexed = sk.entropy(sk.Multinomial())
    sums = indexed.expr.atoms(sp.Sum)
    assert all(len({v.name for v, *_ in s.limits}) == len(s.limits) for s in sums)  # Σ_k inside Σ_i
    assert indexed.verify({"n": 5, "K": 3, "p": {1: R(1, 2), 2: R(1, 4), 3: R(1, 4)}}).digits >= 30


def test_an_outcome_of_probability_zero():
    p = sk.Multinomial(3, [R(1, 2), 0, R(1, 2)])
    q = sk.Multinomial(3, [R(1, 2), R(1, 2), 0])
    forward = sk.kl(p, q)
    assert forward.expr == sp.oo and "mass" in forward.reason
    assert forward.verify({}).digits == 50  # the exact sum finds it from q's support
    reverse = sk.kl(q, sk.Multinomial(3, [R(1, 3)] * 3))
    assert reverse.expr == sp.log(R(27, 8))  # X_3 = 0: E log X_3! = 0
    assert reverse.verify({}).digits >= 30
    assert sk.total_variation(p, q).verify({}, dps=30).digits >= 30


def test_bad_input_gets_a_clear_error():
    with pytest.raises(InvalidInput, match="sum to 1"):
        sk.Multinomial(3, [R(1, 2), R(1, 3)])
    with pytest.raises(InvalidInput, match="at least 2"):
        sk.Multinomial(3, [1])
    with pytest.raises(InvalidInput):
        sk.Multinomial(R(5, 2), [R(1, 2), R(1, 2)])
    with pytest.raises(InvalidType):
        sk.Multinomial(3)
    with pytest.raises(InvalidInput, match="same number of trials"):
        sk.kl(sk.Multinomial(3, [R(1, 2)] * 2), sk.Multinomial(4, [R(1, 2)] * 2))
    with pytest.raises(InvalidInput, match="same number of outcomes"):
        sk.kl(sk.Multinomial(3, [R(1, 2)] * 2), sk.Multinomial(3, [R(1, 3)] * 3))
    with pytest.raises(InvalidInput, match="random vector|counts"):
        sk.kl(sk.Multinomial(2, [R(1, 2)] * 2), sk.MultivariateNormal([0, 0], [[1, 0], [0, 1]]))


def test_indexed_power_divergences_by_the_multinomial_theorem():
    i = sp.Symbol("i", integer=True, positive=True)
    K = sp.Symbol("K", integer=True, positive=True)
    p, q = (sp.IndexedBase(f"p_{t}", positive=True) for t in (1, 2))
    result = sk.bhattacharyya(sk.Multinomial(), sk.Multinomial())
    assert result.closed_form
    oracle = -n * sp.log(sp.Sum(sp.sqrt(p[i] * q[i]), (i, 1, K)))
    values = {"n": 3, "K": 3, "p_1": {1: R(1, 2), 2: R(1, 3), 3: R(1, 6)}, "p_2": {1: R(1, 5), 2: R(2, 5), 3: R(2, 5)}}
    at = {n: 3, K: 3}
    filled = lambda e: e.xreplace(at).doit().xreplace(
        {p[j]: values["p_1"][j] for j in (1, 2, 3)} | {q[j]: values["p_2"][j] for j in (1, 2, 3)})
    assert abs(sp.N(filled(result.expr) - filled(oracle), 40)) < 1e-35
    assert result.verify(values).digits >= 30
    assert sk.chi_square(sk.Multinomial(), sk.Multinomial()).verify(values).digits >= 30

"""Laws made from other laws: loc + scale·X.  KL is invariant under the map, exactly."""
import pytest
import sympy as sp

import symkl as sk
from symkl.errors import InvalidInput, Unsupported

R = sp.Rational

PAIRS = [(sk.Normal("m1", "s1"), sk.Normal("m2", "s2")), (sk.Exponential("r1"), sk.Exponential("r2")),
         (sk.Gamma("a1", "b1"), sk.Gamma("a2", "b2")), (sk.Laplace("m1", "b1"), sk.Laplace("m2", "b2")),
         (sk.Cauchy("m1", "g1"), sk.Cauchy("m2", "g2")), (sk.Beta("a1", "b1"), sk.Beta("a2", "b2")),
         (sk.Gumbel("m1", "b1"), sk.Gumbel("m2", "b2"))]


@pytest.mark.parametrize("p, q", PAIRS, ids=lambda d: type(d).__name__)
def test_kl_of_the_same_affine_map_of_both_is_kl_of_the_two_exactly(p, q):
    mapped = sk.kl(sk.affine(p, "l", "c"), sk.affine(q, "l", "c"))
    assert mapped.closed_form
    assert sp.simplify(mapped.expr - sk.kl(p, q).expr) == 0


def test_kl_of_uniforms_mapped_alike_agrees_with_quadrature():
    r = sk.kl(sk.affine(sk.Uniform("a1", "b1"), "l", "c"), sk.affine(sk.Uniform("a2", "b2"), "l", "c"))
    point = {"a1": R(1, 2), "b1": 1, "a2": 0, "b2": 2, "l": R(-3, 2), "c": R(5, 2)}
    assert r.verify(point).digits >= 30
    assert r.subs(point).expr == sp.log(4)


def test_entropy_of_an_affine_image_gains_log_scale():
    for p in (sk.Normal("m", "s"), sk.Gamma("a", "b"), sk.Logistic("m", "s")):
        y = sk.affine(p, "l", "c")
        assert sp.simplify(sk.entropy(y).expr - sk.entropy(p).expr - sp.log(sp.Symbol("c", positive=True))) == 0


def test_an_affine_image_against_another_family():
    y = sk.affine(sk.Normal(0, 1), 1, 2)  # N(1, 4)
    assert sp.simplify(sk.kl(y, sk.Normal(0, 3)).expr - sk.kl(sk.Normal(1, 2), sk.Normal(0, 3)).expr) == 0
    r = sk.kl(sk.affine(sk.Exponential(1), R(1, 2), 3), sk.Gamma(2, 1))
    assert r.verify().digits >= 30  # supports (1/2, ∞) and (0, ∞): finite


def test_affine_is_refused_where_it_has_no_meaning():
    with pytest.raises(InvalidInput, match="continuous distribution of one variable"):
        sk.affine(sk.Poisson(1), 0, 2)
    with pytest.raises(InvalidInput, match="positive"):
        sk.affine(sk.Normal(0, 1), 0, -1)


def test_latex_writes_the_map():
    assert r"m + s \cdot \mathcal{N}\left(0, 1\right)" in sk.entropy(sk.affine(sk.Normal(0, 1), "m", "s")).latex()


# -- products of independent factors ---------------------------------------------------------
P = sk.Independent([sk.Normal("a", 1), sk.Exponential("r"), sk.Poisson("lam")])
Q = sk.Independent([sk.Normal(0, 2), sk.Exponential(1), sk.Poisson(3)])
POINT = {"a": R(1, 3), "r": R(5, 2), "lam": R(7, 4)}


def test_kl_and_entropy_of_products_are_the_sums_over_the_factors():
    r = sk.kl(P, Q)
    factors = [sk.kl(p, q).expr for p, q in zip(P.factors, Q.factors)]
    assert sp.simplify(r.expr - sp.Add(*factors)) == 0
    assert r.verify(POINT).digits >= 30  # the check sums its own quadrature of each factor
    entropy = sk.entropy(P)
    assert sp.simplify(entropy.expr - sp.Add(*(sk.entropy(p).expr for p in P.factors))) == 0
    assert entropy.verify(POINT).digits >= 30


@pytest.mark.parametrize("divergence, order", [(sk.renyi, R(1, 3)), (sk.renyi, 3), (sk.bhattacharyya, None),
                                               (sk.squared_hellinger, None), (sk.chi_square, None),
                                               (sk.jeffreys, None)])
def test_the_power_integral_multiplies_over_the_factors(divergence, order):
    r = divergence(P, Q, order) if order is not None else divergence(P, Q)
    assert r.closed_form
    assert r.verify(POINT).digits >= 30


def test_renyi_of_products_is_the_sum_and_hellinger_follows():
    alpha = R(1, 2)
    total = sp.Add(*(sk.renyi(p, q, alpha).expr for p, q in zip(P.factors, Q.factors)))
    assert sp.simplify(sk.renyi(P, Q, alpha).expr - total) == 0
    assert sp.simplify(sk.squared_hellinger(P, Q).expr - (1 - sp.exp(-total / 2))) == 0


def test_products_print_as_products_and_are_compared_factor_by_factor():
    r = sk.kl(P, Q)
    assert r"\otimes" in r.latex()
    assert [s.label for s in r.steps][-1] == "the sum over the independent factors"
    with pytest.raises(InvalidInput, match="another product of as many"):
        sk.kl(P, sk.Normal(0, 1))
    with pytest.raises(InvalidInput, match="another product of as many"):
        sk.kl(P, sk.Independent([sk.Normal(0, 1), sk.Exponential(1)]))
    with pytest.raises(Unsupported, match="does not split"):
        sk.total_variation(P, Q)
    with pytest.raises(InvalidInput, match="two or more"):
        sk.Independent([sk.Normal(0, 1)])


# -- truncation ------------------------------------------------------------------------------
def test_a_normal_truncated_to_the_half_line_is_the_half_normal_exactly():
    assert sk.kl(sk.Truncated(sk.Normal(0, 1), 0, sp.oo), sk.HalfNormal(1)).expr == 0
    assert sk.kl(sk.HalfNormal(1), sk.Truncated(sk.Normal(0, 1), 0, sp.oo)).expr == 0


@pytest.mark.slow  # 25 s; truncated exponentials are the fast sample
def test_truncated_normals_close_with_the_error_function():
    t = sk.Truncated(sk.Normal("m", "s"), -1, 2)
    entropy = sk.entropy(t)
    assert entropy.closed_form and entropy.expr.has(sp.erf)
    point = {"m": R(1, 3), "s": R(3, 2)}
    assert entropy.verify(point).digits >= 30
    assert sk.kl(t, sk.Normal(0, 1)).verify(point).digits >= 30


def test_truncated_exponentials_and_symbolic_ends():
    r = sk.kl(sk.Truncated(sk.Exponential("lam"), 0, 1), sk.Truncated(sk.Exponential("mu"), 0, 1))
    assert r.closed_form
    assert r.verify({"lam": 2, "mu": R(1, 2)}).digits >= 30
    ends = sk.Truncated(sk.Exponential(1), "a", "b")
    assert sk.entropy(ends).verify({"a": R(1, 2), "b": 3}).digits >= 30


def test_mass_outside_the_truncation_makes_kl_infinite():
    assert sk.kl(sk.Normal(0, 1), sk.Truncated(sk.Normal(0, 1), -1, 1)).expr == sp.oo


def test_bad_truncations_are_refused():
    with pytest.raises(InvalidInput, match="below the upper"):
        sk.Truncated(sk.Normal(0, 1), 2, 1)
    with pytest.raises(InvalidInput, match="misses the support"):
        sk.Truncated(sk.Exponential(1), -3, -1)
    with pytest.raises(InvalidInput, match="continuous distribution"):
        sk.Truncated(sk.Poisson(2), 0, 3)


# -- mixtures --------------------------------------------------------------------------------
H = R(1, 2)
TWO_NORMALS = sk.Mixture([sk.Normal(-1, 1), sk.Normal(1, 1)], [H, H])
OTHER = sk.Mixture([sk.Normal(0, 1), sk.Exponential(2)], [R(1, 3), R(2, 3)])


def test_the_cross_entropy_of_a_mixture_is_linear_in_it():
    r = sk.cross_entropy(TWO_NORMALS, sk.Normal(0, 2))
    assert r.closed_form
    oracle = (sk.cross_entropy(sk.Normal(-1, 1), sk.Normal(0, 2)).expr
              + sk.cross_entropy(sk.Normal(1, 1), sk.Normal(0, 2)).expr) / 2
    assert sp.simplify(r.expr - oracle) == 0
    assert r.verify().digits >= 30


@pytest.mark.parametrize("make", [
    lambda: sk.kl(TWO_NORMALS, sk.Normal(0, 2)), lambda: sk.kl(sk.Normal(0, 2), TWO_NORMALS),
    lambda: sk.entropy(TWO_NORMALS), lambda: sk.kl(TWO_NORMALS, OTHER.components[0]),
    lambda: sk.kl(sk.Mixture([sk.Normal(0, 1), sk.Normal(3, 2)], [R(1, 4), R(3, 4)]), TWO_NORMALS),
    lambda: sk.cross_entropy(sk.Laplace(0, 1), TWO_NORMALS)])
def test_what_is_not_linear_is_numeric_with_bounds_that_bracket_it(make):
    r = make()
    assert not r.closed_form and r.bounds is not None
    check = r.verify()
    assert check.digits >= 30  # the defining integral against the quadrature of the log-densities
    lower, upper = (sp.N(b, 40) for b in r.bounds)
    assert lower <= check.quadrature <= upper and lower < upper


def test_bad_mixtures_are_refused():
    with pytest.raises(InvalidInput, match="sum to 1"):
        sk.Mixture([sk.Normal(0, 1), sk.Normal(1, 1)], [H, R(1, 3)])
    with pytest.raises(InvalidInput, match="one weight per component"):
        sk.Mixture([sk.Normal(0, 1), sk.Normal(1, 1)], [1])
    with pytest.raises(InvalidInput, match="nonnegative"):
        sk.Mixture([sk.Normal(0, 1), sk.Normal(1, 1)], [R(3, 2), -H])
    with pytest.raises(InvalidInput, match="all continuous or all discrete"):
        sk.Mixture([sk.Normal(0, 1), sk.Poisson(1)], [H, H])
    with pytest.raises(Unsupported, match="of a mixture is not built"):
        sk.total_variation(TWO_NORMALS, sk.Normal(0, 1))

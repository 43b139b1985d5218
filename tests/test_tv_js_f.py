"""Total variation, Jensen–Shannon and f-divergences: textbook oracles written here by hand,
the identities between them and the other divergences, ties, bad generators, the CLI."""
import random

import pytest
import sympy as sp

import symkl as sk
from symkl.cli import main
from symkl.errors import InvalidInput

R = sp.Rational


def close(a, b, digits=30):
    return abs(sp.N(a - b, digits + 10)) < sp.Float(10) ** -digits * (1 + abs(sp.N(b, 20)))


def phi(z):
    return (1 + sp.erf(z / sp.sqrt(2))) / 2


# -- total variation: oracles -----------------------------------------------------------
@pytest.mark.parametrize("m1, m2, s", [(0, 1, 1), (R(-3, 2), R(1, 3), R(5, 2)), (2, 2, 3)])
def test_tv_of_normals_with_one_variance_is_2_phi_of_half_the_gap_minus_1(m1, m2, s):
    r = sk.total_variation(sk.Normal(m1, s), sk.Normal(m2, s))
    assert r.closed_form
    assert close(r.expr, 2 * phi(abs(sp.S(m1) - m2) / (2 * s)) - 1)


def test_tv_of_normals_with_one_symbolic_variance():
    m1, m2 = sp.symbols("mu_1 mu_2", real=True)
    s = sp.Symbol("sigma", positive=True)
    r = sk.total_variation(sk.Normal(m1, s), sk.Normal(m2, s))
    for a, b, c in [(0, 1, 1), (R(7, 3), R(-1, 2), R(1, 4))]:
        assert close(r.expr.subs({m1: a, m2: b, s: c}), 2 * phi(abs(sp.S(a) - b) / (2 * c)) - 1)


@pytest.mark.parametrize("m1, s1, m2, s2", [(0, 1, R(1, 2), 2), (1, 3, -2, R(1, 2)), (0, 1, 0, 2)])
def test_tv_of_normals_with_two_variances_from_the_roots_of_the_quadratic(m1, s1, m2, s2):
    m1, s1, m2, s2 = map(sp.S, (m1, s1, m2, s2))
    x = sp.Symbol("x")
    quadratic = (x - m2) ** 2 / (2 * s2 ** 2) - (x - m1) ** 2 / (2 * s1 ** 2) + sp.log(s2 / s1)
    r1, r2 = sorted(sp.solve(quadratic, x), key=lambda v: sp.N(v))
    D = lambda v: phi((v - m1) / s1) - phi((v - m2) / s2)
    oracle = abs(D(r1)) + abs(D(r2) - D(r1)) + abs(D(r2))  # ½ Σ |ΔP − ΔQ| over three pieces
    r = sk.total_variation(sk.Normal(m1, s1), sk.Normal(m2, s2))
    assert close(r.expr, oracle / 2)


@pytest.fixture(scope="module")
def laplace_tv():
    return sk.total_variation(sk.Laplace("m1", "b1"), sk.Laplace("m2", "b2"))


@pytest.mark.parametrize("m1, m2, b", [(0, 1, 1), (R(5, 2), R(-1, 3), R(2, 7)), (1, 1, 3)])
def test_tv_of_laplaces_with_one_scale_is_1_minus_e_to_minus_half_the_gap(laplace_tv, m1, m2, b):
    assert laplace_tv.closed_form
    oracle = 1 - sp.exp(-sp.Abs(m1 - m2) / (2 * b))  # one crossing, at the midpoint
    assert close(laplace_tv.subs(m1=m1, m2=m2, b1=b, b2=b).expr, oracle)


@pytest.mark.parametrize("m, b1, b2", [(0, 1, 2), (R(-7, 3), R(9, 4), R(1, 5))])
def test_tv_of_laplaces_with_one_location_from_the_two_symmetric_crossings(laplace_tv, m, b1, b2):
    # p = q at |x − m| = t, t/b₁ − t/b₂ = log(b₂/b₁); the tails beyond t hold e^(−t/b)
    t = sp.log(sp.S(b2) / b1) / (sp.S(1) / b1 - sp.S(1) / b2)
    oracle = sp.Abs(sp.exp(-t / b1) - sp.exp(-t / b2))
    assert close(laplace_tv.subs(m1=m, m2=m, b1=b1, b2=b2).expr, oracle)
    assert close(laplace_tv.subs(m1=m, m2=m, b1=b2, b2=b1).expr, oracle)  # symmetric


@pytest.mark.parametrize("point", [
    dict(m1=0, b1=1, m2=1, b2=2),  # the crossings on either side of both kinks
    dict(m1=0, b1=1, m2=R(1, 10), b2=5),
    dict(m1=3, b1=1, m2=-1, b2=R(1, 4)),  # the wider one's far crossing between the kinks
    dict(m1=R(1, 2), b1=R(3, 10), m2=-4, b2=R(31, 10)),
    dict(m1=R(1, 2), b1=R(3, 10), m2=R(1, 2), b2=3),
    dict(m1=0.5, b1=0.3, m2=-1.25, b2=3.0)])  # floats, taken as the binary numbers they are
def test_tv_of_laplaces_against_quadrature_in_every_arrangement(laplace_tv, point):
    assert laplace_tv.verify(point).digits >= 30
    swapped = dict(m1=point["m2"], b1=point["b2"], m2=point["m1"], b2=point["b1"])
    assert close(laplace_tv.subs(point).expr, laplace_tv.subs(swapped).expr)


def test_tv_of_exponentials_from_the_one_crossing():
    for l1, l2 in [(1, 3), (R(5, 2), R(1, 7))]:
        c = sp.log(sp.S(l1) / l2) / (l1 - l2)
        oracle = abs(sp.exp(-l2 * c) - sp.exp(-l1 * c))
        assert close(sk.total_variation(sk.Exponential(l1), sk.Exponential(l2)).expr, oracle)


@pytest.mark.parametrize("p, q, oracle", [
    (sk.Uniform(0, 2), sk.Uniform(1, 5), R(3, 4)),      # overlap [1, 2]: 1 − 1·min(½, ¼)
    (sk.Uniform(0, 1), sk.Uniform(2, 3), 1),             # disjoint
    (sk.Uniform(0, 4), sk.Uniform(1, 2), R(3, 4)),      # nested: 1 − 1·¼
    (sk.Bernoulli(R(1, 3)), sk.Bernoulli(R(3, 4)), R(5, 12)),
    (sk.Categorical([R(1, 2), R(1, 3), R(1, 6)]), sk.Categorical([R(1, 6), R(1, 6), R(2, 3)]), R(1, 2)),
    (sk.Binomial(3, R(1, 2)), sk.Bernoulli(R(1, 2)), R(1, 2)),  # ½(|1/8−1/2|+|3/8−1/2|+3/8+1/8)
])
def test_tv_exactly(p, q, oracle):
    r = sk.total_variation(p, q)
    assert r.closed_form and sp.simplify(r.expr - oracle) == 0


def test_tv_of_poissons_is_a_finite_sum_to_the_crossing():
    for l1, l2 in [(1, 3), (R(9, 2), R(2, 3))]:
        k_star = sp.floor((sp.S(l1) - l2) / sp.log(sp.S(l1) / l2))
        pmf = lambda lam, k: sp.exp(-lam) * sp.S(lam) ** k / sp.factorial(k)
        oracle = abs(sum(pmf(l1, k) - pmf(l2, k) for k in range(int(k_star) + 1)))
        r = sk.total_variation(sk.Poisson(l1), sk.Poisson(l2))
        assert r.closed_form and close(r.expr, oracle)


def test_tv_of_geometrics_closes_the_sum():
    r = sk.total_variation(sk.Geometric(), sk.Geometric())
    assert r.closed_form and not r.expr.has(sp.Sum)
    p1, p2 = R(1, 3), R(1, 5)
    k_star = int(sp.floor(sp.log(p2 / p1) / sp.log((1 - p1) / (1 - p2))))
    oracle = abs(sum(p1 * (1 - p1) ** k - p2 * (1 - p2) ** k for k in range(k_star + 1)))
    assert close(r.subs(p_1=p1, p_2=p2).expr, oracle)


@pytest.mark.parametrize("family", [sk.Normal, sk.Exponential, sk.Cauchy, sk.LogNormal,
                                    sk.HalfNormal, sk.Rayleigh, sk.Poisson, sk.Geometric,
                                    sk.Bernoulli, sk.Uniform, sk.Laplace])
def test_tv_is_closed_for_the_common_families_and_0_at_p_equal_q(family):
    r = sk.total_variation(family(), family())
    assert r.closed_form
    point = family().sample(random.Random(5))
    renamed = {sp.Symbol(f"{s.name}_{i}", **s.assumptions0): v
               for s, v in point.items() for i in (1, 2)}
    at = r.subs({str(k): v for k, v in renamed.items()})
    assert sp.simplify(at.expr) == 0


def test_tv_ties_read_the_limit_not_nan():
    r = sk.total_variation(sk.Normal(), sk.Normal())
    at = r.subs(mu_1=0, mu_2=1, sigma_1=2, sigma_2=2)  # equal variances: the linear branch
    assert close(at.expr, 2 * phi(sp.S(1) / 4) - 1)
    r = sk.total_variation(sk.Exponential(), sk.Exponential())
    assert r.subs(rate_1=3, rate_2=3).expr == 0


def test_pinsker_and_hellinger_bound_total_variation():
    rng = random.Random(11)
    for family in (sk.Normal, sk.Exponential, sk.Poisson, sk.Cauchy):
        p, q = family(), family()
        tv, kl, h2 = (f(p, q) for f in (sk.total_variation, sk.kl, sk.squared_hellinger))
        for _ in range(3):
            values = {**{f"{s.name}_1": v for s, v in p.sample(rng).items()},
                      **{f"{s.name}_2": v for s, v in q.sample(rng).items()}}
            t, k, h = (sp.N(r.subs(values).expr, 30) for r in (tv, kl, h2))
            assert h <= t + 1e-25 <= sp.sqrt(2 * h) + 2e-25  # H² ≤ TV ≤ √2 H
            assert t <= sp.sqrt(k / 2) + 1e-25                # Pinsker


# -- Jensen–Shannon -------------------------------------------------------------------
def test_js_of_bernoullis_by_hand():
    a, b = R(1, 3), R(3, 4)
    m = [(1 - a + 1 - b) / 2, (a + b) / 2]
    half = lambda p: sum(x * sp.log(x / y) for x, y in zip(p, m)) / 2
    oracle = half([1 - a, a]) + half([1 - b, b])
    assert close(sk.jensen_shannon(sk.Bernoulli(a), sk.Bernoulli(b)).expr, oracle)
    r = sk.jensen_shannon(sk.Bernoulli(), sk.Bernoulli())
    assert r.closed_form and close(r.subs(p_1=a, p_2=b).expr, oracle)


def test_js_is_log_2_for_disjoint_supports_and_0_for_equal_ones():
    apart = sk.Categorical([1, 0]), sk.Categorical([0, 1])
    assert sk.jensen_shannon(*apart).expr == sp.log(2)
    assert sk.jensen_shannon(*apart, base=2).expr == 1
    assert sk.jensen_shannon(sk.Uniform(0, 1), sk.Uniform(2, 3)).expr == sp.log(2)
    assert sk.jensen_shannon(sk.Bernoulli(R(1, 3)), sk.Bernoulli(R(1, 3))).expr == 0


def test_js_of_a_symbolic_categorical_is_a_sum_over_its_table():
    r = sk.jensen_shannon(sk.Categorical(), sk.Categorical())
    assert r.closed_form and r.expr.has(sp.Sum)


def test_js_of_cauchys_through_the_rational_mixture():
    # p + q of two Cauchy densities is a ratio of polynomials: log(p + q) is logs of
    # quadratics, whose expectations the Cauchy knows (Nielsen & Okamura's closed form)
    from oracles import js_cauchy
    r = sk.jensen_shannon(sk.Cauchy(), sk.Cauchy())
    assert r.closed_form and not r.expr.has(sp.Integral)
    x1, g1, x2, g2 = sp.symbols("x0_1 gamma_1 x0_2 gamma_2")
    oracle = js_cauchy(x1, g1, x2, g2)
    rng = random.Random(7)
    for values in [{"x0_1": R(1, 3), "gamma_1": R(1, 2), "x0_2": -1, "gamma_2": 2},
                   {"x0_1": 2, "gamma_1": 3, "x0_2": 2, "gamma_2": 3},  # p = q
                   {"x0_1": 0, "gamma_1": 1, "x0_2": 0, "gamma_2": R(7, 2)},
                   {"x0_1": R(rng.randint(-20, 20), 7), "gamma_1": R(rng.randint(1, 20), 7),
                    "x0_2": R(rng.randint(-20, 20), 7), "gamma_2": R(rng.randint(1, 20), 7)}]:
        at = r.subs(**values).expr
        truth = oracle.subs({sp.Symbol(k): v for k, v in values.items()})
        assert abs(sp.N(at - truth, 50)) < 1e-45
    assert r.verify({"x0_1": R(1, 3), "gamma_1": R(1, 2), "x0_2": -1, "gamma_2": 2}).digits >= 30
    assert r.subs(x0_1=2, gamma_1=3, x0_2=2, gamma_2=3).expr == 0


def test_js_without_a_closed_form_states_its_bounds():
    r = sk.jensen_shannon(sk.Normal(), sk.Normal())
    assert not r.closed_form
    lower, upper = r.bounds
    j = sk.jeffreys(sk.Normal(), sk.Normal()).expr
    assert lower == 0 and upper == sp.Min(sp.log(2), j / 4)
    at = r.subs(mu_1=0, sigma_1=1, mu_2=1, sigma_2=1)
    assert at.bounds[1] == sp.Min(sp.log(2), sp.S(1) / 4)


# -- f-divergences --------------------------------------------------------------------
PAIRS = [(sk.Normal(0, 1), sk.Normal(R(1, 2), R(6, 5))), (sk.Exponential(1), sk.Exponential(R(3, 2))),
         (sk.Poisson(2), sk.Poisson(5)), (sk.Bernoulli(R(1, 3)), sk.Bernoulli(R(3, 4)))]


@pytest.mark.parametrize("p, q", PAIRS, ids=lambda d: type(d).__name__)
def test_f_divergences_of_the_standard_generators_are_the_named_divergences(p, q):
    t = sp.Symbol("t")
    same = lambda a, b: close(a.expr, b.expr)
    assert same(sk.f_divergence(p, q, sp.Lambda(t, t * sp.log(t))), sk.kl(p, q))
    assert same(sk.f_divergence(p, q, lambda t: -sp.log(t)), sk.kl(q, p))
    assert same(sk.f_divergence(p, q, lambda t: (t - 1) ** 2), sk.chi_square(p, q))
    hellinger = sk.f_divergence(p, q, lambda t: (sp.sqrt(t) - 1) ** 2 / 2)
    assert same(hellinger, sk.squared_hellinger(p, q))
    assert same(sk.f_divergence(p, q, lambda t: sp.Abs(t - 1) / 2), sk.total_variation(p, q))
    assert same(sk.f_divergence(p, q, lambda t: t * sp.log(t) - sp.log(t)), sk.jeffreys(p, q))


def test_a_negative_power_swaps_p_and_q():
    p, q = sk.Normal(0, 1), sk.Normal(1, R(1, 2))
    r = sk.f_divergence(p, q, lambda t: 1 / t - 1)  # E_q[q/p] − 1 = χ²(q‖p)
    assert r.expr.is_finite and close(r.expr, sk.chi_square(q, p).expr)
    assert sk.f_divergence(q, p, lambda t: 1 / t - 1).expr == sp.oo == sk.chi_square(p, q).expr


def test_a_generator_of_another_shape_is_left_for_quadrature():
    r = sk.f_divergence(sk.Normal(), sk.Normal(), lambda t: (t - 1) ** 2 / (t + 1))
    assert not r.closed_form and r.expr.has(sp.Integral)


@pytest.mark.parametrize("f, words", [
    (lambda t: sp.sqrt(t) - 1, "convex"),
    (lambda t: t ** 2, r"f\(1\) must be 0"),
    (lambda t: t * sp.Symbol("a"), "function of t alone"),
    ("t**2", "Lambda or a function"),
    (sp.Lambda(sp.symbols("a b"), 0), "one variable"),
])
def test_bad_generators_are_refused_saying_why(f, words):
    with pytest.raises(InvalidInput, match=words):
        sk.f_divergence(sk.Normal(), sk.Normal(), f)


def test_the_f_divergence_asymmetry():
    a = sk.asymmetry(sk.Exponential(), sk.Exponential(), divergence="f_divergence",
                     f=lambda t: (t - 1) ** 2)
    assert a.equal_when == sp.Eq(sp.Symbol("rate_1", positive=True), sp.Symbol("rate_2", positive=True))
    with pytest.raises(InvalidInput, match="generator"):
        sk.asymmetry(sk.Normal(), sk.Normal(), divergence="f_divergence")


def test_symmetric_divergences_have_no_asymmetry():
    for divergence in ("total_variation", "jensen_shannon"):
        for family in (sk.Normal, sk.Exponential, sk.Poisson):
            assert sk.asymmetry(family(), family(), divergence=divergence).difference == 0


# -- the CLI --------------------------------------------------------------------------
def test_the_cli_commands(capsys):
    assert main(["total-variation", "poisson:1", "poisson:3"]) == 0
    assert "TV(Poisson(1), Poisson(3))" in capsys.readouterr().out
    assert main(["jensen-shannon", "categorical:1,0", "categorical:0,1", "--bits"]) == 0
    assert capsys.readouterr().out.strip().endswith("=\n1")
    assert main(["f-divergence", "exponential:1", "exponential:2", "--f", "t*log(t) - log(t)"]) == 0
    assert capsys.readouterr().out.strip().endswith("=\n1/2")
    assert main(["f-divergence", "normal", "normal", "--f", "__import__('os')"]) == 2
    assert "not a function of t" in capsys.readouterr().err

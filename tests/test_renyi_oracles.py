"""Rényi divergences the engine closes by its generic rules for integrals of a known shape,
each against a published formula typed in here (never the engine's):

* Laplace: the line split at the kinks |x − μ_i| (Gil, Alajaji & Linder 2013, Table 2;
  also derived by hand below, piece by piece);
* Pareto: a power of x over [max(x_m1, x_m2), ∞) (derived by hand);
* Weibull with a shared shape k: u = x^k, a Gamma integral (Gil et al. 2013);
* Dirichlet: the normaliser of a Dirichlet (Gil et al. 2013; Penny 2001);
* multivariate normal: the Gaussian integral (Gil et al. 2013), and with it the
  Bhattacharyya distance and the squared Hellinger distance.

Each is compared at orders α ∈ {1/3, 1/2, 9/10, 3/2, 2, 5}, at random exact rational
parameters and at ties, to 30 digits; where the integral diverges (α > 1) the engine
must say ∞; and the scalar families are checked against the package's own quadrature.
"""
import random

import mpmath
import pytest
import sympy as sp

import symkl as sk

ALPHA = sp.Symbol("alpha", positive=True)
R = sp.Rational
ORDERS = [R(1, 3), R(1, 2), R(9, 10), R(3, 2), sp.Integer(2), sp.Integer(5)]


def agree(engine, oracle):
    """Both ∞, or equal to 30 digits (evaluated with 50)."""
    engine, oracle = sp.sympify(engine), sp.sympify(oracle)
    if engine == sp.oo or oracle == sp.oo:
        return engine == oracle
    return abs(sp.N(engine - oracle, 50)) < 1e-30


def value(result, values, order=None):
    """The derived expression at ``values`` (names → numbers) and the order, put in as they are."""
    values = values if order is None else {**values, "alpha": order}
    return result.expr.xreplace({s: values[s.name] for s in result.expr.free_symbols if s.name in values})


def verified(result, values, order=None):
    """The package's quadrature agrees with the closed form to ≥ 30 digits."""
    values = dict(values) if order is None else {**values, "alpha": order}
    check = result.verify(values, dps=50)
    assert check.digits >= 30, (values, check)


def rational(rng, low, high, denominator=10):
    return R(rng.randint(low * denominator, high * denominator), denominator)


# -- Laplace --------------------------------------------------------------------------------------
def renyi_laplace_gil(m1, b1, m2, b2, a):
    """Gil et al. 2013: for α/b₁ + (1 − α)/b₂ > 0 and α ≠ b₁/(b₁ + b₂),
    D_α = log(b₂/b₁) + log(b₁ b₂² g(α) / (α² b₂² − (1 − α)² b₁²)) / (α − 1),
    g(α) = (α/b₁) e^{−(1−α)|μ₁−μ₂|/b₂} − ((1 − α)/b₂) e^{−α|μ₁−μ₂|/b₁}."""
    if not a / b1 + (1 - a) / b2 > 0:
        return sp.oo
    d = abs(m1 - m2)
    g = a / b1 * sp.exp(-(1 - a) * d / b2) - (1 - a) / b2 * sp.exp(-a * d / b1)
    return sp.log(b2 / b1) + sp.log(b1 * b2 ** 2 * g / (a ** 2 * b2 ** 2 - (1 - a) ** 2 * b1 ** 2)) / (a - 1)


def renyi_laplace_by_hand(m1, b1, m2, b2, a):
    """∫ p^α q^{1−α} with μ₁ = 0, μ₂ = d = |μ₁ − μ₂| (a reflection and a shift change nothing),
    split at 0 and d: on x < 0 the exponent is A·x − (1−α)d/b₂, on 0 < x < d it is
    B·x − (1−α)d/b₂, on x > d it is −A·x + (1−α)d/b₂, with A = α/b₁ + (1−α)/b₂ and
    B = (1−α)/b₂ − α/b₁; the constant (2b₁)^{−α}(2b₂)^{α−1} outside."""
    A, B, d = a / b1 + (1 - a) / b2, (1 - a) / b2 - a / b1, abs(m1 - m2)
    if not A > 0:
        return sp.oo
    left, right = sp.exp(-(1 - a) * d / b2) / A, sp.exp(-a * d / b1) / A
    middle = d * sp.exp(-a * d / b1) if B == 0 else (sp.exp(-a * d / b1) - sp.exp(-(1 - a) * d / b2)) / B
    integral = (left + middle + right) / ((2 * b1) ** a * (2 * b2) ** (1 - a))
    return sp.log(integral) / (a - 1)


def laplace_points(rng):
    """Random parameters, then ties: μ₁ = μ₂, b₁ = b₂ (where B = 0 at α = ½), and p = q."""
    points = []
    for _ in range(3):
        points.append({"mu_1": rational(rng, -3, 3), "b_1": rational(rng, 1, 4),
                       "mu_2": rational(rng, -3, 3), "b_2": rational(rng, 1, 4)})
    points.append({"mu_1": R(1, 3), "b_1": R(3, 2), "mu_2": R(1, 3), "b_2": R(7, 10)})
    points.append({"mu_1": R(-1, 2), "b_1": R(6, 5), "mu_2": R(2, 3), "b_2": R(6, 5)})
    points.append({"mu_1": R(-1, 2), "b_1": R(6, 5), "mu_2": R(-1, 2), "b_2": R(6, 5)})
    return points


def test_the_two_laplace_oracles_agree():
    rng = random.Random(10)
    for point in laplace_points(rng):
        for a in ORDERS:
            args = (point["mu_1"], point["b_1"], point["mu_2"], point["b_2"], a)
            if a == point["b_1"] / (point["b_1"] + point["b_2"]):
                continue  # Gil's form reads 0/0 there
            assert agree(renyi_laplace_gil(*args), renyi_laplace_by_hand(*args)), (point, a)


def test_laplace_is_closed_and_matches_the_textbook():
    r = sk.renyi(sk.Laplace(), sk.Laplace(), ALPHA)
    assert r.closed_form and not r.expr.has(sp.Integral)
    rng = random.Random(11)
    for point in laplace_points(rng):
        for a in ORDERS:
            oracle = renyi_laplace_by_hand(point["mu_1"], point["b_1"], point["mu_2"], point["b_2"], a)
            assert agree(value(r, point, a), oracle), (point, a)
    tie = {"mu_1": R(1, 3), "b_1": R(6, 5), "mu_2": R(1, 3), "b_2": R(6, 5)}
    assert value(r, tie, R(1, 3)) == 0 and value(r, tie, 5) == 0


def test_laplace_diverges_where_the_tails_of_q_are_too_light():
    r = sk.renyi(sk.Laplace(), sk.Laplace(), ALPHA)
    # α/b₁ + (1 − α)/b₂ = 5/2 − 4 < 0: p⁵/q⁴ grows in both tails
    point = {"mu_1": 0, "b_1": 2, "mu_2": R(1, 2), "b_2": 1}
    assert value(r, point, 5) == sp.oo
    assert sk.renyi(sk.Laplace(0, 2), sk.Laplace(R(1, 2), 1), 5).expr == sp.oo
    assert value(r, point, R(3, 2)) != sp.oo  # 3/4 − 1/2 > 0


def test_laplace_agrees_with_quadrature():
    r = sk.renyi(sk.Laplace(), sk.Laplace(), ALPHA)
    verified(r, {"mu_1": R(1, 3), "b_1": R(3, 2), "mu_2": -1, "b_2": 2}, R(1, 3))
    verified(r, {"mu_1": R(1, 2), "b_1": 2, "mu_2": R(1, 2), "b_2": R(5, 2)}, 3)
    verified(sk.bhattacharyya(sk.Laplace(), sk.Laplace()),
             {"mu_1": 0, "b_1": R(6, 5), "mu_2": 1, "b_2": R(6, 5)})  # B = 0 at α = ½


# -- Pareto ---------------------------------------------------------------------------------------
def renyi_pareto(x1, a1, x2, a2, a):
    """Over [m, ∞), m = max(x₁, x₂): ∫ a₁^α a₂^{1−α} x₁^{α a₁} x₂^{(1−α) a₂} x^{−s−1} dx
    = a₁^α a₂^{1−α} x₁^{α a₁} x₂^{(1−α) a₂} m^{−s} / s with s = α a₁ + (1 − α) a₂ > 0;
    for α > 1 p must not put mass below x₂ (x₁ ≥ x₂)."""
    s = a * a1 + (1 - a) * a2
    if a > 1 and (x1 < x2 or not s > 0):
        return sp.oo
    m = max(x1, x2)
    integral = a1 ** a * a2 ** (1 - a) * x1 ** (a * a1) * x2 ** ((1 - a) * a2) * m ** (-s) / s
    return sp.log(integral) / (a - 1)


def pareto_points(rng):
    points = [{"x_m_1": rational(rng, 1, 3), "alpha_1": rational(rng, 1, 4),
               "x_m_2": rational(rng, 1, 3), "alpha_2": rational(rng, 1, 4)} for _ in range(3)]
    points.append({"x_m_1": R(3, 2), "alpha_1": R(5, 2), "x_m_2": R(1, 2), "alpha_2": R(1, 3)})
    points.append({"x_m_1": R(3, 2), "alpha_1": R(5, 2), "x_m_2": R(3, 2), "alpha_2": R(7, 5)})
    points.append({"x_m_1": R(3, 2), "alpha_1": R(5, 2), "x_m_2": R(3, 2), "alpha_2": R(5, 2)})
    return points


def test_pareto_is_closed_and_matches_the_textbook():
    r = sk.renyi(sk.Pareto(), sk.Pareto(), ALPHA)
    assert r.closed_form and not r.expr.has(sp.Integral)
    for point in pareto_points(random.Random(12)):
        for a in ORDERS:
            oracle = renyi_pareto(point["x_m_1"], point["alpha_1"], point["x_m_2"], point["alpha_2"], a)
            assert agree(value(r, point, a), oracle), (point, a)


def test_pareto_diverges_where_published():
    r = sk.renyi(sk.Pareto(), sk.Pareto(), ALPHA)
    # α a₁ + (1 − α) a₂ = 5/2 − 4·2 < 0: the tail of p⁵/q⁴ is not integrable
    assert value(r, {"x_m_1": 2, "alpha_1": R(1, 2), "x_m_2": 1, "alpha_2": 2}, 5) == sp.oo
    # x_m1 < x_m2: for α > 1 p has mass where q has none; below 1 the integral is finite
    below = {"x_m_1": 1, "alpha_1": 2, "x_m_2": 2, "alpha_2": 3}
    assert value(r, below, 2) == sp.oo and value(r, below, R(1, 2)) != sp.oo


def test_pareto_agrees_with_quadrature():
    r = sk.renyi(sk.Pareto(), sk.Pareto(), ALPHA)
    verified(r, {"x_m_1": 1, "alpha_1": R(3, 2), "x_m_2": R(5, 2), "alpha_2": 2}, R(1, 3))
    verified(r, {"x_m_1": 2, "alpha_1": 3, "x_m_2": R(3, 2), "alpha_2": R(5, 2)}, 3)


# -- Weibull with a shared shape ----------------------------------------------------------------
def renyi_weibull_shared_shape(l1, l2, k, a):
    """Gil et al. 2013 (same shape k): with A = α/λ₁^k + (1 − α)/λ₂^k > 0,
    ∫ p^α q^{1−α} = k λ₁^{−αk} λ₂^{−(1−α)k} ∫ x^{k−1} e^{−A x^k} dx = λ₁^{−αk} λ₂^{−(1−α)k} / A."""
    A = a / l1 ** k + (1 - a) / l2 ** k
    if not A > 0:
        return sp.oo
    return (-a * k * sp.log(l1) - (1 - a) * k * sp.log(l2) - sp.log(A)) / (a - 1)


def weibull_points(rng):
    points = [{"lam_1": rational(rng, 1, 3), "lam_2": rational(rng, 1, 3), "k": rational(rng, 1, 3)}
              for _ in range(3)]
    points.append({"lam_1": R(7, 5), "lam_2": R(7, 5), "k": R(5, 2)})
    return points


def test_weibull_with_a_shared_shape_closes_and_matches_the_textbook():
    r = sk.renyi(sk.Weibull("lam_1", "k"), sk.Weibull("lam_2", "k"), ALPHA)
    assert not r.expr.has(sp.Integral), r.expr
    for point in weibull_points(random.Random(13)):
        for a in ORDERS:
            oracle = renyi_weibull_shared_shape(point["lam_1"], point["lam_2"], point["k"], a)
            assert agree(value(r, point, a), oracle), (point, a)


def test_weibull_with_the_same_number_for_the_shape_closes():
    r = sk.renyi(sk.Weibull("lam_1", 2), sk.Weibull("lam_2", 2), ALPHA)
    assert not r.expr.has(sp.Integral), r.expr
    for a in ORDERS:
        point = {"lam_1": R(3, 2), "lam_2": R(4, 5)}
        assert agree(value(r, point, a), renyi_weibull_shared_shape(R(3, 2), R(4, 5), 2, a)), a
    numbers = sk.renyi(sk.Weibull(R(3, 2), 2), sk.Weibull(R(4, 5), 2), R(1, 3))
    assert agree(numbers.expr, renyi_weibull_shared_shape(R(3, 2), R(4, 5), 2, R(1, 3)))


def test_weibull_with_a_shared_shape_is_flagged_closed():
    # derived for shapes k_1, k_2 (open where they differ), closed once they are one
    assert sk.renyi(sk.Weibull("lam_1", "k"), sk.Weibull("lam_2", "k"), ALPHA).closed_form
    assert not sk.renyi(sk.Weibull(), sk.Weibull(), ALPHA).closed_form


def test_weibull_diverges_where_published():
    # A = 5/λ₁² − 4/λ₂² = 5 − 16 < 0
    r = sk.renyi(sk.Weibull("lam_1", "k"), sk.Weibull("lam_2", "k"), ALPHA)
    assert value(r, {"lam_1": 1, "lam_2": R(1, 2), "k": 2}, 5) == sp.oo


def test_weibull_with_different_shapes_stays_open():
    r = sk.renyi(sk.Weibull("lam_1", 2), sk.Weibull("lam_2", 3), ALPHA)
    assert not r.closed_form and r.expr.has(sp.Integral)


def test_weibull_agrees_with_quadrature():
    r = sk.renyi(sk.Weibull("lam_1", "k"), sk.Weibull("lam_2", "k"), ALPHA)
    verified(r, {"lam_1": R(3, 2), "lam_2": R(4, 5), "k": R(3, 2)}, R(1, 3))
    verified(r, {"lam_1": R(1, 2), "lam_2": R(4, 5), "k": R(5, 2)}, 3)


# -- Dirichlet ------------------------------------------------------------------------------------
def log_multivariate_beta(a):
    return sp.Add(*map(sp.loggamma, a)) - sp.loggamma(sp.Add(*a))


def renyi_dirichlet(a, b, order):
    """Gil et al. 2013, Penny 2001: (log B(α a + (1 − α) b) − α log B(a) − (1 − α) log B(b)) / (α − 1),
    finite where every α a_i + (1 − α) b_i > 0."""
    mixed = [order * ai + (1 - order) * bi for ai, bi in zip(a, b)]
    if not all(m > 0 for m in mixed):
        return sp.oo
    return (log_multivariate_beta(mixed) - order * log_multivariate_beta(a)
            - (1 - order) * log_multivariate_beta(b)) / (order - 1)


def test_dirichlet_is_closed_and_matches_the_textbook():
    a, b = sp.symbols("a1:4", positive=True), sp.symbols("b1:4", positive=True)
    r = sk.renyi(sk.Dirichlet(list(a)), sk.Dirichlet(list(b)), ALPHA)
    assert r.closed_form and not r.expr.has(sp.Integral)
    rng = random.Random(14)
    points = [[rational(rng, 1, 4) for _ in range(6)] for _ in range(3)]
    points.append([R(3, 2), R(1, 2), 2, R(7, 5), R(1, 2), 3])
    points.append([R(3, 2), R(1, 2), 2, R(3, 2), R(1, 2), 2])
    for entries in points:
        point = dict(zip(map(str, a + b), entries))
        for order in ORDERS:
            oracle = renyi_dirichlet(entries[:3], entries[3:], order)
            assert agree(value(r, point, order), oracle), (point, order)
    assert value(r, dict(zip(map(str, a + b), points[-1])), 5) == 0


def test_dirichlet_of_a_symbolic_size_matches_the_textbook():
    r = sk.renyi("dirichlet", "dirichlet", ALPHA)
    assert r.closed_form and r.expr.has(sp.Sum, sp.loggamma)
    rng = random.Random(17)
    for size in (2, 3):
        a, b = ([rational(rng, 1, 4) for _ in range(size)] for _ in range(2))
        for order in ORDERS:
            at = r.subs({"K": size, "alpha_1": a, "alpha_2": b, "alpha": order}).expr
            assert agree(at, renyi_dirichlet(a, b, order)), (a, b, order)
    # 5·(1/2) − 4·2 < 0 in the first coordinate
    assert r.subs({"K": 3, "alpha_1": [R(1, 2), 2, 1], "alpha_2": [2, 1, 1], "alpha": 5}).expr == sp.oo


def test_dirichlet_diverges_where_published():
    # α a_1 + (1 − α) b_1 = 5/2 − 4·2 < 0
    r = sk.renyi(sk.Dirichlet([R(1, 2), 2, 1]), sk.Dirichlet([2, 1, 1]), 5)
    assert r.expr == sp.oo and r.reason


# -- the multivariate normal ----------------------------------------------------------------------
def renyi_multivariate_normal(m1, s1, m2, s2, order):
    """Gil et al. 2013: with Σ_α = α Σ₂ + (1 − α) Σ₁ positive definite,
    D_α = α/2 Δμᵀ Σ_α⁻¹ Δμ − log(det Σ_α / (det Σ₁^{1−α} det Σ₂^α)) / (2(α − 1))."""
    mixed = order * s2 + (1 - order) * s1
    if not mixed.is_positive_definite:
        return sp.oo
    d = m1 - m2
    return (order / 2 * (d.T * mixed.inv() * d)[0, 0]
            - sp.log(mixed.det() / (s1.det() ** (1 - order) * s2.det() ** order)) / (2 * (order - 1)))


def bhattacharyya_multivariate_normal(m1, s1, m2, s2):
    """1/8 Δμᵀ Σ⁻¹ Δμ + ½ log(det Σ / √(det Σ₁ det Σ₂)), Σ = (Σ₁ + Σ₂)/2."""
    s, d = (s1 + s2) / 2, m1 - m2
    return (d.T * s.inv() * d)[0, 0] / 8 + sp.log(s.det() / sp.sqrt(s1.det() * s2.det())) / 2


def covariance(rng, k):
    a = sp.Matrix(k, k, lambda i, j: rational(rng, -1, 1))
    return sp.ImmutableMatrix(a * a.T + sp.eye(k) / 2)


def mean(rng, k):
    return sp.ImmutableMatrix([rational(rng, -2, 2) for _ in range(k)])


def normal_pairs(rng, k):
    """Random pairs, a shared mean, a shared covariance, and p = q."""
    pairs = [(mean(rng, k), covariance(rng, k), mean(rng, k), covariance(rng, k)) for _ in range(2)]
    m, s = mean(rng, k), covariance(rng, k)
    pairs += [(m, s, m, covariance(rng, k)), (m, s, mean(rng, k), s), (m, s, m, s)]
    return pairs


@pytest.mark.parametrize("k, pairs", [(2, slice(None)), (3, slice(1, 3))])
def test_multivariate_normal_matches_the_textbook(k, pairs):
    for m1, s1, m2, s2 in normal_pairs(random.Random(15 + k), k)[pairs]:
        r = sk.renyi(sk.MultivariateNormal(m1, s1), sk.MultivariateNormal(m2, s2), ALPHA)
        assert r.closed_form and not r.expr.has(sp.Integral)
        for order in ORDERS:
            oracle = renyi_multivariate_normal(m1, s1, m2, s2, order)
            assert agree(r.expr.xreplace({ALPHA: order}), oracle), (m1, s1, m2, s2, order)


def test_multivariate_normal_with_symbolic_means_matches_the_textbook():
    s1, s2 = sp.ImmutableMatrix([[2, R(1, 2)], [R(1, 2), 1]]), sp.ImmutableMatrix([[1, 0], [0, 3]])
    r = sk.renyi(sk.MultivariateNormal(["m1", "m2"], s1), sk.MultivariateNormal(["n1", "n2"], s2), ALPHA)
    assert r.closed_form
    point = {"m1": R(1, 3), "m2": -1, "n1": R(3, 2), "n2": R(1, 5)}
    for order in ORDERS:
        oracle = renyi_multivariate_normal(sp.Matrix([R(1, 3), -1]), s1, sp.Matrix([R(3, 2), R(1, 5)]), s2, order)
        assert agree(value(r, point, order), oracle), order


def test_multivariate_normal_diverges_where_published():
    # Σ_α = 5·I/4 − 4·I is not positive definite
    r = sk.renyi(sk.MultivariateNormal([0, 0], sp.eye(2)), sk.MultivariateNormal([1, 0], sp.eye(2) / 4), 5)
    assert r.expr == sp.oo and r.reason


def test_bhattacharyya_and_hellinger_of_multivariate_normals_match_the_textbook():
    for m1, s1, m2, s2 in normal_pairs(random.Random(16), 2):
        p, q = sk.MultivariateNormal(m1, s1), sk.MultivariateNormal(m2, s2)
        d_b = bhattacharyya_multivariate_normal(m1, s1, m2, s2)
        assert agree(sk.bhattacharyya(p, q).expr, d_b)
        assert agree(sk.squared_hellinger(p, q).expr, 1 - sp.exp(-d_b))


@pytest.mark.slow  # the derivation takes its whole budget, writing the result canonically
def test_bhattacharyya_of_normals_with_symbolic_entries_is_right():
    # the engine once solved for p's own entries ("θ* = q's parameters") and gave a negative distance
    names = [["s11", "s12"], ["s12", "s22"]], [["t11", "t12"], ["t12", "t22"]]
    r = sk.bhattacharyya(sk.MultivariateNormal(["m1", "m2"], names[0]),
                         sk.MultivariateNormal(["n1", "n2"], names[1]))
    point = {"m1": 0, "m2": 0, "n1": 1, "n2": 0, "s11": 1, "s12": 0, "s22": 1, "t11": 2, "t12": R(1, 2), "t22": 1}
    s1, s2 = sp.Matrix([[1, 0], [0, 1]]), sp.Matrix([[2, R(1, 2)], [R(1, 2), 1]])
    assert agree(value(r, point), bhattacharyya_multivariate_normal(sp.zeros(2, 1), s1, sp.Matrix([1, 0]), s2))


def test_bhattacharyya_of_diagonal_normals_is_the_sum_over_coordinates():
    r = sk.bhattacharyya(sk.DiagonalNormal(["m1", "m2"], ["s1", "s2"]),
                         sk.DiagonalNormal(["n1", "n2"], ["t1", "t2"]))
    point = {"m1": 0, "m2": R(1, 2), "n1": 1, "n2": 0, "s1": 1, "s2": R(3, 2), "t1": 2, "t2": R(1, 2)}
    s1, s2 = sp.diag(1, R(9, 4)), sp.diag(4, R(1, 4))
    oracle = bhattacharyya_multivariate_normal(sp.Matrix([0, R(1, 2)]), s1, sp.Matrix([1, 0]), s2)
    assert agree(value(r, point), oracle)


def test_diagonal_normals_match_the_textbook():
    rng = random.Random(18)
    explicit = sk.renyi(sk.DiagonalNormal(["m1", "m2"], ["s1", "s2"]),
                        sk.DiagonalNormal(["n1", "n2"], ["t1", "t2"]), ALPHA)
    symbolic = sk.renyi("diagonalnormal", "diagonalnormal", ALPHA)
    assert explicit.closed_form and symbolic.closed_form and symbolic.expr.has(sp.Sum)
    for order in ORDERS:
        m1, m2 = mean(rng, 2), mean(rng, 2)
        s1, s2 = ([rational(rng, 1, 3) for _ in range(2)] for _ in range(2))
        oracle = renyi_multivariate_normal(m1, sp.diag(*(s ** 2 for s in s1)), m2, sp.diag(*(s ** 2 for s in s2)), order)
        point = {"m1": m1[0], "m2": m1[1], "n1": m2[0], "n2": m2[1], "s1": s1[0], "s2": s1[1], "t1": s2[0], "t2": s2[1]}
        assert agree(value(explicit, point, order), oracle), (point, order)
        at = symbolic.subs({"n": 2, "mu_1": list(m1), "sigma_1": s1, "mu_2": list(m2), "sigma_2": s2,
                            "alpha": order}).expr
        assert agree(at, oracle), (point, order)


def at_matrices(result, m1, s1, m2, s2, order=None):
    """A matrix-symbolic result with explicit means and covariances (and the order) put in."""
    values = {"k": m1.rows, "mu_1": list(m1), "Sigma_1": s1.tolist(), "mu_2": list(m2), "Sigma_2": s2.tolist()}
    return result.subs(values, **({} if order is None else {"alpha": order})).expr


def test_matrix_symbolic_multivariate_normals_match_the_textbook():
    r = sk.renyi(sk.MultivariateNormal(), sk.MultivariateNormal(), ALPHA)
    assert r.closed_form and r.expr.has(sp.MatrixSymbol)
    # for α > 1 it is finite only where αΣ₂ + (1 − α)Σ₁ is positive definite, and says so
    assert r.reason and "IsPositiveDefinite(alpha*Sigma_2 + (1 - alpha)*Sigma_1)" in r.reason
    for k, rng in ((2, random.Random(21)), (3, random.Random(22))):
        for m1, s1, m2, s2 in normal_pairs(rng, k):
            for order in ORDERS:
                oracle = renyi_multivariate_normal(m1, s1, m2, s2, order)
                assert agree(at_matrices(r, m1, s1, m2, s2, order), oracle), (m1, s1, m2, s2, order)


def test_matrix_symbolic_multivariate_normals_diverge_where_published():
    # 3Σ₂ − 2Σ₁ = [[−1, −1], [−1, 7]] is not positive definite: p³/q² is not integrable
    m1, s1 = sp.Matrix([0, 1]), sp.Matrix([[2, R(1, 2)], [R(1, 2), 1]])
    m2, s2 = sp.Matrix([R(1, 2), 0]), sp.Matrix([[1, 0], [0, 3]])
    r = sk.renyi(sk.MultivariateNormal(), sk.MultivariateNormal(), 3)
    assert at_matrices(r, m1, s1, m2, s2) == sp.oo
    assert renyi_multivariate_normal(m1, s1, m2, s2, sp.Integer(3)) == sp.oo
    values = {"mu_1": list(m1), "Sigma_1": s1.tolist(), "mu_2": list(m2), "Sigma_2": s2.tolist()}
    check = r.verify(values, dps=50)  # the quadrature finds the growth of p³/q² by itself
    assert check.closed_form == sp.oo and check.quadrature == mpmath.inf and check.digits >= 30, check


def test_matrix_symbolic_power_integral_divergences_match_the_textbook():
    d_b, h2, chi2 = (f(sk.MultivariateNormal(), sk.MultivariateNormal())
                     for f in (sk.bhattacharyya, sk.squared_hellinger, sk.chi_square))
    assert all(r.closed_form for r in (d_b, h2, chi2))
    # the textbook's shape: Δμᵀ(Σ₁ + Σ₂)⁻¹Δμ, one quadratic form of the difference of means
    assert "Trace((mu_1.T - mu_2.T)*(Sigma_1 + Sigma_2)**(-1)*(mu_1 - mu_2))" in str(d_b.expr)
    for m1, s1, m2, s2 in normal_pairs(random.Random(23), 2):
        oracle = bhattacharyya_multivariate_normal(m1, s1, m2, s2)
        assert agree(at_matrices(d_b, m1, s1, m2, s2), oracle)
        assert agree(at_matrices(h2, m1, s1, m2, s2), 1 - sp.exp(-oracle))
        two = renyi_multivariate_normal(m1, s1, m2, s2, sp.Integer(2))
        assert agree(at_matrices(chi2, m1, s1, m2, s2), sp.oo if two == sp.oo else sp.exp(two) - 1)


@pytest.mark.parametrize("backend", ["numpy", "math", "mpmath"])
def test_matrix_symbolic_renyi_lambdified_agrees_with_the_textbook(backend):
    r = sk.renyi(sk.MultivariateNormal(), sk.MultivariateNormal(), ALPHA)
    f = r.lambdify(backend=backend)
    for m1, s1, m2, s2 in normal_pairs(random.Random(24), 2):
        for order in ORDERS:
            oracle = renyi_multivariate_normal(m1, s1, m2, s2, order)
            got = f(alpha=float(order), mu_1=[float(v) for v in m1], mu_2=[float(v) for v in m2],
                    Sigma_1=[[float(v) for v in row] for row in s1.tolist()],
                    Sigma_2=[[float(v) for v in row] for row in s2.tolist()])
            if oracle == sp.oo:
                assert got == float("inf"), (order, got)
            else:
                assert abs(float(got) - float(oracle)) <= 1e-12 * max(1, abs(float(oracle))), (order, got, oracle)


def test_vectors_against_quadrature_where_it_is_built():
    results = [sk.renyi(sk.Dirichlet([R(3, 2), 2, R(5, 2)]), sk.Dirichlet([2, 1, R(3, 2)]), R(1, 3)),
               sk.renyi(sk.MultivariateNormal([0, 1], [[2, R(1, 2)], [R(1, 2), 1]]),
                        sk.MultivariateNormal([R(1, 2), 0], [[1, 0], [0, 3]]), R(3, 2)),
               sk.bhattacharyya(sk.MultivariateNormal([0, 1], [[2, R(1, 2)], [R(1, 2), 1]]),
                                sk.MultivariateNormal([R(1, 2), 0], [[1, 0], [0, 3]]))]
    for r in results:  # Gauss–Hermite (normal p) and the simplex rule (Dirichlet)
        verified(r, {})


# -- the same rules, other pairs --------------------------------------------------------------------
@pytest.mark.parametrize("P, Q, order, values", [
    (sk.Rayleigh, sk.HalfNormal, R(1, 3), {"sigma_1": R(3, 2), "sigma_2": R(4, 5)}),   # u = x²
    (sk.Rayleigh, sk.HalfNormal, 3, {"sigma_1": R(1, 2), "sigma_2": R(4, 5)}),
    (sk.ChiSquared, sk.Exponential, R(5, 2), {"k_1": R(5, 2), "rate_2": R(1, 2)}),        # u = x
    (sk.Pareto, sk.Uniform, R(1, 3), {"x_m_1": 1, "alpha_1": 2, "a_2": R(1, 2), "b_2": 3}),  # Max, Min
])
def test_other_pairs_by_the_same_rules_agree_with_quadrature(P, Q, order, values):
    r = sk.renyi(P(), Q(), ALPHA)
    assert r.closed_form and not r.expr.has(sp.Integral)
    verified(r, values, order)


def test_a_power_of_x_whose_exponent_may_coincide_closes_there():
    # Exponential(λ) against Weibull(λ₂, k₂): x and x^{k₂} are one power where k₂ = 1
    r = sk.renyi(sk.Exponential(), sk.Weibull(), ALPHA)
    assert not r.closed_form
    assert not value(r, {"k_2": 1}).has(sp.Integral) and value(r, {"k_2": 2}).has(sp.Integral)
    verified(r, {"rate_1": R(3, 2), "lam_2": R(1, 2), "k_2": 1}, 3)


def test_an_integral_over_q_s_support_alone_is_infinite_above_order_one():
    # p = Exponential puts mass on (0, x_m) where the Pareto q has none
    r = sk.renyi(sk.Exponential(), sk.Pareto(), ALPHA)
    point = {"rate_1": R(11, 10), "x_m_2": R(39, 10), "alpha_2": R(7, 10)}
    assert value(r, point, 3) == sp.oo
    verified(r, point, R(1, 3))


def test_no_nan_where_sympy_answers_nan():
    r = sk.renyi(sk.Pareto(), sk.Weibull(), ALPHA)
    assert not r.expr.has(sp.nan) and not r.closed_form


# -- a pole of Γ(s) inside the form: Exponential ‖ Pareto -----------------------------------
@pytest.mark.parametrize("alpha_2", [2, 3, 5, sp.Rational(7, 3)])
def test_bhattacharyya_of_exponential_and_pareto_is_finite_at_the_poles_of_gamma(alpha_2):
    # ∫ √(p q) over x > x_m is a Γ((1 − α₂)/2, λx_m/2): written Γ(s) − γ(s, z) it reads
    # ∞ − ∞ at odd α₂, where s = (1 − α₂)/2 is a pole of both
    r = sk.bhattacharyya(sk.Exponential(), sk.Pareto())
    assert not r.expr.has(sp.lowergamma)
    assert r.verify({"rate_1": sp.Rational(11, 10), "x_m_2": sp.Rational(7, 10),
                     "alpha_2": alpha_2}).digits >= 30


@pytest.mark.parametrize("p, q", [(sk.Uniform(-1, -sp.Rational(4, 5)), sk.Uniform(-sp.Rational(1, 2), 2)),
                                  (sk.Gamma(2, 1), sk.Uniform(-3, -2))])
def test_disjoint_supports_give_an_infinite_bhattacharyya_distance_both_ways(p, q):
    check = sk.bhattacharyya(p, q).verify()
    assert check.closed_form == sp.oo and check.quadrature == sp.oo
    assert "no common support" in check.reason
    check = sk.chi_square(p, q).verify()  # α = 2: the power integral is ∞, not 0
    assert check.closed_form == sp.oo and check.quadrature == sp.oo and check.digits >= 30


def test_a_closed_form_in_hypergeometric_functions_is_checked_as_the_number_it_is():
    # sympy says hyper((−17/20, 31/20), (51/20,), 7/10) is no number (is_number False);
    # the check read that as nan and put 0 digits against a closed form right to 50.
    # The hypergeometric form is the engine's incomplete Beta rule, not sympy's integral
    # (which ran past its budget on a slower machine)
    r = sk.bhattacharyya(sk.Uniform(), sk.Beta())
    assert r.expr.has(sp.hyper) and not r.expr.has(sp.Integral)
    for a, b in [(sp.Rational(1, 10), sp.Rational(7, 10)), (sp.Rational(-13, 10), 1), (-1, 3)]:
        check = r.verify({"a_1": a, "b_1": b, "alpha_2": sp.Rational(21, 10), "beta_2": sp.Rational(27, 10)})
        assert check.digits >= 30
    r = sk.renyi(sk.Beta(), sk.Uniform(), sp.Rational(1, 3))
    assert r.expr.has(sp.hyper) and not r.expr.has(sp.Integral)
    check = r.verify({"a_2": sp.Rational(1, 5), "b_2": 2, "alpha_1": sp.Rational(21, 10), "beta_1": sp.Rational(27, 10)})
    assert check.digits >= 30


def test_a_power_sum_whose_terms_grow_is_infinite_by_the_ratio_test():
    # χ²(Geometric ‖ Poisson): Σ p²(1 − p)^{2k} e^λ k!/λ^k, the ratio of terms ~ (1 − p)² k/λ → ∞
    assert sk.chi_square(sk.Geometric(), sk.Poisson()).expr == sp.oo
    assert sk.chi_square(sk.Poisson(), sk.Geometric()).closed_form  # the other way it converges


@pytest.mark.parametrize("variance, finite", [(R(7, 10), True), (R(67, 100), True), (R(6, 10), False)])
def test_the_quadrature_tells_divergent_from_barely_convergent_normals(variance, finite):
    # 3Σ₂ − 2Σ₁ = diag(3v − 2, 1): positive definite only for v > 2/3; the quadrature decides
    # by itself, from the log-densities, whether p³/q² grows without bound
    m1, s1 = sp.Matrix([0, 0]), sp.eye(2)
    m2, s2 = sp.Matrix([R(1, 2), R(-1, 3)]), sp.diag(variance, 1)
    r = sk.renyi(sk.MultivariateNormal(m1, s1), sk.MultivariateNormal(m2, s2), 3)
    oracle = renyi_multivariate_normal(m1, s1, m2, s2, sp.Integer(3))
    assert (oracle != sp.oo) == finite and agree(r.expr, oracle)
    check = r.verify(dps=50)
    assert check.digits >= 30 and (check.quadrature != mpmath.inf) == finite, check


# -- a generalized inverse Gaussian's normaliser, and a constant over the common support ----------
def bhattacharyya_inverse_gamma_gamma(a1, b1, a2, b2):
    """∫ √(p q) = √(b1^a1 b2^a2 / (Γ(a1) Γ(a2))) ∫_0^∞ x^{(a2 − a1)/2 − 1} e^{−b1/(2x) − b2 x/2} dx,
    the integral 2 (b1/b2)^{ν/2} K_ν(√(b1 b2)), ν = (a2 − a1)/2 (Gradshteyn & Ryzhik 3.471.9)."""
    nu = (a2 - a1) / 2
    coefficient = sp.sqrt(b1 ** a1 * b2 ** a2 / (sp.gamma(a1) * sp.gamma(a2)))
    return -sp.log(coefficient * 2 * (b1 / b2) ** (nu / 2) * sp.besselk(nu, sp.sqrt(b1 * b2)))


@pytest.mark.parametrize("a1, b1, a2, b2", [(R(3, 10), R(11, 5), R(3, 10), R(27, 10)),   # ν = 0
                                            (R(5, 2), 1, R(1, 2), R(7, 3)), (2, R(1, 3), 4, 5)])  # ν = −1, 1
def test_an_inverse_gamma_against_a_gamma_is_a_bessel_k(a1, b1, a2, b2):
    r = sk.bhattacharyya(sk.InverseGamma(), sk.Gamma())
    assert r.closed_form and r.expr.has(sp.besselk) and not r.expr.has(sp.besseli, sp.sin)
    point = {"alpha_1": a1, "beta_1": b1, "alpha_2": a2, "beta_2": b2}
    assert agree(value(r, point), bhattacharyya_inverse_gamma_gamma(*map(sp.sympify, (a1, b1, a2, b2))))
    verified(r, point)
    # above order 1, e^{(α − 1)β₂x} grows: ∞, with the reason
    above = sk.renyi(sk.InverseGamma(), sk.Gamma(), R(3, 2))
    assert above.expr == sp.oo and "does not decay" in above.reason


def test_uniforms_overlap_as_a_textbook_writes_it():
    r = sk.bhattacharyya(sk.Uniform(), sk.Uniform())
    assert not r.expr.has(sp.hyper)  # ₂F₁(1, 0; 2; z) = 1: a series that ends is written out
    for a1, b1, a2, b2 in [(-2, -1, -2, -1), (-2, 1, 0, 3), (0, 1, -1, 4), (0, 1, 2, 3)]:
        overlap = min(b1, b2) - max(a1, a2)
        oracle = -sp.log(sp.Integer(overlap) / sp.sqrt((b1 - a1) * (b2 - a2))) if overlap > 0 else sp.oo
        assert r.subs({"a_1": a1, "b_1": b1, "a_2": a2, "b_2": b2}).expr == oracle
    # ∞ where the supports do not meet, and only then: α = ½ < 1 puts no mass outside
    assert r.reason == "p and q have no common support unless Max(a_1, a_2) < Min(b_1, b_2)"

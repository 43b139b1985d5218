"""Random vectors: MultivariateNormal, DiagonalNormal, Dirichlet.

Textbook forms are oracles here; numeric checks use the whitened
Gauss–Hermite rule and quadrature over the simplex (symkl.numeric.cubature), which
work from the log-densities only.
"""
import random

import mpmath
import numpy as np
import pytest
import sympy as sp

import symkl as sk
from symkl.families.multivariate_normal import _draw

DPS = 50


def explicit_normal(tag, k):
    """A k-dimensional normal whose mean and covariance entries are all names."""
    mean = [f"m{tag}{i}" for i in range(1, k + 1)]
    cov = [[f"s{tag}{min(i, j)}{max(i, j)}" for j in range(1, k + 1)] for i in range(1, k + 1)]
    return sk.MultivariateNormal(mean, cov)


def textbook_kl(m1, c1, m2, c2):
    """½[tr(Σ₂⁻¹Σ₁) + (μ₂−μ₁)ᵀΣ₂⁻¹(μ₂−μ₁) − k + ln(det Σ₂/det Σ₁)] for sympy matrices."""
    k = c1.shape[0]
    inverse = c2.inv()
    d = m2 - m1
    return ((inverse * c1).trace() + (d.T * inverse * d)[0, 0] - k + sp.log(c2.det() / c1.det())) / 2


def random_normals(seed, k):
    rng = random.Random(seed)
    return [sk.MultivariateNormal(*_draw(rng, k)) for _ in range(2)]


def digits(a, b):
    return sk.numeric.quadrature.agreeing_digits(mpmath.mpf(a), mpmath.mpf(b), DPS)


# -- MultivariateNormal, matrix-symbolic --------------------------------------------
def test_matrix_symbolic_kl_is_the_trace_determinant_form():
    r = sk.kl(sk.MultivariateNormal(), sk.MultivariateNormal())
    assert r.closed_form
    assert r.expr.has(sp.Trace, sp.Determinant, sp.Inverse, sp.Transpose)
    k = sp.Symbol("k", integer=True, positive=True)
    mu_1, mu_2 = sp.MatrixSymbol("mu_1", k, 1), sp.MatrixSymbol("mu_2", k, 1)
    s_1, s_2 = sp.MatrixSymbol("Sigma_1", k, k), sp.MatrixSymbol("Sigma_2", k, k)
    oracle = (sp.Trace(s_2.I * s_1) + sp.Trace((mu_2 - mu_1).T * s_2.I * (mu_2 - mu_1)) - k
              + sp.log(sp.Determinant(s_2) / sp.Determinant(s_1))) / 2
    assert sp.count_ops(r.expr) <= sp.count_ops(oracle)
    for seed in range(3):  # the same function of the matrices: equal at random matrices, exactly
        rng = random.Random(seed)
        values = {"k": 3}
        values["mu_1"], values["Sigma_1"] = _draw(rng, 3)
        values["mu_2"], values["Sigma_2"] = _draw(rng, 3)
        ours = r.subs(values).expr
        theirs = textbook_kl(values["mu_1"], values["Sigma_1"], values["mu_2"], values["Sigma_2"])
        assert sp.simplify(sp.expand_log(ours - theirs, force=True)) == 0


def test_matrix_symbolic_latex_is_the_textbook_notation():
    tex = sk.kl(sk.MultivariateNormal(), sk.MultivariateNormal()).latex()
    for notation in (r"\operatorname{tr}", r"\det", r"^{-1}", r"^{\top}"):
        assert notation in tex
    assert r"\left(\mu_{1} - \mu_{2}\right)^{\top} \Sigma_{2}^{-1} \left(\mu_{1} - \mu_{2}\right)" in tex


def test_matrix_symbolic_verifies_against_gauss_hermite():
    r = sk.kl(sk.MultivariateNormal(), sk.MultivariateNormal())
    rng = random.Random(7)
    values = {"k": 3}
    values["mu_1"], values["Sigma_1"] = _draw(rng, 3)
    values["mu_2"], values["Sigma_2"] = _draw(rng, 3)
    assert r.verify(values, dps=DPS).digits >= 30


def test_matrix_symbolic_entropy_is_half_log_det_of_2_pi_e_sigma():
    r = sk.entropy(sk.MultivariateNormal())
    rng = random.Random(3)
    mean, cov = _draw(rng, 3)
    value = r.subs({"k": 3, "mu": mean, "Sigma": cov}).expr
    assert sp.simplify(sp.expand_log(value - sp.log((2 * sp.pi * sp.E * cov).det()) / 2, force=True)) == 0


# -- MultivariateNormal, explicit ----------------------------------------------------
@pytest.mark.parametrize("k", range(1, 7))
def test_explicit_numeric_kl_is_exactly_the_textbook_value(k):
    p, q = random_normals(k, k)
    r = sk.kl(p, q)
    assert sp.simplify(sp.expand_log(r.expr - textbook_kl(*p.args, *q.args), force=True)) == 0


@pytest.mark.parametrize("k", [2, 3])
def test_explicit_kl_agrees_with_gauss_hermite_to_30_digits(k):
    for seed in range(3):
        p, q = random_normals(100 + seed, k)
        assert sk.kl(p, q).verify(dps=DPS).digits >= 30


def test_explicit_k2_with_symbolic_entries_is_readable_and_right():
    p, q = explicit_normal(1, 2), explicit_normal(2, 2)
    r = sk.kl(p, q)
    oracle = textbook_kl(*p.args, *q.args)
    assert sp.cancel(sp.expand_log(r.expr - oracle, force=True)) == 0
    assert sp.count_ops(r.expr) <= 40  # the textbook form written out in entries is ~45
    assert "(m11 - m21)**2" in str(r.expr)


def test_explicit_k3_with_symbolic_entries_matches_the_textbook():
    p, q = explicit_normal(1, 3), explicit_normal(2, 3)
    r = sk.kl(p, q)
    assert r.closed_form
    rng = random.Random(5)
    for _ in range(2):
        m1, c1 = _draw(rng, 3)
        m2, c2 = _draw(rng, 3)
        values = {**dict(zip(p.args[0], m1)), **dict(zip(p.args[1], c1)),
                  **dict(zip(q.args[0], m2)), **dict(zip(q.args[1], c2))}
        exact = r.expr.xreplace(values)
        assert sp.simplify(sp.expand_log(exact - textbook_kl(m1, c1, m2, c2), force=True)) == 0


@pytest.mark.parametrize("mean, cov, message", [
    ([0, 0], [[1, 2], [3, 1]], "cov must be symmetric"),
    ([0, 0], [[1, 2], [2, 1]], "cov must be positive definite"),
    ([0, 0], [[1, 1], [1, 1]], "cov must be positive definite"),
    ([0, 0, 0], [[1, 0], [0, 1]], "cov must be 3 × 3 to match the mean"),
    ([0, 0], [[-1, 0], [0, 1]], "cov_00 must be positive"),
    ([], [], "mean must hold at least one entry"),
])
def test_bad_covariances_are_refused(mean, cov, message):
    with pytest.raises(ValueError, match=message):
        sk.MultivariateNormal(mean, cov)


def test_mismatched_dimensions_are_refused():
    with pytest.raises(ValueError, match="same dimension"):
        sk.kl(sk.MultivariateNormal([0], [[1]]), sk.MultivariateNormal([0, 0], [[1, 0], [0, 1]]))
    with pytest.raises(ValueError, match="explicit with explicit"):
        sk.kl(sk.MultivariateNormal([0], [[1]]), sk.MultivariateNormal())


# -- DiagonalNormal --------------------------------------------------------------------
def summand(result):
    (term,) = [t for t in sp.Add.make_args(result.expr) if isinstance(t, sp.Sum)]
    return term.function


def test_vae_term_is_half_sum_of_sigma2_plus_mu2_minus_1_minus_log_sigma2():
    r = sk.kl(sk.DiagonalNormal(), sk.DiagonalNormal(0, 1))
    i = sp.Symbol("i", integer=True, positive=True)
    mu, sigma = sp.IndexedBase("mu_1", real=True)[i], sp.IndexedBase("sigma_1", positive=True)[i]
    oracle = (sigma ** 2 + mu ** 2 - 1 - sp.log(sigma ** 2)) / 2
    assert sp.simplify(sp.expand_log(summand(r) - oracle, force=True)) == 0
    assert r.expr.limits == ((i, 1, sp.Symbol("n", integer=True, positive=True)),)
    assert sp.count_ops(r.expr) <= sp.count_ops(sp.Sum(oracle, (i, 1, sp.Symbol("n"))))


def test_diagonal_kl_is_a_sum_of_normal_kls():
    r = sk.kl(sk.DiagonalNormal(), sk.DiagonalNormal())
    i = sp.Symbol("i", integer=True, positive=True)
    m1, m2 = (sp.IndexedBase(f"mu_{t}", real=True)[i] for t in (1, 2))
    s1, s2 = (sp.IndexedBase(f"sigma_{t}", positive=True)[i] for t in (1, 2))
    oracle = sp.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - sp.S.Half
    assert sp.simplify(summand(r) - oracle) == 0
    assert sp.count_ops(summand(r)) <= sp.count_ops(oracle)


def test_explicit_diagonal_vae_term():
    r = sk.kl(sk.DiagonalNormal(["m1", "m2"], ["s1", "s2"]), sk.DiagonalNormal(0, 1))
    m1, m2 = sp.symbols("m1 m2", real=True)
    s1, s2 = sp.symbols("s1 s2", positive=True)
    oracle = sum((s ** 2 + m ** 2 - 1 - sp.log(s ** 2)) / 2 for m, s in ((m1, s1), (m2, s2)))
    assert sp.simplify(sp.expand_log(r.expr - oracle, force=True)) == 0


def test_diagonal_verifies_at_random_points():
    r = sk.kl(sk.DiagonalNormal(), sk.DiagonalNormal())
    for seed in range(3):
        rng = random.Random(seed)
        values = r.p.sample(rng)
        values.update(r.q.sample(rng, known=values))
        assert r.verify({str(k): v for k, v in values.items()}, dps=DPS).digits >= 30


def test_diagonal_needs_a_dimension_for_an_entropy():
    with pytest.raises(ValueError, match="fix the number of coordinates"):
        sk.entropy(sk.DiagonalNormal(0, 1))
    with pytest.raises(ValueError, match="same length"):
        sk.DiagonalNormal([0, 1], [1, 2, 3])


# -- Dirichlet ----------------------------------------------------------------------------
def dirichlet_oracle(a, b):
    a0, b0 = sum(a), sum(b)
    return (sp.loggamma(a0) - sum(map(sp.loggamma, a)) - sp.loggamma(b0) + sum(map(sp.loggamma, b))
            + sum((ai - bi) * (sp.digamma(ai) - sp.digamma(a0)) for ai, bi in zip(a, b)))


def test_dirichlet_explicit_is_the_textbook_form():
    a, b = sp.symbols("a1:4", positive=True), sp.symbols("b1:4", positive=True)
    r = sk.kl(sk.Dirichlet(list(a)), sk.Dirichlet(list(b)))
    difference = (r.expr - dirichlet_oracle(a, b)).rewrite(sp.polygamma)
    assert sp.simplify(difference) == 0


def test_dirichlet_symbolic_k_is_the_textbook_form():
    r = sk.kl(sk.Dirichlet(), sk.Dirichlet())
    assert r.closed_form and r.expr.has(sp.Sum, sp.loggamma, sp.polygamma)
    a, b = sp.symbols("a1:4", positive=True), sp.symbols("b1:4", positive=True)
    at_three = r.subs({"K": 3, "alpha_1": list(a), "alpha_2": list(b)}).expr
    assert sp.simplify((at_three - dirichlet_oracle(a, b)).rewrite(sp.polygamma)) == 0


def test_dirichlet_k3_agrees_with_quadrature_over_the_simplex():
    p = sk.Dirichlet([2, sp.Rational(1, 2), 3])
    q = sk.Dirichlet([1, 2, sp.Rational(3, 2)])
    assert sk.kl(p, q).verify(dps=32).digits >= 30


R = sp.Rational


@pytest.mark.parametrize("a, b", [
    ([2, R(1, 2), 3], [1, 2, R(3, 2)]),
    ([R(1, 10), 5, 1], [1, 1, 1]),          # x_1^(−9/10) at an edge
    ([R(3, 2), R(5, 2)], [R(1, 2), 4]),     # K = 2: a Beta
])
def test_quadrature_over_the_simplex_matches_the_textbook_to_50_digits(a, b):
    value, error = sk.numeric.cubature.integral("kl", sk.Dirichlet(a), sk.Dirichlet(b), dps=50)
    with mpmath.workdps(60):
        oracle = mpmath.mpf(sp.N(dirichlet_oracle(a, b), 60))
        assert abs(value - oracle) < abs(oracle) * mpmath.mpf(10) ** -48
        assert error < abs(oracle) * mpmath.mpf(10) ** -48


def test_quadrature_over_the_simplex_stops_at_k3():
    with pytest.raises(sk.errors.Unsupported, match="K ≤ 3, got K = 4"):
        sk.numeric.cubature.integral("entropy", sk.Dirichlet([1, 2, 3, 4]))


def test_random_vectors_on_different_spaces_are_refused():
    with pytest.raises(sk.errors.InvalidInput, match="one space"):
        sk.numeric.cubature.integral("kl", sk.Dirichlet([1, 2]), sk.MultivariateNormal([0, 0], [[1, 0], [0, 1]]))


def test_gauss_hermite_in_five_dimensions():
    """A normal against a normal is a quadratic in the whitened coordinates: the rule with
    3 nodes a side is exact, confirmed by the one with 5 (3^5 + 5^5 nodes)."""
    p, q = random_normals(5, 5)
    value, error = sk.numeric.cubature.integral("kl", p, q, dps=40)
    with mpmath.workdps(50):
        oracle = mpmath.mpf(sp.N(textbook_kl(*p.args, *q.args), 50))
        assert abs(value - oracle) < abs(oracle) * mpmath.mpf(10) ** -40


def test_dirichlet_entropy():
    a = sp.symbols("a1:4", positive=True)
    a0 = sum(a)
    oracle = (sum(map(sp.loggamma, a)) - sp.loggamma(a0) + (a0 - 3) * sp.digamma(a0)
              - sum((ai - 1) * sp.digamma(ai) for ai in a))
    r = sk.entropy(sk.Dirichlet(list(a)))
    assert sp.simplify((r.expr - oracle).rewrite(sp.polygamma)) == 0


# -- asymmetry ------------------------------------------------------------------------------
@pytest.mark.parametrize("family, condition", [
    (sk.MultivariateNormal, "Eq(Sigma_1, Sigma_2)"),
    (sk.DiagonalNormal, "Eq(sigma_1, sigma_2)"),
    (sk.Dirichlet, "Eq(alpha_1, alpha_2)"),
])
def test_asymmetry_finds_where_the_directions_coincide(family, condition):
    a = sk.asymmetry(family(), family())
    assert str(a.equal_when) == condition
    assert a.difference != 0


# -- lambdify --------------------------------------------------------------------------------
def test_lambdified_matrix_form_evaluates_batches():
    r = sk.kl(sk.MultivariateNormal(), sk.MultivariateNormal())
    f = r.lambdify()
    rng = np.random.default_rng(0)
    batch, k = 6, 3
    a, b = rng.normal(size=(2, batch, k, k))
    s1, s2 = a @ a.swapaxes(-1, -2) + np.eye(k), b @ b.swapaxes(-1, -2) + np.eye(k)
    m1, m2 = rng.normal(size=(2, batch, k))
    values = f(mu_1=m1, mu_2=m2, Sigma_1=s1, Sigma_2=s2)
    assert values.shape == (batch,)
    for row in range(batch):
        exact = r.subs({"k": k, "mu_1": m1[row].ravel().tolist(), "mu_2": m2[row].ravel().tolist(),
                        "Sigma_1": s1[row].tolist(), "Sigma_2": s2[row].tolist()})
        assert values[row] == pytest.approx(float(exact.evalf()), rel=1e-10)


def test_lambdified_diagonal_forms_evaluate_batches():
    rng = np.random.default_rng(1)
    mu, sigma = rng.normal(size=(100, 8)), rng.uniform(0.2, 3, size=(100, 8))
    by_hand = 0.5 * np.sum(sigma ** 2 + mu ** 2 - 1 - np.log(sigma ** 2), axis=-1)
    symbolic = sk.kl(sk.DiagonalNormal(), sk.DiagonalNormal(0, 1)).lambdify()
    np.testing.assert_allclose(symbolic(mu_1=mu, sigma_1=sigma), by_hand, rtol=1e-13)
    names = [f"m{i}" for i in range(8)], [f"s{i}" for i in range(8)]
    explicit = sk.kl(sk.DiagonalNormal(*names), sk.DiagonalNormal(0, 1)).lambdify()
    columns = {n: mu[:, i] for i, n in enumerate(names[0])} | {n: sigma[:, i] for i, n in enumerate(names[1])}
    np.testing.assert_allclose(explicit(**columns), by_hand, rtol=1e-13)
    exact = sk.kl(sk.DiagonalNormal(mu[0].tolist(), sigma[0].tolist()), sk.DiagonalNormal(0, 1))
    assert by_hand[0] == pytest.approx(float(exact.evalf()), rel=1e-13)


def test_lambdify_refuses_unknown_parameters():
    f = sk.kl(sk.DiagonalNormal(), sk.DiagonalNormal(0, 1)).lambdify()
    with pytest.raises(TypeError, match="missing: sigma_1"):
        f(mu_1=np.zeros(3))



def test_diagonal_entropy_is_a_sum_of_normal_entropies():
    r = sk.entropy(sk.DiagonalNormal())
    sigma = sp.IndexedBase("sigma", positive=True)[sp.Symbol("i", integer=True, positive=True)]
    assert sp.simplify(sp.expand_log(summand(r) - sp.log(2 * sp.pi * sp.E * sigma ** 2) / 2, force=True)) == 0


def test_diagonal_against_full_covariance():
    p = sk.DiagonalNormal([0, 1], [1, 2])
    q = sk.MultivariateNormal([1, 0], [[2, 1], [1, 2]])
    r = sk.kl(p, q)
    assert sp.simplify(sp.expand_log(r.expr - textbook_kl(*sk.MultivariateNormal([0, 1], [[1, 0], [0, 4]]).args,
                                                             *q.args), force=True)) == 0
    assert r.verify(dps=DPS).digits >= 30

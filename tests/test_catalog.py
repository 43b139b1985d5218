"""The whole matrix: every ordered pair derived, each closed form checked against quadrature.

The sweep over all 765 pairs and the regeneration of docs/catalog.md are
marked slow (about 40 minutes on 2 shared cores; the regeneration alone about 6):
``pytest -m slow -n 0``.
"""
import pathlib
import random
import time

import mpmath
import pytest
import sympy as sp

import symkl as sk
from oracles import ENTROPY_STUDENT_T, SAME_FAMILY
from oracles import nu as oracle_nu
from pairs import random_points
from symkl import catalog
from symkl.engine.budget import within

R = sp.Rational

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAIRS = list(catalog.pairs())


@pytest.fixture(scope="session")
def cells():
    return {(c.p, c.q): c for c in catalog.derive_all()}


def cell(p, q):
    """One pair derived on its own (the fast tests need not derive the whole matrix)."""
    start = time.perf_counter()
    result = sk.kl(p(), q())
    return catalog.Cell(p, q, result, time.perf_counter() - start)


@pytest.mark.slow
@pytest.mark.parametrize("p, q", PAIRS, ids=[f"{p.__name__}-{q.__name__}" for p, q in PAIRS])
def test_every_pair_has_an_honest_outcome(cells, p, q):
    cell = cells[p, q]
    if cell.outcome == catalog.CLOSED:
        assert not cell.result.expr.has(sp.Integral)
        for seed in range(5):
            check = cell.verify(seed)
            assert check.digits >= 30, (seed, cell.example(seed), check)
    elif cell.outcome == catalog.INFINITE:
        assert cell.result.reason
    else:
        check_numeric_only(cell)


def check_numeric_only(cell):
    """A numeric-only outcome: its integral's convergence decided (∞ where it diverges),
    and its value at a point by two routes that share nothing: sympy's evaluation of the
    partial derivation (closed parts and the integrals left), and symkl's quadrature of
    the log-densities."""
    labels = [label for label, _ in cell.result.steps]
    assert "not in closed form" in " ".join(labels)
    assert any("the integral left converges" in label and "not decided" not in label
               for label in labels), labels
    values = cell.example()
    families = [f.subs(values) for f in (cell.result.p, cell.result.q)]
    value, _ = sk.numeric.quadrature.integral("kl", *families, dps=20)
    by_sympy = cell.result.evalf(values, n=20)
    if by_sympy == sp.oo:
        assert value == mpmath.inf, (values, value)
        return
    assert mpmath.isfinite(value) and value >= 0
    with mpmath.workdps(20):
        assert abs(mpmath.mpf(by_sympy) - value) <= 1e-15 * max(1, abs(value)), (values, by_sympy, value)


INFINITE_SOMEWHERE = {  # pairs once called numeric only although ∞ for some or all parameters
    "Pareto-Laplace": "alpha_1 > 1", "Pareto-Gumbel": "alpha_1 > 1", "Pareto-Logistic": "alpha_1 > 1",
    "InverseGamma-Laplace": "alpha_1 > 1", "InverseGamma-Gumbel": "alpha_1 > 1",
    "InverseGamma-Logistic": "alpha_1 > 1", "StudentT-Normal": "nu_1 > 2",
    "StudentT-Gumbel": None, "ContinuousBernoulli-InverseGamma": None}


@pytest.mark.parametrize("pair, finite_when", INFINITE_SOMEWHERE.items())
def test_divergent_tails_are_infinite_where_they_diverge(pair, finite_when):
    p, q = (getattr(sk, name) for name in pair.split("-"))
    result = cell(p, q).result
    assert result.reason
    if finite_when is None:
        assert result.expr == sp.oo
        return
    assert isinstance(result.expr, sp.Piecewise) and result.expr.args[-1] == (sp.oo, True)
    conditions = " ".join(str(c) for _, c in result.expr.args[:-1])
    assert finite_when in conditions, conditions


def test_student_t_against_a_normal_from_its_two_moments():
    # E[X] = μ, E[X²] = μ² + νσ²/(ν − 2) (ν > 2): closed where finite, ∞ at ν ≤ 2
    result = cell(sk.StudentT, sk.Normal).result
    assert result.closed_form
    values = {"nu_1": R(7, 2), "mu_1": R(1, 3), "sigma_1": R(3, 2), "mu_2": -1, "sigma_2": 2}
    assert result.verify(values).digits >= 30
    assert result.subs(**{**values, "nu_1": R(3, 2)}).expr == sp.oo


REQUIRED = {
    catalog.CLOSED: """Exponential-Gamma Gamma-Exponential Exponential-Weibull Weibull-Exponential
        Gamma-Normal Normal-Laplace Laplace-Normal Uniform-Normal Uniform-Beta Beta-Uniform
        Exponential-Normal Beta-Normal Beta-Exponential Beta-Gamma Gumbel-Normal Normal-Gumbel
        Exponential-Gumbel Uniform-Gumbel Gamma-Gumbel Pareto-Exponential Pareto-Gamma Pareto-Normal
        Uniform-Pareto HalfNormal-Exponential Rayleigh-Weibull Weibull-Weibull Weibull-Gamma
        ChiSquared-Gamma Gamma-ChiSquared LogNormal-LogNormal InverseGamma-InverseGamma Cauchy-Cauchy
        Bernoulli-Poisson Poisson-Poisson Binomial-Binomial Geometric-Geometric StudentT-Normal""",
    catalog.INFINITE: """Gamma-Beta Laplace-Exponential Exponential-Pareto Poisson-Bernoulli
        Poisson-Binomial Normal-Beta Exponential-Uniform""",
    catalog.NUMERIC: "Poisson-Geometric StudentT-StudentT",
}


@pytest.mark.parametrize("outcome, pair", [(o, pair) for o, pairs in REQUIRED.items() for pair in pairs.split()])
def test_known_outcomes(outcome, pair):
    p, q = (getattr(sk, name) for name in pair.split("-"))
    assert cell(p, q).outcome == outcome


@pytest.mark.parametrize("family", [sk.Beta, sk.LogNormal, sk.Weibull, sk.InverseGamma, sk.Chi, sk.Gamma,
                                    sk.StudentT, sk.HalfStudentT, sk.Gumbel, sk.Moyal, sk.Kumaraswamy,
                                    sk.InverseGaussian])
def test_mean_absolute_deviations_from_the_cdf_close_the_laplace_pairs(family):
    # E|X − μ₂| = E[X] − μ₂ + 2(μ₂F(μ₂) − ∫_lo^μ₂ x p(x) dx): the partial mean from the
    # size-biased law (Beta(α + 1, β), LogNormal(μ + σ², σ)), from u = x^k (Weibull:
    # γ(1 + 1/k, ·)), from (x − m)(a(x − m)² + d²)^(−h)'s antiderivative (the t's) or from
    # u = e^(kx) (Gumbel, Moyal: ∂γ(a, z)/∂a, a ₂F₂), u = x^a (Kumaraswamy: an
    # incomplete Beta) or x^(−1/2) e^(−ρx − θ/x)'s erfc form (InverseGaussian), no sympy integral; checked with μ₂ below, inside and (on (0, 1))
    # above the support
    result = sk.kl(family(), sk.Laplace())
    assert result.closed_form and not result.expr.has(sp.Integral)
    point = random_points(result, 1, seed=3)[0]
    mu = next(s for s in point if s.name == "mu_2")
    on_the_unit_interval = family in (sk.Beta, sk.Kumaraswamy)
    inside = [R(1, 3), R(9, 10)] if on_the_unit_interval else [R(1, 3), R(5, 2)]
    for value in [R(-1, 2), *inside] + ([R(3, 2)] if on_the_unit_interval else []):
        check = result.verify({**point, mu: value})
        assert check.digits >= 30, (value, check)
    nu = next((s for s in point if s.name == "nu_1"), None)
    if nu is not None:  # ν ≤ 1: no mean, E|X − μ₂| = ∞, and so is the divergence
        check = result.verify({**point, nu: R(1, 2)})
        assert check.closed_form == sp.oo and check.quadrature == sp.oo


@pytest.mark.parametrize("pair", ["Gamma-Cauchy", "Normal-StudentT", "Laplace-GeneralizedNormal",
                                  "Gamma-GeneralizedNormal", "Cauchy-GeneralizedNormal"])
def test_numeric_only_pairs_have_their_convergence_decided_and_their_digits(pair):
    # the tails rule decides where the statistic stays bounded (log q of a heavy-tailed q
    # over p's light tail); the integrals left, with their |x − μ|^β kinks, are evaluated by
    # split tanh-sinh quadrature (sympy's evalf gave 4–13 digits and no warning)
    p, q = (getattr(sk, name) for name in pair.split("-"))
    found = cell(p, q)
    assert found.outcome == catalog.NUMERIC
    check_numeric_only(found)


#: the pairs the rule closes; the default suite takes a sample (lambdify's Taylor series at
#: λ = 1/2 takes sympy a minute or more for some), the slow one all
LINEAR_PIECES = ["Uniform-Logistic", "Exponential-Logistic", "Laplace-Logistic", "ContinuousBernoulli-Gamma",
                 *(pytest.param(pair, marks=pytest.mark.slow) for pair in (
                     "ContinuousBernoulli-Beta", "ContinuousBernoulli-Weibull", "ContinuousBernoulli-Rayleigh",
                     "ContinuousBernoulli-ChiSquared", "ContinuousBernoulli-LogNormal",
                     "ContinuousBernoulli-Chi", "ContinuousBernoulli-Gumbel"))]


@pytest.mark.parametrize("pair", LINEAR_PIECES)
def test_densities_linear_in_log_on_pieces_close_their_pairs(pair):
    # log p = log c + r·x on each piece (Uniform, Exponential, Laplace split at μ, the
    # continuous Bernoulli): E[log(1 + Be^(kX))] in ₂F₁ or Li₂, E[(log X)^m] in pFp, E[X^s] in
    # ₁F₁, E[e^(kX)] with its r + k = 0 piece; no sympy integral.  Checked at random points, at
    # the uniform λ = 1/2 (a removable singularity of every such formula: the general form
    # reads 0/0 there) and lambdified (numpy, pFq by mpmath) against 30-digit values
    p, q = (getattr(sk, name) for name in pair.split("-"))
    result = sk.kl(p(), q())
    assert result.closed_form and not result.expr.has(sp.Integral)
    points = random_points(result, 2, seed=5)
    lam = next((s for s in points[0] if s.name == "lam_1"), None)
    if lam is not None:
        points.append({**points[0], lam: R(1, 2)})
    f = result.lambdify()
    for point in points:
        check = result.verify(point)
        assert check.digits >= 30, (point, check)
        value = f(**{s.name: float(v) for s, v in point.items()})
        assert abs(value - float(check.quadrature)) <= 1e-9 * max(1, abs(value)), (point, value, check)


def test_the_exponential_piece_where_r_plus_k_vanishes():
    # E_CB[e^(−x/β)] divides by r − 1/β, r = log(λ/(1 − λ)): at λ = 3/4, β = 1/log 3 that is 0
    # (5× the budget: the derivation takes some 20 s of CPU here; its point is not speed)
    result = sk.kl(sk.ContinuousBernoulli(), sk.Gumbel(), budget=100)
    point = {"lam_1": R(3, 4), "mu_2": R(1, 3), "beta_2": 1 / sp.log(3)}
    assert result.verify(point).digits >= 30


#: E[log Q(X)] for a quadratic Q with no real root (a Cauchy's or a t's log-density) by E₁
#: of a complex argument, or Ci and Si where its root is imaginary (the half families)
LOG_QUADRATIC = ["Exponential-Cauchy", "Exponential-StudentT", "Laplace-Cauchy", "Laplace-StudentT",
                 "Exponential-HalfCauchy", "Exponential-HalfStudentT"]
#: the same from the declared moments, on a bounded support or one bounded away from 0: the
#: series of log(1 − X/z) (or of log(1 − z/X)) summed into a ₃F₂ of the complex root z
BY_THE_SERIES_AT_THE_ROOT = ["Beta-Cauchy", "Beta-StudentT", "Pareto-Cauchy", "Pareto-StudentT",
                             "Beta-HalfCauchy", "Pareto-HalfStudentT"]
#: the same as the logistic declares it, in ψ at a complex point
LOGISTIC_AT_THE_ROOT = ["Logistic-Cauchy", "Logistic-StudentT"]
#: E[e^(tX)] from a declared MGF: Kummer's ₁F₁ for a beta, Γ(−α, u) for a Pareto
FROM_THE_MGF = ["Beta-Gumbel", "Pareto-Gumbel", "Beta-Moyal", "Pareto-Moyal"]


@pytest.mark.parametrize("pair", LOG_QUADRATIC + BY_THE_SERIES_AT_THE_ROOT + LOGISTIC_AT_THE_ROOT
                         + FROM_THE_MGF)
def test_pairs_closed_at_a_complex_root_or_by_a_declared_mgf(pair):
    # at random points, at a tie of the locations where there are two, and lambdified
    # (numpy: E₁ by scipy's exp1, Γ(−α, u) and complex pFq by mpmath) against 30-digit values
    p, q = (getattr(sk, name) for name in pair.split("-"))
    result = sk.kl(p(), q())
    assert result.closed_form and not result.expr.has(sp.Integral)
    points = random_points(result, 2, seed=7)
    names = {s.name: s for s in points[0]}
    if "mu_1" in names and ({"x0_2", "mu_2"} & set(names)):
        location = names.get("x0_2", names.get("mu_2"))
        points.append({**points[0], location: points[0][names["mu_1"]]})
    f = result.lambdify()
    for point in points:
        check = result.verify(point)
        assert check.digits >= 30, (point, check)
        if check.quadrature == sp.oo:
            continue
        value = f(**{s.name: float(v) for s, v in point.items()})
        assert abs(value - float(check.quadrature)) <= 1e-9 * max(1, abs(value)), (point, value, check)


def test_the_exponential_log_quadratic_is_gradshteyn_and_ryzhik_4_338_1():
    # ∫₀^∞ e^(−x) log(1 + x²) dx = −2[ci(1) cos 1 + si(1) sin 1], si = Si − π/2: so
    # KL(Exp(1) ‖ HalfCauchy(1)) = log(π/2) − 1 plus that
    result = sk.kl(sk.Exponential(1), sk.HalfCauchy(1))
    with mpmath.workdps(50):
        oracle = mpmath.log(mpmath.pi / 2) - 1 - 2 * (mpmath.ci(1) * mpmath.cos(1)
                                                      + (mpmath.si(1) - mpmath.pi / 2) * mpmath.sin(1))
        assert abs(mpmath.mpf(sp.N(result.expr, 50)) - oracle) < mpmath.mpf(10) ** -45


@pytest.mark.parametrize("p, q, oracle", [
    # ∫₀¹ log(1 + x²) dx = log 2 − 2 + π/2, and a Beta(1, 1) has entropy 0
    (sk.Beta(1, 1), sk.Cauchy(0, 1), lambda: mpmath.log(2 * mpmath.pi) - 2 + mpmath.pi / 2),
    # ∫₁^∞ log(1 + x²)/x² dx = log 2 + π/2 (by parts), E log X = 1 under Pareto(1, 1)
    (sk.Pareto(1, 1), sk.HalfCauchy(1), lambda: mpmath.log(mpmath.pi) - 2 + mpmath.pi / 2),
])
def test_the_series_at_the_root_gives_the_elementary_integrals(p, q, oracle):
    result = sk.kl(p, q)
    assert result.expr.has(sp.hyper)  # the rule under test gave it, as a ₃F₂ at z = i
    with mpmath.workdps(50):
        assert abs(mpmath.mpf(sp.N(result.expr, 50)) - oracle()) < mpmath.mpf(10) ** -45


def identical(ours, textbook) -> bool:
    """Equal as functions where the formula holds (log arguments positive there)."""
    if ours == textbook:
        return True
    if isinstance(ours, sp.Piecewise):
        return all(identical(a, b) for (a, _), (b, _) in zip(ours.args, textbook.args))
    if sp.simplify(sp.expand_log(ours - textbook, force=True)) == 0:
        return True
    # forms sympy cannot bring together (artanh against logs): equal to 45 digits at points
    # drawn where both are defined
    rng = random.Random(0)
    symbols = sorted((ours - textbook).free_symbols, key=str)
    for _ in range(6):
        point = {s: sp.Rational(rng.randint(1, 22), 23) for s in symbols}  # never 1/2
        if abs(sp.N((ours - textbook).xreplace(point), 50)) > 1e-45:
            return False
    return True


@pytest.mark.parametrize("family", sorted(SAME_FAMILY))
def test_same_family_pairs_are_the_textbook_forms(family):
    cls = getattr(sk, family)
    assert identical(cell(cls, cls).result.expr, SAME_FAMILY[family])


@pytest.mark.parametrize("family", sorted(SAME_FAMILY))
def test_same_family_pairs_are_no_longer_than_the_textbook(family):
    cls = getattr(sk, family)
    assert sp.count_ops(cell(cls, cls).result.expr) <= sp.count_ops(SAME_FAMILY[family])


def test_binomial_poisson_with_numeric_n_is_closed():
    result = sk.kl(sk.Binomial(3, "p"), sk.Poisson())
    assert result.closed_form and not result.expr.has(sp.Sum)


def test_student_t_entropy_is_derived():
    result = sk.entropy(sk.StudentT())
    assert result.closed_form
    assert sp.simplify(result.expr - ENTROPY_STUDENT_T) == 0 or \
        all(abs(sp.N((result.expr - ENTROPY_STUDENT_T).subs({oracle_nu: v}), 30)) < 1e-25 for v in (1, 3, 7))


def test_quadrature_passes_over_a_gumbel_far_tail():
    """Tail nodes reach x = −e^(10^64), where a Gumbel's e^(−x/β) could never be computed."""
    check = within(60, cell(sk.Gumbel, sk.Normal).verify)
    assert check.digits >= 30


@pytest.mark.parametrize("p, q", [(sk.Gamma, sk.Gumbel), (sk.ChiSquared, sk.Normal), (sk.Weibull, sk.LogNormal)])
def test_quadrature_sees_what_lies_beside_an_end(p, q):
    """At their examples, x^-0.4 and x^-0.85 at 0 (Gamma α = 3/5, χ² k = 3/10) left 10^-37
    out of the quadrature's sight, and a piece from 10^-13 to 10^-3 taken linearly 10^-45:
    37, 43 and 44 digits, under an error estimate of 10^-59."""
    assert cell(p, q).verify().digits == 50


def test_quadrature_diverges_at_an_end_where_the_closed_form_is_infinite():
    """χ²(2) ‖ InverseGamma(2, 2/5): E[1/X] diverges (logarithmically) at 0, which nodes
    no closer than 10^-62 to it made 141.56."""
    check = sk.kl(sk.ChiSquared(), sk.InverseGamma()).verify({"k_1": 2, "alpha_2": 2, "beta_2": 0.4})
    assert check.closed_form == check.quadrature == mpmath.inf


def test_boundary_zero_log_zero():
    assert sk.kl(sk.Uniform(0, 1), sk.Beta(1, 1)).expr == 0


@pytest.mark.slow
def test_regenerating_the_catalog_changes_nothing(cells):
    committed = (ROOT / "docs" / "catalog.md").read_text()
    regenerated = catalog.markdown(list(cells.values()))
    old, new = (dict(section.split("\n", 1) for section in text.split("\n## ")[1:])
                for text in (committed, regenerated))
    changed = sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))
    assert regenerated == committed, f"sections that changed: {changed}"


def test_spreading_the_pairs_over_processes_changes_nothing():
    among = [(sk.Normal, sk.Normal), (sk.Gamma, sk.Exponential), (sk.Uniform, sk.Normal),
             (sk.Poisson, sk.Geometric)]
    alone = catalog.derive_all(among=among, checked=True)
    spread = catalog.derive_all(among=among, checked=True, jobs=2)
    assert [(c.p, c.q) for c in spread] == among
    assert [(c.result.expr, c.outcome, c.check) for c in spread] == \
        [(c.result.expr, c.outcome, c.check) for c in alone]
    assert all(c.check for c in spread if c.outcome != catalog.INFINITE)


def test_a_condition_that_leaves_one_value_of_n_gives_a_closed_form():
    # Binomial(n, p₁) ‖ Bernoulli(p₂) is finite for n ≤ 1 only, i.e. at n = 1, where
    # Binomial's entropy sum has two terms: it is Bernoulli ‖ Bernoulli there, ∞ elsewhere
    result = sk.kl(sk.Binomial(), sk.Bernoulli())
    assert result.closed_form and not result.expr.has(sp.Sum)
    check = result.verify({"n": 1, "p_1": R(2, 7), "p_2": R(3, 5)})
    assert check.digits >= 30
    assert result.verify({"n": 3, "p_1": R(2, 7), "p_2": R(3, 5)}).quadrature == sp.oo


def test_a_numeric_only_cell_names_what_no_rule_gave():
    found = cell(sk.Geometric, sk.Poisson)
    assert found.outcome == catalog.NUMERIC
    section = "\n".join(catalog._section(found, found))
    assert r"No rule gives $\mathbb{E}_{p}\left[\log{\left(x! \right)}\right]$ in closed form" in section

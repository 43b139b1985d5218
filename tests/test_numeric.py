"""The numeric check on its own: independent of the engine, ∞ decided from supports and
tails, extreme parameters computed or refused, never garbage.

Oracles here are textbook values computed independently (mpmath special
functions, written out by hand), never the engine's closed forms.
"""
import ast
import pathlib

import mpmath
import pytest
import sympy as sp

import symkl as sk
from symkl.errors import InvalidInput, Unsupported
from symkl.numeric import quadrature, tails

ROOT = pathlib.Path(__file__).resolve().parent.parent
NUMERIC = ROOT / "symkl" / "numeric"
#: what the numeric check may import: itself, the families and their declarations
ALLOWED = ("symkl.numeric", "symkl.families", "symkl.kinds", "symkl.notation", "symkl.errors")


def _module_file(name: str) -> pathlib.Path:
    path = ROOT.joinpath(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _imports(name: str, top_level_only: bool) -> set:
    """The symkl modules that module ``name`` imports (relative imports resolved)."""
    path = _module_file(name)
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    if top_level_only:  # imports inside if/try at module level run on import too
        nodes = [n for stmt in tree.body if not isinstance(stmt, (ast.FunctionDef, ast.ClassDef))
                 for n in ast.walk(stmt)]
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[:len(base) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:  # a submodule, or a name the module defines
                submodule = f"{module}.{alias.name}"
                found.add(submodule if _module_file(submodule).exists() else module)
    return {m for m in found if m.split(".")[0] == "symkl" and _module_file(m).exists()}


def test_the_numeric_check_imports_nothing_of_the_engine():
    """Every module symkl/numeric/*.py imports (anywhere in it), and everything those import
    when loaded, is the numeric check itself, the families, or their declarations."""
    chains = {f"symkl.numeric.{path.stem}": [] for path in NUMERIC.glob("*.py") if path.stem != "__init__"}
    seen, todo, bad = set(), list(chains), []
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        direct = module.startswith("symkl.numeric")
        for imported in _imports(module, top_level_only=not direct):
            chain = chains[module] + [module]
            if not imported.startswith(ALLOWED):
                bad.append(" → ".join(chain + [imported]))
            elif imported not in seen:
                chains.setdefault(imported, chain)
                todo.append(imported)
    assert len(seen) > len(list(NUMERIC.glob("*.py")))  # the families were followed
    assert not bad, "\n".join(bad)


def test_the_import_test_can_fail():
    """The parser sees a relative import of the engine, inside a function, as what it is."""
    assert "symkl.engine.decompose" in _imports("symkl.families.logistic", top_level_only=False)
    assert "symkl.engine.decompose" not in _imports("symkl.families.logistic", top_level_only=True)


def test_no_engine_function_runs_during_a_check(monkeypatch):
    """With every function of the engine replaced by one that fails, the numeric routes
    still give their values (a Logistic too, whose declared expectation would call the
    engine)."""
    import inspect
    import importlib
    import pkgutil

    import symkl.engine
    for info in pkgutil.iter_modules(symkl.engine.__path__):
        module = importlib.import_module(f"symkl.engine.{info.name}")
        for name, value in vars(module).items():
            if inspect.isfunction(value) and value.__module__ == module.__name__:
                monkeypatch.setattr(module, name, _refuse)
    value, _ = sk.quad_kl(sk.Logistic(0, 1), sk.Normal(0, 1), dps=20)
    assert abs(value - _logistic_normal()) < mpmath.mpf(10) ** -18
    assert sk.quad_kl(sk.Normal(0, 1), sk.Exponential(1), dps=20)[0] == mpmath.inf
    assert sk.numeric.cubature.integral("entropy", sk.Dirichlet([2, 3]), dps=20)[0] > -1


def _refuse(*args, **kwargs):
    raise AssertionError("the engine was called")


def _logistic_normal():
    """KL(Logistic(0, 1) ‖ N(0, 1)) = −H(Logistic) + ½log 2π + E[X²]/2, E[X²] = π²/3, H = 2."""
    with mpmath.workdps(30):
        return -2 + mpmath.log(2 * mpmath.pi) / 2 + mpmath.pi ** 2 / 6


# -- ∞ from the supports --------------------------------------------------------------
@pytest.mark.parametrize("p, q, words", [
    (sk.Normal(0, 1), sk.Exponential(1), "mass 0.5 outside supp q"),
    (sk.Normal(0, 1), sk.Uniform(-300, 300), "outside supp q"),  # p there: 10^-19547
    (sk.Uniform(0, 2), sk.Uniform(0, 1), "mass 0.5 outside supp q"),
    (sk.Poisson(3), sk.Binomial(4, sp.Rational(1, 2)), "mass at 5, 6, 7"),
    (sk.Categorical([sp.Rational(1, 2), sp.Rational(1, 2)]), sk.Categorical([0, 1]), "mass at 0"),
    (sk.Bernoulli(sp.Rational(1, 3)), sk.Normal(0, 1), "discrete"),
])
def test_p_with_mass_where_q_has_none_is_infinite(p, q, words):
    value, error, _, reason = quadrature.estimate("kl", p, q, dps=20)
    assert value == mpmath.inf and words in reason


def test_nested_supports_are_finite():
    value, _ = sk.quad_kl(sk.Uniform(0, 1), sk.Uniform(-1, 2), dps=30)
    with mpmath.workdps(40):
        assert abs(value - mpmath.log(3)) < mpmath.mpf(10) ** -30


# -- ∞ from the tails -------------------------------------------------------------------
@pytest.mark.parametrize("p, q", [
    (sk.Cauchy(0, 1), sk.Normal(0, 1)),          # a constant in x: grows like e^u
    (sk.Cauchy(0, 1), sk.Laplace(0, 1)),         # 1/x: the pieces never shrink
    (sk.StudentT(3, 0, 1), sk.Gumbel(0, 1)),     # x^-4·e^(−x): past computing while growing
    (sk.StudentT(2, 0, 1), sk.Normal(0, 1)),     # ν ≤ 2: no variance
    (sk.Pareto(1, 1), sk.Exponential(1)),        # α = 1: no mean
    (sk.Pareto(1, sp.Rational(1, 2)), sk.Gumbel(0, 1)),
    (sk.InverseGamma(sp.Rational(1, 2), 1), sk.Laplace(0, 1)),
    (sk.ContinuousBernoulli(sp.Rational(3, 10)), sk.InverseGamma(2, 1)),   # E[1/X] at 0
    (sk.ChiSquared(2), sk.InverseGamma(2, sp.Rational(2, 5))),               # the same, log-divergent
    (sk.Pareto(1, sp.Rational(1, 2)), sk.Laplace(0, 1)),                     # α < 1: no mean
    (sk.Pareto(2, sp.Rational(9, 10)), sk.Logistic(0, 1)),
    (sk.InverseGamma(sp.Rational(1, 2), 1), sk.Gumbel(0, 1)),
    (sk.InverseGamma(sp.Rational(99, 100), 1), sk.Logistic(0, 1)),
    (sk.StudentT(sp.Rational(19, 10), 0, 1), sk.Normal(0, 1)),
    (sk.Cauchy(0, 1), sk.Gumbel(0, 100)),
    (sk.Laplace(0, 1), sk.Gumbel(0, 1)),                                     # e^(x/b)·e^(−x/β), b = β
    (sk.Logistic(sp.Rational(11, 10), sp.Rational(11, 10)), sk.Gumbel(sp.Rational(7, 10), sp.Rational(11, 10))),
])
def test_divergent_integrals_are_infinite(p, q):
    assert sk.quad_kl(p, q, dps=30)[0] == mpmath.inf


@pytest.mark.parametrize("alpha", [sp.Rational(3, 2), sp.Rational(101, 100)])
def test_slowly_convergent_tails_are_finite(alpha):
    """Pareto(1, α) ‖ Exponential(1) = log α − 1 − 1/α + α/(α − 1): finite for α > 1,
    however slowly the tail (x^-α) decays."""
    with mpmath.workdps(40):
        a = mpmath.mpf(alpha.p) / alpha.q
        oracle = mpmath.log(a) - 1 - 1 / a + a / (a - 1)
    value, error = sk.quad_kl(sk.Pareto(1, alpha), sk.Exponential(1), dps=30)
    assert abs(value - oracle) < abs(oracle) * mpmath.mpf(10) ** -30 and error < abs(oracle) * 1e-30


def test_a_tail_that_grows_for_long_then_falls_is_finite():
    """Weibull(1, 1/100) ‖ Weibull(2, 1/2): the integrand grows until x ≈ e^500, KL ≈ 2·10^64."""
    value, error = sk.quad_kl(sk.Weibull(1, sp.Rational(1, 100)), sk.Weibull(2, sp.Rational(1, 2)), dps=30)
    assert abs(value - _weibull_weibull(1, sp.Rational(1, 100), 2, sp.Rational(1, 2))) < value * 1e-30


def _weibull_weibull(l1, k1, l2, k2):
    """The textbook KL between Weibulls (Bauckhage 2013), with E[X^s] = λ^s Γ(1 + s/k)."""
    with mpmath.workdps(40):
        l1, k1, l2, k2 = (mpmath.mpf(v.p) / v.q if isinstance(v, sp.Rational) else mpmath.mpf(v)
                          for v in (l1, k1, l2, k2))
        return (mpmath.log(k1 / l1 ** k1) - mpmath.log(k2 / l2 ** k2) + (k1 - k2) * (mpmath.log(l1) - mpmath.euler / k1)
                + (l1 / l2) ** k2 * mpmath.gamma(k2 / k1 + 1) - 1)


def test_the_tail_verdicts():
    with mpmath.workdps(20):
        assert tails.integral(lambda u: mpmath.exp(-u))[0] == pytest.approx(1)
        assert tails.integral(lambda u: 1 / (1 + u))[0] == mpmath.inf       # 1/x in x
        assert tails.integral(lambda u: -mpmath.exp(u))[0] == -mpmath.inf
        with pytest.raises(Unsupported, match="cannot tell whether a tail converges"):
            tails.integral(lambda u: mpmath.exp(-u / 10 ** 8))
        assert tails.series(lambda k: 1 / mpmath.factorial(k), 0, 1)[0] == pytest.approx(mpmath.e)
        with pytest.raises(Unsupported, match="at most 100000"):  # power laws are not summed
            tails.series(lambda k: mpmath.mpf(1) / (k + 1) ** 3, 0, 1)


# -- extremes -----------------------------------------------------------------------------
@pytest.mark.parametrize("p, q, oracle", [
    # the mass of Beta(α, ·) with α = 1e-6 lies at x ~ e^(−10^6)
    (sk.Beta(1e-6, 1e-6), sk.Beta(1, 1), lambda: _beta_beta(1e-6, 1e-6, 1, 1)),
    (sk.Beta(1, 1e-6), sk.Beta(2, 3), lambda: _beta_beta(1, 1e-6, 2, 3)),
    (sk.Weibull(1, 0.01), sk.Weibull(2, 0.5), lambda: _weibull_weibull(1, 0.01, 2, 0.5)),
    (sk.Normal(1e200, 1), sk.Normal(1e200, 2), lambda: mpmath.log(2) + mpmath.mpf(1) / 8 - mpmath.mpf(1) / 2),
    (sk.Normal(1e200, 1), sk.Normal(0, 2),
     lambda: mpmath.log(2) + (1 + mpmath.mpf(1e200) ** 2) / 8 - mpmath.mpf(1) / 2),
    (sk.Poisson(10 ** 6), sk.Poisson(10 ** 6 + 1000),
     lambda: 10 ** 6 * mpmath.log(mpmath.mpf(10 ** 6) / (10 ** 6 + 1000)) + 1000),
])
def test_extreme_parameters_are_computed(p, q, oracle):
    value, error = sk.quad_kl(p, q, dps=30)
    with mpmath.workdps(40):
        truth = oracle()
    assert abs(value - truth) <= abs(truth) * mpmath.mpf(10) ** -30, (value, truth)


def _beta_beta(a1, b1, a2, b2):
    """The textbook KL between Betas, in log B and ψ."""
    with mpmath.workdps(40):
        a1, b1, a2, b2 = map(mpmath.mpf, (a1, b1, a2, b2))
        log_beta = lambda a, b: mpmath.loggamma(a) + mpmath.loggamma(b) - mpmath.loggamma(a + b)  # noqa: E731
        return (log_beta(a2, b2) - log_beta(a1, b1) + (a1 - a2) * mpmath.digamma(a1)
                + (b1 - b2) * mpmath.digamma(b1) + (a2 - a1 + b2 - b1) * mpmath.digamma(a1 + b1))


@pytest.mark.parametrize("p, q, oracle", [
    (sk.Logistic(0, sp.Rational(1, 2)), sk.Gumbel(0, 1), None),               # e^(2x)·e^(−x): finite
    (sk.Pareto(1, 2), sk.Laplace(0, 1),                                        # −H + log 2b + E|X|
     lambda: -(mpmath.log(mpmath.mpf(1) / 2) + mpmath.mpf(3) / 2) + mpmath.log(2) + 2),
    (sk.InverseGamma(2, 1), sk.Logistic(0, 1), None),
])
def test_the_convergent_neighbours_of_divergent_pairs_are_finite(p, q, oracle):
    value, error = sk.quad_kl(p, q, dps=30)
    assert mpmath.isfinite(value) and value > 0 and error < value * mpmath.mpf(10) ** -30
    if oracle:
        with mpmath.workdps(40):
            assert abs(value - oracle()) < mpmath.mpf(10) ** -30


def _gumbel_gumbel(m1, b1, m2, b2):
    """The textbook KL between Gumbels: log(β₂/β₁) + γ(β₁/β₂ − 1) + (μ₁ − μ₂)/β₂
    + e^((μ₂ − μ₁)/β₂)·Γ(1 + β₁/β₂) − 1."""
    with mpmath.workdps(60):
        m1, b1, m2, b2 = (mpmath.mpf(sp.Rational(v).p) / sp.Rational(v).q for v in (m1, b1, m2, b2))
        return (mpmath.log(b2 / b1) + mpmath.euler * (b1 / b2 - 1) + (m1 - m2) / b2
                + mpmath.exp((m2 - m1) / b2) * mpmath.gamma(1 + b1 / b2) - 1)


def _continuous_bernoulli(l1, l2):
    """KL between continuous Bernoullis from C(λ) = log((1 − λ)/λ)/(1 − 2λ) (2 at λ = 1/2)
    and E[X] = λ/(2λ − 1) + 1/log((1 − λ)/λ) (1/2 at λ = 1/2)."""
    with mpmath.workdps(60):
        l1, l2 = (mpmath.mpf(sp.Rational(v).p) / sp.Rational(v).q for v in (l1, l2))
        c = lambda lam: 2 if lam == 0.5 else mpmath.log((1 - lam) / lam) / (1 - 2 * lam)  # noqa: E731
        mean = 0.5 if l1 == 0.5 else l1 / (2 * l1 - 1) + 1 / mpmath.log((1 - l1) / l1)
        return (mpmath.log(c(l1) / c(l2)) + mean * mpmath.log(l1 / l2)
                + (1 - mean) * mpmath.log((1 - l1) / (1 - l2)))


@pytest.mark.parametrize("p, q, oracle", [
    # the constants of a log-density keep their digits: log(λ/(1 − λ)) is 4·10^-30, not 0
    (sk.ContinuousBernoulli(sp.Rational(1, 2) + sp.Rational(1, 10 ** 30)), sk.ContinuousBernoulli(sp.Rational(1, 3)),
     lambda: _continuous_bernoulli(sp.Rational(1, 2), sp.Rational(1, 3))),
    # e^(−x/β) at β = 10^-50 far from the bulk: past computing, taken as 0 or ∞, not an OverflowError
    (sk.Gumbel(0, 1e-50), sk.Gumbel(0, 1), lambda: _gumbel_gumbel(0, 1e-50, 0, 1)),
    # landmarks at e^(10^6 ± 8) far apart for their size: no 434,294 extra digits (once 124 s)
    (sk.LogNormal(10 ** 6, 1), sk.LogNormal(10 ** 6, 2), lambda: mpmath.log(2) + mpmath.mpf(1) / 8 - mpmath.mpf(1) / 2),
    (sk.Normal(0, 1e300), sk.Normal(0, 1), lambda: -mpmath.log(mpmath.mpf(1e300)) + mpmath.mpf(1e300) ** 2 / 2 - mpmath.mpf(1) / 2),
])
def test_more_extreme_parameters_are_computed(p, q, oracle):
    value, error = sk.quad_kl(p, q, dps=30)
    with mpmath.workdps(40):
        truth = oracle()
    assert abs(value - truth) <= abs(truth) * mpmath.mpf(10) ** -28, (value, truth)


def test_precision_has_a_ceiling():
    with pytest.raises(Unsupported, match=f"at most {quadrature.MAX_DPS} significant digits"):
        sk.quad_kl(sk.Normal(0, 1), sk.Normal(1, 2), dps=1000)
    with pytest.raises(InvalidInput, match="dps must be a positive integer"):
        sk.quad_kl(sk.Normal(0, 1), sk.Normal(1, 2), dps=0)


def test_a_series_too_long_to_sum_is_refused(monkeypatch):
    """Poisson(10⁸) needs 2·10⁵ terms at 20 digits; allowed 10⁴, it is refused, not cut short."""
    monkeypatch.setattr(tails, "MOST_TERMS", 10 ** 4)
    with pytest.raises(Unsupported, match=r"Poisson\(100000000\).*beyond the numeric check"):
        sk.quad_kl(sk.Poisson(10 ** 8), sk.Poisson(10 ** 8 + 10 ** 4), dps=20)


def test_the_log_density_is_the_familys_own_at_its_values():
    """ContinuousBernoulli(1/2) writes its normaliser as the limit 2 (the formula is 0/0
    there): KL(CB(1/2) ‖ N(0, 1)) = ½ log 2π + E[X²]/2 = ½ log 2π + 1/6."""
    value, _ = sk.quad_kl(sk.ContinuousBernoulli(sp.Rational(1, 2)), sk.Normal(0, 1), dps=30)
    with mpmath.workdps(40):
        assert abs(value - mpmath.log(2 * mpmath.pi) / 2 - mpmath.mpf(1) / 6) < mpmath.mpf(10) ** -30

"""The derived closed forms against textbook oracles, and the engine's identities."""
import pytest
import sympy as sp
from sympy import Rational as R

import symkl as sk
from oracles import (ENTROPY_EXPONENTIAL, ENTROPY_NORMAL, KL_EXPONENTIAL, KL_NORMAL,
                     entropy_categorical_indexed, kl_categorical, kl_categorical_indexed)


def same(a, b) -> bool:
    return sp.simplify(a - b) == 0


@pytest.mark.parametrize("p, q, textbook", [
    (sk.Normal(), sk.Normal(), KL_NORMAL),
    (sk.Normal("mu_1", "sigma_1"), sk.Normal("mu_2", "sigma_2"), KL_NORMAL),
    (sk.Exponential(), sk.Exponential(), KL_EXPONENTIAL),
], ids=["normal-defaults", "normal-named", "exponential"])
def test_kl_is_the_textbook_form_and_no_longer(p, q, textbook):
    expr = sk.kl(p, q).expr
    assert same(expr, textbook)
    assert sp.count_ops(expr) <= sp.count_ops(textbook)


def test_normal_kl_prints_as_the_textbook_does():
    assert str(sk.kl(sk.Normal(), sk.Normal()).expr) == \
        "log(sigma_2/sigma_1) - 1/2 + (sigma_1**2 + (mu_1 - mu_2)**2)/(2*sigma_2**2)"


@pytest.mark.parametrize("family, textbook", [
    (sk.Normal(), ENTROPY_NORMAL), (sk.Exponential(), ENTROPY_EXPONENTIAL),
])
def test_entropy_is_the_textbook_form_and_no_longer(family, textbook):
    expr = sk.entropy(family).expr
    assert same(expr, textbook)
    assert sp.count_ops(expr) <= sp.count_ops(textbook)


def test_categorical_with_symbols():
    p, q = sp.symbols("a b c", positive=True), sp.symbols("d e f", positive=True)
    expr = sk.kl(sk.Categorical(list(p)), sk.Categorical(list(q))).expr
    assert same(expr, kl_categorical(p, q))
    assert sp.count_ops(expr) <= sp.count_ops(kl_categorical(p, q))


def test_categorical_with_symbolic_size_is_an_indexed_sum():
    K = sp.Symbol("K", integer=True, positive=True)
    expr = sk.kl(sk.Categorical.symbolic("p", K), sk.Categorical.symbolic("q", K)).expr
    assert isinstance(expr, sp.Sum)
    assert expr == kl_categorical_indexed()
    assert sk.entropy(sk.Categorical.symbolic("p", "K")).expr == entropy_categorical_indexed()


def test_categorical_numbers_in_exact_number_out():
    p, q = [R(1, 2), R(1, 2)], [R(1, 4), R(3, 4)]
    expr = sk.kl(sk.Categorical(p), sk.Categorical(q)).expr
    assert not expr.atoms(sp.Float) and expr.is_number
    assert same(expr, kl_categorical(p, q))


def test_normal_numbers_in_exact_number_out():
    expr = sk.kl(sk.Normal(0, 1), sk.Normal(1, 2)).expr
    assert expr == sp.log(2) - R(1, 4)


def test_zero_probability_in_p_counts_as_zero():
    p, q = [0, R(1, 3), R(2, 3)], [R(1, 3), R(1, 3), R(1, 3)]
    expr = sk.kl(sk.Categorical(p), sk.Categorical(q)).expr
    assert same(expr, kl_categorical(p, q))


@pytest.mark.parametrize("p, q", [
    (sk.Normal(), sk.Normal()), (sk.Exponential(), sk.Exponential()),
    (sk.Exponential(), sk.Normal()),
    (sk.Categorical(["a", "b"]), sk.Categorical(["c", "d"])),
    (sk.Categorical.symbolic("p", "K"), sk.Categorical.symbolic("q", "K")),
], ids=["normal", "exponential", "exponential-normal", "categorical", "categorical-indexed"])
def test_kl_is_cross_entropy_minus_entropy(p, q):
    difference = sk.kl(p, q).expr - (sk.cross_entropy(p, q).expr - sk.entropy(p.renamed("1")).expr)
    assert same(difference, 0)


@pytest.mark.parametrize("p", [
    sk.Normal("mu", "sigma"), sk.Exponential("rate"), sk.Normal(3, 5),
    sk.Categorical(["a", "b", "c"]), sk.Categorical.symbolic("p", "K"),
], ids=["normal", "exponential", "normal-numbers", "categorical", "categorical-indexed"])
def test_kl_of_a_distribution_with_itself_is_zero(p):
    assert sk.kl(p, p).expr == 0


def test_default_symbols_are_told_apart():
    expr = sk.kl(sk.Normal(), sk.Normal()).expr
    assert {s.name for s in expr.free_symbols} == {"mu_1", "mu_2", "sigma_1", "sigma_2"}
    assert sk.kl(sk.Categorical(), sk.Categorical()).expr != 0


@pytest.mark.parametrize("base", [2, 10, R(1, 2)])
def test_base_divides_the_nats_form_by_log_base(base):
    nats = sk.kl(sk.Normal(), sk.Normal()).expr
    assert sk.kl(sk.Normal(), sk.Normal(), base=base).expr == nats / sp.log(base)
    assert same(sk.entropy(sk.Exponential(), base=base).expr, ENTROPY_EXPONENTIAL / sp.log(base))


@pytest.mark.parametrize("base", [1, 0, -2])
def test_invalid_base(base):
    with pytest.raises(ValueError, match="base must be a positive number other than 1"):
        sk.kl(sk.Normal(), sk.Normal(), base=base)


@pytest.mark.parametrize("p, q, reason", [
    (sk.Normal(), sk.Exponential(), "supp p = ℝ is not contained in supp q = [0, ∞)"),
    (sk.Categorical([R(1, 2), R(1, 2)]), sk.Categorical([0, 1]), "p has mass at {0}"),
    (sk.Categorical([R(1, 2), R(1, 2)]), sk.Normal(), "p is discrete and q is continuous"),
    (sk.Exponential(), sk.Categorical([1]), "p is continuous and q is discrete"),
])
def test_disjoint_support_is_infinite_with_the_reason(p, q, reason):
    result = sk.kl(p, q)
    assert result.expr == sp.oo
    assert reason in result.reason


def test_support_of_q_may_be_larger():
    assert sk.kl(sk.Categorical([0, 1]), sk.Categorical([R(1, 2), R(1, 2)])).expr == sp.log(2)
    finite = sk.kl(sk.Exponential(1), sk.Normal(0, 1)).expr
    # E[X²] = 2 under Exp(1): KL = −1 + log(2π)/2 + 1 = log(2π)/2
    assert sp.simplify(finite - sp.log(2 * sp.pi) / 2) == 0


def test_mismatched_number_of_categories():
    with pytest.raises(ValueError, match="same number of categories, got K = 2 and K = 3"):
        sk.kl(sk.Categorical([R(1, 2), R(1, 2)]), sk.Categorical([R(1, 3)] * 3))


def test_steps_record_the_derivation():
    result = sk.kl(sk.Normal(), sk.Normal())
    labels = [label for label, _ in result.steps]
    assert labels[0] == "definition" and labels[-1] == "simplified"
    assert {"log p(x)", "log q(x)", "expanded", "from the log-partition", "assembled"} <= set(labels)
    assert result.steps[-1].expr.rhs == result.expr
    x = sp.Symbol("x", real=True)
    means = {eq.lhs.args[0]: eq.rhs for label, eq in result.steps if label == "from the log-partition"}
    mu_1, sigma_1 = sp.Symbol("mu_1", real=True), sp.Symbol("sigma_1", positive=True)
    assert means == {x: mu_1, x**2: mu_1**2 + sigma_1**2}


def test_exponential_family_moments_come_from_the_log_partition():
    """E[X²] under an Exponential is not a sufficient statistic: it comes from ∂A."""
    result = sk.cross_entropy(sk.Exponential(), sk.Normal())
    rate_1 = sp.Symbol("rate_1", positive=True)
    x = sp.Symbol("x", real=True, nonnegative=True)
    moments = {eq.lhs.args[0]: eq.rhs for _, eq in result.steps if eq.lhs.func.__name__ == "Expectation"}
    assert moments[x**2] == 2 / rate_1**2 and moments[x] == 1 / rate_1


def test_time_budget_gives_the_unsimplified_but_correct_form():
    result = sk.kl(sk.Normal(), sk.Normal(), budget=1e-9)
    assert same(result.expr, KL_NORMAL)


def test_the_engine_never_names_a_family():
    """Code of the engine and of the numeric checks refers to no family (docstrings aside)."""
    import ast
    import importlib
    import inspect
    import pkgutil

    import symkl.engine
    import symkl.numeric
    from symkl.families import FAMILIES

    family_names = {cls.__name__ for cls in FAMILIES.values()}
    modules = [importlib.import_module(f"{package.__name__}.{info.name}")
               for package in (symkl.engine, symkl.numeric)
               for info in pkgutil.iter_modules(package.__path__)]
    assert len(modules) >= 8
    for module in [*modules, importlib.import_module("symkl.asymmetry")]:
        tree = ast.parse(inspect.getsource(module))
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert not names & family_names, module.__name__


def test_a_moment_infinite_for_some_parameters_is_not_infinity_everywhere():
    # E|X − μ| under a Pareto is infinite only for α ≤ 1; the KL against a Laplace
    # is finite for α > 1 (it was once read as ∞ everywhere, from an ∞ − ∞ = nan branch).
    # Whether its integral finishes within the cap depends on the machine (a pytest-xdist
    # worker runs it at half speed); the catalog, regenerated by `pytest -m slow`, holds
    # the closed form.
    r = sk.kl(sk.Pareto(), sk.Laplace())
    assert r.expr != sp.oo
    values = {"x_m_1": 1, "alpha_1": 3, "mu_2": 0, "b_2": 1}
    if r.closed_form:
        assert r.verify(values, dps=30).digits >= 30
        assert r.subs({**values, "alpha_1": sp.Rational(1, 2)}).expr == sp.oo

"""The natural form the engine finds from a density alone: its log-partition A(η), as a
function of the natural parameters, has the means of the sufficient statistics as its
gradient (E[T] = ∇A(η)), checked against quadrature (or the sum) of the family's density."""
import random

import mpmath
import pytest
import sympy as sp

from symkl.engine.expectation import NaturalForm
from symkl.families import FAMILIES
from test_family_facts import _integral

SCALAR = [f for f in FAMILIES.values() if not f().multivariate]


def _inverted(family):
    form = NaturalForm.of(family())
    return form and form.log_partition_in_natural_parameters and form


def _mean(d, statistic, x):
    """E[statistic(X)] under d, by quadrature or by the sum over the support."""
    g = sp.lambdify(x, statistic, "mpmath")

    def f(v):  # log(1 − x) is −∞ where 1 − x rounds to 0 at an end of the support, a null set
        value = g(v)
        return value if mpmath.isfinite(value) else mpmath.mpf(0)
    if not d.discrete:
        return _integral(d, f)
    log_mass = sp.lambdify(x, d.log_density(x), "mpmath")
    lower, upper = d.support.inf, d.support.sup
    with mpmath.workdps(40):
        if upper.is_finite:
            return mpmath.fsum(f(k) * mpmath.exp(log_mass(k)) for k in range(int(lower), int(upper) + 1))
        return mpmath.nsum(lambda k: f(k) * mpmath.exp(log_mass(k)), [int(lower), mpmath.inf])


INVERTED = [f for f in SCALAR if _inverted(f)]


def test_the_exponential_families_are_found_and_inverted():
    names = {f.__name__ for f in INVERTED}
    assert {"Normal", "Exponential", "Gamma", "Beta", "Poisson", "Bernoulli", "Geometric",
            "InverseGamma", "LogNormal", "ChiSquared", "Rayleigh"} <= names
    assert not {"Cauchy", "Laplace", "StudentT", "Weibull"} & names  # no natural form


@pytest.mark.parametrize("family", INVERTED, ids=lambda f: f.__name__)
def test_the_gradient_of_the_log_partition_is_the_mean_of_the_statistics(family):
    form = _inverted(family)
    eta, log_partition = form.log_partition_in_natural_parameters
    drawn = family().sample(random.Random(7))
    d = family().subs(drawn)
    at = {e: n.xreplace(drawn) for e, n in zip(eta, form.natural_parameters)}
    for e, statistic in zip(eta, form.statistics):
        gradient = sp.N(sp.diff(log_partition, e).xreplace(at).xreplace(drawn), 45)
        with mpmath.workdps(40):
            assert abs(mpmath.mpf(sp.re(gradient)) - _mean(d, statistic, form.variable)) \
                < mpmath.mpf(10) ** -30 * max(1, abs(gradient))
        assert abs(sp.im(gradient)) < 1e-40


@pytest.mark.parametrize("family", INVERTED, ids=lambda f: f.__name__)
def test_the_log_partition_at_eta_of_theta_is_the_log_partition_at_theta(family):
    form = _inverted(family)
    eta, log_partition = form.log_partition_in_natural_parameters
    drawn = family().sample(random.Random(3))
    at = {e: n.xreplace(drawn) for e, n in zip(eta, form.natural_parameters)}
    difference = sp.N((log_partition.xreplace(at) - form.log_partition).xreplace(drawn), 45)
    assert abs(difference) < 1e-35

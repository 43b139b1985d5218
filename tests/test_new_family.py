"""A family the package has never seen: one small class, and the engine derives the rest.

Its own statistic x⁴ gets its mean from the log-partition; x² and x are no
products of it, so they come from integration under the time budget; with no
budget left, the result is an honest unevaluated integral that still
evaluates numerically.
"""
import sympy as sp

import symkl as sk
from symkl.families.base import POSITIVE, Distribution, Parameter


class Quartic(Distribution):
    """Density exp(−(x/s)⁴) / (2·s·Γ(5/4)) on ℝ."""

    parameters = (Parameter("s", POSITIVE, "s"),)
    notation = r"\operatorname{{Quartic}}\left({}\right)"

    @property
    def support(self):
        return sp.Reals

    def log_density(self, x):
        (s,) = self.args
        return -x**4 / s**4 - sp.log(2 * s * sp.gamma(sp.Rational(5, 4)))

    def landmarks(self):
        (s,) = self.args
        return (-2 * s, 0, 2 * s)


def test_own_statistic_from_the_log_partition_and_the_rest_by_integration():
    result = sk.cross_entropy(Quartic(), sk.Normal())
    rules = {str(eq.lhs.args[0]): label for label, eq in result.steps
             if eq.lhs.func.__name__ == "Expectation"}
    assert rules == {"x**2": "by integration over the support", "x": "by integration over the support"}
    assert result.closed_form and not result.expr.has(sp.Integral)
    means = {label: eq.rhs for label, eq in sk.entropy(Quartic()).steps}
    s = sp.Symbol("s", positive=True)
    assert means["from the log-partition"] == s**4 / 4


def test_closed_form_agrees_with_quadrature():
    result = sk.kl(Quartic(), sk.Normal())
    check = result.verify({"s_1": sp.Rational(3, 2), "mu_2": sp.Rational(1, 3), "sigma_2": 2}, dps=50)
    assert check.digits >= 30, check


class Quartic2(Quartic):
    """The same density under another name: nothing cached from the tests above."""


def test_past_the_budget_an_unevaluated_integral_that_still_evaluates():
    result = sk.kl(Quartic2(), sk.Normal(), budget=1e-3)
    assert not result.closed_form and result.expr.has(sp.Integral)
    check = result.verify({"s_1": 1, "mu_2": 0, "sigma_2": 1}, dps=30)
    assert check.digits >= 25, check

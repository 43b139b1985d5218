import sympy as sp

from .base import POSITIVE, Distribution, Parameter


class Gamma(Distribution):
    r"""The gamma distribution with shape ``alpha`` > 0 and **rate** ``beta`` > 0.

    Density β^α x^{α−1} e^{−βx} / Γ(α) on (0, ∞).

    >>> Gamma(2, 3).power_moment(1)
    2/3
    """

    parameters = (Parameter("alpha", POSITIVE, r"\alpha"), Parameter("beta", POSITIVE, r"\beta"))
    notation = r"\operatorname{{Gamma}}\left({}, {}\right)"

    @property
    def support(self):
        return sp.Interval.open(0, sp.oo)

    def log_density(self, x):
        alpha, beta = self.args
        return alpha * sp.log(beta) - sp.loggamma(alpha) + (alpha - 1) * sp.log(x) - beta * x

    def mgf(self, t):
        alpha, beta = self.args
        return (1 - t / beta) ** (-alpha)

    def power_moment(self, s):
        alpha, beta = self.args
        return sp.gamma(alpha + s) / (sp.gamma(alpha) * beta ** s)

    def landmarks(self):
        alpha, beta = self.args
        return tuple(k * alpha / beta for k in (sp.Rational(1, 10), 1, 4, 20))

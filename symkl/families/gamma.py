import sympy as sp

from .base import POSITIVE, Distribution, Parameter


class Gamma(Distribution):
    r"""The gamma distribution with shape ``alpha`` > 0 and **rate** ``beta`` > 0.

    Density β^α x^{α−1} e^{−βx} / Γ(α) on (0, ∞).

    >>> Gamma(2, 3).power_moment(1)
    2/3
    >>> Gamma(2, 3).mgf(4)
    oo
    """

    parameters = (Parameter("alpha", POSITIVE, r"\alpha"), Parameter("beta", POSITIVE, r"\beta"))
    notation = r"\operatorname{{Gamma}}\left({}, {}\right)"

    @property
    def support(self):
        return sp.Interval.open(0, sp.oo)

    def log_density(self, x):
        alpha, beta = self.args
        return alpha * sp.log(beta) - sp.loggamma(alpha) + (alpha - 1) * sp.log(x) - beta * x

    def cdf(self, x):
        alpha, beta = self.args
        return sp.lowergamma(alpha, beta * x) / sp.gamma(alpha)

    def mgf(self, t):
        alpha, beta = self.args
        return sp.Piecewise(((1 - t / beta) ** (-alpha), t < beta), (sp.oo, True))

    def power_moment(self, s):
        alpha, beta = self.args
        return sp.Piecewise((sp.gamma(alpha + s) / (sp.gamma(alpha) * beta ** s), s > -alpha),
                            (sp.oo, True))

    def landmarks(self):
        alpha, beta = self.args
        return tuple(k * alpha / beta for k in (sp.Rational(1, 10), 1, 4, 20))

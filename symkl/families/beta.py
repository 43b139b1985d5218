import sympy as sp

from .base import POSITIVE, Distribution, Parameter


class Beta(Distribution):
    r"""The beta distribution on (0, 1) with shapes ``alpha``, ``beta`` > 0.

    >>> Beta(2, 3).power_moment(1)
    2/5
    >>> Beta(2, 3).mgf(-1)
    hyper((2,), (5,), -1)
    """

    parameters = (Parameter("alpha", POSITIVE, r"\alpha"), Parameter("beta", POSITIVE, r"\beta"))
    notation = r"\operatorname{{Beta}}\left({}, {}\right)"

    @property
    def support(self):
        return sp.Interval.open(0, 1)

    def log_density(self, x):
        alpha, beta = self.args
        return ((alpha - 1) * sp.log(x) + (beta - 1) * sp.log(1 - x)
                - sp.loggamma(alpha) - sp.loggamma(beta) + sp.loggamma(alpha + beta))

    def cdf(self, x):
        alpha, beta = self.args
        return sp.betainc_regularized(alpha, beta, 0, x)

    def mgf(self, t):
        alpha, beta = self.args
        return sp.hyper((alpha,), (alpha + beta,), t)  # Kummer's ₁F₁: entire in t

    def power_moment(self, s):
        alpha, beta = self.args
        return sp.Piecewise((sp.gamma(alpha + s) * sp.gamma(alpha + beta)
                             / (sp.gamma(alpha) * sp.gamma(alpha + beta + s)), s > -alpha), (sp.oo, True))

    def landmarks(self):
        alpha, beta = self.args
        return (alpha / (alpha + beta),)

import sympy as sp

from .base import POSITIVE, REAL, Distribution, Parameter


class Gumbel(Distribution):
    r"""The Gumbel (maximum) distribution: location ``mu``, scale ``beta`` > 0.

    Density e^{−z − e^{−z}}/β with z = (x − μ)/β.
    """

    parameters = (Parameter("mu", REAL, r"\mu"), Parameter("beta", POSITIVE, r"\beta"))
    notation = r"\operatorname{{Gumbel}}\left({}, {}\right)"

    @property
    def support(self):
        return sp.Reals

    def log_density(self, x):
        mu, beta = self.args
        z = (x - mu) / beta
        return -sp.log(beta) - z - sp.exp(-z)

    def cdf(self, x):
        mu, beta = self.args
        return sp.exp(-sp.exp(-(x - mu) / beta))

    def mgf(self, t):
        mu, beta = self.args
        return sp.Piecewise((sp.gamma(1 - beta * t) * sp.exp(mu * t), t < 1 / beta), (sp.oo, True))

    def landmarks(self):
        mu, beta = self.args
        return tuple(mu + k * beta for k in (-3, 0, 3, 20))

import sympy as sp

from .base import POSITIVE, REAL, Distribution, Parameter


class Moyal(Distribution):
    r"""The Moyal distribution (an approximation of the Landau energy-loss law): location
    ``mu``, scale ``sigma`` > 0, density e^{−(z + e^{−z})/2}/(σ√(2π)), z = (x − μ)/σ.

    e^{−Z} is χ² with one degree of freedom, which gives its moment generating function
    E[e^{tX}] = e^{μt} 2^{−σt} Γ(1/2 − σt)/√π for σt < 1/2.
    """

    parameters = (Parameter("mu", REAL, r"\mu"), Parameter("sigma", POSITIVE, r"\sigma"))
    notation = r"\operatorname{{Moyal}}\left({}, {}\right)"

    @property
    def support(self):
        return sp.Reals

    def log_density(self, x):
        mu, sigma = self.args
        z = (x - mu) / sigma
        return -(z + sp.exp(-z)) / 2 - sp.log(sigma) - sp.log(2 * sp.pi) / 2

    def cdf(self, x):
        mu, sigma = self.args
        return sp.erfc(sp.exp(-(x - mu) / (2 * sigma)) / sp.sqrt(2))

    def mgf(self, t):
        mu, sigma = self.args
        return sp.Piecewise((sp.exp(mu * t) * 2 ** (-sigma * t) * sp.gamma(sp.S.Half - sigma * t)
                             / sp.sqrt(sp.pi), sigma * t < sp.S.Half), (sp.oo, True))

    def landmarks(self):
        mu, sigma = self.args
        return tuple(mu + k * sigma for k in (-5, -2, 0, 3, 20, 80))

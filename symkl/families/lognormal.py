import sympy as sp

from .base import POSITIVE, REAL, Distribution, Parameter


class LogNormal(Distribution):
    r"""The log-normal distribution: log X ~ N(``mu``, ``sigma``²), on (0, ∞)."""

    parameters = (Parameter("mu", REAL, r"\mu"), Parameter("sigma", POSITIVE, r"\sigma"))
    notation = r"\operatorname{{LogNormal}}\left({}, {}\right)"  # μ and σ² of log X

    @property
    def support(self):
        return sp.Interval.open(0, sp.oo)

    def log_density(self, x):
        mu, sigma = self.args
        return (-sp.log(x) - sp.log(sigma) - sp.log(2 * sp.pi) / 2
                - (sp.log(x) - mu) ** 2 / (2 * sigma ** 2))

    def cdf(self, x):
        mu, sigma = self.args
        return (1 + sp.erf((sp.log(x) - mu) / (sp.sqrt(2) * sigma))) / 2

    def power_moment(self, s):
        mu, sigma = self.args
        return sp.exp(s * mu + s ** 2 * sigma ** 2 / 2)

    def landmarks(self):
        mu, sigma = self.args
        return tuple(sp.exp(mu + k * sigma) for k in (-8, -2, 0, 2, 8))

    def _latex(self, printer):
        mu, sigma = self.args
        return self.notation.format(printer._print(mu), printer._print(sigma ** 2))

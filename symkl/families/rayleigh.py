import sympy as sp

from .base import POSITIVE, Distribution, Parameter


class Rayleigh(Distribution):
    r"""The Rayleigh distribution with scale ``sigma`` > 0: density (x/σ²) e^{−x²/(2σ²)} on [0, ∞)."""

    parameters = (Parameter("sigma", POSITIVE, r"\sigma"),)
    notation = r"\operatorname{{Rayleigh}}\left({}\right)"

    @property
    def support(self):
        return sp.Interval(0, sp.oo)

    def log_density(self, x):
        (sigma,) = self.args
        return sp.log(x) - 2 * sp.log(sigma) - x ** 2 / (2 * sigma ** 2)

    def cdf(self, x):
        sigma, = self.args
        return 1 - sp.exp(-x ** 2 / (2 * sigma ** 2))

    def power_moment(self, s):
        (sigma,) = self.args
        return sp.Piecewise((sigma ** s * 2 ** (s / 2) * sp.gamma(1 + s / 2), s > -2), (sp.oo, True))

    def landmarks(self):
        (sigma,) = self.args
        return tuple(k * sigma for k in (1, 3, 10))

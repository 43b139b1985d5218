import sympy as sp

from .base import POSITIVE, Distribution, Parameter


class HalfNormal(Distribution):
    r"""The half-normal distribution |Z|·σ, Z standard normal: scale ``sigma`` > 0, on [0, ∞)."""

    parameters = (Parameter("sigma", POSITIVE, r"\sigma"),)
    notation = r"\operatorname{{HalfNormal}}\left({}\right)"

    @property
    def support(self):
        return sp.Interval(0, sp.oo)

    def log_density(self, x):
        (sigma,) = self.args
        return sp.log(2) / 2 - sp.log(sp.pi) / 2 - sp.log(sigma) - x ** 2 / (2 * sigma ** 2)

    def cdf(self, x):
        sigma, = self.args
        return sp.erf(x / (sp.sqrt(2) * sigma))

    def power_moment(self, s):
        (sigma,) = self.args
        return sp.Piecewise((sigma ** s * 2 ** (s / 2) * sp.gamma((s + 1) / 2) / sp.sqrt(sp.pi), s > -1),
                            (sp.oo, True))

    def landmarks(self):
        (sigma,) = self.args
        return tuple(k * sigma for k in (1, 3, 10))

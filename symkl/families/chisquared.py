import sympy as sp

from .base import POSITIVE, Distribution, Parameter


class ChiSquared(Distribution):
    r"""The chi-squared distribution with ``k`` > 0 degrees of freedom, on (0, ∞)."""

    parameters = (Parameter("k", POSITIVE, "k"),)
    notation = r"\chi^{{2}}\left({}\right)"

    @property
    def support(self):
        return sp.Interval.open(0, sp.oo)

    def log_density(self, x):
        (k,) = self.args
        return (k / 2 - 1) * sp.log(x) - x / 2 - k * sp.log(2) / 2 - sp.loggamma(k / 2)

    def cdf(self, x):
        k, = self.args
        return sp.lowergamma(k / 2, x / 2) / sp.gamma(k / 2)

    def mgf(self, t):
        (k,) = self.args
        return sp.Piecewise(((1 - 2 * t) ** (-k / 2), t < sp.S.Half), (sp.oo, True))

    def power_moment(self, s):
        (k,) = self.args
        return sp.Piecewise((2 ** s * sp.gamma(k / 2 + s) / sp.gamma(k / 2), s > -k / 2), (sp.oo, True))

    def landmarks(self):
        (k,) = self.args
        return tuple(f * k for f in (sp.Rational(1, 10), 1, 4, 20))

import sympy as sp

from .base import POSITIVE, Distribution, Parameter
from .patterns import log_quadratic


class HalfCauchy(Distribution):
    r"""The half-Cauchy distribution |X| of a Cauchy(0, γ): scale ``gamma`` > 0, density
    2/(πγ(1 + (x/γ)²)) on [0, ∞).

    It knows E[log(a(X² + d²))] = log(a(γ + d)²) for d > 0 (as the Cauchy's,
    the density being symmetric) and its moments E[X^s] = γ^s / cos(πs/2), −1 < s < 1.
    """

    parameters = (Parameter("gamma", POSITIVE, r"\gamma"),)
    notation = r"\operatorname{{HalfCauchy}}\left({}\right)"

    @property
    def support(self):
        return sp.Interval(0, sp.oo)

    def log_density(self, x):
        (gamma,) = self.args
        return sp.log(2) + sp.log(gamma) - sp.log(sp.pi) - sp.log(gamma ** 2 + x ** 2)

    def cdf(self, x):
        (gamma,) = self.args
        return 2 * sp.atan(x / gamma) / sp.pi

    def power_moment(self, s):
        (gamma,) = self.args
        return sp.Piecewise((gamma ** s / sp.cos(sp.pi * s / 2), (s > -1) & (s < 1)), (sp.oo, True))

    def expectation(self, statistic, x):
        quadratic = log_quadratic(statistic, x)
        if quadratic is None or quadratic[1] != 0 or not quadratic[2].is_positive:
            return None
        a, _, d2 = quadratic
        (gamma,) = self.args
        return sp.log(a * (gamma + sp.sqrt(d2)) ** 2)

    def landmarks(self):
        (gamma,) = self.args
        return tuple(k * gamma for k in (1, 30, 1000))

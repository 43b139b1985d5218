import sympy as sp

from .base import POSITIVE, REAL, Distribution, Parameter
from .patterns import is_positive, log_quadratic


class Cauchy(Distribution):
    r"""The Cauchy distribution: location ``x0``, scale ``gamma`` > 0.

    Density γ / (π(γ² + (x − x₀)²)).  It knows E[log((X − c)² + d²)] =
    log((γ + d)² + (x₀ − c)²) for d > 0 (the Poisson kernel's harmonic extension).
    """

    parameters = (Parameter("x0", REAL, "x_{0}"), Parameter("gamma", POSITIVE, r"\gamma"))
    notation = r"\operatorname{{Cauchy}}\left({}, {}\right)"

    @property
    def support(self):
        return sp.Reals

    def log_density(self, x):
        x0, gamma = self.args
        return sp.log(gamma) - sp.log(sp.pi) - sp.log(gamma ** 2 + (x - x0) ** 2)

    def cdf(self, x):
        x0, gamma = self.args
        return sp.atan((x - x0) / gamma) / sp.pi + sp.S.Half

    def expectation(self, statistic, x):
        quadratic = log_quadratic(statistic, x)
        if quadratic is None or not is_positive(quadratic[2]):
            return None
        a, c, d2 = quadratic
        x0, gamma = self.args
        return sp.log(a) + sp.log((gamma + sp.sqrt(d2)) ** 2 + (x0 - c) ** 2)

    def landmarks(self):
        x0, gamma = self.args
        return tuple(x0 + k * gamma for k in (-1000, -30, -3, 0, 3, 30, 1000))

import sympy as sp

from .base import POSITIVE, REAL, Distribution, Parameter


class Logistic(Distribution):
    r"""The logistic distribution: location ``mu``, scale ``s`` > 0.

    Density e^{−z}/(s(1 + e^{−z})²), z = (x − μ)/s.  It knows
    E[log(1 + e^{−(X−μ)/s})] = 1 for its own μ and s.
    """

    parameters = (Parameter("mu", REAL, r"\mu"), Parameter("s", POSITIVE, "s"))
    notation = r"\operatorname{{Logistic}}\left({}, {}\right)"

    @property
    def support(self):
        return sp.Reals

    def _softplus(self, x):
        mu, s = self.args
        return sp.log(1 + sp.exp(-(x - mu) / s))

    def log_density(self, x):
        mu, s = self.args
        return -(x - mu) / s - sp.log(s) - 2 * self._softplus(x)

    def cdf(self, x):
        mu, s = self.args
        return 1 / (1 + sp.exp(-(x - mu) / s))

    def mgf(self, t):
        mu, s = self.args
        return sp.Piecewise((sp.exp(mu * t) * sp.gamma(1 - s * t) * sp.gamma(1 + s * t),
                             sp.Abs(t) < 1 / s), (sp.oo, True))

    def expectation(self, statistic, x):
        from ..engine.decompose import expanded
        if sp.expand(statistic - expanded(self._softplus(x))) == 0:
            return sp.Integer(1)
        return None

    def landmarks(self):
        mu, s = self.args
        return tuple(mu + k * s for k in (-20, -3, 0, 3, 20))

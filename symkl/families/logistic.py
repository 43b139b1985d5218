import sympy as sp

from .base import POSITIVE, REAL, Distribution, Parameter
from .patterns import is_positive, log_quadratic


class Logistic(Distribution):
    r"""The logistic distribution: location ``mu``, scale ``s`` > 0.

    Density e^{−z}/(s(1 + e^{−z})²), z = (x − μ)/s.  It knows
    E[log(1 + e^{−(X−μ)/s})] = 1 for its own μ and s, and for d > 0

        E[log((X − c)² + d²)] = 2 log(2πs) + 2 Re ψ(1/2 + (d + i(c − μ))/(2πs)):

    log((x − c)² + d²) = 2 log d + 2∫₀^∞ (1 − cos((x − c)t)) e^{−dt} dt/t, the
    characteristic function is e^{iμt}·πst/sinh(πst), 1/sinh(πst) = 2Σ_{k≥0} e^{−(2k+1)πst},
    and the sum over k of the Frullani integrals that result is Gauss's series of ψ.
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
        quadratic = log_quadratic(statistic, x)
        if quadratic is None or not is_positive(quadratic[2]):
            return None
        a, c, d2 = quadratic
        mu, s = self.args
        at = sp.S.Half + (sp.sqrt(d2) + sp.I * (c - mu)) / (2 * sp.pi * s)
        return sp.log(a) + 2 * sp.log(2 * sp.pi * s) + 2 * sp.re(sp.polygamma(0, at))

    def landmarks(self):
        mu, s = self.args
        return tuple(mu + k * s for k in (-20, -3, 0, 3, 20))

import sympy as sp

from .base import POSITIVE, REAL, Distribution, Parameter
from .patterns import shift


class GeneralizedNormal(Distribution):
    r"""The generalised normal (exponential power) distribution: location ``mu``, scale
    ``alpha`` > 0, shape ``beta`` > 0, density β/(2αΓ(1/β)) e^{−(|x−μ|/α)^β}; β = 2 is a
    normal with σ = α/√2, β = 1 a Laplace.

    It knows its absolute moments about μ: E|X − μ|^s = α^s Γ((s+1)/β)/Γ(1/β), s > −1.

    >>> x = sp.Symbol("x", real=True)
    >>> GeneralizedNormal(0, 1, 1).expectation(sp.Abs(x)**sp.Rational(1, 2), x)
    sqrt(pi)/2
    """

    parameters = (Parameter("mu", REAL, r"\mu"), Parameter("alpha", POSITIVE, r"\alpha"),
                  Parameter("beta", POSITIVE, r"\beta"))
    notation = r"\operatorname{{GN}}\left({}, {}, {}\right)"

    @property
    def support(self):
        return sp.Reals

    def log_density(self, x):
        mu, alpha, beta = self.args
        return (sp.log(beta) - sp.log(2 * alpha) - sp.loggamma(1 / beta)
                - (sp.Abs(x - mu) / alpha) ** beta)

    def cdf(self, x):
        mu, alpha, beta = self.args
        tail = sp.uppergamma(1 / beta, (sp.Abs(x - mu) / alpha) ** beta) / (2 * sp.gamma(1 / beta))
        return sp.Piecewise((tail, x < mu), (1 - tail, True))

    def expectation(self, statistic, x):
        base, s = statistic.as_base_exp()
        if not isinstance(base, sp.Abs) or s.has(x):
            return None
        mu, alpha, beta = self.args
        c = shift(base.args[0], x)
        if c is None or sp.simplify(c - mu) != 0:
            return None
        return sp.Piecewise((alpha ** s * sp.gamma((s + 1) / beta) / sp.gamma(1 / beta), s > -1),
                            (sp.oo, True))

    def landmarks(self):
        mu, alpha, beta = self.args
        return tuple(mu + k * alpha for k in (-20, -3, 0, 3, 20))

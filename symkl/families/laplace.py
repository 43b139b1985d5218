import sympy as sp

from .base import POSITIVE, REAL, Distribution, Parameter
from .patterns import shift


class Laplace(Distribution):
    r"""The Laplace distribution: location ``mu``, scale ``b`` > 0, density e^{−|x−μ|/b}/(2b).

    It knows its mean absolute deviation from any point c:
    E|X − c| = b·e^{−|μ−c|/b} + |μ − c|.

    >>> x, c = sp.Symbol("x", real=True), sp.Symbol("c", real=True)
    >>> Laplace(0, 1).expectation(sp.Abs(x - c), x)
    Abs(c) + exp(-Abs(c))
    """

    parameters = (Parameter("mu", REAL, r"\mu"), Parameter("b", POSITIVE, "b"))
    notation = r"\operatorname{{Laplace}}\left({}, {}\right)"

    @property
    def support(self):
        return sp.Reals

    def log_density(self, x):
        mu, b = self.args
        return -sp.Abs(x - mu) / b - sp.log(2 * b)

    def cdf(self, x):
        mu, b = self.args
        return sp.Piecewise((sp.exp((x - mu) / b) / 2, x < mu), (1 - sp.exp(-(x - mu) / b) / 2, True))

    def mgf(self, t):
        mu, b = self.args
        return sp.Piecewise((sp.exp(mu * t) / (1 - b ** 2 * t ** 2), sp.Abs(t) < 1 / b), (sp.oo, True))

    def expectation(self, statistic, x):
        c = shift(statistic.args[0], x) if isinstance(statistic, sp.Abs) else None
        if c is None:
            return None
        mu, b = self.args
        return b * sp.exp(-sp.Abs(mu - c) / b) + sp.Abs(mu - c)

    def landmarks(self):
        mu, b = self.args
        return tuple(mu + k * b for k in (-20, -3, 0, 3, 20))

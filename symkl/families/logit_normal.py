import sympy as sp

from .base import POSITIVE, REAL, Distribution, Parameter


def _normal_moment(k, mu, sigma):
    """E[U^k] of U ~ N(μ, σ²): Σ_j C(k, 2j) μ^{k−2j} σ^{2j} (2j − 1)!!."""
    return sp.Add(*(sp.binomial(k, 2 * j) * mu ** (k - 2 * j) * sigma ** (2 * j)
                    * sp.factorial2(2 * j - 1) for j in range(k // 2 + 1)))


class LogitNormal(Distribution):
    r"""The logit-normal distribution on (0, 1): logit X = log(X/(1 − X)) is normal with
    mean ``mu`` and standard deviation ``sigma`` > 0.

    It knows the moments of its logit, E[log(X/(1 − X))^k] = E[U^k], U ~ N(μ, σ²).

    >>> x = sp.Symbol("x", real=True)
    >>> LogitNormal(1, 2).expectation(sp.log(x / (1 - x))**2, x)
    5
    """

    parameters = (Parameter("mu", REAL, r"\mu"), Parameter("sigma", POSITIVE, r"\sigma"))
    notation = r"\operatorname{{LogitNormal}}\left({}, {}\right)"

    @property
    def support(self):
        return sp.Interval.open(0, 1)

    def log_density(self, x):
        mu, sigma = self.args
        return (-sp.log(sigma) - sp.log(2 * sp.pi) / 2 - sp.log(x) - sp.log(1 - x)
                - (sp.log(x / (1 - x)) - mu) ** 2 / (2 * sigma ** 2))

    def cdf(self, x):
        mu, sigma = self.args
        return (1 + sp.erf((sp.log(x / (1 - x)) - mu) / (sp.sqrt(2) * sigma))) / 2

    def expectation(self, statistic, x):
        base, k = statistic.as_base_exp()
        if base != sp.log(x / (1 - x)) or not (k.is_Integer and k > 0):
            return None
        mu, sigma = self.args
        return sp.expand(_normal_moment(int(k), mu, sigma))

    def landmarks(self):
        mu, sigma = self.args
        return tuple(1 / (1 + sp.exp(-(mu + k * sigma))) for k in (-3, 0, 3))

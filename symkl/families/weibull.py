import sympy as sp

from .base import POSITIVE, Distribution, Parameter


class Weibull(Distribution):
    r"""The Weibull distribution: scale ``lam`` > 0, shape ``k`` > 0, on [0, ∞).

    Density (k/λ)(x/λ)^{k−1} e^{−(x/λ)^k}; E[X^s] = λ^s Γ(1 + s/k).
    """

    parameters = (Parameter("lam", POSITIVE, r"\lambda"), Parameter("k", POSITIVE, "k"))
    notation = r"\operatorname{{Weibull}}\left({}, {}\right)"

    @property
    def support(self):
        return sp.Interval(0, sp.oo)

    def log_density(self, x):
        lam, k = self.args
        return sp.log(k) - k * sp.log(lam) + (k - 1) * sp.log(x) - (x / lam) ** k

    def cdf(self, x):
        lam, k = self.args
        return 1 - sp.exp(-(x / lam) ** k)

    def power_moment(self, s):
        lam, k = self.args
        return sp.Piecewise((lam ** s * sp.gamma(1 + s / k), s > -k), (sp.oo, True))

    def landmarks(self):
        lam, _ = self.args
        return tuple(f * lam for f in (sp.Rational(1, 2), 1, 3))

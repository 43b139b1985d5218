import sympy as sp

from .base import POSITIVE, Distribution, Parameter


class Chi(Distribution):
    r"""The chi distribution with ``k`` > 0 degrees of freedom: the length of a standard
    normal vector in ℝᵏ, density x^{k−1} e^{−x²/2} / (2^{k/2−1} Γ(k/2)) on (0, ∞).

    >>> Chi(sp.Integer(3)).power_moment(sp.Integer(2))
    3
    """

    parameters = (Parameter("k", POSITIVE, "k"),)
    notation = r"\chi\left({}\right)"

    @property
    def support(self):
        return sp.Interval.open(0, sp.oo)

    def log_density(self, x):
        (k,) = self.args
        return (k - 1) * sp.log(x) - x ** 2 / 2 - (k / 2 - 1) * sp.log(2) - sp.loggamma(k / 2)

    def cdf(self, x):
        (k,) = self.args
        return sp.lowergamma(k / 2, x ** 2 / 2) / sp.gamma(k / 2)

    def power_moment(self, s):
        (k,) = self.args
        return sp.Piecewise((2 ** (s / 2) * sp.gamma((k + s) / 2) / sp.gamma(k / 2), s > -k),
                            (sp.oo, True))

    def landmarks(self):
        (k,) = self.args
        return tuple(sp.sqrt(k) + c for c in (0, 3, 10))

import sympy as sp

from .base import POSITIVE, Distribution, Parameter


class InverseGamma(Distribution):
    r"""The inverse-gamma distribution: shape ``alpha`` > 0, **scale** ``beta`` > 0, on (0, ∞).

    Density β^α x^{−α−1} e^{−β/x} / Γ(α); E[X^s] = β^s Γ(α − s)/Γ(α) for s < α, else ∞.
    """

    parameters = (Parameter("alpha", POSITIVE, r"\alpha"), Parameter("beta", POSITIVE, r"\beta"))
    notation = r"\operatorname{{InvGamma}}\left({}, {}\right)"

    @property
    def support(self):
        return sp.Interval.open(0, sp.oo)

    def log_density(self, x):
        alpha, beta = self.args
        return alpha * sp.log(beta) - sp.loggamma(alpha) - (alpha + 1) * sp.log(x) - beta / x

    def cdf(self, x):
        alpha, beta = self.args
        return sp.uppergamma(alpha, beta / x) / sp.gamma(alpha)

    def power_moment(self, s):
        alpha, beta = self.args
        return sp.Piecewise((beta ** s * sp.gamma(alpha - s) / sp.gamma(alpha), s < alpha),
                            (sp.oo, True))

    def landmarks(self):
        alpha, beta = self.args
        return tuple(f * beta / (alpha + 1) for f in (sp.Rational(1, 10), 1, 10, 1000))

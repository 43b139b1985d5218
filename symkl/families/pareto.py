import sympy as sp

from .base import POSITIVE, Distribution, Parameter


class Pareto(Distribution):
    r"""The Pareto distribution: scale ``x_m`` > 0, shape ``alpha`` > 0, on [x_m, ∞).

    E[X^s] = α x_m^s / (α − s) for s < α, and ∞ for s ≥ α; E[e^{tX}] = α u^α Γ(−α, u),
    u = −x_m t, for t < 0 and ∞ for t > 0, so the MGF has no series at t = 0.

    >>> Pareto(1, 2).mgf(-1)
    2*expint(3, 1)
    """

    parameters = (Parameter("x_m", POSITIVE, "x_{m}"), Parameter("alpha", POSITIVE, r"\alpha"))
    notation = r"\operatorname{{Pareto}}\left({}, {}\right)"

    @property
    def support(self):
        return sp.Interval(self.args[0], sp.oo)

    def log_density(self, x):
        x_m, alpha = self.args
        return sp.log(alpha) + alpha * sp.log(x_m) - (alpha + 1) * sp.log(x)

    def cdf(self, x):
        x_m, alpha = self.args
        return 1 - (x_m / x) ** alpha

    def mgf(self, t):
        x_m, alpha = self.args
        u = -x_m * t
        return sp.Piecewise((1, sp.Eq(t, 0)), (alpha * u ** alpha * sp.uppergamma(-alpha, u), t < 0),
                            (sp.oo, True))

    def power_moment(self, s):
        x_m, alpha = self.args
        return sp.Piecewise((alpha * x_m ** s / (alpha - s), s < alpha), (sp.oo, True))

    def landmarks(self):
        x_m, _ = self.args
        return tuple(k * x_m for k in (2, 10, 1000))

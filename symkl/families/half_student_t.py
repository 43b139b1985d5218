import sympy as sp

from .base import POSITIVE, Distribution, Parameter
from .patterns import log_quadratic
from .student_t import t_probability_from_the_centre


class HalfStudentT(Distribution):
    r"""The half-t distribution |X| of a Student t at 0: ``nu`` > 0 degrees of freedom,
    scale ``sigma`` > 0, twice the t density on [0, ∞).

    It knows E[log(a(X² + νσ²))] = log a + log(νσ²) + ψ((ν+1)/2) − ψ(ν/2) and its moments
    E[X^s] = (√ν σ)^s Γ((s+1)/2) Γ((ν−s)/2) / (√π Γ(ν/2)), −1 < s < ν.
    """

    parameters = (Parameter("nu", POSITIVE, r"\nu"), Parameter("sigma", POSITIVE, r"\sigma"))
    notation = r"\operatorname{{HalfT}}_{{{}}}\left({}\right)"

    @property
    def support(self):
        return sp.Interval(0, sp.oo)

    def log_density(self, x):
        nu, sigma = self.args
        half = (nu + 1) / 2
        return (sp.log(2) + sp.loggamma(half) - sp.loggamma(nu / 2) - sp.log(sp.pi) / 2
                + nu * sp.log(nu) / 2 + nu * sp.log(sigma) - half * sp.log(nu * sigma ** 2 + x ** 2))

    def cdf(self, x):
        nu, sigma = self.args
        return 2 * t_probability_from_the_centre(x / sigma, nu)

    def power_moment(self, s):
        nu, sigma = self.args
        value = ((sp.sqrt(nu) * sigma) ** s * sp.gamma((s + 1) / 2) * sp.gamma((nu - s) / 2)
                 / (sp.sqrt(sp.pi) * sp.gamma(nu / 2)))
        return sp.Piecewise((value, (s > -1) & (s < nu)), (sp.oo, True))

    def expectation(self, statistic, x):
        quadratic = log_quadratic(statistic, x)
        nu, sigma = self.args
        if quadratic is None or quadratic[1] != 0 or sp.simplify(quadratic[2] - nu * sigma ** 2) != 0:
            return None
        return (sp.log(quadratic[0]) + sp.log(nu * sigma ** 2)
                + sp.digamma((nu + 1) / 2) - sp.digamma(nu / 2))

    def landmarks(self):
        nu, sigma = self.args
        return tuple(k * sigma for k in (1, 3, 30, 1000))

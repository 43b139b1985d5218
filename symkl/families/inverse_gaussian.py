import sympy as sp

from .base import POSITIVE, Distribution, Parameter


def _normal_cdf(z):
    return (1 + sp.erf(z / sp.sqrt(2))) / 2


class InverseGaussian(Distribution):
    r"""The inverse Gaussian (Wald) distribution: mean ``mu`` > 0, shape ``lam`` > 0, density
    √(λ/(2πx³)) e^{−λ(x−μ)²/(2μ²x)} on (0, ∞) — the first passage time of a Brownian
    motion with drift.

    It knows E[log X] = log μ − e^{2λ/μ} E₁(2λ/μ) (from ∂K_ν/∂ν at ν = ½, which sympy
    does not take).

    >>> InverseGaussian(2, 3).power_moment(1)
    2
    """

    parameters = (Parameter("mu", POSITIVE, r"\mu"), Parameter("lam", POSITIVE, r"\lambda"))
    notation = r"\operatorname{{IG}}\left({}, {}\right)"

    @property
    def support(self):
        return sp.Interval.open(0, sp.oo)

    def log_density(self, x):
        mu, lam = self.args
        return (sp.log(lam) / 2 - sp.log(2 * sp.pi) / 2 - 3 * sp.log(x) / 2
                - lam * (x - mu) ** 2 / (2 * mu ** 2 * x))

    def cdf(self, x):
        mu, lam = self.args
        root = sp.sqrt(lam / x)
        return (_normal_cdf(root * (x / mu - 1))
                + sp.exp(2 * lam / mu) * _normal_cdf(-root * (x / mu + 1)))

    def mgf(self, t):
        mu, lam = self.args
        return sp.Piecewise((sp.exp(lam / mu * (1 - sp.sqrt(1 - 2 * mu ** 2 * t / lam))),
                             t <= lam / (2 * mu ** 2)), (sp.oo, True))

    def power_moment(self, s):
        # a generalised inverse Gaussian of index −1/2: μ^s K_{s−1/2}(λ/μ)/K_{−1/2}(λ/μ)
        mu, lam = self.args
        s = sp.sympify(s)
        value = (mu ** s * sp.besselk(s - sp.S.Half, lam / mu) * sp.sqrt(2 * lam / (sp.pi * mu))
                 * sp.exp(lam / mu))
        return sp.simplify(sp.expand_func(value)) if s.is_number else value

    def expectation(self, statistic, x):
        if statistic != sp.log(x):
            return None
        mu, lam = self.args
        return sp.log(mu) - sp.exp(2 * lam / mu) * sp.expint(1, 2 * lam / mu)

    def landmarks(self):
        mu, lam = self.args
        return tuple(k * mu for k in (sp.Rational(1, 10), 1, 5, 30))

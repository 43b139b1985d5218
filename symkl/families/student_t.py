import sympy as sp

from .base import POSITIVE, REAL, Distribution, Parameter
from .patterns import log_quadratic


def t_probability_from_the_centre(z, nu):
    """P(0 < T < z) for T a standard t with ``nu`` degrees of freedom (negative for z < 0):
    z Γ((ν+1)/2) ₂F₁(1/2, (ν+1)/2; 3/2; −z²/ν) / (√(πν) Γ(ν/2))."""
    return (z * sp.gamma((nu + 1) / 2) / (sp.sqrt(sp.pi * nu) * sp.gamma(nu / 2))
            * sp.hyper((sp.S.Half, (nu + 1) / 2), (sp.Rational(3, 2),), -z ** 2 / nu))


class StudentT(Distribution):
    r"""Student's t: ``nu`` > 0 degrees of freedom, location ``mu``, scale ``sigma`` > 0.

    It knows E[log(νσ² + (X − μ)²)] = log(νσ²) + ψ((ν+1)/2) − ψ(ν/2) for its own parameters,
    its centre of symmetry μ (its mean, which exists for ν > 1: where E[X] does not
    exist, a divergence holding it diverges by a heavier term, and the engine's tails test
    puts ∞ there), and E[X²] = μ² + νσ²/(ν − 2) for ν > 2, ∞ otherwise.

    >>> x = sp.Symbol("x", real=True)
    >>> StudentT("nu", 0, 1).expectation(x**2, x)
    Piecewise((nu/(nu - 2), nu > 2), (oo, True))
    """

    parameters = (Parameter("nu", POSITIVE, r"\nu"), Parameter("mu", REAL, r"\mu"),
                  Parameter("sigma", POSITIVE, r"\sigma"))
    notation = r"t_{{{}}}\left({}, {}\right)"  # ν, then the location and the squared scale

    @property
    def support(self):
        return sp.Reals

    def log_density(self, x):
        nu, mu, sigma = self.args
        half = (nu + 1) / 2
        return (sp.loggamma(half) - sp.loggamma(nu / 2) - sp.log(sp.pi) / 2 + nu * sp.log(nu) / 2
                + nu * sp.log(sigma) - half * sp.log(nu * sigma ** 2 + (x - mu) ** 2))

    def cdf(self, x):
        nu, mu, sigma = self.args
        return sp.S.Half + t_probability_from_the_centre((x - mu) / sigma, nu)

    def expectation(self, statistic, x):
        nu, mu, sigma = self.args
        if statistic == x:  # the centre of symmetry: the mean where one exists (ν > 1)
            return mu
        if statistic == x ** 2:
            return sp.Piecewise((mu ** 2 + nu * sigma ** 2 / (nu - 2), nu > 2), (sp.oo, True))
        quadratic = log_quadratic(statistic, x)
        if quadratic is None or sp.simplify(quadratic[1] - mu) != 0 \
                or sp.simplify(quadratic[2] - nu * sigma ** 2) != 0:
            return None
        return (sp.log(quadratic[0]) + sp.log(nu * sigma ** 2)
                + sp.digamma((nu + 1) / 2) - sp.digamma(nu / 2))

    def landmarks(self):
        nu, mu, sigma = self.args
        return tuple(mu + k * sigma for k in (-1000, -30, -3, 0, 3, 30, 1000))

    def _latex(self, printer):
        nu, mu, sigma = self.args
        return self.notation.format(printer._print(nu), printer._print(mu), printer._print(sigma ** 2))

import sympy as sp

from .base import POSITIVE, REAL, Distribution, Parameter
from .patterns import shift


class VonMises(Distribution):
    r"""The von Mises distribution on the circle [−π, π]: location ``mu``, concentration
    ``kappa`` > 0, density e^{κ cos(x − μ)} / (2π I₀(κ)).

    It knows its circular moments about any angle c: E[cos(X − c)] = A(κ) cos(μ − c) and
    E[sin(X − c)] = A(κ) sin(μ − c), A(κ) = I₁(κ)/I₀(κ).

    >>> x = sp.Symbol("x", real=True)
    >>> VonMises(0, 2).expectation(sp.cos(x), x)
    besseli(1, 2)/besseli(0, 2)
    """

    parameters = (Parameter("mu", REAL, r"\mu"), Parameter("kappa", POSITIVE, r"\kappa"))
    notation = r"\operatorname{{VonMises}}\left({}, {}\right)"

    @property
    def support(self):
        return sp.Interval(-sp.pi, sp.pi)

    def log_density(self, x):
        mu, kappa = self.args
        return kappa * sp.cos(x - mu) - sp.log(2 * sp.pi) - sp.log(sp.besseli(0, kappa))

    def expectation(self, statistic, x):
        if not isinstance(statistic, (sp.cos, sp.sin)):
            return None
        argument = statistic.args[0]
        c = shift(argument, x)
        if c is None:
            return None
        mu, kappa = self.args
        mean_resultant = sp.besseli(1, kappa) / sp.besseli(0, kappa)
        if isinstance(statistic, sp.cos):
            return mean_resultant * sp.cos(mu - c)
        sign = sp.diff(argument, x)  # sin(c − x) = −sin(x − c)
        return sign * mean_resultant * sp.sin(mu - c)

    def landmarks(self):
        mu, kappa = self.args
        return tuple(mu + k * sp.pi for k in (-2, -1, 0, 1, 2))

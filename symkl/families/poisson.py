import sympy as sp

from .base import POSITIVE, Distribution, Parameter


class Poisson(Distribution):
    r"""The Poisson distribution with ``rate`` λ > 0 on {0, 1, 2, …}."""

    parameters = (Parameter("rate", POSITIVE, r"\lambda"),)
    notation = r"\operatorname{{Poisson}}\left({}\right)"
    discrete = True

    @property
    def support(self):
        return sp.Range(0, sp.oo)

    def log_density(self, x):
        (rate,) = self.args
        return x * sp.log(rate) - rate - sp.log(sp.factorial(x))

    def landmarks(self):
        (rate,) = self.args
        return (rate,)

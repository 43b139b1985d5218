import sympy as sp

from .base import OPEN_UNIT_INTERVAL, Distribution, Parameter


class Bernoulli(Distribution):
    r"""The Bernoulli distribution on {0, 1} with success probability 0 < ``p`` < 1."""

    parameters = (Parameter("p", OPEN_UNIT_INTERVAL, "p"),)
    notation = r"\operatorname{{Bernoulli}}\left({}\right)"
    discrete = True

    @property
    def support(self):
        return sp.FiniteSet(0, 1)

    def log_density(self, x):
        (p,) = self.args
        return x * sp.log(p) + (1 - x) * sp.log(1 - p)

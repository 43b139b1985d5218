import sympy as sp

from .base import OPEN_UNIT_INTERVAL, Distribution, Parameter


class Geometric(Distribution):
    r"""The number of failures before the first success, success probability 0 < ``p`` < 1.

    Mass (1 − p)^x p on {0, 1, 2, …}.
    """

    parameters = (Parameter("p", OPEN_UNIT_INTERVAL, "p"),)
    notation = r"\operatorname{{Geom}}\left({}\right)"
    discrete = True

    @property
    def support(self):
        return sp.Range(0, sp.oo)

    def log_density(self, x):
        (p,) = self.args
        return x * sp.log(1 - p) + sp.log(p)

    def landmarks(self):
        (p,) = self.args
        return ((1 - p) / p,)

import sympy as sp

from ..errors import InvalidInput
from .base import REAL, Distribution, Parameter


class Uniform(Distribution):
    r"""The uniform distribution on [a, b], a < b.

    >>> Uniform(2, 1)
    Traceback (most recent call last):
    ...
    symkl.errors.InvalidInput: Uniform: a must be less than b, got a = 2, b = 1
    """

    parameters = (Parameter("a", REAL, "a"), Parameter("b", REAL, "b"))
    notation = r"\mathcal{{U}}\left({}, {}\right)"

    def _check_together(self):
        a, b = self.args
        if (b - a).is_positive is False:
            raise InvalidInput(f"Uniform: a must be less than b, got a = {a}, b = {b}")

    @property
    def support(self):
        return sp.Interval(*self.args)

    def log_density(self, x):
        a, b = self.args
        return -sp.log(b - a)

    def cdf(self, x):
        a, b = self.args
        return (x - a) / (b - a)

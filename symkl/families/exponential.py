import sympy as sp

from .base import POSITIVE, Distribution, Parameter


class Exponential(Distribution):
    r"""The exponential distribution with ``rate`` λ > 0: density λ e^{-λx} on [0, ∞).

    Examples
    --------
    >>> from symkl import Exponential
    >>> Exponential("rate").log_density(sp.Symbol("x"))
    -rate*x + log(rate)
    >>> Exponential(0)
    Traceback (most recent call last):
    ...
    symkl.errors.InvalidInput: Exponential: rate must be positive, got 0
    """

    parameters = (Parameter("rate", POSITIVE, r"\lambda"),)
    notation = r"\operatorname{{Exp}}\left({}\right)"

    @property
    def support(self):
        return sp.Interval(0, sp.oo)

    def log_density(self, x):
        (rate,) = self.args
        return sp.log(rate) - rate * x

    def cdf(self, x):
        rate, = self.args
        return 1 - sp.exp(-rate * x)

    def landmarks(self):
        (rate,) = self.args
        return tuple(k / rate for k in (1, 8, 40))

import sympy as sp

from .base import OPEN_UNIT_INTERVAL, POSITIVE_INTEGER, Distribution, Parameter


class Binomial(Distribution):
    r"""The binomial distribution: ``n`` ≥ 1 trials (fixed, shared by p and q), success probability ``p``.

    >>> Binomial(3, sp.Rational(1, 2)).support
    Range(0, 4, 1)
    """

    parameters = (Parameter("n", POSITIVE_INTEGER, "n", structural=True),
                  Parameter("p", OPEN_UNIT_INTERVAL, "p"))
    notation = r"\operatorname{{Bin}}\left({}, {}\right)"
    discrete = True

    @property
    def support(self):
        return sp.Range(0, self.args[0] + 1)

    def log_density(self, x):
        n, p = self.args
        return sp.log(sp.binomial(n, x)) + x * sp.log(p) + (n - x) * sp.log(1 - p)

import sympy as sp

from .base import OPEN_UNIT_INTERVAL, POSITIVE_INTEGER, Distribution, Parameter


class Binomial(Distribution):
    r"""The binomial distribution: ``n`` ≥ 1 trials (fixed, shared by p and q), success probability ``p``.

    >>> Binomial(3, sp.Rational(1, 2)).support
    {0, 1, 2, 3}
    """

    parameters = (Parameter("n", POSITIVE_INTEGER, "n", structural=True),
                  Parameter("p", OPEN_UNIT_INTERVAL, "p"))
    notation = r"\operatorname{{Bin}}\left({}, {}\right)"
    discrete = True

    @property
    def support(self):
        n = self.args[0]
        if n.is_Integer:
            return sp.FiniteSet(*range(int(n) + 1))
        return sp.Range(0, n + 1)

    def log_density(self, x):
        n, p = self.args
        return sp.log(sp.binomial(n, x)) + x * sp.log(p) + (n - x) * sp.log(1 - p)

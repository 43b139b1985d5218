import sympy as sp

from .base import OPEN_UNIT_INTERVAL, POSITIVE, Distribution, Parameter


class NegativeBinomial(Distribution):
    r"""The negative binomial distribution: the failures before the ``r``-th success (r > 0,
    fixed, shared by p and q, like a Binomial's n), success probability ``p``; mass
    Γ(k + r)/(k! Γ(r)) p^r (1 − p)^k on k = 0, 1, 2, …

    >>> NegativeBinomial(2, sp.Rational(1, 3)).mgf(0)
    1
    """

    parameters = (Parameter("r", POSITIVE, "r", structural=True),
                  Parameter("p", OPEN_UNIT_INTERVAL, "p"))
    notation = r"\operatorname{{NB}}\left({}, {}\right)"
    discrete = True

    @property
    def support(self):
        return sp.Range(0, sp.oo)

    def log_density(self, x):
        r, p = self.args
        return (sp.loggamma(x + r) - sp.loggamma(r) - sp.loggamma(x + 1) + r * sp.log(p)
                + x * sp.log(1 - p))

    def mgf(self, t):
        r, p = self.args
        return sp.Piecewise(((p / (1 - (1 - p) * sp.exp(t))) ** r, t < -sp.log(1 - p)),
                            (sp.oo, True))

    def landmarks(self):
        r, p = self.args
        return (r * (1 - p) / p,)

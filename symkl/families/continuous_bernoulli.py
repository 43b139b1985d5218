import sympy as sp

from .base import OPEN_UNIT_INTERVAL, Distribution, Parameter


class ContinuousBernoulli(Distribution):
    r"""The continuous Bernoulli distribution on [0, 1] with parameter 0 < ``lam`` < 1.

    Density C(λ) λ^x (1 − λ)^{1−x}, C(λ) = 2 artanh(1 − 2λ)/(1 − 2λ)
    = log((1 − λ)/λ)/(1 − 2λ) (Loaiza-Ganem & Cunningham, 2019); at λ = 1/2
    it is uniform, C = 2.
    """

    parameters = (Parameter("lam", OPEN_UNIT_INTERVAL, r"\lambda"),)
    notation = r"\mathcal{{CB}}\left({}\right)"

    @property
    def support(self):
        return sp.Interval(0, 1)

    def log_density(self, x):
        (lam,) = self.args
        if lam == sp.S.Half:  # the limit of C(λ) as λ → 1/2: the uniform density
            normalizer = sp.Integer(2)
        else:  # 2 artanh(1 − 2λ) = log((1 − λ)/λ): exact, and finite in floating point near 0
            normalizer = sp.log((1 - lam) / lam) / (1 - 2 * lam)
        return sp.log(normalizer) + x * sp.log(lam) + (1 - x) * sp.log(1 - lam)

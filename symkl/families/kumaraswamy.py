import sympy as sp

from .base import POSITIVE, Distribution, Parameter


class Kumaraswamy(Distribution):
    r"""The Kumaraswamy distribution on (0, 1): shapes ``a`` > 0 and ``b`` > 0, density
    a b x^{a−1} (1 − x^a)^{b−1} — a Beta-like law with a CDF in closed form,
    1 − (1 − x^a)^b (the reparametrisable surrogate of a Beta in VAEs).

    X^a is Beta(1, b), which gives its moments E[X^s] = b B(1 + s/a, b) (s > −a) and
    E[log(1 − X^a)] = −1/b.

    >>> Kumaraswamy(2, 3).power_moment(2)
    1/4
    """

    parameters = (Parameter("a", POSITIVE, "a"), Parameter("b", POSITIVE, "b"))
    notation = r"\operatorname{{Kumaraswamy}}\left({}, {}\right)"

    @property
    def support(self):
        return sp.Interval.open(0, 1)

    def log_density(self, x):
        a, b = self.args
        return sp.log(a) + sp.log(b) + (a - 1) * sp.log(x) + (b - 1) * sp.log(1 - x ** a)

    def cdf(self, x):
        a, b = self.args
        return 1 - (1 - x ** a) ** b

    def power_moment(self, s):
        a, b = self.args
        moment = b * sp.gamma(1 + s / a) * sp.gamma(b) / sp.gamma(1 + s / a + b)
        return sp.Piecewise((sp.gammasimp(moment), s > -a), (sp.oo, True))

    def power_moment_envelope(self):
        """E[X^m] ≤ Γ(b + 1)(a/m)^b for m ≥ 1: with y = 1 + m/a, E[X^m] = b B(y, b) and
        B(y, b) = ∫₀^∞ e^{−yt}(1 − e^{−t})^{b−1} dt ≤ Γ(b)(y − max(0, 1 − b))^{−b}, by
        1 − e^{−t} ≤ t for b ≥ 1 and 1 − e^{−t} ≥ t e^{−t} for b < 1; y − max(0, 1 − b) ≥ m/a.

        >>> Kumaraswamy(2, 3).power_moment_envelope()
        (48, 3)
        """
        a, b = self.args
        return sp.gamma(b + 1) * a ** b, b

    def expectation(self, statistic, x):
        a, b = self.args
        if sp.expand(statistic - sp.log(1 - x ** a)) == 0:
            return -1 / b
        return None

    def landmarks(self):
        a, b = self.args
        return ((1 - 2 ** (-1 / b)) ** (1 / a),)  # the median

import sympy as sp

from .base import POSITIVE, REAL, Distribution, Parameter


class Normal(Distribution):
    r"""The normal distribution N(μ, σ²): mean ``mu``, standard deviation ``sigma`` > 0.

    Examples
    --------
    >>> from symkl import Normal
    >>> Normal("mu", "sigma").log_density(sp.Symbol("x"))
    -log(sigma) - log(pi)/2 - log(2)/2 - (-mu + x)**2/(2*sigma**2)
    >>> Normal(0, -1)
    Traceback (most recent call last):
    ...
    symkl.errors.InvalidInput: Normal: sigma must be positive, got -1
    """

    parameters = (Parameter("mu", REAL, r"\mu"), Parameter("sigma", POSITIVE, r"\sigma"))
    notation = r"\mathcal{{N}}\left({}, {}\right)"  # the mean and the variance

    @property
    def support(self):
        return sp.Reals

    def log_density(self, x):
        mu, sigma = self.args
        return -(x - mu) ** 2 / (2 * sigma ** 2) - sp.log(sigma) - sp.log(2) / 2 - sp.log(sp.pi) / 2

    def cdf(self, x):
        mu, sigma = self.args
        return (1 + sp.erf((x - mu) / (sp.sqrt(2) * sigma))) / 2

    def landmarks(self):
        mu, sigma = self.args
        return tuple(mu + k * sigma for k in (-8, -2, 0, 2, 8))

    def _latex(self, printer):
        r"""N(μ, σ²) with the variance written out: 4 for σ = 2, σ² for a symbol.

        >>> from symkl import entropy
        >>> entropy(Normal(0, 2)).lhs_latex()
        'H\\left(\\mathcal{N}\\left(0, 4\\right)\\right)'
        """
        mu, sigma = self.args
        return self.notation.format(printer._print(mu), printer._print(sigma ** 2))

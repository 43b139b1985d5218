import sympy as sp

from ..errors import InvalidInput, InvalidType
from .base import REAL, Distribution, as_name, check_names, shown
from .vectors import (Euclidean, check_same_dimension, dimension, entries, point, positive_definite,
                      sample_dimension, sample_symbols, vector)


class MultivariateNormal(Distribution):
    r"""The normal distribution N(μ, Σ) on ℝᵏ: mean vector ``mean``, covariance ``cov``.

    Explicit: ``mean`` a sequence (or column, or 1-D numpy array) of k
    entries, ``cov`` a k × k symmetric positive-definite matrix (nested
    lists, a sympy Matrix or a 2-D numpy array) of numbers, names or
    expressions.  Names on the diagonal of ``cov`` become
    positive Symbols, others real ones.  Matrix-symbolic:
    ``MultivariateNormal.symbolic("mu", "Sigma", "k")`` with ``MatrixSymbol``\ s
    of symbolic dimension k; ``MultivariateNormal()`` is that with the
    default names.

    Examples
    --------
    >>> from symkl import MultivariateNormal
    >>> MultivariateNormal([0, 0], [[2, 1], [1, 2]]).dimension
    2
    >>> MultivariateNormal([0, 0], [[1, 2], [2, 1]])
    Traceback (most recent call last):
    ...
    symkl.errors.InvalidInput: MultivariateNormal: cov must be positive definite, got Matrix([[1, 2], [2, 1]])
    >>> MultivariateNormal.symbolic("mu", "Sigma", "k").log_density(sp.MatrixSymbol("x", sp.Symbol("k"), 1))
    -k*log(2*pi)/2 - log(Determinant(Sigma))/2 - Trace((-mu.T + x.T)*Sigma**(-1)*(-mu + x))/2
    """

    notation = r"\mathcal{{N}}\left({}, {}\right)"
    multivariate = True

    def __init__(self, mean=None, cov=None):
        if mean is None and cov is None:
            self._become_symbolic("mu", "Sigma", dimension(type(self).__name__, "k"))
            self.uses_default_symbols = True
            return
        name = type(self).__name__
        if mean is None or cov is None:
            raise InvalidType(f"{name} takes a mean vector and a covariance matrix (or neither)")
        self.symbolic_form, self.uses_default_symbols = False, False
        m = vector(name, "mean", mean, REAL)
        self.args = (m, positive_definite(name, "cov", cov, m.rows))
        check_names([self])

    @classmethod
    def symbolic(cls, mean: str = "mu", cov: str = "Sigma", k="k") -> "MultivariateNormal":
        """The matrix-symbolic form: ``MatrixSymbol``\\ s μ (k × 1) and Σ (k × k).

        >>> MultivariateNormal.symbolic("mu", "Sigma", 3).args
        (mu, Sigma, 3)
        """
        self = cls.__new__(cls)
        self._become_symbolic(mean, cov, dimension(cls.__name__, k))
        self.uses_default_symbols = False
        check_names([self])
        return self

    def _become_symbolic(self, mean, cov, k):
        self.symbolic_form = True
        self.args = (_matrix_symbol("mean", mean, k, 1), _matrix_symbol("cov", cov, k, k), k)

    # -- declared ---------------------------------------------------------------
    @property
    def dimension(self):
        """k, a number or a Symbol."""
        return self.args[2] if self.symbolic_form else self.args[0].rows

    @property
    def support(self):
        return Euclidean(sp.sympify(self.dimension))

    def variable(self):
        if self.symbolic_form:
            return sp.MatrixSymbol("x", self.dimension, 1)
        return point(self.dimension, real=True)

    def log_density(self, x):
        if self.symbolic_form:
            mu, sigma, k = self.args
            return (-sp.Trace((x - mu).T * sigma.I * (x - mu)) / 2
                    - sp.log(sp.Determinant(sigma)) / 2 - k * sp.log(2 * sp.pi) / 2)
        mu, sigma = self.args
        d = x - mu
        return (-(d.T * sigma.adjugate() * d)[0, 0] / (2 * sigma.det()) - sp.log(sigma.det()) / 2
                - self.dimension * sp.log(2 * sp.pi) / 2)

    def moments(self):
        return self.args[0], self.args[1]

    # -- parameters -------------------------------------------------------------
    @property
    def free_symbols(self):
        if self.symbolic_form:
            mu, sigma, k = self.args
            return {mu, sigma} | sp.sympify(k).free_symbols
        return super().free_symbols

    @property
    def parameter_symbols(self):
        if self.symbolic_form:
            return set(self.args[:2])
        return self.free_symbols

    def with_parameters(self, args):
        if self.symbolic_form:
            return type(self).symbolic(*args)
        return type(self)(*args)

    def subs(self, mapping):
        if not self.symbolic_form:
            return super().subs(mapping)
        mu, sigma, k = self.args
        k = sp.sympify(k).xreplace(mapping)
        by_name = {str(key): value for key, value in mapping.items()}
        mean, cov = (by_name.get(m.name, m) for m in (mu, sigma))
        if isinstance(mean, sp.MatrixSymbol) or isinstance(cov, sp.MatrixSymbol):
            mean = sp.MatrixSymbol(mean.name, k, 1) if isinstance(mean, sp.MatrixSymbol) else mean
            cov = sp.MatrixSymbol(cov.name, k, k) if isinstance(cov, sp.MatrixSymbol) else cov
            if isinstance(mean, sp.MatrixSymbol) and isinstance(cov, sp.MatrixSymbol):
                return type(self).symbolic(mean, cov, k)
            raise InvalidInput("MultivariateNormal: give values for both the mean and the covariance")
        size = len(entries(type(self).__name__, "mean", mean))
        if k.is_Integer and size != k:
            raise InvalidInput(f"MultivariateNormal: the mean needs k = {k} entries, got {size}")
        return type(self)(mean, cov)

    def generic(self, tag):
        if not self.symbolic_form:
            return self, {}  # explicit entries are kept: the derivation is for these matrices
        mu, sigma, k = self.args
        twin = type(self).symbolic(f"mu_{tag}", f"Sigma_{tag}", k)
        return twin, {twin.args[0]: mu, twin.args[1]: sigma}


    def check_comparable(self, other):
        if isinstance(other, MultivariateNormal) and other.symbolic_form != self.symbolic_form:
            raise InvalidInput("MultivariateNormal: compare explicit with explicit, symbolic with symbolic")
        check_same_dimension(self, other)

    def sample(self, rng, known=None):
        known = dict(known or {})
        if not self.symbolic_form:
            mean, cov = _draw(rng, self.dimension)
            values = {**sample_symbols(self.args[0], mean), **sample_symbols(self.args[1], cov)}
            values.update({s: v for s, v in known.items() if s in values})
            return values
        mu, sigma, k = self.args
        values = {}
        values[mu], values[sigma] = _draw(rng, sample_dimension(rng, k, known, values, largest=3))
        return values

    def latex_names(self):
        return {}

    def _latex(self, printer):
        return self.notation.format(*(printer._print(a) for a in self.args[:2]))

    def __repr__(self):
        if self.symbolic_form:
            return f"MultivariateNormal.symbolic({self.args[0]}, {self.args[1]}, {self.args[2]})"
        return f"MultivariateNormal({list(self.args[0])}, {self.args[1].tolist()})"


def _matrix_symbol(name, value, rows, cols):
    """A MatrixSymbol from a name (or the MatrixSymbol itself, as twins and substitutions pass)."""
    if isinstance(value, sp.MatrixSymbol):
        return value
    if not isinstance(value, str):
        raise InvalidType(f"MultivariateNormal: {name} must be a name for a matrix symbol, got "
                          f"{type(value).__name__} {shown(value)}")
    return sp.MatrixSymbol(as_name(f"MultivariateNormal: {name}", value, "a name"), rows, cols)


def _draw(rng, k):
    """A random mean and a random positive-definite covariance A·Aᵀ + I/2 (exact)."""
    mean = sp.ImmutableMatrix([sp.Rational(rng.randint(-20, 20), 10) for _ in range(k)])
    a = sp.Matrix(k, k, lambda i, j: sp.Rational(rng.randint(-10, 10), 10))
    return mean, sp.ImmutableMatrix(a * a.T + sp.eye(k) / 2)

import sympy as sp

from ..errors import InvalidInput
from .base import POSITIVE, Distribution, Parameter, check_names
from .vectors import (INDEX, OTHER_INDEX, Simplex, check_same_dimension, dimension, indexed_base,
                      point, sample_dimension, sample_symbols, vector)

_CONCENTRATION = Parameter("alpha", POSITIVE, r"\alpha")


class Dirichlet(Distribution):
    r"""The Dirichlet distribution on the simplex in ℝᴷ with concentrations ``alpha`` > 0.

    ``alpha`` is a sequence (or a 1-D numpy array, a sympy column) of K ≥ 2
    concentrations (numbers, names or expressions).
    ``Dirichlet.symbolic("alpha", "K")`` has a symbolic K: an ``IndexedBase``
    α[i], i = 1 … K, and its log-density holds ``Sum``\ s.
    The density is taken with respect to the first K − 1 coordinates, with
    x_K = 1 − x_1 − … − x_{K−1}.

    Examples
    --------
    >>> from symkl import Dirichlet
    >>> Dirichlet([1, 2, 3]).concentration
    6
    >>> Dirichlet([1])
    Traceback (most recent call last):
    ...
    symkl.errors.InvalidInput: Dirichlet: alpha needs at least 2 concentrations, got 1
    """

    notation = r"\operatorname{{Dir}}\left({}\right)"
    multivariate = True

    def __init__(self, alpha=None):
        if alpha is None:
            self._become_indexed(sp.IndexedBase("alpha", positive=True),
                                 dimension("Dirichlet", "K", "K"))
            self.uses_default_symbols = True
            return
        self.indexed, self.uses_default_symbols = False, False
        self.args = (vector("Dirichlet", "alpha", alpha, POSITIVE),)
        if self.args[0].rows < 2:
            raise InvalidInput(f"Dirichlet: alpha needs at least 2 concentrations, got {self.args[0].rows}")
        check_names([self])

    @classmethod
    def symbolic(cls, alpha="alpha", size="K") -> "Dirichlet":
        """K concentrations α[i], K symbolic.

        >>> Dirichlet.symbolic("a", "K").support
        Simplex(k=K)
        """
        self = cls.__new__(cls)
        self._become_indexed(indexed_base("Dirichlet: alpha", alpha, positive=True),
                             dimension(cls.__name__, size, "K"))
        if self.args[1].is_number and self.args[1] < 2:
            raise InvalidInput(f"Dirichlet: K needs at least 2 concentrations, got K = {self.args[1]}")
        self.uses_default_symbols = False
        check_names([self])
        return self

    def _become_indexed(self, base, size):
        self.indexed = True
        self.args = (base, size)

    # -- declared ---------------------------------------------------------------
    @property
    def dimension(self):
        return self.args[1] if self.indexed else self.args[0].rows

    @property
    def concentration(self):
        """α₀ = α_1 + … + α_K."""
        if self.indexed:
            return sp.Sum(self.args[0][OTHER_INDEX], (OTHER_INDEX, 1, self.dimension))
        return sp.Add(*self.args[0])

    @property
    def support(self):
        return Simplex(sp.sympify(self.dimension))

    def variable(self):
        if self.indexed:
            return sp.IndexedBase("x", positive=True)
        return point(self.dimension, positive=True)

    def log_density(self, x):
        if self.indexed:
            alpha, size = self.args
            return (sp.Sum((alpha[INDEX] - 1) * sp.log(x[INDEX]), (INDEX, 1, size))
                    + sp.loggamma(self.concentration) - sp.Sum(sp.loggamma(alpha[INDEX]), (INDEX, 1, size)))
        alpha = self.args[0]
        return (sp.Add(*((a - 1) * sp.log(xi) for a, xi in zip(alpha, x)))
                + sp.loggamma(self.concentration) - sp.Add(*map(sp.loggamma, alpha)))

    # -- parameters -------------------------------------------------------------
    @property
    def free_symbols(self):
        if self.indexed:
            return {self.args[0].label} | sp.sympify(self.args[1]).free_symbols
        return super().free_symbols

    @property
    def parameter_symbols(self):
        return {self.args[0]} if self.indexed else self.free_symbols

    def with_parameters(self, args):
        return type(self).symbolic(*args) if self.indexed else type(self)(*args)

    def subs(self, mapping):
        if not self.indexed:
            return super().subs(mapping)
        base, size = self.args
        size = sp.sympify(size).xreplace(mapping)
        value = mapping.get(base.label, base)
        if isinstance(value, dict):
            value = [value[i] for i in sorted(value)]
        if isinstance(value, (list, tuple, sp.MatrixBase)):
            if size.is_Integer and len(value) != size:
                raise InvalidInput(f"Dirichlet: K = {size} needs {size} concentrations, got {len(value)}")
            return type(self)(value)
        return type(self).symbolic(value, size)

    def generic(self, tag):
        if not self.indexed:
            twin = type(self)([_CONCENTRATION.symbol(f"alpha{i}_{tag}") for i in range(1, self.dimension + 1)])
            return twin, dict(zip(twin.args[0], self.args[0]))
        twin = type(self).symbolic(sp.IndexedBase(f"alpha_{tag}", positive=True), self.args[1])
        return twin, {twin.args[0]: self.args[0]}


    def renamed(self, tag):
        if not self.uses_default_symbols:
            return self
        return type(self).symbolic(f"alpha_{tag}", self.args[1])

    def check_comparable(self, other):
        if other.multivariate and not isinstance(other, Dirichlet):
            raise InvalidInput(f"Dirichlet: {other!r} is not on the simplex, where a Dirichlet's "
                               f"density lives (in K − 1 free coordinates); compare a Dirichlet "
                               f"with a Dirichlet")
        check_same_dimension(self, other, "K")

    def sample(self, rng, known=None):
        known = dict(known or {})
        if not self.indexed:
            drawn = sp.ImmutableMatrix([_CONCENTRATION.constraint.draw(rng) for _ in self.args[0]])
            return sample_symbols(self.args[0], drawn)
        base, size = self.args
        values = {}
        values[base.label] = {i: _CONCENTRATION.constraint.draw(rng)
                              for i in range(1, sample_dimension(rng, size, known, values) + 1)}
        return values

    def latex_names(self):
        return {}

    def _latex(self, printer):
        return self.notation.format(printer._print(self.args[0]))

    def __repr__(self):
        if self.indexed:
            return f"Dirichlet.symbolic({self.args[0]}, {self.args[1]})"
        return f"Dirichlet({list(self.args[0])})"

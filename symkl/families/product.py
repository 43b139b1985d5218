"""The product law of independent components: X = (X₁, …, X_k), X_i ~ p_i independently.

A divergence whose integrand is a log-ratio adds up over independent factors:
KL(⊗p_i ‖ ⊗q_i) = Σ KL(p_i ‖ q_i), and H(⊗p_i) = Σ H(p_i); the power integral
multiplies, ∫ ∏p_i^α q_i^{1−α} = ∏ I_α(p_i : q_i), so Rényi's divergence adds up
and the others follow from the sum of the logs.  The engine derives each factor
and sums (:func:`symkl.engine.derive.derive`); the numeric check does the same
with its own quadrature of each factor.

>>> import symkl as sk
>>> sk.kl(sk.Independent([sk.Normal("a", 1), sk.Exponential("r")]),
...       sk.Independent([sk.Normal(0, 1), sk.Exponential(1)])).expr
a**2/2 + log(r) - 1 + 1/r
"""
from __future__ import annotations

import sympy as sp

from ..errors import InvalidInput, InvalidType
from .base import Distribution, check_names, shown


class Independent(Distribution):
    """The product of independent ``factors`` (distributions, two or more)."""

    def __init__(self, factors):
        from .sympy_stats import as_distribution
        if isinstance(factors, (str, Distribution)) or not hasattr(factors, "__iter__"):
            raise InvalidType(f"Independent takes a list of distributions, got "
                              f"{type(factors).__name__} {shown(factors)}")
        factors = tuple(as_distribution(f) for f in factors)
        if len(factors) < 2:
            raise InvalidInput(f"Independent takes two or more factors, got {len(factors)}")
        self.factors = factors
        self.args = tuple(a for f in factors for a in f.args)
        self.uses_default_symbols = False
        check_names(factors)

    #: a product law holds a random vector of its factors' coordinates
    multivariate = True

    @property
    def discrete(self):
        return all(f.discrete for f in self.factors)

    @property
    def support(self):
        return sp.ProductSet(*(f.support for f in self.factors))

    def log_density(self, x):
        """log p at the point ``x`` = (x₁, …, x_k): the sum of the factors' log-densities."""
        return sp.Add(*(f.log_density(xi) for f, xi in zip(self.factors, x)))

    def variable(self):
        """(x₁, …, x_k), each with its factor's assumptions."""
        return sp.Matrix([sp.Symbol(f"x{i}", **f.variable().assumptions0)
                          for i, f in enumerate(self.factors, 1)])

    @property
    def free_symbols(self):
        return set().union(*(f.free_symbols for f in self.factors))

    @property
    def parameter_symbols(self):
        return set().union(*(f.parameter_symbols for f in self.factors))

    def subs(self, mapping):
        return Independent([f.subs(mapping) for f in self.factors])

    def with_parameters(self, args):
        args, factors = list(args), []
        for f in self.factors:
            factors.append(f.with_parameters(tuple(args[:len(f.args)])))
            del args[:len(f.args)]
        return Independent(factors)

    def sample(self, rng, known=None):
        values = dict(known or {})
        for f in self.factors:
            values.update(f.sample(rng, known=values))
        return {k: v for k, v in values.items() if k in self.free_symbols}

    def renamed(self, tag):
        return Independent([f.renamed(tag) for f in self.factors])

    def latex_names(self):
        names = {}
        for f in self.factors:
            names.update(f.latex_names())
        return names

    def content(self):
        return (Independent, tuple(f.content() for f in self.factors))

    def check_comparable(self, other):
        if not isinstance(other, Independent) or len(other.factors) != len(self.factors):
            raise InvalidInput(f"{self!r} is a product of {len(self.factors)} factors; a divergence "
                               f"compares it with another product of as many, got {other!r}")

    def _latex(self, printer):
        return r" \otimes ".join(printer._print(f) for f in self.factors)

    def __eq__(self, other):
        return isinstance(other, Independent) and self.factors == other.factors

    def __hash__(self):
        return hash(self.content())

    def __repr__(self):
        return f"Independent([{', '.join(map(repr, self.factors))}])"

"""Finite mixtures: the density Σ w_i p_i(x) of components p_i with weights w_i.

A mixture's log-density is the log of a sum, so KL to or from one has no
closed form in general; what is exact is linear in the mixture (its
cross-entropy against q is Σ w_i H(p_i, q)), and the rest is bounded in
closed form (:func:`symkl.engine.derive.derive`), the value itself found by
quadrature, which splits at every component's landmarks.
"""
from __future__ import annotations

import sympy as sp

from ..errors import InvalidInput, InvalidType
from .base import Distribution, as_expression, check_names, shown


class Mixture(Distribution):
    """The mixture of ``components`` (two or more distributions of one variable) with
    ``weights`` (nonnegative numbers or positive symbols summing to 1).

    >>> import sympy as sp, symkl as sk
    >>> m = sk.Mixture([sk.Normal(-1, 1), sk.Normal(1, 1)], [sp.S(1)/2, sp.S(1)/2])
    >>> m
    Mixture([Normal(-1, 1), Normal(1, 1)], [1/2, 1/2])
    >>> sk.cross_entropy(m, sk.Normal(0, 2)).expr
    1/4 + log(8*pi)/2
    """

    def __init__(self, components, weights):
        from .sympy_stats import as_distribution
        if isinstance(components, (str, Distribution)) or not hasattr(components, "__iter__"):
            raise InvalidType(f"Mixture takes a list of distributions, got "
                              f"{type(components).__name__} {shown(components)}")
        components = tuple(as_distribution(c) for c in components)
        if len(components) < 2:
            raise InvalidInput(f"a Mixture takes two or more components, got {len(components)}")
        if any(c.multivariate for c in components) or len({c.discrete for c in components}) != 1:
            raise InvalidInput("a Mixture's components must all be distributions of one variable, "
                               "all continuous or all discrete")
        if isinstance(weights, (str, sp.Basic)) or not hasattr(weights, "__iter__"):
            raise InvalidType(f"Mixture takes a list of weights, got {type(weights).__name__} {shown(weights)}")
        weights = tuple(as_expression("Mixture: a weight", w) for w in weights)
        if len(weights) != len(components):
            raise InvalidInput(f"a Mixture takes one weight per component: {len(components)} "
                               f"components, {len(weights)} weights")
        if any(w.is_negative for w in weights):
            raise InvalidInput(f"a Mixture's weights must be nonnegative, got {', '.join(map(str, weights))}")
        total = sp.simplify(sp.Add(*weights) - 1)
        if total != 0 and (total.is_number or not total.free_symbols):
            raise InvalidInput(f"a Mixture's weights must sum to 1, got {', '.join(map(str, weights))} "
                               f"(sum {sp.Add(*weights)})")
        self.components, self.weights = components, weights
        self.args = tuple(a for c in components for a in c.args) + weights
        self.uses_default_symbols = False
        check_names(components)

    @property
    def discrete(self):
        return self.components[0].discrete

    @property
    def support(self):
        return sp.Union(*(c.support for c in self.components))

    def log_density(self, x):
        return sp.log(sp.Add(*(w * sp.exp(c.log_density(x)) for w, c in zip(self.weights, self.components))))

    def landmarks(self):
        return tuple(m for c in self.components for m in c.landmarks())

    @property
    def free_symbols(self):
        return set().union(*(c.free_symbols for c in self.components),
                           *(w.free_symbols for w in self.weights))

    @property
    def parameter_symbols(self):
        return self.free_symbols

    def subs(self, mapping):
        return Mixture([c.subs(mapping) for c in self.components], [w.xreplace(mapping) for w in self.weights])

    def with_parameters(self, args):
        args, components = list(args), []
        for c in self.components:
            components.append(c.with_parameters(tuple(args[:len(c.args)])))
            del args[:len(c.args)]
        return Mixture(components, args)

    def generic(self, tag):
        return self, {}  # derived as given: the mixture's parts are derived one by one

    def sample(self, rng, known=None):
        values = dict(known or {})
        for c in self.components:
            values.update(c.sample(rng, known=values))
        return {k: v for k, v in values.items() if k in self.free_symbols}

    def renamed(self, tag):
        return Mixture([c.renamed(tag) for c in self.components], self.weights)

    def latex_names(self):
        names = {}
        for c in self.components:
            names.update(c.latex_names())
        return names

    def content(self):
        return (Mixture, tuple(c.content() for c in self.components), self.weights)

    def _latex(self, printer):
        return " + ".join(rf"{printer._print(w)} \, {printer._print(c)}"
                          for w, c in zip(self.weights, self.components))

    def __eq__(self, other):
        return isinstance(other, Mixture) and self.content() == other.content()

    def __hash__(self):
        return hash(self.content())

    def __repr__(self):
        return (f"Mixture([{', '.join(map(repr, self.components))}], "
                f"[{', '.join(map(str, self.weights))}])")

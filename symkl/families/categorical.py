import sympy as sp

from ..errors import InvalidInput, InvalidType
from .base import (OPEN_UNIT_INTERVAL, POSITIVE_INTEGER, PROBABILITY, Distribution, Parameter,
                   as_parameter, check_names, shown)
from .vectors import check_simplex, entries, indexed_base, is_vector_like, sample_dimension

_SIZE = Parameter("K", POSITIVE_INTEGER, "K")


def _probability(k: int, constraint=PROBABILITY) -> Parameter:
    return Parameter(f"p_{k}", constraint, f"p_{{{k}}}")


class Categorical(Distribution):
    r"""The categorical distribution on {0, …, K−1} with probabilities ``probs``.

    ``probs`` is a sequence (or a 1-D numpy array, a sympy column) of K
    probabilities summing to 1 (exactly for exact numbers, to rounding for
    floats); entries may be numbers, names or expressions.
    ``Categorical.symbolic("p", "K")`` is the indexed form with a symbolic
    number of categories K, where expectations become ``Sum``\s.

    Examples
    --------
    >>> from symkl import Categorical
    >>> Categorical([sp.S(1)/2, sp.S(1)/2]).support
    Range(0, 2, 1)
    >>> Categorical([sp.S(1)/2, 0, sp.S(1)/2]).support
    {0, 2}
    >>> Categorical([0.5, 0.6])
    Traceback (most recent call last):
    ...
    symkl.errors.InvalidInput: Categorical: probabilities must sum to 1, got 1.10000000000000
    """

    discrete = True
    notation = r"\operatorname{{Cat}}\left({}\right)"

    def __init__(self, probs=None):
        if probs is None:
            self._become_indexed(sp.IndexedBase("p", positive=True), _SIZE.symbol())
            self.uses_default_symbols = True
            return
        if not is_vector_like(probs):
            raise InvalidType(f"Categorical: probs must be a sequence of probabilities (for a "
                              f"symbolic number of categories use Categorical.symbolic), "
                              f"got {type(probs).__name__} {shown(probs)}")
        if len(probs) < 1:
            raise InvalidInput("Categorical: probs must hold at least one probability, got []")
        self.indexed = False
        self.uses_default_symbols = False
        self.args = tuple(as_parameter("Categorical", _probability(k), v)
                          for k, v in enumerate(entries("Categorical", "probs", probs)))
        check_simplex("Categorical", self.args)
        check_names([self])

    @classmethod
    def symbolic(cls, name: str = "p", size="K") -> "Categorical":
        """The indexed form: probabilities ``name[i]`` for i in 0 … K−1, K symbolic or a number.

        >>> Categorical.symbolic("p", "K").support
        Range(0, K, 1)
        """
        self = cls.__new__(cls)
        self._become_indexed(indexed_base("Categorical: probs", name, positive=True),
                             as_parameter("Categorical", _SIZE, size))
        self.uses_default_symbols = False
        check_names([self])
        return self

    def _become_indexed(self, base, size):
        self.indexed = True
        self.args = (base, size)

    @property
    def size(self):
        """The number of categories K (a number, or a Symbol in the indexed form)."""
        return self.args[1] if self.indexed else sp.Integer(len(self.args))

    @property
    def probs(self):
        """The probabilities: a tuple, or the IndexedBase in the indexed form."""
        return self.args[0] if self.indexed else self.args

    @property
    def support(self):
        if self.indexed:
            return sp.Range(0, self.size)
        if not any(p.is_zero for p in self.args):
            return sp.Range(0, len(self.args))
        return sp.FiniteSet(*(k for k, p in enumerate(self.args) if not p.is_zero))

    def log_density(self, x):
        if self.indexed:
            return sp.log(self.probs[x])
        if x.is_Integer:
            return sp.log(self.args[int(x)]) if 0 <= x < len(self.args) else -sp.oo
        known = self.__dict__.setdefault("_log_densities", {})
        if x not in known:
            # the pieces are disjoint and in order: no need for sympy to compare them (K² work)
            known[x] = sp.Piecewise(*((sp.log(self.args[k]), sp.Eq(x, k)) for k in self.support),
                                    (-sp.oo, True), evaluate=False)
        return known[x]

    def sample(self, rng, known=None):
        known = dict(known or {})
        if not self.indexed:
            symbols = [p for p in self.args if isinstance(p, sp.Symbol)]
            weights = [rng.randint(1, 10) for _ in self.args]
            return {p: sp.Rational(w, sum(weights)) for p, w in zip(self.args, weights) if p in symbols}
        base, size = self.args
        values = {}
        weights = [rng.randint(1, 10) for _ in range(sample_dimension(rng, size, known, values))]
        values[base.label] = [sp.Rational(w, sum(weights)) for w in weights]
        return values

    def check_comparable(self, other):
        if isinstance(other, Categorical) and other.size != self.size:
            raise InvalidInput(f"Categorical: both sides need the same number of categories, "
                               f"got K = {self.size} and K = {other.size}")

    def with_parameters(self, args):
        if self.indexed:
            return type(self).symbolic(*args)
        return type(self)(list(args))

    def subs(self, mapping):
        if self.indexed:
            base, size = self.args
            size = sp.sympify(size).xreplace(mapping)
            values = mapping.get(base.label, base)
            if isinstance(values, dict):
                values = [values[i] for i in sorted(values)]
            if isinstance(values, (list, tuple)):
                if len(values) != size:
                    raise InvalidInput(f"Categorical: {base} needs K = {size} probabilities, "
                                       f"got {len(values)}")
                return type(self)(list(values))
            return type(self).symbolic(values, size)
        return super().subs(mapping)

    def generic(self, tag):
        if self.indexed:
            base = sp.IndexedBase(f"p_{tag}", positive=True)
            return type(self).symbolic(base, self.size), {base: self.probs}
        symbols = [0 if p.is_zero else _probability(k, OPEN_UNIT_INTERVAL).symbol(f"p{k}_{tag}")
                   for k, p in enumerate(self.args)]
        twin = type(self).__new__(type(self))
        twin.indexed, twin.uses_default_symbols, twin.args = False, False, tuple(map(sp.sympify, symbols))
        return twin, {s: p for s, p in zip(twin.args, self.args) if s != 0}


    def renamed(self, tag):
        if not self.uses_default_symbols:
            return self
        return type(self).symbolic(sp.IndexedBase(f"p_{tag}", positive=True), self.size)

    def latex_names(self):
        return {}

    def _latex(self, printer):
        if self.indexed:
            return self.notation.format(printer._print(self.probs))
        return self.notation.format(", ".join(printer._print(p) for p in self.args))

    def __repr__(self):
        if self.indexed:
            return f"Categorical.symbolic({self.probs}, {self.size})"
        return f"Categorical([{', '.join(str(p) for p in self.args)}])"


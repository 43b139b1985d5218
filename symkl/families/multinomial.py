import sympy as sp

from ..errors import InvalidInput, InvalidType
from .base import (OPEN_UNIT_INTERVAL, POSITIVE_INTEGER, PROBABILITY, Distribution, Parameter,
                   as_parameter, check_names, shown)
from .binomial import Binomial
from .vectors import (INDEX, Counts, check_simplex, entries, indexed_base, is_vector_like, point,
                      sample_dimension)

_TRIALS = Parameter("n", POSITIVE_INTEGER, "n", structural=True)
_SIZE = Parameter("K", POSITIVE_INTEGER, "K", structural=True)


def _probability(k: int, constraint=PROBABILITY) -> Parameter:
    return Parameter(f"p_{k}", constraint, f"p_{{{k}}}")


class Multinomial(Distribution):
    r"""The multinomial distribution: the counts (X_1, …, X_K) of K outcomes in ``n`` trials
    (n fixed, shared by p and q, like a Binomial's n) with probabilities ``probs``; mass
    n!/(x_1! ⋯ x_K!) · p_1^{x_1} ⋯ p_K^{x_K} on the counts summing to n.

    ``probs`` is a sequence of K ≥ 2 probabilities summing to 1 (exactly for exact
    numbers, to rounding for floats); entries may be numbers, names or expressions.
    ``Multinomial.symbolic("n", "p", "K")`` has a symbolic number of outcomes K: an
    ``IndexedBase`` p[i], i = 1 … K, and its log-mass holds ``Sum``\ s.  Each count is
    binomial, X_i ~ Bin(n, p_i); the mean is n·p and the covariance n·(diag p − p pᵀ).

    Examples
    --------
    >>> from symkl import Multinomial
    >>> Multinomial(4, [sp.S(1)/2, sp.S(1)/4, sp.S(1)/4]).support
    Counts(n=4, k=3, empty=frozenset())
    >>> Multinomial(4, [sp.S(1)/2, sp.S(1)/3])
    Traceback (most recent call last):
    ...
    symkl.errors.InvalidInput: Multinomial: probabilities must sum to 1, got 5/6
    """

    discrete = True
    multivariate = True
    notation = r"\operatorname{{Mult}}\left({}, {}\right)"

    def __init__(self, n=None, probs=None):
        if n is None and probs is None:
            self._become_indexed(_TRIALS.symbol(), sp.IndexedBase("p", positive=True), _SIZE.symbol())
            self.uses_default_symbols = True
            return
        if n is None or probs is None:
            raise InvalidType("Multinomial takes a number of trials n and a sequence of "
                              "probabilities (or neither)")
        if not is_vector_like(probs):
            raise InvalidType(f"Multinomial: probs must be a sequence of probabilities (for a "
                              f"symbolic number of outcomes use Multinomial.symbolic), "
                              f"got {type(probs).__name__} {shown(probs)}")
        values = entries("Multinomial", "probs", probs)
        if len(values) < 2:
            raise InvalidInput(f"Multinomial: probs needs at least 2 outcomes, got {len(values)}")
        self.indexed, self.uses_default_symbols = False, False
        self.args = (as_parameter("Multinomial", _TRIALS, n),
                     *(as_parameter("Multinomial", _probability(k), v) for k, v in enumerate(values, 1)))
        check_simplex("Multinomial", self.probs)
        check_names([self])

    @classmethod
    def symbolic(cls, n="n", probs="p", size="K") -> "Multinomial":
        """The indexed form: probabilities ``probs[i]`` for i = 1 … K, K symbolic or a number.

        >>> Multinomial.symbolic("n", "p", "K").support
        Counts(n=n, k=K, empty=frozenset())
        """
        self = cls.__new__(cls)
        self._become_indexed(as_parameter("Multinomial", _TRIALS, n),
                             indexed_base("Multinomial: probs", probs, positive=True),
                             as_parameter("Multinomial", _SIZE, size))
        self.uses_default_symbols = False
        check_names([self])
        return self

    def _become_indexed(self, n, base, size):
        self.indexed = True
        self.args = (n, base, size)

    # -- declared ---------------------------------------------------------------
    @property
    def trials(self):
        """n, the number of trials."""
        return self.args[0]

    @property
    def probs(self):
        """The probabilities: a tuple, or the IndexedBase in the indexed form."""
        return self.args[1] if self.indexed else self.args[1:]

    @property
    def dimension(self):
        """K, the number of outcomes (a number, or a Symbol in the indexed form)."""
        return self.args[2] if self.indexed else len(self.args) - 1

    @property
    def support(self):
        empty = () if self.indexed else (i for i, p in enumerate(self.probs, 1) if p.is_zero)
        return Counts(self.trials, sp.sympify(self.dimension), frozenset(empty))

    def variable(self):
        if self.indexed:
            return sp.IndexedBase("x", integer=True, nonnegative=True)
        return point(self.dimension, integer=True, nonnegative=True)

    def log_density(self, x):
        n = self.trials
        if self.indexed:
            p, size = self.args[1:]
            return (sp.loggamma(n + 1) + sp.Sum(x[INDEX] * sp.log(p[INDEX]) - sp.loggamma(x[INDEX] + 1),
                                                (INDEX, 1, size)))
        return (sp.loggamma(n + 1) + sp.Add(*(xi * sp.log(p) - sp.loggamma(xi + 1)
                                              for xi, p in zip(x, self.probs) if not p.is_zero)))

    def moments(self):
        if self.indexed:
            return None
        n, p = self.trials, sp.ImmutableMatrix(self.probs)
        return n * p, sp.ImmutableMatrix(n * (sp.diag(*p) - p * p.T))

    def mgf(self, t):
        """E[e^{tᵀX}] = (Σ_i p_i e^{t_i})ⁿ, for a column t of K entries (in the indexed
        form, t is t_i, an expression in the coordinate index i).

        >>> t = sp.symbols("t_1 t_2")
        >>> Multinomial("n", [sp.S(1)/3, sp.S(2)/3]).mgf(sp.Matrix(t))
        (exp(t_1)/3 + 2*exp(t_2)/3)**n
        """
        if self.indexed:  # t is t_i, an expression in the coordinate index i
            base, size = self.args[1:]
            return sp.Sum(base[INDEX] * sp.exp(t), (INDEX, 1, size)) ** self.trials
        return sp.Add(*(p * sp.exp(ti) for p, ti in zip(self.probs, t))) ** self.trials

    def valid_together(self, values):
        """The probabilities sum to 1 (``values`` by Symbol; in the indexed form, the
        IndexedBase ↦ its entry at the coordinate index i)."""
        if self.indexed:
            base, size = self.args[1:]
            total = sp.Sum(values.get(base, base[INDEX]), (INDEX, 1, size))
        else:
            total = sp.Add(*self.probs).xreplace(values)
        return sp.true if sp.simplify(total - 1) == 0 else sp.Eq(total, 1)

    def expectation(self, statistic, x):
        """E[t(X)] = t(0) for a statistic of the counts of outcomes of probability 0 alone."""
        if self.indexed:
            return None
        empty = {x[i - 1] for i in self.support.empty}
        used = statistic.free_symbols & set(x)
        if not used or not used <= empty:
            return None
        return statistic.xreplace({c: sp.S.Zero for c in used})

    def marginal(self, i):
        p = self.probs[i] if self.indexed else self.probs[i - 1]
        if p.is_zero:
            return None
        return Binomial(self.trials, p)

    # -- parameters -------------------------------------------------------------
    @property
    def free_symbols(self):
        if self.indexed:
            n, base, size = self.args
            return {base.label} | sp.sympify(n).free_symbols | sp.sympify(size).free_symbols
        return super().free_symbols

    @property
    def parameter_symbols(self):
        if self.indexed:
            return {self.args[1]}
        return set().union(*(p.free_symbols for p in self.probs))

    def with_parameters(self, args):
        if self.indexed:
            return type(self).symbolic(*args)
        return type(self)(args[0], list(args[1:]))

    def subs(self, mapping):
        if not self.indexed:
            return super().subs(mapping)
        n, base, size = (sp.sympify(self.args[0]).xreplace(mapping), self.args[1],
                         sp.sympify(self.args[2]).xreplace(mapping))
        values = mapping.get(base.label, base)
        if isinstance(values, dict):
            values = [values[i] for i in sorted(values)]
        if isinstance(values, (list, tuple)):
            if size.is_Integer and len(values) != size:
                raise InvalidInput(f"Multinomial: K = {size} needs {size} probabilities, got {len(values)}")
            return type(self)(n, list(values))
        return type(self).symbolic(n, values, size)

    def generic(self, tag):
        if self.indexed:
            base = sp.IndexedBase(f"p_{tag}", positive=True)
            return type(self).symbolic(self.trials, base, self.dimension), {base: self.probs}
        symbols = [0 if p.is_zero else _probability(k, OPEN_UNIT_INTERVAL).symbol(f"p{k}_{tag}")
                   for k, p in enumerate(self.probs, 1)]
        twin = type(self).__new__(type(self))
        twin.indexed, twin.uses_default_symbols = False, False
        twin.args = (self.trials, *map(sp.sympify, symbols))
        return twin, {s: p for s, p in zip(twin.probs, self.probs) if s != 0}

    def renamed(self, tag):
        if not self.uses_default_symbols:
            return self
        return type(self).symbolic(self.trials, sp.IndexedBase(f"p_{tag}", positive=True), self.dimension)

    def check_comparable(self, other):
        if not isinstance(other, Multinomial):
            if other.multivariate:
                raise InvalidInput(f"Multinomial: {other!r} is not a law of counts; compare a "
                                   f"Multinomial with a Multinomial")
            return
        if self.dimension != other.dimension:
            raise InvalidInput(f"Multinomial: both sides need the same number of outcomes, "
                               f"got K = {self.dimension} and K = {other.dimension}")
        if self.trials != other.trials:
            raise InvalidInput(f"Multinomial: both sides need the same number of trials n (the "
                               f"counts of different n live on different sets), got "
                               f"n = {self.trials} and n = {other.trials}")

    def sample(self, rng, known=None):
        known = dict(known or {})
        values = {}
        n = self.trials
        if isinstance(n, sp.Symbol):
            values[n] = known.get(n) or sp.Integer(rng.randint(1, 6))
        if not self.indexed:
            weights = [rng.randint(1, 10) for _ in self.probs]
            drawn = {p: sp.Rational(w, sum(weights)) for p, w in zip(self.probs, weights)}
            values.update({p: v for p, v in drawn.items() if isinstance(p, sp.Symbol)})
            return values
        base, size = self.args[1:]
        weights = [rng.randint(1, 10) for _ in range(sample_dimension(rng, size, known, values))]
        values[base.label] = [sp.Rational(w, sum(weights)) for w in weights]
        return values

    def latex_names(self):
        return {}

    def _latex(self, printer):
        n = printer._print(self.trials)
        if self.indexed:
            return self.notation.format(n, printer._print(self.probs))
        return self.notation.format(n, ", ".join(printer._print(p) for p in self.probs))

    def __repr__(self):
        if self.indexed:
            return f"Multinomial.symbolic({self.trials}, {self.probs}, {self.dimension})"
        return f"Multinomial({self.trials}, [{', '.join(str(p) for p in self.probs)}])"

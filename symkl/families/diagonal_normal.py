import sympy as sp

from ..errors import InvalidInput, InvalidType
from .base import POSITIVE, REAL, Distribution, Parameter, as_parameter, check_names, shown
from .normal import Normal
from .vectors import (INDEX, Euclidean, check_same_dimension, dimension, entries, indexed_base,
                      is_vector_like, point, sample_dimension, sample_symbols, vector)

_MEAN, _SCALE = Parameter("mu", REAL, r"\mu"), Parameter("sigma", POSITIVE, r"\sigma")


class DiagonalNormal(Distribution):
    r"""N(μ, diag σ²): independent normal coordinates with means ``mu`` and scales ``sigma``.

    ``mu`` and ``sigma`` are sequences (lists, tuples, 1-D numpy arrays,
    sympy columns) of equal length k, or one of them a single value shared
    by every coordinate; ``DiagonalNormal(0, 1)`` is the standard normal of
    whatever dimension the other side of a divergence has.
    ``DiagonalNormal.symbolic("mu", "sigma", "n")`` has a symbolic number of
    coordinates n: ``IndexedBase``\ s μ[i], σ[i] (or shared values), and
    its log-density is a ``Sum`` over i = 1 … n; two names,
    ``DiagonalNormal("mu", "sigma")``, mean that form.

    Examples
    --------
    >>> from symkl import DiagonalNormal
    >>> DiagonalNormal([0, 1], 2).args
    (Matrix([
    [0],
    [1]]), Matrix([
    [2],
    [2]]))
    >>> p = DiagonalNormal.symbolic("mu", "sigma", "n")
    >>> p.log_density(p.variable()).limits
    ((i, 1, n),)
    >>> p.marginal(sp.Symbol("i"))
    Normal(mu[i], sigma[i])
    >>> DiagonalNormal("mu", "sigma") == p
    True
    """

    notation = r"\mathcal{{N}}\left({}, {}\right)"  # the mean and the covariance
    multivariate = True

    def __init__(self, mu=None, sigma=None):
        if mu is None and sigma is None:
            self._become_indexed("mu", "sigma", dimension("DiagonalNormal", "n", "n"))
            self.uses_default_symbols = True
            return
        if mu is None or sigma is None:
            raise InvalidType(f"DiagonalNormal takes means mu and scales sigma (or neither), got "
                              f"mu = {shown(mu)}, sigma = {shown(sigma)}")
        self.uses_default_symbols = False
        if isinstance(mu, str) and isinstance(sigma, str):  # names for both vectors
            self._become_indexed(mu, sigma, dimension("DiagonalNormal", "n", "n"))
            check_names([self])
            return
        mu, sigma = (entries("DiagonalNormal", p.name, v) if is_vector_like(v) else v
                     for p, v in ((_MEAN, mu), (_SCALE, sigma)))
        sizes = {len(v) for v in (mu, sigma) if is_vector_like(v)}
        if len(sizes) > 1:
            raise InvalidInput(f"DiagonalNormal: mu and sigma need the same length, got {sorted(sizes)}")
        if not sizes:  # one value for each: the dimension is the other side's
            self.form = "open"
            self.args = (as_parameter("DiagonalNormal", _MEAN, mu),
                         as_parameter("DiagonalNormal", _SCALE, sigma))
        else:
            k = sizes.pop()
            self.form = "explicit"
            self.args = tuple(vector("DiagonalNormal", p.name, v if is_vector_like(v) else [v] * k,
                                     p.constraint) for p, v in ((_MEAN, mu), (_SCALE, sigma)))
        check_names([self])

    @classmethod
    def symbolic(cls, mu="mu", sigma="sigma", n="n") -> "DiagonalNormal":
        """n coordinates, n symbolic: a name gives an ``IndexedBase``, a number is shared.

        >>> DiagonalNormal.symbolic("mu", 1, "n").args
        (mu, 1, n)
        """
        self = cls.__new__(cls)
        self._become_indexed(mu, sigma, dimension(cls.__name__, n, "n"))
        self.uses_default_symbols = False
        check_names([self])
        return self

    def _become_indexed(self, mu, sigma, n):
        self.form = "indexed"
        self.args = (*(_indexed(p, v) for p, v in ((_MEAN, mu), (_SCALE, sigma))), n)

    # -- declared ---------------------------------------------------------------
    @property
    def dimension(self):
        """k (explicit), n (symbolic) or None (not fixed until compared)."""
        return {"explicit": lambda: self.args[0].rows, "indexed": lambda: self.args[2],
                "open": lambda: None}[self.form]()

    @property
    def support(self):
        self._need_dimension()
        return Euclidean(sp.sympify(self.dimension))

    def variable(self):
        self._need_dimension()
        if self.form == "indexed":
            return sp.IndexedBase("x", real=True)
        return point(self.dimension, real=True)

    def log_density(self, x):
        self._need_dimension()
        if self.form == "indexed":
            return sp.Sum(self.marginal(INDEX).log_density(x[INDEX]), (INDEX, 1, self.dimension))
        return sp.Add(*(self.marginal(i).log_density(x[i - 1]) for i in range(1, self.dimension + 1)))

    def marginal(self, i):
        return Normal(*(_coordinate(v, i) for v in self.args[:2]))

    def moments(self):
        if self.form != "explicit":
            return None
        mu, sigma = self.args
        return mu, sp.ImmutableMatrix(sp.diag(*(s ** 2 for s in sigma)))

    def sized_like(self, other):
        if self.form != "open":
            return self
        size = getattr(other, "dimension", None)
        if size is None:
            return self
        if sp.sympify(size).is_Integer:
            return type(self)([self.args[0]] * int(size), [self.args[1]] * int(size))
        return type(self).symbolic(*self.args, size)

    def _need_dimension(self):
        if self.form == "open":
            raise InvalidInput("DiagonalNormal: give sequences (or use DiagonalNormal.symbolic) to fix "
                               "the number of coordinates; shared values alone take it from the other side")

    # -- parameters -------------------------------------------------------------
    @property
    def free_symbols(self):
        if self.form == "indexed":
            return set().union(*(({a.label} if isinstance(a, sp.IndexedBase) else sp.sympify(a).free_symbols)
                                 for a in self.args))
        return super().free_symbols

    @property
    def parameter_symbols(self):
        if self.form == "indexed":
            return {a for a in self.args[:2] if isinstance(a, sp.IndexedBase)}
        return self.free_symbols

    def with_parameters(self, args):
        if self.form == "indexed":
            return type(self).symbolic(*args)
        return type(self)(*args)

    def subs(self, mapping):
        if self.form != "indexed":
            return super().subs(mapping)
        n = sp.sympify(self.args[2]).xreplace(mapping)
        values = []
        for a in self.args[:2]:
            value = mapping.get(a.label, a) if isinstance(a, sp.IndexedBase) else sp.sympify(a).xreplace(mapping)
            if isinstance(value, dict):
                value = [value[i] for i in sorted(value)]
            values.append(value)
        if any(is_vector_like(v) for v in values):
            length = next(len(v) for v in values if is_vector_like(v))
            if n.is_Integer and length != n:
                raise InvalidInput(f"DiagonalNormal: n = {n} coordinates need {n} values, got {length}")
            return type(self)(*values)
        if n.is_Integer and not any(isinstance(v, sp.IndexedBase) for v in values):
            return type(self)(*([v] * int(n) for v in values))  # shared values, n now known
        return type(self).symbolic(*values, n)

    def generic(self, tag):
        if self.form != "indexed":
            return self, {}
        mu, sigma, n = self.args
        twin_args = [sp.IndexedBase(f"{p.name}_{tag}", **dict(p.constraint.assumptions))
                     if isinstance(v, sp.IndexedBase) else v for p, v in ((_MEAN, mu), (_SCALE, sigma))]
        twin = type(self).symbolic(*twin_args, n)
        return twin, {t: v for t, v in zip(twin_args, (mu, sigma)) if isinstance(t, sp.IndexedBase)}


    def renamed(self, tag):
        if not self.uses_default_symbols:
            return self
        return type(self).symbolic(f"mu_{tag}", f"sigma_{tag}", self.args[2])

    def check_comparable(self, other):
        check_same_dimension(self, other, "n")

    def sample(self, rng, known=None):
        known = dict(known or {})
        if self.form == "explicit":
            k = self.dimension
            drawn = [sp.ImmutableMatrix([p.constraint.draw(rng) for _ in range(k)]) for p in (_MEAN, _SCALE)]
            return {**sample_symbols(self.args[0], drawn[0]), **sample_symbols(self.args[1], drawn[1])}
        if self.form == "open":
            return super().sample(rng, known)
        mu, sigma, n = self.args
        values = {}
        size = sample_dimension(rng, n, known, values)
        for p, a in ((_MEAN, mu), (_SCALE, sigma)):
            if isinstance(a, sp.IndexedBase):
                values[a.label] = {i: p.constraint.draw(rng) for i in range(1, size + 1)}
        return values

    def latex_names(self):
        return {}

    def _latex(self, printer):
        r"""N(μ, diag(σ²)): a mean of zeros as 0, equal variances s² as s² I (I for s = 1).

        >>> from symkl.render import printer
        >>> print(printer([]).doprint(DiagonalNormal([0, 0], 1)))
        \mathcal{N}\left(0, I\right)
        >>> p = DiagonalNormal(["m1", "m2"], ["s1", "s2"])
        >>> print(printer([p]).doprint(p))
        \mathcal{N}\left(\left[\begin{matrix}m_{1}\\m_{2}\end{matrix}\right], \operatorname{diag}\left(s_{1}^{2}, s_{2}^{2}\right)\right)
        """
        mu, sigma = self.args[:2]
        means, scales = (list(v) if self.form == "explicit" else [v] for v in (mu, sigma))
        mean = "0" if all(m == 0 for m in means) else printer._print(mu)
        if isinstance(sigma, sp.IndexedBase):
            covariance = rf"\operatorname{{diag}}\left({printer._print(sigma)}^{{2}}\right)"
        elif len(set(scales)) == 1:
            variance = scales[0] ** 2
            covariance = "I" if variance == 1 else rf"{printer._print(variance)} I"
        else:
            covariance = rf"\operatorname{{diag}}\left({', '.join(printer._print(s ** 2) for s in scales)}\right)"
        return self.notation.format(mean, covariance)

    def __repr__(self):
        if self.form == "indexed":
            return f"DiagonalNormal.symbolic({self.args[0]}, {self.args[1]}, {self.args[2]})"
        if self.form == "open":
            return f"DiagonalNormal({self.args[0]}, {self.args[1]})"
        return f"DiagonalNormal({list(self.args[0])}, {list(self.args[1])})"


def _indexed(parameter, value):
    """A name becomes an IndexedBase with the parameter's assumptions; a value is shared."""
    if isinstance(value, (str, sp.IndexedBase)):
        return indexed_base(f"DiagonalNormal: {parameter.name}", value,
                            **dict(parameter.constraint.assumptions))
    return as_parameter("DiagonalNormal", parameter, value)


def _coordinate(value, i):
    """The i-th coordinate's value (i from 1) of a column, an IndexedBase or a shared value."""
    if isinstance(value, sp.MatrixBase):
        return value[i - 1]
    if isinstance(value, sp.IndexedBase):
        return value[i]
    return value

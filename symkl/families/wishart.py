r"""The Wishart and inverse Wishart laws on the k × k positive-definite matrices.

Both have degrees of freedom n > k − 1 and a positive-definite scale; both come
explicit (k a number, the point the column of the matrix's entries on and
below the diagonal, :func:`~.vectors.symmetric_point`) and matrix-symbolic
(``MatrixSymbol``\ s of a symbolic size k).  With the multivariate gamma
function Γ_k(a) = π^{k(k−1)/4} Π_{j=1}^{k} Γ(a − (j − 1)/2) and its
logarithmic derivative ψ_k(a) = Σ_{j=1}^{k} ψ(a − (j − 1)/2), each declares
what it knows of its own expectations (each checked against cubature of the
density in tests/test_wishart.py):

* Wishart W_k(n, V): E[X] = nV, E[log det X] = ψ_k(n/2) + k log 2 + log det V,
  and E[X⁻¹] = V⁻¹/(n − k − 1) where n > k + 1 (its diagonal is ∞ otherwise);
* inverse Wishart W⁻¹_k(n, Ψ), the law of X⁻¹ for X ~ W_k(n, Ψ⁻¹):
  E[X⁻¹] = nΨ⁻¹, E[log det X] = log det Ψ − ψ_k(n/2) − k log 2, and
  E[X] = Ψ/(n − k − 1) where n > k + 1.
"""
from __future__ import annotations

import sympy as sp

from ..errors import InvalidInput, InvalidType
from .base import POSITIVE, Distribution, Parameter, as_name, as_parameter, check_names, shown
from .vectors import (OTHER_INDEX, PositiveDefinite, check_same_dimension, dimension, positive_definite,
                      sample_dimension, sample_symbols, symmetric, symmetric_point)

_DF = Parameter("df", POSITIVE, "n")


def log_multigamma(a, k):
    """log Γ_k(a) = k(k − 1)/4·log π + Σ_{j=1}^{k} log Γ(a − (j − 1)/2), a Sum for a symbolic k.

    >>> log_multigamma(sp.Symbol("a"), 2)
    loggamma(a) + loggamma(a - 1/2) + log(pi)/2
    """
    constant = k * (k - 1) * sp.log(sp.pi) / 4
    if sp.sympify(k).is_Integer:
        return constant + sp.Add(*(sp.loggamma(a - sp.Rational(j - 1, 2)) for j in range(1, k + 1)))
    return constant + sp.Sum(sp.loggamma(a - (OTHER_INDEX - 1) / sp.S(2)), (OTHER_INDEX, 1, k))


def multidigamma(a, k):
    """ψ_k(a) = Σ_{j=1}^{k} ψ(a − (j − 1)/2), the derivative of log Γ_k (a Sum for a symbolic k).

    >>> multidigamma(sp.Symbol("a"), 2)
    polygamma(0, a) + polygamma(0, a - 1/2)
    """
    if sp.sympify(k).is_Integer:
        return sp.Add(*(sp.polygamma(0, a - sp.Rational(j - 1, 2)) for j in range(1, k + 1)))
    return sp.Sum(sp.polygamma(0, a - (OTHER_INDEX - 1) / sp.S(2)), (OTHER_INDEX, 1, k))


class _OnTheCone(Distribution):
    """What the two laws share: degrees of freedom, a scale, the cone they live on."""

    multivariate = True
    #: the scale's default name in the matrix-symbolic form
    scale_name = "V"

    def __init__(self, df=None, scale=None):
        name = type(self).__name__
        if df is None and scale is None:
            self._become_symbolic("n", self.scale_name, dimension(name, "k"))
            self.uses_default_symbols = True
            return
        if df is None or scale is None:
            raise InvalidType(f"{name} takes degrees of freedom and a scale matrix (or neither)")
        self.symbolic_form, self.uses_default_symbols = False, False
        scale = positive_definite(name, "scale", scale)
        self.args = (_degrees_of_freedom(name, df, scale.rows), scale)
        check_names([self])

    @classmethod
    def symbolic(cls, df="n", scale=None, k="k"):
        """The matrix-symbolic form: degrees of freedom ``df`` and a ``MatrixSymbol`` scale of
        size k × k (k a name or a number)."""
        self = cls.__new__(cls)
        self._become_symbolic(df, cls.scale_name if scale is None else scale, dimension(cls.__name__, k))
        self.uses_default_symbols = False
        check_names([self])
        return self

    def _become_symbolic(self, df, scale, k):
        self.symbolic_form = True
        if not isinstance(scale, sp.MatrixSymbol):
            if not isinstance(scale, str):
                raise InvalidType(f"{type(self).__name__}: scale must be a name for a matrix symbol, "
                                  f"got {type(scale).__name__} {shown(scale)}")
            scale = sp.MatrixSymbol(as_name(f"{type(self).__name__}: scale", scale, "a name"), k, k)
        self.args = (_degrees_of_freedom(type(self).__name__, df, k), scale, k)

    # -- declared ---------------------------------------------------------------
    @property
    def dimension(self):
        """k, a number or a Symbol."""
        return self.args[2] if self.symbolic_form else self.args[1].rows

    @property
    def support(self):
        return PositiveDefinite(sp.sympify(self.dimension))

    def variable(self):
        k = self.dimension
        return sp.MatrixSymbol("X", k, k) if self.symbolic_form else symmetric_point(k)

    def matrix(self, x):
        """The point ``x`` (as :meth:`variable` gives it) as a k × k matrix."""
        return x if self.symbolic_form else symmetric(x, self.dimension)

    def _log_det(self, x):
        """log det of the point x."""
        return sp.log(sp.Determinant(x)) if self.symbolic_form else sp.log(self.matrix(x).det())

    def _log_det_scale(self):
        scale = self.args[1]
        return sp.log(sp.Determinant(scale)) if self.symbolic_form else sp.log(scale.det())

    def _trace(self, a, b):
        """tr(a·b), for matrices of this form."""
        if self.symbolic_form:
            return sp.Trace(a * b)
        return sp.Add(*(a[i, j] * b[j, i] for i in range(a.rows) for j in range(a.rows)))

    def _inverse(self, m):
        return m.I if self.symbolic_form else m.adjugate() / m.det()

    def _inverse_of_point(self, x):
        """X⁻¹ at the point x; explicit, each entry cof(X)_ij/det X held as one expression, so
        that a trace against it parts into the k(k + 1)/2 entries of X⁻¹ (not into the
        monomials of the cofactors, whose expectations no law declares)."""
        if self.symbolic_form:
            return x.I
        inverse = self._inverse(self.matrix(x))
        return inverse.applyfunc(lambda e: sp.UnevaluatedExpr(sp.cancel(e)))

    def _normaliser(self):
        """log of the normalising constant 2^{nk/2} Γ_k(n/2)."""
        n, k = self.args[0], self.dimension
        return n * k * sp.log(2) / 2 + log_multigamma(n / 2, k)

    def expectation(self, statistic, x):
        """E[log det X], and E tr(A·X) or E tr(A·X⁻¹) (explicit: an entry of X, or one of
        X⁻¹ times a number) from the declared E[X] and E[X⁻¹]."""
        if statistic == self._log_det(x):
            return self.mean_log_det()
        if self.symbolic_form:
            return self._trace_mean(statistic, x)
        for mean, of in ((self.mean, self.matrix(x)), (self.mean_inverse, self._inverse_of_point(x))):
            for i in range(self.dimension):
                for j in range(i + 1):
                    ratio = sp.cancel(statistic / of[i, j])
                    if ratio.is_number and ratio != 0:
                        value = _entry(mean(), i, j)
                        return None if value is None else ratio * value
        return None

    def _trace_mean(self, statistic, x):
        """E tr(M) for a product M holding X or X⁻¹ once."""
        if not isinstance(statistic, sp.Trace):
            return None
        product = statistic.arg
        factors = list(product.args) if isinstance(product, sp.MatMul) else [product]
        places = [f for f in factors if f.has(x)]
        if len(places) != 1 or places[0] not in (x, x.I):
            return None
        mean = self.mean() if places[0] == x else self.mean_inverse()
        if isinstance(mean, sp.Piecewise):
            return sp.Piecewise(*((sp.Trace(product.xreplace({places[0]: m})) if m != sp.oo else m, c)
                                  for m, c in mean.args))
        return sp.Trace(product.xreplace({places[0]: mean}))

    # -- parameters -------------------------------------------------------------
    @property
    def free_symbols(self):
        if self.symbolic_form:
            n, scale, k = self.args
            return sp.sympify(n).free_symbols | {scale} | sp.sympify(k).free_symbols
        return super().free_symbols

    @property
    def parameter_symbols(self):
        if self.symbolic_form:
            return sp.sympify(self.args[0]).free_symbols | {self.args[1]}
        return self.free_symbols

    def with_parameters(self, args):
        return type(self).symbolic(*args) if self.symbolic_form else type(self)(*args)

    def subs(self, mapping):
        if not self.symbolic_form:
            return super().subs(mapping)
        n, scale, k = self.args
        n, k = (sp.sympify(v).xreplace(mapping) for v in (n, k))
        value = {str(key): v for key, v in mapping.items()}.get(scale.name, scale)
        if isinstance(value, sp.MatrixSymbol):
            return type(self).symbolic(n, sp.MatrixSymbol(value.name, k, k), k)
        matrix = positive_definite(type(self).__name__, "scale", value)
        if k.is_Integer and matrix.rows != k:
            raise InvalidInput(f"{type(self).__name__}: k = {k} needs a {k} × {k} scale, got "
                               f"{matrix.rows} × {matrix.rows}")
        return type(self)(n, matrix)

    def generic(self, tag):
        if not self.symbolic_form:
            return self, {}  # explicit entries are kept: the derivation is for these matrices
        n, scale, k = self.args
        twin = type(self).symbolic(_DF.symbol(f"n_{tag}"), f"{scale.name}_{tag}", k)
        return twin, {twin.args[0]: n, twin.args[1]: scale}

    def check_comparable(self, other):
        if not isinstance(other, _OnTheCone):
            if other.multivariate:
                raise InvalidInput(f"{type(self).__name__}: {other!r} is not a law of positive-definite "
                                   f"matrices; compare with a Wishart or an inverse Wishart")
            return
        if other.symbolic_form != self.symbolic_form:
            raise InvalidInput(f"{type(self).__name__}: compare explicit with explicit, symbolic with symbolic")
        check_same_dimension(self, other)

    def sample(self, rng, known=None):
        known = dict(known or {})
        n = self.args[0]
        if self.symbolic_form:
            values = {}
            k = sample_dimension(rng, self.args[2], known, values, largest=3)
            values[self.args[1]] = _drawn_scale(rng, k)
        else:
            k = self.dimension
            values = sample_symbols(self.args[1], _drawn_scale(rng, k))
        if isinstance(n, sp.Symbol):
            values[n] = k - 1 + sp.Rational(rng.randint(2, 60), 10)
        values.update({s: v for s, v in known.items() if s in values and not isinstance(s, sp.MatrixSymbol)})
        return values

    def latex_names(self):
        return {}

    def _latex(self, printer):
        return self.notation.format(*(printer._print(a) for a in self.args[:2]))

    def __repr__(self):
        name = type(self).__name__
        if self.symbolic_form:
            return f"{name}.symbolic({self.args[0]}, {self.args[1]}, {self.args[2]})"
        return f"{name}({self.args[0]}, {self.args[1].tolist()})"


class Wishart(_OnTheCone):
    r"""The Wishart law W_k(n, V) of the k × k positive-definite matrices: the law of
    Σ_{i=1}^{n} z_i z_iᵀ, z_i ~ N(0, V), for an integer n; degrees of freedom ``df``
    n > k − 1 and a positive-definite ``scale`` V.

    Its density is det(X)^{(n−k−1)/2} e^{−tr(V⁻¹X)/2} / (2^{nk/2} det(V)^{n/2} Γ_k(n/2)).
    Explicit: ``scale`` a k × k matrix (nested lists, a sympy Matrix, a 2-D numpy array) of
    numbers, names or expressions; matrix-symbolic: ``Wishart.symbolic("n", "V", "k")``,
    and ``Wishart()`` is that with the default names.

    Examples
    --------
    >>> from symkl import Wishart
    >>> Wishart(3, [[2, 1], [1, 2]]).mean()
    Matrix([
    [6, 3],
    [3, 6]])
    >>> Wishart(1, [[2, 1], [1, 2]])
    Traceback (most recent call last):
    ...
    symkl.errors.InvalidInput: Wishart: df must exceed k − 1 = 1, got 1
    >>> Wishart().log_density(sp.MatrixSymbol("X", sp.Symbol("k"), sp.Symbol("k"))).has(sp.Determinant)
    True
    """

    notation = r"\mathcal{{W}}\left({}, {}\right)"

    def log_density(self, x):
        n, scale, k = self.args[0], self.args[1], self.dimension
        return ((n - k - 1) * self._log_det(x) / 2 - self._trace(self._inverse(scale), self.matrix(x)) / 2
                - n * self._log_det_scale() / 2 - self._normaliser())

    def landmarks(self):
        """(nV,): its mean, about which its mass lies."""
        return (self.mean(),)

    def mean(self):
        """E[X] = nV."""
        return self.args[0] * self.args[1]

    def mean_inverse(self):
        """E[X⁻¹] = V⁻¹/(n − k − 1) where n > k + 1; ∞ (on the diagonal) otherwise."""
        n, k = self.args[0], self.dimension
        return _where_finite(self._inverse(self.args[1]) / (n - k - 1), n - k - 1)

    def mean_log_det(self):
        """E[log det X] = ψ_k(n/2) + k log 2 + log det V."""
        n, k = self.args[0], self.dimension
        return multidigamma(n / 2, k) + k * sp.log(2) + self._log_det_scale()


class InverseWishart(_OnTheCone):
    r"""The inverse Wishart law W⁻¹_k(n, Ψ): the law of X⁻¹ for X ~ W_k(n, Ψ⁻¹); degrees of
    freedom ``df`` n > k − 1 and a positive-definite ``scale`` Ψ.

    Its density is det(Ψ)^{n/2} det(X)^{−(n+k+1)/2} e^{−tr(ΨX⁻¹)/2} / (2^{nk/2} Γ_k(n/2)).
    Explicit and matrix-symbolic as :class:`Wishart` (``InverseWishart.symbolic("n", "Psi", "k")``).

    Examples
    --------
    >>> from symkl import InverseWishart
    >>> InverseWishart(5, [[2, 1], [1, 2]]).mean()
    Matrix([
    [  1, 1/2],
    [1/2,   1]])
    """

    notation = r"\mathcal{{W}}^{{-1}}\left({}, {}\right)"
    scale_name = "Psi"

    def log_density(self, x):
        n, scale, k = self.args[0], self.args[1], self.dimension
        return (-(n + k + 1) * self._log_det(x) / 2 - self._trace(scale, self._inverse_of_point(x)) / 2
                + n * self._log_det_scale() / 2 - self._normaliser())

    def landmarks(self):
        """(Ψ/(n + k + 1),): its mode, about which its mass lies."""
        return (self.args[1] / (self.args[0] + self.dimension + 1),)

    def mean(self):
        """E[X] = Ψ/(n − k − 1) where n > k + 1; ∞ (on the diagonal) otherwise."""
        n, k = self.args[0], self.dimension
        return _where_finite(self.args[1] / (n - k - 1), n - k - 1)

    def mean_inverse(self):
        """E[X⁻¹] = nΨ⁻¹."""
        return self.args[0] * self._inverse(self.args[1])

    def mean_log_det(self):
        """E[log det X] = log det Ψ − ψ_k(n/2) − k log 2."""
        n, k = self.args[0], self.dimension
        return self._log_det_scale() - multidigamma(n / 2, k) - k * sp.log(2)


def _where_finite(mean, margin):
    """``mean`` where ``margin`` > 0, else ∞ (a Piecewise, decided where it can be)."""
    return sp.Piecewise((mean, sp.Gt(margin, 0)), (sp.oo, True))


def _entry(mean, i, j):
    """Entry (i, j) of a mean that may be a Piecewise of matrices and ∞; an off-diagonal
    entry of an infinite mean has no value (None)."""
    if not isinstance(mean, sp.Piecewise):
        return mean[i, j]
    pieces = []
    for value, condition in mean.args:
        if value == sp.oo:
            if i != j:
                return None
            pieces.append((sp.oo, condition))
        else:
            pieces.append((value[i, j], condition))
    return sp.Piecewise(*pieces)


def _degrees_of_freedom(family, value, k):
    """n > k − 1 (checked where it is a number)."""
    n = as_parameter(family, _DF, value)
    excess = n - (sp.sympify(k) - 1)
    if excess.is_number and not excess > 0:
        raise InvalidInput(f"{family}: df must exceed k − 1 = {sp.sympify(k) - 1}, got {n}")
    return n


def _drawn_scale(rng, k):
    """A random positive-definite scale A·Aᵀ + I/2 (exact)."""
    a = sp.Matrix(k, k, lambda i, j: sp.Rational(rng.randint(-10, 10), 10))
    return sp.ImmutableMatrix(a * a.T + sp.eye(k) / 2)

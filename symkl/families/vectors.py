"""What the families of random vectors share: their spaces, points and parameters.

A random vector's family gives its support as a :class:`Euclidean` space
ℝᵏ or a :class:`Simplex`, and its point as

* a column of Symbols ``x_1 … x_k`` when k is a number (explicit form),
* a ``MatrixSymbol`` x (k × 1) in the matrix-symbolic form,
* an ``IndexedBase`` x with coordinates ``x[i]``, i = 1 … n, when the
  coordinates are independent and n is symbolic (the log-density is a ``Sum``).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..errors import InvalidInput, InvalidType
from .base import POSITIVE, POSITIVE_INTEGER, REAL, Parameter, as_name, as_parameter, shown

#: the index of a coordinate in the symbolic-length forms, and a second one for sums inside
INDEX = sp.Symbol("i", integer=True, positive=True)
OTHER_INDEX = sp.Symbol("j", integer=True, positive=True)



@dataclass(frozen=True)
class Euclidean:
    """ℝᵏ."""

    k: sp.Expr

    def is_subset(self, other) -> bool:
        return isinstance(other, Euclidean) and other.k == self.k

    def __str__(self):
        return f"ℝ^{self.k}"


@dataclass(frozen=True)
class Simplex:
    """The probability simplex {x ∈ ℝᴷ : x_i > 0, Σ x_i = 1}."""

    k: sp.Expr

    def is_subset(self, other) -> bool:
        return isinstance(other, (Euclidean, Simplex)) and other.k == self.k

    def __str__(self):
        return f"the simplex in ℝ^{self.k}"


@dataclass(frozen=True)
class PositiveDefinite:
    """The cone of k × k symmetric positive-definite matrices, a point of it given by its
    k(k + 1)/2 entries on and below the diagonal (see :func:`symmetric_point`)."""

    k: sp.Expr

    def is_subset(self, other) -> bool:
        return isinstance(other, PositiveDefinite) and other.k == self.k

    def __str__(self):
        return f"the positive-definite {self.k} × {self.k} matrices"


@dataclass(frozen=True)
class Counts:
    """The counts of k outcomes in n trials: {x ∈ ℤᵏ : x_i ≥ 0, Σ x_i = n}, with x_i = 0
    for the outcomes i in ``empty`` (those of probability 0)."""

    n: sp.Expr
    k: sp.Expr
    empty: frozenset = frozenset()

    def is_subset(self, other) -> bool:
        return (isinstance(other, Counts) and (other.n, other.k) == (self.n, self.k)
                and other.empty <= self.empty)

    def contains(self, counts) -> bool:
        """Whether the point ``counts`` (numbers) is one of these counts.

        >>> Counts(2, 3, frozenset({2})).contains((1, 0, 1)), Counts(2, 3, frozenset({2})).contains((1, 1, 0))
        (True, False)
        """
        return (len(counts) == self.k and sum(counts) == self.n and all(c >= 0 for c in counts)
                and all(counts[i - 1] == 0 for i in self.empty))

    def points(self):
        """Every point, for numbers n and k (as tuples, in lexicographic order)."""
        free = [i for i in range(1, int(self.k) + 1) if i not in self.empty]

        def spread(left, places):
            if len(places) == 1:
                yield (left,)
                return
            for first in range(left, -1, -1):
                for rest in spread(left - first, places[1:]):
                    yield (first, *rest)

        for counts in spread(int(self.n), free):
            by_place = dict(zip(free, counts))
            yield tuple(by_place.get(i, 0) for i in range(1, int(self.k) + 1))

    def __str__(self):
        return f"the counts of {self.k} outcomes in {self.n} trials"


def point(k: int, **assumptions) -> sp.ImmutableMatrix:
    """The column (x_1, …, x_k) of Symbols."""
    return sp.ImmutableMatrix([sp.Symbol(f"x_{i}", **assumptions) for i in range(1, k + 1)])


def symmetric_point(k: int) -> sp.ImmutableMatrix:
    """The column of a symmetric k × k matrix's entries x_ij on and below the diagonal, row by
    row (x_11, x_21, x_22, x_31, …); the diagonal ones positive, as on the positive-definite
    cone.

    >>> symmetric_point(2).T
    Matrix([[x_11, x_21, x_22]])
    """
    return sp.ImmutableMatrix([sp.Symbol(f"x_{i}{j}", **({"positive": True} if i == j else {"real": True}))
                               for i in range(1, k + 1) for j in range(1, i + 1)])


def symmetric(column, k: int) -> sp.ImmutableMatrix:
    """The symmetric k × k matrix whose entries on and below the diagonal are ``column``
    (as :func:`symmetric_point` orders them).

    >>> symmetric(symmetric_point(2), 2)
    Matrix([
    [x_11, x_21],
    [x_21, x_22]])
    """
    at = {}
    for n, (i, j) in enumerate((i, j) for i in range(k) for j in range(i + 1)):
        at[i, j] = at[j, i] = column[n]
    return sp.ImmutableMatrix(k, k, lambda i, j: at[i, j])


def positive_definite(family: str, name: str, values, k=None) -> sp.ImmutableMatrix:
    """A k × k symmetric matrix (nested lists, a sympy Matrix, a 2-D numpy array) of
    numbers, names or expressions, not provably indefinite: names on the diagonal become
    positive Symbols ``name_ii``, others real ones ``name_ij``; ``k`` (if given) is the
    size the other parameters ask for.

    >>> positive_definite("Wishart", "scale", [[2, "r"], ["r", 2]])
    Matrix([
    [2, r],
    [r, 2]])
    """
    rows = listed(values)
    if not isinstance(rows, list) or not rows or not all(isinstance(r, list) for r in rows):
        raise InvalidType(f"{family}: {name} must be a k × k matrix (nested lists, a sympy Matrix or "
                          f"a 2-D numpy array), got {type(values).__name__} {shown(values)}")
    size = len(rows) if k is None else k
    if len(rows) != size or any(len(r) != size for r in rows):
        shape = f"{len(rows)} rows of lengths {[len(r) for r in rows]}"
        wanted = "square" if k is None else f"{k} × {k} to match the mean"
        raise InvalidInput(f"{family}: {name} must be {wanted}, got {shape}")
    entries = [[as_parameter(family, Parameter(f"{name}_{i}{j}", POSITIVE if i == j else REAL, name), v)
                for j, v in enumerate(row)] for i, row in enumerate(rows)]
    matrix = sp.ImmutableMatrix(entries)
    asymmetric = (matrix - matrix.T).applyfunc(lambda e: sp.simplify(e) if not e.is_number else e)
    if not asymmetric.is_zero_matrix:
        raise InvalidInput(f"{family}: {name} must be symmetric, got {shown(sp.Matrix(matrix), 200)}")
    if matrix.is_positive_definite is False or (matrix.is_number and matrix.det() == 0):
        raise InvalidInput(f"{family}: {name} must be positive definite, got {shown(sp.Matrix(matrix), 200)}")
    return matrix


def dimension(family: str, value, letter: str = "k") -> sp.Expr:
    """A dimension, called ``letter`` in messages: a positive integer or a name for one."""
    return as_parameter(family, Parameter(letter, POSITIVE_INTEGER, letter, structural=True), value)


def is_vector_like(values) -> bool:
    """True for what may hold a vector's entries: a list, a tuple, a sympy Matrix, a numpy array."""
    return isinstance(values, (list, tuple, sp.MatrixBase)) or _is_array(values)


def _is_array(values) -> bool:
    """A numpy array of one or more dimensions (numpy is not imported for this)."""
    return hasattr(values, "tolist") and getattr(values, "ndim", 0) >= 1


def listed(values):
    """``values`` as nested Python lists: sympy matrices and numpy arrays by their ``tolist()``,
    tuples as lists; anything else (an entry) as it is.

    >>> listed((1, [2, 3])), listed(sp.Matrix([[1], [2]]))
    ([1, [2, 3]], [[1], [2]])
    """
    if isinstance(values, sp.MatrixBase) or _is_array(values):
        return values.tolist()
    if isinstance(values, (list, tuple)):
        return [listed(v) for v in values]
    return values


def entries(family: str, name: str, values) -> list:
    """The entries of a vector given as a sequence, a column or a row (nested lists, a sympy
    Matrix, a numpy array), unconverted; InvalidType for anything else, strings included.

    >>> entries("Dirichlet", "alpha", [[1], [2]])
    [1, 2]
    """
    flat = listed(values)
    if not isinstance(flat, list):
        raise InvalidType(f"{family}: {name} must be a sequence, a column matrix or a 1-D array "
                          f"of entries (for a symbolic dimension use {family}.symbolic), "
                          f"got {type(values).__name__} {shown(values)}")
    if flat and all(isinstance(row, list) for row in flat):  # a column [[a], [b]] or a row [[a, b]]
        if all(len(row) == 1 for row in flat):
            flat = [row[0] for row in flat]
        elif len(flat) == 1:
            flat = flat[0]
    if any(isinstance(v, list) for v in flat):
        raise InvalidInput(f"{family}: {name} must be a vector, got nested entries {shown(flat)}")
    if not flat:
        raise InvalidInput(f"{family}: {name} must hold at least one entry")
    return flat


def vector(family: str, name: str, values, constraint) -> sp.ImmutableMatrix:
    """A column of parameters, each checked against ``constraint`` (names become Symbols).

    >>> vector("Dirichlet", "alpha", (1, "a"), POSITIVE_INTEGER).T
    Matrix([[1, a]])
    """
    return sp.ImmutableMatrix([as_parameter(family, Parameter(f"{name}_{i}", constraint, name), v)
                               for i, v in enumerate(entries(family, name, values), 1)])


def indexed_base(what: str, name, **assumptions) -> sp.IndexedBase:
    """An IndexedBase with ``assumptions`` from a name, or the IndexedBase itself (the engine's
    twins and substitutions pass one); InvalidType or InvalidInput for anything else.

    >>> indexed_base("Dirichlet: alpha", "a", positive=True)[1].is_positive
    True
    """
    if isinstance(name, sp.IndexedBase):
        return name
    if not isinstance(name, str):
        raise InvalidType(f"{what} must be a name for the indexed entries, got "
                          f"{type(name).__name__} {shown(name)}")
    return sp.IndexedBase(as_name(what, name, "a name"), **assumptions)


def sample_dimension(rng, size, known: dict, values: dict, largest: int = 4) -> int:
    """The number of coordinates for a random example: a symbolic one is drawn (or taken
    from ``known``, where the other side drew it) and recorded in ``values``."""
    if isinstance(size, sp.Symbol):
        values[size] = known.get(size) or sp.Integer(rng.randint(2, largest))
        return int(values[size])
    return int(size)


def check_same_dimension(family, other, letter: str = "k"):
    """InvalidInput unless ``family`` and ``other`` have the same dimension (where both have one)."""
    mine, theirs = family.dimension, getattr(other, "dimension", None)
    if mine is not None and theirs is not None and mine != theirs:
        raise InvalidInput(f"{type(family).__name__}: both sides need the same dimension, "
                         f"got {letter} = {mine} and {letter} = {theirs}")


def check_simplex(family: str, probabilities) -> None:
    """InvalidInput unless ``probabilities`` sum to 1: exactly for exact numbers, to rounding
    for floats; a sum that holds names is not decided here.

    >>> check_simplex("Categorical", [sp.S(1)/2, sp.S(1)/3])
    Traceback (most recent call last):
    ...
    symkl.errors.InvalidInput: Categorical: probabilities must sum to 1, got 5/6
    """
    total = sp.Add(*probabilities)
    excess = sp.simplify(total - 1) if not total.is_number else total - 1
    if not excess.is_number:
        return
    tolerance = 8 * len(probabilities) * 2.0 ** -52 if excess.has(sp.Float) else 0
    if abs(excess) > tolerance:
        raise InvalidInput(f"{family}: probabilities must sum to 1, got {shown(total)}")


def sample_symbols(values: sp.MatrixBase, drawn: sp.MatrixBase) -> dict:
    """Values for the entries of ``values`` that are plain Symbols, taken from ``drawn``."""
    return {v: d for v, d in zip(values, drawn) if isinstance(v, sp.Symbol)}

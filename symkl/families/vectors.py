"""What the families of random vectors share: their spaces, points and parameters.

A random vector's family gives its support as a :class:`Euclidean` space
ℝᵏ or a :class:`Simplex`, and its point as

* a column of Symbols ``x_1 … x_k`` when k is a number (explicit form),
* a ``MatrixSymbol`` x (k × 1) in the matrix-symbolic form,
* an ``IndexedBase`` x with coordinates ``x[i]``, i = 1 … n, when the
  coordinates are independent and n is symbolic (the log-density is a ``Sum``).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from .base import POSITIVE_INTEGER, Parameter, as_parameter

#: the index of a coordinate in the symbolic-length forms, and a second one for sums inside
INDEX = sp.Symbol("i", integer=True, positive=True)
OTHER_INDEX = sp.Symbol("j", integer=True, positive=True)

DIMENSION = Parameter("k", POSITIVE_INTEGER, "k", structural=True)


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


def point(k: int, **assumptions) -> sp.ImmutableMatrix:
    """The column (x_1, …, x_k) of Symbols."""
    return sp.ImmutableMatrix([sp.Symbol(f"x_{i}", **assumptions) for i in range(1, k + 1)])


def dimension(family: str, value) -> sp.Expr:
    """A dimension: a positive integer or a name for one."""
    return as_parameter(family, DIMENSION, value)


def vector(family: str, name: str, values, constraint) -> sp.ImmutableMatrix:
    """A column of parameters, each checked against ``constraint`` (names become Symbols)."""
    if not isinstance(values, sp.MatrixBase) and (isinstance(values, (str, sp.Basic))
                                                  or not isinstance(values, Sequence)):
        raise TypeError(f"{family}: {name} must be a sequence or a column matrix, got {values!r}")
    entries = list(values)
    if isinstance(values, sp.MatrixBase) and values.cols != 1 and values.rows != 1:
        raise ValueError(f"{family}: {name} must be a vector, got a {values.rows}×{values.cols} matrix")
    if not entries:
        raise ValueError(f"{family}: {name} must hold at least one entry")
    return sp.ImmutableMatrix([as_parameter(family, Parameter(f"{name}_{i}", constraint, name), v)
                               for i, v in enumerate(entries, 1)])


def sample_dimension(rng, size, known: dict, values: dict, largest: int = 4) -> int:
    """The number of coordinates for a random example: a symbolic one is drawn (or taken
    from ``known``, where the other side drew it) and recorded in ``values``."""
    if isinstance(size, sp.Symbol):
        values[size] = known.get(size) or sp.Integer(rng.randint(2, largest))
        return int(values[size])
    return int(size)


def check_same_dimension(family, other, letter: str = "k"):
    """ValueError unless ``family`` and ``other`` have the same dimension (where both have one)."""
    mine, theirs = family.dimension, getattr(other, "dimension", None)
    if mine is not None and theirs is not None and mine != theirs:
        raise ValueError(f"{type(family).__name__}: both sides need the same dimension, "
                         f"got {letter} = {mine} and {letter} = {theirs}")


def sample_symbols(values: sp.MatrixBase, drawn: sp.MatrixBase) -> dict:
    """Values for the entries of ``values`` that are plain Symbols, taken from ``drawn``."""
    return {v: d for v, d in zip(values, drawn) if isinstance(v, sp.Symbol)}

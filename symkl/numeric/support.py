"""The declared supports as numbers: intervals, runs of integers, points.

The numeric check reads each support on its own and never asks the engine
whether supp p ⊆ supp q: it measures p's mass outside supp q from these
pieces (see :func:`symkl.numeric.quadrature.estimate`), so that a mistake in
the engine's support test shows up as a disagreement.

A continuous support is a union of intervals (a finite set of points in it
has no mass and is dropped), a discrete one a run of consecutive integers
(possibly unbounded) or a finite set of integers with gaps.  Ends are exact sympy numbers,
a float as the binary number it is.
"""
from __future__ import annotations

from typing import NamedTuple

import sympy as sp

from ..errors import Unsupported
from .density import exactly


def intervals(support) -> list[tuple]:
    """The support of a continuous family as sorted (lower, upper) pairs, lower < upper.

    >>> intervals(sp.Union(sp.Interval(2, 3), sp.Interval.open(0, 1)))
    [(0, 1), (2, 3)]
    """
    if isinstance(support, sp.Interval):
        lower, upper = exactly(support.start), exactly(support.end)
        return [(lower, upper)] if bool(lower < upper) else []
    if isinstance(support, sp.Union):
        return sorted((piece for part in support.args for piece in intervals(part)), key=lambda ab: ab[0])
    if isinstance(support, (sp.FiniteSet, type(sp.EmptySet))):
        return []
    raise Unsupported(f"numeric integration reads a continuous support as intervals, got {support}")


def difference(pieces, others) -> list[tuple]:
    """The parts of the intervals ``pieces`` outside the intervals ``others``.

    >>> difference([(0, sp.oo)], [(1, 2)])
    [(0, 1), (2, oo)]
    """
    for lower, upper in others:
        pieces = [part for a, b in pieces
                  for part in ((a, sp.Min(b, lower)), (sp.Max(a, upper), b)) if bool(part[0] < part[1])]
    return pieces


class Run(NamedTuple):
    """The consecutive integers lower, lower + 1, …, upper − 1 (either end may be infinite)."""

    lower: sp.Expr
    upper: sp.Expr


def integers(support):
    """A discrete support as a :class:`Run` of consecutive integers, or a sorted tuple of
    its points where they have gaps.

    >>> integers(sp.Range(0, sp.oo))
    Run(lower=0, upper=oo)
    >>> integers(sp.FiniteSet(3, 1))
    (1, 3)
    """
    if isinstance(support, sp.FiniteSet):
        points = tuple(sorted(int(k) for k in support))
        if points and points[-1] - points[0] == len(points) - 1:
            return Run(sp.Integer(points[0]), sp.Integer(points[-1] + 1))
        return points
    if support == sp.Naturals0:
        return Run(sp.Integer(0), sp.oo)
    if support == sp.Naturals:
        return Run(sp.Integer(1), sp.oo)
    if support == sp.Integers:
        return Run(-sp.oo, sp.oo)
    if isinstance(support, sp.Range) and support.step == 1:
        return Run(support.inf, support.sup + 1)
    raise Unsupported(f"numeric summation reads a discrete support as a run of integers or a "
                      f"finite set of them, got {support}")


def outside(points, others, most: int = 3) -> list[int]:
    """Up to ``most`` integers of ``points`` that are not among ``others`` (each as from
    :func:`integers`), nearest to ``others`` first.

    >>> outside(Run(0, sp.oo), (0, 2))
    [1, 3, 4]
    >>> outside(Run(0, sp.oo), Run(2, sp.oo))
    [1, 0]
    """
    if not isinstance(points, Run):
        return [k for k in points if not _inside(k, others)][:most]
    lower, upper = map(sp.sympify, points)
    if not isinstance(others, Run):  # finitely many points of q: p's first ones beyond them
        start = int(lower) if lower.is_finite else (int(upper) - 1 if upper.is_finite else 0)
        step = 1 if lower.is_finite else -1
        found, k = [], start
        while len(found) < most and bool(lower <= k) and bool(k < upper):
            if not _inside(k, others):
                found.append(k)
            k += step
        return found
    below = [k for k in _count(sp.Min(upper, others.lower) - 1, -1, most) if bool(k >= lower)]
    above = [k for k in _count(sp.Max(lower, others.upper), 1, most) if bool(k < upper)]
    return (below + above)[:most]


def _inside(k, others) -> bool:
    if isinstance(others, Run):
        return bool(others.lower <= k) and bool(k < others.upper)
    return k in others


def _count(start, step, most):
    """``most`` integers from ``start`` in steps of ``step`` (none if ``start`` is infinite)."""
    return [] if start.is_infinite else [int(start) + i * step for i in range(most)]

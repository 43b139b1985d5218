"""Integrals and sums out to an end, each decided convergent or divergent from its tail.

∫₀^∞ g(u) du is taken over pieces [0, 1], [1, 2], [2, 4], …, [2^(j−1), 2^j]
that double in length, out to u = 2^30 (:data:`HORIZON`).  In the
coordinates the integrators use (u = log of the distance from a point, so
that x = e^(2^30) is reached), a family's integrand behaves in a tail like
g(u) ≈ u^m·e^(c·u) (a power of x, times powers of log x), or decays faster,
or grows faster.  The piece integrals I_j tell which:

* **convergent** when a piece is negligible (below the working precision
  relative to the total) and at most half its predecessor: the tail
  shrinks, and what lies beyond is smaller still;
* **divergent** when at the horizon the pieces still do not shrink (c ≥ 0:
  an integrand like 1/x or x^0.1 in x), or when the integrand grows past
  what can be computed (a term e^y with y > 2^40, see :mod:`symkl.numeric.density`)
  while the pieces grow (a polynomial tail against e^(e^u)) — provided p's own mass
  shrinks there: this is a tail of p, not its bulk beyond the horizon;
* **undecided** otherwise (the tail still shrinks at the horizon but has not
  become negligible, as for e^(−u/10⁸)): the integral converges too slowly
  to be computed, and :class:`~symkl.errors.Unsupported` says so rather than
  give a number.

Growth alone decides nothing before the horizon: a tail may grow for a long
way and then fall (Weibull(1, 1/100) against Weibull(2, 1/2) grows until
u ≈ 500 and has KL ≈ 2·10^64).  A tail that stays flat until the horizon and
decays only beyond it, as e^(−u/10⁹) does, counts as divergent: its integral
would exceed 10⁹.

Sums over the integers use blocks of doubling length in the same way, and
stop as soon as the terms decrease and are negligible; a sum still going
after :data:`MOST_TERMS` terms on one side (Poisson(10^14), its bulk 10^7
wide) is refused with :class:`~symkl.errors.Unsupported`.
"""
from __future__ import annotations

import mpmath

from ..errors import Unsupported

#: pieces double out to u = 2^HORIZON
HORIZON = 30
#: the most terms a sum takes on one side of its start
MOST_TERMS = 100_000


def integral(g, floor=0, where: str = "a tail", mass=None):
    """∫₀^∞ g(u) du over doubling pieces: ``(value, error)``, the value ±∞ if it diverges.

    A piece is negligible below the working precision relative to the total
    so far, or below ``floor`` (absolute); ``where`` names the tail in the
    error raised when convergence cannot be decided.  ``mass``, in the same
    coordinate, is p's density, whose mass must be shrinking where the
    integral is called divergent (else p's bulk lies beyond the horizon, as
    for a Gamma with α = 10^-300, and the integral is out of reach).

    >>> with mpmath.workdps(30):
    ...     value, error = integral(lambda u: mpmath.exp(-u) * u)
    ...     mpmath.nstr(value, 20), integral(lambda u: 1 / (1 + u))[0]
    ('1.0', mpf('+inf'))
    """
    watch = _Tail(floor, where)
    j = 0
    while True:
        value, error = mpmath.quad(g, _piece(j), error=True)
        verdict = watch.add(value, error)
        if verdict is not None:
            if mass is not None and mpmath.isinf(verdict[0]) and j > 0:
                last, before = (mpmath.quad(mass, _piece(i)) for i in (j, j - 1))
                if last > before / 2:
                    raise Unsupported(f"{where} is out of reach: p still has mass past "
                                      f"{watch.reach()}, where it does not shrink")
            return verdict
        j += 1


def _piece(j: int) -> list:
    """The j-th piece, [0, 1], [1, 2], [2, 4], …"""
    return [0, 1] if j == 0 else [2 ** (j - 1), 2 ** j]


def series(term, start: int, step: int, stop=None, floor=0, where: str = "a sum"):
    """Σ term(k) for k = start, start + step, … (before ``stop`` if given): ``(value, error)``.

    Terms are summed exactly; blocks of doubling length are watched as
    :func:`integral` watches its pieces.  The sum ends early once a term,
    times the number of terms so far, is negligible and the terms decrease.

    >>> with mpmath.workdps(30):
    ...     mpmath.nstr(series(lambda k: mpmath.mpf(2) ** -k, 0, 1)[0], 20)
    '2.0'
    """
    watch = _Tail(floor, where, pieces="blocks", most=MOST_TERMS)
    block, length, size, previous = mpmath.mpf(0), 0, 1, None
    k = start
    while stop is None or (k - stop) * step < 0:
        t = term(k)
        block += t
        length += 1
        count = abs(k - start) + 1
        if previous is not None and t != 0 and abs(t) <= abs(previous) \
                and watch.negligible(abs(t) * count, block + watch.total):
            return watch.total + block, watch.error + abs(t) * count
        previous = t
        if length == size:
            verdict = watch.add(block, mpmath.mpf(0))
            if verdict is not None:
                return verdict
            block, length, size = mpmath.mpf(0), 0, 2 ** watch.count
        k += step
    return watch.total + block, watch.error


class _Tail:
    """The verdict on a tail, piece by piece (see the module's docstring)."""

    def __init__(self, floor, where, pieces="pieces", most=None):
        self.floor, self.where, self.kind, self.most = floor, where, pieces, most
        self.total = self.error = mpmath.mpf(0)
        self.pieces, self.shrinking = [], False

    @property
    def count(self) -> int:
        return len(self.pieces)

    def negligible(self, size, total) -> bool:
        return size <= max(abs(total) * mpmath.eps * 4, self.floor)

    def add(self, value, error):
        """Take the next piece; ``(value, error)`` once decided, else None."""
        if mpmath.isnan(value):
            raise Unsupported(f"{self.where} has no value: its integrand is +∞ at some points "
                              f"and −∞ at others")
        if mpmath.isinf(value):
            if self.shrinking:
                raise Unsupported(f"{self.where} cannot be computed: its integrand, shrinking "
                                  f"so far, grows past what can be computed after {self.reach()}")
            return (mpmath.inf if value > 0 else -mpmath.inf), mpmath.mpf(0)
        self.total += value
        self.error += error
        previous = self.pieces[-1] if self.pieces else None
        self.pieces.append(value)
        self.shrinking = previous is not None and abs(value) <= abs(previous) / 2
        if self.shrinking and self.negligible(abs(value) + error, self.total):
            return self.total, self.error + abs(value)
        if self.most is not None and 2 ** self.count - 1 >= self.most:
            raise Unsupported(f"{self.where} is not done after {self.reach()} (it takes at most "
                              f"{self.most}): this parameter range is beyond the numeric check")
        if self.most is None and self.count > HORIZON:
            if not self.shrinking:
                return (mpmath.inf if value > 0 else -mpmath.inf), mpmath.mpf(0)
            raise Unsupported(f"cannot tell whether {self.where} converges: it still shrinks after "
                              f"{self.reach()}, but too slowly to be summed")
        return None

    def reach(self) -> str:
        """How far the tail has been followed, in words."""
        if self.kind == "blocks":
            return f"{2 ** self.count - 1} terms"
        return f"{self.count} doubling pieces (out to u = 2^{self.count - 1} in its coordinate)"

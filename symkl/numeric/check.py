"""A closed form checked against the numeric value: :class:`Verification`.

The closed form is a number the caller computed from the expression it
holds; the numeric value comes from the families' log-densities and supports
alone (:mod:`symkl.numeric.quadrature`, :mod:`symkl.numeric.cubature`), so
that a wrong expression, or a mistake of the engine that derived it, shows
as a disagreement.

**Digits.**  ``digits`` counts the significant digits of the numeric value
Q that the closed form C reproduces, with Q's error estimate E taken into
account: Q is known to ⌊log10(|Q|/E)⌋ significant digits, C agrees with Q
on ⌊−log10(|C − Q|/|Q|)⌋ of them, and ``digits`` is the smaller, capped at
``dps``.  It is relative to Q, never absolute: C = 0 against Q = 5e-55 (with
E far below that) agrees on 0 digits.  Where Q is zero within its error
(|Q| ≤ E, as when p = q), its digits are those of the terms that cancelled
to give it: ⌊log10(S/E)⌋, S the integral of the size of the integrand's
terms, and C matches them if |C| ≤ E.  For the digits E includes C's own
rounding, its terms' size times 10^−(dps + GUARD − 3): a closed form holding
an integral cancels to 0 at a tie only to the digits it is computed with.  ∞ against ∞ of the same sign (a
divergent integral confirming a closed form ∞) agrees on all ``dps``
digits, and so does C = Q exactly with E = 0; a closed form that is not a
real number (nan, zoo, a complex value, what sympy cannot evaluate) or ∞
against a finite value agrees on 0.  An integral over the line that the
expression holds unevaluated is integrated as written (its own integrand,
not the log-densities), split at p's landmarks with its tails decided as in
:mod:`symkl.numeric.tails`; any other is evaluated by sympy (``evalf``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import mpmath
import sympy as sp

from . import cubature, quadrature
from ..errors import Unsupported
from .evaluation import numeric_value
from .density import MODULES, LogDensity, to_mpmath, weighted
from .quadrature import GUARD


@dataclass(frozen=True)
class Verification:
    """A closed form checked against quadrature at ``dps`` significant digits.

    ``reason`` says why the quadrature is infinite, where it is.
    """

    closed_form: mpmath.mpf
    quadrature: mpmath.mpf
    error: mpmath.mpf
    digits: int
    dps: int
    reason: Optional[str] = None

    def __str__(self):
        show = max(self.dps, 15)
        because = f"  ({self.reason})" if self.reason and mpmath.isinf(self.quadrature) else ""
        return (f"closed form  {mpmath.nstr(self.closed_form, show)}\n"
                f"quadrature   {mpmath.nstr(self.quadrature, show)}"
                f"  (error estimate {mpmath.nstr(self.error, 3)}){because}\n"
                f"agreement    {self.digits} of {self.dps} significant digits")


def verify(kind: str, families, closed, base=sp.E, dps: int = 50) -> Verification:
    """Check the number ``closed`` (a sympy number: the closed form at the point, exact or
    to ``dps`` + :data:`GUARD` digits) against the numeric ``kind`` of
    ``families`` (p, or p and q, numeric), in ``base``.

    >>> from symkl import Normal
    >>> v = verify("kl", (Normal(0, 1), Normal(0, 1)), sp.Integer(0), dps=30)
    >>> v.quadrature, v.digits
    (mpf('0.0'), 30)
    >>> verify("kl", (Normal(0, 1), Normal(1, 2)), sp.nan, dps=30).digits
    0
    """
    numeric = cubature.estimate if cubature.handles(families[0]) else quadrature.estimate
    value, error, scale, reason = numeric(kind, *families, dps=dps)
    with mpmath.workdps(dps + GUARD):
        c, size = _number_and_size(sp.sympify(closed), families)
        # C's own rounding: its terms of size S, cancelling, are known to S·10^−(dps + GUARD)
        tolerance = max(error, size * mpmath.mpf(10) ** -(dps + GUARD - 3))
        if base != sp.E:
            unit = mpmath.log(to_mpmath(base))
            value, error, scale, tolerance = value / unit, error / unit, scale / unit, tolerance / unit
        return Verification(c, value, error, significant_digits(c, value, tolerance, scale, dps), dps,
                            reason)


def _number_and_size(closed, families):
    """(C, Σ |t|): the closed form as an mpf and the size of its terms t, an integral in a
    term integrated on its own, where the closed form is a sum holding an integral (its
    terms may cancel against the integral's value); else (C, :func:`rounding_size`)."""
    if not (closed.is_Add and closed.has(sp.Integral)):
        c = _number(_integrated(closed, families))
        return c, rounding_size(closed, c)
    values = [_number(_integrated(term, families)) for term in closed.args]
    if any(mpmath.isnan(v) for v in values):
        return mpmath.nan, mpmath.mpf(0)
    if any(mpmath.isinf(v) for v in values):
        return _number(_integrated(closed, families)), mpmath.mpf(0)
    return mpmath.fsum(values), mpmath.fsum(abs(v) for v in values)


def rounding_size(closed, c) -> mpmath.mpf:
    """The size of the terms whose sum is the number ``closed`` (its value ``c``), what its
    rounding at the working precision is relative to: Σ |t| over the terms of a sum (its logs
    may cancel to 0, as D_α(p‖p)'s do at a float σ, where |C| itself would be a rounding
    error's worth), else |C|; 0 where C is not finite."""
    if not mpmath.isfinite(c):
        return mpmath.mpf(0)
    if closed.is_Add and not closed.has(sp.Integral, sp.Sum):
        sizes = [abs(_number(term)) for term in closed.args]
        if all(mpmath.isfinite(size) for size in sizes):
            return max(mpmath.fsum(sizes), abs(c))
    return abs(c)


def _integrated(closed, families):
    """``closed`` with each integral over an interval of the line in it replaced by its value
    (see the module's docstring; ±oo where it diverges); one whose integrand, as written,
    cannot be computed along the way (∞/∞ where its exponentials overflow) is left to sympy."""
    if cubature.handles(families[0]):
        return closed

    def value(integral):
        try:
            return _as_float(_integral(integral, families))
        except Unsupported:
            return integral
    return closed.replace(lambda e: isinstance(e, sp.Integral) and _on_the_line(e), value)


class _Written:
    """An integrand as the closed form writes it, x ↦ f(x), with p's density for the tails'
    test that p's own mass shrinks where they diverge."""

    def __init__(self, integral, p):
        (x, _, _), = integral.limits
        self.f = sp.lambdify(x, integral.function, MODULES)
        self.log_p = LogDensity(p)

    def __call__(self, x):
        value = self.f(x)
        if mpmath.isnan(value):
            raise Unsupported(f"the integrand is not a number at x = {mpmath.nstr(x, 15)}")
        if isinstance(value, mpmath.mpc):
            # 1 − x^a rounded below 0 beside x = 1 makes (1 − x^a)^c complex by a rounding
            # error's worth; more than that is no real integrand
            if abs(value.imag) > _ROUNDING * mpmath.eps * max(1, abs(value.real)):
                raise Unsupported(f"the integrand is not real at x = {mpmath.nstr(x, 15)}")
            value = value.real
        return value

    def density(self, x):
        return weighted(self.log_p(x), 1)


def _on_the_line(integral) -> bool:
    if len(integral.limits) != 1 or len(integral.limits[0]) != 3:
        return False
    x, a, b = integral.limits[0]
    return (integral.function.free_symbols <= {x} and a.is_number and b.is_number
            and a.is_extended_real and b.is_extended_real and bool(a < b))


def _integral(integral, families) -> mpmath.mpf:
    """∫_a^b f(x) dx for an Integral of sympy over numbers a < b, split at the landmarks of
    the families (p and q) inside, each tail through x = c ± s·e^u."""
    (x, a, b), = integral.limits
    f = _Written(integral, families[0])
    points = quadrature.points(families[0], families[1] if len(families) > 1 else None, a, b)
    spacing = quadrature.spacings(points)
    where = f"the integral the closed form holds, ∫ {sp.sstr(integral.function)[:60]} d{x}"
    total = mpmath.mpf(0)
    for lo, hi in zip(points, points[1:]):
        if not mpmath.isfinite(lo):
            value, _ = quadrature.ray(f, hi, -1, spacing[hi], mpmath.inf, 0, f"the lower tail of {where}")
        elif not mpmath.isfinite(hi):
            value, _ = quadrature.ray(f, lo, 1, spacing[lo], mpmath.inf, 0, f"the upper tail of {where}")
        else:
            value, _ = quadrature.between(f, lo, hi, spacing.get(lo, hi - lo), spacing.get(hi, hi - lo), 0)
        total += value
    return total


def _as_float(value):
    """An mpf as a sympy number at the working precision (±oo, nan as sympy's)."""
    if mpmath.isnan(value):
        return sp.nan
    if mpmath.isinf(value):
        return sp.oo if value > 0 else -sp.oo
    return sp.Float(value, mpmath.mp.dps)


#: how many units of the working precision's rounding an imaginary part may be and still be
#: rounding (a value is real)
_ROUNDING = 2 ** 10


def _number(closed) -> mpmath.mpf:
    """The closed form as an mpf at the working precision (an integral or a sum left in it
    evaluated by :func:`symkl.numeric.evaluation.numeric_value`: mpmath's quadrature of the integrand
    as written, where sympy's evalf takes minutes); nan if it is no real number."""
    closed = sp.sympify(closed)
    # free symbols, not is_number: sympy calls hyper((−17/20, 31/20), (51/20,), 7/10) no number
    if closed.has(sp.nan, sp.zoo) or closed.free_symbols:
        return mpmath.nan
    try:
        if closed.has(sp.Integral, sp.Sum):
            closed = numeric_value(closed, mpmath.mp.dps)
        value = to_mpmath(closed)
    except (TypeError, ValueError):  # what sympy cannot evaluate
        return mpmath.nan
    if mpmath.isinf(value) or mpmath.im(value) == 0:
        return value
    # a special function (sympy's Meijer G) evaluated on a branch cut: an imaginary part of a
    # rounding error's worth is no imaginary part; more than that is no real number
    if abs(mpmath.im(value)) <= _ROUNDING * mpmath.eps * max(1, abs(mpmath.re(value))):
        return mpmath.re(value)
    return mpmath.nan


def significant_digits(closed, value, error, scale, dps: int) -> int:
    """The significant digits of ``value`` (± ``error``) that ``closed`` reproduces (see the
    module's docstring); ``scale`` is the size of the terms that gave ``value``.

    >>> significant_digits(mpmath.mpf(0), mpmath.mpf("5e-55"), mpmath.mpf("1e-70"), 1, 50)
    0
    >>> significant_digits(mpmath.mpf("1.23456"), mpmath.mpf("1.23457"), mpmath.mpf("1e-9"), 1, 50)
    5
    """
    if mpmath.isnan(closed) or mpmath.isnan(value):
        return 0
    if mpmath.isinf(closed) or mpmath.isinf(value):
        return dps if closed == value else 0
    if closed == value and error == 0:
        return dps
    if abs(value) <= error:
        if abs(closed) > error:
            return 0
        if not scale:  # the integrand vanished everywhere: 0 exactly, C within its own rounding
            return dps
        return int(max(0, min(dps, mpmath.floor(mpmath.log10(scale / error)))))
    known = mpmath.floor(mpmath.log10(abs(value) / error)) if error else dps
    matched = mpmath.floor(-mpmath.log10(abs(closed - value) / abs(value))) if closed != value else dps
    return int(max(0, min(dps, known, matched)))

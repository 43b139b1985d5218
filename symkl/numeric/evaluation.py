"""Numbers from exact expressions, sums over thousands of terms included.

``sympy.N`` evaluates a finite ``Sum`` by methods made for infinite series,
and over thousands of terms of very different sizes (a Binomial's
Σ C(n, i) p^i (1 − p)^(n−i) log C(n, i) for n = 5000) it can return 0.  Here
each finite sum with numeric limits is added up term by term in mpmath at
guard precision first.  A series to ∞ of numbers is summed by mpmath's Levin
u-transform at two precisions 20 digits apart, taken where the two agree to
the digits asked for (it reaches series whose terms decay like m^(−1−b), where
sympy's evalf may not finish).  A definite integral of numbers is taken by
mpmath's tanh-sinh quadrature split at the kinks of its |·| terms, likewise at
two precisions (sympy's evalf gives 4 digits of ∫ e^{−x}|x − c|^{1/2} and says
nothing); the rest is left to sympy.
"""
from __future__ import annotations

import math

import mpmath
import sympy as sp
from sympy.printing.pycode import MpmathPrinter

#: digits carried beyond those asked for
_GUARD = 10
#: functions called as mpmath's own (printed otherwise as gamma functions of huge factorials)
_COUNTING = ("binomial", "factorial")


def numeric_value(expr, n: int = 15) -> sp.Expr:
    """``expr`` evaluated to ``n`` significant digits, finite sums added term by term.

    >>> i = sp.Symbol("i", integer=True)
    >>> numeric_value(sp.Sum(sp.binomial(5000, i) * sp.Rational(1, 2)**5000, (i, 0, 5000)))
    1.00000000000000
    """
    expr = sp.sympify(expr)
    sums = {s: _added(s, n) for s in expr.atoms(sp.Sum) if _finite(s)}
    for s in expr.atoms(sp.Sum):
        if _to_infinity(s):
            value = _series(s, n)
            if value is not None:
                sums[s] = value
    for integral in expr.atoms(sp.Integral):
        value = _integrated(integral, n)
        if value is not None:
            sums[integral] = value
    return sp.N(expr.xreplace(sums), n)


def _integrated(integral, n):
    """∫ f at ``n`` digits by tanh-sinh split at the kinks of f's |·| terms (and at 0 of an
    infinite range), at two precisions 20 digits apart; None where they disagree, or
    where f holds a symbol besides the variable, or mpmath fails."""
    if len(integral.limits) != 1 or len(integral.limits[0]) != 3:
        return None
    (x, lower, upper), f = integral.limits[0], integral.function
    if f.free_symbols - {x} or not (lower.is_number and upper.is_number):
        return None
    kinks = set()
    for absolute in f.atoms(sp.Abs):
        line = absolute.args[0].as_poly(x)
        if line is not None and line.degree() == 1:
            kinks.add(-line.coeff_monomial(1) / line.coeff_monomial(x))
    if lower.is_infinite or upper.is_infinite:
        kinks.add(sp.S.Zero)
    inside = sorted(float(k) for k in kinks if k.is_real and (lower < k) == True and (k < upper) == True)
    try:
        compiled = sp.lambdify(x, f, "mpmath")
    except (ValueError, TypeError, NameError):
        return None
    values = []
    for digits in (n + _GUARD, n + _GUARD + 20):
        with mpmath.workdps(digits):
            ends = [mpmath.mpf(sp.N(e, digits)) if e.is_finite else mpmath.inf if e == sp.oo
                    else -mpmath.inf for e in (lower, upper)]
            points = [ends[0], *(mpmath.mpf(sp.N(k, digits)) for k in inside), ends[1]]
            try:
                values.append(mpmath.quad(compiled, points))
            except (ArithmeticError, ValueError, TypeError):
                return None
    return _agreed(*values, n)


def _agreed(low, high, n):
    """The value at the higher of two precisions, where it is real and finite and both agree
    to ``n`` digits; else None."""
    if isinstance(high, mpmath.mpc) or not (mpmath.isfinite(low) and mpmath.isfinite(high)):
        return None
    with mpmath.workdps(n + _GUARD + 20):
        if abs(high - low) > mpmath.mpf(10) ** -(n + 1) * max(1, abs(high)):
            return None
    return sp.Float(high, n + _GUARD)


def _to_infinity(s) -> bool:
    if len(s.limits) != 1 or s.function.free_symbols - {s.limits[0][0]}:
        return False
    _, lower, upper = s.limits[0]
    return lower.is_Integer and upper == sp.oo


def _series(s, n):
    """Σ_{k ≥ k₀} t_k at ``n`` digits by the Levin u-transform, or None where two precisions
    disagree (or mpmath fails)."""
    (index, lower, _), = s.limits
    term = _term(s.function, index)
    values = []
    for digits in (n + _GUARD, n + _GUARD + 20):
        with mpmath.workdps(digits):
            try:
                values.append(mpmath.nsum(term, [int(lower), mpmath.inf], method="levin"))
            except (ArithmeticError, ValueError, TypeError):
                return None
    return _agreed(*values, n)


def _finite(s) -> bool:
    if len(s.limits) != 1 or s.function.free_symbols - {s.limits[0][0]}:
        return False
    _, lower, upper = s.limits[0]
    return lower.is_Integer and upper.is_Integer


def _added(s, n):
    """The sum at ``n`` digits and guard digits, with more where its terms cancel."""
    (index, lower, upper), = s.limits
    points = range(int(lower), int(upper) + 1)
    term = _term(s.function, index)
    digits = n + _GUARD + int(math.log10(len(points) + 1))
    for _ in range(4):
        with mpmath.workdps(digits):
            values = [term(k) for k in points]
            total, size = mpmath.fsum(values), mpmath.fsum(abs(v) for v in values)
            lost = 0 if total == 0 and size == 0 else \
                int(mpmath.log10(size / abs(total))) if total else digits
            if lost <= _GUARD // 2:
                return sp.Float(total, digits)
        digits += lost
    return sp.Float(total, digits)  # a sum of terms that cancel to 0 at every precision tried


def _term(summand, index):
    """k ↦ the summand at k as an mpmath number at the working precision.

    Compiled for mpmath where the summand prints as code (the summand holds no
    symbol but the index: nothing of a user's reaches the code), else each term
    evaluated exactly by sympy first.
    """
    printer = MpmathPrinter({"fully_qualified_modules": False, "inline": True,
                             "user_functions": {name: name for name in _COUNTING}})
    modules = [{name: getattr(mpmath, name) for name in _COUNTING}, "mpmath"]
    try:
        compiled = sp.lambdify(index, summand, modules, printer=printer)
    except ValueError:  # an integer too long to print as code
        return lambda k: mpmath.mpmathify(sp.N(summand.xreplace({index: k}), mpmath.mp.dps))
    return lambda k: mpmath.mpmathify(compiled(mpmath.mpf(k)))

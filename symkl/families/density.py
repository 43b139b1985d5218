"""Distributions a user writes down: a density (or its log) in sympy, a variable, a support.

``from_density`` makes one small family class per call, as if the user had
written it: its parameters are the density's free symbols other than the
variable (with their assumptions), its log-density the density's logarithm,
its support the given set.  Everything else is derived by the engine as for
the built-in families: the exponential-family structure, if there is one,
comes from the density itself.

>>> import sympy as sp
>>> x, a = sp.Symbol("x", positive=True), sp.Symbol("a", positive=True)
>>> maxwell = from_density(sp.sqrt(2 / sp.pi) * x**2 * sp.exp(-x**2 / (2 * a**2)) / a**3, x,
...                        sp.Interval(0, sp.oo), name="Maxwell")
>>> maxwell
Maxwell(a)
>>> maxwell.with_parameters(a="b")
Maxwell(b)
"""
from __future__ import annotations

import random
import re
import warnings

import mpmath
import sympy as sp

from ..errors import InvalidInput, InvalidType
from .base import POSITIVE, POSITIVE_INTEGER, REAL, Distribution, Parameter, shown

#: seconds sympy may take to integrate the density (to check that it integrates to 1)
_FOR_THE_MASS = 10.0
#: how far from 1 a numeric mass may be (the check runs at 30 digits)
_MASS_TOLERANCE = mpmath.mpf(10) ** -20
#: the most drawn parameter points at which a density is checked numerically
_CHECKS = 8


def from_density(density, x, support, *, name=None, log=False) -> Distribution:
    """The distribution with density ``density`` in the variable ``x`` on ``support``.

    Parameters
    ----------
    density : sympy expression
        The density (or mass function) at ``x``; with ``log=True``, its logarithm.
    x : sympy Symbol
        The variable.
    support : sympy Set
        Where the density is positive: an ``Interval`` (``sp.Reals`` too) for a
        continuous distribution, a ``Range`` (``sp.Range(0, sp.oo)``) or a
        ``FiniteSet`` of integers for a discrete one.
    name : str, optional
        What it is called (a name: letters, digits, underscores); LaTeX writes
        it with its parameters, ``p(x; θ)`` without one.
    log : bool
        ``density`` is the log-density.

    The parameters are the free symbols of ``density`` other than ``x``, in
    alphabetical order, each with its assumptions (positive, real, a positive
    integer); a symbol without assumptions is taken to be real, and a warning
    says so.  The density must integrate (or sum) to 1 over the support,
    checked symbolically where sympy can and at drawn parameters otherwise,
    and be nonnegative there; else InvalidInput says what is wrong.

    Examples
    --------
    >>> import sympy as sp, symkl as sk
    >>> x = sp.Symbol("x", real=True)
    >>> mu, s = sp.Symbol("mu", real=True), sp.Symbol("s", positive=True)
    >>> normal = sk.from_density(sp.exp(-(x - mu)**2 / (2 * s**2)) / sp.sqrt(2 * sp.pi * s**2), x, sp.Reals)
    >>> sk.kl(normal, sk.Normal(0, 1)).expr
    mu**2/2 + s**2/2 - log(s) - 1/2
    >>> sk.from_density(sp.exp(-x), x, sp.Reals)
    Traceback (most recent call last):
    ...
    symkl.errors.InvalidInput: the density exp(-x) does not integrate to 1 over Reals: its integral is oo
    """
    if not isinstance(x, sp.Symbol):
        raise InvalidType(f"from_density: the variable must be a sympy Symbol, got {shown(x)}")
    if not isinstance(density, sp.Basic):
        try:
            density = sp.sympify(density, strict=True)
        except sp.SympifyError:
            raise InvalidType(f"from_density: the density must be a sympy expression, "
                              f"got {type(density).__name__} {shown(density)}") from None
    if not isinstance(density, sp.Expr):
        raise InvalidType(f"from_density: the density must be a sympy expression, got {shown(density)}")
    support = _as_support(support, x)
    discrete = _is_discrete(support)
    if name is not None and (not isinstance(name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name)):
        raise InvalidInput(f"from_density: the name must be letters, digits and underscores, "
                           f"a letter first, got {shown(name)}")
    symbols = sorted((density.free_symbols | support.free_symbols) - {x}, key=lambda s: s.name)
    for s in symbols:
        if s.name == x.name:
            raise InvalidInput(f"from_density: the parameter {s.name!r} has the variable's name; "
                               f"give it another")
    real = {s: sp.Symbol(s.name, real=True) for s in symbols if s.is_extended_real is None}
    if real:
        warnings.warn(f"from_density: {', '.join(sorted(map(str, real)))} taken to be real "
                      f"(give the symbols assumptions, e.g. positive=True, to say otherwise)",
                      stacklevel=2)
        density, support = density.xreplace(real), support.xreplace(real)
        symbols = [real.get(s, s) for s in symbols]
    parameters = tuple(_parameter(s) for s in symbols)
    log_density = density if log else _log_of(density, x, support)
    if log_density.has(sp.zoo, sp.nan) or log_density.is_extended_real is False:
        raise InvalidInput(f"from_density: the {'log-' if log else ''}density {shown(density)} "
                           f"is not a real function of {x}")
    cls = type(name or "Density", (Density,), {
        "parameters": parameters,
        "notation": _notation(name, len(parameters)),
        "discrete": discrete,
        "_variable": x, "_log_density": log_density, "_support": support, "_symbols": tuple(symbols),
        "__module__": __name__,
        "__doc__": f"{name or 'A density'} given by the user: {shown(density, 200)} on {support}.",
    })
    family = cls(*symbols)  # the user's own symbols: kept, never renamed
    family.check_normalised(shown(density), log)
    return family


class Density(Distribution):
    """The base of the classes :func:`from_density` makes (a class per density)."""

    _variable: sp.Symbol
    _log_density: sp.Expr
    _support: sp.Set
    _symbols: tuple

    def _check_together(self):
        for value in self.args:
            if sp.sympify(value).has(self._variable):
                raise InvalidInput(f"{type(self).__name__}: a parameter may not hold the variable "
                                   f"{self._variable}, got {shown(value)}")

    def _bound(self) -> dict:
        return dict(zip(self._symbols, self.args))

    @property
    def support(self):
        return self._support.xreplace(self._bound())

    def log_density(self, x):
        return self._log_density.xreplace({**self._bound(), self._variable: x})

    def with_parameters(self, args=None, **named):
        """The same density with other parameter values, by position or by name:
        ``p.with_parameters(a="b")``."""
        if args is None:
            args = list(self.args)
        elif named:
            raise InvalidType(f"{type(self).__name__}.with_parameters: give the values by "
                              f"position or by name, not both")
        names = [p.name for p in self.parameters]
        args = list(args)
        for key, value in named.items():
            if key not in names:
                raise InvalidInput(f"{type(self).__name__} has no parameter {key!r}; it has "
                                   f"{', '.join(names) or 'none'}")
            args[names.index(key)] = value
        return type(self)(*args)

    def landmarks(self):
        """The modes of a density with numbers for parameters, and a few widths either side
        (1/√(−ℓ'') at a mode, ℓ the log-density), where quadrature should split."""
        if self.free_symbols or self.discrete:
            return ()
        x = sp.Dummy("x", real=True)
        ell = self.log_density(x)
        slope, curvature = sp.diff(ell, x), sp.diff(ell, x, 2)
        points = []
        for start in _starts(self.support):
            try:
                mode = sp.nsolve(slope, x, start, prec=30)
            except (ValueError, ZeroDivisionError, TypeError, NotImplementedError):
                continue
            if not mode.is_real or not self.support.contains(mode) == sp.true:
                continue
            bend = sp.N(curvature.xreplace({x: mode}), 30)
            width = 1 / sp.sqrt(-bend) if bend.is_negative else None
            points += [mode] if width is None else [mode + k * width for k in (-8, -2, 0, 2, 8)]
        inside = [p for p in points if self.support.contains(p) == sp.true]
        return tuple(sorted(set(inside)))

    def check_normalised(self, shown_density: str, log: bool) -> None:
        """InvalidInput unless the density is nonnegative and integrates (sums) to 1."""
        what = f"the {'log-' if log else ''}density {shown_density}"
        mass = self._symbolic_mass()
        if mass is not None:
            if mass.is_number and mass != 1 and not sp.simplify(mass - 1) == 0:
                raise InvalidInput(f"{what} does not {self._integrates} to 1 over "
                                   f"{self._support}: its {self._integral} is {shown(mass)}")
            if sp.simplify(mass - 1) == 0 and not self.free_symbols:
                negative = self._negative_at()
                if negative is not None:
                    raise InvalidInput(f"{what} is negative (or not real) at {self._variable} = {negative}")
                return None
            if sp.simplify(mass - 1) == 0:
                return None
        # a parameter is constrained by its assumptions only (a probability given as a positive
        # symbol may be drawn > 1), so a density passes where it is right at one of a few draws
        rng, first = random.Random(0), None
        for _ in range(_CHECKS if self.free_symbols else 1):
            point = self.sample(rng) if self.free_symbols else {}
            problem = self.subs(point)._problem(what, point)
            if problem is None:
                return None
            first = first or problem
        if mass is not None and ("integrate to 1" in first or "sum to 1" in first):
            first = (f"{what} does not {self._integrates} to 1 over {self._support}: its "
                     f"{self._integral} is {shown(mass)}")  # as sympy found it, now confirmed
        raise InvalidInput(first)

    def _problem(self, what, point):
        """What is wrong with the density at numbers for its parameters, or None."""
        at = ", ".join(f"{k} = {v}" for k, v in sorted(point.items(), key=str))
        at = f"at {at}, " if at else ""
        negative = self._negative_at()
        if negative is not None:
            return f"{what} is negative (or not real) {at}at {self._variable} = {negative}"
        with mpmath.workdps(30):
            value = self._numeric_mass()
            if not mpmath.isfinite(value) or abs(value - 1) > _MASS_TOLERANCE:
                return (f"{what} does not {self._integrates} to 1 over {self._support}: "
                        f"{at}its {self._integral} is {mpmath.nstr(value, 15)}")
        return None

    @property
    def _integrates(self):
        return "sum" if self.discrete else "integrate"

    @property
    def _integral(self):
        return "sum" if self.discrete else "integral"

    def _symbolic_mass(self):
        """∫ (or Σ) of the density over the support by sympy within a budget, or None."""
        from ..engine.budget import OutOfTime, within
        x = self._variable
        density = sp.exp(self._log_density)
        support = self._support
        try:
            if self.discrete:
                if isinstance(support, sp.FiniteSet):
                    return sp.Add(*(density.xreplace({x: k}) for k in support))
                found = within(_FOR_THE_MASS, lambda: sp.summation(density, (x, support.inf, support.sup)))
            else:
                found = within(_FOR_THE_MASS, lambda: sp.integrate(
                    density, (x, support.inf, support.sup), conds="none"))
        except (OutOfTime, NotImplementedError, ValueError, TypeError, AttributeError):
            return None
        if found is None or found.has(sp.Integral, sp.Sum, sp.Piecewise):
            return None
        return found

    def _numeric_mass(self) -> mpmath.mpf:
        """∫ (or Σ) of the density over the support, numerically, at the current precision."""
        x = sp.Dummy("x", real=True)
        density = sp.lambdify(x, sp.exp(self.log_density(x)), "mpmath")
        support = self.support
        if self.discrete:
            if isinstance(support, sp.FiniteSet):
                return mpmath.fsum(density(int(k)) for k in support)
            top = mpmath.inf if support.sup == sp.oo else int(support.sup)
            return mpmath.nsum(density, [int(support.inf), top])
        ends = [mpmath.mpf(sp.N(e, 40)) if e.is_finite else (mpmath.inf if e > 0 else -mpmath.inf)
                for e in (support.inf, support.sup)]
        inner = [mpmath.mpf(sp.N(p, 40)) for p in self.landmarks()]
        inner = [p for p in inner if ends[0] < p < ends[1]]
        if not inner and not (mpmath.isfinite(ends[0]) and mpmath.isfinite(ends[1])):
            inner = [ends[0] + 1 if mpmath.isfinite(ends[0]) else ends[1] - 1 if mpmath.isfinite(ends[1])
                     else mpmath.mpf(0)]
        return mpmath.quad(density, [ends[0], *sorted(set(inner)), ends[1]])

    def _negative_at(self):
        """A point of the support where the density (numbers for parameters) is negative
        or the log-density not real, or None."""
        x = sp.Dummy("x", real=True)
        ell = self.log_density(x)
        for point in _probes(self.support):
            value = sp.N(ell.xreplace({x: point}), 20)
            if value.has(sp.I) and abs(sp.im(value)) > 1e-15:
                return point
        return None


def _as_support(support, x) -> sp.Set:
    if not isinstance(support, sp.Set):
        raise InvalidType(f"from_density: the support must be a sympy Set (sp.Interval(0, sp.oo), "
                          f"sp.Reals, sp.Range(0, sp.oo)), got {type(support).__name__} {shown(support)}")
    if support.free_symbols & {x}:
        raise InvalidInput(f"from_density: the support {support} may not depend on the variable {x}")
    if support in (sp.Naturals0, sp.Naturals):
        support = sp.Range(int(support.inf), sp.oo)
    if isinstance(support, sp.FiniteSet) and not all(k.is_integer for k in support):
        raise InvalidInput(f"from_density: a finite support must hold integers, got {support}")
    if not isinstance(support, (sp.Interval, sp.Range, sp.FiniteSet)):
        raise InvalidInput(f"from_density: the support must be an interval, a Range or a finite set "
                           f"of integers, got {support}")
    if support.is_empty:
        raise InvalidInput(f"from_density: the support {support} is empty")
    return support


def _is_discrete(support) -> bool:
    return isinstance(support, (sp.Range, sp.FiniteSet))


def _parameter(symbol) -> Parameter:
    """A parameter named after ``symbol`` with the constraint its assumptions say."""
    if symbol.is_integer and symbol.is_positive:
        constraint = POSITIVE_INTEGER
    elif symbol.is_positive:
        constraint = POSITIVE
    else:
        constraint = REAL
    return Parameter(symbol.name, constraint, sp.latex(symbol))


def _notation(name, count) -> str:
    """LaTeX with one ``{}`` per parameter: ``\\operatorname{Maxwell}\\left({}\\right)``, or p(x; θ)."""
    slots = ", ".join(["{}"] * count)
    if name is None:
        return rf"p\left(x; {slots}\right)" if count else "p"
    head = rf"\operatorname{{{{{name}}}}}"
    return rf"{head}\left({slots}\right)" if count else head


def _log_of(density, x, support):
    """log of the density, its logarithms split where the factors are positive on the support."""
    inside = sp.Dummy("x", positive=True) if support.inf.is_nonnegative else sp.Dummy("x", real=True)
    log_density = sp.expand_log(sp.log(sp.powsimp(density.xreplace({x: inside}))), force=False)
    # log(b^e) = e·log b for a base b of parameters alone: b^e is positive on the support for
    # valid parameters, and b^e > 0 for every e (the exponent moving with x) needs b > 0
    log_density = log_density.replace(
        lambda e: isinstance(e, sp.log) and e.args[0].is_Pow and not e.args[0].base.has(inside)
        and e.args[0].exp.has(inside),
        lambda e: e.args[0].exp * sp.log(e.args[0].base))
    # products of sums multiplied out, powers of sums ((x − μ)⁴) kept
    return sp.expand(log_density.xreplace({inside: x}), multinomial=False)


def _starts(support):
    """Points from which to look for modes."""
    lower, upper = support.inf, support.sup
    if lower.is_finite and upper.is_finite:
        return [lower + (upper - lower) * k / 4 for k in (1, 2, 3)]
    if lower.is_finite:
        return [lower + k for k in (sp.Rational(1, 2), 1, 3)]
    if upper.is_finite:
        return [upper - k for k in (sp.Rational(1, 2), 1, 3)]
    return [-2, 0, 2]


def _probes(support):
    """A few points inside the support, where a density's sign is checked."""
    if isinstance(support, sp.FiniteSet):
        return list(support)
    if isinstance(support, sp.Range):
        start = support.inf
        return [start + k for k in range(5) if support.contains(start + k) == sp.true]
    lower, upper = support.inf, support.sup
    if lower.is_finite and upper.is_finite:
        return [lower + (upper - lower) * sp.Rational(k, 8) for k in range(1, 8)]
    if lower.is_finite:
        return [lower + sp.Rational(k, 4) for k in (1, 2, 4, 8, 16, 40)]
    if upper.is_finite:
        return [upper - sp.Rational(k, 4) for k in (1, 2, 4, 8, 16, 40)]
    return [sp.Rational(k, 2) for k in (-20, -6, -2, -1, 0, 1, 2, 6, 20)]

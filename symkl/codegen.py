"""Numeric functions and source code from derived results.

:func:`lambdify` turns a closed form into a function of its parameters, taken
by name, for numpy (scipy.special for ψ, log Γ and the like), math or mpmath
(jax or torch when installed); :func:`code` writes it as Python, C or Fortran
source.  Both start from the same float form (:func:`float_form`) and take
the parameters in the same order: p's, in the order its family declares
them, then q's.

Values
    numpy: a scalar parameter is an array of any shape, all broadcast
    together (the batch); a vector (a mean, or the entries x[i] of a
    symbolic-length sum) is an array (..., k), its last axis the
    coordinates; a matrix is an array (..., k, k).  math and mpmath take one
    point: numbers, sequences for vectors, nested sequences for matrices;
    mpmath computes at ``mpmath.mp.dps`` digits.  A dimension (the k of a
    MultivariateNormal, the K of a Dirichlet or a Categorical) is read from
    the arrays' shapes and is no parameter.

Names
    No parameter name reaches code that runs.  :func:`lambdify` writes its
    function in placeholder names and maps the caller's names onto them.
    :func:`code` keeps a name where it is an identifier of the language that
    is no keyword and that the generated code does not use otherwise (``math``,
    ``log``, a helper's name); else it writes a replacement, listed in a
    comment of the source and always the same for the same names: each run
    of characters a name cannot hold becomes ``_``, a name that does not
    begin with a letter gets a ``p`` before it, and a name still reserved or
    taken gets ``_`` after it (then ``_2``, ``_3`` …).
"""
from __future__ import annotations

import builtins
import functools
import keyword
import math
import operator
import re
import textwrap
from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.codegen.cfunctions import log1p
from sympy.printing.c import C99CodePrinter
from sympy.printing.codeprinter import PrintMethodNotImplementedError
from sympy.printing.fortran import FCodePrinter
from sympy.printing.numpy import SciPyPrinter
from sympy.printing.pycode import MpmathPrinter, PythonCodePrinter

from .engine.budget import OutOfTime, within
from .errors import InvalidInput, InvalidType, Unsupported

#: backends sympy.lambdify knows by a module name
BACKENDS = ("numpy", "math", "mpmath", "jax", "torch")
#: languages ``code`` writes
LANGUAGES = ("python", "c", "fortran")
#: what to install for the numpy backend
_NUMERIC = "pip install symkl[numeric]"


# -- the float form ----------------------------------------------------------------------------
class log1pmx(sp.Function):
    """log(1 + t) − t, which generated code evaluates without cancellation near t = 0.

    For |t| < 1/2, with u = t/(2 + t): log(1 + t) − t = −u·t + 2u³·Σ_j u^{2j}/(2j + 3)
    (log(1 + t) = 2·atanh(u)), both parts of size t²; elsewhere log1p(t) − t.
    """

    nargs = 1

    def _eval_rewrite_as_log(self, t, **kwargs):
        return sp.log(1 + t) - t

    def _eval_evalf(self, prec):
        return self.rewrite(sp.log)._eval_evalf(prec)

    def _call(self, printer):
        """Printed as a call of ``log1pmx``, which generated code defines (or lambdify is given)."""
        return f"log1pmx({printer._print(self.args[0])})"

    _ccode = _pythoncode = _numpycode = _lambdacode = _call


def near_equal(result, expr):
    """For p and q of one family: the form that keeps its digits as q approaches p, or None.

    A KL is of second order in the difference of the parameters, while the
    terms of its closed form are of order one: evaluated as written, p ≈ q
    leaves only rounding.  Here each c·log(a/b) becomes c·log1pmx(t) + c·t with
    t = (a − b)/b, and the rational rest, with c·t added, is written in the
    differences δ = θ_q − θ_p (each monomial then carries its powers of δ):

    ``log(s2/s1) − 1/2 + s1²/(2·s2²)`` → ``log1pmx(t) + (s2 − s1)²·(s1 + 2·s2)/(2·s1·s2²)``,
    t = (s2 − s1)/s1, where |t| < 1/2 for every log, and the plain form elsewhere.
    """
    p, q = result.p, result.q
    if q is None or type(p) is not type(q):
        return None
    pairs = [(a, b) for a, b in zip(p.args, q.args)
             if isinstance(a, sp.Symbol) and isinstance(b, sp.Symbol) and a != b]
    logs, rest = [], sp.S.Zero
    for term in sp.Add.make_args(expr):
        coefficient, function = term.as_independent(sp.log, as_Add=False)
        if isinstance(function, sp.log) and not coefficient.has(sp.Function):
            a, b = sp.fraction(function.args[0])
            logs.append((coefficient, sp.factor_terms(sp.expand(a - b)) / b))
        elif term.has(sp.Function, sp.Piecewise):
            return None
        else:
            rest += term
    if not pairs or not logs:
        return None
    deltas = {b: a + sp.Dummy(real=True) for a, b in pairs}  # θ_q = θ_p + δ
    differences = [shifted - a for (a, _), shifted in zip(pairs, deltas.values())]
    rational = sp.cancel(sp.together((rest + sum(c * t for c, t in logs)).xreplace(deltas)))
    numerator, denominator = sp.fraction(rational)
    written = (sp.Add(*(c * log1pmx(t) for c, t in logs))
               + sp.collect(sp.expand(numerator), differences) / sp.factor(denominator))
    written = written.xreplace({d: b - a for d, (a, b) in zip(differences, pairs)})
    near = sp.And(*(sp.Abs(t) < sp.S.Half for _, t in logs))
    return sp.Piecewise((written, near), (stable(expr), True))


def stable(expr):
    """The same value written for floating point.

    * log(1 + x) → log1p(x), exact near x = 0; log(1 + eˣ) → max(x, 0) + log1p(e^−|x|)
      (eˣ alone would overflow);
    * log(a/b) → log1p((a − b)/b) where a/b lies within a factor 1.5 of 1, with
      a − b simplified first: ``log((1 - p)/(1 - q))`` uses ``q - p``, exact
      even when p and q are tiny; elsewhere log(a/b) as it is.

    >>> x, a, b = sp.symbols("x a b", positive=True)
    >>> stable(sp.log(1 + x))
    log1p(x)
    >>> stable(sp.log(a/b))
    Piecewise((log1p((a - b)/b), (a < 3*b/2) & (b < 3*a/2)), (log(a/b), True))
    """
    def rewrite(log):
        argument = log.args[0]
        if argument.is_Add and 1 in argument.args:
            rest = argument - 1
            if isinstance(rest, sp.exp):  # max(x, 0) + log1p(exp(-|x|)), exactly so
                x = rest.args[0]
                return (x + sp.Abs(x)) / 2 + log1p(sp.exp(-sp.Abs(x)))
            return log1p(rest)
        a, b = sp.fraction(argument)
        if b == 1 or argument.is_number:
            return log
        near_one = sp.And(a < 3 * b / 2, b < 3 * a / 2)
        return sp.Piecewise((log1p(sp.factor_terms(sp.expand(a - b)) / b), near_one), (log, True))

    return expr.replace(lambda e: isinstance(e, sp.log), rewrite)


class erfcx(sp.Function):
    """erfcx(x) = exp(x²)·erfc(x), the scaled complementary error function, of size 1/(x√π)
    for large x where erfc(x) underflows."""

    nargs = 1

    def _eval_rewrite_as_erfc(self, x, **kwargs):
        return sp.exp(x ** 2) * sp.erfc(x)

    def _eval_evalf(self, prec):
        return self.rewrite(sp.erfc)._eval_evalf(prec)

    def _call(self, printer):
        return f"erfcx({printer._print(self.args[0])})"

    _ccode = _pythoncode = _call

    def _numpycode(self, printer):
        return f"{printer._module_format('scipy.special.erfcx')}({printer._print(self.args[0])})"

    def _fcode(self, printer):
        return f"erfc_scaled({printer._print(self.args[0])})"


def complementary(expr):
    """Error functions written so that no digit is lost where erf(c) approaches ±1.

    * u·erf(c) − u → −u·erfc(c), and u·erf(c) + u → u·erfc(−c), in any sum;
    * exp(a)·erfc(c) → exp(a − c²)·erfcx(c) where c > 0 (erfc(c) underflows, and exp(a)
      may overflow, where their product does not), the exponent in its shortest form.

    >>> a, c = sp.symbols("a c", real=True)
    >>> complementary(sp.exp(a + c**2) * sp.erf(c) - sp.exp(a + c**2))
    Piecewise((-exp(a)*erfcx(c), c > 0), (-exp(a + c**2)*erfc(c), True))
    """
    def combined(add):
        terms = list(add.args)
        for t in add.args:
            for f in (f for f in sp.Mul.make_args(t) if isinstance(f, sp.erf)):
                u = t / f
                for partner, written in ((-u, -u * sp.erfc(f.args[0])), (u, u * sp.erfc(-f.args[0]))):
                    if t in terms and partner in terms:
                        terms.remove(t)
                        terms.remove(partner)
                        terms.append(written)
        return sp.Add(*terms)

    def scaled(product):
        (e,), (f,) = ([g for g in product.args if isinstance(g, kind)] for kind in (sp.exp, sp.erfc))
        c = f.args[0]
        exponent = e.args[0] - c ** 2
        exponent = min((exponent, sp.factor(exponent), sp.cancel(exponent)), key=sp.count_ops)
        rest = sp.Mul(*(g for g in product.args if g not in (e, f)))
        return sp.Piecewise((rest * sp.exp(exponent) * erfcx(c), c > 0), (product, True))

    def one_each(e):
        return e.is_Mul and [isinstance(g, sp.exp) for g in e.args].count(True) == 1 \
            and [isinstance(g, sp.erfc) for g in e.args].count(True) == 1

    expr = expr.replace(lambda e: e.is_Add and e.has(sp.erf), combined)
    return expr.replace(one_each, scaled)


class gammaincc(sp.Function):
    """Q(a, x) = Γ(a, x)/Γ(a), the regularized upper incomplete gamma function (a > 0, x ≥ 0).

    Generated code takes Γ(a, x) as Γ(a)·Q(a, x): scipy, and the helpers of
    :data:`PYTHON_SOURCE` and :data:`C_SOURCE`, compute Q, which neither
    overflows nor needs Γ(a) where a quotient by Γ(a) cancels it.
    """

    nargs = 2

    def _eval_rewrite_as_uppergamma(self, a, x, **kwargs):
        return sp.uppergamma(a, x) / sp.gamma(a)

    def _eval_evalf(self, prec):
        return self.rewrite(sp.uppergamma)._eval_evalf(prec)

    def _call(self, printer):
        return f"gammaincc({printer._print(self.args[0])}, {printer._print(self.args[1])})"

    _ccode = _pythoncode = _call

    def _numpycode(self, printer):
        return (f"{printer._module_format('scipy.special.gammaincc')}"
                f"({printer._print(self.args[0])}, {printer._print(self.args[1])})")


def regularized(expr):
    """Γ(a, x) written Γ(a)·Q(a, x) (:class:`gammaincc`) where a is positive.

    >>> a, x = sp.symbols("a x", positive=True)
    >>> regularized(sp.uppergamma(a, x) / sp.gamma(a))
    gammaincc(a, x)
    """
    return expr.replace(lambda e: isinstance(e, sp.uppergamma) and e.args[0].is_positive,
                        lambda e: sp.gamma(e.args[0]) * gammaincc(*e.args))


#: Γ(c) of a double overflows for c beyond about 171.6
_GAMMA_LARGEST = 170


def one_exponential(expr):
    """Each product of exponentials and Γ functions as one exponential, where that matters.

    exp(a)·exp(b) becomes exp(a + b), the exponent factored where that is
    shorter (−a²/2 − b²/2 + a·b is −(a − b)²/2): each factor alone may
    overflow, or underflow to 0 against an overflow, where the product does
    not, and a sum of large terms loses the digits of their difference.  A
    product holding exponentials and Γ(c)^m (m an integer), or several Γ, is
    written exp(a + Σ m·log Γ(c)) where every c is positive and some c
    exceeds 170 (there Γ(c) overflows), and as it is elsewhere (log Γ keeps
    fewer digits: about |log Γ(c)|·2⁻⁵³ absolute).

    >>> a, b = sp.symbols("a b", real=True)
    >>> one_exponential(sp.exp(-a**2/2) * sp.exp(-b**2/2) * sp.exp(a*b))
    exp(-(a - b)**2/2)
    >>> c = sp.Symbol("c", positive=True)
    >>> one_exponential(sp.exp(-c) * sp.gamma(c))
    Piecewise((exp(-c + loggamma(c)), c > 170), (exp(-c)*gamma(c), True))
    """
    def gamma_power(factor):
        base, exponent = factor.as_base_exp()
        return (base.args[0], exponent) if isinstance(base, sp.gamma) and exponent.is_integer else None

    def parts(product):
        exponentials = [f for f in product.args if isinstance(f, sp.exp)]
        gammas = [f for f in product.args if gamma_power(f)]
        return exponentials, gammas

    def qualifies(e):
        return e.is_Mul and sum(map(len, parts(e))) >= 2

    def rewrite(product):
        exponentials, gammas = parts(product)
        rest = sp.Mul(*(f for f in product.args if f not in exponentials and f not in gammas))
        exponent = sp.Add(*(f.args[0] for f in exponentials))
        exponent = min((exponent, sp.factor(exponent)), key=sp.count_ops)
        if not gammas:
            return rest * sp.exp(exponent)
        powers = [gamma_power(f) for f in gammas]
        large = sp.And(*(c > 0 for c, _ in powers), sp.Or(*(c > _GAMMA_LARGEST for c, _ in powers)))
        logarithmic = rest * sp.exp(exponent + sp.Add(*(m * sp.loggamma(c) for c, m in powers)))
        return sp.Piecewise((logarithmic, large), (rest * sp.exp(exponent) * sp.Mul(*gammas), True))

    return expr.replace(qualifies, rewrite)



# -- removable singularities -------------------------------------------------------------------
#: terms of the Taylor series written near a removable singularity, in each parameter expanded
_SERIES_TERMS = 24
#: CPU seconds one Taylor series at a removable singularity may take (sympy's series can take
#: an hour on a pFq of a symbolic argument): past them, the formula is taken as it is there
_MOST_PER_SERIES = 30.0
#: the unit roundoff of a double: a series is used where its truncation is below it
_ROUNDOFF = 2.0 ** -53


class unit_roundoff(sp.Function):
    """The working precision's unit roundoff: 2⁻⁵³ for floats, mpmath's ``mp.eps``/2 at run time."""

    nargs = 0

    def _eval_evalf(self, prec):
        return sp.Float(_ROUNDOFF)._eval_evalf(prec)

    def _mpmathcode(self, printer):
        return f"({printer._module_format('mpmath.mp.eps')}/2)"


class difference(sp.Function):
    """a − b, kept as one difference: sympy would distribute c·(a − b) into c·a − c·b, which
    loses the digits of a small difference."""

    nargs = 2

    @classmethod
    def eval(cls, a, b):
        if a.is_number and b.is_number:
            return a - b
        return None

    def _eval_rewrite_as_Add(self, a, b, **kwargs):
        return a - b

    def _eval_evalf(self, prec):
        return (self.args[0] - self.args[1])._eval_evalf(prec)

    def _call(self, printer):
        return f"({printer._print(self.args[0])} - {printer._print(self.args[1])})"

    _ccode = _pythoncode = _numpycode = _mpmathcode = _fcode = _lambdacode = _call


def _constraints(result) -> dict:
    """{Symbol: Constraint} for the scalar parameters of p and q that are Symbols."""
    found = {}
    for family in (result.p, result.q):
        for parameter, value in zip(getattr(family, "parameters", ()), getattr(family, "args", ())):
            if isinstance(value, sp.Symbol) and not value.is_integer:
                found.setdefault(value, parameter.constraint)
    return found


def _zeros(expr, s) -> set:
    """Numbers at which ``expr`` vanishes as a function of ``s`` (those simple rules find:
    factors, powers, log(a) = 0 where a = 1, atanh/asinh/atan/tanh/sinh/erf(a) where a = 0,
    and the real roots of polynomial factors in ``s`` alone); the others are not looked for."""
    if not expr.has(s):
        return set()
    if expr.is_Mul:
        return set().union(*(_zeros(f, s) for f in expr.args))
    if expr.is_Pow:
        return _zeros(expr.base, s) if expr.exp.is_positive else set()
    if isinstance(expr, sp.log):
        return _zeros(sp.together(expr.args[0] - 1), s)
    if isinstance(expr, (sp.atanh, sp.asinh, sp.atan, sp.tanh, sp.sinh, sp.erf)):
        return _zeros(sp.together(expr.args[0]), s)
    if expr.is_rational_function(s):
        numerator = sp.numer(sp.together(expr))
        if numerator.free_symbols != {s}:
            return set().union(*(_zeros(f, s) for f in sp.Mul.make_args(sp.factor(numerator))
                                 if f.free_symbols == {s})) if numerator.is_Mul or \
                sp.factor(numerator).is_Mul else set()
        polynomial = sp.Poly(numerator, s)
        if polynomial.degree() > 4:
            return set()
        return {r for r in sp.roots(polynomial) if r.is_real}
    return set()


def singular_points(result, expr) -> list:
    """(s, z): a parameter ``s`` and a value ``z`` inside its valid domain where a denominator
    of ``expr`` vanishes: a 0/0 that evaluated as written is nan there (and loses digits
    near it), although the value is finite (a valid point).

    >>> from symkl import ContinuousBernoulli, entropy
    >>> singular_points(entropy(ContinuousBernoulli()), entropy(ContinuousBernoulli()).expr)
    [(lam, 1/2)]
    """
    constraints = _constraints(result)
    denominators = {p.base for p in expr.atoms(sp.Pow) if p.exp.is_negative}
    found = []
    for s, constraint in constraints.items():
        values = set()
        for d in denominators:
            if d.has(s):
                values |= {z for z in _zeros(d, s) if z.is_number and not z.has(sp.I)}
        for z in sorted(values, key=sp.default_sort_key):
            try:
                valid = constraint.holds(z)
            except TypeError:
                valid = None
            if valid:
                found.append((s, z))
    return found


_TAYLOR_CACHE: dict = {}


def _taylor(expr, s, z, terms=_SERIES_TERMS):
    """[c₀, c₁, …]: the Taylor coefficients of ``expr`` in h = s − z (the others symbolic),
    or None where it is no power series there (a pole, a log h, a branch)."""
    key = (expr, s, z, terms)
    if key not in _TAYLOR_CACHE:
        try:
            _TAYLOR_CACHE[key] = within(_MOST_PER_SERIES, _taylor_coefficients, expr, s, z, terms)
        except OutOfTime:
            return None  # (not cached: a faster machine may find it)
    return _TAYLOR_CACHE[key]


def _taylor_coefficients(expr, s, z, terms):
    h = sp.Dummy("h", real=True)
    shifted = _hypergeometric_sums(expr.xreplace({s: z + h}), h, terms)
    coefficients = _series_coefficients(*_constants_named(shifted, h), h, terms)
    if coefficients is None:  # the poles cancel only with the constants written out
        coefficients = _series_coefficients(shifted, {}, h, terms)
    return coefficients


def _series_coefficients(expr, constants, h, terms):
    """[c₀, …, c_{terms−1}] of ``expr``'s Taylor series in h, each with ``constants``
    ({Dummy: expression}) put back; None where it is no power series (or sympy fails)."""
    try:
        series = sp.series(expr, h, 0, terms).removeO()
        polynomial = sp.Poly(sp.expand(series), h)
        coefficients = [sp.expand(polynomial.coeff_monomial(h ** k)) for k in range(terms)]
    except Exception:  # sympy could not expand it: the formula stays as it is
        return None
    if polynomial.degree() >= terms or any(c.has(h, sp.nan, sp.zoo, sp.oo, sp.Order)
                                           for c in coefficients):
        return None
    return [c.xreplace(constants) for c in coefficients]


def _constants_named(expr, h):
    """``expr`` with each largest part free of h (and not a number) as one Dummy, and the
    table {Dummy: part}: sympy's series then multiplies series of numbers times symbols, not
    of whole expressions in the other parameters (seconds, not minutes, for a ₁F₁ in a shape
    parameter times logs of λ/(1 − λ))."""
    named = {}

    def walk(e):
        if not e.has(h):
            if not e.free_symbols:
                return e
            if e not in named:
                named[e] = sp.Dummy("c")
            return named[e]
        return e.func(*(walk(a) for a in e.args)) if e.args else e
    return walk(expr), {c: e for e, c in named.items()}


def _hypergeometric_sums(expr, h, terms):
    """``expr`` with each pFq(a; b; w) whose argument w vanishes at h = 0 written as the
    polynomial in h of its first ``terms`` terms, Σ (a)ₙ/((b)ₙ n!) wⁿ with w's own series put
    in: as w = O(h) that changes no Taylor coefficient below h^terms, and it spares sympy's
    series the function (minutes for a ₂F₂ of log(λ/(1 − λ)) at λ = 1/2) and the powers of w
    times symbolic coefficients."""
    def partial_sum(f):
        a, b, w = f.ap, f.bq, f.argument
        try:
            argument = sp.Poly(sp.series(w, h, 0, terms).removeO(), h)
        except Exception:  # no power series in h (sympy's series fails in many ways)
            return f
        total, term, power = [sp.S.Zero] * terms, sp.S.One, sp.Poly(1, h)
        for n in range(terms):
            for (k,), c in power.terms():
                total[k] += term * c
            term *= sp.Mul(*(ai + n for ai in a)) / (sp.Mul(*(bi + n for bi in b)) * (n + 1))
            power = sp.Poly.from_dict({d: c for d, c in (power * argument).as_dict().items()
                                       if d[0] < terms}, h)
        return sp.Add(*(c * h ** k for k, c in enumerate(total)))
    return expr.replace(lambda f: isinstance(f, sp.hyper) and f.argument.has(h)
                        and sp.simplify(f.argument.xreplace({h: 0})) == 0, partial_sum)


def _samples(result, n=6) -> list:
    """A few random valid points {Symbol: value} of p's and q's parameters (always the same)."""
    import random
    rng = random.Random(0)
    points = []
    for _ in range(n):
        try:
            values = result.p.sample(rng)
            if result.q is not None:
                values.update(result.q.sample(rng, known=values))
        except (ValueError, TypeError, AttributeError):
            break
        points.append(values)
    return points


def _radius(coefficients, z, points) -> float:
    """How far from z the truncated series stays within a double's rounding: the largest H
    with |c_{n−1}|·H^{n−1} + |c_{n−2}|·H^{n−2} ≤ 2⁻⁵³·max_k |c_k|·H^k at every point (the
    coefficients' values there), at most |z|/2 (or 1/2 if z = 0); 0 if nothing is known."""
    limit = abs(float(z)) / 2 or 0.5
    radius = limit
    measured = False
    for values in points or [{}]:
        try:
            with mpmath.workdps(30):
                c = [abs(mpmath.mpf(sp.Float(sp.sympify(k).xreplace(values).evalf(30), 30)))
                     for k in coefficients]
        except (TypeError, ValueError):
            continue  # a coefficient that is singular or not real there
        if not all(mpmath.isfinite(v) for v in c):
            continue
        measured = True

        def fits(H):
            scale = max(v * mpmath.mpf(H) ** k for k, v in enumerate(c))
            tail = c[-1] * mpmath.mpf(H) ** (len(c) - 1) + c[-2] * mpmath.mpf(H) ** (len(c) - 2)
            return tail <= _ROUNDOFF * scale

        low, high = 0.0, radius
        if fits(high):
            continue
        for _ in range(60):  # bisection in log space
            middle = math.sqrt(low * high) if low else high / 2 ** 8
            low, high = (middle, high) if fits(middle) else (low, middle)
            if low and high / low < 1.01:
                break
        radius = low
    return radius if measured else 0.0


def _continuous_at(expr, s, z, samples) -> bool:
    """Whether ``expr`` takes finite values that agree (to 10⁻⁶, relative or, below 1,
    absolute) at z ± 10⁻¹² and z ± 10⁻²⁴ (50 digits)
    at the first sample point where it is finite: a candidate for a removable singularity
    (a pole, a log or a jump is not), before its Taylor series is sought."""
    for values in samples or [{}]:
        others = {k: v for k, v in values.items() if k != s}
        try:
            # z ± d as 70-digit Floats, not Rationals: (z + 10⁻²⁴)^k for a large rational k
            # is an exact integer power in C, which no budget can interrupt
            at = [sp.N(expr.xreplace({**others, s: sp.Float(z + d, 70)}), 50)
                  for d in (sp.Rational(1, 10 ** 12), -sp.Rational(1, 10 ** 12),
                            sp.Rational(1, 10 ** 24), -sp.Rational(1, 10 ** 24))]
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if not all(v.is_real and v.is_finite for v in at):
            continue
        scale = max([abs(v) for v in at] + [1])  # a pole or log h differs by far more
        return all(abs(v - at[0]) <= scale * sp.Float(1e-6) for v in at)
    return False


def _within_or_false(test, *args) -> bool:
    """``test(*args)``, or False where it takes more than :data:`_MOST_PER_SERIES` seconds."""
    try:
        return within(_MOST_PER_SERIES, test, *args)
    except OutOfTime:
        return False


def _horner(coefficients: dict, hs: list):
    """Σ c[k₁, k₂, …]·h₁^k₁·h₂^k₂… written in Horner's rule, h₁ outermost."""
    if not hs:
        return coefficients.get((), sp.S.Zero)
    h, rest = hs[0], hs[1:]
    degree = max((k[0] for k in coefficients), default=-1)
    polynomial = sp.S.Zero
    for j in range(degree, -1, -1):
        inner = _horner({k[1:]: c for k, c in coefficients.items() if k[0] == j}, rest)
        polynomial = inner if polynomial == 0 else inner + h * polynomial
    return polynomial


def removable(result, expr) -> list:
    """(condition, series) for each removable singularity of ``expr`` at a valid point, and for
    each combination of them, the most at once first: near s = z (:func:`singular_points`)
    the Taylor series of ``expr`` in h = s − z, with coefficients in the other parameters
    (nested where several parameters are near theirs), as far from z as it is exact to a
    double's rounding (for mpmath: to its working precision).

    >>> from symkl import ContinuousBernoulli, entropy
    >>> r = entropy(ContinuousBernoulli())
    >>> (near, series), = removable(r, r.expr)
    >>> lam, = r.p.args
    >>> near.lhs, round(float(near.rhs.subs(unit_roundoff(), 2.0 ** -53)), 3)
    (Abs(lam - 1/2), 0.089)
    >>> x = sp.Rational(51, 100)
    >>> series.subs(lam, sp.S.Half), sp.N(series.subs(lam, x), 12), sp.N(r.expr.subs(lam, x), 12)
    (0, -6.66817819215e-5, -6.66817819215e-5)
    """
    if isinstance(expr, sp.Piecewise):  # each branch, where it holds and no earlier one does
        pieces, earlier = [], []
        for e, condition in expr.args:
            holds = sp.And(condition, *(sp.Not(c) for c in earlier))
            pieces += [(sp.And(near, holds), series) for near, series in removable(result, e)]
            earlier.append(condition)
        return pieces
    if expr.has(sp.Piecewise):
        return []
    points = singular_points(result, expr)[:3]
    if not points:
        return []
    samples = _samples(result)
    points = [(s, z) for s, z in points if _within_or_false(_continuous_at, expr, s, z, samples)]
    radii = {}
    for s, z in points:
        coefficients = _taylor(expr, s, z)
        if coefficients is not None:
            radii[(s, z)] = _radius(coefficients, z, samples)
    points = [(s, z) for s, z in points if radii.get((s, z), 0) > 0]
    pieces = []
    for size in range(len(points), 0, -1):
        for subset in _subsets(points, size):
            if len({s for s, _ in subset}) < size:
                continue  # one parameter near two values at once
            series = _nested(expr, subset)
            if series is None:
                continue
            condition = sp.And(*(sp.Abs(s - z) < _scaled_radius(radii[(s, z)]) for s, z in subset))
            pieces.append((condition, series))
    return pieces


def _subsets(points, size):
    import itertools
    return itertools.combinations(points, size)


def _scaled_radius(radius):
    """The radius for doubles, shrunk for a finer working precision (mpmath) so that the
    series' truncation keeps pace: (u/2⁻⁵³)^(1/(n − 2)) where u is its unit roundoff."""
    return sp.Float(radius, 17) * (unit_roundoff() / sp.Float(_ROUNDOFF)) ** sp.Rational(1, _SERIES_TERMS - 2)


def _nested(expr, subset):
    """The Taylor series of ``expr`` in each h = s − z of ``subset`` (a polynomial in all of
    them, each to :data:`_SERIES_TERMS` terms), or None."""
    coefficients = {(): expr}
    hs = []
    for s, z in subset:
        expanded = {}
        for key, c in coefficients.items():
            if not c.has(s):
                expanded[key + (0,)] = c
                continue
            series = _taylor(c, s, z)
            if series is None:
                return None
            expanded.update({key + (k,): ck for k, ck in enumerate(series) if ck != 0})
        coefficients = expanded
        hs.append(difference(s, z))
    return _horner(coefficients, hs)


def float_form(result, target: str):
    """``result.expr`` as generated code for ``target`` (a backend or a language) evaluates it.

    Floats (numpy, math, Python, C): :func:`near_equal` or else :func:`stable`,
    then :func:`regularized`, :func:`one_exponential` and :func:`complementary`;
    Fortran, which has no log1p, the last two; jax and torch :func:`stable`;
    mpmath, which neither overflows nor underflows, :func:`complementary` (its
    precision is finite too); matrix expressions (linear algebra) are taken as
    they are.  A Piecewise gets the value nan where none of its conditions holds.
    """
    expr = _closed_form(result)
    if not expr.has(sp.MatrixExpr):
        pieces = [(_for_target(series, target, None), condition)
                  for condition, series in _removed(result, expr)]
        expr = _for_target(expr, target, result)
        if pieces:
            expr = sp.Piecewise(*pieces, (expr, True))
        if target != "mpmath":
            expr = expr.replace(lambda e: isinstance(e, unit_roundoff), lambda e: sp.Float(_ROUNDOFF))
    return expr.replace(lambda e: isinstance(e, sp.Piecewise) and e.args[-1].cond != True,
                        lambda e: sp.Piecewise(*e.args, (sp.nan, True)))


def _for_target(expr, target, result):
    """The float form of one expression (``result`` given: near p = q too, :func:`near_equal`)."""
    if target == "mpmath":
        return complementary(expr)
    if target in ("jax", "torch"):
        return stable(expr)
    if target == "fortran":
        return complementary(one_exponential(expr))
    near = near_equal(result, expr) if result is not None else None
    return complementary(one_exponential(regularized(near or stable(expr))))


_REMOVED: dict = {}


def _removed(result, expr) -> list:
    """:func:`removable`, once for each expression and parameters' constraints."""
    key = (expr, tuple(_constraints(result).items()))
    if key not in _REMOVED:
        _REMOVED[key] = removable(result, expr)
    return _REMOVED[key]


def _closed_form(result):
    if not result.closed_form:
        raise Unsupported("no closed form to turn into code: the result holds an unevaluated "
                          "integral or sum (use verify or quadrature for numbers)")
    return result.expr


# -- functions that math and C lack, as source -------------------------------------------------
#: terms of log1pmx's series in u² (|u| ≤ 1/3): 1/9^20 is far below a float's rounding
_TERMS = 20
#: terms of ψ's Taylor series about its positive root x₀, for |x − x₀| ≤ 1/2 (ratio ≤ 0.35)
_ROOT_TERMS = 40


def _tables():
    """ψ's root x₀ (as a sum of two doubles) and its Taylor coefficients there, highest first
    (for Horner's rule); the coefficients of ψ's asymptotic series, B₂ₖ/2k, highest first; and
    those of ζ(s, x)'s, B₂ₖ/(2k)!, lowest first (its terms are built up from k = 1)."""
    with mpmath.workdps(40):
        root = mpmath.findroot(mpmath.digamma, mpmath.mpf("1.4616"))
        series = [(-1) ** (k + 1) * mpmath.zeta(k + 1, root) for k in range(1, _ROOT_TERMS + 1)]
        high = float(root)
        low = float(root - high)
    bernoulli = [sp.bernoulli(2 * k) for k in range(1, 11)]
    asymptotic_psi = [float(b / (2 * k)) for k, b in enumerate(bernoulli[:9], 1)]
    asymptotic_zeta = [float(b / sp.factorial(2 * k)) for k, b in enumerate(bernoulli, 1)]
    return high, low, [float(c) for c in reversed(series)], asymptotic_psi[::-1], asymptotic_zeta


_ROOT_HIGH, _ROOT_LOW, _ROOT_SERIES, _PSI_SERIES, _ZETA_SERIES = _tables()
#: ψ is summed from its Taylor series on [x₀ − 1/2, x₀ + 1/2], from its asymptotic series past 10
_LOW, _HIGH = _ROOT_HIGH - 0.5, _ROOT_HIGH + 0.5


def _listed(values, c=False) -> str:
    """A sequence of floats as a Python tuple or the body of a C array initialiser."""
    text = ", ".join(repr(v) for v in values)
    return text if c else f"({text})"


#: Python functions that generated code and the math backend use, by name, as source
PYTHON_SOURCE = {
    "log1pmx": f'''def log1pmx(t):
    """log(1 + t) - t without cancellation near t = 0."""
    if abs(t) < 0.5:
        u = t / (2 + t)
        u2, total = u * u, 0.0
        for j in reversed(range({_TERMS})):
            total = total * u2 + 1 / (2 * j + 3)
        return -u * t + 2 * u * u2 * total
    return math.log1p(t) - t
''',
    "digamma": f'''def digamma(x):
    """psi(x), the derivative of log Gamma(x), for x > 0 (about 1e-15 relative)."""
    if x <= 0:
        raise ValueError(f"digamma takes x > 0, got {{x}}")
    total = 0.0
    while x < {_LOW!r}:  # psi(x) = psi(x + 1) - 1/x
        total -= 1 / x
        x += 1
    if x >= 10:  # the asymptotic series in 1/x**2
        w = 1 / (x * x)
        series = 0.0
        for c in {_listed(_PSI_SERIES)}:
            series = series * w + c
        return total + math.log(x) - 0.5 / x - w * series
    while x > {_HIGH!r}:  # psi(x) = psi(x - 1) + 1/(x - 1)
        x -= 1
        total += 1 / x
    t = (x - {_ROOT_HIGH!r}) - {_ROOT_LOW!r}  # Taylor series about the root of psi
    series = 0.0
    for c in {_listed(_ROOT_SERIES)}:
        series = series * t + c
    return total + t * series
''',
    "polygamma": f'''def polygamma(n, x):
    """The n-th derivative of psi at x > 0, n = 0, 1, 2, ...: (-1)**(n + 1) n! zeta(n + 1, x)."""
    if n == 0:
        return digamma(x)
    if x <= 0 or n < 0 or n != int(n):
        raise ValueError(f"polygamma takes an integer n >= 0 and x > 0, got {{n}}, {{x}}")
    n = int(n)
    s, total = n + 1, 0.0
    while x < 10 + n:  # zeta(s, x) = x**-s + zeta(s, x + 1)
        total += x ** -s
        x += 1
    power = x ** -s  # the asymptotic series of zeta(s, x)
    tail, term, w = x * power / n + power / 2, power * s / x, 1 / (x * x)
    for k, c in enumerate({_listed(_ZETA_SERIES)}, 1):
        tail += c * term
        term *= (s + 2 * k - 1) * (s + 2 * k) * w
    return (-1) ** (n + 1) * math.factorial(n) * (total + tail)
''',
    "gammaincc": '''def gammaincc(a, x):
    """Q(a, x) = Gamma(a, x)/Gamma(a), the regularized upper incomplete gamma function, a > 0, x >= 0.

    About 1e-14 relative for a, x below 50; the factor x**a exp(-x)/Gamma(a) costs
    about (a |log x| + x) 1e-16 beyond.
    """
    if a <= 0 or x < 0:
        raise ValueError(f"gammaincc takes a > 0 and x >= 0, got {a}, {x}")
    if x == 0:
        return 1.0
    front = math.exp(a * math.log(x) - x - math.lgamma(a))
    if x < a + 1:  # 1 - P(a, x), P from its series
        term = total = 1 / a
        n = a
        while abs(term) > 1e-17 * total:
            n += 1
            term *= x / n
            total += term
        return 1 - front * total
    b, c, d = x + 1 - a, 1e300, 1 / (x + 1 - a)  # Q's continued fraction (Lentz)
    h = d
    for i in range(1, 100000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1 / (d if d != 0 else 1e-300)
        c = b + an / c
        c = c if c != 0 else 1e-300
        h *= d * c
        if abs(d * c - 1) < 1e-16:
            return front * h
    raise ArithmeticError(f"gammaincc({a}, {x}): the continued fraction did not converge")
''',
    "besseli": '''def besseli(nu, z):
    """I_nu(z), the modified Bessel function of the first kind, for real nu and z >= 0,
    from its ascending series (about 1e-14 relative for |nu| <= 5, z <= 30)."""
    if nu < 0 and nu == int(nu):
        nu = -nu  # I_-n = I_n
    if z < 0 or (z == 0 and nu < 0):
        raise ValueError(f"besseli takes z > 0 (or z = 0 with nu >= 0), got {nu}, {z}")
    if z == 0:
        return 1.0 if nu == 0 else 0.0
    w = z * z / 4
    term = math.exp(nu * math.log(z / 2) - math.lgamma(nu + 1))
    if nu + 1 < 0 and math.floor(nu + 1) % 2:  # 1/Gamma(nu + 1) is negative
        term = -term
    total, k = term, 0
    while k < z or k + nu < 0 or abs(term) > 1e-17 * abs(total):
        k += 1
        term *= w / (k * (k + nu))
        total += term
    return total
''',
    "erfcx": '''def erfcx(x):
    """exp(x**2) erfc(x), about 1e-15 relative (for x > 26, where erfc underflows, its
    asymptotic series)."""
    if x < 26:
        high = math.floor(x * 2 ** 20) / 2 ** 20  # x**2 = high**2 + low (2 high + low), high**2 exact
        low = x - high
        return math.exp(high * high) * math.exp(low * (2 * high + low)) * math.erfc(x)
    w, term, total = 1 / (2 * x * x), 1.0, 1.0
    for k in range(1, 8):
        term *= -(2 * k - 1) * w
        total += term
    return total / (x * math.sqrt(math.pi))
''',
    "binomial": '''def binomial(n, k):
    """n choose k for integers, 0 where k < 0 or k > n."""
    return float(math.comb(n, k)) if 0 <= k <= n else 0.0
''',
}

#: the same functions in C (binomial is not needed: sums are not written in C); and, below,
#: gammaincc, besseli and erfcx
C_SOURCE = {
    "log1pmx": f"""/* log(1 + t) - t without cancellation near t = 0 */
static double log1pmx(double t) {{
   if (fabs(t) < 0.5) {{
      double u = t / (2 + t), u2 = u * u, total = 0;
      for (int j = {_TERMS - 1}; j >= 0; j--) total = total * u2 + 1.0 / (2 * j + 3);
      return -u * t + 2 * u * u2 * total;
   }}
   return log1p(t) - t;
}}
""",
    "digamma": f"""/* psi(x), the derivative of log Gamma(x), for x > 0 (about 1e-15 relative); NAN elsewhere */
static double digamma(double x) {{
   static const double asymptotic[] = {{{_listed(_PSI_SERIES, c=True)}}};
   static const double root[] = {{{_listed(_ROOT_SERIES, c=True)}}};
   double total = 0, series = 0, t;
   if (!(x > 0)) return x != x ? x : NAN;
   while (x < {_LOW!r}) {{ total -= 1 / x; x += 1; }}  /* psi(x) = psi(x + 1) - 1/x */
   if (x >= 10) {{  /* the asymptotic series in 1/x^2 */
      double w = 1 / (x * x);
      for (int i = 0; i < {len(_PSI_SERIES)}; i++) series = series * w + asymptotic[i];
      return total + log(x) - 0.5 / x - w * series;
   }}
   while (x > {_HIGH!r}) {{ x -= 1; total += 1 / x; }}  /* psi(x) = psi(x - 1) + 1/(x - 1) */
   t = (x - {_ROOT_HIGH!r}) - {_ROOT_LOW!r};  /* Taylor series about the root of psi */
   for (int i = 0; i < {_ROOT_TERMS}; i++) series = series * t + root[i];
   return total + t * series;
}}
""",
    "polygamma": f"""/* the n-th derivative of psi at x > 0, n = 0, 1, 2, ...: (-1)^(n + 1) n! zeta(n + 1, x) */
static double polygamma(int n, double x) {{
   static const double asymptotic[] = {{{_listed(_ZETA_SERIES, c=True)}}};
   double s = n + 1, total = 0, power, tail, term, w, factorial = 1;
   if (n == 0) return digamma(x);
   if (!(x > 0) || n < 0) return x != x ? x : NAN;
   for (; x < 10 + n; x += 1) total += pow(x, -s);  /* zeta(s, x) = x^-s + zeta(s, x + 1) */
   power = pow(x, -s);  /* the asymptotic series of zeta(s, x) */
   tail = x * power / n + power / 2; term = power * s / x; w = 1 / (x * x);
   for (int k = 1; k <= {len(_ZETA_SERIES)}; k++) {{
      tail += asymptotic[k - 1] * term;
      term *= (s + 2 * k - 1) * (s + 2 * k) * w;
   }}
   for (int k = 2; k <= n; k++) factorial *= k;
   return (n % 2 ? 1 : -1) * factorial * (total + tail);
}}
""",
}

C_SOURCE["gammaincc"] = """/* Q(a, x) = Gamma(a, x)/Gamma(a), the regularized upper incomplete gamma function,
   a > 0, x >= 0 (NAN elsewhere): about 1e-14 relative for a, x below 50 */
static double gammaincc(double a, double x) {
   double front, b, c, d, h;
   if (!(a > 0) || !(x >= 0)) return NAN;
   if (x == 0) return 1;
   front = exp(a * log(x) - x - lgamma(a));
   if (x < a + 1) {  /* 1 - P(a, x), P from its series */
      double term = 1 / a, total = term, n = a;
      while (fabs(term) > 1e-17 * total) { n += 1; term *= x / n; total += term; }
      return 1 - front * total;
   }
   b = x + 1 - a; c = 1e300; d = 1 / b; h = d;  /* Q's continued fraction (Lentz) */
   for (int i = 1; i < 100000; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b; d = 1 / (d != 0 ? d : 1e-300);
      c = b + an / c; c = c != 0 ? c : 1e-300;
      h *= d * c;
      if (fabs(d * c - 1) < 1e-16) return front * h;
   }
   return NAN;
}
"""

C_SOURCE["besseli"] = """/* I_nu(z), the modified Bessel function of the first kind, for real nu and z >= 0
   (NAN elsewhere), from its ascending series: about 1e-14 relative for |nu| <= 5, z <= 30 */
static double besseli(double nu, double z) {
   double w, term, total;
   int k = 0;
   if (nu < 0 && nu == floor(nu)) nu = -nu;  /* I_-n = I_n */
   if (!(z >= 0) || (z == 0 && nu < 0)) return NAN;
   if (z == 0) return nu == 0 ? 1 : 0;
   w = z * z / 4;
   term = exp(nu * log(z / 2) - lgamma(nu + 1));
   if (nu + 1 < 0 && fmod(floor(nu + 1), 2) != 0) term = -term;  /* 1/Gamma(nu + 1) < 0 */
   total = term;
   while (k < z || k + nu < 0 || fabs(term) > 1e-17 * fabs(total)) {
      k += 1;
      term *= w / (k * (k + nu));
      total += term;
   }
   return total;
}
"""

C_SOURCE["erfcx"] = """/* exp(x^2) erfc(x), about 1e-15 relative (for x > 26, where erfc underflows, its
   asymptotic series) */
static double erfcx(double x) {
   double w, term = 1, total = 1;
   if (x < 26) {  /* x^2 = high^2 + low (2 high + low), high^2 exact */
      double high = floor(x * 1048576.0) / 1048576.0, low = x - high;
      return exp(high * high) * exp(low * (2 * high + low)) * erfc(x);
   }
   w = 1 / (2 * x * x);
   for (int k = 1; k < 8; k++) { term *= -(2 * k - 1) * w; total += term; }
   return total / (x * 1.7724538509055159);
}
"""

#: which helpers a helper calls
_NEEDS = {"polygamma": ("digamma",)}


def _python_functions() -> dict:
    """The functions of :data:`PYTHON_SOURCE`, defined once (the source is symkl's own)."""
    namespace = {"math": math}
    for source in PYTHON_SOURCE.values():
        exec(source, namespace)
    return {name: namespace[name] for name in PYTHON_SOURCE}


#: the Python helpers, callable: ``FLOAT_FUNCTIONS["digamma"](1.0)`` is −γ
FLOAT_FUNCTIONS = _python_functions()


def _helpers(source: str, library: dict) -> list:
    """The helpers of ``library`` that ``source`` calls, each after those it needs."""
    wanted = [name for name in library if re.search(rf"\b{name}\(", source)]
    for name in list(wanted):
        wanted[:0] = [n for n in _NEEDS.get(name, ()) if n not in wanted]
    return wanted


# -- matrices and entries at one point (math, mpmath) -----------------------------------------
def _matmul(a, b):
    return [[sum(x * y for x, y in zip(row, column)) for column in zip(*b)] for row in a]


def _matadd(*terms):
    return [[sum(entries) for entries in zip(*rows)] for rows in zip(*terms)]


def _scaled(c, a):
    return [[c * x for x in row] for row in a]


def _transpose(a):
    return [list(column) for column in zip(*a)]


def _trace(a):
    return sum(a[i][i] for i in range(len(a)))


def _eliminated(a, b):
    """(det a, a⁻¹·b) by Gaussian elimination with partial pivoting (b a list of rows)."""
    rows = [list(r) + list(s) for r, s in zip(a, b)]
    k, determinant = len(rows), 1
    for j in range(k):
        pivot = max(range(j, k), key=lambda i: abs(rows[i][j]))
        if pivot != j:
            rows[j], rows[pivot] = rows[pivot], rows[j]
            determinant = -determinant
        determinant *= rows[j][j]
        if rows[j][j] == 0:
            return determinant, None
        for i in range(k):
            if i != j:
                factor = rows[i][j] / rows[j][j]
                rows[i] = [x - factor * y for x, y in zip(rows[i], rows[j])]
    return determinant, [[x / r[i] for x in r[k:]] for i, r in enumerate(rows)]


def _det(a):
    return _eliminated(a, [[] for _ in a])[0]


def _inverse(a):
    inverse = _eliminated(a, [[int(i == j) for j in range(len(a))] for i in range(len(a))])[1]
    if inverse is None:
        raise ZeroDivisionError("a singular matrix has no inverse")
    return inverse


def _positive_definite(a):
    """Sylvester's criterion for a symmetric matrix: each leading principal minor positive."""
    return all(_det([row[:j] for row in a[:j]]) > 0 for j in range(1, len(a) + 1))


_LINEAR_ALGEBRA = {f.__name__: f for f in (_matmul, _matadd, _scaled, _transpose, _trace, _det, _inverse,
                                           _positive_definite)}


# -- numpy helpers ------------------------------------------------------------------------------
def _by_mpmath_numpy(function, *args):
    """``function`` (of mpmath) element by element over the broadcast ``args``: as complex
    numbers where an argument is complex (a pFq at a complex root, of which the formula
    takes Re), else as floats, and then nan where the value is not real (numpy evaluates
    every branch of a Piecewise, also those not taken: in one taken, nan is the answer)."""
    import numpy
    kind = complex if any(numpy.iscomplexobj(v) for v in args) else float
    arrays = numpy.broadcast_arrays(*(numpy.asarray(v, dtype=kind) for v in args))

    def one(*values):
        value = function(*values)
        if kind is float and isinstance(value, mpmath.mpc):
            # on a branch cut (a pFq at z > 1) an imaginary part of a rounding error's size
            # is none; a larger one is no real value
            if abs(value.imag) <= _ROUNDING_IMAGINARY * mpmath.eps * max(1, abs(value.real)):
                return float(value.real)
            return math.nan
        return kind(value)
    return numpy.vectorize(one, otypes=[kind])(*arrays) if arrays[0].ndim else one(
        *(kind(v) for v in arrays))


#: how many units of rounding an imaginary part may be and still be rounding
_ROUNDING_IMAGINARY = 2 ** 10


def _hyper_numpy(a, b, z):
    """pFq(a; b; z) by mpmath (scipy has ₂F₁ and ₁F₁ only, and loses digits in parts of
    their domains)."""
    p, q = len(a), len(b)
    return _by_mpmath_numpy(lambda *v: mpmath.hyper(v[:p], v[p:p + q], v[-1]), *a, *b, z)


def _polylog_numpy(s, z):
    """Li_s(z) by mpmath (scipy has none)."""
    return _by_mpmath_numpy(mpmath.polylog, s, z)


def _upper_gamma_numpy(a, x):
    """Γ(a, x) by mpmath (scipy's gammaincc needs a > 0)."""
    return _by_mpmath_numpy(lambda a, x: mpmath.gammainc(a, x), a, x)


def _log1pmx_numpy(t):
    import numpy
    t = numpy.asarray(t, dtype=float)
    small = numpy.abs(t) < 0.5
    safe = numpy.where(small, t, 0.0)
    u = safe / (2 + safe)
    u2, total = u * u, numpy.zeros_like(u)
    for j in reversed(range(_TERMS)):
        total = total * u2 + 1 / (2 * j + 3)
    with numpy.errstate(invalid="ignore", divide="ignore"):
        far = numpy.log1p(t) - t
    return numpy.where(small, -u * safe + 2 * u * u2 * total, far)


class rowsum(sp.Function):
    """Σ over the last axis (a sum over all the entries, at the top level)."""


class rowsum_kept(sp.Function):
    """Σ over the last axis, kept as an axis of length 1 (a sum inside a sum)."""


class trailing(sp.Function):
    """A batch of scalars with an axis of length 1 after it, to meet arrays of entries."""


class positions(sp.Function):
    """The integers from the first argument to the second, along the last axis."""


# -- printers ------------------------------------------------------------------------------------
class _PointPrinter:
    """Code for one point: entries x[i] of a list counted from 0, where the sums over x count
    from ``first[x]``; matrices as lists of rows, through the functions of ``_LINEAR_ALGEBRA``."""

    first: dict

    def _print_Indexed(self, expr):
        index = expr.indices[0] - self.first.get(expr.base, 0)
        return f"{self._print(expr.base.label)}[{self._print(index)}]"

    def _print_MatMul(self, expr):
        coefficient, matrices = expr.as_coeff_mmul()
        factors = matrices.args if isinstance(matrices, sp.MatMul) else (matrices,)
        code = self._print(factors[0])
        for factor in factors[1:]:
            code = f"_matmul({code}, {self._print(factor)})"
        return code if coefficient == 1 else f"_scaled({self._print(coefficient)}, {code})"

    def _print_MatAdd(self, expr):
        return f"_matadd({', '.join(self._print(a) for a in expr.args)})"

    def _print_Transpose(self, expr):
        return f"_transpose({self._print(expr.arg)})"

    def _print_Inverse(self, expr):
        return f"_inverse({self._print(expr.arg)})"

    def _print_Determinant(self, expr):
        return f"_det({self._print(expr.arg)})"

    def _print_Trace(self, expr):
        return f"_trace({self._print(expr.arg)})"

    def _print_IsPositiveDefinite(self, expr):
        return f"_positive_definite({self._print(expr.args[0])})"


class _MathPrinter(_PointPrinter, PythonCodePrinter):
    """Python with the math module, and the functions of :data:`PYTHON_SOURCE` by name."""

    def __init__(self, first=None):
        super().__init__({"fully_qualified_modules": True})
        self.first = first or {}

    def _print_polygamma(self, expr):
        order, argument = expr.args
        if order == 0:
            return f"digamma({self._print(argument)})"
        return f"polygamma({self._print(order)}, {self._print(argument)})"

    def _print_binomial(self, expr):
        return f"binomial({', '.join(self._print(a) for a in expr.args)})"

    def _print_besseli(self, expr):
        return f"besseli({self._print(expr.args[0])}, {self._print(expr.args[1])})"


class _MathBackendPrinter(_MathPrinter):
    """The math backend: :class:`_MathPrinter`, and the special functions that math lacks
    as :class:`_MpmathPrinter` writes them, each value back to a float (a complex number
    where it is not real); the argument of Re and Im in mpmath throughout, complex as it is.
    ``code("python")`` writes none of these: its source stands alone."""

    def _by_mpmath(self, expr):
        return f"mpmath_value({_MpmathPrinter(self.first)._print(expr)})"

    def _print_re(self, expr):
        return f"float({_MpmathPrinter(self.first)._print(expr)})"

    _print_im = _print_re


for _name in ("hyper", "uppergamma", "lowergamma", "expint", "Si", "Ci", "polylog",
              "betainc_regularized", "besselk"):
    setattr(_MathBackendPrinter, f"_print_{_name}", _MathBackendPrinter._by_mpmath)


def _mpmath_value(value):
    """An mpmath number as a float, or as a complex number where it is not real."""
    return complex(value) if isinstance(value, mpmath.mpc) else float(value)


class _MpmathPrinter(_PointPrinter, MpmathPrinter):
    """Python with mpmath's functions, at mpmath's working precision."""

    def __init__(self, first=None):
        super().__init__({"fully_qualified_modules": True})
        self.first = first or {}

    def _print_polygamma(self, expr):
        return f"mpmath.psi({', '.join(self._print(a) for a in expr.args)})"

    def _print_binomial(self, expr):
        return f"mpmath.binomial({', '.join(self._print(a) for a in expr.args)})"

    def _print_polylog(self, expr):
        return f"mpmath.polylog({', '.join(self._print(a) for a in expr.args)})"

    def _print_erfcx(self, expr):  # mpmath's exponents do not overflow
        x = self._print(expr.args[0])
        return f"(mpmath.exp(({x})**2)*mpmath.erfc({x}))"

    def _print_expint(self, expr):
        return f"mpmath.expint({', '.join(self._print(a) for a in expr.args)})"

    def _print_re(self, expr):
        return f"mpmath.re({self._print(expr.args[0])})"

    def _print_im(self, expr):
        return f"mpmath.im({self._print(expr.args[0])})"

    def _print_Si(self, expr):
        return f"mpmath.si({self._print(expr.args[0])})"

    def _print_betainc_regularized(self, expr):
        return f"mpmath.betainc({', '.join(self._print(a) for a in expr.args)}, regularized=True)"

    def _print_Ci(self, expr):
        return f"mpmath.ci({self._print(expr.args[0])})"


class _NumpyPrinter(SciPyPrinter):
    """numpy and scipy.special code for batches: matrices are the arrays' last two axes, a
    sum over all the entries of arrays sums their last axis (:func:`_as_rows`), another sum
    (over a number of entries fixed in the expression) loops over them."""

    def __init__(self, first):
        super().__init__({"fully_qualified_modules": True, "inline": True})
        self.first = first

    def _print_MatMul(self, expr):
        coefficient, matrices = expr.as_coeff_mmul()
        factors = matrices.args if isinstance(matrices, sp.MatMul) else (matrices,)
        code = self._print(factors[0])
        for factor in factors[1:]:
            code = f"numpy.matmul({code}, {self._print(factor)})"
        return code if coefficient == 1 else f"({self._print(coefficient)})*{code}"

    def _print_Transpose(self, expr):
        return f"numpy.swapaxes({self._print(expr.arg)}, -1, -2)"

    def _print_Inverse(self, expr):
        return f"numpy.linalg.inv({self._print(expr.arg)})"

    def _print_Determinant(self, expr):
        return f"numpy.linalg.det({self._print(expr.arg)})"

    def _print_Trace(self, expr):
        return f"numpy.trace({self._print(expr.arg)}, axis1=-2, axis2=-1)"

    def _print_IsPositiveDefinite(self, expr):
        return f"numpy.all(numpy.linalg.eigvalsh({self._print(expr.args[0])}) > 0, axis=-1)"

    def _print_MatAdd(self, expr):
        return "(" + " + ".join(self._print(a) for a in expr.args) + ")"

    def _print_Piecewise(self, expr):
        """numpy.select of the branches, each condition an array: a condition of constants
        alone, or of scalars, would be a bool, which numpy.select refuses."""
        head = f"{self._module_format('numpy.select')}(["
        conditions = ["True" if piece.cond == True else
                      f"{self._module_format('numpy.asarray')}({self._print(piece.cond)}, dtype=bool)"
                      for piece in expr.args]
        values = ",".join(self._print(piece.expr) for piece in expr.args)
        return f"{head}{','.join(conditions)}], [{values}], default={self._print(sp.nan)})"

    def _print_ITE(self, expr):
        """if c then a else b, of conditions (one in which a Piecewise stands): element-wise,
        as it is written (sympy's printer would first simplify it as logic, minutes for a
        Taylor piece's nested conditions)."""
        return f"{self._module_format('numpy.where')}({', '.join(self._print(a) for a in expr.args)})"

    def _print_And(self, expr):  # pairwise, so that conditions of different shapes broadcast
        return self._pairwise("numpy.logical_and", expr.args)

    def _print_Or(self, expr):
        return self._pairwise("numpy.logical_or", expr.args)

    def _pairwise(self, function, args):
        code = self._print(args[0])
        for a in args[1:]:
            code = f"{function}({code}, {self._print(a)})"
        return code

    def _print_polygamma(self, expr):
        order, argument = expr.args
        if order == 0:
            return f"{self._module_format('scipy.special.psi')}({self._print(argument)})"
        return f"{self._module_format('scipy.special.polygamma')}({self._print(order)}, {self._print(argument)})"

    def _print_binomial(self, expr):
        return f"{self._module_format('scipy.special.binom')}({', '.join(self._print(a) for a in expr.args)})"

    def _print_hyper(self, expr):
        def listed(values):
            return "(" + "".join(f"{self._print(v)}, " for v in values) + ")"
        return f"hyper_pfq({listed(expr.ap)}, {listed(expr.bq)}, {self._print(expr.argument)})"

    def _print_polylog(self, expr):
        return f"polylog_real({self._print(expr.args[0])}, {self._print(expr.args[1])})"

    def _print_expint(self, expr):  # E₁ of a complex argument (a Cauchy's log-density)
        order, argument = expr.args
        if order == 1:
            return f"{self._module_format('scipy.special.exp1')}({self._print(argument)})"
        return f"{self._module_format('scipy.special.expn')}({self._print(order)}, {self._print(argument)})"

    def _print_uppergamma(self, expr):  # Γ(a, x) for any real a (scipy's needs a > 0)
        return f"upper_gamma({self._print(expr.args[0])}, {self._print(expr.args[1])})"

    def _print_rowsum(self, expr):
        return f"numpy.sum({self._print(expr.args[0])}, axis=-1)"

    def _print_rowsum_kept(self, expr):
        return f"numpy.sum({self._print(expr.args[0])}, axis=-1, keepdims=True)"

    def _print_trailing(self, expr):
        return f"numpy.expand_dims({self._print(expr.args[0])}, -1)"

    def _print_positions(self, expr):
        return f"numpy.arange({self._print(expr.args[0])}, {self._print(expr.args[1])} + 1)"

    def _print_Indexed(self, expr):  # an entry, for each point of the batch
        index = expr.indices[0] - self.first.get(expr.base, 0)
        return f"{self._print(expr.base.label)}[..., {self._print(index)}]"


class _CPrinter(C99CodePrinter):
    """C99 with the functions of :data:`C_SOURCE`, and constants as numbers (not M_PI …)."""

    def __init__(self):
        super().__init__({"math_macros": {}})

    def _print_polygamma(self, expr):
        order, argument = expr.args
        if order == 0:
            return f"digamma({self._print(argument)})"
        return f"polygamma({self._print(order)}, {self._print(argument)})"

    def _print_besseli(self, expr):
        return f"besseli({self._print(expr.args[0])}, {self._print(expr.args[1])})"

    def _print_NumberSymbol(self, expr):
        return repr(float(expr))

    _print_Pi = _print_Exp1 = _print_EulerGamma = _print_Catalan = _print_GoldenRatio = _print_NumberSymbol


class _FortranPrinter(FCodePrinter):
    """Fortran 2008 with its intrinsics gamma, log_gamma, erfc and atanh, constants as numbers
    (not PARAMETER statements), and ∞ and nan from ieee_arithmetic (not huge(0d0) + 1)."""

    def __init__(self):
        super().__init__({"source_format": "free", "standard": 2008})

    def _print_gamma(self, expr):
        return f"gamma({self._print(expr.args[0])})"

    def _print_loggamma(self, expr):
        return f"log_gamma({self._print(expr.args[0])})"

    def _print_erfc(self, expr):
        return f"erfc({self._print(expr.args[0])})"

    def _print_atanh(self, expr):
        return f"atanh({self._print(expr.args[0])})"

    def _print_NumberSymbol(self, expr):
        return self._print(sp.Float(expr.evalf(17), 17))

    _print_Pi = _print_Exp1 = _print_EulerGamma = _print_Catalan = _print_GoldenRatio = _print_NumberSymbol

    def _print_Float(self, expr):  # Fortran takes no sign right after an operator: x*(-0.5d0)
        printed = super()._print_Float(expr)
        return f"({printed})" if printed.startswith("-") else printed

    def _print_Infinity(self, expr):
        return "ieee_value(0d0, ieee_positive_inf)"

    def _print_NegativeInfinity(self, expr):
        return "ieee_value(0d0, ieee_negative_inf)"

    def _print_NaN(self, expr):
        return "ieee_value(0d0, ieee_quiet_nan)"


# -- parameters, dimensions, placeholders ------------------------------------------------------
@dataclass(frozen=True)
class _Argument:
    """A parameter as generated code takes it: its name, and the object in the expression."""

    name: str
    symbol: sp.Basic  # a Symbol, an IndexedBase (entries) or a MatrixSymbol

    @property
    def rank(self) -> int:
        """How many trailing axes its value has: 0 (scalar), 1 (vector), 2 (matrix)."""
        if isinstance(self.symbol, sp.IndexedBase):
            return 1
        if isinstance(self.symbol, sp.MatrixSymbol):
            return 1 if self.symbol.shape[1] == 1 else 2
        return 0

    @property
    def column(self) -> bool:
        """A vector the expression holds as a k × 1 matrix."""
        return isinstance(self.symbol, sp.MatrixSymbol) and self.rank == 1

    @property
    def integer(self) -> bool:
        return self.rank == 0 and bool(self.symbol.is_integer)


@dataclass(frozen=True)
class _Signature:
    """The arguments in calling order; the sizes of their axes ({size: ((position of an
    argument, axis), …)}: a Symbol, a dimension read from the shapes, or a number, checked
    against them); and where each IndexedBase's entries start."""

    arguments: tuple
    sizes: dict
    first: dict

    @property
    def names(self) -> tuple:
        return tuple(a.name for a in self.arguments)

    @property
    def dimensions(self) -> list:
        """The sizes that are Symbols: the function takes them after the arguments."""
        return [d for d in self.sizes if isinstance(d, sp.Symbol)]


def _named_in(value) -> list:
    """The parameters a family's argument holds, in order (a matrix's entries row by row)."""
    if isinstance(value, (sp.IndexedBase, sp.MatrixSymbol)):
        return [value]
    if isinstance(value, sp.MatrixBase):
        return [s for entry in value for s in _named_in(entry)]
    if isinstance(value, sp.Basic):
        return sorted((s for s in value.free_symbols if isinstance(s, sp.Symbol)), key=str)
    return []


def _named(expr) -> set:
    """The Symbols, IndexedBases and MatrixSymbols free in ``expr``."""
    bases = {a.base for a in expr.atoms(sp.Indexed)}
    labels = {b.label for b in bases}
    symbols = {s for s in expr.free_symbols if isinstance(s, sp.Symbol) and s not in labels}
    return symbols | bases | set(expr.atoms(sp.MatrixSymbol))


def _length(family):
    """The number of entries of a family's vectors: its dimension (or, for a Categorical, size)."""
    for attribute in ("dimension", "size"):
        value = getattr(family, attribute, None)
        if value is not None:
            return value
    return None


def _first_index(expr, base) -> int:
    """Where the sums over ``base`` start counting its entries (0 if no sum does)."""
    for s in expr.atoms(sp.Sum):
        if any(i.base == base for i in s.function.atoms(sp.Indexed)):
            return int(s.limits[0][1])
    return 0


def _signature(result, expr) -> _Signature:
    families = [f for f in (result.p, result.q) if f is not None]
    declared = []
    for family in families:
        for value in family.args:
            for s in _named_in(value):
                if s not in declared:
                    declared.append(s)
    present = _named(expr)
    ordered = [s for s in declared if s in present] + sorted(present - set(declared), key=str)
    owner = {v: f for f in families for v in f.args if isinstance(v, sp.IndexedBase)}

    def axes(s):
        if isinstance(s, sp.MatrixSymbol):
            rows, columns = s.shape
            return [(rows, -1)] if columns == 1 else [(rows, -2), (columns, -1)]
        if isinstance(s, sp.IndexedBase):
            return [(_length(owner.get(s)), -1)]
        return []

    read = {d for s in ordered for d, _ in axes(s) if isinstance(d, sp.Symbol)}
    arguments = [s for s in ordered if s not in read]
    sizes = {}
    for position, s in enumerate(arguments):
        for d, axis in axes(s):
            if d in read or isinstance(d, (int, sp.Integer)):
                sizes.setdefault(sp.sympify(d), []).append((position, axis))
    names = [str(s) for s in arguments]  # distinct: the families see to that
    first = {b: _first_index(expr, b) for b in arguments if isinstance(b, sp.IndexedBase)}
    return _Signature(tuple(_Argument(n, s) for n, s in zip(names, arguments)),
                      {d: tuple(v) for d, v in sizes.items()}, first)


def _renamed(symbol, name: str, dimensions: dict):
    """``symbol`` (a Symbol, IndexedBase or MatrixSymbol) called ``name``, its assumptions kept."""
    if isinstance(symbol, sp.IndexedBase):
        return sp.IndexedBase(sp.Symbol(name, **symbol.label.assumptions0))
    if isinstance(symbol, sp.MatrixSymbol):
        return sp.MatrixSymbol(name, *(sp.sympify(n).xreplace(dimensions) for n in symbol.shape))
    return sp.Symbol(name, **symbol.assumptions0)


def _placeholders(expr, signature: _Signature, names=None):
    """``expr`` in new names: (expr, arguments, dimensions, first) in those names.

    The arguments are called ``names``; the dimensions and every other symbol
    (a sum's index) ``_x0, _x1 …``.  Without ``names``, everything is: its
    number then follows the order of the original names, so that sympy, which
    orders the terms of a sum by name, writes the same code for the same
    expression (the order of a sum of floats decides its rounding).
    """
    arguments = [a.symbol for a in signature.arguments]
    labels = {s.label for s in arguments if isinstance(s, sp.IndexedBase)}
    others = [s for s in expr.atoms(sp.Symbol) | set(signature.dimensions)
              if s not in set(arguments) | labels]
    renamed = sorted(others if names else arguments + others, key=str)
    width = len(str(len(renamed)))
    called = {s: f"_x{n:0{width}d}" for n, s in enumerate(renamed)}
    called.update(zip(arguments, names or ()))
    dimensions = {d: sp.Symbol(called[d], **d.assumptions0) for d in signature.dimensions}
    mapping = {s: _renamed(s, called[s], dimensions) for s in arguments}
    mapping.update({s: sp.Symbol(called[s], **s.assumptions0) for s in others})
    first = {mapping[b]: n for b, n in signature.first.items()}
    return expr.xreplace(mapping), [mapping[s] for s in arguments], \
        [mapping[d] for d in signature.dimensions], first


def _as_rows(expr, lengths: dict, first: dict, scalars: set, inside=False):
    """Sums over all the entries of arrays, written as sums over the arrays' last axis (numpy).

    A sum qualifies when each entry in its summand is x[i] for its index i and
    it runs over x's entries: from where they start (``first``) for as many as
    x has (``lengths``).  In the summand x[i] is the array x, i the positions
    along the axis, and a scalar parameter gets an axis of length 1.
    """
    if isinstance(expr, sp.Sum) and _over_all_entries(expr, lengths, first):
        (index, lower, upper), = expr.limits
        summand = expr.function.replace(
            lambda a: isinstance(a, sp.Indexed) and a.indices == (index,),
            lambda a: a.base.label)
        summand = _as_rows(summand, lengths, first, scalars, inside=True)
        summand = summand.xreplace({index: positions(lower, upper)})
        if not inside:
            summand = summand.xreplace({s: trailing(s) for s in scalars})
        return (rowsum_kept if inside else rowsum)(summand)
    if not expr.args or isinstance(expr, sp.MatrixExpr):
        return expr
    return expr.func(*(_as_rows(a, lengths, first, scalars, inside) for a in expr.args))


def _over_all_entries(expr, lengths, first) -> bool:
    if len(expr.limits) != 1:
        return False
    (index, lower, upper), = expr.limits
    outer = expr.function.atoms(sp.Indexed) - {e for s in expr.function.atoms(sp.Sum)
                                                for e in s.function.atoms(sp.Indexed)}
    return bool(outer) and all(
        e.indices == (index,) and e.base in lengths and first.get(e.base) == lower
        and sp.simplify(upper - lower + 1 - lengths[e.base]) == 0 for e in outer)


# -- lambdify ------------------------------------------------------------------------------------
def lambdify(result, backend: str = "numpy"):
    """A function of the parameters (by name) that evaluates ``result.expr``.

    ``f.parameters`` gives the names in calling order: p's, then q's.  A
    missing or unknown name is an InvalidType (a TypeError); a value of the
    wrong shape, or a fraction for an integer parameter, an InvalidInput.

    >>> from symkl import Normal, kl
    >>> f = kl(Normal(), Normal()).lambdify()
    >>> f.parameters
    ('mu_1', 'sigma_1', 'mu_2', 'sigma_2')
    >>> float(f(mu_1=0, sigma_1=1, mu_2=1, sigma_2=2))
    0.4431471805599453
    """
    if backend not in BACKENDS:
        raise InvalidInput(f"unknown backend {backend!r}; known: {', '.join(BACKENDS)}")
    namespace = _namespace(backend)
    expr = float_form(result, backend)
    signature = _signature(result, expr)
    expr, arguments, dimensions, first = _placeholders(expr, signature)
    if backend == "numpy":
        named = dict(zip(signature.dimensions, dimensions))
        lengths = {arguments[position]: named[d] for d in signature.dimensions
                   for position, _ in signature.sizes[d]}
        scalars = {s for s, a in zip(arguments, signature.arguments) if a.rank == 0}
        expr = _as_rows(expr, lengths, first, scalars)
    printer = {"numpy": lambda: _NumpyPrinter(first), "math": lambda: _MathBackendPrinter(first),
               "mpmath": lambda: _MpmathPrinter(first)}.get(backend, lambda: None)()
    if printer is not None:
        try:
            printer.doprint(expr)  # what it cannot write, and which modules it uses
        except PrintMethodNotImplementedError as error:
            raise Unsupported(f"the {backend} backend cannot evaluate {_unsupported(error)}") from None
        if "scipy.special" in printer.module_imports and "scipy" not in namespace:
            raise ImportError(f"the numpy backend needs scipy for "
                              f"{', '.join(sorted(printer.module_imports['scipy.special']))}: {_NUMERIC}")
    symbols = [a.label if isinstance(a, sp.IndexedBase) else a for a in arguments] + dimensions
    function = sp.lambdify(symbols, expr, modules=[namespace] if printer else backend, printer=printer)
    evaluate = _evaluator(function, signature, backend)
    evaluate.__doc__ = f"{result.lhs_text()} as a function of {', '.join(signature.names)} ({backend})."
    return evaluate


def _namespace(backend: str) -> dict:
    """What the generated function refers to by name; ImportError where a package is missing."""
    if backend == "numpy":
        try:
            import numpy
        except ImportError:
            raise ImportError(f"the numpy backend needs numpy: {_NUMERIC}") from None
        namespace = {"numpy": numpy, "functools": functools, "log1pmx": _log1pmx_numpy,
                     "hyper_pfq": _hyper_numpy,
                     "polylog_real": _polylog_numpy, "upper_gamma": _upper_gamma_numpy}
        try:
            import scipy.special
            namespace["scipy"] = scipy
        except ImportError:
            pass
        return namespace
    if backend == "math":
        return {"math": math, "mpmath": mpmath, "mpmath_value": _mpmath_value, **FLOAT_FUNCTIONS,
                **_LINEAR_ALGEBRA}
    if backend == "mpmath":
        return {"mpmath": mpmath, **_LINEAR_ALGEBRA}
    try:
        __import__(backend)
    except ImportError:
        raise ImportError(f"the {backend} backend needs {backend} installed") from None
    return {}


def _unsupported(error) -> str:
    """The function a printer's error names."""
    return str(error).split(":")[1].split("\n")[0].strip()


def _evaluator(function, signature: _Signature, backend: str):
    names = signature.names

    def evaluate(**values):
        unknown, missing = set(values) - set(names), set(names) - set(values)
        if unknown or missing:
            raise InvalidType(f"expected the parameters {', '.join(names)}; "
                              + (f"unknown: {', '.join(sorted(unknown))}" if unknown else
                                 f"missing: {', '.join(sorted(missing))}"))
        given = [values[n] for n in names]
        if backend == "numpy":
            import numpy
            arrays = _arrays(numpy, signature, given)
            dimensions = _dimensions(signature, [a.shape for a in arrays])
            arrays = [a[..., None] if arg.column else a for a, arg in zip(arrays, signature.arguments)]
            # a batch of one point gets an axis of length 1: numpy's ufuncs turn 0-d arrays
            # into scalars, which numpy.select (a Piecewise) refuses as conditions
            single = bool(arrays) and arrays[0].ndim == signature.arguments[0].rank
            if single:
                arrays = [a[None] for a in arrays]
            with numpy.errstate(all="ignore"):  # a Piecewise evaluates every branch, also those not taken
                out = function(*arrays, *dimensions)
            if single and getattr(out, "ndim", 0) >= 1 and out.shape[0] == 1:
                out = out[0]
            return out[()] if getattr(out, "shape", None) == () else out  # a scalar for scalars
        if backend in ("math", "mpmath"):
            number = mpmath.mpmathify if backend == "mpmath" else (lambda v: v)
            point = [_at_point(a, v, number) for a, v in zip(signature.arguments, given)]
            return function(*point, *_dimensions(signature, [_shape(a, v) for a, v in
                                                             zip(signature.arguments, point)]))
        return function(*given)

    evaluate.parameters = names
    return evaluate


def _integral(argument, value):
    """An integer parameter's value as an int (or an integer array); InvalidInput for a fraction."""
    try:
        whole = operator.index(value)
    except TypeError:
        whole = int(value) if value == int(value) else None
    if whole is None:
        raise InvalidInput(f"{argument.name} must be an integer, got {value!r}")
    return whole


def _arrays(numpy, signature, given) -> list:
    """numpy arrays, each broadcast to the batch (the shape the scalars and the arrays' leading
    axes broadcast to) followed by its own axes (a vector's entries, a matrix's rows and columns)."""
    arrays = []
    for argument, value in zip(signature.arguments, given):
        array = numpy.asarray(value, dtype=None if argument.integer else float)
        if argument.integer and not numpy.all(array == numpy.round(array)):
            raise InvalidInput(f"{argument.name} must hold integers, got {value!r}")
        if array.ndim < argument.rank:
            raise InvalidInput(f"{argument.name} must be an array whose last "
                               f"{'axis holds' if argument.rank == 1 else 'two axes hold'} its "
                               f"{'entries' if argument.rank == 1 else 'rows and columns'}, "
                               f"got shape {array.shape}")
        arrays.append(array.astype(int) if argument.integer else array)
    batches = [a.shape[:a.ndim - arg.rank] for a, arg in zip(arrays, signature.arguments)]
    try:
        batch = numpy.broadcast_shapes(*batches)
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(signature.names, arrays))
        raise InvalidInput(f"the parameters' shapes do not broadcast: {shapes}") from None
    return [numpy.broadcast_to(a, batch + a.shape[a.ndim - arg.rank:])
            for a, arg in zip(arrays, signature.arguments)]


def _at_point(argument, value, number):
    """One point's value for math or mpmath: a number, a list of entries, or a list of rows."""
    if argument.integer:
        return _integral(argument, value)
    if argument.rank == 0:
        return number(value)
    if not isinstance(value, (list, tuple)) and not hasattr(value, "tolist"):
        raise InvalidInput(f"{argument.name} must be a sequence, got {type(value).__name__}")
    if argument.rank == 1:
        entries = [number(v) for v in value]
        return [[v] for v in entries] if argument.column else entries
    return [[number(v) for v in row] for row in value]


def _shape(argument, value) -> tuple:
    """The shape of a point's value (rows and columns of a list of rows)."""
    if argument.rank == 0:
        return ()
    if argument.column:
        return (len(value),)
    return (len(value),) if argument.rank == 1 else (len(value), len(value[0]))


def _dimensions(signature, shapes) -> list:
    """Each dimension from the arguments' shapes; InvalidInput where they disagree, or
    differ from a size that is a number."""
    found = []
    for d, sources in signature.sizes.items():
        sizes = {(signature.arguments[p].name, shapes[p][axis]) for p, axis in sources}
        given = ", ".join(f"{name} has {size}" for name, size in sorted(sizes))
        if len({size for _, size in sizes}) > 1:
            raise InvalidInput(f"the arrays disagree on the dimension {d}: {given}")
        if d.is_Integer and sizes.pop()[1] != d:
            raise InvalidInput(f"the arrays need {d} entries on that axis: {given}")
        if d.is_Symbol:
            found.append(sizes.pop()[1])
    return found


# -- source code ---------------------------------------------------------------------------------
def code(result, language: str = "python", name: str | None = None) -> str:
    """Source code of a function computing ``result.expr`` from its parameters (p's, then q's).

    A name the language cannot take is replaced (see the module's docstring);
    ``name``, the function's name, must be one it can take.  C and Python get
    the functions that math and C lack (ψ and its derivatives, Q(a, x), I_ν,
    erfcx, log(1 + t) − t) written out before it, those that it calls.

    >>> from symkl import Exponential, kl
    >>> print(code(kl(Exponential(), Exponential()), "fortran"))
    real(8) function kl_exponential_exponential(rate_1, rate_2)
       implicit none
       real(8), intent(in) :: rate_1
       real(8), intent(in) :: rate_2
       kl_exponential_exponential = log(rate_1/rate_2) - 1 + rate_2/rate_1
    end function kl_exponential_exponential
    >>> source = code(kl(Exponential("lambda"), Exponential("rate")), "python")
    >>> [line for line in source.splitlines() if line.startswith(("#", "def"))]
    ['def log1pmx(t):', '# parameter names written for Python:', "# parameter 'lambda' as lambda_", 'def kl_exponential_exponential(lambda_, rate):']
    """
    if language not in LANGUAGES:
        raise InvalidInput(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    expr = float_form(result, language)
    if expr.has(sp.MatrixExpr, sp.Sum, sp.Indexed):
        raise Unsupported("code() writes closed forms of scalar parameters; use lambdify() for "
                          "sums and matrices")
    if not expr.free_symbols:
        raise Unsupported(f"the result has no parameters to write a function of: it is {result.expr}")
    signature = _signature(result, expr)
    families = [f for f in (result.p, result.q) if f is not None]
    default = "_".join([result.kind] + [type(f).__name__.lower() for f in families])
    if name is not None and not _is_identifier(name, language):
        raise InvalidInput(f"the function's name must be an identifier of {_TITLES[language]} "
                           f"(ASCII letters, digits and underscores, a letter first), got {name!r}")
    printer = {"python": _MathPrinter, "c": _CPrinter, "fortran": _FortranPrinter}[language]
    placeholders = [f"_a{n}_" for n in range(len(signature.arguments))]
    draft = _printed(printer(), _placeholders(expr, signature, placeholders)[0], language)
    library = PYTHON_SOURCE if language == "python" else C_SOURCE if language == "c" else {}
    helpers = _helpers(draft, library)
    reserved = _reserved(language, draft, placeholders, helpers, printer().reserved_words)
    function = name or _source_name(default, language, reserved)
    if _folded(function, language) in reserved:
        raise InvalidInput(f"the function's name {function!r} is reserved in {_TITLES[language]}")
    names = _source_names(signature.names, language, reserved | {_folded(function, language)})
    body = _printed(printer(), _placeholders(expr, signature, names)[0], language,
                    assign_to=function if language == "fortran" else None)
    note = _renaming_note(signature.names, names, language)
    if language == "python":
        functions = "".join(f"\n\n{PYTHON_SOURCE[h]}" for h in helpers)
        return (f"import math\n{functions}\n\n{note}def {function}({', '.join(names)}):\n"
                f"    {result.lhs_text()!r}\n    return {body}\n")
    if language == "c":
        functions = "".join(f"\n{C_SOURCE[h]}" for h in helpers)
        return (f"#include <math.h>\n{functions}\n{note}double {function}"
                f"({', '.join('double ' + a for a in names)}) {{\n   return {body};\n}}")
    head = f"real(8) function {function}({', '.join(names)})"
    if len(head) > 132:  # the longest line of free-form Fortran: one argument a line
        head = f"real(8) function {function}( &\n" + ", &\n".join(f"      {a}" for a in names) + ")"
    uses = "   use, intrinsic :: ieee_arithmetic\n" if "ieee_value(" in body else ""
    declarations = "\n".join(f"   real(8), intent(in) :: {a}" for a in names)
    return (f"{note}{head}\n{uses}   implicit none\n{declarations}\n"
            f"{textwrap.indent(body, '   ')}\nend function {function}")


_TITLES = {"python": "Python", "c": "C", "fortran": "Fortran"}
#: what an identifier is in each language (ASCII only, Fortran's at most 63 characters)
_IDENTIFIER = {"python": re.compile(r"[A-Za-z_][A-Za-z0-9_]*"),
               "c": re.compile(r"[A-Za-z][A-Za-z0-9_]*|_[a-z0-9][A-Za-z0-9_]*"),
               "fortran": re.compile(r"[A-Za-z][A-Za-z0-9_]{0,62}")}
#: a token of printed code that is a name (numbers, whose exponents look like names, skipped)
_TOKEN = re.compile(r"\b\d[\w.]*|[A-Za-z_]\w*")


def _is_identifier(name: str, language: str) -> bool:
    return isinstance(name, str) and bool(_IDENTIFIER[language].fullmatch(name)) \
        and not (language == "python" and keyword.iskeyword(name))


def _folded(name: str, language: str) -> str:
    """Names as the language compares them: Fortran ignores case."""
    return name.lower() if language == "fortran" else name


def _reserved(language, draft, placeholders, helpers, printer_words) -> set:
    """The names a parameter may not take: the language's keywords, and every name the code
    uses besides the parameters (functions, modules, helpers; in Python the builtins too)."""
    used = {t for t in _TOKEN.findall(draft) if not t[0].isdigit()} - set(placeholders)
    words = set(printer_words) | used | set(helpers)
    if language == "python":
        words |= set(keyword.kwlist) | set(dir(builtins)) | {"math"}
    if language == "c":
        words |= set(C99CodePrinter.reserved_words) | {"main"}
    return {_folded(w, language) for w in words}


def _source_name(name: str, language: str, taken: set) -> str:
    """``name`` as the language can write it, different from every name in ``taken``."""
    written = name
    if not _is_identifier(written, language):
        written = re.sub(r"[^A-Za-z0-9_]+", "_", name)
        if not written[:1].isalpha():
            written = "p" + written
        if language == "fortran":
            written = written[:60]
    candidate, n = written, 1
    while _folded(candidate, language) in taken:
        n += 1
        candidate = f"{written}_" if n == 2 else f"{written}_{n - 1}"
    return candidate


def _source_names(names, language, taken) -> list:
    """Each parameter's name in the source, none taken twice: the names the language can
    take as they are, then replacements for the others, in order."""
    kept = []
    for n in names:
        if _is_identifier(n, language) and _folded(n, language) not in taken:
            kept.append(n)
            taken = taken | {_folded(n, language)}
    written = []
    for n in names:
        if n not in kept:
            n = _source_name(n, language, taken)
            taken = taken | {_folded(n, language)}
        written.append(n)
    return written


def _renaming_note(names, written, language) -> str:
    """A comment listing the names that were replaced, each original as ``ascii()`` quotes it
    (no line break, so that the comment cannot end early), cut short."""
    longest = 40 if language == "fortran" else 80  # a Fortran line holds 132 characters
    shown = [ascii(n) if len(ascii(n)) <= longest else ascii(n)[:longest - 3] + "..." for n in names]
    changed = [f"{o} as {w}" for o, n, w in zip(shown, names, written) if n != w]
    if not changed:
        return ""
    mark = {"python": "#", "c": "//", "fortran": "!"}[language]
    return "".join(f"{mark} parameter {line}\n" for line in
                   [f"names written for {_TITLES[language]}:"] + changed)


def _printed(printer, expr, language, assign_to=None) -> str:
    """``printer``'s code for ``expr``, or Unsupported naming what the language lacks."""
    try:
        return printer.doprint(expr, assign_to) if assign_to else printer.doprint(expr)
    except PrintMethodNotImplementedError as error:
        other = "lambdify()" if language == "python" or not _python_prints(expr) \
            else "language='python' or lambdify()"
        raise Unsupported(f"{_TITLES[language]} has no {_unsupported(error)} function; use "
                          f"{other}") from None


def _python_prints(expr) -> bool:
    """Whether the Python source of :class:`_MathPrinter` can write ``expr``."""
    try:
        _MathPrinter().doprint(expr)
    except PrintMethodNotImplementedError:
        return False
    return True

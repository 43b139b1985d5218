"""An f-divergence by linearity in its generator f.

    D_f(p‖q) = E_q[f(p/q)]   (f convex on (0, ∞), f(1) = 0),

with the mass of p where q has none weighted by f'(∞) = lim f(t)/t.  D_f is
linear in f, and each of these terms of f is a quantity the engine derives:

    c              ↦ c
    t              ↦ 1                   (the convention above makes E_q[p/q] = 1)
    t^a            ↦ I_a = ∫ p^a q^{1−a}   (a > 0; for a < 0, I_{1−a} with p and q swapped)
    t log t        ↦ KL(p‖q)
    log t          ↦ −KL(q‖p)
    |t − 1|        ↦ 2 TV(p, q)

so (t − 1)² gives χ², (√t − 1)² gives 2H², t log t − log t Jeffreys' divergence.
A generator with another term is not taken apart: its divergence is left
as the integral E_q[f(p/q)], for the numeric route.
"""
from __future__ import annotations

from typing import NamedTuple

import sympy as sp

from ..errors import InvalidInput
from ..families.base import shown


class Term(NamedTuple):
    """c · (what t-shape): ``shape`` is "constant", "power" (with ``exponent``), "t log t",
    "log t" or "|t − 1|"."""

    coefficient: sp.Expr
    shape: str
    exponent: sp.Expr = sp.S.Zero


def as_generator(f) -> sp.Lambda:
    """``f`` (a sympy Lambda of one variable, or a callable taking a Symbol) as a Lambda in a
    positive t, checked: f(1) = 0 and f convex where it can be evaluated; InvalidInput otherwise.

    >>> t = sp.Symbol("t")
    >>> as_generator(sp.Lambda(t, t * sp.log(t)))
    Lambda(t, t*log(t))
    >>> as_generator(lambda t: sp.sqrt(t) - 1)
    Traceback (most recent call last):
    ...
    symkl.errors.InvalidInput: f must be convex on (0, ∞): f''(t) = -1/(4*t**(3/2)) is negative at t = 1/100
    """
    t = sp.Symbol("t", positive=True)
    if isinstance(f, sp.Lambda):
        if len(f.variables) != 1:
            raise InvalidInput(f"f must be a function of one variable, got {shown(f)}")
        body = f.expr.xreplace({f.variables[0]: t})
    elif callable(f):
        try:
            body = sp.sympify(f(t))
        except Exception as error:
            raise InvalidInput(f"f must take a sympy Symbol and give an expression: calling it "
                               f"gave {type(error).__name__}: {error}") from error
    else:
        raise InvalidInput(f"f must be a sympy Lambda or a function of one Symbol, got "
                           f"{type(f).__name__} {shown(f)}")
    if not isinstance(body, sp.Expr) or body.free_symbols - {t}:
        extra = ", ".join(sorted(map(str, getattr(body, "free_symbols", set()) - {t})))
        raise InvalidInput(f"f must be a function of t alone, with numbers for any constants; "
                           f"{shown(body)} has {extra or 'no expression'}")
    at_one = sp.simplify(body.xreplace({t: 1}))
    if at_one != 0:
        raise InvalidInput(f"f(1) must be 0 (so that D_f(p‖p) = 0), got f(1) = {shown(at_one)}")
    second = sp.simplify(sp.diff(body, t, 2))
    for point in (sp.Rational(1, 100), sp.Rational(1, 4), sp.Rational(1, 2), sp.Rational(3, 4),
                  sp.Rational(3, 2), 2, 5, 100):
        value = sp.N(second.xreplace({t: point}), 30)
        if value.is_real and value < -sp.Float(10) ** -20:
            raise InvalidInput(f"f must be convex on (0, ∞): f''(t) = {shown(second.xreplace({t: sp.Symbol('t')}))} "
                               f"is negative at t = {point}")
    return sp.Lambda(sp.Symbol("t"), body.xreplace({t: sp.Symbol("t")}))


def terms(generator: sp.Lambda):
    """The generator's terms (:class:`Term`), or None when one of them is none of the shapes."""
    t = sp.Symbol("t", positive=True)
    body = sp.expand(sp.expand_log(generator.expr.xreplace({generator.variables[0]: t}),
                                   force=True))
    found = []
    for term in sp.Add.make_args(body):
        coefficient, rest = term.as_independent(t, as_Add=False)
        if rest == 1:
            found.append(Term(coefficient, "constant"))
        elif rest == t * sp.log(t):
            found.append(Term(coefficient, "t log t"))
        elif rest == sp.log(t):
            found.append(Term(coefficient, "log t"))
        elif isinstance(rest, sp.Abs) and sp.expand(rest.args[0] ** 2 - (t - 1) ** 2) == 0:
            found.append(Term(coefficient, "|t − 1|"))
        elif rest == t:
            found.append(Term(coefficient, "power", sp.S.One))
        elif isinstance(rest, sp.Pow) and rest.base == t and rest.exp.is_number and rest.exp.is_real:
            found.append(Term(coefficient, "power", rest.exp))
        else:
            return None
    return found

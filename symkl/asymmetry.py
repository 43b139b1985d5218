"""A divergence both ways, D(p‖q) and D(q‖p), side by side: their difference, and when they coincide."""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp

from . import render
from .engine.derive import DEFAULT_BUDGET, _pair, as_order, derive
from .engine.generator import as_generator
from .errors import InvalidInput
from .kinds import KINDS
from .notation import P, Q
from .result import Result
from .engine.matrix_forms import canonical_form as canonical

#: at most this many parameter pairs are searched for a condition of equality
_MOST_PAIRS = 8


@dataclass(frozen=True)
class Asymmetry:
    """Both directions of a divergence (KL unless told).

    ``difference`` is forward − reverse, simplified.  ``equal_when`` is the
    weakest condition found, made of equalities between corresponding
    parameters of p and q, under which the difference vanishes identically
    (``True`` if it always does, ``False`` for numbers that differ, None if
    no such condition was found).  It is sufficient; for Normal and
    Exponential it is also necessary.
    """

    forward: Result
    reverse: Result
    difference: sp.Expr
    equal_when: sp.Basic | None

    def latex(self) -> str:
        """p and q, both directions, their difference and the condition, as an ``align*`` block.

        One row for each equation, as :meth:`Result.latex` writes it (broken to
        fit an article's text width); the difference continues ``= 0 \\iff`` the
        condition under which the directions coincide.
        """
        printer = self.forward._printer()
        symbol = KINDS[self.forward.kind].symbol(self.forward.order)
        forward = printer.doprint(symbol)
        reverse = printer.doprint(symbol.xreplace({P: Q, Q: P}))
        rows = render.definitions(printer, {"p": self.forward.p, "q": self.forward.q})
        condition = [] if self.equal_when in (None, sp.true, sp.false) else \
            [rf"0 \iff {printer.doprint(self.equal_when)}"]
        rows += [render.equation(printer, forward, self.forward.expr),
                 render.equation(printer, reverse, self.reverse.expr),
                 render.equation(printer, f"{forward} - {reverse}", self.difference, also=condition)]
        return "\\begin{align*}\n" + " \\\\\n".join(f"&{row}" for row in rows) + "\n\\end{align*}"

    def plot(self, vary: str, over, values=None, ax=None):
        """KL(p‖q) and KL(q‖p) as the parameter ``vary`` runs over ``over`` = (low, high).

        A matplotlib Figure (``pip install symkl[plot]``); see :func:`symkl.plot.plot_asymmetry`.
        """
        from .plot import plot_asymmetry
        return plot_asymmetry(self, vary, over, values, ax)

    def _repr_latex_(self):
        return f"$\\displaystyle {self.latex()}$".replace("align*", "aligned")

    def __str__(self):
        when = {None: "no condition found", sp.true: "always", sp.false: "never"}
        condition = self.equal_when
        shown = when[condition] if condition in when else sp.pretty(condition, use_unicode=True)
        return (f"forward:    {self.forward!r}\nreverse:    {self.reverse!r}\n"
                f"difference: {sp.sstr(self.difference)}\nequal when: {shown}")


def asymmetry(p, q, *, divergence: str = "kl", alpha=None, f=None, base=sp.E,
              budget: float = DEFAULT_BUDGET) -> Asymmetry:
    """D(p‖q) and D(q‖p), their difference, and when they coincide.

    ``divergence`` names any pairwise quantity of :data:`symkl.kinds.KINDS`
    ("kl", "renyi", "chi_square", "f_divergence" …); ``alpha`` is the order of
    one that takes it, ``f`` the generator of an f-divergence.  A symmetric
    divergence gives the difference 0.

    >>> from symkl import Exponential
    >>> a = asymmetry(Exponential(), Exponential())
    >>> a.equal_when
    Eq(rate_1, rate_2)
    >>> asymmetry(Exponential(), Exponential(), divergence="chi_square").equal_when
    Eq(rate_1, rate_2)
    """
    spec = KINDS.get(divergence) if isinstance(divergence, str) else None
    if spec is None or not spec.pairwise:
        names = ", ".join(name for name, k in KINDS.items() if k.pairwise)
        raise InvalidInput(f"divergence must be one of {names}; got {divergence!r}")
    if (spec.order == "free") != (alpha is not None):
        raise InvalidInput(f"the {spec.title} takes the order alpha" if spec.order == "free"
                           else f"the {spec.title} takes no order alpha")
    if (spec.order == "function") != (f is not None):
        raise InvalidInput(f"the {spec.title} takes the generator f" if spec.order == "function"
                           else f"the {spec.title} takes no generator f")
    order = as_order(alpha) if alpha is not None else as_generator(f) if f is not None else None
    p, q = _pair(p, q)
    options = {"budget": budget, "order": order, **({"base": base} if spec.logarithmic else {})}
    forward = derive(divergence, p, q, **options)
    reverse = derive(divergence, q, p, **options)
    difference = _infinities_resolved(canonical(forward.expr - reverse.expr))
    if spec.symmetric and difference != 0 and _agree(forward, reverse):
        difference = sp.S.Zero  # the theorem, where sympy does not see it (TV of two Normals)
    return Asymmetry(forward, reverse, difference, _coincidence(p, q, difference))


#: the random points at which two forms of a symmetric divergence are compared
_POINTS = 3


def _agree(forward, reverse) -> bool:
    """Whether the two directions of a symmetric divergence agree to 30 digits at random
    points (True), or cannot be evaluated there (False); an engine error if they differ."""
    import random
    from .errors import InternalError
    rng = random.Random(0)
    for _ in range(_POINTS):
        values = {}
        for family in (forward.p, forward.q):
            values.update(family.sample(rng, values))
        try:
            a, b = (sp.N(r.subs(values).expr, 40) for r in (forward, reverse))
        except Exception:
            return False
        if not (a.is_number and b.is_number) or a.has(sp.Integral, sp.Sum):
            return False
        if a.is_finite and b.is_finite and abs(a - b) > sp.Float(10) ** -30 * (1 + abs(a)):
            raise InternalError(f"the {forward.kind} of {forward.p!r} and {forward.q!r} differs "
                                f"from the other direction at {values}: {a} and {b}")
        if a.is_finite != b.is_finite:
            raise InternalError(f"the {forward.kind} of {forward.p!r} and {forward.q!r} is "
                                f"finite one way only at {values}")
    return True


def _infinities_resolved(difference):
    """Pieces of the difference holding one infinite term as that infinity (∞ − c is ∞);
    where both directions are ∞ the difference is undefined, and stays nan.

    >>> a = sp.Symbol("a", positive=True)
    >>> _infinities_resolved(sp.Piecewise((sp.log(a) - sp.oo, a > 1), (a, True)))
    Piecewise((-oo, a > 1), (a, True))
    """
    def resolved(value):
        if value.has(sp.nan) or not value.has(sp.oo, -sp.oo):
            return value
        signs = {1 if term.is_positive or term == sp.oo else -1
                 for term in sp.Add.make_args(value) if term.has(sp.oo, -sp.oo)}
        return (sp.oo if signs == {1} else -sp.oo) if len(signs) == 1 else value
    if isinstance(difference, sp.Piecewise):
        return sp.Piecewise(*((resolved(v), c) for v, c in difference.args))
    return resolved(difference)


def _vanishes(expr) -> bool:
    expr = canonical(expr)
    if expr.has(sp.MatrixExpr):
        return expr == 0  # sympy.simplify does not take traces of matrix products
    return expr == 0 or sp.simplify(expr) == 0


def _coincidence(p, q, difference):
    """The fewest equalities p.θ_i = q.θ_i under which ``difference`` is 0."""
    if difference.is_number:
        return sp.true if difference == 0 else sp.false
    if difference == 0:
        return sp.true
    if type(p) is not type(q) or len(p.args) != len(q.args):
        return None
    pairs = [(a, b) for a, b in zip(p.args, q.args) if a != b and _replaceable(b)]
    if len(pairs) > _MOST_PAIRS:
        return None
    for size in range(1, len(pairs) + 1):
        for chosen in itertools.combinations(pairs, size):
            if _vanishes(difference.xreplace({b: a for a, b in chosen})):
                return sp.And(*(sp.Eq(a, b) for a, b in chosen))
    return None


def _replaceable(value) -> bool:
    return isinstance(value, (sp.Symbol, sp.IndexedBase, sp.MatrixSymbol))

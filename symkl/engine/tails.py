"""Whether an expectation left as an integral converges: p's decay against the statistic's growth.

An expectation E_p[L(X)] that no rule could evaluate is left as an integral
(or a sum).  Before it is called "numeric only", its convergence is decided
at each end of p's support from the order of p(x)·|L(x)| there:

* at an infinite end, with A = lim log(p·|L|) / log|x|: it converges if
  A < −1 (p·|L| decays faster than 1/|x|) and diverges if A > −1;
* at a finite end e, with u = |x − e| → 0 and A = lim log(p·|L|) / log u:
  it converges if A > −1 and diverges if A < −1;
* at A = −1 exactly it diverges if |x|·p·|L| (u·p·|L|) tends to a positive
  limit, and is left undecided otherwise;
* at an end where L tends to a finite limit, it converges (L is bounded near
  it and p is integrable), whatever the order.

A is a limit in x with the parameters as symbols, so the answer may be a
condition on them (a Pareto's E|X − μ| converges for α > 1).  Each term of
L = Σ c_k t_k is examined on its own (if each converges, so does the sum);
a divergence is claimed only for L as a whole, or for a term that is the
only one.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .budget import OutOfTime, clock, share, within

#: seconds one limit may take (within the derivation's budget)
_MOST_PER_LIMIT = 2.0


@dataclass(frozen=True)
class Convergence:
    """Where ∫ p·L converges: ``holds`` (True, False or a condition on the parameters),
    and, where it fails, at which end and why."""

    holds: sp.Basic
    why: str | None = None


def convergence(p, leftover, x, deadline: float) -> Convergence | None:
    """Where E_p[leftover(X)] converges, or None where that could not be decided.

    >>> from symkl import Pareto
    >>> x = sp.Symbol("x", positive=True)
    >>> convergence(Pareto(1, "a"), x**2, x, float("inf"))
    Convergence(holds=a > 2, why='at ∞, p·|x**2| ~ |x|^(1 - a)')
    """
    terms = [c * t for t, c in _terms(leftover, x)]
    if not terms:
        return Convergence(sp.true)
    log_p = p.log_density(x)

    def at(end):
        if _bounded(sp.Add(*terms), x, end, deadline):
            return Convergence(sp.true)  # p·|L| ≤ sup|L|·p there, and p is integrable
        if len(terms) == 1:
            return _at_end(log_p, terms[0], x, end, deadline)
        found = _at_end(log_p, sp.Add(*terms), x, end, deadline)
        if found is not None:
            return found
        parts = [_at_end(log_p, term, x, end, deadline) for term in terms]  # each term on its own
        if any(part is None for part in parts) or sp.And(*(part.holds for part in parts)) != sp.true:
            return None  # a divergence of one term may cancel against another
        return Convergence(sp.true)
    return _at_every_end(at, _ends(p))


def integrable(log_integrand, x, ends, deadline: float) -> Convergence | None:
    """Where ∫ e^{log_integrand} dx converges at each of the ``ends`` ((point, side) as in
    :func:`_ends`), or None where that could not be decided.

    >>> x, s = sp.Symbol("x", positive=True), sp.Symbol("s", positive=True)
    >>> integrable((s - 2) * sp.log(x) - x, x, [(sp.S.Zero, 1), (sp.oo, -1)], float("inf"))
    Convergence(holds=s > 1, why='at x = 0, the integrand ~ u^(s - 2)')
    """
    return _at_every_end(lambda end: _at_end(log_integrand, sp.S.One, x, end, deadline, "the integrand"),
                         ends)


def _at_every_end(at, ends) -> Convergence | None:
    """The convergence at every end (``at(end)`` for each), None if one is undecided."""
    conditions, failures = [], []
    for end in ends:
        found = at(end)
        if found is None:
            return None
        conditions.append(found.holds)
        if found.holds != sp.true:
            failures.append(found.why)
    holds = sp.And(*conditions)
    return Convergence(holds, "; ".join(failures) if holds != sp.true else None)


def _terms(leftover, x):
    """(statistic, coefficient) pairs of ``leftover`` that depend on x."""
    pairs = {}  # one coefficient per statistic: −a log x + b log x is (b − a) log x
    for term in sp.Add.make_args(sp.expand(leftover)):
        coefficient, statistic = term.as_independent(x, as_Add=False)
        if statistic.has(x):
            pairs[statistic] = pairs.get(statistic, 0) + coefficient
    return [(statistic, sp.factor(c)) for statistic, c in pairs.items() if c != 0]


def _ends(p):
    """The ends of p's support where the integral may fail: both ends of a continuous
    support, the infinite ones of a discrete one, as (point, side): side −1 approaches
    from below (an upper end), +1 from above (a lower end)."""
    support = p.support
    ends = [(support.inf, +1), (support.sup, -1)]
    if p.discrete:
        ends = [(e, side) for e, side in ends if e.is_infinite]
    return ends


def _bounded(statistic, x, end, deadline) -> bool:
    """Whether the statistic tends to a finite limit at the end (so is bounded near it)."""
    u = sp.Dummy("u", positive=True)
    point, side = end
    if point.is_infinite:
        at, towards = {x: side * -u} if point == -sp.oo else {x: u}, sp.oo
    else:
        at, towards = {x: point + side * u}, 0
    limit = _limit(statistic.xreplace(at), u, towards, deadline)
    return limit is not None and limit.is_finite is True


def _at_end(log_p, term, x, end, deadline, named=None) -> Convergence | None:
    point, side = end
    named = named or f"p·|{sp.sstr(term)}|"
    u = sp.Dummy("u", positive=True)
    if point.is_infinite:
        at = {x: side * -u} if point == -sp.oo else {x: u}
        scale, name = sp.log(u), "∞" if point == sp.oo else "−∞"
    else:
        at = {x: point + side * u}
        scale, name = sp.log(u), f"x = {sp.sstr(point)}"
    # a constant factor leaves the order alone (sympy's limit reads log|(a₂ − a)·log u|/log u
    # as 0, not as the limit of log log u/log u)
    statistic = term.as_independent(x, as_Add=False)[1] if term.is_Mul else term
    log_integrand = (log_p + sp.log(sp.Abs(statistic))).xreplace(at)
    towards = sp.oo if point.is_infinite else 0
    exponent = _limit(log_integrand / scale, u, towards, deadline)
    if exponent is None or exponent.has(sp.nan, sp.zoo, sp.AccumBounds):
        return None
    if exponent in (sp.oo, -sp.oo) and not _one_way(log_integrand, u, towards, exponent, deadline):
        return None
    infinite = point.is_infinite
    # the integrand behaves as u^A: integrable at ∞ for A < −1, at a finite end for A > −1
    if exponent == (sp.oo if infinite else -sp.oo):
        return Convergence(sp.false, f"at {name}, {named} does not decay")
    if exponent == (-sp.oo if infinite else sp.oo):
        return Convergence(sp.true)
    converges = sp.Lt(exponent, -1) if infinite else sp.Gt(exponent, -1)
    if converges in (sp.true, sp.false) and exponent != -1:
        holds = converges
    elif exponent == -1:
        # |x|·p·|L| (u·p·|L|) is ≥ 0; a limit that is not identically 0 makes ∫ diverge like ∫ du/u
        edge = _limit(sp.exp(log_integrand) * u, u, towards, deadline)
        if edge is None or edge.is_zero or (edge.is_zero is None and edge.equals(0) is not False):
            return None
        holds = sp.false
    else:
        holds = _tidy(converges)
    what = "|x|" if infinite else "u"
    return Convergence(holds, f"at {name}, {named} ~ {what}^({sp.sstr(exponent)})")


def _one_way(log_integrand, u, towards, exponent, deadline) -> bool:
    """Whether sympy's ±∞ for the order, where u is raised to a parameter's power, holds at
    either end of the parameters' ranges too (where sympy finds those limits): sympy's limit reads rate·u − 2u^k/λ^k as
    +∞ for a symbolic k > 0, where it is −∞ for k > 1 (it called a convergent χ² of a
    Weibull against an exponential ∞).  Without such powers sympy's answer stands."""
    powers = [a for a in log_integrand.atoms(sp.Pow) if a.base.has(u) and a.exp.free_symbols - {u}]
    if not powers:
        return True
    symbols = sorted(log_integrand.free_symbols - {u}, key=str)
    for small in (True, False):
        at = {s: (1 if small else 3) if s.is_integer else (sp.Rational(1, 2) if small else 3)
              for s in symbols}
        found = _limit(log_integrand.xreplace(at) / sp.log(u), u, towards, deadline)
        if found is not None and found != exponent:  # refuted; a limit not found refutes nothing
            return False
    return True


def _limit(expr, u, towards, deadline):
    try:
        value = within(min(deadline - clock(), share(_MOST_PER_LIMIT)),
                       lambda: sp.limit(expr, u, towards, "+" if towards == 0 else "-"))
    except OutOfTime:
        return None
    except (NotImplementedError, ValueError, TypeError, RecursionError):
        return None  # sympy cannot take this limit
    return None if value.has(sp.Limit) else value


def _tidy(condition):
    """A condition on one parameter solved for it (α > 1 rather than −α < −1)."""
    symbols = condition.free_symbols
    if len(symbols) != 1:
        return condition
    (symbol,) = symbols
    try:
        solved = sp.solve(condition, symbol)
    except (NotImplementedError, ValueError):
        return condition
    if isinstance(solved, sp.And):
        solved = sp.And(*(part for part in solved.args if not part.has(sp.oo, -sp.oo)))
    if not isinstance(solved, sp.Basic):
        return condition
    if isinstance(solved, sp.core.relational.Relational) and solved.rhs == symbol:
        solved = solved.reversed  # a > 2 rather than 2 < a
    return solved

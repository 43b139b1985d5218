"""KL divergence, entropy and cross-entropy, derived from the densities.

    KL(p‖q) = H(p, q) − H(p) = E_p[log p(X) − log q(X)]

1. support: supp p ⊄ supp q gives ∞ (a Piecewise when parameters decide);
2. decompose the log-density (ratio) into statistics: c₀ + Σ c_k t_k(x);
3. take E_p[t_k(X)] by the rules of :mod:`symkl.engine.expectation`;
4. assemble and write canonically (:mod:`symkl.engine.simplify`);
5. record each step.

The derivation is done once per pair of family *signatures* with fresh
Symbols for every parameter, cached, then the actual parameters are
substituted: numbers in give exact numbers out.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .. import notation
from .budget import OutOfTime, clock, within
from .decompose import decompose
from .expectation import UNEVALUATED, expectation
from ..families import Distribution, by_name
from ..kinds import KINDS
from ..result import Result, Step
from .matrix_forms import canonical_form
from .support import support_condition

#: seconds (of CPU) a derivation may take before it returns what it has
DEFAULT_BUDGET = 20.0


@dataclass(frozen=True)
class Derivation:
    """What the engine found for one (kind, p, q): the parts of a Result."""

    expr: sp.Expr
    steps: tuple
    closed_form: bool
    reason: str | None = None

    def at(self, mapping, seconds: float) -> "Derivation":
        """The derivation at actual parameter values, re-simplified within ``seconds``.

        Past the budget (huge exact numbers, say) the values are put in unevaluated.
        """
        if not mapping or all(k == v for k, v in mapping.items()):
            return self
        steps = tuple(s.xreplace(mapping) for s in self.steps)
        try:
            expr = within(seconds, self.expr.xreplace, mapping)
            if expr == self.expr:
                return Derivation(expr, steps, self.closed_form, self.reason)
            simplified = within(seconds, canonical_form, expr)
        except OutOfTime:
            with sp.evaluate(False):
                expr = simplified = self.expr.xreplace(mapping)
        if all(isinstance(v, (sp.Symbol, sp.IndexedBase, sp.MatrixSymbol)) for v in mapping.values()):
            return Derivation(simplified, steps, self.closed_form, self.reason)  # names only
        step = Step("at the given parameters", sp.Eq(self.expr, expr, evaluate=False))
        return Derivation(simplified, steps + (step,), self.closed_form, self.reason)


def kl(p, q, *, base=sp.E, budget: float = DEFAULT_BUDGET) -> Result:
    """KL(p‖q), the Kullback–Leibler divergence of q from p, derived in closed form.

    Parameters
    ----------
    p, q : Distribution or str
        The two distributions (a family name gives the family with symbols).
    base : number, default e
        Logarithm base: e gives nats, 2 gives bits.
    budget : float
        Seconds the derivation may take before it settles for what it has.

    Examples
    --------
    >>> from symkl import Normal, kl
    >>> kl(Normal(), Normal()).expr
    log(sigma_2/sigma_1) - 1/2 + (sigma_1**2 + (mu_1 - mu_2)**2)/(2*sigma_2**2)
    >>> kl(Normal(0, 1), Normal(1, 2)).expr
    -1/4 + log(2)
    """
    p, q = _pair(p, q)
    return derive("kl", p, q, base=base, budget=budget)


def cross_entropy(p, q, *, base=sp.E, budget: float = DEFAULT_BUDGET) -> Result:
    """H(p, q) = −E_p[log q(X)], the cross-entropy of q relative to p.

    >>> from symkl import Exponential, cross_entropy
    >>> cross_entropy(Exponential(), Exponential()).expr
    -log(rate_2) + rate_2/rate_1
    """
    p, q = _pair(p, q)
    return derive("cross_entropy", p, q, base=base, budget=budget)


def entropy(p, *, base=sp.E, budget: float = DEFAULT_BUDGET) -> Result:
    """H(p) = −E_p[log p(X)], the (differential) entropy of p.

    >>> from symkl import Normal, entropy
    >>> entropy(Normal()).expr
    log(2*E*pi*sigma**2)/2
    >>> entropy(Normal(), base=2).expr
    log(2*E*pi*sigma**2)/(2*log(2))
    """
    p = by_name(p) if isinstance(p, str) else p
    _check_distribution(p)
    return derive("entropy", p, base=base, budget=budget)


def _check_distribution(d):
    if not isinstance(d, Distribution):
        raise TypeError(f"expected a distribution such as Normal(0, 1), got {d!r}")


def _pair(p, q):
    p, q = (by_name(d) if isinstance(d, str) else d for d in (p, q))
    _check_distribution(p)
    _check_distribution(q)
    p, q = p.sized_like(q), q.sized_like(p)
    p.check_comparable(q)
    q.check_comparable(p)
    return p.renamed("1"), q.renamed("2")


def derive(kind, p, q=None, *, base=sp.E, budget: float = DEFAULT_BUDGET) -> Result:
    """The Result of ``kind`` ("kl", "entropy" or "cross_entropy") for prepared p and q."""
    base = sp.sympify(base)
    if not (base.is_positive and base != 1):
        raise ValueError(f"base must be positive and not 1, got {base}")
    p_twin, mapping = p.generic("1")
    q_twin, q_mapping = q.generic("2") if q is not None else (None, {})
    mapping.update(q_mapping)
    generic = _derive_generic(kind, p_twin, q_twin, float(budget))
    if base != sp.E:
        in_units = generic.expr / sp.log(base)
        step = Step(f"in base {base}", sp.Eq(KINDS[kind].symbol, in_units, evaluate=False))
        generic = Derivation(in_units, generic.steps + (step,), generic.closed_form, generic.reason)
    derivation = generic.at(mapping, float(budget))
    if derivation.expr.has(sp.nan, sp.zoo):
        # The parameters sit where the general formula reads 0·log 0 (Uniform(0, 1)
        # against Beta(1, 1)): derive again for these very distributions.
        direct = _derive(kind, p, q, clock() + budget)
        derivation = Derivation(direct.expr / sp.log(base), direct.steps, direct.closed_form,
                                direct.reason)
    return Result(kind, p, q, derivation.expr, derivation.steps, base=base,
                  closed_form=derivation.closed_form, reason=derivation.reason,
                  generic=(generic.expr, mapping))


_CACHE: dict = {}


def _derive_generic(kind, p, q, budget) -> Derivation:
    key = (kind, p.signature(), q.signature() if q is not None else None, budget)
    if key not in _CACHE:
        _CACHE[key] = _derive(kind, p, q, clock() + budget)
    return _CACHE[key]


def _derive(kind, p, q, deadline) -> Derivation:
    x = p.variable()
    lhs, integrand_of = KINDS[kind].symbol, KINDS[kind].integrand
    if q is not None:
        condition, reason = support_condition(p, q)
        if condition == sp.false:
            return Derivation(sp.oo, (Step("support", sp.Eq(lhs, sp.oo, evaluate=False)),),
                              True, reason)
    shown = x if isinstance(x, sp.Symbol) else sp.Symbol("x")  # a point of ℝᵏ, written x
    log_p, log_q = sp.log(notation.density("p", shown)), sp.log(notation.density("q", shown))
    integrand = integrand_of(p.log_density(x), q.log_density(x) if q is not None else 0)
    integrand_lhs = integrand_of(log_p, log_q)
    steps = []
    if KINDS[kind].definition is not None:
        steps.append(Step("definition", sp.Eq(lhs, KINDS[kind].definition, evaluate=False)))
    steps.append(Step("as an expectation", sp.Eq(
        lhs, notation.Expectation(integrand_lhs, notation.P), evaluate=False)))
    for side, name, family in (("p", log_p, p), ("q", log_q, q)):
        if KINDS[kind].uses(side):
            label = notation.Label(f"log {side}(x)", rf"\log {side}(x)")
            steps.append(Step(label, sp.Eq(name, family.log_density(x), evaluate=False)))
    terms = decompose(integrand, x)
    steps.append(Step("expanded", sp.Eq(integrand_lhs, _display(terms), evaluate=False)))
    assembled, closed_form = sp.S.Zero, True
    for statistic, coefficient in terms.items():
        if statistic == 1:
            assembled += coefficient
            continue
        value, rule = expectation(p, statistic, x, deadline)
        closed_form &= rule != UNEVALUATED
        steps.append(Step(rule, sp.Eq(notation.Expectation(statistic, notation.P), value,
                                      evaluate=False)))
        if _diverges(value) and q is not None:
            # −log q is bounded below for every family, so a divergent part of
            # E_p[−log q] makes it +∞ (p's own entropy is finite).
            steps.append(Step("divergent", sp.Eq(lhs, sp.oo, evaluate=False)))
            return Derivation(sp.oo, tuple(steps), True,
                              f"E_p[{sp.sstr(statistic)}] diverges: p's tails are too heavy for q")
        assembled += coefficient * value
    assembled = sp.piecewise_fold(assembled) if assembled.has(sp.Piecewise) else assembled
    steps.append(Step("assembled", sp.Eq(lhs, assembled, evaluate=False)))
    try:
        expr = within(deadline - clock(), canonical_form, assembled)
    except OutOfTime:
        expr = assembled
    if q is not None and condition != sp.true:
        expr = sp.Piecewise((expr, condition), (sp.oo, True))
    steps.append(Step("simplified", sp.Eq(lhs, expr, evaluate=False)))
    return Derivation(expr, tuple(steps), closed_form, reason if q is not None else None)


def _diverges(value) -> bool:
    return value.has(sp.nan, sp.zoo) or value in (sp.oo, -sp.oo)


def _display(terms):
    return sp.Add(*(c * t for t, c in terms.items()), evaluate=False)

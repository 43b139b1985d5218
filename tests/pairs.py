"""What the sweeps run over: every pair of families, the multivariate cases, and their points.

A sweep checks one property on every ordered pair of the catalog (in the
slow suite) and on :data:`SAMPLE` (in the fast one), at random valid points
and at *ties*: points where parameters of p and q coincide.

* :func:`pairs` — the 765 ordered pairs (continuous × continuous, discrete × discrete);
* :func:`multivariate` — explicit and symbolic random-vector cases;
* :func:`derived` — KL (or another divergence) of a pair with symbols for every parameter (cached);
* :func:`random_points`, :func:`tie_points` — parameter values (by Symbol).

Ties: for each parameter of p and each parameter of q with the same
constraint (two locations, two scales, the same name …) a point where they
are equal and the rest random; a point where every same-named parameter is
equal; and p = q when the families are the same (then KL is exactly 0).
"""
from __future__ import annotations

import functools
import random

import sympy as sp

import symkl as sk
from symkl import catalog

#: the pairs the fast suite samples: the common, the piecewise, the special-function ones
SAMPLE = [tuple(getattr(sk, name) for name in pair.split("-")) for pair in """
    Normal-Normal Normal-Laplace Laplace-Normal Gamma-Gamma Beta-Beta Exponential-Gamma
    Uniform-Uniform Pareto-Pareto Cauchy-Cauchy Gumbel-Gumbel Weibull-Gamma ChiSquared-ChiSquared
    ContinuousBernoulli-ContinuousBernoulli LogNormal-LogNormal Pareto-Exponential
    Bernoulli-Bernoulli Binomial-Binomial Poisson-Poisson Geometric-Geometric Categorical-Categorical
    """.split()]


def pairs():
    """Every ordered pair of the catalog, as (p's family, q's family)."""
    return list(catalog.pairs())


def pair_id(pair) -> str:
    return "-".join(family.__name__ for family in pair)


@functools.lru_cache(maxsize=None)
def derived(p, q, kind="kl", order=None) -> sk.Result:
    """KL (or ``kind``, any of the registry's, at ``order`` where it takes one) of the pair
    with a Symbol for every parameter."""
    if kind == "entropy":
        return sk.entropy(p())
    divergence = getattr(sk, kind)
    return divergence(p(), q()) if order is None else divergence(p(), q(), order)


def multivariate():
    """(label, p, q) for the random-vector results the sweeps cover."""
    return [
        ("MVN symbolic", sk.MultivariateNormal(), sk.MultivariateNormal()),
        ("MVN k=2", sk.MultivariateNormal(["a", "b"], [["s", "r"], ["r", "t"]]),
         sk.MultivariateNormal(["c", "d"], [["u", "v"], ["v", "w"]])),
        ("DiagonalNormal symbolic", sk.DiagonalNormal(), sk.DiagonalNormal()),
        ("DiagonalNormal VAE", sk.DiagonalNormal(), sk.DiagonalNormal(0, 1)),
        ("DiagonalNormal k=2", sk.DiagonalNormal(["m1", "m2"], ["s1", "s2"]),
         sk.DiagonalNormal(["n1", "n2"], ["t1", "t2"])),
        ("Dirichlet symbolic", sk.Dirichlet(), sk.Dirichlet()),
        ("Dirichlet K=3", sk.Dirichlet(["a1", "a2", "a3"]), sk.Dirichlet(["b1", "b2", "b3"])),
        ("Multinomial symbolic", sk.Multinomial(), sk.Multinomial()),
        ("Multinomial K=3", sk.Multinomial("n", ["a1", "a2", "a3"]), sk.Multinomial("n", ["b1", "b2", "b3"])),
    ]


def _valid(result, values) -> bool:
    try:
        for family in (result.p, result.q):
            if family is not None:
                family.subs(values)
    except ValueError:
        return False
    return True


def random_points(result, n: int = 5, seed: int = 0) -> list[dict]:
    """``n`` random valid points {Symbol: value} for the parameters of p and q."""
    rng = random.Random(f"{result.lhs_text()} {seed}")
    points = []
    for _ in range(n):
        values = result.p.sample(rng)
        if result.q is not None:
            values.update(result.q.sample(rng, known=values))
        points.append(values)
    return points


def _symbols(family):
    """(parameter, Symbol) for the parameters of ``family`` that are plain Symbols."""
    return [(parameter, value) for parameter, value in zip(family.parameters, family.args)
            if isinstance(value, sp.Symbol) and not parameter.structural]


_NAMED = (sp.Symbol, sp.IndexedBase, sp.MatrixSymbol)


def _vector_ties(p, q):
    """(label, {q's symbol: p's symbol}) for each argument of a random vector, then all."""
    ties = []
    for a, b in zip(p.args, q.args):
        if isinstance(a, _NAMED) and isinstance(b, _NAMED) and a != b and type(a) is type(b):
            ties.append((f"{a} = {b}", {b: a}))
        elif isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase) and a.shape == b.shape:
            equal = {y: x for x, y in zip(a, b) if isinstance(x, sp.Symbol) and isinstance(y, sp.Symbol)
                     and x != y}
            if equal:
                ties.append((f"{sp.sstr(list(a))} = {sp.sstr(list(b))}", equal))
    if len(ties) > 1:
        ties.append(("p = q", {k: v for _, equal in ties for k, v in equal.items()}))
    return ties


def _tie(values, equal):
    """Give each of q's symbols in ``equal`` the value of p's (keys are matched by name)."""
    keys = {str(k): k for k in values}
    for b, a in equal.items():
        if str(a) in keys:
            values[keys.get(str(b), b)] = values[keys[str(a)]]


def tie_points(result, seed: int = 0) -> list[tuple[str, dict]]:
    """(label, point) for the ties of a pair: see the module's docstring."""
    if result.q is None:
        return []
    p, q = result.p, result.q
    rng = random.Random(f"{result.lhs_text()} ties {seed}")
    if not p.parameters:
        wanted = _vector_ties(p, q) if type(p) is type(q) else []
    else:
        p_symbols, q_symbols = _symbols(p), _symbols(q)
        wanted = [(f"{a} = {b}", {b: a}) for a_parameter, a in p_symbols for b_parameter, b in q_symbols
                  if a_parameter.name == b_parameter.name
                  or a_parameter.constraint == b_parameter.constraint]
        same_named = {b: a for a_parameter, a in p_symbols for b_parameter, b in q_symbols
                      if a_parameter.name == b_parameter.name}
        if type(p) is type(q) and len(same_named) == len(q_symbols) > 1:
            wanted.append(("p = q", same_named))
        elif len(same_named) > 1:
            wanted.append(("every same-named parameter equal", same_named))
    points = []
    for label, equal in wanted:
        for _ in range(50):
            values = p.sample(rng)
            _tie(values, equal)
            try:
                values.update(q.sample(rng, known=values))
            except ValueError:  # no valid q with these values (a tie that cannot hold)
                continue
            _tie(values, equal)
            if _valid(result, values):
                points.append((label, values))
                break
    return points

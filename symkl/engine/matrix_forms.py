"""Canonical forms of expressions holding traces, determinants, inverses and coordinates.

:func:`symkl.engine.simplify.canonical` works on scalars.  For a result about
random vectors the quadratic forms are first brought together, then every
trace, determinant, coordinate μ[i] and sum inside a function (log Γ(Σ α_j))
stands in as a scalar Symbol while ``canonical`` works, and is put back
afterwards:

* tr(Σ⁻¹Σ) = k and the like are evaluated;
* quadratic forms complete their square:
  aᵀA a − aᵀA b − bᵀA a + bᵀA b = (a − b)ᵀA(a − b), for A a covariance
  or its inverse (symmetric: the only middle factors the engine makes);
* a determinant under a log is positive (it is one of a covariance).
"""
from __future__ import annotations

import itertools

import sympy as sp
from sympy.logic.boolalg import BooleanFunction

from .decompose import split_trace
from .simplify import _shortest, canonical, factors_outside, real_forms

#: past this many operations an expression is simplified only by the cheaper route
_LARGE = 300


class IsPositiveDefinite(BooleanFunction):
    r"""The condition that a symmetric matrix S is positive definite, S ≻ 0.

    It stays as it is for a matrix expression (αΣ₂ + (1 − α)Σ₁ of matrix symbols);
    for an explicit matrix it is Sylvester's criterion, each leading principal minor
    positive, which is true or false where the entries are numbers.

    >>> S = sp.MatrixSymbol("S", 2, 2)
    >>> IsPositiveDefinite(S).subs(S, sp.ImmutableMatrix([[2, 1], [1, 2]]))
    True
    >>> a = sp.Symbol("a", real=True)
    >>> IsPositiveDefinite(sp.ImmutableMatrix([[1, a], [a, 1]]))
    a**2 < 1
    >>> sp.latex(IsPositiveDefinite(S))
    'S \\succ 0'
    """

    @classmethod
    def eval(cls, matrix):
        explicit = matrix.doit() if isinstance(matrix, sp.MatrixExpr) else matrix
        if not isinstance(explicit, sp.MatrixBase):
            return None
        minors = [sp.factor(explicit[:j, :j].det()) for j in range(1, explicit.rows + 1)]
        return sp.And(*(sp.simplify(minor > 0) if minor.free_symbols else sp.sympify(minor > 0)
                        for minor in minors))

    def to_nnf(self, simplify=True):
        return self  # an atom of the logic: its argument is a matrix, not a proposition

    def _sympystr(self, printer):
        return f"IsPositiveDefinite({printer._print(self.args[0])})"

    def _latex(self, printer):
        return rf"{printer._print(self.args[0])} \succ 0"


def canonical_form(expr):
    """``canonical`` for expressions that may hold traces and determinants.

    >>> k = sp.Symbol("k", integer=True, positive=True)
    >>> a, b = sp.MatrixSymbol("a", k, 1), sp.MatrixSymbol("b", k, 1)
    >>> S = sp.MatrixSymbol("S", k, k)
    >>> canonical_form(sp.Trace(a.T*S.I*a) - sp.Trace(a.T*S.I*b) - sp.Trace(b.T*S.I*a)
    ...                + sp.Trace(b.T*S.I*b) + sp.log(sp.Determinant(S)) + sp.Trace(S.I*S))
    k + log(Determinant(S)) + Trace((a.T - b.T)*S**(-1)*(a - b))
    """
    expr = real_forms(expr)
    if not expr.has(sp.Trace, sp.Determinant, sp.Indexed):
        differences = _in_differences(expr)
        if differences is not None and sp.count_ops(expr) > _LARGE:
            return differences  # factoring the whole of a large expression would take long
        return _shortest([canonical(expr), differences])
    if isinstance(expr, sp.Piecewise):
        return sp.Piecewise(*((canonical_form(e), c) for e, c in expr.args))
    if expr.is_number:
        return canonical(expr)
    if expr.has(sp.Trace):
        expr = expr.replace(lambda e: isinstance(e, sp.Trace), lambda e: e.doit())
        expr = expr.replace(lambda e: isinstance(e, sp.Trace), split_trace)
        # in the exponent of an exponential too (e^{a+b} kept whole, not split into e^a·e^b)
        expr = complete_squares(sp.expand(expr, power_exp=False))
        expr = expr.replace(lambda e: isinstance(e, sp.exp) and e.has(sp.Trace),
                            lambda e: sp.exp(complete_squares(sp.expand(e.args[0]))))
    atoms = {}
    for atom in _scalar_atoms(expr):
        positive = (isinstance(atom, sp.Determinant) or atom.is_positive
                    or isinstance(atom, sp.Sum) and atom.function.is_positive)
        atoms[atom] = sp.Dummy(positive=True) if positive else sp.Dummy(real=True)
    simplified = canonical(expr.xreplace(atoms)).xreplace({d: atom for atom, d in atoms.items()})
    # putting the atoms back may nest a product c·A in another: (1 − α)·Σ as MatMul(MatMul(…))
    simplified = simplified.replace(
        lambda e: isinstance(e, sp.MatMul) and any(isinstance(a, sp.MatMul) for a in e.args),
        lambda e: e.doit(deep=False))
    return simplified.replace(lambda e: isinstance(e, sp.Sum), factors_outside)


def _scalar_atoms(expr) -> set:
    """Traces, determinants, coordinates μ[i], and sums that are arguments of functions
    or the bases of powers (log((Σ_i …)ⁿ))."""
    found = set(expr.atoms(sp.Trace, sp.Determinant, sp.Indexed))
    for function in expr.atoms(sp.Function):
        found |= {a for a in function.args if isinstance(a, sp.Sum)}
    found |= {power.base for power in expr.atoms(sp.Pow) if isinstance(power.base, sp.Sum)}
    return found


def _bilinear(term):
    """(c, u, A, v) for a term c·tr(uᵀ·A·v) with u, v columns, else None."""
    coefficient, trace = term.as_independent(sp.Trace, as_Add=False)
    if not isinstance(trace, sp.Trace) or not isinstance(trace.arg, sp.MatMul):
        return None
    factors = trace.arg.args
    if len(factors) < 3 or not isinstance(factors[0], sp.Transpose):
        return None
    u, middle, v = factors[0].arg, factors[1:-1], factors[-1]
    if u.shape[1] != 1 or v.shape[1] != 1 or not _symmetric(middle):
        return None
    return coefficient, u, middle, v


def _symmetric(middle) -> bool:
    """A covariance (a MatrixSymbol), a combination Σ c_i Σ_i of covariances, or the
    inverse of either."""
    if len(middle) != 1:
        return False
    (a,) = middle
    a = a.arg if isinstance(a, sp.Inverse) else a
    terms = a.args if isinstance(a, sp.MatAdd) else (a,)
    return all(isinstance(term, sp.MatrixSymbol) or isinstance(term, sp.MatMul) and len(term.args) == 2
               and term.args[0].is_real and isinstance(term.args[1], sp.MatrixSymbol) for term in terms)


def complete_squares(expr):
    """aᵀA a − aᵀA b − bᵀA a + bᵀA b → (a − b)ᵀA(a − b), for each symmetric A."""
    groups: dict = {}
    rest = []
    for term in sp.Add.make_args(expr):
        found = _bilinear(term)
        if found is None:
            rest.append(term)
            continue
        c, u, middle, v = found
        pair = tuple(sorted((u, v), key=sp.default_sort_key))
        groups.setdefault(middle, {}).setdefault(pair, []).append(c)
    result = list(rest)
    for middle, by_pair in groups.items():
        vectors = sorted({w for pair in by_pair for w in pair}, key=sp.default_sort_key)
        coefficient = {pair: sp.Add(*cs) for pair, cs in by_pair.items()}
        squared = None
        for a, b in itertools.combinations(vectors, 2):
            c = coefficient.get((a, a), 0)
            if c != 0 and coefficient.get((b, b), 0) == c and coefficient.get((a, b), 0) == -2 * c:
                squared = (a, b, c)
                break
        if squared:
            a, b, c = squared
            for pair in ((a, a), (b, b), (a, b)):
                coefficient[pair] = coefficient.get(pair, 0) - {(a, b): -2 * c}.get(pair, c)
            result.append(c * sp.Trace(sp.MatMul((a - b).T, *middle, a - b)))
        for (u, v), c in coefficient.items():
            if c != 0:
                result.append(c * sp.Trace(sp.MatMul(u.T, *middle, v)))
    return sp.Add(*result)


def _in_differences(expr):
    """The canonical form with each fraction over its own denominator and variables that
    enter only through a difference x − y written as that difference, or None.

    ``(a**2 - 2*a*c + c**2 + s)/w + (2*r - 2*t)/(t - r)`` → ``((a - c)**2 + s)/w - 2``.
    """
    if expr.has(sp.Piecewise, sp.Sum) or not expr.free_symbols:
        return None
    logs, rational = [], []
    for term in sp.Add.make_args(sp.expand(expr)):
        (logs if term.has(sp.log, sp.Function) else rational).append(term)
    groups: dict = {}
    for term in rational:
        numerator, denominator = sp.fraction(sp.together(term))
        content, primitive = denominator.as_content_primitive()
        if primitive.could_extract_minus_sign():
            content, primitive = -content, -primitive
        groups[primitive] = groups.get(primitive, 0) + numerator / content
    if len(groups) < 2 and not logs:
        return None
    numerators = {d: sp.cancel(n / d) for d, n in groups.items()}
    shifts = _difference_pairs(sp.Add(*numerators.values()))
    if not shifts:
        return None
    differences = {x: y + delta for x, y, delta in shifts}
    written = sp.Add(*logs, *(sp.expand(n.xreplace(differences)) for n in numerators.values()))
    simplified = canonical(written)
    return simplified.xreplace({delta: x - y for x, y, delta in shifts})


def _difference_pairs(expr):
    """Disjoint pairs (x, y) of real Symbols such that expr depends on them only through x − y."""
    shift = sp.Dummy()
    candidates = sorted((s for s in expr.free_symbols if s.is_real and not s.is_positive),
                        key=sp.default_sort_key)
    numerator = sp.fraction(sp.cancel(expr))[0]
    pairs, used = [], set()
    for x, y in itertools.combinations(candidates, 2):
        if x in used or y in used or not (numerator.has(x) and numerator.has(y)):
            continue
        moved = numerator.xreplace({x: x + shift, y: y + shift})
        if sp.expand(moved - numerator) == 0:
            pairs.append((x, y, sp.Dummy(f"{x}_minus_{y}", real=True)))
            used |= {x, y}
    return pairs

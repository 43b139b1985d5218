"""Canonical closed forms: logs of ratios, one fraction, factored groups.

``canonical`` writes a derived expression the way a textbook prints it and
never returns anything longer (``sympy.count_ops``) than its input:

* log terms with the same coefficient merge into the log of a ratio,
  ``log(s2) - log(s1)`` → ``log(s2/s1)``; numeric logs and constants may fold
  into one log, ``log(s) + log(2*pi)/2 + 1/2`` → ``log(2*E*pi*s**2)/2``;
  a log's coefficient is taken term by term, whole, or as a number plus the
  rest, whichever is shortest, ``p*log(p/q) + (1 - p)*log((1 - p)/(1 - q))``,
  and written in partial fractions where that is shorter;
* the algebraic rest becomes one fraction whose numerator is factored group
  by group (terms that share no symbol are factored apart),
  ``(s1**2 + m1**2 - 2*m1*m2 + m2**2)/(2*s2**2)`` → ``(s1**2 + (m1 - m2)**2)/(2*s2**2)``;
* a factor common to every term is taken out, ``n*(…)``;
* a log's argument holding square roots √P is reduced modulo ρ² = P and factored where
  that is shorter, and a radicand is written with its squares completed;
* sums over the same range merge, and each part of a Piecewise is simplified.
"""
from __future__ import annotations

import functools

import sympy as sp
from sympy.functions.elementary.piecewise import piecewise_simplify

from .decompose import expanded

#: the largest power a folded log may raise its factors to
_MOST_FOLDED = 8
#: the most operations in a log's argument that is reduced modulo its radicals
_MOST_REDUCED = 300


def canonical(expr: sp.Expr) -> sp.Expr:
    """The canonical form of ``expr``.

    >>> m1, m2 = sp.symbols("mu_1 mu_2", real=True)
    >>> s1, s2 = sp.symbols("sigma_1 sigma_2", positive=True)
    >>> canonical(sp.log(s2) - sp.log(s1) + (s1**2 + m1**2 - 2*m1*m2 + m2**2)/(2*s2**2) - sp.S.Half)
    log(sigma_2/sigma_1) - 1/2 + (sigma_1**2 + (mu_1 - mu_2)**2)/(2*sigma_2**2)
    """
    expr = numeric_logs_folded(sp.sympify(expr))
    if expr.is_Atom:
        return expr
    if expr.has(sp.Piecewise):
        expr = sp.piecewise_fold(expr)  # one Piecewise, not one inside another
    if isinstance(expr, sp.Piecewise):
        return _pruned(sp.Piecewise(*((canonical(at_the_one_value(e, c)), c) for e, c in expr.args)))
    expr = real_forms(expr)
    if any(_positive_infinity(term) for term in sp.Add.make_args(expr)):
        return sp.oo  # a divergent part of a divergence: +∞
    if expr.is_Mul:  # a constant factor (1/log 2 of a result in bits) stays outside
        constant, rest = expr.as_independent(*expr.free_symbols, as_Add=False)
        if constant != 1 and rest != 1 and constant.is_number and not constant.has(sp.oo):
            return constant * canonical(rest)
    if expr.has(sp.Sum):
        return _merge_sums(expr)
    if expr.has(sp.lowergamma):  # Γ(s) − γ(s, z) is Γ(s, z), finite where Γ(s) has a pole
        expr = _shortest([expr, _upper_gammas(expr)])
    if expr.has(sp.gamma):  # Γ(α + 1)Γ(α + β)/(Γ(α)Γ(α + β + 1)) is α/(α + β)
        expr = _shortest([expr, sp.gammasimp(expr)])
    if expr.has(sp.sin, sp.cos):  # (1 − sin²(πν/2))/cos²(πν/2) is 1
        expr = _shortest([expr, sp.fu(expr)])
    if expr.has(sp.log) and any(_radicands(a) for a in expr.atoms(sp.log)):
        expr = _shortest([expr, expr.replace(lambda e: isinstance(e, sp.log), _radicals_reduced)])
    opaque, functions = _opaque(expr)
    candidates, one_log = _logs_and_fraction(opaque)
    best = _shortest([*candidates, opaque, *(sp.factor_terms(c) for c in candidates), *one_log])
    return _squares_under_roots(_inner_logs_merged(best.xreplace(functions)))


def _squares_under_roots(expr):
    """Each radicand P of a √P written with its squares completed where that is shorter:
    √(s² + 2st + t² + a² − 2ab + b²) is √((s + t)² + (a − b)²)."""
    from ..families.patterns import completed_squares
    squares = {}
    for P in _radicands(expr):
        completed = completed_squares(P)
        if sp.count_ops(completed) < sp.count_ops(P):
            squares[P] = completed
    if not squares:
        return expr
    return expr.replace(lambda e: _half_power(e) and e.base in squares,
                        lambda e: sp.Pow(squares[e.base], e.exp))


def real_forms(expr):
    """Special functions that sympy's integrals leave on a branch cut, written in real ones
    where the imaginary parts then cancel (the value of a divergence is real):
    E_n(−y) for y > 0 by E_n's recursion down to E_1(−y) = −Ei(y) + iπ,
    γ(s, y·e^{iπ}) = y^s e^{iπs}/s · ₁F₁(s; s + 1; y), and erf(iy) = i·erfi(y),
    erfc(iy) = 1 − i·erfi(y) for real y.  Left as it is where the
    imaginary parts do not cancel.

    >>> y = sp.Symbol("y", positive=True)
    >>> real_forms(sp.expint(2, -y) / y - sp.expint(2, -2 * y) / (2 * y))
    -Ei(y) + Ei(2*y) - exp(2*y)/(2*y) + exp(y)/y
    >>> s = sp.Symbol("s", positive=True)
    >>> real_forms(sp.exp(-sp.I * sp.pi * s) * sp.lowergamma(s, y * sp.exp_polar(sp.I * sp.pi)))
    y**s*hyper((s,), (s + 1,), y)/s
    """
    def exponential_integral(f):
        n, z = f.args
        if not (n.is_integer and n.is_positive and (-z).is_positive):
            return f
        return sp.expand_func(f).replace(
            lambda g: isinstance(g, sp.expint) and g.args[0] == 1,
            lambda g: -sp.Ei(-g.args[1]) + sp.I * sp.pi)

    def lower_gamma(f):
        s, z = f.args
        y, polar = z.as_independent(sp.exp_polar, as_Add=False)
        if polar != sp.exp_polar(sp.I * sp.pi) or not y.is_positive:
            return f
        return y ** s * sp.exp(sp.I * sp.pi * s) / s * sp.hyper([s], [s + 1], y)

    def imaginary_error_function(f):  # erf(iy) = i·erfi(y), erfc(iy) = 1 − i·erfi(y)
        y = sp.expand(-sp.I * f.args[0])
        if not y.is_extended_real:
            return f
        return sp.I * sp.erfi(y) if isinstance(f, sp.erf) else 1 - sp.I * sp.erfi(y)

    if not expr.has(sp.expint, sp.exp_polar, sp.erf, sp.erfc) or \
            not expr.has(sp.expint, sp.exp_polar, sp.I):
        return expr
    if isinstance(expr, sp.Piecewise):
        return sp.Piecewise(*((real_forms(e), c) for e, c in expr.args))
    rewritten = expr.replace(lambda f: isinstance(f, sp.expint), exponential_integral)
    rewritten = rewritten.replace(lambda f: isinstance(f, sp.lowergamma), lower_gamma)
    rewritten = rewritten.replace(lambda f: isinstance(f, (sp.erf, sp.erfc)), imaginary_error_function)
    if rewritten == expr:
        return expr
    # e^{−iπs}·e^{iπs} = 1 once the exponents are one and expanded
    rewritten = sp.powsimp(sp.expand(rewritten), combine="exp").replace(
        lambda e: isinstance(e, sp.exp), lambda e: sp.exp(sp.expand(e.args[0])))
    if rewritten.has(sp.I):  # a phase in a numerator and in each term of a denominator
        rewritten = sp.cancel(rewritten)
    return expr if rewritten.has(sp.I, sp.exp_polar) else rewritten


def _upper_gammas(expr):
    """Each sum holding γ(s, z) with γ(s, z) = Γ(s) − Γ(s, z) put in, where the Γ(s) then
    cancel: the upper incomplete gamma is finite at the poles of Γ(s) and γ(s, z),
    s = 0, −1, −2, … (which the two terms of Γ(s) − γ(s, z) read as ∞ − ∞).

    >>> a, z = sp.symbols("a z", positive=True)
    >>> _upper_gammas(2*sp.gamma(1 - a)*sp.gamma(a + 1) - 2*a*sp.gamma(a)*sp.lowergamma(1 - a, z))
    2*gamma(a + 1)*uppergamma(1 - a, z)
    >>> _upper_gammas(sp.lowergamma(a, z) - sp.lowergamma(a, 2 * z))
    -uppergamma(a, z) + uppergamma(a, 2*z)
    """
    def upper(e):
        if not e.args:
            return e
        e = e.func(*(upper(a) for a in e.args))
        if not (e.is_Add and e.has(sp.lowergamma)):
            return e
        rewritten = sp.expand(e.replace(
            lambda f: isinstance(f, sp.lowergamma),
            lambda f: sp.gamma(f.args[0]) - sp.uppergamma(*f.args)))
        # the Γ(s) of each γ(s, z) must cancel: the terms without Γ(s, z) sum to 0
        gammas = {f.args[0] for f in e.atoms(sp.lowergamma)}
        kept = [t for t in sp.Add.make_args(rewritten) if not t.has(sp.uppergamma)]
        rest = sp.Add(*kept)
        if rest == 0 or rest.has(*(sp.gamma(s) for s in gammas)) and _vanishes(rest):
            return sp.factor_terms(sp.gammasimp(rewritten - rest))
        return e
    return upper(expr)


def _vanishes(expr) -> bool:
    """Whether a sum of products of Γ's is 0 by Γ(s + 1) = sΓ(s)."""
    return sp.gammasimp(expr) == 0 or sp.cancel(sp.expand_func(expr)) == 0


def numeric_logs_folded(expr):
    """Terms r·log(a) with rational r and a folded into one log where the product of the
    powers a^r is rational: −log(529/100)/2 + log(23/10) is log(1) = 0.

    >>> numeric_logs_folded(-sp.log(sp.Rational(529, 100))/2 + sp.log(sp.Rational(23, 10)) + 1)
    1
    """
    if not expr.is_Add:
        return expr
    logs, rest = [], []
    for term in expr.args:
        coefficient, function = term.as_coeff_Mul()
        if (isinstance(function, sp.log) and _small(function.args[0])
                and coefficient.is_Rational and abs(coefficient) <= _MOST_FOLDED
                and coefficient.q <= _MOST_FOLDED):
            logs.append((coefficient, function.args[0]))
        else:
            rest.append(term)
    if len(logs) < 2:
        return expr
    product = sp.Mul(*(a ** r for r, a in logs))
    if not product.is_Rational:
        return expr
    return sp.Add(sp.log(product), *rest)


def _small(number) -> bool:
    """A rational whose powers stay cheap (numerator and denominator under 2^64): a float
    taken exactly is a rational of hundreds of digits, and its powers would never end."""
    return number.is_Rational and max(abs(number.p), number.q).bit_length() <= 64


def _inner_logs_merged(expr):
    """Inside products, powers and functions, a sum of logs with integer coefficients as
    the log of one ratio: (log(1 − λ) − log λ)/(1 − 2λ) → log((1 − λ)/λ)/(1 − 2λ).

    The logs of a divergence have positive arguments wherever the parameters are
    valid, so log a − log b = log(a/b) there.

    >>> lam = sp.Symbol("lam", positive=True)
    >>> _inner_logs_merged((lam*sp.log(1 - lam) - lam*sp.log(lam) + 1) / (1 - 2*lam) + sp.log(lam))
    log(lam) + (lam*log((1 - lam)/lam) + 1)/(1 - 2*lam)
    """
    def merged(e, top):
        if not e.args:
            return e
        e = e.func(*(merged(a, top=False) for a in e.args))
        if isinstance(e, sp.log):
            return e
        if top or not e.is_Add:
            return e
        by_coefficient, rest = {}, []
        for term in e.args:
            found = _log_factor(term)
            if found is None:
                rest.append(term)
                continue
            number, coefficient = found[0].as_coeff_Mul()
            if not number.is_Integer:
                rest.append(term)
                continue
            by_coefficient.setdefault(coefficient, []).append(found[1] ** number)
        logs = [c * sp.log(_ratio(sp.Mul(*arguments))) if len(arguments) > 1 else c * sp.log(arguments[0])
                for c, arguments in by_coefficient.items()]
        return sp.Add(*logs, *rest)
    return merged(expr, top=True)


def _opaque(expr):
    """``expr`` with each function other than log standing in as a Symbol, and the map back.

    Each function's arguments are first written canonically on their own (from
    the innermost out), then products of exponentials are merged, one exp per
    product, its argument canonical too (e^{a}·e^{−a} is 1).  The algebra
    (expanding, factoring, cancelling) then treats e^{−(a − b)²/2}, erf(…),
    ψ(…) as the single quantities they are: expanding never splits an
    exponential into three, and common factors cancel across them.

    >>> a, b = sp.symbols("a b", real=True)
    >>> _opaque(sp.exp(-a**2/2) * sp.exp(a*b) * sp.exp(-b**2/2) * (a - b) / (a - b)**2)
    (_exp/(a - b), {_exp: exp(-(a - b)**2/2)})
    """
    applications = lambda e: isinstance(e, sp.Function) and not isinstance(e, sp.log)
    canonical_arguments = lambda e: e.replace(applications, lambda f: f.func(*map(_argument, f.args)))
    expr = canonical_arguments(expr)
    if expr.has(sp.exp):
        expr = canonical_arguments(_merged_exponentials(expr))
    functions = {}
    for application in sorted(_outermost_functions(expr), key=sp.default_sort_key):
        name = application.func.__name__
        if application.is_positive:
            functions[application] = sp.Dummy(name, positive=True)
        elif application.is_extended_real:
            functions[application] = sp.Dummy(name, real=True)
        else:
            functions[application] = sp.Dummy(name)
    return expr.xreplace(functions), {d: f for f, d in functions.items()}


def _merged_exponentials(expr):
    """Each product of exponentials as one exp; exponentials that multiply a sum holding
    exponentials distributed over its terms, so that they merge with those (and cancel).

    >>> a = sp.Symbol("a", real=True)
    >>> _merged_exponentials((a + sp.exp(a)) * sp.exp(-a) / (a - 1))
    (a*exp(-a) + 1)/(a - 1)
    """
    if not expr.args or _is_function(expr):
        return expr
    expr = expr.func(*(_merged_exponentials(a) for a in expr.args))
    if not expr.is_Mul:
        return expr
    exponentials = [f for f in expr.args if isinstance(f, sp.exp)]
    sums = [f for f in expr.args if f.is_Add and f.has(sp.exp)]
    if exponentials and sums:
        rest = [f for f in expr.args if f not in exponentials and f is not sums[0]]
        factor = sp.Mul(*exponentials)
        return sp.Mul(*rest) * sp.Add(*(_merged_exponentials(term * factor) for term in sums[0].args))
    return sp.powsimp(expr, combine="exp")


def _is_function(expr) -> bool:
    """A function other than log, or an integral left unevaluated: one quantity to the algebra."""
    return (isinstance(expr, sp.Function) and not isinstance(expr, sp.log)) or isinstance(expr, sp.Integral)


def _outermost_functions(expr) -> set:
    """The applications of functions other than log not inside another such application."""
    if _is_function(expr):
        return {expr}
    found = set()
    for argument in expr.args:
        found |= _outermost_functions(argument)
    return found


@functools.lru_cache(maxsize=4096)
def _argument(argument):
    """A function's argument, canonical on its own: one fraction, common factors cancelled,
    its numerator factored group by group."""
    if not isinstance(argument, sp.Expr) or argument.is_Atom or not argument.free_symbols:
        return argument  # a Tuple of a hypergeometric function's parameters stays as it is
    forward, negated = _fraction(argument), _fraction(-argument)
    # the shorter; of two as long, the one whose differences lead with a positive term,
    # erf(√2(μ₁ − μ₂)/(2σ)) rather than erf(√2(−μ₁ + μ₂)/(2σ))
    key = lambda form: (sp.count_ops(form), str(form).count("(-"))
    return -negated if key(negated) < key(forward) else forward


def at_the_one_value(value, condition):
    """``value`` where ``condition`` leaves an integer parameter one value (n ≤ 1 of a
    positive integer n is n = 1), that value put in and finite sums done; else as it is.

    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> i = sp.Symbol("i", integer=True)
    >>> at_the_one_value(sp.Sum(sp.log(sp.binomial(n, i)), (i, 0, n)), n <= 1)
    0
    """
    if not isinstance(condition, (sp.Le, sp.Lt, sp.Ge, sp.Gt)) or len(condition.free_symbols) != 1:
        return value
    (n,) = condition.free_symbols
    if not n.is_integer or n.is_nonnegative is not True or n not in value.free_symbols:
        return value
    least = 1 if n.is_positive else 0
    holds = [condition.xreplace({n: v}) for v in (least, least + 1)]
    line = sp.Poly(condition.lhs - condition.rhs, n) if condition.lhs.is_polynomial(n) \
        and condition.rhs.is_polynomial(n) else None
    if holds != [sp.true, sp.false] or line is None or line.degree() != 1:
        return value  # (linear in n, so true at the least value and false beyond it)
    return value.xreplace({n: least}).replace(
        lambda e: isinstance(e, sp.Sum) and all(b.is_number for _, *bounds in e.limits for b in bounds),
        lambda e: e.doit())


def _pruned(piecewise):
    """A Piecewise without the pieces no parameters reach, conditions simplified and equal
    neighbours merged; the pieces' values untouched."""
    if not isinstance(piecewise, sp.Piecewise):
        return piecewise
    piecewise = sp.Piecewise(*((sp.oo if _holds_positive_infinity(value) else value, condition)
                               for value, condition in piecewise.args))
    if not isinstance(piecewise, sp.Piecewise):
        return piecewise
    values = {}
    for value, _ in piecewise.args:
        values.setdefault(value, sp.Dummy())
    stand_ins = sp.Piecewise(*((values[value], condition) for value, condition in piecewise.args))
    pruned = piecewise_simplify(stand_ins)
    return pruned.xreplace({d: value for value, d in values.items()})


def _holds_positive_infinity(value) -> bool:
    return value != sp.oo and any(_positive_infinity(term) for term in sp.Add.make_args(value))


def divergent_sums(expr):
    """``expr`` with each sum that holds a +∞ term (and no −∞ one) written ∞, as
    :func:`canonical` does; cheap, for a form the budget left unsimplified.

    >>> a = sp.Symbol("a", positive=True)
    >>> divergent_sums(sp.Piecewise((a, a > 1), (sp.Add(sp.gamma(1 - a), sp.oo, evaluate=False), True)))
    Piecewise((a, a > 1), (oo, True))
    """
    def infinite(e):
        return e.is_Add and any(_positive_infinity(t) for t in e.args) \
            and not any(_positive_infinity(-t) for t in e.args)
    return expr.replace(infinite, lambda e: sp.oo)


def _positive_infinity(term) -> bool:
    """Whether a term of a sum is +∞ (∞ times something positive)."""
    if term == sp.oo:
        return True
    return term.is_Mul and sp.oo in term.args and bool(sp.Mul(*(a for a in term.args if a != sp.oo)).is_positive)


def _shortest(candidates):
    candidates = [c for c in candidates if c is not None]
    return min(candidates, key=sp.count_ops)  # min keeps the first of equals


def _merge_sums(expr):
    """Sums over the same range become one sum with a canonical summand."""
    summands, rest = {}, []
    for term in sp.Add.make_args(sp.expand(expr)):
        coefficient, factor = term.as_independent(sp.Sum, as_Add=False)
        if isinstance(factor, sp.Sum):
            summands[factor.limits] = summands.get(factor.limits, 0) + coefficient * factor.function
        else:
            rest.append(term)
    if not summands:  # the sums sit inside other functions (|Σ …|): simplify within them
        return expr.func(*(canonical(a) if isinstance(a, sp.Expr) else a for a in expr.args))
    sums = [_sum(canonical(f), limits) for limits, f in summands.items() if f != 0]
    return sp.Add(*sums, canonical(sp.Add(*rest)))


def _sum(summand, limits):
    if summand.could_extract_minus_sign():
        return -sp.Sum(-summand, *limits)
    return sp.Sum(summand, *limits)


def factors_outside(total):
    """A Σ with the symbolic factors of its summand that are free of the index (n of
    n·Σ p_i log(p_i/q_i)) written outside it; numbers stay inside.

    >>> i, n = sp.symbols("i n", integer=True, positive=True)
    >>> factors_outside(sp.Sum(-n * i**2, (i, 1, 3)))
    n*Sum(-i**2, (i, 1, 3))
    """
    summand, limits = total.function, total.limits
    if not summand.is_Mul:
        return total
    outside, summand = summand.as_independent(limits[0][0], as_Add=False)
    number, outside = outside.as_independent(*outside.free_symbols, as_Add=False)
    if outside == 1:
        return total  # a number stays inside: Σ (−log σ_i + …), as written
    return outside * sp.Sum(number * summand, *limits)


def _log_factor(term):
    """(c, a) for a term c·log(a) with c free of logs, else None."""
    coefficient, factor = term.as_independent(sp.log, as_Add=False)
    if isinstance(factor, sp.log) and not coefficient.has(sp.log):
        return coefficient, factor.args[0]
    return None


#: how a log's coefficient is taken: each term of it apart, whole, or as a number plus the rest
_GATHERINGS = ("term", "whole", "number and rest")


def _radicands(expr) -> list:
    """The radicands P of the powers P^(k/2), k odd, in ``expr`` that are sums (not a √σ)."""
    return sorted({e.base for e in expr.atoms(sp.Pow) if _half_power(e) and e.base.is_Add},
                  key=sp.default_sort_key)


def _half_power(e) -> bool:
    return e.is_Pow and e.exp.is_Rational and e.exp.q == 2


def _radicals_reduced(logarithm):
    """log(a) with its argument reduced modulo ρ² = P for each √P in it (ρ a symbol for √P,
    a polynomial reduction in each order of the symbols, the shortest taken), factored, and
    each radicand with its squares completed where that is shorter: the argument
    (a − c)² + (s + √(stP)/(s + t))² of a Cauchy's expectation in a Jensen–Shannon
    divergence is s·√P·(√P + 2√(st))/(s + t).

    >>> a, b = sp.symbols("a b", real=True)
    >>> s, t = sp.symbols("s t", positive=True)
    >>> P = (a - b)**2 + (s + t)**2
    >>> _radicals_reduced(sp.log(a**2 - 2*a*b + b**2 + s**2 + 2*s*t + t**2 + 2*sp.sqrt(s*t)*sp.sqrt(P)))
    log((2*sqrt(s)*sqrt(t) + sqrt((a - b)**2 + (s + t)**2))*sqrt((a - b)**2 + (s + t)**2))
    """
    argument = logarithm.args[0]
    if not _radicands(argument) or not argument.is_Add and not argument.is_Mul \
            or sp.count_ops(argument) > _MOST_REDUCED:
        return logarithm
    # a radicand that is a square, √((s + t)²), is s + t
    argument = argument.replace(lambda e: _half_power(e) and e.base.is_Add,
                                lambda e: sp.sqrt(sp.factor(e.base)) ** (2 * e.exp))
    radicands = _radicands(argument)
    if not radicands:
        return sp.log(argument) if sp.count_ops(argument) < sp.count_ops(logarithm.args[0]) else logarithm
    rhos = {P: sp.Dummy("rho", positive=True) for P in radicands}
    written = sp.expand(argument.replace(lambda e: _half_power(e) and e.base in rhos,
                                         lambda e: rhos[e.base] ** (2 * e.exp)))
    halves = {e.base for e in written.atoms(sp.Pow)
              if isinstance(e.base, sp.Symbol) and e.base.is_positive and not e.exp.is_Integer}
    roots = {v: sp.Dummy(v.name, positive=True) for v in halves}
    squared = {v: r ** 2 for v, r in roots.items()}
    numerator, denominator = sp.fraction(sp.together(sp.expand(written.xreplace(squared))))
    relations = [sp.expand(P.xreplace(squared)) - rho ** 2 for P, rho in rhos.items()]
    symbols = sorted(numerator.free_symbols - set(rhos.values()), key=sp.default_sort_key)
    back = {rho: sp.sqrt(P) for P, rho in rhos.items()} | {r: sp.sqrt(v) for v, r in roots.items()}
    found = []
    for first in symbols:
        generators = [first, *(g for g in symbols if g != first), *rhos.values()]
        try:
            _, rest = sp.reduced(sp.expand(numerator), relations, *generators, order="lex")
        except (sp.PolynomialError, sp.GeneratorsError, sp.CoercionFailed):
            continue
        found.append((sp.factor(rest) / sp.factor(denominator)).xreplace(back))
    if not found:
        return logarithm
    best = _squares_under_roots(_shortest(found))
    return sp.log(best) if sp.count_ops(best) < sp.count_ops(argument) else logarithm


def _logs_and_fraction(expr):
    """Logs merged by coefficient, plus the algebraic rest as few fractions: (candidates, the
    candidates with every log of a rational coefficient in one — taken last, as they are).

    One candidate for each way of gathering the logs' coefficients, and for
    each also one where logs with rational coefficients and the rational
    constant become a single log (when a log of a number is there to absorb).
    """
    by_argument, constant, algebraic = {}, sp.S.Zero, []
    for term in sp.Add.make_args(expanded(expr)):
        log_term = _log_factor(term)
        if log_term:
            coefficient, argument = log_term
            by_argument.setdefault(argument, []).append(coefficient)
        elif term.is_Rational:
            constant += term
        else:
            algebraic.append(term)
    candidates, one_log = _candidates(by_argument, constant, algebraic)
    # a number's log with a coefficient that is no number (log 2·(σ₁ − σ₂)/(2σ₂)) may
    # rather join the algebraic rest, as a constant like γ: (μ₁ − μ₂ + (σ₁ − σ₂)(γ + log 2))/(2σ₂)
    numeric = {a: cs for a, cs in by_argument.items()
               if a.is_number and any(not c.is_Rational for c in cs)}
    if numeric:
        kept = {a: cs for a, cs in by_argument.items() if a not in numeric}
        moved = [c * sp.log(a) for a, cs in numeric.items() for c in cs]
        more, more_one_log = _candidates(kept, constant, algebraic + moved)
        candidates, one_log = candidates + more, one_log + more_one_log
    return candidates, one_log


def _candidates(by_argument, constant, algebraic):
    """What :func:`_logs_and_fraction` gives for logs ``by_argument``, a rational ``constant``
    and the ``algebraic`` terms."""
    rest = sp.Add(*algebraic)
    rest = _shortest([_fraction(rest), _by_coefficient(rest)])
    candidates, seen, one_log = [], [], []
    for gather in _GATHERINGS:
        logs = _logs_by_coefficient(by_argument, gather)
        if logs in seen:
            continue
        seen.append(logs)
        folded = _fold(logs, constant)
        if folded is not None:
            candidates.append(folded + rest)
        merged = _one_log(logs) if folded is None else None  # log(2πeσ²)/2, not log(2πσ²)/2 + 1/2
        if merged is not None:
            one_log.append(merged + rest + constant)
        candidates.append(sp.Add(*(_merged_log(c, arguments) for c, arguments in logs.items()))
                          + rest + constant)
    return candidates, one_log


def _logs_by_coefficient(by_argument, gather):
    """{coefficient: the arguments of the logs it multiplies}, the coefficients taken as
    ``gather`` says; a log with a negative coefficient counts as the log of a reciprocal."""
    logs = {}
    for argument, coefficients in by_argument.items():
        if gather == "whole":
            coefficients = [sp.factor(sp.Add(*coefficients))]
        elif gather == "number and rest":
            coefficients = [sp.Add(*(c for c in coefficients if c.is_Rational)),
                            sp.factor(sp.Add(*(c for c in coefficients if not c.is_Rational)))]
        for coefficient in coefficients:
            if coefficient == 0:
                continue
            sign = -1 if coefficient.could_extract_minus_sign() else 1
            logs.setdefault(sign * coefficient, []).append(argument ** sign)
    return logs


def _merged_log(coefficient, arguments):
    """c·log(a₁·a₂⋯) or −c·log(1/(a₁·a₂⋯)), the shorter; the second first where every
    argument is a reciprocal.  The coefficient in partial fractions where that is shorter."""
    coefficient = _partial_fractions(coefficient)
    forward = coefficient * sp.log(_ratio(sp.Mul(*arguments)))
    backward = -coefficient * sp.log(_ratio(sp.Mul(*(1 / a for a in arguments))))
    if all(a.could_extract_minus_sign() or (a.is_Pow and a.exp.could_extract_minus_sign())
           for a in arguments):
        return _shortest([backward, forward])
    return _shortest([forward, backward])


def _partial_fractions(expr):
    """The shortest of ``expr`` and its partial fractions in each of its symbols and functions.

    >>> lam = sp.Symbol("lam", positive=True)
    >>> _partial_fractions((2*lam*sp.atanh(lam) - 2*lam + 1)/(2*(2*lam - 1)*sp.atanh(lam)))
    lam/(2*lam - 1) - 1/(2*atanh(lam))
    """
    forms = [expr]
    for generator in sorted(expr.atoms(sp.Symbol, sp.Function), key=sp.default_sort_key):
        variable = sp.Dummy()
        try:
            forms.append(sp.apart(expr.subs(generator, variable), variable).subs(variable, generator))
        except (sp.PolynomialError, NotImplementedError):
            continue  # not a rational function of this generator
    return _shortest(forms)


def _ratio(argument):
    """A log's argument as numerator/denominator, each factored group by group."""
    numerator, denominator = sp.fraction(argument)
    if not (numerator.is_Add or denominator.is_Add):
        return argument
    return _factor_groups(sp.expand(numerator)) / _factor_groups(sp.expand(denominator))


def _fold(logs, constant):
    rational = {c: sp.Mul(*a) for c, a in logs.items() if c.is_Rational}
    if not any(a.is_number for a in rational.values()):
        return None
    denominator = functools.reduce(sp.ilcm, [c.q for c in rational] + [constant.q], 1)
    if any(abs(c * denominator) > _MOST_FOLDED for c in [*rational, constant]):
        return None  # log(a**20000) is no textbook form
    argument = sp.Mul(*(a ** (c * denominator) for c, a in rational.items()))
    argument *= sp.exp(constant * denominator)
    others = sp.Add(*(_merged_log(c, a) for c, a in logs.items() if c not in rational))
    return sp.log(_ratio(argument)) / denominator + others


def _one_log(logs):
    """The logs with rational coefficients as one log of a factored argument, where there
    are several: 2 log(γ₁/2 + γ₂/2) − log(γ₁γ₂) is log((γ₁ + γ₂)²/(4γ₁γ₂)); else None."""
    rational = {c: sp.Mul(*a) for c, a in logs.items() if c.is_Rational}
    if len(rational) < 2:
        return None
    denominator = functools.reduce(sp.ilcm, [c.q for c in rational], 1)
    if any(abs(c * denominator) > _MOST_FOLDED for c in rational):
        return None
    argument = sp.factor(sp.Mul(*(a ** (c * denominator) for c, a in rational.items())))
    others = sp.Add(*(_merged_log(c, a) for c, a in logs.items() if c not in rational))
    return sp.log(_ratio(argument)) / denominator + others


def _by_coefficient(expr):
    """Functions (standing in as Symbols, see `_opaque`) gathered under shared coefficients:
    c·(ψ(a) − ψ(b)) + rational rest; None if there are none."""
    by_function, plain = {}, []
    functions = sorted((s for s in expr.free_symbols if isinstance(s, sp.Dummy)), key=sp.default_sort_key)
    if not functions:
        return None
    for term in sp.Add.make_args(sp.expand(expr)):
        coefficient, function = term.as_independent(*functions, as_Add=False)
        if function == 1:
            plain.append(term)
        else:
            by_function[function] = by_function.get(function, 0) + coefficient
    groups = {}
    for function, coefficient in by_function.items():
        coefficient = sp.factor(coefficient)
        if coefficient == 0:
            continue
        sign = -1 if coefficient.could_extract_minus_sign() else 1
        groups[sign * coefficient] = groups.get(sign * coefficient, 0) + sign * function
    return sp.Add(*(c * f for c, f in groups.items())) + _fraction(sp.Add(*plain))


@functools.lru_cache(maxsize=4096)
def _fraction(expr):
    """The shortest of: one fraction; one fraction per denominator; as it is — of those in
    which no numerator shares a factor with its denominator.

    Numerators are factored group by group.  A common factor is always cancelled,
    never kept because the form is shorter: (a − b)·c/(a − b)² reads 0/0 at a = b.

    >>> a, b, c = sp.symbols("a b c", real=True)
    >>> _fraction(c*(a - b)**2/(a**3 - 3*a**2*b + 3*a*b**2 - b**3))
    c/(a - b)
    """
    if expr == 0:
        return expr
    numerator, denominator = sp.fraction(sp.cancel(sp.together(expr)))
    single = _factor_groups(sp.expand(numerator)) / denominator
    by_denominator = {}
    for term in sp.Add.make_args(expr):
        numerator, denominator = sp.fraction(term)
        scale, denominator = denominator.as_coeff_Mul()
        by_denominator[denominator] = by_denominator.get(denominator, 0) + numerator / scale
    grouped = sp.Add(*(_over(n, d) for d, n in by_denominator.items()))
    return _shortest([single, sp.factor_terms(single), sp.factor(single), *_apart(single),
                      *(form for form in (grouped, expr) if not _removable(form))])


def _apart(fraction):
    """``fraction`` in partial fractions in each of its symbols, each term factored (whole
    or group by group): λ₂(λ₁(μ₁ − μ₂)² + μ₁μ₂²)/(2λ₁μ₁μ₂²) is λ₂/(2λ₁) + λ₂(μ₁ − μ₂)²/(2μ₁μ₂²)."""
    # functions and roots stand as symbols of their own: sympy's apart would otherwise take
    # them into its coefficients' domain of expressions, whose gcds can take a minute
    opaque = {e: sp.Dummy() for e in fraction.atoms(sp.Function, sp.Pow)
              if not (isinstance(e, sp.Pow) and e.exp.is_Integer)}
    rational = fraction.xreplace(opaque)
    inside = set().union(*(e.free_symbols for e in opaque))
    back = {d: e for e, d in opaque.items()}
    forms = []
    for symbol in sorted(fraction.free_symbols - inside, key=sp.default_sort_key):
        try:
            parts = sp.apart(rational, symbol).xreplace(back)
        except (sp.PolynomialError, NotImplementedError):
            continue  # not a rational function of this symbol
        if parts.is_Add:
            form = sp.Add(*(_shortest([sp.factor(t), _over(*sp.fraction(t))]) for t in parts.args))
            if not _removable(form):
                forms.append(form)
    return forms


def _removable(form) -> bool:
    """Whether ``form`` divides by something that cancels: a removable singularity.

    Every base raised to a negative power anywhere in ``form`` (outside the
    arguments of functions) is a denominator it divides by; they must all
    remain in the denominator of ``form`` written as one cancelled fraction.
    """
    deepest = {}
    for base, exponent in _negative_powers(form):  # a base in two denominators counts once
        known = deepest.get(base)
        if known is None or known.is_number and exponent.is_number and exponent < known:
            deepest[base] = exponent
    divides_by = sp.Mul(*(b ** -e for b, e in deepest.items()))
    cancelled = sp.fraction(sp.cancel(sp.together(form)))[1]
    return not sp.cancel(divides_by / cancelled).is_number


def _negative_powers(expr):
    if expr.is_Pow and expr.exp.is_negative and not expr.base.is_number:
        yield expr.base, expr.exp
    if not isinstance(expr, sp.Function):
        for argument in expr.args:
            yield from _negative_powers(argument)


def _over(numerator, denominator):
    top, bottom = sp.fraction(sp.together(numerator))
    if top.could_extract_minus_sign():
        return -_factor_groups(sp.expand(-top)) / (bottom * denominator)
    return _factor_groups(sp.expand(top)) / (bottom * denominator)


def _factor_groups(polynomial):
    """Factor the groups of terms that share symbols, each on its own."""
    groups: list[tuple[set, list]] = []
    for term in sp.Add.make_args(polynomial):
        symbols, members = set(term.free_symbols), [term]
        for group in [g for g in groups if g[0] & symbols]:
            groups.remove(group)
            symbols |= group[0]
            members += group[1]
        groups.append((symbols, members))
    parts = [sp.Add(*members) for _, members in groups]
    return sp.Add(*(_shortest([sp.factor(part), part]) for part in parts))

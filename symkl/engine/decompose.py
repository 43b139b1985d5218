"""Split a log-density into constants and statistics: c₀ + Σ c_k·t_k(x).

The point x is a Symbol, a column of Symbols (a random vector with k
coordinates), a ``MatrixSymbol`` (quadratic forms appear as traces of
1 × 1 products), or an ``IndexedBase`` whose coordinates x[i] are summed
over in ``Sum``\\ s.
"""
import sympy as sp


def coordinates(x) -> tuple:
    """What a statistic must contain to depend on the point ``x``."""
    return tuple(x) if isinstance(x, sp.MatrixBase) else (x,)


def expanded(expr):
    """Multiply out and split logs of products (only where assumptions allow).

    Traces of matrix products are split into one trace per term.  A Piecewise
    (a Categorical's log-density, one piece per category) is one statistic and
    is left whole: expanding each of its K pieces would be wasted work.
    """
    if expr.has(sp.Trace):
        expr = expr.replace(lambda e: isinstance(e, sp.Trace), split_trace)
    pieces = {pw: sp.Dummy() for pw in expr.atoms(sp.Piecewise)}
    expr = sp.expand(sp.expand_log(sp.expand(expr.xreplace(pieces)), force=False))
    return expr.xreplace({d: pw for pw, d in pieces.items()})


def split_trace(trace):
    """tr(Σ c_k·M_k) = Σ c_k·tr(M_k), with the products M_k multiplied out."""
    matrix = trace.arg.expand()
    terms = matrix.args if isinstance(matrix, sp.MatAdd) else (matrix,)
    total = sp.S.Zero
    for term in terms:
        coefficient, product = term.as_coeff_mmul() if isinstance(term, sp.MatMul) else (1, term)
        total += coefficient * sp.Trace(product)
    return total


def decompose(expr, x) -> dict:
    """The map statistic t_k(x) → coefficient c_k of ``expr`` as a function of x.

    The constant term is keyed by 1.  Terms with the same statistic are
    collected, so that terms common to log p and log q cancel before any
    expectation is taken.  Sums over the coordinates merge into one sum per
    range, split in turn: Σ_i (c(i)·t(x[i])) is one statistic.

    Examples
    --------
    >>> x, m, s = sp.symbols("x m s", positive=True)
    >>> decompose(-(x - m)**2 / (2*s**2) - sp.log(s), x)
    {1: -m**2/(2*s**2) - log(s), x**2: -1/(2*s**2), x: m/s**2}
    """
    terms: dict = {}
    summands: dict = {}
    for term in sp.Add.make_args(expanded(expr)):
        coefficient, statistic = term.as_independent(*coordinates(x), as_Add=False)
        if isinstance(statistic, sp.Sum):
            limits = statistic.limits
            summands[limits] = summands.get(limits, 0) + coefficient * statistic.function
            continue
        terms[statistic] = terms.get(statistic, 0) + coefficient
    for limits, summand in summands.items():
        for statistic, coefficient in decompose(summand, x).items():
            if statistic == 1:
                terms[1] = terms.get(1, 0) + sp.Sum(coefficient, *limits)
            else:
                terms[sp.Sum(coefficient * statistic, *limits)] = sp.S.One
    return {t: c for t, c in terms.items() if not _vanishes(c)}


def _vanishes(coefficient) -> bool:
    return coefficient == 0 or sp.cancel(sp.expand_log(coefficient, force=False)) == 0

"""Split a log-density into constants and statistics: c₀ + Σ c_k·t_k(x)."""
import sympy as sp


def expanded(expr):
    """Multiply out and split logs of products (only where assumptions allow)."""
    return sp.expand(sp.expand_log(sp.expand(expr), force=False))


def decompose(expr, x) -> dict:
    """The map statistic t_k(x) → coefficient c_k of ``expr`` as a function of x.

    The constant term is keyed by 1.  Terms with the same statistic are
    collected, so that terms common to log p and log q cancel before any
    expectation is taken.

    Examples
    --------
    >>> x, m, s = sp.symbols("x m s", positive=True)
    >>> decompose(-(x - m)**2 / (2*s**2) - sp.log(s), x)
    {1: -m**2/(2*s**2) - log(s), x**2: -1/(2*s**2), x: m/s**2}
    """
    terms: dict = {}
    for term in sp.Add.make_args(expanded(expr)):
        coefficient, statistic = term.as_independent(x, as_Add=False)
        terms[statistic] = terms.get(statistic, 0) + coefficient
    return {t: c for t, c in terms.items() if not _vanishes(c)}


def _vanishes(coefficient) -> bool:
    return coefficient == 0 or sp.cancel(sp.expand_log(coefficient, force=False)) == 0

"""Recognising the statistics that families know special expectations of."""
import sympy as sp


def shift(expr, x):
    """c if ``expr`` is x − c or c − x (c free of x), else None.

    >>> x, c = sp.symbols("x c", real=True)
    >>> shift(c - x, x), shift(x - 2, x), shift(2*x, x)
    (c, 2, None)
    """
    slope = sp.diff(expr, x)
    if slope not in (1, -1) or sp.diff(expr, x, 2) != 0:
        return None
    return sp.expand(-expr.subs(x, 0) / slope)


def log_quadratic(statistic, x):
    """(a, c, d²) if ``statistic`` is log(a·((x − c)² + d²)), else None.

    >>> x, c = sp.symbols("x c", real=True)
    >>> log_quadratic(sp.log(x**2 - 2*c*x + c**2 + 4), x)
    (1, c, 4)
    """
    if not isinstance(statistic, sp.log):
        return None
    argument = sp.expand(statistic.args[0])
    if not argument.is_polynomial(x) or sp.degree(argument, x) != 2:
        return None
    a, b, constant = (argument.coeff(x, k) for k in (2, 1, 0))
    c = -b / (2 * a)
    return a, sp.simplify(c), sp.simplify(constant / a - c ** 2)

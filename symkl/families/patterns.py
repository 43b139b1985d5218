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


def is_positive(expr) -> bool:
    """Whether ``expr`` is positive for every value of its symbols, by sympy's assumptions
    on it as it stands, factored, or with the squares of its factors completed one symbol
    at a time (a² − 2ab + b² + s² + 2st + t² is (a − b)² + (s + t)², positive for s, t > 0).

    >>> a, b = sp.symbols("a b", real=True)
    >>> s, t = sp.symbols("s t", positive=True)
    >>> is_positive(s*t*(a**2 - 2*a*b + b**2 + s**2 + 2*s*t + t**2)/(s + t)**2)
    True
    >>> is_positive(a**2 - 2*a*b + b**2)
    False
    """
    if expr.is_positive:
        return True
    numerator, denominator = sp.fraction(sp.factor(expr))
    factors = sp.Mul.make_args(numerator) + sp.Mul.make_args(denominator)
    return all(f.is_positive or completed_squares(sp.expand(f)).is_positive for f in factors)


def completed_squares(polynomial):
    """``polynomial`` written as A(v + B/2A)² + (the rest, likewise) in the first symbol v
    in which it is a quadratic with a positive leading coefficient A."""
    for v in sorted(polynomial.free_symbols, key=sp.default_sort_key):
        if not v.is_real or not polynomial.is_polynomial(v) or sp.degree(polynomial, v) != 2:
            continue
        a, b, c = (polynomial.coeff(v, k) for k in (2, 1, 0))
        if not a.is_positive:
            continue
        rest = sp.expand(c - b ** 2 / (4 * a))
        return a * (v + sp.cancel(b / (2 * a))) ** 2 + completed_squares(rest)
    return polynomial

"""Numeric functions from derived results, through ``sympy.lambdify``.

Parameters are taken by name.  With the numpy backend everything is
vectorized over leading (batch) axes:

* a scalar parameter is an array of any shape (all broadcast together);
* an indexed parameter μ[i] of a symbolic-length sum is an array whose last
  axis runs over i = 1 … n: ``Σ_i f(μ[i], σ[i])`` becomes ``sum(f(μ, σ), axis=-1)``;
* a ``MatrixSymbol`` is an array (..., rows, columns): products, transposes,
  inverses, determinants and traces act on the last two axes.
"""
from __future__ import annotations

import sympy as sp
from sympy.printing.numpy import NumPyPrinter

#: backends sympy.lambdify knows by a module name
BACKENDS = ("numpy", "math", "mpmath")


class _BatchedPrinter(NumPyPrinter):
    """numpy code in which matrices are the last two axes of batched arrays."""

    def _print_MatMul(self, expr):
        coefficient, matrices = expr.as_coeff_mmul()
        code = self._print(matrices.args[0]) if isinstance(matrices, sp.MatMul) else self._print(matrices)
        for factor in (matrices.args[1:] if isinstance(matrices, sp.MatMul) else ()):
            code = f"numpy.matmul({code}, {self._print(factor)})"
        return code if coefficient == 1 else f"({self._print(coefficient)})*{code}"

    def _print_Transpose(self, expr):
        return f"numpy.swapaxes({self._print(expr.arg)}, -1, -2)"

    def _print_Inverse(self, expr):
        return f"numpy.linalg.inv({self._print(expr.arg)})"

    def _print_Determinant(self, expr):
        return f"numpy.linalg.det({self._print(expr.arg)})"

    def _print_Trace(self, expr):
        return f"numpy.trace({self._print(expr.arg)}, axis1=-2, axis2=-1)"

    def _print_MatAdd(self, expr):
        return "(" + " + ".join(self._print(a) for a in expr.args) + ")"

    def _print_rowsum(self, expr):
        return f"numpy.sum({self._print(expr.args[0])}, axis=-1)"

    def _print_rowsum_kept(self, expr):
        return f"numpy.sum({self._print(expr.args[0])}, axis=-1, keepdims=True)"


class rowsum(sp.Function):
    """Σ over the last axis (a sum over the coordinates, at the top level)."""


class rowsum_kept(sp.Function):
    """Σ over the last axis, kept as an axis of length 1 (a sum inside a sum)."""


def _as_rows(expr, inside=False):
    """Sums over an index written as sums over the arrays' last axis."""
    if isinstance(expr, sp.Sum):
        (index, _, _), = expr.limits
        summand = expr.function.replace(
            lambda a: isinstance(a, sp.Indexed) and a.indices == (index,),
            lambda a: sp.Symbol(str(a.base.label), **a.base.label.assumptions0))
        return (rowsum_kept if inside else rowsum)(_as_rows(summand, inside=True))
    if not expr.args or isinstance(expr, sp.MatrixExpr):
        return expr
    return expr.func(*(_as_rows(a, inside) for a in expr.args))


def lambdify(result, backend: str = "numpy"):
    """A function of the parameters (by name) that evaluates ``result.expr``.

    >>> from symkl import Normal, kl
    >>> f = kl(Normal(), Normal()).lambdify()
    >>> f.parameters
    ('mu_1', 'mu_2', 'sigma_1', 'sigma_2')
    >>> float(f(mu_1=0, sigma_1=1, mu_2=1, sigma_2=2))
    0.4431471805599453
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; known: {', '.join(BACKENDS)}")
    expr = result.expr
    if not result.closed_form:
        raise ValueError("no closed form to turn into code: the result holds an unevaluated "
                         "integral or sum (use verify or quadrature for numbers)")
    if backend == "numpy" and expr.has(sp.Sum):
        expr = _as_rows(expr)
    parameters = sorted({s for s in expr.free_symbols | _matrix_symbols(expr)
                         if isinstance(s, (sp.Symbol, sp.MatrixSymbol))}, key=str)
    printer = _BatchedPrinter({"fully_qualified_modules": False, "inline": True,
                               "allow_unknown_functions": True}) if backend == "numpy" else None
    modules = [{"numpy": __import__("numpy")}, "numpy"] if backend == "numpy" else backend
    function = sp.lambdify(parameters, expr, modules=modules, printer=printer)
    names = tuple(str(s) for s in parameters)

    def evaluate(**values):
        unknown = set(values) - set(names)
        missing = set(names) - set(values)
        if unknown or missing:
            raise TypeError(f"expected the parameters {', '.join(names)}; "
                            + (f"unknown: {', '.join(sorted(unknown))}" if unknown else
                               f"missing: {', '.join(sorted(missing))}"))
        return function(*(values[n] for n in names))

    evaluate.parameters = names
    evaluate.__doc__ = f"{result.lhs_text()} as a function of {', '.join(names)} ({backend})."
    return evaluate


def _matrix_symbols(expr) -> set:
    return set(expr.atoms(sp.MatrixSymbol))

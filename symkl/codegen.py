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

import math

import sympy as sp
from sympy.printing.codeprinter import PrintMethodNotImplementedError
from sympy.printing.numpy import NumPyPrinter

#: backends sympy.lambdify knows by a module name
BACKENDS = ("numpy", "math", "mpmath", "jax", "torch")
#: languages ``code`` writes
LANGUAGES = ("python", "c", "fortran")


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
    if backend in ("jax", "torch"):
        try:
            __import__(backend)
        except ImportError:
            raise ImportError(f"the {backend} backend needs {backend} installed") from None
    expr = _closed_form(result)
    if backend in ("math", "numpy") and not expr.has(sp.MatrixExpr, sp.Sum):
        expr = near_equal(result, expr) or stable(expr)
    elif backend in ("jax", "torch") and not expr.has(sp.MatrixExpr, sp.Sum):
        expr = stable(expr)
    if backend == "numpy" and expr.has(sp.Sum):
        expr = _as_rows(expr)
    parameters = sorted({s for s in expr.free_symbols | _matrix_symbols(expr)
                         if isinstance(s, (sp.Symbol, sp.MatrixSymbol))}, key=str)
    printer = _BatchedPrinter({"fully_qualified_modules": False, "inline": True,
                               "allow_unknown_functions": True}) if backend == "numpy" else None
    if backend == "numpy":
        import numpy
        # the printer writes numpy.swapaxes, numpy.sum …
        modules = [{"numpy": numpy, "log1pmx": _log1pmx_numpy}, "numpy"]
    elif backend == "math":
        modules = [{"log1pmx": _log1pmx_float}, "math"]
    else:
        modules = backend
    function = sp.lambdify(parameters, expr, modules=modules, printer=printer)
    names = tuple(str(s) for s in parameters)

    def evaluate(**values):
        unknown = set(values) - set(names)
        missing = set(names) - set(values)
        if unknown or missing:
            raise TypeError(f"expected the parameters {', '.join(names)}; "
                            + (f"unknown: {', '.join(sorted(unknown))}" if unknown else
                               f"missing: {', '.join(sorted(missing))}"))
        out = function(*(values[n] for n in names))
        return out[()] if getattr(out, "shape", None) == () else out  # a scalar for scalars

    evaluate.parameters = names
    evaluate.__doc__ = f"{result.lhs_text()} as a function of {', '.join(names)} ({backend})."
    return evaluate


def _matrix_symbols(expr) -> set:
    return set(expr.atoms(sp.MatrixSymbol))


def _closed_form(result):
    if not result.closed_form:
        raise ValueError("no closed form to turn into code: the result holds an unevaluated "
                         "integral or sum (use verify or quadrature for numbers)")
    return result.expr


class log1pmx(sp.Function):
    """log(1 + t) − t, which generated code evaluates without cancellation near t = 0.

    For |t| < 1/2, with u = t/(2 + t): log(1 + t) − t = −u·t + 2u³·Σ_j u^{2j}/(2j + 3)
    (log(1 + t) = 2·atanh(u)), both parts of size t²; elsewhere log1p(t) − t.
    """

    nargs = 1

    def _eval_rewrite_as_log(self, t, **kwargs):
        return sp.log(1 + t) - t

    def _eval_evalf(self, prec):
        return self.rewrite(sp.log)._eval_evalf(prec)

    def _call(self, printer):
        """Printed as a call of ``log1pmx``, which generated code defines (or lambdify is given)."""
        return f"log1pmx({printer._print(self.args[0])})"

    _ccode = _pythoncode = _numpycode = _lambdacode = _call


#: terms of the series in u² (|u| ≤ 1/3): 1/9^20 is far below a float's rounding
_TERMS = 20


def _log1pmx_float(t):
    if abs(t) < 0.5:
        u = t / (2 + t)
        u2, total = u * u, 0.0
        for j in reversed(range(_TERMS)):
            total = total * u2 + 1 / (2 * j + 3)
        return -u * t + 2 * u * u2 * total
    return math.log1p(t) - t


def _log1pmx_numpy(t):
    import numpy
    t = numpy.asarray(t, dtype=float)
    small = numpy.abs(t) < 0.5
    safe = numpy.where(small, t, 0.0)
    u = safe / (2 + safe)
    u2, total = u * u, numpy.zeros_like(u)
    for j in reversed(range(_TERMS)):
        total = total * u2 + 1 / (2 * j + 3)
    with numpy.errstate(invalid="ignore", divide="ignore"):
        far = numpy.log1p(t) - t
    return numpy.where(small, -u * safe + 2 * u * u2 * total, far)


_LOG1PMX_PYTHON = f"""def log1pmx(t):
    \"\"\"log(1 + t) - t without cancellation near t = 0.\"\"\"
    if abs(t) < 0.5:
        u = t / (2 + t)
        u2, total = u * u, 0.0
        for j in reversed(range({_TERMS})):
            total = total * u2 + 1 / (2 * j + 3)
        return -u * t + 2 * u * u2 * total
    return math.log1p(t) - t
"""

_LOG1PMX_C = f"""/* log(1 + t) - t without cancellation near t = 0 */
static double log1pmx(double t) {{
   if (fabs(t) < 0.5) {{
      double u = t / (2 + t), u2 = u * u, total = 0;
      for (int j = {_TERMS - 1}; j >= 0; j--) total = total * u2 + 1.0 / (2 * j + 3);
      return -u * t + 2 * u * u2 * total;
   }}
   return log1p(t) - t;
}}
"""


def near_equal(result, expr):
    """For p and q of one family: the form that keeps its digits as q approaches p, or None.

    A KL is of second order in the difference of the parameters, while the
    terms of its closed form are of order one: evaluated as written, p ≈ q
    leaves only rounding.  Here each c·log(a/b) becomes c·log1pmx(t) + c·t with
    t = (a − b)/b, and the rational rest, with c·t added, is written in the
    differences δ = θ_q − θ_p (each monomial then carries its powers of δ):

    ``log(s2/s1) − 1/2 + s1²/(2·s2²)`` → ``log1pmx(t) + (s2 − s1)²·(s1 + 2·s2)/(2·s1·s2²)``,
    t = (s2 − s1)/s1, where |t| < 1/2 for every log, and the plain form elsewhere.
    """
    p, q = result.p, result.q
    if q is None or type(p) is not type(q):
        return None
    pairs = [(a, b) for a, b in zip(p.args, q.args)
             if isinstance(a, sp.Symbol) and isinstance(b, sp.Symbol) and a != b]
    logs, rest = [], sp.S.Zero
    for term in sp.Add.make_args(expr):
        coefficient, function = term.as_independent(sp.log, as_Add=False)
        if isinstance(function, sp.log) and not coefficient.has(sp.Function):
            a, b = sp.fraction(function.args[0])
            logs.append((coefficient, sp.factor_terms(sp.expand(a - b)) / b))
        elif term.has(sp.Function, sp.Piecewise):
            return None
        else:
            rest += term
    if not pairs or not logs:
        return None
    deltas = {b: a + sp.Dummy(real=True) for a, b in pairs}  # θ_q = θ_p + δ
    differences = [shifted - a for (a, _), shifted in zip(pairs, deltas.values())]
    rational = sp.cancel(sp.together((rest + sum(c * t for c, t in logs)).xreplace(deltas)))
    numerator, denominator = sp.fraction(rational)
    written = (sp.Add(*(c * log1pmx(t) for c, t in logs))
               + sp.collect(sp.expand(numerator), differences) / sp.factor(denominator))
    written = written.xreplace({d: b - a for d, (a, b) in zip(differences, pairs)})
    near = sp.And(*(sp.Abs(t) < sp.S.Half for _, t in logs))
    return sp.Piecewise((written, near), (stable(expr), True))


def stable(expr):
    """The same value written for floating point.

    * log(1 + x) → log1p(x), exact near x = 0;
    * log(a/b) → log1p((a − b)/b) where a/b lies within a factor 1.5 of 1, with
      a − b simplified first: ``log((1 - p)/(1 - q))`` uses ``q - p``, exact
      even when p and q are tiny; elsewhere log(a/b) as it is.

    >>> x, a, b = sp.symbols("x a b", positive=True)
    >>> stable(sp.log(1 + x))
    log1p(x)
    >>> stable(sp.log(a/b))
    Piecewise((log1p((a - b)/b), (a < 3*b/2) & (b < 3*a/2)), (log(a/b), True))
    """
    from sympy.codegen.cfunctions import log1p

    def rewrite(log):
        argument = log.args[0]
        if argument.is_Add and 1 in argument.args:
            return log1p(argument - 1)
        a, b = sp.fraction(argument)
        if b == 1 or argument.is_number:
            return log
        near_one = sp.And(a < 3 * b / 2, b < 3 * a / 2)
        return sp.Piecewise((log1p(sp.factor_terms(sp.expand(a - b)) / b), near_one), (log, True))

    return expr.replace(lambda e: isinstance(e, sp.log), rewrite)


def code(result, language: str = "python", name: str | None = None) -> str:
    """Source code of a function computing ``result.expr`` from its parameters.

    >>> from symkl import Exponential, kl
    >>> print(code(kl(Exponential(), Exponential()), "fortran"))
    real(8) function kl_exponential_exponential(rate_1, rate_2)
       real(8), intent(in) :: rate_1
       real(8), intent(in) :: rate_2
       kl_exponential_exponential = log(rate_1/rate_2) - 1 + rate_2/rate_1
    end function kl_exponential_exponential
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    expr = _closed_form(result)
    if expr.has(sp.MatrixExpr, sp.Sum, sp.Indexed, sp.Piecewise) or not expr.free_symbols:
        raise ValueError("code() writes scalar closed forms of scalar parameters; "
                         "use lambdify() for sums, matrices and piecewise results")
    if language != "fortran":  # Fortran has no log1p: the plain form
        expr = near_equal(result, expr) or stable(expr)
    parameters = sorted(expr.free_symbols, key=str)
    families = [result.p] + ([result.q] if result.q is not None else [])
    name = name or "_".join([result.kind] + [type(f).__name__.lower() for f in families])
    arguments = [str(s) for s in parameters]
    if language == "python":
        from sympy.printing.pycode import MpmathPrinter, PythonCodePrinter
        module = "math"
        try:
            body = PythonCodePrinter({"fully_qualified_modules": True}).doprint(expr)
        except PrintMethodNotImplementedError:  # ψ, log Γ of … are in mpmath, not math
            psi = expr.replace(sp.polygamma, sp.Function("mpmath.psi"))
            module, body = "mpmath", MpmathPrinter({"fully_qualified_modules": True,
                                                    "allow_unknown_functions": True}).doprint(psi)
        helper = f"\n\n{_LOG1PMX_PYTHON}" if expr.has(log1pmx) else ""
        imports = "import math\n" + (f"import {module}\n" if module != "math" else "")
        return (f"{imports}{helper}\n\ndef {name}({', '.join(arguments)}):\n"
                f"    \"\"\"{result.lhs_text()}\"\"\"\n    return {body}\n")
    if language == "c":
        body = _printed(sp.ccode, expr, "C", standard="c99")
        helper = f"\n{_LOG1PMX_C}" if expr.has(log1pmx) else ""
        return (f"#include <math.h>\n{helper}\ndouble {name}({', '.join('double ' + a for a in arguments)}) {{\n"
                f"   return {body};\n}}")
    body = _printed(sp.fcode, expr, "Fortran", assign_to=name, source_format="free", standard=2008)
    declarations = "\n".join(f"   real(8), intent(in) :: {a}" for a in arguments)
    return (f"real(8) function {name}({', '.join(arguments)})\n{declarations}\n"
            f"   {body}\nend function {name}")


def _printed(printer, expr, language, **settings) -> str:
    """``printer(expr)``, or a ValueError naming what the language lacks."""
    try:
        return printer(expr, **settings)
    except PrintMethodNotImplementedError as error:
        missing = str(error).split(":")[1].split("\n")[0].strip()
        raise ValueError(f"{language} has no {missing} function; use language='python' "
                         f"or lambdify()") from None

"""The result of a derivation: closed form, steps, LaTeX, evaluation, verification."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import mpmath
import sympy as sp
from sympy.printing.latex import LatexPrinter

from .numeric import cubature, quadrature
from .kinds import KINDS



#: a quadrature value past this, where the closed form is ∞, is read as divergence
_HUGE = mpmath.mpf(10) ** 20


class _Printer(LatexPrinter):
    """sympy's LaTeX, with ψ for the digamma function, log Γ for loggamma, and matrices
    as a textbook writes them: tr, det, ^{\top}, and a 1 × 1 quadratic form without tr."""

    def _print_Trace(self, expr, exp=None):
        inner = self._print(expr.arg)
        if isinstance(expr.arg, sp.MatMul) and expr.arg.shape == (1, 1):
            inner = " ".join(self._factor(f) for f in expr.arg.args)
        tex = inner if expr.arg.shape == (1, 1) else rf"\operatorname{{tr}}\left({inner}\right)"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex

    def _print_Determinant(self, expr, exp=None):
        arg = expr.arg
        inner = self._print(arg) if isinstance(arg, sp.MatrixSymbol) else rf"\left({self._print(arg)}\right)"
        tex = rf"\det {inner}"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex

    def _factor(self, factor):
        """A factor of a product of matrices, bracketed where it is a sum."""
        if isinstance(factor, sp.MatAdd):
            printed = self._print(factor)
            return printed if printed.endswith(r"^{\top}") else rf"\left({printed}\right)"
        return self._print(factor)

    def _print_MatAdd(self, expr):
        terms = [t.args[-1] if isinstance(t, sp.MatMul) and t.args[0] == -1 else t for t in expr.args]
        if all(isinstance(t, sp.Transpose) for t in terms):  # aᵀ − bᵀ = (a − b)ᵀ
            return rf"\left({self._print(sp.MatAdd(*(t.T for t in expr.args)))}\right)^{{\top}}"
        return self._print_Add(expr)

    def _print_Transpose(self, expr):
        arg = expr.arg
        inner = self._print(arg) if isinstance(arg, sp.MatrixSymbol) else rf"\left({self._print(arg)}\right)"
        return rf"{inner}^{{\top}}"

    def _print_polygamma(self, expr, exp=None):
        order, argument = expr.args
        head = r"\psi" if order == 0 else rf"\psi^{{({self._print(order)})}}"
        head += f"^{{{exp}}}" if exp else ""
        return rf"{head}\left({self._print(argument)}\right)"

    def _print_loggamma(self, expr, exp=None):
        tex = rf"\log \Gamma\left({self._print(expr.args[0])}\right)"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex


class Step(NamedTuple):
    """One step of a derivation: what was done, and the equation it gave."""

    label: str
    expr: sp.Eq

    def xreplace(self, mapping) -> "Step":
        lhs, rhs = self.expr.args
        return Step(self.label, sp.Eq(lhs.xreplace(mapping), rhs.xreplace(mapping), evaluate=False))


@dataclass(frozen=True)
class Verification:
    """A closed form checked against quadrature at ``dps`` significant digits."""

    closed_form: mpmath.mpf
    quadrature: mpmath.mpf
    error: mpmath.mpf
    digits: int
    dps: int

    def __str__(self):
        show = max(self.dps, 15)
        return (f"closed form  {mpmath.nstr(self.closed_form, show)}\n"
                f"quadrature   {mpmath.nstr(self.quadrature, show)}"
                f"  (error estimate {mpmath.nstr(self.error, 3)})\n"
                f"agreement    {self.digits} of {self.dps} significant digits")


class Result:
    """A divergence or entropy, derived: ``expr`` with its ``steps``.

    ``kind`` is ``"kl"``, ``"entropy"`` or ``"cross_entropy"``; ``q`` is None
    for an entropy.  ``closed_form`` is False when some expectation could not
    be found and ``expr`` holds an unevaluated integral or sum (the numeric
    route still works).  ``reason`` says why the value is ∞ where it may be.

    Examples
    --------
    >>> from symkl import Normal, kl
    >>> r = kl(Normal(), Normal())
    >>> r.subs({"mu_1": 0, "sigma_1": 1, "mu_2": 1, "sigma_2": 2}).expr
    -1/4 + log(2)
    >>> r.verify({"mu_1": 0, "sigma_1": 1, "mu_2": 1, "sigma_2": 2}, dps=30).digits
    30
    """

    def __init__(self, kind, p, q, expr, steps, *, base=sp.E, closed_form=True, reason=None,
                 generic=None):
        self.kind, self.p, self.q = kind, p, q
        self.expr, self.steps = expr, tuple(steps)
        self.base, self.closed_form, self.reason = base, closed_form, reason
        # (expr in Symbols of the families' twins, map twin Symbol -> parameter)
        self._generic = generic or (expr, {})

    # -- printing ---------------------------------------------------------------
    def _families(self):
        return (self.p,) if self.q is None else (self.p, self.q)

    def _printer(self) -> LatexPrinter:
        names = {}
        for family in self._families():
            names.update(family.latex_names())
        return _Printer({"symbol_names": names})

    def lhs_latex(self) -> str:
        """The left-hand side: ``D_{\\mathrm{KL}}\\left(p \\,\\middle\\|\\, q\\right)``, ``H(p)`` …"""
        printer = self._printer()
        p = printer._print(self.p)
        if self.kind == "entropy":
            return rf"H\left({p}\right)"
        q = printer._print(self.q)
        if self.kind == "kl":
            return rf"D_{{\mathrm{{KL}}}}\left({p} \,\middle\|\, {q}\right)"
        return rf"H\left({p}, {q}\right)"

    def latex(self) -> str:
        """The result as one LaTeX equation."""
        return f"{self.lhs_latex()} = {self._printer().doprint(self.expr)}"

    def derivation_latex(self) -> str:
        """The derivation as a LaTeX ``align*`` block, one step a line."""
        printer = self._printer()
        lines = [rf"\text{{{KINDS[self.kind].title} of }} p = {printer._print(self.p)}"
                 + (rf",\ q = {printer._print(self.q)}" if self.q is not None else "")
                 + r" \\"]
        for label, equation in self.steps:
            lhs, rhs = (printer.doprint(side) for side in equation.args)
            lines.append(rf"{lhs} &= {rhs} && \text{{{label}}} \\")
        lines[-1] = lines[-1].removesuffix(r" \\")
        return "\\begin{align*}\n" + "\n".join(lines) + "\n\\end{align*}"

    def _repr_latex_(self) -> str:
        return rf"$\displaystyle {self.latex()}$"

    def lhs_text(self) -> str:
        if self.kind == "entropy":
            return f"H({self.p!r})"
        symbol = "D_KL" if self.kind == "kl" else "H"
        separator = " ‖ " if self.kind == "kl" else ", "
        return f"{symbol}({self.p!r}{separator}{self.q!r})"

    def __repr__(self):
        return f"{self.lhs_text()} = {sp.sstr(self.expr)}{self._approximately()}"

    def _approximately(self) -> str:
        """`` ≈ 4.10522018598809`` for an exact number that is no plain rational."""
        if self.expr.is_number and not self.expr.is_Rational and self.expr.is_finite:
            return f" ≈ {sp.N(self.expr, 15)}"
        return ""

    def __str__(self):
        text = f"{self.lhs_text()} =\n{sp.pretty(self.expr, use_unicode=True)}{self._approximately()}"
        return text + (f"\n({self.reason})" if self.reason and self.expr.has(sp.oo) else "")

    def steps_text(self) -> str:
        """The derivation as unicode text, one step a paragraph."""
        return "\n\n".join(f"[{label}]\n{sp.pretty(eq, use_unicode=True)}"
                           for label, eq in self.steps)

    # -- evaluation ---------------------------------------------------------------
    @property
    def free_symbols(self) -> set:
        symbols = set(self.expr.free_symbols)
        for family in self._families():
            symbols |= family.free_symbols
        return {s for s in symbols if isinstance(s, (sp.Symbol, sp.MatrixSymbol))}

    def _resolve(self, values, exact=False) -> dict:
        """Map names or Symbols to values; floats become exact binary rationals if ``exact``."""
        symbols = {str(s): s for s in self.free_symbols}
        mapping = {}
        for key, value in dict(values or {}).items():
            name = str(key)
            if name not in symbols:
                known = ", ".join(sorted(symbols)) or "none"
                raise ValueError(f"no parameter named {name!r}; parameters: {known}")
            if isinstance(symbols[name], sp.MatrixSymbol):
                value = sp.ImmutableMatrix(value)
            elif isinstance(value, sp.MatrixBase):
                value = list(value)
            if not isinstance(value, (list, tuple, dict, sp.MatrixBase)):
                value = sp.Rational(value) if exact and isinstance(value, (float, sp.Float)) \
                    else sp.sympify(value, strict=True)
            mapping[symbols[name]] = value
        return mapping

    def subs(self, values=None, **named) -> "Result":
        """The result at some parameter values, given by name or Symbol.

        ``values`` may map names or Symbols to numbers or expressions;
        keywords work too: ``r.subs(mu_1=0)``.
        """
        mapping = self._resolve({**dict(values or {}), **named})
        families = [f.subs(mapping) for f in self._families()]
        expr = _at(self.expr, mapping)
        if not expr.is_number:
            from .engine.matrix_forms import canonical_form
            expr = canonical_form(expr)
        steps = [s.xreplace(_scalars(mapping)) for s in self.steps]
        generic_expr, generic_map = self._generic
        # shared (structural) parameters such as a dimension k live in the generic form itself
        generic_expr = generic_expr.xreplace({k: v for k, v in _scalars(mapping).items()
                                              if k not in generic_map})
        generic_map = {k: _value_at(v, mapping) for k, v in generic_map.items()}
        return Result(self.kind, families[0], families[1] if self.q is not None else None,
                      expr, steps, base=self.base, closed_form=self.closed_form, reason=self.reason,
                      generic=(generic_expr, generic_map))

    def evalf(self, values=None, n: int = 15):
        """The numeric value at ``values`` with ``n`` significant digits (floats taken exactly)."""
        return sp.N(self._exact_value(self._resolve(values, exact=True)), n)

    def _exact_value(self, mapping):
        """The derived expression at ``mapping``, every float taken as its exact binary value."""
        generic_expr, generic_map = self._generic
        exact_map = {k: _exactly(_value_at(v, mapping)) for k, v in generic_map.items()}
        value = _at(generic_expr, {**_exactly_each(mapping), **exact_map})
        if value.has(sp.nan, sp.zoo):
            # A boundary the general formula does not cover (0·log 0): derive
            # again for the distributions at these values.
            from .engine.derive import derive
            families = [f.subs(_exactly_each(mapping)) for f in self._families()]
            value = derive(self.kind, *families, base=self.base).expr
        return value

    def lambdify(self, backend: str = "numpy"):
        """The closed form as a function of the parameters, by name (see :mod:`symkl.codegen`).

        >>> from symkl import Exponential, kl
        >>> f = kl(Exponential(), Exponential()).lambdify("math")
        >>> round(f(rate_1=1, rate_2=2), 12)
        0.30685281944
        """
        from .codegen import lambdify
        return lambdify(self, backend)

    def plot(self, values=None, ax=None):
        """p, q and the integrand p·log(p/q) at numeric parameters: a matplotlib Figure.

        Needs matplotlib (``pip install symkl[plot]``); see :func:`symkl.plot.plot_result`.
        """
        from .plot import plot_result
        return plot_result(self, values, ax)

    def code(self, language: str = "python", name: str | None = None) -> str:
        """Source of a function computing the closed form: ``"python"``, ``"c"`` or ``"fortran"``.

        >>> from symkl import Normal, kl
        >>> source = kl(Normal(), Normal()).code("python")
        >>> [line for line in source.splitlines() if line.startswith("def ")]
        ['def log1pmx(t):', 'def kl_normal_normal(mu_1, mu_2, sigma_1, sigma_2):']
        """
        from .codegen import code
        return code(self, language, name)

    def __float__(self):
        return float(self.evalf())

    def verify(self, values=None, dps: int = 50) -> Verification:
        """Check the closed form against mpmath quadrature at ``dps`` digits.

        The quadrature works from the log-densities alone, never from the
        closed form.  Floats are taken as the exact binary numbers they are.
        Where the closed form is ∞ and the quadrature does not converge (its
        error estimate is as large as its value, or the value exceeds 1e20, far
        beyond any finite KL of moderate parameters), the quadrature reads ∞.
        """
        mapping = self._resolve(values, exact=True)
        families = [f.subs(mapping) for f in self._families()]
        missing = set().union(*(f.free_symbols for f in families))
        if missing:
            names = ", ".join(sorted(map(str, missing)))
            raise ValueError(f"verify needs a value for every parameter; missing: {names}")
        exact = self._exact_value(mapping)
        if not exact.is_number:
            closed = mpmath.nan
        else:
            with mpmath.workdps(dps + quadrature.GUARD):
                closed = quadrature.to_mpmath(exact)
        numeric = cubature.integral if cubature.handles(families[0]) else quadrature.integral
        value, error = numeric(self.kind, *families, dps=dps)
        if closed == mpmath.inf and (error >= abs(value) / 1000 or abs(value) > _HUGE):
            value = mpmath.inf  # the quadrature does not converge: the integral diverges
        with mpmath.workdps(dps + quadrature.GUARD):
            if self.base != sp.E:
                scale = mpmath.log(quadrature.to_mpmath(self.base))
                value, error = value / scale, error / scale
            digits = quadrature.agreeing_digits(closed, value, dps)
        return Verification(closed, value, error, digits, dps)


def _exactly(value):
    """Floats inside ``value`` replaced by the exact binary rationals they stand for."""
    if isinstance(value, (list, tuple)):
        return [_exactly(v) for v in value]
    if isinstance(value, dict):
        return {k: _exactly(v) for k, v in value.items()}
    value = sp.sympify(value)
    return value.xreplace({f: sp.Rational(f) for f in value.atoms(sp.Float)})


def _exactly_each(mapping):
    return {k: _exactly(v) for k, v in mapping.items()}


def _is_collection(value) -> bool:
    return isinstance(value, (list, tuple, dict, sp.MatrixBase))


def _scalars(mapping) -> dict:
    return {k: v for k, v in mapping.items() if not _is_collection(v)}


def _value_at(value, mapping):
    """A parameter's value with ``mapping`` applied (a sequence for a named IndexedBase,
    a matrix for a named MatrixSymbol)."""
    named = {str(k): v for k, v in mapping.items()}
    if isinstance(value, (sp.IndexedBase, sp.MatrixSymbol)) and str(value) in named:
        return named[str(value)]
    return value.xreplace(_scalars(mapping))


def _at(expr, mapping):
    """``expr`` at ``mapping``: a sequence for an IndexedBase fills in its entries (counted
    from the lower limit of the sums over it), a matrix replaces a MatrixSymbol."""
    matrices = {str(k): v for k, v in mapping.items() if isinstance(k, sp.MatrixSymbol)}
    sequences = {getattr(k, "label", k): v for k, v in mapping.items()
                 if _is_collection(v) and not isinstance(k, sp.MatrixSymbol)}
    expr = expr.xreplace(_scalars({k: v for k, v in mapping.items() if not isinstance(k, sp.MatrixSymbol)}))
    if matrices:
        expr = expr.replace(lambda a: isinstance(a, sp.MatrixSymbol) and a.name in matrices,
                            lambda a: matrices[a.name]).doit()
    if sequences:
        first = {label: _lowest_index(expr, label) for label in sequences}
        entries = {label: v if isinstance(v, dict) else dict(enumerate(v, first[label]))
                   for label, v in sequences.items()}
        expr = expr.doit().replace(
            lambda a: isinstance(a, sp.Indexed) and a.base.label in entries,
            lambda a: sp.sympify(entries[a.base.label][int(a.indices[0])]))
    return expr


def _lowest_index(expr, label) -> int:
    """The lower limit of the sums over an IndexedBase named ``label`` (0 if there are none)."""
    for s in expr.atoms(sp.Sum):
        if any(i.base.label == label for i in s.function.atoms(sp.Indexed)):
            return int(s.limits[0][1])
    return 0

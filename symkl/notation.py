"""Display-only sympy objects for the derivation: D_KL(p‖q), H(p), D_α(p‖q), E_p[·], ∫ p^α q^{1−α}.

They exist so that steps are sympy equations printed by sympy's own
printers (str, unicode, LaTeX); the engine never computes with them.
"""
from __future__ import annotations

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm


class _Notation(sp.Expr):
    """An unevaluated symbol of the theory, printed from two templates."""

    text: str = ""
    tex: str = ""
    is_commutative = True

    def _sympystr(self, printer):
        return self.text.format(*(printer._print(a) for a in self.args))

    def _latex(self, printer):
        return self.tex.format(*(printer._print(a) for a in self.args))

    def _pretty(self, printer):
        return prettyForm(self.text.format(*(printer._print(a) for a in self.args)))


class KLDivergence(_Notation):
    text = "D_KL({} ‖ {})"
    tex = r"D_{{\mathrm{{KL}}}}\left({} \,\middle\|\, {}\right)"


class Entropy(_Notation):
    text = "H({})"
    tex = r"H\left({}\right)"


class CrossEntropy(_Notation):
    text = "H({}, {})"
    tex = r"H\left({}, {}\right)"


class Expectation(_Notation):
    """E_p[f(X)]: the first argument is f, the second names the distribution."""

    text = "E_{1}[{0}]"
    tex = r"\mathbb{{E}}_{{{1}}}\left[{0}\right]"

    def _pretty(self, printer):
        inner = printer._print(self.args[0])
        bracketed = prettyForm(*inner.parens("[", "]"))
        return prettyForm(*bracketed.left(f"E_{printer._print(self.args[1])}"))


class RenyiDivergence(_Notation):
    """D_α(p‖q): the arguments are p, q and the order α."""

    text = "D_{2}({0} ‖ {1})"
    tex = r"D_{{{2}}}\left({0} \,\middle\|\, {1}\right)"


class AlphaDivergence(_Notation):
    text = "D^({2})({0} ‖ {1})"
    tex = r"D^{{({2})}}\left({0} \,\middle\|\, {1}\right)"


class BhattacharyyaDistance(_Notation):
    text = "D_B({0}, {1})"
    tex = r"D_{{B}}\left({0}, {1}\right)"


class SquaredHellinger(_Notation):
    text = "H²({0}, {1})"
    tex = r"H^{{2}}\left({0}, {1}\right)"


class ChiSquareDivergence(_Notation):
    text = "χ²({0} ‖ {1})"
    tex = r"\chi^{{2}}\left({0} \,\middle\|\, {1}\right)"


class JeffreysDivergence(_Notation):
    text = "J({0}, {1})"
    tex = r"J\left({0}, {1}\right)"


class TotalVariation(_Notation):
    text = "TV({0}, {1})"
    tex = r"\mathrm{{TV}}\left({0}, {1}\right)"


class JensenShannon(_Notation):
    text = "JS({0}, {1})"
    tex = r"\mathrm{{JS}}\left({0}, {1}\right)"


class FDivergence(_Notation):
    """D_f(p‖q): the arguments are p and q (f is named in the derivation's steps)."""

    text = "D_f({0} ‖ {1})"
    tex = r"D_{{f}}\left({0} \,\middle\|\, {1}\right)"


class PowerIntegral(_Notation):
    """∫ p^α q^{1−α}: the arguments are p, q and the order α."""

    def _complement(self, printer):
        return printer._print(1 - self.args[2])

    def _sympystr(self, printer):
        p, q, order = (printer._print(a) for a in self.args)
        return f"∫ {p}^{order} {q}^({self._complement(printer)})"

    def _latex(self, printer):
        p, q, order = (printer._print(a) for a in self.args)
        return rf"\int {p}^{{{order}}} {q}^{{{self._complement(printer)}}} \, \mathrm{{d}}x"

    def _pretty(self, printer):
        return prettyForm(self._sympystr(printer))


P, Q = sp.Symbol("p"), sp.Symbol("q")


def density(label, x):
    """``p(x)`` as an undefined function applied to x."""
    return sp.Function(str(label))(x)


class Label(str):
    """A step's label: plain text, with its LaTeX where the text holds mathematics.

    It is a ``str`` (``label == "log p(x)"`` holds); ``latex`` is LaTeX for
    math mode, or None when the label is plain words (then it is set in
    ``\\text{…}``).

    >>> label = Label("log p(x)", r"\\log p(x)")
    >>> label, label.latex
    ('log p(x)', '\\\\log p(x)')
    """

    latex: str | None

    def __new__(cls, text: str, latex: str | None = None):
        label = super().__new__(cls, text)
        label.latex = latex
        return label

    def __reduce__(self):
        return Label, (str(self), self.latex)

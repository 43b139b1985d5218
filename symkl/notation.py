"""Display-only sympy objects for the derivation: D_KL(p‖q), H(p), E_p[·].

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

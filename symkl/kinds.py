"""The registry of quantities: one small declaration each, the engine names none of them.

Three are expectations under p of a function of log p and log q,

    KL(p‖q) = E_p[log p − log q],   H(p) = E_p[−log p],   H(p, q) = E_p[−log q];

five are functions of the power integral I_α = ∫ p^α q^{1−α},

    D_α = log I_α / (α − 1)                (Rényi; α > 0, α ≠ 1)
    D^(α) = (1 − I_α) / (α(1 − α))         (Amari's α-divergence)
    D_B = −log I_½,  H² = 1 − I_½          (Bhattacharyya, squared Hellinger)
    χ² = I_2 − 1                           (Pearson);

Jeffreys' J(p, q) = KL(p‖q) + KL(q‖p) is a sum of two of the first kind; and three
have engine routes of their own (``method``):

    TV(p, q) = ½ ∫ |p − q|                     ("crossings": from where p and q cross)
    JS(p, q) = ½ KL(p‖m) + ½ KL(q‖m), m = (p + q)/2   ("midpoint")
    D_f(p‖q) = E_q[f(p/q)]                      ("generator": linear in f).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from . import notation
from .notation import P, Q


@dataclass(frozen=True)
class Kind:
    """One quantity: its name, how it is written, and how it is made.

    Exactly one of ``integrand`` (the f in E_p[f(log p(X), log q(X))]),
    ``from_power`` (log I_α ↦ the quantity, for a divergence of the power
    integral), ``parts`` (a sum of other kinds, each (name, swapped)) and
    ``method`` (the name of an engine route of its own, which the numeric
    check has too) is set.  ``order`` is None for a quantity without one,
    ``"free"`` for one taking α, ``"function"`` for one taking a function (the
    generator of an f-divergence), else the fixed α of its power integral.
    ``text`` and ``tex`` are templates in {p}, {q} and {order}.
    """

    title: str
    notation: Callable
    text: str
    tex: str
    integrand: Callable | None = None
    definition: Callable | None = None
    from_power: Callable | None = None
    order: object = None
    parts: tuple = ()
    method: str | None = None
    symmetric: bool = False
    logarithmic: bool = True
    #: the condition on a free order, and what it says
    order_condition: tuple = field(default=(lambda a: sp.And(a > 0, sp.Ne(a, 1)), "α > 0 and α ≠ 1"))

    def symbol(self, order=None) -> sp.Expr:
        """The quantity's symbol for p and q, D_KL(p‖q), D_α(p‖q) …"""
        return self.notation(order)

    def uses(self, which: str) -> bool:
        """Whether f depends on log p (``which="p"``) or log q (``"q"``)."""
        if self.integrand is None:
            return True
        log_p, log_q = sp.symbols("log_p log_q")
        return self.integrand(log_p, log_q).has(log_p if which == "p" else log_q)

    @property
    def pairwise(self) -> bool:
        """Whether it compares two distributions (not an entropy)."""
        return self.integrand is None or self.uses("q")


_X = sp.Symbol("x")
#: the midpoint mixture (p + q)/2, as written in a definition
_M = sp.Symbol("m")


def _power_definition(outer):
    return lambda order: outer(notation.PowerIntegral(P, Q, order), order)


KINDS = {
    "kl": Kind("KL divergence", lambda a: notation.KLDivergence(P, Q),
               "D_KL({p} ‖ {q})", r"D_{{\mathrm{{KL}}}}\left({p} \,\middle\|\, {q}\right)",
               integrand=lambda log_p, log_q: log_p - log_q,
               definition=lambda a: notation.CrossEntropy(P, Q) - notation.Entropy(P)),
    "entropy": Kind("entropy", lambda a: notation.Entropy(P), "H({p})", r"H\left({p}\right)",
                    integrand=lambda log_p, log_q: -log_p),
    "cross_entropy": Kind("cross-entropy", lambda a: notation.CrossEntropy(P, Q), "H({p}, {q})",
                          r"H\left({p}, {q}\right)", integrand=lambda log_p, log_q: -log_q),
    "renyi": Kind("Rényi divergence", lambda a: notation.RenyiDivergence(P, Q, a),
                  "D_{order}({p} ‖ {q})", r"D_{{{order}}}\left({p} \,\middle\|\, {q}\right)",
                  from_power=lambda log_i, a: log_i / (a - 1), order="free",
                  definition=_power_definition(lambda i, a: sp.log(i) / (a - 1))),
    "alpha_divergence": Kind(
        "α-divergence", lambda a: notation.AlphaDivergence(P, Q, a), "D^({order})({p} ‖ {q})",
        r"D^{{({order})}}\left({p} \,\middle\|\, {q}\right)",
        from_power=lambda log_i, a: (1 - sp.exp(log_i)) / (a * (1 - a)), order="free",
        definition=_power_definition(lambda i, a: (1 - i) / (a * (1 - a))), logarithmic=False),
    "bhattacharyya": Kind(
        "Bhattacharyya distance", lambda a: notation.BhattacharyyaDistance(P, Q), "D_B({p}, {q})",
        r"D_{{B}}\left({p}, {q}\right)", from_power=lambda log_i, a: -log_i, order=sp.S.Half,
        definition=_power_definition(lambda i, a: -sp.log(i)), symmetric=True),
    "squared_hellinger": Kind(
        "squared Hellinger distance", lambda a: notation.SquaredHellinger(P, Q), "H²({p}, {q})",
        r"H^{{2}}\left({p}, {q}\right)", from_power=lambda log_i, a: 1 - sp.exp(log_i),
        order=sp.S.Half, definition=_power_definition(lambda i, a: 1 - i), symmetric=True,
        logarithmic=False),
    "chi_square": Kind(
        "Pearson χ² divergence", lambda a: notation.ChiSquareDivergence(P, Q), "χ²({p} ‖ {q})",
        r"\chi^{{2}}\left({p} \,\middle\|\, {q}\right)", from_power=lambda log_i, a: sp.exp(log_i) - 1,
        order=sp.Integer(2), definition=_power_definition(lambda i, a: i - 1), logarithmic=False),
    "jeffreys": Kind(
        "Jeffreys divergence", lambda a: notation.JeffreysDivergence(P, Q), "J({p}, {q})",
        r"J\left({p}, {q}\right)", parts=(("kl", False), ("kl", True)), symmetric=True,
        definition=lambda a: notation.KLDivergence(P, Q) + notation.KLDivergence(Q, P)),
    "total_variation": Kind(
        "total variation distance", lambda a: notation.TotalVariation(P, Q), "TV({p}, {q})",
        r"\mathrm{{TV}}\left({p}, {q}\right)", method="crossings", symmetric=True,
        logarithmic=False,
        definition=lambda a: sp.Integral(sp.Abs(notation.density(P, _X) - notation.density(Q, _X)),
                                         _X) / 2),
    "jensen_shannon": Kind(
        "Jensen–Shannon divergence", lambda a: notation.JensenShannon(P, Q), "JS({p}, {q})",
        r"\mathrm{{JS}}\left({p}, {q}\right)", method="midpoint", symmetric=True,
        definition=lambda a: (notation.KLDivergence(P, _M) + notation.KLDivergence(Q, _M)) / 2),
    "f_divergence": Kind(
        "f-divergence", lambda f: notation.FDivergence(P, Q), "D_f({p} ‖ {q})",
        r"D_{{f}}\left({p} \,\middle\|\, {q}\right)", method="generator", order="function",
        logarithmic=False,
        definition=lambda f: notation.Expectation(
            sp.Function("f")(notation.density(P, _X) / notation.density(Q, _X)), Q)),
}

"""The three quantities, each an expectation under p of a function of log p and log q.

    KL(p‖q) = E_p[log p − log q],   H(p) = E_p[−log p],   H(p, q) = E_p[−log q]
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

from . import notation


@dataclass(frozen=True)
class Kind:
    """One quantity: its name, its symbol, and the f in E_p[f(log p(X), log q(X))]."""

    title: str
    symbol: sp.Expr
    integrand: Callable
    definition: sp.Expr | None = None

    def uses(self, which: str) -> bool:
        """Whether f depends on log p (``which="p"``) or log q (``"q"``)."""
        log_p, log_q = sp.symbols("log_p log_q")
        return self.integrand(log_p, log_q).has(log_p if which == "p" else log_q)


KINDS = {
    "kl": Kind("KL divergence", notation.KLDivergence(notation.P, notation.Q),
               lambda log_p, log_q: log_p - log_q,
               notation.CrossEntropy(notation.P, notation.Q) - notation.Entropy(notation.P)),
    "entropy": Kind("entropy", notation.Entropy(notation.P), lambda log_p, log_q: -log_p),
    "cross_entropy": Kind("cross-entropy", notation.CrossEntropy(notation.P, notation.Q),
                          lambda log_p, log_q: -log_q),
}

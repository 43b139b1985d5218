"""The catalog: a divergence (KL unless told) for every ordered pair of families, derived,
checked, published.

Each pair gets one honest outcome: a closed form (possibly piecewise in the
parameters), ∞ (with the reason), or "numeric only" (no closed form found:
the partial derivation stands, the quadrature gives the number).
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

import mpmath
import sympy as sp

from .errors import InternalError, SymklError, Unsupported
from .numeric import quadrature
from .engine.derive import DEFAULT_BUDGET, _pair, as_order, derive
from .kinds import KINDS
from .families import CONTINUOUS, DISCRETE
from .result import Result, Verification

CLOSED, INFINITE, NUMERIC = "closed form", "∞", "numeric only"


@dataclass
class Cell:
    """One ordered pair: its result, its outcome, and how long it took."""

    p: type
    q: type
    result: Result
    seconds: float
    #: its check against quadrature (:func:`check_line`), where made already
    check: str | None = None
    _checks: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def outcome(self) -> str:
        if self.result.expr == sp.oo:
            return INFINITE
        return CLOSED if self.result.closed_form else NUMERIC

    @property
    def name(self) -> str:
        return f"{self.p.__name__} ‖ {self.q.__name__}"

    def example(self, seed: int = 0) -> dict:
        """Random valid parameter values (by Symbol), the same for the same seed."""
        rng = random.Random(f"{self.name} {seed}")
        values = self.result.p.sample(rng)
        values.update(self.result.q.sample(rng, known=values))
        return values

    def verify(self, seed: int = 0, dps: int = 50) -> Verification:
        """The closed form against quadrature at the example of ``seed`` (remembered)."""
        if (seed, dps) not in self._checks:
            self._checks[seed, dps] = self.result.verify(self.example(seed), dps=dps)
        return self._checks[seed, dps]


def pairs():
    """Every ordered pair of continuous families, then of discrete ones."""
    for group in (CONTINUOUS, DISCRETE):
        for p in group:
            for q in group:
                yield p, q


def derive_all(budget: float = DEFAULT_BUDGET, report=None, divergence: str = "kl",
               alpha=None, jobs: int = 1, checked: bool = False, among=None) -> list[Cell]:
    """``divergence`` (KL) for every pair (or the pairs of families ``among``), each within
    ``budget`` seconds; ``report(cell)`` as each finishes; ``alpha`` is the order of a
    divergence that takes one.

    With ``jobs`` > 1 the pairs are spread over that many processes; with ``checked`` each
    cell's check against quadrature (:func:`check_line`) is made where it is derived.  The
    cells come back in the order of :func:`pairs` either way, each derived alone: the same
    results as in one process.
    """
    order = as_order(alpha) if alpha is not None else None
    tasks = [(p, q, divergence, order, budget, checked) for p, q in (among or pairs())]
    if jobs <= 1:
        cells = []
        for task in tasks:
            cells.append(_derived_cell(*task))
            if report:
                report(cells[-1])
        return cells
    from concurrent.futures import ProcessPoolExecutor, as_completed
    cells = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_derived_cell, *task): task[:2] for task in tasks}
        for future in as_completed(futures):
            cells[futures[future]] = cell = future.result()
            if report:
                report(cell)
    return [cells[p, q] for p, q, *_ in tasks]


def _derived_cell(p, q, divergence, order, budget, checked) -> Cell:
    """One cell, derived (and checked, if ``checked``) in this process."""
    start = time.perf_counter()
    result = derive(divergence, *_pair(p(), q()), budget=budget, order=order)
    cell = Cell(p, q, result, time.perf_counter() - start)
    if checked:
        cell.check = check_line(cell)
    return cell


def summary(cells) -> str:
    """Counts of each outcome and the slowest pairs."""
    counts = {o: sum(c.outcome == o for c in cells) for o in (CLOSED, INFINITE, NUMERIC)}
    slowest = sorted(cells, key=lambda c: -c.seconds)[:10]
    lines = [f"{len(cells)} pairs: " + ", ".join(f"{n} {o}" for o, n in counts.items()),
             f"total {sum(c.seconds for c in cells):.1f} s; slowest:"]
    lines += [f"  {c.name:<42} {c.seconds:6.2f} s  {c.outcome}" for c in slowest]
    return "\n".join(lines)


def _anchor(name: str) -> str:
    """GitHub's anchor for a heading."""
    return "".join(ch for ch in name.lower().replace(" ", "-") if ch.isalnum() or ch == "-")


def check_line(cell) -> str:
    """One sentence on how the cell was checked against quadrature (or why it could not be)."""
    try:
        return _checked(cell)
    except Unsupported as error:  # valid, but beyond the numeric check (a sum of 10⁵ terms)
        return f"The numeric check cannot reach this cell at its example point: {error}."


def _checked(cell) -> str:
    values = cell.example()
    shown = ", ".join(f"{k} = {v}" if not isinstance(v, list) else f"{k} = ({', '.join(map(str, v))})"
                      for k, v in sorted(values.items(), key=str))
    if cell.outcome == CLOSED:
        check = cell.verify()
        return (f"Checked at {shown}: closed form {mpmath.nstr(check.closed_form, 20)}, quadrature "
                f"{mpmath.nstr(check.quadrature, 20)}; {check.digits} of 50 digits agree.")
    if cell.outcome == NUMERIC:
        families = [f.subs(values) for f in (cell.result.p, cell.result.q)]
        if KINDS[cell.result.kind].integrand is not None:
            value, _ = quadrature.integral(cell.result.kind, *families, dps=20)
        else:
            from .numeric import divergences
            value = divergences.estimate(cell.result.kind, *families, order=cell.result.order,
                                         dps=20).value
        return f"At {shown}, quadrature gives {mpmath.nstr(value, 20)}."
    return ""


def markdown(cells) -> str:
    """docs/catalog.md: every pair's formula, its asymmetry partner, its check."""
    counts = {o: sum(c.outcome == o for c in cells) for o in (CLOSED, INFINITE, NUMERIC)}
    kind = cells[0].result.kind if cells else "kl"
    order = cells[0].result.order if cells and KINDS[kind].order == "free" else None
    title = "KL" if kind == "kl" else KINDS[kind].title
    option = ""
    if order is not None:
        title += f" of order α = {sp.sstr(order)}"
        option = f" --alpha {sp.sstr(order)}"
    command = "symkl catalog --write docs/catalog.md" if kind == "kl" else \
        f"symkl catalog --divergence {kind}{option} --write docs/catalog-{kind}.md"
    lines = [f"# The {title} catalog", "",
             f"Generated by `{command}`; do not edit by hand.",
             "Every formula is derived by the engine from the two densities and checked",
             "against 50-digit mpmath quadrature at the parameters shown.", "",
             ", ".join(f"{n} {o}" for o, n in counts.items()) + f", among {len(cells)} ordered pairs.",
             ""]
    symbol = {CLOSED: "✓", INFINITE: "∞", NUMERIC: "≈"}
    by_pair = {(c.p, c.q): c for c in cells}
    for group in (CONTINUOUS, DISCRETE):
        lines += ["| p \\ q | " + " | ".join(q.__name__ for q in group) + " |",
                  "|---" * (len(group) + 1) + "|"]
        for p in group:
            row = [f"[{symbol[by_pair[p, q].outcome]}](#{_anchor(by_pair[p, q].name)})" for q in group]
            lines.append(f"| **{p.__name__}** | " + " | ".join(row) + " |")
        lines.append("")
    lines += ["✓ closed form, ∞ infinite, ≈ numeric only (no closed form found).", ""]
    for cell in cells:
        try:
            lines += _section(cell, by_pair[cell.q, cell.p])
        except SymklError:
            raise
        except Exception as error:  # a mistake of symkl's: say in which cell
            raise InternalError(f"writing the cell {cell.name} of the catalog: "
                                f"{type(error).__name__}: {error}") from error
    return "\n".join(lines)


def _left_to_quadrature(result) -> list:
    """The expectations a result's derivation left unevaluated, as inline LaTeX."""
    from .engine.expectation import UNEVALUATED
    printer = result._printer()
    return [f"${printer.doprint(step.expr.lhs)}$" for step in result.steps
            if str(step.label) == UNEVALUATED and isinstance(step.expr, sp.Eq)]


def _section(cell, partner) -> list:
    """The catalog's lines for one cell: its formula, its reverse direction, its check."""
    lines = [f"## {cell.name}", "", f"*{cell.outcome}*", "", "$$", cell.result.latex(), "$$", ""]
    if cell.result.reason and cell.result.expr.has(sp.oo):
        lines += [f"∞ when {cell.result.reason}.", ""]
    left = _left_to_quadrature(cell.result) if cell.outcome == NUMERIC else []
    if left:
        lines += [f"No rule gives {', '.join(left)} in closed form: "
                  f"{'it is' if len(left) == 1 else 'they are'} left as written, for quadrature.", ""]
    lines += [f"Reverse direction: [{partner.name}](#{_anchor(partner.name)}).", ""]
    check = cell.check if cell.check is not None else check_line(cell)
    return lines + ([check, ""] if check else [])

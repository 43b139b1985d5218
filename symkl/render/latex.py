"""LaTeX for results: sympy's printer as a textbook writes, and equations broken to fit a page.

:class:`Printer` is sympy's :class:`~sympy.printing.latex.LatexPrinter` with
the notation of the subject (ψ, log Γ, tr, det, ᵀ, I) and sums that begin
with a positive term.  :func:`equation` sets ``lhs = rhs`` on one line when it
fits :data:`WIDTH`, and otherwise as an ``aligned`` block broken the way a
textbook breaks a long formula: at the top-level sums first; inside a
bracketed sum when a single term is too wide; a long fraction written as
1/denominator times its numerator, so that the numerator can break.  Widths
are estimated by :mod:`symkl.render.estimate` (no TeX is needed at run time).
"""
from __future__ import annotations

import re
from typing import NamedTuple

import sympy as sp
from sympy.printing.latex import LatexPrinter

from ..kinds import KINDS
from .estimate import box, delimiter_size, width

#: the text width of a 10 pt article (345 pt), less a margin for the estimate's error
WIDTH = 335.0
_QUAD = 10.0
#: the hole a compound's argument is printed into, to find the text around it
_HOLE = sp.Symbol("SYMKLHOLE")


class Printer(LatexPrinter):
    r"""sympy's LaTeX, as a textbook of the subject writes it.

    ψ for the digamma function, log Γ for loggamma, matrices with tr, det,
    ``^{\top}``, I for the identity and a 1 × 1 quadratic form without tr;
    a sum begins with a positive term (``b - a``, not ``- a + b``).

    >>> a, b = sp.symbols("a b")
    >>> Printer().doprint(sp.log((b - a) / 2))
    '\\log{\\left(\\frac{b}{2} - \\frac{a}{2} \\right)}'
    """

    def signed_terms(self, expr) -> list[tuple[str, sp.Expr]]:
        """The terms of a sum in printed order, each as (``""``, ``"+"`` or ``"-"``, term).

        A sum over a negative summand is a negative term: ``- \\sum f``, not ``+ \\sum - f``.
        """
        terms = list(self._as_ordered_terms(expr))
        positive = next((t for t in terms if not _negative(t)), None)
        if positive is not None:
            terms.remove(positive)
            terms.insert(0, positive)
        signed = []
        for i, term in enumerate(terms):
            negative, magnitude = _signed(term)
            if negative and (i > 0 or magnitude != -term):
                signed.append(("-", magnitude))
            else:
                signed.append(("+" if i > 0 else "", term if negative else magnitude))
        return signed

    def term(self, term) -> str:
        """A term of a sum as the sum prints it (bracketed where it must be)."""
        tex = self._print(term)
        return rf"\left({tex}\right)" if self._needs_add_brackets(term) else tex

    def _print_Indexed(self, expr):
        """``{x}_{i}`` as ``x_{i}``, and a subscripted base's index in its subscript: ``\\mu_{1,i}``."""
        base, indices = self._print(expr.base), ",".join(map(self._print, expr.indices))
        subscripted = re.fullmatch(r"(\\?[A-Za-z]+)_\{([^{}]*)\}", base)
        if subscripted:
            return f"{subscripted[1]}_{{{subscripted[2]},{indices}}}"
        if re.fullmatch(r"\\?[A-Za-z]+", base):
            return f"{base}_{{{indices}}}"
        return f"{{{base}}}_{{{indices}}}"

    def _print_Mul(self, expr):
        negative, magnitude = _signed(expr)  # x (-a - b) as - x (a + b)
        if magnitude == expr or magnitude == -expr:
            return super()._print_Mul(expr)
        return ("- " if negative else "") + super()._print_Mul(magnitude)

    def _print_Add(self, expr, order=None):
        return " ".join(f"{sign} {self.term(term)}" if sign else self.term(term)
                        for sign, term in self.signed_terms(expr))

    def _print_Identity(self, expr):
        return "I"

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

    def _print_gamma(self, expr, exp=None):
        """Γ((k + 1)/k) as Γ(1 + 1/k), as a textbook writes a Weibull moment."""
        head = rf"\Gamma^{{{exp}}}" if exp else r"\Gamma"
        return rf"{head}\left({self._argument(expr.args[0])}\right)"

    def _argument(self, argument) -> str:
        """A quotient whose numerator holds its denominator as a constant plus the rest
        (``(k + 1)/k`` as ``1 + 1/k``); anything else as printed."""
        numerator, denominator = sp.fraction(argument)
        if isinstance(numerator, sp.Add) and not denominator.is_Number:
            constant, rest = sp.expand(argument).as_coeff_Add()
            if constant != 0 and rest != 0 and sp.count_ops(rest) <= sp.count_ops(argument):
                tail = self._print(rest)
                return f"{self._print(constant)} {tail}" if tail.startswith("- ") \
                    else f"{self._print(constant)} + {tail}"
        return self._print(argument)

    def _print_re(self, expr, exp=None):
        """Re z, as analysis writes it (sympy prints re)."""
        return self._part("Re", expr, exp)

    def _print_im(self, expr, exp=None):
        """Im z, as analysis writes it (sympy prints im)."""
        return self._part("Im", expr, exp)

    def _part(self, name, expr, exp):
        tex = rf"\operatorname{{{name}}}\left[{self._print(expr.args[0])}\right]"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex

    def _print_loggamma(self, expr, exp=None):
        tex = rf"\log \Gamma\left({self._print(expr.args[0])}\right)"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex


def _signed(term) -> tuple[bool, sp.Expr]:
    """(whether ``term`` prints with a minus, what follows the minus).

    Besides a term that extracts a minus (``-a``): a sum over a negative summand
    (``- \\sum f``, not ``\\sum - f``) and a product with factors whose terms are all
    negative (``x (-a - b)`` is ``- x (a + b)``).
    """
    negative = not isinstance(term, sp.Sum) and term.could_extract_minus_sign()
    magnitude = -term if negative else term
    if isinstance(magnitude, sp.Sum):
        if magnitude.function.could_extract_minus_sign():
            return not negative, sp.Sum(-magnitude.function, *magnitude.limits)
        return negative, magnitude
    if isinstance(magnitude, sp.Mul):
        factors = list(magnitude.args)
        flips = [i for i, f in enumerate(factors)
                 if isinstance(f, sp.Add) and all(t.could_extract_minus_sign() for t in f.args)
                 or isinstance(f, sp.Sum) and f.function.could_extract_minus_sign()]
        for i in flips:
            factors[i] = sp.Sum(-factors[i].function, *factors[i].limits) \
                if isinstance(factors[i], sp.Sum) else sp.Add(*(-t for t in factors[i].args))
        flipped = sp.Mul(*factors)
        if flips and isinstance(flipped, sp.Mul) and not flipped.could_extract_minus_sign():
            return negative != (len(flips) % 2 == 1), flipped
    return negative, magnitude


def _negative(term) -> bool:
    return _signed(term)[0]


def _negated(term):
    """``-term``, written as :func:`_signed` writes it (for a term that prints with a minus)."""
    negative, magnitude = _signed(term)
    return magnitude if negative else -term


# -- breaking a formula into lines -------------------------------------------------------------
class _Text(NamedTuple):
    tex: str


class _Break(NamedTuple):
    """A place a line may end: the lower ``priority``, the better; ``then`` begins the next line.

    Before a term of a sum, the priority is the depth of brackets; between
    factors of a product it is :data:`_BETWEEN_FACTORS` more, the last resort.
    """

    priority: int
    then: str = ""


class _Open(NamedTuple):
    """An opening bracket: ``\\left(`` if its line holds its close, else sized to its contents."""

    pair: int
    size: int


class _Close(NamedTuple):
    """The closing bracket of the pair, with the exponent it carries (``^{2}``) if any."""

    pair: int
    size: int
    script: str = ""


_BETWEEN_FACTORS = 100
#: a bracket of each size of :func:`~symkl.render.estimate.delimiter_size` (the largest as \Bigg)
_SIZED = ("", r"\bigl", r"\Bigl", r"\biggl", r"\Biggl", r"\Biggl")


def _render(items) -> str:
    """One line of items as LaTeX: a bracket broken across lines is sized like its contents."""
    opened = {i.pair for i in items if isinstance(i, _Open)}
    closed = {i.pair for i in items if isinstance(i, _Close)}
    parts = []
    for item in items:
        if isinstance(item, _Text):
            parts.append(item.tex)
        elif isinstance(item, _Open):
            parts.append(r"\left(" if item.pair in closed else _SIZED[item.size] + "(")
        elif isinstance(item, _Close):
            size = _SIZED[item.size].replace("l", "r", 1) if item.size else ""
            parts.append((r"\right)" if item.pair in opened else size + ")") + item.script)
    return " ".join(p for p in parts if p)


class _Flattener:
    """A formula as a sequence of texts and the places where a line may break.

    A piece is kept whole if it fits ``limit``; else it is opened up: a sum
    into its terms (a break before each sign), a product into its factors
    (a break before each, continued with ×), a fraction into 1/denominator
    times the numerator, a function, integral or sum into its head and its
    bracketed argument, a piecewise expression into ``cases`` whose pieces
    are broken.  Breaks inside brackets rank below the breaks outside.
    """

    def __init__(self, printer: Printer, limit: float, printed: dict):
        self.printer, self.limit, self.pairs, self.printed = printer, limit, 0, printed

    def tex(self, expr) -> str:
        """``expr`` printed (once: ``printed`` remembers it for every width tried)."""
        if expr not in self.printed:
            self.printed[expr] = self.printer._print(expr)
        return self.printed[expr]

    def fits(self, tex) -> bool:
        return width(tex) <= self.limit

    def items(self, expr, depth: int = 0) -> list:
        tex = self.tex(expr)
        if self.fits(tex):
            return [_Text(tex)]
        if isinstance(expr, (sp.Add, sp.MatAdd)):
            return self.sum(expr, depth)
        if isinstance(expr, sp.Mul):
            negative, magnitude = _signed(expr)
            return ([_Text("-")] if negative else []) + self.term(magnitude, depth)
        return self.term(expr, depth)

    def sum(self, expr, depth) -> list:
        items = []
        for sign, term in self.printer.signed_terms(expr):
            if items:
                items.append(_Break(depth))
            if not sign and _negative(term):  # all the terms are negative
                sign, term = "-", _negated(term)
            tex = f"{sign} {self.printer.term(term)}".strip()
            signed = [_Text(sign)] if sign else []
            if self.fits(tex):
                items.append(_Text(tex))
            elif isinstance(term, sp.Add):  # a sum held unevaluated inside the sum
                items += signed + self.bracketed(term, depth)
            elif self.printer._needs_add_brackets(term):
                items.append(_Text(tex))
            else:
                items += signed + self.term(term, depth)
        return items

    def bracketed(self, expr, depth, script: str = "") -> list:
        """``(expr)`` with breaks inside: a sum's terms, or whatever ``expr`` opens into."""
        self.pairs += 1
        pair = self.pairs
        contents = box(self.tex(expr))
        size = delimiter_size(contents.height, contents.depth)
        inner = self.sum(expr, depth + 1) if isinstance(expr, sp.Add) else self.items(expr, depth + 1)
        return [_Open(pair, size), *inner, _Close(pair, size, script)]

    def term(self, term, depth) -> list:
        """A term too wide for a line, opened up (it prints without a leading minus)."""
        if isinstance(term, sp.Mul):
            numerator, denominator = sp.fraction(term, exact=True)
            if denominator != 1:
                return self.fraction(numerator, denominator, depth)
            return self.product(term.as_ordered_factors(), depth)
        if isinstance(term, sp.exp) or (isinstance(term, sp.Pow) and term.base == sp.E):
            return [_Text(r"\exp"), *self.bracketed(term.exp, depth)]
        if isinstance(term, sp.Pow) and isinstance(term.base, sp.Add) and term.exp.is_Rational:
            return self.bracketed(term.base, depth, f"^{{{self.tex(term.exp)}}}")
        if isinstance(term, sp.Piecewise):
            return [_Text(_cases(self.printer, term, self.limit))]
        if isinstance(term, (sp.Integral, sp.Sum)) and len(term.limits) == 1:
            return self.around(term.func(_HOLE, *term.limits), term.function, depth)
        if isinstance(term, sp.Function) and len(term.args) == 1:
            return self.around(term.func(_HOLE), term.args[0], depth)
        return [_Text(self.tex(term))]

    def fraction(self, numerator, denominator, depth) -> list:
        """A fraction too wide for a line: the numerator's short factors over the denominator,
        times the others (its sums, and what is wide), which can break."""
        kept, pulled = [], []
        for factor in sp.Mul.make_args(numerator):
            head = rf"\frac{{{self.tex(sp.Mul(*kept, factor))}}}{{{self.tex(denominator)}}}"
            if isinstance(factor, sp.Add) or pulled or width(head) > self.limit / 2:
                pulled.append(factor)
            else:
                kept.append(factor)
        head = rf"\frac{{{self.tex(sp.Mul(*kept))}}}{{{self.tex(denominator)}}}"
        return self.product(pulled, depth, [_Text(head)])

    def factor(self, expr, depth, before=()) -> list:
        """A factor after the items ``before`` it, opened up if the product so far is too wide:
        a sum bracketed, a product into its factors."""
        if isinstance(expr, sp.Add):
            whole = _Text(rf"\left({self.tex(expr)}\right)")
            if self.fits(_render([*before, whole])):
                return [whole]
            return self.bracketed(expr, depth)
        if isinstance(expr, sp.Mul):
            return self.product(expr.as_ordered_factors(), depth)
        if expr == 1:
            return []
        whole = _Text(self.tex(expr))
        return [whole] if self.fits(_render([*before, whole])) else self.term(expr, depth)

    def product(self, factors, depth, items=()) -> list:
        """Factors side by side after ``items``, a break (continued with ×) between them."""
        items = list(items)
        for factor in factors:
            if items:
                items.append(_Break(_BETWEEN_FACTORS + depth, r"\times"))
            items += self.factor(factor, depth, items)
        return items

    def around(self, template, argument, depth) -> list:
        """A compound printed around its argument: ``\\log{\\left(…\\right)}`` with the
        argument opened up in its brackets, ``\\int … \\, dx`` and ``\\sum …`` with their
        argument opened up (bracketed if it is a sum); whole if it is printed otherwise."""
        tex = self.tex(template)
        before, _, after = tex.partition(self.tex(_HOLE))
        if before.endswith(r"\left(") and after.lstrip().startswith(r"\right)"):
            before = before.removesuffix(r"\left(").removesuffix("{")
            after = after.lstrip().removeprefix(r"\right)").removeprefix("}")
            return [_Text(before), *self.bracketed(argument, depth), _Text(after)]
        if isinstance(template, (sp.Integral, sp.Sum)) and _balanced(before) and _balanced(after):
            inner = self.bracketed(argument, depth) if isinstance(argument, sp.Add) \
                else self.items(argument, depth)
            return [_Text(before.rstrip()), *inner, _Text(after)]
        return [_Text(self.tex(template.func(argument, *template.args[1:])))]


def _balanced(tex: str) -> bool:
    """Whether the braces in ``tex`` close as they open."""
    depth = 0
    for character in tex.replace(r"\{", "").replace(r"\}", ""):
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth < 0:
            return False
    return depth == 0


def _lines(items, first: float, rest: float) -> list[str]:
    """Break ``items`` into lines: the first at most ``first`` wide, the others at most ``rest``.

    Each line is filled as far as it fits, then ended at the best break it
    holds (the lowest priority, the last of those); a line that holds no
    break is left as wide as it is.  Continuation lines begin with the
    break's ``then`` (× for a product), indented a quad, two inside brackets.
    """
    lines, start, lead = [], 0, ""
    while start < len(items):
        limit = rest if lines else first
        end, best = start, None
        for i in range(start, len(items)):
            if isinstance(items[i], _Break):
                if i > start and (best is None or items[i].priority <= items[best].priority):
                    best = i
                continue
            if i > start and width("{}" + lead + _render(items[start:i + 1])) > limit and best is not None:
                break
            end = i + 1
        else:
            best = None
        stop = best if best is not None else end
        lines.append(lead + _render(items[start:stop]))
        if best is None:
            break
        indent = r"\quad " if items[best].priority == 0 else r"\qquad "
        lead = indent + (items[best].then + " " if items[best].then else "")
        start = best + 1
    return lines


def _broken(printer, expr, first: float, rest: float) -> list[str]:
    """``expr`` as lines: the first at most ``first`` wide, the others at most ``rest``.

    Pieces are opened up where they are wider than a line less two quads; if
    a line is still too wide (a piece fits alone, not after what precedes it),
    pieces are opened up below ever smaller widths, down to a quarter line,
    until every line fits.  If none does, the least opened-up lines are kept.
    """
    limit, tried, printed = rest - 2 * _QUAD, [], {}
    while not tried or limit >= rest / 4:
        lines = _lines(_Flattener(printer, limit, printed).items(expr), first, rest)
        if all(width("{}" + line) <= (rest if i else first) for i, line in enumerate(lines)):
            return lines
        tried.append(lines)
        limit *= 0.8
    return tried[0]


def equation(printer: Printer, lhs: str, rhs: sp.Basic, limit: float = WIDTH, *, also=()) -> str:
    r"""``lhs = rhs`` in LaTeX for math mode, broken into an ``aligned`` block if it is wider than ``limit``.

    On one line if it fits; else ``\begin{aligned} lhs &= … \\ &\quad + … \end{aligned}``,
    broken at the top-level sums (see the module's description).  With a
    left-hand side wider than 40 % of ``limit``, or a ``Piecewise`` (broken
    piece by piece inside its ``cases``), the right-hand side starts on the
    next line.  ``also`` are further right-hand sides (LaTeX), each
    on a row of its own after ``rhs``.

    >>> x = sp.Symbol("x")
    >>> print(equation(Printer(), "f(x)", sp.Add(*(x ** k / k for k in range(1, 9))), limit=150))
    \begin{aligned}f(x) &= \frac{x^{8}}{8} + \frac{x^{7}}{7} + \frac{x^{6}}{6} + \frac{x^{5}}{5} + \frac{x^{4}}{4} \\ &\quad + \frac{x^{3}}{3} + \frac{x^{2}}{2} + x\end{aligned}
    >>> print(equation(Printer(), "g(x)", x - 1, also=[r"0 \iff x = 1"]))
    \begin{aligned}g(x) &= x - 1 \\ &= 0 \iff x = 1\end{aligned}
    """
    line = f"{lhs} = {printer.doprint(rhs)}"
    if width(line) <= limit and not also:
        return line
    if width(lhs) <= 0.4 * limit and not isinstance(rhs, sp.Piecewise):
        first, rest = limit - width(f"{lhs} = {{}}"), limit - width(lhs)
        lines = _right_side(printer, rhs, first, rest)
        rows = [f"{lhs} &= {lines[0]}"] + [f"&{line}" for line in lines[1:]]
        rows += [f"&= {tex}" for tex in also]
    else:
        lines = _right_side(printer, rhs, limit - width(r"{}\quad = {}"), limit - _QUAD)
        rows = [f"&{lhs}", rf"&\quad = {lines[0]}"] + [rf"&\quad {line}" for line in lines[1:]]
        rows += [rf"&\quad = {tex}" for tex in also]
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def _right_side(printer, rhs, first, rest) -> list[str]:
    if isinstance(rhs, sp.Piecewise) and width(printer.doprint(rhs)) > first:
        return [_cases(printer, rhs, first)]
    return _broken(printer, rhs, first, rest)


def _cases(printer, piecewise, limit) -> str:
    """A ``cases`` block whose pieces are broken to fit ``limit`` with their conditions.

    A condition stands beside its piece; if the conditions would take more than
    two fifths of the line, each stands on a row of its own below its piece
    (broken at its top-level ∧ or ∨ if it must be), and the pieces take the width.
    """
    conditions = [r"\text{otherwise}" if c == sp.true else rf"\text{{for}}\: {printer._print(c)}"
                  for _, c in piecewise.args]
    brace = width(r"\left\{\begin{matrix}x\\x\\x\end{matrix}\right.") - width("x")
    beside = max(width(c) for c in conditions) + _QUAD + brace
    rows = []
    if beside <= 0.4 * limit:
        for (expr, _), condition in zip(piecewise.args, conditions):
            lines = _broken(printer, expr, limit - beside, limit - beside)
            rows += [f"{lines[0]} & {condition}"] + [f"{line} &" for line in lines[1:]]
        return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"
    otherwise = width(r"\text{otherwise}") + _QUAD if piecewise.args[-1][1] == sp.true else 0
    room = limit - brace - otherwise
    for expr, condition in piecewise.args:
        lines = _broken(printer, expr, room, room)
        if condition == sp.true:
            rows += [f"{lines[0]} & " + r"\text{otherwise}"] + [f"{line} &" for line in lines[1:]]
            continue
        rows += [f"{line} &" for line in lines]
        rows += [f"{line} &" for line in _condition(printer, condition, room)]
    return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"


def _condition(printer, condition, room) -> list[str]:
    """``\\qquad for …`` as lines at most ``room`` wide, broken after a top-level ∧ or ∨."""
    lead = r"\qquad \text{for}\: "
    tex = printer._print(condition)
    if width(lead + tex) <= room or not isinstance(condition, (sp.And, sp.Or)):
        return [lead + tex]
    joiner = r" \wedge" if isinstance(condition, sp.And) else r" \vee"
    lines, line = [], lead
    for part in (printer._print(a) for a in condition.args):
        if line not in (lead, r"\qquad \quad ") and width(line + joiner + " " + part) > room:
            lines.append(line + joiner)
            line = r"\qquad \quad "
        line += ("" if line in (lead, r"\qquad \quad ") else joiner + " ") + part
    return lines + [line]


# -- results ---------------------------------------------------------------------------------
_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
             "#": r"\#", "^": r"\textasciicircum{}", "_": r"\_", "%": r"\%",
             "~": r"\textasciitilde{}"}


_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
          "varsigma sigma tau upsilon phi chi psi omega").split()
#: characters a text-mode label writes in math mode
_MATH = {**{chr(0x3B1 + i): rf"\{name} " for i, name in enumerate(_GREEK)},
         **{"Γ": r"\Gamma ", "Δ": r"\Delta ", "Θ": r"\Theta ", "Λ": r"\Lambda ", "Ξ": r"\Xi ",
            "Π": r"\Pi ", "Σ": r"\Sigma ", "Φ": r"\Phi ", "Ψ": r"\Psi ", "Ω": r"\Omega ",
            "²": "^{2}", "³": "^{3}", "½": r"\tfrac{1}{2}", "‖": r"\| ", "≠": r"\neq ",
            "≤": r"\leq ", "≥": r"\geq ", "∞": r"\infty ", "→": r"\to ", "×": r"\times ",
            "−": "-", "∫": r"\int ", "·": r"\cdot ", "∈": r"\in "}}
_MATH.pop("ο")  # omicron is an o


def printer(families) -> Printer:
    """A printer that writes the families' parameters as they do (``rate_1`` as ``\\lambda_{1}``)."""
    names = {}
    for family in families:
        names.update(family.latex_names())
    return Printer({"symbol_names": names})


def lhs(result, printer: Printer) -> str:
    """The left-hand side: ``D_{\\mathrm{KL}}\\left(p \\,\\middle\\|\\, q\\right)``, ``H\\left(p\\right)`` …"""
    p = printer._print(result.p)
    q = "" if result.q is None else printer._print(result.q)
    template = getattr(KINDS[result.kind], "tex", None)
    if template:  # each kind's own template (D_{α}(p ‖ q), χ²(p ‖ q) …)
        order = getattr(result, "order", None)
        return template.format(p=p, q=q, order="" if order is None else printer._print(order))
    if result.kind == "entropy":
        return rf"H\left({p}\right)"
    if result.kind == "kl":
        return rf"D_{{\mathrm{{KL}}}}\left({p} \,\middle\|\, {q}\right)"
    return rf"H\left({p}, {q}\right)"


def text(label: str) -> str:
    r"""A step's label for text mode: its LaTeX in math mode if it has one, else its words escaped.

    >>> from symkl.notation import Label
    >>> text(Label("log p(x)", r"\log p(x)")), text("E[X^s] & 50%")
    ('$\\log p(x)$', 'E[X\\textasciicircum{}s] \\& 50\\%')
    """
    latex = getattr(label, "latex", None)
    if latex:
        return f"${latex}$"
    # a run of Greek letters, scripts and math signs (χ², α ≠ 1) is set in math mode
    return re.sub(f"[{''.join(_MATH)}]+", _math_mode,
                  "".join(_SPECIALS.get(c, c) for c in label))


def _math_mode(match) -> str:
    return "$" + "".join(_MATH[c] for c in match[0]).replace(" ^", "^").strip() + "$"


def _title(words: str) -> str:
    r"""A title for the start of a sentence in text mode: ``Rényi divergence``, ``$\alpha$-divergence``.

    >>> print(_title("Pearson χ² divergence"), _title("α-divergence"), _title("entropy"))
    Pearson $\chi^{2}$ divergence $\alpha$-divergence Entropy
    """
    if words[:1].isascii():
        words = words[:1].upper() + words[1:]
    return text(words)


def definitions(printer: Printer, families: dict) -> list[str]:
    """``p = …,\\quad q = …`` as one row of an alignment, or one row each if that is too wide."""
    named = [f"{name} = {printer._print(family)}" for name, family in families.items()]
    together = r",\quad ".join(named)
    if width(together) <= WIDTH:
        return [f"{together}."]
    return [f"{row}," for row in named[:-1]] + [f"{named[-1]}."]


def derivation(result, printer: Printer) -> str:
    """The derivation as an ``align*`` block: p and q, then each step's label and its equation."""
    title = KINDS[result.kind].title
    families = {"p": result.p} if result.q is None else {"p": result.p, "q": result.q}
    lines = [rf"\intertext{{{_title(title)} of {' and '.join(f'${n}$' for n in families)}, where}}"]
    lines += [f"&{row}" for row in definitions(printer, families)]
    for label, step in result.steps:
        left, right = step.args
        lines += [rf"\intertext{{{text(label)}:}}", f"&{equation(printer, printer.doprint(left), right)}"]
    rows = [line + (r" \\" if line.startswith("&") and following else "")
            for line, following in zip(lines, lines[1:] + [""])]
    return "\\begin{align*}\n" + "\n".join(rows) + "\n\\end{align*}"

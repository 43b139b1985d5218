"""How wide TeX prints a piece of math: an estimate, for breaking lines without TeX.

:func:`width` reads math-mode LaTeX (as sympy's printer writes it) and adds
up what TeX would set, in points of a 10 pt Computer Modern document: the
measured width of each glyph (letters, digits, Greek, operators, the
delimiters at each of their sizes), TeX's spacing between atoms (thin,
medium and thick spaces around operators, relations and inner atoms), and
its rules for the constructions: a fraction is as wide as the wider of its
numerator and denominator, set one style smaller; scripts are set at 82 %
(70 % fonts, which are wider than 70 % of the text font); ``\\left``/``\\right``
delimiters grow with the height of what they enclose; a display-style sum
puts its limits above and below.  Widths of glyphs are rounded up, and the
height that picks a delimiter's size is taken from the tallest glyph, so
the estimate errs on the wide side.

>>> round(width(r"\\frac{a}{b} + c"), 1)  # pdflatex: 24.2
24.5
"""
from __future__ import annotations

import functools
import re
import string
from typing import NamedTuple

# -- glyphs, in pt at 10 pt (measured with pdflatex, rounded up) ---------------------------
_ITALIC = dict(zip(string.ascii_lowercase + string.ascii_uppercase, (
    5.3, 4.3, 4.4, 5.3, 4.7, 6.0, 5.2, 5.8, 3.5, 4.7, 5.6, 3.2, 8.8, 6.1, 4.9, 5.1, 4.9, 4.8,
    4.7, 3.7, 5.8, 5.3, 7.5, 5.8, 5.3, 5.1,
    7.6, 8.1, 7.9, 8.6, 8.0, 7.9, 7.9, 9.2, 5.2, 6.6, 9.3, 6.9, 10.8, 9.2, 8.0, 7.9, 8.0, 7.7,
    6.8, 7.3, 8.0, 8.1, 10.9, 9.1, 8.1, 7.6)))
_ROMAN = dict(zip(string.ascii_lowercase + string.ascii_uppercase, (
    5.0, 5.6, 4.5, 5.6, 4.5, 3.9, 5.2, 5.6, 2.8, 3.1, 5.3, 2.8, 8.4, 5.6, 5.0, 5.6, 5.3, 4.0,
    4.0, 3.9, 5.6, 5.5, 7.4, 5.3, 5.5, 4.5,
    7.5, 7.1, 7.3, 7.7, 6.9, 6.6, 7.9, 7.5, 3.7, 5.2, 7.8, 6.3, 9.2, 7.5, 7.8, 6.9, 7.8, 7.4,
    5.6, 7.3, 7.5, 7.7, 10.5, 7.5, 7.8, 6.2)))
_CALLIGRAPHIC = dict(zip(string.ascii_uppercase, (
    8.0, 6.9, 5.9, 8.0, 6.2, 8.2, 6.6, 8.6, 6.2, 8.7, 7.8, 6.9, 12.1, 9.7, 8.3, 7.8, 8.2, 8.5,
    6.9, 8.0, 7.3, 7.0, 10.7, 8.6, 7.6, 8.1)))
_BOLD = 1.2           # \mathbf against roman
_DIGIT = 5.0

#: Greek letters and other ordinary symbols
_ORDINARY = {
    "alpha": 6.5, "beta": 6.2, "gamma": 5.8, "delta": 4.9, "epsilon": 4.1, "varepsilon": 4.7,
    "zeta": 5.2, "eta": 5.4, "theta": 5.0, "vartheta": 6.0, "iota": 3.6, "kappa": 5.8,
    "lambda": 5.9, "mu": 6.1, "nu": 5.6, "xi": 4.9, "pi": 6.1, "varpi": 8.5, "rho": 5.2,
    "varrho": 5.2, "sigma": 6.1, "tau": 5.6, "upsilon": 5.8, "phi": 6.0, "varphi": 6.6,
    "chi": 6.3, "psi": 6.9, "omega": 6.6, "Gamma": 6.3, "Delta": 8.4, "Theta": 7.8,
    "Lambda": 7.0, "Xi": 6.7, "Pi": 7.5, "Sigma": 7.3, "Upsilon": 7.8, "Phi": 7.3, "Psi": 7.8,
    "Omega": 7.3, "infty": 10.0, "top": 7.8, "partial": 5.9, "ell": 4.2, "nabla": 8.4,
    "emptyset": 5.0, "ldots": 11.7, "cdots": 13.4, "dots": 13.4, "prime": 2.8, "|": 5.0,
    "neg": 6.7, "hbar": 5.5, "%": 8.4, "#": 8.4, "$": 5.0, "&": 7.8, "_": 5.0,
}
_BINARY = {"cdot": 2.8, "times": 7.8, "pm": 7.8, "mp": 7.8, "wedge": 6.7, "vee": 6.7,
           "land": 6.7, "lor": 6.7, "cup": 6.7, "cap": 6.7, "setminus": 5.0, "circ": 5.0,
           "ast": 5.0, "star": 5.0}
_RELATION = {"leq": 7.8, "geq": 7.8, "le": 7.8, "ge": 7.8, "neq": 7.8, "ne": 7.8, "in": 6.7,
             "notin": 6.7, "iff": 23.9, "implies": 17.3, "mapsto": 10.0, "to": 10.0,
             "rightarrow": 10.0, "equiv": 7.8, "approx": 7.8, "sim": 7.8, "mid": 2.8}
_CHARACTERS = {"+": ("bin", 7.8), "-": ("bin", 7.8), "*": ("bin", 5.0), "=": ("rel", 7.8),
               "<": ("rel", 7.8), ">": ("rel", 7.8), ":": ("rel", 2.8), ",": ("punct", 2.8),
               ";": ("punct", 2.8), "(": ("open", 3.9), "[": ("open", 2.8), ")": ("close", 3.9),
               "]": ("close", 2.8), "!": ("close", 2.8), "?": ("close", 4.8),
               "|": ("ord", 2.8), "/": ("ord", 5.0), ".": ("ord", 2.8), "'": ("ord", 2.8)}
#: operator names, set in roman as an Op atom
_OPERATORS = {"log", "ln", "exp", "det", "sin", "cos", "tan", "sinh", "cosh", "tanh", "arcsin",
              "arccos", "arctan", "min", "max", "sup", "inf", "lim", "arg", "gcd", "Pr", "deg"}
#: large operators: (width in display style, in text style, limits above and below in display)
_LARGE = {"sum": (14.5, 10.6, True), "prod": (12.8, 9.5, True), "int": (10.0, 6.7, False)}
#: explicit spaces, in pt (mu-based ones shrink in scripts)
_SPACES = {",": 1.7, ":": 2.3, ">": 2.3, ";": 2.8, "!": -1.7, " ": 3.4, "quad": 10.0,
           "qquad": 20.0, "enspace": 5.0, "thinspace": 1.7, "medspace": 2.3, "thickspace": 2.8}

#: delimiter widths at each size: normal, \big, \Big, \bigg, \Bigg, extensible
_DELIMITERS = {
    "(": (3.9, 4.6, 5.9, 7.4, 8.0, 8.8), ")": (3.9, 4.6, 5.9, 7.4, 8.0, 8.8),
    "[": (2.8, 4.2, 4.8, 5.3, 5.9, 6.7), "]": (2.8, 4.2, 4.8, 5.3, 5.9, 6.7),
    r"\{": (5.0, 5.9, 6.7, 7.5, 8.4, 8.9), r"\}": (5.0, 5.9, 6.7, 7.5, 8.4, 8.9),
    "|": (2.8, 3.4, 3.4, 3.4, 3.4, 3.4), r"\|": (5.0, 5.6, 5.6, 5.6, 5.6, 5.6),
    r"\lceil": (4.5, 5.3, 5.9, 6.4, 7.0, 7.0), r"\rceil": (4.5, 5.3, 5.9, 6.4, 7.0, 7.0),
    r"\lfloor": (4.5, 5.3, 5.9, 6.4, 7.0, 7.0), r"\rfloor": (4.5, 5.3, 5.9, 6.4, 7.0, 7.0),
    r"\langle": (3.9, 4.8, 5.9, 7.4, 8.0, 8.0), r"\rangle": (3.9, 4.8, 5.9, 7.4, 8.0, 8.0),
    ".": (1.2,) * 6,
}
_FIXED_SIZES = {"big": 1, "Big": 2, "bigg": 3, "Bigg": 4}
#: total height (height + depth) of each delimiter size
_DELIMITER_HEIGHTS = (10.0, 12.0, 18.0, 24.0, 30.0)
_RADICAL = (8.4, 10.0, 10.0, 10.6, 10.6)
_NULL_DELIMITER = 1.2
_AXIS = 2.5
_ASCENDER, _X_HEIGHT, _DESCENDER = 7.0, 4.4, 2.0

# -- styles ---------------------------------------------------------------------------------
_D, _T, _S, _SS = range(4)
_SCALE = (1.0, 1.0, 0.82, 0.75)
_MU = (1.0, 1.0, 0.7, 0.5)  # mu spaces scale with the font size itself


def _smaller(style):
    return min(style + 1, _SS)


def _script(style):
    return _S if style <= _T else _SS


# -- TeX's spacing between atoms: 1 thin, 2 medium, 3 thick; negative: only in D and T ------
_CLASSES = ("ord", "op", "bin", "rel", "open", "close", "punct", "inner")
_TABLE = """
ord   0 1 -2 -3 0 0 0 -1
op    1 1 0 -3 0 0 0 -1
bin  -2 -2 0 0 -2 0 0 -2
rel  -3 -3 0 0 -3 0 0 -3
open  0 0 0 0 0 0 0 0
close 0 1 -2 -3 0 0 0 -1
punct -1 -1 0 -1 -1 -1 -1 -1
inner -1 1 -2 -3 -1 0 -1 -1
"""
_SPACING = {(row.split()[0], right): int(value) for row in _TABLE.strip().splitlines()
            for right, value in zip(_CLASSES, row.split()[1:])}
_MU_SPACE = {1: 1.7, 2: 2.3, 3: 2.8}


class Box(NamedTuple):
    width: float
    height: float
    depth: float


class _Atom(NamedTuple):
    kind: str
    box: Box
    limits: bool = False  # a large operator whose scripts go above and below


_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}^_&~]|\s+|.", re.S)


def width(tex: str) -> float:
    """The estimated width in pt of math-mode LaTeX set in display style (10 pt fonts).

    >>> round(width(r"\\log{\\left(\\frac{\\sigma_{2}}{\\sigma_{1}} \\right)}"), 1)  # pdflatex: 41.9
    42.6
    """
    return box(tex).width


@functools.lru_cache(maxsize=1 << 14)
def box(tex: str, style: int = _D) -> Box:
    """The estimated width, height and depth of math-mode LaTeX in ``style`` (0: display)."""
    reader = _Reader([t for t in _TOKEN.findall(tex) if not t.isspace()])
    return reader.list(style, ())


class _Reader:
    """A recursive reading of the token list, building each math list's atoms."""

    def __init__(self, tokens):
        self.tokens, self.at = tokens, 0

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self):
        token = self.peek()
        self.at += 1
        return token

    def raw(self) -> str:
        """The text of the next group (or token), unparsed: an environment's or font's argument."""
        if self.peek() != "{":
            return self.take() or ""
        self.take()
        depth, text = 1, []
        while self.peek() is not None:
            token = self.take()
            depth += {"{": 1, "}": -1}.get(token, 0)
            if depth == 0:
                break
            text.append(token)
        return "".join(text)

    def argument(self, style) -> Box:
        if self.peek() == "{":
            self.take()
            return self.list(style, ("}",))
        return self.list_of([self.atom(style)], style) if self.peek() else Box(0, 0, 0)

    def list(self, style, stops) -> Box:
        atoms = []
        while self.peek() is not None and self.peek() not in stops:
            token = self.peek()
            if token in ("^", "_"):
                self.scripts(atoms, style)
                continue
            if token in ("\\limits", "\\nolimits"):
                self.take()
                if atoms:
                    atoms[-1] = atoms[-1]._replace(limits=token == "\\limits" and style == _D)
                continue
            atom = self.atom(style)
            if atom is not None:
                atoms.append(atom)
        if self.peek() == "}":
            self.take()
        return self.list_of(atoms, style)

    @staticmethod
    def list_of(atoms, style) -> Box:
        """The box of a math list: its atoms side by side, with TeX's spacing between them."""
        atoms = [a for a in atoms if a is not None]
        kinds = [a.kind for a in atoms]
        for i, kind in enumerate(kinds):  # a binary operator with nothing to bind becomes ordinary
            before = next((k for k in reversed(kinds[:i]) if k != "space"), None)
            after = next((k for k in kinds[i + 1:] if k != "space"), None)
            if kind == "bin" and (before in (None, "bin", "op", "rel", "open", "punct")
                                  or after in (None, "rel", "close", "punct")):
                kinds[i] = "ord"
        total, height, depth, previous = 0.0, 0.0, 0.0, None
        for kind, atom in zip(kinds, atoms):
            if kind != "space":
                if previous is not None:
                    code = _SPACING[previous, kind]
                    if code > 0 or (code < 0 and style <= _T):
                        total += _MU_SPACE[abs(code)] * _MU[style]
                previous = kind
            total += atom.box.width
            height, depth = max(height, atom.box.height), max(depth, atom.box.depth)
        return Box(total, height, depth)

    def scripts(self, atoms, style):
        """Attach ``^{…}`` and ``_{…}`` to the last atom."""
        nucleus = atoms.pop() if atoms and atoms[-1].kind != "space" else _Atom("ord", Box(0, 0, 0))
        sup = sub = None
        while self.peek() in ("^", "_"):
            which = self.take()
            argument = self.argument(_script(style))
            if which == "^":
                sup = argument
            else:
                sub = argument
        inner = nucleus.box
        if nucleus.limits and style == _D:
            widest = max(inner.width, *(b.width for b in (sup, sub) if b))
            height = inner.height + (sup.height + sup.depth + 3.0 if sup else 0)
            depth = inner.depth + (sub.height + sub.depth + 3.0 if sub else 0)
            atoms.append(_Atom(nucleus.kind, Box(widest, height, depth)))
            return
        up = max(3.6, inner.height - 2.5) if sup else 0
        down = max(1.5 if not sup else 2.5, inner.depth + 0.5) if sub else 0
        scripts = max(b.width for b in (sup, sub) if b) + 0.5
        height = max(inner.height, up + sup.height if sup else 0)
        depth = max(inner.depth, down + sub.depth if sub else 0)
        atoms.append(_Atom(nucleus.kind, Box(inner.width + scripts, height, depth)))

    def atom(self, style) -> _Atom | None:
        token = self.take()
        scale = _SCALE[style]
        if token == "{":
            return _Atom("ord", self.list(style, ("}",)))
        if token == "}":
            return None
        if token == "&":
            return None
        if token == "~":
            return _space(3.4)
        if token.startswith("\\"):
            return self.command(token[1:], style)
        if token in _CHARACTERS:
            kind, glyph = _CHARACTERS[token]
            tall = token in "()[]|/"
            return _glyph(kind, glyph, scale, tall=tall, deep=tall)
        if token.isdigit():
            return _glyph("ord", _DIGIT, scale, tall=True)
        return _glyph("ord", _ITALIC.get(token, 10.0), scale, tall=token not in "acemnorsuvwxz",
                      deep=token in "fgjpqy")

    def command(self, name, style) -> _Atom | None:
        scale = _SCALE[style]
        if name in _SPACES:
            size = _SPACES[name]
            return _space(size * (_MU[style] if name in ",:>;!" else 1.0))
        if name in _ORDINARY:
            return _glyph("ord", _ORDINARY[name], scale, tall=True, deep=True)
        if name in _BINARY:
            return _glyph("bin", _BINARY[name], scale)
        if name in _RELATION:
            return _glyph("rel", _RELATION[name], scale)
        if name == "{":
            return _glyph("open", 5.0, scale, tall=True, deep=True)
        if name == "}":
            return _glyph("close", 5.0, scale, tall=True, deep=True)
        if name in _OPERATORS:
            return _word("op", name, _ROMAN, scale)
        if name in ("operatorname", "mathrm", "text", "textrm", "mathit", "mathbf", "mathcal",
                    "mathbb", "mathsf", "boldsymbol"):
            return self.font(name, style)
        if name in _LARGE:
            display, text, limits = _LARGE[name]
            size = display if style == _D else text * scale
            return _Atom("op", Box(size, 10.0 if style == _D else 7.5, 5.0 if style == _D else 2.5),
                         limits and style == _D)
        if name == "frac":
            return self.fraction(style, _smaller(style))
        if name == "binom":
            fraction = self.fraction(style, _smaller(style)).box
            size = 3 if style == _D else 1  # TeX's \delim1 and \delim2
            half = _DELIMITER_HEIGHTS[size] / 2
            return _Atom("inner", Box(fraction.width - 2 * _NULL_DELIMITER + 2 * _DELIMITERS["("][size],
                                      max(fraction.height, _AXIS + half),
                                      max(fraction.depth, half - _AXIS)))
        if name == "sqrt":
            return self.root(style)
        if name == "left":
            return self.delimited(style)
        if name in ("right", "middle"):
            return None
        for size_name, size in _FIXED_SIZES.items():
            if name.startswith(size_name) and name[len(size_name):] in ("", "l", "r", "m"):
                delimiter = self.take()
                kind = {"l": "open", "r": "close", "m": "rel"}.get(name[len(size_name):], "ord")
                total = _DELIMITER_HEIGHTS[size]
                return _Atom(kind, Box(_DELIMITERS.get(delimiter, _DELIMITERS["("])[size],
                                       _AXIS + total / 2, total / 2 - _AXIS))
        if name == "begin":
            return self.environment(self.raw(), style)
        if name == "\\":
            return None
        return _glyph("ord", 10.0, scale, tall=True, deep=True)  # a command not known here

    def font(self, name, style) -> _Atom:
        text = self.raw()
        scale = _SCALE[style]
        if name == "mathcal":
            return _Atom("ord", Box(sum(_CALLIGRAPHIC.get(c, 12.1) for c in text) * scale,
                                    _ASCENDER * scale, 0))
        glyphs = re.findall(r"\\[A-Za-z]+|\\.|.", text)
        width = sum(3.4 if g == " " else _ROMAN.get(g, _ORDINARY.get(g.lstrip("\\"), 5.6))
                    for g in glyphs)
        width *= (_BOLD if name in ("mathbf", "boldsymbol") else 1.0) * scale
        kind = "op" if name == "operatorname" else "ord"
        return _Atom(kind, Box(width, _ASCENDER * scale, _DESCENDER * scale))

    def fraction(self, style, inner) -> _Atom:
        numerator, denominator = self.argument(inner), self.argument(inner)
        raise_by = (6.8 if style == _D else 4.0) * _SCALE[style]
        lower_by = (6.9 if style == _D else 3.5) * _SCALE[style]
        height = max(raise_by, numerator.depth + _AXIS + 1.2) + numerator.height
        depth = max(lower_by, denominator.height - _AXIS + 1.2) + denominator.depth
        wide = max(numerator.width, denominator.width) + 2 * _NULL_DELIMITER
        return _Atom("inner", Box(wide, height, depth))

    def root(self, style) -> _Atom:
        index = None
        if self.peek() == "[":
            self.take()
            index = self.list(_SS, ("]",))
            self.take()
        radicand = self.argument(style)
        size = delimiter_size(radicand.height, radicand.depth)
        extra = max(0.0, index.width - 4.0) if index else 0.0
        return _Atom("ord", Box(radicand.width + _RADICAL[min(size, 4)] * _SCALE[style] + extra,
                                radicand.height + 2.0, radicand.depth))

    def delimited(self, style) -> _Atom:
        """``\\left( … \\middle| … \\right)``: an Inner atom, its delimiters sized to the contents."""
        delimiters = [self.delimiter()]
        parts = []
        while True:
            parts.append(self.list(style, ("\\right", "\\middle")))
            ending = self.take()
            delimiters.append(self.delimiter())
            if ending != "\\middle":
                break
        height = max(p.height for p in parts)
        depth = max(p.depth for p in parts)
        size = delimiter_size(height, depth)
        wide = sum(p.width for p in parts)
        wide += sum(_DELIMITERS.get(d, _DELIMITERS["("])[size] for d in delimiters)
        total = _DELIMITER_HEIGHTS[min(size, 4)] if size < 5 else 2 * max(height - _AXIS,
                                                                          depth + _AXIS)
        return _Atom("inner", Box(wide, max(height, _AXIS + total / 2),
                                  max(depth, total / 2 - _AXIS)))

    def delimiter(self) -> str:
        token = self.take() or "."
        return token

    def environment(self, name, style) -> _Atom:
        """A matrix, cases or aligned block: columns side by side, rows stacked."""
        if name == "array":
            self.raw()
        cell_style = _D if name in ("aligned", "split", "gathered") else _T
        rows, row, cell = [], [], []
        depth = 1
        while self.peek() is not None:
            token = self.take()
            if token == "\\begin":
                depth += 1
            elif token == "\\end":
                depth -= 1
                if depth == 0:
                    self.raw()
                    break
            if depth == 1 and token == "&":
                row.append(cell)
                cell = []
            elif depth == 1 and token == "\\\\":
                rows.append(row + [cell])
                row, cell = [], []
            else:
                cell.append(token)
        rows.append(row + [cell])
        boxes = [[_Reader(c).list(cell_style, ()) for c in r] for r in rows if any(r)]
        columns = max((len(r) for r in boxes), default=0)
        widths = [max((r[i].width for r in boxes if i < len(r)), default=0) for i in range(columns)]
        gap = {"cases": 10.0, "aligned": 0.0, "split": 0.0, "gathered": 0.0}.get(name, 10.0)
        if name in ("aligned", "split"):  # pairs of columns, 2 em apart
            gap_total = 20.0 * ((columns - 1) // 2)
        else:
            gap_total = gap * max(columns - 1, 0)
        stretch = {"cases": 1.2}.get(name, 1.0)
        height = sum(max(8.4 * stretch, *(b.height for b in r)) + max(3.6 * stretch, *(b.depth for b in r))
                     + (3.0 if cell_style == _D else 0.0) for r in boxes)
        wide = sum(widths) + gap_total
        delimiters = {"pmatrix": ("(", ")"), "bmatrix": ("[", "]"), "vmatrix": ("|", "|"),
                      "cases": (r"\{", ".")}.get(name)
        if delimiters:
            size = delimiter_size(height / 2 + _AXIS, height / 2 - _AXIS)
            wide += sum(_DELIMITERS[d][size] for d in delimiters)
        return _Atom("inner" if delimiters else "ord",
                     Box(wide * (_SCALE[style] if cell_style == _T and style > _T else 1.0),
                         height / 2 + _AXIS, height / 2 - _AXIS))


def _space(size) -> _Atom:
    return _Atom("space", Box(size, 0, 0))


def _glyph(kind, glyph_width, scale, tall=False, deep=False) -> _Atom:
    height = (_ASCENDER if tall else _X_HEIGHT) * scale
    return _Atom(kind, Box(glyph_width * scale, height, _DESCENDER * scale if deep else 0.0))


def _word(kind, word, table, scale) -> _Atom:
    return _Atom(kind, Box(sum(table.get(c, 5.6) for c in word) * scale, _ASCENDER * scale,
                           _DESCENDER * scale))


def delimiter_size(height, depth) -> int:
    """The delimiter size TeX picks around a box this tall: 0 normal, 1 \\big … 4 \\Bigg, 5 extensible."""
    half = max(height - _AXIS, depth + _AXIS)
    needed = max(2 * half * 0.901, 2 * half - 5.0)
    for size, total in enumerate(_DELIMITER_HEIGHTS):
        if total >= needed:
            return size
    return 5

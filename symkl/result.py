"""The result of a derivation: closed form, steps, LaTeX, evaluation, verification."""
from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import NamedTuple

import sympy as sp

from .errors import InvalidInput, InvalidType, Unsupported
from .families.base import as_expression, shown
from .families.vectors import is_vector_like, listed
from . import render
from .numeric import check
from .numeric.quadrature import GUARD, MAX_DPS
from .numeric.check import Verification
from .numeric.evaluation import numeric_value


class Step(NamedTuple):
    """One step of a derivation: what was done, and the equation it gave."""

    label: str
    expr: sp.Eq

    def xreplace(self, mapping) -> "Step":
        lhs, rhs = self.expr.args
        return Step(self.label, sp.Eq(lhs.xreplace(mapping), rhs.xreplace(mapping), evaluate=False))


class Truncation(NamedTuple):
    """A result with its infinite series cut after ``terms`` terms: ``value``, and ``bound``,
    at least the absolute value of what the cut misses (the result − value)."""

    value: sp.Expr
    bound: sp.Expr


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
                 generic=None, order=None, bounds=None):
        self.kind, self.p, self.q = kind, p, q
        # the α of a divergence that takes one (Rényi's), the generator f of an
        # f-divergence, else None
        self.order = order
        #: (lower, upper): closed-form bounds on a value that is not in closed form, else None
        self.bounds = bounds
        self.expr, self.steps = expr, tuple(steps)
        self.base, self.closed_form = base, closed_form
        self.reason = reason if expr.has(sp.oo) else None  # why it is ∞, where it may be
        # (expr in Symbols of the families' twins, map twin Symbol -> parameter)
        self._generic = generic or (expr, {})

    # -- printing ---------------------------------------------------------------
    def _families(self):
        return (self.p,) if self.q is None else (self.p, self.q)

    def _printer(self) -> render.Printer:
        return render.printer(self._families())

    def lhs_latex(self) -> str:
        """The left-hand side: ``D_{\\mathrm{KL}}\\left(p \\,\\middle\\|\\, q\\right)``, ``H(p)`` …"""
        return render.lhs(self, self._printer())

    def latex(self) -> str:
        """The result as LaTeX for math mode, fitting an article's text width.

        ``lhs = rhs`` on one line when it fits; a longer result is an
        ``aligned`` block broken at its sums, ``\\begin{aligned} lhs &= … \\\\
        &\\quad + … \\end{aligned}``.  Either goes inside ``\\[ … \\]``,
        ``$$ … $$`` or ``$\\displaystyle … $`` (see :func:`symkl.render.equation`).
        """
        printer = self._printer()
        return render.equation(printer, render.lhs(self, printer), self.expr)

    def derivation_latex(self) -> str:
        """The derivation as a LaTeX ``align*`` block: each step's label, then its equation."""
        return render.derivation(self, self._printer())

    def _repr_latex_(self) -> str:
        return rf"$\displaystyle {self.latex()}$"

    def lhs_text(self) -> str:
        """The left-hand side as text: ``D_KL(Normal(mu_1, sigma_1) ‖ Normal(mu_2, sigma_2))`` …"""
        from .kinds import KINDS
        order = "" if self.order is None else sp.sstr(self.order)
        return KINDS[self.kind].text.format(p=repr(self.p), q=repr(self.q), order=order)

    def __repr__(self):
        return f"{self.lhs_text()} = {sp.sstr(self.expr)}{self._approximately()}"

    def _approximately(self) -> str:
        """`` ≈ 4.10522018598809`` for an exact number that is no plain rational."""
        if self.expr.is_number and not self.expr.is_Rational and self.expr.is_finite:
            return f" ≈ {numeric_value(self.expr, 15)}"
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
        """Map names or Symbols to checked values; floats become exact binary rationals if ``exact``.

        A parameter takes a number or a sympy expression; an indexed one
        (``p[i]``) a sequence of them or a dict {i: value}; a matrix symbol a
        matrix (nested lists, a sympy Matrix, a numpy array; a vector may be
        flat).  Nothing is parsed (a string is refused), and the families
        check the values as their constructors do: InvalidInput for σ = −1.
        """
        symbols = {str(s): s for s in self.free_symbols}
        indexed = {b.label for f in self._families() for a in f.args if isinstance(a, sp.Basic)
                   for b in a.atoms(sp.IndexedBase)}
        indexed |= {i.base.label for i in self.expr.atoms(sp.Indexed)}
        mapping = {}
        for key, value in _mapping(values).items():
            if not isinstance(key, (str, sp.Symbol, sp.MatrixSymbol, sp.IndexedBase)):
                raise InvalidType(f"parameters are given by name or Symbol, got "
                                  f"{type(key).__name__} {shown(key)}")
            name = str(key)
            if name not in symbols:
                known = ", ".join(sorted(symbols)) or "none"
                raise InvalidInput(f"no parameter named {name!r}; parameters: {known}")
            symbol = symbols[name]
            mapping[symbol] = _checked(name, symbol, value, symbol in indexed)
        for family in self._families():
            family.subs(mapping)  # the family refuses what its constructor would
        return _exactly_each(mapping) if exact else mapping

    def subs(self, values=None, **named) -> "Result":
        """The result at some parameter values, given by name or Symbol.

        ``values`` may map names or Symbols to numbers or expressions;
        keywords work too: ``r.subs(mu_1=0)``.  Values are checked as the
        families' constructors check them.
        """
        mapping = self._resolve({**_mapping(values), **named})
        families = [f.subs(mapping) for f in self._families()]
        expr = _at(self.expr, mapping)
        if not expr.is_number:
            from .engine.matrix_forms import canonical_form
            expr = canonical_form(expr)
        else:
            from .engine.simplify import numeric_logs_folded
            # powers of one base multiplied (6^(1/5)·6^(4/5) is 6), then logs of rationals folded
            expr = numeric_logs_folded(sp.powsimp(expr) if expr.has(sp.Pow) else expr)
        steps = [s.xreplace(_scalars(mapping)) for s in self.steps]
        generic_expr, generic_map = self._generic
        # shared (structural) parameters such as a dimension k live in the generic form itself
        generic_expr = generic_expr.xreplace({k: v for k, v in _scalars(mapping).items()
                                              if k not in generic_map})
        generic_map = {k: _value_at(v, mapping) for k, v in generic_map.items()}
        bounds = None if self.bounds is None else tuple(_at(b, mapping) for b in self.bounds)
        return Result(self.kind, families[0], families[1] if self.q is not None else None,
                      expr, steps, base=self.base, closed_form=self.closed_form, reason=self.reason,
                      generic=(generic_expr, generic_map),
                      order=None if self.order is None else _value_at(self.order, mapping),
                      bounds=bounds)

    def evalf(self, values=None, n: int = 15, **named):
        """The numeric value at ``values`` with ``n`` significant digits (floats taken exactly).

        Values are given as for :meth:`subs`, keywords too; a parameter named
        n (a Binomial's trials) goes in ``values``, as ``n`` is the digits.

        >>> from symkl import Normal, kl
        >>> kl(Normal(), Normal()).evalf(mu_1=0, sigma_1=1, mu_2=1, sigma_2=2)
        0.443147180559945
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise InvalidInput(f"n, the number of digits, must be a positive integer, got {shown(n)}")
        return numeric_value(self._exact_value(self._resolve({**_mapping(values), **named}, exact=True)), n)

    def _exact_value(self, mapping):
        """The derived expression at ``mapping``, every float taken as its exact binary value."""
        generic_expr, generic_map = self._generic
        exact_map = {k: _exactly(_value_at(v, mapping)) for k, v in generic_map.items()}
        value = continuous_at(generic_expr, {**_exactly_each(mapping), **exact_map})
        if value.has(sp.nan, sp.zoo):
            # A boundary the general formula does not reach even as a limit: derive
            # again for the distributions at these values.
            from .engine.derive import derive
            families = [f.subs(_exactly_each(mapping)) for f in self._families()]
            value = derive(self.kind, *families, base=self.base, order=self.order).expr
        return value

    def lambdify(self, backend: str = "numpy"):
        """The closed form as a function of the parameters, by name (see :mod:`symkl.codegen`).

        ``backend`` is ``"numpy"`` (batches; scipy.special for ψ, log Γ …),
        ``"math"``, ``"mpmath"``, ``"jax"`` or ``"torch"``; ``f.parameters`` lists
        p's parameters, then q's.  Vectors are 1-D arrays (batched: (..., k)),
        matrices (..., k, k); a dimension k is read from their shapes.

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
        ['def log1pmx(t):', 'def kl_normal_normal(mu_1, sigma_1, mu_2, sigma_2):']

        The parameters come in p's order, then q's; a name the language cannot
        take is replaced, and the source says so in a comment (see :mod:`symkl.codegen`).
        """
        from .codegen import code
        return code(self, language, name)

    def __float__(self):
        return float(self.evalf())

    def truncated(self, terms: int) -> Truncation:
        """The result with each infinite series cut after ``terms`` terms, and a bound on
        what the cut misses, where the derivation gives one (its step "a bound on the
        remainder after M terms"); a result without an infinite series is its own
        truncation, with bound 0.

        >>> from symkl import Beta, Kumaraswamy, kl
        >>> result = kl(Kumaraswamy(2, 3), Beta(2, 5))
        >>> cut = result.truncated(100)
        >>> cut.bound
        1/15625
        >>> abs(sp.N(cut.value, 20) - result.verify(dps=20).quadrature) < cut.bound
        True
        """
        from .engine.derive import REMAINDER, TERMS
        if not isinstance(terms, int) or isinstance(terms, bool) or terms < 1:
            raise InvalidInput(f"terms must be a positive integer, got {terms!r}")
        series = [s for s in self.expr.atoms(sp.Sum)
                  if len(s.limits) == 1 and not s.limits[0][2].is_finite]
        if not series:
            return Truncation(self.expr, sp.S.Zero)
        bounds = [step.expr.rhs for step in self.steps if str(step.label) == REMAINDER]
        if len(bounds) != len(series):
            raise Unsupported(f"no bound is known on the remainder of "
                              f"{', '.join(sp.sstr(s) for s in series)} after {terms} terms")
        cut = {s: sp.Sum(s.function, (s.limits[0][0], s.limits[0][1], terms)) for s in series}
        bound = sp.Add(*(b.xreplace({TERMS: terms}) for b in bounds))
        return Truncation(self.expr.xreplace(cut), bound / sp.log(self.base))

    def verify(self, values=None, dps: int = 50) -> Verification:
        """Check ``expr`` against numeric integration at ``dps`` significant digits.

        What is checked is the expression this result holds, at ``values``
        (every float in either taken as the exact binary number it is), never
        a derivation made again.  The numeric value comes from the families'
        log-densities and supports alone, ∞ included (p's mass outside supp q,
        or a divergent integral); ``digits`` are defined in
        :mod:`symkl.numeric.check`.  dps is at most
        :data:`symkl.numeric.quadrature.MAX_DPS` (else ``Unsupported``).

        >>> from symkl import Exponential
        >>> wrong = Result("kl", Exponential(1), Exponential(2), sp.oo, ())
        >>> wrong.verify(dps=30).digits
        0
        """
        mapping = self._resolve(values, exact=True)
        families = [f.subs(mapping) for f in self._families()]
        missing = set().union(*(f.free_symbols for f in families))
        if missing:
            names = ", ".join(sorted(map(str, missing)))
            raise InvalidInput(f"verify needs a value for every parameter; missing: {names}")
        closed = _exactly(continuous_at(self.expr, mapping))
        if closed.is_number and closed.has(sp.log):  # log(36/25)/2 − log(6/5) is exactly 0
            from .engine.simplify import numeric_logs_folded
            closed = numeric_logs_folded(closed)
        if closed.has(sp.Sum):  # finite sums added term by term, which sympy's N may not do
            closed = numeric_value(closed, dps + check.GUARD)
        from .kinds import KINDS
        if KINDS[self.kind].integrand is None:  # a divergence beyond KL: its own quadrature
            return _verified_divergence(self, families, closed, dps, mapping)
        return check.verify(self.kind, families, closed, self.base, dps)


def _verified_divergence(result, families, closed, dps, mapping) -> Verification:
    """``closed`` against :func:`symkl.numeric.divergences.estimate` of the result's kind."""
    import mpmath
    from .numeric import divergences
    from .numeric.density import to_mpmath
    order = None if result.order is None else _exactly(result.order.xreplace(_scalars(mapping)))
    if order is not None and not isinstance(order, sp.Lambda) and not order.is_number:
        raise InvalidInput(f"verify needs a number for the order, got {shown(order)}")
    value, error, scale, reason = divergences.estimate(result.kind, *families, order=order, dps=dps)
    with mpmath.workdps(dps + check.GUARD):
        c = check._number(closed)
        # C's own rounding: its terms of size S, cancelling, are known to S·10^−(dps + GUARD)
        tolerance = max(error, check.rounding_size(closed, c) * mpmath.mpf(10) ** -(dps + check.GUARD - 3))
        if result.base != sp.E:
            unit = mpmath.log(to_mpmath(result.base))
            value, error, scale, tolerance = value / unit, error / unit, scale / unit, tolerance / unit
        return Verification(c, value, error, check.significant_digits(c, value, tolerance, scale, dps),
                            dps, reason)


def _mapping(values) -> dict:
    """``values`` (a mapping, or None for none) as a dict; InvalidType for anything else."""
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise InvalidType(f"values must map parameter names to values, got "
                          f"{type(values).__name__} {shown(values)}")
    return dict(values)


def _checked(name: str, symbol, value, indexed: bool):
    """The value given for ``symbol``, as sympy objects: a matrix for a MatrixSymbol, a list or
    dict of entries for an indexed parameter, else one number or expression."""
    if isinstance(symbol, sp.MatrixSymbol):
        return value if isinstance(value, sp.MatrixSymbol) else _matrix(name, value)
    if indexed:
        if isinstance(value, sp.IndexedBase):
            return value
        if isinstance(value, Mapping):
            return {_index(name, i): as_expression(f"{name}[{i}]", v) for i, v in value.items()}
        entries = listed(value)
        if not isinstance(entries, list) or any(isinstance(v, list) for v in entries):
            raise InvalidType(f"{name} is indexed: give a sequence of numbers or a dict "
                              f"{{i: number}}, got {type(value).__name__} {shown(value)}")
        return [as_expression(f"{name}, entry {i},", v) for i, v in enumerate(entries, 1)]
    if is_vector_like(value) or isinstance(value, Mapping):
        raise InvalidType(f"{name} is one number, got {type(value).__name__} {shown(value)}")
    return as_expression(name, value)


def _matrix(name: str, value) -> sp.ImmutableMatrix:
    """A matrix of numbers or expressions from nested lists, a sympy Matrix or a numpy array;
    a flat sequence is a column."""
    rows = listed(value)
    if not isinstance(rows, list) or not rows:
        raise InvalidType(f"{name} is a matrix: give nested lists, a sympy Matrix or a numpy "
                          f"array, got {type(value).__name__} {shown(value)}")
    rows = [row if isinstance(row, list) else [row] for row in rows]
    if len({len(row) for row in rows}) != 1 or any(isinstance(v, list) for row in rows for v in row):
        raise InvalidInput(f"{name} is a matrix: its rows need one length each, got {shown(value)}")
    return sp.ImmutableMatrix([[as_expression(f"{name}[{i}, {j}]", v) for j, v in enumerate(row, 1)]
                               for i, row in enumerate(rows, 1)])


def _index(name: str, i) -> int:
    try:
        return operator.index(i)
    except TypeError:
        raise InvalidType(f"{name}: the keys of a dict of entries are indices (integers), "
                          f"got {type(i).__name__} {shown(i)}") from None


def _exactly(value):
    """Floats inside ``value`` (an expression or matrix, or a list or dict of them) replaced by
    the exact binary rationals they stand for."""
    if isinstance(value, (list, tuple)):
        return [_exactly(v) for v in value]
    if isinstance(value, dict):
        return {k: _exactly(v) for k, v in value.items()}
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


#: past this denominator a number's power is evaluated numerically: sympy would take the
#: number apart into prime powers as large as the denominator (a float's exact binary
#: value, 0.3 = 5404319552844595/2⁵⁴, in the exponent makes one)
_LARGEST_ROOT = 10 ** 6
#: the digits of such a power: those of the most precise check, and as many again
_POWER_DIGITS = 2 * (MAX_DPS + GUARD)


def put_in(expr, rule):
    """``expr.xreplace(rule)``, with two differences that matter at a point.

    Only the branch of a Piecewise whose condition holds is filled in (the others
    may divide by zero there, or be Min/Max of what sympy cannot compare), and a
    number raised to a power of a large denominator is a Float of
    :data:`_POWER_DIGITS` digits.

    >>> a, b = sp.symbols("a b", positive=True)
    >>> put_in(sp.Piecewise((sp.Max(1 / (a - b), 0), sp.Ne(a, b)), (a, True)), {a: 1, b: 1})
    1
    """
    if expr in rule:
        return rule[expr]
    if not expr.args:
        return expr
    if isinstance(expr, sp.Piecewise):
        pieces = []
        for value, condition in expr.args:
            try:
                condition = put_in(condition, rule)
            except TypeError:  # a comparison of zoo: a zero denominator in the condition as written
                return sp.nan     # undefined here, as 0/0 is: its limit decides (continuous_at)
            if condition == sp.false:
                continue
            pieces.append((put_in(value, rule), condition))
            if condition == sp.true:
                break
        if pieces and pieces[0][1] == sp.true:
            return pieces[0][0]
        return sp.Piecewise(*pieces) if pieces else sp.nan
    args = [put_in(a, rule) for a in expr.args]
    if isinstance(expr, (sp.Pow, sp.exp)) and all(a.is_number for a in args) and any(
            isinstance(r, sp.Rational) and r.q > _LARGEST_ROOT
            for r in sp.preorder_traversal(args[-1])):
        return sp.N(expr.func(*args, evaluate=False), _POWER_DIGITS)
    return expr.func(*args)


def _at(expr, mapping):
    """``expr`` at ``mapping``: a sequence for an IndexedBase fills in its entries (counted
    from the lower limit of the sums over it), a matrix replaces a MatrixSymbol."""
    matrices = {str(k): v for k, v in mapping.items() if isinstance(k, sp.MatrixSymbol)}
    sequences = {getattr(k, "label", k): v for k, v in mapping.items()
                 if _is_collection(v) and not isinstance(k, sp.MatrixSymbol)}
    expr = put_in(expr, _scalars({k: v for k, v in mapping.items() if not isinstance(k, sp.MatrixSymbol)}))
    if matrices:
        expr = expr.replace(lambda a: isinstance(a, sp.MatrixSymbol) and a.name in matrices,
                            lambda a: matrices[a.name]).doit()
    if sequences:
        first = {label: _lowest_index(expr, label) for label in sequences}
        entries = {label: v if isinstance(v, dict) else dict(enumerate(v, first[label]))
                   for label, v in sequences.items()}
        expr = expr.doit().replace(
            lambda a: isinstance(a, sp.Indexed) and a.base.label in entries and a.indices[0].is_Integer,
            lambda a: entries[a.base.label][int(a.indices[0])])
    if expr.has(sp.Integral, sp.Sum):  # an integral of 0 (a divergence of p from p) is 0
        expr = expr.replace(lambda a: isinstance(a, sp.exp) and a.args[0] == 0, lambda a: sp.S.One)
        expr = expr.replace(lambda a: isinstance(a, (sp.Integral, sp.Sum)) and a.function == 0,
                            lambda a: sp.S.Zero)
    return expr


#: seconds a limit at a removable singularity may take
_MOST_PER_LIMIT = 5.0


def _replaced(expr, mapping):
    """``expr.xreplace(mapping)``, nan where that compares zoo (a zero denominator in a
    Piecewise's condition as written: undefined there, as 0/0 is)."""
    try:
        return expr.xreplace(mapping)
    except TypeError:
        return sp.nan


def continuous_at(expr, mapping):
    """``expr`` at ``mapping``, by continuity where it reads 0/0 there.

    Where putting in a value makes the expression undefined (0·log 0 at a
    probability 0, a ratio of two differences at a tie), the value is the limit
    as that parameter approaches it, the others put in first: the expression's
    own continuous extension, not another derivation.  Where sympy finds no
    limit within its time, the first coefficient of its series there, and failing
    that the mean of the values just either side (exact to about 80 digits, and 0
    below 10⁻⁷⁰; see :func:`_mean_beside`).

    >>> p, q = sp.symbols("p q", positive=True)
    >>> continuous_at(p*sp.log(p/q) + (1 - p)*sp.log((1 - p)/(1 - q)), {p: 0, q: sp.S.Half})
    log(2)
    """
    from .engine.budget import OutOfTime, within
    value = _at(expr, mapping)
    if not value.has(sp.nan, sp.zoo):
        return value
    entries = {}  # each entry of a sequence given for an IndexedBase stands in as a symbol
    for k, v in mapping.items():
        if _is_collection(v) and not isinstance(k, sp.MatrixSymbol):
            items = v.items() if isinstance(v, dict) else enumerate(v)
            named = {i: sp.Dummy(f"{getattr(k, 'label', k)}{i}", real=True) for i, _ in items}
            entries[k] = (named if isinstance(v, dict) else [named[i] for i in range(len(v))])
            mapping = {**mapping, **{named[i]: e for i, e in (v.items() if isinstance(v, dict)
                                                               else enumerate(v))}}
    if entries:
        expr = _at(expr, {k: entries.get(k, v) for k, v in mapping.items()
                          if k in entries or not isinstance(k, sp.Dummy)})
        mapping = {k: v for k, v in mapping.items() if k not in entries}
    scalars = {k: v for k, v in mapping.items() if isinstance(k, sp.Symbol) and not _is_collection(v)}
    if len(scalars) != len(mapping):
        return value
    undefined, current = [], expr
    for symbol, v in scalars.items():
        after = _replaced(current, {symbol: v})
        if after.has(sp.nan, sp.zoo):
            undefined.append(symbol)
        else:
            current = after
    for symbol in undefined:
        after = _replaced(current, {symbol: scalars[symbol]})
        for direction in ("+", "-"):
            if not after.has(sp.nan, sp.zoo):
                break
            try:
                found = within(_MOST_PER_LIMIT, sp.limit, current, symbol, scalars[symbol], direction)
            except Exception:  # noqa: BLE001 — sympy's limit fails in many ways (gruntz
                continue           # raising AttributeError on lowergamma): then no limit
            if not found.has(sp.Limit):  # an unevaluated Limit (of a Piecewise) is no value
                after = found
        if after.has(sp.nan, sp.zoo) and scalars[symbol].is_number:
            after = _leading_coefficient(current, symbol, scalars[symbol])
        if after.has(sp.nan, sp.zoo) and scalars[symbol].is_number:
            after = _mean_beside(current, symbol, scalars[symbol])
        current = after
    return current


def _leading_coefficient(expr, symbol, value):
    """c₀ of ``expr``'s series in ``symbol`` about ``value`` (sympy's series, not its limit,
    within the same time), or ``expr`` there as it is where that fails."""
    from .engine.budget import within
    try:
        series = within(_MOST_PER_LIMIT, sp.series, expr, symbol, value, 1).removeO()
    except Exception:  # noqa: BLE001 — series fails as variously as limit does
        return _replaced(expr, {symbol: value})
    if series.has(symbol, sp.Order, sp.nan, sp.zoo, sp.oo, -sp.oo):
        return _replaced(expr, {symbol: value})
    return series


#: the step either side of a removable singularity where sympy finds no limit in its time
_BESIDE = sp.Rational(1, 10 ** 40)
#: below this the mean either side is no different from 0 (its error is about _BESIDE²)
_NO_DIFFERENT_FROM_ZERO = sp.Float("1e-70")


def _mean_beside(expr, symbol, value):
    """(f(v − δ) + f(v + δ))/2, δ = 10⁻⁴⁰, for ``expr`` = f(``symbol``): an extension
    analytic at v is its value there to within f''(v)·10⁻⁸⁰ (the two sides' first-order
    terms cancel); sympy's evalf raises its precision through the 0/0 of each side.  A
    mean below 10⁻⁷⁰ is 0 (no different from it within that error: KL at p = q reads 0,
    not 10⁻⁸⁰).  The expression as it was where either side is undefined too."""
    sides = [_replaced(expr, {symbol: value + step}) for step in (-_BESIDE, _BESIDE)]
    if any(side.has(sp.nan, sp.zoo) for side in sides):
        return _replaced(expr, {symbol: value})
    mean = sp.Mul(sp.Add(*sides, evaluate=False), sp.S.Half, evaluate=False)
    if mean.free_symbols:
        return mean
    try:
        small = abs(sp.N(mean, 30)) < _NO_DIFFERENT_FROM_ZERO
    except TypeError:  # not a real number
        return mean
    return sp.S.Zero if small else mean


def _lowest_index(expr, label) -> int:
    """The lower limit of the sums over an IndexedBase named ``label`` (0 if there are none)."""
    for s in expr.atoms(sp.Sum):
        if any(i.base.label == label for i in s.function.atoms(sp.Indexed)):
            return int(s.limits[0][1])
    return 0

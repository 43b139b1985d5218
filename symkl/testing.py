"""A trusted reference for your own KL code, in your tests.

:func:`assert_kl_matches` checks a numeric KL function (a VAE loss term, a
variational bound) against the closed form symkl derives, at random valid
parameter points; :func:`parameters` is a hypothesis strategy for valid
parameters of any family, for property-based tests of your own.

Examples
--------
>>> import math
>>> from symkl import Exponential
>>> from symkl.testing import assert_kl_matches
>>> def exponential_kl(rate_1, rate_2):
...     return math.log(rate_1 / rate_2) + rate_2 / rate_1 - 1
>>> assert_kl_matches(exponential_kl, Exponential(), Exponential())
"""
from __future__ import annotations

import inspect
import random

import mpmath
import sympy as sp

from .engine.derive import kl
from .families import Distribution, by_name
from .families.base import OPEN_UNIT_INTERVAL, POSITIVE_INTEGER
from .families.categorical import Categorical
from .families.multivariate_normal import MultivariateNormal
from .numeric.quadrature import agreeing_digits

#: digits of the closed form's value, far beyond a float's 16
_REFERENCE_DIGITS = 30
#: a float has about this many significant digits to agree on
_FLOAT_DIGITS = 17
#: tries at drawing a point both families accept
_TRIES = 100


def assert_kl_matches(fn, p, q, *, points: int = 50, rtol: float = 1e-10, atol: float = 1e-12,
                      seed: int = 0) -> None:
    """Check ``fn`` against the derived closed form of KL(p‖q) at random valid points.

    KL(p‖q) is derived once; then at ``points`` random parameter points (each
    family's own ``sample``, so every point is valid) the closed form is
    evaluated to 30 digits and compared with ``fn(**parameters)``: it must
    agree within ``atol + rtol·|closed form|`` (and be ∞ where the closed form
    is).  The closed form is evaluated at exactly the floats ``fn`` receives.

    Parameters
    ----------
    fn : callable
        Your KL, taking the parameters of p and q by name (as in ``kl(p, q).expr``:
        ``mu_1, sigma_1, …`` for default symbols, your own names otherwise).
        A scalar parameter arrives as a Python float (an int for an integer one
        such as a Binomial's n); a vector or matrix parameter (a symbolic-length
        ``DiagonalNormal``, a matrix-symbolic ``MultivariateNormal``, a symbolic
        ``Categorical`` or ``Dirichlet``) as a numpy array of floats (a list where
        numpy is not installed).  The number of coordinates (``n``, ``k``, ``K``)
        is passed only if ``fn`` takes it.  ``fn`` returns one number.
    p, q : Distribution or str
        The two distributions, with symbolic parameters (or a family name).
    points : int
        How many random points to check.
    rtol, atol : float
        Relative and absolute tolerance; ``atol`` absorbs rounding where KL is 0.
    seed : int
        Seed of the random points (the same seed draws the same points).

    Raises
    ------
    AssertionError
        At the first point where ``fn`` disagrees: the parameters, both values,
        how many significant digits agreed, and how many points disagreed.
    ValueError
        If KL(p‖q) has no closed form to compare with.
    TypeError
        If ``fn`` does not take the parameters by name.

    Examples
    --------
    >>> import math
    >>> from symkl import Normal
    >>> def normal_kl(mu_1, sigma_1, mu_2, sigma_2):
    ...     return (math.log(sigma_2 / sigma_1)
    ...             + (sigma_1 ** 2 + (mu_1 - mu_2) ** 2) / (2 * sigma_2 ** 2) - 0.5)
    >>> assert_kl_matches(normal_kl, Normal(), Normal(), points=20)
    >>> def forgot_the_half(mu_1, sigma_1, mu_2, sigma_2):
    ...     return math.log(sigma_2 / sigma_1) + (sigma_1 ** 2 + (mu_1 - mu_2) ** 2) / sigma_2 ** 2 - 0.5
    >>> assert_kl_matches(forgot_the_half, Normal(), Normal(), points=20)
    Traceback (most recent call last):
    ...
    AssertionError: fn disagrees with D_KL(Normal(mu_1, sigma_1) ‖ Normal(mu_2, sigma_2)) at 20 of 20 points; the first (point 1 of 20, seed 0):
      mu_1 = 2.4, sigma_1 = 2.7, mu_2 = 1.8, sigma_2 = 2.9
      fn           0.48109035518309606
      closed form  0.026274659582620556220084350649
      agreement    0 significant digits (rtol=1e-10, atol=1e-12)
    """
    result = kl(p, q)
    if not result.closed_form:
        raise ValueError(f"{result.lhs_text()} has no closed form to compare with; "
                         "check against quadrature instead (result.verify)")
    families = (result.p, result.q)
    sizes = {str(s) for s in _size_symbols(families)}
    names = sorted({str(s) for s in result.free_symbols})
    passed = _passed_names(fn, names, sizes)
    rng = random.Random(seed)
    count = points if names else 1
    first, failures = None, 0
    for index in range(1, count + 1):
        values = _plain(_draw(families, rng))
        expected = _reference(result, values)
        try:
            actual = _call(fn, {name: _for_fn(values[name]) for name in passed})
        except Exception as error:
            if hasattr(error, "add_note"):  # Python ≥ 3.11: say where fn failed
                error.add_note(f"raised by fn at point {index} of {count} (seed {seed}): "
                               + ", ".join(f"{n} = {_shown(values[n])}" for n in _ordered(values, result)))
            raise
        if _agree(actual, expected, rtol, atol):
            continue
        failures += 1
        first = first or (index, values, actual, expected)
    if failures:
        index, values, actual, expected = first
        raise AssertionError(
            f"fn disagrees with {result.lhs_text()} at {failures} of {count} points; "
            f"the first (point {index} of {count}, seed {seed}):\n"
            f"  {', '.join(f'{name} = {_shown(values[name])}' for name in _ordered(values, result))}\n"
            f"  fn           {actual!r}\n"
            f"  closed form  {mpmath.nstr(expected, _REFERENCE_DIGITS)}\n"
            f"  agreement    {_digits(actual, expected)} significant digits (rtol={rtol}, atol={atol})")


def parameters(family):
    """A hypothesis strategy for valid parameter values of ``family``, by name.

    It draws a dict ``{name: value}`` for the symbolic parameters of
    ``family`` (a float, an int for integer parameters, a list for an indexed
    or matrix-symbolic parameter, a list of lists for a matrix), ready for
    ``result.evalf``, ``result.verify`` or your own code.  Constraints are
    respected: reals in [−10, 10], positive values in [0.1, 10], probabilities
    in [0.001, 0.999], integers in 1 … 10, dimensions 1 … 4 (2 … 4 for a
    Dirichlet or Categorical); probabilities of a ``Categorical`` lie on the
    simplex, a ``MultivariateNormal``'s covariance is A·Aᵀ + εI; anything else
    the family says (a < b for a ``Uniform``) is checked by the family itself
    and the draws it refuses are filtered out.

    Examples
    --------
    >>> from hypothesis import given
    >>> from symkl import Normal, Uniform, kl
    >>> from symkl.testing import parameters
    >>> @given(parameters(Uniform("a", "b")))
    ... def test_a_below_b(values):
    ...     assert values["a"] < values["b"]
    >>> test_a_below_b()
    >>> @given(parameters(Normal("mu", "sigma")))
    ... def test_kl_from_itself_is_zero(values):
    ...     assert kl(Normal("mu", "sigma"), Normal("mu", "sigma")).evalf(values) == 0
    >>> test_kl_from_itself_is_zero()
    """
    st = _strategies()
    family = by_name(family) if isinstance(family, str) else family
    if not isinstance(family, Distribution):
        raise TypeError(f"expected a distribution such as Normal('mu', 'sigma'), got {family!r}")
    if not family.free_symbols:
        raise ValueError(f"{family!r} has no symbolic parameters to draw")

    return _values(st, family).filter(lambda values: _accepts(family, values)).map(_plain)


# -- assert_kl_matches ---------------------------------------------------------------
def _size_symbols(families) -> set:
    """Symbols for numbers of coordinates or categories (implied by the vectors' lengths)."""
    sizes = set()
    for family in families:
        size = _size(family)
        if isinstance(size, sp.Symbol):
            sizes.add(size)
    return sizes


def _size(family):
    """The number of coordinates or categories of a vector family (None for a scalar one)."""
    if isinstance(family, Categorical):
        return family.size
    return getattr(family, "dimension", None)


def _passed_names(fn, names, optional) -> list:
    """The parameter names ``fn`` takes; TypeError if it needs others or leaves one out."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # no signature to read: pass everything
        return names
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values()):
        return names
    accepted = {n for n, p in signature.parameters.items() if p.kind in kinds}
    required = {n for n in accepted if signature.parameters[n].default is inspect.Parameter.empty}
    unknown, left_out = required - set(names), set(names) - set(optional) - accepted
    if unknown or left_out:
        problem = (f"takes {', '.join(sorted(unknown))}, which KL(p‖q) has no parameter of"
                   if unknown else f"does not take {', '.join(sorted(left_out))}")
        raise TypeError(f"fn must take the parameters by name; it {problem} "
                        f"(parameters: {', '.join(names) or 'none'})")
    return [n for n in names if n in accepted]


def _draw(families, rng) -> dict:
    """Random exact values, valid for both families (shared Symbols drawn once)."""
    p, q = families
    for _ in range(_TRIES):
        values = dict(p.sample(rng))
        for key, value in q.sample(rng, known=values).items():
            values.setdefault(key, value)
        plain = {key: _plain_value(value) for key, value in values.items()}
        if all(_accepts(family, plain) for family in families):
            return plain
    raise ValueError(f"found no parameters valid for both {p!r} and {q!r}")


def _accepts(family, values) -> bool:
    """Whether ``family`` takes ``values`` (keyed by Symbol) as its parameters."""
    try:
        family.subs({key: _sympified(value) for key, value in values.items()})
    except ValueError:
        return False
    return True


def _sympified(value):
    """A plain value as sympy numbers (lists stay lists), for the families' own checks."""
    if isinstance(value, list):
        return [_sympified(v) for v in value]
    return sp.Integer(value) if isinstance(value, int) else sp.Float(value)


def _plain(values) -> dict:
    """``{name: value}`` with Python floats, ints and (nested) lists."""
    return {str(key): _plain_value(value) for key, value in values.items()}


def _plain_value(value):
    if isinstance(value, dict):
        return [_plain_value(value[i]) for i in sorted(value)]
    if isinstance(value, sp.MatrixBase):
        rows = value.tolist()
        return [_plain_value(v) for v in value] if value.cols == 1 else \
            [[_plain_value(v) for v in row] for row in rows]
    if isinstance(value, (list, tuple)):
        return [_plain_value(v) for v in value]
    if isinstance(value, (int, float)):
        return value
    value = sp.sympify(value)
    return int(value) if value.is_Integer else float(value)


def _for_fn(value):
    """A vector or matrix as a numpy array of floats (a list without numpy)."""
    if not isinstance(value, list):
        return value
    try:
        import numpy
    except ImportError:
        return value
    return numpy.asarray(value, dtype=float)


def _reference(result, values):
    """The closed form at ``values`` (floats taken exactly) as an mpmath number."""
    value = result.evalf(values, n=_REFERENCE_DIGITS)
    if value == sp.oo:
        return mpmath.inf
    if not (value.is_real and value.is_finite):
        return mpmath.nan
    with mpmath.workdps(_REFERENCE_DIGITS):
        return mpmath.mpf(value)


def _call(fn, arguments) -> float:
    value = fn(**arguments)
    if getattr(value, "size", 1) == 1 and hasattr(value, "item"):
        value = value.item()  # a numpy scalar or one-element array
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"fn must return one number, got {value!r}") from None


def _agree(actual: float, expected, rtol, atol) -> bool:
    if mpmath.isnan(expected) or actual != actual:
        return False
    if mpmath.isinf(expected) or actual in (float("inf"), float("-inf")):
        return actual == expected
    with mpmath.workdps(_REFERENCE_DIGITS):
        return abs(mpmath.mpf(actual) - expected) <= atol + rtol * abs(expected)


def _digits(actual: float, expected) -> int:
    with mpmath.workdps(_REFERENCE_DIGITS):
        return agreeing_digits(mpmath.mpf(actual), expected, _FLOAT_DIGITS)


def _shown(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    return repr(value)


def _ordered(values, result) -> list:
    """Names in the order the families list their parameters (p's first), then the rest."""
    order = []
    for family in (result.p, result.q):
        for arg in family.args:
            atoms = sp.sympify(arg).free_symbols if not isinstance(arg, (sp.IndexedBase, sp.MatrixSymbol)) \
                else {arg.label if isinstance(arg, sp.IndexedBase) else arg}
            for atom in sorted(atoms, key=str) if len(atoms) > 1 else atoms:
                if str(atom) in values and str(atom) not in order:
                    order.append(str(atom))
    return order + sorted(set(values) - set(order))


# -- parameters -----------------------------------------------------------------------
def _strategies():
    try:
        from hypothesis import strategies
    except ImportError:
        raise ImportError("symkl.testing.parameters needs hypothesis: pip install hypothesis "
                          "(it comes with symkl[test])") from None
    return strategies


def _scalar(st, constraint=None, symbol=None):
    """Floats (or ints) for one parameter, by its constraint or else its Symbol's assumptions."""
    integer = constraint is POSITIVE_INTEGER or (symbol is not None and symbol.is_integer)
    if integer:
        return st.integers(1, 10)
    if constraint is OPEN_UNIT_INTERVAL:
        return st.floats(0.001, 0.999)
    positive = (constraint.assumptions if constraint else ()) == (("positive", True),) \
        or (symbol is not None and symbol.is_positive)
    return st.floats(0.1, 10) if positive else st.floats(-10, 10)


def _values(st, family):
    """A strategy for ``{key: value}`` (keys: Symbols, IndexedBase labels, MatrixSymbols)."""
    if isinstance(family, Categorical):
        return _categorical(st, family)
    if isinstance(family, MultivariateNormal):
        return _multivariate_normal(st, family)
    if any(isinstance(a, sp.IndexedBase) for a in family.args):
        return _indexed(st, family)
    return _by_symbol(st, family)


def _by_symbol(st, family):
    """Each free Symbol on its own: by the parameter's constraint where it is the parameter."""
    constraints = {arg: p.constraint for p, arg in zip(family.parameters, family.args)
                   if isinstance(arg, sp.Symbol)}
    symbols = sorted(family.free_symbols, key=str)
    return st.fixed_dictionaries({s: _scalar(st, constraints.get(s), s) for s in symbols})


def _dimension(st, size, least=1):
    """A strategy for the number of coordinates: drawn if symbolic, else that number."""
    return st.integers(least, 4) if isinstance(size, sp.Symbol) else st.just(int(size))


def _indexed(st, family):
    """Symbolic-length families: the length first, then a list for each IndexedBase."""
    size = _size(family)
    least = 2 if type(family).__name__ == "Dirichlet" else 1

    def for_length(n):
        entries = {a.label: st.lists(_scalar(st, symbol=a.label), min_size=n, max_size=n)
                   for a in family.args if isinstance(a, sp.IndexedBase)}
        if isinstance(size, sp.Symbol):
            entries[size] = st.just(n)
        return st.fixed_dictionaries(entries)

    return _dimension(st, size, least).flatmap(for_length)


def _simplex(st, n):
    """n probabilities summing to 1: positive weights, normalized."""
    return st.lists(st.floats(0.01, 1), min_size=n, max_size=n).map(
        lambda weights: [w / sum(weights) for w in weights])


def _categorical(st, family):
    if family.indexed:
        base, size = family.args
        return _dimension(st, size, 2).flatmap(lambda n: st.fixed_dictionaries(
            {base.label: _simplex(st, n), **({size: st.just(n)} if isinstance(size, sp.Symbol) else {})}))
    named = [p for p in family.args if isinstance(p, sp.Symbol)]
    if not all(isinstance(p, sp.Symbol) or p.is_number for p in family.args):  # expressions: draw, filter
        return st.fixed_dictionaries({s: st.floats(0.001, 0.999) for s in sorted(family.free_symbols, key=str)})
    mass = 1 - sum(float(p) for p in family.args if not isinstance(p, sp.Symbol))
    return _simplex(st, len(named)).map(lambda probs: {s: mass * v for s, v in zip(named, probs)})


def _covariance(st, k):
    """A k × k positive-definite matrix A·Aᵀ + εI, as a list of lists."""
    def build(drawn):
        a, epsilon = drawn
        return [[sum(a[i][m] * a[j][m] for m in range(k)) + (epsilon if i == j else 0)
                 for j in range(k)] for i in range(k)]
    row = st.lists(st.floats(-2, 2), min_size=k, max_size=k)
    return st.tuples(st.lists(row, min_size=k, max_size=k), st.floats(0.1, 1)).map(build)


def _multivariate_normal(st, family):
    if family.symbolic_form:
        mean, cov, size = family.args

        def for_size(k):
            entries = {mean: st.lists(st.floats(-10, 10), min_size=k, max_size=k), cov: _covariance(st, k)}
            return st.fixed_dictionaries({**entries, **({size: st.just(k)} if isinstance(size, sp.Symbol) else {})})

        return _dimension(st, size).flatmap(for_size)
    mean, cov = family.args
    if not all(isinstance(c, sp.Symbol) for c in cov):  # some entries fixed: draw, then filter
        return _by_symbol(st, family)
    k = cov.rows
    means = {s: st.floats(-10, 10) for s in sorted(sp.sympify(mean).free_symbols, key=str)}

    def assign(drawn):
        located, matrix = drawn
        return {**located, **{cov[i, j]: matrix[i][j] for i in range(k) for j in range(k)}}

    return st.tuples(st.fixed_dictionaries(means), _covariance(st, k)).map(assign)

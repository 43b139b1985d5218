"""Pictures: where a divergence comes from, and how its two directions differ.

:func:`plot_result` draws p and q and the integrand p·log(p/q), whose area is
KL(p‖q); :func:`plot_asymmetry` draws KL(p‖q) and KL(q‖p) against one
parameter.  Both return a matplotlib ``Figure`` that is not registered with
pyplot: Jupyter displays it, ``fig.savefig`` writes it, and passing ``ax``
draws into an Axes of your own (``ax=plt.gca()`` for ``plt.show()``).
matplotlib is imported only here, when a picture is drawn
(``pip install symkl[plot]``).

Densities are computed from the families' log-densities, never from a closed
form, so a picture is an independent look at the derivation.

Examples
--------
>>> from symkl import Normal, asymmetry, kl
>>> from symkl.plot import plot_asymmetry, plot_result
>>> fig = plot_result(kl(Normal(0, 1), Normal(1, 2)))
>>> [ax.get_ylabel() for ax in fig.axes]
['density', 'p·log(p/q)']
>>> fig = plot_asymmetry(asymmetry(Normal(), Normal()), "sigma_2", (0.1, 10),
...                      values={"mu_1": 0, "sigma_1": 1, "mu_2": 0})
>>> [line.get_label() for line in fig.axes[0].get_lines()]
['D_KL(Normal(0, 1) ‖ Normal(0, sigma_2))', 'D_KL(Normal(0, sigma_2) ‖ Normal(0, 1))', 'equal at sigma_2 = 1']
"""
from __future__ import annotations

import functools
import math

import mpmath
import sympy as sp

from .errors import InvalidInput
from .families.base import as_expression, shown

#: points at which a continuous density or an asymmetry curve is drawn, and a window searched
_CONTINUOUS_POINTS, _CURVE_POINTS, _SEARCH_POINTS = 1201, 200, 301
#: a window holds p's mass but _TAIL in each tail, q's but _MIDDLE, widened by _PAD on each side
_TAIL, _MIDDLE, _PAD = 0.005, 0.05, 0.25
#: the most points of a discrete support drawn, and the mass they must hold
_MOST_POINTS, _DISCRETE_MASS = 2000, 0.999
#: colours of p, q, and of positive and negative parts of the integrand
_P, _Q, _MORE, _LESS, _NONE = "tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple"
#: what is integrated for each kind of result, and its label
_INTEGRANDS = {
    "kl": (lambda p, q, lp, lq: p * (lp - lq), "p·log(p/q)"),
    "cross_entropy": (lambda p, q, lp, lq: -p * lq, "−p·log q"),
    "entropy": (lambda p, q, lp, lq: -p * lp, "−p·log p"),
}


def plot_result(result, values=None, ax=None):
    """p and q, and the integrand whose area is the divergence (or entropy).

    Parameters
    ----------
    result : Result
        A univariate KL, cross-entropy or entropy (continuous or discrete families).
    values : dict, optional
        Values for its parameters, by name; every parameter needs one (a
        result of numeric families needs none).
    ax : Axes or pair of Axes, optional
        Where to draw: one Axes holds everything, a pair holds the densities and
        the integrand; by default a new figure with two panels.

    Returns
    -------
    matplotlib.figure.Figure
        Densities on top (lines, or bars for a discrete family); below, the
        integrand filled green where it adds to the divergence and red where it
        takes away (for KL: where p > q, and where p < q), and hatched purple
        where p has mass and q has none (there KL is ∞).

    Examples
    --------
    >>> from symkl import Normal, Poisson, kl
    >>> fig = plot_result(kl(Normal(), Normal()), {"mu_1": 0, "sigma_1": 1, "mu_2": 1, "sigma_2": 2})
    >>> fig.axes[0].get_title()
    'D_KL(Normal(0, 1) ‖ Normal(1, 2)) = 0.4431'
    >>> fig = plot_result(kl(Poisson(3), Poisson(5)))
    >>> [c.get_label() for c in fig.axes[0].containers]
    ['p = Poisson(3)', 'q = Poisson(5)']
    """
    numeric = result.subs(values) if values else result
    families = (numeric.p,) if numeric.q is None else (numeric.p, numeric.q)
    _check_univariate(families)
    missing = sorted(set().union(*(f.free_symbols for f in families)), key=str)
    if missing:
        raise InvalidInput(f"plot_result needs a value for every parameter; missing: "
                         f"{', '.join(map(str, missing))}")
    top, bottom = _panels(ax)
    discrete = families[0].discrete
    xs = _integers(families) if discrete else _grid(families)
    logs = [[_log_density(f, x, discrete) for x in xs] for f in families]
    densities = [[_exp(v) for v in log] for log in logs]
    if discrete:
        width = 0.8 / len(families)
        for i, (family, density, colour) in enumerate(zip(families, densities, (_P, _Q))):
            top.bar([x + (i - (len(families) - 1) / 2) * width for x in xs], density, width,
                    color=colour, alpha=0.8, label=f"{'pq'[i]} = {family!r}")
    else:
        for i, (family, density, colour) in enumerate(zip(families, densities, (_P, _Q))):
            top.plot(xs, density, color=colour, label=f"{'pq'[i]} = {family!r}")
    _draw_integrand(bottom, numeric, xs, densities, logs, discrete)
    _clip_singular_ends(top, xs, densities)
    top.set_ylabel("density" if not discrete else "probability")
    top.legend(loc="best")
    top.set_title(_title(numeric))
    return top.figure


def plot_asymmetry(asymmetry, vary, over, values=None, ax=None):
    """KL(p‖q) and KL(q‖p) against one parameter, the others fixed.

    Parameters
    ----------
    asymmetry : Asymmetry
        Both directions, from :func:`symkl.asymmetry`.
    vary : str
        The name of the parameter along the x axis.
    over : (float, float)
        Its range; taken on a logarithmic scale when it spans more than two decades.
    values : dict, optional
        Values for every other parameter, by name.
    ax : Axes, optional
        Where to draw; by default a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        Both directions evaluated from their closed forms at 200 points, the gap
        between them shaded, stretches where one is ∞ hatched in its colour, and a
        dashed line where they coincide (from ``equal_when``) if that falls in the range.

    Examples
    --------
    >>> from symkl import Exponential, asymmetry
    >>> fig = plot_asymmetry(asymmetry(Exponential(), Exponential()), "rate_2", (0.01, 100),
    ...                      values={"rate_1": 1})
    >>> fig.axes[0].get_xscale(), fig.axes[0].get_xlabel()
    ('log', 'rate_2')
    """
    forward, reverse = (r.subs(values) if values else r for r in (asymmetry.forward, asymmetry.reverse))
    symbols = {str(s): s for s in forward.free_symbols | reverse.free_symbols}
    if vary not in symbols:
        raise InvalidInput(f"no parameter named {vary!r} to vary; parameters: "
                           f"{', '.join(sorted(symbols)) or 'none'}")
    others = sorted(set(symbols) - {vary})
    if others:
        raise InvalidInput(f"plot_asymmetry needs a value for every parameter but {vary}; "
                           f"missing: {', '.join(others)}")
    symbol = symbols[vary]
    if symbol.is_integer:
        raise InvalidInput(f"{vary} is a whole number (a count or a dimension), not a parameter "
                           f"to vary over a range")
    lo, hi = _range(over)
    for family in (forward.p, forward.q):  # the family says if an end is no valid value
        family.subs({symbol: sp.Float(lo)}), family.subs({symbol: sp.Float(hi)})
    logarithmic = lo > 0 and hi / lo > 100
    xs = _spaced(lo, hi, _CURVE_POINTS, logarithmic)
    axes = _single(ax)
    curves = [_curve(r.expr, symbol, xs) for r in (forward, reverse)]
    for r, curve, colour in zip((forward, reverse), curves, (_P, _Q)):
        axes.plot(xs, curve, color=colour, label=r.lhs_text())
    axes.fill_between(xs, *curves, color="0.5", alpha=0.1, linewidth=0)
    for r, curve, colour in zip((forward, reverse), curves, (_P, _Q)):
        infinite = [v == math.inf for v in curve]
        for a, b in _stretches(xs, infinite, False):
            axes.axvspan(a, b, color=colour, alpha=0.1, hatch="//", linewidth=0)
        if any(infinite):
            axes.plot([], [], color=colour, alpha=0.3, linewidth=6, label=f"{r.lhs_text()} = ∞")
    crossing = _coincidence(asymmetry.equal_when, symbol, values, lo, hi)
    if crossing is not None:
        axes.axvline(crossing, color="0.3", linestyle="--", linewidth=1,
                     label=f"equal at {vary} = {crossing:g}")
    if logarithmic:
        axes.set_xscale("log")
    axes.set_xlabel(vary)
    axes.set_ylabel(f"divergence ({_unit(forward.base)})")
    axes.set_ylim(bottom=0)
    axes.legend()
    return axes.figure


# -- shared ---------------------------------------------------------------------------
def _figure():
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("symkl's pictures need matplotlib: pip install symkl[plot]") from None
    return Figure(figsize=(7, 5.5), layout="constrained")


def _panels(ax):
    """(axes for the densities, axes for the integrand)."""
    if ax is None:
        top, bottom = _figure().subplots(2, 1, sharex=True, height_ratios=[3, 2])
        return top, bottom
    if isinstance(ax, (list, tuple)):
        top, bottom = ax
        return top, bottom
    return ax, ax


def _single(ax):
    return _figure().subplots() if ax is None else ax


def _unit(base) -> str:
    return {sp.E: "nats", sp.Integer(2): "bits"}.get(base, f"log base {base}")


def _range(over) -> tuple:
    """(low, high) as floats, finite and increasing, else InvalidInput."""
    if not isinstance(over, (list, tuple)) or len(over) != 2:
        raise InvalidInput(f"over must be a range (low, high) of two numbers, got {shown(over)}")
    ends = [as_expression("each end of over", v, "a number") for v in over]
    lo, hi = (float(sp.Float(e)) if e.is_number else math.nan for e in ends)
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise InvalidInput(f"over must be an increasing range (low, high) of numbers within a "
                           f"float's range, got {shown(over)}")
    return lo, hi


def _spaced(lo, hi, count, logarithmic=False) -> list:
    if logarithmic:
        a, b = math.log(lo), math.log(hi)
        return [math.exp(a + (b - a) * i / (count - 1)) for i in range(count)]
    return [lo + (hi - lo) * i / (count - 1) for i in range(count)]


# -- plot_result ----------------------------------------------------------------------
def _check_univariate(families):
    for family in families:
        if family.multivariate:
            raise InvalidInput(f"plot_result draws distributions of one variable; {family!r} is "
                               f"a random vector; plot one of its marginals")


def _title(result) -> str:
    value = sp.N(result.expr, 6) if result.expr.is_number else result.expr
    shown = "∞" if value == sp.oo else (f"{float(value):.4g}" if value.is_number else sp.sstr(value))
    unit = "" if result.base == sp.E else f" {_unit(result.base)}"
    return f"{result.lhs_text()} = {shown}{unit}"


def _log_density(family, x, discrete) -> float:
    """log p(x) as a float: −∞ off the support or where p vanishes, nan where undefined."""
    support = family.support
    if discrete:
        if not support.contains(x) is sp.true:
            return -math.inf
        value = sp.N(family.log_density(sp.Integer(x)))
    else:
        lo, hi = float(support.inf), float(support.sup)
        if not lo <= x <= hi:
            return -math.inf
        value = _compiled(family)(mpmath.mpf(x))
    try:
        value = complex(value)
    except (TypeError, ValueError):
        return math.nan
    return value.real if value.imag == 0 else math.nan


def _exp(y: float) -> float:
    """e^y, ∞ past a float's range (a density near an integrable singularity)."""
    return math.exp(y) if y < 700 else math.inf


@functools.lru_cache(maxsize=16)
def _compiled(family):
    """An mpmath function x ↦ log p(x) of a numeric continuous family."""
    x = family.variable()
    return sp.lambdify(x, family.log_density(x), "mpmath")


def _draw_integrand(axes, result, xs, densities, logs, discrete):
    integrand, label = _INTEGRANDS[result.kind]
    scale = 1 / float(sp.log(result.base))
    p, lp = densities[0], logs[0]
    q, lq = (densities[1], logs[1]) if len(densities) > 1 else (p, lp)
    values, nowhere = [], []
    for pi, qi, lpi, lqi in zip(p, q, lp, lq):
        if pi > 0 and lqi == -math.inf:  # p has mass where q has none: log q = −∞
            values.append(math.nan)
            nowhere.append(True)
        else:
            values.append(integrand(pi, qi, lpi, lqi) * scale if pi > 0 else 0.0)
            nowhere.append(False)
    if discrete:
        colours = [_NONE if n else (_MORE if v >= 0 else _LESS) for v, n in zip(values, nowhere)]
        axes.bar(xs, [0 if n else v for v, n in zip(values, nowhere)], 0.8, color=colours, alpha=0.7,
                 label=label)
    else:
        axes.plot(xs, values, color="0.2", linewidth=1, label=label)
        filled = [0 if v != v else v for v in values]
        axes.fill_between(xs, filled, 0, where=[v >= 0 for v in filled], color=_MORE, alpha=0.35,
                          interpolate=True)
        axes.fill_between(xs, filled, 0, where=[v < 0 for v in filled], color=_LESS, alpha=0.35,
                          interpolate=True)
    if any(nowhere):
        # where p has mass and q none, the integrand is +∞: shade those stretches
        for a, b in _stretches(xs, nowhere, discrete):
            axes.axvspan(a, b, color=_NONE, alpha=0.2, hatch="//", linewidth=0)
        axes.plot([], [], color=_NONE, alpha=0.4, linewidth=6, label="q = 0 < p: +∞")
    if not discrete:
        _clip_singular_ends(axes, xs, [[v for v in values if v == v]], bottom=None)
    axes.axhline(0, color="0.6", linewidth=0.8)
    axes.set_ylabel(label)
    axes.set_xlabel("x")
    axes.legend(loc="best")


def _clip_singular_ends(axes, xs, curves, bottom=0):
    """A y range that shows the body of the curves when they shoot up at an end of the window
    (a density like x^(−1/2) at 0): the largest value off the ends' last 2 % sets the top."""
    edge = max(1, len(xs) // 50)
    tops = []
    for curve in curves:
        finite = [v for v in curve if math.isfinite(v)]
        if not finite:
            continue
        body = [v for v in curve[edge:-edge] if math.isfinite(v)] or finite
        tops.append((max(finite), max(body)))
    if tops and any(whole > 3 * body for whole, body in tops):
        top = 1.5 * max(body for _, body in tops)
        low = min(min(v for v in c if math.isfinite(v)) for c in curves if c) if bottom is None else bottom
        axes.set_ylim(max(low, -top) * 1.1 if low < 0 else low, top)


def _stretches(xs, flags, discrete):
    """Runs of consecutive flagged points, as (start, end) on the x axis."""
    runs, start = [], None
    for i, flag in enumerate(list(flags) + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            half = 0.5 if discrete else 0
            runs.append((xs[start] - half, xs[i - 1] + half))
            start = None
    return runs


def _grid(families) -> list:
    """Points across the bulk of p (its mass but _TAIL in each tail) and the middle of q."""
    lo = min(float(f.support.inf) for f in families)
    hi = max(float(f.support.sup) for f in families)
    anchors = sorted({float(v) for f in families for v in [*f.landmarks(), f.support.inf, f.support.sup]
                      if sp.sympify(v).is_finite and lo <= float(v) <= hi})
    a, b = (anchors[0], anchors[-1]) if anchors else (max(lo, -1.0), min(hi, 1.0))
    if a == b:
        a, b = max(lo, a - 1), min(hi, b + 1)
    for _ in range(40):  # widen while a density is still high at an edge the support does not end at
        xs = _search_points(a, b, lo, hi, anchors)
        curves = [_densities(f, xs) for f in families]
        width = b - a
        widen_left = a > lo and any(c[0] > 1e-3 * max(c) for c in curves)
        widen_right = b < hi and any(c[-1] > 1e-3 * max(c) for c in curves)
        if not (widen_left or widen_right):
            break
        a = max(lo, a - width) if widen_left else a
        b = min(hi, b + width) if widen_right else b
    for _ in range(3):  # narrow to the bulk, finer each time
        ends = [_quantiles(xs, c, tail) for c, tail in zip(curves, (_TAIL, _MIDDLE)) if any(c)]
        if not ends:
            break
        left, right = min(e[0] for e in ends), max(e[1] for e in ends)
        pad = _PAD * (right - left) or 1.0
        a, b = max(lo, left - pad), min(hi, right + pad)
        xs = _search_points(a, b, lo, hi, anchors)
        curves = [_densities(f, xs) for f in families]
    inner = [x for x in anchors if a < x < b]
    return sorted(set(_interior(a, b, lo, hi, _CONTINUOUS_POINTS)) | set(inner))


def _search_points(a, b, lo, hi, anchors) -> list:
    """Evenly spaced points from a to b, geometrically spaced ones too where [a, b] spans
    decades above 0 (a LogNormal's bulk is a sliver of its landmarks' range), and the anchors."""
    xs = set(_interior(a, b, lo, hi, _SEARCH_POINTS)) | {x for x in anchors if a < x < b}
    if a >= 0 and b > 0:
        start = max(a, b * 1e-8)
        if b / start > 100:
            xs |= set(_spaced(start, b, _SEARCH_POINTS, logarithmic=True)[1:-1])
    return sorted(xs)


def _densities(family, xs) -> list:
    """p(x) at each point, 0 where it is not a finite number (an endpoint singularity)."""
    values = [_exp(_log_density(family, x, False)) for x in xs]
    return [v if math.isfinite(v) else 0.0 for v in values]


def _interior(a, b, lo, hi, count) -> list:
    """Evenly spaced points from a to b, an end of the support moved in a hair (a density may be ∞ there)."""
    xs = _spaced(a, b, count)
    step = (b - a) / (count - 1)
    if xs[0] == lo:
        xs[0] = lo + step / 100
    if xs[-1] == hi:
        xs[-1] = hi - step / 100
    return xs


def _quantiles(xs, density, tail):
    """Where the mass (trapezoids) passes ``tail`` and 1 − ``tail``."""
    cumulative = [0.0]
    for i in range(1, len(xs)):
        cumulative.append(cumulative[-1] + (density[i] + density[i - 1]) * (xs[i] - xs[i - 1]) / 2)
    total = cumulative[-1] or 1.0
    left = next(x for x, c in zip(xs, cumulative) if c >= tail * total)
    right = next(x for x, c in zip(xs, cumulative) if c >= (1 - tail) * total)
    return left, right


def _integers(families) -> list:
    """The points of the supports, or of their bulk where a support is infinite."""
    points = set()
    for family in families:
        support = family.support
        if isinstance(support, sp.FiniteSet):
            points |= {int(k) for k in support}
            continue
        k, mass = int(support.inf), 0.0
        while mass < _DISCRETE_MASS and len(points) < _MOST_POINTS:
            mass += _exp(_log_density(family, k, True))
            points.add(k)
            k += 1
    return sorted(points)


# -- plot_asymmetry -------------------------------------------------------------------
def _curve(expr, symbol, xs) -> list:
    """expr along symbol = x for each x, as floats: inf for ∞, nan where undefined."""
    function = sp.lambdify(symbol, expr, "mpmath")
    values = []
    for x in xs:
        try:
            value = complex(function(mpmath.mpf(x)))
        except (TypeError, ValueError, ZeroDivisionError):
            value = complex(math.nan)
        values.append(value.real if value.imag == 0 else math.nan)
    return values


def _coincidence(condition, symbol, values, lo, hi):
    """Where ``condition`` (from equal_when) holds along the range, if at one point in it."""
    if not isinstance(condition, (sp.Eq, sp.And)):
        return None
    fixed = {k: v for k, v in _named(values, condition).items()}
    condition = condition.xreplace(fixed)
    equations = [c for c in sp.And.make_args(condition) if isinstance(c, sp.Eq) and c.has(symbol)]
    if len(equations) != 1:
        return None
    roots = [r for r in sp.solve(equations[0], symbol) if r.is_number]
    for root in roots:
        if condition.xreplace({symbol: root}) is sp.true and lo <= float(root) <= hi:
            return float(root)
    return None


def _named(values, expr) -> dict:
    symbols = {str(s): s for s in expr.free_symbols}
    return {symbols[str(k)]: as_expression(str(k), v) for k, v in dict(values or {}).items()
            if str(k) in symbols}

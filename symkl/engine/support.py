"""Where p puts mass that q does not: the first step of every divergence."""
import sympy as sp

from ..families.vectors import Counts


def support_condition(p, q):
    """The condition for supp p ⊆ supp q (up to measure zero), and why it can fail.

    >>> from symkl import Exponential, Normal
    >>> support_condition(Normal(), Exponential())
    (False, 'supp p = ℝ is not contained in supp q = [0, ∞): p has mass where q has none')
    """
    if p.discrete != q.discrete:
        kinds = ("discrete", "continuous") if p.discrete else ("continuous", "discrete")
        return sp.false, (f"p is {kinds[0]} and q is {kinds[1]}: p is not absolutely "
                          f"continuous with respect to q")
    sp_, sq = p.support, q.support
    if _without_gaps(sq, p.discrete):
        contained = sp.And(sp.Le(sq.inf, sp_.inf), sp.Le(sp_.sup, sq.sup))
    else:
        contained = sp_.is_subset(sq)
        if contained is None:
            raise ValueError(f"cannot decide whether supp p = {sp_} lies in supp q = {sq}")
        contained = sp.sympify(contained)
    if contained == sp.true:
        return contained, None
    if _finite(sp_) and _finite(sq):
        missing = sp.FiniteSet(*sorted(set(sp_) - set(sq)))
        return contained, f"p has mass at {missing}, where q has none"
    return contained, (f"supp p = {_show(sp_)} is not contained in supp q = {_show(sq)}: "
                       f"p has mass where q has none")


def _without_gaps(support, discrete) -> bool:
    """An interval, or (discrete) a run of consecutive integers: inside means between the ends."""
    if not discrete:
        return isinstance(support, sp.Interval)
    if isinstance(support, sp.Range):
        return support.step == 1
    points = sorted(support) if isinstance(support, sp.FiniteSet) else None
    return bool(points) and all(b - a == 1 for a, b in zip(points, points[1:]))


def _finite(support) -> bool:
    """A finite set of points, or a range of integers with numeric ends."""
    if isinstance(support, sp.FiniteSet):
        return True
    return isinstance(support, sp.Range) and support.inf.is_Integer and support.sup.is_Integer


def _show(s):
    if isinstance(s, sp.Range):
        return f"{{{sp.sstr(s.inf)}, …, {sp.sstr(s.sup)}}}"
    return sp.pretty(s, use_unicode=True)


def finite_points(support):
    """The points of a support that is a finite set of numbers (Bernoulli's {0, 1}, a
    Binomial with n given), else None."""
    if not (isinstance(support, (sp.FiniteSet, sp.Range)) and support.is_finite_set
            and all(k.is_number for k in (support.inf, support.sup))):
        return None
    return set(support)


def point_masses(p, q, most: int):
    """[(p's mass, q's mass)] at each point of supp p ∪ supp q, where both supports are
    finite sets of numbers, or the counts of a multinomial with n and K given, of at most
    ``most`` points in all; else None."""
    if isinstance(p.support, Counts) and isinstance(q.support, Counts):
        sets = [set(d.support.points()) if d.support.n.is_Integer and d.support.k.is_Integer
                else None for d in (p, q)]
        inside = lambda d, k: d.support.contains(k)
        at = sp.ImmutableMatrix
    else:
        sets = [finite_points(d.support) for d in (p, q)]
        inside = lambda d, k: k in d.support
        at = lambda k: k
    if None in sets or len(sets[0] | sets[1]) > most:
        return None
    mass = lambda d, k: sp.exp(d.log_density(at(k))) if inside(d, k) else sp.S.Zero
    return [(mass(p, k), mass(q, k)) for k in sorted(sets[0] | sets[1])]

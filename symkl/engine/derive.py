"""KL divergence, entropy and cross-entropy, derived from the densities.

    KL(p‖q) = H(p, q) − H(p) = E_p[log p(X) − log q(X)]

1. support: supp p ⊄ supp q gives ∞ (a Piecewise when parameters decide);
2. decompose the log-density (ratio) into statistics: c₀ + Σ c_k t_k(x);
3. take E_p[t_k(X)] by the rules of :mod:`symkl.engine.expectation`;
4. assemble and write canonically (:mod:`symkl.engine.simplify`);
5. record each step.

The derivation is done once for *twins* of p and q with fresh Symbols for
every parameter, cached by their content (log-density and support, see
``Distribution.content``), then the actual parameters are substituted:
numbers in give exact numbers out.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass

import sympy as sp

from .. import notation
from ..errors import InternalError, InvalidInput, InvalidType, SymklError, Unsupported
from .budget import OutOfTime, clock, proportioned, share, within
from .decompose import decompose
from .expectation import LOG_SERIES, UNEVALUATED, expectation, log_series_remainder
from ..families import Distribution
from ..families.mixture import Mixture
from ..families.product import Independent
from ..families.sympy_stats import as_distribution
from ..families.base import as_expression, check_names, shown
from ..kinds import KINDS
from ..result import Result, Step
from .matrix_forms import canonical_form
from . import crossings, generator, mixture
from .power import as_powers, log_power_integral
from .simplify import _pruned, at_the_one_value, divergent_sums
from .support import support_condition
from .tails import convergence
from ..numeric.evaluation import numeric_value

#: M, the number of terms an infinite series is cut after, and R̄_M, a bound on the absolute
#: value of what the cut misses (a derivation's step REMAINDER: R̄_M = a function of M)
TERMS = sp.Symbol("M", integer=True, positive=True)
REMAINDER_SYMBOL = sp.Symbol("Rbar_M", nonnegative=True)
REMAINDER = "a bound on the remainder after M terms"

#: seconds (of CPU) a derivation may take before it returns what it has
DEFAULT_BUDGET = 20.0
#: the most seconds a budget may give (about 11.6 days): more is no budget at all, and the
#: system's timers overflow somewhere beyond
LONGEST_BUDGET = 1e6


@dataclass(frozen=True)
class Derivation:
    """What the engine found for one (kind, p, q): the parts of a Result."""

    expr: sp.Expr
    steps: tuple
    closed_form: bool
    reason: str | None = None
    bounds: tuple | None = None  # (lower, upper) of a value not in closed form

    def at(self, mapping, seconds: float) -> "Derivation":
        """The derivation at actual parameter values, re-simplified within ``seconds``.

        Past the budget (huge exact numbers, say) the values are put in unevaluated.
        """
        if not mapping or all(k == v for k, v in mapping.items()):
            return self
        steps = tuple(s.xreplace(mapping) for s in self.steps)
        bounds = None if self.bounds is None else tuple(b.xreplace(mapping) for b in self.bounds)
        try:
            expr = within(seconds, self.expr.xreplace, mapping)
            if expr == self.expr:
                return Derivation(expr, steps, self.closed_form, self.reason, bounds)
            if expr.is_number and expr.has(sp.Sum):
                simplified = _summed(expr)
            else:
                simplified = within(seconds, canonical_form, expr)
        except OutOfTime:
            with sp.evaluate(False):
                expr = self.expr.xreplace(mapping)
            simplified = divergent_sums(expr)
        # a branch left open for other parameters may be gone here (Weibull with one shape)
        closed = self.closed_form or not _open(simplified)
        if all(isinstance(v, (sp.Symbol, sp.IndexedBase, sp.MatrixSymbol)) for v in mapping.values()):
            return Derivation(simplified, steps, closed, self.reason, bounds)  # names only
        step = Step("at the given parameters", sp.Eq(self.expr, expr, evaluate=False))
        return Derivation(simplified, steps + (step,), closed, self.reason, bounds)


def _open(expr) -> bool:
    """Whether ``expr`` holds something not in closed form: an integral, an infinite sum, a
    divergence written only by its symbol."""
    from ..notation import _Notation
    return expr.has(sp.Integral) or any(isinstance(a, _Notation) for a in sp.preorder_traversal(expr)) \
        or any(not upper.is_finite for s in expr.atoms(sp.Sum) for _, _, upper in s.limits)


def _summed(number):
    """A number holding sums: those of at most a thousand terms added up exactly, longer
    ones left for numeric evaluation (a thousand exact terms are no closed form)."""
    short = lambda s: isinstance(s, sp.Sum) and all(
        (upper - lower).is_number and upper - lower < 1000 for _, lower, upper in s.limits)
    return number.replace(short, lambda s: s.doit())


def kl(p, q, *, base=sp.E, budget: float = DEFAULT_BUDGET) -> Result:
    """KL(p‖q), the Kullback–Leibler divergence of q from p, derived in closed form.

    Parameters
    ----------
    p, q : Distribution or str
        The two distributions (a family name gives the family with symbols).
    base : number, default e
        Logarithm base: e gives nats, 2 gives bits.
    budget : float
        Seconds (of CPU) the derivation may take before it settles for what it has.
        Each sympy step's own cap (an integral's, a limit's) scales with it: twice the
        default budget gives every step twice its seconds.

    Examples
    --------
    >>> from symkl import Normal, kl
    >>> kl(Normal(), Normal()).expr
    log(sigma_2/sigma_1) - 1/2 + (sigma_1**2 + (mu_1 - mu_2)**2)/(2*sigma_2**2)
    >>> kl(Normal(0, 1), Normal(1, 2)).expr
    -1/4 + log(2)
    """
    p, q = _pair(p, q)
    return derive("kl", p, q, base=base, budget=budget)


def cross_entropy(p, q, *, base=sp.E, budget: float = DEFAULT_BUDGET) -> Result:
    """H(p, q) = −E_p[log q(X)], the cross-entropy of q relative to p.

    >>> from symkl import Exponential, cross_entropy
    >>> cross_entropy(Exponential(), Exponential()).expr
    -log(rate_2) + rate_2/rate_1
    """
    p, q = _pair(p, q)
    return derive("cross_entropy", p, q, base=base, budget=budget)


def entropy(p, *, base=sp.E, budget: float = DEFAULT_BUDGET) -> Result:
    """H(p) = −E_p[log p(X)], the (differential) entropy of p.

    >>> from symkl import Normal, entropy
    >>> entropy(Normal()).expr
    log(2*E*pi*sigma**2)/2
    >>> entropy(Normal(), base=2).expr
    log(2*E*pi*sigma**2)/(2*log(2))
    """
    p = as_distribution(p)
    return derive("entropy", p, base=base, budget=budget)


def renyi(p, q, alpha, *, base=sp.E, budget: float = DEFAULT_BUDGET) -> Result:
    """D_α(p‖q) = log(∫ p^α q^{1−α}) / (α − 1), Rényi's divergence of order α.

    ``alpha`` is a number, a name or a Symbol, α > 0 and α ≠ 1 (as α → 1 it
    tends to KL(p‖q)).  For 0 < α < 1 it is finite wherever p and q share
    their support; for α > 1 it may be ∞, a Piecewise says where.

    >>> from symkl import Exponential, renyi
    >>> renyi(Exponential(), Exponential(), "alpha").expr
    Piecewise(((alpha*log(rate_1/rate_2) + log(rate_2/(alpha*rate_1 - alpha*rate_2 + rate_2)))/(alpha - 1), (alpha < 1) | (alpha*rate_1 - alpha*rate_2 + rate_2 > 0)), (oo, True))
    """
    p, q = _pair(p, q)
    return derive("renyi", p, q, base=base, budget=budget, order=as_order(alpha))


def alpha_divergence(p, q, alpha, *, budget: float = DEFAULT_BUDGET) -> Result:
    """Amari's α-divergence (1 − ∫ p^α q^{1−α}) / (α(1 − α)), for α > 0, α ≠ 1."""
    p, q = _pair(p, q)
    return derive("alpha_divergence", p, q, budget=budget, order=as_order(alpha))


def bhattacharyya(p, q, *, base=sp.E, budget: float = DEFAULT_BUDGET) -> Result:
    """The Bhattacharyya distance D_B = −log ∫ √(p q) (half of D_½).

    >>> from symkl import Normal, bhattacharyya
    >>> bhattacharyya(Normal(0, 1), Normal(1, 1)).expr
    1/8
    """
    p, q = _pair(p, q)
    return derive("bhattacharyya", p, q, base=base, budget=budget)


def squared_hellinger(p, q, *, budget: float = DEFAULT_BUDGET) -> Result:
    """The squared Hellinger distance H² = 1 − ∫ √(p q) = ½ ∫ (√p − √q)²."""
    p, q = _pair(p, q)
    return derive("squared_hellinger", p, q, budget=budget)


def chi_square(p, q, *, budget: float = DEFAULT_BUDGET) -> Result:
    """Pearson's χ²(p‖q) = ∫ (p − q)²/q = ∫ p²/q − 1; ∞ where p²/q is not integrable."""
    p, q = _pair(p, q)
    return derive("chi_square", p, q, budget=budget)


def jeffreys(p, q, *, base=sp.E, budget: float = DEFAULT_BUDGET) -> Result:
    """Jeffreys' divergence J(p, q) = KL(p‖q) + KL(q‖p), symmetric in p and q."""
    p, q = _pair(p, q)
    return derive("jeffreys", p, q, base=base, budget=budget)


def total_variation(p, q, *, budget: float = DEFAULT_BUDGET) -> Result:
    """The total variation distance TV(p, q) = ½ ∫ |p − q| = sup_A |P(A) − Q(A)|, in [0, 1].

    Closed from the CDFs at the points where p and q cross, where those can be solved.

    >>> from symkl import Exponential, total_variation
    >>> total_variation(Exponential(1), Exponential(2)).expr
    1/4
    """
    p, q = _pair(p, q)
    return derive("total_variation", p, q, budget=budget)


def jensen_shannon(p, q, *, base=sp.E, budget: float = DEFAULT_BUDGET) -> Result:
    """The Jensen–Shannon divergence ½ KL(p‖m) + ½ KL(q‖m), m = (p + q)/2, in [0, log 2].

    Exact over finite supports; elsewhere numeric, with ``bounds`` = (0, min(log 2, J/4)).

    >>> from symkl import Categorical, Normal, jensen_shannon
    >>> jensen_shannon(Categorical([1, 0]), Categorical([0, 1]), base=2).expr
    1
    >>> jensen_shannon(Normal(0, 1), Normal(1, 1)).bounds
    (0, 1/4)
    """
    p, q = _pair(p, q)
    return derive("jensen_shannon", p, q, base=base, budget=budget)


def f_divergence(p, q, f, *, budget: float = DEFAULT_BUDGET) -> Result:
    """The f-divergence D_f(p‖q) = E_q[f(p/q)] for a convex f with f(1) = 0.

    ``f`` is a sympy Lambda of one variable or a Python function of one Symbol.
    D_f is derived term by term of f: powers t^a (power integrals), t log t
    (KL(p‖q)), log t (−KL(q‖p)), |t − 1| (2 TV) and constants.

    >>> import sympy as sp
    >>> from symkl import Normal, f_divergence
    >>> f_divergence(Normal(0, 1), Normal(1, 1), lambda t: (t - 1)**2).expr  # χ²
    -1 + E
    """
    p, q = _pair(p, q)
    return derive("f_divergence", p, q, budget=budget, order=generator.as_generator(f))


def as_order(alpha) -> sp.Expr:
    """The order α of a divergence: a number (a float taken exactly) or a name or Symbol,
    α > 0 and α ≠ 1; InvalidInput otherwise.

    >>> as_order("alpha"), as_order(0.5)
    (alpha, 1/2)
    """
    if isinstance(alpha, str):
        from ..families.base import as_name
        return sp.Symbol(as_name("alpha", alpha, "a number or a name"), positive=True)
    if isinstance(alpha, sp.Symbol):
        if alpha.is_positive is False:
            raise InvalidInput(f"the order alpha must be positive; {alpha} is not")
        return alpha if alpha.is_positive else sp.Symbol(alpha.name, positive=True)
    value = as_expression("alpha", alpha, "a number, a name or a Symbol", "a positive number")
    value = value.xreplace({f: sp.Rational(f) for f in value.atoms(sp.Float)})
    if value.is_positive is False or value == 1 or (value.is_number and not value.is_positive):
        raise InvalidInput(f"the order alpha must be positive and other than 1 (α → 1 is the "
                           f"KL divergence: use kl), got {shown(value)}")
    return value


def _pair(p, q):
    """p and q made ready for a divergence, or InvalidInput saying why they cannot be compared:
    one a random vector and the other not, sizes or forms that differ, one name given to two
    different symbols."""
    p, q = as_distribution(p), as_distribution(q)
    if isinstance(p, Independent) or isinstance(q, Independent):
        (p if isinstance(p, Independent) else q).check_comparable(q if isinstance(p, Independent) else p)
        pairs = [_pair(a, b) for a, b in zip(p.factors, q.factors)]
        p, q = Independent([a for a, _ in pairs]), Independent([b for _, b in pairs])
        check_names([p, q])
        return p, q
    if p.multivariate != q.multivariate:
        vector, scalar = (p, q) if p.multivariate else (q, p)
        raise InvalidInput(f"{vector!r} is a distribution of a random vector, {scalar!r} one of a "
                           f"single variable: a divergence compares two distributions on the same "
                           f"space (a vector of one coordinate is still a vector)")
    p, q = p.sized_like(q), q.sized_like(p)
    p.check_comparable(q)
    q.check_comparable(p)
    if p.multivariate and _point_form(p) != _point_form(q):
        raise InvalidInput(f"{p!r} is written with {_point_form(p)}, {q!r} with {_point_form(q)}: "
                           f"a divergence needs both alike (explicit entries for both, or one "
                           f"symbolic form for both)")
    p, q = p.renamed("1"), q.renamed("2")
    check_names([p, q])
    return p, q


def _point_form(d) -> str:
    """How a random vector's point is written: explicit coordinates, a MatrixSymbol or an IndexedBase."""
    x = d.variable()
    if isinstance(x, sp.MatrixSymbol):
        return "matrix symbols of symbolic dimension"
    return "indexed coordinates" if isinstance(x, sp.IndexedBase) else "explicit coordinates"


def _as_base(base) -> sp.Expr:
    """The logarithm's base: a number > 0 other than 1, a float taken as the exact binary number it is."""
    value = as_expression("base", base, "a number such as 2 or sympy.E",
                          "a positive number other than 1")
    value = value.xreplace({f: sp.Rational(f) for f in value.atoms(sp.Float)})
    if not (value.is_number and value.is_positive and value != 1):
        raise InvalidInput(f"base must be a positive number other than 1, got {shown(value)}")
    return value


def _as_budget(budget) -> float:
    """The budget in seconds: a number in (0, LONGEST_BUDGET]."""
    if isinstance(budget, bool) or not isinstance(budget, numbers.Real):
        raise InvalidType(f"budget must be a number of seconds, got {type(budget).__name__} "
                          f"{shown(budget)}")
    if not 0 < budget <= LONGEST_BUDGET:
        raise InvalidInput(f"budget must be more than 0 and at most {LONGEST_BUDGET:g} seconds, "
                           f"got {budget}")
    return float(budget)


def derive(kind, p, q=None, *, base=sp.E, budget: float = DEFAULT_BUDGET, order=None) -> Result:
    """The Result of ``kind`` (a name in :data:`symkl.kinds.KINDS`) for prepared p and q;
    ``order`` is the α of a divergence that takes one, checked by :func:`as_order`."""
    base, budget = _as_base(base), _as_budget(budget)
    if base != sp.E and not KINDS[kind].logarithmic:
        raise InvalidInput(f"the {KINDS[kind].title} has no logarithm: base does not apply")
    try:
        with proportioned(budget, DEFAULT_BUDGET):  # each sympy step's cap scales with the budget
            if isinstance(p, Independent):
                return _product(kind, p, q, base, budget, order)
            if isinstance(p, Mixture) or isinstance(q, Mixture):
                return _mixture(kind, p, q, base, budget, order)
            return _result(kind, p, q, base, budget, order)
    except (SymklError, OutOfTime, MemoryError):
        raise
    except Exception as error:  # not the user's input (that was checked): a mistake of the engine
        families = f"{p!r}" + (f" and {q!r}" if q is not None else "")
        raise InternalError(f"deriving the {KINDS[kind].title} of {families}: "
                            f"{type(error).__name__}: {error}") from error


def _result(kind, p, q, base, budget, order=None) -> Result:
    p_twin, mapping = p.generic("1")
    q_twin, q_mapping = q.generic("2") if q is not None else (None, {})
    if q is not None:
        q_twin, q_mapping = _sharing(q_twin, q_mapping, mapping)
    mapping.update(q_mapping)
    floats = any(_floats(v) for v in mapping.values())
    mapping = {k: _exactly(v) for k, v in mapping.items()}  # a float is the binary number it is
    if q is not None and _exactly_family(p) == _exactly_family(q):
        # p = q: log p − log q cancels term by term in the decomposition, exactly, even
        # where the generic formula holds integrals that would not cancel
        p_twin, q_twin, mapping = _exactly_family(p), _exactly_family(q), {}
    elif len(mapping) > _MOST_GENERIC and all(_is_number(v) for v in mapping.values()):
        # hundreds of numbers (a Categorical with K = 400): a generic formula in as many
        # symbols is of no use, and costs far more than the numbers themselves
        p_twin, q_twin, mapping = _exactly_family(p), _exactly_family(q), {}
    generic = _derive_generic(kind, p_twin, q_twin, float(budget), order)
    if base != sp.E:
        in_units = generic.expr / sp.log(base)
        step = Step(f"in base {base}", sp.Eq(KINDS[kind].symbol(order), in_units, evaluate=False))
        bounds = generic.bounds and tuple(b / sp.log(base) for b in generic.bounds)
        generic = Derivation(in_units, generic.steps + (step,), generic.closed_form, generic.reason,
                             bounds)
    derivation = generic.at(mapping, float(budget))
    if derivation.expr.has(sp.nan, sp.zoo):
        # The parameters sit where the general formula reads 0·log 0 (Uniform(0, 1)
        # against Beta(1, 1)): derive again for these very distributions.
        exact = [_exactly_family(d) for d in (p, q)]
        direct = _derive(kind, *exact, clock() + budget, order)
        derivation = Derivation(direct.expr / sp.log(base), direct.steps, direct.closed_form,
                                direct.reason)
    expr = derivation.expr
    if floats:  # float parameters in, a float out: the exact value, correctly rounded
        expr = numeric_value(expr, 15)
    bounds = derivation.bounds
    if bounds is not None and floats:
        bounds = tuple(numeric_value(b, 15) for b in bounds)
    return Result(kind, p, q, expr, derivation.steps, base=base,
                  closed_form=derivation.closed_form, reason=derivation.reason,
                  generic=(generic.expr, mapping), order=order, bounds=bounds)


def _sharing(q_twin, q_mapping, p_mapping):
    """q's twin with each parameter that has the value of one of p's (of the same kind) taken
    as p's twin symbol: a coincidence the derivation may use (two generalised normals at one
    location μ have a closed form that two at μ₁ and μ₂ do not)."""
    by_value = {}
    for symbol, value in p_mapping.items():
        by_value.setdefault(value, []).append(symbol)
    shared = {}
    for symbol, value in q_mapping.items():
        same = [s for s in by_value.get(value, ()) if s.assumptions0 == symbol.assumptions0]
        if len(same) == 1:
            shared[symbol] = same[0]
    if not shared:
        return q_twin, q_mapping
    twin = q_twin.subs(shared)  # inside a vector of parameters too
    return twin, {s: v for s, v in q_mapping.items() if s not in shared}


def _product(kind, p, q, base, budget, order) -> Result:
    """The divergence of two product laws (the entropy of one) from their factors: a sum
    where the kind's integrand is a log-ratio (or a sum of such parts); for the kinds of
    the power integral, log I_α = Σ log I_α(p_i : q_i) = (α − 1) Σ D_α(p_i ‖ q_i) put
    through the kind's own transform (Rényi's divergence is the sum of the factors')."""
    spec = KINDS[kind]
    factors = list(zip(p.factors, q.factors if q is not None else [None] * len(p.factors)))
    if spec.integrand is not None or spec.parts:
        parts = [_result(kind, a, b, base, budget, order) for a, b in factors]
        value = sp.Add(*(r.expr for r in parts))
        how = "the sum over the independent factors"
    elif spec.from_power is not None:
        alpha = spec.order if spec.order != "free" else order
        parts = [_result("renyi", a, b, sp.E, budget, alpha) for a, b in factors]
        value = spec.from_power(sp.Add(*((alpha - 1) * r.expr for r in parts)), alpha)
        if base != sp.E:
            value = value / sp.log(base)
        how = "from the power integral, the product over the independent factors"
    else:
        raise Unsupported(f"the {spec.title} of product laws does not split over their factors; "
                          f"symkl derives it for single distributions only")
    closed = all(r.closed_form for r in parts)
    if closed:
        value = within(share(_FOR_SIMPLIFYING), canonical_form, value)
    steps = [Step(f"factor {i}: {r.p!r}" + ("" if r.q is None else f" and {r.q!r}"),
                  sp.Eq(spec.symbol(r.order), r.expr, evaluate=False))
             for i, r in enumerate(parts, 1)]
    steps.append(Step(how, sp.Eq(spec.symbol(order), value, evaluate=False)))
    reasons = "; ".join(r.reason for r in parts if r.reason) or None
    return Result(kind, p, q, value, tuple(steps), base=base, closed_form=closed, reason=reasons,
                  order=order)


def _mixture(kind, p, q, base, budget, order) -> Result:
    """Entropy, cross-entropy and KL where p or q is a finite mixture.

    Exact by linearity: H(Σ w_i p_i, q) = Σ w_i H(p_i, q).  Otherwise the value is the
    defining integral (for quadrature) with closed-form bounds, from the components:

    * H(f) of f = Σ w_i f_i lies in [Σ w_i H(f_i), Σ w_i H(f_i) + H(w)] (concavity, and
      the entropy of the pair (component, X));
    * KL(f ‖ q) lies in [max(0, Σ w_i KL(f_i ‖ q) − H(w)), Σ w_i KL(f_i ‖ q)] (the cross-
      entropy exact, the entropy bounded as above; the upper bound is convexity);
    * KL(p ‖ g), g = Σ ω_j g_j, lies in [0, Σ ω_j KL(p ‖ g_j)] (log is concave);
    * KL(f ‖ g) of two mixtures in [0, Σ_ij w_i ω_j KL(f_i ‖ g_j)] (joint convexity);
    * H(p, g) in [Σ w_i H(p_i), Σ_ij w_i ω_j H(p_i, g_j)] (Gibbs, and log concave).
    """
    spec = KINDS[kind]
    lhs = spec.symbol(order)
    parts_of = lambda d: list(zip(d.weights, d.components)) if isinstance(d, Mixture) else [(1, d)]
    mixing = lambda d: -sp.Add(*(w * sp.log(w) for w in d.weights if w != 0))

    def each(kind_, a, b=None):
        return _result(kind_, a, b, sp.E, budget, order)
    if kind == "cross_entropy" and not isinstance(q, Mixture):
        parts = [(w, each("cross_entropy", c, q)) for w, c in parts_of(p)]
        value = sp.Add(*(w * r.expr for w, r in parts)) / sp.log(base)
        closed = all(r.closed_form for _, r in parts)
        if closed:
            value = within(share(_FOR_SIMPLIFYING), canonical_form, value)
        steps = [Step(f"component {i}: {r.p!r}", sp.Eq(spec.symbol(order), r.expr, evaluate=False))
                 for i, (_, r) in enumerate(parts, 1)]
        steps.append(Step("linear in the mixture", sp.Eq(lhs, value, evaluate=False)))
        return Result(kind, p, q, value, tuple(steps), base=base, closed_form=closed, order=order)
    if kind not in ("kl", "entropy", "cross_entropy"):
        raise Unsupported(f"the {spec.title} of a mixture is not built; symkl gives the entropy, "
                          f"cross-entropy and KL of mixtures")
    x = (p.components[0] if isinstance(p, Mixture) else p).variable()
    integrand = {"entropy": lambda: -p.log_density(x),
                 "cross_entropy": lambda: -q.log_density(x),
                 "kl": lambda: p.log_density(x) - q.log_density(x)}[kind]()
    support = p.support
    value = sp.Integral(sp.exp(p.log_density(x)) * integrand,
                        (x, support.inf, support.sup)) / sp.log(base)
    if kind == "entropy":
        entropies = [(w, each("entropy", c).expr) for w, c in parts_of(p)]
        low = sp.Add(*(w * h for w, h in entropies))
        bounds = (low, low + mixing(p))
    elif kind == "cross_entropy":  # q a mixture: H(p) ≤ H(p, g) ≤ Σ_ij w_i ω_j H(p_i, g_j)
        upper = sp.Add(*(w * v * each("cross_entropy", a, b).expr
                         for w, a in parts_of(p) for v, b in parts_of(q)))
        bounds = (sp.Add(*(w * each("entropy", c).expr for w, c in parts_of(p))), upper)
    elif not isinstance(q, Mixture):
        kls = sp.Add(*(w * each("kl", c, q).expr for w, c in parts_of(p)))
        bounds = (sp.Max(0, kls - mixing(p)), kls)
    else:
        bounds = (sp.S.Zero, sp.Add(*(w * v * each("kl", a, b).expr
                                      for w, a in parts_of(p) for v, b in parts_of(q))))
    bounds = tuple(within(share(_FOR_SIMPLIFYING), canonical_form, b) / sp.log(base) for b in bounds)
    steps = (Step("the defining integral (a mixture: by quadrature)", sp.Eq(lhs, value, evaluate=False)),
             Step("bounded by its components", sp.Eq(sp.Symbol("bounds"), sp.Tuple(*bounds), evaluate=False)))
    return Result(kind, p, q, value, steps, base=base, closed_form=False,
                  reason="a mixture's log-density is the log of a sum", order=order, bounds=bounds)


#: seconds of a derivation's budget kept for writing its result canonically
_FOR_SIMPLIFYING = 4.0
#: past this many parameters given as numbers, derive for the numbers, not for symbols
_MOST_GENERIC = 24


def _is_number(value) -> bool:
    return isinstance(value, sp.Expr) and value.is_number


def _floats(value) -> bool:
    return isinstance(value, sp.Basic) and bool(value.atoms(sp.Float))


def _exactly(value):
    """``value`` with every float in it replaced by the exact binary rational it stands for."""
    if not _floats(value):
        return value
    return value.xreplace({f: sp.Rational(f) for f in value.atoms(sp.Float)})


def _exactly_family(family):
    if family is None or not any(_floats(a) for a in family.args):
        return family
    return family.with_parameters(tuple(_exactly(a) for a in family.args))


_CACHE: dict = {}


def _absorbed(conditions):
    """The union of ``conditions``, each dropped that holds the conjuncts of another
    (A ∨ (B ∧ A) is A).

    >>> a, b = sp.symbols("a b", real=True)
    >>> _absorbed([a > 1, sp.And(b <= 0, a > 1)])
    a > 1
    """
    parts = [set(sp.And.make_args(c)) for c in conditions]
    kept = [c for i, c in enumerate(conditions)
            if not any(j != i and parts[j] < parts[i] or j < i and parts[j] == parts[i]
                       for j in range(len(parts)))]
    return sp.Or(*kept)


def _derive_generic(kind, p, q, budget, order=None) -> Derivation:
    key = (kind, p.content(), q.content() if q is not None else None, budget, order)
    if key not in _CACHE:
        _CACHE[key] = _derive(kind, p, q, clock() + budget, order)
    return _CACHE[key]


def _derive(kind, p, q, deadline, order=None) -> Derivation:
    if KINDS[kind].integrand is None and p.content() == q.content():
        # a divergence of p from p itself (the integral kinds cancel their terms exactly)
        lhs = KINDS[kind].symbol(order)
        return Derivation(sp.S.Zero, (Step("p = q", sp.Eq(lhs, 0, evaluate=False)),), True)
    if KINDS[kind].method is not None:
        return _ROUTES[KINDS[kind].method](kind, p, q, deadline, order)
    if KINDS[kind].from_power is not None:
        return _derive_power(kind, p, q, deadline, order)
    if KINDS[kind].parts:
        return _derive_parts(kind, p, q, deadline)
    x = p.variable()
    lhs, integrand_of = KINDS[kind].symbol(), KINDS[kind].integrand
    reason = None
    if q is not None:
        condition, reason = support_condition(p, q)
        if condition == sp.false:
            return Derivation(sp.oo, (Step("support", sp.Eq(lhs, sp.oo, evaluate=False)),),
                              True, reason)
    shown = x if isinstance(x, sp.Symbol) else sp.Symbol("x")  # a point of ℝᵏ, written x
    log_p, log_q = sp.log(notation.density("p", shown)), sp.log(notation.density("q", shown))
    integrand = integrand_of(p.log_density(x), q.log_density(x) if q is not None else 0)
    integrand_lhs = integrand_of(log_p, log_q)
    steps = []
    if KINDS[kind].definition is not None:
        steps.append(Step("definition", sp.Eq(lhs, KINDS[kind].definition(None), evaluate=False)))
    steps.append(Step("as an expectation", sp.Eq(
        lhs, notation.Expectation(integrand_lhs, notation.P), evaluate=False)))
    for side, name, family in (("p", log_p, p), ("q", log_q, q)):
        if KINDS[kind].uses(side):
            label = notation.Label(f"log {side}(x)", rf"\log {side}(x)")
            steps.append(Step(label, sp.Eq(name, family.log_density(x), evaluate=False)))
    terms = decompose(integrand, x)
    steps.append(Step("expanded", sp.Eq(integrand_lhs, _display(terms), evaluate=False)))
    assembled, closed_form, leftover = sp.S.Zero, True, sp.S.Zero
    for statistic, coefficient in terms.items():
        if statistic == 1:
            assembled += coefficient
            continue
        found = expectation(p, statistic, x, deadline - _FOR_SIMPLIFYING)
        value = found.value
        closed_form &= found.rule != UNEVALUATED
        if found.rule == UNEVALUATED:
            leftover += coefficient * statistic
        elif isinstance(value, sp.Piecewise) and any(v == sp.oo for v, _ in value.args):
            finite_where = _absorbed([c for v, c in value.args if v != sp.oo])
            why = f"E_p[{sp.sstr(statistic)}] is infinite unless {sp.sstr(finite_where)}"
            reason = why if reason is None else f"{reason}; {why}"
        steps.append(Step(found.label(), sp.Eq(notation.Expectation(statistic, notation.P), value,
                                               evaluate=False)))
        if found.rule == LOG_SERIES:
            remainder = log_series_remainder(p, statistic, x, TERMS)
            if remainder is not None:  # what cutting the series after M terms may miss
                steps.append(Step(REMAINDER, sp.Eq(REMAINDER_SYMBOL, sp.Abs(coefficient) * remainder,
                                                   evaluate=False)))
        if _diverges(value) and q is not None:
            # −log q is bounded below for every family, so a divergent part of
            # E_p[−log q] makes it +∞ (p's own entropy is finite).
            steps.append(Step("divergent", sp.Eq(lhs, sp.oo, evaluate=False)))
            return Derivation(sp.oo, tuple(steps), True,
                              f"E_p[{sp.sstr(statistic)}] diverges: p's tails are too heavy for q")
        assembled += coefficient * value
    assembled = sp.piecewise_fold(assembled) if assembled.has(sp.Piecewise) else assembled
    steps.append(Step("assembled", sp.Eq(lhs, assembled, evaluate=False)))
    finite, simplified = sp.true, "simplified"
    if leftover != 0 and isinstance(x, sp.Symbol):
        tails = convergence(p, leftover, x, deadline - _FOR_SIMPLIFYING)
        if tails is None:
            simplified = "simplified; whether the integral left converges was not decided"
        elif tails.holds == sp.true:
            simplified = "simplified; the integral left converges (decided from the tails of p)"
        elif KINDS[kind].uses("q"):
            # the rest is finite and the negative part of p·log(p/q) (of −p·log q) is
            # integrable: where the integral left diverges, it diverges to +∞
            why = f"E_p[{sp.sstr(leftover)}] diverges {tails.why}"
            if tails.holds == sp.false:
                steps.append(Step("divergent", sp.Eq(lhs, sp.oo, evaluate=False)))
                return Derivation(sp.oo, tuple(steps), True, why)
            finite, reason = tails.holds, why if reason is None else f"{reason}; {why}"
            simplified = (f"simplified; the integral left converges where {sp.sstr(finite)} and "
                          "is ∞ elsewhere (decided from the tails of p)")
    try:
        expr = within(deadline - clock(), canonical_form, assembled)
    except OutOfTime:  # the assembled form stands, in one Piecewise, its divergent pieces ∞
        expr = divergent_sums(_pruned(sp.piecewise_fold(assembled)) if assembled.has(sp.Piecewise)
                              else assembled)
    except MemoryError:
        raise
    except Exception as error:  # sympy failed while simplifying: the assembled form stands
        expr = divergent_sums(assembled)
        steps.append(Step(f"simplification stepped aside: {type(error).__name__}: {error}",
                          sp.Eq(lhs, expr, evaluate=False)))
    if q is not None and condition != sp.true:
        finite = sp.And(condition, finite)
    if finite != sp.true:
        pinned = at_the_one_value(expr, finite)  # Binomial ‖ Bernoulli is finite at n = 1 only
        if pinned != expr:
            try:
                expr = within(max(deadline - clock(), 0), canonical_form, pinned)
            except OutOfTime:
                expr = pinned
            closed_form = closed_form or not (_open(expr) or expr.has(sp.Sum))
        expr = _pruned(sp.piecewise_fold(sp.Piecewise((expr, finite), (sp.oo, True))))
    steps.append(Step(simplified, sp.Eq(lhs, expr, evaluate=False)))
    return Derivation(expr, tuple(steps), closed_form, reason if expr.has(sp.oo) else None)


def _derive_power(kind, p, q, deadline, order) -> Derivation:
    """A divergence of the power integral I_α = ∫ p^α q^{1−α}: log I_α from
    :mod:`symkl.engine.power`, then the divergence's own function of it."""
    spec = KINDS[kind]
    order = spec.order if spec.order != "free" else order
    lhs = spec.symbol(order)
    steps = [Step("definition", sp.Eq(lhs, spec.definition(order), evaluate=False))]
    x = p.variable()
    for side, family in (("p", p), ("q", q)):
        label = notation.Label(f"log {side}(x)", rf"\log {side}(x)")
        steps.append(Step(label, sp.Eq(sp.log(notation.density(side, x)), family.log_density(x),
                                       evaluate=False)))
    power = log_power_integral(p, q, order, deadline - _FOR_SIMPLIFYING)
    steps.extend(power.steps)
    assembled = _per_piece(power.log_value, lambda log_i: as_powers(spec.from_power(log_i, order)))
    steps.append(Step("assembled", sp.Eq(lhs, assembled, evaluate=False)))
    return _simplified(lhs, assembled, steps, deadline, power.closed_form, power.reason)


def _derive_parts(kind, p, q, deadline) -> Derivation:
    """A sum of other quantities (Jeffreys: KL(p‖q) + KL(q‖p)), each derived in full."""
    spec = KINDS[kind]
    lhs = spec.symbol()
    steps = [Step("definition", sp.Eq(lhs, spec.definition(None), evaluate=False))]
    total, closed, reasons = sp.S.Zero, True, []
    for part, swapped in spec.parts:
        a, b = (q, p) if swapped else (p, q)
        found = _derive(part, a, b, clock() + max(deadline - clock(), 0) / 2)
        symbol = KINDS[part].symbol().xreplace({notation.P: notation.Q, notation.Q: notation.P}
                                               if swapped else {})
        steps.append(Step(KINDS[part].title + (", the other way" if swapped else ""),
                          sp.Eq(symbol, found.expr, evaluate=False)))
        total += found.expr
        closed &= found.closed_form
        if found.reason:
            reasons.append(found.reason)
    steps.append(Step("assembled", sp.Eq(lhs, total, evaluate=False)))
    return _simplified(lhs, total, steps, deadline, closed, "; ".join(reasons) or None)


def _derive_crossings(kind, p, q, deadline, order=None) -> Derivation:
    """Total variation, from where p and q cross (:mod:`symkl.engine.crossings`)."""
    spec = KINDS[kind]
    lhs = spec.symbol()
    steps = [Step("definition", sp.Eq(lhs, spec.definition(None), evaluate=False))]
    found = crossings.total_variation(p, q, lhs, deadline - _FOR_SIMPLIFYING)
    return _simplified(lhs, found.value, steps + list(found.steps), deadline, found.closed_form,
                       found.reason, keep_shorter=True)


def _derive_midpoint(kind, p, q, deadline, order=None) -> Derivation:
    """Jensen–Shannon (:mod:`symkl.engine.mixture`); not in closed form, with its bounds
    0 ≤ JS ≤ min(log 2, J/4) from Jeffreys' divergence J where that is closed."""
    spec = KINDS[kind]
    lhs = spec.symbol()
    steps = [Step("definition", sp.Eq(lhs, spec.definition(None), evaluate=False))]
    found = mixture.jensen_shannon(p, q, lhs, deadline - _FOR_SIMPLIFYING)
    derivation = _simplified(lhs, found.value, steps + list(found.steps), deadline,
                             found.closed_form, None)
    if found.closed_form:
        return derivation
    upper = sp.log(2)
    jeffreys = _derive("jeffreys", p, q, clock() + max(deadline - clock(), 1.0) / 2)
    if jeffreys.closed_form and not jeffreys.expr.has(sp.oo, sp.Integral, sp.Sum):
        upper = sp.Min(upper, jeffreys.expr / 4)
    bound = Step("bounds", sp.Eq(lhs, sp.Interval(0, upper), evaluate=False))
    return Derivation(derivation.expr, derivation.steps + (bound,), False, None,
                      (sp.S.Zero, upper))


def _derive_generator(kind, p, q, deadline, f) -> Derivation:
    """An f-divergence, term by term of f (:mod:`symkl.engine.generator`)."""
    spec = KINDS[kind]
    lhs = spec.symbol(f)
    t = f.variables[0]
    steps = [Step("definition", sp.Eq(lhs, spec.definition(f), evaluate=False)),
             Step("the generator", sp.Eq(sp.Function("f")(t), f.expr, evaluate=False))]
    parts = generator.terms(f)
    x = p.variable()
    shown = x if isinstance(x, sp.Symbol) else sp.Symbol("x")
    ratio = notation.density("p", shown) / notation.density("q", shown)
    total, closed, reasons = sp.S.Zero, True, []
    for term in parts or ():
        share = max(deadline - clock(), 0.5) / max(len(parts), 1)
        value, shape, found = _generator_term(term, p, q, clock() + share, ratio)
        if found is not None:
            closed &= found.closed_form
            if found.reason:
                reasons.append(found.reason)
        steps.append(Step(notation.Label(f"E_q[{sp.sstr(shape)}]"),
                          sp.Eq(notation.Expectation(shape, notation.Q), value, evaluate=False)))
        total += term.coefficient * value
    if parts is None or total.has(sp.nan):
        value = _generator_integral(p, q, f)
        why = ("f is not a sum of constants, powers of t, t log t, log t and |t − 1|"
               if parts is None else "its terms are ∞ of both signs")
        steps.append(Step(f"not in closed form ({why})", sp.Eq(lhs, value, evaluate=False)))
        return Derivation(value, tuple(steps), False, None)
    total = sp.piecewise_fold(total) if total.has(sp.Piecewise) else total
    steps.append(Step("assembled", sp.Eq(lhs, total, evaluate=False)))
    return _simplified(lhs, total, steps, deadline, closed, "; ".join(reasons) or None)


def _generator_term(term, p, q, deadline, ratio):
    """(E_q[shape(p/q)], the shape as displayed, the Derivation or Power used) for one term."""
    if term.shape == "constant":
        return sp.S.One, sp.S.One, None
    if term.shape == "power":
        a = term.exponent
        if a == 1:  # ∫ q·p/q over supp q, and f'(∞)·P(q = 0) = P(q = 0): 1 in all
            return sp.S.One, ratio, None
        power = (log_power_integral(p, q, a, deadline) if a > 0
                 else log_power_integral(q, p, 1 - a, deadline))
        value = _per_piece(power.log_value, lambda log_i: as_powers(sp.exp(log_i)))
        return value, ratio ** a, power
    if term.shape == "t log t":
        found = _derive("kl", p, q, deadline)
        return found.expr, ratio * sp.log(ratio), found
    if term.shape == "log t":
        found = _derive("kl", q, p, deadline)
        return -found.expr, sp.log(ratio), found
    found = _derive("total_variation", p, q, deadline)  # |t − 1|
    return 2 * found.expr, sp.Abs(ratio - 1), found


def _generator_integral(p, q, f):
    """E_q[f(p/q)] left as the integral over supp q (p ≪ q), else as D_f itself."""
    x = p.variable()
    if (isinstance(x, sp.Symbol) and isinstance(q.support, sp.Interval)
            and support_condition(p, q)[0] == sp.true):
        ratio = sp.exp(p.log_density(x) - q.log_density(x))
        return sp.Integral(sp.exp(q.log_density(x)) * f(ratio), (x, q.support.inf, q.support.sup))
    return notation.FDivergence(notation.P, notation.Q)


_ROUTES = {"crossings": _derive_crossings, "midpoint": _derive_midpoint,
           "generator": _derive_generator}


def _per_piece(value, function):
    """``function`` of ``value``, piece by piece in a Piecewise; ∞ (a divergent power
    integral, α > 1) stays ∞."""
    if isinstance(value, sp.Piecewise):
        return sp.Piecewise(*((_per_piece(v, function), c) for v, c in value.args))
    if value == sp.oo:
        return sp.oo
    if value == -sp.oo:
        # I = 0 (no common support), which happens for α < 1 only: the divergence's value
        # there, its sign taken at α = ½ where it involves an infinity
        limit = function(-sp.oo)
        if limit.has(sp.oo, -sp.oo, sp.zoo):
            return sp.oo if function(sp.Integer(-10**6)).subs(
                {s: sp.S.Half for s in limit.free_symbols}).is_positive else -sp.oo
        return limit
    return function(value)


def _simplified(lhs, assembled, steps, deadline, closed_form, reason,
                keep_shorter=False) -> Derivation:
    """The canonical form of ``assembled`` within the budget, as the last step (or, with
    ``keep_shorter``, ``assembled`` itself where the canonical form is longer)."""
    label = "simplified"
    try:
        expr = within(max(deadline - clock(), 0.5), canonical_form, assembled)
        if keep_shorter and sp.count_ops(assembled) < sp.count_ops(expr):
            expr = assembled
    except OutOfTime:  # past the budget: only a divergent part is written ∞
        expr = divergent_sums(assembled)
    except MemoryError:
        raise
    except Exception as error:  # sympy failed while simplifying: the assembled form stands
        expr, label = (divergent_sums(assembled),
                       f"simplification stepped aside: {type(error).__name__}: {error}")
    steps.append(Step(label, sp.Eq(lhs, expr, evaluate=False)))
    return Derivation(expr, tuple(steps), closed_form, reason if expr.has(sp.oo) else None)


def _diverges(value) -> bool:
    return value.has(sp.nan, sp.zoo) or value in (sp.oo, -sp.oo)


def _display(terms):
    return sp.Add(*(c * t for t, c in terms.items()), evaluate=False)

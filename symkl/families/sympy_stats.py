"""sympy.stats random symbols as symkl distributions.

A random symbol of a family symkl has becomes that family, its parameters
carried over (where sympy writes the family differently, as Gamma's scale for
symkl's rate, the parameters are converted; a test checks every conversion
against sympy's own density).  Anything else is taken through
:func:`~symkl.families.density.from_density` with sympy's density and set.

>>> import sympy.stats as stats
>>> as_distribution(stats.Gamma("X", 3, 2))
Gamma(3, 1/2)
>>> import sympy as sp
>>> as_distribution(stats.Maxwell("X", sp.Symbol("a", positive=True)))
Maxwell(a)
>>> as_distribution(stats.Maxwell("X", 2))  # a density of numbers: no parameters
Maxwell()
"""
from __future__ import annotations

import warnings

import sympy as sp

from ..errors import InvalidInput, InvalidType
from .base import Distribution, shown
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .categorical import Categorical
from .cauchy import Cauchy
from .chi import Chi
from .chisquared import ChiSquared
from .density import from_density
from .exponential import Exponential
from .gamma import Gamma
from .gumbel import Gumbel
from .inverse_gamma import InverseGamma
from .inverse_gaussian import InverseGaussian
from .kumaraswamy import Kumaraswamy
from .laplace import Laplace
from .logistic import Logistic
from .logit_normal import LogitNormal
from .lognormal import LogNormal
from .moyal import Moyal
from .negative_binomial import NegativeBinomial
from .normal import Normal
from .pareto import Pareto
from .poisson import Poisson
from .rayleigh import Rayleigh
from .student_t import StudentT
from .uniform import Uniform
from .weibull import Weibull

#: sympy.stats' distribution classes (by name) ↦ symkl's family at sympy's arguments, or
#: None where sympy's variant is another law (a Gumbel of the minimum, a Bernoulli of
#: other values); families not here go through from_density
SAME_FAMILY = {
    "NormalDistribution": lambda mean, std: Normal(mean, std),
    "ExponentialDistribution": lambda rate: Exponential(rate),
    "GammaDistribution": lambda k, theta: Gamma(k, 1 / theta),  # sympy's θ is a scale
    "BetaDistribution": lambda a, b: Beta(a, b),
    "LaplaceDistribution": lambda mu, b: Laplace(mu, b),
    "UniformDistribution": lambda left, right: Uniform(left, right),
    "CauchyDistribution": lambda x0, gamma: Cauchy(x0, gamma),
    "GumbelDistribution": lambda beta, mu, minimum: None if minimum else Gumbel(mu, beta),
    "ParetoDistribution": lambda x_m, alpha: Pareto(x_m, alpha),
    "LogNormalDistribution": lambda mean, std: LogNormal(mean, std),
    "WeibullDistribution": lambda scale, shape: Weibull(scale, shape),
    "RayleighDistribution": lambda sigma: Rayleigh(sigma),
    "LogisticDistribution": lambda mu, s: Logistic(mu, s),
    "ChiSquaredDistribution": lambda k: ChiSquared(k),
    "GammaInverseDistribution": lambda a, b: InverseGamma(a, b),
    "StudentTDistribution": lambda nu: StudentT(nu, 0, 1),
    "PoissonDistribution": lambda lam: Poisson(lam),
    "BinomialDistribution": lambda n, p, succ, fail: Binomial(n, p) if (succ, fail) == (1, 0) else None,
    "BernoulliDistribution": lambda p, succ, fail: Bernoulli(p) if (succ, fail) == (1, 0) else None,
    "ChiDistribution": lambda k: Chi(k),
    "GaussianInverseDistribution": lambda mean, shape: InverseGaussian(mean, shape),
    "KumaraswamyDistribution": lambda a, b: Kumaraswamy(a, b),
    "LogitNormalDistribution": lambda mu, s: LogitNormal(mu, s),
    "MoyalDistribution": lambda mu, sigma: Moyal(mu, sigma),
    "NegativeBinomialDistribution": lambda r, p: NegativeBinomial(r, p),  # mass C(k+r−1, k) p^r (1 − p)^k
}


def as_distribution(d) -> Distribution:
    """``d`` as a symkl Distribution: a family's name, a Distribution, or a sympy.stats
    random symbol; InvalidType for anything else."""
    if isinstance(d, str):
        from . import by_name
        return by_name(d)
    if isinstance(d, Distribution):
        return d
    if _is_random_symbol(d):
        return from_random_symbol(d)
    raise InvalidType(f"expected a distribution such as Normal(0, 1) (or a sympy.stats random "
                      f"symbol), got {type(d).__name__} {shown(d)}")


def _is_random_symbol(d) -> bool:
    try:
        from sympy.stats.rv import RandomSymbol
    except ImportError:  # pragma: no cover - sympy always has sympy.stats
        return False
    return isinstance(d, RandomSymbol)


def from_random_symbol(rv) -> Distribution:
    """The symkl distribution of a single sympy.stats random symbol."""
    space = rv.pspace
    distribution = getattr(space, "distribution", None)
    if distribution is None or len(getattr(space, "values", (rv,))) != 1:
        raise InvalidInput(f"{rv} is not a single random variable of one distribution (a joint or "
                           f"compound space): give each variable's own law")
    cls = type(distribution).__name__
    make = SAME_FAMILY.get(cls)
    if make is not None:
        family = _made(make, distribution.args)
        if family is not None:
            return family
    name = cls[:-len("Distribution")] if cls.endswith("Distribution") and cls != "Distribution" \
        else None
    if name in ("FiniteDistributionHandmade", "SingleFinite", None) or not name.isidentifier():
        name = None
    if hasattr(distribution, "dict"):  # a finite distribution: {value: probability}
        return _finite(distribution.dict, name)
    x = sp.Symbol("x", integer=True) if _countable(distribution.set) else sp.Symbol("x", real=True)
    density = distribution.pdf(x)
    support = distribution.set
    if isinstance(support, (type(sp.Naturals), type(sp.Naturals0))) or support in (sp.Naturals, sp.Naturals0):
        support = sp.Range(int(support.inf), sp.oo)
    return from_density(density, x, support, name=name)


def _finite(table, name) -> Distribution:
    """A finite law {k: p_k} on integers: Categorical where the values are 0, …, K − 1, else
    the mass function as a Piecewise over the values."""
    values = sorted(table, key=sp.default_sort_key)
    if not all(sp.sympify(v).is_integer for v in values):
        raise InvalidInput(f"symkl takes finite distributions on integers; this one takes the "
                           f"values {', '.join(map(str, values))}")
    probabilities = [sp.sympify(table[v]) for v in values]
    if [int(v) for v in values] == list(range(len(values))):
        return Categorical(probabilities)
    x = sp.Symbol("x", integer=True)
    mass = sp.Piecewise(*((p, sp.Eq(x, v)) for v, p in zip(values, probabilities)), (0, True))
    return from_density(mass, x, sp.FiniteSet(*values), name=name)


def _countable(support) -> bool:
    return support.is_subset(sp.Integers) is True


def _made(make, args):
    """``make(*args)``, each Symbol without assumptions given those of the parameter it
    fills (σ positive, μ real), and a warning saying so."""
    plain = {s for a in args for s in sp.sympify(a).free_symbols
             if isinstance(s, sp.Symbol) and s.is_extended_real is None}
    if not plain:
        return make(*args)
    real = {s: sp.Symbol(s.name, real=True) for s in plain}
    family = make(*(sp.sympify(a).xreplace(real) for a in args))
    if family is None:
        return None
    assumed = dict(real)
    for parameter, value in zip(family.parameters, family.args):
        facts = dict(parameter.constraint.assumptions)
        for s in plain:
            if real[s] in sp.sympify(value).free_symbols and facts.get("positive"):
                assumed[s] = sp.Symbol(s.name, **facts)
    warnings.warn(", ".join(f"{s} taken to be {'positive' if assumed[s].is_positive else 'real'}"
                            for s in sorted(plain, key=str))
                  + " (give the symbols assumptions, e.g. positive=True, to say otherwise)",
                  stacklevel=3)
    return make(*(sp.sympify(a).xreplace(assumed) for a in args))

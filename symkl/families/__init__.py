"""The families: one small declarative class each."""
from ..errors import InvalidInput
from .base import Distribution, Parameter
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .categorical import Categorical
from .cauchy import Cauchy
from .density import Density, from_density
from .mixture import Mixture
from .product import Independent
from .transforms import Affine, Truncated, affine
from .chi import Chi
from .chisquared import ChiSquared
from .continuous_bernoulli import ContinuousBernoulli
from .diagonal_normal import DiagonalNormal
from .dirichlet import Dirichlet
from .exponential import Exponential
from .gamma import Gamma
from .generalized_normal import GeneralizedNormal
from .geometric import Geometric
from .gumbel import Gumbel
from .half_cauchy import HalfCauchy
from .half_student_t import HalfStudentT
from .halfnormal import HalfNormal
from .inverse_gamma import InverseGamma
from .inverse_gaussian import InverseGaussian
from .kumaraswamy import Kumaraswamy
from .laplace import Laplace
from .logistic import Logistic
from .logit_normal import LogitNormal
from .lognormal import LogNormal
from .moyal import Moyal
from .multinomial import Multinomial
from .multivariate_normal import MultivariateNormal
from .negative_binomial import NegativeBinomial
from .normal import Normal
from .pareto import Pareto
from .poisson import Poisson
from .rayleigh import Rayleigh
from .student_t import StudentT
from .uniform import Uniform
from .von_mises import VonMises
from .weibull import Weibull
from .wishart import InverseWishart, Wishart

CONTINUOUS = (Normal, Exponential, Gamma, Beta, Laplace, Uniform, Cauchy, Gumbel, Pareto,
              HalfNormal, LogNormal, Weibull, ContinuousBernoulli, Rayleigh, Logistic,
              ChiSquared, InverseGamma, StudentT, Chi, VonMises, InverseGaussian, HalfCauchy,
              HalfStudentT, LogitNormal, Kumaraswamy, Moyal, GeneralizedNormal)
DISCRETE = (Bernoulli, Binomial, Poisson, Geometric, Categorical, NegativeBinomial)
#: families of random vectors
MULTIVARIATE = (MultivariateNormal, DiagonalNormal, Dirichlet, Multinomial, Wishart, InverseWishart)

#: every family, by the lower-case name the CLI and ``kl("normal", ...)`` use
FAMILIES = {cls.__name__.lower(): cls for cls in CONTINUOUS + DISCRETE + MULTIVARIATE}


def by_name(name: str) -> Distribution:
    """The family called ``name`` (any case), with symbols for its parameters.

    >>> by_name("normal")
    Normal(mu, sigma)
    """
    try:
        return FAMILIES[name.lower()]()
    except KeyError:
        raise InvalidInput(f"unknown family {name!r}; known: {', '.join(FAMILIES)}") from None


__all__ = ["CONTINUOUS", "DISCRETE", "FAMILIES", "MULTIVARIATE", "Density", "Distribution", "Parameter",
           "Affine", "Independent", "Mixture", "Truncated", "affine", "from_density",
           "by_name", *(cls.__name__ for cls in CONTINUOUS + DISCRETE + MULTIVARIATE)]

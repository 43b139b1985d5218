"""symkl: divergences between probability distributions, derived symbolically.

>>> import symkl as sk
>>> sk.kl(sk.Exponential(), sk.Exponential()).expr
log(rate_1/rate_2) - 1 + rate_2/rate_1
"""
from .asymmetry import Asymmetry, asymmetry
from .engine.derive import (alpha_divergence, bhattacharyya, chi_square, cross_entropy, entropy,
                            f_divergence, jeffreys, jensen_shannon, kl, renyi, squared_hellinger,
                            total_variation)
from .families import *  # noqa: F401,F403  (every family)
from .families import (CONTINUOUS, DISCRETE, MULTIVARIATE, Affine, Density, Distribution, Independent,
                       Mixture, Truncated, affine, from_density)
from . import numeric
from .numeric.quadrature import quad_kl
from .result import Result, Step, Verification

__all__ = [
    "Affine", "Asymmetry", "Density", "Distribution", "Independent", "Mixture", "Result", "Step", "Truncated", "Verification", "alpha_divergence", "asymmetry",
    "bhattacharyya", "chi_square", "cross_entropy", "entropy", "affine", "f_divergence", "from_density", "jeffreys",
    "jensen_shannon", "kl", "renyi", "squared_hellinger", "total_variation", "quad_kl", *(family.__name__ for family in CONTINUOUS + DISCRETE + MULTIVARIATE),
]

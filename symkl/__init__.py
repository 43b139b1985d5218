"""symkl: divergences between probability distributions, derived symbolically.

>>> import symkl as sk
>>> sk.kl(sk.Exponential(), sk.Exponential()).expr
log(rate_1/rate_2) - 1 + rate_2/rate_1
"""
from .asymmetry import Asymmetry, asymmetry
from .derive import cross_entropy, entropy, kl
from .families import Categorical, Distribution, Exponential, Normal
from .quadrature import quad_kl
from .result import Result, Step, Verification

__all__ = [
    "Asymmetry", "Categorical", "Distribution", "Exponential", "Normal", "Result", "Step",
    "Verification", "asymmetry", "cross_entropy", "entropy", "kl", "quad_kl",
]

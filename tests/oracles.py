"""Textbook closed forms, typed in here and only here, as test oracles.

Sources: Cover & Thomas, *Elements of Information Theory* (2nd ed.), ch. 8
(differential entropy of the normal and exponential); the standard KL between
univariate normals and between exponentials (e.g. Murphy, *Probabilistic
Machine Learning*, §6.2); KL of categoricals is its definition.
"""
import sympy as sp
from sympy import E, S, log, pi

mu, mu_1, mu_2 = sp.symbols("mu mu_1 mu_2", real=True)
sigma, sigma_1, sigma_2 = sp.symbols("sigma sigma_1 sigma_2", positive=True)
rate, rate_1, rate_2 = sp.symbols("rate rate_1 rate_2", positive=True)

KL_NORMAL = log(sigma_2 / sigma_1) + (sigma_1**2 + (mu_1 - mu_2)**2) / (2 * sigma_2**2) - S.Half
KL_EXPONENTIAL = log(rate_1 / rate_2) + rate_2 / rate_1 - 1
ENTROPY_NORMAL = log(2 * pi * E * sigma**2) / 2
ENTROPY_EXPONENTIAL = 1 - log(rate)


def kl_categorical(p, q):
    """Σ p_i log(p_i / q_i), with 0·log 0 = 0."""
    return sp.Add(*(pi_ * log(pi_ / qi) for pi_, qi in zip(p, q) if pi_ != 0))


def kl_categorical_indexed(p_name="p", q_name="q", K=sp.Symbol("K", integer=True, positive=True)):
    i = sp.Symbol("i", integer=True, nonnegative=True)
    p, q = sp.IndexedBase(p_name, positive=True), sp.IndexedBase(q_name, positive=True)
    return sp.Sum(p[i] * log(p[i] / q[i]), (i, 0, K - 1))


def entropy_categorical_indexed(p_name="p", K=sp.Symbol("K", integer=True, positive=True)):
    i = sp.Symbol("i", integer=True, nonnegative=True)
    p = sp.IndexedBase(p_name, positive=True)
    return -sp.Sum(p[i] * log(p[i]), (i, 0, K - 1))

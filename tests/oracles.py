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


# -- same-family pairs (Gil, Alajaji & Linder 2013, "Rényi divergence measures for
# commonly used univariate continuous distributions"; Bauckhage 2013 for Weibull;
# Chyzak & Nielsen 2019 for Cauchy; Loaiza-Ganem & Cunningham 2019 for the
# continuous Bernoulli) -------------------------------------------------------------
from sympy import Abs, Piecewise, EulerGamma, digamma, exp, gamma, loggamma, atanh, oo  # noqa: E402

alpha_1, alpha_2, beta_1, beta_2 = sp.symbols("alpha_1 alpha_2 beta_1 beta_2", positive=True)
b_1, b_2, k_1, k_2, lam_1, lam_2 = sp.symbols("b_1 b_2 k_1 k_2 lam_1 lam_2", positive=True)
a_1, a_2, b1u, b2u = sp.symbols("a_1 a_2 b_1 b_2", real=True)
gamma_1, gamma_2, x_m_1, x_m_2, nu_1 = sp.symbols("gamma_1 gamma_2 x_m_1 x_m_2 nu_1", positive=True)
x0_1, x0_2 = sp.symbols("x0_1 x0_2", real=True)
p_1, p_2 = sp.symbols("p_1 p_2", positive=True)
n = sp.Symbol("n", integer=True, positive=True)


def _log_beta(a, b):
    return loggamma(a) + loggamma(b) - loggamma(a + b)


def _cb_log_normalizer(lam):
    return log(2 * atanh(1 - 2 * lam) / (1 - 2 * lam))


SAME_FAMILY = {
    "Normal": KL_NORMAL,
    "Exponential": KL_EXPONENTIAL,
    "Gamma": ((alpha_1 - alpha_2) * digamma(alpha_1) - loggamma(alpha_1) + loggamma(alpha_2)
              + alpha_2 * (log(beta_1) - log(beta_2)) + alpha_1 * (beta_2 - beta_1) / beta_1),
    "Beta": (_log_beta(alpha_2, beta_2) - _log_beta(alpha_1, beta_1) + (alpha_1 - alpha_2) * digamma(alpha_1)
             + (beta_1 - beta_2) * digamma(beta_1)
             + (alpha_2 - alpha_1 + beta_2 - beta_1) * digamma(alpha_1 + beta_1)),
    "Laplace": (log(b_2 / b_1) + Abs(mu_1 - mu_2) / b_2 + b_1 / b_2 * exp(-Abs(mu_1 - mu_2) / b_1) - 1),
    "Uniform": Piecewise((log((b2u - a_2) / (b1u - a_1)), (a_2 <= a_1) & (b1u <= b2u)), (oo, True)),
    "Cauchy": log(((gamma_1 + gamma_2) ** 2 + (x0_1 - x0_2) ** 2) / (4 * gamma_1 * gamma_2)),
    "Gumbel": (log(beta_2 / beta_1) + EulerGamma * (beta_1 / beta_2 - 1)
               + exp((mu_2 - mu_1) / beta_2) * gamma(beta_1 / beta_2 + 1) - 1 + (mu_1 - mu_2) / beta_2),
    "Pareto": Piecewise((log(alpha_1 / alpha_2) + alpha_2 * log(x_m_1 / x_m_2) + alpha_2 / alpha_1 - 1,
                         x_m_1 >= x_m_2), (oo, True)),
    "HalfNormal": log(sigma_2 / sigma_1) + sigma_1 ** 2 / (2 * sigma_2 ** 2) - S.Half,
    "LogNormal": KL_NORMAL,
    "Weibull": (log(k_1 / lam_1 ** k_1) - log(k_2 / lam_2 ** k_2) + (k_1 - k_2) * (log(lam_1) - EulerGamma / k_1)
                + (lam_1 / lam_2) ** k_2 * gamma(k_2 / k_1 + 1) - 1),
    "ContinuousBernoulli": (_cb_log_normalizer(lam_1) - _cb_log_normalizer(lam_2)
                            + (lam_1 / (2 * lam_1 - 1) + 1 / (2 * atanh(1 - 2 * lam_1)))
                            * log(lam_1 * (1 - lam_2) / (lam_2 * (1 - lam_1)))
                            + log((1 - lam_1) / (1 - lam_2))),
    "Rayleigh": 2 * log(sigma_2 / sigma_1) + sigma_1 ** 2 / sigma_2 ** 2 - 1,
    "ChiSquared": loggamma(k_2 / 2) - loggamma(k_1 / 2) + (k_1 - k_2) / 2 * digamma(k_1 / 2),
    "InverseGamma": ((alpha_1 - alpha_2) * digamma(alpha_1) - loggamma(alpha_1) + loggamma(alpha_2)
                     + alpha_2 * (log(beta_1) - log(beta_2)) + alpha_1 * (beta_2 - beta_1) / beta_1),
    "Bernoulli": p_1 * log(p_1 / p_2) + (1 - p_1) * log((1 - p_1) / (1 - p_2)),
    "Binomial": n * (p_1 * log(p_1 / p_2) + (1 - p_1) * log((1 - p_1) / (1 - p_2))),
    "Poisson": rate_1 * log(rate_1 / rate_2) + rate_2 - rate_1,
    "Geometric": log(p_1 / p_2) + (1 - p_1) / p_1 * log((1 - p_1) / (1 - p_2)),
}

# -- the families of the second catalog: Chi and von Mises (Kitagawa & Rowley 2022, "von
# Mises–Fisher distributions and their statistical divergence"), inverse Gaussian (the
# standard exponential-family computation, e.g. Nielsen & Nock 2011), half-Cauchy (the
# Cauchy's, halved on both sides), logit-normal (KL is invariant under logit), Moyal
# (e^{−Z} is χ²₁: E[Z] = γ + log 2, E[e^{−tZ}] = 2^t Γ(½ + t)/√π), negative binomial
# (an exponential family in log(1 − p)) -----------------------------------------------------
kappa_1, kappa_2, r = sp.symbols("kappa_1 kappa_2 r", positive=True)
mu_1p, mu_2p = sp.symbols("mu_1 mu_2", positive=True)
from sympy import besseli, cos, sqrt  # noqa: E402

SAME_FAMILY.update({
    "Chi": loggamma(k_2 / 2) - loggamma(k_1 / 2) + (k_1 - k_2) / 2 * digamma(k_1 / 2),
    "VonMises": (log(besseli(0, kappa_2) / besseli(0, kappa_1))
                 + besseli(1, kappa_1) / besseli(0, kappa_1) * (kappa_1 - kappa_2 * cos(mu_1 - mu_2))),
    "InverseGaussian": (log(lam_1 / lam_2) / 2 + lam_2 / (2 * lam_1) - S.Half
                        + lam_2 * (mu_1p - mu_2p) ** 2 / (2 * mu_1p * mu_2p ** 2)),
    "HalfCauchy": log((gamma_1 + gamma_2) ** 2 / (4 * gamma_1 * gamma_2)),
    "LogitNormal": KL_NORMAL,
    "Moyal": (log(sigma_2 / sigma_1) + ((sigma_1 * (EulerGamma + log(2)) + mu_1 - mu_2) / sigma_2
                                        + exp((mu_2 - mu_1) / sigma_2) * 2 ** (sigma_1 / sigma_2)
                                        * gamma(S.Half + sigma_1 / sigma_2) / sqrt(pi)
                                        - EulerGamma - log(2) - 1) / 2),
    "NegativeBinomial": r * log(p_1 / p_2) + r * (1 - p_1) / p_1 * log((1 - p_1) / (1 - p_2)),
})

#: the entropy of Student's t (Wikipedia, "Student's t-distribution")
nu = sp.Symbol("nu", positive=True)
ENTROPY_STUDENT_T = ((nu + 1) / 2 * (digamma((nu + 1) / 2) - digamma(nu / 2))
                     + log(sp.sqrt(nu) * sp.beta(nu / 2, S.Half)) + log(sigma))


def kl_multinomial(n, p, q):
    """n Σ p_i log(p_i / q_i): the counts of n independent categorical trials."""
    return n * kl_categorical(p, q)


def renyi_multinomial(n, p, q, alpha):
    """n/(α − 1) · log Σ p_i^α q_i^{1−α} (the multinomial theorem)."""
    return n * log(sp.Add(*(a**alpha * b**(1 - alpha) for a, b in zip(p, q)))) / (alpha - 1)


def js_cauchy(x0_1, gamma_1, x0_2, gamma_2):
    """log(2√K/(1 + √K)), K = ((γ₁ + γ₂)² + (x₀₁ − x₀₂)²)/(4γ₁γ₂) = e^{KL} (Nielsen & Okamura
    2021, "On f-divergences between Cauchy distributions": every f-divergence of two Cauchy
    laws is a function of KL, here JS)."""
    k = ((gamma_1 + gamma_2)**2 + (x0_1 - x0_2)**2) / (4 * gamma_1 * gamma_2)
    return log(2 * sp.sqrt(k) / (1 + sp.sqrt(k)))


def kl_wishart(n1, v1, n2, v2):
    """KL(W_k(n₁, V₁) ‖ W_k(n₂, V₂)) = (n₁/2)(tr(V₂⁻¹V₁) − k) + (n₂/2)·log(det V₂/det V₁)
    + log Γ_k(n₂/2) − log Γ_k(n₁/2) + ((n₁ − n₂)/2)·ψ_k(n₁/2), for explicit matrices
    (Penny 2001, "KL-divergences of Normal, Gamma, Dirichlet and Wishart densities")."""
    k = v1.rows
    log_multigamma = lambda a: k * (k - 1) * log(pi) / 4 + sp.Add(*(sp.loggamma(a - S(j) / 2) for j in range(k)))
    multidigamma = lambda a: sp.Add(*(sp.digamma(a - S(j) / 2) for j in range(k)))
    return (n1 * ((v2.inv() * v1).trace() - k) / 2 + n2 * log(v2.det() / v1.det()) / 2
            + log_multigamma(n2 / S(2)) - log_multigamma(n1 / S(2)) + (n1 - n2) * multidigamma(n1 / S(2)) / 2)


def kl_inverse_wishart(n1, psi1, n2, psi2):
    """KL of two inverse Wisharts: that of the Wisharts of X⁻¹, W(n, Ψ⁻¹) (KL is kept by the
    bijection X ↦ X⁻¹)."""
    return kl_wishart(n1, psi1.inv(), n2, psi2.inv())

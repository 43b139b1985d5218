"""Checking a hand-written VAE loss term against symkl, as you would in your own tests.

A VAE's encoder gives, for each latent coordinate, a mean μ and a log-variance
log σ²; the KL term of its loss is KL(N(μ, diag σ²) ‖ N(0, I)), usually written
out by hand.  symkl derives the same divergence from the densities, and
``assert_kl_matches`` compares the two at random valid points.  The wrong
variants below are bugs seen in the wild; the helper catches each of them.

Run it with ``pytest examples/test_my_vae_kl.py``.
"""
import numpy as np
import pytest
from hypothesis import given, settings

from symkl import DiagonalNormal, kl
from symkl.testing import assert_kl_matches, parameters

#: the encoder's output distribution (n latent coordinates) and the prior
POSTERIOR = DiagonalNormal.symbolic("mu", "sigma", "n")
PRIOR = DiagonalNormal(0, 1)


def vae_kl(mu, logvar):
    """The KL term of a VAE loss: ½ Σ (σ² + μ² − 1 − log σ²), from mean and log-variance."""
    return 0.5 * np.sum(np.exp(logvar) + mu ** 2 - 1 - logvar, axis=-1)


def vae_kl_pytorch_style(mu, logvar):
    """The same term as PyTorch's VAE example writes it."""
    return -0.5 * np.sum(1 + logvar - mu ** 2 - np.exp(logvar), axis=-1)


def vae_kl_without_the_half(mu, logvar):
    """Wrong: the ½ forgotten."""
    return np.sum(np.exp(logvar) + mu ** 2 - 1 - logvar, axis=-1)


def vae_kl_with_sigma_for_variance(mu, logvar):
    """Wrong: the standard deviation exp(½·logvar) used where the variance belongs."""
    return 0.5 * np.sum(np.exp(0.5 * logvar) + mu ** 2 - 1 - logvar, axis=-1)


def in_symkl_terms(vae_term):
    """symkl's parameters are the scales σ; the encoder's are log σ²."""
    return lambda mu, sigma: vae_term(mu, 2 * np.log(sigma))


@pytest.mark.parametrize("vae_term", [vae_kl, vae_kl_pytorch_style])
def test_vae_kl_matches_the_derived_divergence(vae_term):
    assert_kl_matches(in_symkl_terms(vae_term), POSTERIOR, PRIOR)


@pytest.mark.parametrize("wrong", [vae_kl_without_the_half, vae_kl_with_sigma_for_variance])
def test_a_wrong_vae_kl_is_caught(wrong):
    with pytest.raises(AssertionError, match="significant digits"):
        assert_kl_matches(in_symkl_terms(wrong), POSTERIOR, PRIOR)


def test_vae_kl_with_a_fixed_latent_size():
    names = ["m1", "m2", "m3"], ["s1", "s2", "s3"]

    def by_coordinate(m1, m2, m3, s1, s2, s3):
        mu, sigma = np.array([m1, m2, m3]), np.array([s1, s2, s3])
        return vae_kl(mu, 2 * np.log(sigma))

    assert_kl_matches(by_coordinate, DiagonalNormal(*names), PRIOR, points=20)


@settings(max_examples=25, deadline=None)
@given(parameters(POSTERIOR))
def test_a_batch_agrees_with_the_generated_code(values):
    # hypothesis draws the latent size and valid means and scales; the derived
    # closed form, compiled for numpy, evaluates the same batch row by row
    mu, sigma = np.array(values["mu"]), np.array(values["sigma"])
    batch_mu, batch_sigma = np.stack([mu, mu / 2]), np.stack([sigma, 2 * sigma])
    reference = kl(POSTERIOR, PRIOR).lambdify()(mu=batch_mu, sigma=batch_sigma)
    np.testing.assert_allclose(vae_kl(batch_mu, 2 * np.log(batch_sigma)), reference, rtol=1e-12, atol=1e-14)

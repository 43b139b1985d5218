"""Worst relative error of lambdified closed forms (float64) against 50-digit values.

    python benchmarks/codegen_accuracy.py [--points 2000]

Regimes: parameters spread over many decades (σ from 1e-6 to 1e6,
probabilities from 1e-12 to 1 − 1e-12), and p ≈ q, where the closed form's
terms cancel to first order.  Nothing here runs in the test suite.
"""
import argparse
import random

import mpmath

import symkl as sk


def worst(result, points, backend="math"):
    f = result.lambdify(backend)
    error = 0.0
    for values in points:
        with mpmath.workdps(50):
            truth = sk.numeric.quadrature.to_mpmath(result.evalf(values, n=50))
        error = max(error, float(abs(mpmath.mpf(f(**values)) - truth) / abs(truth)))
    return error


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=2000)
    n = parser.parse_args().points
    rng = random.Random(0)
    normal, bernoulli = sk.kl(sk.Normal(), sk.Normal()), sk.kl(sk.Bernoulli(), sk.Bernoulli())
    spread = [{"mu_1": rng.uniform(-1e3, 1e3), "mu_2": rng.uniform(-1e3, 1e3),
               "sigma_1": 10 ** rng.uniform(-6, 6), "sigma_2": 10 ** rng.uniform(-6, 6)} for _ in range(n)]
    close = []
    for _ in range(n):
        s = 10 ** rng.uniform(-6, 6)
        close.append({"mu_1": 0.0, "mu_2": s * 10 ** rng.uniform(-8, -1),
                      "sigma_1": s, "sigma_2": s * (1 + 10 ** rng.uniform(-8, -1))})
    edge = lambda: rng.choice([10 ** rng.uniform(-12, -1), 1 - 10 ** rng.uniform(-12, -1), rng.uniform(0.01, 0.99)])
    apart = []
    while len(apart) < n:
        p, q = edge(), edge()
        if max(p / q, q / p, (1 - p) / (1 - q), (1 - q) / (1 - p)) >= 1.5:
            apart.append({"p_1": p, "p_2": q})
    near = []
    while len(near) < n:
        p = edge()
        q = p * (1 + 10 ** rng.uniform(-8, -1)) if p < 0.5 else 1 - (1 - p) * (1 + 10 ** rng.uniform(-8, -1))
        if 0 < q < 1 and q != p:
            near.append({"p_1": p, "p_2": q})
    print(f"worst relative error over {n} points, math backend (numpy agrees):")
    print(f"  Normal, σ in [1e-6, 1e6], μ in [-1e3, 1e3]     {worst(normal, spread):.2e}")
    print(f"  Normal, σ₂/σ₁ − 1 and Δμ/σ in [1e-8, 0.1]      {worst(normal, close):.2e}")
    print(f"  Bernoulli, p, q in [1e-12, 1 − 1e-12], apart   {worst(bernoulli, apart):.2e}")
    print(f"  Bernoulli, q/p − 1 in [1e-8, 0.1]              {worst(bernoulli, near):.2e}")


if __name__ == "__main__":
    main()

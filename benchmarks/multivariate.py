"""Random vectors: cold derivations in fresh processes, and the lambdified VAE term.

    python benchmarks/multivariate.py [--runs 5] [--rows 1000000]

1. Each derivation is timed in a new interpreter (nothing cached), median
   over the runs: the matrix-symbolic MultivariateNormal KL, the explicit
   k = 3 one with symbolic entries, the symbolic-length DiagonalNormal KL.
2. ``kl(DiagonalNormal(μ, σ), DiagonalNormal(0, 1)).lambdify()`` for k = 16,
   evaluated over a batch of ``--rows`` rows in float64, against the
   hand-written numpy expression 0.5·Σ(σ² + μ² − 1 − log σ²) (best of 5 each).
Nothing here runs in the test suite.
"""
import argparse
import statistics
import subprocess
import sys
import textwrap
import timeit

DERIVATIONS = {
    "MVN matrix-symbolic": "sk.MultivariateNormal(), sk.MultivariateNormal()",
    "MVN explicit k=3, symbolic entries": "explicit(1), explicit(2)",
    "DiagonalNormal symbolic length": "sk.DiagonalNormal(), sk.DiagonalNormal()",
    "DiagonalNormal vs N(0, I), symbolic length": "sk.DiagonalNormal(), sk.DiagonalNormal(0, 1)",
    "Dirichlet symbolic K": "sk.Dirichlet(), sk.Dirichlet()",
}

COLD = """
import time
import symkl as sk

def explicit(tag, k=3):
    mean = [f"m{tag}{i}" for i in range(1, k + 1)]
    cov = [[f"s{tag}{min(i, j)}{max(i, j)}" for j in range(1, k + 1)] for i in range(1, k + 1)]
    return sk.MultivariateNormal(mean, cov)

t = time.perf_counter()
r = sk.kl(PAIR)
print(time.perf_counter() - t, r.closed_form)
"""


def cold(pair, runs):
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", textwrap.dedent(COLD.replace("PAIR", pair))],
                             capture_output=True, text=True, check=True).stdout.split()
        assert out[1] == "True", out
        times.append(float(out[0]))
    return statistics.median(times)


def vae(rows, k=16):
    import numpy as np

    import symkl as sk
    mu_names = [f"m{i}" for i in range(k)]
    sigma_names = [f"s{i}" for i in range(k)]
    f = sk.kl(sk.DiagonalNormal(mu_names, sigma_names), sk.DiagonalNormal(0, 1)).lambdify()
    rng = np.random.default_rng(0)
    mu = rng.normal(size=(rows, k))
    sigma = rng.uniform(0.1, 3.0, size=(rows, k))
    # one contiguous array per parameter, as a caller with k named parameters holds them
    columns = {**{n: np.ascontiguousarray(mu[:, i]) for i, n in enumerate(mu_names)},
               **{n: np.ascontiguousarray(sigma[:, i]) for i, n in enumerate(sigma_names)}}

    def by_hand():
        return 0.5 * np.sum(sigma ** 2 + mu ** 2 - 1 - np.log(sigma ** 2), axis=1)

    assert np.allclose(f(**columns), by_hand(), rtol=1e-12)
    ours = min(timeit.repeat(lambda: f(**columns), number=1, repeat=5))
    hand = min(timeit.repeat(by_hand, number=1, repeat=5))
    # the symbolic-length form takes whole arrays (the sum runs over the last axis)
    g = sk.kl(sk.DiagonalNormal(), sk.DiagonalNormal(0, 1)).lambdify()
    assert np.allclose(g(mu_1=mu, sigma_1=sigma), by_hand(), rtol=1e-12)
    indexed = min(timeit.repeat(lambda: g(mu_1=mu, sigma_1=sigma), number=1, repeat=5))
    return ours, indexed, hand


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=1_000_000)
    arguments = parser.parse_args()
    print(f"{'cold derivation (median of ' + str(arguments.runs) + ' fresh processes)':<48} seconds")
    for name, pair in DERIVATIONS.items():
        print(f"  {name:<46} {cold(pair, arguments.runs):7.3f}")
    ours, indexed, hand = vae(arguments.rows)
    print(f"\nVAE KL term, k = 16, {arguments.rows} rows, float64 (best of 5):")
    print(f"  lambdified, explicit k = 16        {ours:.4f} s   ratio {ours / hand:.2f}")
    print(f"  lambdified, symbolic length        {indexed:.4f} s   ratio {indexed / hand:.2f}")
    print(f"  hand-written numpy                 {hand:.4f} s")


if __name__ == "__main__":
    main()

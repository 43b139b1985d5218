"""How well generated float code agrees with 50-digit values.

    python benchmarks/codegen_accuracy.py [--points 2000] [--sweep] [--extreme 20] [--removable]

Always: the worst relative error of the lambdified Normal and Bernoulli KL
over wide and nearly-equal parameters (σ from 1e-6 to 1e6, probabilities from
1e-12 to 1 − 1e-12, p ≈ q, where the closed form's terms cancel to first
order).  ``--sweep``: for each backend, how many closed pairs of the catalog
and multivariate results agree at every random point and tie of
``tests/pairs.py`` (the slow test's criterion, see tests/test_codegen.py),
and which do not.  ``--extreme N``: N points a closed pair with locations
uniform in ±1e6 and scales (every positive parameter but a shape) log-uniform
in [1e-6, 1e6], counted as agreeing, inaccurate, overflowing (inf or nan where
the value is finite) or failing.  ``--removable``: the worst relative error at
z ± 10⁻ᵏ, k = 1 … 15, of each removable singularity s = z that codegen finds
(ContinuousBernoulli's normaliser at λ = 1/2), where generated code switches
to a Taylor series.  Nothing here runs in the test suite.
"""
import argparse
import collections
import random
import sys
import warnings
from pathlib import Path

import mpmath
import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import symkl as sk  # noqa: E402
from symkl.families.base import POSITIVE, REAL  # noqa: E402

import pairs  # noqa: E402
from test_codegen import BACKENDS, agrees, exact, failures, is_closed  # noqa: E402

#: positive parameters that are shapes, not scales (they keep their usual range)
SHAPES = {("Gamma", "alpha"), ("Beta", "alpha"), ("Beta", "beta"), ("Weibull", "k"), ("Pareto", "alpha"),
          ("InverseGamma", "alpha"), ("StudentT", "nu"), ("ChiSquared", "k")}


def worst(result, points, backend="math"):
    f = result.lambdify(backend)
    return max(float(abs(mpmath.mpf(f(**values)) - exact(result, values)) / abs(exact(result, values)))
               for values in points)


def regimes(n):
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


def closed_results():
    """(label, result) for every closed pair of the catalog, then the multivariate results."""
    found = [(pairs.pair_id(pair), pairs.derived(*pair)) for pair in pairs.pairs()]
    return ([(label, r) for label, r in found if is_closed(r)]
            + [(label, sk.kl(p, q)) for label, p, q in pairs.multivariate()])


def sweep():
    results = closed_results()
    for backend in BACKENDS:
        wrong = {}
        for label, result in results:
            try:
                found = failures(result, backend)
            except Exception as error:  # a backend that cannot evaluate it at all
                found = [("lambdify", {}, repr(error))]
            if found:
                wrong[label] = found
        print(f"{backend}: {len(results) - len(wrong)} of {len(results)} closed results agree "
              f"at every random point and tie")
        for label, found in wrong.items():
            print(f"  {label}: {found[0]}")


def extreme_points(result, n, rng):
    points = []
    for _ in range(20 * n):
        values = {}
        for family in (result.p, result.q):
            for parameter, symbol in zip(family.parameters, family.args):
                if not isinstance(symbol, sp.Symbol) or symbol in values:
                    continue
                if parameter.constraint is REAL:
                    values[symbol] = rng.uniform(-1e6, 1e6)
                elif parameter.constraint is POSITIVE and (type(family).__name__, parameter.name) not in SHAPES:
                    values[symbol] = 10 ** rng.uniform(-6, 6)
                else:  # exact: a float exponent makes the 50-digit evaluation slow
                    values[symbol] = parameter.constraint.draw(rng)
        try:
            result.p.subs(values), result.q.subs(values)
        except ValueError:
            continue
        points.append(values)
        if len(points) == n:
            break
    return points


def extreme(n, backend="numpy"):
    counts, worst_pairs = collections.Counter(), {}
    for label, result in closed_results():
        if not all(isinstance(a, sp.Symbol) or a.is_number for f in (result.p, result.q) for a in f.args):
            continue  # vectors: the scalar pairs only
        f = result.lambdify(backend)
        for values in extreme_points(result, n, random.Random(label)):
            truth = exact(result, values)
            if not mpmath.isfinite(truth) or abs(truth) > 1e300:
                counts["value infinite or beyond a double"] += 1
                continue
            try:
                value = f(**{str(k): int(v) if getattr(v, "is_Integer", False) else float(v)
                             for k, v in values.items()})
            except ArithmeticError as error:
                kind, value = "error", repr(error)
            else:
                kind = ("agrees" if agrees(result, values, value) else
                        "overflow or nan" if not mpmath.isfinite(mpmath.mpmathify(value)) else "inaccurate")
            counts[kind] += 1
            if kind != "agrees":
                worst_pairs.setdefault(label, []).append((kind, value, mpmath.nstr(truth, 10), values))
    print(f"{backend}, {n} extreme points a pair: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    for label, found in worst_pairs.items():
        kinds = collections.Counter(k for k, *_ in found)
        print(f"  {label}: {dict(kinds)}; e.g. {found[0]}")


def near_removable(results=None, decades=15, backends=BACKENDS):
    """The worst relative error at z ± 10⁻ᵏ (k = 1 … ``decades``) and at z, for each removable
    singularity (s, z) that codegen finds in ``results`` (default: ContinuousBernoulli's
    entropy and KL, where the formula reads 0/0 at λ = 1/2), the other parameters at the
    family's sample points and, for two parameters at once, each near its own z."""
    from symkl import codegen
    results = results or [("entropy CB", sk.entropy(sk.ContinuousBernoulli())),
                          ("KL CB-CB", sk.kl(sk.ContinuousBernoulli(), sk.ContinuousBernoulli()))]
    for label, result in results:
        points = codegen.singular_points(result, result.expr)
        others = pairs.random_points(result, n=2)
        cases = [([(s, z)], values) for s, z in points for values in others]
        if len(points) > 1:
            cases.append((points, others[0]))
        truths = {}
        for backend in backends:
            f = result.lambdify(backend)
            worst_error, where = 0.0, None
            for near, values in cases:
                for k in [None] + list(range(1, decades + 1)):
                    for sign in (1, -1):
                        point = dict(values)
                        for n, (s, z) in enumerate(near):  # two parameters: off on either side
                            point[s] = float(z) + (0 if k is None else (sign if n == 0 else -sign) * 10.0 ** -k)
                        given = {str(s): float(v) for s, v in point.items()}
                        key = tuple(sorted(given.items()))
                        if key not in truths:
                            truths[key] = exact(result, {s: sp.Rational(v) for s, v in point.items()})
                        truth = truths[key]
                        value = mpmath.mpf(float(f(**given)))
                        error = float(abs(value - truth) / abs(truth)) if truth else abs(float(value))
                        if not error <= worst_error:
                            worst_error, where = error, given
            print(f"{label} near {', '.join(f'{s} = {z}' for s, z in points)}, {backend}: "
                  f"worst relative error {worst_error:.1e} at {where}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=2000)
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--extreme", type=int, default=0, metavar="N")
    parser.add_argument("--removable", action="store_true")
    arguments = parser.parse_args()
    warnings.simplefilter("ignore")
    regimes(arguments.points)
    if arguments.removable:
        near_removable()
    if arguments.sweep:
        sweep()
    if arguments.extreme:
        extreme(arguments.extreme)


if __name__ == "__main__":
    main()

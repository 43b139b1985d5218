"""Cold derivations of the divergences beyond KL, and the Rényi catalog, timed (not in the
test suite).

    python benchmarks/divergences.py [--runs 5] [--catalog]

Each divergence (Rényi's D_α with α a Symbol; total variation, Jensen–Shannon and an
f-divergence; a few KLs and Bhattacharyya distances) of two generic members of a family is derived in a fresh interpreter
(nothing cached), median over the runs, CPU seconds of the derivation alone; then one
50-digit verification at a random point (α = 1/3).  ``--catalog`` also derives D_α for
every same-family pair in one process.
"""
import argparse
import statistics
import subprocess
import sys

#: (what, the call deriving it from two generic members of a family)
CASES = [(f"Rényi {family}", f'sk.renyi(sk.{family}(), sk.{family}(), "alpha")')
         for family in ["Normal", "Exponential", "Gamma", "Beta", "Poisson", "Bernoulli"]] + [
    ("TV Normal", "sk.total_variation(sk.Normal(), sk.Normal())"),
    ("TV Exponential", "sk.total_variation(sk.Exponential(), sk.Exponential())"),
    ("TV Cauchy", "sk.total_variation(sk.Cauchy(), sk.Cauchy())"),
    ("TV Poisson", "sk.total_variation(sk.Poisson(), sk.Poisson())"),
    ("JS Bernoulli", "sk.jensen_shannon(sk.Bernoulli(), sk.Bernoulli())"),
    ("JS Normal (numeric)", "sk.jensen_shannon(sk.Normal(), sk.Normal())"),
    ("JS Cauchy", "sk.jensen_shannon(sk.Cauchy(), sk.Cauchy())"),
    ("KL Multinomial K = 3",
     'sk.kl(sk.Multinomial("n", ["a1", "a2", "a3"]), sk.Multinomial("n", ["b1", "b2", "b3"]))'),
    ("D_B Multinomial K = 3",
     'sk.bhattacharyya(sk.Multinomial("n", ["a1", "a2", "a3"]), sk.Multinomial("n", ["b1", "b2", "b3"]))'),
    ("D_B Multinomial symbolic K", "sk.bhattacharyya(sk.Multinomial(), sk.Multinomial())"),
    ("KL StudentT ‖ Normal", "sk.kl(sk.StudentT(), sk.Normal())"),
    ("Rényi MVN matrix-symbolic", 'sk.renyi(sk.MultivariateNormal(), sk.MultivariateNormal(), "alpha")'),
    ("D_B InverseGamma ‖ Gamma", "sk.bhattacharyya(sk.InverseGamma(), sk.Gamma())"),
    ("f = t log t + (√t − 1)² Gamma",
     "sk.f_divergence(sk.Gamma(), sk.Gamma(), lambda t: t*sp.log(t) + (sp.sqrt(t) - 1)**2)"),
]

COLD = """
import time, random
import sympy as sp
import symkl as sk
t = time.thread_time()
r = {call}
derived = time.thread_time() - t
values = {{}}
for f in (r.p, r.q):
    values.update(f.sample(random.Random(0), values))
values = {{str(k): v for k, v in values.items()}}
if r.order is not None and not isinstance(r.order, sp.Lambda):
    values["alpha"] = sp.Rational(1, 3)
t = time.thread_time()
digits = r.verify(values, dps=50).digits
print(derived, time.thread_time() - t, digits, r.closed_form)
"""

CATALOG = """
import time
import symkl as sk
from symkl.families import CONTINUOUS, DISCRETE
t = time.thread_time()
closed = 0
for family in CONTINUOUS + DISCRETE:
    r = sk.renyi(family(), family(), "alpha")
    closed += r.closed_form
print(time.thread_time() - t, closed, len(CONTINUOUS + DISCRETE))
"""


def run(code):
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--catalog", action="store_true")
    arguments = parser.parse_args()
    print(f"{'generic pair':<32} {'derive (s)':>10} {'verify (s)':>10}  digits  closed")
    for name, call in CASES:
        rows = [run(COLD.format(call=call)) for _ in range(arguments.runs)]
        derive = statistics.median(float(r[0]) for r in rows)
        verify = statistics.median(float(r[1]) for r in rows)
        print(f"{name:<32} {derive:10.2f} {verify:10.2f}  {rows[0][2]:>6}  {rows[0][3]}")
    if arguments.catalog:
        seconds, closed, total = run(CATALOG)
        print(f"same-family Rényi catalog: {closed} of {total} closed, {float(seconds):.1f} s CPU")


if __name__ == "__main__":
    main()

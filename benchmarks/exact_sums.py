"""Derivations over large finite supports, each cold in a fresh process (CPU seconds).

    python benchmarks/exact_sums.py [--runs 3]

An explicit Categorical with K = 400 and a Binomial with n = 5000 (and its
entropy, whose sum of log-binomials is left as a ``Sum`` for numbers past a
thousand terms).  Nothing here runs in the test suite.
"""
import argparse
import statistics
import subprocess
import sys
import textwrap

CASES = {
    "Categorical K=400 ‖ Categorical K=400": """
        rng = random.Random(0)
        w, v = ([rng.randint(1, 100) for _ in range(400)] for _ in range(2))
        r = sk.kl(sk.Categorical([R(a, sum(w)) for a in w]), sk.Categorical([R(b, sum(v)) for b in v]))""",
    "Binomial n=5000 ‖ Binomial n=5000": "r = sk.kl(sk.Binomial(5000, R(1, 3)), sk.Binomial(5000, R(1, 4)))",
    "entropy of Binomial n=300": "r = sk.entropy(sk.Binomial(300, R(1, 3)))",
    "entropy of Binomial n=5000": "r = sk.entropy(sk.Binomial(5000, R(1, 3)))",
}

TIMED = """
import random, time
import sympy as sp
import symkl as sk
R = sp.Rational
start = time.process_time()
{case}
print(time.process_time() - start, sp.N(r.expr, 15))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    print(f"{'derivation':<42}{'CPU s':>8}   value (median of {runs} fresh processes)")
    for name, case in CASES.items():
        code = TIMED.format(case=textwrap.dedent(case).strip())
        outputs = []
        for _ in range(runs):
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
            if done.returncode:
                raise RuntimeError(done.stderr)
            outputs.append(done.stdout.split())
        seconds = statistics.median(float(o[0]) for o in outputs)
        print(f"{name:<42}{seconds:>8.2f}   {outputs[0][1]}")


if __name__ == "__main__":
    main()

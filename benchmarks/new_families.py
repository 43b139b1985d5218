"""Cold KL derivations of the second catalog's families, and their 50-digit checks.

    python benchmarks/new_families.py [--runs 3]

Each same-family KL (and Kumaraswamy ‖ Beta, the series) is derived in a fresh
interpreter, first and uncached; the median CPU seconds over the runs is
reported, then one 50-digit verification at a drawn point.  Nothing here runs
in the test suite.
"""
import argparse
import statistics
import subprocess
import sys

PAIRS = ["Chi", "VonMises", "InverseGaussian", "HalfCauchy", "HalfStudentT", "LogitNormal",
         "Kumaraswamy", "Moyal", "GeneralizedNormal", "NegativeBinomial", "Kumaraswamy Beta"]

RUN = """
import random, time
import symkl as sk
p, q = {names!r}
t = time.process_time()
r = sk.kl(getattr(sk, p)(), getattr(sk, q)())
derived = time.process_time() - t
rng = random.Random(1)
values = r.p.sample(rng); values.update(r.q.sample(rng, known=values))
t = time.process_time()
digits = r.verify(values).digits
print(derived, time.process_time() - t, digits, r.closed_form)
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    print(f"{'pair':<36} {'derive (s)':>10} {'verify (s)':>10} {'digits':>6}  closed")
    for pair in PAIRS:
        names = tuple(pair.split()) if " " in pair else (pair, pair)
        times = []
        for _ in range(runs):
            out = subprocess.run([sys.executable, "-c", RUN.format(names=names)],
                                 capture_output=True, text=True, check=True).stdout.split()
            times.append(float(out[0]))
        print(f"{' ‖ '.join(names):<36} {statistics.median(times):10.2f} {float(out[1]):10.2f} "
              f"{out[2]:>6}  {out[3]}")


if __name__ == "__main__":
    main()

"""User densities (``sk.from_density``), cold, timed (not in the test suite).

    python benchmarks/user_densities.py [--runs 5]

Each case, in a fresh interpreter (nothing cached), makes the distribution from its
density (which checks that it integrates to 1) and derives KL against a twin with
other parameters; CPU seconds of the two, median over the runs; then one 50-digit
verification; then KL of a mixture of two Normals against a Normal, with its bounds,
verified to 30 digits.
"""
import argparse
import statistics
import subprocess
import sys

SETUP = """
import sympy as sp, symkl as sk
x, xr = sp.Symbol("x", positive=True), sp.Symbol("x", real=True)
a, b, c, s, t = sp.symbols("a b c s t", positive=True)
mu = sp.Symbol("mu", real=True)
"""

#: (what, the density's from_density call, the twin's parameters, values for the check)
CASES = [
    ("Maxwell", 'sk.from_density(sp.sqrt(2/sp.pi)*x**2*sp.exp(-x**2/(2*a**2))/a**3, x, '
                'sp.Interval(0, sp.oo), name="Maxwell")', 'a="b"', {"a": 2, "b": 3}),
    ("Lévy", 'sk.from_density(sp.sqrt(c/(2*sp.pi))*sp.exp(-c/(2*x))/x**sp.Rational(3, 2), x, '
             'sp.Interval(0, sp.oo))', 'c="b"', {"c": 1, "b": 2}),
    ("Fréchet", 'sk.from_density(a/s*(x/s)**(-1 - a)*sp.exp(-(x/s)**-a), x, sp.Interval(0, sp.oo))',
     'a="b", s="t"', {"a": 2, "s": 1, "b": 3, "t": 2}),
    ("generalized normal β = 4", 'sk.from_density(2/(a*sp.gamma(sp.Rational(1, 4)))*sp.exp(-((xr - mu)/a)**4), '
                                 'xr, sp.Reals)', 'a="b"', {"mu": 0, "a": 1, "b": 2}),
]

COLD = SETUP + """
import time
t0 = time.thread_time()
p = {make}
made = time.thread_time() - t0
r = sk.kl(p, p.with_parameters({twin}))
derived = time.thread_time() - t0 - made
digits = r.verify({values}).digits
print(made, derived, digits, r.closed_form)
"""


MIXTURE = """
import time
import sympy as sp, symkl as sk
t0 = time.thread_time()
mix = sk.Mixture([sk.Normal(-1, 1), sk.Normal(1, 1)], [sp.S(1)/2, sp.S(1)/2])
r = sk.kl(mix, sk.Normal(0, 2))
derived = time.thread_time() - t0
check = r.verify(dps=30)
print(derived, time.thread_time() - t0 - derived, check.digits)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"{'density':<28} {'made':>8} {'KL':>8}  digits  closed")
    for name, make, twin, values in CASES:
        times = []
        for _ in range(runs):
            out = subprocess.run([sys.executable, "-c", COLD.format(make=make, twin=twin, values=values)],
                                 capture_output=True, text=True, check=True).stdout.split()
            times.append((float(out[0]), float(out[1])))
            digits, closed = out[2], out[3]
        made = statistics.median(t[0] for t in times)
        derived = statistics.median(t[1] for t in times)
        print(f"{name:<28} {made:7.2f}s {derived:7.2f}s  {digits:>6}  {closed}")
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", MIXTURE], capture_output=True, text=True,
                             check=True).stdout.split()
        times.append((float(out[0]), float(out[1])))
    print(f"mixture of two Normals ‖ Normal: derived (with bounds) "
          f"{statistics.median(t[0] for t in times):.2f}s, verified to {out[2]} of 30 digits in "
          f"{statistics.median(t[1] for t in times):.2f}s")


if __name__ == "__main__":
    main()

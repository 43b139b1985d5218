"""Cold derivation and 50-digit verification times, each in a fresh process.

    python benchmarks/derive.py [--runs 7]

For each KL of the core families, a new interpreter imports symkl and times
the first (uncached) derivation; the median over the runs is reported with
the import time beside it.  For comparison, plain ``sympy.integrate`` of
p·log(p/q) is timed the same way on the same pair.  Finally one 50-digit
verification per pair.  Nothing here runs in the test suite.
"""
import argparse
import statistics
import subprocess
import sys
import textwrap

PAIRS = {
    "Normal‖Normal": "sk.Normal(), sk.Normal()",
    "Exponential‖Exponential": "sk.Exponential(), sk.Exponential()",
    "Categorical(K=3)‖Categorical(K=3)":
        "sk.Categorical(list(sp.symbols('a:3', positive=True))), "
        "sk.Categorical(list(sp.symbols('b:3', positive=True)))",
    "Categorical(K)‖Categorical(K)": "sk.Categorical.symbolic('p', 'K'), sk.Categorical.symbolic('q', 'K')",
}
POINTS = {
    "Normal‖Normal": "{'mu_1': 0, 'sigma_1': 1, 'mu_2': 1, 'sigma_2': 2}",
    "Exponential‖Exponential": "{'rate_1': sp.Rational(1, 3), 'rate_2': 5}",
    "Categorical(K=3)‖Categorical(K=3)":
        "{'a0': sp.Rational(1, 2), 'a1': sp.Rational(1, 4), 'a2': sp.Rational(1, 4),"
        " 'b0': sp.Rational(1, 3), 'b1': sp.Rational(1, 3), 'b2': sp.Rational(1, 3)}",
    "Categorical(K)‖Categorical(K)":
        "{'K': 3, 'p': [sp.Rational(1, 2), sp.Rational(1, 4), sp.Rational(1, 4)], 'q': [sp.Rational(1, 3)] * 3}",
}

SYMKL = """
import time
t0 = time.perf_counter()
import sympy as sp
import symkl as sk
t1 = time.perf_counter()
r = sk.kl({pair})
t2 = time.perf_counter()
v = r.verify({point}, dps=50)
t3 = time.perf_counter()
assert v.digits >= 30, v
print(t1 - t0, t2 - t1, t3 - t2)
"""

PLAIN_SYMPY = """
import time
import sympy as sp
x = sp.Symbol("x", real=True)
m1, m2 = sp.symbols("mu_1 mu_2", real=True)
s1, s2 = sp.symbols("sigma_1 sigma_2", positive=True)
p = sp.exp(-(x - m1)**2 / (2*s1**2)) / sp.sqrt(2*sp.pi*s1**2)
q = sp.exp(-(x - m2)**2 / (2*s2**2)) / sp.sqrt(2*sp.pi*s2**2)
t = time.perf_counter()
result = sp.integrate(p * sp.log(p / q), (x, -sp.oo, sp.oo))
print(time.perf_counter() - t, not result.has(sp.Integral))
"""


def fresh(code: str, timeout: float = 300) -> list[str]:
    run = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, timeout=timeout)
    if run.returncode:
        raise RuntimeError(run.stderr)
    return run.stdout.split()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    print(f"{'pair':<36}{'import':>9}{'derive':>9}{'verify 50':>11}   (median of {runs} fresh processes, s)")
    for name, pair in PAIRS.items():
        times = [list(map(float, fresh(SYMKL.format(pair=pair, point=POINTS[name]))))
                 for _ in range(runs)]
        imports, derives, verifies = (statistics.median(column) for column in zip(*times))
        print(f"{name:<36}{imports:>9.3f}{derives:>9.3f}{verifies:>11.3f}")
    plain = [fresh(PLAIN_SYMPY) for _ in range(3)]
    seconds = statistics.median(float(t) for t, _ in plain)
    closed = all(ok == "True" for _, ok in plain)
    print(f"\nplain sympy.integrate of p·log(p/q), Normal‖Normal: {seconds:.2f} s median of 3"
          f" ({'closed form' if closed else 'no closed form'})")


if __name__ == "__main__":
    main()

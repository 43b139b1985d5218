"""Times of the numeric check: ``Result.verify`` and ``quad_kl`` on the hard cases.

    python benchmarks/verify.py [--dps 50] [--only NAME]

Each case is derived first (not timed), then verified; the table gives the
verification's wall-clock and CPU seconds (the second is what a busy machine
changes least), its digits, and the quadrature value.
The cases: a plain Normal ‖ Normal, Dirichlet K = 3 over the simplex (issue 9 item 14: over 590 s at
dps 50 before the double-exponential cubature), the extremes of item 12
(Beta with α = 10^-6, Weibull with k = 1/100, a Normal at μ = 10^200,
Poisson(10^6)) and a few more (landmarks at e^(10^6), a Gumbel with β = 10^-50, a closed
form holding an integral), and divergent integrals, which must come out ∞ quickly.
Nothing here runs in the test suite.
"""
import argparse
import time

import mpmath
import sympy as sp

import symkl as sk

R = sp.Rational
CASES = {
    "Normal(0, 1) ‖ Normal(1, 2)": (lambda: sk.kl(sk.Normal(), sk.Normal()),
                                    {"mu_1": 0, "sigma_1": 1, "mu_2": 1, "sigma_2": 2}),
    "Dirichlet K=3": (lambda: sk.kl(sk.Dirichlet(["a1", "a2", "a3"]), sk.Dirichlet(["b1", "b2", "b3"])),
                      {"a1": 2, "a2": R(1, 2), "a3": 3, "b1": 1, "b2": 2, "b3": R(3, 2)}),
    "Beta(1e-6, 1e-6) ‖ Beta(1, 1)": (lambda: sk.kl(sk.Beta(), sk.Beta()),
                                      {"alpha_1": 1e-6, "beta_1": 1e-6, "alpha_2": 1, "beta_2": 1}),
    "Weibull(1, 0.01) ‖ Weibull(2, 0.5)": (lambda: sk.kl(sk.Weibull(), sk.Weibull()),
                                           {"lam_1": 1, "k_1": 0.01, "lam_2": 2, "k_2": 0.5}),
    "Normal(1e200, 1) ‖ Normal(1e200, 2)": (lambda: sk.kl(sk.Normal(), sk.Normal()),
                                            {"mu_1": 1e200, "sigma_1": 1, "mu_2": 1e200, "sigma_2": 2}),
    "Poisson(1e6) ‖ Poisson(1e6 + 1000)": (lambda: sk.kl(sk.Poisson(), sk.Poisson()),
                                           {"rate_1": 10 ** 6, "rate_2": 10 ** 6 + 1000}),
    "LogNormal(1e6, 1) ‖ LogNormal(1e6, 2)": (lambda: sk.kl(sk.LogNormal(), sk.LogNormal()),
                                              {"mu_1": 10 ** 6, "sigma_1": 1, "mu_2": 10 ** 6, "sigma_2": 2}),
    "Gumbel(0, 1e-50) ‖ Gumbel(0, 1)": (lambda: sk.kl(sk.Gumbel(), sk.Gumbel()),
                                        {"mu_1": 0, "beta_1": 1e-50, "mu_2": 0, "beta_2": 1}),
    "StudentT(1/100) ‖ StudentT(1/50) (∫ held)": (lambda: sk.kl(sk.StudentT(), sk.StudentT()),
                                                  {"nu_1": R(1, 100), "mu_1": 0, "sigma_1": 1,
                                                   "nu_2": R(1, 50), "mu_2": 0, "sigma_2": 1}),
    "Cauchy ‖ Normal (∞)": (lambda: sk.Result("kl", sk.Cauchy(0, 1), sk.Normal(0, 1), sp.oo, ()), {}),
    "StudentT(3) ‖ Gumbel (∞)": (lambda: sk.Result("kl", sk.StudentT(3, 0, 1), sk.Gumbel(0, 1), sp.oo, ()), {}),
    "Logistic ‖ Gumbel, s = β (∞)": (lambda: sk.Result("kl", sk.Logistic(R(11, 10), R(11, 10)),
                                                        sk.Gumbel(R(7, 10), R(11, 10)), sp.oo, ()), {}),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dps", type=int, default=50)
    parser.add_argument("--only", help="run the cases whose name contains this")
    arguments = parser.parse_args(argv)
    print(f"{'case':40} {'wall s':>7} {'CPU s':>7} {'digits':>7}  quadrature")
    for name, (make, values) in CASES.items():
        if arguments.only and arguments.only not in name:
            continue
        result = make()
        wall, cpu = time.perf_counter(), time.process_time()
        check = result.verify(values, dps=arguments.dps)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{name:40} {wall:7.2f} {cpu:7.2f} {check.digits:>7}  {mpmath.nstr(check.quadrature, 20)}",
              flush=True)


if __name__ == "__main__":
    main()

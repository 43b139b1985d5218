"""Code from closed forms: lambdify backends and source in Python, C, Fortran."""
import math
import random
import shutil
import subprocess

import mpmath
import numpy as np
import pytest
import sympy as sp

import symkl as sk

NORMAL = sk.kl(sk.Normal(), sk.Normal())
BERNOULLI = sk.kl(sk.Bernoulli(), sk.Bernoulli())


def exact(result, values):
    with mpmath.workdps(50):
        return mpmath.mpf(sk.numeric.quadrature.to_mpmath(result.evalf(values, n=50)))


def wide_normal_points(n, seed=0):
    rng = random.Random(seed)
    for _ in range(n):
        yield {"mu_1": rng.uniform(-1e3, 1e3), "mu_2": rng.uniform(-1e3, 1e3),
               "sigma_1": 10 ** rng.uniform(-6, 6), "sigma_2": 10 ** rng.uniform(-6, 6)}


def bernoulli_points(n, seed=0):
    """Probabilities near 0, near 1 and between, p_1 and p_2 apart by a factor ≥ 1.5."""
    rng = random.Random(seed)
    while n:
        values = {f"p_{t}": rng.choice([10 ** rng.uniform(-12, -1), 1 - 10 ** rng.uniform(-12, -1),
                                        rng.uniform(0.01, 0.99)]) for t in (1, 2)}
        p, q = values["p_1"], values["p_2"]
        if max(p / q, q / p, (1 - p) / (1 - q), (1 - q) / (1 - p)) >= 1.5:
            n -= 1
            yield values


def worst_relative_error(result, backend, points):
    f = result.lambdify(backend)
    worst = 0.0
    for values in points:
        truth = exact(result, values)
        worst = max(worst, float(abs(mpmath.mpf(f(**values)) - truth) / abs(truth)))
    return worst


@pytest.mark.parametrize("backend", ["math", "numpy", "mpmath"])
def test_normal_code_is_accurate_over_twelve_decades_of_sigma(backend):
    assert worst_relative_error(NORMAL, backend, wide_normal_points(200)) < 1e-12


@pytest.mark.parametrize("backend", ["math", "numpy"])
def test_bernoulli_code_is_accurate_near_0_and_1(backend):
    assert worst_relative_error(BERNOULLI, backend, bernoulli_points(200)) < 1e-10


def near_normal_points(n, seed=0):
    rng = random.Random(seed)
    for _ in range(n):
        s = 10 ** rng.uniform(-6, 6)
        yield {"mu_1": 0.0, "mu_2": s * 10 ** rng.uniform(-8, -1),
               "sigma_1": s, "sigma_2": s * (1 + 10 ** rng.uniform(-8, -1))}


def near_bernoulli_points(n, seed=0):
    rng = random.Random(seed)
    while n:
        p = rng.choice([10 ** rng.uniform(-12, -1), 1 - 10 ** rng.uniform(-12, -1), rng.uniform(0.01, 0.99)])
        q = p * (1 + 10 ** rng.uniform(-8, -1)) if p < 0.5 else 1 - (1 - p) * (1 + 10 ** rng.uniform(-8, -1))
        if 0 < q < 1 and q != p:
            n -= 1
            yield {"p_1": p, "p_2": q}


@pytest.mark.parametrize("backend", ["math", "numpy"])
@pytest.mark.parametrize("result, points", [(NORMAL, near_normal_points), (BERNOULLI, near_bernoulli_points)],
                         ids=["normal", "bernoulli"])
def test_code_keeps_its_digits_as_q_approaches_p(backend, result, points):
    # the closed form's terms are of order 1 and its value of order (q − p)²:
    # written as it is, q/p − 1 = 1e-8 would leave no correct digit
    assert worst_relative_error(result, backend, points(200)) < 1e-13


def test_near_equal_form_is_the_same_function():
    from symkl.codegen import log1pmx, near_equal
    form = near_equal(NORMAL, NORMAL.expr)
    near = form.args[0][0]
    assert near.has(log1pmx)
    assert sp.simplify(near.rewrite(sp.log) - NORMAL.expr) == 0


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_optional_backends(backend):
    pytest.importorskip(backend, reason=f"{backend} is not installed")
    f = NORMAL.lambdify(backend)
    assert float(f(mu_1=0.0, sigma_1=1.0, mu_2=1.0, sigma_2=2.0)) == pytest.approx(0.4431471805599453)


def test_log_of_one_plus_x_becomes_log1p():
    from symkl.codegen import stable
    x = sp.Symbol("x", positive=True)
    assert stable(sp.log(1 + x)).func.__name__ == "log1p"


def test_python_source_runs_and_agrees():
    for result, values in ((NORMAL, {"mu_1": 0.5, "sigma_1": 2.0, "mu_2": -1.0, "sigma_2": 0.3}),
                           (sk.kl(sk.Gamma(), sk.Gamma()),
                            {"alpha_1": 2.0, "alpha_2": 1.5, "beta_1": 3.0, "beta_2": 0.5})):
        namespace = {}
        exec(result.code("python", name="f"), namespace)
        assert float(namespace["f"](**values)) == pytest.approx(float(exact(result, values)), rel=1e-14)


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")
def test_c_source_compiles_and_agrees(tmp_path):
    source = NORMAL.code("c", name="kl")
    main = source + """
#include <stdio.h>
int main(void) { printf("%.17g\\n", kl(0.5, -1.0, 2.0, 0.3)); return 0; }
"""
    (tmp_path / "kl.c").write_text(main)
    subprocess.run(["cc", "-O2", "-o", str(tmp_path / "kl"), str(tmp_path / "kl.c"), "-lm"], check=True)
    printed = float(subprocess.run([str(tmp_path / "kl")], capture_output=True, text=True).stdout)
    values = {"mu_1": 0.5, "mu_2": -1.0, "sigma_1": 2.0, "sigma_2": 0.3}
    assert printed == pytest.approx(float(exact(NORMAL, values)), rel=1e-14)


def test_fortran_source_declares_every_parameter():
    source = NORMAL.code("fortran")
    assert source.startswith("real(8) function kl_normal_normal(mu_1, mu_2, sigma_1, sigma_2)")
    for name in ("mu_1", "mu_2", "sigma_1", "sigma_2"):
        assert f"real(8), intent(in) :: {name}" in source


@pytest.mark.parametrize("call, message", [
    (lambda: sk.kl(sk.Gamma(), sk.Gamma()).code("c"), "C has no polygamma"),
    (lambda: NORMAL.code("cobol"), "unknown language"),
    (lambda: NORMAL.lambdify("excel"), "unknown backend"),
    (lambda: sk.kl(sk.DiagonalNormal(), sk.DiagonalNormal()).code("c"), "use lambdify"),
    (lambda: sk.kl(sk.Poisson(), sk.Geometric()).lambdify(), "no closed form"),
])
def test_what_cannot_become_code_says_why(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_numpy_backend_broadcasts():
    f = NORMAL.lambdify()
    sigma = np.logspace(-6, 6, 13)
    values = f(mu_1=0.0, mu_2=1.0, sigma_1=sigma, sigma_2=1.0)
    assert values.shape == (13,)
    assert values[6] == pytest.approx(0.5)
    assert math.isfinite(values[0]) and math.isfinite(values[-1])

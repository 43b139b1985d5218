"""Text from a user never runs as code: payloads through every entry point, and no marker file.

Each payload would create a marker file if anything handed it to ``eval``,
``exec``, ``sympify``, a shell or a compiler as code.  Every entry point is
tried: the families' constructors, the divergences and their ``base`` and
``budget``, the values given to ``subs``, ``evalf`` and ``verify``, the
generated code (executed) and ``lambdify``, and every subcommand of the CLI.
"""
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

import symkl as sk
from symkl.cli import main
from symkl.errors import InvalidInput, InvalidType, Unsupported
from symkl.families import FAMILIES

REFUSED = (InvalidInput, InvalidType, Unsupported)


def payloads(marker) -> list:
    """Strings that touch ``marker`` if evaluated by Python, a shell or a C compiler's output."""
    m = str(marker)
    return [
        f"__import__('os').system('touch {m}')",
        f"__import__('pathlib').Path('{m}').touch() or 1",
        f"exec(\"open('{m}', 'w').close()\")",
        f"1; import os; os.system('touch {m}')",
        f'x#"""\n;__import__("os").system("touch {m}");"""\n',
        f') {{ system("touch {m}"); }} double g(double b',
        f"$(touch {m})",
    ]


@pytest.fixture
def marker(tmp_path):
    return tmp_path / "marker"


def refused(call):
    """Run ``call``; True if symkl refused it as the user's mistake (anything else propagates)."""
    try:
        call()
    except REFUSED:
        return True
    return False


def test_constructors_refuse_payloads_in_every_parameter(marker):
    for payload in payloads(marker):
        for family in FAMILIES.values():
            for i in range(len(family.parameters)):
                values = [p.name for p in family.parameters]
                values[i] = payload
                assert refused(lambda: family(*values)), (family, i)
        vectors = [
            lambda: sk.MultivariateNormal(payload, [[1]]), lambda: sk.MultivariateNormal([payload], [[1]]),
            lambda: sk.MultivariateNormal([0], [[payload]]), lambda: sk.MultivariateNormal([0], payload),
            lambda: sk.MultivariateNormal(np.array([payload]), np.array([[1]])),
            lambda: sk.MultivariateNormal.symbolic(payload, "Sigma", "k"),
            lambda: sk.MultivariateNormal.symbolic("mu", "Sigma", payload),
            lambda: sk.DiagonalNormal(payload, 1), lambda: sk.DiagonalNormal([payload], [1]),
            lambda: sk.DiagonalNormal(payload, "sigma"), lambda: sk.DiagonalNormal.symbolic("mu", payload),
            lambda: sk.Dirichlet(payload), lambda: sk.Dirichlet([1, payload]),
            lambda: sk.Dirichlet.symbolic(payload), lambda: sk.Dirichlet.symbolic("a", payload),
            lambda: sk.Categorical(payload), lambda: sk.Categorical([payload, 1]),
            lambda: sk.Categorical(np.array([payload])), lambda: sk.Categorical.symbolic(payload, "K"),
            lambda: sk.Categorical.symbolic("p", payload),
        ]
        for make in vectors:
            assert refused(make)
    assert not marker.exists()


def test_divergences_refuse_payloads_as_distributions_base_and_budget(marker):
    p, q = sk.Normal(0, 1), sk.Normal(1, 2)
    for payload in payloads(marker):
        for divergence in (sk.kl, sk.cross_entropy, sk.asymmetry):
            assert refused(lambda: divergence(payload, q))
            assert refused(lambda: divergence(p, payload))
            assert refused(lambda: divergence(p, q, base=payload))
            assert refused(lambda: divergence(p, q, budget=payload))
        assert refused(lambda: sk.entropy(payload))
        assert refused(lambda: sk.entropy(p, base=payload))
        assert refused(lambda: sk.entropy(p, budget=payload))
    assert not marker.exists()


RESULTS = {
    "normal": (sk.kl(sk.Normal(), sk.Normal()), {"mu_1": 0, "sigma_1": 1, "mu_2": 1, "sigma_2": 2}),
    "multivariate": (sk.kl(sk.MultivariateNormal(), sk.MultivariateNormal()),
                     {"k": 1, "mu_1": [0], "Sigma_1": [[1]], "mu_2": [1], "Sigma_2": [[2]]}),
    "diagonal": (sk.kl(sk.DiagonalNormal(), sk.DiagonalNormal(0, 1)), {"n": 1, "mu_1": [0], "sigma_1": [2]}),
    "categorical": (sk.kl(sk.Categorical.symbolic("p", "K"), sk.Categorical.symbolic("q", "K")),
                    {"K": 2, "p": [sp.S.Half, sp.S.Half], "q": [sp.S.Half, sp.S.Half]}),
}


@pytest.mark.parametrize("name", RESULTS)
def test_values_refuse_payloads_in_any_shape(marker, name):
    result, point = RESULTS[name]
    for payload in payloads(marker):
        for key in point:
            for value in (payload, [payload], [[payload]], {1: payload}, np.array([payload]),
                          (payload,), [0, payload]):
                for use in (result.subs, result.evalf, result.verify):
                    assert refused(lambda: use({**point, key: value})), (key, value, use)
        assert refused(lambda: result.subs({payload: 0}))
        assert refused(lambda: result.evalf(point, payload))
    assert not marker.exists()


#: names that are valid identifiers of a user's but reserved words in Python, C or Fortran
RESERVED = [("lambda", "def"), ("import", "exec"), ("int", "double"), ("return", "end"),
            ("function", "print")]


@pytest.mark.parametrize("mu, sigma", RESERVED)
def test_generated_code_runs_and_runs_nothing_else(marker, tmp_path, mu, sigma):
    result = sk.kl(sk.Normal(mu, sigma), sk.Normal(0, 1))
    values = {mu: 0.5, sigma: 2.0}
    truth = float(result.evalf(values))
    assert result.lambdify()(**values) == pytest.approx(truth, rel=1e-12)
    assert result.lambdify("math")(**values) == pytest.approx(truth, rel=1e-12)
    for name in [None, *payloads(marker)]:
        try:
            source = result.code("python", name)
        except REFUSED:
            continue
        namespace = {}
        exec(compile(source, "<generated>", "exec"), namespace)  # the module, as a user runs it
        function = [v for v in namespace.values() if callable(v)][-1]
        assert function(values[mu], values[sigma]) == pytest.approx(truth, rel=1e-12)  # p's, then q's
        if shutil.which("cc"):
            _run_c(result, name, [values[mu], values[sigma]], truth, tmp_path)
    assert not marker.exists()


def _run_c(result, name, arguments, truth, tmp_path):
    """Compile the C code with a main calling it, run it, compare."""
    try:
        source = result.code("c", name)
    except REFUSED:
        return
    function = re.findall(r"double\s+(\w+)\s*\(", source)[-1]
    program = tmp_path / "kl.c"
    program.write_text(f'{source}\n#include <stdio.h>\nint main(void) {{ printf("%.17g\\n", '
                       f'{function}({", ".join(map(repr, arguments))})); return 0; }}\n')
    built = subprocess.run(["cc", "-o", str(tmp_path / "kl"), str(program), "-lm"],
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    ran = subprocess.run([str(tmp_path / "kl")], capture_output=True, text=True, timeout=60)
    assert float(ran.stdout) == pytest.approx(truth, rel=1e-12)


def command_lines(payload) -> list:
    """Every subcommand, with the payload in each of the places text goes."""
    return [
        ["kl", f"normal:{payload},1", "normal"], ["kl", "normal", f"{payload}:1"],
        ["kl", "normal", "normal", "--budget", payload], ["kl", "normal:0,1", "normal:1,2", "--verify",
                                                          "--dps", payload],
        ["cross-entropy", "exponential", f"exponential:{payload}"],
        ["entropy", f"categorical:{payload}"], ["entropy", "normal", "--budget", payload],
        ["asym", f"normal:0,{payload}", "normal"],
        ["verify", "normal:0,1", f"normal:1,{payload}"], ["verify", "normal:0,1", "normal:1,2", "--kind", payload],
        ["code", "normal", "normal", "--language", payload], ["code", f"dirichlet:{payload}", "dirichlet"],
        ["plot", "normal:0,1", "normal:0,2", "--vary", payload, "--over", "1,2", "--out", "x.png"],
        ["plot", "normal:0,1", "normal:0,2", "--vary", "sigma_2", "--over", payload, "--out", "x.png"],
        ["plot", "normal:0,1", "normal:0,2", "--out", payload],
        ["families", payload],
        ["catalog", "--write", payload], ["catalog", "--budget", payload],
    ]


def test_the_command_line_refuses_payloads_everywhere(capsys, marker):
    for payload in payloads(marker):
        for argv in command_lines(payload):
            assert main(argv) == 2, argv
            assert capsys.readouterr().err.count("\n") == 1
    assert not marker.exists()


@pytest.mark.parametrize("argv", [command_lines("__import__('os').system('touch MARKER')")[i]
                                  for i in (0, 4, 6, 7, 8, 10, 12, 15, 16)], ids=lambda argv: argv[0])
def test_every_subcommand_as_a_process_refuses_a_payload(tmp_path, argv):
    marker = tmp_path / "marker"
    argv = [a.replace("MARKER", str(marker)) for a in argv]
    run = subprocess.run([sys.executable, "-m", "symkl", *argv], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path)
    assert run.returncode == 2 and run.stderr.startswith("symkl: error: "), run.stderr
    assert not marker.exists()

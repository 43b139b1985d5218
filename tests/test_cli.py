"""The symkl command, driven as a user would."""
import subprocess
import sys

import pytest

from symkl.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_general_formula_as_a_subprocess():
    run = subprocess.run([sys.executable, "-m", "symkl", "kl", "normal", "normal"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("D_KL(Normal(mu_1, sigma_1) ‖ Normal(mu_2, sigma_2)) =")
    assert "⎛σ₂⎞" in run.stdout and run.stderr == ""


def test_latex_and_steps(capsys):
    code, out, _ = run(capsys, "kl", "normal", "normal", "--latex")
    assert code == 0 and out.startswith(r"D_{\mathrm{KL}}\left(\mathcal{N}")
    code, out, _ = run(capsys, "kl", "normal", "normal", "--latex", "--steps")
    assert code == 0 and out.startswith("\\begin{align*}")
    code, out, _ = run(capsys, "kl", "exponential", "exponential", "--steps")
    assert code == 0 and "[from the log-partition]" in out


def test_numeric_verification(capsys):
    code, out, _ = run(capsys, "kl", "normal:0,1", "normal:1,2", "--verify", "--dps", "50")
    assert code == 0
    assert "-1/4 + log(2)" in out
    assert "agreement    50 of 50 significant digits" in out


def test_bits_and_fractions(capsys):
    code, out, _ = run(capsys, "kl", "categorical:1/2,1/2", "categorical:1/4,3/4", "--bits", "--verify")
    assert code == 0 and "log(2)" in out and "of 50 significant digits" in out


def test_entropy_cross_entropy_asymmetry_families(capsys):
    assert run(capsys, "entropy", "exponential")[1].strip().endswith("1 - log(rate)")
    assert "rate₂" in run(capsys, "cross-entropy", "exponential", "exponential")[1]
    code, out, _ = run(capsys, "asym", "normal:0,0.1", "normal:0,10")
    assert code == 0 and "-9999/20000 + log(100)" in out and "equal when: never" in out
    assert r"\iff" in run(capsys, "asym", "normal", "normal", "--latex")[1]
    code, out, _ = run(capsys, "families")
    assert code == 0 and out.splitlines()[0].startswith("normal")


def test_infinite_with_reason(capsys):
    code, out, _ = run(capsys, "kl", "normal", "exponential")
    assert code == 0 and "∞" in out and "p has mass where q has none" in out


@pytest.mark.parametrize("argv, message", [
    (["kl", "frobozz", "normal"], "unknown family 'frobozz'"),
    (["kl", "normal:0", "normal"], "Normal takes 2 parameter(s) (mu, sigma), got 1"),
    (["kl", "normal:0,-1", "normal"], "Normal: sigma must be positive, got -1"),
    (["kl", "normal:0,0", "normal"], "Normal: sigma must be positive, got 0"),
    (["kl", "normal:__import__('os'),1", "normal"], "not a number"),
    (["kl", "normal:1e99999999,1", "normal"], "number out of range"),
    (["kl", "normal:" + "9" * 500 + ",1", "normal"], "number out of range"),
    (["kl", "categorical:1/2,1/3", "categorical:1/2,1/2"], "probabilities must sum to 1"),
    (["kl", "categorical:1/2,1/2", "categorical:1/3,1/3,1/3"], "same number of categories"),
    (["kl", "normal", "normal", "--verify"], "verify needs a value for every parameter"),
    (["kl", "normal"], "the following arguments are required: q"),
    (["frobnicate"], "invalid choice"),
    ([], "the following arguments are required: command"),
])
def test_bad_input_is_one_line_on_stderr_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("symkl: error: ")
    assert message in err


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["kl", "--help"])
    assert exit_.value.code == 0
    assert "symkl kl normal:0,1 normal:1,2 --verify --dps 50" in capsys.readouterr().out


def test_json_for_scripts(capsys):
    import json
    code, out, _ = run(capsys, "kl", "gamma:2,3", "exponential:1", "--json", "--verify", "--dps", "30")
    data = json.loads(out)
    assert code == 0 and data["expr"] == "-EulerGamma - 1/3 + log(3)" and data["closed_form"]
    assert data["value"].startswith("0.18806329043324349745539981350")
    assert data["verification"]["digits"] == 30
    data = json.loads(run(capsys, "kl", "normal", "exponential", "--json")[1])
    assert data["infinite"] and "p has mass where q has none" in data["reason"]
    data = json.loads(run(capsys, "asym", "exponential", "exponential", "--json")[1])
    assert data["equal_when"] == "Eq(rate_1, rate_2)"
    data = json.loads(run(capsys, "entropy", "normal", "--json", "--steps")[1])
    assert data["steps"][-1]["label"] == "simplified"


def test_verify_and_code_commands(capsys):
    code, out, _ = run(capsys, "verify", "normal:0,1", "normal:1,2", "--dps", "40")
    assert code == 0 and "agreement    40 of 40 significant digits" in out
    code, out, _ = run(capsys, "code", "normal", "normal", "--language", "c")
    assert code == 0 and out.startswith("#include <math.h>") and "log1p" in out
    code, out, _ = run(capsys, "code", "exponential", "exponential", "--language", "fortran")
    assert code == 0 and "real(8) function kl_exponential_exponential(rate_1, rate_2)" in out
    code, _, err = run(capsys, "code", "gamma", "gamma", "--language", "c")
    assert code == 2 and "C has no polygamma function" in err


@pytest.mark.parametrize("command", ["kl", "cross-entropy", "entropy", "asym", "verify", "code",
                                     "plot", "families", "catalog"])
def test_every_command_has_help_with_examples(capsys, command):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and f"symkl {command}" in out


def test_multivariate_families_on_the_command_line(capsys):
    code, out, _ = run(capsys, "kl", "multivariatenormal", "multivariatenormal", "--latex")
    assert code == 0 and r"\operatorname{tr}" in out
    code, out, _ = run(capsys, "families")
    assert "dirichlet" in out and "multivariatenormal" in out


def test_plot_command_writes_pictures(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    picture = tmp_path / "kl.png"
    code, out, _ = run(capsys, "plot", "normal:0,1", "normal:1,2", "--out", str(picture))
    assert code == 0 and picture.stat().st_size > 1000
    picture = tmp_path / "asym.png"
    code, out, _ = run(capsys, "plot", "normal:0,1", "normal:0,2", "--vary", "sigma_2",
                       "--over", "0.1,10", "--out", str(picture))
    assert code == 0 and picture.stat().st_size > 1000
    code, _, err = run(capsys, "plot", "normal:0,1", "normal:0,2", "--vary", "tau_2",
                       "--over", "1,2", "--out", str(picture))
    assert code == 2 and "Normal has no parameter 'tau'" in err

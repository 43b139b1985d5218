"""The symkl command, driven as a user would."""
import json
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
    code, out, err = run(capsys, "code", "gamma", "gamma", "--language", "c")
    assert code == 0 or (code == 2 and "polygamma" in err), err  # C code, or a clear refusal


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


def symkl_process(*argv, prelude=""):
    """``symkl argv`` in a fresh Python, after running ``prelude`` there (to plant a failure)."""
    script = f"import sys\n{prelude}\nfrom symkl.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", script, *argv], capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("argv, message", [
    (["kl", "frobozz", "normal"], "symkl: error: unknown family 'frobozz'"),           # usage
    (["kl", "normal:0,-1", "normal"], "symkl: error: Normal: sigma must be positive"),  # InvalidInput
    (["entropy", "binomial:100001,1/2"],                                              # Unsupported
     "symkl: error: Binomial: n is too large to compute with (got 100001); symkl takes at most 100,000"),
])
def test_the_users_mistakes_exit_2_with_one_line(argv, message):
    run = symkl_process(*argv)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and run.stderr.startswith(message), run.stderr


@pytest.mark.parametrize("prelude, line", [
    ("import symkl.cli\ndef broken(*a, **k): raise ZeroDivisionError('division by zero')\n"
     "symkl.cli.kl = broken",
     "symkl: internal error (please report it): ZeroDivisionError: division by zero\n"),
    ("import symkl.cli\ndef broken(*a, **k): raise ValueError('a sympy comparison\\nfailed')\n"
     "symkl.cli.kl = broken",
     "symkl: internal error (please report it): ValueError: a sympy comparison failed\n"),
    ("import symkl.cli\nfrom symkl.errors import InternalError\n"
     "def broken(*a, **k): raise InternalError('a rule gave zoo')\nsymkl.cli.kl = broken",
     "symkl: internal error (please report it): a rule gave zoo\n"),
])
def test_symkls_own_mistakes_exit_1_with_one_line_asking_for_a_report(prelude, line):
    run = symkl_process("kl", "normal:0,1", "normal:1,2", prelude=prelude)
    assert run.returncode == 1 and run.stdout == "" and run.stderr == line


def test_a_nan_result_is_an_internal_error_never_printed_with_exit_0(capsys, monkeypatch):
    import sympy as sp

    import symkl.cli
    from symkl import Result
    monkeypatch.setattr(symkl.cli, "kl", lambda p, q, **options: Result("kl", p, q, sp.nan, ()))
    code, out, err = run(capsys, "kl", "normal:0,1", "normal:1,2")
    assert code == 1 and out == "" and "came out as nan, which is no value" in err
    # λ = 1/2 is the removable singularity of the continuous Bernoulli's normaliser
    code, out, err = run(capsys, "kl", "continuousbernoulli:1/2", "normal:0,1", "--json")
    assert code == 1 or (code == 0 and json.loads(out)["value"] not in (None, "nan")), (out, err)


@pytest.mark.parametrize("argv, message", [
    (["kl", "dirichlet:1,2", "normal:0,1"], "Dirichlet([1, 2]) is a distribution of a random vector, "
                                            "Normal(0, 1) one of a single variable"),
    (["kl", "multivariatenormal", "normal"], "is a distribution of a random vector"),
    (["kl", "normal", "normal", "--budget", "0"], "argument --budget: must be more than 0"),
    (["kl", "normal", "normal", "--budget", "-1"], "argument --budget: must be more than 0"),
    (["kl", "normal", "normal", "--budget", "1e300"], "at most 1e+06 seconds, got 1e300"),
    (["kl", "normal", "normal", "--budget", "1e-400"], "argument --budget: must be more than 0"),
    (["kl", "normal", "normal", "--budget", "inf"], "argument --budget: not a number: 'inf'"),
    (["kl", "normal", "normal", "--budget", "nan"], "argument --budget: not a number: 'nan'"),
    (["kl", "normal", "normal", "--budget", "２0"], "argument --budget: not a number"),
    (["verify", "normal:0,1", "normal:1,2", "--dps", "0"], "argument --dps: must be a whole number"),
    (["verify", "normal:0,1", "normal:1,2", "--dps", "1000"], "from 1 to 100 (the most the numeric "
                                                            "checks reach), got '1000'"),
    (["kl", "normal:0,1", "normal:1,2", "--verify", "--dps", "101"], "argument --dps: must be a whole"),
    (["verify", "normal:0,1", "normal:1,2", "--dps", "1.5"], "argument --dps: must be a whole number"),
    (["verify", "normal:0,1", "normal:1,2", "--dps", "５0"], "argument --dps: must be a whole number"),
    (["plot", "normal:0,1", "normal:1,2", "--out", "/nonexistent/x.png"],
     "--out /nonexistent/x.png: there is no directory /nonexistent"),
    (["plot", "normal:0,1", "normal:1,2", "--out", "x.frobozz"], "--out x.frobozz: the name must end in one of"),
    (["plot", "binomial:3,1/2", "binomial:3,1/3", "--vary", "n_2", "--over", "1,5", "--out", "x.png"],
     "--vary n_2: the Binomial's n is a whole number shared by p and q"),
    (["plot", "normal:0,1", "normal:0,2", "--vary", "sigma_2", "--over", "1,1e400", "--out", "x.png"],
     "over must be an increasing range"),
    (["kl", "normal:0,1/0", "normal"], "not a number: '1/0' (a fraction's denominator must not be 0)"),
    (["kl", "normal:0,１", "normal"], "not a number: '１' (use integers, decimals or fractions like 1/3, "
                                      "in ASCII digits)"),
    (["kl", "normal:٣,1", "normal"], "not a number: '٣'"),
    (["kl", "normal:", "normal"], "normal:: numbers go after the colon"),
    (["catalog", "--write", "/nonexistent/x.md"], "--write /nonexistent/x.md: there is no directory"),
    (["catalog", "--jobs", "0"], "argument --jobs: must be a whole number of processes from 1 to 64"),
    (["catalog", "--jobs", "two"], "argument --jobs: must be a whole number of processes"),
])
def test_hostile_and_extreme_command_lines_are_refused_in_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "", err
    assert err.count("\n") == 1 and message in err, err


def test_paths_are_checked_before_anything_is_derived(capsys, monkeypatch, tmp_path):
    import symkl.catalog
    import symkl.cli

    def never(*args, **kwargs):
        raise AssertionError("derived before the path was checked")
    monkeypatch.setattr(symkl.catalog, "derive_all", never)
    monkeypatch.setattr(symkl.cli, "kl", never)
    assert run(capsys, "catalog", "--write", str(tmp_path / "no" / "x.md"))[0] == 2
    assert run(capsys, "catalog", "--write", str(tmp_path))[2].endswith("that is a directory; give a file name\n")
    assert run(capsys, "plot", "normal:0,1", "normal:1,2", "--out", str(tmp_path / "no" / "x.png"))[0] == 2


def test_an_exact_result_with_a_number_of_thousands_of_digits_is_printed(capsys):
    code, out, err = run(capsys, "entropy", "gamma:10000,10000")  # digamma(10000): 4300+ digits
    assert code == 0 and err == "" and out.rstrip().endswith("≈ -3.18626498695010")
    assert len(out) > 8600


def test_plot_draws_the_kl_divergence(capsys, monkeypatch, tmp_path):
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure
    titles = []
    monkeypatch.setattr(Figure, "savefig", lambda figure, *a, **k: titles.append(figure.axes[0].get_title()))
    code, out, _ = run(capsys, "plot", "normal:0,1", "normal:1,2", "--out", str(tmp_path / "kl.png"))
    assert code == 0 and titles == ["D_KL(Normal(0, 1) ‖ Normal(1, 2)) = 0.4431"]
    code, _, _ = run(capsys, "plot", "binomial:3,1/2", "binomial:3,1/3", "--out", str(tmp_path / "b.png"))
    assert code == 0 and titles[1] == "D_KL(Binomial(3, 1/2) ‖ Binomial(3, 1/3)) = 0.1767"

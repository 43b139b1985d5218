"""The README's snippets and the examples run and say what they claim."""
import doctest
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_readme_snippets():
    failures, tried = doctest.testfile(str(ROOT / "README.md"), module_relative=False,
                                       optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 10 and failures == 0


def test_readme_opens_with_install_and_test_commands():
    text = (ROOT / "README.md").read_text()
    block = text.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert block == ["pip install . && symkl kl normal normal", "pip install -e '.[test]' && pytest"]
    assert block[1] in (ROOT / ".ci" / "run").read_text()


def test_dense_vs_dispersed():
    run = subprocess.run([sys.executable, str(ROOT / "examples" / "dense_vs_dispersed.py")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "closed form 4.1052201859880913680" in run.stdout
    assert "closed form 4994.8948298140119086" in run.stdout
    assert run.stdout.count("(50 of 50 digits agree)") == 2
    assert "Eq(sigma_1, sigma_2)" in run.stdout


def test_user_density_example():
    run = subprocess.run([sys.executable, str(ROOT / "examples" / "user_density.py")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "entropy: log(s/a) + EulerGamma + 1 + EulerGamma/a" in run.stdout
    assert r"\operatorname{Frechet}\left(a, s\right)" in run.stdout
    assert "(50 of 50 digits agree with quadrature)" in run.stdout

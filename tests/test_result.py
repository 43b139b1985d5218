"""The result object: LaTeX that compiles, readable text, evaluation by name."""
import shutil
import subprocess

import pytest
import sympy as sp
from sympy import Rational as R

import symkl as sk

NORMAL = sk.kl(sk.Normal(), sk.Normal())


def test_latex_of_the_normal_kl():
    assert NORMAL.latex() == (
        r"D_{\mathrm{KL}}\left(\mathcal{N}\left(\mu_{1}, \sigma_{1}^{2}\right) \,\middle\|\, "
        r"\mathcal{N}\left(\mu_{2}, \sigma_{2}^{2}\right)\right) = "
        r"\log{\left(\frac{\sigma_{2}}{\sigma_{1}} \right)} - \frac{1}{2} + "
        r"\frac{\sigma_{1}^{2} + \left(\mu_{1} - \mu_{2}\right)^{2}}{2 \sigma_{2}^{2}}")


def test_parameters_named_after_a_parameter_print_as_its_letter():
    assert sk.entropy(sk.Exponential()).latex() == \
        r"H\left(\operatorname{Exp}\left(\lambda\right)\right) = 1 - \log{\left(\lambda \right)}"
    assert r"\lambda_{1}" in sk.kl(sk.Exponential(), sk.Exponential()).latex()


def test_derivation_latex_is_an_align_block_with_every_step():
    block = NORMAL.derivation_latex()
    assert block.startswith("\\begin{align*}") and block.endswith("\\end{align*}")
    for label, _ in NORMAL.steps:
        assert rf"\text{{{label}}}" in block
    assert r"\mathbb{E}_{p}\left[x^{2}\right] &= \mu_{1}^{2} + \sigma_{1}^{2}" in block


def test_jupyter_and_text_forms():
    assert NORMAL._repr_latex_() == rf"$\displaystyle {NORMAL.latex()}$"
    assert repr(NORMAL) == ("D_KL(Normal(mu_1, sigma_1) ‖ Normal(mu_2, sigma_2)) = "
                            "log(sigma_2/sigma_1) - 1/2 + (sigma_1**2 + (mu_1 - mu_2)**2)/(2*sigma_2**2)")
    assert "σ₁" in str(NORMAL) and "⎛σ₂⎞" in str(NORMAL)
    assert "[from the log-partition]" in NORMAL.steps_text()
    infinite = sk.kl(sk.Normal(), sk.Exponential())
    assert "p has mass where q has none" in str(infinite)


def test_subs_by_name_symbol_or_keyword():
    by_name = NORMAL.subs({"mu_1": 0, "sigma_1": 1, "mu_2": 1, "sigma_2": 2})
    sigma_1 = sp.Symbol("sigma_1", positive=True)
    by_symbol = NORMAL.subs({sigma_1: 1}, mu_1=0, mu_2=1, sigma_2=2)
    assert by_name.expr == by_symbol.expr == sp.log(2) - R(1, 4)
    assert by_name.p == sk.Normal(0, 1) and by_name.q == sk.Normal(1, 2)
    partial = NORMAL.subs(mu_1=0, mu_2=0)
    assert partial.expr == sk.kl(sk.Normal(0, "sigma_1"), sk.Normal(0, "sigma_2")).expr


def test_subs_refuses_unknown_names():
    with pytest.raises(ValueError, match="no parameter named 'nu'; parameters: mu_1, mu_2, sigma_1, sigma_2"):
        NORMAL.subs(nu=1)


def test_evaluation():
    values = {"mu_1": 0, "sigma_1": 1, "mu_2": 1, "sigma_2": 2}
    assert NORMAL.evalf(values, 30) == sp.N(sp.log(2) - R(1, 4), 30)
    assert float(NORMAL.subs(values)) == pytest.approx(0.4431471805599453, rel=1e-15)


def test_subs_across_a_boundary_derives_again():
    a, b = sp.symbols("a b", positive=True)
    general = sk.kl(sk.Categorical([a, b]), sk.Categorical([R(1, 2), R(1, 2)]))
    assert general.evalf({"a": 0, "b": 1}) == sp.N(sp.log(2))


@pytest.mark.skipif(shutil.which("pdflatex") is None,
                    reason="pdflatex is not installed (CI installs texlive-latex-base)")
def test_latex_compiles(tmp_path):
    results = [NORMAL, sk.kl(sk.Exponential(), sk.Exponential(), base=2),
               sk.entropy(sk.Normal()), sk.cross_entropy(sk.Exponential(), sk.Normal()),
               sk.kl(sk.Categorical.symbolic("p", "K"), sk.Categorical.symbolic("q", "K")),
               sk.kl(sk.Categorical([R(1, 3), R(2, 3)]), sk.Categorical([R(1, 2), R(1, 2)])),
               sk.kl(sk.Normal(), sk.Exponential())]
    body = "\n".join(f"\\[ {r.latex()} \\]\n{r.derivation_latex()}" for r in results)
    body += "\n" + sk.asymmetry(sk.Normal(), sk.Normal()).latex()
    document = ("\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n"
                "\\usepackage[margin=1cm,landscape]{geometry}\n"
                f"\\begin{{document}}\n{body}\n\\end{{document}}\n")
    (tmp_path / "symkl.tex").write_text(document)
    run = subprocess.run(["pdflatex", "-halt-on-error", "-interaction=nonstopmode", "symkl.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]
    assert (tmp_path / "symkl.pdf").stat().st_size > 0

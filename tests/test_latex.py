"""LaTeX of every result compiles in a minimal amsmath article and fits its text width.

The check is pdflatex itself: each formula is set in the article a reader
pastes it into (``\\documentclass{article}\\usepackage{amsmath,amssymb}``,
nothing else), and any error or ``Overfull \\hbox`` in the log fails it.
The fast test covers :data:`pairs.SAMPLE`, a few entropies and the random
vectors; the slow one every pair of the catalog and every family's entropy.
"""
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import sympy as sp
from sympy import Rational as R

import pairs
import symkl as sk
from symkl import render
from symkl.families import CONTINUOUS, DISCRETE
from symkl.notation import Label

PREAMBLE = "\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"
#: formulas per document: few enough that a run stays short, many enough to save runs
PER_DOCUMENT = 200
_MARK = "SYMKL-FORMULA"

needs_pdflatex = pytest.mark.skipif(shutil.which("pdflatex") is None,
                                    reason="pdflatex is not installed (CI installs texlive-latex-base)")


# -- compiling many formulas at once ----------------------------------------------------------
def problems(formulas: dict[str, str]) -> dict[str, list[str]]:
    """{name: what pdflatex reported} for the formulas that do not compile or do not fit.

    A formula is a piece of a document's body (``\\[ … \\]``, ``align*`` …).
    Each is preceded by a ``\\typeout`` marker, so that the errors (``! …``) and
    overfull boxes in the log are attributed to it; pdflatex runs without
    stopping at errors, so that all are seen.  A document with an error is
    compiled again one formula at a time: an error cannot be blamed on a
    later formula.
    """
    names = list(formulas)
    found = {}
    for start in range(0, len(names), PER_DOCUMENT):
        chunk = names[start:start + PER_DOCUMENT]
        report = _compile([formulas[n] for n in chunk])
        if any(line.startswith("!") for lines in report.values() for line in lines):
            report = {i: _compile([formulas[chunk[i]]])[0] for i in report}
        found.update({chunk[i]: lines for i, lines in report.items() if lines})
    return found


def _run(body: str) -> str:
    """The log of pdflatex on the minimal article with ``body``."""
    with tempfile.TemporaryDirectory() as directory:
        (Path(directory) / "f.tex").write_text(PREAMBLE + body + "\\end{document}\n")
        subprocess.run(["pdflatex", "-interaction=nonstopmode", "f.tex"], cwd=directory,
                       capture_output=True, timeout=600)
        return (Path(directory) / "f.log").read_text(errors="replace")


def _compile(bodies: list[str]) -> dict[int, list[str]]:
    """{index: errors and overfull boxes} of one document holding ``bodies``."""
    parts = [f"\\typeout{{{_MARK} {i}}}\n{body}\n\\par\n" for i, body in enumerate(bodies)]
    log = _run("".join(parts) + f"\\typeout{{{_MARK} end}}\n")
    pieces = re.split(rf"^{_MARK} (\d+|end)$", log, flags=re.M)
    logs = dict(zip(pieces[1::2], pieces[2::2]))
    return {i: _findings(logs[str(i)]) if str(i) in logs else ["! pdflatex stopped before it"]
            for i in range(len(bodies))}


def _findings(log: str) -> list[str]:
    errors = [line for line in log.splitlines() if line.startswith("!")]
    overfull = re.findall(r"^(Overfull \\hbox \([\d.]+pt too wide\))", log, flags=re.M)
    return list(dict.fromkeys(errors)) + overfull


def measured(texs: list[str]) -> list[float]:
    """The widths in pt that pdflatex gives math-mode LaTeX in display style."""
    body = "".join(f"\\sbox0{{$\\displaystyle {t}$}}\\typeout{{{_MARK} {i} \\the\\wd0}}\n"
                   for i, t in enumerate(texs))
    found = dict(re.findall(rf"^{_MARK} (\d+) ([\d.]+)pt", _run(body), flags=re.M))
    return [float(found[str(i)]) for i in range(len(texs))]


def forms(name: str, result) -> dict[str, str]:
    """Both LaTeX forms of a result, as a document sets them."""
    return {f"{name}: latex()": f"\\[ {result.latex()} \\]",
            f"{name}: derivation_latex()": result.derivation_latex()}


def assert_compile_and_fit(results: dict):
    formulas = {}
    for name, result in results.items():
        formulas.update(forms(name, result))
    found = problems(formulas)
    assert not found, f"{len(found)} of {len(formulas)} do not compile or fit:\n" + "\n".join(
        f"{name}: {'; '.join(lines[:3])}" for name, lines in sorted(found.items()))


def entropies(families) -> dict:
    return {f"H({family.__name__})": sk.entropy(family()) for family in families}


def multivariate() -> dict:
    """KL of each random-vector case, and the entropy of each distribution in them."""
    results = {}
    for label, p, q in pairs.multivariate():
        results[f"{label}: KL"] = sk.kl(p, q)
        for family in (p, q.sized_like(p)):
            results.setdefault(f"H({family!r})", sk.entropy(family))
    return results


# -- the sweeps -------------------------------------------------------------------------------
@needs_pdflatex
def test_the_check_sees_errors_and_overfull_boxes():
    found = problems({"fine": r"\[ x^{2} \]", "double subscript": r"\[ x_{m}_{1} \]",
                      "text-mode caret": r"\[ \text{E[X^s]} \]",
                      "too wide": r"\[ " + " + ".join(["x"] * 60) + r" \]", "after them": r"\[ y \]"})
    assert set(found) == {"double subscript", "text-mode caret", "too wide"}
    assert found["double subscript"] == ["! Double subscript."]
    assert found["too wide"][0].startswith("Overfull \\hbox")


@needs_pdflatex
def test_sample_compiles_and_fits():
    results = {pairs.pair_id(pair): pairs.derived(*pair) for pair in pairs.SAMPLE}
    results.update(entropies([sk.Normal, sk.Gamma, sk.Pareto, sk.Cauchy, sk.Binomial]))
    results.update(multivariate())
    results.update({
        "Exponential-Exponential in bits": sk.kl(sk.Exponential(), sk.Exponential(), base=2),
        "H(Exponential, Normal)": sk.cross_entropy(sk.Exponential(), sk.Normal()),
        "Categorical K": sk.kl(sk.Categorical.symbolic("p", "K"), sk.Categorical.symbolic("q", "K")),
        "Categorical [1/3, 2/3]": sk.kl(sk.Categorical([R(1, 3), R(2, 3)]),
                                        sk.Categorical([R(1, 2), R(1, 2)])),
        "Normal-Exponential (infinite)": sk.kl(sk.Normal(), sk.Exponential()),
        "Normal(0, 2)-Normal(1, 1/2)": sk.kl(sk.Normal(0, 2), sk.Normal(1, R(1, 2))),
    })
    assert_compile_and_fit(results)


@needs_pdflatex
def test_the_divergences_beyond_kl_compile_and_fit():
    results = {}
    for family in (sk.Normal, sk.Exponential, sk.Cauchy, sk.LogNormal, sk.Poisson, sk.Uniform,
                   sk.Categorical):
        name = family.__name__
        results[f"TV {name}"] = sk.total_variation(family(), family())
        results[f"JS {name}"] = sk.jensen_shannon(family(), family())
    results["Renyi Normal"] = sk.renyi(sk.Normal(), sk.Normal(), "alpha")
    mvn = sk.MultivariateNormal
    results["Renyi MVN symbolic"] = sk.renyi(mvn(), mvn(), "alpha")
    results["alpha MVN symbolic"] = sk.alpha_divergence(mvn(), mvn(), "alpha")
    results["chi2 MVN symbolic"] = sk.chi_square(mvn(), mvn())
    results["H2 MVN symbolic"] = sk.squared_hellinger(mvn(), mvn())
    results["f (t-1)^2/(t+1) Normal"] = sk.f_divergence(sk.Normal(), sk.Normal(),
                                                       lambda t: (t - 1) ** 2 / (t + 1))
    results["f t log t + (sqrt t - 1)^2 Gamma"] = sk.f_divergence(
        sk.Gamma(), sk.Gamma(), lambda t: t * sp.log(t) + (sp.sqrt(t) - 1) ** 2)
    assert_compile_and_fit(results)


@needs_pdflatex
def test_asymmetry_compiles_and_fits():
    blocks = {name: sk.asymmetry(p(), q()).latex() for name, p, q in
              [("Normal", sk.Normal, sk.Normal), ("Gamma", sk.Gamma, sk.Gamma),
               ("Normal-Laplace", sk.Normal, sk.Laplace)]}
    assert not problems(blocks)


_CHUNKS = 8


@pytest.mark.slow
@needs_pdflatex
@pytest.mark.parametrize("chunk", range(_CHUNKS))
def test_every_pair_compiles_and_fits(chunk):
    results = {pairs.pair_id(pair): pairs.derived(*pair) for pair in pairs.pairs()[chunk::_CHUNKS]}
    assert_compile_and_fit(results)


@pytest.mark.slow
@needs_pdflatex
def test_every_entropy_and_the_random_vectors_compile_and_fit():
    assert_compile_and_fit({**entropies(CONTINUOUS + DISCRETE), **multivariate()})


@needs_pdflatex
def test_the_width_estimate_errs_on_the_wide_side():
    """Against pdflatex, over every term and side of the sample's steps: never narrower by
    more than 1 pt, and not more than a fifth wider."""
    texs = set()
    for pair in pairs.SAMPLE:
        result = pairs.derived(*pair)
        printer = result._printer()
        for _, step in result.steps:
            for side in step.args:
                texs.add(printer.doprint(side))
                texs.update(printer.term(t) for t in sp.Add.make_args(side))
    texs = sorted(texs)
    for tex, actual in zip(texs, measured(texs)):
        estimate = render.width(tex)
        assert actual - 1.0 <= estimate <= 1.2 * actual + 2.0, (tex, estimate, actual)


# -- what the printer writes ------------------------------------------------------------------
NORMAL = sk.kl(sk.Normal(), sk.Normal())


def test_a_short_result_is_one_equation():
    assert NORMAL.latex() == (
        r"D_{\mathrm{KL}}\left(\mathcal{N}\left(\mu_{1}, \sigma_{1}^{2}\right) \,\middle\|\, "
        r"\mathcal{N}\left(\mu_{2}, \sigma_{2}^{2}\right)\right) = "
        r"\log{\left(\frac{\sigma_{2}}{\sigma_{1}} \right)} - \frac{1}{2} + "
        r"\frac{\sigma_{1}^{2} + \left(\mu_{1} - \mu_{2}\right)^{2}}{2 \sigma_{2}^{2}}")
    assert NORMAL._repr_latex_() == rf"$\displaystyle {NORMAL.latex()}$"


def test_a_long_result_is_an_aligned_block_broken_at_its_sums():
    x = sp.Symbol("x")
    series = sp.Add(*(x ** k / sp.factorial(k) for k in range(1, 40)))
    tex = render.equation(render.Printer(), "f(x)", series)
    assert tex.startswith(r"\begin{aligned}f(x) &= ") and tex.endswith(r"\end{aligned}")
    rows = tex.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}").split(r" \\ ")
    assert len(rows) > 3 and all(row.startswith(r"&\quad + ") for row in rows[1:])
    assert all(render.width(row.split("&", 1)[1]) <= render.WIDTH for row in rows)
    mvn = sk.kl(sk.MultivariateNormal(), sk.MultivariateNormal())
    assert mvn.latex().startswith(r"\begin{aligned}D_{\mathrm{KL}}")
    assert mvn._repr_latex_() == rf"$\displaystyle {mvn.latex()}$"  # aligned works in MathJax


def test_parameters_named_after_a_parameter_print_as_its_letter():
    assert sk.entropy(sk.Exponential()).latex() == \
        r"H\left(\operatorname{Exp}\left(\lambda\right)\right) = 1 - \log{\left(\lambda \right)}"
    assert r"\lambda_{1}" in sk.kl(sk.Exponential(), sk.Exponential()).latex()


def test_a_subscripted_parameter_takes_its_tag_inside_the_subscript():
    lhs = sk.kl(sk.Pareto(), sk.Cauchy()).lhs_latex()
    assert r"x_{m,1}" in lhs and r"x_{0,2}" in lhs and "}_{" not in lhs


def test_a_sum_begins_with_a_positive_term():
    a, b, x = sp.symbols("a b x", real=True)
    printer = render.Printer()
    assert printer.doprint(sp.log((b - 2) / (b - a))) == \
        r"\log{\left(\frac{b - 2}{b - a} \right)}"
    assert printer.doprint(-a - b) == "- a - b"
    assert r"\left(x - \mu\right)^{2}" in printer.doprint(sk.Normal().log_density(x))


def test_a_minus_is_pulled_out_of_a_factor_and_a_sum():
    a, b, c, x = sp.symbols("a b c x", positive=True)
    i, n = sp.symbols("i n", integer=True)
    mu = sp.IndexedBase("mu_1")
    printer = render.Printer()
    assert printer.doprint(c + x * (-a - b)) == r"c - x \left(a + b\right)"
    assert printer.doprint((-a - 1) * sp.log(x)) == r"- \left(a + 1\right) \log{\left(x \right)}"
    assert printer.doprint(c - x * (-a - b) / 3) == r"c + \frac{x \left(a + b\right)}{3}"
    assert printer.doprint(x * (-a - b) * (-c - 1)) == r"x \left(a + b\right) \left(c + 1\right)"
    assert printer.doprint(c + sp.Sum(-mu[i] ** 2, (i, 1, n))) == \
        r"c - \sum_{i=1}^{n} \mu_{1,i}^{2}"
    assert printer.doprint(c - sp.Sum(-mu[i], (i, 1, n))) == r"c + \sum_{i=1}^{n} \mu_{1,i}"
    assert printer.doprint(c - 2 * sp.Sum(-mu[i], (i, 1, n))) == r"c + 2 \sum_{i=1}^{n} \mu_{1,i}"
    assert printer.doprint(sp.IndexedBase("x")[i]) == "x_{i}"


def test_a_weibull_moment_reads_gamma_of_one_plus_one_over_k():
    k, a, b = sp.symbols("k a b", positive=True)
    printer = render.Printer()
    assert printer.doprint(sp.gamma((k + 1) / k)) == r"\Gamma\left(1 + \frac{1}{k}\right)"
    assert printer.doprint(sp.gamma((k - 1) / k)) == r"\Gamma\left(1 - \frac{1}{k}\right)"
    assert printer.doprint(sp.gamma((a + 1) / b)) == r"\Gamma\left(\frac{a + 1}{b}\right)"
    assert r"\Gamma\left(1 + \frac{2}{k_{1}}\right)" in sk.kl(sk.Weibull(), sk.Normal()).derivation_latex()


def test_variances_and_the_identity():
    printer = render.Printer()
    assert printer.doprint(sk.Normal(0, 1)) == r"\mathcal{N}\left(0, 1\right)"
    assert printer.doprint(sk.Normal(0, 2)) == r"\mathcal{N}\left(0, 4\right)"
    assert printer.doprint(sk.DiagonalNormal(0, 1)) == r"\mathcal{N}\left(0, I\right)"
    assert printer.doprint(sk.DiagonalNormal.symbolic("mu", "sigma", "n")) == \
        r"\mathcal{N}\left(\mu, \operatorname{diag}\left(\sigma^{2}\right)\right)"
    assert printer.doprint(sp.Identity(3)) == "I"


def test_derivation_is_an_align_block_with_every_step_labelled():
    block = NORMAL.derivation_latex()
    assert block.startswith("\\begin{align*}\n\\intertext{KL divergence of $p$ and $q$, where}\n"
                            "&p = \\mathcal{N}\\left(\\mu_{1}, \\sigma_{1}^{2}\\right),\\quad q = ")
    assert block.endswith("\\end{align*}")
    for label, _ in NORMAL.steps:
        assert rf"\intertext{{{render.text(label)}:}}" in block
    assert r"\intertext{$\log p(x)$:}" in block
    assert r"&\mathbb{E}_{p}\left[x^{2}\right] = \mu_{1}^{2} + \sigma_{1}^{2} \\" in block


def test_labels_in_text_mode():
    assert render.text("from E[X^s] & 50% of {a_b} ~ $x$ #1 \\") == (
        r"from E[X\textasciicircum{}s] \& 50\% of \{a\_b\} \textasciitilde{} \$x\$ \#1 "
        r"\textbackslash{}")
    assert render.text(Label("moments", r"\mathbb{E}\left[X^{s}\right]")) == \
        r"$\mathbb{E}\left[X^{s}\right]$"
    assert render.text("Pearson χ² divergence, for α ≠ 1") == \
        r"Pearson $\chi^{2}$ divergence, for $\alpha$ $\neq$ 1"


def _wide_condition():
    a, s, t, m = sp.symbols("alpha sigma_1 sigma_2 mu", positive=True)
    condition = sp.Or(a * t ** 2 - a * s ** 2 + s ** 2 > 0, a < 1, m * a * t ** 2 - s ** 2 * m > 3)
    expr = a * sp.log(t) / (a - 1) - sp.log(s) - sp.log(a * t ** 2 - a * s ** 2 + s ** 2) / (2 * (a - 1))
    return render.equation(render.Printer(), r"D_{\alpha}\left(p \,\middle\|\, q\right)",
                           sp.Piecewise((expr, condition), (sp.oo, True)))


def test_a_wide_condition_stands_below_its_piece():
    tex = _wide_condition()
    assert r"& \\ \qquad \text{for}\: " in tex and r"\infty & \text{otherwise}" in tex


@needs_pdflatex
def test_titles_and_wide_conditions_compile_and_fit():
    assert not problems({"wide condition": rf"\[ {_wide_condition()} \]",
                         "title": rf"\begin{{align*}}\intertext{{{render.text('Pearson χ² divergence')}}}"
                                  r"&x\end{align*}"})

"""symkl.plot: pictures rendered with the Agg backend, checked by their artists and labels."""
import io
import math
import pathlib
import runpy
import sys

import pytest
import sympy as sp

import symkl as sk

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from symkl.plot import plot_asymmetry, plot_result  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
R = sp.Rational


def rendered(fig) -> bytes:
    """The figure as PNG bytes, drawn by Agg (fails if anything in it cannot be drawn)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=40)
    assert buffer.getvalue().startswith(b"\x89PNG")
    return buffer.getvalue()


def trapezoid(xs, ys):
    return sum((ys[i] + ys[i - 1]) * (xs[i] - xs[i - 1]) / 2 for i in range(1, len(xs)))


def test_result_picture_has_both_densities_and_the_filled_integrand():
    r = sk.kl(sk.Normal(), sk.Normal())
    fig = plot_result(r, {"mu_1": 0, "sigma_1": 1, "mu_2": 1, "sigma_2": 2})
    rendered(fig)
    top, bottom = fig.axes
    assert top.get_title() == "D_KL(Normal(0, 1) ‖ Normal(1, 2)) = 0.4431"
    assert [line.get_label() for line in top.get_lines()] == ["p = Normal(0, 1)", "q = Normal(1, 2)"]
    assert [t.get_text() for t in top.get_legend().get_texts()] == ["p = Normal(0, 1)", "q = Normal(1, 2)"]
    assert (top.get_ylabel(), bottom.get_ylabel(), bottom.get_xlabel()) == ("density", "p·log(p/q)", "x")
    fills = [c for c in bottom.collections if isinstance(c, PolyCollection)]
    assert len(fills) == 2  # where p > q (adds) and where p < q (takes away)
    # the drawn integrand's area is the divergence, and each density's is 1
    integrand = bottom.get_lines()[0]
    assert trapezoid(*integrand.get_data()) == pytest.approx(math.log(2) - 0.25, abs=2e-3)
    p_mass, q_mass = (trapezoid(*line.get_data()) for line in top.get_lines())
    assert p_mass == pytest.approx(1, abs=1e-3) and q_mass > 0.95  # p's bulk, q's middle
    p_line = top.get_lines()[0]
    xs, ys = p_line.get_data()
    assert ys[list(xs).index(0.0)] == pytest.approx(1 / math.sqrt(2 * math.pi))  # the mean is a grid point


@pytest.mark.parametrize("p, q, area", [
    (sk.Gamma(R(1, 2), 1), sk.Exponential(1), None),       # a density that is ∞ at 0
    (sk.Beta(R(1, 2), R(1, 2)), sk.Beta(2, 2), None),      # ∞ at both ends
    (sk.LogNormal(0, 1), sk.Gamma(2, 1), None),            # landmarks spread over decades
    (sk.Cauchy(0, 1), sk.Cauchy(1, 2), None),              # heavy tails
    (sk.Normal(0, 10), sk.Normal(0, R(1, 10)), 4994.89),   # the dispersed example
])
def test_the_window_holds_the_bulk_of_p(p, q, area):
    fig = plot_result(sk.kl(p, q))
    rendered(fig)
    top, bottom = fig.axes
    xs, ps = top.get_lines()[0].get_data()
    assert trapezoid(xs, ps) > 0.97
    if area is not None:
        assert trapezoid(*bottom.get_lines()[0].get_data()) == pytest.approx(area, rel=0.01)
    low, high = top.get_ylim()
    assert high < 50  # a singular end does not flatten the picture


def test_where_q_has_no_mass_the_integrand_is_marked_infinite():
    fig = plot_result(sk.kl(sk.Uniform(0, 2), sk.Uniform(1, 3)))
    rendered(fig)
    top, bottom = fig.axes
    assert top.get_title().endswith("= ∞")
    assert "q = 0 < p: +∞" in [t.get_text() for t in bottom.get_legend().get_texts()]
    spans = [p for p in bottom.patches if isinstance(p, Rectangle) and p.get_hatch() == "//"]
    assert len(spans) == 1
    x0, x1 = spans[0].get_x(), spans[0].get_x() + spans[0].get_width()
    assert x0 == pytest.approx(0, abs=0.01) and x1 == pytest.approx(1, abs=0.01)


def test_discrete_families_are_bars():
    fig = plot_result(sk.kl(sk.Poisson(3), sk.Poisson(5)))
    rendered(fig)
    top, bottom = fig.axes
    p_bars, q_bars = top.containers
    assert isinstance(p_bars, BarContainer) and p_bars.get_label() == "p = Poisson(3)"
    heights = [bar.get_height() for bar in p_bars]
    assert heights[:2] == pytest.approx([math.exp(-3), 3 * math.exp(-3)])
    assert sum(heights) > 0.999
    assert top.get_ylabel() == "probability"
    (integrand,) = bottom.containers
    assert sum(bar.get_height() for bar in integrand) == pytest.approx(float(sk.kl(sk.Poisson(3), sk.Poisson(5))),
                                                                      rel=1e-3)


def test_categorical_with_a_category_q_lacks():
    p, q = sk.Categorical([R(1, 2), R(1, 2), 0]), sk.Categorical([R(1, 4), 0, R(3, 4)])
    fig = plot_result(sk.kl(p, q))
    rendered(fig)
    (integrand,) = fig.axes[1].containers
    assert [bar.get_height() for bar in integrand] == pytest.approx([math.log(2) / 2, 0, 0])
    assert any(t.get_text() == "q = 0 < p: +∞" for t in fig.axes[1].get_legend().get_texts())


def test_entropy_and_cross_entropy_draw_their_own_integrands():
    fig = plot_result(sk.entropy(sk.Gamma(3, 2)))
    rendered(fig)
    assert len(fig.axes[0].get_lines()) == 1
    assert fig.axes[1].get_ylabel() == "−p·log p"
    assert trapezoid(*fig.axes[1].get_lines()[0].get_data()) == pytest.approx(
        float(sk.entropy(sk.Gamma(3, 2))), rel=0.01)
    fig = plot_result(sk.cross_entropy(sk.Normal(0, 1), sk.Normal(1, 2), base=2))
    assert fig.axes[1].get_ylabel() == "−p·log q" and fig.axes[0].get_title().endswith("bits")


def test_result_picture_in_given_axes():
    from matplotlib.figure import Figure
    fig = Figure()
    ax = fig.subplots()
    assert plot_result(sk.kl(sk.Normal(0, 1), sk.Normal(1, 2)), ax=ax) is fig
    assert len(fig.axes) == 1 and len(ax.get_lines()) == 4  # p, q, the integrand and its 0 line
    fig = Figure()
    pair = fig.subplots(1, 2)
    plot_result(sk.kl(sk.Normal(0, 1), sk.Normal(1, 2)), ax=tuple(pair))
    assert [len(a.get_lines()) for a in pair] == [2, 2]


def test_result_picture_errors():
    with pytest.raises(ValueError, match="missing: mu_2, sigma_2"):
        plot_result(sk.kl(sk.Normal(), sk.Normal()), {"mu_1": 0, "sigma_1": 1})
    with pytest.raises(ValueError, match="random vector"):
        plot_result(sk.kl(sk.DiagonalNormal([0, 1], [1, 1]), sk.DiagonalNormal(0, 1)))
    with pytest.raises(ValueError, match="random vector"):
        plot_result(sk.kl(sk.MultivariateNormal([0], [[1]]), sk.MultivariateNormal([1], [[2]])))


def test_asymmetry_picture_draws_both_directions_against_one_parameter():
    a = sk.asymmetry(sk.Normal(), sk.Normal())
    fig = plot_asymmetry(a, "sigma_2", (0.1, 10), values={"mu_1": 0, "sigma_1": 1, "mu_2": 0})
    rendered(fig)
    (ax,) = fig.axes
    forward, reverse, crossing = ax.get_lines()
    assert forward.get_label() == "D_KL(Normal(0, 1) ‖ Normal(0, sigma_2))"
    assert reverse.get_label() == "D_KL(Normal(0, sigma_2) ‖ Normal(0, 1))"
    assert crossing.get_label() == "equal at sigma_2 = 1" and list(crossing.get_xdata()) == [1, 1]
    xs, ys = forward.get_data()
    assert len(xs) == 200 and (xs[0], xs[-1]) == pytest.approx((0.1, 10))
    assert ax.get_xscale() == "linear"  # two decades exactly
    for x, y in zip(xs[::37], ys[::37]):
        assert y == pytest.approx(math.log(x) + 1 / (2 * x ** 2) - 0.5, rel=1e-12)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("sigma_2", "divergence (nats)")


def test_asymmetry_picture_over_decades_is_logarithmic_and_marks_infinity():
    a = sk.asymmetry(sk.Exponential(), sk.Exponential(), base=2)
    fig = plot_asymmetry(a, "rate_2", (0.01, 100), values={"rate_1": 1})
    rendered(fig)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_ylabel() == "divergence (bits)"
    xs = ax.get_lines()[0].get_xdata()
    assert xs[1] / xs[0] == pytest.approx(xs[-1] / xs[-2])
    fig = plot_asymmetry(sk.asymmetry(sk.Uniform(), sk.Uniform()), "b_2", (0.5, 3),
                         values={"a_1": 0, "b_1": 1, "a_2": 0})
    rendered(fig)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "D_KL(Uniform(0, 1) ‖ Uniform(0, b_2)) = ∞" in labels
    assert "D_KL(Uniform(0, b_2) ‖ Uniform(0, 1)) = ∞" in labels


def test_asymmetry_picture_errors():
    a = sk.asymmetry(sk.Normal(), sk.Normal())
    with pytest.raises(ValueError, match="no parameter named 'tau'"):
        plot_asymmetry(a, "tau", (1, 2), values={"mu_1": 0, "sigma_1": 1, "mu_2": 0})
    with pytest.raises(ValueError, match="missing: mu_2"):
        plot_asymmetry(a, "sigma_2", (1, 2), values={"mu_1": 0, "sigma_1": 1})
    with pytest.raises(ValueError, match="increasing range"):
        plot_asymmetry(a, "sigma_2", (2, 1), values={"mu_1": 0, "sigma_1": 1, "mu_2": 0})
    with pytest.raises(ValueError, match="sigma must be positive"):
        plot_asymmetry(a, "sigma_2", (-1, 1), values={"mu_1": 0, "sigma_1": 1, "mu_2": 0})


def test_without_matplotlib_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"pip install symkl\[plot\]"):
        plot_result(sk.kl(sk.Normal(0, 1), sk.Normal(1, 2)))


def test_make_pictures_writes_the_readme_pictures(tmp_path):
    script = runpy.run_path(str(ROOT / "examples" / "make_pictures.py"))
    written = script["main"](tmp_path)
    assert [p.name for p in written] == ["normal_asymmetry.png", "normal_integrand.png"]
    for path in written:
        assert path.read_bytes().startswith(b"\x89PNG")
        assert (ROOT / "docs" / "images" / path.name).exists()  # and the committed copies exist

"""Hostile and extreme values thrown at every family's constructor and at the command line.

Each value either makes a valid distribution p, whose KL(p‖p) is exactly 0
and whose entropy (for numeric parameters) is a finite real number, or is
refused as the user's mistake: InvalidInput or InvalidType (Unsupported for a
count too large to compute with) with a message naming the family and the
parameter.  The fast suite tries every value on every family but derives
only for a few cheap parameters, and samples a little with hypothesis;
``pytest -m slow`` derives for every value taken by every family and samples
more.
"""
import math
import random
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symkl as sk
from symkl.cli import main
from symkl.errors import InvalidInput, InvalidType, Unsupported
from symkl.families import FAMILIES

#: values a fuzzer (or a careless caller) hands a constructor
HOSTILE = [
    math.inf, -math.inf, math.nan, 1e10000, -0.0, 0.0, 1e-400, 5e-324, 1e300, -1e300, 1e-300, 0.5, 2.5,
    1j, complex(1, 0), complex(math.nan, 0),
    "__import__('os').getcwd()", "2x", "", " ", "σ", "x y", "a\n", "lambda", "ｘ", "x1",
    True, False, None, [1], (1,), {}, {"a": 1}, b"1", object(), Decimal("1.5"), Decimal("nan"),
    np.float64("nan"), np.float64("inf"), np.float64(1.5), np.float32(0.1), np.int64(3), np.int64(-3),
    np.uint8(200), np.bool_(True), np.array(2.0), np.array([1.0, 2.0]), np.complex128(1j),
    np.array("x"),
    sp.oo, -sp.oo, sp.zoo, sp.nan, sp.I, 1 + sp.I, sp.sqrt(-2), sp.Float("1e10000"),
    sp.Float("-1e10000"), sp.Float("1e-10000"), sp.Float("nan"), sp.Float("inf"), sp.true,
    sp.S.Half, sp.pi, sp.E, sp.Symbol("z"), sp.Symbol("t", positive=True),
    sp.Symbol("m", integer=True, positive=True), sp.Matrix([1]), sp.Interval(0, 1),
    sp.cos(1) ** 2 + sp.sin(1) ** 2 - 1, sp.exp(-sp.Integer(10) ** 6), sp.Rational(1, 10 ** 50),
    10 ** 100, -10 ** 100, 10 ** 5000, 2 ** 64, 10 ** 5, 10 ** 5 + 1,
    Fraction(1, 3), Fraction(-1, 3), Fraction(10 ** 100, 3), 0, 1, -1, 2, 3,
]


def _base(family) -> list:
    """A valid point of the family: its default symbols drawn as exact numbers."""
    drawn = family().sample(random.Random(0))
    return [drawn[s] for s in family().args]


def _scalar_slots():
    for family in FAMILIES.values():
        for i, parameter in enumerate(family.parameters):
            def make(value, family=family, i=i):
                values = _base(family)
                values[i] = value
                return family(*values)
            yield family.__name__, parameter.name, make


#: (family, the word a message names the parameter by, constructor of one hostile value)
VECTOR_SLOTS = [
    ("MultivariateNormal", "mean", lambda v: sk.MultivariateNormal([0, v], [[2, 1], [1, 2]])),
    ("MultivariateNormal", "cov", lambda v: sk.MultivariateNormal([0, 0], [[v, 0], [0, 1]])),
    ("MultivariateNormal", "cov", lambda v: sk.MultivariateNormal([0, 0], [[2, v], [v, 2]])),
    ("MultivariateNormal", "mean", lambda v: sk.MultivariateNormal(v, [[1]])),
    ("MultivariateNormal", "cov", lambda v: sk.MultivariateNormal([0], v)),
    ("MultivariateNormal", "k", lambda v: sk.MultivariateNormal.symbolic("mu", "Sigma", v)),
    ("DiagonalNormal", "mu", lambda v: sk.DiagonalNormal([0, v], [1, 1])),
    ("DiagonalNormal", "sigma", lambda v: sk.DiagonalNormal([0, 0], v)),
    ("DiagonalNormal", "mu", lambda v: sk.DiagonalNormal(v, [1, 2])),
    ("DiagonalNormal", "n", lambda v: sk.DiagonalNormal.symbolic("mu", "sigma", v)),
    ("Dirichlet", "alpha", lambda v: sk.Dirichlet([1, v])),
    ("Dirichlet", "alpha", lambda v: sk.Dirichlet(v)),
    ("Dirichlet", "K", lambda v: sk.Dirichlet.symbolic("alpha", v)),
    ("Categorical", "p", lambda v: sk.Categorical([v, sp.S.Half])),
    ("Categorical", "p", lambda v: sk.Categorical(v)),  # probs, or an entry p_k
    ("Categorical", "K", lambda v: sk.Categorical.symbolic("p", v)),
]

SLOTS = list(_scalar_slots()) + VECTOR_SLOTS
#: slots whose derivations at the accepted values take a few seconds in all: the fast suite's sample
FAST = [s for s in SLOTS if s[:2] in {("Normal", "mu"), ("Normal", "sigma"), ("Exponential", "rate"),
                                      ("Bernoulli", "p"), ("Geometric", "p"), ("Categorical", "K")}]


def outcome(family: str, parameter: str, make, value, derive: bool = True) -> str:
    """``"refused"``, ``"accepted"`` (or ``"made"`` if not derived), or what went wrong."""
    try:
        p = make(value)
    except (InvalidInput, InvalidType, Unsupported) as error:
        message = str(error)
        if family not in message or parameter not in message:
            return f"refused without naming {family} and {parameter}: {message}"
        return "refused"
    except Exception as error:  # anything else is no refusal but a crash
        return f"crashed: {type(error).__name__}: {error}"
    if not derive:
        return "made"
    p = p.renamed("1")  # default symbols (Normal()) would be told apart as mu_1 and mu_2
    try:
        divergence = sk.kl(p, p).expr
        entropy = sp.N(sk.entropy(p).expr) if not p.free_symbols else sp.S.Zero
    except Exception as error:  # a valid distribution the engine fails on
        return f"failed on {p!r}: {type(error).__name__}: {error}"
    if divergence != 0:
        return f"KL(p‖p) = {sp.sstr(divergence)[:200]} for {p!r}"
    if not (entropy.is_real and entropy.is_finite):
        return f"entropy {entropy} for {p!r}"
    return "accepted"


def _failures(slots, derive: bool) -> dict:
    """What went wrong, by (family, parameter, slot, value's place in HOSTILE)."""
    results = {(f, n, i, j): outcome(f, n, make, v, derive)
               for i, (f, n, make) in enumerate(slots) for j, v in enumerate(HOSTILE)}
    return {k: r for k, r in results.items() if r not in ("refused", "accepted", "made")}


def test_hostile_values_are_refused_naming_family_and_parameter_or_taken():
    assert _failures(SLOTS, derive=False) == {}


def test_hostile_values_taken_make_sound_distributions():
    assert _failures(FAST, derive=True) == {}


@pytest.mark.slow
def test_hostile_values_taken_by_every_family_make_sound_distributions():
    assert _failures(SLOTS, derive=True) == {}


VALUES = st.one_of(
    st.floats(), st.integers(), st.fractions(), st.decimals(), st.complex_numbers(),
    st.text(max_size=8), st.booleans(), st.none(), st.lists(st.integers(), max_size=2),
    st.sampled_from([sp.oo, sp.zoo, sp.nan, sp.I, sp.Float("1e10000"), np.float64("nan"), np.int64(7)]))


@settings(max_examples=40, deadline=None)
@given(slot=st.sampled_from(FAST), value=VALUES)
def test_random_values_are_refused_by_name_or_make_a_sound_distribution(slot, value):
    family, parameter, make = slot
    assert outcome(family, parameter, make, value) in ("refused", "accepted")


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(slot=st.sampled_from(SLOTS), value=VALUES)
def test_random_values_in_every_family(slot, value):
    family, parameter, make = slot
    assert outcome(family, parameter, make, value) in ("refused", "accepted")


#: what a user (or a web form) may type after the colon
TYPED = ["inf", "nan", "1e10000", "-0.0", "1e-400", "1j", "True", "None", "0x10", "1_000", "١",
         "１", "½", "1/0", "0/0", "--1", "+-1", "1e", ".", "", " ", "9" * 401, "1e401", "1e-401",
         "1/3/4", "2**3", "(1)", "1.5e3", "-2", "0", "1/3", "+.5", "5.", "1E2", "00", "1e400",
         "__import__('os').getcwd()", "a", "x1"]


def _command_line(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    if code == 2:
        return "refused" if err.count("\n") == 1 and err.startswith("symkl: error: ") else f"bad refusal {err!r}"
    if code == 0 and "nan" not in out and err == "":
        return "answered"
    return f"exit {code}: {err.strip()[:200]}"


FAST_COMMANDS = ["exponential", "normal", "bernoulli", "geometric", "categorical"]


@pytest.mark.parametrize("family", [*FAST_COMMANDS, *(pytest.param(name, marks=pytest.mark.slow)
                                                      for name in FAMILIES if name not in FAST_COMMANDS)])
def test_typed_numbers_are_answered_or_refused_in_one_line(capsys, family):
    parameters = len(FAMILIES[family].parameters) or 2
    failures = {}
    for text in TYPED:
        for i in range(parameters):
            values = ["1/2"] * parameters
            values[i] = text
            argv = ["entropy", f"{family}:{','.join(values)}"]
            result = _command_line(capsys, argv)
            if result not in ("refused", "answered"):
                failures[" ".join(argv)] = result
    assert failures == {}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=st.text(alphabet="0123456789+-./eE,:１٣ xn", max_size=12),
       family=st.sampled_from(["exponential", "normal", "bernoulli", "geometric"]))
def test_random_typing_is_answered_or_refused_in_one_line(capsys, family, spec):
    assert _command_line(capsys, ["entropy", f"{family}:{spec}"]) in ("refused", "answered")

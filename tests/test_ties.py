"""Every closed form is right where parameters coincide: ties, through subs, evalf and verify.

At a tie (a location of p equal to one of q, a scale equal to a scale, p = q, see
tests/pairs.py) a generic formula may read 0/0 where the canonical form kept a
removable singularity.  For every closed-form pair (slow) and a sample (fast), at
each tie: the generic expression checked against 50-digit quadrature by ``verify``
(which evaluates the expression it holds), ``subs`` to an exact number and
``evalf`` to 50 digits, each agreeing with the quadrature to ≥ 30 digits; at p = q
the exact value is 0.
"""
import mpmath
import pytest
import sympy as sp

import pairs
from symkl.errors import Unsupported

DPS, AGREE = 50, 30


def closed(result) -> bool:
    return result.closed_form and result.expr != sp.oo and not result.expr.has(sp.Integral)


def agreeing(a, b) -> int:
    with mpmath.workdps(DPS + 10):
        a = a if isinstance(a, mpmath.mpf) else mpmath.mpf(sp.N(a, DPS + 10))
        if a == b:
            return DPS
        scale = max(abs(a), abs(b))
        return int(-mpmath.log10(abs(a - b) / scale)) if scale else DPS


def check_ties(result):
    for label, values in pairs.tie_points(result):
        exact = result.subs(values).expr
        # no free symbols, not is_number: sympy calls a pFq with its parameters' tuple no number
        assert not exact.free_symbols and not exact.has(sp.nan, sp.zoo), (label, values, exact)
        try:
            check = result.verify(values, dps=DPS)
        except Unsupported:  # no numeric route (a simplex of K > 3): the exact values alone
            assert label != "p = q" or exact == 0, (label, values, exact)
            continue
        assert check.digits >= AGREE, (label, values, check)
        if exact == sp.oo:  # the tie puts mass of p where q has none
            assert check.quadrature == mpmath.inf, (label, values, check)
            continue
        if label == "p = q":
            assert exact == 0, (label, values, exact)
            assert result.evalf(values, n=DPS) == 0, (label, values)
            continue
        assert agreeing(exact, check.quadrature) >= AGREE, (label, values, exact, check)
        assert agreeing(result.evalf(values, n=DPS), check.quadrature) >= AGREE, (label, values)


@pytest.mark.parametrize("pair", pairs.SAMPLE, ids=pairs.pair_id)
def test_ties_of_a_sample(pair):
    result = pairs.derived(*pair)
    if closed(result):
        check_ties(result)


@pytest.mark.slow
@pytest.mark.parametrize("pair", pairs.pairs(), ids=pairs.pair_id)
def test_ties_of_every_pair(pair):
    result = pairs.derived(*pair)
    if closed(result):
        check_ties(result)


@pytest.mark.parametrize("label, p, q", pairs.multivariate(), ids=[m[0] for m in pairs.multivariate()])
def test_ties_of_random_vectors(label, p, q):
    import symkl as sk
    check_ties(sk.kl(p, q))


def test_the_normal_laplace_tie_reads_its_value():
    # μ₁ = μ₂ once read nan (a cube over a cube that is −1) and lambdified to −1.72
    import symkl as sk
    r = sk.kl(sk.Normal(), sk.Laplace())
    value = r.subs(mu_1=0, mu_2=0, sigma_1=1, b_2=1).expr
    assert sp.simplify(value - (sp.log(2 / sp.sqrt(2 * sp.pi)) - sp.S.Half + sp.sqrt(2 / sp.pi))) == 0


def test_a_removable_singularity_sympy_finds_no_limit_for_reads_its_value(monkeypatch):
    # with no time for sympy's limit, the continuous extension at λ = 1/2 is the mean of the
    # values 10⁻⁴⁰ either side: the same digits as the quadrature
    import symkl as sk
    from symkl import result
    monkeypatch.setattr(result, "_MOST_PER_LIMIT", 0.0)
    found = sk.kl(sk.ContinuousBernoulli(), sk.Exponential())
    point = {"lam_1": sp.S.Half, "rate_2": sp.Rational(7, 3)}
    by_name = {s: point[s.name] for s in found.expr.free_symbols}
    assert found.expr.xreplace(by_name).has(sp.nan, sp.zoo)  # 0/0 as written
    check = found.verify(point)
    assert check.digits >= 30, check
    # at a tie the value is 0 itself, not the 10⁻⁸⁰ of the mean either side
    tie = sk.kl(sk.ContinuousBernoulli(), sk.ContinuousBernoulli())
    assert tie.evalf({"lam_1": sp.S.Half, "lam_2": sp.S.Half}, n=50) == 0

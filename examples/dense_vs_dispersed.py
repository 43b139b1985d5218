"""Why KL(p‖q) ≠ KL(q‖p): a narrow Normal against a wide one.

p = N(0, 0.1²) is dense, q = N(0, 10²) is dispersed.  Run:

    python examples/dense_vs_dispersed.py
"""
import mpmath
import sympy as sp

import symkl as sk

narrow = sk.Normal(0, sp.Rational("0.1"))
wide = sk.Normal(0, 10)
a = sk.asymmetry(narrow, wide)

for title, result in (("KL(narrow ‖ wide)", a.forward), ("KL(wide ‖ narrow)", a.reverse)):
    check = result.verify(dps=50)
    print(f"{title} = {result.expr}")
    print(f"    closed form {sp.N(result.expr, 20)}")
    print(f"    quadrature  {mpmath.nstr(check.quadrature, 20)}   ({check.digits} of 50 digits agree)")

general = sk.kl(sk.Normal(), sk.Normal())
print(f"""
The general formula, derived from the densities:
    {general!r}

Approximating the dense p by the dispersed q costs little: q puts some
density everywhere p does, so log(p/q) is moderate where p has its mass,
about log(sigma_2/sigma_1) = log(100) ≈ 4.6 nats, less the 1/2 from the
variance term.

The reverse costs much: the wide distribution puts mass far out in the tails,
where the narrow one is nearly zero, and log(q/p) there grows like
x²/(2·0.1²).  Averaged over the wide one, E[X²] = 100, so the penalty is
about 100/(2·0.01) = 5000 nats.

KL(p‖q) punishes q for missing where p lives ("zero-avoiding"); it does not
care where q spreads mass p lacks.  That is why fitting q by minimising
KL(p‖q) gives broad, mass-covering fits and KL(q‖p) narrow, mode-seeking ones.""")
print("For two Normals the directions coincide exactly when",
      sk.asymmetry(sk.Normal(), sk.Normal()).equal_when)

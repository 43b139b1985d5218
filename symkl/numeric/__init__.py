"""Numeric divergences, from the families' raw log-densities and supports alone.

Nothing here imports the engine (``tests/test_numeric.py`` keeps it so): a
mistake of the engine shows up as a disagreement with these values, never
as an agreement with itself.

* :mod:`~symkl.numeric.density` — log-densities compiled for mpmath;
* :mod:`~symkl.numeric.support` — the supports as intervals and integers;
* :mod:`~symkl.numeric.tails` — integrals and sums to an end, convergent or not;
* :mod:`~symkl.numeric.quadrature` — distributions on the line;
* :mod:`~symkl.numeric.cubature` — random vectors;
* :mod:`~symkl.numeric.evaluation` — the number an exact expression stands for, finite
  sums, series and integrals of numbers left in it included;
* :mod:`~symkl.numeric.check` — a closed form against them: :class:`Verification`.
"""

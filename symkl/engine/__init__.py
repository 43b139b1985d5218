"""The engine: from two families' log-densities to a divergence in closed form.

support → decompose → expectations by rules → assemble → canonical form,
each step recorded (:mod:`symkl.engine.derive`).
"""

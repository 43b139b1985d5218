"""Numeric divergences, from the families' raw log-densities and supports alone.

Nothing here imports the engine: a mistake of the engine shows up as a
disagreement with these values, never as an agreement with itself.
"""

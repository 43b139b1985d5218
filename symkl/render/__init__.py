"""Rendering results: LaTeX that compiles in a plain amsmath article and fits its text width."""
from .latex import WIDTH, Printer, definitions, derivation, equation, lhs, printer, text
from .estimate import width

__all__ = ["WIDTH", "Printer", "definitions", "derivation", "equation", "lhs", "printer", "text", "width"]

"""The families: one small declarative class each."""
from .base import Distribution, Parameter
from .categorical import Categorical
from .exponential import Exponential
from .normal import Normal

#: every family, by the lower-case name the CLI and ``kl("normal", ...)`` use
FAMILIES = {cls.__name__.lower(): cls for cls in (Normal, Exponential, Categorical)}


def by_name(name: str) -> Distribution:
    """The family called ``name`` (any case), with symbols for its parameters.

    >>> by_name("normal")
    Normal(mu, sigma)
    """
    try:
        return FAMILIES[name.lower()]()
    except KeyError:
        raise ValueError(f"unknown family {name!r}; known: {', '.join(FAMILIES)}") from None


__all__ = ["FAMILIES", "Categorical", "Distribution", "Exponential", "Normal", "Parameter", "by_name"]

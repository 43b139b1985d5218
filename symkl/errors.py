"""What can go wrong, and whose fault it is.

* :class:`InvalidInput` — what the user gave is not valid (a parameter out of
  range, probabilities off the simplex, sizes that differ, a name that is no
  name).  It is a ``ValueError``; :class:`InvalidType` is also a ``TypeError``.
* :class:`Unsupported` — the input is valid but this cannot be done here (a
  precision beyond the quadrature's ceiling, a dimension with no numeric
  route); the message says what cannot be done.
* :class:`InternalError` — a mistake inside symkl, never the user's fault:
  the message says so and asks for a report.

The command line exits with 2 for the first two (one line saying what was
wrong), and with 1 for the last and for any other exception, which is a bug
of symkl whatever its type.
"""


class SymklError(Exception):
    """Base class of symkl's own errors."""


class InvalidInput(SymklError, ValueError):
    """The user's input is not valid; the message says what was wrong and what is valid."""


class InvalidType(InvalidInput, TypeError):
    """The user's input has the wrong type (a list where a number belongs, say)."""


class Unsupported(SymklError, ValueError):
    """Valid input that symkl cannot handle; the message says what cannot be done."""


class InternalError(SymklError, RuntimeError):
    """A mistake inside symkl (an engine step that failed where it should not)."""

    def __init__(self, message: str):
        #: what went wrong, without the request for a report
        self.detail = message
        super().__init__(f"internal error in symkl (please report it): {message}")

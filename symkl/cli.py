"""The ``symkl`` command: derive, show and check divergences from a shell.

Distributions are written ``family`` (symbolic parameters) or
``family:v1,v2,…`` with numbers: integers, decimals (``0.1``, ``1e-6``) or
fractions (``1/3``), read exactly.  Nothing else is accepted, and nothing
typed is ever evaluated as code.
"""
from __future__ import annotations

import argparse
import re
import sys

import sympy as sp

from . import asymmetry, cross_entropy, entropy, kl
from .families import FAMILIES

#: the most digits (and the largest exponent) a number on the command line may have
_LONGEST = 400
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?\d+/\d+")

EXAMPLES = """examples:
  symkl kl normal normal                       the general formula
  symkl kl normal normal --latex --steps       the derivation as LaTeX
  symkl kl normal:0,1 normal:1,2 --verify --dps 50
  symkl kl categorical:1/2,1/2 categorical:1/4,3/4 --bits
  symkl entropy exponential
  symkl asym normal:0,0.1 normal:0,10
  symkl families
  symkl catalog --write docs/catalog.md
"""


class UsageError(Exception):
    """Bad input from the command line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def parse_number(text: str) -> sp.Rational:
    """An exact number from ``text``; anything else is a UsageError.

    >>> parse_number("0.1"), parse_number("1/3"), parse_number("-2e-3")
    (1/10, 1/3, -1/500)
    """
    if not _NUMBER.fullmatch(text):
        raise UsageError(f"not a number: {text!r} (use integers, decimals or fractions like 1/3)")
    exponent = int(text.lower().split("e")[1]) if "e" in text.lower() else 0
    if len(text) > _LONGEST or abs(exponent) > _LONGEST:
        raise UsageError(f"number out of range: {text[:20]}… (at most {_LONGEST} digits "
                         f"and exponents up to ±{_LONGEST})")
    return sp.Rational(text)


def parse_distribution(spec: str):
    """``normal`` or ``normal:0,1`` → the family with those parameters.

    >>> parse_distribution("normal:0,1/2")
    Normal(0, 1/2)
    """
    name, _, values = spec.partition(":")
    family = FAMILIES.get(name.strip().lower())
    if family is None:
        raise UsageError(f"unknown family {name!r}; known: {', '.join(FAMILIES)}")
    if not values:
        return family()
    numbers = [parse_number(v.strip()) for v in values.split(",")]
    if family.parameters:
        if len(numbers) != len(family.parameters):
            names = ", ".join(p.name for p in family.parameters)
            raise UsageError(f"{family.__name__} takes {len(family.parameters)} parameter(s) "
                             f"({names}), got {len(numbers)}")
        return family(*numbers)
    return family(numbers)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="symkl", description="Derive divergences between distributions "
                     "symbolically, and check them by quadrature.", epilog=EXAMPLES,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, arity, text in (("kl", 2, "KL(p‖q)"), ("cross-entropy", 2, "H(p, q)"),
                              ("entropy", 1, "H(p)"), ("asym", 2, "KL(p‖q) beside KL(q‖p)")):
        command = commands.add_parser(name, help=text, description=text, epilog=EXAMPLES,
                                      formatter_class=argparse.RawDescriptionHelpFormatter)
        command.add_argument("p", help="a distribution: family or family:v1,v2,...")
        if arity == 2:
            command.add_argument("q", help="a distribution: family or family:v1,v2,...")
        command.add_argument("--latex", action="store_true", help="print LaTeX")
        command.add_argument("--budget", type=float, default=20.0,
                             help="seconds the derivation may take (default 20)")
        command.add_argument("--bits", action="store_true", help="base 2 instead of nats")
        if name != "asym":
            command.add_argument("--steps", action="store_true", help="print the derivation")
            command.add_argument("--verify", action="store_true",
                                 help="check against mpmath quadrature (numeric parameters)")
            command.add_argument("--dps", type=int, default=50, help="digits for --verify")
    commands.add_parser("families", help="list the families and their parameters")
    catalog = commands.add_parser("catalog", help="derive every ordered pair of families",
                                  description="Derive KL for every ordered pair of families, "
                                  "print each outcome and time; --write also checks each against "
                                  "quadrature and writes the markdown catalog.")
    catalog.add_argument("--write", metavar="PATH", help="write the catalog (e.g. docs/catalog.md)")
    catalog.add_argument("--budget", type=float, default=20.0, help="seconds per derivation")
    return parser


def _families_table() -> str:
    rows = []
    for name, family in FAMILIES.items():
        example = family()
        parameters = ", ".join(f"{p.name} {p.constraint.description}" for p in family.parameters) \
            or "probabilities summing to 1"
        rows.append(f"{name:<13} {example!r:<30} {parameters}")
    return "\n".join(rows)


def _catalog(arguments) -> str:
    from . import catalog
    report = lambda cell: print(f"{cell.name:<42} {cell.outcome:<13} {cell.seconds:6.2f} s", flush=True)
    cells = catalog.derive_all(arguments.budget, report=report)
    if arguments.write:
        text = catalog.markdown(cells)
        with open(arguments.write, "w", encoding="utf-8") as out:
            out.write(text)
    return "\n" + catalog.summary(cells) + (f"\nwrote {arguments.write}" if arguments.write else "")


def _run(arguments) -> str:
    if getattr(arguments, "budget", 1) <= 0:
        raise UsageError(f"--budget must be positive, got {arguments.budget}")
    if arguments.command == "families":
        return _families_table()
    if arguments.command == "catalog":
        return _catalog(arguments)
    options = {"base": 2 if arguments.bits else sp.E, "budget": arguments.budget}
    p = parse_distribution(arguments.p)
    if arguments.command == "asym":
        result = asymmetry(p, parse_distribution(arguments.q), **options)
        return result.latex() if arguments.latex else str(result)
    if arguments.command == "entropy":
        result = entropy(p, **options)
    else:
        derive = kl if arguments.command == "kl" else cross_entropy
        result = derive(p, parse_distribution(arguments.q), **options)
    if arguments.latex:
        out = result.derivation_latex() if arguments.steps else result.latex()
    else:
        out = (result.steps_text() + "\n\n" if arguments.steps else "") + str(result)
    if arguments.verify:
        if arguments.dps < 1:
            raise UsageError(f"--dps must be positive, got {arguments.dps}")
        out += "\n\n" + str(result.verify(dps=arguments.dps))
    return out


def main(argv=None) -> int:
    """Run the command; 0 on success, 2 on bad input (one line on stderr)."""
    try:
        print(_run(_parser().parse_args(argv)))
    except (UsageError, ValueError, TypeError) as error:
        print(f"symkl: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

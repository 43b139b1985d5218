"""The ``symkl`` command: derive, show and check divergences from a shell.

Distributions are written ``family`` (symbolic parameters) or
``family:v1,v2,…`` with numbers: integers, decimals (``0.1``, ``1e-6``) or
fractions (``1/3``) in ASCII digits, read exactly.  Nothing else is accepted,
and nothing typed is ever evaluated as code.

The exit status is 0 on success; 2, with one line on stderr, for input that
is not valid or that symkl cannot handle; 1, with one line asking for a
report, for any other failure, which is a mistake of symkl.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from fractions import Fraction

import mpmath
import sympy as sp

from . import (alpha_divergence, asymmetry, bhattacharyya, chi_square, cross_entropy, entropy,
               f_divergence, jeffreys, jensen_shannon, kl, renyi, squared_hellinger,
               total_variation)
from .engine.derive import LONGEST_BUDGET
from .errors import InternalError, InvalidInput, Unsupported
from .families import FAMILIES
from .kinds import KINDS
from .numeric.quadrature import MAX_DPS
from .numeric.evaluation import numeric_value

#: the most characters (and the largest exponent) a number on the command line may have
_LONGEST = 400
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?\d+/\d+", re.ASCII)
#: the most characters of a one-line message
_MESSAGE = 1000
#: what each command derives (``verify`` and ``code`` take ``--kind``)
_KINDS = {"kl": "kl", "cross-entropy": "cross_entropy", "plot": "kl"}
#: the divergences beyond KL: command → (function, title, the option it takes: --alpha, --f or none)
DIVERGENCES = {
    "renyi": (renyi, "D_α(p‖q), Rényi's divergence of order --alpha", "alpha"),
    "alpha-divergence": (alpha_divergence, "Amari's α-divergence of order --alpha", "alpha"),
    "bhattacharyya": (bhattacharyya, "D_B(p, q) = −log ∫ √(p q)", None),
    "hellinger": (squared_hellinger, "H²(p, q) = 1 − ∫ √(p q), the squared Hellinger distance", None),
    "chi-square": (chi_square, "χ²(p‖q) = ∫ p²/q − 1, Pearson's", None),
    "jeffreys": (jeffreys, "J(p, q) = KL(p‖q) + KL(q‖p)", None),
    "total-variation": (total_variation, "TV(p, q) = ½ ∫ |p − q|", None),
    "jensen-shannon": (jensen_shannon, "JS(p, q) = ½ KL(p‖m) + ½ KL(q‖m), m = (p + q)/2", None),
    "f-divergence": (f_divergence, "D_f(p‖q) = E_q[f(p/q)] for the generator --f", "f"),
}

#: examples shown by ``--help``, for the whole command and for each subcommand
EXAMPLES = {
    "kl": ["symkl kl normal normal                       the general formula",
           "symkl kl normal normal --latex --steps       the derivation as LaTeX",
           "symkl kl normal:0,1 normal:1,2 --verify --dps 50",
           "symkl kl categorical:1/2,1/2 categorical:1/4,3/4 --bits",
           "symkl kl multivariatenormal multivariatenormal --latex",
           "symkl kl gamma:2,3 exponential:1 --json"],
    "cross-entropy": ["symkl cross-entropy exponential exponential"],
    "renyi": ["symkl renyi normal normal --alpha alpha", "symkl renyi gamma:2,1 gamma:3,2 --alpha 1/2"],
    "alpha-divergence": ["symkl alpha-divergence exponential exponential --alpha 1/2"],
    "bhattacharyya": ["symkl bhattacharyya normal normal"],
    "hellinger": ["symkl hellinger normal:0,1 normal:1,2 --verify"],
    "chi-square": ["symkl chi-square poisson poisson"],
    "jeffreys": ["symkl jeffreys gamma gamma --latex"],
    "total-variation": ["symkl total-variation normal normal", "symkl total-variation poisson:1 poisson:3"],
    "jensen-shannon": ["symkl jensen-shannon bernoulli bernoulli --bits",
                       "symkl jensen-shannon cauchy:0,1 cauchy:1,2 --verify"],
    "f-divergence": ["symkl f-divergence normal normal --f '(t - 1)^2'",
                     "symkl f-divergence exponential:1 exponential:2 --f 't*log(t) - log(t)'"],
    "entropy": ["symkl entropy exponential", "symkl entropy dirichlet --latex"],
    "asym": ["symkl asym normal:0,0.1 normal:0,10", "symkl asym normal normal --latex"],
    "verify": ["symkl verify normal:0,1 normal:1,2 --dps 50",
               "symkl verify beta:1/2,1/2 uniform:0,1 --json"],
    "code": ["symkl code normal normal --language c",
             "symkl code bernoulli bernoulli --language python"],
    "plot": ["symkl plot normal:0,1 normal:1,2 --out kl.png",
             "symkl plot normal:0,1 normal:0,2 --vary sigma_2 --over 0.1,10 --out asym.png"],
    "families": ["symkl families"],
    "catalog": ["symkl catalog", "symkl catalog --write docs/catalog.md"],
}


def _epilog(*commands) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for c in commands for line in EXAMPLES[c])


class UsageError(Exception):
    """Bad input from the command line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def parse_number(text: str) -> sp.Rational:
    """An exact number from ``text`` (ASCII digits); anything else is a UsageError.

    >>> parse_number("0.1"), parse_number("1/3"), parse_number("-2e-3")
    (1/10, 1/3, -1/500)
    >>> parse_number("1/0")
    Traceback (most recent call last):
    ...
    symkl.cli.UsageError: not a number: '1/0' (a fraction's denominator must not be 0)
    """
    if not _NUMBER.fullmatch(text):
        raise UsageError(f"not a number: {text[:40]!r} (use integers, decimals or fractions "
                         f"like 1/3, in ASCII digits)")
    if len(text) > _LONGEST or ("e" in text.lower() and abs(int(text.lower().split("e")[1])) > _LONGEST):
        raise UsageError(f"number out of range: {text[:20]}… (at most {_LONGEST} characters "
                         f"and exponents up to ±{_LONGEST})")
    numerator, _, denominator = text.partition("/")
    if denominator and int(denominator) == 0:
        raise UsageError(f"not a number: {text!r} (a fraction's denominator must not be 0)")
    value = Fraction(numerator) / Fraction(denominator or 1)
    return sp.Rational(value.numerator, value.denominator)


def _seconds(text: str) -> float:
    """``--budget``: seconds, more than 0 and at most LONGEST_BUDGET."""
    seconds = float(_option_number(text))
    if not 0 < seconds <= LONGEST_BUDGET:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most {LONGEST_BUDGET:g} "
                                         f"seconds, got {text}")
    return seconds


def _jobs(text: str) -> int:
    """``--jobs``: a whole number of processes, from 1 to 64."""
    if not re.fullmatch(r"[0-9]{1,2}", text, re.ASCII) or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"must be a whole number of processes from 1 to 64, "
                                         f"got {text}")
    return int(text)


def _digits(text: str) -> int:
    """``--dps``: a whole number of significant digits, from 1 to the numeric checks' MAX_DPS."""
    if not re.fullmatch(r"[0-9]{1,9}", text, re.ASCII) or not 1 <= int(text) <= MAX_DPS:
        raise argparse.ArgumentTypeError(f"must be a whole number of digits from 1 to {MAX_DPS} "
                                         f"(the most the numeric checks reach), got {text[:40]!r}")
    return int(text)


def _option_number(text: str) -> sp.Rational:
    try:
        return parse_number(text)
    except UsageError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def parse_distribution(spec: str):
    """``normal`` or ``normal:0,1`` → the family with those parameters.

    >>> parse_distribution("normal:0,1/2")
    Normal(0, 1/2)
    """
    name, colon, values = spec.partition(":")
    family = FAMILIES.get(name.strip().lower())
    if family is None:
        raise UsageError(f"unknown family {name[:40]!r}; known: {', '.join(FAMILIES)}")
    if not values:
        if colon:
            raise UsageError(f"{spec}: numbers go after the colon (e.g. normal:0,1); without "
                             f"the colon the parameters are symbols")
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
                     "symbolically, and check them by quadrature.", epilog=_epilog(*EXAMPLES),
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name, text, description=None):
        return commands.add_parser(name, help=text, description=description or text,
                                   epilog=_epilog(name),
                                   formatter_class=argparse.RawDescriptionHelpFormatter)

    def distributions(sub, arity):
        sub.add_argument("p", help="a distribution: family or family:v1,v2,...")
        if arity == 2:
            sub.add_argument("q", help="a distribution: family or family:v1,v2,...")

    def common(sub):
        sub.add_argument("--budget", type=_seconds, default=20.0,
                         help="seconds the derivation may take (default 20)")
        sub.add_argument("--bits", action="store_true", help="base 2 instead of nats")
        sub.add_argument("--json", action="store_true", help="one JSON object, for scripts")

    for name, arity, text in (("kl", 2, "KL(p‖q)"), ("cross-entropy", 2, "H(p, q)"),
                              ("entropy", 1, "H(p)"), ("asym", 2, "KL(p‖q) beside KL(q‖p)")):
        sub = command(name, text)
        distributions(sub, arity)
        sub.add_argument("--latex", action="store_true", help="print LaTeX")
        common(sub)
        if name != "asym":
            sub.add_argument("--steps", action="store_true", help="print the derivation")
            sub.add_argument("--verify", action="store_true",
                             help="check against mpmath quadrature (numeric parameters)")
            sub.add_argument("--dps", type=_digits, default=50, help="digits for --verify")
    for name, (function, text, option) in DIVERGENCES.items():
        sub = command(name, text)
        distributions(sub, 2)
        if option == "alpha":
            sub.add_argument("--alpha", required=True, type=_order,
                             help="the order: a number (1/2, 2) or a name (alpha)")
        elif option == "f":
            sub.add_argument("--f", required=True, type=parse_generator, dest="f",
                             help="the generator, a function of t: '(t - 1)^2', 't*log(t)', "
                                  "'abs(t - 1)/2', 'sqrt(t)' …")
        sub.add_argument("--latex", action="store_true", help="print LaTeX")
        sub.add_argument("--steps", action="store_true", help="print the derivation")
        sub.add_argument("--verify", action="store_true",
                         help="check against mpmath quadrature (numeric parameters)")
        sub.add_argument("--dps", type=_digits, default=50, help="digits for --verify")
        common(sub)
    sub = command("verify", "check KL(p‖q) (or --kind) against quadrature",
                  "Derive, then check the closed form against mpmath quadrature of the "
                  "log-densities at --dps digits (numeric parameters only).")
    distributions(sub, 2)
    sub.add_argument("--dps", type=_digits, default=50, help="significant digits (default 50)")
    sub.add_argument("--kind", choices=("kl", "cross-entropy"), default="kl")
    common(sub)
    sub = command("code", "source code computing KL(p‖q)",
                  "Write a function computing the closed form from its parameters.")
    distributions(sub, 2)
    sub.add_argument("--language", choices=("python", "c", "fortran"), default="python")
    sub.add_argument("--kind", choices=("kl", "cross-entropy"), default="kl")
    common(sub)
    sub = command("plot", "draw p, q and p·log(p/q), or both directions against a parameter",
                  "Draw p, q and the integrand p·log(p/q) (numeric parameters), or with "
                  "--vary both KL(p‖q) and KL(q‖p) as one parameter runs over --over.")
    distributions(sub, 2)
    sub.add_argument("--out", required=True, metavar="PNG",
                     help="the picture to write (.png, .pdf, .svg, …)")
    sub.add_argument("--vary", metavar="NAME", help="a parameter name, e.g. sigma_2")
    sub.add_argument("--over", metavar="LO,HI", help="its range, e.g. 0.1,10")
    common(sub)
    command("families", "list the families and their parameters")
    catalog = command("catalog", "derive every ordered pair of families",
                      "Derive KL for every ordered pair of families, print each outcome and "
                      "time; --write also checks each against quadrature and writes the "
                      "markdown catalog.")
    catalog.add_argument("--write", metavar="PATH", help="write the catalog (e.g. docs/catalog.md)")
    catalog.add_argument("--budget", type=_seconds, default=20.0, help="seconds per derivation")
    catalog.add_argument("--divergence", default="kl",
                         choices=[name for name, kind in KINDS.items() if kind.pairwise],
                         help="the divergence to catalog (default kl)")
    catalog.add_argument("--alpha", type=_order, help="its order, for renyi and alpha_divergence")
    catalog.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                         help="derive and check the pairs in N processes (default 1)")
    return parser


def _families_table() -> str:
    rows = []
    for name, family in FAMILIES.items():
        example = family()
        parameters = ", ".join(f"{p.name} {p.constraint.description}" for p in family.parameters) \
            or family.__doc__.strip().splitlines()[0].replace("``", "")
        rows.append(f"{name:<19} {example!r:<44} {parameters}")
    return "\n".join(rows)


def _catalog(arguments) -> str:
    from . import catalog
    if arguments.write:
        _check_writable(arguments.write, "--write")
    report = lambda cell: print(f"{cell.name:<42} {cell.outcome:<13} {cell.seconds:6.2f} s", flush=True)
    if (KINDS[arguments.divergence].order == "free") != (arguments.alpha is not None):
        raise UsageError(f"--alpha is needed for {arguments.divergence} and only for it"
                         if KINDS[arguments.divergence].order == "free"
                         else f"{arguments.divergence} takes no --alpha")
    cells = catalog.derive_all(arguments.budget, report=report, divergence=arguments.divergence,
                               alpha=arguments.alpha, jobs=arguments.jobs,
                               checked=bool(arguments.write))
    if arguments.write:
        text = catalog.markdown(cells)
        with _writing(arguments.write):
            with open(arguments.write, "w", encoding="utf-8") as out:
                out.write(text)
    return "\n" + catalog.summary(cells) + (f"\nwrote {arguments.write}" if arguments.write else "")


def _run(arguments) -> str:
    if arguments.command == "families":
        return _families_table()
    if arguments.command == "catalog":
        return _catalog(arguments)
    if arguments.command == "plot":
        _check_picture(arguments.out)
    options = {"base": 2 if arguments.bits else sp.E, "budget": arguments.budget}
    p = parse_distribution(arguments.p)
    q = None if arguments.command == "entropy" else parse_distribution(arguments.q)
    if arguments.command == "plot":
        return _plot(p, q, arguments, options)
    if arguments.command == "asym":
        result = asymmetry(p, q, **options)
        for direction in (result.forward, result.reverse):
            _checked(direction)
        if arguments.json:
            return _json({"forward": _as_json(result.forward), "reverse": _as_json(result.reverse),
                          "difference": sp.sstr(result.difference),
                          "equal_when": None if result.equal_when is None else sp.sstr(result.equal_when)})
        return result.latex() if arguments.latex else str(result)
    if arguments.command == "entropy":
        result = _checked(entropy(p, **options))
    elif arguments.command in DIVERGENCES:
        function, _, option = DIVERGENCES[arguments.command]
        if options["base"] != sp.E and not _logarithmic(function):
            raise UsageError(f"{arguments.command} has no logarithm: --bits does not apply")
        if not _logarithmic(function):
            del options["base"]
        result = _checked(function(p, q, getattr(arguments, option), **options) if option
                          else function(p, q, **options))
    else:
        kind = _KINDS.get(arguments.command) or arguments.kind.replace("-", "_")
        result = _checked((kl if kind == "kl" else cross_entropy)(p, q, **options))
    if arguments.command == "code":
        source = result.code(arguments.language)
        return _json({**_as_json(result), "language": arguments.language, "code": source}) \
            if arguments.json else source
    verification = _verified(result, arguments.dps) \
        if arguments.command == "verify" or arguments.verify else None
    if arguments.json:
        data = _as_json(result, steps=getattr(arguments, "steps", False))
        if verification is not None:
            data["verification"] = {"closed_form": mpmath.nstr(verification.closed_form, arguments.dps),
                                    "quadrature": mpmath.nstr(verification.quadrature, arguments.dps),
                                    "error": mpmath.nstr(verification.error, 3),
                                    "digits": verification.digits, "dps": arguments.dps}
        return _json(data)
    if arguments.command == "verify":
        return f"{result!r}\n\n{verification}"
    if arguments.latex:
        out = result.derivation_latex() if arguments.steps else result.latex()
    else:
        out = (result.steps_text() + "\n\n" if arguments.steps else "") + str(result)
    if verification is not None:
        out += "\n\n" + str(verification)
    return out


#: what a generator --f may be written with: t, numbers, + − * / ^ ( ) and these functions
_GENERATOR_NAMES = {"t": sp.Symbol("t"), "log": sp.log, "sqrt": sp.sqrt, "exp": sp.exp,
                    "abs": sp.Abs, "Abs": sp.Abs}


def parse_generator(text: str) -> sp.Lambda:
    """``--f``: a function of t written with numbers, t, + − * / ^ ** ( ) and log, sqrt,
    exp, abs; anything else is refused (the text is never run as Python).

    >>> parse_generator("(t - 1)^2")
    Lambda(t, (t - 1)**2)
    """
    from sympy.parsing.sympy_parser import parse_expr, standard_transformations, convert_xor
    words = set(re.findall(r"[A-Za-z_]\w*", text, re.ASCII))
    if not re.fullmatch(r"[\w\s.+\-*/^()]*", text, re.ASCII) or words - set(_GENERATOR_NAMES) \
            or "__" in text or len(text) > 200:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a function of t written with numbers, t, + - * / ^ ( ) and "
            f"log, sqrt, exp, abs")
    try:
        body = parse_expr(text, local_dict=dict(_GENERATOR_NAMES),
                          global_dict={"Integer": sp.Integer, "Float": sp.Float,
                                       "Rational": sp.Rational},
                          transformations=standard_transformations + (convert_xor,))
    except Exception as error:
        raise argparse.ArgumentTypeError(f"cannot read {text!r} as a function of t: {error}")
    return sp.Lambda(_GENERATOR_NAMES["t"], body)


def _order(text: str):
    """``--alpha``: a number (exact) or an ASCII name."""
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", text, re.ASCII):
        return text
    return _option_number(text)


def _logarithmic(function) -> bool:
    """Whether the divergence has a logarithm (so takes a base)."""
    import inspect
    return "base" in inspect.signature(function).parameters


def _checked(result):
    """``result``, unless its value is nan or zoo: no answer, but a mistake of symkl."""
    if result.expr.has(sp.nan, sp.zoo):
        raise InternalError(f"{result.lhs_text()} came out as {sp.sstr(result.expr)[:80]}, "
                            f"which is no value")
    return result


def _verified(result, dps: int):
    """The check against quadrature; it needs a number for every parameter."""
    missing = sorted(map(str, result.free_symbols))
    if missing:
        raise UsageError(f"verify needs a value for every parameter (numbers after the colon, "
                         f"as in normal:0,1); missing: {', '.join(missing)}")
    return result.verify(dps=dps)


def _as_json(result, steps=False) -> dict:
    """What a script needs of a result: the formula as text and LaTeX, and what it is."""
    expr = result.expr
    data = {"kind": result.kind, "p": repr(result.p), "q": None if result.q is None else repr(result.q),
            "expr": sp.sstr(expr), "latex": result.latex(), "closed_form": result.closed_form,
            "infinite": expr == sp.oo, "reason": result.reason if expr.has(sp.oo) else None,
            "value": str(numeric_value(expr, 30)) if expr.is_number and expr.is_finite else None}
    if steps:
        data["steps"] = [{"label": label, "equation": sp.sstr(eq)} for label, eq in result.steps]
    return data


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _with_name(p, q, name):
    """p and q with the parameter ``name`` (``sigma_2``: q's sigma) made a Symbol of that name."""
    base, _, side = name.rpartition("_")
    if side not in ("1", "2") or not base:
        raise UsageError(f"--vary names a parameter of p as name_1 or of q as name_2 "
                         f"(e.g. sigma_2), got {name[:40]!r}")
    family = p if side == "1" else q
    names = [parameter.name for parameter in type(family).parameters]
    if base not in names:
        raise UsageError(f"{type(family).__name__} has no parameter {base[:40]!r}; "
                         f"it has {', '.join(names) or 'no named parameters'}")
    if type(family).parameters[names.index(base)].structural:
        raise UsageError(f"--vary {name}: the {type(family).__name__}'s {base} is a whole number "
                         f"shared by p and q, not one to vary over a range")
    args = list(family.args)
    args[names.index(base)] = name
    family = type(family)(*args)
    return (family, q) if side == "1" else (p, family)


def _plot(p, q, arguments, options) -> str:
    if (arguments.vary is None) != (arguments.over is None):
        raise UsageError("--vary and --over go together")
    if arguments.vary:
        low, _, high = arguments.over.partition(",")
        over = (parse_number(low.strip()), parse_number(high.strip()))
        both = asymmetry(*_with_name(p, q, arguments.vary), **options)
        for direction in (both.forward, both.reverse):
            _checked(direction)
        figure = both.plot(vary=arguments.vary, over=over)
    else:
        figure = _checked(kl(p, q, **options)).plot()
    with _writing(arguments.out):
        figure.savefig(arguments.out, dpi=120)
    return _json({"picture": arguments.out}) if arguments.json else f"wrote {arguments.out}"


def _check_writable(path: str, option: str):
    """UsageError unless a file can be written at ``path`` (checked before anything is derived)."""
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise UsageError(f"{option} {path}: that is a directory; give a file name")
    if not os.path.isdir(directory):
        raise UsageError(f"{option} {path}: there is no directory {directory}")
    if not os.access(directory, os.W_OK):
        raise UsageError(f"{option} {path}: cannot write in {directory}")


def _check_picture(path: str):
    """UsageError unless matplotlib is there and can write a picture of ``path``'s kind."""
    try:
        from matplotlib.backend_bases import FigureCanvasBase
    except ImportError:
        raise UsageError("plot needs matplotlib: pip install 'symkl[plot]'") from None
    formats = FigureCanvasBase.get_supported_filetypes()
    if os.path.splitext(path)[1][1:].lower() not in formats:
        raise UsageError(f"--out {path}: the name must end in one of "
                         f"{', '.join('.' + f for f in sorted(formats))}")
    _check_writable(path, "--out")


@contextlib.contextmanager
def _writing(path: str):
    """A failure to write ``path`` (a full disk, a permission) as a UsageError."""
    try:
        yield
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None


@contextlib.contextmanager
def _long_integers():
    """Let Python print integers of any length while the command runs.

    An exact result can hold a number of more than 4300 digits (digamma(10000)
    is a fraction that long), past which Python refuses to print an integer
    unless told otherwise; the limit guards the parsing of huge text, and what
    the command parses is at most _LONGEST characters a number.
    """
    if not hasattr(sys, "set_int_max_str_digits"):  # Python before 3.10.7 has no limit
        yield
        return
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(limit)


def _one_line(text) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _MESSAGE else text[:_MESSAGE - 1] + "…"


def main(argv=None) -> int:
    """Run the command: 0 on success; 2 for input that is not valid or that symkl cannot
    handle; 1 for any other failure, a mistake of symkl (one line on stderr either way)."""
    try:
        with _long_integers():
            print(_run(_parser().parse_args(argv)))
    except (UsageError, InvalidInput, Unsupported) as error:
        print(f"symkl: error: {_one_line(error)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader stopped reading (``symkl … | head``): nothing is wrong
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # no second error when Python flushes at exit
        return 0
    except Exception as error:  # whatever its type, it is no fault of the user's
        detail = error.detail if isinstance(error, InternalError) else f"{type(error).__name__}: {error}"
        print(f"symkl: internal error (please report it): {_one_line(detail)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The options several commands share, each value checked as it is parsed.

A value argparse cannot accept is a usage error: exit 2 and one line naming the option
and what it takes, before any file is read. Every number has a lower and an upper bound
(:data:`BOUNDS`): a value no run could use (``--window 99999999999999999999``, ``--draws
1000000000000``) is refused here instead of failing deep inside a computation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from pathlib import Path

import pandas as pd

from relscore.analysis.robustness import MAX_DRAWS
from relscore.codebook import DEFAULT_SCHEME, SCHEMES
from relscore.exceptions import EventFileError, ProblemsError
from relscore.files.atomic import STDOUT, same_file, write_text_atomic
from relscore.files.csvfile import csv_text
from relscore.importers.countries import actor_hint
from relscore.index import DEFAULT_HALF_LIFE
from relscore.readers.events import read_checked
from relscore.readers.weights import read_weights
from relscore.scale.budget import parse_size
from relscore.vocabulary import (
    DATE_MAX,
    DATE_MIN,
    SPAN_DAYS,
    check_dyad,
    date_in_range,
    parse_dyad,
)
from relscore.vocabulary import check_date_range as dates_in_order


def date(text: str) -> str:
    """An argparse type: a calendar date written ``YYYY-MM-DD``, within the dates relscore
    reads (:mod:`relscore.vocabulary`), so no calendar is laid out for a typo."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date: {text!r} (a real calendar day, YYYY-MM-DD)"
        ) from None
    if len(text) != 10:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (YYYY-MM-DD)")
    if not date_in_range(text):
        raise argparse.ArgumentTypeError(
            f"{text} is outside the dates relscore reads, {DATE_MIN} ... {DATE_MAX}"
        )
    return text


# The largest value of each kind of number an option takes, and why.
BOUNDS = {
    "days": SPAN_DAYS,  # a window or half-life: the dates relscore reads
    "draws": MAX_DRAWS,  # robustness draws: a 95 % interval is well read from 1,000
    "seed": 2**32 - 1,
    "events": 1_000_000,  # rows printed
    "jobs": 256,  # downloads or imports at once
    "retries": 100,
    "seconds": 86_400,  # a day
    "dyads": 10**9,  # dyads per block (there are some 60,000 dyads of states)
    "bytes": 10**15,  # a size: a petabyte
    "points": 1e9,  # index points: far above any day of any dyad
    "rows": 1_000_000,  # rows or dyads listed
}


def whole(minimum: int, maximum: int):
    """An argparse type: a whole number ``minimum ... maximum``."""

    def check(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(
                f"must be a whole number {minimum} ... {maximum:,}, got {_cut(text)}"
            ) from None
        return value

    check.__name__ = f"whole number {minimum} ... {maximum}"
    return check


def positive(unit: str, maximum: float):
    """An argparse type: a finite number of ``unit`` (days, seconds), > 0 and at most
    ``maximum``."""

    def check(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and 0 < value <= maximum):
            raise argparse.ArgumentTypeError(
                f"must be a number of {unit} > 0 and at most {maximum:,g}, got {_cut(text)}"
            )
        return value

    check.__name__ = f"number of {unit} > 0"
    return check


def size(maximum: int = BOUNDS["bytes"]):
    """An argparse type: a size in bytes, ``512M``, ``4G`` (powers of 1000), 1 ...
    ``maximum``."""

    def check(text: str) -> int:
        try:
            value = parse_size(text)
        except ValueError:
            value = None
        if value is None or not 1 <= value <= maximum:
            raise argparse.ArgumentTypeError(
                f"must be a size of 1 byte ... {maximum:,} bytes (e.g. 512M, 4G), got {_cut(text)}"
            )
        return value

    check.__name__ = "size"
    return check


def _cut(text: str) -> str:
    """A value as a message quotes it: 30 characters at most."""
    return repr(text if len(text) <= 30 else text[:27] + "...")


days = positive("days", BOUNDS["days"])


def dyad(text: str) -> str:
    """An argparse type: a dyad's spelling (normalised later, once ``--directed`` is known).
    A dyad of names or alpha-2 codes gets the alpha-3 spelling it means, where one is found
    (``IRAN-PAKISTAN``, ``IR-PK``: did you mean IRN-PAK?)."""
    try:
        parse_dyad(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{exc} (or IRN>PAK with --directed){_dyad_hint(text)}"
        ) from None
    return text


def _dyad_hint(text: str) -> str:
    sign = ">" if ">" in text else "-"
    sides = text.split(sign)
    if len(sides) != 2:
        return ""
    codes = []
    for side in sides:
        hint = actor_hint(side)
        if not hint:
            return ""
        codes.append(hint.split("'")[1])
    return f"; did you mean {sign.join(codes)}?"


class _Given(argparse.Action):
    """Store the value and note that the option was given: ``--scheme``'s default is a
    scheme, so its value alone cannot tell (``args.given``, a set of destinations)."""

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, values)
        namespace.given = {*getattr(namespace, "given", ()), self.dest}


def add_weights(parser: argparse.ArgumentParser) -> None:
    """``--weights`` and ``--scheme``."""
    parser.add_argument(
        "--weights", metavar="FILE.toml", help="TOML file of per-code weight overrides"
    )
    parser.add_argument(
        "--scheme",
        action=_Given,
        default=DEFAULT_SCHEME,
        type=str.lower,  # --scheme Goldstein is goldstein
        choices=sorted(SCHEMES),
        help="how one event is scored (default: %(default)s; goldstein = plain net Goldstein, "
        "quad = +-1 words, +-2 deeds)",
    )


def add_kernel(parser: argparse.ArgumentParser) -> None:
    """``--window`` or ``--half-life``."""
    kernel = parser.add_mutually_exclusive_group()
    kernel.add_argument(
        "--window",
        type=whole(1, BOUNDS["days"]),
        metavar="DAYS",
        help="rolling kernel: trailing window in days",
    )
    kernel.add_argument(
        "--half-life",
        type=days,
        metavar="DAYS",
        help=f"decay kernel: half-life in days (the default kernel, {DEFAULT_HALF_LIFE:g} days)",
    )


def add_dyad(parser: argparse.ArgumentParser) -> None:
    """``--dyad`` and ``--directed``."""
    parser.add_argument(
        "--dyad",
        type=dyad,
        metavar="A-B",
        help="keep one dyad, e.g. IRN-PAK (or IRN>PAK with --directed; default: every dyad)",
    )
    parser.add_argument("--directed", action="store_true", help="keep A>B apart from B>A")


def add_date_range(parser: argparse.ArgumentParser) -> None:
    """``--start`` and ``--end``; :func:`check_date_range` checks their order."""
    parser.add_argument(
        "--start", type=date, metavar="DATE", help="first date to write (YYYY-MM-DD)"
    )
    parser.add_argument("--end", type=date, metavar="DATE", help="last date to write (YYYY-MM-DD)")


def check_date_range(
    args: argparse.Namespace,
    parser: argparse.ArgumentParser,
    first: str = "start",
    last: str = "end",
) -> None:
    """Two date options in order (``--start``/``--end`` by default): an empty range is a
    usage error, not an empty file."""
    try:
        dates_in_order(getattr(args, first), getattr(args, last), (f"--{first}", f"--{last}"))
    except ValueError as error:
        parser.error(str(error))


def refuse_overwrite(
    parser: argparse.ArgumentParser,
    outputs: list[tuple[str, str | None]],
    inputs: list[str | None],
) -> None:
    """A usage error if an output (``(option, path)``) is an input, is inside an input
    folder, or is another output: relscore never writes over what it reads.

    Symlinks and hard links count as the file they lead to (:func:`same_file`).
    """
    taken = [(f"the input {path}", path) for path in inputs if path]
    for option, path in outputs:
        if not path:
            continue
        for what, other in taken:
            if same_file(path, other) or (str(path) == STDOUT == str(other)):
                parser.error(
                    f"{option} {path} would overwrite {what}; relscore never writes over "
                    "its own inputs or outputs: choose another output file"
                )
        taken.append((f"the output of {option} ({path})", path))


def is_folder(args: argparse.Namespace) -> bool:
    """Whether the command's inputs are one index folder (``relscore update``, ``index
    --to``) rather than events files."""
    return len(args.events) == 1 and Path(args.events[0]).is_dir()


def refuse_folder_settings(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """A usage error for an option that says how to score or accumulate the events: an
    index folder was computed with its own settings, which its manifest records."""
    given = [name for name in ("weights", "window", "half_life") if getattr(args, name, None)]
    given += sorted({"scheme"} & getattr(args, "given", set()))
    if given:
        option = "--" + given[0].replace("_", "-")
        parser.error(f"{option}: an index folder was computed with its own settings; drop it")


def wanted_dyad(args: argparse.Namespace) -> str | None:
    """``--dyad`` as relscore writes it (``IRN-PAK``, or ``IRN>PAK`` with ``--directed``)."""
    return parse_dyad(args.dyad, args.directed) if args.dyad else None


def load(args: argparse.Namespace, allow_empty: bool = False) -> tuple:
    """Read the events files and the weights; raise ProblemsError listing every problem, and
    EventFileError if they hold no event at all (unless ``allow_empty``: nothing to score)."""
    events, problems = read_checked(args.events)
    overrides = {}
    if args.weights:
        try:
            overrides = read_weights(args.weights)
        except ProblemsError as exc:
            problems += exc.problems
    if problems:
        raise ProblemsError(problems)
    if events.empty and not allow_empty:
        raise EventFileError(
            f"{', '.join(args.events)}: no events, only a header: nothing to score "
            "(one row per event under the header; see relscore validate)"
        )
    return events, overrides


def one_dyad(index: pd.DataFrame, wanted: str) -> pd.DataFrame:
    """The rows of one dyad; :class:`~relscore.exceptions.UnknownDyadError` if it has none."""
    check_dyad(
        sorted(index["dyad"].unique()) if index.empty else index["dyad"].cat.categories, wanted
    )
    return index[index["dyad"] == wanted]


def write_csv(table: pd.DataFrame, output: str | None, float_format: str | None = None) -> None:
    """Write ``table`` as CSV to ``output`` atomically, or to standard output (None, ``-``)."""
    write_text_atomic(output or STDOUT, csv_text(table, float_format=float_format))


def report_stream(output: str | None):
    """Where a command prints what a person reads: standard output, unless the command's
    ``-o`` sends its table there (``-o -``); then standard error."""
    return sys.stderr if str(output) == STDOUT else sys.stdout


def output_name(output: str) -> str:
    """How a message names an output: ``-`` is standard output."""
    return "standard output" if str(output) == STDOUT else str(output)

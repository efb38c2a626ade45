"""The ``relscore`` command line: validate, index, figures.

Exit codes: 0 success, 1 invalid input (one ``FILE:LINE: column: message`` per problem on
stderr), 2 usage error.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from . import __doc__ as package_doc
from ._atomic import write_text_atomic
from .codebook import DEFAULT_SCHEME, SCHEMES, read_weights
from .coding import code_events, scale_by_coverage, weight_coverage
from .events import read_events
from .exceptions import ProblemsError, RelscoreError
from .importers.cli import add_import_parser, run_import
from .index import DEFAULT_HALF_LIFE, tension_index


def _add_weights_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--weights", metavar="FILE.toml", help="TOML file of per-code weight overrides"
    )
    parser.add_argument(
        "--scheme",
        default=DEFAULT_SCHEME,
        choices=sorted(SCHEMES),
        help=f"how one event is scored (default: {DEFAULT_SCHEME}; "
        "goldstein = plain net Goldstein)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="relscore", description=package_doc)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check events files and report every problem",
        description="Check events "
        "CSV files (and a weights file); print one FILE:LINE: column: message per problem.",
    )
    validate.add_argument("events", nargs="+", metavar="EVENTS.csv")
    _add_weights_options(validate)

    index = commands.add_parser(
        "index",
        help="compute the daily tension index",
        description="Compute the daily tension index of every dyad (or one) and write it as CSV.",
    )
    index.add_argument("events", nargs="+", metavar="EVENTS.csv")
    _add_weights_options(index)
    index.add_argument(
        "--dyad", metavar="A-B", help="keep one dyad, e.g. IRN-PAK (or IRN>PAK with --directed)"
    )
    index.add_argument("--directed", action="store_true", help="keep A>B apart from B>A")
    kernel = index.add_mutually_exclusive_group()
    kernel.add_argument(
        "--window", type=int, metavar="DAYS", help="rolling kernel: trailing window in days"
    )
    kernel.add_argument(
        "--half-life",
        type=float,
        metavar="DAYS",
        help=f"decay kernel: half-life in days (default kernel, {DEFAULT_HALF_LIFE:g} days)",
    )
    index.add_argument("--start", metavar="DATE", help="first date to write (YYYY-MM-DD)")
    index.add_argument("--end", metavar="DATE", help="last date to write (YYYY-MM-DD)")
    index.add_argument(
        "--weight-by",
        choices=["num_mentions", "num_articles"],
        help="multiply each event's contributions by this coverage count (imported GDELT "
        "data; off by default)",
    )
    index.add_argument(
        "-o", "--output", metavar="OUT.csv", help="output file (default: standard output)"
    )

    figures = commands.add_parser(
        "figures",
        help="rebuild every figure from the bundled data",
        description="Rebuild every figure in figures/ (PNG, SVG and the CSV behind each) "
        "from data/events and data/weights.toml.",
    )
    figures.add_argument(
        "--out", default="figures", metavar="DIR", help="output folder (default: figures)"
    )
    figures.add_argument(
        "--data", default="data", metavar="DIR", help="data folder (default: data)"
    )
    figures.add_argument(
        "--check",
        action="store_true",
        help="build in a temporary folder and fail if any file in --out differs",
    )
    add_import_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "index":
            return _index(args, parser)
        if args.command == "import":
            return run_import(args)
        return _figures(args)
    except ProblemsError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except RelscoreError as exc:
        print(f"relscore: error: {exc}", file=sys.stderr)
        return 1


def _load(args) -> tuple:
    """Read events and weights; raise ProblemsError listing every problem of both."""
    events, problems = read_events(args.events)
    overrides = {}
    if args.weights:
        try:
            overrides = read_weights(args.weights)
        except ProblemsError as exc:
            problems += exc.problems
    if problems:
        raise ProblemsError(problems)
    return events, overrides


def _validate(args) -> int:
    events, overrides = _load(args)
    coverage = weight_coverage(events, args.scheme, overrides)
    missing = coverage[coverage["origin"] == "missing"]
    for code in missing["event_code"]:
        print(f"(weights): {code}: no weight for this event code", file=sys.stderr)
    if len(missing):
        return 1
    print(f"ok: {len(events)} events in {len(args.events)} file(s), every code weighted")
    return 0


def _index(args, parser: argparse.ArgumentParser) -> int:
    events, overrides = _load(args)
    coded = code_events(events, args.scheme, overrides)
    if args.weight_by:
        coded = scale_by_coverage(coded, args.weight_by)
    index = tension_index(
        coded,
        window=args.window,
        half_life=args.half_life,
        directed=args.directed,
        start=args.start,
        end=args.end,
    )
    if args.dyad:
        wanted = _normalise_dyad(args.dyad, args.directed, parser)
        if wanted not in index["dyad"].cat.categories:
            known = ", ".join(index["dyad"].cat.categories[:10])
            raise RelscoreError(f"no events for dyad {wanted} (dyads in the data: {known})")
        index = index[index["dyad"] == wanted]
    buffer = io.StringIO()
    index.to_csv(buffer, index=False, date_format="%Y-%m-%d", lineterminator="\n")
    if args.output:
        write_text_atomic(args.output, buffer.getvalue())
    else:
        sys.stdout.write(buffer.getvalue())
    n_dyads = index["dyad"].nunique()
    print(
        f"relscore: scored {len(coded)} events; wrote {len(index)} rows for {n_dyads} dyad(s)",
        file=sys.stderr,
    )
    return 0


def _normalise_dyad(text: str, directed: bool, parser: argparse.ArgumentParser) -> str:
    sep = ">" if directed else "-"
    parts = text.upper().replace(">", "-").split("-")
    if len(parts) != 2 or not all(len(p) == 3 for p in parts):
        parser.error(f"--dyad must look like IRN{sep}PAK, got {text!r}")
    a, b = parts if directed else sorted(parts)
    return f"{a}{sep}{b}"


def _figures(args) -> int:
    from .figures import build_figures, check_figures

    if args.check:
        stale = check_figures(Path(args.data), Path(args.out))
        for name in stale:
            print(f"{Path(args.out) / name}: differs from a fresh build", file=sys.stderr)
        if stale:
            print("relscore: figures are stale; run `make figures`", file=sys.stderr)
            return 1
        print(f"ok: every figure in {args.out} is current")
        return 0
    for path in build_figures(Path(args.data), Path(args.out), progress=sys.stderr):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

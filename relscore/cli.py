"""The ``relscore`` command line: validate, index, figures.

Exit codes: 0 success, 1 invalid input (one ``FILE:LINE: column: message`` per problem on
stderr), 2 usage error.
"""

from __future__ import annotations

import argparse
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
from .scale.options import add_scale_options, wants_block_wise


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


def _add_kernel_options(parser: argparse.ArgumentParser) -> None:
    kernel = parser.add_mutually_exclusive_group()
    kernel.add_argument(
        "--window", type=int, metavar="DAYS", help="rolling kernel: trailing window in days"
    )
    kernel.add_argument(
        "--half-life",
        type=float,
        metavar="DAYS",
        help=f"decay kernel: half-life in days (default kernel, {DEFAULT_HALF_LIFE:g} days)",
    )


def _add_dyad_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dyad", metavar="A-B", help="keep one dyad, e.g. IRN-PAK (or IRN>PAK with --directed)"
    )
    parser.add_argument("--directed", action="store_true", help="keep A>B apart from B>A")


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
        description="Compute the daily tension index of every dyad (or one) and write it as CSV "
        "(or Parquet). The input is events CSV files, or one Parquet event store folder "
        "(`relscore import ... --to-parquet DIR`), which is read month by month with the kernel "
        "run in blocks of dyads, so memory stays bounded however large the store is.",
    )
    index.add_argument("events", nargs="+", metavar="EVENTS.csv|DIR")
    _add_weights_options(index)
    _add_dyad_options(index)
    _add_kernel_options(index)
    index.add_argument("--start", metavar="DATE", help="first date to write (YYYY-MM-DD)")
    index.add_argument("--end", metavar="DATE", help="last date to write (YYYY-MM-DD)")
    index.add_argument(
        "--weight-by",
        choices=["num_mentions", "num_articles"],
        help="multiply each event's contributions by this coverage count (imported GDELT "
        "data; off by default)",
    )
    index.add_argument(
        "-o",
        "--output",
        metavar="OUT.csv|OUT.parquet",
        help="output file (default: standard output)",
    )
    add_scale_options(index)

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
    episodes = commands.add_parser(
        "episodes",
        help="find each dyad's episodes and measure how fast they calmed down",
        description="Find the episodes where each dyad's tension rose clearly above its own "
        "baseline, with peak, days to half and a fitted half-life (95 %% interval); one row "
        "per episode, as CSV.",
    )
    episodes.add_argument("events", nargs="+", metavar="EVENTS.csv")
    _add_weights_options(episodes)
    _add_dyad_options(episodes)
    _add_kernel_options(episodes)
    episodes.add_argument("-o", "--output", metavar="OUT.csv", help="output file (default: stdout)")

    robust = commands.add_parser(
        "robustness",
        help="re-score under other weights and kernels; does the top episode hold?",
        description="Re-score one dyad under every scheme, seeded random jitter of every "
        "code's weight, a grid of windows and half-lives, and leaving out one event at a time; "
        "print how often the top episode stays on top and the spread of its half-life.",
    )
    robust.add_argument("events", nargs="+", metavar="EVENTS.csv")
    _add_weights_options(robust)
    _add_dyad_options(robust)
    _add_kernel_options(robust)
    robust.add_argument("--draws", type=int, default=1000, metavar="N", help="jitter draws")
    robust.add_argument("--seed", type=int, default=0, metavar="S", help="random seed")
    robust.add_argument(
        "--episode",
        nargs=2,
        metavar=("START", "END"),
        help="dates the top peak must fall between to count as the same episode "
        "(default: 14 days either side of the base reading's peak)",
    )
    robust.add_argument(
        "-o", "--output", metavar="OUT.csv", help="write every variant, one row each"
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
        if args.command == "episodes":
            return _episodes(args, parser)
        if args.command == "robustness":
            return _robustness(args, parser)
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
    if wants_block_wise(args):
        from .scale.command import run_scaled_index

        return run_scaled_index(args, parser, _normalise_dyad, _load)
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
        index = _one_dyad(index, _normalise_dyad(args.dyad, args.directed, parser))
    _write_csv(index, args.output)
    n_dyads = index["dyad"].nunique()
    print(
        f"relscore: scored {len(coded)} events; wrote {len(index)} rows for {n_dyads} dyad(s)",
        file=sys.stderr,
    )
    return 0


def _write_csv(table, output: str | None) -> None:
    text = table.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n")
    if output:
        write_text_atomic(output, text)
    else:
        sys.stdout.write(text)


def _episodes(args, parser: argparse.ArgumentParser) -> int:
    from .episodes import episodes

    events, overrides = _load(args)
    kernel = {"window": args.window, "half_life": args.half_life}
    index = tension_index(
        code_events(events, args.scheme, overrides), directed=args.directed, **kernel
    )
    if args.dyad:
        index = _one_dyad(index, _normalise_dyad(args.dyad, args.directed, parser))
    table = episodes(index, **kernel)
    _write_csv(table, args.output)
    for dyad in index["dyad"].unique():
        if not (table["dyad"] == dyad).any():
            print(
                f"relscore: no episode for {dyad}: its tension never rose clearly above its "
                "own baseline (see relscore.episodes for the rule)",
                file=sys.stderr,
            )
    return 0


def _robustness(args, parser: argparse.ArgumentParser) -> int:
    from .index import dyad_codes
    from .robustness import robustness, summarise_robustness

    events, overrides = _load(args)
    labels = dyad_codes(events["actor1"], events["actor2"], args.directed)[1]
    if args.dyad:
        dyad = _normalise_dyad(args.dyad, args.directed, parser)
    elif len(labels) == 1:
        dyad = labels[0]
    else:
        parser.error(f"the files hold {len(labels)} dyads; pick one with --dyad")
    variants = robustness(
        events,
        dyad,
        args.draws,
        args.seed,
        scheme=args.scheme,
        overrides=overrides,
        window=args.window,
        half_life=args.half_life,
        directed=args.directed,
    )
    start, end = args.episode or (None, None)
    summary = summarise_robustness(variants, start, end)
    if args.output:
        _write_csv(variants, args.output)
    print(f"robustness of the top {dyad} episode over {len(variants)} variants")
    print(summary.to_string(index=False, float_format=lambda x: f"{x:.2f}"))
    return 0


def _one_dyad(index, wanted: str):
    if wanted not in index["dyad"].cat.categories:
        known = ", ".join(index["dyad"].cat.categories[:10])
        raise RelscoreError(f"no events for dyad {wanted} (dyads in the data: {known})")
    return index[index["dyad"] == wanted]


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

"""``relscore episodes`` and ``relscore robustness``: measure the de-escalation."""

from __future__ import annotations

import argparse
import sys

from relscore.analysis.episodes import episodes, min_rise_of
from relscore.analysis.folder_episodes import folder_episodes
from relscore.analysis.robustness import MAX_DRAWS, robustness, summarise_robustness
from relscore.cli import options
from relscore.coding import code_events
from relscore.index import dyad_codes, tension_index
from relscore.store.index_folder import read_manifest
from relscore.vocabulary import check_dyad

FLOAT_FORMAT = "%.10g"  # what a person reads: 14, not 13.999999999999998


def add_parsers(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "episodes",
        help="find each dyad's episodes and measure how fast they calmed down",
        description="Find each dyad's episodes -- the peaks of its tension that the index "
        "climbed to from below half of them, at least 5 points (1 under quad) above the median "
        "of the year before -- with their days, peak, days to half and a fitted half-life "
        "(95 % interval); one row per episode, highest peak first, as CSV.",
    )
    parser.add_argument(
        "events",
        nargs="+",
        metavar="EVENTS.csv",
        help="events files, or one index folder (relscore update, index --to): every dyad's "
        "episodes, block by block, with the folder's own settings",
    )
    options.add_weights(parser)
    options.add_dyad(parser)
    options.add_kernel(parser)
    parser.add_argument("-o", "--output", metavar="OUT.csv", help="output file (default: stdout)")
    parser.set_defaults(run=run_episodes, usage=parser)

    parser = commands.add_parser(
        "robustness",
        help="re-score under other weights and kernels; does the top episode hold?",
        description="Re-score one dyad under every scheme, seeded random jitter of every "
        "code's weight, a grid of windows and half-lives, and leaving out one event at a time; "
        "print how often the top episode stays on top and the spread of its half-life.",
    )
    parser.add_argument("events", nargs="+", metavar="EVENTS.csv")
    options.add_weights(parser)
    options.add_dyad(parser)
    options.add_kernel(parser)
    parser.add_argument(
        "--draws",
        type=options.whole(0, options.BOUNDS["draws"]),
        default=1000,
        metavar="N",
        help=f"jitter draws, at most {MAX_DRAWS:,} (default: 1000)",
    )
    parser.add_argument(
        "--seed",
        type=options.whole(0, options.BOUNDS["seed"]),
        default=0,
        metavar="S",
        help="random seed (default: 0)",
    )
    parser.add_argument(
        "--episode",
        nargs=2,
        type=options.date,
        metavar=("START", "END"),
        help="dates the top peak must fall between to count as the same episode "
        "(default: 14 days either side of the base reading's peak)",
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT.csv", help="write every variant, one row each"
    )
    parser.set_defaults(run=run_robustness, usage=parser)


def run_episodes(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    options.refuse_overwrite(parser, [("-o", args.output)], [*args.events, args.weights])
    if options.is_folder(args):
        return _folder_episodes(args, parser)
    events, overrides = options.load(args)
    kernel = {"window": args.window, "half_life": args.half_life}
    index = tension_index(
        code_events(events, args.scheme, overrides), directed=args.directed, **kernel
    )
    if args.dyad:
        index = options.one_dyad(index, options.wanted_dyad(args))
    rise = min_rise_of(args.scheme)
    table = episodes(index, min_rise=rise, **kernel).sort_values(
        ["peak", "dyad"], ascending=[False, True], ignore_index=True
    )
    options.write_csv(table, args.output, float_format=FLOAT_FORMAT)
    dyads = list(index["dyad"].unique())
    quiet = sorted(set(dyads) - set(table["dyad"]))
    if quiet:
        shown = ", ".join(quiet[:10]) + (", ..." if len(quiet) > 10 else "")
        print(
            f"relscore: no episode in {len(quiet)} of {len(dyads)} dyad(s) ({shown}): no peak "
            f"of their tension rose {rise:g} points above the median of the year before it "
            "(see relscore.episodes)",
            file=sys.stderr,
        )
    if args.output:
        print(
            f"relscore: wrote {len(table)} episode(s) of {table['dyad'].nunique()} dyad(s) "
            f"to {options.output_name(args.output)}",
            file=sys.stderr,
        )
    return 0


def _folder_episodes(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """``relscore episodes INDEX/``: every dyad of an index folder, block by block, with the
    settings the folder was computed with."""
    options.refuse_folder_settings(args, parser)
    folder, wanted = args.events[0], options.wanted_dyad(args)
    if wanted:  # only that dyad's series is read
        check_dyad(sorted(read_manifest(folder)["dyads"]), wanted)
    table = folder_episodes(folder, dyads=[wanted] if wanted else None).sort_values(
        ["peak", "dyad"], ascending=[False, True], ignore_index=True
    )
    options.write_csv(table, args.output, float_format=FLOAT_FORMAT)
    print(
        f"relscore: {len(table)} episode(s) of {table['dyad'].nunique()} dyad(s) in "
        f"{args.events[0]}" + (f", written to {args.output}" if args.output else ""),
        file=sys.stderr,
    )
    return 0


def run_robustness(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    options.refuse_overwrite(parser, [("-o", args.output)], [*args.events, args.weights])
    events, overrides = options.load(args)
    labels = list(dyad_codes(events["actor1"], events["actor2"], args.directed)[1])
    if args.dyad:
        dyad = options.wanted_dyad(args)
    elif len(labels) == 1:
        dyad = labels[0]
    else:
        parser.error(
            f"the files hold {len(labels)} dyads; pick one with --dyad: " + ", ".join(labels[:20])
        )
    if args.episode and args.episode[0] > args.episode[1]:
        parser.error(f"--episode {args.episode[0]} {args.episode[1]}: START is after END")
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
        options.write_csv(variants, args.output, float_format=FLOAT_FORMAT)
    out = options.report_stream(args.output)
    print(f"robustness of the top {dyad} episode over {len(variants)} variants", file=out)
    print(summary.to_string(index=False, float_format=lambda x: f"{x:.2f}"), file=out)
    return 0

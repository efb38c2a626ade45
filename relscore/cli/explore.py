"""``relscore explore``: one dyad's interactive explorer, a standalone HTML file."""

from __future__ import annotations

import argparse
import sys

from relscore.cli import options
from relscore.explore import FACTORS, KERNELS, explorer_html
from relscore.files.atomic import write_text_atomic
from relscore.vocabulary import parse_dyad


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "explore",
        help="write one dyad's interactive explorer as a standalone HTML file",
        description="Write a standalone HTML page (JavaScript inlined: works offline, no "
        "server) to explore one dyad's tension: the timeline with a brushable overview, a "
        "tooltip per day with its top events, the events linked to their sources, and "
        "controls for the scheme, the kernel ("
        + "; ".join(label for label, *_ in KERNELS)
        + ") and the weights of the dyad's dominant codes (x "
        + ", ".join(f"{f:g}" for f in FACTORS)
        + ").",
    )
    parser.add_argument("events", nargs="+", metavar="EVENTS.csv")
    parser.add_argument(
        "--dyad", type=options.dyad, required=True, metavar="A-B", help="the dyad, e.g. IRN-PAK"
    )
    parser.add_argument(
        "--weights", metavar="FILE.toml", help="TOML file of per-code weight overrides"
    )
    parser.add_argument(
        "--title", help="the page's heading (default: e.g. 'Iran–Pakistan tension, 1947–2025')"
    )
    parser.add_argument("-o", "--output", required=True, metavar="FILE.html", help="output file")
    parser.set_defaults(run=run, usage=parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if ">" in args.dyad:
        parser.error(f"--dyad {args.dyad}: the explorer shows undirected dyads (A-B)")
    options.refuse_overwrite(parser, [("-o", args.output)], [*args.events, args.weights])
    events, overrides = options.load(args)
    dyad = parse_dyad(args.dyad, directed=False)
    try:
        page = explorer_html(events, dyad, title=args.title, overrides=overrides)
    except ImportError as exc:
        print(f"relscore: error: {exc}", file=sys.stderr)
        return 1
    write_text_atomic(args.output, page)
    size = len(page.encode("utf-8"))
    print(
        f"relscore: wrote {options.output_name(args.output)} ({size:,} bytes) for {dyad}; "
        f"read {len(events)} events",
        file=options.report_stream(args.output),
    )
    return 0

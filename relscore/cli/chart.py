"""``relscore chart``: one dyad of an events file as a PNG or SVG chart, in the house style."""

from __future__ import annotations

import argparse
from pathlib import Path

from relscore.cli import options
from relscore.files.atomic import write_atomic
from relscore.vocabulary import parse_dyad

FORMATS = (".png", ".svg")


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "chart",
        help="draw one dyad of an events file as a PNG or SVG chart",
        description="Draw one dyad's tension from your events files in the style of the "
        "figures: day by day (conflict up, cooperation down) for a record of up to six "
        "months, the index over time for a longer one; its highest episodes labelled, the "
        "year on the axis, what the index means in the subtitle and the data and weights in "
        "the footer. The same input gives the same bytes.",
    )
    parser.add_argument("events", nargs="+", metavar="EVENTS.csv")
    parser.add_argument(
        "--dyad", type=options.dyad, required=True, metavar="A-B", help="the dyad, e.g. AFG-PAK"
    )
    options.add_weights(parser)
    options.add_kernel(parser)
    parser.add_argument("--title", help="the chart's title (default: the dyad and its dates)")
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE.png",
        help="output file; its ending picks the format: .png or .svg",
    )
    parser.set_defaults(run=run, usage=parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import matplotlib.pyplot as plt

    from relscore.figures.chart import chart_bytes, dyad_chart

    fmt = Path(args.output).suffix.lower()
    if fmt not in FORMATS:
        parser.error(f"-o {args.output}: write a .png or a .svg file")
    if ">" in args.dyad:
        parser.error(f"--dyad {args.dyad}: a chart shows undirected dyads (A-B)")
    options.refuse_overwrite(parser, [("-o", args.output)], [*args.events, args.weights])
    events, overrides = options.load(args)
    dyad = parse_dyad(args.dyad, directed=False)
    fig = dyad_chart(
        events,
        dyad,
        scheme=args.scheme,
        overrides=overrides,
        half_life=args.half_life,
        window=args.window,
        title=args.title,
    )
    content = chart_bytes(fig, fmt.removeprefix("."))
    plt.close(fig)
    write_atomic(args.output, lambda tmp: tmp.write_bytes(content))
    print(f"relscore: wrote {args.output} for {dyad}; read {len(events)} events")
    return 0

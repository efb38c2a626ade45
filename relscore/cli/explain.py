"""``relscore explain``: the events behind one dyad's tension on one day."""

from __future__ import annotations

import argparse
import textwrap

import pandas as pd

from relscore.analysis.explain import check_day, data_days, explain
from relscore.cli import options
from relscore.coding import code_events
from relscore.index import dyad_codes, tension_index
from relscore.plot.words import kernel_words
from relscore.vocabulary import check_dyad

DESCRIPTION_WIDTH = 64  # characters of an event's description in the printed table
TOLERANCE = 1e-9  # index points: the sum must meet the index this closely


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "explain",
        help="list the events behind one dyad's tension on one day",
        description="Decompose a dyad's tension on one day into the events behind it: each "
        "event's contribution after the kernel (decay or window), largest first, summing to "
        "the index value; events that have faded below 0.01 points are summed in one row.",
    )
    parser.add_argument("events", nargs="+", metavar="EVENTS.csv")
    parser.add_argument(
        "--dyad",
        type=options.dyad,
        required=True,
        metavar="A-B",
        help="the dyad, e.g. IRN-PAK (or IRN>PAK with --directed)",
    )
    parser.add_argument("--directed", action="store_true", help="keep A>B apart from B>A")
    parser.add_argument(
        "--date", type=options.date, required=True, metavar="DATE", help="the day (YYYY-MM-DD)"
    )
    options.add_weights(parser)
    options.add_kernel(parser)
    parser.add_argument(
        "--top",
        type=options.whole(1, options.BOUNDS["events"]),
        default=10,
        metavar="N",
        help="events printed, largest first (default: %(default)s; -o writes them all)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT.csv",
        help="also write every event's row as CSV (-: to standard output, and the table "
        "a person reads to standard error)",
    )
    parser.set_defaults(run=run, usage=parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    options.refuse_overwrite(parser, [("-o", args.output)], [*args.events, args.weights])
    events, overrides = options.load(args)
    coded = code_events(events, args.scheme, overrides)
    dyad = options.wanted_dyad(args)
    check_dyad(dyad_codes(coded["actor1"], coded["actor2"], args.directed)[1], dyad)
    try:
        check_day(*data_days(coded), args.date)
    except ValueError as exc:
        parser.error(f"--date: {exc}")
    kernel = {"window": args.window, "half_life": args.half_life}
    table = explain(coded, dyad, args.date, directed=args.directed, **kernel)
    index = tension_index(coded, directed=args.directed, start=args.date, end=args.date, **kernel)
    tension = float(options.one_dyad(index, dyad)["tension"].iloc[0])
    total = float(table["contribution"].sum())
    n_events = int(table["n_events"].sum())
    out = options.report_stream(args.output)
    print(
        f"{dyad} on {args.date}: tension {tension:.2f} = sum of {n_events} events below "
        f"({args.scheme}, {kernel_words(**kernel)})",
        file=out,
    )
    print(_table_text(table, args.top), file=out)
    agrees = abs(total - tension) <= TOLERANCE
    print(
        f"sum of contributions {total:.2f} {'=' if agrees else '!='} tension {tension:.2f} "
        f"(difference {total - tension:.1e}); read {len(events)} events, {n_events} of them "
        f"{dyad}'s up to {args.date}",
        file=out,
    )
    if args.output:
        options.write_csv(table, args.output)
        print(f"relscore: wrote {len(table)} rows to {options.output_name(args.output)}", file=out)
    return 0 if agrees else 1


def _table_text(table: pd.DataFrame, top: int) -> str:
    """The table a person reads: date, code, description (shortened), contribution."""
    events = table[table["event_code"].notna()]
    folded = table[table["event_code"].isna()]
    shown, rest = events.head(top), events.iloc[top:]
    lines = [f"{'date':<10}  {'code':<5} {'description':<{DESCRIPTION_WIDTH}} {'contribution':>12}"]
    for row in shown.itertuples():
        words = textwrap.shorten(str(row.description), DESCRIPTION_WIDTH, placeholder="…")
        lines.append(
            f"{row.date:%Y-%m-%d}  {row.event_code:<5} {words:<{DESCRIPTION_WIDTH}} "
            f"{row.contribution:>+12.2f}"
        )
    summed = [
        (f"({len(rest)} more events, each smaller)", rest["contribution"].sum(), len(rest)),
        *((f"({r.description})", r.contribution, r.n_events) for r in folded.itertuples()),
    ]
    for words, contribution, count in summed:
        if count:
            lines.append(f"{'':<10}  {'':<5} {words:<{DESCRIPTION_WIDTH}} {contribution:>+12.2f}")
    return "\n".join(lines)

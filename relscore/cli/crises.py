"""``relscore crises``: are the crises history records among the episodes relscore reads?"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from relscore.analysis.crises import crisis_recall, known_crises
from relscore.analysis.episodes import episodes, min_rise_of
from relscore.analysis.folder_episodes import folder_episodes
from relscore.cli import options
from relscore.coding import code_events
from relscore.index import tension_index
from relscore.readers.crises import read_crises
from relscore.store.index_folder import read_manifest


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "crises",
        help="check the episodes against a list of known crises: found, missed, recall",
        description="Read the episodes of the events' dyads and check them against a list of "
        "known crises (CSV: dyad,start,end,what,source). A crisis is found when an episode of "
        "its dyad ranked at most max(5, listed crises of the dyad + 3) peaks between 3 days "
        "before its start and 30 days after its end. Prints each crisis, the recall, and the "
        "top episodes that match no listed crisis; the options are those of "
        "relscore episodes, so a change of weights shows whether it finds more or fewer. "
        "Given an index folder, only the listed dyads' series are read, with its settings.",
    )
    parser.add_argument(
        "events",
        nargs="+",
        metavar="EVENTS.csv",
        help="events files, or one index folder (relscore update, index --to): the listed "
        "dyads' episodes, with the folder's own settings",
    )
    parser.add_argument(
        "--known", required=True, metavar="CRISES.csv", help="the known crises (required)"
    )
    options.add_weights(parser)
    options.add_kernel(parser)
    parser.add_argument(
        "-o", "--output", metavar="OUT.csv", help="also write the whole check as CSV"
    )
    parser.set_defaults(run=run, usage=parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    inputs = [*args.events, args.weights, args.known]
    options.refuse_overwrite(parser, [("-o", args.output)], inputs)
    if options.is_folder(args):
        options.refuse_folder_settings(args, parser)
        known = read_crises(args.known)
        found = _folder_episodes(args.events[0], known)
        if found is None:
            return 1
    else:
        events, overrides = options.load(args)
        known = read_crises(args.known)
        kernel = {"window": args.window, "half_life": args.half_life}
        index = tension_index(code_events(events, args.scheme, overrides), **kernel)
        found = episodes(index, min_rise=min_rise_of(args.scheme), **kernel)
    check = known_crises(found, known)
    print(_text(check), file=options.report_stream(args.output))
    if args.output:
        options.write_csv(check, args.output)
        where = options.output_name(args.output)
        print(f"relscore: wrote {len(check)} rows to {where}", file=sys.stderr)
    return 0


def _folder_episodes(folder: str, known: pd.DataFrame) -> pd.DataFrame | None:
    """The episodes of the listed dyads in an index folder, read with its own settings
    (only their series are read); None, with the error told, for a folder of directed
    dyads, which no list of undirected crises can match."""
    if read_manifest(folder)["settings"].get("directed"):
        print(
            f"relscore: error: {folder}: an index of directed dyads (A>B); known crises name "
            "undirected dyads: check them against an index computed without --directed",
            file=sys.stderr,
        )
        return None
    return folder_episodes(folder, dyads=known["dyad"].unique())


def _text(check) -> str:
    crises = check[check["status"] != "unlisted"]
    lines = []
    for row in crises.itertuples():
        head = f"{row.status:<6} {row.dyad} {row.start:%Y-%m-%d} {row.what}"
        if row.status == "found":
            head += (
                f" -- episode rank {row.rank} of {row.rank_limit} read, peak "
                f"{row.peak_date:%Y-%m-%d}, {row.lag_days:+d} days from the start"
            )
        else:
            head += f" -- no episode in the top {row.rank_limit} peaks near it"
        lines.append(head)
    n_found = int((crises["status"] == "found").sum())
    lines.append(
        f"recall: {n_found} of {len(crises)} known crises found ({crisis_recall(check):.0%})"
    )
    unlisted = check[check["status"] == "unlisted"]
    if len(unlisted):
        lines.append(f"top episodes that match no listed crisis ({len(unlisted)}):")
        lines += [
            f"  {row.dyad} rank {row.rank}: peak {row.peak_date:%Y-%m-%d} ({row.peak:.1f})"
            for row in unlisted.itertuples()
        ]
    return "\n".join(lines)

"""``relscore update STORE INDEX_DIR``: keep an index folder of every dyad up to date.

The first run indexes the whole store into the folder (one Parquet file per month and a
manifest, :mod:`relscore.scale.update`); each later run reads only the store months whose
part files changed and writes only the rows the new events change, as patches beside the
month files (or a month whole, once it grows or its patches would be large). The output
equals ``relscore index STORE --all-dyads`` of the store as it is now. The scoring and
kernel options are taken on the first run and recorded; a later run may repeat them, but
not change them. Ends with the alerts of the days it added (:mod:`relscore.cli.alerts`)
and one accounting line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from relscore.cli import alerts, options
from relscore.codebook import DEFAULT_SCHEME
from relscore.files.progress import Progress
from relscore.readers.weights import read_weights
from relscore.scale.update import update_index


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "update",
        help="bring an index folder up to date with its event store",
        description="Index every dyad of an event store into INDEX_DIR (one Parquet file per "
        "month of days, and a manifest), or bring that folder up to date after new files were "
        "imported into the store: only the store months that changed are read, and only the "
        "rows the new events change are written, as patches beside the month files (a month "
        "is written whole when it gains days). The result equals "
        "a full `relscore index STORE --all-dyads`. Scoring and kernel options are recorded "
        "by the first run; later runs may leave them out.",
    )
    parser.add_argument(
        "store", metavar="STORE", help="the event store (relscore import ... --to-parquet)"
    )
    parser.add_argument(
        "index",
        metavar="INDEX_DIR",
        help="the index folder: created by the first run, brought up to date by the next "
        "(outside the store)",
    )
    options.add_weights(parser)
    options.add_kernel(parser)
    parser.add_argument("--directed", action="store_true", help="keep A>B apart from B>A")
    parser.add_argument(
        "--weight-by",
        choices=["num_mentions", "num_articles"],
        help="multiply each event's contributions by this coverage count (off by default)",
    )
    # None = not given: a later run takes the recorded value rather than the default.
    for action in parser._actions:
        if action.dest == "scheme":
            action.help = action.help.replace("%(default)s", f"{DEFAULT_SCHEME} on the first run")
    parser.set_defaults(run=run, usage=parser, scheme=None, directed=None)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    store, index = Path(args.store).resolve(), Path(args.index).resolve()
    if index == store or index.is_relative_to(store):
        parser.error(
            f"INDEX_DIR {args.index} is inside the event store {args.store}; "
            "name a folder outside it"
        )
    old_last = alerts.last_day_before(args.index)
    progress = Progress("update", 1.0)
    try:
        result = update_index(
            args.store,
            args.index,
            scheme=args.scheme,
            overrides=read_weights(args.weights) if args.weights else None,
            weight_by=args.weight_by,
            window=args.window,
            half_life=args.half_life,
            directed=args.directed,
            progress=progress,
        )
    finally:
        progress.close()
    print(f"relscore: {result.summary()}", file=sys.stderr)
    if not result.up_to_date:
        alerts.after_update(args.store, args.index, old_last)
    return 0

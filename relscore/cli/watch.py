"""``relscore watch``: one self-contained HTML page of the relations that moved, for events
files, a folder of them, or an event store (:mod:`relscore.explore.watch`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from relscore.analysis import alerts as rule
from relscore.cli import options
from relscore.exceptions import EventFileError, StoreError
from relscore.explore.watch import TOP, WATCH_DAYS, events_watch, shown, watch_data, watch_html
from relscore.files.atomic import same_file, write_text_atomic
from relscore.readers.weights import read_weights
from relscore.scale.cells import some_dyads, store_cells, store_events
from relscore.store.index_folder import MANIFEST_NAME
from relscore.store.layout import is_store
from relscore.vocabulary import iso_date


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "watch",
        help="write a page of the relations that moved: the alerts and the dyads highest "
        "against their own history",
        description="Write one self-contained HTML page (no script, no server, no network) "
        "of the dyads that alerted in the last DAYS days (see relscore alerts) and of those "
        "highest against their own history, each with a sparkline of the last year, the "
        "events that weigh most on it with their sources, and a link to its explorer when "
        "one is built (--explorers). The input is events CSV files, a folder of them, or "
        "an event store; the page reads as of the data's last day.",
    )
    parser.add_argument("events", nargs="+", metavar="EVENTS.csv|FOLDER|STORE")
    parser.add_argument(
        "-o", "--output", required=True, metavar="FILE.html", help="the page to write"
    )
    parser.add_argument(
        "--days",
        type=options.whole(1),
        default=WATCH_DAYS,
        metavar="N",
        help="the window, in days up to the data's last day (default: %(default)s)",
    )
    parser.add_argument(
        "--top",
        type=options.whole(0),
        default=TOP,
        metavar="N",
        help="dyads listed as highest against their own history (default: %(default)s)",
    )
    parser.add_argument(
        "--series",
        choices=rule.SERIES,
        default=rule.DEFAULT_SERIES,
        help="what an alert reads (default: %(default)s)",
    )
    parser.add_argument(
        "--floor",
        type=options.positive("index points"),
        metavar="POINTS",
        help="the least value that alerts (default: twice the strongest event's score under "
        "the scheme)",
    )
    parser.add_argument(
        "--quiet-days",
        type=options.whole(0),
        default=rule.QUIET_DAYS,
        metavar="DAYS",
        help="days after an alert in which the dyad alerts again only at a higher level "
        "(default: %(default)s)",
    )
    options.add_weights(parser)
    options.add_kernel(parser)
    parser.add_argument(
        "--explorers",
        action="store_true",
        help="also write the explorer of each dyad on the page beside it "
        "(explore_a_b.html; events files only), and link them",
    )
    parser.add_argument("--title", help="the page's heading")
    parser.set_defaults(run=run, usage=parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    options.refuse_overwrite(parser, [("-o", args.output)], [*args.events, args.weights])
    folders = [e for e in args.events if Path(e).is_dir()]
    if folders and len(args.events) > 1:
        parser.error("give one folder (of events files, or an event store), or events files")
    if folders and (Path(folders[0]) / MANIFEST_NAME).is_file():
        parser.error(
            f"{folders[0]} is an index folder, which holds no events: give its event store"
        )
    if folders and is_store(folders[0]):
        if args.explorers:
            parser.error("--explorers needs events files: an event store holds no descriptions")
        page, shown = _store_page(args, folders[0])
    else:
        if folders:
            args.events = _folder_files(folders[0])
        page, shown = _events_page(args, parser)
    write_text_atomic(args.output, page)
    size = len(page.encode("utf-8"))
    print(
        f"relscore: wrote {args.output} ({size:,} bytes): {shown}",
        file=sys.stderr,
    )
    return 0


def _folder_files(folder: str) -> list[str]:
    files = sorted(str(p) for p in Path(folder).glob("*.csv"))
    if not files:
        raise EventFileError(
            f"{folder}: no events files (*.csv) in it, and not an event store "
            "(relscore import --to-parquet)"
        )
    return files


def _kernel(args) -> dict:
    return {"window": args.window, "half_life": args.half_life}


def _events_page(args, parser) -> tuple[str, str]:
    events, overrides = options.load(args)
    if events.empty:
        raise EventFileError(f"{', '.join(map(str, args.events))}: no events to watch")
    watch, data = events_watch(
        events,
        scheme=args.scheme,
        overrides=overrides,
        days=args.days,
        top=args.top,
        series=args.series,
        floor=args.floor,
        quiet_days=args.quiet_days,
        **_kernel(args),
    )
    names = {}
    if args.explorers:
        from relscore.explore import explorer_html

        names = {d: f"explore_{d.replace('-', '_').lower()}.html" for d in shown(watch)}
        paths = {d: Path(args.output).with_name(name) for d, name in names.items()}
        for path in paths.values():
            if any(same_file(path, e) for e in [*args.events, args.weights] if e):
                parser.error(f"the explorer {path} would overwrite an input; write elsewhere")
        for dyad, path in paths.items():
            write_text_atomic(path, explorer_html(events, dyad, overrides=overrides))
    page = watch_html(watch, data=data, title=args.title, explorers=names)
    wrote = f"; wrote {len(names)} explorer(s) beside it" if args.explorers else ""
    return page, f"read {len(events)} events{wrote}"


def _store_page(args, folder: str) -> tuple[str, str]:
    overrides = read_weights(args.weights) if args.weights else None
    scoring = {"scheme": args.scheme, "overrides": overrides}
    kernel = _kernel(args)
    cells = store_cells(folder, **scoring)
    if not cells.n_cells:
        raise StoreError(f"{folder}: the store holds no events to watch")
    days = cells.day_range()

    def blocks_of(dyads):
        mine = cells if dyads is None else some_dyads(cells, dyads)
        return rule.cell_blocks(mine, args.series, **kernel, calendar_days=days)

    def events_of(table: pd.DataFrame) -> pd.DataFrame:
        return store_events(folder, rule.event_days(table, **kernel), **scoring)

    floor = args.floor if args.floor is not None else rule.floor_of(args.scheme, overrides)
    watch = watch_data(
        blocks_of,
        events_of,
        days=args.days,
        top=args.top,
        series=args.series,
        floor=floor,
        quiet_days=args.quiet_days,
        **kernel,
    )
    data = (
        f"the event store {Path(folder).name}: {cells.n_cells:,} dyad-days with events of "
        f"{len(cells.labels):,} dyads, {iso_date(days[0])} to {iso_date(days[1])}"
    )
    return watch_html(watch, data=data, title=args.title), f"read {cells.n_cells} dyad-days"

"""``relscore alerts``: the days each dyad broke its own record, at the onset, with the events
behind them; and the alerts ``relscore update`` ends with.

The input is events CSV files, an event store (``relscore import --to-parquet``) or an index
folder (``relscore update``). A store and a folder are read month by month and the alerts
found in blocks of dyads, so memory stays bounded as for the index. An index folder keeps
the settings it was computed with and no events, so its alerts come without their events.
Prints each alert and the events behind it; ``-o`` also writes them as CSV; ``--known``
checks them against a list of known crises. Ends with one accounting line on stderr.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from relscore.analysis import alerts as rule
from relscore.analysis.alert_check import alert_check, false_alarms
from relscore.analysis.crises import crisis_recall
from relscore.cli import options
from relscore.coding import code_events
from relscore.exceptions import StoreError
from relscore.index import tension_index
from relscore.plot.words import kernel_words
from relscore.readers.crises import read_crises
from relscore.readers.weights import read_weights
from relscore.scale.cells import folder_cells, store_cells, store_events
from relscore.store.index_folder import MANIFEST_NAME, index_days, read_manifest
from relscore.store.layout import is_store
from relscore.vocabulary import day_number, iso_date

EVENT_WIDTH = 96  # characters of an event's line in the printed list


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "alerts",
        help="say when a dyad breaks its own record: onset alerts with their events",
        description="Find the days each dyad's conflict (or tension, --series) rose above "
        "every day of the year before it, of the three years before it, or of its whole "
        f"history: once at the onset, never below a floor (default: two of the scheme's "
        f"strongest events), then quiet for {rule.QUIET_DAYS} days at that level and below. "
        "Prints each alert with the three events that weigh most on it; -o writes them as "
        "CSV. The input is events CSV files, an event store, or an index folder (relscore "
        "update), whose alerts come without events (it holds none).",
    )
    parser.add_argument("events", nargs="+", metavar="EVENTS.csv|STORE|INDEX_DIR")
    parser.add_argument(
        "--since", type=options.date, metavar="DATE", help="list the alerts from this day on"
    )
    parser.add_argument(
        "--series",
        choices=rule.SERIES,
        default=rule.DEFAULT_SERIES,
        help="what an alert reads: the conflict stream under the index's kernel, or the "
        "tension index itself (default: %(default)s)",
    )
    parser.add_argument(
        "--floor",
        type=options.positive("index points"),
        metavar="POINTS",
        help="the least value that alerts (default: twice the strongest event's score under "
        f"the scheme, {rule.FLOOR:g} for {rule.DEFAULT_SCHEME})",
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
    parser.add_argument("--directed", action="store_true", help="keep A>B apart from B>A")
    parser.add_argument(
        "--known",
        metavar="CRISES.csv",
        help="also check the alerts against known crises (dyad,start,end,what,source)",
    )
    parser.add_argument("-o", "--output", metavar="OUT.csv", help="also write the alerts as CSV")
    # None = not given: an index folder has its own settings, which must not be overridden.
    for action in parser._actions:
        if action.dest == "scheme":
            action.help = action.help.replace(
                "%(default)s", f"{rule.DEFAULT_SCHEME}; an index folder's own"
            )
    parser.set_defaults(run=run, usage=parser, scheme=None)


@dataclass(frozen=True)
class Reading:
    """The alerts of an input (without their events), the dyads' standing, how to add the
    events to some alerts, and the settings in words."""

    alerts: pd.DataFrame
    standing: pd.DataFrame
    with_events: Callable[[pd.DataFrame], pd.DataFrame]
    words: str


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    inputs = [*args.events, args.weights, args.known]
    options.refuse_overwrite(parser, [("-o", args.output)], inputs)
    folders = [e for e in args.events if Path(e).is_dir()]
    if folders and len(args.events) > 1:
        parser.error("give one event store or index folder, or events CSV files, not both")
    known = read_crises(args.known) if args.known else None
    if folders and (Path(folders[0]) / MANIFEST_NAME).is_file():
        reading = _index_folder(args, parser, folders[0])
    elif folders:
        reading = _store(args, folders[0])
    else:
        reading = _events(args)
    shown = reading.with_events(_since(reading.alerts, args.since))
    print(alert_text(shown))
    if known is not None:
        print(check_text(reading.alerts, known, reading.standing))
    if args.output:
        options.write_csv(shown, args.output)
    since = f" from {args.since}" if args.since else ""
    print(
        f"relscore: {len(shown)} alert(s){since} in {shown['dyad'].nunique()} of "
        f"{len(reading.standing)} dyad(s) ({reading.words})"
        + (f"; wrote them to {args.output}" if args.output else ""),
        file=sys.stderr,
    )
    return 0


def _words(args, scheme: str, floor: float, window, half_life) -> str:
    kernel = kernel_words(window=window, half_life=half_life)
    return f"{args.series}, {scheme}, {kernel}, floor {floor:g}, quiet {args.quiet_days} days"


def _events(args) -> Reading:
    scheme = args.scheme = args.scheme or rule.DEFAULT_SCHEME
    events, overrides = options.load(args)
    coded = code_events(events, scheme, overrides)
    kernel = {"window": args.window, "half_life": args.half_life}
    floor = args.floor if args.floor is not None else rule.floor_of(scheme, overrides)
    index = tension_index(coded, directed=args.directed, **kernel)
    table, standing = rule.scan(
        rule.index_blocks(index, args.series, **kernel), floor, args.quiet_days
    )

    def with_events(shown: pd.DataFrame) -> pd.DataFrame:
        return rule.with_top_events(shown, coded, args.series, **kernel)

    words = _words(args, scheme, floor, **kernel)
    return Reading(table, standing, with_events, f"{words}; read {len(events)} events")


def _store(args, folder: str) -> Reading:
    if not is_store(folder):
        raise StoreError(
            f"{folder}: neither an event store (relscore import --to-parquet) nor an index "
            f"folder (relscore update; it holds {MANIFEST_NAME})"
        )
    scheme = args.scheme or rule.DEFAULT_SCHEME
    overrides = read_weights(args.weights) if args.weights else None
    scoring = {"scheme": scheme, "overrides": overrides, "directed": args.directed}
    kernel = {"window": args.window, "half_life": args.half_life}
    floor = args.floor if args.floor is not None else rule.floor_of(scheme, overrides)
    cells = store_cells(folder, **scoring)
    blocks = rule.cell_blocks(cells, args.series, **kernel)
    table, standing = rule.scan(blocks, floor, args.quiet_days)

    def with_events(shown: pd.DataFrame) -> pd.DataFrame:
        events = store_events(folder, rule.event_days(shown, **kernel), **scoring)
        return rule.with_top_events(shown, events, args.series, **kernel)

    words = f"{_words(args, scheme, floor, **kernel)}; read {cells.n_cells} dyad-days with events"
    return Reading(table, standing, with_events, words)


def _index_folder(args, parser, folder: str) -> Reading:
    given = [
        option
        for option, value in (
            ("--scheme", args.scheme),
            ("--weights", args.weights),
            ("--window", args.window),
            ("--half-life", args.half_life),
            ("--directed", args.directed or None),
        )
        if value is not None
    ]
    if given:
        parser.error(
            f"{', '.join(given)}: an index folder keeps the settings it was computed with "
            "(relscore update); leave them out"
        )
    cells, settings = folder_cells(folder)
    kernel = {"window": settings["window"], "half_life": settings["half_life"]}
    floor = args.floor
    if floor is None:
        floor = rule.floor_of(settings["scheme"], settings["overrides"])
    blocks = rule.cell_blocks(cells, args.series, **kernel)
    table, standing = rule.scan(blocks, floor, args.quiet_days)
    print(
        "relscore: an index folder holds no events, so its alerts come without them "
        "(relscore alerts STORE lists them)",
        file=sys.stderr,
    )
    return Reading(
        table, standing, lambda shown: shown, _words(args, settings["scheme"], floor, **kernel)
    )


def _since(table: pd.DataFrame, since: str | None) -> pd.DataFrame:
    """The alerts from ``since`` on (their events are looked up for these only)."""
    if since is None:
        return table
    return table[table["date"] >= pd.Timestamp(since)].reset_index(drop=True)


def alert_text(table: pd.DataFrame) -> str:
    """The alerts as a person reads them: a line each, then its events, indented."""
    lines = []
    for row in table.itertuples():
        lines.append(alert_line(row))
        for k in range(1, rule.TOP + 1):
            event = getattr(row, f"event_{k}")
            if isinstance(event, str):
                source = getattr(row, f"source_{k}")
                words = f"{event} ({source})" if isinstance(source, str) and source else event
                contribution = getattr(row, f"contribution_{k}")
                lines.append(
                    f"  {contribution:+7.1f}  "
                    + textwrap.shorten(words, EVENT_WIDTH, placeholder="…")
                )
    return "\n".join(lines) if lines else "no alert"


def alert_line(row) -> str:
    """One alert in a line: ``IRN-PAK 2024-01-17: highest on record, 71.0 (previous record
    30.0 on 2017-05-27)``."""
    line = f"{row.dyad} {row.date:%Y-%m-%d}: {rule.LEVEL_WORDS[row.level]}, {row.value:.1f}"
    if pd.notna(row.previous_record):
        line += (
            f" (previous record {row.previous_record:.1f} on {row.previous_record_date:%Y-%m-%d}"
        )
        line += f"; last as high on {row.since:%Y-%m-%d})" if pd.notna(row.since) else ")"
    return line


def check_text(table: pd.DataFrame, known: pd.DataFrame, standing: pd.DataFrame) -> str:
    """The alerts against known crises: each crisis, the recall, the lags, the false alarms
    per dyad-year of the busiest listed dyads."""
    check = alert_check(table, known)
    crises = check[check["status"] != "unlisted"]
    lines = ["known crises:"]
    for row in crises.itertuples():
        head = f"  {row.status:<6} {row.dyad} {row.start:%Y-%m-%d} {row.what}"
        if row.status == "found":
            head += f" -- alert {row.date:%Y-%m-%d} ({row.level}), {row.lag_days:+d} days"
        lines.append(head)
    found = int((crises["status"] == "found").sum())
    lines.append(
        f"recall: {found} of {len(crises)} known crises alerted ({crisis_recall(check):.0%})"
    )
    lags = crises["lag_days"].dropna()
    if len(lags):
        lines.append(f"lag from the start: median {lags.median():+.0f} days")
    alarms = false_alarms(check, standing)
    lines.append("false alarms (alerts in no listed crisis) per dyad-year, busiest listed dyads:")
    lines += [
        f"  {r.dyad:<8} {r.false_alarms:3d} in {r.years:4.1f} years: {r.per_year:.2f}"
        for r in alarms.itertuples()
    ]
    return "\n".join(lines)


def after_update(store: str, index: str, old_last: int | None) -> None:
    """What ``relscore update`` ends with, on standard output: the alerts of the days it
    added to the index (after ``old_last``, its last day before), with their events from
    the store; for a new index, how many alerts it holds."""
    first, last = index_days(read_manifest(index))
    if old_last is not None and last <= old_last:
        print("alerts: no day was added")
        return
    cells, settings = folder_cells(index)
    kernel = {"window": settings["window"], "half_life": settings["half_life"]}
    floor = rule.floor_of(settings["scheme"], settings["overrides"])
    blocks = rule.cell_blocks(cells, rule.DEFAULT_SERIES, **kernel)
    table, _ = rule.scan(blocks, floor, rule.QUIET_DAYS)
    if old_last is None:
        print(
            f"alerts: the new index holds {len(table)}, from {iso_date(first)} to "
            f"{iso_date(last)}; relscore alerts {index} lists them"
        )
        return
    table = _since(table, iso_date(old_last + 1))
    scoring = {k: settings[k] for k in ("scheme", "overrides", "weight_by", "directed")}
    events = store_events(store, rule.event_days(table, **kernel), **scoring)
    table = rule.with_top_events(table, events, rule.DEFAULT_SERIES, **kernel)
    print(f"alerts on the days added, {iso_date(old_last + 1)} to {iso_date(last)}: {len(table)}")
    if len(table):
        print(alert_text(table))


def last_day_before(index: str | Path) -> int | None:
    """An index folder's last day before an update (None for a new folder)."""
    path = Path(index)
    if not (path / MANIFEST_NAME).is_file():
        return None
    manifest = read_manifest(path)
    return None if manifest.get("last_day") is None else day_number(manifest["last_day"])

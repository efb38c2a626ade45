"""``relscore import gdelt|icews``: the command line of the importers.

Exit codes as for every relscore command: 0 success, 1 a file that is missing, unreadable
or not of the format named (the message names it), 2 usage error. ``-o OUT.csv`` writes
relscore's events CSV; ``--to-parquet DIR`` adds the events to a Parquet event store
instead (:mod:`relscore.store.layout`), which ``relscore index DIR`` reads. The row accounting
goes to stderr: ``read=N kept=K duplicates=D skipped=S``, then one line per skip reason.
An output (``-o``, ``--skipped``) that is a source file, or the other output, is a usage
error (exit 2).
"""

from __future__ import annotations

import argparse
import sys

from relscore.cli.options import BOUNDS, check_date_range, date, refuse_overwrite, whole
from relscore.importers.accounting import SKIP_REASONS
from relscore.importers.dedupe import DEDUPE_MODES, DEFAULT_DEDUPE
from relscore.importers.gdelt import import_gdelt
from relscore.importers.icews import import_icews
from relscore.importers.options import options

IMPORTERS = {"gdelt": import_gdelt, "icews": import_icews}
_FORMAT_HELP = {
    "gdelt": "GDELT 1.0/2.0 event files (tab-separated, no header; 57, 58 or 61 columns, "
    "mixed freely; plain, .zip or .gz)",
    "icews": "ICEWS event files (tab-separated with a header; plain, .zip or .gz)",
}


def _checked(option: str):
    """An argparse type that checks ``option`` as :func:`~.options.options` would."""

    def check(text: str) -> str:
        try:
            options(**{option: text})
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return text

    return check


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Add ``import gdelt`` and ``import icews`` to the ``relscore`` sub-commands."""
    parser = commands.add_parser(
        "import",
        help="import GDELT or ICEWS event files as an events CSV",
        description="Import machine-coded event files as a relscore events CSV that "
        "`relscore validate` accepts and `relscore index` reads. Every row read is kept, "
        "counted as a duplicate, or skipped for a reason; the counts go to stderr.",
    )
    formats = parser.add_subparsers(dest="format", required=True, metavar="FORMAT")
    for name, text in _FORMAT_HELP.items():
        sub = formats.add_parser(name, help=text, description=f"Import {text}.")
        sub.set_defaults(run=run, usage=sub)
        sub.add_argument("files", nargs="+", metavar="FILE")
        target = sub.add_mutually_exclusive_group(required=True)
        target.add_argument(
            "-o", "--output", metavar="OUT.csv", help="events CSV to write (-: standard output)"
        )
        target.add_argument(
            "--to-parquet",
            metavar="DIR",
            help="add the events to the Parquet event store DIR instead (one folder per month; "
            "importing a file again replaces its events; see relscore.store.layout)",
        )
        sub.add_argument(
            "--jobs",
            type=whole(1, BOUNDS["jobs"]),
            default=1,
            metavar="N",
            help="with --to-parquet: files imported at once, one process each (default 1: "
            "one process already reads ahead on a second thread)",
        )
        sub.add_argument(
            "--dyad",
            type=_checked("dyad"),
            metavar="A-B",
            help="keep one dyad: IRN-PAK (either direction) or IRN>PAK (IRN towards PAK)",
        )
        sub.add_argument(
            "--dedupe",
            choices=DEDUPE_MODES,
            default=DEFAULT_DEDUPE,
            help=f"which rows count as one event (default: {DEFAULT_DEDUPE} = one row per "
            "date, actor1, actor2, code; source-url = also per source; none = every row)",
        )
        sub.add_argument("--since", type=date, metavar="DATE", help="first event date kept")
        sub.add_argument("--until", type=date, metavar="DATE", help="last event date kept")
        sub.add_argument(
            "--skipped",
            metavar="FILE",
            help="write the skipped rows to this CSV (file, line, reason, row); reasons: "
            + "; ".join(SKIP_REASONS),
        )


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Run ``relscore import``; print the accounting to stderr; return the exit code.

    A missing or wrong file raises :class:`~relscore.exceptions.EventFileError`
    (a :class:`~relscore.exceptions.RelscoreError`), which ``relscore``'s ``main`` prints
    before it exits 1.
    """
    check_date_range(args, parser, "since", "until")
    refuse_overwrite(parser, [("-o", args.output), ("--skipped", args.skipped)], args.files)
    if args.skipped and args.to_parquet:
        refuse_overwrite(parser, [("--skipped", args.skipped)], [args.to_parquet])
    if args.to_parquet:
        return _run_to_parquet(args)
    tally = IMPORTERS[args.format](
        args.files,
        args.output,
        skipped=args.skipped,
        dedupe=args.dedupe,
        dyad=args.dyad,
        since=args.since,
        until=args.until,
    )
    for line in tally.lines():
        print(line, file=sys.stderr)
    where = "standard output" if args.output == "-" else args.output
    print(f"relscore: wrote {tally.kept} events to {where}", file=sys.stderr)
    return 0


def _run_to_parquet(args: argparse.Namespace) -> int:
    """``--to-parquet DIR``: import into the event store, with a progress bar on a terminal."""
    from relscore.files.progress import Progress
    from relscore.store.ingest import import_to_store

    progress = Progress("import", 1.0, unit="rows")
    try:
        tally = import_to_store(
            args.files,
            args.to_parquet,
            format=args.format,
            dedupe=args.dedupe,
            dyad=args.dyad,
            since=args.since,
            until=args.until,
            skipped=args.skipped,
            progress=progress,
            jobs=args.jobs,
        )
    finally:
        seconds = progress.close()
    for line in tally.lines():
        print(line, file=sys.stderr)
    print(
        f"relscore: wrote {tally.kept} events to the store {args.to_parquet} "
        f"({tally.read / max(seconds, 1e-9):,.0f} rows/s)",
        file=sys.stderr,
    )
    return 0

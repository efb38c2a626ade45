"""``relscore fetch gdelt``: GDELT's event files of a date range, verified and resumable.

Exit codes as for every relscore command: 0 every file listed for the dates is in ``--to``
(fetched now or before), 1 a file failed (one line per failure names its URL and why), the
list cannot be fetched or is no list, or it lists no file of the dates (the line after the
accounting says which dates it holds), 2 usage error. The accounting goes to stderr:
``relscore: listed=N fetched=F already=A failed=X``, and with ``--to-parquet`` the
import's row accounting after it. Running it again fetches only what is missing.
"""

from __future__ import annotations

import argparse
import sys

from relscore.cli.options import (
    BOUNDS,
    check_date_range,
    date,
    positive,
    refuse_overwrite,
    size,
    whole,
)
from relscore.fetch import fetch_gdelt
from relscore.fetch.download import Limits
from relscore.fetch.lists import DEFAULT_BASE_URL, check_base_url
from relscore.files.progress import Progress
from relscore.importers.dedupe import DEDUPE_MODES, DEFAULT_DEDUPE


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Add ``fetch gdelt`` to the ``relscore`` sub-commands."""
    parser = commands.add_parser(
        "fetch",
        help="download GDELT event files by date, verified and resumable",
        description="Download event files of a date range from GDELT (or a mirror), each "
        "checked against the size and MD5 GDELT lists; files already there and verified "
        "are not downloaded again.",
    )
    sources = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
    sub = sources.add_parser(
        "gdelt",
        help="GDELT 2.0 15-minute event files, or GDELT 1.0 daily ones",
        description="Fetch GDELT's event (export) files of --since ... --until into --to, "
        "and optionally import each into an event store as it arrives.",
    )
    sub.set_defaults(run=run, usage=sub)
    sub.add_argument(
        "--since",
        type=date,
        required=True,
        metavar="DATE",
        help="first date of the files (YYYY-MM-DD, UTC)",
    )
    sub.add_argument(
        "--until",
        type=date,
        required=True,
        metavar="DATE",
        help="last date of the files (inclusive)",
    )
    sub.add_argument(
        "--gdelt",
        type=int,
        choices=(1, 2),
        default=2,
        help="GDELT 2.0 (15-minute files, masterfilelist.txt; default) or 1.0 (daily files, "
        "md5sums and filesizes)",
    )
    sub.add_argument(
        "--to", required=True, metavar="DIR", help="folder of the files and of the cached list"
    )
    sub.add_argument(
        "--to-parquet",
        metavar="STORE",
        help="import each verified file into this event store as it arrives",
    )
    sub.add_argument(
        "--dedupe",
        choices=DEDUPE_MODES,
        default=DEFAULT_DEDUPE,
        help=f"with --to-parquet: which rows count as one event (default: {DEFAULT_DEDUPE})",
    )
    sub.add_argument(
        "--base-url",
        type=_base_url,
        metavar="URL",
        help="where the list and the files are, http:// or https:// (default, when the "
        f"option is not given: GDELT's, {DEFAULT_BASE_URL[2]} or {DEFAULT_BASE_URL[1]})",
    )
    sub.add_argument(
        "--jobs",
        type=whole(1, BOUNDS["jobs"]),
        default=4,
        metavar="N",
        help="downloads at once (default: 4)",
    )
    sub.add_argument(
        "--retries",
        type=whole(0, BOUNDS["retries"]),
        default=3,
        metavar="N",
        help="tries after the first, of a request and of a body (default: 3)",
    )
    sub.add_argument(
        "--timeout",
        type=positive("seconds", BOUNDS["seconds"]),
        default=30.0,
        metavar="S",
        help="seconds to wait for a connection, and for any byte of an answer (default: 30)",
    )
    sub.add_argument(
        "--min-rate",
        type=size(),
        default=int(Limits.min_rate),
        metavar="BYTES",
        help="bytes a second (e.g. 500, 10k) below which a transfer, over --stall seconds, "
        "has stalled: it fails and is tried again; each file may also take --stall + "
        "SIZE / --min-rate seconds in all (default: %(default)s)",
    )
    sub.add_argument(
        "--stall",
        type=positive("seconds", BOUNDS["seconds"]),
        default=Limits.stall,
        metavar="S",
        help="seconds over which --min-rate is measured (default: %(default)g)",
    )
    sub.add_argument(
        "--max-list-size",
        type=size(),
        default=Limits.list_bytes,
        metavar="SIZE",
        help="the largest file list taken (e.g. 500M; default: 2G); an event file may hold "
        "its listed size, no byte more",
    )
    sub.add_argument(
        "--refresh-list",
        action="store_true",
        help="fetch the file list whole, even if the cached one covers --until",
    )


def _base_url(text: str) -> str:
    try:
        return check_base_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Run ``relscore fetch gdelt``; print the accounting to stderr; return the exit code."""
    check_date_range(args, parser, "since", "until")
    refuse_overwrite(parser, [("--to-parquet", args.to_parquet)], [args.to])
    progress = Progress("fetch", 1.0, unit="bytes")
    try:
        report = fetch_gdelt(
            args.since,
            args.until,
            args.to,
            version=args.gdelt,
            base_url=args.base_url,
            to_parquet=args.to_parquet,
            dedupe=args.dedupe,
            jobs=args.jobs,
            refresh_list=args.refresh_list,
            retries=args.retries,
            timeout=args.timeout,
            progress=progress,
            min_rate=args.min_rate,
            stall=args.stall,
            max_list_bytes=args.max_list_size,
        )
    finally:
        progress.close()
    for line in report.lines():
        print(line, file=sys.stderr)
    if report.imported is not None:
        for line in report.imported.lines():
            print(line, file=sys.stderr)
        print(
            f"relscore: wrote {report.imported.kept} events to the store {args.to_parquet}",
            file=sys.stderr,
        )
    return 1 if report.failed or report.listed == 0 else 0

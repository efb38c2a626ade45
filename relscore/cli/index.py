"""``relscore index``: the daily tension index of events CSV files or an event store.

Events CSV files are indexed in memory (:func:`relscore.tension_index`). An event store
folder, ``--all-dyads`` or any large-data option takes the block-wise path
(:mod:`relscore.scale`), locally or on Dask, with a progress bar on a terminal; both end
with ``relscore: scored N events; wrote R rows for D dyad(s)``, and a store's run with
``relscore: rows in store = scored + duplicates across files: S = N + D``. An output that
is an input (the events, the weights, a file in the store) is a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from relscore.cli import options
from relscore.coding import code_events, scale_by_coverage
from relscore.exceptions import StoreError
from relscore.files.progress import Progress
from relscore.index import tension_index
from relscore.readers.weights import read_weights
from relscore.store.layout import is_store


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "index",
        help="compute the daily tension index",
        description="Compute the daily tension index of every dyad (or one) and write it as CSV "
        "(or Parquet): dyad,date,n_events,conflict,cooperation,net,tension, one row per dyad "
        "per day. The input is events CSV files, or one Parquet event store folder "
        "(`relscore import ... --to-parquet DIR`), which is read month by month with the kernel "
        "run in blocks of dyads, so memory stays bounded however large the store is.",
    )
    parser.add_argument("events", nargs="+", metavar="EVENTS.csv|DIR")
    options.add_weights(parser)
    options.add_dyad(parser)
    options.add_kernel(parser)
    options.add_date_range(parser)
    parser.add_argument(
        "--weight-by",
        choices=["num_mentions", "num_articles"],
        help="multiply each event's contributions by this coverage count (imported GDELT "
        "data; off by default)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT.csv|OUT.parquet",
        help="output file (default: standard output, for a pipe or a file; to a terminal, "
        "relscore asks for -o; -: standard output; a FIFO or a device is written as a stream)",
    )
    _add_scale_options(parser)
    parser.set_defaults(run=run, usage=parser)


def _add_scale_options(parser: argparse.ArgumentParser) -> None:
    scale = parser.add_argument_group(
        "large data", "block-wise computation (always used for an event store folder)"
    )
    scale.add_argument(
        "--all-dyads",
        action="store_true",
        help="every dyad, computed month by month and block by block of dyads (bounded memory)",
    )
    scale.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="local (default), or dask: the same computation on a Dask cluster (store input)",
    )
    scale.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address (default with --engine dask: a local cluster)",
    )
    scale.add_argument(
        "--format",
        choices=["parquet", "csv"],
        help="output format (default: from the -o suffix, .parquet or .pq, else csv)",
    )
    scale.add_argument(
        "--block-dyads",
        type=options.whole(1, options.BOUNDS["dyads"]),
        metavar="N",
        help="dyads per block of the kernel (default: about 4 M dyad-days per block)",
    )
    scale.add_argument(
        "--max-memory",
        type=options.size(),
        metavar="SIZE",
        help="memory budget, e.g. 8G (default: the memory available); a run that would need "
        "more stops before it starts",
    )


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if not args.output and sys.stdout.isatty():  # a pipe or a file gets the CSV as asked
        parser.error(
            "where should the index go? Name a file with -o (relscore index ... -o "
            "index.csv); it has a row per dyad per day, too many for the screen "
            "(or pipe it: relscore index ... | head)"
        )
    options.check_date_range(args, parser)
    options.refuse_overwrite(parser, [("-o", args.output)], [*args.events, args.weights])
    if _block_wise(args):
        return _run_block_wise(args, parser)
    events, overrides = options.load(args)
    coded = code_events(events, args.scheme, overrides)
    if args.weight_by:
        coded = scale_by_coverage(coded, args.weight_by)
    index = tension_index(
        coded,
        window=args.window,
        half_life=args.half_life,
        directed=args.directed,
        start=args.start,
        end=args.end,
    )
    if args.dyad:
        index = options.one_dyad(index, options.wanted_dyad(args))
    options.write_csv(index, args.output)
    _report(len(coded), len(index), index["dyad"].nunique())
    return 0


def _block_wise(args: argparse.Namespace) -> bool:
    """A store folder, or any option of the block-wise path."""
    chosen = [args.all_dyads, args.engine != "local", args.scheduler, args.format]
    chosen += [args.block_dyads is not None, args.max_memory is not None]
    output = (args.output or "").lower()
    return (
        any(Path(e).is_dir() for e in args.events)
        or any(chosen)
        or output.endswith((".parquet", ".pq"))
    )


def _run_block_wise(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    folders = [e for e in args.events if Path(e).is_dir()]
    if folders and len(args.events) > 1:
        parser.error("give one event store folder, or events CSV files, not both")
    if args.all_dyads and args.dyad:
        parser.error("--all-dyads and --dyad exclude each other")
    if args.engine == "dask" and not folders:
        parser.error("--engine dask reads an event store folder (relscore import --to-parquet)")
    if args.scheduler and args.engine != "dask":
        parser.error("--scheduler needs --engine dask")
    if args.format == "parquet" and args.output in (None, "-"):
        parser.error("Parquet output needs -o OUT.parquet, a file")
    settings = dict(
        output_format=args.format,
        window=args.window,
        half_life=args.half_life,
        directed=args.directed,
        start=args.start,
        end=args.end,
        dyad=options.wanted_dyad(args),
        block_dyads=args.block_dyads,
        max_memory=args.max_memory,
    )
    progress = Progress("index", 1.0)
    try:
        if folders:
            run = _index_store(args, folders[0], settings, progress)
        else:
            from relscore.scale import index_events

            events, overrides = options.load(args)
            coded = code_events(events, args.scheme, overrides)
            if args.weight_by:
                coded = scale_by_coverage(coded, args.weight_by)
            progress.update(1.0, len(coded))
            run = index_events(coded, args.output, **settings)
    finally:
        seconds = progress.close()
    _report(run.n_events, run.n_rows, run.n_dyads)
    print(
        f"relscore: {seconds:.1f} s, {run.n_events / max(seconds, 1e-9):,.0f} events/s",
        file=sys.stderr,
    )
    if run.n_stored is not None:
        print(
            "relscore: rows in store = scored + duplicates across files: "
            f"{run.n_stored} = {run.n_events} + {run.n_duplicates}",
            file=sys.stderr,
        )
    return 0


def _index_store(args, folder: str, settings: dict, progress: Progress):
    if not is_store(folder):
        raise StoreError(f"{folder}: not a relscore event store (relscore import --to-parquet)")
    settings |= dict(
        scheme=args.scheme,
        overrides=read_weights(args.weights) if args.weights else None,
        weight_by=args.weight_by,
    )
    if args.engine == "dask":
        from distributed import Client

        from relscore.scale.dask_engine import index_store_dask

        # The command line is an application: without --scheduler it starts a local
        # cluster for the run. The library function only ever takes the user's.
        with Client(args.scheduler) if args.scheduler else Client() as client:
            return index_store_dask(
                folder, args.output, client=client, progress=progress, **settings
            )
    from relscore.scale import index_store

    return index_store(folder, args.output, progress=progress, **settings)


def _report(n_events: int, n_rows: int, n_dyads: int) -> None:
    print(
        f"relscore: scored {n_events} events; wrote {n_rows} rows for {n_dyads} dyad(s)",
        file=sys.stderr,
    )

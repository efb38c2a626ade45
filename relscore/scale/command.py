"""``relscore index`` on the block-wise path: an event store folder, ``--all-dyads``, Dask.

Checks the options (usage errors exit 2), runs the local or the Dask engine with a
progress bar on a terminal, and ends with the same line as the CSV path
(``relscore: scored N events; wrote R rows for D dyad(s)``) and one with the rate.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ..codebook import read_weights
from ..coding import code_events, scale_by_coverage
from .budget import parse_size
from .progress import Progress
from .store import is_store


def run_scaled_index(
    args: argparse.Namespace,
    parser: argparse.ArgumentParser,
    normalise_dyad: Callable[[str, bool, argparse.ArgumentParser], str],
    load: Callable[[argparse.Namespace], tuple],
) -> int:
    """Run ``relscore index`` block-wise; return the exit code.

    ``normalise_dyad`` and ``load`` are the CLI's own (``--dyad`` spelling; reading events
    files and weights, raising every problem at once).
    """
    folders = [e for e in args.events if Path(e).is_dir()]
    if folders and len(args.events) > 1:
        parser.error("give one event store folder, or events CSV files, not both")
    if args.all_dyads and args.dyad:
        parser.error("--all-dyads and --dyad exclude each other")
    if args.engine == "dask" and not folders:
        parser.error("--engine dask reads an event store folder (relscore import --to-parquet)")
    if args.scheduler and args.engine != "dask":
        parser.error("--scheduler needs --engine dask")
    if args.format == "parquet" and not args.output:
        parser.error("Parquet output needs -o OUT.parquet")
    if args.block_dyads is not None and args.block_dyads < 1:
        parser.error(f"--block-dyads must be >= 1, got {args.block_dyads}")
    try:
        max_memory = None if args.max_memory is None else parse_size(args.max_memory)
    except ValueError as exc:
        parser.error(f"--max-memory: {exc}")
    dyad = normalise_dyad(args.dyad, args.directed, parser) if args.dyad else None
    options = dict(
        fmt=args.format,
        window=args.window,
        half_life=args.half_life,
        start=args.start,
        end=args.end,
        dyad=dyad,
        block_dyads=args.block_dyads,
        max_memory=max_memory,
    )
    progress = Progress("index", 1.0)
    try:
        if folders:
            run = _index_store(args, folders[0], options, progress)
        else:
            from .local import index_events

            events, overrides = load(args)
            coded = code_events(events, args.scheme, overrides)
            if args.weight_by:
                coded = scale_by_coverage(coded, args.weight_by)
            progress.update(1.0, len(coded))
            run = index_events(coded, args.output, directed=args.directed, **options)
    finally:
        seconds = progress.close()
    print(
        f"relscore: scored {run.n_events} events; wrote {run.n_rows} rows for "
        f"{run.n_dyads} dyad(s)",
        file=sys.stderr,
    )
    print(
        f"relscore: {seconds:.1f} s, {run.n_events / max(seconds, 1e-9):,.0f} events/s",
        file=sys.stderr,
    )
    return 0


def _index_store(args, folder: str, options: dict, progress: Progress):
    from ..exceptions import StoreError

    if not is_store(folder):
        raise StoreError(f"{folder}: not a relscore event store (relscore import --to-parquet)")
    overrides = read_weights(args.weights) if args.weights else None
    common = dict(
        scheme=args.scheme,
        overrides=overrides,
        weight_by=args.weight_by,
        directed=args.directed,
        progress=progress,
        **options,
    )
    if args.engine == "dask":
        from .dask_engine import index_store_dask

        return index_store_dask(folder, args.output, scheduler=args.scheduler, **common)
    from .local import index_store

    return index_store(folder, args.output, **common)

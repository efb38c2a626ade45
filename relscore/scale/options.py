"""``relscore index``'s options for large data, and when they send it down the block-wise path.

:mod:`relscore.scale.command` runs that path.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_scale_options(parser: argparse.ArgumentParser) -> None:
    """Add ``relscore index``'s options for the block-wise path to ``parser``."""
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
        help="local (default) or dask: the same computation on a Dask cluster (store input)",
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
        type=int,
        metavar="N",
        help="dyads per block of the kernel (default: about 4 M dyad-days per block)",
    )
    scale.add_argument(
        "--max-memory",
        metavar="SIZE",
        help="memory budget, e.g. 8G (default: the memory available); a run that would need "
        "more stops before it starts",
    )


def wants_block_wise(args: argparse.Namespace) -> bool:
    """Whether ``index`` takes the block-wise path: a store folder, or an option of it."""
    chosen = [args.all_dyads, args.engine != "local", args.scheduler, args.format]
    chosen += [args.block_dyads is not None, args.max_memory]
    output = (args.output or "").lower()
    return (
        any(Path(e).is_dir() for e in args.events)
        or any(chosen)
        or output.endswith((".parquet", ".pq"))
    )

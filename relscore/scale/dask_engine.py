"""The scaled index on Dask: the same two passes, spread over a cluster's workers.

1. A ``dask.dataframe`` with one partition per store month: each worker reads its month's
   part files and aggregates them into cells (:func:`relscore.scale.aggregate.month_cells`,
   the very function the local engine runs), kept in the cluster's memory.
2. The dyad labels are gathered (a few thousand strings), each cell gets its dyad's block,
   and the frame is shuffled so that partition ``i`` holds block ``i``
   (``set_index`` with known divisions).
3. The kernel runs on each block on the workers (:func:`relscore.scale.kernel.block_frame`),
   and the client writes the blocks in order as they arrive, a few at a time, so neither
   side ever holds the whole index.

Cells are complete per month and the kernel is per dyad, so the numbers are identical to
the local engine's, bit for bit. The workers must see the store at the same path.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

import numpy as np
import pandas as pd

from relscore.files.progress import Progress
from relscore.scale import budget
from relscore.scale.aggregate import Scoring, month_cells, scoring
from relscore.scale.kernel import block_frame
from relscore.scale.local import IndexRun, dyad_block, plan_blocks
from relscore.scale.spec import IndexSpec
from relscore.store.index_file import IndexWriter, output_format
from relscore.store.layout import count_rows, month_parts, store_lock, store_meta
from relscore.vocabulary import Calendar, calendar

_CELLS_META = pd.DataFrame(
    {
        "dyad": pd.Series([], dtype=object),
        "day": np.empty(0, np.int32),
        "n_events": np.empty(0, np.int64),
        "conflict": np.empty(0),
        "cooperation": np.empty(0),
    }
)


def index_store_dask(
    store: str | Path,
    output: str | Path | None = None,
    *,
    client,
    progress: Progress | None = None,
    **settings,
) -> IndexRun:
    """The index of an event store computed on a Dask cluster.

    Parameters
    ----------
    store, output, progress, **settings
        As for :func:`relscore.scale.index_store`; ``max_memory`` (bytes) bounds each
        worker's share (default: each worker's memory limit).
    client : distributed.Client or str
        The user's cluster: a client, or a scheduler's address (``tcp://HOST:8786``), to
        which a client is opened for the run. Starting a cluster is left to the caller.
    """
    spec = IndexSpec(**settings)
    with store_lock(store, exclusive=False):
        if isinstance(client, str):
            from distributed import Client

            with Client(client) as own:
                return _run(own, store, output, spec, progress)
        return _run(client, store, output, spec, progress)


def _run(client, store, output, spec: IndexSpec, progress) -> IndexRun:
    import dask
    import dask.dataframe as dd

    limit = spec.max_memory or _worker_memory(client) or budget.available_memory()
    fmt = output_format(None if output is None else str(output), spec.output_format)
    score = scoring(spec.scheme, spec.overrides, spec.weight_by)

    meta = store_meta(store)
    months = month_parts(store)
    n_stored = 0
    for name, files in months.items():
        rows = count_rows(files)
        n_stored += rows
        budget.check_memory(
            rows * budget.BYTES_PER_EVENT,
            limit,
            f"reading month {name} ({rows:,} events) on one worker",
            "give the workers more memory (--max-memory sets the budget)",
        )
    if not months:
        with IndexWriter(output, fmt):
            return IndexRun(0, 0, 0, 0)
    files = [[str(f) for f in group] for group in months.values()]
    cells = dd.from_map(
        _cells,
        files,
        score=score,
        dedupe=meta["dedupe"],
        directed=spec.directed,
        meta=_CELLS_META,
        enforce_metadata=False,
    ).persist()
    names, first, last, n_events = dask.compute(
        cells["dyad"].map_partitions(_unique, meta=_CELLS_META["dyad"]),
        cells["day"].min(),
        cells["day"].max(),
        cells["n_events"].sum(),
    )
    labels = np.unique(np.asarray(names, dtype=object))
    lo, hi = dyad_block(labels, spec.dyad)
    cal = calendar(int(first), int(last), start=spec.start, end=spec.end)
    size = plan_blocks(cal, hi - lo, spec.block_dyads, 0, limit)
    budget.check_disk(output, (hi - lo) * cal.n_kept, fmt)
    n_blocks = -(-(hi - lo) // size)
    blocks = cells.map_partitions(
        _with_block, labels, lo, hi, size, meta=_CELLS_META.assign(dyad=np.empty(0, np.int32))
    )
    with dask.config.set({"dataframe.shuffle.method": "tasks"}):  # cells are small
        blocks = (
            blocks.assign(block=blocks["dyad"] // size)
            .set_index("block", divisions=list(range(n_blocks + 1)))
            .persist()
        )
    del cells
    parts = blocks.to_delayed()
    tasks = (
        dask.delayed(_block_rows)(
            part, labels[lo + i * size : lo + (i + 1) * size], i * size, cal, spec
        )
        for i, part in enumerate(parts)
    )
    if progress is not None:
        progress.unit = "rows"  # the bar follows the blocks written
    in_flight = deque()
    window = 2 * max(len(client.scheduler_info()["workers"]), 1)
    with IndexWriter(output, fmt) as writer:
        for task in tasks:
            in_flight.append(client.compute(task))
            if len(in_flight) >= window:
                _write_next(in_flight, writer, progress, n_blocks)
        while in_flight:
            _write_next(in_flight, writer, progress, n_blocks)
    return IndexRun(int(n_events), writer.rows, hi - lo, n_stored)


def _cells(files: list[str], score: Scoring, dedupe: str, directed: bool) -> pd.DataFrame:
    """A month's cells with plain string dyads (categories differ between months)."""
    cells, _ = month_cells(files, score, dedupe, directed)
    return cells.assign(dyad=cells["dyad"].astype(object))


def _unique(dyads: pd.Series) -> pd.Series:
    return pd.Series(dyads.unique(), dtype=object)


def _with_block(cells: pd.DataFrame, labels: np.ndarray, lo: int, hi: int, size: int):
    """Cells with their dyad's position among the written dyads (``lo`` ... ``hi - 1``),
    counted from ``lo``; the others dropped."""
    position = np.searchsorted(labels, cells["dyad"].to_numpy(object)).astype(np.int32) - lo
    cells = cells.assign(dyad=position)
    return cells[(position >= 0) & (position < hi - lo)]


def _block_rows(
    part: pd.DataFrame, labels: np.ndarray, offset: int, cal: Calendar, spec: IndexSpec
) -> pd.DataFrame:
    cells = part.reset_index(drop=True).assign(dyad=lambda c: c["dyad"] - offset)
    return block_frame(cells, labels, cal, spec.window, spec.half_life)


def _write_next(in_flight: deque, writer: IndexWriter, progress, n_blocks: int) -> None:
    future = in_flight.popleft()
    frame = future.result()
    future.release()
    writer.write(frame)
    if progress is not None:
        progress.update(1 / n_blocks, len(frame))


def _worker_memory(client) -> float | None:
    """The smallest memory limit among the workers (bytes), None if they have none."""
    limits = [w.get("memory_limit") or 0 for w in client.scheduler_info()["workers"].values()]
    return float(min(limits)) if limits and min(limits) > 0 else None

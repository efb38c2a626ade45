"""The month files of an index folder: written in full from cells, or from a day on.

A full write runs the kernel block by block of dyads (:mod:`relscore.scale.kernel`) and
appends each block's rows of each month to that month's file as one row group, so memory
stays one block's grid however long the calendar. A partial write (:func:`rewrite_from`)
holds the month files from day ``T0``'s month on, recomputes the given dyads' rows from
``T0`` with the kernel restarted from the rows before, and writes those files again.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from relscore.exceptions import OutputFileError
from relscore.files.atomic import AtomicFiles
from relscore.files.errors import file_errors
from relscore.index import apply_kernel
from relscore.scale import budget
from relscore.scale.kernel import cell_grids
from relscore.scale.local import Cells, plan_blocks
from relscore.store.index_folder import (
    GRID_COLUMNS,
    INDEX_SCHEMA,
    MONTH_WRITE,
    MonthFiles,
    manifest_fields,
    month_path,
    month_table,
    write_month_file,
)
from relscore.store.parts import abandon
from relscore.vocabulary import calendar, month_spans, month_start


def write_all(folder: Path, cells: Cells, window: int | None, half_life: float | None) -> dict:
    """Write every month file of the index of ``cells``; return the manifest's fields that
    describe them (:func:`relscore.store.index_folder.manifest_fields`)."""
    labels = cells.labels
    if not cells.n_cells:
        return manifest_fields(labels[:0], None, None, {})
    first, last = cells.day_range()
    cal = calendar(first, last)
    months = month_spans(first, last)
    size = plan_blocks(cal, len(labels), None, cells.n_cells, None)
    budget.check_disk(month_path(folder, months[0][0]), len(labels) * cal.n_days, "parquet")
    dictionary = pa.array(labels, pa.string())
    busy = np.zeros(cal.n_days, bool)
    files, writers = AtomicFiles(OutputFileError), {}
    try:
        with file_errors(folder, OutputFileError, "cannot write the month files"):
            for name, _, _ in months:  # every month's file open at once: a row group a block
                tmp = files.path(month_path(folder, name))
                writers[name] = pq.ParquetWriter(tmp, INDEX_SCHEMA, **MONTH_WRITE)
            for lo in range(0, len(labels), size):
                hi = min(lo + size, len(labels))
                grids = _kernel_grids(cells.block(lo, hi), hi - lo, cal, window, half_life)
                busy |= (grids["n_events"] > 0).any(axis=0)
                for name, a, b in months:
                    cut = {c: g[:, a - first : b - first] for c, g in grids.items()}
                    writers[name].write_table(month_table(dictionary, a, cut, lo))
            for writer in writers.values():
                writer.close()
        files.commit()
    except BaseException:
        for writer in writers.values():
            abandon(writer)
        files.abort()
        raise
    ranges = {name: _busy_range(busy[a - first : b - first], a) for name, a, b in months}
    return manifest_fields(labels, first, last, ranges)


def rewrite_from(
    files: MonthFiles,
    calendar_days: tuple[int, int],
    labels: np.ndarray,
    changed: dict[str, tuple[int, dict[str, np.ndarray]]],
    redo: np.ndarray,
    start: int,
    kernel: tuple[int | None, float | None],
) -> int:
    """Write the month files from day ``start``'s month on again, with the rows of the
    dyads ``redo`` recomputed from ``start`` on.

    Parameters
    ----------
    files : MonthFiles
        The index folder's files, which hold the calendar from its first day to the old last.
    calendar_days : (int, int)
        The calendar's first day and its (new) last day, days since 1970-01-01.
    labels : numpy.ndarray
        Every dyad, sorted: the files' dyads.
    changed : dict
        Per month ``YYYY-MM`` whose cells changed: its first day and its new ``n_events``,
        ``conflict`` and ``cooperation`` grids (``dyads x days`` of the whole month).
    redo : numpy.ndarray
        Positions in ``labels`` of the dyads to recompute; the others' rows are copied.
    start : int
        The first day to recompute (``T0``).
    kernel : (window, half_life)

    Returns
    -------
    int
        Month files written.
    """
    first, last = calendar_days
    begin = max(first, month_start(start))  # the first day of the first file written
    span = last - begin + 1
    budget.check_memory(
        len(labels) * span * budget.BYTES_PER_CELL,
        budget.available_memory(),
        f"updating {len(labels):,} dyads x {span:,} days",
        "index into a new folder",
    )
    big = {c: np.zeros((len(labels), span), _dtype(c)) for c in GRID_COLUMNS}
    months = month_spans(begin, last)
    for name, _, _ in months:
        if files.exists(name):
            own_first, grids = files.grids(name, labels)
            lo, hi = max(own_first, begin), min(own_first + grids["n_events"].shape[1], last + 1)
            for c in GRID_COLUMNS:
                big[c][:, lo - begin : hi - begin] = grids[c][:, lo - own_first : hi - own_first]
    for a, grids in changed.values():
        lo, hi = max(a, begin), min(a + grids["n_events"].shape[1], last + 1)
        for c in ("n_events", "conflict", "cooperation"):
            if lo < hi:
                big[c][:, lo - begin : hi - begin] = grids[c][:, lo - a : hi - a]
    at = start - begin
    net = big["conflict"][redo, at:] - big["cooperation"][redo, at:]
    before = _restart(files, big, (first, begin, start), labels, redo, kernel[0])
    tension = apply_kernel(np.concatenate([before, net], axis=1), *kernel)
    big["net"][redo, at:] = net
    big["tension"][redo, at:] = tension[:, before.shape[1] :]
    dictionary = pa.array(labels, pa.string())
    for name, a, b in months:
        cut = {c: g[:, a - begin : b - begin] for c, g in big.items()}
        write_month_file(month_path(files.folder, name), month_table(dictionary, a, cut))
    return len(months)


def _restart(
    files: MonthFiles,
    big: dict[str, np.ndarray],
    days: tuple[int, int, int],
    labels: np.ndarray,
    redo: np.ndarray,
    window: int | None,
) -> np.ndarray:
    """What to put before ``start`` so that the kernel, started from 0, goes on as the full
    run did: the decay's ``tension(start - 1)`` as one day of net (``0 * ratio + s`` is
    ``s``), or a window's ``w - 1`` days of net before ``start`` (cut at the first day),
    which the window adds oldest first, as it did."""
    first, begin, start = days
    if window is None:
        lo, column = max(first, start - 1), "tension"
    else:
        lo, column = max(first, start - window + 1), "net"
    out = np.empty((len(redo), start - lo))
    inside = max(lo, begin)  # days held in ``big``; those before come from older files
    out[:, inside - lo :] = big[column][redo, inside - begin : start - begin]
    for name, a, b in month_spans(lo, inside - 1):
        own_first, grids = files.grids(name, labels, (column,))
        out[:, a - lo : b - lo] = grids[column][redo, a - own_first : b - own_first]
    return out


def cells_of_grids(
    labels: np.ndarray, first_day: int, grids: dict[str, np.ndarray]
) -> pd.DataFrame:
    """The cells (dyad-days with events) of dense month grids, as
    :func:`relscore.scale.aggregate.cells_of` gives them (only the dyads present as
    categories)."""
    n_days = grids["n_events"].shape[1]
    full = np.flatnonzero(grids["n_events"])
    dyad = full // max(n_days, 1)
    present, codes = np.unique(dyad, return_inverse=True)
    return pd.DataFrame(
        {
            "dyad": pd.Categorical.from_codes(
                codes.astype(np.int32), categories=pd.Index(labels[present], dtype=object)
            ),
            "day": (full % max(n_days, 1) + first_day).astype(np.int32),
            **{c: grids[c].ravel()[full] for c in ("n_events", "conflict", "cooperation")},
        }
    )


def _kernel_grids(block: pd.DataFrame, n: int, cal, window, half_life) -> dict[str, np.ndarray]:
    n_events, conflict, cooperation = cell_grids(block, n, cal.first_day, cal.n_days)
    net = conflict - cooperation
    tension = apply_kernel(net, window=window, half_life=half_life)
    return dict(zip(GRID_COLUMNS, (n_events, conflict, cooperation, net, tension), strict=True))


def _busy_range(busy: np.ndarray, first_day: int) -> tuple[int, int] | None:
    """The first and last day with events of a month, or None."""
    days = np.flatnonzero(busy)
    return (first_day + int(days[0]), first_day + int(days[-1])) if len(days) else None


def _dtype(column: str):
    return np.int64 if column == "n_events" else np.float64

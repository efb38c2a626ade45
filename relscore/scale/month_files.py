"""The month files of an index folder: written in full from cells, or from a day on.

A full write runs the kernel block by block of dyads (:mod:`relscore.scale.kernel`) and
appends each block's rows of each month to that month's file as one row group, so memory
stays one block's grid however long the calendar. A partial write (:func:`write_changes`)
recomputes each changed dyad's rows from its own first changed day on, with the kernel
restarted from the rows before, and writes them as patches of the months they fall in
(:mod:`relscore.store.index_folder`), or writes a month again whole when it grows or its
patches would hold too many of its rows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from relscore.exceptions import IndexUpdateError, OutputFileError
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
    index_days,
    manifest_fields,
    merge_patches,
    month_path,
    month_table,
    patch_name,
    patch_table,
    write_month_file,
)
from relscore.store.manifest import PATCH_FILE
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


# A month's patches are folded into its file once they would hold this share of its rows:
# past that, reading the month costs more than writing it once. Past this many, they are
# merged into one (a GDELT file a year back patches every month: a few hundred rows each).
FOLD_SHARE = 0.25
MAX_PATCHES = 4


def write_changes(
    files: MonthFiles,
    calendar_days: tuple[int, int],
    labels: np.ndarray,
    changed: dict[str, tuple[int, dict[str, np.ndarray]]],
    starts: np.ndarray,
    kernel: tuple[int | None, float | None],
) -> tuple[int, int, dict[str, list[list]]]:
    """Recompute each dyad's rows from its own first changed day on, and write them: as a
    patch of each month they fall in, or, for a month that grows or whose patches would grow
    too large, as the month file again with its patches folded in.

    Parameters
    ----------
    files : MonthFiles
        The index folder's months (files and patches), which hold the calendar from its
        first day to the old last.
    calendar_days : (int, int)
        The calendar's first day and its (new) last day, days since 1970-01-01.
    labels : numpy.ndarray
        Every dyad, sorted: the files' dyads.
    changed : dict
        Per month ``YYYY-MM`` whose cells changed: its first day and its new ``n_events``,
        ``conflict`` and ``cooperation`` grids (``dyads x days`` of the whole month).
    starts : numpy.ndarray
        Per dyad of ``labels``, the first day to recompute (``T0`` of the dyad); a day after
        the calendar's last for a dyad that keeps its rows. No cell of a dyad changed
        before its start.
    kernel : (window, half_life)

    Returns
    -------
    written : int
        Month files written whole.
    patched : int
        Patch files written.
    patches : dict
        The manifest's ``patches`` field after the write (``YYYY-MM`` -> ``[[name, bytes],
        ...]``): the month files written whole have none left.
    """
    first, last = calendar_days
    old_last = index_days(files.manifest)[1]
    redo = np.flatnonzero(starts <= last)
    patches = {m: list(p) for m, p in files.manifest.get("patches", {}).items()}
    if not len(redo):
        return 0, 0, patches
    new = _recomputed(files, (first, last, old_last), labels, changed, redo, starts[redo], kernel)
    written = patched = 0
    for name, a, b in month_spans(month_start(int(starts[redo].min())), last):
        a = max(a, first)
        cells = _month_cells(new, a, b)
        if not len(cells[0]):
            continue
        listed = patches.get(name, [])
        grows = b - 1 > old_last or not files.exists(name)
        if grows or _fold(files, name, listed, len(cells[0]), len(labels) * (b - a)):
            grid = _whole_month(files, name, labels, (a, b), old_last)
            _lay(grid, cells, changed.get(name), a)
            table = month_table(pa.array(labels, pa.string()), a, grid)
            write_month_file(month_path(files.folder, name), table)
            patches.pop(name, None)
            written += 1
            continue
        rows, days, values = cells
        values = dict(values)
        if name in changed:  # the month's new sums, on the recomputed rows
            month_first, sums = changed[name]
            flat = rows * sums["n_events"].shape[1] + (days - month_first)
            values |= {c: sums[c].ravel()[flat] for c in ("n_events", "conflict", "cooperation")}
        else:  # only the tension changes where no event did
            values.pop("net")
        number = 1 + max((int(PATCH_FILE.fullmatch(p)[2]) for p, _ in listed), default=0)
        path = files.folder / patch_name(name, number)
        table = patch_table(labels, rows, days, values)
        if len(listed) + 1 > MAX_PATCHES:  # the month's patches merged into one
            held = [_read_patch(files.folder / p, pq.read_table) for p, _ in listed]
            table, listed = merge_patches([*held, table]), []
        write_month_file(path, table)
        patches[name] = [*listed, [path.name, path.stat().st_size]]
        patched += 1
    return written, patched, patches


def _recomputed(files, days, labels, changed, redo, own, kernel) -> dict:
    """The dyads ``redo`` (positions in ``labels``, starting on days ``own``) recomputed:
    their new ``net`` and ``tension`` over ``lo ... last``, where ``lo`` is the first day a
    restart of the earliest needs (:func:`_restart_days`)."""
    first, last, old_last = days
    window, half_life = kernel
    lo = max(first, int(own.min()) - _restart_days(window))
    span = last - lo + 1
    budget.check_memory(
        len(redo) * span * budget.BYTES_PER_CELL,
        budget.available_memory(),
        f"updating {len(redo):,} dyads x {span:,} days",
        "index into a new folder",
    )
    net = np.zeros((len(redo), span))
    restart = np.zeros(len(redo))  # the decay's tension the day before each dyad's start
    wanted = own - 1
    for name, a, b in month_spans(lo, min(last, old_last)):
        decay_here = window is None and ((wanted >= a) & (wanted < b)).any()
        columns = ("net", "tension") if decay_here else ("net",)
        own_first, grids = files.grids(name, labels, columns)
        width = grids["net"].shape[1]
        lo_m, hi_m = max(a, own_first), min(b, own_first + width)
        net[:, lo_m - lo : hi_m - lo] = grids["net"][redo, lo_m - own_first : hi_m - own_first]
        if decay_here:
            here = np.flatnonzero((wanted >= lo_m) & (wanted < hi_m))
            restart[here] = grids["tension"][redo[here], wanted[here] - own_first]
    for a, sums in changed.values():  # new sums: their net, as a full run computes it
        width = sums["n_events"].shape[1]
        lo_m, hi_m = max(a, lo), min(a + width, last + 1)
        if lo_m < hi_m:
            cut = slice(lo_m - a, hi_m - a)
            conflict, cooperation = sums["conflict"][redo, cut], sums["cooperation"][redo, cut]
            net[:, lo_m - lo : hi_m - lo] = conflict - cooperation
    day = np.arange(lo, last + 1)
    # Each row from 0 before its restart: the kernel then goes on as the full run did (the
    # decay's 0 * ratio + s is s; a window adds its zeros first, and 0 + x is x).
    if window is None:
        x = np.where(day >= own[:, None], net, 0.0)
        at = np.flatnonzero(wanted >= lo)
        x[at, wanted[at] - lo] = restart[at]
    else:
        x = np.where(day >= (own - window + 1)[:, None], net, 0.0)
    tension = apply_kernel(x, window, half_life)
    return {"redo": redo, "own": own, "lo": lo, "net": net, "tension": tension}


def _restart_days(window: int | None) -> int:
    """Days before a dyad's start that its restart reads: the decay's one, a window's
    ``w - 1``."""
    return 1 if window is None else window - 1


def _month_cells(new: dict, a: int, b: int) -> tuple[np.ndarray, np.ndarray, dict]:
    """The recomputed rows on days ``a ... b - 1``: positions of the dyads, days, and
    ``net`` and ``tension``, by dyad then day."""
    lo, own = new["lo"], new["own"]
    day = np.arange(a, b)
    keep = day >= own[:, None]
    which, offset = np.nonzero(keep)
    columns = a - lo + offset
    return (
        new["redo"][which],
        day[offset],
        {c: new[c][which, columns] for c in ("net", "tension")},
    )


def _fold(files: MonthFiles, name: str, listed: list, n_new: int, n_rows: int) -> bool:
    """Whether month ``name``'s patches, with one of ``n_new`` rows more, should be folded
    into its file of ``n_rows`` rows."""
    held = sum(_read_patch(files.folder / p, pq.read_metadata).num_rows for p, _ in listed)
    return held + n_new > FOLD_SHARE * n_rows


def _read_patch(path: Path, read):
    """``read(path)``; :class:`~relscore.exceptions.IndexUpdateError` naming the patch if
    it cannot be read."""
    with file_errors(path, IndexUpdateError, "cannot be read", "index into a new folder"):
        return read(path)


def _whole_month(files: MonthFiles, name: str, labels, days: tuple[int, int], old_last: int):
    """Month ``name``'s grids over ``days`` (``a``, ``b`` exclusive): its file and patches,
    and zeros on the days it did not have."""
    a, b = days
    grid = {c: np.zeros((len(labels), b - a), _dtype(c)) for c in GRID_COLUMNS}
    if files.exists(name) and a <= old_last:
        own_first, old = files.grids(name, labels)
        width = old["n_events"].shape[1]
        lo, hi = max(a, own_first), min(b, own_first + width)
        for c in GRID_COLUMNS:
            grid[c][:, lo - a : hi - a] = old[c][:, lo - own_first : hi - own_first]
    return grid


def _lay(grid: dict, cells: tuple, sums: tuple | None, a: int) -> None:
    """The month's new sums (all its dyads), then the recomputed rows, over ``grid``."""
    n_days = grid["n_events"].shape[1]
    if sums is not None:
        month_first, new = sums
        lo, hi = max(a, month_first), min(a + n_days, month_first + new["n_events"].shape[1])
        for c in ("n_events", "conflict", "cooperation"):
            grid[c][:, lo - a : hi - a] = new[c][:, lo - month_first : hi - month_first]
    rows, days, values = cells
    flat = rows * n_days + (days - a)
    for c, value in values.items():
        grid[c].ravel()[flat] = value


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

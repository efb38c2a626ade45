"""What an analysis over a whole store or index folder reads: the cells (dyad-days with
events) of either, and the events behind a few dyads' days.

* :func:`folder_cells` -- an index folder's cells, month file by month file, with the
  settings its manifest records (the folder holds no events, only their daily sums);
* :func:`store_cells` -- an event store's cells, as :func:`relscore.index_store` reads them;
* :func:`store_events` -- the events of some dyads over some days, deduplicated and scored
  as the index scores them, each with the source file and line it was imported from;
* :func:`some_dyads` -- the cells of a few dyads, to read them again on the same calendar.

Memory holds the cells and one month at a time, as for the index itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from relscore.codebook import DEFAULT_SCHEME
from relscore.index import dyad_codes
from relscore.scale import budget
from relscore.scale.aggregate import _categorical, _contributions, _first_of_each, scoring
from relscore.scale.local import Cells, combine, read_store
from relscore.scale.month_files import cells_of_grids
from relscore.store.index_folder import (
    checked_manifest,
    index_days,
    manifest_dyads,
    read_index_month,
)
from relscore.store.layout import month_parts, read_month, store_lock, store_meta
from relscore.vocabulary import (
    DAY_MAX,
    DAY_MIN,
    dates_of,
    day_number,
    month_spans,
    month_start,
)

_SUMS = ("n_events", "conflict", "cooperation")
_PART_KEY = re.compile(r"\.[0-9a-f]{12}\.parquet$")  # what an import adds to a source's name


def folder_cells(folder: str | Path) -> tuple[Cells, dict]:
    """An index folder's cells and the settings it was computed with.

    Returns
    -------
    cells : relscore.scale.local.Cells
        Every dyad-day with events, from the month files' ``n_events``, ``conflict`` and
        ``cooperation`` (read one month at a time).
    settings : dict
        The manifest's ``scheme``, ``overrides``, ``weight_by``, ``window``, ``half_life``
        and ``directed``.

    Raises
    ------
    IndexUpdateError
        If ``folder`` is not an index folder, or a month file is missing or damaged.
    """
    manifest = checked_manifest(folder)
    months, dyads = [], manifest_dyads(manifest)
    for name, _, _ in month_spans(*index_days(manifest)):
        labels, first_day, grids = read_index_month(folder, manifest, name, _SUMS, dyads)
        months.append(cells_of_grids(labels, first_day, grids))
    return combine(months), dict(manifest["settings"])


def store_cells(
    store: str | Path,
    *,
    scheme: str = DEFAULT_SCHEME,
    overrides: dict[str, float] | None = None,
    weight_by: str | None = None,
    directed: bool = False,
    max_memory: float | None = None,
    progress=None,
) -> Cells:
    """An event store's cells, read month by month and scored as
    :func:`relscore.index_store` scores them (under the store's shared lock).

    Raises
    ------
    StoreError
        If ``store`` is not an event store, or a part cannot be read.
    BudgetError
        If a month and the cells would not fit ``max_memory`` bytes (default: the memory
        available).
    """
    meta = store_meta(store)
    score = scoring(scheme, overrides, weight_by)
    memory = budget.available_memory() if max_memory is None else max_memory
    with store_lock(store, exclusive=False):
        return read_store(store, meta, score, memory, directed, progress)[0]


def store_events(
    store: str | Path,
    days: pd.DataFrame,
    *,
    scheme: str = DEFAULT_SCHEME,
    overrides: dict[str, float] | None = None,
    weight_by: str | None = None,
    directed: bool = False,
) -> pd.DataFrame:
    """The events of some dyads over some days, as the index counts them.

    Parameters
    ----------
    store : path
        The event store.
    days : pandas.DataFrame
        ``dyad`` (labels, ``"IRN-PAK"``), ``first`` and ``last`` (days since 1970-01-01,
        inclusive): one row per dyad and range of days (ranges may overlap).
    scheme, overrides, weight_by, directed
        The scoring and dyads of the index, as for :func:`store_cells`.

    Returns
    -------
    pandas.DataFrame
        One row per event kept after the store's deduplication, by date: ``event_id``,
        ``date``, ``actor1``, ``actor2``, ``event_code``, ``conflict`` and ``cooperation``
        (index points), ``file`` (the name of the file it was imported from) and ``line``
        (its line there). Only the months that the ranges touch are read.
    """
    meta = store_meta(store)
    score = scoring(scheme, overrides, weight_by)
    ranges = _Ranges(days)
    columns = ["event_id", "date", "actor1", "actor2", "event_code", "origin_line"]
    columns += (["source_hash"] if meta["dedupe"] == "source-url" else []) + (
        [weight_by] if weight_by else []
    )
    frames = []
    with store_lock(store, exclusive=False):
        for name, files in month_parts(store).items():
            first = day_number(f"{name}-01")
            if ranges.touch(first, month_start(first + 31) - 1):
                frames.append(_month_events(files, columns, ranges, directed, meta, score))
    frames = [f for f in frames if len(f)]
    if not frames:
        return _no_events()
    return pd.concat(frames, ignore_index=True).sort_values(
        "date", kind="stable", ignore_index=True
    )


class _Ranges:
    """Ranges of days per dyad, merged, as intervals on one line: dyad ``k`` of the sorted
    labels holds the keys ``k * SPAN + day - DAY_MIN``, so that one search finds a row's."""

    SPAN = DAY_MAX - DAY_MIN + 1

    def __init__(self, days: pd.DataFrame):
        labels = days["dyad"].to_numpy(dtype=object).astype(str)
        self.labels, which = np.unique(labels, return_inverse=True)
        base = which.astype(np.int64) * self.SPAN - DAY_MIN
        lo = base + days["first"].to_numpy(np.int64)
        hi = base + days["last"].to_numpy(np.int64)
        order = np.argsort(lo, kind="stable")
        lo, hi = lo[order], hi[order]
        new = np.ones(len(lo), bool)
        new[1:] = lo[1:] > np.maximum.accumulate(hi)[:-1]
        self.lo = lo[new]
        self.hi = np.maximum.reduceat(hi, np.flatnonzero(new)) if len(hi) else hi
        self.first, self.last = days["first"].min(), days["last"].max()

    def touch(self, first: int, last: int) -> bool:
        """Whether any range meets the days ``first ... last`` (a cheap bound)."""
        return len(self.lo) > 0 and self.first <= last and self.last >= first

    def mask(self, table: pa.Table, directed: bool) -> np.ndarray:
        """Which rows of a store table fall in their dyad's ranges."""
        actors = [_categorical(table.column(c)) for c in ("actor1", "actor2")]
        code, labels = dyad_codes(*actors, directed=directed)
        labels = np.asarray(labels, dtype=str)
        at = np.minimum(np.searchsorted(self.labels, labels), max(len(self.labels) - 1, 0))
        known = (self.labels[at] == labels) if len(self.labels) else np.zeros(len(labels), bool)
        mine = np.where(known, at, -1)[code]
        day = table.column("date").cast(pa.int32()).to_numpy().astype(np.int64)
        key = mine * self.SPAN + day - DAY_MIN
        j = np.searchsorted(self.lo, key, side="right") - 1
        return (mine >= 0) & (j >= 0) & (key <= self.hi[np.maximum(j, 0)])


def _month_events(files, columns, ranges: _Ranges, directed, meta, score) -> pd.DataFrame:
    """The rows of one store month in the ranges, deduplicated across its parts as the index
    does (a duplicate has the date and actors of the row it repeats, so the rows of those
    dyad-days are deduplicated among themselves), then scored."""
    kept, sources = [], []
    for part in files:
        rows = read_month([part], columns)
        if rows.num_rows:
            rows = rows.filter(pa.array(ranges.mask(rows, directed)))
            kept.append(rows)
            sources.append(np.full(rows.num_rows, _PART_KEY.sub("", Path(part).name), object))
    if not sum(t.num_rows for t in kept):
        return _no_events()
    table = pa.concat_tables(kept).unify_dictionaries().combine_chunks()
    source = np.concatenate(sources)
    if len(files) > 1:
        keep = _first_of_each(table, meta["dedupe"])
        table, source = table.filter(pa.array(keep)), source[keep]
    conflict, cooperation = _contributions(table, score, files)
    return pd.DataFrame(
        {
            "event_id": table.column("event_id").to_numpy(),
            "date": dates_of(table.column("date").cast(pa.int32()).to_numpy()),
            **{c: table.column(c).to_pandas().astype(str) for c in ("actor1", "actor2")},
            "event_code": table.column("event_code").to_pandas().astype(str),
            "conflict": conflict,
            "cooperation": cooperation,
            "file": source,
            "line": table.column("origin_line").to_numpy(),
        }
    )


def _no_events() -> pd.DataFrame:
    dtypes = {
        "event_id": "int64",
        "date": "datetime64[s]",
        "actor1": "str",
        "actor2": "str",
        "event_code": "str",
        "conflict": "float64",
        "cooperation": "float64",
        "file": "str",
        "line": "int64",
    }
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})


def some_dyads(cells: Cells, labels) -> Cells:
    """The cells of the dyads ``labels`` only (labels absent from ``cells`` are left out),
    numbered again from 0 in label order."""
    keep = np.flatnonzero(np.isin(cells.labels, np.asarray(list(labels), dtype=object)))
    new = np.full(len(cells.labels), -1, np.int32)
    new[keep] = np.arange(len(keep), dtype=np.int32)
    months = []
    for month in cells.months:
        rows = np.flatnonzero(new[month["dyad"]] >= 0)
        months.append({k: v[rows] for k, v in month.items()} | {"dyad": new[month["dyad"][rows]]})
    return Cells(cells.labels[keep], months)

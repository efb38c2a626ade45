"""Daily sums per dyad, one month at a time: the first pass of the scaled index.

A month's events (a store partition, or a month of coded events held in memory) become
**cells**: one row per dyad and day that has events, with ``n_events``, ``conflict`` and
``cooperation`` (index points) summed in event order onto a dense dyad x day grid by
:func:`relscore.index.sum_onto_grid`, exactly as :func:`relscore.tension_index` sums
them. A day belongs to one month, so a cell is complete once its month is read: the
months never need adding together, and every engine and block size gives the same bits.

Before that, a store month is deduplicated across its part files with the store's mode
(a repeated event id, then the one-a-day or source-url key; first row kept, in part-file
order), and scored per event code with the chosen scheme and weights.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from relscore.codebook import Scheme, weights_table
from relscore.coding import code_events
from relscore.exceptions import RelscoreError, StoreError, UncoveredCodesError
from relscore.files.errors import file_errors
from relscore.index import dyad_codes, sum_onto_grid
from relscore.store.layout import REPAIR, read_month
from relscore.vocabulary import day_number

CELL_COLUMNS = ("dyad", "day", "n_events", "conflict", "cooperation")


@dataclass(frozen=True)
class Scoring:
    """What one event contributes, by event code.

    Attributes
    ----------
    codes : numpy.ndarray
        The event codes that have a weight, sorted (str).
    conflict, cooperation : numpy.ndarray
        Each code's contributions (index points, >= 0), as :func:`relscore.code_events`
        gives them.
    weight_by : str or None
        A coverage column (``num_mentions``, ``num_articles``) that multiplies them.
    """

    codes: np.ndarray
    conflict: np.ndarray
    cooperation: np.ndarray
    weight_by: str | None = None


def scoring(
    scheme: str | Scheme,
    overrides: dict[str, float] | None = None,
    weight_by: str | None = None,
) -> Scoring:
    """Score every code of the codebook once, with :func:`relscore.code_events` itself."""
    table = weights_table(scheme, overrides)
    covered = np.sort(table.index[table["weight"].notna()].to_numpy(dtype=str))
    coded = code_events(pd.DataFrame({"event_code": covered}), scheme, overrides)
    return Scoring(
        covered,
        coded["conflict"].to_numpy(dtype=np.float64),
        coded["cooperation"].to_numpy(dtype=np.float64),
        weight_by,
    )


def month_cells(
    files: list[str | Path],
    score: Scoring,
    dedupe: str,
    directed: bool = False,
    only: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, int]:
    """One store month's cells, or only some of them.

    Parameters
    ----------
    files : list of path
        The month's part files, in order (:func:`relscore.store.layout.month_parts`).
    score : Scoring
        From :func:`scoring`.
    dedupe : {"one-a-day", "source-url", "none"}
        The store's dedupe mode, applied across the files.
    directed : bool
        Keep ``A>B`` apart from ``B>A``.
    only : pandas.DataFrame, optional
        Dyad-days (``dyad`` labels, ``day``; :func:`touched_cells`): compute only their
        cells. Their rows are kept before deduplication, which is exact: a duplicate
        (a repeated event id, or key) has the date and actors of the row it repeats, so
        the rows of one dyad-day are deduplicated among themselves. Parts whose dates
        (Parquet statistics) miss every day of ``only`` are not read.

    Returns
    -------
    cells : pandas.DataFrame
        :data:`CELL_COLUMNS`, sorted by dyad and day; ``dyad`` categorical (sorted labels),
        ``day`` days since 1970-01-01 (int32).
    n_events : int
        Events counted (after deduplication).
    """
    across = len(files) > 1  # one part was deduplicated by its import
    if only is not None and only.empty:
        return empty_cells(), 0
    if only is not None:
        days = np.unique(only["day"].to_numpy())
        files = [f for f in files if _may_hold(f, days)]
    columns = ["date", "actor1", "actor2", "event_code"]
    if across:
        columns += ["event_id"] + (["source_hash"] if dedupe == "source-url" else [])
    if score.weight_by:
        columns.append(score.weight_by)
    table = (
        read_month(files, columns) if only is None else _read_only(files, columns, only, directed)
    )
    if table.num_rows == 0:
        return empty_cells(), 0
    if across:
        table = table.filter(pa.array(_first_of_each(table, dedupe)))
    day = table.column("date").cast(pa.int32()).to_numpy()
    conflict, cooperation = _contributions(table, score, files)
    actors = [_categorical(table.column(c)) for c in ("actor1", "actor2")]
    dyad, labels = dyad_codes(*actors, directed=directed)
    return cells_of(day, dyad, labels, conflict, cooperation), len(day)


def touched_cells(files: list[str | Path], directed: bool = False) -> pd.DataFrame:
    """The dyad-days that the rows of ``files`` (store parts) fall on: ``dyad`` (labels,
    categorical) and ``day`` (days since 1970-01-01), one row each, by dyad and day."""
    table = read_month(files, ["date", "actor1", "actor2"])
    if table.num_rows == 0:
        return empty_cells()[["dyad", "day"]]
    day, dyad, labels = _row_dyad_days(table, directed)
    first = int(day.min())
    span = np.int64(int(day.max()) - first + 1)
    keys = np.unique(dyad * span + (day - first))
    return pd.DataFrame(
        {
            "dyad": pd.Categorical.from_codes(
                (keys // span).astype(np.int32), categories=np.asarray(labels, dtype=object)
            ),
            "day": (keys % span + first).astype(np.int32),
        }
    )


def _row_dyad_days(table: pa.Table, directed: bool) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Each row's day (int64), dyad code and the sorted dyad labels."""
    day = table.column("date").cast(pa.int32()).to_numpy().astype(np.int64)
    actors = [_categorical(table.column(c)) for c in ("actor1", "actor2")]
    dyad, labels = dyad_codes(*actors, directed=directed)
    return day, dyad.astype(np.int64), labels


def _read_only(
    files: list[str | Path], columns: list[str], only: pd.DataFrame, directed: bool
) -> pa.Table:
    """:func:`relscore.store.layout.read_month` of the rows on the dyad-days of ``only``,
    filtered part by part: the month's rows are never put together."""
    wanted = _Wanted(only, directed)
    kept = []
    for part in files:
        rows = read_month([part], columns)
        if rows.num_rows:
            kept.append(rows.filter(pa.array(wanted.mask(rows))))
    if not kept:
        return read_month([], columns)
    return pa.concat_tables(kept).unify_dictionaries().combine_chunks()


class _Wanted:
    """Dyad-days as (actor, actor, day): each order of an undirected dyad."""

    def __init__(self, only: pd.DataFrame, directed: bool):
        pairs = only["dyad"].astype(str).str.replace(">", "-").str.split("-", expand=True)
        one, two = (pairs[k].to_numpy(dtype=object) for k in (0, 1))
        day = only["day"].to_numpy().astype(np.int64)
        self.actors, codes = np.unique(np.concatenate([one, two]), return_inverse=True)
        first, second = codes[: len(one)], codes[len(one) :]
        orders = [(first, second)] if directed else [(first, second), (second, first)]
        self.one = np.concatenate([a for a, _ in orders])
        self.two = np.concatenate([b for _, b in orders])
        self.day = np.tile(day, len(orders))

    def mask(self, table: pa.Table) -> np.ndarray:
        """Mask of the rows of ``table`` on these dyad-days: a mark per pair of actor
        codes and day, so each row costs one lookup and no row's dyad is computed."""
        day = table.column("date").cast(pa.int32()).to_numpy().astype(np.int64)
        code1, names1 = _dictionary(table.column("actor1"))
        code2, names2 = _dictionary(table.column("actor2"))
        first, span = int(day.min()), int(day.max()) - int(day.min()) + 1
        at1, at2 = (
            _positions(names1, self.actors)[self.one],
            _positions(names2, self.actors)[self.two],
        )
        wanted_day = self.day - first
        ok = (at1 >= 0) & (at2 >= 0) & (wanted_day >= 0) & (wanted_day < span)
        marks = np.zeros(len(names1) * len(names2) * span, dtype=bool)
        marks[(at1[ok] * len(names2) + at2[ok]) * span + wanted_day[ok]] = True
        cell = code1.astype(np.int64) * len(names2)
        cell += code2
        cell *= span
        cell += day - first
        return marks[cell]


def _positions(names: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Each of ``wanted``'s position in ``names`` (a dictionary, any order), or -1."""
    lookup = {name: k for k, name in enumerate(names)}
    return np.array([lookup.get(w, -1) for w in wanted], dtype=np.int64)


def _may_hold(part: str | Path, days: np.ndarray) -> bool:
    """Whether a part's date range (its row groups' statistics) holds one of ``days``
    (sorted); True when a footer has no statistics."""
    with file_errors(part, StoreError, "cannot be read", REPAIR):
        metadata = pq.read_metadata(part)
    at = metadata.schema.to_arrow_schema().get_field_index("date")
    for group in range(metadata.num_row_groups):
        stats = metadata.row_group(group).column(at).statistics
        if stats is None or not stats.has_min_max:
            return True
        lo, hi = (day_number(v) for v in (stats.min, stats.max))
        if np.searchsorted(days, lo) < np.searchsorted(days, hi, side="right"):
            return True
    return False


def month_cells_of_events(coded: pd.DataFrame, directed: bool = False) -> Iterator[pd.DataFrame]:
    """The cells of coded events held in memory (:func:`relscore.code_events`), month by
    month in calendar order; events keep their order within a month."""
    if coded.empty:
        return
    dyad, labels = dyad_codes(coded["actor1"], coded["actor2"], directed)
    day = coded["date"].to_numpy("datetime64[D]").astype(np.int64)
    conflict = coded["conflict"].to_numpy(dtype=np.float64)
    cooperation = coded["cooperation"].to_numpy(dtype=np.float64)
    month = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    order = np.argsort(month, kind="stable")
    starts = np.flatnonzero(np.diff(month[order], prepend=month[order[0]] - 1))
    for rows in np.split(order, starts[1:]):
        yield cells_of(day[rows], dyad[rows], labels, conflict[rows], cooperation[rows])


def cells_of(
    day: np.ndarray,
    dyad: np.ndarray,
    labels: pd.Index | np.ndarray,
    conflict: np.ndarray,
    cooperation: np.ndarray,
) -> pd.DataFrame:
    """Sum events onto a dense grid of the dyads present x the days they span, and keep the
    cells with events.

    Parameters
    ----------
    day : numpy.ndarray
        Days since 1970-01-01 of each event.
    dyad : numpy.ndarray
        Each event's dyad, a position in ``labels``.
    labels : array-like of str
        Dyad labels, sorted.
    conflict, cooperation : numpy.ndarray
        Each event's contributions (index points).

    Returns
    -------
    pandas.DataFrame
        :data:`CELL_COLUMNS` sorted by dyad and day; ``dyad`` is categorical with the
        labels present as categories.
    """
    labels = np.asarray(labels, dtype=object)
    if len(day) == 0:
        return empty_cells()
    present = np.bincount(dyad, minlength=len(labels)) > 0
    local = (np.cumsum(present) - 1)[dyad]  # the dyads present, renumbered 0 ... k - 1
    first = int(day.min())
    n_days = int(day.max()) - first + 1
    cell = local * np.int64(n_days) + (day - first)
    n_events, conflict_grid, cooperation_grid = sum_onto_grid(
        cell, conflict, cooperation, int(present.sum()), n_days
    )
    full = np.flatnonzero(n_events)
    return pd.DataFrame(
        {
            "dyad": pd.Categorical.from_codes(
                (full // n_days).astype(np.int32), categories=labels[present]
            ),
            "day": (full % n_days + first).astype(np.int32),
            "n_events": n_events.ravel()[full].astype(np.int64),
            "conflict": conflict_grid.ravel()[full],
            "cooperation": cooperation_grid.ravel()[full],
        }
    )


def empty_cells() -> pd.DataFrame:
    """Cells of no events, with the column types of :func:`cells_of`."""
    return pd.DataFrame(
        {
            "dyad": pd.Categorical([], categories=pd.Index([], dtype=object)),
            "day": np.empty(0, np.int32),
            "n_events": np.empty(0, np.int64),
            "conflict": np.empty(0),
            "cooperation": np.empty(0),
        }
    )


def _dictionary(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """A dictionary column's indices (int32) and dictionary (object array of str)."""
    array = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    indices = array.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
    return indices, array.dictionary.to_numpy(zero_copy_only=False).astype(object)


def _categorical(column: pa.ChunkedArray) -> pd.Series:
    """A dictionary column as a pandas categorical, without a string per row."""
    return pd.Series(pd.Categorical.from_codes(*_dictionary(column)))


def _first_of_each(table: pa.Table, dedupe: str) -> np.ndarray:
    """Mask of the rows a whole-month import would keep: a row whose event id was seen
    before is a duplicate; then, unless ``dedupe`` is "none", so is one whose key was."""
    event_id = table.column("event_id").to_numpy()
    keep = ~pd.Series(event_id).duplicated().to_numpy()
    if dedupe == "none":
        return keep
    day = table.column("date").cast(pa.int32()).to_numpy().astype(np.int64)
    a1, names1 = _dictionary(table.column("actor1"))
    a2, names2 = _dictionary(table.column("actor2"))
    code, codes = _dictionary(table.column("event_code"))
    key = (((day - day.min()) * len(names1) + a1) * len(names2) + a2) * len(codes)
    key += code  # exact: 31 days x 2^15 actors x 2^15 actors x 2^15 codes fit an int64
    frame = {"key": key}
    if dedupe == "source-url":
        frame["source"] = table.column("source_hash").fill_null(0).to_numpy()
    rows = np.flatnonzero(keep)
    keep[rows[pd.DataFrame(frame).iloc[rows].duplicated().to_numpy()]] = False
    return keep


def _contributions(
    table: pa.Table, score: Scoring, files: list[str | Path]
) -> tuple[np.ndarray, np.ndarray]:
    """Each event's conflict and cooperation (index points), from its code's scores and,
    with ``weight_by``, its coverage count."""
    code, names = _dictionary(table.column("event_code"))
    names = names.astype(str)
    at = np.minimum(np.searchsorted(score.codes, names), max(len(score.codes) - 1, 0))
    known = score.codes[at] == names if len(score.codes) else np.zeros(len(names), bool)
    used = np.bincount(code, minlength=len(names)) > 0
    if (used & ~known).any():
        raise UncoveredCodesError(names[used & ~known].tolist())
    conflict, cooperation = score.conflict[at][code], score.cooperation[at][code]
    if score.weight_by:
        counts = table.column(score.weight_by)
        if counts.null_count:
            month = Path(files[0]).parent
            raise RelscoreError(
                f"{month}: {counts.null_count} events have no {score.weight_by} "
                "(needed to weight by coverage; ICEWS data has none)"
            )
        factor = counts.to_numpy().astype(np.float64)
        conflict, cooperation = conflict * factor, cooperation * factor
    return conflict, cooperation

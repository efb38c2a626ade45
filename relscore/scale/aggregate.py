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

from relscore.codebook import Scheme, weights_table
from relscore.coding import code_events
from relscore.exceptions import RelscoreError, UncoveredCodesError
from relscore.index import dyad_codes, sum_onto_grid
from relscore.io.store import read_month

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
    files: list[str | Path], score: Scoring, dedupe: str, directed: bool = False
) -> tuple[pd.DataFrame, int]:
    """One store month's cells.

    Parameters
    ----------
    files : list of path
        The month's part files, in order (:func:`relscore.io.store.month_parts`).
    score : Scoring
        From :func:`scoring`.
    dedupe : {"one-a-day", "source-url", "none"}
        The store's dedupe mode, applied across the files.
    directed : bool
        Keep ``A>B`` apart from ``B>A``.

    Returns
    -------
    cells : pandas.DataFrame
        :data:`CELL_COLUMNS`, sorted by dyad and day; ``dyad`` categorical (sorted labels),
        ``day`` days since 1970-01-01 (int32).
    n_events : int
        Events counted (after deduplication).
    """
    columns = ["date", "actor1", "actor2", "event_code"]
    if len(files) > 1:
        columns += ["event_id"] + (["source_hash"] if dedupe == "source-url" else [])
    if score.weight_by:
        columns.append(score.weight_by)
    table = read_month(files, columns)
    if table.num_rows == 0:
        return empty_cells(), 0
    if len(files) > 1:
        table = table.filter(pa.array(_first_of_each(table, dedupe)))
    day = table.column("date").cast(pa.int32()).to_numpy()
    conflict, cooperation = _contributions(table, score, files)
    actors = [_categorical(table.column(c)) for c in ("actor1", "actor2")]
    dyad, labels = dyad_codes(*actors, directed=directed)
    return cells_of(day, dyad, labels, conflict, cooperation), len(day)


def event_cells(coded: pd.DataFrame, directed: bool = False) -> Iterator[pd.DataFrame]:
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

"""The second pass of the scaled index: the kernel, one block of dyads at a time.

The cells of a block of consecutive dyads (:mod:`relscore.scale.aggregate`) are laid on a
dense ``block x calendar`` grid; ``net`` and the kernel (:func:`relscore.index.apply_kernel`)
run on it, and the block's rows come out exactly as :func:`relscore.tension_index` would
give them for those dyads. Memory is bounded by the block, whatever the number of dyads.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relscore.index import apply_kernel
from relscore.vocabulary import Calendar, dates_of

BLOCK_CELLS = 1 << 22  # dyad-days per block when the block size is left to relscore


def block_size(n_days: int, wanted: int | None = None) -> int:
    """Dyads per block: ``wanted``, or as many as make about :data:`BLOCK_CELLS` cells."""
    if wanted is not None:
        if wanted < 1:
            raise ValueError(f"--block-dyads must be >= 1, got {wanted}")
        return int(wanted)
    return max(1, BLOCK_CELLS // max(n_days, 1))


def cell_grids(
    cells: pd.DataFrame, n_dyads: int, first_day: int, n_days: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cells (``dyad`` positions, ``day``, ``n_events``, ``conflict``, ``cooperation``) laid
    on dense ``n_dyads x n_days`` grids from ``first_day``; days without events are 0.

    >>> cells = pd.DataFrame({"dyad": [1], "day": [11], "n_events": [2],
    ...                       "conflict": [3.0], "cooperation": [0.5]})
    >>> n_events, conflict, cooperation = cell_grids(cells, 2, 10, 3)
    >>> n_events.tolist(), (conflict - cooperation).tolist()
    ([[0, 0, 0], [0, 2, 0]], [[0.0, 0.0, 0.0], [0.0, 2.5, 0.0]])
    """
    shape = (n_dyads, n_days)
    at = cells["dyad"].to_numpy(np.int64) * n_days + (cells["day"].to_numpy() - first_day)
    n_events = np.zeros(shape, np.int64)
    conflict, cooperation = np.zeros(shape), np.zeros(shape)
    n_events.ravel()[at] = cells["n_events"].to_numpy()
    conflict.ravel()[at] = cells["conflict"].to_numpy()
    cooperation.ravel()[at] = cells["cooperation"].to_numpy()
    return n_events, conflict, cooperation


def block_frame(
    cells: pd.DataFrame,
    labels: np.ndarray,
    cal: Calendar,
    window: int | None = None,
    half_life: float | None = None,
) -> pd.DataFrame:
    """The index rows of one block of dyads.

    Parameters
    ----------
    cells : pandas.DataFrame
        The block's cells: ``dyad`` (position in ``labels``, int), ``day`` (days since
        1970-01-01), ``n_events``, ``conflict``, ``cooperation``; at most one per dyad-day.
    labels : numpy.ndarray
        The block's dyad labels, sorted; every dyad gets a row per day.
    cal : Calendar
    window, half_life : optional
        The kernel (:func:`relscore.index.apply_kernel`).

    Returns
    -------
    pandas.DataFrame
        ``dyad`` (categorical), ``date`` (datetime64[s]), ``n_events``, ``conflict``,
        ``cooperation``, ``net``, ``tension``; by dyad and date, as
        :func:`relscore.tension_index` gives them.
    """
    n_events, conflict, cooperation = cell_grids(cells, len(labels), cal.first_day, cal.n_days)
    net = conflict - cooperation
    tension = apply_kernel(net, window=window, half_life=half_life)
    days = np.arange(cal.first_day, cal.first_day + cal.n_days)[cal.keep]

    def rows(grid: np.ndarray) -> np.ndarray:
        return grid[:, cal.keep].ravel()

    return pd.DataFrame(
        {
            "dyad": pd.Categorical.from_codes(
                np.repeat(np.arange(len(labels), dtype=np.int32), len(days)),
                categories=pd.Index(labels, dtype=object, name="dyad"),
            ),
            "date": np.tile(dates_of(days), len(labels)),
            "n_events": rows(n_events),
            "conflict": rows(conflict),
            "cooperation": rows(cooperation),
            "net": rows(net),
            "tension": rows(tension),
        },
        copy=False,
    )

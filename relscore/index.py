"""The tension index: daily scores on a continuous calendar, then a trailing kernel.

Per dyad and day ``d``: ``conflict(d)`` and ``cooperation(d)`` are the sums of the day's
event contributions (index points, both >= 0), ``net(d) = conflict(d) - cooperation(d)``
(positive = tension, negative = warmth) and ``n_events(d)`` counts the events behind them.
A day without events has a row with zeros. Two kernels turn ``net`` into ``tension``:

* **rolling** (``window`` days): ``tension(d) = sum(net(d - k) for k in 0 .. window - 1)``;
* **decay** (``half_life`` days): ``tension(d) = net(d) + 2**(-1/half_life) * tension(d - 1)``.

Both are causal (a day sees only its past) and linear in ``net``. Every dyad shares one
calendar, from the first to the last event in the data, and all dyads go through the same
array code at once: one ``bincount`` onto a dyad x day grid and one ``lfilter`` along days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.signal import lfilter

DEFAULT_HALF_LIFE = 14.0  # days
INDEX_COLUMNS = ("dyad", "date", "n_events", "conflict", "cooperation", "net", "tension")
_BLOCK = 1 << 20  # events per block for in-place per-event arithmetic (8 MB temporaries)


def dyad_codes(
    actor1: pd.Series, actor2: pd.Series, directed: bool = False
) -> tuple[np.ndarray, pd.Index]:
    """Encode each event's dyad as an integer and return the codes and the dyad labels.

    Undirected dyads (the default) put the two ISO codes in alphabetical order
    (``"IRN-PAK"``); directed ones keep initiator first (``"IRN>PAK"``). Labels come
    back sorted, so ``labels[codes]`` gives each event's dyad. Categorical actor columns
    (as importers produce them) are read through their codes, without hashing strings.
    """
    pair, table, labels = _pairs(actor1, actor2, directed)
    return table[pair], labels


def apply_kernel(
    net: np.ndarray, window: int | None = None, half_life: float | None = None
) -> np.ndarray:
    """Run the rolling or decay kernel along the last axis (days) of ``net``.

    Parameters
    ----------
    net : numpy.ndarray
        Daily net scores (index points), days along the last axis.
    window : int, optional
        Trailing window in days (>= 1) for the rolling kernel.
    half_life : float, optional
        Half-life in days (> 0) for the decay kernel. If neither is given, the decay
        kernel with :data:`DEFAULT_HALF_LIFE` is used.
    """
    if window is not None and half_life is not None:
        raise ValueError("give either window or half_life, not both")
    if window is not None:
        if int(window) != window or window < 1:
            raise ValueError(f"window must be a whole number of days >= 1, got {window}")
        return lfilter(np.ones(int(window)), [1.0], net, axis=-1)
    half_life = DEFAULT_HALF_LIFE if half_life is None else float(half_life)
    if not half_life > 0:
        raise ValueError(f"half_life must be > 0 days, got {half_life}")
    # The recursion, not the closed form r**t * sum(r**-k x_k), which overflows.
    return lfilter([1.0], [1.0, -(2.0 ** (-1.0 / half_life))], net, axis=-1)


def tension_index(
    coded: pd.DataFrame,
    *,
    window: int | None = None,
    half_life: float | None = None,
    directed: bool = False,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Daily tension index for every dyad in ``coded``.

    Parameters
    ----------
    coded : pandas.DataFrame
        Coded events (:func:`relscore.code_events`): ``date``, ``actor1``, ``actor2``,
        ``conflict``, ``cooperation``.
    window, half_life : optional
        The kernel: trailing window (days) or decay half-life (days); see
        :func:`apply_kernel`. Default: decay with a 14-day half-life.
    directed : bool, default False
        Keep ``actor1 > actor2`` apart from ``actor2 > actor1``.
    start, end : date-like, optional
        Limit the rows returned. The kernel still runs over every event, so an event
        before ``start`` still weighs on the first days shown.

    Returns
    -------
    pandas.DataFrame
        One row per dyad per day with ``dyad``, ``date``, ``n_events``, ``conflict``,
        ``cooperation``, ``net`` and ``tension`` (index points), sorted by dyad and date.
    """
    if coded.empty:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in INDEX_COLUMNS})
    n_events, conflict, cooperation, first_day, labels = _daily_sums(coded, directed, end)
    n_days = n_events.shape[1]
    net = conflict - cooperation
    tension = apply_kernel(net, window=window, half_life=half_life)

    lo = 0 if start is None else max(0, _day(start) - first_day)
    hi = n_days if end is None else max(0, _day(end) - first_day + 1)
    keep = slice(lo, max(lo, hi))
    days = np.arange(first_day, first_day + n_days)[keep]
    dates = days.astype("datetime64[D]").astype("datetime64[s]")

    def rows(grid: np.ndarray) -> np.ndarray:
        return grid[:, keep].ravel()  # a view, not a copy, when every day is shown

    # copy=False: the grids are ours alone, so the frame can own them as they are.
    return pd.DataFrame(
        {
            "dyad": pd.Categorical.from_codes(
                np.repeat(np.arange(len(labels)), len(days)), categories=labels
            ),
            "date": np.tile(dates, len(labels)),
            "n_events": rows(n_events).astype(np.int64, copy=False),
            "conflict": rows(conflict),
            "cooperation": rows(cooperation),
            "net": rows(net),
            "tension": rows(tension),
        },
        copy=False,
    )


def decay_from_peak(tension: pd.Series, half_life: float = DEFAULT_HALF_LIFE) -> pd.Series:
    """What ``tension`` would do after its peak if no further event happened.

    Parameters
    ----------
    tension : pandas.Series
        Daily tension of one dyad, indexed by date.
    half_life : float
        The decay kernel's half-life in days.

    Returns
    -------
    pandas.Series
        ``peak * 2**(-days_since_peak / half_life)`` from the peak on (NaN before it): the
        mechanical decay that de-escalation by events has to beat.
    """
    peak_day = tension.idxmax()
    days = (tension.index - peak_day) / pd.Timedelta(days=1)
    decay = tension.max() * 2.0 ** (-np.asarray(days, dtype=float) / half_life)
    return pd.Series(np.where(days >= 0, decay, np.nan), index=tension.index, name="decay_only")


def _day(value: str | pd.Timestamp) -> int:
    return int(np.datetime64(pd.Timestamp(value).date(), "D").astype(np.int64))


def _daily_sums(
    coded: pd.DataFrame, directed: bool, end: str | pd.Timestamp | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, pd.Index]:
    """Sum the events onto a dyad x day grid, one ``bincount`` per quantity.

    Returns ``n_events`` (int64), ``conflict`` and ``cooperation`` (float64), each with one
    row per dyad and one column per day from ``first_day`` (days since 1970-01-01) to the
    last event or ``end``; then ``first_day`` and the dyad labels. Per event there is one
    int64 array (each event's pair, then its cell), filled in place block by block so that
    the temporaries stay small, and no per-event strings or objects.
    """
    stamps, per_day = _timestamps(coded["date"])
    first_day = int(stamps.min() // per_day)
    last_day = int(stamps.max() // per_day)
    if end is not None:
        last_day = max(last_day, _day(end))
    n_days = last_day - first_day + 1
    cell, table, labels = _pairs(coded["actor1"], coded["actor2"], directed)
    offset = table * n_days - first_day  # pair -> dyad * n_days - first_day
    for lo in range(0, len(cell), _BLOCK):
        block = cell[lo : lo + _BLOCK]
        np.add(offset[block], stamps[lo : lo + _BLOCK] // per_day, out=block)

    n_events, conflict, cooperation = sum_onto_grid(
        cell,
        coded["conflict"].to_numpy(dtype=np.float64),
        coded["cooperation"].to_numpy(dtype=np.float64),
        len(labels),
        n_days,
    )
    return n_events, conflict, cooperation, first_day, labels


def sum_onto_grid(
    cell: np.ndarray, conflict: np.ndarray, cooperation: np.ndarray, n_dyads: int, n_days: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum per-event contributions onto a dense dyad x day grid.

    Parameters
    ----------
    cell : numpy.ndarray of int64
        Each event's cell, ``dyad * n_days + day`` (dyad in ``0 .. n_dyads - 1``, day in
        ``0 .. n_days - 1``, days counted from the grid's first day).
    conflict, cooperation : numpy.ndarray of float64
        Each event's contributions (index points, >= 0).
    n_dyads, n_days : int
        The grid's shape.

    Returns
    -------
    n_events, conflict, cooperation : numpy.ndarray
        Arrays of shape ``(n_dyads, n_days)``: event counts (int64) and summed
        contributions (float64, summed in event order).
    """
    size = n_dyads * n_days

    def grid(weights=None):
        return np.bincount(cell, weights=weights, minlength=size).reshape(n_dyads, n_days)

    return grid(), grid(conflict), grid(cooperation)


def _pairs(
    actor1: pd.Series, actor2: pd.Series, directed: bool
) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Each event's ``(actor1, actor2)`` as one int64 key, a table from key to dyad code,
    and the sorted dyad labels: ``table[pair]`` is each event's dyad code.

    Per event this is integer arithmetic and one ``bincount`` (to find the pairs that
    occur); only those few distinct pairs are sorted and joined into labels.
    """
    code1, names1 = _actor_codes(actor1)
    code2, names2 = _actor_codes(actor2)
    if (code1 < 0).any() or (code2 < 0).any():
        raise ValueError("actor1 and actor2 must not have missing values")
    pair = np.multiply(code1, len(names2), dtype=np.int64)
    pair += code2
    seen = np.flatnonzero(np.bincount(pair, minlength=len(names1) * len(names2)))
    actors, ends = np.unique(
        np.concatenate([names1[seen // len(names2)], names2[seen % len(names2)]]),
        return_inverse=True,
    )
    first, second = ends[: len(seen)], ends[len(seen) :]
    if not directed:
        first, second = np.minimum(first, second), np.maximum(first, second)
    keys, dyad = np.unique(first * len(actors) + second, return_inverse=True)
    table = np.zeros(len(names1) * len(names2), dtype=np.int64)  # pairs not seen: unused
    table[seen] = dyad
    sep = ">" if directed else "-"
    labels = pd.Index(actors[keys // len(actors)] + sep + actors[keys % len(actors)], name="dyad")
    return pair, table, labels


def _actor_codes(actors: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and the names they stand for: a categorical's own codes (no copy),
    otherwise :func:`pandas.factorize`."""
    if isinstance(actors.dtype, pd.CategoricalDtype):
        return actors.cat.codes.to_numpy(), np.asarray(actors.cat.categories, dtype=object)
    codes, names = pd.factorize(actors)
    return codes, np.asarray(names, dtype=object)


def _timestamps(dates: pd.Series) -> tuple[np.ndarray, int]:
    """Dates as int64 (a view when they are datetime64) and how many of their units make a day."""
    values = dates.to_numpy()
    if values.dtype.kind != "M":
        values = dates.to_numpy("datetime64[D]")
    unit, count = np.datetime_data(values.dtype)
    return values.view(np.int64), int(np.timedelta64(1, "D") // np.timedelta64(count, unit))

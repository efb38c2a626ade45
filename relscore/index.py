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


def dyad_codes(
    actor1: pd.Series, actor2: pd.Series, directed: bool = False
) -> tuple[np.ndarray, pd.Index]:
    """Encode each event's dyad as an integer and return the codes and the dyad labels.

    Undirected dyads (the default) put the two ISO codes in alphabetical order
    (``"IRN-PAK"``); directed ones keep initiator first (``"IRN>PAK"``). Labels come
    back sorted, so ``labels[codes]`` gives each event's dyad.
    """
    actor_codes, actors = pd.factorize(pd.concat([actor1, actor2], ignore_index=True), sort=True)
    n = len(actor1)
    first, second = actor_codes[:n].astype(np.int64), actor_codes[n:].astype(np.int64)
    if not directed:
        first, second = np.minimum(first, second), np.maximum(first, second)
    codes, keys = pd.factorize(first * len(actors) + second, sort=True)
    sep = ">" if directed else "-"
    names = np.asarray(actors, dtype=object)
    labels = pd.Index(names[keys // len(actors)] + sep + names[keys % len(actors)], name="dyad")
    return codes.astype(np.int64), labels


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
    day = coded["date"].to_numpy("datetime64[D]").astype(np.int64)
    first_day = day.min()
    last_day = day.max()
    if end is not None:
        last_day = max(last_day, _day(end))
    n_days = int(last_day - first_day + 1)
    dyad, labels = dyad_codes(coded["actor1"], coded["actor2"], directed)
    cell = dyad * n_days + (day - first_day)
    size = len(labels) * n_days

    def grid(weights=None):
        return np.bincount(cell, weights=weights, minlength=size).reshape(len(labels), n_days)

    n_events = grid()
    conflict = grid(coded["conflict"].to_numpy(dtype=float))
    cooperation = grid(coded["cooperation"].to_numpy(dtype=float))
    net = conflict - cooperation
    tension = apply_kernel(net, window=window, half_life=half_life)

    lo = 0 if start is None else max(0, _day(start) - first_day)
    hi = n_days if end is None else max(0, _day(end) - first_day + 1)
    keep = slice(lo, max(lo, hi))
    shown = np.arange(n_days)[keep]
    dates = (first_day + shown).astype("datetime64[D]").astype("datetime64[s]")
    return pd.DataFrame(
        {
            "dyad": pd.Categorical.from_codes(
                np.repeat(np.arange(len(labels)), len(shown)), categories=labels
            ),
            "date": np.tile(dates, len(labels)),
            "n_events": n_events[:, keep].ravel().astype(np.int64),
            "conflict": conflict[:, keep].ravel(),
            "cooperation": cooperation[:, keep].ravel(),
            "net": net[:, keep].ravel(),
            "tension": tension[:, keep].ravel(),
        }
    )


def _day(value: str | pd.Timestamp) -> int:
    return int(np.datetime64(pd.Timestamp(value).date(), "D").astype(np.int64))

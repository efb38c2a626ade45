"""The tension index: daily scores on a continuous calendar, then a trailing kernel.

Per dyad and day ``d``: ``conflict(d)`` and ``cooperation(d)`` are the sums of the day's
event contributions (index points, both >= 0), ``net(d) = conflict(d) - cooperation(d)``
(positive = tension, negative = warmth) and ``n_events(d)`` counts the events behind them.
A day without events has a row with zeros. Two kernels turn ``net`` into ``tension``:

* **rolling** (``window`` days): ``tension(d) = sum(net(d - k) for k in 0 .. window - 1)``;
* **decay** (``half_life`` days): ``tension(d) = net(d) + 2**(-1/half_life) * tension(d - 1)``.

Both are causal (a day sees only its past) and linear in ``net``. Every dyad shares one
calendar, from the first to the last event in the data, and all dyads go through the same
compiled passes (numba) at once. Over the events: one pass finds the dyads and the calendar,
one computes each event's dyad x day cell, one adds the events to their cells. Over the
grid: one pass per block of dyads runs the kernel and writes the rows. Every sum is taken
in a fixed order (a cell's events in input order, a window's days oldest first), so the
numbers do not depend on the number of threads; the decay is, bit for bit, what
:func:`scipy.signal.lfilter` gives.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relscore._compiled import (
    add_to_cells,
    event_cells,
    in_threads,
    in_two_stages,
    kernel_rows,
    scan_pairs,
    write_rows,
)
from relscore.vocabulary import INDEX_COLUMNS, SPAN_DAYS, Calendar, calendar, dates_of

DEFAULT_HALF_LIFE = 14.0  # days


def dyad_codes(
    actor1: pd.Series, actor2: pd.Series, directed: bool = False
) -> tuple[np.ndarray, pd.Index]:
    """Encode each event's dyad as an integer and return the codes and the dyad labels.

    Undirected dyads (the default) put the two ISO codes in alphabetical order
    (``"IRN-PAK"``); directed ones keep initiator first (``"IRN>PAK"``). Labels come
    back sorted, so ``labels[codes]`` gives each event's dyad. Categorical actor columns
    (as importers produce them) are read through their codes, without hashing strings.

    Examples
    --------
    >>> import pandas as pd
    >>> actor1, actor2 = pd.Series(["PAK", "IRN", "IND"]), pd.Series(["IRN", "PAK", "PAK"])
    >>> codes, labels = dyad_codes(actor1, actor2)
    >>> codes, labels.tolist()
    (array([1, 1, 0]), ['IND-PAK', 'IRN-PAK'])
    >>> codes, labels = dyad_codes(actor1, actor2, directed=True)
    >>> labels[codes].tolist()
    ['PAK>IRN', 'IRN>PAK', 'IND>PAK']
    """
    (code1, names1), (code2, names2) = _actor_codes(actor1), _actor_codes(actor2)
    if (code1 < 0).any() or (code2 < 0).any():
        raise ValueError("actor1 and actor2 must not have missing values")
    pair = np.multiply(code1, len(names2), dtype=np.int64)
    pair += code2
    seen = np.bincount(pair, minlength=len(names1) * len(names2)) > 0
    table, labels = _dyad_table(seen, names1, names2, directed)
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

    Returns
    -------
    numpy.ndarray
        ``tension``, float64, the shape of ``net``. The rolling kernel adds a window's
        days oldest first; the decay kernel gives, bit for bit, what
        ``scipy.signal.lfilter([1], [1, -2**(-1/half_life)], net)`` gives.

    Examples
    --------
    Four days of net score (index points): 4 on the first day, 2 on the last.

    >>> import numpy as np
    >>> net = np.array([4.0, 0.0, 0.0, 2.0])
    >>> apply_kernel(net, window=2)  # each day plus the day before
    array([4., 4., 0., 2.])
    >>> apply_kernel(net, half_life=1)  # halved every day, then the day's net added
    array([4. , 2. , 1. , 2.5])

    Each row of a 2-D array (one dyad per row) runs on its own:

    >>> apply_kernel(np.array([[4.0, 0.0, 0.0, 2.0], [0.0, 1.0, 0.0, 0.0]]), window=2)
    array([[4., 4., 0., 2.],
           [0., 1., 1., 0.]])
    """
    window, ratio = kernel_args(window, half_life)
    net = np.asarray(net, dtype=np.float64)
    if net.size == 0:
        return net.copy()
    rows = np.ascontiguousarray(net.reshape(-1, net.shape[-1]))
    tension = np.empty_like(rows)

    def run(lo: int, hi: int) -> None:
        kernel_rows(rows, tension, window, ratio, lo, hi)

    in_threads(run, len(rows), rows.size)
    return tension.reshape(net.shape)


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

    Examples
    --------
    Two strikes of weight -10 (10 points of conflict each), two days apart, one each way:

    >>> import pandas as pd
    >>> coded = pd.DataFrame({
    ...     "date": pd.to_datetime(["2024-01-16", "2024-01-18"]),
    ...     "actor1": ["IRN", "PAK"], "actor2": ["PAK", "IRN"],
    ...     "conflict": [10.0, 10.0], "cooperation": [0.0, 0.0]})
    >>> index = tension_index(coded, half_life=14)
    >>> index.round({"tension": 2})
          dyad       date  n_events  conflict  cooperation   net  tension
    0  IRN-PAK 2024-01-16         1      10.0          0.0  10.0    10.00
    1  IRN-PAK 2024-01-17         0       0.0          0.0   0.0     9.52
    2  IRN-PAK 2024-01-18         1      10.0          0.0  10.0    19.06

    The day between has a row of its own, with no event; the first strike has faded to
    ``10 * 2**(-1/14) = 9.52`` points on it and to ``10 * 2**(-2/14) = 9.06`` when the
    second one adds its 10.
    """
    if coded.empty:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in INDEX_COLUMNS})
    window, ratio = kernel_args(window, half_life)
    grid, cal, labels = _daily_grid(coded, directed, start, end)
    n_dyads, n_days = grid.shape[:2]
    lo = cal.keep.start
    days = np.arange(cal.first_day, cal.first_day + n_days)[cal.keep]
    days = dates_of(days)
    shape = (n_dyads, len(days))
    columns = {
        "dyad": np.empty(shape, dtype=_code_dtype(len(labels))),
        "date": np.empty(shape, dtype="datetime64[s]"),
        "n_events": np.empty(shape, dtype=np.int64),
        **{name: np.empty(shape) for name in ("conflict", "cooperation", "net", "tension")},
    }

    def rows(first: int, last: int) -> None:  # dyads first .. last - 1
        block = slice(first, last)
        columns["dyad"][block] = np.arange(first, last)[:, np.newaxis]
        columns["date"][block] = days
        write_rows(grid, window, ratio, lo, first, last, *(columns[c] for c in INDEX_COLUMNS[2:]))

    if len(days):
        in_threads(rows, n_dyads, n_dyads * n_days)
    columns = {name: values.ravel() for name, values in columns.items()}
    columns["dyad"] = pd.Categorical.from_codes(columns["dyad"], categories=labels, validate=False)
    # copy=False: the columns are ours alone, so the frame can own them as they are.
    return pd.DataFrame(columns, copy=False)


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

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.date_range("2024-01-17", periods=5)
    >>> tension = pd.Series([5.0, 80.0, 60.0, 45.0, 70.0], index=days)
    >>> decay_from_peak(tension, half_life=1)
    2024-01-17     NaN
    2024-01-18    80.0
    2024-01-19    40.0
    2024-01-20    20.0
    2024-01-21    10.0
    Freq: D, Name: decay_only, dtype: float64

    The observed tension (60, 45, 70) stays above the decay alone: events kept it up.
    """
    peak_day = tension.idxmax()
    days = (tension.index - peak_day) / pd.Timedelta(days=1)
    decay = tension.max() * 2.0 ** (-np.asarray(days, dtype=float) / half_life)
    return pd.Series(np.where(days >= 0, decay, np.nan), index=tension.index, name="decay_only")


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

    Raises
    ------
    ValueError
        If a cell lies outside the grid.
    TypeError
        If ``cell`` is not an integer array.
    """
    cell = np.ascontiguousarray(cell)
    if cell.dtype.kind not in "iu":
        raise TypeError(f"cell must be integers, got {cell.dtype}")
    grid = np.zeros((n_dyads * n_days, 3))
    outside = add_to_cells(
        cell,
        np.ascontiguousarray(conflict, dtype=np.float64),
        np.ascontiguousarray(cooperation, dtype=np.float64),
        grid,
    )
    if outside >= 0:
        raise ValueError(
            f"event {outside}: cell {cell[outside]} is outside the {n_dyads} x {n_days} grid"
        )
    shape = (n_dyads, n_days)
    return (
        grid[:, 0].astype(np.int64).reshape(shape),
        np.ascontiguousarray(grid[:, 1]).reshape(shape),
        np.ascontiguousarray(grid[:, 2]).reshape(shape),
    )


def half_life_or_default(half_life: float | None) -> float:
    """``half_life`` in days, checked, or :data:`DEFAULT_HALF_LIFE` when it is None."""
    half_life = DEFAULT_HALF_LIFE if half_life is None else float(half_life)
    if not 0 < half_life <= SPAN_DAYS:
        raise ValueError(f"half_life must be > 0 days and at most {SPAN_DAYS}, got {half_life}")
    return half_life


def kernel_args(window: int | None, half_life: float | None) -> tuple[int, float]:
    """Check the kernel's arguments: ``(window, 0.0)`` for rolling, ``(0, ratio)`` for decay."""
    if window is not None and half_life is not None:
        raise ValueError("give either window or half_life, not both")
    if window is not None:
        if int(window) != window or not 1 <= window <= SPAN_DAYS:
            raise ValueError(
                f"window must be a whole number of days 1 ... {SPAN_DAYS}, got {window}"
            )
        return int(window), 0.0
    return 0, 2.0 ** (-1.0 / half_life_or_default(half_life))


def _daily_grid(
    coded: pd.DataFrame,
    directed: bool,
    start: str | pd.Timestamp | None,
    end: str | pd.Timestamp | None,
) -> tuple[np.ndarray, Calendar, pd.Index]:
    """Sum the events onto a dyad x day x (n_events, conflict, cooperation) grid.

    Returns the grid (float64; a cell's three sums side by side, so that adding an event
    touches one cache line), its :class:`Calendar` and the dyad labels.

    Two passes over the events. The first marks the pairs of actors that occur and finds
    the first and last date, a block of events per CPU. The second, chunk by chunk,
    computes each event's cell and adds the event to it, in event order. Adding is bound by
    cache misses (random cells of a grid much larger than the cache) and runs best in a loop
    that does nothing else, so the cells of the next chunk are computed on another CPU
    meanwhile (at 10 M events, a third less time than computing all cells beforehand, and
    less still than computing them in the adding loop).
    """
    stamps, per_day = _timestamps(coded["date"])
    (code1, names1), (code2, names2) = _actor_codes(coded["actor1"]), _actor_codes(coded["actor2"])
    seen, first, last = _scan_events(stamps, code1, len(names1), code2, len(names2))
    if first == np.iinfo(np.int64).min:  # NaT
        raise ValueError("date must not have missing values")
    cal = calendar(first // per_day, last // per_day, start, end)
    first_day, n_days = cal.first_day, cal.n_days
    table, labels = _dyad_table(seen, names1, names2, directed)
    grid = np.zeros((len(labels), n_days, 3))
    conflict = np.ascontiguousarray(coded["conflict"], dtype=np.float64)
    cooperation = np.ascontiguousarray(coded["cooperation"], dtype=np.float64)

    def cells(lo: int, hi: int, cell: np.ndarray) -> None:
        event_cells(
            stamps, per_day, first_day, n_days, code1, code2, len(names2), table, lo, hi, cell
        )

    def add(lo: int, hi: int, cell: np.ndarray) -> None:
        add_to_cells(cell[: hi - lo], conflict[lo:hi], cooperation[lo:hi], grid.reshape(-1, 3))

    small = grid.size // 3 <= np.iinfo(np.int32).max  # int32 cells: half the bytes to move
    in_two_stages(cells, add, len(stamps), np.int32 if small else np.int64)
    return grid, cal, labels


def _scan_events(
    stamps: np.ndarray, code1: np.ndarray, n1: int, code2: np.ndarray, n2: int
) -> tuple[np.ndarray, int, int]:
    """Which pairs of actor codes occur, a bool per ``code1 * n2 + code2``, and the first
    and last stamp. A block of events per CPU."""
    blocks = []

    def scan(lo: int, hi: int) -> None:
        seen = np.zeros(n1 * n2, dtype=np.bool_)
        blocks.append((seen, *scan_pairs(stamps, code1, code2, n2, seen, lo, hi)))

    in_threads(scan, len(stamps), len(stamps))
    if not all(complete for _, complete, _, _ in blocks):
        raise ValueError("actor1 and actor2 must not have missing values")
    seen = np.logical_or.reduce([seen for seen, *_ in blocks])  # or, min, max: in any order
    return seen, int(min(block[2] for block in blocks)), int(max(block[3] for block in blocks))


def _dyad_table(
    seen: np.ndarray, names1: np.ndarray, names2: np.ndarray, directed: bool
) -> tuple[np.ndarray, pd.Index]:
    """A table from each pair of actor codes, ``code1 * len(names2) + code2``, to its dyad
    code, and the sorted dyad labels. The names are sorted once; the pairs ``seen`` are
    sorted as integers and only then joined into labels."""
    seen = np.flatnonzero(seen)
    actors, rank = np.unique(np.concatenate([names1, names2]), return_inverse=True)
    first, second = rank[seen // len(names2)], rank[len(names1) + seen % len(names2)]
    if not directed:
        first, second = np.minimum(first, second), np.maximum(first, second)
    keys, dyad = np.unique(first * len(actors) + second, return_inverse=True)
    table = np.zeros(len(names1) * len(names2), dtype=np.int64)  # pairs not seen: unused
    table[seen] = dyad
    sep = ">" if directed else "-"
    labels = pd.Index(actors[keys // len(actors)] + sep + actors[keys % len(actors)], name="dyad")
    return table, labels


def _actor_codes(actors: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and the names they stand for: a categorical's own codes (no copy),
    otherwise :func:`pandas.factorize`."""
    if isinstance(actors.dtype, pd.CategoricalDtype):
        return actors.array.codes, np.asarray(actors.cat.categories, dtype=object)
    codes, names = pd.factorize(actors)
    return codes, np.asarray(names, dtype=object)


def _timestamps(dates: pd.Series) -> tuple[np.ndarray, int]:
    """Dates as int64 (a view when they are datetime64) and how many of their units make a day."""
    values = dates.to_numpy()
    if values.dtype.kind != "M":
        values = dates.to_numpy("datetime64[D]")
    unit, count = np.datetime_data(values.dtype)
    return values.view(np.int64), int(np.timedelta64(1, "D") // np.timedelta64(count, unit))


def _code_dtype(n_categories: int) -> type[np.signedinteger]:
    """The integer type pandas keeps a categorical's codes in (so it need not convert them)."""
    for dtype in (np.int8, np.int16, np.int32):
        if n_categories < np.iinfo(dtype).max:
            return dtype
    return np.int64


# Names that moved to relscore.vocabulary in 0.4; the old paths work for one release.
_MOVED_TO_VOCABULARY = ("Calendar", "calendar", "check_dyad", "day_number", "parse_dyad")


def __getattr__(name: str):
    if name in _MOVED_TO_VOCABULARY:
        import warnings

        import relscore.vocabulary

        warnings.warn(
            f"relscore.index.{name} moved to relscore.vocabulary.{name}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(relscore.vocabulary, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

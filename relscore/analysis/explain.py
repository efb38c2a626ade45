"""Explain an index value: the events behind a dyad's tension on a day.

The index is linear in the events. On day ``d`` each event ``i`` of the dyad, ``age =
d - day_i`` days old, contributes its signed net ``conflict_i - cooperation_i`` (index
points, positive = conflict) times the kernel's weight for its age:

* **decay** (``half_life`` days): ``2**(-age / half_life)`` for ``age >= 0``;
* **rolling** (``window`` days): 1 while ``age < window``, then 0.

An event after ``d`` contributes nothing. The contributions add up to the value
:func:`relscore.tension_index` gives for that dyad and day, to floating-point accuracy.
:func:`explain` lists them for one day; :func:`top_contributors` gives the largest few on
many days at once (the explorer's hover), looking only at the events recent enough to make
them. Neither loops in Python per event or per day.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from relscore._compiled import top_k_of_groups
from relscore.codebook import DEFAULT_SCHEME, Scheme
from relscore.coding import code_events
from relscore.index import apply_kernel, dyad_codes, half_life_or_default, kernel_args
from relscore.vocabulary import check_dyad, dates_of, day_number, iso_date, parse_dyad

DEFAULT_THRESHOLD = 0.01  # index points: a hundredth of a point, below what the CLI prints
CELLS = 2_000_000  # (day, event) pairs that top_contributors holds at once (16 MB of float64)
EXPLAIN_COLUMNS = (
    "event_id",
    "date",
    "event_code",
    "description",
    "source",
    "weight",
    "magnitude",
    "side",
    "net",
    "age_days",
    "kernel_factor",
    "contribution",
    "n_events",
)
_TEXT_COLUMNS = ("event_id", "event_code", "description", "source")


def explain(
    events_or_coded: pd.DataFrame,
    dyad: str,
    date: str | pd.Timestamp,
    *,
    scheme: str | Scheme | None = None,
    overrides: dict[str, float] | None = None,
    window: int | None = None,
    half_life: float | None = None,
    directed: bool = False,
    threshold: float = DEFAULT_THRESHOLD,
) -> pd.DataFrame:
    """Decompose a dyad's tension on one day into the events behind it.

    Parameters
    ----------
    events_or_coded : pandas.DataFrame
        Events (:func:`relscore.read_events`), coded here with ``scheme`` and
        ``overrides``; or events already coded (:func:`relscore.code_events`: they have
        ``conflict`` and ``cooperation``), taken as they are.
    dyad : str
        The dyad, as :func:`relscore.vocabulary.parse_dyad` reads it (``"IRN-PAK"``,
        ``"pak-irn"``; ``"IRN>PAK"`` with ``directed``).
    date : date-like
        The day explained; it must lie on the index's calendar (from the first to the last
        event in the data, every dyad's).
    scheme : str or Scheme, optional
        How events are scored (default ``"magnitude"``); only for uncoded events.
    overrides : dict of str to float, optional
        CAMEO code to weight (Goldstein scale); only for uncoded events.
    window, half_life : optional
        The kernel, as for :func:`relscore.tension_index`: trailing window (days) or decay
        half-life (days); default decay with a 14-day half-life.
    directed : bool, default False
        Read ``dyad`` as directed (initiator first), as :func:`relscore.tension_index` does.
    threshold : float, default 0.01
        Index points. Events whose contribution on ``date`` is smaller than this in absolute
        value (faded by the decay, out of the window, or of weight zero) are folded into one
        last row, still counted in the sum.

    Returns
    -------
    pandas.DataFrame
        One row per event of ``dyad`` up to ``date``, largest ``|contribution|`` first (ties
        in the data's order), then at most one folded row. Columns: ``event_id``, ``date``,
        ``event_code``, ``description``, ``source`` (as in the data), ``weight`` (Goldstein
        scale), ``magnitude`` (multiplier), ``side`` (``"conflict"``, ``"cooperation"`` or
        ``"neutral"``), ``net`` (``conflict - cooperation`` on the event's own day, index
        points), ``age_days``, ``kernel_factor`` (what the kernel keeps of ``net`` at that
        age, 0 ... 1), ``contribution`` (``net * kernel_factor``, index points) and
        ``n_events`` (1; for the folded row, how many events it holds, whose
        ``description`` says so and whose per-event columns are missing).
        ``contribution`` sums to the dyad's ``tension`` on ``date``.

    Raises
    ------
    UnknownDyadError
        If the data hold no event of ``dyad``.
    ValueError
        If ``date`` lies outside the data's calendar, or ``scheme`` or ``overrides`` are
        given with events already coded.

    Examples
    --------
    >>> import relscore
    >>> events = relscore.datasets.load("iran_pakistan")
    >>> table = relscore.explain(events, "IRN-PAK", "2024-01-18")
    >>> print(f"{table['contribution'].sum():.2f}")  # = tension_index(...) on that day
    80.94
    >>> columns = ["date", "event_code", "side", "age_days", "contribution"]
    >>> table[columns].head(4).round({"contribution": 2})
            date event_code         side  age_days  contribution
    0 2024-01-18        195     conflict         0         40.00
    1 2024-01-16        195     conflict         2         26.76
    2 2024-01-16        062  cooperation         2        -13.40
    3 2024-01-17        161     conflict         1          7.61

    Pakistan's strikes near Saravan that day add 40 points, Iran's in Panjgur two days
    before still 26.76; the last row holds the events that have faded below 0.01 points:

    >>> print(table["description"].iloc[-1], "; in all", table["n_events"].sum(), "events")
    182 older events, each below 0.01 points this day ; in all 206 events
    """
    if not threshold >= 0:
        raise ValueError(f"threshold must be >= 0 index points, got {threshold}")
    coded, first_day, last_day = _dyad_events(events_or_coded, dyad, scheme, overrides, directed)
    day = check_day(first_day, last_day, date)
    before = coded["day"].to_numpy() <= day
    coded = coded[before]
    factor = kernel_factors(np.array([day]), coded["day"].to_numpy(), window, half_life)[0]
    net = coded["net"].to_numpy()
    contribution = net * factor
    order = np.argsort(-np.abs(contribution), kind="stable")
    shown = order[np.abs(contribution[order]) >= threshold]
    faint = order[np.abs(contribution[order]) < threshold]
    rows = coded.iloc[shown]
    columns = {
        **{name: _text(rows, name) for name in _TEXT_COLUMNS},
        "date": rows["date"].to_numpy(dtype="datetime64[s]"),
        "weight": rows["weight"].to_numpy(dtype=float),
        "magnitude": rows["magnitude"].to_numpy(dtype=float),
        "side": _side(net[shown]),
        "net": net[shown],
        "age_days": day - rows["day"].to_numpy(),
        "kernel_factor": factor[shown],
        "contribution": contribution[shown],
        "n_events": np.ones(len(shown), dtype=np.int64),
    }
    table = pd.DataFrame({name: columns[name] for name in EXPLAIN_COLUMNS})
    table = table.astype({"age_days": "Int64", "side": "str"})
    if len(faint):
        folded = {
            "description": f"{len(faint)} older events, each below {threshold:g} points this day",
            "net": float(net[faint].sum()),
            "contribution": float(contribution[faint].sum()),
            "n_events": len(faint),
        }
        table = _append_row(table, folded)
    return table


def top_contributors(
    events_or_coded: pd.DataFrame,
    dyad: str,
    dates: Sequence | pd.Series | np.ndarray,
    *,
    k: int = 3,
    scheme: str | Scheme | None = None,
    overrides: dict[str, float] | None = None,
    window: int | None = None,
    half_life: float | None = None,
    directed: bool = False,
) -> pd.DataFrame:
    """The ``k`` events that contribute most to a dyad's tension on each of many days.

    The same decomposition as :func:`explain` (same parameters), for many days in one
    array operation.

    Parameters
    ----------
    dates : sequence of date-like
        The days, each on the data's calendar.
    k : int, default 3
        How many events per day, at most (fewer on a day with fewer events behind it).

    Returns
    -------
    pandas.DataFrame
        One row per day and rank, by day then rank: ``date``, ``rank`` (1 = largest
        ``|contribution|``; ties in the data's order), ``event`` (the event's row label in
        ``events_or_coded``), ``contribution`` (index points, signed like ``net``) and
        ``tension`` (the day's sum over every event, index points). Only events that
        contribute (``contribution != 0``) are listed.

    Examples
    --------
    >>> import relscore
    >>> events = relscore.datasets.load("iran_pakistan")
    >>> top = top_contributors(events, "IRN-PAK", ["2024-01-18", "2024-01-30"], k=2)
    >>> top.round({"contribution": 2, "tension": 2})
            date  rank  event  contribution  tension
    0 2024-01-18     1    201         40.00    80.94
    1 2024-01-18     2    190         26.76    80.94
    2 2024-01-30     1    201         22.08    21.59
    3 2024-01-30     2    190         14.77    21.59
    """
    if int(k) != k or k < 1:
        raise ValueError(f"k must be a whole number >= 1, got {k}")
    kernel_args(window, half_life)  # checks both, as the index does
    coded, first_day, last_day = _dyad_events(events_or_coded, dyad, scheme, overrides, directed)
    days = check_days(first_day, last_day, dates)
    k = min(int(k), len(coded))
    event_days, net = coded["day"].to_numpy(), coded["net"].to_numpy()
    kernel = {"window": window} if window else {"half_life": half_life_or_default(half_life)}
    event, picked = _top_k(days, event_days, net, k, kernel)
    keep = (picked != 0).ravel()
    n_days = int(days.max(initial=first_day)) - first_day + 1
    daily = np.bincount(event_days - first_day, net, minlength=n_days)
    tension = apply_kernel(daily, **kernel)[days - first_day]
    return pd.DataFrame(
        {
            "date": dates_of(np.repeat(days, k)),
            "rank": np.tile(np.arange(1, k + 1), len(days)),
            "event": coded.index.to_numpy()[event.ravel()],
            "contribution": picked.ravel(),
            "tension": np.repeat(tension, k),
        }
    )[keep].reset_index(drop=True)


def _top_k(days, event_days, net, k: int, kernel: dict) -> tuple[np.ndarray, np.ndarray]:
    """Per day, the positions of the ``k`` events with the largest ``|contribution|`` (ties
    in the data's order) and those contributions; 0 where a day has fewer.

    Only recent events are looked at: those of the window, or (decay) those of a reach that
    doubles for each day until no older event could make its top ``k`` -- the largest
    older ``|net|`` times the kernel's weight just past the reach is below the ``k``-th
    contribution found (weights and products only shrink with age, rounding included).
    """
    by_day = np.argsort(event_days, kind="stable")
    sorted_days = event_days[by_day]
    largest_before = np.maximum.accumulate(np.abs(net[by_day]))  # of the first i + 1
    window = kernel.get("window")
    reach = np.full(len(days), window - 1 if window else 4 * int(np.ceil(kernel["half_life"])))
    event, picked = np.zeros((len(days), k), np.int64), np.zeros((len(days), k))
    todo = np.arange(len(days))
    while len(todo):
        lo = np.searchsorted(sorted_days, days[todo] - reach[todo], "left")
        hi = np.searchsorted(sorted_days, days[todo], "right")
        for block in _blocks(hi - lo):
            event[todo[block]], picked[todo[block]] = _top_in_ranges(
                days[todo[block]], lo[block], hi[block], by_day, event_days, net, k, kernel
            )
        older = largest_before[np.maximum(lo - 1, 0)] * (lo > 0)
        bound = older * _factor(reach[todo] + 1, kernel)
        done = (bound == 0) | (bound < np.abs(picked[todo, -1]))
        reach[todo[~done]] *= 2
        todo = todo[~done]
    return event, picked


def _blocks(sizes: np.ndarray) -> list[slice]:
    """Consecutive slices of ``sizes`` whose sum stays about :data:`CELLS`."""
    block = (np.cumsum(sizes) - sizes) // CELLS  # each day's, by the cells before it
    bounds = [0, *(np.flatnonzero(np.diff(block)) + 1), len(sizes)]
    return [slice(lo, hi) for lo, hi in itertools.pairwise(bounds) if hi > lo]


def _top_in_ranges(days, lo, hi, by_day, event_days, net, k, kernel):
    """:func:`_top_k` for each day over the events ``by_day[lo : hi]`` only."""
    lengths = hi - lo
    which = np.repeat(np.arange(len(days)), lengths)
    at = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    position = by_day[at + np.repeat(lo, lengths)]
    contribution = _factor(days[which] - event_days[position], kernel) * net[position]
    event, picked = np.zeros((len(days), k), np.int64), np.zeros((len(days), k))
    starts = np.r_[0, np.cumsum(lengths)]
    top_k_of_groups(contribution, position, starts, k, event, picked)  # a stable argsort's
    return event, picked


def _factor(age: np.ndarray, kernel: dict) -> np.ndarray:
    """What the kernel keeps of an event's net score at each ``age`` (days, int)."""
    if kernel.get("window"):
        return ((age >= 0) & (age < kernel["window"])).astype(np.float64)
    fading = np.exp2(-np.maximum(age, 0) / kernel["half_life"])
    return np.where(age >= 0, fading, 0.0)


def kernel_factors(
    days: np.ndarray,
    event_days: np.ndarray,
    window: int | None = None,
    half_life: float | None = None,
) -> np.ndarray:
    """What the kernel keeps of each event's net score on each day.

    Parameters
    ----------
    days, event_days : numpy.ndarray of int
        Days since 1970-01-01 (:func:`relscore.vocabulary.day_number`): the days asked about and
        the events' days.
    window, half_life : optional
        The kernel (days), as for :func:`relscore.apply_kernel`.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(days), len(event_days))``, in 0 ... 1: ``2**(-age / half_life)``
        (decay) or ``age < window`` (rolling) where ``age = day - event_day >= 0``, else 0.

    Examples
    --------
    >>> kernel_factors(np.array([14, 28]), np.array([0, 14, 20]), half_life=14)
    array([[0.5      , 1.       , 0.       ],
           [0.25     , 0.5      , 0.6729501]])
    >>> kernel_factors(np.array([14, 28]), np.array([0, 14, 20]), window=10)
    array([[0., 1., 0.],
           [0., 0., 1.]])
    """
    window, _ = kernel_args(window, half_life)  # checks both, as the index does
    age = np.asarray(days, dtype=np.int64)[:, np.newaxis] - np.asarray(event_days, np.int64)
    kernel = {"window": window} if window else {"half_life": half_life_or_default(half_life)}
    return _factor(age, kernel)


def check_day(first_day: int, last_day: int, date: str | pd.Timestamp) -> int:
    """``date`` as a day number (days since 1970-01-01), checked against the calendar.

    Raises
    ------
    ValueError
        If ``date`` is not a date, or lies before ``first_day`` or after ``last_day``.
    """
    return int(check_days(first_day, last_day, [date])[0])


def check_days(first_day: int, last_day: int, dates) -> np.ndarray:
    """:func:`check_day` for many dates at once: their day numbers, int64."""
    days = pd.to_datetime(pd.Series(dates)).to_numpy("datetime64[D]").astype(np.int64)
    outside = (days < first_day) | (days > last_day)
    if outside.any():
        first, last = iso_date(first_day), iso_date(last_day)
        bad = iso_date(days[outside][0])
        raise ValueError(f"date {bad} is outside the data, which run from {first} to {last}")
    return days


def data_days(coded: pd.DataFrame) -> tuple[int, int]:
    """The first and last day (days since 1970-01-01) of the events' calendar."""
    dates = coded["date"]
    return day_number(dates.min()), day_number(dates.max())


def _dyad_events(
    events_or_coded: pd.DataFrame,
    dyad: str,
    scheme: str | Scheme | None,
    overrides: dict[str, float] | None,
    directed: bool,
) -> tuple[pd.DataFrame, int, int]:
    """The coded events of ``dyad`` with their ``day`` and signed ``net``, and the data's
    first and last day (every dyad's: the calendar of :func:`relscore.tension_index`)."""
    if {"conflict", "cooperation"} <= set(events_or_coded.columns):
        if scheme is not None or overrides is not None:
            raise ValueError(
                "the events are already coded: give scheme and overrides to code_events, "
                "or pass uncoded events"
            )
        coded = events_or_coded
    else:
        coded = code_events(events_or_coded, scheme or DEFAULT_SCHEME, overrides)
    if coded.empty:
        raise ValueError("there are no events to explain")
    codes, labels = dyad_codes(coded["actor1"], coded["actor2"], directed)
    at = check_dyad(labels, parse_dyad(dyad, directed))
    first_day, last_day = data_days(coded)
    mine = coded[codes == at]
    mine = mine.assign(
        day=mine["date"].to_numpy(dtype="datetime64[D]").astype(np.int64),
        net=mine["conflict"].to_numpy(dtype=float) - mine["cooperation"].to_numpy(dtype=float),
    )
    return mine, first_day, last_day


def _append_row(table: pd.DataFrame, values: dict) -> pd.DataFrame:
    """``table`` with one more row: ``values``, missing in the other columns (dtypes kept)."""
    return pd.DataFrame(
        {
            name: pd.concat(
                [column, pd.Series([values.get(name)], dtype=column.dtype)], ignore_index=True
            )
            for name, column in table.items()
        }
    )


def _text(rows: pd.DataFrame, name: str) -> pd.Series:
    """A text column of the events as strings (missing where the data have none)."""
    if name not in rows:
        return pd.Series(pd.NA, index=rows.index, dtype="str").to_numpy()
    return rows[name].astype("str").to_numpy()


def _side(net: np.ndarray) -> np.ndarray:
    return np.select([net > 0, net < 0], ["conflict", "cooperation"], "neutral")

"""Alerts: say when a relationship breaks its own record, once, at the onset.

**The definition** (one for the package: ``relscore alerts``, ``relscore update``, the watch
page and the back-test read it here). For each dyad, from its own series only:

1. *The series read* (``series``). By default the dyad's **conflict** stream run through
   the index's own kernel (decay, half-life 14 days, unless the index was built with
   another): the conflictual part of each event, fading as the index fades, with
   cooperation left out -- as in the index, a cooperative statement must not hide a strike
   from view, and an alert should fire on the day of the strike, not the day after the
   talks that came with it. ``series="tension"`` reads the index itself (net of
   cooperation). ``docs/trust.md`` compares them, and a 30-day sum, on the known crises.
2. *A record.* Day ``d`` beats its own history when its value is higher than every day of
   the **year** before it (level ``"1 year"``), of the **three years** before it (``"3
   years"``), or of the dyad's whole history when that is three years or longer
   (``"record"``); the level is the longest of these it beats. The dyad's history starts at
   its first event, so other dyads and files change nothing; a dyad with less than a year
   of history does not alert (a record over a few weeks says little).
3. *A floor.* The value is at least ``floor`` index points: by default twice the largest
   score one event can carry without deaths under the default scheme (two events of the
   most conflictual kind, :func:`floor_of`), so one stray report -- a mis-coded article --
   cannot alert, whatever the quiet that came before it.
4. *Onset only.* A record broken and then held or beaten again the next days is one
   alert: after an alert the dyad stays quiet for ``quiet_days`` days at that level and
   below; only a higher level (a one-year record growing into a three-year one) speaks in
   that time.

The model is OCHA's HDX Signals, which alerts on a 30-day sum of reported conflict deaths
when it reaches its highest level in one year (medium) or in three years (high), never
below a minimum count, and then keeps quiet for 180 days unless the level rises
(``OCHA-DAP/hdx-signals``: ``src/utils/alert_daily_ts.R``, ``src/signals/filter_alerts.R``;
its armed-conflict method page). Two choices differ, for reasons of this index: the
series fades with the index's kernel rather than summing 30 days (an event's weight is the
same for the index and its alert, and ``window=30`` gives the 30-day sum); the quiet
period is 90 days, not 180, because relations between two states can turn twice in half a
year (Iran and Israel struck each other in April and again in October 2024), while after
90 days the index holds less than 2 % of any event (2^(-90/14)): a record then is new
events, not the last alert's echo.

Every alert comes with the value, the previous record of its level and that record's
date, the last earlier day the series was as high (``since``), and, given the events, the
three events that weigh most on the value (the decomposition of
:func:`relscore.explain`, on the series read).

The scan is one compiled walk along each dyad's days (:mod:`._alert_kernel`), on blocks of
dyads laid on dense grids, so memory is one block however many dyads there are.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from relscore.analysis._alert_kernel import scan_rows
from relscore.analysis.explain import CELLS, DEFAULT_THRESHOLD, kernel_factors
from relscore.codebook import DEFAULT_SCHEME, Scheme, load_codebook, weights_table
from relscore.coding import code_events
from relscore.index import apply_kernel, dyad_codes, half_life_or_default, kernel_args
from relscore.scale.kernel import block_size, cell_grids
from relscore.scale.local import Cells, plan_blocks
from relscore.vocabulary import calendar, dates_of, day_numbers

SERIES = ("conflict", "tension")  # what an alert reads (see the module docstring)
DEFAULT_SERIES = "conflict"
LEVELS = ("1 year", "3 years", "record")  # lowest first
LEVEL_WORDS = {
    "1 year": "highest in a year",
    "3 years": "highest in three years",
    "record": "highest on record",
}
YEAR_DAYS = 365  # the span of "1 year", and the history a dyad needs before it alerts
THREE_YEAR_DAYS = 1095
QUIET_DAYS = 90
FLOOR = 40.0  # index points: floor_of(DEFAULT_SCHEME)
TOP = 3  # events listed per alert
DECAY_REACH = 20  # half-lives: an older event keeps less than a millionth of its score
ALERT_COLUMNS = (
    "dyad",
    "date",
    "level",
    "value",
    "previous_record",
    "previous_record_date",
    "since",
    *(f"{what}_{k}" for k in range(1, TOP + 1) for what in ("event", "source", "contribution")),
)
STANDING_COLUMNS = ("dyad", "first_event", "last_day", "n_events", "peak_date", "peak", "since")


def floor_of(scheme: str | Scheme = DEFAULT_SCHEME, overrides: dict | None = None) -> float:
    """The ``floor`` that suits a scheme: twice the largest conflict one event scores under
    it without deaths (index points), so that no single report alerts.

    >>> floor_of("magnitude"), floor_of("goldstein"), floor_of("quad")
    (40.0, 20.0, 4.0)
    """
    table = weights_table(scheme, overrides)
    codes = table.index[table["weight"].notna()]
    one = code_events(pd.DataFrame({"event_code": codes.to_numpy(dtype=str)}), scheme, overrides)
    return 2.0 * float(one["conflict"].max())


@dataclass(frozen=True)
class Block:
    """Consecutive dyads on one dense calendar: labels, the first day (days since
    1970-01-01), ``n_events`` and ``reading`` (the series an alert reads), each ``dyads x
    days``."""

    labels: np.ndarray
    first_day: int
    n_events: np.ndarray
    reading: np.ndarray


def alerts(
    index: pd.DataFrame,
    events: pd.DataFrame | None = None,
    *,
    series: str = DEFAULT_SERIES,
    window: int | None = None,
    half_life: float | None = None,
    floor: float = FLOOR,
    quiet_days: int = QUIET_DAYS,
    since: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The alerts of every dyad of an index: the days it broke its own record, at the onset.

    Parameters
    ----------
    index : pandas.DataFrame
        Output of :func:`relscore.tension_index` (or :func:`relscore.read_index`): ``dyad``,
        ``date``, ``n_events``, ``conflict`` and ``tension``, each dyad on a continuous
        daily calendar. Give the whole index: a dyad's history is read from its first row.
    events : pandas.DataFrame, optional
        The coded events the index was computed from (:func:`relscore.code_events`), for
        the three events behind each alert; without them those columns are empty.
    series : {"conflict", "tension"}, default "conflict"
        What an alert reads: the conflict stream under the index's kernel, or the index.
    window, half_life : optional
        The kernel that built ``index`` (days), as given to :func:`relscore.tension_index`;
        default the decay with a 14-day half-life. It runs the conflict stream.
    floor : float, default 40.0
        The least value that alerts (index points): two of the strongest events, so that one
        stray report cannot alert; :func:`floor_of` gives the value that suits another
        scheme (20 for ``goldstein``, 4 for ``quad``).
    quiet_days : int, default 90
        Days after an alert in which the dyad alerts again only at a higher level: one
        alert for one surge, and the index keeps under 2 % of an event 90 days on.
    since : date-like, optional
        Keep the alerts from this day on (history before it is still read).

    Returns
    -------
    pandas.DataFrame
        One row per alert, by dyad then date, columns :data:`ALERT_COLUMNS`: ``dyad``,
        ``date``, ``level`` (``"1 year"``, ``"3 years"`` or ``"record"``), ``value`` (index
        points), ``previous_record`` and ``previous_record_date`` (the record it broke: the
        highest day of the level's span before the rise that led to the alert began),
        ``since`` (the last earlier day at least as high; missing when the dyad never was),
        and for ``k`` = 1, 2, 3: ``event_k`` (date, CAMEO code and description),
        ``source_k`` and ``contribution_k`` (its part of the value, index points).

    Examples
    --------
    Iran and Pakistan, 1947-2025: the January 2024 strikes alert on the 17th, the first
    day the conflict of the 16th and 17th passes the floor (40 points), as the highest on
    record; a raid in 2014 and mortar fire in 2017, each one deadly report, stay below it.

    >>> import relscore
    >>> coded = relscore.code_events(relscore.datasets.load("iran_pakistan"))
    >>> table = alerts(relscore.tension_index(coded), coded)
    >>> columns = ["dyad", "date", "level", "value", "previous_record", "previous_record_date"]
    >>> table[columns].round({"value": 1, "previous_record": 1})
          dyad       date   level  value  previous_record previous_record_date
    0  IRN-PAK 2024-01-17  record   71.0             30.0           2017-05-27

    The events that weigh most on it, the strike of the 16th first:

    >>> for k in (1, 2, 3):
    ...     print(f"{table.loc[0, f'contribution_{k}']:+5.1f}", table.loc[0, f"event_{k}"][:56])
    +28.1 2024-01-16 195 Iran's Revolutionary Guards fired missile
     +8.0 2024-01-17 161 Pakistan announced it was recalling its a
     +8.0 2024-01-17 161 Pakistan told Iran that its ambassador to
    """
    check_settings(series, floor, quiet_days, window, half_life)
    blocks = index_blocks(index, series, window, half_life)
    table, _ = scan(blocks, floor, quiet_days)
    if since is not None:
        table = table[table["date"] >= pd.Timestamp(since)].reset_index(drop=True)
    if events is not None:
        table = with_top_events(table, events, series, window, half_life)
    return table


def check_settings(series, floor, quiet_days, window, half_life) -> None:
    """Raise ValueError for a setting of :func:`alerts` out of its range."""
    if series not in SERIES:
        raise ValueError(f"series must be one of {', '.join(SERIES)}, got {series!r}")
    if not (np.isfinite(floor) and floor > 0):
        raise ValueError(f"floor must be a number of index points > 0, got {floor}")
    if int(quiet_days) != quiet_days or quiet_days < 0:
        raise ValueError(f"quiet_days must be a whole number >= 0, got {quiet_days}")
    kernel_args(window, half_life)


def scan(
    blocks: Iterator[Block], floor: float, quiet_days: int, recent_days: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the alert definition over blocks of dyads.

    Returns
    -------
    alerts : pandas.DataFrame
        The columns of :data:`ALERT_COLUMNS` (the events empty: :func:`with_top_events`
        adds them), by dyad and date.
    standing : pandas.DataFrame
        One row per dyad with an event, :data:`STANDING_COLUMNS`: its ``first_event``, the
        calendar's ``last_day``, its ``n_events``, its highest day of the last
        ``recent_days`` days (``peak_date``, ``peak``) and the last day before that it was
        as high (``since``; missing if never since its first event).
    """
    found, standing = [], []
    for block in blocks:
        has = block.n_events > 0
        first = np.where(has.any(axis=1), has.argmax(axis=1), -1)
        values = np.ascontiguousarray(block.reading, dtype=np.float64)
        rows = _scan_block(values, first, floor, quiet_days)
        r, t, level, record, prev = (rows[:, k] for k in range(5))
        found.append(
            pd.DataFrame(
                {
                    "dyad": block.labels[r],
                    "date": dates_of(block.first_day + t),
                    "level": np.asarray(LEVELS, dtype=object)[level],
                    "value": values[r, t],
                    "previous_record": np.where(
                        record >= 0, values[r, np.maximum(record, 0)], np.nan
                    ),
                    "previous_record_date": _dates_or_missing(block.first_day, record),
                    "since": _dates_or_missing(block.first_day, prev),
                }
            )
        )
        standing.append(_standing(block, values, first, recent_days))
    table = _concat(found, _empty_alerts())
    table = table.astype({"dyad": "str", "level": "str"}).sort_values(
        ["dyad", "date"], ignore_index=True, kind="stable"
    )
    return _with_event_columns(table), _concat(standing, _empty_standing()).astype({"dyad": "str"})


def _standing(block: Block, values: np.ndarray, first: np.ndarray, recent_days: int):
    """Each dyad's highest day of the last ``recent_days`` and the last day before it that
    was as high, within its history (from its first event)."""
    busy = np.flatnonzero(first >= 0)
    values, first = values[busy], first[busy]
    n_days = values.shape[1]
    lo = max(0, n_days - int(recent_days))
    peak_at = lo + values[:, lo:].argmax(axis=1)
    peak = values[np.arange(len(busy)), peak_at]
    day = np.arange(n_days)
    as_high = (values >= peak[:, None]) & (day < peak_at[:, None]) & (day >= first[:, None])
    since = np.where(as_high, day, -1).max(axis=1, initial=-1)
    return pd.DataFrame(
        {
            "dyad": block.labels[busy],
            "first_event": dates_of(block.first_day + first),
            "last_day": dates_of(np.full(len(busy), block.first_day + n_days - 1)),
            "n_events": block.n_events[busy].sum(axis=1).astype(np.int64),
            "peak_date": dates_of(block.first_day + peak_at),
            "peak": peak,
            "since": _dates_or_missing(block.first_day, since),
        }
    )


def _scan_block(values, first, floor, quiet_days) -> np.ndarray:
    """The kernel's alerts of one block (int64, one row each; the buffer grows until it
    holds them)."""
    capacity = 4 * len(values) + 16
    while True:
        found = np.empty((capacity, 5), np.int64)
        count = scan_rows(
            values, first, float(floor), int(quiet_days), YEAR_DAYS, THREE_YEAR_DAYS, found
        )
        if count >= 0:
            return found[:count]
        capacity *= 4


def index_blocks(
    index: pd.DataFrame,
    series: str = DEFAULT_SERIES,
    window: int | None = None,
    half_life: float | None = None,
) -> Iterator[Block]:
    """An index's dyads in blocks on one calendar (its first to its last date), with the
    series read: the index's ``tension``, or its ``conflict`` run through the kernel."""
    needed = {"dyad", "date", "n_events", "conflict" if series == "conflict" else "tension"}
    missing = needed - set(index.columns)
    if missing:
        raise ValueError(f"index lacks column(s): {', '.join(sorted(missing))}")
    if index.empty:
        return
    dyad = index["dyad"].astype("category")
    code = dyad.cat.codes.to_numpy(np.int64)
    labels = np.asarray(dyad.cat.categories, dtype=object)
    day = day_numbers(pd.to_datetime(index["date"]).to_numpy())
    first_day = int(day.min())
    n_days = int(day.max()) - first_day + 1
    cell = code * n_days + (day - first_day)
    if len(np.unique(cell)) != len(cell):
        raise ValueError("the index has two rows for one dyad and day")
    column = index["conflict" if series == "conflict" else "tension"].to_numpy(np.float64)
    n_events = index["n_events"].to_numpy(np.int64)
    size = block_size(n_days)
    for lo in range(0, len(labels), size):
        hi = min(lo + size, len(labels))
        rows = np.flatnonzero((code >= lo) & (code < hi))
        at = cell[rows] - lo * n_days
        grids = [np.zeros((hi - lo, n_days), dtype) for dtype in (np.int64, np.float64)]
        grids[0].ravel()[at] = n_events[rows]
        grids[1].ravel()[at] = column[rows]
        values = grids[1] if series == "tension" else apply_kernel(grids[1], window, half_life)
        yield Block(labels[lo:hi], first_day, grids[0], values)


def cell_blocks(
    cells: Cells,
    series: str = DEFAULT_SERIES,
    window: int | None = None,
    half_life: float | None = None,
    *,
    calendar_days: tuple[int, int] | None = None,
    max_memory: float | None = None,
) -> Iterator[Block]:
    """The dyads of an event store's or index folder's cells
    (:mod:`relscore.scale.local`) in blocks, the kernel run on each: the conflict stream,
    or the tension index exactly as the index has it. The calendar runs from the cells'
    first to their last day, or over ``calendar_days`` (first and last day, days since
    1970-01-01; a part of the dyads read on the calendar of all); the blocks' size keeps
    within ``max_memory`` bytes (default: the memory available)."""
    if not cells.n_cells:
        return
    cal = calendar(*(calendar_days or cells.day_range()))
    size = plan_blocks(cal, len(cells.labels), None, cells.n_cells, max_memory)
    for lo in range(0, len(cells.labels), size):
        hi = min(lo + size, len(cells.labels))
        n_events, conflict, cooperation = cell_grids(
            cells.block(lo, hi), hi - lo, cal.first_day, cal.n_days
        )
        stream = conflict if series == "conflict" else conflict - cooperation
        values = apply_kernel(stream, window=window, half_life=half_life)
        yield Block(cells.labels[lo:hi], cal.first_day, n_events, values)


def with_top_events(
    table: pd.DataFrame,
    coded: pd.DataFrame,
    series: str = DEFAULT_SERIES,
    window: int | None = None,
    half_life: float | None = None,
) -> pd.DataFrame:
    """``table`` (alerts) with the :data:`TOP` events that weigh most on each value.

    Each event of the alert's dyad up to its day contributes its conflict (``series``
    ``"conflict"``) or its net (``"tension"``) times the kernel's factor for its age, as
    :func:`relscore.explain` decomposes the index; the largest in absolute value come first
    (ties in the events' order), and only those that contribute at least explain's
    threshold (0.01 index points) are listed.
    """
    if not {"date", "actor1", "actor2", "conflict", "cooperation"} <= set(coded.columns):
        raise ValueError(
            "events must be coded (relscore.code_events): they lack conflict and cooperation"
        )
    table = _with_event_columns(table.copy())
    if table.empty or coded.empty:
        return table
    directed = table["dyad"].str.contains(">", regex=False).any()
    code, labels = dyad_codes(coded["actor1"], coded["actor2"], bool(directed))
    order = np.argsort(code, kind="stable")
    bounds = np.searchsorted(code[order], np.arange(len(labels) + 1))
    event_day = day_numbers(pd.to_datetime(coded["date"]).to_numpy())
    stream = coded["conflict"].to_numpy(np.float64)
    if series == "tension":
        stream = stream - coded["cooperation"].to_numpy(np.float64)
    at_label = {label: k for k, label in enumerate(labels)}
    picked = np.full((len(table), TOP), -1, np.int64)  # each alert's events, by position
    parts = np.full((len(table), TOP), np.nan)
    rows = pd.Series(np.arange(len(table)), index=table.index)
    for dyad, alerted in table.groupby("dyad", sort=False).groups.items():
        if dyad not in at_label:
            continue
        mine = order[bounds[at_label[dyad]] : bounds[at_label[dyad] + 1]]
        days = day_numbers(table.loc[alerted, "date"].to_numpy())
        at = rows[alerted].to_numpy()
        step = max(1, CELLS // max(1, len(mine)))  # days x events held at once
        for lo in range(0, len(days), step):
            part = kernel_factors(days[lo : lo + step], event_day[mine], window, half_life)
            part = part * stream[mine]
            top = np.argsort(-np.abs(part), axis=1, kind="stable")[:, :TOP]
            value = np.take_along_axis(part, top, axis=1)
            keep = np.abs(value) >= DEFAULT_THRESHOLD
            here = at[lo : lo + step, None]
            cols = np.arange(top.shape[1])
            picked[here, cols] = np.where(keep, mine[top], -1)
            parts[here, cols] = np.where(keep, value, np.nan)
    words = _event_words(coded)
    for k in range(TOP):
        chosen = picked[:, k] >= 0
        for what in ("event", "source"):
            column = np.full(len(table), None, dtype=object)
            column[chosen] = words[what][picked[chosen, k]]
            table[f"{what}_{k + 1}"] = pd.Series(column, index=table.index, dtype="str")
        table[f"contribution_{k + 1}"] = parts[:, k]
    return table


def event_days(
    table: pd.DataFrame, window: int | None = None, half_life: float | None = None
) -> pd.DataFrame:
    """For each alert (``dyad``, ``date``), the days whose events can weigh on its value:
    the kernel's window, or :data:`DECAY_REACH` half-lives of the decay (an older event
    keeps less than a millionth of its score); ``dyad``, ``first`` and ``last`` (days
    since 1970-01-01), as :func:`relscore.scale.cells.store_events` takes them.

    >>> alert = pd.DataFrame({"dyad": ["IRN-PAK"], "date": pd.to_datetime(["2024-01-17"])})
    >>> event_days(alert, half_life=14)
          dyad  first   last
    0  IRN-PAK  19459  19739
    """
    days, _ = kernel_args(window, half_life)
    reach = days - 1 if days else math.ceil(DECAY_REACH * half_life_or_default(half_life))
    last = day_numbers(pd.to_datetime(table["date"]).to_numpy())
    return pd.DataFrame({"dyad": table["dyad"].to_numpy(), "first": last - reach, "last": last})


def _event_words(coded: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each event as a reader sees it: ``"2024-01-16 195 Iran struck ..."`` (the code's
    description when the events have none, as imported ones do) and its source (the file
    and line it was read from when it names no source)."""
    codes = coded["event_code"].astype(str) if "event_code" in coded else pd.Series("", coded.index)
    if "description" in coded:
        text = coded["description"].astype(str)
    else:
        book = load_codebook()["description"]
        text = codes.map(book).fillna("")
    date = pd.to_datetime(coded["date"]).dt.strftime("%Y-%m-%d")
    event = (date + " " + codes + " " + text).str.strip()
    if "source" in coded:
        source = coded["source"].astype(str)
    elif {"file", "line"} <= set(coded.columns):
        source = coded["file"].astype(str) + " line " + coded["line"].astype(str)
    else:
        source = pd.Series("", index=coded.index)
    return {"event": event.to_numpy(dtype=object), "source": source.to_numpy(dtype=object)}


def _dates_or_missing(first_day: int, positions: np.ndarray) -> np.ndarray:
    out = dates_of(first_day + np.maximum(positions, 0))
    out[positions < 0] = np.datetime64("NaT")
    return out


def _concat(parts: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else empty


def _empty_alerts() -> pd.DataFrame:
    dtypes = {
        "dyad": "str",
        "date": "datetime64[s]",
        "level": "str",
        "value": "float64",
        "previous_record": "float64",
        "previous_record_date": "datetime64[s]",
        "since": "datetime64[s]",
    }
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})


def _empty_standing() -> pd.DataFrame:
    dtypes = {
        "dyad": "str",
        "first_event": "datetime64[s]",
        "last_day": "datetime64[s]",
        "n_events": "int64",
        "peak_date": "datetime64[s]",
        "peak": "float64",
        "since": "datetime64[s]",
    }
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})


def _with_event_columns(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every column of :data:`ALERT_COLUMNS`, the events' empty if absent."""
    for k in range(1, TOP + 1):
        for what, dtype in (("event", "str"), ("source", "str"), ("contribution", "float64")):
            name = f"{what}_{k}"
            if name not in table:
                table[name] = pd.Series(np.nan if dtype == "float64" else None, index=table.index)
                table[name] = table[name].astype(dtype)
    return table[list(ALERT_COLUMNS)]

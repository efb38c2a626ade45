"""The words every layer of relscore shares: dyads, days, months, calendars, date ranges,
the range of every value read, and the nearest known name for a mistyped one.

This module imports nothing of relscore's but its errors (:mod:`relscore.exceptions`, which
imports nothing), and every other module may import it: the readers, the kernel, the
analyses and the command line all count days and name dyads the same way, with the
functions below.

**Days** are whole numbers, days since 1970-01-01 (``int`` or an int64 array): the unit of
every grid, store and index folder. :func:`day_number` and :func:`day_numbers` make them
from dates, :func:`iso_date` and :func:`dates_of` turn them back, :func:`month_name` and
:func:`month_spans` cut them into calendar months.

**Dyads** are two ISO 3166-1 alpha-3 codes: ``"IRN-PAK"`` (undirected, sorted) or
``"IRN>PAK"`` (directed, initiator first); :func:`parse_dyad` reads how a person types one.

**Limits** (the range of every value relscore reads):

===================  ===========================  ==========================================
value                accepted                     outside it
===================  ===========================  ==========================================
event date           1800-01-01 ... 2100-12-31    events CSV: a problem on its line; GDELT,
                                                  ICEWS: the row is skipped as "bad date";
                                                  ``--start``/``--end``/``--since``/``--until``:
                                                  a usage error
fatalities           whole number 0 ... 10**7     a problem on its line
weight               finite, -10 ... +10          a problem on its line (events CSV, TOML)
a line of a file     at most 16 MiB (a row of an  events CSV: a problem on its line; GDELT,
                     events CSV, a line of GDELT  ICEWS: an error naming the file and line
                     or ICEWS)                    (read no further than the bound)
a span of days       1 ... 109,938 days (the      ``--window``, ``--half-life``: a usage
                     dates relscore reads)        error
===================  ===========================  ==========================================

The date range holds every event relscore is meant for (the oldest bundled event is from
the 1940s) and bounds a daily calendar at about 110,000 days, so no date typed by mistake
(``0019-10-24``, ``20190-10-24``) can ask for gigabytes of empty days. Ten million deaths is
above any single event on record; a larger number is a typo or a units mix-up. A GDELT or
ICEWS line is a few kilobytes and a hand-written row rarely more: the bound on a line is
there so that one damaged line (a missing newline, a quote never closed) costs a bounded
amount of memory and ends in an error naming it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from relscore.exceptions import UnknownDyadError

__all__ = [
    "DATE_MAX",
    "DATE_MIN",
    "DAY_MAX",
    "DAY_MIN",
    "FATALITIES_MAX",
    "INDEX_COLUMNS",
    "LINE_BYTES_MAX",
    "SPAN_DAYS",
    "WEIGHT_MAX",
    "WEIGHT_MIN",
    "Calendar",
    "calendar",
    "check_date_range",
    "check_dyad",
    "date_in_range",
    "dates_of",
    "day_number",
    "day_numbers",
    "did_you_mean",
    "iso_date",
    "month_name",
    "month_names",
    "month_spans",
    "month_start",
    "parse_dyad",
]

DATE_MIN = "1800-01-01"  # the first date relscore reads
DATE_MAX = "2100-12-31"  # the last
# The same bounds as days since 1970-01-01.
DAY_MIN = int(np.datetime64(DATE_MIN, "D").astype(np.int64))
DAY_MAX = int(np.datetime64(DATE_MAX, "D").astype(np.int64))
FATALITIES_MAX = 10_000_000
WEIGHT_MIN = -10.0  # the Goldstein scale's most conflictual
WEIGHT_MAX = 10.0  # and most cooperative
SPAN_DAYS = DAY_MAX - DAY_MIN + 1  # the longest window or half-life, in days
LINE_BYTES_MAX = 16 * 2**20  # the longest line (or row of an events CSV) a reader takes
# The columns of an index, one row per dyad per day (what `relscore index` writes).
INDEX_COLUMNS = ("dyad", "date", "n_events", "conflict", "cooperation", "net", "tension")


# --- days -----------------------------------------------------------------------------


def day_number(value: str | pd.Timestamp | np.datetime64) -> int:
    """A date as days since 1970-01-01, the day numbers every grid of relscore uses.

    Raises
    ------
    ValueError
        If ``value`` is not a date.

    Examples
    --------
    >>> day_number("1970-01-02"), day_number("2024-01-18")
    (1, 19740)
    """
    return int(np.datetime64(pd.Timestamp(value).date(), "D").astype(np.int64))


def day_numbers(values) -> np.ndarray:
    """Dates (datetime64 of any unit, or date strings) as days since 1970-01-01 (int64).

    >>> day_numbers(np.array(["2024-01-18T12:00"], "datetime64[s]"))
    array([19740])
    """
    values = np.asarray(values)
    if values.dtype.kind != "M":
        values = values.astype("datetime64[D]")
    return values.astype("datetime64[D]").astype(np.int64)


def iso_date(day: int) -> str:
    """A day (days since 1970-01-01) as ``YYYY-MM-DD``.

    >>> iso_date(19740)
    '2024-01-18'
    """
    return str(np.datetime64(int(day), "D"))


def dates_of(days) -> np.ndarray:
    """Days (since 1970-01-01) as ``datetime64[s]`` at midnight, the unit of every table
    relscore returns.

    >>> dates_of([19740])
    array(['2024-01-18T00:00:00'], dtype='datetime64[s]')
    """
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[s]")


def month_name(day: int) -> str:
    """The month (``YYYY-MM``) of a day (days since 1970-01-01).

    >>> month_name(19740)
    '2024-01'
    """
    return str(np.datetime64(int(day), "D").astype("datetime64[M]"))


def month_names(days: np.ndarray) -> np.ndarray:
    """Each day's (days since 1970-01-01) month as ``YYYY-MM``.

    >>> month_names(np.array([19740, 19754])).tolist()
    ['2024-01', '2024-02']
    """
    return np.datetime_as_string(np.asarray(days).astype("datetime64[D]").astype("datetime64[M]"))


def month_spans(first_day: int, last_day: int) -> list[tuple[str, int, int]]:
    """The calendar months of the days ``first_day ... last_day``: ``(YYYY-MM, first,
    last + 1)`` in days since 1970-01-01, the first and last month cut to the range.

    >>> month_spans(19752, 19784)  # 2024-01-30 ... 2024-03-02
    [('2024-01', 19752, 19754), ('2024-02', 19754, 19783), ('2024-03', 19783, 19785)]
    """
    if last_day < first_day:
        return []
    start = np.datetime64(int(first_day), "D").astype("datetime64[M]")
    stop = np.datetime64(int(last_day), "D").astype("datetime64[M]") + 1
    edges = np.arange(start, stop + 1).astype("datetime64[D]").astype(np.int64)
    edges[0], edges[-1] = first_day, last_day + 1
    names = np.datetime_as_string(np.arange(start, stop))
    return [(str(n), int(a), int(b)) for n, a, b in zip(names, edges[:-1], edges[1:], strict=True)]


def month_start(day: int) -> int:
    """The first day of ``day``'s month (days since 1970-01-01).

    >>> iso_date(month_start(19740))
    '2024-01-01'
    """
    return int(
        np.datetime64(int(day), "D")
        .astype("datetime64[M]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )


@dataclass(frozen=True)
class Calendar:
    """An index's days: the grid from ``first_day`` (days since 1970-01-01) for ``n_days``
    days, and the slice of it written (``start``/``end``)."""

    first_day: int
    n_days: int
    keep: slice

    @property
    def n_kept(self) -> int:
        """Days written per dyad."""
        return len(range(self.n_days)[self.keep])


def calendar(first_day: int, last_day: int, start=None, end=None) -> Calendar:
    """The calendar every dyad of an index shares: the days from the first event to the
    last (or to ``end``, if later); ``start``/``end`` (date-like) limit the rows written,
    not the days the kernel runs over.

    >>> calendar(19740, 19749, start="2024-01-20")
    Calendar(first_day=19740, n_days=10, keep=slice(2, 10, None))
    """
    if end is not None:
        last_day = max(last_day, day_number(end))
    n_days = last_day - first_day + 1
    lo = 0 if start is None else max(0, day_number(start) - first_day)
    hi = n_days if end is None else max(0, day_number(end) - first_day + 1)
    return Calendar(first_day, n_days, slice(lo, max(lo, hi)))


# --- date ranges and limits --------------------------------------------------------------


def date_in_range(text: str) -> bool:
    """Whether an ISO date ``YYYY-MM-DD`` lies within :data:`DATE_MIN` ... :data:`DATE_MAX`.

    >>> date_in_range("2019-10-24"), date_in_range("0001-01-01")
    (True, False)
    """
    return DATE_MIN <= text <= DATE_MAX


def check_date_range(first, last, names: tuple[str, str] = ("since", "until")) -> None:
    """Raise ValueError if the date ``first`` is after ``last`` (either may be None).

    ``names`` say what the two dates are called where they were given (a command line
    passes its flags, ``("--since", "--until")``).

    >>> check_date_range("2024-01-02", "2024-01-01")
    Traceback (most recent call last):
    ValueError: since 2024-01-02 is after until 2024-01-01
    """
    if first is None or last is None:
        return
    if pd.Timestamp(first) > pd.Timestamp(last):
        raise ValueError(f"{names[0]} {first} is after {names[1]} {last}")


# --- dyads -----------------------------------------------------------------------------


def parse_dyad(text: str, directed: bool | None = None) -> str:
    """A dyad as relscore writes it, from how a person types it.

    Parameters
    ----------
    text : str
        Two ISO 3166-1 alpha-3 codes joined by ``-`` (undirected) or ``>`` (initiator
        first), in any case: ``"pak-irn"``, ``"IRN>PAK"``.
    directed : bool, optional
        Force the reading: False sorts the two codes and joins them with ``-``, True keeps
        their order and joins them with ``>``. Default: directed if ``text`` has a ``>``.

    Returns
    -------
    str
        ``"IRN-PAK"`` or ``"IRN>PAK"``.

    Raises
    ------
    ValueError
        If ``text`` is not two different three-letter codes.

    Examples
    --------
    >>> parse_dyad("pak-irn"), parse_dyad("PAK>IRN"), parse_dyad("PAK-IRN", directed=True)
    ('IRN-PAK', 'PAK>IRN', 'PAK>IRN')
    """
    if directed is None:
        directed = ">" in text
    parts = text.strip().upper().replace(">", "-").split("-")
    if len(parts) != 2 or not all(len(p) == 3 and p.isascii() and p.isalpha() for p in parts):
        raise ValueError(f"a dyad is two ISO 3166-1 alpha-3 codes like IRN-PAK, got {text!r}")
    if parts[0] == parts[1]:
        raise ValueError(f"a dyad needs two different states, got {text!r}")
    first, second = parts if directed else sorted(parts)
    return f"{first}{'>' if directed else '-'}{second}"


def check_dyad(labels: Sequence[str], dyad: str) -> int:
    """The position of ``dyad`` in the sorted dyad ``labels``.

    Raises
    ------
    UnknownDyadError
        If the data hold no event of ``dyad``; the message lists the dyads they do hold.

    Examples
    --------
    >>> check_dyad(["IND-PAK", "IRN-PAK"], "IRN-PAK")
    1
    """
    at = int(np.searchsorted(np.asarray(labels, dtype=object), dyad))
    if at == len(labels) or labels[at] != dyad:
        raise UnknownDyadError(dyad, list(labels))
    return at


# --- names -----------------------------------------------------------------------------


def did_you_mean(word: str, known: Iterable[str], cutoff: float = 0.6) -> str:
    """``"; did you mean 'X'?"`` for the known name closest to a mistyped ``word``, or ``""``.

    >>> did_you_mean("indx", ["index", "episodes"])
    "; did you mean 'index'?"
    """
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=cutoff)
    return f"; did you mean {close[0]!r}?" if close else ""

"""Episodes: the peaks of a dyad's tension that stand out, and how fast each calmed down.

**The definition** (one for the whole package: the ``episodes`` command, the explorer, the
figures, robustness and the known-crises check all read it here). For each dyad, from its
own series only:

1. *The dyad's days.* The index from the day before the dyad's first event to
   ``horizon_days`` after its last event. Before the first event the index is 0; after the
   last it only fades (the data hold no later event of the dyad), so days past the index's
   end are continued by the kernel alone. Other dyads and the calendar's span change
   nothing.
2. *A peak that stands out.* A day higher than the days around it, from which the index
   falls below ``(1 - fall)`` of the peak -- below half, by default -- on each side before
   it meets a higher day or the dyad's edge (the peak's topographic *prominence* is at least
   ``fall`` x its height). Two surges with no such fall between them are one episode, its
   peak the higher; a surge inside a long conflict that rises from below half its height is
   an episode of its own.
3. *Clearly above the dyad's normal.* The peak exceeds the *baseline* by at least
   ``min_rise`` index points (5: half the weight of the most conflictual event on the
   Goldstein scale), so a quiet dyad's single statement does not count. The baseline is the
   median of the index over the ``baseline_days`` before the episode starts: the episode
   never raises its own bar, so a short file's crisis, with no history before it, is
   measured against 0, and a long conflict's level is its surges' floor.
4. *Its days.* The dyad's series is cut between consecutive episodes at the lowest day
   between their peaks. Within its stretch, an episode runs from the rise that first took
   the index to ``(1 - fall)`` x its peak (half of it, by default) -- from the day that
   rise began -- to the last day at or above that level. A smaller surge the index did not
   fall below half of before the peak is one of its days. Its ``n_events`` are the events
   of its days, and its **peak** is the index's own value on the peak day.

Episodes are ranked per dyad by their peak (``rank`` 1 = the highest).

**How fast it came down.** From the peak on, the *post-peak path* runs to the dyad's next
episode, ``horizon_days`` after the peak, or the dyad's edge (:mod:`relscore.analysis.halflife`):
``days_to_half`` observed, and ``half_life_days`` estimated with statsmodels (log-linear
OLS, 95 % interval). When no event moves the index after the peak within the fit window
(every day's net is 0), the path is the kernel's own decay and nothing is fitted: the
half-life is empty, and ``fit_note`` says so.

**Events or forgetting?** The decay kernel on its own halves the index every
``half_life`` days: that is ``mechanical_half_life``, and a fitted half-life whose whole
interval lies below it (``versus_decay == "faster"``) means events brought tension down,
not mere forgetting. ``mechanical_days_to_half`` is the same benchmark for the observed
measure. The rolling kernel has no exponential half-life (``mechanical_half_life`` is NaN):
without new events its tension stays flat and drops as the peak's events leave the window.

Worked example: one event of weight -10 on 1 January and nothing else, decay over 14 days.
The index is 10 that day, 9.52 the next, and so on; the peak (10, 1 January) rises from
the day before (0), stands 10 above a baseline of 0 (at least ``min_rise`` = 5), and covers
1-15 January (on the 15th the index is 5, half the peak; from the 16th it is below). No
event follows it, so ``days_to_half`` is 15 (the kernel's own) and no half-life is fitted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from relscore._compiled import farthest_days, rise_starts, trailing_minima, troughs
from relscore.analysis.halflife import (
    FIT_UNTIL,
    MAX_FIT_DAYS,
    MIN_FIT_DAYS,
    first_below_half,
    fit_lengths,
    half_life_fits,
    loglinear_slopes,
)
from relscore.codebook import DEFAULT_SCHEME, Scheme, base_weights
from relscore.index import half_life_or_default, kernel_args
from relscore.vocabulary import dates_of, day_numbers

EPISODE_COLUMNS = (
    "dyad",
    "rank",
    "start",
    "peak_date",
    "peak",
    "end",
    "n_events",
    "baseline",
    "days_to_half",
    "half_life_days",
    "half_life_low",
    "half_life_high",
    "fit_days",
    "kernel",
    "mechanical_half_life",
    "mechanical_days_to_half",
    "versus_decay",
    "fit_note",
)
FALL = 0.5  # an episode's peak rises from below half of it; its days are those above half
MIN_RISE = 5.0  # index points: half the most conflictual Goldstein weight (see min_rise_of)
NOTHING_TO_FIT = "no event moves the index after the peak: the path is the kernel's own decay"


@dataclass(frozen=True)
class Series:
    """Many series of daily values side by side in one array, each with its own days.

    ``tension``, ``net`` and ``n_events`` hold the series one after the other;
    ``bounds[i] : bounds[i + 1]`` are series ``i``'s positions, and ``first_day[i]`` the day
    (days since 1970-01-01) of its first position.
    """

    tension: np.ndarray
    net: np.ndarray
    n_events: np.ndarray
    bounds: np.ndarray
    first_day: np.ndarray

    @property
    def owner(self) -> np.ndarray:
        """The series of each position."""
        return np.repeat(np.arange(len(self.bounds) - 1), np.diff(self.bounds))


def episodes(
    index: pd.DataFrame,
    *,
    window: int | None = None,
    half_life: float | None = None,
    fall: float = FALL,
    baseline_days: int = 365,
    min_rise: float | np.ndarray = MIN_RISE,
    horizon_days: int = 365,
    fit_until: float = FIT_UNTIL,
    min_fit_days: int = MIN_FIT_DAYS,
    max_fit_days: int = MAX_FIT_DAYS,
    cov_type: str = "HAC",
    jobs: int = 1,
) -> pd.DataFrame:
    """Find each dyad's episodes and measure how fast each one calmed down.

    Parameters
    ----------
    index : pandas.DataFrame
        Output of :func:`relscore.tension_index` (or :func:`relscore.read_index`) for one
        dyad or many: ``dyad``, ``date``, ``n_events``, ``net`` and ``tension``, each dyad
        on a continuous daily calendar. Give the whole index: each dyad's series is read
        from its first event (rows cut by ``start`` are not there to read).
    window, half_life : optional
        The kernel that built ``index`` (days), as given to :func:`relscore.tension_index`;
        default the decay kernel with :data:`relscore.DEFAULT_HALF_LIFE`. It continues a
        dyad's series past the index's end and gives the mechanical benchmarks.
    fall : float, default 0.5
        How far the index must fall from a peak (a share of it) before a higher one, for
        the peak to be an episode of its own; an episode's days are those at or above
        ``1 - fall`` of its peak.
    baseline_days : int, default 365
        The days before an episode whose median is its baseline.
    min_rise : float, default 5.0
        How far the peak must rise above the baseline (index points): half the weight of
        the most conflictual event on the Goldstein scale. Scale it with the weights:
        :func:`min_rise_of` gives 1 for the ``quad`` scheme, whose weights are +-1 and +-2.
    horizon_days : int, default 365
        Days a dyad's series runs past its last event, and the longest post-peak path read.
    fit_until, min_fit_days, max_fit_days, cov_type
        The half-life fit; see :func:`relscore.analysis.halflife.half_life_fit`.
    jobs : int, default 1
        Processes that may share the fits when there are many
        (:func:`relscore.analysis.halflife.half_life_fits`); the numbers are the same.

    Returns
    -------
    pandas.DataFrame
        One row per episode, by dyad then start, with the columns of
        :data:`EPISODE_COLUMNS`: ``rank`` (1 = highest peak of its dyad), ``start``,
        ``peak_date``, ``end`` (dates), ``peak`` (the index on the peak day) and
        ``baseline`` (index points), ``n_events`` (events from start to end),
        ``days_to_half`` (observed, days), ``half_life_days`` with ``half_life_low`` /
        ``half_life_high`` (95 %, days; empty when nothing was fitted), ``fit_days``,
        ``kernel`` (e.g. ``"decay 14 d"``), ``mechanical_half_life`` and
        ``mechanical_days_to_half`` (days), ``versus_decay`` (``"faster"``, ``"slower"``,
        ``"same"``, or missing when not comparable) and ``fit_note`` (``"ok"`` or why there
        is no estimate). No episode gives an empty table with these columns.

    Examples
    --------
    >>> import relscore
    >>> events = relscore.datasets.load("iran_pakistan")
    >>> table = episodes(relscore.tension_index(relscore.code_events(events)))
    >>> top = table[table["rank"] == 1].set_index("peak_date")
    >>> top[["start", "end", "n_events"]]
                    start        end  n_events
    peak_date
    2024-01-18 2024-01-16 2024-01-25        22
    >>> top[["peak", "days_to_half", "half_life_days", "half_life_low", "half_life_high"]].round(1)
                peak  days_to_half  half_life_days  half_life_low  half_life_high
    peak_date
    2024-01-18  80.9           8.0             6.6            5.5             8.3

    The fitted half-life's whole interval lies below the kernel's 14 days:
    ``versus_decay`` is ``"faster"``.

    One event on its own is an episode whose decay is the kernel's: nothing is fitted.

    >>> one = pd.DataFrame({"date": pd.to_datetime(["2024-01-01"]), "actor1": ["IRN"],
    ...     "actor2": ["PAK"], "conflict": [10.0], "cooperation": [0.0]})
    >>> alone = episodes(relscore.tension_index(one))
    >>> alone[["start", "end", "peak", "n_events", "days_to_half", "half_life_days"]]
           start        end  peak  n_events  days_to_half  half_life_days
    0 2024-01-01 2024-01-15  10.0         1          15.0             NaN
    >>> alone.loc[0, "fit_note"] == NOTHING_TO_FIT
    True
    """
    kernel = _kernel(window, half_life)
    series, labels = dyad_series(index, kernel, horizon_days)
    found = find_episodes(series, fall=fall, baseline_days=baseline_days, min_rise=min_rise)
    if not len(found["peak"]):
        return _empty()
    fit = {"fit_until": fit_until, "min_fit_days": min_fit_days, "max_fit_days": max_fit_days}
    paths, quiet = post_peak_paths(series, found, horizon_days, fit)
    fits = _fits(paths, quiet, fit, cov_type, jobs)
    peak_value = series.tension[found["peak"]]
    day = series.first_day[found["series"]] - found["offset"]
    table = pd.DataFrame(
        {
            "dyad": np.asarray(labels, dtype=object)[found["series"]],
            "rank": found["rank"],
            "start": dates_of(day + found["start"]),
            "peak_date": dates_of(day + found["peak"]),
            "peak": peak_value,
            "end": dates_of(day + found["end"]),
            "n_events": found["n_events"],
            "baseline": found["baseline"],
            "days_to_half": first_below_half(paths),
            **fits,
            "kernel": kernel.label,
            "mechanical_half_life": kernel.half_life,
            "mechanical_days_to_half": first_below_half(
                _mechanical_paths(series, found, paths.shape[1], kernel)
            ),
        }
    )
    table["versus_decay"] = _versus(table)
    order = table.sort_values(["dyad", "start"], kind="stable").index
    table = table.loc[order].reset_index(drop=True)
    return table[list(EPISODE_COLUMNS)].astype({"fit_note": "str", "fit_days": "int64"})


@dataclass(frozen=True)
class _Kernel:
    window: int | None
    half_life: float  # NaN for the rolling kernel
    ratio: float  # the decay's daily factor, 0 for the rolling kernel

    @property
    def label(self) -> str:
        if self.window is not None:
            return f"rolling {self.window:g} d"
        return f"decay {self.half_life:g} d"


def _kernel(window: int | None, half_life: float | None) -> _Kernel:
    days, ratio = kernel_args(window, half_life)
    if window is not None:
        return _Kernel(days, np.nan, 0.0)
    return _Kernel(None, half_life_or_default(half_life), ratio)


def dyad_series(
    index: pd.DataFrame, kernel: _Kernel, horizon_days: int
) -> tuple[Series, np.ndarray]:
    """Each dyad's own series (step 1 of the definition) and the dyad labels.

    A dyad's series starts the day before its first event (0 there) and ends
    ``horizon_days`` after its last event; rows past the index's end are continued by the
    kernel (the decay's daily factor, or the window losing its oldest days).
    """
    days = _ordered(index)
    code = days["dyad"].cat.codes.to_numpy()
    labels = np.asarray(days["dyad"].cat.categories, dtype=object)
    n_events = days["n_events"].to_numpy(dtype=np.int64)
    day = day_numbers(days["date"].to_numpy())
    has = n_events > 0
    dyads = np.flatnonzero(np.bincount(code[has], minlength=len(labels)))
    row_lo = np.searchsorted(code, np.arange(len(labels)))
    row_hi = np.searchsorted(code, np.arange(len(labels)), side="right")
    event_rows = np.flatnonzero(has)
    first_event = event_rows[np.searchsorted(code[event_rows], dyads)]
    last_event = event_rows[np.searchsorted(code[event_rows], dyads, side="right") - 1]
    # Per dyad: the rows kept from the index, the days before them (the day before the
    # first event, if the index holds none) and the days added after them.
    keep_lo = np.maximum(first_event - 1, row_lo[dyads])
    want_hi = last_event + 1 + horizon_days  # exclusive, in the dyad's own rows
    keep_hi = np.minimum(want_hi, row_hi[dyads])
    before = (first_event - 1 < row_lo[dyads]).astype(np.int64)
    after = want_hi - keep_hi
    lengths = before + (keep_hi - keep_lo) + after
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    total = int(bounds[-1])
    tension, net = np.zeros(total), np.zeros(total)
    n = np.zeros(total, np.int64)
    owner = np.repeat(np.arange(len(dyads)), lengths)
    at = np.arange(total) - bounds[owner] - before[owner]  # offset from the first kept row
    inside = (at >= 0) & (at < (keep_hi - keep_lo)[owner])
    rows = keep_lo[owner][inside] + at[inside]
    tension[inside] = days["tension"].to_numpy(dtype=float)[rows]
    net[inside] = days["net"].to_numpy(dtype=float)[rows]
    n[inside] = n_events[rows]
    _continue(tension, net, owner, at, (keep_hi - keep_lo)[owner], kernel)
    first_day = day[keep_lo] - before
    return Series(tension, net, n, bounds, first_day), labels[dyads]


def _continue(tension, net, owner, at, kept, kernel: _Kernel) -> None:
    """Fill the days past each dyad's last row: no new event, so net is 0 and the kernel
    carries the tension on (in place)."""
    past = np.flatnonzero(at >= kept)
    if not len(past):
        return
    steps = (at - kept + 1)[past]  # 1 on the first added day
    last_row = past - steps  # the dyad's last kept position
    if kernel.window is None:
        tension[past] = tension[last_row] * kernel.ratio**steps
        return
    # Rolling: each added day loses the net of the day `window` days before it.
    running = _running_sums(net, owner)
    first_pos = np.searchsorted(owner, owner[past])  # the dyad's first position
    leaving_lo = np.maximum(last_row - kernel.window + 1, first_pos)
    leaving_hi = np.maximum(np.minimum(past - kernel.window, last_row) + 1, leaving_lo)
    leaving = _sum_before(running, leaving_hi, first_pos) - _sum_before(
        running, leaving_lo, first_pos
    )
    tension[past] = tension[last_row] - leaving


def _running_sums(net: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Each series' running sum of ``net``, from its own first day: the same numbers
    whatever series lie before it in the array (a sum over the whole array would carry
    their rounding)."""
    return pd.Series(net).groupby(owner, sort=False).cumsum().to_numpy()


def _sum_before(running: np.ndarray, at: np.ndarray, first: np.ndarray) -> np.ndarray:
    """The series' sum of ``net`` over its positions ``first ... at - 1``."""
    return np.where(at > first, running[np.maximum(at - 1, 0)], 0.0)


def find_episodes(
    series: Series,
    *,
    fall: float = FALL,
    baseline_days: int = 365,
    min_rise: float | np.ndarray = MIN_RISE,
) -> dict[str, np.ndarray]:
    """Steps 2-4 of the definition on every series at once.

    Returns
    -------
    dict of numpy.ndarray
        One entry per episode, by series then peak position: ``series``, ``peak``
        (position in the arrays), ``start`` and ``end`` (positions, inclusive), ``offset``
        (the series' first position), ``baseline``, ``n_events`` and ``rank`` (1 = the
        highest peak of its series).
    """
    from scipy.signal import find_peaks, peak_prominences

    if not 0 < fall < 1:
        raise ValueError(f"fall must lie strictly between 0 and 1, got {fall}")
    x, bounds = series.tension, series.bounds
    n_series = len(bounds) - 1
    # One array for scipy: each series between walls of +inf, so that no peak's search for
    # a higher day crosses into another series.
    padded = np.concatenate([[np.inf], np.insert(x, bounds[1:-1], np.inf), [np.inf]])
    peaks, _ = find_peaks(padded)
    peaks = peaks[np.isfinite(padded[peaks]) & (padded[peaks] > 0)]
    prominence = peak_prominences(padded, peaks)[0]
    peaks = peaks[prominence >= fall * padded[peaks] * (1 - 1e-12)]  # step 2
    # Back to positions in x: series i sits at padded positions bounds[i] + i + 1 ... on.
    of = owner_of(peaks, bounds)
    pos = peaks - of - 1
    # Step 3: against the days before the episode, its first day as step 4 finds it among
    # every peak that stands out (not the rise to the peak itself: a peak reached after a
    # dip inside the episode would be measured against the episode's own earlier days).
    rise = _rise_start(x, bounds)
    bar = np.broadcast_to(min_rise, (n_series,))[of]
    first, _ = _days(x, bounds, pos, of, 1 - fall, rise)
    baseline = _baselines(x, bounds[of], first, baseline_days, x[pos], bar)
    clear = x[pos] - baseline >= bar
    pos, of, baseline = pos[clear], of[clear], baseline[clear]
    start, end = _days(x, bounds, pos, of, 1 - fall, rise)  # step 4
    counts = np.concatenate([[0], np.cumsum(series.n_events)])
    n_events = counts[end + 1] - counts[start]
    order = np.lexsort((pos, -x[pos], of))  # by series, highest peak first, then earliest
    rank = np.empty(len(pos), np.int64)
    firsts = np.searchsorted(of[order], of[order])
    rank[order] = np.arange(len(order)) - firsts + 1
    return {
        "series": of,
        "peak": pos,
        "start": start,
        "end": end,
        "offset": bounds[of],
        "baseline": baseline,
        "n_events": n_events,
        "rank": rank,
    }


def min_rise_of(scheme: str | Scheme = DEFAULT_SCHEME) -> float:
    """The ``min_rise`` that suits a scheme: half its most extreme weight (index points).

    >>> min_rise_of("goldstein"), min_rise_of("quad")
    (5.0, 1.0)
    """
    return 0.5 * float(base_weights(scheme).abs().max())


def _days(x, bounds, pos, of, keep, rise) -> tuple[np.ndarray, np.ndarray]:
    """Each episode's first and last day (positions, inclusive), step 4 of the definition.

    The series is cut between consecutive episodes at the lowest day between their peaks.
    Within its stretch, an episode's days reach out from the peak to the farthest day at or
    above ``keep`` x the peak that the index did not fall below ``keep`` x *that day's* value
    on the way to the peak: so a smaller surge the index did not fall below half of before
    the peak (no episode of its own) is one of its days, and a bump far away, after the
    index had fallen to nothing, is not. The first day is where the rise to it began.
    """
    same = np.append(of[1:] == of[:-1], False)  # the next episode is in the same series
    lo = bounds[of].copy()
    hi = bounds[of + 1] - 1
    if same.any():  # the lowest day between consecutive peaks of a series
        a, b = pos[:-1][same[:-1]], pos[1:][same[:-1]]
        trough = np.empty(len(a), np.int64)
        troughs(x, a, b, trough)  # two peaks are never neighbours: a day lies between
        hi[:-1][same[:-1]] = trough - 1
        lo[1:][same[:-1]] = trough + 1
    level = keep * x[pos]
    first_day = _farthest(x, pos, lo, level, keep, step=-1)
    last_day = _farthest(x, pos, hi, level, keep, step=1)
    return np.maximum(rise[first_day], lo), last_day


def _ranges(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions ``lo[i] ... hi[i]`` (inclusive) of every range, one after the other,
    and the range of each."""
    lengths = np.maximum(hi - lo + 1, 0)
    ends = np.cumsum(lengths)
    which = np.repeat(np.arange(len(lo)), lengths)
    at = np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(ends - lengths, lengths)
    return at + np.repeat(lo, lengths), which


def _farthest(x, pos, limit, level, keep, step) -> np.ndarray:
    """From each peak toward ``limit`` (``step`` -1: earlier, 1: later), the farthest day at
    or above ``level`` whose value the index stays at or above ``keep`` x of between it and
    the peak; the peak itself when there is none."""
    out = np.empty(len(pos), np.int64)
    farthest_days(x, pos, limit, level, float(keep), step, out)
    return out


def _rise_start(x: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """For each position, the first day of the rise it is part of: the day after the last
    day at or before it whose value did not rise above the day before and above 0 (warmth
    fading toward 0 is no rise of tension), or the series' first day."""
    out = np.empty(len(x), np.int64)
    rise_starts(x, bounds, out)
    return out


def owner_of(padded_positions: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """The series of each position of the padded array (walls included before it)."""
    # Series i occupies padded positions bounds[i] + i + 1 ... bounds[i + 1] + i.
    starts = bounds[:-1] + np.arange(len(bounds) - 1) + 1
    return np.searchsorted(starts, padded_positions, side="right") - 1


def _baselines(
    x: np.ndarray,
    series_start: np.ndarray,
    start: np.ndarray,
    days: int,
    peak: np.ndarray,
    bar: np.ndarray,
) -> np.ndarray:
    """The median of ``x`` over the ``days`` positions before each ``start`` (within its
    series; fewer at the series' start, 0 when there are none).

    Where even the window's lowest day leaves ``peak - lowest < bar`` (the peak does not
    rise ``bar`` above it), the lowest day stands in for the median, which can only be
    higher: the peak does not clear the median either, and no window of it is sorted.
    """
    baseline = np.zeros(len(start))
    full = np.flatnonzero(start - days >= series_start)  # the whole window in the series
    order = full[np.argsort(start[full], kind="stable")]
    lowest = np.empty(len(order))
    trailing_minima(x, start[order], days, lowest)
    baseline[order] = lowest
    full = order[peak[order] - lowest >= bar[order]]
    middle = [(days - 1) // 2, days // 2]  # one day if days is odd, else the mean of two
    chunk = max(1, (1 << 17) // max(days, 1))  # about 1 MB of windows at a time
    for lo in range(0, len(full), chunk):
        rows = full[lo : lo + chunk]
        windows = np.partition(x[start[rows, None] - days + np.arange(days)], middle, axis=1)
        baseline[rows] = windows[:, middle].mean(axis=1)
    for row in np.flatnonzero(start - days < series_start):  # the series' first days
        if start[row] > series_start[row]:
            baseline[row] = np.median(x[series_start[row] : start[row]])
    return baseline


def post_peak_paths(
    series: Series,
    found: dict[str, np.ndarray],
    horizon_days: int,
    fit: dict,
    keep: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each episode's post-peak path (rows padded with NaN) and whether an event moves it
    within its fit window (a day after the peak with a net other than 0). A path stops at
    the series' next episode, the horizon or the series' end. With ``keep`` (a mask of the
    episodes), only those episodes' paths, as wide as all of them would be."""
    pos, of, start = found["peak"], found["series"], found["start"]
    order = np.lexsort((start, of))
    next_start = np.full(len(pos), np.iinfo(np.int64).max)
    same = of[order][1:] == of[order][:-1]
    next_start[order[:-1][same]] = start[order][1:][same]
    stop = np.minimum.reduce([next_start, pos + horizon_days + 1, series.bounds[of + 1]])
    width = max(1, int((stop - pos).max())) if len(pos) else 1
    if keep is not None:
        pos, stop = pos[keep], stop[keep]
    at = pos[:, None] + np.arange(width)
    paths = np.where(
        at < stop[:, None], series.tension[np.minimum(at, len(series.tension) - 1)], np.nan
    )
    lengths = fit_lengths(paths, fit["fit_until"], fit["max_fit_days"])
    # An event moves the path only through its day's net: where net is 0 after the peak, the
    # path is the kernel's own decay (a zero-weight event changes nothing).
    moved = np.concatenate([[0], np.cumsum(series.net != 0)])
    # The days after the peak in the fit window, and the day that ended it (a fall that an
    # event caused moved the path too).
    last = np.minimum(pos + lengths, stop - 1)
    quiet = moved[np.maximum(last + 1, pos + 1)] - moved[pos + 1] > 0
    return paths, quiet


def top_episodes(
    tension: np.ndarray,
    net: np.ndarray,
    first_day: int,
    *,
    fall: float = FALL,
    baseline_days: int = 365,
    min_rise: float | np.ndarray = MIN_RISE,
    horizon_days: int = 365,
    fit_until: float = FIT_UNTIL,
    min_fit_days: int = MIN_FIT_DAYS,
    max_fit_days: int = MAX_FIT_DAYS,
) -> pd.DataFrame:
    """The top episode and the next one of each row of a (series x days) grid, as
    :func:`episodes` defines them, read at once (the variants of
    :func:`relscore.analysis.robustness.robustness`).

    Parameters
    ----------
    tension, net : numpy.ndarray, shape (n_series, n_days)
        Daily tension and net (index points), one series per row, on one calendar that
        starts the day before the series' first event and runs ``horizon_days`` past its
        last.
    first_day : int
        The calendar's first day (days since 1970-01-01).
    fall, baseline_days, min_rise, horizon_days, fit_until, min_fit_days, max_fit_days
        As for :func:`episodes`.

    Returns
    -------
    pandas.DataFrame
        One row per series: ``peak_date``, ``peak``, ``days_to_half`` (observed),
        ``half_life_days`` (the log-linear point estimate of
        :func:`relscore.analysis.halflife.half_life_fit`, no interval; NaN when nothing is
        fitted), ``fit_days``, ``runner_up_date`` and ``runner_up`` (the series' episode of
        rank 2) and ``peak_ratio`` = peak / runner-up (NaN unless the runner-up is
        positive). A series with no episode has a row of NaN.
    """
    n, n_days = tension.shape
    series = Series(
        np.ascontiguousarray(tension, dtype=float).ravel(),
        np.ascontiguousarray(net, dtype=float).ravel(),
        np.zeros(tension.size, np.int64),  # the events themselves are not counted here
        np.arange(n + 1) * n_days,
        np.full(n, first_day),
    )
    found = find_episodes(series, fall=fall, baseline_days=baseline_days, min_rise=min_rise)
    fit = {"fit_until": fit_until, "min_fit_days": min_fit_days, "max_fit_days": max_fit_days}
    top = found["rank"] == 1
    paths, quiet = post_peak_paths(series, found, horizon_days, fit, keep=top)
    lengths = fit_lengths(paths, fit_until, max_fit_days)
    slope = loglinear_slopes(paths, lengths)
    fitted = quiet & (lengths >= min_fit_days) & (slope < 0)
    half = np.where(fitted, -np.log(2) / np.where(fitted, slope, -1.0), np.nan)
    day = first_day + found["peak"] - found["offset"]
    out = pd.DataFrame(
        {
            "peak_date": np.full(n, np.datetime64("NaT"), "datetime64[s]"),
            "peak": np.nan,
            "days_to_half": np.nan,
            "half_life_days": np.nan,
            "fit_days": 0,
            "runner_up_date": np.full(n, np.datetime64("NaT"), "datetime64[s]"),
            "runner_up": np.nan,
        }
    )
    rows = found["series"][top]
    out.loc[rows, "peak_date"] = dates_of(day[top])
    out.loc[rows, "peak"] = series.tension[found["peak"][top]]
    out.loc[rows, "days_to_half"] = first_below_half(paths)
    out.loc[rows, "half_life_days"] = half
    out.loc[rows, "fit_days"] = lengths
    second = found["rank"] == 2
    rows = found["series"][second]
    out.loc[rows, "runner_up_date"] = dates_of(day[second])
    out.loc[rows, "runner_up"] = series.tension[found["peak"][second]]
    runner = out["runner_up"].to_numpy()
    out["peak_ratio"] = np.where(
        runner > 0, out["peak"] / np.where(runner > 0, runner, 1.0), np.nan
    )
    return out.astype({"fit_days": "int64"})


def _ordered(index: pd.DataFrame) -> pd.DataFrame:
    """The index sorted by dyad and date, ``dyad`` categorical; check the calendar."""
    missing = {"dyad", "date", "n_events", "net", "tension"} - set(index.columns)
    if missing:
        raise ValueError(f"index lacks column(s): {', '.join(sorted(missing))}")
    dyad = index["dyad"].astype("category").cat.remove_unused_categories()
    days = index.assign(dyad=dyad, date=pd.to_datetime(index["date"])).sort_values(
        ["dyad", "date"], ignore_index=True, kind="stable"
    )
    step = days.groupby("dyad", observed=True)["date"].diff().dropna()
    if (step != pd.Timedelta(days=1)).any():
        raise ValueError("each dyad needs one row per day on a continuous calendar")
    return days


def _mechanical_paths(series: Series, found: dict, length: int, kernel: _Kernel) -> np.ndarray:
    """What tension would do after each peak if no event followed (index points).

    Decay: ``peak * 2**(-t / half_life)`` in closed form. Rolling: the peak's window loses
    its oldest days one by one and gains none, so after ``window`` days nothing is left.
    """
    pos = found["peak"]
    peak = series.tension[pos]
    t = np.arange(length)
    if kernel.window is None:
        return peak[:, None] * 2.0 ** (-t / kernel.half_life)
    running = _running_sums(series.net, series.owner)
    first_row = found["offset"][:, None]  # no day before the series' first
    oldest = np.maximum(pos[:, None] - kernel.window + 1, first_row)
    leaving = np.clip(pos[:, None] - kernel.window + 1 + t, first_row, pos[:, None] + 1)
    gone = _sum_before(running, leaving, first_row) - _sum_before(running, oldest, first_row)
    return peak[:, None] - gone


def _fits(paths: np.ndarray, quiet: np.ndarray, fit: dict, cov_type: str, jobs: int) -> dict:
    """The half-life columns of each path: fitted where an event moves the path (``quiet``),
    else the kernel's own decay, where nothing is fitted (and no fit is run) but the fit
    window is still counted."""
    done = half_life_fits(paths[quiet], cov_type=cov_type, jobs=jobs, **fit)
    out = {"fit_days": fit_lengths(paths, fit["fit_until"], fit["max_fit_days"])}
    for column in ("half_life_days", "half_life_low", "half_life_high"):
        out[column] = np.full(len(paths), np.nan)
        out[column][quiet] = done[column].to_numpy()
    out["fit_note"] = np.full(len(paths), NOTHING_TO_FIT, dtype=object)
    out["fit_note"][quiet] = done["fit_note"].to_numpy(dtype=object)
    return out


def _versus(table: pd.DataFrame, rtol: float = 1e-9) -> pd.Series:
    """Whether the fitted half-life's interval lies below, above or around the kernel's."""
    mech = table["mechanical_half_life"].to_numpy()
    low, high = table["half_life_low"].to_numpy(), table["half_life_high"].to_numpy()
    verdict = np.select(
        [high < mech * (1 - rtol), low > mech * (1 + rtol), low <= mech * (1 + rtol)],
        ["faster", "slower", "same"],
        default="",
    )
    return pd.Series(np.where(verdict == "", None, verdict), index=table.index, dtype="str")


def _empty() -> pd.DataFrame:
    """The episode table with no rows: every column, with its dtype."""

    def dtype(column: str) -> str:
        if column in {"start", "peak_date", "end"}:
            return "datetime64[s]"
        if column in {"rank", "n_events", "fit_days"}:
            return "int64"
        if column in {"dyad", "kernel", "versus_decay", "fit_note"}:
            return "str"
        return "float64"

    return pd.DataFrame({column: pd.Series(dtype=dtype(column)) for column in EPISODE_COLUMNS})

"""Episodes: stretches where a dyad's tension rises clearly above its own baseline.

**The rule.** For each dyad and day ``d``, over the trailing ``baseline_days`` days
(``d`` included; fewer at the start of the data):

* ``baseline(d)`` = the median of tension;
* ``spread(d)`` = 1.4826 x the median of ``|tension - baseline|`` (a rolling MAD, scaled
  to match the standard deviation for Gaussian noise);
* ``threshold(d) = baseline(d) + max(k * spread(d), min_rise)``.

A day is *hot* when ``tension(d) > threshold(d)``. Hot days separated by at most
``gap_days`` cooler days form one episode, from its first to its last hot day. Medians
ignore the rare spikes they are meant to find, so one crisis does not raise its own bar;
``min_rise`` (index points) is the floor that keeps a flat-zero baseline -- most dyad-days
have no events -- from turning every blip into an episode. A rise that lasts longer than
half the baseline window becomes the new normal and stops being hot.

**The measures.** For each episode, from its peak on (see :mod:`relscore.analysis.halflife`):
``days_to_half`` observed, and ``half_life_days`` estimated with statsmodels (log-linear
OLS, 95 % interval) -- both measured toward zero, the level the kernel decays to. The
post-peak path stops where the dyad's next episode starts, ``horizon_days`` after the peak,
or at the end of the data.

**Events or forgetting?** The decay kernel on its own halves the index every
``half_life`` days: that is ``mechanical_half_life``, and a fitted half-life whose whole
interval lies below it (``versus_decay == "faster"``) means events brought tension down,
not mere forgetting. ``mechanical_days_to_half`` is the same benchmark for the observed
measure: the days the index would take to halve if no event followed the peak. The
rolling kernel has no exponential half-life (``mechanical_half_life`` is NaN): without new
events its tension stays flat and drops as the peak's events leave the window, so there
compare ``days_to_half`` with ``mechanical_days_to_half``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relscore.analysis.halflife import (
    FIT_UNTIL,
    MAX_FIT_DAYS,
    MIN_FIT_DAYS,
    first_below_half,
    fit_lengths,
    half_life_fit,
    loglinear_slopes,
)
from relscore.index import half_life_or_default
from relscore.vocabulary import dates_of

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
MAD_TO_SD = 1.4826  # MAD x this estimates the standard deviation of Gaussian noise


def episodes(
    index: pd.DataFrame,
    *,
    window: int | None = None,
    half_life: float | None = None,
    baseline_days: int = 365,
    k: float = 3.0,
    min_rise: float = 5.0,
    gap_days: int = 30,
    horizon_days: int = 365,
    fit_until: float = FIT_UNTIL,
    min_fit_days: int = MIN_FIT_DAYS,
    max_fit_days: int = MAX_FIT_DAYS,
    cov_type: str = "HAC",
) -> pd.DataFrame:
    """Find each dyad's episodes and measure how fast each one calmed down.

    Parameters
    ----------
    index : pandas.DataFrame
        Output of :func:`relscore.tension_index` for one dyad or many: ``dyad``, ``date``,
        ``n_events``, ``net`` and ``tension``, each dyad on a continuous daily calendar.
    window, half_life : optional
        The kernel that built ``index`` (days), as given to :func:`relscore.tension_index`;
        default the decay kernel with :data:`relscore.DEFAULT_HALF_LIFE`. Used only for the
        mechanical benchmarks.
    baseline_days : int, default 365
        Trailing window (days) of the rolling median and MAD.
    k : float, default 3.0
        How many scaled MADs above the baseline count as "clearly".
    min_rise : float, default 5.0
        Floor on the rise above the baseline (index points): half the weight of the most
        conflictual event on the Goldstein scale.
    gap_days : int, default 30
        Hot stretches separated by at most this many days merge into one episode.
    horizon_days : int, default 365
        Longest post-peak path read (days).
    fit_until, min_fit_days, max_fit_days, cov_type
        The half-life fit; see :func:`relscore.analysis.halflife.half_life_fit`.

    Returns
    -------
    pandas.DataFrame
        One row per episode, by dyad then start, with the columns of
        :data:`EPISODE_COLUMNS`: ``rank`` (1 = highest peak of its dyad), ``start``,
        ``peak_date``, ``end`` (dates), ``peak`` and ``baseline`` (index points at the peak
        day), ``n_events`` (events from start to end), ``days_to_half`` (observed, days),
        ``half_life_days`` with ``half_life_low`` / ``half_life_high`` (95 %, days),
        ``fit_days``, ``kernel`` (e.g. ``"decay 14 d"``), ``mechanical_half_life`` and
        ``mechanical_days_to_half`` (days; see the module docstring), ``versus_decay``
        (``"faster"``, ``"slower"``, ``"same"``, or missing when not comparable) and
        ``fit_note`` (``"ok"`` or why there is no estimate). No episode gives an empty
        table with these columns.

    Examples
    --------
    >>> import relscore
    >>> events = relscore.datasets.load("iran_pakistan")
    >>> table = episodes(relscore.tension_index(relscore.code_events(events)))
    >>> top = table[table["rank"] == 1].set_index("peak_date")
    >>> top[["peak", "days_to_half", "half_life_days", "half_life_low", "half_life_high"]].round(1)
                peak  days_to_half  half_life_days  half_life_low  half_life_high
    peak_date
    2024-01-18  80.9           8.0             6.6            5.5             8.3

    The fitted half-life's whole interval lies below the kernel's 14 days:
    ``versus_decay`` is ``"faster"``.
    """
    if window is not None and half_life is not None:
        raise ValueError("give either window or half_life, not both")
    kernel_half_life = np.nan if window is not None else half_life_or_default(half_life)
    days = _ordered(index)
    if days.empty:
        return _empty()
    tension = days["tension"].to_numpy(dtype=float)
    code = days["dyad"].cat.codes.to_numpy()
    baseline, threshold = _threshold(days, baseline_days, k, min_rise)
    found = _stretches(tension, tension > threshold, code, gap_days)
    if found is None:
        return _empty()
    start, end, peak_pos, label = found

    # a post-peak path stops at the dyad's next episode, the horizon or the data's end
    next_start = np.append(start[1:], len(days))
    same_dyad = np.append(code[start[1:]] == code[start[:-1]], False)
    stop = np.where(same_dyad, next_start, np.searchsorted(code, code[peak_pos], side="right"))
    paths = _paths(tension, peak_pos, np.minimum(stop, peak_pos + horizon_days + 1))
    fit = {"fit_until": fit_until, "min_fit_days": min_fit_days, "max_fit_days": max_fit_days}
    fits = pd.DataFrame([half_life_fit(path, cov_type=cov_type, **fit) for path in paths])
    mechanical = _mechanical_paths(days, peak_pos, paths.shape[1], window, kernel_half_life)
    inside = label >= 0
    dates = days["date"].to_numpy()
    table = pd.DataFrame(
        {
            "dyad": days["dyad"].to_numpy()[peak_pos].astype(str),
            "start": dates[start],
            "peak_date": dates[peak_pos],
            "peak": tension[peak_pos],
            "end": dates[end],
            "n_events": np.bincount(
                label[inside], days["n_events"].to_numpy()[inside], len(start)
            ).astype(np.int64),
            "baseline": baseline[peak_pos],
            "days_to_half": first_below_half(paths),
            **{column: fits[column].to_numpy() for column in fits},
            "kernel": f"rolling {window:g} d"
            if window is not None
            else f"decay {kernel_half_life:g} d",
            "mechanical_half_life": kernel_half_life,
            "mechanical_days_to_half": first_below_half(mechanical),
        }
    )
    table["versus_decay"] = _versus(table)
    table["rank"] = (
        table.groupby("dyad")["peak"].rank(method="first", ascending=False).astype(np.int64)
    )
    return table[list(EPISODE_COLUMNS)].astype({"fit_note": "str", "fit_days": "int64"})


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


def _threshold(
    days: pd.DataFrame, baseline_days: int, k: float, min_rise: float
) -> tuple[np.ndarray, np.ndarray]:
    """Rolling baseline and ``baseline + max(k * 1.4826 * MAD, min_rise)`` per row.

    The rows go onto a date x dyad grid (NaN where a dyad has no row) so that one rolling
    median per quantity serves every dyad; rows of a dyad are consecutive days, and the
    median skips the NaN outside its span.
    """
    dates = days["date"].to_numpy("datetime64[D]")
    at = (dates - dates.min()).astype(np.int64)
    code = days["dyad"].cat.codes.to_numpy()
    grid = np.full((int(at.max()) + 1, len(days["dyad"].cat.categories)), np.nan)

    def rolling_median(values: np.ndarray) -> np.ndarray:
        grid[at, code] = values
        medians = pd.DataFrame(grid).rolling(baseline_days, min_periods=1).median()
        return medians.to_numpy()[at, code]

    tension = days["tension"].to_numpy(dtype=float)
    baseline = rolling_median(tension)
    mad = rolling_median(np.abs(tension - baseline))
    return baseline, baseline + np.maximum(k * MAD_TO_SD * mad, min_rise)


def _stretches(tension: np.ndarray, hot: np.ndarray, dyad: np.ndarray, gap_days: int):
    """First, last and peak row of each merged hot stretch, and each row's stretch (or -1).

    Rows are sorted by dyad and date on a continuous calendar, so a row gap is a day gap.
    """
    rows = np.flatnonzero(hot)
    if not len(rows):
        return None
    new = np.ones(len(rows), dtype=bool)
    new[1:] = (np.diff(rows) > gap_days + 1) | (dyad[rows[1:]] != dyad[rows[:-1]])
    start = rows[new]
    end = rows[np.append(np.flatnonzero(new)[1:] - 1, len(rows) - 1)]
    opens = np.zeros(len(hot) + 1, dtype=np.int64)
    closes = np.zeros(len(hot) + 1, dtype=np.int64)
    opens[start] = 1
    closes[end + 1] = 1
    inside = np.cumsum(opens - closes)[:-1] > 0
    label = np.where(inside, np.cumsum(opens[:-1]) - 1, -1)
    rows_in = np.flatnonzero(inside)
    peak = pd.Series(tension[rows_in], index=rows_in).groupby(label[rows_in]).idxmax()
    return start, end, peak.to_numpy(dtype=np.int64), label


def _paths(values: np.ndarray, first: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """``values[first : stop]`` for each pair, as rows padded with NaN to the longest."""
    at = first[:, None] + np.arange(max(1, int((stop - first).max())))
    return np.where(at < stop[:, None], values[np.minimum(at, len(values) - 1)], np.nan)


def _mechanical_paths(days, peak_pos, length, window, half_life) -> np.ndarray:
    """What tension would do after each peak if no event followed (index points).

    Decay: ``peak * 2**(-t / half_life)`` in closed form. Rolling: the peak's window loses
    its oldest days one by one and gains none, so after ``window`` days nothing is left.
    """
    peak = days["tension"].to_numpy(dtype=float)[peak_pos]
    t = np.arange(length)
    if window is None:
        return peak[:, None] * 2.0 ** (-t / half_life)
    total = np.concatenate([[0.0], np.cumsum(days["net"].to_numpy(dtype=float))])
    code = days["dyad"].cat.codes.to_numpy()
    first_row = np.searchsorted(code, code[peak_pos])[:, None]  # no day before a dyad's first
    oldest = np.maximum(peak_pos[:, None] - int(window) + 1, first_row)
    leaving = np.clip(peak_pos[:, None] - int(window) + 1 + t, first_row, peak_pos[:, None] + 1)
    return peak[:, None] - (total[leaving] - total[oldest])


def _versus(table: pd.DataFrame, rtol: float = 1e-9) -> pd.Series:
    """Whether the fitted half-life's interval lies below, above or around the kernel's.

    ``rtol`` absorbs rounding, so that a path with no event after its peak (whose fit
    gives back the kernel's half-life to the last digits) reads ``"same"``.
    """
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


def top_episodes(
    tension: np.ndarray,
    first_day: int,
    *,
    separation_days: int = 90,
    horizon_days: int = 365,
    fit_until: float = FIT_UNTIL,
    min_fit_days: int = MIN_FIT_DAYS,
    max_fit_days: int = MAX_FIT_DAYS,
) -> pd.DataFrame:
    """The top episode of each row of a (series x days) tension grid, read at once.

    The **top episode** of a series is the one around its highest day: the episode that
    :func:`episodes` ranks first whenever that day is hot (it is, unless the series never
    rises clearly above its own baseline). Its **runner-up** is the highest day more than
    ``separation_days`` from the peak, and ``peak_ratio`` = peak / runner-up: the one
    definition of "how far the top episode stands above the next" in relscore.

    Parameters
    ----------
    tension : numpy.ndarray, shape (n_series, n_days)
        Daily tension (index points), one series per row, on one calendar. Overwritten:
        the runner-up search masks the days near each peak.
    first_day : int
        The calendar's first day (days since 1970-01-01).
    separation_days, horizon_days, fit_until, min_fit_days, max_fit_days
        The runner-up's distance, the post-peak path read and its fit window (days); see
        :mod:`relscore.analysis.halflife`.

    Returns
    -------
    pandas.DataFrame
        One row per series: ``peak_date``, ``peak``, ``days_to_half`` (observed),
        ``half_life_days`` (the log-linear point estimate of
        :func:`relscore.analysis.halflife.half_life_fit`, no interval), ``fit_days``,
        ``runner_up_date``, ``runner_up`` and ``peak_ratio`` (NaN unless the runner-up is
        positive).
    """
    n, n_days = tension.shape
    rows = np.arange(n)
    peak_at = np.argmax(tension, axis=1)
    peak = tension[rows, peak_at]
    at = peak_at[:, None] + np.arange(horizon_days + 1)
    paths = np.where(at < n_days, tension[rows[:, None], np.minimum(at, n_days - 1)], np.nan)
    lengths = fit_lengths(paths, fit_until, max_fit_days)
    slope = loglinear_slopes(paths, lengths)
    fitted = (lengths >= min_fit_days) & (slope < 0)
    near = np.abs(np.arange(n_days)[None, :] - peak_at[:, None]) <= separation_days
    tension[near] = -np.inf  # in place: the grid is not needed any more
    runner_at = np.argmax(tension, axis=1)
    runner = tension[rows, runner_at]
    has_runner = np.isfinite(runner)
    return pd.DataFrame(
        {
            "peak_date": dates_of(first_day + peak_at),
            "peak": peak,
            "days_to_half": first_below_half(paths),
            "half_life_days": np.where(fitted, -np.log(2) / np.where(fitted, slope, -1.0), np.nan),
            "fit_days": lengths,
            "runner_up_date": np.where(
                has_runner, dates_of(first_day + runner_at), np.datetime64("NaT", "s")
            ),
            "runner_up": np.where(has_runner, runner, np.nan),
            "peak_ratio": np.where(
                has_runner & (runner > 0), peak / np.where(runner > 0, runner, 1.0), np.nan
            ),
        }
    )

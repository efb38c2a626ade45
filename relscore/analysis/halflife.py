"""How fast an index comes down after a peak: observed days to half and a fitted half-life.

How fast it comes down is read from the **post-peak path**: the daily tension from the
peak day on, ``path[0]`` being the peak (index points, NaN past the end of the data).
Two measures, each vectorised over many paths at once (one row per path):

* **days to half** (observed): the first day ``t >= 1`` with ``path[t] < path[0] / 2``;
* **half-life** (estimated): fit ``log(path[t]) = a + b * t`` by least squares over the
  *fit window* -- from the peak until the day before tension first falls below
  ``fit_until`` x the peak (default a quarter, i.e. two half-lives), at most
  ``max_fit_days`` days -- and report ``-log(2) / b`` days. Every value in the window is
  at least ``fit_until`` x a positive peak, so the logarithm is always defined: a
  non-positive value ends the window, it is never clipped or shifted.

The decay kernel on its own halves the index every ``half_life`` days, so without any
event after the peak the fit gives back exactly the kernel's half-life; a fitted half-life
clearly below it means events (cooperation, or conflict ending) brought tension down
faster than forgetting would. :func:`half_life_fit` adds the 95 % interval (statsmodels).
"""

from __future__ import annotations

import multiprocessing
import warnings
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat

import numpy as np
import pandas as pd

FIT_UNTIL = 0.25  # fraction of the peak that ends the fit window
MIN_FIT_DAYS = 5  # fewest days (peak day included) a fit needs
MAX_FIT_DAYS = 90  # longest fit window, days after the peak
RTOL = 1e-9  # "below" a level means below it by more than rounding
# A worker process starts in about 2.5 s of CPU (Python, pandas, statsmodels), the time of
# some 6,000 fits (0.4 ms each): with 20,000 a process, its start costs under a third of its
# work. With 22,000 fits two processes were no faster than one on a loaded 2-core machine;
# with 180,000 (40,000 dyads x a year) they took half the time.
FITS_PER_PROCESS = 20_000


def days_to_half(tension: pd.Series) -> float:
    """Days from the peak of ``tension`` until it first falls below half the peak.

    NaN if it never does, or if the peak is not positive; see :func:`first_below_half`.

    Examples
    --------
    >>> import pandas as pd
    >>> tension = pd.Series([80.0, 70.0, 50.0, 39.0, 30.0],
    ...                     index=pd.date_range("2024-01-18", periods=5))
    >>> days_to_half(tension)  # 39 < 80 / 2 on 21 January
    3.0
    """
    values = tension.to_numpy(dtype=float)
    peak = int(np.nanargmax(values))
    steps = first_below_half(values[None, peak:])[0]
    if np.isnan(steps) or not isinstance(tension.index, pd.DatetimeIndex):
        return float(steps)
    return float((tension.index[peak + int(steps)] - tension.index[peak]).days)


def first_below_half(paths: np.ndarray) -> np.ndarray:
    """Observed days to half for each post-peak path.

    Parameters
    ----------
    paths : numpy.ndarray, shape (n_paths, n_days)
        Daily tension from the peak on (index points); ``paths[:, 0]`` is the peak, NaN
        pads past the end of the data.

    Returns
    -------
    numpy.ndarray of float, shape (n_paths,)
        The first day ``t >= 1`` with ``path[t] < path[0] / 2``; NaN when the path never
        gets there or the peak is not positive. A value within rounding (relative
        :data:`RTOL`) of half is not below it, so an exact exponential with a whole-day
        half-life ``h`` reads ``h + 1`` whether computed in closed form or by the kernel.
    """
    paths = np.asarray(paths, dtype=float)
    peak = paths[:, :1]
    below = np.pad(paths[:, 1:] < peak / 2 * (1 - RTOL), ((0, 0), (1, 0)))  # NaN: False
    found = below.any(axis=1) & (peak[:, 0] > 0)
    return np.where(found, np.argmax(below, axis=1), np.nan)


def fit_lengths(
    paths: np.ndarray, fit_until: float = FIT_UNTIL, max_fit_days: int = MAX_FIT_DAYS
) -> np.ndarray:
    """Days in the fit window of each post-peak path (the peak day included).

    The window runs from the peak until the day before tension first falls below
    ``fit_until`` x the peak (or the data end), and covers at most days ``0 ..
    max_fit_days``. A path whose peak is not positive has an empty window (0).
    """
    if not 0 < fit_until < 1:
        raise ValueError(f"fit_until must lie strictly between 0 and 1, got {fit_until}")
    paths = np.asarray(paths, dtype=float)[:, : int(max_fit_days) + 1]
    peak = paths[:, :1]
    keep = paths >= fit_until * peak * (1 - RTOL)  # NaN compares False
    length = np.where(keep.all(axis=1), keep.shape[1], np.argmin(keep, axis=1))
    return np.where(peak[:, 0] > 0, length, 0)


def loglinear_slopes(paths: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Least-squares slope of ``log(path[t])`` on ``t`` over each path's first ``lengths`` days.

    The point estimate of :func:`half_life_fit`, in closed form for many paths at once
    (per day, natural log units). NaN where a window has fewer than two days.
    """
    paths = np.asarray(paths, dtype=float)
    lengths = np.asarray(lengths)
    t = np.arange(paths.shape[1], dtype=float)
    inside = t < lengths[:, None]
    n = inside.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.log(np.where(inside, paths, 1.0))  # log(1) = 0 outside the window
        dt = np.where(inside, t - (n - 1)[:, None] / 2, 0.0)  # days 0 .. n-1, centred
        slope = (dt * y).sum(axis=1) / (dt * dt).sum(axis=1)
    return np.where(n >= 2, slope, np.nan)


def half_life_fit(
    path: np.ndarray,
    *,
    fit_until: float = FIT_UNTIL,
    min_fit_days: int = MIN_FIT_DAYS,
    max_fit_days: int = MAX_FIT_DAYS,
    cov_type: str = "HAC",
    level: float = 0.95,
) -> dict[str, float | int | str]:
    """De-escalation half-life of one post-peak path, with a confidence interval.

    Fits ``log(path[t]) = a + b * t`` by OLS (statsmodels) over the fit window (see the
    module docstring) and returns ``half_life_days = -log(2) / b``. The interval is the
    slope's ``level`` t-interval mapped through the same transformation (not the delta
    method, so it stays positive and asymmetric); when the slope's upper bound is not
    below zero, the data cannot rule out "no decay" and ``half_life_high`` is ``inf``.

    The post-peak path is mostly deterministic (the kernel's decay broken by the day's
    events), so the residuals are autocorrelated. The default ``cov_type="HAC"``
    (Newey-West, ``floor(4 * (n / 100) ** (2 / 9))`` lags, small-sample corrected) widens
    the interval for that; ``"nonrobust"`` gives the textbook OLS interval. Either way the
    interval says how well one exponential describes this path, not how uncertain the
    events or their weights are (:func:`relscore.analysis.robustness.robustness` asks that).

    Parameters
    ----------
    path : array-like
        Daily tension from the peak on (index points), ``path[0]`` the peak.
    fit_until : float, default 0.25
        The window ends before tension first falls below this fraction of the peak.
    min_fit_days : int, default 5
        Fewest days in the window (peak day included) for a fit, at least 3; fewer
        gives NaN.
    max_fit_days : int, default 90
        The window covers at most days ``0 .. max_fit_days`` after the peak.
    cov_type : {"HAC", "nonrobust"}
        Standard errors of the slope.
    level : float, default 0.95
        Coverage of the interval.

    Returns
    -------
    dict
        ``half_life_days``, ``half_life_low``, ``half_life_high`` (days; NaN when there is
        no fit), ``fit_days`` (days in the window) and ``fit_note`` (``"ok"``, or why
        there is no estimate, or the warning statsmodels raised).

    Examples
    --------
    >>> import numpy as np
    >>> fit = half_life_fit(80 * 0.5 ** (np.arange(30) / 6))  # an exact 6-day half-life
    >>> round(fit["half_life_days"], 9), fit["fit_days"], fit["fit_note"]
    (6.0, 13, 'ok')
    """
    _check_min_fit_days(min_fit_days)
    path = np.asarray(path, dtype=float)
    n = int(fit_lengths(path[None, :], fit_until, max_fit_days)[0])
    return _fit_window(path, n, fit_until, min_fit_days, cov_type, level)


def half_life_fits(
    paths: np.ndarray,
    *,
    fit_until: float = FIT_UNTIL,
    min_fit_days: int = MIN_FIT_DAYS,
    max_fit_days: int = MAX_FIT_DAYS,
    cov_type: str = "HAC",
    level: float = 0.95,
    jobs: int = 1,
) -> pd.DataFrame:
    """:func:`half_life_fit` of many post-peak paths: the same numbers, one row per path.

    The fit windows are read for every path at once (:func:`fit_lengths`), so only the
    paths with a window to fit go through statsmodels, one fit each; with ``jobs`` > 1
    and at least :data:`FITS_PER_PROCESS` paths per process, in ``jobs`` processes.

    Parameters
    ----------
    paths : numpy.ndarray, shape (n_paths, n_days)
        Daily tension from each peak on (index points), ``paths[:, 0]`` the peaks, NaN
        past the end of the data.
    fit_until, min_fit_days, max_fit_days, cov_type, level
        As for :func:`half_life_fit`.
    jobs : int, default 1
        Processes that may share the fits (each fit is the same wherever it runs).

    Returns
    -------
    pandas.DataFrame
        One row per path with the keys of :func:`half_life_fit` as columns.

    Examples
    --------
    >>> paths = np.array([80 * 0.5 ** (np.arange(30) / 6), np.r_[4.0, 2.0, np.zeros(28)]])
    >>> half_life_fits(paths)[["half_life_days", "fit_days"]].round(9)
       half_life_days  fit_days
    0             6.0        13
    1             NaN         2
    """
    _check_min_fit_days(min_fit_days)
    paths = np.asarray(paths, dtype=float)
    lengths = fit_lengths(paths, fit_until, max_fit_days)
    paths = paths[:, : max_fit_days + 1]  # no window reaches further
    settings = (fit_until, min_fit_days, cov_type, level)
    n_jobs = max(1, min(jobs, len(paths) // FITS_PER_PROCESS))
    if n_jobs == 1:
        rows = _fit_rows(paths, lengths, settings)
    else:
        chunks = np.array_split(np.arange(len(paths)), 4 * n_jobs)
        context = multiprocessing.get_context("spawn")  # no fork of a threaded process
        with ProcessPoolExecutor(n_jobs, mp_context=context) as pool:
            parts = ((paths[c], lengths[c]) for c in chunks)
            done = pool.map(_fit_rows, *zip(*parts, strict=True), repeat(settings))
            rows = [row for part in done for row in part]
    columns = ["half_life_days", "half_life_low", "half_life_high", "fit_days", "fit_note"]
    return pd.DataFrame(rows, columns=columns).astype({"fit_days": "int64", "fit_note": "str"})


def _check_min_fit_days(min_fit_days: int) -> None:
    if min_fit_days < 3:
        raise ValueError(
            f"min_fit_days must be >= 3 (two parameters and an error), got {min_fit_days}"
        )


def _fit_rows(paths: np.ndarray, lengths: np.ndarray, settings: tuple) -> list[dict]:
    """:func:`_fit_window` of each path (in a worker process, or not)."""
    return [_fit_window(p, int(n), *settings) for p, n in zip(paths, lengths, strict=True)]


def _fit_window(
    path: np.ndarray, n: int, fit_until: float, min_fit_days: int, cov_type: str, level: float
) -> dict[str, float | int | str]:
    """:func:`half_life_fit` of ``path`` whose fit window is its first ``n`` days."""
    result = {
        "half_life_days": np.nan,
        "half_life_low": np.nan,
        "half_life_high": np.nan,
        "fit_days": n,
    }
    if not path[0] > 0:
        return result | {"fit_note": f"peak is not positive ({path[0]:.3g}): nothing decays"}
    if n < min_fit_days:
        return result | {
            "fit_note": f"too few post-peak days: {n} at or above {fit_until:g} x the peak, "
            f"need {min_fit_days}"
        }
    y = np.log(path[:n])
    if np.ptp(y) == 0:
        return result | {"fit_note": "tension stayed flat over the fit window: no decay to fit"}
    slope, (slope_low, slope_high), caught = _ols_slope(y, cov_type, level)
    if isinstance(caught, Exception):
        return result | {"fit_note": f"fit failed: {caught}"}
    if not slope < 0:
        return result | {
            "fit_note": f"tension did not fall over the fit window (slope {slope:.3g})"
        }
    note = "ok" if not caught else "ok; statsmodels warned: " + "; ".join(caught)
    return result | {
        "half_life_days": float(-np.log(2) / slope),
        "half_life_low": float(-np.log(2) / slope_low),
        "half_life_high": float(-np.log(2) / slope_high) if slope_high < 0 else np.inf,
        "fit_note": note,
    }


def _ols_slope(y: np.ndarray, cov_type: str, level: float):
    """Slope of ``y`` on days 0, 1, ... and its interval; warnings are returned, not raised."""
    from statsmodels.regression.linear_model import OLS

    n = len(y)
    design = np.column_stack([np.ones(n), np.arange(n, dtype=float)])
    cov_kwds = None
    if cov_type == "HAC":
        cov_kwds = {"maxlags": int(4 * (n / 100) ** (2 / 9)), "use_correction": True}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = OLS(y, design).fit(cov_type=cov_type, cov_kwds=cov_kwds, use_t=True)
            slope = float(fit.params[1])
            low, high = (float(v) for v in fit.conf_int(alpha=1 - level)[1])
        except (ValueError, ZeroDivisionError, FloatingPointError, np.linalg.LinAlgError) as exc:
            return np.nan, (np.nan, np.nan), exc
    if not (np.isfinite(slope) and np.isfinite(low) and np.isfinite(high)):
        return np.nan, (np.nan, np.nan), ValueError("non-finite slope or interval")
    return slope, (low, high), [str(w.message) for w in caught]

"""Latent tension: a local-level state-space model with a 95 % band.

The observed series (a dyad's daily or weekly ``net``, or its ``tension``) is read as a
slowly moving level plus noise::

    observed(t) = level(t) + e(t),        e(t) ~ N(0, sigma2_irregular)
    level(t+1)  = level(t) + u(t),        u(t) ~ N(0, sigma2_level)

fitted by maximum likelihood with statsmodels' ``UnobservedComponents`` (a Kalman filter:
linear in the number of periods, well under a second for 1947-2025 weekly). The band is
the level's estimate +- 1.96 standard deviations. The model is Gaussian and event series
are spiky, so read the band as "where the underlying level plausibly lies given this
much noise", not as an exact probability statement.
"""

from __future__ import annotations

import warnings
from statistics import NormalDist

import numpy as np
import pandas as pd

LATENT_COLUMNS = ("date", "observed", "level", "lower", "upper", "converged", "fit_note")


def latent_tension(
    index: pd.DataFrame,
    freq: str = "W",
    *,
    column: str = "net",
    smoothed: bool = True,
    signal_to_noise: float | None = None,
    level: float = 0.95,
    maxiter: int = 200,
) -> pd.DataFrame:
    """Estimate one dyad's latent tension level with a confidence band.

    Parameters
    ----------
    index : pandas.DataFrame
        Rows of one dyad from :func:`relscore.tension_index` (``date`` and ``column``; a
        ``dyad`` column, if present, must hold one dyad).
    freq : {"W", "D"}, default "W"
        Weekly (weeks ending on Sunday, labelled by that Sunday) or daily periods.
    column : {"net", "tension"}, default "net"
        The series modelled. Weekly ``net`` is the week's sum (index points per week);
        weekly ``tension`` is the week's mean (index points).
    smoothed : bool, default True
        Use every period, before and after, to estimate each level (Kalman smoother);
        ``False`` uses only the past (Kalman filter), as a real-time reading would.
    signal_to_noise : float, optional
        Fix ``sigma2_level / sigma2_irregular`` instead of estimating it; the common scale
        is then estimated in closed form (no optimiser). By default both variances are
        fitted by maximum likelihood -- which, on a series whose spikes are followed by
        cooperation rather than by more conflict, can put all the variance in the noise
        and return a flat level: the data then show no lasting shift of the level. A fixed
        ratio draws a smoother of chosen flexibility, its band conditional on that choice.
    level : float, default 0.95
        Coverage of the band.
    maxiter : int, default 200
        Iterations allowed to the likelihood optimiser.

    Returns
    -------
    pandas.DataFrame
        One row per period: ``date``, ``observed``, ``level``, ``lower``, ``upper`` (index
        points, or index points per week for weekly ``net``), ``converged`` (whether the
        optimiser reported convergence) and ``fit_note`` (``"ok"``, or the optimiser's
        message and any warning statsmodels raised: a fit that did not converge still
        returns its last estimates, flagged, never hidden). ``attrs["params"]`` holds
        the fitted variances.

    Examples
    --------
    >>> import relscore
    >>> events = relscore.datasets.load("iran_pakistan")
    >>> index = relscore.tension_index(relscore.code_events(events))
    >>> band = latent_tension(index, "W", signal_to_noise=0.1)
    >>> january = band[band["date"].between("2024-01-14", "2024-02-04")].set_index("date")
    >>> january[["observed", "level", "lower", "upper"]].round(1)
                observed  level  lower  upper
    date
    2024-01-14       0.0    7.3    5.9    8.8
    2024-01-21      77.8    9.9    8.4   11.3
    2024-01-28     -10.9    5.6    4.1    7.1
    2024-02-04     -12.3    3.0    1.5    4.4
    """
    observed = _series(index, freq, column)
    if observed.empty:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in LATENT_COLUMNS})
    y = observed.to_numpy(dtype=float)
    if signal_to_noise is None:
        fit, converged, note = _fit(y, maxiter)
    else:
        fit, converged, note = _fixed_ratio(y, float(signal_to_noise))
    if fit is None:
        mean = sd = np.full(len(observed), np.nan)
        params = {}
    else:
        states = fit.smoothed_state if smoothed else fit.filtered_state
        covs = fit.smoothed_state_cov if smoothed else fit.filtered_state_cov
        mean, sd = states[0], np.sqrt(np.maximum(covs[0, 0], 0.0))
        params = dict(zip(fit.model.param_names, map(float, fit.params), strict=True))
    z = NormalDist().inv_cdf(0.5 + level / 2)
    table = pd.DataFrame(
        {
            "date": observed.index.to_numpy(),
            "observed": observed.to_numpy(dtype=float),
            "level": mean,
            "lower": mean - z * sd,
            "upper": mean + z * sd,
            "converged": converged,
            "fit_note": note,
        }
    )
    table.attrs["params"] = params
    return table


def _series(index: pd.DataFrame, freq: str, column: str) -> pd.Series:
    if column not in {"net", "tension"}:
        raise ValueError(f"column must be 'net' or 'tension', got {column!r}")
    if freq not in {"W", "D"}:
        raise ValueError(f"freq must be 'W' (weekly) or 'D' (daily), got {freq!r}")
    if "dyad" in index and len(index) and (index["dyad"] != index["dyad"].iloc[0]).any():
        raise ValueError("latent_tension models one dyad; select its rows first")
    daily = index.set_index(pd.to_datetime(index["date"]))[column].astype(float).sort_index()
    if freq == "D":
        return daily
    weekly = daily.resample("W")
    return weekly.sum() if column == "net" else weekly.mean()


def _fit(y: np.ndarray, maxiter: int):
    """Fit the local level; return the results (or None), the convergence flag and a note."""
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = UnobservedComponents(y, level="local level").fit(disp=False, maxiter=maxiter)
        except (ValueError, np.linalg.LinAlgError) as exc:
            return None, False, f"fit failed: {exc}"
    converged = bool(fit.mle_retvals.get("converged", False)) if fit.mle_retvals else False
    messages = [str(w.message) for w in caught]
    if not converged:
        reason = fit.mle_retvals.get("message", "") if fit.mle_retvals else ""
        messages.insert(0, f"optimiser did not converge in {maxiter} iterations {reason}".strip())
    return fit, converged, "; ".join(messages) if messages else "ok"


def _fixed_ratio(y: np.ndarray, ratio: float):
    """Local level with ``sigma2_level = ratio * sigma2_irregular``, scale by closed-form ML.

    With the ratio fixed, the Kalman filter run at unit scale gives prediction errors ``v``
    and variances ``f``; the likelihood's maximum over the scale is ``mean(v**2 / f)``.
    """
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    if not ratio >= 0:
        raise ValueError(f"signal_to_noise must be >= 0, got {ratio}")
    model = UnobservedComponents(y, level="local level")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            unit = model.filter([1.0, ratio])
            f = unit.forecasts_error_cov[0, 0]
            v = unit.forecasts_error[0]
            used = np.arange(len(y)) >= unit.loglikelihood_burn
            scale = float(np.mean(v[used] ** 2 / f[used]))
            fit = model.smooth([scale, ratio * scale])
        except (ValueError, np.linalg.LinAlgError) as exc:
            return None, False, f"fit failed: {exc}"
    messages = [f"signal_to_noise fixed at {ratio:g}; scale estimated in closed form"]
    messages += [str(w.message) for w in caught]
    return fit, True, "; ".join(messages)


def _dtype(column: str) -> str:
    return {"date": "datetime64[s]", "converged": "bool", "fit_note": "str"}.get(column, "float64")

"""Plots of the tension index. Each function draws on ``ax`` (or a new one) and returns it.

matplotlib is imported inside the functions so that ``import relscore`` stays fast, and
no function touches matplotlib's global state; use :func:`style` for the house look.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from importlib import resources

import pandas as pd

CONFLICT = "#D55E00"  # vermilion
COOPERATION = "#0072B2"  # blue
TENSION = "#000000"
SHADE = "#E69F00"  # orange, for the crisis window


def style() -> AbstractContextManager:
    """Context manager applying relscore's shipped ``.mplstyle`` (colour-blind-safe)."""
    import matplotlib.pyplot as plt

    path = resources.files("relscore.styles").joinpath("relscore.mplstyle")
    return plt.style.context(str(path))


def _axes(ax):
    import matplotlib.dates as mdates

    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    return ax


def plot_tension(
    index: pd.DataFrame,
    ax=None,
    *,
    label: str | None = "tension",
    color: str = TENSION,
    shade: tuple[str, str] | None = None,
    milestones: Sequence[tuple[str, str]] = (),
    ylabel: str = "tension (index points)",
):
    """Line of ``tension`` over ``date`` for one dyad, with a zero line.

    Parameters
    ----------
    index : pandas.DataFrame
        Rows of :func:`relscore.tension_index` for one dyad.
    shade : (start, end), optional
        Dates of a window to shade (e.g. a crisis).
    milestones : sequence of (date, label)
        Events to annotate; labels alternate between two heights so neighbours do not collide.
    """
    ax = _axes(ax)
    ax.axhline(0, color="#888888", linewidth=0.8, zorder=1)
    _shade(ax, shade)
    ax.plot(index["date"], index["tension"], color=color, label=label, zorder=3)
    _annotate(ax, index, milestones)
    ax.set_ylabel(ylabel)
    return ax


def _shade(ax, shade: tuple[str, str] | None) -> None:
    if shade is not None:
        start, end = pd.Timestamp(shade[0]), pd.Timestamp(shade[1])
        ax.axvspan(
            start, end, color=SHADE, alpha=0.15, linewidth=0, zorder=0, label="crisis window"
        )


def _annotate(ax, index: pd.DataFrame, milestones: Sequence[tuple[str, str]]) -> None:
    if not milestones:
        return
    series = index.set_index("date")["tension"]
    top = float(series.max())
    span = top - min(float(series.min()), 0.0)
    for i, (day, text) in enumerate(sorted(milestones)):
        when = pd.Timestamp(day)
        y = float(series.get(when, 0.0))
        height = top + span * (0.10 if i % 2 == 0 else 0.24)
        ax.annotate(
            text,
            xy=(when, y),
            xytext=(when, height),
            ha="center",
            va="bottom",
            fontsize=8,
            arrowprops={"arrowstyle": "-", "color": "#666666", "linewidth": 0.6},
        )
    ax.set_ylim(top=top + span * 0.42)


def plot_streams(
    index: pd.DataFrame,
    ax=None,
    *,
    milestones: Sequence[tuple[str, str]] = (),
    half_life: float | None = None,
    shade: tuple[str, str] | None = None,
):
    """Day-by-day conflict (up) and cooperation (down) bars with the tension line.

    Parameters
    ----------
    index : pandas.DataFrame
        Rows of :func:`relscore.tension_index` for one dyad over a short period.
    milestones : sequence of (date, label)
        Events to annotate above the bars.
    half_life : float, optional
        The decay kernel's half-life (days); if given, a dashed line shows how the index
        would have fallen from its peak by decay alone, with no further events.
    shade : (start, end), optional
        Dates of a window to shade (e.g. a crisis).
    """
    from relscore.index import decay_from_peak

    ax = _axes(ax)
    width = pd.Timedelta(hours=18)
    ax.axhline(0, color="#888888", linewidth=0.8, zorder=1)
    _shade(ax, shade)
    ax.bar(
        index["date"],
        index["conflict"],
        width=width,
        color=CONFLICT,
        label="conflict (that day)",
        zorder=2,
    )
    ax.bar(
        index["date"],
        -index["cooperation"],
        width=width,
        color=COOPERATION,
        label="cooperation (that day, drawn below zero)",
        zorder=2,
    )
    ax.plot(
        index["date"],
        index["tension"],
        color=TENSION,
        marker="o",
        markersize=2.5,
        label="tension (decayed net)",
        zorder=4,
    )
    if half_life is not None:
        decay = decay_from_peak(index.set_index("date")["tension"], half_life)
        ax.plot(
            decay.index,
            decay.to_numpy(),
            color=TENSION,
            linestyle="--",
            linewidth=1.0,
            label=f"decay alone from the peak (half-life {half_life:g} days)",
            zorder=3,
        )
    _annotate(ax, index, milestones)
    ax.set_ylabel("index points")
    ax.legend(loc="upper right")
    return ax


def source_note(fig, text: str) -> None:
    """Write a one-line source note under the figure."""
    fig.text(0.0, -0.02, text, ha="left", va="top", fontsize=7.5, color="#555555")


def plot_schemes(table: pd.DataFrame, ax=None):
    """Tension under several schemes, each divided by its own peak, with the half-peak line.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table with ``scheme``, ``date`` and ``share_of_peak`` (tension / its peak).
    """
    ax = _axes(ax)
    ax.axhline(0, color="#888888", linewidth=0.8, zorder=1)
    ax.axhline(0.5, color="#888888", linewidth=0.8, linestyle=":", zorder=1)
    ax.annotate(
        "half the peak",
        xy=(table["date"].max(), 0.5),
        ha="right",
        va="bottom",
        fontsize=8,
        color="#555555",
    )
    styles = ["-", "--", "-."]
    for i, (scheme, rows) in enumerate(table.groupby("scheme", sort=False)):
        ax.plot(
            rows["date"],
            rows["share_of_peak"],
            linestyle=styles[i % len(styles)],
            marker="o",
            markersize=2,
            label=scheme,
        )
    ax.set_ylabel("tension / its own peak (ratio)")
    ax.legend(title="scheme", loc="upper right")
    return ax


def plot_band(latent: pd.DataFrame, ax=None):
    """Observed weekly values as bars and the latent level as a line in its band.

    Parameters
    ----------
    latent : pandas.DataFrame
        Output of :func:`relscore.latent_tension`: ``date``, ``observed``, ``level``,
        ``lower``, ``upper`` (index points).
    """
    ax = _axes(ax)
    ax.axhline(0, color="#888888", linewidth=0.8, zorder=1)
    ax.bar(
        latent["date"],
        latent["observed"],
        width=pd.Timedelta(days=5),
        color="#999999",
        label="net that week",
        zorder=2,
    )
    ax.fill_between(
        latent["date"],
        latent["lower"],
        latent["upper"],
        color=COOPERATION,
        alpha=0.25,
        linewidth=0,
        label="95 % band",
        zorder=3,
    )
    ax.plot(latent["date"], latent["level"], color=COOPERATION, label="latent level", zorder=4)
    ax.set_ylabel("net per week (index points)")
    ax.legend(loc="upper right")
    return ax


def plot_aligned(table: pd.DataFrame, ax=None, *, half_life: float | None = None):
    """Episodes of several dyads on one clock: tension / peak against days since the peak.

    Parameters
    ----------
    table : pandas.DataFrame
        ``dyad``, ``peak_date``, ``days_since_peak``, ``share_of_peak`` and the episode's
        ``half_life_days``, ``half_life_low``, ``half_life_high`` (days).
    half_life : float, optional
        The decay kernel's half-life (days), drawn dashed as "decay alone".
    """
    import numpy as np

    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    ax.axhline(0, color="#888888", linewidth=0.8, zorder=1)
    ax.axhline(0.5, color="#888888", linewidth=0.8, linestyle=":", zorder=1)
    ax.axvline(0, color="#888888", linewidth=0.8, zorder=1)
    for dyad, rows in table.groupby("dyad", sort=False):
        first = rows.iloc[0]
        label = (
            f"{dyad}, peak {first['peak_date']:%d %b %Y}: half-life "
            f"{first['half_life_days']:.1f} d ({first['half_life_low']:.1f}–"
            f"{first['half_life_high']:.1f})"
        )
        ax.plot(rows["days_since_peak"], rows["share_of_peak"], label=label, zorder=3)
    if half_life is not None:
        days = np.arange(0, int(table["days_since_peak"].max()) + 1)
        ax.plot(
            days,
            0.5 ** (days / half_life),
            color="#000000",
            linestyle="--",
            linewidth=1.0,
            label=f"decay alone (half-life {half_life:g} days)",
            zorder=2,
        )
    ax.set_xlabel("days since the peak")
    ax.set_ylabel("tension / its peak (ratio)")
    ax.legend(loc="upper right", title="half-life fitted after the peak, 95 % interval")
    return ax

"""The charts. Each function draws on ``ax`` (or a new one) and returns it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from relscore.plot.layout import _annotate, legend_below
from relscore.plot.style import (
    CONFLICT,
    COOPERATION,
    LABEL_SIZE,
    NOTE,
    QUAD_CLASSES,
    TENSION,
    ZERO,
    _axes,
    _shade,
    _zero,
)
from relscore.plot.words import scheme_words


def plot_tension(
    index: pd.DataFrame,
    ax=None,
    *,
    label: str | None = "tension",
    color: str = TENSION,
    shade: tuple[str, str] | None = None,
    shade_label: str = "crisis window",
    milestones: Sequence[tuple[str, str]] = (),
    ylabel: str = "tension (index points)",
):
    """Line of ``tension`` over ``date`` for one dyad, with a zero line.

    Parameters
    ----------
    index : pandas.DataFrame
        Rows of :func:`relscore.tension_index` for one dyad.
    label : str, optional
        Legend entry of the line (no legend is drawn; call ``ax.legend()``).
    shade : (start, end), optional
        Dates of a window to shade (e.g. a crisis), with ``shade_label`` as its entry.
    milestones : sequence of (date, label)
        Events to annotate: a label over the line where tension is >= 0 that day (a
        spike), under it where tension is negative (warmth), as near its day as it can be
        without touching the line or another label; a thin line joins it to its day.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    _zero(ax)
    _shade(ax, shade, shade_label)
    ax.plot(index["date"], index["tension"], color=color, label=label, zorder=3)
    series = index.set_index("date")["tension"]
    _annotate(ax, series, milestones, series, series)
    ax.set_ylabel(ylabel)
    return ax


def plot_streams(
    index: pd.DataFrame,
    ax=None,
    *,
    milestones: Sequence[tuple[str, str]] = (),
    half_life: float | None = None,
    shade: tuple[str, str] | None = None,
    shade_label: str = "crisis window",
    legend: Mapping[str, object] | None = None,
):
    """Day-by-day conflict (up) and cooperation (down) bars with the tension line.

    Parameters
    ----------
    index : pandas.DataFrame
        Rows of :func:`relscore.tension_index` for one dyad over a short period.
    milestones : sequence of (date, label)
        Events to annotate over the bars and lines (as in :func:`plot_tension`).
    half_life : float, optional
        The decay kernel's half-life (days); if given, a dashed line shows how the index
        would have fallen from its peak by decay alone, with no further events.
    shade : (start, end), optional
        Dates of a window to shade (e.g. a crisis), with ``shade_label`` as its entry.
    legend : mapping, optional
        Keyword arguments for ``ax.legend``; by default the legend goes under the axes in
        two columns (:func:`legend_below`), clear of the labels over the data.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from relscore.index import decay_from_peak

    ax = _axes(ax)
    width = pd.Timedelta(hours=18)
    _zero(ax)
    _shade(ax, shade, shade_label)
    ax.bar(
        index["date"],
        index["conflict"],
        width=width,
        color=CONFLICT,
        label="conflict that day (drawn up)",
        zorder=2,
    )
    ax.bar(
        index["date"],
        -index["cooperation"],
        width=width,
        color=COOPERATION,
        label="cooperation that day (drawn down)",
        zorder=2,
    )
    ax.plot(
        index["date"],
        index["tension"],
        color=TENSION,
        marker="o",
        markersize=2.5,
        label="index: each day's conflict − cooperation, with earlier days fading",
        zorder=4,
    )
    days = index.set_index("date")
    upper = days[["tension", "conflict"]].max(axis=1)
    lower = np.minimum(days["tension"], -days["cooperation"])
    if half_life is not None:
        decay = decay_from_peak(index.set_index("date")["tension"], half_life)
        ax.plot(
            decay.index,
            decay.to_numpy(),
            color=TENSION,
            linestyle="--",
            linewidth=1.0,
            label=f"if nothing more had happened: the peak halving every {half_life:g} days",
            zorder=3,
        )
        upper = np.fmax(upper, decay)
    _annotate(ax, days[["tension", "conflict"]].max(axis=1), milestones, lower, upper)
    ax.set_ylabel("index points")
    if legend is None:
        legend_below(ax, ncols=2)
    else:
        ax.legend(**legend)
    return ax


def plot_schemes(table: pd.DataFrame, ax=None, *, labels: Mapping[str, str] | None = None):
    """Tension under several schemes, each divided by its own peak, with the half-peak line.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table with ``scheme``, ``date`` and ``share_of_peak`` (tension / its peak).
    labels : mapping, optional
        Legend entry per scheme; default :func:`scheme_words` of each.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    _zero(ax)
    ax.axhline(0.5, color=ZERO, linewidth=0.8, linestyle=":", zorder=1)
    ax.annotate(
        "half the peak",
        xy=(table["date"].max(), 0.5),
        ha="right",
        va="bottom",
        fontsize=LABEL_SIZE,
        color=NOTE,
    )
    styles = ["-", "--", "-."]
    for i, (scheme, rows) in enumerate(table.groupby("scheme", sort=False)):
        ax.plot(
            rows["date"],
            rows["share_of_peak"],
            linestyle=styles[i % len(styles)],
            marker="o",
            markersize=2,
            label=(labels or {}).get(scheme) or scheme_words(scheme),
        )
    ax.set_ylabel("index ÷ its own peak (1 = peak)")
    ax.legend(title="events weighted by", loc="upper right", alignment="left")
    return ax


def plot_band(latent: pd.DataFrame, ax=None):
    """Observed weekly values as bars and the latent level as a line in its band.

    Parameters
    ----------
    latent : pandas.DataFrame
        Output of :func:`relscore.latent_tension` on weekly ``net``: ``date``,
        ``observed`` (the week's sum of daily net scores), ``level``, ``lower``, ``upper``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    _zero(ax)
    ax.bar(
        latent["date"],
        latent["observed"],
        width=pd.Timedelta(days=5),
        color="#999999",
        label="that week: conflict − cooperation, summed over its days",
        zorder=2,
    )
    ax.fill_between(
        latent["date"],
        latent["lower"],
        latent["upper"],
        color=COOPERATION,
        alpha=0.25,
        linewidth=0,
        label="95 % range of the underlying level",
        zorder=3,
    )
    ax.plot(
        latent["date"],
        latent["level"],
        color=COOPERATION,
        label="underlying level (model estimate)",
        zorder=4,
    )
    ax.set_ylabel("weekly sum of daily net scores\n(index points, no fading)")
    ax.legend(loc="upper right")
    return ax


def plot_aligned(
    table: pd.DataFrame,
    ax=None,
    *,
    half_life: float | None = None,
    names: Mapping[str, str] | None = None,
):
    """Episodes of several dyads on one clock: tension / peak against days since the peak.

    Parameters
    ----------
    table : pandas.DataFrame
        ``dyad``, ``peak_date``, ``days_since_peak``, ``share_of_peak`` and the episode's
        ``half_life_days``, ``half_life_low``, ``half_life_high`` (days).
    half_life : float, optional
        The decay kernel's half-life (days), drawn dashed as "decay alone".
    names : mapping, optional
        How to call each dyad in the legend (e.g. ``{"IRN-PAK": "Iran–Pakistan"}``).

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    _zero(ax)
    ax.axhline(0.5, color=ZERO, linewidth=0.8, linestyle=":", zorder=1)
    ax.axvline(0, color=ZERO, linewidth=0.8, zorder=1)
    right = int(table["days_since_peak"].max())
    ax.annotate(
        "half the peak", xy=(right, 0.5), ha="right", va="bottom", fontsize=LABEL_SIZE, color=NOTE
    )
    for dyad, rows in table.groupby("dyad", sort=False):
        first = rows.iloc[0]
        label = (
            f"{(names or {}).get(dyad, dyad)}, peak {first['peak_date']:%d %b %Y}: halved "
            f"every {first['half_life_days']:.1f} days ({first['half_life_low']:.1f}–"
            f"{first['half_life_high']:.1f})"
        )
        ax.plot(rows["days_since_peak"], rows["share_of_peak"], label=label, zorder=3)
    if half_life is not None:
        days = np.arange(0, right + 1)
        ax.plot(
            days,
            0.5 ** (days / half_life),
            color="#000000",
            linestyle="--",
            linewidth=1.0,
            label=f"fading alone, with no new events: halves every {half_life:g} days",
            zorder=2,
        )
    ax.set_xlabel("days since the peak")
    ax.set_ylabel("index ÷ its peak (1 = peak)")
    ax.legend(
        loc="upper right",
        title="after the peak: fitted halving time (half-life), 95 % range",
        alignment="left",
    )
    return ax


def plot_coverage(table: pd.DataFrame, ax=None):
    """Events per year as stacked bars by class, and a mark under each year with none.

    Parameters
    ----------
    table : pandas.DataFrame
        ``year`` and a count column per class of :data:`QUAD_CLASSES` (e.g. from
        :func:`relscore.figures.coverage_table`), one row per year, zeros included.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    years = table["year"].to_numpy()
    base = np.zeros(len(table))
    handles = []
    for column, (label, color) in QUAD_CLASSES.items():
        counts = table[column].to_numpy(dtype=float)
        handles.append(
            ax.bar(years, counts, bottom=base, width=0.8, color=color, label=label, zorder=2)
        )
        base = base + counts
    empty = years[base == 0]
    (gaps,) = ax.plot(
        empty,
        np.zeros(len(empty)),
        linestyle="none",
        marker="x",
        markersize=3.5,
        markeredgewidth=0.9,
        color=NOTE,
        label="no event recorded that year: a gap in the record, not calm",
        zorder=3,
        clip_on=False,
    )
    ax.set_xlim(years.min() - 1, years.max() + 1)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("events recorded that year")
    handles = [*handles[::-1], gaps]  # as stacked, top first
    ax.legend(handles, [h.get_label() for h in handles], loc="upper left")
    return ax

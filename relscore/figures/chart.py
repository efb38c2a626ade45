"""One dyad of one's own events as a chart in the house style (``relscore chart``): the same
drawing, words and footers as the figures in ``figures/``, for any events file."""

from __future__ import annotations

import io

import pandas as pd

from relscore.codebook import DEFAULT_SCHEME
from relscore.coding import code_events
from relscore.figures.catalogue import _noted, timeline_labels
from relscore.figures.tables import dyad_name
from relscore.index import DEFAULT_HALF_LIFE, dyad_codes, tension_index
from relscore.vocabulary import check_dyad

SHORT_DAYS = 180  # a record this short is drawn day by day, conflict and cooperation apart
PADDING_DAYS = 7  # days of calendar drawn before the first event and after the last


def dyad_chart(
    events: pd.DataFrame,
    dyad: str,
    *,
    scheme: str = DEFAULT_SCHEME,
    overrides: dict[str, float] | None = None,
    half_life: float | None = None,
    window: int | None = None,
    title: str | None = None,
):
    """Draw ``dyad``'s tension from ``events``; return the matplotlib Figure.

    A record of up to :data:`SHORT_DAYS` days is drawn day by day (conflict up, cooperation
    down, the index, and its fall by decay alone, as the January 2024 figure is), with a week
    of calendar either side; a longer one as the index over time (as the timeline is), its
    highest episodes labelled. The axis always shows the year. The subtitle says what the
    index is and what its points are worth under ``scheme`` and ``overrides``; the footer
    names the data, and the weights when they are not the shipped ones.

    Parameters
    ----------
    events : pandas.DataFrame
        Events as :func:`relscore.read_events` returns them.
    dyad : str
        The undirected dyad, e.g. ``"AFG-PAK"``.
    scheme, overrides
        How events are scored (:func:`relscore.code_events`).
    half_life, window : optional
        The kernel (:func:`relscore.tension_index`); default decay with
        :data:`relscore.DEFAULT_HALF_LIFE`.
    title : str, optional
        Default: "Afghanistan–Pakistan tension, 9–31 October 2025" and the like.

    Raises
    ------
    UnknownDyadError
        If no event of ``events`` is between the two states of ``dyad``.
    """
    from relscore.plot import (
        index_words,
        plot_streams,
        plot_tension,
        points_words,
        style,
        titled,
    )

    overrides = dict(overrides or {})
    coded = code_events(events, scheme, overrides)
    codes, labels = dyad_codes(coded["actor1"], coded["actor2"])
    coded = coded[codes == check_dyad(labels, dyad)]
    first, last = coded["date"].min(), coded["date"].max()
    short = (last - first).days <= SHORT_DAYS
    pad = pd.Timedelta(days=PADDING_DAYS if short else 0)
    rows = tension_index(
        coded, window=window, half_life=half_life, start=first - pad, end=last + pad
    ).reset_index(drop=True)
    rows.attrs |= {"data_note": _data_note(events, coded, dyad), "overrides": overrides}
    kernel_half_life = None if window else (half_life or DEFAULT_HALF_LIFE)
    with style():
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots()
        if first.year == last.year:  # no tick crosses a new year to name it
            ax.set_xlabel(f"{first:%Y}")
        labels = timeline_labels(rows, peaks=3, warm=0, milestones=())
        if short:  # a month's peaks are told apart by their day
            labels = [(day, f"peak, {day.day} {day:%b}") for day, _ in labels]
            plot_streams(rows, ax, milestones=labels, half_life=kernel_half_life)
        else:
            plot_tension(rows, ax, milestones=labels, label=None)
        kernel = f"rolling {window}-day window" if window else None
        words = index_words(scheme, None if window else kernel_half_life)
        if kernel:
            words = words.rstrip(".") + f", summed over a {kernel}."
        titled(
            ax,
            title or f"{dyad_name(dyad)} tension, {_span(first, last)}",
            f"{words} {points_words(scheme, overrides)}",
        )
        return _noted(fig, rows)


def _data_note(events: pd.DataFrame, mine: pd.DataFrame, dyad: str) -> str:
    """The files and events behind the chart: "Data: afghanistan_pakistan.csv, 11 sourced
    events of AFG-PAK, 2025."."""
    from pathlib import Path

    files = sorted({Path(f).name for f in events["file"]}) if "file" in events else ["events"]
    first, last = f"{mine['date'].min():%Y}", f"{mine['date'].max():%Y}"
    years = first if first == last else f"{first}–{last}"
    return f"Data: {', '.join(files)}, {len(mine)} sourced events of {dyad}, {years}."


def _span(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """The dates of a record in words: "9–31 October 2025", "2014–2025"."""
    if first.year != last.year:
        return f"{first:%Y}–{last:%Y}"
    if first.month != last.month:
        return f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
    return f"{first.day}–{last.day} {last:%B %Y}"


def chart_bytes(fig, fmt: str) -> bytes:
    """``fig`` as PNG or SVG bytes, deterministic as the figures are (no dates, no software
    name, a fixed SVG hash salt from the house style)."""
    from relscore.plot import style

    metadata = {"png": {"Software": None}, "svg": {"Date": None}}[fmt]
    buffer = io.BytesIO()
    with style():
        fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()

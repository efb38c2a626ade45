"""Every figure relscore draws: its name, the table behind it and how it is drawn, with
the words and labels on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from relscore.codebook import DEFAULT_SCHEME, weights_table
from relscore.figures.tables import (
    ALIGNED_DAYS,
    COMPARED,
    CRISIS,
    JANUARY_2024,
    SIGNAL_TO_NOISE,
    Bundle,
    _between,
    comparison_table,
    coverage_table,
    data_note,
    dyad_index,
    dyad_name,
    episodes_table,
    latent_table,
    schemes_table,
)
from relscore.index import DEFAULT_HALF_LIFE

SOURCE = (
    f"Index: relscore, decay half-life {DEFAULT_HALF_LIFE:g} days, scheme '{DEFAULT_SCHEME}' "
    "unless the chart names another."
)
# What happened, in neutral words, at the start or peak of an episode (date of the event).
# The timeline labels its highest episodes by month and year, adding the words of the last
# milestone between an episode's start and its peak; a milestone outside those episodes is
# labelled on its own, below the zero line where the index is warm that day.
TIMELINE_MILESTONES = (
    ("1965-09-01", "Iran aids Pakistan\nin its war with India"),
    ("2014-10-17", "Iranian guards' raid\nkills a soldier"),
    ("2017-05-27", "Iranian mortar fire\nkills a civilian"),
    ("2024-01-16", "missile strikes\nboth ways"),
    ("2025-09-01", "flood aid,\nsummit talks"),
)
TIMELINE_PEAKS = 5  # episodes of conflict labelled on the timeline, highest first
TIMELINE_WARM = 1  # episodes of warmth labelled on the timeline, deepest first
JANUARY_2024_MILESTONES = (
    ("2024-01-16", "Iran strikes\nPanjgur"),
    ("2024-01-18", "Pakistan strikes\nSaravan"),
    ("2024-01-22", "joint\nstatement"),
    ("2024-01-26", "ambassadors\nback"),
    ("2024-01-29", "Iranian FM\nin Islamabad"),
)


@dataclass(frozen=True)
class Figure:
    """One figure: its file stem, the table it plots (written as CSV) and how to draw it."""

    name: str
    table: Callable[[Bundle], pd.DataFrame]
    draw: Callable[[pd.DataFrame], object] | None  # None: a table only, no image


def january_2024_panel(
    events: pd.DataFrame,
    overrides: dict[str, float] | None = None,
    half_life: float = DEFAULT_HALF_LIFE,
    ax=None,
):
    """Draw the January 2024 panel (conflict up, cooperation down, tension) for ``events``
    under ``overrides`` and a decay ``half_life`` (days); return the Axes."""
    from relscore.plot import plot_streams, style

    index = dyad_index(events, overrides or {}, half_life=half_life)
    rows = index[index["date"].between(*JANUARY_2024)]
    with style():
        return plot_streams(
            rows, ax, milestones=JANUARY_2024_MILESTONES, half_life=half_life, shade=CRISIS
        )


def weight_sliders(
    events: pd.DataFrame,
    codes=("195", "036", "161"),
    overrides: dict[str, float] | None = None,
):
    """Sliders (ipywidgets) for the weights of ``codes`` and the half-life, redrawing
    :func:`january_2024_panel` as they move.

    Each slider starts at the code's weight under ``overrides`` (default the shipped weights)
    and runs over its side of the scale (0 ... -10 for a conflictual code, 0 ... +10 for a
    cooperative one). The chart is an image widget that each move replaces, so it redraws
    whatever matplotlib backend the kernel runs (``interact`` redraws only under the
    inline backend's module name).

    Returns
    -------
    ipywidgets.VBox or None
        The sliders above the chart, for a notebook to show; None, with a message, when
        ipywidgets is not installed.
    """
    try:
        import ipywidgets
    except ImportError:
        print("ipywidgets is not installed; no sliders (pip install ipywidgets)")
        return None
    overrides = dict(overrides or {})
    start = weights_table(overrides=overrides).loc[list(codes), "weight"]
    sliders = {
        code: ipywidgets.FloatSlider(
            value=weight,
            min=-10.0 if weight < 0 else 0.0,
            max=0.0 if weight < 0 else 10.0,
            step=0.5,
            description=f'"{code}"',
            continuous_update=False,  # one redraw when the slider is let go
        )
        for code, weight in start.items()
    }
    half_life = ipywidgets.FloatSlider(
        value=DEFAULT_HALF_LIFE,
        min=2,
        max=60,
        step=1,
        description="half-life",
        continuous_update=False,
    )
    chart = ipywidgets.Image(format="png", layout=ipywidgets.Layout(max_width="100%"))

    def draw(_change=None) -> None:
        weights = overrides | {code: slider.value for code, slider in sliders.items()}
        chart.value = _panel_png(events, weights, half_life.value)

    for slider in (*sliders.values(), half_life):
        slider.observe(draw, names="value")
    draw()
    return ipywidgets.VBox([*sliders.values(), half_life, chart])


def _panel_png(events: pd.DataFrame, overrides: dict[str, float], half_life: float) -> bytes:
    """:func:`january_2024_panel` as PNG bytes, titled with its settings, drawn on a figure of
    its own (no pyplot state, so nothing is left open or shown twice)."""
    import io

    from matplotlib.figure import Figure

    from relscore.plot import style, titled
    from relscore.plot.words import signed

    weights = ", ".join(f'"{code}" = {signed(w)}' for code, w in sorted(overrides.items()))
    with style():
        fig = Figure()
        ax = january_2024_panel(events, overrides, half_life, ax=fig.subplots())
        titled(ax, f"January 2024 at {weights}; half-life {half_life:g} days")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _cited(table: Callable[[Bundle], pd.DataFrame], dyads: tuple[str, ...] | None = None):
    """``table``, with the data note (:func:`data_note`) of the events behind it and the
    weight overrides it was built with in the table's ``attrs`` (not written to the CSV):
    ``dyads`` of every events file, or the Iran–Pakistan events."""

    def cited(bundle: Bundle) -> pd.DataFrame:
        rows = table(bundle)
        events = bundle.events if dyads is None else bundle.all_events
        rows.attrs["data_note"] = data_note(events, dyads)
        rows.attrs["overrides"] = dict(bundle.overrides)
        return rows

    return cited


def timeline_labels(
    index: pd.DataFrame,
    peaks: int = TIMELINE_PEAKS,
    warm: int = TIMELINE_WARM,
    milestones=TIMELINE_MILESTONES,
) -> list[tuple[pd.Timestamp, str]]:
    """Labels for the highest episodes of ``index`` and for the milestones outside them.

    The ``peaks`` highest episodes of conflict and the ``warm`` deepest of warmth (episodes,
    as :func:`relscore.episodes` finds them, of the index and of its negative) are labelled
    at their peak with its month and year, and with the words of the last of
    ``milestones`` between the episode's start and its peak, if any. Every other milestone
    inside the index's dates is labelled at its own date with its month and year.

    Returns
    -------
    list of (date, label)
        For :func:`relscore.plot.plot_tension`, which puts a label above the line where
        the index is >= 0 that day and below it where it is negative.
    """
    from relscore.analysis.episodes import episodes

    def top(rows: pd.DataFrame, n: int) -> pd.DataFrame:
        found = episodes(rows, half_life=DEFAULT_HALF_LIFE)
        return found.sort_values(["peak", "peak_date"], ascending=[False, True]).head(n)

    warmth = index.assign(tension=-index["tension"], net=-index["net"])
    chosen = pd.concat([top(index, peaks), top(warmth, warm)], ignore_index=True)
    days = pd.to_datetime([day for day, _ in milestones])
    words = [text for _, text in milestones]
    used: set[int] = set()
    labels = []
    for episode in chosen.itertuples():
        inside = np.flatnonzero((days >= episode.start) & (days <= episode.peak_date))
        text = f"{episode.peak_date:%b %Y}"
        if len(inside):
            used.add(int(inside[-1]))
            text += "\n" + words[inside[-1]]
        labels.append((episode.peak_date, text))
    first, last = index["date"].min(), index["date"].max()
    for i, day in enumerate(days):
        if i not in used and first <= day <= last:
            labels.append((day, f"{day:%b %Y}\n{words[i]}"))
    return sorted(labels)


def _overrides(rows: pd.DataFrame) -> dict[str, float]:
    """The weight overrides ``rows`` were built with ({}: the shipped weights)."""
    return rows.attrs.get("overrides", {})


def _noted(fig, rows: pd.DataFrame, *notes: str):
    """Write ``notes``, the data note of ``rows`` and, when they are not the shipped ones,
    the weights ``rows`` were built with under ``fig``; return ``fig``."""
    from relscore.plot import source_note, weights_words

    data = rows.attrs.get("data_note", "")
    for note in (*notes, data, weights_words(_overrides(rows))):
        if note:
            source_note(fig, note)
    return fig


def _years(rows: pd.DataFrame) -> str:
    return f"{rows['date'].min():%Y}–{rows['date'].max():%Y}"


def _days(rows: pd.DataFrame) -> str:
    first, last = rows["date"].min(), rows["date"].max()
    return f"{first.day} {first:%B} – {last.day} {last:%B %Y}"


def _latent(table: pd.DataFrame):
    from relscore.plot import index_words, plot_band, points_words, titled

    fig, ax = _figure()
    plot_band(table, ax)
    titled(
        ax,
        f"Iran–Pakistan, {_years(table)}: the level beneath the weekly ups and downs",
        "Grey bars: each week's conflict minus cooperation, its daily scores summed with no "
        "fading: a scale of its own, not the fading index of the other charts (above 0: more "
        "conflict than cooperation). Blue: the slow-moving level a statistical model reads "
        "beneath the week-to-week noise, with the range it is 95 % sure of.",
    )
    return _noted(
        fig,
        table,
        "Model: local level (a level that drifts, plus noise), fitted to the whole record; "
        "how fast the level may drift is set, not fitted: its weekly steps get "
        f"{SIGNAL_TO_NOISE:g} × the noise's variance (signal-to-noise ratio). "
        + index_words(half_life=None).split(". ", 1)[1]
        + " "
        + points_words(overrides=_overrides(table)),
    )


def _compared(table: pd.DataFrame):
    from relscore.plot import plot_aligned, titled

    fig, ax = _figure()
    names = {dyad: dyad_name(dyad) for dyad in table["dyad"].unique()}
    plot_aligned(table, ax, half_life=DEFAULT_HALF_LIFE, names=names)
    before, after = ALIGNED_DAYS
    titled(
        ax,
        "Three crises, aligned on their peak: how fast each calmed down",
        "Each line: one pair of states' index (above 0: more conflict than cooperation "
        f"between them) divided by its own peak, from {-before} days before the peak to "
        f"{after} after (1 = the peak). Left alone, the index fades, halving every "
        f"{DEFAULT_HALF_LIFE:g} days (dashed): a line that falls faster shows events, "
        "not time, bringing tension down.",
    )
    return _noted(fig, table)


def _timeline(rows: pd.DataFrame):
    from relscore.plot import index_words, plot_tension, points_words, titled

    fig, ax = _figure()
    plot_tension(rows, ax, milestones=timeline_labels(rows), label=None)
    titled(
        ax,
        f"Iran–Pakistan tension, {_years(rows)}",
        f"{index_words()} {points_words(overrides=_overrides(rows))} A flat stretch at 0 can "
        "mean that no event was recorded: a gap in the record, not calm (see the chart of "
        "events per year).",
    )
    return _noted(fig, rows)


def _recent(rows: pd.DataFrame):
    from relscore.plot import index_words, plot_tension, points_words, shade_words, titled

    fig, ax = _figure()
    plot_tension(
        rows,
        ax,
        shade=CRISIS,
        shade_label=shade_words(CRISIS),
        milestones=timeline_labels(rows, peaks=1, warm=1),
        label="the index, day by day",
    )
    ax.legend(loc="upper right")
    titled(
        ax,
        f"Iran–Pakistan tension, {_years(rows)}",
        f"{index_words()} {points_words(overrides=_overrides(rows))}",
    )
    return _noted(fig, rows)


def _january_2024(rows: pd.DataFrame):
    from relscore.plot import index_words, plot_streams, points_words, shade_words, titled

    fig, ax = _figure()
    plot_streams(
        rows,
        ax,
        milestones=JANUARY_2024_MILESTONES,
        half_life=DEFAULT_HALF_LIFE,
        shade=CRISIS,
        shade_label=shade_words(CRISIS),
    )
    titled(
        ax,
        "January 2024: the missile exchange and its quick de-escalation, day by day",
        f"{index_words()} {points_words(overrides=_overrides(rows))}",
    )
    return _noted(fig, rows)


def _schemes(table: pd.DataFrame):
    from relscore.plot import plot_schemes, titled

    fig, ax = _figure()
    plot_schemes(table, ax)
    titled(
        ax,
        "Does the quick de-escalation survive other weights?",
        f"Each line: the Iran–Pakistan index, {_days(table)}, under one way of weighting "
        "events (above 0: more conflict than cooperation), divided by its own peak over the "
        "whole record so that the three share one axis (1 = that peak). All fade, halving every "
        f"{DEFAULT_HALF_LIFE:g} days.",
    )
    return _noted(fig, table)


def _coverage(table: pd.DataFrame):
    from relscore.plot import plot_coverage, titled

    fig, ax = _figure()
    plot_coverage(table, ax)
    first, last = table["year"].min(), table["year"].max()
    titled(
        ax,
        f"Where the Iran–Pakistan record is thin: events per year, {first}–{last}",
        "Each bar counts the events the record holds for one year, by kind (CAMEO class). "
        "A year without a bar had no event recorded: a gap in the record, not a calm year, "
        "though the tension index runs flat at 0 through it.",
    )
    return _noted(fig, table)


FIGURES = (
    Figure("iran_pakistan_timeline", _cited(_between()), _timeline),
    Figure(
        "iran_pakistan_coverage",
        _cited(lambda b: coverage_table(b.events, b.overrides)),
        _coverage,
    ),
    Figure("iran_pakistan_2023_2025", _cited(_between("2023-01-01", "2025-12-31")), _recent),
    Figure("iran_pakistan_jan2024", _cited(_between(*JANUARY_2024)), _january_2024),
    Figure(
        "iran_pakistan_schemes",
        _cited(lambda b: schemes_table(b.events, b.overrides)),
        _schemes,
    ),
    Figure(
        "iran_pakistan_latent",
        _cited(lambda b: latent_table(b.events, b.overrides)),
        _latent,
    ),
    Figure(
        "episodes_compared",
        _cited(lambda b: comparison_table(b.all_events, b.overrides), dyads=COMPARED),
        _compared,
    ),
    Figure("episodes", lambda b: episodes_table(b.all_events, b.overrides), None),
)


def _figure():
    import matplotlib.pyplot as plt

    return plt.subplots()

"""The house look: colours, sizes, the shipped style sheet, and the axes every chart shares."""

from __future__ import annotations

from contextlib import AbstractContextManager
from importlib import resources

import pandas as pd

CONFLICT = "#D55E00"  # vermilion
COOPERATION = "#0072B2"  # blue
CONFLICT_LIGHT = "#EAAF80"  # vermilion halfway to white: words, where CONFLICT is deeds
COOPERATION_LIGHT = "#80B9D9"  # blue halfway to white
TENSION = "#000000"
SHADE = "#E69F00"  # orange, for the crisis window
ZERO = "#888888"  # the zero line and other reference lines
NOTE = "#555555"  # subtitles, notes, leader lines
LABEL_SIZE = 8.5  # points: labels on the chart
SUBTITLE_SIZE = 9.0
NOTE_SIZE = 8.0
QUAD_CLASSES = {  # class: (words on the chart, colour), stacked in this order
    "material_cooperation": (
        "deeds of cooperation: aid, joint drills, reopened borders",
        COOPERATION,
    ),
    "verbal_cooperation": ("words of cooperation: visits, calls, statements", COOPERATION_LIGHT),
    "verbal_conflict": ("words of conflict: protests, demands, threats", CONFLICT_LIGHT),
    "material_conflict": ("deeds of conflict: strikes, recalled envoys, closures", CONFLICT),
}
EXAMPLE_CODES = (("195", "an air strike"), ("042", "a visit"))  # for the index points


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
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    return ax


def _zero(ax) -> None:
    ax.axhline(0, color=ZERO, linewidth=0.8, zorder=1)


def _shade(ax, shade: tuple[str, str] | None, label: str = "crisis window") -> None:
    if shade is not None:
        start, end = pd.Timestamp(shade[0]), pd.Timestamp(shade[1])
        ax.axvspan(start, end, color=SHADE, alpha=0.15, linewidth=0, zorder=0, label=label)

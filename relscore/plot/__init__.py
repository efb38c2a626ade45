"""Plots of the tension index. Each chart draws on ``ax`` (or a new one) and returns it.

matplotlib is imported inside the functions so that ``import relscore`` stays fast, and
no function touches matplotlib's global state; use :func:`style` for the house look.
The words on the charts (:func:`scheme_words`, :func:`index_words`) are built from the
settings they describe, so a changed default changes the captions with it.

May import :mod:`relscore.index`, :mod:`relscore.coding`, :mod:`relscore.codebook` and the
bottom layer (the words say what the settings are); never a reader.
"""

from relscore.plot.charts import (
    plot_aligned,
    plot_band,
    plot_coverage,
    plot_schemes,
    plot_streams,
    plot_tension,
)
from relscore.plot.crises import plot_known_crises
from relscore.plot.layout import legend_below, source_note, titled
from relscore.plot.style import CONFLICT, COOPERATION, QUAD_CLASSES, style
from relscore.plot.words import (
    index_words,
    kernel_words,
    points_words,
    scheme_does,
    scheme_words,
    shade_words,
    weights_words,
)

__all__ = [
    "CONFLICT",
    "COOPERATION",
    "QUAD_CLASSES",
    "index_words",
    "kernel_words",
    "legend_below",
    "plot_aligned",
    "plot_band",
    "plot_coverage",
    "plot_known_crises",
    "plot_schemes",
    "plot_streams",
    "plot_tension",
    "points_words",
    "scheme_does",
    "scheme_words",
    "shade_words",
    "source_note",
    "style",
    "titled",
    "weights_words",
]

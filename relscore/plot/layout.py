"""Where text goes: titles and subtitles wrapped to the axes, footers, legends below the
chart, and labels placed over spikes and under dips without overlapping."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from relscore.plot.style import LABEL_SIZE, NOTE, NOTE_SIZE, SUBTITLE_SIZE


def _text_size(
    text: str, fontsize: float, linespacing: float = 1.2, weight: str = "normal"
) -> tuple[float, float]:
    """Width and height of ``text`` in points (a slight overestimate of what Agg draws)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measure = TextToPath().get_text_width_height_descent
    prop = FontProperties(size=fontsize, weight=weight)
    lines = text.split("\n")
    width = max(measure(line, prop, ismath=False)[0] for line in lines) if text else 0.0
    return width * 1.07, len(lines) * fontsize * linespacing


def _wrap(text: str, width: float, fontsize: float, weight: str = "normal") -> str:
    """``text`` broken at spaces into lines at most ``width`` points wide (kept ``\\n``s)."""
    out = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if line and _text_size(trial, fontsize, weight=weight)[0] > width:
                out.append(line)
                line = word
            else:
                line = trial
        out.append(line)
    return "\n".join(out)


def _axes_size(ax) -> tuple[float, float]:
    """Width and height of ``ax`` in points (its position in the figure, no renderer)."""
    box = ax.get_position()
    width, height = ax.figure.get_size_inches()
    return width * 72 * box.width, height * 72 * box.height


def titled(ax, title: str, subtitle: str = ""):
    """Give ``ax`` a bold title with a subtitle under it, wrapped to the axes' width.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    title : str
        One line; the figure's message.
    subtitle : str
        How to read the chart, in plain words; wrapped at spaces (``\\n`` starts a line).

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib import rcParams

    if not subtitle:
        ax.set_title(title)
        return ax
    width = _axes_size(ax)[0]
    below = ax.annotate(
        _wrap(subtitle, width, SUBTITLE_SIZE),
        xy=(0, 1),
        xycoords="axes fraction",
        xytext=(0, 8),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=SUBTITLE_SIZE,
        color=NOTE,
        linespacing=1.35,
    )
    ax.annotate(
        _wrap(title, width, rcParams["axes.titlesize"], rcParams["axes.titleweight"]),
        xy=(0, 1),
        xycoords=below,
        xytext=(0, 5),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=rcParams["axes.titlesize"],
        fontweight=rcParams["axes.titleweight"],
    )
    return ax


def source_note(fig, text: str) -> None:
    """Write a note under everything already on ``fig``, flush with its left edge and
    wrapped to its width.

    Called twice, the second note goes under the first. ``\\n`` starts a new line.
    """
    box = fig.get_tightbbox()  # inches, everything drawn so far
    width, height = fig.get_size_inches()
    fig.text(
        box.x0 / width,
        box.y0 / height - 0.04 / height,
        _wrap(text, box.width * 72, NOTE_SIZE),
        ha="left",
        va="top",
        fontsize=NOTE_SIZE,
        color=NOTE,
        linespacing=1.35,
    )


def legend_below(ax, **options):
    """Put the legend of ``ax`` under it, clear of its tick labels and x label.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    **options
        More keyword arguments for ``ax.legend`` (e.g. ``ncols``).

    Returns
    -------
    matplotlib.legend.Legend
    """
    from matplotlib import rcParams

    size = rcParams["font.size"]  # tick labels are "medium"
    drop = rcParams["xtick.major.size"] + rcParams["xtick.major.pad"] + 1.2 * size + 8
    if ax.get_xlabel():
        drop += rcParams["axes.labelpad"] + 1.2 * size
    offset = drop / _axes_size(ax)[1]
    return ax.legend(
        **({"loc": "upper left", "bbox_to_anchor": (0, -offset), "borderaxespad": 0} | options)
    )


@dataclass(frozen=True)
class _Box:
    """A placed label, in points from the axes' edge it grows away from: its text box
    ``x0 ... x1`` by ``y0 ... y1`` and its leader, a vertical line at ``x`` from ``tip``
    (the point labelled) up to the box."""

    x0: float
    x1: float
    y0: float
    y1: float
    x: float
    tip: float
    align: str  # "center", "right" or "left": where the box sits on its point

    def overlaps(self, other: _Box, gap: float) -> bool:
        """Whether the two boxes come closer than ``gap``."""
        return (
            self.x0 < other.x1 + gap
            and other.x0 < self.x1 + gap
            and self.y0 < other.y1 + gap
            and other.y0 < self.y1 + gap
        )

    def crosses(self, other: _Box) -> bool:
        """Whether this box's leader runs through the ``other`` box."""
        return other.x0 < self.x < other.x1 and other.y0 < self.y0 and self.tip < other.y1


PAD, GAP, SIDE_COST = 3.0, 3.0, 4.0  # points: box over its data; between boxes; cost of beside


def _layout(labels, ceiling, width: float, strict: bool = True) -> list[_Box]:
    """Place each label as low as it can go over the data, without touching another.

    Parameters
    ----------
    labels : list of (x, tip, width, height)
        In points, sorted by ``x``: the point labelled and the size of its text.
    ceiling : callable
        ``ceiling(x0, x1)``: the top of the data over ``x0 ... x1`` (points).
    width : float
        Width of the axes (points); boxes stay inside it.
    strict : bool
        Also keep every leader out of every other box; if no layout does, the layout
        without that rule (always possible: boxes stack up) is returned.

    Returns
    -------
    list of _Box
        The cheapest layout by the sum of the boxes' heights (a box beside its point
        rather than centred on it costs ``SIDE_COST`` more): a depth-first search over
        each label's three placements, lowest free height for each.
    """
    spans = []
    for x, tip, w, _ in labels:
        mine = []
        for align, x0 in (("center", x - w / 2), ("right", x - w), ("left", x)):
            x0 = min(max(x0, 0.0), max(0.0, width - w))
            mine.append((align, x0, max(ceiling(x0, x0 + w), tip) + PAD))
        spans.append(mine)

    def clash(box: _Box, other: _Box) -> bool:
        return box.overlaps(other, GAP) or (strict and (box.crosses(other) or other.crosses(box)))

    def options(i: int, placed: list[_Box]) -> list[tuple[float, _Box]]:
        x, tip, w, h = labels[i]
        found = []
        for align, x0, floor in spans[i]:
            for y0 in sorted({floor} | {b.y1 + GAP for b in placed if b.y1 + GAP > floor}):
                box = _Box(x0, x0 + w, y0, y0 + h, x, tip, align)
                if not any(clash(box, b) for b in placed):
                    found.append((y0 + (align != "center") * SIDE_COST, box))
                    break
        return sorted(found, key=lambda option: option[0])

    best: list = [np.inf, None]

    def search(i: int, placed: list[_Box], cost: float) -> None:
        if cost >= best[0]:
            return
        if i == len(labels):
            best[:] = [cost, placed]
            return
        for extra, box in options(i, placed):
            search(i + 1, [*placed, box], cost + extra)

    search(0, [], 0.0)
    if best[1] is None:
        return _layout(labels, ceiling, width, strict=False)
    return best[1]


def _ceiling(xs: np.ndarray, ys: np.ndarray, a: float, b: float) -> float:
    """The highest of ``ys`` whose ``xs`` lie in ``a ... b`` (2 points of slack each side)."""
    inside = (xs >= a - 2) & (xs <= b + 2)
    return float(ys[inside].max()) if inside.any() else 0.0


def _annotate(
    ax,
    at: pd.Series,
    milestones: Sequence[tuple[str, str]],
    lower: pd.Series,
    upper: pd.Series,
    *,
    fontsize: float = LABEL_SIZE,
) -> None:
    """Label ``milestones`` at their value in ``at``: over the data (``upper``) where the
    value is >= 0, under it (``lower``) where it is negative, each label as near its point
    as it can be without touching the data, another label or another label's leader line.

    The y-range grows until the labels fit inside the axes; the ticks stay on the data.
    """
    import matplotlib.dates as mdates

    if not milestones:
        return
    lo, hi = min(float(lower.min()), 0.0), max(float(upper.max()), 0.0)
    width, height = _axes_size(ax)
    x0, x1 = ax.get_xlim()
    ax.set_xlim(x0, x1)  # the labels' places are worked out for this range

    def across(dates) -> np.ndarray:
        return (mdates.date2num(pd.to_datetime(dates)) - x0) / (x1 - x0) * width

    rows = [
        (pd.Timestamp(day), float(at.get(pd.Timestamp(day), 0.0)), text)
        for day, text in sorted(milestones)
    ]
    sides = {
        "above": ([r for r in rows if r[1] >= 0], upper, 1),
        "below": ([r for r in rows if r[1] < 0], lower, -1),
    }
    margin = 0.05 * (hi - lo) if hi > lo else 1.0
    bottom, top = lo - margin, hi + margin
    ticks = ax.yaxis.get_major_locator().tick_values(lo, hi)
    for _ in range(8):  # grow the range until every label fits inside the axes
        scale = height / (top - bottom)  # points per index point
        layouts, grow = {}, {}
        for side, (group, envelope, sign) in sides.items():
            if not group:
                continue

            def away(values, sign=sign, bottom=bottom, scale=scale) -> np.ndarray:
                """Points from the axes' edge on this side of the data, inwards."""
                up = (np.asarray(values, dtype=float) - bottom) * scale
                return up if sign == 1 else height - up

            data = np.maximum(away(envelope.to_numpy()), away(0.0))  # the zero line too
            ceiling = partial(_ceiling, across(envelope.index), data)
            labels = [
                (float(x), float(away(value)), *_text_size(text, fontsize))
                for x, (_, value, text) in zip(across([r[0] for r in group]), group, strict=True)
            ]
            layouts[side] = _layout(labels, ceiling, width)
            over = max(box.y1 for box in layouts[side]) - height
            if over > 0:
                grow[side] = over / scale * 1.05
        if not grow:
            break
        top += grow.get("above", 0.0)
        bottom -= grow.get("below", 0.0)
    ax.set_ylim(bottom, top)
    ax.set_yticks([t for t in ticks if lo - 1e-9 <= t <= hi + 1e-9])
    for side, boxes in layouts.items():
        up = side == "above"
        for (when, value, text), box in zip(sides[side][0], boxes, strict=True):
            anchor = {"center": 0.5, "right": 1.0, "left": 0.0}[box.align]
            ax.annotate(
                text,
                xy=(when, value),
                xytext=(box.x0 + anchor * (box.x1 - box.x0), box.y0 if up else height - box.y0),
                textcoords="axes points",
                ha=box.align,
                va="bottom" if up else "top",
                fontsize=fontsize,
                arrowprops={
                    "arrowstyle": "-",
                    "color": NOTE,
                    "linewidth": 0.6,
                    "shrinkA": 0,
                    "shrinkB": 1.5,
                    "relpos": (anchor, 0.0 if up else 1.0),
                },
            )

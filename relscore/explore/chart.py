"""The explorer's Vega-Lite chart: the detail view, the event markers and the brushable
overview, with the controls for scheme, kernel and the dominant codes' weights.

The browser only picks and adds: the controls pick one reading (``v = scheme *
len(KERNELS) + kernel``), and the chart shows ``tension + sum((r - 1) * part)`` over the
dominant codes, with ``r = clip(factor * weight, -10, 10) / weight`` under the chosen
scheme -- exact, as the index is linear in each code's contributions
(:mod:`relscore.explore.readings`).
"""

from __future__ import annotations

import pandas as pd

from relscore.codebook import DEFAULT_SCHEME, SCHEMES
from relscore.explore.page import code_words, kernel_label, scheme_label
from relscore.explore.readings import DEFAULT_KERNEL, FACTORS, KERNELS, TOP
from relscore.plot.style import CONFLICT, COOPERATION, NOTE, TENSION, ZERO
from relscore.vocabulary import WEIGHT_MAX, WEIGHT_MIN

WIDTH = 900  # pixels; the page fits the views to the window when it opens
HEIGHT = 230  # pixels, the detail view


def explorer_chart(alt, readings: dict, brush_ms: list[int], short: bool = False):
    """The Vega-Lite chart of the ``readings`` of :func:`~relscore.explore.readings.explorer_data`:
    detail, event markers and overview, with the controls; ``brush_ms``: the brush's first
    and last day (ms since 1970); ``short``: a record of months, not years (the overview's
    ticks then name days)."""
    params, ratio, weight = _controls(alt, readings["codes"], readings["weights"])
    # Each table once, at the top level, named, and empty: the page fills them from its
    # packed tables before the chart is drawn (relscore.explore.packing).
    series = alt.NamedData(name="series")
    datasets = {"series": [], "events": [], "counts": [], "zero": [{"y": 0}]}
    x_detail = alt.X(
        "date:T",
        scale=alt.Scale(type="utc", domain={"param": "brush", "encoding": "x"}),
        # A short record's year is in the page's title; its ticks name days.
        axis=alt.Axis(title=None, format="%e %b" if short else "%e %b %Y", labelOverlap=True),
    )
    ty = " + ".join(["datum.y"] + [f"({r} - 1) * datum.p{j + 1}" for j, r in enumerate(ratio)])
    reading = (  # the reading the controls pick, at the weights they set
        alt.Chart(series)
        .transform_filter(f"datum.v == scheme * {len(KERNELS)} + kernel")
        .transform_calculate(date="datum.d * 86400000", ty=ty)
    )
    return (
        alt.vconcat(
            _weights_now(alt, readings["codes"], weight),
            _detail(alt, reading, x_detail, ratio),
            _markers(alt, readings["events"], x_detail),
            _overview(alt, reading, brush_ms, short),
            spacing=14,
        )
        .add_params(*params)
        .properties(datasets=datasets)
        .configure(font="DejaVu Sans, Arial, sans-serif")
        .configure_title(anchor="start", fontSize=13)
        .configure_view(stroke=None)
    )


def _controls(alt, codes: list[str], weights: dict[str, list[float]]):
    """The scheme, kernel and weight controls, and per dominant code the expression of what
    its factor makes of the code's weight under the chosen scheme (``r``)."""
    scheme = alt.param(
        name="scheme",
        value=list(SCHEMES).index(DEFAULT_SCHEME),
        bind=alt.binding_radio(
            options=list(range(len(SCHEMES))),
            labels=[scheme_label(name) for name in SCHEMES],
            name="how events are weighed ",
        ),
    )
    kernel = alt.param(
        name="kernel",
        value=DEFAULT_KERNEL,
        bind=alt.binding_select(
            options=list(range(len(KERNELS))),
            labels=[kernel_label(window, half_life) for _, window, half_life in KERNELS],
            name="how long an event counts ",
        ),
    )
    factors = [
        alt.param(
            name=f"w{code}",
            value=1.0,
            bind=alt.binding_select(
                options=list(FACTORS),
                labels=[f"× {f:g}" for f in FACTORS],
                name=f"weight of \N{LEFT DOUBLE QUOTATION MARK}{code_words(code)}"
                f"\N{RIGHT DOUBLE QUOTATION MARK} ",
            ),
        )
        for code in codes
    ]
    weight = [f"{_array(weights, j)}[scheme]" for j in range(len(codes))]
    ratio = [
        f"(clamp(w{code} * {w}, {WEIGHT_MIN:g}, {WEIGHT_MAX:g}) / {w})"
        for code, w in zip(codes, weight, strict=True)
    ]
    return [scheme, kernel, *factors], ratio, weight


def _weights_now(alt, codes: list[str], weight: list[str]):
    """One line under the controls: the weight each dominant code has at the chosen factor,
    and when the factor asks for more than the scale allows, that it is capped."""
    parts = []
    for code, w in zip(codes, weight, strict=True):
        asked = f"(w{code} * {w})"
        kept = f"clamp({asked}, {WEIGHT_MIN:g}, {WEIGHT_MAX:g})"
        parts.append(
            f"'{code_words(code)}: ' + format({kept}, '+.3~f') + "
            f"(abs({asked}) > {WEIGHT_MAX:g} ? ' (× ' + w{code} + ' asks ' + "
            f"format({asked}, '+.3~f') + ', capped at ±{WEIGHT_MAX:g})' : '')"
        )
    text = "'weights now: ' + " + " + '; ' + ".join(parts)
    return (
        alt.Chart(alt.NamedData(name="zero"))
        .transform_calculate(text=text)
        .mark_text(align="left", baseline="middle", fontSize=12, color=NOTE)
        .encode(text="text:N", x=alt.value(0), y=alt.value(8))
        .properties(name="weights_now", width=WIDTH, height=16)
    )


def _detail(alt, reading, x, ratio: list[str]):
    """The line that follows the brush, and its points: the nearest one to the pointer shows
    the day's tooltip."""
    y = alt.Y("ty:Q", title="tension (points)")
    line = reading.mark_line(color=TENSION, strokeWidth=1.3, clip=True).encode(x, y)
    events, counts = alt.NamedData(name="events"), alt.NamedData(name="counts")
    points = reading
    for rank in range(1, TOP + 1):
        points = points.transform_lookup(
            lookup=f"e{rank}",
            from_=alt.LookupData(events, key="i", fields=["text", "host", "g", "d"]),
            as_=[f"t{rank}", f"h{rank}", f"g{rank}", f"d{rank}"],
        )
    groups = "[" + ", ".join(["1", *ratio]) + "]"  # an event's g picks its code's ratio
    # Each top event with its own date (an event of an earlier day still counts, faded), at
    # the weight the controls set; one the controls weigh to nothing is not listed.
    part = "datum.c{r} * {groups}[datum.g{r}]"
    words = [
        f"'contribution {r}': isValid(datum.c{r}) && abs({part.format(r=r, groups=groups)}) "
        f">= 0.005 ? format({part.format(r=r, groups=groups)}, '+.2f') + ' from an event of ' "
        f"+ utcFormat(datum.d{r} * 86400000, '%e %b %Y') + ': ' + truncate(datum.t{r}, 240) "
        f"+ ' (' + datum.h{r} + ')' : ''"
        for r in range(1, TOP + 1)
    ]
    tip = (  # the tooltip as one object (Vega-Lite's nearest-point tooltips lose text fields)
        "{'date': utcFormat(datum.date, '%e %b %Y'), 'tension': format(datum.ty, '.2f'), "
        "'events on this day': datum.n, " + ", ".join(words) + "}"
    )
    hover = alt.selection_point(
        name="hover", on="pointerover", nearest=True, fields=["d"], empty=False,
        clear="pointerout",
    )  # fmt: skip
    points = (
        points.transform_lookup(
            lookup="d", from_=alt.LookupData(counts, key="d", fields=["n"]), default="0"
        )
        .transform_calculate(tip=tip)
        # On the voronoi cell that finds the nearest point, datum is the point's item.
        .mark_circle(color=TENSION, clip=True, tooltip={"expr": "(datum.datum || datum).tip"})
        .encode(x, y, size=alt.condition(hover, alt.value(60), alt.value(0)))
        .add_params(hover)
        .properties(name="hover_points")
    )
    zero = alt.Chart(alt.NamedData(name="zero")).mark_rule(color=ZERO, strokeWidth=0.8)
    return alt.layer(zero.encode(y="y:Q"), line, points).properties(
        name="detail",
        width=WIDTH,
        height=HEIGHT,
        title="Tension day by day (drag on the whole timeline below to zoom)",
    )


def _markers(alt, table: pd.DataFrame, x):
    """The events, by side, in the two colours; a click opens the event's first source in a
    new tab (the page's link target, :mod:`relscore.explore.page`), so the page stays."""
    sides = alt.Scale(
        domain=["conflict", "cooperation", "neutral"], range=[CONFLICT, COOPERATION, ZERO]
    )
    present = [side for side in sides.domain if side in set(table["side"])]
    return (
        alt.Chart(alt.NamedData(name="events"))
        .transform_calculate(date="datum.d * 86400000", day="utcFormat(datum.date, '%Y-%m-%d')")
        .mark_point(
            filled=True,
            size=45,
            shape="diamond",
            cursor="pointer",
            clip=True,
            stroke="white",
            strokeWidth=0.8,
        )
        .encode(
            x,
            y=alt.Y("side:N", title=None, scale=alt.Scale(domain=present)),
            color=alt.Color("side:N", scale=sides, legend=None),
            href="url:N",
            tooltip=[
                alt.Tooltip("day:N", title="date"),
                alt.Tooltip("code:N", title="CAMEO code"),
                alt.Tooltip("cameo:N", title="what"),
                alt.Tooltip("text:N", title="event"),
                alt.Tooltip("host:N", title="source (click: opens in a new tab)"),
            ],
        )
        .properties(
            name="markers",
            width=WIDTH,
            height=44,
            title="Events (click one to open its source in a new tab)",
        )
    )


def _overview(alt, reading, brush_ms: list[int], short: bool = False):
    """The whole timeline, with the brush that picks the detail's days."""
    brush = alt.selection_interval(name="brush", encodings=["x"], value={"x": brush_ms})
    axis = alt.Axis(title=None, format="%e %b" if short else "%b %Y", labelOverlap=True)
    return (
        reading.mark_area(color=ZERO, opacity=0.6, line={"color": TENSION, "strokeWidth": 0.6})
        .encode(
            alt.X("date:T", scale=alt.Scale(type="utc"), axis=axis),
            alt.Y("ty:Q", title=None, axis=alt.Axis(tickCount=3)),
        )
        .add_params(brush)
        .properties(
            name="overview",
            width=WIDTH,
            height=64,
            title="The whole timeline (drag to choose the days shown above)",
        )
    )


def _array(weights: dict[str, list[float]], j: int) -> str:
    """Code ``j``'s weight under each scheme, as a JavaScript array (0 made 1: its part is 0)."""
    return "[" + ", ".join(f"{w[j] or 1:g}" for w in weights.values()) + "]"

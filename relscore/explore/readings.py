"""Explorers: one standalone, interactive HTML page per dyad (Vega-Altair, JavaScript inlined).

The page works offline, with no server: the Vega, Vega-Lite and Vega-Embed bundles are
inlined by ``chart.save(..., format="html", inline=True)`` (which takes them from
vl-convert), and every reading the controls offer is computed here, in Python, so the
browser only filters and adds:

* **scheme** x **kernel** -- every scheme of :data:`relscore.SCHEMES` under decay
  half-lives of 7, 14 and 28 days and rolling windows of 30 and 90 days (15 readings);
* **the weights of the dominant codes** -- the dyad's :data:`N_CODES` codes with the
  largest summed ``|net|`` under the default scheme get a control each, scaling the
  code's weight by a factor of :data:`FACTORS` (clipped to -10 ... +10). The index is
  linear in each code's contributions, so per reading the page stores the tension and
  each dominant code's part of it, and computes ``tension + sum((r - 1) * part)`` with
  ``r = clip(factor * weight, -10, 10) / weight``: every combination is exact without
  being stored.

The stored days are thinned without visible loss: event days and the day before each
are kept, then (decay) every day for 3 days and every ``0.41 * half_life`` days after
(a straight line between them is within 1 % of the exponential), or (rolling) the days
the value changes; a stretch below :data:`QUIET` index points keeps only its two ends.
The tooltip's top events come from :func:`relscore.top_contributors`, the decomposition
behind :func:`relscore.explain`. The same input gives the same bytes: no timestamp, no
random id, every name pinned.
"""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from relscore import datasets
from relscore.analysis.episodes import episodes
from relscore.analysis.explain import DEFAULT_THRESHOLD, data_days, top_contributors
from relscore.codebook import DEFAULT_SCHEME, SCHEMES, weights_table
from relscore.coding import code_events
from relscore.index import DEFAULT_HALF_LIFE, apply_kernel, dyad_codes, sum_onto_grid, tension_index
from relscore.plot.style import CONFLICT, COOPERATION, TENSION, ZERO
from relscore.vocabulary import check_dyad, parse_dyad

KERNELS = (  # (label, window, half_life): the readings the kernel control offers
    ("decay, half-life 7 days", None, 7.0),
    ("decay, half-life 14 days", None, 14.0),
    ("decay, half-life 28 days", None, 28.0),
    ("rolling, 30-day window", 30, None),
    ("rolling, 90-day window", 90, None),
)
DEFAULT_KERNEL = 1  # decay, half-life 14 days: the index's default
N_CODES = 3  # dominant codes with a weight control
FACTORS = (0.0, 0.5, 1.0, 1.5, 2.0)  # x the code's weight, clipped to -10 ... +10
QUIET = 0.005  # index points: a stretch below this (all parts) keeps only its ends
TOP = 3  # events in the tooltip
TOLERANCE = 0.01  # relative error of a straight line over a thinned decay tail
FILES = {  # explorer file -> (bundled data, dyad)
    "explore_iran_pakistan.html": ("iran_pakistan", "IRN-PAK"),
    "explore_india_pakistan.html": ("india_pakistan", "IND-PAK"),
    "explore_iran_israel.html": ("iran_israel", "IRN-ISR"),
}
WIDTH = 900  # pixels
_HEAD = "<!DOCTYPE html>\n<html>\n<head>\n"
_EMBED = "  vegaEmbed('#vis', spec, embedOpt).catch(console.error);\n"
_EMBED_KEEPING_VIEW = (
    "  vegaEmbed('#vis', spec, embedOpt)\n"
    "    .then(function (result) { window.relscoreView = result.view; })\n"
    "    .catch(console.error);\n"
)


def explorer_html(
    events: pd.DataFrame,
    dyad: str,
    *,
    title: str | None = None,
    overrides: dict[str, float] | None = None,
) -> str:
    """A standalone HTML page to explore one dyad's tension in a browser.

    Parameters
    ----------
    events : pandas.DataFrame
        Events (:func:`relscore.read_events`); the calendar is theirs, as for
        :func:`relscore.tension_index`.
    dyad : str
        An undirected dyad, e.g. ``"IRN-PAK"``.
    title : str, optional
        The page's heading; default e.g. ``"Iran–Pakistan tension, 1947–2025"``.
    overrides : dict of str to float, optional
        CAMEO code to weight (Goldstein scale), applied under every scheme.

    Returns
    -------
    str
        A complete HTML document (UTF-8, about 2 MB for the bundled Iran–Pakistan data):
        the timeline with a brushable overview and a detail view, a tooltip per day with
        the index, its number of events and its top 3 events, the events as links to
        their sources, controls for scheme, kernel and the dominant codes' weights, the
        index in plain words and the episodes of the default reading.

    Raises
    ------
    UnknownDyadError
        If ``events`` hold no event of ``dyad``.
    ImportError
        If altair or vl-convert-python is missing (both are dependencies of relscore).

    Examples
    --------
    >>> import relscore
    >>> page = explorer_html(relscore.datasets.load("india_pakistan"), "IND-PAK")
    >>> page.startswith("<!DOCTYPE html>"), "<script src=" in page, len(page) < 3_000_000
    (True, False, True)
    >>> print(page[page.index("<h1>") : page.index("</h1>") + 5])
    <h1>India–Pakistan tension, 2024–2025</h1>
    """
    try:
        import altair as alt
        import vl_convert  # noqa: F401  (altair inlines its JavaScript bundles)
    except ImportError as exc:
        raise ImportError(
            "the explorer needs altair and vl-convert-python: pip install altair vl-convert-python"
        ) from exc
    dyad = parse_dyad(dyad, directed=False)
    readings = explorer_data(events, dyad, overrides)
    page = _page_parts(events, dyad, readings, title, overrides)
    chart = _chart(alt, readings, page["brush"])
    out = io.StringIO()
    chart.save(
        out, format="html", inline=True, embed_options={"actions": False, "renderer": "canvas"}
    )
    return _finish(out.getvalue(), page)


def explorer_files(overrides: dict[str, float] | None = None) -> dict[str, bytes]:
    """The explorers of the bundled data, by file name (see :data:`FILES`), as bytes."""
    return {
        name: explorer_html(datasets.load(data), dyad, overrides=overrides).encode("utf-8")
        for name, (data, dyad) in FILES.items()
    }


def explorer_data(
    events: pd.DataFrame, dyad: str, overrides: dict[str, float] | None = None
) -> dict:
    """Every reading the explorer of ``dyad`` stores (see the module docstring).

    Returns
    -------
    dict
        ``series``: a DataFrame, one row per reading ``v = scheme * len(KERNELS) +
        kernel`` (schemes in the order of :data:`relscore.SCHEMES`, kernels of
        :data:`KERNELS`) and stored day: ``d`` (days since 1970-01-01), ``y`` (tension,
        index points, 2 decimals), ``p1 ...`` (the part of ``y`` from the events of each
        dominant code that take its weight, 3 decimals), ``e1 ... e3`` (the top events'
        ``i`` in ``events``) and ``c1 ... c3`` (their contributions, index points; empty
        below explain's default threshold). ``events``: the dyad's events numbered ``i``
        by date, with ``d``, ``code``, ``cameo``, ``text``, ``host``, ``url`` (first web
        source), ``side`` and ``g`` (1 + the position of the event's code in ``codes`` if
        it takes that code's weight, else 0). ``codes``: the dominant codes. ``weights``:
        scheme -> their weights (Goldstein scale).
    """
    dyad = parse_dyad(dyad, directed=False)
    first_day, last_day = data_days(events)
    n_days = last_day - first_day + 1
    schemes = list(SCHEMES)
    coded = {s: code_events(events, s, overrides) for s in schemes}
    dyad_of, labels = dyad_codes(events["actor1"], events["actor2"])
    mine = dyad_of == check_dyad(labels, dyad)
    by_code = _takes_code_weight(events)
    codes = dominant_codes(coded[DEFAULT_SCHEME][mine], by_code[mine])
    weights = {s: weights_table(s, overrides)["weight"].reindex(codes).tolist() for s in schemes}
    table = _event_table(coded[DEFAULT_SCHEME][mine], by_code[mine], codes)
    blocks = []
    for s, scheme in enumerate(schemes):
        rows = coded[scheme][mine]
        day = rows["date"].to_numpy(dtype="datetime64[D]").astype(np.int64) - first_day
        grid = _part_grid(rows, by_code[mine].to_numpy(), day, codes, n_days)
        has_event = np.bincount(day, minlength=n_days) > 0
        for k, (_, window, half_life) in enumerate(KERNELS):
            tension = apply_kernel(grid, window=window, half_life=half_life)
            keep = np.flatnonzero(_kept_days(tension, has_event, window, half_life))
            block = pd.DataFrame({"v": s * len(KERNELS) + k, "d": keep + first_day})
            block["y"] = _rounded(tension[0, keep], 2)
            for j in range(len(codes)):
                block[f"p{j + 1}"] = _rounded(tension[j + 1, keep], 3)
            top = top_contributors(
                coded[scheme],
                dyad,
                block["d"].to_numpy().astype("datetime64[D]"),
                k=TOP,
                window=window,
                half_life=half_life,
            )
            blocks.append(block.join(_top_columns(top, table, first_day, keep)))
    series = pd.concat(blocks, ignore_index=True)
    return {"series": series, "events": table, "codes": codes, "weights": weights}


def dominant_codes(coded: pd.DataFrame, by_code: pd.Series, n: int = N_CODES) -> list[str]:
    """The ``n`` event codes with the largest summed ``|conflict - cooperation|`` (index
    points) over the ``coded`` events that take their code's weight (``by_code``); ties by
    code."""
    size = (coded["conflict"] - coded["cooperation"]).abs()[by_code]
    totals = size.groupby(coded["event_code"][by_code].astype(str)).sum()
    totals = totals[totals > 0].sort_index()
    return list(totals.sort_values(ascending=False, kind="stable").index[:n])


def _part_grid(rows: pd.DataFrame, by_code, day: np.ndarray, codes: list[str], n_days: int):
    """Daily net (index points): row 0 every event, row ``j`` the events of ``codes[j-1]``
    that take their code's weight (``by_code``). Summed as :func:`relscore.tension_index` sums."""
    code = rows["event_code"].astype(str).to_numpy()
    parts = [np.ones(len(rows), bool)] + [by_code & (code == c) for c in codes]
    cells = np.concatenate([j * n_days + day[part] for j, part in enumerate(parts)])
    conflict = np.concatenate([rows["conflict"].to_numpy(float)[part] for part in parts])
    cooperation = np.concatenate([rows["cooperation"].to_numpy(float)[part] for part in parts])
    _, conflict, cooperation = sum_onto_grid(cells, conflict, cooperation, len(parts), n_days)
    return conflict - cooperation


def _kept_days(tension, has_event, window, half_life) -> np.ndarray:
    """Which days to store (bool per day): see the module docstring."""
    quiet = (np.abs(tension) < QUIET).all(axis=0)
    ends = quiet & ~(np.r_[True, quiet[:-1]] & np.r_[quiet[1:], True])
    keep = has_event | np.r_[has_event[1:], False] | ends
    if window is None:
        position = np.arange(len(has_event))
        age = position - np.maximum.accumulate(np.where(has_event, position, 0))
        half_life = DEFAULT_HALF_LIFE if half_life is None else half_life
        stride = max(1, int(half_life * np.sqrt(8 * TOLERANCE) / np.log(2)))
        keep |= ~quiet & ((age <= 3) | (age % stride == 0))
    else:
        change = np.r_[True, (tension[:, 1:] != tension[:, :-1]).any(axis=0)]
        keep |= change | np.r_[change[1:], False]
    keep[[0, -1]] = True
    return keep


def _top_columns(top: pd.DataFrame, table: pd.DataFrame, first_day: int, keep) -> pd.DataFrame:
    """``e1 ... c3`` per kept day: the top events' numbers and contributions (index
    points); empty where an event adds less than explain's default threshold."""
    top = top[top["contribution"].abs() >= DEFAULT_THRESHOLD]
    at = np.searchsorted(keep, top["date"].to_numpy("datetime64[D]").astype(np.int64) - first_day)
    wide = {}
    for rank in range(1, TOP + 1):
        mine = (top["rank"] == rank).to_numpy()
        number = pd.array([pd.NA] * len(keep), dtype="Int64")
        number[at[mine]] = table.index.get_indexer(top["event"][mine])
        share = np.full(len(keep), np.nan)
        share[at[mine]] = _rounded(top["contribution"].to_numpy()[mine], 2)
        wide[f"e{rank}"], wide[f"c{rank}"] = number, share
    return pd.DataFrame(wide)


def _event_table(base: pd.DataFrame, by_code: pd.Series, codes: list[str]) -> pd.DataFrame:
    """The dyad's events for the page, by date, indexed by their row labels in ``base``."""
    rows = base.sort_values("date", kind="stable")
    by_code = by_code[rows.index]
    net = (rows["conflict"] - rows["cooperation"]).to_numpy()
    url = rows["source"].astype(str).str.extract(r"(https?://[^\s;]+)", expand=False)
    group = rows["event_code"].astype(str).map({c: j + 1 for j, c in enumerate(codes)})
    book = weights_table()["description"]
    return pd.DataFrame(
        {
            "i": np.arange(len(rows)),
            "d": rows["date"].to_numpy(dtype="datetime64[D]").astype(np.int64),
            "code": rows["event_code"].astype(str),
            "cameo": rows["event_code"].astype(str).map(book).fillna(""),
            "text": rows["description"].astype(str),
            "host": url.str.extract(r"https?://(?:www\.)?([^/:?#]+)", expand=False).fillna(""),
            "url": url.fillna(""),
            "side": np.select([net > 0, net < 0], ["conflict", "cooperation"], "neutral"),
            "g": group.where(by_code, 0).fillna(0).astype(int),
        },
        index=rows.index,
    )


def _page_parts(events, dyad, readings, title, overrides) -> dict:
    """The page's words and tables: heading, data line, definition, episodes, brush."""
    codes, labels = dyad_codes(events["actor1"], events["actor2"])
    mine = events[codes == check_dyad(labels, dyad)]
    years = f"{mine['date'].min():%Y}–{mine['date'].max():%Y}"
    files = sorted({Path(f).name for f in events["file"]}) if "file" in events else []
    index = tension_index(code_events(events, DEFAULT_SCHEME, overrides))
    index = index[index["dyad"] == dyad]
    table = episodes(index).sort_values(["peak", "start"], ascending=[False, True])
    if len(table):
        peak = table["peak_date"].iloc[0]
        brush = (peak - pd.Timedelta(days=60), peak + pd.Timedelta(days=120))
    else:
        brush = (mine["date"].max() - pd.Timedelta(days=365), mine["date"].max())
    return {
        "title": title or f"{_dyad_name(dyad)} tension, {years}",
        "data": f"Data: {', '.join(files) or 'events'}: {len(mine):,} sourced events of "
        f"{dyad}, {years}.",
        "codes": readings["codes"],
        "episodes": table.head(10),
        "brush": [int(pd.Timestamp(b).value // 10**6) for b in brush],  # ms since 1970
    }


def _chart(alt, readings: dict, brush_ms: list[int]):
    """The Vega-Lite chart: detail, event markers and overview, with the controls."""
    params, ratio = _controls(alt, readings["codes"], readings["weights"])
    # Each table once, at the top level, named; the series as CSV (half the bytes of JSON).
    parse = {c: "number" for c in readings["series"].columns}
    series = alt.NamedData(name="series", format=alt.DataFormat(type="csv", parse=parse))
    per_day = readings["events"].groupby("d").size()
    datasets = {
        "series": readings["series"].to_csv(index=False, lineterminator="\n", float_format="%.10g"),
        "events": json.loads(readings["events"].to_json(orient="records")),
        "counts": [{"d": int(d), "n": int(n)} for d, n in per_day.items()],
        "zero": [{"y": 0}],
    }
    x_detail = alt.X(
        "date:T",
        scale=alt.Scale(type="utc", domain={"param": "brush", "encoding": "x"}),
        axis=alt.Axis(title=None, format="%e %b %Y", labelOverlap=True),
    )
    ty = " + ".join(["datum.y"] + [f"({r} - 1) * datum.p{j + 1}" for j, r in enumerate(ratio)])
    reading = (  # the reading the controls pick, at the weights they set
        alt.Chart(series)
        .transform_filter(f"datum.v == scheme * {len(KERNELS)} + kernel")
        .transform_calculate(date="datum.d * 86400000", ty=ty)
    )
    return (
        alt.vconcat(
            _detail(alt, reading, x_detail, ratio),
            _markers(alt, readings["events"], x_detail),
            _overview(alt, reading, brush_ms),
            spacing=18,
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
            options=list(range(len(SCHEMES))), labels=list(SCHEMES), name="scheme "
        ),
    )
    kernel = alt.param(
        name="kernel",
        value=DEFAULT_KERNEL,
        bind=alt.binding_select(
            options=list(range(len(KERNELS))), labels=[k[0] for k in KERNELS], name="kernel "
        ),
    )
    factors = [
        alt.param(
            name=f"w{code}",
            value=1.0,
            bind=alt.binding_select(
                options=list(FACTORS),
                labels=[f"× {f:g}" for f in FACTORS],
                name=f"weight of {code} ({_code_words(code)}) ",
            ),
        )
        for code in codes
    ]
    ratio = [
        f"(clamp(w{code} * {_array(weights, j)}[scheme], -10, 10) / {_array(weights, j)}[scheme])"
        for j, code in enumerate(codes)
    ]
    return [scheme, kernel, *factors], ratio


def _detail(alt, reading, x, ratio: list[str]):
    """The line that follows the brush, and its points: the nearest one to the pointer shows
    the day's tooltip."""
    y = alt.Y("ty:Q", title="tension (index points)")
    line = reading.mark_line(color=TENSION, strokeWidth=1.3, clip=True).encode(x, y)
    events, counts = alt.NamedData(name="events"), alt.NamedData(name="counts")
    points = reading
    for rank in range(1, TOP + 1):
        points = points.transform_lookup(
            lookup=f"e{rank}",
            from_=alt.LookupData(events, key="i", fields=["text", "host", "g"]),
            as_=[f"t{rank}", f"h{rank}", f"g{rank}"],
        )
    groups = "[" + ", ".join(["1", *ratio]) + "]"  # an event's g picks its code's ratio
    words = [
        f"'top event {r}': isValid(datum.c{r}) ? format(datum.c{r} * {groups}[datum.g{r}], "
        f"'+.2f') + '  ' + truncate(datum.t{r}, 240) + ' (' + datum.h{r} + ')' : ''"
        for r in range(1, TOP + 1)
    ]
    tip = (  # the tooltip as one object (Vega-Lite's nearest-point tooltips lose text fields)
        "{'date': utcFormat(datum.date, '%Y-%m-%d'), 'tension': format(datum.ty, '.2f'), "
        "'events that day': datum.n, " + ", ".join(words) + "}"
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
        name="detail", width=WIDTH, height=320, title="Daily tension (drag on the overview to zoom)"
    )


def _markers(alt, table: pd.DataFrame, x):
    """The events, by side, in the two colours; a click opens the event's first source."""
    sides = alt.Scale(
        domain=["conflict", "cooperation", "neutral"], range=[CONFLICT, COOPERATION, ZERO]
    )
    present = [side for side in sides.domain if side in set(table["side"])]
    return (
        alt.Chart(alt.NamedData(name="events"))
        .transform_calculate(date="datum.d * 86400000", day="utcFormat(datum.date, '%Y-%m-%d')")
        .mark_point(filled=True, size=70, shape="diamond", cursor="pointer", clip=True)
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
                alt.Tooltip("host:N", title="source (click to open)"),
            ],
        )
        .properties(
            name="markers", width=WIDTH, height=50, title="Events (click one for its source)"
        )
    )


def _overview(alt, reading, brush_ms: list[int]):
    """The whole timeline, with the brush that picks the detail's days."""
    brush = alt.selection_interval(name="brush", encodings=["x"], value={"x": brush_ms})
    axis = alt.Axis(title=None, format="%b %Y", labelOverlap=True)
    return (
        reading.mark_area(color=ZERO, opacity=0.6, line={"color": TENSION, "strokeWidth": 0.6})
        .encode(
            alt.X("date:T", scale=alt.Scale(type="utc"), axis=axis),
            alt.Y("ty:Q", title=None, axis=alt.Axis(tickCount=3)),
        )
        .add_params(brush)
        .properties(name="overview", width=WIDTH, height=80, title="The whole timeline")
    )


def _finish(document: str, page: dict) -> str:
    """Put the words and the episode table around Altair's chart; keep the view reachable
    (``window.relscoreView``) for readers' consoles and the browser test."""
    head, body, end = _HEAD, '<body>\n<div class="vega-visualization"', "</body>\n</html>"
    spec, after = "  const spec = ", ";\n  const embedOpt = "
    if not (
        document.startswith(head)
        and all(document.count(part) == 1 for part in (body, _EMBED, spec, after))
        and document.rstrip().endswith(end)
    ):
        raise RuntimeError("altair's inline HTML template changed: update relscore.explore")
    # The spec is JSON in a <script>: a "<" can only be in its strings, where "\u003c" reads
    # the same, and then no text of the data ("</script>", "<!--") can end the script.
    start, stop = document.index(spec) + len(spec), document.index(after)
    document = document[:start] + document[start:stop].replace("<", "\\u003c") + document[stop:]
    title = html.escape(page["title"])
    document = document.replace(
        head,
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n  <title>{title}</title>\n'
        f"  <style>{_CSS}</style>\n",
        1,
    )
    document = document.replace(body, "<body>\n" + _intro(page) + body[len("<body>\n") :])
    document = document.replace(_EMBED, _EMBED_KEEPING_VIEW)
    at = document.rstrip().rindex(end)
    return document[:at] + _episodes_html(page["episodes"]) + document[at:]


def _intro(page: dict) -> str:
    codes = "; ".join(f"{code}, {_code_words(code)}" for code in page["codes"])
    return f"""<header>
  <h1>{html.escape(page["title"])}</h1>
  <p class="data">{html.escape(page["data"])}</p>
  <p><b>The index in plain words.</b> Every event between the two states adds points: a
  conflictual one (a strike, a protest, a threat) adds, a cooperative one (a visit, a
  call, an agreement) takes away, each weighted by the CAMEO/Goldstein scale (−10 most
  conflictual … +10 most cooperative). A positive value means more conflict than
  cooperation that day, a negative one more cooperation. Under the <i>decay</i> kernel an
  event's points fade by half every half-life (14 days unless you choose otherwise); under
  the <i>rolling</i> kernel they count in full for the window's days, then drop out.
  The default scheme, <i>magnitude</i>, counts deeds twice words and scales an event by
  1 + log10(1 + deaths); <i>goldstein</i> is plain net Goldstein; <i>quad</i> scores ±1
  words, ±2 deeds.</p>
  <p class="how">Hover over the line for a day's value, its number of events and the three
  events that contribute most (ranked at the codes' own weights). Drag on the overview to
  zoom. The controls above the chart change the scheme, the kernel and the weight of the
  dyad's dominant codes ({html.escape(codes)}): × 0 … × 2, kept within −10 … +10.</p>
</header>
"""


def _episodes_html(table: pd.DataFrame) -> str:
    """The episodes of the default reading as an HTML table, highest peak first."""
    if table.empty:
        return (
            '<section id="episodes"><h2>Episodes</h2><p>No episode: the tension never '
            "rose clearly above its own baseline.</p></section>\n"
        )
    rows = "\n".join(
        "    <tr>"
        f"<td>{r.peak_date:%Y-%m-%d}</td><td>{r.peak:.1f}</td>"
        f"<td>{_number(r.days_to_half, '.0f')}</td><td>{_number(r.half_life_days, '.1f')}</td>"
        f"<td>{_number(r.half_life_low, '.1f')}–{_number(r.half_life_high, '.1f')}</td>"
        f"<td>{html.escape(str(r.versus_decay)) if pd.notna(r.versus_decay) else ''}</td>"
        "</tr>"
        for r in table.itertuples()
    )
    return f"""<section id="episodes">
  <h2>Episodes (default reading: magnitude, decay with a 14-day half-life)</h2>
  <table>
    <thead><tr><th>peak date</th><th>peak</th><th>days to half</th><th>fitted half-life
    (days)</th><th>95 % interval</th><th>against the kernel's decay</th></tr></thead>
    <tbody>
{rows}
    </tbody>
  </table>
</section>
"""


_CSS = """
    body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 1.5em; color: #222; }
    header p { max-width: 62em; }
    #vis.vega-embed { flex-direction: column-reverse; align-items: flex-start; }
    h1 { font-size: 1.4em; margin-bottom: 0.2em; }
    h2 { font-size: 1.1em; }
    p { line-height: 1.4; font-size: 0.95em; }
    p.data, p.how { color: #555555; }
    #episodes table { border-collapse: collapse; font-size: 0.9em; }
    #episodes th, #episodes td { padding: 0.25em 0.8em; border-bottom: 1px solid #dddddd;
                                 text-align: right; }
    .vega-bindings { margin-bottom: 0.8em; display: flex; flex-wrap: wrap; gap: 0.3em 1.5em; }
    html body #vg-tooltip-element table tr td.value { max-width: 560px; max-height: none;
                                                      white-space: normal; }
  """


def _code_words(code: str) -> str:
    """A CAMEO code's description, in lower case, without "not specified below"."""
    words = weights_table()["description"].get(code, "")
    return words.removesuffix(", not specified below").lower()


def _array(weights: dict[str, list[float]], j: int) -> str:
    """Code ``j``'s weight under each scheme, as a JavaScript array (0 made 1: its part is 0)."""
    return "[" + ", ".join(f"{w[j] or 1:g}" for w in weights.values()) + "]"


def _takes_code_weight(events: pd.DataFrame) -> pd.Series:
    """Whether each (uncoded) event takes its code's weight: it has no per-event ``weight``."""
    if "weight" not in events:
        return pd.Series(True, index=events.index)
    return events["weight"].isna()


def _rounded(values: np.ndarray, decimals: int) -> np.ndarray:
    return np.round(values, decimals) + 0.0  # + 0.0: no "-0.0" in the page


def _number(value: float, spec: str) -> str:
    return "" if pd.isna(value) else format(value, spec)


def _dyad_name(dyad: str) -> str:
    """``"IRN-PAK"`` -> ``"Iran–Pakistan"``, by the common names of ISO 3166-1."""
    import pycountry

    def name(code: str) -> str:
        country = pycountry.countries.get(alpha_3=code)
        return code if country is None else getattr(country, "common_name", country.name)

    return "–".join(name(code) for code in dyad.split("-"))

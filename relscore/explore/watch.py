"""The watch page: one self-contained HTML file that says which relationships moved.

Two lists, as of the data's last day: the dyads that **alerted** in the last ``days`` days
(:mod:`relscore.analysis.alerts`: a dyad breaking its own record, once, at the onset), and
the dyads **highest against their own history**: the ``top`` dyads whose highest day of
those ``days`` had gone longest unmatched (never, first), among dyads with a year of
history by then. Each comes with a sparkline of the series the alerts read over the last
:data:`SPARK_DAYS` days, the three events that weigh most on its value that day, each
with its sources, and a link to its explorer when one is built.

The page is HTML and CSS only (the sparklines are inline SVG): no script, no server, no
network. The same input gives the same bytes: no timestamp, numbers written to fixed
decimals, dyads in a fixed order.

:func:`watch_data` reads any source through two callables, so that events in memory
(:func:`watch_page`) and an event store (``relscore watch STORE``) take one path;
:func:`watch_html` writes the page.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from relscore.analysis import alerts as rule
from relscore.codebook import DEFAULT_SCHEME
from relscore.coding import code_events
from relscore.explore.page import _dyad_name
from relscore.index import tension_index
from relscore.plot.words import kernel_words

WATCH_DAYS = 30  # the window of "alerted in the last days", by default
TOP = 10  # dyads listed as highest against their own history
SPARK_DAYS = 365  # days a sparkline shows, ending on the data's last day
SPARK_WIDTH, SPARK_HEIGHT = 240, 44  # pixels

Blocks = Callable[[list[str] | None], Iterator[rule.Block]]  # dyads (None: all) -> blocks
Events = Callable[[pd.DataFrame], pd.DataFrame]  # (dyad, date) rows -> coded events


@dataclass(frozen=True)
class Watch:
    """What the page shows: the data's last day, the window (days), the alerts in it and
    the dyads highest against their own history (both with the columns of
    :data:`relscore.ALERT_COLUMNS`), each shown dyad's sparkline (values of the last
    :data:`SPARK_DAYS` days), the floor, and the settings in words."""

    last_day: pd.Timestamp
    days: int
    alerts: pd.DataFrame
    highest: pd.DataFrame
    sparks: dict[str, np.ndarray]
    floor: float
    words: str


def watch_data(
    blocks_of: Blocks,
    events_of: Events,
    *,
    days: int = WATCH_DAYS,
    top: int = TOP,
    series: str = rule.DEFAULT_SERIES,
    window: int | None = None,
    half_life: float | None = None,
    floor: float = rule.FLOOR,
    quiet_days: int = rule.QUIET_DAYS,
) -> Watch:
    """Read the alerts and standing of every dyad, then the sparklines and events of those
    shown.

    Parameters
    ----------
    blocks_of : callable
        ``blocks_of(None)``: every dyad in blocks (:func:`relscore.analysis.alerts.index_blocks`
        or :func:`~relscore.analysis.alerts.cell_blocks`); ``blocks_of(dyads)``: those only,
        on the same calendar.
    events_of : callable
        Given alerts (``dyad``, ``date``), coded events of those dyads up to those days.
    days, top : int
        The window (days, ending on the last day) and how many dyads the second list holds.
    series, window, half_life, floor, quiet_days
        As for :func:`relscore.alerts`.

    Returns
    -------
    Watch
    """
    rule.check_settings(series, floor, quiet_days, window, half_life)
    if int(days) != days or days < 1 or int(top) != top or top < 0:
        raise ValueError(f"days must be >= 1 and top >= 0 (whole numbers), got {days}, {top}")
    found, standing = rule.scan(blocks_of(None), floor, quiet_days, recent_days=days)
    if standing.empty:
        raise ValueError("there are no events to watch")
    last_day = standing["last_day"].max()
    recent = found[found["date"] > last_day - pd.Timedelta(days=days)].reset_index(drop=True)
    highest = _highest(standing, top)
    both = pd.concat([recent, highest], ignore_index=True)
    events = events_of(both)
    recent = rule.with_top_events(recent, events, series, window, half_life)
    highest = rule.with_top_events(highest, events, series, window, half_life)
    dyads = sorted(set(both["dyad"]))
    sparks = {}
    for block in blocks_of(dyads) if dyads else ():
        values = block.reading[:, -SPARK_DAYS:]
        pad = SPARK_DAYS - values.shape[1]
        for label, row in zip(block.labels, values, strict=True):
            sparks[str(label)] = np.concatenate([np.full(pad, np.nan), row])
    kernel = kernel_words(window=window, half_life=half_life)
    words = f"series: {series} ({kernel}); floor {floor:g} points; quiet {quiet_days} days"
    return Watch(last_day, int(days), recent, highest, sparks, float(floor), words)


def shown(watch: Watch) -> list[str]:
    """The dyads a page shows, sorted."""
    return sorted(set(watch.alerts["dyad"]) | set(watch.highest["dyad"]))


def _highest(standing: pd.DataFrame, top: int) -> pd.DataFrame:
    """The ``top`` dyads whose recent peak had gone longest unmatched, as alert rows."""
    history = (standing["peak_date"] - standing["first_event"]).dt.days
    mine = standing[(standing["peak"] > 0) & (history >= rule.YEAR_DAYS)].copy()
    gap = (mine["peak_date"] - mine["since"]).dt.days
    mine["gap"] = gap.fillna(np.inf)
    mine = mine.sort_values(["gap", "peak", "dyad"], ascending=[False, False, True]).head(top)
    never = mine["since"].isna()
    long_history = history[mine.index] >= rule.THREE_YEAR_DAYS
    level = np.select(  # the alert's levels (without its floor and quiet period)
        [
            never & long_history,
            never,
            mine["gap"] > rule.THREE_YEAR_DAYS,
            mine["gap"] > rule.YEAR_DAYS,
        ],
        ["record", "1 year", "3 years", "1 year"],
        "",
    )
    table = pd.DataFrame(
        {
            "dyad": mine["dyad"].to_numpy(),
            "date": mine["peak_date"].to_numpy(),
            "level": level,
            "value": mine["peak"].to_numpy(),
            "previous_record": np.nan,
            "previous_record_date": pd.NaT,
            "since": mine["since"].to_numpy(),
        }
    )
    return rule.with_top_events(table, _NO_EVENTS)


_NO_EVENTS = pd.DataFrame(
    {c: pd.Series(dtype=float) for c in ("date", "actor1", "actor2", "conflict", "cooperation")}
)


def watch_page(
    events: pd.DataFrame,
    *,
    scheme: str = DEFAULT_SCHEME,
    overrides: dict[str, float] | None = None,
    window: int | None = None,
    half_life: float | None = None,
    days: int = WATCH_DAYS,
    top: int = TOP,
    series: str = rule.DEFAULT_SERIES,
    floor: float | None = None,
    quiet_days: int = rule.QUIET_DAYS,
    explorers: dict[str, str] | None = None,
    title: str | None = None,
) -> str:
    """The watch page of events held in memory.

    Parameters
    ----------
    events : pandas.DataFrame
        Events (:func:`relscore.read_events`); dyads are undirected.
    scheme, overrides, window, half_life
        The scoring and the kernel, as for :func:`relscore.code_events` and
        :func:`relscore.tension_index` (default: the magnitude scheme, decay over 14 days).
    days, top, series, quiet_days
        As for :func:`watch_data`.
    floor : float, optional
        Default: :func:`relscore.analysis.alerts.floor_of` the scheme.
    explorers : dict of str to str, optional
        Dyad -> the address of its explorer (relative to the page).
    title : str, optional
        The page's heading; default ``"Which relations moved: the 30 days to YYYY-MM-DD"``.

    Returns
    -------
    str
        The HTML document.

    Examples
    --------
    >>> import relscore
    >>> page = watch_page(relscore.datasets.load_all(), days=365)
    >>> page.startswith("<!DOCTYPE html>"), "<script" in page
    (True, False)
    >>> print(page[page.index("<h2>") : page.index("</h2>") + 5])
    <h2>Alerted in the last 365 days: 2</h2>
    """
    watch, data = events_watch(
        events,
        scheme=scheme,
        overrides=overrides,
        window=window,
        half_life=half_life,
        days=days,
        top=top,
        series=series,
        floor=floor,
        quiet_days=quiet_days,
    )
    return watch_html(watch, data=data, title=title, explorers=explorers)


def events_watch(
    events: pd.DataFrame,
    *,
    scheme: str = DEFAULT_SCHEME,
    overrides: dict[str, float] | None = None,
    window: int | None = None,
    half_life: float | None = None,
    days: int = WATCH_DAYS,
    top: int = TOP,
    series: str = rule.DEFAULT_SERIES,
    floor: float | None = None,
    quiet_days: int = rule.QUIET_DAYS,
) -> tuple[Watch, str]:
    """:func:`watch_data` of events held in memory (the parameters of :func:`watch_page`),
    and what was read, in words."""
    coded = code_events(events, scheme, overrides)
    kernel = {"window": window, "half_life": half_life}
    index = tension_index(coded, **kernel)
    floor = rule.floor_of(scheme, overrides) if floor is None else floor

    def blocks_of(dyads):
        mine = index if dyads is None else index[index["dyad"].isin(dyads)]
        return rule.index_blocks(mine, series, **kernel)

    watch = watch_data(
        blocks_of,
        lambda _: coded,
        days=days,
        top=top,
        series=series,
        floor=floor,
        quiet_days=quiet_days,
        **kernel,
    )
    first, last = events["date"].min(), events["date"].max()
    dyads = index["dyad"].nunique()
    return watch, f"{len(events):,} events of {dyads} dyads, {first:%Y-%m-%d} to {last:%Y-%m-%d}"


def watch_html(
    watch: Watch,
    *,
    data: str,
    title: str | None = None,
    explorers: dict[str, str] | None = None,
) -> str:
    """The page of :func:`watch_data`'s reading: ``data`` says what was read, ``explorers``
    maps a dyad to its explorer's address."""
    explorers = explorers or {}
    last = f"{watch.last_day:%Y-%m-%d}"
    title = title or f"Which relations moved: the {watch.days} days to {last}"
    alerted = "\n".join(_entry(row, watch, explorers, "alert") for row in watch.alerts.itertuples())
    highest = "\n".join(
        _entry(row, watch, explorers, "highest") for row in watch.highest.itertuples()
    )
    none = '<p class="none">No dyad broke its own record in these days.</p>'
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{html.escape(title)}</h1>
<p class="data">Data: {html.escape(data)}. Read as of the last day, {last}.</p>
<p>{_how(watch)}</p>
</header>
<section id="alerts">
<h2>Alerted in the last {watch.days} days: {len(watch.alerts)}</h2>
{alerted or none}
</section>
<section id="highest">
<h2>Highest against their own history, in the last {watch.days} days</h2>
{highest or '<p class="none">No dyad with a year of history moved in these days.</p>'}
</section>
<footer>{html.escape(watch.words)}. Made by relscore (relscore watch).</footer>
</body>
</html>
"""


def _how(watch: Watch) -> str:
    return (
        "An <b>alert</b> says that a dyad's conflict rose above every day of the year before "
        "it, of the three years before it, or of its whole history: once, at the onset, "
        f"never below {watch.floor:g} points (two of the strongest events), then quiet for "
        "a while unless it climbs higher. <b>Highest against their own history</b> lists the "
        "dyads whose highest day of the window had gone longest unmatched. Each line shows "
        f"the last {SPARK_DAYS} days (the dashed line is the floor; the dot, the day "
        "named) and the events that weigh most on that day's value, with their sources."
    )


def _entry(row, watch: Watch, explorers: dict[str, str], kind: str) -> str:
    dyad = str(row.dyad)
    link = explorers.get(dyad)
    explorer = f' <a class="explorer" href="{html.escape(link)}">explorer</a>' if link else ""
    what = f"<b>{row.date:%Y-%m-%d}</b>: "
    if row.level:
        what += f"{rule.LEVEL_WORDS[row.level]}, "
    what += f"<b>{row.value:.1f}</b>"
    if pd.notna(row.previous_record):
        what += (
            f" (previous record {row.previous_record:.1f} on {row.previous_record_date:%Y-%m-%d})"
        )
    elif kind == "highest" and pd.notna(row.since):
        what += f", highest since {row.since:%Y-%m-%d}"
    if kind == "highest" and dyad in set(watch.alerts["dyad"]):
        what += ' <span class="alerted">alerted</span>'
    events = []
    for k in range(1, rule.TOP + 1):
        event = getattr(row, f"event_{k}")
        if isinstance(event, str):
            part = getattr(row, f"contribution_{k}")
            events.append(
                f'<li><span class="part">{part:+.1f}</span> {html.escape(event)}'
                f"{_sources(getattr(row, f'source_{k}'))}</li>"
            )
    listed = f'<ol class="events">\n{chr(10).join(events)}\n</ol>' if events else ""
    return f"""<article class="dyad {kind}" data-dyad="{html.escape(dyad)}">
<h3>{html.escape(_dyad_name(dyad))} <span class="code">{html.escape(dyad)}</span>{explorer}</h3>
<p class="what">{what}</p>
{_sparkline(watch.sparks.get(dyad), watch, row.date)}
{listed}
</article>"""


def _sources(text) -> str:
    """Each source of an event: a link named by its host, or the text itself."""
    if not isinstance(text, str) or not text.strip():
        return ""
    parts = []
    for source in (s.strip() for s in text.split(";")):
        if source.startswith(("http://", "https://")):
            host = (urlsplit(source).hostname or source).removeprefix("www.")
            parts.append(f'<a href="{html.escape(source)}">{html.escape(host)}</a>')
        elif source:
            parts.append(html.escape(source))
    return f' <span class="sources">({", ".join(parts)})</span>'


def _sparkline(values: np.ndarray | None, watch: Watch, date: pd.Timestamp) -> str:
    """The last :data:`SPARK_DAYS` days as an inline SVG line, the floor dashed, the day
    named marked with a dot."""
    if values is None or not np.isfinite(values).any():
        return ""
    lo = min(0.0, float(np.nanmin(values)))
    hi = max(float(np.nanmax(values)), watch.floor)
    width, height = SPARK_WIDTH, SPARK_HEIGHT

    def y(v: float) -> float:
        return height - 2 - (v - lo) / (hi - lo) * (height - 4)

    x = np.arange(len(values)) * (width - 4) / max(len(values) - 1, 1) + 2
    points = " ".join(
        f"{a:.1f},{y(v):.1f}" for a, v in zip(x, values, strict=True) if np.isfinite(v)
    )
    at = len(values) - 1 - (watch.last_day - date).days
    dot = ""
    if 0 <= at < len(values) and np.isfinite(values[at]):
        dot = f'<circle cx="{x[at]:.1f}" cy="{y(values[at]):.1f}" r="2.5"/>'
    label = f"the last {SPARK_DAYS} days, highest {np.nanmax(values):.1f}"
    return (
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{label}">'
        f'<line class="floor" x1="2" x2="{width - 2}" y1="{y(watch.floor):.1f}" '
        f'y2="{y(watch.floor):.1f}"/><polyline points="{points}"/>{dot}</svg>'
    )


_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 1.5em; color: #222; max-width: 60em; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
h3 { font-size: 1em; margin: 0.2em 0; }
p { line-height: 1.4; font-size: 0.95em; }
p.data, footer, p.none { color: #555; }
article.dyad { margin: 0.8em 0 1.2em; }
.code { color: #777; font-weight: normal; font-size: 0.9em; }
a.explorer { font-weight: normal; font-size: 0.85em; margin-left: 0.6em; }
.alerted { background: #f3d3c8; padding: 0 0.3em; font-size: 0.85em; }
svg.spark polyline { fill: none; stroke: #b2182b; stroke-width: 1.2; }
svg.spark line.floor { stroke: #999; stroke-dasharray: 3 3; stroke-width: 0.8; }
svg.spark circle { fill: #222; }
ol.events { margin: 0.3em 0; padding-left: 1.4em; font-size: 0.9em; }
ol.events .part { font-family: "DejaVu Sans Mono", monospace; }
.sources { color: #555; }
footer { margin-top: 2em; font-size: 0.85em; }
"""

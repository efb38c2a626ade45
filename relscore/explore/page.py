"""The explorer's page around the chart: its words (the heading, the data behind it, the
index in plain words, the episodes of the default reading) and the surgery on Altair's
inline HTML template that puts them there.

The words that name a setting are built from it -- the default scheme
(:data:`relscore.DEFAULT_SCHEME`) and what each scheme does, the default half-life
(:data:`relscore.DEFAULT_HALF_LIFE`), the range of the weights and of the weight controls --
so that a changed default changes the page with it.
"""

from __future__ import annotations

import html
import textwrap
from pathlib import Path

import pandas as pd

from relscore.analysis.episodes import NOTHING_TO_FIT, episodes
from relscore.codebook import DEFAULT_SCHEME, SCHEMES, weights_table
from relscore.coding import code_events
from relscore.explore.readings import DEFAULT_KERNEL, FACTORS, KERNELS
from relscore.index import DEFAULT_HALF_LIFE, dyad_codes, tension_index
from relscore.plot.words import scheme_does, signed, weights_words
from relscore.vocabulary import WEIGHT_MAX, WEIGHT_MIN, check_dyad

_HEAD = "<!DOCTYPE html>\n<html>\n<head>\n"
_EMBED = "  vegaEmbed('#vis', spec, embedOpt).catch(console.error);\n"
_EMBED_KEEPING_VIEW = (
    "  vegaEmbed('#vis', spec, embedOpt)\n"
    "    .then(function (result) { window.relscoreView = result.view; })\n"
    "    .catch(console.error);\n"
)
_WRAP = 88  # columns, for sentences built into the page's source (the browser re-flows them)


def page_parts(events, dyad, readings, title, overrides) -> dict:
    """The page's words and tables for :func:`finish`: heading, data line, dominant codes,
    the episodes of the default reading, and the brush's first and last day (ms since 1970)
    for :func:`~relscore.explore.chart.explorer_chart`."""
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
        "weights": weights_words(overrides),  # empty for the shipped weights
    }


def finish(document: str, page: dict) -> str:
    """Put the words and the episode table around Altair's chart; keep the view reachable
    (``window.relscoreView``) for readers' consoles and the browser test."""
    head, body, end = _HEAD, '<body>\n<div class="vega-visualization"', "</body>\n</html>"
    spec, after = "  const spec = ", ";\n  const embedOpt = "
    if not (
        document.startswith(head)
        and all(document.count(part) == 1 for part in (body, _EMBED, spec, after))
        and document.rstrip().endswith(end)
    ):
        raise RuntimeError("altair's inline HTML template changed: update relscore.explore.page")
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
    return document[:at] + _episodes_html(page["episodes"]) + _footer(page) + document[at:]


def _footer(page: dict) -> str:
    """The weights the page was built with, when they are not the shipped ones."""
    if not page["weights"]:
        return ""
    return f'<footer><p class="data">{html.escape(page["weights"])}</p></footer>\n'


def _intro(page: dict) -> str:
    """The heading and the index in plain words, its defaults named from the settings."""
    codes = "; ".join(f"{code}, {code_words(code)}" for code in page["codes"])
    lo, hi = signed(WEIGHT_MIN), signed(WEIGHT_MAX)
    days = KERNELS[DEFAULT_KERNEL][2]  # the kernel control's first choice
    factors = f"× {min(FACTORS):g} … × {max(FACTORS):g}"
    return f"""<header>
  <h1>{html.escape(page["title"])}</h1>
  <p class="data">{html.escape(page["data"])}</p>
  <p><b>The index in plain words.</b> Every event between the two states adds points: a
  conflictual one (a strike, a protest, a threat) adds, a cooperative one (a visit, a
  call, an agreement) takes away, each weighted by the CAMEO/Goldstein scale ({lo} most
  conflictual … {hi} most cooperative). A positive value means more conflict than
  cooperation that day, a negative one more cooperation. Under the <i>decay</i> kernel an
  event's points fade by half every half-life ({days:g} days unless you choose otherwise); under
  the <i>rolling</i> kernel they count in full for the window's days, then drop out.
{_schemes()}</p>
  <p class="how">Hover over the line for a day's value, its number of events and the three
  events that contribute most (ranked at the codes' own weights). Drag on the overview to
  zoom. The controls above the chart change the scheme, the kernel and the weight of the
  dyad's dominant codes ({html.escape(codes)}): {factors}, kept within {lo} … {hi}.</p>
</header>
"""


def _schemes() -> str:
    """The schemes in a sentence, the default first, wrapped as the text around it."""
    sentence = "; ".join(
        [f"The default scheme, <i>{DEFAULT_SCHEME}</i>, {scheme_does(DEFAULT_SCHEME)}"]
        + [f"<i>{name}</i> {scheme_does(name)}" for name in SCHEMES if name != DEFAULT_SCHEME]
    )
    return textwrap.fill(
        sentence + ".", _WRAP, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False
    )


def _episodes_html(table: pd.DataFrame) -> str:
    """The episodes of the default reading as an HTML table, highest peak first."""
    if table.empty:
        return (
            '<section id="episodes"><h2>Episodes</h2><p>No episode: no peak of the tension '
            "stood 5 points above its level of the year before.</p></section>\n"
        )
    rows = "\n".join(
        "    <tr>"
        f"<td>{r.peak_date:%Y-%m-%d}</td><td>{r.peak:.1f}</td>"
        f"<td>{_number(r.days_to_half, '.0f')}</td>{_half_life_cells(r)}"
        f"<td>{html.escape(str(r.versus_decay)) if pd.notna(r.versus_decay) else ''}</td>"
        "</tr>"
        for r in table.itertuples()
    )
    # The reading page_parts finds the episodes in: tension_index's defaults.
    reading = f"{DEFAULT_SCHEME}, decay with a {DEFAULT_HALF_LIFE:g}-day half-life"
    return f"""<section id="episodes">
  <h2>Episodes (default reading: {reading})</h2>
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


def code_words(code: str) -> str:
    """A CAMEO code's description, in lower case, without "not specified below"."""
    words = weights_table()["description"].get(code, "")
    return words.removesuffix(", not specified below").lower()


def _half_life_cells(row) -> str:
    """The fitted half-life and its interval, or why none was fitted (in words, with the
    whole note on hover)."""
    if pd.notna(row.half_life_days):
        interval = f"{_number(row.half_life_low, '.1f')}–{_number(row.half_life_high, '.1f')}"
        return f"<td>{row.half_life_days:.1f}</td><td>{interval}</td>"
    why = {NOTHING_TO_FIT: "no event after the peak"}.get(row.fit_note, "hover for why")
    if str(row.fit_note).startswith("too few post-peak days"):
        why = "too few days after the peak"
    note = html.escape(str(row.fit_note), quote=True)
    return f'<td colspan="2" title="{note}">not fitted: {why}</td>'


def _number(value: float, spec: str) -> str:
    return "" if pd.isna(value) else format(value, spec)


def _dyad_name(dyad: str) -> str:
    """``"IRN-PAK"`` -> ``"Iran–Pakistan"``, by the common names of ISO 3166-1."""
    import pycountry

    def name(code: str) -> str:
        country = pycountry.countries.get(alpha_3=code)
        return code if country is None else getattr(country, "common_name", country.name)

    return "–".join(name(code) for code in dyad.split("-"))

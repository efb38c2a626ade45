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
import json
import textwrap
from pathlib import Path

import pandas as pd

from relscore.analysis.episodes import NOTHING_TO_FIT, episodes
from relscore.codebook import DEFAULT_SCHEME, SCHEMES, weights_table
from relscore.coding import code_events
from relscore.explore.packing import SCRIPT
from relscore.explore.readings import DEFAULT_KERNEL, FACTORS, KERNELS
from relscore.index import DEFAULT_HALF_LIFE, dyad_codes, tension_index
from relscore.plot.words import scheme_does, scheme_words, signed, weights_words
from relscore.vocabulary import WEIGHT_MAX, WEIGHT_MIN, check_dyad

SHORT_DAYS = 180  # a record this short is shown whole, its overview's ticks naming days
_HEAD = "<!DOCTYPE html>\n<html>\n<head>\n"
_EMBED = "  vegaEmbed('#vis', spec, embedOpt).catch(console.error);\n"
_EMBED_KEEPING_VIEW = (
    # The views take the window's width (within the bounds below) when the page opens, so
    # that the page fits a phone and uses a wide screen; each control gets its technical
    # name as a tooltip.
    "  const room = document.getElementById('vis').clientWidth - 130;\n"
    "  const width = Math.max(240, Math.min(1100, room));\n"
    "  for (const view of spec.vconcat) view.width = width;\n"
    "  spec.config.title.limit = width;  // a long title is cut, not widening the page\n"
    "  spec.vconcat[0].mark.limit = width;\n"
    "  relscoreTables()\n"
    "    .then(function (tables) {\n"
    "      Object.assign(spec.datasets, tables);\n"
    "      return vegaEmbed('#vis', spec, embedOpt);\n"
    "    })\n"
    "    .then(function (result) {\n"
    "      window.relscoreView = result.view;\n"
    "      const titles = JSON.parse(document.getElementById('control-titles').textContent);\n"
    "      document.querySelectorAll('#vis .vega-bind').forEach(function (control, i) {\n"
    "        if (i < titles.length) control.title = titles[i];\n"
    "      });\n"
    "    })\n"
    "    .catch(console.error);\n"
)
_WRAP = 88  # columns, for sentences built into the page's source (the browser re-flows them)


def page_parts(events, dyad, readings, title, overrides) -> dict:
    """The page's words and tables for :func:`finish`: heading, data line, dominant codes,
    the episodes of the default reading, whether the record is short (months, not years),
    and the brush's first and last day (ms since 1970) for
    :func:`~relscore.explore.chart.explorer_chart`."""
    codes, labels = dyad_codes(events["actor1"], events["actor2"])
    mine = events[codes == check_dyad(labels, dyad)]
    first, last = mine["date"].min(), mine["date"].max()
    years = f"{first:%Y}" if first.year == last.year else f"{first:%Y}–{last:%Y}"
    short = (last - first).days <= SHORT_DAYS
    files = sorted({Path(f).name for f in events["file"]}) if "file" in events else []
    index = tension_index(code_events(events, DEFAULT_SCHEME, overrides))
    index = index[index["dyad"] == dyad]
    table = episodes(index).sort_values(["peak", "start"], ascending=[False, True])
    if short:  # the whole record fits the detail view
        brush = (index["date"].min(), index["date"].max())
    elif len(table):
        peak = table["peak_date"].iloc[0]
        brush = (peak - pd.Timedelta(days=30), peak + pd.Timedelta(days=60))
    else:
        brush = (last - pd.Timedelta(days=365), last)
    return {
        "title": title or f"{_dyad_name(dyad)} tension, {years}",
        "data": f"Data: {', '.join(files) or 'events'}: {len(mine):,} sourced events of "
        f"{dyad}, {years}.",
        "codes": readings["codes"],
        "episodes": table.head(10),
        "short": short,
        "brush": [int(pd.Timestamp(b).value // 10**6) for b in brush],  # ms since 1970
        "weights": weights_words(overrides),  # empty for the shipped weights
    }


def finish(document: str, page: dict, tables: str) -> str:
    """Put the words, the packed ``tables`` (:func:`relscore.explore.packing.pack`) and the
    episode table around Altair's chart, with the script that unpacks the tables before
    the chart is drawn; keep the view reachable (``window.relscoreView``) for readers'
    consoles and the browser test."""
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
    intro = _intro(page) + tables
    document = document.replace(body, "<body>\n" + intro + body[len("<body>\n") :])
    document = document.replace(_EMBED, SCRIPT + _EMBED_KEEPING_VIEW)
    at = document.rstrip().rindex(end)
    tail = _episodes_html(page["episodes"], page["weights"]) + _footer(page)
    return document[:at] + tail + document[at:]


def _footer(page: dict) -> str:
    """The weights the page was built with, when they are not the shipped ones."""
    if not page["weights"]:
        return ""
    return f'<footer><p class="data">{html.escape(page["weights"])}</p></footer>\n'


def _intro(page: dict) -> str:
    """The heading, how to read the page, and the index in plain words (folded), its
    defaults named from the settings."""
    lo, hi = signed(WEIGHT_MIN), signed(WEIGHT_MAX)
    days = KERNELS[DEFAULT_KERNEL][2]  # the kernel control's first choice
    factors = f"× {min(FACTORS):g} … × {max(FACTORS):g}"
    # The controls' technical names, read by the page's script once the controls exist.
    titles = json.dumps(page["titles"], ensure_ascii=False).replace("<", "\\u003c")
    return f"""<header>
  <script type="application/json" id="control-titles">{titles}</script>
  <h1>{html.escape(page["title"])}</h1>
  <p class="data">{html.escape(page["data"])}</p>
  <p class="how">Above 0: more conflict than cooperation between the two states that day;
  below 0: more cooperation. Hover over the line for a day's value and the events that weigh
  most in it; click a diamond to read the event's source. Hover over a control for its
  technical name; the weights of the pair's most frequent kinds of event go from {factors},
  kept within {lo} … {hi}.</p>
  <details><summary>The index in plain words</summary>
  <p>Every event between the two states adds points: a conflictual one (a strike, a
  protest, a threat) adds, a cooperative one (a visit, a call, an agreement) takes away,
  each weighted by the CAMEO/Goldstein scale ({lo} most conflictual … {hi} most
  cooperative). A positive value means more conflict than cooperation that day, a negative
  one more cooperation. Under the <i>decay</i> kernel an event's points fade by half every
  half-life ({days:g} days unless you choose otherwise); under the <i>rolling</i> kernel
  they count in full for the window's days, then drop out.
{_schemes()}</p>
  <p>The events listed for a day are the three that contribute most to its value, ranked at
  the codes' own weights; each says its own date, as an event of an earlier day still
  counts, faded.</p></details>
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


def _episodes_html(table: pd.DataFrame, weights: str = "") -> str:
    """The episodes of the default reading as an HTML table, highest peak first; it says
    that it does not follow the controls."""
    reading = (  # the reading page_parts finds the episodes in: tension_index's defaults
        f"{scheme_label(DEFAULT_SCHEME)}, fading by half every {DEFAULT_HALF_LIFE:g} days, "
        + ("your weights" if weights else "the shipped weights")
    )
    technical = f"scheme {DEFAULT_SCHEME}, decay kernel, half-life {DEFAULT_HALF_LIFE:g} days"
    heading = (
        f'<h2>Episodes</h2>\n  <p class="data"><span title="{technical}">At the default '
        f"reading ({reading})</span>: this table does not follow the controls above.</p>"
    )
    if table.empty:
        return (
            f'<section id="episodes">{heading}<p>No episode: no peak of the tension '
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
    return f"""<section id="episodes">
  {heading}
  <div class="scroll"><table>
    <thead><tr><th>peak date</th><th>peak</th><th>days to half</th><th title="fitted
    half-life">days to halve, fitted</th><th>95 % range</th><th title="against the
    kernel's decay">against fading alone</th></tr></thead>
    <tbody>
{rows}
    </tbody>
  </table></div>
</section>
"""


_CSS = """
    body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 1em 1.5em; color: #222; }
    header p { max-width: 62em; }
    #vis.vega-embed { flex-direction: column-reverse; align-items: flex-start; width: 100%;
                      justify-content: flex-end; }
    h1 { font-size: 1.4em; margin: 0.2em 0; }
    h2 { font-size: 1.1em; margin: 0.4em 0; }
    p { line-height: 1.4; font-size: 0.95em; margin: 0.4em 0; }
    details { font-size: 0.95em; color: #555555; max-width: 62em; }
    summary { cursor: pointer; }
    p.data, p.how { color: #555555; }
    .scroll { overflow-x: auto; }
    #episodes table { border-collapse: collapse; font-size: 0.9em; }
    #episodes th, #episodes td { padding: 0.25em 0.8em; border-bottom: 1px solid #dddddd;
                                 text-align: right; }
    .vega-bindings { margin-bottom: 0.5em; display: flex; flex-wrap: wrap; gap: 0.3em 1.5em; }
    html body #vg-tooltip-element table tr td.value { max-width: 560px; max-height: none;
                                                      white-space: normal; }
    #episodes td:first-child { white-space: nowrap; }
    @media (min-width: 1400px) {  /* a wide screen: the episodes beside the chart */
      body { display: grid; grid-template-columns: minmax(0, 1fr) 30em; column-gap: 2em;
             align-items: start; }
      header, footer { grid-column: 1 / -1; }
      #episodes { grid-column: 2; grid-row: 2; }
      .vega-visualization { grid-column: 1; grid-row: 2; min-width: 0; }
      #episodes th, #episodes td { padding: 0.2em 0.4em; }
    }
    @media (max-width: 700px) {  /* a phone */
      body { margin: 0.6em; }
      .vega-bindings { flex-direction: column; }
      html body #vg-tooltip-element table tr td.value { max-width: 70vw; }
    }
  """


def scheme_label(name: str) -> str:
    """A scheme in plain words, for its control (its name goes in the control's tooltip)."""
    return scheme_words(name, default=None).rsplit(" (", 1)[0]


def kernel_label(window: int | None, half_life: float | None) -> str:
    """A kernel in plain words: "fading, halves every 14 days", "the last 30 days, in full"."""
    if window:
        return f"the last {window:g} days, in full"
    return f"fading, halves every {half_life:g} days"


def control_titles(codes: list[str]) -> list[str]:
    """The technical name of each control, in the order of the page's controls, for its
    tooltip: the scheme, the kernel, then each dominant code's weight."""
    schemes = "; ".join(f"{scheme_label(n)}: scheme '{n}'" for n in SCHEMES)
    kernels = "; ".join(f"{kernel_label(w, h)}: {label}" for label, w, h in KERNELS)
    return [
        f"the weight scheme ({schemes})",
        f"the kernel ({kernels})",
        *(
            f"CAMEO code {code}: its weight times the factor, kept within "
            f"{signed(WEIGHT_MIN)} … {signed(WEIGHT_MAX)}"
            for code in codes
        ),
    ]


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

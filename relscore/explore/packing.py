"""The explorer's tables in its page: packed small, unpacked by the page before the chart is
drawn.

Every stored reading (:mod:`relscore.explore.readings`) is a column of numbers that moves
little from one stored day to the next, and the events' words repeat (codes, sides, the
hosts of their sources). So the page carries them as one JSON object of columns -- whole
numbers (``y`` in hundredths, the parts in thousandths, contributions in hundredths), days
and event numbers as steps from the row before -- compressed with gzip and written in
base64 inside a ``<script type="application/gzip">`` that is never run (base64 has no
``<``: no text of the data can end it). :data:`SCRIPT` unpacks it with the browser's own
``DecompressionStream`` into the chart's datasets, exactly the numbers the rounding gave:
``158 / 100`` is the double nearest 1.58, as ``"1.58"`` was. What the page can derive
stays out: an event's row number, its code's CAMEO words, its source's host and the number
of events of each day. The bytes are the same for the same readings (gzip without a
timestamp).

:func:`unpack` reads a page's tables back in Python, as the script does in the browser.
"""

from __future__ import annotations

import base64
import gzip
import json
import re

import numpy as np
import pandas as pd

from relscore.codebook import weights_table

ELEMENT_ID = "relscore-data"
_TAG = f'<script id="{ELEMENT_ID}" type="application/gzip">'
SCALES = {"y": 100, "c1": 100, "c2": 100, "c3": 100}  # the rest of "p*": 1000
STEPPED = ("d", "y", "e1", "e2", "e3")  # stored as the step from the row before
EVENT_COLUMNS = ("d", "code", "text", "url", "side", "g")
_HOST = r"^https?://(?:www\.)?([^/:?#]+)"  # the host of a source, as readings finds it

SCRIPT = """
  // The explorer's tables: gzip-compressed JSON of columns in base64 (relscore.explore.packing).
  async function relscoreTables() {
    const text = document.getElementById("ELEMENT_ID").textContent;
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    const json = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    const packed = JSON.parse(await new Response(json).text());
    const rows = (columns, n) => {
      const out = Array.from({ length: n }, () => ({}));
      for (const [name, column] of Object.entries(columns)) {
        const scale = column.scale || 1;
        let last = 0;
        column.values.forEach((value, i) => {
          if (value === null) { out[i][name] = null; return; }
          last = column.stepped ? last + value : value;
          out[i][name] = scale === 1 ? last : last / scale;
        });
      }
      return out;
    };
    const series = rows(packed.series, packed.n_series);
    const events = rows(packed.events, packed.n_events);
    const perDay = new Map();
    events.forEach((event, i) => {
      event.i = i;
      event.cameo = packed.cameo[event.code] || "";
      const host = event.url.match(/HOST/);
      event.host = host ? host[1] : "";
      perDay.set(event.d, (perDay.get(event.d) || 0) + 1);
    });
    const counts = Array.from(perDay, ([d, n]) => ({ d: d, n: n }));
    return { series: series, events: events, counts: counts };
  }
""".replace("ELEMENT_ID", ELEMENT_ID).replace("HOST", _HOST.replace("/", "\\/"))


def pack(readings: dict) -> str:
    """The ``<script>`` element that carries ``readings``' series and events (see the module
    docstring)."""
    series = readings["series"]
    columns = {name: _column(series[name], name) for name in series.columns}
    events = readings["events"]
    event_columns = {name: _column(events[name], name) for name in EVENT_COLUMNS}
    book = weights_table()["description"]
    codes = sorted(set(events["code"]))
    packed = {
        "n_series": len(series),
        "series": columns,
        "n_events": len(events),
        "events": event_columns,
        "cameo": {code: book[code] for code in codes if code in book.index},
    }
    text = json.dumps(packed, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    data = gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)
    return _TAG + base64.b64encode(data).decode("ascii") + "</script>\n"


def unpack(page: str) -> dict[str, list[dict]]:
    """The tables a page's :data:`SCRIPT` gives the chart: ``series``, ``events`` and
    ``counts``, as lists of records."""
    start = page.index(_TAG) + len(_TAG)
    data = base64.b64decode(page[start : page.index("</script>", start)])
    packed = json.loads(gzip.decompress(data))
    series = _rows(packed["series"], packed["n_series"])
    events = _rows(packed["events"], packed["n_events"])
    counts: dict[int, int] = {}
    for i, event in enumerate(events):
        host = re.match(_HOST, event["url"])
        event |= {"i": i, "cameo": packed["cameo"].get(event["code"], "")}
        event["host"] = host[1] if host else ""
        counts[event["d"]] = counts.get(event["d"], 0) + 1
    return {
        "series": series,
        "events": events,
        "counts": [{"d": d, "n": n} for d, n in counts.items()],
    }


def _column(values: pd.Series, name: str) -> dict:
    """One column: its values as JSON (None where missing), whole numbers where it is
    numeric (``scale`` x the value), steps from the row before where it is stepped."""
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        return {"values": values.astype(str).tolist()}
    scale = SCALES.get(name, 1000 if name.startswith("p") else 1)
    numbers = values.to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(numbers)
    whole = np.round(np.where(missing, 0.0, numbers) * scale).astype(np.int64)
    column: dict = {"values": whole}
    if name in STEPPED:  # steps between the values present
        present = whole[~missing]
        whole[~missing] = np.diff(present, prepend=0)
        column["stepped"] = True
    if scale != 1:
        column["scale"] = scale
    out = whole.astype(object)
    out[missing] = None
    column["values"] = out.tolist()
    return column


def _rows(columns: dict, n: int) -> list[dict]:
    out: list[dict] = [{} for _ in range(n)]
    for name, column in columns.items():
        scale, last = column.get("scale", 1), 0
        for row, value in zip(out, column["values"], strict=True):
            if value is None:
                row[name] = None
                continue
            last = last + value if column.get("stepped") else value
            row[name] = last if scale == 1 else last / scale
    return out

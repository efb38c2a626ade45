"""Explorers: one standalone, interactive HTML page per dyad (Vega-Altair, JavaScript inlined).

The page works offline, with no server: the Vega, Vega-Lite and Vega-Embed bundles are
inlined by ``chart.save(..., format="html", inline=True)`` (which takes them from
vl-convert), and every reading the controls offer is computed in Python, so the browser
only unpacks, filters and adds. One module per job:

* :mod:`~relscore.explore.readings` -- the numbers: every reading the page stores, on days
  thinned without visible loss;
* :mod:`~relscore.explore.chart` -- the Vega-Lite chart that shows them, with its controls;
* :mod:`~relscore.explore.packing` -- the numbers packed into the page, and the script that
  unpacks them in the browser;
* :mod:`~relscore.explore.page` -- the HTML around the chart, and its words, built from the
  settings they name.

:func:`explorer_html` puts them together. The same input gives the same bytes: no
timestamp, no random id, every name pinned.

Beside them, :mod:`~relscore.explore.watch` writes the **watch page**: one page, with no
script at all, of the dyads that alerted and those highest against their own history,
each linked to its explorer when one is built.

May import :mod:`relscore.plot`, :mod:`relscore.datasets` (the bundled data of :data:`FILES`),
:mod:`relscore.analysis`, :mod:`relscore.index`, :mod:`relscore.coding`,
:mod:`relscore.codebook` and the bottom layer.
"""

from __future__ import annotations

import io

import pandas as pd

from relscore import datasets
from relscore.explore.chart import WIDTH, explorer_chart
from relscore.explore.packing import pack
from relscore.explore.page import finish, page_parts
from relscore.explore.readings import (
    DEFAULT_KERNEL,
    FACTORS,
    KERNELS,
    N_CODES,
    QUIET,
    TOLERANCE,
    TOP,
    dominant_codes,
    explorer_data,
)
from relscore.vocabulary import parse_dyad

__all__ = [
    "DEFAULT_KERNEL",
    "FACTORS",
    "FILES",
    "KERNELS",
    "N_CODES",
    "QUIET",
    "TOLERANCE",
    "TOP",
    "WIDTH",
    "dominant_codes",
    "explorer_data",
    "explorer_files",
    "explorer_html",
]

FILES = {  # explorer file -> (bundled data, dyad)
    "explore_iran_pakistan.html": ("iran_pakistan", "IRN-PAK"),
    "explore_india_pakistan.html": ("india_pakistan", "IND-PAK"),
    "explore_iran_israel.html": ("iran_israel", "IRN-ISR"),
}


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
        A complete HTML document (UTF-8, about 1 MB for the bundled Iran–Pakistan data):
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
    stored = explorer_data(events, dyad, overrides)
    parts = page_parts(events, dyad, stored, title, overrides)
    vega = explorer_chart(alt, stored, parts["brush"])
    out = io.StringIO()
    vega.save(
        out, format="html", inline=True, embed_options={"actions": False, "renderer": "canvas"}
    )
    return finish(out.getvalue(), parts, pack(stored))


def explorer_files(overrides: dict[str, float] | None = None) -> dict[str, bytes]:
    """The explorers of the bundled data, by file name (see :data:`FILES`), as bytes."""
    return {
        name: explorer_html(datasets.load(data), dyad, overrides=overrides).encode("utf-8")
        for name, (data, dyad) in FILES.items()
    }

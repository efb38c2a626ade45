"""The notebooks: MyST-NB reads a page ``docs/notebooks/NN_name.nblink``
(``{"path": "notebooks/NN_name.py"}``) as the jupytext source it names, so the docs render
the notebooks of ``notebooks/`` themselves, with no copy to keep in step."""

from __future__ import annotations

import json

from docutils import nodes

from relscore_docs.paths import ROOT


def read_notebook_link(text: str):
    """The notebook a ``.nblink`` page names, read from its jupytext percent source."""
    import jupytext

    path = ROOT / json.loads(text)["path"]
    notebook = jupytext.reads(path.read_text(encoding="utf-8"), fmt="py:percent")
    notebook.metadata.pop("jupytext", None)
    return notebook


WIDGET_NOTE = (
    "Here the notebook shows live sliders (ipywidgets). They need a running Python kernel to "
    "redraw the chart, so they do not work on this page: open the notebook in Jupyter to use them."
)


def widget_note(self, data) -> list[nodes.Element]:
    """MyST-NB's ``render_widget_view``, offline: a widget's JavaScript would come from a CDN,
    and its chart needs a kernel anyway, so the page says what is there instead."""
    return [nodes.note("", nodes.paragraph(text=WIDGET_NOTE))]


def setup(app) -> None:
    from myst_nb.core.render import NbElementRenderer

    NbElementRenderer.render_widget_view = widget_note

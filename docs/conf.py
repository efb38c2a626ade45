"""Sphinx configuration of the relscore docs: ``make docs`` builds them into ``docs/_build/html``.

The pages are MyST Markdown; the notebooks are the jupytext sources in ``notebooks/``, executed
while the docs build; the CLI reference comes from the argparse parser and the API reference
from the numpydoc docstrings. Nothing is fetched from the network (no intersphinx: the types
of pandas, numpy and matplotlib are named in plain text, see ``nitpick_ignore_regex``).
"""

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))  # the relscore_docs extension

import relscore  # noqa: E402

project = "relscore"
author = "The relscore authors"
copyright = "2026 The relscore authors"  # as in LICENSE
version = release = relscore.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "numpydoc",
    "sphinxarg.ext",
    "relscore_docs",
]
exclude_patterns = ["_build", "jupyter_execute", "**.ipynb_checkpoints"]
templates_path = ["_templates"]
root_doc = "index"
highlight_language = "text"  # a block that names no language (a usage line, an output) is text

# -- MyST and the notebooks -----------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3  # the README's `(#adjusting-weights)` links to its heading
# `site:explorer/NAME.html`: a link to a page of the built site that is not a source document
# (the README's links to the explorers, see relscore_docs.readme).
myst_url_schemes = {
    **dict.fromkeys(("http", "https", "mailto", "ftp")),
    "site": {"url": "{{path}}", "classes": ["internal"]},
}
nb_custom_formats = {".nblink": "relscore_docs.notebooks.read_notebook_link"}
nb_execution_mode = "force"  # every build runs the notebooks against the code as it is
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
# The widgets (notebook 03's sliders) need a running kernel, and their JavaScript would come
# from a CDN: it is not loaded, and the page says so where a widget would be
# (relscore_docs.notebooks.widget_note).
nb_ipywidgets_js = {}

# -- API reference --------------------------------------------------------------------------
# A constant's value is shown by relscore_docs.api.describe_constant, only where it is short.
autodoc_default_options = {"member-order": "bysource", "no-value": True}
# argparse's and the standard library's docstrings (and the signatures they start with,
# `error(message: string)`) are not ours.
autodoc_inherit_docstrings = False
autodoc_docstring_signature = False
autodoc_typehints = "none"  # the numpydoc "Parameters" sections say the types, in words
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
# Types of other libraries, named in signatures and docstrings: no inventory for them is
# fetched (the build is offline), so they stay plain text instead of links.
nitpick_ignore_regex = [
    (r"py:.*", r"(pandas|pd|numpy|np|scipy|statsmodels|matplotlib|pyarrow|pa)(\..*)?"),
    (r"py:.*", r"(dask|distributed|polars|numba|ipywidgets)(\..*)?"),
    (r"py:.*", r"(pathlib|os|io|argparse|collections|contextlib|typing|dataclasses)\..*"),
    (r"py:.*", r"(datetime|enum|re|subprocess|concurrent|tomllib)\..*"),
]

# -- HTML -----------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "relscore"
html_static_path = ["_static"]
html_css_files = ["relscore.css"]
html_favicon = "_static/favicon.svg"
# Pages without pages under them need no left-hand navigation.
html_sidebars = {
    page: []
    for page in ("index", "tutorial", "explorer", "explorer/*", "cli", "data/**", "benchmarks/**")
}
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": [],
    "secondary_sidebar_items": ["page-toc"],
}
html_context = {"default_mode": "light"}

"""What the relscore docs need beyond stock Sphinx, MyST-NB, numpydoc and sphinx-argparse:

* :mod:`~relscore_docs.notebooks`: the notebook pages are the sources in ``notebooks/``;
* :mod:`~relscore_docs.readme`: the README's links to the explorers go to their pages;
* :mod:`~relscore_docs.api`: ``relscore-public`` and ``relscore-modules``, the API reference;
* :mod:`~relscore_docs.explorers`: ``relscore-explorers`` and a page per explorer;
* :mod:`~relscore_docs.tutorial`: ``relscore-tutorial``, the tutorial run as printed;
* :mod:`~relscore_docs.cli`: argparse help shown as written.
"""

from __future__ import annotations

from relscore_docs import api, cli, explorers, notebooks, readme, tutorial


def setup(app):
    for part in (notebooks, readme, api, explorers, tutorial, cli):
        part.setup(app)
    return {"parallel_read_safe": False, "parallel_write_safe": True}

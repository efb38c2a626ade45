"""The README as the landing page: its links to the explorer files (``figures/explore_X.html``)
go to the explorers' pages of the docs (``explorer/X.html``), which show the same files, its
link to the watch page (``figures/watch.html``) to the copy beside them, and its links to
pages of the docs (``docs/trust.md``) to those pages, beside the landing page.

Its other relative links resolve as they are: ``data/README.md`` and the like are pages of the
docs at the same paths, and its images are found beside the README (``:relative-images:``).
"""

from __future__ import annotations

import re
from pathlib import Path

from relscore_docs.explorers import EXPLORER_PAGES
from relscore_docs.paths import ROOT

EXPLORER_LINK = re.compile(r"\]\(figures/explore_(?P<name>\w+)\.html\)")
WATCH_LINK = re.compile(r"\]\(figures/(?P<name>watch\.html)\)")
DOCS_LINK = re.compile(r"\]\(docs/(?P<page>[\w/]+\.md)\)")
SCHEME = "site"  # site:PATH is a link to PATH in the built site, relative to the page


def explorer_links(app, relative_path, parent_docname, content) -> None:
    """include-read: in the README, a link to an explorer file becomes one to its page."""
    if (Path(app.srcdir) / relative_path).resolve() != ROOT / "README.md":
        return
    content[0] = EXPLORER_LINK.sub(rf"]({SCHEME}:{EXPLORER_PAGES}/\g<name>.html)", content[0])
    content[0] = WATCH_LINK.sub(rf"]({SCHEME}:{EXPLORER_PAGES}/\g<name>)", content[0])
    content[0] = DOCS_LINK.sub(r"](\g<page>)", content[0])


def setup(app) -> None:
    app.connect("include-read", explorer_links)

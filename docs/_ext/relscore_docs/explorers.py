"""The explorers: one page per ``figures/explore_*.html`` that exists (the file copied beside
it and shown in an ``<iframe>``), and a page listing them, or saying how to build them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from relscore_docs.paths import ROOT

EXPLORER_GLOB = "explore_*.html"
EXPLORER_PAGES = "explorer"  # the explorers' pages and their files go to html/explorer/
EXPLORER_TEMPLATE = "relscore_explorer.html"
WATCH_PAGE = "watch.html"  # relscore figures writes it beside the explorers


def explorer_folder() -> Path:
    """Where the explorers are: ``figures/`` unless ``RELSCORE_DOCS_EXPLORERS`` names a folder."""
    return Path(os.environ.get("RELSCORE_DOCS_EXPLORERS", ROOT / "figures"))


def explorer_files(folder: Path | None = None) -> list[Path]:
    """The explorer files, sorted by name."""
    return sorted((folder or explorer_folder()).glob(EXPLORER_GLOB))


def explorer_name(path: Path) -> str:
    """``explore_iran_pakistan.html`` -> ``iran_pakistan`` (the page's name)."""
    return path.stem.removeprefix("explore_")


def explorer_title(path: Path) -> str:
    """A title for an explorer page from the dyad in its name: ``Iran–Pakistan``."""
    words = explorer_name(path).split("_")
    return "–".join(word.capitalize() for word in words) if len(words) == 2 else explorer_name(path)


class ExplorersDirective(SphinxDirective):
    """``.. relscore-explorers::``: a link to each explorer's page, or how to build them.

    Its content (a note) is shown where there are no explorers.
    """

    has_content = True

    def run(self) -> list[nodes.Node]:
        files = explorer_files()
        for path in files:
            self.env.note_dependency(str(path))
        if not files:
            admonition = nodes.admonition()
            admonition += nodes.title(text="No explorers built yet")
            self.state.nested_parse(self.content, self.content_offset, admonition)
            return [admonition]
        listing = nodes.bullet_list()
        for path in files:
            uri = f"{EXPLORER_PAGES}/{explorer_name(path)}.html"
            paragraph = nodes.paragraph()
            paragraph += nodes.reference(
                "", explorer_title(path), refuri=uri, internal=True, classes=["explorer-link"]
            )
            listing += nodes.list_item("", paragraph)
        return [listing]


def add_explorer_pages(app) -> None:
    """builder-inited: one page per explorer (``explorer/NAME.html``) around its iframe."""
    if app.builder.format != "html":
        return
    for path in explorer_files():
        app.config.html_additional_pages[f"{EXPLORER_PAGES}/{explorer_name(path)}"] = (
            EXPLORER_TEMPLATE
        )


def explorer_page_context(app, pagename, templatename, context, doctree) -> None:
    """html-page-context: the title and the iframe of an explorer page."""
    if templatename != EXPLORER_TEMPLATE:
        return
    name = pagename.removeprefix(f"{EXPLORER_PAGES}/")
    path = next(p for p in explorer_files() if explorer_name(p) == name)
    context["title"] = f"Explorer: {explorer_title(path)}"
    context["explorer_title"] = context["title"]
    context["explorer_src"] = path.name
    context["explorer_back"] = "../explorer.html"


def copy_explorers(app, exception) -> None:
    """build-finished: copy each explorer beside its page, as the file it is, and the watch
    page (``figures/watch.html``) beside them, whose links to the explorers then resolve."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / EXPLORER_PAGES
    watch = explorer_folder() / WATCH_PAGE
    for path in [*explorer_files(), *([watch] if watch.is_file() else [])]:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / path.name)


def setup(app) -> None:
    app.add_directive("relscore-explorers", ExplorersDirective)
    app.connect("builder-inited", add_explorer_pages)
    app.connect("html-page-context", explorer_page_context)
    app.connect("build-finished", copy_explorers)

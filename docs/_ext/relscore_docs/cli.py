"""The CLI reference: sphinx-argparse shows the parser's help as the terminal shows it."""

from __future__ import annotations

from docutils import nodes


def plain_help(items, markdown_help, settings=None):
    """sphinx-argparse's ``render_list`` for help written for a terminal: shown as written
    (``events/*.csv`` is a glob, not the start of an emphasis), a paragraph per blank line."""
    rendered = []
    for item in items:
        if isinstance(item, str):
            rendered += [nodes.paragraph(text=part) for part in item.split("\n\n") if part]
        elif isinstance(item, nodes.definition):
            rendered += item
    return rendered


def plain_paragraph(self, text):
    """sphinx-argparse's description of a parser, as written, like its help."""
    return nodes.paragraph(text=text)


def setup(app) -> None:
    import sphinxarg.ext

    sphinxarg.ext.render_list = plain_help
    sphinxarg.ext.ArgParseDirective._nested_parse_paragraph = plain_paragraph

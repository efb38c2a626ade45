"""``relscore codes``: find the CAMEO code for what happened, by words or by number."""

from __future__ import annotations

import argparse
import sys

from relscore.cli import options
from relscore.readers.weights import read_weights

SHOWN = 10  # codes listed unless --all


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "codes",
        help="find CAMEO event codes by words, with their weight and class",
        description="List the CAMEO event codes that match your words, best first, with the "
        "weight and class each gets: the words are looked up in each code's name, in a table "
        "of the words news reports use (air, border, clash, ...) and in the CAMEO manual's "
        "description, usage notes and example of each code. A number lists the code and the "
        "codes under it (19: every kind of fighting).",
    )
    parser.add_argument("search", nargs="+", metavar="WORD", help="words, or a code")
    options.add_weights(parser)
    parser.add_argument(
        "--all", action="store_true", help=f"list every match, not only the first {SHOWN}"
    )
    parser.set_defaults(run=run, usage=parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from relscore.codesearch import find_codes
    from relscore.plot.style import QUAD_CLASSES

    search = " ".join(args.search)
    overrides = read_weights(args.weights) if args.weights else {}
    found = find_codes(search, args.scheme, overrides, limit=None)
    if found.empty:
        print(
            f"relscore: no CAMEO code matches {search!r}; try other or fewer words (strike, "
            "visit, border), or a code's first digits (19 lists the kinds of fighting)",
            file=sys.stderr,
        )
        return 1
    shown = found if args.all else found.head(SHOWN)
    kinds = {name: words.split(":")[0] for name, (words, _) in QUAD_CLASSES.items()}
    rows = [("code", "weight", "class", "name", "found in")] + [
        (r.code, f"{r.weight:+g}", kinds[r.quad_class], r.description, r.found_in)
        for r in shown.itertuples()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].rjust(widths[1]), row[2].ljust(widths[2])]
        print("  ".join([*cells, row[3].ljust(widths[3]), row[4]]))
    more = (
        f"; the first {len(shown)} shown (--all for every one)" if len(shown) < len(found) else ""
    )
    weights = "your weights" if overrides else f"the shipped weights, scheme '{args.scheme}'"
    print(f"relscore: {len(found)} codes match {search!r}{more}; weights: {weights}")
    return 0

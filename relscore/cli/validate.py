"""``relscore validate``: check events files (and a weights file), report every problem."""

from __future__ import annotations

import argparse
import sys

from relscore.cli import options
from relscore.coding import weight_coverage


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "validate",
        help="check events files and report every problem",
        description="Check events CSV files (and a weights file); print one "
        "FILE:LINE: column: message per problem and exit 1 if there is any.",
    )
    parser.add_argument("events", nargs="+", metavar="EVENTS.csv")
    options.add_weights(parser)
    parser.set_defaults(run=run, usage=parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    events, overrides = options.load(args, allow_empty=True)
    coverage = weight_coverage(events, args.scheme, overrides)
    missing = coverage[coverage["origin"] == "missing"]
    for code in missing["event_code"]:
        print(f"(weights): {code}: no weight for this event code", file=sys.stderr)
    if len(missing):
        return 1
    print(f"ok: {len(events)} events in {len(args.events)} file(s), every code weighted")
    return 0

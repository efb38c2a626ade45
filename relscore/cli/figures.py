"""``relscore figures``: rebuild every figure from the bundled data, or check them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "figures",
        help="rebuild every figure from the bundled data",
        description="Rebuild every figure in figures/ (PNG, SVG and the CSV behind each) "
        "from data/events and data/weights.toml.",
    )
    parser.add_argument(
        "--out", default="figures", metavar="DIR", help="output folder (default: figures)"
    )
    parser.add_argument("--data", default="data", metavar="DIR", help="data folder (default: data)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="build in a temporary folder and fail if any file in --out differs",
    )
    parser.set_defaults(run=run, usage=parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from relscore.figures import build_figures, check_figures

    if args.check:
        stale = check_figures(Path(args.data), Path(args.out))
        for name in stale:
            print(f"{Path(args.out) / name}: differs from a fresh build", file=sys.stderr)
        if stale:
            print("relscore: figures are stale; run `make figures`", file=sys.stderr)
            return 1
        print(f"ok: every figure in {args.out} is current")
        return 0
    for path in build_figures(Path(args.data), Path(args.out), progress=sys.stderr):
        print(path)
    return 0

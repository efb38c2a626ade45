"""``relscore figures``: rebuild every figure from the bundled data, or check them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from relscore.readers.weights import read_weights

GO_BACK = "to go back to the shipped weights and figures: git checkout data/weights.toml figures/"
CHECKOUT_WEIGHTS = Path("data") / "weights.toml"  # a checkout's own weights, `make figures` reads


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "figures",
        help="rebuild every figure from the bundled data",
        description="Rebuild every figure (PNG, SVG and the CSV behind each) from the event "
        "files bundled with relscore, with your weight overrides if you give them; then say "
        "how each dyad's top episode moved against the figures that were in --out.",
    )
    parser.add_argument(
        "--out", default="figures", metavar="DIR", help="output folder (default: figures)"
    )
    parser.add_argument(
        "--weights",
        metavar="FILE.toml",
        help=f"weight overrides to build with (default: {CHECKOUT_WEIGHTS} when the current "
        "folder has one, as a checkout of relscore does, else the shipped weights; with "
        "--check: the ones the figures in --out were built with, recorded in weights_used.toml)",
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        help="a folder holding events/*.csv to build from instead of the bundled data",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="build in memory and fail if any file in --out differs",
    )
    parser.set_defaults(run=run, usage=parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from relscore.figures import (
        WEIGHTS_USED,
        build_figures,
        check_figures,
        load_bundle,
        read_top_episodes,
        weights_used,
        what_moved,
    )

    out = Path(args.out)
    if args.check:
        overrides = read_weights(args.weights) if args.weights else weights_used(out)
        stale = check_figures(load_bundle(args.data, overrides), out)
        for name in stale:
            print(f"{out / name}: differs from a fresh build", file=sys.stderr)
        if stale:
            print("relscore: figures are stale; run `make figures`", file=sys.stderr)
            return 1
        print(f"ok: every figure in {out} is current" + _with(overrides, out / WEIGHTS_USED))
        return 0
    weights = args.weights or _checkout_weights()
    overrides = read_weights(weights) if weights else {}
    bundle = load_bundle(args.data, overrides)
    before = out / "episodes.csv"
    old = read_top_episodes(before) if before.is_file() else None
    for path in build_figures(bundle, out, progress=sys.stderr):
        print(path)
    print(
        f"relscore: built with {_describe(overrides)}",
        file=sys.stderr,
    )
    if old is not None:
        moved = what_moved(old, read_top_episodes(before))
        if moved:
            print("what moved, against the figures that were there:", file=sys.stderr)
            for line in moved:
                print(f"  {line}", file=sys.stderr)
        else:
            print("nothing moved: every top episode reads as before", file=sys.stderr)
        if moved or overrides:
            print(GO_BACK, file=sys.stderr)
    return 0


def _checkout_weights() -> Path | None:
    """The checkout's ``data/weights.toml`` when the current folder has one (said in one
    line, as a build that silently ignored the file a user just edited would mislead)."""
    if not CHECKOUT_WEIGHTS.is_file():
        return None
    print(
        f"relscore: weights from {CHECKOUT_WEIGHTS} (this folder's own; --weights FILE to "
        "build with another)",
        file=sys.stderr,
    )
    return CHECKOUT_WEIGHTS


def _describe(overrides: dict[str, float]) -> str:
    if not overrides:
        return "the shipped weights"
    listed = ", ".join(f"{code} = {weight:g}" for code, weight in sorted(overrides.items()))
    return f"your weights ({listed})"


def _with(overrides: dict[str, float], recorded: Path) -> str:
    if not overrides:
        return ""
    return f", built with {_describe(overrides)} as {recorded} records"

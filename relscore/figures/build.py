"""Rebuild every figure byte for byte, check the committed ones, and say what moved.

Each figure is written as PNG (for the README) and SVG (for print), with the CSV of the
numbers it plots beside it. Everything is rendered in memory first and written only when
all of it succeeded, each file atomically, so a failure leaves the old figures untouched.
Output is deterministic: no timestamps, a fixed SVG hash salt, pinned library versions.
The output folder records the weight overrides it was built with (``weights_used.toml``)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from relscore.figures.catalogue import FIGURES, SOURCE
from relscore.figures.tables import Bundle
from relscore.files.atomic import write_atomic
from relscore.files.csvfile import csv_text
from relscore.readers.weights import read_weights

WEIGHTS_USED = (
    "weights_used.toml"  # in the output folder: the overrides the figures were built with
)
WATCH_PAGE = "watch.html"  # the watch page of the bundled data, beside the explorers
WATCH_DAYS = 730  # its window: the bundled crises of 2024 and 2025 alerted in it


def weights_used(out_dir: str | Path) -> dict[str, float]:
    """The overrides the figures in ``out_dir`` were built with ({} for the shipped weights,
    or when the folder records none)."""
    path = Path(out_dir) / WEIGHTS_USED
    return read_weights(path) if path.is_file() else {}


def weights_toml(overrides: dict[str, float]) -> str:
    """``overrides`` as a weights file, in code order (a file :func:`relscore.read_weights`
    reads back)."""
    lines = [
        "# The weight overrides the figures beside this file were built with.",
        "# No line under [weights]: the shipped weights. `relscore figures` writes it.",
        "[weights]",
    ]
    lines += [f'"{code}" = {weight!r}' for code, weight in sorted(overrides.items())]
    return "\n".join(lines) + "\n"


def render_figures(bundle: Bundle, progress: TextIO | None = None) -> dict[str, bytes]:
    """Render every figure and its CSV in memory; return file name -> bytes."""
    import matplotlib.pyplot as plt

    from relscore.plot import source_note, style

    files: dict[str, bytes] = {WEIGHTS_USED: weights_toml(bundle.overrides).encode()}
    for number, figure in enumerate(FIGURES, 1):
        if progress is not None:
            print(f"[{number}/{len(FIGURES)}] {figure.name}", file=progress, flush=True)
        rows = figure.table(bundle)
        files[f"{figure.name}.csv"] = csv_text(rows, float_format="%.10g").encode()
        if figure.draw is None:
            continue
        with style():
            fig = figure.draw(rows)
            source_note(fig, SOURCE)
            for fmt, metadata in (("png", {"Software": None}), ("svg", {"Date": None})):
                buffer = io.BytesIO()
                fig.savefig(buffer, format=fmt, metadata=metadata)
                files[f"{figure.name}.{fmt}"] = buffer.getvalue()
            plt.close(fig)
    files |= explorers(bundle, progress)
    files |= watch(bundle, progress)
    return files


def explorers(bundle: Bundle, progress: TextIO | None = None) -> dict[str, bytes]:
    """The interactive explorer of each dyad in :data:`relscore.explore.FILES`, built from
    the bundle's events file of that name and its weights; file name -> bytes."""
    from relscore.explore import FILES, explorer_html

    stem = bundle.all_events["file"].map(lambda f: Path(f).stem)
    pages = {}
    for name, (data, dyad) in FILES.items():
        if progress is not None:
            print(f"[explorer] {name}", file=progress, flush=True)
        events = bundle.all_events[stem == data].reset_index(drop=True)
        pages[name] = explorer_html(events, dyad, overrides=bundle.overrides).encode("utf-8")
    return pages


def watch(bundle: Bundle, progress: TextIO | None = None) -> dict[str, bytes]:
    """The watch page of every bundled events file (:mod:`relscore.explore.watch`), the
    last :data:`WATCH_DAYS` days, its dyads linked to their explorers; file name -> bytes."""
    from relscore.explore import FILES
    from relscore.explore.watch import watch_page

    if progress is not None:
        print(f"[watch] {WATCH_PAGE}", file=progress, flush=True)
    built = {dyad: name for name, (_, dyad) in FILES.items()}
    page = watch_page(
        bundle.all_events, overrides=bundle.overrides, days=WATCH_DAYS, explorers=built
    )
    return {WATCH_PAGE: page.encode("utf-8")}


def build_figures(bundle: Bundle, out_dir: Path, progress: TextIO | None = None) -> list[Path]:
    """Rebuild every figure into ``out_dir``; return the paths written.

    Everything is rendered before the first file is written, so an error leaves the old
    figures as they were.
    """
    files = render_figures(bundle, progress)
    written = []
    for name, content in files.items():
        path = Path(out_dir) / name
        write_atomic(path, lambda tmp, content=content: tmp.write_bytes(content))
        written.append(path)
    return written


def check_figures(bundle: Bundle, out_dir: Path) -> list[str]:
    """Render in memory; return the names of files in ``out_dir`` that differ or are missing."""
    fresh = render_figures(bundle)
    return [
        name
        for name, content in fresh.items()
        if not (Path(out_dir) / name).is_file() or (Path(out_dir) / name).read_bytes() != content
    ]


def read_top_episodes(episodes_csv: bytes | str | Path) -> pd.DataFrame:
    """The rank-1 episode of each dyad from an ``episodes.csv``: peak date and value, days
    to half, fitted half-life (days)."""
    source = io.BytesIO(episodes_csv) if isinstance(episodes_csv, bytes) else episodes_csv
    table = pd.read_csv(source, parse_dates=["peak_date"])
    columns = ["peak_date", "peak", "days_to_half", "half_life_days"]
    return table[table["rank"] == 1].set_index("dyad")[columns].sort_index()


def what_moved(before: pd.DataFrame, after: pd.DataFrame) -> list[str]:
    """Plain-words lines on how each dyad's top episode moved between two builds
    (:func:`read_top_episodes` of each); empty when nothing did."""

    def show(row) -> str:
        return (
            f"peak {row.peak_date:%d %B %Y} at {row.peak:.1f}, below half after "
            f"{row.days_to_half:.0f} days, half-life {row.half_life_days:.1f} days"
        )

    lines = []
    for dyad in sorted(set(before.index) | set(after.index)):
        old = before.loc[dyad] if dyad in before.index else None
        new = after.loc[dyad] if dyad in after.index else None
        if old is None or new is None:
            lines.append(f"{dyad}: top episode {'appeared' if old is None else 'vanished'}")
        elif not np.allclose(old[1:].to_numpy(float), new[1:].to_numpy(float), equal_nan=True) or (
            old["peak_date"] != new["peak_date"]
        ):
            lines.append(f"{dyad}: was {show(old)};")
            lines.append(f"{' ' * len(dyad)}  now {show(new)}")
    return lines

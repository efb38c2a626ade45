"""Rebuild every figure byte for byte, check the committed ones, and say what moved.

Each figure is written as PNG (for the README) and SVG (for print), with the CSV of the
numbers it plots beside it. Everything is rendered in memory first, written into a
temporary folder beside the output folder and swapped in whole, so a failure leaves the
old figures untouched.
Output is deterministic: no timestamps, a fixed SVG hash salt, pinned library versions.
The output folder records the weight overrides it was built with (``weights_used.toml``)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from relscore.exceptions import OutputFileError
from relscore.figures.catalogue import FIGURES, SOURCE, Figure
from relscore.figures.tables import Bundle
from relscore.files.atomic import AtomicFolder
from relscore.files.csvfile import csv_text
from relscore.files.errors import file_errors
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


def weights_in_effect(folder: str | Path | None = None) -> dict[str, float]:
    """The overrides the figures of the checkout around ``folder`` were built with: what a
    notebook run there draws with, so that it shows what ``figures/`` shows.

    Parameters
    ----------
    folder : path, optional
        Where to start (default the current folder, where a notebook runs); the first of it
        and its parents that holds ``figures/weights_used.toml`` is the checkout.

    Returns
    -------
    dict of str to float
        ``{}`` (the shipped weights) when no such folder is found.

    Examples
    --------
    >>> weights_in_effect("/")
    {}
    """
    start = Path(folder or Path.cwd()).resolve()
    for place in (start, *start.parents):
        if (place / "figures" / WEIGHTS_USED).is_file():
            return weights_used(place / "figures")
    return {}


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

    from relscore.plot import style

    files: dict[str, bytes] = {WEIGHTS_USED: weights_toml(bundle.overrides).encode()}
    for number, figure in enumerate(FIGURES, 1):
        if progress is not None:
            print(f"[{number}/{len(FIGURES)}] {figure.name}", file=progress, flush=True)
        rows = figure.table(bundle)
        files[f"{figure.name}.csv"] = csv_text(rows, float_format="%.10g").encode()
        if figure.draw is None:
            continue
        with style():
            fig = _drawn(figure, rows)
            for fmt, metadata in (("png", {"Software": None}), ("svg", {"Date": None})):
                buffer = io.BytesIO()
                fig.savefig(buffer, format=fmt, metadata=metadata)
                files[f"{figure.name}.{fmt}"] = buffer.getvalue()
            plt.close(fig)
    files |= explorers(bundle, progress)
    files |= watch(bundle, progress)
    return files


def _drawn(figure: Figure, rows: pd.DataFrame):
    """``figure`` drawn from its table ``rows``, with the index note every figure carries."""
    from relscore.plot import source_note

    fig = figure.draw(rows)
    source_note(fig, SOURCE)
    return fig


def draw_figure(name: str, bundle: Bundle):
    """The figure ``name`` (of :data:`FIGURES`) drawn from ``bundle`` as ``figures/`` has it,
    title, subtitle and footers included, in the house style; return the matplotlib Figure
    (for a notebook to show).

    Raises
    ------
    KeyError
        If no figure that draws an image is called ``name``.
    """
    from relscore.plot import style

    drawn = {f.name: f for f in FIGURES if f.draw is not None}
    if name not in drawn:
        raise KeyError(f"no figure {name!r}; figures: {', '.join(drawn)}")
    with style():
        return _drawn(drawn[name], drawn[name].table(bundle))


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

    Everything is rendered in memory, then written into a temporary folder beside
    ``out_dir`` and swapped in whole (:class:`relscore.files.atomic.AtomicFolder`): an
    error at any point (a full disk mid-way) leaves the old figures as they were, never a
    set that no build made. Files of ``out_dir`` that are no figure stay.
    """
    files = render_figures(bundle, progress)
    with AtomicFolder(out_dir) as folder, file_errors(out_dir, OutputFileError, "cannot write"):
        for name, content in files.items():
            folder.path(name).write_bytes(content)
    return [Path(out_dir) / name for name in files]


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

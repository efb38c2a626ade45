"""Rebuild every figure in ``figures/`` from the bundled data, byte for byte.

Each figure is written as PNG (for the README) and SVG (for print), with the CSV of the
numbers it plots beside it. Everything is rendered in memory first and written only when
all of it succeeded, each file atomically, so a failure leaves the old figures untouched.
Output is deterministic: no timestamps, a fixed SVG hash salt, pinned library versions.
"""

from __future__ import annotations

import filecmp
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pandas as pd

from ._atomic import write_atomic
from .codebook import DEFAULT_SCHEME, SCHEMES, read_weights
from .coding import code_events
from .events import load_events
from .index import DEFAULT_HALF_LIFE, tension_index

DYAD = "IRN-PAK"
EVENTS_FILE = "events/iran_pakistan.csv"
WEIGHTS_FILE = "weights.toml"
CRISIS = ("2024-01-16", "2024-01-29")
JANUARY_2024 = ("2024-01-10", "2024-02-15")
SOURCE = (
    "Source: relscore Iran–Pakistan events (data/events/iran_pakistan.csv); "
    f"decay half-life {DEFAULT_HALF_LIFE:g} days; scheme '{DEFAULT_SCHEME}' unless named."
)
TIMELINE_MILESTONES = (
    ("1965-09-06", "1965 war:\nIran backs Pakistan"),
    ("2017-06-19", "2017: Iranian\ndrone shot down"),
    ("2024-01-18", "Jan 2024:\nmissile exchange"),
)
JANUARY_2024_MILESTONES = (
    ("2024-01-16", "Iran strikes\nPanjgur"),
    ("2024-01-18", "Pakistan strikes\nSaravan"),
    ("2024-01-22", "joint\nstatement"),
    ("2024-01-26", "ambassadors\nback"),
    ("2024-01-29", "Iranian FM\nin Islamabad"),
)


@dataclass(frozen=True)
class Figure:
    """One figure: its file stem, the table it plots (written as CSV) and how to draw it."""

    name: str
    table: Callable[[pd.DataFrame, dict[str, float]], pd.DataFrame]
    draw: Callable[[pd.DataFrame], object]


def load_bundled(data_dir: Path) -> tuple[pd.DataFrame, dict[str, float]]:
    """The bundled Iran–Pakistan events and the overrides in ``data/weights.toml``."""
    events = load_events(Path(data_dir) / EVENTS_FILE)
    weights_path = Path(data_dir) / WEIGHTS_FILE
    overrides = read_weights(weights_path) if weights_path.exists() else {}
    return events, overrides


def dyad_index(
    events: pd.DataFrame,
    overrides: dict[str, float],
    scheme: str = DEFAULT_SCHEME,
    half_life: float = DEFAULT_HALF_LIFE,
) -> pd.DataFrame:
    """The Iran–Pakistan index under ``scheme`` and ``overrides``, decay kernel (days)."""
    index = tension_index(code_events(events, scheme, overrides), half_life=half_life)
    return index[index["dyad"] == DYAD].reset_index(drop=True)


def _between(start: str, end: str):
    def table(events, overrides):
        index = dyad_index(events, overrides)
        return index[index["date"].between(start, end)].reset_index(drop=True)

    return table


def schemes_table(events: pd.DataFrame, overrides: dict[str, float]) -> pd.DataFrame:
    """January 2024 under every scheme, each divided by its own 1947–2025 peak."""
    frames = []
    for scheme in SCHEMES:
        index = dyad_index(events, overrides, scheme)
        share = index["tension"] / index["tension"].max()
        frames.append(index.assign(scheme=scheme, share_of_peak=share))
    table = pd.concat(frames, ignore_index=True)
    table = table[table["date"].between(*JANUARY_2024)]
    return table[["scheme", "date", "tension", "share_of_peak"]].reset_index(drop=True)


def _timeline(rows: pd.DataFrame):
    from .plot import plot_tension

    fig, ax = _figure()
    plot_tension(rows, ax, shade=CRISIS, milestones=TIMELINE_MILESTONES, label=None)
    ax.set_title("Iran–Pakistan tension, 1947–2025")
    ax.set_xlabel("date (daily index; positive = tension, negative = warmth)")
    return fig


def _recent(rows: pd.DataFrame):
    from .plot import plot_tension

    fig, ax = _figure()
    plot_tension(rows, ax, shade=CRISIS, label=None)
    ax.set_title("Iran–Pakistan tension, 2023–2025")
    ax.set_xlabel("date (daily index; positive = tension, negative = warmth)")
    return fig


def _january_2024(rows: pd.DataFrame):
    from .plot import plot_streams

    fig, ax = _figure()
    plot_streams(
        rows, ax, milestones=JANUARY_2024_MILESTONES, half_life=DEFAULT_HALF_LIFE, shade=CRISIS
    )
    ax.set_title("January 2024: the missile exchange and its quick de-escalation, day by day")
    ax.set_xlabel("day, January–February 2024 (one bar per day)")
    return fig


def _schemes(table: pd.DataFrame):
    from .plot import plot_schemes

    fig, ax = _figure()
    plot_schemes(table, ax)
    ax.set_title(
        "Does the quick de-escalation survive other weights? Each scheme scaled to its peak"
    )
    ax.set_xlabel("day, January–February 2024")
    return fig


FIGURES = (
    Figure(
        "iran_pakistan_timeline", lambda events, overrides: dyad_index(events, overrides), _timeline
    ),
    Figure("iran_pakistan_2023_2025", _between("2023-01-01", "2025-12-31"), _recent),
    Figure("iran_pakistan_jan2024", _between(*JANUARY_2024), _january_2024),
    Figure("iran_pakistan_schemes", schemes_table, _schemes),
)


def _figure():
    import matplotlib.pyplot as plt

    return plt.subplots()


def render_figures(data_dir: Path, progress: TextIO | None = None) -> dict[str, bytes]:
    """Render every figure and its CSV in memory; return file name -> bytes."""
    import matplotlib.pyplot as plt

    from .plot import source_note, style

    events, overrides = load_bundled(data_dir)
    files: dict[str, bytes] = {}
    for number, figure in enumerate(FIGURES, 1):
        if progress is not None:
            print(f"[{number}/{len(FIGURES)}] {figure.name}", file=progress, flush=True)
        rows = figure.table(events, overrides)
        files[f"{figure.name}.csv"] = rows.to_csv(
            index=False, date_format="%Y-%m-%d", float_format="%.10g", lineterminator="\n"
        ).encode()
        with style():
            fig = figure.draw(rows)
            source_note(fig, SOURCE)
            for fmt, metadata in (("png", {"Software": None}), ("svg", {"Date": None})):
                buffer = io.BytesIO()
                fig.savefig(buffer, format=fmt, metadata=metadata)
                files[f"{figure.name}.{fmt}"] = buffer.getvalue()
            plt.close(fig)
    return files


def build_figures(data_dir: Path, out_dir: Path, progress: TextIO | None = None) -> list[Path]:
    """Rebuild every figure into ``out_dir``; return the paths written."""
    files = render_figures(Path(data_dir), progress)
    written = []
    for name, content in files.items():
        path = Path(out_dir) / name
        write_atomic(path, lambda tmp, content=content: tmp.write_bytes(content))
        written.append(path)
    return written


def check_figures(data_dir: Path, out_dir: Path) -> list[str]:
    """Build into a temporary folder; return the names of files in ``out_dir`` that differ.

    A figure missing from ``out_dir`` counts as differing.
    """
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build_figures(Path(data_dir), Path(tmp))
        return [
            p.name
            for p in fresh
            if not (Path(out_dir) / p.name).exists()
            or not filecmp.cmp(p, Path(out_dir) / p.name, shallow=False)
        ]

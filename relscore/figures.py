"""Rebuild every figure in ``figures/`` from the bundled data, byte for byte.

Each figure is written as PNG (for the README) and SVG (for print), with the CSV of the
numbers it plots beside it. Everything is rendered in memory first and written only when
all of it succeeded, each file atomically, so a failure leaves the old figures untouched.
Output is deterministic: no timestamps, a fixed SVG hash salt, pinned library versions.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from relscore import datasets
from relscore.codebook import DEFAULT_SCHEME, SCHEMES, check_weights, weights_table
from relscore.coding import code_events
from relscore.exceptions import EventFileError
from relscore.index import DEFAULT_HALF_LIFE, tension_index
from relscore.io.atomic import write_atomic
from relscore.io.events import load_events
from relscore.io.weights import read_weights

DYAD = "IRN-PAK"
DATASET = "iran_pakistan"  # the bundled events the Iran–Pakistan figures show
CRISIS = ("2024-01-16", "2024-01-29")
COMPARED = ("IRN-PAK", "IND-PAK", "IRN-ISR")
ALIGNED_DAYS = (-10, 60)  # days around the peak in the comparison
SIGNAL_TO_NOISE = 0.1  # latent level: variance of its weekly step / variance of the noise
JANUARY_2024 = ("2024-01-10", "2024-02-15")
SOURCE = (
    "Source: relscore event data (data/events/, see data/README.md); "
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


WEIGHTS_USED = (
    "weights_used.toml"  # in the output folder: the overrides the figures were built with
)


@dataclass(frozen=True)
class Bundle:
    """What the figures are built from: the Iran–Pakistan events, the weight overrides in
    effect, and every events file (for the comparison of episodes)."""

    events: pd.DataFrame
    overrides: dict[str, float]
    all_events: pd.DataFrame


@dataclass(frozen=True)
class Figure:
    """One figure: its file stem, the table it plots (written as CSV) and how to draw it."""

    name: str
    table: Callable[[Bundle], pd.DataFrame]
    draw: Callable[[pd.DataFrame], object] | None  # None: a table only, no image


def load_bundle(
    data_dir: str | Path | None = None, overrides: dict[str, float] | None = None
) -> Bundle:
    """Everything :func:`render_figures` needs, validated.

    Parameters
    ----------
    data_dir : path, optional
        A folder with ``events/*.csv`` (``events/iran_pakistan.csv`` among them); default
        the event files bundled with relscore (:mod:`relscore.datasets`).
    overrides : dict, optional
        Weight overrides (:func:`relscore.read_weights`); default none, the shipped weights.

    Raises
    ------
    EventFileError
        If ``data_dir`` has no ``events`` folder or no ``events/iran_pakistan.csv``.
    """
    overrides = check_weights(overrides or {})
    if data_dir is None:
        return Bundle(datasets.load(DATASET), overrides, datasets.load_all())
    folder = Path(data_dir) / "events"
    if not (folder / f"{DATASET}.csv").is_file():
        raise EventFileError(
            f"{data_dir}: no events/{DATASET}.csv here (--data names a folder holding "
            "events/*.csv; leave it out to use the bundled data)"
        )
    events = load_events(folder / f"{DATASET}.csv")
    return Bundle(events, overrides, load_events(sorted(folder.glob("*.csv"))))


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


def dyad_index(
    events: pd.DataFrame,
    overrides: dict[str, float],
    scheme: str = DEFAULT_SCHEME,
    half_life: float = DEFAULT_HALF_LIFE,
) -> pd.DataFrame:
    """The Iran–Pakistan index under ``scheme`` and ``overrides``, decay kernel (days)."""
    index = tension_index(code_events(events, scheme, overrides), half_life=half_life)
    return index[index["dyad"] == DYAD].reset_index(drop=True)


def _between(start: str | None = None, end: str | None = None):
    def table(bundle: Bundle) -> pd.DataFrame:
        index = dyad_index(bundle.events, bundle.overrides)
        if start is None:
            return index
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


def latent_table(events: pd.DataFrame, overrides: dict[str, float]) -> pd.DataFrame:
    """Weekly net and its latent level with a 95 % band, 2023–2025 (fitted on 1947–2025).

    The local-level model is fitted with its signal-to-noise ratio fixed at
    :data:`SIGNAL_TO_NOISE`: fitted freely, this series puts all its variance in the noise
    (strikes are answered by cooperation, not by a lasting shift), and the level is flat.
    """
    from relscore.analysis.latent import latent_tension

    latent = latent_tension(
        dyad_index(events, overrides), freq="W", column="net", signal_to_noise=SIGNAL_TO_NOISE
    )
    return latent[latent["date"].between("2023-01-01", "2025-12-31")].reset_index(drop=True)


def comparison_table(all_events: pd.DataFrame, overrides: dict[str, float]) -> pd.DataFrame:
    """The top episode of each compared dyad, tension / peak by days since the peak."""
    from relscore.analysis.episodes import episodes

    index = tension_index(code_events(all_events, DEFAULT_SCHEME, overrides))
    top = episodes(index, half_life=DEFAULT_HALF_LIFE)
    top = top[top["rank"] == 1].set_index("dyad").loc[list(COMPARED)]
    frames = []
    for dyad, episode in top.iterrows():
        rows = index[index["dyad"] == dyad]
        days = (rows["date"] - episode["peak_date"]).dt.days
        keep = days.between(*ALIGNED_DAYS)
        frames.append(
            pd.DataFrame(
                {
                    "dyad": dyad,
                    "peak_date": episode["peak_date"],
                    "days_since_peak": days[keep].to_numpy(),
                    "share_of_peak": (rows["tension"][keep] / episode["peak"]).to_numpy(),
                    "half_life_days": episode["half_life_days"],
                    "half_life_low": episode["half_life_low"],
                    "half_life_high": episode["half_life_high"],
                    "days_to_half": episode["days_to_half"],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def episodes_table(all_events: pd.DataFrame, overrides: dict[str, float]) -> pd.DataFrame:
    """Every episode of every bundled dyad (see :func:`relscore.episodes`)."""
    from relscore.analysis.episodes import episodes

    index = tension_index(code_events(all_events, DEFAULT_SCHEME, overrides))
    return episodes(index, half_life=DEFAULT_HALF_LIFE)


def january_2024_panel(
    events: pd.DataFrame,
    overrides: dict[str, float] | None = None,
    half_life: float = DEFAULT_HALF_LIFE,
    ax=None,
):
    """Draw the January 2024 panel (conflict up, cooperation down, tension) for ``events``
    under ``overrides`` and a decay ``half_life`` (days); return the Axes."""
    from relscore.plot import plot_streams, style

    index = dyad_index(events, overrides or {}, half_life=half_life)
    rows = index[index["date"].between(*JANUARY_2024)]
    with style():
        return plot_streams(
            rows, ax, milestones=JANUARY_2024_MILESTONES, half_life=half_life, shade=CRISIS
        )


def weight_sliders(events: pd.DataFrame, codes=("195", "036", "161")):
    """Sliders (ipywidgets) for the weights of ``codes`` and the half-life, redrawing
    :func:`january_2024_panel` as they move.

    Each slider starts at the code's shipped weight and runs over its side of the scale
    (0 ... -10 for a conflictual code, 0 ... +10 for a cooperative one). Returns the widget,
    or None with a message when ipywidgets is not installed.
    """
    try:
        import ipywidgets
    except ImportError:
        print("ipywidgets is not installed; no sliders (pip install ipywidgets)")
        return None
    shipped = weights_table().loc[list(codes), "weight"]
    sliders = {
        f"w{code}": ipywidgets.FloatSlider(
            value=weight,
            min=-10.0 if weight < 0 else 0.0,
            max=0.0 if weight < 0 else 10.0,
            step=0.5,
            description=f'"{code}"',
        )
        for code, weight in shipped.items()
    }
    sliders["half_life"] = ipywidgets.FloatSlider(
        value=DEFAULT_HALF_LIFE, min=2, max=60, step=1, description="half-life"
    )

    def draw(half_life: float, **weights: float) -> None:
        overrides = {name.removeprefix("w"): value for name, value in weights.items()}
        january_2024_panel(events, overrides, half_life)

    return ipywidgets.interact(draw, **sliders)


def _latent(table: pd.DataFrame):
    from relscore.plot import plot_band

    fig, ax = _figure()
    plot_band(table, ax)
    ax.set_title("Latent Iran–Pakistan tension with its 95 % band, 2023–2025 (weekly)")
    ax.set_xlabel(f"week (local-level model, signal-to-noise ratio fixed at {SIGNAL_TO_NOISE:g})")
    return fig


def _compared(table: pd.DataFrame):
    from relscore.plot import plot_aligned

    fig, ax = _figure()
    plot_aligned(table, ax, half_life=DEFAULT_HALF_LIFE)
    ax.set_title("Three crises, aligned on their peak: how fast each calmed down")
    return fig


def _timeline(rows: pd.DataFrame):
    from relscore.plot import plot_tension

    fig, ax = _figure()
    plot_tension(rows, ax, shade=CRISIS, milestones=TIMELINE_MILESTONES, label=None)
    ax.set_title("Iran–Pakistan tension, 1947–2025")
    ax.set_xlabel("date (daily index; positive = tension, negative = warmth)")
    return fig


def _recent(rows: pd.DataFrame):
    from relscore.plot import plot_tension

    fig, ax = _figure()
    plot_tension(rows, ax, shade=CRISIS, label=None)
    ax.set_title("Iran–Pakistan tension, 2023–2025")
    ax.set_xlabel("date (daily index; positive = tension, negative = warmth)")
    return fig


def _january_2024(rows: pd.DataFrame):
    from relscore.plot import plot_streams

    fig, ax = _figure()
    plot_streams(
        rows, ax, milestones=JANUARY_2024_MILESTONES, half_life=DEFAULT_HALF_LIFE, shade=CRISIS
    )
    ax.set_title("January 2024: the missile exchange and its quick de-escalation, day by day")
    ax.set_xlabel("day, January–February 2024 (one bar per day)")
    return fig


def _schemes(table: pd.DataFrame):
    from relscore.plot import plot_schemes

    fig, ax = _figure()
    plot_schemes(table, ax)
    ax.set_title(
        "Does the quick de-escalation survive other weights? Each scheme scaled to its peak"
    )
    ax.set_xlabel("day, January–February 2024")
    return fig


FIGURES = (
    Figure("iran_pakistan_timeline", _between(), _timeline),
    Figure("iran_pakistan_2023_2025", _between("2023-01-01", "2025-12-31"), _recent),
    Figure("iran_pakistan_jan2024", _between(*JANUARY_2024), _january_2024),
    Figure("iran_pakistan_schemes", lambda b: schemes_table(b.events, b.overrides), _schemes),
    Figure("iran_pakistan_latent", lambda b: latent_table(b.events, b.overrides), _latent),
    Figure("episodes_compared", lambda b: comparison_table(b.all_events, b.overrides), _compared),
    Figure("episodes", lambda b: episodes_table(b.all_events, b.overrides), None),
)


def _figure():
    import matplotlib.pyplot as plt

    return plt.subplots()


def render_figures(bundle: Bundle, progress: TextIO | None = None) -> dict[str, bytes]:
    """Render every figure and its CSV in memory; return file name -> bytes."""
    import matplotlib.pyplot as plt

    from relscore.plot import source_note, style

    files: dict[str, bytes] = {WEIGHTS_USED: weights_toml(bundle.overrides).encode()}
    for number, figure in enumerate(FIGURES, 1):
        if progress is not None:
            print(f"[{number}/{len(FIGURES)}] {figure.name}", file=progress, flush=True)
        rows = figure.table(bundle)
        files[f"{figure.name}.csv"] = rows.to_csv(
            index=False, date_format="%Y-%m-%d", float_format="%.10g", lineterminator="\n"
        ).encode()
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
    return files


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


def top_episodes(episodes_csv: bytes | str | Path) -> pd.DataFrame:
    """The rank-1 episode of each dyad from an ``episodes.csv``: peak date and value, days
    to half, fitted half-life (days)."""
    source = io.BytesIO(episodes_csv) if isinstance(episodes_csv, bytes) else episodes_csv
    table = pd.read_csv(source, parse_dates=["peak_date"])
    columns = ["peak_date", "peak", "days_to_half", "half_life_days"]
    return table[table["rank"] == 1].set_index("dyad")[columns].sort_index()


def what_moved(before: pd.DataFrame, after: pd.DataFrame) -> list[str]:
    """Plain-words lines on how each dyad's top episode moved between two builds
    (:func:`top_episodes` of each); empty when nothing did."""

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

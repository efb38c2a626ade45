"""What the figures are built from: the bundled data, the weights in effect, and the table
behind each figure (pure functions of the events; no drawing)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from relscore import datasets
from relscore.codebook import DEFAULT_SCHEME, SCHEMES, check_weights
from relscore.coding import code_events
from relscore.exceptions import EventFileError
from relscore.index import DEFAULT_HALF_LIFE, dyad_codes, tension_index
from relscore.readers.events import read_events

DYAD = "IRN-PAK"
DATASET = "iran_pakistan"  # the bundled events the Iran–Pakistan figures show
CRISIS = ("2024-01-16", "2024-01-29")
COMPARED = ("IRN-PAK", "IND-PAK", "IRN-ISR")
ALIGNED_DAYS = (-10, 60)  # days around the peak in the comparison
SIGNAL_TO_NOISE = 0.1  # latent level: variance of its weekly step / variance of the noise
JANUARY_2024 = ("2024-01-10", "2024-02-15")
COUNTRY_NAMES = {"IND": "India", "IRN": "Iran", "ISR": "Israel", "PAK": "Pakistan"}


@dataclass(frozen=True)
class Bundle:
    """What the figures are built from: the Iran–Pakistan events, the weight overrides in
    effect, and every events file (for the comparison of episodes)."""

    events: pd.DataFrame
    overrides: dict[str, float]
    all_events: pd.DataFrame


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
    events = read_events(folder / f"{DATASET}.csv")
    return Bundle(events, overrides, read_events(sorted(folder.glob("*.csv"))))


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


def dyad_name(dyad: str) -> str:
    """A dyad in words: ``"IRN-PAK"`` -> ``"Iran–Pakistan"``, ``"AFG-PAK"`` ->
    ``"Afghanistan–Pakistan"`` (ISO 3166's common names; unknown codes stay codes)."""
    return "–".join(_country(code) for code in dyad.replace(">", "-").split("-"))


def _country(code: str) -> str:
    if code in COUNTRY_NAMES:
        return COUNTRY_NAMES[code]
    import pycountry

    country = pycountry.countries.get(alpha_3=code)
    return code if country is None else getattr(country, "common_name", country.name)


def data_note(events: pd.DataFrame, dyads: tuple[str, ...] | None = None) -> str:
    """The data behind a figure, cited by name: each dyad's years and number of events.

    Parameters
    ----------
    events : pandas.DataFrame
        The events the figure is built from.
    dyads : tuple of str, optional
        Cite only these dyads (``"IRN-PAK"``), in this order; default every dyad.

    Examples
    --------
    >>> data_note(datasets.load("iran_pakistan"))  # doctest: +ELLIPSIS
    'Data: relscore Iran–Pakistan events, 1947–2025 (... sourced events).'
    """
    codes, labels = dyad_codes(events["actor1"], events["actor2"])
    parts = []
    for dyad in labels if dyads is None else dyads:
        dates = events["date"][codes == list(labels).index(dyad)]
        first, last = f"{dates.min():%Y}", f"{dates.max():%Y}"
        years = first if first == last else f"{first}–{last}"
        parts.append(f"{dyad_name(dyad)} events, {years} ({len(dates)} sourced events)")
    return f"Data: relscore {'; '.join(parts)}."


def coverage_table(events: pd.DataFrame, overrides: dict[str, float]) -> pd.DataFrame:
    """Events per calendar year by CAMEO class, every year from the first to the last.

    Returns
    -------
    pandas.DataFrame
        ``year``, one count column per class (``material_cooperation``,
        ``verbal_cooperation``, ``verbal_conflict``, ``material_conflict``: the order the
        coverage figure stacks them in) and ``n_events``; a year without events is a row
        of zeros, not a missing row.

    Examples
    --------
    >>> table = coverage_table(datasets.load("iran_pakistan"), {})
    >>> table[table["year"].between(1950, 1954)].to_string(index=False)  # doctest: +ELLIPSIS
    ' year  material_cooperation  verbal_cooperation ... n_events\\n 1950 ...'
    """
    from relscore.plot import QUAD_CLASSES

    coded = code_events(events, DEFAULT_SCHEME, overrides)
    year = coded["date"].dt.year.rename("year")
    years = pd.RangeIndex(year.min(), year.max() + 1, name="year")
    counts = pd.crosstab(year, coded["quad_class"]).reindex(
        index=years, columns=list(QUAD_CLASSES), fill_value=0
    )
    counts = counts.rename_axis(columns=None).astype("int64")
    return counts.assign(n_events=counts.sum(axis=1)).reset_index()

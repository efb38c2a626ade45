"""Episodes of every dyad of an index folder, block by block of dyads, in bounded memory.

An index folder (``relscore update``, ``relscore index --to``) holds every dyad's daily
index, month by month. A dyad's episodes depend on its own series only
(:mod:`relscore.analysis.episodes`), so the dyads are read a block at a time -- each
month file's rows of the block's dyads -- and each block goes through
:func:`relscore.episodes`, with the kernel the folder was computed with. The block is as
large as the memory budget allows (:mod:`relscore.scale.budget`); the table is the same
whatever the block.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from relscore._compiled import CPUS
from relscore.analysis.episodes import _empty, episodes, min_rise_of
from relscore.scale import budget
from relscore.store.index_folder import (
    checked_manifest,
    index_days,
    manifest_dyads,
    read_index_month,
)
from relscore.vocabulary import month_spans

# Bytes per dyad-day of a block: n_events, net, tension as read (24), the frame handed to
# episodes (dyad, date and copies, ~60), and the series and walks of the reading (~120).
BYTES_PER_DYAD_DAY = 200
COLUMNS = ("n_events", "net", "tension")


def folder_episodes(
    folder: str | Path,
    *,
    dyads: Iterable[str] | None = None,
    block_dyads: int | None = None,
    max_memory: float | None = None,
    jobs: int | None = None,
    **reading,
) -> pd.DataFrame:
    """Every dyad's episodes in the index folder ``folder``, as :func:`relscore.episodes`
    gives them.

    Parameters
    ----------
    folder : path
        An index folder (its manifest names the kernel and the scheme it was computed with).
    dyads : iterable of str, optional
        Only these dyads' series are read (as the folder writes them, ``IRN-PAK``); a dyad
        the folder does not hold has no episodes. Default: every dyad.
    block_dyads : int, optional
        Dyads per block (default: as many as the memory budget allows).
    max_memory : float, optional
        Memory budget in bytes (default: the memory available).
    jobs : int, optional
        Processes that may share the half-life fits (default: one per CPU); see
        :func:`relscore.analysis.halflife.half_life_fits`.
    **reading
        ``fall``, ``baseline_days``, ``min_rise`` (default: the folder's scheme's, see
        :func:`relscore.analysis.episodes.min_rise_of`), ``horizon_days`` and the fit's
        settings, as for :func:`relscore.episodes`.

    Returns
    -------
    pandas.DataFrame
        One row per episode, by dyad then start (:data:`EPISODE_COLUMNS`).

    Raises
    ------
    relscore.BudgetError
        If not even one dyad's series fits ``max_memory``.
    relscore.IndexUpdateError
        If ``folder`` is not an index folder, or a month file cannot be read.
    """
    manifest = checked_manifest(folder)
    settings = manifest["settings"]
    kernel = {"window": settings.get("window"), "half_life": settings.get("half_life")}
    reading.setdefault("min_rise", min_rise_of(settings.get("scheme") or "magnitude"))
    first, last = index_days(manifest)
    labels = np.asarray(sorted(manifest["dyads"]), dtype=object)
    if dyads is not None:
        labels = labels[np.isin(labels, np.asarray(list(dyads), dtype=object))]
    n_days = last - first + 1
    size = dyads_per_block(len(labels), n_days, block_dyads, max_memory)
    months = (Path(folder), manifest, [name for name, _, _ in month_spans(first, last)])
    jobs = CPUS if jobs is None else jobs
    tables = [
        episodes(
            _block_index(months, labels[lo : lo + size], first, n_days),
            **kernel,
            **reading,
            jobs=jobs,
        )
        for lo in range(0, len(labels), size)
    ]
    return pd.concat(tables, ignore_index=True) if tables else _empty()


def dyads_per_block(n_dyads: int, n_days: int, wanted: int | None, max_memory: float | None) -> int:
    """``wanted``, or as many dyads as the budget holds; :class:`relscore.BudgetError` if
    not one."""
    memory = budget.available_memory() if max_memory is None else max_memory
    per_dyad = n_days * BYTES_PER_DYAD_DAY
    budget.check_memory(
        per_dyad, memory, f"episodes of one dyad over {n_days:,} days", "give more memory"
    )
    fits = int(memory // per_dyad)
    return max(1, min(wanted or fits, fits, max(n_dyads, 1)))


def _block_index(months: tuple, dyads: np.ndarray, first: int, n_days: int) -> pd.DataFrame:
    """The index rows of ``dyads`` (sorted labels) over the folder's calendar; ``months``:
    the folder, its manifest and its months' names."""
    grids = {
        c: np.zeros((len(dyads), n_days), np.int64 if c == "n_events" else float) for c in COLUMNS
    }
    folder, manifest, names = months
    held = manifest_dyads(manifest)
    for name in names:
        labels, start, month = read_index_month(folder, manifest, name, COLUMNS, held)
        if not len(labels):
            continue
        at = np.searchsorted(labels, dyads)
        found = (at < len(labels)) & (labels[np.minimum(at, len(labels) - 1)] == dyads)
        width = next(iter(month.values())).shape[1]
        for column in COLUMNS:
            grids[column][found, start - first : start - first + width] = month[column][at[found]]
    dates = np.arange(first, first + n_days).astype("datetime64[D]").astype("datetime64[s]")
    return pd.DataFrame(
        {
            "dyad": pd.Categorical.from_codes(
                np.repeat(np.arange(len(dyads)), n_days), categories=dyads
            ),
            "date": np.tile(dates, len(dyads)),
            **{column: grids[column].ravel() for column in COLUMNS},
        }
    )

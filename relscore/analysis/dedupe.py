"""What the deduplication mode does to the index: the same files read under each mode."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from relscore.importers.accounting import Tally
from relscore.importers.dedupe import DEDUPE_MODES


def compare_dedupe(
    read: Callable[..., tuple[pd.DataFrame, Tally]],
    paths: str | Path | Iterable[str | Path],
    day: str,
    modes: Iterable[str] = DEDUPE_MODES,
    **index_options,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read ``paths`` once per deduplication mode and compare every dyad's tension on ``day``.

    Parameters
    ----------
    read : callable
        :func:`~relscore.importers.read_gdelt` or :func:`~relscore.importers.read_icews`.
    paths : path or list of paths
        The files, as ``read`` takes them.
    day : str
        The day compared, ``YYYY-MM-DD``.
    modes : iterable of str
        Deduplication modes (default all: ``one-a-day``, ``source-url``, ``none``).
    **index_options
        Passed to :func:`relscore.tension_index` (``half_life`` in days, or ``window``);
        events are scored with :func:`relscore.code_events`' default scheme.

    Returns
    -------
    tension : pandas.DataFrame
        One row per dyad with an event under any mode, one column per mode: the tension on
        ``day`` (index points; 0 where the dyad has no event under that mode).
    counts : pandas.DataFrame
        One row per mode: rows ``kept``, ``duplicates`` and ``skipped``.

    Examples
    --------
    >>> import relscore
    >>> with relscore.datasets.gdelt_sample() as sample:
    ...     tension, counts = compare_dedupe(relscore.read_gdelt, sample, "2019-10-24")
    >>> counts
                kept  duplicates  skipped
    dedupe
    one-a-day    242         180     1689
    source-url   252         170     1689
    none         422           0     1689
    >>> tension.loc[["ARE-ESP", "SYR-TUR"]].round(2)
             one-a-day  source-url   none
    dyad
    ARE-ESP      -34.6       -69.2 -173.0
    SYR-TUR      -30.0       -30.0  -74.4
    """
    from relscore.coding import code_events
    from relscore.index import tension_index

    tension, counts = {}, {}
    for mode in modes:
        events, tally = read(paths, dedupe=mode)
        index = tension_index(code_events(events), **index_options)
        tension[mode] = index.loc[index["date"] == day].set_index("dyad")["tension"]
        skipped = sum(tally.skipped.values())
        counts[mode] = {"kept": tally.kept, "duplicates": tally.duplicates, "skipped": skipped}
    table = pd.DataFrame(tension).fillna(0.0)
    table.index.name = "dyad"
    return table, pd.DataFrame(counts).T.rename_axis("dedupe")

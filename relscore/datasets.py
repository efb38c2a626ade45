"""The event files bundled with relscore, loaded by name from the installed package.

They are the files of the repository's ``data/events/`` (that folder is a link to the
package's own copy), so the README's snippet, the notebooks and ``relscore figures`` work
from any folder once relscore is installed.

Examples
--------
>>> import relscore
>>> relscore.datasets.names()
['india_pakistan', 'iran_israel', 'iran_pakistan']
>>> events = relscore.datasets.load("iran_pakistan")
>>> sorted(set(events["actor1"]) | set(events["actor2"]))
['IRN', 'PAK']
"""

from __future__ import annotations

from contextlib import AbstractContextManager, ExitStack
from importlib import resources
from pathlib import Path

import pandas as pd

from relscore.io.events import load_events

_FOLDER = "events"
GDELT_SAMPLE = "gdelt2_export_20191024143000.tsv"


def names() -> list[str]:
    """The bundled event files, by name (the file name without ``.csv``), sorted."""
    folder = resources.files("relscore.data") / _FOLDER
    return sorted(p.name.removesuffix(".csv") for p in folder.iterdir() if p.name.endswith(".csv"))


def path(name: str) -> AbstractContextManager[Path]:
    """A context manager giving the bundled file ``name`` as a path on disk.

    Raises
    ------
    KeyError
        If ``name`` is not one of :func:`names`; the message lists them.
    """
    if name not in names():
        raise KeyError(f"no bundled event file {name!r}; there are: {', '.join(names())}")
    return resources.as_file(resources.files("relscore.data") / _FOLDER / f"{name}.csv")


def load(name: str) -> pd.DataFrame:
    """The bundled events ``name``, validated, as from :func:`relscore.load_events`.

    Parameters
    ----------
    name : str
        One of :func:`names`, e.g. ``"iran_pakistan"``.
    """
    with path(name) as file:
        return load_events(file)


def load_all() -> pd.DataFrame:
    """Every bundled event file at once (as :func:`relscore.load_events` reads several)."""
    with ExitStack() as stack:
        return load_events([stack.enter_context(path(name)) for name in names()])


def gdelt_sample() -> AbstractContextManager[Path]:
    """A context manager giving one real GDELT 2.0 events export as a path on disk.

    The 15-minute file of 24 October 2019, 14:30 (2,111 rows, 61 tab-separated columns,
    no header), untouched; its provenance is in the repository's ``data/reference/``.

    Examples
    --------
    >>> import relscore
    >>> with relscore.datasets.gdelt_sample() as sample:
    ...     events, tally = relscore.read_gdelt(sample)
    >>> tally.read
    2111
    """
    return resources.as_file(resources.files("relscore.data") / GDELT_SAMPLE)

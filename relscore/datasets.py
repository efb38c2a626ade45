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

import datetime as dt
import zipfile
from contextlib import AbstractContextManager, ExitStack
from importlib import resources
from pathlib import Path

import pandas as pd

from relscore.files.atomic import write_atomic
from relscore.readers.events import read_events
from relscore.testing.mirror import write_master_list

_FOLDER = "events"
GDELT_SAMPLE = "gdelt2_export_20191024143000.tsv"


def names() -> list[str]:
    """The bundled event files, by name (the file name without ``.csv``), sorted.

    Examples
    --------
    >>> names()
    ['india_pakistan', 'iran_israel', 'iran_pakistan']
    """
    folder = resources.files("relscore.data") / _FOLDER
    return sorted(p.name.removesuffix(".csv") for p in folder.iterdir() if p.name.endswith(".csv"))


def path(name: str) -> AbstractContextManager[Path]:
    """A context manager giving the bundled file ``name`` as a path on disk.

    Raises
    ------
    KeyError
        If ``name`` is not one of :func:`names`; the message lists them.

    Examples
    --------
    >>> with path("iran_pakistan") as file:
    ...     header = file.read_text(encoding="utf-8").splitlines()[0]
    >>> header.split(",")[:6]
    ['event_id', 'date', 'date_precision', 'actor1', 'actor2', 'event_code']
    >>> path("iran_pak")
    Traceback (most recent call last):
    ...
    KeyError: "no bundled event file 'iran_pak'; there are: india_pakistan, iran_israel,
    iran_pakistan"
    """
    if name not in names():
        raise KeyError(f"no bundled event file {name!r}; there are: {', '.join(names())}")
    return resources.as_file(resources.files("relscore.data") / _FOLDER / f"{name}.csv")


def load(name: str) -> pd.DataFrame:
    """The bundled events ``name``, validated, as from :func:`relscore.read_events`.

    Parameters
    ----------
    name : str
        One of :func:`names`, e.g. ``"iran_pakistan"``.

    Examples
    --------
    >>> events = load("iran_pakistan")
    >>> first, last = events["date"].min().date(), events["date"].max().date()
    >>> print(len(events), "events,", first, "to", last)
    267 events, 1947-08-14 to 2025-11-24
    """
    with path(name) as file:
        return read_events(file)


def load_all() -> pd.DataFrame:
    """Every bundled event file at once (as :func:`relscore.read_events` reads several).

    Examples
    --------
    >>> events = load_all()
    >>> events.groupby(events["file"].map(lambda file: Path(file).stem)).size()
    file
    india_pakistan     70
    iran_israel        70
    iran_pakistan     267
    dtype: int64
    """
    with ExitStack() as stack:
        return read_events([stack.enter_context(path(name)) for name in names()])


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


def _write_zip(path: Path, member: str, data: bytes, when: dt.datetime) -> None:
    """A zip of one member, as GDELT ships them, with a fixed time: the same bytes on
    every run."""

    def write(tmp: Path) -> None:
        info = zipfile.ZipInfo(member, date_time=when.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with zipfile.ZipFile(tmp, "w") as archive:
            archive.writestr(info, data, compresslevel=6)

    write_atomic(path, write)


def gdelt_sample_files(folder: str | Path, n_files: int = 4) -> list[Path]:
    """Cut the GDELT sample (:func:`gdelt_sample`) into ``n_files`` 15-minute files, zipped
    as GDELT ships them, with the ``masterfilelist.txt`` of a GDELT 2.0 mirror.

    The cut is ours: the rows are GDELT's, in their order, in ``n_files`` consecutive
    ranges of (nearly) equal size; the files are named as consecutive 15-minute slots from
    the sample's own, ``20191024143000`` (the names after the first are invented for the
    demonstration). Each ``YYYYMMDDHHMMSS.export.CSV.zip`` holds one
    ``YYYYMMDDHHMMSS.export.CSV``; beside each, a small ``.mentions.CSV.zip`` and
    ``.gkg.csv.zip`` (a line of text each, not GDELT's) are listed too, as in GDELT's list,
    so that a fetch has files to leave out. Every byte is the same on every run.

    Parameters
    ----------
    folder : path
        Where to write them (created if needed); ``folder/masterfilelist.txt`` lists all.
    n_files : int
        Export files, 1 to 2,111.

    Returns
    -------
    list of pathlib.Path
        The export files, in slot order.

    Examples
    --------
    >>> import tempfile
    >>> import relscore
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     files = relscore.datasets.gdelt_sample_files(tmp)
    ...     tally = relscore.read_gdelt(files)[1]
    ...     listed = (Path(tmp) / "masterfilelist.txt").read_text().splitlines()
    >>> [f.name for f in files[:2]], tally.read, len(listed)
    (['20191024143000.export.CSV.zip', '20191024144500.export.CSV.zip'], 2111, 12)
    """
    with gdelt_sample() as sample:
        lines = sample.read_bytes().splitlines(keepends=True)
    if not 1 <= n_files <= len(lines):
        raise ValueError(f"n_files must be 1 ... {len(lines)}, got {n_files}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    start = dt.datetime(2019, 10, 24, 14, 30)
    bounds = [len(lines) * k // n_files for k in range(n_files + 1)]
    exports, listed = [], []
    for k in range(n_files):
        when = start + dt.timedelta(minutes=15 * k)
        slot = f"{when:%Y%m%d%H%M%S}"
        export = folder / f"{slot}.export.CSV.zip"
        _write_zip(export, f"{slot}.export.CSV", b"".join(lines[bounds[k] : bounds[k + 1]]), when)
        exports.append(export)
        listed.append(export)
        for kind in ("mentions.CSV", "gkg.csv"):
            other = folder / f"{slot}.{kind}.zip"
            _write_zip(other, f"{slot}.{kind}", b"not GDELT's: a stand-in for the demo\n", when)
            listed.append(other)
    write_master_list(folder, listed)
    return exports


VALIDATION = ("keds_turkey.csv", "keds_turkey_crises.csv")


def validation_files() -> tuple[Path, Path]:
    """The machine-coded validation data and its known crises: ``data/validation/`` of the
    repository (KEDS events of Turkey's dyads, 1992-2006, and the crises history records
    for them; see the README there). They are not installed with the package.

    Raises
    ------
    FileNotFoundError
        When relscore runs from an installed package rather than a clone of its repository.

    Examples
    --------
    >>> events, crises = validation_files()
    >>> events.name, crises.name
    ('keds_turkey.csv', 'keds_turkey_crises.csv')
    """
    folder = Path(__file__).resolve().parents[1] / "data" / "validation"
    paths = tuple(folder / name for name in VALIDATION)
    if not all(p.is_file() for p in paths):
        raise FileNotFoundError(
            "the validation data live in the repository's data/validation, not in the "
            "installed package: run this from a clone of the repository"
        )
    return paths

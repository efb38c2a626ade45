"""An index folder on disk: the updatable index that ``relscore update`` keeps.

Layout::

    INDEX/_relscore_index.json   the manifest, written last
    INDEX/YYYY-MM.parquet        every dyad's rows for the month's days, by dyad then date

Each month file is a dense ``dyads x days`` grid per column (:data:`GRID_COLUMNS`), in the
index's schema (:data:`relscore.store.index_file.INDEX_SCHEMA`). The manifest records the
settings the index was computed with, its calendar (``first_day``, ``last_day``), its dyads,
each month's first and last day with events, and the store's **fingerprint**: each store
month's part files with their size and modification time (nanoseconds). An import writes a
part whole and moves it into place, so a part that was added, replaced (imported again) or
removed changes the fingerprint, and nothing else does. What an update does with that is
:mod:`relscore.scale.update`. The manifest's schema, checked on every read, and the check of
the month files against it are :mod:`relscore.store.manifest`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from relscore.exceptions import IndexUpdateError, OutputFileError
from relscore.files.atomic import atomic_path, write_text_atomic
from relscore.files.errors import file_errors, read_limited
from relscore.store.manifest import check_manifest, file_sizes, month_file_problems
from relscore.vocabulary import INDEX_COLUMNS, day_number, iso_date, month_spans

INDEX_SCHEMA = pa.schema(
    [
        ("dyad", pa.dictionary(pa.int32(), pa.string())),
        ("date", pa.date32()),
        ("n_events", pa.int64()),
        ("conflict", pa.float64()),
        ("cooperation", pa.float64()),
        ("net", pa.float64()),
        ("tension", pa.float64()),
    ]
)
MANIFEST_NAME = "_relscore_index.json"  # "_": Parquet readers skip it
# A manifest lists every part of its store: some 80 bytes each, a few MB for years of
# GDELT's 15-minute files. One far larger is damaged, and is not read into memory.
MANIFEST_BYTES_MAX = 1 << 30
GRID_COLUMNS = INDEX_COLUMNS[2:]  # n_events, conflict, cooperation, net, tension
# Month files are rewritten by every update, so they are written for speed: lz4, a
# dictionary for the dyad only and statistics for the date only (the first day is read from
# them) write a month 3 times as fast as Parquet's defaults with zstd, 30 % larger.
MONTH_WRITE = {"compression": "lz4", "use_dictionary": ["dyad"], "write_statistics": ["date"]}


def month_path(folder: str | Path, name: str) -> Path:
    """The file of month ``name`` (``YYYY-MM``) in an index folder."""
    return Path(folder) / f"{name}.parquet"


def month_table(
    labels: pa.Array, first_day: int, grids: dict[str, np.ndarray], first_dyad: int = 0
) -> pa.Table:
    """A month file's rows from dense ``dyads x days`` grids (:data:`GRID_COLUMNS`): the
    dyads ``first_dyad ...`` of ``labels`` (a string array, the file's dictionary) from day
    ``first_day``; :data:`INDEX_SCHEMA`."""
    n_dyads, n_days = grids["n_events"].shape
    dyad = np.repeat(np.arange(first_dyad, first_dyad + n_dyads, dtype=np.int32), n_days)
    days = np.tile(np.arange(first_day, first_day + n_days, dtype=np.int32), n_dyads)
    columns = [
        pa.DictionaryArray.from_arrays(pa.array(dyad), labels),
        pa.array(days).view(pa.date32()),
        *(pa.array(np.ascontiguousarray(grids[c]).ravel()) for c in GRID_COLUMNS),
    ]
    return pa.Table.from_arrays(columns, schema=INDEX_SCHEMA)


def write_month_file(path: str | Path, table: pa.Table) -> None:
    """Write one month file (:func:`month_table`) atomically."""
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, **MONTH_WRITE)


def read_month_file(
    path: str | Path, columns: tuple[str, ...] = GRID_COLUMNS
) -> tuple[np.ndarray, int, dict[str, np.ndarray]]:
    """One month file as its dyad labels (object array), its first day (days since
    1970-01-01) and dense ``dyads x days`` grids of ``columns``;
    :class:`~relscore.exceptions.IndexUpdateError` if it is missing, damaged or not dense."""
    with file_errors(path, IndexUpdateError, "cannot be read", "index into a new folder"):
        parquet = pq.ParquetFile(path)
        table = parquet.read(columns=["dyad", *columns])
        stats = parquet.metadata.row_group(0).column(1).statistics if table.num_rows else None
    dyad = table.column("dyad")
    names = dyad.chunk(0).dictionary if dyad.num_chunks else pa.array([], pa.string())
    if not all(chunk.dictionary.equals(names) for chunk in dyad.chunks):
        raise IndexUpdateError(f"{path}: not a month file of relscore update (dictionaries)")
    codes = np.concatenate([c.indices.to_numpy() for c in dyad.chunks] or [np.empty(0, np.int32)])
    n_dyads, n_rows = len(names), table.num_rows
    n_days = n_rows // max(n_dyads, 1)
    # Dense, by dyad then date: each dyad's rows are one run of n_days, the dyads in order.
    dense = n_dyads * n_days == n_rows and (codes[::n_days] == np.arange(n_dyads)).all()
    if not dense or (n_rows and not (stats is not None and stats.has_min_max)):
        raise IndexUpdateError(f"{path}: not a month file of relscore update (not dense)")
    labels = names.to_numpy(zero_copy_only=False).astype(object)
    if n_dyads > 1 and not (labels[1:] > labels[:-1]).all():
        raise IndexUpdateError(f"{path}: not a month file of relscore update (dyads unsorted)")
    first_day = int(np.datetime64(stats.min, "D").astype(np.int64)) if n_rows else 0
    shape = (n_dyads, n_days)
    grids = {c: table.column(c).to_numpy().reshape(shape) for c in columns}
    return labels, first_day, grids


def read_manifest(folder: str | Path) -> dict:
    """An index folder's manifest, checked (:func:`relscore.store.manifest.check_manifest`);
    :class:`~relscore.exceptions.IndexUpdateError` if the folder is a file, or holds no
    manifest that can be read, or one that breaks the schema (naming the field)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise IndexUpdateError(
            f"{folder}: is a file, not an index folder; name a folder (relscore update)"
        )
    path = folder / MANIFEST_NAME
    if not path.is_file():
        raise IndexUpdateError(
            f"{folder}: not an updatable index (no {MANIFEST_NAME}); name a new folder, "
            "or one that relscore update wrote"
        )
    raw = read_limited(path, MANIFEST_BYTES_MAX, IndexUpdateError)
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except ValueError as exc:
        raise IndexUpdateError(f"{path}: cannot be read (not JSON: {exc})") from None
    return check_manifest(path, manifest)


def write_manifest(folder: str | Path, manifest: dict) -> None:
    """Write the manifest atomically (the last step of a build or an update), with the
    sizes of the month files it lists."""
    manifest = {**manifest, "files": file_sizes(folder, manifest)}
    text = json.dumps(manifest, sort_keys=True) + "\n"  # no indent: the C encoder
    write_text_atomic(Path(folder) / MANIFEST_NAME, text, OutputFileError)


def index_days(manifest: dict) -> tuple[int, int]:
    """An index folder's first and last day (days since 1970-01-01) from its manifest;
    the empty range ``(0, -1)`` for an index of no events."""
    if manifest.get("first_day") is None:
        return 0, -1
    return day_number(manifest["first_day"]), day_number(manifest["last_day"])


class MonthFiles:
    """The month files of an index folder, each read at most once (during one update)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._held: dict[str, tuple] = {}

    def exists(self, name: str) -> bool:
        return name in self._held or month_path(self.folder, name).exists()

    def read(
        self, name: str, columns: tuple[str, ...] = GRID_COLUMNS
    ) -> tuple[np.ndarray, int, dict[str, np.ndarray]]:
        """Its own dyads, first day and grids
        (:func:`relscore.store.index_folder.read_month_file`): an update killed midway may have
        left a file of other dyads than the manifest lists. Only a file read whole is kept."""
        if name in self._held:
            return self._held[name]
        read = read_month_file(month_path(self.folder, name), columns)
        if columns == GRID_COLUMNS:
            self._held[name] = read
        return read

    def grids(
        self, name: str, labels: np.ndarray, columns: tuple[str, ...] = GRID_COLUMNS
    ) -> tuple[int, dict[str, np.ndarray]]:
        """Its first day and grids, checked to hold the dyads ``labels``."""
        own, first_day, grids = self.read(name, columns)
        if len(own) != len(labels) or (own != labels).any():
            raise IndexUpdateError(
                f"{month_path(self.folder, name)}: holds other dyads than its manifest lists; "
                "index into a new folder"
            )
        return first_day, grids


def manifest_fields(labels: np.ndarray, first: int | None, last: int | None, ranges: dict) -> dict:
    """The manifest's fields for the month files: the calendar, the dyads, and each
    month's first and last day with events (months without are left out)."""
    return {
        "first_day": None if first is None else iso_date(first),
        "last_day": None if last is None else iso_date(last),
        "dyads": [str(d) for d in labels],
        "months": {n: [iso_date(r[0]), iso_date(r[1])] for n, r in sorted(ranges.items()) if r},
    }


def fingerprint_of(parts: dict[str, list[Path]]) -> dict[str, list[list]]:
    """Each store month's parts (:func:`relscore.store.layout.month_parts`) as
    ``[name, size, mtime_ns]``."""
    out = {}
    for name, files in parts.items():
        stats = [(f.name, f.stat()) for f in files]
        out[name] = [[n, s.st_size, s.st_mtime_ns] for n, s in stats]
    return out


def changes_between(old: dict, new: dict) -> dict[str, dict[str, list[str]]]:
    """The months whose parts differ between two fingerprints: the names of the parts
    ``added``, ``replaced`` (same name, other size or time) and ``removed``.

    >>> changes_between({"2024-01": [["a", 1, 5]]}, {"2024-01": [["a", 1, 6], ["b", 2, 7]]})
    {'2024-01': {'added': ['b'], 'removed': [], 'replaced': ['a']}}
    """
    changes = {}
    for month in sorted(set(old) | set(new)):
        was = {n: (s, t) for n, s, t in old.get(month, [])}
        now = {n: (s, t) for n, s, t in new.get(month, [])}
        added = sorted(set(now) - set(was))
        removed = sorted(set(was) - set(now))
        replaced = sorted(n for n in set(now) & set(was) if now[n] != was[n])
        if added or removed or replaced:
            changes[month] = {"added": added, "removed": removed, "replaced": replaced}
    return changes


def read_folder(folder: str | Path) -> pd.DataFrame:
    """Every month file of an index folder as one frame, in dyad, date order (as
    :func:`relscore.read_index` returns it, before its dtypes are set);
    :class:`~relscore.exceptions.IndexUpdateError` naming a month file that is missing, of
    another size than the manifest records, or not in its calendar."""
    path = Path(folder)
    manifest = read_manifest(path)
    problems = month_file_problems(path, manifest)
    if problems:
        raise IndexUpdateError(f"{problems[0]}; run relscore update to rebuild the folder")
    tables = []
    for name, _, _ in month_spans(*index_days(manifest)):
        with file_errors(month_path(path, name), IndexUpdateError, "cannot be read"):
            tables.append(pq.read_table(month_path(path, name), schema=INDEX_SCHEMA))
    table = pa.concat_tables(tables or [INDEX_SCHEMA.empty_table()])
    table = table.unify_dictionaries().combine_chunks()
    if table.num_rows:  # months in date order, so a stable sort by dyad gives dyad, date
        dyad = table.column("dyad").chunk(0)
        names = dyad.dictionary.to_numpy(zero_copy_only=False).astype(object)
        rank = np.empty(len(names), np.int64)
        rank[np.argsort(names)] = np.arange(len(names))
        table = table.take(np.argsort(rank[dyad.indices.to_numpy()], kind="stable"))
    return table.to_pandas()

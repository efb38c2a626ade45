"""An index folder on disk: the updatable index that ``relscore update`` keeps.

Layout::

    INDEX/_relscore_index.json        the manifest, written last
    INDEX/YYYY-MM.parquet             every dyad's rows for the month's days, by dyad then date
    INDEX/YYYY-MM.patchN.parquet      rows of the month that an update changed, N = 1, 2, ...

Each month file is a dense ``dyads x days`` grid per column (:data:`GRID_COLUMNS`), in the
index's schema (:data:`relscore.store.index_file.INDEX_SCHEMA`). A **patch** holds, for some
of the month's dyad-days, the columns an update changed (a null keeps the value under it):
an event a year old changes its dyad's tension on every day after, and writing those few
rows beside each month file costs a fraction of writing the months again. Every reader
applies a month's patches over its file, in the order the manifest lists them
(:func:`read_index_month`); an update folds them into the month file once they hold a quarter of
its rows. Other tools that read the folder's Parquet files directly see the month files
without their patches: read an index folder with :func:`relscore.read_index`.

The manifest records the settings the index was computed with, its calendar (``first_day``,
``last_day``), its dyads, each month's first and last day with events, the sizes of the
month and patch files, and the store's **fingerprint**: each store month's part files with
their size and modification time (nanoseconds). An import writes a part whole and moves it
into place, so a part that was added, replaced (imported again) or removed changes the
fingerprint, and nothing else does. What an update does with that is
:mod:`relscore.scale.update`. The manifest's schema, checked on every read, and the check of
the files against it are :mod:`relscore.store.manifest`.
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


def patch_name(name: str, number: int) -> str:
    """The name of month ``name``'s patch ``number`` (from 1).

    >>> patch_name("2024-01", 3)
    '2024-01.patch3.parquet'
    """
    return f"{name}.patch{number}.parquet"


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


def patch_table(
    labels: np.ndarray, rows: np.ndarray, days: np.ndarray, values: dict[str, np.ndarray]
) -> pa.Table:
    """A patch's rows: dyads ``labels[rows]`` on ``days`` (days since 1970-01-01), sorted by
    dyad then day, with the new ``values`` of some :data:`GRID_COLUMNS` (NaN in a float
    column, or -1 in ``n_events``, keeps the value under it: written as a null); the
    columns not given are all null. :data:`INDEX_SCHEMA`.

    >>> table = patch_table(np.array(["A-B", "C-D"], object), np.array([1]), np.array([19740]),
    ...                     {"tension": np.array([2.5])})
    >>> table.to_pylist()[0]["dyad"], table.column("tension")[0], table.column("net")[0]
    ('C-D', <pyarrow.DoubleScalar: 2.5>, <pyarrow.DoubleScalar: None>)
    """
    present, codes = np.unique(rows, return_inverse=True)
    columns = [
        pa.DictionaryArray.from_arrays(
            pa.array(codes.astype(np.int32)), pa.array(labels[present], pa.string())
        ),
        pa.array(days.astype(np.int32)).view(pa.date32()),
    ]
    for column in GRID_COLUMNS:
        field = INDEX_SCHEMA.field(column)
        if column not in values:
            columns.append(pa.nulls(len(rows), field.type))
            continue
        value = values[column]
        kept = value < 0 if column == "n_events" else np.isnan(value)
        columns.append(pa.array(value, field.type, mask=kept if kept.any() else None))
    return pa.Table.from_arrays(columns, schema=INDEX_SCHEMA)


def merge_patches(tables: list[pa.Table]) -> pa.Table:
    """One patch that does what ``tables`` (patches of one month, :func:`patch_table`) do
    in order: for each dyad-day and column, the last value that is not null.

    >>> labels = np.array(["A-B", "C-D"], object)
    >>> one = patch_table(labels, np.array([0, 1]), np.array([5, 5]),
    ...                   {"tension": np.array([1.0, 2.0]), "net": np.array([3.0, 4.0])})
    >>> two = patch_table(labels, np.array([1]), np.array([5]), {"tension": np.array([9.0])})
    >>> merged = merge_patches([one, two])
    >>> merged.column("tension").to_pylist(), merged.column("net").to_pylist()
    ([1.0, 9.0], [3.0, 4.0])
    """
    table = pa.concat_tables(tables).unify_dictionaries().combine_chunks()
    dyad = table.column("dyad").chunk(0)
    names = dyad.dictionary.to_numpy(zero_copy_only=False).astype(object)
    order = np.argsort(names)
    rank = np.empty(len(names), np.int64)
    rank[order] = np.arange(len(names))
    day = table.column("date").chunk(0).view(pa.int32()).to_numpy().astype(np.int64)
    day_span = int(day.max() - day.min()) + 1 if len(day) else 1
    key = rank[dyad.indices.to_numpy()] * day_span + (day - (day.min() if len(day) else 0))
    cells, inverse = np.unique(key, return_inverse=True)
    values = {}
    for column in GRID_COLUMNS:
        chunk = table.column(column).chunk(0)
        valid = np.flatnonzero(chunk.is_valid().to_numpy(zero_copy_only=False))
        given = chunk.drop_null().to_numpy()
        # the last valid row of each cell: the first of the rows read backwards
        cell, last = np.unique(inverse[valid][::-1], return_index=True)
        out = np.full(len(cells), -1) if column == "n_events" else np.full(len(cells), np.nan)
        out[cell] = given[::-1][last]
        values[column] = out
    first = np.unique(inverse, return_index=True)[1]  # a row of each cell, for its dyad and day
    rows = rank[dyad.indices.to_numpy()][first]
    return patch_table(names[order], rows, day[first], values)


def write_month_file(path: str | Path, table: pa.Table) -> None:
    """Write one month file (:func:`month_table`) atomically."""
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, **MONTH_WRITE)


def read_month_file(
    path: str | Path, columns: tuple[str, ...] = GRID_COLUMNS, labels: np.ndarray | None = None
) -> tuple[np.ndarray, int, dict[str, np.ndarray]]:
    """One month file as its dyad labels (object array), its first day (days since
    1970-01-01) and dense ``dyads x days`` grids of ``columns``;
    :class:`~relscore.exceptions.IndexUpdateError` if it is missing, damaged or not dense.

    ``labels``, the dyads of a manifest that records the file's size, found equal to it:
    the file is the one the manifest lists, and its dyad column is not read (a third of the
    time of reading one column); only its row count is checked against them.
    """
    with file_errors(path, IndexUpdateError, "cannot be read", "index into a new folder"):
        parquet = pq.ParquetFile(path)
        n_rows = parquet.metadata.num_rows
        stats = parquet.metadata.row_group(0).column(1).statistics if n_rows else None
        table = parquet.read(columns=[*([] if labels is not None else ["dyad"]), *columns])
    if n_rows and not (stats is not None and stats.has_min_max):
        raise IndexUpdateError(f"{path}: not a month file of relscore update (not dense)")
    if labels is not None:
        n_days = n_rows // max(len(labels), 1)
        if len(labels) * n_days != n_rows:
            raise IndexUpdateError(f"{path}: not a month file of relscore update (not dense)")
    else:
        labels, n_days = _dense_labels(path, table.column("dyad"), n_rows)
    first_day = int(np.datetime64(stats.min, "D").astype(np.int64)) if n_rows else 0
    shape = (len(labels), n_days)
    grids = {c: table.column(c).to_numpy().reshape(shape) for c in columns}
    return labels, first_day, grids


def _dense_labels(path, dyad: pa.ChunkedArray, n_rows: int) -> tuple[np.ndarray, int]:
    """A month file's dyads and days, once its dyad column is found dense: each dyad's rows
    one run of the same length, the dyads sorted."""
    names = dyad.chunk(0).dictionary if dyad.num_chunks else pa.array([], pa.string())
    if not all(chunk.dictionary.equals(names) for chunk in dyad.chunks):
        raise IndexUpdateError(f"{path}: not a month file of relscore update (dictionaries)")
    codes = np.concatenate([c.indices.to_numpy() for c in dyad.chunks] or [np.empty(0, np.int32)])
    n_dyads = len(names)
    n_days = n_rows // max(n_dyads, 1)
    # Dense, by dyad then date: each dyad's rows are one run of n_days, the dyads in order.
    dense = n_dyads * n_days == n_rows and (codes[::n_days] == np.arange(n_dyads)).all()
    if not dense:
        raise IndexUpdateError(f"{path}: not a month file of relscore update (not dense)")
    labels = names.to_numpy(zero_copy_only=False).astype(object)
    if n_dyads > 1 and not (labels[1:] > labels[:-1]).all():
        raise IndexUpdateError(f"{path}: not a month file of relscore update (dyads unsorted)")
    return labels, n_days


def apply_patch(
    path: str | Path, keys: np.ndarray, first_day: int, grids: dict[str, np.ndarray]
) -> None:
    """Lay the patch at ``path`` over a month's grids (:func:`read_month_file`: its
    ``first_day``, and its labels as ``keys``, a NumPy string array), in place, for the
    columns ``grids`` holds; :class:`~relscore.exceptions.IndexUpdateError` if it cannot be
    read or holds a dyad or day that is not the month's."""
    columns = list(grids)
    with file_errors(path, IndexUpdateError, "cannot be read", "index into a new folder"):
        table = pq.read_table(path, columns=["dyad", "date", *columns]).combine_chunks()
    if not table.num_rows:
        return
    dyad = table.column("dyad").chunk(0)
    names = dyad.dictionary.to_numpy(zero_copy_only=False).astype(keys.dtype)
    at = np.searchsorted(keys, names)  # fixed-width strings: compared in C, not Python
    known = (at < len(keys)) & (keys[np.minimum(at, len(keys) - 1)] == names)
    n_days = grids[columns[0]].shape[1]
    days = table.column("date").chunk(0).view(pa.int32()).to_numpy() - first_day
    if not known.all() or days.min() < 0 or days.max() >= n_days:
        raise IndexUpdateError(f"{path}: holds a dyad or day that is not its month's")
    cells = at[dyad.indices.to_numpy()] * n_days + days
    for column in columns:
        values = table.column(column).chunk(0)
        if values.null_count == len(values):
            continue
        grid = grids[column]
        if not grid.flags.writeable:
            grids[column] = grid = grid.copy()
        if values.null_count:
            kept = values.is_valid().to_numpy(zero_copy_only=False)
            grid.ravel()[cells[kept]] = values.drop_null().to_numpy()
        else:
            grid.ravel()[cells] = values.to_numpy()


def read_index_month(
    folder: str | Path,
    manifest: dict,
    name: str,
    columns: tuple[str, ...] = GRID_COLUMNS,
    dyads: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, int, dict[str, np.ndarray]]:
    """Month ``name`` of an index folder as :func:`read_month_file` gives it, with the
    patches ``manifest`` lists for it applied in order (:func:`apply_patch`).

    A month whose size the manifest records is read without its dyad column: call it only
    once the folder's files are found to match the manifest
    (:func:`relscore.store.manifest.month_file_problems`). ``dyads``: the manifest's dyads
    as an object array and as a NumPy string array, if the caller holds them already."""
    labels = keys = None
    if name in manifest.get("files", {}):
        labels, keys = dyads or manifest_dyads(manifest)
    labels, first_day, grids = read_month_file(month_path(folder, name), columns, labels)
    patches = manifest.get("patches", {}).get(name, [])
    if patches and keys is None:
        keys = np.asarray(labels, dtype=str)
    for patch, *_ in patches:
        apply_patch(Path(folder) / patch, keys, first_day, grids)
    return labels, first_day, grids


def manifest_dyads(manifest: dict) -> tuple[np.ndarray, np.ndarray]:
    """The manifest's dyads as an object array and as a NumPy string array (the second
    compares without Python)."""
    keys = np.asarray(manifest["dyads"], dtype=str)
    return keys.astype(object), keys


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


def checked_manifest(folder: str | Path) -> dict:
    """An index folder's manifest (:func:`read_manifest`), once its month and patch files
    are found to be those it lists (:func:`relscore.store.manifest.month_file_problems`);
    :class:`~relscore.exceptions.IndexUpdateError` naming the first that is not."""
    manifest = read_manifest(folder)
    problems = month_file_problems(folder, manifest)
    if problems:
        raise IndexUpdateError(f"{problems[0]}; run relscore update to rebuild the folder")
    return manifest


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
    """The months of an index folder (month files and the patches ``manifest`` lists), each
    read whole at most once (during one update)."""

    def __init__(self, folder: Path, manifest: dict):
        self.folder = Path(folder)
        self.manifest = manifest
        self.dyads = manifest_dyads(manifest)
        self._held: dict[str, tuple] = {}

    def exists(self, name: str) -> bool:
        return name in self._held or month_path(self.folder, name).exists()

    def read(
        self, name: str, columns: tuple[str, ...] = GRID_COLUMNS
    ) -> tuple[np.ndarray, int, dict[str, np.ndarray]]:
        """Its own dyads, first day and grids, patched (:func:`read_index_month`): an update killed
        midway may have left a file of other dyads than the manifest lists. Only a month
        read whole is kept."""
        if name in self._held:
            labels, first_day, grids = self._held[name]
            return labels, first_day, {c: grids[c] for c in columns}
        read = read_index_month(self.folder, self.manifest, name, columns, self.dyads)
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
    manifest = checked_manifest(path)
    tables = []
    dyads = manifest_dyads(manifest)
    for name, _, _ in month_spans(*index_days(manifest)):
        if manifest.get("patches", {}).get(name):
            labels, first_day, grids = read_index_month(path, manifest, name, dyads=dyads)
            tables.append(month_table(pa.array(labels, pa.string()), first_day, grids))
            continue
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

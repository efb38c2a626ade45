"""Write the index block by block, as Parquet or CSV, atomically; read it back.

The rows are those of :func:`relscore.tension_index` (the index columns ``dyad, date,
n_events, conflict, cooperation, net, tension``). In Parquet ``dyad`` is dictionary-encoded,
``date`` a date32 and each block one row group; CSV is written as ``relscore index`` writes
it for CSV input (ISO dates, ``\\n`` line ends). A file appears only once complete.

An **updatable index** (``relscore update``) is a folder instead: one Parquet file per
calendar month of index days (``INDEX/YYYY-MM.parquet``: every dyad's rows for the
month's days, by dyad then date, so each is a dense dyads x days grid per column) and a
manifest, ``INDEX/_relscore_index.json``, written last, that says what the files hold
(:mod:`relscore.scale.update`). :func:`read_index` reads a file or a folder.
"""

from __future__ import annotations

import json
import sys
from contextlib import suppress
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from relscore.exceptions import IndexUpdateError, OutputFileError
from relscore.files.atomic import atomic_path, write_text_atomic
from relscore.files.errors import file_errors
from relscore.store.layout import abandon
from relscore.vocabulary import INDEX_COLUMNS, day_number, month_spans

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
FORMATS = ("parquet", "csv")
MANIFEST_NAME = "_relscore_index.json"  # "_": Parquet readers skip it
GRID_COLUMNS = INDEX_COLUMNS[2:]  # n_events, conflict, cooperation, net, tension
# Month files are rewritten by every update, so they are written for speed: lz4, a
# dictionary for the dyad only and statistics for the date only (the first day is read from
# them) write a month 3 times as fast as Parquet's defaults with zstd, 30 % larger.
MONTH_WRITE = {"compression": "lz4", "use_dictionary": ["dyad"], "write_statistics": ["date"]}


def output_format(path: str | None, fmt: str | None) -> str:
    """``fmt`` if given, else from ``path``'s suffix (``.parquet``/``.pq`` -> Parquet),
    else CSV."""
    if fmt is not None:
        return fmt
    suffix = Path(path).suffix.lower() if path else ""
    return "parquet" if suffix in (".parquet", ".pq") else "csv"


def to_arrow(frame: pd.DataFrame) -> pa.Table:
    """Index rows (:func:`relscore.scale.kernel.block_frame`) as a table of :data:`INDEX_SCHEMA`."""
    dyad = frame["dyad"].array
    days = frame["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    labels = np.asarray(dyad.categories, dtype=object)
    columns = [
        pa.DictionaryArray.from_arrays(
            pa.array(dyad.codes, pa.int32()), pa.array(labels, pa.string())
        ),
        pa.array(days.astype(np.int32)).view(pa.date32()),
        *(pa.array(frame[c].to_numpy()) for c in INDEX_COLUMNS[2:]),
    ]
    return pa.Table.from_arrays(columns, schema=INDEX_SCHEMA)


class IndexWriter:
    """Write index rows to ``path`` (standard output if None) in ``fmt``, block by block.

    Use as a context manager: the rows go to a temporary file beside ``path``, moved into
    place when the block ends without error and removed otherwise.
    """

    def __init__(self, path: str | Path | None, fmt: str = "csv"):
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
        if path is None and fmt != "csv":
            raise ValueError("Parquet output needs a file (-o OUT.parquet)")
        self.path, self.fmt, self.rows = path, fmt, 0
        self._tmp: Path | None = None
        self._target = None
        self._out = None
        self._parquet: pq.ParquetWriter | None = None

    def __enter__(self) -> IndexWriter:
        if self.path is None:
            self._out = sys.stdout
        else:
            self._target = atomic_path(self.path)
            self._tmp = self._target.__enter__()
            if self.fmt == "csv":
                self._out = open(self._tmp, "w", encoding="utf-8", newline="")
            else:
                self._parquet = pq.ParquetWriter(self._tmp, INDEX_SCHEMA, compression="zstd")
        if self.fmt == "csv":
            self._out.write(",".join(INDEX_COLUMNS) + "\n")
        return self

    def write(self, frame: pd.DataFrame) -> None:
        """Append one block's rows (in dyad, date order)."""
        self.rows += len(frame)
        if self.fmt == "csv":
            frame.to_csv(
                self._out, header=False, index=False, date_format="%Y-%m-%d", lineterminator="\n"
            )
        elif len(frame):
            self._parquet.write_table(to_arrow(frame), row_group_size=max(len(frame), 1))

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if self._parquet is not None:
                if kind is None:
                    self._parquet.close()
                else:
                    abandon(self._parquet)
            if self._out is not None and self._out is not sys.stdout:
                self._out.close()
        except BaseException as error:
            if self._parquet is not None:
                abandon(self._parquet)
            if self._out is not None and self._out is not sys.stdout:
                with suppress(OSError):
                    self._out.close()
            if self._target is not None:
                self._target.__exit__(type(error), error, error.__traceback__)
            raise
        if self._target is not None:  # into place if the block went well, else removed
            self._target.__exit__(kind, value, traceback)


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
    """An index folder's manifest; :class:`~relscore.exceptions.IndexUpdateError` if the
    folder is a file, or holds no manifest that can be read."""
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
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexUpdateError(f"{path}: cannot be read ({exc})") from None
    keys = ("version", "settings", "first_day", "last_day", "dyads", "months", "store")
    if not isinstance(manifest, dict) or any(k not in manifest for k in keys):
        raise IndexUpdateError(f"{path}: not a relscore index manifest; index into a new folder")
    return manifest


def write_manifest(folder: str | Path, manifest: dict) -> None:
    """Write the manifest atomically (the last step of a build or an update)."""
    text = json.dumps(manifest, sort_keys=True) + "\n"  # no indent: the C encoder
    write_text_atomic(Path(folder) / MANIFEST_NAME, text, OutputFileError)


def read_index(path: str | Path) -> pd.DataFrame:
    """An index as one DataFrame in dyad, date order, as ``relscore index`` writes it.

    Parameters
    ----------
    path : path
        A Parquet or CSV file (``relscore index -o``), or an index folder
        (``relscore update``).

    Returns
    -------
    pandas.DataFrame
        ``dyad`` (categorical), ``date`` (datetime64[s]), ``n_events``, ``conflict``,
        ``cooperation``, ``net``, ``tension``.

    Examples
    --------
    >>> import tempfile
    >>> frame = pd.DataFrame({"dyad": pd.Categorical(["IRN-PAK"]),
    ...     "date": np.array(["2024-01-18"], "datetime64[s]"), "n_events": [1],
    ...     "conflict": [4.0], "cooperation": [0.0], "net": [4.0], "tension": [4.0]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with IndexWriter(Path(folder) / "i.parquet", "parquet") as out:
    ...         out.write(frame)
    ...     back = read_index(Path(folder) / "i.parquet")
    >>> back[["dyad", "date", "tension"]]
          dyad       date  tension
    0  IRN-PAK 2024-01-18      4.0
    """
    path = Path(path)
    if path.is_dir():
        manifest = read_manifest(path)
        tables = [
            pq.read_table(path / f"{name}.parquet", schema=INDEX_SCHEMA)
            for name, _, _ in month_spans(*calendar_days(manifest))
        ]
        table = pa.concat_tables(tables or [INDEX_SCHEMA.empty_table()])
        table = table.unify_dictionaries().combine_chunks()
        if table.num_rows:  # months in date order, so a stable sort by dyad gives dyad, date
            dyad = table.column("dyad").chunk(0)
            names = dyad.dictionary.to_numpy(zero_copy_only=False).astype(object)
            rank = np.empty(len(names), np.int64)
            rank[np.argsort(names)] = np.arange(len(names))
            table = table.take(np.argsort(rank[dyad.indices.to_numpy()], kind="stable"))
        frame = table.to_pandas()
    elif path.suffix.lower() in (".parquet", ".pq"):
        with file_errors(path, OutputFileError, "cannot be read"):
            frame = pq.read_table(path).to_pandas()
    else:
        with file_errors(path, OutputFileError, "cannot be read"):
            frame = pd.read_csv(path)
    return frame.assign(
        dyad=frame["dyad"].astype(str).astype("category"),
        date=pd.to_datetime(frame["date"]).astype("datetime64[s]"),
    ).reset_index(drop=True)


def calendar_days(manifest: dict) -> tuple[int, int]:
    """An index folder's first and last day (days since 1970-01-01) from its manifest;
    the empty range ``(0, -1)`` for an index of no events."""
    if manifest.get("first_day") is None:
        return 0, -1
    return day_number(manifest["first_day"]), day_number(manifest["last_day"])

"""Write the index block by block, as Parquet or CSV, atomically; read it back.

The rows are those of :func:`relscore.tension_index` (the index columns ``dyad, date,
n_events, conflict, cooperation, net, tension``). In Parquet ``dyad`` is dictionary-encoded,
``date`` a date32 and each block one row group; CSV is written as ``relscore index`` writes
it for CSV input (ISO dates, ``\\n`` line ends). A file appears only once complete.

An **updatable index** (``relscore update``) is a folder instead
(:mod:`relscore.store.index_folder`); :func:`read_index` reads a file or a folder.
"""

from __future__ import annotations

import sys
from contextlib import suppress
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from relscore.exceptions import OutputFileError
from relscore.files.atomic import STDOUT, atomic_path
from relscore.files.csvfile import write_csv_rows
from relscore.files.errors import file_errors
from relscore.store.index_folder import INDEX_SCHEMA, read_folder
from relscore.store.parts import abandon
from relscore.vocabulary import INDEX_COLUMNS

OUTPUT_FORMATS = ("parquet", "csv")


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
    """Write index rows to ``path`` (standard output if None or ``-``) in ``fmt``, block by
    block.

    Use as a context manager: the rows go to a temporary file beside ``path``, moved into
    place when the block ends without error and removed otherwise.
    """

    def __init__(self, path: str | Path | None, fmt: str = "csv"):
        path = None if str(path) == STDOUT else path
        if fmt not in OUTPUT_FORMATS:
            raise ValueError(f"format must be one of {', '.join(OUTPUT_FORMATS)}, got {fmt!r}")
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
            write_csv_rows(frame, self._out)
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
        frame = read_folder(path)
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

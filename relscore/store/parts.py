"""A source file's events written into the event store: encoded as Arrow from positions
found while parsing, one part file per month, all committed together
(:class:`PartWriter`). The store's layout is :mod:`relscore.store.layout`."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from relscore._compiled import CPUS
from relscore.exceptions import StoreError
from relscore.files.atomic import AtomicFiles
from relscore.files.errors import file_errors
from relscore.importers.countries import iso3_table
from relscore.importers.output import codebook_table
from relscore.store.layout import STORE_SCHEMA, part_name
from relscore.vocabulary import month_names

ROW_GROUP_ROWS = 1 << 20  # events per Parquet row group (a month's file is read whole)


# Parquet's defaults (a dictionary and min/max statistics for every column) cost more than
# the rest of writing: ids and line numbers are all distinct and rise, so they are stored
# as deltas, and only the date's statistics could ever prune a read. This writes a month
# 2.6 times as fast as the defaults and the files come out a third smaller.
WRITE_OPTIONS = {
    "compression": "zstd",
    "use_dictionary": ["date", "actor1", "actor2", "event_code"],
    "write_statistics": ["date"],
    "column_encoding": {"event_id": "DELTA_BINARY_PACKED", "origin_line": "DELTA_BINARY_PACKED"},
}


@cache
def _dictionaries() -> tuple[object, object]:
    """The ISO codes and the CAMEO codes as Arrow string arrays (the stores' dictionaries)."""
    return pa.array(iso3_table().astype(str)), pa.array(codebook_table()[0].astype(str))


def encoded_rows(
    event_id: np.ndarray,
    day: np.ndarray,
    actor1: np.ndarray,
    actor2: np.ndarray,
    code: np.ndarray,
    extra: dict[str, np.ndarray | None],
):
    """Events as an Arrow table of the event store's schema, from positions found while
    parsing: no per-event strings are built.

    Parameters
    ----------
    event_id : numpy.ndarray
        The source's event ids (int64).
    day : numpy.ndarray
        Days since 1970-01-01 (stored as a date).
    actor1, actor2 : numpy.ndarray
        Positions in :func:`relscore.importers.countries.iso3_table` (stored as
        dictionary-encoded ISO codes).
    code : numpy.ndarray
        Positions in :func:`codebook_table` (stored as dictionary-encoded CAMEO codes).
    extra : dict
        ``origin_line`` (int), and optionally ``num_mentions``, ``num_articles`` (int, with
        a mask of the missing as ``<name>_missing``) and ``source_hash`` (int64); a column
        that is absent or None is stored as nulls.

    Returns
    -------
    pyarrow.Table
        :data:`STORE_SCHEMA`.
    """
    iso, cameo = _dictionaries()

    def dictionary(positions: np.ndarray, values) -> pa.DictionaryArray:
        return pa.DictionaryArray.from_arrays(pa.array(positions.astype(np.int16)), values)

    def optional(name: str, kind: pa.DataType) -> pa.Array:
        values = extra.get(name)
        if values is None:
            return pa.nulls(len(day), kind)
        return pa.array(values, kind, mask=extra.get(f"{name}_missing"))

    columns = [
        pa.array(event_id, pa.int64()),
        pa.array(day.astype(np.int32)).view(pa.date32()),
        dictionary(actor1, iso),
        dictionary(actor2, iso),
        dictionary(code, cameo),
        optional("num_mentions", pa.int32()),
        optional("num_articles", pa.int32()),
        optional("source_hash", pa.int64()),
        pa.array(extra["origin_line"], pa.int64()),
    ]
    return pa.Table.from_arrays(columns, schema=STORE_SCHEMA)


def abandon(writer: pq.ParquetWriter) -> None:
    """Close a Parquet writer whose file is being given up, whatever the disk says (the
    disk that failed a write fails the footer too), and its file with it."""
    if writer.is_open:
        with suppress(OSError):
            writer.close()
    if writer.file_handle is not None:  # close() leaves it open when the footer fails
        writer.file_handle.close()


class PartWriter:
    """Write one source file's events into the store, month by month, atomically.

    Each month's rows go to a temporary file beside the part (buffered into row groups of
    :data:`ROW_GROUP_ROWS`); :meth:`commit` moves every one into place and removes the
    parts of the same source in other months. On error (:meth:`abort`) the store is left
    as it was, except after a crash between two renames of one commit, which can leave a
    source's months from two imports: importing the file again repairs that.
    """

    def __init__(self, store: Path, source: str | Path):
        self.store, self.name = store, part_name(source)
        self.metadata = {b"relscore_source": str(source).encode()}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._pending: dict[str, list[pa.Table]] = {}
        self._files = AtomicFiles(StoreError)  # a temporary part per month, committed together
        self._months: list[str] = []
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        """Add events (:data:`STORE_SCHEMA`), in source order."""
        if not table.num_rows:
            return
        self.rows += table.num_rows
        days = table.column("date").cast(pa.int32()).to_numpy()
        first = int(days.min())
        # Each day's month from a table of the block's days: a lookup, not a conversion.
        span = np.arange(first, int(days.max()) + 1).astype("datetime64[D]")
        month = span.astype("datetime64[M]").view(np.int64)[days - first]
        if month[0] == month[-1] and (month == month[0]).all():  # usual: no reordering
            self._add(month_names(days[:1])[0], table)
            return
        # A stable sort keeps source order within a month; on 16-bit keys it is a radix sort.
        order = np.argsort((month - month.min()).astype(np.uint16), kind="stable")
        table = table.take(order)
        bounds = [0, *np.flatnonzero(np.diff(month[order])) + 1, len(order)]
        for lo, hi in pairwise(bounds):
            self._add(month_names(days[order[lo : lo + 1]])[0], table.slice(lo, hi - lo))

    def _add(self, month: str, table: pa.Table) -> None:
        pending = self._pending.setdefault(str(month), [])
        pending.append(table)
        if sum(t.num_rows for t in pending) >= ROW_GROUP_ROWS:
            self._flush(str(month))

    def _flush(self, month: str) -> None:
        with file_errors(self.store / f"month={month}" / self.name, StoreError, "cannot write"):
            self._write_pending(month)

    def _write_pending(self, month: str) -> None:
        pending = self._pending.pop(month, [])
        if not pending:
            return
        if month not in self._writers:
            folder = self.store / f"month={month}"
            folder.mkdir(exist_ok=True)
            tmp = self._files.path(folder / self.name)  # unique: runs at once differ
            self._months.append(month)
            schema = STORE_SCHEMA.with_metadata(self.metadata)
            self._writers[month] = pq.ParquetWriter(tmp, schema, **WRITE_OPTIONS)
        table = pa.concat_tables(pending).unify_dictionaries().combine_chunks()
        self._writers[month].write_table(table, row_group_size=ROW_GROUP_ROWS)

    def commit(self) -> list[str]:
        """Move the new parts into place and drop this source's parts of other months;
        return the months written."""
        try:
            # Months are separate files: encode them side by side (pyarrow frees the GIL).
            months = list(self._pending)
            with ThreadPoolExecutor(max(1, min(CPUS, len(months)))) as pool:
                list(pool.map(self._flush, months))
            with file_errors(self.store, StoreError, f"cannot write the parts {self.name}"):
                for writer in self._writers.values():
                    writer.close()
            self._files.commit()
        except BaseException:
            self.abort()
            raise
        with file_errors(self.store, StoreError, f"cannot remove old parts {self.name}"):
            for old in self.store.glob(f"month=*/{self.name}"):
                if old.parent.name.removeprefix("month=") not in self._months:
                    old.unlink()
        return sorted(self._months)

    def abort(self) -> None:
        """Drop the temporary files; the store keeps its old parts."""
        for writer in self._writers.values():
            abandon(writer)
        self._files.abort()

    def __enter__(self) -> PartWriter:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()

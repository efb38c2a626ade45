"""Split an events CSV into its header, rows and line numbers: one compiled scan and Arrow's
parser for plain CSV (quotes only around whole fields, ``\\n`` or ``\\r\\n`` line ends), the
csv module for anything else, with the same result (``tests/project/test_fuzz.py`` checks that they
agree). What the rows must hold is :mod:`relscore.readers.events`."""

from __future__ import annotations

import csv
import io
from functools import reduce

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from relscore.importers._kernels import csv_records
from relscore.vocabulary import LINE_BYTES_MAX


class NotCsv(ValueError):
    """Text that the csv module cannot read as CSV, and the line it stopped on."""

    def __init__(self, line: int, message: str):
        super().__init__(line, message)
        self.line, self.message = line, message


def records(text: str) -> tuple:
    """The header, the rows (str columns, stripped) and their first lines, and the lines
    with another number of fields than the header (as ``(line, n_fields)``): with the
    csv module, for any CSV (quotes anywhere, ``\\r`` line ends). Raises :class:`NotCsv`
    for text that is not CSV, or a field longer than
    :data:`~relscore.vocabulary.LINE_BYTES_MAX` characters (a quote never closed, mostly)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    limit = csv.field_size_limit()
    csv.field_size_limit(LINE_BYTES_MAX)
    lines, records, bad = [], [], []
    start = 1
    try:
        header = [h.strip() for h in next(reader, [])]
        start = reader.line_num + 1
        for record in reader:
            if any(field.strip() for field in record):
                if len(record) != len(header):
                    bad.append((start, len(record)))
                else:
                    lines.append(start)
                    records.append(record)
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise NotCsv(
                start,
                f"a field of over {LINE_BYTES_MAX:,} characters, more than "
                "relscore reads (a quote never closed?)",
            ) from None
        raise NotCsv(start, f"not CSV: {exc}") from None
    finally:
        csv.field_size_limit(limit)
    if len(set(header)) != len(header):  # an error of the header: no rows are read
        return header, pd.DataFrame(), [], []
    frame = pd.DataFrame(records, columns=header, dtype=str)
    return header, frame.apply(lambda s: s.str.strip()), lines, bad


def _blank(record: bytes) -> bool:
    """Whether a record's fields are all empty or white space, as :func:`records` sees it
    (UnicodeDecodeError if it is not UTF-8)."""
    text = record.decode("utf-8")
    return not any(f.strip() for f in next(csv.reader(io.StringIO(text, newline="")), []))


def fast_records(raw: bytes) -> tuple | None:
    """As :func:`records`, with one compiled scan over the bytes
    (:func:`relscore.importers._kernels.csv_records`) and Arrow's CSV parser: for
    plain CSV (quotes only around fields, ``\\n`` or ``\\r\\n`` line ends). None for
    anything else, which :func:`records` then reads."""
    data = np.frombuffer(raw, np.uint8)
    size = raw.count(b"\n") + 1
    starts, ends, line, n_fields = (np.empty(size, np.int64) for _ in range(4))
    padded = np.zeros(64, bool)
    n, plain, multiline = csv_records(data, starts, ends, line, n_fields, padded)
    if not plain:
        return None
    starts, ends, line, n_fields = starts[:n], ends[:n], line[:n], n_fields[:n]
    if n and int((ends - starts).max()) > LINE_BYTES_MAX:  # records reports which
        return None
    try:
        header = _split_header(raw[starts[0] : ends[0]])
        if header is None or len(set(header)) != len(header) or n == 1:
            return header, pd.DataFrame(columns=header or [], dtype=str), [], []
        starts, ends, n_fields, line = starts[1:], ends[1:], n_fields[1:], line[1:]
        good = n_fields == len(header)
        # The records of another length (few, in a file worth reading): blank, or bad.
        bad = [
            (int(line[at]), int(n_fields[at]))
            for at in np.flatnonzero(~good)
            if not _blank(raw[starts[at] : ends[at]])
        ]
    except UnicodeDecodeError:  # Arrow checks the rest
        return None
    body = _good_bytes(raw, starts, ends, good)
    names = [f"f{i}" for i in range(len(header))]
    longest = int((ends - starts).max(initial=0))
    try:
        table = pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(
                column_names=names, block_size=max(1 << 22, 2 * longest + 2)
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=multiline),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
    except pa.ArrowException:
        return None
    if table.num_rows != int(good.sum()):
        return None
    # Stripping white space costs more than parsing: only where a field may need it.
    trim = [padded[min(k, len(padded) - 1)] for k in range(len(names))]
    columns = [
        pc.utf8_trim_whitespace(table.column(n)) if t else table.column(n)
        for n, t in zip(names, trim, strict=True)
    ]
    del table
    nonblank = reduce(pc.or_, [pc.not_equal(c, "") for c in columns])
    keep = nonblank.to_numpy(zero_copy_only=False)
    if not keep.all():
        columns = [c.filter(nonblank) for c in columns]
    frame = pd.DataFrame({h: c.to_pandas() for h, c in zip(header, columns, strict=True)})
    return header, frame, line[good][keep], bad


def _split_header(line: bytes) -> list[str] | None:
    try:
        return [h.strip() for h in next(csv.reader([line.decode("utf-8")]))]
    except (csv.Error, StopIteration):
        return None


def _good_bytes(raw: bytes, starts: np.ndarray, ends: np.ndarray, good: np.ndarray):
    """The good records' bytes, each ending with a newline (a view, no copy, when all the
    records are good)."""
    if good.all():
        return pa.py_buffer(raw).slice(int(starts[0]))
    runs = np.flatnonzero(np.diff(np.concatenate([[0], good.astype(np.int8), [0]])))
    pieces = [raw[starts[a] : ends[b - 1]] for a, b in zip(runs[0::2], runs[1::2], strict=True)]
    return b"\n".join(pieces) + b"\n"

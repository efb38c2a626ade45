"""The one way relscore writes a table as CSV: no index column, ISO dates, ``\\n`` line ends,
UTF-8, so every CSV output reads back the same on every platform (and every table that is
written can be read by :func:`relscore.read_events` or pandas alike).

Every text cell is made safe on the way out (:func:`safe_cells`):

* a cell that a spreadsheet would run as a formula -- one that starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return -- gets a ``'`` in front (:func:`neutralise`,
  OWASP's advice against CSV injection), so ``=HYPERLINK(...)`` opens as text;
* a line break inside a cell is written as ``\\n``, and the cell quoted: a lone carriage
  return (in a GDELT URL, an ICEWS source name) would otherwise be written bare, and end
  the row for every CSV reader.

Numbers, dates and the header are written as they are.
"""

from __future__ import annotations

from typing import TextIO

import numpy as np
import pandas as pd

CSV_OPTIONS = {"index": False, "date_format": "%Y-%m-%d", "lineterminator": "\n"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(values):
    """Text with a ``'`` before any that a spreadsheet would run as a formula.

    >>> neutralise(["=HYPERLINK(A1)", "@SUM(A1)", "https://example.org"])
    ["'=HYPERLINK(A1)", "'@SUM(A1)", 'https://example.org']
    """
    if isinstance(values, str):
        return "'" + values if values.startswith(FORMULA_START) else values
    return [neutralise(v) for v in values]


def safe_cells(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every text cell :func:`neutralise`-d and its line breaks written as
    ``\\n``; the same table (not a copy) if no cell needs either.

    >>> table = pd.DataFrame({"source": ["-2+3+cmd|' /C calc'!A0", "a\\rb"], "n": [-1, 2]})
    >>> safe_cells(table).to_dict("list")
    {'source': ["'-2+3+cmd|' /C calc'!A0", 'a\\nb'], 'n': [-1, 2]}
    """
    changed = {}
    for name in table.columns:
        column = table[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            labels = pd.Series(column.cat.categories, dtype=object)
            if not _unsafe(labels).any():
                continue
            column = column.astype(object)
        elif not (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)):
            continue
        text = column.astype(object)
        unsafe = _unsafe(text)
        if unsafe.any():
            fixed = text.copy()
            fixed[unsafe] = [_safe(v) for v in text[unsafe]]
            changed[name] = fixed
    return table.assign(**changed) if changed else table


def _unsafe(text: pd.Series) -> np.ndarray:
    """Which cells of an object column are text that starts like a formula or holds a
    carriage return."""
    values = text.to_numpy(dtype=object)
    return np.fromiter(
        (isinstance(v, str) and (v.startswith(FORMULA_START) or "\r" in v) for v in values),
        bool,
        len(values),
    )


def _safe(value: str) -> str:
    return neutralise(value).replace("\r\n", "\n").replace("\r", "\n")


def csv_text(table: pd.DataFrame, *, header: bool = True, float_format: str | None = None) -> str:
    """``table`` as CSV text, its text cells made safe (:func:`safe_cells`).

    >>> csv_text(pd.DataFrame({"date": pd.to_datetime(["2024-01-18"]), "tension": [80.94]}))
    'date,tension\\n2024-01-18,80.94\\n'
    """
    return safe_cells(table).to_csv(header=header, float_format=float_format, **CSV_OPTIONS)


def write_csv_rows(table: pd.DataFrame, out: TextIO, *, float_format: str | None = None) -> None:
    """Append ``table``'s rows, without a header, to the open text file ``out`` (a block of
    a table written block by block), its text cells made safe (:func:`safe_cells`)."""
    safe_cells(table).to_csv(out, header=False, float_format=float_format, **CSV_OPTIONS)

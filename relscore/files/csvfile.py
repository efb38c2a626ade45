"""The one way relscore writes a table as CSV: no index column, ISO dates, ``\\n`` line ends,
UTF-8, so every CSV output reads back the same on every platform (and every table that is
written can be read by :func:`relscore.read_events` or pandas alike).
"""

from __future__ import annotations

from typing import TextIO

import pandas as pd

CSV_OPTIONS = {"index": False, "date_format": "%Y-%m-%d", "lineterminator": "\n"}


def csv_text(table: pd.DataFrame, *, header: bool = True, float_format: str | None = None) -> str:
    """``table`` as CSV text.

    >>> csv_text(pd.DataFrame({"date": pd.to_datetime(["2024-01-18"]), "tension": [80.94]}))
    'date,tension\\n2024-01-18,80.94\\n'
    """
    return table.to_csv(header=header, float_format=float_format, **CSV_OPTIONS)


def write_csv_rows(table: pd.DataFrame, out: TextIO, *, float_format: str | None = None) -> None:
    """Append ``table``'s rows, without a header, to the open text file ``out`` (a block of
    a table written block by block)."""
    table.to_csv(out, header=False, float_format=float_format, **CSV_OPTIONS)

"""Import options, checked and encoded: deduplication mode, dyad, date range, block size."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .countries import iso3_table
from .dedupe import DEDUPE_MODES, DEFAULT_DEDUPE
from .tsv import DEFAULT_CHUNK_BYTES


@dataclass(frozen=True)
class Options:
    """What to keep. Build with :func:`options`."""

    dedupe: str = DEFAULT_DEDUPE
    dyad: tuple[int, int, bool] | None = None  # actor positions, directed
    since: int | None = None  # days since 1970-01-01, inclusive
    until: int | None = None
    chunk_bytes: int = DEFAULT_CHUNK_BYTES


def options(
    dedupe: str = DEFAULT_DEDUPE,
    dyad: str | None = None,
    since: str | pd.Timestamp | None = None,
    until: str | pd.Timestamp | None = None,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
) -> Options:
    """Check and encode import options.

    Parameters
    ----------
    dedupe : {"one-a-day", "source-url", "none"}
        See :mod:`relscore.importers.dedupe`.
    dyad : str, optional
        ``"IRN-PAK"`` keeps events between the two in either direction; ``"IRN>PAK"``
        only those of IRN towards PAK. ISO 3166-1 alpha-3 codes.
    since, until : date-like, optional
        First and last event date kept (inclusive).
    chunk_bytes : int
        Bytes of text read per block.

    Raises
    ------
    ValueError
        For an unknown mode, a malformed dyad or date, or ``since`` after ``until``.
    """
    if dedupe not in DEDUPE_MODES:
        raise ValueError(f"dedupe must be one of {', '.join(DEDUPE_MODES)}, got {dedupe!r}")
    first = None if since is None else _day(since)
    last = None if until is None else _day(until)
    if first is not None and last is not None and first > last:
        raise ValueError(f"--since {since} is after --until {until}")
    return Options(dedupe, None if dyad is None else _dyad(dyad), first, last, int(chunk_bytes))


def _day(value: str | pd.Timestamp) -> int:
    try:
        stamp = pd.Timestamp(value)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD)") from None
    return int(np.datetime64(stamp.date(), "D").astype(np.int64))


def _dyad(text: str) -> tuple[int, int, bool]:
    directed = ">" in text
    parts = text.upper().replace(">", "-").split("-")
    codes = [c.encode() for c in parts]
    iso = iso3_table()
    if len(parts) != 2 or not all(c in iso for c in codes) or parts[0] == parts[1]:
        raise ValueError(f"dyad must be two ISO 3166-1 alpha-3 codes like IRN-PAK, got {text!r}")
    first, second = (int(np.searchsorted(iso, c)) for c in codes)
    return first, second, directed

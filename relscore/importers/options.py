"""Import options, checked and encoded: deduplication mode, dyad, date range, block size."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from relscore.importers.countries import iso3_table
from relscore.importers.dedupe import DEDUPE_MODES, DEFAULT_DEDUPE
from relscore.importers.tsv import DEFAULT_CHUNK_BYTES
from relscore.vocabulary import check_date_range, day_number, parse_dyad


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
    check_date_range(since, until)
    return Options(dedupe, None if dyad is None else _dyad(dyad), first, last, int(chunk_bytes))


def _day(value: str | pd.Timestamp) -> int:
    try:
        return day_number(value)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


def _dyad(text: str) -> tuple[int, int, bool]:
    """The dyad's two actors as positions in :func:`iso3_table`, and whether it is directed.

    An undirected dyad's actors come sorted, like every position in that table."""
    label = parse_dyad(text)
    directed = ">" in label
    iso = iso3_table()
    codes = [c.encode() for c in label.replace(">", "-").split("-")]
    unknown = [c.decode() for c in codes if c not in iso]
    if unknown:
        raise ValueError(f"not an ISO 3166-1 alpha-3 code: {', '.join(unknown)} (in {text!r})")
    first, second = (int(np.searchsorted(iso, c)) for c in codes)
    return first, second, directed

"""Deduplication: which rows of machine-coded data count as the same event.

GDELT rows are not events: the same story, coded from several articles or several
sentences, yields many rows (about half of the 2.0 sample repeats another row's date,
actors, code and URL). Deduplication is therefore a named choice, ``--dedupe``:

``one-a-day`` (default)
    One row per date, actor1, actor2 (in that direction) and event code -- the "one-a-day"
    filter of the KEDS tradition and of the R ``events`` package. Several strikes by A on
    B on one day count once; a strike and a statement count once each.
``source-url``
    One row per date, actor1, actor2, event code and source: GDELT's SOURCEURL, ICEWS's
    Story ID. Repeats from one article go; the same event reported by two outlets stays
    twice. Rows without a URL (GDELT's 57-column back file) count as having the same,
    empty, source: among themselves they are deduplicated as one-a-day.
``none``
    Every row is kept.

In every mode a row whose event id (GLOBALEVENTID, ICEWS Event ID) was already seen is a
duplicate: it is the same record read twice, as when overlapping files are imported.
Rows are taken in file order and the first of a group is the one kept, whatever the
chunk size. The one-a-day key is exact (packed into an integer); the source-url key
adds a 64-bit hash of the source, so two different sources could in principle collide
(for a million distinct sources the chance is about 3 in 10^8).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEDUPE_MODES = ("one-a-day", "source-url", "none")
DEFAULT_DEDUPE = "one-a-day"


def day_key(
    day: np.ndarray, actor1: np.ndarray, actor2: np.ndarray, code: np.ndarray
) -> np.ndarray:
    """The one-a-day key, exact: ``((day * 256 + actor1) * 256 + actor2) * 512 + code``.

    Parameters
    ----------
    day : numpy.ndarray
        Days since 1970-01-01 (int64).
    actor1, actor2 : numpy.ndarray
        Positions of the actors among the ISO codes (0 ... 255).
    code : numpy.ndarray
        Position of the event code in the codebook (0 ... 511).
    """
    return ((day.astype(np.int64) * 256 + actor1) * 256 + actor2) * 512 + code


def with_source(key: np.ndarray, source: list[str]) -> np.ndarray:
    """Combine a one-a-day key with each row's source into one 64-bit hash (as int64)."""
    frame = pd.DataFrame({"key": key, "source": pd.array(source, dtype=object)})
    return pd.util.hash_pandas_object(frame, index=False).to_numpy().view(np.int64)


def first_seen(keys: np.ndarray, seen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which ``keys`` are new: not in ``seen`` and not earlier in ``keys``.

    Parameters
    ----------
    keys : numpy.ndarray of int64
        One key per row, in file order.
    seen : numpy.ndarray of int64
        Sorted keys already seen.

    Returns
    -------
    new : numpy.ndarray of bool
        True for the first row of each key not in ``seen``.
    seen : numpy.ndarray of int64
        ``seen`` with the new keys inserted, still sorted (a merge, not a re-sort).
    """
    at = np.searchsorted(seen, keys)
    known = seen[np.minimum(at, len(seen) - 1)] == keys if len(seen) else np.zeros(len(keys), bool)
    new = ~known & ~pd.Series(keys).duplicated().to_numpy()
    fresh = np.sort(keys[new])
    return new, np.insert(seen, np.searchsorted(seen, fresh), fresh)

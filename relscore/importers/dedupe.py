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

from relscore.importers._kernels import EMPTY, add_keys

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


class KeySet:
    """Keys (int64) seen so far, to tell each row whether its key is new.

    Keys that come rising and above every key seen before (GDELT's and ICEWS's event ids
    within a file) are new without a lookup and are kept in order, in one sorted run.
    Others go through an open-addressing hash table, doubled whenever it would be more than
    two thirds full, so a key costs the same however many were seen before it (12 to 24
    bytes a key in the table, 8 to 16 in the run).
    """

    def __init__(self, capacity: int = 1 << 10):
        self._run = np.empty(capacity, np.int64)  # sorted; the first _run_size are used
        self._run_size = 0
        self._top: int | None = None  # the largest key seen
        self._table = np.full(capacity, EMPTY, np.int64)
        self._count = 0  # keys in the table
        self._has_empty = False  # the EMPTY value is a key too, held outside the table

    def __len__(self) -> int:
        return self._run_size + self._count + self._has_empty

    def first_seen(self, keys: np.ndarray) -> np.ndarray:
        """Add ``keys`` (in row order); True for each that is neither in the set before nor
        earlier in ``keys``."""
        keys = np.ascontiguousarray(keys, dtype=np.int64)
        if not len(keys):
            return np.zeros(0, bool)
        rising = bool((keys[1:] > keys[:-1]).all())
        if rising and (self._top is None or keys[0] > self._top):
            self._append_run(keys)
            self._top = int(keys[-1])
            return np.ones(len(keys), bool)
        run = self._run[: self._run_size]
        at = np.minimum(np.searchsorted(run, keys), max(len(run) - 1, 0))
        new = run[at] != keys if len(run) else np.ones(len(keys), bool)
        new[new] = self._hashed(keys[new])
        self._top = max(int(keys.max()), self._top if self._top is not None else EMPTY)
        return new

    def _append_run(self, keys: np.ndarray) -> None:
        end = self._run_size + len(keys)
        if end > len(self._run):
            self._run = np.resize(self._run, max(end, 2 * len(self._run)))
        self._run[self._run_size : end] = keys
        self._run_size = end

    def _hashed(self, keys: np.ndarray) -> np.ndarray:
        need = (self._count + len(keys)) * 3 // 2 + 1
        if need > len(self._table):
            self._grow(need)
        new = np.empty(len(keys), bool)
        self._count += add_keys(keys, self._table, new)
        at = np.flatnonzero(keys == EMPTY)
        if len(at):
            new[at] = False
            new[at[0]] = not self._has_empty
            self._has_empty = True
        return new

    def _grow(self, need: int) -> None:
        old = self._table[self._table != EMPTY]
        size = len(self._table)
        while size < need:
            size *= 2
        self._table = np.full(size, EMPTY, np.int64)
        add_keys(old, self._table, np.empty(len(old), bool))

"""Decode short fields: whole numbers, dates, codes from a table.

Each function works on all ``n`` fields of a column at once, taking what
:class:`relscore.importers.tsv.Block` gives: the ``(n, width)`` uint8 array and the field
lengths of :meth:`~relscore.importers.tsv.Block.fixed`, the numbers of
:meth:`~relscore.importers.tsv.Block.number` or the keys of
:meth:`~relscore.importers.tsv.Block.key`. Those that can fail return their values and a
mask of the fields that are well formed; the values of the others are meaningless.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from relscore.importers._kernels import civil_days, hash_bits, hash_slot, lookup
from relscore.vocabulary import DAY_MAX, DAY_MIN

ZERO = ord("0")


def whole_numbers(raw: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unsigned decimal integers of 1 to ``raw.shape[1]`` (at most 18) digits.

    Returns
    -------
    values : numpy.ndarray of int64
    ok : numpy.ndarray of bool
        The field is all digits and not longer than ``raw.shape[1]``.
    """
    width = raw.shape[1]
    if width > 18:
        raise ValueError("at most 18 digits fit an int64 without overflow")
    value = np.zeros(len(raw), dtype=np.int64)
    ok = (length >= 1) & (length <= width)
    for j in range(min(width, int(length.max(initial=0)))):  # Horner's rule, digit by digit
        digit = raw[:, j] - np.uint8(ZERO)  # wraps below '0' to >= 208
        inside = j < length
        ok &= (digit <= 9) | ~inside
        value = np.where(inside, value * 10 + digit, value)
    return value, ok


def ymd_days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970-01-01 of each (year, month, day), and whether that date exists and
    lies in the dates relscore reads (:mod:`relscore.vocabulary`: 1800-01-01 ...
    2100-12-31); 31 April, 29 February 2019 or 0001-01-01 do not.
    """
    n = len(year)
    days, ok = np.empty(n, np.int64), np.empty(n, bool)
    civil_days(
        np.asarray(year, np.int64), np.asarray(month, np.int64), np.asarray(day, np.int64), days, ok
    )
    return days, ok & (days >= DAY_MIN) & (days <= DAY_MAX)


def compact_dates(value: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates written ``YYYYMMDD`` (GDELT's SQLDATE) as days since 1970-01-01, from their
    :meth:`~relscore.importers.tsv.Block.number` and length."""
    days, exists = ymd_days(value // 10000, value // 100 % 100, value % 100)
    return days, (value >= 0) & (length == 8) & exists


def iso_dates(raw: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates written ``YYYY-MM-DD`` (ICEWS's Event Date) as days since 1970-01-01."""
    eight = np.full(len(raw), 8)
    packed = np.concatenate([raw[:, 0:4], raw[:, 5:7], raw[:, 8:10]], axis=1)
    value, ok = whole_numbers(packed, eight)
    dashes = (raw[:, 4] == ord("-")) & (raw[:, 7] == ord("-"))
    days, exists = ymd_days(value // 10000, value // 100 % 100, value % 100)
    return days, ok & dashes & (length == 10) & exists


def codes_in(key: np.ndarray, length: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Position of each code in ``table`` (an array of distinct bytes strings of 1 to 4
    bytes), or -1.

    ``key`` and ``length`` are what :meth:`relscore.importers.tsv.Block.key` returns. A
    field matches an entry only if it is that entry whole (same bytes, same length), so a
    long field is never matched by its first bytes.
    """
    slots, slot_key, slot_length, slot_value = _hashed(table.tobytes(), table.dtype.itemsize)
    out = np.empty(len(key), np.int64)
    lookup(key, length, slots, slot_key, slot_length, slot_value, out)
    return out


@cache
def _hashed(entries: bytes, itemsize: int) -> tuple[np.ndarray, ...]:
    """An open-addressing table of the entries (at most a quarter full) for ``lookup``."""
    codes = [entries[at : at + itemsize].rstrip(b"\0") for at in range(0, len(entries), itemsize)]
    if any(len(code) > 4 for code in codes):
        raise ValueError("codes_in looks up codes of at most 4 bytes")
    size = 1 << max(4, (4 * len(codes)).bit_length())
    slots = np.zeros(size, bool)
    slot_key = np.zeros(size, np.uint32)
    slot_length = np.zeros(size, np.int64)
    slot_value = np.full(size, -1, np.int64)
    for position, code in enumerate(codes):
        key = int.from_bytes(code.ljust(4, b"\0"), "big")
        at = hash_slot(np.uint64(key), hash_bits(size))
        while slots[at] and (slot_key[at], slot_length[at]) != (key, len(code)):
            at = (at + 1) & (size - 1)
        if code and not slots[at]:  # an empty field matches nothing; the first copy wins
            slots[at], slot_key[at], slot_length[at] = True, key, len(code)
            slot_value[at] = position
    return slots, slot_key, slot_length, slot_value

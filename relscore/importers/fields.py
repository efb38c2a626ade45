"""Decode short fields straight from their bytes: whole numbers, dates, codes from a table.

Each function takes the ``(n, width)`` uint8 array and the field lengths that
:meth:`relscore.importers.tsv.Block.fixed` returns and works on all ``n`` fields at once.
Each returns its values and a mask of the fields that are well formed; the values of the
others are meaningless.
"""

from __future__ import annotations

import numpy as np

ZERO = ord("0")
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


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


def calendar_days(
    year: np.ndarray, month: np.ndarray, day: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970-01-01 of each (year, month, day), and whether that date exists.

    Years 1 to 9999 are accepted; 31 April or 29 February 2019 are not.
    """
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    last = np.where(month_ok, _MONTH_DAYS[np.where(month_ok, month, 1)], 0) + (leap & (month == 2))
    ok = (year >= 1) & (year <= 9999) & month_ok & (day >= 1) & (day <= last)
    # Days from civil (H. Hinnant's algorithm): March-based years make leap days last.
    y = year - (month <= 2)
    era = np.floor_divide(y, 400)
    year_of_era = y - era * 400
    day_of_year = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468, ok


def compact_dates(raw: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates written ``YYYYMMDD`` (GDELT's SQLDATE) as days since 1970-01-01."""
    value, ok = whole_numbers(raw[:, :8], length)
    days, exists = calendar_days(value // 10000, value // 100 % 100, value % 100)
    return days, ok & (length == 8) & exists


def iso_dates(raw: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates written ``YYYY-MM-DD`` (ICEWS's Event Date) as days since 1970-01-01."""
    eight = np.full(len(raw), 8)
    packed = np.concatenate([raw[:, 0:4], raw[:, 5:7], raw[:, 8:10]], axis=1)
    value, ok = whole_numbers(packed, eight)
    dashes = (raw[:, 4] == ord("-")) & (raw[:, 7] == ord("-"))
    days, exists = calendar_days(value // 10000, value // 100 % 100, value % 100)
    return days, ok & dashes & (length == 10) & exists


def pack(raw: np.ndarray) -> np.ndarray:
    """Fields of up to 4 bytes as one uint32 each, in byte order (so sorting agrees)."""
    four = np.zeros((len(raw), 4), dtype=np.uint8)
    four[:, : raw.shape[1]] = raw
    return four.view(">u4").ravel().astype(np.uint32)  # native order: fast to compare


def codes_in(raw: np.ndarray, length: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Position of each field in ``table`` (a sorted array of bytes strings of at most
    4 bytes), or -1.

    A field matches only if it fits ``raw`` (at most 4 bytes) whole, so a long field is
    never matched by its first bytes.
    """
    keys = pack(raw)
    packed = pack(np.frombuffer(table.astype("S4").tobytes(), np.uint8).reshape(-1, 4))
    at = np.minimum(np.searchsorted(packed, keys), len(packed) - 1)
    found = (packed[at] == keys) & (length <= raw.shape[1]) & (length > 0)
    return np.where(found, at, -1)

"""Seeded synthetic GDELT 2.0 event files, for tests and benchmarks at any size.

Every row has the 61 tab-separated fields of a GDELT 2.0 export and about the width of a
real one (filler in the fields relscore does not read), with two ISO countries, a
3-digit CAMEO code of relscore's codebook, a date, coverage counts and a URL. Rows are
fixed-width records built as one ``uint8`` array per block, so writing 100 million rows
costs about as much as the disk takes to store them.

Dyads are drawn among ``n_dyads`` directed pairs of ISO countries with weights falling
off as ``rank**-0.8`` (a few busy dyads, many quiet ones, as in GDELT); codes uniformly
among ``n_codes`` codes; days uniformly over ``n_days`` from ``start``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from relscore.importers.countries import iso3_table
from relscore.importers.output import codebook_table

# Field -> placeholder (its width is the field's); other fields get filler text.
_VARIABLE = {
    0: "I" * 10,  # GLOBALEVENTID
    1: "D" * 8,  # SQLDATE
    5: "A" * 3,  # Actor1Code
    7: "A" * 3,  # Actor1CountryCode
    15: "B" * 3,  # Actor2Code
    17: "B" * 3,  # Actor2CountryCode
    26: "C" * 3,  # EventCode
    27: "C" * 3,  # EventBaseCode
    31: "M" * 2,  # NumMentions
    33: "N" * 2,  # NumArticles
    60: "https://news.example.org/2019/story-" + "I" * 10,  # SOURCEURL
}
_FILLER = {
    2: "201910", 3: "2019", 4: "2019.8110", 6: "COUNTRY ONE", 16: "COUNTRY TWO",
    25: "1", 28: "03", 29: "1", 30: "4.0", 32: "1", 34: "-1.61290322580645",
    35: "4", 36: "Capital, Region, Country One", 37: "C1", 38: "C101", 39: "12345",
    40: "12.3456", 41: "45.6789", 42: "-1234567", 43: "4",
    44: "Town, Region, Country Two", 45: "C2", 46: "C201", 47: "23456", 48: "23.4567",
    49: "56.7891", 50: "-2345678", 51: "4", 52: "Capital, Region, Country One",
    53: "C1", 54: "C101", 55: "12345", 56: "12.3456", 57: "45.6789", 58: "-1234567",
    59: "20191024143000",
}  # fmt: skip
_TEMPLATE = [_VARIABLE.get(i, _FILLER.get(i, "")) for i in range(61)]


def _offsets() -> dict[int, int]:
    """Byte offset of each variable field in a row."""
    offsets, at = {}, 0
    for i, text in enumerate(_TEMPLATE):
        offsets[i] = at
        at += len(text) + 1
    return offsets


def dyad_pairs(n_dyads: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n_dyads`` distinct directed pairs of ISO countries (positions in ``iso3_table``)."""
    n = len(iso3_table())
    if not 1 <= n_dyads <= n * (n - 1):
        raise ValueError(f"n_dyads must be in 1 ... {n * (n - 1)}, got {n_dyads}")
    pair = rng.choice(n * (n - 1), n_dyads, replace=False)
    first, second = pair // (n - 1), pair % (n - 1)
    return first, second + (second >= first)  # skip the diagonal


def write_gdelt(
    path: str | Path,
    n_rows: int,
    *,
    n_dyads: int = 2000,
    n_codes: int = 200,
    n_days: int = 365,
    start: str = "2019-01-01",
    first_id: int = 1_000_000_000,
    seed: int = 0,
    block: int = 1 << 20,
) -> int:
    """Write ``n_rows`` synthetic GDELT 2.0 rows to ``path``; return the file's size in bytes.

    Parameters
    ----------
    path : path
    n_rows : int
        Rows to write.
    n_dyads : int
        Directed country pairs to draw from (at most 249 x 248).
    n_codes : int
        3-digit CAMEO codes to draw from (the first of the codebook's, at most 226).
    n_days : int
        Days the dates spread over, from ``start``.
    first_id : int
        GLOBALEVENTID of the first row (10 digits), the others following.
    seed : int
        Seeds everything drawn.
    block : int
        Rows built at a time.
    """
    rng = np.random.default_rng(seed)
    iso = iso3_table().view(np.uint8).reshape(-1, 3)
    codes = codebook_table()[0]
    three = np.array([c for c in codes if len(c) == 3][:n_codes], dtype="S3")
    three = three.view(np.uint8).reshape(-1, 3)
    first, second = dyad_pairs(n_dyads, rng)
    weight = np.arange(1, n_dyads + 1) ** -0.8
    cumulative = np.cumsum(weight / weight.sum())
    day0 = np.datetime64(start, "D")
    row = ("\t".join(_TEMPLATE) + "\n").encode()
    at = _offsets()
    with open(path, "wb") as out:
        for lo in range(0, n_rows, block):
            n = min(block, n_rows - lo)
            records = np.broadcast_to(np.frombuffer(row, np.uint8), (n, len(row))).copy()
            dyad = np.minimum(np.searchsorted(cumulative, rng.random(n)), n_dyads - 1)
            days = day0 + rng.integers(0, n_days, n)
            ymd = _yyyymmdd(days)
            ids = first_id + lo + np.arange(n, dtype=np.int64)
            code = three[rng.integers(0, len(three), n)]
            for field, value in ((0, ids), (1, ymd)):
                _digits(records, at[field], len(_VARIABLE[field]), value)
            _digits(records, at[60] + len(_VARIABLE[60]) - 10, 10, ids)
            _digits(records, at[31], 2, rng.integers(10, 100, n))
            _digits(records, at[33], 2, rng.integers(10, 100, n))
            for field, value in ((5, iso[first[dyad]]), (7, iso[first[dyad]])):
                records[:, at[field] : at[field] + 3] = value
            for field in (15, 17):
                records[:, at[field] : at[field] + 3] = iso[second[dyad]]
            for field in (26, 27):
                records[:, at[field] : at[field] + 3] = code
            out.write(records.tobytes())
    return Path(path).stat().st_size


def _yyyymmdd(days: np.ndarray) -> np.ndarray:
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    year = years.astype(np.int64) + 1970
    month = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year * 10000 + month * 100 + day


def _digits(records: np.ndarray, at: int, width: int, value: np.ndarray) -> None:
    """Write ``value`` (non-negative ints) as ``width`` decimal digits at byte ``at``."""
    power = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    records[:, at : at + width] = (value[:, None] // power) % 10 + ord("0")

"""Import GDELT event files (1.0 and 2.0) as relscore events.

GDELT files are tab-separated, without a header and without quoting, plain or in a
``.zip`` or ``.gz`` whatever their name says (``.CSV``, ``.txt``). Three layouts exist and
one file may mix them, so the layout is read from each row's number of fields:

=======  ==============================================================================
fields   layout
=======  ==============================================================================
57       GDELT 1.0 back file (1979 to March 2013): no SOURCEURL
58       GDELT 1.0 daily file (April 2013 on): SOURCEURL last
61       GDELT 2.0 export: adds Actor1/Actor2/ActionGeo_ADM2Code, SOURCEURL last
=======  ==============================================================================

The fields read sit at the same place in all three: GLOBALEVENTID (0), SQLDATE (1, the
event's date; DATEADDED is when GDELT saw it and is not used), Actor1CountryCode (7),
Actor2CountryCode (17), EventCode (26, kept as a string: ``"036"``), NumMentions (31),
NumSources (32), NumArticles (33), AvgTone (34). Actors are states by country
affiliation (Pakistani rebels count as ``PAK``); see
:mod:`relscore.importers.countries` for the CAMEO codes that are not ISO states.

Output columns: the events schema, with ``event_id`` ``gdelt-<GLOBALEVENTID>`` and
``source`` the SOURCEURL (``GDELT <file>:<line>`` for rows without one); then
``num_mentions``, ``num_sources``, ``num_articles`` (counts of the event's coverage, for
``relscore index --weight-by``), ``avg_tone`` (-100 ... +100), ``origin_file`` and
``origin_line``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from relscore.exceptions import EventFileError
from relscore.importers import accounting as why
from relscore.importers.accounting import Tally, first_reason
from relscore.importers.countries import cameo_table
from relscore.importers.dedupe import DEFAULT_DEDUPE
from relscore.importers.fields import codes_in, compact_dates
from relscore.importers.options import options
from relscore.importers.output import SCHEMA_COLUMNS, codebook_table
from relscore.importers.pipeline import Parsed, read_import, write_import
from relscore.importers.tsv import DEFAULT_CHUNK_BYTES, Block

LAYOUTS = {57: "GDELT 1.0 back file", 58: "GDELT 1.0 daily file", 61: "GDELT 2.0 export"}
GLOBALEVENTID, SQLDATE, ACTOR1_COUNTRY, ACTOR2_COUNTRY, EVENT_CODE = 0, 1, 7, 17, 26
NUM_MENTIONS, NUM_SOURCES, NUM_ARTICLES, AVG_TONE = 31, 32, 33, 34
COUNT_MAX = 2**31 - 1  # the largest coverage count read (GDELT's are in the thousands)
COLUMNS = (
    *SCHEMA_COLUMNS,
    "num_mentions",
    "num_sources",
    "num_articles",
    "avg_tone",
    "origin_file",
    "origin_line",
)


class _Gdelt:
    """The GDELT side of :class:`relscore.importers.pipeline.Format`."""

    columns = COLUMNS
    unmatched_label = "unmatched actor codes"
    # Noted by the scan of every row: those parse reads, and the coverage counts the event
    # store keeps. The others are found for kept rows only.
    fields = (GLOBALEVENTID, SQLDATE, ACTOR1_COUNTRY, ACTOR2_COUNTRY, EVENT_CODE)
    fields += (NUM_MENTIONS, NUM_ARTICLES)

    def start(self, block: Block, name: str) -> tuple[None, int]:
        """A file is GDELT if one of its first 1000 rows has a GDELT layout, an id and a date."""
        reason = self.parse(block, np.arange(min(len(block), 1000)), None).reason
        malformed = np.isin(reason, [why.BAD_COLUMNS, why.BAD_ID, why.BAD_DATE])
        if len(reason) and malformed.all():
            counts = ", ".join(str(n) for n in np.unique(block.n_fields)[:5])
            raise EventFileError(
                f"{name}: not a GDELT events file (no row among the first {len(reason)} has "
                f"57, 58 or 61 tab-separated fields with an event id and a YYYYMMDD date "
                f"of 1800 ... 2100; "
                f"rows have {counts} fields)"
            )
        return None, 0

    def parse(self, block: Block, rows: np.ndarray, context: None) -> Parsed:
        n = len(rows)
        event_id, day, actor1, actor2, code = (np.zeros(n, np.int64) for _ in range(5))
        layout_ok = np.isin(block.n_fields[rows], list(LAYOUTS))
        r = rows[layout_ok]
        ids, _ = block.number(r, GLOBALEVENTID)
        id_ok = ids >= 0
        days, date_ok = compact_dates(*block.number(r, SQLDATE))
        codes = codes_in(*block.key(r, EVENT_CODE), codebook_table()[0])
        iso1, blank1, region1, other1 = _actor(block, r, ACTOR1_COUNTRY)
        iso2, blank2, region2, other2 = _actor(block, r, ACTOR2_COUNTRY)
        reason = np.full(n, why.BAD_COLUMNS, np.uint8)
        reason[layout_ok] = first_reason(
            [
                (~id_ok, why.BAD_ID),
                (~date_ok, why.BAD_DATE),
                (codes < 0, why.BAD_CODE),
                (blank1 | blank2, why.NO_COUNTRY),
                (region1 | region2, why.REGIONAL),
                (other1 | other2, why.NOT_ISO),
                (iso1 == iso2, why.SAME_COUNTRY),
            ]
        )
        for array, values in zip(
            (event_id, day, actor1, actor2, code), (ids, days, iso1, iso2, codes), strict=True
        ):
            array[layout_ok] = values
        unmatched = Counter()
        listed = reason[layout_ok] == why.NOT_ISO
        for field, bad in ((ACTOR1_COUNTRY, other1), (ACTOR2_COUNTRY, other2)):
            unmatched.update(block.text(r[listed & bad], field))
        return Parsed(reason, event_id, day, actor1, actor2, code, unmatched)

    def source(self, block: Block, rows: np.ndarray, context: None) -> list[str]:
        """SOURCEURL (empty for the 57-column layout): the ``source-url`` dedupe key."""
        n_fields = block.n_fields[rows]
        has_url = n_fields != 57
        urls = np.full(len(rows), "", dtype=object)
        urls[has_url] = [u.strip() for u in block.text(rows[has_url], n_fields[has_url] - 1)]
        return list(urls)

    def extra(self, block: Block, rows: np.ndarray, context: None, name: str) -> dict:
        ids, _ = block.number(rows, GLOBALEVENTID)
        lines = block.line[rows]
        urls = pd.Series(self.source(block, rows, context), dtype=object)
        fallback = pd.Series([f"GDELT {name}:"] * len(rows), dtype=object) + lines.astype(str)
        counts = {}
        for column, field in (
            ("num_mentions", NUM_MENTIONS),
            ("num_sources", NUM_SOURCES),
            ("num_articles", NUM_ARTICLES),
        ):
            counts[column] = pd.arrays.IntegerArray(*coverage_count(block, rows, field))
        tone = pd.to_numeric(pd.Series(block.text(rows, AVG_TONE), dtype=object), errors="coerce")
        return {
            "event_id": ("gdelt-" + pd.Series(ids).astype(str)).to_numpy(dtype=object),
            "source": urls.where(urls != "", fallback).to_numpy(dtype=object),
            **counts,
            "avg_tone": tone.to_numpy(dtype=float),
            "origin_file": name,
            "origin_line": lines,
        }


GDELT = _Gdelt()


def coverage_count(block: Block, rows: np.ndarray, field: int) -> tuple[np.ndarray, np.ndarray]:
    """A coverage count (NumMentions, NumSources, NumArticles) of each of ``rows``, and
    whether it is missing: empty, not a whole number, or above :data:`COUNT_MAX` (what the
    event store keeps, as int32). The events CSV and the store read the same counts."""
    value, _ = block.number(rows, field)
    return value, (value < 0) | (value > COUNT_MAX)


def _actor(
    block: Block, rows: np.ndarray, field: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One side's actor: its position among the ISO codes (-1 if none), and whether its
    country code is blank, a CAMEO region, or some other code that is not ISO."""
    cameo, target = cameo_table()
    key, length = block.key(rows, field)
    at = codes_in(key, length, cameo)
    iso = np.where(at >= 0, target[at], -1)
    return iso, length == 0, (at >= 0) & (iso < 0), (length > 0) & (at < 0)


def read_gdelt(
    paths: str | Path | Iterable[str | Path],
    *,
    dedupe: str = DEFAULT_DEDUPE,
    dyad: str | None = None,
    since: str | None = None,
    until: str | None = None,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
) -> tuple[pd.DataFrame, Tally]:
    """Import GDELT event files into memory.

    Parameters
    ----------
    paths : path or list of paths
        GDELT 1.0 or 2.0 event files: plain, ``.zip`` or ``.gz``, any mix of layouts.
    dedupe : {"one-a-day", "source-url", "none"}, default "one-a-day"
        Which rows count as one event; see :mod:`relscore.importers.dedupe`.
    dyad : str, optional
        Keep one dyad: ``"IRN-PAK"`` (both directions) or ``"IRN>PAK"``.
    since, until : str, optional
        First and last event date kept, ``YYYY-MM-DD`` (inclusive).
    chunk_bytes : int
        Bytes of text parsed at a time (reading holds about 3 times this: two blocks in
        flight and what the scan notes of their rows).

    Returns
    -------
    events : pandas.DataFrame
        The kept events in relscore's schema (``date`` as datetime64) plus GDELT's columns
        (see this module's docstring); ready for :func:`relscore.code_events`.
    tally : relscore.importers.accounting.Tally
        What became of every row read: ``read == kept + duplicates + skipped``, skips by
        reason, unmatched actor codes. (Machine-coded readers leave rows out by design, so
        they return the account with the rows; :func:`relscore.read_events`, whose every
        left-out row is an error, raises instead.)

    Raises
    ------
    EventFileError
        If a file is missing or is not a GDELT events file (the message names it).

    Examples
    --------
    >>> import relscore
    >>> with relscore.datasets.gdelt_sample() as sample:
    ...     events, tally = read_gdelt(sample)
    >>> tally.lines()[0]
    'read=2111 kept=242 duplicates=180 skipped=1689'
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    opts = options(dedupe, dyad, since, until, chunk_bytes)
    return read_import(GDELT, paths, opts)


def import_gdelt(
    paths: str | Path | Iterable[str | Path],
    output: str | Path,
    *,
    skipped: str | Path | None = None,
    dedupe: str = DEFAULT_DEDUPE,
    dyad: str | None = None,
    since: str | None = None,
    until: str | None = None,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
) -> Tally:
    """Import GDELT event files into the events CSV ``output``, streaming.

    Takes the options of :func:`read_gdelt`; ``skipped`` names a CSV to receive every
    skipped row (``file,line,reason,row``). Both files are written atomically.
    Returns the tally.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> import relscore
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out, skipped = Path(folder) / "events.csv", Path(folder) / "skipped.csv"
    ...     with relscore.datasets.gdelt_sample() as sample:
    ...         tally = import_gdelt(sample, out, skipped=skipped)
    ...     events, left_out = relscore.read_events(out), pd.read_csv(skipped)
    >>> tally.lines()[0]
    'read=2111 kept=242 duplicates=180 skipped=1689'
    >>> len(events), len(left_out)
    (242, 1689)
    >>> left_out["reason"].value_counts()
    reason
    no country        1521
    same country       121
    regional actor      47
    Name: count, dtype: int64
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    opts = options(dedupe, dyad, since, until, chunk_bytes)
    return write_import(GDELT, paths, output, opts, skipped)

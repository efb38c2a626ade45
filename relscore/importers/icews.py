"""Import ICEWS coded event files as relscore events.

ICEWS files (Harvard Dataverse ``events.YYYY.*.tab``) are tab-separated with a header,
plain or in a ``.zip`` or ``.gz``. Columns are found by their header names; those read:
``Event ID``, ``Event Date`` (``YYYY-MM-DD``, the event's date), ``Source Country`` and
``Target Country`` (country *names*, mapped to ISO 3166-1 alpha-3 as
:mod:`relscore.importers.countries` describes; unmatched names are counted and listed;
``NA`` or empty is no country),
``CAMEO Code`` (kept as a string) and ``Intensity`` (ICEWS's Goldstein-like score,
-10 ... +10); ``Source Name``, ``Target Name`` and ``Story ID`` when present.

Output columns: the events schema, with ``event_id`` ``icews-<Event ID>`` and ``source``
``ICEWS <file>:<line>`` (ICEWS publishes no URL); then ``intensity``, ``actor1_name``,
``actor2_name``, ``story_id``, ``origin_file`` and ``origin_line``. In the ``source-url``
dedupe mode the Story ID stands for the source.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from relscore.exceptions import EventFileError
from relscore.importers import accounting as why
from relscore.importers.accounting import Tally, first_reason
from relscore.importers.countries import names_to_iso_positions
from relscore.importers.dedupe import DEFAULT_DEDUPE
from relscore.importers.fields import codes_in, iso_dates
from relscore.importers.options import options
from relscore.importers.output import SCHEMA_COLUMNS, codebook_table
from relscore.importers.pipeline import Parsed, read_import, write_import
from relscore.importers.tsv import DEFAULT_CHUNK_BYTES, Block

REQUIRED = ("Event ID", "Event Date", "Source Country", "Target Country", "CAMEO Code")
OPTIONAL = ("Intensity", "Source Name", "Target Name", "Story ID")
COLUMNS = (
    *SCHEMA_COLUMNS,
    "intensity",
    "actor1_name",
    "actor2_name",
    "story_id",
    "origin_file",
    "origin_line",
)
_NAME_BYTES = 64  # a longer country name matches nothing
MISSING = np.array([b"", b"NA"], dtype="S2")  # how ICEWS writes a missing country


@dataclass(frozen=True)
class Header:
    """Where each column read sits in a file (``None`` for an absent optional one)."""

    n_fields: int
    position: dict[str, int | None]


class _Icews:
    """The ICEWS side of :class:`relscore.importers.pipeline.Format`."""

    columns = COLUMNS
    unmatched_label = "unmatched country names"
    fields = ()  # where they are depends on each file's header

    def start(self, block: Block, name: str) -> tuple[Header, int]:
        """Read the header (the first non-blank line)."""
        if not len(block):
            raise EventFileError(
                f"{name}: not an ICEWS events file (no header line: only blank lines)"
            )
        header = [h.strip().lstrip("\ufeff") for h in block.raw_lines(np.arange(1))[0].split("\t")]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise EventFileError(
                f"{name}: not an ICEWS events file (its first line, a header, lacks "
                + ", ".join(repr(c) for c in missing)
                + ")"
            )
        position = {c: header.index(c) if c in header else None for c in REQUIRED + OPTIONAL}
        return Header(len(header), position), 1

    def parse(self, block: Block, rows: np.ndarray, header: Header) -> Parsed:
        at = header.position
        n = len(rows)
        event_id, day, actor1, actor2, code = (np.zeros(n, np.int64) for _ in range(5))
        layout_ok = block.n_fields[rows] == header.n_fields
        r = rows[layout_ok]
        ids, _ = block.number(r, at["Event ID"])
        id_ok = ids >= 0
        days, date_ok = iso_dates(*block.fixed(r, at["Event Date"], 10))
        codes = codes_in(*block.key(r, at["CAMEO Code"]), codebook_table()[0])
        iso1, none1 = _country(block, r, at["Source Country"])
        iso2, none2 = _country(block, r, at["Target Country"])
        reason = np.full(n, why.BAD_COLUMNS, np.uint8)
        reason[layout_ok] = first_reason(
            [
                (~id_ok, why.BAD_ID),
                (~date_ok, why.BAD_DATE),
                (codes < 0, why.BAD_CODE),
                (none1 | none2, why.NO_COUNTRY),
                ((iso1 < 0) | (iso2 < 0), why.NOT_ISO),
                (iso1 == iso2, why.SAME_COUNTRY),
            ]
        )
        unmatched = Counter()
        listed = reason[layout_ok] == why.NOT_ISO
        for column, iso, absent in (
            ("Source Country", iso1, none1),
            ("Target Country", iso2, none2),
        ):
            unmatched.update(block.text(r[listed & (iso < 0) & ~absent], at[column]))
        for array, values in zip(
            (event_id, day, actor1, actor2, code), (ids, days, iso1, iso2, codes), strict=True
        ):
            array[layout_ok] = values
        return Parsed(reason, event_id, day, actor1, actor2, code, unmatched)

    def source(self, block: Block, rows: np.ndarray, header: Header) -> list[str]:
        """The Story ID (empty if the file has none): the ``source-url`` dedupe key."""
        return self._text(block, rows, header, "Story ID")

    def extra(self, block: Block, rows: np.ndarray, header: Header, name: str) -> dict:
        ids, _ = block.number(rows, header.position["Event ID"])
        lines = block.line[rows]
        intensity = pd.to_numeric(
            pd.Series(self._text(block, rows, header, "Intensity"), dtype=object),
            errors="coerce",
        )
        source = pd.Series([f"ICEWS {name}:"] * len(rows), dtype=object) + lines.astype(str)
        return {
            "event_id": ("icews-" + pd.Series(ids).astype(str)).to_numpy(dtype=object),
            "source": source.to_numpy(dtype=object),
            "intensity": intensity.to_numpy(dtype=float),
            "actor1_name": self._text(block, rows, header, "Source Name"),
            "actor2_name": self._text(block, rows, header, "Target Name"),
            "story_id": self._text(block, rows, header, "Story ID"),
            "origin_file": name,
            "origin_line": lines,
        }

    @staticmethod
    def _text(block: Block, rows: np.ndarray, header: Header, column: str) -> list[str]:
        field = header.position[column]
        if field is None:
            return [""] * len(rows)
        return [t.strip() for t in block.text(rows, field)]


ICEWS = _Icews()


def _country(block: Block, rows: np.ndarray, field: int) -> tuple[np.ndarray, np.ndarray]:
    """One side's country: its position among the ISO codes (-1 if unmatched), and whether
    the name is missing (empty or ``NA``). Each distinct name is looked up once."""
    raw, length = block.fixed(rows, field, _NAME_BYTES)
    keys = raw.view(f"S{_NAME_BYTES}").ravel()
    names, inverse = np.unique(keys, return_inverse=True)
    iso = names_to_iso_positions([b.decode("utf-8", "replace").strip() for b in names])[inverse]
    iso[length > _NAME_BYTES] = -1
    return iso, np.isin(keys, MISSING) & (length <= len(b"NA"))


def read_icews(
    paths: str | Path | Iterable[str | Path],
    *,
    dedupe: str = DEFAULT_DEDUPE,
    dyad: str | None = None,
    since: str | None = None,
    until: str | None = None,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
) -> tuple[pd.DataFrame, Tally]:
    r"""Import ICEWS event files into memory.

    Parameters and returns as :func:`relscore.importers.gdelt.read_gdelt`; in
    ``source-url`` mode the Story ID is the source, and ``tally.unmatched`` lists the
    country names that map to no ISO 3166 country.

    Raises
    ------
    EventFileError
        If a file is missing or its header lacks the ICEWS columns read.

    Examples
    --------
    Four rows in ICEWS's layout (a header of column names, tab-separated):

    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> rows = pd.DataFrame({
    ...     "Event ID": [101, 102, 103, 104],
    ...     "Event Date": ["2024-01-16", "2024-01-18", "2024-01-18", "2024-01-19"],
    ...     "Source Country": ["Iran", "Pakistan", "Pakistan", "Pakistan"],
    ...     "Target Country": ["Pakistan", "Iran", "Iran", "Pakistan"],
    ...     "CAMEO Code": ["195", "195", "195", "042"],
    ...     "Intensity": [-10.0, -10.0, -10.0, 1.9]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     rows.to_csv(Path(folder) / "events.2024.tab", sep="\t", index=False)
    ...     events, tally = read_icews(Path(folder) / "events.2024.tab")
    >>> events[["event_id", "date", "actor1", "actor2", "event_code", "intensity"]]
        event_id       date actor1 actor2 event_code  intensity
    0  icews-101 2024-01-16    IRN    PAK        195      -10.0
    1  icews-102 2024-01-18    PAK    IRN        195      -10.0
    >>> tally.lines()
    ['read=4 kept=2 duplicates=1 skipped=1', '  same country: 1']

    Pakistan's two strikes of 18 January count once (``dedupe="one-a-day"``), and a
    Pakistani actor meeting a Pakistani one is no dyad.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    return read_import(ICEWS, paths, options(dedupe, dyad, since, until, chunk_bytes))


def import_icews(
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
    r"""Import ICEWS event files into the events CSV ``output``, streaming; as
    :func:`relscore.importers.gdelt.import_gdelt`.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> import relscore
    >>> rows = pd.DataFrame({
    ...     "Event ID": [101, 102], "Event Date": ["2024-01-16", "2024-01-18"],
    ...     "Source Country": ["Iran", "Pakistan"], "Target Country": ["Pakistan", "Iran"],
    ...     "CAMEO Code": ["195", "195"], "Story ID": [9001, 9002]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     rows.to_csv(Path(folder) / "events.2024.tab", sep="\t", index=False)
    ...     tally = import_icews(Path(folder) / "events.2024.tab", Path(folder) / "events.csv")
    ...     events = relscore.read_events(Path(folder) / "events.csv")
    >>> tally.lines()
    ['read=2 kept=2 duplicates=0 skipped=0']
    >>> events[["event_id", "date", "actor1", "actor2", "event_code", "story_id"]]
        event_id       date actor1 actor2 event_code  story_id
    0  icews-101 2024-01-16    IRN    PAK        195      9001
    1  icews-102 2024-01-18    PAK    IRN        195      9002
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    opts = options(dedupe, dyad, since, until, chunk_bytes)
    return write_import(ICEWS, paths, output, opts, skipped)

"""Run an importer over files block by block: filter, deduplicate, account, emit rows.

An importer (GDELT, ICEWS) turns each block of lines into numbers (:class:`Parsed`): a
skip reason per row, and the event id, day, actors and code of the others. This module
does the rest the same way for both: the ``--since``/``--until`` and ``--dyad`` filters,
deduplication, the row accounting, and the kept and skipped rows of each block
(:func:`read_file`), which the CSV import here and the event store's import
(:mod:`relscore.store.ingest`) both use. Memory is bounded by one block plus what
deduplication remembers (8 to 24 bytes per row that passes the filters, as many more per
kept event), never by the size of the files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from relscore.exceptions import EventFileError, OutputFileError
from relscore.files.atomic import AtomicFiles, same_file
from relscore.files.csvfile import write_csv_rows
from relscore.files.errors import file_errors
from relscore.importers.accounting import KEEP, OTHER_DYAD, OUT_OF_RANGE, SKIP_REASONS, Tally
from relscore.importers.dedupe import KeySet, day_key, with_source
from relscore.importers.files import open_parts
from relscore.importers.options import Options
from relscore.importers.output import event_rows
from relscore.importers.tsv import Block, LineTooLong, head_block, read_blocks
from relscore.vocabulary import LINE_BYTES_MAX

SKIPPED_COLUMNS = ("file", "line", "reason", "row")
_CHECK_BYTES = 2**20  # how much of each file is read up front to check what it is


@dataclass(frozen=True)
class Parsed:
    """One block's rows as numbers (arrays aligned with the rows parsed).

    Attributes
    ----------
    reason : numpy.ndarray
        Skip reason code per row (:data:`relscore.importers.accounting.KEEP` = none).
    event_id, day, actor1, actor2, code : numpy.ndarray
        int64: the event id, days since 1970-01-01, the actors' positions in
        :func:`~relscore.importers.countries.iso3_table`, the code's position in
        :func:`~relscore.importers.output.codebook_table`. Meaningless where skipped.
    unmatched : collections.Counter
        Actor codes or names that map to no state, with their number of rows.
    """

    reason: np.ndarray
    event_id: np.ndarray
    day: np.ndarray
    actor1: np.ndarray
    actor2: np.ndarray
    code: np.ndarray
    unmatched: Counter = field(default_factory=Counter)


class Format(Protocol):
    """What an importer provides (see :mod:`relscore.importers.gdelt` for one)."""

    columns: tuple[str, ...]  # every output column, in order
    unmatched_label: str  # how the report names what could not be mapped
    fields: tuple[int, ...]  # the fields whose place the scan notes (see tsv.split_block)

    def start(self, block: Block, name: str) -> tuple[Any, int]:
        """Check the first block of a file; return a context and the number of header rows.
        Raise EventFileError naming the file if it is not of this format."""

    def parse(self, block: Block, rows: np.ndarray, context: Any) -> Parsed: ...

    def source(self, block: Block, rows: np.ndarray, context: Any) -> list[str]:
        """The source of each row, for the ``source-url`` dedupe mode."""

    def extra(self, block: Block, rows: np.ndarray, context: Any, name: str) -> dict:
        """``event_id``, ``source`` and the importer's own columns for kept rows."""


def check_files(fmt: Format, paths: Iterable[str | Path], once: bool = False) -> None:
    """Read the start of every file (every zip member) and raise EventFileError, naming
    the file, for the first that is missing, unreadable or not of this format; with
    ``once``, also for a file given twice (into a store, whose parts are per file, its
    rows would be counted twice and stored once). Without it, a file read twice is all
    duplicates the second time."""
    paths = list(paths)
    for at, path in enumerate(paths if once else []):
        for earlier in paths[:at]:
            if same_file(path, earlier):
                raise EventFileError(f"{path}: given twice (also as {earlier})")
    for path in paths:
        for name, stream in open_parts(path):
            block = head_block(stream, _CHECK_BYTES)
            if block is not None:
                fmt.start(block, name)


@dataclass
class Seen:
    """What deduplication remembers: event ids, and the dedupe keys of kept events."""

    ids: KeySet = field(default_factory=KeySet)
    keys: KeySet = field(default_factory=KeySet)


@dataclass(frozen=True)
class BlockResult:
    """One block read, filtered and deduplicated.

    Attributes
    ----------
    name : str
        The file (or ``ARCHIVE.zip/MEMBER``) the block is from.
    block : relscore.importers.tsv.Block
    rows : numpy.ndarray
        The block's rows that are data (a header is not).
    context : object
        What the format's ``start`` returned for the file.
    parsed : Parsed
        The rows as numbers.
    reason : numpy.ndarray
        Skip reason of each row (``KEEP`` for rows kept or duplicated).
    kept : numpy.ndarray
        Positions in ``rows`` of the events kept, in file order.
    sources : numpy.ndarray or None
        Their sources (str, object array) with ``--dedupe source-url``.
    """

    name: str
    block: Block
    rows: np.ndarray
    context: Any
    parsed: Parsed
    reason: np.ndarray
    kept: np.ndarray
    sources: np.ndarray | None

    def skipped(self) -> pd.DataFrame:
        """The skipped rows (:data:`SKIPPED_COLUMNS`), as they stand in the file (the CSV
        writer puts a ``'`` before one that a spreadsheet would take for a formula, see
        :func:`~relscore.files.csvfile.neutralise`)."""
        skipped = np.flatnonzero(self.reason != KEEP)
        labels = np.array(SKIP_REASONS, dtype=object)
        rows = self.rows[skipped]
        return pd.DataFrame(
            {
                "file": self.name,
                "line": self.block.line[rows],
                "reason": labels[self.reason[skipped] - 1],
                "row": self.block.raw_lines(rows),
            },
            columns=list(SKIPPED_COLUMNS),
        )


def read_file(
    fmt: Format, path: str | Path, opts: Options, tally: Tally, seen: Seen
) -> Iterator[BlockResult]:
    """Read, filter and deduplicate ``path`` block by block, counting into ``tally``.

    Rows go in file order: the filters, then a repeated event id is a duplicate (the same
    record read twice; its key is not used), then the dedupe key; the first row of a group
    is kept. ``seen`` carries over to the next call, so passing one ``Seen`` to every file
    deduplicates across files.
    """
    for name, stream in open_parts(path):
        for number, block in enumerate(_blocks(name, stream, opts.chunk_bytes, fmt.fields)):
            rows = np.arange(len(block))
            if number == 0:
                context, n_header = fmt.start(block, name)
                rows = rows[n_header:]
            parsed = fmt.parse(block, rows, context)
            reason = _filter_reasons(parsed, opts)
            kept = np.flatnonzero(reason == KEEP)
            kept = kept[seen.ids.first_seen(parsed.event_id[kept])]
            sources = None
            if opts.dedupe != "none":
                key = day_key(
                    parsed.day[kept], parsed.actor1[kept], parsed.actor2[kept], parsed.code[kept]
                )
                if opts.dedupe == "source-url":
                    sources = np.array(fmt.source(block, rows[kept], context), dtype=object)
                    key = with_source(key, sources)
                new = seen.keys.first_seen(key)
                kept = kept[new]
                sources = None if sources is None else sources[new]
            tally.add(reason, len(kept))
            tally.unmatched.update(parsed.unmatched)
            yield BlockResult(name, block, rows, context, parsed, reason, kept, sources)


def _blocks(name: str, stream, chunk_bytes: int, fields) -> Iterator[Block]:
    """:func:`~relscore.importers.tsv.read_blocks`, with a line too long named."""
    try:
        yield from read_blocks(stream, chunk_bytes, fields)
    except LineTooLong as long:
        raise EventFileError(
            f"{name}: line {long.line} is longer than {LINE_BYTES_MAX:,} bytes (a GDELT or "
            "ICEWS line is a few thousand): not an events file, or a damaged one"
        ) from None


def import_blocks(
    fmt: Format, paths: Iterable[str | Path], opts: Options, tally: Tally
) -> Iterator[tuple[pd.DataFrame, Callable[[], pd.DataFrame]]]:
    """Import ``paths`` block by block, counting into ``tally``; duplicates are looked for
    across all the files.

    Yields
    ------
    kept : pandas.DataFrame
        The block's kept events (``fmt.columns``).
    skipped : callable
        Returns the block's skipped rows (:data:`SKIPPED_COLUMNS`) when called; they are
        only built if asked for.
    """
    seen = Seen()
    for path in paths:
        for result in read_file(fmt, path, opts, tally, seen):
            parsed, kept = result.parsed, result.kept
            extra = fmt.extra(result.block, result.rows[kept], result.context, result.name)
            events = event_rows(
                parsed.day[kept], parsed.actor1[kept], parsed.actor2[kept], parsed.code[kept], extra
            )
            yield events, result.skipped


def _filter_reasons(parsed: Parsed, opts: Options) -> np.ndarray:
    """The parsed reasons, plus the date range and dyad filters on rows not yet skipped."""
    reason = parsed.reason.copy()
    ok = reason == KEEP
    if opts.since is not None or opts.until is not None:
        lo = -(2**62) if opts.since is None else opts.since
        hi = 2**62 if opts.until is None else opts.until
        outside = ok & ((parsed.day < lo) | (parsed.day > hi))
        reason[outside] = OUT_OF_RANGE
        ok &= ~outside
    if opts.dyad is not None:
        first, second, directed = opts.dyad
        same = (parsed.actor1 == first) & (parsed.actor2 == second)
        if not directed:
            same |= (parsed.actor1 == second) & (parsed.actor2 == first)
        reason[ok & ~same] = OTHER_DYAD
    return reason


def write_import(
    fmt: Format,
    paths: Iterable[str | Path],
    output: str | Path,
    opts: Options,
    skipped: str | Path | None = None,
) -> Tally:
    """Import ``paths`` into the events CSV ``output`` (and the skipped rows into
    ``skipped``), committed together: on an error while reading, or a failed rename of
    either, neither file is touched. ``-`` is standard output.

    Every file is checked first (:func:`check_files`), so a wrong file stops the import
    before any work is done.
    """
    paths = list(paths)
    check_files(fmt, paths)
    tally = Tally(unmatched_label=fmt.unmatched_label)

    # -: standard output. The files are closed (their last bytes written) inside
    # file_errors, and committed together after.
    written = file_errors(output, OutputFileError, "cannot write")
    with AtomicFiles() as files, written, ExitStack() as stack:
        skip = None if skipped is None else stack.enter_context(files.open(skipped))
        out = stack.enter_context(files.open(output))
        out.write(",".join(fmt.columns) + "\n")
        if skip is not None:
            skip.write(",".join(SKIPPED_COLUMNS) + "\n")
        for kept, block_skipped in import_blocks(fmt, paths, opts, tally):
            write_csv_rows(kept, out)
            if skip is not None:
                write_csv_rows(block_skipped(), skip)
    return tally


def read_import(
    fmt: Format, paths: Iterable[str | Path], opts: Options
) -> tuple[pd.DataFrame, Tally]:
    """Import ``paths`` into memory: the kept events (``date`` as datetime64) and the tally."""
    paths = list(paths)
    check_files(fmt, paths)
    tally = Tally(unmatched_label=fmt.unmatched_label)
    frames = [kept for kept, _ in import_blocks(fmt, paths, opts, tally)]
    frames = [f for f in frames if len(f)] or frames[:1]  # concat warns on empty frames
    if not frames:  # no block at all: empty files
        return pd.DataFrame(columns=list(fmt.columns)).astype({"date": "datetime64[s]"}), tally
    return pd.concat(frames, ignore_index=True), tally
